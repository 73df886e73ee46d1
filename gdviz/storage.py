"""Where gdviz keeps the player's files, and how it reads and writes them without losing one.

Progress, settings, logs and exports live in the platform's usual folders (found with
platformdirs). Reading trusts nothing: only a regular file is opened, only so much of it is
read, and JSON is checked for depth and name length before it is used (see
gdviz/core/safe_read.py). Writing never destroys: every write goes to a temporary file in the
same folder, is flushed to the disk and then renamed into place, so a crash or a full disk
never leaves half a file behind; the rename never replaces a folder, a device, a pipe or a
link; a damaged file is moved aside (kept, not deleted) before a fresh one takes its place.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs

# Refused is raised from here too: callers catch storage.Refused.
from gdviz.core.safe_read import Refused, kind_of, read_text

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; see locked()
    fcntl = None

APP = "gdviz"
MAX_TEXT_BYTES = 1024 * 1024  # progress files and demo scripts: far more than any real one
MAX_JSON_DEPTH = 16  # progress is two levels deep
MAX_NAME = 256  # characters of a name (key) in a JSON object
STALE_SECONDS = 60  # a temporary file this old was left by a crash: nothing still writes it
LOCK_WAIT_SECONDS = 3.0
PRIVATE_MODE = 0o600

def data_dir() -> Path:
    """Return the folder for saved progress (e.g. ~/.local/share/gdviz)."""
    return Path(os.environ.get("GDVIZ_DATA_DIR") or platformdirs.user_data_dir(APP))


def config_dir() -> Path:
    """Return the folder for the settings file (e.g. ~/.config/gdviz)."""
    return Path(os.environ.get("GDVIZ_CONFIG_DIR") or platformdirs.user_config_dir(APP))


def log_dir() -> Path:
    """Return the folder for error logs (e.g. ~/.local/state/gdviz/log)."""
    return Path(os.environ.get("GDVIZ_LOG_DIR") or platformdirs.user_log_dir(APP))


# --- where files can go ------------------------------------------------------------------------


def folder_problem(folder: Path) -> str:
    """Return '' if files can be written in `folder` (or in the folder that will be made there), else why not."""
    probe = Path(os.path.abspath(folder))
    while True:
        try:
            info = os.stat(probe)  # a link to a folder is a folder
            break
        except (FileNotFoundError, NotADirectoryError):
            if probe == probe.parent:
                return f"{probe} cannot be reached"
            probe = probe.parent
        except OSError as problem:
            return f"{probe} cannot be reached ({problem.strerror or problem})"
    if not stat.S_ISDIR(info.st_mode):
        return f"{probe} is {kind_of(info.st_mode)}, not a folder"
    if not os.access(probe, os.W_OK | os.X_OK):
        return f"cannot write in {probe}"
    return ""


def file_problem(path: Path) -> str:
    """Return '' if a file can be saved at `path` (new, or replacing a regular file), else why not."""
    try:
        info = os.lstat(path)
    except OSError:
        return folder_problem(path.parent)
    if stat.S_ISDIR(info.st_mode):
        return "is a folder; give a file name, e.g. shot.png"
    if not stat.S_ISREG(info.st_mode):
        return f"is {kind_of(info.st_mode)}, which is never replaced; give another file name"
    return folder_problem(path.parent)


# --- reading ------------------------------------------------------------------------------------


def read_text_safely(path: Path, cap: int = MAX_TEXT_BYTES) -> str:
    """Return the text of the regular file at `path`, at most `cap` bytes, any byte-order mark dropped.

    Raises FileNotFoundError when it is missing and Refused (an OSError whose str() is a short
    reason) when it is not a regular file, is too big, cannot be read or is not UTF-8.
    """
    return read_text(Path(path), cap)


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def _json_depth(text: str) -> int:
    """Return how deeply brackets nest in JSON text, ignoring brackets inside strings."""
    depth = deepest = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub('""', text)):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _longest_name(data: Any) -> int:
    """Return the length of the longest key of any object in parsed JSON (no recursion)."""
    longest, todo = 0, [data]
    while todo:
        value = todo.pop()
        if isinstance(value, dict):
            longest = max([longest, *map(len, value)])
            todo.extend(value.values())
        elif isinstance(value, list):
            todo.extend(value)
    return longest


def load_json(path: Path, cap: int = MAX_TEXT_BYTES) -> dict[str, Any]:
    """Return the JSON object in the file at `path`, checked for size, depth and name length.

    Raises FileNotFoundError when it is missing and Refused for anything else that is wrong.
    """
    text = read_text_safely(path, cap)
    if _json_depth(text) > MAX_JSON_DEPTH:
        raise Refused(f"is damaged (nested more than {MAX_JSON_DEPTH} deep)", damaged=True)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as problem:
        raise Refused(f"is damaged (not valid JSON: {str(problem)[:60]})", damaged=True) from None
    if not isinstance(data, dict):
        raise Refused("is damaged (not a JSON object)", damaged=True)
    if _longest_name(data) > MAX_NAME:
        raise Refused(f"is damaged (a name over {MAX_NAME} characters long)", damaged=True)
    return data


def read_json(path: Path) -> tuple[dict[str, Any], str]:
    """Read a JSON object; on any problem start fresh with {} and say what happened.

    Returns the data and a one-line notice ('' when all was well or the file was missing).
    A damaged file is moved aside; one that cannot be read is left alone.
    """
    try:
        return load_json(path), ""
    except FileNotFoundError:
        return {}, ""
    except Refused as refused:
        if not refused.damaged:
            return {}, f"{path.name} {refused.why}, so it starts fresh; the file will be kept, not written over"
        kept = move_aside(path)
        where = f"; the old file is kept as {kept.name}" if kept else ""
        return {}, f"{path.name} {refused.why}, so it starts fresh{where}"


# --- writing ------------------------------------------------------------------------------------


def _umask() -> int:
    """Return the process's umask without changing it (read from /proc on Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere: set and put back at once (the only way to read it)
    os.umask(mask)
    return mask


