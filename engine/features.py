"""Input features applied before the first layer (TensorFlow Playground's set, plus the cosines).

Each feature maps 2-D inputs X (n_samples, 2) to one column (n_samples,). Keys are short and
lowercase because they are also URL values; labels name the input neurons in the UI.
"""

from collections.abc import Callable, Iterable

import numpy as np

# key -> (label, fn(X) -> column)
FEATURES: dict[str, tuple[str, Callable[[np.ndarray], np.ndarray]]] = {
    "x1": ("X₁", lambda X: X[:, 0]),
    "x2": ("X₂", lambda X: X[:, 1]),
    "x1_sq": ("X₁²", lambda X: X[:, 0] ** 2),
    "x2_sq": ("X₂²", lambda X: X[:, 1] ** 2),
    "x1x2": ("X₁X₂", lambda X: X[:, 0] * X[:, 1]),
    "sin_x1": ("sin(X₁)", lambda X: np.sin(X[:, 0])),
    "sin_x2": ("sin(X₂)", lambda X: np.sin(X[:, 1])),
    "cos_x1": ("cos(X₁)", lambda X: np.cos(X[:, 0])),
    "cos_x2": ("cos(X₂)", lambda X: np.cos(X[:, 1])),
}
DEFAULT_FEATURES = ("x1", "x2")


def check_keys(keys: Iterable[str]) -> tuple[str, ...]:
    """The chosen keys in ``FEATURES`` order, whatever order (or set) they came in, so that the
    input neurons keep their places; ValueError for an empty choice or an unknown key."""
    keys = set(keys) if not isinstance(keys, str) else {keys}
    if not keys:
        raise ValueError("choose at least one input feature")
    unknown = sorted(k for k in keys if k not in FEATURES)
    if unknown:
        raise ValueError(f"unknown input feature {unknown[0]!r}; valid: {', '.join(FEATURES)}")
    return tuple(k for k in FEATURES if k in keys)


def transform(X, keys: Iterable[str]) -> tuple[np.ndarray, tuple[str, ...]]:
    """X (n_samples, 2) -> (Phi (n_samples, n_features), labels (n_features,)), the columns in
    ``FEATURES`` order."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"input features need X of shape (n_samples, 2), got {X.shape}")
    keys = check_keys(keys)
    Phi = np.column_stack([FEATURES[k][1](X) for k in keys]) if len(X) else np.empty((0, len(keys)))
    return Phi, tuple(FEATURES[k][0] for k in keys)
