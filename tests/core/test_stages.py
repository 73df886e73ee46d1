"""Step-by-step scripts: the numbers are the real update, the tables are complete and sound.

That the stages and `Optimizer.step` agree to the last bit is tested in test_one_rule.py.
"""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gdviz.core import optimizers
from gdviz.core.optimizers import make
from gdviz.core.stages import (GLYPH_KINDS, SCRIPTS, Stage, format_number, format_value, play,
                               quantities, script)

# Every method, and the settings that change which formulas (and stages) are used.
VARIANTS = [
    ("gd", {}),
    ("gd", {"weight_decay": 0.1}),
    ("momentum", {}),
    ("momentum", {"dampening": 0.3, "weight_decay": 0.05}),
    ("nesterov", {}),
    ("nesterov", {"momentum": 0.5, "weight_decay": 0.05}),
    ("adagrad", {}),
    ("adagrad", {"lr_decay": 0.1, "weight_decay": 0.05, "initial_accumulator_value": 0.2}),
    ("rmsprop", {}),
    ("rmsprop", {"centered": True}),
    ("rmsprop", {"momentum": 0.7}),
    ("rmsprop", {"centered": True, "momentum": 0.7, "weight_decay": 0.05}),
    ("adam", {}),
    ("adam", {"bias_correction": False}),
    ("adam", {"amsgrad": True}),
    ("adam", {"weight_decay": 0.05, "betas": (0.8, 0.95)}),
    ("adamw", {}),
    ("adamw", {"amsgrad": True, "bias_correction": False, "weight_decay": 0.2}),
    ("adadelta", {}),
    ("adadelta", {"rho": 0.8, "weight_decay": 0.05}),
]
IDS = [f"{name}-{'-'.join(hyper) or 'default'}" for name, hyper in VARIANTS]

ADAM_KEYS = ["decay_m", "decay_v", "grad", "grow_m", "grow_v", "bias_correct", "divide",
             "step", "move"]


def setup(name, hyper, seed=0, balls=4, dims=2, warmup=3):
    """Return optimizer, params, grad and a state after a few real steps with random slopes."""
    opt = make(name, lr=0.1, **hyper)
    rng = np.random.default_rng(seed)
    params = rng.normal(size=(balls, dims))
    state = opt.init(params)
    for _ in range(warmup):
        params, state, _ = opt.step(params, rng.normal(size=params.shape), state)
    return opt, params, rng.normal(size=params.shape), state


# --- purity and formatting ----------------------------------------------------------------


