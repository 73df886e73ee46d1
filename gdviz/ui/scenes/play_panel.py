"""The side panel while playing: the level, the selected ball's numbers, the leaderboard, the loss plot.

The panel holds still: the ball box and the leaderboard take the same room whatever their
numbers say (rows are reserved, columns are as wide as the widest number they could ever
show), so the plot below them never jumps. Balls are shown as on the map: a disc in the
ball's colour with its number, then its name.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pygame

from gdviz.core import stages
from gdviz.core.ladders import DECAY_SYMBOLS
from gdviz.core.session import PlaySession, next_lr
from gdviz.core.sim import STATUS_NAMES
from gdviz.ui import glyphs, grammar, hud, theme
from gdviz.ui.scenes.play_balls import ball_name, draw_you_badge, shows_you
from gdviz.ui.scenes.play_map import Frame
from gdviz.ui.strings import goal_text, optimizer_label, optimizer_short, schedule_text
from gdviz.ui.theme import Look

SETTINGS_ROWS = 2  # rows kept for the selected ball's optimizer and settings (one more for a schedule)
WIDEST_SETTING = "0.00888"  # wider than any learning rate or decay the settings show: rows are kept for it
MIN_BOARD_ROWS = 3  # leaderboard rows kept below its header: the level's balls and one more, at least this
COLUMNS = ("board.ball", "board.optimizer", "board.lr", "board.steps", "board.loss", "board.grad", "board.status")
# The numbers each number column shows widest (see stages.format_number and format_fixed: 3
# significant figures; learning rates stay within ladders.LR_LIMITS), so columns never move.
# Wider ones are rare enough to be let run into the gap: a negative loss within 1e−9 of 0, a
# gradient below 1e−99, a race of 100000 steps.
WIDEST = {2: (0.00888, 8.88e-6, 88888), 3: (88888,),
          4: (-0.00888, 8.88e-88, -8.88e-8, -88888), 5: (0.00888, 8.88e-88, 88888)}
# Columns to give up, in order, when the panel is too narrow for all of them; the ball's name takes
# the rest. Without the status column the loss still shows it in its colour.
DROP_ORDER = ((0, 1, 2, 3, 4, 5, 6), (0, 1, 2, 3, 4, 6), (0, 1, 2, 4, 6), (0, 1, 2, 4), (0, 1, 4))
NAME_ROOM = "mmm"  # the least room a ball's name is given before columns are dropped
COLUMN_GAP = 8
GRAPH_LINES = 4  # the loss plot shows only where its graph can be this many lines of its text tall


class SidePanel:
    """Draws the side panel; keeps the level's text as a picture, since it rarely changes."""

    def __init__(self) -> None:
        self._level_text: tuple[tuple, pygame.Surface | None, int] = ((), None, 0)
        self.plot: pygame.Rect | None = None  # where the loss plot went last (None: no room to read it)

    def draw(self, f: Frame) -> None:
        """Draw the whole side panel."""
        rect = f.geo.layout.panel
        hud.draw_solid_panel(f.target, f.look, rect)
        inner = rect.inflate(-20, -16)
        y = inner.y
        y += self._draw_level_text(f, pygame.Rect(inner.x, y, inner.width, inner.bottom - y))
        y += _draw_ball_box(f, pygame.Rect(inner.x, y, inner.width, inner.bottom - y))
        y += _draw_leaderboard(f, pygame.Rect(inner.x, y, inner.width, inner.bottom - y))
        plot = pygame.Rect(inner.x, y + 4, inner.width, inner.bottom - y - 4)
        self.plot = plot if plot.height >= _plot_height(f.look, f.geo.sizes.small) else None
        if self.plot is not None:  # readable, or not there at all
            _draw_plot(f, plot)

    def _draw_level_text(self, f: Frame, area: pygame.Rect) -> int:
        """The level's title, lesson and goal: drawn once into a picture, reused every frame."""
        session = f.session
        key = (session.level.id, session.index, tuple(area), f.look)
        if self._level_text[0] != key:
            picture = pygame.Surface(area.size)  # opaque on the solid panel: quick to draw
            picture.fill(f.look.colours.panel)
            used = _render_level_text(f, picture, pygame.Rect((0, 0), area.size))
            picture = picture.subsurface((0, 0, area.width, min(used, area.height))).copy()
            self._level_text = (key, picture, used)
        f.target.blit(self._level_text[1], area.topleft)
        return self._level_text[2]


