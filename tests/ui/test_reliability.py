"""Running all day (issue 14): crash loops that end, a log that keeps the first traceback, no
silent start on a display that shows nothing, and SIGHUP as a clean stop."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pygame
import pytest
from helpers import make_app

from gdviz.ui import hud
from gdviz.ui.recovery import CRASH_LOOP_STATUS, Recovery
from gdviz.ui.scenes.base import Scene

ROOT = Path(__file__).parents[2]


def _log(home: Path) -> str:
    return (home / ".local/state/gdviz/log/gdviz.log").read_text()


class _Lines:
    """A logger stand-in that keeps what would be written (the real file logger is tested below)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def error(self, message: str, *values: object) -> None:
        self.lines.append(message % values)


def _error_at(line: int) -> Exception:
    """An exception raised from a given place, as a real bug is."""
    try:
        exec(compile("\n" * (line - 1) + "raise ValueError('text cannot be drawn')", "scene.py", "exec"))
    except ValueError as error:
        return error
    raise AssertionError("unreachable")


# --- a fault on every frame ends the process --------------------------------------------------


def test_a_fault_on_every_frame_ends_the_game_with_one_traceback_and_a_clear_line(monkeypatch):
    """The issue's case: text drawing raises on every frame. Before, the game restarted the
    title every frame for ever and wrote thousands of tracebacks."""
    monkeypatch.setenv("GDVIZ_STRICT", "0")
    app = make_app("--level", "saddle")
    log = _Lines()
    app.recovery.logger = lambda: log  # the real log file: next test

    def broken(*_args, **_kwargs):
        raise RuntimeError("text cannot be drawn")

    monkeypatch.setattr(hud.TEXT, "render", broken)
    status = app.run(frames=10_000)
    assert status == CRASH_LOOP_STATUS and not app.running
    assert app.frame_count <= 10, "it gave up within a few frames, not after thousands"
    tracebacks = [line for line in log.lines if "Traceback" in line]
    assert len(tracebacks) == 1, log.lines
    assert "RuntimeError: text cannot be drawn" in tracebacks[0]
    assert any(line.startswith("giving up") and f"status {CRASH_LOOP_STATUS}" in line for line in log.lines)


def test_the_crash_loop_reaches_the_log_file_and_stderr_in_a_real_process(tmp_path):
    """The whole path as a supervisor sees it: a non-zero exit within seconds, one line on
    stderr, and the log file holding the first traceback once."""
    home = tmp_path / "home"
    code = ("import sys; from gdviz.ui import hud\n"
            "def broken(*a, **k): raise RuntimeError('text cannot be drawn')\n"
            "hud.TEXT.render = broken\n"
            "from gdviz.cli import main; main(sys.argv[1:])\n")
    env = {**os.environ, "HOME": str(home), "GDVIZ_STRICT": "0"}
    env.pop("GDVIZ_LOG_DIR", None)
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", code, "--headless", "--frames", "100000", "--level", "saddle"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == CRASH_LOOP_STATUS, result.stderr
    assert time.monotonic() - started < 30
    assert result.stderr.count("\n") == 1 and "keeps happening" in result.stderr and "Traceback" not in result.stderr
    log = _log(home)
    assert log.count("Traceback") == 1 and "giving up" in log


def test_an_error_that_comes_back_slowly_is_logged_once_with_a_count():
    """Below the crash-loop rate the game keeps recovering; the log counts repeats instead of
    writing the same traceback each time."""
    now = [0.0]
    log = _Lines()
    recovery = Recovery(lambda: log, clock=lambda: now[0])
    for _ in range(100):
        assert not recovery.record(_error_at(7), "PlayScene")
        now[0] += 10.0  # 3 in any 30 s: not a loop
    recovery.flush()
    assert sum("Traceback" in line for line in log.lines) == 1
    counts = [line for line in log.lines if line.startswith("the same error again")]
    assert len(counts) <= 9 and counts[-1].endswith("(99 times since it was logged)")


def test_a_different_error_gets_its_own_traceback_and_closes_the_count_of_the_last():
    log = _Lines()
    now = [0.0]
    recovery = Recovery(lambda: log, clock=lambda: now[0])
    for line in (7, 7, 7, 9):
        recovery.record(_error_at(line), "PlayScene")
        now[0] += 60
    assert sum("Traceback" in entry for entry in log.lines) == 2
    assert "the same error again (2 times since it was logged)" in log.lines
    assert log.lines.count("the same error again (1 time since it was logged)") == 1


