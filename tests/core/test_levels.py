"""Levels: the shipped lessons load and really show their idea; hostile files are refused politely."""

from __future__ import annotations

import dataclasses
import doctest
import math
import re
import sys
from pathlib import Path

import pytest

from gdviz.core import lessons, levels, safe_toml
from gdviz.core.lessons import check_files, check_levels_report, run_check
from gdviz.core.levels import LevelError, Text, builtin_levels_dir, load_level, load_levels, make_race

LEVELS = builtin_levels_dir()
SHIPPED = sorted(LEVELS.glob("*.toml"))
HOSTILE_DIR = Path(__file__).parent / "hostile_levels"
HOSTILE = sorted(HOSTILE_DIR.glob("*.toml"))
README = LEVELS / "README.md"

MINIMAL = """\
title = {{ en = "T", zh = "题" }}
lesson = {{ en = "L", zh = "课" }}
{order}
[surface]
{surface}
[[ball]]
label = "gd"
optimizer = "gd"
hyper = {{ lr = 0.1 }}
[check]
steps = 50
[[check.expect]]
ball = "gd"
quantity = "{quantity}"
below = {below}
"""


def write_level(folder: Path, name: str, surface: str = 'name = "bowl"', quantity: str = "loss",
                below: float = 0.01, order: str = "") -> Path:
    path = folder / name
    path.write_text(MINIMAL.format(surface=surface, quantity=quantity, below=below, order=order),
                    encoding="utf-8")
    return path


