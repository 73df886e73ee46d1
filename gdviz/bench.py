"""Benchmarks: how fast gdviz builds its maps, draws its frames and steps its balls.

Run it from the project folder (the subprocess test starts ``main.py``):

    python -m gdviz.bench            # the full run, a few minutes
    python -m gdviz.bench --quick    # fewer repetitions, under 45 seconds
    python -m gdviz.bench --json     # one JSON object instead of the table

Everything runs off-screen on SDL's dummy video driver (set before pygame is imported),
so the numbers are CPU time for drawing into memory: no GPU, no vsync, no window system.
Each measurement starts with a warm-up that is not counted, then reports the median and
the 95th percentile (p95) of the timed repetitions, taken with time.perf_counter.
Targets are printed next to the results; nothing here asserts them.

What each number means
----------------------
level build (``level_build_ms_720p`` …)
    Drawing one level's map from nothing, the way the game does when a level opens or the
    window changes size: ``build_terrain(surface, viewport_for(surface, level.view, map))``
    with no cache. ``map`` is the play layout's map rectangle (the window minus the side
    panel and footer), not the whole window: at 1280×720 that is about 880×670 pixels.
    ``level_build_ms_<size>_max`` is the slowest level's median.
race frame (``frame_ms_720p_*``, ``frame_ms_1080p_*``)
    One ``App.frame(1/60)`` of the real game on the Rosenbrock level with 6 balls
    (Adagrad, GD, Momentum, RMSProp, Adam, Adadelta, all still rolling), each with a full
    500-point trail, every glyph on (gradient, momentum, squares, step arrows, trails),
    the side panel with the leaderboard and the live loss plot. The race plays at exactly
    one optimizer step per frame, so a frame is: input, one race step (all six balls, with
    its rewind snapshot), the previews behind the arrows, drawing everything and
    ``pygame.display.flip()``.
swarm frame (``swarm10k_frame_ms_720p_*``)
    ``App.frame(1/60)`` in swarm mode with 10,000 balls (the player's GD ball on the
    Rosenbrock level), at one swarm step per frame: the 10,000-row optimizer step, status
    bookkeeping and drawing the dots. Timed while the swarm is still moving; if it settles
    it is restarted between frames.
Adam step (``adam10k_step_ms``)
    ``opt.step(p, surface.grad(p), state)`` for 10,000 points under Adam on Rosenbrock:
    the exact gradient plus the update, nothing else.
first frame (``first_frame_s``)
    Wall time of ``python main.py --headless --frames 1 --level rosenbrock`` in a fresh
    process: interpreter start, imports, reading the levels, opening the (dummy) window,
    building the map and drawing one frame. Median of several runs after one warm-up run,
    with Python's bytecode cache on (as after an install; it goes to a temporary folder).
matplotlib (``matplotlib_frame_ms_720p_median``, ``speedup_vs_matplotlib``)
    The same race frame drawn the usual scientific-Python way, for comparison: a
    12.8×7.2 in figure at 100 dpi (1280×720) on the Agg backend, fully redrawn each frame
    — ``contourf`` + ``contour`` of the surface on the same grid as the screen map with the
    same contour levels, the six trails as lines, quiver arrows for gradient, momentum and
    step, a text panel with the leaderboard and the selected ball's numbers — then
    ``fig.canvas.draw()`` and the RGBA buffer. Each frame also takes the same race step
    and previews ours does. It leaves out the loss plot and the squares, so the speed-up
    is, if anything, understated. ``speedup_vs_matplotlib`` is matplotlib's median frame
    time over ours. matplotlib is optional (``pip install .[bench]``); without it these
    values are null. The matplotlib drawing lives in gdviz/bench_matplotlib.py; the timing
    of it, like every other timing, is here.
"""

from __future__ import annotations

import os

# Off-screen unless told otherwise: App(--headless) insists on it anyway, and the
# real-window scenarios (gdviz.bench_window) import this module inside an X11 session.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

SIZES = {"720p": (1280, 720), "1080p": (1920, 1080)}
RACE_LEVEL = "rosenbrock"
FIRST_FRAME_LEVEL = "rosenbrock"
TRAIL_STEPS = 520  # Race keeps 500-point trails; a few more steps make sure they are full
RACE_BALLS = 6
SWARM_SIZE = 10_000
MPL_MISSING = "matplotlib not installed (pip install .[bench])"

