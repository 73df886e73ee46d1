"""A ball stopped where the surface has no slope wears its own mark and words, never the red burst."""

from __future__ import annotations

import numpy as np
import pygame
import pytest
from helpers import make_app, play_scene, press, run, texts_rendered

from gdviz.core.commands import Command
from gdviz.core.sim import NO_SLOPE, RUNNING
from gdviz.ui import glyphs, theme
from gdviz.ui.strings import tr

FORMULA = "x^2 + y^2 + sqrt(x + 2)"  # slope infinite along x = -2, height 4 + y² there


def pixels_near(app, centre, reach: int) -> np.ndarray:
    x, y = int(centre[0]), int(centre[1])
    box = pygame.Rect(x - reach, y - reach, 2 * reach, 2 * reach).clip(app.screen.get_rect())
    return pygame.surfarray.array3d(app.screen.subsurface(box)).reshape(-1, 3)


def stopped_app(lang: str = "en"):
    app = make_app("--function", FORMULA, "--lang", lang, size="1280x720")
    run(app, 3)
    session = play_scene(app).session
    session.race.set_start(1, (-2.0, 0.0))  # not the selected ball: its ring is not the selection's
    press(app, Command.STEP, frames=30)
    return app, session


def test_a_ball_with_no_slope_gets_a_question_mark_not_a_burst():
    app, session = stopped_app()
    assert session.race.balls[1].status[0] == NO_SLOPE and session.selected != 1
    p = play_scene(app)
    centre = p.geometry.to_pixels(session.race.balls[1].position[:1])[0]
    near = pixels_near(app, centre, 3 * p.geometry.sizes.ball)
    assert not (near == theme.BAD).all(axis=1).any()  # no red burst: it did not fly off
    assert (near == theme.RING).all(axis=1).sum() > 30  # the dashed ring and the "?" badge


def test_the_mark_differs_from_the_settled_and_flown_off_marks():
    marks = []
    for draw in (lambda s: glyphs.draw_no_slope(s, (40, 40), 10), lambda s: glyphs.draw_calm(s, (40, 40), 10),
                 lambda s: glyphs.draw_burst(s, (40, 40), (200, 200, 0), 10)):
        surface = pygame.Surface((80, 80))
        draw(surface)
        marks.append(pygame.surfarray.array3d(surface))
    assert not np.array_equal(marks[0], marks[1]) and not np.array_equal(marks[0], marks[2])
    assert not (marks[0].reshape(-1, 3) == theme.BAD).all(axis=1).any()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_panel_says_no_slope_here_and_shows_no_bad_number(lang, monkeypatch):
    seen = texts_rendered(monkeypatch)
    app, session = stopped_app(lang)
    session.selected = 1
    seen.clear()
    run(app, 2)
    assert any(tr(lang, "status.no_slope") in text for text in seen)
    assert not any(tr(lang, "status.diverged") in text for text in seen)
    assert session.race.balls[0].status[0] == RUNNING
