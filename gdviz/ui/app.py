"""The game's window, its stack of scenes and the loop that runs them.

Each frame the loop reads input (turned into Actions through gdviz.ui.controls), plays any
scripted Actions that are due, updates the top scene with the time since the last frame,
draws the visible scenes and shows the result. The time is the real time between frames
(capped at 0.1 s); with --headless it is exactly 1/fps per frame and nothing sleeps, so tests
and exports repeat exactly. A level's race turns that time into whole optimizer steps at
its own steady rate (see PlaySession.advance), so where the balls go never depends on the
frame rate.
"""

from __future__ import annotations

import argparse
import os
import signal
from dataclasses import replace
from pathlib import Path
from typing import Any

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # before pygame is imported

import pygame  # noqa: E402

from gdviz import settings as settings_file  # noqa: E402
from gdviz.core.commands import Action, Command, ScriptError, parse_script  # noqa: E402
from gdviz.core.expr import ExpressionError  # noqa: E402
from gdviz.ui import export, hud, theme  # noqa: E402
from gdviz.ui.content import Content, load_content  # noqa: E402
from gdviz.ui.context import AppContext  # noqa: E402
from gdviz.ui.controls import action_for_event  # noqa: E402
from gdviz.ui.kiosk import CursorHider, IdleWatch, OperatorChord, log_crash, means_presence  # noqa: E402
from gdviz.ui.progress import Progress  # noqa: E402
from gdviz.ui.scenes.attract import AttractScene  # noqa: E402
from gdviz.ui.scenes.base import Scene  # noqa: E402
from gdviz.ui.scenes.countdown import CountdownScene  # noqa: E402
from gdviz.ui.scenes.play import PlayScene  # noqa: E402
from gdviz.ui.scenes.title import TitleScene  # noqa: E402
from gdviz.ui.theme import Look  # noqa: E402

CUSTOM_ID = "your-function"
MAX_FRAME_SECONDS = 0.1


class StartupError(Exception):
    """The game cannot start as asked (a bad script, an unknown level …): one clear line."""


class Stop(BaseException):
    """Raised by the SIGTERM handler so the loop ends like a normal quit.

    A BaseException, like KeyboardInterrupt, so the crash recovery (which catches Exception)
    never mistakes a supervisor's stop for a bug and carries on.
    """


def stop_on_sigterm() -> None:
    """Make SIGTERM end the game cleanly (exit 0, outputs saved), as Ctrl+C does."""
    def handler(signum, frame):  # noqa: ARG001 - the signal API's signature
        raise Stop()

    try:
        signal.signal(signal.SIGTERM, handler)
    except ValueError:
        pass  # not the main thread (e.g. inside some test runners): nothing to install


def load_settings(args: argparse.Namespace) -> settings_file.Settings:
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


def _load_script(path: Path | None) -> list[tuple[float, Action]]:
    if path is None:
        return []
    try:
        return parse_script(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError) as problem:
        raise StartupError(f"cannot read script {path}: {problem}") from None
    except ScriptError as problem:
        raise StartupError(str(problem)) from None


def _load_content(args: argparse.Namespace) -> Content:
    try:
        content = load_content(args)
    except ExpressionError as problem:
        raise StartupError(f"--function: {problem}") from None
    if not content.levels:
        raise StartupError("no level could be loaded: " + "; ".join(map(str, content.errors[:3])))
    return content


