"""The box where a teacher types an exact learning rate for the selected ball (key E, or the
control bar's learning-rate button). With the control bar showing, a number pad under the
box types it by touch alone."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from gdviz.core.commands import Action, Pixel
from gdviz.core.ladders import LR_LIMITS, LearningRateError, parse_lr
from gdviz.core.stages import format_number
from gdviz.ui import hud
from gdviz.ui.scenes.base import Context
from gdviz.ui.scenes.keypad import GAP, Keypad, pad_size
from gdviz.ui.scenes.textbox import Refusal, Sentence, TextBoxScene, text_size
from gdviz.ui.theme import Look


class LearningRateScene(TextBoxScene):
    """Type a positive number ("0.05", "5e-2"); anything else is refused with one sentence."""

    prompt_key = "lr_box.prompt"
    example_key = "lr_box.example"

    def __init__(self, ctx: Context, current: float, use: Callable[[float], None]) -> None:
        super().__init__(ctx)
        self.use = use
        self.text = f"{current:g}"
        self.cursor = len(self.text)
        self.pad = Keypad() if ctx.touch.bar else None
        if self.pad is not None:
            self.prompt_key = "lr_box.prompt_touch"

    def tapped(self, at: Pixel) -> Action | None:
        return self.pad.hit(at) if self.pad is not None else None

    def _key_size(self, look: Look, window: tuple[int, int]) -> int:
        """Keys a fingertip across at least, and wide enough for their words."""
        size = text_size(window[1])
        words = max(hud.text_width(look, look.tr(key), size, True) for key in ("pad.ok", "pad.cancel"))
        return max(self.ctx.touch.least(window), words + 16, 2 * look.font(size).get_linesize())

    def box_rect(self, size: tuple[int, int], line: int) -> pygame.Rect:
        """Above the pad, the two of them centred on the screen."""
        box = super().box_rect(size, line)
        if self.pad is None:
            return box
        pad_height = pad_size(self._key_size(self.ctx.look, size))[1]
        return box.move(0, max((size[1] - box.height - pad_height - 2 * GAP) // 2, 8) - box.y)

    def draw(self, surface: pygame.Surface, look: Look) -> None:
        super().draw(surface, look)
        if self.pad is not None:
            window = surface.get_size()
            key = self._key_size(look, window)
            box = self.box_rect(window, look.font(text_size(window[1]), mono=True).get_linesize())
            self.pad.draw(surface, look, ((window[0] - pad_size(key)[0]) // 2, box.bottom + 2 * GAP), key,
                          text_size(window[1]))

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
