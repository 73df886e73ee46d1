"""Drawing a level being played: the map with its balls and arrows, the side panel, the footer.

The map picture itself comes from the terrain cache; everything here is drawn fresh each
frame from the race's current state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pygame

from gdviz.core.optimizers import Trace
from gdviz.core.sim import CONVERGED, DIVERGED, GOAL, STATUS_NAMES
from gdviz.core.swarm import DIVERGED_BASIN, NO_BASIN
from gdviz.ui import content, glyphs, hud, theme
from gdviz.ui.terrain import TerrainCache, viewport_for
from gdviz.ui.viewport import Viewport

BASIN_COLOURS = ((230, 159, 0), (86, 180, 233), (0, 158, 115), (240, 228, 66), (0, 114, 178),
                 (213, 94, 0), (204, 121, 167), (160, 160, 160))
NO_BASIN_COLOUR = (90, 90, 100)
DIVERGED_COLOUR = (120, 20, 30)
ARROW_SHARE = 0.12  # a typical gradient is drawn this share of the view's width long


@dataclass(frozen=True)
class Sizes:
    """Font sizes and glyph sizes for the current window height."""

    small: int
    body: int
    large: int
    ball: int
    line: int

    @staticmethod
    def for_height(height: int) -> "Sizes":
        body = int(np.clip(round(height * 0.026 * theme.SCALE), 12, 60))
        return Sizes(max(int(body * 0.82), 11), body, int(body * 1.35), max(int(body * 0.5), 6),
                     max(int(body / 6), 2))


@dataclass(frozen=True)
class Layout:
    """Where things go: the map on the left, the panel on the right, hints along the bottom."""

    map: pygame.Rect
    panel: pygame.Rect
    footer: pygame.Rect

    @staticmethod
    def for_size(width: int, height: int, sizes: Sizes, hud: bool = True) -> "Layout":
        footer_h = theme.font(sizes.small).get_linesize() + 10
        pad = 8
        if not hud:  # the map takes the whole window; empty rectangles for the rest
            return Layout(pygame.Rect(0, 0, width, height), pygame.Rect(width, 0, 0, 0),
                          pygame.Rect(0, height, width, 0))
        panel_w = int(np.clip(width * 0.3 * theme.SCALE ** 0.5, 250, min(900, width * 0.45)))
        footer = pygame.Rect(0, height - footer_h, width, footer_h)
        panel = pygame.Rect(width - panel_w, pad, panel_w - pad, height - footer_h - 2 * pad)
        game = pygame.Rect(pad, pad, width - panel_w - 2 * pad, height - footer_h - 2 * pad)
        return Layout(game, panel, footer)


@dataclass(frozen=True)
class Preview:
    """What a ball's next step will do (the arrows and numbers shown for it)."""

    position: np.ndarray
    trace: Trace


