"""The Playground's run logic, without Streamlit."""

import numpy as np
import pytest

from engine.datasets import CLASSIFICATION, REGRESSION
from ui.playground.config import DEFAULTS, SCHEMA
from ui.playground.figures import node_labels, playground_figures
from ui.playground.run import add_point, apply_live_settings, build_run, resolve_loss_and_output, train, why_not

FIELD = SCHEMA
coerce = SCHEMA.coerce
reset_needed = SCHEMA.reset_needed


def config(**changes):
    return dict(DEFAULTS, **changes)


def test_matched_pairs_by_default():
    assert resolve_loss_and_output("classification", 2, "auto", "auto") == ("quadratic", "tanh", 1)
    assert resolve_loss_and_output("classification", 2, "binary_cross_entropy", "auto") == (
        "binary_cross_entropy",
        "sigmoid",
        1,
    )
    assert resolve_loss_and_output("classification", 3, "auto", "auto") == ("softmax_cross_entropy", "softmax", 3)
    assert resolve_loss_and_output("classification", 2, "softmax_cross_entropy", "auto") == (
        "softmax_cross_entropy",
        "softmax",
        2,
    )
    assert resolve_loss_and_output("regression", 0, "auto", "auto") == ("quadratic", "linear", 1)


def test_why_not_explains_impossible_pairs():
    assert why_not("classification", "quadratic", "tanh") is None
    assert "classification loss" in why_not("regression", "hinge", "linear")
    assert "cannot fit a number" in why_not("regression", "quadratic", "softmax")
    assert "probabilities" in why_not("classification", "binary_cross_entropy", "relu")


@pytest.mark.parametrize("dataset", sorted(CLASSIFICATION) + sorted(REGRESSION))
def test_every_dataset_builds_trains_and_draws(dataset):
    problem = "regression" if dataset in REGRESSION else "classification"
    run = build_run(config(dataset=dataset, problem=problem, n_samples=100, features=("x1", "x2", "x1x2")))
    train(run, 2)
    figures = playground_figures(run)
    assert set(figures) == {"network", "output", "loss", "weights"}
    assert figures["output"] is not None
    assert run.network.sizes[0] == 3  # the three features
    # One output unit for regression and two classes (TF Playground's tanh), k for k classes.
    assert run.network.sizes[-1] == (run.n_classes if run.n_classes > 2 else 1)


def test_same_config_same_run_and_labels():
    a, b = build_run(config()), build_run(config())
    np.testing.assert_array_equal(a.network.params, b.network.params)
    np.testing.assert_array_equal(a.trainer.X_train, b.trainer.X_train)
    assert node_labels(a) == [["X₁", "X₂"], ["h1.1", "h1.2", "h1.3", "h1.4"], ["h2.1", "h2.2"], ["ŷ"]]


def test_live_settings_keep_the_network_and_the_optimizer_state():
    run = build_run(config(optimizer="momentum"))
    train(run, 2)
    velocity = run.trainer.optimizer.velocity.copy()
    apply_live_settings(
        run,
        config(
            optimizer="momentum",
            learning_rate=0.1,
            momentum=0.5,
            batch_size=20,
            regularization="l2",
            regularization_rate=0.01,
        ),
    )
    t = run.trainer
    assert (t.epoch, t.learning_rate, t.batch_size, t.l2, t.optimizer.momentum) == (2, 0.1, 20, 0.01, 0.5)
    np.testing.assert_array_equal(t.optimizer.velocity, velocity)
    apply_live_settings(run, config(optimizer="adam"))
    assert t.optimizer.name == "adam" and t.epoch == 2


def test_reset_fields():
    assert reset_needed(config(), config(learning_rate=1.0, batch_size=3, show_test=True)) == []
    assert reset_needed(config(), config(hidden=(4,), noise=10)) == ["Noise (%)", "Hidden layers"]
    assert not FIELD["regularization_rate"].resets and FIELD["features"].resets


def test_drawn_points_join_the_training_data_without_reset():
    run = build_run(config())
    train(run, 3)
    before = playground_figures(run)["output"]["layout"]["images"][1]["source"]
    n = len(run.trainer.X_train)
    add_point(run, 1.0, 2.0, 1)
    assert len(run.trainer.X_train) == n + 1 and run.trainer.epoch == 3
    train(run, 1)
    assert run.trainer.epoch == 4
    after = playground_figures(run)["output"]["layout"]["images"][1]["source"]
    assert after != before  # the points picture now shows the new point


def test_coerce_clamps_and_rejects():
    assert coerce("learning_rate", "20") == 10.0
    assert coerce("n_samples", 5) == 50
    assert coerce("hidden", [3, 40, 0, 1, 1, 1, 1, 1, 1, 1]) == (3, 16, 1, 1, 1, 1, 1, 1)
    assert coerce("features", ["x2", "bogus", "x1"]) == ("x1", "x2")
    assert coerce("show_test", "true") is True
    for name, value in (("dataset", "mnist"), ("learning_rate", "nan"), ("features", []), ("show_test", "maybe")):
        with pytest.raises(ValueError):
            coerce(name, value)


def test_weight_table_edits_change_the_output_at_once():
    from ui.playground.run import set_weights_table, weights_table

    run = build_run(config())
    table = weights_table(run, 2)  # W3 (2 x 1) and b3
    assert table.shape == (3, 1)
    before = run.network.forward(np.array([[1.0, 1.0]]))
    edited = table.copy()
    edited[-1, 0] = 5.0  # the output bias
    assert set_weights_table(run, 2, edited) is None
    assert run.network.b[2][0] == 5.0
    assert not np.allclose(run.network.forward(np.array([[1.0, 1.0]])), before)
    assert "finite" in set_weights_table(run, 2, np.full((3, 1), np.nan))
    assert "3 × 1" in set_weights_table(run, 2, np.zeros((2, 1)))
    assert "numbers" in set_weights_table(run, 2, [["a"], ["b"], ["c"]])
    assert run.network.b[2][0] == 5.0  # rejected edits change nothing


def test_training_budget_shrinks_with_the_number_of_playing_sessions():
    from ui.live.loop import FRAME_BUDGET, LoadMeter, budget_for

    meter = LoadMeter()
    assert [meter.tick(t) for t in ("a", "b", "a", "c")] == [1, 2, 2, 3]
    assert budget_for(1) == budget_for(2) == FRAME_BUDGET
    assert budget_for(50) == pytest.approx(FRAME_BUDGET / 25)


def test_a_busy_server_makes_more_frames_per_update():
    from ui.live.loop import BUSY_SESSIONS, FRAMES_PER_BUSY_UPDATE, FRAMES_PER_UPDATE, frames_per_update

    assert frames_per_update(1) == frames_per_update(BUSY_SESSIONS) == FRAMES_PER_UPDATE
    assert frames_per_update(BUSY_SESSIONS + 1) == frames_per_update(50) == FRAMES_PER_BUSY_UPDATE > FRAMES_PER_UPDATE


def test_the_fair_lock_serves_in_order_of_asking():
    import threading
    import time

    from ui.live.loop import FairLock

    lock, served = FairLock(), []

    def worker(i):
        with lock:
            served.append(i)
            time.sleep(0.002)

    with lock:  # hold it while the workers queue up, one after the other
        threads = []
        for i in range(8):
            threads.append(threading.Thread(target=worker, args=(i,)))
            threads[-1].start()
            time.sleep(0.01)
    for t in threads:
        t.join()
    assert served == list(range(8))
