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

    ``fn(z, out=None)`` returns f(z), written into ``out`` when given (the network keeps
    preallocated buffers); ``deriv(z, a)`` returns f'(z), given also ``a = f(z)``.
    ``value_range`` is ``(low, high)`` of the values it can take (``None`` where unbounded);
    the trainer uses a bounded range to encode the two classes of a binary problem.
    """

    name: str
    fn: Callable[..., np.ndarray]
    deriv: Callable[[np.ndarray, np.ndarray], np.ndarray]
    value_range: tuple[float | None, float | None] = (None, None)

    def __call__(self, z: np.ndarray) -> np.ndarray:
        return self.fn(z)

    def backward(self, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
        """dL/dz from dL/da; all three arrays have the same shape."""
        d = self.deriv(z, a)  # always a fresh array, so it can take the product in place
        d *= grad_a
        return d

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


def _into(result: np.ndarray, out: np.ndarray | None) -> np.ndarray:
    """Return ``result``, copied into ``out`` when a buffer is given."""
    if out is None:
        return result
    out[...] = result
    return out


def _linear(z, out=None):
    return _into(z.copy() if out is None else z, out)


def _sigmoid(z, out=None):
    # The tanh form never overflows, unlike 1 / (1 + exp(-z)) for very negative z.
    r = np.multiply(z, 0.5, out=out)
    np.tanh(r, out=r)
    r *= 0.5
    r += 0.5
    return r


def _tanh(z, out=None):
    return np.tanh(z, out=out)


def _tanh_deriv(z, a):
    d = a * a
    return np.subtract(1.0, d, out=d)  # 1 - a^2 with one temporary


def _sigmoid_deriv(z, a):
    d = 1.0 - a
    d *= a
    return d


def _relu(z, out=None):
    return np.maximum(z, 0.0, out=out)


def _leaky_relu(z, out=None):
    return _into(np.where(z > 0, z, LEAKY_SLOPE * z), out)


def _elu(z, out=None):
    return _into(np.where(z > 0, z, ELU_ALPHA * np.expm1(np.minimum(z, 0.0))), out)


def _softplus(z, out=None):
    return np.logaddexp(0.0, z, out=out)


def _swish(z, out=None):
    return _into(z * _sigmoid(z), out)


def _gelu(z, out=None):
    # GELU in its tanh approximation (Hendrycks & Gimpel): NumPy has no erf.
    return _into(0.5 * z * (1.0 + np.tanh(_GELU_C * (z + 0.044715 * z**3))), out)


def _gelu_deriv(z, a):
    t = np.tanh(_GELU_C * (z + 0.044715 * z**3))
    return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * _GELU_C * (1.0 + 3 * 0.044715 * z * z)


def _swish_deriv(z, a):
    s = _sigmoid(z)
    return s + a * (1.0 - s)


def _sine(z, out=None):
    return np.sin(z, out=out)


def _gaussian(z, out=None):
    return _into(np.exp(-z * z), out)


def _step(z, out=None):
    """The perceptron's threshold: 1 where z > 0, else 0."""
    return _into((z > 0).astype(z.dtype), out)


def _step_deriv(z, a):
    """Zero everywhere (undefined at 0): no gradient flows through a step, so backprop cannot
    train the layers below one. That is why the perceptron has its own learning rule."""
    return np.zeros_like(z)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("linear", _linear, lambda z, a: np.ones_like(z)),
        Activation("sigmoid", _sigmoid, _sigmoid_deriv, (0.0, 1.0)),
        Activation("tanh", _tanh, _tanh_deriv, (-1.0, 1.0)),
        Activation("relu", _relu, lambda z, a: (z > 0).astype(z.dtype), (0.0, None)),
        Activation("leaky_relu", _leaky_relu, lambda z, a: np.where(z > 0, 1.0, LEAKY_SLOPE)),
        Activation("elu", _elu, lambda z, a: np.where(z > 0, 1.0, a + ELU_ALPHA), (-ELU_ALPHA, None)),
        Activation("softplus", _softplus, lambda z, a: _sigmoid(z), (0.0, None)),
        Activation("swish", _swish, _swish_deriv),
        Activation("gelu", _gelu, _gelu_deriv),
        Activation("sine", _sine, lambda z, a: np.cos(z), (-1.0, 1.0)),
        Activation("gaussian", _gaussian, lambda z, a: -2.0 * z * a, (0.0, 1.0)),
        Activation("step", _step, _step_deriv, (0.0, 1.0)),
    )
}


class _Softmax(Activation):
    """softmax over the units of a layer: a_k = exp(z_k) / sum_j exp(z_j). Output layer only."""

    def backward(self, z, a, grad_a):
        # Jacobian-vector product: dL/dz_k = a_k (g_k - sum_j g_j a_j), over the last axis
        # (the units), so that stacked batches (n_samples, networks, k) work the same.
        return a * (grad_a - np.sum(grad_a * a, axis=-1, keepdims=True))


def softmax(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Row-wise softmax of z (n_samples, k) (or (..., k): over the last axis, the units),
    shifted by the row max so exp never overflows."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return _into(e / e.sum(axis=-1, keepdims=True), out)


def _no_elementwise_derivative(z, a):
    raise TypeError("softmax has no elementwise derivative; use Activation.backward")


SOFTMAX = _Softmax("softmax", softmax, _no_elementwise_derivative, (0.0, 1.0))

# The output layer may use any hidden activation, and softmax.
OUTPUT_ACTIVATIONS: dict[str, Activation] = {**ACTIVATIONS, "softmax": SOFTMAX}


def get_activation(name: str, *, output: bool = False) -> Activation:
    """The activation behind ``name``; ``output=True`` also allows ``softmax``."""
    return lookup(OUTPUT_ACTIVATIONS if output else ACTIVATIONS, name, "activation")
