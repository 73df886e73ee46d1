"""Build the small Chinese font the game ships: a subset of Noto Sans CJK SC.

The full Noto Sans CJK font is about 20 MB and covers Chinese, Japanese and Korean.
The game only needs Simplified Chinese, so this script keeps just the characters below
and writes two files next to the other bundled fonts:

    assets/fonts/NotoSansSC-gdviz-Regular.otf
    assets/fonts/NotoSansSC-gdviz-Bold.otf

Source: Debian's `fonts-noto-cjk` package (`apt-get install fonts-noto-cjk`), which
installs /usr/share/fonts/opentype/noto/NotoSansCJK-{Regular,Bold}.ttc (upstream
https://github.com/googlefonts/noto-cjk, version 2.004). A .ttc file is a collection of
several fonts; we take the face named "Noto Sans CJK SC" out of it.

Characters kept (see `wanted_characters`):
  * printable ASCII and Latin-1 (U+0020–U+007E, U+00A0–U+00FF),
  * the symbols in SYMBOLS and the Unicode blocks in BLOCKS (pinyin, punctuation, super-
    and subscripts, arrows, maths, geometric shapes ◀ ▶ ▲ ▼, full-width ASCII), where
    the font has them,
  * every character of GB2312: its 682 signs and all 6,763 hanzi (level 1, the 3,755
    most common, and level 2),
  * every non-ASCII character found in the repository's text today
    (levels/*.toml, levels/README.md, README.md, gdviz/**/*.py), where the font has it.

Then pyftsubset runs with the options in PYFTSUBSET_OPTIONS: no hinting, only the kern
and liga layout features, no vertical-writing tables, and only the name records needed
to say what the font is and under which licence it ships. Finally the family name is
changed to "Noto Sans SC gdviz" so the subset cannot be mistaken for the full font.

Usage (needs fonttools, e.g. `pip install -e '.[fonts]'`):

    .venv/bin/python tools/make_cjk_font.py [--source-dir DIR]

The output depends only on the source font files, fontTools' version and the
repository's text, so running it again gives the same fonts.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "assets" / "fonts"
SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
SOURCE_FACE = "Noto Sans CJK SC"
STYLES = ("Regular", "Bold")
FAMILY = "Noto Sans SC gdviz"
POSTSCRIPT_FAMILY = "NotoSansSC-gdviz"

SYMBOLS = (
    "–—‘’“”…·•‰"                  # general punctuation
    "±×÷−√∞≈≤≥²³¹⁰⁴₁₂ᵗ∇∂°½¼"      # maths (⁰ ₁ ₂ ᵗ are not in Noto Sans CJK)
    "αβγδεηθλμπρσΔΣ"              # Greek
    "★☆✓✗▸●"                      # marks (✗ ▸ are not in Noto Sans CJK)
)

# Whole Unicode blocks kept where the font has them: what level authors and input methods
# reach for (pinyin with tones, full-width ASCII, ◀ ▶ ▲ ▼, arrows, maths signs, ①②③).
BLOCKS = (
    (0x0100, 0x017F),  # Latin Extended-A (pinyin ā ē ī ō ū)
    (0x01CD, 0x01DC),  # pinyin ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ
    (0x2010, 0x205E),  # general punctuation
    (0x2070, 0x209F),  # superscripts and subscripts
    (0x2100, 0x214F),  # letter-like symbols (℃ №)
    (0x2150, 0x218F),  # number forms (Ⅰ Ⅱ Ⅲ)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators
    (0x2460, 0x24FF),  # enclosed numbers (① ⑴ ⒈)
    (0x25A0, 0x25FF),  # geometric shapes (■ □ ▲ ▼ ◀ ▶ ◆ ○)
    (0x2600, 0x26FF),  # miscellaneous symbols (☀ ☆ ♥)
    (0x3000, 0x303F),  # CJK symbols and punctuation (。 「」 《》)
    (0xFF01, 0xFF5E),  # full-width ASCII from Chinese input methods (（ ） ： ， ！)
)

REPO_TEXT_GLOBS = ("levels/*.toml", "levels/README.md", "README.md", "gdviz/**/*.py")

PYFTSUBSET_OPTIONS = (
    "--layout-features=kern,liga",
    "--no-hinting",
    "--drop-tables+=BASE,VORG,vhea,vmtx",
    "--name-IDs=0,1,2,3,4,5,6,7,13,14",  # copyright, names, version, trademark, licence
    "--name-languages=0x0409",
    "--notdef-outline",
)


def gb2312() -> str:
    """Return every character of GB2312, in code order: 682 signs (rows 1–9) and 6,763 hanzi
    (level 1, rows 16–55, the most common; level 2, rows 56–87)."""
    chars = []
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                pass  # the gaps between the rows' characters
    return "".join(chars)


def repo_characters(root: Path = ROOT) -> set[str]:
    """Return every non-ASCII, non-space character in the repository's text files."""
    found: set[str] = set()
    for pattern in REPO_TEXT_GLOBS:
        for path in sorted(root.glob(pattern)):
            found.update(ch for ch in path.read_text(encoding="utf-8") if ord(ch) > 0x7F)
    return {ch for ch in found if not ch.isspace()}


