"""The box where a teacher types an exact learning rate for the selected ball (key E)."""

from __future__ import annotations

from collections.abc import Callable

from gdviz.core.ladders import LR_LIMITS, LearningRateError, parse_lr
from gdviz.core.stages import format_number
from gdviz.ui.scenes.base import Context
from gdviz.ui.scenes.textbox import Refusal, Sentence, TextBoxScene


class LearningRateScene(TextBoxScene):
    """Type a positive number ("0.05", "5e-2"); anything else is refused with one sentence."""

    prompt_key = "lr_box.prompt"
    example_key = "lr_box.example"

    def __init__(self, ctx: Context, current: float, use: Callable[[float], None]) -> None:
        super().__init__(ctx)
        self.use = use
        self.text = f"{current:g}"
        self.cursor = len(self.text)

    def accept(self, text: str) -> Refusal | None:
        try:
            lr = parse_lr(text)
        except LearningRateError as problem:
            return _sentence(self.ctx, problem)
        self.use(lr)
        return None


def _sentence(ctx: Context, problem: LearningRateError) -> Sentence:
    low, high = (format_number(v) for v in LR_LIMITS)
    key = "lr_box." + problem.reason
    return Sentence(ctx.look.with_language("en").tr(key, text=problem.text, low=low, high=high),
                    ctx.look.with_language("zh").tr(key, text=problem.text, low=low, high=high))
