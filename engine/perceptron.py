"""The perceptron learning rule (Rosenblatt, 1958) and the two data sets it is shown on.

One neuron with the step activation, ŷ = step(w·x + b) (1 where w·x + b > 0, else 0),
learns one example at a time: for an example (x, y) with y in {0, 1},

    w ← w + lr·(y − ŷ)·x,    b ← b + lr·(y − ŷ)

so nothing changes when ŷ is right, and the line w·x + b = 0 moves towards the wrong side's
point otherwise (the point's z = w·x + b changes by lr·(y − ŷ)·(|x|² + 1), towards the sign
of its class). On linearly separable data it stops making mistakes after finitely many
updates (the perceptron convergence theorem: at most (R/γ)² for data within radius R of the
origin and separated with margin γ); on XOR no line exists and it never stops.
"""

from dataclasses import dataclass

import numpy as np

from engine.activations import ACTIVATIONS
from engine.datasets import DOMAIN, Dataset
from engine.datasets import xor as _quadrants_xor

MAX_EPOCHS = 100


@dataclass(frozen=True)
class PerceptronRun:
    """The history of one run of the rule, one epoch (a pass over the data) at a time and
    one example (a *step*) at a time.

    ``weights`` (epochs_run + 1, n_features) and ``biases`` (epochs_run + 1,): row 0 is the
    start, row k the weights after epoch k. ``updates`` (epochs_run,): the mistakes made
    (hence updates) during each epoch. ``errors`` (epochs_run + 1,): points on the wrong side
    of the line of row k. ``converged``: the last epoch made no mistake.

    Step by step, with S = epochs_run · n_samples steps: ``step_points`` (S,) the row of X
    looked at in step s (0-based), ``step_wrong`` (S,) whether it was on the wrong side (so
    the step updated w and b), ``step_weights`` (S + 1, n_features) and ``step_biases``
    (S + 1,): row s the weights before step s, row s + 1 after it (row k·n_samples is epoch
    row k). Memory is bounded by ``max_epochs`` · n_samples · (n_features + 3) numbers: the
    page's 100 epochs of 100 points keep 10,000 steps, about 0.3 MB.
    """

    weights: np.ndarray
    biases: np.ndarray
    updates: np.ndarray
    errors: np.ndarray
    converged: bool
    step_points: np.ndarray
    step_wrong: np.ndarray
    step_weights: np.ndarray
    step_biases: np.ndarray
    learning_rate: float = 1.0

    @property
    def epochs_run(self) -> int:
        return len(self.updates)

    @property
    def total_updates(self) -> int:
        return int(self.updates.sum())

    @property
    def n_steps(self) -> int:
        """S: the examples looked at, one step each (every epoch looks at every example)."""
        return len(self.step_points)

    @property
    def n_samples(self) -> int:
        return self.n_steps // max(self.epochs_run, 1)

    @property
    def epochs_to_converge(self) -> int | None:
        """Epochs that changed the weights before the clean one (None if never clean)."""
        return self.epochs_run - 1 if self.converged else None


