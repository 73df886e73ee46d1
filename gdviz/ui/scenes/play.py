"""Playing a level: the race, the controls that tune it, step-by-step mode and the swarm.

This module holds what the player changes; `play_view` draws it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from gdviz.core import stages
from gdviz.core.commands import Action, Command, Pixel
from gdviz.core.optimizers import METHODS
from gdviz.core.stages import format_number
from gdviz.core.tables import RaceRecorder, to_csv_text
from gdviz.core.sim import CONVERGED, DIVERGED, GOAL, BallSpec, Race
from gdviz.core.swarm import classify, found_minima, grid_starts
from gdviz.ui import content, theme
from gdviz.ui.scenes.base import Scene
from gdviz.ui.scenes.help import HelpScene
from gdviz.ui.progress import stars_for
from gdviz.ui.scenes.pause import PauseScene
from gdviz.ui.scenes.win import WinScene
from gdviz.ui.strings import optimizer_name

LR_LIMITS = (1e-6, 1e6)
PLAYER_LABEL = "yours"  # balls the player adds; they count for winning like the level's own player ball
MAX_STEPS_PER_FRAME = 200
MAX_BALLS = 12
SWARM_BALLS = 4000
SWARM_STEPS = 1500  # the swarm stops here and shows its basin map


# Edits of the selected ball's optimizer that a running swarm must follow.
SWARM_EDITS = {Command.OPTIMIZER, Command.NEXT_OPTIMIZER, Command.LR_UP, Command.LR_DOWN, Command.DECAY1_UP,
               Command.DECAY1_DOWN, Command.DECAY2_UP, Command.DECAY2_DOWN, Command.TOGGLE_BIAS}


@dataclass
class StepMode:
    """Step-by-step mode: the stages of the selected ball's next update, and where we are."""

    views: tuple[stages.StageView, ...]
    index: int = 0

    @property
    def current(self) -> stages.StageView:
        return self.views[self.index]


@dataclass
class Swarm:
    """A grid of balls with the selected optimizer, and the basin map once they settle."""

    race: Race
    starts: np.ndarray
    grid: tuple[int, int]
    colour: tuple[int, int, int]
    basins: np.ndarray | None = None


@dataclass
class Toggles:
    """Which glyphs are drawn."""

    grad: bool = True
    velocity: bool = True
    squares: bool = False
    update: bool = True
    trails: bool = True
    hud: bool = True


@dataclass
class Motion:
    """Where balls were before the last step, so drawing can glide between steps."""

    previous: list[np.ndarray] = field(default_factory=list)
    progress: float = 1.0
    duration: float = 0.1


