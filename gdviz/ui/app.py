"""The game's main loop: window, scene stack, input, fixed-step timing, command line.

Simulation advances in fixed ticks while drawing happens once per frame. With --headless
the same loop runs off-screen as fast as it can with a fixed dt, so tests and slide
exports are quick and exactly repeatable.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from gdviz.core.commands import Action, Command, ScriptError, parse_script
from gdviz.core.expr import ExpressionError


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="gdviz", description="Watch gradient descent happen.")
    parser.add_argument("--level", help="start in this level (name as in --list-levels)")
    parser.add_argument("--list-levels", action="store_true", help="print the level names and exit")
    parser.add_argument("--check-levels", nargs="+", metavar="PATH", help="check level files and exit")
    parser.add_argument("--levels-dir", type=Path, help="play the levels in this folder")
    parser.add_argument("--level-file", type=Path, help="play this one level file")
    parser.add_argument("--function", help="play on your own function, e.g. \"x**2 + 2*y**2\"")
    parser.add_argument("--headless", action="store_true", help="run off-screen, as fast as possible")
    parser.add_argument("--frames", type=int, help="stop after this many frames")
    parser.add_argument("--screenshot", type=Path, help="save the last frame as a PNG here")
    parser.add_argument("--script", type=Path, help="play a demo script of timed commands")
    parser.add_argument("--seed", type=int, default=0, help="seed for noise and mini-batches")
    parser.add_argument("--size", default="1280x720", help="window size, e.g. 1920x1080")
    parser.add_argument("--fps", type=int, default=60, help="frames per second")
    parser.add_argument("--export-dir", type=Path, help="where screenshots go")
    args = parser.parse_args(argv)
    args.size = _parse_size(parser, args.size)
    if args.frames is not None and args.frames < 1:
        parser.error("--frames must be at least 1")
    if not 1 <= args.fps <= 1000:
        parser.error("--fps must be between 1 and 1000")
    return args


def _parse_size(parser: argparse.ArgumentParser, text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        parser.error(f"--size {text!r} should look like 1280x720")
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        parser.error(f"--size {text} is outside 320x240 … 7680x4320")
    return width, height


def _no_screen() -> bool:
    """Return whether there is plainly no display to open a window on."""
    if os.environ.get("SDL_VIDEODRIVER"):
        return False
    if sys.platform.startswith("linux"):
        return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return False


def main(argv: list[str] | None = None) -> None:
    """Run the game (or one of the command-line jobs) and exit with its status."""
    args = parse_args(argv)
    if args.check_levels:
        from gdviz.core.levels import main_check_levels

        sys.exit(main_check_levels(args.check_levels))
    if args.list_levels:
        sys.exit(_list_levels(args))
    if not args.headless and _no_screen():
        print("gdviz: no screen found — run it on a desktop, or add --headless "
              "(e.g. --headless --frames 60 --screenshot shot.png)", file=sys.stderr)
        sys.exit(1)
    try:
        app = App(args)
    except StartupError as problem:
        print(f"gdviz: {problem}", file=sys.stderr)
        sys.exit(2)
    sys.exit(app.run(args.frames))


def _list_levels(args: argparse.Namespace) -> int:
    from gdviz.ui.content import load_content

    content = load_content(args)
    for level in content.levels:
        print(level.id)
    for error in content.errors:
        print(error, file=sys.stderr)
    return 0


class StartupError(Exception):
    """The game cannot start as asked (a bad script, an unknown level …): one clear line."""


class App:
    """The window, the scene stack and the loop."""

    def __init__(self, args: argparse.Namespace) -> None:
        if args.headless:
            os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        import pygame

        from gdviz.ui.content import load_content
        from gdviz.ui.progress import Progress
        from gdviz.ui.scenes.title import TitleScene

        self.pygame = pygame
        self.args = args
        self.headless = args.headless
        self.timeline = self._load_script(args.script)
        try:
            self.content = load_content(args)
        except ExpressionError as problem:
            raise StartupError(f"--function: {problem}") from None
        self.progress = Progress.load()
        if not self.content.levels:
            raise StartupError("no level could be loaded: " + "; ".join(map(str, self.content.errors[:3])))
        pygame.display.init()
        pygame.font.init()
        pygame.display.set_caption("gdviz — watch gradient descent happen")
        pygame.key.stop_text_input()  # typed text only matters in the function box
        self.fullscreen = False
        self.window_size = args.size
        self.screen = self._open_window(args.size)
        self.scenes: list[Any] = []
        self.time = 0.0
        self.frame_count = 0
        self.running = True
        self.exit_status = 0
        self.clock = pygame.time.Clock()
        self.export_dir = args.export_dir
        self.push(TitleScene(self))
        if args.level or args.function or args.level_file:
            self.scenes[-1].start_level(self._first_level_index(args))

    def _load_script(self, path: Path | None) -> list[tuple[float, Action]]:
        if path is None:
            return []
        try:
            return parse_script(path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError) as problem:
            raise StartupError(f"cannot read script {path}: {problem}") from None
        except ScriptError as problem:
            raise StartupError(str(problem)) from None

    def _first_level_index(self, args: argparse.Namespace) -> int:
        if args.level is None:
            return 0
        ids = [level.id for level in self.content.levels]
        if args.level in ids:
            return ids.index(args.level)
        raise StartupError(f"unknown level {args.level!r}; --list-levels shows the names")

    def _open_window(self, size: tuple[int, int]):
        pygame = self.pygame
        flags = pygame.RESIZABLE
        try:
            screen = pygame.display.set_mode(size, flags)
        except pygame.error as problem:
            raise StartupError(f"cannot open a window ({problem}); try --headless") from None
        return screen

    # --- scenes ------------------------------------------------------------------------

    def push(self, scene: Any) -> None:
        """Put a scene on top; it gets the input from now on."""
        self.scenes.append(scene)

    def pop(self) -> None:
        """Remove the top scene; with none left, the game ends."""
        self.scenes.pop()
        if not self.scenes:
            self.running = False

    @property
    def top(self) -> Any:
        return self.scenes[-1]

    # --- the loop --------------------------------------------------------------------------

    def run(self, frames: int | None = None) -> int:
        """Run until quit (or for `frames` frames); save --screenshot at the end; return status."""
        fixed_dt = 1.0 / self.args.fps
        while self.running and (frames is None or self.frame_count < frames):
            dt = fixed_dt if self.headless else min(self.clock.tick(self.args.fps) / 1000.0, 0.1)
            self.frame(dt)
        if self.args.screenshot:
            self.save_png(self.args.screenshot)
        self.pygame.quit()
        return self.exit_status

    def frame(self, dt: float) -> None:
        """Do one frame: input, scripted commands, update, draw."""
        from gdviz.ui.controls import action_for_event

        for event in self.pygame.event.get():
            if event.type == self.pygame.VIDEORESIZE and not self.fullscreen:
                self.screen = self._open_window((max(event.w, 320), max(event.h, 240)))
            action = action_for_event(event)
            if action is not None:
                self.dispatch(action)
        self.time += dt
        while self.timeline and self.timeline[0][0] <= self.time:
            self.dispatch(self.timeline.pop(0)[1])
        if self.running:
            self.top.update(dt)
            self.draw()
        self.frame_count += 1

    def dispatch(self, action: Action) -> None:
        """Send one Action to the game: a few are global, the rest go to the top scene."""
        if action.command is Command.QUIT:
            self.running = False
        elif action.command is Command.FULLSCREEN:
            self.toggle_fullscreen()
        elif self.scenes:
            self.top.handle(action)

    def draw(self) -> None:
        """Draw the scene stack from the topmost opaque scene upwards, then show it."""
        first = max((i for i, s in enumerate(self.scenes) if s.opaque), default=0)
        for scene in self.scenes[first:]:
            scene.draw(self.screen)
        self.pygame.display.flip()

    def toggle_fullscreen(self) -> None:
        """Switch between a window and the whole screen (F11)."""
        pygame = self.pygame
        try:
            if self.fullscreen:
                self.screen = pygame.display.set_mode(self.window_size, pygame.RESIZABLE)
            else:
                self.window_size = self.screen.get_size()
                self.screen = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        except pygame.error:
            return  # no fullscreen on this display; stay as we are
        self.fullscreen = not self.fullscreen

    # --- files -------------------------------------------------------------------------------

    def save_png(self, path: Path) -> Path:
        """Save the current frame as a PNG (written to a temporary name, then renamed)."""
        from gdviz.ui.export import save_surface_png

        return save_surface_png(self.screen, Path(path))

    def screenshot(self) -> str:
        """Save a screenshot into the export folder; return a sentence saying where."""
        from gdviz.ui.export import screenshot_path

        try:
            path = self.save_png(screenshot_path(self.export_dir))
        except OSError as problem:
            return f"could not save the screenshot: {problem.strerror or problem}"
        return f"saved {path}"
