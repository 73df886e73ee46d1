"""Levels: lessons written as small TOML files, read into frozen dataclasses and checked.

A level names a surface, places a few balls on it (each with its own optimizer and settings,
and a name to show in both languages), may set a goal and what is drawn from the start, and
says in English and Chinese what the player should learn. Its `[check]` section states what
must happen when the level plays by itself, and under which small changes it must still
happen (read by check_spec.py); lessons.py and robustness.py play it and test that.

Level files come from teachers and strangers: safe_toml.py reads the file without trusting it,
every field is checked here, nothing is ever run as code, and anything wrong is reported as a
`LevelError` — one line, "<file>: <field>: <what is wrong>". The format is described, with a
complete example, in levels/README.md.

    >>> level = load_level(builtin_levels_dir() / "02-bowl-learning-rate.toml")
    >>> [ball.label for ball in level.balls]
    ['just right', 'too small', 'too big', 'diverging']
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from gdviz.core import expr, hints, optimizers, safe_toml as toml, schedules, surfaces
from gdviz.core.check_spec import (  # noqa: F401 (other modules read these from levels too)
    CHECK_FIELDS, COMPARISONS, EXPECT_FIELDS, MAX_CHECK_STEPS, QUANTITIES, ROBUST_FIELDS, Check, Expectation,
    Robust, read_check)
from gdviz.core.safe_toml import Problem
from gdviz.core.sim import SETTLE_STEPS, BallSpec, Goal, Race
from gdviz.core.surfaces import Bounds, Point, Surface

# --- limits: a level file is untrusted input, so everything it can ask for is bounded ------

MAX_BALLS = 16
MAX_TITLE, MAX_LESSON, MAX_LABEL = 120, 2000, 32
MAX_COORDINATE = 1e6  # views, starts and goals must lie within ±this
MAX_SETTLE_STEPS = 1000
MAX_INT_PARAM = 100_000  # integer surface parameters (e.g. line_fit samples) stay below this
MAX_MESSAGE = 180  # characters of the "what is wrong" part of an error line

TOP_FIELDS = ("title", "lesson", "hint", "order", "surface", "view", "ball", "stochastic",
              "goal", "player", "show", "check")
SURFACE_FIELDS = ("name", "expr", "params", "minima", "saddles")
BALL_FIELDS = ("label", "name", "optimizer", "start", "hyper", "schedule", "batch_size")
STOCHASTIC_FIELDS = ("noise", "batch_size", "seed")
GOAL_FIELDS = ("center", "radius", "par", "no_stars_within", "settle_steps")
PLAYER_FIELDS = ("ball", "optimizers")
SHOW_FIELDS = ("squares",)
TEXT_FIELDS = ("en", "zh")
AXES = ("x", "y")


class LevelError(ValueError):
    """A level file that cannot be used. str() is one line: '<path>: <field>: <problem>'."""

    def __init__(self, path: str | Path, field: str, message: str) -> None:
        self.path, self.field = str(path), field
        self.message = toml.one_line(message, MAX_MESSAGE)
        super().__init__(f"{self.path}: {field}: {self.message}")


# --- the data a level turns into -------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A sentence in English and Simplified Chinese; `get` falls back to English."""

    en: str
    zh: str = ""

    def get(self, lang: str = "en") -> str:
        """Return the text in `lang` ('en' or 'zh'), or the English if there is none."""
        text = getattr(self, lang) if lang in TEXT_FIELDS else ""
        return text or self.en


@dataclass(frozen=True)
class SurfaceSource:
    """Where the surface came from: a catalogue name with parameters, or a typed formula."""

    name: str | None = None
    params: Mapping[str, float] = dataclasses.field(default_factory=dict)
    expr: str | None = None


@dataclass(frozen=True)
class Player:
    """Which ball the player steers (an index into Level.balls) and which optimizers they may pick."""

    ball: int = 0
    optimizers: tuple[str, ...] = tuple(optimizers.names())


