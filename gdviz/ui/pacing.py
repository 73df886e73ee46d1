"""Showing frames cheaply: push only the pixels that changed, and rest when nothing moves.

A whole-window `pygame.display.flip()` costs more than drawing the frame at 1920×1080 on an
X server (about 7 ms against 5 ms, measured with `python -m gdviz.bench`), and a kiosk that
flips a still picture 60 times a second burns a CPU core all day. Two small parts fix that:

* `FramePusher` compares the new frame with the last one it pushed, tile by tile (a few
  numpy comparisons, about 1 ms at 1080p), and sends only the changed tiles to the display.
  It needs no promise from the drawing code about what it changed, so nothing stale can
  stay on screen: what differs is pushed, whatever drew it.
* `Pacer` keeps a steady frame rate from a deadline (not from Clock.tick's whole
  milliseconds, which make 60 fps into 58.8), and after half a second without a changed
  pixel it drops to a few frames a second — still waking at once when input arrives.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pygame

TILE = 64  # px: small enough that a moving ball pushes little, large enough to stay cheap
IDLE_AFTER_SECONDS = 0.5  # this long without a changed pixel and the game rests
IDLE_FPS = 4  # frames a second while resting: a clock or countdown starting is seen soon
INPUT_POLL_SECONDS = 0.02  # while resting, look for input this often (input latency ≤ 20 ms)


class FramePusher:
    """Send to the display only the tiles of the window that changed since the last push."""

    def __init__(self, tile: int = TILE) -> None:
        self.tile = tile
        self._last: np.ndarray | None = None  # the pixels as last pushed, shape (width, height)
        self.force_full = True  # the first frame, and after a resize or an expose, goes whole

    def changed_rects(self, surface: pygame.Surface) -> list[pygame.Rect] | None:
        """Return the rectangles that differ from the last push, or None when all must go.

        Also remembers the new pixels, so call it once per shown frame. A surface that is
        not 32 bits per pixel is always pushed whole (None).
        """
        if surface.get_bitsize() != 32:
            self._last = None
            return None
        pixels = pygame.surfarray.pixels2d(surface)
        try:
            if self.force_full or self._last is None or self._last.shape != pixels.shape:
                self._last = np.array(pixels)
                self.force_full = False
                return None
            rects = self._diff(pixels)
            np.copyto(self._last, pixels)  # a plain copy costs ~0.15 ms at 1080p
        finally:
            del pixels  # release the surface lock before anyone blits or flips
        return rects

    def _diff(self, pixels: np.ndarray) -> list[pygame.Rect]:
        tile = self.tile
        width, height = pixels.shape
        xs, ys = np.arange(0, width, tile), np.arange(0, height, tile)
        differs = pixels != self._last
        per_tile = np.logical_or.reduceat(np.logical_or.reduceat(differs, xs, axis=0), ys, axis=1)
        return _row_runs(per_tile, tile, width, height)

    def push(self, surface: pygame.Surface) -> int:
        """Show `surface`'s changes on the display; return how many pixels were sent."""
        rects = self.changed_rects(surface)
        if rects is None:
            pygame.display.flip()
            return surface.get_width() * surface.get_height()
        if rects:
            pygame.display.update(rects)
        return sum(r.width * r.height for r in rects)


def _row_runs(per_tile: np.ndarray, tile: int, width: int, height: int) -> list[pygame.Rect]:
    """Join changed tiles into horizontal runs, one rectangle per run (fewer, larger pushes)."""
    rects = []
    for row in range(per_tile.shape[1]):
        column = per_tile[:, row]
        if not column.any():
            continue
        edges = np.flatnonzero(np.diff(np.concatenate(([0], column.astype(np.int8), [0]))))
        top = row * tile
        tall = min(tile, height - top)
        for start, stop in zip(edges[::2], edges[1::2]):
            left = int(start) * tile
            rects.append(pygame.Rect(left, top, min(int(stop) * tile, width) - left, tall))
    return rects


class Pacer:
    """Wait for the next frame: steady at `fps` while things change, slow while all is still.

    `clock` and `sleep` are time.perf_counter and time.sleep unless a test passes others;
    `pending` says whether input is waiting (pygame.event.peek in the game).
    """

    def __init__(self, fps: int, pending: Callable[[], bool],
                 clock: Callable[[], float] = time.perf_counter,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.period = 1.0 / fps
        self.pending, self.clock, self.sleep = pending, clock, sleep
        self.still_since: float | None = None  # when the picture last stopped changing
        self.restart()

    def restart(self) -> None:
        """Count the next frame from now."""
        self.last = self.clock()
        self.deadline = self.last + self.period

    @property
    def resting(self) -> bool:
        """True once nothing has changed on screen for IDLE_AFTER_SECONDS."""
        return self.still_since is not None and self.last - self.still_since >= IDLE_AFTER_SECONDS

    def shown(self, changed: bool) -> None:
        """Record whether the frame just shown changed any pixel."""
        if changed:
            self.still_since = None
        elif self.still_since is None:
            self.still_since = self.last

    def wake(self) -> None:
        """Leave the resting state at once (a scene changed, recording started …)."""
        self.still_since = None

    def wait(self) -> float:
        """Sleep until the next frame is due; return the real seconds since the last frame."""
        if self.resting:
            self._rest()
        else:
            self._until(self.deadline)
        now = self.clock()
        dt = now - self.last
        self.last = now
        # Keep to the beat, but never try to catch up on frames lost to a slow one.
        self.deadline += self.period
        if self.deadline < now:
            self.deadline = now + self.period
        return dt

    def _until(self, deadline: float) -> None:
        left = deadline - self.clock()
        if left > 0:
            self.sleep(left)

    def _rest(self) -> None:
        wake_at = self.last + 1.0 / IDLE_FPS
        while not self.pending():
            left = wake_at - self.clock()
            if left <= 0:
                return
            self.sleep(min(left, INPUT_POLL_SECONDS))
