"""Step-by-step mode: one optimizer update, played slowly as a short story in stages.

Press D in the game and the ball does not simply jump. You see, one stage at a time, how
the optimizer builds its step: the slope under the ball, the momentum that fades and then
grows, the squares that remember how steep each direction has been, the division that
turns these into a direction, the step, and finally the move. Every caption shows the real
numbers of this very step, so what you read is exactly what the optimizer computed.

The story is kept as data. `SCRIPTS` holds one table of `Stage`s per optimizer: a caption
in English and Chinese, and which arrows, squares or ghost ball to draw. The mathematics is
not here: `quantities` asks the optimizer for the named numbers of one update
(`Optimizer.explain`, the very rule that `Optimizer.step` runs), and `play` puts the
numbers and the tables together:

    opt = make("adam", lr=0.1)
    views = play(opt, params, grad, state)        # params, grad: shape (N, d)
    views[0].caption("en")   # 'Momentum fades by β1 = 0.9: β1·m = (0.0123, −0.456).'
    views[0].glyphs          # {'velocity': array of shape (N, d)}
    views[-1].moved          # True: from here on the ball sits at the new position
"""

from __future__ import annotations

import math
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gdviz.core.optimizers import Optimizer, Quantities, State

Array = np.ndarray

# What the game knows how to draw. `show` maps one of these to a quantity name.
GLYPH_KINDS = ("grad", "velocity", "squares", "step", "direction", "ghost", "classical")
LANGUAGES = ("en", "zh")
MINUS = "\u2212"  # a real minus sign reads better than a hyphen on a projector
TINY_SHARE = 1e-12  # components this much smaller than a vector's largest show as 0


# --- numbers for people ----------------------------------------------------------------


def format_number(x: float) -> str:
    """Format one number with 3 significant figures: 0.9, −4.56, 1e−8.

    >>> format_number(-4.5612)
    '−4.56'
    """
    x = float(x)
    if not math.isfinite(x):
        return "—"
    if x == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(x)))
    if -3 <= magnitude < 5:
        # Fixed point with just enough decimals for 3 significant figures, so 1234 stays
        # 1234 rather than 1.23e+03.
        text = _trim(f"{x:.{max(0, 2 - magnitude)}f}")
    else:
        mantissa, exponent = f"{x:.2e}".split("e")
        text = f"{_trim(mantissa)}e{int(exponent)}"
    return text.replace("-", MINUS)


def _trim(text: str) -> str:
    """Drop trailing zeros after a decimal point: 0.900 -> 0.9, 2.00 -> 2."""
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(value: Any) -> str:
    """Format a scalar as a number and a vector as (x, y); a 1-D vector as one number.

    >>> format_value(np.array([0.12345, -4.5612]))
    '(0.123, −4.56)'

    A component smaller than 1e-12 of the vector's largest is rounding left over from the
    arithmetic, not a quantity: it shows as 0.

    >>> format_value(np.array([3e-17, -2.5]))
    '(0, −2.5)'
    """
    if isinstance(value, (int, np.integer)):
        return str(int(value)).replace("-", MINUS)
    flat = _components(value)
    if flat.size == 1:
        return format_number(flat[0])
    return "(" + ", ".join(format_number(v) for v in flat) + ")"


def _components(value: Any) -> np.ndarray:
    """Return a value's numbers, flat, with rounding left-overs (see TINY_SHARE) set to 0."""
    flat = np.ravel(np.asarray(value, dtype=float))
    with np.errstate(invalid="ignore"):
        scale = float(np.max(np.abs(flat))) if flat.size and np.isfinite(flat).all() else 0.0
        return np.where(np.abs(flat) < TINY_SHARE * scale, 0.0, flat)


# Presenter mode: a class reads fixed point; powers of ten only for numbers too small or too
# big for it, and then written as a × 10ⁿ, never as e-notation.
FIXED_RANGE = (-4, 6)  # fixed point for 0.0001 ≤ |x| < 1000000
SUPERSCRIPTS = str.maketrans("0123456789-" + MINUS, "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻")


