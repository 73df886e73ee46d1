"""Robust lessons: a level's claims are played again at other learning rates, starts and seeds."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import numpy as np
import pytest

from gdviz.core import check_spec, robustness
from gdviz.core.levels import builtin_levels_dir, load_level
from gdviz.core.robustness import check_lessons_report, check_robust, summary, variants

LEVELS = builtin_levels_dir()
SHIPPED = sorted(LEVELS.glob("*.toml"))
README = LEVELS / "README.md"

# gd on x² from -2.5 with lr 0.3 shrinks x by 0.4 a step and never crosses 0; at lr ×2 (0.6)
# the factor is -0.2, so after 5 steps x = -2.5 · (-0.2)⁵ = +0.0008; at ×½ it is 0.7: no crossing.
TINY = """\
title = "Tiny"
lesson = "One ball on a parabola."
[surface]
name = "parabola"
[[ball]]
label = "gd"
optimizer = "gd"
start = [-2.5]
hyper = {{ lr = 0.3 }}
{balls}
{stochastic}
[check]
steps = 5
[[check.expect]]
ball = "gd"
quantity = "x"
below = 0
{robust}
"""


def tiny(folder: Path, name: str = "tiny.toml", robust: str = "", balls: str = "", stochastic: str = "") -> Path:
    path = folder / name
    path.write_text(TINY.format(robust=robust, balls=balls, stochastic=stochastic), encoding="utf-8")
    return path


# --- learning rates ---------------------------------------------------------------------------


def test_a_claim_true_only_at_the_shipped_learning_rate_fails_at_twice_it(tmp_path):
    level = load_level(tiny(tmp_path))
    result = check_robust(level)
    assert (result.runs, result.failed_runs) == (3, 1)
    assert result.failures == ["lr ×2: gd is at x = 0.0008 after 5 steps (wanted below 0)"]
    assert summary(level, result) == ("tiny: FAILED in 1 of 3 runs; first: "
                                      "lr ×2: gd is at x = 0.0008 after 5 steps (wanted below 0)")


def test_a_stated_narrower_range_is_what_is_played(tmp_path):
    level = load_level(tiny(tmp_path, robust="[check.robust]\nlr_factors = [0.8, 1.25]"))
    assert [v.name for v in variants(level)] == ["as shipped", "lr ×0.8", "lr ×1.25"]
    assert [v.level.balls[0].hyper["lr"] for v in variants(level)] == pytest.approx([0.3, 0.24, 0.375])
    assert check_robust(level).passed
    assert summary(level, check_robust(level)) == "tiny: ok (3 runs)"


def test_lr_balls_scales_only_the_named_balls_and_defaults_come_from_the_optimizer(tmp_path):
    other = '[[ball]]\nlabel = "adam"\noptimizer = "adam"\nstart = [1.0]\n'
    level = load_level(tiny(tmp_path, balls=other, robust='[check.robust]\nlr_balls = ["adam"]'))
    doubled = variants(level)[2]
    assert doubled.name == "lr ×2 on adam"
    assert [b.hyper.get("lr") for b in doubled.level.balls] == [0.3, 2 * 0.001]  # adam's default lr is 0.001
    assert check_robust(level).passed  # gd keeps its learning rate, so its claim holds
    everyone = variants(load_level(tiny(tmp_path, "all.toml", balls=other)))[1]
    assert [b.hyper["lr"] for b in everyone.level.balls] == [0.15, 0.0005]


def test_a_level_without_a_robust_table_gets_the_default_changes(tmp_path):
    level = load_level(tiny(tmp_path, robust=""))
    assert level.check.robust == check_spec.Robust((0.5, 2.0), (), 0.0, 1)
    assert [v.name for v in variants(level)] == ["as shipped", "lr ×0.5", "lr ×2"]


# --- starts ---------------------------------------------------------------------------------------


def test_starts_move_in_eight_directions_and_stay_inside_the_view(tmp_path):
    path = tmp_path / "corner.toml"
    path.write_text(TINY.format(balls="", stochastic="", robust="[check.robust]\nstart_radius = 0.5")
                    .replace('name = "parabola"', 'name = "bowl"')
                    .replace("start = [-2.5]", "start = [-4, 3.8]")
                    .replace('quantity = "x"\nbelow = 0', 'quantity = "distance_to_start"\nabove = 0'),
                    encoding="utf-8")
    level = load_level(path)
    moved = variants(level)[3:]
    assert [v.name for v in moved][:3] == ["start moved 0.5 at 0°", "start moved 0.5 at 45°", "start moved 0.5 at 90°"]
    assert len(moved) == robustness.DIRECTIONS
    starts = np.array([v.level.balls[0].start for v in moved])
    (x_low, x_high), (y_low, y_high) = level.view
    assert (starts[:, 0] >= x_low).all() and (starts[:, 1] <= y_high).all()
    assert starts[0].tolist() == pytest.approx([-3.5, 3.8])  # moved right by 0.5
    assert starts[2].tolist() == pytest.approx([-4, 4])  # up by 0.5, kept at the top edge
    assert check_robust(level).passed  # distance_to_start counts from the moved start


def test_one_d_starts_move_both_ways_and_skip_where_the_surface_is_undefined(tmp_path):
    path = tmp_path / "log.toml"
    path.write_text(TINY.format(balls="", stochastic="", robust="[check.robust]\nstart_radius = 0.1")
                    .replace('name = "parabola"', 'expr = "x - log(x)"')
                    .replace("start = [-2.5]", "start = [0.05]")
                    .replace('quantity = "x"\nbelow = 0', 'quantity = "x"\nabove = 0'), encoding="utf-8")
    level = load_level(path)
    names = [v.name for v in variants(level)]
    assert names == ["as shipped", "lr ×0.5", "lr ×2", "start moved +0.1"]  # x = -0.05 has no log
    assert variants(level)[3].level.balls[0].start == pytest.approx((0.15,))
    assert variants(level, wide=True)[-2:][0].name.startswith("start moved")


# --- seeds -------------------------------------------------------------------------------------------


def test_noisy_levels_play_every_change_with_twenty_seeds(tmp_path):
    level = load_level(tiny(tmp_path, stochastic="[stochastic]\nnoise = 0.5\nseed = 7"))
    assert level.check.robust.seeds == check_spec.MIN_NOISY_SEEDS == 20
    runs = variants(level)
    assert len(runs) == 3 * 20
    assert {v.level.seed for v in runs} == set(range(7, 27))
    assert runs[0].name == "as shipped" and runs[1].name == "seed 8" and runs[20].name == "lr ×0.5, seed 7"


def test_a_claim_that_holds_for_one_seed_only_is_caught_and_named(tmp_path):
    # Noise this big makes "x below 0 after 5 steps" a coin toss: some seeds break it.
    path = tiny(tmp_path, stochastic="[stochastic]\nnoise = 3.0\nseed = 0",
                robust="[check.robust]\nlr_factors = [1.0]\nseeds = 20")
    result = check_robust(load_level(path))
    assert result.runs == 40 and 0 < result.failed_runs < 40
    assert all(re.match(r"(seed \d+|lr ×1, seed \d+|as shipped): gd is at x = ", line) for line in result.failures)
    assert check_robust(load_level(path)) == result  # the same seeds give the same verdict


def test_the_wide_sweep_plays_more_factors_directions_and_seeds(tmp_path):
    level = load_level(tiny(tmp_path, stochastic="[stochastic]\nnoise = 0.1",
                            robust="[check.robust]\nstart_radius = 0.2"))
    narrow, wide = variants(level), variants(level, wide=True)
    assert len(narrow) == (1 + 2 + 2) * 20
    factors = {float(m.group(1)) for v in wide if (m := re.match(r"lr ×([\d.]+)", v.name))}
    assert min(factors) == 0.5 and max(factors) == 2 and len(factors) >= 6
    assert {v.level.seed for v in wide} == set(range(robustness.WIDE_SEEDS))
    assert len(wide) == (1 + len(factors) + 4) * robustness.WIDE_SEEDS


# --- the report, the README and the shipped levels -----------------------------------------------


def test_report_lines_and_status(tmp_path):
    good = tiny(tmp_path, "good.toml", robust="[check.robust]\nlr_factors = [0.5, 1.5]")
    bad = tiny(tmp_path, "bad.toml")
    unreadable = tmp_path / "missing.toml"
    assert check_lessons_report([good]) == (["good: ok (3 runs)"], 0)
    lines, status = check_lessons_report([good, bad])
    assert status == 1 and lines[1].startswith("bad: FAILED in 1 of 3 runs; first: lr ×2: ")
    lines, status = check_lessons_report([bad, unreadable, good])
    assert status == 2 and lines[1].startswith(f"{unreadable}: file: ") and len(lines) == 3
    lines, _ = check_lessons_report([tmp_path])  # a folder: every *.toml inside, sorted
    assert [line.split(":")[0] for line in lines] == ["bad", "good"]


def test_readme_example_uses_every_robust_field_and_survives_its_changes(tmp_path):
    example = re.findall(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)[0]
    data = __import__("tomllib").loads(example)
    assert set(data["check"]["robust"]) == set(check_spec.ROBUST_FIELDS)
    assert "no_stars_within" in data["goal"]
    path = tmp_path / "example.toml"
    path.write_text(example, encoding="utf-8")
    level = load_level(path)
    assert level.no_stars_within == data["goal"]["no_stars_within"]
    result = check_robust(level)
    assert result.passed, "\n".join(result.failures[:10])


def test_no_stars_within_defaults_to_none(tmp_path):
    assert load_level(tiny(tmp_path)).no_stars_within is None


def test_module_examples_hold():
    failures, tried = doctest.testmod(robustness)
    assert tried >= 2 and failures == 0


def narrowed(level) -> bool:
    factors = level.check.robust.lr_factors
    return min(factors) > check_spec.DEFAULT_LR_FACTORS[0] or max(factors) < check_spec.DEFAULT_LR_FACTORS[1]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_a_level_that_narrows_the_learning_rates_says_so_in_its_text(path):
    level = load_level(path)
    if narrowed(level):
        assert re.search(r"at th(is|ese) learning rates?", level.lesson.en, re.I), \
            f"{level.id} narrows lr_factors to {level.check.robust.lr_factors}: its lesson must say 'at this learning rate'"


def test_every_shipped_lesson_survives_small_changes():
    lines, status = check_lessons_report()
    assert len(lines) == len(SHIPPED)
    assert status == 0, "\n".join(lines)


@pytest.mark.slow
def test_every_shipped_lesson_survives_a_wider_sweep():
    lines, status = check_lessons_report(wide=True)
    assert status == 0, "\n".join(lines)
