"""Training several networks of one shape together: one set of NumPy calls for all of them.

A small network's mini-batch step is ~40 NumPy calls on tiny arrays, almost all of it the
calls' own overhead (the Playground's default network: 0.7-0.9 ms an epoch). When many
students play networks of the same shape on one server (a class that opened one link),
their steps can run as one set of calls over stacked arrays: weights ``W (S, fan_in,
fan_out)`` for S networks, each network's own data, order of batches, learning rate and
optimizer state.

Exact, not approximate: ``train_together(trainers, epochs)`` leaves every trainer bit for
bit as ``trainer.train(epochs)`` would have (weights, optimizer state, counters, history,
health, divergence). NumPy's stacked ``matmul`` makes one BLAS call per network with the
very operands the single network's pass uses, and every other operation is elementwise
or over a sample's own units (softmax works over the last axis), so a network's numbers
never depend on which others it trained with. The tests check it for every activation,
loss, optimizer and regularization.

Which trainers can train together: ``group_key`` (the same layer sizes, activations, loss,
optimizer and its settings, batch size and number of training rows, and which of L1 and
L2 are on). The learning rates and penalties' strengths may differ. Public API::

    group_key(trainer) -> tuple
    train_together(trainers, epochs, time_budget=None) -> [TrainReport]
"""

from collections.abc import Sequence
from itertools import pairwise
from typing import ClassVar

import numpy as np

from engine.losses import FUSED
from engine.trainer import Trainer, TrainReport


def group_key(trainer: Trainer) -> tuple:
    """What trainers training together must share (see the module docstring)."""
    net, opt, n = trainer.network, trainer.optimizer, len(trainer.X_train)
    return (
        net.sizes,
        tuple(a.name for a in net.activations),
        trainer.loss.name,
        opt.name,
        tuple(getattr(opt, key) for key in opt.settings),
        min(trainer.batch_size, n),
        n,
        bool(trainer.l1),
        bool(trainer.l2),
    )


def train_together(
    trainers: Sequence[Trainer], epochs: int | Sequence[int] = 1, time_budget: float | None = None
) -> list[TrainReport]:
    """Train each trainer up to its ``epochs`` (one number for all, or one each), as
    ``Trainer.train`` does, the networks' mini-batch steps stacked. With ``time_budget``
    (seconds, for the whole call) each stops early once it is spent (at least one epoch
    each). Returns each trainer's report. ValueError if their ``group_key`` differ."""
    trainers = list(trainers)
    wanted = [int(epochs)] * len(trainers) if isinstance(epochs, int) else [int(e) for e in epochs]
    if len(wanted) != len(trainers):
        raise ValueError(f"{len(trainers)} trainers need {len(trainers)} epoch counts, got {len(wanted)}")
    if len({group_key(t) for t in trainers}) > 1:
        raise ValueError("trainers of different shapes or settings cannot train together (see group_key)")
    reports: list[TrainReport | None] = [None] * len(trainers)
    with np.errstate(all="ignore"):
        under_way = {i: t.training_epochs(e, time_budget) for i, (t, e) in enumerate(zip(trainers, wanted))}
        plans: dict = {}
        for i in list(under_way):
            _next_epoch(i, under_way, plans, reports)
        while under_way:
            # An epoch begun batch by batch (train_batch) finishes alone: its position is its own.
            fresh = [i for i in under_way if plans[i].done == 0]
            if len(fresh) > 1:
                _run_stacked([trainers[i] for i in fresh], [plans[i] for i in fresh])
            for i in list(under_way):
                _next_epoch(i, under_way, plans, reports)
    return reports  # type: ignore[return-value]


def _next_epoch(i: int, under_way: dict, plans: dict, reports: list) -> None:
    """Resume trainer i's ``training_epochs``: it ends the epoch (training what is left of
    it) and yields the next plan, or returns its report."""
    try:
        plans[i] = next(under_way[i])
    except StopIteration as end:
        reports[i] = end.value
        del under_way[i]


def _layer_views(flat: np.ndarray, sizes: tuple[int, ...]) -> list[np.ndarray]:
    """Views of stacked flat vectors ``flat (S, n_params)`` as one ``(S, fan_in + 1,
    fan_out)`` block per layer (W's rows, then b), as ``Network`` lays out its own."""
    views, start = [], 0
    for fan_in, fan_out in pairwise(sizes):
        size = (fan_in + 1) * fan_out
        views.append(flat[:, start : start + size].reshape(len(flat), fan_in + 1, fan_out))
        start += size
    return views


def _column(values) -> np.ndarray:
    """One number per network as a column (S, 1), to scale the rows of (S, n_params)."""
    return np.array(values, dtype=float)[:, None]


