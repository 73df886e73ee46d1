"""The help overlay: every key, bar button and tap and what it does (generated from the
controls table), on as many pages as it needs to stay readable (one on a big screen, more
at 800×480), then a page on what the arrows and squares on the map mean. → and ← turn the
page; any other key or a click closes it. With the control bar showing, the first pages
explain the touch controls (each bar button, the ⚙ panel, a tap and a drag on the map) and
the keys come after them (in a kiosk, which has no keyboard, not at all); a tap turns to the
next page and a tap on the last page closes it, so touch alone reaches every page."""

from __future__ import annotations

import math

import pygame

from gdviz.core.commands import Action, Command, Pixel
from gdviz.ui import glyph_key, hud, theme
from gdviz.ui.controls import help_rows, touch_help_rows
from gdviz.ui.scenes.base import Scene
from gdviz.ui.theme import Look

MIN_TEXT = 12  # the smallest size of the key list's text: rows that do not fit go on another page
Rows = list[tuple[str, str]]


class HelpScene(Scene):
    """Lists every binding in columns (the first pages) and the key of the glyphs (the last)."""

    opaque = False
    page = 0
    pages = 2  # until it is drawn and knows how many pages the window needs

    def handle(self, action: Action) -> None:
        tap = isinstance(action.arg, Pixel) and self.ctx.touch.bar
        if action.command is Command.STEP or (tap and self.page < self.pages - 1):
            self.page = (self.page + 1) % self.pages
        elif action.command is Command.STEP_BACK:
            self.page = (self.page - 1) % self.pages
        elif action.command not in (Command.QUIT, Command.MOVE_START):  # a finger sliding on is no tap
            self.ctx.pop()

    def on_screen(self) -> object:
        return self, self.page

    def draw(self, surface: pygame.Surface, look: Look) -> None:
        width, height = surface.get_size()
        shade = pygame.Surface((width, height), pygame.SRCALPHA)
        shade.fill((*look.colours.background, 252))  # the game shows only faintly under the text
        surface.blit(shade, (0, 0))
        title_size = max(min(theme.FONT_LARGE, height // 22), 14)
        top = 18 + look.font(title_size, True).get_linesize()
        foot_size = max(title_size - 8, 11)
        area = pygame.Rect(20, top, width - 40, height - 14 - look.font(foot_size).get_linesize() - top)
        keys = self.key_pages(look, area)
        self.pages = len(keys) + 1
        self.page = min(self.page, self.pages - 1)
        title = look.tr(keys[self.page][0] if self.page < len(keys) else "help.glyphs_title")
        hud.draw_text(surface, look, title, (width // 2, 14), title_size, look.colours.accent, bold=True,
                      anchor="midtop")
        pages = look.tr("help.pages_touch" if self.ctx.touch.bar else "help.pages")
        hud.draw_text(surface, look, f"{self.page + 1}/{self.pages} · {pages}", (width // 2, height - 8), foot_size,
                      look.colours.text_dim, anchor="midbottom")
        if self.page < len(keys):
            self._draw_columns(surface, look, keys[self.page][1], area)
        else:
            rows = glyph_key.help_rows(look)
            size = max(min(title_size - 4, 24), 11)
            while size > MIN_TEXT and glyph_key.measure(look, rows, size)[0] > area.width - 16:
                size -= 1  # the longest line fits the screen's width
            glyph_key.draw_key(surface, look, area, rows, size, "center")

    def key_pages(self, look: Look, area: pygame.Rect) -> list[tuple[str, Rows]]:
        """Return the pages of controls, each with its title: with the bar showing the touch
        controls first, then (but in a kiosk) the keys."""
        touch, kiosk = self.ctx.touch.bar, self.ctx.kiosk
        pages = [("help.title_touch", page) for page in _pages(look, touch_help_rows(look.lang), area) if touch]
        return pages + [("help.title", page) for page in _pages(look, help_rows(look.lang), area)
                        if not (touch and kiosk)]

    def _draw_columns(self, surface: pygame.Surface, look: Look, rows: Rows, area: pygame.Rect) -> None:
        columns = _columns(area)
        per_column = -(-len(rows) // columns)
        size = self.font_size(look, per_column, area.height)
        line = look.font(size).get_linesize()
        col_width = area.width // columns
        key_width = int(col_width * 0.3)
        for i, (keys, text) in enumerate(rows):
            col, row = divmod(i, per_column)
            x, y = area.x + col * col_width, area.y + row * line
            hud.draw_text(surface, look, keys, (x + key_width - 12, y), size, look.colours.accent, bold=True,
                          anchor="topright")
            hud.draw_paragraph(surface, look, text, pygame.Rect(x + key_width, y, col_width - key_width - 10, line),
                               size, look.colours.text, max_lines=1)

    @staticmethod
    def font_size(look: Look, rows: int, height: int) -> int:
        """Return the biggest text size (up to a little over body text) at which `rows` lines fit."""
        for size in range(theme.FONT_BODY + 4, MIN_TEXT, -1):
            if look.font(size).get_linesize() * rows <= height:
                return size
        return MIN_TEXT


def _pages(look: Look, rows: Rows, area: pygame.Rect) -> list[Rows]:
    """Split rows into pages that fit `area` with text at least MIN_TEXT, as evenly as they go
    (all on one page when it fits)."""
    fit = max(area.height // look.font(MIN_TEXT).get_linesize(), 1) * _columns(area)
    count = math.ceil(len(rows) / fit)
    share = math.ceil(len(rows) / count)
    return [rows[i:i + share] for i in range(0, len(rows), share)]


def _columns(area: pygame.Rect) -> int:
    return 2 if area.width >= 900 else 1
