"""Two small pictures for a level whose map is a neural network's loss (the tiny_net surface).

The network inset draws the network itself, x → w₁ → tanh → w₂ → ŷ, with the selected ball's
weights on its edges. In step-by-step mode it also shows the numbers of the stage being
played, every one of them for the batch's first point (ℓ is that point's loss): the forward
values, then, as the backward pass walks back, each derivative ∂ℓ/∂… at the node or edge it
belongs to (in the slope's colour) — so the numbers in the box multiply out by the chain rule.
The batch's means, the slope itself, are in the captions. The fit inset draws the data points
and, for every ball, the curve ŷ(x) its weights make, so the fit improves as the ball rolls;
a curve leaving the box is cut at its edge. In step-by-step mode the points this step uses
are marked in the ball's colour, over the curves.

Both are opaque panels in a corner of the map where they cover no ball and as little path as
possible, clear of the cards, captions and keys already drawn there (gdviz/ui/placement.py) and,
where there is room, of the axes' tick labels. Drawing changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pygame

from gdviz.core.stages import format_fixed_value, format_value
from gdviz.ui import axes, hud, placement, theme
from gdviz.ui.scenes.play_map import Frame

NET_EM = (25.0, 10.4)  # the network inset's size in units of the small font (step-by-step mode)
NET_COMPACT_EM = (25.0, 7.0)  # … while the race plays: title, weights and loss only
FIT_EM = (16.0, 11.0)  # the fit inset's size
SHRINK = (1.0, 0.85, 0.72)  # sizes tried in turn when the full size finds no free corner
CORNERS = ("topleft", "bottomright", "topright", "bottomleft", "midtop", "midbottom", "midleft", "midright")
DOT_EM = 0.22  # a data point's radius
USED_EM = 0.42  # the radius of a data point this step uses, marked in the ball's colour
NAME_EM = 12.0  # how far right of its ball a ball's name reaches, in units of the small font
NAME_WEIGHT = 0.1  # what covering a bit of a name costs: less than a path, so names only break ties
FAR = 50  # a curve's points are kept within this many plot heights of the box (pygame needs finite ints)
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
        f.geo.to_pixels(np.array(marks, dtype=float)), f.geo.sizes.ball + 4, placement.GOAL_WEIGHT), _names(f)])
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


def _names(f: Frame) -> placement.Keepout:
    """Where the balls' names probably are — beside each ball, on its right — as light discs, so
    an inset that has a choice leaves them in sight (they are drawn before the insets)."""
    step = f.geo.sizes.small
    balls = f.geo.to_pixels(np.array(f.session.display_positions(), dtype=float).reshape(-1, 2))
    reach = np.arange(f.geo.sizes.ball + step, NAME_EM * step, step)
    spots = (balls[:, None, :] + np.stack([reach, np.zeros_like(reach)], axis=1)[None]).reshape(-1, 2)
    return placement.Keepout.of(spots, step, NAME_WEIGHT)


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


def axis_strips(f: Frame) -> tuple[int, int]:
    """Return how wide the strip of tick labels along the map's left edge is, and how tall the
    one along its bottom edge (as gdviz/ui/axes.py draws them into the terrain)."""
    view = f.geo.viewport
    local = replace(view, rect=(0, 0, *view.size))
    font = f.look.font(f.look.label_size(view.size[1]))
    _, ystep = axes.axis_steps(local, f.look, same=f.geo.dims == 2)
    widest = max((font.size(axes.format_tick(v, ystep))[0] for v in axes.tick_values(local.ylim, ystep)), default=0)
    return widest + 3 * axes.LABEL_PAD, font.get_height() + axes.TICK_LENGTH


def _areas(f: Frame) -> list[pygame.Rect]:
    """Where insets may go, best first: the map clear of the axes' tick labels, then the whole map."""
    game = f.geo.layout.map
    whole = game.inflate(-2 * placement.MARGIN, -2 * placement.MARGIN)
    left, bottom = axis_strips(f)
    x = max(whole.left, game.left + left + placement.GAP)
    y = min(whole.bottom, game.bottom - bottom - placement.GAP)
    return [pygame.Rect(x, whole.top, whole.right - x, y - whole.top), whole]


def _place(f: Frame, em: tuple[float, float], keepout: placement.Keepout, avoid: Sequence[pygame.Rect],
           beside: Sequence[pygame.Rect] = ()) -> pygame.Rect | None:
    """Return the box on the map where an inset covers no ball, no card and least path (or None),
    off the tick labels if it fits there at any of its sizes."""
    unit = f.geo.sizes.small
    for area in _areas(f):
        for shrink in SHRINK:
            size = (int(em[0] * unit * shrink), int(em[1] * unit * shrink))
            options = _options(area, size, beside)
            free = [b for b in options if b.collidelist(list(avoid)) < 0 and keepout.cost(b) < placement.GOAL_WEIGHT]
            if free:
                return min(free, key=lambda b: (keepout.cost(b), -keepout.clearance(b)))
    return None


