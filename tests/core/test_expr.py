"""Tests for gdviz.core.expr and the expr_* modules behind it: typed formulas -> safe trees ->
numpy values and exact slopes."""

from __future__ import annotations

import ast
import builtins
import math
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gdviz.core import expr, expr_messages, expr_parse
from gdviz.core.expr import (
    Bin,
    Call,
    ExpressionError,
    Neg,
    Num,
    Var,
    compile_numpy,
    derivative,
    from_expression,
    parse,
    to_text,
    variables,
)
from gdviz.core.surfaces import Surface

H = 1e-6  # step for central differences

# --- values ----------------------------------------------------------------------------------

VALUE_CASES = [
    ("x**2 + 2*y**2", lambda x, y: x**2 + 2 * y**2),
    ("x*cos(pi*x)", lambda x, y: x * np.cos(np.pi * x)),
    ("sin(x)*y**2 + exp(-x*y)", lambda x, y: np.sin(x) * y**2 + np.exp(-x * y)),
    ("-x**2", lambda x, y: -(x**2)),
    ("x**-1", lambda x, y: 1 / x),
    ("atan(x)", lambda x, y: np.arctan(x)),
    ("x^2 - y^2", lambda x, y: x**2 - y**2),
    ("tanh(x) + sinh(y) - cosh(x/2)", lambda x, y: np.tanh(x) + np.sinh(y) - np.cosh(x / 2)),
    ("sqrt(abs(x)) * log(1 + y**2)", lambda x, y: np.sqrt(np.abs(x)) * np.log(1 + y**2)),
    ("tan(x/3) / (e + y)", lambda x, y: np.tan(x / 3) / (np.e + y)),
    ("1 - 2 - 3*x", lambda x, y: 1 - 2 - 3 * x),
    ("8/4/2*x", lambda x, y: 8 / 4 / 2 * x),
    ("+x - -y", lambda x, y: x + y),
    ("2**x**2", lambda x, y: 2 ** (x**2)),
]
POINTS = np.array([[-1.7, 0.3], [0.4, -1.1], [1.3, 2.2], [2.9, -0.6]])


def _evaluate(text: str, points: np.ndarray) -> np.ndarray:
    node = parse(text)
    return compile_numpy(node, ("x", "y"))(points[:, 0], points[:, 1])


@pytest.mark.parametrize("text, reference", VALUE_CASES)
def test_values_match_numpy(text, reference):
    expected = reference(POINTS[:, 0], POINTS[:, 1])
    np.testing.assert_allclose(_evaluate(text, POINTS), expected, rtol=1e-12)


def test_power_is_right_associative_and_caret_is_power():
    assert _evaluate("2^3^2", POINTS[:1])[0] == 512.0
    assert _evaluate("2**3**2", POINTS[:1])[0] == 512.0
    assert parse("x^2") == parse("x**2")


def test_unary_minus_binds_looser_than_power():
    assert parse("-x**2") == Neg(Bin("**", Var("x"), Num(2.0)))
    assert _evaluate("-x**2", np.array([[3.0, 0.0]]))[0] == -9.0
    assert _evaluate("(-3)**2", np.array([[0.0, 0.0]]))[0] == 9.0
    assert _evaluate("x**-2", np.array([[2.0, 0.0]]))[0] == 0.25


@pytest.mark.parametrize(
    "text, value",
    [("1e-3", 1e-3), ("2.5E4", 2.5e4), (".5", 0.5), ("3.", 3.0), ("1.5e+2", 150.0),
     ("pi", math.pi), ("e", math.e), ("  7 \t", 7.0)],
)
def test_number_forms(text, value):
    assert _evaluate(text, POINTS[:1])[0] == value


def test_atan_is_an_alias_of_arctan():
    assert parse("atan(x)") == Call("arctan", Var("x"))


def test_variables_lists_only_x_and_y():
    assert variables(parse("x*pi + e")) == {"x"}
    assert variables(parse("sin(y) + x")) == {"x", "y"}
    assert variables(parse("2*pi")) == set()


