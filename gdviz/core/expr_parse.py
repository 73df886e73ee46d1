"""Reading a typed formula like `x**2 + 2*sin(y)` into a tree, safely.

The text is read one character at a time into tokens (numbers, names, operators, brackets),
and the tokens are read into a tree (see expr_tree) by a recursive-descent parser: one small
method per rule of the grammar written out below. Nothing the student types is ever run as
Python code.

Anything outside this small language is refused with an `ExpressionError` saying what is
wrong and at which column. Limits on length, nesting and size keep a silly or hostile
formula from eating time, memory or the stack.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from gdviz.core.expr_messages import ExpressionError, quote, refusal
from gdviz.core.expr_tree import Bin, Call, Neg, Node, Num, Var, const_value, number_text, to_text

__all__ = [
    "ALIASES",
    "CONSTANTS",
    "FUNCTIONS",
    "KEYWORDS",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_NODES",
    "VARIABLES",
    "parse",
]

# --- limits: they keep a silly or hostile formula from eating time, memory or the stack ---

MAX_LENGTH = 2000  # characters of input
MAX_DEPTH = 100  # nesting of brackets, signs and powers, and the depth of the tree
MAX_NODES = 5000  # parts of the tree
MAX_EXPONENT = 1000.0  # largest constant exponent, so x**10000 cannot be asked for

VARIABLES = ("x", "y")
CONSTANTS = {"pi": math.pi, "e": math.e}
FUNCTIONS = ("sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "sinh", "cosh", "arctan")
ALIASES = {"atan": "arctan"}
# Python words a student might try; they get a clearer message than "unknown name".
KEYWORDS = frozenset(
    "lambda if else for in while and or not is import from as def class return yield "
    "with del global nonlocal pass raise try except finally assert await async "
    "None True False print open exec eval".split()
)


def parse(text: str) -> Node:
    """Read a formula into a tree, or raise ExpressionError saying what is wrong and where."""
    if not isinstance(text, str):
        raise refusal("not_text")
    if len(text) > MAX_LENGTH:
        raise refusal("too_long", length=len(text), limit=MAX_LENGTH)
    if not text.strip(_SPACES):
        raise refusal("empty")
    try:
        return _Parser(text).parse()
    except RecursionError:
        # The limits above should make this impossible; it is a last safety net.
        raise refusal("nested_too_deeply") from None


# --- reading the text: characters -> tokens --------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # "num", "name", "op", "(", ")", "," or "end"
    text: str
    column: int
    value: float = 0.0


_DIGITS = "0123456789"
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
_SPACES = " \t\r\n"


def _bad_character(text: str, i: int) -> ExpressionError:
    """Explain why the character at index i cannot be part of a formula."""
    c = text[i]
    if c in "<>=!":
        reason = "character_comparison"
    elif c in "[]":
        reason = "character_bracket"
    elif c == "." and i > 0 and (text[i - 1] in _LETTERS + _DIGITS + ")"):
        reason = "character_dot"
    elif c in "%&|~@":
        reason = "character_operator"
    elif c in "'\"":
        reason = "character_quote"
    else:
        reason = "character_other"
    return refusal(reason, i + 1, char=quote(c))


def _scan_number(text: str, i: int) -> int:
    """Return the index just past the number starting at i (digits, dot, exponent)."""
    n = len(text)
    while i < n and text[i] in _DIGITS:
        i += 1
    if i < n and text[i] == ".":
        i += 1
        while i < n and text[i] in _DIGITS:
            i += 1
    if i < n and text[i] in "eE":
        j = i + 1
        if j < n and text[j] in "+-":
            j += 1
        # Only an exponent if digits follow: "2e" is 2 times e, and gets the 2*e hint.
        if j < n and text[j] in _DIGITS:
            while j < n and text[j] in _DIGITS:
                j += 1
            i = j
    return i


def _number_token(text: str, i: int) -> tuple[_Token, int]:
    """Read one number starting at index i; refuse numbers too big for a float."""
    end = _scan_number(text, i)
    if end < len(text) and text[end] == ".":
        raise refusal("two_decimal_points", i + 1)
    value = float(text[i:end])  # digits, dot and exponent only, so float() reads it safely
    if not math.isfinite(value):
        raise refusal("number_too_large", i + 1, number=quote(text[i:end]))
    return _Token("num", text[i:end], i + 1, value), end


def _tokens(text: str) -> Iterator[_Token]:
    """Split the text into tokens, lazily, so errors are reported left to right."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in _SPACES:
            i += 1
        elif c in _DIGITS or (c == "." and i + 1 < n and text[i + 1] in _DIGITS):
            token, i = _number_token(text, i)
            yield token
        elif c in _LETTERS:
            start = i
            while i < n and text[i] in _LETTERS + _DIGITS:
                i += 1
            yield _Token("name", text[start:i], start + 1)
        elif text.startswith("**", i):
            yield _Token("op", "**", i + 1)
            i += 2
        elif c in "+-*/^":
            yield _Token("op", "**" if c == "^" else c, i + 1)
            i += 1
        elif c in "(),":
            yield _Token(c, c, i + 1)
            i += 1
        else:
            raise _bad_character(text, i)
    yield _Token("end", "", n + 1)