def _number(f: Frame, value) -> str:
    return (format_fixed_value if f.look.fixed else format_value)(np.asarray(value)[0])


# --- the fit ------------------------------------------------------------------------------------


class FitScale:
    """Where a point (x, y) of the fit goes in the plot: the data's x range across, ±y_top up and down."""

    def __init__(self, plot: pygame.Rect, xs: np.ndarray, ys: np.ndarray) -> None:
        self.plot, self.x_lo, self.x_hi = plot, float(xs.min()), float(xs.max())
        self.y_top = 1.15 * float(np.abs(ys).max())

    def __call__(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Return pixel points (..., 2); a point far off the plot stays off it (no flattening onto its edge)."""
        plot = self.plot
        px = plot.x + (np.asarray(x, dtype=float) - self.x_lo) / (self.x_hi - self.x_lo) * plot.width
        py = plot.centery - np.asarray(y, dtype=float) / self.y_top * plot.height / 2
        far = FAR * max(plot.height, 1)
        return np.stack([px, np.clip(py, plot.centery - far, plot.centery + far)], axis=-1)


def draw_fit(f: Frame, box: pygame.Rect, stage) -> pygame.Rect:
    """Draw the data points and each ball's curve ŷ(x) in `box`, the points this step uses marked
    over the curves in the ball's colour; return the plot's rectangle."""
    look, surface = f.look, f.session.race.surface
    size = max(int(box.height / FIT_EM[1]), 10)
    hud.draw_panel(f.target, look, box, 255)
    title = hud.draw_text(f.target, look, look.tr("inset.fit"), (box.x + size // 2, box.y + size // 3), size,
                          look.colours.text_dim)
    plot = pygame.Rect(box.x + size, title.bottom + size // 3, box.width - 2 * size, 0)
    plot.height = box.bottom - size // 2 - plot.y
    xs, ys = surface.data_x, surface.data_y
    to_px = FitScale(plot, xs, ys)
    axis = look.colours.panel_edge
    pygame.draw.line(f.target, axis, (plot.x, plot.centery), (plot.right, plot.centery))
    pygame.draw.line(f.target, axis, tuple(to_px(0.0, to_px.y_top)), tuple(to_px(0.0, -to_px.y_top)))
    radius = max(int(DOT_EM * size), 2)
    for point in to_px(xs, ys):
        pygame.draw.circle(f.target, look.colours.text_dim, point, radius)
    _draw_curves(f, to_px, size)
    if stage is not None and stage.values["n"] < xs.size:  # a mini-batch: mark its points
        used = stage.values["batch"][0]
        mark = max(int(USED_EM * size), radius + 2)
        for point in to_px(xs[used], ys[used]):
            pygame.draw.circle(f.target, theme.OUTLINE, point, mark + 2)
            pygame.draw.circle(f.target, theme.ball_colour(f.session.selected), point, mark)
    return plot


def _draw_curves(f: Frame, to_px: FitScale, size: int) -> None:
    """Each ball's curve in its colour (the selected one thickest), cut at the plot's edges, its
    number just right of where it ends."""
    session, surface, plot = f.session, f.session.race.surface, to_px.plot
    grid = np.linspace(to_px.x_lo, to_px.x_hi, 64)
    positions = np.array(session.display_positions()).reshape(-1, 2)
    curves = surface.predict(positions, grid)
    order = [i for i in range(len(curves)) if i != session.selected] + [session.selected]
    ends = []
    clip = f.target.get_clip()
    f.target.set_clip(plot.clip(clip))
    for i in order:
        if not np.isfinite(curves[i]).all():
            continue
        points = to_px(grid, curves[i])
        width = max(f.geo.sizes.line + (1 if i == session.selected else 0), 2)
        pygame.draw.lines(f.target, theme.OUTLINE, False, points, width + 2)
        pygame.draw.lines(f.target, theme.ball_colour(i), False, points, width)
        ends.append((float(points[-1][1]), i))
    f.target.set_clip(clip)
    _draw_end_numbers(f, plot, sorted(ends), size)


def _draw_end_numbers(f: Frame, plot: pygame.Rect, ends: list[tuple[float, int]], size: int) -> None:
    """Each curve's ball number just right of its end (at the plot's edge for a curve that left
    it), nudged apart where curves end together."""
    from gdviz.ui import glyphs

    radius = max(size // 2, 6)
    last = -np.inf
    for y, i in ends:
        y = max(min(max(y, plot.top), plot.bottom), last + 2 * radius + 1)
        glyphs.draw_ball(f.target, (plot.right + radius // 2, min(y, plot.bottom + radius)), theme.ball_colour(i),
                         radius, number=str(i + 1))
        last = y


# --- the network ------------------------------------------------------------------------------------


def draw_network(f: Frame, box: pygame.Rect, stage) -> None:
    """Draw x → w₁ → tanh → w₂ → ŷ with the selected ball's weights and the stage's numbers."""
    look = f.look
    em = max(box.width / NET_EM[0], 8.0)
    size = int(round(em))
    hud.draw_panel(f.target, look, box, 255)
    heading = look.tr("inset.network") if stage is None else (
        look.tr("inset.network_one") if stage.values["n"] == 1 else look.tr("inset.network_first", n=stage.values["n"]))
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
    _draw_stage_numbers(f, stage, box, nodes, [(e[0][0] + e[0][1]) // 2 for e in edges], mid_y, size, line)


def _node(f: Frame, text: str, x: float, y: int, size: int) -> pygame.Rect:
    """Draw one node of the network as a rounded box with its name; return the box."""
    width = max(hud.text_width(f.look, text, size, True) + size, int(2.2 * size))
    box = pygame.Rect(0, 0, width, int(1.8 * size))
    box.center = (int(x), y)
    pygame.draw.rect(f.target, f.look.colours.panel, box, border_radius=size // 2)
    pygame.draw.rect(f.target, f.look.colours.text, box, 2, border_radius=size // 2)
    hud.draw_text(f.target, f.look, text, box.center, size, f.look.colours.text, anchor="center")
    return box


def stage_numbers(stage) -> dict[str, float]:
    """Return the numbers the inset shows for a backward-pass stage, by name: every one for the
    batch's first point (ℓ is its loss), so that they multiply out by the chain rule."""
    values = stage.values
    reached = BACKWARD.index(stage.key) + 1 if stage.key in BACKWARD else (0 if stage.key == "forward" else len(BACKWARD))
    done = set(BACKWARD[:reached])
    names = [("x", "x0"), ("y", "y0"), ("h", "h0"), ("ŷ", "yhat0"), ("∂ℓ/∂ŷ", "dyhat0"), ("∂ℓ/∂w₂", "dw2_0"),
             ("∂ℓ/∂h", "dh0"), ("∂ℓ/∂z", "dz0"), ("∂ℓ/∂w₁", "dw1_0")]
    wanted = {"d_yhat": "∂ℓ/∂ŷ", "d_w2": "∂ℓ/∂w₂", "d_h": "∂ℓ/∂h", "d_z": "∂ℓ/∂z", "d_w1": "∂ℓ/∂w₁"}
    shown = {wanted[key] for key in done}
    if "∂ℓ/∂z" in shown:
        shown.discard("∂ℓ/∂h")  # ∂ℓ/∂z takes its place at the tanh node
    return {name: float(np.asarray(values[key]).ravel()[0]) for name, key in names
            if name in {"x", "y", "h", "ŷ"} | shown}


