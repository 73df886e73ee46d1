"""Touch screens: the control bar, taps and drags, each acting once — all through the real loop,
with FINGER events posted as SDL delivers them (x and y are fractions of the window)."""

from __future__ import annotations

import numpy as np
import pygame
import pytest
from helpers import make_app, play_scene, press, run

from gdviz.core.commands import Action, Command
from gdviz.ui.control_bar import min_button_px
from gdviz.ui.controls import BAR_BUTTONS, POINTER_HELP, bar_word, help_rows, touch_help_rows
from gdviz.ui.scenes.attract import AttractScene
from gdviz.ui.scenes.help import HelpScene
from gdviz.ui.scenes.learning_rate import LearningRateScene
from gdviz.ui.scenes.play import PlayScene
from gdviz.ui.scenes.title import TitleScene
from gdviz.ui.strings import tr

SIZES = ["800x480", "1024x600", "1280x720", "1920x1080"]
TOUCH_ID = 7


def finger(app, kind: int, at, finger_id: int = 0, touch_id: int = TOUCH_ID) -> None:
    width, height = app.screen.get_size()
    pygame.event.post(pygame.event.Event(kind, x=at[0] / width, y=at[1] / height, dx=0.0, dy=0.0,
                                         touch_id=touch_id, finger_id=finger_id, pressure=1.0))


def tap(app, at, frames: int = 2) -> None:
    """A tap as a touch screen sends it with SDL_TOUCH_MOUSE_EVENTS=0: fingers only."""
    finger(app, pygame.FINGERDOWN, at)
    finger(app, pygame.FINGERUP, at)
    run(app, frames)


def drag(app, path, frames: int = 1) -> None:
    finger(app, pygame.FINGERDOWN, path[0])
    run(app, frames)
    for at in path[1:]:
        finger(app, pygame.FINGERMOTION, at)
        run(app, frames)
    finger(app, pygame.FINGERUP, path[-1])
    run(app, frames)


def button(app, command: Command, arg=None) -> pygame.Rect:
    """Where the control bar drew the button for `command` (and `arg`) in the last frame."""
    return next(rect for rect, action in play_scene(app).bar.buttons if action == Action(command, arg))


def touch_app(*extra: str, size: str = "1280x720"):
    app = make_app("--level", "saddle", *extra, size=size)
    app.touch = app.touch.__class__(bar=True)
    run(app, 2)
    return app


def ball_pixel(app, index: int) -> tuple[int, int]:
    play = play_scene(app)
    point = play.geometry.to_pixels(np.array(play.session.display_positions()))[index]
    return int(round(point[0])), int(round(point[1]))


# --- the whole visit, by touch alone ---------------------------------------------------------------


