"""The neuron page's chart builders: figure dicts that Plotly accepts, showing the right
things in the right places."""

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from engine.activations import ACTIVATIONS
from engine.neuron import neuron_grid, plane_grid
from engine.perceptron import linearly_separable, predict, train_perceptron
from ui.charts.neuron import (
    activation_gallery_figure,
    clip_line,
    neuron_plane_figure,
    neuron_surface_figure,
    perceptron_errors_figure,
    perceptron_figure,
    stack_figure,
)
from ui.charts.output import points_overlay
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
    assert fig["layout"]["images"][0]["source"].startswith("data:image/png;base64,")


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
    overlay = points_overlay(data.X, data.y, (-6.0, 6.0), n_classes=2)
    fig = perceptron_figure(xs, predict(X, w, b).reshape(21, 21), overlay, w, b, wrong)
    valid(fig)
    assert len(fig["layout"]["images"]) == 2  # the classes, then the points over them
    if len(wrong):
        assert len(trace(fig, "wrong side")["x"]) == len(wrong)
    last = perceptron_figure(
        xs,
        predict(X, run.weights[-1], run.biases[-1]).reshape(21, 21),
        overlay,
        run.weights[-1],
        run.biases[-1],
        wrong[:0],
    )
    assert not any(t.get("name") == "wrong side" for t in last["data"])
    errors = perceptron_errors_figure(run.updates, run.errors, 1)
    valid(errors)
    np.testing.assert_array_equal(errors["data"][0]["y"], run.updates)
    np.testing.assert_array_equal(errors["data"][1]["x"], np.arange(run.epochs_run + 1))
    assert errors["layout"]["shapes"][0]["x0"] == 1


def test_stack_figure_draws_the_zero_contour():
    xs, X = plane_grid(21)
    values = (X @ np.array([1.0, -2.0]) + 0.5).reshape(21, 21)
    fig = stack_figure(xs, values)
    valid(fig)
    contour = trace(fig, "output = 0")
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
    relu_d = trace(fig, "relu f′")
    np.testing.assert_array_equal(relu_d["y"], (z > 0).astype(float))
    assert relu_d["xaxis"] == trace(fig, "relu f")["xaxis"]  # a function and its derivative share a plot
    axes = {t["xaxis"] for t in fig["data"]}
    assert len(axes) == len(ACTIVATIONS)
    domains = [fig["layout"][k]["domain"] for k in fig["layout"] if k.startswith("xaxis")]
    assert all(0 <= lo < hi <= 1 for lo, hi in domains)
