"""The command line: read the flags, then check levels, list them, or run the game.

`gdviz --help` lists every flag. `--check-levels`, `--check-lessons` and `--list-levels`
answer without opening a window (the first two without loading pygame); everything else
starts the game.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

SIZE_LIMITS = ((320, 240), (7680, 4320))
DEFAULT_SIZE = "1280x720"
NO_SCREEN = ("gdviz: no screen found — run it on a desktop, or add --headless "
             "(e.g. --headless --frames 60 --screenshot shot.png)")


def _add_game_flags(add) -> None:
    add("--level", help="start in this level (name as in --list-levels)")
    add("--list-levels", action="store_true", help="print the level names and exit")
    add("--check-levels", nargs="+", metavar="PATH", help="check level files and exit")
    add("--check-lessons", nargs="*", metavar="PATH",
        help="check that each level's lesson survives small changes (default: the shipped levels) and exit")
    add("--levels-dir", type=Path, help="play the levels in this folder")
    add("--level-file", type=Path, help="play this one level file")
    add("--function", help="play on your own function, e.g. \"x**2 + 2*y**2\"")
    add("--script", type=Path, help="play a demo script of timed commands")
    add("--seed", type=int, default=0, help="seed for noise and mini-batches")


def _add_output_flags(add) -> None:
    add("--headless", action="store_true", help="run off-screen, as fast as possible")
    add("--frames", type=int, help="stop after this many frames")
    add("--screenshot", type=Path, help="save the last frame as a PNG here")
    add("--gif", type=Path, help="record the play area as an animated GIF here (with --frames)")
    add("--size", help=f"window size, e.g. 1920x1080 (default {DEFAULT_SIZE}, or less to fit the screen)")
    add("--fps", type=int, default=60, help="frames per second")
    add("--export-dir", type=Path, help="where screenshots, GIFs and CSV tables go")


def _add_room_flags(add) -> None:
    add("--lang", choices=("en", "zh"), help="language: en (English) or zh (中文)")
    add("--present", action="store_true", help="presenter mode: big and high contrast, for projectors")
    add("--kiosk", action="store_true", help="exhibit mode: fullscreen, no way out but the operator chord")
    add("--idle-seconds", type=float, help="kiosk: seconds without input before the reset countdown")
    add("--attract", action="store_true", help="start in the attract loop (the self-running demo)")
    add("--settings", type=Path, help="read settings from this TOML file instead of the usual one")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line; a bad flag ends the program with argparse's message (exit 2)."""
    parser = argparse.ArgumentParser(prog="gdviz", description="Watch gradient descent happen.")
    for add_flags in (_add_game_flags, _add_output_flags, _add_room_flags):
        add_flags(parser.add_argument)
    args = parser.parse_args(argv)
    args.size_given = args.size is not None
    args.size = _parse_size(parser, args.size or DEFAULT_SIZE)
    if args.frames is not None and args.frames < 1:
        parser.error("--frames must be at least 1")
    if not 1 <= args.fps <= 1000:
        parser.error("--fps must be between 1 and 1000")
    if args.idle_seconds is not None and not 5 <= args.idle_seconds <= 86400:
        parser.error("--idle-seconds must be between 5 and 86400")
    return args