# --- reading the tokens: a recursive-descent parser ------------------------------------------
#
#   sum     := product (("+" | "-") product)*
#   product := unary (("*" | "/") unary)*
#   unary   := ("-" | "+") unary | power
#   power   := primary (("**" | "^") unary)?      so -x**2 is -(x**2) and 2**3**2 is 2**9
#   primary := number | x | y | pi | e | function "(" sum ")" | "(" sum ")"


class _Parser:
    """Reads tokens left to right and builds the tree, checking limits as it goes."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._stream = _tokens(text)
        self._tok = next(self._stream)
        self._prev: _Token | None = None
        self._depth = 0

    def _advance(self) -> _Token:
        token, self._prev = self._tok, self._tok
        self._tok = next(self._stream)
        return token

    def _is_op(self, *ops: str) -> bool:
        return self._tok.kind == "op" and self._tok.text in ops

    def parse(self) -> Node:
        node = self._sum()
        if self._tok.kind != "end":
            raise self._unexpected()
        return node

    def _sum(self) -> Node:
        node = self._product()
        while self._is_op("+", "-"):
            op = self._advance()
            node = self._checked(Bin(op.text, node, self._product()), op)
        return node

    def _product(self) -> Node:
        node = self._unary()
        while self._is_op("*", "/"):
            op = self._advance()
            node = self._checked(Bin(op.text, node, self._unary()), op)
        return node

    def _unary(self) -> Node:
        # Every bracket, sign and exponent passes through here, so this counts nesting and
        # stops long before Python's own recursion limit.
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise refusal("nested_too_deeply_at", self._tok.column, limit=MAX_DEPTH)
            if self._is_op("+", "-"):
                sign = self._advance()
                operand = self._unary()
                return operand if sign.text == "+" else self._negate(operand, sign)
            return self._power()
        finally:
            self._depth -= 1

    def _negate(self, node: Node, sign: _Token) -> Node:
        # -2 is kept as the number -2, so x**-1 prints and differentiates cleanly.
        if isinstance(node, Num) and not node.label:
            return Num(-node.value)
        return self._checked(Neg(node), sign)

    def _power(self) -> Node:
        base = self._primary()
        if not self._is_op("**"):
            return base
        op = self._advance()
        return self._make_power(base, self._unary(), op)

    def _make_power(self, base: Node, exponent: Node, op: _Token) -> Node:
        """Build base**exponent, refusing absurd constant powers before anything computes them."""
        if not exponent.free:
            power = const_value(exponent)
            if abs(power) > MAX_EXPONENT:
                raise refusal("exponent_too_large", op.column, exponent=number_text(power),
                              limit=number_text(MAX_EXPONENT))
            if not base.free:
                value = _safe_power(const_value(base), power, op.column)
                if _plain(base) and _plain(exponent):
                    return Num(value)  # like 2**3 -> 8: both sides were typed as numbers
        return self._checked(Bin("**", base, exponent), op)

    def _primary(self) -> Node:
        tok = self._tok
        if tok.kind == "num":
            self._advance()
            return Num(tok.value)
        if tok.kind == "name":
            return self._name()
        if tok.kind == "(":
            self._advance()
            inner = self._sum()
            self._close(tok)
            return inner
        raise self._missing_value()

    def _name(self) -> Node:
        tok = self._tok
        name = tok.text
        fn = ALIASES.get(name, name)
        if name not in VARIABLES and name not in CONSTANTS and fn not in FUNCTIONS:
            # Judged before reading on, so "lambda: 1" is about lambda, not about the ":".
            rest = self._text[tok.column - 1 + len(name):]
            raise _unknown_name(tok, rest.lstrip(_SPACES).startswith("("))
        self._advance()
        if name in VARIABLES:
            return Var(name)
        if name in CONSTANTS:
            return Num(CONSTANTS[name], label=name)
        return self._call(fn, tok)

    def _call(self, fn: str, name: _Token) -> Node:
        if self._tok.kind != "(":
            raise refusal("function_without_brackets", name.column, name=quote(name.text),
                          fn=name.text)
        opening = self._advance()
        if self._tok.kind == ")":
            raise refusal("function_empty", name.column, fn=name.text)
        arg = self._sum()
        if self._tok.kind == ",":
            raise refusal("second_argument", self._tok.column, fn=name.text)
        self._close(opening)
        return self._checked(Call(fn, arg), name)

    def _close(self, opening: _Token) -> None:
        """Expect the ")" that matches `opening`."""
        if self._tok.kind == ")":
            self._advance()
            return
        if self._tok.kind == "end":
            raise refusal("never_closed", opening.column)
        raise self._unexpected()

    def _checked(self, node: Node, at: _Token) -> Node:
        """Refuse a new node that makes the tree too big, too deep, or a constant that is
        not a finite number (like 1/0 or log(0))."""
        if node.depth > MAX_DEPTH:
            raise refusal("chain_too_long", at.column, limit=MAX_DEPTH)
        if node.size > MAX_NODES:
            raise refusal("too_big", at.column, limit=MAX_NODES)
        if not node.free and not math.isfinite(const_value(node)):
            raise refusal("not_finite", at.column, part=quote(to_text(node), 30))
        return node

    def _missing_value(self) -> ExpressionError:
        """A number, name or '(' was expected but something else came."""
        tok, prev = self._tok, self._prev
        if tok.kind == "end" and prev is not None:
            return refusal("ends_early_after", tok.column, previous=quote(prev.text))
        if tok.kind == "end":
            return refusal("ends_early", tok.column)
        if tok.kind == ")" and prev is not None and prev.kind == "(":
            return refusal("empty_brackets", prev.column)
        return refusal("expected_value", tok.column, found=quote(tok.text))

    def _unexpected(self) -> ExpressionError:
        """A whole value was read and something other than an operator follows it."""
        tok, prev = self._tok, self._prev
        if tok.kind == ")":
            return refusal("unmatched_close", tok.column)
        if tok.kind == ",":
            return refusal("comma", tok.column)
        if tok.kind == "name" and tok.text in KEYWORDS:
            return _unknown_name(tok, False)
        if prev is not None and {prev.kind, tok.kind} <= {"num", "name"}:
            return refusal("operator_between", tok.column, left=quote(prev.text),
                           right=quote(tok.text), product=f"{prev.text[:12]}*{tok.text[:12]}")
        return refusal("operator_before", tok.column, found=quote(tok.text))


def _unknown_name(tok: _Token, called: bool) -> ExpressionError:
    """Explain a name that is not x, y, pi, e or an allowed function."""
    shown, col = quote(tok.text), tok.column
    if tok.text in KEYWORDS:
        return refusal("keyword", col, name=shown)
    if called:
        return refusal("unknown_function", col, name=shown, functions=FUNCTIONS)
    if _guess(tok.text):
        return refusal("did_you_mean", col, name=shown, guess=_guess(tok.text))
    return refusal("unknown_name", col, name=shown)


def _guess(name: str) -> str:
    """Guess what a beginner meant by a run-together name: sinx -> sin(x), xy -> x*y."""
    for fn in (*FUNCTIONS, *ALIASES):
        rest = name[len(fn):]
        if name.startswith(fn) and rest in (*VARIABLES, *CONSTANTS):
            return f"{fn}({rest})"
    if 1 < len(name) <= 4 and set(name) <= set(VARIABLES):
        return "*".join(name)
    return ""


def _plain(node: Node) -> bool:
    """True for a number typed as digits (not pi or e)."""
    return isinstance(node, Num) and not node.label


def _safe_power(base: float, power: float, column: int) -> float:
    """Work out base**power for two constants as float64, refusing overflow and non-reals.

    Done with numpy floats, never Python ints, so 9**9 cannot turn into a giant integer.
    """
    with np.errstate(all="ignore"):
        value = float(np.power(np.float64(base), np.float64(power)))
    if math.isnan(value):
        raise refusal("power_not_real", column, base=number_text(base),
                      exponent=number_text(power))
    if math.isinf(value):
        raise refusal("power_divides_by_zero" if base == 0 else "power_too_large", column)
    return value
