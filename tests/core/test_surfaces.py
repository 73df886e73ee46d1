"""Surfaces: exact gradients, special points, shapes, the catalogue."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdviz.core import surfaces
from gdviz.core.surfaces import critical_point, get

REQUIRED = ["bowl", "ravine", "rosenbrock", "saddle", "sin_saddle", "monkey_saddle", "plateau",
            "two_wells", "himmelblau", "beale", "rastrigin", "styblinski_tang", "xcos", "double_well",
            "line_fit"]

unit = st.floats(0.0, 1.0, allow_nan=False)


def central_difference(surface, point, h=1e-6):
    out = []
    for i in range(surface.dims):
        step = np.zeros(surface.dims)
        step[i] = h
        out.append((surface.value(point + step) - surface.value(point - step)) / (2 * h))
    return np.array(out)


def test_catalogue_holds_every_required_surface():
    assert set(REQUIRED) <= set(surfaces.names())
    assert all(name == name.lower() and " " not in name for name in surfaces.names())


@pytest.mark.parametrize("name", surfaces.names())
@settings(max_examples=40, deadline=None)
@given(u=unit, v=unit)
def test_gradient_matches_central_differences(name, u, v):
    surface = get(name)
    fractions = np.array([u, v][: surface.dims])
    lo, hi = np.array(surface.bounds).T
    point = lo + fractions * (hi - lo)
    expected = central_difference(surface, point)
    scale = max(1.0, float(np.max(np.abs(expected))), float(np.max(np.abs(surface.value(point)))))
    np.testing.assert_allclose(surface.grad(point), expected, rtol=1e-5, atol=1e-6 * scale)


@pytest.mark.parametrize("name", surfaces.names())
def test_declared_points_are_critical_and_of_their_kind(name):
    surface = get(name)
    assert surface.minima or surface.saddles, f"{name} declares no special points"
    for kind, points in (("minimum", surface.minima), ("saddle", surface.saddles)):
        for point in points:
            loc = np.array(point.location)
            assert np.max(np.abs(surface.grad(loc))) < 1e-8
            assert surface.value(loc) == pytest.approx(point.value, abs=1e-12)
            refined, found = critical_point(surface, point.location)
            assert found == kind
            np.testing.assert_allclose(refined, loc, atol=1e-9)


@pytest.mark.parametrize("name", surfaces.names())
def test_exactly_the_lowest_minima_are_global(name):
    minima = get(name).minima
    if minima:
        lowest = min(m.value for m in minima)
        assert [m.is_global for m in minima] == [m.value <= lowest + 1e-9 for m in minima]


@pytest.mark.parametrize("name", surfaces.names())
def test_value_and_grad_are_vectorised(name):
    surface = get(name)
    points = np.random.default_rng(1).uniform(-1, 1, (5, 3, surface.dims))
    assert surface.value(points).shape == (5, 3)
    assert surface.grad(points).shape == (5, 3, surface.dims)
    one = surface.grad(points[2, 1])
    np.testing.assert_array_equal(one, surface.grad(points)[2, 1])


@pytest.mark.parametrize("name", surfaces.names())
def test_start_and_bounds_make_sense(name):
    surface = get(name)
    assert len(surface.bounds) == surface.dims == len(surface.start)
    for (lo, hi), s in zip(surface.bounds, surface.start):
        assert lo < s < hi
    assert np.isfinite(surface.value(np.array(surface.start)))


def test_known_values():
    assert get("bowl").value([1.0, 1.0]) == 3.0
    assert get("rosenbrock").value([1.0, 1.0]) == 0.0
    assert get("rosenbrock").value([0.0, 0.0]) == 1.0
    assert get("himmelblau").value([3.0, 2.0]) == 0.0
    assert get("beale").value([3.0, 0.5]) == 0.0
    assert get("rastrigin").value([0.0, 0.0]) == 0.0
    assert get("styblinski_tang").global_minimum.value == pytest.approx(-78.33233, abs=1e-5)
    assert get("xcos").value([1.0]) == pytest.approx(-1.0)
    assert get("saddle").value([1.0, 2.0]) == -3.0
    assert get("monkey_saddle").value([1.0, 1.0]) == -2.0
    assert len(get("himmelblau").minima) == 4 and len(get("himmelblau").saddles) == 4


def test_ravine_is_ill_conditioned():
    surface = get("ravine")
    h = np.stack([(surface.grad(np.eye(2)[i] * 1e-3) - surface.grad(-np.eye(2)[i] * 1e-3)) / 2e-3
                  for i in range(2)])
    eig = np.linalg.eigvalsh(0.5 * (h + h.T))
    assert eig.max() / eig.min() >= 50
    # the floor is tilted, not along an axis
    assert abs(h[0, 1]) > 0.1


def test_two_wells_has_a_shallow_local_and_a_deep_global_minimum():
    local, deep = sorted(get("two_wells").minima, key=lambda m: m.value, reverse=True)
    assert not local.is_global and deep.is_global and local.value > deep.value + 0.5


def test_parameters_change_the_surface():
    assert get("rosenbrock", b=10).value([0.0, 1.0]) == 11.0
    assert get("bowl", a=3, b=1).value([1.0, 1.0]) == 4.0


def test_wrong_point_shape_is_a_clear_error():
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 2\)"):
        get("bowl").value([1.0, 2.0, 3.0])


def test_unknown_surface_lists_the_choices():
    with pytest.raises(ValueError, match="choose one of: bowl"):
        get("bowll")


def test_line_fit_full_batch_gradient_equals_gradient():
    surface = get("line_fit")
    points = np.array([[0.3, -1.2], [2.0, 1.0]])
    every = np.tile(np.arange(surface.samples), (2, 1))
    np.testing.assert_allclose(surface.batch_grad(points, every), surface.grad(points), rtol=1e-12)
    w, b = 0.3, -1.2
    direct = np.mean((w * surface.data_x + b - surface.data_y) ** 2)
    assert surface.value([w, b]) == pytest.approx(direct, rel=1e-12)


def test_line_fit_minimum_is_least_squares():
    surface = get("line_fit", slope=2.0, intercept=1.0, noise=0.0)
    np.testing.assert_allclose(surface.minima[0].location, (2.0, 1.0), atol=1e-12)
