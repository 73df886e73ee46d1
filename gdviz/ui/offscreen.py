"""Drawing a race the way the play screen does, onto an off-screen picture (for gdviz.animate).

The race is wrapped in a one-level PlaySession — the level is made on the spot from the
race's surface, view, goal and balls — and drawn by the play screen's own `PlayView`, as
the attract loop shows a level: no briefing, no "you" badge, no pause banner. The footer's
key hints are cut off (they mean nothing in a picture). Only pygame's font module is
started; no window is opened and the display is never touched, so a game running in the
same process carries on undisturbed.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from gdviz.core.levels import Check, Level, SurfaceSource, Text
from gdviz.core.session import PlaySession
from gdviz.core.sim import Race
from gdviz.ui import export
from gdviz.ui.layout import PlayGeometry
from gdviz.ui.scenes.play_cards import Cards
from gdviz.ui.scenes.play_view import PlayView
from gdviz.ui.theme import Look
from gdviz.ui.toast import Toast


def level_for(race: Race) -> Level:
    """Return a level that describes `race`: its surface, view, goal, noise and balls."""
    surface = race.surface
    formula = getattr(surface, "formula", "") or ""
    return Level(
        id="notebook", path=Path("<notebook>"), order=0, title=Text(surface.name, surface.name),
        lesson=Text(formula, formula), surface=surface, surface_source=SurfaceSource(name=surface.name),
        view=tuple((float(lo), float(hi)) for lo, hi in race.view), balls=tuple(race.specs),
        check=Check(1, ()), goal=race.goal, noise=race.noise, batch_size=race.batch_size, seed=race.seed,
    )


class Renderer:
    """Draws one race, frame by frame, as the play screen would at `size` pixels."""

    def __init__(self, race: Race, size: tuple[int, int], lang: str = "en", panel: bool = True) -> None:
        pygame.font.init()  # fonts only: no window, no display
        self.race = race
        self.session = PlaySession([level_for(race)], 0, demo=True, show_hud=panel)
        self.session.race = race  # keep the race's own settings (trail length, stopping rules)
        self.look = Look(lang=lang)
        self.view, self.toast, self.cards = PlayView(), Toast(), Cards(demo=True)
        width, height = size
        footer = PlayGeometry.build(size, self.look, self.session.level, panel).layout.footer.height
        # Laid out one footer taller, then the footer cut off: the map and panel fill `size`.
        self.geometry = PlayGeometry.build((width, height + footer), self.look, self.session.level, panel)
        self.canvas = pygame.Surface((width, height + footer))
        self.picture = self.canvas.subsurface((0, 0, width, height))

    def draw(self, step: int) -> pygame.Surface:
        """Move the race on to `step` and return the picture of it (reused from frame to frame)."""
        if step > self.race.step_count:
            self.race.step(step - self.race.step_count)
        self.view.draw(self.canvas, self.look, self.session, self.geometry, self.toast, self.cards)
        return self.picture

    def still(self, step: int, path: Path) -> Path:
        """Save the picture at `step` as a PNG."""
        return export.save_surface_png(self.draw(step), path)

    def clip(self, steps: list[int], fps: int, path: Path) -> Path:
        """Save the pictures at each of `steps` as a looping GIF at `fps` frames a second."""
        recorder = export.GifRecorder(max_seconds=len(steps) / fps + 1, fps=fps, scale_to_width=None)
        for step in steps:
            recorder.add(self.draw(step), 1 / fps)
        return recorder.save(path)