def test_a_touch_only_visitor_leaves_attract_picks_a_level_chooses_adam_raises_the_rate_and_wins(monkeypatch):
    posted = []
    real_post = pygame.event.post
    monkeypatch.setattr(pygame.event, "post", lambda event: posted.append(event.type) or real_post(event))
    app = make_app("--kiosk", "--attract")
    run(app, 3)
    assert isinstance(app.top, AttractScene)
    tap(app, (app.screen.get_width() // 2, app.screen.get_height() // 2))  # leave the attract loop
    assert isinstance(play_scene(app), PlayScene) and not play_scene(app).session.demo
    tap(app, button(app, Command.BACK).center)  # the level list
    title = app.top
    assert isinstance(title, TitleScene)
    saddle = next(rect for index, rect in title.row_rects if app.content.levels[index].id == "saddle")
    tap(app, saddle.center, frames=30)  # (on a list that scrolls, the level opens a moment after the tap)
    play = play_scene(app)
    assert play.session.level.id == "saddle" and play.cards.briefing
    tap(app, button(app, Command.OPTIMIZER_MENU).center)  # the optimizer list …
    tap(app, button(app, Command.OPTIMIZER, "adam").center)  # … Adam
    lr = play.session.ball.optimizer.lr
    tap(app, button(app, Command.LR_UP).center)
    assert play.session.ball.optimizer.name == "adam" and play.session.ball.optimizer.lr > lr
    tap(app, button(app, Command.PLAY_PAUSE).center)
    assert play.session.playing
    for _ in range(40):
        run(app, 30)
        if play.cards.win is not None:
            break
    assert play.cards.win is not None and play.cards.win.tap
    assert "win" in play.view.placed  # the strip is on the screen
    assert set(posted) == {pygame.FINGERDOWN, pygame.FINGERUP}  # no key, no mouse, ever


def test_a_bare_finger_leaves_the_attract_loop():
    app = make_app("--kiosk", "--attract")
    run(app, 3)
    finger(app, pygame.FINGERDOWN, (30, 40))
    run(app, 2)
    assert isinstance(play_scene(app), PlayScene) and not play_scene(app).session.demo
    finger(app, pygame.FINGERUP, (30, 40))  # the rest of that touch does nothing to the level
    run(app, 2)
    assert play_scene(app).session.race.step_count == 0 and play_scene(app).session.edits == 0


# --- the bar: every button is its Command, and big enough ---------------------------------------------


@pytest.mark.parametrize("spec", BAR_BUTTONS, ids=lambda b: b.command.value)
def test_each_bar_button_dispatches_its_command(spec, monkeypatch):
    app = touch_app()
    seen = []
    real = PlayScene.handle
    monkeypatch.setattr(PlayScene, "handle", lambda scene, action: seen.append(action) or real(scene, action))
    tap(app, button(app, spec.command, spec.arg).center)
    assert Action(spec.command, spec.arg) in seen
    assert len([a for a in seen if a.command is spec.command]) == 1


def test_the_help_names_every_bar_button_and_tap_from_the_same_table():
    for lang in ("en", "zh"):
        rows = help_rows(lang)
        keys = [part for label, _ in rows for part in label.split(" / ")]
        for spec in BAR_BUTTONS:
            assert f"[{bar_word(spec, lang)}]" in keys
        for label, command in POINTER_HELP:
            assert (tr(lang, label), next(text for key, text in rows if key == tr(lang, label))) in rows
    assert ("Space / [Play]", "play / pause") in help_rows("en")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bar_buttons_are_at_least_a_fingertip_and_hide_nothing(size, lang):
    app = touch_app("--lang", lang, size=size)
    width, height = app.screen.get_size()
    least = min_button_px((width, height))
    layout = play_scene(app).geometry.layout
    for panel in (None, Command.OPTIMIZER_MENU, Command.SETTINGS_MENU):
        play_scene(app).bar.panel = panel
        run(app, 1)
        buttons = play_scene(app).bar.buttons
        assert len(buttons) > 1
        for rect, _ in buttons:
            assert rect.width >= least and rect.height >= least, (rect, least)
            # the bar's own buttons stay in its place; a panel may rise from it over the map
            room = layout.bar if panel is None else layout.bar.union(pygame.Rect(layout.bar.x, 0, layout.bar.width, 1))
            assert room.contains(rect), (rect, layout.bar)
    assert layout.map.bottom <= layout.bar.top and layout.panel.bottom <= layout.bar.top
    assert layout.bar.bottom <= layout.footer.top and layout.bar.right <= width
    plain = make_app("--level", "saddle", "--lang", lang, size=size)
    run(plain, 2)
    assert play_scene(plain).geometry.layout.map.height > layout.map.height  # the map made room


def test_the_fingertip_follows_the_screen_size_setting():
    assert min_button_px((1280, 720), 15.6) == 45
    assert min_button_px((1920, 1080), 15.6) == 67
    assert min_button_px((800, 480), 7.0) == 63  # a small panel: bigger buttons in pixels


def test_the_bar_is_on_in_a_kiosk_off_elsewhere_until_a_finger_touches_and_b_toggles_it():
    assert make_app("--kiosk").touch.bar
    app = make_app("--level", "saddle")
    run(app, 2)
    assert not app.touch.bar and not play_scene(app).geometry.layout.bar.height
    tap(app, (3, 3))
    assert app.touch.bar and play_scene(app).geometry.layout.bar.height
    press(app, Command.TOGGLE_BAR)
    assert not app.touch.bar


# --- each touch acts once -------------------------------------------------------------------------


def test_a_tap_sdl_also_sends_as_a_mouse_click_acts_once():
    app = touch_app()
    play = play_scene(app)
    lr, at = play.session.ball.optimizer.lr, button(app, Command.LR_UP).center
    # What SDL sends for one tap with SDL_TOUCH_MOUSE_EVENTS=1: the mouse copy first, then the finger.
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=at, rel=(0, 0), buttons=(0, 0, 0), touch=True))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=at, button=1, touch=True))
    finger(app, pygame.FINGERDOWN, at)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=at, button=1, touch=True))
    finger(app, pygame.FINGERUP, at)
    run(app, 2)
    once = play.session.ball.optimizer.lr
    assert once > lr
    press(app, Command.LR_DOWN)
    assert play.session.ball.optimizer.lr == lr
    run(app, 40)  # (later than a system's own copy of that tap would come: see test_touch_once.py)
    # A real mouse, with SDL_MOUSE_TOUCH_EVENTS=1 copying it as fingers of touch device -1.
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=at, button=1, touch=False))
    finger(app, pygame.FINGERDOWN, at, touch_id=-1)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=at, button=1, touch=False))
    finger(app, pygame.FINGERUP, at, touch_id=-1)
    run(app, 2)
    assert play.session.ball.optimizer.lr == once


