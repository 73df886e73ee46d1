"""Everything drawn over the map besides what the lesson is about: the pause label, messages,
the optimizer key, the presenter's big numbers, the win strip and, with the panels hidden,
the briefing card.

Each is placed with gdviz.ui.placement: along the map's top or bottom edge, on whichever
covers fewer balls, less of the goal and fewer paths, and never on top of another. All are
opaque, so nothing shows through them. The
briefing card and the presenter's numbers take the corner that covers nothing — not even
where the balls will roll in their next steps. The attract loop shows no messages, and a
kiosk none meant for staff (gdviz.ui.kiosk.for_staff). In step-by-step mode the stage caption (play_arrows) takes the edge
away from the step's start, so the pause label stays top left, where the caption leaves it
room, and messages and the win strip go to the other edge; the camera keeps the ball clear
of both edges.
"""

from __future__ import annotations

import copy
from collections import deque
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pygame

from gdviz.core.levels import make_race
from gdviz.core.optimizers import names as optimizer_names
from gdviz.core.session import PlaySession
from gdviz.core.sim import DIVERGED
from gdviz.ui import axes, grammar, hud, kiosk, theme
from gdviz.ui.placement import (
    BALL_WEIGHT,
    GOAL_WEIGHT,
    MARGIN,
    PATH_WEIGHT,
    SELECTED_WEIGHT,
    Edges,
    Keepout,
    box_places,
    freest_corner,
)
from gdviz.ui.scenes import play_arrows, play_balls, play_cards
from gdviz.ui.scenes.play_cards import Cards, WinNote
from gdviz.ui.scenes.play_map import Frame
from gdviz.ui.strings import optimizer_label, optimizer_name
from gdviz.ui.theme import Look
from gdviz.ui.toast import Toast

FIRST_STEPS = 100  # the briefing card keeps clear of where the balls go in this many steps (but for
# a ball that flies off the map: its path crosses everything, and it is gone once play starts)
PATH_SPACING = 8  # pixels between the points looked at along a path …
PATH_POINTS = 2000  # … but at most this many per path
CORNER_WIDTHS = (0.45, 0.33, 0.25)  # widths the corner card tries, as shares of the map's width
CORNER_HEIGHT = 0.6  # the corner card's largest height, as a share of the map's height
NUMBERS_SHARE = (0.75, 0.4)  # presenter's numbers: the most of the map's width and height they take
NUMBERS_PAD = 14  # pixels inside the numbers' box
LEGEND_SHARE = 0.25  # the optimizer key shows only where it covers at most this share of the map
AXES_WEIGHT = 20.0  # what covering the axes' numbers costs the numbers (as much as the goal)
LABEL_WEIGHT = 50.0  # what covering where a number at an arrow's tip would go costs the numbers
ARROW_WEIGHT = 5.0  # what covering a sixteenth of an arrow's box costs the numbers (a ball: 100)


KEEPOUT_STEPS = 5  # while the race plays, what banners keep clear of is worked out every 5 steps


class Banners:
    """Draws what sits over the map; keeps the optimizer key's picture and the balls' first path."""

    def __init__(self) -> None:
        self._legend: tuple[tuple, pygame.Surface | None] = ((), None)
        self._first_path: tuple[tuple, list[np.ndarray]] = ((), [])
        self._ahead: tuple[tuple, list[np.ndarray]] = ((), [])
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
        if race_view and paused_here and f.look.presenter:  # first: it takes a corner, the others an edge
            numbers = _draw_big_numbers(f, numbers_keepout(f, self._paths_ahead(session)), edges)
            if numbers is not None:
                placed["numbers"] = numbers
        if paused_here:
            placed["label"] = _draw_label(f, edges)
        if race_view and len(session.allowed) > 1 and session.toggles.hud and not session.demo \
                and not f.look.presenter:  # the keys are the operator's: a projector shows the lesson
            legend = self._draw_legend(f, edges)
            if legend is not None:
                placed["legend"] = legend
        if toast.showing and visitor_sees(f, toast):  # at the bottom unless that hides more (step-by-step: the free edge)
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

    def _paths_ahead(self, session: PlaySession) -> list[np.ndarray]:
        """Where each ball that stays on the map goes in its next FIRST_STEPS steps from where the
        race stands now (world points): the part of the map that moves when play resumes."""
        race = session.race
        key = ("ahead", id(session), id(race), session.version, session.edits, race.step_count)
        if self._ahead[0] != key:
            ahead = copy.copy(race)  # a throwaway copy: its own balls, noise and no history
            ahead.balls, ahead.rng = copy.deepcopy(race.balls), copy.deepcopy(race.rng)
            ahead._history, ahead._history_size, ahead.history_bytes = deque(), 0, 0
            ahead.step(FIRST_STEPS)
            self._ahead = (key, [ball.trail(FIRST_STEPS + 1)[:, 0] for ball in ahead.balls
                                 if ball.status[0] != DIVERGED])
        return self._ahead[1]

    def _draw_legend(self, f: Frame, edges: Edges) -> pygame.Rect | None:
        """The optimizers this level allows, with their number keys; opaque. Not on a map too
        small to keep most of itself in sight under it (LEGEND_SHARE)."""
        allowed = f.session.allowed
        key = (allowed, f.geo.sizes.small, f.look, _bar_shows(f))
        if self._legend[0] != key:
            self._legend = (key, _build_legend(f.look, f.geo.sizes.small, allowed, _bar_shows(f)))
        legend, area = self._legend[1], f.geo.layout.map
        if legend.get_width() * legend.get_height() > LEGEND_SHARE * area.width * area.height:
            return None
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