def _replaceable(path: Path) -> os.stat_result | None:
    """Return the status of the regular file at `path` (None if nothing is there); raise for anything else."""
    try:
        old = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(old.st_mode):
        raise OSError(errno.EEXIST, f"{path.name} is {kind_of(old.st_mode)}, so it was not replaced")
    return old


def _mode_for(path: Path, shared: bool) -> int:
    """Return the permissions a new file at `path` gets; refuse to replace anything but a regular file.

    Shared files (exports) get the usual permissions under the user's umask, so other people
    can open them; private ones (progress, settings) keep the mode of the file they replace,
    or 0600 when new.
    """
    old = _replaceable(path)
    if shared:
        return 0o666 & ~_umask()
    return stat.S_IMODE(old.st_mode) & 0o777 if old is not None else PRIVATE_MODE


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the renamed file to the disk (POSIX; best effort)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class NotSaved(OSError):
    """A file that could not be written: `strerror` says why, `filename` which file."""


def _write_then_rename(path: Path, data: bytes, shared: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path, shared)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            if mode != PRIVATE_MODE and hasattr(os, "fchmod"):
                os.fchmod(out.fileno(), mode)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        _rename_into_place(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _rename_into_place(temp: str, path: Path) -> None:
    """Put the finished temporary file at `path`, never in place of anything but a regular file.

    A new name is taken with a hard link, which fails instead of replacing whatever may have
    appeared at `path` since it was checked; an existing regular file is checked once more and
    replaced by a rename. A file system without hard links (FAT) gets the check and the rename.
    """
    if not os.path.lexists(path):
        try:
            os.link(temp, path)
        except OSError:
            pass  # something appeared meanwhile, or no hard links here: check and rename below
        else:
            os.unlink(temp)
            return
    _replaceable(path)
    os.replace(temp, path)


def atomic_write_bytes(path: Path, data: bytes, *, shared: bool = False) -> None:
    """Write `data` to `path` through a temporary file in the same folder, fsync and a rename.

    Raises NotSaved (an OSError; nothing changed, no temporary file left) when the folder
    cannot be written, the disk is full, or `path` is anything but a regular file. `shared`
    files (exports) get the usual permissions under the umask; others are private (_mode_for).
    """
    path = Path(path)
    try:
        _write_then_rename(path, data, shared)
    except OSError as error:
        raise NotSaved(error.errno, error.strerror or str(error), str(path)) from None
    _sync_folder(path.parent)


def atomic_write_text(path: Path, text: str, *, shared: bool = False) -> None:
    """Write UTF-8 text to `path` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"), shared=shared)


def move_aside(path: Path, label: str = "corrupt") -> Path | None:
    """Rename a file to <name>.<label>-<time> so it is kept; return the new path (None if it failed).

    Whatever is at `path` (a file, a folder, a pipe, a link) is renamed, never opened or
    followed, and nothing already there is replaced.
    """
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1, 100):
        target = path.with_name(f"{path.name}.{label}-{stamp}" + (f"-{n}" if n > 1 else ""))
        if os.path.lexists(target):
            continue
        try:
            os.rename(path, target)
        except OSError:
            return None
        return target
    return None


def clean_stale_temps(path: Path, age: float = STALE_SECONDS) -> int:
    """Delete temporary files of `path` (.<name>.*.tmp) left by a crash over `age` seconds ago.

    Only regular files are deleted; returns how many.
    """
    return clean_stale_temps_in(path.parent, f".{path.name}.", age)


def clean_stale_temps_in(folder: Path, prefix: str, age: float = STALE_SECONDS) -> int:
    """Delete the temporary files (<prefix>*.tmp) in `folder` left by a crash over `age` seconds ago."""
    now, removed = time.time(), 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not (entry.name.startswith(prefix) and entry.name.endswith(".tmp")):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > age:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed


def _acquire(fd: int, wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise OSError(errno.EWOULDBLOCK, "another gdviz is saving it; try again") from None
            time.sleep(0.01)


@contextmanager
def locked(path: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold an exclusive lock for `path` (on the file .<name>.lock beside it) while the block runs.

    Other gdviz processes that save the same file wait for it (up to `wait` seconds, then
    OSError). Without fcntl (Windows) there is no lock.
    """
    if fcntl is None:
        yield
        return
    lock = path.with_name(f".{path.name}.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(lock, flags, PRIVATE_MODE)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EEXIST, f"{lock.name} is not a regular file")
        _acquire(fd, wait)
        yield
    finally:
        os.close(fd)  # closing the file releases the lock
