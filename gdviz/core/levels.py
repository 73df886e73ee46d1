"""Levels: lessons written as small TOML files, read into frozen dataclasses and checked.

A level names a surface, places a few balls on it (each with its own optimizer and
settings), may set a goal, and says in English and Chinese what the player should learn.
Its `[check]` section states what must happen when the level plays by itself — for
example "the ball with the big learning rate flies off the map" — so the tests (and
`python main.py --check-levels`) can prove each lesson really shows its idea.

Level files come from teachers and strangers, so reading one is careful: the file is
size-checked before it is parsed, nothing in it is ever run as code, and anything wrong
is reported as a `LevelError` — one line, "<file>: <field>: <what is wrong>".
The format is described, with a complete example, in levels/README.md.

    >>> level = load_level(builtin_levels_dir() / "02-bowl-learning-rate.toml")
    >>> run_check(level).passed
    True
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
import sys
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from gdviz.core import expr, optimizers, schedules, surfaces
from gdviz.core.sim import STATUS_NAMES, BallSpec, Goal, Race
from gdviz.core.surfaces import Bounds, Point, Surface

# --- limits: a level file is untrusted input, so everything it can ask for is bounded ------

MAX_FILE_BYTES = 256 * 1024
MAX_NESTING = 8  # brackets and tables inside each other
MAX_BALLS = 16
MAX_CHECK_STEPS = 100_000
MAX_EXPECTATIONS = 64
MAX_TITLE, MAX_LESSON, MAX_LABEL, MAX_NAME = 120, 2000, 32, 64
MAX_COORDINATE = 1e6  # views, starts and goals must lie within ±this
MAX_INT_PARAM = 100_000  # integer surface parameters (e.g. line_fit samples) stay below this
MAX_MESSAGE = 180  # characters of the "what is wrong" part of an error line

QUANTITIES = (
    "loss", "distance_to_start", "distance_to_saddle", "distance_to_global_minimum",
    "distance_to_nearest_minimum", "distance_to_goal", "x", "y", "steps_to_goal", "status",
)
COMPARISONS = ("below", "above", "equals", "below_ball", "above_ball")

TOP_FIELDS = ("title", "lesson", "hint", "order", "surface", "view", "ball", "stochastic",
              "goal", "player", "check")
SURFACE_FIELDS = ("name", "expr", "params", "minima", "saddles")
BALL_FIELDS = ("label", "optimizer", "start", "hyper", "schedule")
STOCHASTIC_FIELDS = ("noise", "batch_size", "seed")
GOAL_FIELDS = ("center", "radius", "par")
PLAYER_FIELDS = ("ball", "optimizers")
CHECK_FIELDS = ("steps", "expect")
EXPECT_FIELDS = ("ball", "quantity", *COMPARISONS, "factor", "at_step")
TEXT_FIELDS = ("en", "zh")
AXES = ("x", "y")


class LevelError(ValueError):
    """A level file that cannot be used. str() is one line: '<path>: <field>: <problem>'."""

    def __init__(self, path: str | Path, field: str, message: str) -> None:
        self.path, self.field = str(path), field
        self.message = _one_line(message, MAX_MESSAGE)
        super().__init__(f"{self.path}: {field}: {self.message}")


class _Problem(Exception):
    """Raised while reading; load_level adds the file's path and re-raises a LevelError."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


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
class Expectation:
    """One thing the lesson check demands, e.g. ball 'gd' has loss below 0.1."""

    ball: str
    quantity: str
    comparison: str  # one of COMPARISONS
    target: float | str  # a number, a status name, or another ball's label
    factor: float = 1.0  # for below_ball / above_ball: compare with factor × the other ball
    at_step: int | None = None  # evaluate after this many steps instead of Check.steps


@dataclass(frozen=True)
class Check:
    """How long to let the level play by itself, and what must be true afterwards."""

    steps: int
    expect: tuple[Expectation, ...]


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

    def ball_index(self, label: str) -> int:
        """Return the index of the ball called `label`."""
        return [b.label for b in self.balls].index(label)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of a lesson check: passed, and one sentence per expectation."""

    passed: bool
    lines: list[str]


# --- small readers: each checks one kind of value and names the field when it is wrong ------


def _one_line(text: str, limit: int) -> str:
    """Squash text onto one line of at most `limit` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _show(value: Any) -> str:
    """Describe a value from the file briefly (never repr a container: it may be deep)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = "".join(c if c.isprintable() else "?" for c in value[:40])
        return repr(shown + ("…" if len(value) > 40 else ""))
    if isinstance(value, (int, float)):
        return _one_line(repr(value), 40)
    if isinstance(value, (dict, list)):
        return ""
    return _one_line(str(value), 40)  # dates and times: short, safe text


def _kind(value: Any) -> str:
    """Name a TOML value's type in plain words."""
    if isinstance(value, bool):
        return "true/false"
    names = {int: "number", float: "number", str: "text", list: "list", dict: "table"}
    return names.get(type(value), "date/time")


