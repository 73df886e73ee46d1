"""Make docs/visual-grammar.png: the game's own picture of every glyph, for the grammar page.

    .venv/bin/python tools/make_grammar_picture.py

It plays the saddle level headless with every glyph shown, the player's ball switched to
Adam, a few steps taken, and saves the frame.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gdviz.cli import parse_args  # noqa: E402
from gdviz.core.commands import Action, Command  # noqa: E402
from gdviz.ui.app import App  # noqa: E402


def main() -> None:
    app = App(parse_args(["--headless", "--level", "saddle", "--size", "1280x720"]))
    setup = [(Command.OPTIMIZER, "adam"), (Command.SET_LR, 0.05), (Command.SELECT, None)]
    for command, arg in setup + [(Command.STEP, None)] * 12:
        app.dispatch(Action(command, arg))
        app.frame(1 / 60)
    for _ in range(30):
        app.frame(1 / 60)
    out = app.save_png(ROOT / "docs" / "visual-grammar.png")
    print(out)


if __name__ == "__main__":
    main()
