"""Swarms: thousands of balls dropped on a grid, to map which valley each start leads to.

The picture this makes is a map of basins of attraction: colour each start point by the
minimum its ball ended in. `Swarm` is one such grid being played in the game: it rolls
until every ball has stopped (or SWARM_STEPS have passed) and then makes its basin map
the way `gdviz.basins` does (see basins.py), so it works on any surface.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gdviz.core.basins import WINDOW, grid_starts, label_places, settled_places
from gdviz.core.sim import DIVERGED, RUNNING, BallSpec, Race
from gdviz.core.surfaces import Point, Surface

__all__ = ["DIVERGED_BASIN", "NO_BASIN", "SWARM_BALLS", "SWARM_STEPS", "Swarm", "SwarmArea", "grid_starts",
           "new_swarm"]

DIVERGED_BASIN = -2
NO_BASIN = -1


# --- a swarm being played ---------------------------------------------------------------

SWARM_BALLS = 4000
SWARM_STEPS = 1500  # a swarm that has not settled by now stops and shows its basin map


@dataclass(frozen=True)
class SwarmArea:
    """Where a swarm's balls start: world bounds (one pair per axis) and a columns × rows grid.

    The screen decides both (the visible part of the map, and a grid shaped like it).
    """

    bounds: tuple[tuple[float, float], ...]
    grid: tuple[int, int]

    @staticmethod
    def covering(bounds: Sequence[tuple[float, float]], balls: int = SWARM_BALLS) -> "SwarmArea":
        """Return a roughly square grid of about `balls` starts over `bounds` (for use off-screen)."""
        bounds = tuple((float(lo), float(hi)) for lo, hi in bounds)
        if len(bounds) == 1:
            return SwarmArea(bounds, (balls, 1))
        side = max(int(round(np.sqrt(balls))), 4)
        return SwarmArea(bounds, (side, max(balls // side, 4)))


@dataclass
class Swarm:
    """A grid of balls rolling with one optimizer, and the basin map once they settle.

    `basins` holds, per start (in `grid_starts` order), the index of the minimum in
    `minima` its ball settled in, NO_BASIN if it never settled, or DIVERGED_BASIN if it
    flew off the map.
    """

    race: Race
    area: SwarmArea
    optimizer: str
    basins: np.ndarray | None = None
    minima: tuple[Point, ...] = ()

    @property
    def starts(self) -> np.ndarray:
        return self.race.specs[0].start

    def advance(self, steps: int) -> bool:
        """Roll the swarm `steps` steps; return True when its basin map has just been made."""
        if self.basins is not None or steps == 0:
            return False
        self.race.step(steps)
        ball = self.race.balls[0]
        if np.any(ball.status == RUNNING) and self.race.step_count < SWARM_STEPS:
            return False
        places, stray = settled_places(ball)
        basins, self.minima = label_places(self.race.surface, places, stray, self.area.bounds)
        basins[ball.status == DIVERGED] = DIVERGED_BASIN
        self.basins = basins
        return True


def new_swarm(surface: Surface, spec: BallSpec, area: SwarmArea, seed: int, *,
              noise: float = 0.0, batch_size: int | None = None) -> Swarm:
    """Return a swarm of balls made like `spec` (optimizer, settings, schedule) over `area`.

    `noise` and `batch_size` are the level's: its balls feel the same noisy slopes.
    """
    starts = grid_starts(area.bounds, *area.grid)
    spec = BallSpec(spec.optimizer, dict(spec.hyper), spec.schedule, starts)
    # The last WINDOW positions tell a ball that keeps bouncing in one place from one still on its way.
    race = Race(surface, [spec], view=area.bounds, noise=noise, batch_size=batch_size, seed=seed,
                trail_length=WINDOW, history_bytes=0)
    return Swarm(race, area, spec.optimizer)
