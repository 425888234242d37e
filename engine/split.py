"""Deterministic train/test split."""

import numpy as np

MIN_TRAIN_FRACTION, MAX_TRAIN_FRACTION = 0.1, 0.9


def train_test_split(X, y, train_fraction: float, seed: int | np.random.Generator = 0):
    """Shuffle the rows with ``seed`` and cut: (X_train, y_train, X_test, y_test).

    X (n_samples, n_features), y (n_samples, ...). ``train_fraction`` must lie in [0.1, 0.9];
    both parts keep at least one row.
    """
    X, y = np.asarray(X), np.asarray(y)
    if not MIN_TRAIN_FRACTION <= train_fraction <= MAX_TRAIN_FRACTION:
        raise ValueError(
            f"train_fraction must be between {MIN_TRAIN_FRACTION} and {MAX_TRAIN_FRACTION}, got {train_fraction}"
        )
    n = len(X)
    if n < 2:
        raise ValueError(f"need at least 2 samples to split, got {n}")
    if len(y) != n:
        raise ValueError(f"X has {n} rows but y has {len(y)}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    order = rng.permutation(n)
    n_train = min(max(round(train_fraction * n), 1), n - 1)
    train, test = order[:n_train], order[n_train:]
    return X[train], y[train], X[test], y[test]
