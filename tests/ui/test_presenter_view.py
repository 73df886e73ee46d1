"""Presenter view, read from the back of a room: the step's numbers docked clear of everything
that moves and of the panel, numbers in fixed point (never e-notation), footers shortened by
whole items, the loss plot readable or not there at all."""

from __future__ import annotations

import re

import numpy as np
import pytest
from helpers import make_app, play_scene, press, run

from gdviz.core.commands import Command
from gdviz.core.sim import DIVERGED
from gdviz.ui import hud
from gdviz.ui.scenes import play_panel
from gdviz.ui.scenes.play_banners import _big_number_rows
from gdviz.ui.scenes.play_view import PLAY_FOOTER, footer_texts
from gdviz.ui.theme import Look

E_NOTATION = re.compile(r"\d[eE][−+-]?\d")
AHEAD = 100  # "what moves": where the balls go in this many steps once play resumes
SIZES = ("1280x720", "1024x600")


def paused_presenting(level: str, size: str, *extra: str, steps: int = 4):
    """A level in presenter mode, played for a few steps and paused, as a teacher would leave it."""
    app = make_app("--present", "--level", level, *extra, size=size)
    run(app, 2)
    for _ in range(steps):
        press(app, Command.STEP)
    run(app, 2)
    return app


def dense(pixels: np.ndarray, per_segment: int = 12) -> np.ndarray:
    pixels = pixels[np.isfinite(pixels).all(axis=1)]
    t = np.linspace(0, 1, per_segment)[:, None, None]
    return (pixels[:-1] + (pixels[1:] - pixels[:-1]) * t).reshape(-1, 2) if len(pixels) > 1 else pixels


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("level", ["adam", "saddle"])
def test_this_step_box_covers_no_ball_nor_where_the_balls_go_and_stays_off_the_panel(level, size):
    app = paused_presenting(level, size)
    p = play_scene(app)
    box, layout, geo = p.view.placed["numbers"], p.geometry.layout, p.geometry
    assert layout.map.contains(box), "the box runs off the map"
    assert not box.colliderect(layout.panel) and not box.colliderect(layout.footer)
    assert box.height <= 0.45 * layout.map.height, "the box takes too much of the map"
    for centre in geo.to_pixels(np.array(p.session.display_positions())):
        assert not box.inflate(2 * geo.sizes.ball, 2 * geo.sizes.ball).collidepoint(*centre), "a ball under the box"
    before = p.session.race.step_count
    for _ in range(AHEAD):
        press(app, Command.STEP, frames=0)
    for ball in (b for b in p.session.race.balls if b.status[0] != DIVERGED):
        path = geo.to_pixels(ball.trail(ball.moves + 1)[-(p.session.race.step_count - before + 1):, 0])
        under = [tuple(q) for q in dense(path) if box.collidepoint(*q)]
        assert not under, f"{ball.label} rolls under the box at {under[:3]}"


def test_presenter_numbers_are_fixed_point_never_e_notation():
    app = paused_presenting("adam", "1280x720")  # slopes of a few millionths
    p = play_scene(app)
    look, session = app.look, p.session
    texts = [value for _, value, _ in _big_number_rows(session.ball.optimizer, session.previews()[session.selected].glyphs,
                                                         look)]
    texts += [text for text, _ in play_panel._number_rows(session, look)]
    for row in play_panel._leaderboard_rows(session):
        texts += list(play_panel._row_texts(row, look)[0])
    assert texts and not [t for t in texts if E_NOTATION.search(t)]
    assert any("× 10" in t for t in texts)  # millionths: a × 10ⁿ, the one place fixed point cannot go
    plain = Look()  # the same numbers outside presenter mode are still compact (and may use e)
    assert any(E_NOTATION.search(t) for t, _ in play_panel._number_rows(session, plain))


def test_step_by_step_captions_in_presenter_mode_have_no_e_notation():
    app = paused_presenting("adam", "1280x720")
    press(app, Command.STEP_MODE, frames=2)
    mode = play_scene(app).session.step_mode
    for view in mode.views:
        caption = view.caption(app.look.lang, fixed=True)
        assert not E_NOTATION.search(caption), caption


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", ["1280x720", "1024x600", "320x240"])
def test_play_footer_leaves_out_whole_items_by_priority_never_cutting_a_word(size, lang):
    app = paused_presenting("adam", size, "--lang", lang, steps=1)
    p = play_scene(app)
    look, footer = app.look, p.geometry.layout.footer
    small = p.geometry.sizes.small
    hints, state = footer_texts(look, p.session, footer.width - 20, small)
    items = [look.tr(key) for key, _ in PLAY_FOOTER]
    shown = hints.split(hud.SEPARATOR) if hints else []
    assert all(item in items for item in shown), f"an item was cut: {shown}"
    assert "…" not in hints + state
    assert hud.text_width(look, hints, small) + hud.text_width(look, state, small, True) <= footer.width - 20
    ranks = {look.tr(key): rank for key, rank in PLAY_FOOTER}
    left_out = [rank for item, rank in ranks.items() if item not in shown]
    assert not shown or not left_out or min(left_out) > max(ranks[item] for item in shown), "a lesser item kept"
    if size in SIZES:
        assert look.tr("footer.back") in shown, "Esc must stay on a projector"


@pytest.mark.parametrize("present", [True, False])
@pytest.mark.parametrize("size", ["1920x1080", "1024x600"])
def test_loss_plot_is_readable_or_not_drawn(size, present):
    """The plot shows only with room for its title, a legend row and a graph four lines of its
    labels tall (the old panel squeezed it to 60 px with its labels on top of one another)."""
    app = paused_presenting("saddle", size) if present else make_app("--level", "saddle", size=size)
    run(app, 2)
    p = play_scene(app)
    plot, look, small = p.view.panel.plot, app.look, p.geometry.sizes.small
    if plot is not None:
        label, title = look.font(small - 2).get_linesize(), look.font(small).get_linesize()
        assert plot.height - 16 - 2 * title >= 4 * label
        assert p.geometry.layout.panel.contains(plot)
    if not present and size == "1920x1080":
        assert plot is not None, "room enough, yet no plot"