@dataclass(frozen=True)
class Level:
    """One lesson, read from a TOML file and fully checked. Build its race with make_race."""

    id: str
    path: Path
    order: int
    title: Text
    lesson: Text
    surface: Surface
    surface_source: SurfaceSource
    view: Bounds
    balls: tuple[BallSpec, ...]
    check: Check
    goal: Goal | None = None
    par: int | None = None
    noise: float = 0.0
    batch_size: int | None = None
    seed: int = 0
    hint: Text | None = None
    player: Player = Player()
    no_stars_within: float | None = None  # a player's start this close to the goal's centre earns no stars
    names: tuple[tuple[str, Text], ...] = ()  # (label, name shown in the game) for balls the file names
    show_squares: bool = False  # the squared-gradient squares are on when the level starts

    def ball_index(self, label: str) -> int:
        """Return the index of the ball called `label`."""
        return [b.label for b in self.balls].index(label)

    def ball_name(self, label: str) -> Text | None:
        """Return the name the file gives the ball called `label`, or None if it gives none."""
        return dict(self.names).get(label)


# --- readers for a level's own kinds of value ---------------------------------------------


def _point(value: Any, where: str, dims: int) -> tuple[float, ...]:
    """Return a point with one finite coordinate per axis of the surface."""
    if not isinstance(value, list) or len(value) != dims:
        need = "[x]" if dims == 1 else "[x, y]"
        got = f"{len(value)} number(s)" if isinstance(value, list) else f"{toml.kind(value)} {toml.show(value)}"
        raise Problem(where, f"the surface is {dims}-D, so give {need}; got {got}")
    return tuple(toml.number(v, f"{where}[{i}]", -MAX_COORDINATE, MAX_COORDINATE)
                 for i, v in enumerate(value))


def _text(value: Any, where: str, limit: int, single_line: bool = False) -> Text:
    """Return a Text from {en = ..., zh = ...} (or from a plain string, taken as English)."""
    if isinstance(value, str):
        return Text(toml.string(value, where, limit, single_line=single_line))
    if not isinstance(value, dict):
        raise Problem(where, f'expected {{ en = "...", zh = "..." }}, got {toml.kind(value)} {toml.show(value)}')
    table = toml.table(value, where, TEXT_FIELDS)
    if "en" not in table:
        raise Problem(f"{where}.en", "missing: give at least the English text")
    zh = toml.string(table["zh"], f"{where}.zh", limit, single_line=single_line) if "zh" in table else ""
    return Text(toml.string(table["en"], f"{where}.en", limit, single_line=single_line), zh)


def _hint(text: Text) -> Text:
    """Check that every {action} a hint names is one the game knows (see gdviz.core.hints)."""
    for lang in TEXT_FIELDS:
        try:
            hints.split(getattr(text, lang))
        except hints.HintError as error:
            raise Problem(f"hint.{lang}", str(error)) from None
    return text


def _inside(point: tuple[float, ...], view: Bounds, where: str) -> None:
    """Refuse a point outside the view box."""
    for axis, (c, (lo, hi)) in enumerate(zip(point, view)):
        if not lo <= c <= hi:
            raise Problem(where, f"{c:g} is outside the view's {AXES[axis]} range [{lo:g}, {hi:g}]")


# --- the surface and the view ------------------------------------------------------------------


def _catalogue_params(table: Any, name: str) -> dict[str, float]:
    """Check `params` against the catalogue surface's own parameters and their types."""
    defaults = surfaces.get(name).params
    params = toml.table(table, "surface.params", tuple(defaults))
    out: dict[str, float] = {}
    for key, value in params.items():
        where = f"surface.params.{key}"
        default = defaults[key]
        if isinstance(default, int) and not isinstance(default, bool):
            out[key] = toml.integer(value, where, -MAX_INT_PARAM, MAX_INT_PARAM)
        else:
            out[key] = toml.number(value, where, -MAX_COORDINATE, MAX_COORDINATE)
    return out


def _catalogue_surface(table: dict) -> tuple[Surface, SurfaceSource]:
    """Build a catalogue surface by name and parameters."""
    if "minima" in table or "saddles" in table:
        field = "surface.minima" if "minima" in table else "surface.saddles"
        raise Problem(field, "only for expr surfaces; catalogue surfaces know their own")
    name = toml.choice(table["name"], "surface.name", surfaces.names(), "surface")
    params = _catalogue_params(table.get("params", {}), name)
    try:
        with np.errstate(all="ignore"):
            surface = surfaces.get(name, **params)
    except Exception as error:  # the factory is not ours to vet: any failure means bad params
        raise Problem("surface.params", f"cannot build {name!r} with these values: {error}") from None
    return surface, SurfaceSource(name=name, params=params)


