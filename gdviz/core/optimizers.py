"""Optimizers: the rules that turn a slope into a step.

Each method follows torch.optim's update rule, names and defaults, so what a student sees
here is what their deep-learning library does. The interface is functional: nothing is
changed in place, every call returns new arrays.

    opt = make("adam", lr=0.1)
    state = opt.init(params)                       # params: shape (N, d), N balls
    params, state, trace = opt.step(params, grad, state)

`trace` holds what the game draws: the gradient, the velocity / first moment, the
squared-gradient accumulator and the step that was actually applied.

Each method's mathematics is written once, as a rule that names every number it works out
(g, b, m, v, m_hat, side, direction, next, ...). `step` runs it; step-by-step mode asks for
the same numbers with `explain`, so the story told on screen is the step that is taken:

    numbers, state = opt.explain(params, grad, state)   # numbers["next"]: the new params
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

Array = np.ndarray
State = dict[str, Any]
# The named numbers of one update: arrays shaped like the params, or plain scalars.
Quantities = dict[str, Any]
Rule = Callable[[Array, Array, State, Mapping[str, Any], float, bool], tuple[Quantities, State]]


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
    rule: Rule
    decays: tuple[str, ...] = ()
    velocity_key: str | None = None
    squares_key: str | None = None
    # Rules about settings together (beyond each value's own range), as torch.optim has them.
    rules: tuple[Callable[[Mapping[str, Any]], str | None], ...] = ()


# --- update rules ------------------------------------------------------------------------
# One function per method, and the only place its mathematics is written. Each takes
# p (params), g (gradient), s (state), h (hyperparameters), lr and `explain`, and returns
# the named numbers of the update (always "next", the new params) and the new state.
# `Optimizer.step` keeps "next" and the state; step-by-step mode (stages.py) shows all the
# numbers, under the names its captions use. The same rule moves swarms of 10,000 balls,
# so with `explain` off the numbers only a caption reads are neither worked out nor kept.
# Expressions keep torch's evaluation order, so results match it to the last bit or two.


def _slope(p: Array, g: Array, h: Mapping[str, Any]) -> Quantities:
    """Return the raw slope and the slope after torch's coupled weight decay (an L2 penalty)."""
    wd = float(h.get("weight_decay", 0.0))
    return {"g_raw": g, "wd": wd, "g": g + wd * p if wd else g}


def _fade_and_add(q: Quantities, parts: tuple[str, str], decay: float, old: Array,
                  added: Array, explain: bool) -> Array:
    """Return decay·old + added: the running sums and averages that optimizers keep.

    When explaining, the two parts are named in q (e.g. "m_decayed" and "m_grow").
    Otherwise they are let go at once, which keeps a big swarm's arrays in the CPU cache.
    """
    decayed = decay * old
    if explain:
        q[parts[0]], q[parts[1]] = decayed, added
    return decayed + added


def _gd(p: Array, g: Array, s: State, h: Mapping[str, Any], lr: float,
        explain: bool) -> tuple[Quantities, State]:
    q = _slope(p, g, h)
    q["next"] = p - lr * q["g"]
    return q, s


def _buffer(q: Quantities, s: State, h: Mapping[str, Any], explain: bool) -> Array:
    """Return the momentum buffer b = μ·b + (1 − dampening)·g, with g = q["g"]."""
    q.update(mu=float(h["momentum"]), dampening=float(h["dampening"]), b_old=s["buf"])
    # torch starts the buffer as a copy of the first gradient: the old buffer is still
    # zero, and dampening does not apply.
    added = q["g"] if s["t"] == 0 else (1 - q["dampening"]) * q["g"]
    q["b"] = _fade_and_add(q, ("b_decayed", "b_added"), q["mu"], s["buf"], added, explain)
    return q["b"]


def _momentum(p: Array, g: Array, s: State, h: Mapping[str, Any], lr: float,
              explain: bool) -> tuple[Quantities, State]:
    q = _slope(p, g, h)
    q["next"] = p - lr * _buffer(q, s, h, explain)
    return q, {**s, "buf": q["b"]}


