"""Drawing the arrows and squares that show what an optimizer does, and the step-by-step stages."""

from __future__ import annotations

import numpy as np
import pygame

from gdviz.core.levels import Level
from gdviz.ui import glyphs, hud, theme
from gdviz.ui.scenes.play_map import Frame

ARROW_SHARE = 0.12  # a typical gradient is drawn this share of the view's width long
ARROW_CAP = 0.3  # the longest arrow, as a share of the map's smaller side
SQUARE_CAP = 0.35  # the biggest square, as a share of the map's smaller side
TANGENT_HALF = 70  # pixels of tangent line either side of a 1-D ball


def arrow_gain(level: Level) -> float:
    """Return world units of arrow per unit of gradient, from the level's typical slope."""
    bounds = level.view
    starts = np.stack(np.meshgrid(*[np.linspace(lo, hi, 24) for lo, hi in bounds]), -1).reshape(-1, len(bounds))
    with np.errstate(all="ignore"):
        norms = np.linalg.norm(level.surface.grad(starts), axis=1)
    typical = float(np.median(norms[np.isfinite(norms)])) if np.isfinite(norms).any() else 1.0
    span = bounds[0][1] - bounds[0][0]
    return ARROW_SHARE * span / max(typical, 1e-12)


def draw_arrows(f: Frame) -> None:
    """Each rolling ball's gradient, momentum, squares and next step, as the toggles ask."""
    toggles = f.session.toggles
    if not (toggles.grad or toggles.velocity or toggles.squares or toggles.update):
        return
    for preview, centre in zip(f.session.previews(), f.session.display_positions()):
        if preview is None:
            continue
        origin = f.geo.to_pixels(centre[None])[0]
        draw_glyph_set(f, origin, {
            "grad": preview.trace.grad[0] if toggles.grad else None,
            "velocity": _row(preview.trace.velocity) if toggles.velocity else None,
            "squares": _row(preview.trace.squares) if toggles.squares else None,
            "step": preview.trace.update[0] if toggles.update else None,
        })


def _gradient_pixels(f: Frame, vector: np.ndarray) -> np.ndarray:
    """Turn a gradient-like vector into a pixel arrow (y flipped; 1-D lies along x)."""
    sx, sy = f.geo.viewport.scale
    v = np.zeros(2)
    v[: len(vector)] = vector
    return np.array([v[0] * sx, -v[1] * sy]) * f.gain


def _step_pixels(f: Frame, vector: np.ndarray) -> np.ndarray:
    sx, sy = f.geo.viewport.scale
    if len(vector) == 1:
        return np.array([vector[0] * sx, 0.0])
    return np.array([vector[0] * sx, -vector[1] * sy])


def draw_glyph_set(f: Frame, origin: np.ndarray, values: dict[str, np.ndarray | None]) -> None:
    """Draw the glyphs named in `values` (grad, velocity, squares, direction, step) from `origin`."""
    target, width = f.target, max(f.geo.sizes.line, 2)
    cap = ARROW_CAP * min(f.geo.layout.map.size)
    if values.get("squares") is not None:
        _draw_squares(f, origin, values["squares"])
    if values.get("grad") is not None:
        _draw_gradient(f, origin, values["grad"], width, cap)
    if values.get("velocity") is not None:
        glyphs.draw_arrow(target, origin, _gradient_pixels(f, values["velocity"]),
                          theme.ARROW_COLOURS["velocity"], width, max_px=cap)
    if values.get("direction") is not None:
        glyphs.draw_arrow(target, origin, _gradient_pixels(f, values["direction"]),
                          theme.ARROW_COLOURS["squares"], width, max_px=cap)
    if values.get("step") is not None:
        glyphs.draw_arrow(target, origin, _step_pixels(f, values["step"]),
                          theme.ARROW_COLOURS["update"], width + 1, max_px=cap)


