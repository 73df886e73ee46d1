"""One rule per optimizer: the step-by-step stages and `Optimizer.step` are the same numbers.

Each method's update is written once, in optimizers.py. `step` runs it; the stages ask the
same function for its named numbers (`Optimizer.explain`). These tests hold the two to
bit-identical results (np.array_equal, not allclose) on random states reached by real
steps, for every method and every setting that changes which formulas run.
"""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdviz.core import optimizers
from gdviz.core.optimizers import Optimizer, make
from gdviz.core.stages import SCRIPTS, play, quantities

# Every method, and each setting that switches a formula on or off.
VARIANTS = [
    ("gd", {}),
    ("gd", {"weight_decay": 0.1}),
    ("momentum", {}),
    ("momentum", {"dampening": 0.3}),
    ("momentum", {"momentum": 0.5, "dampening": 0.6, "weight_decay": 0.05}),
    ("nesterov", {}),
    ("nesterov", {"momentum": 0.7, "weight_decay": 0.05}),
    ("adagrad", {}),
    ("adagrad", {"lr_decay": 0.1}),
    ("adagrad", {"lr_decay": 0.1, "weight_decay": 0.05, "initial_accumulator_value": 0.2}),
    ("rmsprop", {}),
    ("rmsprop", {"centered": True}),
    ("rmsprop", {"momentum": 0.7}),
    ("rmsprop", {"centered": True, "momentum": 0.7, "weight_decay": 0.05, "alpha": 0.9}),
    ("adam", {}),
    ("adam", {"bias_correction": False}),
    ("adam", {"amsgrad": True}),
    ("adam", {"weight_decay": 0.05, "betas": (0.8, 0.95)}),
    ("adam", {"amsgrad": True, "bias_correction": False, "weight_decay": 0.05}),
    ("adamw", {}),
    ("adamw", {"amsgrad": True}),
    ("adamw", {"bias_correction": False, "weight_decay": 0.2}),
    ("adadelta", {}),
    ("adadelta", {"rho": 0.8, "weight_decay": 0.05}),
]
IDS = [f"{name}-{'-'.join(hyper) or 'default'}" for name, hyper in VARIANTS]

# The caption name of each piece of state: the number a stage shows is the number stored.
SHOWN_AS = {"buf": "b", "sum": "s", "exp_avg": "m", "exp_avg_sq": "v", "grad_avg": "ga",
            "max_exp_avg_sq": "v_used", "square_avg": "v", "acc_delta": "u"}


def random_point(opt, seed, warmup, balls=4, dims=2, scale=1.0):
    """Return params, a fresh slope and a state after `warmup` real steps from a random start."""
    rng = np.random.default_rng(seed)
    params = rng.normal(size=(balls, dims)) * 3
    state = opt.init(params)
    for _ in range(warmup):
        grad = rng.normal(size=params.shape) * scale * 10.0 ** rng.integers(-3, 3)
        params, state, _ = opt.step(params, grad, state)
    return params, rng.normal(size=params.shape) * scale, state


def shown_state(opt, q, old):
    """Rebuild the new state from the numbers the stages show; the rest stays as it was."""
    new = {"t": q["t"]}
    for key in opt.method.state_keys:
        name = SHOWN_AS[key]
        if key == "max_exp_avg_sq" and not opt.hyper["amsgrad"]:
            name = None  # without AMSGrad the largest squares are not kept
        new[key] = q[name] if name in q else old[key]
    return new


def assert_same_state(got, want):
    assert set(got) == set(want)
    for key, value in want.items():
        assert np.array_equal(got[key], value), key


def assert_one_rule(opt, params, grad, state, lr=None):
    """The stage numbers, the walk through the stages and `step` agree to the last bit."""
    new_params, new_state, trace = opt.step(params, grad, state, lr)
    q = quantities(opt, params, grad, state, lr)
    assert np.array_equal(q["next"], new_params)
    assert np.array_equal(q["step"], q["next"] - params)
    assert np.array_equal(trace.update, q["step"])
    assert_same_state(shown_state(opt, q, state), new_state)
    assert_same_state(opt.explain(params, grad, state, lr)[1], new_state)
    walk_the_stages(opt, params, grad, state, lr, new_params)


