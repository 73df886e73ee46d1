"""Optimizers: one step by hand for every method, long runs against a scalar reference."""

import math

import numpy as np
import pytest

from gdviz.core import optimizers
from gdviz.core.optimizers import HyperparameterError, make
from gdviz.core.surfaces import get

P0 = np.array([[1.0, -2.0]])
G1 = np.array([[0.5, -4.0]])
G2 = np.array([[1.0, 2.0]])


def one_step(name, grad=G1, params=P0, **hyper):
    opt = make(name, **hyper)
    return opt.step(params, grad, opt.init(params))


def test_names_follow_number_keys():
    assert optimizers.names() == ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "adadelta"]


def test_torch_defaults():
    assert make("adam").hyper["lr"] == 1e-3 and make("adam").hyper["betas"] == (0.9, 0.999)
    assert make("adam").hyper["eps"] == 1e-8 and make("adam").hyper["bias_correction"] is True
    assert make("adamw").hyper["weight_decay"] == 0.01
    assert make("rmsprop").hyper["alpha"] == 0.99 and make("rmsprop").hyper["lr"] == 1e-2
    assert make("adagrad").hyper["eps"] == 1e-10 and make("adagrad").hyper["lr"] == 1e-2
    assert make("adadelta").hyper["rho"] == 0.9 and make("adadelta").hyper["lr"] == 1.0
    assert make("adadelta").hyper["eps"] == 1e-6
    assert make("momentum").hyper["momentum"] == 0.9 and make("nesterov").hyper["momentum"] == 0.9


def test_gd_one_step():
    p, _, trace = one_step("gd", lr=0.1)
    np.testing.assert_allclose(p, [[0.95, -1.6]], rtol=1e-15)
    np.testing.assert_allclose(trace.update, [[-0.05, 0.4]], rtol=1e-12)
    assert trace.velocity is None and trace.squares is None


def test_gd_weight_decay_adds_l2_gradient():
    p, _, _ = one_step("gd", lr=0.1, weight_decay=0.5)
    # g + 0.5·p = [1.0, -5.0]
    np.testing.assert_allclose(p, [[0.9, -1.5]], rtol=1e-15)


def test_momentum_two_steps():
    opt = make("momentum", lr=0.1, momentum=0.9)
    p1, s1, t1 = opt.step(P0, G1, opt.init(P0))
    np.testing.assert_allclose(p1, [[0.95, -1.6]])
    np.testing.assert_allclose(t1.velocity, G1)
    p2, s2, t2 = opt.step(p1, G2, s1)
    # b = 0.9·[0.5, -4] + [1, 2] = [1.45, -1.6]
    np.testing.assert_allclose(s2["buf"], [[1.45, -1.6]], rtol=1e-15)
    np.testing.assert_allclose(p2, [[0.805, -1.44]], rtol=1e-14)


def test_momentum_dampening_skips_first_step_like_torch():
    opt = make("momentum", lr=0.1, momentum=0.5, dampening=0.5)
    _, s1, _ = opt.step(P0, G1, opt.init(P0))
    _, s2, _ = opt.step(P0, G2, s1)
    np.testing.assert_allclose(s1["buf"], G1)
    np.testing.assert_allclose(s2["buf"], 0.5 * G1 + 0.5 * G2)


def test_nesterov_one_step():
    p, s, _ = one_step("nesterov", lr=0.1, momentum=0.9)
    # b = g; step = lr·(g + 0.9·b) = 0.19·g
    np.testing.assert_allclose(p, [[1 - 0.095, -2 + 0.76]], rtol=1e-14)


def test_adagrad_one_and_two_steps():
    opt = make("adagrad", lr=0.1)
    p1, s1, t1 = opt.step(P0, G1, opt.init(P0))
    np.testing.assert_allclose(s1["sum"], [[0.25, 16.0]])
    np.testing.assert_allclose(p1, [[1 - 0.1 * 0.5 / (0.5 + 1e-10), -2 + 0.1 * 4 / (4 + 1e-10)]], rtol=1e-15)
    np.testing.assert_allclose(t1.squares, [[0.25, 16.0]])
    p2, s2, _ = opt.step(p1, G2, s1)
    np.testing.assert_allclose(s2["sum"], [[1.25, 20.0]])
    np.testing.assert_allclose(p2 - p1, [[-0.1 / (math.sqrt(1.25) + 1e-10), -0.2 / (math.sqrt(20) + 1e-10)]])


