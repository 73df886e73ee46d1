"""gdviz.plot and gdviz.animate: pictures of runs in the game's look, from a notebook or a script."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

import gdviz
from gdviz.ui import colormap, theme

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")


@pytest.fixture(scope="module")
def runs():
    return [gdviz.simulate("rosenbrock", name, start=(-1.5, 2.5), steps=60, lr=lr)
            for name, lr in (("gd", 0.001), ("adam", 0.05))]


def test_plot_draws_the_map_the_paths_and_the_losses(runs):
    fig, (map_ax, loss_ax) = gdviz.plot(runs)
    assert fig is map_ax.figure is loss_ax.figure
    image = map_ax.images[0]
    assert np.allclose(image.cmap(np.linspace(0, 1, 256))[:, :3], colormap.lut() / 255, atol=1 / 255)
    lines = [line for line in map_ax.lines if not line.get_label().startswith("_")]
    assert [line.get_label() for line in lines] == ["1 gd", "2 adam"]
    for index, (line, run) in enumerate(zip(lines, runs)):
        assert np.allclose(line.get_color(), np.array(theme.ball_colour(index)) / 255)
        assert np.allclose(line.get_xydata(), run.positions)
    assert loss_ax.get_yscale() == "log" and len(loss_ax.lines) == 2
    assert len(loss_ax.lines[1].get_xdata()) == 61
    # Rosenbrock's one global minimum is marked with the game's white star at (1, 1).
    star = [c for c in map_ax.collections if np.allclose(c.get_offsets(), [[1.0, 1.0]])]
    assert star and np.allclose(star[0].get_facecolor()[0][:3], np.array(theme.MIN_GLOBAL) / 255)


def test_plot_takes_a_race_a_1d_run_and_given_axes():
    import matplotlib.pyplot as plt

    race = gdviz.Race(gdviz.surfaces.get("saddle"), [gdviz.BallSpec("gd", {"lr": 0.1}, start=(-1.5, 0.01))])
    race.step(30)
    fig, ax = plt.subplots()
    assert gdviz.plot(race, ax=ax) == (fig, (ax, None))
    curve = gdviz.simulate("double_well", "momentum", start=(-1.8,), steps=40, lr=0.05)
    fig, (map_ax, loss_ax) = gdviz.plot(curve)
    assert map_ax.lines and loss_ax.lines
    plt.close("all")


def test_plot_without_matplotlib_says_how_to_install_it_in_one_sentence():
    code = ("import sys; sys.modules['matplotlib'] = None; import gdviz\n"
            "try:\n    gdviz.plot(gdviz.simulate('bowl', steps=3))\n"
            "except ModuleNotFoundError as e:\n    print(e)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout.strip()
    assert out == 'gdviz.plot needs matplotlib, which is not installed: pip install "gdviz[plot]"'


def test_animate_makes_a_gif_with_the_games_look_and_shows_inline(runs, tmp_path):
    picture = gdviz.animate(runs, tmp_path / "race.gif", size=(480, 270), fps=10)
    gif = Image.open(picture.path)
    assert gif.size == (480, 270) and gif.n_frames == picture.frames > 30  # 6 s at most: about one frame a step
    assert picture.steps == 60 and gif.info["duration"] == 100
    assert picture._repr_html_().startswith('<img src="data:image/gif;base64,R0lGOD')
    assert picture._repr_png_() is None


def test_animate_png_is_the_last_frame_with_balls_where_the_run_ended(runs, tmp_path):
    picture = gdviz.animate(runs[1], tmp_path / "end.png", size=(640, 360))
    assert picture.frames == 1 and picture._repr_png_()[:4] == b"\x89PNG"
    rgb = np.asarray(Image.open(picture.path).convert("RGB")).astype(int)
    # The game's first ball colour is drawn (a ball, its trail) and the map's colours fill most of it.
    assert (np.abs(rgb - theme.ball_colour(0)).sum(axis=-1) < 30).sum() > 20
    assert (np.abs(rgb[:, :200] - colormap.lut()[None, None, 128]).sum(axis=-1) < 120).mean() > 0.05


def test_animate_replays_a_trajectory_exactly():
    run = gdviz.simulate("bowl", "momentum", start=(-2.0, 1.5), steps=25, lr=0.1)
    race = run.race()
    race.step(25)
    assert np.array_equal(race.balls[0].position[0], run.positions[-1])


def test_animate_says_what_it_needs(runs, tmp_path):
    with pytest.raises(ValueError, match=r"\.gif"):
        gdviz.animate(runs, tmp_path / "race.mp4")
    other = gdviz.simulate("bowl", steps=3)
    with pytest.raises(ValueError, match="one surface"):
        gdviz.animate([runs[0], other], tmp_path / "race.gif")


def test_animate_never_touches_the_display(runs, tmp_path):
    code = ("import pygame, gdviz\n"
            "run = gdviz.simulate('bowl', 'adam', steps=5, lr=0.3)\n"
            "gdviz.animate(run, 'x.gif', size=(320, 200), fps=5)\n"
            "print(pygame.display.get_init())")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False" and result.stderr == "", result.stderr
