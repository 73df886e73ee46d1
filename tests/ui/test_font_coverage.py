"""Every string the game can show has a glyph in the bundled fonts (issue 15, case 4).

The fonts are asked through pygame.freetype, which gives no metrics for a missing glyph
(pygame.font's Font.metrics measures the empty box instead, so it cannot tell). A level file
with characters no font has passes `--check-levels`, with a warning naming field and character.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pygame
import pytest

from gdviz.core import expr_messages, stages
from gdviz.core.levels import builtin_levels_dir, load_level, load_levels, shown_texts
from gdviz.ui import controls, fonts, glyph_key, hud, strings
from gdviz.ui.theme import Look

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("en", "zh")
RARE = "龘"  # U+9F98: a real hanzi, outside GB2312, so outside the bundled subset


@pytest.fixture(scope="module", autouse=True)
def _fonts():
    pygame.font.init()


def pairs(table) -> list[tuple[str, str]]:
    """(text, language) for every two-language row of a strings table."""
    return [(text, lang) for row in table.values() for text, lang in zip(row, LANGS) if text]


def builtin_strings() -> list[tuple[str, str, str]]:
    """(where, text, language) for every string the game can show that ships with it."""
    found = [(f"STRINGS {t}", t, lang) for t, lang in pairs(strings.STRINGS)]
    found += [(f"HELP {t}", t, lang) for t, lang in pairs(strings.HELP)]
    found += [(f"optimizer {t}", t, lang) for table in (strings.OPTIMIZER_NAMES, strings.OPTIMIZER_SHORT)
              for t, lang in pairs(table)]
    found += [("optimizer label", strings.optimizer_label(lang, name), lang)
              for name in strings.OPTIMIZER_NAMES for lang in LANGS]
    found += [(f"function box {t}", t, lang) for t, lang in pairs(expr_messages.MESSAGES)]
    for lang in LANGS:
        found += [("help row", text, lang) for row in controls.help_rows(lang) for text in row]
        found += [("glyph key", row[1], lang) for row in glyph_key.help_rows(Look(lang))]
        # ×10ⁿ on the loss plot and in captions, for every exponent a float has.
        found += [("power of ten", stages.power_of_ten(k), lang) for k in range(-330, 330, 7)]
    levels, errors = load_levels(builtin_levels_dir())
    assert levels and not errors
    for level in levels:
        found += [(f"{level.id} {field}", text, lang) for field, text, langs in shown_texts(level) for lang in langs]
    return found


def source_literals(path: Path) -> str:
    """The non-ASCII characters of a source file's text (captions built from pieces live there)."""
    return "".join(ch for ch in path.read_text(encoding="utf-8") if ord(ch) > 0x7F and not ch.isspace())


def test_every_builtin_string_can_be_drawn():
    bad = [f"{where}: {fonts.describe(fonts.undrawable(text, lang))} in {lang}"
           for where, text, lang in builtin_strings() if fonts.undrawable(text, lang)]
    assert not bad, "\n".join(bad[:20])


@pytest.mark.parametrize("module", ["core/stages.py", "ui/grammar.py", "ui/glyph_key.py", "ui/hud.py",
                                    "ui/terrain.py", "core/expr_messages.py", "core/backprop_stages.py",
                                    "ui/net_inset.py"])
def test_every_sign_written_in_the_drawing_code_can_be_drawn(module):
    # Step-by-step captions and axis labels are put together from signs such as ∇ √ ² · → − ×.
    signs = source_literals(ROOT / "gdviz" / module)
    for lang in LANGS:
        assert not fonts.undrawable(signs, lang), fonts.describe(fonts.undrawable(signs, lang))


def test_the_issues_strings_can_be_drawn():
    assert fonts.undrawable("崎岖颠簸的山谷", "zh") == []
    assert fonts.undrawable("◀ ▶ ▲ ▼", "zh") == [] and fonts.undrawable("◀ ▶ ▲ ▼", "en") == []
    # ... in the Chinese font itself, not only through the stand-in.
    for bold in (False, True):
        zh = fonts.font_path("zh", bold=bold)
        assert all(fonts.has_glyph(zh, ch) for ch in "岖簸◀▶▲▼（）：，ā ǎ ①")