def _expression_dims(text: str) -> int:
    """Return 1 or 2: whether the formula uses y. Refusals name the field surface.expr."""
    try:
        return 2 if "y" in expr.variables(expr.parse(text)) else 1
    except expr.ExpressionError as error:
        raise Problem("surface.expr", str(error)) from None


def _special_points(table: dict, surface: Surface) -> Surface:
    """Attach the minima and saddles an expr level lists (the lowest minimum is the global one)."""
    found = {}
    for key in ("minima", "saddles"):
        points = toml.items(table.get(key, []), f"surface.{key}", 0, MAX_BALLS)
        found[key] = [_point(p, f"surface.{key}[{i + 1}]", surface.dims) for i, p in enumerate(points)]
    with np.errstate(all="ignore"):
        values = {k: [float(surface.value(p)) for p in pts] for k, pts in found.items()}
    for key, vals in values.items():
        if not all(math.isfinite(v) for v in vals):
            raise Problem(f"surface.{key}", "the formula has no finite value at one of these points")
    lowest = min(values["minima"], default=0.0)
    minima = tuple(Point(p, v, v <= lowest + 1e-12) for p, v in zip(found["minima"], values["minima"]))
    saddles = tuple(Point(p, v) for p, v in zip(found["saddles"], values["saddles"]))
    return dataclasses.replace(surface, minima=minima, saddles=saddles)


def _expression_surface(table: dict, view_table: Any) -> tuple[Surface, SurfaceSource, Bounds]:
    """Build a surface from a typed formula, with the view as its box."""
    if "params" in table:
        raise Problem("surface.params", "only for catalogue surfaces (name = ...), not for expr")
    text = toml.string(table["expr"], "surface.expr", 10 * expr.MAX_LENGTH)
    dims = _expression_dims(text)
    view = _view(view_table, dims, expr.DEFAULT_BOUNDS_2D if dims == 2 else expr.DEFAULT_BOUNDS_1D)
    try:
        with np.errstate(all="ignore"):
            surface = expr.from_expression(text, bounds=view)
    except ValueError as error:  # ExpressionError included
        raise Problem("surface.expr", str(error)) from None
    return _special_points(table, surface), SurfaceSource(expr=text), view


def _axis(value: Any, where: str) -> tuple[float, float]:
    """Return one axis range [low, high] of the view."""
    if not isinstance(value, list) or len(value) != 2:
        raise Problem(where, f"expected [low, high], got {toml.kind(value)} {toml.show(value)}")
    lo, hi = (toml.number(v, f"{where}[{i}]", -MAX_COORDINATE, MAX_COORDINATE) for i, v in enumerate(value))
    if not lo < hi:
        raise Problem(where, f"lower bound {lo:g} is not below upper bound {hi:g}")
    return lo, hi


def _view(value: Any, dims: int, default: Bounds) -> Bounds:
    """Return the view box: the [view] table's axes, else the surface's own bounds."""
    if value is None:
        return tuple(default)
    table = toml.table(value, "view", AXES)
    if dims == 1 and "y" in table:
        raise Problem("view.y", "the surface is 1-D (x only), so the view has no y")
    return tuple(_axis(table[a], f"view.{a}") if a in table else default[i] for i, a in enumerate(AXES[:dims]))


def _surface_and_view(data: dict) -> tuple[Surface, SurfaceSource, Bounds]:
    """Read [surface] (exactly one of name/expr) and [view]."""
    table = toml.table(data["surface"], "surface", SURFACE_FIELDS)
    if ("name" in table) == ("expr" in table):
        raise Problem("surface", "give exactly one of name = \"<catalogue name>\" or expr = \"<formula>\"")
    if "expr" in table:
        return _expression_surface(table, data.get("view"))
    surface, source = _catalogue_surface(table)
    return surface, source, _view(data.get("view"), surface.dims, surface.bounds)


# --- balls -------------------------------------------------------------------------------------


