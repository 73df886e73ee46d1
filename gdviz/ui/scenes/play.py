"""Playing a level on screen: the thin layer between the keyboard, the rules and the picture.

The rules live in `gdviz.core.session.PlaySession`. This scene reads taps and clicks by
where they landed (play_touch.py: a control-bar button, a card, a ball, the map), passes
every other Action to the session, shows what the session reports (pauses, wins, messages)
with overlays and cards (play_cards.py), points the camera (camera.py) and asks `PlayView`
to draw the session.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from gdviz.core.commands import Action, Command, Pixel
from gdviz.core.events import Event, LevelLoaded, Number, OptimizerName, Paused, Resumed, Say, Won, Word
from gdviz.core.session import PlaySession
from gdviz.core.swarm import SWARM_BALLS, SwarmArea
from gdviz.ui import hud
from gdviz.ui.camera import Camera
from gdviz.ui.control_bar import ControlBar, Touch
from gdviz.ui.layout import PlayGeometry
from gdviz.ui.scenes.base import Context, Scene
from gdviz.ui.scenes.function import FunctionScene
from gdviz.ui.scenes.help import HelpScene
from gdviz.ui.scenes.learning_rate import LearningRateScene
from gdviz.ui.scenes.pause import PauseScene
from gdviz.ui.scenes.play_cards import Cards, WinNote
from gdviz.ui.scenes.play_touch import TouchRouter
from gdviz.ui.scenes.play_view import PlayView
from gdviz.ui.strings import STRINGS, optimizer_name
from gdviz.ui.theme import DEFAULT_SIZE, Look
from gdviz.ui.toast import Toast


class PlayScene(Scene):
    """One level being played (or, with `demo`, shown by the attract loop: no overlays, no stars)."""

    def __init__(self, ctx: Context, index: int, demo: bool = False, speed: float = 1.0) -> None:
        super().__init__(ctx)
        settings = ctx.settings
        self.session = PlaySession(ctx.levels, index, seed=ctx.seed, demo=demo, speed=speed,
                                   show_hud=not (settings.presenter_on and settings.presenter_hide_hud))
        self.view = PlayView()
        self.toast = Toast()
        self.cards = Cards(demo)
        self.camera = Camera()
        self.bar, self.taps = ControlBar(), TouchRouter()
        self._geometry_key: tuple = ()
        self.geometry = self._fit(DEFAULT_SIZE, ctx.look)
        self._show(self.session.take_events())

    @property
    def demo(self) -> bool:
        return self.session.demo

    def enter(self) -> None:
        """Called once the scene is on the stack: a level starts paused, with its briefing."""
        if not self.demo:
            self.ctx.push(PauseScene(self.ctx, self))

    # --- input ---------------------------------------------------------------------------

    def handle(self, action: Action) -> None:
        own = self._own_commands().get(action.command) if action.arg is None else None
        if own is not None:
            own()
            return
        if isinstance(action.arg, Pixel):  # a tap or click means what the player saw where it landed
            meant = self.taps.route(action, self.session, self.geometry, self.view.placed, self.bar)
            if meant is not None:
                self.handle(meant)
            return
        action = self.cards.route(action)
        if action is None:
            return
        if action.command is Command.SWARM and not isinstance(action.arg, SwarmArea):
            action = Action(Command.SWARM, self.geometry.swarm_area(SWARM_BALLS))
        self.session.use_swarm_area(self.geometry.swarm_area(SWARM_BALLS))
        self._show(self.session.apply(action))

    def _own_commands(self) -> dict[Command, Callable[[], None]]:
        """Commands about the screen, the files and the other scenes, not about the rules of play."""
        ctx = self.ctx
        return {
            Command.HELP: lambda: ctx.push(HelpScene(ctx)),
            Command.FUNCTION: self._open_function_box,
            Command.LANGUAGE: lambda: self.notify(ctx.toggle_language()),
            Command.PRESENTER: lambda: self.notify(ctx.toggle_presenter()),
            Command.SCREENSHOT: lambda: self._export(ctx.screenshot),
            Command.RECORD_GIF: lambda: self._export(ctx.toggle_recording),
            Command.EXPORT_CSV: lambda: self._export(lambda: ctx.export_csv(self.session.race_table())),
            Command.BACK: self._leave,
            Command.SET_LR: self._open_lr_box,
            Command.OPTIMIZER_MENU: self.bar.toggle_menu,
            Command.SETTINGS_MENU: self.bar.toggle_settings,
        }

    def _export(self, save: Callable[[], str]) -> None:
        """Save a file and say where; a kiosk writes nothing (visitors would fill the disk)."""
        self.notify(self.ctx.tr("msg.no_exports") if self.ctx.kiosk else save())

    def _open_function_box(self) -> None:
        self.session.pause()
        self._show(self.session.take_events())
        self.ctx.push(FunctionScene(self.ctx))

    def _open_lr_box(self) -> None:
        use = lambda lr: self.handle(Action(Command.SET_LR, lr))  # noqa: E731 - a one-line callback
        self.ctx.push(LearningRateScene(self.ctx, self.session.ball.optimizer.lr, use))

    def _leave(self) -> None:
        """Back to the level list, from under any overlay (pause …)."""
        self.session.pause()
        self.session.take_events()
        self.ctx.close(self)

    # --- what the session reports --------------------------------------------------------

    def _show(self, events: list[Event]) -> None:
        for event in events:
            if isinstance(event, Say):
                self.notify(self._words(event))
            elif not self.demo:
                self._show_change(event)

    def _show_change(self, event: Event) -> None:
        if isinstance(event, Paused):
            self.ctx.push(PauseScene(self.ctx, self))
        elif isinstance(event, Resumed):
            self.ctx.close_above(self)
        elif isinstance(event, Won):
            self._celebrate(event)
        elif isinstance(event, LevelLoaded):
            self.ctx.progress.last_level = event.level_id
            self.cards.level_loaded()
            self.camera = Camera()  # a new map: its own view, at once

    def _celebrate(self, won: Won) -> None:
        progress = self.ctx.progress
        best = progress.record(self.session.level.id, won.stars)
        problem = progress.save()
        if problem:
            self.notify(problem)
        self.cards.win = WinNote(won, best, tap=self.geometry.layout.bar.height > 0)

    def _words(self, say: Say) -> str:
        """Fill in a message from the session in the current language; with the control bar on (a
        touch screen, a kiosk), in its form that names a tap instead of a key (`msg.…_touch`)."""
        values = {key: self._word(value) for key, value in say.values.items()}
        touch = f"{say.key}_touch"
        tapped = (self.ctx.kiosk or self.ctx.touch.bar) and touch in STRINGS
        return self.ctx.tr(touch if tapped else say.key, **values)

    def _word(self, value: object) -> object:
        """One value in a message: optimizers by their names, numbers as the look writes them, words
        in the current language."""
        if isinstance(value, OptimizerName):
            return optimizer_name(self.ctx.look.lang, value)
        if isinstance(value, Number):
            return hud.number(self.ctx.look, value)
        if isinstance(value, tuple):
            return ", ".join(str(self._word(part)) for part in value)
        return self.ctx.tr(value) if isinstance(value, Word) else value

    def notify(self, text: str) -> None:
        self.toast.show(text)

    # --- time and drawing -----------------------------------------------------------------

    def update(self, dt: float) -> None:
        self.toast.tick(dt)
        self._show(self.session.advance(dt))
        self.camera.follow(self.session, self.geometry, dt)

    def _fit(self, size: tuple[int, int], look: Look) -> PlayGeometry:
        """Return the geometry for this window, rebuilding it when the size, look, level, HUD, camera or
        control bar changed (the attract loop's demo has no bar: a tap there starts the level)."""
        hud, pan, touch = self.session.toggles.hud, self.camera.shown, Touch() if self.demo else self.ctx.touch
        key = (size, id(self.session.level), hud, look, pan, touch)
        if self._geometry_key != key:
            self._geometry_key = key
            self.geometry = PlayGeometry.build(size, look, self.session.level, hud, pan, touch)
        return self.geometry

    def draw(self, surface: pygame.Surface, look: Look) -> None:
        geo = self._fit(surface.get_size(), look)
        self.view.draw(surface, look, self.session, geo, self.toast, self.cards, self.bar)

    def record_area(self) -> pygame.Rect | None:
        return self.geometry.layout.map

    def on_screen(self) -> object:
        return self, self.session.index, self.bar.panel  # an open panel stands where the bar was
