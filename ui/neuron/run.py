"""The neuron page's computations. Pure: no Streamlit.

The page has one piece of run state, the perceptron's run on the chosen data (built when
the data or its seed change, kept for the session), and the epoch or the step it is shown
after.
The stack of layers, and the two losses of one point, are computed afresh from the
configuration whenever they are drawn."""

from dataclasses import dataclass

import numpy as np

from engine.activations import ACTIVATIONS
from engine.datasets import DOMAIN, Dataset
from engine.losses import LOSSES
from engine.neuron import collapse_linear, layer_stack, neuron_at, plane_grid
from engine.perceptron import PERCEPTRON_DATA, PerceptronRun, PerceptronStep, perceptron_step, train_perceptron
from ui.neuron.config import LAST_EPOCH, N_POINTS, SCHEMA, STACK_WIDTH

GRID = 61  # points per side of the pictures over the plane


@dataclass(frozen=True, slots=True)
class NeuronPoint:
    """The one neuron at the configuration's input point: ``x`` (2,), the weights ``w``
    (2,) and bias ``b``, the terms wᵢ·xᵢ ``terms`` (2,), the sum ``z`` and the output ``a``."""

    x: np.ndarray
    w: np.ndarray
    b: float
    terms: np.ndarray
    z: float
    a: float


def neuron_point(config: dict) -> NeuronPoint:
    """The neuron of ``config`` at its point (x₁, x₂), computed by the engine."""
    x, w, b = np.array([config["x1"], config["x2"]], dtype=float), np.array([config["w1"], config["w2"]]), config["b"]
    terms, z, a = neuron_at(x, w, b, config["activation"])
    return NeuronPoint(x, w, float(b), terms, z, a)


@dataclass(slots=True)
class PerceptronLesson:
    """The perceptron rule run on one data set: which (``data``, ``seed``), its ``points``
    and the rule's whole ``history``, epoch by epoch."""

    data: str
    seed: int
    points: Dataset
    history: PerceptronRun

    def matches(self, config: dict) -> bool:
        """Whether this is the run of ``config``'s data and seed."""
        return (self.data, self.seed) == (config["data"], int(config["data_seed"]))

    def shown_epoch(self, config: dict) -> int:
        """The epoch whose line is shown: ``config``'s, or the last one this run has."""
        return min(int(config["epoch"]), self.history.epochs_run)

    def shown_step(self, config: dict) -> int:
        """The step whose line is shown (0: the start, before any): ``config``'s, or the
        last one this run has."""
        return min(int(config["step"]), self.history.n_steps)

    def step(self, number: int) -> PerceptronStep:
        """Step ``number`` (1 to S) as recorded: the point looked at, the weights before and after."""
        return perceptron_step(self.history, self.points.X, self.points.y, number)

    def next_update(self, number: int) -> int | None:
        """The first step after step ``number`` that updated w and b (None if none)."""
        later = np.flatnonzero(self.history.step_wrong[number:])
        return number + 1 + int(later[0]) if len(later) else None

    def previous_update(self, number: int) -> int | None:
        """The last step before step ``number`` that updated w and b (None if none)."""
        earlier = np.flatnonzero(self.history.step_wrong[: max(number - 1, 0)])
        return int(earlier[-1]) + 1 if len(earlier) else None


def build_perceptron(config: dict) -> PerceptronLesson:
    """The data set of ``config`` and the rule's history on it (lr = 1, from w = 0, b = 0)."""
    seed = int(config["data_seed"])
    points = PERCEPTRON_DATA[config["data"]](N_POINTS, seed=seed)
    return PerceptronLesson(config["data"], seed, points, train_perceptron(points.X, points.y))


def agree_epoch(old: dict, new: dict, lesson: PerceptronLesson) -> dict:
    """``new`` with its epoch and step agreeing with the run: new data (or a new seed) is
    shown after its last epoch, or from its start step by step; the last epoch is stored as
    the field's default, "the last one", so the link leaves it out and it stays the last
    when the data change; a step past the run's end is its last step."""
    config = dict(new)
    if SCHEMA.reset_needed(old, new) or config["epoch"] >= lesson.history.epochs_run:
        config["epoch"] = LAST_EPOCH
    if SCHEMA.reset_needed(old, new):
        config["step"] = 0
    config["step"] = min(int(config["step"]), lesson.history.n_steps)
    return config


