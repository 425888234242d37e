"""Network health (engine.health, Trainer(health=...)): every statistic against a direct
computation from the network and the data, the recording stride, bounded memory, NaN
safety, rollback, and that health never changes training."""

import numpy as np
import pytest

from engine import HEALTH_STATS, HealthHistory, Network, Trainer
from engine.datasets import circle
from engine.health import QUANTILE_POINTS, health_due, quantile_points


def rms(a) -> float:
    a = np.asarray(a, dtype=float)
    return float(np.sqrt(np.mean(a * a)))


def make_trainer(health=True, n=600, l2=0.01, **kwargs) -> Trainer:
    """relu then tanh hidden layers; unit 0 of the relu layer is dead (bias -100: its
    gradient is 0, it stays dead) and unit 0 of the tanh layer saturated (bias +10)."""
    data = circle(n, 0.1, seed=1)
    net = Network([2, 5, 3, 1], ["relu", "tanh"], "tanh", seed=2)
    net.b[0][0] = -100.0
    net.b[1][0] = 10.0
    return Trainer(net, data.X, data.y, learning_rate=0.05, batch_size=7, l2=l2, seed=4, health=health, **kwargs)


def direct_activations(trainer: Trainer):
    """(z list, a list) of every layer over the training points, batch-first, from a
    forward pass made here."""
    trace = trainer.network.forward(trainer.X_train, trace=True)
    return trace.pre_activations, trace.activations[1:]


def check_activation_stats(trainer: Trainer, record: dict) -> None:
    zs, acts = direct_activations(trainer)
    n_train = len(trainer.X_train)
    names = trainer.network.hidden_activation_names
    for i, (z, a) in enumerate(zip(zs, acts)):
        hidden = i < len(names)
        dead = np.all(a == 0, axis=0) if hidden and names[i] == "relu" else np.zeros(a.shape[1], bool)
        far = np.sum(np.abs(z) > 3, axis=0) > n_train / 2
        saturated = far if hidden and names[i] in ("tanh", "sigmoid") else np.zeros(a.shape[1], bool)
        assert record["dead_share"][i] == dead.mean()
        assert record["saturated_share"][i] == saturated.mean()
        if hidden:
            np.testing.assert_array_equal(trainer.units.dead[i], dead)
            np.testing.assert_array_equal(trainer.units.saturated[i], saturated)
        expected = np.quantile(a[: quantile_points(n_train, a.shape[1])], [0.1, 0.5, 0.9])
        got = [record["act_q10"][i], record["act_q50"][i], record["act_q90"][i]]
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


def test_every_statistic_against_a_direct_computation_after_an_epoch_batch_by_batch():
    trainer = make_trainer()
    net = trainer.network
    assert len(trainer.X_train) == 300 > QUANTILE_POINTS  # the quantiles' caps are exercised
    assert [quantile_points(300, k) for k in (5, 3, 1)] == [204, 256, 256]
    before = net.params.copy()
    W_before = [w.copy() for w in net.W]
    n_batches = trainer.batch_position[1]
    for _ in range(n_batches - 1):
        trainer.train_batch()
    last = trainer.next_batch()
    # The last batch's gradient, regularization included, as training will use it.
    _, expected_grads = net.copy().loss_and_gradient(last.X, last.Y, "quadratic", l2=0.01)
    report = trainer.train_batch()
    assert report.epochs_run == 1 and trainer.epoch == 1
    assert list(trainer.health.epochs()) == [0, 1]
    record = trainer.health.latest()
    assert set(record) == set(HEALTH_STATS)
    expected_gW, _ = net.unflatten(expected_grads)
    for i in range(net.n_layers):
        assert record["grad_rms"][i] == pytest.approx(rms(expected_gW[i]), rel=1e-12)
        assert record["weight_rms"][i] == pytest.approx(rms(net.W[i]), rel=1e-12)
        change = rms(net.W[i] - W_before[i]) / n_batches / rms(W_before[i])
        assert record["update_ratio"][i] == pytest.approx(change, rel=1e-9)
        assert trainer.health.column("grad_rms", i)[-1] == record["grad_rms"][i]
    assert not np.array_equal(net.params, before)
    check_activation_stats(trainer, record)
    # the planted dead and saturated units are seen, and only the relu / tanh layers count
    assert trainer.units.dead[0][0] and trainer.units.saturated[1][0]
    assert record["dead_share"][1] == record["dead_share"][2] == 0
    assert record["saturated_share"][0] == record["saturated_share"][2] == 0
    assert trainer.units.dead_since[0][0] == 0  # dead since the first record
    assert np.all(trainer.units.dead_since[0][~trainer.units.dead[0]] == -1)


