"""The neuron page's chart builders: figure dicts that Plotly accepts, showing the right
things in the right places."""

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from engine.activations import ACTIVATIONS
from engine.neuron import neuron_grid, plane_grid
from engine.perceptron import linearly_separable, predict, train_perceptron
from ui.charts.colors import BLUE, DIVERGING, INK, ORANGE
from ui.charts.neuron import (
    DERIVATIVE_COLOR,
    F_COLOR,
    TOOLBAR,
    UPDATES,
    WRONG,
    activation_gallery_figure,
    clip_line,
    neuron_plane_figure,
    neuron_surface_figure,
    perceptron_errors_figure,
    perceptron_figure,
    stack_figure,
)
from ui.live.figure_json import to_json


def valid(fig: dict) -> go.Figure:
    json.loads(to_json(fig))
    return go.Figure(fig)


def trace(fig: dict, name: str) -> dict:
    return next(t for t in fig["data"] if t.get("name") == name)


@pytest.mark.parametrize(
    "w, b", [((1.0, 0.5), 1.0), ((0.0, 2.0), -3.0), ((3.0, 0.0), 4.5), ((-1.0, 1.0), 0.0), ((0.2, -0.1), 0.3)]
)
def test_clip_line_ends_on_the_line_and_on_the_border(w, b):
    segment = clip_line(np.array(w), b, 6.0)
    assert segment.shape == (2, 2)
    np.testing.assert_allclose(segment @ np.array(w) + b, 0.0, atol=1e-9)
    for end in segment:
        assert np.max(np.abs(end)) == pytest.approx(6.0)  # on the square's edge
        assert np.all(np.abs(end) <= 6.0 + 1e-9)


def test_clip_line_without_a_line():
    assert clip_line(np.zeros(2), 1.0, 6.0) is None  # w = 0: z = b everywhere
    assert clip_line(np.array([1.0, 0.0]), -10.0, 6.0) is None  # x₁ = 10 misses the square
    assert clip_line(np.array([1.0, 1.0]), 20.0, 6.0) is None


def test_neuron_plane_figure_has_the_line_and_w_pointing_to_growing_output():
    w, b = np.array([1.0, 0.5]), 1.0
    xs, values = neuron_grid(w, b, "sigmoid", 21)
    fig = neuron_plane_figure(xs, values, w, b, (0.0, 1.0))
    valid(fig)
    line = trace(fig, "w·x + b = 0")
    np.testing.assert_allclose(np.array(line["x"]) * 1.0 + np.array(line["y"]) * 0.5 + 1.0, 0.0, atol=1e-9)
    arrow = fig["layout"]["annotations"][0]
    direction = np.array([arrow["x"] - arrow["ax"], arrow["y"] - arrow["ay"]])
    assert direction @ w > 0 and abs(direction[0] * w[1] - direction[1] * w[0]) < 1e-9  # along w
    heatmap = fig["data"][0]  # the output under the line (a heatmap trace, not a picture over it)
    assert heatmap["type"] == "heatmap" and heatmap["z"].shape == (21, 21)
    assert (heatmap["zmin"], heatmap["zmax"]) == (0.0, 1.0)


def test_neuron_plane_figure_without_a_line():
    xs, values = neuron_grid(np.zeros(2), 1.0, "relu", 11)
    fig = neuron_plane_figure(xs, values, np.zeros(2), 1.0, (-1.0, 1.0))
    valid(fig)
    assert not any(t.get("name") == "w·x + b = 0" for t in fig["data"])
    assert not fig["layout"].get("annotations")


