"""The pause overlay: the race stands still; stepping, tuning and help still work."""

from __future__ import annotations

import pygame

from gdviz.core.commands import Action, Command
from gdviz.ui import content, hud, theme
from gdviz.ui.scenes.base import Scene
from gdviz.ui.strings import optimizer_name


class PauseScene(Scene):
    """Sits over the play scene while it is paused and passes most Actions down to it."""

    opaque = False

    def __init__(self, app, play) -> None:
        super().__init__(app)
        self.play = play

    def handle(self, action: Action) -> None:
        if action.command is Command.PLAY_PAUSE:
            self.app.pop()
            self.play.resume()
        elif action.command is Command.BACK:
            self.app.pop()
            self.play.handle(action)
        else:
            self.play.handle(action)

    def update(self, dt: float) -> None:
        self.play.update(dt)

    def draw(self, surface: pygame.Surface) -> None:
        self._draw_label(surface)
        if self.play.step_mode or self.play.swarm is not None:
            return
        if self.play.race.step_count == 0 and self.play.toggles.hud:
            briefing_card(self.play, surface)
        elif theme.HIGH_CONTRAST:
            self._draw_big_numbers(surface)

    def _draw_big_numbers(self, surface: pygame.Surface) -> None:
        """Presenter mode: the selected ball's step in large, labelled numbers for the back row."""
        play = self.play
        preview = play.view.previews()[play.selected]
        if preview is None:
            return
        tr, t = self.app.tr, preview.trace
        rows = [(tr("present.gradient"), t.grad[0], theme.ARROW_COLOURS["grad"])]
        if t.velocity is not None:
            rows.append((tr("present.momentum"), t.velocity[0], theme.ARROW_COLOURS["velocity"]))
        if t.squares is not None:
            rows.append((tr("present.squares"), t.squares[0], theme.ARROW_COLOURS["squares"]))
        rows.append((tr("present.step"), t.update[0], theme.ARROW_COLOURS["update"]))
        size = play.sizes.large
        line = theme.font(size, True).get_linesize()
        area = play.layout.map
        box = pygame.Rect(area.x + 12, area.bottom - line * (len(rows) + 1) - 28, area.width - 24,
                          line * (len(rows) + 1) + 16)
        hud.draw_panel(surface, box, 240)
        name = optimizer_name(theme.LANG, play.ball.optimizer.name)
        hud.draw_text(surface, tr("present.numbers", number=play.selected + 1, name=name), (box.x + 14, box.y + 8),
                      size, theme.ACCENT, bold=True)
        for i, (label, values, colour) in enumerate(rows, start=1):
            y = box.y + 8 + i * line
            hud.draw_text(surface, label, (box.x + 14, y), size, colour, bold=True)
            hud.draw_text(surface, hud.fmt_vec(values), (box.x + box.width // 3, y), size, theme.TEXT, bold=True)

    def _draw_label(self, surface: pygame.Surface) -> None:
        rect = self.play.layout.map
        label = self.app.tr("pause.step_mode" if self.play.step_mode else "pause.label")
        size = self.play.sizes.body
        image = hud.TEXT.render(label, size, theme.TEXT, bold=True)
        box = image.get_rect(topleft=(rect.x + 18, rect.y + 13)).inflate(20, 10)
        hud.draw_panel(surface, box, 200)
        surface.blit(image, image.get_rect(center=box.center))


def briefing_rect(play) -> pygame.Rect:
    """Where the level's briefing card goes: most of the map, below the pause label."""
    area = play.layout.map
    top = area.y + theme.font(play.sizes.body, True).get_linesize() + 30
    return pygame.Rect(area.x + area.width // 10, top, area.width * 8 // 10, area.bottom - top - 20)


def briefing_lines(play) -> list[tuple[str, int, tuple[int, int, int], bool]]:
    """The card's paragraphs: (text, size, colour, bold)."""
    level, sizes = play.level, play.sizes
    rows = [(content.title(level), sizes.large, theme.ACCENT, True), (content.lesson(level), sizes.body, theme.TEXT, False)]
    goal = content.goal_text(level, play.app.tr)
    if goal:
        rows.append((goal, sizes.body, theme.GOAL, False))
    rows.append((play.app.tr("pause.label"), sizes.small, theme.TEXT_DIM, False))
    return rows


def briefing_card(play, surface: pygame.Surface) -> None:
    """Before the first step: the level's title, lesson, goal and hint in readable type."""
    area = briefing_rect(play)
    inner = area.inflate(-40, -32)
    heights = [len(hud.wrap(text, size, inner.width, bold)) * theme.font(size, bold).get_linesize() + 10
               for text, size, _, bold in briefing_lines(play)]
    card = pygame.Rect(area.x, area.y, area.width, min(sum(heights) + 32, area.height))
    hud.draw_panel(surface, card, 235)
    y = card.y + 16
    for (text, size, colour, bold), height in zip(briefing_lines(play), heights):
        hud.draw_paragraph(surface, text, pygame.Rect(inner.x, y, inner.width, card.bottom - y), size, colour, bold)
        y += height
