"""The game driven headless through its real loop: commands, rewind, pixels, levels, CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pygame
import pytest
from helpers import make_app, play_scene, press, run

from gdviz.core.commands import Command, Pixel
from gdviz.core.sim import DIVERGED, SETTLE_STEPS
from gdviz.ui import theme
from gdviz.ui.controls import BINDINGS, help_rows
from gdviz.ui.scenes.help import HelpScene
from gdviz.ui.scenes.play import PlayScene
from gdviz.ui.scenes.title import TitleScene

ROOT = Path(__file__).parents[2]
FIRST = "bowl-learning-rate"
OPEN = "saddle"  # a level that allows every optimizer


def observe(app) -> tuple:
    """Everything a player could notice, as one comparable value."""
    scenes = tuple(type(s).__name__ for s in app.scenes)
    title = next((s for s in app.scenes if isinstance(s, TitleScene)), None)
    shots = sorted(str(p) for p in Path(os.environ["HOME"]).rglob("*") if p.suffix in (".png", ".gif", ".csv"))
    state = (scenes, app.fullscreen, app.running, title and title.choice, tuple(shots), app.look, app.touch,
             app.recorder is not None)
    if not any(isinstance(s, PlayScene) for s in app.scenes):
        return state
    p = play_scene(app)
    balls = tuple((b.optimizer.name, tuple(sorted(b.optimizer.hyper.items())), b.start.tobytes(),
                   b.position.tobytes()) for b in p.session.race.balls)
    return state + (p.session.index, p.session.selected, p.session.speed, p.session.playing, tuple(vars(p.session.toggles).values()),
                    p.session.race.step_count, balls, p.session.step_mode and p.session.step_mode.index, p.session.swarm is not None)


def win_of(app):
    """The win the play scene is showing (its strip along the map's edge), or None."""
    return play_scene(app).cards.win


def in_level(*extra, level=OPEN):
    app = make_app("--level", level, *extra)
    run(app, 2)
    return app


def tuned_first():
    """The first 2-D level with the player's ball tuned to 0.1 (it starts too slow on purpose)."""
    app = in_level(level=FIRST)
    press(app, Command.SET_LR, 0.1)
    return app


def map_pixel(app) -> Pixel:
    rect = play_scene(app).geometry.layout.map
    return Pixel(rect.x + rect.width // 3, rect.y + rect.height // 3)


# Some commands need the game in a particular state before they can do anything.
SETUP = {
    Command.STEP_BACK: [(Command.STEP, None)],
    Command.RESET: [(Command.STEP, None)],
    Command.TOGGLE_BIAS: [(Command.OPTIMIZER, "adam")],
    Command.DECAY1_UP: [(Command.OPTIMIZER, "adam")],
    Command.DECAY1_DOWN: [(Command.OPTIMIZER, "adam")],
    Command.DECAY2_UP: [(Command.OPTIMIZER, "adam")],
    Command.DECAY2_DOWN: [(Command.OPTIMIZER, "adam")],
}
TITLE_ONLY = {Command.UP, Command.DOWN, Command.SELECT}


@pytest.mark.parametrize("binding", BINDINGS, ids=lambda b: f"{b.command.value}-{b.label}-{b.arg}")
def test_every_key_changes_something(binding):
    if binding.command in TITLE_ONLY:
        app = make_app()
        run(app, 1)
        if binding.command is Command.UP:
            press(app, Command.DOWN)
    else:
        app = in_level()
        for command, arg in SETUP.get(binding.command, []):
            press(app, command, arg)
        if binding.command is Command.OPTIMIZER and binding.arg == "gd":
            press(app, Command.OPTIMIZER, "adam")
    before = observe(app)
    press(app, binding.command, binding.arg)
    assert observe(app) != before, f"{binding.label} ({binding.command.value}) changed nothing"


@pytest.mark.parametrize("command", [Command.SET_START, Command.ADD_BALL_AT])
def test_clicks_change_something(command):
    app = in_level()
    before = observe(app)
    press(app, command, map_pixel(app))
    assert observe(app) != before


def test_window_close_quits():
    app = in_level()
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    run(app, 1)
    assert not app.running


def test_help_lists_every_binding_and_closes_on_any_key():
    rows = help_rows()
    described = " ".join(text for _, text in rows)
    for binding in BINDINGS:
        assert any(binding.label in keys.split(" / ") for keys, _ in rows)
    assert "adam" in described and "click" in " ".join(keys for keys, _ in rows)
    app = in_level()
    press(app, Command.HELP)
    assert isinstance(app.top, HelpScene)
    press(app, Command.RESET)
    assert not any(isinstance(s, HelpScene) for s in app.scenes)
    assert isinstance(app.scenes[1], PlayScene)


def test_rewind_restores_the_exact_state_after_playing():
    app = tuned_first()
    press(app, Command.PLAY_PAUSE, frames=240)  # the player's ball wins on the way; the race plays on
    assert win_of(app) is not None and play_scene(app).session.playing
    press(app, Command.PLAY_PAUSE)  # pause to look
    p = play_scene(app)
    before = [(b.position.tobytes(), b.status.tobytes(), b.steps) for b in p.session.race.balls]
    count = p.session.race.step_count
    for _ in range(15):
        press(app, Command.STEP)
    assert p.session.race.step_count == count + 15
    for _ in range(15):
        press(app, Command.STEP_BACK)
    assert [(b.position.tobytes(), b.status.tobytes(), b.steps) for b in p.session.race.balls] == before


def test_playing_moves_balls_and_flags_the_diverging_one():
    app = tuned_first()
    press(app, Command.PLAY_PAUSE, frames=240)
    assert win_of(app) is not None  # the player's ball got there first
    run(app, 240)  # the race plays on under the win strip
    p = play_scene(app)
    assert p.session.race.step_count >= 30
    assert any(b.status[0] == DIVERGED for b in p.session.race.balls)
    assert all(np.isfinite(b.position).all() for b in p.session.race.balls)


def ball_pixel_colour(app, index):
    p = play_scene(app)
    centre = p.geometry.to_pixels(p.session.race.balls[index].position[:1])[0]
    r = p.geometry.sizes.ball
    probe = (int(round(centre[0] - r * 0.7)), int(round(centre[1])))  # left of the number drawn in the ball
    return tuple(app.screen.get_at(probe))[:3]


def test_a_ball_is_drawn_where_the_core_says_it_is():
    app = in_level()
    press(app, Command.OPTIMIZER, "adam")
    press(app, Command.SET_START, (0.5, 0.8))
    press(app, Command.STEP, frames=30)
    p = play_scene(app)
    assert p.session.race.balls[p.session.selected].steps == 1
    assert ball_pixel_colour(app, p.session.selected) == theme.ball_colour(p.session.selected)


def test_terrain_has_many_colours():
    app = in_level()
    rect = play_scene(app).geometry.layout.map
    pixels = pygame.surfarray.array3d(app.screen.subsurface(rect))
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 100


def test_optimizer_swap_mid_run_keeps_the_ball_where_it_is():
    app = in_level()
    for _ in range(5):
        press(app, Command.STEP)
    p = play_scene(app)
    where = p.session.race.balls[0].position.copy()
    press(app, Command.OPTIMIZER, "momentum")
    assert p.session.race.balls[0].optimizer.name == "momentum"
    np.testing.assert_array_equal(p.session.race.balls[0].position, where)
    press(app, Command.STEP)
    assert not np.array_equal(p.session.race.balls[0].position, where)


def test_learning_rate_keys_move_along_familiar_values():
    app = in_level()
    p = play_scene(app)
    assert p.session.ball.optimizer.lr == 0.01
    press(app, Command.LR_UP)
    press(app, Command.LR_UP)
    assert p.session.ball.optimizer.lr == 0.02
    press(app, Command.LR_DOWN)
    assert p.session.ball.optimizer.lr == 0.015 and "0.015" in p.toast.text


def test_the_exact_learning_rate_box_sets_a_typed_rate_and_refuses_anything_else():
    from gdviz.ui.scenes.learning_rate import LearningRateScene

    app = in_level()
    p = play_scene(app)
    press(app, Command.SET_LR)
    box = app.top
    assert isinstance(box, LearningRateScene) and box.text == "0.01"
    for _ in range(4):
        press(app, Command.REMOVE_BALL)
    type_text(app, "abc")
    press(app, Command.SELECT)
    assert app.top is box and "not a number" in box.refusal.text("en") and p.session.ball.optimizer.lr == 0.01
    assert "不是数字" in box.refusal.text("zh")
    for _ in range(3):
        press(app, Command.REMOVE_BALL)
    type_text(app, "0.05")
    press(app, Command.SELECT)
    assert not isinstance(app.top, LearningRateScene) and p.session.ball.optimizer.lr == 0.05


def test_speed_stays_between_a_tenth_and_ten_times():
    app = in_level()
    p = play_scene(app)
    for _ in range(30):
        press(app, Command.FASTER)
    assert p.session.speed == pytest.approx(10.0)
    for _ in range(30):
        press(app, Command.SLOWER)
    assert p.session.speed == pytest.approx(0.1)


def test_step_by_step_plays_stages_across_step_boundaries_and_back():
    app = in_level()
    press(app, Command.OPTIMIZER, "adam")
    press(app, Command.STEP_MODE)
    p = play_scene(app)
    keys = [v.key for v in p.session.step_mode.views]
    assert keys[:3] == ["decay_m", "decay_v", "grad"] and keys[-1] == "move"
    captions = []
    for _ in range(len(keys) + 2):
        captions.append(p.session.step_mode.current.caption())
        press(app, Command.STEP)
    assert p.session.race.step_count == 1 and p.session.step_mode.index == 2
    assert any("0.9" in c for c in captions)
    for _ in range(len(keys) + 2):
        press(app, Command.STEP_BACK)
    assert p.session.race.step_count == 0 and p.session.step_mode.index == 0
    assert p.session.step_mode.current.caption() == captions[0]


def test_swarm_paints_basins_of_attraction():
    app = make_app("--level", "two-wells")
    run(app, 2)
    press(app, Command.OPTIMIZER, "gd")
    press(app, Command.SWARM)
    p = play_scene(app)
    for _ in range(400):
        run(app, 1)
        if p.session.swarm.basins is not None:
            break
    assert p.session.swarm.basins is not None
    assert len(set(p.session.swarm.basins.tolist()) - {-1, -2}) >= 2
    press(app, Command.SWARM)
    assert p.session.swarm is None


def test_one_d_level_puts_the_ball_on_the_curve():
    app = make_app("--level", "xcos-start-point")
    press(app, Command.STEP, frames=30)  # past the briefing card
    p = play_scene(app)
    assert p.session.level.surface.dims == 1
    ball = p.session.race.balls[p.session.selected]
    height = p.session.level.surface.value(ball.position[:1])[0]
    expected = p.geometry.viewport.to_screen(np.array([[ball.position[0, 0], height]]))[0]
    np.testing.assert_allclose(p.geometry.to_pixels(ball.position[:1])[0], expected)
    assert ball_pixel_colour(app, p.session.selected) == theme.ball_colour(p.session.selected)


@pytest.mark.parametrize("size", [(1024, 600), (1280, 720), (1920, 1080)])
def test_layout_has_no_overlaps_after_resizing(size):
    app = in_level()
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1], size=size))
    run(app, 2)
    assert app.screen.get_size() == size
    layout = play_scene(app).geometry.layout
    window = pygame.Rect(0, 0, *size)
    for a, b in ((layout.map, layout.panel), (layout.map, layout.footer), (layout.panel, layout.footer)):
        assert not a.colliderect(b)
    for rect in (layout.map, layout.panel, layout.footer):
        assert window.contains(rect)


