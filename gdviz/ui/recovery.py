"""Recovering from a bug without hiding it, and giving up when recovering does not help.

An exhibit must not stop for one bug: the game logs it and starts again at the title. But a
fault that happens on every frame (a broken font, a full disk under a cache) would then
restart the title sixty times a second for ever — a black screen, a log that rotates the
first, useful traceback away within a minute, and a process that never exits, so the
supervisor that could restart it cleanly never does. `Recovery` tells the two apart: more
than MAX_RECOVERIES in WINDOW_SECONDS is a crash loop, which ends the process with
CRASH_LOOP_STATUS and one clear line. A traceback seen before is not written again: the log
gets a one-line count instead, at the 2nd, 4th, 8th … repeat and when the game ends.
"""

from __future__ import annotations

import time
import traceback
from collections import deque
from collections.abc import Callable
from logging import Logger

MAX_RECOVERIES = 5  # more restarts than this within WINDOW_SECONDS is a crash loop
WINDOW_SECONDS = 30.0
CRASH_LOOP_STATUS = 3  # the exit status of a crash loop; 1 and 2 mean other things (see cli)


def signature(error: BaseException) -> tuple:
    """Return what makes two errors 'the same': their type, message and the line that raised
    them (not the whole call stack: one broken text function fails under every scene)."""
    frames = traceback.extract_tb(error.__traceback__)
    raised_at = (frames[-1].filename, frames[-1].lineno) if frames else None
    return type(error).__name__, str(error), raised_at


def _again(count: int) -> str:
    return f"the same error again ({count} time{'s' if count != 1 else ''} since it was logged)"


class Recovery:
    """Count recoveries: log each new error once, count repeats, and say when to give up.

    `logger` returns where lines go (kiosk.crash_logger in the game: the log file is only
    made once there is something to say); `clock` gives seconds (time.monotonic unless a
    test passes another).
    """

    def __init__(self, logger: Callable[[], Logger], clock: Callable[[], float] = time.monotonic,
                 limit: int = MAX_RECOVERIES, window: float = WINDOW_SECONDS) -> None:
        self.logger, self.clock = logger, clock
        self.limit, self.window = limit, window
        self._times: deque[float] = deque()
        self._last: tuple | None = None
        self._repeats = 0  # how many times the last logged error came again since it was logged

    def record(self, error: BaseException, where: str) -> bool:
        """Log `error` (raised in `where`); return True when the game should give up now."""
        now = self.clock()
        self._times.append(now)
        while self._times and now - self._times[0] > self.window:
            self._times.popleft()
        if signature(error) == self._last:
            self._count_repeat()
        else:
            self.flush()
            self._last = signature(error)
            text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
            self.logger().error("unexpected error in %s; restarting at the title\n%s", where, text)
        if len(self._times) > self.limit:
            self.flush()
            self.logger().error("giving up: %d errors within %.0f s, restarting does not help; exiting with "
                              "status %d so that a supervisor can start gdviz afresh",
                              len(self._times), self.window, CRASH_LOOP_STATUS)
            return True
        return False

    def _count_repeat(self) -> None:
        self._repeats += 1
        if self._repeats & (self._repeats - 1) == 0:  # 1, 2, 4, 8 …: a few lines, however long it runs
            self.logger().error("%s", _again(self._repeats))

    def flush(self) -> None:
        """Write the final count of the last error's repeats, if the log does not have it yet."""
        if self._repeats and self._repeats & (self._repeats - 1):
            self.logger().error("%s", _again(self._repeats))
        self._repeats = 0
