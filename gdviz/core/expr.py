"""Formulas typed by a student, turned into a surface the balls can roll on.

A student types something like `x**2 + 2*y**2` or `sin(x)*y^2`. This is the front door to
the formula machinery, which lives in four rooms:

* expr_parse reads the text into a small tree (`parse`), refusing anything else;
* expr_tree says what the tree is made of, prints it back (`to_text`) and turns it into a
  numpy function that works on whole arrays of points at once (`compile_numpy`), by walking
  the tree, so the typed text is never run as Python code;
* expr_diff works out the exact slope by the rules of calculus (`derivative`), not by
  estimating it;
* expr_messages holds every sentence of an `ExpressionError`, in English and Chinese.

This module wraps them into a `Surface` (`from_expression`) and picks where the balls start.

    >>> s = from_expression("x**2 + 2*y**2")
    >>> s.grad([[1.0, 1.0]])
    array([[2., 4.]])
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from gdviz.core.expr_diff import derivative
from gdviz.core.expr_messages import ExpressionError, refusal
from gdviz.core.expr_parse import FUNCTIONS, MAX_DEPTH, MAX_LENGTH, VARIABLES, parse
from gdviz.core.expr_tree import (
    Bin,
    Call,
    Neg,
    Node,
    Num,
    Var,
    compile_numpy,
    to_text,
    variables,
)
from gdviz.core.surfaces import Bounds, Surface

__all__ = [
    "FUNCTIONS",
    "MAX_LENGTH",
    "Bin",
    "Call",
    "ExpressionError",
    "Neg",
    "Node",
    "Num",
    "Var",
    "compile_numpy",
    "derivative",
    "from_expression",
    "parse",
    "to_text",
    "variables",
]

MAX_GRADIENT_SIZE = 50_000  # parts of a derivative tree before we call it too complicated

DEFAULT_BOUNDS_1D: Bounds = ((-3.0, 3.0),)
DEFAULT_BOUNDS_2D: Bounds = ((-3.0, 3.0), (-3.0, 3.0))
DEFAULT_START_1D = (-2.5,)
DEFAULT_START_2D = (-2.5, 2.0)
# Where to start instead, as fractions of the view box, if the default start is undefined.
START_FRACTIONS = ((0.1, 0.8), (0.8, 0.8), (0.8, 0.2), (0.2, 0.2), (0.9, 0.5), (0.6, 0.9),
                   (0.5, 0.5), (0.35, 0.65))


def from_expression(
    text: str,
    bounds: Bounds | None = None,
    start: tuple[float, ...] | None = None,
    name: str | None = None,
) -> Surface:
    """Build a Surface from a typed formula: 2-D if it uses y, else 1-D, with exact slopes."""
    node = parse(text)
    dims = 2 if "y" in node.free else 1
    names = VARIABLES[:dims]
    box = _checked_bounds(bounds, dims)
    try:
        value_fn = compile_numpy(node, names)
        slope_fns = _gradient_fns(node, names)
    except RecursionError:
        raise refusal("nested_too_deeply") from None

    def grad_fn(*coords: np.ndarray) -> tuple[np.ndarray, ...]:
        return tuple(f(*coords) for f in slope_fns)

    if start is None:
        start = _pick_start(value_fn, grad_fn, box)
    elif len(start) != dims:
        raise ValueError(f"start has {len(start)} coordinates but the formula needs {dims}")
    return Surface(
        name=name or "custom",
        dims=dims,
        value_fn=value_fn,
        grad_fn=grad_fn,
        bounds=box,
        start=tuple(float(c) for c in start),
        formula=to_text(node),
    )


def _checked_bounds(bounds: Bounds | None, dims: int) -> Bounds:
    if bounds is None:
        return DEFAULT_BOUNDS_2D if dims == 2 else DEFAULT_BOUNDS_1D
    result = tuple((float(lo), float(hi)) for lo, hi in bounds)
    if len(result) != dims:
        raise ValueError(f"bounds has {len(result)} ranges but the formula needs {dims}")
    return result


def _gradient_fns(node: Node, names: tuple[str, ...]) -> list[Callable[..., np.ndarray]]:
    """Differentiate once per variable and compile each slope the same way as the value."""
    slopes = [derivative(node, v) for v in names]
    if any(s.size > MAX_GRADIENT_SIZE or s.depth > 5 * MAX_DEPTH for s in slopes):
        raise refusal("too_complicated")
    return [compile_numpy(s, names) for s in slopes]


def _pick_start(value_fn: Callable, grad_fn: Callable, bounds: Bounds) -> tuple[float, ...]:
    """Use the usual start point, or the first point on a fixed list where all is finite."""
    dims = len(bounds)
    default = DEFAULT_START_2D if dims == 2 else DEFAULT_START_1D
    candidates = [default] if _inside(default, bounds) else []
    for fractions in START_FRACTIONS:
        candidates.append(tuple(lo + f * (hi - lo) for f, (lo, hi) in zip(fractions, bounds)))
    for point in candidates:
        if _is_finite_at(value_fn, grad_fn, point):
            return tuple(float(c) for c in point)
    if any(_overflows_at(value_fn, grad_fn, point) for point in candidates):
        raise refusal("overflows_everywhere", limit=f"{np.finfo(float).max:.1e}".replace("e+", "e"))
    raise refusal("no_finite_start")


def _inside(point: tuple[float, ...], bounds: Bounds) -> bool:
    return all(lo <= c <= hi for c, (lo, hi) in zip(point, bounds))


def _overflows_at(value_fn: Callable, grad_fn: Callable, point: tuple[float, ...]) -> bool:
    """Whether the value and slope at `point` are all defined, but some too big for a float (inf)."""
    coords = [np.float64(c) for c in point]
    with np.errstate(all="ignore"):
        values = np.concatenate([np.ravel(v) for v in (value_fn(*coords), *grad_fn(*coords))])
    return not np.isnan(values).any() and bool(np.isinf(values).any())


def _is_finite_at(value_fn: Callable, grad_fn: Callable, point: tuple[float, ...]) -> bool:
    coords = [np.float64(c) for c in point]
    values = [value_fn(*coords), *grad_fn(*coords)]
    return all(bool(np.all(np.isfinite(v))) for v in values)
