"""The numbered edges of a map: tick steps spaced by their labels' own size, and the labels.

A label is a number on a dark tab at the left or bottom edge of the map. Ticks are spaced so
that neighbouring labels never touch, at every window size and presenter scale: the step is
the smallest 1, 2 or 5 × 10ⁿ that leaves TICK_GAP label heights between two labels, measured
with the font that draws them (see `label_step`).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pygame

from gdviz.ui.theme import Look
from gdviz.ui.viewport import Viewport

TICK_SPACING = 4.5  # wanted distance between two labelled ticks, in label heights
TICK_GAP = 1.0  # the least clear space between two labels side by side, in label heights
TICK_LENGTH = 7
MAX_TICKS = 1000  # more ticks than this along one edge means the step is wrong: draw none
LABEL_PAD = 3
LABEL_BACKING = (8, 9, 14, 190)  # dark, translucent box behind each label


def nice_step(limits: tuple[float, float], pixels: int, spacing: float) -> float:
    """Return a round tick step (1, 2, 2.5 or 5 × 10^k) giving ticks about `spacing` px apart.

    >>> nice_step((-4.0, 4.0), 640, 110)
    2.0
    """
    span = abs(limits[1] / 2 - limits[0] / 2) * 2 or 1.0
    return _round_up(span / max(pixels / spacing, 1.0))


def _round_up(raw: float) -> float:
    """Return the smallest of 1, 2, 2.5, 5 × 10^k that is at least `raw` (up to 1e307)."""
    if not raw > 1e-300:
        return 1e-300
    if not raw < 1e307:
        return 1e307
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-9))


def label_step(limits: tuple[float, float], pixels: int, spacing: float,
               width_of: Callable[[str], float], gap: float) -> float:
    """Return the round step nearest `spacing` px apart whose labels, side by side, keep `gap`
    px between them; `width_of` measures a label. Labels differ in width by step ("0.25", "1").

    >>> label_step((-3.0, 3.0), 300, 40, lambda text: 12 * len(text), 12)
    1.0
    """
    step = nice_step(limits, pixels, spacing)
    per_unit = pixels / (abs(limits[1] - limits[0]) or 1.0)
    while step * per_unit < max((width_of(format_tick(v, step)) for v in tick_values(limits, step)),
                                default=0.0) + gap:
        step = _round_up(step * (1 + 1e-6))  # the next round step up
    return step


def tick_values(limits: tuple[float, float], step: float) -> np.ndarray:
    """Return every multiple of `step` inside `limits` (none if there would be over MAX_TICKS)."""
    lo, hi = sorted(limits)
    first, last = lo / step - 1e-9, hi / step + 1e-9
    if not (math.isfinite(first) and math.isfinite(last)) or last - first > MAX_TICKS:
        return np.zeros(0)
    return np.arange(math.ceil(first), math.floor(last) + 1) * step


def format_tick(value: float, step: float) -> str:
    """Write a tick value for people: "−2", "0.5", "2.5", "1e-3".

    >>> [format_tick(v, 0.25) for v in (-0.5, 0.0, 0.75)]
    ['−0.5', '0', '0.75']
    """
    if abs(value) < step * 1e-6:
        return "0"
    sign = "−" if value < 0 else ""  # a true minus sign, as wide as a plus
    if step < 1e-3 or abs(value) >= 1e5:
        # Enough digits to tell neighbours apart: 1e10 + 1 and 1e10 + 2 are not both "1e10".
        digits = min(max(2, math.ceil(math.log10(abs(value) / step) + 1e-9)), 15)
        mantissa, exponent = f"{abs(value):.{digits}e}".split("e")
        return f"{sign}{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"
    decimals = next(d for d in range(10) if abs(round(step, d) - step) < step * 1e-6)
    text = f"{abs(value):.{decimals}f}"
    # Trailing zeros go: "−1", not "−1.0", next to "−0.5".
    return sign + (text.rstrip("0").rstrip(".") if "." in text else text)


def _label(image: pygame.Surface, look: Look, text: str, pos: tuple[float, float], edge: str) -> pygame.Rect | None:
    """Draw a tick at `pos` on the "left" or "bottom" edge, with its value on a dark tab.

    Return the tab's rectangle, or None when it would not fit inside the image.
    """
    words = look.font(look.label_size(image.get_height())).render(text, True, look.colours.text)
    w, h = words.get_width() + 2 * LABEL_PAD, words.get_height()
    x, y = round(pos[0]), round(pos[1])
    if edge == "left":
        # The number sits on a line at its height; a short tick beside it would read as a minus.
        tab = pygame.Rect(0, y - h, w + LABEL_PAD, h + 1)
        tick = ((0, y), (tab.right - 1, y))
    else:  # the number above, its tick below it
        tab = pygame.Rect(x - w // 2, image.get_height() - h - TICK_LENGTH, w, h + TICK_LENGTH)
        tick = ((x, tab.bottom - 1), (x, tab.bottom - TICK_LENGTH))
    if not image.get_rect().contains(tab):
        return None
    backing = pygame.Surface(tab.size, pygame.SRCALPHA)
    backing.fill(LABEL_BACKING)
    image.blit(backing, tab)
    pygame.draw.line(image, look.colours.text, *tick, 2)
    image.blit(words, (tab.left + LABEL_PAD, tab.top))
    return tab


def axis_steps(local: Viewport, look: Look, same: bool = False) -> tuple[float, float]:
    """Return the x and y tick steps for a view drawn with `look`'s labels: about TICK_SPACING
    label heights apart, and wide enough apart that the bottom labels never touch.

    `same` gives both axes the larger step (a map with equal scales on both axes).
    """
    width, height = local.size
    font = look.font(look.label_size(height))
    line = font.get_height()
    xstep = label_step(local.xlim, width, TICK_SPACING * line,
                       lambda text: font.size(text)[0] + 2 * LABEL_PAD, TICK_GAP * line)
    ystep = nice_step(local.ylim, height, TICK_SPACING * line)  # one line tall: never touch
    return (max(xstep, ystep),) * 2 if same else (xstep, ystep)


def draw_axes(image: pygame.Surface, local: Viewport, look: Look,
               steps: tuple[float, float]) -> list[pygame.Rect]:
    """Draw labelled ticks inside the left and bottom edges, keeping the corner clear; return their tabs."""
    width, height = image.get_size()
    line = look.font(look.label_size(height)).get_height()
    corner, (xstep, ystep) = line + TICK_LENGTH + 4, steps
    tabs: list[pygame.Rect] = []
    for y in tick_values(local.ylim, ystep):
        py = float(local.to_screen((local.xlim[0], y))[1])
        if py < height - 1.5 * corner:
            tabs.append(_label(image, look, format_tick(y, ystep), (0, py), "left"))
    left = max([corner] + [tab.right for tab in tabs if tab])
    for x in tick_values(local.xlim, xstep):
        px = float(local.to_screen((x, local.ylim[0]))[0])
        if px > left + TICK_GAP * line:
            tabs.append(_label(image, look, format_tick(x, xstep), (px, height), "bottom"))
    return [tab for tab in tabs if tab]


# --- markers ----------------------------------------------------------------------------
