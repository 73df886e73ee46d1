"""Which bundled font file to use for a language, and which characters it can draw.

English text uses the DejaVu fonts; Chinese text uses a subset of Noto Sans CJK SC made
by tools/make_cjk_font.py (the Chinese font is used for monospaced text as well).

`undrawable(text, lang)` says which characters the game would draw as empty boxes, asking
the fonts through pygame.freetype; `--check-levels` warns with it (`level_font_warnings`).
The fontTools helpers (`covered_characters`, `font_runs`) are for tests and tools.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from gdviz.resources import fonts_dir

FONT_DIR = fonts_dir()  # assets/fonts in a clone, inside the package when installed

# (bold, mono) -> file name, per language.
FONT_FILES: dict[str, dict[tuple[bool, bool], str]] = {
    "en": {
        (False, False): "DejaVuSans.ttf",
        (True, False): "DejaVuSans-Bold.ttf",
        (False, True): "DejaVuSansMono.ttf",
        (True, True): "DejaVuSansMono.ttf",
    },
    "zh": {
        (False, False): "NotoSansSC-gdviz-Regular.otf",
        (True, False): "NotoSansSC-gdviz-Bold.otf",
        (False, True): "NotoSansSC-gdviz-Regular.otf",
        (True, True): "NotoSansSC-gdviz-Bold.otf",
    },
}


def _language(lang: str) -> str:
    """Map a language tag ("zh", "zh-CN", "en", anything else) to a FONT_FILES key."""
    return "zh" if lang.lower().startswith("zh") else "en"


def font_path(lang: str, bold: bool = False, mono: bool = False) -> Path:
    """Return the bundled font file for text in `lang` ("zh…" is Chinese, else English)."""
    return FONT_DIR / FONT_FILES[_language(lang)][(bool(bold), bool(mono))]


@lru_cache(maxsize=8)
def covered_characters(path: Path) -> frozenset[str]:
    """Return every character the font file at `path` maps to a glyph (read once)."""
    from fontTools.ttLib import TTFont  # only loaded when someone asks

    font = TTFont(path, lazy=True)
    try:
        return frozenset(chr(code) for code in font.getBestCmap())
    finally:
        font.close()


def cjk_characters(bold: bool = False) -> frozenset[str]:
    """Return the set of characters the bundled Chinese font covers."""
    return covered_characters(font_path("zh", bold=bold))


def _needs_glyph(ch: str) -> bool:
    """Whether `ch` must be drawn: not whitespace, not a control or format character."""
    return not ch.isspace() and ch.isprintable()


def missing_characters(text: str, lang: str, bold: bool = False, mono: bool = False) -> set[str]:
    """Return the characters of `text` that the font for `lang` has no glyph for."""
    covered = covered_characters(font_path(lang, bold=bold, mono=mono))
    return {ch for ch in set(text) if _needs_glyph(ch) and ch not in covered}


def clusters(text: str) -> list[str]:
    """Split `text` into base characters, each with the combining marks that follow it."""
    clusters: list[str] = []
    for ch in text:
        if clusters and unicodedata.combining(ch):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def font_runs(text: str, lang: str, bold: bool = False,
              mono: bool = False) -> list[tuple[str, Path]]:
    """Split `text` into runs, each with the font file that can draw it.

    A character the language's font lacks (for Chinese: ▸ ₁ ₂ ᵢ ✗ and the combining hat
    of v̂) moves, with its base character or marks, to the English font of the same
    weight, so a renderer can blit the runs side by side instead of showing empty boxes.
    Characters neither font has stay with the language's font. The two fonts have
    different ascents: blit each run at y + main.get_ascent() - run_font.get_ascent()
    so the baselines line up.
    """
    main = font_path(lang, bold=bold, mono=mono)
    spare = font_path("en", bold=bold, mono=mono)
    missing = missing_characters(text, lang, bold=bold, mono=mono)
    spare_has = covered_characters(spare)
    runs: list[tuple[str, Path]] = []
    for cluster in clusters(text):
        moves = any(ch in missing for ch in cluster) and all(ch in spare_has for ch in cluster)
        path = spare if moves else main
        if runs and runs[-1][1] == path:
            runs[-1] = (runs[-1][0] + cluster, path)
        else:
            runs.append((cluster, path))
    return runs


# --- what the game can draw: asked of the fonts themselves through pygame.freetype ------------
# fontTools (above) is only there for tests and tools; the game and `--check-levels` use these.

CJK_START = 0x2E80  # from here on a character is Chinese (or Japanese, Korean) to the renderer


@lru_cache(maxsize=8)
def _face(path: Path):
    """Return a pygame.freetype face of the font file at `path` (opened once)."""
    import pygame.freetype

    if not pygame.freetype.get_init():
        pygame.freetype.init()
    return pygame.freetype.Font(path, 16)


@lru_cache(maxsize=16384)
def has_glyph(path: Path, ch: str) -> bool:
    """Return whether the font file at `path` has a glyph for `ch`.

    pygame.freetype gives no metrics (None) for a character the font lacks; pygame.font's
    Font.metrics instead measures the empty box it would draw, so it cannot tell.
    """
    return _face(path).get_metrics(ch)[0] is not None


def uses_chinese_font(text: str, lang: str) -> bool:
    """Whether the game draws `text` in the Chinese font: Chinese text, or any text holding CJK."""
    return _language(lang) == "zh" or any(ord(ch) >= CJK_START for ch in text)


def undrawable(text: str, lang: str) -> list[str]:
    """Return the characters of `text` (in order, once each) that the game would draw as boxes.

    This follows the renderer (gdviz.ui.hud): text in the Chinese font sends any sign that
    font lacks below U+2E80 to DejaVu; other text is DejaVu alone. Both weights are asked.
    """
    chinese = uses_chinese_font(text, lang)
    missing = []
    for ch in dict.fromkeys(text):
        if _needs_glyph(ch) and not all(_drawable(ch, chinese, bold) for bold in (False, True)):
            missing.append(ch)
    return missing


def _drawable(ch: str, chinese: bool, bold: bool) -> bool:
    """Whether `ch` gets a glyph from the font the renderer picks, or from its stand-in."""
    english = font_path("en", bold=bold)
    if not chinese:
        return has_glyph(english, ch)
    return has_glyph(font_path("zh", bold=bold), ch) or (ord(ch) < CJK_START and has_glyph(english, ch))


def describe(chars: list[str]) -> str:
    """Name characters for a message: '岖' (U+5C96), '簸' (U+7C38)."""
    return ", ".join(f"'{ch}' (U+{ord(ch):04X})" if ch.isprintable() else f"U+{ord(ch):04X}" for ch in chars)


def level_font_warnings(level) -> list[str]:
    """Return one warning per text field of `level` holding characters no bundled font can draw.

    Each names the file, the field and the characters with their code points, e.g.
    "levels/x.toml: title.zh: '岖' (U+5C96) cannot be drawn ...".
    """
    from gdviz.core.levels import shown_texts

    warnings = []
    for field, text, langs in shown_texts(level):
        missing = list(dict.fromkeys(ch for lang in langs for ch in undrawable(text, lang)))
        if missing:
            warnings.append(f"{level.path}: {field}: warning: {describe(missing)} cannot be drawn by the "
                            "bundled fonts and would show as empty boxes (see levels/README.md)")
    return warnings
