"""Basins of attraction for any surface: which valley each start point rolls into.

Drop a ball on every point of a grid and let them all roll. A ball has settled if it
stopped, or if it keeps bouncing inside a small region; its place is where it stopped, or
the middle of its bounce. Places close together are grouped, each group is polished into an
exact point by Newton's method on the exact gradient, and kept only if that point really
is a minimum: slope about zero and curving up in every direction. Every start then gets the
number of the minimum its ball settled in, or -1 if it flew away or never settled.

Nothing here needs the surface to list its minima: a typed function works just as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from gdviz.core.schedules import Schedule
from gdviz.core.sim import CONVERGED, DIVERGED, NO_SLOPE, RUNNING, Ball, BallSpec, Race, resolve_surface
from gdviz.core.surfaces import Point, Surface

# Sizes are fractions of the view's widest side, so they suit a surface of any size.
WINDOW = 50  # a ball still moving at the end is placed at the mean of this many last positions
BOUNCE = 0.1  # ...and has settled only if those stray from that mean by at most this (root mean square):
# RMSProp keeps rattling across its valley with steps about as long as its learning rate, which
# on level 11 is 5 % of the view; a ball swinging wider than this has not settled anywhere.
REACH = 0.02  # how far from its minimum a settled place may be, plus twice the ball's own stray
CELL = 0.005  # places in one square this wide are polished together, as one group
SAME = 1e-5  # polished points closer than this are one minimum
POLISH_STEPS = 40
FLAT = 1e-6  # a minimum's slope is below this share of the surface's typical slope
CHECK_EVERY = 50  # steps between checks whether every ball has stopped


@dataclass(frozen=True)
class BasinMap:
    """Which minimum each start's ball settled in.

    `labels` has shape (rows, columns) for a 2-D surface, top row first like the map, or
    (columns,) in 1-D; each entry is an index into `minima` (lowest minimum first) or -1.
    `starts` and `ends` (one row per ball, in the same order as `labels.ravel()`) say where
    each ball started and where it settled (NaN where it flew away).
    """

    labels: np.ndarray
    minima: tuple[Point, ...]
    starts: np.ndarray
    ends: np.ndarray

    @property
    def coverage(self) -> float:
        """Return the share of starts whose ball settled in a minimum."""
        return float(np.mean(self.labels >= 0))


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


# --- where each ball ended ----------------------------------------------------------------


def settled_places(ball: Ball, window: int = WINDOW) -> tuple[np.ndarray, np.ndarray]:
    """Return where each point of `ball` settled and how far it still strays from there.

    A stopped point's place is where it stopped (stray 0); a moving one's is the mean of its
    last `window` positions, and its stray their root-mean-square distance from that mean
    (the radius of a steady bounce; about 1.4 standard deviations of noisy jitter in 2-D).
    Points that flew away, or stopped where the surface has no slope, get place NaN and stray
    infinity: they settled in no minimum.
    """
    recent = ball.trail(window)
    places = recent.mean(axis=0)
    stray = np.sqrt(((recent - places) ** 2).sum(axis=2).mean(axis=0))
    stopped = ball.status == CONVERGED
    places[stopped], stray[stopped] = ball.position[stopped], 0.0
    gone = (ball.status == DIVERGED) | (ball.status == NO_SLOPE)
    places[gone], stray[gone] = np.nan, np.inf
    return places, stray


# --- polishing a place into a minimum ----------------------------------------------------


def _hessians(surface: Surface, points: np.ndarray, h: float) -> np.ndarray:
    """Return the Hessian at each point, shape (n, d, d), from central differences of the gradient."""
    cols = []
    for j in range(points.shape[1]):
        step = np.zeros(points.shape[1])
        step[j] = h
        cols.append((surface.grad(points + step) - surface.grad(points - step)) / (2 * h))
    hess = np.stack(cols, axis=2)
    return 0.5 * (hess + hess.transpose(0, 2, 1))


def _curvatures(hess: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the smallest and largest eigenvalue of each symmetric 1 × 1 or 2 × 2 Hessian."""
    # In closed form: numpy's eigh takes about a microsecond per tiny matrix, too slow for thousands.
    if hess.shape[1] == 1:
        return hess[:, 0, 0], hess[:, 0, 0]
    a, b, c = hess[:, 0, 0], hess[:, 0, 1], hess[:, 1, 1]
    middle, radius = 0.5 * (a + c), np.hypot(0.5 * (a - c), b)
    return middle - radius, middle + radius