def test_the_bundled_chinese_font_holds_all_of_gb2312():
    every = {bytes((row, cell)).decode("gb2312", errors="ignore") for row in range(0xA1, 0xF8)
             for cell in range(0xA1, 0xFF)} - {""}
    hanzi = {ch for ch in every if "\u4e00" <= ch <= "\u9fff"}
    assert len(hanzi) == 6763
    missing = fonts.undrawable("".join(sorted(every)), "zh")
    assert not missing, fonts.describe(missing[:20])


def test_missing_glyphs_are_found_where_pygame_font_metrics_cannot_tell():
    zh = fonts.font_path("zh")
    assert not fonts.has_glyph(zh, RARE) and fonts.has_glyph(zh, "山")
    assert fonts.undrawable(f"山谷{RARE}", "zh") == [RARE]
    assert fonts.undrawable("ꙮ 𠀀 a", "en") == ["ꙮ", "𠀀"]
    assert fonts.undrawable(" \n\t\u200b", "zh") == []  # spaces and invisible marks need no glyph
    font = pygame.font.Font(zh, 20)
    assert font.metrics(RARE)[0] is not None  # why freetype is asked instead


def test_the_renderer_draws_each_run_in_a_font_that_has_it():
    # hud splits Chinese text so signs the Chinese font lacks are drawn in DejaVu.
    for _, text, lang in builtin_strings():
        if not fonts.uses_chinese_font(text, lang):
            continue
        for run, chinese in hud._runs(lang, text, True):
            path = fonts.font_path("zh" if chinese else "en", bold=True)
            lacking = [ch for ch in run if fonts._needs_glyph(ch) and not fonts.has_glyph(path, ch)]
            assert not lacking, (text, run, lacking)


# --- --check-levels warns about characters the fonts cannot draw ---------------------------------


def odd_level(tmp_path: Path, title_zh: str, hint_en: str = "Press + to go faster.") -> Path:
    text = (builtin_levels_dir() / "02-bowl-learning-rate.toml").read_text(encoding="utf-8")
    text = text.replace('zh = "学习率" }', f'zh = "{title_zh}" }}', 1)
    text = re.sub(r'hint = \{ en = "[^"]*"', f'hint = {{ en = "{hint_en}"', text, count=1)
    path = tmp_path / "02-odd.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_issues_level_title_passes_without_a_warning(tmp_path):
    level = load_level(odd_level(tmp_path, "崎岖颠簸的山谷"))
    assert level.title.zh == "崎岖颠簸的山谷"
    assert fonts.level_font_warnings(level) == []


def test_a_level_with_characters_no_font_has_gets_one_warning_per_field(tmp_path):
    level = load_level(odd_level(tmp_path, f"崎岖的山谷{RARE}𠀀", hint_en="Try ꙮ"))
    warnings = fonts.level_font_warnings(level)
    assert len(warnings) == 2, warnings
    title, hint = warnings
    assert title.startswith(f"{level.path}: title.zh: warning: ")
    assert f"'{RARE}' (U+9F98)" in title and "'𠀀' (U+20000)" in title and "崎" not in title
    assert hint.startswith(f"{level.path}: hint.en: warning: ") and "'ꙮ' (U+A66E)" in hint


def test_a_ball_name_and_label_are_checked_too(tmp_path):
    path = odd_level(tmp_path, "学习率")
    text = path.read_text(encoding="utf-8").replace('zh = "刚刚好"', f'zh = "刚{RARE}好"')
    text = text.replace('label = "too small"\nname = { en = "too small", zh = "学习率太小" }\n',
                        'label = "too small"\n').replace('"too small"', '"too small ꙮ"')
    path.write_text(text, encoding="utf-8")
    fields = [w.split(": ")[1] for w in fonts.level_font_warnings(load_level(path))]
    assert fields == ["ball[1].name.zh", "ball[2].label"]


def test_check_levels_prints_the_warning_and_still_passes(tmp_path):
    path = odd_level(tmp_path, f"山谷{RARE}")
    result = subprocess.run([sys.executable, "main.py", "--check-levels", str(path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr.splitlines() == fonts.level_font_warnings(load_level(path))
    assert "title.zh" in result.stderr and "U+9F98" in result.stderr
