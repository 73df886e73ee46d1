"""Kiosk attract loop: the game plays itself, level after level, and invites visitors in.

It races the level's optimizers with the lesson as a caption, now and then takes one step
apart in step-by-step mode, and starts the level on screen as soon as anyone touches a key.
"""

from __future__ import annotations

import math

import pygame

from gdviz.core.commands import Action, Command
from gdviz.core.session import STEPS_PER_SECOND
from gdviz.ui import hud
from gdviz.ui.scenes.base import Context, Scene
from gdviz.ui.scenes.play import PlayScene
from gdviz.ui.strings import optimizer_name
from gdviz.ui.theme import Look

STAGE_SECONDS = 1.6  # how long each step-by-step stage stays on screen
STEP_MODE_EVERY = 3  # every third level is shown taken apart, stage by stage
STEP_MODE_STAGES = 12
FILL_SHARE = 0.7  # a level's lesson check should play out in this share of its time
CUSTOM_ID = "your-function"  # a visitor's typed function is never part of the demo


class AttractScene(Scene):
    """The self-running demo. Any key or click starts playing the level on screen."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.order = self._choose_levels()
        self.turn = 0
        self._start(0)

    def _choose_levels(self) -> list[int]:
        ids = [level.id for level in self.ctx.levels]
        wanted = [ids.index(name) for name in self.ctx.settings.attract_levels if name in ids]
        shipped = [i for i, level in enumerate(self.ctx.levels) if level.id != CUSTOM_ID]
        return wanted or shipped or list(range(len(ids)))

    @property
    def seconds_per_level(self) -> float:
        return self.ctx.settings.attract_seconds_per_level

    def _start(self, turn: int) -> None:
        """Show level number `turn` of the loop, racing (or, every third, step by step)."""
        self.turn = turn
        self.elapsed = 0.0
        self.stage_clock = 0.0
        self.stages_shown = 0
        index = self.order[turn % len(self.order)]
        steps = max(self.ctx.levels[index].check.steps, 50)
        speed = steps / (FILL_SHARE * self.seconds_per_level * STEPS_PER_SECOND)
        self.play = PlayScene(self.ctx, index, demo=True, speed=speed)
        self.taking_apart = turn % STEP_MODE_EVERY == STEP_MODE_EVERY - 1
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
        self._draw_caption(surface, look)

    def _caption(self, look: Look) -> str:
        if self.taking_apart:
            return look.tr("attract.step_mode")
        session = self.play.session
        names = ", ".join(dict.fromkeys(optimizer_name(look.lang, b.optimizer.name) for b in session.race.balls))
        return look.tr("attract.race", names=names) + " — " + session.level.lesson.get(look.lang)

    def _draw_caption(self, surface: pygame.Surface, look: Look) -> None:
        area, sizes = self.play.geometry.layout.map, self.play.geometry.sizes
        blink = 0.6 + 0.4 * math.sin(self.elapsed * 4)
        colour = tuple(int(c * blink) for c in look.colours.accent)
        invite = hud.TEXT.render(look, look.tr("attract.invite"), sizes.large + 4, colour, bold=True)
        box = invite.get_rect(midtop=(area.centerx, area.y + 12)).inflate(30, 14)
        hud.draw_panel(surface, look, box, 230)
        surface.blit(invite, invite.get_rect(center=box.center))
        if self.taking_apart:
            return  # the stage caption is already on the map
        # Under the invitation: the valleys (and so the balls) are usually low on the map.
        text_area = pygame.Rect(area.x + 20, box.bottom + 10, area.width - 40,
                                3 * look.font(sizes.body).get_linesize() + 16)
        hud.draw_panel(surface, look, text_area.inflate(12, 4), 215)
        hud.draw_paragraph(surface, look, self._caption(look), text_area.inflate(-8, -12), sizes.body,
                           look.colours.text, max_lines=3)