def _newton_steps(grad: np.ndarray, hess: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return Newton steps that go downhill (subtract them from the points) and where the surface is convex.

    The step divides by |H|, the Hessian with every curvature made positive, not by H itself:
    plain Newton heads for the nearest flat point, saddles and peaks included, while this one
    walks away from them. Points where some curvature is zero get NaN steps.
    """
    low, high = _curvatures(hess)
    if hess.shape[1] == 1:
        return grad / np.abs(low)[:, None], low > 0
    a, b, c = hess[:, 0, 0], hess[:, 0, 1], hess[:, 1, 1]
    # For a 2 × 2 H with curvatures l1, l2: |H| = (H² + |l1·l2|·I) / (|l1| + |l2|), and det |H| = |l1·l2|.
    product, total = np.abs(low * high), np.abs(low) + np.abs(high)
    p, q, r = (a * a + b * b + product) / total, b * (a + c) / total, (b * b + c * c + product) / total
    steps = np.stack([r * grad[:, 0] - q * grad[:, 1], p * grad[:, 1] - q * grad[:, 0]], axis=1) / product[:, None]
    return steps, low > 0


def polish(surface: Surface, points: np.ndarray, span: float, slope: float,
           reach: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Polish each point into the nearest minimum; return the polished points and which are minima.

    Each point takes up to POLISH_STEPS Newton steps downhill on the exact gradient (none
    longer than REACH of the view), and gives up once the minimum it heads for is farther
    than its `reach`; then `_is_minimum` judges where it got to, with `slope` (the surface's
    typical slope) as the scale of "flat".
    """
    h, p = 1e-6 * span, points.copy()
    moving = np.ones(len(p), dtype=bool)
    with np.errstate(all="ignore"):
        for _ in range(POLISH_STEPS):
            todo = np.nonzero(moving)[0]
            if not todo.size:
                break
            q = p[todo]
            steps, convex = _newton_steps(surface.grad(q), _hessians(surface, q, h))
            steps[~np.isfinite(steps)] = 0.0
            length = np.sqrt((steps**2).sum(axis=1))
            p[todo] = q - steps * np.minimum(1.0, REACH * span / np.maximum(length, 1e-300))[:, None]
            # Where the surface curves up, Newton's full step says roughly how far the minimum still
            # is; only half of it counts, as the guess can overshoot where the surface is not a bowl.
            aim = np.where(convex, 0.5 * length, 0.0) + np.sqrt(((p[todo] - points[todo]) ** 2).sum(axis=1))
            moving[todo] = (length >= 1e-12 * span) & (aim <= reach[todo])
        return p, _is_minimum(surface, p, span, slope) & np.isfinite(p).all(axis=1)


def _is_minimum(surface: Surface, points: np.ndarray, span: float, slope: float) -> np.ndarray:
    """Return, per point, whether it is a minimum: flat, and curving up in every direction.

    Flat: the gradient is below FLAT × `slope`. Curving up: every eigenvalue of the Hessian
    is positive. Where the curvature is zero in some direction (the bottom of x⁴), the
    surface must instead rise on every side: a small ring of points around it all lie higher.
    """
    bend = FLAT * slope / span
    flat = np.sqrt((surface.grad(points) ** 2).sum(axis=1)) <= FLAT * slope
    curv = _curvatures(_hessians(surface, points, 1e-6 * span))[0]
    if points.shape[1] == 1:
        ring = np.array([[1.0], [-1.0]])
    else:
        angles = np.arange(8) * np.pi / 4
        ring = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    around = surface.value(points[:, None, :] + CELL * span * ring)
    rises = (around > surface.value(points)[:, None]).all(axis=1)
    return flat & ((curv > bend) | ((curv > -bend) & rises))


def typical_slope(surface: Surface, bounds: np.ndarray) -> float:
    """Return the median gradient length over a coarse grid of the view: the surface's slope scale."""
    with np.errstate(all="ignore"):
        grads = surface.grad(grid_starts(bounds, 9, 9))
    lengths = np.sqrt((grads**2).sum(axis=1))
    lengths = lengths[np.isfinite(lengths)]
    middle = float(np.median(lengths)) if lengths.size else 0.0
    return middle if middle > 0 else 1.0  # a flat view has no scale of its own


# --- grouping places into minima -----------------------------------------------------------


def _squares(points: np.ndarray, size: float) -> np.ndarray:
    """Return a group number per point: the square of side `size` it lies in."""
    index = np.floor(points / size).astype(np.int64)
    index -= index.min(axis=0)
    key = index[:, 0]
    for col in range(1, index.shape[1]):
        key = key * (int(index[:, col].max()) + 1) + index[:, col]
    return np.unique(key, return_inverse=True)[1].ravel()


def _close_pairs(points: np.ndarray, gap: float) -> tuple[np.ndarray, np.ndarray]:
    """Return the pairs (i, j) of points within `gap` of each other on every axis."""
    order = np.argsort(points[:, 0], kind="stable")
    ranked = points[order]
    firsts, seconds = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    # Sorted by x, a point's close partners are its next few neighbours: compare each
    # point with the one k places on, for k = 1, 2, ... until no x-gap is small enough.
    for k in range(1, len(points)):
        if not (ranked[k:, 0] - ranked[:-k, 0] <= gap).any():
            break
        close = np.nonzero((np.abs(ranked[k:] - ranked[:-k]) <= gap).all(axis=1))[0]
        firsts.append(order[close])
        seconds.append(order[close + k])
    return np.concatenate(firsts), np.concatenate(seconds)


def join(points: np.ndarray, gap: float) -> np.ndarray:
    """Return a group number per point; points within `gap` on every axis (or chained so) share one."""
    first, second = _close_pairs(points, gap)
    group = np.arange(len(points))
    while True:
        low = np.minimum(group[first], group[second])
        new = group.copy()
        np.minimum.at(new, first, low)
        np.minimum.at(new, second, low)
        new = new[new]  # follow each point's group to that group's own group: fewer rounds
        if np.array_equal(new, group):
            return np.unique(group, return_inverse=True)[1].ravel()
        group = new


def _distinct_minima(surface: Surface, polished: np.ndarray, is_min: np.ndarray,
                     span: float) -> tuple[list[Point], np.ndarray]:
    """Merge polished points that are one minimum; return the minima (lowest first) and, per point, its index or -1."""
    which = np.full(len(polished), -1)
    good = np.nonzero(is_min)[0]
    if not good.size:
        return [], which
    fine = _squares(polished[good], SAME * span)  # exact repeats first, so `join` sees few points
    reps = np.zeros((fine.max() + 1, polished.shape[1]))
    reps[fine] = polished[good]
    group = join(reps, SAME * span)
    centres = np.zeros((group.max() + 1, polished.shape[1]))
    centres[group] = reps
    heights = surface.value(centres)
    rank = np.lexsort(tuple(centres.T[::-1]) + (heights,))
    place = np.empty_like(rank)
    place[rank] = np.arange(len(rank))
    which[good] = place[group[fine]]
    return [Point(tuple(float(c) for c in centres[i]), float(heights[i])) for i in rank], which


def _group_means(points: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Return the mean point of each group."""
    counts = np.bincount(groups)
    return np.stack([np.bincount(groups, weights=points[:, j]) / counts for j in range(points.shape[1])], axis=1)


def label_places(surface: Surface, places: np.ndarray, stray: np.ndarray,
                 bounds: Sequence[tuple[float, float]]) -> tuple[np.ndarray, tuple[Point, ...]]:
    """Return, per ball, the index of the minimum it settled in (or -1), and those minima.

    `places` and `stray` come from `settled_places`; `bounds` is the view the balls
    started in, which sets the scale of "close".
    """
    view = np.asarray(bounds, dtype=float)
    span = float((view[:, 1] - view[:, 0]).max())
    labels = np.full(len(places), -1)
    settled = np.nonzero(stray <= BOUNCE * span)[0]
    if not settled.size:
        return labels, ()
    squares = _squares(places[settled], CELL * span)
    allowed = REACH * span + 2 * stray[settled]
    # A group's minimum may lie as far away as its farthest-reaching ball allows, plus the square's width.
    reach = np.zeros(squares.max() + 1)
    np.maximum.at(reach, squares, allowed + 1.5 * CELL * span)
    polished, is_min = polish(surface, _group_means(places[settled], squares), span,
                              typical_slope(surface, view), reach)
    minima, which = _distinct_minima(surface, polished, is_min, span)
    which = which[squares]
    centres = np.array([m.location for m in minima] or [places[0]])[np.maximum(which, 0)]
    near = np.sqrt(((places[settled] - centres) ** 2).sum(axis=1)) <= allowed
    labels[settled] = np.where(near & (which >= 0), which, -1)
    return _only_used(labels, minima)


def _only_used(labels: np.ndarray, minima: list[Point]) -> tuple[np.ndarray, tuple[Point, ...]]:
    """Drop minima no ball settled in (their balls were too far away) and renumber the rest."""
    used = np.unique(labels[labels >= 0])
    new_number = np.full(len(minima) + 1, -1)
    new_number[used] = np.arange(len(used))
    return new_number[labels], tuple(minima[i] for i in used)


# --- the notebook API -----------------------------------------------------------------------


def roll(race: Race, steps: int) -> None:
    """Step `race` up to `steps` times, stopping early once no ball is still running."""
    while race.step_count < steps:
        race.step(min(CHECK_EVERY, steps - race.step_count))
        if all(np.all(ball.status != RUNNING) for ball in race.balls):
            return


def basins(
    surface: Surface | str,
    optimizer: str = "gd",
    grid: tuple[int, int] | int = (60, 60),
    steps: int = 1500,
    *,
    bounds: Sequence[tuple[float, float]] | None = None,
    noise: float = 0.0,
    batch_size: int | None = None,
    seed: int = 0,
    schedule: Schedule | None = None,
    **hyperparams: Any,
) -> BasinMap:
    """Roll a ball from every point of a grid; map which minimum each one settles in.

    >>> m = basins("x**4 - 2*x**2 + 0.3*x", "gd", grid=40, steps=500, lr=0.05)
    >>> m.labels.shape, [round(p.location[0], 2) for p in m.minima], m.coverage
    ((40,), [-1.04, 0.96], 1.0)
    """
    surf = resolve_surface(surface)
    view = tuple(bounds if bounds is not None else surf.bounds)
    columns, rows = (grid, grid) if isinstance(grid, int) else grid
    starts = grid_starts(view, columns, rows)
    spec = BallSpec(optimizer, hyperparams, schedule or Schedule(), starts)
    race = Race(surf, [spec], view=view, noise=noise, batch_size=batch_size, seed=seed,
                trail_length=WINDOW, history_bytes=0)
    roll(race, steps)
    places, stray = settled_places(race.balls[0])
    labels, minima = label_places(surf, places, stray, view)
    shape = (columns,) if surf.dims == 1 else (rows, columns)
    return BasinMap(labels.reshape(shape), minima, starts, places)
