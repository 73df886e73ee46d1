"""The race table: one CSV row per step and ball, exact numbers, no undone steps."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from gdviz.core.sim import BallSpec, Goal, Race
from gdviz.core.surfaces import get
from gdviz.core.tables import RaceRecorder, snapshot_rows, to_csv_text


def adam_and_gd(surface: str = "bowl") -> Race:
    return Race(get(surface), [BallSpec("adam", {"lr": 0.1}), BallSpec("gd", {"lr": 0.1})])


def parse(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


def of_ball(rows: list[dict[str, str]], ball: int) -> list[dict[str, str]]:
    return [r for r in rows if r["ball"] == str(ball)]


@pytest.fixture
def rewound_table() -> tuple[Race, list[str], list[dict[str, str]]]:
    """10 steps, 3 undone, gd's learning rate changed, 2 more steps: steps 0..9 remain."""
    race, recorder = adam_and_gd(), RaceRecorder()
    recorder.record(race)
    recorder.step(race, 10)
    race.rewind(3)
    recorder.forget_after(race.step_count)
    race.set_hyper(1, lr=0.05)  # so redone steps differ from the undone ones
    recorder.step(race, 2)
    return race, *parse(to_csv_text(recorder.rows()))


def test_header_has_the_fixed_columns_and_each_optimizers_quantities(rewound_table):
    _, header, _ = rewound_table
    assert header[:9] == ["step", "ball", "label", "optimizer", "lr", "x", "y", "loss", "status"]
    for name in ("grad_x", "grad_y", "update_x", "velocity_x", "squares_x", "exp_avg_x", "exp_avg_sq_y"):
        assert name in header
    assert "max_exp_avg_sq_x" not in header  # amsgrad is off, so that array is unused zeros
    assert len(header) == len(set(header))


def test_every_ball_has_steps_0_to_9_once_and_no_undone_rows(rewound_table):
    _, _, rows = rewound_table
    for ball in (1, 2):
        assert [int(r["step"]) for r in of_ball(rows, ball)] == list(range(10))
    gd = of_ball(rows, 2)
    assert [r["lr"] for r in gd[1:]] == ["0.1"] * 7 + ["0.05"] * 2


def test_positions_and_losses_match_the_race_exactly(rewound_table):
    race, _, rows = rewound_table
    for ball in (1, 2):
        path = race.balls[ball - 1].trail(10)[:, 0]
        table = of_ball(rows, ball)
        assert [float(r["x"]) for r in table] == path[:, 0].tolist()
        assert [float(r["y"]) for r in table] == path[:, 1].tolist()
        assert [float(r["loss"]) for r in table] == race.surface.value(path).tolist()


def test_state_columns_hold_the_optimizers_own_arrays(rewound_table):
    race, _, rows = rewound_table
    adam, gd = of_ball(rows, 1)[-1], of_ball(rows, 2)[-1]
    state, trace = race.balls[0].state, race.balls[0].trace
    assert float(adam["exp_avg_x"]) == state["exp_avg"][0, 0]
    assert float(adam["exp_avg_sq_y"]) == state["exp_avg_sq"][0, 1]
    assert float(adam["grad_y"]) == trace.grad[0, 1]
    assert float(gd["grad_x"]) == race.balls[1].trace.grad[0, 0]
    assert gd["exp_avg_x"] == gd["velocity_x"] == gd["squares_x"] == ""
    assert adam["optimizer"] == "adam" and gd["label"] == "gd" and gd["status"] == "running"


def test_step_zero_has_a_position_but_no_step_quantities():
    race = adam_and_gd()
    _, rows = parse(to_csv_text(snapshot_rows(race)))
    assert [(r["step"], r["ball"]) for r in rows] == [("0", "1"), ("0", "2")]
    assert rows[0]["x"] == "-3.0" and rows[0]["loss"] == "27.0"
    assert rows[0]["lr"] == rows[0]["grad_x"] == "" and rows[0]["exp_avg_x"] == "0.0"


def test_snapshot_shows_the_current_step():
    race = adam_and_gd()
    race.step(4)
    _, rows = parse(to_csv_text(snapshot_rows(race)))
    assert {r["step"] for r in rows} == {"4"} and len(rows) == 2


def test_a_one_dimensional_surface_leaves_y_empty():
    race = Race(get("parabola"), [BallSpec("momentum", {"lr": 0.1})])
    recorder = RaceRecorder()
    recorder.step(race, 3)
    header, rows = parse(to_csv_text(recorder.rows()))
    assert "y" in header and "grad_y" in header
    assert [r["y"] for r in rows] == [""] * 3 and [r["grad_y"] for r in rows] == [""] * 3
    assert float(rows[-1]["x"]) == race.balls[0].position[0, 0]
    assert float(rows[-1]["buf_x"]) == race.balls[0].state["buf"][0, 0]


