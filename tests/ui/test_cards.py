"""Nothing hides the balls: the briefing card, the win strip, the optimizer key, the labels and
messages over the map, and the step-by-step view, checked against where the balls really are."""

from __future__ import annotations

import numpy as np
import pygame
import pytest
from helpers import make_app, play_scene, press, run, texts_rendered

from gdviz.core.commands import Command
from gdviz.core.levels import builtin_levels_dir, load_levels
from gdviz.core.optimizers import names as optimizer_names
from gdviz.core.sim import DIVERGED

LEVELS, _ = load_levels(builtin_levels_dir())
IDS = [level.id for level in LEVELS]
FIRST_STEPS = 100  # "the first path": where the balls go in this many steps from the start
# (a ball that flies off the map in that time crosses everything: its path cannot be kept clear)


def in_level(level: str, *extra: str, size: str = "1280x720"):
    app = make_app("--level", level, *extra, size=size)
    run(app, 2)
    return app


def ball_pixels(app) -> np.ndarray:
    p = play_scene(app)
    return p.geometry.to_pixels(np.array(p.session.display_positions()))


def touches(rect: pygame.Rect, point, radius: float) -> bool:
    """Whether a disc of `radius` around `point` reaches into `rect`."""
    dx = max(rect.left - point[0], 0, point[0] - rect.right)
    dy = max(rect.top - point[1], 0, point[1] - rect.bottom)
    return bool(np.hypot(dx, dy) < radius)


def dense(pixels: np.ndarray, per_segment: int = 12) -> np.ndarray:
    """Points along a path's segments, not only its corners (a long jump can cross a card)."""
    pixels = pixels[np.isfinite(pixels).all(axis=1)]
    t = np.linspace(0, 1, per_segment)[:, None, None]
    return (pixels[:-1] + (pixels[1:] - pixels[:-1]) * t).reshape(-1, 2) if len(pixels) > 1 else pixels


# --- the briefing card ---------------------------------------------------------------------------


@pytest.mark.parametrize("level", IDS)
def test_the_briefing_stands_in_the_panels_place_and_leaves_the_map_in_sight(level):
    app = in_level(level)
    p = play_scene(app)
    card = p.view.placed["briefing"]
    assert card == p.geometry.layout.panel and not card.colliderect(p.geometry.layout.map)


@pytest.mark.parametrize("level", IDS)
def test_with_the_panels_hidden_the_briefing_covers_no_ball_goal_or_first_path(level):
    app = in_level(level)
    press(app, Command.TOGGLE_HUD, frames=2)
    p = play_scene(app)
    card, geo, radius = p.view.placed["briefing"], p.geometry, p.geometry.sizes.ball
    assert geo.layout.map.contains(card)
    for centre in ball_pixels(app):
        assert not touches(card, centre, radius + 2), "a ball under the card"
    goal = p.session.race.goal
    if goal is not None:
        centre = geo.to_pixels(np.array([goal.center]))[0]
        assert not touches(card, centre, goal.radius * geo.viewport.scale[0]), "the goal under the card"
    for _ in range(FIRST_STEPS):
        press(app, Command.STEP, frames=0)
    run(app, 1)
    assert "briefing" not in p.view.placed
    for ball in (b for b in p.session.race.balls if b.status[0] != DIVERGED):
        points = dense(geo.to_pixels(ball.trail(FIRST_STEPS + 1)[:, 0]))
        inside = [tuple(q) for q in points if card.collidepoint(*q)]
        assert not inside, f"ball {ball.label}'s first path runs under the card at {inside[:3]}"


def test_the_briefing_shows_once_per_level_and_r_does_not_bring_it_back():
    app = in_level("saddle")
    p = play_scene(app)
    assert "briefing" in p.view.placed
    press(app, Command.STEP)
    assert "briefing" not in p.view.placed
    press(app, Command.RESET, frames=2)
    assert p.session.race.step_count == 0 and "briefing" not in p.view.placed
    press(app, Command.NEXT_LEVEL, frames=2)
    assert "briefing" in p.view.placed  # a new level brings its own
    press(app, Command.SELECT)  # Enter puts it away without touching the race
    assert "briefing" not in p.view.placed and p.session.race.step_count == 0


