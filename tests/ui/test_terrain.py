"""Tests for the drawn map: colours, contour lines, markers, axes, 1-D curves and the cache.

Every test draws with real pygame into off-screen pictures (no window) and then looks at
single pixels: is the valley darker than the hilltop, is there a star at the minimum, does
the curve pass where the formula says it should.
"""

import warnings

import numpy as np
import pygame
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gdviz.core.expr import from_expression
from gdviz.core.surfaces import Point, Surface, get, names
from gdviz.ui import axes, terrain, theme
from gdviz.ui.colormap import lut
from gdviz.ui.terrain import (
    TerrainCache,
    build_terrain,
    format_tick,
    nice_step,
    sample_grid,
    viewport_for,
)
from gdviz.ui.theme import Look
from gdviz.ui.viewport import Viewport, fit_equal

RECT = (0, 0, 640, 360)
TWO_D = [n for n in names() if get(n).dims == 2]
ONE_D = [n for n in names() if get(n).dims == 1]
WITH_GLOBAL_MINIMUM = [n for n in TWO_D if get(n).global_minimum is not None]


@pytest.fixture(scope="module", autouse=True)
def headless_pygame():
    pygame.display.init()
    pygame.font.init()
    yield


def pixels(image: pygame.Surface) -> np.ndarray:
    """Return the picture as an RGB array indexed [row, column]."""
    return pygame.surfarray.array3d(image).transpose(1, 0, 2).astype(int)


def luminance(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., 0] * 0.2126 + rgb[..., 1] * 0.7152 + rgb[..., 2] * 0.0722


def bare(surface: Surface, view, **flags):
    """Build with only the parts a test names switched on."""
    options = {"iso_lines": False, "markers": False, "ticks": False} | flags
    return build_terrain(surface, view, **options)


def screen_pixel(view, point) -> tuple[int, int]:
    """Return (row, column) of the pixel containing a world point."""
    px, py = view.to_screen(point)
    return int(py), int(px)


# --- the colour map ---------------------------------------------------------------------


def test_colour_table_runs_from_dark_purple_to_bright_yellow():
    table = lut()
    assert table.shape == (256, 3) and table.dtype == np.uint8
    assert tuple(table[0]) == (68, 1, 84) and tuple(table[-1]) == (253, 231, 37)
    # Brightness must rise all the way, so "brighter" always means "higher loss"
    # (neighbouring rows may round to the same colour, but never get darker).
    light = luminance(table.astype(float))
    assert np.all(np.diff(light) >= 0) and np.all(np.diff(light[::8]) > 0)


# --- every catalogue surface ------------------------------------------------------------


@pytest.mark.parametrize("name", names())
def test_image_fills_the_viewport_with_many_colours(name):
    surface = get(name)
    view = viewport_for(surface, surface.bounds, RECT)
    image = build_terrain(surface, view).image
    assert image.get_size() == view.size
    colours = np.unique(pixels(image).reshape(-1, 3), axis=0)
    assert len(colours) > 50


@pytest.mark.parametrize("name", names())
def test_lines_are_drawn_lighter_than_the_ground_beneath(name):
    surface = get(name)
    view = viewport_for(surface, surface.bounds, RECT)
    plain = pixels(bare(surface, view).image)
    lined = pixels(bare(surface, view, iso_lines=True).image)
    changed = np.any(plain != lined, axis=2)
    assert changed.sum() > 0.003 * changed.size
    assert np.all(luminance(lined[changed]) > luminance(plain[changed]))


@pytest.mark.parametrize("name", WITH_GLOBAL_MINIMUM)
def test_the_global_minimum_is_darker_than_the_highest_corner(name):
    surface = get(name)
    view = fit_equal(surface.bounds, RECT)
    image = pixels(bare(surface, view).image)
    low = image[screen_pixel(view, surface.global_minimum.location)]
    values = sample_grid(surface, view)
    corners = [(0, 0), (0, -1), (-1, 0), (-1, -1)]
    high = image[max(corners, key=lambda c: values[c])]
    assert luminance(low) + 60 < luminance(high)


@pytest.mark.parametrize("name", TWO_D)
def test_contour_levels_rise_inside_the_value_range(name):
    result = build_terrain(get(name), fit_equal(get(name).bounds, RECT))
    lo, hi = result.value_range
    assert 12 <= len(result.levels) <= 20
    assert np.all(np.diff(result.levels) > 0)
    assert lo < result.levels[0] and result.levels[-1] < hi


# --- linear or log scale ----------------------------------------------------------------


