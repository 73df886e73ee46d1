"""Settings for kiosks and classrooms, kept in a TOML file in the user's config folder.

    language = "zh"            # "en" or "zh"
    idle_seconds = 90          # kiosk: quiet time before the reset countdown
    export_dir = "~/Pictures/gdviz"

    [operator]                 # kiosk: the chord staff hold to quit
    keys = ["ctrl", "alt", "shift", "q"]
    hold_seconds = 2

    [presenter]
    on = false                 # start in presenter mode
    scale = 1.5                # how much bigger everything is drawn
    hide_hud = false

    [attract]                  # kiosk: the demo loop shown when nobody plays
    levels = ["saddle", "ravine", "two-wells"]
    seconds_per_level = 40

Every value is checked; a bad one is replaced by its default and named in one sentence.
Command-line flags override the file.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gdviz import storage

FILE_NAME = "settings.toml"
LANGUAGES = ("en", "zh")
CHORD_KEYS = ("ctrl", "alt", "shift", "q", "w", "x", "k", "escape", "f12", "backspace")
MAX_BYTES = 64 * 1024


@dataclass(frozen=True)
class Settings:
    """Every setting with its default."""

    language: str = "en"
    idle_seconds: float = 90.0
    export_dir: str = ""
    operator_keys: tuple[str, ...] = ("ctrl", "alt", "shift", "q")
    operator_hold_seconds: float = 2.0
    presenter_on: bool = False
    presenter_scale: float = 1.5
    presenter_hide_hud: bool = False
    attract_levels: tuple[str, ...] = ()
    attract_seconds_per_level: float = 40.0
    notices: tuple[str, ...] = field(default=(), compare=False)


def _number(value: Any, low: float, high: float) -> float | None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    return float(value) if ok and low <= value <= high else None


def _read_language(v: Any) -> str | None:
    return v if v in LANGUAGES else None


def _read_keys(v: Any) -> tuple[str, ...] | None:
    ok = isinstance(v, list) and 1 <= len(v) <= 5 and all(k in CHORD_KEYS for k in v) and len(set(v)) == len(v)
    return tuple(v) if ok else None


def _read_levels(v: Any) -> tuple[str, ...] | None:
    ok = isinstance(v, list) and len(v) <= 100 and all(isinstance(k, str) and 0 < len(k) <= 80 for k in v)
    return tuple(v) if ok else None


def _read_path(v: Any) -> str | None:
    return v if isinstance(v, str) and len(v) <= 1000 and "\0" not in v else None


def _read_bool(v: Any) -> bool | None:
    return v if isinstance(v, bool) else None


# (where in the file, attribute, reader, what a good value looks like)
FIELDS = (
    ("language", "language", _read_language, 'must be "en" or "zh"'),
    ("idle_seconds", "idle_seconds", lambda v: _number(v, 5, 86400), "must be a number of seconds from 5 to 86400"),
    ("export_dir", "export_dir", _read_path, "must be a folder path in quotes"),
    ("operator.keys", "operator_keys", _read_keys, f"must be a list of 1–5 different keys from {', '.join(CHORD_KEYS)}"),
    ("operator.hold_seconds", "operator_hold_seconds", lambda v: _number(v, 0.5, 30), "must be 0.5 to 30 seconds"),
    ("presenter.on", "presenter_on", _read_bool, "must be true or false"),
    ("presenter.scale", "presenter_scale", lambda v: _number(v, 1.0, 3.0), "must be a number from 1 to 3"),
    ("presenter.hide_hud", "presenter_hide_hud", _read_bool, "must be true or false"),
    ("attract.levels", "attract_levels", _read_levels, "must be a list of level names"),
    ("attract.seconds_per_level", "attract_seconds_per_level", lambda v: _number(v, 5, 3600),
     "must be 5 to 3600 seconds"),
)
SECTIONS = {"operator", "presenter", "attract"}


def _lookup(data: dict, dotted: str) -> tuple[bool, Any]:
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _unknown(data: dict) -> list[str]:
    known = {f[0] for f in FIELDS}
    out = [k for k in data if k not in known and k not in SECTIONS]
    for section in SECTIONS:
        table = data.get(section)
        if isinstance(table, dict):
            out += [f"{section}.{k}" for k in table if f"{section}.{k}" not in known]
    return out


def from_mapping(data: dict, name: str = FILE_NAME) -> Settings:
    """Build Settings from parsed TOML, replacing each bad value by its default with a notice."""
    changes: dict[str, Any] = {}
    notices = [f"{name}: {key}: unknown setting, ignored" for key in _unknown(data)]
    for where, attribute, reader, rule in FIELDS:
        present, raw = _lookup(data, where)
        if not present:
            continue
        value = reader(raw)
        if value is None:
            notices.append(f"{name}: {where}: {rule}; using the default")
        else:
            changes[attribute] = value
    return replace(Settings(), **changes, notices=tuple(notices))


def settings_path() -> Path:
    return storage.config_dir() / FILE_NAME


def load(path: Path | None = None) -> Settings:
    """Read the settings file; a missing file gives the defaults, a broken one is moved aside."""
    path = path or settings_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as problem:
        return Settings(notices=(f"{path.name}: could not be read ({problem.strerror}); using defaults",))
    if len(raw) > MAX_BYTES:
        return _set_aside(path, "is too large")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as problem:
        return _set_aside(path, f"could not be read ({str(problem).splitlines()[0][:80]})")
    return from_mapping(data, path.name)


def _set_aside(path: Path, why: str) -> Settings:
    kept = storage.move_aside(path)
    where = f"; kept as {kept.name}" if kept else ""
    return Settings(notices=(f"{path.name} {why}, so the defaults are used{where}",))


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(float(value))
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_toml(settings: Settings) -> str:
    """Write settings back as TOML (the same layout the docstring shows)."""
    top, sections = [], {s: [] for s in sorted(SECTIONS)}
    for where, attribute, _, _ in FIELDS:
        value = getattr(settings, attribute)
        section, _, key = where.rpartition(".")
        line = f"{key} = {_toml_value(value)}"
        (sections[section] if section else top).append(line)
    parts = ["# gdviz settings (see the README's Kiosk and classroom section)", *top]
    for section, lines in sections.items():
        parts += ["", f"[{section}]", *lines]
    return "\n".join(parts) + "\n"


def save(settings: Settings, path: Path | None = None) -> str:
    """Save atomically; return '' or a one-line reason it could not be saved."""
    try:
        storage.atomic_write_text(path or settings_path(), to_toml(settings))
    except OSError as problem:
        return f"settings not saved ({problem.strerror or problem})"
    return ""
