"""Seeded data generators. Every generator has one signature:

    generator(n_samples, noise, seed) -> Dataset

``noise`` is a fraction in [0, 0.5] (TensorFlow Playground's 0-50 %). 2-D inputs lie in
[-6, 6]^2. Class labels are integers 0..k-1 (TensorFlow Playground's -1 is our 0).
"""

from dataclasses import dataclass

import numpy as np

DOMAIN = 6.0  # inputs lie in [-DOMAIN, DOMAIN]^2
MAX_NOISE = 0.5


@dataclass(frozen=True)
class Dataset:
    """X (n_samples, n_features), y (n_samples,): class labels or regression targets."""

    X: np.ndarray
    y: np.ndarray
    problem: str  # "classification" or "regression"
    n_classes: int = 0  # 0 for regression
    feature_names: tuple[str, ...] = ("X1", "X2")

    def __len__(self) -> int:
        return len(self.X)


def _rng(seed) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def _check(n_samples: int, noise: float) -> None:
    if isinstance(n_samples, bool) or int(n_samples) != n_samples or n_samples < 2:
        raise ValueError(f"n_samples must be a whole number of at least 2, got {n_samples!r}")
    if not 0 <= noise <= MAX_NOISE:
        raise ValueError(f"noise must lie between 0 and {MAX_NOISE}, got {noise!r}")


def circle(n_samples: int = 500, noise: float = 0.0, seed=0) -> Dataset:
    """Class 1 inside radius 2.5, class 0 on a ring from 3.5 to 5; the label is taken
    after noise moves the point, as in TensorFlow Playground."""
    _check(n_samples, noise)
    rng = _rng(seed)
    radius = 5.0
    n_in = n_samples // 2
    r = np.concatenate([rng.uniform(0, radius * 0.5, n_in), rng.uniform(radius * 0.7, radius, n_samples - n_in)])
    angle = rng.uniform(0, 2 * np.pi, n_samples)
    X = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    noisy = X + rng.uniform(-radius, radius, X.shape) * noise
    y = (np.hypot(noisy[:, 0], noisy[:, 1]) < radius * 0.5).astype(int)
    return Dataset(X, y, "classification", 2)


def xor(n_samples: int = 500, noise: float = 0.0, seed=0) -> Dataset:
    """The four quadrants: class 1 where x1 * x2 >= 0. Points keep 0.3 away from the axes."""
    _check(n_samples, noise)
    rng = _rng(seed)
    padding = 0.3
    X = rng.uniform(-5, 5, (n_samples, 2))
    X += np.where(X > 0, padding, -padding)
    noisy = X + rng.uniform(-5, 5, X.shape) * noise
    y = (noisy[:, 0] * noisy[:, 1] >= 0).astype(int)
    return Dataset(X, y, "classification", 2)


def gaussian(n_samples: int = 500, noise: float = 0.0, seed=0) -> Dataset:
    """Two Gaussian clusters at (2, 2) (class 1) and (-2, -2) (class 0); noise widens them
    (variance from 0.5 to 4)."""
    _check(n_samples, noise)
    rng = _rng(seed)
    std = np.sqrt(0.5 + (4.0 - 0.5) * noise / MAX_NOISE)
    n_pos = n_samples // 2
    y = np.r_[np.ones(n_pos, int), np.zeros(n_samples - n_pos, int)]
    centers = np.where(y[:, None] == 1, 2.0, -2.0)
    X = np.clip(centers + rng.normal(0, std, (n_samples, 2)), -DOMAIN, DOMAIN)
    return Dataset(X, y, "classification", 2)


def _spiral_arms(n_samples, noise, rng, n_arms, turns=1.75):
    """Points spread evenly along ``n_arms`` interleaved spiral arms of radius up to 5,
    plus uniform noise; the label is the arm's index."""
    y = np.arange(n_samples) % n_arms
    t = (np.arange(n_samples) // n_arms) / int(np.ceil(n_samples / n_arms))  # along the arm, [0, 1)
    r = t * 5.0
    angle = turns * t * 2 * np.pi + y * (2 * np.pi / n_arms)
    X = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    X += rng.uniform(-1, 1, X.shape) * noise
    return X, y


def spiral(n_samples: int = 500, noise: float = 0.0, seed=0) -> Dataset:
    """Two interleaved spirals (TensorFlow Playground's hardest set)."""
    _check(n_samples, noise)
    X, y = _spiral_arms(n_samples, noise, _rng(seed), 2)
    return Dataset(X, 1 - y, "classification", 2)


CLASSIFICATION: dict = {"circle": circle, "xor": xor, "gaussian": gaussian, "spiral": spiral}