def test_to_text_keeps_needed_brackets_only():
    assert to_text(parse("x**2 + 2*y**2")) == "x**2 + 2*y**2"
    assert to_text(parse("(x - (y - 1))*(x+1)")) == "(x - (y - 1))*(x + 1)"
    assert to_text(parse("(x**2)**3")) == "(x**2)**3"
    assert to_text(parse("x**-1")) == "x**-1"
    assert to_text(parse("-(x*y)")) == "-(x*y)"
    assert to_text(parse("x*cos(pi*x)")) == "x*cos(pi*x)"


def test_constant_expression_broadcasts_to_input_shape():
    f = compile_numpy(parse("2*pi"), ("x", "y"))
    out = f(np.zeros((3, 4)), np.zeros((3, 4)))
    assert out.shape == (3, 4)
    assert np.all(out == 2 * math.pi)


def test_compiled_function_returns_a_fresh_array():
    x = np.array([1.0, 2.0])
    out = compile_numpy(parse("x"), ("x",))(x)
    out[0] = 99.0
    assert x[0] == 1.0


def test_compile_refuses_a_missing_variable():
    with pytest.raises(ExpressionError, match="uses y"):
        compile_numpy(parse("x + y"), ("x",))


def test_evaluation_is_silent_on_overflow_and_log_of_zero():
    f = compile_numpy(parse("log(x) + exp(1000*x)"), ("x",))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = f(np.array([0.0, 1.0, -1.0]))
    assert out[0] == -np.inf and out[1] == np.inf and np.isnan(out[2])


# --- exact derivatives -----------------------------------------------------------------------


def test_derivative_of_cube_is_exact():
    slope = compile_numpy(derivative(parse("x**3"), "x"), ("x",))
    assert slope(np.array(2.0)) == 12.0
    assert to_text(derivative(parse("x**3"), "x")) == "3*x**2"


def test_bowl_gradient_is_exact():
    surface = from_expression("x**2+2*y**2")
    assert surface.grad([[1.0, 1.0]]).tolist() == [[2.0, 4.0]]


def test_derivative_of_constant_is_zero_array_of_right_shape():
    node = derivative(parse("sin(y) + pi"), "x")
    assert node == Num(0.0)
    out = compile_numpy(node, ("x", "y"))(np.ones((2, 5)), np.ones((2, 5)))
    assert out.shape == (2, 5) and not out.any()


@pytest.mark.parametrize(
    "text, var, expected",
    [
        ("x**2 + 2*y**2", "x", "2*x"),
        ("x**2 + 2*y**2", "y", "4*y"),
        ("3*x + 5", "x", "3"),
        ("sin(x)", "x", "cos(x)"),
        ("exp(2*x)", "x", "2*exp(2*x)"),
        ("abs(x)", "x", "sign(x)"),
        ("x*y", "y", "x"),
    ],
)
def test_derivative_is_simplified(text, var, expected):
    assert to_text(derivative(parse(text), var)) == expected


def test_derivative_trees_stay_small():
    node = parse("*".join(["x"] * 20))
    assert derivative(node, "x").size < 20 * 20 * 3


# Formulas whose slopes are checked against central differences. Between them they use
# every function and every operator. Domains keep away from kinks, poles and log(<=0).
GRADIENT_CASES = [
    ("x**2 + 2*y**2", (-2, 2)),
    ("sin(x)*cos(y) - x/(y**2 + 1)", (-2, 2)),
    ("tan(x/2) + exp(-x*y)", (-2, 2)),
    ("log(x) * sqrt(y) + log(x*y)/y", (0.5, 2)),
    ("tanh(x*y) + sinh(x) - cosh(y/2)", (-2, 2)),
    ("atan(x - y) + arctan(x*y)**2", (-2, 2)),
    ("abs(x - 3)*y + abs(y + 3)", (-2, 2)),
    ("x**y + y^x", (0.5, 2)),
    ("2**x + pi*y**-1 - e^(x/3)", (0.5, 2)),
    ("-(x - y)**3 / (1 + x**2) + +x - -y", (-2, 2)),
    ("sqrt(1 + x**2) * (x*y - 1)**2", (-2, 2)),
    ("sin(x)", (-2, 2)),
]


def _central_difference(surface: Surface, point: np.ndarray) -> np.ndarray:
    steps = np.eye(surface.dims) * H
    return np.array(
        [(surface.value(point + s) - surface.value(point - s)) / (2 * H) for s in steps]
    )


