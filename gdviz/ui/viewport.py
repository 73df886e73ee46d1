"""Where the map sits on screen: converting between world coordinates and pixels.

2-D levels are drawn top-down with equal scale on both axes, so a circle stays a circle;
the view box is widened along one axis to fill the play area. 1-D levels are drawn
side-on: x across, the loss upwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

Rect = tuple[int, int, int, int]


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
        """Map world points of shape (..., 2) to pixel coordinates (y grows downwards)."""
        pts = np.asarray(points, dtype=float)
        sx, sy = self.scale
        px = self.rect[0] + (pts[..., 0] - self.xlim[0]) * sx
        py = self.rect[1] + (self.ylim[1] - pts[..., 1]) * sy
        return np.stack([px, py], axis=-1)

    def to_world(self, pixel: Sequence[float]) -> np.ndarray:
        """Map one pixel position back to world coordinates."""
        sx, sy = self.scale
        x = self.xlim[0] + (pixel[0] - self.rect[0]) / sx
        y = self.ylim[1] - (pixel[1] - self.rect[1]) / sy
        return np.array([x, y])

    def moved(self, dx: float, dy: float) -> "Viewport":
        """Return the same rectangle looking at a world box moved by (dx, dy), at the same scale."""
        return Viewport(self.rect, (self.xlim[0] + dx, self.xlim[1] + dx), (self.ylim[0] + dy, self.ylim[1] + dy))

    def contains_pixel(self, pixel: Sequence[float]) -> bool:
        """Return whether a pixel lies inside the map rectangle."""
        left, top, width, height = self.rect
        return left <= pixel[0] < left + width and top <= pixel[1] < top + height

    def pixel_grid(self) -> tuple[np.ndarray, np.ndarray]:
        """Return world x of each pixel column and world y of each pixel row (pixel centres)."""
        width, height = self.size
        xs = self.xlim[0] + (np.arange(width) + 0.5) * (self.xlim[1] - self.xlim[0]) / width
        ys = self.ylim[1] - (np.arange(height) + 0.5) * (self.ylim[1] - self.ylim[0]) / height
        return xs, ys


def fit_equal(bounds: Sequence[tuple[float, float]], rect: Rect) -> Viewport:
    """Return a viewport showing `bounds` at equal x/y scale, widened to fill `rect`."""
    (x0, x1), (y0, y1) = bounds
    width, height = max(rect[2], 1), max(rect[3], 1)
    per_pixel = max((x1 - x0) / width, (y1 - y0) / height)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = per_pixel * width / 2, per_pixel * height / 2
    return Viewport(rect, (cx - half_w, cx + half_w), (cy - half_h, cy + half_h))


def fit_side_on(xlim: tuple[float, float], values: np.ndarray, rect: Rect,
                margin: float = 0.12) -> Viewport:
    """Return a side-on viewport for a 1-D curve whose heights over xlim are `values`."""
    finite = values[np.isfinite(values)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (-1.0, 1.0)
    pad = max(hi - lo, 1e-9) * margin
    return Viewport(rect, (float(xlim[0]), float(xlim[1])), (lo - pad, hi + pad))