def test_every_level_renders_a_screenshot(tmp_path):
    app = make_app()
    for index, level in enumerate(app.content.levels):
        app.top.start_level(index) if isinstance(app.top, TitleScene) else None
        press(app, Command.PLAY_PAUSE, frames=20)
        path = app.save_png(tmp_path / f"{level.id}.png")
        picture = pygame.image.load(str(path))
        assert picture.get_size() == (960, 540)
        press(app, Command.BACK)
        if not isinstance(app.top, TitleScene):
            press(app, Command.BACK)
        assert isinstance(app.top, TitleScene)


def test_screenshot_key_writes_a_png_into_the_export_folder(tmp_path):
    app = in_level("--export-dir", str(tmp_path / "shots"))
    press(app, Command.SCREENSHOT)
    files = list((tmp_path / "shots").glob("*.png"))
    assert len(files) == 1 and pygame.image.load(str(files[0])).get_size() == (960, 540)
    assert "saved" in play_scene(app).toast.text


# --- the command line, as a real process -------------------------------------------------------


def run_main(*args, env_changes=None, timeout=60):
    env = {k: v for k, v in os.environ.items() if k not in ("SDL_VIDEODRIVER", "DISPLAY", "WAYLAND_DISPLAY")}
    env.update(env_changes or {})
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_headless_frames_and_screenshot(tmp_path):
    shot = tmp_path / "shot.png"
    result = run_main("--headless", "--level", "saddle", "--frames", "30", "--screenshot", str(shot))
    assert result.returncode == 0, result.stderr
    assert pygame.image.load(str(shot)).get_size() == (1280, 720)