@pytest.mark.parametrize("text, domain", GRADIENT_CASES)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_gradient_matches_central_differences(text, domain, data):
    surface = from_expression(text)
    coords = st.floats(domain[0], domain[1], allow_nan=False, allow_infinity=False)
    point = np.array([data.draw(coords) for _ in range(surface.dims)])
    numeric = _central_difference(surface, point)
    np.testing.assert_allclose(surface.grad(point), numeric, rtol=1e-5, atol=1e-6)


def test_gradient_cases_cover_every_function_and_operator():
    used: set[str] = set()
    for text, _ in GRADIENT_CASES:
        stack = [parse(text)]
        while stack:
            node = stack.pop()
            used.add(type(node).__name__)
            used.add(getattr(node, "op", "") or getattr(node, "fn", ""))
            stack.extend(node.children())
    assert set(expr.FUNCTIONS) | {"+", "-", "*", "/", "**", "Neg"} <= used


# --- printing and parsing agree -------------------------------------------------------------

_leaves = st.one_of(
    st.sampled_from([Var("x"), Var("y"), Num(math.pi, "pi"), Num(math.e, "e")]),
    st.integers(-5, 5).map(lambda n: Num(float(n))),
    st.sampled_from([0.5, 1.25, 1e-3, 2.5e4]).map(Num),
)


