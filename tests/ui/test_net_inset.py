"""The network level's insets: drawn on the map, clear of the balls, with the stage's numbers."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pygame
import pytest
from helpers import make_app, play_scene, press, run

from gdviz.core.commands import Command
from gdviz.ui import axes, hud, net_inset, theme
from gdviz.ui.scenes.play_map import Frame


def insets(app, frames: int = 1):
    """Draw the insets of the current play screen again (after `frames` frames) and return their boxes."""
    run(app, frames)
    p = play_scene(app)
    frame = Frame(app.screen, app.look, p.session, p.geometry, 1.0)
    return frame, net_inset.draw_insets(frame, p.view.banners.keepout(frame), [])


@pytest.mark.parametrize("size, lang", [("1280x720", "en"), ("1024x600", "zh")])
def test_both_insets_sit_on_the_map_clear_of_every_ball(size, lang):
    app = make_app("--level", "training-a-network", "--lang", lang, size=size)
    run(app, 2)
    press(app, Command.STEP_MODE)
    frame, boxes = insets(app)
    assert len(boxes) == 2 and boxes[0].colliderect(boxes[1]) is False
    balls = frame.geo.to_pixels(np.array(frame.session.display_positions()))
    for box in boxes:
        assert frame.geo.layout.map.contains(box)
        for x, y in balls:
            assert not box.inflate(2 * frame.geo.sizes.ball, 2 * frame.geo.sizes.ball).collidepoint(x, y)


def test_the_fit_draws_each_ball_curve_and_marks_the_batch_in_the_ball_colour_over_the_curves():
    app = make_app("--level", "mini-batches", size="1280x720")
    run(app, 2)
    press(app, Command.NEXT_BALL)
    press(app, Command.NEXT_BALL)
    press(app, Command.STEP_MODE)
    frame, (fit, _net) = insets(app)
    stage = frame.session.step_mode.current
    assert stage.key == "forward" and stage.values["n"] == 1
    pixels = pygame.surfarray.array3d(frame.target.subsurface(fit)).reshape(-1, 3)
    for i in range(3):
        colour = np.array(theme.ball_colour(i))
        assert (np.abs(pixels - colour).sum(axis=1) < 30).sum() > 20  # every ball's curve (and number)
    plot = net_inset.draw_fit(frame, fit, stage)  # drawn again: where is the one point this step uses?
    surface = frame.session.race.surface
    used = stage.values["batch"][0]
    (x, y), = net_inset.FitScale(plot, surface.data_x, surface.data_y)(surface.data_x[used], surface.data_y[used])
    assert tuple(frame.target.get_at((int(x), int(y))))[:3] == theme.ball_colour(frame.session.selected)


def test_a_curve_leaving_the_fit_box_is_cut_at_its_edge_not_flattened_along_it():
    app = make_app("--level", "mini-batches", size="1280x720")
    run(app, 2)
    p = play_scene(app)
    for ball, weights in zip(p.session.race.balls, ([1.39, 1.25], [1.39, 1.25], [2.0, 2.16])):
        ball.position[0] = weights  # the one-point ball's w₂ = 2.16: its curve reaches ±2.16, above the box
    assert np.allclose(p.session.display_positions()[2], [2.0, 2.16])
    target = pygame.Surface(app.screen.get_size())
    target.set_clip(p.geometry.layout.map)  # as the play view draws the insets
    frame = Frame(target, app.look, p.session, p.geometry, 1.0)
    box = pygame.Rect(p.geometry.layout.map.x + 40, p.geometry.layout.map.y + 40, 320, 220)
    plot = net_inset.draw_fit(frame, box, None)
    pixels = pygame.surfarray.array3d(target)
    outside = np.ones(pixels.shape[:2], bool)
    outside[box.left:box.right, box.top:box.bottom] = False
    assert not pixels[outside].any()  # nothing drawn outside the box
    mine = np.abs(pixels - np.array(theme.ball_colour(2))).sum(axis=2) < 30
    inside = mine[plot.left:plot.right, plot.top:plot.bottom]
    assert inside.sum() > 50  # the curve is drawn where it is inside the box...
    curve = slice(box.left, plot.right - 20)  # (the ball's number sits just right of its curve's end)
    assert not mine[box.left:plot.left].any() and not mine[curve, box.top:plot.top].any()
    for rows in (slice(plot.top, plot.top + 4), slice(plot.bottom - 4, plot.bottom)):
        along = mine[plot.left:plot.right, rows].any(axis=1).sum()
        assert along < 0.1 * plot.width  # ...and only crosses the edge: no flat line along it


def test_the_insets_are_opaque_panels():
    app = make_app("--level", "training-a-network", size="1280x720")
    run(app, 2)
    press(app, Command.STEP_MODE)
    frame, boxes = insets(app)
    for box in boxes:
        assert tuple(frame.target.get_at((box.x + 3, box.centery)))[:3] == frame.look.colours.panel


@pytest.mark.parametrize("size, lang, step", [("1280x720", "en", True), ("1280x720", "zh", False),
                                               ("1024x600", "zh", True), ("1024x600", "en", False)])
def test_the_insets_keep_off_the_axes_tick_labels(size, lang, step):
    app = make_app("--level", "training-a-network", "--lang", lang, size=size)
    run(app, 2)
    if step:
        press(app, Command.STEP_MODE)
    frame, boxes = insets(app)
    view = frame.geo.viewport
    scratch = pygame.Surface(view.size)
    local = dataclasses.replace(view, rect=(0, 0, *view.size))
    tabs = [tab.move(view.rect[0], view.rect[1]) for tab in
            axes.draw_axes(scratch, local, frame.look, axes.axis_steps(local, frame.look, same=True))]
    assert len(boxes) == 2 and tabs
    for box in boxes:
        assert box.collidelist(tabs) < 0, (box, tabs)


NUMBER = re.compile(r"^(\S+) = (\S+)$")


def shown_numbers(app, monkeypatch) -> tuple[list[str], dict[str, float]]:
    """Draw the insets again, recording every text the network inset writes; return the texts and
    the numbers written as 'name = value'."""
    texts = []
    original = hud.draw_text

    def record(target, look, text, *args, **kwargs):
        texts.append(text)
        return original(target, look, text, *args, **kwargs)

    run(app, 1)
    monkeypatch.setattr(hud, "draw_text", record)
    insets(app, 0)
    monkeypatch.undo()
    numbers = {}
    for text in texts:
        if (match := NUMBER.match(text)) is not None:
            numbers[match[1]] = float(match[2].replace("−", "-"))
    return texts, numbers


@pytest.mark.parametrize("level, tabs, lang", [("training-a-network", 0, "en"), ("mini-batches", 1, "zh"),
                                               ("mini-batches", 2, "en")])
def test_the_network_inset_shows_one_point_numbers_that_multiply_out(level, tabs, lang, monkeypatch):
    app = make_app("--level", level, "--lang", lang, size="1280x720")
    run(app, 2)
    for _ in range(tabs):
        press(app, Command.NEXT_BALL)
    press(app, Command.STEP_MODE)
    seen = {}
    while play_scene(app).session.step_mode.current.key in ("forward", *net_inset.BACKWARD):
        texts, numbers = shown_numbers(app, monkeypatch)
        assert not any("∂L" in text for text in texts)  # the box holds one point's numbers only: ∂ℓ
        seen.update(numbers)
        press(app, Command.STEP)
    rel = {"rel": 0.02, "abs": 2e-3}  # each number is shown to 3 significant figures
    assert seen["h"] == pytest.approx(np.tanh(seen["w₁"] * seen["x"]), **rel)
    assert seen["ŷ"] == pytest.approx(seen["w₂"] * seen["h"], **rel)
    assert seen["∂ℓ/∂ŷ"] == pytest.approx(2 * (seen["ŷ"] - seen["y"]), **rel)
    assert seen["∂ℓ/∂w₂"] == pytest.approx(seen["∂ℓ/∂ŷ"] * seen["h"], **rel)
    assert seen["∂ℓ/∂h"] == pytest.approx(seen["∂ℓ/∂ŷ"] * seen["w₂"], **rel)
    assert seen["∂ℓ/∂z"] == pytest.approx(seen["∂ℓ/∂h"] * (1 - seen["h"] ** 2), **rel)
    assert seen["∂ℓ/∂w₁"] == pytest.approx(seen["∂ℓ/∂z"] * seen["x"], **rel)


@pytest.mark.parametrize("tabs, heading", [(0, "the network, on the first of 40 points"),
                                           (1, "the network, on the first of 4 points"),
                                           (2, "the network, on this step's one point")])
def test_the_network_heading_counts_its_points_in_good_english(tabs, heading, monkeypatch):
    app = make_app("--level", "mini-batches", size="1280x720")
    run(app, 2)
    for _ in range(tabs):
        press(app, Command.NEXT_BALL)
    press(app, Command.STEP_MODE)
    texts, _ = shown_numbers(app, monkeypatch)
    assert heading in texts


def test_no_insets_on_a_formula_level():
    app = make_app("--level", "saddle", size="1280x720")
    run(app, 2)
    assert insets(app)[1] == []
