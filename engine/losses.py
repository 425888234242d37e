"""Loss functions behind string keys.

Every loss has the same shape: ``value(a, y) -> float`` and ``grad(a, y) -> dL/da``, where
``a`` is the network output and ``y`` the targets, both (n_samples, n_outputs). A loss is
summed over the outputs and averaged over the batch, so ``grad`` already carries the 1/n.

Where the output activation and the loss have a stable closed form together (sigmoid with
binary cross-entropy, softmax with softmax cross-entropy), ``FUSED`` holds it: the value
from the pre-activation z (log-sum-exp, never log(0)) and dL/dz = (a - y) / n directly.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.activations import Activation
from engine.registry import lookup

HUBER_DELTA = 1.0
CLIP = 1e-12  # keeps log() finite when a generic cross-entropy meets an output of 0 or 1


@dataclass(frozen=True)
class Loss:
    """A named loss: ``value(a, y)`` (mean over the batch) and its gradient ``grad(a, y)``."""

    name: str
    value: Callable[[np.ndarray, np.ndarray], float]
    grad: Callable[[np.ndarray, np.ndarray], np.ndarray]

    def __repr__(self) -> str:
        return f"Loss({self.name!r})"


def _mean_sum(x: np.ndarray) -> float:
    return float(np.sum(x) / x.shape[0])


def _one_hot_if_labels(y: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Integer class labels (n_samples,) -> one-hot (n_samples, k); 2-D targets pass through."""
    if y.ndim == 1:
        return np.eye(a.shape[1])[y.astype(int)]
    return y


def _bce_value(a, y):
    a = np.clip(a, CLIP, 1.0 - CLIP)
    return -_mean_sum(y * np.log(a) + (1.0 - y) * np.log(1.0 - a))


def _bce_grad(a, y):
    a = np.clip(a, CLIP, 1.0 - CLIP)
    return (a - y) / (a * (1.0 - a)) / a.shape[0]


def _softmax_ce_value(a, y):
    y = _one_hot_if_labels(y, a)
    return -_mean_sum(y * np.log(np.clip(a, CLIP, None)))


def _softmax_ce_grad(a, y):
    y = _one_hot_if_labels(y, a)
    return -y / np.clip(a, CLIP, None) / a.shape[0]


def _huber_value(a, y):
    r = np.abs(a - y)
    return _mean_sum(np.where(r <= HUBER_DELTA, 0.5 * r * r, HUBER_DELTA * (r - 0.5 * HUBER_DELTA)))


def _hinge_value(a, y):
    return _mean_sum(np.maximum(0.0, 1.0 - y * a))


def _hinge_grad(a, y):
    return -y * (y * a < 1.0) / a.shape[0]


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("quadratic", lambda a, y: 0.5 * _mean_sum((a - y) ** 2), lambda a, y: (a - y) / a.shape[0]),
        Loss("binary_cross_entropy", _bce_value, _bce_grad),
        Loss("softmax_cross_entropy", _softmax_ce_value, _softmax_ce_grad),
        Loss("mae", lambda a, y: _mean_sum(np.abs(a - y)), lambda a, y: np.sign(a - y) / a.shape[0]),
        Loss("huber", _huber_value, lambda a, y: np.clip(a - y, -HUBER_DELTA, HUBER_DELTA) / a.shape[0]),
        Loss("hinge", _hinge_value, _hinge_grad),
    )
}


# ---- stable fused forms: value from the pre-activation z, and dL/dz ----------------------


def _sigmoid_bce_value(z, y):
    # -[y log s(z) + (1-y) log(1-s(z))] = log(1 + e^z) - y z
    return _mean_sum(np.logaddexp(0.0, z) - y * z)


def _softmax_ce_value_from_z(z, y):
    y = _one_hot_if_labels(y, z)
    m = z.max(axis=-1, keepdims=True)
    log_sum_exp = m + np.log(np.exp(z - m).sum(axis=-1, keepdims=True))
    return _mean_sum(y * (log_sum_exp - z))


def _delta_a_minus_y(z, a, y):
    return (a - _one_hot_if_labels(y, a)) / a.shape[0]


@dataclass(frozen=True)
class FusedLoss:
    """value(z, y) from the output pre-activation, and delta(z, a, y) = dL/dz."""

    value: Callable[[np.ndarray, np.ndarray], float]
    delta: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


FUSED: dict[tuple[str, str], FusedLoss] = {
    ("sigmoid", "binary_cross_entropy"): FusedLoss(_sigmoid_bce_value, _delta_a_minus_y),
    ("softmax", "softmax_cross_entropy"): FusedLoss(_softmax_ce_value_from_z, _delta_a_minus_y),
}

# The output activation each loss is usually paired with (the UI's "matched pair" default).
MATCHED_OUTPUT = {
    "quadratic": "tanh",
    "binary_cross_entropy": "sigmoid",
    "softmax_cross_entropy": "softmax",
    "mae": "linear",
    "huber": "linear",
    "hinge": "tanh",
}


def get_loss(name: str) -> Loss:
    """The loss behind ``name``; an unknown key raises ValueError listing the valid keys."""
    return lookup(LOSSES, name, "loss")


def class_target_values(activation: Activation, loss: Loss) -> tuple[float, float]:
    """The (negative, positive) target values that encode two classes for this output.

    Cross-entropies want probabilities (0, 1); hinge wants margins (-1, +1); otherwise the
    output's own range where bounded, else -1 below and +1 above (as TensorFlow Playground
    trains tanh and linear outputs on -1 and +1). The decision threshold is their midpoint.
    """
    if loss.name in ("binary_cross_entropy", "softmax_cross_entropy"):
        return 0.0, 1.0
    if loss.name == "hinge":
        return -1.0, 1.0
    low, high = activation.value_range
    return (-1.0 if low is None else low), (1.0 if high is None else high)
