"""Text and panels: labels, wrapped paragraphs, the leaderboard and the live loss plot."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
import pygame

from gdviz.core.stages import format_number as fmt  # noqa: F401 - the HUD's number format
from gdviz.core.stages import format_value as fmt_vec  # noqa: F401
from gdviz.ui import theme

Colour = tuple[int, int, int]


class TextCache:
    """Rendered text, kept so unchanged labels are not rendered again every frame."""

    def __init__(self, capacity: int = 600) -> None:
        self._cache: OrderedDict[tuple, pygame.Surface] = OrderedDict()
        self.capacity = capacity

    def render(self, text: str, size: int, colour: Colour | None = None, bold: bool = False,
               mono: bool = False) -> pygame.Surface:
        """Return `text` rendered (anti-aliased) in the bundled font."""
        colour = colour or theme.TEXT
        key = (text, size, colour, bold, mono, theme.LANG)
        image = self._cache.get(key)
        if image is None:
            image = _font_for(text, size, bold, mono).render(text, True, colour)
            self._cache[key] = image
            if len(self._cache) > self.capacity:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return image


TEXT = TextCache()


def _font_for(text: str, size: int, bold: bool, mono: bool):
    """The current language's font, or the Chinese one when English text holds Chinese (中文)."""
    if theme.LANG != "zh" and any(ord(ch) >= 0x2E80 for ch in text):
        return theme.font_for_language("zh", size, bold)
    return theme.font(size, bold, mono)


def wrap(text: str, size: int, width: int, bold: bool = False) -> list[str]:
    """Split `text` into lines that fit `width` pixels (Chinese text may break anywhere)."""
    font = theme.font(size, bold)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _tokens(paragraph):
            trial = line + token
            if line and font.size(trial.rstrip())[0] > width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line = trial
        lines.append(line.rstrip())
    return lines


def _tokens(paragraph: str) -> list[str]:
    """Words with their trailing space; CJK characters count as one word each."""
    tokens: list[str] = []
    word = ""
    for ch in paragraph:
        if ord(ch) >= 0x2E80:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        elif ch == " ":
            tokens.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


def draw_text(target: pygame.Surface, text: str, pos: tuple[int, int], size: int,
              colour: Colour | None = None, bold: bool = False, mono: bool = False,
              anchor: str = "topleft") -> pygame.Rect:
    """Draw one line of text; return the rectangle it covers."""
    image = TEXT.render(text, size, colour, bold, mono)
    rect = image.get_rect(**{anchor: pos})
    target.blit(image, rect)
    return rect


def draw_paragraph(target: pygame.Surface, text: str, rect: pygame.Rect, size: int,
                   colour: Colour | None = None, bold: bool = False, max_lines: int = 99) -> int:
    """Draw wrapped text inside `rect`; return the height used. Lines past the rect are cut."""
    line_height = theme.font(size, bold).get_linesize()
    lines = wrap(text, size, rect.width, bold)
    room = max(rect.height // line_height, 0)
    shown = lines[: min(room, max_lines)]
    if len(shown) < len(lines) and shown:
        shown[-1] = shown[-1].rstrip(". ") + " …"
    for i, line in enumerate(shown):
        draw_text(target, line, (rect.x, rect.y + i * line_height), size, colour, bold)
    return len(shown) * line_height


def draw_panel(target: pygame.Surface, rect: pygame.Rect, alpha: int = 235) -> None:
    """Draw a dark rounded panel behind text."""
    patch = pygame.Surface(rect.size, pygame.SRCALPHA)
    pygame.draw.rect(patch, (*theme.PANEL, alpha), patch.get_rect(), border_radius=8)
    pygame.draw.rect(patch, (*theme.PANEL_EDGE, 255), patch.get_rect(), 1, border_radius=8)
    target.blit(patch, rect)


def draw_loss_plot(target: pygame.Surface, rect: pygame.Rect, series: Sequence[tuple[np.ndarray, np.ndarray, Colour]],
                   floor: float, size: int, labels: tuple[str, str] = ("loss − lowest (log scale) by step", "step {step}")
                   ) -> None:
    """Plot loss − floor against step on a log scale for each (steps, losses, colour)."""
    draw_panel(target, rect, 220)
    inner = rect.inflate(-16, -16)
    title_h = draw_text(target, labels[0], inner.topleft, size, theme.TEXT_DIM).height
    plot = pygame.Rect(inner.x + 4, inner.y + title_h + 4, inner.width - 8, inner.height - title_h - 8)
    prepared = [(s, np.log10(np.maximum(v - floor, 1e-12)), c) for s, v, c in series if len(s) > 1]
    finite = [y[np.isfinite(y)] for _, y, _ in prepared]
    finite = [f for f in finite if f.size]
    if not finite or plot.width < 10 or plot.height < 10:
        return
    # Whole decades at both ends, so the two labels say exactly where the axis starts and stops.
    lo = math.floor(min(float(f.min()) for f in finite))
    hi = max(math.ceil(max(float(f.max()) for f in finite)), lo + 1)
    first = min(float(s[0]) for s, _, _ in prepared)
    last = max(float(s[-1]) for s, _, _ in prepared)
    span = max(last - first, 1.0)
    pygame.draw.rect(target, theme.PANEL_EDGE, plot, 1)
    for steps, logs, colour in prepared:
        ok = np.isfinite(logs)
        xs = plot.x + (steps[ok] - first) / span * plot.width
        ys = plot.bottom - (logs[ok] - lo) / (hi - lo) * plot.height
        if len(xs) > 1:
            pygame.draw.lines(target, colour, False, np.stack([xs, ys], 1), 2)
    draw_text(target, f"1e{hi}", (plot.x + 3, plot.y + 2), size - 2, theme.TEXT_DIM)
    draw_text(target, f"1e{lo}", (plot.x + 3, plot.bottom - 2), size - 2, theme.TEXT_DIM, anchor="bottomleft")
    draw_text(target, labels[1].format(step=int(last)), (plot.right - 3, plot.bottom - 2), size - 2, theme.TEXT_DIM,
              anchor="bottomright")
