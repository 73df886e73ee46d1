"""Two small pictures for a level whose map is a neural network's loss (the tiny_net surface).

The network inset draws the network itself, x → w₁ → tanh → w₂ → ŷ, with the selected ball's
weights on its edges. In step-by-step mode it also shows the numbers of the stage being
played: the forward values of the batch's first point, then, as the backward pass walks back,
each derivative at the node or edge it belongs to (in the slope's colour). The fit inset draws
the data points and, for every ball, the curve ŷ(x) its weights make, so the fit improves as
the ball rolls; in step-by-step mode the points this step uses are ringed.

Both go in a corner of the map where they cover no ball and as little path as possible, clear
of the cards, captions and keys already drawn there (gdviz/ui/placement.py). Drawing changes
nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pygame

from gdviz.core.stages import format_fixed_value, format_value
from gdviz.ui import hud, placement, theme
from gdviz.ui.scenes.play_map import Frame

NET_EM = (25.0, 10.4)  # the network inset's size in units of the small font (step-by-step mode)
NET_COMPACT_EM = (25.0, 7.0)  # … while the race plays: title, weights and loss only
FIT_EM = (16.0, 11.0)  # the fit inset's size
SHRINK = (1.0, 0.85, 0.72)  # sizes tried in turn when the full size finds no free corner
CORNERS = ("topleft", "bottomright", "topright", "bottomleft", "midtop", "midbottom", "midleft", "midright")
DOT_EM = 0.22  # a data point's radius
BACKWARD = ("d_yhat", "d_w2", "d_h", "d_z", "d_w1")  # the backward stages, in the order they play


def draw_insets(f: Frame, keepout: placement.Keepout, avoid: Sequence[pygame.Rect]) -> list[pygame.Rect]:
    """Draw the fit and network insets on a network level (nothing elsewhere); return their boxes."""
    session = f.session
    surface = session.race.surface
    if not hasattr(surface, "predict") or session.swarm is not None or not session.toggles.hud:
        return []
    stage = _backprop_stage(session.step_mode)
    marks = [p.location for p in (*surface.minima, *surface.saddles)]  # the minima and the saddle stay in sight
    keepout = placement.Keepout.join([keepout, placement.Keepout.of(
        f.geo.to_pixels(np.array(marks, dtype=float)), f.geo.sizes.ball + 4, placement.GOAL_WEIGHT)])
    taken = list(avoid)
    placed = []
    fit = _place(f, FIT_EM, keepout, taken)
    if fit is not None:
        draw_fit(f, fit, stage)
        taken.append(fit)
        placed.append(fit)
    net = _place(f, NET_EM if stage is not None else NET_COMPACT_EM, keepout, taken, placed)
    if net is not None:
        draw_network(f, net, stage)
        placed.append(net)
    return placed


def _backprop_stage(mode):
    """Return the step-by-step stage whose backprop numbers the insets show: the current one while
    the backward pass plays, its last stage during the optimizer's stages (None outside the mode)."""
    if mode is None:
        return None
    if "batch" in mode.current.values:
        return mode.current
    return next((v for v in reversed(mode.views) if "batch" in v.values), None)


def _options(area: pygame.Rect, size: tuple[int, int], beside: Sequence[pygame.Rect]) -> list[pygame.Rect]:
    """Where an inset of `size` may go: the map's corners and edge middles, and under or over each of `beside`."""
    options = []
    for corner in CORNERS:
        box = pygame.Rect((0, 0), size)
        setattr(box, corner, getattr(area, corner))
        options.append(box)
    for other in beside:
        for x in (other.x, other.right - size[0]):
            options += [pygame.Rect((x, other.bottom + placement.GAP), size),
                        pygame.Rect((x, other.top - placement.GAP - size[1]), size)]
    return [b for b in options if area.contains(b)]


def _place(f: Frame, em: tuple[float, float], keepout: placement.Keepout, avoid: Sequence[pygame.Rect],
           beside: Sequence[pygame.Rect] = ()) -> pygame.Rect | None:
    """Return the box on the map where an inset covers no ball, no card and least path (or None)."""
    area = f.geo.layout.map.inflate(-2 * placement.MARGIN, -2 * placement.MARGIN)
    unit = f.geo.sizes.small
    for shrink in SHRINK:
        size = (int(em[0] * unit * shrink), int(em[1] * unit * shrink))
        options = _options(area, size, beside)
        free = [b for b in options if b.collidelist(list(avoid)) < 0 and keepout.cost(b) < placement.GOAL_WEIGHT]
        if free:
            return min(free, key=lambda b: (keepout.cost(b), -keepout.clearance(b)))
    return None


