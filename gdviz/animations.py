"""Animated GIFs and still pictures of a run, drawn by the game's own renderer, with no window.

`animate(run, "race.gif")` replays a Trajectory (what `gdviz.simulate` returns), several of
them, or a Race from its start, and draws every frame exactly as the game would — the
terrain, the balls with their trails and arrows, the side panel with the leaderboard (the
legend) and the loss plot — onto an off-screen picture. A name ending in .png saves the
last frame as a still. In a notebook the returned `Picture` shows itself inline.

    >>> import gdviz
    >>> run = gdviz.simulate("rosenbrock", "adam", start=(-1.5, 2.5), steps=200, lr=0.05)
    >>> gdviz.animate(run, "adam.gif", size=(960, 540), fps=20)

Nothing here opens a window or touches the display: only pygame's fonts are started, so a
game running in the same process carries on undisturbed.
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from gdviz.core.sim import Race, Trajectory

MAX_SECONDS = 6.0  # a GIF longer than this shows several steps per frame
MAX_BALLS = 12  # as many balls as a level may have
DEFAULT_STEPS = 100  # steps shown for a Race that has not run yet


@dataclass(frozen=True)
class Picture:
    """A saved GIF or PNG; a notebook shows it inline (`_repr_html_`, `_repr_png_`)."""

    path: Path
    frames: int
    steps: int

    @property
    def data(self) -> bytes:
        return self.path.read_bytes()

    def _repr_png_(self) -> bytes | None:
        return self.data if self.path.suffix.lower() == ".png" else None

    def _repr_html_(self) -> str:
        kind = "png" if self.path.suffix.lower() == ".png" else "gif"
        encoded = base64.b64encode(self.data).decode("ascii")
        return f'<img src="data:image/{kind};base64,{encoded}" alt="{self.path.name}"/>'


def animate(run: Trajectory | Race | Sequence[Trajectory], path: str | Path = "gdviz.gif", *,
            size: tuple[int, int] = (960, 540), fps: int = 20, steps: int | None = None,
            lang: str = "en", panel: bool = True) -> Picture:
    """Replay `run` from its start and save it as an animated GIF (or, for a .png name, its last frame).

    `steps` is how far to replay (default: as far as the run went); a clip longer than
    MAX_SECONDS at `fps` shows several steps per frame. `lang` is "en" or "zh"; `panel`
    False leaves out the side panel, so the map fills the picture.

    >>> picture = gdviz.animate(gdviz.simulate("bowl", "momentum", steps=60, lr=0.1), "bowl.gif", size=(640, 360))
    """
    path = Path(path)
    if path.suffix.lower() not in (".gif", ".png"):
        raise ValueError(f"{path}: give a file name ending in .gif (an animation) or .png (a still)")
    if fps < 1 or min(size) < 100:
        raise ValueError("animate needs fps of at least 1 and a size of at least 100x100 pixels")
    race, steps = _race_for(run, steps)
    counts = _frame_steps(steps, fps, still=path.suffix.lower() == ".png")
    from gdviz.ui.offscreen import Renderer

    renderer = Renderer(race, (int(size[0]), int(size[1])), lang, panel)
    if len(counts) == 1:
        renderer.still(counts[0], path)
    else:
        renderer.clip(counts, fps, path)
    return Picture(path, len(counts), steps)


def _frame_steps(steps: int, fps: int, still: bool) -> list[int]:
    """Return the race step each frame shows: every step, or evenly spread ones for a long run."""
    if still:
        return [steps]
    frames = int(min(steps + 1, max(2, MAX_SECONDS * fps)))
    return sorted(set(np.linspace(0, steps, frames).round().astype(int).tolist()))


def _race_for(run: Trajectory | Race | Sequence[Trajectory], steps: int | None) -> tuple[Race, int]:
    """Return a fresh Race that replays `run` from its start, and how many steps to show."""
    if isinstance(run, Race):
        race = copy.deepcopy(run)
        shown = steps if steps is not None else (run.step_count or DEFAULT_STEPS)
    else:
        runs = [run] if isinstance(run, Trajectory) else list(run)
        if not runs or len({(r.surface.name, r.surface.dims) if r.surface else None for r in runs}) > 1:
            raise ValueError("animate needs a Trajectory, a list of them on one surface, or a Race")
        race = runs[0].race()
        race.specs = [spec for r in runs for spec in _one_ball_per_start(r)]
        shown = steps if steps is not None else max(len(r.positions) - 1 for r in runs)
    if len(race.specs) > MAX_BALLS:
        raise ValueError(f"animate draws at most {MAX_BALLS} balls; this run has {len(race.specs)}")
    race.specs = _named(race.specs)
    race.history_bytes = 0  # a replay never rewinds
    race.reset()
    return race, int(shown)


def _one_ball_per_start(run: Trajectory) -> list:
    """A Trajectory of N starts becomes N balls, each drawn like a ball in the game."""
    if run.ball is None:
        raise ValueError("this Trajectory does not say how it was made; make it with gdviz.simulate")
    starts = np.asarray(run.positions[0], dtype=float).reshape(-1, run.surface.dims)
    return [replace(run.ball, start=start) for start in starts]


def _named(specs: list) -> list:
    """Give every ball a label of its own (its optimizer, numbered when two share one)."""
    names = [spec.label or spec.optimizer for spec in specs]
    return [replace(spec, label=name if names.count(name) == 1 else f"{name} {names[:i + 1].count(name)}")
            for i, (spec, name) in enumerate(zip(specs, names))]
