"""Learning-rate schedules: factors by hand, warm-up, validation, use in a race."""

import math

import numpy as np
import pytest

from gdviz.core.schedules import Schedule, ScheduleError, from_mapping
from gdviz.core.sim import simulate


def test_constant():
    assert [Schedule().factor(t) for t in (1, 10, 1000)] == [1.0, 1.0, 1.0]


def test_step_decay():
    s = Schedule("step", step_size=10, gamma=0.5)
    assert [s.factor(t) for t in (1, 10, 11, 20, 21, 31)] == [1.0, 1.0, 0.5, 0.5, 0.25, 0.125]


def test_exponential():
    s = Schedule("exponential", gamma=0.9)
    assert s.factor(1) == 1.0 and s.factor(3) == pytest.approx(0.81)


def test_cosine_runs_from_one_to_the_floor_and_stays():
    s = Schedule("cosine", total=100, min_factor=0.1)
    assert s.factor(1) == 1.0
    assert s.factor(51) == pytest.approx(0.55)
    assert s.factor(101) == pytest.approx(0.1) and s.factor(500) == pytest.approx(0.1)


def test_warmup_then_any_schedule():
    s = Schedule("step", step_size=5, gamma=0.1, warmup=4)
    assert [s.factor(t) for t in (1, 2, 4)] == [0.25, 0.5, 1.0]
    assert s.factor(5) == 1.0 and s.factor(10) == pytest.approx(0.1)
    assert "warm-up 4" in s.describe()


@pytest.mark.parametrize("bad", [dict(kind="cyclic"), dict(kind="step", gamma=0.0),
                                 dict(kind="step", step_size=0), dict(warmup=-1),
                                 dict(kind="cosine", min_factor=2.0)])
def test_bad_schedules_are_refused(bad):
    with pytest.raises(ScheduleError):
        Schedule(**bad)


def test_from_mapping_refuses_unknown_settings():
    assert from_mapping({"kind": "exponential", "gamma": 0.99}).gamma == 0.99
    with pytest.raises(ScheduleError, match="no setting 'gama'"):
        from_mapping({"kind": "exponential", "gama": 0.99})


def test_schedule_scales_every_optimizer_step():
    run = simulate("bowl", "gd", start=(1.0, 0.0), steps=3, lr=0.1,
                   schedule=Schedule("exponential", gamma=0.5))
    xs = run.positions[:, 0]
    expected = [1.0]
    for t in range(1, 4):
        expected.append(expected[-1] * (1 - 2 * 0.1 * 0.5 ** (t - 1)))
    np.testing.assert_allclose(xs, expected, rtol=1e-15)
    assert math.isclose(run.traces[2].lr, 0.025)
