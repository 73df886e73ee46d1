"""Step-by-step backpropagation: where the slope comes from, on a network surface (tiny_net).

On a surface that is a neural network, each update in step-by-step mode first shows how its slope
g is computed: the forward pass on this step's samples, then the backward pass node by node. The
numbers come from the surface's own `backprop`, the very forward and backward passes its gradient
is made of; the optimizer's own stages (gdviz/core/stages.py) follow.

The notation is the deep-learning book's: ℓ = (ŷ − y)² is one point's loss and L = mean of ℓ the
loss of the step's points, so ∂ℓ/∂… is a derivative for one point (the captions give the first
point's) and ∂L/∂w = mean of ∂ℓ/∂w is the slope. A step on one point, on a batch and on all the
data each get their own words (`script`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gdviz.core.stages import Stage, StageView

Array = np.ndarray

_CHAIN = "x = {x0} → z = w₁·x = {z0} → h = tanh z = {h0} → ŷ = w₂·h = {yhat0}"
_PANEL = (" (the panel shows the loss on all {samples} points)", "（面板上的损失是全部 {samples} 个点上的）")

FORWARD = {  # the forward pass: on all the data, on a batch, on one point
    "all": Stage("forward", "Forward pass on all {n} data points; the first: " + _CHAIN + " (target y = {y0}). "
                 "Each point's loss is ℓ = (ŷ − y)²; the loss on all the data is L = mean of ℓ = {loss}.",
                 "前向传播，用全部 {n} 个数据点；第一个：" + _CHAIN + "（目标 y = {y0}）。"
                 "每个点的损失是 ℓ = (ŷ − y)²；全部数据上的损失 L = ℓ 的平均 = {loss}。"),
    "batch": Stage("forward", "Forward pass on this step's batch of {n} data points; the first: " + _CHAIN
                   + " (target y = {y0}). Each point's loss is ℓ = (ŷ − y)²; the loss on this batch is "
                   "L = mean of ℓ = {loss}" + _PANEL[0] + ".",
                   "前向传播，这一步用一批 {n} 个数据点；第一个：" + _CHAIN + "（目标 y = {y0}）。"
                   "每个点的损失是 ℓ = (ŷ − y)²；这一批上的损失 L = ℓ 的平均 = {loss}" + _PANEL[1] + "。"),
    "one": Stage("forward", "Forward pass on this step's one data point: " + _CHAIN + " (target y = {y0}). "
                 "Its loss is ℓ = (ŷ − y)²; the loss on this one point is L = ℓ = {loss}" + _PANEL[0] + ".",
                 "前向传播，这一步只用一个数据点：" + _CHAIN + "（目标 y = {y0}）。"
                 "它的损失是 ℓ = (ŷ − y)²；这一个点上的损失 L = ℓ = {loss}" + _PANEL[1] + "。"),
}

BACKWARD_MANY = (  # the backward pass on several points: the first point's numbers, and the means
    Stage("d_yhat", "Backward pass, starting at the end: ∂ℓ/∂ŷ = 2(ŷ − y) is {dyhat0} for the first point, "
          "{dyhat_mean} on average.",
          "反向传播，从最后开始：∂ℓ/∂ŷ = 2(ŷ − y)，第一个点是 {dyhat0}，平均是 {dyhat_mean}。"),
    Stage("d_w2", "∂ℓ/∂w₂ = ∂ℓ/∂ŷ · h is {dw2_0} for the first point; its mean over the points, "
          "∂L/∂w₂ = {dw2}, is the slope along w₂.",
          "∂ℓ/∂w₂ = ∂ℓ/∂ŷ · h，第一个点是 {dw2_0}；它在这些点上的平均 ∂L/∂w₂ = {dw2} 就是沿 w₂ 的斜率。",
          {"grad": "g_w2"}),
    Stage("d_h", "Back through w₂: ∂ℓ/∂h = ∂ℓ/∂ŷ · w₂ is {dh0} for the first point, {dh_mean} on average.",
          "经过 w₂ 往回传：∂ℓ/∂h = ∂ℓ/∂ŷ · w₂，第一个点是 {dh0}，平均是 {dh_mean}。", {"grad": "g_w2"}),
    Stage("d_z", "Back through tanh, whose slope at the first point is tanh′ = 1 − h² = {dtanh0}: "
          "∂ℓ/∂z = ∂ℓ/∂h · (1 − h²) is {dz0} for the first point, {dz_mean} on average.",
          "穿过 tanh，它在第一个点处的斜率是 tanh′ = 1 − h² = {dtanh0}：∂ℓ/∂z = ∂ℓ/∂h · (1 − h²)，"
          "第一个点是 {dz0}，平均是 {dz_mean}。", {"grad": "g_w2"}),
    Stage("d_w1", "∂ℓ/∂w₁ = ∂ℓ/∂z · x is {dw1_0} for the first point; its mean over the points, "
          "∂L/∂w₁ = {dw1}, is the slope along w₁. Together they make the slope g = {backprop_g}.",
          "∂ℓ/∂w₁ = ∂ℓ/∂z · x，第一个点是 {dw1_0}；它在这些点上的平均 ∂L/∂w₁ = {dw1} 就是沿 w₁ 的斜率。"
          "两个合起来就是斜率 g = {backprop_g}。", {"grad": "backprop_g"}),
)

BACKWARD_ONE = (  # the backward pass on one point: L = ℓ, so its derivatives are the slope itself
    Stage("d_yhat", "Backward pass, starting at the end: ∂ℓ/∂ŷ = 2(ŷ − y) = {dyhat0}.",
          "反向传播，从最后开始：∂ℓ/∂ŷ = 2(ŷ − y) = {dyhat0}。"),
    Stage("d_w2", "∂ℓ/∂w₂ = ∂ℓ/∂ŷ · h = {dw2_0}; with one point L = ℓ, so this is ∂L/∂w₂, the slope along w₂.",
          "∂ℓ/∂w₂ = ∂ℓ/∂ŷ · h = {dw2_0}；只有一个点时 L = ℓ，所以这就是 ∂L/∂w₂，沿 w₂ 的斜率。",
          {"grad": "g_w2"}),
    Stage("d_h", "Back through w₂: ∂ℓ/∂h = ∂ℓ/∂ŷ · w₂ = {dh0}.",
          "经过 w₂ 往回传：∂ℓ/∂h = ∂ℓ/∂ŷ · w₂ = {dh0}。", {"grad": "g_w2"}),
    Stage("d_z", "Back through tanh, whose slope here is tanh′ = 1 − h² = {dtanh0}: ∂ℓ/∂z = ∂ℓ/∂h · (1 − h²) = {dz0}.",
          "穿过 tanh，它在这里的斜率是 tanh′ = 1 − h² = {dtanh0}：∂ℓ/∂z = ∂ℓ/∂h · (1 − h²) = {dz0}。",
          {"grad": "g_w2"}),
    Stage("d_w1", "∂ℓ/∂w₁ = ∂ℓ/∂z · x = {dw1_0}: with one point, the slope along w₁. "
          "Together they make the slope g = {backprop_g}.",
          "∂ℓ/∂w₁ = ∂ℓ/∂z · x = {dw1_0}：只有一个点时，这就是沿 w₁ 的斜率。两个合起来就是斜率 g = {backprop_g}。",
          {"grad": "backprop_g"}),
)


def script(n: int, samples: int) -> tuple[Stage, ...]:
    """Return the backward-pass stages for a step on `n` of the `samples` data points.

    >>> [s.key for s in script(4, 40)][:2], script(1, 40)[0] is FORWARD["one"]
    (['forward', 'd_yhat'], True)
    """
    if n == 1:
        return (FORWARD["one"], *BACKWARD_ONE)
    return (FORWARD["all" if n >= samples else "batch"], *BACKWARD_MANY)


def values(surface: Any, params: Array, batches: Array | None,
                    next_position: Array | None = None) -> dict[str, Any]:
    """Return the numbers of one forward and backward pass for points (N, 2) on their batches.

    Per-ball numbers have shape (N, 1) (a caption shows ball 0's); `batch` holds the sample
    indices used, (N, k). The surface must offer `backprop(points, batches)` (see tiny_net.py).
    `next` is where the update will take the ball (the optimizer's stages say how), else here.
    """
    params = np.asarray(params, dtype=float)
    tape, grads = surface.backprop(params, batches)
    used = np.broadcast_to(np.arange(surface.samples), (len(params), surface.samples)) if batches is None else batches

    def first(a: Array) -> Array:
        return np.broadcast_to(a, tape.yhat.shape)[:, :1]

    def mean(a: Array) -> Array:
        return np.mean(a, axis=1, keepdims=True)

    return {
        "old": params, "next": params if next_position is None else np.asarray(next_position),
        "batch": used, "n": int(used.shape[1]), "samples": int(surface.samples), "loss": tape.loss[:, None],
        "x0": first(tape.x), "y0": first(tape.y), "z0": first(tape.z), "h0": first(tape.h), "yhat0": first(tape.yhat),
        "dyhat0": first(grads.dyhat), "dyhat_mean": mean(grads.dyhat),
        "dw2": grads.dw2[:, None], "dw2_0": first(grads.dyhat * tape.h),
        "dh0": first(grads.dh), "dh_mean": mean(grads.dh), "dtanh0": first(grads.dtanh),
        "dz0": first(grads.dz), "dz_mean": mean(grads.dz),
        "dw1": grads.dw1[:, None], "dw1_0": first(grads.dz * np.broadcast_to(tape.x, grads.dz.shape)),
        "g_w2": np.stack([np.zeros_like(grads.dw2), grads.dw2], axis=1), "backprop_g": grads.grad,
    }


def play(surface: Any, params: Array, batches: Array | None,
         next_position: Array | None = None) -> tuple[StageView, ...]:
    """Return the backward-pass stages that open each update on a network surface (none on others).

    >>> from gdviz.core.surfaces import get
    >>> [v.key for v in play(get("tiny_net"), np.array([[0.5, -0.4]]), None)][:3]
    ['forward', 'd_yhat', 'd_w2']
    """
    if not hasattr(surface, "backprop"):
        return ()
    numbers = values(surface, params, batches, next_position)
    return tuple(StageView(stage, {kind: np.asarray(numbers[name]) for kind, name in stage.show.items()}, False,
                           numbers) for stage in script(numbers["n"], numbers["samples"]))
