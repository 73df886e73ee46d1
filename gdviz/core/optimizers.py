"""Optimizers: the rules that turn a slope into a step.

Each method follows torch.optim's update rule, names and defaults, so what a student sees
here is what their deep-learning library does. The interface is functional: nothing is
changed in place, every call returns new arrays.

    opt = make("adam", lr=0.1)
    state = opt.init(params)                       # params: shape (N, d), N balls
    params, state, trace = opt.step(params, grad, state)

`trace` holds what the game draws: the gradient, the velocity / first moment, the
squared-gradient accumulator and the step that was actually applied.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

Array = np.ndarray
State = dict[str, Any]
StepFn = Callable[[Array, Array, State, Mapping[str, Any], float], tuple[Array, State]]


@dataclass(frozen=True)
class Trace:
    """What one step did, per ball and axis (arrays of shape (N, d), or None)."""

    grad: Array
    update: Array
    velocity: Array | None = None
    squares: Array | None = None
    lr: float = 0.0
    extra: dict[str, Array] = field(default_factory=dict)


@dataclass(frozen=True)
class Method:
    """How one optimizer works: its defaults, its state and its update rule."""

    name: str
    title: str
    defaults: Mapping[str, Any]
    state_keys: tuple[str, ...]
    step: StepFn
    decays: tuple[str, ...] = ()
    velocity_key: str | None = None
    squares_key: str | None = None


# --- update rules (g: gradient, p: params, s: state, h: hyperparameters) -----------------


def _l2(g: Array, p: Array, h: Mapping[str, Any]) -> Array:
    """Add torch's coupled weight decay (an L2 penalty) to the gradient."""
    wd = h.get("weight_decay", 0.0)
    return g + wd * p if wd else g


def _gd(p, g, s, h, lr):
    return p - lr * _l2(g, p, h), s


def _momentum_buffer(g: Array, s: State, h: Mapping[str, Any]) -> Array:
    # torch starts the buffer as a copy of the first gradient (no dampening on step 1).
    if s["t"] == 0:
        return g.copy()
    return h["momentum"] * s["buf"] + (1 - h["dampening"]) * g


def _momentum(p, g, s, h, lr):
    g = _l2(g, p, h)
    buf = _momentum_buffer(g, s, h)
    return p - lr * buf, {**s, "buf": buf}


def _nesterov(p, g, s, h, lr):
    g = _l2(g, p, h)
    buf = _momentum_buffer(g, s, h)
    return p - lr * (g + h["momentum"] * buf), {**s, "buf": buf}


def _adagrad(p, g, s, h, lr):
    g = _l2(g, p, h)
    clr = lr / (1 + s["t"] * h["lr_decay"])
    sq = s["sum"] + g * g
    return p - clr * g / (np.sqrt(sq) + h["eps"]), {**s, "sum": sq}


def _rmsprop(p, g, s, h, lr):
    g = _l2(g, p, h)
    alpha = h["alpha"]
    v = alpha * s["square_avg"] + (1 - alpha) * g * g
    new = {**s, "square_avg": v}
    if h["centered"]:
        new["grad_avg"] = alpha * s["grad_avg"] + (1 - alpha) * g
        avg = np.sqrt(v - new["grad_avg"] ** 2) + h["eps"]
    else:
        avg = np.sqrt(v) + h["eps"]
    if h["momentum"] > 0:
        new["buf"] = h["momentum"] * s["buf"] + g / avg
        return p - lr * new["buf"], new
    return p - lr * g / avg, new


def _adam_core(p, g, s, h, lr):
    beta1, beta2 = h["betas"]
    t = s["t"] + 1
    m = beta1 * s["exp_avg"] + (1 - beta1) * g
    v = beta2 * s["exp_avg_sq"] + (1 - beta2) * g * g
    new = {**s, "exp_avg": m, "exp_avg_sq": v}
    if h["amsgrad"]:
        v = new["max_exp_avg_sq"] = np.maximum(s["max_exp_avg_sq"], v)
    if h["bias_correction"]:
        step_size, root = lr / (1 - beta1**t), np.sqrt(1 - beta2**t)
    else:
        step_size, root = lr, 1.0
    return p - step_size * m / (np.sqrt(v) / root + h["eps"]), new


