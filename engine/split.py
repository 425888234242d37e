"""Deterministic train/test split."""

import numpy as np

MIN_TRAIN_FRACTION, MAX_TRAIN_FRACTION = 0.1, 0.9


def split_indices(n: int, train_fraction: float, seed: int | np.random.Generator = 0):
    """Row indices (train (n_train,), test (n - n_train,)) of a shuffled split of n rows.

    ``train_fraction`` must lie in [0.1, 0.9]; both parts keep at least one row.
    """
    if not MIN_TRAIN_FRACTION <= train_fraction <= MAX_TRAIN_FRACTION:
        raise ValueError(
            f"train_fraction must be between {MIN_TRAIN_FRACTION} and {MAX_TRAIN_FRACTION}, got {train_fraction}"
        )
    if n < 2:
        raise ValueError(f"need at least 2 samples to split, got {n}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    order = rng.permutation(n)
    n_train = min(max(round(train_fraction * n), 1), n - 1)
    return order[:n_train], order[n_train:]


def train_test_split(X, y, train_fraction: float, seed: int | np.random.Generator = 0):
    """Shuffle the rows with ``seed`` and cut: (X_train, y_train, X_test, y_test).

    X (n_samples, n_features), y (n_samples, ...); see ``split_indices``.
    """
    X, y = np.asarray(X), np.asarray(y)
    if len(y) != len(X):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}")
    train, test = split_indices(len(X), train_fraction, seed)
    return X[train], y[train], X[test], y[test]
