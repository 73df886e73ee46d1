"""The ladders the tuning keys move along: learning rates and decay rates.

A key press moves a learning rate one rung (a quarter of a decade) and a decay rate one
rung of DECAY_LADDER, which is finer near 1, where a small change matters most.
"""

from __future__ import annotations

import numpy as np

LR_STEP = 10 ** 0.25  # + and − move the learning rate by a quarter of a decade
LR_LIMITS = (1e-6, 1e6)

DECAY_LADDER = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.975, 0.99, 0.995,
                0.999, 0.9995, 0.9999, 1.0)
DECAY_LABELS = {"momentum": "momentum μ", "betas.0": "β1", "betas.1": "β2", "alpha": "α", "rho": "ρ"}


def nudge_decay(value: float, direction: int, top: float) -> float:
    """Move a decay rate one rung along DECAY_LADDER (finer near 1, where it matters), up to `top`."""
    rungs = [r for r in DECAY_LADDER if r <= top]
    if direction > 0:
        return next((r for r in rungs if r > value + 1e-12), rungs[-1])
    return next((r for r in reversed(rungs) if r < value - 1e-12), rungs[0])


def scaled_lr(lr: float, factor: float) -> float:
    """Return `lr` times `factor`, kept within LR_LIMITS and rounded to 3 significant figures."""
    return float(f"{float(np.clip(lr * factor, *LR_LIMITS)):.3g}")