def test_adagrad_lr_decay_and_initial_accumulator():
    opt = make("adagrad", lr=0.1, lr_decay=1.0, initial_accumulator_value=1.0)
    state = opt.init(P0)
    np.testing.assert_allclose(state["sum"], [[1.0, 1.0]])
    p1, s1, _ = opt.step(P0, G1, state)
    p2, _, _ = opt.step(p1, G1, s1)
    # second step's rate is lr / (1 + 1·lr_decay) = 0.05
    np.testing.assert_allclose(p2 - p1, -0.05 * G1 / (np.sqrt(s1["sum"] + G1**2) + 1e-10))


def test_rmsprop_one_step():
    p, s, t = one_step("rmsprop", lr=0.01)
    np.testing.assert_allclose(s["square_avg"], [[0.0025, 0.16]], rtol=1e-14)
    np.testing.assert_allclose(p, [[1 - 0.01 * 0.5 / (0.05 + 1e-8), -2 + 0.01 * 4 / (0.4 + 1e-8)]], rtol=1e-14)
    assert t.velocity is None


def test_rmsprop_centered_with_momentum():
    p, s, t = one_step("rmsprop", lr=0.01, centered=True, momentum=0.5)
    v = 0.01 * G1**2
    mean = 0.01 * G1
    buf = G1 / (np.sqrt(v - mean**2) + 1e-8)
    np.testing.assert_allclose(s["buf"], buf, rtol=1e-12)
    np.testing.assert_allclose(p, P0 - 0.01 * buf, rtol=1e-12)
    np.testing.assert_allclose(t.velocity, buf, rtol=1e-12)


def test_adam_first_step_with_and_without_bias_correction():
    p, s, t = one_step("adam", lr=0.1)
    np.testing.assert_allclose(s["exp_avg"], 0.1 * G1, rtol=1e-14)
    np.testing.assert_allclose(s["exp_avg_sq"], 0.001 * G1**2, rtol=1e-12)
    # m̂ = g and v̂ = g², so the step is lr·g/(|g| + eps): lr in each axis
    np.testing.assert_allclose(p, [[1 - 0.1 * 0.5 / (0.5 + 1e-8), -2 + 0.1 * 4 / (4 + 1e-8)]], rtol=1e-12)
    q, _, _ = one_step("adam", lr=0.1, bias_correction=False)
    raw = 0.1 * 0.1 / (math.sqrt(0.001) + 1e-8 / 0.5)
    np.testing.assert_allclose(q[0, 0], 1 - raw, rtol=1e-10)
    assert abs(q[0, 0] - 1) > 3 * abs(p[0, 0] - 1)  # without correction the first step is 3.16x


def test_adam_amsgrad_keeps_largest_square():
    opt = make("adam", lr=0.1, amsgrad=True)
    _, s1, _ = opt.step(P0, G1 * 10, opt.init(P0))
    _, s2, _ = opt.step(P0, G1 * 0, s1)
    np.testing.assert_array_equal(s2["max_exp_avg_sq"], s1["exp_avg_sq"])


def test_adamw_decays_weights_before_the_adam_step():
    p, _, _ = one_step("adamw", lr=0.1, weight_decay=0.01)
    shrunk = P0 * (1 - 0.1 * 0.01)
    np.testing.assert_allclose(p, shrunk - 0.1 * G1 / (np.abs(G1) + 1e-8), rtol=1e-12)


def test_adadelta_one_step():
    p, s, t = one_step("adadelta")
    v = 0.1 * G1**2
    delta = math.sqrt(1e-6) / np.sqrt(v + 1e-6) * G1
    np.testing.assert_allclose(s["square_avg"], v, rtol=1e-14)
    np.testing.assert_allclose(s["acc_delta"], 0.1 * delta**2, rtol=1e-14)
    np.testing.assert_allclose(p, P0 - delta, rtol=1e-14)
    np.testing.assert_allclose(t.extra["acc_delta"], 0.1 * delta**2)


