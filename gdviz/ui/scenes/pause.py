"""The pause overlay: the race stands still; stepping, tuning and help still work.

It draws nothing itself: the play scene shows "paused" where it hides no ball (see
play_banners.py).
"""

from __future__ import annotations

from gdviz.core.commands import Action
from gdviz.ui.scenes.base import Context, Scene


class PauseScene(Scene):
    """Sits over the play scene while it is paused and passes every Action down to it.

    Space reaches the play scene too: the race resumes and the play scene closes this overlay.
    """

    opaque = False

    def __init__(self, ctx: Context, play) -> None:
        super().__init__(ctx)
        self.play = play

    def handle(self, action: Action) -> None:
        self.play.handle(action)

    def update(self, dt: float) -> None:
        self.play.update(dt)

    def notify(self, text: str) -> None:
        self.play.notify(text)

    def on_screen(self) -> object:
        return self.play.on_screen()  # pausing and playing do not change the screen