def test_stages_module_never_imports_pygame():
    code = ("import sys, gdviz.core.stages; "
            "sys.exit(1 if any(m.split('.')[0] == 'pygame' for m in sys.modules) else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).parents[2])
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("value, text", [
    (0.9, "0.9"), (0.999, "0.999"), (-4.5612, "−4.56"), (0.123456, "0.123"), (0, "0"),
    (1e-8, "1e−8"), (-2.5e-6, "−2.5e−6"), (1234.5, "1234"), (2.0, "2"), (float("inf"), "—"),
])
def test_format_number_uses_three_significant_figures(value, text):
    assert format_number(value) == text


def test_format_value_prints_vectors_in_brackets_and_1d_as_a_number():
    assert format_value(np.array([0.12345, -4.5612])) == "(0.123, −4.56)"
    assert format_value(np.array([0.5])) == "0.5"
    assert format_value(3) == "3"


# --- the numbers are the real update ------------------------------------------------------


@pytest.mark.parametrize("name", ["gd", "adam", "adagrad"])
def test_an_overridden_learning_rate_is_the_one_shown(name):
    opt, params, grad, state = setup(name, {})
    q = quantities(opt, params, grad, state, lr=0.03)
    np.testing.assert_array_equal(q["next"], opt.step(params, grad, state, lr=0.03)[0])
    assert q["lr"] == 0.03 and "0.03" in play(opt, params, grad, state, lr=0.03)[-2].caption()


def test_gd_by_hand():
    opt = make("gd", lr=0.1)
    p, g = np.array([[1.0, -2.0]]), np.array([[0.5, -4.0]])
    views = play(opt, p, g, opt.init(p))
    np.testing.assert_allclose(views[-1].values["step"], [[-0.05, 0.4]], rtol=1e-12)
    assert "(−0.05, 0.4)" in views[1].caption() and "(0.95, −1.6)" in views[-1].caption()


def test_weight_decay_is_folded_into_g_but_not_for_adamw():
    opt, params, grad, state = setup("adam", {"weight_decay": 0.05})
    np.testing.assert_allclose(quantities(opt, params, grad, state)["g"], grad + 0.05 * params)
    opt, params, grad, state = setup("adamw", {"weight_decay": 0.2})
    q = quantities(opt, params, grad, state)
    np.testing.assert_array_equal(q["g"], grad)
    np.testing.assert_allclose(q["p_decayed"], params * (1 - 0.1 * 0.2))


def test_first_momentum_step_copies_the_slope_like_torch():
    opt = make("momentum", lr=0.1, dampening=0.5)
    p, g = np.array([[1.0, 2.0]]), np.array([[3.0, -1.0]])
    q = quantities(opt, p, g, opt.init(p))
    np.testing.assert_array_equal(q["b"], g)
    np.testing.assert_array_equal(q["b_added"], g)


def test_inputs_are_not_changed():
    opt, params, grad, state = setup("rmsprop", {"centered": True, "momentum": 0.7})
    before = {k: np.copy(v) for k, v in state.items()}
    p0, g0 = params.copy(), grad.copy()
    play(opt, params, grad, state)
    np.testing.assert_array_equal(params, p0)
    np.testing.assert_array_equal(grad, g0)
    for key, value in before.items():
        np.testing.assert_array_equal(state[key], value)


# --- the tables are sound -----------------------------------------------------------------


def test_every_optimizer_has_a_script():
    assert set(SCRIPTS) == set(optimizers.names())


@pytest.mark.parametrize("name, hyper", VARIANTS, ids=IDS)
def test_glyphs_name_known_kinds_and_real_quantities(name, hyper):
    opt, params, grad, state = setup(name, hyper)
    q = quantities(opt, params, grad, state)
    for view in play(opt, params, grad, state):
        assert set(view.stage.show) <= set(GLYPH_KINDS), view.key
        assert set(view.stage.show.values()) <= set(q), view.key
        for kind, array in view.glyphs.items():
            assert array.shape == params.shape, (view.key, kind)
            np.testing.assert_array_equal(array, q[view.stage.show[kind]])


@pytest.mark.parametrize("name, hyper", VARIANTS, ids=IDS)
def test_captions_format_in_both_languages(name, hyper):
    opt, params, grad, state = setup(name, hyper)
    for view in play(opt, params, grad, state):
        english, chinese = view.caption("en"), view.caption("zh")
        assert english and chinese and english != chinese, view.key
        assert "{" not in english + chinese and "nan" not in english + chinese
        assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese), view.key
        assert view.caption("fr") == english  # an unknown language falls back to English


@pytest.mark.parametrize("name, hyper", VARIANTS, ids=IDS)
def test_each_update_plays_3_to_10_stages_ending_with_one_move(name, hyper):
    opt, params, grad, state = setup(name, hyper)
    views = play(opt, params, grad, state)
    keys = [v.key for v in views]
    assert 3 <= len(views) <= 10
    assert len(set(keys)) == len(keys), keys  # alternatives never both play
    assert [v.moved for v in views] == [False] * (len(views) - 1) + [True]
    # The ghost shows where the ball is going just before it moves there.
    np.testing.assert_array_equal(views[-2].glyphs["ghost"], views[-1].values["next"])
    np.testing.assert_array_equal(views[-1].values["next"], opt.step(params, grad, state)[0])


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_every_stage_plays_in_some_setting_and_conditions_are_real_settings(name):
    played = set()
    for variant, hyper in VARIANTS:
        if variant == name:
            played |= {id(s) for s in script(make(name, **hyper))}
    assert played == {id(s) for s in SCRIPTS[name]}
    for stage in SCRIPTS[name]:
        assert not stage.when or stage.when.removeprefix("no_") in make(name).hyper, stage.when


def test_stage_conditions():
    stage = Stage("k", "en", "zh", when="amsgrad")
    assert stage.applies({"amsgrad": True}) and not stage.applies({"amsgrad": False})
    negated = Stage("k", "en", "zh", when="no_momentum")
    assert negated.applies({"momentum": 0.0}) and not negated.applies({"momentum": 0.9})
    assert Stage("k", "en", "zh").applies({})


