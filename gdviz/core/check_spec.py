"""What a level's lesson check may ask for: the `[check]` section, read and checked.

`[check]` says how long to let the level play by itself and, in `[[check.expect]]`, what must
be true afterwards ("the ball with the big learning rate flies off the map"). `[check.robust]`
says under which small changes the same must stay true: another learning rate, a start moved
a little, other seeds. A claim that holds at one setting only teaches luck.

levels.py calls `read_check` while it reads a level file; lessons.py plays the expectations and
robustness.py plays them again under every change. Anything wrong is a `Problem` naming the
field, such as "check.robust.seeds: …".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gdviz.core import safe_toml as toml
from gdviz.core.safe_toml import Problem
from gdviz.core.sim import STATUS_NAMES, BallSpec, Goal
from gdviz.core.surfaces import Surface

MAX_CHECK_STEPS = 100_000
MAX_EXPECTATIONS = 64
MAX_FACTOR = 1e6  # an expectation's factor stays below this
MAX_LR_FACTORS = 16
MAX_LR_BALLS = 16
MAX_LR_FACTOR = 100.0  # a robust learning-rate factor stays at or below this
MAX_SEEDS = 1000
MAX_RADIUS = 1e6

DEFAULT_LR_FACTORS = (0.5, 2.0)  # the rule: ×½ and ×2 unless the text says "at this learning rate"
MIN_NOISY_SEEDS = 20  # noisy or mini-batch levels are checked over at least this many seeds

QUANTITIES = (
    "loss", "distance_to_start", "distance_to_saddle", "distance_to_global_minimum",
    "distance_to_nearest_minimum", "distance_to_goal", "x", "y", "steps_to_goal", "status",
)
COMPARISONS = ("below", "above", "equals", "below_ball", "above_ball")

CHECK_FIELDS = ("steps", "expect", "robust")
EXPECT_FIELDS = ("ball", "quantity", *COMPARISONS, "factor", "at_step")
ROBUST_FIELDS = ("lr_factors", "lr_balls", "start_radius", "seeds")


@dataclass(frozen=True)
class Expectation:
    """One thing the lesson check demands, e.g. ball 'gd' has loss below 0.1."""

    ball: str
    quantity: str
    comparison: str  # one of COMPARISONS
    target: float | str  # a number, a status name, or another ball's label
    factor: float = 1.0  # for below_ball / above_ball: compare with factor × the other ball
    at_step: int | None = None  # evaluate after this many steps instead of Check.steps


@dataclass(frozen=True)
class Robust:
    """The small changes a lesson must survive; each change is a separate run of the check."""

    lr_factors: tuple[float, ...] = DEFAULT_LR_FACTORS  # each scales the lr of the balls below
    lr_balls: tuple[str, ...] = ()  # labels of the balls whose lr is scaled; () means every ball
    start_radius: float = 0.0  # move every start this far, in 8 directions (1-D: ±); 0: never
    seeds: int = 1  # play each change with seeds seed, seed + 1, …; at least 20 on noisy levels


@dataclass(frozen=True)
class Check:
    """How long to let the level play by itself, what must be true afterwards, and under what changes."""

    steps: int
    expect: tuple[Expectation, ...]
    robust: Robust = Robust()


@dataclass(frozen=True)
class _Context:
    """What the rest of the level says that the check's fields are judged against."""

    balls: Sequence[BallSpec]
    surface: Surface
    goal: Goal | None
    noisy: bool
    steps: int = 0

    @property
    def labels(self) -> list[str]:
        """Return the balls' labels."""
        return [b.label for b in self.balls]


# --- [[check.expect]] ----------------------------------------------------------------------------


def _quantity_needs(quantity: str, surface: Surface, goal: Goal | None) -> str | None:
    """Return why `quantity` cannot be measured on this level, or None if it can."""
    needs = {
        "distance_to_saddle": (bool(surface.saddles), "the surface has no known saddle point"),
        "distance_to_global_minimum": (surface.global_minimum is not None,
                                       "the surface has no known global minimum"),
        "distance_to_nearest_minimum": (bool(surface.minima), "the surface has no known minimum"),
        "distance_to_goal": (goal is not None, "the level has no [goal]"),
        "steps_to_goal": (goal is not None, "the level has no [goal]"),
        "y": (surface.dims == 2, "the surface is 1-D, so there is no y"),
    }
    ok, why = needs.get(quantity, (True, ""))
    return None if ok else why


def _comparison(table: dict, where: str, quantity: str, labels: Sequence[str]) -> tuple[str, float | str]:
    """Return the one comparison an expectation makes, and its target."""
    given = [c for c in COMPARISONS if c in table]
    if len(given) != 1:
        raise Problem(where, f"give exactly one of {', '.join(COMPARISONS)} (found {len(given)})")
    comparison = given[0]
    value, field = table[comparison], f"{where}.{comparison}"
    if (comparison == "equals") != (quantity == "status"):
        raise Problem(field, "use equals with quantity = \"status\", and below/above/below_ball/"
                             "above_ball with the numeric quantities")
    if comparison == "equals":
        return comparison, toml.choice(value, field, STATUS_NAMES, "status")
    if comparison.endswith("_ball"):
        return comparison, toml.choice(value, field, labels, "ball label")
    return comparison, toml.number(value, field)


