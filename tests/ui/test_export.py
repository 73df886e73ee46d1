"""Exports: GIF clips and CSV tables written to real files, safely, with real pygame."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pygame
import pytest
from PIL import Image

from gdviz.ui.export import (GifRecorder, csv_path, gif_path, save_csv, save_surface_png,
                             screenshot_path)

DT = 1 / 60


@pytest.fixture(autouse=True)
def display():
    pygame.display.init()  # left initialised: other tests in this process share the display


def colour_frames(count: int, size: tuple[int, int] = (1280, 720)) -> list[pygame.Surface]:
    """Return frames whose colour changes every frame."""
    frames = []
    for i in range(count):
        surface = pygame.Surface(size)
        surface.fill(((i * 7) % 256, (i * 3) % 256, 255 - (i * 5) % 256))
        frames.append(surface)
    return frames


def record(recorder: GifRecorder, frames: list[pygame.Surface], dt: float = DT) -> int:
    return sum(recorder.add(frame, dt) for frame in frames)


def gif_durations(path: Path) -> list[int]:
    with Image.open(path) as image:
        durations = []
        for index in range(image.n_frames):
            image.seek(index)
            durations.append(image.info["duration"])
        return durations


def only_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- GIF -------------------------------------------------------------------------------


def test_two_seconds_at_60_fps_become_30_frames_at_15_fps(tmp_path):
    recorder = GifRecorder(fps=15)
    kept = record(recorder, colour_frames(120))
    assert kept == recorder.frames == 30
    assert recorder.seconds == pytest.approx(2.0)
    path = recorder.save(tmp_path / "clip.gif")
    with Image.open(path) as image:
        assert image.format == "GIF" and image.n_frames == 30
        assert image.size == (960, 540)
        assert image.info["loop"] == 0
    assert sum(gif_durations(path)) == 2000  # 15 fps on average despite 10 ms units


def test_saved_frames_show_the_recorded_colours(tmp_path):
    frames = colour_frames(8, (200, 100))
    recorder = GifRecorder(fps=60)
    record(recorder, frames)
    path = recorder.save(tmp_path / "clip.gif")
    with Image.open(path) as image:
        for index, frame in enumerate(frames):
            image.seek(index)
            assert image.convert("RGB").getpixel((50, 50)) == tuple(frame.get_at((50, 50)))[:3]


def test_small_frames_are_not_enlarged_and_scaling_can_be_off(tmp_path):
    small, big = GifRecorder(), GifRecorder(scale_to_width=None)
    small.add(pygame.Surface((320, 240)), DT)
    big.add(pygame.Surface((1280, 720)), DT)
    for recorder, size in ((small, (320, 240)), (big, (1280, 720))):
        with Image.open(recorder.save(tmp_path / f"{size[0]}.gif")) as image:
            assert image.size == size


def test_a_window_resize_mid_clip_keeps_one_frame_size(tmp_path):
    recorder = GifRecorder(fps=60)
    record(recorder, colour_frames(2, (1280, 720)) + colour_frames(2, (800, 600)))
    with Image.open(recorder.save(tmp_path / "resized.gif")) as image:
        assert image.n_frames == 4
        for index in range(4):
            image.seek(index)
            assert image.size == (960, 540)


def test_recording_stops_at_the_length_cap():
    recorder = GifRecorder(max_seconds=1, fps=10)
    record(recorder, colour_frames(180, (64, 48)))  # 3 seconds offered
    assert recorder.frames == 10 and recorder.full and not recorder.recording
    assert recorder.seconds == pytest.approx(1.0)
    assert not recorder.add(pygame.Surface((64, 48)), DT)


def test_stop_ends_recording():
    recorder = GifRecorder()
    record(recorder, colour_frames(10, (64, 48)))
    recorder.stop()
    assert not recorder.recording and not recorder.full
    assert not recorder.add(pygame.Surface((64, 48)), DT) and recorder.frames == 3


def test_slow_frames_are_each_kept_once_with_their_real_length(tmp_path):
    recorder = GifRecorder(fps=15)
    assert record(recorder, colour_frames(5, (64, 48)), dt=0.2) == 5
    assert gif_durations(recorder.save(tmp_path / "slow.gif"))[:4] == [200] * 4


def test_a_still_background_stays_exactly_still(tmp_path):
    # A fresh palette per frame would make unchanged pixels flicker between shades.
    shades = np.linspace(0, 255, 320 * 180 * 3).reshape(320, 180, 3).astype(np.uint8)
    recorder = GifRecorder(fps=60)
    for i in range(6):
        surface = pygame.surfarray.make_surface(shades)
        pygame.draw.circle(surface, (255, 255, 255), (40 + 30 * i, 90), 8)
        recorder.add(surface, DT)
    with Image.open(recorder.save(tmp_path / "still.gif")) as image:
        pictures = []
        for index in range(image.n_frames):
            image.seek(index)
            pictures.append(np.asarray(image.convert("RGB"))[120:, :])  # below the moving ball
    assert image.n_frames == 6 and all(np.array_equal(pictures[0], p) for p in pictures[1:])


def test_new_colours_get_a_new_palette(tmp_path):
    recorder = GifRecorder(fps=60)
    grey = pygame.Surface((160, 120))
    grey.fill((90, 90, 90))
    recorder.add(grey, DT)
    magenta = grey.copy()
    pygame.draw.rect(magenta, (255, 0, 255), (40, 30, 60, 40))
    recorder.add(magenta, DT)
    with Image.open(recorder.save(tmp_path / "new.gif")) as image:
        image.seek(1)
        assert image.convert("RGB").getpixel((60, 50)) == (255, 0, 255)


def test_saving_without_frames_says_so(tmp_path):
    with pytest.raises(ValueError, match="no frames"):
        GifRecorder().save(tmp_path / "empty.gif")
    assert only_files(tmp_path) == []


def test_save_into_a_path_under_a_file_raises_oserror_and_leaves_nothing(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    recorder = GifRecorder()
    record(recorder, colour_frames(4, (64, 48)))
    with pytest.raises(OSError):
        recorder.save(blocker / "clip.gif")
    with pytest.raises(OSError):
        save_csv("a,b\n", blocker / "table.csv")
    assert only_files(tmp_path) == ["not-a-folder"]


def test_a_failed_rename_leaves_no_temporary_file(tmp_path):
    # A folder where the file should go makes the final rename fail after the temporary
    # file was fully written: the case that could leave debris behind.
    (tmp_path / "clip.gif").mkdir()
    (tmp_path / "table.csv").mkdir()
    recorder = GifRecorder()
    record(recorder, colour_frames(4, (64, 48)))
    with pytest.raises(OSError):
        recorder.save(tmp_path / "clip.gif")
    with pytest.raises(OSError):
        save_csv("a,b\n", tmp_path / "table.csv")
    assert only_files(tmp_path) == ["clip.gif", "table.csv"]


def test_save_replaces_an_old_file_whole(tmp_path):
    target = tmp_path / "clip.gif"
    target.write_bytes(b"old" * 100_000)
    recorder = GifRecorder()
    record(recorder, colour_frames(8, (64, 48)))
    recorder.save(target)
    with Image.open(target) as image:
        assert image.n_frames == recorder.frames == 2
    assert only_files(tmp_path) == ["clip.gif"]


# --- CSV and file names ----------------------------------------------------------------


def test_save_csv_writes_the_text_and_makes_the_folder(tmp_path):
    path = save_csv("step,x\n0,1.5\n", tmp_path / "new" / "table.csv")
    assert path == tmp_path / "new" / "table.csv"
    assert path.read_text(encoding="utf-8-sig") == "step,x\n0,1.5\n"


def test_export_paths_are_time_stamped_and_never_reuse_a_name(tmp_path):
    for make, suffix in ((gif_path, ".gif"), (csv_path, ".csv"), (screenshot_path, ".png")):
        first = make(tmp_path)
        assert first.parent == tmp_path and first.suffix == suffix and first.name.startswith("gdviz-")
        first.write_text("taken")
        assert make(tmp_path) != first


def test_paths_default_to_the_export_folder():
    assert gif_path(None).parent == csv_path(None).parent == screenshot_path(None).parent


def test_png_screenshots_still_save(tmp_path):
    surface = pygame.Surface((40, 30))
    surface.fill((10, 200, 30))
    path = save_surface_png(surface, tmp_path / "shot.png")
    with Image.open(path) as image:
        assert image.size == (40, 30) and image.convert("RGB").getpixel((5, 5)) == (10, 200, 30)
