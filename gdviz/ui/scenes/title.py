"""The title screen: the name of the game and the list of levels to choose from."""

from __future__ import annotations

import pygame

from gdviz.core.commands import Action, Command, Pixel
from gdviz.core.session import MAX_STARS
from gdviz.ui import hud, theme
from gdviz.ui.scenes.base import Context, Scene
from gdviz.ui.scenes.function import FunctionScene
from gdviz.ui.scenes.help import HelpScene
from gdviz.ui.theme import Look

UP_COMMANDS = (Command.UP, Command.PREV_LEVEL, Command.STEP_BACK)
DOWN_COMMANDS = (Command.DOWN, Command.NEXT_LEVEL, Command.NEXT_BALL, Command.STEP)


class TitleScene(Scene):
    """Choose a level with ↑ ↓ and Enter (or a click); Esc quits."""

    def __init__(self, ctx: Context, choice: int = 0) -> None:
        super().__init__(ctx)
        self.choice = choice
        self.first_row = 0
        self.row_rects: list[tuple[int, pygame.Rect]] = []

    @property
    def levels(self):
        return self.ctx.levels

    def start_level(self, index: int) -> None:
        """Open level `index` in a play scene on top of this one."""
        self.choice = index
        self.ctx.start_level(index)

    def handle(self, action: Action) -> None:
        command, ctx = action.command, self.ctx
        if command in UP_COMMANDS:
            self.choice = (self.choice - 1) % len(self.levels)
        elif command in DOWN_COMMANDS:
            self.choice = (self.choice + 1) % len(self.levels)
        elif command in (Command.SELECT, Command.PLAY_PAUSE):
            self.start_level(self.choice)
        elif command is Command.HELP:
            ctx.push(HelpScene(ctx))
        elif command is Command.FUNCTION:
            ctx.push(FunctionScene(ctx))
        elif command in (Command.SET_START, Command.ADD_BALL_AT) and isinstance(action.arg, Pixel):
            self._click((action.arg.x, action.arg.y))
        elif command is Command.BACK and not ctx.kiosk:
            ctx.pop()
        elif command is Command.LANGUAGE:
            ctx.toggle_language()
        elif command is Command.PRESENTER:
            ctx.toggle_presenter()

    def _click(self, pos: tuple[int, int]) -> None:
        for index, rect in self.row_rects:
            if rect.collidepoint(pos):
                self.start_level(index)
                return

    def draw(self, surface: pygame.Surface, look: Look) -> None:
        width, height = surface.get_size()
        colours = look.colours
        surface.fill(colours.background)
        big = int(max(min(height * 0.075, width * 0.06), 22))
        body = int(max(min(height * 0.028, 30), 13))
        y = int(height * 0.05)
        y = hud.draw_text(surface, look, "gdviz", (width // 2, y), big, colours.accent, bold=True,
                          anchor="midtop").bottom
        y = hud.draw_text(surface, look, look.tr("title.subtitle"), (width // 2, y + 4), body,
                          colours.text_dim, anchor="midtop").bottom + int(height * 0.04)
        footer = look.tr("title.footer_kiosk" if self.ctx.kiosk else "title.footer")
        foot_rect = hud.draw_text(surface, look, footer, (width // 2, height - 12), body, colours.text_dim,
                                  anchor="midbottom")
        foot_rect = self._draw_notices(surface, look, foot_rect, body)
        self._draw_list(surface, look, pygame.Rect(width // 6, y, width * 2 // 3, foot_rect.top - y - 12), body)

    def _draw_notices(self, surface: pygame.Surface, look: Look, above: pygame.Rect, size: int) -> pygame.Rect:
        """Say (briefly) which level files were skipped and whether progress had to start fresh."""
        notices = list(self.ctx.level_errors) + list(self.ctx.settings.notices)
        if self.ctx.progress.notice:
            notices.append(self.ctx.progress.notice)
        if not notices:
            return above
        text = notices[0] if len(notices) == 1 else look.tr("title.skipped", count=len(notices), first=notices[0])
        width = surface.get_width()
        line = look.font(size - 2).get_linesize()
        area = pygame.Rect(width // 12, above.top - line * 2 - 6, width * 5 // 6, line * 2)
        hud.draw_paragraph(surface, look, text, area, size - 2, theme.BAD, max_lines=2)
        return area

    def _scroll(self, rows: int) -> None:
        """Keep the chosen row inside the `rows` rows shown."""
        if self.choice < self.first_row:
            self.first_row = self.choice
        elif self.choice >= self.first_row + rows:
            self.first_row = self.choice - rows + 1

    def _draw_list(self, surface: pygame.Surface, look: Look, area: pygame.Rect, size: int) -> None:
        line = look.font(size).get_linesize() + 8
        rows = max(area.height // line, 1)
        self._scroll(rows)
        self.row_rects = []
        for row, index in enumerate(range(self.first_row, min(self.first_row + rows, len(self.levels)))):
            rect = pygame.Rect(area.x, area.y + row * line, area.width, line - 4)
            self._draw_row(surface, look, rect, index, size)
            self.row_rects.append((index, rect))

    def _draw_row(self, surface: pygame.Surface, look: Look, rect: pygame.Rect, index: int, size: int) -> None:
        colours = look.colours
        chosen = index == self.choice
        if chosen:
            hud.draw_panel(surface, look, rect.inflate(12, 2), 255)
        level = self.levels[index]
        earned = self.ctx.progress.stars.get(level.id, 0)
        stars = hud.draw_text(surface, look, "★" * earned + "☆" * (MAX_STARS - earned),
                              (rect.right - 8, rect.y + 4), size, colours.accent, anchor="topright")
        text = f"{index + 1:>2}.  {level.title.get(look.lang)}"
        hud.draw_paragraph(surface, look, text, pygame.Rect(rect.x + 8, rect.y + 4, stars.left - rect.x - 20,
                                                            rect.height + 4),
                           size, colours.accent if chosen else colours.text, bold=chosen, max_lines=1)
