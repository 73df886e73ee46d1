"""A level made on the spot from a function the player types, e.g. "x**2 + 2*y**2"."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gdviz.core.expr import from_expression
from gdviz.core.levels import Check, Level, SurfaceSource, Text
from gdviz.core.sim import BallSpec

STEP_SHARE = 0.04  # the first gradient step should cover about this share of the view


def _round_rate(rate: float) -> float:
    """Round a learning rate to one significant figure, within [1e-5, 1]."""
    rate = float(np.clip(rate, 1e-5, 1.0))
    return float(f"{rate:.1g}")


def level_from_function(text: str) -> Level:
    """Build a playable level on the player's function; raises ExpressionError for bad text.

    >>> level = level_from_function("x**2 + 2*y**2")
    >>> level.surface.dims, [b.optimizer for b in level.balls]
    (2, ['gd', 'momentum', 'adam'])
    """
    surface = from_expression(text, name="your function")
    start = np.array(surface.start, dtype=float)
    span = float(max(hi - lo for lo, hi in surface.bounds))
    slope = float(np.max(np.abs(surface.grad(start))))
    lr = _round_rate(STEP_SHARE * span / slope) if np.isfinite(slope) and slope > 0 else 0.01
    balls = (
        BallSpec("gd", {"lr": lr}, start=tuple(start), label="gd"),
        BallSpec("momentum", {"lr": _round_rate(lr / 3), "momentum": 0.9}, start=tuple(start), label="momentum"),
        BallSpec("adam", {"lr": _round_rate(STEP_SHARE * span)}, start=tuple(start), label="adam"),
    )
    return Level(
        id="your-function", path=Path("<typed>"), order=0,
        title=Text(f"Your function: {surface.formula}", f"你的函数：{surface.formula}"),
        lesson=Text("Three optimizers race on the function you typed. Click to move the start, "
                    "press 1–8 to change the optimizer, + and − to tune the learning rate.",
                    "三种优化器在你输入的函数上比赛。点击可以移动起点，按 1–8 换优化器，按 + 和 − 调学习率。"),
        surface=surface, surface_source=SurfaceSource(expr=text), view=surface.bounds,
        balls=balls, check=Check(1, ()),
    )
