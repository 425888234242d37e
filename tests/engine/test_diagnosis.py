"""diagnose() on the Playground's presets: each trouble found in time, and nothing found in
healthy runs. The trainers are built as the Playground builds them (data seed 0, features
x1 and x2, tanh output with the quadratic loss, sgd, batch 10, half the points for
training, weights seed 0), so these settings are the presets' links."""

import numpy as np
import pytest

from engine import Network, Trainer, converging_rate, diagnose
from engine.datasets import make_dataset
from engine.features import transform


def playground(
    dataset="circle",
    n_samples=500,
    noise=0.0,
    hidden=(4, 2),
    activation="tanh",
    learning_rate=0.03,
    initializer="uniform",
) -> Trainer:
    """The Playground's run for these settings (``noise`` a fraction: 0.5 is its 50 %)."""
    data = make_dataset(dataset, n_samples, noise, 0)
    X, _ = transform(data.X, ("x1", "x2"))
    net = Network([2, *hidden, 1], activation, "tanh", initializer, seed=0)
    return Trainer(net, X, data.y, learning_rate=learning_rate, batch_size=10, train_fraction=0.5, seed=0)


def first_seen(trainer: Trainer, kind: str, epochs: int, chunk: int = 10):
    """(epoch, Finding) when ``kind`` is first diagnosed, checking after every ``chunk``
    epochs (a few Playground frames), or None within ``epochs``."""
    stuck = False
    while True:
        for finding in diagnose(trainer):
            if finding.kind == kind:
                return trainer.epoch, finding
        if trainer.epoch >= epochs or stuck:
            return None
        report = trainer.train(chunk)
        stuck = report.diverged and report.epochs_run == 0  # the same epoch diverges again


def test_exploding_tanh_is_a_divergence_and_a_smaller_rate_trains():
    trainer = playground(learning_rate=3.0)
    seen = first_seen(trainer, "divergence", 200)
    assert seen is not None, "no divergence within 200 epochs"
    epoch, finding = seen
    assert epoch <= 50  # 30 in turns of 10 epochs
    numbers = finding.numbers
    assert numbers["learning_rate"] == 3.0 and numbers["to_loss"] > 1.1 * trainer.history.train_loss[0]
    assert numbers["from_loss"] == min(trainer.history.train_loss)
    assert set(numbers) >= {"from_loss", "from_epoch", "to_loss", "epochs", "update_ratio", "learning_rate"}

    rate = converging_rate(lambda lr: playground(learning_rate=lr), 3.0, time_budget=20.0)
    assert rate == pytest.approx(0.3)
    fixed = playground(learning_rate=rate)
    assert not fixed.train(300).diverged
    assert fixed.history.train_loss[-1] < 0.5 * fixed.history.train_loss[0]
    assert "divergence" not in {f.kind for f in diagnose(fixed)}


def test_a_stopped_divergence_is_found_with_its_epoch():
    trainer = playground(activation="relu", learning_rate=3.0)
    report = trainer.train(10)
    assert report.diverged and trainer.diverged_at == 1
    assert first_seen(trainer, "divergence", 10) is not None
    (finding,) = [f for f in diagnose(trainer) if f.kind == "divergence"]
    assert finding.numbers["diverged_at"] == 1 and finding.numbers["learning_rate"] == 3.0


def test_converging_rate_gives_none_when_nothing_trains():
    assert converging_rate(lambda lr: playground(initializer="zeros", learning_rate=lr), 0.03, epochs=20) is None


def test_deep_sigmoid_gradients_vanish():
    trainer = playground(hidden=(8,) * 6, activation="sigmoid")
    seen = first_seen(trainer, "vanishing", 300)
    assert seen is not None
    epoch, finding = seen
    assert epoch <= 20  # 10 in turns of 10 epochs
    assert finding.layer == 0 and finding.numbers["ratio"] < 1e-3 and finding.numbers["layers"] == 7
    assert finding.numbers["first"] < 1e-3 * finding.numbers["last"]


def test_dead_relus():
    """relu [2, 4, 2, 1] at lr 1 learns (no unit dies) and at lr 3 dies all at once (the
    trainer undoes it as a divergence); one more unit in the second layer at lr 3 leaves
    3 of its 4 units dead for good while the run goes on."""
    trainer = playground(hidden=(4, 4), activation="relu", learning_rate=3.0)
    seen = first_seen(trainer, "dead", 500)
    assert seen is not None
    epoch, finding = seen
    assert finding.layer == 1 and finding.numbers["share"] > 0.5
    assert finding.numbers["dead"] == np.sum(trainer.units.dead[1]) and finding.numbers["units"] == 4
    assert 0 < finding.numbers["since"] <= epoch
    # the finding is what a forward pass shows: those units are 0 on every training point
    a = trainer.network.forward(trainer.X_train, trace=True).activations[2]
    np.testing.assert_array_equal(np.all(a == 0, axis=0), trainer.units.dead[1])


def test_zeros_initializer_is_a_symmetry_at_once():
    trainer = playground(initializer="zeros")
    found = [(f.layer, f.numbers["units"]) for f in diagnose(trainer) if f.kind == "symmetry"]
    assert found == [(0, 4), (1, 2)]  # both hidden layers, before any training
    trainer.train(20)
    assert [f.layer for f in diagnose(trainer) if f.kind == "symmetry"] == [0, 1]  # it never breaks


def test_few_noisy_points_overfit():
    trainer = playground(n_samples=50, noise=0.5, hidden=(16,) * 8)
    seen = first_seen(trainer, "overfitting", 3000)
    assert seen is not None
    epoch, finding = seen
    n = finding.numbers
    assert n["test_loss"] >= 1.1 * n["best_test"] and n["train_now"] < n["train_then"]
    assert n["best_epoch"] < epoch


def test_stalling_when_nothing_else_explains_it():
    """relu [2, 4, 2, 1] at lr 1.7: one of the second layer's two units dies (not more
    than half), and the loss stays where it is, far from solved."""
    trainer = playground(activation="relu", learning_rate=1.7)
    seen = first_seen(trainer, "stalling", 500)
    assert seen is not None
    epoch, finding = seen
    assert epoch >= 300  # it takes 300 epochs to call a loss still
    assert finding.numbers["epochs"] >= 300 and finding.numbers["accuracy"] < 0.9


@pytest.mark.parametrize(
    "settings",
    [
        {},  # the Playground's default
        {"activation": "relu"},
        {"dataset": "xor", "hidden": (8, 8)},
    ],
    ids=["default", "relu", "xor-8-8"],
)
def test_healthy_runs_have_no_finding(settings):
    trainer = playground(**settings)
    while trainer.epoch < 2000:
        assert not trainer.train(10).diverged
        assert diagnose(trainer) == [], f"at epoch {trainer.epoch}"
    assert trainer.history.train_accuracy[-1] == 1.0


def test_diagnose_changes_nothing():
    trainer = playground(learning_rate=3.0)
    trainer.train(50)
    params, n_history, n_health = trainer.network.params.copy(), len(trainer.history.epoch), len(trainer.health)
    assert diagnose(trainer) == diagnose(trainer)
    assert np.array_equal(params, trainer.network.params)
    assert (n_history, n_health) == (len(trainer.history.epoch), len(trainer.health))
