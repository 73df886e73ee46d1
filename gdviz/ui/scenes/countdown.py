"""Kiosk: "starting over in 10 … touch the screen to keep playing", on its own panel, when nobody
has touched anything."""

from __future__ import annotations

import math

import pygame

from gdviz.core.commands import Action
from gdviz.ui import hud
from gdviz.ui.kiosk import COUNTDOWN_SECONDS
from gdviz.ui.scenes.base import Context, Scene
from gdviz.ui.theme import Look

PANEL_PAD = 24  # pixels between the countdown's panel and its text


class CountdownScene(Scene):
    """Counts down over whatever is on screen; the App removes it at the first sign of a visitor."""

    opaque = False

    def __init__(self, ctx: Context, seconds: float = COUNTDOWN_SECONDS) -> None:
        super().__init__(ctx)
        self.left = seconds
        self.panel = pygame.Rect(0, 0, 0, 0)  # where its panel was drawn last

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
        body = max(int(min(height * 0.04, width * 0.035)), 12)
        seconds = max(math.ceil(self.left), 0)
        colours = look.colours
        keep = look.tr("countdown.keep_touch" if look.kiosk else "countdown.keep")  # a kiosk may have no keys
        texts = [(look.tr("countdown.title", seconds=seconds), body, colours.text),
                 (str(seconds), big, colours.accent), (keep, body, colours.text)]
        images = [hud.TEXT.render(look, text, size, colour, bold=True) for text, size, colour in texts]
        panel = pygame.Rect(0, 0, max(i.get_width() for i in images) + 2 * PANEL_PAD,
                            sum(i.get_height() for i in images) + 2 * PANEL_PAD)
        panel.center = (width // 2, height // 2)
        self.panel = panel = panel.clamp(surface.get_rect())
        hud.draw_panel(surface, look, panel, 250)  # its own panel, over anything
        y = panel.y + PANEL_PAD
        for image in images:
            surface.blit(image, image.get_rect(midtop=(panel.centerx, y)))
            y += image.get_height()
