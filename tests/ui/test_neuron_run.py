"""The neuron page's pure parts: its schema, the perceptron's run and shown epoch, the
stack of layers, the words that report them, and the panels' charts."""

import json

import numpy as np
import pytest

from engine.activations import ACTIVATIONS
from engine.neuron import NEURON_ACTIVATIONS, neuron_grid
from engine.perceptron import MAX_EPOCHS
from ui.live import link
from ui.neuron import figures, text
from ui.neuron.config import DEFAULTS, LAST_EPOCH, SCHEMA
from ui.neuron.run import GRID, N_POINTS, agree_epoch, build_perceptron, build_stack


def test_the_schema_names_every_setting_once_with_the_sliders_limits():
    assert SCHEMA.names == (
        "w1",
        "w2",
        "b",
        "activation",
        "x1",
        "x2",
        "data",
        "data_seed",
        "epoch",
        "view",
        "step",
        "stack_activation",
        "stack_layers",
        "stack_seed",
        "loss_label",
        "loss_prediction",
    )
    assert (SCHEMA["w1"].low, SCHEMA["w1"].high, SCHEMA["w1"].step) == (-3.0, 3.0, 0.1)
    assert (SCHEMA["b"].low, SCHEMA["b"].high, SCHEMA["b"].step) == (-6.0, 6.0, 0.5)
    assert SCHEMA["activation"].choices == NEURON_ACTIVATIONS
    assert SCHEMA["epoch"].default == LAST_EPOCH == MAX_EPOCHS
    assert SCHEMA.reset_needed(DEFAULTS, dict(DEFAULTS, w1=2.0, epoch=3, stack_layers=1)) == []
    assert SCHEMA.reset_needed(DEFAULTS, dict(DEFAULTS, data="xor")) == ["Data"]


def test_a_link_round_trips_through_the_schema():
    config = dict(DEFAULTS, w1=1.5, activation="relu", data="xor", epoch=4, stack_seed=9)
    params = link.encode(SCHEMA, config)
    assert params == {"w1": "1.5", "activation": "relu", "data": "xor", "epoch": "4", "stack_seed": "9"}
    assert link.decode(SCHEMA, params).config == config


def test_the_default_perceptron_run_converges_after_nine_epochs():
    lesson = build_perceptron(DEFAULTS)
    assert (lesson.data, lesson.seed, len(lesson.points.X)) == ("separable", 7, N_POINTS)
    assert lesson.history.converged and lesson.history.epochs_to_converge == 9
    assert lesson.matches(DEFAULTS) and not lesson.matches(dict(DEFAULTS, data_seed=8))
    assert lesson.shown_epoch(DEFAULTS) == lesson.history.epochs_run == 10
    assert lesson.shown_epoch(dict(DEFAULTS, epoch=3)) == 3


def test_the_epoch_agrees_with_the_run():
    lesson = build_perceptron(DEFAULTS)
    assert agree_epoch(DEFAULTS, dict(DEFAULTS, epoch=3), lesson)["epoch"] == 3
    assert agree_epoch(DEFAULTS, dict(DEFAULTS, epoch=10), lesson)["epoch"] == LAST_EPOCH  # the last: the default
    assert agree_epoch(DEFAULTS, dict(DEFAULTS, epoch=60), lesson)["epoch"] == LAST_EPOCH
    xor = dict(DEFAULTS, data="xor", epoch=3)
    assert agree_epoch(dict(DEFAULTS, epoch=3), xor, build_perceptron(xor))["epoch"] == LAST_EPOCH  # new data
    assert agree_epoch(xor, xor, build_perceptron(xor))["epoch"] == 3


def test_xor_never_converges():
    xor = dict(DEFAULTS, data="xor")
    lesson = build_perceptron(xor)
    assert not lesson.history.converged and lesson.history.epochs_run == MAX_EPOCHS
    kind, summary = text.perceptron_summary(lesson)
    assert kind == "warning" and summary.startswith(f"No convergence: after {MAX_EPOCHS} epochs")


@pytest.mark.parametrize("layers", [1, 2, 3])
def test_a_linear_stack_is_its_product_and_tanh_is_not(layers):
    linear = build_stack(dict(DEFAULTS, stack_layers=layers))
    assert linear.values.shape == (GRID, GRID) and len(linear.W) == layers + 1
    assert linear.gap < 1e-9
    assert text.product_latex(linear).startswith("".join(f"W_{i + 1}" for i in range(layers + 1)) + " = ")
    bent = build_stack(dict(DEFAULTS, stack_layers=layers, stack_activation="tanh"))
    for a, b in zip(bent.W, linear.W):
        np.testing.assert_array_equal(a, b)  # the very same weights
    assert bent.gap > 0.1
    assert text.stack_verdict("linear", linear)[0] == "success" and text.stack_verdict("tanh", bent)[0] == "warning"