def predict(X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """ŷ (n,) in {0, 1} for X (n, n_features): the step activation of X·w + b."""
    return ACTIVATIONS["step"](np.asarray(X, dtype=float) @ w + b).astype(int)


def train_perceptron(
    X: np.ndarray,
    y: np.ndarray,
    *,
    learning_rate: float = 1.0,
    max_epochs: int = MAX_EPOCHS,
    w0: np.ndarray | None = None,
    b0: float = 0.0,
) -> PerceptronRun:
    """Apply the rule to X (n, n_features) and labels y (n,) in {0, 1}, example by
    example in their order, epoch after epoch until an epoch makes no mistake or after
    ``max_epochs``. Starts at ``w0`` (zeros by default) and ``b0``."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    if X.ndim != 2 or y.shape != (len(X),) or len(X) == 0:
        raise ValueError(f"X must be (n, n_features) and y (n,), got {X.shape} and {y.shape}")
    if not np.all(np.isin(y, (0, 1))):
        raise ValueError("perceptron labels must be 0 or 1")
    if not (np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"the learning rate must be a positive number, got {learning_rate!r}")
    if isinstance(max_epochs, bool) or int(max_epochs) != max_epochs or max_epochs < 1:
        raise ValueError(f"max_epochs must be a whole number of at least 1, got {max_epochs!r}")
    w = np.zeros(X.shape[1]) if w0 is None else np.array(w0, dtype=float)
    b = float(b0)
    weights, biases, updates = [w.copy()], [b], []
    errors = [int(np.sum(predict(X, w, b) != y))]
    step_points, step_wrong, step_weights, step_biases = [], [], [w.copy()], [b]
    for _ in range(int(max_epochs)):
        mistakes = 0
        for i, (x_i, y_i) in enumerate(zip(X, y)):
            delta = y_i - (1 if x_i @ w + b > 0 else 0)
            if delta:
                w += learning_rate * delta * x_i
                b += learning_rate * delta
                mistakes += 1
            step_points.append(i)
            step_wrong.append(bool(delta))
            step_weights.append(w.copy())
            step_biases.append(b)
        weights.append(w.copy())
        biases.append(b)
        updates.append(mistakes)
        errors.append(int(np.sum(predict(X, w, b) != y)))
        if mistakes == 0:
            break
    return PerceptronRun(
        np.array(weights),
        np.array(biases),
        np.array(updates),
        np.array(errors),
        updates[-1] == 0,
        np.array(step_points, dtype=np.intp),
        np.array(step_wrong, dtype=bool),
        np.array(step_weights),
        np.array(step_biases),
        float(learning_rate),
    )


@dataclass(frozen=True)
class PerceptronStep:
    """One step of a run, ``number`` s (1 to S; step s looks at one example): ``epoch``
    (1-based) and ``position`` in it (1 to n_samples), the example's row ``index``, its
    point ``x`` (n_features,) and class ``y``; its ``z`` = w·x + b and ``y_hat`` under the
    weights before the step (``w_before`` (n_features,), ``b_before``), and the weights
    after (``w_after``, ``b_after``: the same unless ``wrong``)."""

    number: int
    epoch: int
    position: int
    index: int
    x: np.ndarray
    y: int
    z: float
    y_hat: int
    wrong: bool
    learning_rate: float
    w_before: np.ndarray
    b_before: float
    w_after: np.ndarray
    b_after: float

    @property
    def z_after(self) -> float:
        """The example's z under the weights after the step (z + lr·(y − ŷ)·(|x|² + 1))."""
        return float(self.x @ self.w_after + self.b_after)


def perceptron_step(run: PerceptronRun, X: np.ndarray, y: np.ndarray, number: int) -> PerceptronStep:
    """Step ``number`` (1 to ``run.n_steps``) of ``run`` on the data it was trained on, X
    (n, n_features) and y (n,), as recorded."""
    if not 1 <= number <= run.n_steps:
        raise ValueError(f"step must lie in 1..{run.n_steps}, got {number!r}")
    s = number - 1
    index = int(run.step_points[s])
    x = np.asarray(X, dtype=float)[index]
    w_before, b_before = run.step_weights[s], float(run.step_biases[s])
    z = float(x @ w_before + b_before)
    epoch, position = divmod(s, run.n_samples)
    return PerceptronStep(
        number=number,
        epoch=epoch + 1,
        position=position + 1,
        index=index,
        x=x,
        y=int(y[index]),
        z=z,
        y_hat=1 if z > 0 else 0,
        wrong=bool(run.step_wrong[s]),
        learning_rate=run.learning_rate,
        w_before=w_before,
        b_before=b_before,
        w_after=run.step_weights[s + 1],
        b_after=float(run.step_biases[s + 1]),
    )


def separating_line(seed: int = 0) -> tuple[np.ndarray, float]:
    """The line of ``linearly_separable(seed=seed)``: a unit normal (2,) and an offset c,
    the line being normal·x = c (class 1 where normal·x > c)."""
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, 2 * np.pi)
    return np.array([np.cos(angle), np.sin(angle)]), float(rng.uniform(-2.5, 2.5))


def linearly_separable(n_samples: int = 100, seed: int = 0, margin: float = 0.3) -> Dataset:
    """Points uniform in [-5, 5]², labelled by the side of a random line (seeded, see
    ``separating_line``); no point lies within ``margin`` of the line, so the perceptron
    converges (the smaller the margin, the more updates it may take)."""
    if isinstance(n_samples, bool) or int(n_samples) != n_samples or n_samples < 2:
        raise ValueError(f"n_samples must be a whole number of at least 2, got {n_samples!r}")
    if not 0 <= margin < 2:
        raise ValueError(f"margin must lie in [0, 2), got {margin!r}")
    normal, offset = separating_line(seed)
    rng = np.random.default_rng([seed, 1])
    points = []
    while sum(len(p) for p in points) < n_samples:
        X = rng.uniform(-DOMAIN + 1, DOMAIN - 1, (n_samples, 2))
        points.append(X[np.abs(X @ normal - offset) >= margin])
    X = np.concatenate(points)[:n_samples]
    y = (X @ normal - offset > 0).astype(int)
    return Dataset(X, y, "classification", 2)


def xor_data(n_samples: int = 100, seed: int = 0) -> Dataset:
    """The Playground's exclusive-or: class 1 in the quadrants where x₁ and x₂ have the same
    sign, class 0 in the other two (``engine.datasets.xor`` without noise)."""
    return _quadrants_xor(n_samples, 0.0, seed)


PERCEPTRON_DATA = {"separable": linearly_separable, "xor": xor_data}
