"""Labels on the map, placed together: the balls' names and the numbers at arrow tips never
cover one another, a ball or a banner (the pause label, the step's numbers, a message), and
never run off the map's edge — on every shipped level, at the projector sizes of issue 13,
in English and Chinese, in normal and presenter mode. Measured from a real off-screen frame:
PlayView records where it drew each label."""

from __future__ import annotations

import itertools

import numpy as np
import pygame
import pytest
from helpers import make_app, play_scene, press, run

from gdviz.core.commands import Command
from gdviz.core.levels import builtin_levels_dir, load_levels
from gdviz.ui.scenes import play_balls

LEVELS = [level.id for level in load_levels(builtin_levels_dir())[0]]
SIZES = ("1280x720", "1024x600")


def check_labels(app) -> None:
    p = play_scene(app)
    area, radius = p.geometry.layout.map, p.geometry.sizes.ball
    labels = p.view.labels
    names = [rect for kind, rect in labels if kind == "name"]
    where = f"{p.session.level.id} at step {p.session.race.step_count}"
    if p.session.swarm is None:
        assert len(names) == len(p.session.race.balls), f"{where}: a ball's name was not drawn"
    for kind, rect in labels:
        assert area.contains(rect), f"{where}: a {kind} label {rect} runs off the map {area}"
    for (kind_a, a), (kind_b, b) in itertools.combinations(labels, 2):
        assert not a.colliderect(b), f"{where}: {kind_a} label {a} covers {kind_b} label {b}"
    banners = {name: rect for name, rect in p.view.placed.items() if rect.colliderect(area)}
    for kind, rect in labels:
        for name, banner in banners.items():
            assert not rect.colliderect(banner), f"{where}: a {kind} label {rect} is under the {name} {banner}"
    centres = p.geometry.to_pixels(np.array(p.session.display_positions()))
    for centre in centres:
        if not (np.isfinite(centre).all() and area.collidepoint(*centre)):
            continue
        ball = pygame.Rect(0, 0, 2 * radius + 2, 2 * radius + 2)
        ball.center = (int(centre[0]), int(centre[1]))
        for kind, rect in labels:
            assert not rect.colliderect(ball), f"{where}: a {kind} label {rect} covers a ball at {tuple(centre)}"


# Every (size, language, mode) combination, each level with two of them in turn: every
# combination meets at least four levels, at a quarter of the time of all of them on every level.
COMBINATIONS = [(size, lang, mode) for size in SIZES for lang in ("en", "zh") for mode in ("normal", "present")]
CASES = [(level, *COMBINATIONS[(i + shift) % len(COMBINATIONS)])
         for i, level in enumerate(LEVELS) for shift in (0, len(COMBINATIONS) // 2)]


@pytest.mark.parametrize("level, size, lang, mode", CASES)
def test_names_and_tip_numbers_cover_nothing_and_stay_on_the_map(level, size, lang, mode):
    extra = ("--present",) if mode == "present" else ()
    app = make_app("--level", level, "--lang", lang, *extra, size=size)
    run(app, 2)
    check_labels(app)  # at the start, the briefing up
    press(app, Command.PLAY_PAUSE, frames=2)  # (the briefing goes) and play …
    run(app, 20)
    press(app, Command.PLAY_PAUSE, frames=2)  # … then pause, the pause label on the map
    check_labels(app)
    for _ in range(3):
        press(app, Command.STEP, frames=1)
    check_labels(app)


def test_the_adam_pile_up_of_the_issue_is_gone():
    """The tester's case: adam at 1280×720, presenter, played 2.5 s then paused."""
    app = make_app("--level", "adam", "--present", size="1280x720")
    run(app, 2)
    press(app, Command.PLAY_PAUSE, frames=2)
    run(app, 150)
    press(app, Command.PLAY_PAUSE, frames=2)
    check_labels(app)


def test_a_name_is_always_drawn_even_where_everything_is_taken():
    """No free place: the name still goes beside its ball (never silently hidden)."""
    area = pygame.Rect(0, 0, 400, 300)
    taken = [area.copy()]
    rect, moved = play_balls._free_place(pygame.Rect(0, 0, 80, 20), (200.0, 150.0), 12, taken, area)
    assert moved and area.contains(rect)
