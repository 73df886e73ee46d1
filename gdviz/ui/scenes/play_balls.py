"""Drawing the balls and the paths they took, each ball in its own colour with its number and name.

A ball's colour and number come from its place in the race (theme.ball_colour), so the map,
the leaderboard and the loss plot agree. Its name is the one the level file gives it, in the
player's language; the player's own balls carry a "you" badge.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import numpy as np
import pygame

from gdviz.core.session import PLAYER_LABEL, PlaySession
from gdviz.core.sim import CONVERGED, DIVERGED, GOAL, NO_SLOPE
from gdviz.ui import glyphs, hud, theme
from gdviz.ui.scenes.play_map import Frame
from gdviz.ui.strings import optimizer_name, tr
from gdviz.ui.theme import Look

LABEL_GAP = 5  # pixels between a ball's edge and its label
LABEL_ALPHA = 200  # how solid the dark box behind a name is
LABEL_SHIFTS = (0, 1, -1, 2, -2, 3, -3)  # label heights to move a label by when it would cover another
FAR_SHIFTS = (4, -4, 5, -5, 6, -6)
SEARCH_RINGS = 12  # where even those are taken: rings round the ball, this many label heights out at most  # … and farther, where a banner or a card is in the way
CROWDED = 3.0  # balls closer than this many radii may hide each other: their labels repeat their numbers


def ball_name(session: PlaySession, index: int, lang: str) -> str:
    """Return what ball `index` is called: its level-file name (else label), "yours", or its optimizer."""
    ball, level = session.race.balls[index], session.level
    own = [spec for spec in level.balls if spec.label == ball.label]
    if not own:
        return tr(lang, "ball.yours") if ball.label == PLAYER_LABEL else ball.label
    if own[0].optimizer != ball.optimizer.name:  # switched: the level's name no longer fits
        return optimizer_name(lang, ball.optimizer.name)
    name = level.ball_name(ball.label)
    return name.get(lang) if name is not None else ball.label


def shows_you(session: PlaySession, index: int) -> bool:
    """Return whether ball `index` wears the "you" badge (never in the attract loop)."""
    return session.is_players(index) and not session.demo


def draw_trails(f: Frame) -> None:
    race = f.session.race
    for index, ball in enumerate(race.balls):
        trail = ball.trail(race.trail_length)[:, 0]
        colour = theme.ball_colour(index)
        if f.geo.dims == 1:
            _draw_hops(f, trail[-40:], colour)
        else:
            glyphs.draw_trail(f.target, f.geo.to_pixels(trail), colour, f.geo.sizes.line)


def _draw_hops(f: Frame, trail: np.ndarray, colour) -> None:
    """Draw 1-D steps as little hops along the curve."""
    if len(trail) < 2:
        return
    pix = f.geo.to_pixels(trail)
    t = np.linspace(0, 1, 9)[:, None]
    for a, b in zip(pix[:-1], pix[1:]):
        lift = min(abs(b[0] - a[0]) * 0.35, 60)
        arc = a + (b - a) * t
        arc[:, 1] -= lift * 4 * t[:, 0] * (1 - t[:, 0])
        pygame.draw.lines(f.target, colour, False, arc, max(f.geo.sizes.line - 1, 1))


def _centres(f: Frame) -> list[tuple[float, float]]:
    return [tuple(float(v) for v in f.geo.to_pixels(centre[None])[0]) for centre in f.session.display_positions()]


def _order(f: Frame) -> list[int]:
    order = list(range(len(f.session.race.balls)))
    order.append(order.pop(f.session.selected))  # the selected ball on top of the others
    return order


def draw_balls(f: Frame) -> None:
    """Every ball with its number, the selected one on top with a ring, and status marks.

    Drawn after the arrows, which start under the ball; the names go before the arrows (see
    `draw_names`), so no name ever hides an arrow.
    """
    session, radius = f.session, f.geo.sizes.ball
    centres = _centres(f)
    for i in _order(f):
        colour, status = theme.ball_colour(i), int(session.race.balls[i].status[0])
        if status == DIVERGED:
            glyphs.draw_burst(f.target, centres[i], colour, radius)
            continue
        glyphs.draw_ball(f.target, centres[i], colour, radius, selected=i == session.selected, number=str(i + 1))
        if status == CONVERGED:
            glyphs.draw_calm(f.target, centres[i], radius)
        elif status == GOAL:
            glyphs.draw_flag(f.target, centres[i], radius)
        elif status == NO_SLOPE:  # stopped where the slope is not a number: not flown off
            glyphs.draw_no_slope(f.target, centres[i], radius)
        if not f.geo.layout.map.collidepoint(centres[i]) and all(math.isfinite(c) for c in centres[i]):
            _draw_off_map(f, i, centres[i])


def _draw_off_map(f: Frame, index: int, centre: tuple[float, float]) -> None:
    """A ball outside the map (not yet flown off): a pointer at the map's edge, towards it, with its number."""
    area = f.geo.layout.map.inflate(-2 * f.geo.sizes.ball - 8, -2 * f.geo.sizes.ball - 8)
    edge = (min(max(centre[0], area.left), area.right), min(max(centre[1], area.top), area.bottom))
    angle = math.atan2(centre[1] - edge[1], centre[0] - edge[0])
    size = f.geo.sizes.ball * 1.6
    tip = (edge[0] + math.cos(angle) * size, edge[1] + math.sin(angle) * size)
    wings = [(edge[0] + math.cos(angle + s) * size * 0.6, edge[1] + math.sin(angle + s) * size * 0.6) for s in (2.3, -2.3)]
    pygame.draw.polygon(f.target, theme.OUTLINE, [tip, *wings])
    pygame.draw.polygon(f.target, theme.ball_colour(index), [tip, *wings], 0)
    glyphs.draw_ball(f.target, edge, theme.ball_colour(index), f.geo.sizes.ball, number=str(index + 1))


