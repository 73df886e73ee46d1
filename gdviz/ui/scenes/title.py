"""The title screen: the name of the game and the list of levels to choose from."""

from __future__ import annotations

import pygame

from gdviz.core.commands import Action, Command, Pixel
from gdviz.ui import content, hud, theme
from gdviz.ui.progress import MAX_STARS
from gdviz.ui.scenes.base import Scene
from gdviz.ui.scenes.function import FunctionScene
from gdviz.ui.scenes.help import HelpScene


class TitleScene(Scene):
    """Choose a level with ↑ ↓ and Enter (or a click); Esc quits."""

    def __init__(self, app) -> None:
        super().__init__(app)
        self.choice = 0
        self.first_row = 0
        self.row_rects: list[tuple[int, pygame.Rect]] = []

    @property
    def levels(self):
        return self.app.content.levels

    def start_level(self, index: int) -> None:
        """Open level `index` in a play scene on top of this one."""
        from gdviz.ui.scenes.play import PlayScene

        self.choice = index
        scene = PlayScene(self.app, index)
        self.app.push(scene)
        scene.enter()

    def play_custom(self, level) -> None:
        """Add a level built from the player's function and play it."""
        while self.app.top is not self:
            self.app.pop()
        levels = self.app.content.levels
        levels[:] = [lv for lv in levels if lv.id != level.id]  # one typed function at a time
        levels.insert(0, level)
        self.start_level(0)

    def handle(self, action: Action) -> None:
        command = action.command
        if command in (Command.UP, Command.PREV_LEVEL, Command.STEP_BACK):
            self.choice = (self.choice - 1) % len(self.levels)
        elif command in (Command.DOWN, Command.NEXT_LEVEL, Command.NEXT_BALL, Command.STEP):
            self.choice = (self.choice + 1) % len(self.levels)
        elif command in (Command.SELECT, Command.PLAY_PAUSE):
            self.start_level(self.choice)
        elif command is Command.OPTIMIZER:
            pass
        elif command is Command.HELP:
            self.app.push(HelpScene(self.app))
        elif command is Command.FUNCTION:
            self.app.push(FunctionScene(self.app, self.play_custom))
        elif command in (Command.SET_START, Command.ADD_BALL_AT) and isinstance(action.arg, Pixel):
            self._click((action.arg.x, action.arg.y))
        elif command is Command.BACK and not self.app.kiosk:
            self.app.pop()
        elif command is Command.LANGUAGE:
            self.app.toggle_language()
        elif command is Command.PRESENTER:
            self.app.toggle_presenter()

    def _click(self, pos: tuple[int, int]) -> None:
        for index, rect in self.row_rects:
            if rect.collidepoint(pos):
                self.start_level(index)
                return

    def draw(self, surface: pygame.Surface) -> None:
        width, height = surface.get_size()
        surface.fill(theme.BACKGROUND)
        big = int(max(min(height * 0.075, width * 0.06), 22))
        body = int(max(min(height * 0.028, 30), 13))
        y = int(height * 0.05)
        y = hud.draw_text(surface, "gdviz", (width // 2, y), big, theme.ACCENT, bold=True, anchor="midtop").bottom
        y = hud.draw_text(surface, self.app.tr("title.subtitle"), (width // 2, y + 4), body,
                          theme.TEXT_DIM, anchor="midtop").bottom + int(height * 0.04)
        footer = self.app.tr("title.footer_kiosk" if self.app.kiosk else "title.footer")
        foot_rect = hud.draw_text(surface, footer, (width // 2, height - 12), body, theme.TEXT_DIM,
                                  anchor="midbottom")
        foot_rect = self._draw_notices(surface, foot_rect, body)
        self._draw_list(surface, pygame.Rect(width // 6, y, width * 2 // 3, foot_rect.top - y - 12), body)

    def _draw_notices(self, surface: pygame.Surface, above: pygame.Rect, size: int) -> pygame.Rect:
        """Say (briefly) which level files were skipped and whether progress had to start fresh."""
        notices = list(self.app.content.errors) + list(self.app.config.notices)
        if self.app.progress.notice:
            notices.append(self.app.progress.notice)
        if not notices:
            return above
        text = notices[0] if len(notices) == 1 else self.app.tr("title.skipped", count=len(notices), first=notices[0])
        width = surface.get_width()
        area = pygame.Rect(width // 12, above.top - theme.font(size - 2).get_linesize() * 2 - 6, width * 5 // 6,
                           theme.font(size - 2).get_linesize() * 2)
        hud.draw_paragraph(surface, text, area, size - 2, theme.BAD, max_lines=2)
        return area

    def _draw_list(self, surface: pygame.Surface, area: pygame.Rect, size: int) -> None:
        line = theme.font(size).get_linesize() + 8
        rows = max(area.height // line, 1)
        if self.choice < self.first_row:
            self.first_row = self.choice
        elif self.choice >= self.first_row + rows:
            self.first_row = self.choice - rows + 1
        self.row_rects = []
        for row, index in enumerate(range(self.first_row, min(self.first_row + rows, len(self.levels)))):
            rect = pygame.Rect(area.x, area.y + row * line, area.width, line - 4)
            chosen = index == self.choice
            if chosen:
                hud.draw_panel(surface, rect.inflate(12, 2), 255)
            level = self.levels[index]
            earned = self.app.progress.stars.get(level.id, 0)
            stars = hud.draw_text(surface, "★" * earned + "☆" * (MAX_STARS - earned),
                                  (rect.right - 8, rect.y + 4), size, theme.ACCENT, anchor="topright")
            text = f"{index + 1:>2}.  {content.title(level)}"
            hud.draw_paragraph(surface, text, pygame.Rect(rect.x + 8, rect.y + 4, stars.left - rect.x - 20, line),
                               size, theme.ACCENT if chosen else theme.TEXT, bold=chosen, max_lines=1)
            self.row_rects.append((index, rect))
