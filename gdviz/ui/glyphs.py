"""Drawing the things on the map: balls, trails, arrows, squares, status marks.

Every function draws onto the pygame Surface it is given, in pixel coordinates.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pygame

from gdviz.ui import theme

Colour = tuple[int, int, int]


def draw_ball(target: pygame.Surface, centre: Sequence[float], colour: Colour, radius: int,
              selected: bool = False, number: str = "") -> None:
    """Draw a ball: a dark outline so it shows on any terrain, its number inside, a ring when selected.

    The number is black or white, whichever stands out more on `colour`, so balls can be
    told apart in grey-scale and by colour-blind eyes too.
    """
    x, y = int(round(centre[0])), int(round(centre[1]))
    if selected:
        pygame.draw.circle(target, theme.RING, (x, y), radius + 6, 2)
    pygame.draw.circle(target, theme.OUTLINE, (x, y), radius + 2)
    pygame.draw.circle(target, colour, (x, y), radius)
    if number:
        image = _number_image(number, radius, theme.ink_on(colour))
        target.blit(image, image.get_rect(center=(x, y)))
    else:
        pygame.draw.circle(target, (255, 255, 255), (x - radius // 3, y - radius // 3), max(radius // 4, 1))


@lru_cache(maxsize=128)
def _number_image(text: str, radius: int, ink: Colour) -> pygame.Surface:
    """The number as tightly cropped bold digits, as big as fit inside a ball of `radius`."""
    size = max(int(radius * 1.5), 6)
    while True:
        image = theme.font_for_language("en", size, bold=True).render(text, True, ink)
        image = image.subsurface(image.get_bounding_rect()).copy()
        if size <= 6 or (image.get_width() <= radius * 1.6 and image.get_height() <= radius * 1.3):
            return image
        size -= 1


def draw_ghost(target: pygame.Surface, centre: Sequence[float], colour: Colour, radius: int) -> None:
    """Draw a hollow ghost ball: where the ball is about to go."""
    x, y = int(round(centre[0])), int(round(centre[1]))
    pygame.draw.circle(target, theme.OUTLINE, (x, y), radius + 2, 3)
    pygame.draw.circle(target, colour, (x, y), radius, 2)


def draw_trail(target: pygame.Surface, points: np.ndarray, colour: Colour, width: int) -> None:
    """Draw a ball's path through pixel points of shape (k, 2), dark-edged for contrast."""
    if len(points) < 2:
        return
    from gdviz.ui.hud import thin_polyline

    # A 2-pixel grid is finer than the line is wide, and halves the points of a slow trail.
    pts = thin_polyline(np.clip(points, -30000, 30000), grid=2.0)
    if len(pts) < 2:
        return
    pygame.draw.lines(target, theme.OUTLINE, False, pts, width + 2)
    pygame.draw.lines(target, colour, False, pts, width)
    for p in pts[-60::12]:
        pygame.draw.circle(target, colour, (int(p[0]), int(p[1])), max(width - 1, 1))


def _segments(start: Sequence[float], end: Sequence[float], dashed: bool, broken: bool) -> list[tuple]:
    """The pieces of an arrow's shaft: whole, dashed (stretched to be seen) or cut by a break mark."""
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    if broken:
        return [((x0, y0), (x0 + dx * 0.4, y0 + dy * 0.4)), ((x0 + dx * 0.52, y0 + dy * 0.52), (x1, y1))]
    if not dashed:
        return [((x0, y0), (x1, y1))]
    length = math.hypot(dx, dy)
    step = max(length / 7.0, 3.0)
    pieces, t0 = [], 0.0
    while t0 < length:
        a, b = t0 / length, min(t0 + step * 0.6, length) / length
        pieces.append(((x0 + dx * a, y0 + dy * a), (x0 + dx * b, y0 + dy * b)))
        t0 += step
    return pieces


def _head(end: Sequence[float], angle: float, size: float, spread: float = 0.45) -> list[tuple[float, float]]:
    return [(end[0], end[1]), *[(end[0] - size * math.cos(angle - s), end[1] - size * math.sin(angle - s))
                                for s in (spread, -spread)]]


