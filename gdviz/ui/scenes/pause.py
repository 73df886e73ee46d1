"""The pause overlay: the race stands still; stepping, tuning and help still work."""

from __future__ import annotations

import pygame

from gdviz.core.commands import Action, Command
from gdviz.ui import hud, theme
from gdviz.ui.scenes.base import Scene


class PauseScene(Scene):
    """Sits over the play scene while it is paused and passes most Actions down to it."""

    opaque = False

    def __init__(self, app, play) -> None:
        super().__init__(app)
        self.play = play

    def handle(self, action: Action) -> None:
        if action.command is Command.PLAY_PAUSE:
            self.app.pop()
            self.play.resume()
        elif action.command is Command.BACK:
            self.app.pop()
            self.play.handle(action)
        else:
            self.play.handle(action)

    def update(self, dt: float) -> None:
        self.play.update(dt)

    def draw(self, surface: pygame.Surface) -> None:
        rect = self.play.layout.map
        label = self.app.tr("pause.step_mode" if self.play.step_mode else "pause.label")
        size = self.play.sizes.body
        image = hud.TEXT.render(label, size, theme.TEXT, bold=True)
        box = image.get_rect(midtop=(rect.centerx, rect.y + 8)).inflate(20, 10)
        hud.draw_panel(surface, box, 200)
        surface.blit(image, image.get_rect(center=box.center))
