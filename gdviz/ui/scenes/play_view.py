"""Drawing a level being played: the map with its balls and arrows, the side panel, the footer.

`PlayView.draw` takes everything it shows as arguments — the session (what is happening),
the geometry (where it goes on screen), the Look and the latest message — and keeps only
pictures it can reuse (the terrain, the legend, the level's text). It never changes the game.
"""

from __future__ import annotations

import pygame

from gdviz.core.levels import Level
from gdviz.core.optimizers import names as optimizer_names
from gdviz.core.session import PlaySession
from gdviz.ui import hud, theme
from gdviz.ui.layout import PlayGeometry
from gdviz.ui.scenes import play_arrows, play_balls, play_map
from gdviz.ui.scenes.play_map import Frame
from gdviz.ui.scenes.play_panel import SidePanel
from gdviz.ui.terrain import TerrainCache
from gdviz.ui.theme import Look
from gdviz.ui.toast import Toast


class PlayView:
    """Draws one level being played. Keeps per-level and per-size pictures so frames stay cheap."""

    def __init__(self) -> None:
        self.terrains = TerrainCache()
        self.panel = SidePanel()
        self._legend: tuple[tuple, pygame.Surface | None] = ((), None)
        self._gain: tuple[Level | None, float] = (None, 1.0)

    def draw(self, target: pygame.Surface, look: Look, session: PlaySession, geo: PlayGeometry,
             toast: Toast) -> None:
        """Draw the whole play screen onto `target`."""
        frame = Frame(target, look, session, geo, self._arrow_gain(session.level))
        self._fill_margins(frame)
        clip = target.get_clip()
        target.set_clip(geo.layout.map)
        self._draw_map(frame, toast)
        target.set_clip(clip)
        if session.toggles.hud:
            self.panel.draw(frame)
            _draw_footer(frame)

    def _arrow_gain(self, level: Level) -> float:
        if self._gain[0] is not level:
            self._gain = (level, play_arrows.arrow_gain(level))
        return self._gain[1]

    @staticmethod
    def _fill_margins(f: Frame) -> None:
        """Paint the background only where the map, panel and footer leave gaps (cheaper than all)."""
        width, height = f.target.get_size()
        game = f.geo.layout.map
        for gap in (pygame.Rect(0, 0, width, game.y), pygame.Rect(0, game.y, game.x, game.height),
                    pygame.Rect(game.right, game.y, width - game.right, game.height),
                    pygame.Rect(0, game.bottom, width, height - game.bottom)):
            if gap.width > 0 and gap.height > 0:
                f.target.fill(f.look.colours.background, gap)

    def _draw_map(self, f: Frame, toast: Toast) -> None:
        session = f.session
        terrain = self.terrains.get(session.level.surface, f.geo.viewport, look=f.look)
        f.target.blit(terrain.image, f.geo.layout.map.topleft)
        play_map.draw_goal(f)
        if session.swarm is not None:
            play_map.draw_swarm(f)
        else:
            self._draw_race(f)
        _draw_message(f, toast)

    def _draw_race(self, f: Frame) -> None:
        session = f.session
        if session.toggles.trails:
            play_balls.draw_trails(f)
        if session.step_mode is None:
            play_arrows.draw_arrows(f)
        play_balls.draw_balls(f)
        if session.step_mode is not None:
            play_arrows.draw_stage(f)
        elif session.toggles.hud and not session.demo:
            self._draw_legend(f)

    def _draw_legend(self, f: Frame) -> None:
        """The optimizer colours with their number keys, drawn once per size and look and kept."""
        key = (f.geo.layout.map.width, f.geo.sizes.small, f.look)
        if self._legend[0] != key:
            self._legend = (key, _build_legend(f.look, f.geo.sizes.small))
        legend = self._legend[1]
        map_rect = f.geo.layout.map
        f.target.blit(legend, legend.get_rect(topright=(map_rect.right - 8, map_rect.y + 8)))


def _build_legend(look: Look, size: int) -> pygame.Surface:
    line = look.font(size).get_linesize()
    entries = [(f"{i + 1} {name}", theme.optimizer_colour(name)) for i, name in enumerate(optimizer_names())]
    width = max(look.font(size).size(text)[0] for text, _ in entries) + line + 16
    legend = pygame.Surface((width, line * len(entries) + 10), pygame.SRCALPHA)
    hud.draw_panel(legend, look, legend.get_rect(), 200)
    for row, (text, colour) in enumerate(entries):
        y = 5 + row * line
        pygame.draw.circle(legend, theme.OUTLINE, (8 + line // 2, y + line // 2), line // 3 + 1)
        pygame.draw.circle(legend, colour, (8 + line // 2, y + line // 2), line // 3)
        hud.draw_text(legend, look, text, (8 + line + 4, y), size, look.colours.text)
    return legend


def _draw_message(f: Frame, toast: Toast) -> None:
    """The latest message, wrapped to at most three lines across the bottom of the map."""
    if not toast.showing:
        return
    look, area, size = f.look, f.geo.layout.map, f.geo.sizes.body
    lines = hud.wrap(look, toast.text, size, area.width - 60, bold=True)[:3]
    line = look.font(size, True).get_linesize()
    width = max(hud.text_width(look, text, size, True) for text in lines) + 24
    box = pygame.Rect(0, 0, width, line * len(lines) + 12)
    box.midbottom = (area.centerx, area.bottom - 12)
    if f.session.step_mode is not None:
        box.top = area.y + 12 + line
    box.clamp_ip(area)
    hud.draw_panel(f.target, look, box, 215)
    for i, text in enumerate(lines):
        hud.draw_text(f.target, look, text, (box.centerx, box.y + 6 + i * line), size, look.colours.accent,
                      bold=True, anchor="midtop")


def _draw_footer(f: Frame) -> None:
    look, session, rect = f.look, f.session, f.geo.layout.footer
    pygame.draw.rect(f.target, look.colours.panel, rect)
    state = look.tr("play.playing" if session.playing else "play.paused")
    right = look.tr("play.state", state=state, speed=hud.fmt(session.speed), step=session.race.step_count)
    right_rect = hud.draw_text(f.target, look, right, (rect.right - 10, rect.centery), f.geo.sizes.small,
                               look.colours.accent, bold=True, anchor="midright")
    hint_area = pygame.Rect(rect.x + 10, rect.y + 5, right_rect.left - rect.x - 30, rect.height)
    hud.draw_paragraph(f.target, look, look.tr("play.footer"), hint_area, f.geo.sizes.small, look.colours.text_dim,
                       max_lines=1)
