"""The game as a process: stopping cleanly on signals, and starting SDL's video quietly.

A supervisor stops the game with SIGTERM, a closed terminal with SIGHUP, a person with Ctrl+C.
The first of them lets the frame being drawn finish, so --screenshot and --gif are written from
a whole picture; a second one stops at once (Stop). A video driver that fails to start prints
its own lines from C; `quiet_stderr` holds them so the game can say what went wrong in one.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import tempfile


@contextlib.contextmanager
def quiet_stderr():
    """Hold back what C libraries write to file descriptor 2 (not only Python's sys.stderr);
    yield a list that receives those lines, so the caller can fold them into one message."""
    lines: list[str] = []
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real descriptor 2 (some test runners, pythonw): nothing to hold
        yield lines
        return
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            yield lines
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            held.seek(0)
            lines += [line.strip() for line in held.read(4096).decode("utf-8", "replace").splitlines() if line.strip()]


class Stop(BaseException):
    """Raised by a second stop signal (SIGTERM, SIGHUP, Ctrl+C) so the loop ends at once.

    A BaseException, like KeyboardInterrupt, so the crash recovery (which catches Exception)
    never mistakes a supervisor's stop for a bug and carries on.
    """


STOP_SIGNALS = ("SIGTERM", "SIGHUP", "SIGINT")  # a supervisor's stop, a closed terminal, Ctrl+C
_STOP_ASKED = [False]  # set by the first stop signal; the loop ends after the frame it is in


def stop_asked() -> bool:
    """Return whether a stop signal has arrived."""
    return _STOP_ASKED[0]


def stop_on_sigterm() -> None:
    """Make SIGTERM, SIGHUP and Ctrl+C end the game cleanly: exit 0, with --screenshot and --gif
    saved from a whole frame. The first signal lets the frame being drawn finish (stopping in
    the middle of it saved half a picture); a second one stops at once."""
    def handler(signum, frame):  # noqa: ARG001 - the signal API's signature
        if _STOP_ASKED[0]:
            raise Stop()
        _STOP_ASKED[0] = True

    for name in STOP_SIGNALS:
        if hasattr(signal, name):  # Windows has no SIGHUP
            try:
                signal.signal(getattr(signal, name), handler)
            except ValueError:
                pass  # not the main thread (e.g. inside some test runners): nothing to install
