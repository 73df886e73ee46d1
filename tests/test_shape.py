"""The shape of the code stays as the house style asks: small modules, small functions, a thin play scene."""

from __future__ import annotations

import ast
from pathlib import Path

import gdviz

PACKAGE = Path(gdviz.__file__).parent
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 40
MAX_PLAY_SCENE_LINES = 200


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_module_is_over_600_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in modules() if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES}
    assert not long, long


def test_no_function_is_over_40_lines():
    long = {}
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(PACKAGE)}:{node.name}"] = lines
    assert not long, long


def test_the_play_scene_is_a_thin_adapter():
    assert len((PACKAGE / "ui" / "scenes" / "play.py").read_text().splitlines()) < MAX_PLAY_SCENE_LINES


def test_every_module_opens_with_a_docstring():
    missing = [str(p.relative_to(PACKAGE)) for p in modules()
               if p.stat().st_size and ast.get_docstring(ast.parse(p.read_text())) is None]
    assert not missing, missing


def test_the_counts_above_are_measured_not_assumed():
    # A function of 41 lines must be caught: the measure counts from `def` to its last line.
    source = "def f():\n" + "    x = 1\n" * 40
    node = ast.parse(source).body[0]
    assert node.end_lineno - node.lineno + 1 == 41 > MAX_FUNCTION_LINES
