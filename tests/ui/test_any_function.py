"""The map survives any function (issue 14, requirement 7).

A typed function whose values are huge (1e308, exp(exp(x))), constant (0, 5) or not finite
over the whole view gets a sensible axis and colour scale, or a one-sentence refusal: never
an exception. Everything here draws for real into off-screen pictures.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pygame
import pytest

from gdviz.core.custom import level_from_function
from gdviz.core.expr import ExpressionError, from_expression
from gdviz.ui import hud, terrain
from gdviz.ui.terrain import build_terrain, format_tick, linear_scale, choose_scale, viewport_for
from gdviz.ui.theme import Look
from gdviz.ui import viewport
from gdviz.ui.viewport import fit_side_on

from gdviz.core.commands import Command
from helpers import make_app, play_scene, press, run

RECT = (0, 0, 320, 200)

# Finite somewhere in view, but huge, flat, tiny or overflowing elsewhere.
HUGE = ["1e308*x", "-1e308*x", "1e308+x", "x^2+1e300", "exp(x^2)*1e300", "exp(exp(x))", "exp(exp(exp(x)))",
        "1e308*x*y", "-1e308*x*y", "exp(exp(x))+y^2", "1e300*(x^2+y^2)", "1e308*x+0*y", "x^2+1e300+y"]
FLAT = ["0", "5", "-7", "0*x", "5+0*y", "0*x+0*y", "1e300+0*x", "-1e300+0*y", "1e-308*x^2",
        "1e-320*(x^2+y^2)", "1e-300*x*y"]
# Not finite anywhere in view: drawn anyway when someone hands such a surface to the map.
NOWHERE = ["log(-x^2-1)", "sqrt(-1-x^2)", "x/0", "log(-x^2-y^2-1)", "sqrt(-1-x^2-y^2)", "x/0+y", "0*x/0",
           "(x+y)/0", "exp(exp(exp(exp(x+y)+9)))"]


def surface_of(text: str):
    """Build the surface of `text` without the start-point check, as if it had passed it."""
    dims = 2 if "y" in text else 1
    return from_expression(text, start=(0.0,) * dims)


@pytest.fixture(scope="module", autouse=True)
def _pygame():
    pygame.display.init()
    pygame.font.init()
    yield


def _draw_everything(text: str, look: Look = Look()) -> terrain.Terrain:
    surface = surface_of(text)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not even a RuntimeWarning from numpy
        view = viewport_for(surface, surface.bounds, RECT)
        made = build_terrain(surface, view, look=look)
    (x0, x1), (y0, y1) = view.xlim, view.ylim
    assert all(math.isfinite(v) for v in (x0, x1, y0, y1, x1 - x0, y1 - y0)) and y1 > y0 and x1 > x0
    assert all(math.isfinite(s) and s > 0 for s in view.scale)
    assert made.image.get_size() == RECT[2:]
    assert all(math.isfinite(v) for v in made.value_range)
    return made


@pytest.mark.parametrize("text", HUGE + FLAT + NOWHERE)
def test_the_map_is_drawn_for_any_function(text):
    _draw_everything(text)


@pytest.mark.parametrize("text", ["1e308*x", "5", "log(-x^2-1)", "1e308*x*y", "x^2+1e300"])
def test_the_map_is_drawn_in_presenter_mode_and_at_odd_sizes(text):
    surface = surface_of(text)
    for rect in ((0, 0, 1, 1), (0, 0, 3840, 40), (0, 0, 37, 900)):
        build_terrain(surface, viewport_for(surface, surface.bounds, rect), look=Look(presenter=True))


def test_a_flat_curve_gets_a_readable_window_around_its_height():
    assert viewport.value_window(np.full(8, 5.0)) == (4.0, 6.0)
    assert viewport.value_window(np.zeros(8)) == (-1.0, 1.0)
    lo, hi = viewport.value_window(np.full(8, 1e300))
    assert lo < 1e300 < hi and hi - lo == pytest.approx(0.4e300)
    # x² + 1e300: its bumps are below a float's resolution, so it is flat, not a zero-height window.
    view = fit_side_on((-3, 3), np.linspace(0, 9, 50) + 1e300, RECT)
    assert view.ylim[1] - view.ylim[0] > 1e299


def test_huge_values_give_a_finite_window_and_distinct_tick_labels():
    lo, hi = viewport.value_window(np.array([-1.7e308, 0.0, 1.7e308, np.inf, np.nan]))
    assert math.isfinite(hi - lo) and lo < 0 < hi
    view = fit_side_on((-3, 3), np.array([-1.7e308, 1.7e308]), RECT)
    assert math.isfinite(view.ylim[1] - view.ylim[0])
    step = terrain.nice_step(view.ylim, 200, 40)
    assert math.isfinite(step) and len(terrain.tick_values(view.ylim, step)) <= 10
    # Ticks of 1e10 + k must not all read "1e10".
    labels = [format_tick(1e10 + k, 1.0) for k in range(4)]
    assert len(set(labels)) == 4, labels


def test_the_colour_scale_spans_losses_beyond_what_a_float_can_subtract():
    values = np.array([[-1.7e308, -1e300, 0.0, 1e300, 1.7e308]])
    scale = linear_scale(values)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = scale.to_unit(values)
        back = scale.from_unit(np.array([0.0, 0.5, 1.0]))
    assert np.all(np.diff(t) >= 0) and t[0, 0] == 0.0 and t[0, -1] == 1.0 and 0.4 < t[0, 2] < 0.6
    assert np.all(np.isfinite(back)) and back[0] == pytest.approx(-1.7e308) and back[-1] == pytest.approx(1.7e308)
    # Tiny spans too: 1e-300·x² keeps its shape instead of vanishing below float32's smallest number.
    tiny = np.array([[0.0, 1e-300, 2e-300, 4e-300]])
    t = choose_scale(tiny).to_unit(tiny)
    assert t[0, 0] == 0.0 and t[0, -1] == 1.0 and np.all(np.diff(t) > 0)


def test_the_2d_map_of_a_huge_saddle_keeps_its_colours_apart():
    made = _draw_everything("1e308*x*y")
    image = pygame.surfarray.array3d(made.image)
    # Near the centre the saddle is finite: the four quadrants are not one colour.
    w, h = RECT[2:]
    corner_colours = {tuple(image[w // 2 + dx, h // 2 + dy]) for dx in (-8, 8) for dy in (-8, 8)}
    assert len(corner_colours) >= 2


@pytest.mark.parametrize("text", ["1e308*(x^2+y^2)", "-1e308*x^2", "x/0", "log(-x^2-1)", "sqrt(-1-x^2)", "1/0",
                                  "log(-x^2-y^2-1)", "sqrt(-1-x^2-y^2)", "1/0+x+y"])
def test_a_function_with_no_usable_start_is_refused_in_one_sentence(text):
    with pytest.raises(ExpressionError) as caught:
        level_from_function(text)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 200 and not message.startswith("Traceback")


def test_overflow_is_refused_as_too_big_not_as_a_log_of_a_negative_number():
    with pytest.raises(ExpressionError) as caught:
        level_from_function("1e308*(x^2+y^2)")
    assert "too big" in str(caught.value) and "log" not in str(caught.value)


@pytest.mark.parametrize("losses", [
    np.full(20, 1e308), np.linspace(1e300, 1.7e308, 20), np.full(20, 5.0), np.zeros(20),
    np.array([1.0, np.inf, np.nan, -np.inf] * 5), np.full(20, np.nan), np.array([-1.7e308, 1.7e308] * 10),
])
def test_the_loss_plot_draws_any_losses(losses):
    target = pygame.Surface((320, 200))
    steps = np.arange(len(losses), dtype=float)
    floor = float(np.nanmin(np.where(np.isfinite(losses), losses, np.nan))) if np.isfinite(losses).any() else 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # what matters is that nothing raises
        hud.draw_loss_plot(target, Look(), pygame.Rect(0, 0, 320, 200),
                           [(steps, losses, (255, 0, 0), "1")], floor, 14)


@pytest.mark.parametrize("text", ["1e308*x", "1e308*x*y", "x^2+1e300", "1e308+x", "5", "0*x+0*y", "exp(exp(x))",
                                  # tiny values: arrows 1e-320 px long once were stretched by dividing by that
                                  "1e-320*x^2", "5e-324*x", "1e-320*(x^2+y^2)", "(x/1e160)^2", "1e-300*x*y"])
def test_the_game_plays_any_function_without_falling_back_to_the_title(text, monkeypatch):
    monkeypatch.setenv("GDVIZ_STRICT", "1")  # an error raises instead of being recovered from
    app = make_app("--function", text, "--level", "your-function", size="640x360")
    run(app, 2)
    press(app, Command.PLAY_PAUSE, frames=30)  # the balls roll (or fly off) for half a second
    press(app, Command.STEP_MODE, frames=2)
    assert play_scene(app).session.level.id == "your-function"


@pytest.mark.parametrize("text", ["1e308*x", "1e300*x^2-1e300*y^2"])
def test_huge_functions_print_no_numpy_warning(text, tmp_path):
    """Before: 'RuntimeWarning: overflow encountered' lines from the arrows and step-by-step
    reached stderr, although a 1e308 slope is simply an arrow too long to draw."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = tmp_path / "steps.txt"
    script.write_text("0.1 play\n1 step_mode\n1.5 step\n2 step\n")
    result = subprocess.run([sys.executable, "main.py", "--headless", "--frames", "150", "--function", text,
                             "--script", str(script)], cwd=Path(__file__).parents[2], capture_output=True,
                            text=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    assert result.returncode == 0 and "Warning" not in result.stderr, result.stderr