class PlayView:
    """Draws a PlayScene. Keeps per-level and per-size things so frames stay cheap."""

    def __init__(self, scene: Any) -> None:
        self.scene = scene
        self.terrains = TerrainCache()
        self._terrain_version = theme.VERSION
        self.size: tuple[int, int] | None = None
        self.look: tuple | None = None
        self.frame_number = 0
        self._previews_key: tuple | None = None
        self._previews: list[Preview | None] = []
        self.viewport: Viewport | None = None
        self.layout = Layout.for_size(*theme.DEFAULT_SIZE, Sizes.for_height(theme.DEFAULT_SIZE[1]))
        self.sizes = Sizes.for_height(theme.DEFAULT_SIZE[1])
        self.arrow_gain = 1.0

    # --- geometry ------------------------------------------------------------------------

    def level_changed(self) -> None:
        """Forget per-level geometry; it is rebuilt on the next frame."""
        self.look = None
        self._fit(*theme.DEFAULT_SIZE) if self.viewport is None else self._fit(*self.size)
        self.arrow_gain = self._arrow_gain()

    def _fit(self, width: int, height: int) -> None:
        self.sizes = Sizes.for_height(height)
        self.layout = Layout.for_size(width, height, self.sizes, self.scene.toggles.hud)
        level = self.scene.level
        self.viewport = viewport_for(level.surface, content.view_bounds(level), tuple(self.layout.map))
        self.size = (width, height)
        self.look = ((width, height), self.scene.toggles.hud, theme.VERSION)
        if self._terrain_version != theme.VERSION:
            self.terrains, self._terrain_version = TerrainCache(), theme.VERSION

    def _arrow_gain(self) -> float:
        """Return world units of arrow per unit of gradient, from the level's typical slope."""
        surface = self.scene.level.surface
        bounds = content.view_bounds(self.scene.level)
        starts = np.stack(np.meshgrid(*[np.linspace(lo, hi, 24) for lo, hi in bounds]), -1).reshape(-1, len(bounds))
        with np.errstate(all="ignore"):
            norms = np.linalg.norm(surface.grad(starts), axis=1)
        typical = float(np.median(norms[np.isfinite(norms)])) if np.isfinite(norms).any() else 1.0
        span = bounds[0][1] - bounds[0][0]
        return ARROW_SHARE * span / max(typical, 1e-12)

    def visible_bounds(self) -> tuple[tuple[float, float], ...]:
        vp = self.viewport
        return (vp.xlim,) if self.scene.level.surface.dims == 1 else (vp.xlim, vp.ylim)

    def swarm_grid(self, balls: int) -> tuple[int, int]:
        if self.scene.level.surface.dims == 1:
            return min(balls, max(self.layout.map.width // 2, 50)), 1
        w, h = self.layout.map.size
        columns = max(int(round(np.sqrt(balls * w / max(h, 1)))), 4)
        return columns, max(balls // columns, 4)

    def to_pixels(self, points: np.ndarray) -> np.ndarray:
        """Map world points (n, d) to pixels; 1-D points sit on their curve."""
        points = np.asarray(points, dtype=float)
        if self.scene.level.surface.dims == 1:
            with np.errstate(all="ignore"):
                heights = self.scene.level.surface.value(points)
            points = np.concatenate([points, heights[..., None]], axis=-1)
        return self.viewport.to_screen(points)

    def pixel_to_start(self, pixel: tuple[int, int]) -> np.ndarray | None:
        """Return the world start point under a pixel, or None outside the map."""
        if not self.viewport.contains_pixel(pixel):
            return None
        world = self.viewport.to_world(pixel)
        return world[: self.scene.level.surface.dims]

    # --- drawing --------------------------------------------------------------------------

    def _look(self, target: pygame.Surface) -> tuple:
        """What the layout depends on: window size, HUD shown, presenter scale and language."""
        return target.get_size(), self.scene.toggles.hud, theme.VERSION

    def draw(self, target: pygame.Surface) -> None:
        self.frame_number += 1
        if self._look(target) != self.look:
            self._fit(*target.get_size())
        self._fill_margins(target)
        clip = target.get_clip()
        target.set_clip(self.layout.map)
        self._draw_map(target)
        target.set_clip(clip)
        if self.scene.toggles.hud:
            self._draw_panel(target)
            self._draw_footer(target)

    def _fill_margins(self, target: pygame.Surface) -> None:
        """Paint the background only where the map, panel and footer leave gaps (cheaper than all)."""
        width, height = target.get_size()
        game = self.layout.map
        for gap in (pygame.Rect(0, 0, width, game.y), pygame.Rect(0, game.y, game.x, game.height),
                    pygame.Rect(game.right, game.y, width - game.right, game.height),
                    pygame.Rect(0, game.bottom, width, height - game.bottom)):
            if gap.width > 0 and gap.height > 0:
                target.fill(theme.BACKGROUND, gap)

    def _draw_map(self, target: pygame.Surface) -> None:
        scene = self.scene
        terrain = self.terrains.get(scene.level.surface, self.viewport)
        target.blit(terrain.image, self.layout.map.topleft)
        self._draw_goal(target)
        if scene.swarm is not None:
            self._draw_swarm(target)
            return
        if scene.toggles.trails:
            self._draw_trails(target)
        if scene.step_mode is None:
            self._draw_arrows(target)
        self._draw_balls(target)
        if scene.step_mode is not None:
            self._draw_stage(target)
        else:
            self._draw_legend(target)
        self._draw_message(target)

    def _draw_legend(self, target: pygame.Surface) -> None:
        """The optimizer colours with their number keys, drawn once per size and kept."""
        if not self.scene.toggles.hud or self.scene.demo:
            return
        key = (self.layout.map.width, self.sizes.small, theme.VERSION)
        if getattr(self, "_legend_key", None) != key:
            self._legend, self._legend_key = self._build_legend(), key
        rect = self._legend.get_rect(topright=(self.layout.map.right - 8, self.layout.map.y + 8))
        target.blit(self._legend, rect)

    def _build_legend(self) -> pygame.Surface:
        from gdviz.core.optimizers import names

        size = self.sizes.small
        line = theme.font(size).get_linesize()
        entries = [(f"{i + 1} {name}", theme.optimizer_colour(name)) for i, name in enumerate(names())]
        width = max(theme.font(size).size(text)[0] for text, _ in entries) + line + 16
        legend = pygame.Surface((width, line * len(entries) + 10), pygame.SRCALPHA)
        hud.draw_panel(legend, legend.get_rect(), 200)
        for row, (text, colour) in enumerate(entries):
            y = 5 + row * line
            pygame.draw.circle(legend, theme.OUTLINE, (8 + line // 2, y + line // 2), line // 3 + 1)
            pygame.draw.circle(legend, colour, (8 + line // 2, y + line // 2), line // 3)
            hud.draw_text(legend, text, (8 + line + 4, y), size, theme.TEXT)
        return legend

    def _draw_goal(self, target: pygame.Surface) -> None:
        goal = self.scene.race.goal
        if goal is None:
            return
        centre = self.to_pixels(np.array([goal.center]))[0]
        glyphs.draw_goal(target, centre, goal.radius * self.viewport.scale[0])

    def _display_positions(self) -> list[np.ndarray]:
        """Return each ball's position to draw, gliding between its last two steps."""
        scene = self.scene
        motion = scene.motion
        out = []
        for i, ball in enumerate(scene.race.balls):
            now = ball.position[0]
            if motion.progress < 1 and i < len(motion.previous) and motion.previous[i].shape == ball.position.shape:
                before = motion.previous[i][0]
                now = before + (now - before) * motion.progress
            out.append(now)
        return out

    def _draw_trails(self, target: pygame.Surface) -> None:
        scene = self.scene
        one_d = scene.level.surface.dims == 1
        for ball in scene.race.balls:
            trail = ball.trail(scene.race.trail_length)[:, 0]
            colour = theme.optimizer_colour(ball.optimizer.name)
            if one_d:
                self._draw_hops(target, trail[-40:], colour)
            else:
                glyphs.draw_trail(target, self.to_pixels(trail), colour, self.sizes.line)

    def _draw_hops(self, target: pygame.Surface, trail: np.ndarray, colour) -> None:
        """Draw 1-D steps as little hops along the curve."""
        if len(trail) < 2:
            return
        pix = self.to_pixels(trail)
        t = np.linspace(0, 1, 9)[:, None]
        for a, b in zip(pix[:-1], pix[1:]):
            lift = min(abs(b[0] - a[0]) * 0.35, 60)
            arc = a + (b - a) * t
            arc[:, 1] -= lift * 4 * t[:, 0] * (1 - t[:, 0])
            pygame.draw.lines(target, colour, False, arc, max(self.sizes.line - 1, 1))

    def previews(self) -> list[Preview | None]:
        """Return, per ball, what its next step would do (None for balls that have stopped).

        Computed once per frame: the arrows and the panel's numbers both use it.
        """
        key = (id(self.scene.race), self.scene.race.step_count, self.frame_number)
        if self._previews_key != key:
            self._previews, self._previews_key = self._compute_previews(), key
        return self._previews

    def _compute_previews(self) -> list[Preview | None]:
        race = self.scene.race
        out: list[Preview | None] = []
        for i, ball in enumerate(race.balls):
            if ball.status[0] > CONVERGED:
                out.append(None)
                continue
            grad = race.preview_gradient(i)
            lr = ball.optimizer.lr * ball.schedule.factor(ball.steps + 1)
            with np.errstate(all="ignore"):
                _, _, trace = ball.optimizer.step(ball.position, grad, ball.state, lr)
            out.append(Preview(ball.position[0], trace))
        return out

    def _draw_arrows(self, target: pygame.Surface) -> None:
        toggles = self.scene.toggles
        if not (toggles.grad or toggles.velocity or toggles.squares or toggles.update):
            return
        for preview, centre in zip(self.previews(), self._display_positions()):
            if preview is None:
                continue
            origin = self.to_pixels(centre[None])[0]
            self._draw_glyph_set(target, origin, {
                "grad": preview.trace.grad[0] if toggles.grad else None,
                "velocity": _row(preview.trace.velocity) if toggles.velocity else None,
                "squares": _row(preview.trace.squares) if toggles.squares else None,
                "step": preview.trace.update[0] if toggles.update else None,
            })

    def _gradient_pixels(self, vector: np.ndarray) -> np.ndarray:
        """Turn a gradient-like vector into a pixel arrow (y flipped; 1-D lies along x)."""
        sx, sy = self.viewport.scale
        v = np.zeros(2)
        v[: len(vector)] = vector
        return np.array([v[0] * sx, -v[1] * sy]) * self.arrow_gain

    def _step_pixels(self, vector: np.ndarray) -> np.ndarray:
        sx, sy = self.viewport.scale
        if len(vector) == 1:
            return np.array([vector[0] * sx, 0.0])
        return np.array([vector[0] * sx, -vector[1] * sy])

    def _draw_glyph_set(self, target: pygame.Surface, origin: np.ndarray, values: dict[str, np.ndarray | None]) -> None:
        width = max(self.sizes.line, 2)
        cap = 0.3 * min(self.layout.map.size)
        if values.get("squares") is not None:
            self._draw_squares(target, origin, values["squares"])
        if values.get("grad") is not None:
            g = self._gradient_pixels(values["grad"])
            if len(values["grad"]) == 2:
                glyphs.draw_arrow(target, origin, (g[0], 0.0), theme.ARROW_COLOURS["grad_x"], 1, 6, cap)
                glyphs.draw_arrow(target, origin, (0.0, g[1]), theme.ARROW_COLOURS["grad_y"], 1, 6, cap)
            glyphs.draw_arrow(target, origin, g, theme.ARROW_COLOURS["grad"], width, max_px=cap)
            if self.scene.level.surface.dims == 1:
                self._draw_tangent(target, origin, values["grad"][0])
        if values.get("velocity") is not None:
            glyphs.draw_arrow(target, origin, self._gradient_pixels(values["velocity"]),
                              theme.ARROW_COLOURS["velocity"], width, max_px=cap)
        for key in ("direction",):
            if values.get(key) is not None:
                glyphs.draw_arrow(target, origin, self._gradient_pixels(values[key]),
                                  theme.ARROW_COLOURS["squares"], width, max_px=cap)
        if values.get("step") is not None:
            glyphs.draw_arrow(target, origin, self._step_pixels(values["step"]),
                              theme.ARROW_COLOURS["update"], width + 1, max_px=cap)

    def _draw_squares(self, target: pygame.Surface, origin: np.ndarray, squares: np.ndarray) -> None:
        """One square per axis whose area is that axis's squared-gradient accumulator."""
        sides = np.sqrt(np.maximum(squares, 0.0)) * self.arrow_gain * np.array(self.viewport.scale)[: len(squares)]
        # Capped like the arrows: a square bigger than a third of the map says nothing more.
        sides = np.minimum(np.nan_to_num(sides, nan=0.0, posinf=1e9), 0.35 * min(self.layout.map.size))
        colour = theme.ARROW_COLOURS["squares"]
        glyphs.draw_square(target, origin, sides[0], colour, (1, 1))
        if len(sides) > 1:
            glyphs.draw_square(target, origin, sides[1], colour, (-1, -1))

    def _draw_tangent(self, target: pygame.Surface, origin: np.ndarray, slope: float) -> None:
        sx, sy = self.viewport.scale
        direction = np.array([sx, -slope * sy])
        norm = np.hypot(*direction)
        if not np.isfinite(norm) or norm == 0:
            return
        half = direction / norm * 70
        pygame.draw.line(target, theme.ARROW_COLOURS["grad_x"], origin - half, origin + half, 2)

    def _draw_balls(self, target: pygame.Surface) -> None:
        scene = self.scene
        radius = self.sizes.ball
        drawn = list(enumerate(zip(scene.race.balls, self._display_positions())))
        drawn.append(drawn.pop(scene.selected))  # the selected ball on top of the others
        for i, (ball, centre) in drawn:
            pix = self.to_pixels(centre[None])[0]
            colour = theme.optimizer_colour(ball.optimizer.name)
            status = int(ball.status[0])
            if status == DIVERGED:
                glyphs.draw_burst(target, pix, colour, radius)
            else:
                glyphs.draw_ball(target, pix, colour, radius, selected=i == scene.selected)
                if status == CONVERGED:
                    glyphs.draw_calm(target, pix, radius)
                elif status == GOAL:
                    glyphs.draw_flag(target, pix, radius)
            hud.draw_text(target, str(i + 1), (pix[0] + radius + 3, pix[1] + radius - 2), self.sizes.small,
                          theme.TEXT, bold=True)

    def _draw_stage(self, target: pygame.Surface) -> None:
        scene = self.scene
        view = scene.step_mode.current
        origin = self.to_pixels(np.asarray(view.values["old"])[:1])[0]  # glyphs start where the step began
        shown = {kind: values[0] for kind, values in view.glyphs.items()}
        ghost = shown.pop("ghost", None)
        self._draw_glyph_set(target, origin, shown)
        if ghost is not None:
            glyphs.draw_ghost(target, self.to_pixels(ghost[None])[0],
                              theme.optimizer_colour(scene.ball.optimizer.name), self.sizes.ball)
        self._draw_caption(target, view, below=origin[1] < self.layout.map.centery)

    def _draw_caption(self, target: pygame.Surface, view, below: bool) -> None:
        """Draw the stage caption in the half of the map away from the ball."""
        mode = self.scene.step_mode
        area = self.layout.map.inflate(-24, -24)
        text = f"{mode.index + 1}/{len(mode.views)}  {view.caption(theme.LANG)}"
        size = self.sizes.body
        lines = hud.wrap(text, size, area.width - 24, bold=True)
        line_h = theme.font(size, True).get_linesize()
        height = len(lines) * line_h + 16
        top = area.bottom - height if below else area.y + 2 * line_h
        box = pygame.Rect(area.x, top, area.width, height)
        hud.draw_panel(target, box, 225)
        hud.draw_paragraph(target, text, box.inflate(-24, -16), size, theme.TEXT, bold=True)

    def _draw_message(self, target: pygame.Surface) -> None:
        """The latest message, wrapped to at most three lines across the bottom of the map."""
        scene = self.scene
        if scene.message_time <= 0 or not scene.message:
            return
        area = self.layout.map
        size = self.sizes.body
        lines = hud.wrap(scene.message, size, area.width - 60, bold=True)[:3]
        line = theme.font(size, True).get_linesize()
        width = max(hud.text_width(text, size, True) for text in lines) + 24
        box = pygame.Rect(0, 0, width, line * len(lines) + 12)
        box.midbottom = (area.centerx, area.bottom - 12)
        if scene.step_mode is not None:
            box.top = area.y + 12 + line
        box.clamp_ip(area)
        hud.draw_panel(target, box, 215)
        for i, text in enumerate(lines):
            hud.draw_text(target, text, (box.centerx, box.y + 6 + i * line), size, theme.ACCENT, bold=True,
                          anchor="midtop")

    def _draw_swarm(self, target: pygame.Surface) -> None:
        swarm = self.scene.swarm
        if swarm.basins is not None:
            self._draw_basins(target, swarm)
        ball = swarm.race.balls[0]
        glyphs.draw_dots(target, self.to_pixels(ball.position), swarm.colour)
        self._draw_message(target)

    def _draw_basins(self, target: pygame.Surface, swarm) -> None:
        columns, rows = swarm.grid
        palette = np.array(BASIN_COLOURS * 20 + (NO_BASIN_COLOUR, DIVERGED_COLOUR), dtype=np.uint8)
        index = np.where(swarm.basins == NO_BASIN, len(palette) - 2,
                         np.where(swarm.basins == DIVERGED_BASIN, len(palette) - 1, swarm.basins % (len(palette) - 2)))
        rgb = palette[index].reshape(rows, columns, 3)
        small = pygame.surfarray.make_surface(np.ascontiguousarray(rgb.transpose(1, 0, 2)))
        area = self.layout.map
        if self.scene.level.surface.dims == 1:
            area = pygame.Rect(area.x, area.bottom - 40, area.width, 40)
        picture = pygame.transform.scale(small, area.size)
        picture.set_alpha(150)
        target.blit(picture, area.topleft)

    # --- side panel and footer ----------------------------------------------------------------

    def _draw_panel(self, target: pygame.Surface) -> None:
        from gdviz.ui.scenes.play_panel import draw_panel

        draw_panel(self, target)

    def _draw_footer(self, target: pygame.Surface) -> None:
        scene = self.scene
        rect = self.layout.footer
        pygame.draw.rect(target, theme.PANEL, rect)
        tr = scene.app.tr
        state = tr("play.playing" if scene.playing else "play.paused")
        right = tr("play.state", state=state, speed=hud.fmt(scene.speed), step=scene.race.step_count)
        right_rect = hud.draw_text(target, right, (rect.right - 10, rect.centery), self.sizes.small,
                                   theme.ACCENT, bold=True, anchor="midright")
        hint_area = pygame.Rect(rect.x + 10, rect.y + 5, right_rect.left - rect.x - 30, rect.height)
        hud.draw_paragraph(target, tr("play.footer"), hint_area, self.sizes.small, theme.TEXT_DIM, max_lines=1)


def _row(values: np.ndarray | None) -> np.ndarray | None:
    return None if values is None else values[0]


def status_text(ball) -> str:
    """Return a ball's status in words."""
    return STATUS_NAMES[int(ball.status[0])]
