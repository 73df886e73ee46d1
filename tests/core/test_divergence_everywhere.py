"""Every shipped level, every optimizer, learning rates from 1e-6 to 1e6: nothing raises, no
numpy warning escapes, and balls that fly off are flagged and stopped where they left."""

import warnings

import numpy as np
import pytest

from gdviz.core import optimizers
from gdviz.core.levels import builtin_levels_dir, load_levels, make_race
from gdviz.core.sim import BallSpec, DIVERGED

LEVELS, _ = load_levels(builtin_levels_dir())
RATES = [1e-6, 1e-4, 1e-2, 1.0, 1e2, 1e4, 1e6]


@pytest.mark.parametrize("level", LEVELS, ids=lambda lv: lv.id)
def test_every_optimizer_at_every_rate_is_safe(level):
    specs = [BallSpec(name, {"lr": lr}, start=level.balls[0].start, label=f"{name}@{lr:g}")
             for name in optimizers.names() for lr in RATES]
    race = make_race(level, balls=specs)
    lo, hi = race.view.T
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any numpy overflow / invalid warning fails the test
        race.step(60)
    diverged = 0
    for ball in race.balls:
        assert np.isfinite(ball.position).all()
        if ball.status[0] == DIVERGED:
            diverged += 1
            assert ((ball.position >= lo - 1e-9) & (ball.position <= hi + 1e-9)).all()
            assert ball.finished_step[0] >= 1
        if ball.trace is not None:
            assert np.isfinite(ball.trace.grad).all() and np.isfinite(ball.trace.update).all()
    assert diverged > 0  # a learning rate of 1e6 throws something off every map
    frozen = [b.position.copy() for b in race.balls if b.status[0] == DIVERGED]
    race.step(5)
    assert all(np.array_equal(p, b.position) for p, b in zip(frozen, [b for b in race.balls
                                                                        if b.status[0] == DIVERGED]))