def _number(f: Frame, value) -> str:
    return (format_fixed_value if f.look.presenter else format_value)(np.asarray(value)[0])


# --- the fit ------------------------------------------------------------------------------------


def draw_fit(f: Frame, box: pygame.Rect, stage) -> None:
    """Draw the data points and each ball's curve ŷ(x) in `box`; ring this step's points."""
    look, surface = f.look, f.session.race.surface
    size = max(int(box.height / FIT_EM[1]), 10)
    hud.draw_panel(f.target, look, box)
    title = hud.draw_text(f.target, look, look.tr("inset.fit"), (box.x + size // 2, box.y + size // 3), size,
                          look.colours.text_dim)
    plot = pygame.Rect(box.x + size, title.bottom + size // 3, box.width - 2 * size, 0)
    plot.height = box.bottom - size // 2 - plot.y
    xs, ys = surface.data_x, surface.data_y
    x_lo, x_hi = float(xs.min()), float(xs.max())
    y_top = 1.15 * float(np.abs(ys).max())

    def to_px(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        px = plot.x + (x - x_lo) / (x_hi - x_lo) * plot.width
        py = plot.centery - np.clip(y, -y_top, y_top) / y_top * plot.height / 2
        return np.stack([px, py], axis=-1)

    axis = look.colours.panel_edge
    pygame.draw.line(f.target, axis, (plot.x, plot.centery), (plot.right, plot.centery))
    pygame.draw.line(f.target, axis, tuple(to_px(np.array(0.0), np.array(y_top))), tuple(to_px(np.array(0.0), np.array(-y_top))))
    radius = max(int(DOT_EM * size), 2)
    for point in to_px(xs, ys):
        pygame.draw.circle(f.target, look.colours.text_dim, point, radius)
    if stage is not None and stage.values["n"] < xs.size:  # a mini-batch: ring it
        for i, point in enumerate(to_px(xs[stage.values["batch"][0]], ys[stage.values["batch"][0]])):
            pygame.draw.circle(f.target, look.colours.accent, point, radius + 3, 2 if i else 3)
    _draw_curves(f, plot, to_px, x_lo, x_hi, size)


def _draw_curves(f: Frame, plot: pygame.Rect, to_px, x_lo: float, x_hi: float, size: int) -> None:
    """Each ball's curve in its colour (the selected one thickest), its number at the right end."""
    session, surface = f.session, f.session.race.surface
    grid = np.linspace(x_lo, x_hi, 64)
    positions = np.array(session.display_positions()).reshape(-1, 2)
    curves = surface.predict(positions, grid)
    order = [i for i in range(len(curves)) if i != session.selected] + [session.selected]
    ends = []
    for i in order:
        if not np.isfinite(curves[i]).all():
            continue
        points = to_px(grid, curves[i])
        width = max(f.geo.sizes.line + (1 if i == session.selected else 0), 2)
        pygame.draw.lines(f.target, theme.OUTLINE, False, points, width + 2)
        pygame.draw.lines(f.target, theme.ball_colour(i), False, points, width)
        ends.append((float(points[-1][1]), i))
    _draw_end_numbers(f, plot, sorted(ends), size)


def _draw_end_numbers(f: Frame, plot: pygame.Rect, ends: list[tuple[float, int]], size: int) -> None:
    """Each curve's ball number just right of its end, nudged apart where curves end together."""
    from gdviz.ui import glyphs

    radius = max(size // 2, 6)
    last = -np.inf
    for y, i in ends:
        y = max(y, last + 2 * radius + 1)
        glyphs.draw_ball(f.target, (plot.right + radius // 2, min(y, plot.bottom + radius)), theme.ball_colour(i),
                         radius, number=str(i + 1))
        last = y


# --- the network ------------------------------------------------------------------------------------


def draw_network(f: Frame, box: pygame.Rect, stage) -> None:
    """Draw x → w₁ → tanh → w₂ → ŷ with the selected ball's weights and the stage's numbers."""
    look = f.look
    em = max(box.width / NET_EM[0], 8.0)
    size = int(round(em))
    hud.draw_panel(f.target, look, box)
    heading = look.tr("inset.network") if stage is None else look.tr("inset.network_first", n=stage.values["n"])
    title = hud.draw_text(f.target, look, heading, (box.x + size // 2, box.y + size // 3), size, look.colours.text_dim)
    line = look.font(size).get_linesize()
    centres = [box.x + 3.4 * em, box.centerx, box.right - 4.4 * em]
    rows_above = 1 if stage is None else 2  # the slopes go above the weights
    mid_y = title.bottom + rows_above * line + int(1.1 * em)
    nodes = [_node(f, "x", centres[0], mid_y, size), _node(f, "tanh", centres[1], mid_y, size),
             _node(f, "ŷ", centres[2], mid_y, size)]
    # In step-by-step mode: the weights the backward pass worked with (the ball moves only at the end).
    weights = f.session.ball.position[0] if stage is None else np.asarray(stage.values["old"])[0]
    edges = [((nodes[0].right, nodes[1].left), "w₁", weights[0]), ((nodes[1].right, nodes[2].left), "w₂", weights[1])]
    for (left, right), name, value in edges:
        pygame.draw.line(f.target, look.colours.text, (left, mid_y), (right - 2, mid_y), 2)
        pygame.draw.polygon(f.target, look.colours.text, [(right, mid_y), (right - 8, mid_y - 4), (right - 8, mid_y + 4)])
        hud.draw_text(f.target, look, f"{name} = {_number(f, [value])}", ((left + right) // 2, mid_y - 4), size,
                      look.colours.text, bold=True, anchor="midbottom")
    if stage is None:
        loss = f.session.race.surface.value(weights)
        hud.draw_text(f.target, look, f"{look.tr('inset.loss')} = {_number(f, [loss])}",
                      (box.x + size // 2, nodes[0].bottom + line // 3), size, look.colours.text_dim)
        return
    _draw_stage_numbers(f, stage, nodes, [(e[0][0] + e[0][1]) // 2 for e in edges], mid_y, size, line)


def _node(f: Frame, text: str, x: float, y: int, size: int) -> pygame.Rect:
    """Draw one node of the network as a rounded box with its name; return the box."""
    width = max(hud.text_width(f.look, text, size, True) + size, int(2.2 * size))
    box = pygame.Rect(0, 0, width, int(1.8 * size))
    box.center = (int(x), y)
    pygame.draw.rect(f.target, f.look.colours.panel, box, border_radius=size // 2)
    pygame.draw.rect(f.target, f.look.colours.text, box, 2, border_radius=size // 2)
    hud.draw_text(f.target, f.look, text, box.center, size, f.look.colours.text, anchor="center")
    return box


def _draw_stage_numbers(f: Frame, stage, nodes: list[pygame.Rect], edge_x: list[int], mid_y: int,
                        size: int, line: int) -> None:
    """Forward values under the nodes; the derivatives the backward pass has reached so far, in the slope's colour."""
    look, values = f.look, stage.values
    reached = BACKWARD.index(stage.key) + 1 if stage.key in BACKWARD else (0 if stage.key == "forward" else len(BACKWARD))
    done = set(BACKWARD[:reached])
    slope = theme.ARROW_COLOURS["grad"]
    first = nodes[0].bottom + line // 4
    rows = [
        (nodes[0].centerx, first, f"x = {_number(f, values['x0'])}", look.colours.text),
        (nodes[0].centerx, first + line, f"y = {_number(f, values['y0'])}", look.colours.text_dim),
        (nodes[1].centerx, first, f"h = {_number(f, values['h0'])}", look.colours.text),
        (nodes[2].centerx, first, f"ŷ = {_number(f, values['yhat0'])}", look.colours.text),
    ]
    if "d_yhat" in done:
        rows.append((nodes[2].centerx, first + line, f"∂L/∂ŷ = {_number(f, values['dyhat0'])}", slope))
    if "d_h" in done:
        name, key = ("∂L/∂z", "dz0") if "d_z" in done else ("∂L/∂h", "dh0")
        rows.append((nodes[1].centerx, first + line, f"{name} = {_number(f, values[key])}", slope))
    for x, name, key in ((edge_x[1], "∂L/∂w₂", "dw2"), (edge_x[0], "∂L/∂w₁", "dw1")):
        if f"d_{key[1:]}" in done:
            rows.append((x, mid_y - 4 - 2 * line, f"{name} = {_number(f, values[key])}", slope))
    for x, y, text, colour in rows:
        hud.draw_text(f.target, look, text, (int(x), int(y)), size, colour, bold=colour == slope, anchor="midtop")
