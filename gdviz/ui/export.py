"""Saving what the player made: screenshots, short GIF clips and CSV tables.

Everything goes to one clear folder (Pictures/gdviz by default) under a time-stamped
name. Every file is made in memory first, then written safely (gdviz.storage): to a
temporary file in the same folder, flushed to the disk, then renamed into place, so a full
disk or a read-only folder raises OSError — the game says "not saved" — and leaves neither a
half-written file nor a stray temporary one behind. Exports are for other people and
programs: they get the usual permissions under the user's umask (not private), and CSV
tables carry a UTF-8 byte-order mark so spreadsheets read them correctly.
"""

from __future__ import annotations

import io
import math
import os
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pygame
from PIL import Image

from gdviz import storage

STEM = "gdviz"  # exports are named gdviz-<date>-<time>.png …


def default_export_dir() -> Path:
    """Return the user's Pictures/gdviz folder, or ~/gdviz when there is no Pictures folder."""
    pictures = Path.home() / "Pictures"
    return pictures / "gdviz" if pictures.is_dir() else Path.home() / "gdviz"


def _stamped_path(folder: Path | None, suffix: str) -> Path:
    """Return a new, time-stamped path ending in `suffix` that does not exist yet."""
    folder = folder or default_export_dir()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = folder / f"{STEM}-{stamp}{suffix}"
    n = 2
    while os.path.lexists(path):
        path = folder / f"{STEM}-{stamp}-{n}{suffix}"
        n += 1
    return path


def screenshot_path(folder: Path | None) -> Path:
    """Return a new, time-stamped PNG path in `folder` (or the default export folder)."""
    return _stamped_path(folder, ".png")


def gif_path(folder: Path | None) -> Path:
    """Return a new, time-stamped GIF path in `folder` (or the default export folder)."""
    return _stamped_path(folder, ".gif")


def csv_path(folder: Path | None) -> Path:
    """Return a new, time-stamped CSV path in `folder` (or the default export folder)."""
    return _stamped_path(folder, ".csv")


def encode_png(surface: pygame.Surface) -> bytes:
    """Return `surface` as the bytes of a PNG file, made in memory."""
    buffer = io.BytesIO()
    pygame.image.save(surface, buffer, "shot.png")  # the name only tells pygame the format
    return buffer.getvalue()


def save_surface_png(surface: pygame.Surface, path: Path) -> Path:
    """Write `surface` to `path` as PNG: encoded in memory, then written safely; return the path."""
    storage.atomic_write_bytes(Path(path), encode_png(surface), shared=True)
    return Path(path)


def save_csv(rows_text: str, path: Path) -> Path:
    """Write CSV text to `path` safely, as UTF-8 with a byte-order mark; return the path.

    The mark is how spreadsheets (Excel above all) know the file is UTF-8, so ball names in
    Chinese open correctly; Python's csv module and pandas read it with encoding="utf-8-sig".
    """
    storage.atomic_write_bytes(Path(path), rows_text.encode("utf-8-sig"), shared=True)
    return Path(path)


# --- GIF clips ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Frame:
    """One recorded frame, kept small: palette indices XOR the previous frame's, zlib-packed.

    Between two game frames most pixels keep their palette entry, so the XOR is mostly
    zeros and packs to ~10 KB instead of ~500 KB (a 20 s clip then needs a few MB).
    """

    size: tuple[int, int]
    change: bytes
    palette: bytes
    time: float


def _xor(a: bytes, b: bytes) -> bytes:
    return (np.frombuffer(a, np.uint8) ^ np.frombuffer(b, np.uint8)).tobytes()


def _clip_size(size: tuple[int, int], width: int | None) -> tuple[int, int]:
    """Return the clip's frame size: `size` shrunk to `width` pixels wide if it is wider."""
    if not width or size[0] <= width:
        return size
    return width, max(1, round(size[1] * width / size[0]))


def _rgb_image(surface: pygame.Surface, size: tuple[int, int]) -> Image.Image:
    """Return the surface as a PIL RGB image of exactly `size` pixels."""
    if surface.get_size() != size:
        if surface.get_bitsize() < 24:  # smoothscale only takes 24- and 32-bit surfaces
            deep = pygame.Surface(surface.get_size(), 0, 32)
            deep.blit(surface, (0, 0))
            surface = deep
        surface = pygame.transform.smoothscale(surface, size)
    return Image.frombytes("RGB", size, pygame.image.tobytes(surface, "RGB"))


