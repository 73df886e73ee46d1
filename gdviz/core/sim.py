"""Races: balls rolling on one surface, each under its own optimizer.

A Race steps every ball forward together, can rewind exactly (bit for bit) one step at a
time, and knows each ball's status: still rolling, settled (converged), flown off the map
(diverged: stopped and flagged where it left the view), stuck where the surface has a height
but no slope (no_slope: the tip of sqrt(x) at 0, where the slope is infinite), or home. A ball
that flies off or finds no slope stops where it is, for good. A ball is home when it
has settled inside the goal: it converged there, or it stayed inside for SETTLE_STEPS
steps in a row. Passing through the goal is not enough; the steps it took to get home
count from the step it entered the goal for good (`goal_since`).
A "ball" may carry many points at once: a swarm of 10,000 balls is one Ball whose arrays
have 10,000 rows, so it runs on the same vectorised code as a single ball.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from gdviz.core.optimizers import Optimizer, State, Trace, make
from gdviz.core.schedules import Schedule
from gdviz.core.surfaces import Surface

RUNNING, CONVERGED, DIVERGED, GOAL, NO_SLOPE = 0, 1, 2, 3, 4  # above CONVERGED: stopped for good
SETTLE_STEPS = 10  # steps in a row inside the goal that count as settling there
STATUS_NAMES = ("running", "converged", "diverged", "goal", "no_slope")

DEFAULT_HISTORY_BYTES = 64 * 2**20


@dataclass(frozen=True)
class Goal:
    """A round target region (an interval in 1-D) and how long a ball must stay to be home.

    `settle_steps` steps in a row inside (or converging inside) make a ball home; 1 means
    entering is enough (a checkpoint on a surface with nowhere to settle, like a saddle's slope).
    """

    center: tuple[float, ...]
    radius: float
    settle_steps: int = SETTLE_STEPS

    def contains(self, points: np.ndarray) -> np.ndarray:
        """Return, per point of shape (n, d), whether it lies inside the region."""
        offset = points - np.asarray(self.center)
        return np.einsum("nd,nd->n", offset, offset) <= self.radius**2


@dataclass(frozen=True)
class BallSpec:
    """What a ball is made of before it rolls: optimizer, settings, schedule, start."""

    optimizer: str = "gd"
    hyper: Mapping[str, Any] = field(default_factory=dict)
    schedule: Schedule = Schedule()
    start: Sequence[float] | np.ndarray | None = None
    label: str = ""
    batch_size: int | None = None  # this ball's own mini-batch size (data surfaces); None: the race's


class PathLog:
    """Positions a ball has visited, stored so trails are cheap slices and rewind is exact.

    Rows are kept in one array; `end` counts rows ever written. Old rows are dropped in
    bulk once `keep` newer ones exist, so memory stays bounded on endless runs.
    """

    def __init__(self, first: np.ndarray, keep: int) -> None:
        self.keep = max(int(keep), 2)
        self._rows = np.empty((min(64, 2 * self.keep),) + first.shape)
        self._rows[0] = first
        self.offset, self.end = 0, 1

    def append(self, position: np.ndarray) -> None:
        """Add one visited position."""
        used = self.end - self.offset
        if used == len(self._rows):
            self._make_room(used)
        self._rows[self.end - self.offset] = position
        self.end += 1

    def _make_room(self, used: int) -> None:
        if len(self._rows) < 2 * self.keep:
            bigger = np.empty((min(2 * len(self._rows), 2 * self.keep),) + self._rows.shape[1:])
            bigger[:used] = self._rows
            self._rows = bigger
            return
        drop = used - self.keep
        self._rows[: self.keep] = self._rows[drop:used]
        self.offset += drop

    def recent(self, count: int) -> np.ndarray:
        """Return up to `count` most recent positions, oldest first: shape (k, n, d)."""
        used = self.end - self.offset
        return self._rows[max(0, used - count):used]


@dataclass
class Ball:
    """One optimizer moving one or more points (rows) across the surface."""

    optimizer: Optimizer
    schedule: Schedule
    label: str
    start: np.ndarray
    position: np.ndarray
    state: State
    status: np.ndarray
    finished_step: np.ndarray
    path: PathLog
    trace: Trace | None = None
    born: int = 0  # the race step at which this ball (re)started
    goal_since: np.ndarray | None = None  # per point: the step it entered the goal this time, or -1

    @property
    def steps(self) -> int:
        """Return how many steps this ball's optimizer has taken (a swap starts it again)."""
        return int(self.state["t"])

    @property
    def moves(self) -> int:
        """Return how many steps this ball has rolled since it started, whatever its optimizers."""
        return self.path.end - 1

    @property
    def points(self) -> int:
        return int(self.position.shape[0])

    def trail(self, length: int) -> np.ndarray:
        """Return the last `length` positions, oldest first: shape (k, n, d)."""
        return self.path.recent(length)


@dataclass(frozen=True)
class _Snapshot:
    balls: tuple[tuple[Any, ...], ...]
    rng_state: dict[str, Any]
    step_count: int
    nbytes: int


def _each_row(mask: np.ndarray) -> np.ndarray:
    """Return, per row of an (n, d) boolean array, whether every column is true."""
    # numpy reduces slowly along a short last axis; d is 1 or 2, so combine columns directly.
    out = mask[:, 0].copy()
    for col in range(1, mask.shape[1]):
        out &= mask[:, col]
    return out


def _row_max_abs(values: np.ndarray) -> np.ndarray:
    """Return the largest absolute value in each row of an (n, d) array."""
    out = np.abs(values[:, 0])
    for col in range(1, values.shape[1]):
        out = np.maximum(out, np.abs(values[:, col]))
    return out


def _calmed(trace: Trace, keep: np.ndarray | bool) -> Trace:
    """Return the trace with every number zero where `keep` (points that did not move) is true."""

    def calm(a: np.ndarray | None) -> np.ndarray | None:
        return None if a is None else np.where(keep, 0.0, a)

    return Trace(calm(trace.grad), calm(trace.update), calm(trace.velocity), calm(trace.squares),
                 trace.lr, {k: calm(v) for k, v in trace.extra.items()})


_SNAPSHOT_OVERHEAD = 400  # bytes of Python objects a snapshot holds per ball, roughly


def _state_bytes(ball: Ball) -> int:
    arrays = [v for v in ball.state.values() if isinstance(v, np.ndarray)]
    return ball.position.nbytes * 4 + sum(a.nbytes for a in arrays) + _SNAPSHOT_OVERHEAD


class Race:
    """Balls racing on one surface. See the module docstring.

    >>> from gdviz.core.surfaces import get
    >>> race = Race(get("bowl"), [BallSpec("gd", {"lr": 0.1})])
    >>> race.step(10); race.rewind(3)
    3
    >>> race.step_count
    7
    """

    def __init__(
        self,
        surface: Surface,
        balls: Sequence[BallSpec] = (),
        *,
        view: Sequence[tuple[float, float]] | None = None,
        goal: Goal | None = None,
        noise: float = 0.0,
        batch_size: int | None = None,
        seed: int = 0,
        trail_length: int = 500,
        history_bytes: int = DEFAULT_HISTORY_BYTES,
        stop_at_goal: bool = True,
        divergence_margin: float = 1.0,
        converge_step: float = 1e-7,
        converge_grad: float = 1e-6,
    ) -> None:
        self.surface = surface
        self.view = np.array(view if view is not None else surface.bounds, dtype=float)
        span = self.view[:, 1] - self.view[:, 0]
        self._far = self.view + np.outer(span, [-divergence_margin, divergence_margin])
        self._step_scale = float(span.max())
        self.goal, self.noise, self.batch_size, self.seed = goal, noise, batch_size, seed
        self.trail_length, self.history_bytes, self.stop_at_goal = trail_length, history_bytes, stop_at_goal
        self.converge_step, self.converge_grad = converge_step, converge_grad
        self.specs = list(balls)
        self.reset()

    # --- building and resetting -------------------------------------------------------

    def _new_ball(self, spec: BallSpec) -> Ball:
        start = np.array(self.surface.start if spec.start is None else spec.start, dtype=float)
        start = start.reshape(-1, self.surface.dims)
        optimizer = make(spec.optimizer, **dict(spec.hyper))
        n = start.shape[0]
        return Ball(
            optimizer=optimizer, schedule=spec.schedule, label=spec.label or spec.optimizer,
            start=start, position=start.copy(), state=optimizer.init(start),
            status=np.zeros(n, dtype=np.int8), finished_step=np.full(n, -1),
            path=PathLog(start, self._path_keep(n)), born=getattr(self, "step_count", 0),
            goal_since=np.full(n, -1),
        )

    def _path_keep(self, points: int) -> int:
        # Enough rows for the longest trail plus the deepest history the byte budget allows.
        row_bytes = points * self.surface.dims * 8
        return self.trail_length + self.history_bytes // (row_bytes * 4 + _SNAPSHOT_OVERHEAD)

    def reset(self) -> None:
        """Put every ball back at its start with a fresh optimizer; forget the history."""
        self.rng = np.random.default_rng(self.seed)
        self.step_count = 0
        self.balls = [self._new_ball(spec) for spec in self.specs]
        self._history: deque[_Snapshot] = deque()
        self._history_size = 0

    def add_ball(self, spec: BallSpec) -> int:
        """Add a ball (rewindable); return its index."""
        self._remember()
        self.specs.append(spec)
        self.balls.append(self._new_ball(spec))
        return len(self.balls) - 1

    def remove_ball(self, index: int) -> None:
        """Remove ball `index` (rewindable)."""
        self._remember()
        del self.balls[index]
        del self.specs[index]

    def set_optimizer(self, index: int, name: str, **hyper: Any) -> None:
        """Swap ball `index` to another optimizer where it stands; its path bends from here."""
        self._remember()
        ball = self.balls[index]
        ball.optimizer = make(name, **hyper)
        ball.state = ball.optimizer.init(ball.position)
        ball.trace = None
        self.specs[index] = BallSpec(name, dict(ball.optimizer.hyper), ball.schedule, ball.start,
                                     self.specs[index].label, self.specs[index].batch_size)

    def set_hyper(self, index: int, **hyper: Any) -> None:
        """Change ball `index`'s hyperparameters mid-run, keeping its state (rewindable)."""
        self._remember()
        ball = self.balls[index]
        ball.optimizer = ball.optimizer.with_hyper(**hyper)
        old = self.specs[index]
        self.specs[index] = BallSpec(old.optimizer, dict(ball.optimizer.hyper), old.schedule, old.start, old.label,
                                     old.batch_size)

    def set_start(self, index: int, point: Sequence[float], remember: bool = True) -> None:
        """Move ball `index` to a new start point and restart it there (rewindable, unless
        `remember` is False: then rewinding skips this move, as it does while dragging)."""
        if remember:
            self._remember()
        old = self.specs[index]
        spec = BallSpec(self.balls[index].optimizer.name, dict(self.balls[index].optimizer.hyper),
                        old.schedule, np.asarray(point, dtype=float), old.label, old.batch_size)
        self.specs[index] = spec
        self.balls[index] = self._new_ball(spec)

    # --- history -----------------------------------------------------------------------

    def _remember(self) -> None:
        balls = tuple(
            (b.optimizer, b.schedule, b.label, b.start, b.position, b.state, b.status,
             b.finished_step, b.path, b.path.end, b.trace, b.born, b.goal_since)
            for b in self.balls
        )
        size = sum(_state_bytes(b) for b in self.balls) + _SNAPSHOT_OVERHEAD
        snap = _Snapshot(balls, self.rng.bit_generator.state, self.step_count, size)
        self._history.append((snap, list(self.specs)))
        self._history_size += size
        while self._history and self._history_size > self.history_bytes:
            self._history_size -= self._history.popleft()[0].nbytes

    @property
    def can_rewind(self) -> bool:
        return bool(self._history)

    def rewind(self, steps: int = 1) -> int:
        """Undo up to `steps` steps (or edits) exactly; return how many were undone."""
        done = 0
        while done < steps and self._history:
            snap, specs = self._history.pop()
            self._history_size -= snap.nbytes
            self._restore(snap)
            self.specs = specs
            done += 1
        return done

    def _restore(self, snap: _Snapshot) -> None:
        self.balls = []
        for (opt, sched, label, start, pos, state, status, fin, path, end, trace, born, since) in snap.balls:
            path.end = end
            self.balls.append(Ball(opt, sched, label, start, pos, state, status, fin, path, trace, born, since))
        self.rng.bit_generator.state = snap.rng_state
        self.step_count = snap.step_count

    # --- stepping ----------------------------------------------------------------------

    def step(self, steps: int = 1) -> None:
        """Advance every ball by `steps` optimizer steps."""
        for _ in range(steps):
            if self.history_bytes > 0:
                self._remember()
            with np.errstate(all="ignore"):
                for ball, spec in zip(self.balls, self.specs):
                    self._step_ball(ball, self._batch_size(spec))
            self.step_count += 1

    def _batch_size(self, spec: BallSpec) -> int | None:
        """Return the mini-batch size a ball's steps use: its own, else the race's (None: every sample)."""
        return self.batch_size if spec.batch_size is None else spec.batch_size

    def _draw(self, points: np.ndarray, batch_size: int | None) -> tuple[np.ndarray, np.ndarray | None]:
        """Return the slope at each point and the sample indices (n, k) it was measured on (None: all)."""
        batch_grad = getattr(self.surface, "batch_grad", None)
        batches = None
        if batch_size and batch_grad is not None and batch_size < self.surface.samples:
            keys = self.rng.random((points.shape[0], self.surface.samples))
            batches = np.argpartition(keys, batch_size - 1, axis=1)[:, :batch_size]
            grad = batch_grad(points, batches)
        else:
            grad = self.surface.grad(points)
        if self.noise:
            grad = grad + self.noise * self.rng.standard_normal(grad.shape)
        return grad, batches

    def _step_ball(self, ball: Ball, batch_size: int | None = None) -> None:
        active = ball.status <= CONVERGED
        if not active.any():
            return
        grad = self._draw(ball.position, batch_size)[0]
        slopeless = self._slopeless(ball.position, grad, active)
        lr = ball.optimizer.lr * ball.schedule.factor(ball.steps + 1)
        new_pos, new_state, trace = ball.optimizer.step(ball.position, grad, ball.state, lr)
        inside = (new_pos >= self._far[:, 0]) & (new_pos <= self._far[:, 1]) & np.isfinite(grad)
        bad = ~_each_row(inside)  # NaN compares false, so non-finite positions count as outside
        newly_diverged = active & bad & ~slopeless
        frozen = ~active | newly_diverged | slopeless
        if newly_diverged.any() or slopeless.any():
            new_pos = new_pos.copy()
            new_pos[newly_diverged] = self._exit_points(ball.position[newly_diverged], new_pos[newly_diverged])
            new_pos[slopeless] = ball.position[slopeless]  # it stays where the slope gave out
        if frozen.any():
            new_pos, new_state, trace = self._freeze(ball, frozen, new_pos, new_state, trace)
        stopped = {DIVERGED: newly_diverged, NO_SLOPE: slopeless}
        self._update_status(ball, active & ~newly_diverged & ~slopeless, stopped, new_pos, trace)
        ball.position, ball.state, ball.trace = new_pos, new_state, trace
        ball.path.append(new_pos)

    def _slopeless(self, points: np.ndarray, grad: np.ndarray, active: np.ndarray) -> np.ndarray:
        """Return which active points stand where the height is a number but the slope is not."""
        out = active & ~_each_row(np.isfinite(grad))
        if out.any():
            out[out] = np.isfinite(self.surface.value(points[out]))
        return out

    def _exit_points(self, old: np.ndarray, new: np.ndarray) -> np.ndarray:
        """Return where each segment old → new leaves the view box (old if new is not finite)."""
        lo, hi = self.view[:, 0], self.view[:, 1]
        finite = np.isfinite(new).all(axis=1, keepdims=True)
        direction = np.where(finite, new - old, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            limit = np.where(direction > 0, (hi - old) / direction,
                             np.where(direction < 0, (lo - old) / direction, np.inf))
        fraction = np.clip(limit.min(axis=1, keepdims=True), 0.0, 1.0)
        return np.clip(old + fraction * direction, lo, hi)

    def _freeze(self, ball: Ball, frozen: np.ndarray, pos: np.ndarray, state: State,
                trace: Trace) -> tuple[np.ndarray, State, Trace]:
        """Keep frozen points (finished or just diverged) where they are, with their old state."""
        keep = frozen[:, None]
        pos = np.where(keep & (ball.status[:, None] > CONVERGED), ball.position, pos)
        state = {k: np.where(keep, ball.state[k], v) if isinstance(v, np.ndarray) else v
                 for k, v in state.items()}

        return pos, state, _calmed(replace(trace, update=pos - ball.position), keep)

    def _update_status(self, ball: Ball, moving: np.ndarray, stopped: Mapping[int, np.ndarray],
                       pos: np.ndarray, trace: Trace) -> None:
        """Give each point its status after this step; `stopped` maps a status to the points it stops."""
        status = ball.status.copy()
        finished = ball.finished_step.copy()
        step = self.step_count + 1  # the race step being taken now
        for code, points in stopped.items():
            status[points], finished[points] = code, step
        still = (_row_max_abs(trace.update) < self.converge_step * self._step_scale) & (
            _row_max_abs(trace.grad) < self.converge_grad)
        if self.goal is not None and self.stop_at_goal:
            home = self._settled_home(ball, moving, pos, still, step)
            status[home], finished[home] = GOAL, step
            moving = moving & ~home
        status[moving] = np.where(still[moving], CONVERGED, RUNNING)
        ball.status, ball.finished_step = status, finished

    def _settled_home(self, ball: Ball, moving: np.ndarray, pos: np.ndarray, still: np.ndarray,
                      step: int) -> np.ndarray:
        """Return which points have settled in the goal this step; keep when each entered it."""
        inside = moving & self.goal.contains(pos)
        since = np.where(inside, np.where(ball.goal_since >= 0, ball.goal_since, step), -1)
        ball.goal_since = np.where(moving, since, ball.goal_since)
        return inside & (still | (step - since + 1 >= self.goal.settle_steps))

    def preview_gradient(self, index: int) -> np.ndarray:
        """Return the gradient ball `index` will see on its next step, without using it up.

        With noise or mini-batches the next gradient depends on the random generator, so
        this draws exactly what `step` would draw and then puts the generator back.
        """
        return self.preview_draw(index)[0]

    def preview_draw(self, index: int) -> tuple[np.ndarray, np.ndarray | None]:
        """Return `preview_gradient` and the sample indices (n, k) it will be measured on (None: all)."""
        batched = hasattr(self.surface, "batch_grad") and any(self._batch_size(s) for s in self.specs)
        if not self.noise and not batched:
            return self.surface.grad(self.balls[index].position), None  # no randomness: nothing to replay
        saved = self.rng.bit_generator.state
        try:
            drawn = None
            for ball, spec in zip(self.balls[: index + 1], self.specs):
                drawn = self._draw(ball.position, self._batch_size(spec)) if ball.status.min() <= CONVERGED else None
            return drawn if drawn is not None else (self.surface.grad(self.balls[index].position), None)
        finally:
            self.rng.bit_generator.state = saved

    # --- reading -------------------------------------------------------------------------

    def losses(self, index: int) -> np.ndarray:
        """Return the current loss of every point of ball `index`."""
        return self.surface.value(self.balls[index].position)

    def status_name(self, index: int, point: int = 0) -> str:
        """Return 'running', 'converged', 'diverged', 'goal' or 'no_slope' for one point of a ball."""
        return STATUS_NAMES[int(self.balls[index].status[point])]


# --- the notebook API ----------------------------------------------------------------------


@dataclass(frozen=True)
class Trajectory:
    """Where a run went: positions (steps+1, [N,] d), losses (steps+1, [N]) and each step's Trace.

    grads and updates are (steps, [N,] d); so are velocities and squares, or None for a
    method without them. The lengths hold whatever happens: a ball that stops (diverged,
    no_slope) stays where it stopped, and its steps from then on are calm (slope and update
    zero). `status` is each ball's status at the end, an index into STATUS_NAMES.
    """

    positions: np.ndarray
    losses: np.ndarray
    traces: tuple[Trace, ...]
    status: np.ndarray
    # How the run was made, so gdviz.plot and gdviz.animate can draw its surface and replay it.
    surface: Surface | None = field(default=None, repr=False, compare=False)
    ball: BallSpec | None = field(default=None, repr=False, compare=False)
    settings: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)  # noise, batch_size, seed

    def race(self, **overrides: Any) -> Race:
        """Return a fresh Race that replays this run step for step (keywords override Race's settings)."""
        if self.surface is None or self.ball is None:
            raise ValueError("this Trajectory does not say how it was made; make it with gdviz.simulate")
        return Race(self.surface, [self.ball], **{**self.settings, **overrides})

    def _stack(self, name: str) -> np.ndarray | None:
        parts = [getattr(t, name) for t in self.traces]
        if not parts:  # no steps: no way to know if the method has velocities; slopes have shape
            return np.empty((0, *self.positions.shape[1:])) if name in ("grad", "update") else None
        if any(p is None for p in parts):
            return None
        stacked = np.stack(parts)
        return stacked[:, 0] if self.positions.ndim == 2 else stacked

    @property
    def grads(self) -> np.ndarray | None:
        return self._stack("grad")

    @property
    def updates(self) -> np.ndarray | None:
        return self._stack("update")

    @property
    def velocities(self) -> np.ndarray | None:
        return self._stack("velocity")

    @property
    def squares(self) -> np.ndarray | None:
        return self._stack("squares")


def resolve_surface(surface: Surface | str) -> Surface:
    """Return `surface` itself, a catalogued surface by name, or one parsed from an expression."""
    if isinstance(surface, Surface):
        return surface
    from gdviz.core import expr, surfaces

    return surfaces.get(surface) if surface in surfaces.names() else expr.from_expression(surface)


def simulate(
    surface: Surface | str,
    optimizer: str | Optimizer = "gd",
    start: Sequence[float] | np.ndarray | None = None,
    steps: int = 100,
    *,
    schedule: Schedule | None = None,
    noise: float = 0.0,
    batch_size: int | None = None,
    seed: int = 0,
    **hyperparams: Any,
) -> Trajectory:
    """Roll one ball (or N balls, when `start` has N rows) for `steps` steps.

    >>> run = simulate("x**2 + 2*y**2", "momentum", start=(-3, -3), steps=50, lr=0.05)
    >>> run.positions.shape, run.losses[-1] < 1e-2
    ((51, 2), True)
    """
    surf = resolve_surface(surface)
    if isinstance(optimizer, Optimizer):
        name, hyper = optimizer.name, {**optimizer.hyper, **hyperparams}
    else:
        name, hyper = optimizer, hyperparams
    points = np.asarray(surf.start if start is None else start, dtype=float)
    many = points.ndim == 2
    spec = BallSpec(name, hyper, schedule or Schedule(), points)
    race = Race(surf, [spec], noise=noise, batch_size=batch_size, seed=seed, trail_length=1, history_bytes=0)
    ball = race.balls[0]
    positions, traces = [ball.position], []
    for _ in range(steps):
        before = ball.path.end
        race.step()
        # Once every point has stopped the race leaves the ball alone: it stays put, calmly.
        traces.append(ball.trace if ball.path.end > before else _calmed(ball.trace, True))
        positions.append(ball.position)
    stacked = np.stack(positions)
    stacked = stacked if many else stacked[:, 0]
    with np.errstate(all="ignore"):
        losses = surf.value(stacked)
    return Trajectory(stacked, losses, tuple(traces), ball.status.copy(), surf, spec, _replay_settings(race))


def _replay_settings(race: Race) -> dict[str, Any]:
    """Return the Race settings a Trajectory keeps, so Trajectory.race can replay it exactly."""
    return {"noise": race.noise, "batch_size": race.batch_size, "seed": race.seed}
