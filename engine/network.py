"""A fully connected network: forward over a batch and backpropagation.

Shapes, batch first: ``X (n_samples, n_features)``; layer i has ``W[i] (fan_in, fan_out)``
(rows are the neurons the connections come from, columns the neurons they go to) and
``b[i] (fan_out,)``; its pre-activation is ``z = a_prev @ W[i] + b[i]`` and its activation
``a = f(z)``, each (n_samples, fan_out).

All parameters live in one flat vector ``params``; ``W[i]`` and ``b[i]`` are views into it,
so editing ``net.W[0][1, 2] = 0.5`` edits the network, and an optimizer updates every
parameter with one vectorized operation on ``params`` (and ``grads``).

Why the inside looks transposed: with the small batches of a playground (10 samples, 2 to
16 neurons), time goes to the number of NumPy calls, not to arithmetic, and ufuncs on
strided views cost two to three times more than on contiguous rows. So the passes run
feature-major: layer i's input is kept as ``A[i] (fan_in + 1, n_samples)``, its last row
all ones, and one ``dot(block.T, A[i])`` with the layer's ``(fan_in + 1, fan_out)`` block
(W's rows, then b) gives z with the bias added; one ``dot(A[i], delta)`` gives dW and db
together. Every buffer is contiguous and preallocated per batch size (``_Workspace``).
Callers never see this: inputs, outputs and ``Trace`` are batch-first.

A training loop calls the batch API instead, which skips the checks and keeps that speed:
``batch_inputs(X, rows)`` puts its (shuffled) batches into the passes' input form once,
then per batch ``batch_gradient(A, Y, loss)``; per evaluation ``forward_batch(A)`` gives
the output and the output layer's pre-activation z, batch-first, and
``loss_from_pre_activation(z, output, Y, loss)`` the loss from them.
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


class _Workspace:
    """Preallocated buffers for batches of ``n`` samples, feature-major.

    ``A[i]`` (fan_in + 1, n): layer i's input with a last row of ones (``A[0]`` holds X^T);
    ``H[i]`` = ``A[i + 1][:-1]`` (fan_out, n): hidden layer i's activation, contiguous rows;
    ``Z[i]`` (fan_out, n): layer i's pre-activation.
    """

    def __init__(self, sizes: tuple[int, ...], n: int):
        self.A = [np.ones((k + 1, n)) for k in sizes[:-1]]
        self.H = [a[:-1] for a in self.A[1:]]
        self.Z = [np.empty((k, n)) for k in sizes[1:]]


MAX_WORKSPACES = 6  # batch sizes whose buffers are kept (train batch, last batch, eval, grid...)


class _Workspaces(dict):
    """The ``_Workspace`` for each batch size n, made on first use: ``workspaces[n]``.

    A found one costs one dict lookup (no Python call: once per batch); past
    ``MAX_WORKSPACES`` sizes all are dropped and made again as needed.
    """

    def __init__(self, sizes: tuple[int, ...]):
        super().__init__()
        self.sizes = sizes

    def __missing__(self, n: int) -> _Workspace:
        if len(self) >= MAX_WORKSPACES:
            self.clear()
        ws = self[n] = _Workspace(self.sizes, n)
        return ws


def _check_sizes(layer_sizes) -> tuple[int, ...]:
    sizes = tuple(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs at least an input and an output size, got {list(sizes)}")
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
        self._blocks = self._blocks_of(self.params)
        self.W = [blk[:-1] for blk in self._blocks]
        self.b = [blk[-1] for blk in self._blocks]
        self._blocks_T = [blk.T for blk in self._blocks]
        self.grads = np.zeros_like(self.params)
        self._grad_blocks = self._blocks_of(self.grads)
        self.grad_W = [blk[:-1] for blk in self._grad_blocks]
        self.grad_b = [blk[-1] for blk in self._grad_blocks]
        # 1 where params holds a weight, 0 for a bias: regularization skips biases.
        self.weight_mask = np.ones_like(self.params)
        for blk in self._blocks_of(self.weight_mask):
            blk[-1] = 0.0
        self._workspaces = _Workspaces(self.sizes)
        self.initialize(seed)

    # ---- structure -------------------------------------------------------------------

    def _blocks_of(self, flat: np.ndarray) -> list[np.ndarray]:
        """Views of ``flat`` as one (fan_in + 1, fan_out) block per layer."""
        blocks, start = [], 0
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:]):
            blocks.append(flat[start : start + (fan_in + 1) * fan_out].reshape(fan_in + 1, fan_out))
            start += (fan_in + 1) * fan_out
        return blocks

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

    def unflatten(self, flat: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Views of a vector aligned with ``params`` (n_params,), e.g. a saved copy of it or
        a difference of two: (W list, b list), ``W[i] (fan_in, fan_out)`` and ``b[i]
        (fan_out,)`` per layer, as ``W``/``b`` are of ``params`` and ``grad_W``/``grad_b``
        of ``grads``. Writing into them writes into ``flat``."""
        flat = np.asarray(flat)
        if flat.shape != self.params.shape:
            raise ValueError(f"a parameter vector must have shape {self.params.shape}, got {flat.shape}")
        blocks = self._blocks_of(flat)
        return [blk[:-1] for blk in blocks], [blk[-1] for blk in blocks]

    def copy_with(self, params: np.ndarray) -> "Network":
        """A copy of this network holding the given flat ``params`` (e.g. an earlier state)."""
        twin = self.copy()
        twin.params[...] = params
        return twin

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

    def _load(self, X: np.ndarray) -> _Workspace:
        """The workspace for len(X) samples, with X^T in its input rows."""
        ws = self._workspaces[len(X)]
        ws.A[0][:-1] = X.T
        return ws

    def _propagate(self, ws: _Workspace, A0: np.ndarray) -> np.ndarray:
        """Forward pass from A0 (n_inputs + 1, n), last row ones; fills ws.Z and ws.H and
        returns the output batch-first (n, n_outputs), a new array."""
        last = self.n_layers - 1
        for i, (block_T, act) in enumerate(zip(self._blocks_T, self.activations)):
            np.dot(block_T, A0 if i == 0 else ws.A[i], out=ws.Z[i])
            if i < last:
                act.fn(ws.Z[i], out=ws.H[i])
        # The output layer works batch-first (softmax is over a sample's units, and the
        # losses take (n, k)); for one output unit the transposed view is contiguous too.
        return self.activations[-1].fn(ws.Z[-1].T)

    def _forward(self, X: np.ndarray) -> np.ndarray:
        ws = self._load(X)
        return self._propagate(ws, ws.A[0])

    def _trace(self, X: np.ndarray) -> Trace:
        ws = self._load(X)
        out = self._propagate(ws, ws.A[0])
        hidden = [h.T.copy() for h in ws.H]  # the workspace is reused: the trace owns copies
        return Trace([z.T.copy() for z in ws.Z], [X, *hidden, out])

    # ---- loss and backward -----------------------------------------------------------

    def loss(self, X, Y, loss: str | Loss) -> float:
        """Mean data loss over the batch (no regularization term); Y (n_samples, n_outputs)."""
        loss = get_loss(loss) if isinstance(loss, str) else loss
        X = self.check_input(X)
        Y = self._check_targets(Y, len(X))
        ws = self._load(X)
        out = self._propagate(ws, ws.A[0])
        return self.loss_from_pre_activation(ws.Z[-1].T, out, Y, loss)

    def _check_targets(self, Y, n: int) -> np.ndarray:
        """Targets as (n, n_outputs) floats; integer class labels (n,) become one-hot when
        there are several outputs."""
        Y = np.asarray(Y, dtype=float)
        k = self.sizes[-1]
        if Y.ndim == 1 and len(Y) == n:
            if k == 1:
                Y = Y.reshape(n, 1)
            elif np.all((Y == np.round(Y)) & (Y >= 0) & (Y < k)):
                Y = np.eye(k)[Y.astype(int)]
        if Y.shape != (n, k):
            raise ValueError(f"Y must have shape ({n}, {k}) (or class labels ({n},)), got {Y.shape}")
        return Y

    def _backprop(self, ws: _Workspace, A0: np.ndarray, out: np.ndarray, Y: np.ndarray, loss: Loss) -> np.ndarray:
        """Gradient of the mean data loss after ``_propagate(ws, A0)`` returned ``out``;
        ``Y`` (n, n_outputs).

        Fills and returns ``self.grads``; ``self.grad_W[i]`` (fan_in, fan_out) and
        ``self.grad_b[i]`` (fan_out,) are views of it.
        """
        act = self.activations[-1]
        z = ws.Z[-1].T
        fused = FUSED.get((act.name, loss.name))
        delta = fused.delta(z, out, Y) if fused is not None else act.backward(z, out, loss.grad(out, Y))
        # delta is dL/dz batch-first (n, fan_out); below it, feature-major (fan_out, n).
        last = self.n_layers - 1
        np.dot(ws.A[last] if last else A0, delta, out=self._grad_blocks[last])
        delta_T = np.dot(self.W[last], delta.T) if last else None
        for i in range(last - 1, -1, -1):
            delta_T = self.activations[i].backward(ws.Z[i], ws.H[i], delta_T)
            np.dot(ws.A[i] if i else A0, delta_T.T, out=self._grad_blocks[i])
            if i:
                delta_T = np.dot(self.W[i], delta_T)
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
        X = self.check_input(X)
        Y = self._check_targets(Y, len(X))
        ws = self._load(X)
        out = self._propagate(ws, ws.A[0])
        value = self.loss_from_pre_activation(ws.Z[-1].T, out, Y, loss) + self.regularization_penalty(l1, l2)
        grads = self._backprop(ws, ws.A[0], out, Y, loss).copy()
        self.add_regularization_gradient(grads, l1, l2)
        return value, grads

    # ---- the batch API: a training loop's fast path ---------------------------------

    @staticmethod
    def batch_inputs(X: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Inputs in the form ``forward_batch`` and ``batch_gradient`` take: the passes'
        feature-major form, X^T with a last row of ones (see the module docstring).

        ``X (n_samples, n_inputs)``, batch-first, already checked (``check_input``): nothing
        is validated here. Without ``rows``, returns ``(n_inputs + 1, n_samples)``. With
        ``rows``, integer indices into X's rows, it takes ``X[rows]``: indices ``(n,)`` give
        one batch ``(n_inputs + 1, n)``; indices ``(n_batches, batch_size)`` give every batch
        at once, ``(n_batches, n_inputs + 1, batch_size)``, where ``[j]`` is batch j. Each
        batch is a new, contiguous array: make them once (per epoch), use them many times.
        """
        if rows is not None:
            X = X.take(rows, axis=0)  # as X[rows], in fewer microseconds
        A = np.ones((*X.shape[:-2], X.shape[-1] + 1, X.shape[-2]))
        A[..., :-1, :] = X.swapaxes(-1, -2)
        return A

    def forward_batch(self, A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The forward pass over one batch ``A (n_inputs + 1, n_samples)`` from
        ``batch_inputs``; returns ``(output, z)``, both batch-first ``(n_samples, n_outputs)``.

        ``output`` is the output layer's activation, a new array; ``z`` its pre-activation,
        a view of the network's buffer for batches of n_samples: the next pass over a batch
        of that size overwrites it (copy it to keep it).
        """
        ws = self._workspaces[A.shape[1]]
        return self._propagate(ws, A), ws.Z[-1].T

    def last_pass(self, n_samples: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """What the last pass over a batch of ``n_samples`` samples (``forward_batch``,
        ``batch_gradient``, ``forward``, ...) computed in every layer: ``(z, a)``, two lists
        with one array per weight layer (hidden layers, then the output layer), each
        feature-major ``(fan_out, n_samples)``: column j is sample j of that batch.

        The hidden layers' z and a and the output layer's z are views of the network's
        buffers for batches of that size: the next pass over a batch of n_samples
        overwrites them (copy them to keep them). The output layer's a is computed here
        from its z (a new array), since the passes return it without keeping it. Read
        them at once after the pass: cheap (no pass is made), but they are as stale as
        that pass. ValueError when no pass over a batch of that size was made (or its
        buffers were dropped, see ``MAX_WORKSPACES``).
        """
        ws = self._workspaces.get(n_samples)  # .get: never makes a workspace (__missing__)
        if ws is None:
            raise ValueError(f"no pass over a batch of {n_samples} samples is held")
        output = self.activations[-1].fn(ws.Z[-1].T).T  # softmax works over a sample's row
        return list(ws.Z), [*ws.H, output]

    def batch_gradient(self, A: np.ndarray, Y: np.ndarray, loss: Loss) -> np.ndarray:
        """Gradient of the mean data loss over one batch: a forward and a backward pass.

        ``A (n_inputs + 1, n_samples)`` from ``batch_inputs``; ``Y (n_samples, n_outputs)``
        the targets, already encoded (floats); ``loss`` a ``Loss`` (not a key). Returns
        ``grads``, the network's own vector aligned with ``params`` (``grad_W[i]``
        (fan_in, fan_out) and ``grad_b[i]`` (fan_out,) are views of it), overwritten by the
        next call: copy it to keep it. No regularization term (``add_regularization_gradient``).
        """
        ws = self._workspaces[A.shape[1]]
        return self._backprop(ws, A, self._propagate(ws, A), Y, loss)

    def loss_from_pre_activation(self, z: np.ndarray, output: np.ndarray, Y: np.ndarray, loss: Loss) -> float:
        """Mean data loss of a batch from the output layer's pre-activation ``z`` and its
        ``output``, as ``forward_batch`` returns them, and the targets ``Y``, all
        ``(n_samples, n_outputs)``; ``loss`` a ``Loss`` (not a key).

        Where the output activation and the loss have a stable fused form (sigmoid with
        binary cross-entropy, softmax with softmax cross-entropy: ``engine.losses.FUSED``),
        the value comes from z (never log(0)); otherwise it is ``loss.value(output, Y)``.
        Rows may be any subset of a batch, e.g. ``z[:n_train]`` with ``output[:n_train]``.
        """
        fused = FUSED.get((self.activations[-1].name, loss.name))
        return fused.value(z, Y) if fused is not None else loss.value(output, Y)