def test_a_click_on_the_corner_card_puts_it_away_and_moves_no_ball():
    from gdviz.core.commands import Pixel

    app = in_level("saddle")
    press(app, Command.TOGGLE_HUD, frames=2)
    p = play_scene(app)
    starts = [b.start.copy() for b in p.session.race.balls]
    card = p.view.placed["briefing"]
    press(app, Command.SET_START, Pixel(*card.center))
    assert "briefing" not in p.view.placed
    assert all(np.array_equal(b.start, s) for b, s in zip(p.session.race.balls, starts))


# --- the win strip -------------------------------------------------------------------------------


def win_on(level: str, *moves) -> object:
    app = in_level(level)
    for command, arg in moves:
        press(app, command, arg)
    press(app, Command.PLAY_PAUSE)
    p = play_scene(app)
    for _ in range(1200):
        run(app, 1)
        if p.cards.win is not None:
            break
    assert p.cards.win is not None
    return app


@pytest.mark.parametrize("level, moves", [
    ("bowl-learning-rate", [(Command.SET_LR, 0.2)]),
    ("nesterov-overshoot", [(Command.OPTIMIZER, "nesterov"), (Command.RESET, None)]),
])
def test_a_win_keeps_the_race_playing_under_a_strip_along_the_maps_edge(level, moves):
    app = win_on(level, *moves)
    p = play_scene(app)
    steps = p.session.race.step_count
    run(app, 30)
    assert p.session.playing and p.session.race.step_count > steps  # the race still teaches
    strip, area = p.view.placed["win"], p.geometry.layout.map
    assert strip.top - area.top < 20 or area.bottom - strip.bottom < 20  # along the top or bottom edge
    assert strip.height < area.height / 5 and strip.width > area.width * 0.9
    for centre in ball_pixels(app):
        assert not touches(strip, centre, p.geometry.sizes.ball), "a ball under the win strip"
    middle = area.inflate(-area.width // 2, -area.height // 2)
    assert not strip.colliderect(middle)  # the spiral round the goal stays in sight
    press(app, Command.TOGGLE_TRAILS)  # other keys work as usual and leave the strip up
    assert p.view.placed.get("win") is not None and not p.session.toggles.trails
    index = p.session.index
    press(app, Command.SELECT)  # Enter: the next level
    assert p.session.index == index + 1 and "win" not in p.view.placed


def test_r_after_a_win_takes_the_strip_away():
    app = win_on("bowl-learning-rate", (Command.SET_LR, 0.2))
    p = play_scene(app)
    press(app, Command.RESET)
    assert p.cards.win is None and "win" not in p.view.placed


# --- the optimizer key ---------------------------------------------------------------------------


def colours_in(app, rect: pygame.Rect) -> set[tuple[int, int, int]]:
    pixels = pygame.surfarray.array3d(app.screen.subsurface(rect)).reshape(-1, 3)
    return {tuple(int(v) for v in c) for c in np.unique(pixels, axis=0)}


@pytest.mark.parametrize("level", ["saddle", "two-wells", "bowl-learning-rate"])
def test_the_optimizer_key_lists_exactly_the_optimizers_the_level_allows(level, monkeypatch):
    from gdviz.ui.strings import optimizer_name

    seen = texts_rendered(monkeypatch)
    app = in_level(level)
    press(app, Command.SELECT, frames=2)  # put the briefing away
    p = play_scene(app)
    allowed = p.session.allowed
    if len(allowed) == 1:
        assert "legend" not in p.view.placed
        return
    legend = p.view.placed["legend"]
    line = app.look.font(p.geometry.sizes.small).get_linesize()
    assert legend.height == line * (len(allowed) + 1) + 10  # a title, then one row per allowed optimizer
    keys = {name: str(i + 1) for i, name in enumerate(optimizer_names())}
    for name in optimizer_names():  # each with its number key (the legend is drawn once and kept)
        assert (keys[name] in seen and optimizer_name("en", name) in seen) or name not in allowed, name
    inside = (legend.right - 4, legend.centery)  # the key is opaque: its own background, not the map
    assert tuple(app.screen.get_at(inside))[:3] == app.look.colours.panel


# --- labels and messages -------------------------------------------------------------------------


@pytest.mark.parametrize("level", IDS)
def test_no_label_message_or_key_covers_a_ball(level):
    app = in_level(level)
    press(app, Command.SELECT)  # put the briefing away: "paused" and the key show
    press(app, Command.LR_UP)  # and a message
    press(app, Command.LR_DOWN, frames=2)
    p = play_scene(app)
    assert {"label", "toast"} <= set(p.view.placed)
    for name in ("label", "toast", "legend"):
        if name in p.view.placed:
            for centre in ball_pixels(app):
                assert not touches(p.view.placed[name], centre, p.geometry.sizes.ball), (name, centre)


# --- step-by-step: the view follows the ball -------------------------------------------------------


def caption_bands(p) -> list[pygame.Rect]:
    """The strips along the top and bottom of the map where the stage caption (at most three
    lines) and the pause label can be."""
    area, look = p.geometry.layout.map, p.ctx.look
    line = look.font(p.geometry.sizes.body, True).get_linesize()
    top = pygame.Rect(area.x, area.y, area.width, 12 + 2 * line + 3 * line + 16)
    bottom = pygame.Rect(area.x, area.bottom - 12 - 3 * line - 16, area.width, 12 + 3 * line + 16)
    return [top, bottom]


@pytest.mark.parametrize("size", ["1280x720", "1024x600", "1920x1080"])
@pytest.mark.parametrize("level, corner", [("saddle", (0, 1)), ("nesterov-overshoot", (0, 0)),
                                           ("rosenbrock", (1, 1)), ("xcos-start-point", (1, 0))])
def test_step_by_step_keeps_the_selected_ball_in_sight_and_clear_of_the_banners(size, level, corner):
    app = in_level(level, size=size)
    p = play_scene(app)
    view = p.session.level.view
    near_corner = [lo + (hi - lo) * (0.04 if c == 0 else 0.96) for (lo, hi), c in zip(view, corner)]
    press(app, Command.SET_START, tuple(near_corner))
    press(app, Command.STEP_MODE, frames=30)
    for stage in range(10):
        area, radius = p.geometry.layout.map, p.geometry.sizes.ball
        centre = p.geometry.to_pixels(p.session.ball.position[:1])[0]
        assert area.inflate(-2 * radius, -2 * radius).collidepoint(*centre), (stage, centre, area)
        for band in caption_bands(p) + [p.view.placed["label"]]:
            assert not touches(band, centre, radius), (stage, centre, band)
        press(app, Command.STEP, frames=40)
    press(app, Command.STEP_MODE, frames=30)  # leaving step-by-step: the level's own view again
    assert p.geometry.viewport == p.geometry.home


def test_messages_in_swarm_mode_stay_off_the_basin_key():
    from gdviz.ui.basin_map import draw_basin_legend

    app = in_level("many-minima")
    press(app, Command.SWARM)
    p = play_scene(app)
    for _ in range(600):
        run(app, 1)
        if p.session.swarm.basins is not None:
            break
    press(app, Command.LANGUAGE, frames=2)  # a message while the basin key is up
    scratch = pygame.Surface(app.screen.get_size())
    key = draw_basin_legend(scratch, app.look, p.geometry.layout.map, len(p.session.swarm.minima),
                            p.geometry.sizes.small)
    assert not p.view.placed["toast"].colliderect(key)