def power_of_ten(exponent: int) -> str:
    """Write 10 to a whole power with a superscript exponent: 10⁻⁶.

    >>> power_of_ten(-6)
    '10⁻⁶'
    """
    return "10" + str(int(exponent)).translate(SUPERSCRIPTS)


def _exponent(x: float) -> int:
    """The power of ten of `x` once rounded to 3 significant figures (9.996 -> 1)."""
    return int(f"{x:.2e}".split("e")[1])


def format_fixed(x: float) -> str:
    """Format one number for a room: fixed point with 3 significant figures, or a × 10ⁿ when
    fixed point would need too many zeros.

    >>> format_fixed(0.000584), format_fixed(-5.341e-6), format_fixed(1234.5)
    ('0.000584', '−5.34 × 10⁻⁶', '1234')
    """
    x = float(x)
    if not math.isfinite(x):
        return "—"
    if x == 0:
        return "0"
    exponent = _exponent(x)
    if FIXED_RANGE[0] <= exponent < FIXED_RANGE[1]:
        return _trim(f"{x:.{max(0, 2 - exponent)}f}").replace("-", MINUS)
    mantissa = _trim(f"{x / 10.0 ** exponent:.2f}")
    return f"{mantissa} × {power_of_ten(exponent)}".replace("-", MINUS)


def format_fixed_value(value: Any) -> str:
    """Format a scalar or a vector for a room (see format_fixed); a vector too small or too big
    for fixed point shares one power of ten.

    >>> format_fixed_value(np.array([-5.34e-6, -5.25e-6]))
    '(−5.34, −5.25) × 10⁻⁶'
    """
    if isinstance(value, (int, np.integer)):
        return str(int(value)).replace("-", MINUS)
    flat = _components(value)
    if flat.size == 1:
        return format_fixed(flat[0])
    largest = float(np.max(np.abs(flat))) if np.isfinite(flat).all() else 0.0
    exponent = _exponent(largest) if largest > 0 else 0
    if FIXED_RANGE[0] <= exponent < FIXED_RANGE[1]:
        return "(" + ", ".join(format_fixed(v) for v in flat) + ")"
    # A component too small to show beside the largest at this power of ten shows as 0.
    scaled = [v / 10.0 ** exponent for v in flat]
    shown = ", ".join(format_fixed(v if abs(v) >= 10.0 ** FIXED_RANGE[0] else 0.0) for v in scaled)
    return f"({shown}) × {power_of_ten(exponent)}"


@dataclass(frozen=True)
class Moved:
    """A new position in a caption. When it looks the same as the old one at 3 significant
    figures (AdamW's shrink, Adadelta's first steps), the change itself is shown as well,
    so a move is never reported as no move."""

    new: Any
    old: Any
    lang: str = "en"
    fixed: bool = False  # presenter mode's numbers (format_fixed)

    def text(self) -> str:
        number, value = (format_fixed, format_fixed_value) if self.fixed else (format_number, format_value)
        shown = value(self.new)
        new, old = np.ravel(np.asarray(self.new, dtype=float)), np.ravel(np.asarray(self.old, dtype=float))
        # A component that moved but reads the same at 3 figures would hide the move: show it.
        hidden = any(number(a) == number(b) and a != b for a, b in zip(new, old))
        if not hidden:
            return shown
        change = value(new - old)
        return f"{shown}（移动了 {change}）" if self.lang == "zh" else f"{shown} (moved by {change})"


POSITIONS = ("next", "p_decayed")  # caption fields that are positions, compared with "old"


class _CaptionFormatter(string.Formatter):
    """str.format, but every {name} without a format spec goes through `number` (format_value)."""

    def __init__(self, number=format_value) -> None:
        super().__init__()
        self.number = number

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Moved):
            return value.text()
        return format(value, format_spec) if format_spec else self.number(value)


_FORMATTERS = {False: _CaptionFormatter(), True: _CaptionFormatter(format_fixed_value)}