def test_step_does_not_mutate_inputs():
    for name in optimizers.names():
        opt = make(name)
        params, grad = P0.copy(), G1.copy()
        state = opt.init(params)
        frozen = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in state.items()}
        opt.step(params, grad, state)
        np.testing.assert_array_equal(params, P0)
        np.testing.assert_array_equal(grad, G1)
        for key, value in frozen.items():
            np.testing.assert_array_equal(state[key], value)


def test_momentum_zero_is_plain_gd():
    surface = get("rosenbrock")
    p_gd = p_m = np.array([[-1.5, 2.5]])
    gd, mom = make("gd", lr=1e-3), make("momentum", lr=1e-3, momentum=0.0)
    s_gd, s_m = gd.init(p_gd), mom.init(p_m)
    for _ in range(200):
        p_gd, s_gd, _ = gd.step(p_gd, surface.grad(p_gd), s_gd)
        p_m, s_m, _ = mom.step(p_m, surface.grad(p_m), s_m)
    np.testing.assert_array_equal(p_gd, p_m)


@pytest.mark.parametrize("bad", [
    dict(lr=-0.1), dict(lr=float("nan")), dict(momentum=1.5), dict(betas=(0.9, 1.0)),
    dict(betas=(0.9,)), dict(momentum_typo=0.9),
])
def test_bad_hyperparameters_are_refused(bad):
    name = "adam" if "betas" in bad else "momentum"
    with pytest.raises(HyperparameterError):
        make(name, **bad)


def test_unknown_optimizer_names_the_choices():
    with pytest.raises(HyperparameterError, match="choose one of: gd, momentum"):
        make("sgdd")


def test_decays_by_method():
    assert make("momentum").get_decay(0) == 0.9 and make("momentum").get_decay(1) is None
    assert make("adam").get_decay(1) == 0.999
    assert make("adam").with_decay(0, 0.5).hyper["betas"] == (0.5, 0.999)
    assert make("rmsprop").get_decay(0) == 0.99
    assert make("adadelta").with_decay(0, 0.5).hyper["rho"] == 0.5
    assert make("gd").get_decay(0) is None


# --- long runs against an independent scalar reference ------------------------------------
# The reference below is written per coordinate in plain Python from torch.optim's
# documented algorithms, sharing no code with gdviz.


def reference_run(name, hyper, grad_fn, start, steps):
    d = len(start)
    p = list(start)
    lr = hyper["lr"]
    buf, s, v, m, u = [0.0] * d, [0.0] * d, [0.0] * d, [0.0] * d, [0.0] * d
    out = [tuple(p)]
    for t in range(1, steps + 1):
        g = grad_fn(p)
        for i in range(d):
            gi = g[i]
            if name == "gd":
                p[i] -= lr * gi
            elif name in ("momentum", "nesterov"):
                mu = hyper["momentum"]
                buf[i] = gi if t == 1 else mu * buf[i] + gi
                p[i] -= lr * (gi + mu * buf[i] if name == "nesterov" else buf[i])
            elif name == "adagrad":
                s[i] += gi * gi
                p[i] -= lr * gi / (math.sqrt(s[i]) + 1e-10)
            elif name == "rmsprop":
                a = hyper["alpha"]
                v[i] = a * v[i] + (1 - a) * gi * gi
                p[i] -= lr * gi / (math.sqrt(v[i]) + 1e-8)
            elif name in ("adam", "adamw"):
                b1, b2 = hyper["betas"]
                if name == "adamw":
                    p[i] *= 1 - lr * hyper["weight_decay"]
                m[i] = b1 * m[i] + (1 - b1) * gi
                v[i] = b2 * v[i] + (1 - b2) * gi * gi
                mh, vh = m[i] / (1 - b1**t), v[i] / (1 - b2**t)
                p[i] -= lr * mh / (math.sqrt(vh) + 1e-8)
            elif name == "adadelta":
                rho, eps = hyper["rho"], 1e-6
                v[i] = rho * v[i] + (1 - rho) * gi * gi
                delta = math.sqrt(u[i] + eps) / math.sqrt(v[i] + eps) * gi
                u[i] = rho * u[i] + (1 - rho) * delta * delta
                p[i] -= lr * delta
        out.append(tuple(p))
    return np.array(out)


