"""Robust lessons: a level's claim must still hold after small changes to the level.

A lesson that is true at one learning rate, one start and one seed only teaches luck. Here a
level's lesson check (lessons.run_check) is played again on changed copies of the level, as its
`[check.robust]` table asks: the balls' learning rates scaled (×½ and ×2 unless stated), every
start moved a little in 8 directions, and — on levels with noise or mini-batches — every change
played with 20 or more seeds. Each failed claim becomes one line naming the change, such as
"lr ×2: momentum took 45 steps to reach the goal (wanted below 30)".
`python main.py --check-lessons` prints `check_lessons_report`: one line per level.

    >>> from gdviz.core.levels import builtin_levels_dir, load_level
    >>> level = load_level(builtin_levels_dir() / "05-saddle.toml")
    >>> [v.name for v in variants(level)]
    ['as shipped', 'lr ×0.5', 'lr ×2']
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gdviz.core import optimizers
from gdviz.core.lessons import _level_files, run_check
from gdviz.core.levels import Level, LevelError, builtin_levels_dir, load_level
from gdviz.core.sim import BallSpec

DIRECTIONS = 8  # a 2-D start is moved towards 0°, 45°, … 315° (1-D: to the right and left)
WIDE_LR_STEPS = 7  # the wide sweep also tries this many factors spread across the stated range
WIDE_DIRECTIONS = 16  # … moves starts in this many directions, by the radius and by half of it
WIDE_SEEDS = 50  # … and plays noisy levels with at least this many seeds
FAILED_MARK = ": FAILED"
SHIPPED = "as shipped"  # the name of the unchanged level


@dataclass(frozen=True)
class Variant:
    """One changed copy of a level, and the words that name the change (e.g. 'lr ×2')."""

    name: str
    level: Level


@dataclass(frozen=True)
class RobustResult:
    """How a level's lesson check fared under every change: runs, failed runs, failed claims."""

    runs: int
    failed_runs: int
    failures: list[str]  # "<change>: <what was measured> (wanted …)", one per failed claim

    @property
    def passed(self) -> bool:
        """Return whether every claim held in every run."""
        return self.failed_runs == 0


# --- the changes ----------------------------------------------------------------------------------


def _lr(spec: BallSpec) -> float:
    """Return the learning rate a ball uses: its own, or its optimizer's default."""
    return float(spec.hyper.get("lr", optimizers.METHODS[spec.optimizer].defaults["lr"]))


def _scaled(level: Level, factor: float) -> Level:
    """Return the level with the chosen balls' learning rates multiplied by `factor`."""
    chosen = level.check.robust.lr_balls or tuple(b.label for b in level.balls)
    balls = tuple(dataclasses.replace(b, hyper={**b.hyper, "lr": factor * _lr(b)}) if b.label in chosen else b
                  for b in level.balls)
    return dataclasses.replace(level, balls=balls)


def _wide_factors(factors: Sequence[float]) -> list[float]:
    """Return the stated factors and WIDE_LR_STEPS spread evenly (log scale) from the lowest to the highest."""
    low, high = min(factors), max(factors)
    spread = np.geomspace(low, high, WIDE_LR_STEPS) if high > low else []
    return sorted({*factors, *(float(f) for f in spread)} - {1.0})


def _lr_variants(level: Level, wide: bool) -> list[Variant]:
    """Return one copy of the level per learning-rate factor."""
    robust = level.check.robust
    factors = _wide_factors(robust.lr_factors) if wide else robust.lr_factors
    which = f" on {', '.join(robust.lr_balls)}" if robust.lr_balls else ""
    return [Variant(f"lr ×{f:.3g}{which}", _scaled(level, f)) for f in factors]


def _offsets(dims: int, radius: float, wide: bool) -> list[tuple[str, np.ndarray]]:
    """Return (name, offset) for every way a start is moved: ±r in 1-D, a circle of directions in 2-D."""
    radii = (radius, radius / 2) if wide else (radius,)
    if dims == 1:
        return [(f"start moved {sign * r:+.3g}", np.array([sign * r])) for r in radii for sign in (1, -1)]
    count = WIDE_DIRECTIONS if wide else DIRECTIONS
    angles = [360 * k / count for k in range(count)]
    return [(f"start moved {r:.3g} at {a:g}°", r * np.array([math.cos(math.radians(a)), math.sin(math.radians(a))]))
            for r in radii for a in angles]


