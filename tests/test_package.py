"""gdviz is a real package: a wheel carries everything the game needs and runs from any folder.

The big test builds a wheel from a copy of the repository, installs it into a fresh virtual
environment (dependencies from the usual package index, as a teacher's `pip install` or
`pipx install` would get them) and plays it headless from an empty folder: both languages,
a screenshot, every shipped level listed, a folder of the user's own levels, and a GIF made
from Python. Nothing in that environment can see the repository.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOT_SOURCES = shutil.ignore_patterns(".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".*cache",
                                     ".hypothesis", "*.pyc")
BANNER = re.compile(r"pygame|SDL|Hello from", re.I)
GIF_FROM_PYTHON = """
import gdviz
run = gdviz.simulate("rosenbrock", "adam", start=(-1.5, 2.5), steps=40, lr=0.05)
picture = gdviz.animate(run, "run.gif", size=(480, 270), fps=10)
print(picture.frames, "frames")
try:
    gdviz.plot(run)
except ModuleNotFoundError as problem:
    print(problem)
"""

EVERY_LEVEL = """
import gdviz, pygame
from gdviz.core.levels import builtin_levels_dir, load_levels
from gdviz.core.session import PlaySession
from gdviz.ui.layout import PlayGeometry
from gdviz.ui.scenes.play_cards import Cards
from gdviz.ui.scenes.play_view import PlayView
from gdviz.ui.theme import Look
from gdviz.ui.toast import Toast

pygame.font.init()
levels, errors = load_levels(builtin_levels_dir())
assert not errors, errors
target, view = pygame.Surface((640, 360)), PlayView()
for index, level in enumerate(levels):
    session = PlaySession(levels, index)
    session.race.step(20)
    for lang in ("en", "zh"):
        look = Look(lang=lang)
        view.draw(target, look, session, PlayGeometry.build((640, 360), look, level), Toast(), Cards(False))
print(len(levels))
"""


def _run(command: list, cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYGAME_HIDE_SUPPORT_PROMPT", "PYTHONPATH", "VIRTUAL_ENV")}  # as a user's shell has it
    env["SDL_VIDEODRIVER"], env["SDL_AUDIODRIVER"] = "dummy", "dummy"
    return subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == "", result.stderr  # no banner, no warning, no traceback
    return result.stdout


# Building and installing the wheel takes a quarter of a minute and the package index: these
# run after the quick suite, in .ci/run (`pytest -m slow tests/test_package.py`), to keep
# `make test` inside its budget.
WHEEL = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Build the wheel from a clean copy of the repository (no stale build/ folder can leak in)."""
    work = tmp_path_factory.mktemp("build")
    shutil.copytree(ROOT, work / "src", ignore=NOT_SOURCES)
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
                             str(work / "dist"), str(work / "src")], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = (work / "dist").glob("gdviz-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """Return the bin folder of a fresh virtual environment with only the wheel (and its dependencies)."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    result = subprocess.run([bin_dir / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                             str(wheel)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return bin_dir


@WHEEL
def test_the_wheel_carries_every_level_font_and_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {f"gdviz/_data/levels/{p.name}" for p in (ROOT / "levels").iterdir() if p.is_file()}
    wanted |= {f"gdviz/_data/fonts/{p.name}" for p in (ROOT / "assets" / "fonts").iterdir() if p.is_file()}
    # Data kept inside the package itself (a dataset, say) goes in too, whatever folder it is in.
    wanted |= {p.relative_to(ROOT).as_posix() for p in (ROOT / "gdviz").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc",)}
    assert not wanted - names, sorted(wanted - names)


@WHEEL
def test_a_level_deleted_since_the_last_build_is_not_shipped(wheel):
    """setuptools keeps build/lib between builds; the mapped levels are copied afresh each time."""
    src = wheel.parent.parent / "src"
    assert (src / "build").is_dir()  # the first build left its folder, as in a teacher's clone
    gone = sorted((src / "levels").glob("*.toml"))[0]
    gone.unlink()
    dist = wheel.parent.parent / "dist2"
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(dist),
                             str(src)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    (rebuilt,) = dist.glob("gdviz-*.whl")
    names = zipfile.ZipFile(rebuilt).namelist()
    assert f"gdviz/_data/levels/{gone.name}" not in names
    assert f"gdviz/_data/levels/{gone.name}" in zipfile.ZipFile(wheel).namelist()


@WHEEL
def test_the_installed_game_plays_from_any_folder(wheel, installed, tmp_path):
    here = tmp_path / "somewhere"
    here.mkdir()
    where = _ok(_run([installed / "python", "-c", "import gdviz.resources as r; print(r.levels_dir())"], here))
    assert Path(where.strip()).is_relative_to(installed.parent), where  # read from the install, not the clone
    assert not _ok(_run([installed / "gdviz", "--headless", "--frames", "10", "--screenshot", "en.png"], here))
    assert not _ok(_run([installed / "python", "-m", "gdviz", "--headless", "--frames", "10", "--lang", "zh",
                         "--level", "rosenbrock", "--screenshot", "zh.png"], here))
    for shot in ("en.png", "zh.png"):
        assert (here / shot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    listed = _ok(_run([installed / "gdviz", "--list-levels"], here)).split()
    shipped = [n for n in zipfile.ZipFile(wheel).namelist() if re.fullmatch(r"gdviz/_data/levels/[^/]+\.toml", n)]
    assert len(listed) == len(shipped) >= 16 and not BANNER.search(" ".join(listed))


@WHEEL
def test_every_shipped_level_plays_in_both_languages_when_installed(wheel, installed, tmp_path):
    shipped = [n for n in zipfile.ZipFile(wheel).namelist() if re.fullmatch(r"gdviz/_data/levels/[^/]+\.toml", n)]
    assert int(_ok(_run([installed / "python", "-c", EVERY_LEVEL], tmp_path))) == len(shipped)


@WHEEL
def test_the_installed_game_reads_a_folder_of_the_users_levels(installed, tmp_path):
    mine = tmp_path / "my levels"
    mine.mkdir()
    shutil.copy(ROOT / "levels" / "05-saddle.toml", mine / "01-my-saddle.toml")
    assert _ok(_run([installed / "gdviz", "--levels-dir", mine, "--list-levels"], tmp_path)).split() == ["my-saddle"]
    assert not _ok(_run([installed / "gdviz", "--levels-dir", mine, "--headless", "--frames", "5"], tmp_path))


@WHEEL
def test_the_installed_package_makes_a_gif_and_explains_the_plot_extra(installed, tmp_path):
    out = _ok(_run([installed / "python", "-c", GIF_FROM_PYTHON], tmp_path))
    assert "frames" in out and 'pip install "gdviz[plot]"' in out  # matplotlib is not a dependency
    assert (tmp_path / "run.gif").read_bytes()[:6] == b"GIF89a"


def test_python_m_gdviz_in_the_clone_prints_no_banner():
    out = _ok(_run([sys.executable, "-m", "gdviz", "--list-levels"], ROOT))
    assert not BANNER.search(out)


@pytest.mark.parametrize("doc", ["README.md", "levels/README.md", "docs/kiosk.md"])
def test_the_docs_never_say_python_main_py(doc):
    """A bare `python main.py` fails outside the virtual environment, and a clone's
    `.venv/bin/python main.py` is no use on a machine that installed the wheel."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    bare = [line for line in text.splitlines() if re.search(r"python3? main\.py", line)]
    assert not bare, bare


def test_the_readme_has_an_install_section_for_classrooms():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Install for a classroom or a kiosk" in text and "pipx install" in text