LONG_RUNS = [
    ("gd", {"lr": 1e-3}),
    ("momentum", {"lr": 5e-4, "momentum": 0.9}),
    ("nesterov", {"lr": 5e-4, "momentum": 0.8}),
    ("adagrad", {"lr": 0.1}),
    ("rmsprop", {"lr": 1e-2, "alpha": 0.99}),
    ("adam", {"lr": 2e-2, "betas": (0.9, 0.999)}),
    ("adamw", {"lr": 2e-2, "betas": (0.8, 0.99), "weight_decay": 0.05}),
    ("adadelta", {"lr": 1.0, "rho": 0.9}),
]


@pytest.mark.parametrize("name,hyper", LONG_RUNS)
def test_long_trajectory_matches_reference(name, hyper):
    surface = get("rosenbrock")

    def grad_fn(p):
        return surface.grad(np.array(p))

    expected = reference_run(name, hyper, grad_fn, (-1.5, 2.5), 400)
    opt = make(name, **hyper)
    p = np.array([[-1.5, 2.5]])
    state = opt.init(p)
    got = [p[0]]
    for _ in range(400):
        p, state, _ = opt.step(p, surface.grad(p), state)
        got.append(p[0])
    np.testing.assert_allclose(np.array(got), expected, rtol=1e-9, atol=1e-12)
    assert not np.allclose(expected[-1], expected[0])  # the ball really moved


