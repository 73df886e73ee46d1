"""The side panel while playing: the level, the selected ball's numbers, the leaderboard, the loss plot."""

from __future__ import annotations

import numpy as np
import pygame

from gdviz.core.ladders import DECAY_SYMBOLS
from gdviz.core.session import PlaySession, next_lr
from gdviz.core.sim import STATUS_NAMES
from gdviz.ui import hud, theme
from gdviz.ui.scenes.play_map import Frame
from gdviz.ui.strings import goal_text, optimizer_name, schedule_text
from gdviz.ui.theme import Look

HEADER_KEYS = ("board.ball", "board.lr", "board.steps", "board.loss", "board.grad", "board.status")
# Columns to give up, in order, when the panel is too narrow for all of them.
DROP_ORDER = ((0, 1, 2, 3, 4, 5), (0, 1, 2, 3, 5), (0, 1, 3, 5), (0, 3, 5))
MIN_PLOT_HEIGHT = 70


class SidePanel:
    """Draws the side panel; keeps the level's text as a picture, since it rarely changes."""

    def __init__(self) -> None:
        self._level_text: tuple[tuple, pygame.Surface | None, int] = ((), None, 0)

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
        if plot.height >= MIN_PLOT_HEIGHT:
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


def _render_level_text(f: Frame, target: pygame.Surface, area: pygame.Rect) -> int:
    session, sizes, look = f.session, f.geo.sizes, f.look
    level = session.level
    title = f"{session.index + 1}/{len(session.levels)}  {level.title.get(look.lang)}"
    used = hud.draw_paragraph(target, look, title, area, sizes.large, look.colours.accent, bold=True, max_lines=2)
    lesson_area = pygame.Rect(area.x, area.y + used + 4, area.width, area.height - used)
    used += 4 + hud.draw_paragraph(target, look, level.lesson.get(look.lang), lesson_area, sizes.small,
                                   look.colours.text, max_lines=3)
    goal = goal_text(look.lang, level)
    if goal:
        goal_area = pygame.Rect(area.x, area.y + used + 4, area.width, area.height - used)
        used += 4 + hud.draw_paragraph(target, look, goal, goal_area, sizes.small, theme.GOAL, max_lines=3)
    return used + 10


def _hyper_text(ball, look: Look) -> str:
    optimizer = ball.optimizer
    parts = [look.tr("panel.lr", value=hud.fmt(optimizer.lr))]
    if ball.schedule.kind != "constant" or ball.schedule.warmup:
        parts[0] = look.tr("panel.lr_now", value=hud.fmt(optimizer.lr), now=hud.fmt(next_lr(ball)))
    for i, name in enumerate(optimizer.decay_names()):
        parts.append(f"{DECAY_SYMBOLS.get(name, name)} {optimizer.get_decay(i):g}")
    if "bias_correction" in optimizer.hyper:
        parts.append(look.tr("panel.bias_on" if optimizer.hyper["bias_correction"] else "panel.bias_off"))
    if optimizer.hyper.get("weight_decay"):
        parts.append(look.tr("panel.weight_decay", value=f"{optimizer.hyper['weight_decay']:g}"))
    return " · ".join(parts)


