"""The visual grammar, probed in real rendered pixels: arrows point the way they push, nothing
is drawn smaller than the ball, squares keep growing with AdaGrad's sum, every kind has a key."""

from __future__ import annotations

import numpy as np
import pygame
import pytest
from helpers import make_app, play_scene, press, run, texts_rendered

from gdviz.core.commands import Command
from gdviz.ui import glyph_key, grammar, theme
from gdviz.ui.grammar import Scales

ALL_GLYPHS = (Command.TOGGLE_GRAD, Command.TOGGLE_MOMENTUM, Command.TOGGLE_SQUARES, Command.TOGGLE_UPDATE)


def in_level(level: str, *, optimizer: str | None = None, lr: float | None = None, only=(), steps: int = 0):
    """A level with the player's ball tuned, `steps` taken, and only the glyph toggles in `only` on."""
    app = make_app("--level", level, size="1280x720")
    run(app, 2)
    if optimizer:
        press(app, Command.OPTIMIZER, optimizer)
    if lr:
        press(app, Command.SET_LR, lr)
    toggles = play_scene(app).session.toggles
    for command, flag in zip(ALL_GLYPHS, ("grad", "velocity", "squares", "update")):
        if getattr(toggles, flag) != (command in only):
            press(app, command)
    press(app, Command.TOGGLE_TRAILS)
    for _ in range(steps):
        press(app, Command.STEP)
    run(app, 20)  # the glide between steps has finished
    return app


def pixels_of(app, colour, near: np.ndarray | None = None, reach: float = 260) -> np.ndarray:
    """Return (n, 2) screen coordinates of the map's pixels exactly in `colour` (within `reach` of `near`)."""
    area = play_scene(app).geometry.layout.map
    rgb = pygame.surfarray.array3d(app.screen)[area.left:area.right, area.top:area.bottom]
    xs, ys = np.nonzero(np.all(rgb == np.array(colour), axis=2))
    found = np.stack([xs + area.left, ys + area.top], axis=1)
    if near is not None:  # leave out the key's samples and other balls' glyphs
        found = found[np.abs(found - near).max(axis=1) <= reach]
    return found


def ball_pixel(app, index: int | None = None) -> np.ndarray:
    p = play_scene(app)
    index = p.session.selected if index is None else index
    return p.geometry.to_pixels(p.session.race.balls[index].position[:1])[0]


def test_the_momentum_arrow_points_the_way_the_ball_moves_on_a_bowl():
    app = in_level("saddle", optimizer="momentum", lr=0.05, only=(Command.TOGGLE_MOMENTUM,), steps=4)
    p = play_scene(app)
    before = p.session.ball.position[0].copy()
    drawn = pixels_of(app, theme.ARROW_COLOURS["velocity"], ball_pixel(app)) - ball_pixel(app)
    assert len(drawn) > 30
    press(app, Command.STEP)
    moved = p.session.ball.position[0] - before
    moved_on_screen = np.array([moved[0], -moved[1]])  # screen y grows downwards
    arrow = drawn.mean(axis=0)
    cosine = arrow @ moved_on_screen / (np.linalg.norm(arrow) * np.linalg.norm(moved_on_screen))
    assert cosine > 0.95, f"the velocity arrow points {arrow}, the ball moved {moved_on_screen}"


def test_the_downhill_arrow_points_downhill():
    app = in_level("bowl-learning-rate", only=(Command.TOGGLE_GRAD,))
    p = play_scene(app)
    g = p.session.previews()[p.session.selected].glyphs["grad"]
    drawn = pixels_of(app, theme.ARROW_COLOURS["grad"], ball_pixel(app)) - ball_pixel(app)
    arrow = drawn.mean(axis=0)
    assert arrow @ np.array([-g[0], g[1]]) > 0  # −g on screen (y flipped)


@pytest.mark.parametrize("level, toggle, kind", [("plateau", Command.TOGGLE_UPDATE, "step"),
                                                 ("adam", Command.TOGGLE_GRAD, "grad")])
