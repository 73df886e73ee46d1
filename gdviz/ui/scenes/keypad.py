"""An on-screen number pad, so a touch screen alone can type an exact learning rate.

Each key is the Action a keyboard would send: a digit, ".", "e" or "−" is typed text, ⌫ is
Backspace, OK is Enter and Cancel is Esc — the text box cannot tell the two apart. Keys are
at least a fingertip across (see gdviz.ui.control_bar).
"""

from __future__ import annotations

import pygame

from gdviz.core.commands import Action, Command, Pixel
from gdviz.ui import hud
from gdviz.ui.theme import Look

# (label, Action) row by row; a label starting with "pad." is a word in gdviz.ui.strings.
KEYS: tuple[tuple[tuple[str, Action], ...], ...] = (
    (("7", Action(Command.TEXT, "7")), ("8", Action(Command.TEXT, "8")), ("9", Action(Command.TEXT, "9")),
     ("⌫", Action(Command.REMOVE_BALL))),
    (("4", Action(Command.TEXT, "4")), ("5", Action(Command.TEXT, "5")), ("6", Action(Command.TEXT, "6")),
     ("e", Action(Command.TEXT, "e"))),
    (("1", Action(Command.TEXT, "1")), ("2", Action(Command.TEXT, "2")), ("3", Action(Command.TEXT, "3")),
     ("−", Action(Command.TEXT, "-"))),
    (("0", Action(Command.TEXT, "0")), (".", Action(Command.TEXT, ".")), ("pad.cancel", Action(Command.BACK)),
     ("pad.ok", Action(Command.SELECT))),
)
GAP = 6  # pixels between keys


def pad_size(key: int) -> tuple[int, int]:
    """Return the pad's width and height with keys `key` pixels across."""
    columns, rows = len(KEYS[0]), len(KEYS)
    return columns * key + (columns - 1) * GAP, rows * key + (rows - 1) * GAP


class Keypad:
    """Draws the pad and remembers where its keys went, so a tap finds its key."""

    def __init__(self) -> None:
        self.keys: list[tuple[pygame.Rect, Action]] = []

    def hit(self, at: Pixel) -> Action | None:
        """Return the Action of the key under `at`, if any."""
        return next((action for rect, action in self.keys if rect.collidepoint(at.x, at.y)), None)

    def draw(self, target: pygame.Surface, look: Look, topleft: tuple[int, int], key: int, size: int) -> None:
        """Draw the pad with its top-left corner at `topleft`, keys `key` pixels across, text `size`."""
        self.keys = []
        colours = look.colours
        for row, keys in enumerate(KEYS):
            for column, (label, action) in enumerate(keys):
                rect = pygame.Rect(topleft[0] + column * (key + GAP), topleft[1] + row * (key + GAP), key, key)
                word = label.startswith("pad.")
                pygame.draw.rect(target, colours.accent if label == "pad.ok" else colours.panel, rect, border_radius=8)
                pygame.draw.rect(target, colours.panel_edge, rect, 2, border_radius=8)
                ink = colours.background if label == "pad.ok" else colours.text
                text_look = look if word else Look("en")  # symbols such as ⌫ are in the Latin font
                text = look.tr(label) if word else label
                hud.draw_text(target, text_look, text, rect.center, size if word else size + 4, ink, bold=True,
                              anchor="center")
                self.keys.append((rect, action))