@pytest.mark.parametrize("name, log", [("rosenbrock", True), ("beale", True), ("bowl", False),
                                       ("ravine", False), ("plateau", False)])
def test_log_scale_is_chosen_only_for_wide_ranges(name, log):
    assert build_terrain(get(name), fit_equal(get(name).bounds, RECT)).log_scaled is log


def test_log_levels_crowd_towards_the_minimum_and_linear_ones_do_not():
    banana = build_terrain(get("rosenbrock"), fit_equal(get("rosenbrock").bounds, RECT))
    bowl = build_terrain(get("bowl"), fit_equal(get("bowl").bounds, RECT))
    assert np.all(np.diff(banana.levels, 2) > 0)  # the gaps keep growing
    assert np.allclose(np.diff(bowl.levels), np.diff(bowl.levels)[0])


# --- markers ----------------------------------------------------------------------------


def marker_change(name: str, point: Point) -> tuple[np.ndarray, np.ndarray]:
    """Return the 31×31 patch around a point with and without markers."""
    surface = get(name)
    view = fit_equal(surface.bounds, RECT)
    row, col = screen_pixel(view, point.location)
    patch = np.s_[row - 15:row + 16, col - 15:col + 16]
    without = pixels(bare(surface, view).image)[patch]
    with_markers = pixels(bare(surface, view, markers=True).image)[patch]
    return without, with_markers


def test_global_minimum_gets_a_white_star_in_its_centre():
    without, marked = marker_change("two_wells", get("two_wells").global_minimum)
    assert np.any(without != marked, axis=2).sum() > 40
    assert tuple(marked[15, 15]) == theme.MIN_GLOBAL


def test_local_minimum_gets_a_hollow_ring_unlike_the_star():
    local = next(m for m in get("two_wells").minima if not m.is_global)
    without, marked = marker_change("two_wells", local)
    assert np.any(without != marked, axis=2).sum() > 40
    assert tuple(marked[15, 15]) == tuple(without[15, 15])  # the centre stays visible


def test_saddle_gets_a_pink_cross():
    without, marked = marker_change("himmelblau", get("himmelblau").saddles[0])
    assert tuple(marked[15, 15]) == theme.SADDLE
    assert tuple(without[15, 15]) != theme.SADDLE


def test_markers_outside_the_view_are_left_out():
    surface = get("two_wells")
    view = fit_equal(((2.5, 4.5), (-1.0, 1.0)), RECT)  # neither well is in view
    plain = pixels(bare(surface, view).image)
    assert np.array_equal(plain, pixels(bare(surface, view, markers=True).image))


# --- axes -------------------------------------------------------------------------------


def test_tick_labels_darken_the_edges_but_not_the_middle():
    surface = get("bowl")
    view = fit_equal(surface.bounds, RECT)
    plain = pixels(bare(surface, view).image)
    ticked = pixels(bare(surface, view, ticks=True).image)
    changed = np.any(plain != ticked, axis=2)
    assert changed[-25:, :].sum() > 200 and changed[:, :40].sum() > 200
    assert not changed[40:-40, 80:-80].any()


@given(st.floats(1e-6, 1e6), st.integers(100, 4000), st.floats(20, 300))
def test_tick_steps_are_round_numbers(span, width, spacing):
    step = nice_step((0.0, span), width, spacing)
    mantissa = step / 10 ** np.floor(np.log10(step))
    assert any(np.isclose(mantissa, m) for m in (1, 2, 2.5, 5, 10))
    # Rounding up to the next round number at most doubles the step.
    wanted = max(width / spacing, 1.0)
    assert wanted / 2 * (1 - 1e-9) <= span / step <= wanted * (1 + 1e-9)


@pytest.mark.parametrize("value, step, text", [
    (-2.0, 1.0, "−2"), (0.0, 0.5, "0"), (0.5, 0.5, "0.5"), (-1.0, 0.5, "−1"),
    (2.5, 2.5, "2.5"), (0.001, 0.0005, "1e-3"), (200000.0, 50000.0, "2e5"),
])
def test_tick_numbers_are_written_for_people(value, step, text):
    assert format_tick(value, step) == text


# --- 1-D curves -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ONE_D)
def test_the_curve_passes_where_the_formula_says(name):
    surface = get(name)
    view = viewport_for(surface, surface.bounds, RECT)
    image = pixels(bare(surface, view).image)
    for x in np.linspace(*surface.bounds[0], 7)[1:-1]:
        row, col = screen_pixel(view, (x, float(surface.value([x]))))
        near = image[row - 2:row + 3, col - 2:col + 3].reshape(-1, 3)
        assert any(tuple(p) == terrain.CURVE_COLOUR for p in near), x
        above = image[max(row - 60, 0), col]
        assert tuple(above) != terrain.CURVE_COLOUR


