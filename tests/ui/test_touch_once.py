"""One touch acts once even when the system also sends it as a mouse click it does not mark.

X11 and Windows can send their own mouse click for a tap, with `touch=False` (pygame-ce #1514,
SDL #14656), before or after the finger events, in the same frame or the next. The game takes
the other device's press near the same place within SAME_TOUCH_SECONDS for the same touch —
while the mouse on its own, a click far away, and a real second tap all still act.
"""

from __future__ import annotations

import os

import pygame
import pytest
from helpers import play_scene, run
from test_touch import button, finger, touch_app

from gdviz.core.commands import Command, Pixel
from gdviz.ui.pointer import SAME_TOUCH_SECONDS, Pointer


def mouse(kind: int, at, **more) -> None:
    """A mouse event as X11 or Windows sends its own copy of a touch: not marked as one."""
    pygame.event.post(pygame.event.Event(kind, pos=tuple(at), button=1, touch=False, **more))


def mouse_click(at) -> None:
    mouse(pygame.MOUSEMOTION, at, rel=(0, 0), buttons=(0, 0, 0))
    mouse(pygame.MOUSEBUTTONDOWN, at)
    mouse(pygame.MOUSEBUTTONUP, at)


def finger_tap(app, at) -> None:
    finger(app, pygame.FINGERDOWN, at)
    finger(app, pygame.FINGERUP, at)


def lr_of(app) -> float:
    return play_scene(app).session.ball.optimizer.lr


# How a tap may arrive: the finger and the system's click, in either order, in one frame or two.
def finger_then_click_same_frame(app, at) -> None:
    finger_tap(app, at)
    mouse_click(at)
    run(app, 2)


def finger_then_click_next_frame(app, at) -> None:
    finger_tap(app, at)
    run(app, 1)
    mouse_click((at[0] + 3, at[1] - 2))  # (the system's copy may land a pixel or two away)
    run(app, 2)


def click_then_finger_same_frame(app, at) -> None:
    mouse_click(at)
    finger_tap(app, at)
    run(app, 2)


def interleaved(app, at) -> None:
    mouse(pygame.MOUSEBUTTONDOWN, at)
    finger(app, pygame.FINGERDOWN, at)
    run(app, 1)
    finger(app, pygame.FINGERUP, at)
    run(app, 1)
    mouse(pygame.MOUSEBUTTONUP, at)
    run(app, 2)


ARRIVALS = [finger_then_click_same_frame, finger_then_click_next_frame, click_then_finger_same_frame, interleaved]


@pytest.mark.parametrize("arrive", ARRIVALS, ids=lambda f: f.__name__)
def test_one_tap_on_plus_raises_the_rate_once(arrive):
    app = touch_app()
    before = lr_of(app)
    arrive(app, button(app, Command.LR_UP).center)
    once = lr_of(app)
    assert once > before
    app2 = touch_app()
    finger_tap(app2, button(app2, Command.LR_UP).center)
    run(app2, 2)
    assert lr_of(app2) == once  # the same as a tap that came only as a finger


@pytest.mark.parametrize("arrive", ARRIVALS, ids=lambda f: f.__name__)
def test_one_tap_on_play_toggles_once_and_one_tap_on_step_steps_once(arrive):
    app = touch_app()
    play = play_scene(app)
    was = play.session.playing
    arrive(app, button(app, Command.PLAY_PAUSE).center)
    assert play.session.playing != was
    arrive(app, button(app, Command.PLAY_PAUSE).center)  # (a second tap, later: back again)
    assert play.session.playing == was
    run(app, 40)
    steps = play.session.race.step_count
    arrive(app, button(app, Command.STEP).center)
    assert play.session.race.step_count == steps + 1


def test_the_mouse_on_its_own_still_acts_each_click():
    app = touch_app()
    at = button(app, Command.LR_UP).center
    rates = [lr_of(app)]
    for _ in range(2):
        mouse_click(at)
        run(app, 40)
        rates.append(lr_of(app))
    assert rates[0] < rates[1] < rates[2]


def test_a_finger_then_a_click_far_away_both_act():
    app = touch_app()
    play = play_scene(app)
    before, was = lr_of(app), play.session.playing
    finger_tap(app, button(app, Command.LR_UP).center)
    mouse_click(button(app, Command.PLAY_PAUSE).center)
    run(app, 2)
    assert lr_of(app) > before and play.session.playing != was


def test_a_real_second_tap_of_a_finger_acts_again():
    app = touch_app()
    at = button(app, Command.LR_UP).center
    rates = [lr_of(app)]
    for _ in range(2):
        finger_tap(app, at)
        mouse_click(at)  # each tap with its copy
        run(app, 20)  # a third of a second apart
        rates.append(lr_of(app))
    assert rates[0] < rates[1] < rates[2]


def test_a_copy_is_the_press_near_the_other_devices_contact_soon_after_it():
    pointer, size, reach = Pointer(), (800, 480), 29
    down = pygame.event.Event(pygame.FINGERDOWN, x=0.5, y=0.5, touch_id=7, finger_id=0)
    assert pointer.feed(down, size, 0.0, reach).kind == "press"
    up = pygame.event.Event(pygame.FINGERUP, x=0.5, y=0.5, touch_id=7, finger_id=0)
    assert pointer.feed(up, size, 0.1, reach).kind == "release"
    near = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(400 + reach - 1, 240), button=1, touch=False)
    assert pointer.feed(near, size, 0.1 + SAME_TOUCH_SECONDS * 0.9, reach) is None
    motion = pygame.event.Event(pygame.MOUSEMOTION, pos=(500, 300), rel=(0, 0), buttons=(1, 0, 0), touch=False)
    assert pointer.feed(motion, size, 0.7, reach) is None  # the copy's drag and release are ignored too
    release = pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(500, 300), button=1, touch=False)
    assert pointer.feed(release, size, 0.7, reach) is None
    assert pointer.copies_touch(Pixel(400, 240), 0.3, reach) and not pointer.copies_touch(Pixel(400, 240), 0.7, reach)
    later = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(400, 240), button=1, touch=False)
    assert pointer.feed(later, size, 0.1 + SAME_TOUCH_SECONDS + 0.01, reach).kind == "press"


def test_sdl_is_asked_not_to_copy_touches_as_mouse_events():
    touch_app()
    assert os.environ.get("SDL_TOUCH_MOUSE_EVENTS") == "0"