def _grow(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(
        children.map(Neg),
        st.tuples(st.sampled_from(["+", "-", "*", "/", "**"]), children, children).map(
            lambda t: Bin(*t)
        ),
        st.tuples(st.sampled_from(expr.FUNCTIONS), children).map(lambda t: Call(*t)),
    )


@settings(max_examples=200, deadline=None)
@given(st.recursive(_leaves, _grow, max_leaves=8))
def test_to_text_then_parse_gives_the_same_values(tree):
    try:
        again = parse(to_text(tree))
    except ExpressionError:
        assume(False)  # e.g. a constant 1/0 inside: refusing it is the point
    points = np.array([[0.7, -1.3], [1.9, 0.4]])
    before = compile_numpy(tree, ("x", "y"))(points[:, 0], points[:, 1])
    after = compile_numpy(again, ("x", "y"))(points[:, 0], points[:, 1])
    np.testing.assert_allclose(after, before, rtol=1e-9, equal_nan=True)


# --- surfaces --------------------------------------------------------------------------------


def test_surface_2d():
    surface = from_expression("sin(x)*y**2 + exp(-x*y)")
    assert isinstance(surface, Surface)
    assert surface.dims == 2 and surface.name == "custom"
    assert surface.bounds == ((-3.0, 3.0), (-3.0, 3.0))
    assert surface.start == (-2.5, 2.0)
    assert surface.formula == "sin(x)*y**2 + exp(-x*y)"
    assert surface.minima == () and surface.saddles == ()


def test_surface_1d_and_name():
    surface = from_expression("x*cos(pi*x)", name="wiggle")
    assert surface.dims == 1 and surface.name == "wiggle"
    assert surface.bounds == ((-3.0, 3.0),) and surface.start == (-2.5,)


def test_surface_is_vectorised():
    points = np.random.default_rng(0).uniform(-2, 2, size=(5, 4, 2))
    surface = from_expression("x**2 + 2*y**2")
    assert surface.value(points).shape == (5, 4)
    grad = surface.grad(points)
    assert grad.shape == (5, 4, 2)
    np.testing.assert_allclose(grad[..., 1], 4 * points[..., 1])
    line = from_expression("x**3")
    assert line.grad(np.ones((7, 1))).shape == (7, 1)


def test_surface_with_only_y_is_2d_with_zero_x_slope():
    surface = from_expression("y**2")
    grad = surface.grad(np.ones((3, 2)))
    assert surface.dims == 2 and np.all(grad[:, 0] == 0) and np.all(grad[:, 1] == 2)


def test_start_moves_where_the_default_is_undefined():
    surface = from_expression("log(x)")  # undefined at the default start x = -2.5
    assert surface.start[0] > 0
    assert np.isfinite(surface.value([surface.start])).all()
    assert np.isfinite(surface.grad([surface.start])).all()
    sqrt_surface = from_expression("sqrt(x + 2.5) + y")  # infinite slope at the default
    assert sqrt_surface.start != (-2.5, 2.0)
    assert np.isfinite(sqrt_surface.grad([sqrt_surface.start])).all()


def test_given_bounds_and_start_are_used():
    surface = from_expression("x**2", bounds=((0, 5),), start=(4,))
    assert surface.bounds == ((0.0, 5.0),) and surface.start == (4.0,)
    moved = from_expression("x**2 + y", bounds=((1, 2), (1, 2)))
    assert all(lo <= c <= hi for c, (lo, hi) in zip(moved.start, moved.bounds))
    with pytest.raises(ValueError):
        from_expression("x**2", bounds=((0, 1), (0, 1)))


def test_formula_with_no_finite_point_is_refused():
    with pytest.raises(ExpressionError, match="no finite value"):
        from_expression("log(-1 - x**2)")


def test_surface_evaluation_is_silent():
    surface = from_expression("log(x) + y")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = surface.value([[0.0, 0.0], [-1.0, 1.0]])
        grads = surface.grad([[0.0, 0.0]])
    assert np.isinf(values[0]) and np.isnan(values[1]) and not np.isfinite(grads).all()


# --- refusals --------------------------------------------------------------------------------

DEEP = "(" * 500 + "x" + ")" * 500
# Each bad input with the column the error must point at (0: not about one spot).
BAD_INPUTS = [
    ("", 0),
    ("   ", 0),
    ("__import__('os').system('ls')", 1),
    ("lambda: 1", 1),
    ("x if x else y", 3),
    ("[x]", 1),
    ("{}", 1),
    ("x;y", 2),
    ("open('f')", 1),
    ("exec('1')", 1),
    ("eval('1')", 1),
    ("x.__class__", 2),
    ("x.real", 2),
    ("().__class__", 1),
    ("x[0]", 2),
    ("9**9**9", 2),
    ("10**400", 3),
    ("x**10000", 2),
    ("x**(2*600)", 2),
    ("1e999", 1),
    (DEEP, 101),
    ("-" * 5000 + "x", 0),
    ("-" * 150 + "x", 101),
    ("+".join(["x"] * 10000), 0),
    ("+".join(["x"] * 150), 200),
    ("x" * 3000, 0),
    ("sin()", 1),
    ("sin(x, y)", 6),
    ("sin", 1),
    ("sign(x)", 1),
    ("foo(x)", 1),
    ("os", 1),
    ("z", 1),
    ("t + x", 1),
    ("2x", 2),
    ("x y", 3),
    ("2(x+1)", 2),
    ("∑x", 1),
    ("x==1", 2),
    ("x<1", 2),
    ("x != 1", 3),
    ("x;", 2),
    ("x@y", 2),
    ("'x'", 1),
    ('"x"', 1),
    ("x\\y", 2),
    ("x + é", 5),
    ("(x", 1),
    ("x)", 2),
    ("x +", 4),
    ("x ** * 2", 6),
    ("1.2.3", 1),
    ("x, y", 2),
    ("1/0", 2),
    ("log(0)", 1),
    ("sqrt(-1) + x", 1),
    ("(-8)**(1/3)", 5),
    ("x\x00", 2),
    ("x % 2", 3),
    ("for x in y", 1),
]


@pytest.mark.parametrize("text, column", BAD_INPUTS, ids=[repr(t[:20]) for t, _ in BAD_INPUTS])
def test_bad_input_is_refused_with_one_clear_line(text, column):
    with pytest.raises(ExpressionError) as caught:
        from_expression(text)
    err = caught.value
    message = str(err)
    assert isinstance(err, ValueError)
    assert message == err.message
    assert "\n" not in message and "\r" not in message
    assert 10 < len(message) < 200
    assert "Traceback" not in message and "File " not in message
    assert err.column == column
    if column:
        assert f"column {column}" in message


def test_messages_name_the_problem():
    def message(text: str) -> str:
        with pytest.raises(ExpressionError) as caught:
            parse(text)
        return str(caught.value)

    assert "'foo'" in message("x + foo")
    assert "2*x" in message("2x")
    assert "'∑'" in message("∑x")
    assert "'@'" in message("x@y")
    assert "one argument" in message("sin(x, y)")
    assert "comparison" in message("x < 1")
    assert "x.real" in message("x.real")
    assert "did you mean sin(x)?" in message("sinx + 1")
    assert "did you mean x*y?" in message("xy")
    assert "empty" in message("")
    assert "too long" in message("x" * 3000)
    assert "too deeply" in message(DEEP)


# --- characters that look like the allowed ones ----------------------------------------------

# What people really type, each with the plain formula it must read as.
LOOK_ALIKE_CASES = [
    ("x^2 − y^2", "x^2 - y^2"),  # U+2212, the minus sign of the game's own axis labels
    ("sin（x）", "sin(x)"),  # brackets from a Chinese input method
    ("ｓｉｎ（ｘ）＋２＊ｙ＾２", "sin(x)+2*y^2"),  # all full-width
    ("x ＊＊ ２", "x ** 2"),
    ("x – 1", "x - 1"),  # en dash, as word processors put it between spaces
    ("x — 1", "x - 1"),  # em dash
    ("x‐1", "x-1"),  # hyphen
    ("3 × x ⋅ y · 2", "3 * x * y * 2"),
    ("x ∗ y ∙ 2", "x * y * 2"),
    ("x ÷ 2 ∕ y", "x / 2 / y"),
    ("x\u3000+\u00a0y\u2009-\u202f1", "x + y - 1"),  # ideographic, no-break, thin spaces
    ("１。５*x", "1.5*x"),  # the Chinese full stop as a decimal point
    ("x²", "x**2"),
    ("x² + y²", "x**2 + y**2"),
    ("x⁻¹", "x**-1"),
    ("(x + 1)³", "(x + 1)**3"),
    ("x¹⁰", "x**10"),
    ("-x²", "-x**2"),
    ("2^x²", "2^(x**2)"),
    ("sin(x)²", "sin(x)**2"),
    ("2²", "4"),
    ("x……2", "x**2"),  # Shift+6 in a Chinese input method
    ("2*π*x", "2*pi*x"),
    ("ｌｏｇ（１ ＋ ｘ²）", "log(1 + x**2)"),
]


@pytest.mark.parametrize("typed, plain", LOOK_ALIKE_CASES, ids=[c[1] for c in LOOK_ALIKE_CASES])
def test_look_alikes_read_as_the_plain_characters(typed, plain):
    assert parse(typed) == parse(plain)
    assert from_expression(typed).formula == from_expression(plain).formula


# Mistakes typed with look-alikes: the column, and a quote of what was typed that the message
# must carry (in both languages), and what it must not quote.
LOOK_ALIKE_MISTAKES = [
    ("x^", 3, "'^'", "'**'"),
    ("x −", 4, "'−'", "'-'"),
    ("x ＋", 4, "'＋'", "'+'"),
    ("x ×", 4, "'×'", "'*'"),
    ("x……", 4, "'……'", "'**'"),
    ("ｘ ＋ ｆｏｏ", 5, "'ｆｏｏ'", "'foo'"),
    ("ｆｏｏ（ｘ）", 1, "'ｆｏｏ'", "'foo'"),
    ("２ｘ", 2, "'２'", "'2'"),
    ("x ＝ 1", 3, "'＝'", "'='"),
    ("x ＜ 1", 3, "'＜'", "'<'"),
    ("［x］", 1, "'［'", "'['"),
    ("1÷0 + x", 2, "'1÷0'", "'1/0'"),
    ("ｌｏｇ（０）", 1, "'ｌｏｇ（０）'", "'log(0)'"),
    ("sin（x", 4, "'（'", "'('"),
    ("x）", 2, "'）'", "')'"),
    ("（ ）", 1, "'（ ）'", "'()'"),
    ("x ** × 2", 6, "'×'", "'*'"),
    ("x\u3000\u3000？", 4, "'？'", "'?'"),
]


@pytest.mark.parametrize("typed, column, quoted, not_quoted", LOOK_ALIKE_MISTAKES,
                         ids=[repr(c[0]) for c in LOOK_ALIKE_MISTAKES])
def test_messages_point_at_and_quote_what_was_typed(typed, column, quoted, not_quoted):
    err = _refusal(from_expression, typed)
    assert err.column == column
    assert f"column {column}" in err.message and f"第 {column} 列" in err.message_zh
    assert quoted in err.message and quoted in err.message_zh, err.message
    assert not_quoted not in err.message and not_quoted not in err.message_zh


def test_written_exponents_that_cannot_be_read():
    assert _refusal(parse, "x⁻").column == 2  # a minus sign raised, with no number after it
    assert _refusal(parse, "²").column == 1
    assert "'²'" in _refusal(parse, "²").message
    too_big = _refusal(parse, "x⁹⁹⁹⁹⁹")
    assert too_big.column == 2 and "99999" in too_big.message
    huge = _refusal(parse, "x" + "⁹" * 400)
    assert huge.column == 2 and "too large" in huge.message and "inf" not in huge.message
    assert "x*y" not in _refusal(parse, "x²y").message  # '²' then 'y' is not "x y"


@pytest.mark.parametrize("typed", ["sin²(x)", "sin^2(x)", "ｓｉｎ²（ｘ）", "log**2(x)"])
def test_a_power_of_a_function_is_asked_for_after_the_brackets(typed):
    err = _refusal(parse, typed)
    assert err.column == 1
    name = typed.split("²")[0].split("^")[0].split("*")[0]
    assert f"'{name}'" in err.message and "(x)**2" in err.message
    assert f"'{name}'" in err.message_zh and "(x)**2" in err.message_zh


def test_only_spaces_that_look_like_spaces_is_empty():
    assert "empty" in _refusal(parse, "\u3000 \u00a0").message


def test_invisible_characters_are_still_refused_and_named():
    err = _refusal(parse, "x\u200b+ 1")  # a zero-width space pasted from a web page
    assert err.column == 2 and "U+200B" in err.message


_TWINS: dict[str, list[str]] = {}
for _fancy, _plain_char in expr_parse.LOOK_ALIKES.items():
    _TWINS.setdefault(_plain_char, []).append(_fancy)
_SHORT_BAD = [t for t, _ in BAD_INPUTS if 0 < len(t) < 60]


def _dress_up(text: str, data) -> str:
    """Swap some characters of `text` for look-alikes, chosen by hypothesis."""
    return "".join(data.draw(st.sampled_from([c, *_TWINS.get(c, [])])) for c in text)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([t for t, _ in VALUE_CASES] + _SHORT_BAD), st.data())
