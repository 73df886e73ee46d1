"""Swarms: thousands of balls dropped on a grid, to map which valley each start leads to.

The picture this makes is a map of basins of attraction: colour each start point by the
minimum its ball ended in. `Swarm` is one such grid being played in the game: it rolls
until every ball has stopped (or SWARM_STEPS have passed) and then makes its basin map.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gdviz.core.sim import CONVERGED, DIVERGED, BallSpec, Race
from gdviz.core.surfaces import Point, Surface

DIVERGED_BASIN = -2
NO_BASIN = -1


def grid_starts(bounds: Sequence[tuple[float, float]], columns: int, rows: int) -> np.ndarray:
    """Return the centres of a columns × rows grid over 2-D bounds, row by row from the top.

    Shape (rows * columns, 2). For 1-D bounds, `rows` is ignored: shape (columns, 1).
    """
    (x0, x1) = bounds[0]
    xs = x0 + (np.arange(columns) + 0.5) * (x1 - x0) / columns
    if len(bounds) == 1:
        return xs[:, None]
    (y0, y1) = bounds[1]
    ys = y1 - (np.arange(rows) + 0.5) * (y1 - y0) / rows
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def classify(positions: np.ndarray, minima: Sequence[Point], tolerance: float,
             diverged: np.ndarray | None = None) -> np.ndarray:
    """Return, per ball, the index of the minimum it sits within `tolerance` of.

    Balls near no known minimum get NO_BASIN; balls flagged in `diverged` get DIVERGED_BASIN.
    """
    result = np.full(positions.shape[0], NO_BASIN, dtype=np.int64)
    if minima:
        centres = np.array([m.location for m in minima])
        gaps = np.linalg.norm(positions[:, None, :] - centres[None, :, :], axis=2)
        nearest = gaps.argmin(axis=1)
        close = gaps[np.arange(len(nearest)), nearest] <= tolerance
        result[close] = nearest[close]
    if diverged is not None:
        result[diverged] = DIVERGED_BASIN
    return result


def found_minima(positions: np.ndarray, settled: np.ndarray, tolerance: float, most: int = 12) -> list[Point]:
    """Group where settled balls ended into at most `most` places: minima found by the swarm itself.

    Used when a surface (a typed function, say) has no known minima to colour basins by.
    """
    ends = positions[settled]
    centres: list[np.ndarray] = []
    counts: list[int] = []
    for point in ends[: 20000]:
        for i, centre in enumerate(centres):
            if np.max(np.abs(point - centre)) <= tolerance:
                counts[i] += 1
                break
        else:
            if len(centres) < 4 * most:
                centres.append(point)
                counts.append(1)
    order = np.argsort(counts)[::-1][:most]
    return [Point(tuple(float(c) for c in centres[i]), 0.0) for i in order]


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
    """A grid of balls rolling with one optimizer, and the basin map once they settle."""

    race: Race
    area: SwarmArea
    optimizer: str
    basins: np.ndarray | None = None

    @property
    def starts(self) -> np.ndarray:
        return self.race.specs[0].start

    def advance(self, steps: int) -> bool:
        """Roll the swarm `steps` steps; return True when its basin map has just been made."""
        if self.basins is not None or steps == 0:
            return False
        self.race.step(steps)
        ball = self.race.balls[0]
        if not (np.all(ball.status != 0) or self.race.step_count >= SWARM_STEPS):
            return False
        surface = self.race.surface
        tolerance = 0.02 * float(np.max(surface.view_span()))
        minima = surface.minima or found_minima(ball.position, ball.status == CONVERGED, tolerance)
        self.basins = classify(ball.position, minima, tolerance, ball.status == DIVERGED)
        return True


def new_swarm(surface: Surface, spec: BallSpec, area: SwarmArea, seed: int) -> Swarm:
    """Return a swarm of balls made like `spec` (optimizer, settings, schedule) over `area`."""
    starts = grid_starts(area.bounds, *area.grid)
    spec = BallSpec(spec.optimizer, dict(spec.hyper), spec.schedule, starts)
    race = Race(surface, [spec], view=area.bounds, trail_length=2, history_bytes=0, seed=seed)
    return Swarm(race, area, spec.optimizer)