# The six balls of the race benchmark: the level's two, changed so none of them reaches the
# goal (a finished ball draws no arrows), plus four added.
# (index to change or None to add one, optimizer, learning rate); all still roll at step 3000
# except RMSProp, which arrives between 2000 and 3000 — far beyond what the full run plays.
RACE_SETUP = (
    (0, "adagrad", 0.1),
    (None, "momentum", 1e-4),
    (None, "rmsprop", 2e-3),
    (None, "adam", 3e-3),
    (None, "adadelta", 1.0),
)

TARGETS = {  # what: (limit, unit shown)
    "frame_720p": 2.5, "frame_1080p": 4.0, "frame_p95": 8.0, "swarm": 5.0, "adam": 1.0,
    "build_720p": 25.0, "build_1080p": 60.0, "first_frame_ms": 400.0, "speedup": 20.0,
    "window_idle_cpu": 10.0, "window_fps": 59.0, "window_frame_p95": 16.7,
}
WINDOW_SCENARIOS = {  # real-window scenario: what the row says, and whether the game should rest
    "paused": ("real window: level paused", True),
    "title": ("real window: title screen", True),
    "race": ("real window: race playing", False),
    "attract": ("real window: attract loop", False),
}


# --- settings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """How many repetitions each measurement takes (warm-ups are not counted)."""

    build_repeats: int = 20
    build_warmup: int = 2
    race_frames: int = 1000
    race_warmup: int = 60
    fill_steps: int = TRAIL_STEPS
    swarm_frames: int = 300
    swarm_warmup: int = 30
    swarm_balls: int = SWARM_SIZE
    adam_repeats: int = 2000
    adam_warmup: int = 50
    adam_points: int = SWARM_SIZE
    first_frame_runs: int = 5
    mpl_frames: int = 10
    mpl_warmup: int = 2
    sizes: tuple[str, ...] = ("720p", "1080p")
    levels: tuple[str, ...] | None = None  # None: every shipped level
    window_seconds: float = 6.0  # wall time of each real-window scenario, after its warm-up
    window_warmup: float = 1.5
    window_sizes: tuple[str, ...] = ("720p", "1080p")

    @staticmethod
    def quick() -> "Settings":
        return Settings(build_repeats=5, build_warmup=1, race_frames=150, race_warmup=20,
                        swarm_frames=80, swarm_warmup=10, adam_repeats=300, adam_warmup=10,
                        first_frame_runs=3, mpl_frames=3, mpl_warmup=1,
                        window_seconds=3.0, window_warmup=1.0, window_sizes=("1080p",))


# --- results -----------------------------------------------------------------------------


@dataclass
class Result:
    """One row of the table: a measurement, its median and p95 in ms, and its target."""

    what: str
    size: str
    median_ms: float | None
    p95_ms: float | None = None
    target: str = ""
    ok: bool | None = None
    note: str = ""
    samples: list[float] = field(default_factory=list, repr=False)

    def cells(self) -> tuple[str, ...]:
        ok = "" if self.ok is None else ("yes" if self.ok else "NO")
        return (self.what, self.size, _ms(self.median_ms, self.note), _ms(self.p95_ms), self.target, ok)


def _ms(value: float | None, fallback: str = "") -> str:
    if value is None:
        return fallback or "-"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def summary(samples_ms: Sequence[float]) -> tuple[float, float]:
    """Return the median and the 95th percentile of some times."""
    values = np.asarray(samples_ms, dtype=float)
    return float(np.median(values)), float(np.percentile(values, 95))