@pytest.mark.parametrize("name", ONE_D)
def test_side_on_view_is_coloured_under_the_curve_only(name):
    surface = get(name)
    view = viewport_for(surface, surface.bounds, RECT)
    image = pixels(bare(surface, view).image)
    col = RECT[2] // 2
    x = float(view.to_world((col + 0.5, 0))[0])
    row, _ = screen_pixel(view, (x, float(surface.value([x]))))
    sky, ground = image[max(row - 30, 0), col], image[min(row + 30, RECT[3] - 1), col]
    assert np.ptp(sky) < 30  # the sky is grey-blue
    assert np.ptp(ground) > np.ptp(sky)  # the ground under the curve is tinted


# --- the cache --------------------------------------------------------------------------


def test_cache_reuses_a_terrain_until_the_view_changes():
    cache = TerrainCache(size=2)
    surface = get("bowl")
    small = fit_equal(surface.bounds, RECT)
    first = cache.get(surface, small)
    assert cache.get(surface, small) is first
    bigger = cache.get(surface, fit_equal(surface.bounds, (0, 0, 800, 450)))
    assert bigger is not first and bigger.image.get_size() == (800, 450)
    assert cache.get(get("bowl"), small) is not first  # a new surface object is a new map
    assert cache.get(surface, small) is not first  # only two entries are kept


# --- surfaces that blow up --------------------------------------------------------------


def half_infinite() -> Surface:
    """A bowl whose right half is infinitely high."""
    return Surface("half_inf", 2, lambda x, y: np.where(x > 0, np.inf, x**2 + y**2),
                   lambda x, y: (2 * x, 2 * y), bounds=((-2.0, 2.0), (-2.0, 2.0)), start=(-1.0, 1.0))


def test_infinite_losses_are_drawn_in_the_top_colour_without_warnings():
    surface = half_infinite()
    view = fit_equal(surface.bounds, RECT)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = bare(surface, view)
    image = pixels(result.image)
    top = terrain._palette()[terrain.MAP_COLOURS - 1]
    assert tuple(image[180, 600]) == top
    assert len(np.unique(image[:, :300].reshape(-1, 3), axis=0)) > 50
    assert np.isfinite(result.value_range).all()


@pytest.mark.parametrize("text", ["log(x) + y**2", "sqrt(x)", "1/x", "log(x*0-1) + y", "sqrt(x*0-1)"])
def test_formulas_with_gaps_draw_without_warnings(text):
    bounds = ((-2.0, 2.0), (-2.0, 2.0)) if "y" in text else ((-2.0, 2.0),)
    surface = from_expression(text, bounds=bounds, start=tuple(0.5 for _ in bounds))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view = viewport_for(surface, bounds, RECT)
        result = build_terrain(surface, view)
    assert result.image.get_size() == view.size
    assert np.isfinite(result.value_range).all()


@pytest.mark.parametrize("name", ["bowl", "xcos"])
def test_an_empty_viewport_gives_an_empty_picture(name):
    surface = get(name)
    view = viewport_for(surface, surface.bounds, (0, 0, 0, 0))
    assert build_terrain(surface, view).image.get_size() == (0, 0)


def straddles(a: np.ndarray, b: np.ndarray, level: float) -> np.ndarray:
    return (np.minimum(a, b) < level) & (np.maximum(a, b) >= level)


def test_contour_lines_lie_on_the_reported_levels():
    surface = get("bowl")
    view = fit_equal(surface.bounds, RECT)
    v = sample_grid(surface, view)
    result = bare(surface, view, iso_lines=True)
    lined = np.any(pixels(result.image) != pixels(bare(surface, view).image), axis=2)
    for level in result.levels[::4]:
        # A pixel whose loss and its left or upper neighbour's lie either side of the level.
        on_it = straddles(v[1:, 1:], v[1:, :-1], level) | straddles(v[1:, 1:], v[:-1, 1:], level)
        assert on_it.sum() > 100 and lined[1:, 1:][on_it].mean() > 0.95


# --- poles and jumps in 1-D curves --------------------------------------------------------


def curve_share_per_column(image: np.ndarray) -> np.ndarray:
    """Return, for each column, the share of its pixels painted in the curve's colour."""
    return np.all(image == terrain.CURVE_COLOUR, axis=2).mean(axis=0)


def side_view(surface: Surface, ylim, rect=RECT):
    """A side-on view of the surface's x range with chosen heights (as a zoomed player sees it)."""
    return Viewport(rect, surface.bounds[0], ylim)


