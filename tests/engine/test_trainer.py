"""Trainer: learning, determinism, history, divergence, and bad input."""

import numpy as np
import pytest

from engine import Network, Trainer
from engine.datasets import circle, xor


@pytest.mark.parametrize("dataset", [xor, circle])
def test_small_tanh_network_learns_to_95_percent(dataset):
    data = dataset(500, 0.0, seed=0)
    trainer = Trainer(Network([2, 8, 1], "tanh", "tanh", seed=1), data.X, data.y, learning_rate=0.03, seed=2)
    trainer.train(150)
    assert trainer.history.test_accuracy[-1] >= 0.95
    assert trainer.history.train_loss[-1] < trainer.history.train_loss[0] / 5


def test_same_seed_gives_bit_identical_weights():
    data = circle(200, 0.1, seed=5)

    def run():
        net = Network([2, 4, 2, 1], "tanh", "tanh", seed=3)
        trainer = Trainer(net, data.X, data.y, optimizer="adam", learning_rate=0.01, seed=9)
        trainer.train(25)
        return net.params.copy(), trainer.history.train_loss

    (p1, h1), (p2, h2) = run(), run()
    assert p1.tobytes() == p2.tobytes()
    assert h1 == h2
    net = Network([2, 4, 2, 1], "tanh", "tanh", seed=3)
    other = Trainer(net, data.X, data.y, optimizer="adam", learning_rate=0.01, seed=10)
    other.train(25)
    assert net.params.tobytes() != p1.tobytes()  # another seed shuffles differently


def test_counters_history_and_split():
    data = xor(100, 0.0, seed=0)
    trainer = Trainer(Network([2, 3, 1]), data.X, data.y, batch_size=7, train_fraction=0.3)
    assert (len(trainer.X_train), len(trainer.X_test)) == (30, 70)
    assert list(trainer.history.epoch) == [0]  # the untrained network is epoch 0
    report = trainer.train(4)
    assert report.epochs_run == 4 and not report.diverged
    assert trainer.epoch == 4
    assert trainer.step == 4 * 5  # 30 samples in batches of 7: 4 full and 1 of 2
    h = trainer.history
    assert list(h.epoch) == [0, 1, 2, 3, 4]
    assert len(h.train_loss) == len(h.test_loss) == len(h.train_accuracy) == len(h.test_accuracy) == 5
    assert all(0 <= a <= 1 for a in h.test_accuracy)
    assert set(h.as_columns()) == {"epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy"}


def test_history_matches_an_independent_evaluation():
    data = circle(120, 0.0, seed=1)
    trainer = Trainer(Network([2, 4, 1], "tanh", "sigmoid"), data.X, data.y, loss="binary_cross_entropy")
    trainer.train(3)
    loss, acc = trainer.evaluate(trainer.X_test, trainer.y_test)
    out = trainer.network.forward(trainer.X_test)[:, 0]
    y = trainer.y_test
    expected = -np.mean(y * np.log(out) + (1 - y) * np.log(1 - out))
    assert trainer.history.test_loss[-1] == pytest.approx(expected) == pytest.approx(loss)
    assert trainer.history.test_accuracy[-1] == pytest.approx(np.mean((out > 0.5) == y)) == acc


def test_batch_larger_than_the_data_and_no_shuffle():
    data = xor(40, 0.0, seed=0)
    a = Trainer(Network([2, 3, 1], seed=0), data.X, data.y, batch_size=1000, shuffle=False)
    a.train(2)
    assert a.step == 2  # full batch
    b = Trainer(Network([2, 3, 1], seed=0), data.X, data.y, batch_size=1000, shuffle=True)
    b.train(2)
    np.testing.assert_allclose(a.network.params, b.network.params)  # order is irrelevant in a full batch


