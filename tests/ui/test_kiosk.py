"""Kiosk and classroom: no way out but the chord, idle countdown, attract loop, recovery,
presenter mode, languages, settings, gamepads and exports — all through the real loop."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pygame
import pytest
from helpers import DT, make_app, play_scene, press, run
from PIL import Image

from gdviz import settings as settings_file
from gdviz.core.commands import Command
from gdviz.ui import hud, theme
from gdviz.ui.scenes.attract import AttractScene
from gdviz.ui.scenes.base import Scene
from gdviz.ui.scenes.countdown import CountdownScene
from gdviz.ui.scenes.pause import PauseScene
from gdviz.ui.layout import Sizes
from gdviz.ui.scenes.title import TitleScene

HOME = lambda: Path(os.environ["HOME"])  # noqa: E731 - the per-test home folder


def post(kind, **fields):
    pygame.event.post(pygame.event.Event(kind, **fields))


def key(code, mod=0, up=False):
    post(pygame.KEYUP if up else pygame.KEYDOWN, key=code, mod=mod, unicode="", scancode=0)


def seconds(app, secs):
    run(app, int(round(secs / DT)))


def write_settings(text: str) -> Path:
    path = HOME() / ".config" / "gdviz" / "settings.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# --- kiosk --------------------------------------------------------------------------------------


def test_kiosk_ignores_every_way_out_but_the_chord():
    app = make_app("--kiosk")
    run(app, 2)
    for code, mod in ((pygame.K_ESCAPE, 0), (pygame.K_q, pygame.KMOD_CTRL), (pygame.K_w, pygame.KMOD_CTRL),
                      (pygame.K_F4, pygame.KMOD_ALT), (pygame.K_ESCAPE, 0)):
        key(code, mod)
        key(code, mod, up=True)
        run(app, 2)
    post(pygame.QUIT)
    post(pygame.WINDOWCLOSE)
    run(app, 3)
    assert app.running and isinstance(app.scenes[0], TitleScene)


def test_operator_chord_must_be_held_for_two_seconds():
    app = make_app("--kiosk")
    run(app, 1)
    for code in (pygame.K_LCTRL, pygame.K_LALT, pygame.K_LSHIFT, pygame.K_q):
        key(code)
    seconds(app, 1.0)
    key(pygame.K_q, up=True)  # let go too early: nothing happens
    seconds(app, 2.0)
    assert app.running
    key(pygame.K_q)
    seconds(app, 2.1)
    assert not app.running


def test_idle_countdown_any_input_cancels_then_attract_loop():
    app = make_app("--kiosk", "--idle-seconds", "5")
    run(app, 1)
    seconds(app, 5.2)
    assert isinstance(app.top, CountdownScene)
    post(pygame.MOUSEMOTION, pos=(10, 10), rel=(3, 0), buttons=(0, 0, 0))
    run(app, 2)
    assert not any(isinstance(s, CountdownScene) for s in app.scenes)
    seconds(app, 5.2 + 10.2)
    assert isinstance(app.top, AttractScene)


@pytest.mark.parametrize("event", [
    (pygame.KEYDOWN, dict(key=pygame.K_a, mod=0, unicode="a", scancode=0)),
    (pygame.MOUSEBUTTONDOWN, dict(pos=(5, 5), button=3)),
    (pygame.MOUSEWHEEL, dict(x=0, y=1, flipped=False)),
    (pygame.JOYBUTTONDOWN, dict(button=9, joy=0, instance_id=0)),
    (pygame.JOYHATMOTION, dict(value=(0, 1), hat=0, joy=0, instance_id=0)),
])
def test_every_input_device_resets_the_idle_timer(event):
    app = make_app("--kiosk", "--idle-seconds", "5")
    run(app, 1)
    seconds(app, 4.0)
    post(event[0], **event[1])
    seconds(app, 4.0)
    assert not any(isinstance(s, CountdownScene) for s in app.scenes)


def test_attract_loop_cycles_levels_shows_step_mode_and_any_key_plays():
    write_settings('[attract]\nseconds_per_level = 6\nlevels = ["saddle", "ravine", "bowl-learning-rate"]\n')
    app = make_app("--kiosk", "--attract")
    attract = app.top
    assert isinstance(attract, AttractScene)
    seen, step_mode_seen = [], False
    for _ in range(int(19 / DT)):
        run(app, 1)
        seen.append(attract.play.session.level.id)
        step_mode_seen |= attract.play.session.step_mode is not None
    shown = [name for i, name in enumerate(seen) if i == 0 or seen[i - 1] != name]
    assert shown == ["saddle", "ravine", "bowl-learning-rate", "saddle"]
    assert step_mode_seen and attract.play.session.race.step_count > 0
    key(pygame.K_SPACE)
    run(app, 2)
    play = play_scene(app)
    assert play.session.level.id == attract.play.session.level.id and not play.session.demo


class _Broken(Scene):
    """A scene with a bug, standing in for any unexpected error inside a scene."""

    def update(self, dt):
        raise ZeroDivisionError("a bug")


def test_an_error_in_a_scene_is_logged_and_the_game_restarts_at_the_title(monkeypatch):
    monkeypatch.setenv("GDVIZ_STRICT", "0")
    app = make_app("--kiosk", "--level", "saddle")
    app.push(_Broken(app.ctx))
    run(app, 3)
    assert app.running and [type(s) for s in app.scenes] == [TitleScene]
    log = (HOME() / ".local/state/gdviz/log/gdviz.log").read_text()
    assert "ZeroDivisionError: a bug" in log and "_Broken" in log


# Thousands of frames of visitors mashing every key: tests/ui/test_fuzz.py (kiosk run).


# --- presenter, panels, languages -----------------------------------------------------------------


def test_presenter_mode_makes_everything_bigger_and_high_contrast():
    app = make_app("--level", "saddle", size="1280x720")
    run(app, 2)
    normal = play_scene(app).geometry.sizes
    press(app, Command.PRESENTER, frames=2)
    big = play_scene(app).geometry.sizes
    assert app.look.presenter and big.body > normal.body and big.ball > normal.ball and big.line >= normal.line
    assert app.look.colours.text == (255, 255, 255) and app.look.colours.background == (0, 0, 0)
    press(app, Command.PRESENTER, frames=1)
    assert play_scene(app).geometry.sizes == normal and not app.look.presenter


def test_present_flag_and_big_numbers_when_paused():
    app = make_app("--present", "--level", "ravine", size="1280x720")
    for _ in range(3):
        press(app, Command.STEP)
    assert app.look.presenter and Sizes.for_height(720, app.look.scale).body > 19
    area = play_scene(app).geometry.layout.map
    bottom = pygame.surfarray.array3d(app.screen.subsurface(area.x, area.bottom - 60, area.width, 50))
    assert (bottom.reshape(-1, 3).max(axis=1) < 30).mean() > 0.3  # the dark panel of big numbers
    assert isinstance(app.top, PauseScene)


def test_one_key_hides_and_restores_the_panels():
    app = make_app("--level", "saddle", size="1280x720")
    run(app, 2)
    press(app, Command.TOGGLE_HUD, frames=2)
    assert play_scene(app).geometry.layout.map.size == (1280, 720)
    press(app, Command.TOGGLE_HUD, frames=2)
    assert play_scene(app).geometry.layout.map.width < 1000


def test_language_switch_changes_the_text_and_is_remembered():
    app = make_app("--level", "saddle", size="1280x720")
    run(app, 2)
    press(app, Command.LANGUAGE, frames=2)
    assert app.look.lang == "zh" and "语言" in play_scene(app).toast.text
    assert 'language = "zh"' in (HOME() / ".config/gdviz/settings.toml").read_text()
    again = make_app()
    assert again.look.lang == "zh" and again.tr("title.subtitle") == "看梯度下降一步步滚下山"
    assert make_app("--lang", "en").look.lang == "en"  # the flag wins over the file


def test_every_string_fits_its_panel_in_both_languages_at_1280x720():
    from gdviz.ui import hud
    from gdviz.ui.controls import help_rows
    from gdviz.ui.scenes.play_cards import card_height, fit_in_panel
    from gdviz.ui.strings import STRINGS

    app = make_app("--level", "saddle", size="1280x720")
    run(app, 2)
    play = play_scene(app)
    for lang in ("en", "zh"):
        look = theme.Look(lang)
        map_width = play.geometry.layout.map.width - 40
        for key_, pair in STRINGS.items():
            text = pair[1 if lang == "zh" else 0].format_map(_Anything())
            assert len(hud.wrap(look, text, play.geometry.sizes.small, map_width)) <= 2, (lang, key_)
        for keys, text in help_rows(lang):
            assert look.font(16).size(text)[0] < 1240 // 2 * 0.7, (lang, keys)
        panel = play.geometry.layout.panel  # the briefing card stands in the panel's place, lesson and all
        for level in app.content.levels:
            rows = fit_in_panel(level, look, play.geometry.sizes, panel)
            assert level.lesson.get(lang) in [text for text, *_ in rows]
            assert card_height(look, rows, panel.width) <= panel.height, (lang, level.id)


class _Anything(dict):
    def __missing__(self, key):
        return "12345"


def test_chinese_screens_render_with_the_bundled_font(tmp_path):
    app = make_app("--lang", "zh", "--level", "adam", size="1280x720")
    press(app, Command.PLAY_PAUSE, frames=30)
    path = app.save_png(tmp_path / "zh.png")
    assert Image.open(path).size == (1280, 720)
    assert app.look.font(20).size("梯度")[0] > 30  # real glyphs, not empty boxes of zero width


# --- settings ----------------------------------------------------------------------------------------


def test_bad_settings_fall_back_to_defaults_with_one_line_each():
    write_settings('language = "fr"\nidle_seconds = -4\ncolour = 1\n[operator]\nkeys = ["ctrl", "nope"]\n'
                   '[presenter]\nscale = 2.0\n')
    config = settings_file.load()
    assert config.language == "en" and config.idle_seconds == 90 and config.presenter_scale == 2.0
    assert config.operator_keys == ("ctrl", "alt", "shift", "q")
    assert len(config.notices) == 4 and all("\n" not in n for n in config.notices)
    assert any("idle_seconds" in n for n in config.notices)


def test_a_broken_settings_file_is_moved_aside():
    path = write_settings("language = [[[")
    config = settings_file.load()
    assert config == settings_file.Settings()
    assert not path.exists() and len(list(path.parent.glob("settings.toml.corrupt-*"))) == 1


def test_settings_round_trip_and_flags_override():
    config = settings_file.Settings(language="zh", idle_seconds=30.0, attract_levels=("saddle",))
    path = HOME() / "s.toml"
    assert settings_file.save(config, path) == ""
    assert settings_file.load(path) == config
    app = make_app("--settings", str(path), "--idle-seconds", "12")
    assert app.config.idle_seconds == 12 and app.config.language == "zh"


# --- gamepads -------------------------------------------------------------------------------------------


def test_gamepad_buttons_and_dpad_drive_the_game():
    from gdviz.ui.controls import PAD_A, PAD_RB, PAD_Y

    app = make_app("--level", "saddle")
    run(app, 2)
    post(pygame.JOYHATMOTION, value=(1, 0), hat=0, joy=0, instance_id=0)
    run(app, 2)
    p = play_scene(app)
    assert p.session.race.step_count == 1
    lr = p.session.ball.optimizer.lr
    post(pygame.JOYBUTTONDOWN, button=PAD_RB, joy=0, instance_id=0)
    post(pygame.JOYBUTTONDOWN, button=PAD_Y, joy=0, instance_id=0)
    run(app, 2)
    assert p.session.ball.optimizer.lr > lr and p.session.ball.optimizer.name == "momentum"
    post(pygame.JOYBUTTONDOWN, button=PAD_A, joy=0, instance_id=0)
    run(app, 30)
    assert p.session.playing


def test_plugging_in_a_pad_that_is_not_there_does_not_crash():
    app = make_app()
    post(pygame.JOYDEVICEADDED, device_index=5)
    post(pygame.JOYDEVICEREMOVED, instance_id=5)
    run(app, 3)
    assert app.running and app.pads == {}


# --- exports ----------------------------------------------------------------------------------------------


def test_gif_recording_with_indicator_and_csv_table(tmp_path):
    app = make_app("--level", "saddle", "--export-dir", str(tmp_path), size="800x600")
    run(app, 2)
    press(app, Command.RECORD_GIF)
    assert app.recorder is not None
    press(app, Command.PLAY_PAUSE, frames=60)
    corner = pygame.surfarray.array3d(app.screen.subsurface(0, 0, 150, 40)).reshape(-1, 3)
    assert ((corner == theme.BAD).all(axis=1)).sum() > 20  # the red recording badge
    press(app, Command.RECORD_GIF)
    gifs = list(tmp_path.glob("*.gif"))
    assert len(gifs) == 1 and Image.open(gifs[0]).n_frames > 5
    assert gifs[0].name in play_scene(app).toast.text
    press(app, Command.EXPORT_CSV)
    table = list(csv.DictReader(io.StringIO(next(tmp_path.glob("*.csv")).read_text(encoding="utf-8-sig"))))
    steps = play_scene(app).session.race.step_count
    assert {"step", "ball", "optimizer", "x", "y", "loss"} <= set(table[0])
    assert len(table) == (steps + 1) * len(play_scene(app).session.race.balls)


def test_a_read_only_export_folder_gives_one_sentence_and_the_game_goes_on(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    app = make_app("--level", "saddle", "--export-dir", str(blocker / "inside"))
    run(app, 2)
    press(app, Command.SCREENSHOT)
    message = play_scene(app).toast.text
    assert message.startswith("could not save the screenshot") and "\n" not in message
    press(app, Command.STEP)
    assert play_scene(app).session.race.step_count == 1


def test_headless_gif_for_slides(tmp_path):
    import subprocess
    import sys

    gif = tmp_path / "slide.gif"
    result = subprocess.run([sys.executable, "main.py", "--headless", "--level", "saddle", "--frames", "90",
                             "--script", str(_script(tmp_path)), "--gif", str(gif)],
                            cwd=Path(__file__).parents[2], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert Image.open(gif).n_frames > 10


def _script(folder: Path) -> Path:
    path = folder / "go.txt"
    path.write_text("0.05 play\n")
    return path


def test_settings_problems_are_shown_on_the_title_screen(monkeypatch):
    write_settings("idle_seconds = -4\n")
    app = make_app()
    seen = []
    real = hud.draw_paragraph

    def spy(target, look, text, *args, **kwargs):  # records what is drawn, then draws it
        seen.append(text)
        return real(target, look, text, *args, **kwargs)

    monkeypatch.setattr(hud, "draw_paragraph", spy)
    run(app, 1)
    assert any("idle_seconds" in text for text in seen)


def test_the_language_key_remembers_only_the_language_not_this_runs_flags(tmp_path):
    app = make_app("--present", "--export-dir", str(tmp_path / "one-off"), "--level", "saddle")
    run(app, 2)
    press(app, Command.LANGUAGE)
    saved = settings_file.load()
    assert saved.language == "zh" and saved.export_dir == "" and not saved.presenter_on


def test_a_kiosk_visitors_language_and_presenter_choice_ends_with_the_attract_loop():
    app = make_app("--kiosk", "--idle-seconds", "5", "--level", "saddle")
    run(app, 2)
    press(app, Command.LANGUAGE)
    press(app, Command.PRESENTER)
    assert app.look.lang == "zh" and app.look.presenter
    assert not (HOME() / ".config/gdviz/settings.toml").exists()
    seconds(app, 16)
    assert isinstance(app.top, AttractScene) and app.look.lang == "en" and not app.look.presenter


def test_a_kiosk_saves_no_files():
    app = make_app("--kiosk", "--level", "saddle")
    run(app, 2)
    for command in (Command.SCREENSHOT, Command.EXPORT_CSV, Command.RECORD_GIF):
        press(app, command)
    assert app.recorder is None
    assert not [p for p in HOME().rglob("*") if p.suffix in (".png", ".csv", ".gif")]
