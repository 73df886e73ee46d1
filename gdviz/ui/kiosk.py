"""Exhibit habits: notice when nobody is playing, let only staff quit, hide the cursor, log crashes,
and keep messages meant for staff away from visitors.

Each piece is a small object the App feeds with input events and time; none of them draws.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import string
import traceback
from dataclasses import dataclass, field
from functools import lru_cache

import pygame

from gdviz import storage
from gdviz.ui.strings import LANGUAGES, STRINGS, tr

# Events that mean a person is there (any of them restarts the idle clock).
PRESENCE_EVENTS = {
    pygame.KEYDOWN, pygame.KEYUP, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION,
    pygame.MOUSEWHEEL, pygame.TEXTINPUT, pygame.JOYBUTTONDOWN, pygame.JOYBUTTONUP, pygame.JOYHATMOTION,
    pygame.JOYAXISMOTION, pygame.FINGERDOWN, pygame.FINGERMOTION,
}
COUNTDOWN_SECONDS = 10.0
CURSOR_SHOW_SECONDS = 3.0
AXIS_DEAD_ZONE = 0.5  # small stick drift must not count as a visitor

CHORD_KEYCODES = {
    "ctrl": (pygame.K_LCTRL, pygame.K_RCTRL),
    "alt": (pygame.K_LALT, pygame.K_RALT),
    "shift": (pygame.K_LSHIFT, pygame.K_RSHIFT),
    "q": (pygame.K_q,), "w": (pygame.K_w,), "x": (pygame.K_x,), "k": (pygame.K_k,),
    "escape": (pygame.K_ESCAPE,), "f12": (pygame.K_F12,), "backspace": (pygame.K_BACKSPACE,),
}


def means_presence(event: pygame.event.Event) -> bool:
    """Return whether an input event shows someone is at the machine."""
    if event.type == pygame.JOYAXISMOTION:
        return abs(getattr(event, "value", 0.0)) > AXIS_DEAD_ZONE
    return event.type in PRESENCE_EVENTS


@dataclass
class IdleWatch:
    """Seconds since the last sign of a visitor."""

    limit: float
    quiet: float = 0.0

    def tick(self, dt: float) -> None:
        self.quiet += dt

    def touch(self) -> None:
        self.quiet = 0.0

    @property
    def expired(self) -> bool:
        return self.quiet >= self.limit


@dataclass
class OperatorChord:
    """Staff quit by holding every chord key together for `hold` seconds; nothing else quits."""

    keys: tuple[str, ...]
    hold: float
    held_for: float = 0.0
    down: set[int] = field(default_factory=set)

    def feed(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN:
            self.down.add(event.key)
        elif event.type == pygame.KEYUP:
            self.down.discard(event.key)

    def all_held(self) -> bool:
        return all(any(code in self.down for code in CHORD_KEYCODES[name]) for name in self.keys)

    def tick(self, dt: float) -> bool:
        """Advance time; return True once the chord has been held long enough."""
        self.held_for = self.held_for + dt if self.all_held() else 0.0
        return self.held_for >= self.hold


@dataclass
class CursorHider:
    """In kiosk mode the mouse pointer shows only while the mouse moves."""

    shown_for: float = 0.0

    def moved(self) -> None:
        self.shown_for = CURSOR_SHOW_SECONDS
        pygame.mouse.set_visible(True)

    def tick(self, dt: float) -> None:
        if self.shown_for > 0:
            self.shown_for -= dt
            if self.shown_for <= 0:
                pygame.mouse.set_visible(False)


# Messages a visitor at a kiosk never sees: echoes of switches the screen already shows, the
# attract loop's own moves, files, speeds and staff settings (see `for_staff`).
STAFF_MESSAGES = ("msg.step_mode_off", "msg.back_to_race", "msg.no_exports", "msg.speed", "msg.language",
                  "msg.recording", "msg.nothing_recorded", "msg.saved", "msg.not_saved")
STAFF_SWITCHES = ("what.presenter", "what.hud")  # "presenter mode on", "panels off"
ANYTHING = "\x00"  # stands for a value filled into a message


def for_staff(text: str) -> bool:
    """Return whether a message is meant for staff, not for a visitor (in either language)."""
    return any(pattern.fullmatch(text) for lang in LANGUAGES for pattern in _staff_patterns(lang))


@lru_cache(maxsize=4)
def _staff_patterns(lang: str) -> tuple[re.Pattern, ...]:
    filled = [_pattern(tr(lang, key, **{name: ANYTHING for name in _fields(key)})) for key in STAFF_MESSAGES]
    filled += [_pattern(tr(lang, "msg.toggle", what=tr(lang, what), state=ANYTHING)) for what in STAFF_SWITCHES]
    return tuple(filled)


def _fields(key: str) -> set[str]:
    return {name for text in STRINGS[key] for _, name, _, _ in string.Formatter().parse(text) if name}


def _pattern(text: str) -> re.Pattern:
    return re.compile(".+".join(re.escape(part) for part in text.split(ANYTHING)), re.DOTALL)


_LOGGER: logging.Logger | None = None


def crash_logger() -> logging.Logger:
    """Return the logger that writes unexpected errors to gdviz.log in the user's log folder."""
    global _LOGGER
    if _LOGGER is None:
        _LOGGER = logging.getLogger("gdviz.crash")
        _LOGGER.propagate = False
        try:
            folder = storage.log_dir()
            folder.mkdir(parents=True, exist_ok=True)
            handler: logging.Handler = logging.handlers.RotatingFileHandler(
                folder / "gdviz.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        except OSError:
            handler = logging.NullHandler()  # nowhere to write: carry on without a log
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        _LOGGER.addHandler(handler)
    return _LOGGER


def log_crash(error: BaseException, where: str) -> None:
    """Write an unexpected error with its traceback to the log file (never to the screen)."""
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    crash_logger().error("unexpected error in %s; restarting at the title\n%s", where, text)