def test_recording_the_same_step_twice_keeps_one_row_per_ball():
    race, recorder = adam_and_gd(), RaceRecorder()
    recorder.step(race, 2)
    race.set_hyper(0, lr=0.2)
    recorder.record(race)
    recorder.record(race)
    assert [r["step"] for r in recorder.rows()] == [1, 1, 2, 2]


def test_the_cap_keeps_only_the_newest_rows():
    race, recorder = adam_and_gd(), RaceRecorder(max_rows=7)
    recorder.step(race, 10)
    assert recorder.truncated
    steps = [r["step"] for r in recorder.rows()]
    assert len(recorder) == len(steps) == 7
    assert steps == [7, 8, 8, 9, 9, 10, 10]  # the oldest rows went first


def test_forgetting_works_across_storage_blocks():
    race = Race(get("bowl"), [BallSpec(name, {"lr": 0.01}) for name in ("gd", "adam", "rmsprop", "adagrad")],
                history_bytes=2**26)
    recorder = RaceRecorder()
    recorder.step(race, 1100)  # 4400 rows: more than one 4096-row block
    race.rewind(200)
    recorder.forget_after(race.step_count)
    steps = recorder.rows().step
    assert len(recorder) == 3600 and steps.max() == 900 and not recorder.truncated
    assert np.all(np.diff(steps) >= 0)


def test_swarms_are_skipped_but_ball_numbers_stay_true():
    swarm = BallSpec("gd", {"lr": 0.1}, start=np.zeros((5, 2)))
    race = Race(get("bowl"), [swarm, BallSpec("gd", {"lr": 0.1})])
    recorder = RaceRecorder()
    recorder.step(race, 2)
    assert [(r["step"], r["ball"]) for r in recorder.rows()] == [(1, 2), (2, 2)]


def test_a_finished_ball_shows_no_fresh_gradient():
    race = Race(get("bowl"), [BallSpec("gd", {"lr": 0.1})], goal=Goal((0.0, 0.0), 1.0))
    recorder = RaceRecorder()
    recorder.step(race, 30)
    rows = list(recorder.rows())
    done = [r for r in rows if r["status"] == "goal"]
    assert done and "grad_x" in done[0] and "lr" in done[0]  # the step that got there
    assert all("grad_x" not in r and "lr" not in r for r in done[1:])
    assert len({r["x"] for r in done}) == 1


def test_numbers_read_back_bit_for_bit():
    race = Race(get("rosenbrock"), [BallSpec("adam", {"lr": 0.01})])
    recorder = RaceRecorder()
    recorder.step(race, 25)
    _, rows = parse(to_csv_text(recorder.rows()))
    stored = recorder.rows()
    for row, original in zip(rows, stored):
        assert float(row["update_x"]) == original["update_x"]
        assert float(row["squares_y"]) == original["squares_y"]


def test_max_rows_must_be_positive():
    with pytest.raises(ValueError, match="max_rows"):
        RaceRecorder(max_rows=0)


def test_forget_after_alone_drops_the_undone_steps():
    race, recorder = adam_and_gd(), RaceRecorder()
    recorder.step(race, 10)
    race.rewind(3)
    recorder.forget_after(race.step_count)
    assert max(r["step"] for r in recorder.rows()) == 7 and len(recorder) == 14


def test_labels_with_commas_and_quotes_survive_the_csv():
    race = Race(get("bowl"), [BallSpec("gd", {"lr": 0.1}, label='fast, "bold" ball')])
    _, rows = parse(to_csv_text(snapshot_rows(race)))
    assert rows[0]["label"] == 'fast, "bold" ball'


def test_an_empty_table_is_just_a_header():
    text = to_csv_text(RaceRecorder().rows())
    assert text == "step,ball,label,optimizer,lr,x,y,loss,status\n"


def test_a_ball_that_finished_on_this_step_keeps_its_numbers_after_a_rewind():
    from gdviz.core.sim import GOAL

    race = Race(get("bowl"), [BallSpec("gd", {"lr": 0.1}), BallSpec("gd", {"lr": 0.01})],
                goal=Goal((0.0, 0.0), 0.5))
    recorder = RaceRecorder()
    recorder.record(race)
    while race.balls[0].status[0] != GOAL:
        recorder.step(race)
    finish = race.step_count
    recorder.step(race, 2)
    race.rewind(2)
    recorder.record(race)  # what the game does after a rewind
    rows = list(csv.DictReader(io.StringIO(to_csv_text(recorder.rows()))))
    row = next(r for r in rows if r["step"] == str(finish) and r["ball"] == "1")
    assert row["status"] == "goal" and row["lr"] == "0.1" and row["grad_x"] != ""
    assert max(int(r["step"]) for r in rows) == finish
