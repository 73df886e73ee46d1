"""Text and panels: labels, wrapped paragraphs, legends and the live loss plot."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pygame

from gdviz.core.stages import format_fixed, format_fixed_value, power_of_ten
from gdviz.core.stages import format_number as fmt
from gdviz.core.stages import format_value as fmt_vec
from gdviz.ui import glyphs, theme
from gdviz.ui.fonts import clusters
from gdviz.ui.theme import Look

Colour = tuple[int, int, int]

MIN_GRAPH_HEIGHT = 60  # the loss plot's legend gives up rows (then itself) to leave its graph this tall
SEPARATOR = " · "  # between the items of a footer


class TextCache:
    """Rendered text, kept so unchanged labels are not rendered again every frame."""

    def __init__(self, capacity: int = 600) -> None:
        self._cache: OrderedDict[tuple, pygame.Surface] = OrderedDict()
        self.capacity = capacity

    def render(self, look: Look, text: str, size: int, colour: Colour | None = None, bold: bool = False,
               mono: bool = False, background: Colour | None = None) -> pygame.Surface:
        """Return `text` rendered (anti-aliased) in the bundled font.

        With a `background` colour the picture is opaque, which is much quicker to draw;
        use it for text on a plain panel of exactly that colour.
        """
        colour = colour or look.colours.text
        key = (text, size, colour, bold, mono, look.lang, background)
        image = self._cache.get(key)
        if image is None:
            image = _render(look.lang, text, size, colour, bold, mono, background)
            self._cache[key] = image
            if len(self._cache) > self.capacity:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return image


TEXT = TextCache()


def number(look: Look, x: float) -> str:
    """Format one number as the look wants it: in presenter mode and at a kiosk fixed point, never e-notation."""
    return format_fixed(x) if look.fixed else fmt(x)


def vector(look: Look, value) -> str:
    """Format a number or a vector as the look wants it (see `number`)."""
    return format_fixed_value(value) if look.fixed else fmt_vec(value)


def _font_for(lang: str, text: str, size: int, bold: bool, mono: bool):
    """The language's font, or the Chinese one when English text holds Chinese (中文)."""
    if _chinese_font(lang, text):
        return theme.font_for_language("zh", size, bold)
    return Look(lang).font(size, bold, mono)


def _chinese_font(lang: str, text: str) -> bool:
    return lang == "zh" or any(ord(ch) >= 0x2E80 for ch in text)


def _render(lang: str, text: str, size: int, colour: Colour, bold: bool, mono: bool,
            background: Colour | None) -> pygame.Surface:
    """Render `text`; a sign the Chinese font lacks (⁻ ⁵ ▸ …) is drawn in the English one."""
    runs = _runs(lang, text, bold)
    if len(runs) == 1 and (runs[0][1] or not _chinese_font(lang, text)):  # (a lone ŷ in Chinese: English font)
        return _font_for(lang, text, size, bold, mono).render(text, True, colour, background)
    main = theme.font_for_language("zh", size, bold)
    fonts = {True: main, False: theme.font_for_language("en", size, bold)}
    images = [(fonts[chinese].render(run, True, colour, background), fonts[chinese]) for run, chinese in runs]
    image = pygame.Surface((sum(i.get_width() for i, _ in images), main.get_linesize()), pygame.SRCALPHA)
    if background is not None:
        image.fill(background)
    x = 0
    for picture, font in images:  # baselines in line
        image.blit(picture, (x, main.get_ascent() - font.get_ascent()))
        x += picture.get_width()
    return image


@lru_cache(maxsize=1024)
def _runs(lang: str, text: str, bold: bool) -> tuple[tuple[str, bool], ...]:
    """Split text drawn in the Chinese font into (run, drawn in the Chinese font) pieces."""
    if not _chinese_font(lang, text):
        return ((text, False),)
    runs: list[tuple[str, bool]] = []
    for cluster in clusters(text):  # a letter moves with its marks (the hat of v̂)
        chinese = all(ch.isspace() or ord(ch) < 0x80 or not _chinese_lacks(ch, bold) for ch in cluster)
        if runs and runs[-1][1] == chinese:
            runs[-1] = (runs[-1][0] + cluster, chinese)
        else:
            runs.append((cluster, chinese))
    return tuple(runs)


