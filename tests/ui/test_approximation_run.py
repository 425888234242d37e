"""The Universal approximation page's run logic, without Streamlit: building, surgery,
settled records, growing, history thinning."""

import numpy as np
import pytest

from engine.approximation import FORMULA
from engine.formula import FormulaError
from ui.approximation.config import DEFAULTS, MAX_NEURONS
from ui.approximation.figures import error_picture, fit_picture, frame, loss_picture, run_stats
from ui.approximation.run import (
    advance,
    apply_live_settings,
    build_run,
    grow_if_settled,
    reset_needed,
    resize,
    settings_of,
    signature,
    train,
)
from ui.live.cadence import FrameWork

WORK = FrameWork(budget=1.0, seconds=0.025)  # a frame's training: 1 s at most, one nominal frame


def config(**changes):
    return dict(DEFAULTS, **changes)


def output(run) -> np.ndarray:
    return run.network.forward(run.grid[:, None])[:, 0]


def test_the_same_config_builds_the_same_run():
    a, b = build_run(config()), build_run(config())
    np.testing.assert_array_equal(a.network.params, b.network.params)
    np.testing.assert_array_equal(a.target.data.X, b.target.data.X)
    assert a.width == DEFAULTS["neurons"] and a.trainer.optimizer.name == "adam"
    assert a.trainer.batch_size == len(a.target.data)  # "all": one step per epoch
    assert not a.discontinuous and build_run(config(target="step")).discontinuous


def test_resize_grows_without_changing_the_function_and_shrinks_by_the_weakest():
    run = build_run(config(neurons=3))
    train(run, 50)
    before, epoch = output(run), run.trainer.epoch
    assert resize(run, 6) == 6
    np.testing.assert_allclose(output(run), before, rtol=0, atol=1e-12)
    assert run.events == [(epoch, 3, 6)] and run.changed_at == epoch and run.config["neurons"] == 6
    assert np.all(run.network.W[1][3:] == 0.0)
    run.network.W[1][:, 0] = [0.5, -0.1, 2.0, 0.02, -0.3, 0.05]
    kept = run.network.W[1][[0, 2, 4], 0].copy()
    resize(run, 3)  # removes the three weakest: 0.02, 0.05, -0.1
    np.testing.assert_array_equal(run.network.W[1][:, 0], kept)
    assert resize(run, 0) == 1 and resize(run, 10_000) == MAX_NEURONS


def test_settled_training_records_the_error_at_that_width():
    run = build_run(config(neurons=8, activation="tanh"))
    train(run, 100)
    assert not run.records  # still improving, or too early to say
    for _ in range(40):
        train(run, 500)
        if run.records:
            break
    record = run.records[8]
    assert record.epoch == run.trainer.epoch
    assert (record.max_error, record.rmse) == run.errors()
    assert grow_if_settled(run) is False  # grow: off
    run.config["grow"] = "double"
    assert grow_if_settled(run) is True and run.width == 16
    assert not run.settled()  # settling is judged afresh after a change
    run.config["grow"] = "add"
    assert grow_if_settled(run) is False


def test_live_settings_change_without_a_reset():
    run = build_run(config())
    train(run, 5)
    apply_live_settings(run, config(learning_rate=0.1, batch_size="10", optimizer="sgd", speed="10"))
    assert run.trainer.learning_rate == 0.1 and run.trainer.batch_size == 10
    assert run.trainer.optimizer.name == "sgd" and run.trainer.epoch == 5 and run.config["speed"] == "10"


def test_what_resets_and_what_the_sweep_depends_on():
    assert reset_needed(config(), config(learning_rate=0.1, neurons=9, grow="add")) == []
    assert reset_needed(config(), config(activation="tanh", noise=10)) == [
        "Noise (% of the target's range)",
        "Activation",
    ]
    assert reset_needed(config(), config(formula="x")) == []  # the formula is not in use
    assert reset_needed(config(target=FORMULA), config(target=FORMULA, formula="x")) == ["Formula"]
    assert signature(config()) == signature(config(neurons=50, speed="1", grow="add", sweep_epochs=500))
    assert signature(config()) != signature(config(learning_rate=0.1))
    assert settings_of(config(batch_size="25")).batch_size == 25 and settings_of(config()).batch_size is None


def test_a_bad_formula_raises_a_clear_error():
    with pytest.raises(FormulaError, match="unknown function 'exp2'"):
        build_run(config(target=FORMULA, formula="exp2(x)"))
    run = build_run(config(target=FORMULA, formula="abs(x) - 1"))
    assert run.target.label == "f(x) = abs(x) - 1"


def test_divergence_is_kept_as_a_sentence():
    run = build_run(config(optimizer="sgd", learning_rate=1.0, neurons=64, target="cubic"))
    run.trainer.learning_rate = 100.0
    train(run, 20)
    assert run.diverged and "lower the learning rate" in run.diverged


def test_every_activation_draws():
    for activation in ("relu", "tanh", "step", "sine", "linear", "gaussian"):
        run = build_run(config(activation=activation, neurons=5))
        train(run, 3)
        resize(run, 7)
        _, title = fit_picture(run)
        assert "The pieces" in title and "all 7 pieces" in title
        assert error_picture(run)["data"] and loss_picture(run)["data"]
        assert 'id="stat-neurons">7<' in run_stats(run)


def test_advance_trains_grows_once_settled_and_stops_on_divergence():
    run = build_run(config(neurons=8, activation="tanh", grow="double", speed="1000"))
    for _ in range(40):
        assert advance(run, WORK) is False
        if run.width > 8:
            break
    assert run.width == 16 and 8 in run.records and run.config["neurons"] == 16
    bad = build_run(config(optimizer="sgd", learning_rate=1.0, neurons=64, target="cubic", speed="10"))
    bad.trainer.learning_rate = 100.0
    assert advance(bad, WORK) is True and bad.diverged.startswith("Training diverged at epoch")
    epoch = bad.trainer.epoch
    assert advance(bad, WORK) is True and bad.trainer.epoch == epoch  # a diverged run trains no more


def test_slow_charts_are_rebuilt_every_few_frames_and_after_surgery():
    run = build_run(config())
    first = frame(run, None, playing=True)
    train(run, 5)
    second = frame(run, None, playing=True)
    by_name = lambda f: {c["id"]: c["figure"] for c in f.charts}
    assert by_name(second)["loss"] == by_name(first)["loss"]  # the last one, sent again
    assert by_name(second)["fit"] != by_name(first)["fit"]  # the fit: every frame
    resize(run, 6)
    third = frame(run, None, playing=True)
    assert by_name(third)["loss"] != by_name(second)["loss"]  # the new width's event line
    assert frame(run, None, playing=False).charts  # paused: everything rebuilt