def numbers_keepout(f: Frame, first_paths: list[np.ndarray]) -> Keepout:
    """What the presenter's numbers leave in sight: all `map_keepout` does, the arrows drawn (the
    step they explain), the balls' names (as much as the balls) and the numbers at the arrows' tips."""
    arrows = [Keepout.of(np.array([[x, y] for x in np.linspace(box.left, box.right, 4)
                                   for y in np.linspace(box.top, box.bottom, 4)]),
                         max(box.width, box.height) / 6 + 2, ARROW_WEIGHT) for box in f.arrow_boxes]
    names = Keepout.of_rects(play_balls.name_spots(f), BALL_WEIGHT)
    tips = Keepout.of_rects(play_arrows.tip_spots(f), LABEL_WEIGHT)
    return Keepout.join([map_keepout(f, first_paths), *arrows, names, tips])


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
    options = play_cards.briefing_options(f.session.level, look, sizes, short=True, touch=f.geo.layout.bar.height > 0)
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
    look, sizes = f.look, f.geo.sizes
    step_mode = f.session.step_mode is not None
    key = ("pause.step_mode" if step_mode else "pause.label") + ("_touch" if _bar_shows(f) else "")
    room = f.geo.layout.map.width - 2 * MARGIN - 20
    # The whole label where it fits, else in small type, else just "paused" (never cut mid-word).
    options = [(look.tr(key), sizes.body), (look.tr(key), sizes.small), (look.tr("play.paused"), sizes.small)]
    text, size = next(((t, s) for t, s in options if hud.text_width(look, t, s, True) <= room), options[-1])
    image = hud.TEXT.render(look, text, size, look.colours.text, bold=True)
    # In step-by-step mode the stage caption leaves room for this at the top.
    box = edges.place(image.get_rect().inflate(20, 10).size, "left", ("top",) if step_mode else ("top", "bottom"))
    hud.draw_panel(f.target, look, box, 255)
    f.target.blit(image, image.get_rect(center=box.center))
    return box


def _bar_shows(f: Frame) -> bool:
    """Whether the control bar for touch screens shows: then labels say what to tap, not which key."""
    return f.geo.layout.bar.height > 0


def _build_legend(look: Look, size: int, allowed: tuple[str, ...], tap: bool = False) -> pygame.Surface:
    """The number keys that choose each allowed optimizer, as key caps under a title that says
    they are keys — or, with `tap`, that a tap on one chooses it (no colours: colours, and round
    numbered discs, are the balls')."""
    line = look.font(size).get_linesize()
    keys = {name: i + 1 for i, name in enumerate(optimizer_names())}  # the number keys choose these
    entries = [(str(keys[name]), optimizer_label(look.lang, name)) for name in allowed]
    title = look.tr("legend.tap" if tap else "legend.keys")
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


def visitor_sees(f: Frame, toast: Toast) -> bool:
    """Whether a message is shown: never in the attract loop (its caption speaks), and at a kiosk
    never one meant for staff."""
    return not f.session.demo and not (f.look.kiosk and kiosk.for_staff(toast.text))