def _draw_ball_box(f: Frame, area: pygame.Rect) -> int:
    session, sizes, look, target = f.session, f.geo.sizes, f.look, f.target
    ball = session.ball
    opt = ball.optimizer
    colour = theme.optimizer_colour(opt.name)
    line = look.font(sizes.body, True).get_linesize()
    pygame.draw.circle(target, colour, (area.x + sizes.ball, area.y + line // 2), sizes.ball)
    name_x = area.x + 2 * sizes.ball + 8
    heading = look.tr("panel.ball", number=session.selected + 1, name=optimizer_name(look.lang, opt.name))
    hud.draw_paragraph(target, look, heading, pygame.Rect(name_x, area.y, area.right - name_x, line), sizes.body,
                       colour, bold=True, max_lines=1)
    y = area.y + line + 2
    y += hud.draw_paragraph(target, look, _hyper_text(ball, look), pygame.Rect(area.x, y, area.width, area.bottom - y),
                            sizes.small, look.colours.text, max_lines=2)
    if ball.schedule.kind != "constant" or ball.schedule.warmup:
        text = look.tr("panel.schedule", text=schedule_text(look.lang, ball.schedule))
        y += hud.draw_paragraph(target, look, text, pygame.Rect(area.x, y, area.width, area.bottom - y),
                                sizes.small, look.colours.text_dim, max_lines=1)
    y += _draw_numbers(f, pygame.Rect(area.x, y + 2, area.width, area.bottom - y))
    return y - area.y + 10


def _number_rows(session: PlaySession, look: Look) -> list[tuple[str, tuple[int, int, int]]]:
    """The selected ball's step, loss and status, then the numbers behind its arrows."""
    ball = session.ball
    loss = float(session.losses_and_slopes()[0][session.selected])
    status = look.tr("status." + STATUS_NAMES[int(ball.status[0])])
    rows = [(look.tr("panel.numbers", step=ball.moves, loss=hud.fmt(loss), status=status), look.colours.text)]
    preview = session.previews()[session.selected] if ball.status[0] <= 1 else None
    if preview is not None:
        t = preview.trace
        rows.append((look.tr("panel.gradient", value=hud.fmt_vec(t.grad[0])), theme.ARROW_COLOURS["grad"]))
        if t.velocity is not None:
            rows.append((look.tr("panel.momentum", value=hud.fmt_vec(t.velocity[0])), theme.ARROW_COLOURS["velocity"]))
        if t.squares is not None:
            rows.append((look.tr("panel.squares", value=hud.fmt_vec(t.squares[0])), theme.ARROW_COLOURS["squares"]))
        rows.append((look.tr("panel.step", value=hud.fmt_vec(t.update[0])), theme.ARROW_COLOURS["update"]))
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
    look, size, session = f.look, f.geo.sizes.small, f.session
    line = look.font(size).get_linesize()
    if area.height < 2 * line:
        return 0
    headers = tuple(look.tr(key) for key in HEADER_KEYS)
    rows = [_row_texts(row, look) for row in _leaderboard_rows(session)]
    keep, columns = _fit_columns(look, area, [headers] + [texts for texts, _ in rows], size)
    for (x, anchor), k in zip(columns, keep):
        hud.draw_text(f.target, look, headers[k], (x, area.y), size, look.colours.text_dim, bold=True, anchor=anchor,
                      background=look.colours.panel)
    y = area.y + line
    for index, (texts, colours) in enumerate(rows):
        if y + line > area.bottom:
            break
        for (x, anchor), k in zip(columns, keep):
            hud.draw_text(f.target, look, texts[k], (x, y), size, colours[k], bold=index == session.selected,
                          anchor=anchor, background=look.colours.panel)
        y += line
    return y - area.y + 6


def _fit_columns(look: Look, area: pygame.Rect, table: list[tuple[str, ...]], size: int):
    """Choose the columns that fit and place them: names and status left-aligned, numbers right."""
    all_widths = [max(hud.text_width(look, row[k], size, True) for row in table) for k in range(len(table[0]))]
    for keep in DROP_ORDER:
        widths = [all_widths[k] for k in keep]
        gap = (area.width - sum(widths)) / (len(widths) - 1)
        if gap >= 8 or keep is DROP_ORDER[-1]:
            break
    out, x = [], float(area.x)
    for k, width in zip(keep, widths):
        numeric = k not in (0, 5)
        out.append((int(x + width) if numeric else int(x), "topright" if numeric else "topleft"))
        x += width + max(gap, 4)
    return keep, out


def _leaderboard_rows(session: PlaySession) -> list[tuple]:
    losses, grads = session.losses_and_slopes()
    return [(i, ball.optimizer.name, ball.optimizer.lr, ball.moves, float(losses[i]), float(grads[i]),
             STATUS_NAMES[int(ball.status[0])], i == session.selected) for i, ball in enumerate(session.race.balls)]


def _status_colour(status: str, look: Look):
    return {"converged": theme.GOOD, "diverged": theme.BAD, "goal": theme.GOAL}.get(status, look.colours.text)


def _row_texts(row: tuple, look: Look) -> tuple[tuple[str, ...], tuple]:
    index, name, lr, steps, loss, grad, status, chosen = row
    texts = (("» " if chosen else "") + f"{index + 1} {name}", hud.fmt(lr), str(steps), hud.fmt(loss),
             hud.fmt(grad), look.tr("status." + status))
    colours = (theme.optimizer_colour(name),) + (look.colours.text,) * 4 + (_status_colour(status, look),)
    return texts, colours


def _draw_plot(f: Frame, rect: pygame.Rect) -> None:
    race, surface = f.session.race, f.session.level.surface
    series = []
    lowest = surface.global_minimum.value if surface.global_minimum else None
    with np.errstate(all="ignore"):
        for ball in race.balls:
            trail = ball.trail(race.trail_length)[:, 0]
            losses = surface.value(trail)
            # Race steps: row k of a ball's path is where it stood k steps after it started.
            steps = np.arange(ball.born + ball.moves - len(trail) + 1, ball.born + ball.moves + 1, dtype=float)
            series.append((steps, losses, theme.optimizer_colour(ball.optimizer.name)))
    if lowest is None:
        finite = [s[1][np.isfinite(s[1])] for s in series]
        lowest = min((float(v.min()) for v in finite if v.size), default=0.0) - 1e-3
    labels = (f.look.tr("plot.title"), f.look.tr("plot.step", step="{step}"))
    hud.draw_loss_plot(f.target, f.look, rect, series, lowest, f.geo.sizes.small, labels)
