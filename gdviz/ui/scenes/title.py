"""The title screen: the name of the game and the list of levels to choose from.

When the list is longer than the screen is tall it scrolls — with ↑ ↓, the mouse wheel, or
by dragging it with a finger or the mouse — and says so: "▲ 3 more" above it, "▼ 5 more"
below it, and a scroll bar beside it. A tap on a level plays it; on a list that scrolls, the
level starts when the finger (or mouse button) is let go without having dragged the list.
"""

from __future__ import annotations

import pygame
from pygame._sdl2 import (
    touch as sdl_touch,  # pygame-ce's only way to ask which fingers are down
)

from gdviz.core.commands import Action, Command, Pixel
from gdviz.core.session import MAX_STARS
from gdviz.ui import hud, theme
from gdviz.ui.scenes.base import Context, Scene
from gdviz.ui.scenes.function import FunctionScene
from gdviz.ui.scenes.help import HelpScene
from gdviz.ui.theme import Look

UP_COMMANDS = (Command.UP, Command.PREV_LEVEL, Command.STEP_BACK)
DOWN_COMMANDS = (Command.DOWN, Command.NEXT_LEVEL, Command.NEXT_BALL, Command.STEP)
# The footer's items in order, with their ranks: a narrow screen leaves out the highest first.
# A kiosk says only what a visitor can do without a keyboard.
TITLE_FOOTER = (("title.choose", 1), ("title.play", 0), ("title.function", 4), ("title.language", 3),
                ("title.help", 2), ("title.quit", 5))
KIOSK_FOOTER = (("title.tap", 0),)
DRAG_PIXELS = 12  # a press that moves this far is a drag of the list, not a tap on a row
BAR_WIDTH = 6  # the scroll bar's width in pixels
ROW_GAP = 4  # pixels between two rows of the list