def _table(value: Any, where: str, allowed: Sequence[str], required: Sequence[str] = ()) -> dict:
    """Return `value` if it is a table with only `allowed` keys and every `required` one."""
    if not isinstance(value, dict):
        raise _Problem(where or "file", f"expected a table, got {_kind(value)}")
    prefix = f"{where}." if where else ""
    for key in value:
        if key not in allowed:
            raise _Problem(f"{prefix}{_show(key)[1:-1]}",
                           f"unknown field; allowed here: {', '.join(allowed)}")
    for key in required:
        if key not in value:
            raise _Problem(f"{prefix}{key}", "missing: this field is required")
    return value


def _number(value: Any, where: str, low: float = -math.inf, high: float = math.inf) -> float:
    """Return a finite number in [low, high] (true/false is not a number)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Problem(where, f"expected a number, got {_kind(value)} {_show(value)}")
    if isinstance(value, int) and abs(value) > 1e300:
        raise _Problem(where, "the number is far too large")
    number = float(value)
    if not math.isfinite(number):
        raise _Problem(where, f"expected a finite number, got {_show(value)}")
    if not low <= number <= high:
        raise _Problem(where, f"{number:g} is out of range: use a number from {low:g} to {high:g}")
    return number


def _integer(value: Any, where: str, low: int, high: int) -> int:
    """Return a whole number in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Problem(where, f"expected a whole number, got {_kind(value)} {_show(value)}")
    if not low <= value <= high:
        raise _Problem(where, f"{_show(value)} is out of range: use a whole number from {low} to {high}")
    return value


def _string(value: Any, where: str, limit: int, single_line: bool = True) -> str:
    """Return non-empty text of at most `limit` characters."""
    if not isinstance(value, str):
        raise _Problem(where, f"expected text in quotes, got {_kind(value)} {_show(value)}")
    if not value.strip():
        raise _Problem(where, "is empty")
    if len(value) > limit:
        raise _Problem(where, f"is {len(value)} characters long; keep it under {limit}")
    if single_line and not value.isprintable():
        raise _Problem(where, f"must be one line of printable text, got {_show(value)}")
    return value


def _choice(value: Any, where: str, options: Sequence[str], what: str) -> str:
    """Return `value` if it is one of `options`."""
    name = _string(value, where, MAX_NAME)
    if name not in options:
        close = difflib.get_close_matches(name, options, n=1)
        guess = f" (did you mean {close[0]!r}?)" if close else ""
        raise _Problem(where, f"unknown {what} {_show(name)}{guess}; choose one of: {', '.join(options)}")
    return name


def _list(value: Any, where: str, low: int, high: int) -> list:
    """Return a list with between `low` and `high` items."""
    if not isinstance(value, list):
        raise _Problem(where, f"expected a list in [brackets], got {_kind(value)} {_show(value)}")
    if not low <= len(value) <= high:
        raise _Problem(where, f"has {len(value)} items; it needs {low}" + (f" to {high}" if high > low else ""))
    return value


def _point(value: Any, where: str, dims: int) -> tuple[float, ...]:
    """Return a point with one finite coordinate per axis of the surface."""
    if not isinstance(value, list) or len(value) != dims:
        need = "[x]" if dims == 1 else "[x, y]"
        got = f"{len(value)} number(s)" if isinstance(value, list) else f"{_kind(value)} {_show(value)}"
        raise _Problem(where, f"the surface is {dims}-D, so give {need}; got {got}")
    return tuple(_number(v, f"{where}[{i}]", -MAX_COORDINATE, MAX_COORDINATE)
                 for i, v in enumerate(value))


def _text(value: Any, where: str, limit: int) -> Text:
    """Return a Text from {en = ..., zh = ...} (or from a plain string, taken as English)."""
    if isinstance(value, str):
        return Text(_string(value, where, limit, single_line=False))
    if not isinstance(value, dict):
        raise _Problem(where, f'expected {{ en = "...", zh = "..." }}, got {_kind(value)} {_show(value)}')
    table = _table(value, where, TEXT_FIELDS)
    if "en" not in table:
        raise _Problem(f"{where}.en", "missing: give at least the English text")
    zh = _string(table["zh"], f"{where}.zh", limit, single_line=False) if "zh" in table else ""
    return Text(_string(table["en"], f"{where}.en", limit, single_line=False), zh)


