"""What every scene has: it handles Actions, updates with time, and draws onto a Surface."""

from __future__ import annotations

from typing import Any

import pygame

from gdviz.core.commands import Action


class Scene:
    """A screen of the game. `opaque` scenes hide everything beneath them."""

    opaque = True

    def __init__(self, app: Any) -> None:
        self.app = app

    def handle(self, action: Action) -> None:
        """React to one Action."""

    def update(self, dt: float) -> None:
        """Advance by dt seconds."""

    def draw(self, surface: pygame.Surface) -> None:
        """Draw onto `surface`."""