@lru_cache(maxsize=512)
def _chinese_lacks(ch: str, bold: bool) -> bool:
    """Whether the bundled Chinese font lacks `ch`: it measures as the box the font draws for
    unknown signs (a sign with the very same measures is drawn as well by the English font)."""
    font = theme.font_for_language("zh", 20, bold)
    return ord(ch) < 0x2E80 and font.metrics(ch) == font.metrics("\uffff")


def text_width(look: Look, text: str, size: int, bold: bool = False) -> int:
    """Return how many pixels wide `text` is in the look's font (cached)."""
    return _text_width(text, size, bold, look.lang)


@lru_cache(maxsize=4096)
def _text_width(text: str, size: int, bold: bool, lang: str) -> int:
    runs = _runs(lang, text, bold)
    return sum(theme.font_for_language("zh" if chinese else "en", size, bold).size(run)[0] for run, chinese in runs) \
        if len(runs) > 1 else _font_for(lang, text, size, bold, False).size(text)[0]


def wrap(look: Look, text: str, size: int, width: int, bold: bool = False) -> list[str]:
    """Split `text` into lines that fit `width` pixels (Chinese text may break anywhere)."""
    return list(_wrap(text, size, width, bold, look.lang))


@lru_cache(maxsize=1024)
def _wrap(text: str, size: int, width: int, bold: bool, lang: str) -> tuple[str, ...]:
    # Cached: the same lesson is wrapped every frame, and measuring text is slow.
    font = Look(lang).font(size, bold)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _split_long(_tokens(paragraph), font, width):
            trial = line + token
            if line and font.size(trial.rstrip())[0] > width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line = trial
        lines.append(line.rstrip())
    return tuple(lines)


# Chinese line-breaking rules (kinsoku): closing punctuation never starts a line, opening
# brackets never end one. A sign is kept in one piece with the character before it (closing)
# or after it (opening), so the two move to the next line together: nothing hangs past the edge.
NO_LINE_START = frozenset("。，、；：！？）」』”’》〉…·")
NO_LINE_END = frozenset("（「『“‘《〈")


def ellipsize(look: Look, text: str, size: int, width: int, bold: bool = False) -> str:
    """Return `text` ending in "…" (a paragraph cut short), shortened until it fits `width` pixels:
    by whole words where it has spaces, else by characters."""
    text = text.rstrip(" .。，,;；:：")
    while text:
        trial = text + ("" if _chinese_font(look.lang, text) else " ") + "…"
        if text_width(look, trial, size, bold) <= width:
            return trial
        cut = text.rstrip().rfind(" ")
        text = (text[:cut] if cut > 0 and not _chinese_font(look.lang, text[-1:]) else text[:-1])
        text = text.rstrip(" .。，,;；:：（「『(")
    return "…"


