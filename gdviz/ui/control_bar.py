"""The control bar: finger-sized buttons along the bottom of the play screen, for touch screens.

Everything a visitor needs while playing is a button: the level list, reset, a step back,
play / pause, a step, the optimizer (a tap opens a row of the ones the level allows), the
learning rate − / its exact value / +, step-by-step, swarm, help and the other language. The
buttons are the data in gdviz.ui.controls.BAR_BUTTONS: a tap is the very Command the key is.

How big. A fingertip needs a target about 12 mm across (MIN_BUTTON_MM), whatever the
window's pixels. The game cannot measure the screen, so it assumes the window fills a screen
`screen_inches` across its diagonal (SCREEN_INCHES, a 15.6″ panel; set the real size in the
settings file, `[touch] screen_inches`). A 1280×720 window on a 15.6″ panel has
pixels 0.27 mm wide, so 12 mm is 45 px; 1920×1080 on the same panel needs 67 px; an
800×480 window needs 29 px — 63 px if it is really a 7″ screen. No button is ever smaller
than that, in width or height; words that do not fit one row go on a second row.

The bar's height depends only on the window, the Look and the settings, never on what the
buttons say at the moment (each is as wide as the widest thing it can show), so the map
above it never jumps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

import pygame

from gdviz.core.commands import Action, Command, Pixel
from gdviz.core.optimizers import names as optimizer_names
from gdviz.ui import hud
from gdviz.ui.controls import BAR_BUTTONS, BarButton, bar_word, panel_word
from gdviz.ui.strings import optimizer_label, optimizer_short
from gdviz.ui.theme import Look

if TYPE_CHECKING:
    from gdviz.core.session import PlaySession
    from gdviz.ui.layout import Sizes

MIN_BUTTON_MM = 12.0  # the smallest button, in millimetres on the screen: a fingertip
SCREEN_INCHES = 15.6  # the screen the window is assumed to fill, across its diagonal
MM_PER_INCH = 25.4
WIDEST_LR = ("0.00888", "8.88e−6", "88888")  # wider than any learning rate the bar can show
TEXT_PAD = 8  # pixels between a button's edge and its text
JOIN = 3  # pixels between two buttons of one group


def min_button_px(size: tuple[int, int], screen_inches: float = SCREEN_INCHES) -> int:
    """Return how many pixels make MIN_BUTTON_MM on a window of `size` filling a screen that
    many inches across.

    >>> min_button_px((1280, 720), 15.6)
    45
    """
    mm_per_pixel = screen_inches * MM_PER_INCH / math.hypot(*size)
    return math.ceil(MIN_BUTTON_MM / mm_per_pixel - 1e-9)


@dataclass(frozen=True)
class Touch:
    """How the game meets a touch screen: whether the control bar shows, and the size of the
    screen (its diagonal, in inches) its buttons are made big enough for."""

    bar: bool = False
    screen_inches: float = SCREEN_INCHES

    def least(self, window: tuple[int, int]) -> int:
        """Return the smallest a button may be, in pixels, in a window of this size."""
        return min_button_px(window, self.screen_inches)


@dataclass(frozen=True)
class Cell:
    """One button as drawn: its icon and word, what a tap does (None: a label, not a button),
    whether it is lit, its group, and the widest words it may ever show (so it never changes
    width)."""

    icon: str
    word: str
    action: Action | None
    lit: bool = False
    group: int = 0
    widest: tuple[str, ...] = ()
    icons: tuple[str, ...] = ()  # the other icons it may show (❚❚ for ▶)


def bar_cells(session: PlaySession | None, lang: str, short: bool = False) -> list[Cell]:
    """The bar's buttons for the game's state now (None: the widest they can be, for sizing);
    `short`: the narrow screen's icons and short words."""
    return [_cell(button, session, lang, short) for button in BAR_BUTTONS]