def _expectation(value: Any, where: str, context: _Context) -> Expectation:
    """Read one [[check.expect]] table."""
    table = toml.table(value, where, EXPECT_FIELDS, required=("ball", "quantity"))
    ball = toml.choice(table["ball"], f"{where}.ball", context.labels, "ball label")
    quantity = toml.choice(table["quantity"], f"{where}.quantity", QUANTITIES, "quantity")
    why = _quantity_needs(quantity, context.surface, context.goal)
    if why:
        raise Problem(f"{where}.quantity", f"cannot measure {quantity}: {why}")
    comparison, target = _comparison(table, where, quantity, context.labels)
    if comparison.endswith("_ball") and target == ball:
        raise Problem(f"{where}.{comparison}", "compares the ball with itself; name another ball")
    factor = 1.0
    if "factor" in table:
        if not comparison.endswith("_ball"):
            raise Problem(f"{where}.factor", "only goes with below_ball or above_ball")
        factor = toml.number(table["factor"], f"{where}.factor", 1e-12, MAX_FACTOR)
    at_step = None
    if "at_step" in table:
        at_step = toml.integer(table["at_step"], f"{where}.at_step", 0, context.steps)
    return Expectation(ball, quantity, comparison, target, factor, at_step)


# --- [check.robust] ------------------------------------------------------------------------------


def _lr_factors(value: Any, where: str) -> tuple[float, ...]:
    """Return the learning-rate factors: each a number above 0 and at most MAX_LR_FACTOR."""
    items = toml.items(value, where, 1, MAX_LR_FACTORS)
    factors = tuple(toml.number(v, f"{where}[{i + 1}]", -MAX_LR_FACTOR, MAX_LR_FACTOR) for i, v in enumerate(items))
    for i, factor in enumerate(factors):
        if factor <= 0:
            raise Problem(f"{where}[{i + 1}]", f"must be above 0 (it multiplies the learning rate), got {factor:g}")
    return factors


def _lr_balls(value: Any, where: str, labels: Sequence[str]) -> tuple[str, ...]:
    """Return the labels of the balls whose learning rate the factors scale (no repeats)."""
    items = toml.items(value, where, 1, MAX_LR_BALLS)
    chosen = tuple(toml.choice(v, f"{where}[{i + 1}]", labels, "ball label") for i, v in enumerate(items))
    if len(set(chosen)) != len(chosen):
        raise Problem(where, "names a ball twice")
    return chosen


def _seeds(value: Any, where: str, noisy: bool) -> int:
    """Return how many seeds to play: only on noisy levels, and then at least MIN_NOISY_SEEDS."""
    if not noisy:
        raise Problem(where, "the level has no noise or batch_size, so every seed plays the same; leave seeds out")
    seeds = toml.integer(value, where, -2**63, 2**63)
    if not MIN_NOISY_SEEDS <= seeds <= MAX_SEEDS:
        raise Problem(where, f"the level has noise or mini-batches, so use {MIN_NOISY_SEEDS} to {MAX_SEEDS} "
                             f"seeds; got {seeds}")
    return seeds


def _robust(value: Any, context: _Context) -> Robust:
    """Read [check.robust]; a level without one gets the defaults (×½ and ×2, 20 seeds if noisy)."""
    table = toml.table(value if value is not None else {}, "check.robust", ROBUST_FIELDS)
    default_seeds = MIN_NOISY_SEEDS if context.noisy else 1
    factors = _lr_factors(table["lr_factors"], "check.robust.lr_factors") if "lr_factors" in table \
        else DEFAULT_LR_FACTORS
    balls = _lr_balls(table["lr_balls"], "check.robust.lr_balls", context.labels) if "lr_balls" in table else ()
    radius = toml.number(table.get("start_radius", 0.0), "check.robust.start_radius", -MAX_RADIUS, MAX_RADIUS)
    if radius < 0:
        raise Problem("check.robust.start_radius", f"must be 0 or more (a distance), got {radius:g}")
    seeds = _seeds(table["seeds"], "check.robust.seeds", context.noisy) if "seeds" in table else default_seeds
    return Robust(factors, balls, radius, seeds)


# --- [check] ---------------------------------------------------------------------------------------


def read_check(value: Any, balls: Sequence[BallSpec], surface: Surface, goal: Goal | None, noisy: bool) -> Check:
    """Read [check], its [[check.expect]] entries and its [check.robust] table."""
    table = toml.table(value, "check", CHECK_FIELDS, required=("steps", "expect"))
    steps = toml.integer(table["steps"], "check.steps", 1, MAX_CHECK_STEPS)
    if isinstance(table["expect"], dict):
        raise Problem("check.expect", "write [[check.expect]] (double brackets), once per expectation")
    items = toml.items(table["expect"], "check.expect", 1, MAX_EXPECTATIONS)
    context = _Context(balls, surface, goal, noisy, steps)
    expect = tuple(_expectation(e, f"check.expect[{i + 1}]", context) for i, e in enumerate(items))
    return Check(steps, expect, _robust(table.get("robust"), context))