def _draw_gradient(f: Frame, origin: np.ndarray, grad: np.ndarray, width: int, cap: float) -> None:
    g = _gradient_pixels(f, grad)
    if len(grad) == 2:
        glyphs.draw_arrow(f.target, origin, (g[0], 0.0), theme.ARROW_COLOURS["grad_x"], 1, 6, cap)
        glyphs.draw_arrow(f.target, origin, (0.0, g[1]), theme.ARROW_COLOURS["grad_y"], 1, 6, cap)
    glyphs.draw_arrow(f.target, origin, g, theme.ARROW_COLOURS["grad"], width, max_px=cap)
    if f.geo.dims == 1:
        _draw_tangent(f, origin, grad[0])


def _draw_squares(f: Frame, origin: np.ndarray, squares: np.ndarray) -> None:
    """One square per axis whose area is that axis's squared-gradient accumulator."""
    scale = np.array(f.geo.viewport.scale)[: len(squares)]
    sides = np.sqrt(np.maximum(squares, 0.0)) * f.gain * scale
    # Capped like the arrows: a square bigger than a third of the map says nothing more.
    sides = np.minimum(np.nan_to_num(sides, nan=0.0, posinf=1e9), SQUARE_CAP * min(f.geo.layout.map.size))
    colour = theme.ARROW_COLOURS["squares"]
    glyphs.draw_square(f.target, origin, sides[0], colour, (1, 1))
    if len(sides) > 1:
        glyphs.draw_square(f.target, origin, sides[1], colour, (-1, -1))


def _draw_tangent(f: Frame, origin: np.ndarray, slope: float) -> None:
    sx, sy = f.geo.viewport.scale
    direction = np.array([sx, -slope * sy])
    norm = np.hypot(*direction)
    if not np.isfinite(norm) or norm == 0:
        return
    half = direction / norm * TANGENT_HALF
    pygame.draw.line(f.target, theme.ARROW_COLOURS["grad_x"], origin - half, origin + half, 2)


def draw_stage(f: Frame) -> None:
    """Step-by-step mode: this stage's glyphs from where the step began, and its caption."""
    session = f.session
    view = session.step_mode.current
    origin = f.geo.to_pixels(np.asarray(view.values["old"])[:1])[0]  # glyphs start where the step began
    shown = {kind: values[0] for kind, values in view.glyphs.items()}
    ghost, classical = shown.pop("ghost", None), shown.pop("classical", None)
    draw_glyph_set(f, origin, shown)
    colour = theme.optimizer_colour(session.ball.optimizer.name)
    if ghost is not None:
        glyphs.draw_ghost(f.target, f.geo.to_pixels(ghost[None])[0], colour, f.geo.sizes.ball)
    if classical is not None:  # Nesterov: the classical position θ, behind the look-ahead ball
        centre = f.geo.to_pixels(classical[None])[0]
        glyphs.draw_ghost(f.target, centre, theme.RING, max(f.geo.sizes.ball // 2, 4))
        hud.draw_text(f.target, f.look, "θ", (centre[0] + f.geo.sizes.ball, centre[1]), f.geo.sizes.body,
                      theme.RING, bold=True, anchor="midleft")
    _draw_caption(f, view, below=origin[1] < f.geo.layout.map.centery)


def _draw_caption(f: Frame, view, below: bool) -> None:
    """Draw the stage caption in the half of the map away from the ball."""
    mode, look = f.session.step_mode, f.look
    area = f.geo.layout.map.inflate(-24, -24)
    text = f"{mode.index + 1}/{len(mode.views)}  {view.caption(look.lang)}"
    size = f.geo.sizes.body
    lines = hud.wrap(look, text, size, area.width - 24, bold=True)
    line_h = look.font(size, True).get_linesize()
    height = len(lines) * line_h + 16
    top = area.bottom - height if below else area.y + 2 * line_h
    box = pygame.Rect(area.x, top, area.width, height)
    hud.draw_panel(f.target, look, box, 225)
    hud.draw_paragraph(f.target, look, text, box.inflate(-24, -16), size, look.colours.text, bold=True)


def _row(values: np.ndarray | None) -> np.ndarray | None:
    return None if values is None else values[0]
