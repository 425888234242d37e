"""More data (the Playground's data curve): every size's numbers are those of the same
setup trained directly through build_run and train (the engine is the oracle), the test
loss falls with more points on the circle with noise, the time limit cuts the curve short
and says so, the result is read only while it describes the run, and the figure and the
sentence carry the measured numbers."""

import contextvars
import itertools

import numpy as np
import plotly.graph_objects as go
import pytest

from ui.charts.colors import make_theme, theme, use
from ui.charts.data_curve import data_curve_figure
from ui.playground.config import DEFAULTS
from ui.playground.data_curve import (
    NOT_MEASURED,
    SIZES,
    CurvePoint,
    DataCurve,
    curve_sentence,
    data_curve_result,
    loss_number,
    measure,
    measured_settings,
)
from ui.playground.run import apply_live_settings, build_run, train

NOISY = dict(DEFAULTS, noise=25)  # the default circle setup, with noise


def direct(config: dict, n: int, epochs: int):
    """The same setup trained directly: build_run with n points, then train."""
    run = build_run(dict(config, n_samples=n))
    train(run, epochs)
    return run


def test_every_size_is_the_setup_trained_directly():
    config = dict(DEFAULTS, hidden=(5, 3), learning_rate=0.1, optimizer="adam", train_percent=70, data_seed=3)
    curve = measure(config, 30, (50, 200))
    assert [p.n_samples for p in curve.points] == [50, 200] and not curve.cut_short
    for point in curve.points:
        run = direct(config, point.n_samples, 30)
        history = run.trainer.history
        assert (point.n_train, point.n_test) == (len(run.trainer.X_train), len(run.trainer.X_test))
        assert point.n_train == round(point.n_samples * 0.7)
        assert point.epochs == run.trainer.epoch == 30
        assert point.train_loss == history.train_loss[-1]  # bit for bit: chunks train as one call
        assert point.test_loss == history.test_loss[-1]
        assert point.train_accuracy == history.train_accuracy[-1]
        assert point.test_accuracy == history.test_accuracy[-1]
    assert curve.loss == "quadratic" and curve.epochs == 30


def test_the_test_loss_falls_from_50_to_1000_points_on_the_noisy_circle():
    curve = measure(NOISY, 200, (50, 1000))
    small, large = curve.points
    # measured for these seeds (data 0, weights 0), 200 epochs, batch 10, sgd at 0.03
    assert (small.n_train, large.n_train) == (25, 500)
    assert small.test_loss == pytest.approx(0.2974, abs=1e-3)
    assert large.test_loss == pytest.approx(0.1327, abs=1e-3)
    assert large.test_loss < 0.5 * small.test_loss
    assert large.test_accuracy > small.test_accuracy
    assert small.test_loss == direct(NOISY, 50, 200).trainer.history.test_loss[-1]


def test_the_default_sizes_and_the_whole_default_curve():
    assert SIZES == (50, 100, 200, 500, 1000, 2000)
    curve = measure(DEFAULTS)
    assert [p.n_train for p in curve.points] == [25, 50, 100, 250, 500, 1000]
    tests = [p.test_loss for p in curve.points]
    assert tests[-1] < 0.01 < 0.3 < tests[0]  # measured: 0.450 with 25 training points, 0.00113 with 1,000
    assert not curve.cut_short and curve.left_out == ()


def fake_clock(step: float):
    """A clock that moves ``step`` seconds every time it is read."""
    ticks = itertools.count()
    return lambda: next(ticks) * step


def test_the_time_limit_cuts_the_curve_short_and_says_so():
    curve = measure(DEFAULTS, 20, (50, 100, 200), time_limit=5.0, clock=fake_clock(1.0))
    assert curve.cut_short and 0 < len(curve.points) < 3
    assert curve.left_out == (50, 100, 200)[len(curve.points) :]
    said = curve_sentence(curve)
    assert "Cut short by the time limit of 5 s" in said
    assert f"{curve.left_out[-1]:,} points were not trained" in said
    nothing = measure(DEFAULTS, 20, (50, 100), time_limit=0.0)
    assert nothing.points == () and nothing.cut_short
    assert curve_sentence(nothing).startswith("The time limit of 0 s came before the first size was trained")