@pytest.mark.parametrize("ylim", [(-10.0, 10.0), (-100.0, 100.0), None])
def test_a_pole_is_not_joined_by_a_vertical_line(ylim):
    surface = from_expression("(x+3)/(x-2)")
    view = viewport_for(surface, surface.bounds, RECT) if ylim is None else side_view(surface, ylim)
    share = curve_share_per_column(pixels(bare(surface, view).image))
    pole = int(view.to_screen((2.0, 0.0))[0])
    assert share[pole - 4:pole + 5].max() < 0.5, share[pole - 4:pole + 5]
    # Both branches are still drawn, close to the edges of the view.
    image = pixels(bare(surface, view).image)
    for y in (0.8 * view.ylim[0], 0.8 * view.ylim[1]):
        x = (2 * y + 3) / (y - 1)  # where (x + 3)/(x - 2) = y
        row, col = screen_pixel(view, (x, y))
        assert np.any(np.all(image[row - 3:row + 4, col - 3:col + 4] == terrain.CURVE_COLOUR, axis=2)), y


@pytest.mark.parametrize("text, pole", [("1/x", 0.0), ("tan(x)", np.pi / 2), ("-1/(x-1)", 1.0),
                                        ("x/(x - 0.5)**3", 0.5)])
def test_other_poles_are_broken_too(text, pole):
    surface = from_expression(text)
    view = side_view(surface, (-5.0, 5.0))
    share = curve_share_per_column(pixels(bare(surface, view).image))
    col = int(view.to_screen((pole, 0.0))[0])
    assert share[col - 4:col + 5].max() < 0.5


def test_a_step_is_not_joined_but_a_steep_climb_is():
    step = from_expression("abs(x - 1)/(x - 1)")
    view = side_view(step, (-2.0, 2.0))
    image = pixels(bare(step, view).image)
    row_mid, col = screen_pixel(view, (1.0, 0.0))
    assert not np.any(np.all(image[row_mid - 20:row_mid + 20, col - 3:col + 4] == terrain.CURVE_COLOUR, axis=2))
    for text in ("tanh(30*x)", "tanh(1000*x)", "tanh(100000*(x - 0.001))"):
        climb = from_expression(text)
        image = pixels(bare(climb, side_view(climb, (-2.0, 2.0))).image)
        for y in (-0.5, 0.0, 0.5):
            row, col = screen_pixel(view, (0.0, y))
            near = image[row - 2:row + 3, col - 6:col + 7]
            assert np.any(np.all(near == terrain.CURVE_COLOUR, axis=2)), (text, y)


@pytest.mark.parametrize("text, at", [("x/abs(x)", 0.0), ("abs(x)/x", 0.0), ("(x+1)/abs(x+1)", -1.0)])
@pytest.mark.parametrize("size", [(880, 676), (1328, 1028), (640, 360), (300, 200)])
def test_a_step_whose_undefined_point_falls_on_a_halving_is_still_broken(text, at, size):
    """Before: in the game's own view of x/abs(x), x = 0 fell exactly in the middle of a gap;
    the 0/0 there was stepped over by the next halving and a vertical line joined −1 to 1."""
    step = from_expression(text)
    view = viewport_for(step, step.bounds, (0, 0, *size))
    image = pixels(build_terrain(step, view, markers=False).image)
    row_mid, col = screen_pixel(view, (at, 0.0))
    assert not np.any(np.all(image[row_mid - 20:row_mid + 20, col - 3:col + 4] == terrain.CURVE_COLOUR, axis=2))


def test_curve_cuts_tell_jumps_from_climbs():
    surface = from_expression("abs(x)/x + tanh(50*(x - 1)) + 1/(x + 1)")
    xs = np.linspace(-2.0, 2.0, 401) + 0.005
    fx = terrain.curve_values(surface, xs)
    cut = terrain.curve_cuts(surface, xs, fx, -fx * 100)
    assert set(np.round(xs[np.flatnonzero(cut)], 3)) == {-1.005, -0.005}


def test_the_view_of_a_pole_fits_the_curve_not_the_pole():
    for text in ("(x+3)/(x-2)", "1/(x-2)**2", "tan(x)", "1/x + x**2"):
        surface = from_expression(text)
        lo, hi = viewport_for(surface, surface.bounds, RECT).ylim
        assert hi - lo < 150, text
    # A narrow well is not a pole: its bottom stays in view.
    well = from_expression("-exp(-200*x**2)")
    assert viewport_for(well, well.bounds, RECT).ylim[0] < -1.0
    for text in ("exp(2*x)", "x**10", "log(x)"):  # steep, but no pole: all of the curve fits
        surface = from_expression(text)
        xs = np.linspace(*surface.bounds[0], terrain.SIDE_SAMPLES)
        values = terrain.curve_values(surface, xs)
        lo, hi = viewport_for(surface, surface.bounds, RECT).ylim
        assert lo < np.nanmin(values[np.isfinite(values)]) and hi > np.nanmax(values), text


