"""Swarm grids and the basin map a played swarm makes when it settles."""

from pathlib import Path

import numpy as np

from gdviz.core.expr import from_expression
from gdviz.core.levels import load_level
from gdviz.core.sim import BallSpec
from gdviz.core.surfaces import get
from gdviz.core.swarm import DIVERGED_BASIN, NO_BASIN, SWARM_STEPS, SwarmArea, grid_starts, new_swarm

LEVELS = Path(__file__).parents[2] / "levels"


def settle(swarm):
    for _ in range(SWARM_STEPS):
        if swarm.advance(10):
            return swarm
    raise AssertionError("the swarm never made its basin map")


def test_grid_covers_the_bounds_row_by_row_from_the_top():
    starts = grid_starts(((-1, 1), (0, 4)), 4, 2)
    assert starts.shape == (8, 2)
    np.testing.assert_allclose(starts[0], [-0.75, 3.0])
    np.testing.assert_allclose(starts[-1], [0.75, 1.0])
    assert grid_starts(((0, 1),), 5, 99).shape == (5, 1)


def test_two_wells_basins_split_left_and_right():
    surface = get("two_wells")
    swarm = settle(new_swarm(surface, BallSpec("gd", {"lr": 0.5}), SwarmArea(surface.bounds, (40, 30)), seed=0))
    starts, basins = swarm.starts, swarm.basins
    assert basins.shape == (1200,) and len(swarm.minima) == 2
    deep, shallow = swarm.minima  # lowest first
    assert deep.location[0] > 0 > shallow.location[0]
    assert (basins[starts[:, 0] < -2.5] == 1).mean() > 0.9
    assert (basins[starts[:, 0] > 2.5] == 0).mean() > 0.9
    assert set(np.unique(basins)) <= {0, 1, NO_BASIN}


def test_diverged_and_unsettled_balls_are_marked_apart():
    bowl = get("bowl")
    wild = settle(new_swarm(bowl, BallSpec("gd", {"lr": 1.0}), SwarmArea(bowl.bounds, (6, 6)), seed=0))
    assert np.all(wild.basins == DIVERGED_BASIN) and wild.minima == ()
    # On a saddle, the balls started exactly on the ridge (y = 0) stop at the saddle point: no basin.
    saddle = from_expression("x**2 - y**2")
    area = SwarmArea(((-1, 1), (-1, 1)), (5, 5))
    ridge = settle(new_swarm(saddle, BallSpec("gd", {"lr": 0.1}), area, seed=0))
    assert np.all(ridge.basins[10:15] == NO_BASIN)
    assert np.all(np.delete(ridge.basins, range(10, 15)) == DIVERGED_BASIN)


def test_a_swarm_finds_the_minima_of_a_surface_that_lists_none():
    surface = from_expression("(x**2 - 1)**2 + y**2")
    assert surface.minima == ()
    swarm = settle(new_swarm(surface, BallSpec("gd", {"lr": 0.05}), SwarmArea(((-2, 2), (-1, 1)), (30, 10)), seed=0))
    assert sorted(round(p.location[0]) for p in swarm.minima) == [-1, 1]
    assert set(swarm.basins.tolist()) == {0, 1}


def test_the_egg_box_swarm_colours_almost_every_start():
    level = load_level(LEVELS / "16-many-minima.toml")
    player = level.balls[level.player.ball]
    swarm = settle(new_swarm(level.surface, player, SwarmArea.covering(level.view), seed=0))
    assert (swarm.basins >= 0).mean() >= 0.95 and len(swarm.minima) > 12


def test_a_swarm_feels_the_levels_mini_batches():
    level = load_level(LEVELS / "13-noisy-gradients.toml")
    area = SwarmArea(level.view, (15, 15))
    spec = BallSpec("gd", {"lr": 0.05})
    noisy = new_swarm(level.surface, spec, area, seed=1, batch_size=level.batch_size)
    assert noisy.race.batch_size == 1 and new_swarm(level.surface, spec, area, 1, noise=0.3).race.noise == 0.3
    settle(noisy)
    calm = settle(new_swarm(level.surface, spec, area, seed=1))
    assert not np.array_equal(noisy.race.balls[0].position, calm.race.balls[0].position)
    assert (noisy.basins == 0).mean() > 0.9 and len(noisy.minima) == 1
