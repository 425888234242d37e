"""A fully connected network: forward over a batch and backpropagation.

Shapes, batch first: ``X (n_samples, n_features)``; layer i has ``W[i] (fan_in, fan_out)``
(rows are the neurons the connections come from, columns the neurons they go to) and
``b[i] (fan_out,)``; its pre-activation is ``z = a_prev @ W[i] + b[i]`` and its activation
``a = f(z)``, each (n_samples, fan_out).

All parameters live in one flat vector ``params``; ``W[i]`` and ``b[i]`` are views into it,
so editing ``net.W[0][1, 2] = 0.5`` edits the network, and an optimizer updates every
parameter with one vectorized operation on ``params`` (and ``grads``).
"""

from dataclasses import dataclass
from numbers import Integral

import numpy as np

from engine.activations import Activation, get_activation
from engine.initializers import INITIALIZERS
from engine.losses import FUSED, Loss, get_loss
from engine.registry import lookup


@dataclass
class Trace:
    """Everything one forward pass computed.

    ``activations[0]`` is the input X; ``pre_activations[i]`` and ``activations[i + 1]`` are
    layer i's z and a, each (n_samples, fan_out of layer i).
    """

    pre_activations: list[np.ndarray]
    activations: list[np.ndarray]

    @property
    def output(self) -> np.ndarray:
        return self.activations[-1]


def _check_sizes(layer_sizes) -> tuple[int, ...]:
    sizes = tuple(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(
            f"layer_sizes needs at least an input and an output size, got {list(sizes)}"
        )
    for i, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, Integral) or n < 1:
            raise ValueError(f"layer size {i} must be a positive integer, got {n!r}")
    return tuple(int(n) for n in sizes)


