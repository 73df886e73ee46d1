"""Basins of attraction for any surface: minima found where the balls settle, and checked."""

import doctest
from pathlib import Path

import numpy as np
import pytest

import gdviz
from gdviz.core import basins as basins_module
from gdviz.core.basins import basins, grid_starts, join, polish
from gdviz.core.levels import load_level
from gdviz.core.sim import RUNNING, simulate

LEVELS = Path(__file__).parents[2] / "levels"


def player_lr(level, optimizer=None):
    """Return the learning rate of the player's ball, or of the level's ball using `optimizer`."""
    balls = [b for b in level.balls if b.optimizer == optimizer] if optimizer else [level.balls[level.player.ball]]
    return balls[0].hyper["lr"]


def hessian(surface, point, h=1e-5):
    """Central differences of the exact gradient, independent of the code under test."""
    point = np.asarray(point, dtype=float)
    cols = []
    for j in range(point.size):
        step = np.zeros(point.size)
        step[j] = h
        cols.append((surface.grad(point + step) - surface.grad(point - step)) / (2 * h))
    return np.stack(cols, axis=1)


# --- the egg box: the case that was 89 % grey ----------------------------------------------


@pytest.fixture(scope="module")
def egg_box():
    level = load_level(LEVELS / "16-many-minima.toml")
    return level, basins(level.surface, "gd", grid=(60, 60), steps=1500, bounds=level.view, lr=player_lr(level))


def test_egg_box_gives_almost_every_start_a_basin(egg_box):
    level, found = egg_box
    assert level.surface.minima == ()  # nothing listed: every minimum below was found by the balls
    assert found.labels.shape == (60, 60)
    # Using only listed minima this was about 11 %.
    assert found.coverage >= 0.95


def dimples_along(a, span):
    """Return how many local minima x² − a·cos(2πx) has in [−span, span]: where its slope turns from − to +."""
    xs = np.linspace(-span, span, 200001)
    slope = 2 * xs + 2 * np.pi * a * np.sin(2 * np.pi * xs)
    return int(np.sum((slope[:-1] < 0) & (slope[1:] >= 0)))


def test_egg_box_finds_every_dimple_in_view(egg_box):
    level, found = egg_box
    (x0, x1), (y0, y1) = level.view
    assert x0 == y0 == -x1 == -y1
    # Rastrigin is g(x) + g(y), so its dimples are every pair of g's dimples.
    dimples = dimples_along(level.surface.params["a"], x1) ** 2
    assert dimples > 12  # more than the old cap
    assert len(found.minima) == dimples


def test_every_minimum_found_is_a_true_local_minimum(egg_box):
    level, found = egg_box
    surface = level.surface
    for point in found.minima:
        assert np.linalg.norm(surface.grad(np.array(point.location))) < 1e-6
        assert np.linalg.eigvalsh(hessian(surface, point.location)).min() > 0
        assert point.value == pytest.approx(float(surface.value(np.array(point.location))))
    heights = [p.value for p in found.minima]
    assert heights == sorted(heights) and np.allclose(found.minima[0].location, (0, 0), atol=1e-9)


def test_each_start_is_labelled_with_the_dimple_its_ball_rolled_into(egg_box):
    level, found = egg_box
    labels = found.labels.ravel()
    ends = simulate(level.surface, "gd", start=found.starts, steps=300, lr=player_lr(level)).positions[-1]
    centres = np.array([p.location for p in found.minima])
    nearest = np.linalg.norm(ends[:, None] - centres[None], axis=2).argmin(axis=1)
    assert np.array_equal(labels[labels >= 0], nearest[labels >= 0])


# --- bouncing, noise, mini-batches ------------------------------------------------------------


ADAM_VALLEY = "1 - exp(-(x + y)**2/2 - (x - y)**2/60)"  # level 11's surface