def test_look_alikes_change_nothing_but_the_quotes(text, data):
    """Read with look-alikes, a formula gives the same tree, or the same error at the same spot."""
    typed = _dress_up(text, data)
    if any(a in expr_parse.MULTIPLY_SIGNS and b in expr_parse.MULTIPLY_SIGNS for a, b in zip(typed, typed[1:])):
        # two times-signs are refused, never read as ** (see test_two_multiplication_look_alikes…)
        assert "two multiplication signs" in str(_refusal(parse, typed))
        return
    try:
        expected = parse(text)
    except ExpressionError as plain_error:
        err = _refusal(parse, typed)
        assert err.column == plain_error.column
        _check_chinese(err)
        return
    assert parse(typed) == expected


def test_the_readme_lists_every_look_alike():
    readme = (Path(expr.__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("Characters that look like"):]
    for fancy in expr_parse.LOOK_ALIKES:
        if not 0xFF01 <= ord(fancy) <= 0xFF5E:  # full-width ASCII is listed as one range
            assert f"U+{ord(fancy):04X}" in section, f"U+{ord(fancy):04X}"
    for fancy in [*expr_parse.SUPERSCRIPTS, *expr_parse.SYMBOL_NAMES, "……", "U+FF01"]:
        assert fancy in section, fancy


# --- the same refusals in Chinese ----------------------------------------------------------

_CJK = re.compile(r"[\u4e00-\u9fff]")


def _refusal(call, *args) -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        call(*args)
    return caught.value


def _check_chinese(err: ExpressionError) -> None:
    zh = err.message_zh
    assert zh, f"no Chinese for: {err.message}"
    assert "\n" not in zh and "\r" not in zh
    assert len(zh) < 120
    assert _CJK.search(zh), zh
    assert zh != err.message
    if err.column:
        assert f"第 {err.column} 列" in zh
    assert err.text("zh") == zh
    assert err.text("en") == str(err) == err.message


@pytest.mark.parametrize("text, column", BAD_INPUTS, ids=[repr(t[:20]) for t, _ in BAD_INPUTS])
def test_bad_input_is_also_explained_in_chinese(text, column):
    err = _refusal(from_expression, text)
    assert err.column == column
    _check_chinese(err)


# Refusals that BAD_INPUTS does not reach, each with a piece of English and of Chinese it must
# carry. Together with BAD_INPUTS they reach every place that raises ExpressionError.
def _too_complicated(monkeypatch):
    monkeypatch.setattr(expr, "MAX_GRADIENT_SIZE", 3)
    return _refusal(from_expression, "sin(x)*cos(y)")


def _too_big(monkeypatch):
    monkeypatch.setattr(expr_parse, "MAX_NODES", 10)
    return _refusal(parse, "x + y + x + y + x + y + 1")


def _parser_recursion(monkeypatch):
    def boom(self):
        raise RecursionError

    monkeypatch.setattr(expr_parse._Parser, "parse", boom)
    return _refusal(parse, "x")


def _slope_recursion(monkeypatch):
    def boom(node, names):
        raise RecursionError

    monkeypatch.setattr(expr, "_gradient_fns", boom)
    return _refusal(from_expression, "x")


OTHER_REFUSALS = [
    ("not text", lambda mp: _refusal(parse, 42), "must be text", "文字"),
    ("missing y", lambda mp: _refusal(compile_numpy, parse("x + y"), ("x",)), "uses y",
     "只能用 x"),
    ("no variables", lambda mp: _refusal(compile_numpy, parse("x"), ()), "no variables",
     "不能用任何变量"),
    ("no finite start", lambda mp: _refusal(from_expression, "log(-1 - x**2)"),
     "no finite value", "log"),
    ("divide by zero power", lambda mp: _refusal(parse, "0**-1"), "divides by zero", "除以零"),
    ("too complicated", _too_complicated, "too complicated", "斜率"),
    ("too big", _too_big, "too big", "10 个部分"),
    ("parser recursion", _parser_recursion, "nested too deeply", "嵌套"),
    ("slope recursion", _slope_recursion, "nested too deeply", "嵌套"),
]


@pytest.mark.parametrize("make, english, chinese", [r[1:] for r in OTHER_REFUSALS],
                         ids=[r[0] for r in OTHER_REFUSALS])
def test_other_refusals_are_explained_in_chinese(monkeypatch, make, english, chinese):
    err = make(monkeypatch)
    assert english in err.message
    assert chinese in err.message_zh
    _check_chinese(err)


# The formula code: expr.py and the expr_*.py modules behind it.
EXPR_SOURCES = sorted(Path(expr.__file__).parent.glob("expr*.py"))


def _trees() -> dict[str, ast.Module]:
    return {p.name: ast.parse(p.read_text(encoding="utf-8")) for p in EXPR_SOURCES}


def _calls_to(tree: ast.Module, name: str) -> list[ast.Call]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Name) and n.func.id == name]


