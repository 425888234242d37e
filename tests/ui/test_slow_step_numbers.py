"""The slow step's numbers, stage by stage, against the engine; and its figures."""

import numpy as np
import plotly.graph_objects as go
import pytest

from engine.csv_data import load_csv
from ui.charts import weights_figure
from ui.playground import slow_step as slow
from ui.playground.config import DEFAULTS
from ui.playground.run import apply_live_settings, build_run, train


def config(**changes):
    return dict(DEFAULTS, **changes)


SETUPS = {
    "default": config(),
    "adam, l2, batch 7": config(optimizer="adam", regularization="l2", regularization_rate=0.01, batch_size=7),
    "momentum, l1": config(optimizer="momentum", regularization="l1", regularization_rate=0.003),
    "spiral3, softmax": config(dataset="spiral3", hidden=(6,), batch_size=16),
    "plane, regression": config(problem="regression", dataset="plane", optimizer="rmsprop"),
}


@pytest.fixture(params=sorted(SETUPS))
def run(request):
    return build_run(SETUPS[request.param])


def test_the_stages_numbers_are_the_engines(run):
    trainer, net = run.trainer, run.network
    step = slow.begin(run)
    batch = step.batch
    assert (batch.index, batch.count) == (0, trainer.batch_position[1]) and step.epoch == 1
    forward = slow.forward_stage(run, batch)
    np.testing.assert_array_equal(forward.output, net.forward(batch.X))
    np.testing.assert_array_equal(forward.targets, trainer.Y_train[batch.rows])
    if run.grid is not None:
        np.testing.assert_array_equal(forward.points, slow.train_points(run)[batch.rows])
    loss = slow.loss_stage(run, batch)
    assert loss.batch_loss == net.loss(batch.X, batch.Y, trainer.loss)  # the engine's loss, exactly
    assert loss.shares.sum() == pytest.approx(loss.batch_loss, rel=1e-12)
    np.testing.assert_allclose(loss.shares * len(batch.rows), loss.point_losses, rtol=1e-15)
    for i in (0, len(batch.rows) - 1):  # a point's loss: the engine's loss of that point alone
        assert loss.point_losses[i] == pytest.approx(net.loss(batch.X[i : i + 1], batch.Y[i : i + 1], trainer.loss))
    assert loss.penalty == net.regularization_penalty(trainer.l1, trainer.l2)
    backward = slow.backward_stage(run, batch)
    value, grads = net.loss_and_gradient(batch.X, batch.Y, trainer.loss, trainer.l1, trainer.l2)
    np.testing.assert_allclose(backward.grads, grads, rtol=1e-12, atol=1e-15)
    assert value == pytest.approx(loss.batch_loss + loss.penalty)
    for layer, table in enumerate(backward.tables):  # ∂L/∂W with ∂L/∂b as the last row
        np.testing.assert_array_equal(table[:-1], net.copy_with(backward.grads).W[layer])
        np.testing.assert_array_equal(table[-1], net.copy_with(backward.grads).b[layer])


def test_after_the_four_stages_the_network_is_one_training_step_further(run):
    twin = build_run(run.config)
    step = slow.begin(run)
    assert slow.why_stale(run, step) is None
    for stage in (2, 3):
        step.stage = stage
        assert slow.why_stale(run, step) is None
    update = slow.apply_update(run, step)
    twin.trainer.train_batch()
    assert step.stage == 4 and not update.report.diverged
    assert np.array_equal(run.network.params, twin.network.params)
    assert np.array_equal(update.after, run.network.params)
    assert np.array_equal(update.before, step.params) and np.array_equal(run.previous_params, step.params)
    assert run.trainer.step == update.step == 1 and run.trainer.batch_position == (1, step.batch.count)
    np.testing.assert_array_equal(update.delta, update.after - update.before)
    assert slow.why_stale(run, step) is None  # the update stays shown until the network trains on