def test_a_ball_that_ends_in_a_bounce_is_grouped_by_where_it_bounces():
    # As first reported: RMSProp at lr 0.3 on level 11's valley, viewed over [−4, 4]², looked valley-less.
    view = ((-4.0, 4.0), (-4.0, 4.0))
    run = simulate(ADAM_VALLEY, "rmsprop", start=(-3.5, -1.0), steps=1500, lr=0.3)
    recent = run.positions[-50:]
    assert run.status[0] == RUNNING  # it never stops...
    assert np.linalg.norm(recent - recent.mean(axis=0), axis=1).max() > 0.16  # ...and bounces wider than the old tolerance
    found = basins(ADAM_VALLEY, "rmsprop", grid=(40, 40), steps=1500, bounds=view, lr=0.3)
    assert len(found.minima) == 1 and np.allclose(found.minima[0].location, (0, 0), atol=1e-6)
    assert found.coverage > 0.8


def test_the_levels_bouncing_rmsprop_balls_get_the_valley():
    level = load_level(LEVELS / "11-adam.toml")
    lr = player_lr(level, "rmsprop")
    found = basins(level.surface, "rmsprop", grid=(30, 30), steps=1500, bounds=level.view, lr=lr)
    assert len(found.minima) == 1 and np.allclose(found.minima[0].location, (0, 0), atol=1e-6)
    home = found.starts[found.labels.ravel() == 0]
    assert len(home) > 0
    ends = simulate(level.surface, "rmsprop", start=home, steps=1500, lr=lr)
    assert np.all(ends.status == RUNNING)  # every one of them is still bouncing, yet has its basin


def test_mini_batches_change_where_balls_end_but_they_still_group():
    level = load_level(LEVELS / "13-noisy-gradients.toml")
    assert level.batch_size == 1
    settings = dict(grid=(20, 20), steps=600, bounds=level.view, batch_size=level.batch_size, lr=0.05)
    found = basins(level.surface, "gd", seed=3, **settings)
    best = np.array(level.surface.minima[0].location)
    assert len(found.minima) == 1 and np.allclose(found.minima[0].location, best)
    assert found.coverage > 0.9
    settled = found.ends[found.labels.ravel() >= 0]
    assert np.linalg.norm(settled - best, axis=1).max() > 1e-3  # the batches left them scattered
    again = basins(level.surface, "gd", seed=3, **settings)
    assert np.array_equal(found.labels, again.labels) and np.array_equal(found.ends, again.ends)
    other = basins(level.surface, "gd", seed=4, **settings)
    assert not np.array_equal(found.ends, other.ends)


def test_gradient_noise_applies_and_balls_still_find_both_wells():
    clean = basins("double_well", "gd", grid=200, steps=800, lr=0.02)
    noisy = basins("double_well", "gd", grid=200, steps=800, lr=0.02, noise=2.0, seed=1)
    assert len(clean.minima) == len(noisy.minima) == 2
    assert not np.array_equal(clean.ends, noisy.ends)
    assert noisy.coverage > 0.9


# --- typed functions: no listed minima at all ---------------------------------------------


def test_a_typed_1d_function_gets_its_two_valleys():
    found = basins("x**4 - 2*x**2 + 0.3*x", "gd", grid=120, steps=1500, bounds=((-1.8, 1.8),), lr=0.01)
    roots = np.roots([4, 0, -4, 0.3])
    valleys = sorted(r.real for r in roots if 12 * r.real**2 - 4 > 0)
    assert [p.location[0] for p in found.minima] == pytest.approx(valleys, abs=1e-9)  # deeper (left) first
    starts = found.starts[:, 0]
    assert np.all(found.labels[starts < -0.2] == 0) and np.all(found.labels[starts > 0.2] == 1)


def test_a_typed_2d_function_gets_more_valleys_than_the_old_cap_of_12():
    found = basins("sin(3*x)*cos(3*y) + 0.1*(x**2 + y**2)", "gd", grid=(80, 80), steps=1500, lr=0.01)
    assert len(found.minima) > 12 and found.coverage > 0.95
    surface = gdviz.surfaces.from_expression("sin(3*x)*cos(3*y) + 0.1*(x**2 + y**2)")
    for point in found.minima:
        assert np.linalg.norm(surface.grad(np.array(point.location))) < 1e-6
        assert np.linalg.eigvalsh(hessian(surface, point.location)).min() > 0


