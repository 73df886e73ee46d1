"""Showing frames cheaply (issue 14): only changed tiles are pushed, and a still game rests.

The pixels are real off-screen surfaces; the Pacer's clock is a stand-in clock so that a test
can say "half a second later" without waiting for it (speed itself is measured by
`python -m gdviz.bench`, never by timed assertions)."""

from __future__ import annotations

import pygame
import pytest
from helpers import make_app

from gdviz.ui.pacing import IDLE_AFTER_SECONDS, IDLE_FPS, INPUT_POLL_SECONDS, TILE, FramePusher, Pacer


def _surface(size=(640, 360)) -> pygame.Surface:
    surface = pygame.Surface(size, depth=32)
    surface.fill((20, 30, 40))
    return surface


def _covered(rects: list[pygame.Rect], point: tuple[int, int]) -> bool:
    return any(r.collidepoint(point) for r in rects)


def test_the_first_frame_goes_whole_then_nothing_when_nothing_changed():
    pusher, surface = FramePusher(), _surface()
    assert pusher.changed_rects(surface) is None  # whole
    assert pusher.changed_rects(surface) == []


@pytest.mark.parametrize("spot", [(0, 0), (639, 359), (64, 64), (63, 63), (300, 200), (639, 0)])
def test_a_changed_pixel_anywhere_is_pushed_and_little_else(spot):
    pusher, surface = FramePusher(), _surface()
    pusher.changed_rects(surface)
    surface.set_at(spot, (255, 255, 255))
    rects = pusher.changed_rects(surface)
    assert _covered(rects, spot)
    assert sum(r.width * r.height for r in rects) <= TILE * TILE
    assert all(surface.get_rect().contains(r) for r in rects)


def test_a_moving_ball_pushes_its_old_and_new_place_only():
    pusher, surface = FramePusher(), _surface((1920, 1080))
    pygame.draw.circle(surface, (230, 120, 0), (500, 500), 12)
    pusher.changed_rects(surface)
    surface.fill((20, 30, 40))
    pygame.draw.circle(surface, (230, 120, 0), (530, 510), 12)
    rects = pusher.changed_rects(surface)
    assert _covered(rects, (500, 500)) and _covered(rects, (530, 510))
    assert sum(r.width * r.height for r in rects) < 0.01 * 1920 * 1080


def test_every_changed_pixel_is_inside_a_pushed_rectangle():
    """Whatever drew what: the pushed rectangles cover every difference, so nothing stale stays."""
    import numpy as np

    rng = np.random.default_rng(3)
    pusher, surface = FramePusher(), _surface()
    pusher.changed_rects(surface)
    before = pygame.surfarray.array2d(surface)
    for _ in range(40):
        x, y = int(rng.integers(0, 640)), int(rng.integers(0, 360))
        surface.set_at((x, y), (int(rng.integers(0, 255)), 0, 0))
    after = pygame.surfarray.array2d(surface)
    rects = pusher.changed_rects(surface)
    for x, y in zip(*np.nonzero(before != after)):
        assert _covered(rects, (int(x), int(y)))


def test_a_new_size_or_a_forced_repaint_goes_whole():
    pusher = FramePusher()
    pusher.changed_rects(_surface())
    assert pusher.changed_rects(_surface((800, 480))) is None
    pusher.force_full = True
    assert pusher.changed_rects(_surface((800, 480))) is None
    assert pusher.changed_rects(_surface((800, 480))) == []


def test_a_surface_that_is_not_32_bit_always_goes_whole():
    pusher = FramePusher()
    surface = pygame.Surface((100, 100), depth=16)
    assert pusher.changed_rects(surface) is None and pusher.changed_rects(surface) is None


class _Time:
    """A clock that moves only when the Pacer sleeps (or a test says so)."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_frames_keep_the_rate_while_the_picture_changes():
    t = _Time()
    pacer = Pacer(60, pending=lambda: False, clock=t.clock, sleep=t.sleep)
    dts = []
    for _ in range(120):
        t.now += 0.004  # the frame's work
        dts.append(pacer.wait())
        pacer.shown(True)
    assert all(abs(dt - 1 / 60) < 1e-9 for dt in dts[1:])
    assert not pacer.resting


def test_a_still_picture_rests_after_half_a_second_at_a_few_frames_a_second():
    t = _Time()
    pacer = Pacer(60, pending=lambda: False, clock=t.clock, sleep=t.sleep)
    waited = []
    for _ in range(60):
        waited.append(pacer.wait())
        pacer.shown(False)
    assert pacer.resting
    resting = [dt for dt in waited if dt > 0.1]
    assert resting and all(abs(dt - 1 / IDLE_FPS) < 1e-9 for dt in resting)
    fast = [dt for dt in waited if dt < 0.1]
    assert sum(fast) == pytest.approx(IDLE_AFTER_SECONDS, abs=2 / 60)
    assert max(t.slept) <= INPUT_POLL_SECONDS + 1e-12, "resting still looks for input often"


def test_input_wakes_a_resting_game_at_once():
    t = _Time()
    waiting = [False]
    pacer = Pacer(60, pending=lambda: waiting[0], clock=t.clock, sleep=t.sleep)
    for _ in range(60):
        pacer.wait()
        pacer.shown(False)
    assert pacer.resting
    waiting[0] = True
    assert pacer.wait() < 1e-9  # no sleeping at all: the event is handled this frame
    pacer.shown(True)  # the input changed the picture
    assert not pacer.resting


def test_a_changed_pixel_ends_the_rest_and_wake_does_too():
    t = _Time()
    pacer = Pacer(60, pending=lambda: False, clock=t.clock, sleep=t.sleep)
    for _ in range(60):
        pacer.wait()
        pacer.shown(False)
    pacer.wake()
    assert not pacer.resting
    assert pacer.wait() <= 1 / 60 + 1e-9


def test_a_slow_frame_is_not_caught_up_with_a_burst():
    t = _Time()
    pacer = Pacer(60, pending=lambda: False, clock=t.clock, sleep=t.sleep)
    pacer.wait()
    t.now += 0.5  # one frame took half a second
    pacer.wait()
    quick = [pacer.wait() for _ in range(5)]
    assert all(dt == pytest.approx(1 / 60) for dt in quick)


def test_the_game_rests_when_paused_and_not_while_recording(monkeypatch):
    """In a (dummy-driver) window the App pushes through the FramePusher and tells the Pacer."""
    app = make_app("--level", "saddle")
    monkeypatch.setattr(app, "headless", False)
    app.pusher.force_full = True
    app.draw()
    app.draw()
    assert app.pushed_pixels == 0 and app.pacer.still_since is not None  # nothing moved
    app.exports.start_recording()
    app.draw(1 / 60)
    assert app.pacer.still_since is None, "a recording needs every frame"
