"""Text stays inside its box, on real rendering: a paragraph cut short ends with "…" and
still fits, Chinese lines obey the line-breaking rules (kinsoku) without a sign hanging past
the edge, and the presenter's ball table never drops a ball without saying so."""

from __future__ import annotations

import numpy as np
import pygame
import pytest
from helpers import make_app, play_scene, press, run

from gdviz.core.commands import Command
from gdviz.core.levels import builtin_levels_dir, load_levels
from gdviz.ui import hud
from gdviz.ui.scenes import play_panel
from gdviz.ui.theme import Look

LEVELS, _ = load_levels(builtin_levels_dir())
ZH_TEXTS = [text for level in LEVELS for text in (level.lesson.get("zh"), level.hint.get("zh") if level.hint else "")
            if text]
EN_TEXTS = [text for level in LEVELS for text in (level.lesson.get("en"), level.hint.get("en") if level.hint else "")
            if text]
BACKGROUND = (1, 2, 3)


@pytest.fixture(autouse=True, scope="module")
def _fonts():
    pygame.font.init()  # left initialised: fonts cached by other tests must stay valid


@pytest.mark.parametrize("size", [16, 22, 30])
def test_chinese_lines_obey_kinsoku_and_fit_their_width(size):
    look = Look("zh")
    for text in ZH_TEXTS:
        for width in range(140, 700, 23):
            for line in hud.wrap(look, text, size, width):
                assert hud.text_width(look, line, size) <= width, f"{line!r} runs past {width} px"
                assert line[:1] not in hud.NO_LINE_START, f"{line!r} starts with closing punctuation"
                assert line[-1:] not in hud.NO_LINE_END, f"{line!r} ends with an opening bracket"


def test_the_attract_caption_comma_moves_down_with_a_character():
    look, size = Look("zh"), 22
    text = "两个球都从几乎正好在山脊线上的地方出发（只偏离 0.00001），这条山脊一路向下通到一个鞍点。"
    for width in range(100, 600):
        lines = hud.wrap(look, text, size, width)
        assert all(hud.text_width(look, line, size) <= width for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", ""), "wrapping lost or added characters"


def drawn_outside(look: Look, text: str, rect: pygame.Rect, size: int, max_lines: int = 99) -> int:
    canvas = pygame.Surface((rect.right + 200, rect.bottom + 100))
    canvas.fill(BACKGROUND)
    hud.draw_paragraph(canvas, look, text, rect, size, (255, 255, 255), max_lines=max_lines)
    pixels = pygame.surfarray.array3d(canvas)
    ink = (pixels != np.array(BACKGROUND)).any(axis=2)
    ink[rect.left:rect.right, rect.top:rect.bottom] = False
    return int(ink.sum())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_cut_paragraph_ends_with_an_ellipsis_and_draws_nothing_outside_its_rect(lang):
    look = Look(lang)
    texts = ZH_TEXTS if lang == "zh" else EN_TEXTS
    for text in texts:
        for width, lines in ((180, 1), (260, 2), (330, 3)):
            size = 18
            rect = pygame.Rect(20, 10, width, lines * look.font(size).get_linesize())
            wrapped = hud.wrap(look, text, size, width)
            assert drawn_outside(look, text, rect, size) == 0, f"{text[:30]!r} drawn outside {rect}"
            if len(wrapped) > lines:
                last = hud.wrap(look, text, size, width)[:lines]
                shown = hud.ellipsize(look, last[-1], size, width)
                assert shown.endswith("…") and hud.text_width(look, shown, size) <= width


def test_the_issue_cases_end_with_an_ellipsis():
    look, size = Look(), 18
    hint = ("Your ball runs without bias correction. Press C to switch it on, then R. Press → a few times "
            "to compare the first steps of the three balls.")  # the panel cut it at "switch it on," with no "…"
    for width in range(200, 420, 7):
        lines = hud.wrap(look, hint, size, width)[:2]
        end = hud.ellipsize(look, lines[-1], size, width)
        assert end.endswith(" …") and hud.text_width(look, end, size) <= width
    assert hud.ellipsize(look, "alone barely moves: it follows the tiny", size, 10_000) == \
        "alone barely moves: it follows the tiny …"


@pytest.mark.parametrize("lines", range(8))
@pytest.mark.parametrize("count", [1, 2, 3, 5, 9])
def test_the_ball_table_lists_the_selected_ball_and_says_how_many_are_left_out(lines, count):
    reserved = max(count, 3)
    for selected in range(count):
        plan = play_panel.board_plan(lines, count, selected, reserved)
        if lines < 1:
            assert plan is None
            continue
        heading, shown, more, room = plan
        assert selected in shown, "the selected ball is not listed"
        assert len(shown) + more == count, "balls left out without saying so"
        used = int(heading) + len(shown) + (1 if more and len(shown) < room else 0)
        assert used <= lines, "the table takes more lines than it has"


@pytest.mark.parametrize("lang,size", [("zh", "1280x720"), ("en", "800x480"), ("en", "1024x600")])
def test_presenter_ball_table_draws_the_selected_ball(lang, size):
    app = make_app("--present", "--level", "adam", "--lang", lang, size=size)
    run(app, 2)
    press(app, Command.PLAY_PAUSE, frames=2)
    press(app, Command.PLAY_PAUSE, frames=2)
    p = play_scene(app)
    assert p.session.race.balls  # drawn without error; the plan is checked above
