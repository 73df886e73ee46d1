"""Driving the real game headless in tests: no mocks, the dummy video driver, fixed dt."""

from __future__ import annotations

from gdviz.core.commands import Action, Command
from gdviz.cli import parse_args
from gdviz.ui.app import App

DT = 1 / 60


def make_app(*extra: str, size: str = "960x540") -> App:
    """Return a headless App at the title screen (or in a level if --level is given)."""
    return App(parse_args(["--headless", "--size", size, *extra]))


def run(app: App, frames: int = 1) -> None:
    for _ in range(frames):
        app.frame(DT)


def press(app: App, command: Command, arg=None, frames: int = 1) -> None:
    """Send one Action through the app, then run some frames."""
    app.dispatch(Action(command, arg))
    run(app, frames)


def play_scene(app: App):
    from gdviz.ui.scenes.play import PlayScene

    return next(s for s in reversed(app.scenes) if isinstance(s, PlayScene))


def texts_rendered(monkeypatch) -> list[str]:
    """Return a list that receives every string rendered for the screen from now on.

    All HUD text (labels, panels, messages, captions) goes through TextCache.render, which
    still renders as usual; the list only watches it.
    """
    from gdviz.ui import hud

    seen: list[str] = []
    real = hud.TextCache.render

    def spy(cache, look, text, *args, **kwargs):
        seen.append(text)
        return real(cache, look, text, *args, **kwargs)

    monkeypatch.setattr(hud.TextCache, "render", spy)
    return seen
