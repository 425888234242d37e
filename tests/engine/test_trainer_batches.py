"""Trainer one mini-batch at a time: train_batch, next_batch and batch_position against
whole epochs, bit for bit."""

import numpy as np
import pytest

from engine import Network, Trainer
from engine.datasets import circle, spiral
from engine.trainer import Batch

OPTIMIZERS = {
    "sgd": {},
    "momentum": {"momentum": 0.9},
    "adam": {},
}


def make_trainer(batch_size=10, optimizer="sgd", l2=0.0, l1=0.0, n=200, seed=4, **kwargs) -> Trainer:
    data = circle(n, 0.1, seed=1)
    net = Network([2, 5, 3, 1], "tanh", "tanh", seed=2)
    return Trainer(
        net,
        data.X,
        data.y,
        optimizer=optimizer,
        optimizer_settings=OPTIMIZERS[optimizer],
        learning_rate=0.05,
        batch_size=batch_size,
        l1=l1,
        l2=l2,
        seed=seed,
        **kwargs,
    )


def state(trainer: Trainer) -> tuple:
    return trainer.network.params.copy(), trainer.epoch, trainer.step, list(trainer.history.train_loss)


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize("batch_size", [1, 10, 7, 100, 500])  # 7 does not divide 100; 500 > 100 rows
def test_an_epoch_batch_by_batch_equals_train_one_bit_for_bit(optimizer, batch_size):
    by_batch, whole = make_trainer(batch_size, optimizer, l2=0.01), make_trainer(batch_size, optimizer, l2=0.01)
    n = by_batch.batch_position[1]
    assert n == -(-100 // min(batch_size, 100))
    reports = [by_batch.train_batch() for _ in range(n)]
    whole.train(1)
    assert [r.epochs_run for r in reports] == [0] * (n - 1) + [1]
    assert not any(r.diverged for r in reports)
    assert np.array_equal(by_batch.network.params, whole.network.params)
    assert (by_batch.epoch, by_batch.step) == (whole.epoch, whole.step) == (1, n)
    assert by_batch.history.train_loss == whole.history.train_loss
    assert by_batch.history.test_accuracy == whole.history.test_accuracy
    # and the next epochs still agree: the shuffle generator moved alike
    by_batch.train(2)
    whole.train(2)
    assert np.array_equal(by_batch.network.params, whole.network.params)


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_l1_batch_by_batch_equals_train(optimizer):
    by_batch, whole = make_trainer(7, optimizer, l1=0.003), make_trainer(7, optimizer, l1=0.003)
    for _ in range(2 * by_batch.batch_position[1]):
        by_batch.train_batch()
    whole.train(2)
    assert np.array_equal(by_batch.network.params, whole.network.params)


@pytest.mark.parametrize("k", [1, 7, 14])
def test_k_batches_then_train_one_finishes_the_same_epoch(k):
    """k batches, then train(1): train(1) finishes the epoch under way and counts it as the
    one epoch it ran, so the result is train(1) from a twin, bit for bit."""
    part, whole = make_trainer(7, "adam", l2=0.01), make_trainer(7, "adam", l2=0.01)
    for _ in range(k):
        part.train_batch()
    assert part.batch_position == (k, 15) and part.epoch == 0
    report = part.train(1)
    whole.train(1)
    assert report.epochs_run == 1 and part.epoch == 1 and part.batch_position == (0, 15)
    assert np.array_equal(part.network.params, whole.network.params)
    assert part.step == whole.step == 15
    assert list(part.history.epoch) == [0, 1]
    part.train(3)
    whole.train(3)
    assert np.array_equal(part.network.params, whole.network.params)


def test_batch_position_counts():
    trainer = make_trainer(batch_size=30)  # 100 training rows: 3 of 30 and 1 of 10
    assert trainer.batch_position == (0, 4)
    for k in range(1, 4):
        trainer.train_batch()
        assert trainer.batch_position == (k, 4)
        assert trainer.epoch == 0 and trainer.step == k
    trainer.train_batch()
    assert trainer.batch_position == (0, 4) and trainer.epoch == 1
    trainer.train(2)
    assert trainer.batch_position == (0, 4) and trainer.step == 12


def test_next_batch_is_the_batch_train_batch_trains_and_changes_nothing():
    trainer, twin = make_trainer(7, "momentum"), make_trainer(7, "momentum")
    before = state(trainer)
    batch = trainer.next_batch()
    again = trainer.next_batch()
    assert isinstance(batch, Batch)
    for a, b in zip(state(trainer), before):
        assert np.array_equal(a, b)
    assert trainer.batch_position == (0, 15)
    assert np.array_equal(batch.rows, again.rows)
    assert (batch.index, batch.count) == (0, 15)
    assert batch.X.shape == (7, 2) and batch.Y.shape == (7, 1) and batch.labels.shape == (7,)
    assert np.array_equal(batch.X, trainer.X_train[batch.rows])
    assert np.array_equal(batch.Y, trainer.Y_train[batch.rows])
    assert np.array_equal(batch.labels, trainer.y_train[batch.rows])
    assert np.array_equal(batch.take(np.arange(100) * 2), batch.rows * 2)
    assert len(set(batch.rows.tolist())) == 7
    # Training it is one step on exactly those rows, with the trainer's gradient.
    net = trainer.network.copy()
    grads = net.batch_gradient(net.batch_inputs(batch.X), batch.Y, trainer.loss).copy()
    trainer.train_batch()
    np.testing.assert_allclose(trainer.network.params, net.params - 0.05 * grads, rtol=0, atol=1e-15)
    # Asking (and changing the copies) changed nothing training does.
    batch.X[...] = 0.0
    trainer.train(2)
    twin.train(2)
    assert np.array_equal(trainer.network.params, twin.network.params)


def test_the_last_batch_is_the_short_one_and_an_epoch_visits_every_row_once():
    trainer = make_trainer(batch_size=30)
    rows = []
    for k in range(4):
        batch = trainer.next_batch()
        assert batch.index == k and batch.count == 4
        rows.append(batch.rows)
        trainer.train_batch()
    assert [len(r) for r in rows] == [30, 30, 30, 10]
    assert sorted(np.concatenate(rows).tolist()) == list(range(100))


def test_without_shuffle_batches_run_in_order():
    trainer = make_trainer(batch_size=30, shuffle=False)
    assert np.array_equal(trainer.next_batch().rows, np.arange(30))
    trainer.train_batch()
    assert np.array_equal(trainer.next_batch().rows, np.arange(30, 60))


def test_multiclass_batch_targets_are_encoded():
    data = spiral(120, 0.0, seed=0)
    trainer = Trainer(Network([2, 6, 2], "tanh", "softmax", seed=0), data.X, data.y, loss="softmax_cross_entropy")
    batch = trainer.next_batch()
    assert batch.Y.shape == (10, 2)
    assert np.array_equal(batch.Y.argmax(axis=1), batch.labels)


# ---- what ends a plan ----------------------------------------------------------------------


def test_a_batch_size_change_mid_epoch_drops_the_rest_of_the_epoch():
    trainer = make_trainer(batch_size=10)
    for _ in range(3):
        trainer.train_batch()
    trainer.batch_size = 10  # the same size: nothing happens
    assert trainer.batch_position == (3, 10)
    trainer.batch_size = 25
    assert trainer.batch_position == (0, 4)  # a new pass over the data, batches of 25
    assert trainer.epoch == 0 and trainer.step == 3  # the 3 batches trained stay trained
    trainer.train(1)
    assert trainer.epoch == 1 and trainer.step == 7


def test_a_plan_not_yet_trained_keeps_its_order_when_the_batch_size_changes():
    """next_batch alone never changes what training does: not even when the batch size
    changes after it."""
    asked, twin = make_trainer(batch_size=10), make_trainer(batch_size=10)
    first = asked.next_batch()
    asked.batch_size = twin.batch_size = 25
    assert np.array_equal(asked.next_batch().rows[:10], first.rows)  # the same order, cut anew
    asked.train(2)
    twin.train(2)
    assert np.array_equal(asked.network.params, twin.network.params)


def test_added_training_data_mid_epoch_begins_a_new_pass_over_all_the_data():
    trainer = make_trainer(batch_size=10)
    for _ in range(4):
        trainer.train_batch()
    trainer.add_training_data(np.array([[0.5, 0.5], [1.0, -1.0]]), np.array([1, 0]))
    assert trainer.batch_position == (0, 11)  # 102 rows
    rows = []
    for _ in range(11):
        rows.append(trainer.next_batch().rows)
        trainer.train_batch()
    assert sorted(np.concatenate(rows).tolist()) == list(range(102))
    assert trainer.epoch == 1 and trainer.step == 4 + 11


def test_replace_network_mid_epoch_begins_a_new_pass():
    trainer = make_trainer(batch_size=10)
    trainer.train_batch()
    trainer.replace_network(Network([2, 4, 1], "tanh", "tanh", seed=0))
    assert trainer.batch_position == (0, 10)
    trainer.train(1)
    assert trainer.epoch == 1


# ---- divergence ------------------------------------------------------------------------------


def regression_trainer(batch_size=10) -> Trainer:
    """Targets in the thousands and a linear output: gradients large enough that a huge
    learning rate overflows a weight, or the loss."""
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (200, 2))
    net = Network([2, 4, 1], "tanh", "linear", seed=0)
    return Trainer(net, X, 1000 * X[:, 0], problem="regression", learning_rate=1e-4, batch_size=batch_size)


