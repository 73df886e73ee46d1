"""Which bundled font file to use for a language, and which characters it can draw.

English text uses the DejaVu fonts; Chinese text uses a subset of Noto Sans CJK SC made
by tools/make_cjk_font.py (the Chinese font is used for monospaced text as well). The
helpers here only read font files: they need fontTools but not pygame, so tests and
tools can check that every string in the game has a glyph before anyone sees a box.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"

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


def _clusters(text: str) -> list[str]:
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
    for cluster in _clusters(text):
        moves = any(ch in missing for ch in cluster) and all(ch in spare_has for ch in cluster)
        path = spare if moves else main
        if runs and runs[-1][1] == path:
            runs[-1] = (runs[-1][0] + cluster, path)
        else:
            runs.append((cluster, path))
    return runs
