"""Learning-rate schedules: start fast, end careful.

A Schedule gives the factor that multiplies an optimizer's base learning rate at step t
(t counts from 1). Any of them can begin with a linear warm-up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

KINDS = ("constant", "step", "exponential", "cosine")


class ScheduleError(ValueError):
    """A schedule setting that cannot be used."""


@dataclass(frozen=True)
class Schedule:
    """How the learning rate changes over the steps.

    kind: "constant", "step" (× gamma every step_size steps), "exponential" (× gamma
    every step) or "cosine" (from 1 down to min_factor over `total` steps).
    warmup: the first `warmup` steps grow linearly from 1/warmup to 1, then `kind` begins.

    >>> Schedule("step", step_size=10, gamma=0.5).factor(25)
    0.25
    """

    kind: str = "constant"
    step_size: int = 100
    gamma: float = 0.5
    total: int = 1000
    min_factor: float = 0.0
    warmup: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ScheduleError(f"unknown schedule {self.kind!r}; choose one of: {', '.join(KINDS)}")
        for name in ("step_size", "total"):
            if int(getattr(self, name)) < 1:
                raise ScheduleError(f"schedule {name} must be at least 1, got {getattr(self, name)!r}")
        if self.warmup < 0:
            raise ScheduleError(f"schedule warmup must be 0 or more, got {self.warmup!r}")
        if not (0.0 < self.gamma <= 1.0 or self.kind in ("constant", "cosine")):
            raise ScheduleError(f"schedule gamma must be in (0, 1], got {self.gamma!r}")
        if not 0.0 <= self.min_factor <= 1.0:
            raise ScheduleError(f"schedule min_factor must be in [0, 1], got {self.min_factor!r}")

    def factor(self, t: int) -> float:
        """Return the learning-rate multiplier for step t (t = 1 is the first step)."""
        if self.warmup and t <= self.warmup:
            return t / self.warmup
        k = t - self.warmup - 1  # steps taken since the warm-up ended
        if self.kind == "step":
            return self.gamma ** (k // self.step_size)
        if self.kind == "exponential":
            return self.gamma**k
        if self.kind == "cosine":
            progress = min(k, self.total) / self.total
            return self.min_factor + (1 - self.min_factor) * 0.5 * (1 + math.cos(math.pi * progress))
        return 1.0

    def describe(self) -> str:
        """Return a short human description, e.g. 'cosine over 500 steps'."""
        text = {
            "constant": "constant",
            "step": f"×{self.gamma:g} every {self.step_size} steps",
            "exponential": f"×{self.gamma:g} per step",
            "cosine": f"cosine over {self.total} steps",
        }[self.kind]
        return f"warm-up {self.warmup} then {text}" if self.warmup else text


def from_mapping(data: dict[str, Any]) -> Schedule:
    """Build a Schedule from a mapping such as a level file's [schedule] table."""
    known = {f.name for f in fields(Schedule)}
    unknown = set(data) - known
    if unknown:
        raise ScheduleError(f"schedule has no setting {sorted(unknown)[0]!r}; it takes {', '.join(sorted(known))}")
    return Schedule(**data)