def test_learning_rate_and_settings_change_without_reset():
    data = circle(100, 0.0, seed=0)
    trainer = Trainer(Network([2, 4, 1]), data.X, data.y, optimizer="momentum", learning_rate=0.03)
    trainer.train(2)
    velocity = trainer.optimizer.velocity.copy()
    trainer.learning_rate = 0.1
    trainer.optimizer.momentum = 0.5
    assert np.array_equal(trainer.optimizer.velocity, velocity)
    trainer.train(1)
    assert trainer.epoch == 3


def test_multiclass_with_softmax():
    rng = np.random.default_rng(0)
    centers = np.array([[-3.0, -3.0], [3.0, -3.0], [0.0, 3.0]])
    y = rng.integers(0, 3, 300)
    X = centers[y] + rng.normal(0, 0.7, (300, 2))
    net = Network([2, 6, 3], "tanh", "softmax", seed=0)
    trainer = Trainer(net, X, y, loss="softmax_cross_entropy", optimizer="adam", learning_rate=0.02)
    trainer.train(30)
    assert trainer.history.test_accuracy[-1] > 0.95


def test_regression():
    x = np.linspace(-2, 2, 200).reshape(-1, 1)
    trainer = Trainer(
        Network([1, 16, 1], "tanh", "linear", seed=0),
        x,
        np.sin(2 * x[:, 0]),
        problem="regression",
        optimizer="adam",
        learning_rate=0.02,
    )
    trainer.train(100)
    assert trainer.history.test_loss[-1] < 0.01
    assert len(trainer.history.train_accuracy) == 0


def test_divergence_stops_and_keeps_the_last_finite_weights():
    x = np.linspace(-6, 6, 100).reshape(-1, 1)
    net = Network([1, 8, 8, 1], "relu", "linear", seed=0)
    trainer = Trainer(net, x, 10 * x[:, 0] ** 2, problem="regression", learning_rate=10.0)
    last_finite = net.params.copy()
    for _ in range(50):
        report = trainer.train(1)
        if report.diverged:
            break
        last_finite = net.params.copy()
    assert report.diverged
    assert report.message == f"diverged at epoch {trainer.epoch + 1}" == f"diverged at epoch {trainer.diverged_at}"
    np.testing.assert_array_equal(net.params, last_finite)
    assert np.all(np.isfinite(net.params))
    assert len(trainer.history.epoch) == trainer.epoch + 1
    assert all(np.isfinite(trainer.history.train_loss))
    # It never raises; lowering the learning rate lets training go on.
    trainer.learning_rate = 1e-6
    assert not trainer.train(1).diverged


def test_time_budget_stops_early_but_runs_at_least_one_epoch():
    data = circle(500, 0.0, seed=0)
    trainer = Trainer(Network([2, 16, 16, 1]), data.X, data.y)
    report = trainer.train(100_000, time_budget=0.0)
    assert report.epochs_run == 1
    report = trainer.train(100_000, time_budget=0.05)
    assert 1 <= report.epochs_run < 100_000


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"loss": "squared"}, "unknown loss 'squared'; valid:"),
        ({"optimizer": "lbfgs"}, "unknown optimizer 'lbfgs'; valid:"),
        ({"problem": "ranking"}, "unknown problem 'ranking'; valid: classification, regression"),
        ({"learning_rate": 0}, "learning rate must be a positive number"),
        ({"learning_rate": float("nan")}, "learning rate must be a positive number"),
        ({"batch_size": 0}, "batch size must be a positive integer"),
        ({"batch_size": 2.5}, "batch size must be a positive integer"),
        ({"train_fraction": 0.95}, "train_fraction must be between 0.1 and 0.9"),
    ],
)
def test_bad_settings(kwargs, message):
    data = xor(20, 0.0, seed=0)
    with pytest.raises(ValueError, match=message):
        Trainer(Network([2, 3, 1]), data.X, data.y, **kwargs)