def _split_long(tokens: list[str], font, width: int) -> list[str]:
    """Cut any single word wider than the line (a long file path, say) into pieces that fit,
    never just before closing punctuation or just after an opening bracket."""
    out: list[str] = []
    for token in tokens:
        while font.size(token.rstrip())[0] > width and len(token) > 1:
            cut = max(1, len(token) - 1)
            while cut > 1 and font.size(token[:cut])[0] > width:
                cut = max(1, cut * 3 // 4)
            while cut > 1 and (token[cut] in NO_LINE_START or token[cut - 1] in NO_LINE_END):
                cut -= 1
            out.append(token[:cut])
            token = token[cut:]
        out.append(token)
    return out


def _tokens(paragraph: str) -> list[str]:
    """Words with their trailing space; CJK characters count as one word each. Closing
    punctuation joins the word before it and an opening bracket the word after it (kinsoku)."""
    raw: list[str] = []
    word = ""
    for ch in paragraph:
        if ord(ch) >= 0x2E80:
            if word:
                raw.append(word)
                word = ""
            raw.append(ch)
        elif ch == " ":
            raw.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        raw.append(word)
    tokens: list[str] = []
    for token in raw:
        if tokens and (token[:1] in NO_LINE_START or tokens[-1][-1:] in NO_LINE_END):
            tokens[-1] += token
        else:
            tokens.append(token)
    return tokens


def draw_text(target: pygame.Surface, look: Look, text: str, pos: tuple[int, int], size: int,
              colour: Colour | None = None, bold: bool = False, mono: bool = False,
              anchor: str = "topleft", background: Colour | None = None) -> pygame.Rect:
    """Draw one line of text; return the rectangle it covers."""
    image = TEXT.render(look, text, size, colour, bold, mono, background)
    rect = image.get_rect(**{anchor: pos})
    target.blit(image, rect)
    return rect


def draw_paragraph(target: pygame.Surface, look: Look, text: str, rect: pygame.Rect, size: int,
                   colour: Colour | None = None, bold: bool = False, max_lines: int = 99) -> int:
    """Draw wrapped text inside `rect`; return the height used. Lines past the rect are cut."""
    line_height = look.font(size, bold).get_linesize()
    lines = wrap(look, text, size, rect.width, bold)
    room = max(rect.height // line_height, 0)
    shown = lines[: min(room, max_lines)]
    if len(shown) < len(lines) and shown:  # cut short: the last line shown says so, and still fits
        shown[-1] = ellipsize(look, shown[-1], size, rect.width, bold)
    for i, line in enumerate(shown):
        draw_text(target, look, line, (rect.x, rect.y + i * line_height), size, colour, bold)
    return len(shown) * line_height


def fit_items(look: Look, items: Sequence[tuple[str, int]], size: int, width: int) -> str:
    """Join (text, rank) items with SEPARATOR, in their order, leaving out whole items of the
    highest ranks until the line fits `width` pixels (never cutting a word)."""
    for most in sorted({rank for _, rank in items} | {max(rank for _, rank in items) + 1}, reverse=True):
        line = SEPARATOR.join(text for text, rank in items if rank < most)
        if text_width(look, line, size) <= width:
            return line
    return ""


def draw_panel(target: pygame.Surface, look: Look, rect: pygame.Rect, alpha: int = 235) -> None:
    """Draw a dark rounded panel behind text."""
    target.blit(_panel(tuple(rect.size), alpha, look.colours.panel, look.colours.panel_edge), rect)


def draw_solid_panel(target: pygame.Surface, look: Look, rect: pygame.Rect) -> None:
    """Draw an opaque panel on the plain background (quick to draw; text on it can be opaque)."""
    c = look.colours
    target.blit(_solid_panel(tuple(rect.size), c.background, c.panel, c.panel_edge), rect)


@lru_cache(maxsize=4)
def _solid_panel(size: tuple[int, int], ground: Colour, fill: Colour, edge: Colour) -> pygame.Surface:
    solid = pygame.Surface(size)
    solid.fill(ground)
    solid.blit(_panel(size, 255, fill, edge), (0, 0))
    return solid


@lru_cache(maxsize=24)
def _panel(size: tuple[int, int], alpha: int, fill: Colour, edge: Colour) -> pygame.Surface:
    patch = pygame.Surface(size, pygame.SRCALPHA)
    pygame.draw.rect(patch, (*fill, alpha), patch.get_rect(), border_radius=8)
    pygame.draw.rect(patch, (*edge, 255), patch.get_rect(), 1, border_radius=8)
    return patch


def _stride(count: int, width: int) -> int:
    return max(-(-2 * count // max(width, 1)), 1)


def thin_polyline(points: np.ndarray, grid: float = 1.0) -> np.ndarray:
    """Snap pixel points to a `grid` and drop repeats in a row: nearly the same picture, fewer points."""
    rounded = np.round(points / grid) * grid
    if len(rounded) < 3:
        return rounded
    keep = np.ones(len(rounded), dtype=bool)
    keep[1:] = np.any(rounded[1:] != rounded[:-1], axis=1)
    keep[-1] = True
    return rounded[keep]


def draw_loss_plot(target: pygame.Surface, look: Look, rect: pygame.Rect,
                   series: Sequence[tuple[np.ndarray, np.ndarray, Colour, str]], floor: float, size: int,
                   labels: tuple[str, str] = ("loss − lowest (log scale) by step", "step {step}"),
                   legend: Sequence[tuple[str, str, Colour]] = ()) -> None:
    """Plot loss − floor against step on a log scale for each (steps, losses, colour, mark).

    Each line ends in a disc with its `mark` (the ball's number); `legend` lists (mark, name,
    colour) under the title, so the lines can be told apart without colour.
    """
    c = look.colours
    pygame.draw.rect(target, c.panel_edge, rect, 1, border_radius=8)
    inner = rect.inflate(-16, -16)
    top = inner.y + draw_text(target, look, labels[0], inner.topleft, size, c.text_dim, background=c.panel).height
    rows = (inner.bottom - top - MIN_GRAPH_HEIGHT) // look.font(size - 2).get_linesize()  # legend rows that leave room
    top += draw_legend(target, look, pygame.Rect(inner.x, top + 2, inner.width, inner.bottom - top), legend, size - 2,
                       max_rows=min(rows, 2))
    plot = pygame.Rect(inner.x + 4, top + 4, inner.width - 8, inner.bottom - top - 8)
    # Every series in one array, so the maths is a handful of numpy calls whatever the ball count;
    # about one point per two pixel columns is all a line this size can show.
    kept = [(st[:: _stride(len(st), plot.width)], v[:: _stride(len(st), plot.width)], colour, mark)
            for st, v, colour, mark in series if len(st) > 1]
    if not kept or plot.width < 10 or plot.height < 10:
        return
    placed = _plot_points(kept, floor, plot)
    if placed is None:
        return
    points, lo, hi, last = placed
    pygame.draw.rect(target, c.panel_edge, plot, 1)
    _draw_lines(target, points, kept, max(size // 2 - 1, 5))
    draw_text(target, look, power_of_ten(hi), (plot.x + 3, plot.y + 2), size - 2, c.text_dim)
    draw_text(target, look, power_of_ten(lo), (plot.x + 3, plot.bottom - 2), size - 2, c.text_dim, anchor="bottomleft")
    draw_text(target, look, labels[1].format(step=int(last)), (plot.right - 3, plot.bottom - 2), size - 2,
              c.text_dim, anchor="bottomright")


def _plot_points(kept: list, floor: float, plot: pygame.Rect) -> tuple[np.ndarray, int, int, float] | None:
    """Return every kept point in pixels, the lowest and highest decade, and the last step (None if none is finite)."""
    steps = np.concatenate([k[0] for k in kept])
    logs = np.log10(np.maximum(np.concatenate([k[1] for k in kept]) - floor, 1e-12))
    finite = np.isfinite(logs)
    if not finite.any():
        return None
    # Whole decades at both ends, so the two labels say exactly where the axis starts and stops.
    lo = math.floor(float(logs[finite].min()))
    hi = max(math.ceil(float(logs[finite].max())), lo + 1)
    first, last = float(steps.min()), float(steps.max())
    xs = plot.x + (steps - first) / max(last - first, 1.0) * plot.width
    ys = plot.bottom - (np.where(finite, logs, hi) - lo) / (hi - lo) * plot.height
    return np.stack([xs, ys], axis=1), lo, hi, last


def _draw_lines(target: pygame.Surface, points: np.ndarray, kept: list, radius: int) -> None:
    """Draw each series' line in its colour, then a numbered disc where each one ends."""
    ends, start = [], 0
    for st, _, colour, mark in kept:
        pygame.draw.lines(target, colour, False, points[start:start + len(st)], 2)
        start += len(st)
        ends.append((points[start - 1], colour, mark))
    for end, colour, mark in ends:
        glyphs.draw_ball(target, end, colour, radius, number=mark)


def draw_legend(target: pygame.Surface, look: Look, area: pygame.Rect, entries: Sequence[tuple[str, str, Colour]],
                size: int, max_rows: int = 2) -> int:
    """Draw (mark, name, colour) entries as numbered discs with names, in rows; return the height used.

    If the names do not fit in `max_rows` rows, only the numbered discs are drawn.
    """
    if not entries or max_rows < 1:
        return 0
    line = look.font(size).get_linesize()
    radius = max(int(line * 0.42), 5)
    for named in (True, False):
        widths = [2 * radius + 4 + (text_width(look, name, size) + 12 if named else 2) for _, name, _ in entries]
        places = _flow(widths, area.width)
        if places[-1][1] < max_rows or not named:
            break
    for (mark, name, colour), (x, row) in zip(entries, places):
        y = area.y + row * line
        if row >= max_rows or y + line > area.bottom:
            break
        glyphs.draw_ball(target, (area.x + x + radius, y + line // 2), colour, radius, number=mark)
        if named:
            draw_text(target, look, name, (area.x + x + 2 * radius + 4, y), size, look.colours.text,
                      background=look.colours.panel)
    return min(places[-1][1] + 1, max_rows, max(area.height // line, 0)) * line


def _flow(widths: Sequence[int], width: int) -> list[tuple[int, int]]:
    """Place items of `widths` left to right, starting a new row when one would not fit: (x, row) each."""
    places, x, row = [], 0, 0
    for w in widths:
        if x and x + w > width:
            x, row = 0, row + 1
        places.append((x, row))
        x += w
    return places
