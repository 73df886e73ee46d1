"""The colours of the map: dark purple for low loss, through blue and green, to bright yellow.

This is the "viridis" colour map (van der Walt & Smith, 2015). Its brightness rises evenly
from one end to the other, so equal steps in loss look like equal steps in colour, and it
still reads correctly for people with the common kinds of colour blindness and when printed
in grey. We keep only 17 of its published colours (one every 16 of its 256 steps) and fill
in the rest by straight-line blending, which stays within a shade of the full table.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

SIZE = 256

# Viridis at positions 0, 16, 32, …, 240 and 255 of its 256-step table (sRGB, 0–1).
VIRIDIS_ANCHORS = (
    (0.267004, 0.004874, 0.329415),
    (0.282327, 0.094955, 0.417331),
    (0.278826, 0.175490, 0.483397),
    (0.258965, 0.251537, 0.524736),
    (0.229739, 0.322361, 0.545706),
    (0.199430, 0.387607, 0.554642),
    (0.172719, 0.448791, 0.557885),
    (0.149039, 0.508051, 0.557250),
    (0.127568, 0.566949, 0.550556),
    (0.120638, 0.625828, 0.533488),
    (0.157851, 0.683765, 0.501686),
    (0.246070, 0.738910, 0.452024),
    (0.369214, 0.788888, 0.382914),
    (0.515992, 0.831158, 0.294279),
    (0.678489, 0.863742, 0.189503),
    (0.845561, 0.887322, 0.099702),
    (0.993248, 0.906157, 0.143936),
)
ANCHOR_STEPS = (0, 16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 255)


@lru_cache(maxsize=1)
def lut() -> np.ndarray:
    """Return the colour table: shape (256, 3), uint8, row 0 darkest (low loss).

    >>> lut()[0], lut()[-1]
    (array([68,  1, 84], dtype=uint8), array([253, 231,  37], dtype=uint8))
    """
    anchors = np.array(VIRIDIS_ANCHORS)
    steps = np.arange(SIZE)
    channels = [np.interp(steps, ANCHOR_STEPS, anchors[:, c]) for c in range(3)]
    table = np.rint(np.stack(channels, axis=1) * 255).astype(np.uint8)
    # The table is shared by every caller, so nobody may change it by accident.
    table.flags.writeable = False
    return table


def colour(t: float) -> tuple[int, int, int]:
    """Return the map's colour at `t` in [0, 1] (clamped) as an RGB tuple."""
    row = lut()[int(round(min(max(t, 0.0), 1.0) * (SIZE - 1)))]
    return int(row[0]), int(row[1]), int(row[2])
