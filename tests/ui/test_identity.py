"""Balls you can tell apart, and a side panel that holds still (issue 12), on real off-screen renders.

Each ball has its own colour and its number drawn in it (readable in grey-scale), a name
from its level file in the player's language, and the player's balls a "you" badge; the
leaderboard and the loss plot use the same colours and numbers. Rows and columns of the
side panel are reserved, so nothing in it moves when numbers grow or a ball flies off.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import pygame
import pytest
from helpers import make_app, play_scene, press, run

from gdviz.core.commands import Command
from gdviz.core.sim import DIVERGED
from gdviz.ui import glyphs, hud, theme
from gdviz.ui.theme import Look

BOWL = "bowl-learning-rate"  # four gradient-descent balls, the player's is ball 2
NAMES = {"en": ("just right", "too small", "too big", "diverging"),
         "zh": ("刚刚好", "学习率太小", "学习率太大", "发散")}


def started(level: str, *extra: str, size: str = "960x540"):
    """The app in `level` one step in: past the briefing, every ball moved once."""
    app = make_app("--level", level, *extra, size=size)
    run(app, 2)
    press(app, Command.STEP, frames=30)
    return app


def centre_of(app, index: int) -> np.ndarray:
    p = play_scene(app)
    return p.geometry.to_pixels(p.session.race.balls[index].position[:1])[0]


def grey(pixels: np.ndarray) -> np.ndarray:
    """Relative luminance (0 to 1) of RGB pixels, what a grey-scale print or projector shows."""
    return np.array([theme.luminance(tuple(int(c) for c in px)) for px in pixels.reshape(-1, 3)])


def contrast(a: float, b: float) -> float:
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def disc_pixels(surface: pygame.Surface, centre, radius: float) -> np.ndarray:
    """The pixels inside a circle: where a ball's fill and its number are."""
    rgb = pygame.surfarray.array3d(surface)
    xs, ys = np.meshgrid(np.arange(rgb.shape[0]), np.arange(rgb.shape[1]), indexing="ij")
    inside = np.hypot(xs - centre[0], ys - centre[1]) <= radius
    return rgb[inside]


@contextmanager
def calls_to(owner, name: str):
    """Record the (args, kwargs) of every call to owner.name meanwhile (still calling it)."""
    calls: list[tuple[tuple, dict]] = []
    real = getattr(owner, name)

    def spy(*args, **kwargs):
        calls.append((args, kwargs))
        return real(*args, **kwargs)

    setattr(owner, name, spy)
    try:
        yield calls
    finally:
        setattr(owner, name, real)


def texts_drawn(app, frames: int = 1) -> list[str]:
    """Every string rendered for the screen during the next frames."""
    with calls_to(hud.TextCache, "render") as calls:
        run(app, frames)
    return [args[2] for args, _ in calls]


# --- colour and number ----------------------------------------------------------------------------


def test_balls_of_one_optimizer_are_drawn_in_different_colours():
    app = started(BOWL)
    p = play_scene(app)
    assert {b.optimizer.name for b in p.session.race.balls} == {"gd"}
    seen = []
    for i in range(3):  # the fourth flies off the map
        centre, radius = centre_of(app, i), p.geometry.sizes.ball
        probe = (int(round(centre[0] - radius * 0.7)), int(round(centre[1])))
        seen.append(tuple(app.screen.get_at(probe))[:3])
    assert seen == [theme.ball_colour(i) for i in range(3)]
    assert len(set(seen)) == 3


def test_balls_one_and_two_differ_in_hue_and_in_lightness():
    first, second = theme.ball_colour(0), theme.ball_colour(1)
    assert contrast(theme.luminance(first), theme.luminance(second)) > 2
    hue = [pygame.Color(*c).hsva[0] for c in (first, second)]
    assert min(abs(hue[0] - hue[1]), 360 - abs(hue[0] - hue[1])) > 120
    assert len(set(theme.BALL_COLOURS)) == len(theme.BALL_COLOURS) >= 8


