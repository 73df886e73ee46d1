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

    [touch]
    bar = "auto"               # the control bar: true, false, or "auto" (kiosk, or once touched)
    screen_inches = 15.6       # the screen's diagonal: the bar's buttons are 12 mm on it

Every value is checked; a bad one is replaced by its default and named in one sentence.
Command-line flags override the file. The file is read like every file gdviz reads (a regular
file only, 64 KiB at most; a byte-order mark and Windows line endings are fine), and saving
changes only the values that differ, in place, keeping comments and unknown keys.
"""

from __future__ import annotations

import errno
import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tomlkit

from gdviz import storage
from gdviz.core import safe_toml

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
    touch_bar: bool | str = "auto"
    touch_screen_inches: float = 15.6  # as gdviz.ui.theme.SCREEN_INCHES
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


def _read_bar(v: Any) -> bool | str | None:
    return v if isinstance(v, bool) or v == "auto" else None


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
    ("touch.bar", "touch_bar", _read_bar, 'must be true, false or "auto"'),
    ("touch.screen_inches", "touch_screen_inches", lambda v: _number(v, 3, 120), "must be 3 to 120 inches"),
)
SECTIONS = {"operator", "presenter", "attract", "touch"}


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
    notices = [f"{name}: {safe_toml.one_line(key, 40)}: unknown setting, ignored" for key in _unknown(data)]
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
    """Return where the settings file is (e.g. ~/.config/gdviz/settings.toml)."""
    return storage.config_dir() / FILE_NAME


def _read(path: Path) -> tuple[str, dict]:
    """Return the file's text and its parsed, checked TOML; raise FileNotFoundError or storage.Refused."""
    text = storage.read_text_safely(path, MAX_BYTES)
    try:
        return text, safe_toml.parse(text)
    except safe_toml.Problem as problem:
        why = f"could not be read ({problem.field}: {safe_toml.one_line(problem.message, 80)})"
        raise storage.Refused(why, damaged=True) from None


def load(path: Path | None = None, given: bool = False) -> Settings:
    """Read the settings file; a missing file gives the defaults, a broken one is moved aside.

    A file that cannot be read (no permission) is left where it is, and the defaults are used.
    A file `given` on the command line (--settings) is never moved, whatever it is: a folder or a
    device typed by mistake must not be renamed. Temporary files left by a crash while saving
    are cleaned up first.
    """
    own = not given
    path = path or settings_path()
    if own:
        storage.clean_stale_temps(path)
    try:
        _, data = _read(path)
    except FileNotFoundError:
        return Settings()
    except storage.Refused as refused:
        if not refused.damaged or not own:
            return Settings(notices=(f"{path.name} {refused.why}; using the defaults, and the file is kept",))
        kept = storage.move_aside(path)
        where = f"; kept as {kept.name}" if kept else ""
        return Settings(notices=(f"{path.name} {refused.why}, so the defaults are used{where}",))
    return from_mapping(data, path.name)


def _new_document() -> tomlkit.TOMLDocument:
    return tomlkit.parse("# gdviz settings (see docs/kiosk.md)\n")


def _current(path: Path, own: bool) -> tuple[dict, tomlkit.TOMLDocument, str]:
    """Return the file's settings, its document (comments and all) and a note if it was kept aside.

    A file that exists but cannot be read or used is moved aside first (only the game's `own`
    file; one named on the command line is left alone), never written over.
    """
    try:
        text, data = _read(path)
    except FileNotFoundError:
        return {}, _new_document(), ""
    except storage.Refused as refused:
        if not own:
            raise OSError(errno.EPERM, f"{path.name} {refused.why}, and a file named by --settings is never "
                                       "replaced") from None
        kept = storage.move_aside(path, "corrupt" if refused.damaged else "unreadable")
        if kept is None:
            raise OSError(errno.EEXIST, f"{path.name} {refused.why} and could not be moved aside") from None
        return {}, _new_document(), f"{path.name} {refused.why}, so it is kept as {kept.name} and a new one is saved"
    try:
        return data, tomlkit.parse(text), ""
    except Exception as problem:  # noqa: BLE001 - tomllib read it; never lose the file over tomlkit
        raise OSError(errno.EINVAL, f"{path.name} could not be updated in place ({problem})") from None


def _toml_value(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 90, not 90.0
    return value


def _put(document: tomlkit.TOMLDocument, where: str, value: Any) -> None:
    """Set one setting in the document, making its [section] if it has none."""
    section, _, key = where.rpartition(".")
    table: Any = document
    if section:
        if not isinstance(document.get(section), dict):
            document[section] = tomlkit.table()
        table = document[section]
    table[key] = _toml_value(value)


def _edited(document: tomlkit.TOMLDocument, settings: Settings, data: dict) -> str:
    """Return the document's text with each setting that differs from `data` set as in `settings`."""
    on_disk = from_mapping(data)
    changed = [(where, attribute) for where, attribute, _, _ in FIELDS
               if getattr(settings, attribute) != getattr(on_disk, attribute)]
    try:
        for where, attribute in changed:
            _put(document, where, getattr(settings, attribute))
        text = document.as_string()
        written = from_mapping(safe_toml.parse(text))
    except Exception as problem:  # noqa: BLE001 - an odd layout in the file must not end the game
        raise OSError(errno.EINVAL, f"the file could not be updated in place ({problem})") from None
    if any(getattr(written, attribute) != getattr(settings, attribute) for _, attribute in changed):
        raise OSError(errno.EINVAL, "the file could not be updated in place")
    if "\r\n" in text:  # the file had Windows line endings: keep them for new lines too
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text


def save(settings: Settings, path: Path | None = None, given: bool = False) -> str:
    """Write into the file the settings that differ from it, atomically; return '' or one line.

    Everything else stays as it was: comments, layout, unknown keys. The line says why nothing
    was saved, or where an unreadable old file was kept. A file `given` on the command line is
    never moved aside or replaced when it cannot be used.
    """
    own = not given
    path = path or settings_path()
    try:
        # Readable but not writable: the operator locked it on purpose (an unreadable one is
        # kept aside below and a new one saved, as for a damaged file).
        if os.path.isfile(path) and os.access(path, os.R_OK) and not os.access(path, os.W_OK):
            raise OSError(errno.EACCES, f"{path.name} is read-only, so it is left as it is")
        data, document, note = _current(path, own)
        storage.atomic_write_text(path, _edited(document, settings, data))
    except OSError as problem:
        return f"settings not saved ({problem.strerror or problem})"
    return note
