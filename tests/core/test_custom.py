"""Levels built from typed functions."""

import numpy as np
import pytest

from gdviz.core.custom import level_from_function
from gdviz.core.expr import ExpressionError
from gdviz.core.levels import make_race


@pytest.mark.parametrize("text", ["x**2 + 2*y**2", "x*cos(pi*x)", "sin(x)*y**2 + exp(-x*y)", "(x-1)^2"])
def test_a_typed_function_makes_a_playable_level(text):
    level = level_from_function(text)
    race = make_race(level)
    race.step(50)
    assert len(race.balls) == 3
    assert all(np.isfinite(b.position).all() for b in race.balls)
    assert text.replace(" ", "")[:3] in level.title.en.replace(" ", "") or level.surface.formula in level.title.en


def test_learning_rate_is_chosen_from_the_slope():
    gentle, steep = level_from_function("0.01*x**2"), level_from_function("100*x**2")
    assert gentle.balls[0].hyper["lr"] > steep.balls[0].hyper["lr"]
    bowl = level_from_function("x**2 + 2*y**2")
    race = make_race(bowl)
    race.step(300)
    assert race.losses(0)[0] < 1e-3  # gd with the chosen rate actually gets down


def test_bad_text_raises_the_parsers_message():
    with pytest.raises(ExpressionError, match="column"):
        level_from_function("x + foo")