def _plot_height(look: Look, size: int) -> int:
    """Return the least height of a loss plot that can be read: a title, a legend row and a graph."""
    return 2 * look.font(size).get_linesize() + max(GRAPH_LINES * look.font(size - 2).get_linesize(),
                                                     hud.MIN_GRAPH_HEIGHT) + 28


def _render_level_text(f: Frame, target: pygame.Surface, area: pygame.Rect) -> int:
    session, sizes, look = f.session, f.geo.sizes, f.look
    level = session.level
    title = f"{session.index + 1}/{len(session.levels)}  {level.title.get(look.lang)}"
    used = hud.draw_paragraph(target, look, title, area, sizes.large, look.colours.accent, bold=True, max_lines=2)
    lesson_area = pygame.Rect(area.x, area.y + used + 4, area.width, area.height - used)
    used += 4 + hud.draw_paragraph(target, look, level.lesson.get(look.lang), lesson_area, sizes.small,
                                   look.colours.text, max_lines=3)
    goal = goal_text(look.lang, level, f.geo.layout.bar.height > 0)
    if goal:
        goal_area = pygame.Rect(area.x, area.y + used + 4, area.width, area.height - used)
        used += 4 + hud.draw_paragraph(target, look, goal, goal_area, sizes.small, theme.GOAL, max_lines=3)
    return used + 10


def _hyper_text(ball, look: Look, widest: bool = False) -> str:
    """The ball's optimizer settings; with `widest`, every number as wide as it could ever be."""
    optimizer = ball.optimizer

    def shown(text: str) -> str:
        return WIDEST_SETTING if widest else text

    lr = shown(hud.number(look, optimizer.lr))
    parts = [look.tr("panel.lr", value=lr)]
    if _scheduled(ball):
        parts[0] = look.tr("panel.lr_now", value=lr, now=shown(hud.number(look, next_lr(ball))))
    for i, name in enumerate(optimizer.decay_names()):
        parts.append(f"{DECAY_SYMBOLS.get(name, name)} {shown(f'{optimizer.get_decay(i):g}')}")
    if "bias_correction" in optimizer.hyper:
        parts.append(look.tr("panel.bias_on" if optimizer.hyper["bias_correction"] else "panel.bias_off"))
    if optimizer.hyper.get("weight_decay"):
        parts.append(look.tr("panel.weight_decay", value=shown(f"{optimizer.hyper['weight_decay']:g}")))
    return " · ".join(parts)


def _scheduled(ball) -> bool:
    return ball.schedule.kind != "constant" or bool(ball.schedule.warmup)


def _draw_ball_box(f: Frame, area: pygame.Rect) -> int:
    """The selected ball: its disc, name and optimizer, settings and numbers, in a box of fixed height."""
    sizes, look = f.geo.sizes, f.look
    heading = look.font(sizes.body, True).get_linesize()
    line = look.font(sizes.small).get_linesize()
    height = heading + 2 + _box_rows(f.session.level) * line + 10
    box = pygame.Rect(area.x, area.y, area.width, min(height, area.height))
    _draw_heading(f, pygame.Rect(box.x, box.y, box.width, heading))
    y = box.y + heading + 2
    y += _draw_settings(f, pygame.Rect(box.x, y, box.width, box.bottom - y))
    _draw_numbers(f, pygame.Rect(box.x, y + 2, box.width, box.bottom - y - 2))
    return box.height


def _box_rows(level) -> int:
    """Return the rows of small text the ball box keeps on this level, whichever ball is selected.

    Enough for the settings, a schedule if any ball has one, and the numbers of the richest
    optimizer the level's balls have or the player may choose, flown off or not.
    """
    names = _optimizer_choices(level)
    numbers = max(len(stages.EVERYDAY[name]) for name in names)  # one row per glyph kind it shows
    scheduled = any(spec.schedule.kind != "constant" or spec.schedule.warmup for spec in level.balls)
    return SETTINGS_ROWS + int(scheduled) + 1 + numbers


