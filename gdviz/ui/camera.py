"""Where the map looks: the level's own view, or in step-by-step mode a view that follows the ball.

Outside step-by-step mode the map shows the level's own view. In step-by-step mode each step
is looked at as a whole, when it begins: if the point it starts from (where its arrows are
drawn) or the point it lands on lies within ROOM of the map's edge, the view glides so the
start sits in the middle (just off it, the way the ball goes), or as near the middle as keeps
the landing point clear of the edges too. The view then stays put through the step's
stages, so nothing moves while they are told, and the captions and labels along the map's
edges never cover the ball.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gdviz.core.session import PlaySession
from gdviz.ui.layout import PlayGeometry

ROOM = 0.3  # share of the map's smaller side kept clear around a step's start: its arrows are at most this long
LANDING_ROOM = 3  # ball radii kept between the landing point and the map's edge
AHEAD = 0.04  # a re-centred start sits this share of the map's height off the middle, the way the ball goes
GLIDE_SECONDS = 0.35  # how long the view takes to move

Pan = tuple[float, float]


@dataclass
class Camera:
    """How far the view is moved from the level's own, in world units: where it is going (`pan`)
    and where it is now (`shown`), gliding there."""

    pan: Pan = (0.0, 0.0)
    shown: Pan = (0.0, 0.0)
    _glide_from: Pan = (0.0, 0.0)
    _glided: float = 1.0  # 0 to 1: how far the current glide has gone
    _step: tuple | None = None  # the step the view was chosen for

    def follow(self, session: PlaySession, geo: PlayGeometry, dt: float) -> None:
        """Let `dt` seconds of gliding pass, then look at the step step-by-step mode is explaining
        (`geo` is the map as last drawn, moved by `shown`)."""
        self._glided = min(self._glided + dt / GLIDE_SECONDS, 1.0)
        ease = self._glided * self._glided * (3 - 2 * self._glided)
        self.shown = self.pan if ease >= 1 else tuple(a + (b - a) * ease for a, b in zip(self._glide_from, self.pan))
        mode = session.step_mode
        if mode is None:
            self._step = None
            self._go((0.0, 0.0))
            return
        old, new = (np.asarray(mode.current.values[key], dtype=float)[:1] for key in ("old", "next"))
        if mode.current.moved:  # the ball has landed: keep it in sight where it is now (a long step may leave the map)
            old = new
        step = (old.tobytes(), new.tobytes(), geo.layout.map.size)
        if step == self._step:
            return
        self._step = step
        sx, sy = geo.viewport.scale
        drawn = (geo.viewport.xlim[0] - geo.home.xlim[0], geo.viewport.ylim[0] - geo.home.ylim[0])
        ahead = np.array([(self.pan[0] - drawn[0]) * sx, -(self.pan[1] - drawn[1]) * sy])
        start, landing = geo.to_pixels(old)[0] - ahead, geo.to_pixels(new)[0] - ahead  # where `pan` will show them
        if not np.isfinite(start).all():
            return
        shift = pixel_shift(geo, start, landing)
        if shift is not None:
            self._go((self.pan[0] + float(shift[0]) / sx, self.pan[1] - float(shift[1]) / sy))

    def _go(self, pan: Pan) -> None:
        if pan != self.pan:
            self._glide_from, self.pan, self._glided = self.shown, pan, 0.0


def pixel_shift(geo: PlayGeometry, start: np.ndarray, landing: np.ndarray) -> np.ndarray | None:
    """Return how many pixels to move the view (each point is then drawn that much the other
    way) so `start`, and if it can be `landing` too, have ROOM around them; None when they have.

    A step too long for that keeps its landing point at least on the map, where it can.
    """
    rect = geo.layout.map
    low, high = np.array(rect.topleft, dtype=float), np.array(rect.bottomright, dtype=float)
    room = np.minimum(ROOM * min(rect.size), (high - low) / 2 - 1)
    lands = np.isfinite(landing).all()
    if _inside(start, low + room, high - room) and (not lands or _inside(landing, low + room, high - room)):
        return None
    # The start in the middle, a little way up or down the way the ball is going, so the ball stays
    # in one half of the map and the stage caption (in the other half) does not jump from edge to edge.
    wanted = start - (low + high) / 2
    if not lands:
        return wanted
    wanted[1] -= AHEAD * rect.height * np.sign(landing[1] - start[1])
    keep_low, keep_high = start - (high - room), start - (low + room)
    chosen, done = wanted.copy(), np.zeros(2, dtype=bool)
    for edge in (room, np.minimum(LANDING_ROOM * geo.sizes.ball, room)):  # axis by axis, the first that fits
        both_low = np.maximum(keep_low, landing - (high - edge))
        both_high = np.minimum(keep_high, landing - (low + edge))
        fits = (both_low <= both_high) & ~done
        chosen = np.where(fits, np.clip(wanted, both_low, both_high), chosen)
        done |= fits
    return chosen


def _inside(point: np.ndarray, low: np.ndarray, high: np.ndarray) -> bool:
    return bool(np.all(point >= low) and np.all(point <= high))
