"""Everything drawn over the map besides what the lesson is about: the pause label, messages,
the optimizer key, the presenter's big numbers, the win strip and, with the panels hidden,
the briefing card.

Each is placed with gdviz.ui.placement: along the map's top or bottom edge, on whichever
covers fewer balls, less of the goal and fewer paths, and never on top of another. All are
opaque, so nothing shows through them. The
briefing card takes the corner that covers nothing — not even where the balls will roll
in their first steps. In step-by-step mode the stage caption (play_arrows) takes the edge
away from the step's start, so the pause label stays top left, where the caption leaves it
room, and messages and the win strip go to the other edge; the camera keeps the ball clear
of both edges.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pygame

from gdviz.core.levels import make_race
from gdviz.core.optimizers import names as optimizer_names
from gdviz.core.session import PlaySession
from gdviz.core.sim import DIVERGED
from gdviz.ui import grammar, hud, theme
from gdviz.ui.placement import (
    BALL_WEIGHT,
    GOAL_WEIGHT,
    PATH_WEIGHT,
    SELECTED_WEIGHT,
    Edges,
    Keepout,
    freest_corner,
)
from gdviz.ui.scenes import play_cards
from gdviz.ui.scenes.play_cards import Cards, WinNote
from gdviz.ui.scenes.play_map import Frame
from gdviz.ui.strings import optimizer_name
from gdviz.ui.theme import Look
from gdviz.ui.toast import Toast

FIRST_STEPS = 100  # the briefing card keeps clear of where the balls go in this many steps (but for
# a ball that flies off the map: its path crosses everything, and it is gone once play starts)
PATH_SPACING = 8  # pixels between the points looked at along a path …
PATH_POINTS = 2000  # … but at most this many per path
CORNER_WIDTHS = (0.45, 0.33, 0.25)  # widths the corner card tries, as shares of the map's width
CORNER_HEIGHT = 0.6  # the corner card's largest height, as a share of the map's height


KEEPOUT_STEPS = 5  # while the race plays, what banners keep clear of is worked out every 5 steps


class Banners:
    """Draws what sits over the map; keeps the optimizer key's picture and the balls' first path."""

    def __init__(self) -> None:
        self._legend: tuple[tuple, pygame.Surface | None] = ((), None)
        self._first_path: tuple[tuple, list[np.ndarray]] = ((), [])
        self._keepout: tuple[tuple, Keepout | None] = ((), None)

    def keepout(self, f: Frame) -> Keepout:
        """What the map's banners and keys should leave in sight, worked out once per change of the race.

        (Not for every frame of a glide, nor for every step of a race that plays on: a banner
        need not dodge a ball's every pixel on its way. Any command works it out afresh.)
        """
        session = f.session
        mode = session.step_mode
        key = (id(session.race), session.edits, session.race.step_count // KEEPOUT_STEPS, id(f.geo),
               session.toggles.trails, session.selected, mode.index if mode is not None else None)
        if self._keepout[0] != key:
            self._keepout = (key, map_keepout(f, []))
        return self._keepout[1]

    def draw(self, f: Frame, toast: Toast, cards: Cards, keys: Sequence[pygame.Rect] = ()) -> dict[str, pygame.Rect]:
        """Draw the banners over the map, clear of the `keys` already drawn on it; return where
        each went (by name)."""
        session, placed = f.session, {}
        corner_card = cards.briefing and not session.toggles.hud
        keepout = map_keepout(f, self._first_paths(session)) if corner_card else self.keepout(f)
        edges = Edges(f.geo.layout.map, keepout)
        for key in keys:
            edges.reserve(key)
        free = _free_edges(f)
        race_view = not (session.step_mode is not None or session.swarm is not None)  # the race, whole
        paused_here = not (session.playing or session.demo or cards.briefing)
        if corner_card:
            placed["briefing"] = _draw_corner_briefing(f, keepout)
            edges.reserve(placed["briefing"])
        if cards.win is not None:
            placed["win"] = _draw_win(f, cards.win, edges, free)
        if paused_here:
            placed["label"] = _draw_label(f, edges)
        if race_view and len(session.allowed) > 1 and session.toggles.hud and not session.demo:
            placed["legend"] = self._draw_legend(f, edges)
        if race_view and paused_here and f.look.presenter:
            numbers = _draw_big_numbers(f, edges)
            if numbers is not None:
                placed["numbers"] = numbers
        if toast.showing:  # at the bottom unless that hides more (in step-by-step: the free edge)
            placed["toast"] = _draw_message(f, toast, edges, free[::-1])
        return placed

    def _first_paths(self, session: PlaySession) -> list[np.ndarray]:
        """Where each ball that stays on the map would go in its first FIRST_STEPS steps if the race
        started now (world points)."""
        race = session.race
        key = (id(session), id(race), session.version, race.step_count)
        if self._first_path[0] != key:
            ahead = make_race(session.level, seed=race.seed, balls=list(race.specs), history_bytes=0,
                              trail_length=FIRST_STEPS + 1)
            ahead.step(FIRST_STEPS)
            self._first_path = (key, [ball.trail(FIRST_STEPS + 1)[:, 0] for ball in ahead.balls
                                      if ball.status[0] != DIVERGED])
        return self._first_path[1]

    def _draw_legend(self, f: Frame, edges: Edges) -> pygame.Rect:
        """The colours of the optimizers this level allows, with their number keys; opaque."""
        allowed = f.session.allowed
        key = (allowed, f.geo.sizes.small, f.look)
        if self._legend[0] != key:
            self._legend = (key, _build_legend(f.look, f.geo.sizes.small, allowed))
        legend = self._legend[1]
        rect = edges.place(legend.get_size(), "right")
        f.target.blit(legend, rect)
        return rect


def map_keepout(f: Frame, first_paths: list[np.ndarray]) -> Keepout:
    """What banners should leave in sight: the balls, the goal, the paths drawn and `first_paths`."""
    session, geo = f.session, f.geo
    if session.swarm is not None:
        return Keepout.join([])
    radius = 2 * geo.sizes.ball + 4
    pixels = geo.to_pixels(np.array(session.display_positions()))
    parts = [Keepout.of(np.delete(pixels, session.selected, axis=0), radius, BALL_WEIGHT),
             Keepout.of(pixels[session.selected], radius, SELECTED_WEIGHT)]
    if session.step_mode is not None:  # where the step being explained starts and lands
        values = session.step_mode.current.values
        for key in ("old", "next"):
            parts.append(Keepout.of(geo.to_pixels(np.asarray(values[key], dtype=float)[:1]), radius, SELECTED_WEIGHT))
    goal = session.race.goal
    if goal is not None:
        centre = geo.to_pixels(np.array([goal.center]))
        parts.append(Keepout.of(centre, goal.radius * geo.viewport.scale[0] + 4, GOAL_WEIGHT))
    race = session.race
    paths = [ball.trail(race.trail_length)[:, 0] for ball in race.balls] if session.toggles.trails else []
    for path in paths + first_paths:
        points, spacing = along(geo.to_pixels(path), geo.layout.map)
        parts.append(Keepout.of(points, max(geo.sizes.line + 2, spacing / 2), PATH_WEIGHT))
    return Keepout.join(parts)


def along(pixels: np.ndarray, area: pygame.Rect) -> tuple[np.ndarray, float]:
    """Return points evenly spaced along a path of pixel points (its finite part, kept near `area`),
    and the spacing: PATH_SPACING, or wider on a path too long for PATH_POINTS."""
    pixels = pixels[np.isfinite(pixels).all(axis=1)]
    if len(pixels) < 2:
        return pixels, 0.0
    near = area.inflate(area.width, area.height)
    pixels = np.clip(pixels, near.topleft, near.bottomright)
    lengths = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(pixels, axis=0).T))])
    count = int(np.clip(lengths[-1] / PATH_SPACING, 2, PATH_POINTS))
    where = np.linspace(0.0, lengths[-1], count)
    points = np.column_stack([np.interp(where, lengths, pixels[:, 0]), np.interp(where, lengths, pixels[:, 1])])
    return points, lengths[-1] / (count - 1)


def _free_edges(f: Frame) -> tuple[str, ...]:
    """The edges banners may use: both, or in step-by-step mode the one the stage caption leaves free."""
    mode = f.session.step_mode
    if mode is None:
        return ("top", "bottom")
    start = f.geo.to_pixels(np.asarray(mode.current.values["old"], dtype=float)[:1])[0]
    return ("top",) if start[1] < f.geo.layout.map.centery else ("bottom",)


def _draw_corner_briefing(f: Frame, keepout: Keepout) -> pygame.Rect:
    """The briefing as a card in a corner of the map that covers nothing, or as little as can be:
    the fullest text, in the widest card, that finds such a corner."""
    area, look, sizes = f.geo.layout.map, f.look, f.geo.sizes
    tallest = int(area.height * CORNER_HEIGHT)
    options = play_cards.briefing_options(f.session.level, look, sizes, short=True)
    tried = []
    for rows in options:
        for share in CORNER_WIDTHS:
            width = min(int(area.width * share), 34 * sizes.body)
            height = play_cards.card_height(look, rows, width)
            if height <= tallest:
                rect, cost = freest_corner(area, (width, height), keepout)
                tried.append((cost, rows, rect))
                if cost == 0:
                    break
        if tried and tried[-1][0] == 0:
            break
    if not tried:  # nothing fits whole: the shortest text, cut at the card's edge
        tried.append((0.0, options[-1], freest_corner(area, (int(area.width * CORNER_WIDTHS[0]), tallest), keepout)[0]))
    _, rows, rect = min(tried, key=lambda choice: choice[0])
    play_cards.draw_card(f.target, look, rect, rows)
    return rect


def _draw_win(f: Frame, note: WinNote, edges: Edges, free: tuple[str, ...]) -> pygame.Rect:
    area, look = f.geo.layout.map, f.look
    rows = play_cards.win_rows(look, f.geo.sizes, note)
    width = area.width - 24
    rect = edges.place((width, play_cards.card_height(look, rows, width)), "left", free)
    play_cards.draw_card(f.target, look, rect, rows)
    return rect


def _draw_label(f: Frame, edges: Edges) -> pygame.Rect:
    """"paused — Space plays" (or the step-by-step keys) in a small box at the map's edge."""
    look, size = f.look, f.geo.sizes.body
    step_mode = f.session.step_mode is not None
    image = hud.TEXT.render(look, look.tr("pause.step_mode" if step_mode else "pause.label"), size,
                            look.colours.text, bold=True)
    # In step-by-step mode the stage caption leaves room for this at the top.
    box = edges.place(image.get_rect().inflate(20, 10).size, "left", ("top",) if step_mode else ("top", "bottom"))
    hud.draw_panel(f.target, look, box, 255)
    f.target.blit(image, image.get_rect(center=box.center))
    return box


def _build_legend(look: Look, size: int, allowed: tuple[str, ...]) -> pygame.Surface:
    """The number keys that choose each allowed optimizer, as key caps under a title that says
    they are keys (no colours: colours, and round numbered discs, are the balls')."""
    line = look.font(size).get_linesize()
    keys = {name: i + 1 for i, name in enumerate(optimizer_names())}  # the number keys choose these
    entries = [(str(keys[name]), optimizer_name(look.lang, name)) for name in allowed]
    title = look.tr("legend.keys")
    cap = line - 2
    width = max(max(look.font(size).size(text)[0] for _, text in entries) + cap + 22, look.font(size).size(title)[0] + 16)
    legend = pygame.Surface((width, line * (len(entries) + 1) + 10), pygame.SRCALPHA)
    hud.draw_panel(legend, look, legend.get_rect(), 255)
    hud.draw_text(legend, look, title, (8, 5), size, look.colours.text_dim)
    for row, (key, text) in enumerate(entries, start=1):
        y = 5 + row * line
        box = pygame.Rect(8, y + 1, cap, cap)
        pygame.draw.rect(legend, look.colours.text_dim, box, 1, border_radius=3)
        hud.draw_text(legend, look, key, box.center, size - 2, look.colours.text, bold=True, anchor="center")
        hud.draw_text(legend, look, text, (box.right + 6, y), size, look.colours.text)
    return legend


def _draw_message(f: Frame, toast: Toast, edges: Edges, where: tuple[str, ...]) -> pygame.Rect:
    """The latest message, wrapped to at most three lines, at the map's edge."""
    look, area, size = f.look, f.geo.layout.map, f.geo.sizes.body
    lines = hud.wrap(look, toast.text, size, area.width - 60, bold=True)[:3]
    line = look.font(size, True).get_linesize()
    width = max(hud.text_width(look, text, size, True) for text in lines) + 24
    box = edges.place((width, line * len(lines) + 12), "centre", where)
    hud.draw_panel(f.target, look, box, 255)
    for i, text in enumerate(lines):
        hud.draw_text(f.target, look, text, (box.centerx, box.y + 6 + i * line), size, look.colours.accent,
                      bold=True, anchor="midtop")
    return box


def _big_number_rows(optimizer, glyph_values, look: Look) -> list[tuple[str, object, tuple[int, int, int]]]:
    corrected = optimizer.hyper.get("bias_correction", True)
    return [(look.tr(name), value, theme.ARROW_COLOURS[kind])
            for kind, name, value in grammar.number_rows(optimizer.name, glyph_values, corrected)]


def _draw_big_numbers(f: Frame, edges: Edges) -> pygame.Rect | None:
    """Presenter mode: the selected ball's step in large, labelled numbers for the back row."""
    session, geo, look = f.session, f.geo, f.look
    preview = session.previews()[session.selected]
    if preview is None:
        return None
    rows = _big_number_rows(session.ball.optimizer, preview.glyphs, look)
    size = geo.sizes.large
    line = look.font(size, True).get_linesize()
    box = edges.place((geo.layout.map.width - 24, line * (len(rows) + 1) + 16), "left", ("bottom", "top"))
    hud.draw_panel(f.target, look, box, 255)
    name = optimizer_name(look.lang, session.ball.optimizer.name)
    hud.draw_text(f.target, look, look.tr("present.numbers", number=session.selected + 1, name=name),
                  (box.x + 14, box.y + 8), size, look.colours.accent, bold=True)
    column = box.x + 14 + max(hud.text_width(look, label, size, True) for label, _, _ in rows) + size
    for i, (label, values, colour) in enumerate(rows, start=1):
        y = box.y + 8 + i * line
        hud.draw_text(f.target, look, label, (box.x + 14, y), size, colour, bold=True)
        hud.draw_text(f.target, look, hud.fmt_vec(values), (column, y), size, look.colours.text, bold=True)
    return box