def test_script_file_drives_the_game(tmp_path):
    script = tmp_path / "demo.txt"
    script.write_text("# a demo\n0.1 play\n0.5 optimizer adam\n1.0 play\n1.1 lr_up\n")
    app = make_app("--level", OPEN, "--script", str(script))
    run(app, 80)
    p = play_scene(app)
    assert p.session.race.balls[p.session.selected].optimizer.name == "adam" and not p.session.playing
    assert p.session.race.step_count > 3


def test_bad_script_and_unknown_level_get_one_line(tmp_path):
    script = tmp_path / "bad.txt"
    script.write_text("0.5 jump\n")
    result = run_main("--headless", "--script", str(script), "--frames", "2")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "bad.txt:1" in result.stderr
    result = run_main("--headless", "--level", "nowhere", "--frames", "2")
    assert result.returncode == 2 and "unknown level 'nowhere'" in result.stderr


def test_without_a_screen_it_says_what_to_do():
    result = run_main("--frames", "2")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "--headless" in result.stderr
    assert "Traceback" not in result.stderr


def test_list_levels_prints_one_name_per_line():
    result = run_main("--list-levels")
    assert result.returncode == 0
    assert result.stdout.split()[:3] == ["line-learning-rate", FIRST, "xcos-start-point"]


@pytest.mark.parametrize("where, says", [("/nonexistent-levels", "does not exist"),
                                         ("/etc/hostname", "is a file, not a folder")])
