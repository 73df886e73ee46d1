"""Drawing what an optimizer does: arrows and squares for every ball, and the step-by-step stages.

The grammar (which way each arrow points, its scale, what a dashed or broken arrow means)
is in gdviz/ui/grammar.py; here it is applied to the balls on the map.
"""

from __future__ import annotations

import numpy as np
import pygame

from gdviz.core.levels import Level
from gdviz.core.stages import format_number
from gdviz.ui import glyph_key, glyphs, grammar, hud, placement, theme
from gdviz.ui.grammar import Scales
from gdviz.ui.scenes.play_map import Frame

ARROW_SHARE = 0.12  # a typical slope is drawn this share of the view's width long
TANGENT_HALF = 70  # pixels of tangent line either side of a 1-D ball
TOGGLED = {"grad": "grad", "velocity": "velocity", "squares": "squares", "direction": "velocity",
           "step": "update"}  # glyph kind -> the toggle that shows it (G, M, Q, U)
ARROW_KINDS = ("grad", "velocity", "direction", "step")
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
    for ball, preview, centre in zip(f.session.race.balls, f.session.previews(), f.session.display_positions()):
        if preview is None:
            continue
        shown = {kind: v for kind, v in preview.glyphs.items() if toggles[TOGGLED[kind]]}
        draw_glyph_set(f, scales, f.geo.to_pixels(centre[None])[0], shown, ball.optimizer.name)


def draw_glyph_set(f: Frame, scales: Scales, origin: np.ndarray, values: dict[str, np.ndarray],
                   optimizer: str) -> None:
    """Draw the glyphs in `values` (kind -> quantity, shape (d,)) from `origin`, by the grammar."""
    if values.get("squares") is not None:
        draw_square_sides(f, origin, square_sides(scales, values["squares"]))
    if values.get("grad") is not None:
        _draw_slope_parts(f, scales, origin, values["grad"])
    for kind in ARROW_KINDS:
        if values.get(kind) is not None:
            draw_kind_px(f, scales, origin, kind, kind_pixels(scales, kind, values[kind], optimizer), values[kind])


def kind_pixels(scales: Scales, kind: str, value: np.ndarray, optimizer: str) -> np.ndarray:
    """Return the true pixel vector of a glyph: pointing the way it pushes, at its kind's scale."""
    sign = -1.0 if kind in grammar.SIGNED else 1.0
    return grammar.to_screen(sign * np.asarray(value, dtype=float)) * scales.px_per_unit(kind, optimizer)


def draw_kind_px(f: Frame, scales: Scales, origin: np.ndarray, kind: str, true_px: np.ndarray,
                 value: np.ndarray) -> None:
    """Draw one arrow of a kind from its true pixel vector; label it when it is not to scale."""
    drawn = grammar.fit_arrow(true_px, scales)
    if drawn is None:
        return
    width = max(f.geo.sizes.line, 2) + (1 if kind == "step" else 0)
    glyphs.draw_arrow(f.target, origin, drawn.vector, theme.ARROW_COLOURS[kind], width,
                      dashed=drawn.stretched, broken=drawn.broken)
    if drawn.broken or drawn.stretched:  # not to scale: say how long it really is
        tip = origin + drawn.vector
        text = format_number(float(np.linalg.norm(value)))
        line = f.look.font(f.geo.sizes.small).get_linesize()
        # Arrows of one ball often point the same way: their numbers stack instead of overlapping.
        shift = ARROW_KINDS.index(kind) * line * (1 if drawn.vector[1] >= 0 else -1)
        hud.draw_text(f.target, f.look, text, (tip[0] + 6, tip[1] + shift), f.geo.sizes.small,
                      theme.ARROW_COLOURS[kind], bold=True, anchor="midleft")
    if kind == "grad" and f.geo.dims == 1:
        _draw_tangent(f, origin, float(value[0]))


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


def draw_square_sides(f: Frame, origin: np.ndarray, sides: np.ndarray) -> None:
    """One square per axis, x growing right-down and y left-up from the ball, each labelled."""
    cap = grammar.SQUARE_CAP * min(f.geo.layout.map.size)
    for axis, towards in zip(range(len(sides)), ((1, 1), (-1, -1))):
        side = float(sides[axis])
        rect = glyphs.draw_square(f.target, origin, min(side, cap), theme.ARROW_COLOURS["squares"], towards,
                                  broken=side > cap)
        label = "xy"[axis] if len(sides) == 2 else "x"
        corner = rect.bottomright if towards[0] > 0 else rect.topleft
        anchor = "bottomright" if towards[0] > 0 else "topleft"
        hud.draw_text(f.target, f.look, label, (corner[0] - 3 * towards[0], corner[1] - 2 * towards[1]),
                      f.geo.sizes.small, theme.ARROW_COLOURS["squares"], bold=True, anchor=anchor)


def _draw_tangent(f: Frame, origin: np.ndarray, slope: float) -> None:
    sx, sy = f.geo.viewport.scale
    direction = np.array([sx, -slope * sy])
    norm = np.hypot(*direction)
    if not np.isfinite(norm) or norm == 0:
        return
    half = direction / norm * TANGENT_HALF
    pygame.draw.line(f.target, theme.ARROW_COLOURS["grad_part"], origin - half, origin + half, 2)


def draw_scale_key(f: Frame, keepout: placement.Keepout, avoid: list[pygame.Rect]) -> pygame.Rect | None:
    """The key of the arrows and squares drawn now, in the corner where it covers least of
    `keepout` (the bottom ones first on a tie) and none of the banners in `avoid`; return where it went."""
    kinds = shown_kinds(f)
    if not kinds or not f.session.toggles.hud:
        return None
    optimizers = {ball.optimizer.name for ball in f.session.race.balls}
    if f.session.step_mode is not None:
        optimizers = {f.session.ball.optimizer.name}
    rows = glyph_key.key_rows(f.look, Scales.build(f.geo, f.gain), kinds, optimizers)
    picture = glyph_key.picture(f.look, tuple(rows), f.geo.sizes.small)
    area = f.geo.layout.map.inflate(-2 * placement.MARGIN, -2 * placement.MARGIN)
    options = []
    for corner in ("bottomright", "bottomleft", "topright", "topleft"):
        box = picture.get_rect()
        setattr(box, corner, getattr(area, corner))
        options.append(box)
    box = min(options, key=lambda b: keepout.cost(b) + BANNER_COST * (b.collidelist(avoid) >= 0))
    f.target.blit(picture, box)
    return box
