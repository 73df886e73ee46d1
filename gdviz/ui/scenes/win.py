"""The level-complete banner: stars, steps against par, and what to do next."""

from __future__ import annotations

import pygame

from gdviz.core.commands import Action, Command
from gdviz.ui import hud, theme
from gdviz.ui.progress import MAX_STARS
from gdviz.ui.scenes.base import Scene


class WinScene(Scene):
    """Shown over the play scene when the player's ball reaches the goal."""

    opaque = False

    def __init__(self, app, play, stars: int, steps: int, par: int | None, best: bool) -> None:
        super().__init__(app)
        self.play, self.stars, self.steps, self.par, self.best = play, stars, steps, par, best

    def handle(self, action: Action) -> None:
        command = action.command
        self.app.pop()
        if command in (Command.SELECT, Command.NEXT_LEVEL):
            self.play.handle(Action(Command.NEXT_LEVEL))
        elif command in (Command.RESET, Command.BACK, Command.HELP):
            self.play.handle(action)

    def update(self, dt: float) -> None:
        self.play.update(dt)

    def draw(self, surface: pygame.Surface) -> None:
        area = self.play.layout.map
        sizes = self.play.sizes
        tr = self.app.tr
        big = sizes.large * 2
        lines = [
            ("★" * self.stars + "☆" * (MAX_STARS - self.stars), big, theme.ACCENT),
            (tr("win.title") + (tr("win.best") if self.best else ""), sizes.large, theme.TEXT),
            (tr("win.steps", steps=self.steps, par=tr("win.par", par=self.par) if self.par else ""), sizes.body,
             theme.TEXT),
            (tr("win.next"), sizes.small, theme.TEXT_DIM),
        ]
        heights = [theme.font(size, True).get_linesize() for _, size, _ in lines]
        box = pygame.Rect(0, 0, min(area.width - 40, 36 * sizes.body), sum(heights) + 40)
        box.center = area.center
        hud.draw_panel(surface, box, 235)
        y = box.y + 20
        for (text, size, colour), height in zip(lines, heights):
            hud.draw_paragraph(surface, text, pygame.Rect(box.x + 20, y, box.width - 40, height), size, colour,
                               bold=True, max_lines=1)
            y += height
