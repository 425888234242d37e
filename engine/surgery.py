"""Network surgery: add or remove hidden neurons without disturbing what was learned, and
read a one-hidden-layer network as a sum of pieces.

A network with one hidden layer of n units on one input computes

    y(x) = b_out + sum_j v_j * h(w_j * x + b_j)

with ``w = W[0][0]`` (n,), ``b = b[0]`` (n,), ``v = W[1][:, 0]`` (n,) and ``b_out = b[1][0]``.
``contributions`` gives each term ``v_j * h_j(x)``; ``kink_positions`` gives where each unit's
pre-activation crosses zero, ``x = -b_j / w_j`` (a relu's kink).

``layer`` counts hidden layers from 0: hidden layer ``layer`` is fed by ``W[layer]`` and
feeds ``W[layer + 1]``. Surgery returns a new ``Network``; the argument is never changed.
"""

import numpy as np

from engine.initializers import INITIALIZERS, Initializer
from engine.network import Network
from engine.registry import lookup


def _check_hidden_layer(network: Network, layer: int) -> None:
    n_hidden = network.n_layers - 1
    if n_hidden < 1:
        raise ValueError("the network has no hidden layer")
    if isinstance(layer, bool) or not isinstance(layer, int | np.integer) or not 0 <= layer < n_hidden:
        raise ValueError(f"layer must be a hidden layer index in 0..{n_hidden - 1}, got {layer!r}")


def _resized(network: Network, sizes: list[int], W: list[np.ndarray], b: list[np.ndarray]) -> Network:
    """A network like ``network`` (activations, initializer) of the given sizes and weights."""
    twin = Network(
        sizes,
        network.hidden_activation_names,
        network.output_activation_name,
        network.initializer,
        seed=0,
    )
    twin.set_weights(W, b)
    return twin


def add_neuron(
    network: Network,
    layer: int = 0,
    rng: np.random.Generator | int | None = None,
    initializer: Initializer | None = None,
) -> Network:
    """A new network one unit wider in hidden layer ``layer``; the unit is appended last.

    Every existing weight and bias is copied exactly. The new unit's incoming weights
    (a column of ``W[layer]``, fan_in values) and bias are drawn with ``rng`` as
    ``initializer`` (default: the network's own, by its key) draws a unit of a layer this
    wide; its outgoing weights (a row of ``W[layer + 1]``) are 0, so the network computes
    the same function until training moves them (equal up to the rounding of one more
    zero term in each sum).
    """
    _check_hidden_layer(network, layer)
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    init = initializer or lookup(INITIALIZERS, network.initializer, "initializer")
    sizes = list(network.sizes)
    sizes[layer + 1] += 1
    fan_in, width = sizes[layer], sizes[layer + 1]
    W_draw, b_draw = init(fan_in, width, rng)
    W, b = network.get_weights()
    W[layer] = np.hstack([W[layer], np.asarray(W_draw, dtype=float)[:, -1:]])
    b[layer] = np.append(b[layer], float(np.asarray(b_draw)[-1]))
    W[layer + 1] = np.vstack([W[layer + 1], np.zeros((1, sizes[layer + 2]))])
    return _resized(network, sizes, W, b)


def remove_neuron(network: Network, layer: int, unit: int) -> Network:
    """A new network without unit ``unit`` of hidden layer ``layer`` (its column of
    ``W[layer]``, its bias, its row of ``W[layer + 1]``); every other weight is copied
    exactly. A layer keeps at least one unit."""
    _check_hidden_layer(network, layer)
    width = network.sizes[layer + 1]
    if width <= 1:
        raise ValueError("cannot remove the last neuron of a layer")
    if isinstance(unit, bool) or not isinstance(unit, int | np.integer) or not 0 <= unit < width:
        raise ValueError(f"unit must lie in 0..{width - 1}, got {unit!r}")
    sizes = list(network.sizes)
    sizes[layer + 1] -= 1
    W, b = network.get_weights()
    W[layer] = np.delete(W[layer], unit, axis=1)
    b[layer] = np.delete(b[layer], unit)
    W[layer + 1] = np.delete(W[layer + 1], unit, axis=0)
    return _resized(network, sizes, W, b)


def weakest_neuron(network: Network, layer: int = 0) -> int:
    """The unit of hidden layer ``layer`` with the smallest outgoing weight norm
    (``|v_j|`` for one output); the lowest index among equals."""
    _check_hidden_layer(network, layer)
    return int(np.argmin(np.linalg.norm(network.W[layer + 1], axis=1)))


def _one_hidden_layer(network: Network) -> None:
    if network.n_layers != 2 or network.sizes[0] != 1 or network.sizes[-1] != 1:
        raise ValueError(f"need a 1-n-1 network (one input, one hidden layer, one output), got {network.sizes}")


def contributions(network: Network, x) -> np.ndarray:
    """Each hidden unit's term ``v_j * h(w_j * x + b_j)`` of a 1-n-1 network.

    ``x`` is (n_points,) or (n_points, 1), shared by every unit, or (n_points, n) with
    column j evaluated for unit j only. Returns (n_points, n). Row sums plus the output
    bias are the output layer's pre-activation: the output itself for a linear output.
    """
    _one_hidden_layer(network)
    n = network.sizes[1]
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[1] not in (1, n):
        raise ValueError(f"x must have shape (n_points,), (n_points, 1) or (n_points, {n}), got {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("x contains NaN or infinite values")
    z = x * network.W[0][0] + network.b[0]
    return network.activations[0].fn(z) * network.W[1][:, 0]


def output_bias(network: Network) -> float:
    """``b_out`` of a 1-n-1 network: what the output is where every contribution is 0."""
    _one_hidden_layer(network)
    return float(network.b[1][0])


def kink_positions(network: Network) -> np.ndarray:
    """(n,) for a 1-n-1 network: where unit j's pre-activation crosses zero, x = -b_j / w_j.

    That is a relu's (or leaky relu's) kink, a step's jump, the centre of a tanh or
    sigmoid. NaN for a unit with w_j = 0 (its pre-activation never crosses zero).
    """
    _one_hidden_layer(network)
    w, b = network.W[0][0], network.b[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(w != 0, -b / np.where(w != 0, w, 1.0), np.nan)
