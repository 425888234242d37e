"""Finite-difference check of backpropagation's gradient."""

from dataclasses import dataclass

import numpy as np

from engine.losses import Loss, get_loss
from engine.network import Network


@dataclass
class GradientCheck:
    """Analytic and numeric gradients (flat, aligned with ``Network.params``) and their gap."""

    analytic: np.ndarray
    numeric: np.ndarray

    @property
    def max_abs_error(self) -> float:
        return float(np.max(np.abs(self.analytic - self.numeric)))

    @property
    def max_rel_error(self) -> float:
        """max |a - n| / max(|a| + |n|, 1e-8): about 1e-7 or less when backprop is right."""
        scale = np.maximum(np.abs(self.analytic) + np.abs(self.numeric), 1e-8)
        return float(np.max(np.abs(self.analytic - self.numeric) / scale))

    def passed(self, rtol: float = 1e-5, atol: float = 1e-7) -> bool:
        """Every component within atol + rtol * |numeric| (np.allclose's test). The absolute
        term covers gradients so small (a saturated tanh) that differences are all noise."""
        return bool(np.allclose(self.analytic, self.numeric, rtol=rtol, atol=atol))


def gradient_check(
    network: Network, X, Y, loss: str | Loss, l1: float = 0.0, l2: float = 0.0, eps: float = 1e-6
) -> GradientCheck:
    """Compare backprop's gradient of (loss + penalty) with central differences
    (f(p + eps) - f(p - eps)) / (2 eps), one parameter at a time. The network is unchanged."""
    loss = get_loss(loss) if isinstance(loss, str) else loss
    _, analytic = network.loss_and_gradient(X, Y, loss, l1, l2)

    def objective() -> float:
        return network.loss(X, Y, loss) + network.regularization_penalty(l1, l2)

    p = network.params
    numeric = np.empty_like(p)
    for i in range(p.size):
        saved = p[i]
        p[i] = saved + eps
        plus = objective()
        p[i] = saved - eps
        minus = objective()
        p[i] = saved
        numeric[i] = (plus - minus) / (2 * eps)
    return GradientCheck(analytic, numeric)