def test_every_raise_site_gives_chinese():
    """Every sentence in the message table has a Chinese twin, and every ExpressionError(...)
    the formula code makes passes a Chinese message too."""
    assert len(EXPR_SOURCES) >= 5
    assert len(expr_messages.MESSAGES) >= 25
    for key, (english, chinese) in expr_messages.MESSAGES.items():
        assert english and _CJK.search(chinese) and chinese != english, key
    for name, tree in _trees().items():
        for call in _calls_to(tree, "ExpressionError"):
            has_zh = len(call.args) >= 3 or any(k.arg == "message_zh" for k in call.keywords)
            assert has_zh, f"{name} line {call.lineno}: ExpressionError without message_zh"


def test_every_message_is_used_and_every_use_is_in_the_table():
    table = set(expr_messages.MESSAGES)
    named: set[str] = set()
    for name, tree in _trees().items():
        if name == "expr_messages.py":
            continue
        named |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)} & table
        for call in _calls_to(tree, "refusal"):
            key = call.args[0]
            if isinstance(key, ast.Constant):
                assert key.value in table, f"{name} line {call.lineno}: no message {key.value!r}"
    assert named == table, f"messages nothing uses: {sorted(table - named)}"


def test_chinese_keeps_the_details():
    def zh(text: str) -> str:
        return _refusal(parse, text).message_zh

    assert "'foo'" in zh("x + foo") and "第 5 列" in zh("x + foo")
    assert "2*x" in zh("2x")
    assert "x*y" in zh("x y")
    assert "'∑'" in zh("∑x")
    assert "'@'" in zh("x@y")
    assert "sin(x)" in zh("sinx + 1") and "x*y" in zh("xy")
    assert "'lambda'" in zh("lambda: 1")
    assert "arctan" in zh("foo(x)")
    assert "x.real" in zh("x.real")
    assert "10000" in zh("x**10000") and "-1000 到 1000" in zh("x**10000")
    assert "'1e999'" in zh("1e999")
    assert "'+'" in zh("x +")
    assert "3000" in zh("x" * 3000) and "2000" in zh("x" * 3000)
    assert "x**2 + y**2" in zh("   ")
    assert "sqrt(-1)" in zh("sqrt(-1) + x")
    assert "-8" in zh("(-8)**(1/3)")


