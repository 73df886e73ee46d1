"""A formula once it has been read: a small tree of numbers, x and y, operators and functions.

`x**2 + 2*y` becomes a `Bin("+")` whose left part is `Bin("**", Var("x"), Num(2))` and whose
right part is `Bin("*", Num(2), Var("y"))`. This module says what the parts of such a tree
are, and gives two ways of reading a tree back out:

* `to_text` prints it as a formula again, with only the brackets it needs;
* `compile_numpy` turns it into a numpy function that works on whole arrays of points at
  once, by walking the tree, so typed text is never run as Python code.

Slope trees may hold one operator nobody types, KINK_TIMES: a product in which an exact zero
beats an infinity (see `kink_times`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from gdviz.core.expr_messages import refusal

__all__ = [
    "BINARY_UFUNCS",
    "KINK_TIMES",
    "UNARY_UFUNCS",
    "Bin",
    "Call",
    "Neg",
    "Node",
    "Num",
    "Var",
    "compile_numpy",
    "const_value",
    "kink_times",
    "number_text",
    "to_text",
    "variables",
]


# --- the tree -------------------------------------------------------------------------------


class _Node:
    """Bookkeeping shared by all nodes, worked out once when a node is made.

    `depth` and `size` let the parser refuse trees that are too big before anything walks
    them; `free` is the set of variables below this node, so "does not depend on x" is cheap.
    """

    depth: int
    size: int
    free: frozenset[str]

    def children(self) -> tuple[Node, ...]:
        return ()

    def __post_init__(self) -> None:
        kids = self.children()
        free = frozenset([self.name]) if isinstance(self, Var) else frozenset()
        object.__setattr__(self, "depth", 1 + max((k.depth for k in kids), default=0))
        object.__setattr__(self, "size", 1 + sum(k.size for k in kids))
        object.__setattr__(self, "free", free.union(*(k.free for k in kids)))


@dataclass(frozen=True)
class Num(_Node):
    """A number. `label` remembers "pi" or "e" so the formula prints the way it was typed."""

    value: float
    label: str = field(default="", compare=False)


@dataclass(frozen=True)
class Var(_Node):
    """The variable x or y."""

    name: str


@dataclass(frozen=True)
class Neg(_Node):
    """Minus something: -arg."""

    arg: Node

    def children(self) -> tuple[Node, ...]:
        return (self.arg,)


@dataclass(frozen=True)
class Bin(_Node):
    """Two parts joined by an operator: + - * / or ** (a typed ^ becomes **)."""

    op: str
    left: Node
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True)
class Call(_Node):
    """A function applied to one argument, like sin(x)."""

    fn: str
    arg: Node

    def children(self) -> tuple[Node, ...]:
        return (self.arg,)


Node = Num | Var | Neg | Bin | Call


def variables(node: Node) -> set[str]:
    """Return the variables (x and/or y) the formula uses."""
    return set(node.free)


# --- printing --------------------------------------------------------------------------------

# How tightly each kind of node binds: a lower number needs brackets inside a higher one.
KINK_TIMES = "*0"  # only made by derivative(); prints as "*" (see kink_times)
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, KINK_TIMES: 2, "/": 2, "neg": 3, "**": 4, "atom": 5}
_SPACED = {"+": " + ", "-": " - ", "*": "*", KINK_TIMES: "*", "/": "/", "**": "**"}


def number_text(value: float) -> str:
    """Print a float short and exact: 2.0 -> "2", 0.5 -> "0.5"."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _precedence(node: Node) -> int:
    if isinstance(node, Bin):
        return _PRECEDENCE[node.op]
    if isinstance(node, Neg) or (isinstance(node, Num) and node.value < 0 and not node.label):
        return _PRECEDENCE["neg"]
    return _PRECEDENCE["atom"]


def _bracket(text: str, needed: bool) -> str:
    return f"({text})" if needed else text