def draw_names(f: Frame, avoid: Sequence[pygame.Rect] = ()) -> list[pygame.Rect]:
    """Each ball's name (and the "you" badge) beside it, covering no other name, no ball, no
    arrow drawn so far (f.arrow_boxes) and none of the banners and cards in `avoid`; return where
    they went. A name is always drawn: where nothing is free it goes beside its ball regardless."""
    session, radius = f.session, f.geo.sizes.ball
    centres, order = _centres(f), _order(f)
    discs = [_disc_rect(c, radius) for c in centres] + list(f.arrow_boxes) + list(avoid)
    placed: list[pygame.Rect] = []
    for i in [session.selected] + order[:-1]:  # the selected ball's name gets the best place
        crowded = any(math.dist(centres[i], c) < CROWDED * radius for j, c in enumerate(centres) if j != i)
        placed.append(_draw_label(f, i, centres[i], placed + discs, crowded))  # covering no label, no ball
    return placed


def name_spots(f: Frame) -> list[pygame.Rect]:
    """Where each ball's name would go if nothing were in its way (right of the ball): what cards
    placed before the names should leave free."""
    look, size, area = f.look, f.geo.sizes.small, f.geo.layout.map
    spots = []
    for i, centre in enumerate(_centres(f)):
        if not all(math.isfinite(c) and abs(c) < 1e6 for c in centre):
            continue
        badge = look.tr("map.you") if shows_you(f.session, i) else ""
        rect = pygame.Rect((0, 0), _label_size(look, ball_name(f.session, i, look.lang), badge, size))
        rect.midleft = (int(centre[0]) + f.geo.sizes.ball + LABEL_GAP, int(centre[1]))
        spots.append(rect.clamp(area))
    return spots


def _disc_rect(centre: tuple[float, float], radius: int) -> pygame.Rect:
    """The square a ball (with its outline) covers on the map; none for a ball off the map's numbers."""
    if not all(math.isfinite(c) and abs(c) < 1e6 for c in centre):
        return pygame.Rect(0, 0, 0, 0)
    rect = pygame.Rect(0, 0, 2 * radius + 4, 2 * radius + 4)
    rect.center = (int(centre[0]), int(centre[1]))
    return rect


