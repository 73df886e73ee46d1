"""Compare gdviz's optimizers with real torch.optim over 500 Rosenbrock steps in float64.

Not part of the test suite (torch is not a dependency of gdviz). Run it in an environment
that has torch installed:   python tools/compare_with_torch.py
"""

import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gdviz.core.optimizers import make  # noqa: E402 - after the path is set
from gdviz.core.surfaces import get  # noqa: E402

STEPS = 500
START = (-1.5, 2.5)

# (our name, torch class, our hyperparameters, torch's)
CASES = [
    ("gd", torch.optim.SGD, {"lr": 1e-3}, {"lr": 1e-3}),
    ("momentum", torch.optim.SGD, {"lr": 5e-4, "momentum": 0.9}, {"lr": 5e-4, "momentum": 0.9}),
    ("momentum", torch.optim.SGD, {"lr": 5e-4, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.1},
     {"lr": 5e-4, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.1}),
    ("nesterov", torch.optim.SGD, {"lr": 5e-4, "momentum": 0.8}, {"lr": 5e-4, "momentum": 0.8, "nesterov": True}),
    ("adagrad", torch.optim.Adagrad, {"lr": 0.1, "lr_decay": 0.01, "initial_accumulator_value": 0.1},
     {"lr": 0.1, "lr_decay": 0.01, "initial_accumulator_value": 0.1}),
    ("rmsprop", torch.optim.RMSprop, {"lr": 1e-2}, {"lr": 1e-2}),
    ("rmsprop", torch.optim.RMSprop, {"lr": 1e-3, "momentum": 0.5, "centered": True},
     {"lr": 1e-3, "momentum": 0.5, "centered": True}),
    ("adam", torch.optim.Adam, {"lr": 2e-2}, {"lr": 2e-2}),
    ("adam", torch.optim.Adam, {"lr": 2e-2, "amsgrad": True, "weight_decay": 0.01},
     {"lr": 2e-2, "amsgrad": True, "weight_decay": 0.01}),
    ("adamw", torch.optim.AdamW, {"lr": 2e-2, "betas": (0.8, 0.99)}, {"lr": 2e-2, "betas": (0.8, 0.99)}),
    ("adadelta", torch.optim.Adadelta, {"lr": 1.0}, {"lr": 1.0}),
]


def largest_relative_gap(name, torch_class, ours, theirs) -> float:
    """Run both for STEPS steps from START; return the largest relative difference seen."""
    surface = get("rosenbrock")
    p = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    reference = torch_class([p], **theirs)
    optimizer = make(name, **ours)
    q = np.array([START])
    state = optimizer.init(q)
    worst = 0.0
    for _ in range(STEPS):
        p.grad = torch.tensor(surface.grad(p.detach().numpy()), dtype=torch.float64)
        reference.step()
        q, state, _ = optimizer.step(q, surface.grad(q), state)
        a = p.detach().numpy()
        worst = max(worst, float(np.max(np.abs(a - q[0]) / np.maximum(np.abs(a), 1e-12))))
    return worst


def main() -> None:
    worst = 0.0
    for case in CASES:
        gap = largest_relative_gap(*case)
        worst = max(worst, gap)
        print(f"{case[0]:9s} {case[2]}: largest relative difference over {STEPS} steps = {gap:.2e}")
    print(f"worst of all: {worst:.2e}")


if __name__ == "__main__":
    main()
