"""A one-line box to type into (your own function, an exact learning rate).

Typing, the caret, ← and → and Backspace work as in any text field; Enter submits, Esc
cancels. A refused entry shows one sentence under the box — and a ^ under the bad spot
when there is one — and nothing else changes. A box may offer keys to tap (`tapped`), as
the learning-rate box does on a touch screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pygame

from gdviz.core.commands import Action, Command, Pixel
from gdviz.ui import hud, theme
from gdviz.ui.scenes.base import Context, Scene
from gdviz.ui.theme import Look

MAX_LENGTH = 300


class Refusal(Protocol):
    """Why typed text was refused: a sentence per language, and the column of the bad spot (1-based, 0: none)."""

    column: int

    def text(self, lang: str) -> str: ...


@dataclass(frozen=True)
class Sentence:
    """A refusal given as one sentence per language, with no particular bad spot."""

    en: str
    zh: str
    column: int = 0

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def text_size(height: int) -> int:
    """Return the size of the box's text on a screen `height` pixels tall."""
    return int(max(min(height * 0.03, 30), 14))


class TextBoxScene(Scene):
    """The box itself. Subclasses say what it asks for and what `accept` does with the text."""

    opaque = False
    prompt_key = ""
    example_key = ""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.text = ""
        self.cursor = 0
        self.refusal: Refusal | None = None
        pygame.key.start_text_input()

    def accept(self, text: str) -> Refusal | None:
        """Use the submitted text; return why it was refused, or None when it was used."""
        raise NotImplementedError

    def tapped(self, at: Pixel) -> Action | None:
        """Return the Action of an on-screen key tapped at `at` (this box has none)."""
        return None

    def close(self) -> None:
        pygame.key.stop_text_input()
        self.ctx.pop()

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
        elif command is Command.SET_START and isinstance(action.arg, Pixel):
            key = self.tapped(action.arg)
            if key is not None:
                self.handle(key)

    def _insert(self, typed: str) -> None:
        typed = "".join(ch for ch in typed if ch.isprintable())
        typed = typed[: MAX_LENGTH - len(self.text)]
        self.text = self.text[: self.cursor] + typed + self.text[self.cursor:]
        self.cursor += len(typed)
        self.refusal = None

    def _backspace(self) -> None:
        if self.cursor:
            self.text = self.text[: self.cursor - 1] + self.text[self.cursor:]
            self.cursor -= 1
        self.refusal = None

    def _submit(self) -> None:
        """Close first, so whatever `accept` opens (a new level, say) sits on the right scene."""
        self.close()
        refusal = self.accept(self.text)
        if refusal is not None:
            self.ctx.push(self)
            pygame.key.start_text_input()
            self.refusal = refusal

    def box_rect(self, size: tuple[int, int], line: int) -> pygame.Rect:
        """Return where the box goes on a screen of `size` with text lines `line` pixels tall."""
        width, height = size
        return pygame.Rect(width // 12, height // 3, width * 5 // 6, line * 7 + 30)

    def draw(self, surface: pygame.Surface, look: Look) -> None:
        width, height = surface.get_size()
        size = text_size(height)
        line = look.font(size, mono=True).get_linesize()
        box = self.box_rect((width, height), line)
        shade = pygame.Surface((width, height), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 150))
        surface.blit(shade, (0, 0))
        hud.draw_panel(surface, look, box, 255)
        x, y = box.x + 20, box.y + 15
        hud.draw_paragraph(surface, look, look.tr(self.prompt_key), pygame.Rect(x, y, box.width - 40, line), size,
                           look.colours.accent, bold=True, max_lines=1)
        field = pygame.Rect(x, y + line + 6, box.width - 40, line + 10)
        offset = self._draw_field(surface, look, field, size)
        y = field.bottom + 6
        if self.refusal is not None:
            self._draw_error(surface, look, (field, offset, y, size, box))
        else:
            hud.draw_paragraph(surface, look, look.tr(self.example_key), pygame.Rect(x, y, box.width - 40, line * 2),
                               size - 2, look.colours.text_dim, max_lines=2)

    def _draw_field(self, surface: pygame.Surface, look: Look, field: pygame.Rect, size: int) -> int:
        """Draw the typed text and the caret; return how many characters scrolled off the left."""
        colours = look.colours
        pygame.draw.rect(surface, colours.background, field, border_radius=4)
        pygame.draw.rect(surface, colours.panel_edge, field, 1, border_radius=4)
        font = look.font(size, mono=True)
        shown, offset = self._visible_text(font, field.width - 16)
        hud.draw_text(surface, look, shown, (field.x + 8, field.y + 5), size, colours.text, mono=True)
        caret_x = field.x + 8 + font.size(self.text[offset: self.cursor])[0]
        pygame.draw.line(surface, colours.accent, (caret_x, field.y + 4), (caret_x, field.bottom - 4), 2)
        return offset

    def _visible_text(self, font: pygame.font.Font, width: int) -> tuple[str, int]:
        """Return the part of the text that fits, scrolled so the cursor stays visible."""
        offset = 0
        while offset < self.cursor and font.size(self.text[offset: self.cursor])[0] > width:
            offset += 1
        end = offset
        while end < len(self.text) and font.size(self.text[offset: end + 1])[0] <= width:
            end += 1
        return self.text[offset:end], offset

    def _draw_error(self, surface: pygame.Surface, look: Look, where: tuple) -> None:
        """Put a ^ under the bad spot and the parser's sentence below it."""
        field, offset, y, size, box = where
        font = look.font(size, mono=True)
        if self.refusal.column:
            column = min(max(self.refusal.column - 1 - offset, 0), len(self.text))
            x = field.x + 8 + font.size(self.text[offset: offset + column])[0]
            hud.draw_text(surface, look, "^", (x, y - 4), size, theme.BAD, bold=True, mono=True)
        text = self.refusal.text(look.lang)
        hud.draw_paragraph(surface, look, text, pygame.Rect(box.x + 20, y + font.get_linesize() - 4,
                                                            box.width - 40, font.get_linesize() * 3),
                           size - 2, theme.BAD, max_lines=3)