def test_a_second_finger_starts_afresh_and_the_first_one_stops_counting():
    app = touch_app()
    play = play_scene(app)
    finger(app, pygame.FINGERDOWN, button(app, Command.LR_UP).center, finger_id=0)  # a palm on a button
    run(app, 1)
    lr = play.session.ball.optimizer.lr
    tap_at = button(app, Command.LR_DOWN).center
    finger(app, pygame.FINGERDOWN, tap_at, finger_id=1)
    finger(app, pygame.FINGERUP, tap_at, finger_id=1)
    finger(app, pygame.FINGERMOTION, ball_pixel(app, 0), finger_id=0)  # the palm slides: nothing
    run(app, 2)
    assert play.session.ball.optimizer.lr < lr and play.session.edits == 2


# --- the map: tap a ball to select it, drag it to move its start -----------------------------------


def test_tapping_a_ball_selects_it_and_tapping_a_pile_goes_round_it():
    app = touch_app()
    play = play_scene(app)
    elsewhere = play.geometry.layout.map.center
    press(app, Command.ADD_BALL_AT, play.geometry.pixel_to_world(elsewhere))  # ball 3, apart from the pile
    assert play.session.selected == 2
    pile = ball_pixel(app, 0)  # balls 1 and 2 start on one spot
    start = play.session.ball.start.copy()
    tap(app, (pile[0] + 5, pile[1] - 5))
    assert play.session.selected == 0
    tap(app, pile)
    assert play.session.selected == 1
    tap(app, ball_pixel(app, 2))
    assert play.session.selected == 2 and np.array_equal(play.session.race.balls[2].start, start)


def test_dragging_a_ball_moves_its_start_and_one_step_back_undoes_the_drag():
    app = touch_app()
    play = play_scene(app)
    tap(app, play.view.placed["briefing"].center)  # put the card away
    first = play.session.ball.start.copy()
    a = ball_pixel(app, 0)
    path = [a, (a[0] + 2, a[1] + 1), (a[0] + 40, a[1] + 60), (a[0] + 80, a[1] + 120)]
    drag(app, path)
    moved = play.session.ball.start[0]
    assert np.allclose(moved, play.geometry.pixel_to_world(path[-1]), atol=2 / play.geometry.viewport.scale[0])
    press(app, Command.STEP_BACK)
    assert np.array_equal(play.session.ball.start, first)


def test_a_tap_that_wobbles_a_little_is_a_tap_not_a_drag():
    app = touch_app()
    play = play_scene(app)
    start = play.session.ball.start.copy()
    a = ball_pixel(app, 0)
    drag(app, [a, (a[0] + 3, a[1] + 2), (a[0] + 4, a[1] - 2)])
    assert np.array_equal(play.session.ball.start, start)


def test_a_tap_on_the_map_moves_the_start_there_and_a_drag_from_a_button_moves_nothing():
    app = touch_app()
    play = play_scene(app)
    spot = (play.geometry.layout.map.x + 60, play.geometry.layout.map.bottom - 60)
    tap(app, spot)
    assert np.allclose(play.session.ball.start[0], play.geometry.pixel_to_world(spot))
    start = play.session.ball.start.copy()
    drag(app, [button(app, Command.RESET).center, spot, play.geometry.layout.map.center])
    assert np.array_equal(play.session.ball.start, start)


# --- the other screens -------------------------------------------------------------------------------


def test_the_cards_the_legend_the_help_and_the_rate_pad_answer_taps():
    app = touch_app()
    play = play_scene(app)
    start = play.session.ball.start.copy()
    tap(app, play.view.placed["briefing"].center)
    assert not play.cards.briefing and np.array_equal(play.session.ball.start, start)
    legend = play.view.placed["legend"]
    row = legend.height / (len(play.session.allowed) + 1)
    tap(app, (legend.centerx, int(legend.y + row * (1 + play.session.allowed.index("rmsprop") + 0.5))))
    assert play.session.ball.optimizer.name == "rmsprop"
    tap(app, button(app, Command.HELP).center)
    assert isinstance(app.top, HelpScene)
    help_scene = app.top
    for page in range(1, help_scene.pages):  # the touch page, the keys, the glyphs
        tap(app, (20, 20))
        assert app.top.page == page
        run(app, 40)  # a moment to read it (a second tap at once would be a double tap: one page)
    tap(app, (20, 20))
    assert not isinstance(app.top, HelpScene)


