"""Playing your own levels: a folder (bad files skipped with a notice) or one file."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers import make_app, play_scene, press, run

from gdviz.core.commands import Command
from gdviz.ui.scenes.title import TitleScene

LEVELS = Path(__file__).parents[2] / "levels"


def test_a_folder_with_a_bad_file_still_plays_every_good_level(tmp_path):
    for name in ("05-saddle.toml", "07-ravine.toml"):
        shutil.copy(LEVELS / name, tmp_path / name)
    (tmp_path / "06-broken.toml").write_text('title = "no lesson, no surface"\n')
    app = make_app("--levels-dir", str(tmp_path))
    run(app, 2)
    assert [lv.id for lv in app.content.levels] == ["saddle", "ravine"]
    assert len(app.content.errors) == 1 and "06-broken.toml" in app.content.errors[0]
    assert "\n" not in app.content.errors[0]
    assert isinstance(app.top, TitleScene)
    press(app, Command.SELECT)
    press(app, Command.PLAY_PAUSE, frames=20)
    assert play_scene(app).session.level.id == "saddle" and play_scene(app).session.race.step_count > 0


def test_one_level_file_plays(tmp_path):
    app = make_app("--level-file", str(LEVELS / "07-ravine.toml"))
    run(app, 2)
    assert [lv.id for lv in app.content.levels] == ["ravine"]


def test_a_folder_of_only_bad_files_says_so_in_one_line(tmp_path):
    import subprocess
    import sys

    (tmp_path / "bad.toml").write_text("[[[")
    result = subprocess.run([sys.executable, "main.py", "--headless", "--frames", "2", "--levels-dir", str(tmp_path)],
                            cwd=LEVELS.parent, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "bad.toml" in result.stderr
