"""The neuron page's pictures as figure dicts and the charts of its panels. Pure: no
Streamlit (the shared chart builders are in ``ui.charts.neuron``)."""

from functools import lru_cache

import numpy as np

from engine.activations import ACTIVATIONS
from engine.datasets import DOMAIN
from engine.neuron import neuron_grid, plane_grid
from engine.perceptron import predict
from ui.charts.neuron import (
    PICTURE_HEIGHT,
    activation_gallery_figure,
    clip_line,
    neuron_plane_figure,
    neuron_surface_figure,
    perceptron_errors_figure,
    perceptron_figure,
    stack_figure,
)
from ui.live.panel import chart
from ui.neuron import text
from ui.neuron.run import GRID, PerceptronLesson, Stack

NEURON_GRID = {"columns": "1fr 1fr"}
TALL_HEIGHT = 410  # the neuron's pictures in presentation mode: still above the fold at 1280 × 720
PERCEPTRON_GRID = {"columns": "1.1fr 1fr"}


def value_range(activation: str, values: np.ndarray) -> tuple[float, float]:
    """The colour range of an activation's output: its own bounds where it has them,
    symmetric around 0 otherwise (so 0 is the middle of the colour scale)."""
    low, high = ACTIVATIONS[activation].value_range
    if low is not None and high is not None:
        return low, high
    limit = max(float(np.max(np.abs(values))), 1e-6)
    return -limit, limit


def height_range(activation: str, values: np.ndarray) -> tuple[float, float]:
    """The heights the surface shows: the activation's own bounds where it has both, the
    values' lowest and highest otherwise (relu's surface starts at 0)."""
    low, high = ACTIVATIONS[activation].value_range
    if low is not None and high is not None:
        return low, high
    return float(np.min(values)), float(np.max(values))


def neuron_charts(config: dict, *, tall: bool = False) -> list[dict]:
    """The one neuron's output seen from above (with its line and w) and as a surface;
    ``tall`` for a projector (presentation mode), where the page's first screen has room."""
    height = TALL_HEIGHT if tall else PICTURE_HEIGHT
    w, b, activation = np.array([config["w1"], config["w2"]]), config["b"], config["activation"]
    xs, values = neuron_grid(w, b, activation, GRID, DOMAIN)
    bounds = value_range(activation, values)
    level = float(ACTIVATIONS[activation](np.zeros(1))[0])  # f(0): the height of the line
    return [
        chart("plane", neuron_plane_figure(xs, values, w, b, bounds, height=height), title=text.PLANE_TITLE),
        chart(
            "surface",
            neuron_surface_figure(
                xs,
                values,
                bounds,
                clip_line(w, b, DOMAIN),
                level,
                heights=height_range(activation, values),
                height=height,
            ),
            title=text.SURFACE_TITLE,
        ),
    ]


def perceptron_charts(lesson: PerceptronLesson, epoch: int) -> list[dict]:
    """The line after ``epoch`` with the classes it gives and the points it gets wrong, and
    the updates and mistakes of every epoch."""
    history, points = lesson.history, lesson.points
    w, b = history.weights[epoch], float(history.biases[epoch])
    xs, X = plane_grid(GRID, DOMAIN)
    predicted = predict(X, w, b).reshape(GRID, GRID)
    wrong = points.X[predict(points.X, w, b) != points.y]
    return [
        chart("line", perceptron_figure(xs, predicted, points.X, points.y, w, b, wrong), title=text.line_title(epoch)),
        chart("errors", perceptron_errors_figure(history.updates, history.errors, epoch), title=text.ERRORS_TITLE),
    ]


def stack_charts(stack: Stack) -> list[dict]:
    """The stack's output over the plane with its boundary."""
    return [chart("stack", stack_figure(stack.xs, stack.values), title=text.STACK_TITLE)]


@lru_cache(maxsize=1)
def gallery_figure() -> dict:
    """Every engine activation and its derivative over z in [-4, 4] (the same for everyone)."""
    z = np.linspace(-4.0, 4.0, 321)
    curves = {}
    for name, act in ACTIVATIONS.items():
        a = act(z)
        curves[name] = (a, act.deriv(z, a))
    return activation_gallery_figure(z, curves)
