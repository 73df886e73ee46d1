"""The exact slope of a formula, worked out by the rules of calculus rather than estimated.

`derivative(tree, "x")` returns a new tree for the slope in the x direction: the sum rule,
product rule, quotient rule, power rule and chain rule, one small case each.

Where a rule gives 0/0 but the slope has a convention, the tree keeps it: through sqrt(u)
and u**n (0 < n < 1) the chain rule multiplies with KINK_TIMES, so at u = 0 with u' = 0 (the
tip of sqrt(x**2 + y**2), a lowest point) the slope is 0, as for abs(x) at 0. Infinite
slopes with no convention (sqrt(x) or x**(1/3) at 0) stay infinite: the ball finds no slope.

The helpers `_add`, `_mul`, ... build the new tree with light simplification (0*a -> 0,
1*a -> a, a+0 -> a, 2*3 -> 6), so slope trees stay small and read like what a student
would write: the slope of x**3 prints as 3*x**2.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from gdviz.core.expr_parse import MAX_EXPONENT
from gdviz.core.expr_tree import (
    BINARY_UFUNCS,
    KINK_TIMES,
    UNARY_UFUNCS,
    Bin,
    Call,
    Neg,
    Node,
    Num,
    Var,
    const_value,
)

__all__ = ["derivative"]

ZERO = Num(0.0)
ONE = Num(1.0)
TWO = Num(2.0)


def derivative(node: Node, var: str) -> Node:
    """Return the exact derivative of the tree with respect to `var`, as a new tree."""
    if var not in node.free:
        return ZERO
    match node:
        case Var():
            return ONE
        case Neg(arg=arg):
            return _neg(derivative(arg, var))
        case Bin():
            return _d_bin(node, var)
        case Call(fn=fn, arg=arg):  # chain rule: outer slope times inner slope
            return _chain(_OUTER[fn](arg, node), derivative(arg, var), kink=fn == "sqrt")
    raise TypeError(f"not a formula node: {node!r}")


def _d_bin(node: Bin, var: str) -> Node:
    """Sum, difference, product, quotient and power rules."""
    a, b = node.left, node.right
    if node.op == "**":
        return _d_power(node, var)
    da, db = derivative(a, var), derivative(b, var)
    if node.op == "+":
        return _add(da, db)
    if node.op == "-":
        return _sub(da, db)
    if node.op in ("*", KINK_TIMES):
        return _add(_mul(da, b), _mul(a, db))
    if var not in b.free:  # a / n: just divide the slope
        return _div(da, b)
    return _div(_sub(_mul(da, b), _mul(a, db)), _pow(b, TWO))


def _d_power(node: Bin, var: str) -> Node:
    """Power rule, in the three cases a student meets: x**n, n**x and x**x."""
    a, b = node.left, node.right
    if var not in b.free:  # d a**n = n * a**(n-1) * a'
        kink = not b.free and 0 < const_value(b) < 1  # a root, like sqrt: infinitely steep at a = 0
        return _chain(_mul(b, _pow(a, _sub(b, ONE))), derivative(a, var), kink)
    if var not in a.free:  # d n**b = n**b * log(n) * b'
        return _mul(_mul(node, _call("log", a)), derivative(b, var))
    # d a**b = a**b * (b' * log(a) + b * a' / a)
    da, db = derivative(a, var), derivative(b, var)
    return _mul(node, _add(_mul(db, _call("log", a)), _div(_mul(b, da), a)))


# --- building slope trees, simplifying as we go ----------------------------------------------


def _fold(op: str, a: Node, b: Node) -> Node | None:
    """Work out `a op b` when both are numbers and the answer is finite; else None."""
    if not (isinstance(a, Num) and isinstance(b, Num)):
        return None
    if op == "**" and abs(b.value) > MAX_EXPONENT:
        return None
    with np.errstate(all="ignore"):
        value = float(BINARY_UFUNCS[op](np.float64(a.value), np.float64(b.value)))
    return Num(value) if math.isfinite(value) else None


def _is(node: Node, value: float) -> bool:
    return isinstance(node, Num) and node.value == value


def _neg(a: Node) -> Node:
    if isinstance(a, Num):
        return Num(-a.value)
    if isinstance(a, Neg):
        return a.arg
    return Neg(a)


def _unsigned(a: Node) -> Node:
    return a.arg if isinstance(a, Neg) else a


def _add(a: Node, b: Node) -> Node:
    if _is(a, 0):
        return b
    if _is(b, 0):
        return a
    if isinstance(b, Neg):
        return _sub(a, b.arg)
    return _fold("+", a, b) or Bin("+", a, b)


def _sub(a: Node, b: Node) -> Node:
    if _is(b, 0):
        return a
    if _is(a, 0):
        return _neg(b)
    if isinstance(b, Neg):
        return _add(a, b.arg)
    return _fold("-", a, b) or Bin("-", a, b)


def _mul(a: Node, b: Node) -> Node:
    if _is(a, 0) or _is(b, 0):
        return ZERO
    if isinstance(a, Neg) or isinstance(b, Neg):  # pull minus signs out: -(a*b) reads better
        product = _mul(_unsigned(a), _unsigned(b))
        return _neg(product) if isinstance(a, Neg) != isinstance(b, Neg) else product
    if _is(b, 1) or _is(b, -1):  # keep a's label: pi*1 prints as pi, not 3.14159...
        a, b = b, a
    if isinstance(b, Num) and not isinstance(a, Num):
        a, b = b, a  # numbers go in front: 2*x rather than x*2 (same value, exactly)
    if _is(a, 1):
        return b
    if _is(a, -1):
        return _neg(b)
    if isinstance(a, Num) and isinstance(b, Bin) and b.op == "*" and isinstance(b.left, Num):
        return _mul(_mul(a, b.left), b.right)  # 2*(3*x) -> 6*x
    return _fold("*", a, b) or Bin("*", a, b)


def _chain(outer: Node, inner: Node, kink: bool) -> Node:
    """Outer slope times inner slope; through a root (`kink`), an exact 0 inner slope wins."""
    if not kink or isinstance(inner, Num):  # a constant inner slope: 0 gives 0, others no 0/0
        return _mul(outer, inner)
    return Bin(KINK_TIMES, outer, inner)


def _div(a: Node, b: Node) -> Node:
    if _is(a, 0):
        return ZERO
    if _is(b, 1):
        return a
    return _fold("/", a, b) or Bin("/", a, b)


def _pow(a: Node, b: Node) -> Node:
    if _is(b, 0):
        return ONE
    if _is(b, 1):
        return a
    return _fold("**", a, b) or Bin("**", a, b)


def _call(fn: str, a: Node) -> Node:
    if isinstance(a, Num):
        with np.errstate(all="ignore"):
            value = float(UNARY_UFUNCS[fn](np.float64(a.value)))
        if math.isfinite(value):
            return Num(value)
    return Call(fn, a)


# The slope of each function at its argument `a`; `me` is the call itself, reused where the
# rule mentions it (d exp(a) = exp(a), d tan(a) = 1 + tan(a)**2, ...).
_OUTER: dict[str, Callable[[Node, Node], Node]] = {
    "sin": lambda a, me: _call("cos", a),
    "cos": lambda a, me: _neg(_call("sin", a)),
    "tan": lambda a, me: _add(ONE, _pow(me, TWO)),
    "exp": lambda a, me: me,
    "log": lambda a, me: _div(ONE, a),
    "sqrt": lambda a, me: _div(ONE, _mul(TWO, me)),
    "abs": lambda a, me: _call("sign", a),
    "tanh": lambda a, me: _sub(ONE, _pow(me, TWO)),
    "sinh": lambda a, me: _call("cosh", a),
    "cosh": lambda a, me: _call("sinh", a),
    "arctan": lambda a, me: _div(ONE, _add(ONE, _pow(a, TWO))),
    "sign": lambda a, me: ZERO,
}
