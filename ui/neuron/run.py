"""The neuron page's computations. Pure: no Streamlit.

The page has one piece of run state, the perceptron's run on the chosen data (built when
the data or its seed change, kept for the session), and the epoch it is shown after.
The stack of layers is computed afresh from the configuration whenever it is drawn."""

from dataclasses import dataclass

import numpy as np

from engine.datasets import DOMAIN, Dataset
from engine.neuron import collapse_linear, layer_stack, plane_grid
from engine.perceptron import PERCEPTRON_DATA, PerceptronRun, train_perceptron
from ui.neuron.config import LAST_EPOCH, SCHEMA, STACK_WIDTH

GRID = 61  # points per side of the pictures over the plane
N_POINTS = 100  # points of the perceptron's data


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


def build_perceptron(config: dict) -> PerceptronLesson:
    """The data set of ``config`` and the rule's history on it (lr = 1, from w = 0, b = 0)."""
    seed = int(config["data_seed"])
    points = PERCEPTRON_DATA[config["data"]](N_POINTS, seed=seed)
    return PerceptronLesson(config["data"], seed, points, train_perceptron(points.X, points.y))


def agree_epoch(old: dict, new: dict, lesson: PerceptronLesson) -> dict:
    """``new`` with its epoch agreeing with the run: new data (or a new seed) is shown after
    its last epoch, and the last epoch is stored as the field's default, "the last one",
    so the link leaves it out and it stays the last when the data change."""
    config = dict(new)
    if SCHEMA.reset_needed(old, new) or config["epoch"] >= lesson.history.epochs_run:
        config["epoch"] = LAST_EPOCH
    return config


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
