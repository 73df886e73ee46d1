"""What every scene has: it handles Actions, updates with time, and draws onto a Surface.

A scene is given a `Context`: exactly what a scene may know and do — the levels (read
only), the player's progress, the settings, the seed, the current Look, whether the control
bar for touch screens shows, and a few moves
of the scene stack (push, pop, close, go to the title, start a level). It is never given
the App itself, so no scene can reach into the stack. The pause overlay is given the play
scene it covers: it passes it the player's input and never changes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import pygame

from gdviz.core.commands import Action

if TYPE_CHECKING:
    from gdviz.core.levels import Level
    from gdviz.settings import Settings
    from gdviz.ui.control_bar import Touch
    from gdviz.ui.progress import Progress
    from gdviz.ui.theme import Look


class Context(Protocol):
    """What a scene may know and do. The App provides it (see gdviz.ui.context.AppContext)."""

    @property
    def look(self) -> Look: ...
    @property
    def kiosk(self) -> bool: ...
    @property
    def touch(self) -> Touch:
        """Whether the control bar for touch screens shows, and how big a fingertip is."""
    @property
    def seed(self) -> int: ...
    @property
    def levels(self) -> tuple[Level, ...]: ...
    @property
    def level_errors(self) -> tuple[str, ...]: ...
    @property
    def settings(self) -> Settings: ...
    @property
    def progress(self) -> Progress: ...

    def tr(self, key: str, **values: object) -> str:
        """Return the sentence `key` in the current language."""

    def push(self, scene: Scene) -> None:
        """Put `scene` on top of the stack; it gets the input from now on."""

    def pop(self) -> None:
        """Remove the top scene (with none left the game ends, except at a kiosk)."""

    def close(self, scene: Scene) -> None:
        """Remove `scene` and every scene above it (nothing, if it is not on the stack)."""

    def close_above(self, scene: Scene) -> None:
        """Remove every scene above `scene`."""

    def go_to_title(self, choice: int | None = None) -> None:
        """Clear the stack and show the title screen (with level `choice` highlighted)."""

    def start_level(self, index: int) -> None:
        """Open level `index` on top of the stack, paused, with its briefing."""

    def play_function(self, level: Level) -> None:
        """Play a level built from the player's own function (it replaces any earlier one)."""

    def enter_attract(self) -> None:
        """Kiosk: go back to the self-running demo."""

    def toggle_language(self) -> str:
        """Switch English / Chinese; return the message to show."""

    def toggle_presenter(self) -> str:
        """Switch presenter mode; return the message to show."""

    def screenshot(self) -> str:
        """Save a screenshot; return where it went (or why not)."""

    def export_csv(self, text: str) -> str:
        """Save `text` as a CSV file; return where it went (or why not)."""

    def toggle_recording(self) -> str:
        """Start or stop (and save) a GIF recording; return the message to show."""


class Scene:
    """A screen of the game. `opaque` scenes hide everything beneath them."""

    opaque = True

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def handle(self, action: Action) -> None:
        """React to one Action."""

    def update(self, dt: float) -> None:
        """Advance by dt seconds."""

    def draw(self, surface: pygame.Surface, look: Look) -> None:
        """Draw onto `surface` with `look` (language, presenter mode)."""

    def notify(self, text: str) -> None:
        """Show a short message, if this scene has a place for one."""

    def record_area(self) -> pygame.Rect | None:
        """Return the part of the screen a GIF recording should keep, or None for all of it."""
        return None

    def on_screen(self) -> object:
        """Return what the player sees of this scene: the scene itself, and what in it can change
        under the player's finger (a play scene's level). A press that changes it is used up,
        as one that opens a scene is (see gdviz.ui.pointer.SceneGuard)."""
        return self
