"""The box where a player types their own function; the game builds a level on it."""

from __future__ import annotations

import pygame

from gdviz.core.commands import Action, Command
from gdviz.core.expr import ExpressionError
from gdviz.ui import hud, theme
from gdviz.ui.scenes.base import Scene

MAX_LENGTH = 300


class FunctionScene(Scene):
    """A one-line text box. Bad input shows the parser's message under it; nothing else changes."""

    opaque = False

    def __init__(self, app, on_level) -> None:
        super().__init__(app)
        self.on_level = on_level
        self.text = ""
        self.cursor = 0
        self.error = ""
        self.error_column = 0
        self.problem: ExpressionError | None = None
        pygame.key.start_text_input()

    def close(self) -> None:
        pygame.key.stop_text_input()
        self.app.pop()

    def handle(self, action: Action) -> None:
        command = action.command
        if command is Command.TEXT and isinstance(action.arg, str):
            self._insert(action.arg)
        elif command is Command.REMOVE_BALL:
            self._backspace()
        elif command is Command.STEP_BACK:
            self.cursor = max(self.cursor - 1, 0)
        elif command is Command.STEP:
            self.cursor = min(self.cursor + 1, len(self.text))
        elif command is Command.SELECT:
            self._submit()
        elif command is Command.BACK:
            self.close()

    def _insert(self, typed: str) -> None:
        typed = "".join(ch for ch in typed if ch.isprintable())
        room = MAX_LENGTH - len(self.text)
        typed = typed[:room]
        self.text = self.text[: self.cursor] + typed + self.text[self.cursor:]
        self.cursor += len(typed)
        self.error = ""

    def _backspace(self) -> None:
        if self.cursor:
            self.text = self.text[: self.cursor - 1] + self.text[self.cursor:]
            self.cursor -= 1
        self.error = ""

    def _submit(self) -> None:
        from gdviz.core.custom import level_from_function

        try:
            level = level_from_function(self.text)
        except ExpressionError as problem:
            self.problem, self.error, self.error_column = problem, str(problem), problem.column
            return
        self.close()
        self.on_level(level)

    def draw(self, surface: pygame.Surface) -> None:
        width, height = surface.get_size()
        size = int(max(min(height * 0.03, 30), 14))
        line = theme.font(size, mono=True).get_linesize()
        box = pygame.Rect(width // 12, height // 3, width * 5 // 6, line * 7 + 30)
        shade = pygame.Surface((width, height), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 150))
        surface.blit(shade, (0, 0))
        hud.draw_panel(surface, box, 255)
        x, y = box.x + 20, box.y + 15
        hud.draw_paragraph(surface, self.app.tr("function.prompt"), pygame.Rect(x, y, box.width - 40, line), size, theme.ACCENT,
                           bold=True, max_lines=1)
        y += line + 6
        field = pygame.Rect(x, y, box.width - 40, line + 10)
        pygame.draw.rect(surface, theme.BACKGROUND, field, border_radius=4)
        pygame.draw.rect(surface, theme.PANEL_EDGE, field, 1, border_radius=4)
        shown, offset = self._visible_text(field.width - 16, size)
        hud.draw_text(surface, shown, (field.x + 8, field.y + 5), size, theme.TEXT, mono=True)
        font = theme.font(size, mono=True)
        caret_x = field.x + 8 + font.size(self.text[offset: self.cursor])[0]
        pygame.draw.line(surface, theme.ACCENT, (caret_x, field.y + 4), (caret_x, field.bottom - 4), 2)
        y = field.bottom + 6
        if self.error:
            self._draw_error(surface, field, offset, y, size, box)
        else:
            hud.draw_paragraph(surface, self.app.tr("function.example"), pygame.Rect(x, y, box.width - 40, line * 2), size - 2,
                               theme.TEXT_DIM, max_lines=2)

    def _visible_text(self, width: int, size: int) -> tuple[str, int]:
        """Return the part of the text that fits, scrolled so the cursor stays visible."""
        font = theme.font(size, mono=True)
        offset = 0
        while offset < self.cursor and font.size(self.text[offset: self.cursor])[0] > width:
            offset += 1
        end = offset
        while end < len(self.text) and font.size(self.text[offset: end + 1])[0] <= width:
            end += 1
        return self.text[offset:end], offset

    def _draw_error(self, surface, field, offset, y, size, box) -> None:
        """Put a ^ under the bad spot and the parser's sentence below it."""
        font = theme.font(size, mono=True)
        if self.error_column:
            column = min(max(self.error_column - 1 - offset, 0), len(self.text))
            x = field.x + 8 + font.size(self.text[offset: offset + column])[0]
            hud.draw_text(surface, "^", (x, y - 4), size, theme.BAD, bold=True, mono=True)
        text = self.problem.text(theme.LANG)
        hud.draw_paragraph(surface, text, pygame.Rect(box.x + 20, y + font.get_linesize() - 4,
                                                      box.width - 40, font.get_linesize() * 3),
                           size - 2, theme.BAD, max_lines=3)