def test_neuron_surface_figure():
    w, b = np.array([1.0, -1.0]), 0.5
    xs, values = neuron_grid(w, b, "tanh", 15)
    fig = neuron_surface_figure(xs, values, (-1.0, 1.0), clip_line(w, b, 6.0), 0.0)
    valid(fig)
    surface = fig["data"][0]
    assert surface["type"] == "surface" and surface["z"].shape == (15, 15)
    assert (surface["cmin"], surface["cmax"]) == (-1.0, 1.0)
    assert fig["data"][1]["z"] == [0.0, 0.0]  # the line, drawn at f(0) = tanh 0
    assert fig["layout"]["uirevision"]  # the camera survives updates
    assert len(valid(neuron_surface_figure(xs, values, (-1.0, 1.0), None, 0.0)).data) == 1


def test_perceptron_figures():
    data = linearly_separable(60, 3)
    run = train_perceptron(data.X, data.y)
    w, b = run.weights[1], run.biases[1]
    xs, X = plane_grid(21)
    wrong = data.X[predict(data.X, w, b) != data.y]
    assert len(wrong)
    fig = perceptron_figure(xs, predict(X, w, b).reshape(21, 21), data.X, data.y, w, b, wrong)
    valid(fig)
    assert not fig["layout"].get("images")  # every part is a trace, drawn in this order:
    names = [t.get("name") for t in fig["data"]]
    assert names == [None, "class 0", "class 1", "w·x + b = 0", "on the wrong side"]  # the rings on top
    assert fig["data"][0]["type"] == "heatmap" and fig["data"][0]["opacity"] < 1  # the classes, light
    assert len(trace(fig, "class 0")["x"]) + len(trace(fig, "class 1")["x"]) == len(data.X)
    assert len(trace(fig, "on the wrong side")["x"]) == len(wrong)
    last = perceptron_figure(
        xs,
        predict(X, run.weights[-1], run.biases[-1]).reshape(21, 21),
        data.X,
        data.y,
        run.weights[-1],
        run.biases[-1],
        wrong[:0],
    )
    assert not any(t.get("name") == "on the wrong side" for t in last["data"])
    errors = perceptron_errors_figure(run.updates, run.errors, 1)
    valid(errors)
    np.testing.assert_array_equal(errors["data"][0]["y"], run.updates)
    np.testing.assert_array_equal(errors["data"][1]["x"], np.arange(run.epochs_run + 1))
    assert trace(errors, "epoch shown")["x"] == [1, 1]


def test_stack_figure_draws_the_zero_contour():
    xs, X = plane_grid(21)
    values = (X @ np.array([1.0, -2.0]) + 0.5).reshape(21, 21)
    fig = stack_figure(xs, values)
    valid(fig)
    contour = trace(fig, "output = 0: the boundary")
    assert contour["contours"]["start"] == contour["contours"]["end"] == 0
    assert contour["z"].shape == (21, 21)


def test_activation_gallery_has_every_activation_and_its_derivative():
    z = np.linspace(-4, 4, 81)
    curves = {}
    for name, act in ACTIVATIONS.items():
        a = act(z)
        curves[name] = (a, act.deriv(z, a))
    fig = activation_gallery_figure(z, curves)
    valid(fig)
    assert len(fig["data"]) == 2 * len(ACTIVATIONS)
    titles = [a["text"] for a in fig["layout"]["annotations"]]
    assert titles == [f"<b>{name}</b>" for name in ACTIVATIONS]
    relu = [t for t in fig["data"] if t["hovertemplate"].endswith("<extra>relu</extra>")]
    relu_f, relu_d = relu
    np.testing.assert_array_equal(relu_d["y"], (z > 0).astype(float))
    assert relu_d["xaxis"] == relu_f["xaxis"]  # a function and its derivative share a plot
    axes = {t["xaxis"] for t in fig["data"]}
    assert len(axes) == len(ACTIVATIONS)
    domains = [fig["layout"][k]["domain"] for k in fig["layout"] if k.startswith("xaxis")]
    assert all(0 <= lo < hi <= 1 for lo, hi in domains)


