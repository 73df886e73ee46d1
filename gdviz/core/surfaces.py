"""Loss surfaces: the hills and valleys the balls roll on.

A Surface knows its height (`value`) and its slope (`grad`) at any number of points at
once, plus what a level needs to draw it: a view box, a start point, and where its minima
and saddle points are. Every slope here is worked out by hand (analytic), never estimated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

Bounds = tuple[tuple[float, float], ...]
ValueFn = Callable[..., np.ndarray]
GradFn = Callable[..., tuple[np.ndarray, ...]]


@dataclass(frozen=True)
class Point:
    """A special point of a surface: a minimum or a saddle."""

    location: tuple[float, ...]
    value: float
    is_global: bool = False


@dataclass(frozen=True, eq=False)
class Surface:
    """A differentiable function of 1 or 2 variables, evaluated on arrays of points.

    `value_fn(x)` / `value_fn(x, y)` and `grad_fn(...)` receive one array per coordinate;
    `value(p)` and `grad(p)` take points of shape (..., dims).

    >>> bowl = get("bowl")
    >>> bowl.value([[1.0, 1.0]])
    array([3.])
    """

    name: str
    dims: int
    value_fn: ValueFn
    grad_fn: GradFn
    bounds: Bounds
    start: tuple[float, ...]
    minima: tuple[Point, ...] = ()
    saddles: tuple[Point, ...] = ()
    formula: str = ""
    params: dict[str, float] = field(default_factory=dict)

    def _coords(self, p: np.ndarray | list) -> tuple[np.ndarray, ...]:
        points = np.asarray(p, dtype=float)
        if points.shape[-1:] != (self.dims,):
            raise ValueError(
                f"surface {self.name!r} takes points of shape (..., {self.dims}), "
                f"got shape {points.shape}"
            )
        return tuple(points[..., i] for i in range(self.dims))

    def value(self, p: np.ndarray | list) -> np.ndarray:
        """Return the height at each point: shape (...,) for points of shape (..., dims)."""
        coords = self._coords(p)
        return np.broadcast_to(self.value_fn(*coords), coords[0].shape).astype(float)

    def grad(self, p: np.ndarray | list) -> np.ndarray:
        """Return the exact gradient at each point: same shape as the points."""
        coords = self._coords(p)
        parts = self.grad_fn(*coords)
        out = np.empty(coords[0].shape + (self.dims,))
        for i, part in enumerate(parts):
            out[..., i] = part
        return out

    @property
    def global_minimum(self) -> Point | None:
        """Return the lowest known minimum, if any is known."""
        best = [m for m in self.minima if m.is_global]
        return best[0] if best else None

    def view_span(self) -> np.ndarray:
        """Return the width of the view box along each axis."""
        return np.array([hi - lo for lo, hi in self.bounds])


# --- finding special points ------------------------------------------------------------
# Several catalogue surfaces have no closed form for their minima or saddles. We find them
# with Newton's method on the exact gradient, so the numbers we show are right to ~1e-12.


def _hessian(grad: Callable[[np.ndarray], np.ndarray], p: np.ndarray) -> np.ndarray:
    """Return the Hessian at p from central differences of the exact gradient."""
    h = 1e-6 * max(1.0, float(np.max(np.abs(p))))
    cols = []
    for j in range(p.size):
        step = np.zeros_like(p)
        step[j] = h
        cols.append((grad(p + step) - grad(p - step)) / (2 * h))
    hess = np.stack(cols, axis=1)
    return 0.5 * (hess + hess.T)


def critical_point(surface: Surface, guess: tuple[float, ...]) -> tuple[np.ndarray, str]:
    """Refine `guess` to a nearby critical point; return it and 'minimum'/'saddle'/'maximum'."""
    p = np.array(guess, dtype=float)
    for _ in range(60):
        g = surface.grad(p)
        if not np.any(g):
            break
        # lstsq rather than solve: degenerate points (the monkey saddle) have a singular Hessian.
        step = np.linalg.lstsq(_hessian(surface.grad, p), g, rcond=None)[0]
        p = p - step
        if np.max(np.abs(step)) < 1e-13:
            break
    eig = np.linalg.eigvalsh(_hessian(surface.grad, p))
    kind = "minimum" if eig.min() > 0 else "maximum" if eig.max() < 0 else "saddle"
    return p, kind


def _points(surface: Surface, guesses: list[tuple[float, ...]], kind: str) -> list[Point]:
    found = []
    for guess in guesses:
        p, what = critical_point(surface, guess)
        if what != kind:
            raise ArithmeticError(f"{surface.name}: {guess} refined to a {what}, not a {kind}")
        found.append(Point(tuple(float(c) for c in p), float(surface.value(p))))
    return found


def _with_points(
    surface: Surface,
    minima: list[tuple[float, ...]] = (),
    saddles: list[tuple[float, ...]] = (),
) -> Surface:
    """Return `surface` with refined minima (lowest marked global) and saddles attached."""
    mins = _points(surface, list(minima), "minimum")
    if mins:
        lowest = min(m.value for m in mins)
        mins = [Point(m.location, m.value, m.value <= lowest + 1e-9) for m in mins]
    return _replace(surface, minima=tuple(mins), saddles=tuple(_points(surface, list(saddles), "saddle")))


def _replace(surface: Surface, **changes) -> Surface:
    from dataclasses import replace

    return replace(surface, **changes)


# --- the catalogue ----------------------------------------------------------------------


def bowl(a: float = 1.0, b: float = 2.0) -> Surface:
    """The textbook bowl a·x² + b·y²."""
    return Surface(
        "bowl", 2,
        lambda x, y: a * x**2 + b * y**2,
        lambda x, y: (2 * a * x, 2 * b * y),
        bounds=((-4.0, 4.0), (-4.0, 4.0)), start=(-3.0, -3.0),
        minima=(Point((0.0, 0.0), 0.0, True),),
        formula=f"{a:g}·x² + {b:g}·y²", params={"a": a, "b": b},
    )


def parabola(a: float = 1.0) -> Surface:
    """The 1-D parabola a·x²: the simplest valley there is."""
    return Surface(
        "parabola", 1,
        lambda x: a * x**2,
        lambda x: (2 * a * x,),
        bounds=((-3.0, 3.0),), start=(-2.5,),
        minima=(Point((0.0,), 0.0, True),),
        formula=f"{a:g}·x²", params={"a": a},
    )


def ravine(condition: float = 50.0, angle: float = 30.0, steep: float = 10.0) -> Surface:
    """A long, narrow valley tilted by `angle` degrees: steep walls, a nearly flat floor.

    Along the wall direction u the curvature is `steep`; along the floor v it is
    `steep / condition`, so the Hessian's condition number is `condition`.
    """
    c, s = np.cos(np.radians(angle)), np.sin(np.radians(angle))
    flat = steep / condition

    def value(x, y):
        u, v = c * x + s * y, -s * x + c * y
        return 0.5 * (steep * u**2 + flat * v**2)

    def grad(x, y):
        u, v = c * x + s * y, -s * x + c * y
        return (steep * u * c - flat * v * s, steep * u * s + flat * v * c)

    return Surface(
        "ravine", 2, value, grad,
        bounds=((-5.0, 5.0), (-5.0, 5.0)), start=(-4.0, -1.0),
        minima=(Point((0.0, 0.0), 0.0, True),),
        formula=f"ravine, condition number {condition:g}",
        params={"condition": condition, "angle": angle, "steep": steep},
    )


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Surface:
    """Rosenbrock's banana (a − x)² + b·(y − x²)²: easy to find the valley, hard to follow it."""
    return Surface(
        "rosenbrock", 2,
        lambda x, y: (a - x) ** 2 + b * (y - x**2) ** 2,
        lambda x, y: (-2 * (a - x) - 4 * b * x * (y - x**2), 2 * b * (y - x**2)),
        bounds=((-2.0, 2.0), (-1.0, 3.0)), start=(-1.5, 2.5),
        minima=(Point((a, a * a), 0.0, True),),
        formula=f"({a:g} − x)² + {b:g}·(y − x²)²", params={"a": a, "b": b},
    )