def test_a_levels_folder_that_is_not_there_is_named_and_fails(where, says):
    """Before: "…: folder: is not a folder that can be read" for both, and exit status 0."""
    result = run_main("--levels-dir", where, "--list-levels")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == f"{where}: folder: {says}"


def test_winning_gives_stars_saves_progress_and_the_title_shows_them():
    app = tuned_first()
    press(app, Command.SET_LR, 0.2)  # the hint: 0.1, then double it
    press(app, Command.PLAY_PAUSE, frames=200)
    win = win_of(app)
    assert win is not None and win.won.stars == 3 and win.won.steps <= 7
    saved = json.loads((Path(os.environ["HOME"]) / ".local/share/gdviz/progress.json").read_text())
    assert saved["stars"] == {FIRST: 3} and saved["last_level"] == FIRST
    index = play_scene(app).session.index
    press(app, Command.SELECT)  # Enter: on to the next level
    assert play_scene(app).session.index == index + 1
    press(app, Command.BACK)  # one Esc leaves the level for the list
    assert isinstance(app.top, TitleScene)
    fresh = make_app()
    assert fresh.progress.stars == {FIRST: 3}


def test_fewer_stars_when_slower_than_par():
    from gdviz.core.session import stars_for

    assert [stars_for(s, 10) for s in (5, 10, 11, 20, 21, 40, 41)] == [3, 3, 2, 2, 1, 1, 0]
    app = tuned_first()
    press(app, Command.LR_DOWN)  # 0.07: a slower ball, more steps than par
    press(app, Command.PLAY_PAUSE, frames=1200)
    win = win_of(app)
    assert win.won.steps > 15 and win.won.stars < 3