EXPECTED_KEYS = {
    "gd": ["grad", "scale", "move"],
    "momentum": ["decay", "add_grad", "step", "move"],
    "nesterov": ["lookahead_point", "decay", "add_grad", "lookahead", "step", "move"],
    "adagrad": ["grad", "grow_s", "divide", "step", "move"],
    "rmsprop": ["decay_v", "grow_v", "divide", "step", "move"],
    "adam": ADAM_KEYS,
    "adamw": ["shrink", *ADAM_KEYS],
    "adadelta": ["grad", "grow_v", "delta", "grow_u", "step", "move"],
}


@pytest.mark.parametrize("name", list(EXPECTED_KEYS))
def test_stage_order_with_default_settings(name):
    assert [s.key for s in script(make(name))] == EXPECTED_KEYS[name]


@pytest.mark.parametrize("hyper", [{}, {"bias_correction": False}, {"amsgrad": True},
                                   {"weight_decay": 0.1}])
def test_adam_order_is_the_same_in_every_setting(hyper):
    assert [s.key for s in script(make("adam", **hyper))] == ADAM_KEYS
    assert [s.key for s in script(make("adamw", **hyper))] == ["shrink", *ADAM_KEYS]


def test_rmsprop_variants_add_their_stages_in_place():
    keys = [s.key for s in script(make("rmsprop", centered=True, momentum=0.5))]
    assert keys == ["decay_v", "grow_v", "center", "divide", "velocity", "step", "move"]


# --- captions carry the actual numbers -----------------------------------------------------


def captions(name, seed=0, **hyper):
    opt, params, grad, state = setup(name, hyper, seed)
    views = play(opt, params, grad, state)
    return {v.key: v for v in views}, views[0].values


def test_adam_captions_show_the_real_numbers():
    views, q = captions("adam")
    assert "0.9" in views["decay_m"].caption() and "0.9" in views["decay_m"].caption("zh")
    assert format_value(q["m_decayed"][0]) in views["decay_m"].caption()
    assert format_value(q["m"][0]) in views["grow_m"].caption()
    assert "0.999" in views["decay_v"].caption()
    assert format_value(q["direction"][0]) in views["divide"].caption()
    assert format_value(q["step"][0]) in views["step"].caption()
    assert "step 4" in views["bias_correct"].caption()  # three warm-up steps, then this one
    changed, _ = captions("adam", betas=(0.8, 0.95))
    assert "0.8" in changed["decay_m"].caption() and "0.95" in changed["decay_v"].caption()


def test_adam_says_when_bias_correction_is_off():
    on, q_on = captions("adam")
    off, q_off = captions("adam", bias_correction=False)
    assert "off" in off["bias_correct"].caption() and "关闭" in off["bias_correct"].caption("zh")
    assert "off" not in on["bias_correct"].caption()
    np.testing.assert_array_equal(q_off["m_hat"], q_off["m"])
    assert not np.allclose(q_on["m_hat"], q_on["m"])


@pytest.mark.parametrize("name, key, qname", [
    ("momentum", "add_grad", "b"), ("nesterov", "lookahead", "lookahead_g"),
    ("adagrad", "grow_s", "s"), ("rmsprop", "grow_v", "v"), ("adadelta", "delta", "delta"),
    ("adadelta", "grow_u", "u"), ("gd", "scale", "step"), ("adamw", "shrink", "p_decayed"),
])
def test_each_method_shows_its_own_numbers(name, key, qname):
    views, q = captions(name)
    assert format_value(q[qname][0]) in views[key].caption()
    assert format_value(q[qname][0]) in views[key].caption("zh")


def test_captions_speak_about_ball_zero_and_1d_numbers_have_no_brackets():
    opt = make("gd", lr=0.5)
    p = np.array([[1.0], [3.0]])
    g = np.array([[0.25], [-7.0]])
    view = play(opt, p, g, opt.init(p))[0]
    assert "g = 0.25" in view.caption() and "−7" not in view.caption()
    assert view.glyphs["grad"].shape == (2, 1)


