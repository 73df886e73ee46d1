"""Step-by-step backpropagation: where the slope comes from, on a network surface (tiny_net).

On a surface that is a neural network, each update in step-by-step mode first shows how its slope
g is computed: the forward pass on this step's samples, then the backward pass node by node
(∂L/∂ŷ, ∂L/∂w₂, ∂L/∂h, through tanh, ∂L/∂w₁). The numbers come from the surface's own
`backprop`, the very forward and backward passes its gradient is made of; the optimizer's own
stages (gdviz/core/stages.py) follow. Captions give the batch's first sample and its mean.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gdviz.core.stages import Stage, StageView

Array = np.ndarray


BACKPROP: tuple[Stage, ...] = (
    Stage("forward", "Forward pass on the {n} data points of this step; the first: x = {x0} → z = w₁·x = {z0} "
          "→ h = tanh z = {h0} → ŷ = w₂·h = {yhat0} (target y = {y0}); loss = mean of (ŷ − y)² = {loss}.",
          "前向传播，这一步用 {n} 个数据点；第一个：x = {x0} → z = w₁·x = {z0} → h = tanh z = {h0} "
          "→ ŷ = w₂·h = {yhat0}（目标 y = {y0}）；损失 = (ŷ − y)² 的平均 = {loss}。"),
    Stage("d_yhat", "Backward pass, starting at the end: ∂L/∂ŷ = 2(ŷ − y) is {dyhat0} for the first point, "
          "{dyhat_mean} on average.",
          "反向传播，从最后开始：∂L/∂ŷ = 2(ŷ − y)，第一个点是 {dyhat0}，平均是 {dyhat_mean}。"),
    Stage("d_w2", "∂L/∂w₂ = mean(∂L/∂ŷ · h) = {dw2} (first point: ∂L/∂ŷ · h = {dw2_0}): the slope along w₂.",
          "∂L/∂w₂ = (∂L/∂ŷ · h) 的平均 = {dw2}（第一个点：∂L/∂ŷ · h = {dw2_0}）：这是沿 w₂ 的斜率。",
          {"grad": "g_w2"}),
    Stage("d_h", "Back through w₂: ∂L/∂h = ∂L/∂ŷ · w₂ is {dh0} for the first point, {dh_mean} on average.",
          "经过 w₂ 往回传：∂L/∂h = ∂L/∂ŷ · w₂，第一个点是 {dh0}，平均是 {dh_mean}。", {"grad": "g_w2"}),
    Stage("d_z", "Back through tanh, whose slope is tanh′ = 1 − h² = {dtanh0} here: ∂L/∂z = ∂L/∂h · (1 − h²) "
          "is {dz0} for the first point, {dz_mean} on average.",
          "穿过 tanh，它在这里的斜率是 tanh′ = 1 − h² = {dtanh0}：∂L/∂z = ∂L/∂h · (1 − h²)，"
          "第一个点是 {dz0}，平均是 {dz_mean}。", {"grad": "g_w2"}),
    Stage("d_w1", "∂L/∂w₁ = mean(∂L/∂z · x) = {dw1} (first point: ∂L/∂z · x = {dw1_0}); "
          "together they make the slope g = {backprop_g}.",
          "∂L/∂w₁ = (∂L/∂z · x) 的平均 = {dw1}（第一个点：∂L/∂z · x = {dw1_0}）；"
          "两个合起来就是斜率 g = {backprop_g}。", {"grad": "backprop_g"}),
)


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
        "batch": used, "n": int(used.shape[1]), "loss": tape.loss[:, None],
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
                           numbers) for stage in BACKPROP)
