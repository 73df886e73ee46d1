"""Looks in one place: colours, fonts and sizes the whole UI shares.

What can change while the game runs — the language, presenter mode's bigger type and its
high contrast — is one value, a `Look`. The App holds the current Look and hands it to
every scene's `draw`; nothing here is rewritten at run time, so a picture drawn with a Look
depends on that Look alone (and caches can use it as a key).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import pygame

DEFAULT_SIZE = (1280, 720)

# Okabe & Ito's colour-blind-safe palette, one colour per optimizer (number keys 1–8).
OPTIMIZER_COLOURS = {
    "gd": (230, 159, 0),         # orange
    "momentum": (86, 180, 233),  # sky blue
    "nesterov": (0, 158, 115),   # bluish green
    "adagrad": (240, 228, 66),   # yellow
    "rmsprop": (0, 114, 178),    # blue
    "adam": (213, 94, 0),        # vermillion
    "adamw": (204, 121, 167),    # reddish purple
    "adadelta": (255, 255, 255),  # white
}

# One colour per BALL, by its number in the race (ball 9 takes ball 1's colour again): the same
# Okabe & Ito colours, ordered so that balls 1 and 2 — often plain GD against an adaptive
# method — differ in hue and in lightness. The ball's number, drawn in it in BALL_INK, is the
# second cue that survives grey-scale and colour blindness.
BALL_COLOURS = (
    (230, 159, 0),    # orange
    (0, 114, 178),    # blue
    (0, 158, 115),    # bluish green
    (204, 121, 167),  # reddish purple
    (240, 228, 66),   # yellow
    (86, 180, 233),   # sky blue
    (213, 94, 0),     # vermillion
    (200, 200, 200),  # light grey
)
BALL_INK = ((0, 0, 0), (255, 255, 255))  # a number on a ball is drawn in whichever contrasts more

# Colours that stay the same in presenter mode.
GOOD = (120, 220, 140)
BAD = (255, 96, 96)
OUTLINE = (10, 10, 14)
ISO_LINE = (255, 255, 255)
MIN_GLOBAL = (255, 255, 255)
MIN_LOCAL = (200, 200, 210)
SADDLE = (255, 120, 200)
GOAL = (120, 255, 160)
RING = (240, 241, 245)  # the selected ball's ring and the goal flag's pole

# One colour per kind of glyph (see gdviz/ui/grammar.py). No red–green pair: the step is white.
ARROW_COLOURS = {
    "grad": (255, 96, 96),         # red: downhill, −g
    "grad_part": (255, 170, 170),  # its x and y parts
    "velocity": (90, 200, 255),    # sky blue: what momentum carries, −b or −m̂
    "direction": (200, 150, 255),  # lavender: the rescaled direction, −g/√v
    "step": (245, 245, 250),       # white: the move itself
    "squares": (255, 225, 90),     # yellow: the squared-slope memory
}
ARROW_COLOURS["update"] = ARROW_COLOURS["step"]  # the panel's name for the step

FONT_LARGE = 26
FONT_BODY = 18


@dataclass(frozen=True)
class Palette:
    """The colours of panels and text, which presenter mode turns to high contrast."""

    background: tuple[int, int, int]
    panel: tuple[int, int, int]
    panel_edge: tuple[int, int, int]
    text: tuple[int, int, int]
    text_dim: tuple[int, int, int]
    accent: tuple[int, int, int]


NORMAL = Palette(background=(18, 20, 28), panel=(28, 31, 42), panel_edge=(70, 76, 96), text=(235, 237, 242),
                 text_dim=(160, 166, 182), accent=(255, 210, 80))
CONTRAST = Palette(background=(0, 0, 0), panel=(0, 0, 0), panel_edge=(255, 255, 255), text=(255, 255, 255),
                   text_dim=(235, 235, 235), accent=(255, 230, 0))


@dataclass(frozen=True)
class Look:
    """How everything is drawn right now: the language, presenter mode on or off, and the kiosk profile.

    Presenter mode makes type, lines and balls `presenter_scale` times bigger, switches to
    the high-contrast palette and writes numbers in fixed point, for a projector seen from
    the back of a room. The kiosk profile shows visitors only what they can do: no keyboard
    hints, no messages meant for staff; it writes numbers in fixed point too (`fixed`).
    """

    lang: str = "en"
    presenter: bool = False
    presenter_scale: float = 1.5
    kiosk: bool = False

    @property
    def scale(self) -> float:
        """Return how much bigger than normal text and glyphs are drawn."""
        return self.presenter_scale if self.presenter else 1.0

    @property
    def colours(self) -> Palette:
        return CONTRAST if self.presenter else NORMAL

    @property
    def fixed(self) -> bool:
        """Whether numbers are written in fixed point (a × 10ⁿ when they must), never e-notation:
        for a room (presenter mode) and for visitors (the kiosk profile)."""
        return self.presenter or self.kiosk

    def font(self, size: int, bold: bool = False, mono: bool = False) -> pygame.font.Font:
        """Return the bundled font for this look's language at `size` pixels (cached)."""
        return _font(max(int(size), 6), bold, mono, self.lang)

    def tr(self, key: str, **values: object) -> str:
        """Return the sentence `key` (from gdviz.ui.strings) in this look's language."""
        from gdviz.ui.strings import tr

        return tr(self.lang, key, **values)

    def label_size(self, height: int) -> int:
        """Return the font size for map labels in a picture `height` pixels tall."""
        return int(min(max(round(height * 0.024 * self.scale), 11), 48))

    def with_language(self, lang: str) -> Look:
        return replace(self, lang=lang)

    def with_presenter(self, on: bool) -> Look:
        return replace(self, presenter=on)


def forget_fonts() -> None:
    """Drop cached fonts: after pygame.font.quit() they can no longer draw."""
    _font.cache_clear()


def font_for_language(lang: str, size: int, bold: bool = False) -> pygame.font.Font:
    """Return the font for `lang` whatever the look's language is (for mixed text)."""
    return _font(max(int(size), 6), bold, False, lang)


@lru_cache(maxsize=128)
def _font(size: int, bold: bool, mono: bool, lang: str) -> pygame.font.Font:
    from gdviz.ui.fonts import font_path

    return pygame.font.Font(font_path(lang, bold, mono), size)


def ball_colour(index: int) -> tuple[int, int, int]:
    """Return the colour of ball `index` (counting from 0), the same on the map, board and plot."""
    return BALL_COLOURS[index % len(BALL_COLOURS)]


def luminance(colour: tuple[int, int, int]) -> float:
    """Return the relative luminance of an sRGB colour, 0 (black) to 1 (white), as WCAG defines it."""
    channels = [c / 255 for c in colour]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@lru_cache(maxsize=64)
def ink_on(colour: tuple[int, int, int]) -> tuple[int, int, int]:
    """Return black or white, whichever reads better on `colour` (the higher contrast ratio)."""
    light = luminance(colour)
    return BALL_INK[0] if (light + 0.05) / 0.05 >= 1.05 / (light + 0.05) else BALL_INK[1]


def optimizer_colour(name: str) -> tuple[int, int, int]:
    """Return the colour that stands for optimizer `name` everywhere in the game."""
    return OPTIMIZER_COLOURS.get(name, NORMAL.text)
