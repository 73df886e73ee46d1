"""Lesson checks: play a level by itself and test what its `[check]` section expects.

Every level states what must happen when it runs with no player — for example "the ball with
the big learning rate flies off the map". `run_check` plays the level and says, one sentence
per expectation, what was measured and what was wanted; `check_files` does that for whole
files and folders, so the tests and `python main.py --check-levels` can prove each lesson
really shows its idea.

    >>> from gdviz.core.levels import builtin_levels_dir
    >>> level = load_level(builtin_levels_dir() / "02-bowl-learning-rate.toml")
    >>> run_check(level).passed
    True
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gdviz.core.levels import AXES, Expectation, Level, LevelError, load_level, make_race
from gdviz.core.sim import STATUS_NAMES, Race
from gdviz.core.surfaces import Point


@dataclass(frozen=True)
class CheckResult:
    """The outcome of a lesson check: passed, and one sentence per expectation."""

    passed: bool
    lines: list[str]


# --- measuring a ball and judging what was measured ------------------------------------------


def _nearest(position: np.ndarray, points: Iterable[Point]) -> float:
    """Return the distance from `position` to the nearest of `points`."""
    return min(float(np.linalg.norm(position - np.asarray(p.location))) for p in points)


def _measure(race: Race, level: Level, label: str, quantity: str) -> float | str:
    """Measure `quantity` for the ball called `label` in the race as it stands."""
    index = level.ball_index(label)
    ball = race.balls[index]
    here = ball.position[0]
    if quantity == "status":
        return race.status_name(index)
    if quantity == "steps_to_goal":
        reached = STATUS_NAMES[int(ball.status[0])] == "goal"
        return float(ball.goal_since[0]) if reached else math.inf  # the step it entered the goal for good
    if quantity in ("x", "y"):
        return float(here[AXES.index(quantity)])
    with np.errstate(all="ignore"):
        measures = {
            "loss": lambda: float(level.surface.value(here)),
            "distance_to_start": lambda: float(np.linalg.norm(here - ball.start[0])),
            "distance_to_saddle": lambda: _nearest(here, level.surface.saddles),
            "distance_to_global_minimum": lambda: _nearest(here, [level.surface.global_minimum]),
            "distance_to_nearest_minimum": lambda: _nearest(here, level.surface.minima),
            "distance_to_goal": lambda: _nearest(here, [Point(level.goal.center, 0.0)]),
        }
        return measures[quantity]()


_SENTENCES = {
    "loss": "{b}'s loss is {v}",
    "distance_to_start": "{b} is {v} from its start",
    "distance_to_saddle": "{b} is {v} from the saddle",
    "distance_to_global_minimum": "{b} is {v} from the global minimum",
    "distance_to_nearest_minimum": "{b} is {v} from the nearest minimum",
    "distance_to_goal": "{b} is {v} from the goal's centre",
    "x": "{b} is at x = {v}",
    "y": "{b} is at y = {v}",
    "status": "{b}'s status is {v}",
}


def _human(value: float | str, quantity: str) -> str:
    """Format a measured value for people: 3 significant figures, 'never' for no goal."""
    if isinstance(value, str):
        return value
    if quantity == "steps_to_goal":
        return "never" if math.isinf(value) else f"{value:.0f}"
    return f"{value:.3g}"


def _sentence(e: Expectation, value: float | str, other: float | str | None, steps: int) -> str:
    """Say in words what was measured and what was wanted."""
    if e.quantity == "steps_to_goal" and value == math.inf:
        said = f"{e.ball} had not reached the goal after {steps} steps"
    elif e.quantity == "steps_to_goal":
        said = f"{e.ball} took {value:.0f} steps to reach the goal"
    else:
        said = _SENTENCES[e.quantity].format(b=e.ball, v=_human(value, e.quantity)) + f" after {steps} steps"
    if e.comparison.endswith("_ball"):
        scale = "" if e.factor == 1.0 else f"{e.factor:g} × "
        wanted = f"{e.comparison[:-5]} {scale}{e.target}'s {_human(other, e.quantity)}"
    else:
        wanted = f"{e.comparison.replace('equals', '')} {_human(e.target, e.quantity)}".strip()
    return f"{said} (wanted {wanted})"


def _holds(e: Expectation, value: float | str, other: float | str | None) -> bool:
    """Return whether the measured value satisfies the expectation (NaN never does)."""
    if e.comparison == "equals":
        return value == e.target
    bound = e.target if other is None else e.factor * other
    return bool(value < bound) if e.comparison.startswith("below") else bool(value > bound)


def _moment(level: Level, e: Expectation) -> int:
    """Return the step after which expectation `e` is measured."""
    return level.check.steps if e.at_step is None else e.at_step


def run_check(level: Level) -> CheckResult:
    """Play the level by itself for check.steps and test each expectation of its lesson.

    >>> from gdviz.core.levels import builtin_levels_dir
    >>> result = run_check(load_level(builtin_levels_dir() / "05-saddle.toml"))
    >>> result.passed, len(result.lines) > 0
    (True, True)
    """
    race = make_race(level, history_bytes=0, trail_length=2)
    lines: dict[int, str] = {}
    passed = True
    for moment in sorted({_moment(level, e) for e in level.check.expect}):
        race.step(moment - race.step_count)
        for i, e in enumerate(level.check.expect):
            if _moment(level, e) != moment:
                continue
            value = _measure(race, level, e.ball, e.quantity)
            other = _measure(race, level, e.target, e.quantity) if e.comparison.endswith("_ball") else None
            ok = _holds(e, value, other)
            passed &= ok
            lines[i] = f"{_sentence(e, value, other, moment)}: {'ok' if ok else 'FAILED'}"
    return CheckResult(passed, [lines[i] for i in sorted(lines)])


# --- checking level files (what --check-levels reports) ---------------------------------------


def _level_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders to the *.toml files inside them; keep files as given."""
    files: list[Path] = []
    for path in map(Path, paths):
        files.extend(sorted(path.glob("*.toml")) if path.is_dir() else [path])
    return files


def check_files(paths: Iterable[str | Path], simulate: bool = True) -> list[str]:
    """Load each level file (folders: every *.toml inside); return one error line per bad file.

    With `simulate`, a level that loads but fails its own lesson check is bad too.
    """
    problems = []
    for path in _level_files(paths):
        try:
            level = load_level(path)
        except LevelError as error:
            problems.append(str(error))
            continue
        if simulate:
            result = run_check(level)
            failed = [line for line in result.lines if not line.endswith(": ok")]
            if failed:
                problems.append(str(LevelError(path, "check", f"lesson check failed: {failed[0]}")))
    return problems


def check_levels_report(paths: Iterable[str | Path]) -> tuple[list[str], int]:
    """Return what `--check-levels` prints (one line per bad file) and its exit status: 2 if any, else 0."""
    problems = check_files(paths)
    return problems, 2 if problems else 0
