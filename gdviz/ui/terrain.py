"""The map the balls roll on, drawn once and kept as a picture.

A 2-D loss surface is drawn from above, like a hiking map: every pixel is coloured by its
height (dark = low loss, bright = high loss) and light contour lines join places of equal
height. Stars, rings and crosses mark the minima and saddle points, and numbers along the
edges give the coordinates. A 1-D surface is drawn from the side instead: the curve itself,
the ground under it tinted by height, and a grid.

Drawing a full-screen map takes a few tens of milliseconds, far too long to repeat every
frame, so `TerrainCache` keeps the finished pictures and only redraws when the surface or
the window size changes.

    >>> import pygame; _ = pygame.font.init()
    >>> from gdviz.core.surfaces import get
    >>> bowl = get("bowl")
    >>> terrain = build_terrain(bowl, viewport_for(bowl, bowl.bounds, (0, 0, 320, 180)))
    >>> terrain.image.get_size(), terrain.log_scaled
    ((320, 180), False)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pygame

from gdviz.core.surfaces import Bounds, Point, Surface
from gdviz.ui import theme
from gdviz.ui.axes import (  # noqa: F401 - tick helpers are part of what the map module offers
    TICK_GAP, TICK_SPACING, axis_steps, draw_axes, format_tick, label_step, nice_step, tick_values)
from gdviz.ui.theme import Look
from gdviz.ui.colormap import lut
from gdviz.ui.viewport import Rect, Viewport, fit_equal, fit_side_on

# --- tunables ---------------------------------------------------------------------------
MAP_COLOURS = 128  # shades of the colour map used on a 2-D map
ISO_LEVELS = 16  # bands between contour lines; must divide MAP_COLOURS
ISO_BLEND = 0.45  # a contour pixel is its colour moved this far towards theme.ISO_LINE
LOG_SPREAD = 10.0  # log scale when (max − min) exceeds LOG_SPREAD × (median − min)
LOG_FLOOR = 1e-3  # log offset as a share of (median − min): how deep the colours reach
MEDIAN_STRIDE = 7  # the median is taken over every 7th row and column, which is plenty
FLAT_SPAN = 1e-12  # a flat map's colour range, as a share of its height ...
TINY_SPAN = 1e-300  # ... and at least this: smaller differences are drawn, finer ones are flat
SIDE_SAMPLES = 512  # samples of a 1-D curve when fitting its view
SKY_TOP, SKY_BOTTOM = (36, 40, 58), (14, 15, 22)  # 1-D background gradient
GRID_COLOUR = (62, 68, 90)
CURVE_COLOUR = (245, 246, 250)
CURVE_WIDTH = 4  # the thinnest the curve is drawn; it grows with the labels (CURVE_SHARE of their size)
CURVE_SHARE = 0.22
JUMP_PIXELS = 6  # a rise of more than this between neighbouring samples is checked for a jump
JUMP_HALVINGS = 30  # how often such a gap is halved to tell a jump from a steep climb
POLE_GROWTH = 100.0  # |f| this many times bigger close by than at the highest sample: a pole
POLE_VIEW = (5.0, 95.0)  # percentiles of the heights a side-on view fits when there is a pole
FILL_ALPHA = (0.75, 0.2)  # opacity of the tinted ground just under the curve and at the bottom
STAR_RADII = (12, 5)  # outer and inner radius of the global-minimum star
LOCAL_RADIUS = 7
SADDLE_ARM = 7
MARKER_EDGE = 3  # width of the dark edge that keeps markers visible on bright ground


@dataclass(frozen=True, eq=False)
class Terrain:
    """A finished map: blit `image` at the viewport's top-left corner.

    `levels` are the losses at the contour lines (the grid lines for a 1-D curve),
    `value_range` the lowest and highest finite loss in view.
    """

    image: pygame.Surface
    levels: np.ndarray
    log_scaled: bool
    value_range: tuple[float, float]


@dataclass(frozen=True)
class Scale:
    """How a loss becomes a position 0–1 along the colour map: linearly, or by its logarithm.

    Log scaling is chosen when the highest loss in view is more than LOG_SPREAD times further
    above the minimum than the median pixel is: then a linear map would paint almost
    everything one dark colour and hide the valley. On a log scale we colour
    log(loss − min + offset), offset = LOG_FLOOR × (median − min), so about three decades
    below the median get their own colours and contour lines crowd towards the minimum.

    Losses are measured from `lo` in units of 1 / `unit`, a power of two near hi − lo, when
    that difference is too big or too small for float32 (1e308·x·y spans 3.6e308, more than
    a float64 holds; a map of 1e-300·x² spans less than float32's tiniest number).
    """

    lo: float
    hi: float
    offset: float | None = None  # None means linear
    has_gaps: bool = False  # some losses were inf or nan
    unit: float = 1.0  # losses are multiplied by this before the arithmetic (a power of two)

    @property
    def log_scaled(self) -> bool:
        return self.offset is not None

    def _ends(self) -> tuple[float, float]:
        span = self.hi * self.unit - self.lo * self.unit
        if self.offset is None:
            return 0.0, span
        offset = self.offset * self.unit
        return math.log(offset), math.log(span + offset)

    def to_unit(self, values: np.ndarray, top: float = 1.0) -> np.ndarray:
        """Return float32 positions 0..top along the map; inf and nan go to the top."""
        start, end = self._ends()
        with np.errstate(all="ignore"):
            # Subtract in float64 (a loss of 1e9 + tiny bumps keeps its bumps), then go
            # on in float32, which is plenty for 256 colours and twice as fast.
            t = np.empty(values.shape, dtype=np.float32)
            if self.unit == 1.0:
                np.subtract(values, self.lo, out=t, casting="same_kind")
            else:
                np.subtract(values * self.unit, self.lo * self.unit, out=t, casting="same_kind")
            if self.offset is not None:
                t += np.float32(self.offset * self.unit)
                np.log(t, out=t)
            t -= np.float32(start)
            t *= np.float32(top / (end - start))
            np.clip(t, 0.0, top, out=t)
        np.nan_to_num(t, copy=False, nan=top)
        if self.has_gaps:
            t[~np.isfinite(values)] = top
        return t

    def from_unit(self, s: np.ndarray) -> np.ndarray:
        """Return the losses at positions `s` along the map (the inverse of to_unit)."""
        start, end = self._ends()
        t = start + np.asarray(s, dtype=float) * (end - start)
        if self.offset is not None:
            t = np.exp(t) - self.offset * self.unit
        return (self.lo * self.unit + t) / self.unit


def _unit(lo: float, hi: float) -> float:
    """Return 1, or the power of two that brings hi − lo near 1 when float32 cannot hold it."""
    half = hi / 2 - lo / 2  # never overflows
    if 1e-30 < half < 1e30:
        return 1.0
    return math.ldexp(1.0, -math.frexp(half)[1] - 1)


def linear_scale(values: np.ndarray) -> Scale:
    """Return the linear Scale from the lowest to the highest finite value."""
    lo, hi = float(values.min()), float(values.max())
    has_gaps = not (math.isfinite(lo) and math.isfinite(hi))
    if has_gaps:  # only then pay for a mask: min and max already pass nan and inf on
        finite = np.isfinite(values)
        if not finite.any():
            return Scale(0.0, 1.0, None, True)
        lo = float(np.min(values, where=finite, initial=np.inf))
        hi = float(np.max(values, where=finite, initial=-np.inf))
    # A flat map still needs a range (with room to add it to lo: 1e308 + 1e296 is finite).
    hi = max(hi, min(lo + max(FLAT_SPAN * abs(lo), TINY_SPAN), np.finfo(float).max))
    if hi == lo:  # lo is the largest float
        lo = hi - FLAT_SPAN * abs(hi)
    return Scale(lo, hi, None, has_gaps, _unit(lo, hi))


def choose_scale(values: np.ndarray) -> Scale:
    """Return the linear or log Scale that shows a (height, width) grid of losses best."""
    scale = linear_scale(values)
    sample = values[::MEDIAN_STRIDE, ::MEDIAN_STRIDE]
    sample = sample[np.isfinite(sample)]
    # Halves, so that neither difference overflows (losses of ±1e308).
    middle = float(np.median(sample)) / 2 - scale.lo / 2 if sample.size else 0.0
    if middle > 0 and scale.hi / 2 - scale.lo / 2 > LOG_SPREAD * middle:
        return replace(scale, offset=LOG_FLOOR * middle * 2)
    return scale


# --- 2-D: the top-down map --------------------------------------------------------------


def sample_grid(surface: Surface, viewport: Viewport) -> np.ndarray:
    """Return the loss at every pixel centre of the viewport, shape (height, width)."""
    xs, ys = viewport.pixel_grid()
    # x as a row and y as a column: numpy broadcasts them, so terms in x or y alone are
    # worked out once per column or row instead of once per pixel.
    with np.errstate(all="ignore"):
        values = surface.value_fn(xs[np.newaxis, :], ys[:, np.newaxis])
    return np.broadcast_to(np.asarray(values, dtype=float), (ys.size, xs.size))


@lru_cache(maxsize=1)
def _palette() -> tuple[tuple[int, int, int], ...]:
    """Return 256 colours: MAP_COLOURS shades of the map, then the same shades as contour pixels."""
    rows = np.rint(np.linspace(0, len(lut()) - 1, MAP_COLOURS)).astype(int)
    shades = lut()[rows].astype(float)
    lines = shades + ISO_BLEND * (np.array(theme.ISO_LINE) - shades)
    table = np.rint(np.concatenate([shades, lines])).astype(int)
    return tuple(tuple(row) for row in table)


def contour_pixels(index: np.ndarray) -> np.ndarray:
    """Return a mask of pixels whose contour band differs from their left or upper neighbour."""
    band = index // (MAP_COLOURS // ISO_LEVELS)
    edge = np.zeros(index.shape, dtype=bool)
    np.not_equal(band[:, 1:], band[:, :-1], out=edge[:, 1:])
    edge[1:] |= band[1:] != band[:-1]
    return edge


def _map_image(index: np.ndarray) -> pygame.Surface:
    """Turn palette indices of shape (height, width) into an RGB picture."""
    height, width = index.shape
    # An 8-bit picture with our palette takes the indices as they are; SDL's blit then
    # looks every colour up in C, much faster than building an RGB array in numpy.
    indexed = pygame.Surface((width, height), depth=8)
    indexed.set_palette(_palette())
    pygame.surfarray.blit_array(indexed, index.T)
    image = pygame.Surface((width, height))
    image.blit(indexed, (0, 0))
    return image


def _build_map(surface: Surface, viewport: Viewport, iso_lines: bool) -> tuple[pygame.Surface, Scale]:
    """Colour the map by loss and add the contour lines."""
    values = sample_grid(surface, viewport)
    scale = choose_scale(values)
    # Shade k covers [k, k + 1) of 0..MAP_COLOURS, so band edges fall exactly on the levels.
    shade = scale.to_unit(values, MAP_COLOURS)
    index = np.minimum(shade, MAP_COLOURS - 1, out=shade).astype(np.uint8)
    if iso_lines:
        # Palette slots MAP_COLOURS and up hold the contour-line version of each shade.
        index += contour_pixels(index).view(np.uint8) * np.uint8(MAP_COLOURS)
    return _map_image(index), scale


# --- 1-D: the side-on curve -------------------------------------------------------------


def curve_values(surface: Surface, xs: np.ndarray) -> np.ndarray:
    """Return f(x) of a 1-D surface at each of `xs`, without warnings for inf or nan."""
    with np.errstate(all="ignore"):
        values = surface.value_fn(np.asarray(xs, dtype=float))
    return np.broadcast_to(np.asarray(values, dtype=float), np.shape(xs))


def _side_background(height: int, grid_rows: np.ndarray) -> np.ndarray:
    """Return one colour per row, shape (height, 3): a dark gradient with grid lines."""
    t = np.linspace(0.0, 1.0, height)[:, np.newaxis]
    rows = (1 - t) * np.array(SKY_TOP) + t * np.array(SKY_BOTTOM)
    inside = grid_rows[(grid_rows >= 0) & (grid_rows < height)]
    rows[inside] = GRID_COLOUR
    return rows.astype(np.float32)


def _ground(rows: np.ndarray, top: np.ndarray, tint: np.ndarray) -> np.ndarray:
    """Return RGB (width, height, 3): under the curve (row > top), the column's tint fades in."""
    height = rows.shape[0]
    depth = np.arange(height, dtype=np.float32)[np.newaxis, :] - top[:, np.newaxis]
    depth /= np.maximum(height - top, 1.0)[:, np.newaxis]
    alpha = FILL_ALPHA[0] + (FILL_ALPHA[1] - FILL_ALPHA[0]) * depth
    alpha[depth < 0] = 0.0
    # In place, to keep the full-size float temporaries down to one.
    rgb = np.subtract(tint[:, np.newaxis, :], rows[np.newaxis, :, :], dtype=np.float32)
    rgb *= alpha[..., np.newaxis]
    rgb += rows
    return rgb.astype(np.uint8)


def curve_cuts(surface: Surface, xs: np.ndarray, fx: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Return, for each pair of neighbouring samples, True where the curve must not join them.

    It is cut beside a sample that is not finite, and where it jumps: at a pole like 1/(x − 2),
    where it leaves one edge of the view and comes back from the other, or at a step. `rows`
    are the samples' heights on screen; a rise of more than JUMP_PIXELS is looked at closely.
    """
    finite = np.isfinite(fx)
    cut = ~(finite[:-1] & finite[1:])
    with np.errstate(all="ignore"):
        suspect = np.flatnonzero(~cut & (np.abs(np.diff(rows)) > JUMP_PIXELS))
    if suspect.size:
        cut[suspect] = _jumps(surface, xs[suspect], xs[suspect + 1], fx[suspect], fx[suspect + 1])
    return cut


def _jumps(surface: Surface, a: np.ndarray, b: np.ndarray, fa: np.ndarray, fb: np.ndarray) -> np.ndarray:
    """Return where f jumps between a and b rather than climbing steeply.

    Each gap is halved JUMP_HALVINGS times, keeping the half that rises most. An unbroken climb
    rises less and less as its gap shrinks; a step keeps its rise and a pole's only grows.
    """
    rise = np.abs(fb - fa)
    undefined = np.zeros(np.shape(rise), dtype=bool)  # f has no value somewhere in the gap: a cut
    with np.errstate(all="ignore"):
        for _ in range(JUMP_HALVINGS):
            mid = (a + b) / 2
            fm = curve_values(surface, mid)
            undefined |= ~np.isfinite(fm)  # x/abs(x) at 0: remembered, though later halvings move past it
            left = np.abs(fm - fa) >= np.abs(fb - fm)
            a, fa = np.where(left, a, mid), np.where(left, fa, fm)
            b, fb = np.where(left, mid, b), np.where(left, fm, fb)
        return undefined | ~(np.abs(fb - fa) < rise / 2)


def _curve_runs(points: np.ndarray, cut: np.ndarray) -> Iterable[np.ndarray]:
    """Yield the pieces of the curve between the cuts (see curve_cuts), each of two points or more."""
    for piece in np.split(points, np.flatnonzero(cut) + 1):
        if len(piece) > 1:
            yield piece


def _draw_curve(image: pygame.Surface, points: np.ndarray, cut: np.ndarray, width: int) -> None:
    """Draw the curve thick and smooth, with a dark edge so it stands out, broken at the cuts."""
    height = image.get_height()
    # Clamp far-off points so pygame never sees huge coordinates; the lines still leave the view.
    points = np.column_stack([points[:, 0], np.clip(points[:, 1], -2.0 * height, 3.0 * height)])
    for run in _curve_runs(points, cut):
        pts = run.tolist()
        pygame.draw.lines(image, theme.OUTLINE, False, pts, width + 2 * MARKER_EDGE - 2)
        pygame.draw.lines(image, CURVE_COLOUR, False, pts, width)
        pygame.draw.aalines(image, CURVE_COLOUR, False, (run + (0.0, width / 2 - 0.5)).tolist())
        pygame.draw.aalines(image, CURVE_COLOUR, False, (run - (0.0, width / 2 - 0.5)).tolist())


def curve_width(look: Look, height: int) -> int:
    """Return the curve's width in a picture `height` pixels tall: it grows with the labels."""
    return max(CURVE_WIDTH, round(look.label_size(height) * CURVE_SHARE))


def _build_side_on(surface: Surface, viewport: Viewport, grid: bool,
                   look: Look) -> tuple[pygame.Surface, Scale, np.ndarray]:
    """Draw a 1-D surface side-on; return the picture, the value scale and the grid losses."""
    local = _local(viewport)
    height = viewport.size[1]
    xs, _ = viewport.pixel_grid()
    fx = curve_values(surface, xs)
    # Side-on, the height on screen already shows the loss; the tint spreads over the view.
    scale = linear_scale(np.clip(fx, *sorted(viewport.ylim)))
    grid_values = tick_values(viewport.ylim, axis_steps(local, look)[1]) if grid else np.zeros(0)
    grid_rows = np.rint(local.to_screen(np.column_stack([np.zeros_like(grid_values), grid_values]))[:, 1])
    points = local.to_screen(np.column_stack([xs, fx]))
    # Where f = +inf the curve is above the view (row −inf): the whole column is ground.
    top = np.clip(np.nan_to_num(points[:, 1], nan=float(height)), -1.0, float(height))
    tint = lut()[np.rint(scale.to_unit(fx, len(lut()) - 1)).astype(int)]
    rgb = _ground(_side_background(height, grid_rows.astype(int)), top.astype(np.float32), tint)
    image = pygame.surfarray.make_surface(rgb)
    _draw_curve(image, points, curve_cuts(surface, xs, fx, points[:, 1]), curve_width(look, height))
    return image, scale, grid_values


# --- axes -------------------------------------------------------------------------------


def _star(centre: np.ndarray, outer: float, inner: float) -> list[list[float]]:
    angles = -np.pi / 2 + np.arange(10) * np.pi / 5
    radii = np.where(np.arange(10) % 2 == 0, outer, inner)
    return (centre + np.column_stack([np.cos(angles), np.sin(angles)]) * radii[:, None]).tolist()


def draw_global_minimum(image: pygame.Surface, centre: Sequence[float]) -> None:
    """Draw a white star with a dark edge: the lowest point of the map."""
    c = np.asarray(centre, dtype=float)
    outer, inner = STAR_RADII
    pygame.draw.polygon(image, theme.OUTLINE, _star(c, outer + MARKER_EDGE, inner + MARKER_EDGE / 2))
    pygame.draw.polygon(image, theme.MIN_GLOBAL, _star(c, outer, inner))
    pygame.draw.aalines(image, theme.MIN_GLOBAL, True, _star(c, outer, inner))


def draw_local_minimum(image: pygame.Surface, centre: Sequence[float]) -> None:
    """Draw a small grey ring with a dark edge: a valley that is not the deepest."""
    c = (round(centre[0]), round(centre[1]))
    pygame.draw.circle(image, theme.OUTLINE, c, LOCAL_RADIUS + 2, 6)
    pygame.draw.circle(image, theme.MIN_LOCAL, c, LOCAL_RADIUS, 2)


def draw_saddle(image: pygame.Surface, centre: Sequence[float]) -> None:
    """Draw a pink × with a dark edge: a saddle point, downhill one way, uphill the other."""
    x, y, a = float(centre[0]), float(centre[1]), SADDLE_ARM
    for colour, width in ((theme.OUTLINE, 3 + 2 * MARKER_EDGE - 2), (theme.SADDLE, 3)):
        pygame.draw.line(image, colour, (x - a, y - a), (x + a, y + a), width)
        pygame.draw.line(image, colour, (x - a, y + a), (x + a, y - a), width)


def _draw_markers(image: pygame.Surface, local: Viewport, surface: Surface) -> None:
    """Mark the saddles, then local minima, then global minima on top; only those in view."""
    def place(point: Point) -> tuple[float, float]:
        x = point.location[0]
        return (x, point.value) if surface.dims == 1 else (x, point.location[1])

    lots = [(surface.saddles, draw_saddle),
            ([m for m in surface.minima if not m.is_global], draw_local_minimum),
            ([m for m in surface.minima if m.is_global], draw_global_minimum)]
    for points, draw in lots:
        for point in points:
            px, py = local.to_screen(place(point))
            if 0 <= px < image.get_width() and 0 <= py < image.get_height():
                draw(image, (px, py))


# --- putting it together ----------------------------------------------------------------


def _local(viewport: Viewport) -> Viewport:
    """Return the same view with its rectangle moved to (0, 0): coordinates inside the image."""
    return replace(viewport, rect=(0, 0, *viewport.size))


def viewport_for(surface: Surface, bounds: Bounds, rect: Rect) -> Viewport:
    """Return the viewport a surface is drawn in: equal-scale top-down for 2-D, side-on for 1-D.

    >>> from gdviz.core.surfaces import get
    >>> viewport_for(get("parabola"), ((-3.0, 3.0),), (0, 0, 400, 300)).xlim
    (-3.0, 3.0)
    """
    if surface.dims == 2:
        return fit_equal(bounds, rect)
    xs = np.linspace(bounds[0][0], bounds[0][1], SIDE_SAMPLES)
    return fit_side_on(bounds[0], _heights_to_fit(surface, xs), rect)


def _heights_to_fit(surface: Surface, xs: np.ndarray) -> np.ndarray:
    """Return the heights a side-on view is fitted to: all of f at `xs`, or, when the highest
    sample sits by a pole (like x = 2 in 1/(x − 2)), the middle POLE_VIEW percent of them, so
    the pole's huge values do not squash the rest of the curve flat."""
    values = curve_values(surface, xs)
    finite = values[np.isfinite(values)]
    if finite.size < 2:
        return values
    top = int(np.argmax(np.where(np.isfinite(values), np.abs(values), -1.0)))
    if not _blows_up(surface, float(xs[top]), float(xs[1] - xs[0]), abs(float(values[top]))):
        return values
    return np.clip(finite, *np.percentile(finite, POLE_VIEW))


def _blows_up(surface: Surface, x: float, dx: float, height: float) -> bool:
    """Return whether |f| grows POLE_GROWTH times past `height` closer in around x (a peak would not)."""
    for _ in range(JUMP_HALVINGS):
        probes = x + np.linspace(-dx, dx, 5)
        sizes = np.abs(curve_values(surface, probes))
        sizes[~np.isfinite(sizes)] = 0.0  # outside the formula's domain: no evidence either way
        x, dx = float(probes[np.argmax(sizes)]), dx / 2
    return float(sizes.max()) > POLE_GROWTH * height


def build_terrain(surface: Surface, viewport: Viewport, *, iso_lines: bool = True,
                  markers: bool = True, ticks: bool = True, look: Look = Look()) -> Terrain:
    """Draw `surface` as seen through `viewport`; the flags leave out parts (tests use them).

    `look` sets the tick labels' size and colour (presenter mode draws them bigger).

    >>> from gdviz.core.surfaces import get
    >>> s = get("rosenbrock")
    >>> build_terrain(s, fit_equal(s.bounds, (0, 0, 160, 90))).log_scaled
    True
    """
    if min(viewport.size) <= 0:  # a minimised window: nothing to draw
        return Terrain(pygame.Surface((0, 0)), np.zeros(0), False, (0.0, 0.0))
    if surface.dims == 1:
        image, scale, levels = _build_side_on(surface, viewport, iso_lines, look)
    else:
        image, scale = _build_map(surface, viewport, iso_lines)
        steps = np.arange(1, ISO_LEVELS) / ISO_LEVELS
        levels = scale.from_unit(steps) if iso_lines else np.zeros(0)
    local = _local(viewport)
    if ticks:
        draw_axes(image, local, look, axis_steps(local, look, same=surface.dims == 2))
    if markers:
        _draw_markers(image, local, surface)
    if pygame.display.get_surface() is not None:
        image = image.convert()  # matching the screen's pixel format makes every blit faster
    return Terrain(image, levels, scale.log_scaled, (scale.lo, scale.hi))


class TerrainCache:
    """Keep the last few terrains; rebuild only when the surface or the view changes.

    >>> from gdviz.core.surfaces import get
    >>> cache = TerrainCache()
    >>> s = get("bowl"); view = fit_equal(s.bounds, (0, 0, 160, 90))
    >>> cache.get(s, view) is cache.get(s, view)
    True
    """

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self._entries: list[tuple[Surface, Viewport, tuple, Terrain]] = []

    def get(self, surface: Surface, viewport: Viewport, *, iso_lines: bool = True,
            markers: bool = True, ticks: bool = True, look: Look = Look()) -> Terrain:
        """Return the terrain for this surface object and viewport, building it if needed."""
        flags = (iso_lines, markers, ticks, look)
        for i, (known, view, known_flags, terrain) in enumerate(self._entries):
            # Identity, not equality: a surface rebuilt with new parameters is a new map.
            if known is surface and view == viewport and known_flags == flags:
                self._entries.insert(0, self._entries.pop(i))
                return terrain
        terrain = build_terrain(surface, viewport, iso_lines=iso_lines, markers=markers, ticks=ticks, look=look)
        self._entries = [(surface, viewport, flags, terrain)] + self._entries[: self.size - 1]
        return terrain