def test_an_epoch_of_slow_steps_equals_one_epoch_of_step():
    """Slow steps through a whole epoch: the weights, counters and history of Step's one epoch."""
    setup = config(optimizer="adam", regularization="l2", regularization_rate=0.01, batch_size=7)
    run, twin = build_run(setup), build_run(setup)
    count = run.trainer.batch_position[1]
    for k in range(count):
        step = slow.begin(run)
        assert slow.position_text(step) == f"batch {k + 1} of {count} of epoch 1"
        update = slow.apply_update(run, step)
    assert update.report.epochs_run == 1
    train(twin, 1)
    assert np.array_equal(run.network.params, twin.network.params)
    assert (run.trainer.epoch, run.trainer.step) == (twin.trainer.epoch, twin.trainer.step) == (1, count)
    assert run.trainer.history.train_loss == twin.trainer.history.train_loss


def test_sgd_update_is_minus_the_learning_rate_times_the_gradient():
    run = build_run(config())
    step = slow.begin(run)
    update = slow.apply_update(run, step)
    np.testing.assert_allclose(update.delta, -0.03 * update.grads, rtol=1e-9, atol=1e-17)
    text = slow.update_rule(update)
    assert text.startswith("SGD: ΔW = −learning rate × ∂L/∂W = −0.03 × the gradient of stage 3")
    gap = float(np.max(np.abs(update.delta + 0.03 * update.grads)))
    assert f"at most {gap:.1e} apart" in text


@pytest.mark.parametrize(
    ("optimizer", "words"),
    [("momentum", "Momentum: ΔW = −0.03 × v"), ("rmsprop", "RMSProp: ΔW"), ("adam", "Adam: ΔW = −0.03 × m̂")],
)
def test_other_optimizers_say_what_their_change_is(optimizer, words):
    run = build_run(config(optimizer=optimizer))
    slow.apply_update(run, slow.begin(run))
    update = slow.apply_update(run, slow.begin(run))  # the second step: state carried over
    text = slow.update_rule(update)
    assert text.startswith(words)
    assert "differ by up to" in text


def test_what_ends_a_slow_step_before_its_update():
    run = build_run(config())
    step = slow.begin(run)
    apply_live_settings(run, config(batch_size=25))
    assert slow.why_stale(run, step) == "the batches changed (the batch size or the data)"
    step = slow.begin(run)
    apply_live_settings(run, config(batch_size=25, regularization="l2", regularization_rate=0.01))
    assert slow.why_stale(run, step) == "the regularization changed"
    step = slow.begin(run)
    run.network.W[0][0, 0] += 0.5  # an edited weight
    assert slow.why_stale(run, step).startswith("the weights changed")
    step = slow.begin(run)
    train(run, 1)  # Step
    assert slow.why_stale(run, step).startswith("the weights changed")
    # After the update, further training ends it quietly (its step is done).
    step = slow.begin(run)
    slow.apply_update(run, step)
    train(run, 1)
    assert slow.why_stale(run, step) == ""


def test_a_slow_step_shows_nothing_but_does_not_train_until_stage_four():
    run, twin = build_run(config()), build_run(config())
    step = slow.begin(run)
    for stage in (1, 2, 3):
        step.stage = stage
        slow.forward_stage(run, step.batch)
        slow.loss_stage(run, step.batch)
        slow.backward_stage(run, step.batch)
        slow.forward_figure(run, slow.forward_stage(run, step.batch))
    assert np.array_equal(run.network.params, twin.network.params) and run.trainer.step == 0
    train(run, 2)  # cancelled: training goes on exactly as without the slow step
    train(twin, 2)
    assert np.array_equal(run.network.params, twin.network.params)


def test_a_diverging_update_is_undone_and_said():
    run = build_run(config(problem="regression", dataset="plane", learning_rate=10.0))
    for _ in range(200):
        step = slow.begin(run)
        update = slow.apply_update(run, step)
        if update.report.diverged:
            break
    assert update.report.diverged
    assert np.array_equal(update.after, update.before)
    assert run.diverged.startswith("Training diverged at epoch")


