"""`main.py --check-levels` prints one line per bad file to stderr, nothing else, and exits 2 (or 0)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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


# --- --check-lessons: each level's lesson under small changes ----------------------------------

TINY = """\
title = "Tiny"
lesson = "One ball on a parabola."
[surface]
name = "parabola"
[[ball]]
optimizer = "gd"
start = [-2.5]
hyper = { lr = 0.3 }
[check]
steps = 5
[[check.expect]]
ball = "gd"
quantity = "x"
below = 0
"""


def check_lessons(*paths: Path) -> subprocess.CompletedProcess:
    code = ("import sys; from gdviz.cli import check_lessons; status = check_lessons(sys.argv[1:]); "
            "assert not any(m.startswith(('pygame', 'gdviz.ui')) for m in sys.modules); sys.exit(status)")
    return subprocess.run([sys.executable, "-c", code, *map(str, paths)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_check_lessons_prints_one_line_per_level_and_exits_1_when_one_breaks(tmp_path):
    from gdviz.core.robustness import check_lessons_report

    bad = tmp_path / "01-tiny.toml"  # x stays below 0 at lr 0.3 but crosses it at lr x2
    bad.write_text(TINY, encoding="utf-8")
    good = tmp_path / "02-tiny-careful.toml"
    good.write_text(TINY + "[check.robust]\nlr_factors = [0.5, 1.5]\n", encoding="utf-8")
    result = check_lessons(bad, good)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines() == [
        "tiny: FAILED in 1 of 3 runs; first: lr ×2: gd is at x = 0.0008 after 5 steps (wanted below 0)",
        "tiny-careful: ok (3 runs)"]
    assert check_lessons_report([bad, good]) == (result.stdout.splitlines(), 1)
    assert check_lessons(good).returncode == 0


def test_check_lessons_exits_2_for_an_unreadable_file(tmp_path):
    result = check_lessons(tmp_path / "missing.toml", HOSTILE[0])
    assert result.returncode == 2 and len(result.stdout.splitlines()) == 2
    assert result.stdout.startswith(f"{tmp_path / 'missing.toml'}: file: ")


def test_check_lessons_without_paths_checks_the_shipped_levels(tmp_path, monkeypatch, capsys):
    from gdviz import cli
    from gdviz.core import robustness

    (tmp_path / "07-only.toml").write_text(TINY + "[check.robust]\nlr_factors = [0.5]\n", encoding="utf-8")
    monkeypatch.setattr(robustness, "builtin_levels_dir", lambda: tmp_path)
    with pytest.raises(SystemExit) as stopped:
        cli.main(["--check-lessons"])
    assert stopped.value.code == 0 and capsys.readouterr().out == "only: ok (2 runs)\n"