def _nesterov(p: Array, g: Array, s: State, h: Mapping[str, Any], lr: float,
              explain: bool) -> tuple[Quantities, State]:
    q = _slope(p, g, h)
    b = _buffer(q, s, h, explain)
    # Look ahead: the slope plus where the velocity is about to carry the ball.
    q["lookahead_g"] = q["g"] + q["mu"] * b
    q["next"] = p - lr * q["lookahead_g"]
    if explain:
        # torch's form is classical Nesterov rewritten: p is the look-ahead point, and the
        # classical position θ sits lr·μ·b behind it (tests/core/test_optimizers.py checks it).
        q["theta"] = p + lr * q["mu"] * s["buf"]
        q["theta_next"] = q["next"] + lr * q["mu"] * b
    return q, {**s, "buf": b}


def _adagrad(p: Array, g: Array, s: State, h: Mapping[str, Any], lr: float,
             explain: bool) -> tuple[Quantities, State]:
    q = _slope(p, g, h)
    g, eps, lr_decay = q["g"], float(h["eps"]), float(h["lr_decay"])
    clr = lr / (1 + s["t"] * lr_decay)
    g_sq = g * g
    total = s["sum"] + g_sq
    side = np.sqrt(total) + eps
    q.update(lr_decay=lr_decay, clr=clr, eps=eps, s_old=s["sum"], g_sq=g_sq, s=total,
             side=side, next=p - clr * g / side)
    if explain:
        q["direction"] = g / side
    return q, {**s, "sum": total}


def _rmsprop(p: Array, g: Array, s: State, h: Mapping[str, Any], lr: float,
             explain: bool) -> tuple[Quantities, State]:
    q = _slope(p, g, h)
    g, alpha, mu = q["g"], float(h["alpha"]), float(h["momentum"])
    q.update(alpha=alpha, mu=mu, eps=float(h["eps"]), v_old=s["square_avg"])
    q["v"] = q["v_used"] = _fade_and_add(q, ("v_decayed", "v_grow"), alpha, s["square_avg"],
                                         (1 - alpha) * g * g, explain)
    new = {**s, "square_avg": q["v"]}
    if h["centered"]:
        # Centered: subtract the squared average slope, leaving only how much it wobbles.
        q["ga_old"] = s["grad_avg"]
        q["ga"] = new["grad_avg"] = alpha * s["grad_avg"] + (1 - alpha) * g
        q["v_used"] = q["v"] - q["ga"] ** 2
    q["side"] = np.sqrt(q["v_used"]) + q["eps"]
    if mu > 0:
        q.update(b_old=s["buf"], direction=g / q["side"])
        q["b"] = new["buf"] = _fade_and_add(q, ("b_decayed", "b_grow"), mu, s["buf"],
                                            q["direction"], explain)
        q["next"] = p - lr * q["b"]
        return q, new
    q["next"] = p - lr * g / q["side"]
    if explain:
        q["direction"] = g / q["side"]
    return q, new


def _adam_core(q: Quantities, p: Array, s: State, h: Mapping[str, Any], lr: float,
               explain: bool) -> tuple[Quantities, State]:
    """Take a plain Adam step from p with slope q["g"] (weight decay, if any, applied)."""
    g, (beta1, beta2) = q["g"], map(float, h["betas"])
    t = s["t"] + 1
    q.update(beta1=beta1, beta2=beta2, eps=float(h["eps"]), t=t, m_old=s["exp_avg"],
             v_old=s["exp_avg_sq"])
    q["m"] = _fade_and_add(q, ("m_decayed", "m_grow"), beta1, s["exp_avg"], (1 - beta1) * g,
                           explain)
    q["v"] = q["v_used"] = _fade_and_add(q, ("v_decayed", "v_grow"), beta2, s["exp_avg_sq"],
                                         (1 - beta2) * g * g, explain)
    new = {**s, "exp_avg": q["m"], "exp_avg_sq": q["v"]}
    if h["amsgrad"]:
        # AMSGrad divides by the largest squares seen so far instead of the current ones.
        q["v_used"] = new["max_exp_avg_sq"] = np.maximum(s["max_exp_avg_sq"], q["v"])
    # With bias correction off, dividing by 1 changes nothing: one formula serves both.
    bc1, bc2 = (1 - beta1**t, 1 - beta2**t) if h["bias_correction"] else (1.0, 1.0)
    # In torch's order: side = √v / √(1 − β2ᵗ) + ε, which is √v̂ + ε, and the step is
    # lr / (1 − β1ᵗ) · m / side. m̂, v̂ and the direction m̂ / side are for the captions.
    q.update(bc1=bc1, bc2=bc2, side=np.sqrt(q["v_used"]) / math.sqrt(bc2) + q["eps"])
    q["next"] = p - lr / bc1 * q["m"] / q["side"]
    if explain:
        q.update(m_hat=q["m"] / bc1, v_hat=q["v_used"] / bc2)
        q["direction"] = q["m_hat"] / q["side"]
        # How much longer the uncorrected step is than the corrected one (ε aside): 3.16 at
        # t = 1 with the default betas, about 6.6 near t = 12, below 1 when β1 > 1 − √(1 − β2).
        q["bias_factor"] = (1 - beta1**t) / math.sqrt(1 - beta2**t)
    return q, new