def _hyper_value(value: Any, where: str, default: Any) -> Any:
    """Check one hyperparameter's type against the optimizer's default for it."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise Problem(where, f"expected true or false, got {toml.kind(value)} {toml.show(value)}")
        return value
    if isinstance(default, tuple):
        items = toml.items(value, where, len(default), len(default))
        return tuple(toml.number(v, f"{where}[{i}]") for i, v in enumerate(items))
    return toml.number(value, where)


def _hyper(value: Any, where: str, name: str) -> dict[str, Any]:
    """Return a ball's hyperparameters, each checked by the optimizer's own rules."""
    defaults = optimizers.METHODS[name].defaults
    table = toml.table(value, where, tuple(defaults))
    hyper = {key: _hyper_value(v, f"{where}.{key}", defaults[key]) for key, v in table.items()}
    for key, v in hyper.items():
        try:
            optimizers.make(name, **{key: v})
        except optimizers.HyperparameterError as error:
            raise Problem(f"{where}.{key}", str(error)) from None
    return hyper


def _schedule(value: Any, where: str) -> schedules.Schedule:
    """Return a learning-rate schedule from a table such as { kind = "cosine", total = 200 }."""
    defaults = {f.name: f.default for f in dataclasses.fields(schedules.Schedule)}
    table = toml.table(value, where, tuple(defaults))
    settings: dict[str, Any] = {}
    for key, v in table.items():
        default = defaults[key]
        if isinstance(default, str):
            settings[key] = toml.choice(v, f"{where}.{key}", schedules.KINDS, "schedule kind")
        elif isinstance(default, int):
            settings[key] = toml.integer(v, f"{where}.{key}", 0, MAX_CHECK_STEPS * 10)
        else:
            settings[key] = toml.number(v, f"{where}.{key}")
    try:
        return schedules.from_mapping(settings)
    except schedules.ScheduleError as error:
        raise Problem(where, str(error)) from None


def _defined_at(surface: Surface, point: tuple[float, ...], where: str) -> None:
    """Refuse a start where the surface has no finite height or slope (log of a negative, …)."""
    with np.errstate(all="ignore"):
        finite = np.isfinite(surface.value(point)).all() and np.isfinite(surface.grad(point)).all()
    if not finite:
        raise Problem(where, f"the surface has no finite height or slope at {list(point)}")


def _ball(value: Any, where: str, surface: Surface, view: Bounds) -> BallSpec:
    """Read one [[ball]] table."""
    table = toml.table(value, where, BALL_FIELDS, required=("optimizer",))
    name = toml.choice(table["optimizer"], f"{where}.optimizer", optimizers.names(), "optimizer")
    label = toml.string(table.get("label", name), f"{where}.label", MAX_LABEL)
    start = tuple(surface.start)
    if "start" in table:
        start = _point(table["start"], f"{where}.start", surface.dims)
    _inside(start, view, f"{where}.start")
    _defined_at(surface, start, f"{where}.start")
    hyper = _hyper(table.get("hyper", {}), f"{where}.hyper", name)
    schedule = _schedule(table.get("schedule", {}), f"{where}.schedule")
    batch = _batch_size(table["batch_size"], f"{where}.batch_size", surface) if "batch_size" in table else None
    return BallSpec(name, hyper, schedule, tuple(start), label, batch)


def _balls(value: Any, surface: Surface, view: Bounds) -> tuple[tuple[BallSpec, ...], tuple[tuple[str, Text], ...]]:
    """Read every [[ball]], and the names the file gives them; labels must be unique."""
    if isinstance(value, dict):
        raise Problem("ball", "write [[ball]] (double brackets), once per ball")
    items = toml.items(value, "ball", 1, MAX_BALLS)
    balls = tuple(_ball(item, f"ball[{i + 1}]", surface, view) for i, item in enumerate(items))
    labels = [b.label for b in balls]
    for i, label in enumerate(labels):
        if label in labels[:i]:
            raise Problem(f"ball[{i + 1}].label", f"{label!r} is already used by ball[{labels.index(label) + 1}]; "
                                                  "give each ball its own label")
    names = tuple((ball.label, _text(item["name"], f"ball[{i + 1}].name", MAX_LABEL, single_line=True))
                  for i, (ball, item) in enumerate(zip(balls, items)) if "name" in item)
    return balls, names


def _label(value: Any, where: str, balls: Sequence[BallSpec]) -> int:
    """Return the index of the ball whose label is `value`."""
    labels = [b.label for b in balls]
    return labels.index(toml.choice(value, where, labels, "ball label"))


# --- stochastic settings, goal, player -----------------------------------------------------------


def _stochastic(value: Any, surface: Surface) -> tuple[float, int | None, int]:
    """Return noise, batch_size and seed from [stochastic]."""
    table = toml.table(value if value is not None else {}, "stochastic", STOCHASTIC_FIELDS)
    noise = toml.number(table.get("noise", 0.0), "stochastic.noise", 0.0, MAX_COORDINATE)
    seed = toml.integer(table.get("seed", 0), "stochastic.seed", 0, 2**63 - 1)
    batch = _batch_size(table["batch_size"], "stochastic.batch_size", surface) if "batch_size" in table else None
    return noise, batch, seed


def _batch_size(value: Any, where: str, surface: Surface) -> int:
    """Return a mini-batch size: a whole number from 1 to the data surface's number of samples."""
    samples = getattr(surface, "samples", None)
    if not hasattr(surface, "batch_grad") or samples is None:
        raise Problem(where, f"only for data surfaces such as line_fit, not {surface.name!r}")
    return toml.integer(value, where, 1, samples)