def _inside(point: tuple[float, ...], view: Bounds, where: str) -> None:
    """Refuse a point outside the view box."""
    for axis, (c, (lo, hi)) in enumerate(zip(point, view)):
        if not lo <= c <= hi:
            raise _Problem(where, f"{c:g} is outside the view's {AXES[axis]} range [{lo:g}, {hi:g}]")


# --- reading the file safely -------------------------------------------------------------------

# TOML strings and comments: brackets inside them do not nest anything.
_STRINGS_AND_COMMENTS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*')
_BRACKETS = re.compile(r"[\[\]{}]")
# A dotted key (a.b.c = 1, [a.b.c]) nests tables too. Outside strings, dots not separated by
# '=', ',', a bracket or a line break can only belong to one key (a float has just one dot).
_LONG_DOTTED_KEY = re.compile(r"\.(?:[^.=,\n\[\]{}]*\.){%d,}" % MAX_NESTING)


def _read_text(path: Path) -> str:
    """Return the file's text, refusing big files (before reading them all) and bad UTF-8."""
    try:
        if not path.is_file():
            raise _Problem("file", "is not a file that can be read")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _Problem("file", f"is {size} bytes; a level file must be under {MAX_FILE_BYTES // 1024} KiB")
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # a pipe or device can lie about its size
    except OSError as error:
        raise _Problem("file", f"cannot be read: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        raise _Problem("file", f"is over {MAX_FILE_BYTES // 1024} KiB; a level file must be smaller")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise _Problem(f"line {line}", f"is not valid UTF-8 text (bad byte at offset {error.start}); "
                                       "save the file as UTF-8") from None


def _check_nesting(text: str) -> None:
    """Refuse nesting deeper than MAX_NESTING before the TOML parser sees it.

    tomllib recurses into nested lists and tables, and slows down quadratically on keys with
    very many dots, so a hostile file could exhaust the stack or the memory.
    """
    blanked = _STRINGS_AND_COMMENTS.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    dotted = _LONG_DOTTED_KEY.search(blanked)
    if dotted:
        line = blanked.count("\n", 0, dotted.start()) + 1
        raise _Problem(f"line {line}", f"a key has more than {MAX_NESTING} dots (tables nested too deeply)")
    depth = 0
    for match in _BRACKETS.finditer(blanked):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_NESTING:
            line = blanked.count("\n", 0, match.start()) + 1
            raise _Problem(f"line {line}", f"lists or tables are nested more than {MAX_NESTING} deep")


def _too_deep(data: Any, limit: int) -> bool:
    """Return whether tables and lists in parsed data nest deeper than `limit` (no recursion)."""
    todo = [(data, 0)]
    while todo:
        value, depth = todo.pop()
        if depth > limit:
            return True
        items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        todo.extend((item, depth + 1) for item in items)
    return False


def _parse_toml(text: str) -> dict:
    """Parse TOML into plain data, turning every parser failure into a one-line problem."""
    _check_nesting(text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"\(at (line \d+, column \d+|end of document)\)", str(error))
        message = re.sub(r"\s*\(at [^)]*\)$", "", str(error))
        raise _Problem(where.group(1) if where else "file", f"TOML syntax error: {message}") from None
    except RecursionError:
        raise _Problem("file", "lists or tables are nested too deeply") from None
    except ValueError:  # Python refuses to read integers of more than 4300 digits
        raise _Problem("file", "a number in the file is too long to read") from None
    # Dotted keys (a.b.c.d = 1) nest tables without any brackets, so check the result too.
    if _too_deep(data, MAX_NESTING):
        raise _Problem("file", f"tables are nested more than {MAX_NESTING} deep")
    return data


# --- the surface and the view ------------------------------------------------------------------


def _catalogue_params(table: Any, name: str) -> dict[str, float]:
    """Check `params` against the catalogue surface's own parameters and their types."""
    defaults = surfaces.get(name).params
    params = _table(table, "surface.params", tuple(defaults))
    out: dict[str, float] = {}
    for key, value in params.items():
        where = f"surface.params.{key}"
        default = defaults[key]
        if isinstance(default, int) and not isinstance(default, bool):
            out[key] = _integer(value, where, -MAX_INT_PARAM, MAX_INT_PARAM)
        else:
            out[key] = _number(value, where, -MAX_COORDINATE, MAX_COORDINATE)
    return out


def _catalogue_surface(table: dict) -> tuple[Surface, SurfaceSource]:
    """Build a catalogue surface by name and parameters."""
    if "minima" in table or "saddles" in table:
        field = "surface.minima" if "minima" in table else "surface.saddles"
        raise _Problem(field, "only for expr surfaces; catalogue surfaces know their own")
    name = _choice(table["name"], "surface.name", surfaces.names(), "surface")
    params = _catalogue_params(table.get("params", {}), name)
    try:
        with np.errstate(all="ignore"):
            surface = surfaces.get(name, **params)
    except Exception as error:  # the factory is not ours to vet: any failure means bad params
        raise _Problem("surface.params", f"cannot build {name!r} with these values: {error}") from None
    return surface, SurfaceSource(name=name, params=params)


def _expression_dims(text: str) -> int:
    """Return 1 or 2: whether the formula uses y. Refusals name the field surface.expr."""
    try:
        return 2 if "y" in expr.variables(expr.parse(text)) else 1
    except expr.ExpressionError as error:
        raise _Problem("surface.expr", str(error)) from None


def _special_points(table: dict, surface: Surface) -> Surface:
    """Attach the minima and saddles an expr level lists (the lowest minimum is the global one)."""
    found = {}
    for key in ("minima", "saddles"):
        points = _list(table.get(key, []), f"surface.{key}", 0, MAX_BALLS)
        found[key] = [_point(p, f"surface.{key}[{i + 1}]", surface.dims) for i, p in enumerate(points)]
    with np.errstate(all="ignore"):
        values = {k: [float(surface.value(p)) for p in pts] for k, pts in found.items()}
    for key, vals in values.items():
        if not all(math.isfinite(v) for v in vals):
            raise _Problem(f"surface.{key}", "the formula has no finite value at one of these points")
    lowest = min(values["minima"], default=0.0)
    minima = tuple(Point(p, v, v <= lowest + 1e-12) for p, v in zip(found["minima"], values["minima"]))
    saddles = tuple(Point(p, v) for p, v in zip(found["saddles"], values["saddles"]))
    return dataclasses.replace(surface, minima=minima, saddles=saddles)


def _expression_surface(table: dict, view_table: Any) -> tuple[Surface, SurfaceSource, Bounds]:
    """Build a surface from a typed formula, with the view as its box."""
    if "params" in table:
        raise _Problem("surface.params", "only for catalogue surfaces (name = ...), not for expr")
    text = _string(table["expr"], "surface.expr", 10 * expr.MAX_LENGTH)
    dims = _expression_dims(text)
    view = _view(view_table, dims, expr.DEFAULT_BOUNDS_2D if dims == 2 else expr.DEFAULT_BOUNDS_1D)
    try:
        with np.errstate(all="ignore"):
            surface = expr.from_expression(text, bounds=view)
    except ValueError as error:  # ExpressionError included
        raise _Problem("surface.expr", str(error)) from None
    return _special_points(table, surface), SurfaceSource(expr=text), view


def _axis(value: Any, where: str) -> tuple[float, float]:
    """Return one axis range [low, high] of the view."""
    if not isinstance(value, list) or len(value) != 2:
        raise _Problem(where, f"expected [low, high], got {_kind(value)} {_show(value)}")
    lo, hi = (_number(v, f"{where}[{i}]", -MAX_COORDINATE, MAX_COORDINATE) for i, v in enumerate(value))
    if not lo < hi:
        raise _Problem(where, f"lower bound {lo:g} is not below upper bound {hi:g}")
    return lo, hi


def _view(value: Any, dims: int, default: Bounds) -> Bounds:
    """Return the view box: the [view] table's axes, else the surface's own bounds."""
    if value is None:
        return tuple(default)
    table = _table(value, "view", AXES)
    if dims == 1 and "y" in table:
        raise _Problem("view.y", "the surface is 1-D (x only), so the view has no y")
    return tuple(_axis(table[a], f"view.{a}") if a in table else default[i] for i, a in enumerate(AXES[:dims]))


def _surface_and_view(data: dict) -> tuple[Surface, SurfaceSource, Bounds]:
    """Read [surface] (exactly one of name/expr) and [view]."""
    table = _table(data["surface"], "surface", SURFACE_FIELDS)
    if ("name" in table) == ("expr" in table):
        raise _Problem("surface", "give exactly one of name = \"<catalogue name>\" or expr = \"<formula>\"")
    if "expr" in table:
        return _expression_surface(table, data.get("view"))
    surface, source = _catalogue_surface(table)
    return surface, source, _view(data.get("view"), surface.dims, surface.bounds)


# --- balls -------------------------------------------------------------------------------------


def _hyper_value(value: Any, where: str, default: Any) -> Any:
    """Check one hyperparameter's type against the optimizer's default for it."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise _Problem(where, f"expected true or false, got {_kind(value)} {_show(value)}")
        return value
    if isinstance(default, tuple):
        items = _list(value, where, len(default), len(default))
        return tuple(_number(v, f"{where}[{i}]") for i, v in enumerate(items))
    return _number(value, where)


def _hyper(value: Any, where: str, name: str) -> dict[str, Any]:
    """Return a ball's hyperparameters, each checked by the optimizer's own rules."""
    defaults = optimizers.METHODS[name].defaults
    table = _table(value, where, tuple(defaults))
    hyper = {key: _hyper_value(v, f"{where}.{key}", defaults[key]) for key, v in table.items()}
    for key, v in hyper.items():
        try:
            optimizers.make(name, **{key: v})
        except optimizers.HyperparameterError as error:
            raise _Problem(f"{where}.{key}", str(error)) from None
    return hyper


def _schedule(value: Any, where: str) -> schedules.Schedule:
    """Return a learning-rate schedule from a table such as { kind = "cosine", total = 200 }."""
    defaults = {f.name: f.default for f in dataclasses.fields(schedules.Schedule)}
    table = _table(value, where, tuple(defaults))
    settings: dict[str, Any] = {}
    for key, v in table.items():
        default = defaults[key]
        if isinstance(default, str):
            settings[key] = _choice(v, f"{where}.{key}", schedules.KINDS, "schedule kind")
        elif isinstance(default, int):
            settings[key] = _integer(v, f"{where}.{key}", 0, MAX_CHECK_STEPS * 10)
        else:
            settings[key] = _number(v, f"{where}.{key}")
    try:
        return schedules.from_mapping(settings)
    except schedules.ScheduleError as error:
        raise _Problem(where, str(error)) from None


def _defined_at(surface: Surface, point: tuple[float, ...], where: str) -> None:
    """Refuse a start where the surface has no finite height or slope (log of a negative, …)."""
    with np.errstate(all="ignore"):
        finite = np.isfinite(surface.value(point)).all() and np.isfinite(surface.grad(point)).all()
    if not finite:
        raise _Problem(where, f"the surface has no finite height or slope at {list(point)}")


def _ball(value: Any, where: str, surface: Surface, view: Bounds) -> BallSpec:
    """Read one [[ball]] table."""
    table = _table(value, where, BALL_FIELDS, required=("optimizer",))
    name = _choice(table["optimizer"], f"{where}.optimizer", optimizers.names(), "optimizer")
    label = _string(table.get("label", name), f"{where}.label", MAX_LABEL)
    start = tuple(surface.start)
    if "start" in table:
        start = _point(table["start"], f"{where}.start", surface.dims)
    _inside(start, view, f"{where}.start")
    _defined_at(surface, start, f"{where}.start")
    hyper = _hyper(table.get("hyper", {}), f"{where}.hyper", name)
    schedule = _schedule(table.get("schedule", {}), f"{where}.schedule")
    return BallSpec(name, hyper, schedule, tuple(start), label)


def _balls(value: Any, surface: Surface, view: Bounds) -> tuple[BallSpec, ...]:
    """Read every [[ball]]; labels must be unique."""
    if isinstance(value, dict):
        raise _Problem("ball", "write [[ball]] (double brackets), once per ball")
    items = _list(value, "ball", 1, MAX_BALLS)
    balls = tuple(_ball(item, f"ball[{i + 1}]", surface, view) for i, item in enumerate(items))
    labels = [b.label for b in balls]
    for i, label in enumerate(labels):
        if label in labels[:i]:
            raise _Problem(f"ball[{i + 1}].label", f"{label!r} is already used by ball[{labels.index(label) + 1}]; "
                                                   "give each ball its own label")
    return balls


def _label(value: Any, where: str, balls: Sequence[BallSpec]) -> int:
    """Return the index of the ball whose label is `value`."""
    labels = [b.label for b in balls]
    return labels.index(_choice(value, where, labels, "ball label"))


# --- stochastic settings, goal, player -----------------------------------------------------------


def _stochastic(value: Any, surface: Surface) -> tuple[float, int | None, int]:
    """Return noise, batch_size and seed from [stochastic]."""
    table = _table(value if value is not None else {}, "stochastic", STOCHASTIC_FIELDS)
    noise = _number(table.get("noise", 0.0), "stochastic.noise", 0.0, MAX_COORDINATE)
    seed = _integer(table.get("seed", 0), "stochastic.seed", 0, 2**63 - 1)
    batch = None
    if "batch_size" in table:
        samples = getattr(surface, "samples", None)
        if not hasattr(surface, "batch_grad") or samples is None:
            raise _Problem("stochastic.batch_size", f"only for data surfaces such as line_fit, not {surface.name!r}")
        batch = _integer(table["batch_size"], "stochastic.batch_size", 1, samples)
    return noise, batch, seed


def _goal(value: Any, surface: Surface, view: Bounds) -> tuple[Goal | None, int | None]:
    """Return the goal region and its par (steps), if the level has a [goal]."""
    if value is None:
        return None, None
    table = _table(value, "goal", GOAL_FIELDS, required=("center", "radius"))
    center = _point(table["center"], "goal.center", surface.dims)
    _inside(center, view, "goal.center")
    radius = _number(table["radius"], "goal.radius", -math.inf, MAX_COORDINATE)
    if radius <= 0:
        raise _Problem("goal.radius", f"must be above 0, got {radius:g}")
    par = None
    if "par" in table:
        par = _integer(table["par"], "goal.par", -2**63, 2**63)
        if par <= 0:
            raise _Problem("goal.par", f"must be a whole number of steps above 0, got {par}")
    return Goal(center, radius), par


def _player(value: Any, balls: Sequence[BallSpec]) -> Player:
    """Return which ball the player controls and which optimizers they may choose."""
    if value is None:
        return Player()
    table = _table(value, "player", PLAYER_FIELDS)
    index = _label(table["ball"], "player.ball", balls) if "ball" in table else 0
    allowed = Player().optimizers
    if "optimizers" in table:
        items = _list(table["optimizers"], "player.optimizers", 1, len(optimizers.names()))
        allowed = tuple(_choice(v, f"player.optimizers[{i + 1}]", optimizers.names(), "optimizer")
                        for i, v in enumerate(items))
        if len(set(allowed)) != len(allowed):
            raise _Problem("player.optimizers", "lists an optimizer twice")
    if balls[index].optimizer not in allowed:
        raise _Problem("player.optimizers", f"must include {balls[index].optimizer!r}, "
                                            "the optimizer of the player's own ball")
    return Player(index, allowed)


# --- the lesson check ----------------------------------------------------------------------------


def _quantity_needs(quantity: str, surface: Surface, goal: Goal | None) -> str | None:
    """Return why `quantity` cannot be measured on this level, or None if it can."""
    needs = {
        "distance_to_saddle": (bool(surface.saddles), "the surface has no known saddle point"),
        "distance_to_global_minimum": (surface.global_minimum is not None,
                                       "the surface has no known global minimum"),
        "distance_to_nearest_minimum": (bool(surface.minima), "the surface has no known minimum"),
        "distance_to_goal": (goal is not None, "the level has no [goal]"),
        "steps_to_goal": (goal is not None, "the level has no [goal]"),
        "y": (surface.dims == 2, "the surface is 1-D, so there is no y"),
    }
    ok, why = needs.get(quantity, (True, ""))
    return None if ok else why


def _comparison(table: dict, where: str, quantity: str, labels: Sequence[str]) -> tuple[str, float | str]:
    """Return the one comparison an expectation makes, and its target."""
    given = [c for c in COMPARISONS if c in table]
    if len(given) != 1:
        raise _Problem(where, f"give exactly one of {', '.join(COMPARISONS)} (found {len(given)})")
    comparison = given[0]
    value, field = table[comparison], f"{where}.{comparison}"
    if (comparison == "equals") != (quantity == "status"):
        raise _Problem(field, "use equals with quantity = \"status\", and below/above/below_ball/"
                              "above_ball with the numeric quantities")
    if comparison == "equals":
        return comparison, _choice(value, field, STATUS_NAMES, "status")
    if comparison.endswith("_ball"):
        return comparison, _choice(value, field, labels, "ball label")
    return comparison, _number(value, field)


def _expectation(value: Any, where: str, level: dict) -> Expectation:
    """Read one [[check.expect]] table."""
    table = _table(value, where, EXPECT_FIELDS, required=("ball", "quantity"))
    labels = [b.label for b in level["balls"]]
    ball = _choice(table["ball"], f"{where}.ball", labels, "ball label")
    quantity = _choice(table["quantity"], f"{where}.quantity", QUANTITIES, "quantity")
    why = _quantity_needs(quantity, level["surface"], level["goal"])
    if why:
        raise _Problem(f"{where}.quantity", f"cannot measure {quantity}: {why}")
    comparison, target = _comparison(table, where, quantity, labels)
    if comparison.endswith("_ball") and target == ball:
        raise _Problem(f"{where}.{comparison}", "compares the ball with itself; name another ball")
    factor = 1.0
    if "factor" in table:
        if not comparison.endswith("_ball"):
            raise _Problem(f"{where}.factor", "only goes with below_ball or above_ball")
        factor = _number(table["factor"], f"{where}.factor", 1e-12, MAX_COORDINATE)
    at_step = None
    if "at_step" in table:
        at_step = _integer(table["at_step"], f"{where}.at_step", 0, level["steps"])
    return Expectation(ball, quantity, comparison, target, factor, at_step)


def _check(value: Any, parts: dict) -> Check:
    """Read [check] and its [[check.expect]] entries."""
    table = _table(value, "check", CHECK_FIELDS, required=("steps", "expect"))
    steps = _integer(table["steps"], "check.steps", 1, MAX_CHECK_STEPS)
    if isinstance(table["expect"], dict):
        raise _Problem("check.expect", "write [[check.expect]] (double brackets), once per expectation")
    items = _list(table["expect"], "check.expect", 1, MAX_EXPECTATIONS)
    context = {**parts, "steps": steps}
    return Check(steps, tuple(_expectation(e, f"check.expect[{i + 1}]", context) for i, e in enumerate(items)))


# --- putting a level together ----------------------------------------------------------------------


def _build(data: dict, path: Path) -> Level:
    """Turn parsed TOML into a Level, checking every field."""
    top = _table(data, "", TOP_FIELDS, required=("title", "lesson", "surface", "ball", "check"))
    title = _text(top["title"], "title", MAX_TITLE)
    lesson = _text(top["lesson"], "lesson", MAX_LESSON)
    hint = _text(top["hint"], "hint", MAX_LESSON) if "hint" in top else None
    order = _integer(top.get("order", 0), "order", -10**9, 10**9)
    surface, source, view = _surface_and_view(top)
    balls = _balls(top["ball"], surface, view)
    noise, batch_size, seed = _stochastic(top.get("stochastic"), surface)
    goal, par = _goal(top.get("goal"), surface, view)
    player = _player(top.get("player"), balls)
    check = _check(top["check"], {"balls": balls, "surface": surface, "goal": goal})
    return Level(level_id(path), path, order, title, lesson, surface, source, view, balls, check,
                 goal, par, noise, batch_size, seed, hint, player)


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
        return _build(_parse_toml(_read_text(path)), path)
    except _Problem as problem:
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
        return [], [LevelError(directory, "folder", "is not a folder that can be read")]
    levels, errors = [], []
    for path in sorted(directory.glob("*.toml")):
        try:
            levels.append(load_level(path))
        except LevelError as error:
            errors.append(error)
    levels.sort(key=lambda level: (level.order, level.path.name))
    return levels, errors


def builtin_levels_dir() -> Path:
    """Return the folder of levels that ship with gdviz."""
    return Path(__file__).parents[2] / "levels"


# --- playing a level and checking its lesson ------------------------------------------------------


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


def _nearest(position: np.ndarray, points: Iterable[Point]) -> float:
    """Return the distance from `position` to the nearest of `points`."""
    return min(float(np.linalg.norm(position - np.asarray(p.location))) for p in points)


def _measure(race: Race, level: Level, label: str, quantity: str) -> float | str:
    """Measure `quantity` for the ball called `label` in the race as it stands."""
    index = level.ball_index(label)
    ball = race.balls[index]
    here = ball.position[0]
    if quantity == "status":
        return race.status_name(index)
    if quantity == "steps_to_goal":
        reached = STATUS_NAMES[int(ball.status[0])] == "goal"
        return float(ball.finished_step[0]) if reached else math.inf
    if quantity in ("x", "y"):
        return float(here[AXES.index(quantity)])
    with np.errstate(all="ignore"):
        measures = {
            "loss": lambda: float(level.surface.value(here)),
            "distance_to_start": lambda: float(np.linalg.norm(here - ball.start[0])),
            "distance_to_saddle": lambda: _nearest(here, level.surface.saddles),
            "distance_to_global_minimum": lambda: _nearest(here, [level.surface.global_minimum]),
            "distance_to_nearest_minimum": lambda: _nearest(here, level.surface.minima),
            "distance_to_goal": lambda: _nearest(here, [Point(level.goal.center, 0.0)]),
        }
        return measures[quantity]()


_SENTENCES = {
    "loss": "{b}'s loss is {v}",
    "distance_to_start": "{b} is {v} from its start",
    "distance_to_saddle": "{b} is {v} from the saddle",
    "distance_to_global_minimum": "{b} is {v} from the global minimum",
    "distance_to_nearest_minimum": "{b} is {v} from the nearest minimum",
    "distance_to_goal": "{b} is {v} from the goal's centre",
    "x": "{b} is at x = {v}",
    "y": "{b} is at y = {v}",
    "status": "{b}'s status is {v}",
}


def _human(value: float | str, quantity: str) -> str:
    """Format a measured value for people: 3 significant figures, 'never' for no goal."""
    if isinstance(value, str):
        return value
    if quantity == "steps_to_goal":
        return "never" if math.isinf(value) else f"{value:.0f}"
    return f"{value:.3g}"


def _sentence(e: Expectation, value: float | str, other: float | str | None, steps: int) -> str:
    """Say in words what was measured and what was wanted."""
    if e.quantity == "steps_to_goal" and value == math.inf:
        said = f"{e.ball} had not reached the goal after {steps} steps"
    elif e.quantity == "steps_to_goal":
        said = f"{e.ball} took {value:.0f} steps to reach the goal"
    else:
        said = _SENTENCES[e.quantity].format(b=e.ball, v=_human(value, e.quantity)) + f" after {steps} steps"
    if e.comparison.endswith("_ball"):
        scale = "" if e.factor == 1.0 else f"{e.factor:g} × "
        wanted = f"{e.comparison[:-5]} {scale}{e.target}'s {_human(other, e.quantity)}"
    else:
        wanted = f"{e.comparison.replace('equals', '')} {_human(e.target, e.quantity)}".strip()
    return f"{said} (wanted {wanted})"


def _holds(e: Expectation, value: float | str, other: float | str | None) -> bool:
    """Return whether the measured value satisfies the expectation (NaN never does)."""
    if e.comparison == "equals":
        return value == e.target
    bound = e.target if other is None else e.factor * other
    return bool(value < bound) if e.comparison.startswith("below") else bool(value > bound)


def _moment(level: Level, e: Expectation) -> int:
    """Return the step after which expectation `e` is measured."""
    return level.check.steps if e.at_step is None else e.at_step


def run_check(level: Level) -> CheckResult:
    """Play the level by itself for check.steps and test each expectation of its lesson.

    >>> result = run_check(load_level(builtin_levels_dir() / "05-saddle.toml"))
    >>> result.passed, len(result.lines) > 0
    (True, True)
    """
    race = make_race(level, history_bytes=0, trail_length=2)
    lines: dict[int, str] = {}
    passed = True
    for moment in sorted({_moment(level, e) for e in level.check.expect}):
        race.step(moment - race.step_count)
        for i, e in enumerate(level.check.expect):
            if _moment(level, e) != moment:
                continue
            value = _measure(race, level, e.ball, e.quantity)
            other = _measure(race, level, e.target, e.quantity) if e.comparison.endswith("_ball") else None
            ok = _holds(e, value, other)
            passed &= ok
            lines[i] = f"{_sentence(e, value, other, moment)}: {'ok' if ok else 'FAILED'}"
    return CheckResult(passed, [lines[i] for i in sorted(lines)])


# --- checking files from the command line ------------------------------------------------------------


def _level_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders to the *.toml files inside them; keep files as given."""
    files: list[Path] = []
    for path in map(Path, paths):
        files.extend(sorted(path.glob("*.toml")) if path.is_dir() else [path])
    return files


def check_files(paths: Iterable[str | Path], simulate: bool = True) -> list[str]:
    """Load each level file (folders: every *.toml inside); return one error line per bad file.

    With `simulate`, a level that loads but fails its own lesson check is bad too.
    """
    problems = []
    for path in _level_files(paths):
        try:
            level = load_level(path)
        except LevelError as error:
            problems.append(str(error))
            continue
        if simulate:
            result = run_check(level)
            failed = [line for line in result.lines if not line.endswith(": ok")]
            if failed:
                problems.append(str(LevelError(path, "check", f"lesson check failed: {failed[0]}")))
    return problems


def main_check_levels(paths: Sequence[str | Path]) -> int:
    """Check level files for `--check-levels`: print problems to stderr; return 2 if any, else 0."""
    problems = check_files(paths)
    for line in problems:
        print(line, file=sys.stderr)
    return 2 if problems else 0