@pytest.mark.parametrize("mu, lr", [(0.9, 0.005), (0.5, 0.01), (0.99, 0.001)])
def test_torchs_nesterov_is_the_classical_look_ahead_rewritten(mu, lr):
    """Classical: v ← μv − lr·∇f(θ + μv); θ ← θ + v. torch tracks p = θ + μv, the look-ahead
    point, so θ = p + lr·μ·b — and the step-by-step numbers say exactly that."""
    from gdviz.core.stages import quantities
    from gdviz.core.surfaces import get

    surface = get("himmelblau")
    opt = make("nesterov", lr=lr, momentum=mu)
    theta = np.array([[-1.2, 1.0]])
    v = np.zeros_like(theta)
    p, state = theta.copy(), opt.init(theta)
    for _ in range(100):
        q = quantities(opt, p, surface.grad(p), state)
        np.testing.assert_allclose(q["theta"], theta, rtol=1e-9, atol=1e-12)
        v = mu * v - lr * surface.grad(theta + mu * v)
        theta = theta + v
        p, state, _ = opt.step(p, surface.grad(p), state)
        np.testing.assert_allclose(q["theta_next"], theta, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(p, theta + mu * v, rtol=1e-9, atol=1e-12)  # the ball is the look-ahead point


# --- everything torch.optim refuses is refused here, naming the rule ------------------------
# torch 2.13's constructors check (torch/optim/sgd.py, adagrad.py, rmsprop.py, adam.py, adamw.py,
# adadelta.py): lr >= 0; SGD momentum >= 0, weight_decay >= 0, and Nesterov "requires a momentum
# and zero dampening"; Adagrad lr_decay, weight_decay, initial_accumulator_value, eps >= 0;
# RMSprop eps, momentum, weight_decay, alpha >= 0; Adam and AdamW eps >= 0, betas in [0, 1),
# weight_decay >= 0; Adadelta rho in [0, 1], eps >= 0, weight_decay >= 0.
TORCH_REFUSES = [
    ("gd", {"lr": -0.1}, "lr"), ("gd", {"weight_decay": -1.0}, "weight_decay"),
    ("momentum", {"lr": -1e-9}, "lr"), ("momentum", {"momentum": -0.5}, "momentum"),
    ("momentum", {"weight_decay": -0.1}, "weight_decay"),
    ("nesterov", {"momentum": 0.9, "dampening": 0.5}, "dampening = 0"),
    ("nesterov", {"momentum": 0}, "momentum > 0"),
    ("nesterov", {"momentum": 0.0, "dampening": 0.1}, "momentum > 0"),
    ("nesterov", {"momentum": -0.5}, "momentum"), ("nesterov", {"lr": -1.0}, "lr"),
    ("adagrad", {"lr": -0.1}, "lr"), ("adagrad", {"lr_decay": -0.1}, "lr_decay"),
    ("adagrad", {"weight_decay": -0.1}, "weight_decay"),
    ("adagrad", {"initial_accumulator_value": -0.1}, "initial_accumulator_value"),
    ("adagrad", {"eps": -1e-10}, "eps"),
    ("rmsprop", {"lr": -0.1}, "lr"), ("rmsprop", {"eps": -1e-8}, "eps"),
    ("rmsprop", {"momentum": -0.1}, "momentum"), ("rmsprop", {"weight_decay": -0.1}, "weight_decay"),
    ("rmsprop", {"alpha": -0.1}, "alpha"),
    *[(name, hyper, rule) for name in ("adam", "adamw") for hyper, rule in [
        ({"lr": -0.1}, "lr"), ({"eps": -1e-8}, "eps"), ({"betas": (1.0, 0.999)}, "betas[0]"),
        ({"betas": (-0.1, 0.999)}, "betas[0]"), ({"betas": (0.9, 1.0)}, "betas[1]"),
        ({"betas": (0.9, -0.1)}, "betas[1]"), ({"weight_decay": -0.1}, "weight_decay")]],
    ("adadelta", {"lr": -0.1}, "lr"), ("adadelta", {"rho": 1.1}, "rho"), ("adadelta", {"rho": -0.1}, "rho"),
    ("adadelta", {"eps": -1e-6}, "eps"), ("adadelta", {"weight_decay": -0.1}, "weight_decay"),
]


@pytest.mark.parametrize("name, hyper, rule", TORCH_REFUSES)
def test_every_setting_torch_refuses_is_refused_naming_the_rule(name, hyper, rule):
    with pytest.raises(HyperparameterError) as caught:
        make(name, **hyper)
    assert rule in str(caught.value)


def test_the_table_covers_every_method():
    assert {name for name, _, _ in TORCH_REFUSES} == set(optimizers.names())


@pytest.mark.parametrize("hyper", [{"momentum": 0.9, "dampening": 0.0}, {"momentum": 1e-12}, {"momentum": 1.0}])
def test_nesterov_with_momentum_and_no_dampening_is_fine(hyper):
    assert make("nesterov", **hyper).hyper["momentum"] == hyper["momentum"]
    assert make("momentum", momentum=0.0, dampening=0.5).hyper["dampening"] == 0.5  # plain momentum may


def test_a_change_that_breaks_a_rule_is_refused_too():
    nesterov = make("nesterov", momentum=0.5)
    with pytest.raises(HyperparameterError, match="momentum > 0") as caught:
        nesterov.with_decay(0, 0.0)
    assert caught.value.rule == "nesterov"
    with pytest.raises(HyperparameterError, match="dampening = 0"):
        nesterov.with_hyper(dampening=0.3)
    assert nesterov.with_hyper(momentum=0.2).hyper["momentum"] == 0.2
    assert make("nesterov").hyper == {"lr": 1e-3, "momentum": 0.9, "dampening": 0.0, "weight_decay": 0.0}


def test_a_value_out_of_range_has_no_rule_name():
    with pytest.raises(HyperparameterError) as caught:
        make("adam", betas=(0.9, 1.0))
    assert caught.value.rule == ""


def test_accepted_keeps_what_a_method_takes_and_names_the_rest():
    assert optimizers.accepted("nesterov", {"momentum": 0.0, "dampening": 0.5}) == ({}, ["momentum", "dampening"])
    assert optimizers.accepted("nesterov", {"momentum": 0.95, "dampening": 0.0}, lr=0.1) == (
        {"momentum": 0.95, "dampening": 0.0}, [])
    assert optimizers.accepted("momentum", {"momentum": 0.0, "dampening": 0.5}) == (
        {"momentum": 0.0, "dampening": 0.5}, [])


@pytest.mark.parametrize("value", ["0.1", True, None, [0.1], complex(0.1, 0)])
@pytest.mark.parametrize("name, key", [("gd", "lr"), ("momentum", "momentum"), ("adam", "eps"), ("adadelta", "rho")])
def test_a_hyperparameter_that_is_not_a_number_is_refused_in_one_sentence(name, key, value):
    """Before: lr="0.1" raised numpy's TypeError and lr=True was taken as 1."""
    with pytest.raises(HyperparameterError, match=f"{key} must be a number"):
        make(name, **{key: value})
