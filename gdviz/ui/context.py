"""The scenes' window onto the App: exactly what a scene may know and do, nothing more.

`AppContext` implements gdviz.ui.scenes.base.Context. Scenes get one of these instead of
the App, so the stack and the other scenes stay out of their reach.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gdviz.core.levels import Level
    from gdviz.settings import Settings
    from gdviz.ui.app import App
    from gdviz.ui.control_bar import Touch
    from gdviz.ui.progress import Progress
    from gdviz.ui.scenes.base import Scene
    from gdviz.ui.theme import Look


class AppContext:
    """See gdviz.ui.scenes.base.Context for what each member means."""

    def __init__(self, app: App) -> None:
        self._app = app

    @property
    def look(self) -> Look:
        return self._app.look

    @property
    def kiosk(self) -> bool:
        return self._app.kiosk

    @property
    def touch(self) -> Touch:
        return self._app.touch

    @property
    def seed(self) -> int:
        return self._app.args.seed

    @property
    def levels(self) -> tuple[Level, ...]:
        return tuple(self._app.content.levels)

    @property
    def level_errors(self) -> tuple[str, ...]:
        return tuple(str(e) for e in self._app.content.errors)

    @property
    def settings(self) -> Settings:
        return self._app.config

    @property
    def progress(self) -> Progress:
        return self._app.progress

    def tr(self, key: str, **values: object) -> str:
        return self._app.look.tr(key, **values)

    def push(self, scene: Scene) -> None:
        self._app.push(scene)

    def pop(self) -> None:
        self._app.pop()

    def close(self, scene: Scene) -> None:
        self._app.close(scene)

    def close_above(self, scene: Scene) -> None:
        self._app.close_above(scene)

    def go_to_title(self, choice: int | None = None) -> None:
        self._app.restart_at_title(choice)

    def start_level(self, index: int) -> None:
        self._app.start_level(index)

    def play_function(self, level: Level) -> None:
        self._app.play_function(level)

    def enter_attract(self) -> None:
        self._app.enter_attract()

    def toggle_language(self) -> str:
        return self._app.toggle_language()

    def toggle_presenter(self) -> str:
        return self._app.toggle_presenter()

    def screenshot(self) -> str:
        return self._app.screenshot()

    def export_csv(self, text: str) -> str:
        return self._app.exports.export_csv(self._app.look, text)

    def toggle_recording(self) -> str:
        return self._app.exports.toggle_recording(self._app.look)