def test_progress_is_told_after_each_size_in_order():
    told = []
    measure(DEFAULTS, 5, (50, 100, 150), progress=lambda done, total, p: told.append((done, total, p.n_samples)))
    assert told == [(1, 3, 50), (2, 3, 100), (3, 3, 150)]


def test_a_csv_has_no_number_of_points_to_change():
    with pytest.raises(ValueError, match="CSV"):
        measure(dict(DEFAULTS, dataset="csv"))


def test_a_diverging_size_is_said_with_its_last_finite_epoch():
    config = dict(DEFAULTS, problem="regression", dataset="plane", learning_rate=3.0, activation="relu")
    curve = measure(config, 50, (50,))
    (point,) = curve.points
    assert point.diverged == "diverged at epoch 1" and point.epochs == 0 and point.test_accuracy is None
    said = curve_sentence(curve)
    assert "With 25 training points training diverged at epoch 1: its losses are those of epoch 0" in said
    figure = data_curve_figure([25], [point.train_loss], [point.test_loss], diverged=[True])
    assert figure["data"][0]["marker"]["symbol"] == ["circle-open"]
    assert figure["data"][-1]["name"] == "training diverged"


def test_the_result_is_read_only_while_it_describes_the_run():
    run = build_run(DEFAULTS)
    assert data_curve_result(run) is None and data_curve_result(None) is None
    run.data_curve = measure(DEFAULTS, 5, (50,))
    assert data_curve_result(run) is run.data_curve
    run.config = dict(run.config, show_test=True, speed="10", n_samples=1000, trace="row:1")  # not measured
    assert data_curve_result(run) is run.data_curve
    apply_live_settings(run, dict(run.config, learning_rate=0.3))  # a live training setting changed
    assert data_curve_result(run) is None
    assert {"n_samples", "compare", "trace"} <= set(NOT_MEASURED)
    assert "learning_rate" in measured_settings(DEFAULTS) and "n_samples" not in measured_settings(DEFAULTS)


def test_the_figure_draws_the_measured_losses_on_a_log_axis():
    curve = measure(DEFAULTS, 10, (50, 200, 500))
    n = np.array([p.n_train for p in curve.points])
    figure = data_curve_figure(
        n, np.array([p.train_loss for p in curve.points]), np.array([p.test_loss for p in curve.points])
    )
    go.Figure(figure)
    test, training = figure["data"]
    assert (test["name"], test["line"]["color"]) == ("test loss", theme().orange)
    assert (training["name"], training["line"]["color"]) == ("training loss", theme().ink)
    assert list(test["x"]) == [25, 100, 250] and list(test["y"]) == [p.test_loss for p in curve.points]
    assert list(training["y"]) == [p.train_loss for p in curve.points]
    assert figure["layout"]["xaxis"]["type"] == "log" and figure["layout"]["xaxis"]["ticktext"] == ["25", "100", "250"]
    assert figure["layout"]["showlegend"]


def test_the_sentence_quotes_the_measured_numbers():
    def point(n, train, test):
        return CurvePoint(2 * n, n, n, 200, train, test, None, None)

    curve = DataCurve(
        {},
        200,
        "quadratic",
        (point(25, 0.11, 0.31), point(500, 0.05, 0.02), point(1000, 0.04, 0.03)),
        (50, 1000, 2000),
        False,
        1.0,
        15.0,
    )
    said = curve_sentence(curve)
    assert said == (
        "200 epochs at each size: with 25 training points the test loss is 0.31 (training loss 0.11); "
        "with 1,000, 0.03 (training loss 0.04). The lowest test loss, 0.02, is at 500."
    )
    assert loss_number(0.0011268) == "0.00113"


def test_the_figure_takes_the_sessions_theme():
    def dark_figure():
        use("dark")
        return data_curve_figure([25, 50], [0.2, 0.1], [0.3, 0.2])

    figure = contextvars.copy_context().run(dark_figure)  # the test's own context stays light
    dark = make_theme("dark")
    assert figure["layout"]["paper_bgcolor"] == dark.paper
    assert figure["layout"]["legend"]["font"]["color"] == dark.ink
    assert [t["line"]["color"] for t in figure["data"]] == [dark.orange, dark.ink]
