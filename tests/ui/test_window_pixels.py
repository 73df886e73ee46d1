"""What the X server shows is exactly what the game drew, although only changed tiles are sent.

A real window on Xvfb: the race plays for a while (balls move, the panel and plot change),
then the window's pixels are read back from the X server and compared with the game's own
frame, pixel for pixel."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gdviz.bench_window import virtual_display

ROOT = Path(__file__).parents[2]

SCRIPT = r"""
import subprocess, sys
import numpy as np, pygame
from PIL import Image
from gdviz import bench
app, scene = bench.setup_race((800, 600), fill_steps=30, headless=False)
assert pygame.display.get_driver() == "x11"
pushed = []
for frame in range(90):
    app.frame(1 / 60)
    pushed.append(app.pushed_pixels)
window = pygame.display.get_wm_info()["window"]
subprocess.run(["import", "-window", str(window), sys.argv[1]], check=True)
shown = np.asarray(Image.open(sys.argv[1]).convert("RGB")).astype(int)
drawn = pygame.surfarray.array3d(app.screen).transpose(1, 0, 2).astype(int)
print(shown.shape == drawn.shape, int(np.abs(shown - drawn).max()), min(pushed[1:]), max(pushed[1:]))
"""


@pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("import")),
                    reason="needs Xvfb and ImageMagick's import to read a real window back")
def test_the_window_shows_exactly_the_frame_after_partial_pushes(tmp_path):
    with virtual_display((800, 600)) as (display, _):
        env = {**os.environ, "DISPLAY": display, "SDL_VIDEODRIVER": "x11"}
        env.pop("WAYLAND_DISPLAY", None)
        done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "shown.png")], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    same_shape, worst, least, most = done.stdout.split()[-4:]
    assert same_shape == "True" and int(worst) == 0, f"the window differs from the frame by up to {worst}"
    assert 0 < int(least) < 800 * 600, "frames after the first were sent in part, not whole"


KIOSK_SCRIPT = r"""
import subprocess, sys
import numpy as np, pygame
from PIL import Image
from gdviz.cli import parse_args
from gdviz.ui.app import App
app = App(parse_args(["--kiosk", "--attract"]))
for _ in range(3):
    app.frame(1 / 60)
subprocess.run(["import", "-window", "root", sys.argv[1]], check=True)
shown = np.asarray(Image.open(sys.argv[1]).convert("RGB")).astype(int)
drawn = pygame.surfarray.array3d(app.screen).transpose(1, 0, 2).astype(int)
print(shown.shape == drawn.shape and int(np.abs(shown - drawn).max()) == 0)
"""


@pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("import")),
                    reason="needs Xvfb and ImageMagick's import to read the screen back")
def test_a_kiosk_without_a_window_manager_fills_the_screen_from_its_corner(tmp_path):
    """A bare X session (no window manager) does not move a window that goes fullscreen: a
    1280×720 window on a 1920×1080 screen stayed offset by (320, 180) and cut off."""
    with virtual_display((1920, 1080)) as (display, _):
        env = {**os.environ, "DISPLAY": display, "SDL_VIDEODRIVER": "x11"}
        env.pop("WAYLAND_DISPLAY", None)
        done = subprocess.run([sys.executable, "-c", KIOSK_SCRIPT, str(tmp_path / "screen.png")], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1] == "True", "the screen is not the game's frame, pixel for pixel"


SIZE_SCRIPT = r"""
import sys
from gdviz.cli import parse_args
from gdviz.ui.app import App
app = App(parse_args(sys.argv[1:]))
print(*app.screen.get_size())
"""


@pytest.mark.skipif(not shutil.which("Xvfb"), reason="needs Xvfb for a real window")
def test_the_default_window_fits_a_small_screen_and_an_asked_size_is_kept():
    """The default 1280×720 spilled off a 1024×600 screen on every side."""
    sizes = []
    with virtual_display((1024, 600)) as (display, _):
        env = {**os.environ, "DISPLAY": display, "SDL_VIDEODRIVER": "x11"}
        env.pop("WAYLAND_DISPLAY", None)
        for flags in ([], ["--size", "1280x720"], ["--size", "800x480"]):
            done = subprocess.run([sys.executable, "-c", SIZE_SCRIPT, *flags], cwd=ROOT, env=env,
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            sizes.append(tuple(int(v) for v in done.stdout.split()[-2:]))
    default, asked_big, asked_small = sizes
    assert default[0] <= 1024 and default[1] <= 600 and default[0] >= 0.8 * 1024
    assert asked_big == (1280, 720) and asked_small == (800, 480)