def test_figures_ring_the_batch_and_name_the_gradient():
    run = build_run(config())
    step = slow.begin(run)
    forward = slow.forward_stage(run, step.batch)
    figure = slow.forward_figure(run, forward)
    ring = figure["data"][-1]
    assert ring["text"] == [str(i) for i in range(1, 11)]
    np.testing.assert_array_equal(np.column_stack([ring["x"], ring["y"]]), forward.points)
    loss = slow.loss_stage(run, step.batch)
    bars = slow.shares_figure(run, forward, loss)
    assert sum(bars["data"][0]["y"]) == pytest.approx(loss.batch_loss)
    assert f"{loss.batch_loss:.4f}" in bars["layout"]["title"]["text"]
    backward = slow.backward_figure(run, step, slow.backward_stage(run, step.batch))
    titles = [a["text"] for a in backward["layout"]["annotations"]]
    assert {"∂L/∂W1", "∂L/∂W2", "∂L/∂W3"} <= set(titles)
    assert backward["layout"]["coloraxis2"]["colorbar"]["title"]["text"] == "∂L/∂w"
    slow.apply_update(run, step)
    before, after = slow.update_figures(run, step.update)
    assert "ΔW1" in [a["text"] for a in before["layout"]["annotations"]]
    for fig in (figure, bars, backward, before, after):
        go.Figure(fig)  # valid Plotly
    changes = slow.biggest_changes(run, step.update)
    assert len(changes) == 5 and abs(changes[0]["ΔW"]) == np.max(np.abs(step.update.delta))


def test_weights_figure_beside_title_is_backward_compatible():
    W = [np.array([[0.5, -0.2], [0.1, 0.3], [0.0, 0.1]])]
    rows, cols = [["X₁", "X₂", "b"]], [["h1.1", "h1.2"]]
    default = weights_figure(W, rows, cols, [0.01 * w for w in W])
    assert "ΔW1" in [a["text"] for a in default["layout"]["annotations"]]
    assert default["layout"]["coloraxis2"]["colorbar"]["title"]["text"] == "Δw"
    assert default["data"][1]["texttemplate"] == "%{z:.2f}"
    named = weights_figure(W, rows, cols, [0.01 * w for w in W], beside_title="∂L/∂W", beside_format=".2g")
    assert "∂L/∂W1" in [a["text"] for a in named["layout"]["annotations"]]
    assert named["data"][1]["texttemplate"] == "%{z:.2g}"
    bare = weights_figure(W, rows, cols, [0.01 * w for w in W], beside_format=None)
    assert "texttemplate" not in bare["data"][1] and bare["data"][0]["texttemplate"] == "%{z:.2f}"
    hover = [t for row in named["data"][1]["text"] for t in row if t]
    assert any(t.startswith("∂L/∂W1[0, 0]: X₁ → h1.1<br>+0.00500") for t in hover)
    live = weights_figure(W, rows, cols, [0.01 * w for w in W], beside_title="∂L/∂W", hover=False)
    assert any(a["text"].startswith("∂L/∂W1 (±") for a in live["layout"]["annotations"])


def test_a_csv_column_named_like_ours_is_shown_as_its_own():
    data = load_csv("label,point,ŷ,class\n".encode() + b"1,0,3,0\n0,1,2,1\n2,2,1,0\n0.5,1,0,1\n" * 5)
    run = build_run(config(dataset="csv"), data)
    rows = slow.forward_rows(run, slow.forward_stage(run, slow.begin(run).batch))
    assert list(rows[0])[:4] == ["point", "label (input)", "point (input)", "ŷ (input)"]
    assert "ŷ" in rows[0] and "label" in rows[0]  # ours, beside theirs