def walk_the_stages(opt, params, grad, state, lr, new_params):
    """Play the stages in order: the ball sits still until the one stage that moves it."""
    position, ghost, moves = params, None, 0
    for view in play(opt, params, grad, state, lr):
        assert np.array_equal(view.values["old"], params), view.key
        if view.moved:
            assert ghost is not None and np.array_equal(ghost, view.values["next"])
            position, moves = view.values["next"], moves + 1
        ghost = view.glyphs.get("ghost", ghost)
    assert moves == 1
    assert np.array_equal(position, new_params)


@pytest.mark.parametrize("warmup", [0, 1, 5])
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("name, hyper", VARIANTS, ids=IDS)
def test_stages_and_step_agree_bit_for_bit(name, hyper, seed, warmup):
    opt = make(name, lr=0.1, **hyper)
    params, grad, state = random_point(opt, seed, warmup)
    assert_one_rule(opt, params, grad, state)


@settings(max_examples=300, deadline=None)
@given(variant=st.sampled_from(VARIANTS), seed=st.integers(0, 2**32 - 1),
       warmup=st.integers(0, 8), balls=st.integers(1, 6), dims=st.integers(1, 3),
       lr=st.floats(1e-4, 2.0), scale=st.sampled_from([1e-6, 1e-2, 1.0, 1e3]),
       override=st.booleans())
def test_stages_and_step_agree_on_random_states(variant, seed, warmup, balls, dims, lr, scale,
                                                override):
    name, hyper = variant
    opt = make(name, lr=lr, **hyper)
    params, grad, state = random_point(opt, seed, warmup, balls, dims, scale)
    # A learning rate given to the step (a schedule's) must be the one the stages use.
    assert_one_rule(opt, params, grad, state, lr / 3 if override else None)


@pytest.mark.parametrize("name, hyper", VARIANTS, ids=IDS)
def test_whole_runs_agree(name, hyper):
    """Follow only the stages' numbers for 30 steps: the very path that `step` takes."""
    opt = make(name, lr=0.05, **hyper)
    rng = np.random.default_rng(7)
    stepped = shown = rng.normal(size=(3, 2))
    step_state = shown_st = opt.init(stepped)
    for _ in range(30):
        grad = rng.normal(size=stepped.shape)
        stepped, step_state, _ = opt.step(stepped, grad, step_state)
        q = quantities(opt, shown, grad, shown_st)
        shown, shown_st = q["next"], shown_state(opt, q, shown_st)
    assert np.array_equal(shown, stepped)
    assert_same_state(shown_st, step_state)


@pytest.mark.parametrize("name, hyper", VARIANTS, ids=IDS)
def test_named_parts_add_up_to_the_whole_exactly(name, hyper):
    """A faded old value plus what was added is the new value, as the captions say."""
    opt = make(name, lr=0.1, **hyper)
    params, grad, state = random_point(opt, 3, 4)
    q = quantities(opt, params, grad, state)
    pairs = [(whole, f"{whole}_decayed", grow) for whole in ("b", "m", "v", "u")
             for grow in (f"{whole}_grow", f"{whole}_added")]
    checked = 0
    for whole, decayed, grow in pairs:
        if decayed in q and grow in q:
            assert np.array_equal(q[decayed] + q[grow], q[whole]), whole
            checked += 1
    assert checked >= (name not in ("gd", "adagrad"))


def test_the_stages_have_no_mathematics_of_their_own():
    """Swap in another rule: the stages show its numbers, so they can only show the rule's."""
    def rule(p, g, s, h, lr, explain):
        return {"g": g, "g_raw": g, "wd": 0.0, "next": p + 42.0}, s

    opt = make("gd", lr=0.1)
    spy = Optimizer(replace(opt.method, rule=rule), opt.hyper)
    params = np.zeros((2, 2))
    q = quantities(spy, params, np.ones((2, 2)), spy.init(params))
    assert np.array_equal(q["next"], params + 42.0)
    assert np.array_equal(play(spy, params, np.ones((2, 2)), spy.init(params))[-1].values["next"],
                          params + 42.0)


def test_every_method_is_covered():
    assert {name for name, _ in VARIANTS} == set(optimizers.names()) == set(SCRIPTS)
