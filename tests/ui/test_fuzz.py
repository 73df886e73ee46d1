"""Seeded input fuzzing of the real app: keys with modifiers, clicks and drags anywhere,
wheel, resizes from 320x240 to 3840x2160, typed text (Chinese too) and gamepad events.

After every frame: no exception (tests run with GDVIZ_STRICT=1, so errors are not
swallowed), no "nan"/"inf" in any text drawn, every ball finite or flagged diverged.
`pytest -m slow` runs longer streams.
"""

from __future__ import annotations

import math
import random
import re

import numpy as np
import pygame
import pytest
from helpers import DT, make_app, play_scene

from gdviz.core.commands import Action, Command
from gdviz.core.sim import DIVERGED
from gdviz.ui import hud
from gdviz.ui.controls import PAD_B
from gdviz.ui.scenes.play import PlayScene

ALL_KEYS = sorted({getattr(pygame, n) for n in dir(pygame) if n.startswith("K_")})
# Outside kiosk mode Esc on the title screen quits, as it should; the kiosk run keeps it.
KEYS = [k for k in ALL_KEYS if k != pygame.K_ESCAPE]
MODS = [0, pygame.KMOD_SHIFT, pygame.KMOD_LSHIFT, pygame.KMOD_CTRL, pygame.KMOD_ALT,
        pygame.KMOD_CTRL | pygame.KMOD_SHIFT, pygame.KMOD_ALT | pygame.KMOD_SHIFT]
SIZES = [(320, 240), (640, 360), (800, 600), (1024, 600), (1280, 720), (1920, 1080), (3840, 2160)]
TEXT = list("xy+-*/^()0123456789. episncota") + ["梯度", "下降", "，", "𝑥", "\u200b", "é"]


def random_event(rng: random.Random, size: tuple[int, int], keys: list[int] = KEYS) -> pygame.event.Event | None:
    """One random input event; positions may be off the window on purpose."""
    roll = rng.random()
    w, h = size
    pos = (rng.randint(-200, w + 200), rng.randint(-200, h + 200))
    if roll < 0.45:  # a press; its release is posted right after, as a real keyboard does
        return pygame.event.Event(pygame.KEYDOWN, key=rng.choice(keys), mod=rng.choice(MODS), unicode="",
                                  scancode=0)
    if roll < 0.55:
        return pygame.event.Event(pygame.TEXTINPUT, text=rng.choice(TEXT))
    if roll < 0.65:
        return pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=rng.randint(1, 7))
    if roll < 0.72:
        return pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(rng.randint(-50, 50), 3),
                                  buttons=(rng.randint(0, 1), 0, 0))
    if roll < 0.76:
        return pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1)
    if roll < 0.80:
        return pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=rng.choice([-3, -1, 1, 3]), flipped=False)
    if roll < 0.88:
        button = rng.randint(0, 15)
        if pygame.K_ESCAPE not in keys and button == PAD_B:
            return None  # pad B is Esc: outside kiosk mode it may quit from the title
        return pygame.event.Event(pygame.JOYBUTTONDOWN, button=button, joy=0, instance_id=0)
    if roll < 0.93:
        return pygame.event.Event(pygame.JOYHATMOTION, value=(rng.randint(-1, 1), rng.randint(-1, 1)), hat=0,
                                  joy=0, instance_id=0)
    if roll < 0.96:
        return pygame.event.Event(pygame.JOYAXISMOTION, value=rng.uniform(-1, 1), axis=rng.randint(0, 5),
                                  joy=0, instance_id=0)
    # Fingers (the control bar, taps, drags, two fingers at once): positions normalised 0..1
    # by SDL, sometimes just outside; a tap's FINGERUP may never come.
    kind = rng.choice((pygame.FINGERDOWN, pygame.FINGERDOWN, pygame.FINGERMOTION, pygame.FINGERUP))
    return pygame.event.Event(kind, x=rng.uniform(-0.05, 1.05), y=rng.uniform(-0.05, 1.05),
                              dx=rng.uniform(-0.1, 0.1), dy=rng.uniform(-0.1, 0.1), touch_id=1,
                              finger_id=rng.randint(0, 1), pressure=1.0)


class TextSpy:
    """Remembers every string rendered for the screen during a frame (then renders it as usual).

    Every piece of HUD text — labels, panels, messages, captions — goes through
    TextCache.render, so watching it sees all of them.
    """

    def __init__(self, monkeypatch) -> None:
        self.seen: list[str] = []
        real = hud.TextCache.render

        def spy(cache, look, text, size, colour=None, bold=False, mono=False, *args, **kwargs):
            if not mono:  # monospaced text is what the player typed into the function box
                self.seen.append(text)
            return real(cache, look, text, size, colour, bold, mono, *args, **kwargs)

        monkeypatch.setattr(hud.TextCache, "render", spy)