def test_the_learning_rate_pad_types_a_rate_by_touch_alone():
    app = touch_app()
    play = play_scene(app)
    tap(app, button(app, Command.SET_LR).center)
    box = app.top
    assert isinstance(box, LearningRateScene)
    keys = {action: rect for rect, action in box.pad.keys}
    for _ in box.text:
        tap(app, keys[Action(Command.REMOVE_BALL)].center)
    for ch in "2e-2":
        tap(app, keys[Action(Command.TEXT, ch)].center)
    tap(app, keys[Action(Command.SELECT)].center)
    assert play.session.ball.optimizer.lr == pytest.approx(0.02) and not isinstance(app.top, LearningRateScene)


def test_a_tap_on_the_win_strip_goes_to_the_next_level():
    app = touch_app()
    play = play_scene(app)
    press(app, Command.OPTIMIZER, "adam")
    press(app, Command.PLAY_PAUSE)
    for _ in range(40):
        run(app, 30)
        if play.cards.win is not None:
            break
    level, edits = play.session.index, play.session.edits
    at = play.view.placed["win"].center
    tap(app, at, frames=0)
    tap(app, at)  # a double tap: the second tap does not land on the next level's map
    assert play.session.index == level + 1
    assert play.session.edits == edits + 1 and play.cards.briefing  # the next level, and nothing in it


# --- a press that opened something does not act on it too (issue 15, case 8) -----------------------


def click(app, at, touch: bool = False) -> None:
    """A left click; `touch`: SDL's copy of a finger as a click."""
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=at, button=1, touch=touch))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=at, button=1, touch=touch))


def key(code: int) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=code, mod=0, unicode="", scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=code, mod=0, unicode="", scancode=0))


def title_row(app, level_id: str) -> pygame.Rect:
    title = app.top
    assert isinstance(title, TitleScene)
    return next(rect for index, rect in title.row_rects if app.content.levels[index].id == level_id)


def assert_untouched(app, level_id: str) -> None:
    """The level is open just as it opens: no Command carried out, its card still up."""
    play = play_scene(app)
    assert play.session.level.id == level_id
    assert play.session.edits == 0 and play.session.selected == 0 and play.cards.briefing


# 1920×1080: the whole list shows and a click plays its row at once; 1280×720: the list
# scrolls and a click plays its row a moment later (a drag scrolls it instead).
@pytest.mark.parametrize("size", ["1920x1080", "1280x720"])
@pytest.mark.parametrize("gap", [0, 1, 20], ids=["same-frame", "next-frame", "a-third-of-a-second"])
def test_a_double_click_on_a_title_row_opens_the_level_and_does_nothing_in_it(size, gap):
    app = make_app(size=size)
    run(app, 2)
    row = title_row(app, "saddle")
    click(app, row.center)
    run(app, gap)
    click(app, row.center)
    run(app, 30)
    assert_untouched(app, "saddle")


@pytest.mark.parametrize("size", ["1920x1080", "1280x720"])
def test_a_double_tap_that_sdl_also_sends_as_clicks_opens_the_level_and_does_nothing_in_it(size):
    app = make_app(size=size)
    run(app, 2)
    at = title_row(app, "saddle").center
    for _ in range(2):  # each tap: SDL's click copy first, then the finger itself
        click(app, at, touch=True)
        finger(app, pygame.FINGERDOWN, at)
        finger(app, pygame.FINGERMOTION, (at[0] + 4, at[1] + 3))  # the finger wobbles a little
        finger(app, pygame.FINGERUP, (at[0] + 4, at[1] + 3))
        run(app, 1)
    run(app, 30)
    assert_untouched(app, "saddle")


def test_after_a_double_click_opened_a_level_a_new_press_acts_there():
    app = make_app(size="1920x1080")
    run(app, 2)
    at = title_row(app, "saddle").center
    click(app, at)
    run(app, 3)
    click(app, at)  # the end of the double click
    run(app, 3)
    play = play_scene(app)
    assert play.session.edits == 0
    map_area = play.geometry.layout.map
    elsewhere = (map_area.x + 80, map_area.bottom - 80)  # far from the first click: a new press
    click(app, elsewhere)
    run(app, 1)
    assert play.session.edits == 1
    assert np.allclose(play.session.ball.start[0], play.geometry.pixel_to_world(elsewhere))
    run(app, 40)  # long after the click that opened the level, a click on its spot is a click
    click(app, at)
    run(app, 1)
    assert play.session.edits == 2


