"""What the game plays: the levels (shipped, from a folder, one file, or a typed function)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

from gdviz.core import levels as level_files
from gdviz.core.levels import Level


@dataclass
class Content:
    """The playable levels, and one line for each file that could not be loaded."""

    levels: list[Level]
    errors: list[str] = field(default_factory=list)


def load_content(args: argparse.Namespace) -> Content:
    """Load the levels the command line asks for (the shipped curriculum by default).

    With --function, a level built on that function comes first; a bad function raises
    ExpressionError with the parser's one-line message.
    """
    content = _load_files(args)
    if getattr(args, "function", None):
        from gdviz.core.custom import level_from_function

        content.levels.insert(0, level_from_function(args.function))
    return content


def _load_files(args: argparse.Namespace) -> Content:
    if getattr(args, "level_file", None):
        try:
            return Content([level_files.load_level(args.level_file)])
        except level_files.LevelError as problem:
            return Content([], [str(problem)])
    folder = getattr(args, "levels_dir", None) or level_files.builtin_levels_dir()
    found, problems = level_files.load_levels(folder)
    return Content(list(found), [str(p) for p in problems])
