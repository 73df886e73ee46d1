"""The benchmark's race frame drawn with matplotlib, for comparison with the game's own drawing.

``python -m gdviz.bench`` times this next to the real game frame (see the ``matplotlib`` entry
of gdviz/bench.py's docstring for what is drawn and why the speed-up is, if anything,
understated). It is drawn the usual scientific-Python way: a figure on the Agg backend,
redrawn from nothing every frame, with filled contours of the surface, the six trails, quiver
arrows for gradient, momentum and step, and a text panel with the leaderboard and the
selected ball's numbers.

matplotlib is optional (``pip install .[bench]``) and is only imported when a frame is made.
This module never imports gdviz.bench, so running that module as a script stays one copy.
"""

from __future__ import annotations

import math

import numpy as np

ARROW_KINDS = ("grad", "velocity", "update")  # also the order the quivers are drawn in


class MatplotlibFrame:
    """The race frame of `scene` drawn with matplotlib (Agg), redrawn from nothing each time."""

    def __init__(self, scene, size: tuple[int, int]) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        from gdviz.ui.scenes.play_arrows import arrow_gain

        self.scene = scene
        geometry, level = scene.geometry, scene.session.level
        self.xs, self.ys, self.values, self.levels, self.cmap, self.norm = _map_grid(level.surface, geometry.viewport)
        # Worked out once per level, as the game's view does; not part of the timed frame.
        self.gain = arrow_gain(level)
        self.figure = Figure(figsize=(size[0] / 100, size[1] / 100), dpi=100)
        self.canvas = FigureCanvasAgg(self.figure)
        width, height = size
        rect = geometry.layout.map
        self.map_box = (rect.x / width, 1 - rect.bottom / height, rect.width / width, rect.height / height)
        self.panel_x = geometry.layout.panel.x / width

    def draw(self) -> np.ndarray:
        """Take the race step our frame takes, draw everything, return the RGBA pixels."""
        session = self.scene.session
        session.step_race(1)
        previews = session.previews()
        self.figure.clear()
        ax = self.figure.add_axes(self.map_box)
        self._draw_map(ax)
        arrows = self._draw_balls(ax, session.race, previews)
        _draw_arrows(ax, arrows, cap=0.3 * float(self.xs[-1] - self.xs[0]))
        lines = _leaderboard(session.race, session.level.surface) + _selected_numbers(previews[session.selected])
        self.figure.text(self.panel_x, 0.95, "\n".join(lines), family="monospace", fontsize=7, va="top")
        self.canvas.draw()
        return np.asarray(self.canvas.buffer_rgba())

    def _draw_map(self, ax) -> None:
        """Filled contours with faint lines between the bands, over the screen map's extent."""
        ax.contourf(self.xs, self.ys, self.values, levels=self.levels, cmap=self.cmap, norm=self.norm,
                    extend="both")
        ax.contour(self.xs, self.ys, self.values, levels=self.levels[1:-1], colors="white", linewidths=0.6,
                   alpha=0.45)
        ax.set_xlim(self.xs[0], self.xs[-1])
        ax.set_ylim(min(self.ys[0], self.ys[-1]), max(self.ys[0], self.ys[-1]))

    def _draw_balls(self, ax, race, previews) -> dict[str, list[tuple[np.ndarray, np.ndarray]]]:
        """Draw each ball and its trail; return its arrows (origin, vector) grouped by kind."""
        from gdviz.ui import theme

        arrows: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {kind: [] for kind in ARROW_KINDS}
        for ball, preview in zip(race.balls, previews):
            colour = np.asarray(theme.optimizer_colour(ball.optimizer.name)) / 255.0
            trail = ball.trail(race.trail_length)[:, 0]
            ax.plot(trail[:, 0], trail[:, 1], color=colour, linewidth=2)
            ax.plot(*ball.position[0], "o", color=colour, markeredgecolor="black", markersize=9)
            if preview is None:
                continue
            t = preview.trace
            arrows["grad"].append((preview.position, t.grad[0] * self.gain))
            if t.velocity is not None:
                arrows["velocity"].append((preview.position, t.velocity[0] * self.gain))
            arrows["update"].append((preview.position, t.update[0]))
        return arrows


def _map_grid(surface, viewport):
    """Return the screen map's grid, values and contour bands, and a colour map matching ours."""
    from matplotlib.colors import BoundaryNorm, ListedColormap

    from gdviz.ui.colormap import lut
    from gdviz.ui.terrain import ISO_LEVELS, choose_scale, sample_grid

    xs, ys = viewport.pixel_grid()
    values = np.array(sample_grid(surface, viewport))  # the same grid as the screen map
    scale = choose_scale(values)
    inner = scale.from_unit(np.arange(1, ISO_LEVELS) / ISO_LEVELS)
    levels = np.unique(np.concatenate([[scale.lo], inner, [scale.hi]]))
    cmap = ListedColormap(np.asarray(lut(), dtype=float) / 255.0)
    norm = BoundaryNorm(levels, cmap.N, extend="both")  # equal colour steps per band
    return xs, ys, values, levels, cmap, norm


def _draw_arrows(ax, arrows: dict[str, list[tuple[np.ndarray, np.ndarray]]], cap: float) -> None:
    """One quiver per kind of arrow, each arrow no longer than `cap` world units."""
    from gdviz.ui import theme

    for kind, pairs in arrows.items():
        if not pairs:
            continue
        origins = np.array([p for p, _ in pairs])
        vectors = np.array([_capped(v, cap) for _, v in pairs])
        colour = np.asarray(theme.ARROW_COLOURS[kind], dtype=float) / 255.0
        ax.quiver(origins[:, 0], origins[:, 1], vectors[:, 0], vectors[:, 1], color=colour,
                  angles="xy", scale_units="xy", scale=1.0, width=0.004)


def _leaderboard(race, surface) -> list[str]:
    """The panel's table: one line per ball with its rate, steps, loss, slope and status."""
    from gdviz.core.sim import STATUS_NAMES
    from gdviz.ui import hud

    lines = [f"{'ball':<14}{'lr':>9}{'steps':>7}{'loss':>10}{'|grad|':>10}  status"]
    with np.errstate(all="ignore"):
        for i, ball in enumerate(race.balls):
            loss = float(race.losses(i)[0])
            grad = float(np.linalg.norm(surface.grad(ball.position[0])))
            lines.append(f"{i + 1} {ball.optimizer.name:<12}{hud.fmt(ball.optimizer.lr):>9}{ball.steps:>7}"
                         f"{hud.fmt(loss):>10}{hud.fmt(grad):>10}  {STATUS_NAMES[int(ball.status[0])]}")
    return lines


def _selected_numbers(chosen) -> list[str]:
    """The selected ball's next step in numbers (nothing when it has stopped)."""
    from gdviz.ui import hud

    if chosen is None:
        return []
    t = chosen.trace
    lines = ["", f"gradient  {hud.fmt_vec(t.grad[0])}", f"next step {hud.fmt_vec(t.update[0])}"]
    if t.velocity is not None:
        lines.append(f"momentum  {hud.fmt_vec(t.velocity[0])}")
    if t.squares is not None:
        lines.append(f"squares   {hud.fmt_vec(t.squares[0])}")
    return lines


def _capped(vector: np.ndarray, cap: float) -> np.ndarray:
    length = float(np.hypot(*vector))
    if not math.isfinite(length) or length == 0:
        return np.zeros(2)
    return vector * min(1.0, cap / length)
