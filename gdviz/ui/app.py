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
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # before pygame is imported

import pygame  # noqa: E402

from gdviz import settings as settings_file  # noqa: E402
from gdviz import storage  # noqa: E402
from gdviz.storage import folder_problem  # noqa: E402
from gdviz.core.commands import Action, Command, Pixel, ScriptError, parse_script  # noqa: E402
from gdviz.core.expr import ExpressionError  # noqa: E402
from gdviz.ui import export, hud, theme  # noqa: E402
from gdviz.ui.content import Content, load_content  # noqa: E402
from gdviz.ui.context import AppContext  # noqa: E402
from gdviz.ui.control_bar import Touch  # noqa: E402
from gdviz.ui.controls import action_for_event, action_for_gesture  # noqa: E402
from gdviz.ui.kiosk import CursorHider, IdleWatch, OperatorChord, crash_logger, means_presence  # noqa: E402
from gdviz.ui.pacing import FramePusher, Pacer  # noqa: E402
from gdviz.ui.pointer import PRESS_EVENTS, Gesture, Pointer, SceneGuard, is_pointer, synthesized  # noqa: E402
from gdviz.ui.process import quiet_stderr, stop_asked  # noqa: E402
from gdviz.ui.progress import Progress  # noqa: E402
from gdviz.ui.recovery import CRASH_LOOP_STATUS, Recovery  # noqa: E402
from gdviz.ui.scenes.attract import AttractScene  # noqa: E402
from gdviz.ui.scenes.base import Scene  # noqa: E402
from gdviz.ui.scenes.countdown import CountdownScene  # noqa: E402
from gdviz.ui.scenes.play import PlayScene  # noqa: E402
from gdviz.ui.scenes.title import TitleScene  # noqa: E402
from gdviz.ui.theme import Look  # noqa: E402

CUSTOM_ID = "your-function"
MAX_FRAME_SECONDS = 0.1
FRAMEBUFFER_HINT = "SDL_FRAMEBUFFER_ACCELERATION"
TOUCH_MOUSE_HINT = "SDL_TOUCH_MOUSE_EVENTS"
OFFSCREEN_DRIVERS = ("offscreen", "dummy", "evdev")  # SDL video drivers that show nothing (evdev: input only)
FIT_SHARE = 0.9  # a default-sized window on a smaller screen takes this share of each side
# Events after which the window's pixels may be gone, so the next frame is pushed whole.
REPAINT_EVENTS = frozenset(getattr(pygame, name) for name in (
    "VIDEOEXPOSE", "WINDOWEXPOSED", "WINDOWSHOWN", "WINDOWRESTORED", "WINDOWSIZECHANGED", "WINDOWMAXIMIZED")
    if hasattr(pygame, name))


class StartupError(Exception):
    """The game cannot start as asked (a bad script, an unknown level …): one clear line."""


def load_settings(args: argparse.Namespace) -> settings_file.Settings:
    """Read the settings file, then let command-line flags override it."""
    config = settings_file.load(args.settings, given=args.settings is not None)
    changes: dict[str, Any] = {}
    if args.lang:
        changes["language"] = args.lang
    if args.idle_seconds is not None:
        changes["idle_seconds"] = args.idle_seconds
    if args.present:
        changes["presenter_on"] = True
    if args.export_dir:
        changes["export_dir"] = str(args.export_dir)  # checked before the run (cli)
    elif config.export_dir:
        problem = folder_problem(Path(config.export_dir).expanduser())
        if problem:  # the operator's file, not a flag: say so on the title, and play on
            changes["notices"] = (*config.notices, f"export_dir {config.export_dir}: {problem}; "
                                                   "screenshots and tables cannot be saved there")
    return replace(config, **changes)


