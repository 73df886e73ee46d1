"""Files read and written safely (issues 14 and 15), with real files, FIFOs, links and permissions.

Reading: every file the game reads (progress, settings, demo scripts, levels) is opened only if
it is a regular file, read up to a cap, and checked for depth and key length; anything else is
one line and, for the game's own files, moved aside — never followed into a device or a FIFO.
Text may start with a byte-order mark and use Windows line endings.

Writing: a file that cannot be read is kept aside before a new one takes its place; settings
are updated in place; progress merges with the disk under a lock; stale temporary files go;
exports are made in memory and written with fsync, so a full disk (here a real, kernel-enforced
file-size limit) is reported as not saved; exports get the usual permissions, CSV a BOM; output
paths are checked before the run and the final rename replaces only a regular file.
"""

from __future__ import annotations

import json
import os
import pickle
import resource
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from gdviz import settings as settings_file
from gdviz import storage
from gdviz.core.levels import LevelError, builtin_levels_dir, load_level, load_levels
from gdviz.ui.progress import Progress

ROOT = Path(__file__).resolve().parents[1]
NOBODY = 65534
SHIPPED_LEVEL = min(builtin_levels_dir().glob("*.toml"))


class TooSlow(BaseException):
    """Raised into a block that ran too long: not an OSError, so no `except OSError` hides it."""