def _adam(p: Array, g: Array, s: State, h: Mapping[str, Any], lr: float,
          explain: bool) -> tuple[Quantities, State]:
    return _adam_core(_slope(p, g, h), p, s, h, lr, explain)


def _adamw(p: Array, g: Array, s: State, h: Mapping[str, Any], lr: float,
           explain: bool) -> tuple[Quantities, State]:
    # Decoupled weight decay: shrink the weights first, then a plain Adam step on the raw slope.
    wd = float(h["weight_decay"])
    keep = 1 - lr * wd
    p_decayed = p * keep
    q = {"g_raw": g, "g": g, "wd": wd, "keep": keep, "p_decayed": p_decayed}
    q, new = _adam_core(q, p_decayed, s, h, lr, explain)
    if explain:
        q.update(shrink=p_decayed - p, adam_step=q["next"] - p_decayed)
    return q, new


def _adadelta(p: Array, g: Array, s: State, h: Mapping[str, Any], lr: float,
              explain: bool) -> tuple[Quantities, State]:
    q = _slope(p, g, h)
    g, rho, eps = q["g"], float(h["rho"]), float(h["eps"])
    q.update(rho=rho, eps=eps, v_old=s["square_avg"], u_old=s["acc_delta"])
    q["v"] = _fade_and_add(q, ("v_decayed", "v_grow"), rho, s["square_avg"],
                           (1 - rho) * g * g, explain)
    q.update(side=np.sqrt(q["v"] + eps), u_side=np.sqrt(q["u_old"] + eps))
    # Δ: the slope rescaled by (size of recent steps) / (size of recent slopes).
    q["delta"] = q["u_side"] / q["side"] * g
    q["u"] = _fade_and_add(q, ("u_decayed", "u_grow"), rho, q["u_old"],
                           (1 - rho) * q["delta"] * q["delta"], explain)
    q["next"] = p - lr * q["delta"]
    if explain:
        q["direction"] = g / q["side"]
    return q, {**s, "square_avg": q["v"], "acc_delta": q["u"]}


def _nesterov_rule(h: Mapping[str, Any]) -> str | None:
    """Refuse what torch.optim.SGD refuses: "Nesterov momentum requires a momentum and zero dampening"."""
    if h["momentum"] > 0 and h["dampening"] == 0:
        return None
    return (f"nesterov needs momentum > 0 and dampening = 0 (torch.optim.SGD refuses Nesterov momentum "
            f"otherwise), got momentum={h['momentum']!r}, dampening={h['dampening']!r}")


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
               ("buf",), _nesterov, ("momentum",), velocity_key="buf", rules=(_nesterov_rule,)),
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
    """A hyperparameter name or value that the optimizer cannot use.

    `rule` names a refused combination ("nesterov": momentum > 0 and no dampening), so a
    game can explain it in its own words; it is "" for a name or a single value.
    """

    def __init__(self, message: str, rule: str = "") -> None:
        super().__init__(message)
        self.rule = rule


def _check_decay(name: str, value: float, top_inclusive: bool) -> None:
    ok = 0.0 <= value <= 1.0 if top_inclusive else 0.0 <= value < 1.0
    if not ok:
        bound = "[0, 1]" if top_inclusive else "[0, 1)"
        raise HyperparameterError(f"{name} must be in {bound}, got {value!r}")