def _adam(p, g, s, h, lr):
    return _adam_core(p, _l2(g, p, h), s, h, lr)


def _adamw(p, g, s, h, lr):
    # Decoupled weight decay: shrink the weights first, then take a plain Adam step.
    return _adam_core(p * (1 - lr * h["weight_decay"]), g, s, h, lr)


def _adadelta(p, g, s, h, lr):
    g = _l2(g, p, h)
    rho, eps = h["rho"], h["eps"]
    v = rho * s["square_avg"] + (1 - rho) * g * g
    delta = np.sqrt(s["acc_delta"] + eps) / np.sqrt(v + eps) * g
    u = rho * s["acc_delta"] + (1 - rho) * delta * delta
    return p - lr * delta, {**s, "square_avg": v, "acc_delta": u}


_ADAM_DEFAULTS = {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0,
                  "amsgrad": False, "bias_correction": True}

METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method("gd", "Gradient descent", {"lr": 1e-3, "weight_decay": 0.0}, (), _gd),
        Method("momentum", "Momentum",
               {"lr": 1e-3, "momentum": 0.9, "dampening": 0.0, "weight_decay": 0.0},
               ("buf",), _momentum, ("momentum",), velocity_key="buf"),
        Method("nesterov", "Nesterov momentum",
               {"lr": 1e-3, "momentum": 0.9, "dampening": 0.0, "weight_decay": 0.0},
               ("buf",), _nesterov, ("momentum",), velocity_key="buf"),
        Method("adagrad", "AdaGrad",
               {"lr": 1e-2, "lr_decay": 0.0, "weight_decay": 0.0,
                "initial_accumulator_value": 0.0, "eps": 1e-10},
               ("sum",), _adagrad, squares_key="sum"),
        Method("rmsprop", "RMSProp",
               {"lr": 1e-2, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0.0,
                "momentum": 0.0, "centered": False},
               ("square_avg", "buf", "grad_avg"), _rmsprop, ("alpha", "momentum"),
               velocity_key="buf", squares_key="square_avg"),
        Method("adam", "Adam", _ADAM_DEFAULTS,
               ("exp_avg", "exp_avg_sq", "max_exp_avg_sq"), _adam, ("betas.0", "betas.1"),
               velocity_key="exp_avg", squares_key="exp_avg_sq"),
        Method("adamw", "AdamW", {**_ADAM_DEFAULTS, "weight_decay": 1e-2},
               ("exp_avg", "exp_avg_sq", "max_exp_avg_sq"), _adamw, ("betas.0", "betas.1"),
               velocity_key="exp_avg", squares_key="exp_avg_sq"),
        Method("adadelta", "Adadelta",
               {"lr": 1.0, "rho": 0.9, "eps": 1e-6, "weight_decay": 0.0},
               ("square_avg", "acc_delta"), _adadelta, ("rho",), squares_key="square_avg"),
    )
}


def names() -> list[str]:
    """Return every optimizer name, in the order of the number keys 1–8."""
    return list(METHODS)


class HyperparameterError(ValueError):
    """A hyperparameter name or value that the optimizer cannot use."""


def _check_decay(name: str, value: float, top_inclusive: bool) -> None:
    ok = 0.0 <= value <= 1.0 if top_inclusive else 0.0 <= value < 1.0
    if not ok:
        bound = "[0, 1]" if top_inclusive else "[0, 1)"
        raise HyperparameterError(f"{name} must be in {bound}, got {value!r}")