def test_six_errors_within_thirty_seconds_is_a_loop_and_five_is_not():
    now = [0.0]
    recovery = Recovery(lambda: _Lines(), clock=lambda: now[0])
    answers = []
    for _ in range(6):
        answers.append(recovery.record(_error_at(3), "TitleScene"))
        now[0] += 5.0
    assert answers == [False] * 5 + [True]


def test_a_start_up_error_reaches_the_log_as_well_as_stderr(tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "HOME": str(home)}
    result = subprocess.run([sys.executable, "main.py", "--headless", "--frames", "2", "--level", "no-such-level"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "unknown level" in result.stderr
    assert "could not start: unknown level 'no-such-level'" in _log(home)


# --- no silent, invisible start ----------------------------------------------------------------


def _start_on(env_changes: dict[str, str | None], *args: str) -> tuple[subprocess.CompletedProcess, float]:
    env = {**os.environ, "HOME": "/nonexistent-home-for-this-test"}
    for name, value in env_changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    started = time.monotonic()
    result = subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    return result, time.monotonic() - started


@pytest.mark.parametrize("env_changes", [
    {"SDL_VIDEODRIVER": None, "WAYLAND_DISPLAY": None, "DISPLAY": ":55"},  # no such X display
    {"SDL_VIDEODRIVER": "offscreen"},
    {"SDL_VIDEODRIVER": "dummy"},
    {"SDL_VIDEODRIVER": "wayland", "WAYLAND_DISPLAY": None, "XDG_RUNTIME_DIR": None},  # no compositor
    {"SDL_VIDEODRIVER": "no-such-driver"},
    {"SDL_VIDEODRIVER": "evdev"},  # SDL's input-only "video" driver: as dummy, shows nothing
], ids=["display-55", "offscreen", "dummy", "wayland-without-compositor", "unknown-driver", "evdev"])
@pytest.mark.parametrize("mode", [(), ("--kiosk",)], ids=["window", "kiosk"])
def test_a_display_that_shows_nothing_is_one_line_and_a_quick_non_zero_exit(env_changes, mode):
    result, seconds = _start_on(env_changes, *mode, "--frames", "100000")
    assert result.returncode != 0 and seconds < 20
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gdviz: ") and "Traceback" not in result.stderr, result.stderr
    assert "--headless" in lines[0]


def test_headless_still_runs_on_the_dummy_driver_on_purpose(tmp_path):
    result, _ = _start_on({"SDL_VIDEODRIVER": "dummy"}, "--headless", "--frames", "3",
                          "--screenshot", str(tmp_path / "shot.png"))
    assert result.returncode == 0 and (tmp_path / "shot.png").stat().st_size > 0


# --- the window's pixels -----------------------------------------------------------------------


def test_headless_frames_are_flipped_whole_and_not_diffed():
    """The tile diff is for real windows; headless runs (tests, exports) keep their exact cost."""
    app = make_app("--level", "saddle")
    app.run(frames=3)
    assert app.pushed_pixels == 0


class _BrokenWhileClipped(Scene):
    """A scene whose drawing fails half-way, after narrowing the screen's clip (as a map does)."""

    def draw(self, surface, look):
        surface.set_clip(pygame.Rect(10, 10, 50, 50))
        raise ValueError("a bug while drawing the map")


def test_the_title_after_a_recovery_is_drawn_whole(monkeypatch):
    """Before: the recovered title was drawn only inside the crashed scene's clip rectangle."""
    monkeypatch.setenv("GDVIZ_STRICT", "0")
    app = make_app("--level", "saddle")
    app.recovery.logger = lambda: _Lines()
    app.push(_BrokenWhileClipped(app.ctx))
    for _ in range(3):
        app.frame(1 / 60)
    assert type(app.top).__name__ == "TitleScene"
    assert app.screen.get_clip() == app.screen.get_rect()



@pytest.mark.parametrize("flags, says", [
    (["--frames", "2"], "no screen found"),  # no DISPLAY at all
    (["--headless", "--frames", "2", "--screenshot", "/"], "--screenshot /"),
])
def test_refusals_before_the_game_starts_reach_the_log_too(tmp_path, flags, says):
    home = tmp_path / "home"
    env = {**os.environ, "HOME": str(home)}
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        env.pop(name, None)
    result = subprocess.run([sys.executable, "main.py", *flags], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0 and says in result.stderr
    assert says in _log(home)