def test_damaged_progress_is_moved_aside_and_the_game_starts_fresh():
    folder = Path(os.environ["HOME"]) / ".local/share/gdviz"
    folder.mkdir(parents=True)
    (folder / "progress.json").write_text("{ not json")
    app = make_app()
    run(app, 2)
    assert app.progress.stars == {} and "damaged" in app.progress.notice
    assert len(list(folder.glob("progress.json.corrupt-*"))) == 1


def test_the_title_says_first_that_progress_was_kept_aside_and_never_calls_it_a_level_file(monkeypatch):
    """Before: a settings notice and a progress notice were shown as "2 level files were
    skipped; the first: settings.toml: …", hiding that the stars had been kept aside."""
    from gdviz.ui import hud

    folder = Path(os.environ["HOME"]) / ".local/share/gdviz"
    folder.mkdir(parents=True)
    (folder / "progress.json").write_text("{ not json")
    config = Path(os.environ["HOME"]) / ".config/gdviz"
    config.mkdir(parents=True)
    (config / "settings.toml").write_text('my_note = "x"\n')
    drawn = []
    real = hud.draw_paragraph

    def spy(target, look, text, *rest, **named):
        drawn.append(text)
        return real(target, look, text, *rest, **named)

    monkeypatch.setattr(hud, "draw_paragraph", spy)
    app = make_app()
    run(app, 2)
    notice = next(text for text in drawn if "progress" in text or "settings" in text)
    assert "level files" not in notice and notice.startswith("2 things to know; the first: ")
    assert "damaged" in notice.split("the first: ", 1)[1]


def type_text(app, text):
    for ch in text:
        press(app, Command.TEXT, ch, frames=0)
    run(app, 1)


def test_function_box_shows_the_parser_message_and_changes_nothing_else():
    from gdviz.ui.scenes.function import FunctionScene

    app = in_level()
    before = observe(app)
    press(app, Command.FUNCTION)
    box = app.top
    assert isinstance(box, FunctionScene)
    type_text(app, "x**2 + foo")
    press(app, Command.SELECT)
    assert app.top is box and "foo" in box.refusal.text("en") and box.refusal.column == 8
    app.save_png(Path(os.environ["HOME"]) / "box.png")
    press(app, Command.BACK)
    assert observe(app)[:1] == before[:1] and observe(app)[5:] == before[5:]


def test_function_box_builds_a_level_and_plays_it():
    app = make_app()
    run(app, 1)
    press(app, Command.FUNCTION)
    type_text(app, "x**2 + 2*y^")
    press(app, Command.REMOVE_BALL)  # backspace the stray ^
    type_text(app, "^2")
    press(app, Command.STEP_BACK)
    press(app, Command.STEP)
    press(app, Command.SELECT)
    p = play_scene(app)
    assert p.session.level.id == "your-function" and p.session.level.surface.dims == 2
    assert p.session.level.surface.value([1.0, 1.0]) == 3.0
    press(app, Command.PLAY_PAUSE, frames=60)
    assert p.session.race.step_count > 0


def test_function_from_the_command_line(tmp_path):
    result = run_main("--headless", "--frames", "5", "--function", "x*cos(pi*x)")
    assert result.returncode == 0, result.stderr
    result = run_main("--headless", "--frames", "5", "--function", "__import__('os')")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "column" in result.stderr


# --- found by review: each of these failed before its fix --------------------------------------