def _draw_label(f: Frame, index: int, centre: tuple[float, float], taken: list[pygame.Rect],
                crowded: bool) -> pygame.Rect:
    """Draw ball `index`'s "you" badge and name beside it, where it covers nothing `taken`.

    The label of a `crowded` ball, or one that had to move away from its ball, starts with a
    disc repeating the ball's number, so it still says whose it is.
    """
    session, look, size = f.session, f.look, f.geo.sizes.small
    name = ball_name(session, index, look.lang)
    badge = look.tr("map.you") if shows_you(session, index) else ""
    gap, area = f.geo.sizes.ball + LABEL_GAP, f.geo.layout.map
    rect, moved = _free_place(pygame.Rect((0, 0), _label_size(look, name, badge, size, crowded)), centre, gap,
                              taken, area)
    disc = crowded or moved
    if disc and not crowded:
        rect, _ = _free_place(pygame.Rect((0, 0), _label_size(look, name, badge, size, True)), centre, gap, taken, area)
    hud.draw_panel(f.target, look, rect, LABEL_ALPHA)
    x = rect.x + 4
    if disc:
        radius = _disc_radius(look, size)
        glyphs.draw_ball(f.target, (x + radius, rect.centery), theme.ball_colour(index), radius,
                         number=str(index + 1))
        x += 2 * radius + 4
    if badge:
        x = draw_you_badge(f.target, look, badge, (x, rect.centery), size) + 4
    hud.draw_text(f.target, look, name, (x, rect.centery), size, look.colours.text, anchor="midleft")
    return rect


def _disc_radius(look: Look, size: int) -> int:
    return max(int(look.font(size).get_linesize() * 0.4), 5)


def _label_size(look: Look, name: str, badge: str, size: int, disc: bool = False) -> tuple[int, int]:
    """Return the size of a ball's label: a numbered disc if asked for, the badge if any, the name, a margin."""
    height = look.font(size).get_linesize() + 2
    width = hud.text_width(look, name, size) + 9
    if disc:
        width += 2 * _disc_radius(look, size) + 4
    if badge:
        width += hud.text_width(look, badge, size, True) + 8 + 4
    return width, height


def draw_you_badge(target: pygame.Surface, look: Look, text: str, midleft: tuple[int, int], size: int) -> int:
    """Draw the "you" badge (dark bold text on a bright tab) at `midleft`; return its right edge."""
    line = look.font(size, True).get_linesize()
    badge = pygame.Rect(0, 0, hud.text_width(look, text, size, True) + 8, line - 2)
    badge.midleft = midleft
    pygame.draw.rect(target, theme.OUTLINE, badge.inflate(2, 2), border_radius=4)
    pygame.draw.rect(target, look.colours.accent, badge, border_radius=4)
    hud.draw_text(target, look, text, badge.center, size, theme.OUTLINE, bold=True, anchor="center")
    return badge.right


def _free_place(rect: pygame.Rect, centre: tuple[float, float], gap: int, taken: list[pygame.Rect],
                area: pygame.Rect) -> tuple[pygame.Rect, bool]:
    """Put `rect` right (else left) of `centre`, moved up or down until it covers no `taken`
    rectangle; else above or below it; else farther up or down; else anywhere near it.

    Return where, and whether that is anywhere but right beside the ball (moved, or pushed
    inside the map's edge because the ball is at it or beyond).
    """
    x, y = centre
    if not (math.isfinite(x) and math.isfinite(y)):
        x, y = area.center
    x, y = min(max(x, -1e6), 1e6), min(max(y, -1e6), 1e6)
    first = None
    for beside in _beside(rect, x, y, gap):
        spot = beside.clamp(area)
        if first is None:
            first = spot
            if spot.collidelist(taken) < 0:
                return spot, spot != beside
        elif spot.collidelist(taken) < 0:
            return spot, True
    for ring in range(2, SEARCH_RINGS):  # farther round the ball, nearest first (the disc says whose it is)
        for turn in range(16):
            angle = turn * math.pi / 8
            spot = rect.copy()
            spot.center = (int(x + math.cos(angle) * ring * rect.height * 1.5),
                           int(y + math.sin(angle) * ring * rect.height))
            spot = spot.clamp(area)
            if spot.collidelist(taken) < 0:
                return spot, True
    return first, True


def _beside(rect: pygame.Rect, x: float, y: float, gap: int) -> Iterator[pygame.Rect]:
    """Places for a ball's label, best first: right, then left of the ball, moved up or down by
    LABEL_SHIFTS; above, then below it; right and left again, FAR_SHIFTS up or down."""
    for shifts in (LABEL_SHIFTS, FAR_SHIFTS):
        for side in (1, -1):
            left = int(x + gap if side > 0 else x - gap - rect.width)
            for shift in shifts:
                yield pygame.Rect(left, int(y + shift * rect.height) - rect.height // 2, rect.width, rect.height)
        if shifts is LABEL_SHIFTS:
            for side in (-1, 1):  # above, then below
                top = int(y + side * (gap + rect.height // 2 + 1)) - rect.height // 2
                yield pygame.Rect(int(x) - rect.width // 2, top, rect.width, rect.height)
