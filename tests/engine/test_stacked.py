"""engine.stacked: networks trained together end bit for bit where each trained alone ends.

The oracle is the engine's own ``Trainer.train`` on twins built from the same seeds: every
weight, optimizer state, counter, history and health entry, and report must be equal,
byte for byte, for every activation, loss, optimizer and regularization.
"""

import numpy as np
import pytest

from engine import ACTIVATIONS, OPTIMIZERS, Network, Trainer
from engine.datasets import circle, spiral
from engine.stacked import group_key, train_together


def make(seed, *, sizes=(2, 4, 2, 1), hidden="tanh", output="tanh", loss="quadratic", data=circle, n=120, **settings):
    d = data(n, 0.1, seed=seed)
    settings.setdefault("learning_rate", 0.03 + 0.01 * seed)  # each student's own rate
    return Trainer(Network(list(sizes), hidden, output, seed=seed), d.X, d.y, loss=loss, seed=seed, **settings)


def state(t: Trainer) -> dict:
    """Everything training moves, as bytes."""
    opt = {k: (v.tobytes() if isinstance(v, np.ndarray) else v) for k, v in vars(t.optimizer).items()}
    health = {stat: [bytes(column) for column in columns] for stat, columns in t.health.columns.items()}
    return {
        "params": t.network.params.tobytes(),
        "grads": t.network.grads.tobytes(),
        "optimizer": opt,
        "epoch": t.epoch,
        "step": t.step,
        "history": {k: bytes(v) for k, v in t.history.as_columns().items()},
        "health": (bytes(t.health.epoch), health),
        "units": repr(t.units),
        "next_order": t.continuation_state()["rng"],  # where the shuffling stands
        "diverged_at": t.diverged_at,
    }


def report(r) -> tuple:
    return r.epochs_run, r.diverged, r.message, r.reason


def check_together_equals_alone(build, count=4, epochs=3):
    alone = [build(s) for s in range(count)]
    together = [build(s) for s in range(count)]
    expected = [report(t.train(epochs)) for t in alone]
    got = [report(r) for r in train_together(together, epochs)]
    assert got == expected
    for a, b in zip(alone, together):
        assert state(b) == state(a)


@pytest.mark.parametrize("hidden", sorted(ACTIVATIONS))
def test_every_hidden_activation(hidden):
    check_together_equals_alone(lambda s: make(s, sizes=(2, 5, 3, 1), hidden=hidden))


@pytest.mark.parametrize(
    ("output", "loss", "data", "sizes"),
    [
        ("tanh", "quadratic", circle, (2, 4, 1)),
        ("sigmoid", "binary_cross_entropy", circle, (2, 4, 1)),
        ("softmax", "softmax_cross_entropy", spiral, (2, 6, 2)),
        ("linear", "huber", circle, (2, 4, 1)),
        ("linear", "mae", circle, (2, 4, 1)),
        ("tanh", "hinge", circle, (2, 4, 1)),
    ],
)
def test_every_output_and_loss(output, loss, data, sizes):
    check_together_equals_alone(lambda s: make(s, sizes=sizes, output=output, loss=loss, data=data))


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_every_optimizer_with_regularization(optimizer):
    check_together_equals_alone(
        lambda s: make(s, optimizer=optimizer, learning_rate=0.01, l1=0.001 * (s + 1), l2=0.002 + 0.001 * s), epochs=4
    )


def test_nesterov_and_an_adam_run_at_another_step_count():
    check_together_equals_alone(lambda s: make(s, optimizer="momentum", optimizer_settings={"nesterov": True}))
    # Adam's bias correction uses each network's own step count: one has trained before.
    alone, together = [make(0, optimizer="adam"), make(1, optimizer="adam")], [make(0, optimizer="adam")]
    together.append(make(1, optimizer="adam"))
    for group in (alone, together):
        group[1].train(2)
    for t in alone:
        t.train(3)
    train_together(together, 3)
    assert [state(t) for t in together] == [state(t) for t in alone]


def test_a_smaller_last_batch_a_deep_network_and_regression():
    check_together_equals_alone(lambda s: make(s, sizes=(2, 8, 8, 8, 1), hidden="relu", batch_size=7))
    x = np.linspace(-2, 2, 90).reshape(-1, 1)

    def regression(s):
        net = Network([1, 6, 1], "tanh", "linear", seed=s)
        return Trainer(net, x, np.sin(2 * x[:, 0]) + 0.1 * s, problem="regression", optimizer="adam", seed=s)

    check_together_equals_alone(regression, count=3, epochs=5)


def test_each_its_own_epochs_and_an_epoch_under_way():
    alone, together = [make(s) for s in range(3)], [make(s) for s in range(3)]
    for group in (alone, together):
        for _ in range(4):
            group[1].train_batch()  # one network stands in the middle of an epoch
    expected = [report(t.train(e)) for t, e in zip(alone, (1, 5, 3))]
    assert [report(r) for r in train_together(together, [1, 5, 3])] == expected
    assert [state(t) for t in together] == [state(t) for t in alone]


def test_one_diverges_the_others_go_on():
    def build(s):
        return make(s, sizes=(2, 8, 8, 1), hidden="relu", output="linear", learning_rate=[0.03, 50.0, 0.05][s])

    alone, together = [build(s) for s in range(3)], [build(s) for s in range(3)]
    expected = [report(t.train(20)) for t in alone]
    assert expected[1][1] and not expected[0][1] and not expected[2][1]  # the middle one diverged
    assert [report(r) for r in train_together(together, 20)] == expected
    assert [state(t) for t in together] == [state(t) for t in alone]


def test_only_one_shape_trains_together():
    assert group_key(make(0)) == group_key(make(1))  # another learning rate, data and seed
    with pytest.raises(ValueError, match="cannot train together"):
        train_together([make(0), make(1, sizes=(2, 5, 1))], 1)
    with pytest.raises(ValueError, match="cannot train together"):
        train_together([make(0), make(1, batch_size=5)], 1)
    with pytest.raises(ValueError, match="epoch counts"):
        train_together([make(0), make(1)], [1])