def test_the_words_follow_the_numbers():
    at = r" \quad \text{at } x = (1.500, -2.000){:}\;\; "
    assert text.neuron_latex(DEFAULTS) == r"a = \sigma\left(1.0\,x_1 +0.5\,x_2 +1.0\right)" + at + (
        r"z = 1.500,\;\; a = \sigma(1.500) = 0.818"  # 1.5 − 1 + 1; 1 / (1 + e^−1.5)
    )
    linear = text.neuron_latex(dict(DEFAULTS, activation="linear", b=-2.0))
    assert linear == r"a = 1.0\,x_1 +0.5\,x_2 -2.0" + at + r"z = -1.500,\;\; a = -1.500"
    assert text.neuron_latex(dict(DEFAULTS, w1=1.55)).startswith(r"a = \sigma\left(1.550\,x_1 +0.5\,x_2")
    assert text.one_layer_text(np.array([1.071, -0.12]), -1.18) == "ŷ = 1.07·x₁ − 0.12·x₂ − 1.18"
    assert set(text.FORMULAS) == set(ACTIVATIONS)  # every engine activation has its formulas
    assert set(text.SYMBOL) == set(NEURON_ACTIVATIONS)
    assert text.xor_setup({"hidden": (4,), "activation": "tanh"}).startswith(
        "XOR data, one hidden layer of 4 tanh neurons"
    )


def test_the_colour_range_is_the_activations_or_symmetric():
    assert figures.value_range("sigmoid", np.array([0.2, 0.9])) == (0.0, 1.0)
    assert figures.value_range("relu", np.array([0.0, 3.0])) == (-3.0, 3.0)


def test_the_surface_shows_the_activations_heights_or_the_values():
    assert figures.height_range("sigmoid", np.array([0.2, 0.9])) == (0.0, 1.0)
    assert figures.height_range("relu", np.array([0.0, 3.0])) == (0.0, 3.0)  # relu's surface starts at 0


@pytest.mark.parametrize("activation", NEURON_ACTIVATIONS)
def test_the_neurons_colour_bar_names_the_middle_of_its_scale(activation):
    """A sigmoid's output is in [0, 1]: the middle of its colours (grey) is 0.5, not 0."""
    plane, surface, _ = (json.loads(c["figure"]) for c in figures.neuron_charts(dict(DEFAULTS, activation=activation)))
    heatmap = plane["data"][0]
    low, high = heatmap["zmin"], heatmap["zmax"]
    bar = heatmap["colorbar"]
    assert bar["tickvals"] == [low, (low + high) / 2, high] and bar["title"]["text"] == "a"
    if activation == "sigmoid":
        assert bar["ticktext"] == ["0", "0.5", "1"]
    # the surface is coloured by the same scale, its heights labelled as the colour bar is
    assert (surface["data"][0]["cmin"], surface["data"][0]["cmax"]) == (low, high)
    z = surface["layout"]["scene"]["zaxis"]
    assert z["range"][0] < z["tickvals"][0]  # room under the lowest label, clear of the floor's labels
    _, values = neuron_grid(np.array([DEFAULTS["w1"], DEFAULTS["w2"]]), DEFAULTS["b"], activation, GRID)
    low, high = figures.height_range(activation, values)
    assert low - 1e-9 <= z["tickvals"][0] and z["tickvals"][-1] <= high + 1e-9  # labels on the surface's heights
    assert len(z["tickvals"]) >= 2


def test_the_panels_charts():
    neuron = figures.neuron_charts(DEFAULTS)
    assert [c["id"] for c in neuron] == ["plane", "surface", "diagram"]
    tall = figures.neuron_charts(DEFAULTS, tall=True)[:2]  # presentation mode: larger, still above the fold
    assert {json.loads(c["figure"])["layout"]["height"] for c in tall} == {figures.TALL_HEIGHT}
    lesson = build_perceptron(DEFAULTS)
    line, errors = figures.perceptron_charts(lesson, 4)
    assert line["title"].startswith("<b>After epoch 4</b>")
    marker = next(t for t in json.loads(errors["figure"])["data"] if t["name"] == "epoch shown")
    assert marker["x"] == [4, 4]  # the dotted line marks the epoch shown
    (stack,) = figures.stack_charts(build_stack(DEFAULTS))
    # The output is a heatmap trace under the boundary, not a picture laid over the plot
    # (a live panel lays its pictures over the traces, which hid the boundary's colour).
    assert stack["id"] == "stack" and not stack["overlays"]
    assert [t["type"] for t in json.loads(stack["figure"])["data"]] == ["heatmap", "contour"]
    gallery = figures.gallery_figure()
    assert len(gallery["data"]) == 2 * len(ACTIVATIONS) and figures.gallery_figure() is gallery