def test_back_in_step_mode_after_an_edit_undoes_the_edit_without_stepping():
    app = in_level(level=FIRST)
    for _ in range(3):
        press(app, Command.STEP)
    press(app, Command.STEP_MODE)
    press(app, Command.LR_UP)
    p = play_scene(app)
    lr = p.session.ball.optimizer.lr
    press(app, Command.STEP_BACK)
    assert p.session.race.step_count == 3 and p.session.ball.optimizer.lr < lr and p.session.step_mode.index == 0


def test_stars_count_the_balls_own_steps_even_after_an_optimizer_swap():
    app = tuned_first()
    for _ in range(3):
        press(app, Command.STEP)
    press(app, Command.OPTIMIZER, "gd")  # same optimizer again: its own counter starts over
    press(app, Command.PLAY_PAUSE, frames=200)
    win = win_of(app)
    p = play_scene(app)
    ball = p.session.race.balls[p.session.selected]
    assert win.won.steps == ball.goal_since[0] == ball.moves - SETTLE_STEPS + 1 and win.won.steps > 3


def test_a_start_inside_the_goal_is_refused():
    app = in_level(level=FIRST)
    p = play_scene(app)
    before = p.session.ball.start.copy()
    press(app, Command.SET_START, tuple(p.session.race.goal.center))
    np.testing.assert_array_equal(p.session.ball.start, before)
    assert "green ring" in p.toast.text
    count = len(p.session.race.balls)
    press(app, Command.ADD_BALL_AT, tuple(p.session.race.goal.center))
    assert len(p.session.race.balls) == count


def test_esc_on_the_win_banner_goes_back_to_the_level_list():
    app = tuned_first()
    press(app, Command.PLAY_PAUSE, frames=200)
    assert win_of(app) is not None
    press(app, Command.BACK)
    assert isinstance(app.top, TitleScene)


def test_long_messages_wrap_inside_the_map(tmp_path):
    app = make_app("--level", OPEN, "--export-dir", str(tmp_path / ("a-rather-long-folder-name-" * 4)),
                   size="1280x720")
    run(app, 2)
    press(app, Command.PRESENTER)
    press(app, Command.SCREENSHOT)
    p = play_scene(app)
    from gdviz.ui import hud

    lines = hud.wrap(app.look, p.toast.text, p.geometry.sizes.body, p.geometry.layout.map.width - 60, bold=True)
    assert len(lines) <= 3 and all(hud.text_width(app.look, t, p.geometry.sizes.body, True) <= p.geometry.layout.map.width for t in lines)
    assert p.toast.text.endswith(".png") and "…" in p.toast.text  # the file name survives shortening


def test_only_one_typed_function_is_kept():
    app = make_app()
    run(app, 1)
    for text in ("x**2+y**2", "x**2+2*y**2"):
        while not isinstance(app.top, TitleScene):
            press(app, Command.BACK)
        press(app, Command.FUNCTION)
        type_text(app, text)
        press(app, Command.SELECT)
    ids = [lv.id for lv in app.content.levels]
    assert ids.count("your-function") == 1 and play_scene(app).session.level.surface.value([1.0, 1.0]) == 3.0


def test_the_swarm_follows_the_selected_balls_new_optimizer():
    app = in_level()
    press(app, Command.SWARM)
    press(app, Command.OPTIMIZER, "adam")
    assert play_scene(app).session.swarm.race.balls[0].optimizer.name == "adam"


def test_the_function_box_explains_in_chinese_too():
    app = make_app("--lang", "zh", "--level", OPEN)
    run(app, 2)
    press(app, Command.FUNCTION)
    type_text(app, "x + foo")
    press(app, Command.SELECT)
    box = app.top
    text = box.refusal.text(app.look.lang)
    assert "第 5 列" in text and "foo" in text and any(ord(ch) > 0x2E80 for ch in text)


def test_with_a_schedule_the_panel_shows_the_rate_in_use_next_to_the_base_rate():
    from gdviz.core.session import next_lr
    from gdviz.ui import hud
    from gdviz.ui.scenes.play_panel import _hyper_text

    app = in_level(level="schedules")
    p = play_scene(app)
    for _ in range(30):
        press(app, Command.STEP)
    ball = next(b for b in p.session.race.balls if b.schedule.kind != "constant")
    text = _hyper_text(ball, app.look)
    assert hud.fmt(ball.optimizer.lr) in text and f"this step {hud.fmt(next_lr(ball))}" in text
    assert next_lr(ball) != ball.optimizer.lr


