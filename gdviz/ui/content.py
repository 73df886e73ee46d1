"""What the game plays: the levels (shipped, from a folder, one file, or a typed function).

The scenes read levels only through these small functions, so the level format can grow
without the drawing code knowing.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

from gdviz.core import levels as level_files
from gdviz.core.levels import Level
from gdviz.core.sim import Race
from gdviz.ui import theme


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


def make_race(level: Level, seed: int = 0) -> Race:
    """Return a fresh race for `level` (the level's own seed shifted by `seed`)."""
    return level_files.make_race(level, seed=level.seed + seed)


def player_ball(level: Level) -> int:
    return level.player.ball


def allowed_optimizers(level: Level) -> tuple[str, ...]:
    return tuple(level.player.optimizers)


def default_lr(level: Level) -> float:
    """Return the learning rate of the level's player ball as first written."""
    return float(level.balls[level.player.ball].hyper.get("lr", 0.01))


def view_bounds(level: Level):
    return level.view


def title(level: Level) -> str:
    return level.title.get(theme.LANG)


def lesson(level: Level) -> str:
    return level.lesson.get(theme.LANG)


def goal_text(level: Level, tr) -> str:
    """Return the goal (and the hint, if the level has one) in the current language, or ''."""
    parts = []
    if level.goal is not None:
        par = tr("panel.par", par=level.par) if level.par else ""
        parts.append(tr("panel.goal", par=par))
    if level.hint is not None:
        parts.append(tr("panel.hint", text=level.hint.get(theme.LANG)))
    return " ".join(parts)
