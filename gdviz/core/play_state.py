"""The small pieces of state a play session keeps: which glyphs show, the glide between steps,
where step-by-step mode stands, what a ball's next step will do — and the rules for stars and
for the learning rate a step uses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from gdviz.core import stages
from gdviz.core.optimizers import Trace

SLOW_PAR = 4  # a ball home after more than this many times par earns no star



@dataclass
class Toggles:
    """Which glyphs are drawn."""

    grad: bool = True
    velocity: bool = True
    squares: bool = False
    update: bool = True
    trails: bool = True
    hud: bool = True


@dataclass
class Motion:
    """Where balls were before the last step, so drawing can glide between steps."""

    previous: list[np.ndarray] = field(default_factory=list)
    progress: float = 1.0
    duration: float = 0.1


@dataclass
class StepMode:
    """Step-by-step mode: the stages of the selected ball's next update, and where we are.

    `came_from` is the stage we just left (None at the start of an update) and `progress`
    how far (0 to 1) the picture has moved from that stage's glyphs to this one's.
    """

    views: tuple[stages.StageView, ...]
    index: int = 0
    came_from: int | None = None
    progress: float = 1.0

    @property
    def current(self) -> stages.StageView:
        return self.views[self.index]

    @property
    def previous(self) -> stages.StageView | None:
        return None if self.came_from is None else self.views[self.came_from]

    def go_to(self, index: int) -> None:
        """Move to stage `index`; a move made while the last one is still showing is instant
        (a held arrow key walks through the stages without waiting for each picture)."""
        self.progress = 1.0 if self.progress < 1.0 else 0.0
        self.came_from, self.index = self.index, index


@dataclass(frozen=True)
class Preview:
    """What a ball's next step will do: its numbers (`trace`) and what is drawn for it.

    `glyphs` maps a glyph kind (grad, velocity, squares, direction, step; see
    stages.EVERYDAY) to that quantity for this ball, shape (d,).
    """

    position: np.ndarray
    trace: Trace
    glyphs: Mapping[str, np.ndarray] = field(default_factory=dict)


def stars_for(steps: int, par: int | None) -> int:
    """Return 3 stars within par, 2 within twice par, 1 within SLOW_PAR × par, 0 after that."""
    if par is None or steps <= par:
        return 3
    if steps <= 2 * par:
        return 2
    return 1 if steps <= SLOW_PAR * par else 0


def next_lr(ball, lr_override: float | None = None) -> float:
    """Return the learning rate a ball's next step uses: its base rate times its schedule."""
    base = ball.optimizer.lr if lr_override is None else lr_override
    return base * ball.schedule.factor(ball.steps + 1)