def test_a_diverging_batch_is_undone_and_stays_next():
    trainer = regression_trainer(batch_size=10)
    trainer.train_batch()
    good = state(trainer)
    batch = trainer.next_batch()
    opt_state = trainer.optimizer.get_state()
    trainer.learning_rate = 1e308  # the step overflows
    report = trainer.train_batch()
    assert report.diverged and report.message == "diverged at epoch 1" and report.epochs_run == 0
    assert "infinite" in report.reason
    assert np.array_equal(trainer.network.params, good[0])
    assert (trainer.epoch, trainer.step, trainer.batch_position) == (0, 1, (1, 10))
    assert trainer.optimizer.get_state() == opt_state
    assert np.array_equal(trainer.next_batch().rows, batch.rows)  # the same batch is next again
    trainer.learning_rate = 1e-4  # a gentler rate trains it
    assert not trainer.train_batch().diverged
    assert trainer.batch_position == (2, 10)


def test_a_divergence_at_the_epochs_end_undoes_the_last_batch_and_the_record():
    trainer = regression_trainer(batch_size=50)  # two batches
    trainer.train_batch()
    good = state(trainer)
    trainer.learning_rate = 1e197  # weights near 1e200: finite, but the training loss is not
    report = trainer.train_batch()
    assert report.diverged and report.message == "diverged at epoch 1"
    assert np.array_equal(trainer.network.params, good[0])
    assert (trainer.epoch, trainer.step, trainer.batch_position) == (0, 1, (1, 2))
    assert list(trainer.history.epoch) == [0]


def test_train_diverging_while_finishing_an_epoch_leaves_it_where_it_stood():
    trainer = regression_trainer(batch_size=10)
    for _ in range(3):
        trainer.train_batch()
    good = state(trainer)
    trainer.learning_rate = 1e308
    report = trainer.train(5)
    assert report.diverged and report.epochs_run == 0 and report.message == "diverged at epoch 1"
    assert np.array_equal(trainer.network.params, good[0])
    assert (trainer.epoch, trainer.step, trainer.batch_position) == (0, 3, (3, 10))
    trainer.learning_rate = 1e-4
    assert trainer.train(1).epochs_run == 1 and trainer.step == 10
