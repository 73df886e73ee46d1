"""The pause overlay: the race stands still; stepping, tuning and help still work."""

from __future__ import annotations

import pygame

from gdviz.core.commands import Action
from gdviz.ui import hud, theme
from gdviz.ui.scenes.base import Context, Scene
from gdviz.ui.strings import goal_text, optimizer_name
from gdviz.ui.theme import Look


class PauseScene(Scene):
    """Sits over the play scene while it is paused and passes every Action down to it.

    Space reaches the play scene too: the race resumes and the play scene closes this overlay.
    """

    opaque = False

    def __init__(self, ctx: Context, play) -> None:
        super().__init__(ctx)
        self.play = play

    def handle(self, action: Action) -> None:
        self.play.handle(action)

    def update(self, dt: float) -> None:
        self.play.update(dt)

    def notify(self, text: str) -> None:
        self.play.notify(text)

    def draw(self, surface: pygame.Surface, look: Look) -> None:
        session = self.play.session
        _draw_label(self.play, surface, look)
        if session.step_mode or session.swarm is not None:
            return
        if session.race.step_count == 0 and session.toggles.hud:
            briefing_card(self.play, surface, look)
        elif look.presenter:
            _draw_big_numbers(self.play, surface, look)


def _big_number_rows(trace, look: Look) -> list[tuple[str, object, tuple[int, int, int]]]:
    rows = [(look.tr("present.gradient"), trace.grad[0], theme.ARROW_COLOURS["grad"])]
    if trace.velocity is not None:
        rows.append((look.tr("present.momentum"), trace.velocity[0], theme.ARROW_COLOURS["velocity"]))
    if trace.squares is not None:
        rows.append((look.tr("present.squares"), trace.squares[0], theme.ARROW_COLOURS["squares"]))
    rows.append((look.tr("present.step"), trace.update[0], theme.ARROW_COLOURS["update"]))
    return rows


def _draw_big_numbers(play, surface: pygame.Surface, look: Look) -> None:
    """Presenter mode: the selected ball's step in large, labelled numbers for the back row."""
    session, geo = play.session, play.geometry
    preview = session.previews()[session.selected]
    if preview is None:
        return
    rows = _big_number_rows(preview.trace, look)
    size = geo.sizes.large
    line = look.font(size, True).get_linesize()
    area = geo.layout.map
    box = pygame.Rect(area.x + 12, area.bottom - line * (len(rows) + 1) - 28, area.width - 24,
                      line * (len(rows) + 1) + 16)
    hud.draw_panel(surface, look, box, 240)
    name = optimizer_name(look.lang, session.ball.optimizer.name)
    hud.draw_text(surface, look, look.tr("present.numbers", number=session.selected + 1, name=name),
                  (box.x + 14, box.y + 8), size, look.colours.accent, bold=True)
    for i, (label, values, colour) in enumerate(rows, start=1):
        y = box.y + 8 + i * line
        hud.draw_text(surface, look, label, (box.x + 14, y), size, colour, bold=True)
        hud.draw_text(surface, look, hud.fmt_vec(values), (box.x + box.width // 3, y), size, look.colours.text,
                      bold=True)


def _draw_label(play, surface: pygame.Surface, look: Look) -> None:
    rect = play.geometry.layout.map
    label = look.tr("pause.step_mode" if play.session.step_mode else "pause.label")
    size = play.geometry.sizes.body
    image = hud.TEXT.render(look, label, size, look.colours.text, bold=True)
    box = image.get_rect(topleft=(rect.x + 18, rect.y + 13)).inflate(20, 10)
    hud.draw_panel(surface, look, box, 200)
    surface.blit(image, image.get_rect(center=box.center))


def briefing_rect(play, look: Look) -> pygame.Rect:
    """Where the level's briefing card goes: most of the map, below the pause label."""
    area = play.geometry.layout.map
    top = area.y + look.font(play.geometry.sizes.body, True).get_linesize() + 30
    return pygame.Rect(area.x + area.width // 10, top, area.width * 8 // 10, area.bottom - top - 20)


def briefing_lines(play, look: Look) -> list[tuple[str, int, tuple[int, int, int], bool]]:
    """The card's paragraphs: (text, size, colour, bold)."""
    level, sizes = play.session.level, play.geometry.sizes
    rows = [(level.title.get(look.lang), sizes.large, look.colours.accent, True),
            (level.lesson.get(look.lang), sizes.body, look.colours.text, False)]
    goal = goal_text(look.lang, level)
    if goal:
        rows.append((goal, sizes.body, theme.GOAL, False))
    rows.append((look.tr("pause.label"), sizes.small, look.colours.text_dim, False))
    return rows


def briefing_card(play, surface: pygame.Surface, look: Look) -> None:
    """Before the first step: the level's title, lesson, goal and hint in readable type."""
    area = briefing_rect(play, look)
    inner = area.inflate(-40, -32)
    lines = briefing_lines(play, look)
    heights = [len(hud.wrap(look, text, size, inner.width, bold)) * look.font(size, bold).get_linesize() + 10
               for text, size, _, bold in lines]
    card = pygame.Rect(area.x, area.y, area.width, min(sum(heights) + 32, area.height))
    hud.draw_panel(surface, look, card, 235)
    y = card.y + 16
    for (text, size, colour, bold), height in zip(lines, heights):
        hud.draw_paragraph(surface, look, text, pygame.Rect(inner.x, y, inner.width, card.bottom - y), size, colour,
                           bold)
        y += height
