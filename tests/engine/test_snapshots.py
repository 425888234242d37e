"""Snapshots: a replayed snapshot is the run's weights at that epoch, continuing from one
is training from those weights, and the store stays bounded in count and bytes."""

import tracemalloc

import numpy as np
import pytest

from engine import Network, Trainer
from engine.datasets import circle
from engine.snapshots import MAX_BYTES, Snapshot, SnapshotStore, between_epochs, capture, rewind

DATA = circle(200, 0.1, seed=5)


def make_trainer(optimizer="momentum", params=None) -> Trainer:
    net = Network([2, 4, 2, 1], "tanh", "tanh", seed=3)
    if params is not None:
        net.params[...] = params
    settings = {"momentum": 0.9} if optimizer == "momentum" else {}
    return Trainer(
        net, DATA.X, DATA.y, optimizer=optimizer, learning_rate=0.03, batch_size=10, seed=9, optimizer_settings=settings
    )


def recorded_run(calls, optimizer="momentum", max_snapshots=200):
    """A run trained in calls of ``calls`` epochs, a snapshot after each call (and at 0),
    and the weights it had after every epoch (from a twin trained one epoch at a time)."""
    trainer = make_trainer(optimizer)
    store = SnapshotStore(max_snapshots)
    store.record(0, trainer.network.params, capture(trainer))
    for k in calls:
        trainer.train(k)
        store.record(trainer.epoch, trainer.network.params, capture(trainer))
    twin = make_trainer(optimizer)
    weights = [twin.network.params.copy()]
    for _ in range(trainer.epoch):
        twin.train(1)
        weights.append(twin.network.params.copy())
    return trainer, store, weights


def test_a_replayed_snapshot_is_exactly_the_weights_of_its_epoch_and_others_the_one_before():
    calls = [1, 3, 2, 7, 1, 5, 4, 6, 2, 3] * 6  # 204 epochs, 61 snapshots into a store of 12
    trainer, store, weights = recorded_run(calls, max_snapshots=12)
    epochs = store.epochs()
    assert len(epochs) <= 12 and epochs[0] == 0 and epochs[-1] == trainer.epoch
    assert epochs == sorted(set(epochs))
    for epoch in epochs:  # exactly at a snapshot: bit for bit the weights the run had then
        got, params = store.nearest(epoch)
        assert got == epoch and params.tobytes() == weights[epoch].tobytes()
    for epoch in range(trainer.epoch + 1):  # elsewhere: the snapshot before, within the spacing
        got, params = store.nearest(epoch)
        after = next((e for e in epochs if e > got), None)
        assert got <= epoch and (after is None or epoch < after)
        assert params.tobytes() == weights[got].tobytes()
    # thinned as the run grew: spread over the whole run, further apart than at first
    gaps = np.diff(epochs[:-1])
    assert store.spacing > 1 and gaps.min() >= store.spacing / 2 and gaps.max() <= 4 * trainer.epoch / len(epochs)


