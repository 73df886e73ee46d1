"""Slopes that formulas leave undefined: kinks keep their sub-gradient, real infinities stop the
ball with its own status ("no slope here"), never as "diverged" while its height is a number."""

import warnings

import numpy as np
import pytest

import gdviz
from gdviz.core.basins import settled_places
from gdviz.core.expr import compile_numpy, derivative, from_expression, parse, to_text
from gdviz.core.sim import (
    CONVERGED,
    DIVERGED,
    NO_SLOPE,
    RUNNING,
    STATUS_NAMES,
    BallSpec,
    Race,
    simulate,
)
from gdviz.core.tables import RaceRecorder, to_csv_text

# --- the case, as typed ---------------------------------------------------------------


def test_a_ball_on_the_cones_tip_has_settled_not_flown_off():
    run = gdviz.simulate("sqrt(x^2+y^2)", "gd", start=(0, 0), steps=5, lr=0.1)
    assert STATUS_NAMES[run.status[0]] == "converged"
    np.testing.assert_array_equal(run.positions, np.zeros((6, 2)))
    np.testing.assert_array_equal(run.grads, np.zeros((5, 2)))


# --- where a convention exists, the slope keeps it ----------------------------------------------

# Formulas whose slope formula is 0/0 (or 0·∞) at a lowest point: the sub-gradient 0 is used
# there, as abs(x) at 0 already did.
KINKS = [
    ("sqrt(x^2+y^2)", (0.0, 0.0)),
    ("(x^2+y^2)^0.5", (0.0, 0.0)),
    ("sqrt(x^2)", (0.0,)),
    ("abs(x)", (0.0,)),
    ("abs(x)^0.5", (0.0,)),
    ("(x^2)^(1/3)", (0.0,)),
    ("sqrt(x^4 + y^2)", (0.0, 0.0)),
    ("sqrt(sqrt(x^2+y^2))", (0.0, 0.0)),
    ("x^2*sqrt(x^2+y^2)", (0.0, 0.0)),
    ("sqrt(x^2+y^2)^3", (0.0, 0.0)),
    ("sqrt((x-1)^2 + (y+2)^2)", (1.0, -2.0)),
    ("2 - exp(-sqrt(x^2+y^2))", (0.0, 0.0)),
    ("sqrt(x^2 + y^2) + y", (0.0, 0.0)),
]


@pytest.mark.parametrize("text, point", KINKS)
def test_a_kink_has_a_finite_slope(text, point):
    surface = from_expression(text)
    grad = surface.grad(np.array(point))
    assert np.isfinite(grad).all(), grad


def test_the_cones_tip_slope_is_zero_and_its_sides_exact():
    surface = from_expression("sqrt(x^2+y^2)")
    np.testing.assert_allclose(surface.grad(np.array([[0.0, 0.0], [3.0, 4.0]])), [[0, 0], [0.6, 0.8]], rtol=1e-15)
    # off the tip the y part is exact: its 1·(2y)/(2·|y|)
    assert from_expression("sqrt(x^2 + y^2) + y").grad(np.array([0.0, 0.0])).tolist() == [0.0, 1.0]


# --- where none exists, the infinity stays ----------------------------------------------------

INFINITE = [
    ("sqrt(x)", (0.0,)),
    ("x^(1/3)", (0.0,)),
    ("sqrt(1 - x)", (1.0,)),
    ("x^2 + y^2 + sqrt(x + 2)", (-2.0, 0.0)),
]


@pytest.mark.parametrize("text, point", INFINITE)
def test_an_infinite_slope_is_not_hidden(text, point):
    surface = from_expression(text)
    assert np.isfinite(surface.value(np.array(point)))
    assert not np.isfinite(surface.grad(np.array(point))).all()


def test_the_slope_tree_still_prints_like_the_chain_rule():
    assert to_text(derivative(parse("sqrt(x^2+y^2)"), "x")) == "1/(2*sqrt(x**2 + y**2))*(2*x)"
    assert to_text(derivative(parse("sqrt(x)"), "x")) == "1/(2*sqrt(x))"
    assert to_text(derivative(parse("(x^2)^0.5"), "x")) == "0.5*(x**2)**-0.5*(2*x)"