def _big_number_rows(optimizer, glyph_values, look: Look) -> list[tuple[str, str, tuple[int, int, int]]]:
    corrected = optimizer.hyper.get("bias_correction", True)
    return [(look.tr(name), hud.vector(look, value), theme.ARROW_COLOURS[kind])
            for kind, name, value in grammar.number_rows(optimizer.name, glyph_values, corrected)]


def _draw_big_numbers(f: Frame, keepout: Keepout, edges: Edges) -> pygame.Rect | None:
    """Presenter mode: the selected ball's step in large, labelled numbers for the back row, in the
    corner of the map that hides least of the balls, their names and where they go, off the axes'
    numbers where it can. Where no corner is clear of the balls and their names, in smaller type,
    then with fewer rows (the step itself kept last); where nothing is, not at all (the side
    panel has the same numbers)."""
    session, look = f.session, f.look
    preview = session.previews()[session.selected]
    if preview is None:
        return None
    title = look.tr("present.numbers", number=session.selected + 1,
                    name=optimizer_name(look.lang, session.ball.optimizer.name))
    every = _big_number_rows(session.ball.optimizer, preview.glyphs, look)
    found = _place_big_numbers(f, keepout, title, every)
    if found is None:
        return None
    box, rows, size = found
    edges.reserve(box)
    hud.draw_panel(f.target, look, box, 255)
    line = look.font(size, True).get_linesize()
    hud.draw_text(f.target, look, title, (box.x + NUMBERS_PAD, box.y + NUMBERS_PAD // 2), size, look.colours.accent,
                  bold=True)
    column = box.x + NUMBERS_PAD + max(hud.text_width(look, label, size, True) for label, _, _ in rows) + size
    for i, (label, value, colour) in enumerate(rows, start=1):
        y = box.y + NUMBERS_PAD // 2 + i * line
        hud.draw_text(f.target, look, label, (box.x + NUMBERS_PAD, y), size, colour, bold=True)
        hud.draw_text(f.target, look, value, (column, y), size, look.colours.text, bold=True)
    return box


def _place_big_numbers(f: Frame, keepout: Keepout, title: str, every: list) -> tuple | None:
    """Return (box, rows, size) for the biggest type and most rows that fit clear of the balls
    and their names, or None."""
    strips = axis_strips(f)
    for count in range(len(every), 0, -1):
        rows = every[:count - 1] + every[-1:]
        for size in dict.fromkeys((f.geo.sizes.large, f.geo.sizes.body, f.geo.sizes.small)):
            box = _numbers_box(f, title, rows, size)
            if box is None:
                continue
            places = box_places(f.geo.layout.map, box, strips)
            best = min(places, key=lambda r: (keepout.blocks(r), keepout.cost(r) + AXES_WEIGHT * (r.collidelist(strips) >= 0),
                                              -keepout.clearance(r)))
            if not keepout.blocks(best):
                return best, rows, size
    return None


def _numbers_box(f: Frame, title: str, rows: list, size: int) -> tuple[int, int] | None:
    """Return the size of the box of the step's numbers in type `size`, or None where it would
    take more than NUMBERS_SHARE of the map's width and height."""
    look, area = f.look, f.geo.layout.map
    label = max(hud.text_width(look, text, size, True) for text, _, _ in rows)
    value = max(hud.text_width(look, text, size, True) for _, text, _ in rows)
    width = max(label + size + value, hud.text_width(look, title, size, True)) + 2 * NUMBERS_PAD
    height = look.font(size, True).get_linesize() * (len(rows) + 1) + NUMBERS_PAD
    if width > area.width * NUMBERS_SHARE[0] or height > area.height * NUMBERS_SHARE[1]:
        return None
    return width, height


def axis_strips(f: Frame) -> list[pygame.Rect]:
    """The strips along the map's left and bottom edges where the axes' numbers are (see gdviz/ui/axes.py)."""
    view, area = f.geo.viewport, f.geo.layout.map
    local = replace(view, rect=(0, 0, *view.size))
    font = f.look.font(f.look.label_size(view.size[1]))
    _, ystep = axes.axis_steps(local, f.look, same=f.geo.dims == 2)
    widest = max((font.size(axes.format_tick(v, ystep))[0] for v in axes.tick_values(local.ylim, ystep)), default=0)
    left = pygame.Rect(area.x, area.y, widest + 2 * axes.LABEL_PAD, area.height)
    bottom = pygame.Rect(area.x, area.bottom - font.get_height() - axes.TICK_LENGTH, area.width,
                         font.get_height() + axes.TICK_LENGTH)
    return [left, bottom]
