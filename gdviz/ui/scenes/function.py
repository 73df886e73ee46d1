"""The box where a player types their own function; the game builds a level on it."""

from __future__ import annotations

from gdviz.core.custom import level_from_function
from gdviz.core.expr import ExpressionError
from gdviz.ui.scenes.textbox import Refusal, TextBoxScene


class FunctionScene(TextBoxScene):
    """Type a function of x (and y); a good one becomes a level that replaces any earlier one.

    A bad one shows the parser's sentence and a ^ under the bad spot.
    """

    prompt_key = "function.prompt"
    example_key = "function.example"

    def accept(self, text: str) -> Refusal | None:
        try:
            level = level_from_function(text)
        except ExpressionError as problem:
            return problem
        self.ctx.play_function(level)
        return None