def view_switched(config: dict, view: str, lesson: PerceptronLesson) -> dict:
    """The epoch and step fields on switching to ``view``, so that the line stays the one
    shown: epoch k is step k·n; a step within an epoch shows, epoch by epoch, the last
    epoch it completed."""
    n = lesson.history.n_samples
    if view == "point":
        return {"step": lesson.shown_epoch(config) * n}
    epoch = lesson.shown_step(config) // n
    return {"epoch": LAST_EPOCH if epoch >= lesson.history.epochs_run else epoch}


@dataclass(frozen=True, slots=True)
class Stack:
    """A stack of layers over the plane: the grid ``xs``, its output ``values`` (n, n), its
    weight matrices ``W``, the one layer (``total_W``, ``total_b``) their product gives,
    and ``gap``, the largest difference between the stack's output and that one layer's."""

    xs: np.ndarray
    values: np.ndarray
    W: list[np.ndarray]
    total_W: np.ndarray
    total_b: np.ndarray
    gap: float


def build_stack(config: dict) -> Stack:
    """The stack of ``config``: 2 → 3 (× layers) → 1, the same weights for either activation."""
    net = layer_stack(config["stack_layers"], STACK_WIDTH, config["stack_activation"], config["stack_seed"])
    xs, X = plane_grid(GRID, DOMAIN)
    out = net.forward(X)[:, 0]
    W, b = net.get_weights()
    total_W, total_b = collapse_linear(W, b)
    gap = float(np.max(np.abs(out - (X @ total_W + total_b)[:, 0])))
    return Stack(xs, out.reshape(GRID, GRID), W, total_W, total_b, gap)


# ---- what each loss punishes -------------------------------------------------------------

LOSS_KEYS = ("quadratic", "binary_cross_entropy")  # the two losses compared, engine keys
LOSS_GRID = np.linspace(0.005, 0.995, 199)  # the predictions ŷ the curves are drawn over


@dataclass(frozen=True, slots=True)
class LossAt:
    """One loss for one point of label y: its ``values`` over ``LOSS_GRID``, and at the
    chosen prediction ŷ its ``value``, its ``slope`` dL/dŷ (the gradient it gives ŷ) and
    ``through_sigmoid``, dL/dz when ŷ = σ(z) (the slope times σ′(z))."""

    key: str
    values: np.ndarray
    value: float
    slope: float
    through_sigmoid: float


@dataclass(frozen=True, slots=True)
class LossShapes:
    """The quadratic loss and the binary cross-entropy for one point of ``label`` y (0 or
    1) against the prediction ŷ over ``grid``, each marked at ``prediction``; ``sigmoid_slope``
    is σ′(z) at ŷ = σ(z)."""

    label: int
    prediction: float
    grid: np.ndarray
    losses: tuple[LossAt, ...]
    sigmoid_slope: float


def one_point_loss(key: str, prediction: float, label: int) -> tuple[float, float]:
    """(value, dL/dŷ) of engine loss ``key`` for one point: the engine's own value and
    gradient (a batch of one, so its mean is the point's loss)."""
    a, y = np.array([[float(prediction)]]), np.array([[float(label)]])
    loss = LOSSES[key]
    return float(loss.value(a, y)), float(loss.grad(a, y)[0, 0])


def loss_shapes(config: dict) -> LossShapes:
    """Both losses of ``config``'s label over the predictions, and at its prediction."""
    label, prediction = int(config["loss_label"]), float(config["loss_prediction"])
    sigmoid = ACTIVATIONS["sigmoid"]
    z = np.array([np.log(prediction / (1.0 - prediction))])  # the z whose σ(z) is ŷ
    sigmoid_slope = float(sigmoid.deriv(z, sigmoid(z))[0])
    losses = []
    for key in LOSS_KEYS:
        values = np.array([one_point_loss(key, p, label)[0] for p in LOSS_GRID])
        value, slope = one_point_loss(key, prediction, label)
        losses.append(LossAt(key, values, value, slope, slope * sigmoid_slope))
    return LossShapes(label, prediction, LOSS_GRID, tuple(losses), sigmoid_slope)
