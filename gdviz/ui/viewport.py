"""Where the map sits on screen: converting between world coordinates and pixels.

2-D levels are drawn top-down with equal scale on both axes, so a circle stays a circle;
the view box is widened along one axis to fill the play area. 1-D levels are drawn
side-on: x across, the loss upwards.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

Rect = tuple[int, int, int, int]

FAR_PIXELS = 1e6  # pixel coordinates are clipped to ±this: far off any screen, yet safe to draw at


@dataclass(frozen=True)
class Viewport:
    """A world box (xlim × ylim) shown in a pixel rectangle (left, top, width, height)."""

    rect: Rect
    xlim: tuple[float, float]
    ylim: tuple[float, float]

    @property
    def size(self) -> tuple[int, int]:
        return self.rect[2], self.rect[3]

    @property
    def scale(self) -> tuple[float, float]:
        """Return pixels per world unit along x and y."""
        return (self.rect[2] / (self.xlim[1] - self.xlim[0]),
                self.rect[3] / (self.ylim[1] - self.ylim[0]))

    def to_screen(self, points: np.ndarray) -> np.ndarray:
        """Map world points of shape (..., 2) to pixel coordinates (y grows downwards).

        A point far off the map (at 1e308, or inf) comes back at most FAR_PIXELS away, never
        inf, so whatever is drawn there can be handed to pygame; nan stays nan.
        """
        pts = np.asarray(points, dtype=float)
        sx, sy = self.scale
        with np.errstate(over="ignore", invalid="ignore"):
            px = self.rect[0] + (pts[..., 0] - self.xlim[0]) * sx
            py = self.rect[1] + (self.ylim[1] - pts[..., 1]) * sy
        return np.clip(np.stack([px, py], axis=-1), -FAR_PIXELS, FAR_PIXELS)

    def to_world(self, pixel: Sequence[float]) -> np.ndarray:
        """Map one pixel position back to world coordinates."""
        sx, sy = self.scale
        x = self.xlim[0] + (pixel[0] - self.rect[0]) / sx
        y = self.ylim[1] - (pixel[1] - self.rect[1]) / sy
        return np.array([x, y])

    def moved(self, dx: float, dy: float) -> "Viewport":
        """Return the same rectangle looking at a world box moved by (dx, dy), at the same scale;
        a move that would leave the numbers a float holds (following a ball to 1e308) stays put."""
        moved = Viewport(self.rect, (self.xlim[0] + dx, self.xlim[1] + dx), (self.ylim[0] + dy, self.ylim[1] + dy))
        return moved if all(math.isfinite(s) and s > 0 for s in moved.scale) else self

    def contains_pixel(self, pixel: Sequence[float]) -> bool:
        """Return whether a pixel lies inside the map rectangle."""
        left, top, width, height = self.rect
        return left <= pixel[0] < left + width and top <= pixel[1] < top + height

    def pixel_grid(self) -> tuple[np.ndarray, np.ndarray]:
        """Return world x of each pixel column and world y of each pixel row (pixel centres)."""
        width, height = self.size
        # Per pixel first, then times the pixel count: a view 1e307 tall never overflows.
        xs = self.xlim[0] + (np.arange(width) + 0.5) * ((self.xlim[1] - self.xlim[0]) / width)
        ys = self.ylim[1] - (np.arange(height) + 0.5) * ((self.ylim[1] - self.ylim[0]) / height)
        return xs, ys


def fit_equal(bounds: Sequence[tuple[float, float]], rect: Rect) -> Viewport:
    """Return a viewport showing `bounds` at equal x/y scale, widened to fill `rect`."""
    (x0, x1), (y0, y1) = bounds
    width, height = max(rect[2], 1), max(rect[3], 1)
    per_pixel = max((x1 - x0) / width, (y1 - y0) / height)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = per_pixel * width / 2, per_pixel * height / 2
    return Viewport(rect, (cx - half_w, cx + half_w), (cy - half_h, cy + half_h))


LARGEST_SHOWN = 1e307  # the view never reaches past ±this, so the axis arithmetic stays finite
FLAT = 1e-12  # a curve that varies less than this share of its size is drawn as flat
FLAT_REACH = 0.2  # a flat curve's window reaches this share of its height above and below it


def value_window(values: np.ndarray) -> tuple[float, float]:
    """Return the lowest and highest height a side-on view must show for `values`.

    Any function gets a window of finite, distinct numbers whose difference is finite too:
    no finite value at all gives −1 to 1; values beyond ±LARGEST_SHOWN count as that (the
    curve leaves the view there); a flat curve (0, 5, or x² + 1e300, whose bumps a float
    cannot hold) gets a window reaching a fifth of its height each way, and at least 1.

    >>> value_window(np.array([5.0, 5.0])), value_window(np.array([np.nan]))
    ((4.0, 6.0), (-1.0, 1.0))
    """
    finite = np.clip(values[np.isfinite(values)], -LARGEST_SHOWN, LARGEST_SHOWN)
    if not finite.size:
        return -1.0, 1.0
    lo, hi = float(finite.min()), float(finite.max())
    size = max(abs(lo), abs(hi))
    if hi - lo <= FLAT * size or hi - lo < 1e-290:
        middle = lo / 2 + hi / 2
        half = max(abs(middle) * FLAT_REACH, 1.0)
        return middle - half, middle + half
    return lo, hi


def fit_side_on(xlim: tuple[float, float], values: np.ndarray, rect: Rect,
                margin: float = 0.12) -> Viewport:
    """Return a side-on viewport for a 1-D curve whose heights over xlim are `values`.

    Whatever the values (huge, constant, or not finite anywhere), the limits are finite and
    the scale is a finite number of pixels per unit (see value_window).
    """
    lo, hi = value_window(np.asarray(values, dtype=float))
    pad = (hi - lo) * margin
    return Viewport(rect, (float(xlim[0]), float(xlim[1])), (lo - pad, hi + pad))