def _defined(level: Level, point: np.ndarray) -> bool:
    """Return whether the surface has a finite height and slope at `point`."""
    with np.errstate(all="ignore"):
        return bool(np.isfinite(level.surface.value(point)).all() and np.isfinite(level.surface.grad(point)).all())


def _moved(level: Level, offset: np.ndarray) -> Level | None:
    """Return the level with every start moved by `offset` (kept inside the view), or None where undefined."""
    low, high = np.array(level.view, dtype=float).T
    balls = []
    for ball in level.balls:
        start = np.clip(np.asarray(ball.start, dtype=float) + offset, low, high)
        if not _defined(level, start):
            return None
        balls.append(dataclasses.replace(ball, start=tuple(float(c) for c in start)))
    return dataclasses.replace(level, balls=tuple(balls))


def _start_variants(level: Level, wide: bool) -> list[Variant]:
    """Return one copy of the level per start move (none when start_radius is 0)."""
    radius = level.check.robust.start_radius
    if radius == 0:
        return []
    moved = ((name, _moved(level, offset)) for name, offset in _offsets(level.surface.dims, radius, wide))
    return [Variant(name, copy) for name, copy in moved if copy is not None]


def _seeded(changes: list[Variant], level: Level, wide: bool) -> list[Variant]:
    """Play every change with each seed the level asks for (seed, seed + 1, …) on noisy levels."""
    count = level.check.robust.seeds
    if count == 1:
        return changes
    count = max(count, WIDE_SEEDS) if wide else count
    seeds = [level.seed + k for k in range(count)]
    return [Variant(_with_seed(v.name, s, level.seed), dataclasses.replace(v.level, seed=s))
            for v in changes for s in seeds]


def _with_seed(name: str, seed: int, shipped: int) -> str:
    """Name a change played with `seed`: 'lr ×2, seed 3'; the unchanged level is 'seed 3' or 'as shipped'."""
    if name != SHIPPED:
        return f"{name}, seed {seed}"
    return SHIPPED if seed == shipped else f"seed {seed}"


def variants(level: Level, wide: bool = False) -> list[Variant]:
    """Return every changed copy of the level its robustness check plays, the level itself first.

    `wide` widens the sweep: more factors within the stated range, more directions, more seeds.
    """
    changes = [Variant(SHIPPED, level), *_lr_variants(level, wide), *_start_variants(level, wide)]
    return _seeded(changes, level, wide)


# --- playing them ---------------------------------------------------------------------------------


def check_robust(level: Level, wide: bool = False) -> RobustResult:
    """Play the level's lesson check under every change; collect one line per failed claim.

    >>> from gdviz.core.levels import builtin_levels_dir, load_level
    >>> result = check_robust(load_level(builtin_levels_dir() / "05-saddle.toml"))
    >>> result.runs
    3
    """
    runs = variants(level, wide)
    failures: list[str] = []
    failed_runs = 0
    for variant in runs:
        failed = [line[: -len(FAILED_MARK)] for line in run_check(variant.level).lines if line.endswith(FAILED_MARK)]
        failed_runs += bool(failed)
        failures.extend(f"{variant.name}: {line}" for line in failed)
    return RobustResult(len(runs), failed_runs, failures)


def summary(level: Level, result: RobustResult) -> str:
    """Return the one line --check-lessons prints for a level: ok, or the first broken claim."""
    if result.passed:
        return f"{level.id}: ok ({result.runs} runs)"
    return f"{level.id}: FAILED in {result.failed_runs} of {result.runs} runs; first: {result.failures[0]}"


def check_lessons_report(paths: Iterable[str | Path] | None = None, wide: bool = False) -> tuple[list[str], int]:
    """Return what `--check-lessons` prints (one line per level) and its exit status.

    The status is 0 when every lesson holds under every change, 1 when one does not, and 2 when
    a file cannot be read as a level (its line is the usual '<file>: <field>: <problem>').
    Without paths, the shipped levels are checked.
    """
    lines, status = [], 0
    for path in _level_files([builtin_levels_dir()] if paths is None else paths):
        try:
            level = load_level(path)
        except LevelError as error:
            lines.append(str(error))
            status = 2
            continue
        result = check_robust(level, wide)
        lines.append(summary(level, result))
        status = status or (0 if result.passed else 1)
    return lines, status