class _Palette:
    """Turns RGB frames into 256-colour ones, keeping one palette while it still fits.

    Reusing the palette keeps still parts of the picture exactly still (a fresh palette
    per frame makes the contour map shimmer) and lets the GIF store only what changed,
    which makes files about ten times smaller. When a frame fits clearly worse than the
    frame the palette was made for (a menu opens, a ball of a new colour arrives, the
    colours fade), a new palette is made.
    """

    def __init__(self) -> None:
        self._image: Image.Image | None = None
        self._baseline = _Fit(0.0, 0.0)

    def convert(self, rgb: Image.Image) -> Image.Image:
        if self._image is not None:
            image = self._map(rgb)
            if _fit(rgb, image).within(self._baseline):
                return image
        # Fast octree: ~10x faster than median cut, and it flickers far less.
        self._image = rgb.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        # Map this frame again by nearest colour, as later frames will be, so a pixel that
        # does not change keeps exactly the same palette entry from this frame on.
        image = self._map(rgb)
        self._baseline = _fit(rgb, image)
        return image

    def _map(self, rgb: Image.Image) -> Image.Image:
        # No dithering: it would blur contour lines and text and bloat the file.
        return rgb.quantize(palette=self._image, dither=Image.Dither.NONE)


@dataclass(frozen=True)
class _Fit:
    """How far a palette image is from its RGB source, on a sample of pixels."""

    mean_error: float  # mean of |dr| + |dg| + |db|
    badly_off: float  # share of pixels off by more than _BADLY_OFF

    def within(self, baseline: _Fit) -> bool:
        return (self.mean_error <= 1.2 * baseline.mean_error + 0.5
                and self.badly_off <= baseline.badly_off + 0.001)


_BADLY_OFF = 48


def _fit(rgb: Image.Image, image: Image.Image) -> _Fit:
    # Every 7th pixel each way: about 1 ms for a 960x540 frame, and enough to notice
    # anything larger than a few pixels across.
    source = np.asarray(rgb)[::7, ::7].astype(np.int16)
    palette = np.asarray(image.getpalette() or [0, 0, 0], dtype=np.int16).reshape(-1, 3)
    indices = np.minimum(np.asarray(image)[::7, ::7], len(palette) - 1)
    error = np.abs(palette[indices] - source).sum(axis=-1)
    return _Fit(float(error.mean()), float((error > _BADLY_OFF).mean()))


def _durations_ms(times: list[float], last: float) -> list[int]:
    """Return each frame's display time in ms, in GIF's 10 ms units, without drifting.

    Rounding each frame's end on the clip's own clock (not each duration alone) keeps a
    15 fps clip at 15 fps on average although 1/15 s is not a whole number of 10 ms units.
    """
    ends = [*times[1:], times[-1] + last]
    marks = [round((t - times[0]) * 100) for t in [times[0], *ends]]
    return [max(2, b - a) * 10 for a, b in zip(marks, marks[1:])]