def _draw_heading(f: Frame, area: pygame.Rect) -> None:
    """The ball's disc with its number, its "you" badge and its name."""
    session, look, sizes = f.session, f.look, f.geo.sizes
    index = session.selected
    radius = max(area.height // 2 - 2, 6)
    glyphs.draw_ball(f.target, (area.x + radius + 2, area.centery), theme.ball_colour(index), radius,
                     number=str(index + 1))
    x = area.x + 2 * radius + 10
    if shows_you(session, index):
        x = draw_you_badge(f.target, look, look.tr("map.you"), (x, area.centery), sizes.small) + 6
    hud.draw_paragraph(f.target, look, ball_name(session, index, look.lang),
                       pygame.Rect(x, area.y, area.right - x, area.height), sizes.body, look.colours.text, bold=True,
                       max_lines=1)


def _draw_settings(f: Frame, area: pygame.Rect) -> int:
    """The optimizer, learning rate, decays and schedule, in as many rows as their widest numbers would need."""
    ball, look, size = f.session.ball, f.look, f.geo.sizes.small
    line = look.font(size).get_linesize()
    text, widest = (_settings_text(ball, look, wide) for wide in (False, True))
    rows = min(len(hud.wrap(look, widest, size, area.width)), SETTINGS_ROWS + int(_scheduled(ball)))
    hud.draw_paragraph(f.target, look, text, pygame.Rect(area.x, area.y, area.width, rows * line), size,
                       look.colours.text, max_lines=rows)
    return rows * line


def _settings_text(ball, look: Look, widest: bool) -> str:
    parts = [optimizer_label(look.lang, ball.optimizer.name), _hyper_text(ball, look, widest)]
    if _scheduled(ball):
        parts.append(look.tr("panel.schedule", text=schedule_text(look.lang, ball.schedule)))
    return " · ".join(parts)


def _number_rows(session: PlaySession, look: Look) -> list[tuple[str, tuple[int, int, int]]]:
    """The selected ball's step, loss and status, then the numbers behind its arrows."""
    ball = session.ball
    loss = float(session.losses_and_slopes()[0][session.selected])
    status = look.tr("status." + STATUS_NAMES[int(ball.status[0])])
    rows = [(look.tr("panel.numbers", step=ball.moves, loss=hud.number(look, loss), status=status), look.colours.text)]
    preview = session.previews()[session.selected] if ball.status[0] <= 1 else None
    if preview is not None:
        corrected = ball.optimizer.hyper.get("bias_correction", True)
        for kind, name, value in grammar.number_rows(ball.optimizer.name, preview.glyphs, corrected):
            rows.append((look.tr("panel.number", name=look.tr(name), value=hud.vector(look, value)),
                         theme.ARROW_COLOURS[kind]))
    return rows


def _draw_numbers(f: Frame, area: pygame.Rect) -> int:
    """The numbers behind the arrows, each in its arrow's colour."""
    look, size = f.look, f.geo.sizes.small
    line = look.font(size).get_linesize()
    shown = 0
    for text, colour in _number_rows(f.session, look):
        if shown * line + line > area.height:
            break
        if hud.text_width(look, text, size) <= area.width:
            hud.draw_text(f.target, look, text, (area.x, area.y + shown * line), size, colour,
                          background=look.colours.panel)
        else:
            hud.draw_paragraph(f.target, look, text, pygame.Rect(area.x, area.y + shown * line, area.width, line),
                               size, colour, max_lines=1)
        shown += 1
    return shown * line


def _draw_leaderboard(f: Frame, area: pygame.Rect) -> int:
    """Every ball in fixed columns and a fixed number of rows; return the room it takes, always the same.

    The rows are the level's balls and one more (a ball the player adds). Where fewer rows fit
    (more balls than that, or a short panel) they show a window around the selected one — always
    listed — and a last row says how many more there are; with no room for that row too, the
    column headings give way first.
    """
    look, size, session = f.look, f.geo.sizes.small, f.session
    line = look.font(size, True).get_linesize()
    reserved = max(len(session.level.balls) + 1, MIN_BOARD_ROWS)
    plan = board_plan(area.height // line, len(session.race.balls), session.selected, reserved)
    if plan is None:
        return 0
    heading, shown, more, room = plan
    columns = _columns(look, size, area.width, _optimizer_choices(session.level))
    y = area.y
    if heading:
        for k, x, anchor, _ in columns:
            hud.draw_text(f.target, look, look.tr(COLUMNS[k]), (area.x + x, y), size, look.colours.text_dim,
                          bold=True, anchor=anchor, background=look.colours.panel)
        y += line
    rows = _leaderboard_rows(session)
    more_text = look.tr("board.more", count=more) if more else ""
    if more and len(shown) == room:  # one line only: the selected ball, its numbers making room for the count
        columns = _columns(look, size, area.width - hud.text_width(look, more_text, size) - COLUMN_GAP,
                           _optimizer_choices(session.level))
        hud.draw_text(f.target, look, more_text, (area.right, y), size, look.colours.text_dim, anchor="topright",
                      background=look.colours.panel)
        more = 0
    for slot, index in enumerate(shown):
        _draw_row(f, rows[index], columns, pygame.Rect(area.x, y + slot * line, area.width, line))
    if more:
        hud.draw_text(f.target, look, more_text, (area.x, y + len(shown) * line), size, look.colours.text_dim,
                      background=look.colours.panel)
    return min((1 + reserved) * line + 6, area.height)


def board_plan(lines: int, count: int, selected: int, reserved: int) -> tuple[bool, range, int, int] | None:
    """Return how the leaderboard uses `lines` lines for `count` balls: whether it has headings,
    which balls get a row, how many do not (said on a last line, or beside a lone row) and the
    rows it has; None where not even one line is free."""
    if lines < 1:
        return None
    heading = lines >= 3 or lines - 1 >= count  # headings only where they leave room for the balls
    room = min(reserved, lines - int(heading))
    shown, more = _visible_rows(count, selected, room)
    return heading, shown, more, room


def _visible_rows(count: int, selected: int, rows: int) -> tuple[range, int]:
    """Return which balls get one of `rows` rows (a window around the selected one) and how many do not.

    With more balls than rows the last row says how many more there are; with a single row
    it holds the selected ball.
    """
    if count <= rows:
        return range(count), 0
    if rows <= 1:
        return range(selected, selected + 1), count - 1
    room = rows - 1  # the last row says how many more there are
    first = min(max(selected - room // 2, 0), count - room)
    return range(first, first + room), count - room


def _draw_row(f: Frame, row: tuple, columns, rect: pygame.Rect) -> None:
    """One ball's row: disc, badge and name, then its numbers; the selected one has a bar and a bold name."""
    look, size = f.look, f.geo.sizes.small
    index, chosen = row[0], row[-1]
    if chosen:
        pygame.draw.rect(f.target, look.colours.accent, (rect.x - 8, rect.y + 1, 4, rect.height - 2))
    texts, colours = _row_texts(row, look)
    for k, x, anchor, width in columns:
        if k == 0:
            _draw_name_cell(f, index, pygame.Rect(rect.x + x, rect.y, width, rect.height), chosen)
        else:
            hud.draw_text(f.target, look, texts[k], (rect.x + x, rect.y), size, colours[k], anchor=anchor,
                          background=look.colours.panel)


def _draw_name_cell(f: Frame, index: int, cell: pygame.Rect, bold: bool) -> None:
    """The ball's disc with its number, and its name cut to fit the cell (the player's in the "you" colour)."""
    look, size, session = f.look, f.geo.sizes.small, f.session
    radius = max(int(cell.height * 0.42), 5)
    glyphs.draw_ball(f.target, (cell.x + radius + 1, cell.centery), theme.ball_colour(index), radius,
                     number=str(index + 1))
    x = cell.x + 2 * radius + 6
    name = _clip(look, ball_name(session, index, look.lang), size, cell.right - x, bold)
    colour = look.colours.accent if shows_you(session, index) else look.colours.text
    if name:
        hud.draw_text(f.target, look, name, (x, cell.y), size, colour, bold=bold, background=look.colours.panel)


def _clip(look: Look, text: str, size: int, width: int, bold: bool) -> str:
    """Return `text`, cut short with "…" if it is wider than `width` pixels."""
    if hud.text_width(look, text, size, bold) <= width:
        return text
    while text and hud.text_width(look, text + "…", size, bold) > width:
        text = text[:-1]
    return text + "…" if text else ""


def _optimizer_choices(level) -> tuple[str, ...]:
    """Return the optimizers a ball can have on this level: its balls' and the ones the player may pick."""
    return tuple(sorted(set(level.player.optimizers) | {spec.optimizer for spec in level.balls}))


@lru_cache(maxsize=32)
def _columns(look: Look, size: int, width: int, choices: tuple[str, ...]) -> tuple[tuple[int, int, str, int], ...]:
    """Place the columns from the widest text each could ever hold: (column, x, anchor, width) each."""
    widest = [max([hud.text_width(look, look.tr(key), size, True)] +
                  [hud.text_width(look, text, size) for text in _samples(look, k, choices)])
              for k, key in enumerate(COLUMNS)]
    line = look.font(size, True).get_linesize()
    least = line + 6 + hud.text_width(look, NAME_ROOM, size)
    for keep in DROP_ORDER:
        name_width = width - sum(widest[k] + COLUMN_GAP for k in keep[1:])
        if name_width >= least or keep is DROP_ORDER[-1]:
            break
    out, x = [(0, 0, "topleft", name_width)], name_width
    for k in keep[1:]:
        x += COLUMN_GAP
        numeric = k in WIDEST
        out.append((k, x + widest[k] if numeric else x, "topright" if numeric else "topleft", widest[k]))
        x += widest[k]
    return tuple(out)


def _samples(look: Look, column: int, choices: tuple[str, ...]) -> tuple[str, ...]:
    """The texts column `column` can hold that are widest: the level's optimizers, every status, big numbers."""
    if column == 1:
        return tuple(optimizer_short(look.lang, name) for name in choices)
    if column == 6:
        return tuple(look.tr("status." + name) for name in STATUS_NAMES)
    return tuple(hud.number(look, x) if column != 3 else str(x) for x in WIDEST.get(column, ()))


def _leaderboard_rows(session: PlaySession) -> list[tuple]:
    losses, grads = session.losses_and_slopes()
    return [(i, ball.optimizer.name, ball.optimizer.lr, ball.moves, float(losses[i]), float(grads[i]),
             STATUS_NAMES[int(ball.status[0])], i == session.selected) for i, ball in enumerate(session.race.balls)]


def _status_colour(status: str, look: Look):
    return {"converged": theme.GOOD, "diverged": theme.BAD, "goal": theme.GOAL}.get(status, look.colours.text)


def _row_texts(row: tuple, look: Look) -> tuple[tuple[str, ...], tuple]:
    """The texts of a row's columns (the first, the ball, is drawn as a disc and a name) and their colours."""
    index, name, lr, steps, loss, grad, status, _ = row
    texts = ("", optimizer_short(look.lang, name), hud.number(look, lr), str(steps), hud.number(look, loss),
             hud.number(look, grad), look.tr("status." + status))
    colours = (look.colours.text,) * 4 + (_status_colour(status, look), look.colours.text,
                                          _status_colour(status, look))
    return texts, colours


def _draw_plot(f: Frame, rect: pygame.Rect) -> None:
    """The loss plot: one line per ball in the ball's colour, ending in its numbered disc, with a legend."""
    session, look = f.session, f.look
    race, surface = session.race, session.level.surface
    series = []
    lowest = surface.global_minimum.value if surface.global_minimum else None
    with np.errstate(all="ignore"):
        for index, ball in enumerate(race.balls):
            trail = ball.trail(race.trail_length)[:, 0]
            losses = surface.value(trail)
            # Race steps: row k of a ball's path is where it stood k steps after it started.
            steps = np.arange(ball.born + ball.moves - len(trail) + 1, ball.born + ball.moves + 1, dtype=float)
            series.append((steps, losses, theme.ball_colour(index), str(index + 1)))
    if lowest is None:
        finite = [s[1][np.isfinite(s[1])] for s in series]
        lowest = min((float(v.min()) for v in finite if v.size), default=0.0) - 1e-3
    labels = (look.tr("plot.title"), look.tr("plot.step", step="{step}"))
    legend = [(str(i + 1), ball_name(session, i, look.lang), theme.ball_colour(i)) for i in range(len(race.balls))]
    hud.draw_loss_plot(f.target, look, rect, series, lowest, f.geo.sizes.small, labels, legend)
