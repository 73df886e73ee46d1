"""The swarm's basin map: every start coloured by the valley its ball settled in, with a legend.

Basin colours have a palette of their own (Paul Tol's "muted" scheme), so a basin is never
mistaken for a ball or an optimizer. With only nine colours for maybe a hundred valleys,
neighbouring basins are given different colours (a greedy colouring of which basins touch
on the grid), so every border on the map is a change of colour.
"""

from __future__ import annotations

import numpy as np
import pygame

from gdviz.core.swarm import DIVERGED_BASIN, NO_BASIN
from gdviz.ui import glyphs, hud, theme
from gdviz.ui.theme import Look

BASIN_PALETTE = ((204, 102, 119), (51, 34, 136), (221, 204, 119), (17, 119, 51), (136, 204, 238),
                 (136, 34, 85), (68, 170, 153), (153, 153, 51), (170, 68, 153))
NOT_SETTLED = (110, 110, 118)
FLEW_OFF = (70, 0, 10)
BASIN_ALPHA = 150
BAND_1D = 40  # pixels of basin band along the bottom of a 1-D map


def touching_pairs(labels: np.ndarray) -> set[tuple[int, int]]:
    """Return the pairs of basin labels (≥ 0) that are neighbours on the (rows, columns) grid."""
    pairs: set[tuple[int, int]] = set()
    # Corners count too: basins meeting only at a corner would otherwise merge into one stripe.
    for a, b in ((labels[:, :-1], labels[:, 1:]), (labels[:-1, :], labels[1:, :]),
                 (labels[:-1, :-1], labels[1:, 1:]), (labels[:-1, 1:], labels[1:, :-1])):
        differ = (a != b) & (a >= 0) & (b >= 0)
        for x, y in zip(a[differ].tolist(), b[differ].tolist()):
            pairs.add((min(x, y), max(x, y)))
    return pairs


def colour_indices(labels: np.ndarray, count: int, colours: int = len(BASIN_PALETTE)) -> np.ndarray:
    """Give each of `count` basins a palette index, different from its neighbours' where possible."""
    neighbours: dict[int, set[int]] = {i: set() for i in range(count)}
    for a, b in touching_pairs(labels):
        neighbours[a].add(b)
        neighbours[b].add(a)
    chosen = np.full(count, -1)
    used = np.zeros(colours, dtype=int)
    for basin in sorted(neighbours, key=lambda i: -len(neighbours[i])):
        taken = {chosen[n] for n in neighbours[basin]}
        free = [c for c in range(colours) if c not in taken] or list(range(colours))
        chosen[basin] = min(free, key=lambda c: used[c])  # spread the colours over the map
        used[chosen[basin]] += 1
    return chosen


def basin_rgb(labels: np.ndarray, count: int) -> np.ndarray:
    """Return the (rows, columns, 3) picture of a basin grid in basin colours."""
    palette = np.array(BASIN_PALETTE + (NOT_SETTLED, FLEW_OFF), dtype=np.uint8)
    colours = colour_indices(labels, count) if count else np.zeros(1, dtype=int)  # no minimum found at all
    index = np.where(labels >= 0, colours[np.clip(labels, 0, len(colours) - 1)], 0)
    index = np.where(labels == NO_BASIN, len(palette) - 2, np.where(labels == DIVERGED_BASIN, len(palette) - 1, index))
    return palette[index]


def draw_basin_map(target: pygame.Surface, area: pygame.Rect, swarm, one_d: bool) -> None:
    """Lay the basin colours translucently over the map area."""
    columns, rows = swarm.area.grid
    labels = swarm.basins.reshape(rows, columns)
    rgb = basin_rgb(labels, len(swarm.minima))
    small = pygame.surfarray.make_surface(np.ascontiguousarray(rgb.transpose(1, 0, 2)))
    if one_d:
        area = pygame.Rect(area.x, area.bottom - BAND_1D, area.width, BAND_1D)
    picture = pygame.transform.scale(small, area.size)
    picture.set_alpha(BASIN_ALPHA)
    target.blit(picture, area.topleft)


def draw_minima(target: pygame.Surface, pixels: np.ndarray, radius: int) -> None:
    """Mark each minimum the swarm found: the bottom of each coloured valley."""
    for x, y in pixels:
        glyphs.draw_ghost(target, (x, y), theme.RING, radius)


def draw_basin_legend(target: pygame.Surface, look: Look, area: pygame.Rect, found: int, size: int) -> pygame.Rect:
    """A box in the map's bottom-left corner saying what the colours mean; return where it went."""
    rows = [(BASIN_PALETTE[:3], look.tr("basins.valley", count=found)),
            ((NOT_SETTLED,), look.tr("basins.not_settled")), ((FLEW_OFF,), look.tr("basins.flew_off"))]
    line = look.font(size).get_linesize()
    swatch = line - 6
    width = max(hud.text_width(look, text, size) for _, text in rows) + 3 * swatch + 28
    box = pygame.Rect(area.x + 10, area.bottom - 10 - len(rows) * line - 12, min(width, area.width - 20),
                      len(rows) * line + 12)
    hud.draw_panel(target, look, box, 225)
    for i, (colours, text) in enumerate(rows):
        y = box.y + 6 + i * line
        for k, colour in enumerate(colours):
            pygame.draw.rect(target, colour, (box.x + 8 + k * swatch, y + 3, swatch - 2, swatch))
            pygame.draw.rect(target, theme.OUTLINE, (box.x + 8 + k * swatch, y + 3, swatch - 2, swatch), 1)
        hud.draw_text(target, look, text, (box.x + 16 + 3 * swatch, y), size, look.colours.text)
    return box
