"""Optimizers behind string keys, with the textbook update rules.

Each updates a flat parameter vector in place from a flat gradient vector of the same
shape: ``step(params, grads, learning_rate)``. The learning rate is an argument of every
step, so it can change between steps without touching the optimizer's state (velocities,
moment estimates), and so can the settings held as attributes (``momentum``, ``beta1``...).
"""

from abc import ABC, abstractmethod

import numpy as np

from engine.registry import lookup


class Optimizer(ABC):
    """Base class: state arrays are created on the first step, at the size of ``params``."""

    name = "optimizer"
    settings: tuple[str, ...] = ()

    def __init__(self, **settings):
        unknown = set(settings) - set(self.settings)
        if unknown:
            raise ValueError(
                f"unknown setting(s) {sorted(unknown)} for optimizer {self.name!r}; valid: {list(self.settings)}"
            )
        for key, value in settings.items():
            setattr(self, key, value)
        self.reset()

    def reset(self) -> None:
        """Forget all state (as after a Reset of the network)."""
        self.t = 0  # steps taken

    def get_state(self) -> dict:
        """A copy of the state, for restoring after a diverged epoch."""
        return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in vars(self).items()}

    def set_state(self, state: dict) -> None:
        for k, v in state.items():
            setattr(self, k, v.copy() if isinstance(v, np.ndarray) else v)

    @abstractmethod
    def step(self, params: np.ndarray, grads: np.ndarray, learning_rate: float) -> None:
        """Update ``params`` (flat) in place from ``grads`` (same shape)."""

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={getattr(self, k)!r}" for k in self.settings)
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """p <- p - lr * g"""

    name = "sgd"

    def step(self, params, grads, learning_rate):
        self.t += 1
        params -= learning_rate * grads


class Momentum(Optimizer):
    """Heavy ball: v <- momentum * v + g;  p <- p - lr * v.
    Nesterov: the same v, then p <- p - lr * (g + momentum * v) (the look-ahead gradient
    step in the form PyTorch uses). v starts at 0."""

    name = "momentum"
    settings = ("momentum", "nesterov")
    momentum = 0.9
    nesterov = False

    def reset(self):
        super().reset()
        self.velocity = None

    def step(self, params, grads, learning_rate):
        self.t += 1
        if self.velocity is None:
            self.velocity = np.zeros_like(params)
        v = self.velocity
        v *= self.momentum
        v += grads
        if self.nesterov:
            params -= learning_rate * (grads + self.momentum * v)
        else:
            params -= learning_rate * v


class RMSProp(Optimizer):
    """s <- rho * s + (1 - rho) * g^2;  p <- p - lr * g / (sqrt(s) + eps). s starts at 0."""

    name = "rmsprop"
    settings = ("rho", "eps")
    rho = 0.9
    eps = 1e-8

    def reset(self):
        super().reset()
        self.square_avg = None

    def step(self, params, grads, learning_rate):
        self.t += 1
        if self.square_avg is None:
            self.square_avg = np.zeros_like(params)
        s = self.square_avg
        s *= self.rho
        s += (1.0 - self.rho) * grads * grads
        params -= learning_rate * grads / (np.sqrt(s) + self.eps)


class Adam(Optimizer):
    """m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;  with t the step count,
    m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t);  p <- p - lr * m_hat / (sqrt(v_hat) + eps)."""

    name = "adam"
    settings = ("beta1", "beta2", "eps")
    beta1 = 0.9
    beta2 = 0.999
    eps = 1e-8

    def reset(self):
        super().reset()
        self.m = None
        self.v = None

    def step(self, params, grads, learning_rate):
        self.t += 1
        if self.m is None:
            self.m = np.zeros_like(params)
            self.v = np.zeros_like(params)
        self.m *= self.beta1
        self.m += (1.0 - self.beta1) * grads
        self.v *= self.beta2
        self.v += (1.0 - self.beta2) * grads * grads
        m_hat = self.m / (1.0 - self.beta1**self.t)
        v_hat = self.v / (1.0 - self.beta2**self.t)
        params -= learning_rate * m_hat / (np.sqrt(v_hat) + self.eps)


OPTIMIZERS: dict[str, type[Optimizer]] = {cls.name: cls for cls in (SGD, Momentum, RMSProp, Adam)}


def make_optimizer(name: str, **settings) -> Optimizer:
    """A fresh optimizer; ``settings`` are its attributes (e.g. ``momentum=0.5``)."""
    return lookup(OPTIMIZERS, name, "optimizer")(**settings)