def test_the_smallest_arrow_reaches_past_the_ball_and_its_ring(level, toggle, kind):
    app = in_level(level, only=(toggle,))
    p = play_scene(app)
    true_length = np.linalg.norm(p.session.previews()[p.session.selected].glyphs[kind])
    scales = Scales.build(p.geometry, p.view._arrow_gain(p.session.level))
    assert true_length * scales.px_per_unit(kind, p.session.ball.optimizer.name) < 2  # far too short to see
    drawn = pixels_of(app, theme.ARROW_COLOURS[kind], ball_pixel(app), reach=80)
    reach = np.linalg.norm(drawn - ball_pixel(app), axis=1).max()
    assert reach > p.geometry.sizes.ball + 6 + 2  # beyond the ball and its selection ring


def square_side(app) -> int:
    """The side of the x square (it grows right-down from the ball), from its bright edge."""
    centre = ball_pixel(app, 0).astype(int)
    edge = pixels_of(app, theme.ARROW_COLOURS["squares"], centre, reach=600)
    # Just below the ball's row the square's only bright pixels are its right-hand edge.
    band = edge[(edge[:, 0] > centre[0]) & (edge[:, 1] > centre[1] + 8) & (edge[:, 1] < centre[1] + 24)]
    return int(band[:, 0].max() - centre[0]) if len(band) else 0


def test_adagrads_square_keeps_growing_over_400_steps():
    app = in_level("adagrad-vs-rmsprop", only=(Command.TOGGLE_SQUARES,))
    p = play_scene(app)
    while p.session.ball.optimizer.name != "rmsprop":
        press(app, Command.NEXT_BALL)
    press(app, Command.REMOVE_BALL)  # AdaGrad alone, so its squares are the only ones
    assert [b.optimizer.name for b in p.session.race.balls] == ["adagrad"]
    sides, sums = [], []
    for target in (20, 100, 400):
        while p.session.race.step_count < target:
            press(app, Command.STEP, frames=0)
        run(app, 3)
        sides.append(square_side(app))
        sums.append(float(p.session.previews()[0].glyphs["squares"][0]))
    assert sums[2] > 10 * sums[0]  # the sum only grows: the level's whole point
    assert sides[0] < sides[1] < sides[2] and sides[2] > sides[0] + 20


def test_adams_squares_are_what_divides_its_step_the_bias_corrected_average():
    app = in_level("saddle", optimizer="adam", only=(Command.TOGGLE_SQUARES,))
    p = play_scene(app)
    q = p.session.previews()[p.session.selected]
    v_hat = q.trace.squares[0] / (1 - 0.999)  # step 1: v̂ = v / (1 − β2)
    np.testing.assert_allclose(q.glyphs["squares"], v_hat, rtol=1e-12)


def test_arrow_scales_are_one_per_kind_and_the_same_for_every_optimizer():
    app = in_level("saddle")
    p = play_scene(app)
    scales = Scales.build(p.geometry, p.view._arrow_gain(p.session.level))
    for kind in ("grad", "step"):
        assert len({scales.px_per_unit(kind, name) for name in ("gd", "momentum", "adam", "adagrad")}) == 1
    assert scales.px_per_unit("velocity", "momentum") == scales.px_per_unit("velocity", "adam") == scales.slope_px
    assert grammar.round_unit(0.37) == 0.5 and grammar.round_unit(120) == 200


def test_an_arrow_too_long_for_the_map_is_broken_and_labelled():
    scales = Scales(slope_px=100.0, slope_unit=1.0, direction_px=50.0, step_px=80.0, step_unit=1.0,
                    min_px=25.0, max_px=200.0)
    long = grammar.fit_arrow(np.array([900.0, 0.0]), scales)
    short = grammar.fit_arrow(np.array([0.0, 3.0]), scales)
    exact = grammar.fit_arrow(np.array([60.0, 80.0]), scales)
    assert long.broken and np.hypot(*long.vector) == 200 and long.length == 900
    assert short.stretched and np.hypot(*short.vector) == 25 and short.length == 3
    assert not (exact.broken or exact.stretched) and np.allclose(exact.vector, [60, 80])


def test_the_key_names_each_kind_drawn_with_its_scale(monkeypatch):
    seen = texts_rendered(monkeypatch)
    glyph_key.picture.cache_clear()  # the key is drawn once and kept: draw it afresh here
    in_level("adam", only=ALL_GLYPHS, steps=2)
    joined = " | ".join(seen)
    for name in ("−g downhill", "−m̂", "−g/√v direction", "step (map scale)", "log scale"):
        assert name in joined, name
    assert "Arrows point the way they push the ball" in joined
