"""Static plots of a run for a notebook or a paper, drawn with matplotlib in the game's look.

`plot(run)` takes what `gdviz.simulate` returns (a Trajectory), several of them, or a Race,
and draws two panels: the contour map of the surface in the game's colours (the same
colour map, the same log scale on steep surfaces, the same marks for minima and saddles)
with each ball's path in its game colour, and each ball's loss by step on a log scale, as
the game's side panel plots it.

    >>> import gdviz
    >>> run = gdviz.simulate("rosenbrock", "adam", start=(-1.5, 2.5), steps=300, lr=0.05)
    >>> fig, (map_ax, loss_ax) = gdviz.plot(run)

matplotlib is optional: install it with `pip install "gdviz[plot]"`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from gdviz.core.sim import Race, Trajectory
from gdviz.core.surfaces import Surface
from gdviz.ui.colormap import lut

NEEDS_MATPLOTLIB = 'gdviz.plot needs matplotlib, which is not installed: pip install "gdviz[plot]"'
GRID = 300  # samples along the longer side of the map
FIGSIZE = (11.0, 4.6)  # inches: the map and the loss panel side by side
MARK_EDGE = "#0a0a0e"  # theme.OUTLINE


@dataclass(frozen=True)
class BallPath:
    """One ball's path, ready to draw: positions (steps+1, n, d), losses (steps+1, n), its name."""

    positions: np.ndarray
    losses: np.ndarray
    name: str


def _rgb(colour: Sequence[int]) -> tuple[float, float, float]:
    return tuple(c / 255 for c in colour)


def _matplotlib() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ModuleNotFoundError:
        raise ModuleNotFoundError(NEEDS_MATPLOTLIB) from None
    return plt


def _paths(run: Trajectory | Race | Sequence[Trajectory]) -> tuple[Surface, np.ndarray, list[BallPath]]:
    """Return the surface, the view box (d, 2) and the paths of whatever `run` is."""
    if isinstance(run, Race):
        paths = []
        for ball in run.balls:
            positions = ball.path.recent(ball.path.end)
            with np.errstate(all="ignore"):
                paths.append(BallPath(positions, run.surface.value(positions), ball.label))
        return run.surface, run.view, paths
    runs = [run] if isinstance(run, Trajectory) else list(run)
    if not runs or None in (r.surface for r in runs) or len({(r.surface.name, r.surface.dims) for r in runs}) > 1:
        raise ValueError("gdviz.plot draws Trajectories made by gdviz.simulate on one surface, or a Race")
    surface = runs[0].surface
    paths = [BallPath(_rows(r.positions, surface.dims), _rows(r.losses, 0), r.ball.label or r.ball.optimizer) for r in runs]
    return surface, np.array(surface.bounds, dtype=float), paths


def _rows(values: np.ndarray, dims: int) -> np.ndarray:
    """Give a one-start array its start axis: (steps+1, d) -> (steps+1, 1, d); losses likewise."""
    values = np.asarray(values, dtype=float)
    return values[:, None] if values.ndim == (2 if dims else 1) else values


def plot(run: Trajectory | Race | Sequence[Trajectory], ax: Any = None) -> tuple[Any, tuple[Any, Any]]:
    """Draw `run` on its contour map beside its loss by step; return (figure, (map axes, loss axes)).

    `ax` is where to draw: None makes a new figure; one Axes gets the map alone (the loss
    axes is then None); a pair of Axes gets the map and the loss plot.

    >>> fig, (map_ax, loss_ax) = gdviz.plot(gdviz.simulate("bowl", "momentum", steps=40, lr=0.1))
    """
    plt = _matplotlib()
    from gdviz.ui import theme

    surface, view, paths = _paths(run)
    map_ax, loss_ax = _axes(plt, ax)
    _draw_map(map_ax, surface, view)
    floor = _floor(surface, paths)
    for index, path in enumerate(paths):
        colour, label = _rgb(theme.ball_colour(index)), f"{index + 1} {path.name}"  # as the game numbers balls
        _draw_path(map_ax, surface, path, colour, label)
        if loss_ax is not None:
            _draw_losses(loss_ax, floor, path, colour, label)
    map_ax.legend(loc="upper right", fontsize="small", framealpha=0.85)
    if loss_ax is not None:
        _finish_loss_axes(loss_ax)
    return map_ax.figure, (map_ax, loss_ax)


def _axes(plt: Any, ax: Any) -> tuple[Any, Any]:
    if ax is None:
        fig, (map_ax, loss_ax) = plt.subplots(1, 2, figsize=FIGSIZE, width_ratios=(1.3, 1), layout="constrained")
        return map_ax, loss_ax
    if isinstance(ax, (tuple, list, np.ndarray)):
        map_ax, loss_ax = list(np.ravel(ax))
        return map_ax, loss_ax
    return ax, None


