"""The ladders the tuning keys move along: learning rates and decay rates.

A key press moves a learning rate one rung of LR_RUNGS × 10ⁿ (…, 0.05, 0.07, 0.1, 0.15, 0.2,
0.3, 0.5, 0.7, 1, …): familiar values a teacher can say out loud, so "double it" and "try
0.05" can be done with the keys. A decay rate moves one rung of DECAY_LADDER, which is
finer near 1, where a small change matters most. An exact learning rate can also be typed
(see `parse_lr`).
"""

from __future__ import annotations

import math
import re

LR_RUNGS = (1.0, 1.5, 2.0, 3.0, 5.0, 7.0)  # in each decade
LR_LIMITS = (1e-6, 1e6)
PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")

DECAY_LADDER = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.975, 0.99, 0.995,
                0.999, 0.9995, 0.9999, 1.0)
DECAY_SYMBOLS = {"momentum": "μ", "betas.0": "β1", "betas.1": "β2", "alpha": "α", "rho": "ρ"}
DECAY_LABELS = {**DECAY_SYMBOLS, "momentum": "momentum μ"}  # in messages, where μ alone is cryptic


def nudge_decay(value: float, direction: int, top: float) -> float:
    """Move a decay rate one rung along DECAY_LADDER (finer near 1, where it matters), up to `top`."""
    rungs = [r for r in DECAY_LADDER if r <= top]
    if direction > 0:
        return next((r for r in rungs if r > value + 1e-12), rungs[-1])
    return next((r for r in reversed(rungs) if r < value - 1e-12), rungs[0])


def _rungs_near(lr: float) -> list[float]:
    """Return the ladder's rungs in the decades around `lr`, smallest first."""
    decade = math.floor(math.log10(lr))
    return [float(f"{r * 10.0 ** e:.3g}") for e in (decade - 1, decade, decade + 1) for r in LR_RUNGS]


def next_lr_rung(lr: float, direction: int) -> float:
    """Return the next rung above (direction > 0) or below `lr`, kept within LR_LIMITS.

    A rate between rungs (a typed one, say) moves to the nearest rung in that direction.

    >>> next_lr_rung(0.1, +1), next_lr_rung(0.1, -1), next_lr_rung(0.123, +1)
    (0.15, 0.07, 0.15)
    """
    lr = min(max(float(lr), LR_LIMITS[0]), LR_LIMITS[1])
    rungs = _rungs_near(lr)
    if direction > 0:
        chosen = next(r for r in rungs if r > lr * (1 + 1e-9))
    else:
        chosen = next(r for r in reversed(rungs) if r < lr * (1 - 1e-9))
    return min(max(chosen, LR_LIMITS[0]), LR_LIMITS[1])


class LearningRateError(ValueError):
    """Typed text that is not a learning rate the game can use.

    `reason` is "not_number", "not_positive" or "outside"; `text` is what was typed.
    """

    def __init__(self, reason: str, text: str) -> None:
        self.reason, self.text = reason, text
        low, high = LR_LIMITS
        super().__init__({"not_number": f"{text!r} is not a number",
                          "not_positive": f"{text!r} is not a positive number",
                          "outside": f"{text} is outside {low:g} … {high:g}"}[reason])


def parse_lr(text: str) -> float:
    """Return the learning rate typed as `text` ("0.05", "5e-2", ".3"), or raise LearningRateError.

    >>> parse_lr(" 5e-2 ")
    0.05
    """
    typed = text.strip()
    if not PLAIN_NUMBER.fullmatch(typed.replace("\u2212", "-")):  # float() would also take "1_0", "inf" …
        raise LearningRateError("not_positive" if typed.lower().lstrip("+-\u2212") in ("nan", "inf", "infinity")
                                else "not_number", typed)
    value = float(typed.replace("\u2212", "-"))
    if not math.isfinite(value) or value <= 0:
        raise LearningRateError("not_positive", typed)
    if not LR_LIMITS[0] <= value <= LR_LIMITS[1]:
        raise LearningRateError("outside", typed)
    return value