@pytest.mark.parametrize("index", range(len(theme.BALL_COLOURS)))
def test_a_balls_number_stands_out_in_grey_scale(index):
    pygame.font.init()
    surface = pygame.Surface((60, 60))
    surface.fill((40, 40, 40))
    colour, radius = theme.ball_colour(index), 9
    glyphs.draw_ball(surface, (30, 30), colour, radius, number=str(index + 1))
    inside = grey(disc_pixels(surface, (30, 30), radius * 0.8))
    fill = theme.luminance(colour)
    assert max(contrast(fill, value) for value in inside) >= 4.5  # the number's core against the fill
    assert sum(contrast(fill, value) > 2 for value in inside) >= 8  # and it has strokes, not one dot


def test_the_numbers_on_the_map_read_in_grey_scale():
    app = started(BOWL)
    p = play_scene(app)
    for i in range(3):
        inside = grey(disc_pixels(app.screen, centre_of(app, i), p.geometry.sizes.ball * 0.8))
        fill = theme.luminance(theme.ball_colour(i))
        assert sum(contrast(fill, value) > 3 for value in inside) >= 8, i


# --- names and the "you" badge ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_ball_shows_its_level_file_name_in_the_language(lang):
    app = started(BOWL, "--lang", lang)
    seen = texts_drawn(app)
    for name in NAMES[lang]:
        assert name in seen, name
    other = NAMES["zh" if lang == "en" else "en"]
    assert not set(other) & set(seen)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_ball_the_player_adds_is_called_yours(lang):
    app = started("saddle", "--lang", lang)
    press(app, Command.ADD_BALL, frames=2)
    assert Look(lang).tr("ball.yours") in texts_drawn(app)


def test_the_players_balls_wear_the_you_badge():
    app = started("saddle")
    p = play_scene(app)
    you = app.look.tr("map.you")
    player = p.session.level.player.ball
    assert p.session.selected == player
    before = texts_drawn(app).count(you)
    assert before == 2  # on the map beside the player's ball, and in the panel's heading for it
    # The badge itself: the bright "you" colour beside the ball, on the map.
    centre, line = centre_of(app, player), app.look.font(p.geometry.sizes.small).get_linesize()
    area = pygame.Rect(int(centre[0]) - 220, int(centre[1]) - 3 * line, 440, 6 * line)  # either side of it
    rgb = pygame.surfarray.array3d(app.screen.subsurface(area.clip(p.geometry.layout.map)))
    assert (rgb.reshape(-1, 3) == app.look.colours.accent).all(axis=1).sum() > 20
    press(app, Command.ADD_BALL, frames=2)  # a ball the player adds is theirs too
    while p.session.is_players(p.session.selected):  # select another's: the panel's heading loses its badge
        press(app, Command.NEXT_BALL)
    assert texts_drawn(app).count(you) == 2


def test_the_attract_loop_shows_no_you_badge():
    from gdviz.ui.scenes import play_balls

    app = started("saddle")
    p = play_scene(app)
    p.session.demo = True
    assert not any(play_balls.shows_you(p.session, i) for i in range(len(p.session.race.balls)))
    assert app.look.tr("map.you") not in texts_drawn(app)


# --- the same colours and numbers in the panel --------------------------------------------------------


def test_the_leaderboard_legend_and_plot_use_the_ball_colours_and_numbers():
    app = started(BOWL, size="1280x720")
    with calls_to(glyphs, "draw_ball") as discs, calls_to(hud, "draw_loss_plot") as plots:
        run(app, 1)
    p = play_scene(app)
    panel = p.geometry.layout.panel
    count = len(p.session.race.balls)
    in_panel = [(args, kwargs) for args, kwargs in discs if panel.collidepoint(args[1])]
    for k, (args, kwargs) in enumerate(in_panel):
        number = int(kwargs["number"])
        assert args[2] == theme.ball_colour(number - 1)
        centre, radius = args[1], args[3]
        covered = any(np.hypot(*np.subtract(later[1], centre)) < 2 * radius + 4 for later, _ in in_panel[k + 1:])
        probe = (int(round(centre[0] - radius * 0.7)), int(round(centre[1])))
        if not covered:  # (the ends of two plot lines may meet)
            assert tuple(app.screen.get_at(probe))[:3] == theme.ball_colour(number - 1)  # really drawn so
    numbers = [int(kwargs["number"]) for _, kwargs in in_panel]
    # the ball box's heading, a leaderboard row, the plot's legend and the end of its line
    assert numbers.count(p.session.selected + 1) >= 4
    assert all(numbers.count(n) >= 3 for n in range(1, count + 1))
    (args, kwargs), = plots
    series, legend = args[3], args[7]
    assert [s[2] for s in series] == [theme.ball_colour(i) for i in range(count)]
    assert [s[3] for s in series] == [str(i + 1) for i in range(count)]
    assert [(mark, name) for mark, name, _ in legend] == [(str(i + 1), NAMES["en"][i]) for i in range(count)]


