"""Finding room over the map for cards and banners, away from what the lesson is about.

The briefing card, the win strip, the pause label, messages and the optimizer key all sit
over the map, and each asks here where to go. `Keepout` lists what must stay in sight —
the balls (the selected one above all), the goal's ring and the balls' paths — as weighted
discs in pixels. `Edges` stacks banners along the map's top and bottom edges so none
overlaps another, putting each on the edge where it covers least; `freest_corner` finds the
corner where a card covers least and stands farthest from the balls and the goal.

Labels written on the map (ball names, the numbers at arrow tips) go to the first of their
candidate places that lies wholly inside the map and covers nothing already `taken`
(`first_free`): the caller lists places best first and records where each label went.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pygame

MARGIN = 12  # pixels between a banner and the map's edge
GAP = 6  # pixels between two banners on the same edge
SELECTED_WEIGHT = 1000.0  # what covering each thing costs: the selected ball most of all
BALL_WEIGHT = 100.0
GOAL_WEIGHT = 20.0
PATH_WEIGHT = 1.0


def edge_box(area: pygame.Rect, size: tuple[int, int], align: str, edge: str) -> pygame.Rect:
    """A box of `size` inside `area`, MARGIN from its `edge` ("top" or "bottom"), aligned
    "left", "centre" or "right"."""
    rect = pygame.Rect((0, 0), size)
    rect.x = {"left": area.x + MARGIN, "centre": area.centerx - rect.width // 2,
              "right": area.right - MARGIN - rect.width}[align]
    if edge == "top":
        rect.top = area.top + MARGIN
    else:
        rect.bottom = area.bottom - MARGIN
    return rect


@dataclass(frozen=True)
class Keepout:
    """Discs that cards and banners should not cover: rows of (x, y, radius, weight) in pixels."""

    discs: np.ndarray

    @staticmethod
    def of(points: np.ndarray, radius: float, weight: float) -> "Keepout":
        """Return discs of one radius and weight around pixel `points` (n, 2); non-finite ones are left out."""
        points = np.asarray(points, dtype=float).reshape(-1, 2)
        points = points[np.isfinite(points).all(axis=1)]
        rows = np.column_stack([points, np.full(len(points), float(radius)), np.full(len(points), float(weight))])
        return Keepout(rows)

    @staticmethod
    def of_rects(rects: Sequence[pygame.Rect], weight: float) -> Keepout:
        """Return discs covering each of `rects` (labels: wide and low), one per square of its height."""
        rows = []
        for rect in rects:
            side = max(rect.height, 1)
            count = max(int(np.ceil(rect.width / side)), 1)
            for x in np.linspace(rect.left + side / 2, rect.right - side / 2, count) if count > 1 else [rect.centerx]:
                rows.append((float(x), float(rect.centery), side * 0.71, float(weight)))
        return Keepout(np.array(rows, dtype=float).reshape(-1, 4))

    @staticmethod
    def join(parts: Sequence["Keepout"]) -> "Keepout":
        return Keepout(np.concatenate([p.discs for p in parts]) if parts else np.zeros((0, 4)))

    def _gaps(self, rect: pygame.Rect) -> np.ndarray:
        """Return, per disc, how far its edge is from `rect` (negative: they overlap)."""
        x, y, radius = self.discs[:, 0], self.discs[:, 1], self.discs[:, 2]
        dx = np.maximum(np.maximum(rect.left - x, x - rect.right), 0.0)
        dy = np.maximum(np.maximum(rect.top - y, y - rect.bottom), 0.0)
        return np.hypot(dx, dy) - radius

    def cost(self, rect: pygame.Rect) -> float:
        """Return the total weight of the discs `rect` touches."""
        return float(self.discs[self._gaps(rect) < 0, 3].sum())

    def blocks(self, rect: pygame.Rect, weight: float = BALL_WEIGHT) -> bool:
        """Return whether `rect` touches any disc of at least `weight` (a ball, a ball's name)."""
        return bool((self._gaps(rect)[self.discs[:, 3] >= weight] < 0).any())

    def clearance(self, rect: pygame.Rect, weight: float = GOAL_WEIGHT) -> float:
        """Return how far `rect` stands from the nearest disc of at least `weight` (balls, the goal)."""
        gaps = self._gaps(rect)[self.discs[:, 3] >= weight]
        return float(gaps.min()) if gaps.size else float("inf")


class Edges:
    """Banners along the top and bottom edges of `area`: each goes where it covers least and
    never on top of one placed before it."""

    def __init__(self, area: pygame.Rect, keepout: Keepout) -> None:
        self.area, self.keepout = area, keepout
        self.taken: list[pygame.Rect] = []

    def reserve(self, rect: pygame.Rect) -> None:
        """Keep banners off `rect` (a card placed some other way)."""
        self.taken.append(rect)

    def place(self, size: tuple[int, int], align: str = "left",
              edges: Sequence[str] = ("top", "bottom")) -> pygame.Rect:
        """Return a place for a banner of `size` on the best of `edges` (the first on a tie), and take it.

        `align` is "left", "centre" or "right"; a banner already on that edge pushes it inwards.
        """
        options = [self._at(size, align, edge) for edge in edges]
        best = min(options, key=self.keepout.cost)
        self.taken.append(best)
        return best

    def _at(self, size: tuple[int, int], align: str, edge: str) -> pygame.Rect:
        rect = edge_box(self.area, size, align, edge)
        while (hit := rect.collidelist(self.taken)) >= 0:
            other = self.taken[hit]
            if edge == "top":
                rect.top = other.bottom + GAP
            else:
                rect.bottom = other.top - GAP
        return rect


def freest_corner(area: pygame.Rect, size: tuple[int, int], keepout: Keepout) -> tuple[pygame.Rect, float]:
    """Return the corner of `area` where a card of `size` covers least (then: stands farthest from
    the balls and the goal), and what it covers there."""
    inner = area.inflate(-2 * MARGIN, -2 * MARGIN)
    options = []
    for corner in ("topleft", "topright", "bottomleft", "bottomright"):
        rect = pygame.Rect((0, 0), size)
        setattr(rect, corner, getattr(inner, corner))
        options.append(rect)
    best = min(options, key=lambda r: (keepout.cost(r), -keepout.clearance(r)))
    return best, keepout.cost(best)


def first_free(options: Iterable[pygame.Rect], area: pygame.Rect, taken: Sequence[pygame.Rect]) -> pygame.Rect | None:
    """Return the first of `options` wholly inside `area` that covers none of `taken` (None if none does)."""
    for rect in options:
        if area.contains(rect) and rect.collidelist(taken) < 0:
            return rect
    return None


def box_places(area: pygame.Rect, size: tuple[int, int], strips: Sequence[pygame.Rect] = ()) -> list[pygame.Rect]:
    """Return the places a card of `size` may take in `area`: its corners, then the corners of what
    `strips` (the axes' numbered edges) leave of it."""
    inner = area.inflate(-2 * MARGIN, -2 * MARGIN)
    areas = [inner]
    clear = inner.copy()
    for strip in strips:
        if strip.height >= strip.width:  # a strip along the left edge
            shift = max(strip.right - clear.left, 0)
            clear = pygame.Rect(clear.x + shift, clear.y, clear.width - shift, clear.height)
        else:  # one along the bottom edge
            clear.height = min(clear.height, strip.top - clear.top)
    if clear != inner and clear.width >= size[0] and clear.height >= size[1]:
        areas.append(clear)
    options = []
    for room in areas:
        for corner in ("topleft", "topright", "bottomleft", "bottomright"):
            rect = pygame.Rect((0, 0), size)
            setattr(rect, corner, getattr(room, corner))
            options.append(rect)
    return options
