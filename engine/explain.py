"""One input followed through a network, written out layer by layer: the arithmetic a
first lecture teaches, with the network's real numbers.

Forward, layer i (``x`` the layer's input vector, ``W (fan_in, fan_out)``, ``b (fan_out,)``)::

    z = x·W + b        a = σ(z)        (the next layer's x is this a)

Backward for a labelled point (``y`` its target, in the output activation's terms)::

    δ_last = dL/dz_last                 from the loss and the output activation
    δ_i    = (W_{i+1} · δ_{i+1}) ⊙ σ'(z_i)
    dL/dW_i = outer(x_i, δ_i)           dL/db_i = δ_i   (b: the weight of an input of 1)

Computed here one layer at a time, from the definitions, with NumPy and the activations'
and losses' own derivatives; the tests check the numbers against ``Network.forward`` and
``Network.loss_and_gradient`` on a batch of that one point (an independent path: the
network's passes run feature-major over whole batches with the bias folded into W).
"""

from dataclasses import dataclass

import numpy as np

from engine.losses import FUSED, Loss, get_loss
from engine.network import Network


@dataclass(slots=True)
class LayerPass:
    """Layer i for one input: ``x (fan_in,)`` its input, ``W (fan_in, fan_out)``,
    ``b (fan_out,)``, ``z = x·W + b`` and ``a = σ(z)``, each ``(fan_out,)``; ``activation``
    the name of σ. Arrays are copies: the network may train on."""

    x: np.ndarray
    W: np.ndarray
    b: np.ndarray
    z: np.ndarray
    a: np.ndarray
    activation: str


@dataclass(slots=True)
class PointBackward:
    """Backpropagation for one labelled point: ``target (n_outputs,)``, its ``loss``,
    ``delta[i]`` = dL/dz of layer i ``(fan_out,)``, ``grad_W[i] (fan_in, fan_out)`` and
    ``grad_b[i] (fan_out,)`` (the data loss's gradient: no regularization term)."""

    target: np.ndarray
    loss: float
    delta: list[np.ndarray]
    grad_W: list[np.ndarray]
    grad_b: list[np.ndarray]


@dataclass(slots=True)
class PointTrace:
    """One input through the network: ``layers[i]`` is layer i's pass (the last is the
    output layer); ``backward`` is set for a labelled point."""

    layers: list[LayerPass]
    backward: PointBackward | None = None

    @property
    def output(self) -> np.ndarray:
        """The network's output for the point ``(n_outputs,)``."""
        return self.layers[-1].a


def trace_point(network: Network, x, target=None, loss: str | Loss | None = None) -> PointTrace:
    """Follow ``x (n_inputs,)`` (the network's inputs, after any feature transform) through
    ``network``; with ``target (n_outputs,)`` (encoded as the trainer trains on it) and a
    ``loss``, also the point's own loss and its backpropagation."""
    x = network.check_input(np.asarray(x, dtype=float).reshape(1, -1))[0]
    layers = []
    with np.errstate(all="ignore"):  # a diverged network's numbers are shown, not raised
        for W, b, act in zip(network.W, network.b, network.activations):
            z = x @ W + b
            a = act.fn(z[None, :])[0]  # softmax works on rows: one row here
            layers.append(LayerPass(x.copy(), W.copy(), b.copy(), z, a, act.name))
            x = a
        trace = PointTrace(layers)
        if target is not None:
            trace.backward = _backward(network, layers, np.asarray(target, dtype=float).reshape(-1), loss)
    return trace


def _backward(network: Network, layers: list[LayerPass], target: np.ndarray, loss) -> PointBackward:
    if loss is None:
        raise ValueError("a labelled point needs a loss")
    loss = get_loss(loss) if isinstance(loss, str) else loss
    if target.shape != layers[-1].a.shape:
        raise ValueError(f"the target needs {layers[-1].a.size} value(s), got {target.size}")
    out_act = network.activations[-1]
    z, a, y = layers[-1].z[None, :], layers[-1].a[None, :], target[None, :]
    fused = FUSED.get((out_act.name, loss.name))
    # A batch of one: the mean loss is the point's own loss.
    if fused is not None:  # the stable form the training uses: δ = a − y
        value, delta = fused.value(z, y), fused.delta(z, a, y)[0]
    else:
        value, delta = loss.value(a, y), out_act.backward(z, a, loss.grad(a, y))[0]
    deltas = [delta]
    for i in range(len(layers) - 2, -1, -1):
        upstream = layers[i + 1].W @ deltas[0]  # dL/da of layer i
        act = network.activations[i]
        deltas.insert(0, act.backward(layers[i].z[None, :], layers[i].a[None, :], upstream[None, :])[0])
    grad_W = [np.outer(layer.x, d) for layer, d in zip(layers, deltas)]
    return PointBackward(target, float(value), deltas, grad_W, [d.copy() for d in deltas])


def softmax_parts(z: np.ndarray) -> tuple[np.ndarray, float, float]:
    """The normalisation a_k = e^(z_k − m) / Σ_j e^(z_j − m) written out for ``z (k,)``:
    ``(e (k,), Σ e, m)``, where the shift m is 0 unless e^z would overflow (then max z),
    which changes no a_k."""
    z = np.asarray(z, dtype=float)
    m = 0.0 if np.max(z) < 700 else float(np.max(z))
    e = np.exp(z - m)
    return e, float(e.sum()), m
