"""The player's progress: stars per level and the last level played, saved as JSON.

A kiosk keeps progress in memory only, and starts afresh for every visitor.

Saving merges with what is on the disk, keeping the best stars per level, while holding a lock,
so two games open at once never lose each other's stars. A file that cannot be read (no
permission, not a regular file, damaged) is never written over: it is moved aside first, and
the game says where it went.
"""

from __future__ import annotations

import errno
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gdviz import storage
from gdviz.core.session import MAX_STARS

FILE_NAME = "progress.json"


def _clean_stars(stars: Any) -> dict[str, int]:
    """Keep only level names with a whole number of stars from 0 to MAX_STARS."""
    if not isinstance(stars, dict):
        return {}
    return {str(k): v for k, v in stars.items()
            if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_STARS}


def _clean_last(data: dict) -> str:
    last = data.get("last_level", "")
    return last if isinstance(last, str) else ""


@dataclass
class Progress:
    """Best stars per level name, and the level played last."""

    path: Path | None
    stars: dict[str, int] = field(default_factory=dict)
    last_level: str = ""
    notice: str = ""

    @classmethod
    def load(cls, path: Path | None = None) -> "Progress":
        """Load progress; a missing file starts fresh, a damaged one is moved aside.

        Temporary files left by a crash while saving are cleaned up first.
        """
        path = path or storage.data_dir() / FILE_NAME
        storage.clean_stale_temps(path)
        data, notice = storage.read_json(path)
        return cls(path, _clean_stars(data.get("stars")), _clean_last(data), notice)

    @classmethod
    def in_memory(cls) -> "Progress":
        """Return empty progress that is never written to a file."""
        return cls(None)

    def record(self, level: str, stars: int) -> bool:
        """Remember a result (keeping the best); return True when it beats the old best."""
        better = stars > self.stars.get(level, 0)
        if better:
            self.stars[level] = stars
        return better

    def save(self) -> str:
        """Merge with the file and write it atomically, under a lock; return '' or one line to show.

        The line says why nothing was saved, or where an unreadable old file was kept.
        """
        if self.path is None:
            return ""
        try:
            with storage.locked(self.path):
                note = self._merge_from_disk(self.path)
                text = json.dumps({"stars": self.stars, "last_level": self.last_level}, indent=1, sort_keys=True)
                storage.atomic_write_text(self.path, text)
        except OSError as problem:
            return f"progress not saved ({problem.strerror or problem})"
        return note

    def _merge_from_disk(self, path: Path) -> str:
        """Take in the stars another game saved meanwhile; keep an unreadable file aside."""
        try:
            data = storage.load_json(path)
        except FileNotFoundError:
            return ""
        except storage.Refused as refused:
            kept = storage.move_aside(path, "corrupt" if refused.damaged else "unreadable")
            if kept is None:
                raise OSError(errno.EEXIST, f"{path.name} {refused.why} and could not be moved aside") from None
            return f"{path.name} {refused.why}, so it is kept as {kept.name} and a new one is saved"
        for level, stars in _clean_stars(data.get("stars")).items():
            self.stars[level] = max(stars, self.stars.get(level, 0))
        self.last_level = self.last_level or _clean_last(data)
        return ""
