"""Files written safely: a folder that cannot be written gives one sentence on screen and the
game carries on; nothing half-written is left behind."""

from __future__ import annotations

import os
from pathlib import Path

from helpers import make_app, play_scene, press

from gdviz import storage
from gdviz.core.commands import Command


def blocked_folder(tmp_path: Path) -> Path:
    """A path whose 'folder' is really a file, so nothing can be written inside it."""
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    return blocker / "inside"


def test_progress_that_cannot_be_saved_is_reported_and_play_goes_on(tmp_path, monkeypatch):
    monkeypatch.setenv("GDVIZ_DATA_DIR", str(blocked_folder(tmp_path)))
    app = make_app("--level", "bowl-learning-rate")
    press(app, Command.SET_LR, 0.1)  # the player's ball starts too slow on purpose
    press(app, Command.PLAY_PAUSE, frames=200)
    assert play_scene(app).cards.win is not None
    assert play_scene(app).toast.text.startswith("progress not saved")
    press(app, Command.SELECT)  # on to the next level as usual
    assert play_scene(app).session.index == 2


def test_settings_that_cannot_be_saved_are_reported_and_the_language_still_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("GDVIZ_CONFIG_DIR", str(blocked_folder(tmp_path)))
    app = make_app("--level", "saddle")
    press(app, Command.LANGUAGE, frames=2)
    message = play_scene(app).toast.text
    assert message.startswith("settings not saved") and "\n" not in message
    assert app.look.lang == "zh"


def test_atomic_write_replaces_whole_files_and_leaves_no_temporaries(tmp_path):
    target = tmp_path / "progress.json"
    target.write_text("old")
    storage.atomic_write_text(target, "new")
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.json"]


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "settings.toml"
    target.write_text("language = \"en\"\n")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")  # what a full disk says at the rename

    monkeypatch.setattr(os, "replace", refuse)
    try:
        storage.atomic_write_text(target, "language = \"zh\"\n")
    except OSError as problem:
        assert problem.errno == 28
    else:
        raise AssertionError("the write should have failed")
    assert target.read_text() == "language = \"en\"\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.toml"]
