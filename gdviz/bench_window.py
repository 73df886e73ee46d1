"""The benchmark's real-window part: the game in an X11 window on a virtual display.

`python -m gdviz.bench` measures drawing into memory on SDL's dummy driver; this module
measures what a kiosk or a projector actually pays: the real loop (its pacing, its resting
when nothing moves, pushing the changed parts of the frame to an X server) in a real window
on Xvfb. Each scenario runs in a fresh process (pygame cannot switch video drivers inside
one) for a warm-up and then a timed stretch of wall-clock time, and reports:

* ``fps`` — frames shown per second of wall time;
* ``frame_ms`` median and p95 — the time to make one frame (input, update, draw, push),
  timed around App.frame with time.perf_counter;
* ``interval_ms_p95`` — the 95th percentile of the time from one frame's start to the next;
* ``cpu_percent`` — the game process's CPU time (time.process_time) over the wall time, in
  percent of one core; ``xserver_cpu_percent`` the same for the X server (from /proc);
* ``pushed_share`` — the share of the window's pixels sent to the display, on average.

The scenarios: a level paused on its briefing and the title screen (nothing moves: the
game should rest), the benchmark's 6-ball race playing one step per frame, and the attract
loop. Without an ``Xvfb`` program the measurements are skipped with a note.

Run one scenario by hand (this is what the benchmark does):

    python -m gdviz.bench_window --scenario race --size 1920x1080 --seconds 5
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCENARIOS = ("paused", "title", "race", "attract")
NO_XVFB = "skipped: no Xvfb program (apt install xvfb) to run a real window on"
XVFB_START_SECONDS = 10.0


def xvfb_available() -> bool:
    """Return whether an Xvfb program is on the PATH."""
    return shutil.which("Xvfb") is not None


@contextmanager
def virtual_display(size: tuple[int, int]) -> Iterator[tuple[str, int]]:
    """Start Xvfb on a free display number; yield (":N", its pid); stop it afterwards.

    Raises RuntimeError when Xvfb is missing or does not come up within 10 s.
    """
    program = shutil.which("Xvfb")
    if program is None:
        raise RuntimeError(NO_XVFB)
    read_end, write_end = os.pipe()
    # -displayfd: Xvfb picks a free display itself and writes its number when ready.
    server = subprocess.Popen([program, "-displayfd", str(write_end), "-screen", "0",
                               f"{size[0]}x{size[1]}x24", "-nolisten", "tcp"],
                              pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    try:
        number = _read_display_number(read_end)
        yield f":{number}", server.pid
    finally:
        os.close(read_end)
        server.terminate()
        server.wait(timeout=10)


def _read_display_number(fd: int) -> int:
    deadline = time.monotonic() + XVFB_START_SECONDS
    text = b""
    while not text.endswith(b"\n"):
        if time.monotonic() > deadline:
            raise RuntimeError("Xvfb did not start within 10 s")
        chunk = os.read(fd, 16)
        if not chunk:
            raise RuntimeError("Xvfb stopped before it was ready")
        text += chunk
    return int(text)


def measure_scenario(scenario: str, size: tuple[int, int], seconds: float, warmup: float,
                     project: Path) -> dict[str, Any]:
    """Run one scenario in a fresh process on a fresh virtual display; return its figures."""
    with virtual_display(size) as (display, xserver_pid):
        env = {**os.environ, "DISPLAY": display, "SDL_VIDEODRIVER": "x11", "SDL_AUDIODRIVER": "dummy",
               "GDVIZ_BENCH_XSERVER_PID": str(xserver_pid)}
        env.pop("WAYLAND_DISPLAY", None)
        command = [sys.executable, "-m", "gdviz.bench_window", "--scenario", scenario,
                   "--size", f"{size[0]}x{size[1]}", "--seconds", str(seconds), "--warmup", str(warmup)]
        done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
                              timeout=seconds + warmup + 120)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"{scenario} at {size[0]}x{size[1]} failed: {last}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- inside the measuring process -------------------------------------------------------------


def _cpu_seconds_of(pid: int) -> float:
    """User + system CPU seconds of process `pid` so far (Linux /proc), 0 when unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _make_app(scenario: str, size: tuple[int, int]):
    from gdviz import bench
    from gdviz.cli import parse_args
    from gdviz.ui.app import App

    flags = ["--size", f"{size[0]}x{size[1]}"]
    if scenario == "race":
        app, _ = bench.setup_race(size, headless=False)
        return app
    if scenario == "paused":
        flags += ["--level", bench.RACE_LEVEL]
    elif scenario == "attract":
        flags += ["--attract"]
    app = App(parse_args(flags))
    app.strict = True
    return app


