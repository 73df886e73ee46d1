"""Drawing what an optimizer does: arrows and squares for every ball, and the step-by-step stages.

The grammar (which way each arrow points, its scale, what a dashed or broken arrow means)
is in gdviz/ui/grammar.py; here it is applied to the balls on the map.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import numpy as np
import pygame

from gdviz.core.levels import Level
from gdviz.ui import glyph_key, glyphs, grammar, hud, placement, theme
from gdviz.ui.grammar import Scales
from gdviz.ui.scenes.play_map import Frame

ARROW_SHARE = 0.12  # a typical slope is drawn this share of the view's width long
TANGENT_HALF = 70  # pixels of tangent line either side of a 1-D ball
TOGGLED = {"grad": "grad", "velocity": "velocity", "squares": "squares", "direction": "velocity",
           "step": "update"}  # glyph kind -> the toggle that shows it (G, M, Q, U)
ARROW_KINDS = ("grad", "velocity", "direction", "step")
# Drawn in this order: the wide white step first, so a velocity of the same length shows on it.
DRAW_ORDER = ("step", "direction", "velocity", "grad")
BANNER_COST = 1e6  # the key never goes over a card, a message or the win strip if a corner is free  # drawn in this order, the step on top


def arrow_gain(level: Level) -> float:
    """Return world units of arrow per unit of slope, from the level's steeper slopes.

    The 75th percentile of the slope over the view, not the median: on a level that is
    mostly a flat plain the median is tiny, and every slope off the plain would be cut short.
    """
    bounds = level.view
    starts = np.stack(np.meshgrid(*[np.linspace(lo, hi, 24) for lo, hi in bounds]), -1).reshape(-1, len(bounds))
    with np.errstate(all="ignore"):
        norms = np.linalg.norm(level.surface.grad(starts), axis=1)
    typical = float(np.percentile(norms[np.isfinite(norms)], 75)) if np.isfinite(norms).any() else 1.0
    span = bounds[0][1] - bounds[0][0]
    return ARROW_SHARE * span / max(typical, 1e-12)


def shown_kinds(f: Frame) -> set[str]:
    """Return the glyph kinds drawn on the map right now (for the key)."""
    session = f.session
    if session.step_mode is not None:
        return set(session.step_mode.current.glyphs) - {"ghost", "classical"}
    toggles = vars(session.toggles)
    return {kind for p in session.previews() if p is not None for kind in p.glyphs if toggles[TOGGLED[kind]]}


def draw_arrows(f: Frame) -> None:
    """Each rolling ball's slope, velocity, squares, direction and next step, as the toggles ask."""
    toggles = vars(f.session.toggles)
    scales = Scales.build(f.geo, f.gain)
    for index, (ball, preview, centre) in enumerate(zip(f.session.race.balls, f.session.previews(),
                                                        f.session.display_positions())):
        if preview is None:
            continue
        shown = {kind: v for kind, v in preview.glyphs.items() if toggles[TOGGLED[kind]]}
        first = len(f.tip_labels)
        draw_glyph_set(f, scales, centre, shown, ball.optimizer.name)
        if index != f.session.selected:  # another ball's numbers give way to the selected one's
            f.tip_labels[first:] = [(*label[:4], 1) for label in f.tip_labels[first:]]


def draw_glyph_set(f: Frame, scales: Scales, where: np.ndarray, values: dict[str, np.ndarray],
                   optimizer: str) -> None:
    """Draw the glyphs in `values` (kind -> quantity, shape (d,)) for a ball at world point `where`."""
    origin = f.geo.to_pixels(np.asarray(where, dtype=float)[None])[0]
    if values.get("squares") is not None:
        draw_square_sides(f, origin, square_sides(scales, values["squares"]), values["squares"])
    if values.get("grad") is not None:
        _draw_slope_parts(f, scales, origin, values["grad"])
    for kind in (k for k in DRAW_ORDER if values.get(k) is not None):
        true_px = (step_pixels(f, scales, where, values[kind]) if kind == "step"
                   else kind_pixels(scales, kind, values[kind], optimizer))
        draw_kind_px(f, scales, origin, kind, true_px, values[kind])