def readme_example() -> str:
    blocks = re.findall(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1, "levels/README.md must hold exactly one ```toml block: the complete example"
    return blocks[0]


def expected_field(path: Path) -> str:
    first = path.read_bytes().split(b"\n", 1)[0].decode("ascii")
    assert first.startswith("# field: "), f"{path.name} must start with '# field: <field>'"
    return first[len("# field: "):]


# --- the shipped levels ---------------------------------------------------------------------


STARTER_NAMES = ("bowl-learning-rate", "xcos-start-point", "saddle", "plateau", "ravine", "two-wells",
                 "rosenbrock")


def test_the_curriculum_ships_and_loads_in_order():
    loaded, errors = load_levels(LEVELS)
    assert errors == []
    assert len(loaded) >= 14 and len(loaded) == len(SHIPPED)
    assert [lv.path.name for lv in loaded] == [p.name for p in SHIPPED]  # order agrees with names
    names = [lv.id for lv in loaded]
    assert len(set(names)) == len(names)
    assert set(STARTER_NAMES) <= set(names)  # the game and saved progress know these names
    assert names[0] == "line-learning-rate" and names[15] == "many-minima"
    assert names[16:] == ["training-a-network", "mini-batches"]  # then the network levels (issue 17)
    numbers = [int(p.name[:2]) for p in SHIPPED]
    assert numbers == list(range(1, len(SHIPPED) + 1))  # 01, 02, ... with no gaps
    assert [lv.order for lv in loaded] == [10 * n for n in numbers]


def test_the_curriculum_covers_every_idea():
    loaded, _ = load_levels(LEVELS)
    surfaces = {lv.surface.name for lv in loaded}
    balls = [b for lv in loaded for b in lv.balls]
    optimizers = {b.optimizer for b in balls}
    assert {"bowl", "xcos", "two_wells", "saddle", "plateau", "ravine", "rosenbrock", "line_fit"} <= surfaces
    assert any(lv.surface.dims == 1 and lv.surface.name in ("parabola", "double_well") for lv in loaded)
    assert surfaces & {"rastrigin", "himmelblau"}
    assert {"gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"} <= optimizers
    assert any(b.optimizer == "adam" and b.hyper.get("bias_correction") is False for b in balls)
    assert any(b.schedule.kind != "constant" for b in balls)
    assert any(lv.batch_size is not None for lv in loaded)  # mini-batches
    assert any(lv.noise > 0 for lv in loaded)  # noisy slopes


def test_readme_lists_the_curriculum_in_order():
    text = README.read_text(encoding="utf-8")
    listed = re.findall(r"^\| `(\d\d-[\w-]+\.toml)` \| ([\w-]+) \|", text, re.M)
    assert listed == [(p.name, levels.level_id(p)) for p in SHIPPED]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_level_passes_its_own_lesson_check(path):
    level = load_level(path)
    result = run_check(level)
    assert result.passed, "\n".join(result.lines)
    assert len(result.lines) == len(level.check.expect) >= 3
    assert all(line.endswith(": ok") for line in result.lines)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_level_speaks_english_and_chinese_and_has_a_goal(path):
    level = load_level(path)
    for text in (level.title, level.lesson, level.hint):
        assert text is not None and text.en.strip() and text.zh.strip()
        assert re.search(r"[\u4e00-\u9fff]", text.zh), "zh must be Chinese text"
    assert level.goal is not None and level.par is not None and level.par > 0


def test_bowl_level_shows_all_four_learning_rates():
    level = load_level(LEVELS / "02-bowl-learning-rate.toml")
    rates = {b.label: b.hyper["lr"] for b in level.balls}
    assert rates == {"just right": 0.1, "too small": 0.01, "too big": 0.48, "diverging": 0.55}
    assert level.player.ball == level.ball_index("too small")  # mis-tuned: the player has to tune it
    assert level.player.optimizers == ("gd",)


# --- the README documents the format --------------------------------------------------------


def test_readme_complete_example_loads_and_passes_its_check(tmp_path):
    path = tmp_path / "example.toml"
    path.write_text(readme_example(), encoding="utf-8")
    level = load_level(path)
    result = run_check(level)
    assert result.passed, "\n".join(result.lines)
    data = __import__("tomllib").loads(readme_example())
    assert set(data) == set(levels.TOP_FIELDS), "the complete example must use every top-level field"
    assert level.noise > 0 and level.player.ball == 1 and level.hint is not None


def test_readme_names_every_field_quantity_and_comparison():
    text = README.read_text(encoding="utf-8")
    names = (levels.TOP_FIELDS + levels.SURFACE_FIELDS + levels.BALL_FIELDS + levels.STOCHASTIC_FIELDS
             + levels.GOAL_FIELDS + levels.PLAYER_FIELDS + levels.CHECK_FIELDS + levels.EXPECT_FIELDS
             + levels.ROBUST_FIELDS + levels.QUANTITIES)
    # A field appears in backticks, maybe as a table header: `hint`, `[surface]`, `[[check.expect]]`.
    missing = [n for n in names if not re.search(rf"`\[*(\w+\.)?{n}\b", text)]
    assert missing == []


# --- behaviour of the API -------------------------------------------------------------------


def test_text_falls_back_to_english():
    assert Text("hello", "你好").get("zh") == "你好"
    assert Text("hello").get("zh") == "hello"
    assert Text("hello", "你好").get("fr") == "hello"


def test_level_is_frozen():
    level = load_level(SHIPPED[0])
    with pytest.raises(dataclasses.FrozenInstanceError):
        level.order = 3  # type: ignore[misc]


def test_make_race_follows_the_level_and_takes_overrides():
    level = load_level(LEVELS / "07-ravine.toml")
    race = make_race(level, seed=9, trail_length=7)
    assert [b.label for b in race.balls] == [spec.label for spec in level.balls]
    assert race.goal == level.goal and race.seed == 9 and race.trail_length == 7
    assert race.balls[0].position.tolist() == [list(level.balls[0].start)]
    race.step(3)
    assert race.step_count == 3


def test_failing_check_says_failed_and_check_files_reports_it(tmp_path):
    path = write_level(tmp_path, "impossible.toml", below=-1.0)  # a bowl's loss is never negative
    result = run_check(load_level(path))
    assert not result.passed
    assert result.lines[0].endswith(": FAILED") and "(wanted below -1)" in result.lines[0]
    problems = check_files([path])
    assert len(problems) == 1 and problems[0].startswith(f"{path}: check: ")
    assert check_files([path], simulate=False) == []


def test_load_levels_sorts_by_order_and_collects_bad_files(tmp_path):
    write_level(tmp_path, "a.toml", order="order = 5")
    write_level(tmp_path, "b.toml", order="order = 1")
    (tmp_path / "c.toml").write_text("title = 3\n", encoding="utf-8")
    loaded, errors = load_levels(tmp_path)
    assert [lv.id for lv in loaded] == ["b", "a"]
    assert len(errors) == 1 and str(errors[0]).startswith(str(tmp_path / "c.toml"))


def test_expression_level_with_listed_saddle(tmp_path):
    path = write_level(tmp_path, "s.toml", surface='expr = "x**2 - y**2"\nsaddles = [[0, 0]]',
                       quantity="distance_to_saddle", below=5.0)
    level = load_level(path)
    assert level.surface_source.expr == "x**2 - y**2" and level.surface.dims == 2
    assert level.surface.saddles[0].location == (0.0, 0.0)
    assert run_check(level).passed


def test_utf8_with_byte_order_mark_is_accepted(tmp_path):
    path = write_level(tmp_path, "bom.toml")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_level(path).title.zh == "题"


def test_steps_to_goal_is_infinite_for_a_ball_that_never_arrives():
    level = load_level(LEVELS / "02-bowl-learning-rate.toml")
    race = make_race(level)
    race.step(30)  # "just right" enters the goal at step 13 and has settled there by step 22
    assert lessons._measure(race, level, "diverging", "steps_to_goal") == math.inf
    assert lessons._measure(race, level, "just right", "steps_to_goal") == 13


@pytest.mark.parametrize("module", [levels, lessons], ids=lambda m: m.__name__)
def test_module_examples_hold(module):
    failures, tried = doctest.testmod(module)
    assert tried >= 4 and failures == 0


# --- hostile files ----------------------------------------------------------------------------


def assert_one_clean_line(path: Path, field: str) -> str:
    with pytest.raises(LevelError) as caught:
        load_level(path)
    line = str(caught.value)
    assert "\n" not in line and "\r" not in line and len(line) < 300, line
    assert line.startswith(f"{path}: "), line
    assert line[len(str(path)) + 2:].startswith(f"{field}"), f"expected field {field!r}: {line}"
    return line


def test_the_hostile_corpus_is_big_enough():
    assert len(HOSTILE) >= 40


@pytest.mark.parametrize("path", HOSTILE, ids=lambda p: p.stem)
def test_hostile_file_gives_one_line_naming_the_field(path):
    assert_one_clean_line(path, expected_field(path))


def big_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """Write the hostile files too big to commit; return name -> (path, blamed field)."""
    head = 'title = "T"\nlesson = "L"\n'
    rest = '[[ball]]\noptimizer = "gd"\n[check]\nsteps = 5\n[[check.expect]]\nball = "gd"\n' \
           'quantity = "loss"\nbelow = 1\n'
    files = {
        "megabytes": ("file", head + '[surface]\nexpr = "' + "x+" * 1_500_000 + 'x"\n'),
        "deep-arrays": ("line 3", head + "a = " + "[" * 100_000 + "]" * 100_000 + "\n"),
        "deep-inline-tables": ("line 3", head + "a = " + "{b=" * 60_000 + "1" + "}" * 60_000 + "\n"),
        "deep-dotted-keys": ("line 3", head + "surface.params" + ".a" * 100_000 + " = 1\n"),
        "long-expression": ("surface.expr", head + '[surface]\nexpr = "' + "x+" * 100_000 + 'x"\n' + rest),
        "long-label": ("ball[1].label", head + '[surface]\nname = "bowl"\n[[ball]]\noptimizer = "gd"\n'
                       'label = "' + "a" * 200_000 + '"\n' + rest),
        "pwned": ("surface.expr", head + '[surface]\nexpr = "__import__(\'os\').system(\'touch '
                  + str(folder / "pwned") + "')\"\n" + rest),
    }
    out = {}
    for name, (field, text) in files.items():
        path = folder / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        out[name] = (path, field)
    return out


def test_huge_and_deep_files_are_refused_quickly(tmp_path):
    for path, field in big_files(tmp_path).values():
        line = assert_one_clean_line(path, field)
        assert "nested" in line or "long" in line or "KiB" in line or "not allowed" in line \
            or "unknown" in line, line


def test_oversized_file_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    path = big_files(tmp_path)["megabytes"][0]
    assert path.stat().st_size > 2_000_000

    def parse_never(text):
        raise AssertionError("the parser must not see an oversized file")

    monkeypatch.setattr(safe_toml.tomllib, "loads", parse_never)
    assert "KiB" in assert_one_clean_line(path, "file")


def test_checking_hostile_files_imports_nothing_and_creates_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    generated = big_files(tmp_path)
    load_level(SHIPPED[0])  # the first legitimate load may import what loading needs
    pwned_before = Path("/tmp/pwned").exists()
    modules_before = set(sys.modules)
    files_before = sorted(tmp_path.iterdir())
    problems = check_files(HOSTILE + [p for p, _ in generated.values()])
    assert len(problems) == len(HOSTILE) + len(generated)
    assert set(sys.modules) - modules_before == set()
    assert sorted(tmp_path.iterdir()) == files_before
    assert Path("/tmp/pwned").exists() == pwned_before


def test_check_levels_report_lines_and_exit_status():
    assert check_levels_report([LEVELS]) == ([], 0)
    lines, status = check_levels_report(HOSTILE[:5] + [SHIPPED[0]])
    assert status == 2
    assert len(lines) == 5 and all(line.startswith(str(HOSTILE_DIR)) for line in lines)


def test_missing_file_and_folder_are_reported(tmp_path):
    assert_one_clean_line(tmp_path / "nope.toml", "file")
    loaded, errors = load_levels(tmp_path / "no-such-folder")
    assert loaded == [] and len(errors) == 1 and errors[0].field == "folder"


@pytest.mark.parametrize("name, said, commands, wanted", [
    ("noisy-saddle", "press {lr_up} nine times", [("lr_up", None)] * 9, ("lr", 0.1)),
    ("many-minima", "Press {decay1_down:momentum} once for momentum 0.8", [("optimizer", "momentum"), ("decay1_down", None)],
     ("momentum", 0.8)),
])
def test_a_hint_that_counts_key_presses_counts_them_right(name, said, commands, wanted):
    from gdviz.core.commands import Action, Command
    from gdviz.core.session import PlaySession

    loaded, _ = load_levels(builtin_levels_dir())
    index = [lv.id for lv in loaded].index(name)
    assert said in loaded[index].hint.en
    session = PlaySession(loaded, index)
    for command, arg in commands:
        session.apply(Action(Command(command), arg))
    key, value = wanted
    got = session.level.balls[session.selected].label if key == "label" else session.race.specs[session.selected].hyper[key]
    assert got == value