class PlayScene(Scene):
    """One level being played."""

    def __init__(self, app: Any, index: int, demo: bool = False) -> None:
        super().__init__(app)
        self.demo = demo  # run by the attract loop: no overlays, no stars, nothing saved
        from gdviz.ui.scenes.play_view import PlayView

        self.levels = app.content.levels
        self.toggles = Toggles(hud=not (app.config.presenter_on and app.config.presenter_hide_hud))
        self.speed = 1.0
        self.playing = False
        self.budget = 0.0
        self.step_mode: StepMode | None = None
        self.swarm: Swarm | None = None
        self.message = ""
        self.message_time = 0.0
        self.motion = Motion()
        self.view = PlayView(self)
        self.load(index)

    # --- level and race -------------------------------------------------------------------

    def load(self, index: int) -> None:
        """Start level `index` afresh (paused)."""
        self.index = index % len(self.levels)
        self.level = self.levels[self.index]
        self.race = content.make_race(self.level, seed=self.app.args.seed)
        self.table = RaceRecorder()
        self.table.record(self.race)
        self.selected = content.player_ball(self.level)
        self.step_mode = None
        self.swarm = None
        self.motion = Motion()
        self.won = False
        self.view.level_changed()
        if not self.demo:
            self.app.progress.last_level = self.level.id

    @property
    def layout(self):
        return self.view.layout

    @property
    def sizes(self):
        return self.view.sizes

    @property
    def ball(self):
        return self.race.balls[self.selected]

    def steps_per_second(self) -> float:
        return theme.STEPS_PER_SECOND * self.speed

    def say(self, text: str) -> None:
        """Show a short message in the HUD for a few seconds."""
        self.message, self.message_time = text, 4.0

    def tell(self, key: str, **values: object) -> None:
        """Show the message `key` (from gdviz.ui.strings) in the current language."""
        self.say(self.app.tr(key, **values))

    def on_off(self, on: bool) -> str:
        return self.app.tr("msg.on" if on else "msg.off")

    def enter(self) -> None:
        """Called once the scene is on the stack: a level starts paused, with its overlay."""
        self.playing = True
        self.pause()

    def resume(self) -> None:
        """Start playing (the pause overlay has gone)."""
        self.playing = True
        self.step_mode = None

    def pause(self) -> None:
        """Stop playing and show the pause overlay."""
        if self.playing:
            self.playing = False
            if not self.demo:
                self.app.push(PauseScene(self.app, self))

    def step_race(self, count: int = 1) -> None:
        """Advance the race, remembering where balls were so drawing can glide."""
        self.motion.previous = [b.position for b in self.race.balls]
        self.table.step(self.race, count)
        self.motion.progress = 0.0 if count == 1 else 1.0
        self.motion.duration = min(1.0 / self.steps_per_second(), 0.25)
        self._check_win()

    def rewind_race(self) -> bool:
        """Undo one step (or edit); return whether there was anything to undo."""
        self.motion = Motion()
        if not self.race.rewind():
            self.tell("msg.no_undo")
            return False
        self.selected = min(self.selected, len(self.race.balls) - 1)
        return True

    # --- actions -------------------------------------------------------------------------

    def handle(self, action: Action) -> None:
        handler = self._handlers().get(action.command)
        if handler is not None:
            handler(action.arg)
            self.table.record(self.race)  # the table follows rewinds and edits too
            if self.swarm is not None and action.command in SWARM_EDITS:
                self.swarm = self._new_swarm(len(self.swarm.starts))  # the swarm takes the new settings

    def race_table(self) -> str:
        """Return every recorded step of the race so far as CSV text."""
        return to_csv_text(self.table.rows())

    def _handlers(self) -> dict[Command, Callable[[Any], None]]:
        return {
            Command.PLAY_PAUSE: lambda _: self.pause() if self.playing else self.resume(),
            Command.STEP: lambda _: self._step_forward(),
            Command.STEP_BACK: lambda _: self._step_back(),
            Command.RESET: lambda _: self._reset(),
            Command.OPTIMIZER: self._set_optimizer,
            Command.NEXT_BALL: lambda _: self._next_ball(),
            Command.ADD_BALL: lambda _: self._add_ball(None),
            Command.ADD_BALL_AT: self._add_ball,
            Command.REMOVE_BALL: lambda _: self._remove_ball(),
            Command.LR_UP: lambda _: self._scale_lr(theme.LR_STEP),
            Command.LR_DOWN: lambda _: self._scale_lr(1 / theme.LR_STEP),
            Command.DECAY1_UP: lambda _: self._nudge_decay(0, +1),
            Command.DECAY1_DOWN: lambda _: self._nudge_decay(0, -1),
            Command.DECAY2_UP: lambda _: self._nudge_decay(1, +1),
            Command.DECAY2_DOWN: lambda _: self._nudge_decay(1, -1),
            Command.TOGGLE_BIAS: lambda _: self._toggle_bias(),
            Command.TOGGLE_GRAD: lambda _: self._toggle("grad"),
            Command.TOGGLE_MOMENTUM: lambda _: self._toggle("velocity"),
            Command.TOGGLE_SQUARES: lambda _: self._toggle("squares"),
            Command.TOGGLE_UPDATE: lambda _: self._toggle("update"),
            Command.TOGGLE_TRAILS: lambda _: self._toggle("trails"),
            Command.TOGGLE_HUD: lambda _: self._toggle("hud"),
            Command.NEXT_OPTIMIZER: lambda _: self._next_optimizer(),
            Command.LANGUAGE: lambda _: self.say(self.app.toggle_language()),
            Command.PRESENTER: lambda _: self.say(self.app.toggle_presenter()),
            Command.UP: lambda _: self._next_ball(-1),
            Command.DOWN: lambda _: self._next_ball(+1),
            Command.RECORD_GIF: lambda _: self._export(self.app.toggle_recording),
            Command.EXPORT_CSV: lambda _: self._export(lambda: self.app.export_csv(self.race_table())),
            Command.PREV_LEVEL: lambda _: self._change_level(-1),
            Command.NEXT_LEVEL: lambda _: self._change_level(+1),
            Command.SLOWER: lambda _: self._change_speed(1 / 1.5),
            Command.FASTER: lambda _: self._change_speed(1.5),
            Command.SET_START: self._set_start,
            Command.SWARM: lambda _: self._toggle_swarm(),
            Command.STEP_MODE: lambda _: self._toggle_step_mode(),
            Command.HELP: lambda _: self.app.push(HelpScene(self.app)),
            Command.FUNCTION: lambda _: self._open_function_box(),
            Command.SCREENSHOT: lambda _: self._export(self.app.screenshot),
            Command.BACK: lambda _: self._leave(),
        }

    def _export(self, save: Callable[[], str]) -> None:
        """Save a file and say where; a kiosk writes nothing (visitors would fill the disk)."""
        self.say(self.app.tr("msg.no_exports") if self.app.kiosk else save())

    def _open_function_box(self) -> None:
        from gdviz.ui.scenes.function import FunctionScene

        self.pause()
        self.app.push(FunctionScene(self.app, self.app.scenes[0].play_custom))

    def _leave(self) -> None:
        """Back to the level list, from under any overlay (pause, win …)."""
        self.playing = False
        if self not in self.app.scenes:
            return
        while self.app.top is not self:
            self.app.pop()
        self.app.pop()

    def _step_forward(self) -> None:
        self.pause()
        if self.step_mode is not None:
            self._next_stage()
        elif self.swarm is not None:
            self.swarm.race.step()
        else:
            self.step_race()

    def _step_back(self) -> None:
        self.pause()
        if self.step_mode is not None:
            self._previous_stage()
        elif self.swarm is None:
            self.rewind_race()

    def _reset(self) -> None:
        self.race.reset()
        self.won = False
        self.selected = min(self.selected, len(self.race.balls) - 1)
        self.motion = Motion()
        if self.swarm is not None:
            self.swarm = self._new_swarm()
        self._refresh_step_mode()
        self.tell("msg.reset")

    def _next_ball(self, delta: int = 1) -> None:
        self.selected = (self.selected + delta) % len(self.race.balls)
        self._refresh_step_mode()

    def _next_optimizer(self) -> None:
        allowed = content.allowed_optimizers(self.level)
        current = self.ball.optimizer.name
        following = allowed[(allowed.index(current) + 1) % len(allowed)] if current in allowed else allowed[0]
        self._set_optimizer(following)

    def _set_optimizer(self, name: Any) -> None:
        if name not in METHODS:
            return
        allowed = content.allowed_optimizers(self.level)
        if name not in allowed:
            self.tell("msg.allowed", names=", ".join(allowed))
            return
        hyper = {"lr": self._carried_lr(name)}
        self.race.set_optimizer(self.selected, name, **hyper)
        self._refresh_step_mode()
        self.tell("msg.swapped", number=self.selected + 1, name=optimizer_name(theme.LANG, name),
                  lr=format_number(hyper["lr"]))

    def _carried_lr(self, name: str) -> float:
        """Keep the learning rate the player tuned; Adadelta's lr is a multiplier and starts at 1."""
        current = self.ball.optimizer
        if name == "adadelta":
            return METHODS["adadelta"].defaults["lr"]
        if current.name == "adadelta":
            return content.default_lr(self.level)
        return current.lr

    def _add_ball(self, where: Any) -> None:
        if len(self.race.balls) >= MAX_BALLS:
            self.tell("msg.max_balls", count=MAX_BALLS)
            return
        start = self._world_point(where) if where is not None else None
        if where is not None and (start is None or self._inside_goal(start)):
            return
        opt = self.ball.optimizer
        spec = BallSpec(opt.name, dict(opt.hyper), self.ball.schedule,
                        start if start is not None else self.ball.start[0], label=PLAYER_LABEL)
        self.selected = self.race.add_ball(spec)
        self._refresh_step_mode()
        self.tell("msg.added", number=self.selected + 1, name=opt.name)

    def _remove_ball(self) -> None:
        if len(self.race.balls) <= 1:
            self.tell("msg.last_ball")
            return
        self.race.remove_ball(self.selected)
        self.selected = min(self.selected, len(self.race.balls) - 1)
        self._refresh_step_mode()

    def _scale_lr(self, factor: float) -> None:
        lr = float(np.clip(self.ball.optimizer.lr * factor, *LR_LIMITS))
        self.race.set_hyper(self.selected, lr=float(f"{lr:.3g}"))
        self._refresh_step_mode()
        self.tell("msg.lr", value=format_number(self.ball.optimizer.lr))

    def _nudge_decay(self, which: int, direction: int) -> None:
        opt = self.ball.optimizer
        value = opt.get_decay(which)
        if value is None:
            self.tell("msg.no_decay", name=optimizer_name(theme.LANG, opt.name),
                      which=self.app.tr("msg.first" if which == 0 else "msg.second"))
            return
        name = opt.method.decays[which]
        new = nudge_decay(value, direction, top=1.0 if name == "momentum" else 0.9999)
        key = name.partition(".")[0]
        self.race.set_hyper(self.selected, **{key: opt.with_decay(which, new).hyper[key]})
        self._refresh_step_mode()
        self.tell("msg.decay", name=DECAY_LABELS.get(name, name), value=f"{new:g}")

    def _toggle_bias(self) -> None:
        opt = self.ball.optimizer
        if "bias_correction" not in opt.hyper:
            self.tell("msg.bias_only")
            return
        on = not opt.hyper["bias_correction"]
        self.race.set_hyper(self.selected, bias_correction=on)
        self._refresh_step_mode()
        self.tell("msg.bias", state=self.on_off(on))

    def _toggle(self, name: str) -> None:
        on = not getattr(self.toggles, name)
        setattr(self.toggles, name, on)
        self.tell("msg.toggle", what=self.app.tr(f"what.{name}"), state=self.on_off(on))

    def _change_level(self, delta: int) -> None:
        self.load(self.index + delta)
        if self.playing:
            self.pause()
        self.tell("msg.level", number=self.index + 1, count=len(self.levels))

    def _change_speed(self, factor: float) -> None:
        self.speed = float(np.clip(self.speed * factor, *theme.SPEED_LIMITS))
        self.tell("msg.speed", speed=format_number(self.speed), steps=format_number(self.steps_per_second()))

    def _world_point(self, where: Any) -> np.ndarray | None:
        """Turn a click (Pixel) or a script's world coordinates into a start point, or None."""
        if isinstance(where, Pixel):
            return self.view.pixel_to_start((where.x, where.y))
        try:
            point = np.asarray(where, dtype=float).reshape(-1)[: self.level.surface.dims]
        except (TypeError, ValueError):
            return None
        if point.size != self.level.surface.dims or not np.isfinite(point).all():
            return None
        return point

    def _inside_goal(self, point: np.ndarray) -> bool:
        goal = self.race.goal
        if goal is None or goal.contains(point.reshape(1, -1))[0]:
            if goal is not None:
                self.tell("msg.outside_goal")
            return goal is not None
        return False

    def _set_start(self, where: Any) -> None:
        point = self._world_point(where)
        if point is None or self._inside_goal(point):
            return
        if self.swarm is not None:
            self.tell("msg.leave_swarm")
            return
        self.race.set_start(self.selected, point)
        self.motion = Motion()
        self._refresh_step_mode()

    # --- step-by-step mode -------------------------------------------------------------------

    def _toggle_step_mode(self) -> None:
        if self.step_mode is not None:
            self.step_mode = None
            self.tell("msg.step_mode_off")
            return
        self.pause()
        self.swarm = None
        self._refresh_step_mode(force=True)

    def _stage_views(self) -> tuple[stages.StageView, ...]:
        ball = self.ball
        grad = self.race.preview_gradient(self.selected)
        lr = ball.optimizer.lr * ball.schedule.factor(ball.steps + 1)
        return stages.play(ball.optimizer, ball.position, grad, ball.state, lr)

    def _refresh_step_mode(self, force: bool = False) -> None:
        if self.step_mode is not None or force:
            self.step_mode = StepMode(self._stage_views())

    def _next_stage(self) -> None:
        mode = self.step_mode
        if mode.index + 1 < len(mode.views):
            mode.index += 1
            if mode.current.moved:
                self.step_race()
            return
        self.step_mode = StepMode(self._stage_views())

    def _previous_stage(self) -> None:
        mode = self.step_mode
        if mode.index > 0:
            if mode.current.moved:
                self.rewind_race()
            mode.index -= 1
            return
        if not self.race.can_rewind:
            self.tell("msg.first_step")
            return
        steps_before = self.race.step_count
        self.rewind_race()
        if self.race.step_count == steps_before:  # that undid an edit (+, 1–8 …), not a step
            self.step_mode = StepMode(self._stage_views())
            return
        views = self._stage_views()
        self.step_mode = StepMode(views, len(views) - 1)
        self.step_race()  # the last stage shows the ball after its move

    # --- swarm ----------------------------------------------------------------------------------

    def _new_swarm(self, balls: int = SWARM_BALLS) -> Swarm:
        surface = self.level.surface
        columns, rows = self.view.swarm_grid(balls)
        bounds = self.view.visible_bounds()
        starts = grid_starts(bounds, columns, rows)
        opt = self.ball.optimizer
        spec = BallSpec(opt.name, dict(opt.hyper), self.ball.schedule, starts)
        race = Race(surface, [spec], view=bounds, trail_length=2, history_bytes=0,
                    seed=self.app.args.seed)
        return Swarm(race, starts, (columns, rows), theme.optimizer_colour(opt.name))

    def _toggle_swarm(self, balls: int = SWARM_BALLS) -> None:
        if self.swarm is not None:
            self.swarm = None
            self.tell("msg.back_to_race")
            return
        self.step_mode = None
        self.swarm = self._new_swarm(balls)
        self.playing = True
        if self.app.top is not self:
            self.app.pop()
        self.tell("msg.swarm", count=len(self.swarm.starts), name=self.ball.optimizer.name)

    def _update_swarm(self, steps: int) -> None:
        swarm = self.swarm
        if swarm.basins is not None or steps == 0:
            return
        swarm.race.step(steps)
        ball = swarm.race.balls[0]
        settled = np.all(ball.status != 0)
        if settled or swarm.race.step_count >= SWARM_STEPS:
            tolerance = 0.02 * float(np.max(self.level.surface.view_span()))
            minima = self.level.surface.minima or found_minima(ball.position, ball.status == CONVERGED, tolerance)
            swarm.basins = classify(ball.position, minima, tolerance, ball.status == DIVERGED)
            self.tell("msg.basins")

    # --- winning -------------------------------------------------------------------------------

    def is_players(self, index: int) -> bool:
        """Return whether ball `index` is the player's: the level's player ball, or one they added."""
        label = self.race.balls[index].label
        return label == PLAYER_LABEL or label == self.level.balls[content.player_ball(self.level)].label

    def _check_win(self) -> None:
        """Celebrate (once per run) when one of the player's balls reaches the goal."""
        if self.won or self.race.goal is None or self.demo:
            return
        finished = [int(b.finished_step[0]) - b.born for i, b in enumerate(self.race.balls)
                    if b.status[0] == GOAL and self.is_players(i)]
        if not finished:
            return
        self.won = True
        steps = min(finished)
        stars = stars_for(steps, self.level.par)
        best = self.app.progress.record(self.level.id, stars)
        problem = self.app.progress.save()
        if problem:
            self.say(problem)
        self.pause()
        self.app.push(WinScene(self.app, self, stars, steps, self.level.par, best))

    # --- time ---------------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        self.message_time = max(self.message_time - dt, 0.0)
        self.motion.progress = min(self.motion.progress + dt / max(self.motion.duration, 1e-6), 1.0)
        if not self.playing:
            return
        self.budget += dt * self.steps_per_second() * (4 if self.swarm else 1)
        steps = min(int(self.budget), MAX_STEPS_PER_FRAME)
        self.budget -= int(self.budget)
        if self.swarm is not None:
            self._update_swarm(steps)
        elif steps:
            self.step_race(steps)

    def draw(self, surface) -> None:
        self.view.draw(surface)


DECAY_LADDER = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.975, 0.99, 0.995,
                0.999, 0.9995, 0.9999, 1.0)
DECAY_LABELS = {"momentum": "momentum μ", "betas.0": "β1", "betas.1": "β2", "alpha": "α", "rho": "ρ"}


def nudge_decay(value: float, direction: int, top: float) -> float:
    """Move a decay rate one rung along DECAY_LADDER (finer near 1, where it matters), up to `top`."""
    rungs = [r for r in DECAY_LADDER if r <= top]
    if direction > 0:
        return next((r for r in rungs if r > value + 1e-12), rungs[-1])
    return next((r for r in reversed(rungs) if r < value - 1e-12), rungs[0])
