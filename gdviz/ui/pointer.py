"""Fingers and the mouse as one pointer: a press, the moves of a drag, a release.

A touch screen reaches the game twice: as FINGERDOWN / FINGERMOTION / FINGERUP events
(x and y are fractions of the window, 0 to 1), and — unless SDL_TOUCH_MOUSE_EVENTS is 0 —
as mouse events SDL makes up from them, marked `touch=True`. With SDL_MOUSE_TOUCH_EVENTS=1
the mouse is copied the other way, as fingers of the made-up touch device -1. The game
handles each device once: real fingers as fingers, the real mouse as the mouse, and every
made-up copy is ignored (`synthesized`), so a tap never acts twice.

Some copies are not marked: X11 and Windows can send their own mouse click for a touch, with
`touch=False` (pygame-ce #1514, SDL #14656; fixed only in SDL3). So the two devices are also
told apart by time and place: a press within SAME_TOUCH_SECONDS of the other device's press or
release, and within a fingertip of it, is the same touch arriving twice (`Echo`), and it — with
its moves and release — is ignored. The mouse used on its own, and a second tap of a finger,
still act.

One finger (or the left mouse button) is followed at a time: each new press starts a new
gesture, and the moves and release of a finger pressed before it are ignored — so a palm
resting on the screen never blocks the finger that taps, and a lost release (a finger the
system took for its own gesture) never leaves the game waiting. No gesture needs two
fingers or a long press.

A press that changes what is on screen (opens a level, a box, the help; goes to the next
level) is used up by that change: the new screen ignores presses that began before it
appeared (`SceneGuard`), so a double click on a level's row, or a tap that also arrives as
a click, never lands on the level it opened.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pygame

from gdviz.core.commands import Pixel

MOUSE_TOUCH_ID = -1  # SDL_MOUSE_TOUCHID: the made-up touch device that copies the mouse
# In the order press, move, release.
FINGER_EVENTS = (pygame.FINGERDOWN, pygame.FINGERMOTION, pygame.FINGERUP)
MOUSE_EVENTS = (pygame.MOUSEBUTTONDOWN, pygame.MOUSEMOTION, pygame.MOUSEBUTTONUP)
MOUSE = ("mouse", 0)  # the id of the left mouse button as a pointer
# Presses other than the pointer's: each one is meant for the screen the player saw.
PRESS_EVENTS = (pygame.KEYDOWN, pygame.TEXTINPUT, pygame.JOYBUTTONDOWN, pygame.JOYHATMOTION)
DOUBLE_PRESS_SECONDS = 0.5  # a second press this soon, on the same spot, ends a double click (Windows' default)
SAME_TOUCH_SECONDS = 0.5  # the other device's press this soon after a contact, that near it, is its copy


@dataclass(frozen=True)
class Gesture:
    """What the pointer did: "press", "move" (while down) or "release", and where."""

    kind: str
    at: Pixel
    finger: bool  # a finger (True) or the mouse (False)


def synthesized(event: pygame.event.Event) -> bool:
    """Return whether SDL made this event up from another device (mouse from touch, or back)."""
    if event.type in MOUSE_EVENTS or event.type == pygame.MOUSEWHEEL:
        return bool(getattr(event, "touch", False))
    if event.type in FINGER_EVENTS:
        return getattr(event, "touch_id", 0) == MOUSE_TOUCH_ID
    return False


def is_pointer(event: pygame.event.Event) -> bool:
    """Return whether the event is a finger or a mouse button / motion event."""
    return event.type in FINGER_EVENTS or event.type in MOUSE_EVENTS


def finger_pixel(event: pygame.event.Event, size: tuple[int, int]) -> Pixel:
    """Return the window pixel a finger event's fractions (0 to 1) point at, kept inside the window."""
    width, height = size
    x = min(max(int(float(getattr(event, "x", 0.0)) * width), 0), max(width - 1, 0))
    y = min(max(int(float(getattr(event, "y", 0.0)) * height), 0), max(height - 1, 0))
    return Pixel(x, y)


@dataclass(frozen=True)
class Contact:
    """Where and when a finger (or the mouse) last pressed or let go."""

    finger: bool
    at: Pixel
    when: float

    def echoed_by(self, finger: bool, at: Pixel, now: float, reach: float) -> bool:
        """Return whether a press of the other device at `at`, `now`, is this contact again."""
        return (finger != self.finger and now - self.when < SAME_TOUCH_SECONDS
                and math.hypot(at.x - self.at.x, at.y - self.at.y) <= reach)