def kind_pixels(scales: Scales, kind: str, value: np.ndarray, optimizer: str) -> np.ndarray:
    """Return the true pixel vector of a glyph: pointing the way it pushes, at its kind's scale."""
    sign = -1.0 if kind in grammar.SIGNED else 1.0
    with np.errstate(over="ignore", invalid="ignore"):  # a 1e308 slope is inf pixels: fit_arrow drops it
        return grammar.to_screen(sign * np.asarray(value, dtype=float)) * scales.px_per_unit(kind, optimizer)


def step_pixels(f: Frame, scales: Scales, where: np.ndarray, step: np.ndarray) -> np.ndarray:
    """The step arrow in pixels: to the map's scale, from the ball to where it lands.

    On a 1-D level the ball rides the curve, so the arrow goes from it to its landing point on
    the curve (the ghost ball), not along a flat line at the ball's height.
    """
    if f.geo.dims != 1:
        return kind_pixels(scales, "step", step, "")
    where = np.asarray(where, dtype=float).reshape(1, -1)
    ends = f.geo.to_pixels(np.concatenate([where, where + np.asarray(step, dtype=float).reshape(1, -1)]))
    return ends[1] - ends[0]


def draw_kind_px(f: Frame, scales: Scales, origin: np.ndarray, kind: str, true_px: np.ndarray,
                 value: np.ndarray) -> None:
    """Draw one arrow of a kind from its true pixel vector; label it when it is not to scale."""
    drawn = grammar.fit_arrow(true_px, scales)
    if drawn is None:
        return
    width = max(f.geo.sizes.line, 2) + (1 if kind == "step" else 0)
    glyphs.draw_arrow(f.target, origin, drawn.vector, theme.ARROW_COLOURS[kind], width,
                      dashed=drawn.stretched, broken=drawn.broken, skip=f.geo.sizes.ball + 2)
    tip = origin + drawn.vector
    box = pygame.Rect(int(min(origin[0], tip[0])), int(min(origin[1], tip[1])),
                      int(abs(drawn.vector[0])) + 1, int(abs(drawn.vector[1])) + 1)
    f.arrow_boxes.append(box.inflate(2 * width + 4, 2 * width + 4))
    if drawn.broken or drawn.stretched:  # not to scale: say how long it really is (written last)
        f.tip_labels.append((hud.number(f.look, _length(value)), theme.ARROW_COLOURS[kind],
                             origin + drawn.vector, drawn.vector))
    if kind == "grad" and f.geo.dims == 1:
        _draw_tangent(f, origin, float(value[0]))


def draw_tip_labels(f: Frame, taken: Sequence[pygame.Rect] = ()) -> list[pygame.Rect]:
    """Write the true lengths of the arrows not drawn to scale: just past each tip, on a dark
    backing, moved round the tip where one would cover another label, a ball, a name or a banner
    in `taken`, or run off the map; return where they went.

    The selected ball's numbers are placed first, the squares' last; a number with no free place
    is left out (its arrow is still drawn, dashed or broken, so it still says "not to scale").
    """
    size, area, radius = f.geo.sizes.small, f.geo.layout.map, f.geo.sizes.ball
    taken = list(taken)
    for centre in f.geo.to_pixels(np.array(f.session.display_positions())):
        if np.isfinite(centre).all() and (np.abs(centre) < 1e6).all():
            ball = pygame.Rect(0, 0, 2 * radius + 4, 2 * radius + 4)
            ball.center = (int(centre[0]), int(centre[1]))
            taken.append(ball)
    placed = []
    squares = theme.ARROW_COLOURS["squares"]
    for text, colour, tip, direction, *_ in sorted(f.tip_labels, key=lambda label: (
            label[4] if len(label) > 4 else 0, label[1] == squares)):
        if not np.isfinite(tip).all():
            continue
        image = hud.TEXT.render(f.look, text, size, colour, True, False, theme.OUTLINE)
        rect = placement.first_free(_label_places(image.get_rect(), tip, direction, area), area, taken)
        if rect is None:
            continue
        f.target.blit(image, rect)
        taken.append(rect)
        placed.append(rect)
    f.tip_labels.clear()
    return placed