class TitleScene(Scene):
    """Choose a level with ↑ ↓ and Enter (or a click or a tap); Esc quits."""

    def __init__(self, ctx: Context, choice: int = 0) -> None:
        super().__init__(ctx)
        self.choice = choice
        self.first_row = 0
        self.rows = 1  # how many rows the list showed last
        self.row_rects: list[tuple[int, pygame.Rect]] = []
        self.list_area = pygame.Rect(0, 0, 0, 0)
        self.footer: tuple[str, pygame.Rect] = ("", pygame.Rect(0, 0, 0, 0))  # what the footer said, and where
        self.line = 1
        self.press: tuple[int, int] | None = None  # where a press began (y) and the first row then
        self.pending: int | None = None  # the row a press chose, started when it is let go without a drag

    @property
    def levels(self):
        return self.ctx.levels

    @property
    def scrolls(self) -> bool:
        """Whether the list is longer than the rows shown."""
        return len(self.levels) > self.rows

    def start_level(self, index: int) -> None:
        """Open level `index` in a play scene on top of this one."""
        self.choice = index
        self.pending = None
        self.ctx.start_level(index)

    def handle(self, action: Action) -> None:
        command = action.command
        if command in UP_COMMANDS:
            self._choose(self.choice - 1)
        elif command in DOWN_COMMANDS:
            self._choose(self.choice + 1)
        elif command in (Command.SELECT, Command.PLAY_PAUSE):
            self.start_level(self.choice)
        elif command is Command.SCROLL:
            self._scroll_by(_rows(action.arg))
        elif command in (Command.SET_START, Command.ADD_BALL_AT) and isinstance(action.arg, Pixel):
            self._press(action.arg)
        elif command is Command.MOVE_START and isinstance(action.arg, Pixel):
            self._drag(action.arg)
        else:
            self._handle_other(command)

    def _handle_other(self, command: Command) -> None:
        ctx = self.ctx
        if command is Command.HELP:
            ctx.push(HelpScene(ctx))
        elif command is Command.FUNCTION:
            ctx.push(FunctionScene(ctx))
        elif command is Command.BACK and not ctx.kiosk:
            ctx.pop()
        elif command is Command.LANGUAGE:
            ctx.toggle_language()
        elif command is Command.PRESENTER:
            ctx.toggle_presenter()

    # --- choosing and scrolling --------------------------------------------------------------

    def _choose(self, index: int) -> None:
        """Highlight level `index` (going round at the ends) and scroll it into sight."""
        self.choice = index % len(self.levels)
        self._follow_choice()

    def _follow_choice(self) -> None:
        """Scroll just enough for the chosen row to be shown."""
        if self.choice < self.first_row:
            self.first_row = self.choice
        elif self.choice >= self.first_row + self.rows:
            self.first_row = self.choice - self.rows + 1

    def _scroll_to(self, first: int) -> None:
        """Show the list from row `first` on; the highlight stays on a row in sight."""
        self.first_row = max(min(first, len(self.levels) - self.rows), 0)
        self.choice = min(max(self.choice, self.first_row), self.first_row + self.rows - 1)

    def _scroll_by(self, rows: int) -> None:
        self._scroll_to(self.first_row + rows)

    def _press(self, at: Pixel) -> None:
        """A click or a tap: on a row it plays that level (on a list that scrolls, once the press
        has not turned into a drag); anywhere on the list it may start a drag."""
        self.press = (at.y, self.first_row) if self.list_area.collidepoint(at.x, at.y) else None
        row = next((index for index, rect in self.row_rects if rect.collidepoint(at.x, at.y)), None)
        if row is None:
            return
        if not self.scrolls:
            self.start_level(row)
            return
        self.choice, self.pending = row, row

    def _drag(self, at: Pixel) -> None:
        """The finger or mouse moved while pressed: the list follows it."""
        if self.press is None:
            return
        start_y, first = self.press
        if abs(at.y - start_y) >= DRAG_PIXELS:
            self.pending = None  # a drag, not a tap
        if self.pending is None:
            self._scroll_to(first + round((start_y - at.y) / self.line))

    def update(self, dt: float) -> None:
        if self.pending is not None and not _pointer_down():  # let go, and no drag: a tap
            self.start_level(self.pending)

    # --- drawing ----------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface, look: Look) -> None:
        width, height = surface.get_size()
        colours = look.colours
        surface.fill(colours.background)
        big = int(max(min(height * 0.075, width * 0.06), 22))
        body = int(max(min(height * 0.028, 30), 13))
        y = int(height * 0.05)
        y = hud.draw_text(surface, look, "gdviz", (width // 2, y), big, colours.accent, bold=True,
                          anchor="midtop").bottom
        y = hud.draw_text(surface, look, look.tr("title.subtitle"), (width // 2, y + 4), body,
                          colours.text_dim, anchor="midtop").bottom + int(height * 0.04)
        items = [(look.tr(key), rank) for key, rank in (KIOSK_FOOTER if look.kiosk else TITLE_FOOTER)]
        footer = hud.fit_items(look, items, body, width - 24)
        foot_rect = hud.draw_text(surface, look, footer, (width // 2, height - 12), body, colours.text_dim,
                                  anchor="midbottom")
        self.footer = (footer, foot_rect)
        foot_rect = self._draw_notices(surface, look, foot_rect, body)
        self._draw_list(surface, look, pygame.Rect(width // 6, y, width * 2 // 3, foot_rect.top - y - 12), body)

    def _draw_notices(self, surface: pygame.Surface, look: Look, above: pygame.Rect, size: int) -> pygame.Rect:
        """Say (briefly) which level files were skipped and whether progress had to start fresh."""
        # Progress first (a visitor's stars kept aside matter most), then settings, then levels.
        others = ([self.ctx.progress.notice] if self.ctx.progress.notice else []) + list(self.ctx.settings.notices)
        skipped = list(self.ctx.level_errors)
        notices = others + skipped
        if not notices:
            return above
        if len(notices) == 1:
            text = notices[0]
        elif not others:
            text = look.tr("title.skipped", count=len(skipped), first=skipped[0])
        else:
            text = look.tr("title.notices", count=len(notices), first=notices[0])
        width = surface.get_width()
        line = look.font(size - 2).get_linesize()
        area = pygame.Rect(width // 12, above.top - line * 2 - 6, width * 5 // 6, line * 2)
        hud.draw_paragraph(surface, look, text, area, size - 2, theme.BAD, max_lines=2)
        return area

    def _draw_list(self, surface: pygame.Surface, look: Look, area: pygame.Rect, size: int) -> None:
        """The rows that fit; on a list that scrolls, a hint above and below and a scroll bar. With the
        control bar on (a touch screen, a kiosk) each row is at least a fingertip tall, as its buttons are."""
        self.line = line = max(look.font(size).get_linesize() + 4, self._fingertip(surface, look)) + ROW_GAP
        hint = look.font(size - 2).get_linesize()
        self.rows = max(area.height // line, 1)
        if self.scrolls:  # room for the hints
            area = area.inflate(0, -2 * hint)
            self.rows = max(area.height // line, 1)
        self.list_area = area
        self._follow_choice()
        self.first_row = max(min(self.first_row, len(self.levels) - self.rows), 0)
        self.row_rects = []
        for row, index in enumerate(range(self.first_row, min(self.first_row + self.rows, len(self.levels)))):
            rect = pygame.Rect(area.x, area.y + row * line, area.width, line - ROW_GAP)
            self._draw_row(surface, look, rect, index, size)
            self.row_rects.append((index, rect))
        if self.scrolls:
            self._draw_scroll_hints(surface, look, area, size - 2)

    def _fingertip(self, surface: pygame.Surface, look: Look) -> int:
        """The least height of a row a finger taps: the control bar's buttons' (0 with no bar)."""
        touch = self.ctx.touch
        return touch.least(surface.get_size()) if touch.bar or look.kiosk else 0

    def _draw_scroll_hints(self, surface: pygame.Surface, look: Look, area: pygame.Rect, size: int) -> None:
        """"▲ 3 more" above the rows, "▼ 5 more: scroll or drag" below them, and a scroll bar."""
        colours = look.colours
        above = self.first_row
        below = len(self.levels) - self.first_row - self.rows
        if above > 0:
            hud.draw_text(surface, look, look.tr("title.more_above", count=above), (area.centerx, area.y - 2), size,
                          colours.accent, anchor="midbottom")
        if below > 0:
            hud.draw_text(surface, look, look.tr("title.more_below", count=below),
                          (area.centerx, area.y + self.rows * self.line), size, colours.accent, anchor="midtop")
        track = pygame.Rect(area.right + 10, area.y, BAR_WIDTH, self.rows * self.line - ROW_GAP)
        pygame.draw.rect(surface, colours.panel, track, border_radius=3)
        share = self.rows / len(self.levels)
        thumb = pygame.Rect(track.x, track.y + int(track.height * self.first_row / len(self.levels)), BAR_WIDTH,
                            max(int(track.height * share), BAR_WIDTH))
        pygame.draw.rect(surface, colours.accent, thumb, border_radius=3)

    def _draw_row(self, surface: pygame.Surface, look: Look, rect: pygame.Rect, index: int, size: int) -> None:
        colours = look.colours
        chosen = index == self.choice
        if chosen:
            hud.draw_panel(surface, look, rect.inflate(12, 2), 255)
        level = self.levels[index]
        earned = self.ctx.progress.stars.get(level.id, 0)
        top = rect.y + (rect.height - look.font(size).get_linesize()) // 2 + 2  # the text in the middle of the row
        stars = hud.draw_text(surface, look, "★" * earned + "☆" * (MAX_STARS - earned),
                              (rect.right - 8, top), size, colours.accent, anchor="topright")
        text = f"{index + 1:>2}.  {level.title.get(look.lang)}"
        hud.draw_paragraph(surface, look, text, pygame.Rect(rect.x + 8, top, stars.left - rect.x - 20,
                                                            rect.bottom + 4 - top),
                           size, colours.accent if chosen else colours.text, bold=chosen, max_lines=1)


def _pointer_down() -> bool:
    """Whether a mouse button or a finger is still pressed (SDL's own state of the devices)."""
    if any(pygame.mouse.get_pressed()):
        return True
    return any(sdl_touch.get_num_fingers(sdl_touch.get_device(i)) for i in range(sdl_touch.get_num_devices()))


def _rows(arg: object) -> int:
    """The rows a SCROLL moves by: its argument (from a script, text), or one row down."""
    try:
        return int(float(arg)) if arg is not None else 1
    except (TypeError, ValueError):
        return 0
