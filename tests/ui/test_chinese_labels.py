"""Chinese throughout: optimizer names, ball names and every label have a Chinese form (torch's
English name kept in parentheses where a student who writes the code needs it)."""

from __future__ import annotations

import re

from helpers import make_app, play_scene, run

from gdviz.core.levels import builtin_levels_dir, load_levels
from gdviz.core.optimizers import names as optimizer_names
from gdviz.ui.controls import help_rows
from gdviz.ui.scenes.play_balls import ball_name
from gdviz.ui.strings import (
    HELP,
    STRINGS,
    TORCH_NAMES,
    optimizer_label,
    optimizer_name,
    optimizer_short,
)

CHINESE = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z]{3,}")
FIELD = re.compile(r"\{[^}]*\}")  # {name}: filled in, not a word
# Labels whose Chinese form rightly has no Chinese: the name of the other language, and bare formats.
NOT_WORDS = {"title.language", "bar.language"}


def test_every_optimizer_has_a_chinese_name_unlike_its_english_one():
    for name in optimizer_names():
        for table in (optimizer_name, optimizer_short):
            zh, en = table("zh", name), table("en", name)
            assert zh != en and CHINESE.search(zh), (name, zh)
        assert optimizer_label("zh", name) == f"{optimizer_name('zh', name)}（{TORCH_NAMES[name]}）"
        assert optimizer_label("en", name) == optimizer_name("en", name)
    assert optimizer_label("zh", "adam") == "自适应矩估计（Adam）"
    assert len({optimizer_name("zh", n) for n in optimizer_names()}) == len(optimizer_names())


def test_every_label_with_words_has_chinese_in_chinese():
    missing = [key for key, (en, zh) in STRINGS.items()
               if WORD.search(FIELD.sub("", en)) and key not in NOT_WORDS and not CHINESE.search(zh)]
    missing += [str(c) for c, (en, zh) in HELP.items() if WORD.search(en) and not CHINESE.search(zh)]
    assert not missing


def test_every_ball_a_level_names_has_a_chinese_name():
    levels, _ = load_levels(builtin_levels_dir())
    english = [(level.id, label, text.get("zh")) for level in levels for label, text in level.names
               if not CHINESE.search(text.get("zh"))]
    assert not english


def test_the_play_screen_in_chinese_names_the_balls_and_keys_in_chinese():
    app = make_app("--lang", "zh", "--level", "adam", size="1024x600")
    run(app, 2)
    session = play_scene(app).session
    names = [ball_name(session, i, "zh") for i in range(len(session.race.balls))]
    assert all(CHINESE.search(n) for n in names), names
    rows = [text for _, text in help_rows("zh")]
    assert rows and all(CHINESE.search(text) for text in rows if WORD.search(text)), rows
