"""Drawing step-by-step mode: one stage of an update, assembled on screen as it happens.

Each stage's glyphs grow out of the last stage's (see Stage.start, morph and tails in
gdviz/core/stages.py): a fading velocity shrinks, the slope is laid tip to tail on it and
the sum follows, squares grow or shrink, the direction shrinks out of what it divides, and
the step arrow stretches out to the ghost ball where the ball will land. The session's
StepMode.progress (0 to 1) says how far the picture has moved; the numbers in the caption
are always the stage's real numbers.
"""

from __future__ import annotations

import numpy as np
import pygame

from gdviz.ui import glyphs, hud, theme
from gdviz.ui.grammar import Scales, fit_arrow
from gdviz.ui.scenes.play_arrows import (ARROW_KINDS, DRAW_ORDER, draw_kind_px, draw_square_sides, kind_pixels,
                                          square_sides, step_pixels)
from gdviz.ui.scenes.play_map import Frame


def ease(t: float) -> float:
    """Smooth start and stop: 0 → 0, 1 → 1."""
    t = min(max(t, 0.0), 1.0)
    return t * t * (3 - 2 * t)


def draw_stage_glyphs(f: Frame) -> None:
    """Step-by-step mode: this stage's arrows and squares from where the step began, moving in.

    Drawn before the balls, so no arrow hides a ball's number; `draw_stage_top` adds the rest.
    """
    session = f.session
    mode = session.step_mode
    view = mode.current
    origin = f.geo.to_pixels(np.asarray(view.values["old"])[:1])[0]  # glyphs start where the step began
    scales = Scales.build(f.geo, f.gain)
    optimizer = session.ball.optimizer.name
    t = ease(mode.progress)
    now = _glyph_pixels(f, view, scales, optimizer)
    before = _starting_pixels(f, view, mode.previous, scales, optimizer) if mode.previous is not None else now
    if "squares" in now:
        start = before.get("squares", np.zeros_like(now["squares"]))
        draw_square_sides(f, origin, start + (now["squares"] - start) * t, view.glyphs["squares"][0])
    for kind in (k for k in DRAW_ORDER if k in now):
        start = before.get(kind, np.zeros(2))
        tail = _tail(f, view, kind, scales, optimizer)
        with np.errstate(invalid="ignore", over="ignore"):  # inf − inf on a 1e308 slope: dropped when drawn
            between = start + (now[kind] - start) * t
        draw_kind_px(f, scales, origin + tail, kind, between, view.glyphs[kind][0])


def draw_stage_top(f: Frame) -> pygame.Rect:
    """The ghost ball, Nesterov's θ and the stage's caption, over the balls; return the caption's box."""
    session = f.session
    view = session.step_mode.current
    origin = f.geo.to_pixels(np.asarray(view.values["old"])[:1])[0]
    _draw_points(f, view, session.selected, ease(session.step_mode.progress))
    return _draw_caption(f, view, below=origin[1] < f.geo.layout.map.centery)


def _glyph_pixels(f: Frame, view, scales: Scales, optimizer: str) -> dict[str, np.ndarray]:
    """Each glyph of a stage in pixels: arrows as pixel vectors, squares as their sides."""
    out = {}
    for kind, values in view.glyphs.items():
        if kind == "squares":
            out[kind] = square_sides(scales, values[0])
        elif kind == "step":
            out[kind] = step_pixels(f, scales, np.asarray(view.values["old"])[0], values[0])
        elif kind in ARROW_KINDS:
            out[kind] = kind_pixels(scales, kind, values[0], optimizer)
    return out


def _starting_pixels(f: Frame, view, previous, scales: Scales, optimizer: str) -> dict[str, np.ndarray]:
    """Where each glyph of this stage starts its move: a named quantity, the glyph it grows out of
    (morph) or the same kind in the previous stage; absent kinds grow from nothing."""
    before = _glyph_pixels(f, previous, scales, optimizer)
    out = {kind: before[kind] for kind in view.glyphs if kind in before}
    for kind, source in view.stage.morph.items():
        if source in before:
            out[kind] = before[source]
    for kind, name in view.stage.start.items():
        value = np.asarray(view.values[name])[0]
        out[kind] = square_sides(scales, value) if kind == "squares" else kind_pixels(scales, kind, value, optimizer)
    return out


def _tail(f: Frame, view, kind: str, scales: Scales, optimizer: str) -> np.ndarray:
    """Pixel offset of a glyph laid tip to tail on a velocity (the stage's `tails`), else zero:
    the tip of that velocity arrow as drawn (cut short, if it is too long for the map)."""
    name = view.stage.tails.get(kind)
    if name is None:
        return np.zeros(2)
    drawn = fit_arrow(kind_pixels(scales, "velocity", np.asarray(view.values[name])[0], optimizer), scales)
    return np.zeros(2) if drawn is None else drawn.vector


def _draw_points(f: Frame, view, index: int, t: float) -> None:
    """The ghost ball where the step lands, and Nesterov's classical position θ behind the ball."""
    colour = theme.ball_colour(index)
    ghost, classical = view.glyphs.get("ghost"), view.glyphs.get("classical")
    if ghost is not None and t > 0.6:  # the ghost waits where the step arrow is about to land
        glyphs.draw_ghost(f.target, f.geo.to_pixels(ghost[:1])[0], colour, f.geo.sizes.ball)
    if classical is not None:
        centre = f.geo.to_pixels(classical[:1])[0]
        ball = f.geo.to_pixels(np.asarray(view.values["old"])[:1])[0]
        away = centre - ball
        away = away / np.hypot(*away) if np.hypot(*away) > 1 else np.array([0.0, -1.0])
        glyphs.draw_ghost(f.target, centre, theme.RING, max(f.geo.sizes.ball // 2, 4))
        spot = centre + away * (f.geo.sizes.ball + f.geo.sizes.body * 0.6)  # on the far side from the ball
        hud.draw_text(f.target, f.look, "θ", (spot[0], spot[1]), f.geo.sizes.body, theme.RING, bold=True,
                      anchor="center", background=theme.OUTLINE)


def _draw_caption(f: Frame, view, below: bool) -> pygame.Rect:
    """Draw the stage caption in the half of the map away from the ball."""
    mode, look = f.session.step_mode, f.look
    area = f.geo.layout.map.inflate(-24, -24)
    text = f"{mode.index + 1}/{len(mode.views)}  {view.caption(look.lang, fixed=look.fixed)}"
    size = f.geo.sizes.body
    lines = hud.wrap(look, text, size, area.width - 24, bold=True)
    line_h = look.font(size, True).get_linesize()
    height = len(lines) * line_h + 16
    top = area.bottom - height if below else area.y + 2 * line_h
    box = pygame.Rect(area.x, top, area.width, height)
    hud.draw_panel(f.target, look, box, 235)
    hud.draw_paragraph(f.target, look, text, box.inflate(-24, -16), size, look.colours.text, bold=True)
    return box
