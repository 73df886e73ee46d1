"""Drawing the map of a level being played: the frame everything is drawn from, the goal, the swarm.

Everything here is drawn from a `Frame` (the target, the Look, the session and the screen
geometry) and changes nothing: the session says where things are, the geometry says where
that is on screen. Balls and trails are in play_balls.py, arrows and squares in play_arrows.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pygame

from gdviz.core.session import PlaySession
from gdviz.ui import basin_map, glyphs, theme
from gdviz.ui.layout import PlayGeometry
from gdviz.ui.theme import Look


@dataclass(frozen=True)
class Frame:
    """What one frame of the play screen is drawn from."""

    target: pygame.Surface
    look: Look
    session: PlaySession
    geo: PlayGeometry
    gain: float  # world units of arrow per unit of gradient on this level (see arrow_gain)
    # Numbers written at the tips of arrows that are not to scale: (text, colour, tip, direction),
    # gathered while the arrows are drawn and written last, clear of one another and of the balls.
    tip_labels: list = field(default_factory=list)
    # Where the arrows went (boxes round each shaft), so names are put beside them, not on them.
    arrow_boxes: list = field(default_factory=list)


def draw_goal(f: Frame) -> None:
    goal = f.session.race.goal
    if goal is None:
        return
    centre = f.geo.to_pixels(np.array([goal.center]))[0]
    glyphs.draw_goal(f.target, centre, goal.radius * f.geo.viewport.scale[0])


def draw_swarm(f: Frame) -> pygame.Rect | None:
    """The swarm's balls as dots; once they have settled, the basin map, its minima and a legend
    (return where the legend went, so nothing else is drawn over it)."""
    swarm = f.session.swarm
    if swarm.basins is not None:
        basin_map.draw_basin_map(f.target, f.geo.layout.map, swarm, f.geo.dims == 1)
    ball = swarm.race.balls[0]
    glyphs.draw_dots(f.target, f.geo.to_pixels(ball.position), theme.ball_colour(f.session.selected))
    if swarm.basins is not None:
        if swarm.minima:
            points = np.array([m.location for m in swarm.minima])
            basin_map.draw_minima(f.target, f.geo.to_pixels(points), max(f.geo.sizes.ball // 2, 4))
        return basin_map.draw_basin_legend(f.target, f.look, f.geo.layout.map, len(swarm.minima), f.geo.sizes.small)
    return None
