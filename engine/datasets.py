"""Seeded data generators. Every generator has one signature:

    generator(n_samples, noise, seed) -> Dataset

``noise`` is a fraction in [0, 0.5] (TensorFlow Playground's 0-50 %); ``seed`` is an int or
an ``np.random.Generator``. Three registries of string keys (also URL values):

- ``CLASSIFICATION``: 2-D inputs in [-6, 6]^2, integer class labels 0..k-1 (TensorFlow
  Playground's -1 is our 0).
- ``REGRESSION``: 2-D inputs in [-6, 6]^2, targets in [-1, 1].
- ``TARGETS_1D``: 1-D targets for the universal-approximation page, x in
  [-DOMAIN_1D, DOMAIN_1D]; ``target_function(key)`` gives the clean curve and
  ``formula_dataset`` does the same for a user's formula (see ``engine.formula``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from engine.formula import Formula, compile_formula, evaluate
from engine.registry import lookup

DOMAIN = 6.0  # inputs lie in [-DOMAIN, DOMAIN]^2
MAX_NOISE = 0.5
DOMAIN_1D = 2.0  # 1-D targets: x lies in [-DOMAIN_1D, DOMAIN_1D]
GRID_POINTS_1D = 1001  # the dense grid on which the UI draws the true curve and measures the max error
MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class Dataset:
    """X (n_samples, n_features), y (n_samples,): class labels or regression targets."""

    X: np.ndarray
    y: np.ndarray
    problem: str  # "classification" or "regression"
    n_classes: int = 0  # 0 for regression
    feature_names: tuple[str, ...] = ("X₁", "X₂")

    def __len__(self) -> int:
        return len(self.X)


def _rng(seed) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def _check(n_samples: int, noise: float, n_classes: int = 2) -> None:
    if isinstance(n_samples, bool) or int(n_samples) != n_samples or n_samples < 2:
        raise ValueError(f"n_samples must be a whole number of at least 2, got {n_samples!r}")
    if not 0 <= noise <= MAX_NOISE:
        raise ValueError(f"noise must lie between 0 and {MAX_NOISE}, got {noise!r}")
    if isinstance(n_classes, bool) or int(n_classes) != n_classes or n_classes < 2:
        raise ValueError(f"n_classes must be a whole number of at least 2, got {n_classes!r}")


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


def moons(n_samples: int = 500, noise: float = 0.0, seed=0) -> Dataset:
    """Two interleaving half circles (scikit-learn's ``make_moons``) scaled to about [-5, 5] x [-2.5, 2.5]:
    class 0 the upper moon, class 1 the lower. Noise is Gaussian with a standard deviation of
    ``noise`` moon radii."""
    _check(n_samples, noise)
    rng = _rng(seed)
    scale = 3.3  # moon radius; the pair spans 3 radii across
    y = np.r_[np.zeros(n_samples // 2, int), np.ones(n_samples - n_samples // 2, int)]
    t = rng.uniform(0, np.pi, n_samples)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])
    X = (np.where(y[:, None] == 0, upper, lower) - [0.5, 0.25]) * scale
    X += rng.normal(0, noise * scale, X.shape)
    return Dataset(np.clip(X, -DOMAIN, DOMAIN), y, "classification", 2)


def checkerboard(n_samples: int = 500, noise: float = 0.0, seed=0) -> Dataset:
    """A 4 x 4 board of 3 x 3 squares over [-6, 6]^2; class 1 on [0, 3)^2 and the squares of its colour.
    As in ``xor``, the label is taken after noise moves the point (up to ``noise`` squares)."""
    _check(n_samples, noise)
    rng = _rng(seed)
    square = 3.0
    X = rng.uniform(-DOMAIN, DOMAIN, (n_samples, 2))
    noisy = X + rng.uniform(-square, square, X.shape) * noise
    cells = np.floor(noisy / square).astype(int)
    y = 1 - (cells.sum(axis=1) % 2)
    return Dataset(X, y, "classification", 2)


def spiral_k(n_samples: int = 500, noise: float = 0.0, seed=0, n_classes: int = 3) -> Dataset:
    """``n_classes`` interleaved spiral arms, one class each; labels balanced to within one."""
    _check(n_samples, noise, n_classes)
    X, y = _spiral_arms(n_samples, noise, _rng(seed), n_classes)
    return Dataset(X, y, "classification", n_classes)


def _cluster_std(noise: float) -> float:
    """Gaussian clusters widen with noise: variance from 0.5 to 4, as in TensorFlow Playground."""
    return float(np.sqrt(0.5 + (4.0 - 0.5) * noise / MAX_NOISE))


def blobs(n_samples: int = 500, noise: float = 0.0, seed=0, n_classes: int = 3) -> Dataset:
    """``n_classes`` Gaussian clusters with centers evenly spaced on a circle of radius 4;
    labels balanced to within one."""
    _check(n_samples, noise, n_classes)
    rng = _rng(seed)
    y = np.arange(n_samples) % n_classes
    angle = np.pi / 2 + 2 * np.pi * y / n_classes
    centers = 4.0 * np.column_stack([np.cos(angle), np.sin(angle)])
    X = np.clip(centers + rng.normal(0, _cluster_std(noise), (n_samples, 2)), -DOMAIN, DOMAIN)
    return Dataset(X, y, "classification", n_classes)


def _uniform_2d_with_noisy_copy(n_samples, noise, rng):
    """Points uniform over [-6, 6]^2 and the same points moved by noise, on which
    TensorFlow Playground's regression sets compute the target."""
    X = rng.uniform(-DOMAIN, DOMAIN, (n_samples, 2))
    return X, X + rng.uniform(-DOMAIN, DOMAIN, X.shape) * noise


def plane(n_samples: int = 500, noise: float = 0.0, seed=0) -> Dataset:
    """Target (x1 + x2) / 12, a tilted plane in [-1, 1] (TensorFlow Playground's regressPlane,
    rescaled so the corners reach exactly +-1; noise can push past them, so it is clipped)."""
    _check(n_samples, noise)
    X, noisy = _uniform_2d_with_noisy_copy(n_samples, noise, _rng(seed))
    y = np.clip(noisy.sum(axis=1) / (2 * DOMAIN), -1.0, 1.0)
    return Dataset(X, y, "regression")


_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def multi_gaussian(n_samples: int = 500, noise: float = 0.0, seed=0) -> Dataset:
    """Six bumps of alternating sign (TensorFlow Playground's regressGaussian): each falls from
    +-1 at its center to 0 at distance 2; the target is the bump of largest magnitude."""
    _check(n_samples, noise)
    X, noisy = _uniform_2d_with_noisy_copy(n_samples, noise, _rng(seed))
    dist = np.hypot(noisy[:, :1] - _BUMPS[:, 0], noisy[:, 1:] - _BUMPS[:, 1])  # (n_samples, 6)
    values = _BUMPS[:, 2] * np.clip(1 - dist / 2, 0, 1)
    y = values[np.arange(n_samples), np.argmax(np.abs(values), axis=1)]
    return Dataset(X, y, "regression")


SAWTOOTH_TEETH = 4  # the preset sawtooth's teeth on [-DOMAIN_1D, DOMAIN_1D]: 2(x − ⌊x⌋) − 1
MAX_TEETH = 32


def sawtooth_teeth(x: np.ndarray, teeth: int = SAWTOOTH_TEETH) -> np.ndarray:
    """The sawtooth with ``teeth`` teeth on [-2, 2]: 2(t − ⌊t⌋) − 1 with t = teeth·x / 4,
    each tooth a ramp from −1 up towards 1 over 4 / teeth, then a fall back to −1 (at
    x = 4m / teeth). An even ``teeth`` puts whole teeth between −2 and 2; 4 is the preset
    sawtooth, 2(x − ⌊x⌋) − 1, bit for bit (t = 4x / 4 = x exactly)."""
    t = teeth * np.asarray(x, dtype=float) / (2 * DOMAIN_1D)
    return 2 * (t - np.floor(t)) - 1


def check_teeth(teeth) -> int:
    """``teeth`` as an int, or a ValueError that says what is allowed."""
    if isinstance(teeth, bool) or not isinstance(teeth, (int, np.integer)) or not 1 <= teeth <= MAX_TEETH:
        raise ValueError(f"teeth must be a whole number from 1 to {MAX_TEETH}, got {teeth!r}")
    return int(teeth)


def sawtooth_label(teeth: int = SAWTOOTH_TEETH) -> str:
    """The sawtooth's label: the preset's formula, else how many teeth it has."""
    teeth = check_teeth(teeth)
    if teeth == SAWTOOTH_TEETH:
        return TARGET_LABELS["sawtooth"]
    return f"sawtooth with {teeth} teeth: 2(t − floor(t)) − 1, t = {teeth / 4:g}x"


# 1-D targets: key -> (label, f). The step and sawtooth are discontinuous on purpose: the universal
# approximation theorem covers continuous functions only, and the page shows what happens otherwise.
_TARGETS_1D: dict[str, tuple[str, Callable[[np.ndarray], np.ndarray]]] = {
    "sin": ("sin(πx)", lambda x: np.sin(np.pi * x)),
    "abs": ("|x|", np.abs),
    "square": ("x²", np.square),
    "step": ("step: 0 for x < 0, 1 for x ≥ 0", lambda x: (x >= 0).astype(float)),
    "sawtooth": ("sawtooth 2(x − floor(x)) − 1", lambda x: sawtooth_teeth(x, SAWTOOTH_TEETH)),
    "bump": ("Gaussian bump exp(−4x²)", lambda x: np.exp(-4 * x**2)),
    "cubic": ("x³ − 3x", lambda x: x**3 - 3 * x),
}
TARGET_LABELS: dict[str, str] = {key: label for key, (label, _) in _TARGETS_1D.items()}


def grid_1d(n_points: int = GRID_POINTS_1D) -> np.ndarray:
    """Evenly spaced x (n_points,) over [-DOMAIN_1D, DOMAIN_1D], ends included."""
    return np.linspace(-DOMAIN_1D, DOMAIN_1D, n_points)


def target_function(key: str, teeth: int = SAWTOOTH_TEETH) -> Callable[[np.ndarray], np.ndarray]:
    """The clean 1-D target ``f(x)`` for a ``TARGETS_1D`` key, elementwise over x of any shape.
    ``teeth`` is the sawtooth's number of teeth on [-2, 2] (``sawtooth_teeth``); the other
    targets have none and take only the default."""
    f = lookup(_TARGETS_1D, key, "1-D target")[1]
    if check_teeth(teeth) == SAWTOOTH_TEETH:
        return f
    if key != "sawtooth":
        raise ValueError(f"only the sawtooth has teeth, not {key!r}")
    return partial(sawtooth_teeth, teeth=teeth)


def _dataset_1d(f, n_samples, noise, seed) -> Dataset:
    """x (n_samples, 1) uniform over the domain and sorted (for line plots), y = f(x) plus Gaussian
    noise whose standard deviation is ``noise`` times the range of f over the dense grid."""
    _check(n_samples, noise)
    rng = _rng(seed)
    x = np.sort(rng.uniform(-DOMAIN_1D, DOMAIN_1D, n_samples))
    clean = f(grid_1d())
    spread = float(np.ptp(clean)) or 1.0  # a constant target still gets visible noise
    y = f(x) + rng.normal(0, noise * spread, n_samples)
    return Dataset(x[:, None], y, "regression", feature_names=("x",))


def target_1d(
    n_samples: int = 200, noise: float = 0.0, seed=0, key: str = "sin", teeth: int = SAWTOOTH_TEETH
) -> Dataset:
    """Samples of the 1-D target ``key``: X (n_samples, 1) in [-DOMAIN_1D, DOMAIN_1D], y (n_samples,).
    ``teeth``: the sawtooth's (see ``target_function``)."""
    return _dataset_1d(target_function(key, teeth), n_samples, noise, seed)


def formula_target(text: str) -> Formula:
    """A user's formula in x, checked to be finite and of moderate size over the 1-D domain.

    Raises ``FormulaError`` (a ValueError) with a message pointing at the offending part.
    """
    return compile_formula(text, domain=(-DOMAIN_1D, DOMAIN_1D))


def formula_dataset(text: str, n_samples: int = 200, noise: float = 0.0, seed=0) -> Dataset:
    """Like ``target_1d``, for a user's formula in x (``"sin(3*x) + 0.5*x**2"``)."""
    formula = formula_target(text)
    # evaluate() re-checks on the samples themselves, which the dense grid may have stepped over.
    return _dataset_1d(lambda x: evaluate(formula, x), n_samples, noise, seed)


CLASSIFICATION: dict[str, Callable[..., Dataset]] = {
    "circle": circle,
    "xor": xor,
    "gaussian": gaussian,
    "spiral": spiral,
    "moons": moons,
    "checkerboard": checkerboard,
    **{f"spiral{k}": partial(spiral_k, n_classes=k) for k in (3, 4, 5)},
    **{f"blobs{k}": partial(blobs, n_classes=k) for k in (3, 4, 5)},
}
REGRESSION: dict[str, Callable[..., Dataset]] = {"plane": plane, "multi_gaussian": multi_gaussian}
TARGETS_1D: dict[str, Callable[..., Dataset]] = {key: partial(target_1d, key=key) for key in _TARGETS_1D}
DATASETS: dict[str, Callable[..., Dataset]] = {**CLASSIFICATION, **REGRESSION, **TARGETS_1D}


def make_dataset(key: str, n_samples: int = 500, noise: float = 0.0, seed=0) -> Dataset:
    """The dataset behind any registry key; an unknown key raises ValueError listing the valid ones."""
    return lookup(DATASETS, key, "dataset")(n_samples, noise, seed)


def new_seed(rng: np.random.Generator | None = None) -> int:
    """A fresh data seed in [0, MAX_SEED] for "regenerate": from ``rng`` when given (so tests and
    replays are deterministic), else from the operating system's entropy."""
    return int((rng if rng is not None else np.random.default_rng()).integers(0, MAX_SEED, endpoint=True))
