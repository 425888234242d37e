"""The neuron page's loss section: the two curves are the engine's losses (engine.LOSSES is
the oracle), the marked point carries each loss's value and slope at ŷ, and the text
quotes those numbers."""

import contextvars

import numpy as np
import plotly.graph_objects as go
import pytest

from engine.activations import ACTIVATIONS
from engine.losses import LOSSES
from ui.charts.colors import make_theme, use
from ui.charts.loss_shapes import loss_colors, tangent
from ui.neuron import figures, text
from ui.neuron.config import DEFAULTS, SCHEMA
from ui.neuron.run import LOSS_GRID, LOSS_KEYS, loss_shapes


def engine_loss(key: str, prediction: float, label: int) -> tuple[float, float]:
    """The engine's value and gradient for one point, from scratch."""
    a, y = np.array([[prediction]]), np.array([[float(label)]])
    return LOSSES[key].value(a, y), LOSSES[key].grad(a, y)[0, 0]


def shapes_at(prediction: float, label: int):
    return loss_shapes(dict(DEFAULTS, loss_prediction=prediction, loss_label=label))


def curves(figure: dict) -> list[dict]:
    return [t for t in figure["data"] if t["mode"] == "lines" and len(t["x"]) == len(LOSS_GRID)]


def marks(figure: dict) -> list[dict]:
    return [t for t in figure["data"] if t["mode"] == "markers+text"]


def tangents(figure: dict) -> list[dict]:
    return [t for t in figure["data"] if t["mode"] == "lines" and len(t["x"]) == 2]


def test_the_settings_are_in_the_schema_with_their_limits():
    assert (DEFAULTS["loss_label"], DEFAULTS["loss_prediction"]) == (1, 0.1)
    assert SCHEMA.coerce("loss_prediction", 0.0) == 0.01 and SCHEMA.coerce("loss_prediction", 1.0) == 0.99
    assert SCHEMA.coerce("loss_label", 7) == 1 and SCHEMA.coerce("loss_label", -3) == 0
    assert {"loss_label", "loss_prediction"} <= SCHEMA.live_fields()  # nothing retrains


@pytest.mark.parametrize("label", [0, 1])
def test_the_curves_are_the_engines_losses_at_sample_points(label):
    figure = figures.loss_figure(shapes_at(0.3, label))
    go.Figure(figure)  # a valid Plotly figure
    drawn = curves(figure)
    assert [c["line"]["color"] for c in drawn] == list(loss_colors())
    for key, curve in zip(LOSS_KEYS, drawn):
        for i in (0, 17, 99, 150, len(LOSS_GRID) - 1):
            p = float(curve["x"][i])
            assert p == LOSS_GRID[i]
            assert curve["y"][i] == pytest.approx(engine_loss(key, p, label)[0], rel=1e-12)
    # the textbook formulas agree with the engine's (a check of the oracle itself)
    p = LOSS_GRID
    assert np.allclose(drawn[0]["y"], 0.5 * (p - label) ** 2)
    assert np.allclose(drawn[1]["y"], -(label * np.log(p) + (1 - label) * np.log(1 - p)))


@pytest.mark.parametrize(("prediction", "label"), [(0.01, 1), (0.1, 1), (0.5, 0), (0.73, 1), (0.99, 0)])
def test_the_marked_point_has_each_losss_value_and_slope(prediction, label):
    shapes = shapes_at(prediction, label)
    figure = figures.loss_figure(shapes)
    for key, loss, mark, line in zip(LOSS_KEYS, shapes.losses, marks(figure), tangents(figure)):
        value, slope = engine_loss(key, prediction, label)
        assert (loss.value, loss.slope) == (value, slope)
        assert (mark["x"], mark["y"]) == ([prediction], [value])
        assert mark["text"] == [f"{text.short(value)}, slope {text.short(slope)}"]
        assert line["name"] == f"its slope at ŷ: {text.short(slope)}"
        xs, ys = np.asarray(line["x"]), np.asarray(line["y"])
        assert xs[0] <= prediction <= xs[1]
        assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(slope)  # the tangent's slope is the gradient
        assert ys[0] + slope * (prediction - xs[0]) == pytest.approx(value)  # through the mark
        sigmoid = ACTIVATIONS["sigmoid"]
        z = np.log(prediction / (1 - prediction))
        assert loss.through_sigmoid == pytest.approx(slope * prediction * (1 - prediction))
        assert shapes.sigmoid_slope == pytest.approx(sigmoid.deriv(np.array([z]), np.array([prediction]))[0])
    # through a sigmoid, cross-entropy's gradient at z is exactly ŷ − y
    assert shapes.losses[1].through_sigmoid == pytest.approx(prediction - label)


