"""The key of the glyphs: what each arrow and square stands for, and the scale it is drawn at.

On the map it lists only the kinds drawn right now, each with a sample drawn at its key
length (a round number of its units); the help overlay shows every kind.
"""

from __future__ import annotations

from functools import lru_cache

import pygame

from gdviz.ui import glyphs, hud, theme
from gdviz.ui.grammar import Scales
from gdviz.ui.theme import Look

ORDER = ("grad", "velocity", "direction", "step", "squares")
SAMPLE_PX = 60  # the help overlay's samples are this long (its key has no map scale)


def velocity_key(optimizers: set[str]) -> str:
    """The strings key naming what the velocity arrow is for these optimizers."""
    if optimizers and optimizers <= {"adam", "adamw"}:
        return "key.velocity_average"
    if optimizers and optimizers <= {"rmsprop"}:
        return "key.velocity_direction"
    return "key.velocity_sum" if not optimizers & {"adam", "adamw"} else "key.velocity_both"


def direction_key(optimizers: set[str]) -> str:
    """The strings key naming the direction arrow: Adadelta's −Δ is a length, the others have no units."""
    if optimizers == {"adadelta"}:
        return "key.direction_adadelta"
    return "key.direction_both" if "adadelta" in optimizers else "key.direction"


def key_rows(look: Look, scales: Scales | None, kinds: set[str], optimizers: set[str]) -> list[tuple[str, str, float]]:
    """Return (kind, text, sample length in px) per kind drawn, in a fixed order."""
    rows = []
    for kind in (k for k in ORDER if k in kinds):
        name = look.tr(velocity_key(optimizers) if kind == "velocity" else direction_key(optimizers)
                       if kind == "direction" else f"key.{kind}")
        if scales is None:
            rows.append((kind, name, SAMPLE_PX))
            continue
        unit, px = _unit(kind, scales, optimizers)
        if kind == "squares":  # a square's side is not to a linear scale: say so, draw a small icon
            text = look.tr("key.squares_scale", name=name, unit=hud.number(look, unit), px=int(round(px)))
            rows.append((kind, text, 0.0))
        else:
            rows.append((kind, look.tr("key.scale", name=name, unit=hud.number(look, unit)), px))
    return rows


def _unit(kind: str, scales: Scales, optimizers: set[str]) -> tuple[float, float]:
    """Return the round number of units the sample stands for, and its length in pixels."""
    if kind == "direction" and optimizers == {"adadelta"}:
        return scales.step_unit, scales.step_unit * scales.step_px
    if kind == "direction":
        return 1.0, scales.direction_px
    if kind == "step":
        return scales.step_unit, scales.step_unit * scales.step_px
    if kind == "squares":
        return scales.slope_unit, scales.square_side(scales.slope_unit ** 2)
    return scales.slope_unit, scales.slope_unit * scales.slope_px


def measure(look: Look, rows: list[tuple[str, str, float]], size: int) -> tuple[int, int]:
    """Return the (width, height) in pixels the key of these rows needs."""
    line = max(look.font(size).get_linesize(), 14)
    sample = int(max(max(px for _, _, px in rows), line)) + 12
    title = look.tr("key.title")
    width = max(hud.text_width(look, title, size, True), *(hud.text_width(look, t, size) + sample for _, t, _ in rows))
    return width + 24, line * (len(rows) + 1) + 14


def draw_key(target: pygame.Surface, look: Look, area: pygame.Rect, rows: list[tuple[str, str, float]],
             size: int, corner: str = "bottomright") -> pygame.Rect | None:
    """Draw the key in a corner of `area`; return the box it took, or None when there is nothing to say."""
    if not rows:
        return None
    width, height = measure(look, rows, size)
    box = pygame.Rect(0, 0, min(width, area.width - 16), height)
    setattr(box, corner, getattr(area.inflate(-16, -16), corner))
    draw_key_box(target, look, box, rows, size)
    return box


@lru_cache(maxsize=16)
def picture(look: Look, rows: tuple[tuple[str, str, float], ...], size: int) -> pygame.Surface:
    """Return the key drawn once as a picture (it only changes when the scales or the kinds do)."""
    width, height = measure(look, list(rows), size)
    image = pygame.Surface((width, height), pygame.SRCALPHA)
    draw_key_box(image, look, image.get_rect(), list(rows), size)
    return image


def draw_key_box(target: pygame.Surface, look: Look, box: pygame.Rect, rows: list[tuple[str, str, float]],
                 size: int) -> None:
    """Draw the key's rows in `box` (see `measure`)."""
    line = max(look.font(size).get_linesize(), 14)
    sample = int(max(max(px for _, _, px in rows), line)) + 12
    hud.draw_panel(target, look, box, 235)
    hud.draw_text(target, look, look.tr("key.title"), (box.x + 10, box.y + 6), size, look.colours.text_dim, bold=True)
    for i, (kind, text, px) in enumerate(rows, start=1):
        y = box.y + 6 + i * line + line // 2
        _draw_sample(target, kind, (box.x + 10, y), px, line)
        hud.draw_text(target, look, text, (box.x + 10 + sample, y), size, look.colours.text, anchor="midleft")


def help_rows(look: Look) -> list[tuple[str, str, float]]:
    """Every kind, and how an arrow that is not to scale looks: for the help overlay."""
    return key_rows(look, None, set(ORDER), {"momentum", "adam"}) + [
        ("stretched", look.tr("key.stretched"), SAMPLE_PX), ("broken", look.tr("key.broken"), SAMPLE_PX),
        ("ghost", look.tr("key.ghost"), SAMPLE_PX), ("theta", look.tr("key.theta"), SAMPLE_PX),
        ("marks", look.tr("key.marks"), SAMPLE_PX)]


def _draw_sample(target: pygame.Surface, kind: str, start: tuple[int, int], px: float, line: int) -> None:
    if kind in ("ghost", "theta", "marks"):
        centre = (start[0] + line // 2 + 4, start[1])
        if kind == "marks":
            glyphs.draw_ball(target, centre, theme.ball_colour(0), max(line // 3, 4))
            glyphs.draw_calm(target, centre, max(line // 3, 4))
        else:
            glyphs.draw_ghost(target, centre, theme.ball_colour(0) if kind == "ghost" else theme.RING, max(line // 3, 4))
        return
    if kind in ("stretched", "broken"):
        glyphs.draw_arrow(target, start, (px, 0), theme.RING, 2, dashed=kind == "stretched", broken=kind == "broken")
        return
    colour = theme.ARROW_COLOURS[kind]
    if kind == "squares":
        side = line - 4
        glyphs.draw_square(target, (start[0], start[1] - side / 2), side, colour, (1, 1))
        return
    glyphs.draw_arrow(target, start, (px, 0), colour, 3 if kind == "step" else 2)
