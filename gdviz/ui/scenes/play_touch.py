"""What a tap, a click or a drag means on the play screen: it depends on where it landed.

A press (Command.SET_START with a Pixel, from gdviz.ui.controls.POINTER) is read in this
order, against the picture the player saw (the last frame drawn):

- on a control-bar button: that button's Command, as its key would give it (while the
  optimizer list is open, any tap closes it, and a tap on an optimizer chooses it; the ⚙
  settings panel stays open while its − / + and switches are tapped, until Close or a tap
  outside it);
- on the briefing card or the win strip: Enter (hide the card / go on to the next level);
- on the optimizer key over the map: that optimizer for the selected ball;
- on a ball: select it (tapping a pile of balls on one spot picks the next one in the pile);
- anywhere else on the map: move the selected ball's start there (Shift + click: add a ball).

After a press on a ball or on the map, moving the finger (or the mouse, button held) more
than a few pixels drags the selected ball's start along with it (Command.MOVE_START): the
whole drag is one edit, which one step back undoes. Nothing needs a long press or two
fingers, and a press anywhere else never drags.
"""

from __future__ import annotations

import numpy as np
import pygame

from gdviz.core.commands import Action, Command, Pixel
from gdviz.core.session import PlaySession
from gdviz.ui.control_bar import ControlBar
from gdviz.ui.layout import PlayGeometry

SLOP_SHARE = 0.25  # a finger may wander this share of a fingertip before a press becomes a drag
PILE_PIXELS = 3  # balls this close together on screen count as one pile


class TouchRouter:
    """Remembers the press a drag started from, and turns presses and drags into Actions."""

    def __init__(self) -> None:
        self.pressed: Pixel | None = None  # where a press that may become a drag landed
        self.grab = np.zeros(2)  # from the selected ball's centre to the finger, in pixels
        self.dragging = False

    def route(self, action: Action, session: PlaySession, geo: PlayGeometry, placed: dict[str, pygame.Rect],
              bar: ControlBar) -> Action | None:
        """Return what a press or a drag at `action.arg` (a Pixel) means, or None for nothing."""
        if action.command is Command.MOVE_START:
            return self._drag(action.arg, geo)
        self.pressed, self.dragging = None, False
        at = action.arg
        chosen = bar.hit(at)
        if bar.panel is Command.SETTINGS_MENU and bar.covers(at):
            return chosen  # the ⚙ panel stays open for tap after tap on its − and +, until Close
        if bar.panel is not None:
            bar.panel = None  # any other tap closes a panel; one on an optimizer also chooses it
            return chosen if chosen is not None and chosen.command is Command.OPTIMIZER else None
        if chosen is not None or bar.covers(at):
            return chosen  # (a tap between two buttons does nothing, rather than move the ball)
        if any(rect.collidepoint(at.x, at.y) for name, rect in placed.items() if name in ("briefing", "win")):
            return Action(Command.SELECT)
        legend = placed.get("legend")
        if legend is not None and legend.collidepoint(at.x, at.y):
            return legend_choice(legend, at, session.allowed)
        return self._on_map(action, session, geo)

    def _on_map(self, action: Action, session: PlaySession, geo: PlayGeometry) -> Action | None:
        """A press on the map: select the ball under it, or move the selected ball's start here."""
        at = action.arg
        where = geo.pixel_to_world((at.x, at.y))
        if where is None:
            return None
        if action.command is Command.ADD_BALL_AT:
            return Action(Command.ADD_BALL_AT, tuple(where))
        self.pressed = at
        ball = ball_at(session, geo, at)
        if ball is not None:
            centre = geo.to_pixels(np.array(session.display_positions()))[ball, :2]
            self.grab = np.array([at.x, at.y], dtype=float) - centre
            return Action(Command.SELECT_BALL, ball + 1)
        self.grab = np.zeros(2)
        return Action(Command.SET_START, tuple(where))

    def _drag(self, at: Pixel, geo: PlayGeometry) -> Action | None:
        """A move while pressed: once past the slop, the selected ball's start follows the finger."""
        if self.pressed is None:
            return None
        if not self.dragging and np.hypot(at.x - self.pressed.x, at.y - self.pressed.y) < SLOP_SHARE * geo.finger:
            return None
        self.dragging = True
        x, y = np.array([at.x, at.y], dtype=float) - self.grab
        where = geo.pixel_to_world((int(round(x)), int(round(y))))
        return Action(Command.MOVE_START, tuple(where)) if where is not None else None


def ball_at(session: PlaySession, geo: PlayGeometry, at: Pixel) -> int | None:
    """Return the ball a press at `at` is on (within a fingertip), or None.

    The nearest ball wins; when several lie on one spot (balls often start together), the
    one after the selected ball in that pile does, so tapping again goes round the pile.
    """
    if session.swarm is not None:
        return None
    pixels = geo.to_pixels(np.array(session.display_positions()))[:, :2]
    with np.errstate(invalid="ignore"):
        distance = np.hypot(pixels[:, 0] - at.x, pixels[:, 1] - at.y)
    reach = max(geo.finger / 2, 2 * geo.sizes.ball)
    if not np.isfinite(distance).any() or np.nanmin(distance) > reach:
        return None
    nearest = int(np.nanargmin(distance))
    pile = [i for i in range(len(pixels)) if np.hypot(*(pixels[i] - pixels[nearest])) <= PILE_PIXELS]
    if session.selected in pile and len(pile) > 1:
        return pile[(pile.index(session.selected) + 1) % len(pile)]
    return nearest


def legend_choice(legend: pygame.Rect, at: Pixel, allowed: tuple[str, ...]) -> Action | None:
    """Return the optimizer of the optimizer key's row under `at` (the first row is its title)."""
    row = int((at.y - legend.y) * (len(allowed) + 1) / max(legend.height, 1)) - 1
    return Action(Command.OPTIMIZER, allowed[row]) if 0 <= row < len(allowed) else None