# Where each number goes: (column, row) — columns 0–2 are the nodes x, tanh, ŷ (rows 0, 1 below
# them), columns "w₁" and "w₂" the edges (above the weight); and whether it is a slope.
SPOTS = {"x": (0, 0), "y": (0, 1), "h": (1, 0), "ŷ": (2, 0), "∂ℓ/∂ŷ": (2, 1), "∂ℓ/∂h": (1, 1), "∂ℓ/∂z": (1, 1),
         "∂ℓ/∂w₂": ("w₂", 0), "∂ℓ/∂w₁": ("w₁", 0)}


def _draw_stage_numbers(f: Frame, stage, box: pygame.Rect, nodes: list[pygame.Rect], edge_x: list[int],
                        mid_y: int, size: int, line: int) -> None:
    """Forward values under the nodes; the derivatives the backward pass has reached so far, in the slope's colour."""
    look = f.look
    slope = theme.ARROW_COLOURS["grad"]
    first = nodes[0].bottom + line // 4
    edge_texts = {}
    for name, value in stage_numbers(stage).items():
        column, row = SPOTS[name]
        text = f"{name} = {_number(f, [value])}"
        if isinstance(column, str):  # on an edge, above its weight: placed together below
            edge_texts[column] = text
            continue
        colour = slope if name.startswith("∂") else (look.colours.text_dim if name == "y" else look.colours.text)
        hud.draw_text(f.target, look, text, (nodes[column].centerx, first + row * line), size, colour,
                      bold=colour == slope, anchor="midtop")
    spots = _edge_spots(f, box, edge_texts, edge_x, size)
    for column, text in edge_texts.items():
        hud.draw_text(f.target, look, text, (spots[column], mid_y - 4 - 2 * line), size, slope, bold=True,
                      anchor="midtop")


def _edge_spots(f: Frame, box: pygame.Rect, texts: dict[str, str], edge_x: list[int], size: int) -> dict[str, int]:
    """Return the centre x of each edge's slope text: over its edge, pushed apart where the two
    would touch, and kept inside the box."""
    widths = {column: hud.text_width(f.look, text, size, True) for column, text in texts.items()}
    centre = {"w₁": float(edge_x[0]), "w₂": float(edge_x[1])}
    if len(widths) == 2:
        overlap = (centre["w₁"] + widths["w₁"] / 2 + size) - (centre["w₂"] - widths["w₂"] / 2)
        if overlap > 0:
            centre["w₁"] -= overlap / 2
            centre["w₂"] += overlap / 2
    low, high = box.x + size // 2, box.right - size // 2
    return {c: int(min(max(centre[c], low + w / 2), high - w / 2)) for c, w in widths.items()}
