"""The smallest real neural network: ŷ = w₂·tanh(w₁·x), trained on 40 points.

Its two weights are the two coordinates of the map, so a ball rolling on the `tiny_net`
surface *is* a network being trained. The loss is the mean squared error on a small 1-D
dataset shipped in gdviz/data/tiny_net.csv; `make_dataset` is the code that made it (a
"teacher" network with w₁ = 1.5, w₂ = 1.2, plus a little noise, from a fixed seed).

The slope is worked out the way a deep-learning library does it: `forward` runs the network
and keeps every value it computed (z = w₁·x, h = tanh z, ŷ = w₂·h, the loss); `backward`
then walks back through those values node by node with the chain rule. Both work on many
balls and many samples at once. The surface's `grad`, its mini-batch gradients and the
step-by-step captions all use these two functions, so what you read is what the ball felt.

The loss has two minima that are mirror images, (w₁, w₂) and (−w₁, −w₂) — the same
function, since tanh is odd — a saddle at the origin, where the network outputs 0 for
every x, and flat land where tanh saturates (|w₁| large) and along w₂ = 0.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from gdviz.core.surfaces import DataFitSurface, Surface, _with_points

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "tiny_net.csv"
TEACHER = {"samples": 40, "w1": 1.5, "w2": 1.2, "noise": 0.15, "seed": 17, "span": 2.5}
DECIMALS = 6  # the CSV keeps this many decimals
CHUNK = 4096  # points evaluated together when the terrain asks for a whole grid
FLAT_SHARE = 0.1  # "flat": the slope along w₁ is below this share of its largest at the same w₂
VIEW = ((-4.0, 4.0), (-3.0, 3.0))


# --- the data -------------------------------------------------------------------------------


def make_dataset(samples: int = 40, w1: float = 1.5, w2: float = 1.2, noise: float = 0.15,
                 seed: int = 17, span: float = 2.5) -> tuple[np.ndarray, np.ndarray]:
    """Return the teacher's data: x uniform in [−span, span] (sorted), y = w2·tanh(w1·x) + noise.

    >>> x, y = make_dataset()
    >>> x.shape, bool(np.all(np.diff(x) > 0))
    ((40,), True)
    """
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-span, span, samples))
    y = w2 * np.tanh(w1 * x) + noise * rng.standard_normal(samples)
    return np.round(x, DECIMALS), np.round(y, DECIMALS)


def dataset_csv(x: np.ndarray, y: np.ndarray) -> str:
    """Return the data as the text of the shipped CSV file (header x,y)."""
    out = io.StringIO()
    out.write("x,y\n")
    for a, b in zip(x, y):
        out.write(f"{a:.{DECIMALS}f},{b:.{DECIMALS}f}\n")
    return out.getvalue()


def write_dataset(path: Path = DATA_FILE) -> None:
    """Make the teacher's data again and write it to `path` (how gdviz/data/tiny_net.csv was made)."""
    path.write_text(dataset_csv(*make_dataset(**TEACHER)), encoding="utf-8")


@functools.lru_cache(maxsize=1)
def load_dataset() -> tuple[np.ndarray, np.ndarray]:
    """Return the shipped data (x, y), read from gdviz/data/tiny_net.csv."""
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        rows = [(float(r["x"]), float(r["y"])) for r in csv.DictReader(handle)]
    x, y = np.array(rows).T
    x.flags.writeable = y.flags.writeable = False
    return x, y


# --- forward and backward -----------------------------------------------------------------------


@dataclass(frozen=True)
class Tape:
    """What the forward pass computed, kept for the backward pass: one row per ball, one column per sample."""

    w1: np.ndarray  # (n, 1)
    w2: np.ndarray  # (n, 1)
    x: np.ndarray  # (n, k) or (1, k): the inputs each ball sees
    y: np.ndarray  # the targets, same shape as x
    z: np.ndarray  # w1·x
    h: np.ndarray  # tanh z
    yhat: np.ndarray  # w2·h
    loss: np.ndarray  # (n,): mean of (ŷ − y)²


@dataclass(frozen=True)
class Grads:
    """The backward pass, node by node: per-sample derivatives (n, k) and the weights' slopes (n,)."""

    dyhat: np.ndarray  # ∂ℓ/∂ŷ = 2(ŷ − y), per sample
    dw2: np.ndarray  # ∂L/∂w₂ = mean(∂ℓ/∂ŷ · h)
    dh: np.ndarray  # ∂ℓ/∂h = ∂ℓ/∂ŷ · w₂
    dtanh: np.ndarray  # tanh′(z) = 1 − h²
    dz: np.ndarray  # ∂ℓ/∂z = ∂ℓ/∂h · (1 − h²)
    dw1: np.ndarray  # ∂L/∂w₁ = mean(∂ℓ/∂z · x)
    grad: np.ndarray = field(repr=False)  # (n, 2): (∂L/∂w₁, ∂L/∂w₂)


def forward(w1: np.ndarray, w2: np.ndarray, x: np.ndarray, y: np.ndarray) -> Tape:
    """Run the network for n balls (weights shape (n,)) on samples x, y of shape (k,) or (n, k)."""
    w1 = np.asarray(w1, dtype=float).reshape(-1, 1)
    w2 = np.asarray(w2, dtype=float).reshape(-1, 1)
    x, y = np.atleast_2d(x), np.atleast_2d(y)
    z = w1 * x
    h = np.tanh(z)
    yhat = w2 * h
    loss = np.mean((yhat - y) ** 2, axis=1)
    return Tape(w1, w2, x, y, z, h, yhat, loss)


