"""Weight initializers behind string keys.

Each has the same shape: ``init(fan_in, fan_out, rng) -> (W (fan_in, fan_out), b (fan_out,))``.
All randomness comes from the ``np.random.Generator`` passed in, so a seed fixes the network.
"""

from collections.abc import Callable

import numpy as np

Initializer = Callable[[int, int, np.random.Generator], tuple[np.ndarray, np.ndarray]]


def uniform(fan_in: int, fan_out: int, rng: np.random.Generator):
    """TensorFlow Playground's: weights U(-0.5, 0.5), biases 0.1."""
    return rng.uniform(-0.5, 0.5, size=(fan_in, fan_out)), np.full(fan_out, 0.1)


def xavier(fan_in: int, fan_out: int, rng: np.random.Generator):
    """Glorot uniform: U(-l, l) with l = sqrt(6 / (fan_in + fan_out)); biases 0."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out)), np.zeros(fan_out)


def he(fan_in: int, fan_out: int, rng: np.random.Generator):
    """He normal: N(0, 2 / fan_in), made for relu layers; biases 0."""
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out)), np.zeros(fan_out)


def zeros(fan_in: int, fan_out: int, rng: np.random.Generator):
    """All zeros: every neuron of a layer computes the same thing and gets the same gradient,
    so they stay identical forever. Here to show why symmetry must be broken."""
    return np.zeros((fan_in, fan_out)), np.zeros(fan_out)


INITIALIZERS: dict[str, Initializer] = {"uniform": uniform, "xavier": xavier, "he": he, "zeros": zeros}
