"""Where the parts of the play screen sit: the map, the side panel, the control bar, the footer, and sizes.

`PlayGeometry` is worked out from the window size, the Look and the level. It answers the
questions that need pixels — where a world point is drawn, which world point a click
landed on, which part of the world is visible (for a swarm's grid) — so neither the rules
of play nor the drawing code has to know about the window.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pygame

from gdviz.core.levels import Level
from gdviz.core.swarm import SwarmArea
from gdviz.ui.control_bar import Touch, bar_height
from gdviz.ui.terrain import viewport_for
from gdviz.ui.theme import Look
from gdviz.ui.viewport import Viewport

PAD = 8


@dataclass(frozen=True)
class Sizes:
    """Font sizes and glyph sizes for a window `height` pixels tall."""

    small: int
    body: int
    large: int
    ball: int
    line: int

    @staticmethod
    def for_height(height: int, scale: float = 1.0) -> "Sizes":
        """Return the sizes for a window this tall; `scale` > 1 in presenter mode."""
        body = int(np.clip(round(height * 0.026 * scale), 12, 60))
        return Sizes(max(int(body * 0.82), 11), body, int(body * 1.35), max(int(body * 0.5), 6),
                     max(int(body / 6), 2))


@dataclass(frozen=True)
class Layout:
    """Where things go: the map on the left, the panel on the right, hints along the bottom and,
    when the Look shows it, the control bar just above them. The bar's room is taken from the
    map and the panel, so it covers nothing."""

    map: pygame.Rect
    panel: pygame.Rect
    footer: pygame.Rect
    bar: pygame.Rect  # empty when the Look hides the bar

    @staticmethod
    def for_size(width: int, height: int, sizes: Sizes, look: Look, hud: bool = True,
                 touch: Touch = Touch()) -> "Layout":
        """Return the layout for a window of this size; without the HUD the map fills it (but for the bar)."""
        bar_h = bar_height((width, height), look, sizes, width - 2 * PAD, touch)
        if not hud:  # empty rectangles for the panel and footer
            bar = pygame.Rect(PAD, height - bar_h - PAD, width - 2 * PAD, bar_h) if bar_h else pygame.Rect(0, height, 0, 0)
            return Layout(pygame.Rect(0, 0, width, bar.y - PAD if bar_h else height), pygame.Rect(width, 0, 0, 0),
                          pygame.Rect(0, height, width, 0), bar)
        footer_h = look.font(sizes.small).get_linesize() + 10
        panel_w = int(np.clip(width * 0.3 * look.scale ** 0.5, 250, min(900, width * 0.45)))
        footer = pygame.Rect(0, height - footer_h, width, footer_h)
        bar = pygame.Rect(PAD, footer.y - bar_h - (PAD // 2 if bar_h else 0), width - 2 * PAD, bar_h)
        room = bar.y - 2 * PAD  # the height left for the map and the panel (above the bar, if any)
        panel = pygame.Rect(width - panel_w, PAD, panel_w - PAD, room)
        game = pygame.Rect(PAD, PAD, width - panel_w - 2 * PAD, room)
        return Layout(game, panel, footer, bar)


@dataclass(frozen=True)
class PlayGeometry:
    """The play screen for one window size, Look and level: sizes, layout and the map's viewport.

    `home` is the level's own view in this map; `viewport`, what the map shows, is the same
    view moved by `pan` world units (step-by-step mode pans to follow the ball, see camera.py).
    `finger` is how many pixels make a fingertip on this screen (see control_bar.Touch).
    """

    sizes: Sizes
    layout: Layout
    viewport: Viewport
    level: Level
    home: Viewport
    finger: int

    @staticmethod
    def build(size: tuple[int, int], look: Look, level: Level, hud: bool = True,
              pan: tuple[float, float] = (0.0, 0.0), touch: Touch = Touch()) -> "PlayGeometry":
        sizes = Sizes.for_height(size[1], look.scale)
        layout = Layout.for_size(*size, sizes, look, hud, touch)
        home = viewport_for(level.surface, level.view, tuple(layout.map))
        return PlayGeometry(sizes, layout, home.moved(*pan) if any(pan) else home, level, home, touch.least(size))

    @property
    def dims(self) -> int:
        return self.level.surface.dims

    def to_pixels(self, points: np.ndarray) -> np.ndarray:
        """Map world points (n, d) to pixels; 1-D points sit on their curve."""
        points = np.asarray(points, dtype=float)
        if self.dims == 1:
            with np.errstate(all="ignore"):
                heights = self.level.surface.value(points)
            points = np.concatenate([points, heights[..., None]], axis=-1)
        return self.viewport.to_screen(points)

    def pixel_to_world(self, pixel: tuple[int, int]) -> np.ndarray | None:
        """Return the world point under a pixel (its x alone on a 1-D level), or None off the map."""
        if not self.viewport.contains_pixel(pixel):
            return None
        return self.viewport.to_world(pixel)[: self.dims]

    def swarm_area(self, balls: int) -> SwarmArea:
        """Return about `balls` swarm starts over the level's own view of this map (a swarm is
        never shown panned), in a grid shaped like the map."""
        vp = self.home
        bounds = (vp.xlim,) if self.dims == 1 else (vp.xlim, vp.ylim)
        if self.dims == 1:
            return SwarmArea(bounds, (min(balls, max(self.layout.map.width // 2, 50)), 1))
        w, h = self.layout.map.size
        columns = max(int(round(np.sqrt(balls * w / max(h, 1)))), 4)
        return SwarmArea(bounds, (columns, max(balls // columns, 4)))
