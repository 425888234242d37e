"""Training many students' networks together: epochs per second, against one by one.

    python -m benchmarks.stacked_training [--seconds 2] [--sessions 1 5 25 50]

A measurement for the lecture hall (README, "How many students a server holds"). On one
server process every playing student's network trains in its own NumPy calls: the default
network's epoch is 25 mini-batch steps of ~40 small calls each, ~0.9 ms, almost all of it
per-call overhead. 25 students at 60 epochs/s each would need 1,500 such epochs a second:
more than one core, before any drawing. Students who play the same setup (a class opening
one link) have networks of one shape; ``engine.stacked.train_together`` runs their steps
as one set of NumPy calls over stacked arrays, ``W (sessions, fan_in, fan_out)``.

This trains S independent networks of the Playground's default shape (2-4-2-1, tanh,
quadratic loss, SGD at 0.03, batches of 10 from 250 points, each its own data, start and
shuffling; the training and test loss and accuracy recorded every epoch, as the app does;
the health record is off) both ways: the engine's ``Trainer.train``, one network after the
other (the peer), and ``train_together``. It prints epochs per second per network. Both
ways give the same weights bit for bit (checked here and by tests/engine/test_stacked.py).
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json

import numpy as np

from benchmarks.engine import time_epochs
from engine import Network, Trainer
from engine.datasets import circle
from engine.stacked import train_together

SIZES, N_TRAIN, BATCH, LR = (2, 4, 2, 1), 250, 10, 0.03


def session_trainer(s: int) -> Trainer:
    d = circle(2 * N_TRAIN, 0.0, seed=s)
    net = Network(list(SIZES), "tanh", "tanh", seed=s)
    return Trainer(
        net, d.X, d.y, loss="quadratic", learning_rate=LR, batch_size=BATCH, problem="classification", health=False
    )


def check_against_the_engine(sessions: int = 3, epochs: int = 2) -> bool:
    """Whether ``train_together`` leaves every network's weights, bit for bit, where
    ``Trainer.train`` leaves a twin's."""
    alone = [session_trainer(s) for s in range(sessions)]
    together = [session_trainer(s) for s in range(sessions)]
    for t in alone:
        t.train(epochs)
    train_together(together, epochs)
    return all(np.array_equal(a.network.params, b.network.params) for a, b in zip(alone, together))


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--sessions", type=int, nargs="*", default=[1, 5, 25, 50])
    args = parser.parse_args(argv)
    result = {"bit_identical_to_the_engine": check_against_the_engine(), "rows": []}
    print("train_together's weights, bit for bit those of Trainer.train:", result["bit_identical_to_the_engine"])
    print("sessions  engine ep/s per network  stacked ep/s per network  stacked/engine")
    for S in args.sessions:
        trainers = [session_trainer(s) for s in range(S)]
        engine = time_epochs(lambda group=trainers: [t.train(1) for t in group], args.seconds)
        stacked = time_epochs(lambda group=trainers: train_together(group, 1), args.seconds)
        row = {"sessions": S, "engine_per_network": round(engine, 1), "stacked_per_network": round(stacked, 1)}
        result["rows"].append(row)
        print(f"{S:8d}  {engine:23.1f}  {stacked:24.1f}  {stacked / engine:14.1f}x")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