def base_characters() -> set[str]:
    """Return printable ASCII, Latin-1, SYMBOLS and the characters of BLOCKS."""
    ascii_chars = {chr(c) for c in range(0x20, 0x7F)}
    latin1 = {chr(c) for c in range(0xA0, 0x100)}
    blocks = {chr(c) for first, last in BLOCKS for c in range(first, last + 1)}
    return ascii_chars | latin1 | set(SYMBOLS) | blocks


def wanted_characters(root: Path = ROOT) -> set[str]:
    """Return all characters we would like the subset to cover."""
    return base_characters() | set(gb2312()) | repo_characters(root)


def extract_face(ttc: Path, face: str, out: Path) -> TTFont:
    """Save the font whose family is `face` out of collection `ttc` to `out`; return it."""
    for font in TTCollection(ttc, recalcTimestamp=False).fonts:
        if font["name"].getDebugName(1) == face:
            font.save(out)
            return font
    raise SystemExit(f"{ttc} has no face named {face!r}")


def run_pyftsubset(source: Path, chars: set[str], out: Path) -> None:
    """Subset `source` to `chars` with PYFTSUBSET_OPTIONS and write it to `out`."""
    codes = ",".join(f"U+{ord(c):04X}" for c in sorted(chars))
    cmd = [sys.executable, "-m", "fontTools.subset", str(source),
           f"--unicodes={codes}", f"--output-file={out}", *PYFTSUBSET_OPTIONS]
    subprocess.run(cmd, check=True)


def rename(path: Path, style: str) -> None:
    """Give the subset its own family name (names 1, 3, 4, 6), keeping the rest."""
    font = TTFont(path, recalcTimestamp=False)  # keep the build reproducible
    name = font["name"]
    full = FAMILY if style == "Regular" else f"{FAMILY} {style}"
    postscript = f"{POSTSCRIPT_FAMILY}-{style}"
    version = name.getDebugName(5) or ""
    values = {1: FAMILY, 3: f"{version.split(';')[0]};{postscript}", 4: full, 6: postscript}
    for name_id, value in values.items():
        name.setName(value, name_id, 3, 1, 0x409)
    cff = font["CFF "].cff
    cff.fontNames = [postscript]
    top = cff.topDictIndex[0]
    for key, value in (("FamilyName", FAMILY), ("FullName", full)):
        if hasattr(top, key):
            setattr(top, key, value)
    font.save(path)


def build(source_dir: Path, style: str, chars: set[str]) -> Path:
    """Build one style of the subset and return the output path."""
    out = OUT_DIR / f"{POSTSCRIPT_FAMILY}-{style}.otf"
    with tempfile.TemporaryDirectory() as tmp:
        full = Path(tmp) / f"NotoSansCJKsc-{style}.otf"
        font = extract_face(source_dir / f"NotoSansCJK-{style}.ttc", SOURCE_FACE, full)
        cmap = font.getBestCmap()
        missing = sorted(c for c in chars if ord(c) not in cmap and c.isprintable() and not c.isspace())
        named = [c for c in missing if ord(c) < 0x2E80 and not any(a <= ord(c) <= b for a, b in BLOCKS)]
        print(f"{style}: {len(missing)} wanted characters are not in the source font; "
              f"of those named one by one: {' '.join(named) or 'none'}")
        run_pyftsubset(full, {c for c in chars if ord(c) in cmap}, out)
    rename(out, style)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", type=Path, default=SOURCE_DIR,
                        help=f"folder holding NotoSansCJK-*.ttc (default {SOURCE_DIR})")
    args = parser.parse_args(argv)
    chars = wanted_characters()
    hanzi = sum(1 for c in chars if "\u4e00" <= c <= "\u9fff")
    print(f"{len(chars)} characters wanted, {hanzi} of them hanzi")
    for style in STYLES:
        out = build(args.source_dir, style, chars)
        covered = len(TTFont(out).getBestCmap())
        print(f"{out.relative_to(ROOT)}: {out.stat().st_size / 1e6:.2f} MB, {covered} characters")


if __name__ == "__main__":
    main()