def _goal(value: Any, surface: Surface, view: Bounds) -> tuple[Goal | None, int | None, float | None]:
    """Return the goal region, its par (steps) and its no-stars distance, if the level has a [goal]."""
    if value is None:
        return None, None, None
    table = toml.table(value, "goal", GOAL_FIELDS, required=("center", "radius"))
    center = _point(table["center"], "goal.center", surface.dims)
    _inside(center, view, "goal.center")
    radius = toml.number(table["radius"], "goal.radius", -math.inf, MAX_COORDINATE)
    if radius <= 0:
        raise Problem("goal.radius", f"must be above 0, got {radius:g}")
    par = None
    if "par" in table:
        par = toml.integer(table["par"], "goal.par", -2**63, 2**63)
        if par <= 0:
            raise Problem("goal.par", f"must be a whole number of steps above 0, got {par}")
    near = None
    if "no_stars_within" in table:
        near = toml.number(table["no_stars_within"], "goal.no_stars_within", -math.inf, MAX_COORDINATE)
        if near <= 0:
            raise Problem("goal.no_stars_within", f"must be a distance above 0, got {near:g}")
    settle = toml.integer(table.get("settle_steps", SETTLE_STEPS), "goal.settle_steps", 1, MAX_SETTLE_STEPS)
    return Goal(center, radius, settle), par, near


def _player(value: Any, balls: Sequence[BallSpec]) -> Player:
    """Return which ball the player controls and which optimizers they may choose."""
    if value is None:
        return Player()
    table = toml.table(value, "player", PLAYER_FIELDS)
    index = _label(table["ball"], "player.ball", balls) if "ball" in table else 0
    allowed = Player().optimizers
    if "optimizers" in table:
        items = toml.items(table["optimizers"], "player.optimizers", 1, len(optimizers.names()))
        allowed = tuple(toml.choice(v, f"player.optimizers[{i + 1}]", optimizers.names(), "optimizer")
                        for i, v in enumerate(items))
        if len(set(allowed)) != len(allowed):
            raise Problem("player.optimizers", "lists an optimizer twice")
    if balls[index].optimizer not in allowed:
        raise Problem("player.optimizers", f"must include {balls[index].optimizer!r}, "
                                           "the optimizer of the player's own ball")
    return Player(index, allowed)


def _show(value: Any) -> bool:
    """Return whether [show] turns the squared-gradient squares on from the start."""
    table = toml.table(value if value is not None else {}, "show", SHOW_FIELDS)
    squares = table.get("squares", False)
    if not isinstance(squares, bool):
        raise Problem("show.squares", f"expected true or false, got {toml.kind(squares)} {toml.show(squares)}")
    return squares


# --- putting a level together ----------------------------------------------------------------------


