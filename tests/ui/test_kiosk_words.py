"""What a visitor at a kiosk reads and taps: messages that name a tap and the optimizers' own
names (never a key, never torch's lowercase id), numbers in fixed point (never e-notation),
and rows of lists at least as tall as the control bar's fingertip-sized buttons."""

from __future__ import annotations

import re
from itertools import pairwise

import pygame
import pytest
from helpers import make_app, play_scene, press, run
from test_fuzz import TextSpy
from test_kiosk_visitor import attract, kiosk
from test_presenter_view import E_NOTATION
from test_touch import button
from test_touch import tap as quick_tap

from gdviz.core.commands import Command, Pixel
from gdviz.core.optimizers import names as optimizer_ids
from gdviz.ui.control_bar import min_button_px
from gdviz.ui.kiosk import for_staff
from gdviz.ui.scenes.play import PlayScene
from gdviz.ui.scenes.title import TitleScene
from gdviz.ui.strings import STRINGS, tr

KEY_NAME = re.compile(r"\b(press|keys?|Space|Enter|Esc|Tab|[A-Z])\b|按\s*[A-Z0-9]|按键")
# torch's lowercase identifiers ("momentum" is also a plain word, so it may stand as one)
RAW_ID = re.compile(r"\b(" + "|".join(n for n in optimizer_ids() if n != "momentum") + r")\b")


def tap(app, at, frames: int = 32) -> None:
    """A visitor's tap, a moment after the one before (a tap this soon and this near the one that
    changed the screen is taken for the end of a double tap: see SceneGuard)."""
    quick_tap(app, at, frames)


class ToastSpy:
    """Every message a visitor is shown (at a kiosk, those not meant for staff)."""

    def __init__(self, monkeypatch) -> None:
        self.seen: list[str] = []
        real = PlayScene.notify
        monkeypatch.setattr(PlayScene, "notify", lambda scene, text: self._see(scene, text) or real(scene, text))

    def _see(self, scene: PlayScene, text: str) -> None:
        if not scene.session.demo and not for_staff(text):
            self.seen.append(text)

    def wrong(self) -> list[str]:
        return [t for t in self.seen if KEY_NAME.search(t) or RAW_ID.search(t)]


# Bar buttons a visitor taps in a level (leaving it, the help, the rate pad and the language aside).
TAPS = (Command.RESET, Command.STEP_BACK, Command.PLAY_PAUSE, Command.STEP, Command.LR_UP, Command.LR_DOWN,
        Command.STEP_MODE, Command.STEP, Command.STEP_BACK, Command.STEP_MODE, Command.SWARM, Command.SWARM,
        Command.PLAY_PAUSE, Command.PLAY_PAUSE)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_after_each_bar_action_a_visitor_reads_taps_and_names_never_keys_or_ids(lang, monkeypatch):
    toasts = ToastSpy(monkeypatch)
    app, _ = attract("1024x600", "--lang", lang)
    tap(app, (app.screen.get_width() // 2, app.screen.get_height() // 2))  # play the level shown
    tap(app, button(app, Command.OPTIMIZER_MENU).center)
    tap(app, button(app, Command.OPTIMIZER, "adamw").center)
    tap(app, button(app, Command.SWARM).center)
    assert any(tr(lang, "bar.swarm") in t for t in toasts.seen), toasts.seen  # "… tap Swarm to go back"
    tap(app, play_scene(app).geometry.layout.map.center)  # moving a start in a swarm: "tap Swarm …"
    tap(app, button(app, Command.SWARM).center)
    for command in TAPS:
        tap(app, button(app, command).center)
    tap(app, button(app, Command.OPTIMIZER_MENU).center)
    choices = [action.arg for _, action in play_scene(app).bar.buttons if action.command is Command.OPTIMIZER]
    tap(app, button(app, Command.OPTIMIZER_MENU).center)
    for name in choices:
        tap(app, button(app, Command.OPTIMIZER_MENU).center)
        tap(app, button(app, Command.OPTIMIZER, name).center)
    assert len(toasts.seen) >= 8 and not toasts.wrong(), toasts.wrong()


def test_messages_from_keys_name_optimizers_by_name_at_a_kiosk_too(monkeypatch):
    toasts = ToastSpy(monkeypatch)
    app = kiosk("800x480", "--level", "two-wells")
    allowed = play_scene(app).session.allowed
    banned = next(n for n in optimizer_ids() if n not in allowed)
    press(app, Command.OPTIMIZER, banned, frames=2)  # "this level lets you use: …"
    press(app, Command.TOGGLE_BIAS, frames=2)
    press(app, Command.ADD_BALL, frames=2)
    assert len(toasts.seen) == 3 and not toasts.wrong(), toasts.seen
    assert "W" in STRINGS["msg.swarm"][0] and "W" not in STRINGS["msg.swarm_touch"][0]  # (keyboards keep their key)


# --- numbers: fixed point at a kiosk ---------------------------------------------------------------


def test_a_kiosk_draws_no_number_in_e_notation(monkeypatch):
    app = kiosk("1280x720", "--level", "adam")  # slopes of a few millionths, squares of 10⁻¹⁰
    spy = TextSpy(monkeypatch)
    for _ in range(4):
        press(app, Command.STEP, frames=2)
    press(app, Command.STEP_MODE, frames=2)
    for _ in range(len(play_scene(app).session.step_mode.views) + 1):
        press(app, Command.STEP, frames=2)
    press(app, Command.STEP_MODE, frames=2)
    press(app, Command.SWARM, frames=30)
    shown = [t for t in spy.seen if E_NOTATION.search(t)]
    assert spy.seen and not shown, shown
    assert any("× 10" in t for t in spy.seen)  # a × 10ⁿ where fixed point cannot go


def test_outside_a_kiosk_and_presenter_mode_numbers_stay_compact():
    app = make_app("--level", "adam", size="1280x720")
    run(app, 2)
    assert not app.look.fixed and kiosk("800x480").look.fixed


# --- targets a fingertip can hit ------------------------------------------------------------------


def title_rows(app) -> list[pygame.Rect]:
    title = app.scenes[0]
    assert isinstance(title, TitleScene)
    return [rect for _, rect in title.row_rects]


@pytest.mark.parametrize("size", ["800x480", "1024x600"])
def test_title_rows_are_as_tall_as_the_bars_buttons_when_the_bar_is_on(size):
    app = kiosk(size)
    least = min_button_px(app.screen.get_size())
    rows = title_rows(app)
    assert rows and all(rect.height >= least for rect in rows), ([r.height for r in rows], least)
    assert all(a.bottom < b.top for a, b in pairwise(rows))  # rows do not touch
    assert app.screen.get_rect().contains(rows[-1])
    plain = make_app(size=size)
    run(plain, 2)
    assert len(title_rows(plain)) >= len(rows)  # without a bar the list keeps its compact rows


@pytest.mark.parametrize("size", ["800x480", "1024x600"])
def test_a_tap_on_a_tall_row_opens_that_level(size):
    app = kiosk(size)
    title = app.scenes[0]
    index, rect = title.row_rects[1]
    tap(app, (rect.centerx, rect.bottom - 2), frames=30)  # near its edge, still that row
    assert play_scene(app).session.level.id == app.content.levels[index].id
    press(app, Command.SET_START, Pixel(3, 3), frames=1)  # (the level is played, not only shown)