def backward(tape: Tape) -> Grads:
    """Walk back from the loss to each weight with the chain rule, one node at a time."""
    dyhat = 2.0 * (tape.yhat - tape.y)
    dw2 = np.mean(dyhat * tape.h, axis=1)
    dh = dyhat * tape.w2
    dtanh = 1.0 - tape.h**2
    dz = dh * dtanh
    dw1 = np.mean(dz * tape.x, axis=1)
    return Grads(dyhat, dw2, dh, dtanh, dz, dw1, np.stack([dw1, dw2], axis=1))


def _chunked(w1: np.ndarray, w2: np.ndarray, x: np.ndarray, y: np.ndarray, want: str) -> tuple[np.ndarray, ...]:
    """Return the loss (want='loss') or both slopes for weights of any shape, a chunk of points at a time."""
    shape = np.broadcast_shapes(np.shape(w1), np.shape(w2))
    a, b = np.broadcast_to(w1, shape).ravel(), np.broadcast_to(w2, shape).ravel()
    parts: list[list[np.ndarray]] = [[], []] if want == "grad" else [[]]
    for lo in range(0, max(a.size, 1), CHUNK):
        tape = forward(a[lo:lo + CHUNK], b[lo:lo + CHUNK], x, y)
        if want == "grad":
            grads = backward(tape)
            parts[0].append(grads.dw1)
            parts[1].append(grads.dw2)
        else:
            parts[0].append(tape.loss)
    return tuple(np.concatenate(p)[: a.size].reshape(shape) for p in parts)


# --- the surface ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flat:
    """A flat region of the loss and why: a box of (w₁, w₂) where the slope along w₁ is below
    `share` of its largest value at the same w₂ (0: exactly flat)."""

    box: tuple[tuple[float, float], tuple[float, float]]
    share: float
    why: str


@dataclass(frozen=True, eq=False)
class TinyNetSurface(DataFitSurface):
    """The loss of ŷ = w₂·tanh(w₁·x) over its weights (w₁, w₂); slopes by backpropagation."""

    flats: tuple[Flat, ...] = ()

    def batch_grad(self, points: np.ndarray, batches: np.ndarray) -> np.ndarray:
        """Return each point's gradient on its own batch: points (n, 2), batches (n, k) indices."""
        return self.backprop(points, batches)[1].grad

    def backprop(self, points: np.ndarray, batches: np.ndarray | None = None) -> tuple[Tape, Grads]:
        """Run forward and backward for points (n, 2) on their batches (n, k) (None: every sample)."""
        points = np.asarray(points, dtype=float).reshape(-1, 2)
        xs, ys = (self.data_x, self.data_y) if batches is None else (self.data_x[batches], self.data_y[batches])
        tape = forward(points[:, 0], points[:, 1], xs, ys)
        return tape, backward(tape)

    def predict(self, points: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Return the network's output at inputs x (k,) for each weight pair in points (n, 2): (n, k)."""
        points = np.asarray(points, dtype=float).reshape(-1, 2)
        return points[:, 1:] * np.tanh(points[:, :1] * np.asarray(x, dtype=float))


def find_flats(surface: Surface, share: float = FLAT_SHARE) -> tuple[Flat, ...]:
    """Measure where the loss is flat along w₁ in the view: the saturated sides and the line w₂ = 0.

    A saturated side starts at the smallest |w₁| beyond which, for every w₂ of the view (on
    both mirror sides), the slope along w₁ stays below `share` of its largest value at that w₂.
    """
    (lo1, hi1), (lo2, hi2) = surface.bounds
    w1 = np.linspace(0.0, min(-lo1, hi1), 161)
    w2 = np.linspace(lo2, hi2, 120)  # an even count: the exactly flat row w₂ = 0 is left out
    grid = np.stack(np.meshgrid(w1, w2, indexing="ij"), axis=-1)
    along = np.maximum(np.abs(surface.grad(grid)[..., 0]), np.abs(surface.grad(-grid)[..., 0]))
    relative = along / along.max(axis=0, keepdims=True)
    steep = np.nonzero(relative.max(axis=1) >= share)[0]
    edge = float(w1[min(steep[-1] + 1, w1.size - 1)])
    on_axis = np.stack([np.linspace(lo1, hi1, 161), np.zeros(161)], axis=1)
    return (
        Flat(((edge, hi1), (lo2, hi2)), share, "tanh saturates: w₁ hardly changes the output"),
        Flat(((lo1, -edge), (lo2, hi2)), share, "tanh saturates (the mirror side)"),
        Flat(((lo1, hi1), (0.0, 0.0)), float(np.abs(surface.grad(on_axis)[:, 0]).max() / along.max()),
             "w₂ = 0: the network outputs 0 whatever w₁ is"),
    )


def _build() -> TinyNetSurface:
    x, y = load_dataset()
    surface = TinyNetSurface(
        "tiny_net", 2,
        lambda w1, w2: _chunked(w1, w2, x, y, "loss")[0],
        lambda w1, w2: _chunked(w1, w2, x, y, "grad"),
        bounds=VIEW, start=(0.6, -0.55),
        formula="mean of (w₂·tanh(w₁·xᵢ) − yᵢ)²",
        data_x=x, data_y=y,
    )
    teacher = (TEACHER["w1"], TEACHER["w2"])
    surface = _with_points(surface, minima=[teacher, (-teacher[0], -teacher[1])], saddles=[(0.0, 0.0)])
    return replace(surface, flats=find_flats(surface))


@functools.lru_cache(maxsize=1)
def tiny_net() -> TinyNetSurface:
    """The loss of the two-weight network ŷ = w₂·tanh(w₁·x) on the shipped data (built once)."""
    return _build()


if __name__ == "__main__":  # python -m gdviz.core.tiny_net writes the data file again
    write_dataset()