def _parse_size(parser: argparse.ArgumentParser, text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        parser.error(f"--size {text!r} should look like 1280x720")
    (low_w, low_h), (high_w, high_h) = SIZE_LIMITS
    if not (low_w <= width <= high_w and low_h <= height <= high_h):
        parser.error(f"--size {text} is outside {low_w}x{low_h} … {high_w}x{high_h}")
    return width, height


def output_path_problem(args: argparse.Namespace) -> str:
    """Check --screenshot, --gif and --export-dir before the run: return '' or one line saying what is wrong."""
    from gdviz.storage import file_problem, folder_problem

    for flag, path, check in (("--screenshot", args.screenshot, file_problem), ("--gif", args.gif, file_problem),
                              ("--export-dir", args.export_dir, folder_problem)):
        problem = check(path) if path is not None else ""
        if problem:
            return f"{flag} {path}: {problem}"
    return ""


def no_screen() -> bool:
    """Return whether there is plainly no display to open a window on."""
    if os.environ.get("SDL_VIDEODRIVER"):
        return False
    if sys.platform.startswith("linux"):
        return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return False


def check_levels(paths: list[str]) -> int:
    """Check level files: print one line per problem to stderr; return the exit status."""
    from gdviz.core.lessons import check_levels_report

    problems, status = check_levels_report(paths)
    for line in problems + font_warnings(paths):
        print(line, file=sys.stderr)
    return status


def font_warnings(paths: list[str]) -> list[str]:
    """Return a warning for each text in the level files that the bundled fonts cannot draw
    (the file still passes: those characters would show as boxes)."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from gdviz.core.lessons import _level_files
    from gdviz.core.levels import LevelError, load_level
    from gdviz.ui.fonts import level_font_warnings

    warnings = []
    for path in _level_files(paths):
        try:
            warnings += level_font_warnings(load_level(path))
        except LevelError:
            pass  # already reported as a problem
    return warnings


def check_lessons(paths: list[str]) -> int:
    """Check lessons under small changes: print one line per level; return 0, 1 (a lesson broke) or 2."""
    from gdviz.core.robustness import check_lessons_report

    lines, status = check_lessons_report(paths or None)
    for line in lines:
        print(line)
    return status


def list_levels(args: argparse.Namespace) -> int:
    """Print the names of the levels the flags select (problems with files to stderr)."""
    from gdviz.ui.content import load_content

    content = load_content(args)
    for level in content.levels:
        print(level.id)
    for error in content.errors:
        print(error, file=sys.stderr)
    return 0 if content.levels else 2  # as the game: no level at all is an error


def run_game(args: argparse.Namespace) -> int:
    """Open the window and play until quit; return the exit status."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from gdviz.storage import NotSaved
    from gdviz.ui.app import App, StartupError
    from gdviz.ui.process import Stop, stop_on_sigterm

    stop_on_sigterm()
    try:
        return App(args).run(args.frames)
    except StartupError as problem:
        print(f"gdviz: {problem}", file=sys.stderr)
        _log_startup(f"could not start: {problem}")  # a kiosk's stderr is often lost: keep it in the log too
        return 2
    except NotSaved as problem:  # --screenshot or --gif at the end: a full disk, say
        print(f"gdviz: {problem.filename} not saved ({problem.strerror})", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Stop):
        return 0  # Ctrl+C, SIGTERM or SIGHUP: a clean exit, no traceback
    except Exception as error:  # a bug before the game could recover from anything
        traceback.print_exc()
        _log_startup("unexpected error while starting\n" + "".join(traceback.format_exception(error)))
        return 1


def _log_startup(text: str) -> None:
    """Write a start-up problem to the crash log as well (never failing because of the log)."""
    from gdviz.ui.kiosk import crash_logger

    try:
        crash_logger().error("%s", text)
    except Exception:  # noqa: BLE001 - the log is a courtesy; stderr has the message already
        pass


def main(argv: list[str] | None = None) -> None:
    """Run the game (or one of the command-line jobs) and exit with its status."""
    args = parse_args(argv)
    if args.check_levels:
        sys.exit(check_levels(args.check_levels))
    if args.check_lessons is not None:
        sys.exit(check_lessons(args.check_lessons))
    if args.list_levels:
        sys.exit(list_levels(args))
    problem = output_path_problem(args)
    if problem:
        print(f"gdviz: {problem}", file=sys.stderr)
        _log_startup(f"could not start: {problem}")
        sys.exit(2)
    if not args.headless and no_screen():
        print(NO_SCREEN, file=sys.stderr)
        _log_startup(f"could not start: {NO_SCREEN.removeprefix('gdviz: ')}")
        sys.exit(1)
    sys.exit(run_game(args))
