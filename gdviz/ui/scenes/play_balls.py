"""Drawing the balls and the paths they took."""

from __future__ import annotations

import numpy as np
import pygame

from gdviz.core.sim import CONVERGED, DIVERGED, GOAL
from gdviz.ui import glyphs, hud, theme
from gdviz.ui.scenes.play_map import Frame


def draw_trails(f: Frame) -> None:
    race = f.session.race
    for ball in race.balls:
        trail = ball.trail(race.trail_length)[:, 0]
        colour = theme.optimizer_colour(ball.optimizer.name)
        if f.geo.dims == 1:
            _draw_hops(f, trail[-40:], colour)
        else:
            glyphs.draw_trail(f.target, f.geo.to_pixels(trail), colour, f.geo.sizes.line)


def _draw_hops(f: Frame, trail: np.ndarray, colour) -> None:
    """Draw 1-D steps as little hops along the curve."""
    if len(trail) < 2:
        return
    pix = f.geo.to_pixels(trail)
    t = np.linspace(0, 1, 9)[:, None]
    for a, b in zip(pix[:-1], pix[1:]):
        lift = min(abs(b[0] - a[0]) * 0.35, 60)
        arc = a + (b - a) * t
        arc[:, 1] -= lift * 4 * t[:, 0] * (1 - t[:, 0])
        pygame.draw.lines(f.target, colour, False, arc, max(f.geo.sizes.line - 1, 1))


def draw_balls(f: Frame) -> None:
    """Every ball with its number, the selected one on top with a ring, status marks on finished ones."""
    session, radius = f.session, f.geo.sizes.ball
    drawn = list(enumerate(zip(session.race.balls, session.display_positions())))
    drawn.append(drawn.pop(session.selected))  # the selected ball on top of the others
    for i, (ball, centre) in drawn:
        pix = f.geo.to_pixels(centre[None])[0]
        colour = theme.optimizer_colour(ball.optimizer.name)
        status = int(ball.status[0])
        if status == DIVERGED:
            glyphs.draw_burst(f.target, pix, colour, radius)
        else:
            glyphs.draw_ball(f.target, pix, colour, radius, selected=i == session.selected)
            if status == CONVERGED:
                glyphs.draw_calm(f.target, pix, radius)
            elif status == GOAL:
                glyphs.draw_flag(f.target, pix, radius)
        tag = f"{i + 1} {f.look.tr('map.you')}" if session.is_players(i) and not session.demo else str(i + 1)
        hud.draw_text(f.target, f.look, tag, (pix[0] + radius + 3, pix[1] + radius - 2), f.geo.sizes.small,
                      f.look.colours.text, bold=True)
