"""The tiny_net surface: a two-weight network whose slopes come from backpropagation."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

import gdviz
from gdviz.core import backprop_stages, robustness, stages, tiny_net
from gdviz.core.lessons import run_check
from gdviz.core.levels import LevelError, builtin_levels_dir, load_level, make_race
from gdviz.core.session import PlaySession
from gdviz.core.commands import Action, Command
from gdviz.core.sim import BallSpec, Race
from gdviz.core.surfaces import _hessian, critical_point, get

SURFACE = get("tiny_net")
X, Y = SURFACE.data_x, SURFACE.data_y
RNG = np.random.default_rng(5)
POINTS = RNG.uniform([-4, -3], [4, 3], (25, 2))


def by_hand(points: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The gradient of mean (w₂·tanh(w₁x) − y)², written out in one line per weight (no tape)."""
    w1, w2 = points[:, :1], points[:, 1:]
    t = np.tanh(w1 * x)
    r = w2 * t - y
    return np.stack([np.mean(2 * r * w2 * (1 - t**2) * x, axis=1), np.mean(2 * r * t, axis=1)], axis=1)


def central(points: np.ndarray, h: float = 1e-6) -> np.ndarray:
    out = np.empty_like(points)
    for i in range(2):
        step = np.zeros(2)
        step[i] = h
        out[:, i] = (SURFACE.value(points + step) - SURFACE.value(points - step)) / (2 * h)
    return out


# --- the data --------------------------------------------------------------------------------


def test_shipped_data_is_what_the_teacher_makes():
    assert tiny_net.DATA_FILE.read_text(encoding="utf-8") == tiny_net.dataset_csv(*tiny_net.make_dataset(**tiny_net.TEACHER))
    assert X.shape == Y.shape == (40,) and 30 <= X.size <= 60
    assert np.all(np.diff(X) > 0) and np.abs(X).max() <= 2.5
    teacher = 1.2 * np.tanh(1.5 * X)
    assert 0.08 < np.std(Y - teacher) < 0.25  # the noise is there, and small


# --- forward and backward --------------------------------------------------------------------------


def test_forward_stores_every_node():
    tape = tiny_net.forward(np.array([0.5, -1.0]), np.array([2.0, 0.3]), X[:3], Y[:3])
    np.testing.assert_array_equal(tape.z, np.array([[0.5], [-1.0]]) * X[:3])
    np.testing.assert_array_equal(tape.h, np.tanh(tape.z))
    np.testing.assert_array_equal(tape.yhat, np.array([[2.0], [0.3]]) * tape.h)
    np.testing.assert_allclose(tape.loss, np.mean((tape.yhat - Y[:3]) ** 2, axis=1), rtol=1e-15)


def test_backward_walks_the_chain_rule_node_by_node():
    tape = tiny_net.forward(np.array([0.7]), np.array([-1.1]), X, Y)
    g = tiny_net.backward(tape)
    np.testing.assert_allclose(g.dyhat, 2 * (tape.yhat - Y), rtol=1e-15)
    np.testing.assert_allclose(g.dw2, np.mean(g.dyhat * tape.h, axis=1), rtol=1e-15)
    np.testing.assert_allclose(g.dh, g.dyhat * -1.1, rtol=1e-15)
    np.testing.assert_allclose(g.dtanh, 1 - tape.h**2, rtol=1e-15)
    np.testing.assert_allclose(g.dz, g.dh * g.dtanh, rtol=1e-15)
    np.testing.assert_allclose(g.dw1, np.mean(g.dz * X, axis=1), rtol=1e-15)