def _draw_map(ax: Any, surface: Surface, view: np.ndarray) -> None:
    """The surface as the game colours it (2-D: a contour map; 1-D: the curve), with its marks."""
    from matplotlib.colors import ListedColormap

    if surface.dims == 1:
        xs = np.linspace(*view[0], 600)
        with np.errstate(all="ignore"):
            ax.plot(xs, surface.value(xs[:, None]), color="0.25", lw=2, zorder=1)
        ax.set_xlim(*view[0])
        ax.set_xlabel("x")
        ax.set_ylabel("loss")
    else:
        _draw_contours(ax, surface, view, ListedColormap(lut() / 255.0, name="gdviz"))
    _draw_marks(ax, surface)


def _draw_contours(ax: Any, surface: Surface, view: np.ndarray, cmap: Any) -> None:
    from gdviz.ui.terrain import ISO_BLEND, ISO_LEVELS, choose_scale

    (x0, x1), (y0, y1) = view
    longer = max(x1 - x0, y1 - y0)
    xs = np.linspace(x0, x1, max(int(GRID * (x1 - x0) / longer), 20))
    ys = np.linspace(y0, y1, max(int(GRID * (y1 - y0) / longer), 20))
    with np.errstate(all="ignore"):
        values = np.broadcast_to(np.asarray(surface.value_fn(xs[None, :], ys[:, None]), dtype=float),
                                 (ys.size, xs.size))
    unit = choose_scale(values).to_unit(values)  # the game's own linear-or-log choice
    ax.imshow(unit, extent=(x0, x1, y0, y1), origin="lower", cmap=cmap, vmin=0, vmax=1,
              interpolation="bilinear", aspect="equal", zorder=0)
    ax.contour(xs, ys, unit, levels=np.arange(1, ISO_LEVELS) / ISO_LEVELS, colors="white",
               linewidths=0.7, alpha=ISO_BLEND, zorder=1)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("x")
    ax.set_ylabel("y")


def _draw_marks(ax: Any, surface: Surface) -> None:
    """Minima and saddles as the game marks them: white star (lowest), grey ring, pink ×."""
    from gdviz.ui import theme

    def where(point: Any) -> tuple[float, float]:
        return (point.location[0], point.value) if surface.dims == 1 else tuple(point.location[:2])

    marks = [(surface.saddles, dict(marker="X", s=110, color=_rgb(theme.SADDLE))),
             ([m for m in surface.minima if not m.is_global], dict(marker="o", s=70, facecolor="none",
                                                                     color=_rgb(theme.MIN_LOCAL), linewidths=2)),
             ([m for m in surface.minima if m.is_global], dict(marker="*", s=260, color=_rgb(theme.MIN_GLOBAL)))]
    for points, style in marks:
        if points:
            xy = np.array([where(p) for p in points])
            edge = {"edgecolors": MARK_EDGE} if style.get("facecolor") != "none" else {}
            ax.scatter(xy[:, 0], xy[:, 1], zorder=4, **edge, **style)


def _draw_path(ax: Any, surface: Surface, path: BallPath, colour: tuple, label: str) -> None:
    """Each start's path as a line with a dot per step, a hollow start and a ball at the end."""
    if surface.dims == 1:
        xy = np.stack([path.positions[..., 0], path.losses], axis=-1)
    else:
        xy = path.positions[..., :2]
    for start in range(xy.shape[1]):
        ax.plot(xy[:, start, 0], xy[:, start, 1], "-", color=colour, lw=1.8, marker="o", ms=2.2, zorder=3,
                label=label if start == 0 else None)
    ax.scatter(xy[0, :, 0], xy[0, :, 1], s=45, facecolor="none", edgecolors=[colour], linewidths=1.5, zorder=5)
    ax.scatter(xy[-1, :, 0], xy[-1, :, 1], s=90, color=[colour], edgecolors=MARK_EDGE, linewidths=1.2, zorder=6)


def _floor(surface: Surface, paths: list[BallPath]) -> float:
    """The loss the plot counts from: the surface's lowest value, else just under the lowest seen."""
    if surface.global_minimum is not None:
        return float(surface.global_minimum.value)
    seen = [p.losses[np.isfinite(p.losses)] for p in paths]
    return min((float(v.min()) for v in seen if v.size), default=0.0) - 1e-3


def _draw_losses(ax: Any, floor: float, path: BallPath, colour: tuple, label: str) -> None:
    above = np.maximum(path.losses - floor, 1e-12)
    steps = np.arange(len(above))
    for start in range(above.shape[1]):
        ax.plot(steps, above[:, start], color=colour, lw=1.8, label=label if start == 0 else None)


def _finish_loss_axes(ax: Any) -> None:
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("loss − lowest (log scale)")
    ax.set_title("loss by step", fontsize="medium")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize="small")
