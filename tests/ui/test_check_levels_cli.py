"""`main.py --check-levels` prints one line per bad file to stderr, nothing else, and exits 2 (or 0)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gdviz.core.lessons import check_files

ROOT = Path(__file__).parents[2]
HOSTILE = sorted((ROOT / "tests/core/hostile_levels").glob("*.toml"))


def check_levels(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "main.py", "--check-levels", *map(str, paths)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_good_levels_print_nothing_and_exit_0():
    result = check_levels(ROOT / "levels")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_bad_files_print_one_line_each_to_stderr_and_exit_2(tmp_path):
    paths = [*HOSTILE[:5], ROOT / "levels/02-bowl-learning-rate.toml", tmp_path / "missing.toml"]
    result = check_levels(*paths)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "".join(line + "\n" for line in check_files(paths))
    assert result.stderr.count("\n") == 6