def test_text_picks_the_language_and_falls_back_to_english():
    err = ExpressionError("bad thing at column 3", 3, "第 3 列有问题")
    assert err.text("zh") == "第 3 列有问题"
    assert err.text("en") == "bad thing at column 3"
    assert err.text("fr") == "bad thing at column 3"
    assert str(err) == err.message == "bad thing at column 3"
    old_style = ExpressionError("only English", 2)
    assert old_style.message_zh == ""
    assert old_style.text("zh") == "only English"
    assert (old_style.column, str(old_style)) == (2, "only English")


def test_refusing_imports_nothing():
    for text, _ in BAD_INPUTS:  # warm up: any first-time imports happen here
        with pytest.raises(ExpressionError):
            from_expression(text)
    before = set(sys.modules)
    for text, _ in BAD_INPUTS:
        with pytest.raises(ExpressionError):
            from_expression(text)
    assert set(sys.modules) == before


def test_no_recursion_error_near_the_limits():
    parse("(" * 99 + "x" + ")" * 99)  # just inside the limit
    parse("-" * 99 + "x")
    for depth in (101, 150, 400, 990):
        with pytest.raises(ExpressionError):
            parse("(" * depth + "x" + ")" * depth)


def test_node_limit(monkeypatch):
    monkeypatch.setattr(expr_parse, "MAX_NODES", 10)
    parse("x + y + 1")
    with pytest.raises(ExpressionError, match="too big"):
        parse("x + y + x + y + x + y + 1")


