"""Where gdviz keeps the player's files, and how it writes them without ever losing one.

Progress, settings, logs and exports live in the platform's usual folders (found with
platformdirs). Every write goes to a temporary file first and is then renamed over the
old one, so a crash or a full disk never leaves half a file behind. A file that cannot be
read is moved aside (kept, not deleted) and the game starts fresh.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import platformdirs

APP = "gdviz"


def data_dir() -> Path:
    """Return the folder for saved progress (e.g. ~/.local/share/gdviz)."""
    return Path(os.environ.get("GDVIZ_DATA_DIR") or platformdirs.user_data_dir(APP))


def config_dir() -> Path:
    """Return the folder for the settings file (e.g. ~/.config/gdviz)."""
    return Path(os.environ.get("GDVIZ_CONFIG_DIR") or platformdirs.user_config_dir(APP))


def log_dir() -> Path:
    """Return the folder for error logs (e.g. ~/.local/state/gdviz/log)."""
    return Path(os.environ.get("GDVIZ_LOG_DIR") or platformdirs.user_log_dir(APP))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text to `path` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def move_aside(path: Path) -> Path | None:
    """Rename a damaged file to <name>.corrupt-<time> so it is kept; return the new path."""
    target = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        os.replace(path, target)
    except OSError:
        return None
    return target


def read_json(path: Path) -> tuple[dict[str, Any], str]:
    """Read a JSON object; on any problem start fresh with {} and say what happened.

    Returns the data and a one-line notice ('' when all was well or the file was missing).
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, ""
    except OSError as problem:
        return {}, f"could not read {path}: {problem.strerror or problem}"
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
    except (UnicodeDecodeError, ValueError):
        kept = move_aside(path)
        where = f"; the old file is kept as {kept.name}" if kept else ""
        return {}, f"{path.name} was damaged, so it starts fresh{where}"
    return data, ""