def test_the_basin_map_has_its_own_colours_a_legend_and_neighbours_that_differ():
    from gdviz.ui import basin_map

    assert not set(basin_map.BASIN_PALETTE) & (set(theme.OPTIMIZER_COLOURS.values()) | set(theme.BALL_COLOURS))
    app = in_level(level="many-minima")
    press(app, Command.SWARM)
    p = play_scene(app)
    seen = []
    real = basin_map.draw_basin_legend

    def spy(target, look, area, found, size):
        seen.append(found)
        return real(target, look, area, found, size)

    basin_map.draw_basin_legend = spy
    try:
        for _ in range(100):
            run(app, 30)
            if p.session.swarm.basins is not None:
                break
        run(app, 300)  # long after the "basins" message has gone, the legend stays
    finally:
        basin_map.draw_basin_legend = real
    swarm = p.session.swarm
    assert swarm.basins is not None and seen and seen[-1] == len(swarm.minima) > 12
    columns, rows = swarm.area.grid
    labels = swarm.basins.reshape(rows, columns)
    colours = basin_map.colour_indices(labels, len(swarm.minima))
    for a, b in basin_map.touching_pairs(labels):
        assert colours[a] != colours[b]


# --- found by the review of the refactor: each failed before its fix ---------------------------------


def test_a_gif_recording_that_fills_up_ends_quietly_and_the_level_goes_on(tmp_path):
    app = make_app("--level", OPEN, "--export-dir", str(tmp_path))
    run(app, 2)
    press(app, Command.RECORD_GIF)
    app.exports.recorder.max_seconds = 0.5  # a short clip fills up within a second of play
    press(app, Command.PLAY_PAUSE, frames=60)
    assert app.recorder is None and isinstance(app.scenes[1], PlayScene)
    assert len(list(tmp_path.glob("*.gif"))) == 1 and ".gif" in play_scene(app).toast.text


def test_esc_from_a_level_given_on_the_command_line_highlights_that_level():
    app = in_level(level=OPEN)
    press(app, Command.BACK)
    title = app.top
    assert isinstance(title, TitleScene) and title.levels[title.choice].id == OPEN


def test_a_scripted_swarm_with_an_argument_still_covers_the_visible_map():
    app = in_level()
    press(app, Command.SWARM, "3")
    p = play_scene(app)
    visible = p.geometry.viewport
    assert visible == p.geometry.home  # a swarm is never shown panned
    assert p.session.swarm.area.bounds == (visible.xlim, visible.ylim)


def test_a_swarm_that_finds_no_valley_bottom_shows_a_grey_map_instead_of_crashing():
    from gdviz.ui import basin_map

    labels = np.full((4, 5), -1)
    labels[0, 0] = -2
    rgb = basin_map.basin_rgb(labels, 0)
    assert tuple(rgb[1, 1]) == basin_map.NOT_SETTLED and tuple(rgb[0, 0]) == basin_map.FLEW_OFF


@pytest.mark.parametrize("where", ["/dev/null", "a-file"])
def test_an_export_folder_from_the_settings_file_that_cannot_be_used_is_said_at_start(where):
    """Before: the game started without a word and S then said 'could not save … File exists'.
    (--export-dir on the command line is refused before the run, with exit status 2.)"""
    home = Path(os.environ["HOME"])
    (home / "a-file").parent.mkdir(parents=True, exist_ok=True)
    (home / "a-file").write_text("not a folder")
    config = home / ".config/gdviz"
    config.mkdir(parents=True)
    target = where if where.startswith("/") else str(home / where)
    (config / "settings.toml").write_text(f'export_dir = "{target}"\n')
    app = make_app()
    assert any(notice.startswith(f"export_dir {target}: ") and "cannot be saved" in notice
               for notice in app.config.notices)
