"""The visual grammar: what each arrow and square means, which way it points, and its scale.

Every arrow points the way it pushes the ball: the slope g is drawn as −g (downhill), a
velocity b as −b, Adam's average slope m̂ as −m̂, a rescaled direction g/√v as −g/√v, and the
step as the move itself. Each kind has one scale, the same for every optimizer, shown in a
key on the map (docs/visual-grammar.md has the whole grammar):

- slopes (−g, −b, −m̂): SLOPE_BAR_PX pixels stand for a round number of slope units;
- directions (−g/√v, RMSProp's −b with momentum): DIRECTION_SHARE of the map per unit
  (Adadelta's −Δ is a length on the map already, so it is drawn to the map's scale);
- steps: drawn to the map's own scale;
- squares: the side grows with log₂(1 + √accumulator / slope unit), so AdaGrad's sum keeps
  growing visibly instead of being cut off.

An arrow longer than ARROW_CAP of the map is drawn at that length with a break mark and its
true length written at its tip; one shorter than the ball and its ring is drawn dashed at a
visible length, also with its true length.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gdviz.ui import theme
from gdviz.ui.layout import PlayGeometry

SIGNED = frozenset({"grad", "velocity", "direction"})  # drawn negated: the way they push
SLOPE_BAR_PX = 60  # about this many pixels stand for the slope key's round number
DIRECTION_SHARE = 0.08  # one unit of direction, as a share of the map's smaller side
STEP_BAR_PX = 60
ARROW_CAP = 0.3  # the longest drawn arrow, as a share of the map's smaller side
SQUARE_CAP = 0.45  # the biggest drawn square, as a share of the map's smaller side
RING_GAP = 24  # an arrow must reach this far past the ball's edge to be seen beyond its ring

COLOURS = theme.ARROW_COLOURS


def round_unit(value: float) -> float:
    """Return the 1, 2 or 5 × 10ⁿ nearest above `value` (a number a key can show plainly)."""
    if not math.isfinite(value) or value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(r * power for r in (1, 2, 5, 10) if r * power >= value * (1 - 1e-9))


@dataclass(frozen=True)
class Scales:
    """Pixels per unit for each kind of glyph on this map, and the round units its key shows."""

    slope_px: float  # pixels per unit of slope
    slope_unit: float
    direction_px: float  # pixels per unit of direction
    step_px: float  # pixels per map unit (the map's own scale along x)
    step_unit: float
    min_px: float
    max_px: float

    @staticmethod
    def build(geo: PlayGeometry, gain: float) -> "Scales":
        """Scales for a map: `gain` is the level's world units of arrow per unit of slope."""
        sx = float(geo.viewport.scale[0])
        slope_px = max(gain * sx, 1e-12)
        slope_unit = round_unit(SLOPE_BAR_PX / slope_px)
        step_unit = round_unit(STEP_BAR_PX / max(sx, 1e-12))
        side = min(geo.layout.map.size)
        return Scales(slope_px, slope_unit, DIRECTION_SHARE * side, sx, step_unit,
                      geo.sizes.ball + RING_GAP, ARROW_CAP * side)

    def px_per_unit(self, kind: str, optimizer: str) -> float:
        """Return pixels per unit for a glyph kind of this optimizer."""
        if kind == "step" or (kind == "direction" and optimizer == "adadelta"):
            return self.step_px  # Adadelta's Δ is already a length on the map
        if kind == "direction" or (kind == "velocity" and optimizer == "rmsprop"):
            return self.direction_px
        return self.slope_px

    def square_side(self, accumulator: float) -> float:
        """Return the side in pixels of the square for a squared-slope accumulator (log scale)."""
        root = math.sqrt(max(float(accumulator), 0.0))
        if not math.isfinite(root):
            return math.inf
        return self.slope_unit * self.slope_px * math.log2(1.0 + root / self.slope_unit)


def to_screen(vector: np.ndarray) -> np.ndarray:
    """Turn a world-direction vector (d,) into screen direction (2,): y grows downwards; 1-D lies along x."""
    return np.array([float(vector[0]), -float(vector[1]) if len(vector) > 1 else 0.0])


@dataclass(frozen=True)
class Drawn:
    """How one arrow is drawn: its pixel vector, and whether it was cut short or stretched."""

    vector: np.ndarray
    length: float  # the true length in pixels at the kind's scale
    broken: bool  # longer than the cap: drawn at the cap with a break mark
    stretched: bool  # shorter than the ball: drawn dashed at the smallest visible length


def fit_arrow(vector_px: np.ndarray, scales: Scales) -> Drawn | None:
    """Decide how to draw an arrow whose true pixel vector is `vector_px`; None for no arrow."""
    vector_px = np.asarray(vector_px, dtype=float)
    length = math.hypot(float(vector_px[0]), float(vector_px[1]))
    if not math.isfinite(length) or length == 0:
        return None
    shown = min(max(length, scales.min_px), scales.max_px)
    # The direction from the vector scaled to its largest part first: a 1e-320 px vector
    # (a function of tiny values) has a length too small to divide by without overflowing.
    biggest = float(np.max(np.abs(vector_px)))
    unit = vector_px / biggest
    return Drawn(unit * (shown / math.hypot(float(unit[0]), float(unit[1]))), length,
                 length > scales.max_px, length < scales.min_px)


# What the numbers beside the arrows are called, per kind and optimizer (strings keys).
NUMBER_NAMES = {
    "grad": {"*": "num.grad"},
    "velocity": {"momentum": "num.velocity", "nesterov": "num.velocity", "rmsprop": "num.velocity_directions",
                 "adam": "num.average", "adamw": "num.average"},
    "direction": {"adadelta": "num.delta", "*": "num.direction"},
    "squares": {"adagrad": "num.sum", "adam": "num.vhat", "adamw": "num.vhat", "*": "num.average_sq"},
    "step": {"*": "num.step"},
}
NUMBER_ORDER = ("grad", "velocity", "direction", "squares", "step")


def number_rows(optimizer: str, values: dict[str, np.ndarray], corrected: bool = True
                ) -> list[tuple[str, str, np.ndarray]]:
    """Return (kind, strings key of its name, value) for each glyph a ball shows, in a fixed order.

    The names say what the number is (a sum b, an average m̂, v̂ …), the arrows show it pushing.
    With Adam's bias correction off (`corrected` False) its averages are m and v, not m̂ and v̂.
    """
    rows = []
    for kind in (k for k in NUMBER_ORDER if k in values):
        names = NUMBER_NAMES[kind]
        name = names.get(optimizer, names.get("*", "num.velocity"))
        if not corrected:
            name = {"num.average": "num.average_raw", "num.vhat": "num.average_sq"}.get(name, name)
        rows.append((kind, name, values[kind]))
    return rows