class App:
    """The window, the scene stack and the loop."""

    def __init__(self, args: argparse.Namespace) -> None:
        if args.headless:
            os.environ["SDL_VIDEODRIVER"] = "dummy"
        self.args = args
        self.headless, self.kiosk = args.headless, args.kiosk
        self.strict = os.environ.get("GDVIZ_STRICT") == "1"  # tests want errors, not recovery
        self.config = load_settings(args)
        self.look = self.operator_look()
        self.timeline = _load_script(args.script)
        self.content = _load_content(args)
        self.progress = Progress.load()
        self.exports = export.Exports(self.export_dir)
        self._start_pygame(args)
        self.idle = IdleWatch(self.config.idle_seconds)
        self.chord = OperatorChord(self.config.operator_keys, self.config.operator_hold_seconds)
        self.cursor = CursorHider()
        self.scenes: list[Scene] = []
        self.time, self.frame_count = 0.0, 0
        self.running, self.exit_status = True, 0
        self.clock = pygame.time.Clock()
        self.ctx = AppContext(self)
        self._enter_first_scene(args)

    def operator_look(self) -> Look:
        """Return the look the settings (and flags) ask for: language and presenter mode."""
        return Look(self.config.language, self.config.presenter_on, self.config.presenter_scale)

    @property
    def export_dir(self) -> Path | None:
        return Path(self.config.export_dir).expanduser() if self.config.export_dir else None

    @property
    def recorder(self) -> export.GifRecorder | None:
        return self.exports.recorder

    def _start_pygame(self, args: argparse.Namespace) -> None:
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

    def _enter_first_scene(self, args: argparse.Namespace) -> None:
        first = self._first_level_index(args)
        self.push(TitleScene(self.ctx, first))  # Esc from that level finds it highlighted
        if args.attract:
            self.enter_attract()
        elif args.level or args.function or args.level_file:
            self.start_level(first)
        if args.gif:
            self.exports.start_recording()

    def _first_level_index(self, args: argparse.Namespace) -> int:
        if args.level is None:
            return 0
        ids = [level.id for level in self.content.levels]
        if args.level in ids:
            return ids.index(args.level)
        raise StartupError(f"unknown level {args.level!r}; --list-levels shows the names")

    def _open_window(self, size: tuple[int, int]) -> pygame.Surface:
        try:
            return pygame.display.set_mode(size, pygame.RESIZABLE)
        except pygame.error as problem:
            raise StartupError(f"cannot open a window ({problem}); try --headless") from None

    def tr(self, key: str, **values: object) -> str:
        """Return the sentence `key` in the current language."""
        return self.look.tr(key, **values)

    # --- the scene stack ------------------------------------------------------------------

    def push(self, scene: Scene) -> None:
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

    def close_above(self, scene: Scene) -> None:
        """Remove every scene above `scene` (nothing if `scene` is not on the stack)."""
        if scene in self.scenes:
            del self.scenes[self.scenes.index(scene) + 1:]

    def close(self, scene: Scene) -> None:
        """Remove `scene` and every scene above it."""
        if scene in self.scenes:
            self.close_above(scene)
            self.pop()

    @property
    def top(self) -> Scene:
        return self.scenes[-1]

    def restart_at_title(self, choice: int | None = None) -> None:
        """Clear every scene and show the title screen."""
        pygame.key.stop_text_input()
        self.scenes = [TitleScene(self.ctx, choice or 0)]

    def start_level(self, index: int) -> None:
        """Open level `index` on top, paused with its briefing card."""
        scene = PlayScene(self.ctx, index)
        self.push(scene)
        scene.enter()

    def play_function(self, level) -> None:
        """Put the player's own level first in the list (replacing an earlier one) and play it."""
        levels = self.content.levels
        levels[:] = [level] + [lv for lv in levels if lv.id != level.id]
        self.restart_at_title()
        self.start_level(0)

    def enter_attract(self) -> None:
        """Kiosk: back to the self-running demo, as the operator set it up (not as visitors left it)."""
        self.look = self.operator_look()
        levels = self.content.levels
        levels[:] = [lv for lv in levels if lv.id != CUSTOM_ID] or levels
        self.restart_at_title()
        self.push(AttractScene(self.ctx))
        self.idle.touch()

    # --- the loop --------------------------------------------------------------------------

    def run(self, frames: int | None = None) -> int:
        """Run until quit (or for `frames` frames); save --screenshot / --gif at the end."""
        fixed_dt = 1.0 / self.args.fps
        try:
            while self.running and (frames is None or self.frame_count < frames):
                dt = fixed_dt if self.headless else min(self.clock.tick(self.args.fps) / 1000.0, MAX_FRAME_SECONDS)
                self.frame(dt)
        finally:
            self._save_outputs()
            pygame.quit()
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
        for event in pygame.event.get():
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
        where = type(self.scenes[-1]).__name__ if self.scenes else "startup"
        log_crash(error, where)
        self.exports.recorder = None
        self.restart_at_title()

    def _handle_event(self, event: pygame.event.Event) -> None:
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
            pad = pygame.joystick.Joystick(index)
            self.pads[pad.get_instance_id()] = pad
        except pygame.error:
            pass  # it went away again before we could open it

    def _cancel_countdown(self) -> bool:
        if self.scenes and isinstance(self.top, CountdownScene):
            self.pop()
            return True
        return False

    def _tick_kiosk(self, dt: float) -> None:
        if self.kiosk and self.chord.tick(dt):
            self.running = False
            return
        self.cursor.tick(dt)
        self.idle.tick(dt)
        if not self.kiosk or not self.idle.expired:
            return
        if not any(isinstance(s, (CountdownScene, AttractScene)) for s in self.scenes):
            self.push(CountdownScene(self.ctx))

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
            scene.draw(self.screen, self.look)
        if self.recorder is not None:
            self._record(dt)  # before the badge, so the GIF does not show it
        if self.recorder is not None:  # recording can end inside _record (20 s reached)
            self._draw_recording_badge()
        pygame.display.flip()

    def toggle_fullscreen(self) -> None:
        """Switch between a window and the whole screen (F11)."""
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
        lang = "zh" if self.look.lang == "en" else "en"
        self.look = self.look.with_language(lang)
        if self.kiosk:  # a visitor's choice lasts until the attract loop; the operator's file stays
            return self.tr("msg.language")
        self.config = replace(self.config, language=lang)
        # Only the language is remembered: flags given for this run stay out of the file.
        saved = replace(settings_file.load(self.args.settings), language=lang, notices=())
        problem = settings_file.save(saved, self.args.settings)
        return problem or self.tr("msg.language")

    def toggle_presenter(self) -> str:
        """Presenter mode on / off (bigger, high contrast); return the message."""
        self.look = self.look.with_presenter(not self.look.presenter)
        state = self.tr("msg.on" if self.look.presenter else "msg.off")
        return self.tr("msg.toggle", what=self.tr("what.presenter"), state=state)

    # --- files -------------------------------------------------------------------------------

    def save_png(self, path: Path) -> Path:
        """Save the current frame as a PNG (written to a temporary name, then renamed)."""
        return export.save_surface_png(self.screen, Path(path))

    def screenshot(self) -> str:
        """Save a screenshot into the export folder; return a sentence saying where."""
        return export.saved_message(self.look, "msg.screenshot",
                                    lambda: self.save_png(export.screenshot_path(self.export_dir)))

    def _record(self, dt: float) -> None:
        area = next((a for a in (s.record_area() for s in reversed(self.scenes)) if a is not None), None)
        if area is None or not self.screen.get_rect().contains(area):
            area = self.screen.get_rect()
        self.recorder.add(self.screen.subsurface(area), dt)
        if self.recorder.full and not self.args.gif:
            self.top.notify(self.exports.toggle_recording(self.look))

    def _draw_recording_badge(self) -> None:
        seconds = int(self.recorder.seconds)
        hud.draw_text(self.screen, self.look, self.tr("play.recording", seconds=seconds), (12, 10), 20, theme.BAD,
                      bold=True)