def draw_arrow(target: pygame.Surface, start: Sequence[float], vector: Sequence[float], colour: Colour,
               width: int, *, dashed: bool = False, broken: bool = False, skip: float = 0.0) -> None:
    """Draw an arrow from `start` along the pixel `vector`, exactly as long as given.

    A dark edge keeps it visible on any terrain. `dashed` marks an arrow drawn longer than
    its true length (too short to see otherwise); `broken` puts a break mark in an arrow
    drawn shorter than its true length (too long for the map). `skip` leaves out the first
    pixels of the shaft (under the ball it starts from), so a dashed shaft shows its dashes.
    """
    sx, sy, vx, vy = float(start[0]), float(start[1]), float(vector[0]), float(vector[1])
    length = math.hypot(vx, vy)
    if not math.isfinite(length) or length == 0:
        return
    angle = math.atan2(vy, vx)
    head = min(max(width * 4.0, 8.0), length * 0.5)
    back = 1 - head * 0.6 / length  # the shaft stops inside the head, so its end stays sharp
    first = min(skip / length, back * 0.5)
    pieces = _segments((sx + vx * first, sy + vy * first), (sx + vx * back, sy + vy * back), dashed, broken)
    for w, c in ((width + 2, theme.OUTLINE), (width, colour)):
        for a, b in pieces:
            pygame.draw.line(target, c, a, b, w)
    end = (sx + vx, sy + vy)
    pygame.draw.polygon(target, theme.OUTLINE, _head(end, angle, head + 1.5))
    pygame.draw.polygon(target, colour, _head((end[0] - vx / length, end[1] - vy / length), angle, head * 0.8, 0.4))
    if broken:
        _draw_break(target, (sx + vx * 0.46, sy + vy * 0.46), angle, width)


def _draw_break(target: pygame.Surface, centre: Sequence[float], angle: float, width: int) -> None:
    """Two short slanted strokes across the gap: this arrow is longer than drawn."""
    ax, ay = math.cos(angle + 1.1) * (width * 2 + 5), math.sin(angle + 1.1) * (width * 2 + 5)
    for k in (-1, 1):
        cx, cy = centre[0] + k * math.cos(angle) * (width + 2), centre[1] + k * math.sin(angle) * (width + 2)
        pygame.draw.line(target, theme.OUTLINE, (cx - ax, cy - ay), (cx + ax, cy + ay), 4)
        pygame.draw.line(target, theme.RING, (cx - ax, cy - ay), (cx + ax, cy + ay), 2)


def draw_thin_arrow(target: pygame.Surface, start: Sequence[float], vector: Sequence[float], colour: Colour) -> None:
    """Draw a thin helper arrow with no edge (a slope's x and y parts)."""
    begin, vec = np.asarray(start, dtype=float), np.asarray(vector, dtype=float)
    length = float(np.hypot(*vec))
    if not math.isfinite(length) or length < 1:
        return
    end = begin + vec
    pygame.draw.line(target, colour, begin, end, 1)
    pygame.draw.polygon(target, colour, _head(end, math.atan2(vec[1], vec[0]), min(6.0, length * 0.5)))


def draw_square(target: pygame.Surface, corner: Sequence[float], side: float, colour: Colour,
                towards: tuple[int, int], broken: bool = False) -> pygame.Rect:
    """Draw a translucent square of `side` px with one corner at `corner`, growing `towards`.

    A dark outer edge and a bright inner edge keep it readable on any terrain; `broken`
    cuts the far corner off (the square is bigger than drawn). Return where it was drawn.
    """
    side = int(min(max(side, 3), 4000))
    x = corner[0] if towards[0] > 0 else corner[0] - side
    y = corner[1] if towards[1] > 0 else corner[1] - side
    target.blit(_square_patch(side, tuple(colour)), (int(x), int(y)))
    rect = pygame.Rect(int(x), int(y), side, side)
    if broken:
        far = (rect.right if towards[0] > 0 else rect.left, rect.bottom if towards[1] > 0 else rect.top)
        _draw_break(target, np.array(far, dtype=float) - np.array(towards) * 6, math.atan2(towards[1], towards[0]), 2)
    return rect


