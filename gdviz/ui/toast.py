"""A short message shown over the map for a few seconds ("learning rate 0.1", "saved …")."""

from __future__ import annotations

from dataclasses import dataclass

TOAST_SECONDS = 4.0


@dataclass
class Toast:
    """The latest message and how many seconds it stays on screen."""

    text: str = ""
    left: float = 0.0

    def show(self, text: str, seconds: float = TOAST_SECONDS) -> None:
        """Show `text` from now on, replacing any message still showing."""
        self.text, self.left = text, seconds

    def tick(self, dt: float) -> None:
        """Let `dt` seconds pass."""
        self.left = max(self.left - dt, 0.0)

    @property
    def showing(self) -> bool:
        return self.left > 0 and bool(self.text)
