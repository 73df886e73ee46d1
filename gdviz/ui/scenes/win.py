"""The level-complete banner: stars, steps against par, and what to do next."""

from __future__ import annotations

import pygame

from gdviz.core.commands import Action, Command
from gdviz.core.session import MAX_STARS, Won
from gdviz.ui import hud
from gdviz.ui.scenes.base import Context, Scene
from gdviz.ui.theme import Look


class WinScene(Scene):
    """Shown over the play scene when the player's ball reaches the goal; any key closes it."""

    opaque = False

    def __init__(self, ctx: Context, play, won: Won, best: bool) -> None:
        super().__init__(ctx)
        self.play, self.won, self.best = play, won, best

    def handle(self, action: Action) -> None:
        command = action.command
        self.ctx.pop()
        if command in (Command.SELECT, Command.NEXT_LEVEL):
            self.play.handle(Action(Command.NEXT_LEVEL))
        elif command in (Command.RESET, Command.BACK, Command.HELP):
            self.play.handle(action)

    def update(self, dt: float) -> None:
        self.play.update(dt)

    def draw(self, surface: pygame.Surface, look: Look) -> None:
        area, sizes = self.play.geometry.layout.map, self.play.geometry.sizes
        won, colours = self.won, look.colours
        par = look.tr("win.par", par=won.par) if won.par else ""
        lines = [
            ("★" * won.stars + "☆" * (MAX_STARS - won.stars), sizes.large * 2, colours.accent),
            (look.tr("win.title") + (look.tr("win.best") if self.best else ""), sizes.large, colours.text),
            (look.tr("win.steps", steps=won.steps, par=par), sizes.body, colours.text),
            (look.tr("win.next"), sizes.small, colours.text_dim),
        ]
        heights = [look.font(size, True).get_linesize() for _, size, _ in lines]
        box = pygame.Rect(0, 0, min(area.width - 40, 36 * sizes.body), sum(heights) + 40)
        box.center = area.center
        hud.draw_panel(surface, look, box, 235)
        y = box.y + 20
        for (text, size, colour), height in zip(lines, heights):
            hud.draw_paragraph(surface, look, text, pygame.Rect(box.x + 20, y, box.width - 40, height), size, colour,
                               bold=True, max_lines=1)
            y += height