def _build(data: dict, path: Path) -> Level:
    """Turn parsed TOML into a Level, checking every field."""
    top = toml.table(data, "", TOP_FIELDS, required=("title", "lesson", "surface", "ball", "check"))
    title = _text(top["title"], "title", MAX_TITLE)
    lesson = _text(top["lesson"], "lesson", MAX_LESSON)
    hint = _hint(_text(top["hint"], "hint", MAX_LESSON)) if "hint" in top else None
    order = toml.integer(top.get("order", 0), "order", -10**9, 10**9)
    surface, source, view = _surface_and_view(top)
    balls, names = _balls(top["ball"], surface, view)
    noise, batch_size, seed = _stochastic(top.get("stochastic"), surface)
    goal, par, no_stars_within = _goal(top.get("goal"), surface, view)
    player = _player(top.get("player"), balls)
    check = read_check(top["check"], balls, surface, goal, noisy=noise > 0 or batch_size is not None
                       or any(b.batch_size is not None for b in balls))
    return Level(level_id(path), path, order, title, lesson, surface, source, view, balls, check,
                 goal, par, noise, batch_size, seed, hint, player, no_stars_within, names, _show(top.get("show")))


def shown_texts(level: Level) -> list[tuple[str, str, tuple[str, ...]]]:
    """Return every text of `level` the game can show: (field, text, languages it is shown in).

    An English text stands in for a missing Chinese one, so it is shown in both languages;
    a ball the file gives no name is shown by its label.

    >>> shown_texts(load_level(builtin_levels_dir() / "05-saddle.toml"))[1][0]
    'title.zh'
    """
    names = dict(level.names)
    texts = [("title", level.title), ("lesson", level.lesson), ("hint", level.hint)]
    texts += [(f"ball[{i + 1}].name", names.get(ball.label)) for i, ball in enumerate(level.balls)]
    shown = []
    for field, text in texts:
        if text is not None:
            shown.append((f"{field}.en", text.en, ("en",) if text.zh else TEXT_FIELDS))
            if text.zh:
                shown.append((f"{field}.zh", text.zh, ("zh",)))
    return shown + [(f"ball[{i + 1}].label", ball.label, TEXT_FIELDS)
                    for i, ball in enumerate(level.balls) if ball.label not in names]


def level_id(path: Path) -> str:
    """Return a level's name: its file name without the folder, the .toml and any "07-" order prefix.

    >>> level_id(Path("levels/09-rosenbrock.toml"))
    'rosenbrock'
    """
    return re.sub(r"^\d+[-_ ]+", "", path.stem) or path.stem


def load_level(path: str | Path) -> Level:
    """Read and check one level file; raise LevelError (one line) if anything is wrong.

    >>> load_level(builtin_levels_dir() / "05-saddle.toml").surface.name
    'saddle'
    """
    path = Path(path)
    try:
        return _build(toml.read(path), path)
    except Problem as problem:
        raise LevelError(path, problem.field, problem.message) from None
    except RecursionError:
        raise LevelError(path, "file", "is nested too deeply to read") from None


def load_levels(directory: str | Path) -> tuple[list[Level], list[LevelError]]:
    """Load every *.toml in `directory`, sorted by order then file name; collect the bad ones.

    >>> levels, errors = load_levels(builtin_levels_dir())
    >>> errors
    []
    """
    directory = Path(directory)
    if not directory.is_dir():
        return [], [LevelError(directory, "folder", _not_a_folder(directory))]
    levels, errors = [], []
    for path in sorted(directory.glob("*.toml")):
        try:
            levels.append(load_level(path))
        except LevelError as error:
            errors.append(error)
    levels.sort(key=lambda level: (level.order, level.path.name))
    return levels, errors


def _not_a_folder(path: Path) -> str:
    """Say why `path` cannot be read as a folder of levels."""
    if not path.exists():
        return "is a link to nothing" if path.is_symlink() else "does not exist"
    return "is a file, not a folder" if path.is_file() else "is not a folder that can be read"


def builtin_levels_dir() -> Path:
    """Return the folder of levels that ship with gdviz."""
    from gdviz.resources import levels_dir

    return levels_dir()


# --- playing a level --------------------------------------------------------------------------------


def make_race(level: Level, **overrides: Any) -> Race:
    """Build the Race a level describes; keyword arguments override Race's settings.

    >>> race = make_race(load_level(builtin_levels_dir() / "02-bowl-learning-rate.toml"))
    >>> race.step(5); race.step_count
    5
    """
    settings: dict[str, Any] = dict(view=level.view, goal=level.goal, noise=level.noise,
                                    batch_size=level.batch_size, seed=level.seed)
    settings.update(overrides)
    balls = settings.pop("balls", level.balls)
    return Race(level.surface, list(balls), **settings)

