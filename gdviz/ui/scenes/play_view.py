"""Drawing a level being played: the map with its balls and arrows, the side panel, the
control bar, the footer.

`PlayView.draw` takes everything it shows as arguments — the session (what is happening),
the geometry (where it goes on screen), the Look, the latest message, which cards are up and
the control bar — and keeps only pictures it can reuse (the terrain, the legend, the level's
text) and where it put the cards and banners (`placed`, which taps and clicks read). It
never changes the game.
"""

from __future__ import annotations

import pygame

from gdviz.core.levels import Level
from gdviz.core.session import PlaySession
from gdviz.ui import hud, net_inset
from gdviz.ui.control_bar import ControlBar
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
        self.labels: list[tuple[str, pygame.Rect]] = []  # where each name ("name") and tip number ("tip") went
        self._gain: tuple[Level | None, float] = (None, 1.0)

    def draw(self, target: pygame.Surface, look: Look, session: PlaySession, geo: PlayGeometry,
             toast: Toast, cards: Cards, bar: ControlBar | None = None) -> None:
        """Draw the whole play screen onto `target` (with the control bar where the layout has room for it)."""
        frame = Frame(target, look, session, geo, self._arrow_gain(session.level))
        self._fill_margins(frame)
        clip = target.get_clip()
        target.set_clip(geo.layout.map)
        keys = self._draw_map(frame)
        self.placed = self.banners.draw(frame, toast, cards, keys)
        self.labels = self._draw_labels(frame, [*keys, *self.placed.values()])
        if session.swarm is None and not session.demo:  # the arrows' key (not in the attract loop's
            # demo, where the caption speaks) goes last, into a corner the banners left free
            taken = [*keys, *self.placed.values(), *(rect for _, rect in self.labels)]
            taken += net_inset.draw_insets(frame, self.banners.keepout(frame), taken)  # a network level's insets
            play_arrows.draw_scale_key(frame, self.banners.keepout(frame), taken)
        target.set_clip(clip)
        if session.toggles.hud:
            self.panel.draw(frame)
            _draw_footer(frame)
            if cards.briefing:  # in the panel's place: the map stays in sight
                panel, touch = geo.layout.panel, geo.layout.bar.height > 0
                play_cards.draw_card(target, look, panel,
                                     play_cards.fit_in_panel(session.level, look, geo.sizes, panel, touch))
                self.placed["briefing"] = panel
        if bar is not None and geo.layout.bar.height:
            bar.draw(target, look, geo.layout.bar, geo.sizes, session, geo.finger)

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
        return [stage_view.draw_stage_top(f)] if session.step_mode is not None else []

    @staticmethod
    def _draw_labels(f: Frame, taken: list[pygame.Rect]) -> list[tuple[str, pygame.Rect]]:
        """The balls' names, then the numbers at the arrows' tips, placed together after the banners:
        none covers another, a ball, a banner or a card, or runs off the map (see gdviz/ui/placement.py)."""
        if f.session.swarm is not None:
            f.tip_labels.clear()
            return []
        names = play_balls.draw_names(f, taken)  # beside the arrows, never on them
        tips = play_arrows.draw_tip_labels(f, [*taken, *names])
        return [("name", rect) for rect in names] + [("tip", rect) for rect in tips]


# The footer's items in the order shown, each with its rank: on a narrow screen the items with
# the highest ranks are left out first, whole (never cut mid-word). A kiosk shows only what a
# visitor can do without a keyboard, and no speed.
PLAY_FOOTER = (("footer.help", 4), ("footer.play", 0), ("footer.step", 5), ("footer.optimizer", 7),
               ("footer.lr", 6), ("footer.step_mode", 9), ("footer.swarm", 10), ("footer.back", 2))
KIOSK_FOOTER = (("footer.tap", 0),)
STATE_RANKS = {"state": 1, "step": 3, "speed": 8}
FOOTER_GAP = 30  # pixels between the hints and the state


def footer_texts(look: Look, session: PlaySession, width: int, size: int, touch: bool = False) -> tuple[str, str]:
    """Return the footer's hints (left) and state (right) that fit in `width` pixels together;
    with `touch` (the control bar showing) the hints speak of fingers, as in a kiosk, since the
    bar's own buttons already say what each does."""
    state = look.tr("play.playing" if session.playing else "play.paused")
    right = [(state, STATE_RANKS["state"]), (look.tr("play.step", step=session.race.step_count), STATE_RANKS["step"])]
    if not look.kiosk:
        right.insert(1, (look.tr("play.speed", speed=hud.number(look, session.speed)), STATE_RANKS["speed"]))
    left = [(look.tr(key), rank) for key, rank in (KIOSK_FOOTER if look.kiosk or touch else PLAY_FOOTER)]
    ranks = sorted({rank for _, rank in left + right}, reverse=True)
    for most in [ranks[0] + 1, *ranks]:  # leave out the highest ranks until both fit
        hints = hud.SEPARATOR.join(text for text, rank in left if rank < most)
        shown = hud.SEPARATOR.join(text for text, rank in right if rank < most)
        used = hud.text_width(look, hints, size) + hud.text_width(look, shown, size, True)
        if used + (FOOTER_GAP if hints and shown else 0) <= width:
            return hints, shown
    return "", ""


def _draw_footer(f: Frame) -> None:
    look, session, rect = f.look, f.session, f.geo.layout.footer
    pygame.draw.rect(f.target, look.colours.panel, rect)
    size = f.geo.sizes.small
    hints, state = footer_texts(look, session, rect.width - 20, size, touch=f.geo.layout.bar.height > 0)
    if state:
        hud.draw_text(f.target, look, state, (rect.right - 10, rect.centery), size, look.colours.accent, bold=True,
                      anchor="midright")
    if hints:
        hud.draw_text(f.target, look, hints, (rect.x + 10, rect.centery), size, look.colours.text_dim,
                      anchor="midleft")
