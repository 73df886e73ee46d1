"""Saving pictures: screenshots go to one clear folder, written safely."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pygame


def default_export_dir() -> Path:
    """Return the user's Pictures/gdviz folder, or ~/gdviz when there is no Pictures folder."""
    pictures = Path.home() / "Pictures"
    return pictures / "gdviz" if pictures.is_dir() else Path.home() / "gdviz"


def screenshot_path(folder: Path | None) -> Path:
    """Return a new, time-stamped PNG path in `folder` (or the default export folder)."""
    folder = folder or default_export_dir()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = folder / f"gdviz-{stamp}.png"
    n = 2
    while path.exists():
        path = folder / f"gdviz-{stamp}-{n}.png"
        n += 1
    return path


def save_surface_png(surface: pygame.Surface, path: Path) -> Path:
    """Write `surface` to `path` as PNG atomically: a temporary file first, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".gdviz-", suffix=".png", dir=path.parent)
    os.close(handle)
    try:
        pygame.image.save(surface, temp)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path