def saddle() -> Surface:
    """The saddle x² − y²: downhill along y, uphill along x, flat at the centre."""
    return Surface(
        "saddle", 2,
        lambda x, y: x**2 - y**2,
        lambda x, y: (2 * x, -2 * y),
        bounds=((-2.0, 2.0), (-2.0, 2.0)), start=(-1.5, 1e-3),
        saddles=(Point((0.0, 0.0), 0.0),),
        formula="x² − y²",
    )


def sin_saddle() -> Surface:
    """sin(x) + y²: a saddle at (π/2, 0) between two valleys at x = −π/2 and 3π/2."""
    surface = Surface(
        "sin_saddle", 2,
        lambda x, y: np.sin(x) + y**2,
        lambda x, y: (np.cos(x), 2 * y),
        bounds=((-3.0, 6.0), (-3.0, 3.0)), start=(np.pi / 2 + 1e-3, 2.5),
        formula="sin(x) + y²",
    )
    return _with_points(surface, minima=[(-np.pi / 2, 0.0), (1.5 * np.pi, 0.0)],
                        saddles=[(np.pi / 2, 0.0)])


def monkey_saddle() -> Surface:
    """The monkey saddle x³ − 3xy²: three valleys (two for legs, one for a tail) meet flat."""
    return Surface(
        "monkey_saddle", 2,
        lambda x, y: x**3 - 3 * x * y**2,
        lambda x, y: (3 * x**2 - 3 * y**2, -6 * x * y),
        bounds=((-1.5, 1.5), (-1.5, 1.5)), start=(0.6, 0.05),
        saddles=(Point((0.0, 0.0), 0.0),),
        formula="x³ − 3·x·y²",
    )