class _Timer:
    """Wraps App.frame: times each frame and notes when the timed stretch starts."""

    def __init__(self, app, warmup: float, xserver_pid: int) -> None:
        self.app, self.frame = app, app.frame
        self.xserver_pid = xserver_pid
        self.start_at = time.perf_counter() + warmup
        self.started = False
        self.work: list[float] = []
        self.starts: list[float] = []
        self.pushed: list[int] = []

    def __call__(self, dt: float, scene_dt: float | None = None) -> None:
        begin = time.perf_counter()
        if not self.started and begin >= self.start_at:
            self.started = True
            self.cpu0, self.wall0 = time.process_time(), begin
            self.xcpu0 = _cpu_seconds_of(self.xserver_pid)
        self.frame(dt, scene_dt)
        if self.started:
            self.work.append((time.perf_counter() - begin) * 1000.0)
            self.starts.append(begin)
            self.pushed.append(self.app.pushed_pixels)

    def figures(self, size: tuple[int, int]) -> dict[str, Any]:
        import numpy as np

        wall = time.perf_counter() - self.wall0
        intervals = np.diff(self.starts) * 1000.0 if len(self.starts) > 1 else np.array([0.0])
        work = np.array(self.work or [0.0])
        return {
            "frames": len(self.work), "seconds": round(wall, 2), "fps": round(len(self.work) / wall, 2),
            "frame_ms_median": round(float(np.median(work)), 3),
            "frame_ms_p95": round(float(np.percentile(work, 95)), 3),
            "interval_ms_p95": round(float(np.percentile(intervals, 95)), 3),
            "cpu_percent": round(100.0 * (time.process_time() - self.cpu0) / wall, 1),
            "xserver_cpu_percent": round(100.0 * (_cpu_seconds_of(self.xserver_pid) - self.xcpu0) / wall, 1),
            "pushed_share": round(float(np.mean(self.pushed or [0])) / (size[0] * size[1]), 3),
        }


def run_here(scenario: str, size: tuple[int, int], seconds: float, warmup: float) -> dict[str, Any]:
    """Run `scenario` in this process's real window; return its figures (see the module doc)."""
    import pygame

    app = _make_app(scenario, size)
    driver = pygame.display.get_driver()
    if driver != "x11":
        raise RuntimeError(f"expected the x11 video driver, got {driver}")
    timer = _Timer(app, warmup, int(os.environ.get("GDVIZ_BENCH_XSERVER_PID", "0")))
    app.frame = timer
    stop = threading.Timer(warmup + seconds, lambda: setattr(app, "running", False))
    stop.start()
    try:
        app.run()
    finally:
        stop.cancel()
    if not timer.started:
        raise RuntimeError("the timed stretch never started")
    return {"scenario": scenario, "size": f"{size[0]}x{size[1]}", "driver": driver, **timer.figures(size)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gdviz.bench_window",
                                     description="Time one scenario of the game in this process's real window.")
    parser.add_argument("--scenario", choices=SCENARIOS, required=True)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=1.5)
    args = parser.parse_args(argv)
    size = tuple(int(v) for v in args.size.split("x"))
    print(json.dumps(run_here(args.scenario, size, args.seconds, args.warmup)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