def time_calls(fn: Callable[[], Any], repeats: int, warmup: int = 0) -> list[float]:
    """Call `fn` warmup + repeats times; return the timed calls' durations in ms."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000.0)
    return out


def _row(what: str, size: str, samples: list[float], limit: float | None, p95_limit: float | None = None,
         note: str = "") -> Result:
    median, p95 = summary(samples)
    ok = None if limit is None else median <= limit and (p95_limit is None or p95 <= p95_limit)
    target = "" if limit is None else f"≤ {limit:g}" + (f" (p95 ≤ {p95_limit:g})" if p95_limit else "")
    return Result(what, size, median, p95, target, ok, note, list(samples))


# --- the game, driven headless -----------------------------------------------------------


def _levels():
    from gdviz.core.levels import builtin_levels_dir, load_levels

    levels, errors = load_levels(builtin_levels_dir())
    if errors:
        raise RuntimeError(f"shipped levels do not load: {errors[0]}")
    return levels


def make_app(size: tuple[int, int], level: str, headless: bool = True):
    """Return an App playing `level` (paused, as a level starts), and its PlayScene."""
    from gdviz.cli import parse_args
    from gdviz.ui.app import App
    from gdviz.ui.scenes.play import PlayScene

    flags = ["--size", f"{size[0]}x{size[1]}", "--level", level] + (["--headless"] if headless else [])
    app = App(parse_args(flags))
    app.strict = True  # a scene error must stop the benchmark, not quietly restart at the title
    scene = next(s for s in reversed(app.scenes) if isinstance(s, PlayScene))
    return app, scene


def map_rect(size: tuple[int, int]):
    """Return the play layout's map rectangle for a window of `size`."""
    from gdviz.ui.layout import Layout, Sizes
    from gdviz.ui.theme import Look

    return Layout.for_size(*size, Sizes.for_height(size[1]), Look()).map


def setup_race(size: tuple[int, int], fill_steps: int = TRAIL_STEPS, level: str = RACE_LEVEL,
               headless: bool = True):
    """Return (app, scene): 6 balls with full trails, every glyph on, playing 1 step per frame."""
    from gdviz.core.commands import Action, Command
    from gdviz.core.session import STEPS_PER_SECOND

    app, scene = make_app(size, level, headless)
    session = scene.session
    for index, name, lr in RACE_SETUP:
        if index is None:
            app.dispatch(Action(Command.ADD_BALL))  # a copy of the selected ball, then selected
        else:
            while session.selected != index:
                app.dispatch(Action(Command.NEXT_BALL))
        app.dispatch(Action(Command.OPTIMIZER, name))
        session.race.set_hyper(session.selected, lr=lr)  # what + and − do, in one go
    if len(session.race.balls) != RACE_BALLS:
        raise RuntimeError(f"expected {RACE_BALLS} balls, got {len(session.race.balls)}")
    if not session.toggles.squares:
        app.dispatch(Action(Command.TOGGLE_SQUARES))
    for _ in range(fill_steps):  # paused: each STEP is one race step, nothing drawn
        app.dispatch(Action(Command.STEP))
    app.dispatch(Action(Command.PLAY_PAUSE))  # the pause overlay goes, the race plays
    session.speed = 60.0 / STEPS_PER_SECOND  # one step per 1/60 s frame
    return app, scene


def _frames(app, count: int, between: Callable[[], None] | None = None) -> list[float]:
    out = []
    for _ in range(count):
        if between is not None:
            between()
        start = time.perf_counter()
        app.frame(1 / 60)
        out.append((time.perf_counter() - start) * 1000.0)
    return out


def race_frames(size: tuple[int, int], frames: int, warmup: int, fill_steps: int = TRAIL_STEPS
                ) -> tuple[list[float], dict[str, Any]]:
    """Time App.frame during a 6-ball race; return the times (ms) and what was checked."""
    app, scene = setup_race(size, fill_steps)
    _frames(app, warmup)
    race = scene.session.race
    before = race.step_count
    samples = _frames(app, frames)
    info = {
        "steps_per_frame": (race.step_count - before) / max(frames, 1),
        "balls_rolling": sum(int(b.status[0]) <= 1 for b in race.balls),
        "trail_points": min(len(b.trail(race.trail_length)) for b in race.balls),
        "still_playing": bool(scene.session.playing and app.top is scene),
    }
    if not info["still_playing"]:
        raise RuntimeError(f"the race stopped while being timed (top scene: {type(app.top).__name__})")
    return samples, info