def test_epoch_zero_has_no_gradient_or_update_and_train_matches_train_batch():
    by_batch, whole = make_trainer(), make_trainer()
    first = whole.health.latest()
    assert np.all(np.isnan(first["grad_rms"])) and np.all(np.isnan(first["update_ratio"]))
    assert first["weight_rms"][0] == pytest.approx(rms(whole.network.W[0]))
    check_activation_stats(whole, first)
    for _ in range(2 * by_batch.batch_position[1]):
        by_batch.train_batch()
    whole.train(2)
    assert np.array_equal(by_batch.network.params, whole.network.params)
    assert list(by_batch.health.epochs()) == list(whole.health.epochs()) == [0, 1, 2]
    for stat in HEALTH_STATS:
        for layer in range(3):
            np.testing.assert_allclose(
                by_batch.health.column(stat, layer), whole.health.column(stat, layer), rtol=1e-12
            )
    check_activation_stats(whole, whole.health.latest())


def test_an_epoch_finished_by_train_after_some_batches_counts_the_whole_epoch():
    part = make_trainer()
    W_before = [w.copy() for w in part.network.W]
    for _ in range(5):
        part.train_batch()
    part.train(1)
    n_batches = part.batch_position[1]
    assert part.step == n_batches
    record = part.health.latest()
    for i, w in enumerate(part.network.W):
        expected = rms(w - W_before[i]) / n_batches / rms(W_before[i])
        assert record["update_ratio"][i] == pytest.approx(expected, rel=1e-9)


def test_health_does_not_change_training_bit_for_bit():
    on, off = make_trainer(health=True), make_trainer(health=False)
    for trainer in (on, off):
        trainer.train(130)
        for _ in range(4):
            trainer.train_batch()
        trainer.train(3, time_budget=10.0)
    assert np.array_equal(on.network.params, off.network.params)
    assert on.history.train_loss == off.history.train_loss and on.step == off.step
    assert len(off.health) == 0 and off.units is None and off.health.latest() is None
    assert len(on.health) > 100 and on.units is not None


def test_the_stride_thins_as_the_run_grows_and_each_train_call_ends_with_a_record():
    assert [e for e in range(0, 130) if health_due(e)] == [*range(0, 101), *range(102, 130, 2)]
    assert [e for e in range(380, 440) if health_due(e)] == [380, 384, 388, 392, 396, 400, 408, 416, 424, 432]
    data = circle(100, 0.0, seed=0)
    trainer = Trainer(Network([2, 3, 1], seed=0), data.X, data.y)
    trainer.train(250)
    epochs = list(trainer.health.epochs())
    assert epochs == [e for e in range(251) if health_due(e)] + [250] * (not health_due(250))
    trainer.train(3)  # 253: not on the stride, recorded as the call's last epoch
    assert trainer.health.epochs()[-1] == 253
    per_100 = [sum(1 for e in epochs if k <= e < k + 100) for k in (0, 100, 200)]
    assert per_100[0] > per_100[1] > per_100[2]