@contextmanager
def deadline(seconds: float = 2.0):
    """Fail (instead of hanging or eating all memory) if the block runs longer than `seconds`."""
    def expired(signum, frame):  # the signal API's signature
        raise TooSlow(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- hostile things to put where a file should be ------------------------------------------------


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def make_zero_link(path: Path) -> None:
    path.symlink_to("/dev/zero")


def make_folder(path: Path) -> None:
    path.mkdir()


def make_dangling_link(path: Path) -> None:
    path.symlink_to(path.with_name("nothing-here"))


def make_socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()


def make_oversized(path: Path) -> None:
    path.write_bytes(b" " * (2 * 1024 * 1024))


HOSTILE = {"fifo": make_fifo, "link-to-dev-zero": make_zero_link, "folder": make_folder,
           "dangling-link": make_dangling_link, "socket": make_socket, "oversized": make_oversized}


def kept_aside(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.corrupt-*"))


def one_line(text: str) -> bool:
    return bool(text) and "\n" not in text and "Traceback" not in text


# --- reading: the game's own files ----------------------------------------------------------------


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_progress_that_is_not_a_regular_file_is_refused_at_once_and_moved_aside(tmp_path, make):
    path = tmp_path / "progress.json"
    make(path)
    kind = os.lstat(path).st_mode
    with deadline():
        progress = Progress.load(path)
    assert progress.stars == {} and one_line(progress.notice) and "progress.json" in progress.notice
    assert not os.path.lexists(path)
    [moved] = kept_aside(path)
    assert stat.S_IFMT(os.lstat(moved).st_mode) == stat.S_IFMT(kind)  # renamed, not opened or copied


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_settings_that_are_not_a_regular_file_are_refused_at_once_and_moved_aside(tmp_path, make):
    path = tmp_path / "settings.toml"
    make(path)
    with deadline():
        config = settings_file.load(path)
    assert config == settings_file.Settings()
    assert len(config.notices) == 1 and one_line(config.notices[0])
    assert not os.path.lexists(path) and len(kept_aside(path)) == 1


def test_progress_nested_100000_deep_is_one_line_not_a_recursion_error(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with deadline():
        progress = Progress.load(path)
    assert progress.stars == {} and one_line(progress.notice) and len(kept_aside(path)) == 1


def test_progress_with_a_huge_key_is_refused(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text('{"stars": {"' + "a" * 100_000 + '": 3}}')
    progress = Progress.load(path)
    assert progress.stars == {} and "name" in progress.notice and len(kept_aside(path)) == 1


def test_brackets_inside_strings_do_not_count_as_nesting(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text('{"stars": {"' + "[" * 50 + '": 2}, "last_level": "]]]{{{"}')
    progress = Progress.load(path)
    assert progress.stars == {"[" * 50: 2} and progress.notice == ""


@pytest.mark.parametrize("dots", [20_000, 32_000])
def test_a_settings_file_with_a_huge_dotted_key_is_refused_in_well_under_a_second(tmp_path, dots):
    path = tmp_path / "settings.toml"
    path.write_text("a." * dots + "a = 1\n")  # 40 KB and 64 KB: seconds and a MemoryError before
    started = time.perf_counter()
    with deadline(5):
        config = settings_file.load(path)
    assert time.perf_counter() - started < 1.0
    assert config == settings_file.Settings() and len(kept_aside(path)) == 1


def test_a_settings_file_with_a_huge_plain_key_is_refused_in_one_short_line(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('language = "zh"\n' + "k" * 60_000 + " = 1\n")
    config = settings_file.load(path)
    assert config.language == "en" and len(config.notices) == 1 and len(config.notices[0]) < 300
    assert len(kept_aside(path)) == 1


def test_settings_with_a_bom_and_windows_line_endings_are_read(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_bytes('\ufeff# kiosk\r\nlanguage = "zh"\r\n[operator]\r\nhold_seconds = 3\r\n'.encode())
    config = settings_file.load(path)
    assert config.language == "zh" and config.operator_hold_seconds == 3 and config.notices == ()
    assert path.exists() and kept_aside(path) == []


def test_progress_with_a_bom_and_windows_line_endings_is_read(tmp_path):
    path = tmp_path / "progress.json"
    path.write_bytes('\ufeff{\r\n "stars": {"saddle": 2},\r\n "last_level": "saddle"\r\n}\r\n'.encode())
    progress = Progress.load(path)
    assert progress.stars == {"saddle": 2} and progress.last_level == "saddle" and progress.notice == ""


# --- reading: files the player names (scripts, levels) --------------------------------------------


def load_script(path: Path):
    from gdviz.ui.app import _load_script

    return _load_script(path)


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_script_that_is_not_a_regular_file_is_one_line_at_once(tmp_path, make):
    from gdviz.ui.app import StartupError

    path = tmp_path / "demo.txt"
    make(path)
    with deadline(), pytest.raises(StartupError) as refused:
        load_script(path)
    assert one_line(str(refused.value)) and "demo.txt" in str(refused.value)
    assert os.path.lexists(path)  # the player's own file is left where it is


def test_a_script_with_a_bom_and_windows_line_endings_is_read(tmp_path):
    path = tmp_path / "demo.txt"
    path.write_bytes("\ufeff# demo\r\n0.5 play\r\n1 optimizer adam\r\n".encode())
    timeline = load_script(path)
    assert [(when, action.command.value, action.arg) for when, action in timeline] == \
        [(0.5, "play", None), (1.0, "optimizer", "adam")]


def test_a_fifo_given_as_the_script_ends_the_game_with_one_line_and_status_2(tmp_path):
    fifo = tmp_path / "demo.txt"
    os.mkfifo(fifo)
    done = run_game(tmp_path, "--script", str(fifo), "--frames", "2", timeout=30)
    assert done.returncode == 2 and one_line(done.stderr.strip()) and "demo.txt" in done.stderr


@pytest.mark.parametrize("make", [make_fifo, make_zero_link, make_folder, make_dangling_link],
                         ids=["fifo", "link-to-dev-zero", "folder", "dangling-link"])
def test_a_level_file_that_is_not_a_regular_file_is_one_line_at_once(tmp_path, make):
    path = tmp_path / "hostile.toml"
    make(path)
    with deadline(), pytest.raises(LevelError) as refused:
        load_level(path)
    assert refused.value.field == "file" and one_line(str(refused.value))


def test_a_level_folder_with_a_fifo_and_a_link_to_dev_zero_still_loads_its_good_level(tmp_path):
    shutil.copy(SHIPPED_LEVEL, tmp_path / SHIPPED_LEVEL.name)
    os.mkfifo(tmp_path / "fifo.toml")
    (tmp_path / "zero.toml").symlink_to("/dev/zero")
    with deadline(5):
        levels, errors = load_levels(tmp_path)
    assert len(levels) == 1 and len(errors) == 2


def test_a_level_with_a_bom_and_windows_line_endings_loads(tmp_path):
    text = SHIPPED_LEVEL.read_text(encoding="utf-8").replace("\n", "\r\n")
    path = tmp_path / SHIPPED_LEVEL.name
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_level(path).title == load_level(SHIPPED_LEVEL).title



def read_each_kind(folder: Path, encode) -> list:
    """Write a settings file, progress, a script and a level with `encode`, and read each back."""
    files = {"settings.toml": '# kiosk\nlanguage = "zh"\n', "progress.json": '{"stars": {"saddle": 2}}\n',
             "demo.txt": "# demo\n0.5 play\n", SHIPPED_LEVEL.name: SHIPPED_LEVEL.read_text(encoding="utf-8")}
    for name, text in files.items():
        (folder / name).write_bytes(encode(text.replace("\n", "\r\n")))
    return [settings_file.load(folder / "settings.toml").language, Progress.load(folder / "progress.json").stars,
            len(load_script(folder / "demo.txt")), load_level(folder / SHIPPED_LEVEL.name).title]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16-le", "utf-16-be"])
def test_every_kind_of_text_file_accepts_a_byte_order_mark_and_windows_line_endings(tmp_path, encoding):
    bom = b"" if encoding == "utf-8-sig" else ("\ufeff".encode(encoding))
    got = read_each_kind(tmp_path, lambda text: bom + text.encode(encoding))
    assert got == ["zh", {"saddle": 2}, 1, load_level(SHIPPED_LEVEL).title]
    assert not list(tmp_path.glob("*.corrupt-*"))


# --- writing: never destroy what cannot be read ------------------------------------------------------


def in_child_as_nobody(function, *args):
    """Run function(*args) in a forked child without root's powers (so mode 000 means unreadable)."""
    return in_child(function, *args, as_nobody=True)


def in_child(function, *args, as_nobody: bool = False):
    """Run function(*args) in a forked child (which may lower its limits), as nobody if asked.

    A fork, not a new interpreter: fast, and the child needs nothing it cannot read. Returns
    the function's result, or raises AssertionError with the child's error.
    """
    readable, writable = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            os.close(readable)
            if as_nobody and os.geteuid() == 0:
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            result = ("ok", function(*args))
        except BaseException as error:  # noqa: BLE001 - report anything to the parent
            result = ("error", f"{type(error).__name__}: {error}")
        with os.fdopen(writable, "wb") as out:
            pickle.dump(result, out)
        os._exit(0)
    os.close(writable)
    with os.fdopen(readable, "rb") as answer:
        status, value = pickle.load(answer)
    os.waitpid(child, 0)
    assert status == "ok", value
    return value


@pytest.fixture
def shared_folder():
    """A folder the unprivileged child may write in (pytest's own tmp_path is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="gdviz-test-"))
    if os.geteuid() == 0:
        os.chown(folder, NOBODY, NOBODY)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def win_a_level(folder: str) -> tuple[dict, str, str]:
    path = Path(folder) / "progress.json"
    path.write_text('{"stars": {"bowl": 3, "ravine": 2}, "last_level": "ravine"}')
    path.chmod(0)
    progress = Progress.load(path)
    progress.record("saddle", 3)
    message = progress.save()
    [kept] = Path(folder).glob("progress.json.unreadable-*")
    kept.chmod(0o600)
    return json.loads(path.read_text()), message, kept.read_text()


def test_an_unreadable_progress_file_is_kept_aside_before_a_new_one_is_saved(shared_folder):
    saved, message, kept = in_child_as_nobody(win_a_level, str(shared_folder))
    assert saved["stars"] == {"saddle": 3}
    assert kept == '{"stars": {"bowl": 3, "ravine": 2}, "last_level": "ravine"}'  # untouched
    assert one_line(message) and "unreadable" in message


def press_l_on_unreadable_settings(folder: str) -> tuple[str, str, str]:
    path = Path(folder) / "settings.toml"
    original = '# the kiosk in hall B\nidle_seconds = 30\n'
    path.write_text(original)
    path.chmod(0)
    # What App.toggle_language does:
    message = settings_file.save(replace(settings_file.load(path), language="zh", notices=()), path)
    [kept] = Path(folder).glob("settings.toml.unreadable-*")
    kept.chmod(0o600)
    return path.read_text(), message, kept.read_text()


def test_an_unreadable_settings_file_is_kept_aside_when_l_is_pressed(shared_folder):
    new, message, kept = in_child_as_nobody(press_l_on_unreadable_settings, str(shared_folder))
    assert kept == '# the kiosk in hall B\nidle_seconds = 30\n'
    assert settings_file.load(shared_folder / "settings.toml").language == "zh"
    assert "idle_seconds" not in new  # not rewritten with every default
    assert one_line(message) and "unreadable" in message


def test_the_language_key_keeps_the_operators_comments_and_unknown_keys(tmp_path, monkeypatch):
    from gdviz.cli import parse_args
    from gdviz.core.commands import Action, Command
    from gdviz.ui.app import App

    monkeypatch.setenv("HOME", str(tmp_path))
    path = tmp_path / "settings.toml"
    text = ('# Hall B kiosk, set up by Ana (call 4471)\nidle_seconds = 45   # visitors are slow\n'
            'future_option = "keep me"\n\n[attract]\nlevels = ["saddle"]  # the favourite\n')
    path.write_text(text)
    app = App(parse_args(["--headless", "--size", "640x360", "--settings", str(path), "--level", "saddle"]))
    app.dispatch(Action(Command.LANGUAGE))
    after = path.read_text()
    assert after.replace('language = "zh"\n', "") == text
    assert settings_file.load(path).language == "zh"



def test_l_on_a_windows_settings_file_keeps_its_comments_and_line_endings(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_bytes('\ufeff# set up in Notepad\r\nidle_seconds = 45\r\n[presenter]\r\non = true\r\n'.encode())
    config = settings_file.load(path)
    assert config.notices == () and config.idle_seconds == 45 and config.presenter_on
    assert settings_file.save(replace(config, language="zh"), path) == ""
    after = path.read_bytes().decode("utf-8-sig")
    assert "# set up in Notepad\r\n" in after and "idle_seconds = 45\r\n" in after
    assert after.count("\n") == after.count("\r\n")  # no bare Unix line ending slipped in
    assert settings_file.load(path).language == "zh" and kept_aside(path) == []


def test_a_settings_value_out_of_range_is_left_in_the_file_when_l_is_pressed(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("idle_seconds = -5  # typo, to be fixed by staff\n")
    config = settings_file.load(path)
    assert len(config.notices) == 1 and config.idle_seconds == settings_file.Settings().idle_seconds
    assert settings_file.save(replace(config, language="zh", notices=()), path) == ""
    assert path.read_text() == 'idle_seconds = -5  # typo, to be fixed by staff\nlanguage = "zh"\n'


# --- writing: progress from two games at once -------------------------------------------------------

SAVER = """
import sys, time
from pathlib import Path
from gdviz.ui.progress import Progress
path, level, stars = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
progress = Progress.load(path)
progress.record(level, stars)
(path.parent / f"ready-{level}-{stars}").touch()
while not (path.parent / "go").exists():
    time.sleep(0.002)
print(progress.save())
"""


def test_games_winning_different_levels_at_the_same_time_keep_every_level(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text('{"stars": {"bowl": 1}}')
    results = [("saddle", 3), ("ravine", 2), ("adam", 1), ("saddle", 1), ("bowl", 2)]
    games = [subprocess.Popen([sys.executable, "-c", SAVER, str(path), level, str(stars)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for level, stars in results]
    started = time.monotonic()
    while len(list(tmp_path.glob("ready-*"))) < len(games) and time.monotonic() - started < 60:
        time.sleep(0.01)
    (tmp_path / "go").touch()  # every game loaded the old file before any saves
    outputs = [game.communicate(timeout=60) for game in games]
    assert all(game.returncode == 0 for game in games), outputs
    assert all(out.strip() == "" for out, _ in outputs), outputs
    assert json.loads(path.read_text())["stars"] == {"bowl": 2, "saddle": 3, "ravine": 2, "adam": 1}
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".progress.json.")) == \
        [".progress.json.lock"]


def test_a_lock_file_that_is_a_fifo_gives_not_saved_at_once(tmp_path):
    os.mkfifo(tmp_path / ".progress.json.lock")
    progress = Progress.load(tmp_path / "progress.json")
    progress.record("saddle", 3)
    with deadline():
        message = progress.save()
    assert message.startswith("progress not saved") and one_line(message)


# --- writing: what a crash leaves behind ---------------------------------------------------------------


@pytest.mark.parametrize("name, load", [("progress.json", Progress.load), ("settings.toml", settings_file.load)])
def test_temporary_files_left_by_a_crash_are_cleaned_up_on_start(tmp_path, name, load):
    precious = tmp_path / "precious.txt"
    precious.write_text("mine")
    old = time.time() - 600
    stale = [tmp_path / f".{name}.k9x2h.tmp", tmp_path / f".{name}.aa1.tmp"]
    for path in stale:
        path.write_text("half a file")
        os.utime(path, (old, old))
    fresh = tmp_path / f".{name}.now1.tmp"  # maybe another game is writing it right now
    fresh.write_text("being written")
    link = tmp_path / f".{name}.link.tmp"
    link.symlink_to(precious)
    os.utime(link, (old, old), follow_symlinks=False)
    load(tmp_path / name)
    assert not any(p.exists() for p in stale)
    assert fresh.exists() and link.is_symlink() and precious.read_text() == "mine"


def test_a_killed_save_leaves_a_temporary_file_that_the_next_start_removes(tmp_path):
    path = tmp_path / "progress.json"
    killer = ("import os, signal, sys, tempfile\n"
              "handle, name = tempfile.mkstemp(prefix='.progress.json.', suffix='.tmp', dir=sys.argv[1])\n"
              "os.write(handle, b'{\"stars\": {\"sa')\n"
              "os.kill(os.getpid(), signal.SIGKILL)\n")
    done = subprocess.run([sys.executable, "-c", killer, str(tmp_path)], timeout=30, check=False)
    assert done.returncode == -signal.SIGKILL
    [left] = tmp_path.glob(".progress.json.*.tmp")
    os.utime(left, (time.time() - 120,) * 2)  # a start two minutes later
    Progress.load(path)
    assert list(tmp_path.glob(".progress.json.*.tmp")) == []


# --- writing: the final rename, permissions, encodings -------------------------------------------------


@pytest.mark.parametrize("make", [make_fifo, make_zero_link, make_folder, make_socket],
                         ids=["fifo", "link-to-dev-zero", "folder", "socket"])
def test_the_final_rename_never_replaces_anything_but_a_regular_file(tmp_path, make):
    path = tmp_path / "shot.png"
    make(path)
    before = os.lstat(path)
    with pytest.raises(OSError):
        storage.atomic_write_bytes(path, b"new")
    after = os.lstat(path)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shot.png"]



@pytest.mark.parametrize("make", [make_fifo, make_zero_link, make_folder], ids=["fifo", "link-to-dev-zero", "folder"])
def test_something_that_appears_while_the_file_is_written_is_not_replaced(tmp_path, monkeypatch, make):
    path = tmp_path / "shot.png"
    real_fsync = os.fsync

    def fsync_then_appear(fd):
        real_fsync(fd)
        if not os.path.lexists(path):
            make(path)  # after the first look, before the rename

    monkeypatch.setattr(storage.os, "fsync", fsync_then_appear)
    with pytest.raises(OSError):
        storage.atomic_write_bytes(path, b"new", shared=True)
    monkeypatch.undo()
    assert not stat.S_ISREG(os.lstat(path).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shot.png"]


def test_a_regular_file_that_appears_while_the_file_is_written_is_replaced(tmp_path, monkeypatch):
    path = tmp_path / "race.csv"
    real_fsync = os.fsync

    def fsync_then_appear(fd):
        real_fsync(fd)
        if not os.path.lexists(path):
            path.write_text("another game's table")

    monkeypatch.setattr(storage.os, "fsync", fsync_then_appear)
    storage.atomic_write_bytes(path, b"ours", shared=True)
    monkeypatch.undo()
    assert path.read_bytes() == b"ours" and sorted(p.name for p in tmp_path.iterdir()) == ["race.csv"]


def test_a_link_to_a_regular_file_is_not_replaced_nor_written_through(tmp_path):
    target = tmp_path / "someone-elses.txt"
    target.write_text("theirs")
    link = tmp_path / "progress.json"
    link.symlink_to(target)
    with pytest.raises(OSError):
        storage.atomic_write_text(link, "{}")
    assert link.is_symlink() and target.read_text() == "theirs"


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_exports_get_normal_permissions_and_own_files_stay_private(tmp_path, umask_022):
    import pygame

    from gdviz.ui import export

    recorder = export.GifRecorder()
    recorder.add(pygame.Surface((32, 24)), 0.1)
    made = [export.save_surface_png(pygame.Surface((32, 24)), tmp_path / "a.png"),
            export.save_csv("step,ball\n0,1\n", tmp_path / "a.csv"), recorder.save(tmp_path / "a.gif")]
    assert [oct(stat.S_IMODE(p.stat().st_mode)) for p in made] == ["0o644"] * 3
    progress = Progress.load(tmp_path / "progress.json")
    progress.record("saddle", 1)
    assert progress.save() == ""
    assert settings_file.save(settings_file.Settings(language="zh"), tmp_path / "s.toml") == ""
    assert stat.S_IMODE((tmp_path / "progress.json").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "s.toml").stat().st_mode) == 0o600



@pytest.mark.parametrize("mask, mode", [(0o002, 0o664), (0o027, 0o640), (0o077, 0o600)])
def test_exports_follow_the_umask_whatever_it_is(tmp_path, mask, mode):
    from gdviz.ui import export

    previous = os.umask(mask)
    try:
        path = export.save_csv("step\n0\n", tmp_path / "a.csv")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_a_settings_file_made_readable_by_others_keeps_its_permissions(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("idle_seconds = 45\n")
    path.chmod(0o644)
    assert settings_file.save(settings_file.Settings(language="zh", idle_seconds=45), path) == ""
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_export_temporary_files_left_by_a_crash_are_cleaned_when_the_game_starts(tmp_path):
    from gdviz.ui import export

    old = time.time() - 600
    stale, fresh, other = (tmp_path / ".gdviz-20260101-120000.png.x1.tmp", tmp_path / ".gdviz-now.gif.x2.tmp",
                           tmp_path / ".someone-else.tmp")
    for path in (stale, fresh, other):
        path.write_text("half")
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    export.Exports(tmp_path)
    assert not stale.exists() and fresh.exists() and other.exists()


def test_csv_exports_start_with_a_bom_so_spreadsheets_read_chinese_names(tmp_path):
    from gdviz.ui import export

    path = export.save_csv("step,ball\n0,动量球\n", tmp_path / "race.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw[3:].decode("utf-8") == "step,ball\n0,动量球\n"


# --- writing: a full disk -------------------------------------------------------------------------------

FULL_DISK = """
import resource, sys
from gdviz.cli import parse_args
from gdviz.ui.app import App
app = App(parse_args(["--headless", "--size", "640x360", "--level", "saddle", "--export-dir", sys.argv[1]]))
app.frame(1 / 60)
resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))  # the kernel refuses to grow a file past 2 KB
print(app.screenshot())
print(app.exports.export_csv(app.look, "step,ball,x\\n" + "0,1,0.5\\n" * 1000))
app.exports.toggle_recording(app.look)
for _ in range(20):
    app.frame(1 / 15)
print(app.exports.toggle_recording(app.look))
"""


def child_env(home: Path) -> dict[str, str]:
    env = dict(os.environ, HOME=str(home), GDVIZ_DATA_DIR=str(home / "data"),
               GDVIZ_CONFIG_DIR=str(home / "config"), GDVIZ_LOG_DIR=str(home / "log"),
               SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
    env.pop("GDVIZ_STRICT", None)
    return env


def test_on_a_full_disk_s_o_and_x_say_not_saved_and_leave_nothing(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    done = subprocess.run([sys.executable, "-c", FULL_DISK, str(exports)], cwd=ROOT, env=child_env(tmp_path),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 3 and all(line.startswith("could not save") for line in lines), lines
    assert list(exports.iterdir()) == []



def save_progress_on_a_full_disk(folder: str) -> tuple[str, str]:
    path = Path(folder) / "progress.json"
    progress = Progress.load(path)
    for n in range(100):
        progress.record(f"level-{n:03d}", 3)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))  # the old file is far smaller; the new is not
    return progress.save(), path.read_text()


def test_progress_on_a_full_disk_says_not_saved_and_keeps_the_old_file(tmp_path):
    old = '{"stars": {"bowl": 3}, "last_level": "bowl"}'
    (tmp_path / "progress.json").write_text(old)
    message, after = in_child(save_progress_on_a_full_disk, str(tmp_path))
    assert message.startswith("progress not saved") and one_line(message)
    assert after == old and sorted(p.name for p in tmp_path.iterdir()) == [".progress.json.lock", "progress.json"]


def run_game(home: Path, *flags: str, limit: int | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    def set_limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "main.py", "--headless", *flags], cwd=ROOT, env=child_env(home),
                          capture_output=True, text=True, timeout=timeout,
                          preexec_fn=set_limit if limit else None, check=False)


def test_a_screenshot_at_the_end_on_a_full_disk_is_one_line_and_status_1(tmp_path):
    shot = tmp_path / "shot.png"
    done = run_game(tmp_path, "--frames", "2", "--size", "640x360", "--screenshot", str(shot), limit=2000)
    assert done.returncode == 1 and one_line(done.stderr.strip()) and "not saved" in done.stderr
    assert not shot.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".shot")] == []


# --- output paths checked before the run ------------------------------------------------------------------


def output_cases(tmp_path: Path) -> dict[str, list[str]]:
    a_file = tmp_path / "a_file"
    a_file.write_text("not a folder")
    os.mkfifo(tmp_path / "fifo.png")
    (tmp_path / "null.gif").symlink_to("/dev/null")
    return {"screenshot-is-a-folder": ["--screenshot", str(tmp_path)],
            "gif-under-a-file": ["--gif", str(a_file / "x.gif")],
            "screenshot-is-a-fifo": ["--screenshot", str(tmp_path / "fifo.png")],
            "gif-is-a-link-to-a-device": ["--gif", str(tmp_path / "null.gif")],
            "export-dir-is-a-file": ["--export-dir", str(a_file)],
            "export-dir-under-a-file": ["--export-dir", str(a_file / "sub")],
            "export-dir-is-a-device": ["--export-dir", "/dev/null"]}


def test_bad_output_paths_are_one_line_and_status_2_before_the_run(tmp_path):
    for name, flags in output_cases(tmp_path).items():
        done = run_game(tmp_path, "--frames", "100000", *flags, timeout=20)  # refused before any frame
        assert done.returncode == 2 and one_line(done.stderr.strip()), (name, done.stderr)
        assert done.stderr.startswith(f"gdviz: {flags[0]} "), (name, done.stderr)
    assert stat.S_ISFIFO(os.lstat(tmp_path / "fifo.png").st_mode) and (tmp_path / "null.gif").is_symlink()


def test_good_output_paths_still_work_and_missing_folders_are_made(tmp_path):
    shot, clip = tmp_path / "new" / "shot.png", tmp_path / "clips" / "x.gif"
    done = run_game(tmp_path, "--frames", "3", "--size", "640x360", "--screenshot", str(shot), "--gif", str(clip),
                    "--export-dir", str(tmp_path / "later"))
    assert done.returncode == 0, done.stderr
    assert shot.read_bytes().startswith(b"\x89PNG") and clip.read_bytes().startswith(b"GIF8")


# --- a settings file named on the command line is never moved or replaced ---------------------


@pytest.mark.parametrize("make", ["folder", "fifo", "bad toml", "link to nothing"])
def test_a_settings_path_given_on_the_command_line_is_never_moved(tmp_path, make):
    """Before: --settings /some/folder (or a FIFO, or any bad file) was renamed to *.corrupt-*."""
    from gdviz import settings

    path = tmp_path / "given"
    if make == "folder":
        (path / "inside").mkdir(parents=True)
    elif make == "fifo":
        os.mkfifo(path)
    elif make == "bad toml":
        path.write_text("bad = = toml\n")
    else:
        path.symlink_to(tmp_path / "nowhere")
    before = sorted(p.name for p in tmp_path.iterdir())
    loaded = settings.load(path, given=True)
    assert loaded.language == settings.Settings().language and loaded.notices
    problem = settings.save(settings.Settings(language="zh"), path, given=True)
    assert problem and "not saved" in problem
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def save_on_read_only_settings(folder: str) -> tuple[str, str]:
    path = Path(folder) / "settings.toml"
    path.write_text('language = "en"  # the operator wants English\n')
    path.chmod(0o444)
    message = settings_file.save(replace(settings_file.load(path), language="zh", notices=()), path)
    return message, path.read_text()


def test_a_read_only_settings_file_is_not_replaced_by_l(shared_folder):
    """Before: L replaced a 0444 file by renaming a new one over it (the folder was writable)."""
    message, text = in_child_as_nobody(save_on_read_only_settings, str(shared_folder))
    assert "read-only" in message and "not saved" in message
    assert text == 'language = "en"  # the operator wants English\n'