@lru_cache(maxsize=32)
def _square_patch(side: int, colour: Colour) -> pygame.Surface:
    patch = pygame.Surface((side, side), pygame.SRCALPHA)
    patch.fill((*colour, 60))
    pygame.draw.rect(patch, (*theme.OUTLINE, 255), patch.get_rect(), 3)
    pygame.draw.rect(patch, (*colour, 255), patch.get_rect().inflate(-4, -4), 1)
    return patch


def draw_burst(target: pygame.Surface, centre: Sequence[float], colour: Colour, radius: int) -> None:
    """Draw a star burst: this ball flew off the map here."""
    x, y = float(centre[0]), float(centre[1])
    points = []
    for i in range(16):
        r = radius * (2.2 if i % 2 == 0 else 1.0)
        a = i * math.pi / 8
        points.append((x + r * math.cos(a), y + r * math.sin(a)))
    pygame.draw.polygon(target, theme.OUTLINE, points, 0)
    pygame.draw.polygon(target, theme.BAD, points, 2)
    pygame.draw.circle(target, colour, (int(x), int(y)), max(radius // 2, 2))


def draw_calm(target: pygame.Surface, centre: Sequence[float], radius: int) -> None:
    """Draw a calm ring around a ball that has settled (converged)."""
    pygame.draw.circle(target, theme.GOOD, (int(centre[0]), int(centre[1])), radius + 5, 2)


def draw_no_slope(target: pygame.Surface, centre: Sequence[float], radius: int) -> None:
    """Draw a dashed ring and a "?" badge on a ball stopped where the surface has no slope."""
    x, y = float(centre[0]), float(centre[1])
    ring = radius + 5
    for i in range(10):
        arc = [(x + ring * math.cos(a), y + ring * math.sin(a)) for a in np.linspace(i, i + 0.5, 4) * math.pi / 5]
        pygame.draw.lines(target, theme.OUTLINE, False, arc, 4)
        pygame.draw.lines(target, theme.RING, False, arc, 2)
    badge, small = (int(x + ring * 0.85), int(y - ring * 0.85)), max(int(radius * 0.85), 6)
    pygame.draw.circle(target, theme.OUTLINE, badge, small + 2)
    pygame.draw.circle(target, theme.RING, badge, small)
    image = _number_image("?", small, theme.OUTLINE)
    target.blit(image, image.get_rect(center=badge))


def draw_flag(target: pygame.Surface, centre: Sequence[float], radius: int) -> None:
    """Draw a little flag on a ball that reached the goal."""
    x, y = int(centre[0]), int(centre[1])
    top = y - radius * 3
    pygame.draw.line(target, theme.OUTLINE, (x, y), (x, top), 4)
    pygame.draw.line(target, theme.RING, (x, y), (x, top), 2)
    pygame.draw.polygon(target, theme.GOAL, [(x + 1, top), (x + radius * 2, top + radius // 2 + 2),
                                             (x + 1, top + radius + 3)])


def draw_goal(target: pygame.Surface, centre: Sequence[float], radius_px: float) -> None:
    """Draw the target region as a dashed green ring."""
    cx, cy = float(centre[0]), float(centre[1])
    r = max(radius_px, 6.0)
    for i in range(24):
        a0, a1 = i * math.pi / 12, (i + 0.55) * math.pi / 12
        p0 = (cx + r * math.cos(a0), cy + r * math.sin(a0))
        p1 = (cx + r * math.cos(a1), cy + r * math.sin(a1))
        pygame.draw.line(target, theme.OUTLINE, p0, p1, 5)
        pygame.draw.line(target, theme.GOAL, p0, p1, 3)


def draw_dots(target: pygame.Surface, points: np.ndarray, colour: Colour) -> None:
    """Draw many 2×2 dots at pixel points (n, 2) at once, without a Python loop per dot."""
    width, height = target.get_size()
    xy = np.round(points).astype(np.int64)
    keep = (xy[:, 0] >= 0) & (xy[:, 0] < width - 1) & (xy[:, 1] >= 0) & (xy[:, 1] < height - 1)
    xs, ys = xy[keep, 0], xy[keep, 1]
    pixels = pygame.surfarray.pixels3d(target)
    for dx in (0, 1):
        for dy in (0, 1):
            pixels[xs + dx, ys + dy] = colour
    del pixels  # release the surface lock