def tip_spots(f: Frame) -> list[pygame.Rect]:
    """Where each number at an arrow's tip would go if nothing were in its way."""
    size = f.geo.sizes.small
    return [next(_label_places(pygame.Rect(0, 0, hud.text_width(f.look, text, size, True),
                                           f.look.font(size, True).get_height()), tip, direction, f.geo.layout.map))
            for text, _, tip, direction, *_ in f.tip_labels if np.isfinite(tip).all()]


def _label_places(rect: pygame.Rect, tip: np.ndarray, direction: np.ndarray,
                  area: pygame.Rect) -> Iterator[pygame.Rect]:
    """Places for a label at an arrow's tip, best first (made as asked for): just beyond it, beside
    it, the first of those nudged inside the map's edge, then farther out."""
    dx, dy = float(direction[0]), float(direction[1])
    norm = max(math.hypot(dx, dy), 1e-9)
    ux, uy = dx / norm, dy / norm
    reach = 0.5 * math.hypot(*rect.size) + 4
    tx, ty = min(max(float(tip[0]), -1e6), 1e6), min(max(float(tip[1]), -1e6), 1e6)
    sides = ((ux, uy), (-uy, ux), (uy, -ux), (ux - uy, uy + ux), (ux + uy, uy - ux), (-ux, -uy))
    for scale in (1.0, 1.7):
        for ox, oy in sides:
            yield rect.move(int(tx + ox * reach * scale) - rect.centerx, int(ty + oy * reach * scale) - rect.centery)
        if scale == 1.0:
            for ox, oy in sides[:3]:  # nudged off the map's edge
                yield rect.move(int(tx + ox * reach) - rect.centerx, int(ty + oy * reach) - rect.centery).clamp(area)


def _draw_slope_parts(f: Frame, scales: Scales, origin: np.ndarray, grad: np.ndarray) -> None:
    """The downhill arrow's x and y parts, thin, at the same scale (2-D only)."""
    if len(grad) != 2:
        return
    g = grammar.to_screen(-grad) * scales.slope_px
    drawn = grammar.fit_arrow(g, scales)
    if drawn is None or drawn.broken or drawn.stretched:
        return  # parts of an arrow that is not to scale would mislead
    colour = theme.ARROW_COLOURS["grad_part"]
    glyphs.draw_thin_arrow(f.target, origin, (g[0], 0.0), colour)
    glyphs.draw_thin_arrow(f.target, origin, (0.0, g[1]), colour)


def square_sides(scales: Scales, squares: np.ndarray) -> np.ndarray:
    """Return each axis's square side in pixels (log scale, see grammar.Scales.square_side)."""
    return np.array([scales.square_side(float(v)) for v in np.ravel(squares)])