class Network:
    """Dense layers of the given sizes, ``[n_inputs, hidden..., n_outputs]``.

    ``hidden_activation`` is one key for every hidden layer, or a list with one key per
    hidden layer; ``output_activation`` is the output layer's own (``softmax`` allowed).
    The same ``seed`` always gives the same weights.
    """

    def __init__(
        self,
        layer_sizes,
        hidden_activation: str | list[str] = "tanh",
        output_activation: str = "tanh",
        initializer: str = "uniform",
        seed: int | np.random.Generator = 0,
    ):
        self.sizes = _check_sizes(layer_sizes)
        n_hidden = len(self.sizes) - 2
        hidden = [hidden_activation] * n_hidden if isinstance(hidden_activation, str) else list(hidden_activation)
        if len(hidden) != n_hidden:
            raise ValueError(f"{n_hidden} hidden layer(s) need {n_hidden} activation(s), got {len(hidden)}")
        self.activations: list[Activation] = [get_activation(h) for h in hidden]
        self.activations.append(get_activation(output_activation, output=True))
        if self.activations[-1].name == "softmax" and self.sizes[-1] < 2:
            raise ValueError("softmax needs at least 2 output units; use sigmoid for one")
        self.initializer = initializer

        # One flat vector; each layer's block is (fan_in + 1, fan_out): W's rows, then b.
        self.params = np.empty(sum((i + 1) * o for i, o in zip(self.sizes[:-1], self.sizes[1:])))
        self.W: list[np.ndarray] = []
        self.b: list[np.ndarray] = []
        self._views_into(self.params, self.W, self.b)
        self.grads = np.zeros_like(self.params)
        self.grad_W: list[np.ndarray] = []
        self.grad_b: list[np.ndarray] = []
        self._views_into(self.grads, self.grad_W, self.grad_b)
        # 1 where params holds a weight, 0 for a bias: regularization skips biases.
        self.weight_mask = np.zeros_like(self.params)
        for w in self._views_into(self.weight_mask, [], [])[0]:
            w[...] = 1.0
        self.initialize(seed)

    # ---- structure -------------------------------------------------------------------

    def _views_into(self, flat, W_out, b_out):
        start = 0
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:]):
            block = flat[start : start + (fan_in + 1) * fan_out].reshape(fan_in + 1, fan_out)
            W_out.append(block[:-1])
            b_out.append(block[-1])
            start += (fan_in + 1) * fan_out
        return W_out, b_out

    @property
    def n_layers(self) -> int:
        """Number of weight layers (hidden layers + the output layer)."""
        return len(self.sizes) - 1

    @property
    def n_params(self) -> int:
        return self.params.size

    @property
    def hidden_activation_names(self) -> list[str]:
        return [a.name for a in self.activations[:-1]]

    @property
    def output_activation_name(self) -> str:
        return self.activations[-1].name

    def initialize(self, seed: int | np.random.Generator = 0) -> None:
        """(Re)draw every weight and bias with the network's initializer."""
        init = lookup(INITIALIZERS, self.initializer, "initializer")
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        for W, b in zip(self.W, self.b):
            W[...], b[...] = init(W.shape[0], W.shape[1], rng)

    def get_weights(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Copies of (W list, b list)."""
        return [w.copy() for w in self.W], [b.copy() for b in self.b]

    def set_weights(self, W: list, b: list) -> None:
        """Copy the given weights in; shapes must match the layers exactly."""
        if len(W) != self.n_layers or len(b) != self.n_layers:
            raise ValueError(f"expected {self.n_layers} weight matrices and bias vectors, got {len(W)} and {len(b)}")
        new_W = [np.asarray(w, dtype=float) for w in W]
        new_b = [np.asarray(v, dtype=float) for v in b]
        for i, (w, v, cur_w, cur_b) in enumerate(zip(new_W, new_b, self.W, self.b)):
            if w.shape != cur_w.shape:
                raise ValueError(f"W[{i}] must have shape {cur_w.shape}, got {w.shape}")
            if v.shape != cur_b.shape:
                raise ValueError(f"b[{i}] must have shape {cur_b.shape}, got {v.shape}")
            if not (np.all(np.isfinite(w)) and np.all(np.isfinite(v))):
                raise ValueError(f"layer {i} has a NaN or infinite weight")
        for w, v, cur_w, cur_b in zip(new_W, new_b, self.W, self.b):
            cur_w[...] = w
            cur_b[...] = v

    def copy(self) -> "Network":
        twin = Network(
            self.sizes,
            self.hidden_activation_names,
            self.output_activation_name,
            self.initializer,
        )
        twin.params[...] = self.params
        return twin

    def __repr__(self) -> str:
        hidden = self.hidden_activation_names
        hidden_desc = hidden[0] if len(set(hidden)) == 1 else hidden
        return (
            f"Network({'-'.join(map(str, self.sizes))}, hidden={hidden_desc}, "
            f"output={self.output_activation_name}, params={self.n_params})"
        )

    # ---- forward ---------------------------------------------------------------------

    def check_input(self, X) -> np.ndarray:
        """X as a float array (n_samples, n_inputs), or a ValueError saying what is wrong."""
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have shape (n_samples, {self.sizes[0]}), got {X.shape}")
        if not np.all(np.isfinite(X)):
            raise ValueError("X contains NaN or infinite values")
        return X

    def forward(self, X, *, trace: bool = False) -> np.ndarray | Trace:
        """The output (n_samples, n_outputs); with ``trace=True`` the whole ``Trace``."""
        X = self.check_input(X)
        return self._trace(X) if trace else self._forward(X)

    __call__ = forward

    def _forward(self, X: np.ndarray) -> np.ndarray:
        a = X
        for W, b, act in zip(self.W, self.b, self.activations):
            a = act.fn(a @ W + b)
        return a

    def _trace(self, X: np.ndarray) -> Trace:
        zs, acts = [], [X]
        for W, b, act in zip(self.W, self.b, self.activations):
            z = acts[-1] @ W + b
            zs.append(z)
            acts.append(act.fn(z))
        return Trace(zs, acts)

    # ---- loss and backward -----------------------------------------------------------

    def loss(self, X, Y, loss: str | Loss) -> float:
        """Mean data loss over the batch (no regularization term); Y (n_samples, n_outputs)."""
        loss = get_loss(loss) if isinstance(loss, str) else loss
        return self._loss_from_trace(self._trace(self.check_input(X)), Y, loss)

    def _loss_from_trace(self, t: Trace, Y: np.ndarray, loss: Loss) -> float:
        fused = FUSED.get((self.activations[-1].name, loss.name))
        if fused is not None:
            return fused.value(t.pre_activations[-1], Y)
        return loss.value(t.output, Y)

    def backward(self, t: Trace, Y: np.ndarray, loss: Loss) -> np.ndarray:
        """Backpropagate from a ``Trace`` of the batch; fills and returns ``self.grads``.

        ``self.grad_W[i]`` (fan_in, fan_out) and ``self.grad_b[i]`` (fan_out,) are views of
        it: the gradient of the mean data loss over the batch.
        """
        out = self.activations[-1]
        z, a = t.pre_activations[-1], t.activations[-1]
        fused = FUSED.get((out.name, loss.name))
        delta = fused.delta(z, a, Y) if fused else out.backward(z, a, loss.grad(a, Y))
        for i in range(self.n_layers - 1, -1, -1):
            np.dot(t.activations[i].T, delta, out=self.grad_W[i])
            np.add.reduce(delta, axis=0, out=self.grad_b[i])  # np.sum, without its wrapper
            if i:
                delta = self.activations[i - 1].backward(
                    t.pre_activations[i - 1], t.activations[i], delta @ self.W[i].T
                )
        return self.grads

    def regularization_penalty(self, l1: float = 0.0, l2: float = 0.0) -> float:
        """l1 * sum|w| + l2/2 * sum w^2 over the weights (biases are not regularized)."""
        w = self.params * self.weight_mask
        return float(l1 * np.abs(w).sum() + 0.5 * l2 * (w * w).sum())

    def add_regularization_gradient(self, grads: np.ndarray, l1: float, l2: float) -> None:
        """grads += d(penalty)/d(params), in place."""
        if l2:
            grads += l2 * self.weight_mask * self.params
        if l1:
            grads += l1 * self.weight_mask * np.sign(self.params)

    def loss_and_gradient(self, X, Y, loss: str | Loss, l1: float = 0.0, l2: float = 0.0):
        """(loss + penalty, gradient of it as a flat vector aligned with ``params``)."""
        loss = get_loss(loss) if isinstance(loss, str) else loss
        t = self._trace(self.check_input(X))
        Y = np.asarray(Y, dtype=float)
        grads = self.backward(t, Y, loss).copy()
        self.add_regularization_gradient(grads, l1, l2)
        return self._loss_from_trace(t, Y, loss) + self.regularization_penalty(l1, l2), grads
