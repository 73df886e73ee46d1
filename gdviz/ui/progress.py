"""The player's progress: stars per level and the last level played, saved as JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from gdviz import storage
from gdviz.core.session import MAX_STARS

FILE_NAME = "progress.json"


@dataclass
class Progress:
    """Best stars per level name, and the level played last."""

    path: Path
    stars: dict[str, int] = field(default_factory=dict)
    last_level: str = ""
    notice: str = ""

    @classmethod
    def load(cls, path: Path | None = None) -> "Progress":
        """Load progress; a missing file starts fresh, a damaged one is moved aside."""
        path = path or storage.data_dir() / FILE_NAME
        data, notice = storage.read_json(path)
        stars = data.get("stars", {})
        clean = {str(k): int(v) for k, v in stars.items()
                 if isinstance(stars, dict) and isinstance(v, int) and 0 <= v <= MAX_STARS} \
            if isinstance(stars, dict) else {}
        last = data.get("last_level", "")
        return cls(path, clean, last if isinstance(last, str) else "", notice)

    def record(self, level: str, stars: int) -> bool:
        """Remember a result (keeping the best); return True when it beats the old best."""
        better = stars > self.stars.get(level, 0)
        if better:
            self.stars[level] = stars
        return better

    def save(self) -> str:
        """Write progress atomically; return '' or a one-line reason it could not be saved."""
        text = json.dumps({"stars": self.stars, "last_level": self.last_level}, indent=1, sort_keys=True)
        try:
            storage.atomic_write_text(self.path, text)
        except OSError as problem:
            return f"progress not saved ({problem.strerror or problem})"
        return ""
