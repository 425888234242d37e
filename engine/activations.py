"""Activation functions: each a value and its derivative behind a string key.

Every activation has the same shape: ``fn(z) -> a`` and ``deriv(z, a) -> f'(z)``, both
elementwise over arrays of any shape (the backward pass passes the forward's ``a`` so
that tanh and sigmoid reuse it). ``softmax`` is the one non-elementwise activation: it is
only offered for the output layer (``OUTPUT_ACTIVATIONS``) and overrides ``backward``.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.registry import lookup

LEAKY_SLOPE = 0.01  # leaky_relu's slope for z < 0
ELU_ALPHA = 1.0
_GELU_C = np.sqrt(2.0 / np.pi)


@dataclass(frozen=True)
class Activation:
    """A named elementwise function and its derivative.

    ``value_range`` is ``(low, high)`` of the values it can take (``None`` where unbounded);
    the trainer uses a bounded range to encode the two classes of a binary problem.
    """

    name: str
    fn: Callable[[np.ndarray], np.ndarray]
    deriv: Callable[[np.ndarray, np.ndarray], np.ndarray]
    value_range: tuple[float | None, float | None] = (None, None)

    def __call__(self, z: np.ndarray) -> np.ndarray:
        return self.fn(z)

    def backward(self, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
        """dL/dz from dL/da, all shaped (n_samples, n_units)."""
        return grad_a * self.deriv(z, a)

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


def _sigmoid(z):
    # The tanh form never overflows, unlike 1 / (1 + exp(-z)) for very negative z.
    return 0.5 * np.tanh(0.5 * z) + 0.5


def _softplus(z):
    return np.logaddexp(0.0, z)


def _gelu(z):
    # GELU in its tanh approximation (Hendrycks & Gimpel): NumPy has no erf.
    return 0.5 * z * (1.0 + np.tanh(_GELU_C * (z + 0.044715 * z**3)))


def _gelu_deriv(z, a):
    inner = _GELU_C * (z + 0.044715 * z**3)
    t = np.tanh(inner)
    return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * _GELU_C * (1.0 + 3 * 0.044715 * z * z)


def _swish_deriv(z, a):
    s = _sigmoid(z)
    return s + a * (1.0 - s)


def _step(z):
    """The perceptron's threshold: 1 where z > 0, else 0."""
    return (z > 0).astype(z.dtype)


def _step_deriv(z, a):
    """Zero everywhere (undefined at 0): no gradient flows through a step, so backprop cannot
    train the layers below one. That is why the perceptron has its own learning rule."""
    return np.zeros_like(z)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("linear", lambda z: z, lambda z, a: np.ones_like(z)),
        Activation("sigmoid", _sigmoid, lambda z, a: a * (1.0 - a), (0.0, 1.0)),
        Activation("tanh", np.tanh, lambda z, a: 1.0 - a * a, (-1.0, 1.0)),
        Activation("relu", lambda z: np.maximum(z, 0.0), lambda z, a: (z > 0).astype(z.dtype), (0.0, None)),
        Activation(
            "leaky_relu",
            lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
            lambda z, a: np.where(z > 0, 1.0, LEAKY_SLOPE),
        ),
        Activation(
            "elu",
            lambda z: np.where(z > 0, z, ELU_ALPHA * np.expm1(np.minimum(z, 0.0))),
            lambda z, a: np.where(z > 0, 1.0, a + ELU_ALPHA),
            (-ELU_ALPHA, None),
        ),
        Activation("softplus", _softplus, lambda z, a: _sigmoid(z), (0.0, None)),
        Activation("swish", lambda z: z * _sigmoid(z), _swish_deriv),
        Activation("gelu", _gelu, _gelu_deriv),
        Activation("sine", np.sin, lambda z, a: np.cos(z), (-1.0, 1.0)),
        Activation("gaussian", lambda z: np.exp(-z * z), lambda z, a: -2.0 * z * a, (0.0, 1.0)),
        Activation("step", _step, _step_deriv, (0.0, 1.0)),
    )
}


class _Softmax(Activation):
    """softmax over the units of a layer: a_k = exp(z_k) / sum_j exp(z_j). Output layer only."""

    def backward(self, z, a, grad_a):
        # Jacobian-vector product: dL/dz_k = a_k (g_k - sum_j g_j a_j).
        return a * (grad_a - np.sum(grad_a * a, axis=1, keepdims=True))


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of z (n_samples, k), shifted by the row max so exp never overflows."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _no_elementwise_derivative(z, a):
    raise TypeError("softmax has no elementwise derivative; use Activation.backward")


SOFTMAX = _Softmax("softmax", softmax, _no_elementwise_derivative, (0.0, 1.0))

# The output layer may use any hidden activation, and softmax.
OUTPUT_ACTIVATIONS: dict[str, Activation] = {**ACTIVATIONS, "softmax": SOFTMAX}


def get_activation(name: str, *, output: bool = False) -> Activation:
    """The activation behind ``name``; ``output=True`` also allows ``softmax``."""
    return lookup(OUTPUT_ACTIVATIONS if output else ACTIVATIONS, name, "activation")
