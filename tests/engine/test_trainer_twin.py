"""Trainer.twin: run B starts as run A started (the same split, the same shuffling, the
same history start), with its own settings; identical settings stay identical bit for bit."""

import numpy as np
import pytest

from engine import Network, Trainer
from engine.datasets import circle, plane


def pair(**settings):
    data = circle(n_samples=200, noise=0.1, seed=3)
    net = Network([2, 4, 2, 1], "tanh", "tanh", "uniform", seed=5)
    a = Trainer(net, data.X, data.y, learning_rate=0.03, batch_size=10, seed=7)
    b = a.twin(net.copy(), **settings)
    return a, b


def test_an_identical_twin_stays_bit_identical_for_many_epochs():
    a, b = pair()
    np.testing.assert_array_equal(a.train_index, b.train_index)
    np.testing.assert_array_equal(a.test_index, b.test_index)
    assert a.history.train_loss == b.history.train_loss and b.epoch == 0
    for epochs in (1, 3, 40):
        a.train(epochs)
        b.train(epochs)
        np.testing.assert_array_equal(a.network.params, b.network.params)
    assert a.history.train_loss == b.history.train_loss and a.step == b.step


def test_the_same_batches_in_the_same_order():
    a, b = pair(learning_rate=0.3)
    for _ in range(60):  # more than two epochs of 10 batches
        batch_a, batch_b = a.next_batch(), b.next_batch()
        np.testing.assert_array_equal(batch_a.rows, batch_b.rows)
        a.train_batch()
        b.train_batch()


@pytest.mark.parametrize(
    "settings",
    [
        {"learning_rate": 0.3},
        {"optimizer": "adam"},
        {"optimizer": "momentum", "optimizer_settings": {"momentum": 0.5}},
        {"l2": 0.01},
        {"l1": 0.003},
    ],
)
def test_live_settings_start_from_the_same_weights_and_then_differ(settings):
    a, b = pair(**settings)
    np.testing.assert_array_equal(a.network.params, b.network.params)
    assert a.history.train_loss[0] == b.history.train_loss[0]
    a.train(3)
    b.train(3)
    assert not np.array_equal(a.network.params, b.network.params)
    assert a.epoch == b.epoch == 3


def test_settings_not_given_are_the_originals():
    data = circle(n_samples=100, seed=0)
    a = Trainer(
        Network([2, 3, 1], seed=0), data.X, data.y, optimizer="momentum", optimizer_settings={"momentum": 0.7}, l2=0.01
    )
    b = a.twin(a.network.copy(), learning_rate=0.1)
    assert b.optimizer.name == "momentum" and b.optimizer.momentum == 0.7 and b.l2 == 0.01
    assert b.learning_rate == 0.1 and a.learning_rate == 0.03
    c = a.twin(a.network.copy(), optimizer="adam")
    assert c.optimizer.name == "adam"


def test_a_twin_made_later_starts_where_the_original_started():
    a, _ = pair()
    fresh = a.twin(a.network.copy())  # an untrained copy, made before training
    a.train(5)
    late = a.twin(fresh.network.copy())  # made after 5 epochs: still from the start
    assert late.epoch == 0 and late.history.train_loss[0] == a.history.train_loss[0]
    late.train(5)
    np.testing.assert_array_equal(late.network.params, a.network.params)


def test_another_architecture_shares_the_split_and_the_batches():
    a, _ = pair()
    b = a.twin(Network([2, 8, 8, 1], "relu", "tanh", "he", seed=5))
    np.testing.assert_array_equal(a.X_train, b.X_train)
    np.testing.assert_array_equal(a.next_batch().rows, b.next_batch().rows)
    a.train(2)
    b.train(2)
    assert b.epoch == 2 and len(b.history.epoch) == 3


def test_two_outputs_for_two_classes_fit_the_labels_but_not_other_inputs():
    a, _ = pair()
    b = a.twin(Network([2, 4, 2], "tanh", "softmax", seed=0), loss="softmax_cross_entropy")
    b.train(1)
    with pytest.raises(ValueError, match="input"):
        a.twin(Network([3, 4, 1], seed=0))
    with pytest.raises(TypeError, match="unknown"):
        a.twin(a.network.copy(), seed=3)


def test_regression_twin_and_a_diverging_twin_stops_alone():
    data = plane(n_samples=100, seed=0)
    a = Trainer(Network([2, 4, 1], "tanh", "linear", seed=0), data.X, data.y, problem="regression")
    b = a.twin(a.network.copy(), learning_rate=10.0)
    with pytest.raises(ValueError, match="column"):
        a.twin(Network([2, 4, 2], "tanh", "linear", seed=0))  # one target column, two outputs
    report = b.train(50)
    assert report.diverged and b.diverged_at is not None
    assert not a.train(5).diverged and a.epoch == 5
