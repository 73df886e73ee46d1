"""Kiosk: "resetting in 10 … press any key to keep playing" when nobody has touched anything."""

from __future__ import annotations

import math

import pygame

from gdviz.core.commands import Action
from gdviz.ui import hud, theme
from gdviz.ui.kiosk import COUNTDOWN_SECONDS
from gdviz.ui.scenes.base import Scene


class CountdownScene(Scene):
    """Counts down over whatever is on screen; the App removes it at the first sign of a visitor."""

    opaque = False

    def __init__(self, app, seconds: float = COUNTDOWN_SECONDS) -> None:
        super().__init__(app)
        self.left = seconds

    def handle(self, action: Action) -> None:
        self.app.pop()

    def update(self, dt: float) -> None:
        self.left -= dt
        if self.left <= 0:
            self.app.enter_attract()

    def draw(self, surface: pygame.Surface) -> None:
        width, height = surface.get_size()
        shade = pygame.Surface((width, height), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 160))
        surface.blit(shade, (0, 0))
        big = max(int(height * 0.16), 30)
        body = max(int(height * 0.04), 14)
        seconds = max(math.ceil(self.left), 0)
        hud.draw_text(surface, self.app.tr("countdown.title", seconds=seconds), (width // 2, height // 2 - big),
                      body, theme.TEXT, bold=True, anchor="midbottom")
        hud.draw_text(surface, str(seconds), (width // 2, height // 2), big, theme.ACCENT, bold=True,
                      anchor="center")
        hud.draw_text(surface, self.app.tr("countdown.keep"), (width // 2, height // 2 + big), body,
                      theme.TEXT, bold=True, anchor="midtop")
