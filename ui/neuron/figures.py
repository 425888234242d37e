"""The neuron page's pictures as figure dicts and the charts of its panels. Pure: no
Streamlit (the shared chart builders are in ``ui.charts.neuron``)."""

from functools import lru_cache

import numpy as np

from engine.activations import ACTIVATIONS
from engine.datasets import DOMAIN
from engine.neuron import neuron_grid, plane_grid
from engine.perceptron import predict
from ui.charts.loss_shapes import LossCurve, loss_shapes_figure
from ui.charts.neuron import (
    LEGEND_ROW,
    PICTURE_HEIGHT,
    activation_gallery_figure,
    clip_line,
    neuron_plane_figure,
    neuron_surface_figure,
    perceptron_errors_figure,
    perceptron_figure,
    stack_figure,
)
from ui.charts.neuron_diagram import DIAGRAM_HEIGHT, neuron_diagram_figure
from ui.live.panel import chart
from ui.neuron import text
from ui.neuron.run import GRID, LossShapes, PerceptronLesson, Stack, neuron_point

NEURON_GRID = {"columns": "1fr 1fr", "areas": "'plane surface' 'diagram diagram'"}
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
    """The one neuron's output seen from above (with its line, w and the input point) and
    as a surface, and the neuron drawn for that point; ``tall`` for a projector
    (presentation mode), where the page's first screen has room. A click on the picture
    from above moves the point."""
    height = TALL_HEIGHT if tall else PICTURE_HEIGHT
    w, b, activation = np.array([config["w1"], config["w2"]]), config["b"], config["activation"]
    xs, values = neuron_grid(w, b, activation, GRID, DOMAIN)
    bounds = value_range(activation, values)
    level = float(ACTIVATIONS[activation](np.zeros(1))[0])  # f(0): the height of the line
    at = neuron_point(config)
    point = (float(at.x[0]), float(at.x[1]), at.a)
    return [
        chart(
            "plane",
            neuron_plane_figure(xs, values, w, b, bounds, point=point, height=height),
            title=text.PLANE_TITLE,
            clickable=True,
        ),
        chart(
            "surface",
            neuron_surface_figure(
                xs,
                values,
                bounds,
                clip_line(w, b, DOMAIN),
                level,
                heights=height_range(activation, values),
                point=point,
                height=height,
            ),
            title=text.SURFACE_TITLE,
        ),
        chart("diagram", diagram_figure(config, bounds), title=text.DIAGRAM_TITLE),
    ]


def diagram_figure(config: dict, bounds: tuple[float, float]) -> dict:
    """The neuron of ``config`` drawn for its input point, its output coloured over
    ``bounds`` as the pictures colour it."""
    at, activation = neuron_point(config), config["activation"]
    symbol, output = text.DIAGRAM_SYMBOL[activation]
    return neuron_diagram_figure(
        at.x,
        at.w,
        at.b,
        at.terms,
        at.z,
        at.a,
        symbol=symbol,
        name=activation,
        output=output,
        value_range=bounds,
        height=DIAGRAM_HEIGHT,
    )


def perceptron_charts(lesson: PerceptronLesson, epoch: int, step: int | None = None) -> list[dict]:
    """The line after ``epoch`` with the classes it gives and the points it gets wrong, and
    the updates and mistakes of every epoch. Given a ``step`` (0 to S), the line after that
    step instead: the point it looked at ringed, the line before it dashed when it moved,
    and the step's place marked between the epochs."""
    history, points = lesson.history, lesson.points
    looked_at = before = None
    if step is None:
        w, b = history.weights[epoch], float(history.biases[epoch])
        title, marker, shown_at, height = text.line_title(epoch), "epoch shown", epoch, PICTURE_HEIGHT
    else:
        w, b = history.step_weights[step], float(history.step_biases[step])
        title, marker, height = text.step_title(lesson, step), "step shown", PICTURE_HEIGHT + LEGEND_ROW
        shown_at = step / history.n_samples  # in epochs: step k·n is epoch k
        if step:
            this = lesson.step(step)
            looked_at = this.x
            if this.wrong:
                before = clip_line(this.w_before, this.b_before, DOMAIN)
    xs, X = plane_grid(GRID, DOMAIN)
    predicted = predict(X, w, b).reshape(GRID, GRID)
    wrong = points.X[predict(points.X, w, b) != points.y]
    line = perceptron_figure(
        xs, predicted, points.X, points.y, w, b, wrong, looked_at=looked_at, before=before, height=height
    )
    errors = perceptron_errors_figure(history.updates, history.errors, shown_at, marker_name=marker, height=height)
    return [chart("line", line, title=title), chart("errors", errors, title=text.ERRORS_TITLE)]


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


def loss_figure(shapes: LossShapes) -> dict:
    """The quadratic loss and the cross-entropy of one point against ŷ, both marked at the
    chosen ŷ with their value and slope (the numbers the text quotes)."""
    curves = [
        LossCurve(
            text.loss_formula(loss.key, shapes.label),
            text.slope_name(loss),
            loss.values,
            loss.value,
            loss.slope,
            text.mark_label(loss),
        )
        for loss in shapes.losses
    ]
    return loss_shapes_figure(shapes.grid, curves, shapes.prediction, at_label=text.prediction_label(shapes))