def test_four_wells_split_the_map_into_quadrants():
    found = basins("(x**2 - 1)**2 + (y**2 - 1)**2", "gd", grid=(30, 30), steps=1500, bounds=((-2, 2), (-2, 2)), lr=0.02)
    corners = sorted(tuple(round(c) for c in p.location) for p in found.minima)
    assert corners == [(-1, -1), (-1, 1), (1, -1), (1, 1)]
    for start, label in zip(found.starts, found.labels.ravel()):
        if min(abs(start)) > 0.2:  # well away from the ridges between the wells
            assert np.array_equal(np.sign(found.minima[label].location), np.sign(start))


# --- what gets -1 ------------------------------------------------------------------------------


def test_balls_that_fly_away_get_no_basin():
    found = basins("bowl", "gd", grid=(12, 12), steps=200, lr=1.0)  # lr·curvature = 2 and 4: unstable
    assert np.all(found.labels == -1) and found.minima == ()
    assert np.isnan(found.ends).all()


def test_balls_still_swinging_widely_get_no_basin():
    found = basins("bowl", "momentum", grid=(12, 12), steps=100, lr=0.01, momentum=0.999)
    # Nearly no friction: each ball swings to and fro across the bowl (of width 8) about as
    # wide as it started. Only those that started near the bottom swing in a small region there.
    distance = np.linalg.norm(found.starts, axis=1)
    labelled = found.labels.ravel() >= 0
    assert np.all(distance[labelled] < 1.2) and labelled.mean() < 0.1
    assert basins("bowl", "momentum", grid=(12, 12), steps=100, lr=0.01, momentum=0.9).coverage == 1.0


def test_balls_stuck_on_a_saddle_get_no_basin():
    # The middle row starts exactly on y = 0, so those balls roll into the saddle point and stop.
    found = basins("x**2 - y**2", "gd", grid=(5, 5), steps=1500, bounds=((-1, 1), (-1, 1)), lr=0.1)
    assert grid_starts(((-1, 1), (-1, 1)), 5, 5)[10:15, 1].tolist() == [0.0] * 5
    assert np.allclose(found.ends[10:15], 0.0, atol=1e-6)
    assert np.all(found.labels == -1) and found.minima == ()


def test_polish_keeps_minima_and_refuses_saddles_peaks_and_flats():
    surface = gdviz.surfaces.from_expression("(x**2 - 1)**2 + y**2 - 0.5*exp(-(x**2 + y**2)*20)")
    points = np.array([[0.9, 0.1], [0.3, 0.0], [-1.1, -0.05]])
    polished, is_min = polish(surface, points, span=6.0, slope=1.0, reach=np.full(3, 2.0))
    assert is_min.tolist() == [True, True, True]  # the narrow dip at the middle is a minimum too
    assert np.allclose(polished[[0, 2]], [[1, 0], [-1, 0]], atol=1e-9)
    saddle = gdviz.surfaces.from_expression("x**2 - y**2 + 0*x")
    peak = gdviz.surfaces.from_expression("-(x**2) - y**2")
    flat = gdviz.surfaces.from_expression("0*x*y + 1")
    for surface in (saddle, peak, flat):
        assert not polish(surface, np.array([[1e-3, 1e-3]]), span=4.0, slope=1.0, reach=np.ones(1))[1].any()


def test_a_degenerate_bottom_still_counts_when_the_surface_rises_all_round():
    found = basins("x**4", "gd", grid=40, steps=1500, bounds=((-1, 1),), lr=0.1)
    assert len(found.minima) == 1 and abs(found.minima[0].location[0]) < 1e-3
    assert basins("x**3 + 0*x", "gd", grid=40, steps=300, bounds=((-1, 1),), lr=0.01).minima == ()


def test_join_groups_chains_of_close_points_across_square_edges():
    points = np.array([[0.0, 0.0], [0.9, 0.0], [1.8, 0.1], [5.0, 5.0], [5.0, 6.5], [0.0, 5.0]])
    groups = join(points, 1.0)
    assert groups[0] == groups[1] == groups[2]
    assert len(set(groups.tolist())) == 4


def test_the_public_api_and_its_example():
    assert gdviz.basins is basins and gdviz.BasinMap is basins_module.BasinMap
    failures, tried = doctest.testmod(basins_module)
    assert tried >= 2 and failures == 0
