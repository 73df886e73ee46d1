"""Looks in one place: colours, fonts, sizes and timings the whole UI shares."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pygame

ASSETS = Path(__file__).resolve().parents[2] / "assets"
FONT_DIR = ASSETS / "fonts"

DEFAULT_SIZE = (1280, 720)
MIN_SIZE = (320, 240)
FPS = 60
SIM_HZ = 60  # fixed simulation ticks per second; steps per second are set separately
STEPS_PER_SECOND = 10.0
SPEED_LIMITS = (0.1, 10.0)  # slowest and fastest speed multiplier
LR_STEP = 10 ** 0.25  # + and − move the learning rate by a quarter of a decade
DECAY_STEP = 0.01

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

BACKGROUND = (18, 20, 28)
PANEL = (28, 31, 42)
PANEL_EDGE = (70, 76, 96)
TEXT = (235, 237, 242)
TEXT_DIM = (160, 166, 182)
ACCENT = (255, 210, 80)
GOOD = (120, 220, 140)
BAD = (255, 96, 96)
OUTLINE = (10, 10, 14)
ISO_LINE = (255, 255, 255)
MIN_GLOBAL = (255, 255, 255)
MIN_LOCAL = (200, 200, 210)
SADDLE = (255, 120, 200)
GOAL = (120, 255, 160)

ARROW_COLOURS = {
    "grad": (255, 90, 90),
    "grad_x": (255, 150, 150),
    "grad_y": (255, 150, 150),
    "velocity": (90, 200, 255),
    "squares": (255, 230, 120),
    "update": (140, 255, 140),
}

BALL_RADIUS = 9
TRAIL_WIDTH = 3
ARROW_WIDTH = 3
ARROW_MIN_PX = 14
ARROW_MAX_FRACTION = 0.3  # longest arrow as a share of the map's smaller side

FONT_SMALL = 15
FONT_BODY = 18
FONT_LARGE = 26
FONT_TITLE = 44


# What the whole UI follows right now: the language, presenter scale and contrast.
LANG = "en"
SCALE = 1.0
HIGH_CONTRAST = False
VERSION = 0  # changes whenever the look changes, so cached pictures know to redraw

_NORMAL = dict(BACKGROUND=BACKGROUND, PANEL=PANEL, PANEL_EDGE=PANEL_EDGE, TEXT=TEXT, TEXT_DIM=TEXT_DIM,
               ACCENT=ACCENT)
_CONTRAST = dict(BACKGROUND=(0, 0, 0), PANEL=(0, 0, 0), PANEL_EDGE=(255, 255, 255), TEXT=(255, 255, 255),
                 TEXT_DIM=(235, 235, 235), ACCENT=(255, 230, 0))


def set_language(lang: str) -> None:
    """Switch every font to the one for `lang` ('en' or 'zh')."""
    global LANG, VERSION
    LANG, VERSION = lang, VERSION + 1


def set_presenter(on: bool, scale: float = 1.5) -> None:
    """Presenter mode: everything `scale` times bigger and in high contrast; off: as normal."""
    global SCALE, HIGH_CONTRAST, VERSION
    SCALE, HIGH_CONTRAST, VERSION = (scale if on else 1.0), on, VERSION + 1
    globals().update(_CONTRAST if on else _NORMAL)


def label_size(height: int) -> int:
    """Return the font size for map labels in a picture `height` pixels tall."""
    return int(min(max(round(height * 0.024 * SCALE), 11), 48))


def forget_fonts() -> None:
    """Drop cached fonts: after pygame.font.quit() they can no longer draw."""
    _font.cache_clear()


def font(size: int, bold: bool = False, mono: bool = False) -> pygame.font.Font:
    """Return the bundled font for the current language at `size` pixels (cached)."""
    return _font(max(int(size), 6), bold, mono, LANG)


def font_for_language(lang: str, size: int, bold: bool = False) -> pygame.font.Font:
    """Return the font for `lang` whatever the current language is (for mixed text)."""
    return _font(max(int(size), 6), bold, False, lang)


@lru_cache(maxsize=128)
def _font(size: int, bold: bool, mono: bool, lang: str) -> pygame.font.Font:
    from gdviz.ui.fonts import font_path

    return pygame.font.Font(font_path(lang, bold, mono), size)


def optimizer_colour(name: str) -> tuple[int, int, int]:
    """Return the colour that stands for optimizer `name` everywhere in the game."""
    return OPTIMIZER_COLOURS.get(name, TEXT)