def draw_square_sides(f: Frame, origin: np.ndarray, sides: np.ndarray, squares: np.ndarray | None = None) -> None:
    """One square per axis, x growing right-down and y left-up from the ball, each labelled.

    A square smaller than the ball is drawn just bigger than it, and (given `squares`, the
    accumulators) its true √ is written at its corner, like an arrow too short to see.
    """
    cap = grammar.SQUARE_CAP * min(f.geo.layout.map.size)
    smallest = f.geo.sizes.ball + 8
    for axis, towards in zip(range(len(sides)), ((1, 1), (-1, -1))):
        side = float(sides[axis])
        rect = glyphs.draw_square(f.target, origin, min(max(side, smallest), cap), theme.ARROW_COLOURS["squares"],
                                  towards, broken=side > cap)
        corner = np.array(rect.bottomright if towards[0] > 0 else rect.topleft, dtype=float)
        label = "xy"[axis] if len(sides) == 2 else "x"
        anchor = "bottomright" if towards[0] > 0 else "topleft"
        hud.draw_text(f.target, f.look, label, (int(corner[0]) - 3 * towards[0], int(corner[1]) - 2 * towards[1]),
                      f.geo.sizes.small, theme.ARROW_COLOURS["squares"], bold=True, anchor=anchor,
                      background=theme.OUTLINE)
        if squares is not None and (side < smallest or side > cap):
            root = hud.number(f.look, float(np.sqrt(max(float(squares[axis]), 0.0))))
            f.tip_labels.append((f"√ {root}", theme.ARROW_COLOURS["squares"], corner, np.array(towards, float)))


def _draw_tangent(f: Frame, origin: np.ndarray, slope: float) -> None:
    sx, sy = f.geo.viewport.scale
    direction = np.array([sx, -slope * sy])
    norm = np.hypot(*direction)
    if not np.isfinite(norm) or norm == 0:
        return
    half = direction / norm * TANGENT_HALF
    pygame.draw.line(f.target, theme.ARROW_COLOURS["grad_part"], origin - half, origin + half, 2)


def draw_scale_key(f: Frame, keepout: placement.Keepout, avoid: list[pygame.Rect]) -> pygame.Rect | None:
    """The key of the arrows and squares drawn now, in the corner (or edge middle) where it covers
    least of `keepout`, no ball and none of the banners in `avoid`, smaller if it must, or not
    at all where there is no such room; return where it went."""
    kinds = shown_kinds(f)
    if not kinds or not f.session.toggles.hud:
        return None
    optimizers = {ball.optimizer.name for ball in f.session.race.balls}
    if f.session.step_mode is not None:
        optimizers = {f.session.ball.optimizer.name}
    scales = Scales.build(f.geo, f.gain)
    rows = glyph_key.key_rows(f.look, scales, kinds, optimizers)
    area = f.geo.layout.map.inflate(-2 * placement.MARGIN, -2 * placement.MARGIN)
    if f.session.step_mode is not None:  # the step being explained: its arrows reach this far round the ball
        reach = int(scales.max_px + f.geo.sizes.ball + 10)
        centre = f.geo.to_pixels(np.asarray(f.session.step_mode.current.values["old"], dtype=float)[:1])[0]
        if np.isfinite(centre).all():
            avoid = [*avoid, pygame.Rect(int(centre[0]) - reach, int(centre[1]) - reach, 2 * reach, 2 * reach)]
    # The full key where it fits; else a smaller one (in presenter mode never smaller than the
    # panel's small type: readable from the back, or not there); never over a card, a caption or a message.
    smallest = f.geo.sizes.small - 1 if f.look.presenter else 9
    for size in range(f.geo.sizes.small, smallest, -2):
        picture = glyph_key.picture(f.look, tuple(rows), size)
        if picture.get_width() > area.width:
            continue
        options = []
        for corner in ("bottomright", "bottomleft", "topright", "topleft", "midright", "midleft"):
            box = picture.get_rect()
            setattr(box, corner, getattr(area, corner))
            options.append(box)
        free = [b for b in options if b.collidelist(avoid) < 0 and keepout.cost(b) < placement.BALL_WEIGHT]
        if free:
            box = min(free, key=keepout.cost)
            f.target.blit(picture, box)
            return box
    return None


def _length(value: np.ndarray) -> float:
    """The length of a vector, inf when it is beyond a float (never a numpy overflow warning)."""
    parts = np.ravel(np.asarray(value, dtype=float))
    return math.hypot(*parts) if parts.size else 0.0