def _first_ball(values: Mapping[str, Any]) -> dict[str, Any]:
    """Captions speak about ball 0: take row 0 of every (N, d) array."""
    return {k: v[0] if isinstance(v, np.ndarray) and v.ndim == 2 else v
            for k, v in values.items()}


# --- stages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    """One moment of a step-by-step update: what to say and what to draw.

    `show` maps a glyph kind (see GLYPH_KINDS) to the name of a quantity. `when` names a
    hyperparameter that must be switched on (non-zero, true) for this stage to play, or
    off with a "no_" prefix; empty means always. `moves` marks the stage where the ball
    jumps to its new position.

    How the picture moves into this stage (drawn as an animation): a glyph grows out of
    the quantity named in `start` (the velocity before it fades, say), or out of the
    previous stage's glyph of the kind named in `morph` (the direction out of the velocity
    it divides), or else out of the same kind's glyph of the previous stage. A glyph named
    in `tails` is drawn from the tip of that quantity's velocity arrow: a sum tip to tail.
    """

    key: str
    caption_en: str
    caption_zh: str
    show: Mapping[str, str] = field(default_factory=dict, hash=False)
    when: str = ""
    moves: bool = False
    start: Mapping[str, str] = field(default_factory=dict, hash=False)
    morph: Mapping[str, str] = field(default_factory=dict, hash=False)
    tails: Mapping[str, str] = field(default_factory=dict, hash=False)

    def applies(self, hyper: Mapping[str, Any]) -> bool:
        """Return whether this stage plays for an optimizer with these hyperparameters."""
        if not self.when:
            return True
        wanted_off = self.when.startswith("no_")
        switched_on = bool(hyper.get(self.when.removeprefix("no_")))
        return switched_on != wanted_off

    def template(self, lang: str = "en") -> str:
        """Return the caption template in `lang` ("en" or "zh"; anything else: English)."""
        return self.caption_zh if lang.startswith("zh") else self.caption_en


@dataclass(frozen=True)
class StageView:
    """A stage filled in with the numbers of one real update: what the game draws."""

    stage: Stage
    glyphs: dict[str, Array]
    moved: bool
    values: Mapping[str, Array | float] = field(repr=False)

    @property
    def key(self) -> str:
        return self.stage.key

    def caption(self, lang: str = "en", fixed: bool = False) -> str:
        """Return the caption with the actual numbers of ball 0 filled in (with `fixed`, in
        presenter mode's format_fixed)."""
        values = _first_ball(self.values)
        for key in POSITIONS:
            if key in values and "old" in values:
                values[key] = Moved(values[key], values["old"], lang, fixed)
        return _FORMATTERS[fixed].vformat(self.stage.template(lang), (), values)


# --- the numbers of one update -----------------------------------------------------------


def quantities(optimizer: Optimizer, params: Array, grad: Array, state: State,
               lr: float | None = None) -> Quantities:
    """Return every named number of one update: g, lr, old, next, step and the method's own.

    Arrays have the shape of `params`, (N, d); scalars are plain numbers. Nothing is
    changed in place.

    >>> from gdviz.core.optimizers import make
    >>> opt, p = make("gd", lr=0.1), np.zeros((1, 2))
    >>> quantities(opt, p, np.ones((1, 2)), opt.init(p))["step"]
    array([[-0.1, -0.1]])
    """
    return quantities_and_state(optimizer, params, grad, state, lr)[0]


def quantities_and_state(optimizer: Optimizer, params: Array, grad: Array, state: State,
                         lr: float | None = None) -> tuple[Quantities, State]:
    """Return `quantities` and the state after the update (one run of the optimizer's rule)."""
    params = np.asarray(params, dtype=float)
    rate = optimizer.lr if lr is None else float(lr)
    # The optimizer's own rule, the one `step` runs: the story cannot drift from the step.
    numbers, new_state = optimizer.explain(params, grad, state, rate)
    return {"t": state["t"] + 1, **numbers, "lr": rate, "old": params, "step": numbers["next"] - params}, new_state


# --- the scripts ---------------------------------------------------------------------------
# Stages that share a key are alternatives for different settings (see Stage.when): only
# one of them plays. Keep captions to one sentence; they are read from the back of a room.

def _slope_stages(key: str, show: Mapping[str, str], plain: tuple[str, str],
                  decayed: tuple[str, str], **motion: Mapping[str, str]) -> tuple[Stage, Stage]:
    """Return one stage in two wordings: without and with coupled weight decay (L2)."""
    return (Stage(key, *plain, show, when="no_weight_decay", **motion),
            Stage(key, *decayed, show, when="weight_decay", **motion))


_GRAD = _slope_stages(
    "grad", {"grad": "g"},
    ("The slope under the ball is g = {g}; downhill is the opposite way.",
     "小球脚下的斜率是 g = {g}，下坡方向与它相反。"),
    ("The slope is {g_raw}; weight decay {wd} adds {wd}·p, so g = {g}.",
     "原始斜率是 {g_raw}，权重衰减 {wd} 再加上 {wd}·p，所以 g = {g}。"))

_GRAD_PLAIN = Stage("grad", "The slope under the ball is g = {g}.", "小球脚下的斜率是 g = {g}。",
                    {"grad": "g"})

_MOVE = Stage("move", "The ball moves to {next}.", "小球移动到 {next}。", moves=True)

_DECAY_B = Stage("decay", "The velocity fades by μ = {mu}: μ·b = {b_decayed}.",
                 "速度按 μ = {mu} 衰减：μ·b = {b_decayed}。", {"velocity": "b_decayed"},
                 start={"velocity": "b_old"})

_ADD_GRAD = _slope_stages(
    "add_grad", {"grad": "g", "velocity": "b"},
    ("Add the slope g = {g}: b = {b_decayed} + {b_added} = {b}.",
     "加上斜率 g = {g}：b = {b_decayed} + {b_added} = {b}。"),
    ("Add the slope g = {g} (weight decay {wd}·p included): b = {b_decayed} + {b_added} = {b}.",
     "加上斜率 g = {g}（已含权重衰减 {wd}·p）：b = {b_decayed} + {b_added} = {b}。"),
    tails={"grad": "b_decayed"})

_ADAM_BODY = (
    Stage("decay_m", "The average slope m fades by β1 = {beta1}: β1·m = {m_decayed}.",
          "平均斜率 m 按 β1 = {beta1} 衰减：β1·m = {m_decayed}。", {"velocity": "m_decayed"},
          start={"velocity": "m_old"}),
    Stage("decay_v", "The squares fade by β2 = {beta2}: β2·v = {v_decayed}.",
          "方块按 β2 = {beta2} 衰减：β2·v = {v_decayed}。",
          {"velocity": "m_decayed", "squares": "v_decayed"}, start={"squares": "v_old"}),
)

_ADAM_TAIL = (
    Stage("grow_m", "The slope g pulls the average towards it by (1 − β1)·g = {m_grow}: m = {m}.",
          "斜率 g 把平均值拉向自己，增加 (1 − β1)·g = {m_grow}：m = {m}。",
          {"grad": "g", "velocity": "m", "squares": "v_decayed"}),
    Stage("grow_v", "The squares grow by (1 − β2)·g² = {v_grow}: v = {v}.",
          "方块增加 (1 − β2)·g² = {v_grow}：v = {v}。",
          {"grad": "g", "velocity": "m", "squares": "v"}, when="no_amsgrad"),
    Stage("grow_v", "The squares grow by (1 − β2)·g² = {v_grow} to {v}; "
          "AMSGrad keeps the largest so far, {v_used}.",
          "方块增加 (1 − β2)·g² = {v_grow}，变为 {v}；AMSGrad 保留至今最大的方块 {v_used}。",
          {"grad": "g", "velocity": "m", "squares": "v_used"}, when="amsgrad"),
    Stage("bias_correct", "Bias correction at step {t}: m / (1 − {beta1}^{t}) = {m_hat} and "
          "v / (1 − {beta2}^{t}) = {v_hat}; without it this step would be {bias_factor}× as long.",
          "第 {t} 步的偏差修正：m / (1 − {beta1}^{t}) = {m_hat}，v / (1 − {beta2}^{t}) = {v_hat}；"
          "不修正的话，这一步的长度会是现在的 {bias_factor} 倍。",
          {"velocity": "m_hat", "squares": "v_hat"}, when="bias_correction"),
    Stage("bias_correct", "Bias correction is off: m = {m_hat} and v = {v_hat} are used as they are. Both "
          "averages started at 0, so at step {t} this step is {bias_factor}× the corrected one.",
          "偏差修正已关闭：直接使用 m = {m_hat} 和 v = {v_hat}。两个平均值都从 0 开始，"
          "所以第 {t} 步的步长是修正后的 {bias_factor} 倍。",
          {"velocity": "m_hat", "squares": "v_hat"}, when="no_bias_correction"),
    Stage("divide", "Divide the average slope by the side of the squares, {side}: "
          "direction = {direction}.",
          "用方块的边长 {side} 去除平均斜率：方向 = {direction}。",
          {"squares": "v_hat", "direction": "direction"}, morph={"direction": "velocity"}),
)

_ADAM_STEP = Stage("step", "Times the learning rate {lr}: step = −{lr}·direction = {step}.",
                   "乘以学习率 {lr}：步长 = −{lr}·方向 = {step}。",
                   {"direction": "direction", "step": "step", "ghost": "next"}, morph={"step": "direction"})

SCRIPTS: dict[str, tuple[Stage, ...]] = {
    "gd": (
        *_GRAD,
        Stage("scale", "Downhill, −g, times the learning rate {lr}: "
              "step = −{lr}·g = {step}.",
              "沿下坡方向 −g，乘以学习率 {lr}：步长 = −{lr}·g = {step}。",
              {"grad": "g", "step": "step", "ghost": "next"}, morph={"step": "grad"}),
        _MOVE,
    ),
    "momentum": (
        _DECAY_B,
        *_ADD_GRAD,
        Stage("step", "The ball goes along −b, times the learning rate {lr}: step = −{lr}·b = {step}.",
              "小球沿 −b 方向走，乘以学习率 {lr}：步长 = −{lr}·b = {step}。",
              {"velocity": "b", "step": "step", "ghost": "next"}, morph={"step": "velocity"}),
        _MOVE,
    ),
    "nesterov": (
        Stage("lookahead_point", "torch's Nesterov keeps the ball at the look-ahead point, where the slope "
              "is measured; the classical position θ = p + lr·μ·b = {theta} is the ring behind it.",
              "torch 的 Nesterov 让小球待在“向前看”的点上，斜率就在这里测；经典写法中的位置 "
              "θ = p + lr·μ·b = {theta} 是它后面的圆环。", {"classical": "theta"}),
        _DECAY_B,
        *_ADD_GRAD,
        Stage("lookahead", "The step uses the slope here plus μ·b, where the velocity is about to carry "
              "the ball: g + μ·b = {lookahead_g}.",
              "这一步用这里的斜率再加上 μ·b（速度马上要把球带去的方向）：g + μ·b = {lookahead_g}。",
              {"grad": "g", "velocity": "b", "direction": "lookahead_g"}, morph={"direction": "velocity"}),
        Stage("step", "Times the learning rate {lr}: step = −{lr}·(g + μ·b) = {step}; θ moves to {theta_next}.",
              "乘以学习率 {lr}：步长 = −{lr}·(g + μ·b) = {step}；θ 移到 {theta_next}。",
              {"direction": "lookahead_g", "step": "step", "ghost": "next", "classical": "theta_next"},
              morph={"step": "direction"}),
        _MOVE,
    ),
    "adagrad": (
        *_GRAD,
        Stage("grow_s", "Add g² = {g_sq} to the squares: s = {s}.",
              "把 g² = {g_sq} 加进方块：s = {s}。", {"grad": "g", "squares": "s"},
              start={"squares": "s_old"}),
        Stage("divide", "Divide the slope by each square's side √s + ε = {side}: "
              "direction = {direction}.",
              "用每个方块的边长 √s + ε = {side} 去除斜率：方向 = {direction}。",
              {"squares": "s", "direction": "direction"}, morph={"direction": "grad"}),
        Stage("step", "Times the learning rate {clr}: step = {step}.",
              "乘以学习率 {clr}：步长 = {step}。",
              {"direction": "direction", "step": "step", "ghost": "next"}, when="no_lr_decay",
              morph={"step": "direction"}),
        Stage("step", "The learning rate has decayed to {lr} / (1 + ({t} − 1)·{lr_decay}) = "
              "{clr}: step = {step}.",
              "学习率已衰减为 {lr} / (1 + ({t} − 1)·{lr_decay}) = {clr}：步长 = {step}。",
              {"direction": "direction", "step": "step", "ghost": "next"}, when="lr_decay",
              morph={"step": "direction"}),
        _MOVE,
    ),
    "rmsprop": (
        Stage("decay_v", "The squares fade by α = {alpha}: α·v = {v_decayed}.",
              "方块按 α = {alpha} 衰减：α·v = {v_decayed}。", {"squares": "v_decayed"},
              start={"squares": "v_old"}),
        *_slope_stages(
            "grow_v", {"grad": "g", "squares": "v"},
            ("The slope g = {g} adds (1 − α)·g² = {v_grow}: v = {v}.",
             "斜率 g = {g} 加上 (1 − α)·g² = {v_grow}：v = {v}。"),
            ("The slope g = {g} (weight decay {wd}·p included) adds (1 − α)·g² = {v_grow}: "
             "v = {v}.",
             "斜率 g = {g}（已含权重衰减 {wd}·p）加上 (1 − α)·g² = {v_grow}：v = {v}。")),
        Stage("center", "Centered: average the slopes too (avg g = {ga}) and keep only the "
              "wobble, v − (avg g)² = {v_used}.",
              "中心化：也对斜率取平均（平均 g = {ga}），只保留波动：v − (平均 g)² = {v_used}。",
              {"grad": "ga", "squares": "v_used"}, when="centered"),
        Stage("divide", "Divide the slope by each square's side {side}: "
              "direction = {direction}.",
              "用每个方块的边长 {side} 去除斜率：方向 = {direction}。",
              {"squares": "v_used", "direction": "direction"}, morph={"direction": "grad"}),
        Stage("velocity", "Momentum μ = {mu}: b = μ·b + direction = {b}.",
              "动量 μ = {mu}：b = μ·b + 方向 = {b}。",
              {"direction": "direction", "velocity": "b"}, when="momentum"),
        Stage("step", "Times the learning rate {lr}: step = −{lr}·direction = {step}.",
              "乘以学习率 {lr}：步长 = −{lr}·方向 = {step}。",
              {"direction": "direction", "step": "step", "ghost": "next"}, when="no_momentum",
              morph={"step": "direction"}),
        Stage("step", "Times the learning rate {lr}: step = −{lr}·b = {step}.",
              "乘以学习率 {lr}：步长 = −{lr}·b = {step}。",
              {"velocity": "b", "step": "step", "ghost": "next"}, when="momentum", morph={"step": "velocity"}),
        _MOVE,
    ),
    "adam": (*_ADAM_BODY, *_GRAD, *_ADAM_TAIL, _ADAM_STEP, _MOVE),
    "adamw": (
        Stage("shrink", "AdamW first shrinks the weights: p·(1 − {lr}·{wd}) = {p_decayed}.",
              "AdamW 先把参数缩小：p·(1 − {lr}·{wd}) = {p_decayed}。", {"ghost": "p_decayed"}),
        *_ADAM_BODY, _GRAD_PLAIN, *_ADAM_TAIL,
        Stage("step", "The total step, the shrink {shrink} plus −{lr}·direction = {adam_step}, "
              "is {step}.",
              "总步长：缩小量 {shrink} 加上 −{lr}·方向 = {adam_step}，共 {step}。",
              {"direction": "direction", "step": "step", "ghost": "next"}, morph={"step": "direction"}),
        _MOVE,
    ),
    "adadelta": (
        *_GRAD,
        Stage("grow_v", "Average the squared slope with ρ = {rho}: "
              "v = ρ·v + (1 − ρ)·g² = {v}.",
              "用 ρ = {rho} 对斜率的平方取平均：v = ρ·v + (1 − ρ)·g² = {v}。",
              {"grad": "g", "squares": "v"}),
        Stage("delta", "Rescale the slope by √(u + ε) / √(v + ε) = {u_side} / {side}: "
              "Δ = {delta}.",
              "用 √(u + ε) / √(v + ε) = {u_side} / {side} 缩放斜率：Δ = {delta}。",
              {"squares": "v", "direction": "delta"}, morph={"direction": "grad"}),
        Stage("grow_u", "Remember how big the steps are: u = ρ·u + (1 − ρ)·Δ² = {u}.",
              "记住步子有多大：u = ρ·u + (1 − ρ)·Δ² = {u}。",
              {"squares": "u", "direction": "delta"}),
        Stage("step", "Times the learning rate {lr}: step = −{lr}·Δ = {step}.",
              "乘以学习率 {lr}：步长 = −{lr}·Δ = {step}。",
              {"step": "step", "ghost": "next"}, morph={"step": "direction"}),
        _MOVE,
    ),
}


# --- the everyday picture: what is drawn for every ball while the race plays ---------------
# The same glyph kinds and the same quantities as the stages use, so the race and step-by-step
# mode draw one quantity one way. Adam's squares are v̂, the bias-corrected average that
# really divides its step; RMSProp's are what its step divides by (centered: v − (avg g)²).

EVERYDAY: dict[str, Mapping[str, str]] = {
    "gd": {"grad": "g", "step": "step"},
    "momentum": {"grad": "g", "velocity": "b", "step": "step"},
    "nesterov": {"grad": "g", "velocity": "b", "step": "step"},
    "adagrad": {"grad": "g", "squares": "s", "direction": "direction", "step": "step"},
    "rmsprop": {"grad": "g", "velocity": "b", "squares": "v_used", "direction": "direction", "step": "step"},
    "adam": {"grad": "g", "velocity": "m_hat", "squares": "v_hat", "direction": "direction", "step": "step"},
    "adamw": {"grad": "g", "velocity": "m_hat", "squares": "v_hat", "direction": "direction", "step": "step"},
    "adadelta": {"grad": "g", "squares": "v", "direction": "delta", "step": "step"},  # Δ: in map units
}


def everyday(optimizer: Optimizer, values: Mapping[str, Any]) -> dict[str, Array]:
    """Return the glyphs drawn for a ball while the race plays: kind -> array (N, d).

    `values` are an update's quantities (see `quantities`); kinds the update has no number
    for (RMSProp's velocity without momentum) are left out.
    """
    return {kind: np.asarray(values[name]) for kind, name in EVERYDAY[optimizer.name].items()
            if name in values}


def script(optimizer: Optimizer) -> tuple[Stage, ...]:
    """Return the stages that play for this optimizer with its current hyperparameters."""
    return tuple(s for s in SCRIPTS[optimizer.name] if s.applies(optimizer.hyper))


def play(optimizer: Optimizer, params: Array, grad: Array, state: State,
         lr: float | None = None) -> tuple[StageView, ...]:
    """Return the stages of one update, each with its glyph arrays and its numbers.

    >>> opt, p, g = make("momentum", lr=0.1), np.zeros((1, 2)), np.ones((1, 2))
    >>> [view.key for view in play(opt, p, g, opt.init(p))]
    ['decay', 'add_grad', 'step', 'move']
    """
    values = quantities(optimizer, params, grad, state, lr)
    return tuple(
        StageView(stage, {kind: np.asarray(values[name]) for kind, name in stage.show.items()},
                  stage.moves, values)
        for stage in script(optimizer))