NOT_A_NUMBER = re.compile(r"(?<![a-z])(nan|inf|infinity)(?![a-z])", re.IGNORECASE)
QUOTED = re.compile(r"'[^']*'|‘[^’]*’|“[^”]*”")  # parser messages quote what was typed


def shows_a_bad_number(text: str) -> bool:
    return bool(NOT_A_NUMBER.search(QUOTED.sub("", text)))


def check_invariants(app, spy: TextSpy) -> None:
    assert app.running and app.scenes
    bad = [t for t in spy.seen if shows_a_bad_number(t)]
    assert not bad, bad
    spy.seen.clear()
    for scene in app.scenes:
        if isinstance(scene, PlayScene):
            for ball in scene.session.race.balls:
                finite = np.isfinite(ball.position).all(axis=1)
                assert (finite | (ball.status == DIVERGED)).all()


def fuzz(seed: int, frames: int, monkeypatch, kiosk: bool = False) -> tuple:
    """Drive the app with a seeded stream; return a fingerprint of the end state."""
    rng = random.Random(seed)
    spy = TextSpy(monkeypatch)
    app = make_app("--level", "saddle", *(["--kiosk", "--idle-seconds", "30"] if kiosk else []), size="640x360")
    size = app.screen.get_size()
    keys = ALL_KEYS if kiosk else KEYS
    for frame in range(frames):
        for _ in range(rng.choice([0, 0, 1, 1, 2, 4])):
            event = random_event(rng, size, keys)
            if event is not None:
                pygame.event.post(event)
                if event.type == pygame.KEYDOWN:
                    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=event.key, mod=event.mod, scancode=0))
        if frame % 600 == 599:  # resizes are rare: each one rebuilds the terrain
            size = rng.choice(SIZES)
            pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1], size=size))
        app.frame(DT)
        check_invariants(app, spy)
    return final_check(app)


def final_check(app) -> tuple:
    """The game still obeys a scripted Command at the end; return a fingerprint."""
    from gdviz.ui.scenes.title import TitleScene

    app.restart_at_title()
    app.top.start_level(0)
    app.frame(DT)
    play = play_scene(app)
    before = play.session.race.step_count
    app.dispatch(Action(Command.STEP))
    app.frame(DT)
    assert play_scene(app).session.race.step_count == before + 1
    assert isinstance(app.scenes[0], TitleScene)
    return (app.frame_count, app.screen.get_size())


@pytest.mark.parametrize("seed", [1, 2])
def test_fuzzed_input_for_2000_frames(seed, monkeypatch):
    assert fuzz(seed, 2000, monkeypatch)[0] == 2002


def test_fuzzed_kiosk_with_every_key_for_2000_frames(monkeypatch):
    assert fuzz(3, 2000, monkeypatch, kiosk=True)[0] == 2002


def test_the_same_seed_replays_the_same_run(monkeypatch):
    def fingerprint():
        rng = random.Random(11)
        app = make_app("--level", "saddle", size="640x360")
        for _ in range(800):
            for _ in range(rng.choice([0, 1, 2])):
                event = random_event(rng, (640, 360))
                if event is not None:
                    pygame.event.post(event)
            app.frame(DT)
        play = next((s for s in app.scenes if isinstance(s, PlayScene)), None)
        scenes = tuple(type(s).__name__ for s in app.scenes)
        if play is None:
            return scenes, None
        return scenes, play.session.index, play.session.race.step_count, tuple(b.position.tobytes() for b in play.session.race.balls)

    assert fingerprint() == fingerprint()


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(10, 20))
@pytest.mark.parametrize("kiosk", [False, True])
def test_fuzzed_input_for_30000_frames(seed, kiosk, monkeypatch):
    assert fuzz(seed, 30000, monkeypatch, kiosk)[0] == 30002


def test_the_spy_would_catch_a_nan():
    assert shows_a_bad_number("(nan, 1)") and shows_a_bad_number("loss=inf") and shows_a_bad_number("-Infinity")
    assert not shows_a_bad_number("information") and not shows_a_bad_number("banana")
    assert not shows_a_bad_number("unknown name 'p7nan' at column 3")  # the player's own typing


def test_numbers_are_never_shown_as_nan_or_inf():
    assert hud.fmt(math.nan) == "—" and hud.fmt(math.inf) == "—" and hud.fmt(-math.inf) == "—"
    assert "nan" not in hud.fmt_vec(np.array([math.nan, 1.0]))