def to_text(node: Node) -> str:
    """Print the tree as a readable formula, with only the brackets it needs."""
    # Children are printed right here (not in a helper) to use one stack frame per level.
    match node:
        case Num(value=value, label=label):
            return label or number_text(value)
        case Var(name=name):
            return name
        case Neg(arg=arg):
            return "-" + _bracket(to_text(arg), _precedence(arg) < _PRECEDENCE["neg"])
        case Call(fn=fn, arg=arg):
            return f"{fn}({to_text(arg)})"
        case Bin(op=op, left=left, right=right):
            mine = _PRECEDENCE[op]
            if op == "**":  # right-associative, and x**-1 needs no brackets
                left_open = _precedence(left) <= mine
                right_open = _precedence(right) < _PRECEDENCE["neg"]
            else:  # left-associative: a - (b - c) keeps its brackets
                left_open = _precedence(left) < mine
                right_open = _precedence(right) <= mine
            left_text = _bracket(to_text(left), left_open)
            return left_text + _SPACED[op] + _bracket(to_text(right), right_open)
    raise TypeError(f"not a formula node: {node!r}")


# --- evaluating with numpy -------------------------------------------------------------------

def kink_times(outer: np.ndarray | float, inner: np.ndarray | float) -> np.ndarray:
    """Multiply an outer slope by an inner one, giving 0 where the inner is 0 and the outer infinite.

    The chain rule through sqrt(u) (or u**n with 0 < n < 1) gives u' / (2·sqrt(u)), which is
    0/0 where u = 0 and u' = 0: the tip of the cone sqrt(x**2 + y**2), say. There u has its
    lowest value, so the whole formula does too, and 0 is a sub-gradient: the convention
    `abs` already follows (its slope at 0 is sign(0) = 0). Where u' is not 0 the infinity is
    real (sqrt(x) at 0) and stays.
    """
    product = np.multiply(outer, inner)
    return np.where(np.equal(inner, 0) & np.isinf(outer), 0.0, product)


BINARY_UFUNCS: dict[str, Callable[..., np.ndarray]] = {
    "+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "**": np.power,
    KINK_TIMES: kink_times,
}
UNARY_UFUNCS: dict[str, Callable[..., np.ndarray]] = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp, "log": np.log,
    "sqrt": np.sqrt, "abs": np.abs, "tanh": np.tanh, "sinh": np.sinh, "cosh": np.cosh,
    "arctan": np.arctan,
    "sign": np.sign,  # only made by derivative() (the slope of abs), never typed
}


def _build(node: Node, index: dict[str, int]) -> Callable[..., np.ndarray]:
    """Turn the tree into nested numpy closures: one small function per node."""
    match node:
        case Num(value=value):
            return lambda *xs: value
        case Var(name=name):
            i = index[name]
            return lambda *xs: xs[i]
        case Neg(arg=arg):
            inner = _build(arg, index)
            return lambda *xs: np.negative(inner(*xs))
        case Bin(op=op, left=left, right=right):
            ufunc, f, g = BINARY_UFUNCS[op], _build(left, index), _build(right, index)
            return lambda *xs: ufunc(f(*xs), g(*xs))
        case Call(fn=fn, arg=arg):
            ufunc, inner = UNARY_UFUNCS[fn], _build(arg, index)
            return lambda *xs: ufunc(inner(*xs))
    raise TypeError(f"not a formula node: {node!r}")


def compile_numpy(node: Node, variables: tuple[str, ...]) -> Callable[..., np.ndarray]:
    """Return f(*arrays) that evaluates the tree on numpy arrays, one array per variable.

    The result always has the broadcast shape of the inputs, so a constant gives an array
    full of that constant. Overflow, log(0) and the like give inf/nan quietly, never warnings.
    """
    missing = node.free - set(variables)
    if missing:
        name = sorted(missing)[0]
        if variables:
            raise refusal("missing_variable", name=name, allowed=tuple(variables))
        raise refusal("missing_variable_none", name=name)
    index = {name: i for i, name in enumerate(variables)}
    inner = _build(node, index)

    def evaluate(*coords: np.ndarray | float) -> np.ndarray:
        if len(coords) != len(variables):
            raise TypeError(f"expected {len(variables)} coordinate arrays, got {len(coords)}")
        arrays = [np.asarray(c, dtype=float) for c in coords]
        with np.errstate(all="ignore"):
            raw = inner(*arrays)
        out = np.empty(np.broadcast_shapes(*(a.shape for a in arrays)))
        out[...] = raw  # a fresh array of the right shape, even for constants
        return out

    return evaluate


def const_value(node: Node) -> float:
    """The value of a tree with no variables in it (inf or nan if it has none)."""
    return float(compile_numpy(node, ())())