def plateau(width: float = 0.6, tilt: float = 0.002) -> Surface:
    """A wide, almost flat plain that tilts gently down into one small, narrow well."""

    def value(x, y):
        r2 = x**2 + y**2
        return 1.0 - np.exp(-r2 / (2 * width**2)) + tilt * r2

    def grad(x, y):
        pull = np.exp(-(x**2 + y**2) / (2 * width**2)) / width**2 + 2 * tilt
        return (pull * x, pull * y)

    return Surface(
        "plateau", 2, value, grad,
        bounds=((-5.0, 5.0), (-5.0, 5.0)), start=(-4.0, 3.0),
        minima=(Point((0.0, 0.0), 0.0, True),),
        formula="1 − exp(−r²/2w²) + tilt·r²", params={"width": width, "tilt": tilt},
    )


def _gauss(x, y, cx, cy, s):
    return np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * s * s))


def two_wells(shallow: float = 1.0, deep: float = 2.0, width: float = 0.8) -> Surface:
    """A shallow valley on the left, a deeper one on the right, a pass between them."""
    (ax, ay), (bx, by), bowl_k = (-1.5, 0.0), (1.5, 0.5), 0.05

    def value(x, y):
        return (-shallow * _gauss(x, y, ax, ay, width) - deep * _gauss(x, y, bx, by, width)
                + bowl_k * (x**2 + y**2))

    def grad(x, y):
        ga = shallow * _gauss(x, y, ax, ay, width) / width**2
        gb = deep * _gauss(x, y, bx, by, width) / width**2
        return (ga * (x - ax) + gb * (x - bx) + 2 * bowl_k * x,
                ga * (y - ay) + gb * (y - by) + 2 * bowl_k * y)

    surface = Surface(
        "two_wells", 2, value, grad,
        bounds=((-4.0, 4.0), (-3.0, 3.0)), start=(-3.0, 2.0),
        formula="two Gaussian wells in a wide bowl",
        params={"shallow": shallow, "deep": deep, "width": width},
    )
    return _with_points(surface, minima=[(ax, ay), (bx, by)], saddles=[(0.0, 0.2)])


def himmelblau() -> Surface:
    """Himmelblau's function: four equally deep valleys."""
    surface = Surface(
        "himmelblau", 2,
        lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
        lambda x, y: (4 * x * (x**2 + y - 11) + 2 * (x + y**2 - 7),
                      2 * (x**2 + y - 11) + 4 * y * (x + y**2 - 7)),
        bounds=((-5.0, 5.0), (-5.0, 5.0)), start=(-0.5, 0.0),
        formula="(x² + y − 11)² + (x + y² − 7)²",
    )
    return _with_points(
        surface,
        minima=[(3.0, 2.0), (-2.805, 3.131), (-3.779, -3.283), (3.584, -1.848)],
        saddles=[(0.087, 2.884), (-3.073, -0.081), (3.385, 0.074), (-0.128, -1.954)],
    )


