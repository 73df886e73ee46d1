"""Presenter mode's numbers: fixed point with 3 significant figures, and a × 10ⁿ (never
e-notation) only for numbers fixed point cannot show without a run of zeros."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gdviz.core.stages import MINUS, format_fixed, format_fixed_value, power_of_ten

E_NOTATION = re.compile(r"\d[eE][−+-]?\d")
SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def read_back(text: str) -> float:
    """The number a reader takes `text` for."""
    text = text.replace(MINUS, "-")
    if " × 10" not in text:
        return float(text)
    mantissa, power = text.split(" × 10")
    return float(mantissa) * 10.0 ** int(power.translate(SUPERSCRIPT))


@pytest.mark.parametrize("x, shown", [
    (0.000584, "0.000584"), (0.0001, "0.0001"), (0.5, "0.5"), (1.0, "1"), (9.996, "10"), (0.835, "0.835"),
    (12.345, "12.3"), (1234.5, "1234"), (-0.00731, "−0.00731"), (0.0, "0"),
    (-5.341e-6, "−5.34 × 10⁻⁶"), (2.6e-15, "2.6 × 10⁻¹⁵"), (3.2e7, "3.2 × 10⁷"), (math.nan, "—"),
])
def test_fixed_point_examples(x, shown):
    assert format_fixed(x) == shown


@given(st.floats(min_value=-1e30, max_value=1e30, allow_nan=False).filter(lambda v: v == 0 or abs(v) > 1e-30))
def test_fixed_point_is_never_e_notation_and_reads_back_within_3_significant_figures(x):
    text = format_fixed(x)
    assert not E_NOTATION.search(text)
    assert "e" not in text.lower()
    assert math.isclose(read_back(text), x, rel_tol=6e-3, abs_tol=0.0) or (x == 0 and text == "0")


def test_a_vector_too_small_for_fixed_point_shares_one_power_of_ten():
    assert format_fixed_value(np.array([-5.34e-6, -5.25e-6])) == "(−5.34, −5.25) × 10⁻⁶"
    assert format_fixed_value(np.array([0.5, -0.25])) == "(0.5, −0.25)"
    assert format_fixed_value(np.array([1e-6, 1e-17])) == "(1, 0) × 10⁻⁶"  # a rounding left-over shows as 0
    assert format_fixed_value(3) == "3" and power_of_ten(-6) == "10⁻⁶"
