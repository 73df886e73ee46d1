"""The game's main loop: window, scene stack, input, fixed-step timing, command line.

Simulation advances in fixed ticks while drawing happens once per frame. With --headless
the same loop runs off-screen as fast as it can with a fixed dt, so tests and slide
exports are quick and exactly repeatable.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from gdviz import settings as settings_file
from gdviz.core.commands import Action, Command, ScriptError, parse_script
from gdviz.core.expr import ExpressionError


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="gdviz", description="Watch gradient descent happen.")
    add = parser.add_argument
    add("--level", help="start in this level (name as in --list-levels)")
    add("--list-levels", action="store_true", help="print the level names and exit")
    add("--check-levels", nargs="+", metavar="PATH", help="check level files and exit")
    add("--levels-dir", type=Path, help="play the levels in this folder")
    add("--level-file", type=Path, help="play this one level file")
    add("--function", help="play on your own function, e.g. \"x**2 + 2*y**2\"")
    add("--headless", action="store_true", help="run off-screen, as fast as possible")
    add("--frames", type=int, help="stop after this many frames")
    add("--screenshot", type=Path, help="save the last frame as a PNG here")
    add("--gif", type=Path, help="record the play area as an animated GIF here (with --frames)")
    add("--script", type=Path, help="play a demo script of timed commands")
    add("--seed", type=int, default=0, help="seed for noise and mini-batches")
    add("--size", default="1280x720", help="window size, e.g. 1920x1080")
    add("--fps", type=int, default=60, help="frames per second")
    add("--export-dir", type=Path, help="where screenshots, GIFs and CSV tables go")
    add("--lang", choices=("en", "zh"), help="language: en (English) or zh (中文)")
    add("--present", action="store_true", help="presenter mode: big and high contrast, for projectors")
    add("--kiosk", action="store_true", help="exhibit mode: fullscreen, no way out but the operator chord")
    add("--idle-seconds", type=float, help="kiosk: seconds without input before the reset countdown")
    add("--attract", action="store_true", help="start in the attract loop (the self-running demo)")
    add("--settings", type=Path, help="read settings from this TOML file instead of the usual one")
    args = parser.parse_args(argv)
    args.size = _parse_size(parser, args.size)
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


class _Stop(BaseException):
    """Raised by the SIGTERM handler so the loop ends like a normal quit.

    A BaseException, like KeyboardInterrupt, so the crash recovery (which catches Exception)
    never mistakes a supervisor's stop for a bug and carries on.
    """


def _stop_on_sigterm() -> None:
    def handler(signum, frame):  # noqa: ARG001 - the signal API's signature
        raise _Stop()

    try:
        signal.signal(signal.SIGTERM, handler)
    except ValueError:
        pass  # not the main thread (e.g. inside some test runners): nothing to install


def main(argv: list[str] | None = None) -> None:
    """Run the game (or one of the command-line jobs) and exit with its status."""
    args = parse_args(argv)
    if args.check_levels:
        from gdviz.core.lessons import check_levels_report

        problems, status = check_levels_report(args.check_levels)
        for line in problems:
            print(line, file=sys.stderr)
        sys.exit(status)
    if args.list_levels:
        sys.exit(_list_levels(args))
    if not args.headless and _no_screen():
        print("gdviz: no screen found — run it on a desktop, or add --headless "
              "(e.g. --headless --frames 60 --screenshot shot.png)", file=sys.stderr)
        sys.exit(1)
    _stop_on_sigterm()
    try:
        app = App(args)
        sys.exit(app.run(args.frames))
    except StartupError as problem:
        print(f"gdviz: {problem}", file=sys.stderr)
        sys.exit(2)
    except (KeyboardInterrupt, _Stop):
        sys.exit(0)  # Ctrl+C or SIGTERM: a clean exit, no traceback


def _list_levels(args: argparse.Namespace) -> int:
    from gdviz.ui.content import load_content

    content = load_content(args)
    for level in content.levels:
        print(level.id)
    for error in content.errors:
        print(error, file=sys.stderr)
    return 0


def short_path(path: Path, limit: int = 64) -> str:
    """Write a path for the HUD: ~ for the home folder, the middle left out when it is long."""
    text = str(path)
    home = str(Path.home())
    if text.startswith(home + os.sep):
        text = "~" + text[len(home):]
    if len(text) <= limit:
        return text
    tail = limit * 2 // 3
    return text[: limit - tail - 1] + "…" + text[-tail:]


class StartupError(Exception):
    """The game cannot start as asked (a bad script, an unknown level …): one clear line."""


def _load_settings(args: argparse.Namespace) -> settings_file.Settings:
    """Read the settings file, then let command-line flags override it."""
    config = settings_file.load(args.settings)
    changes: dict[str, Any] = {}
    if args.lang:
        changes["language"] = args.lang
    if args.idle_seconds is not None:
        changes["idle_seconds"] = args.idle_seconds
    if args.present:
        changes["presenter_on"] = True
    if args.export_dir:
        changes["export_dir"] = str(args.export_dir)
    return replace(config, **changes)


class App:
    """The window, the scene stack and the loop."""

    def __init__(self, args: argparse.Namespace) -> None:
        if args.headless:
            os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        import pygame

        from gdviz.ui import theme
        from gdviz.ui.progress import Progress

        self.pygame = pygame
        self.args = args
        self.headless = args.headless
        self.kiosk = args.kiosk
        self.strict = os.environ.get("GDVIZ_STRICT") == "1"  # tests want errors, not recovery
        self.config = _load_settings(args)
        theme.set_language(self.config.language)
        theme.set_presenter(self.config.presenter_on, self.config.presenter_scale)
        self.timeline = self._load_script(args.script)
        self.content = self._load_content(args)
        self.progress = Progress.load()
        self._start_pygame(args)
        self._start_kiosk_helpers()
        self.scenes: list[Any] = []
        self.time = 0.0
        self.frame_count = 0
        self.running = True
        self.exit_status = 0
        self.recorder = None
        self.clock = pygame.time.Clock()
        self._enter_first_scene(args)

    def _load_content(self, args: argparse.Namespace):
        from gdviz.ui.content import load_content

        try:
            content = load_content(args)
        except ExpressionError as problem:
            raise StartupError(f"--function: {problem}") from None
        if not content.levels:
            raise StartupError("no level could be loaded: " + "; ".join(map(str, content.errors[:3])))
        return content

    def _start_pygame(self, args: argparse.Namespace) -> None:
        pygame = self.pygame
        from gdviz.ui import theme

        pygame.display.init()
        pygame.font.init()
        theme.forget_fonts()  # fonts cached before an earlier pygame.quit() are dead
        pygame.joystick.init()
        self.pads: dict[int, Any] = {}
        pygame.display.set_caption("gdviz — watch gradient descent happen")
        pygame.key.stop_text_input()  # typed text only matters in the function box
        self.fullscreen = False
        self.window_size = args.size
        self.screen = self._open_window(args.size)
        if self.kiosk:
            self.toggle_fullscreen()
            pygame.mouse.set_visible(False)

    def _start_kiosk_helpers(self) -> None:
        from gdviz.ui.kiosk import CursorHider, IdleWatch, OperatorChord

        self.idle = IdleWatch(self.config.idle_seconds)
        self.chord = OperatorChord(self.config.operator_keys, self.config.operator_hold_seconds)
        self.cursor = CursorHider()

    def _enter_first_scene(self, args: argparse.Namespace) -> None:
        from gdviz.ui.scenes.title import TitleScene

        self.push(TitleScene(self))
        if args.attract:
            self.enter_attract()
        elif args.level or args.function or args.level_file:
            self.scenes[-1].start_level(self._first_level_index(args))
        if args.gif:
            self.start_recording()

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
        try:
            return pygame.display.set_mode(size, pygame.RESIZABLE)
        except pygame.error as problem:
            raise StartupError(f"cannot open a window ({problem}); try --headless") from None

    def tr(self, key: str, **values: object) -> str:
        """Return the sentence `key` in the current language."""
        from gdviz.ui import strings, theme

        return strings.tr(theme.LANG, key, **values)

    # --- scenes ------------------------------------------------------------------------

    def push(self, scene: Any) -> None:
        """Put a scene on top; it gets the input from now on."""
        self.scenes.append(scene)

    def pop(self) -> None:
        """Remove the top scene; with none left, the game ends (never in a kiosk)."""
        self.scenes.pop()
        if not self.scenes:
            if self.kiosk:
                self.restart_at_title()
            else:
                self.running = False

    @property
    def top(self) -> Any:
        return self.scenes[-1]

    def restart_at_title(self) -> None:
        """Clear every scene and show the title screen."""
        from gdviz.ui.scenes.title import TitleScene

        self.pygame.key.stop_text_input()
        self.scenes = [TitleScene(self)]

    def enter_attract(self) -> None:
        """Kiosk: back to the self-running demo, as the operator set it up (not as visitors left it)."""
        from gdviz.ui import theme
        from gdviz.ui.scenes.attract import AttractScene

        theme.set_language(self.config.language)
        theme.set_presenter(self.config.presenter_on, self.config.presenter_scale)
        levels = self.content.levels
        levels[:] = [lv for lv in levels if lv.id != "your-function"] or levels
        self.restart_at_title()
        self.push(AttractScene(self))
        self.idle.touch()

    # --- the loop --------------------------------------------------------------------------

    def run(self, frames: int | None = None) -> int:
        """Run until quit (or for `frames` frames); save --screenshot / --gif at the end."""
        fixed_dt = 1.0 / self.args.fps
        try:
            while self.running and (frames is None or self.frame_count < frames):
                dt = fixed_dt if self.headless else min(self.clock.tick(self.args.fps) / 1000.0, 0.1)
                self.frame(dt)
        finally:
            self._save_outputs()
            self.pygame.quit()
        return self.exit_status

    def _save_outputs(self) -> None:
        if self.args.screenshot:
            self.save_png(self.args.screenshot)
        if self.args.gif and self.recorder is not None and self.recorder.frames:
            self.recorder.save(self.args.gif)

    def frame(self, dt: float) -> None:
        """Do one frame: input, scripted commands, update, draw — recovering from surprises."""
        try:
            self._frame(dt)
        except Exception as error:  # noqa: BLE001 - any scene's bug must not end an exhibit
            if self.strict:
                raise
            self.recover(error)
        self.frame_count += 1

    def _frame(self, dt: float) -> None:
        for event in self.pygame.event.get():
            self._handle_event(event)
        self.time += dt
        while self.timeline and self.timeline[0][0] <= self.time:
            self.dispatch(self.timeline.pop(0)[1])
        self._tick_kiosk(dt)
        if self.running:
            self.top.update(dt)
            self.draw(dt)

    def recover(self, error: Exception) -> None:
        """Log an unexpected error to the log file and start again at the title."""
        from gdviz.ui.kiosk import log_crash

        where = type(self.scenes[-1]).__name__ if self.scenes else "startup"
        log_crash(error, where)
        self.recorder = None
        self.restart_at_title()

    def _handle_event(self, event: Any) -> None:
        from gdviz.ui.controls import action_for_event
        from gdviz.ui.kiosk import means_presence

        pygame = self.pygame
        self.chord.feed(event)
        if event.type == pygame.VIDEORESIZE and not self.fullscreen:
            self.screen = self._open_window((max(event.w, 320), max(event.h, 240)))
        elif event.type == pygame.JOYDEVICEADDED:
            self._pad_added(event.device_index)
        elif event.type == pygame.JOYDEVICEREMOVED:
            self.pads.pop(event.instance_id, None)
        if event.type == pygame.MOUSEMOTION and self.kiosk:
            self.cursor.moved()
        if means_presence(event):
            self.idle.touch()
            if self._cancel_countdown():
                return
        action = action_for_event(event)
        if action is not None:
            self.dispatch(action)

    def _pad_added(self, index: int) -> None:
        """Open a gamepad or arcade encoder that was just plugged in."""
        try:
            pad = self.pygame.joystick.Joystick(index)
            self.pads[pad.get_instance_id()] = pad
        except self.pygame.error:
            pass  # it went away again before we could open it

    def _cancel_countdown(self) -> bool:
        from gdviz.ui.scenes.countdown import CountdownScene

        if self.scenes and isinstance(self.top, CountdownScene):
            self.pop()
            return True
        return False

    def _tick_kiosk(self, dt: float) -> None:
        from gdviz.ui.scenes.attract import AttractScene
        from gdviz.ui.scenes.countdown import CountdownScene

        if self.kiosk and self.chord.tick(dt):
            self.running = False
            return
        self.cursor.tick(dt)
        self.idle.tick(dt)
        if not self.kiosk or not self.idle.expired:
            return
        if not any(isinstance(s, (CountdownScene, AttractScene)) for s in self.scenes):
            self.push(CountdownScene(self))

    def dispatch(self, action: Action) -> None:
        """Send one Action to the game: a few are global, the rest go to the top scene."""
        if action.command is Command.QUIT:
            if not self.kiosk:  # a kiosk ignores the window's close button and Alt+F4
                self.running = False
        elif action.command is Command.FULLSCREEN:
            if not self.kiosk:
                self.toggle_fullscreen()
        elif self.scenes:
            self.top.handle(action)

    def draw(self, dt: float = 0.0) -> None:
        """Draw the scene stack from the topmost opaque scene upwards, record it, then show it."""
        first = max((i for i, s in enumerate(self.scenes) if s.opaque), default=0)
        for scene in self.scenes[first:]:
            scene.draw(self.screen)
        if self.recorder is not None:
            self._record(dt)  # before the badge, so the GIF does not show it
        if self.recorder is not None:
            self._draw_recording_badge()
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

    # --- language and presenter mode -----------------------------------------------------------

    def toggle_language(self) -> str:
        """Switch between English and Chinese and remember the choice; return the message."""
        from gdviz.ui import theme

        lang = "zh" if theme.LANG == "en" else "en"
        theme.set_language(lang)
        if self.kiosk:  # a visitor's choice lasts until the attract loop; the operator's file stays
            return self.tr("msg.language")
        self.config = replace(self.config, language=lang)
        # Only the language is remembered: flags given for this run stay out of the file.
        saved = replace(settings_file.load(self.args.settings), language=lang, notices=())
        problem = settings_file.save(saved, self.args.settings)
        return problem or self.tr("msg.language")

    def toggle_presenter(self) -> str:
        """Presenter mode on / off (bigger, high contrast); return the message."""
        from gdviz.ui import theme

        on = not theme.HIGH_CONTRAST
        theme.set_presenter(on, self.config.presenter_scale)
        return self.tr("msg.toggle", what=self.tr("what.presenter"), state=self.tr("msg.on" if on else "msg.off"))

    # --- files -------------------------------------------------------------------------------

    @property
    def export_dir(self) -> Path | None:
        return Path(self.config.export_dir).expanduser() if self.config.export_dir else None

    def save_png(self, path: Path) -> Path:
        """Save the current frame as a PNG (written to a temporary name, then renamed)."""
        from gdviz.ui.export import save_surface_png

        return save_surface_png(self.screen, Path(path))

    def _saved(self, what: str, save) -> str:
        """Run `save()` and return the sentence the HUD shows: where it went, or why not."""
        try:
            path = save()
        except (OSError, ValueError) as problem:
            why = getattr(problem, "strerror", None) or str(problem)
            return self.tr("msg.not_saved", what=self.tr(what), why=why)
        return self.tr("msg.saved", path=short_path(path))

    def screenshot(self) -> str:
        """Save a screenshot into the export folder; return a sentence saying where."""
        from gdviz.ui.export import screenshot_path

        return self._saved("msg.screenshot", lambda: self.save_png(screenshot_path(self.export_dir)))

    def export_csv(self, text: str) -> str:
        """Save a race table as CSV into the export folder; return a sentence saying where."""
        from gdviz.ui.export import csv_path, save_csv

        return self._saved("msg.csv", lambda: save_csv(text, csv_path(self.export_dir)))

    def start_recording(self) -> None:
        from gdviz.ui.export import GifRecorder

        self.recorder = GifRecorder()

    def toggle_recording(self) -> str:
        """Start recording a GIF, or stop and save it; return the sentence for the HUD."""
        from gdviz.ui.export import gif_path

        if self.recorder is None:
            self.start_recording()
            return self.tr("msg.recording", seconds=int(self.recorder.max_seconds))
        recorder, self.recorder = self.recorder, None
        if not recorder.frames:
            return self.tr("msg.nothing_recorded")
        return self._saved("msg.gif", lambda: recorder.save(gif_path(self.export_dir)))

    def _record(self, dt: float) -> None:
        area = self._play_area()
        self.recorder.add(self.screen.subsurface(area) if area else self.screen, dt)
        if self.recorder.full and not self.args.gif:
            message = self.toggle_recording()
            if hasattr(self.scenes[-1], "say"):
                self.scenes[-1].say(message)

    def _play_area(self):
        from gdviz.ui.scenes.play import PlayScene

        play = next((s for s in reversed(self.scenes) if isinstance(s, PlayScene)), None)
        if play is None or play.view.size != self.screen.get_size():
            return None
        return play.layout.map

    def _draw_recording_badge(self) -> None:
        from gdviz.ui import hud, theme

        seconds = int(self.recorder.seconds)
        hud.draw_text(self.screen, self.tr("play.recording", seconds=seconds), (12, 10), 20, theme.BAD, bold=True)