def drawn_color(t: dict) -> str:
    """The colour a trace's legend entry shows: its markers' for points and bars, else its line's."""
    if t["type"] == "bar" or t.get("mode") == "markers":
        return t["marker"]["color"]
    return t["line"]["color"]


def legend(fig: dict) -> dict[str, str]:
    """What the chart's own legend says: each entry's name and colour."""
    if not fig["layout"].get("showlegend"):
        return {}
    shown = [t for t in fig["data"] if t.get("showlegend", t["type"] not in ("heatmap", "contour", "surface"))]
    return {t["name"]: drawn_color(t) for t in shown}


def test_every_chart_names_its_lines_and_points_in_its_own_legend():
    w, b = np.array([1.0, 0.5]), 1.0
    xs, values = neuron_grid(w, b, "sigmoid", 21)
    assert legend(neuron_plane_figure(xs, values, w, b, (0.0, 1.0))) == {"w·x + b = 0": INK}
    surface = neuron_surface_figure(xs, values, (0.0, 1.0), clip_line(w, b, 6.0), 0.5)
    assert legend(surface) == {"w·x + b = 0": INK}
    data = linearly_separable(60, 3)
    run = train_perceptron(data.X, data.y)
    predicted = predict(plane_grid(21)[1], run.weights[1], run.biases[1]).reshape(21, 21)
    line = perceptron_figure(xs, predicted, data.X, data.y, run.weights[1], run.biases[1], data.X[:2])
    assert legend(line) == {"class 0": ORANGE, "class 1": BLUE, "w·x + b = 0": INK, "on the wrong side": WRONG}
    errors = perceptron_errors_figure(run.updates, run.errors, 1)
    assert legend(errors) == {"updates made": UPDATES, "left on the wrong side": ORANGE, "epoch shown": INK}
    assert legend(stack_figure(xs, values - 0.5)) == {"output = 0: the boundary": INK}
    z = np.linspace(-4, 4, 9)
    gallery = activation_gallery_figure(z, {"relu": (z, z), "tanh": (z, z)})
    assert legend(gallery) == {"f(z)": F_COLOR, "f′(z)": DERIVATIVE_COLOR}  # one entry for each kind of curve
    for fig in (neuron_plane_figure(xs, values, w, b, (0.0, 1.0)), line, errors, stack_figure(xs, values)):
        assert fig["layout"]["legend"]["yref"] == "container"  # under the plot, clear of the toolbar
    for fig in (line, errors):  # three or four entries: two to a row, in two rows' room
        assert fig["layout"]["legend"]["entrywidth"] == 0.5 and fig["layout"]["margin"]["b"] >= 40 + 2 * 24


def test_the_value_pictures_draw_a_labelled_colour_bar_and_the_lines_above_them():
    w, b = np.array([1.0, 0.5]), 1.0
    xs, values = neuron_grid(w, b, "tanh", 21)
    for fig, title in ((neuron_plane_figure(xs, values, w, b, (-1.0, 1.0)), "a"), (stack_figure(xs, values), "ŷ")):
        heatmap = fig["data"][0]  # first: every line is drawn over it
        assert heatmap["type"] == "heatmap" and heatmap["colorscale"] == DIVERGING
        assert heatmap["colorbar"]["title"]["text"] == title
        assert heatmap["colorbar"]["ticktext"] == ["-1", "0", "1"]  # ends and middle
        assert not fig["layout"].get("images")  # no picture laid over the lines
        assert fig["layout"]["margin"]["t"] >= TOOLBAR  # the toolbar shows above the plot


def test_a_step_neurons_picture_shows_only_its_two_values():
    """Smoothing between the cells would draw grey, values a step never takes, along its line."""
    w, b = np.array([1.0, 0.5]), 1.0
    for activation, smooth in (("step", False), ("sigmoid", "best")):
        xs, values = neuron_grid(w, b, activation, 21)
        assert neuron_plane_figure(xs, values, w, b, (0.0, 1.0))["data"][0]["zsmooth"] == smooth