def swarm_frames(size: tuple[int, int], balls: int, frames: int, warmup: int,
                 level: str = RACE_LEVEL) -> tuple[list[float], dict[str, Any]]:
    """Time App.frame in swarm mode, one swarm step per frame; restart the swarm if it settles."""
    from gdviz.core.commands import Action, Command

    app, scene = make_app(size, level)
    session = scene.session
    app.dispatch(Action(Command.SWARM, scene.geometry.swarm_area(balls)))
    app.dispatch(Action(Command.FASTER))  # speed 1.5: the swarm's 4× makes that 1 step per frame
    restarts = 0

    def keep_moving() -> None:
        nonlocal restarts
        if session.swarm.basins is not None:
            app.dispatch(Action(Command.RESET))  # a fresh swarm over the same starts
            restarts += 1

    _frames(app, warmup, keep_moving)
    steps = 0
    samples = []
    for _ in range(frames):
        keep_moving()
        before = session.swarm.race.step_count
        samples += _frames(app, 1)
        steps += session.swarm.race.step_count - before
    info = {"balls": int(session.swarm.race.balls[0].points), "steps_per_frame": steps / max(frames, 1),
            "restarts": restarts, "optimizer": session.swarm.race.balls[0].optimizer.name}
    if app.top is not scene or session.swarm is None:
        raise RuntimeError(f"the swarm stopped while being timed (top scene: {type(app.top).__name__})")
    return samples, info


def adam_steps(points: int, repeats: int, warmup: int) -> list[float]:
    """Time one Adam step (exact gradient + update) of `points` balls on Rosenbrock."""
    from gdviz.core.optimizers import make
    from gdviz.core.surfaces import get

    surface = get("rosenbrock")
    rng = np.random.default_rng(0)
    lows, highs = np.array(surface.bounds).T
    p = rng.uniform(lows, highs, size=(points, 2))
    opt = make("adam", lr=0.01)
    state = opt.init(p)
    held = [p, state]

    def one() -> None:
        held[0], held[1], _ = opt.step(held[0], surface.grad(held[0]), held[1])

    return time_calls(one, repeats, warmup)


def level_builds(size: tuple[int, int], repeats: int, warmup: int,
                 only: Sequence[str] | None = None) -> dict[str, list[float]]:
    """Time building each shipped level's map from nothing at the map size of a `size` window."""
    import pygame

    from gdviz.ui.terrain import build_terrain, viewport_for

    pygame.display.init()
    pygame.font.init()
    pygame.display.set_mode(size)  # so build_terrain converts to the screen's format, as in the game
    rect = tuple(map_rect(size))
    out = {}
    for level in _levels():
        if only is not None and level.id not in only:
            continue

        def build(level=level) -> None:
            build_terrain(level.surface, viewport_for(level.surface, level.view, rect))

        out[level.id] = time_calls(build, repeats, warmup)
    return out


def _project_root() -> Path:
    return Path(__file__).resolve().parents[1]


def first_frame(runs: int, level: str = FIRST_FRAME_LEVEL, warmup: int = 1) -> list[float]:
    """Return wall times (s) of a fresh process that starts the game and draws one frame."""
    main = _project_root() / "main.py"
    start_game = [str(main)] if main.exists() else ["-c", "from gdviz.cli import main; main()"]
    command = [sys.executable, *start_game, "--headless", "--frames", "1", "--level", level]
    out = []
    with tempfile.TemporaryDirectory(prefix="gdviz-bench-pyc-") as cache:
        # Like an installed game, start from compiled bytecode: the warm-up run writes it,
        # into a temporary folder rather than the project (PYTHONDONTWRITEBYTECODE is lifted).
        env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "PYTHONPYCACHEPREFIX": cache}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for i in range(warmup + runs):
            start = time.perf_counter()
            subprocess.run(command, cwd=_project_root(), env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if i >= warmup:
                out.append(time.perf_counter() - start)
    return out


# --- matplotlib, for comparison ----------------------------------------------------------


def matplotlib_available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def matplotlib_frames(size: tuple[int, int], frames: int, warmup: int,
                      fill_steps: int = TRAIL_STEPS) -> list[float] | None:
    """Time the matplotlib version of the race frame; None when matplotlib is missing."""
    if not matplotlib_available():
        return None
    from gdviz.bench_matplotlib import MatplotlibFrame  # here, so matplotlib loads only when timed

    _, scene = setup_race(size, fill_steps)
    picture = MatplotlibFrame(scene, size)
    return time_calls(picture.draw, frames, warmup)


# --- all of it ---------------------------------------------------------------------------


@dataclass
class Measured:
    """What the measurements so far have found: table rows, the JSON numbers and the notes."""

    rows: list[Result] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)  # becomes data["meta"] at the end