def _validate(method: Method, hyper: dict[str, Any]) -> None:
    unknown = set(hyper) - set(method.defaults)
    if unknown:
        raise HyperparameterError(
            f"{method.name} has no hyperparameter {sorted(unknown)[0]!r}; "
            f"it takes {', '.join(method.defaults)}")
    for key in ("lr", "eps", "weight_decay", "lr_decay", "initial_accumulator_value"):
        if key in hyper and not (np.isfinite(hyper[key]) and hyper[key] >= 0):
            raise HyperparameterError(f"{key} must be a finite number >= 0, got {hyper[key]!r}")
    for key in ("momentum", "dampening"):
        if key in hyper:
            _check_decay(key, hyper[key], top_inclusive=True)
    for key in ("alpha", "rho"):
        if key in hyper:
            _check_decay(key, hyper[key], top_inclusive=True)
    if "betas" in hyper:
        if len(hyper["betas"]) != 2:
            raise HyperparameterError(f"betas must be a pair, got {hyper['betas']!r}")
        for i, beta in enumerate(hyper["betas"]):
            _check_decay(f"betas[{i}]", beta, top_inclusive=False)


@dataclass(frozen=True)
class Optimizer:
    """One optimizer with its hyperparameters fixed. Make one with `make(name, ...)`."""

    method: Method
    hyper: Mapping[str, Any]

    @property
    def name(self) -> str:
        return self.method.name

    @property
    def lr(self) -> float:
        return float(self.hyper["lr"])

    def init(self, params: Array) -> State:
        """Return the starting state for balls at `params` (shape (N, d))."""
        params = np.asarray(params, dtype=float)
        fill = self.hyper.get("initial_accumulator_value", 0.0)
        state: State = {"t": 0}
        for key in self.method.state_keys:
            state[key] = np.full_like(params, fill if key == "sum" else 0.0)
        return state

    def step(self, params: Array, grad: Array, state: State,
             lr: float | None = None) -> tuple[Array, State, Trace]:
        """Take one step; return new params, new state and a Trace. Inputs are not changed."""
        params = np.asarray(params, dtype=float)
        grad = np.asarray(grad, dtype=float)
        rate = self.lr if lr is None else float(lr)
        new_params, new_state = self.method.step(params, grad, state, self.hyper, rate)
        new_state = {**new_state, "t": state["t"] + 1}
        trace = Trace(
            grad=grad,
            update=new_params - params,
            velocity=new_state.get(self.method.velocity_key) if self._has_velocity() else None,
            squares=new_state.get(self.method.squares_key) if self.method.squares_key else None,
            lr=rate,
            extra={"acc_delta": new_state["acc_delta"]} if "acc_delta" in new_state else {},
        )
        return new_params, new_state, trace

    def _has_velocity(self) -> bool:
        if self.method.velocity_key is None:
            return False
        return self.name != "rmsprop" or self.hyper["momentum"] > 0

    def with_hyper(self, **changes: Any) -> Optimizer:
        """Return a copy with some hyperparameters changed (validated)."""
        _validate(self.method, changes)
        return replace(self, hyper={**self.hyper, **changes})

    def decay_names(self) -> tuple[str, ...]:
        """Return the names of this method's decay rates, first and second (e.g. 'betas.0')."""
        return self.method.decays

    def get_decay(self, which: int) -> float | None:
        """Return decay number `which` (0 or 1), or None if the method has no such decay."""
        if which >= len(self.method.decays):
            return None
        key, _, index = self.method.decays[which].partition(".")
        value = self.hyper[key]
        return float(value[int(index)] if index else value)

    def with_decay(self, which: int, value: float) -> Optimizer:
        """Return a copy with decay number `which` set to `value`."""
        key, _, index = self.method.decays[which].partition(".")
        if not index:
            return self.with_hyper(**{key: value})
        pair = list(self.hyper[key])
        pair[int(index)] = value
        return self.with_hyper(**{key: tuple(pair)})


def make(name: str, **hyper: Any) -> Optimizer:
    """Return the optimizer `name` with torch's defaults, overridden by `hyper`.

    >>> make("adam", lr=0.1).hyper["betas"]
    (0.9, 0.999)
    """
    if name not in METHODS:
        raise HyperparameterError(f"unknown optimizer {name!r}; choose one of: {', '.join(METHODS)}")
    method = METHODS[name]
    if "betas" in hyper:
        hyper["betas"] = tuple(float(b) for b in hyper["betas"])
    _validate(method, hyper)
    return Optimizer(method, {**method.defaults, **hyper})
