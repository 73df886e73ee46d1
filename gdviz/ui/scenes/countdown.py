"""Kiosk: "resetting in 10 … press any key to keep playing" when nobody has touched anything."""

from __future__ import annotations

import math

import pygame

from gdviz.core.commands import Action
from gdviz.ui import hud
from gdviz.ui.kiosk import COUNTDOWN_SECONDS
from gdviz.ui.scenes.base import Context, Scene
from gdviz.ui.theme import Look


class CountdownScene(Scene):
    """Counts down over whatever is on screen; the App removes it at the first sign of a visitor."""

    opaque = False

    def __init__(self, ctx: Context, seconds: float = COUNTDOWN_SECONDS) -> None:
        super().__init__(ctx)
        self.left = seconds

    def handle(self, action: Action) -> None:
        self.ctx.pop()

    def update(self, dt: float) -> None:
        self.left -= dt
        if self.left <= 0:
            self.ctx.enter_attract()

    def draw(self, surface: pygame.Surface, look: Look) -> None:
        width, height = surface.get_size()
        shade = pygame.Surface((width, height), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 160))
        surface.blit(shade, (0, 0))
        big = max(int(height * 0.16), 30)
        body = max(int(height * 0.04), 14)
        seconds = max(math.ceil(self.left), 0)
        colours = look.colours
        hud.draw_text(surface, look, look.tr("countdown.title", seconds=seconds), (width // 2, height // 2 - big),
                      body, colours.text, bold=True, anchor="midbottom")
        hud.draw_text(surface, look, str(seconds), (width // 2, height // 2), big, colours.accent, bold=True,
                      anchor="center")
        hud.draw_text(surface, look, look.tr("countdown.keep"), (width // 2, height // 2 + big), body,
                      colours.text, bold=True, anchor="midtop")
