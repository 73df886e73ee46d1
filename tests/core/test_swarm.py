"""Swarm grids and basin classification."""

import numpy as np

from gdviz.core.sim import DIVERGED, BallSpec, Race
from gdviz.core.surfaces import get
from gdviz.core.swarm import DIVERGED_BASIN, NO_BASIN, classify, grid_starts


def test_grid_covers_the_bounds_row_by_row_from_the_top():
    starts = grid_starts(((-1, 1), (0, 4)), 4, 2)
    assert starts.shape == (8, 2)
    np.testing.assert_allclose(starts[0], [-0.75, 3.0])
    np.testing.assert_allclose(starts[-1], [0.75, 1.0])
    assert grid_starts(((0, 1),), 5, 99).shape == (5, 1)


def test_two_wells_basins_split_left_and_right():
    surface = get("two_wells")
    starts = grid_starts(surface.bounds, 40, 30)
    race = Race(surface, [BallSpec("gd", {"lr": 0.5}, start=starts)], trail_length=2, history_bytes=0)
    race.step(600)
    ball = race.balls[0]
    basins = classify(ball.position, surface.minima, 0.05, ball.status == DIVERGED)
    shallow, deep = 0, 1  # minima are listed left (shallow) then right (deep)
    left = starts[:, 0] < -2.5
    right = starts[:, 0] > 2.5
    assert (basins[left] == shallow).mean() > 0.9
    assert (basins[right] == deep).mean() > 0.9
    assert set(np.unique(basins)) <= {shallow, deep, NO_BASIN}


def test_unknown_and_diverged_balls_are_marked():
    minima = get("bowl").minima
    positions = np.array([[0.0, 0.01], [3.0, 3.0], [1.0, 1.0]])
    basins = classify(positions, minima, 0.1, np.array([False, False, True]))
    assert basins.tolist() == [0, NO_BASIN, DIVERGED_BASIN]


def test_a_swarm_finds_the_minima_of_a_surface_that_lists_none():
    from gdviz.core.expr import from_expression
    from gdviz.core.sim import CONVERGED
    from gdviz.core.swarm import found_minima

    surface = from_expression("(x**2 - 1)**2 + y**2")
    assert surface.minima == ()
    starts = grid_starts(((-2, 2), (-1, 1)), 30, 10)
    race = Race(surface, [BallSpec("gd", {"lr": 0.05}, start=starts)], trail_length=2, history_bytes=0)
    race.step(800)
    ball = race.balls[0]
    places = found_minima(ball.position, ball.status == CONVERGED, 0.05)
    xs = sorted(round(p.location[0]) for p in places)
    assert xs == [-1, 1]
    basins = classify(ball.position, places, 0.05)
    assert set(basins.tolist()) == {0, 1}
