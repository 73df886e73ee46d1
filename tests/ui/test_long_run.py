"""Day-long unattended running: eight hours of the kiosk attract loop, fast-forwarded, with
bounded memory and no slowdown; and clean exits on Ctrl+C and SIGTERM."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

import numpy as np
import pygame
import pytest

from helpers import make_app

from gdviz.ui.scenes.attract import AttractScene

ROOT = Path(__file__).parents[2]
HOURS = 8
STEP_SECONDS = 12.0  # simulated seconds per frame: eight hours in 2,400 frames


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS line")


@pytest.mark.parametrize("hours", [
    1.0,  # four rounds of the 18 levels: enough to see memory grow, in the quick suite
    pytest.param(HOURS, marks=pytest.mark.slow),  # a museum's working day
])
def test_hours_of_attract_loop_bounded_memory_and_no_slowdown(hours):
    app = make_app("--kiosk", "--attract", size="640x360")
    frames = int(hours * 3600 / STEP_SECONDS)
    times, cycle_memory = [], []
    previous_turn = -1
    for _ in range(frames):
        start = time.perf_counter()
        app.frame(STEP_SECONDS)
        times.append(time.perf_counter() - start)
        attract = app.top
        assert isinstance(attract, AttractScene) and app.running
        if attract.turn != previous_turn and attract.turn % len(attract.order) == 0:
            gc.collect()  # memory is compared at the same moment of each round of levels
            cycle_memory.append(rss_mb())
        previous_turn = attract.turn
    assert len(cycle_memory) >= 4  # went round every level several times
    growth = cycle_memory[-1] - cycle_memory[1]  # the first round warms the caches up
    assert growth < 10, f"memory grew by {growth:.1f} MB over {len(cycle_memory) - 2} rounds: {cycle_memory}"
    tenth = frames // 10
    first, last = median(times[tenth:2 * tenth]), median(times[-tenth:])
    assert last < 1.5 * first + 0.0005, f"frames slowed from {first * 1e3:.2f} ms to {last * 1e3:.2f} ms"


def _start_game(*args: str) -> subprocess.Popen:
    # As the game really runs: crash recovery on (not the tests' strict mode), SDL's own handlers on.
    env = {k: v for k, v in os.environ.items() if k not in ("GDVIZ_STRICT", "SDL_NO_SIGNAL_HANDLERS")}
    return subprocess.Popen([sys.executable, "main.py", "--headless", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _stop(process: subprocess.Popen, how: int) -> tuple[int, str]:
    time.sleep(3.0)  # well past start-up: the loop is running
    assert process.poll() is None, process.stderr.read()
    process.send_signal(how)
    _, err = process.communicate(timeout=20)
    return process.returncode, err


def test_ctrl_c_exits_cleanly_without_a_traceback():
    code, err = _stop(_start_game("--level", "saddle"), signal.SIGINT)
    assert code == 0 and "Traceback" not in err and "KeyboardInterrupt" not in err


def test_sigterm_exits_cleanly_without_a_traceback():
    code, err = _stop(_start_game("--kiosk", "--attract"), signal.SIGTERM)
    assert code == 0 and "Traceback" not in err


def test_sighup_stops_cleanly_with_a_whole_screenshot_and_the_gif(tmp_path):
    """A closed terminal or a session logout sends SIGHUP: like SIGTERM, exit 0 with --gif and
    --screenshot written (before, the default action killed the game silently). And the picture
    is a whole frame: the signal once stopped the loop in the middle of drawing, so the saved
    picture lacked the side panel, the footer and the labels in 11 runs of 12. (SIGTERM and
    Ctrl+C go through the same handler.)"""
    from PIL import Image

    shot, gif = tmp_path / "shot.png", tmp_path / "run.gif"
    code, err = _stop(_start_game("--level", "saddle", "--size", "1280x720", "--screenshot", str(shot),
                                  "--gif", str(gif)), signal.SIGHUP)
    assert code == 0 and "Traceback" not in err, err
    assert gif.read_bytes()[:6] in (b"GIF87a", b"GIF89a")
    ours = np.asarray(Image.open(shot).convert("RGB"))
    app = make_app("--level", "saddle", size="1280x720")  # the same still picture: paused, card up
    for _ in range(120):
        app.frame(1 / 60)
    whole = pygame.surfarray.array3d(app.screen).transpose(1, 0, 2)
    same = float(np.mean(np.all(ours == whole, axis=2)))
    assert same > 0.98, f"only {same:.1%} of the saved picture matches a whole frame"