def _load_script(path: Path | None) -> list[tuple[float, Action]]:
    if path is None:
        return []
    try:
        return parse_script(storage.read_text_safely(path), str(path))
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
        self.progress = Progress.in_memory() if self.kiosk else Progress.load()  # a kiosk forgets its visitors
        self.exports = export.Exports(self.export_dir)
        self.recovery = Recovery(crash_logger)
        self.pusher = FramePusher()  # a real window gets only the pixels that changed
        self.pacer = Pacer(args.fps, pending=lambda: bool(pygame.event.peek()))
        self.pushed_pixels = 0  # how many pixels the last frame sent to the display
        self._start_pygame(args)
        self.idle = IdleWatch(self.config.idle_seconds)
        self.chord = OperatorChord(self.config.operator_keys, self.config.operator_hold_seconds)
        self.cursor = CursorHider()
        self.scenes: list[Scene] = []
        self.time, self.frame_count = 0.0, 0
        self.running, self.exit_status = True, 0
        self.clock = pygame.time.Clock()
        self.touch = self.operator_touch()
        self.pointer, self._pointer_scene = Pointer(), None  # the scene a press went to, while it is on top
        self.guard = SceneGuard()  # presses meant for one screen never act on the next
        self.ctx = AppContext(self)
        self._enter_first_scene(args)

    def operator_look(self) -> Look:
        """Return the look the settings (and flags) ask for: language and presenter mode."""
        return Look(self.config.language, self.config.presenter_on, self.config.presenter_scale, kiosk=self.kiosk)

    def operator_touch(self) -> Touch:
        """Return the control bar as the settings ask: on, off, or ("auto") on in a kiosk."""
        bar = self.config.touch_bar
        return Touch(self.kiosk if bar == "auto" else bool(bar), self.config.touch_screen_inches)

    @property
    def export_dir(self) -> Path | None:
        return Path(self.config.export_dir).expanduser() if self.config.export_dir else None

    @property
    def recorder(self) -> export.GifRecorder | None:
        return self.exports.recorder

    def _start_pygame(self, args: argparse.Namespace) -> None:
        self._start_video()
        pygame.font.init()
        theme.forget_fonts()  # fonts cached before an earlier pygame.quit() are dead
        pygame.joystick.init()
        self.pads: dict[int, Any] = {}
        pygame.display.set_caption("gdviz — watch gradient descent happen")
        pygame.key.stop_text_input()  # typed text only matters in the function box
        self.fullscreen = False
        self.window_size = self._first_window_size(args.size)
        self.screen = self._open_window(self.window_size)
        if self.kiosk:
            self.toggle_fullscreen()
            pygame.mouse.set_visible(False)

    def _first_window_size(self, asked: tuple[int, int]) -> tuple[int, int]:
        """The window's first size: as asked, except that the default size shrinks to fit a
        smaller screen, and a kiosk's window (before it goes fullscreen) is the whole screen in
        its corner.

        Without a window manager (a bare X session, common on exhibits) nobody moves a window
        that goes fullscreen, so a 1280×720 window made fullscreen on a 1920×1080 screen stays
        where it was put, offset and cut off.
        """
        if self.headless:
            return asked
        screen = (pygame.display.get_desktop_sizes() or [asked])[0]
        if self.kiosk:
            os.environ.setdefault("SDL_VIDEO_WINDOW_POS", "0,0")
            return screen
        if getattr(self.args, "size_given", True) or (asked[0] <= screen[0] and asked[1] <= screen[1]):
            return asked
        # The default 1280×720 on a smaller screen (a 1024×600 netbook or panel) would spill
        # off every side: take most of the screen instead, leaving room for the title bar.
        return max(int(screen[0] * FIT_SHARE), 320), max(int(screen[1] * FIT_SHARE), 240)

    def _start_video(self) -> None:
        """Start SDL's video, or raise StartupError with one line saying why nothing would show."""
        if not self.headless and sys.platform.startswith("linux"):
            # SDL's default window framebuffer goes through a renderer texture, which costs about
            # 5 ms a push at 1920×1080 on X11 however small the update; X11's own shared-memory
            # framebuffer takes 0.05–0.2 ms (python -m gdviz.bench_window). Where there is no
            # such path (Wayland), SDL falls back to the texture by itself.
            os.environ.setdefault(FRAMEBUFFER_HINT, "0")
        # The game reads fingers itself (gdviz.ui.pointer), so SDL need not copy them as mouse
        # events; copies the system makes anyway are still recognised and ignored there.
        os.environ.setdefault(TOUCH_MOUSE_HINT, "0")
        try:
            with quiet_stderr() as said:  # a failing driver's C library prints its own lines
                pygame.display.init()
        except pygame.error as problem:
            asked = os.environ.get("SDL_VIDEODRIVER")
            which = f"the video driver {asked!r}" if asked else "any video driver"
            detail = "; ".join(filter(None, (str(problem), *said)))
            raise StartupError(f"cannot start {which} ({detail}); check SDL_VIDEODRIVER, DISPLAY or "
                               "WAYLAND_DISPLAY, or add --headless to run off-screen") from None
        driver = pygame.display.get_driver()
        if not self.headless and driver in OFFSCREEN_DRIVERS:
            pygame.display.quit()
            where = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or "none set"
            raise StartupError(f"no display could be opened (display: {where}); SDL came up with its "
                               f"{driver!r} video driver, which shows nothing — check DISPLAY, or add "
                               "--headless to run off-screen on purpose")
        for line in said:  # a real driver came up: what the others said on the way may still matter
            print(line, file=sys.stderr)

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
        self._repaint()
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
        """Kiosk: back to the self-running demo, as the operator set it up (not as visitors left it):
        the next visitor starts with no stars and the operator's language and look."""
        self.look = self.operator_look()
        if self.kiosk:
            self.progress = Progress.in_memory()
        levels = self.content.levels
        levels[:] = [lv for lv in levels if lv.id != CUSTOM_ID] or levels
        self.restart_at_title()
        self.push(AttractScene(self.ctx))
        self.idle.touch()
        self.touch = self.operator_touch()

    # --- the loop --------------------------------------------------------------------------

    def run(self, frames: int | None = None) -> int:
        """Run until quit (or for `frames` frames); save --screenshot / --gif at the end.

        In a window, frames come at --fps while anything on screen changes and at a few a second
        once nothing has for a moment (see gdviz.ui.pacing), waking at once for input.
        """
        fixed_dt = 1.0 / self.args.fps
        self.pacer.restart()  # start-up time is not a frame
        try:
            while self.running and not stop_asked() and (frames is None or self.frame_count < frames):
                if self.headless:
                    self.frame(fixed_dt)
                else:
                    wall = self.pacer.wait()
                    self.frame(wall, min(wall, MAX_FRAME_SECONDS))
        finally:
            self.recovery.flush()
            self._save_outputs()
            pygame.quit()
        return self.exit_status

    def _save_outputs(self) -> None:
        if self.args.screenshot:
            self.save_png(self.args.screenshot)
        if self.args.gif and self.recorder is not None and self.recorder.frames:
            self.recorder.save(self.args.gif)

    def frame(self, dt: float, scene_dt: float | None = None) -> None:
        """Do one frame of `dt` seconds: input, scripted commands, update, draw — recovering from
        surprises. Clocks (scripts, kiosk timers) take all of `dt`; the scene moves on by
        `scene_dt` (default `dt`), which the loop caps at MAX_FRAME_SECONDS so a stall or a
        resting stretch never makes balls jump."""
        try:
            self._frame(dt, dt if scene_dt is None else scene_dt)
        except Exception as error:  # noqa: BLE001 - any scene's bug must not end an exhibit
            if self.strict:
                raise
            self.recover(error)
        self.frame_count += 1

    def _frame(self, dt: float, scene_dt: float) -> None:
        self.guard.look(self.scenes[-1] if self.scenes else None, self.frame_count - 1)  # drawn last frame
        for event in pygame.event.get():
            self._handle_event(event)
        self.time += dt
        while self.timeline and self.timeline[0][0] <= self.time:
            self.dispatch(self.timeline.pop(0)[1])
        self._tick_kiosk(dt)
        if self.running:
            self.top.update(scene_dt)
            self.draw(scene_dt)

    def recover(self, error: Exception) -> None:
        """Log an unexpected error and start again at the title — or, when that keeps failing
        (a crash loop, see gdviz.ui.recovery), end the game with CRASH_LOOP_STATUS."""
        where = type(self.scenes[-1]).__name__ if self.scenes else "startup"
        if self.recovery.record(error, where):
            self._give_up()
            return
        self.exports.recorder = None
        self.screen.set_clip(None)  # a drawing cut short can leave its clip, hiding most of the title
        try:
            self.restart_at_title()
        except Exception as again:  # noqa: BLE001 - the title itself is broken: count it too
            if self.recovery.record(again, "TitleScene"):
                self._give_up()

    def _give_up(self) -> None:
        print("gdviz: the same kind of error keeps happening; stopping (see gdviz.log in "
              f"{storage.log_dir()})", file=sys.stderr)
        self.running, self.exit_status = False, CRASH_LOOP_STATUS

    def _handle_event(self, event: pygame.event.Event) -> None:
        self.chord.feed(event)
        if event.type in REPAINT_EVENTS:
            self._repaint()
        if synthesized(event):
            return  # SDL's copy of a touch as a mouse event (or of the mouse as a touch): the original acts
        if event.type == pygame.VIDEORESIZE and not self.fullscreen:
            self.screen = self._open_window((max(event.w, 320), max(event.h, 240)))
        elif event.type == pygame.JOYDEVICEADDED:
            self._pad_added(event.device_index)
        elif event.type == pygame.JOYDEVICEREMOVED:
            self.pads.pop(event.instance_id, None)
        if event.type == pygame.MOUSEMOTION and self.kiosk and not self._copies_touch(event):
            self.cursor.moved()
        if means_presence(event):
            self.idle.touch()
            if self._cancel_countdown():
                return
        if is_pointer(event):
            size = self.screen.get_size()
            self._handle_pointer(self.pointer.feed(event, size, self.time, self.touch.least(size)))
            return
        action = action_for_event(event)
        if action is None or (event.type in PRESS_EVENTS and self.guard.blocks(self.frame_count)):
            return
        self.dispatch(action)
        self._looked()

    def _copies_touch(self, event: pygame.event.Event) -> bool:
        """Whether a mouse move is the system's copy of a finger that just touched there."""
        at = Pixel(*(int(v) for v in getattr(event, "pos", (0, 0))))
        return self.pointer.copies_touch(at, self.time, self.touch.least(self.screen.get_size()))

    def _looked(self) -> bool:
        """Tell the guard what is on top after an input; return whether that input changed it."""
        return self.guard.look(self.scenes[-1] if self.scenes else None, self.frame_count)

    def _handle_pointer(self, gesture: Gesture | None) -> None:
        """A press goes to the top scene unless it came too early for it (see SceneGuard); a
        drag's moves follow it only while that scene shows what it showed (a press that opened
        or closed a screen, or changed the level, ends its gesture there)."""
        if gesture is None:
            return
        if gesture.finger and self.config.touch_bar == "auto" and not self.touch.bar:
            self.touch = replace(self.touch, bar=True)  # a touch screen is in use: show its control bar
        action = action_for_gesture(gesture)
        if gesture.kind == "press" and self.scenes:
            reach = self.touch.least(self.screen.get_size())  # a fingertip
            if self.guard.blocks(self.frame_count, gesture.at, self.time, reach):
                self._pointer_scene = None
                return
            self.guard.pressed(gesture.at, self.time)
            pressed = self.top
            self.dispatch(action)
            self._pointer_scene = None if self._looked() or not self.scenes else pressed
        elif gesture.kind == "move" and self.scenes and self.top is self._pointer_scene:
            self.dispatch(action)
        elif gesture.kind == "release":
            self._pointer_scene = None

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
        elif action.command is Command.TOGGLE_BAR:
            self.touch = replace(self.touch, bar=not self.touch.bar)
            state = self.tr("msg.on" if self.touch.bar else "msg.off")
            if self.scenes:
                self.top.notify(self.tr("msg.toggle", what=self.tr("what.bar"), state=state))
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
        self._show()

    def _show(self) -> None:
        """Put the frame on the display: whole when headless, else only what changed."""
        if self.headless:
            pygame.display.flip()
            return
        self.pushed_pixels = self.pusher.push(self.screen)
        # Recording needs frames at the steady rate, so the game never rests while it records.
        self.pacer.shown(self.pushed_pixels > 0 or self.recorder is not None)

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
        self._repaint()

    def _repaint(self) -> None:
        """Push the next frame whole and at once: the window's pixels may be gone."""
        self.pusher.force_full = True
        self.pacer.wake()

    # --- language and presenter mode -----------------------------------------------------------

    def toggle_language(self) -> str:
        """Switch between English and Chinese and remember the choice; return the message."""
        lang = "zh" if self.look.lang == "en" else "en"
        self.look = self.look.with_language(lang)
        if self.kiosk:  # a visitor's choice lasts until the attract loop; the operator's file stays
            return self.tr("msg.language")
        self.config = replace(self.config, language=lang)
        # Only the language is remembered: flags given for this run stay out of the file.
        given = self.args.settings is not None
        saved = replace(settings_file.load(self.args.settings, given), language=lang, notices=())
        problem = settings_file.save(saved, self.args.settings, given)
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