def _checked(method: Method, base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """Return `base` with `changes` made, refusing every name, value and combination torch.optim refuses.

    torch checks lr, eps, weight_decay, lr_decay, initial_accumulator_value, momentum and
    alpha >= 0, betas in [0, 1), rho in [0, 1], and Nesterov's rule. Here momentum,
    dampening and alpha must also be at most 1, and every number finite.
    """
    unknown = set(changes) - set(method.defaults)
    if unknown:
        raise HyperparameterError(
            f"{method.name} has no hyperparameter {sorted(unknown)[0]!r}; "
            f"it takes {', '.join(method.defaults)}")
    _validate(changes)
    hyper = {**base, **changes}
    for rule in method.rules:
        refusal = rule(hyper)
        if refusal:
            raise HyperparameterError(refusal, rule=method.name)
    return hyper


NON_NUMBERS_ALLOWED = ("betas", "nesterov", "maximize", "amsgrad", "foreach", "differentiable", "capturable",
                       "fused", "centered", "bias_correction")  # pairs and switches; every other hyperparameter is one number


def _validate(hyper: Mapping[str, Any]) -> None:
    """Refuse any single value outside its range, and anything that is not a number."""
    for key, value in hyper.items():
        if key in NON_NUMBERS_ALLOWED:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise HyperparameterError(f"{key} must be a number, got {value!r}")
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
        numbers, new_state = self._run(params, grad, state, rate, explain=False)
        return numbers["next"], new_state, self.trace(params, grad, numbers["next"], new_state, rate)

    def trace(self, params: Array, grad: Array, new_params: Array, new_state: State, lr: float) -> Trace:
        """Return the Trace of a step from `params` to `new_params` (what `step` returns with them)."""
        return Trace(
            grad=grad,
            update=new_params - params,
            velocity=new_state.get(self.method.velocity_key) if self._has_velocity() else None,
            squares=new_state.get(self.method.squares_key) if self.method.squares_key else None,
            lr=lr,
            extra={"acc_delta": new_state["acc_delta"]} if "acc_delta" in new_state else {},
        )

    def explain(self, params: Array, grad: Array, state: State,
                lr: float | None = None) -> tuple[Quantities, State]:
        """Return every named number of one step (the rule `step` runs) and the new state.

        >>> opt, p = make("momentum", lr=0.1), np.zeros((1, 2))
        >>> opt.explain(p, np.ones((1, 2)), opt.init(p))[0]["b"]
        array([[1., 1.]])
        """
        params = np.asarray(params, dtype=float)
        grad = np.asarray(grad, dtype=float)
        rate = self.lr if lr is None else float(lr)
        return self._run(params, grad, state, rate, explain=True)

    def _run(self, params: Array, grad: Array, state: State, lr: float,
             explain: bool) -> tuple[Quantities, State]:
        numbers, new_state = self.method.rule(params, grad, state, self.hyper, lr, explain)
        return numbers, {**new_state, "t": state["t"] + 1}

    def _has_velocity(self) -> bool:
        if self.method.velocity_key is None:
            return False
        return self.name != "rmsprop" or self.hyper["momentum"] > 0

    def with_hyper(self, **changes: Any) -> Optimizer:
        """Return a copy with some hyperparameters changed (validated)."""
        return replace(self, hyper=_checked(self.method, self.hyper, changes))

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


def accepted(name: str, wanted: Mapping[str, Any], **base: Any) -> tuple[dict[str, Any], list[str]]:
    """Return the settings of `wanted` that optimizer `name` takes, each tried on top of `base`
    and those kept before it, and the names of the ones it refuses.

    >>> accepted("nesterov", {"momentum": 0.95, "dampening": 0.5})
    ({'momentum': 0.95}, ['dampening'])
    """
    kept: dict[str, Any] = {}
    refused = []
    for key, value in wanted.items():
        try:
            make(name, **base, **kept, **{key: value})
            kept[key] = value
        except HyperparameterError:
            refused.append(key)
    return kept, refused


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
    return Optimizer(method, _checked(method, method.defaults, hyper))
