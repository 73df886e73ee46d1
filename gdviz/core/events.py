"""What a play session reports back: the events the screen shows.

`PlaySession.apply` and `PlaySession.advance` return lists of these. They are plain values,
so the rules can be tested without a screen; the screen turns them into overlays and
messages in the player's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


class OptimizerName(str):
    """An optimizer's identifier inside a message; the screen shows it in the player's language."""


class Number(float):
    """A number inside a message; the screen writes it as its look wants (3 significant figures)."""


class Word(str):
    """The key of a word inside a message ("msg.on", "msg.first"); the screen translates it."""


@dataclass(frozen=True)
class Say:
    """Show the message `key` (a gdviz.ui.strings key) filled in with `values`."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Paused:
    """The race stopped playing."""


@dataclass(frozen=True)
class Resumed:
    """The race started playing."""


@dataclass(frozen=True)
class Won:
    """The player's ball is home, `steps` steps after it started: `stars` out of MAX_STARS.

    `settled`: it had to stay in the goal (the usual rule), not only enter it (a checkpoint).
    """

    stars: int
    steps: int
    par: int | None
    settled: bool = True


@dataclass(frozen=True)
class LevelLoaded:
    """Level number `index` (of the session's list) was started afresh."""

    index: int
    level_id: str


Event = Say | Paused | Resumed | Won | LevelLoaded
