"""Reading a file without trusting it: only a regular file, only so much of it, only as text.

Every file gdviz reads that it did not just write — saved progress, settings, demo scripts,
level files — comes through `read_text`. The path must lead to a regular file: a folder, a
pipe (FIFO), a device such as /dev/zero, a socket, or a link to any of them is refused before
it is opened, so nothing can make the game wait forever or feed it endless bytes. At most
`cap` bytes are read; a longer file is refused. The text must be UTF-8: a leading byte-order
mark (which Windows editors add) is dropped, and Windows line endings are left for the
readers, which all accept them. A file that starts with a UTF-16 byte-order mark (what
Windows Notepad long called "Unicode") is read as UTF-16.

    >>> from pathlib import Path
    >>> read_text(Path("/dev/zero"), 1024)
    Traceback (most recent call last):
    ...
    gdviz.core.safe_read.Refused: is a device, not a file
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path

# Open without waiting (a FIFO with no writer), without taking a terminal, and not inherited.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
    | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_CHUNK = 1 << 20


class Refused(OSError):
    """A file that is there but is not read: `why` in a few words, for one line on screen.

    `damaged` is True when the file itself is the problem (not a regular file, too big, not
    UTF-8 text): a file the game keeps for itself is then moved aside and started afresh.
    It is False when the file could not be read (no permission, an input/output error): such
    a file is left alone, and never written over. `where` is "file" or "line N".
    """

    def __init__(self, why: str, damaged: bool, where: str = "file") -> None:
        super().__init__(why)
        self.strerror, self.why, self.damaged, self.where = why, why, damaged, where

    def __str__(self) -> str:
        return self.why


def kind_of(mode: int) -> str:
    """Name what a file's mode says it is, in plain words ('a folder', 'a pipe (FIFO)' …)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "a file" if stat.S_ISREG(mode) else "not a regular file"


def _regular_file(path: Path) -> os.stat_result:
    """Return the status of the regular file at `path` without opening anything else.

    A missing file raises FileNotFoundError; anything but a regular file (or a link to one)
    raises Refused.
    """
    try:
        link = os.lstat(path)
    except NotADirectoryError:  # a "folder" on the way is a file: there is no such file
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(path)) from None
    if not stat.S_ISLNK(link.st_mode):
        if not stat.S_ISREG(link.st_mode):
            raise Refused(f"is {kind_of(link.st_mode)}, not a file", damaged=True)
        return link
    try:
        target = os.stat(path)
    except FileNotFoundError:
        raise Refused("is a link to nothing", damaged=True) from None
    except OSError as error:
        raise Refused(f"is a link that cannot be followed ({error.strerror or error})", damaged=True) from None
    if not stat.S_ISREG(target.st_mode):
        raise Refused(f"is a link to {kind_of(target.st_mode)}, not a file", damaged=True)
    return target


def _size(cap: int) -> str:
    return f"{cap // (1024 * 1024)} MiB" if cap >= 1024 * 1024 else f"{cap // 1024} KiB"


def _read_capped(fd: int, cap: int) -> bytes:
    """Read at most cap + 1 bytes: enough to know whether the file is longer than `cap`."""
    chunks, total = [], 0
    while total <= cap:
        chunk = os.read(fd, min(cap + 1 - total, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > cap:
        raise Refused(f"is over {_size(cap)}, too big to read", damaged=True)
    return b"".join(chunks)


def _unreadable(error: OSError) -> Refused:
    return Refused(f"cannot be read ({error.strerror or error})", damaged=False)


def _opened_regular(path: Path, cap: int) -> tuple[int, os.stat_result]:
    """Open the regular file at `path` for reading; return the descriptor and the file's status."""
    try:
        expected = _regular_file(path)
        if expected.st_size > cap:
            raise Refused(f"is over {_size(cap)}, too big to read", damaged=True)
        return os.open(path, _OPEN_FLAGS), expected
    except (FileNotFoundError, Refused):
        raise
    except OSError as error:
        raise _unreadable(error) from None


def read_bytes(path: Path, cap: int) -> bytes:
    """Return the bytes of the regular file at `path`; refuse anything else, or over `cap` bytes."""
    fd, expected = _opened_regular(path, cap)
    try:
        opened = os.fstat(fd)  # the same regular file we looked at, not one swapped in since
        same = (opened.st_dev, opened.st_ino) == (expected.st_dev, expected.st_ino) or not opened.st_ino
        if not stat.S_ISREG(opened.st_mode) or not same:
            raise Refused("was changed while it was being opened; try again", damaged=False)
        return _read_capped(fd, cap)
    except Refused:
        raise
    except OSError as error:
        raise _unreadable(error) from None
    finally:
        os.close(fd)


def read_text(path: Path, cap: int) -> str:
    """Return the UTF-8 (or, after its byte-order mark, UTF-16) text of the regular file at `path`.

    Raises FileNotFoundError when there is no file, and Refused (an OSError) with a short
    reason for anything that is not a regular file, is over `cap` bytes, cannot be read or is
    not UTF-8.
    """
    data = read_bytes(Path(path), cap)
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Notepad's "Unicode"
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise Refused(f"is not UTF-8 text (a bad byte at offset {error.start}); save it as UTF-8",
                      damaged=True, where=f"line {line}") from None
