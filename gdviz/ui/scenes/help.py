"""The help overlay, in two pages: every key and what it does (generated from the controls
table), and what the arrows and squares on the map mean. → and ← turn the page; any other
key or a click closes it."""

from __future__ import annotations

import pygame

from gdviz.core.commands import Action, Command
from gdviz.ui import glyph_key, hud, theme
from gdviz.ui.controls import help_rows
from gdviz.ui.scenes.base import Scene
from gdviz.ui.theme import Look


class HelpScene(Scene):
    """Lists every binding in columns (page 1) and the key of the glyphs (page 2)."""

    opaque = False
    page = 0

    def handle(self, action: Action) -> None:
        if action.command in (Command.STEP, Command.STEP_BACK):
            self.page = 1 - self.page
        elif action.command is not Command.QUIT:
            self.ctx.pop()

    def draw(self, surface: pygame.Surface, look: Look) -> None:
        width, height = surface.get_size()
        shade = pygame.Surface((width, height), pygame.SRCALPHA)
        shade.fill((*look.colours.background, 252))  # the game shows only faintly under the text
        surface.blit(shade, (0, 0))
        title_size = max(min(theme.FONT_LARGE, height // 22), 14)
        title = look.tr("help.title" if self.page == 0 else "help.glyphs_title")
        hud.draw_text(surface, look, title, (width // 2, 14), title_size, look.colours.accent, bold=True,
                      anchor="midtop")
        top = 18 + look.font(title_size, True).get_linesize()
        foot = hud.draw_text(surface, look, look.tr("help.pages"), (width // 2, height - 8), max(title_size - 8, 11),
                             look.colours.text_dim, anchor="midbottom")
        area = pygame.Rect(20, top, width - 40, foot.top - top - 6)
        if self.page == 0:
            self._draw_columns(surface, look, help_rows(look.lang), area)
        else:
            size = max(min(title_size - 4, 24), 11)
            glyph_key.draw_key(surface, look, area, glyph_key.help_rows(look), size, "center")

    def _draw_columns(self, surface: pygame.Surface, look: Look, rows: list[tuple[str, str]],
                      area: pygame.Rect) -> None:
        columns = 2 if area.width >= 900 else 1
        per_column = -(-len(rows) // columns)
        size = self._font_size(look, per_column, area.height)
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
    def _font_size(look: Look, rows: int, height: int) -> int:
        for size in range(theme.FONT_BODY + 4, 8, -1):
            if look.font(size).get_linesize() * rows <= height:
                return size
        return 9