def test_nearest_returns_a_copy_and_truncate_after_forgets_the_later_snapshots():
    store = SnapshotStore()
    for epoch in range(0, 50, 5):
        store.record(epoch, np.full(3, float(epoch)))
    _, params = store.nearest(12)
    params[:] = -1
    assert store.nearest(12)[1].tolist() == [10.0] * 3
    assert store.truncate_after(22) == 5
    assert store.epochs() == [0, 5, 10, 15, 20] and store.nbytes == 5 * 24
    store.record(20, np.zeros(3))  # the newest epoch again: replaced
    assert store.epochs()[-1] == 20 and len(store) == 5
    with pytest.raises(ValueError):
        store.record(3, np.zeros(3))
    with pytest.raises(LookupError):
        SnapshotStore().nearest(0)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_continuing_from_a_snapshot_retraces_the_run(optimizer):
    """Rewound to a snapshot and trained on with the same settings, the run gives the very
    weights, step counter and history (every entry after the snapshot) it gave the first time."""
    trainer, store, weights = recorded_run([4, 6, 10, 10, 10], optimizer)
    first = {e: (a, b) for e, a, b in zip(trainer.history.epoch, trainer.history.train_loss, trainer.history.test_loss)}
    step_at_end = trainer.step
    snapshot = store.snapshot(20)
    assert snapshot.epoch == 20
    dropped = rewind(trainer, snapshot)
    store.truncate_after(20)
    assert dropped == 20 and trainer.epoch == 20 and store.epochs()[-1] == 20
    assert list(trainer.history.epoch)[-1] == 20 and trainer.network.params.tobytes() == weights[20].tobytes()
    assert all(e <= 20 for e in trainer.health.epoch)
    trainer.train(20)
    assert trainer.network.params.tobytes() == weights[40].tobytes()
    assert trainer.step == step_at_end
    again = {e: (a, b) for e, a, b in zip(trainer.history.epoch, trainer.history.train_loss, trainer.history.test_loss)}
    assert again == first


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_continuing_equals_a_fresh_trainer_given_the_snapshot(optimizer):
    """ "Equals": a fresh trainer (same data, split and settings) whose network is given the
    snapshot's weights, whose optimizer is given the snapshot's state and whose shuffling
    generator is given the snapshot's state, trained the same number of epochs, ends with
    bit-identical weights and the same losses at every epoch."""
    trainer, store, _ = recorded_run([5, 5, 5, 5], optimizer)
    snapshot = store.snapshot(10)
    rewind(trainer, snapshot)
    fresh = make_trainer(optimizer, params=snapshot.params)
    fresh.optimizer.set_state(snapshot.state["optimizer_state"])
    fresh._rng.bit_generator.state = snapshot.state["rng"]
    trainer.train(15)
    fresh.train(15)
    assert trainer.network.params.tobytes() == fresh.network.params.tobytes()
    assert list(trainer.history.train_loss)[-15:] == list(fresh.history.train_loss)[-15:]
    assert list(trainer.history.test_loss)[-15:] == list(fresh.history.test_loss)[-15:]


def test_rewinding_to_a_thinned_history_epoch_measures_it_again():
    trainer = make_trainer("sgd")
    store = SnapshotStore()
    store.record(0, trainer.network.params, capture(trainer))
    trainer.train(3)
    store.record(3, trainer.network.params, capture(trainer))
    trainer.train(5)
    history = trainer.history
    kept = list(history.train_loss[:4])
    rewind(trainer, store.snapshot(3))
    assert list(history.epoch) == [0, 1, 2, 3] and list(history.train_loss) == kept
    # a snapshot whose epoch the history no longer holds (as after thinning): measured again
    trainer.train(2)
    history.epoch[3] = 99  # stand-in for a history whose entry of epoch 3 was thinned away
    while len(history.epoch) > 3:
        history.pop()
    rewind(trainer, store.snapshot(3))
    assert list(history.epoch) == [0, 1, 2, 3] and list(history.train_loss)[-1] == kept[-1]


def test_capture_keeps_an_order_already_drawn():
    trainer = make_trainer("sgd")
    assert between_epochs(trainer)
    drawn = trainer.next_batch()  # draws the next epoch's order (no batch trained)
    assert between_epochs(trainer)
    snap = Snapshot(0, trainer.network.params.copy(), capture(trainer))
    trainer.train(3)
    rewind(trainer, snap)
    assert np.array_equal(trainer.next_batch().rows, drawn.rows)


def test_memory_is_bounded_after_100000_epochs_at_the_largest_network(capsys):
    """100,000 epochs recorded at the largest Playground network (8 hidden layers of 16):
    at most 200 snapshots and under 2 MB, counted and measured (tracemalloc)."""
    net = Network([2, *[16] * 8, 1], "tanh", "tanh", seed=0)
    rng = np.random.default_rng(0)
    synthetic = rng.normal(size=net.n_params)
    lines = []
    for label, state in (
        ("params only (SGD)", None),
        ("params + Adam moments", {"optimizer": "adam", "optimizer_state": {"m": synthetic, "v": synthetic, "t": 1}}),
    ):
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        store = SnapshotStore()
        for epoch in range(100_000):
            store.record(epoch, synthetic, state)
        measured = tracemalloc.get_traced_memory()[0] - base
        tracemalloc.stop()
        epochs = store.epochs()
        assert len(store) <= 200 and store.nbytes <= MAX_BYTES and measured < 2_000_000
        assert epochs[0] == 0 and epochs[-1] == 99_999
        gaps = np.diff(epochs)
        assert gaps.max() <= 4 * 100_000 / len(epochs)  # evenly over the whole run
        lines.append(
            f"{label}: {net.n_params} params, {len(store)} snapshots, {store.nbytes:,} bytes of arrays, "
            f"{measured:,} bytes measured; epochs {epochs[:4]} ... {epochs[-3:]}"
        )
    with capsys.disabled():
        print("\n" + "\n".join(lines))