@pytest.mark.parametrize("text", ["(x+3)/(x-2)", "tan(x)", "1/(x-2)**2", "abs(x-1)/(x-1)", "log(abs(x))"])
def test_poles_and_steps_draw_without_warnings(text):
    surface = from_expression(text)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for view in (viewport_for(surface, surface.bounds, RECT), side_view(surface, (-1e300, 1e300))):
            assert build_terrain(surface, view).image.get_size() == view.size


def test_the_curve_grows_with_the_window():
    assert terrain.curve_width(Look(), 340) == terrain.CURVE_WIDTH
    assert terrain.curve_width(Look(), 2000) > 2 * terrain.CURVE_WIDTH
    assert terrain.curve_width(Look(presenter=True), 700) > terrain.curve_width(Look(), 700)


# --- tick labels at every size ------------------------------------------------------------

SIZES = [(320, 240), (640, 360), (1280, 720), (1920, 1080), (2900, 2100), (3840, 2160), (7680, 4320)]
PRESENTER, PRESENTER_ZH = Look(presenter=True), Look(lang="zh", presenter=True)
SIZED_LOOKS = [(size, Look()) for size in SIZES] + [
    ((320, 240), PRESENTER), ((1280, 720), PRESENTER), ((2900, 2100), PRESENTER),
    ((3840, 2160), PRESENTER), ((1920, 1080), PRESENTER_ZH), ((640, 360), PRESENTER_ZH)]


def drawn_labels(monkeypatch, surface: Surface, size, look) -> tuple[list, list]:
    """Build the terrain and return the rectangles of its left and bottom labels."""
    tabs = {"left": [], "bottom": []}
    real = axes._label

    def spy(image, look, text, pos, edge):
        tab = real(image, look, text, pos, edge)
        if tab is not None:
            tabs[edge].append(tab)
        return tab

    monkeypatch.setattr(axes, "_label", spy)
    view = viewport_for(surface, surface.bounds, (0, 0, *size))
    build_terrain(surface, view, markers=False, look=look)
    return tabs["left"], tabs["bottom"]


def never_touch(rects) -> bool:
    return not any(a.inflate(2, 2).colliderect(b) for i, a in enumerate(rects) for b in rects[i + 1:])


@pytest.mark.parametrize("size, look", SIZED_LOOKS, ids=[
    f"{w}x{h}-{'presenter' if k.presenter else 'normal'}-{k.lang}" for (w, h), k in SIZED_LOOKS])
@pytest.mark.parametrize("text", ["(x+3)/(x-2)", "x**2 + y**2", "x*cos(pi*x)/1000"])
def test_tick_labels_never_touch(monkeypatch, text, size, look):
    surface = from_expression(text)
    left, bottom = drawn_labels(monkeypatch, surface, size, look)
    assert len(bottom) >= 2 and len(left) >= 1
    assert never_touch(bottom) and never_touch(left) and never_touch(left + bottom)


def test_the_big_screen_labels_of_issue_15_are_apart(monkeypatch):
    """At 3840x2160 the labels ran together: '−1.75−1.5−1.25 …'."""
    surface = from_expression("(x+3)/(x-2)")
    _, bottom = drawn_labels(monkeypatch, surface, (2900, 2100), Look())
    gaps = [b.left - a.right for a, b in zip(bottom, bottom[1:])]
    line = Look().font(Look().label_size(2100)).get_height()
    assert min(gaps) >= terrain.TICK_GAP * line - 2


@given(st.floats(-1e6, 1e6), st.floats(1e-6, 1e6), st.integers(50, 8000), st.integers(3, 40))
def test_label_steps_leave_room_for_the_widest_label(start, span, pixels, char_width):
    limits = (start, start + span)

    def width_of(text):
        return char_width * len(text)

    step = terrain.label_step(limits, pixels, 80, width_of, char_width)
    labels = [terrain.format_tick(v, step) for v in terrain.tick_values(limits, step)]
    widest = max(map(width_of, labels), default=0)
    assert step * pixels / span >= widest + char_width - 1e-6
    assert step >= nice_step(limits, pixels, 80)
