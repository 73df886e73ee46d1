"""Playing one level: the rules of the game, with no screen in sight.

A `PlaySession` holds everything about a level being played — its balls racing, which one is
selected, step-by-step mode, the swarm, the goal, wins and stars, the learning-rate and
decay ladders — and changes it only through `apply(action)` (one Command from a key, a
button, a script or a test) and `advance(dt)` (time passing). Both return what happened as
plain events (`Say`, `Paused`, `Resumed`, `Won`, `LevelLoaded`) for the screen to show.

Positions arrive in world coordinates (a click's point on the map is the screen's job), so
the rules can be played and tested without pygame:

    >>> from gdviz.core.levels import builtin_levels_dir, load_levels
    >>> levels, _ = load_levels(builtin_levels_dir())
    >>> session = PlaySession(levels, 0)
    >>> events = session.apply(Action(Command.STEP))
    >>> session.race.step_count
    1
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from gdviz.core import backprop_stages, stages
from gdviz.core.commands import Action, Command
from gdviz.core.events import (
    Event,
    LevelLoaded,
    Number,
    OptimizerName,
    Paused,
    Resumed,
    Say,
    Won,
    Word,
)
from gdviz.core.ladders import DECAY_LABELS, LR_LIMITS, next_lr_rung, nudge_decay
from gdviz.core.levels import Level, make_race
from gdviz.core.optimizers import METHODS, HyperparameterError, accepted
from gdviz.core.play_state import (
    SLOW_PAR,
    Motion,
    Preview,
    StepMode,
    Toggles,
    next_lr,
    stars_for,
)
from gdviz.core.sim import CONVERGED, GOAL, BallSpec
from gdviz.core.stages import format_number
from gdviz.core.swarm import SWARM_BALLS, Swarm, SwarmArea, new_swarm
from gdviz.core.tables import RaceRecorder, to_csv_text

STEPS_PER_SECOND = 10.0  # at speed 1×
SPEED_LIMITS = (0.1, 10.0)  # slowest and fastest speed multiplier
SWARM_SPEED = 4  # a swarm plays this many times faster than a race
STAGE_SECONDS = 0.5  # how long step-by-step takes to show one stage's operation
MAX_STEPS_PER_ADVANCE = 200  # a long pause (a dragged window, say) never becomes a burst
MAX_BALLS = 12
MAX_STARS = 3
NEAR_SHARE = 0.5  # with no stated no_stars_within: a start this share of the way to the goal earns none
PLAYER_LABEL = "yours"  # balls the player adds; they count for winning like the level's own player ball

# Optimizers so alike that a swap keeps their shared settings (CARRIED), not only the learning rate.
FAMILIES = ({"momentum", "nesterov"}, {"adam", "adamw"})
CARRIED = ("momentum", "dampening", "betas", "eps", "amsgrad", "bias_correction")

TOGGLES = {Command.TOGGLE_GRAD: "grad", Command.TOGGLE_MOMENTUM: "velocity", Command.TOGGLE_SQUARES: "squares",
           Command.TOGGLE_UPDATE: "update", Command.TOGGLE_TRAILS: "trails", Command.TOGGLE_HUD: "hud"}

# Edits of the selected ball's optimizer that a running swarm must follow.
SWARM_EDITS = {Command.OPTIMIZER, Command.NEXT_OPTIMIZER, Command.LR_UP, Command.LR_DOWN, Command.SET_LR,
               Command.DECAY1_UP, Command.DECAY1_DOWN, Command.DECAY2_UP, Command.DECAY2_DOWN, Command.TOGGLE_BIAS}


class PlaySession:
    """One level being played. See the module docstring."""

    def __init__(self, levels: Sequence[Level], index: int, *, seed: int = 0, demo: bool = False,
                 show_hud: bool = True, speed: float = 1.0) -> None:
        self.levels = tuple(levels)
        self.seed = seed
        self.demo = demo  # run by the attract loop: never wins
        self.toggles = Toggles(hud=show_hud)
        self.speed = float(np.clip(speed, *SPEED_LIMITS))
        self.swarm_area: SwarmArea | None = None  # the visible part of the map, as the screen last said
        self.playing = False
        self.budget = 0.0
        self.version = 0  # counts changes, so per-state pictures know when to redraw
        self.edits = 0  # counts Commands carried out (not steps taken while playing)
        self._moved_at: int | None = None  # the race step at which the last Command moved a start
        self._joins = False  # whether this move of a start joins the one just before (one drag)
        self._events: list[Event] = []
        self._previews: tuple[int, list[Preview | None]] = (-1, [])
        self._commands = {**self._handlers(), **self._tuning_handlers()}
        self.load(index)

    # --- level and race -------------------------------------------------------------------

    def load(self, index: int) -> None:
        """Start level `index` afresh (the session keeps playing or stays paused)."""
        self.index = index % len(self.levels)
        self.level = self.levels[self.index]
        self.race = make_race(self.level, seed=self.level.seed + self.seed)
        self.table = RaceRecorder()
        self.table.record(self.race)
        self.selected = self.level.player.ball
        self.step_mode: StepMode | None = None
        self.swarm: Swarm | None = None
        self.motion = Motion()
        self.won, self.toggles.squares = False, self.level.show_squares  # squares as the level file asks
        self._emit(LevelLoaded(self.index, self.level.id))

    @property
    def ball(self):
        return self.race.balls[self.selected]

    @property
    def allowed(self) -> tuple[str, ...]:
        """Return the optimizers the player may choose on this level."""
        return tuple(self.level.player.optimizers)

    def steps_per_second(self) -> float:
        return STEPS_PER_SECOND * self.speed

    def race_table(self) -> str:
        """Return every recorded step of the race so far as CSV text."""
        return to_csv_text(self.table.rows())

    def is_players(self, index: int) -> bool:
        """Return whether ball `index` is the player's: the level's player ball, or one they added."""
        label = self.race.balls[index].label
        return label == PLAYER_LABEL or label == self.level.balls[self.level.player.ball].label

    # --- commands -------------------------------------------------------------------------

    def apply(self, action: Action) -> list[Event]:
        """Carry out one Command; return what happened. Commands this session does not know are ignored."""
        handler = self._commands.get(action.command)
        if handler is not None:
            self._joins, self._moved_at = self._moved_at == self.race.step_count, None
            handler(action.arg)
            self.table.record(self.race)  # the table follows rewinds and edits too
            if self.swarm is not None and action.command in SWARM_EDITS:
                self.swarm = self._new_swarm(self._current_area())  # the swarm takes the new settings
            self.version += 1
            self.edits += 1
        return self.take_events()

    @property
    def commands(self) -> tuple[Command, ...]:
        """Return every Command this session acts on (the others belong to the screen)."""
        return tuple(self._commands)

    def use_swarm_area(self, area: SwarmArea) -> None:
        """Note the visible part of the map (the screen's size and zoom change it): a swarm rebuilt
        after an edit or a reset covers this area."""
        self.swarm_area = area

    def _current_area(self) -> SwarmArea:
        return self.swarm_area or self.swarm.area

    def _handlers(self) -> dict[Command, Callable[[Any], None]]:
        return {
            Command.PLAY_PAUSE: lambda _: self.pause() if self.playing else self.resume(),
            Command.STEP: lambda _: self._step_forward(),
            Command.STEP_BACK: lambda _: self._step_back(),
            Command.RESET: lambda _: self._reset(),
            Command.OPTIMIZER: self._set_optimizer,
            Command.NEXT_OPTIMIZER: lambda _: self._next_optimizer(),
            Command.NEXT_BALL: lambda _: self._next_ball(),
            Command.UP: lambda _: self._next_ball(-1),
            Command.DOWN: lambda _: self._next_ball(+1),
            Command.ADD_BALL: lambda _: self._add_ball(None),
            Command.ADD_BALL_AT: self._add_ball,
            Command.REMOVE_BALL: lambda _: self._remove_ball(),
            Command.SET_START: self._set_start,
            Command.MOVE_START: lambda where: self._set_start(where, join=True),
            Command.SELECT_BALL: self._select_ball,
            **{command: (lambda _, name=name: self._toggle(name)) for command, name in TOGGLES.items()},
            Command.PREV_LEVEL: lambda _: self._change_level(-1),
            Command.NEXT_LEVEL: lambda _: self._change_level(+1),
            Command.SLOWER: lambda _: self._change_speed(1 / 1.5),
            Command.FASTER: lambda _: self._change_speed(1.5),
            Command.SWARM: self._toggle_swarm,
            Command.STEP_MODE: lambda _: self._toggle_step_mode(),
        }

    def _tuning_handlers(self) -> dict[Command, Callable[[Any], None]]:
        return {
            Command.LR_UP: lambda _: self._set_lr(next_lr_rung(self.ball.optimizer.lr, +1)),
            Command.LR_DOWN: lambda _: self._set_lr(next_lr_rung(self.ball.optimizer.lr, -1)),
            Command.SET_LR: self._set_lr,
            Command.DECAY1_UP: lambda _: self._nudge_decay(0, +1),
            Command.DECAY1_DOWN: lambda _: self._nudge_decay(0, -1),
            Command.DECAY2_UP: lambda _: self._nudge_decay(1, +1),
            Command.DECAY2_DOWN: lambda _: self._nudge_decay(1, -1),
            Command.TOGGLE_BIAS: lambda _: self._toggle_bias(),
        }

    def _emit(self, event: Event) -> None:
        self._events.append(event)

    def _say(self, key: str, **values: object) -> None:
        self._emit(Say(key, values))

    def take_events(self) -> list[Event]:
        """Return the events not yet handed out (those of loading the level, say) and forget them."""
        events, self._events = self._events, []
        return events

    # --- playing and stepping -------------------------------------------------------------

    def pause(self) -> None:
        """Stop playing."""
        if self.playing:
            self.playing = False
            self._emit(Paused())

    def resume(self) -> None:
        """Start playing (leaving step-by-step mode)."""
        self.step_mode = None
        if not self.playing:
            self.playing = True
            self._emit(Resumed())

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
            self._say("msg.no_undo")
            return False
        self.selected = min(self.selected, len(self.race.balls) - 1)
        return True

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
            self.swarm = self._new_swarm(self._current_area())
        self._refresh_step_mode()
        self._say("msg.reset")

    def _change_level(self, delta: int) -> None:
        self.load(self.index + delta)
        self.pause()
        self._say("msg.level", number=self.index + 1, count=len(self.levels))

    def _change_speed(self, factor: float) -> None:
        self.speed = float(np.clip(self.speed * factor, *SPEED_LIMITS))
        self._say("msg.speed", speed=format_number(self.speed), steps=format_number(self.steps_per_second()))

    def advance(self, dt: float) -> list[Event]:
        """Let `dt` seconds pass: glide the balls and, while playing, take the steps that are due."""
        self.motion.progress = min(self.motion.progress + dt / max(self.motion.duration, 1e-6), 1.0)
        if self.step_mode is not None:
            self.step_mode.progress = min(self.step_mode.progress + dt / STAGE_SECONDS, 1.0)
        if self.playing:
            self.budget += dt * self.steps_per_second() * (SWARM_SPEED if self.swarm else 1)
            steps = min(int(self.budget), MAX_STEPS_PER_ADVANCE)
            self.budget -= int(self.budget)
            if self.swarm is not None:
                if self.swarm.advance(steps):
                    self._say("msg.basins")
            elif steps:
                self.step_race(steps)
            self.version += bool(steps)
        return self.take_events()

    # --- winning ----------------------------------------------------------------------------

    def _check_win(self) -> None:
        """Celebrate (once per run) when one of the player's balls reaches the goal; the race plays on."""
        if self.won or self.race.goal is None or self.demo:
            return
        home = [b for i, b in enumerate(self.race.balls) if b.status[0] == GOAL and self.is_players(i)]
        if not home:
            return
        self.won = True
        if all(self._started_too_close(b) for b in home):
            self._say("msg.too_close", distance=Number(self.no_stars_within()))
            return
        # Steps count to when the ball entered the goal for good (it is home once it stayed).
        finished = [int(b.goal_since[0]) - b.born for b in home if not self._started_too_close(b)]
        steps = min(finished)
        stars = stars_for(steps, self.level.par)
        if stars == 0:
            self._say("msg.too_slow", steps=steps, most=SLOW_PAR * self.level.par)
            return
        self._emit(Won(stars, steps, self.level.par, self.race.goal.settle_steps > 1))

    def no_stars_within(self) -> float:
        """Return how close to the goal's centre a start may be and still earn stars.

        The level's `no_stars_within` where it gives one; otherwise half the way from the
        player's own start to the goal, so a click right next to the ring is never a win.
        """
        if self.level.no_stars_within is not None:
            return self.level.no_stars_within
        spec = self.level.balls[self.level.player.ball]
        start = np.asarray(self.level.surface.start if spec.start is None else spec.start, dtype=float)
        return NEAR_SHARE * float(np.linalg.norm(start - np.asarray(self.race.goal.center)))

    def _started_too_close(self, ball) -> bool:
        """Whether a ball started within the no-stars distance of the goal's centre."""
        if self.race.goal is None:
            return False
        return float(np.linalg.norm(ball.start[0] - np.asarray(self.race.goal.center))) <= self.no_stars_within()

    # --- balls ------------------------------------------------------------------------------

    def _next_ball(self, delta: int = 1) -> None:
        self.selected = (self.selected + delta) % len(self.race.balls)
        self._refresh_step_mode()

    def _add_ball(self, where: Any) -> None:
        if len(self.race.balls) >= MAX_BALLS:
            self._say("msg.max_balls", count=MAX_BALLS)
            return
        start = self._world_point(where) if where is not None else None
        if where is not None and (start is None or self._inside_goal(start)):
            return
        opt = self.ball.optimizer
        spec = BallSpec(opt.name, dict(opt.hyper), self.ball.schedule,
                        start if start is not None else self.ball.start[0], label=PLAYER_LABEL)
        self.selected = self.race.add_ball(spec)
        self._refresh_step_mode()
        self._say("msg.added", number=self.selected + 1, name=OptimizerName(opt.name))

    def _remove_ball(self) -> None:
        if len(self.race.balls) <= 1:
            self._say("msg.last_ball")
            return
        self.race.remove_ball(self.selected)
        self.selected = min(self.selected, len(self.race.balls) - 1)
        self._refresh_step_mode()

    def _world_point(self, where: Any) -> np.ndarray | None:
        """Turn world coordinates (a click already mapped to the world, or a script's numbers) into a point."""
        try:
            point = np.asarray(where, dtype=float).reshape(-1)[: self.level.surface.dims]
        except (TypeError, ValueError):
            return None
        if point.size != self.level.surface.dims or not np.isfinite(point).all():
            return None
        return point

    def _inside_goal(self, point: np.ndarray) -> bool:
        goal = self.race.goal
        if goal is not None and goal.contains(point.reshape(1, -1))[0]:
            self._say("msg.outside_goal")
            return True
        return False

    def _select_ball(self, number: Any) -> None:
        """Select ball `number`, counting from 1 as the balls are numbered on screen."""
        try:
            index = int(number) - 1
        except (TypeError, ValueError):
            return
        if 0 <= index < len(self.race.balls):
            self.selected = index
            self._refresh_step_mode()

    def _set_start(self, where: Any, join: bool = False) -> None:
        """Move the selected ball's start; with `join`, a drag's moves since the race last
        stepped stay one edit, so one step back undoes the whole drag."""
        point = self._world_point(where)
        if point is None or self._inside_goal(point):
            return
        if self.swarm is not None:
            self._say("msg.leave_swarm")
            return
        self.race.set_start(self.selected, point, remember=not (join and self._joins))
        self._moved_at = self.race.step_count
        self.motion = Motion()
        self._refresh_step_mode()

    # --- tuning -----------------------------------------------------------------------------

    def _next_optimizer(self) -> None:
        allowed = self.allowed
        current = self.ball.optimizer.name
        following = allowed[(allowed.index(current) + 1) % len(allowed)] if current in allowed else allowed[0]
        self._set_optimizer(following)

    def _set_optimizer(self, name: Any) -> None:
        if name not in METHODS:
            return
        if name not in self.allowed:
            self._say("msg.allowed", names=tuple(OptimizerName(n) for n in self.allowed))
            return
        lr = self._carried_lr(name)
        carried, refused = self._carried_settings(name, lr)
        self.race.set_optimizer(self.selected, name, **carried, lr=lr)
        self._refresh_step_mode()
        left = {"settings": ", ".join(DECAY_LABELS.get(k, k) for k in refused)} if refused else {}
        self._say("msg.swapped_fresh" if refused else "msg.swapped", number=self.selected + 1,
                  name=OptimizerName(name), lr=Number(lr), **left)

    def _carried_lr(self, name: str) -> float:
        """Keep the learning rate the player tuned; Adadelta's lr is a multiplier and starts at 1."""
        current = self.ball.optimizer
        if name == "adadelta":
            return METHODS["adadelta"].defaults["lr"]
        if current.name == "adadelta":
            return float(self.level.balls[self.level.player.ball].hyper.get("lr", 0.01))
        return current.lr

    def _carried_settings(self, name: str, lr: float) -> tuple[dict[str, Any], list[str]]:
        """Between close relatives (momentum ↔ Nesterov, …) keep the tuned decays too, those `name` takes."""
        hyper, related = self.ball.optimizer.hyper, any({self.ball.optimizer.name, name} <= f for f in FAMILIES)
        return accepted(name, {key: hyper[key] for key in CARRIED if key in hyper and related}, lr=lr)

    def _set_lr(self, value: Any) -> None:
        """Give the selected ball this learning rate (a rung of the ladder, or typed exactly)."""
        try:
            lr = float(value)
        except (TypeError, ValueError):
            return
        if not (np.isfinite(lr) and LR_LIMITS[0] <= lr <= LR_LIMITS[1]):
            self._say("msg.lr_range", low=Number(LR_LIMITS[0]), high=Number(LR_LIMITS[1]))
            return
        self.race.set_hyper(self.selected, lr=lr)
        self._refresh_step_mode()
        self._say("msg.lr", value=Number(lr))

    def _nudge_decay(self, which: int, direction: int) -> None:
        opt = self.ball.optimizer
        value = opt.get_decay(which)
        if value is None:
            self._say("msg.no_decay", name=OptimizerName(opt.name), which=Word("msg.first" if which == 0 else "msg.second"))
            return
        name = opt.method.decays[which]
        new = nudge_decay(value, direction, top=1.0 if name == "momentum" else 0.9999)
        key = name.partition(".")[0]
        try:
            changed = opt.with_decay(which, new)
        except HyperparameterError:  # the one rule a decay key can break: Nesterov needs μ > 0
            return self._say("msg.nesterov_rule")
        self.race.set_hyper(self.selected, **{key: changed.hyper[key]})
        self._refresh_step_mode()
        self._say("msg.decay", name=DECAY_LABELS.get(name, name), value=f"{new:g}")

    def _toggle_bias(self) -> None:
        opt = self.ball.optimizer
        if "bias_correction" not in opt.hyper:
            self._say("msg.bias_only")
            return
        on = not opt.hyper["bias_correction"]
        self.race.set_hyper(self.selected, bias_correction=on)
        self._refresh_step_mode()
        self._say("msg.bias", state=Word("msg.on" if on else "msg.off"))

    def _toggle(self, name: str) -> None:
        on = not getattr(self.toggles, name)
        setattr(self.toggles, name, on)
        self._say("msg.toggle", what=Word(f"what.{name}"), state=Word("msg.on" if on else "msg.off"))

    # --- step-by-step mode --------------------------------------------------------------------

    def _toggle_step_mode(self) -> None:
        if self.step_mode is not None:
            self.step_mode = None
            self._say("msg.step_mode_off")
            return
        self.pause()
        self.swarm = None
        self._refresh_step_mode(force=True)

    def _stage_views(self) -> tuple[stages.StageView, ...]:
        ball = self.ball
        grad, batches = self.race.preview_draw(self.selected)
        views = stages.play(ball.optimizer, ball.position, grad, ball.state, next_lr(ball))  # a network: backprop first
        return backprop_stages.play(self.race.surface, ball.position, batches, views[-1].values["next"]) + views

    def _refresh_step_mode(self, force: bool = False) -> None:
        if self.step_mode is not None or force:
            self.step_mode = StepMode(self._stage_views())

    def _next_stage(self) -> None:
        mode = self.step_mode
        if mode.index + 1 < len(mode.views):
            mode.go_to(mode.index + 1)
            if mode.current.moved:
                self.step_race()
            return
        self.step_mode = StepMode(self._stage_views())

    def _previous_stage(self) -> None:
        mode = self.step_mode
        if mode.index > 0:
            if mode.current.moved:
                self.rewind_race()
            mode.go_to(mode.index - 1)
            return
        if not self.race.can_rewind:
            self._say("msg.first_step")
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

    def _new_swarm(self, area: SwarmArea) -> Swarm:
        ball = self.ball
        spec = BallSpec(ball.optimizer.name, dict(ball.optimizer.hyper), ball.schedule)
        return new_swarm(self.level.surface, spec, area, self.level.seed + self.seed,
                         noise=self.level.noise, batch_size=self.level.batch_size)

    def _toggle_swarm(self, area: Any) -> None:
        """Swarm on (over `area`, a SwarmArea, or the level's whole view) or back to the race."""
        if self.swarm is not None:
            self.swarm = None
            self._say("msg.back_to_race")
            return
        self.step_mode = None
        if not isinstance(area, SwarmArea):
            area = self.swarm_area or SwarmArea.covering(self.level.view, SWARM_BALLS)
        self.swarm = self._new_swarm(area)
        self.resume()
        self._say("msg.swarm", count=len(self.swarm.starts), name=OptimizerName(self.ball.optimizer.name))

    # --- what the screen reads -----------------------------------------------------------------

    def previews(self) -> list[Preview | None]:
        """Return, per ball, what its next step would do (None for balls that have stopped).

        Worked out once per change of state: the arrows and the panel's numbers both use it.
        """
        key = (self.version, id(self.race), self.race.step_count)
        if self._previews[0] != key:
            self._previews = (key, [self._preview(i) for i in range(len(self.race.balls))])
        return self._previews[1]

    def _preview(self, index: int) -> Preview | None:
        ball = self.race.balls[index]
        if ball.status[0] > CONVERGED:
            return None
        grad = self.race.preview_gradient(index)
        lr = next_lr(ball)
        with np.errstate(all="ignore"):  # one run of the rule gives both the numbers and the trace
            values, new_state = stages.quantities_and_state(ball.optimizer, ball.position, grad, ball.state, lr)
            trace = ball.optimizer.trace(ball.position, np.asarray(grad, dtype=float), values["next"], new_state, lr)
        glyphs = {kind: row[0] for kind, row in stages.everyday(ball.optimizer, values).items()}
        return Preview(ball.position[0], trace, glyphs)

    def losses_and_slopes(self) -> tuple[np.ndarray, np.ndarray]:
        """Return every ball's loss and gradient length, computed in one go (first point of each ball)."""
        points = np.array([ball.position[0] for ball in self.race.balls])
        with np.errstate(all="ignore"):
            surface = self.level.surface
            return surface.value(points), np.linalg.norm(surface.grad(points), axis=1)

    def display_positions(self) -> list[np.ndarray]:
        """Return each ball's position to draw, gliding between its last two steps."""
        motion = self.motion
        out = []
        for i, ball in enumerate(self.race.balls):
            now = ball.position[0]
            if motion.progress < 1 and i < len(motion.previous) and motion.previous[i].shape == ball.position.shape:
                before = motion.previous[i][0]
                now = before + (now - before) * motion.progress
            out.append(now)
        return out
