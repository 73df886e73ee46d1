"""The level list fits any screen: it scrolls with a visible hint when it is too long (keys, the
mouse wheel, a drag), a tap plays a level, and the footer is never cut, down to 320×240."""

from __future__ import annotations

import pygame
import pytest
from helpers import make_app, play_scene, press, run

from gdviz.core.commands import Command, Pixel
from gdviz.ui import hud
from gdviz.ui.scenes.title import TITLE_FOOTER, TitleScene


def title(size: str, *extra: str) -> tuple:
    app = make_app(*extra, size=size)
    run(app, 2)
    assert isinstance(app.top, TitleScene)
    return app, app.top


def shown(scene: TitleScene) -> list[int]:
    return [index for index, _ in scene.row_rects]


@pytest.mark.parametrize("size", ["800x480", "1024x600"])
def test_the_last_level_can_be_reached_and_the_list_says_there_is_more(size):
    app, scene = title(size)
    last = len(scene.levels) - 1
    assert scene.scrolls and last not in shown(scene), "the whole list fits: nothing to test here"
    for _ in range(last):
        press(app, Command.DOWN)
    assert scene.choice == last and last in shown(scene)
    rect = dict(scene.row_rects)[last]
    assert app.screen.get_rect().contains(rect) and rect.bottom < scene.footer[1].top
    assert scene.first_row > 0  # "▲ n more" above the rows now


def test_the_mouse_wheel_scrolls_the_list_through_the_command_table():
    app, scene = title("800x480")
    pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-3, flipped=False, precise_x=0.0, precise_y=-3.0,
                                         which=0, touch=False))
    run(app, 2)
    assert scene.first_row == 3 and scene.choice >= 3
    pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, flipped=False, precise_x=0.0, precise_y=1.0,
                                         which=0, touch=False))
    run(app, 2)
    assert scene.first_row == 2 and isinstance(app.top, TitleScene)


def test_a_drag_scrolls_and_a_still_tap_plays_the_level_tapped():
    app, scene = title("800x480")
    index, rect = scene.row_rects[4]
    press(app, Command.SET_START, Pixel(*rect.center), frames=0)  # the finger moves before it is let go
    press(app, Command.MOVE_START, Pixel(rect.centerx, rect.centery - 3 * scene.line), frames=10)
    assert scene.first_row == 3 and isinstance(app.top, TitleScene), "a drag played a level"
    index, rect = scene.row_rects[2]
    press(app, Command.SET_START, Pixel(*rect.center), frames=2)  # pressed and let go where it was
    assert not isinstance(app.top, TitleScene) and play_scene(app).session.index == index


def test_a_list_that_fits_plays_at_the_first_tap():
    app, scene = title("1920x1080")
    assert not scene.scrolls
    index, rect = scene.row_rects[-1]
    press(app, Command.SET_START, Pixel(*rect.center))
    assert play_scene(app).session.index == index


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", ["320x240", "800x480"])
def test_the_footer_is_whole_words_inside_the_screen(size, lang):
    app, scene = title(size, "--lang", lang)
    text, rect = scene.footer
    items = [app.tr(key) for key, _ in TITLE_FOOTER]
    assert text and all(part in items for part in text.split(hud.SEPARATOR)), text
    assert app.screen.get_rect().contains(rect)
    assert app.tr("title.play") in text  # the one thing a visitor must know stays
    rows = [r for _, r in scene.row_rects]
    assert rows and all(app.screen.get_rect().contains(r) and r.bottom <= rect.top for r in rows)


@pytest.mark.parametrize("size", ["320x240", "800x480"])
def test_the_pause_label_fits_the_map_on_small_screens(size):
    app = make_app("--level", "saddle", size=size)
    run(app, 2)
    press(app, Command.SELECT, frames=2)  # the briefing away: the pause label shows
    p = play_scene(app)
    label, area = p.view.placed["label"], p.geometry.layout.map
    assert area.contains(label), (label, area)
