"""A level's two cards: the briefing before your first move, and the win strip after a win.

The briefing (title, lesson, goal and hint) stands in the side panel's place, so it hides
nothing on the map; with the panels hidden it is a card in the corner of the map that covers
no ball, goal or path (see play_banners.py). It shows once per level: Enter, a tap or click
or any move in the race (a step, Space, a new learning rate or optimizer …) puts it away,
and only a new level brings it back — R does not.

The win strip runs along the map's top or bottom edge, whichever hides less, and the race
keeps playing under it: a win never stops a race that is still teaching something. Enter
(or a tap on the strip) goes on to the next level and Esc back to the list; every other key
works as usual. With the control bar showing, both say what to tap instead of which key.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from gdviz.core.commands import Action, Command
from gdviz.core.events import Won
from gdviz.core.levels import Level
from gdviz.core.session import MAX_STARS, TOGGLES
from gdviz.ui import hud, theme
from gdviz.ui.layout import Sizes
from gdviz.ui.strings import goal_text
from gdviz.ui.theme import Look

# Changing what is drawn or how fast leaves the briefing up; any other move in the race puts it away.
KEEPS_BRIEFING = frozenset(TOGGLES) | {Command.SLOWER, Command.FASTER}
PAD = 16  # pixels of card around its text
ROW_GAP = 8  # pixels between two paragraphs

Row = tuple[str, int, tuple[int, int, int], bool]  # text, size, colour, bold


@dataclass(frozen=True)
class WinNote:
    """A win to show: what the session reported, and whether it beat the player's best."""

    won: Won
    best: bool
    tap: bool = False  # the control bar shows: the strip says what to tap, not which key


class Cards:
    """Which cards are up: the briefing (until the first move) and the win strip (until R or a new level)."""

    def __init__(self, demo: bool) -> None:
        self.demo = demo
        self.briefing = not demo
        self.win: WinNote | None = None

    def level_loaded(self) -> None:
        """A new level: its briefing, and no win yet."""
        self.briefing, self.win = not self.demo, None

    def route(self, action: Action) -> Action | None:
        """Note what the player did; return the Action to carry out, if any.

        Enter means the next level while the win strip shows (a tap on the strip or on the
        briefing card arrives as Enter: see play_touch.py).
        """
        command = action.command
        if command not in KEEPS_BRIEFING:
            self.briefing = False
        if command is Command.RESET:
            self.win = None
        if command is Command.SELECT and self.win is not None:
            return Action(Command.NEXT_LEVEL)
        return action


# --- the briefing --------------------------------------------------------------------------


def briefing_rows(level: Level, look: Look, sizes: Sizes, size: int, lesson: bool = True,
                  touch: bool = False) -> list[Row]:
    """The card's paragraphs: the title, the lesson (text `size`), the goal and hint, the keys
    (with `touch`, what to tap)."""
    rows = [(level.title.get(look.lang), sizes.large, look.colours.accent, True)]
    if lesson:
        rows.append((level.lesson.get(look.lang), size, look.colours.text, False))
    goal = goal_text(look.lang, level, touch)
    if goal:
        rows.append((goal, size, theme.GOAL, False))
    rows.append((look.tr("brief.keys_touch" if touch else "brief.keys"), sizes.small, look.colours.text_dim, False))
    return rows


def card_height(look: Look, rows: list[Row], width: int) -> int:
    """Return how tall a card `width` wide must be to hold `rows` whole."""
    inner = width - 2 * PAD
    return 2 * PAD - ROW_GAP + sum(len(hud.wrap(look, text, size, inner, bold)) * look.font(size, bold).get_linesize()
                                   + ROW_GAP for text, size, _, bold in rows)


def briefing_options(level: Level, look: Look, sizes: Sizes, short: bool, touch: bool = False) -> list[list[Row]]:
    """The briefings to try, fullest first: the whole text in body type, then in small type, then
    (when `short` is allowed) without the lesson, which the side panel also shows."""
    options = [briefing_rows(level, look, sizes, size, True, touch) for size in (sizes.body, sizes.small)]
    if short:
        options += [briefing_rows(level, look, sizes, size, False, touch) for size in (sizes.body, sizes.small)]
    return options


def fit_in_panel(level: Level, look: Look, sizes: Sizes, panel: pygame.Rect, touch: bool = False) -> list[Row]:
    """Return the fullest briefing that fits the side panel whole (the smallest, cut short, if none does)."""
    options = briefing_options(level, look, sizes, short=False, touch=touch)
    return next((rows for rows in options if card_height(look, rows, panel.width) <= panel.height), options[-1])


def draw_card(target: pygame.Surface, look: Look, rect: pygame.Rect, rows: list[Row]) -> None:
    """Draw an opaque card with `rows` of text (cut at its bottom edge if they do not fit)."""
    hud.draw_panel(target, look, rect, 255)
    inner = rect.inflate(-2 * PAD, -2 * PAD)
    y = inner.y
    for text, size, colour, bold in rows:
        y += hud.draw_paragraph(target, look, text, pygame.Rect(inner.x, y, inner.width, inner.bottom - y), size,
                                colour, bold) + ROW_GAP


# --- the win strip ---------------------------------------------------------------------------


def win_rows(look: Look, sizes: Sizes, note: WinNote) -> list[Row]:
    """The strip's two paragraphs: the stars and the title, then the steps and the keys."""
    won, colours = note.won, look.colours
    stars = "★" * won.stars + "☆" * (MAX_STARS - won.stars)
    title = f"{stars}  {look.tr('win.title')}" + (look.tr("win.best") if note.best else "")
    par = look.tr("win.par", par=won.par) if won.par else ""
    said = look.tr("win.steps" if won.settled else "win.reached", steps=won.steps, par=par)
    detail = f"{said}  {look.tr('win.next_touch' if note.tap else 'win.next')}"
    return [(title, sizes.large, colours.accent, True), (detail, sizes.small, colours.text, False)]
