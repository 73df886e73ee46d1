"""Formulas typed by a student, turned into a surface the balls can roll on.

A student types something like `x**2 + 2*y**2` or `sin(x)*y^2`. This module reads that
text one character at a time, builds a small tree out of it (numbers, x and y, + - * / **,
and a short list of functions), and then:

* works out the exact slope by the rules of calculus (`derivative`), not by estimating it;
* turns the tree into a numpy function that works on whole arrays of points at once
  (`compile_numpy`), by walking the tree, so the typed text is never run as Python code;
* wraps both into a `Surface` (`from_expression`).

Anything outside that small language is refused with an `ExpressionError`: one plain
sentence saying what is wrong and at which column, so a beginner can fix it.

    >>> s = from_expression("x**2 + 2*y**2")
    >>> s.grad([[1.0, 1.0]])
    array([[2., 4.]])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from gdviz.core.surfaces import Bounds, Surface

__all__ = [
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

# --- limits: they keep a silly or hostile formula from eating time, memory or the stack ---

MAX_LENGTH = 2000  # characters of input
MAX_DEPTH = 100  # nesting of brackets, signs and powers, and the depth of the tree
MAX_NODES = 5000  # parts of the tree
MAX_EXPONENT = 1000.0  # largest constant exponent, so x**10000 cannot be asked for
MAX_GRADIENT_SIZE = 50_000  # parts of a derivative tree before we call it too complicated

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

DEFAULT_BOUNDS_1D: Bounds = ((-3.0, 3.0),)
DEFAULT_BOUNDS_2D: Bounds = ((-3.0, 3.0), (-3.0, 3.0))
DEFAULT_START_1D = (-2.5,)
DEFAULT_START_2D = (-2.5, 2.0)
# Where to start instead, as fractions of the view box, if the default start is undefined.
START_FRACTIONS = ((0.1, 0.8), (0.8, 0.8), (0.8, 0.2), (0.2, 0.2), (0.9, 0.5), (0.6, 0.9),
                   (0.5, 0.5), (0.35, 0.65))


class ExpressionError(ValueError):
    """A formula that cannot be used, with a one-line message and the column (1-based).

    `column` is 0 when the problem is not about one spot (for example, an empty formula).
    `message_zh` says the same in Simplified Chinese; `text(lang)` picks one for the screen.
    """

    def __init__(self, message: str, column: int = 0, message_zh: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.column = column
        self.message_zh = message_zh

    def __str__(self) -> str:
        return self.message

    def text(self, lang: str) -> str:
        """The message in `lang`: Chinese for "zh" (English if there is none), else English."""
        if lang == "zh" and self.message_zh:
            return self.message_zh
        return self.message


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

ZERO = Num(0.0)
ONE = Num(1.0)
TWO = Num(2.0)


def variables(node: Node) -> set[str]:
    """Return the variables (x and/or y) the formula uses."""
    return set(node.free)


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


def _show(text: str, limit: int = 24) -> str:
    """Quote a piece of the input for a message: short, and always on one line."""
    shown = "".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in text)
    if len(shown) > limit:
        shown = shown[: limit - 3] + "..."
    return f'"{shown}"' if "'" in shown else f"'{shown}'"


def _bad_character(text: str, i: int) -> ExpressionError:
    """Explain why the character at index i cannot be part of a formula."""
    c, col = text[i], i + 1
    if c in "<>=!":
        why = "type just a formula, not a comparison or an equation"
        why_zh = "只写一个公式就好，不要写比较或等式"
    elif c in "[]":
        why = "use round brackets ( ) for grouping"
        why_zh = "分组请用圆括号 ( )"
    elif c == "." and i > 0 and (text[i - 1] in _LETTERS + _DIGITS + ")"):
        why = "a dot is only allowed inside a number like 2.5, not as in x.real"
        why_zh = "点只能用在 2.5 这样的数字里，不能像 x.real 那样用"
    elif c in "%&|~@":
        why = "the operators are + - * / ** and ^"
        why_zh = "能用的运算符只有 + - * / ** 和 ^"
    elif c in "'\"":
        why = "quotes and text are not part of a formula"
        why_zh = "公式里不能有引号和文字"
    else:
        why = "use numbers, x, y, + - * / ^ ( ) and functions like sin(x)"
        why_zh = "请只用数字、x、y、+ - * / ^ ( ) 和 sin(x) 这样的函数"
    return ExpressionError(f"character {_show(c)} at column {col} is not allowed: {why}", col,
                           f"第 {col} 列的字符 {_show(c)} 不能用：{why_zh}")


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
        msg = f"the number at column {i + 1} has more than one decimal point"
        msg_zh = f"第 {i + 1} 列的数字有不止一个小数点"
        raise ExpressionError(msg, i + 1, msg_zh)
    value = float(text[i:end])  # digits, dot and exponent only, so float() reads it safely
    if not math.isfinite(value):
        msg = f"the number {_show(text[i:end])} at column {i + 1} is too large"
        msg_zh = f"第 {i + 1} 列的数字 {_show(text[i:end])} 太大了"
        raise ExpressionError(msg, i + 1, msg_zh)
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
                msg = (f"the formula is nested too deeply at column {self._tok.column} "
                       f"(more than {MAX_DEPTH} levels of brackets or signs)")
                msg_zh = (f"公式在第 {self._tok.column} 列嵌套得太深了"
                          f"（括号或正负号超过 {MAX_DEPTH} 层）")
                raise ExpressionError(msg, self._tok.column, msg_zh)
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
            power = _const_value(exponent)
            if abs(power) > MAX_EXPONENT:
                msg = (f"the power at column {op.column} has exponent {_number_text(power)}, "
                       f"which is too large: keep exponents between -1000 and 1000")
                msg_zh = (f"第 {op.column} 列的乘方指数是 {_number_text(power)}，太大了："
                          f"指数请保持在 -1000 到 1000 之间")
                raise ExpressionError(msg, op.column, msg_zh)
            if not base.free:
                value = _safe_power(_const_value(base), power, op.column)
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
            msg = (f"{_show(name.text)} at column {name.column} is a function: "
                   f"write it with brackets, like {name.text}(x)")
            msg_zh = (f"第 {name.column} 列的 {_show(name.text)} 是函数："
                      f"要带上括号，比如 {name.text}(x)")
            raise ExpressionError(msg, name.column, msg_zh)
        opening = self._advance()
        if self._tok.kind == ")":
            msg = (f"{name.text}() at column {name.column} is empty: "
                   f"{name.text} needs exactly one argument, like {name.text}(x)")
            msg_zh = (f"第 {name.column} 列的 {name.text}() 括号里是空的："
                      f"{name.text} 正好需要一个参数，比如 {name.text}(x)")
            raise ExpressionError(msg, name.column, msg_zh)
        arg = self._sum()
        if self._tok.kind == ",":
            msg = (f"{name.text} takes exactly one argument, but a second one starts "
                   f"at column {self._tok.column}")
            msg_zh = (f"{name.text} 只能有一个参数，"
                      f"但第 {self._tok.column} 列又开始了第二个参数")
            raise ExpressionError(msg, self._tok.column, msg_zh)
        self._close(opening)
        return self._checked(Call(fn, arg), name)

    def _close(self, opening: _Token) -> None:
        """Expect the ")" that matches `opening`."""
        if self._tok.kind == ")":
            self._advance()
            return
        if self._tok.kind == "end":
            msg = f"the '(' at column {opening.column} is never closed: add a ')'"
            msg_zh = f"第 {opening.column} 列的 '(' 一直没有关上：请补一个 ')'"
            raise ExpressionError(msg, opening.column, msg_zh)
        raise self._unexpected()

    def _checked(self, node: Node, at: _Token) -> Node:
        """Refuse a new node that makes the tree too big, too deep, or a constant that is
        not a finite number (like 1/0 or log(0))."""
        col = at.column
        if node.depth > MAX_DEPTH:
            msg = (f"the formula is too long a chain or nested too deeply at column {col} "
                   f"(more than {MAX_DEPTH} levels): make it shorter")
            msg_zh = (f"公式在第 {col} 列连得太长或嵌套得太深"
                      f"（超过 {MAX_DEPTH} 层）：请写短一些")
            raise ExpressionError(msg, col, msg_zh)
        if node.size > MAX_NODES:
            msg = f"the formula is too big at column {col} (more than {MAX_NODES} parts)"
            msg_zh = f"公式到第 {col} 列时已经太大了（超过 {MAX_NODES} 个部分）"
            raise ExpressionError(msg, col, msg_zh)
        if not node.free and not math.isfinite(_const_value(node)):
            msg = (f"{_show(to_text(node), 30)} at column {col} is not a finite number "
                   f"(like 1/0, log(0) or sqrt(-1))")
            msg_zh = (f"第 {col} 列的 {_show(to_text(node), 30)} 不是一个有限的数"
                      f"（比如 1/0、log(0) 或 sqrt(-1)）")
            raise ExpressionError(msg, col, msg_zh)
        return node

    def _missing_value(self) -> ExpressionError:
        """A number, name or '(' was expected but something else came."""
        tok, prev = self._tok, self._prev
        col = tok.column
        if tok.kind == "end":
            after = f" after {_show(prev.text)}" if prev else ""
            msg = f"the formula ends too early at column {col}: something is missing{after}"
            after_zh = f"{_show(prev.text)} 后面" if prev else ""
            msg_zh = f"公式在第 {col} 列提前结束了：{after_zh}还少了东西"
        elif tok.kind == ")" and prev is not None and prev.kind == "(":
            msg = f"empty brackets '()' at column {prev.column}: put a formula inside"
            col = prev.column
            msg_zh = f"第 {col} 列的括号 '()' 是空的：请在里面写上公式"
        else:
            msg = (f"expected a number, x, y or '(' at column {col} "
                   f"but found {_show(tok.text)}")
            msg_zh = f"第 {col} 列应该是数字、x、y 或 '('，但这里是 {_show(tok.text)}"
        return ExpressionError(msg, col, msg_zh)

    def _unexpected(self) -> ExpressionError:
        """A whole value was read and something other than an operator follows it."""
        tok, prev = self._tok, self._prev
        col = tok.column
        if tok.kind == ")":
            msg = f"unmatched ')' at column {col}: there is no '(' before it"
            msg_zh = f"第 {col} 列的 ')' 是多出来的：它前面没有对应的 '('"
        elif tok.kind == ",":
            msg = (f"comma at column {col} is not allowed: "
                   f"functions take one argument and formulas have no lists")
            msg_zh = f"第 {col} 列不能用逗号：函数只有一个参数，公式里也没有列表"
        elif tok.kind == "name" and tok.text in KEYWORDS:
            return _unknown_name(tok, False)
        elif prev is not None and {prev.kind, tok.kind} <= {"num", "name"}:
            msg = (f"missing operator between {_show(prev.text)} and {_show(tok.text)} "
                   f"at column {col}: to multiply, write {prev.text[:12]}*{tok.text[:12]}")
            msg_zh = (f"第 {col} 列的 {_show(prev.text)} 和 {_show(tok.text)} 之间少了运算符："
                      f"要相乘就写 {prev.text[:12]}*{tok.text[:12]}")
        else:
            msg = (f"missing operator before {_show(tok.text)} at column {col}: "
                   f"to multiply, put * in between, like 2*(x+1)")
            msg_zh = (f"第 {col} 列的 {_show(tok.text)} 前面少了运算符："
                      f"要相乘就在中间加 *，比如 2*(x+1)")
        return ExpressionError(msg, col, msg_zh)


def _unknown_name(tok: _Token, called: bool) -> ExpressionError:
    """Explain a name that is not x, y, pi, e or an allowed function."""
    shown, col = _show(tok.text), tok.column
    if tok.text in KEYWORDS:
        msg = (f"{shown} at column {col} is not allowed: "
               f"type only a math formula, like x**2 + sin(y)")
        msg_zh = f"第 {col} 列的 {shown} 不能用：这里只能写数学公式，比如 x**2 + sin(y)"
    elif called:
        msg = (f"unknown function {shown} at column {col}: use one of "
               f"{', '.join(FUNCTIONS)} (or atan)")
        msg_zh = (f"第 {col} 列的函数 {shown} 不认识：请从 {'、'.join(FUNCTIONS)} "
                  f"里选一个（atan 也可以）")
    elif _guess(tok.text):
        msg = f"unknown name {shown} at column {col}: did you mean {_guess(tok.text)}?"
        msg_zh = f"第 {col} 列的名字 {shown} 不认识：你是想写 {_guess(tok.text)} 吗？"
    else:
        msg = (f"unknown name {shown} at column {col}: "
               f"use x, y, pi, e or a function like sin(...)")
        msg_zh = f"第 {col} 列的名字 {shown} 不认识：请用 x、y、pi、e 或 sin(...) 这样的函数"
    return ExpressionError(msg, col, msg_zh)


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
        msg = (f"the power at column {column} is not a real number "
               f"({_number_text(base)} to the power {_number_text(power)})")
        msg_zh = (f"第 {column} 列的乘方结果不是实数"
                  f"（{_number_text(base)} 的 {_number_text(power)} 次方）")
        raise ExpressionError(msg, column, msg_zh)
    if math.isinf(value):
        why = "divides by zero" if base == 0 else "is too large for the computer"
        msg = f"the power at column {column} {why}"
        why_zh = "相当于除以零" if base == 0 else "结果太大，计算机算不了"
        msg_zh = f"第 {column} 列的乘方{why_zh}"
        raise ExpressionError(msg, column, msg_zh)
    return value


def parse(text: str) -> Node:
    """Read a formula into a tree, or raise ExpressionError saying what is wrong and where."""
    if not isinstance(text, str):
        raise ExpressionError("the formula must be text", 0, "公式必须是文字")
    if len(text) > MAX_LENGTH:
        msg = f"the formula is too long ({len(text)} characters): keep it under {MAX_LENGTH}"
        msg_zh = f"公式太长了（{len(text)} 个字符）：请少于 {MAX_LENGTH} 个字符"
        raise ExpressionError(msg, 0, msg_zh)
    if not text.strip(_SPACES):
        raise ExpressionError("the formula is empty: type something like x**2 + y**2", 0,
                              "公式是空的：请输入一个公式，比如 x**2 + y**2")
    try:
        return _Parser(text).parse()
    except RecursionError:
        # The limits above should make this impossible; it is a last safety net.
        raise ExpressionError("the formula is nested too deeply", 0,
                              "公式嵌套得太深了") from None


# --- printing --------------------------------------------------------------------------------

# How tightly each kind of node binds: a lower number needs brackets inside a higher one.
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "**": 4, "atom": 5}
_SPACED = {"+": " + ", "-": " - ", "*": "*", "/": "/", "**": "**"}


def _number_text(value: float) -> str:
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
            return label or _number_text(value)
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

_BINARY: dict[str, Callable[..., np.ndarray]] = {
    "+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "**": np.power,
}
_UNARY: dict[str, Callable[..., np.ndarray]] = {
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
            ufunc, f, g = _BINARY[op], _build(left, index), _build(right, index)
            return lambda *xs: ufunc(f(*xs), g(*xs))
        case Call(fn=fn, arg=arg):
            ufunc, inner = _UNARY[fn], _build(arg, index)
            return lambda *xs: ufunc(inner(*xs))
    raise TypeError(f"not a formula node: {node!r}")


def compile_numpy(node: Node, variables: tuple[str, ...]) -> Callable[..., np.ndarray]:
    """Return f(*arrays) that evaluates the tree on numpy arrays, one array per variable.

    The result always has the broadcast shape of the inputs, so a constant gives an array
    full of that constant. Overflow, log(0) and the like give inf/nan quietly, never warnings.
    """
    missing = node.free - set(variables)
    if missing:
        allowed = ", ".join(variables) or "no variables"
        msg = f"the formula uses {sorted(missing)[0]} but only {allowed} can be used here"
        if variables:
            msg_zh = f"公式用到了 {sorted(missing)[0]}，但这里只能用 {'、'.join(variables)}"
        else:
            msg_zh = f"公式用到了 {sorted(missing)[0]}，但这里不能用任何变量"
        raise ExpressionError(msg, 0, msg_zh)
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


def _const_value(node: Node) -> float:
    """The value of a tree with no variables in it (inf or nan if it has none)."""
    return float(compile_numpy(node, ())())


# --- derivatives -----------------------------------------------------------------------------
#
# The helpers below build nodes with light simplification (0*a -> 0, 1*a -> a, a+0 -> a,
# 2*3 -> 6) so derivative trees stay small and read like what a student would write.


def _fold(op: str, a: Node, b: Node) -> Node | None:
    """Work out `a op b` when both are numbers and the answer is finite; else None."""
    if not (isinstance(a, Num) and isinstance(b, Num)):
        return None
    if op == "**" and abs(b.value) > MAX_EXPONENT:
        return None
    with np.errstate(all="ignore"):
        value = float(_BINARY[op](np.float64(a.value), np.float64(b.value)))
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
            value = float(_UNARY[fn](np.float64(a.value)))
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


def _d_power(node: Bin, var: str) -> Node:
    """Power rule, in the three cases a student meets: x**n, n**x and x**x."""
    a, b = node.left, node.right
    if var not in b.free:  # d a**n = n * a**(n-1) * a'
        return _mul(_mul(b, _pow(a, _sub(b, ONE))), derivative(a, var))
    if var not in a.free:  # d n**b = n**b * log(n) * b'
        return _mul(_mul(node, _call("log", a)), derivative(b, var))
    # d a**b = a**b * (b' * log(a) + b * a' / a)
    da, db = derivative(a, var), derivative(b, var)
    return _mul(node, _add(_mul(db, _call("log", a)), _div(_mul(b, da), a)))


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
    if node.op == "*":
        return _add(_mul(da, b), _mul(a, db))
    if var not in b.free:  # a / n: just divide the slope
        return _div(da, b)
    return _div(_sub(_mul(da, b), _mul(a, db)), _pow(b, TWO))


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
            return _mul(_OUTER[fn](arg, node), derivative(arg, var))
    raise TypeError(f"not a formula node: {node!r}")


# --- surfaces --------------------------------------------------------------------------------


def _is_finite_at(value_fn: Callable, grad_fn: Callable, point: tuple[float, ...]) -> bool:
    coords = [np.float64(c) for c in point]
    values = [value_fn(*coords), *grad_fn(*coords)]
    return all(bool(np.all(np.isfinite(v))) for v in values)


def _inside(point: tuple[float, ...], bounds: Bounds) -> bool:
    return all(lo <= c <= hi for c, (lo, hi) in zip(point, bounds))


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
    raise ExpressionError(
        "the formula has no finite value or slope at any start point tried: check for log "
        "or sqrt of negative numbers, or dividing by zero",
        0,
        "试过的每个起点上，公式都没有有限的值或斜率：看看是不是对负数用了 log 或 sqrt，或者除以了零",
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
        raise ExpressionError("the formula is too complicated to work out its slope", 0,
                              "公式太复杂了，算不出它的斜率")
    return [compile_numpy(s, names) for s in slopes]


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
        raise ExpressionError("the formula is nested too deeply", 0,
                              "公式嵌套得太深了") from None

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