def measure(settings: Settings, progress: Callable[[str], None] | None = None
            ) -> tuple[list[Result], dict[str, Any]]:
    """Run every measurement; return the table rows and the JSON object."""
    say = progress or (lambda _: None)
    out = Measured()
    # In this order: the matplotlib speed-up divides by the 720p race frame measured before it.
    for step in (_measure_builds, _measure_races, _measure_swarm, _measure_adam, _measure_first_frame,
                 _measure_matplotlib, _measure_window):
        step(settings, out, say)
    out.meta.update(_environment(settings))
    out.data["meta"] = out.meta
    return out.rows, out.data


def _measure_builds(settings: Settings, out: Measured, say: Callable[[str], None]) -> None:
    for name in settings.sizes:
        size = SIZES[name]
        say(f"level builds at {name}")
        builds = level_builds(size, settings.build_repeats, settings.build_warmup, settings.levels)
        limit = TARGETS[f"build_{name}"]
        medians = {}
        for level_id, samples in builds.items():
            row = _row(f"level build: {level_id}", _map_size(size), samples, limit)
            out.rows.append(row)
            medians[level_id] = round(row.median_ms, 3)
        out.data[f"level_build_ms_{name}_max"] = max(medians.values())
        out.data[f"level_build_ms_{name}"] = medians


def _measure_races(settings: Settings, out: Measured, say: Callable[[str], None]) -> None:
    for name in settings.sizes:
        say(f"race frames at {name}")
        samples, info = race_frames(SIZES[name], settings.race_frames, settings.race_warmup, settings.fill_steps)
        row = _row("race frame: 6 balls, all glyphs", _size_text(SIZES[name]), samples,
                   TARGETS[f"frame_{name}"], TARGETS["frame_p95"])
        out.rows.append(row)
        out.data[f"frame_ms_{name}_median"], out.data[f"frame_ms_{name}_p95"] = row.median_ms, row.p95_ms
        out.meta[f"race_{name}"] = info


def _measure_swarm(settings: Settings, out: Measured, say: Callable[[str], None]) -> None:
    say("swarm frames at 720p")
    samples, info = swarm_frames(SIZES["720p"], settings.swarm_balls, settings.swarm_frames, settings.swarm_warmup)
    row = _row(f"swarm frame: {info['balls']} balls", _size_text(SIZES["720p"]), samples, TARGETS["swarm"])
    out.rows.append(row)
    out.data["swarm10k_frame_ms_720p_median"], out.data["swarm10k_frame_ms_720p_p95"] = row.median_ms, row.p95_ms
    out.meta["swarm_720p"] = info


def _measure_adam(settings: Settings, out: Measured, say: Callable[[str], None]) -> None:
    say("Adam steps")
    samples = adam_steps(settings.adam_points, settings.adam_repeats, settings.adam_warmup)
    row = _row(f"Adam step: {settings.adam_points} balls, Rosenbrock", "-", samples, TARGETS["adam"])
    out.rows.append(row)
    out.data["adam10k_step_ms"], out.data["adam10k_step_ms_p95"] = row.median_ms, row.p95_ms


def _measure_first_frame(settings: Settings, out: Measured, say: Callable[[str], None]) -> None:
    say("first frame")
    seconds = first_frame(settings.first_frame_runs)
    row = _row("first frame: new process", _size_text(SIZES["720p"]), [s * 1000 for s in seconds],
               TARGETS["first_frame_ms"])
    out.rows.append(row)
    out.data["first_frame_s"], out.data["first_frame_s_max"] = float(np.median(seconds)), float(max(seconds))


def _measure_matplotlib(settings: Settings, out: Measured, say: Callable[[str], None]) -> None:
    say("matplotlib")
    samples = matplotlib_frames(SIZES["720p"], settings.mpl_frames, settings.mpl_warmup, settings.fill_steps)
    if samples is None:
        out.rows.append(Result("matplotlib race frame", _size_text(SIZES["720p"]), None, note=MPL_MISSING))
        out.rows.append(Result("speed-up vs matplotlib", "-", None, note=MPL_MISSING))
        out.data["matplotlib_frame_ms_720p_median"] = out.data["speedup_vs_matplotlib"] = None
        return
    out.rows.append(_row("matplotlib race frame", _size_text(SIZES["720p"]), samples, None))
    mpl = out.rows[-1].median_ms
    out.data["matplotlib_frame_ms_720p_median"] = mpl
    ours = out.data.get("frame_ms_720p_median")
    speedup = mpl / ours if ours else None
    out.data["speedup_vs_matplotlib"] = speedup
    out.rows.append(Result("speed-up vs matplotlib", "-", None, None, f"≥ {TARGETS['speedup']:g}×",
                           None if speedup is None else speedup >= TARGETS["speedup"],
                           "-" if speedup is None else f"{speedup:.1f}×"))