def test_source_never_runs_text_as_code():
    for path in EXPR_SOURCES:
        source = path.read_text()
        for banned in ("eval(", "exec(", "compile(", "import ast", "numexpr", "__import__"):
            assert banned not in source, f"{path.name}: {banned}"


def test_works_with_eval_and_exec_removed(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("user text must never be run as code")

    for name in ("eval", "exec", "compile", "__import__"):
        monkeypatch.setattr(builtins, name, forbidden)
    surface = from_expression("sin(x)*y**2 + exp(-x*y)")
    assert np.isfinite(surface.grad([[0.5, 0.5]])).all()
    with pytest.raises(ExpressionError):
        parse("__import__('os')")


def test_importing_expr_does_not_import_pygame():
    code = "import gdviz.core.expr, sys; assert 'pygame' not in sys.modules"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("typed, plain", [("x\ufe62y", "x+y"), ("x\u20442", "x/2"), ("x\u02c62", "x^2"),
                                          ("x\u2005+\u205fy", "x + y"), ("x\u2000*\u200ay", "x * y")])
def test_more_look_alikes_people_paste(typed, plain):
    """Siblings found by a tester: the small plus beside the small minus, the fraction slash
    beside the division slash, the modifier circumflex, and every typographic space."""
    import gdviz

    ours = gdviz.simulate(typed, "gd", start=(1.5, 0.5), steps=3, lr=0.1)
    theirs = gdviz.simulate(plain, "gd", start=(1.5, 0.5), steps=3, lr=0.1)
    assert np.array_equal(ours.positions, theirs.positions)


@pytest.mark.parametrize("typed", ["x××y", "x⋅⋅2", "x··y", "x×·y", "x∗∗2", "x∙×y"])
def test_two_multiplication_look_alikes_are_not_a_power(typed):
    """Before: x××y was read as x**y, silently; ×× is a slip, never a power sign."""
    with pytest.raises(ExpressionError, match="two multiplication signs, not a power") as caught:
        parse(typed)
    assert typed[1:3] in str(caught.value)
