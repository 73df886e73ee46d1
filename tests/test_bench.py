"""Smoke test of the benchmark: every measurement runs (tiny repetitions) and reports sane numbers.

Timing targets are never asserted here: test machines are too different and too busy.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from gdviz import bench

ROOT = Path(__file__).resolve().parents[1]

REQUIRED = (
    "frame_ms_720p_median", "frame_ms_720p_p95", "frame_ms_1080p_median", "frame_ms_1080p_p95",
    "swarm10k_frame_ms_720p_median", "adam10k_step_ms", "level_build_ms_720p_max",
    "level_build_ms_1080p_max", "first_frame_s",
)
OPTIONAL = ("matplotlib_frame_ms_720p_median", "speedup_vs_matplotlib")  # null without matplotlib

TINY = bench.Settings(
    build_repeats=1, build_warmup=0, race_frames=3, race_warmup=1, fill_steps=30,
    swarm_frames=3, swarm_warmup=1, swarm_balls=400, adam_repeats=3, adam_warmup=1, adam_points=1000,
    first_frame_runs=1, mpl_frames=1, mpl_warmup=0, window_seconds=0.6, window_warmup=1.0, window_sizes=("720p",),
)


def _positive(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0


@pytest.fixture(scope="module")
def measured():
    return bench.measure(TINY)


def test_every_number_is_there_and_positive(measured):
    _, data = measured
    json.dumps(data)  # the --json output must be plain JSON
    for key in REQUIRED:
        assert _positive(data[key]), (key, data[key])
    for key in OPTIONAL:
        assert key in data
        if bench.matplotlib_available():
            assert _positive(data[key]), (key, data[key])
        else:
            assert data[key] is None
    for name in ("720p", "1080p"):
        per_level = data[f"level_build_ms_{name}"]
        assert per_level and all(_positive(v) for v in per_level.values())
        assert data[f"level_build_ms_{name}_max"] == max(per_level.values())


def test_the_race_is_what_it_claims(measured):
    _, data = measured
    race = data["meta"]["race_720p"]
    assert race["steps_per_frame"] == 1.0
    assert race["balls_rolling"] == bench.RACE_BALLS
    assert race["still_playing"]
    assert data["meta"]["swarm_720p"]["steps_per_frame"] == 1.0


def test_full_trails_after_the_fill():
    app, scene = bench.setup_race(bench.SIZES["720p"], fill_steps=bench.TRAIL_STEPS)
    assert len(scene.session.race.balls) == bench.RACE_BALLS
    assert all(len(b.trail(scene.session.race.trail_length)) == scene.session.race.trail_length for b in scene.session.race.balls)
    toggles = scene.session.toggles
    assert toggles.grad and toggles.velocity and toggles.squares and toggles.update and toggles.trails
    assert app.top is scene and scene.session.playing


def test_table_has_one_aligned_row_per_result(measured):
    rows, _ = measured
    lines = bench.table(rows).splitlines()
    assert len(lines) == len(rows) + 2
    assert lines[0].split()[:2] == ["what", "size"]


def test_without_matplotlib_the_row_says_how_to_get_it(monkeypatch):
    monkeypatch.setattr(bench, "matplotlib_available", lambda: False)
    assert bench.matplotlib_frames(bench.SIZES["720p"], 1, 0, fill_steps=5) is None
    settings = replace(TINY, sizes=("720p",), levels=("bowl-learning-rate",), window_sizes=())
    monkeypatch.setattr(bench, "first_frame", lambda runs, **_: [0.1] * runs)
    rows, data = bench.measure(settings)
    assert data["matplotlib_frame_ms_720p_median"] is None and data["speedup_vs_matplotlib"] is None
    assert bench.MPL_MISSING in bench.table(rows)


def test_help_works():
    done = subprocess.run([sys.executable, "-m", "gdviz.bench", "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "--quick" in done.stdout and "--json" in done.stdout


def test_the_matplotlib_frame_takes_one_race_step_and_fills_the_window():
    pytest.importorskip("matplotlib")
    from gdviz.bench_matplotlib import MatplotlibFrame

    _, scene = bench.setup_race(bench.SIZES["720p"], fill_steps=5)
    before = scene.session.race.step_count
    pixels = MatplotlibFrame(scene, bench.SIZES["720p"]).draw()
    assert pixels.shape == (720, 1280, 4)
    assert scene.session.race.step_count == before + 1


@pytest.mark.skipif(not shutil.which("Xvfb"), reason="no Xvfb program to run a real window on")
def test_the_real_window_rows_are_measured_in_a_real_x11_window(measured):
    """Each scenario ran on the x11 driver; a still game rests (a few frames a second), a
    playing one does not. Speed itself is the benchmark's business, not this test's."""
    _, data = measured
    window = data["window"]
    assert set(window) == {f"{s}_720p" for s in bench.WINDOW_SCENARIOS}
    for figures in window.values():
        assert figures["driver"] == "x11" and figures["frames"] > 0 and _positive(figures["fps"])
    assert window["paused_720p"]["fps"] < 10 and window["title_720p"]["fps"] < 10
    assert window["race_720p"]["fps"] > 10
    assert window["paused_720p"]["pushed_share"] < 0.05


def test_without_xvfb_the_window_row_says_how_to_get_it(monkeypatch):
    from gdviz import bench_window

    monkeypatch.setattr(bench_window, "xvfb_available", lambda: False)
    out = bench.Measured()
    bench._measure_window(TINY, out, lambda _: None)
    assert out.data["window"] is None and bench_window.NO_XVFB in bench.table(out.rows)