def _measure_window(settings: Settings, out: Measured, say: Callable[[str], None]) -> None:
    """The real loop in a real X11 window on Xvfb (gdviz.bench_window), beside the headless rows."""
    from gdviz.bench_window import NO_XVFB, measure_scenario, xvfb_available

    if not xvfb_available():
        out.rows.append(Result("real window", "-", None, note=NO_XVFB))
        out.data["window"] = None
        return
    out.data["window"] = {}
    for name in settings.window_sizes:
        for scenario, (what, rests) in WINDOW_SCENARIOS.items():
            say(f"real window: {scenario} at {name}")
            figures = measure_scenario(scenario, SIZES[name], settings.window_seconds, settings.window_warmup,
                                       _project_root())
            out.data["window"][f"{scenario}_{name}"] = figures
            out.rows.extend(_window_rows(what, _size_text(SIZES[name]), figures, rests))


def _window_rows(what: str, size: str, figures: dict[str, Any], rests: bool) -> list[Result]:
    """A scenario's rows: CPU use where nothing moves, frame rate and frame time where it plays."""
    shown = f"{figures['fps']:.1f} fps, CPU {figures['cpu_percent']:.1f}% of a core"
    frame = Result(f"{what}: frame time ({shown})", size, figures["frame_ms_median"], figures["frame_ms_p95"])
    if rests:
        cpu_ok = figures["cpu_percent"] <= TARGETS["window_idle_cpu"]
        return [frame, Result(f"{what}: CPU, % of one core", size, None, None,
                              f"≤ {TARGETS['window_idle_cpu']:g}%", cpu_ok, f"{figures['cpu_percent']:.1f}%")]
    frame.target = f"{TARGETS['window_fps']:g}+ fps, p95 ≤ {TARGETS['window_frame_p95']:g}"
    frame.ok = figures["fps"] >= TARGETS["window_fps"] and figures["frame_ms_p95"] <= TARGETS["window_frame_p95"]
    return [frame]


def _size_text(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def _map_size(size: tuple[int, int]) -> str:
    rect = map_rect(size)
    return f"{_size_text(size)} (map {rect.width}x{rect.height})"


def _environment(settings: Settings) -> dict[str, Any]:
    import pygame

    return {"python": platform.python_version(), "numpy": np.__version__, "pygame": pygame.version.ver,
            "sdl": ".".join(map(str, pygame.get_sdl_version())), "cpus": os.cpu_count(),
            "machine": platform.machine(), "load_average": [round(x, 2) for x in os.getloadavg()],
            "settings": settings.__dict__}


def table(rows: Sequence[Result]) -> str:
    """Return the rows as an aligned text table."""
    header = ("what", "size", "median ms", "p95 ms", "target ms", "ok?")
    cells = [header] + [row.cells() for row in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(header))]
    right = (False, False, True, True, False, False)

    def line(c: tuple[str, ...]) -> str:
        return "  ".join(t.rjust(w) if r else t.ljust(w) for t, w, r in zip(c, widths, right)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule] + [line(c) for c in cells[1:]])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gdviz.bench",
        description="Measure gdviz: map builds, race and swarm frames, Adam steps, start-up time, "
                    "and the same frame in matplotlib. Targets are shown, not enforced.")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (under 45 s)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = parser.parse_args(argv)
    settings = Settings.quick() if args.quick else Settings()
    started = time.perf_counter()
    rows, data = measure(settings, None if args.json else lambda what: print(f"… {what}", file=sys.stderr))
    data["meta"]["bench_seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        print(table(rows))
        print(f"\n{'quick' if args.quick else 'full'} run, {data['meta']['bench_seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