def test_bad_data():
    net = Network([2, 3, 1])
    X = np.ones((10, 2))
    y = np.array([0, 1] * 5)
    with pytest.raises(ValueError, match="X contains NaN"):
        Trainer(net, np.where(np.eye(10, 2) == 1, np.nan, 1.0), y)
    with pytest.raises(ValueError, match="X has 10 rows but y has 9"):
        Trainer(net, X, y[:9])
    with pytest.raises(ValueError, match=r"class labels must lie in 0\.\.1"):
        Trainer(net, X, y + 1)
    with pytest.raises(ValueError, match="whole numbers"):
        Trainer(net, X, y + 0.5)
    with pytest.raises(ValueError, match="y contains NaN"):
        Trainer(net, X, np.r_[np.nan, np.ones(9)], problem="regression")
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 2\)"):
        Trainer(net, np.ones((10, 3)), y)


def test_collapse_is_a_divergence_but_zeros_init_is_not():
    """lr 10 with relu kills every hidden neuron in one epoch: the output no longer depends
    on the input and the loss has risen. The zeros initializer also gives a constant
    output, but its loss does not rise: that is the symmetry lesson, not a divergence."""
    data = circle(500, 0.0, seed=0)
    dead = Trainer(Network([2, 4, 2, 1], "relu", "tanh", seed=0), data.X, data.y, learning_rate=10.0)
    before = dead.network.params.copy()
    report = dead.train(5)
    assert report.diverged and report.message == "diverged at epoch 1" and "stopped depending" in report.reason
    np.testing.assert_array_equal(dead.network.params, before)  # the epoch was undone
    symmetric = Trainer(Network([2, 4, 1], "relu", "tanh", initializer="zeros"), data.X, data.y)
    assert not symmetric.train(5).diverged


def test_added_training_data_and_split_indices():
    data = xor(50, 0.0, seed=0)
    trainer = Trainer(Network([2, 3, 1]), data.X, data.y)
    np.testing.assert_array_equal(trainer.X_train, data.X[trainer.train_index])
    np.testing.assert_array_equal(trainer.y_test, data.y[trainer.test_index])
    assert sorted(np.r_[trainer.train_index, trainer.test_index]) == list(range(50))
    trainer.add_training_data([[1.0, 1.0], [-1.0, 1.0]], [1, 0])
    assert len(trainer.X_train) == 27 and list(trainer.history.epoch) == [0]
    trainer.train(1)
    assert trainer.step == 3  # 27 samples in batches of 10


def test_the_history_is_bounded_and_thinned_oldest_first(monkeypatch):
    """An hour of Play is ~10^6 epochs: the history keeps at most MAX_ENTRIES, the first
    and the RECENT newest one by one, the older ones ever more sparsely."""
    from engine.trainer import History

    h = History()
    for epoch in range(20_000):
        h.append(epoch, 1.0 / (epoch + 1), 2.0 / (epoch + 1), 0.5, 0.25)
        assert len(h.epoch) <= History.MAX_ENTRIES
    epochs = list(h.epoch)
    assert epochs[0] == 0 and epochs[-History.RECENT :] == list(range(20_000 - History.RECENT, 20_000))
    assert epochs == sorted(set(epochs))  # in order, none twice
    assert all(len(column) == len(epochs) for column in h.as_columns().values())
    assert all(h.train_loss[i] == 1.0 / (e + 1) for i, e in enumerate(epochs))  # each value with its epoch
    gaps = np.diff(epochs)
    assert gaps[: len(gaps) // 4].mean() > gaps[-len(gaps) // 4 :].mean()  # older: sparser
    assert sum(c.itemsize * len(c) for c in h.as_columns().values()) <= 5 * 8 * History.MAX_ENTRIES

    # The trainer's own history is bounded the same way.
    monkeypatch.setattr(History, "MAX_ENTRIES", 40)
    monkeypatch.setattr(History, "RECENT", 10)
    data = xor(60, 0.0, seed=0)
    trainer = Trainer(Network([2, 3, 1]), data.X, data.y)
    trainer.train(300)
    assert len(trainer.history.epoch) <= 40 and trainer.history.epoch[0] == 0 and trainer.history.epoch[-1] == 300
