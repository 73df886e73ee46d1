"""The side panel while playing: the level, the selected ball's numbers, the leaderboard, the loss plot."""

from __future__ import annotations

from typing import Any

import numpy as np
import pygame

from gdviz.core.sim import STATUS_NAMES
from gdviz.ui import content, hud, theme
from gdviz.ui.strings import optimizer_name, schedule_text


def _status_colour(status: str):
    return {"converged": theme.GOOD, "diverged": theme.BAD, "goal": theme.GOAL}.get(status, theme.TEXT)


def draw_panel(view: Any, target: pygame.Surface) -> None:
    """Draw the whole side panel for a PlayView."""
    rect = view.layout.panel
    hud.draw_solid_panel(target, rect)
    inner = rect.inflate(-20, -16)
    y = inner.y
    y += _draw_level_text(view, target, pygame.Rect(inner.x, y, inner.width, inner.bottom - y))
    y += _draw_ball_box(view, target, pygame.Rect(inner.x, y, inner.width, inner.bottom - y))
    y += _draw_leaderboard(view, target, pygame.Rect(inner.x, y, inner.width, inner.bottom - y))
    plot = pygame.Rect(inner.x, y + 4, inner.width, inner.bottom - y - 4)
    if plot.height >= 70:
        _draw_plot(view, target, plot)


def _draw_level_text(view: Any, target: pygame.Surface, area: pygame.Rect) -> int:
    """The level's title, lesson and goal: drawn once into a picture, reused every frame."""
    scene = view.scene
    key = (scene.level.id, scene.index, tuple(area), theme.VERSION)
    if getattr(view, "_level_text_key", None) != key:
        picture = pygame.Surface(area.size)  # opaque on the solid panel: quick to draw
        picture.fill(theme.PANEL)
        used = _render_level_text(view, picture, pygame.Rect((0, 0), area.size))
        picture = picture.subsurface((0, 0, area.width, min(used, area.height))).copy()
        view._level_text, view._level_text_used, view._level_text_key = picture, used, key
    target.blit(view._level_text, area.topleft)
    return view._level_text_used


def _render_level_text(view: Any, target: pygame.Surface, area: pygame.Rect) -> int:
    scene, sizes = view.scene, view.sizes
    level = scene.level
    title = f"{scene.index + 1}/{len(scene.levels)}  {content.title(level)}"
    used = hud.draw_paragraph(target, title, area, sizes.large, theme.ACCENT, bold=True, max_lines=2)
    lesson_area = pygame.Rect(area.x, area.y + used + 4, area.width, area.height - used)
    used += 4 + hud.draw_paragraph(target, content.lesson(level), lesson_area, sizes.small, theme.TEXT, max_lines=3)
    goal = content.goal_text(level, scene.app.tr)
    if goal:
        goal_area = pygame.Rect(area.x, area.y + used + 4, area.width, area.height - used)
        used += 4 + hud.draw_paragraph(target, goal, goal_area, sizes.small, theme.GOAL, max_lines=3)
    return used + 10


def _hyper_text(optimizer, tr) -> str:
    parts = [tr("panel.lr", value=hud.fmt(optimizer.lr))]
    labels = {"momentum": "μ", "betas.0": "β1", "betas.1": "β2", "alpha": "α", "rho": "ρ"}
    for i, name in enumerate(optimizer.decay_names()):
        parts.append(f"{labels.get(name, name)} {optimizer.get_decay(i):g}")
    if "bias_correction" in optimizer.hyper:
        parts.append(tr("panel.bias_on" if optimizer.hyper["bias_correction"] else "panel.bias_off"))
    if optimizer.hyper.get("weight_decay"):
        parts.append(tr("panel.weight_decay", value=f"{optimizer.hyper['weight_decay']:g}"))
    return " · ".join(parts)