def test_history_is_bounded_thinned_oldest_first_and_stored_in_arrays():
    h = HealthHistory(2)
    for epoch in range(5000):
        h.append(epoch, {stat: np.array([epoch, -epoch], dtype=float) for stat in HEALTH_STATS})
        assert len(h) <= HealthHistory.MAX_ENTRIES
    epochs = h.epochs()
    assert epochs[0] == 0 and list(epochs[-HealthHistory.RECENT :]) == list(range(5000 - 256, 5000))
    assert list(epochs) == sorted(set(epochs))
    for stat in HEALTH_STATS:
        np.testing.assert_array_equal(h.column(stat, 0), epochs)  # each value with its epoch
        np.testing.assert_array_equal(h.column(stat, 1), -epochs)
        assert all(col.typecode == "d" for col in h.columns[stat])
    assert h.epoch.typecode == "q"
    gaps = np.diff(epochs)
    assert gaps[: len(gaps) // 4].mean() > gaps[-len(gaps) // 4 :].mean()
    with pytest.raises(ValueError, match="one per weight layer"):
        h.append(1, {stat: np.zeros(3) for stat in HEALTH_STATS})
    with pytest.raises(ValueError, match="unknown health statistic"):
        h.column("loss", 0)


def test_a_long_run_keeps_the_trainers_health_bounded(monkeypatch):
    monkeypatch.setattr(HealthHistory, "MAX_ENTRIES", 40)
    monkeypatch.setattr(HealthHistory, "RECENT", 10)
    data = circle(60, 0.0, seed=0)
    trainer = Trainer(Network([2, 3, 1], seed=0), data.X, data.y)
    for _ in range(60):
        trainer.train(5)
    epochs = trainer.health.epochs()
    assert len(epochs) <= 40 and epochs[0] == 0 and epochs[-1] == 300


def test_a_diverged_epoch_leaves_no_record():
    data = circle(500, 0.0, seed=0)
    trainer = Trainer(Network([2, 4, 2, 1], "relu", "tanh", seed=0), data.X, data.y, learning_rate=10.0)
    report = trainer.train(5)
    assert report.diverged and trainer.epoch == 0
    assert list(trainer.health.epochs()) == [0]
    # batch by batch: the epoch's end diverges, is undone, and records nothing either
    for _ in range(trainer.batch_position[1] + 3):
        trainer.train_batch()
    assert trainer.epoch == 0 and list(trainer.health.epochs()) == [0]


def test_nan_and_overflow_never_raise():
    """Weights so large that the passes overflow: training under np.errstate(all='raise')
    still never raises, and what health records is recorded as it is (inf or NaN)."""
    data = circle(100, 0.0, seed=0)
    net = Network([2, 4, 1], "relu", "linear", seed=0)
    net.W[0][...] = 1e200
    trainer = Trainer(net, data.X, data.y.astype(float), problem="regression", learning_rate=1e-3)
    with np.errstate(all="raise"):
        trainer.train(2)
        for _ in range(3):
            trainer.train_batch()
        trainer.health.latest()
    assert len(trainer.health) >= 1
    assert np.all(np.isfinite(trainer.network.params))  # training kept its last finite weights


def test_replace_network_keeps_the_health_history_only_for_as_many_layers():
    from engine.surgery import add_neuron

    data = circle(100, 0.0, seed=0)
    trainer = Trainer(Network([2, 3, 2, 1], seed=0), data.X, data.y)
    trainer.train(5)
    wider = add_neuron(trainer.network, 0, np.random.default_rng(0))
    trainer.replace_network(wider)
    assert list(trainer.health.epochs()) == [0, 1, 2, 3, 4, 5]  # kept; epoch 5 measured again
    assert np.all(np.isnan(trainer.health.latest()["grad_rms"]))
    assert [len(d) for d in trainer.units.dead] == [4, 2]
    trainer.train(1)
    assert trainer.health.epochs()[-1] == 6
    trainer.replace_network(Network([2, 3, 1], seed=1))
    assert list(trainer.health.epochs()) == [6] and trainer.health.n_layers == 2


def test_last_pass_gives_every_layers_z_and_a_feature_major():
    data = circle(50, 0.0, seed=0)
    net = Network([2, 4, 3, 2], ["relu", "tanh"], "softmax", seed=0)
    trace = net.forward(data.X, trace=True)
    zs, acts = net.last_pass(50)
    assert len(zs) == len(acts) == 3
    for z, a, tz, ta in zip(zs, acts, trace.pre_activations, trace.activations[1:]):
        assert z.shape == a.shape == (tz.shape[1], 50)
        np.testing.assert_array_equal(z, tz.T)
        np.testing.assert_allclose(a, ta.T, rtol=1e-15)
    with pytest.raises(ValueError, match="no pass over a batch of 7"):
        net.last_pass(7)


def test_unflatten_gives_views_shaped_like_w_and_b():
    net = Network([2, 4, 1], seed=0)
    flat = net.params.copy()
    W, b = net.unflatten(flat)
    for w, v, w0, b0 in zip(W, b, net.W, net.b):
        np.testing.assert_array_equal(w, w0)
        np.testing.assert_array_equal(v, b0)
    W[0][1, 2] = 7.0
    assert np.count_nonzero(flat != net.params) == 1
    with pytest.raises(ValueError, match="parameter vector"):
        net.unflatten(np.zeros(3))