class Pointer:
    """Follows the finger or mouse button pressed last and reports its gestures."""

    def __init__(self) -> None:
        self.down: tuple | None = None  # the finger (touch_id, finger_id) or MOUSE followed now
        self.contact: Contact | None = None  # the last press or release that acted
        self.echo: tuple | None = None  # the finger or MOUSE whose gesture copies that one: ignored

    def feed(self, event: pygame.event.Event, size: tuple[int, int], now: float = 0.0,
             reach: float = 0.0) -> Gesture | None:
        """Return the gesture a real finger or mouse event makes, if any: not one SDL made up, nor
        the other device's copy of the touch before it (within `reach` pixels, at time `now`)."""
        if synthesized(event):
            return None
        if event.type in FINGER_EVENTS:
            who = (getattr(event, "touch_id", 0), getattr(event, "finger_id", 0))
            kind, at, finger = FINGER_EVENTS.index(event.type), finger_pixel(event, size), True
        elif event.type in MOUSE_EVENTS and getattr(event, "button", 1) == 1:
            who, kind, finger = MOUSE, MOUSE_EVENTS.index(event.type), False
            at = Pixel(*(int(v) for v in getattr(event, "pos", (0, 0))))
        else:
            return None
        if self._echoes(kind, who, Contact(finger, at, now), reach):
            return None
        gesture = self._follow(kind, who, at, finger)
        if gesture is not None and gesture.kind != "move":
            self.contact = Contact(finger, at, now)
        return gesture

    def copies_touch(self, at: Pixel, now: float, reach: float) -> bool:
        """Return whether the mouse at `at`, `now`, is where a finger just was (the system's copy)."""
        return self.contact is not None and self.contact.echoed_by(False, at, now, reach)

    def _echoes(self, kind: int, who: tuple, event: Contact, reach: float) -> bool:
        """Whether this event belongs to the other device's copy of the last touch (see `echo`)."""
        if kind == 0:
            copy = self.contact is not None and self.contact.echoed_by(event.finger, event.at, event.when, reach)
            self.echo = who if copy else (None if self.echo == who else self.echo)
            return copy
        if who != self.echo:
            return False
        if kind == 2:
            self.echo = None
        return True

    def _follow(self, kind: int, who: tuple, at: Pixel, finger: bool) -> Gesture | None:
        """kind 0 press, 1 move, 2 release (the order of FINGER_EVENTS and MOUSE_EVENTS)."""
        if kind == 0:
            self.down = who
            return Gesture("press", at, finger)
        if self.down != who:
            return None  # not the finger followed now (an earlier one, or one that cancelled a countdown)
        if kind == 2:
            self.down = None
            return Gesture("release", at, finger)
        return Gesture("move", at, finger)


class SceneGuard:
    """Keeps presses meant for one screen from acting on the next one.

    The game tells it what is on top after every input and once a frame before reading input
    (`look`, with the frame in which that screen was first drawn). A screen that came on top
    in frame F was first drawn at the end of frame F, so presses read in frames F and F + 1
    may have begun before it could be seen (SDL gives events no time stamp, so "may" is
    counted as "did"): they are ignored. So is the second press of a double click or double
    tap — within DOUBLE_PRESS_SECONDS of the press that opened the screen, and within a
    fingertip of where it landed — at whatever frame rate it arrives.
    """

    def __init__(self) -> None:
        self.shown: Any = None  # what the top scene showed (Scene.on_screen) when last looked at
        self.looked = False
        self.since = -10  # the frame it came on top (the first screen: long ago)
        self.last_press: tuple[Pixel, float] | None = None  # the last pointer press and when
        self.opening: tuple[Pixel, float] | None = None  # the pointer press before the screen changed

    def look(self, scene: Any, frame: int) -> bool:
        """Note the scene on top now; return whether what it shows changed (then counting it as
        on top since `frame`). The first screen of all counts as there from the start."""
        shown = scene.on_screen() if scene is not None else None
        if shown == self.shown:  # (scenes are equal only to themselves)
            return False
        if self.looked:
            self.since, self.opening = frame, self.last_press
        self.shown, self.looked = shown, True
        return True

    def pressed(self, at: Pixel, now: float) -> None:
        """Remember a pointer press that reached the game (a double click starts with one)."""
        self.last_press = (at, now)

    def blocks(self, frame: int, at: Pixel | None = None, now: float = 0.0, reach: float = 0.0) -> bool:
        """Return whether a press read in `frame` (a pointer press at `at`, `now`) is too early for
        the screen on top: begun before it appeared, or the end of the double click that opened it."""
        if frame - self.since <= 1:
            return True
        if at is None or self.opening is None:
            return False
        first, when = self.opening
        return now - when < DOUBLE_PRESS_SECONDS and math.hypot(at.x - first.x, at.y - first.y) <= reach