def beale() -> Surface:
    """Beale's function: flat plains, sharp walls, one minimum at (3, 0.5)."""

    def terms(x, y):
        return 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3

    def value(x, y):
        t1, t2, t3 = terms(x, y)
        return t1**2 + t2**2 + t3**2

    def grad(x, y):
        t1, t2, t3 = terms(x, y)
        return (2 * (t1 * (y - 1) + t2 * (y**2 - 1) + t3 * (y**3 - 1)),
                2 * x * (t1 + 2 * t2 * y + 3 * t3 * y**2))

    surface = Surface(
        "beale", 2, value, grad,
        bounds=((-4.5, 4.5), (-4.5, 4.5)), start=(-1.0, 1.5),
        minima=(Point((3.0, 0.5), 0.0, True),),
        formula="(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
    )
    return _with_points(surface, minima=[(3.0, 0.5)], saddles=[(0.0, 1.0)])


def _rastrigin_1d_minima(span: float) -> list[float]:
    """Return the local minima of x² − 10·cos(2πx) inside [−span, span] (one per integer)."""
    found = []
    for k in range(-int(span), int(span) + 1):
        x = float(k)
        for _ in range(50):
            d1 = 2 * x + 20 * np.pi * np.sin(2 * np.pi * x)
            d2 = 2 + 40 * np.pi**2 * np.cos(2 * np.pi * x)
            x -= d1 / d2
        if abs(x) <= span:
            found.append(x)
    return found


def rastrigin(a: float = 10.0) -> Surface:
    """Rastrigin's function: a bowl covered in egg-box bumps, one minimum per grid cell."""
    surface = Surface(
        "rastrigin", 2,
        lambda x, y: 2 * a + x**2 - a * np.cos(2 * np.pi * x) + y**2 - a * np.cos(2 * np.pi * y),
        lambda x, y: (2 * x + 2 * np.pi * a * np.sin(2 * np.pi * x),
                      2 * y + 2 * np.pi * a * np.sin(2 * np.pi * y)),
        bounds=((-5.12, 5.12), (-5.12, 5.12)), start=(-3.2, 2.4),
        formula=f"{2 * a:g} + Σ (xᵢ² − {a:g}·cos 2πxᵢ)", params={"a": a},
    )
    if a != 10.0:
        return surface
    axis = _rastrigin_1d_minima(5.12)
    mins = [Point((float(x), float(y)), float(surface.value([x, y])), bool(x == 0 and y == 0))
            for x in axis for y in axis]
    return _replace(surface, minima=tuple(mins))


def styblinski_tang() -> Surface:
    """Styblinski–Tang: four valleys of different depth, deepest at (−2.90, −2.90)."""
    surface = Surface(
        "styblinski_tang", 2,
        lambda x, y: 0.5 * (x**4 - 16 * x**2 + 5 * x + y**4 - 16 * y**2 + 5 * y),
        lambda x, y: (0.5 * (4 * x**3 - 32 * x + 5), 0.5 * (4 * y**3 - 32 * y + 5)),
        bounds=((-5.0, 5.0), (-5.0, 5.0)), start=(0.5, 0.3),
        formula="½ Σ (xᵢ⁴ − 16xᵢ² + 5xᵢ)",
    )
    lo, hi, top = -2.9035, 2.7468, 0.1567
    return _with_points(
        surface,
        minima=[(lo, lo), (lo, hi), (hi, lo), (hi, hi)],
        saddles=[(lo, top), (hi, top), (top, lo), (top, hi)],
    )


def xcos() -> Surface:
    """The 1-D curve x·cos(πx) on [−2, 2]: which valley you reach depends on where you start."""
    surface = Surface(
        "xcos", 1,
        lambda x: x * np.cos(np.pi * x),
        lambda x: (np.cos(np.pi * x) - np.pi * x * np.sin(np.pi * x),),
        bounds=((-2.25, 2.25),), start=(0.5,),
        formula="x·cos(πx)",
    )
    # The deepest valley sits just outside [−2, 2] at x ≈ −2.05, so the view is a little wider.
    return _with_points(surface, minima=[(-2.05,), (-0.29,), (1.09,)])