def test_backprop_gradient_matches_the_formula_and_central_differences():
    np.testing.assert_allclose(SURFACE.grad(POINTS), by_hand(POINTS, X, Y), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(SURFACE.grad(POINTS), central(POINTS), rtol=1e-6, atol=1e-7)


def test_gradient_matches_torch_autograd():
    torch = pytest.importorskip(
        "torch", reason="torch is not installed: the comparison with torch.autograd needs it (the core never does)")
    for w1, w2 in POINTS:
        weights = torch.tensor([w1, w2], dtype=torch.float64, requires_grad=True)
        x, y = torch.tensor(X, dtype=torch.float64), torch.tensor(Y, dtype=torch.float64)
        loss = torch.mean((weights[1] * torch.tanh(weights[0] * x) - y) ** 2)
        loss.backward()
        ours = SURFACE.grad(np.array([w1, w2]))
        np.testing.assert_allclose(ours, weights.grad.numpy(), rtol=1e-12, atol=1e-15)
        assert float(SURFACE.value(np.array([w1, w2]))) == pytest.approx(float(loss), rel=1e-12)


def test_grid_evaluation_in_chunks_equals_point_by_point():
    grid = RNG.uniform(-4, 4, (70, 90, 2))  # 6300 points: more than one chunk
    values = SURFACE.value(grid)
    assert values.shape == (70, 90)
    np.testing.assert_allclose(values[13, 17], SURFACE.value(grid[13, 17]), rtol=1e-15)
    np.testing.assert_allclose(SURFACE.grad(grid)[69, 89], SURFACE.grad(grid[69, 89]), rtol=1e-15)


# --- mini-batches ---------------------------------------------------------------------------------


def test_batch_gradients_use_only_their_samples():
    batches = np.array([[0, 5, 9, 30], [1, 2, 3, 4]])
    got = SURFACE.batch_grad(POINTS[:2], batches)
    for row in range(2):
        np.testing.assert_allclose(got[row], by_hand(POINTS[row:row + 1], X[batches[row]], Y[batches[row]])[0],
                                   rtol=1e-12)
    single = SURFACE.batch_grad(POINTS[:1], np.array([[7]]))
    np.testing.assert_allclose(single[0], by_hand(POINTS[:1], X[7:8], Y[7:8])[0], rtol=1e-12)
    everything = SURFACE.batch_grad(POINTS[:3], np.tile(np.arange(40), (3, 1)))
    np.testing.assert_allclose(everything, SURFACE.grad(POINTS[:3]), rtol=1e-12)


def test_each_ball_may_have_its_own_batch_size_and_the_preview_names_its_samples():
    start = (0.3, 2.2)
    specs = [BallSpec("gd", {"lr": 0.3}, start=start), BallSpec("gd", {"lr": 0.3}, start=start, batch_size=4),
             BallSpec("gd", {"lr": 0.3}, start=start, batch_size=1)]
    race = Race(SURFACE, specs, seed=3)
    for index, size in ((0, None), (1, 4), (2, 1)):
        grad, batches = race.preview_draw(index)
        assert (batches is None) == (size is None) and (batches is None or batches.shape == (1, size))
        expected = SURFACE.grad(np.array([start])) if batches is None else SURFACE.batch_grad(np.array([start]), batches)
        np.testing.assert_array_equal(grad, expected)
    grad, _ = race.preview_draw(2)
    race.step()
    np.testing.assert_array_equal(race.balls[2].trace.grad, grad)  # the preview is what the step used
    np.testing.assert_array_equal(race.balls[0].trace.grad, SURFACE.grad(np.array([start])))
    race.set_optimizer(1, "momentum", lr=0.1)  # a swap keeps the ball's batch size
    assert race.specs[1].batch_size == 4


def test_same_seed_same_mini_batches():
    a = gdviz.simulate("tiny_net", "gd", start=(0.3, 2.2), steps=30, batch_size=4, seed=9, lr=0.3)
    b = gdviz.simulate("tiny_net", "gd", start=(0.3, 2.2), steps=30, batch_size=4, seed=9, lr=0.3)
    c = gdviz.simulate("tiny_net", "gd", start=(0.3, 2.2), steps=30, batch_size=4, seed=10, lr=0.3)
    np.testing.assert_array_equal(a.positions, b.positions)
    assert not np.array_equal(a.positions, c.positions)


# --- its special points -------------------------------------------------------------------------


def test_two_mirror_minima_a_saddle_at_the_origin_and_flat_land():
    first, second = SURFACE.minima
    np.testing.assert_array_equal(np.array(second.location), -np.array(first.location))
    assert first.value == second.value and first.is_global and second.is_global
    assert first.location == pytest.approx((1.3926, 1.2512), abs=1e-4) and first.value == pytest.approx(0.02373, abs=1e-5)
    (saddle,) = SURFACE.saddles
    assert saddle.location == (0.0, 0.0) and saddle.value == pytest.approx(np.mean(Y**2), rel=1e-12)
    eig = np.linalg.eigvalsh(_hessian(SURFACE.grad, np.zeros(2)))
    np.testing.assert_allclose(eig, [-2 * np.mean(X * Y), 2 * np.mean(X * Y)], rtol=1e-6)  # Hessian [[0, −c], [−c, 0]]
    assert critical_point(SURFACE, (0.1, -0.05))[1] == "saddle"
    side, mirror, axis = SURFACE.flats
    assert side.box[0] == (pytest.approx(2.3), 4.0) and mirror.box[0] == (-4.0, pytest.approx(-2.3))
    for w2 in np.linspace(0.25, 3, 12):  # beyond |w₁| = 2.3 the slope along w₁ is under a tenth of its peak at that w₂
        row = np.abs(SURFACE.grad(np.stack([np.linspace(-4, 4, 321), np.full(321, w2)], 1))[:, 0])
        for w1 in (2.5, 3.0, 4.0):
            along = np.abs(SURFACE.grad(np.array([[w1, w2], [-w1, -w2]]))[:, 0])
            assert np.all(along < side.share * row.max())
    assert axis.share == 0.0 and np.all(SURFACE.grad(np.stack([np.linspace(-4, 4, 9), np.zeros(9)], 1))[:, 0] == 0)


def test_the_same_function_at_both_minima():
    first, second = (np.array(m.location) for m in SURFACE.minima)
    x = np.linspace(-3, 3, 50)
    np.testing.assert_array_equal(SURFACE.predict(first, x), SURFACE.predict(second, x))


def test_simulate_trains_the_network():
    run = gdviz.simulate("tiny_net", "momentum", start=(0.4, -0.34), steps=400, lr=0.02)
    assert run.losses[0] > 1.0 and run.losses[-1] < 0.0238
    assert np.linalg.norm(run.positions[-1] - np.array(SURFACE.minima[0].location)) < 0.01


# --- step-by-step: the backward pass as stages ------------------------------------------------------


def test_backprop_stages_carry_the_real_numbers():
    params, batch = np.array([[0.5, -0.4]]), np.array([[3, 7, 20, 30]])
    views = backprop_stages.play(SURFACE, params, batch)
    assert [v.key for v in views] == ["forward", "d_yhat", "d_w2", "d_h", "d_z", "d_w1"]
    values = views[0].values
    np.testing.assert_array_equal(values["backprop_g"], SURFACE.batch_grad(params, batch))
    np.testing.assert_array_equal(values["g_w2"], [[0.0, values["backprop_g"][0, 1]]])
    h = np.tanh(0.5 * X[3])
    assert values["x0"][0, 0] == X[3] and values["h0"][0, 0] == h
    assert values["dyhat0"][0, 0] == 2 * (-0.4 * h - Y[3])
    assert values["dyhat_mean"][0, 0] == pytest.approx(np.mean(2 * (-0.4 * np.tanh(0.5 * X[batch[0]]) - Y[batch[0]])))
    caption = views[2].caption("en")
    assert stages.format_value(values["dw2"][0]) in caption and "mean" in caption
    assert stages.format_value(values["dtanh0"][0]) in views[4].caption("zh")
    assert "4" in views[0].caption("zh") and "前向传播" in views[0].caption("zh")
    assert backprop_stages.play(get("bowl"), params, None) == ()


def test_step_mode_on_a_network_level_opens_with_the_backward_pass():
    level = load_level(builtin_levels_dir() / "18-mini-batches.toml")
    session = PlaySession([level], 0)
    session.apply(Action(Command.NEXT_BALL))
    session.apply(Action(Command.NEXT_BALL))  # the one-point ball
    session.apply(Action(Command.STEP_MODE))
    views = session.step_mode.views
    keys = [v.key for v in views]
    assert keys[:6] == ["forward", "d_yhat", "d_w2", "d_h", "d_z", "d_w1"] and keys[-1] == "move"
    assert views[0].values["n"] == 1
    g = next(v for v in views if v.key == "grad").values["g"]
    np.testing.assert_array_equal(g, views[0].values["backprop_g"])  # the optimizer steps on the backprop slope
    np.testing.assert_array_equal(views[0].values["next"], views[-1].values["next"])
    ball = session.race.balls[session.selected]
    before = ball.position.copy()
    for _ in range(len(views) - 1):
        session.apply(Action(Command.STEP))
    np.testing.assert_array_equal(session.race.balls[session.selected].position, views[-1].values["next"])
    assert not np.array_equal(before, views[-1].values["next"])


def test_a_ball_batch_size_is_only_for_data_surfaces(tmp_path):
    text = (builtin_levels_dir() / "18-mini-batches.toml").read_text(encoding="utf-8")
    path = tmp_path / "bad.toml"
    path.write_text(text.replace('name = "tiny_net"', 'name = "bowl"'), encoding="utf-8")
    with pytest.raises(LevelError, match=r"ball\[2\]\.batch_size: only for data surfaces"):
        load_level(path)
    path.write_text(text.replace("batch_size = 4", "batch_size = 41"), encoding="utf-8")
    with pytest.raises(LevelError, match=r"ball\[2\]\.batch_size"):
        load_level(path)


def test_network_levels_check_their_batches_with_seeds():
    level = load_level(builtin_levels_dir() / "18-mini-batches.toml")
    assert [b.batch_size for b in level.balls] == [None, 4, 1] and level.check.robust.seeds == 20
    race = make_race(level)
    assert [s.batch_size for s in race.specs] == [None, 4, 1]


# --- what the step-by-step captions say ---------------------------------------------------------------


@pytest.mark.parametrize("batch", [None, np.array([[3, 7, 20, 30]]), np.array([[5]])])
def test_captions_use_l_for_one_point_and_define_it_in_the_first_stage(batch):
    views = backprop_stages.play(SURFACE, np.array([[0.5, -0.4]]), batch)
    for lang in ("en", "zh"):
        captions = [v.caption(lang) for v in views]
        assert "ℓ = (ŷ − y)²" in captions[0] and all("ℓ = (ŷ − y)²" not in c for c in captions[1:])
        assert "∂ℓ/∂ŷ = 2(ŷ − y)" in captions[1] and not any("∂L/∂ŷ" in c or "∂L/∂h" in c or "∂L/∂z" in c
                                                              for c in captions)
        assert "∂ℓ/∂w₂ = ∂ℓ/∂ŷ · h" in captions[2] and "∂L/∂w₂" in captions[2]
        assert "∂ℓ/∂w₁ = ∂ℓ/∂z · x" in captions[5]


def test_captions_say_which_loss_and_count_their_points_in_good_english():
    params = np.array([[0.5, -0.4]])
    whole, batch, one = (backprop_stages.play(SURFACE, params, b)[0] for b in (None, np.array([[3, 7, 20, 30]]),
                                                                             np.array([[5]])))
    assert "all 40 data points" in whole.caption("en") and "the loss on all the data is L" in whole.caption("en")
    loss = stages.format_value(batch.values["loss"][0])
    assert f"the loss on this batch is L = mean of ℓ = {loss} (the panel shows the loss on all 40 points)" \
        in batch.caption("en")
    assert "这一批上的损失" in batch.caption("zh") and "面板上的损失是全部 40 个点上的" in batch.caption("zh")
    text = one.caption("en")
    assert "this step's one data point" in text and "the loss on this one point is L = ℓ" in text
    for view in backprop_stages.play(SURFACE, params, np.array([[5]])):
        assert not re.search(r"\b1 (data )?points\b|first of 1\b|first point|on average", view.caption("en"))


# --- level 17: what its lesson says is what the balls do ----------------------------------------------


def level_17_path():
    race = make_race(load_level(builtin_levels_dir() / "17-training-a-network.toml"), history_bytes=0)
    path = [np.array([b.position[0] for b in race.balls])]
    for _ in range(700):
        race.step()
        path.append(np.array([b.position[0] for b in race.balls]))
    return race, np.array(path)


def test_level_17_mirror_ball_is_the_momentum_ball_turned_round_with_the_same_curve():
    race, path = level_17_path()
    labels = [s.label for s in load_level(builtin_levels_dir() / "17-training-a-network.toml").balls]
    momentum, mirror = labels.index("momentum"), labels.index("mirror")
    home = int(race.balls[momentum].goal_since[0])
    assert 20 < home < 100  # momentum enters the ring for good, and stops there after settling
    rolling = path[:home + 1]
    np.testing.assert_array_equal(rolling[:, mirror], -rolling[:, momentum])  # exactly the negatives
    x = np.linspace(-2.5, 2.5, 50)
    for t in range(0, home, 5):
        np.testing.assert_allclose(SURFACE.predict(rolling[t, mirror], x), SURFACE.predict(rolling[t, momentum], x),
                                   rtol=0, atol=1e-15)  # the same curve, since tanh is odd
    text = load_level(builtin_levels_dir() / "17-training-a-network.toml").lesson
    assert "same loss" in text.en and "the same curve" in text.en and "stops in the ring" in text.en


def test_level_17_plain_gd_passes_the_saddle_and_crawls_along_the_valley_floor():
    race, path = level_17_path()
    gd = path[:, 0]
    distance = np.linalg.norm(gd, axis=1)  # the saddle is the origin
    assert distance.min() > 0.2 and np.linalg.norm(SURFACE.grad(gd[distance.argmin()])) > 0.5  # no lingering
    slopes = np.linalg.norm(SURFACE.grad(gd[200:]), axis=1)
    assert slopes.max() < 0.06  # after step 200: the nearly flat valley floor...
    assert SURFACE.value(gd[200]) < 1.3 * SURFACE.minima[0].value  # ...already low...
    home = int(race.balls[0].goal_since[0])
    assert 600 < home < 700  # ...and hundreds of steps more to the ring
    text = load_level(builtin_levels_dir() / "17-training-a-network.toml").lesson
    assert "linger" not in text.en and "磨蹭" not in text.zh and "flat floor" in text.en


def test_level_17_claims_other_than_the_mirror_hold_with_moved_starts():
    level = load_level(builtin_levels_dir() / "17-training-a-network.toml")
    assert level.check.robust.start_radius == 0  # moving every start the same way breaks the mirror
    moved = dataclasses.replace(level, check=dataclasses.replace(
        level.check, robust=dataclasses.replace(level.check.robust, start_radius=0.02)))
    for variant in robustness._start_variants(moved, wide=True):
        failed = [line for line in run_check(variant.level).lines if line.endswith("FAILED")]
        assert all(line.startswith("mirror") for line in failed), (variant.name, failed)


# --- level 18: its hint's key presses do what it says ----------------------------------------------


def test_level_18_hint_picks_the_one_point_ball_by_tapping_it():
    """The hint once said one Tab picks the one-point ball (it picks the batch of 4); now it
    says to tap or click that ball, which selects exactly it."""
    level = load_level(builtin_levels_dir() / "18-mini-batches.toml")
    assert "Tap or click the one-point ball" in level.hint.en and "点一下“一个点”球" in level.hint.zh
    session = PlaySession([level], 0)
    number = [ball.label for ball in level.balls].index("one point") + 1  # as shown on the ball
    session.apply(Action(Command.SELECT_BALL, number))
    assert level.balls[session.selected].label == "one point"