def _run_stacked(trainers: list[Trainer], plans: list) -> None:
    """Every plan's batches (none trained yet), one optimizer step per batch for every
    network: ``Network.batch_gradient``, the regularization's gradient and the optimizer's
    step, with the same operations on stacked arrays. Afterwards each network holds its
    weights and its last batch's gradient (as the health record reads it), each trainer
    its step count and each optimizer its state."""
    S, net0, first = len(trainers), trainers[0].network, trainers[0]
    sizes, acts, loss = net0.sizes, net0.activations, first.loss
    last = len(acts) - 1
    P = np.stack([t.network.params for t in trainers])  # (S, n_params)
    G = np.empty_like(P)
    blocks, grad_blocks = _layer_views(P, sizes), _layer_views(G, sizes)
    blocks_T = [b.transpose(0, 2, 1) for b in blocks]  # (S, fan_out, fan_in + 1)
    W = [b[:, :-1] for b in blocks]  # (S, fan_in, fan_out)
    learning_rate = _column([t.learning_rate for t in trainers])
    l1, l2 = _column([t.l1 for t in trainers]), _column([t.l2 for t in trainers])
    mask = net0.weight_mask
    fused = FUSED.get((acts[-1].name, loss.name))
    optimizer = _StackedOptimizer(trainers)
    buffers: dict[int, list[np.ndarray]] = {}  # per batch size: each layer's input, last row ones
    # The full batches of every plan stacked once: batch j is then [j] of each, contiguous,
    # the same array np.stack makes of the plans' batch j (one call an epoch, not a batch).
    A_full = np.stack([plan.full[0] for plan in plans], axis=1)  # (n_full, S, n_inputs + 1, size)
    Y_full = np.stack([plan.full[1] for plan in plans], axis=2)  # (n_full, size, S, n_outputs)
    for j in range(len(plans[0].batches)):
        if j < len(A_full):
            A0, Y = A_full[j], Y_full[j]
        else:  # the last, smaller batch
            A0 = np.stack([plan.batches[j][0] for plan in plans])  # (S, n_inputs + 1, n)
            Y = np.stack([plan.batches[j][1] for plan in plans], axis=1)  # (n, S, n_outputs)
        n = A0.shape[2]
        if n not in buffers:
            buffers[n] = [np.ones((S, k + 1, n)) for k in sizes[1:-1]]
        A = [A0, *buffers[n]]
        # Forward, feature-major as Network._propagate: z (S, fan_out, n).
        Z = []
        for i, (block_T, act) in enumerate(zip(blocks_T, acts)):
            Z.append(np.matmul(block_T, A[i]))
            if i < last:
                act.fn(Z[i], out=A[i + 1][:, :-1])
        # Backward, as Network._backprop: the output layer batch-first (n, S, n_outputs),
        # so that the losses' 1/n and softmax's sum over the units are those of one network.
        z = Z[-1].transpose(2, 0, 1)
        out = acts[-1].fn(z)
        delta = fused.delta(z, out, Y) if fused is not None else acts[-1].backward(z, out, loss.grad(out, Y))
        np.matmul(A[last], delta.transpose(1, 0, 2), out=grad_blocks[last])
        delta_T = np.matmul(W[last], delta.transpose(1, 2, 0)) if last else None
        for i in range(last - 1, -1, -1):
            delta_T = acts[i].backward(Z[i], A[i + 1][:, :-1], delta_T)
            np.matmul(A[i], delta_T.transpose(0, 2, 1), out=grad_blocks[i])
            if i:
                delta_T = np.matmul(W[i], delta_T)
        # Network.add_regularization_gradient, term for term.
        if first.l2:
            G += l2 * mask * P
        if first.l1:
            G += l1 * mask * np.sign(P)
        optimizer.step(P, G, learning_rate)
    for s, (trainer, plan) in enumerate(zip(trainers, plans)):
        trainer.network.params[...] = P[s]
        trainer.network.grads[...] = G[s]
        trainer.step += len(plan.batches)
        plan.done = len(plan.batches)
    optimizer.write_back()


class _StackedOptimizer:
    """The trainers' optimizers (one kind, one set of settings) as one over stacked
    parameters ``(S, n_params)``: each rule of ``engine.optimizers`` with the same
    operations, in the same order, its state stacked; ``write_back`` returns each its own."""

    STATE: ClassVar[dict[str, tuple[str, ...]]] = {
        "sgd": (),
        "momentum": ("velocity",),
        "rmsprop": ("square_avg",),
        "adam": ("m", "v"),
    }

    def __init__(self, trainers: list[Trainer]):
        self.optimizers = [t.optimizer for t in trainers]
        first = self.optimizers[0]
        self.name = first.name
        if self.name not in self.STATE:
            raise ValueError(f"optimizer {self.name!r} cannot train stacked")
        self.settings = {key: getattr(first, key) for key in first.settings}
        n_params = trainers[0].network.n_params
        self.state = {
            name: np.stack(
                [np.zeros(n_params) if getattr(o, name) is None else getattr(o, name) for o in self.optimizers]
            )
            for name in self.STATE[self.name]
        }

    def step(self, params: np.ndarray, grads: np.ndarray, learning_rate: np.ndarray) -> None:
        for o in self.optimizers:
            o.t += 1
        s = self.settings
        if self.name == "sgd":
            params -= learning_rate * grads
        elif self.name == "momentum":
            v = self.state["velocity"]
            v *= s["momentum"]
            v += grads
            if s["nesterov"]:
                params -= learning_rate * (grads + s["momentum"] * v)
            else:
                params -= learning_rate * v
        elif self.name == "rmsprop":
            sq = self.state["square_avg"]
            sq *= s["rho"]
            sq += (1.0 - s["rho"]) * grads * grads
            params -= learning_rate * grads / (np.sqrt(sq) + s["eps"])
        else:  # adam; each network's own step count in its bias corrections
            m, v = self.state["m"], self.state["v"]
            m *= s["beta1"]
            m += (1.0 - s["beta1"]) * grads
            v *= s["beta2"]
            v += (1.0 - s["beta2"]) * grads * grads
            m_hat = m / _column([1.0 - s["beta1"] ** o.t for o in self.optimizers])
            v_hat = v / _column([1.0 - s["beta2"] ** o.t for o in self.optimizers])
            params -= learning_rate * m_hat / (np.sqrt(v_hat) + s["eps"])

    def write_back(self) -> None:
        for name, stacked in self.state.items():
            for o, row in zip(self.optimizers, stacked):
                setattr(o, name, row.copy())