def double_well(tilt: float = 0.3) -> Surface:
    """The 1-D double well x⁴ − 2x² + tilt·x: a deep valley left, a shallower one right."""
    surface = Surface(
        "double_well", 1,
        lambda x: x**4 - 2 * x**2 + tilt * x,
        lambda x: (4 * x**3 - 4 * x + tilt,),
        bounds=((-2.0, 2.0),), start=(1.8,),
        formula=f"x⁴ − 2x² + {tilt:g}·x", params={"tilt": tilt},
    )
    return _with_points(surface, minima=[(-1.0,), (1.0,)])


@dataclass(frozen=True, eq=False)
class DataFitSurface(Surface):
    """A loss built from data: the mean squared error of a line y = w·x + b.

    Its points are (w, b). `grad` uses every sample (full batch); `batch_grad` uses only
    the samples a step drew, which is what stochastic and mini-batch descent see.
    """

    data_x: np.ndarray = field(default_factory=lambda: np.zeros(0))
    data_y: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def samples(self) -> int:
        return int(self.data_x.size)

    def batch_grad(self, points: np.ndarray, batches: np.ndarray) -> np.ndarray:
        """Return each point's gradient on its own batch: points (n, 2), batches (n, k) indices."""
        xs, ys = self.data_x[batches], self.data_y[batches]
        w, b = points[:, :1], points[:, 1:]
        residual = w * xs + b - ys
        return np.stack([2 * np.mean(residual * xs, axis=1), 2 * np.mean(residual, axis=1)], axis=1)


def line_fit(samples: int = 24, slope: float = 1.5, intercept: float = -0.5,
             noise: float = 0.6, seed: int = 7) -> DataFitSurface:
    """Fitting a line to `samples` noisy points: the loss as a function of slope w and intercept b."""
    rng = np.random.default_rng(seed)
    xs = rng.uniform(-2.0, 2.0, samples)
    ys = slope * xs + intercept + noise * rng.standard_normal(samples)
    mx, my, mxx, mxy, myy = xs.mean(), ys.mean(), (xs * xs).mean(), (xs * ys).mean(), (ys * ys).mean()

    # Expanding the mean of squares keeps these O(1) per point, whatever the data size.
    def value(w, b):
        return w * w * mxx + 2 * w * b * mx + b * b - 2 * w * mxy - 2 * b * my + myy

    def grad(w, b):
        return (2 * (w * mxx + b * mx - mxy), 2 * (w * mx + b - my))

    best_w, best_b = np.linalg.lstsq(np.stack([xs, np.ones_like(xs)], 1), ys, rcond=None)[0]
    best = (float(best_w), float(best_b))
    return DataFitSurface(
        "line_fit", 2, value, grad,
        bounds=((best[0] - 3.5, best[0] + 3.5), (best[1] - 3.5, best[1] + 3.5)),
        start=(best[0] - 3.0, best[1] + 2.5),
        minima=(Point(best, float(value(np.array(best[0]), np.array(best[1]))), True),),
        formula="mean of (w·xᵢ + b − yᵢ)²",
        params={"samples": samples, "slope": slope, "intercept": intercept, "noise": noise, "seed": seed},
        data_x=xs, data_y=ys,
    )


def tiny_net() -> Surface:
    """A two-weight neural network ŷ = w₂·tanh(w₁·x) trained on shipped data (gdviz/core/tiny_net.py)."""
    from gdviz.core import tiny_net as network  # it builds on DataFitSurface above

    return network.tiny_net()


_CATALOGUE: dict[str, Callable[..., Surface]] = {
    f.__name__: f
    for f in (bowl, parabola, ravine, rosenbrock, saddle, sin_saddle, monkey_saddle, plateau,
              two_wells, himmelblau, beale, rastrigin, styblinski_tang, xcos, double_well, line_fit,
              tiny_net)
}


def register(name: str, factory: Callable[..., Surface]) -> None:
    """Add a surface factory to the catalogue under `name`."""
    _CATALOGUE[name] = factory


def names() -> list[str]:
    """Return the names of every catalogued surface, in catalogue order."""
    return list(_CATALOGUE)


def get(name: str, **params: float) -> Surface:
    """Return the catalogued surface called `name`, built with `params`.

    >>> get("rosenbrock", b=10).params
    {'a': 1.0, 'b': 10}
    """
    try:
        factory = _CATALOGUE[name]
    except KeyError:
        raise ValueError(f"unknown surface {name!r}; choose one of: {', '.join(_CATALOGUE)}") from None
    return factory(**params)