def test_only_zero_times_infinity_changes():
    slope = compile_numpy(derivative(parse("sqrt(x^2)"), "x"), ("x",))
    x = np.array([-2.0, -1e-100, 0.0, 1e-100, 2.0, np.nan])
    np.testing.assert_array_equal(slope(x), [-1.0, -1.0, 0.0, 1.0, 1.0, np.nan])


# --- in a race: the ball stops, says so, and has not diverged ---------------------------------


@pytest.mark.parametrize("text, point", INFINITE)
@pytest.mark.parametrize("name", gdviz.optimizers.names())
def test_a_ball_where_the_slope_is_infinite_finds_no_slope(text, point, name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = simulate(text, name, start=point, steps=4, lr=0.1)
    assert STATUS_NAMES[run.status[0]] == "no_slope"
    np.testing.assert_array_equal(run.positions, np.tile(point, (5, 1)))  # it stays where it stopped
    assert np.isfinite(run.losses).all() and np.isfinite(run.grads).all()


def test_the_first_step_of_a_no_slope_ball_is_calm_and_finishes_it():
    race = Race(from_expression("sqrt(x)"), [BallSpec("adam", {"lr": 0.1}, start=(0.0,))])
    race.step(3)
    ball = race.balls[0]
    assert ball.status[0] == NO_SLOPE and ball.finished_step[0] == 1
    assert ball.status[0] > CONVERGED  # "stopped", for every check that reads it that way
    assert np.isfinite(ball.trace.grad).all() and not ball.trace.update.any()
    assert race.status_name(0) == "no_slope"


def test_a_ball_that_rolls_onto_a_point_with_no_slope_stops_there():
    # gd with lr 0.5 on x**2 lands exactly on 0 in one step; there sqrt(x + 0)'s slope is infinite.
    run = simulate("x^2 + sqrt(x + 3) - sqrt(3)", "gd", start=(-3.0,), steps=4, lr=0.5)
    assert STATUS_NAMES[run.status[0]] == "no_slope"
    np.testing.assert_array_equal(run.positions[:, 0], [-3.0, -3.0, -3.0, -3.0, -3.0])


def test_a_ball_where_the_height_is_not_a_number_still_flies_off():
    run = simulate("log(x)", "gd", start=(0.0,), steps=3, lr=0.1)  # height -inf: not finite
    assert STATUS_NAMES[run.status[0]] == "diverged"
    run = simulate("sqrt(x)", "gd", start=(-1.0,), steps=3, lr=0.1)  # height nan
    assert STATUS_NAMES[run.status[0]] == "diverged"


def test_in_a_swarm_only_the_points_with_no_slope_stop():
    starts = np.array([[-2.0, 0.0], [1.0, 1.0], [-2.0, 1.0]])
    run = simulate("x^2 + y^2 + sqrt(x + 2)", "momentum", start=starts, steps=30, lr=0.05)
    assert [STATUS_NAMES[s] for s in run.status] == ["no_slope", "running", "no_slope"]
    np.testing.assert_array_equal(run.positions[-1, [0, 2]], starts[[0, 2]])
    assert not np.array_equal(run.positions[-1, 1], starts[1])


def test_rewind_brings_a_no_slope_ball_back_to_rolling():
    race = Race(from_expression("x^2 + sqrt(x + 3) - sqrt(3)"), [BallSpec("gd", {"lr": 0.5}, start=(-3.0,))])
    race.step(1)
    assert race.balls[0].status[0] == NO_SLOPE
    race.rewind(1)
    assert race.balls[0].status[0] == RUNNING and race.balls[0].finished_step[0] == -1


def test_a_no_slope_point_settled_in_no_basin():
    race = Race(from_expression("x^2 + y^2 + sqrt(x + 2)"),
                [BallSpec("gd", {"lr": 0.1}, start=[(-2.0, 0.0), (1.0, 1.0)])])
    race.step(20)
    places, stray = settled_places(race.balls[0])
    assert np.isnan(places[0]).all() and stray[0] == np.inf
    assert np.isfinite(places[1]).all()


def test_the_table_names_the_no_slope_status():
    race = Race(from_expression("sqrt(x)"), [BallSpec("gd", {"lr": 0.1}, start=(0.0,))])
    table = RaceRecorder()
    table.record(race)
    table.step(race, 2)
    assert ",no_slope" in to_csv_text(table.rows())
    assert DIVERGED != NO_SLOPE and len(STATUS_NAMES) == NO_SLOPE + 1