def test_a_double_tap_on_the_optimizer_button_opens_the_list_without_choosing_from_it():
    app = touch_app()
    play = play_scene(app)
    at = button(app, Command.OPTIMIZER_MENU).center
    tap(app, at, frames=0)
    tap(app, at, frames=10)  # the list now has a button where the finger lands again
    assert play.bar.menu and play.session.ball.optimizer.name == "gd"
    tap(app, button(app, Command.OPTIMIZER, "momentum").center)
    assert not play.bar.menu and play.session.ball.optimizer.name == "momentum"


def test_a_key_that_opens_a_screen_does_not_act_in_it_nor_do_keys_pressed_with_it():
    app = make_app("--level", "saddle")
    run(app, 2)
    key(pygame.K_h)
    key(pygame.K_SPACE)  # the help closes on any key: not on one pressed with the H that opened it
    run(app, 1)
    assert isinstance(app.top, HelpScene)
    key(pygame.K_SPACE)  # nor in the next frame: it began before the help could be seen
    run(app, 2)
    assert isinstance(app.top, HelpScene)
    key(pygame.K_SPACE)  # once it has been seen, a key closes it
    run(app, 2)
    assert not isinstance(app.top, HelpScene) and not play_scene(app).session.playing
    key(pygame.K_ESCAPE)
    run(app, 3)
    key(pygame.K_RETURN)  # Enter plays the chosen level …
    key(pygame.K_RETURN)  # … and a second Enter with it does not put the card away
    run(app, 2)
    assert_untouched(app, "saddle")


def test_a_gamepad_button_hammered_on_the_title_opens_the_level_without_playing_it():
    from gdviz.ui.controls import PAD_A

    app = make_app(size="1920x1080")
    run(app, 2)
    for _ in range(2):
        pygame.event.post(pygame.event.Event(pygame.JOYBUTTONDOWN, button=PAD_A, joy=0, instance_id=0))
    run(app, 2)
    assert app.scenes[1] is play_scene(app) and not play_scene(app).session.playing


# --- the help fits every screen, and a finger reaches all of it ---------------------------------------


def help_area(app) -> pygame.Rect:
    """The help's area for the key list, as HelpScene.draw works it out."""
    from gdviz.ui import theme

    width, height = app.screen.get_size()
    title = max(min(theme.FONT_LARGE, height // 22), 14)
    top = 18 + app.look.font(title, True).get_linesize()
    return pygame.Rect(20, top, width - 40, height - 14 - app.look.font(max(title - 8, 11)).get_linesize() - top)


@pytest.mark.parametrize("size", ["800x480", "1024x600", "1920x1080"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_help_fits_the_screen_on_as_many_pages_as_it_needs_and_taps_walk_through_them(size, lang):
    from gdviz.ui.scenes.help import MIN_TEXT

    app = touch_app("--lang", lang, size=size)
    tap(app, button(app, Command.HELP).center)
    help_scene = app.top
    assert isinstance(help_scene, HelpScene)
    area = help_area(app)
    titled = help_scene.key_pages(app.look, area)
    assert [title for title, _ in titled][0] == "help.title_touch"  # the touch controls come first
    assert [row for title, page in titled for row in page] == touch_help_rows(lang) + help_rows(lang)
    pages = [page for _, page in titled]
    for page in pages:
        rows = -(-len(page) // (2 if area.width >= 900 else 1))
        size_used = help_scene.font_size(app.look, rows, area.height)
        assert size_used >= MIN_TEXT and app.look.font(size_used).get_linesize() * rows <= area.height
    assert help_scene.pages == len(help_scene.key_pages(app.look, help_area(app))) + 1
    assert help_scene.pages > 3 if size == "800x480" else size != "1920x1080" or help_scene.pages == 3
    if size != "800x480":
        return
    for page in range(1, help_scene.pages):  # by touch alone through every page, and out
        run(app, 31)  # reading (a tap within half a second on the same spot would be a double tap)
        tap(app, (20, 20))
        assert app.top is help_scene and help_scene.page == page
    run(app, 31)
    tap(app, (20, 20))
    assert not isinstance(app.top, HelpScene)
