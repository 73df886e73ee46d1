"""Drawing a level being played: the map with its balls and arrows, the side panel, the footer.

`PlayView.draw` takes everything it shows as arguments — the session (what is happening),
the geometry (where it goes on screen), the Look, the latest message and which cards are up
— and keeps only pictures it can reuse (the terrain, the legend, the level's text) and where
it put the cards and banners (`placed`, which a click on the briefing card reads). It never
changes the game.
"""

from __future__ import annotations

import pygame

from gdviz.core.levels import Level
from gdviz.core.session import PlaySession
from gdviz.ui import hud
from gdviz.ui.layout import PlayGeometry
from gdviz.ui.scenes import play_arrows, play_balls, play_cards, play_map, stage_view
from gdviz.ui.scenes.play_banners import Banners
from gdviz.ui.scenes.play_cards import Cards
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
        self.banners = Banners()
        self.placed: dict[str, pygame.Rect] = {}  # where each card and banner was last drawn
        self._gain: tuple[Level | None, float] = (None, 1.0)

    def draw(self, target: pygame.Surface, look: Look, session: PlaySession, geo: PlayGeometry,
             toast: Toast, cards: Cards) -> None:
        """Draw the whole play screen onto `target`."""
        frame = Frame(target, look, session, geo, self._arrow_gain(session.level))
        self._fill_margins(frame)
        clip = target.get_clip()
        target.set_clip(geo.layout.map)
        keys = self._draw_map(frame)
        self.placed = self.banners.draw(frame, toast, cards, keys)
        if session.swarm is None:  # the arrows' key goes last, into a corner the banners left free
            play_arrows.draw_scale_key(frame, self.banners.keepout(frame), [*keys, *self.placed.values()])
        target.set_clip(clip)
        if session.toggles.hud:
            self.panel.draw(frame)
            _draw_footer(frame)
            if cards.briefing:  # in the panel's place: the map stays in sight
                panel = geo.layout.panel
                play_cards.draw_card(target, look, panel, play_cards.fit_in_panel(session.level, look, geo.sizes, panel))
                self.placed["briefing"] = panel

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

    def _draw_map(self, f: Frame) -> list[pygame.Rect]:
        """Draw the terrain and what is on it; return the boxes of any keys drawn on the map."""
        session = f.session
        terrain = self.terrains.get(session.level.surface, f.geo.viewport, look=f.look)
        f.target.blit(terrain.image, f.geo.layout.map.topleft)
        play_map.draw_goal(f)
        if session.swarm is not None:
            legend = play_map.draw_swarm(f)
            return [legend] if legend is not None else []
        return self._draw_race(f)

    def _draw_race(self, f: Frame) -> list[pygame.Rect]:
        """Draw trails, names, arrows, balls and the step-by-step stage; return the stage caption's box."""
        session = f.session
        if session.toggles.trails:
            play_balls.draw_trails(f)
        if session.step_mode is None:
            play_arrows.draw_arrows(f)
        else:
            stage_view.draw_stage_glyphs(f)
        play_balls.draw_balls(f)  # over the arrows, which start under them
        names = play_balls.draw_names(f)  # beside the arrows, never on them
        play_arrows.draw_tip_labels(f, names)
        return [stage_view.draw_stage_top(f)] if session.step_mode is not None else []

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
