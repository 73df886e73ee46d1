"""Kiosk attract loop: the game plays itself, level after level, and invites visitors in.

It opens with its most striking demonstrations — Adam rolling off the saddle, heavy momentum
swinging round the bowl while Nesterov brakes, a swarm of balls colouring the egg box by the
valley each one finds — then races the other levels with the lesson as a caption, now and
then taking one step apart in step-by-step mode. The caption sits in the corner or along the
edge where it covers least of the balls and of the paths they are about to roll along. Any
key or tap starts the level on screen.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pygame

from gdviz.core.commands import Action, Command
from gdviz.core.levels import make_race
from gdviz.core.session import STEPS_PER_SECOND
from gdviz.core.sim import DIVERGED
from gdviz.ui import hud
from gdviz.ui.placement import BALL_WEIGHT, GOAL_WEIGHT, MARGIN, PATH_WEIGHT, Keepout, edge_box
from gdviz.ui.scenes.base import Context, Scene
from gdviz.ui.scenes.play import PlayScene
from gdviz.ui.scenes.play_banners import along
from gdviz.ui.strings import optimizer_name
from gdviz.ui.theme import Look

STAGE_SECONDS = 1.6  # how long each step-by-step stage stays on screen
STEP_MODE_EVERY = 3  # every third level is shown taken apart, stage by stage
STEP_MODE_STAGES = 12
FILL_SHARE = 0.7  # a level's lesson check should play out in this share of its time
CUSTOM_ID = "your-function"  # a visitor's typed function is never part of the demo
RACE, STEPS, SWARM = "race", "steps", "swarm"  # the ways a level is shown
# The loop opens with these (when the levels are there and the settings name none): the saddle
# escape, the momentum-vs-Nesterov swing, the swarm's basins. Then every other level in order.
OPENING = (("saddle", RACE, 0), ("nesterov-overshoot", RACE, 0), ("many-minima", SWARM, 1))
AHEAD_STEPS = 3000  # the caption keeps clear of where the balls go in at most this many steps
CAPTION_WIDTHS = (0.94, 0.7, 0.55)  # the caption's widths tried, as shares of the map's width
CAPTION_LINES = 3
CAPTION_PAD = 12
BLINK = (0.8, 0.2)  # the invitation's brightness: this mean, give or take this (never too dim to read)


@dataclass(frozen=True)
class Showing:
    """One turn of the loop: level `index`, shown as a race, taken apart, or as a swarm of the
    optimizer of ball `ball`."""

    index: int
    kind: str = RACE
    ball: int = 0


class AttractScene(Scene):
    """The self-running demo. Any key or click starts playing the level on screen."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.programme = self._choose_levels()
        self.turn = 0
        self.caption_box = pygame.Rect(0, 0, 0, 0)  # where the caption was drawn last
        self._start(0)

    @property
    def order(self) -> list[int]:
        """The levels shown, in turn."""
        return [showing.index for showing in self.programme]

    def _choose_levels(self) -> list[Showing]:
        ids = [level.id for level in self.ctx.levels]
        wanted = [ids.index(name) for name in self.ctx.settings.attract_levels if name in ids]
        if wanted:
            return [Showing(i, _race_or_steps(turn)) for turn, i in enumerate(wanted)]
        opening = [Showing(ids.index(name), kind, ball) for name, kind, ball in OPENING if name in ids]
        shown = {showing.index for showing in opening}
        rest = [i for i, level in enumerate(self.ctx.levels) if level.id != CUSTOM_ID and i not in shown]
        programme = opening + [Showing(i, _race_or_steps(turn)) for turn, i in enumerate(rest, start=len(opening))]
        return programme or [Showing(0)]

    @property
    def seconds_per_level(self) -> float:
        return self.ctx.settings.attract_seconds_per_level

    def _start(self, turn: int) -> None:
        """Show turn `turn` of the loop: a race, a step taken apart, or a swarm."""
        self.turn = turn
        self.elapsed = 0.0
        self.stage_clock = 0.0
        self.stages_shown = 0
        self.showing = self.programme[turn % len(self.programme)]
        level = self.ctx.levels[self.showing.index]
        steps = max(level.check.steps, 50)
        speed = steps / (FILL_SHARE * self.seconds_per_level * STEPS_PER_SECOND)
        self.play = PlayScene(self.ctx, self.showing.index, demo=True, speed=speed)
        self.taking_apart = self.showing.kind == STEPS
        self.waiting = self.showing.kind == SWARM  # a swarm starts once the map's size is known
        self.ahead = [] if self.waiting else _paths_ahead(self.play.session, speed * STEPS_PER_SECOND
                                                           * self.seconds_per_level)
        self._keepout: tuple[tuple, Keepout | None] = ((), None)
        if not self.waiting:
            self.play.handle(Action(Command.STEP_MODE if self.taking_apart else Command.PLAY_PAUSE))

    def handle(self, action: Action) -> None:
        index = self.play.session.index
        self.ctx.go_to_title(choice=index)
        self.ctx.start_level(index)

    def update(self, dt: float) -> None:
        self.elapsed += dt
        if self.taking_apart:
            self._advance_stages(dt)
        self.play.update(dt)
        if self.elapsed >= self.seconds_per_level:
            self._start(self.turn + 1)

    def _advance_stages(self, dt: float) -> None:
        self.stage_clock += dt
        if self.stage_clock < STAGE_SECONDS:
            return
        self.stage_clock = 0.0
        self.stages_shown += 1
        if self.stages_shown > STEP_MODE_STAGES:
            self.taking_apart = False
            self.play.handle(Action(Command.STEP_MODE))  # leave step-by-step mode
            self.play.handle(Action(Command.PLAY_PAUSE))
        else:
            self.play.handle(Action(Command.STEP))

    def draw(self, surface: pygame.Surface, look: Look) -> None:
        self.play.draw(surface, look)
        self._draw_footer(surface, look)
        if self.waiting:  # the geometry now fits the screen: the swarm covers the map shown
            self.waiting = False
            for _ in range(self.showing.ball):
                self.play.handle(Action(Command.NEXT_BALL))
            self.play.handle(Action(Command.SWARM))
        self._draw_caption(surface, look)

    def _draw_footer(self, surface: pygame.Surface, look: Look) -> None:
        """The footer says the one thing a visitor can do here (not the level's own keys)."""
        rect = self.play.geometry.layout.footer
        if rect.height == 0:
            return
        size = self.play.geometry.sizes.small
        pygame.draw.rect(surface, look.colours.panel, rect)
        text = hud.fit_items(look, [(look.tr("attract.footer"), 0)], size, rect.width - 20)
        hud.draw_text(surface, look, text, (rect.x + 10, rect.centery), size, look.colours.accent, anchor="midleft")

    def _caption(self, look: Look) -> str:
        session = self.play.session
        if session.swarm is not None:
            return look.tr("attract.swarm", count=len(session.swarm.starts),
                           name=optimizer_name(look.lang, session.ball.optimizer.name))
        names = "、".join if look.lang == "zh" else ", ".join
        listed = names(dict.fromkeys(optimizer_name(look.lang, b.optimizer.name) for b in session.race.balls))
        return look.tr("attract.race", names=listed) + " — " + session.level.lesson.get(look.lang)

    def _draw_caption(self, surface: pygame.Surface, look: Look) -> None:
        """The invitation, and under it what the demo shows, where they hide least of it."""
        sizes = self.play.geometry.sizes
        blink = BLINK[0] + BLINK[1] * math.sin(self.elapsed * 4)
        colour = tuple(int(c * blink) for c in look.colours.accent)
        invite = hud.TEXT.render(look, look.tr("attract.invite_touch" if look.kiosk else "attract.invite"),
                                 sizes.large + 4, colour, bold=True)
        caption = "" if self.taking_apart else self._caption(look)  # a stage has its own caption
        box, lines, caption = self._place(look, invite, caption)
        self.caption_box = box
        hud.draw_panel(surface, look, box, 235)
        surface.blit(invite, invite.get_rect(midtop=(box.centerx, box.y + CAPTION_PAD // 2)))
        if lines:
            text = pygame.Rect(box.x + CAPTION_PAD, box.y + invite.get_height() + CAPTION_PAD // 2,
                               box.width - 2 * CAPTION_PAD, box.height)
            hud.draw_paragraph(surface, look, caption, text, sizes.body, look.colours.text, max_lines=lines)

    def _place(self, look: Look, invite: pygame.Surface, caption: str) -> tuple[pygame.Rect, int, str]:
        """Return the caption's box, how many lines it holds and the caption cut to the whole
        sentences that fit them."""
        area, size = self.play.geometry.layout.map, self.play.geometry.sizes.body
        keepout = self._keepout_now()
        edges = self._free_edges()
        line = look.font(size).get_linesize()
        tried = []
        for share in CAPTION_WIDTHS:
            width = max(int(area.width * share), invite.get_width() + 2 * CAPTION_PAD)
            width = min(width, area.width - 2 * MARGIN)
            text = _whole_sentences(look, caption, size, width - 2 * CAPTION_PAD)
            lines = min(len(hud.wrap(look, text, size, width - 2 * CAPTION_PAD)), CAPTION_LINES) if text else 0
            height = invite.get_height() + lines * line + CAPTION_PAD
            for rect in _edge_places(area, (width, height), edges):
                tried.append((keepout.cost(rect), -keepout.clearance(rect, BALL_WEIGHT), len(tried), rect, lines, text))
        _, _, _, rect, lines, text = min(tried)
        return rect, lines, text

    def _free_edges(self) -> tuple[str, ...]:
        """The edges the caption may take: in step-by-step mode the one the stage's caption leaves
        free (it goes to the half of the map away from the ball, see stage_view)."""
        mode = self.play.session.step_mode
        if mode is None:
            return ("top", "bottom")
        start = self.play.geometry.to_pixels(np.asarray(mode.current.values["old"], dtype=float)[:1])[0]
        return ("top",) if start[1] < self.play.geometry.layout.map.centery else ("bottom",)

    def _keepout_now(self) -> Keepout:
        """The balls where they are, the goal and where the balls will roll (worked out once per
        window size and level)."""
        session, geo = self.play.session, self.play.geometry
        if session.swarm is not None:
            return Keepout.join([])
        pixels = geo.to_pixels(np.array(session.display_positions()))
        balls = Keepout.of(pixels, 2 * geo.sizes.ball + 4, BALL_WEIGHT)
        key = (id(geo), self.turn)
        if self._keepout[0] != key:
            parts = [Keepout.of(*_spaced(geo, path), PATH_WEIGHT) for path in self.ahead]
            goal = session.race.goal
            if goal is not None:
                parts.append(Keepout.of(geo.to_pixels(np.array([goal.center])),
                                        goal.radius * geo.viewport.scale[0] + 4, GOAL_WEIGHT))
            self._keepout = (key, Keepout.join(parts))
        return Keepout.join([balls, self._keepout[1]])


def _whole_sentences(look: Look, text: str, size: int, width: int) -> str:
    """Return as many whole sentences of `text` as fit CAPTION_LINES lines of `width` pixels (all
    of the first one, cut short, if even that does not fit)."""
    sentences = re.findall(r".+?(?:[.!?](?=\s|$)|[。！？]|$)\s*", text)
    kept = ""
    for sentence in sentences:
        if kept and len(hud.wrap(look, kept + sentence, size, width)) > CAPTION_LINES:
            break
        kept += sentence
    return kept.strip()


def _race_or_steps(turn: int) -> str:
    return STEPS if turn % STEP_MODE_EVERY == STEP_MODE_EVERY - 1 else RACE


def _paths_ahead(session, steps: float) -> list[np.ndarray]:
    """Where each ball that stays on the map goes while the demo plays (world points)."""
    count = int(min(max(steps, 1), AHEAD_STEPS))
    race = session.race
    ahead = make_race(session.level, seed=race.seed, balls=list(race.specs), history_bytes=0, trail_length=count + 1)
    ahead.step(count)
    return [ball.trail(count + 1)[:, 0] for ball in ahead.balls if ball.status[0] != DIVERGED]


def _spaced(geo, path: np.ndarray) -> tuple[np.ndarray, float]:
    """Points along a path in pixels, and the radius that covers the path between them."""
    points, spacing = along(geo.to_pixels(path), geo.layout.map)
    return points, max(geo.sizes.line + 2, spacing / 2)


def _edge_places(area: pygame.Rect, size: tuple[int, int], edges: tuple[str, ...]) -> list[pygame.Rect]:
    """The places for a box of `size` along the map's `edges`: left, centre and right on each."""
    return [edge_box(area, size, align, edge) for edge in edges for align in ("centre", "left", "right")]
