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
from gdviz.core.expr_tree import Bin, Call, Neg, Node, Num, Var, const_value, number_text

__all__ = [
    "ALIASES",
    "CONSTANTS",
    "FUNCTIONS",
    "KEYWORDS",
    "LOOK_ALIKES",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_NODES",
    "POWER_SIGNS",
    "SUPERSCRIPTS",
    "SYMBOL_NAMES",
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
    if not text.translate(_PLAIN).strip(_SPACES):
        raise refusal("empty")
    try:
        return _Parser(text).parse()
    except RecursionError:
        # The limits above should make this impossible; it is a last safety net.
        raise refusal("nested_too_deeply") from None


# --- characters people really type ----------------------------------------------------------
#
# Phones, input methods, word processors and web pages give characters that look like the
# ones the parser reads. Each is read as its plain twin, one character for one, so every
# column in a message still points at what was typed, and messages quote what was typed.
# The README's function section lists them; NFKC normalisation is not used because it
# turns x² into x2.

MULTIPLY_SIGNS = "\u00d7\u22c5\u00b7\u2217\u2219"  # × ⋅ · ∗ ∙: one of them is times, two are never a power
# Full-width ASCII from Chinese, Japanese and Korean input methods: （ ） ＋ ＊ ｓｉｎ ２ …
_FULL_WIDTH = {chr(0xFF01 + i): chr(0x21 + i) for i in range(0x5E)}
LOOK_ALIKES: dict[str, str] = {
    **_FULL_WIDTH,
    **dict.fromkeys("\u2212\u2010\u2011\u2012\u2013\u2014\ufe63", "-"),  # minus sign, dashes
    **dict.fromkeys("\ufe62", "+"),  # ﹢ small plus, beside ﹣ small minus
    **dict.fromkeys(MULTIPLY_SIGNS, "*"),  # × ⋅ · ∗ ∙
    **dict.fromkeys("\u00f7\u2215\u2044", "/"),  # ÷ ∕ ⁄ (fraction slash)
    "\u02c6": "^",  # ˆ modifier circumflex, which some keyboards give for ^
    # no-break, the typographic spaces U+2000 … U+200A, narrow, medium maths, ideographic
    **dict.fromkeys("\u00a0" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000", " "),
    "\u3002": ".",  # 。 the Chinese full stop, typed for a decimal point
}
_PLAIN = str.maketrans(LOOK_ALIKES)
# Written exponents: x² is x**2, x⁻¹ is x**-1 (one token, binding like ** does).
SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-"))
SYMBOL_NAMES = {"π": "pi"}
POWER_SIGNS = ("**", "……")  # and ^; …… is what Shift+6 gives in a Chinese input method


# --- reading the text: characters -> tokens --------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # "num", "name", "op", "sup" (a superscript exponent), "(", ")", "," or "end"
    text: str  # exactly as typed: messages quote this
    column: int
    value: float = 0.0
    sym: str = ""  # what it means: the plain name, or the operator ("**" for ^ and ²)

    @property
    def end(self) -> int:
        """The index just past the token in the typed text."""
        return self.column - 1 + len(self.text)


_DIGITS = "0123456789"
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
_SPACES = " \t\r\n"


def _bad_character(text: str, plain: str, i: int) -> ExpressionError:
    """Explain why the character at index i cannot be part of a formula."""
    c = plain[i]
    if c in "<>=!":
        reason = "character_comparison"
    elif c in "[]":
        reason = "character_bracket"
    elif c == "." and i > 0 and (plain[i - 1] in _LETTERS + _DIGITS + ")"):
        reason = "character_dot"
    elif c in "%&|~@":
        reason = "character_operator"
    elif c in "'\"":
        reason = "character_quote"
    else:
        reason = "character_other"
    return refusal(reason, i + 1, char=quote(text[i]))


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


def _number_token(text: str, plain: str, i: int) -> _Token:
    """Read one number starting at index i; refuse numbers too big for a float."""
    end = _scan_number(plain, i)
    if end < len(plain) and plain[end] == ".":
        raise refusal("two_decimal_points", i + 1)
    return _Token("num", text[i:end], i + 1, _finite(plain[i:end], text[i:end], i), plain[i:end])


def _finite(digits: str, typed: str, i: int) -> float:
    """Read plain digits (with dot, sign, exponent: float() reads them safely) as typed at i."""
    value = float(digits)
    if not math.isfinite(value):
        raise refusal("number_too_large", i + 1, number=quote(typed))
    return value


def _superscript_token(text: str, i: int) -> _Token:
    """Read a written exponent such as ² or ⁻¹ starting at index i."""
    end = i + (text[i] == "⁻")
    while end < len(text) and text[end] in SUPERSCRIPTS and text[end] != "⁻":
        end += 1
    if end == i + (text[i] == "⁻"):  # a ⁻ with no digit after it
        raise refusal("character_other", i + 1, char=quote(text[i]))
    digits = "".join(SUPERSCRIPTS[c] for c in text[i:end])
    return _Token("sup", text[i:end], i + 1, _finite(digits, text[i:end], i), "**")


def _token_at(text: str, plain: str, i: int) -> _Token:
    """Read the token that starts at index i (not a space)."""
    c, n = plain[i], len(plain)
    if c in _DIGITS or (c == "." and i + 1 < n and plain[i + 1] in _DIGITS):
        return _number_token(text, plain, i)
    if c in _LETTERS:
        end = i
        while end < n and plain[end] in _LETTERS + _DIGITS:
            end += 1
        return _Token("name", text[i:end], i + 1, sym=plain[i:end])
    if c in SYMBOL_NAMES:
        return _Token("name", c, i + 1, sym=SYMBOL_NAMES[c])
    if c in SUPERSCRIPTS:
        return _superscript_token(text, i)
    power = next((s for s in POWER_SIGNS if plain.startswith(s, i)), "^" if c == "^" else "")
    if power == "**" and all(ch in MULTIPLY_SIGNS for ch in text[i:i + 2]):
        raise refusal("double_times", i + 1, char=quote(text[i:i + 2]))
    if power:
        return _Token("op", text[i:i + len(power)], i + 1, sym="**")
    if c in "+-*/":
        return _Token("op", text[i], i + 1, sym=c)
    if c in "(),":
        return _Token(c, text[i], i + 1, sym=c)
    raise _bad_character(text, plain, i)


def _tokens(text: str) -> Iterator[_Token]:
    """Split the text into tokens, lazily, so errors are reported left to right."""
    plain = text.translate(_PLAIN)  # as long as text: index i is the same character in both
    i, n = 0, len(text)
    while i < n:
        if plain[i] in _SPACES:
            i += 1
            continue
        token = _token_at(text, plain, i)
        yield token
        i = token.end
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
        self._plain = text.translate(_PLAIN)
        self._stream = _tokens(text)
        self._tok = next(self._stream)
        self._prev: _Token | None = None
        self._depth = 0

    def _advance(self) -> _Token:
        token, self._prev = self._tok, self._tok
        self._tok = next(self._stream)
        return token

    def _is_op(self, *ops: str) -> bool:
        return self._tok.kind == "op" and self._tok.sym in ops

    def parse(self) -> Node:
        node = self._sum()
        if self._tok.kind != "end":
            raise self._unexpected()
        return node

    def _sum(self) -> Node:
        start = self._tok.column - 1
        node = self._product()
        while self._is_op("+", "-"):
            op = self._advance()
            node = self._checked(Bin(op.sym, node, self._product()), op, start)
        return node

    def _product(self) -> Node:
        start = self._tok.column - 1
        node = self._unary()
        while self._is_op("*", "/"):
            op = self._advance()
            node = self._checked(Bin(op.sym, node, self._unary()), op, start)
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
                return operand if sign.sym == "+" else self._negate(operand, sign)
            return self._power()
        finally:
            self._depth -= 1

    def _negate(self, node: Node, sign: _Token) -> Node:
        # -2 is kept as the number -2, so x**-1 prints and differentiates cleanly.
        if isinstance(node, Num) and not node.label:
            return Num(-node.value)
        return self._checked(Neg(node), sign, sign.column - 1)

    def _power(self) -> Node:
        start = self._tok.column - 1
        base = self._primary()
        if self._tok.kind == "sup":  # x² : the exponent is written raised
            op = self._advance()
            return self._make_power(base, Num(op.value), op, start)
        if not self._is_op("**"):
            return base
        op = self._advance()
        return self._make_power(base, self._unary(), op, start)

    def _make_power(self, base: Node, exponent: Node, op: _Token, start: int) -> Node:
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
        return self._checked(Bin("**", base, exponent), op, start)

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
        name = tok.sym
        fn = ALIASES.get(name, name)
        if name not in VARIABLES and name not in CONSTANTS and fn not in FUNCTIONS:
            # Judged before reading on, so "lambda: 1" is about lambda, not about the ":".
            rest = self._plain[tok.end:]
            raise _unknown_name(tok, rest.lstrip(_SPACES).startswith("("))
        self._advance()
        if name in VARIABLES:
            return Var(name)
        if name in CONSTANTS:
            return Num(CONSTANTS[name], label=name)
        return self._call(fn, tok)

    def _call(self, fn: str, name: _Token) -> Node:
        if self._tok.kind == "sup" or self._is_op("**"):  # sin²(x) or sin^2(x)
            raise refusal("function_power", name.column, name=quote(name.text), fn=name.sym)
        if self._tok.kind != "(":
            raise refusal("function_without_brackets", name.column, name=quote(name.text),
                          fn=name.sym)
        opening = self._advance()
        if self._tok.kind == ")":
            raise refusal("function_empty", name.column, fn=name.sym)
        arg = self._sum()
        if self._tok.kind == ",":
            raise refusal("second_argument", self._tok.column, fn=name.sym)
        self._close(opening)
        return self._checked(Call(fn, arg), name, name.column - 1)

    def _close(self, opening: _Token) -> None:
        """Expect the ")" that matches `opening`."""
        if self._tok.kind == ")":
            self._advance()
            return
        if self._tok.kind == "end":
            raise refusal("never_closed", opening.column, bracket=quote(opening.text))
        raise self._unexpected()

    def _checked(self, node: Node, at: _Token, start: int) -> Node:
        """Refuse a new node that makes the tree too big, too deep, or a constant that is
        not a finite number (like 1/0 or log(0)); it was typed from index `start` on."""
        if node.depth > MAX_DEPTH:
            raise refusal("chain_too_long", at.column, limit=MAX_DEPTH)
        if node.size > MAX_NODES:
            raise refusal("too_big", at.column, limit=MAX_NODES)
        if not node.free and not math.isfinite(const_value(node)):
            typed = self._text[start:self._prev.end if self._prev else start]
            raise refusal("not_finite", at.column, part=quote(typed, 30))
        return node

    def _missing_value(self) -> ExpressionError:
        """A number, name or '(' was expected but something else came."""
        tok, prev = self._tok, self._prev
        if tok.kind == "end" and prev is not None:
            return refusal("ends_early_after", tok.column, previous=quote(prev.text))
        if tok.kind == "end":
            return refusal("ends_early", tok.column)
        if tok.kind == ")" and prev is not None and prev.kind == "(":
            return refusal("empty_brackets", prev.column,
                           brackets=quote(self._text[prev.column - 1:tok.end]))
        return refusal("expected_value", tok.column, found=quote(tok.text))

    def _unexpected(self) -> ExpressionError:
        """A whole value was read and something other than an operator follows it."""
        tok, prev = self._tok, self._prev
        if tok.kind == ")":
            return refusal("unmatched_close", tok.column, bracket=quote(tok.text))
        if tok.kind == ",":
            return refusal("comma", tok.column)
        if tok.kind == "name" and tok.sym in KEYWORDS:
            return _unknown_name(tok, False)
        if prev is not None and {prev.kind, tok.kind} <= {"num", "name"}:
            return refusal("operator_between", tok.column, left=quote(prev.text),
                           right=quote(tok.text), product=f"{prev.text[:12]}*{tok.text[:12]}")
        return refusal("operator_before", tok.column, found=quote(tok.text))


def _unknown_name(tok: _Token, called: bool) -> ExpressionError:
    """Explain a name that is not x, y, pi, e or an allowed function."""
    shown, col = quote(tok.text), tok.column
    if tok.sym in KEYWORDS:
        return refusal("keyword", col, name=shown)
    if called:
        return refusal("unknown_function", col, name=shown, functions=FUNCTIONS)
    if _guess(tok.sym):
        return refusal("did_you_mean", col, name=shown, guess=_guess(tok.sym))
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