def test_the_legend_names_both_curves_for_the_label():
    one = [t["name"] for t in curves(figures.loss_figure(shapes_at(0.2, 1)))]
    zero = [t["name"] for t in curves(figures.loss_figure(shapes_at(0.2, 0)))]
    assert one == ["quadratic ½(ŷ − 1)²", "cross-entropy −log ŷ"]
    assert zero == ["quadratic ½ŷ²", "cross-entropy −log(1 − ŷ)"]
    figure = figures.loss_figure(shapes_at(0.2, 1))
    assert figure["layout"]["showlegend"] and all(not m["showlegend"] for m in marks(figure))
    assert figure["layout"]["annotations"][0]["text"] == "ŷ = 0.20, y = 1"


def test_the_tangent_is_cut_at_the_plot():
    xs, ys = tangent(0.01, 4.6, -100.0, 0.0, 5.0)
    assert ys.max() <= 5.0 + 1e-12 and ys.min() >= -1e-12 and xs.min() >= 0.0
    xs, ys = tangent(0.5, 0.1, 0.0, 0.0, 1.0)  # flat: the whole width
    assert list(ys) == [0.1, 0.1] and xs[1] - xs[0] == pytest.approx(0.36)


def test_the_text_quotes_the_numbers_of_a_confident_wrong_answer():
    shapes = shapes_at(0.01, 1)
    quadratic, entropy = shapes.losses
    kind, said = text.loss_numbers(shapes)
    assert kind == "warning"
    assert "cross-entropy charges **4.61** against the quadratic's **0.490**, 9.4 times as much" in said
    assert "its slope is **−100** against **−0.990**, 101 times as steep" in said
    assert (text.short(entropy.value), text.short(quadratic.value)) == ("4.61", "0.490")
    assert entropy.value / quadratic.value == pytest.approx(9.397, abs=1e-3)
    assert "**−0.990** with cross-entropy (exactly ŷ − y) against **−0.00980** with the quadratic loss" in said
    assert "barely learns" in said


def test_the_text_of_a_right_answer_and_of_the_fence():
    kind, said = text.loss_numbers(shapes_at(0.9, 1))
    assert kind == "info" and "a right answer" in said and "**0.105**" in said and "**0.00500**" in said
    assert "barely learns" not in said
    kind, said = text.loss_numbers(shapes_at(0.5, 0))
    assert kind == "info" and "on the fence" in said and "**0.693**" in said and "**2.00** against **0.500**" in said
    kind, said = text.loss_numbers(shapes_at(0.7, 0))  # wrong, not confidently
    assert kind == "warning" and "a wrong answer" in said and "barely learns" not in said


def test_short_numbers():
    assert [text.short(v) for v in (-9.9999999, 99.99999, 0.49005, 5e-5, 0.0)] == [
        "−10.0",
        "100",
        "0.490",
        "0.0000500",
        "0",
    ]


def test_the_chart_takes_the_sessions_theme():
    def dark_figure():
        use("dark", "colorblind")
        return figures.loss_figure(shapes_at(0.2, 1)), loss_colors(), make_theme("dark", "colorblind")

    figure, colors, dark = contextvars.copy_context().run(dark_figure)  # the test's own context stays light
    assert figure["layout"]["paper_bgcolor"] == dark.paper and figure["layout"]["font"]["color"] == dark.ink
    assert figure["layout"]["legend"]["font"]["color"] == dark.ink  # legible on the dark paper
    assert [c["line"]["color"] for c in curves(figure)] == list(colors) == [dark.blue, dark.orange]
