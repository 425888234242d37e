"""One neuron over the plane, and why a stack of linear layers is one layer.

A neuron with inputs x (n_features,) computes a = f(x·w + b): the weighted sum z is a plane
over the inputs, and f bends it; f(z) changes its meaning at z = 0, the line x·w + b = 0
(where a step neuron flips, and where sigmoid crosses ½ and tanh 0).

A stack of layers a_{i+1} = f(a_i·W_i + b_i) with f linear collapses: x·W_1·W_2 + b_1·W_2 +
b_2 = x·(W_1 W_2) + (b_1 W_2 + b_2), one matrix and one bias; ``collapse_linear`` computes
them. Any non-linear f breaks this, and the boundary can bend.
"""

import numpy as np

from engine.activations import get_activation
from engine.datasets import DOMAIN
from engine.network import Network

NEURON_ACTIVATIONS = ("step", "linear", "sigmoid", "tanh", "relu")


def neuron_output(X: np.ndarray, w: np.ndarray, b: float, activation: str) -> np.ndarray:
    """a = f(X·w + b) (n,) for X (n, n_features), w (n_features,), through the engine's
    activation ``activation``."""
    X = np.asarray(X, dtype=float)
    w = np.asarray(w, dtype=float)
    if X.ndim != 2 or w.shape != (X.shape[1],):
        raise ValueError(f"X must be (n, {len(w)}) for w of shape {w.shape}, got {X.shape}")
    return get_activation(activation)(X @ w + float(b))


def neuron_at(x: np.ndarray, w: np.ndarray, b: float, activation: str) -> tuple[np.ndarray, float, float]:
    """One input point x (n_features,) through the neuron: the terms wᵢ·xᵢ (n_features,),
    their weighted sum with the bias z = Σ wᵢ·xᵢ + b, and a = f(z) (``neuron_output``'s,
    so a diagram of the neuron shows what the pictures of it show)."""
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    if x.ndim != 1 or w.shape != x.shape:
        raise ValueError(f"x and w must be (n_features,) alike, got {x.shape} and {w.shape}")
    z = float(x @ w + float(b))
    return w * x, z, float(neuron_output(x[None, :], w, b, activation)[0])


def plane_grid(n: int = 61, extent: float = DOMAIN) -> tuple[np.ndarray, np.ndarray]:
    """``xs`` (n,) evenly spanning [-extent, extent] and the grid's points X (n·n, 2) in
    row-major order (x₂ the row, x₁ the column): ``values.reshape(n, n)`` is indexed
    [row = x₂, column = x₁]."""
    xs = np.linspace(-extent, extent, n)
    x1, x2 = np.meshgrid(xs, xs)
    return xs, np.column_stack([x1.ravel(), x2.ravel()])


def neuron_grid(w: np.ndarray, b: float, activation: str, n: int = 61, extent: float = DOMAIN):
    """``xs`` (n,) and the neuron's output over the plane (n, n) [row = x₂, column = x₁]."""
    xs, X = plane_grid(n, extent)
    return xs, neuron_output(X, w, b, activation).reshape(n, n)


def collapse_linear(W: list[np.ndarray], b: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The one layer (W (n_in, n_out), b (n_out,)) equal to the stack of linear layers
    ``W[i]`` (fan_in, fan_out), ``b[i]`` (fan_out,): x·W + b = the stack's output for every x."""
    if not W or len(W) != len(b):
        raise ValueError(f"need as many bias vectors as weight matrices (at least one), got {len(W)} and {len(b)}")
    total_W, total_b = np.asarray(W[0], dtype=float), np.asarray(b[0], dtype=float)
    for Wi, bi in zip(W[1:], b[1:]):
        total_W, total_b = total_W @ Wi, total_b @ Wi + bi
    return total_W, total_b


def layer_stack(n_hidden: int, width: int, activation: str, seed: int = 0) -> Network:
    """A network 2 → width (× n_hidden) → 1 with ``activation`` in its hidden layers and a
    linear output: Glorot-uniform weights and biases U(−1, 1) drawn from ``seed``; the same
    seed gives the same weights whatever the activation, so the two can be compared."""
    if not 1 <= n_hidden <= 8 or not 1 <= width <= 16:
        raise ValueError(f"1 to 8 hidden layers of 1 to 16 neurons, got {n_hidden} of {width}")
    net = Network([2, *[width] * n_hidden, 1], activation, "linear", "xavier", seed)
    rng = np.random.default_rng([seed, 1])
    for bias in net.b:
        bias[...] = rng.uniform(-1.0, 1.0, bias.shape)
    return net
