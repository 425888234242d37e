"""Would training many students' networks together reach a lecture hall's targets?

    python -m benchmarks.stacked_training [--seconds 2] [--sessions 1 5 25 50]

A measurement for the lecture hall (README, "How many students a server holds"), not
product code. On one server process every playing student's network trains in its own
NumPy calls: the default network's epoch is 25 mini-batch steps of ~40 small calls each,
~0.9 ms, almost all of it per-call overhead. 25 students at 60 epochs/s each would need
1,500 such epochs a second: more than one core, before any drawing. Students who play the
same setup (a class opening one link) have networks of one shape; their steps could run as
one set of NumPy calls over stacked arrays, ``W (sessions, fan_in, fan_out)``.

This trains S independent networks of the Playground's default shape (2-4-2-1, tanh,
quadratic loss, SGD at 0.03, batches of 10 from 250 points, each its own data, start and
shuffling; the training and test loss recorded every epoch, as the app does; the engine
also records the accuracy, the health record is off) both ways:
the engine's ``Trainer``, one network after the other (the peer), and a stacked loop
written here with ``np.matmul`` over the leading axis. It prints epochs per second per
network and for all S together. The stacked loop is checked against the engine: from the
same weights, order of batches and data, one epoch gives the same weights (the largest
difference is printed).
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json

import numpy as np

from benchmarks.engine import time_epochs
from engine import Network, Trainer
from engine.datasets import circle

SIZES, N_TRAIN, BATCH, LR = (2, 4, 2, 1), 250, 10, 0.03


def session_data(s: int) -> tuple[np.ndarray, np.ndarray]:
    d = circle(2 * N_TRAIN, 0.0, seed=s)
    return d.X, d.y


def engine_trainer(s: int) -> Trainer:
    X, y = session_data(s)
    net = Network(list(SIZES), "tanh", "tanh", seed=s)
    return Trainer(
        net, X, y, loss="quadratic", learning_rate=LR, batch_size=BATCH, problem="classification", health=False
    )


class Stacked:
    """S networks of shape SIZES trained together: ``W[i] (S, fan_in, fan_out)``,
    ``b[i] (S, 1, fan_out)``; data ``X (S, n, 2)``, targets ``Y (S, n, 1)`` (±1)."""

    def __init__(self, trainers: list[Trainer]):
        self.W = [np.stack([t.network.W[i] for t in trainers]) for i in range(len(SIZES) - 1)]
        self.b = [np.stack([t.network.b[i] for t in trainers])[:, None, :] for i in range(len(SIZES) - 1)]
        self.X = np.stack([t.X_train for t in trainers])
        self.Y = np.stack([t.Y_train for t in trainers])
        self.Xt = np.stack([t.X_test for t in trainers])
        self.Yt = np.stack([t.Y_test for t in trainers])
        self.rng = np.random.default_rng(0)
        self.losses: list[np.ndarray] = []

    def forward(self, A):
        acts = [A]
        for W, b in zip(self.W, self.b):
            A = np.tanh(A @ W + b)
            acts.append(A)
        return acts

    def step(self, rows: np.ndarray) -> None:
        """One SGD step of every network on its own ``rows`` (S, batch)."""
        s = np.arange(len(rows))[:, None]
        acts = self.forward(self.X[s, rows])
        delta = (acts[-1] - self.Y[s, rows]) * (1 - acts[-1] ** 2) / rows.shape[1]
        for i in range(len(self.W) - 1, -1, -1):
            grad_W = acts[i].transpose(0, 2, 1) @ delta
            grad_b = delta.sum(axis=1, keepdims=True)
            if i:
                delta = (delta @ self.W[i].transpose(0, 2, 1)) * (1 - acts[i] ** 2)
            self.W[i] -= LR * grad_W
            self.b[i] -= LR * grad_b

    def epoch(self, orders: np.ndarray | None = None) -> None:
        n = self.X.shape[1]
        if orders is None:
            orders = self.rng.random((len(self.X), n)).argsort(axis=1)
        for start in range(0, n, BATCH):
            self.step(orders[:, start : start + BATCH])
        for X, Y in ((self.X, self.Y), (self.Xt, self.Yt)):  # each epoch's losses, as the app records
            self.losses.append(0.5 * ((self.forward(X)[-1] - Y) ** 2).sum(axis=(1, 2)) / X.shape[1])


def check_against_the_engine() -> float:
    """The largest weight difference between one stacked epoch and the engine's
    (``Network.loss_and_gradient``, then ``params -= lr * grads``), from the same weights
    and the same order of mini-batches."""
    trainers = [engine_trainer(s) for s in range(3)]
    stacked = Stacked(trainers)
    orders = np.random.default_rng(1).random((len(trainers), len(trainers[0].X_train))).argsort(axis=1)
    for t, order in zip(trainers, orders):
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            t.network.loss_and_gradient(t.X_train[rows], t.Y_train[rows], "quadratic")
            t.network.params -= LR * t.network.grads
    stacked.epoch(orders)
    return max(
        float(np.abs(stacked.W[i][k] - t.network.W[i]).max())
        for k, t in enumerate(trainers)
        for i in range(len(SIZES) - 1)
    )


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--sessions", type=int, nargs="*", default=[1, 5, 25, 50])
    args = parser.parse_args(argv)
    result = {"max_difference_from_the_engine": check_against_the_engine(), "rows": []}
    print(
        "one stacked epoch against the engine's, largest weight difference:", result["max_difference_from_the_engine"]
    )
    print("sessions  engine ep/s per network  stacked ep/s per network  stacked/engine")
    for S in args.sessions:
        trainers = [engine_trainer(s) for s in range(S)]
        engine = time_epochs(lambda group=trainers: [t.train(1) for t in group], args.seconds)
        stacked = time_epochs(Stacked(trainers).epoch, args.seconds)
        row = {"sessions": S, "engine_per_network": round(engine, 1), "stacked_per_network": round(stacked, 1)}
        result["rows"].append(row)
        print(f"{S:8d}  {engine:23.1f}  {stacked:24.1f}  {stacked / engine:14.1f}x")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