def test_plot_lines_are_drawn_in_the_ball_colours():
    app = started(BOWL, size="1280x720")
    for _ in range(3):
        press(app, Command.STEP, frames=10)
    with calls_to(pygame.draw, "lines") as lines:
        run(app, 1)
    panel = play_scene(app).geometry.layout.panel
    in_panel = {tuple(args[1]) for args, _ in lines if panel.collidepoint(*map(int, args[3][0]))}
    assert {theme.ball_colour(i) for i in range(4)} <= in_panel


# --- a steady panel ------------------------------------------------------------------------------------


def panel_places(app) -> dict[str, tuple]:
    """Where the leaderboard's headers and the plot's title were drawn in the next frame."""
    with calls_to(hud, "draw_text") as places:
        run(app, 1)
    look = app.look
    wanted = {look.tr(k) for k in ("board.ball", "board.optimizer", "board.lr", "board.steps", "board.loss",
                                   "board.grad", "board.status", "plot.title")}
    return {args[2]: (tuple(args[3]), kwargs.get("anchor")) for args, kwargs in places if args[2] in wanted}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_nothing_in_the_panel_moves_when_the_selected_ball_flies_off(lang):
    app = started(BOWL, "--lang", lang, size="1280x720")
    p = play_scene(app)
    while p.session.selected != 3:  # "diverging"
        press(app, Command.NEXT_BALL)
    assert p.session.previews()[3] is not None
    before = panel_places(app)
    assert app.look.tr("plot.title") in before and app.look.tr("board.ball") in before
    loss_before = hud.fmt(float(p.session.losses_and_slopes()[0][3]))
    while p.session.race.balls[3].status[0] != DIVERGED:
        press(app, Command.STEP, frames=5)
    assert p.session.previews()[3] is None  # nothing more to show for it...
    assert len(hud.fmt(float(p.session.losses_and_slopes()[0][0]))) != len(loss_before)  # ...numbers grew
    assert panel_places(app) == before  # ...and nothing moved


def test_the_board_keeps_its_rows_when_balls_are_added():
    app = started("saddle", size="1280x720")
    before = panel_places(app)
    seen = []
    for _ in range(6):
        press(app, Command.ADD_BALL, frames=2)
        seen += texts_drawn(app)
        assert panel_places(app) == before
    assert len(play_scene(app).session.race.balls) == 8
    assert any(text.startswith("+") and text.endswith("more") for text in seen)  # "+4 more": the rows are a window


@pytest.mark.parametrize("size", ["1024x600", "1280x720", "1920x1080"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_panels_text_stays_inside_it(size, lang):
    app = started(BOWL, "--lang", lang, size=size)
    with calls_to(hud, "draw_text") as places:
        run(app, 1)
    panel = play_scene(app).geometry.layout.panel
    headers = {app.look.tr(k) for k in ("board.ball", "board.loss")}
    assert len([args for args, _ in places if args[2] in headers]) == 2
    for args, kwargs in places:
        if args[0] is app.screen and panel.collidepoint(args[3]):
            bold = kwargs.get("bold", args[6] if len(args) > 6 else False)
            width = hud.text_width(app.look, args[2], args[4], bold)
            anchor = kwargs.get("anchor", "topleft")
            left = args[3][0] - (width if anchor.endswith("right") else 0)
            assert panel.left <= left and left + width <= panel.right, args[2]