class GifRecorder:
    """Records game frames into a short animated GIF.

    Call `add(screen, dt)` every game frame while `recording`; frames are sampled at
    `fps`, shrunk to at most `scale_to_width` pixels wide and reduced to 256 colours right
    away, so a full 20-second clip stays a few megabytes in memory. Recording ends by
    itself once `max_seconds` are captured (`full`), or when `stop()` is called.
    """

    def __init__(self, max_seconds: float = 20, fps: int = 15, scale_to_width: int | None = 960) -> None:
        if fps <= 0 or max_seconds <= 0:
            raise ValueError("a GIF needs a positive frame rate and length")
        self.max_seconds, self.fps, self.scale_to_width = float(max_seconds), int(fps), scale_to_width
        self._frames: list[_Frame] = []
        self._clock = 0.0
        self._next_due = 0.0
        self._stopped = False
        self._palette = _Palette()
        self._size: tuple[int, int] | None = None  # fixed by the first frame
        self._last = b""  # the previous frame's palette indices, to store only changes

    @property
    def period(self) -> float:
        return 1.0 / self.fps

    @property
    def frames(self) -> int:
        return len(self._frames)

    @property
    def seconds(self) -> float:
        """Return how long the recorded clip plays."""
        if not self._frames:
            return 0.0
        return self._frames[-1].time - self._frames[0].time + self.period

    @property
    def full(self) -> bool:
        # A small tolerance: 300 frames at 15 fps are exactly 20 s despite float sums.
        return self.seconds >= self.max_seconds - 1e-6

    @property
    def recording(self) -> bool:
        return not self._stopped and not self.full

    def stop(self) -> None:
        """Stop accepting frames (the clip can still be saved)."""
        self._stopped = True

    def add(self, surface: pygame.Surface, dt: float) -> bool:
        """Offer the frame on screen, shown for `dt` seconds; return whether it was kept."""
        now = self._clock
        self._clock += max(0.0, dt)
        if not self.recording or now + 1e-6 < self._next_due:
            return False
        self._keep(surface, now)
        # Next sample on the fps grid after now, so a slow frame does not cause a burst.
        self._next_due += self.period * (math.floor((now - self._next_due) / self.period + 1e-6) + 1)
        return True

    def _keep(self, surface: pygame.Surface, now: float) -> None:
        # Every frame gets the first frame's size, even after a window resize, since a
        # GIF has one size.
        self._size = self._size or _clip_size(surface.get_size(), self.scale_to_width)
        image = self._palette.convert(_rgb_image(surface, self._size))
        pixels = image.tobytes()
        change = _xor(pixels, self._last) if self._last else pixels
        palette = bytes(image.getpalette() or [])
        self._frames.append(_Frame(self._size, zlib.compress(change, 1), palette, now))
        self._last = pixels

    def _images(self) -> list[Image.Image]:
        """Return the recorded frames as palette images, undoing the XOR chain."""
        images, last = [], b""
        for frame in self._frames:
            change = zlib.decompress(frame.change)
            pixels = _xor(change, last) if last else change
            image = Image.frombytes("P", frame.size, pixels)
            image.putpalette(frame.palette)
            images.append(image)
            last = pixels
        return images

    def save(self, path: Path) -> Path:
        """Write the clip to `path` as a looping GIF, atomically; return the path."""
        if not self._frames:
            raise ValueError("There is no GIF to save yet: no frames were recorded.")
        images = self._images()
        durations = _durations_ms([f.time for f in self._frames], self.period)
        buffer = io.BytesIO()
        images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:],
                       loop=0, duration=durations, disposal=1)
        storage.atomic_write_bytes(Path(path), buffer.getvalue(), shared=True)
        return Path(path)


def short_path(path: Path, limit: int = 64) -> str:
    """Write a path for the HUD: ~ for the home folder, the middle left out when it is long."""
    text = str(path)
    home = str(Path.home())
    if text.startswith(home + os.sep):
        text = "~" + text[len(home):]
    if len(text) <= limit:
        return text
    tail = limit * 2 // 3
    return text[: limit - tail - 1] + "…" + text[-tail:]


def saved_message(look, what: str, save) -> str:
    """Run `save()` and return the sentence the HUD shows: where it went, or why not.

    `what` is the strings key naming the file ("msg.screenshot" …); `look` gives the language.
    """
    try:
        path = save()
    except (OSError, ValueError) as problem:
        why = getattr(problem, "strerror", None) or str(problem)
        return look.tr("msg.not_saved", what=look.tr(what), why=why)
    return look.tr("msg.saved", path=short_path(path))


class Exports:
    """The export folder and the GIF being recorded, if any."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.recorder: GifRecorder | None = None
        storage.clean_stale_temps_in(folder or default_export_dir(), f".{STEM}-")  # left by a crash

    def start_recording(self) -> None:
        self.recorder = GifRecorder()

    def toggle_recording(self, look) -> str:
        """Start recording a GIF, or stop and save it; return the sentence for the HUD."""
        if self.recorder is None:
            self.start_recording()
            return look.tr("msg.recording", seconds=int(self.recorder.max_seconds))
        recorder, self.recorder = self.recorder, None
        if not recorder.frames:
            return look.tr("msg.nothing_recorded")
        return saved_message(look, "msg.gif", lambda: recorder.save(gif_path(self.folder)))

    def export_csv(self, look, text: str) -> str:
        """Save a race table as CSV into the export folder; return a sentence saying where."""
        return saved_message(look, "msg.csv", lambda: save_csv(text, csv_path(self.folder)))
