"""The network level's insets: drawn on the map, clear of the balls, with the stage's numbers."""

from __future__ import annotations

import numpy as np
import pygame
import pytest
from helpers import make_app, play_scene, press, run

from gdviz.core.commands import Command
from gdviz.ui import net_inset
from gdviz.ui.scenes.play_map import Frame


def insets(app):
    """Draw the insets of the current play screen again and return their boxes."""
    run(app, 1)
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


def test_the_fit_draws_each_ball_curve_and_rings_the_batch():
    app = make_app("--level", "mini-batches", size="1280x720")
    run(app, 2)
    press(app, Command.NEXT_BALL)
    press(app, Command.NEXT_BALL)
    press(app, Command.STEP_MODE)
    frame, (fit, net) = insets(app)
    stage = frame.session.step_mode.current
    assert stage.key == "forward" and stage.values["n"] == 1
    pixels = pygame.surfarray.array3d(frame.target.subsurface(fit)).reshape(-1, 3)
    accent = np.array(frame.look.colours.accent)
    assert (np.abs(pixels - accent).sum(axis=1) < 30).any()  # the one point this step uses is ringed
    from gdviz.ui import theme
    for i in range(3):
        colour = np.array(theme.ball_colour(i))
        assert (np.abs(pixels - colour).sum(axis=1) < 30).sum() > 20  # every ball's curve (and number)


def test_no_insets_on_a_formula_level():
    app = make_app("--level", "saddle", size="1280x720")
    run(app, 2)
    assert insets(app)[1] == []