def test_glyphs_draw_the_optimizers_own_arrays():
    opt, params, grad, state = setup("adam", {})
    views = {v.key: v.glyphs for v in play(opt, params, grad, state)}
    new_params, new_state, trace = opt.step(params, grad, state)
    np.testing.assert_allclose(views["decay_m"]["velocity"], 0.9 * state["exp_avg"])
    np.testing.assert_allclose(views["decay_v"]["squares"], 0.999 * state["exp_avg_sq"])
    np.testing.assert_array_equal(views["grad"]["grad"], grad)
    np.testing.assert_array_equal(views["grow_m"]["velocity"], new_state["exp_avg"])
    np.testing.assert_array_equal(views["grow_v"]["squares"], new_state["exp_avg_sq"])
    np.testing.assert_array_equal(views["step"]["step"], trace.update)
    opt, params, grad, state = setup("momentum", {})
    views = {v.key: v.glyphs for v in play(opt, params, grad, state)}
    np.testing.assert_allclose(views["decay"]["velocity"], 0.9 * state["buf"])
    new_buf = opt.step(params, grad, state)[1]["buf"]
    np.testing.assert_array_equal(views["add_grad"]["velocity"], new_buf)


# --- numbers that mean something ---------------------------------------------------------------


def test_rounding_dust_in_a_vector_shows_as_zero_but_small_vectors_keep_their_size():
    assert format_value(np.array([3e-17, -2.5])) == "(0, −2.5)"
    assert format_value(np.array([3e-17, 2e-16])) == "(3e−17, 2e−16)"  # both tiny: a real tiny vector
    assert format_value(np.array([1e-9, 0.0])) == "(1e−9, 0)"


@pytest.mark.parametrize("name, hyper, grad", [
    ("adamw", {"lr": 0.01, "weight_decay": 0.01}, [[1e-9, 0.0]]),  # the shrink: 1.5 → 1.49985
    ("adadelta", {}, [[0.3, -0.2]]),  # Adadelta's first move is about 0.003
    ("gd", {"lr": 1e-6}, [[1.0, 1.0]]),
])
def test_a_move_too_small_to_see_is_shown_as_the_move_itself(name, hyper, grad):
    opt = make(name, **hyper)
    p = np.array([[1.5, 2.0]])
    views = play(opt, p, np.array(grad), opt.init(p))
    for lang in ("en", "zh"):
        moved = next(v for v in views if v.moved).caption(lang)
        change = format_value(views[-1].values["step"][0])
        assert change in moved and ("moved by" in moved or "移动了" in moved), moved
    shrink = [v for v in views if v.key == "shrink"]
    if shrink:
        assert "moved by (−1.5e−4, −2e−4)" in shrink[0].caption("en")


def test_a_visible_move_is_shown_as_the_new_position_only():
    opt = make("gd", lr=0.1)
    p = np.array([[1.5, 2.0]])
    views = play(opt, p, np.array([[1.0, 1.0]]), opt.init(p))
    assert views[-1].caption("en") == "The ball moves to (1.4, 1.9)."


@pytest.mark.parametrize("betas, t, factor", [((0.9, 0.999), 1, "3.16"), ((0.9, 0.999), 12, "6.57"),
                                              ((0.9, 0.999), 100, "3.24"), ((0.99, 0.999), 1, "0.316")])
def test_the_bias_correction_caption_states_the_real_factor(betas, t, factor):
    """(1 − β1ᵗ)/√(1 − β2ᵗ): 3.16 at t = 1, 6.57 near t = 12, 3.24 at t = 100 — and too short at β1 = 0.99."""
    for on in (True, False):
        opt = make("adam", lr=0.1, betas=betas, bias_correction=on)
        p = np.array([[1.0, -1.0]])
        state = {**opt.init(p), "t": t - 1}
        view = next(v for v in play(opt, p, np.array([[0.5, 0.2]]), state) if v.key == "bias_correct")
        assert f"{factor}×" in view.caption("en") and f"{factor} 倍" in view.caption("zh")


def test_a_component_that_moved_out_of_sight_is_shown_even_when_another_component_changed():
    # Adadelta's first step: x moves by 0.003 at a size of 1.5 (invisible at 3 figures), y visibly.
    caption = stages_moved_caption(new=[-1.5031, 3e-5], old=[-1.5, 0.0])
    assert "moved by" in caption and "−0.0031" in caption


def stages_moved_caption(new, old) -> str:
    from gdviz.core.stages import Moved

    return Moved(np.array(new), np.array(old)).text()
