"""Hostile typed functions through the game's own text box: each is refused with one clear
line under the text, nothing runs, no file appears, no module is imported, nothing changes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers import make_app, play_scene, press, run

from gdviz.core.commands import Command
from gdviz.ui.scenes.function import FunctionScene

MARKER = Path("/tmp/gdviz-pwned")
HOSTILE = [
    "__import__('os').system('touch /tmp/gdviz-pwned')",
    "__import__", "open('/etc/passwd')", "exec('1')", "eval('1')", "compile('1','','eval')",
    "globals()", "locals()", "vars()", "dir()", "getattr(x, 'real')", "x.__class__", "x.real",
    "().__class__.__bases__[0].__subclasses__()", "lambda: 1", "lambda x: x", "[x for x in y]",
    "{x: 1}", "{1, 2}", "[x]", "x[0]", "x if y else 1", "x and y", "x or y", "not x", "x == 1",
    "x < 1", "x >= y", "x; y", "x, y", "x = 1", "x := 1", "'text'", '"text"', "b'x'", "f'{x}'",
    "9**9**9", "10**400", "x**100000", "1e999", "exp(exp(exp(1000)))", "+".join(["x"] * 3000),
    "(" * 500 + "x" + ")" * 500, "-" * 3000 + "x", "x" * 5000, "sin()", "sin(x, y)", "z + 1",
    "t", "2x", "x y", "∑x", "x\\y", "x # comment", "import os", "os.system('ls')", "sys.exit()",
    "quit()", "print(1)", "x @ y", "x % 2", "x // 2", "~x", "x << 1", "x | y", "x & y", "`x`", "",
    "   ", "sin(x", "x)", "()", "pi pi", "e(x)",
]


def test_at_least_forty_hostile_inputs():
    assert len(HOSTILE) >= 40 and len(set(HOSTILE)) == len(HOSTILE)


def type_into(app, text):
    for ch in text:
        press(app, Command.TEXT, ch, frames=0)


@pytest.fixture(scope="module")
def game():
    import gdviz.core.custom  # the box loads it on first use; load it before comparing modules

    assert gdviz.core.custom.level_from_function
    app = make_app("--level", "saddle")
    run(app, 2)
    return app


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:30]))
def test_hostile_function_is_refused_in_one_line(game, text, tmp_path):
    MARKER.unlink(missing_ok=True)
    modules = set(sys.modules)
    files = set(Path.cwd().iterdir())
    level = play_scene(game).session.level
    press(game, Command.FUNCTION)
    box = game.top
    assert isinstance(box, FunctionScene)
    type_into(game, text)
    press(game, Command.SELECT)
    assert game.top is box, "a hostile function was accepted"
    error = box.refusal.text("en")
    assert error and "\n" not in error and len(error) < 200
    assert "Traceback" not in error
    press(game, Command.BACK)
    assert not isinstance(game.top, FunctionScene)
    assert play_scene(game).session.level is level
    assert not MARKER.exists()
    assert set(sys.modules) == modules
    assert set(Path.cwd().iterdir()) == files