def _cell(button: BarButton, session: PlaySession | None, lang: str, short: bool) -> Cell:
    lit = session is not None and _state(session, button.lit)
    shows = {"optimizer": optimizer_short(lang, session.ball.optimizer.name) if session else "",
             "lr": hud.fmt(session.ball.optimizer.lr) if session else ""}
    label = button.label_lit if lit and button.label_lit and not short else button.label
    icon = button.icon_lit if lit and button.icon_lit else button.icon
    widest = tuple(bar_word(button, lang, optimizer_short(lang, name), short=short) for name in optimizer_names())
    widest += tuple(bar_word(button, lang, lr=value, short=short) for value in WIDEST_LR)
    if button.label_lit and not short:
        widest += (bar_word(BarButton(button.command, button.label_lit), lang),)
    word = bar_word(replace(button, label=label), lang, short=short, **shows)
    return Cell(icon, word, Action(button.command, button.arg), lit, button.group, widest,
                (button.icon, button.icon_lit))


def _state(session: PlaySession, name: str) -> bool:
    return {"playing": session.playing, "step_mode": session.step_mode is not None,
            "swarm": session.swarm is not None}.get(name, False)


def menu_cells(session: PlaySession, look: Look) -> list[Cell]:
    """The optimizer list that opens over the bar: one button per optimizer the level allows
    (the selected ball's is lit), and Close."""
    current = session.ball.optimizer.name
    cells = [Cell("", panel_word(Action(Command.OPTIMIZER, name), look.lang), Action(Command.OPTIMIZER, name),
                  name == current, group) for group, name in enumerate(session.allowed, start=1)]
    return cells + [_close(Command.OPTIMIZER_MENU, look, len(cells) + 1)]


def settings_cells(session: PlaySession, look: Look) -> list[Cell]:
    """The ⚙ panel for the selected ball's optimizer: each decay rate with − and + beside its
    value, the bias-correction switch where it has one, and Close — only what applies."""
    optimizer = session.ball.optimizer
    downs, ups = (Command.DECAY1_DOWN, Command.DECAY2_DOWN), (Command.DECAY1_UP, Command.DECAY2_UP)
    cells = []
    for which, _ in enumerate(optimizer.method.decays[:2]):
        down, up = (Action(c[which], optimizer.name) for c in (downs, ups))
        value = f"{optimizer.get_decay(which):g}"
        cells += [Cell("", panel_word(down, look.lang), Action(down.command), group=which + 1),
                  Cell("", value, None, group=which + 1, widest=("0.9999",)),
                  Cell("", panel_word(up, look.lang), Action(up.command), group=which + 1)]
    if "bias_correction" in optimizer.hyper:
        on = bool(optimizer.hyper["bias_correction"])
        cells.append(Cell("☑" if on else "☐", look.tr("bar.bias"), Action(Command.TOGGLE_BIAS), on, 3))
    if not cells:
        cells.append(Cell("", look.tr("bar.nothing", name=optimizer_label(look.lang, optimizer.name)), None, group=1))
    return cells + [_close(Command.SETTINGS_MENU, look, 4)]


def _close(command: Command, look: Look, group: int) -> Cell:
    return Cell("✕", look.tr("bar.close"), Action(command), False, group)


# --- arranging -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Arrangement:
    """Where the buttons go: the text size, the buttons' height, one rectangle per cell, whether
    the buttons show their short words, and whether they fit the width at all."""

    size: int
    height: int
    rects: tuple[pygame.Rect, ...]
    short: bool = False
    fits: bool = True


def text_width(look: Look, cell: Cell, size: int, texts: tuple[str, ...] = ()) -> int:
    """Return how wide a cell's icon and widest word are at text `size` (bold)."""
    space = " " if cell.word or texts else ""
    icon = max((hud.text_width(Look("en"), i + space, size, True) for i in (cell.icon, *cell.icons) if i), default=0)
    return icon + max(hud.text_width(look, text, size, True) for text in (cell.word, *texts))