def _draw_ball_box(view: Any, target: pygame.Surface, area: pygame.Rect) -> int:
    scene, sizes = view.scene, view.sizes
    ball = scene.ball
    opt = ball.optimizer
    colour = theme.optimizer_colour(opt.name)
    line = theme.font(sizes.body, True).get_linesize()
    pygame.draw.circle(target, colour, (area.x + sizes.ball, area.y + line // 2), sizes.ball)
    tr = scene.app.tr
    name_x = area.x + 2 * sizes.ball + 8
    hud.draw_paragraph(target, tr("panel.ball", number=scene.selected + 1, name=optimizer_name(theme.LANG, opt.name)),
                       pygame.Rect(name_x, area.y, area.right - name_x, line), sizes.body, colour, bold=True,
                       max_lines=1)
    y = area.y + line + 2
    y += hud.draw_paragraph(target, _hyper_text(opt, tr), pygame.Rect(area.x, y, area.width, area.bottom - y),
                            sizes.small, theme.TEXT, max_lines=2)
    if ball.schedule.kind != "constant" or ball.schedule.warmup:
        y += hud.draw_paragraph(target, tr("panel.schedule", text=schedule_text(theme.LANG, ball.schedule)),
                                pygame.Rect(area.x, y, area.width, area.bottom - y), sizes.small, theme.TEXT_DIM,
                                max_lines=1)
    y += _draw_numbers(view, target, pygame.Rect(area.x, y + 2, area.width, area.bottom - y))
    return y - area.y + 10


def _draw_numbers(view: Any, target: pygame.Surface, area: pygame.Rect) -> int:
    """The numbers behind the arrows, each in its arrow's colour."""
    scene, sizes = view.scene, view.sizes
    tr = scene.app.tr
    ball = scene.ball
    loss = float(ball_losses_and_slopes(scene)[0][scene.selected])
    status = tr("status." + STATUS_NAMES[int(ball.status[0])])
    rows = [(tr("panel.numbers", step=ball.moves, loss=hud.fmt(loss), status=status), theme.TEXT)]
    preview = view.previews()[scene.selected] if ball.status[0] <= 1 else None
    if preview is not None:
        t = preview.trace
        rows.append((tr("panel.gradient", value=hud.fmt_vec(t.grad[0])), theme.ARROW_COLOURS["grad"]))
        if t.velocity is not None:
            rows.append((tr("panel.momentum", value=hud.fmt_vec(t.velocity[0])), theme.ARROW_COLOURS["velocity"]))
        if t.squares is not None:
            rows.append((tr("panel.squares", value=hud.fmt_vec(t.squares[0])), theme.ARROW_COLOURS["squares"]))
        rows.append((tr("panel.step", value=hud.fmt_vec(t.update[0])), theme.ARROW_COLOURS["update"]))
    line = theme.font(sizes.small).get_linesize()
    shown = 0
    for text, colour in rows:
        if shown * line + line > area.height:
            break
        if hud.text_width(text, sizes.small) <= area.width:
            hud.draw_text(target, text, (area.x, area.y + shown * line), sizes.small, colour, background=theme.PANEL)
        else:
            hud.draw_paragraph(target, text, pygame.Rect(area.x, area.y + shown * line, area.width, line),
                               sizes.small, colour, max_lines=1)
        shown += 1
    return shown * line


HEADER_KEYS = ("board.ball", "board.lr", "board.steps", "board.loss", "board.grad", "board.status")


def _draw_leaderboard(view: Any, target: pygame.Surface, area: pygame.Rect) -> int:
    scene, sizes = view.scene, view.sizes
    size = sizes.small
    line = theme.font(size).get_linesize()
    if area.height < 2 * line:
        return 0
    headers = tuple(scene.app.tr(key) for key in HEADER_KEYS)
    rows = [_row_texts(row, scene.app.tr) for row in _leaderboard_rows(scene)]
    keep, columns = _fit_columns(area, [headers] + [texts for texts, _ in rows], size)
    for (x, anchor), k in zip(columns, keep):
        hud.draw_text(target, headers[k], (x, area.y), size, theme.TEXT_DIM, bold=True, anchor=anchor,
                      background=theme.PANEL)
    y = area.y + line
    for index, (texts, colours) in enumerate(rows):
        if y + line > area.bottom:
            break
        chosen = index == scene.selected
        for (x, anchor), k in zip(columns, keep):
            hud.draw_text(target, texts[k], (x, y), size, colours[k], bold=chosen, anchor=anchor,
                          background=theme.PANEL)
        y += line
    return y - area.y + 6


# Columns to give up, in order, when the panel is too narrow for all of them.
DROP_ORDER = ((0, 1, 2, 3, 4, 5), (0, 1, 2, 3, 5), (0, 1, 3, 5), (0, 3, 5))


def _fit_columns(area: pygame.Rect, table: list[tuple[str, ...]], size: int):
    """Choose the columns that fit and place them: names and status left-aligned, numbers right."""
    all_widths = [max(hud.text_width(row[k], size, True) for row in table) for k in range(len(table[0]))]
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


def _leaderboard_rows(scene: Any) -> list[tuple]:
    race = scene.race
    losses, grads = ball_losses_and_slopes(scene)
    return [(i, ball.optimizer.name, ball.optimizer.lr, ball.moves, float(losses[i]), float(grads[i]),
             STATUS_NAMES[int(ball.status[0])], i == scene.selected) for i, ball in enumerate(race.balls)]


def ball_losses_and_slopes(scene: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return every ball's loss and gradient length, computed in one go (first point of each ball)."""
    points = np.array([ball.position[0] for ball in scene.race.balls])
    with np.errstate(all="ignore"):
        surface = scene.level.surface
        return surface.value(points), np.linalg.norm(surface.grad(points), axis=1)


def _row_texts(row: tuple, tr) -> tuple[tuple[str, ...], tuple]:
    index, name, lr, steps, loss, grad, status, chosen = row
    texts = (("» " if chosen else "") + f"{index + 1} {name}", hud.fmt(lr), str(steps), hud.fmt(loss),
             hud.fmt(grad), tr("status." + status))
    colours = (theme.optimizer_colour(name),) + (theme.TEXT,) * 4 + (_status_colour(status),)
    return texts, colours


def _draw_plot(view: Any, target: pygame.Surface, rect: pygame.Rect) -> None:
    scene = view.scene
    race = scene.race
    surface = scene.level.surface
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
        lowest = min((float(f.min()) for f in finite if f.size), default=0.0) - 1e-3
    labels = (scene.app.tr("plot.title"), scene.app.tr("plot.step", step="{step}"))
    hud.draw_loss_plot(target, rect, series, lowest, view.sizes.small, labels)
