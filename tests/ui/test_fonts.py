"""The bundled fonts: they load, they draw, and they cover every string the game shows."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from gdviz.ui import fonts

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = "梯度下降 gradient descent ★☆ → β₁ ε √v̂"
EN_SYMBOLS = "★☆→←↑↓−·…²√βμρΔε▸"
ZH_FILES = ("NotoSansSC-gdviz-Regular.otf", "NotoSansSC-gdviz-Bold.otf")
EN_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf")


def chinese(text: str) -> set[str]:
    """Return the CJK characters (U+2E80 and up, no spaces) of `text`."""
    return {ch for ch in text if ord(ch) >= 0x2E80 and not ch.isspace()}


def lesson_text() -> str:
    """Return the text of every level file and of the step-by-step captions."""
    paths = sorted((ROOT / "levels").glob("*.toml")) + [ROOT / "gdviz" / "core" / "stages.py"]
    assert len(paths) > 1, "no level files found"
    return "".join(path.read_text(encoding="utf-8") for path in paths)


def gb2312_level1() -> set[str]:
    """Return the GB2312 level-1 hanzi: rows 16–55, bytes 0xB0A1–0xD7F9."""
    found = set()
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                found.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return found


@pytest.fixture(scope="module")
def font_module():
    pygame.font.init()
    return pygame.font  # left initialised: fonts cached by other tests must stay valid


@pytest.mark.parametrize("name", ZH_FILES)
def test_chinese_font_loads_and_draws_mixed_text(font_module, name):
    font = font_module.Font(fonts.FONT_DIR / name, 20)
    surface = font.render(SAMPLE, True, (255, 255, 255))
    assert surface.get_width() > 100 and surface.get_height() > 10
    assert pygame.mask.from_surface(surface).count() > 200, "nothing was drawn"
    assert all(m is not None for m in font.metrics("梯度下降")), "hanzi drawn as boxes"


def test_font_paths_pick_dejavu_for_english_and_noto_for_chinese():
    expected_en = {(False, False): "DejaVuSans.ttf", (True, False): "DejaVuSans-Bold.ttf",
                   (False, True): "DejaVuSansMono.ttf", (True, True): "DejaVuSansMono.ttf"}
    for (bold, mono), name in expected_en.items():
        assert fonts.font_path("en", bold, mono).name == name
        assert fonts.font_path("fr", bold, mono).name == name
    for bold in (False, True):
        for mono in (False, True):
            assert fonts.font_path("zh", bold, mono).name == ZH_FILES[bold]
            assert fonts.font_path("zh-CN", bold, mono).is_file()
            assert fonts.font_path("en", bold, mono).is_file()


def test_every_chinese_character_in_lessons_and_captions_is_covered():
    wanted = chinese(lesson_text())
    assert len(wanted) > 100, "expected the lessons to hold Chinese text"
    for bold in (False, True):
        missing = fonts.missing_characters("".join(sorted(wanted)), "zh", bold=bold)
        assert not missing, f"add to the font (tools/make_cjk_font.py): {''.join(sorted(missing))}"


def test_every_lesson_character_can_be_drawn_by_some_bundled_font():
    text = lesson_text()
    runs = fonts.font_runs(text, "zh")
    leftover = fonts.missing_characters("".join(t for t, p in runs if p.name in ZH_FILES), "zh")
    assert not leftover, f"neither Noto nor DejaVu has: {''.join(sorted(leftover))}"


def test_subset_holds_all_gb2312_level1_hanzi():
    level1 = gb2312_level1()
    assert len(level1) == 3755
    for bold in (False, True):
        assert level1 <= fonts.cjk_characters(bold)


@pytest.mark.parametrize("name", EN_FILES)
def test_english_fonts_cover_the_game_symbols(name):
    covered = fonts.covered_characters(fonts.FONT_DIR / name)
    assert set(EN_SYMBOLS) <= covered, set(EN_SYMBOLS) - covered


def test_missing_characters_finds_gaps_and_ignores_spaces():
    assert fonts.missing_characters("梯度 a\n\t", "en") == {"梯", "度"}
    assert fonts.missing_characters("梯度 a\n\t", "zh") == set()
    assert "▸" in fonts.missing_characters("▸", "zh")


def test_font_runs_send_missing_symbols_to_dejavu():
    runs = fonts.font_runs("▸动量 β₁", "zh")
    assert [text for text, _ in runs] == ["▸", "动量 β", "₁"]
    assert [path.name for _, path in runs] == ["DejaVuSans.ttf", ZH_FILES[0], "DejaVuSans.ttf"]
    assert "".join(text for text, _ in fonts.font_runs(SAMPLE, "zh", bold=True)) == SAMPLE


def test_licences_sit_next_to_the_fonts():
    noto = (fonts.FONT_DIR / "LICENSE-NotoSansCJK.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in noto and "Adobe" in noto
    dejavu = (fonts.FONT_DIR / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert "Bitstream" in dejavu
    assert (fonts.FONT_DIR / "README.md").is_file()


@pytest.mark.parametrize("name", ZH_FILES)
def test_subset_is_small_and_not_named_after_the_reserved_name(name):
    from fontTools.ttLib import TTFont

    path = fonts.FONT_DIR / name
    assert path.stat().st_size < 2_500_000
    family = TTFont(path, lazy=True)["name"].getDebugName(1)
    assert family == "Noto Sans SC gdviz" and "Source" not in family