def arrange(look: Look, cells: list[Cell], width: int, sizes: Sizes, least: int, rows: int = 0,
            most: int = 3) -> Arrangement:
    """Lay the cells out in `width` pixels, in as few rows as they fit (exactly `rows` when
    given, else at most `most`), with body-size text if it fits, else small. Every button is at
    least `least` pixels wide and tall; `fits` says whether they all fit the width."""
    groups = [c.group for c in cells]
    tries = [(count, size) for count in ([rows] if rows else range(1, most + 1)) for size in (sizes.body, sizes.small)]
    for count, size in tries:
        widths = [max(text_width(look, c, size, c.widest) + 2 * TEXT_PAD, least) for c in cells]
        lines = _split(groups, widths, count)
        fits = all(_row_width(line, groups, widths, least) <= width for line in lines)
        if fits:
            break
    height = max(least, look.font(size, True).get_linesize() + 12)
    rects = _place(lines, widths, groups, width, height, least)
    return Arrangement(size, len(lines) * height + (len(lines) - 1) * _gap(least), tuple(rects), fits=fits)


def _gap(least: int) -> int:
    """Pixels between groups (and between rows): enough that a finger tells them apart."""
    return max(least // 5, 6)


def _row_width(indices: list[int], groups: list[int], widths: list[int], least: int) -> int:
    breaks = sum(1 for a, b in zip(indices, indices[1:]) if groups[a] != groups[b])
    return sum(widths[i] for i in indices) + breaks * _gap(least) + (len(indices) - 1 - breaks) * JOIN


def _split(groups: list[int], widths: list[int], count: int) -> list[list[int]]:
    """Cut the cells into `count` rows of about equal width, only between groups."""
    cuts = [i for i in range(1, len(groups)) if groups[i] != groups[i - 1]]
    total, lines, start = sum(widths), [], 0
    for k in range(1, count):
        target = total * k / count
        cut = min((c for c in cuts if c > start), key=lambda c: abs(sum(widths[:c]) - target), default=None)
        if cut is None:
            break
        lines.append(list(range(start, cut)))
        start = cut
    return lines + [list(range(start, len(groups)))]


def _place(lines: list[list[int]], widths: list[int], groups: list[int], width: int, height: int,
           least: int) -> list[pygame.Rect]:
    """Place each row's buttons, spreading the room left over between the groups."""
    rects: dict[int, pygame.Rect] = {}
    for row, line in enumerate(lines):
        breaks = [i for a, i in zip(line, line[1:]) if groups[a] != groups[i]]
        spare = max(width - _row_width(line, groups, widths, least), 0)
        extra = spare / len(breaks) if breaks else 0.0
        x, y = (0.0 if breaks else spare / 2), row * (height + _gap(least))
        for i in line:
            if i in breaks:
                x += _gap(least) + extra
            elif i != line[0]:
                x += JOIN
            rects[i] = pygame.Rect(round(x), y, widths[i], height)
            x += widths[i]
    return [rects[i] for i in range(len(widths))]


# The bar's shapes, best first: whole words in one or two rows, then icons and short words, then three rows.
SHAPES = ((False, 2), (True, 2), (False, 3), (True, 3))


@lru_cache(maxsize=16)
def main_arrangement(look: Look, width: int, sizes: Sizes, least: int) -> Arrangement:
    """Return where the bar's own buttons go (the same whatever they show now): the first of
    SHAPES that fits the width."""
    for short, most in SHAPES:
        shape = arrange(look, bar_cells(None, look.lang, short), width, sizes, least, most=most)
        if shape.fits:
            break
    return replace(shape, short=short)


def bar_height(window: tuple[int, int], look: Look, sizes: Sizes, width: int, touch: Touch) -> int:
    """Return how tall the bar is, `width` wide in a window of this size (0 when it is hidden)."""
    return main_arrangement(look, width, sizes, touch.least(window)).height if touch.bar else 0


# --- drawing and tapping ---------------------------------------------------------------------

PANELS = {Command.OPTIMIZER_MENU: menu_cells, Command.SETTINGS_MENU: settings_cells}


class ControlBar:
    """The bar of one play screen: which of its panels is open (the optimizer list or the ⚙
    settings, over the bar; None: neither), and where it last drew its buttons (a tap means
    what the player saw)."""

    def __init__(self) -> None:
        self.panel: Command | None = None
        self.buttons: list[tuple[pygame.Rect, Action | None]] = []
        self.area = pygame.Rect(0, 0, 0, 0)  # where the bar (or its open panel) was drawn
        self.text_size = 0  # and the size of its words

    @property
    def menu(self) -> bool:
        """Whether a panel (the optimizer list or the settings) is open in the bar's place."""
        return self.panel is not None

    @menu.setter
    def menu(self, on: bool) -> None:
        self.panel = Command.OPTIMIZER_MENU if on else None

    def toggle_menu(self) -> None:
        """Open the optimizer list in the bar's place, or close it."""
        self.toggle(Command.OPTIMIZER_MENU)

    def toggle_settings(self) -> None:
        """Open the ⚙ settings of the selected ball in the bar's place, or close them."""
        self.toggle(Command.SETTINGS_MENU)

    def toggle(self, panel: Command) -> None:
        self.panel = None if self.panel is panel else panel

    def hit(self, at: Pixel) -> Action | None:
        """Return the Action of the button under `at`, if any."""
        return next((action for rect, action in self.buttons if rect.collidepoint(at.x, at.y)), None)

    def covers(self, at: Pixel) -> bool:
        """Whether `at` is on the bar or its open panel (buttons, labels or the gaps between)."""
        return self.area.collidepoint(at.x, at.y)

    def draw(self, target: pygame.Surface, look: Look, area: pygame.Rect, sizes: Sizes, session: PlaySession,
             least: int) -> None:
        """Draw the buttons (or, while one is open, a panel rising from the bar's bottom edge)
        in `area`; none is smaller than `least` pixels."""
        main = main_arrangement(look, area.width, sizes, least)
        if self.panel is None:
            cells, shape, box = bar_cells(session, look.lang, main.short), main, area
        else:
            cells = PANELS[self.panel](session, look)
            shape = arrange(look, cells, area.width, sizes, least, rows=len({r.y for r in main.rects}))
            if not shape.fits:  # more rows, rising over the map
                shape = arrange(look, cells, area.width, sizes, least, most=len(cells))
            box = pygame.Rect(area.x, area.bottom - shape.height, area.width, shape.height)
        self.area = box.inflate(2 * _gap(least), 2 * _gap(least)).clip(target.get_rect())
        target.fill(look.colours.background, self.area)  # nothing of the map shows between buttons
        self.buttons, self.text_size = [], shape.size
        for cell, rect in zip(cells, shape.rects):
            rect = rect.move(box.topleft)
            _draw_cell(target, look, rect, cell, shape.size)
            self.buttons.append((rect, cell.action))


def _draw_cell(target: pygame.Surface, look: Look, rect: pygame.Rect, cell: Cell, size: int) -> None:
    """One button: a rounded box, lit in the accent colour when its state is on, with its text."""
    c = look.colours
    fill, ink = (c.accent, c.background) if cell.lit else (c.panel, c.text)
    if cell.action is not None:  # a label (a decay's value) has no box: it is not for tapping
        pygame.draw.rect(target, fill, rect, border_radius=8)
        pygame.draw.rect(target, c.panel_edge if not cell.lit else c.accent, rect, 2, border_radius=8)
    word = hud.TEXT.render(look, cell.word, size, ink, bold=True)
    icon = hud.TEXT.render(Look("en"), cell.icon + (" " if cell.word else ""), size, ink, bold=True) if cell.icon else None
    width = word.get_width() + (icon.get_width() if icon else 0)
    x = rect.centerx - width // 2
    if icon is not None:
        target.blit(icon, icon.get_rect(midleft=(x, rect.centery)))
        x += icon.get_width()
    target.blit(word, word.get_rect(midleft=(x, rect.centery)))
