"""Formulas typed into the game's own function box the way people really type them (issue 15):
the minus sign of the axis labels, brackets from a Chinese input method, x². They are used
as they are meant; a mistake is pointed at and quoted as it was typed, in both languages."""

from __future__ import annotations

import pytest
from helpers import make_app, play_scene, press, run

from gdviz.core.commands import Command
from gdviz.ui.scenes.function import FunctionScene


@pytest.fixture(scope="module")
def game():
    app = make_app("--level", "saddle")
    run(app, 2)
    return app


def submit(app, text: str):
    """Open the box, type `text` one character at a time and press Enter; return the box."""
    press(app, Command.FUNCTION)
    box = app.top
    assert isinstance(box, FunctionScene)
    for ch in text:
        press(app, Command.TEXT, ch, frames=0)
    press(app, Command.SELECT)
    return box


@pytest.mark.parametrize("typed, formula", [
    ("x^2 − y^2", "x**2 - y**2"),
    ("sin（x）＋y²", "sin(x) + y**2"),
    ("x² × 2 ÷ (1 + y²)", "x**2*2/(1 + y**2)"),
])
def test_a_formula_typed_with_look_alikes_is_played(game, typed, formula):
    submit(game, typed)
    assert not isinstance(game.top, FunctionScene)
    assert play_scene(game).session.level.surface.formula == formula


@pytest.mark.parametrize("typed, column, quoted", [("x^", 3, "'^'"), ("x − ", 5, "'−'"),
                                                   ("ｓｉｎ（ｘ", 4, "'（'")])
def test_a_mistake_is_quoted_as_typed(game, typed, column, quoted):
    box = submit(game, typed)
    try:
        assert game.top is box
        assert box.refusal.column == column
        assert quoted in box.refusal.text("en") and quoted in box.refusal.text("zh")
        assert "'**'" not in box.refusal.text("en")
    finally:
        while isinstance(game.top, FunctionScene):
            press(game, Command.BACK)
