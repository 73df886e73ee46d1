"""Ball names and display settings in level files: read, checked, shipped in both languages."""

from __future__ import annotations

import pytest

from gdviz.core.levels import builtin_levels_dir, load_level, load_levels
from gdviz.core.session import PlaySession

LEVEL = """\
title = {{ en = "T", zh = "题" }}
lesson = {{ en = "L", zh = "课" }}
[surface]
name = "bowl"
[[ball]]
label = "gd"
{name}
optimizer = "gd"
hyper = {{ lr = 0.1 }}
[[ball]]
label = "adam"
optimizer = "adam"
{show}
[check]
steps = 10
[[check.expect]]
ball = "gd"
quantity = "loss"
below = 100
"""

# The levels about the squared-gradient accumulator: Adam at the saddle and in the banana
# valley (it divides by the size of recent slopes), AdaGrad and RMSProp, Adam, bias correction.
SQUARES_LEVELS = {"saddle", "rosenbrock", "adagrad-vs-rmsprop", "adam", "bias-correction"}


def test_every_shipped_ball_has_a_name_in_both_languages():
    levels, errors = load_levels(builtin_levels_dir())
    assert errors == []
    for level in levels:
        for ball in level.balls:
            name = level.ball_name(ball.label)
            assert name is not None and name.en and name.zh, (level.id, ball.label)
            assert "\n" not in name.en + name.zh


def test_a_name_is_read_in_both_languages_and_a_ball_without_one_has_none(tmp_path):
    path = tmp_path / "named.toml"
    path.write_text(LEVEL.format(name='name = { en = "plain GD", zh = "梯度下降" }', show=""), encoding="utf-8")
    level = load_level(path)
    assert level.ball_name("gd").get("en") == "plain GD" and level.ball_name("gd").get("zh") == "梯度下降"
    assert level.ball_name("adam") is None  # the game shows the label instead
    assert level.show_squares is False


def test_a_plain_string_name_is_english_and_chinese_falls_back_to_it(tmp_path):
    path = tmp_path / "plain.toml"
    path.write_text(LEVEL.format(name='name = "slow one"', show=""), encoding="utf-8")
    assert load_level(path).ball_name("gd").get("zh") == "slow one"


@pytest.mark.parametrize("on", [True, False])
def test_show_squares_starts_the_level_with_its_squares_toggle(tmp_path, on):
    path = tmp_path / "show.toml"
    path.write_text(LEVEL.format(name="", show=f"[show]\nsquares = {str(on).lower()}"), encoding="utf-8")
    level = load_level(path)
    assert level.show_squares is on
    assert PlaySession([level], 0).toggles.squares is on


def test_the_adaptive_levels_show_their_squares_and_a_new_level_sets_the_toggle_afresh():
    levels, _ = load_levels(builtin_levels_dir())
    assert {lv.id for lv in levels if lv.show_squares} == SQUARES_LEVELS
    session = PlaySession(levels, [lv.id for lv in levels].index("adam"))
    assert session.toggles.squares
    session.load([lv.id for lv in levels].index("plateau"))
    assert not session.toggles.squares
