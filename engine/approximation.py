"""Universal approximation on an interval: fit a 1-D target with one hidden layer, measure
the error on a dense grid, sweep the width, and compare width with depth.

Every network here maps one input x in [-DOMAIN_1D, DOMAIN_1D] to one linear output and is
trained by ``Trainer`` with ``problem="regression"`` and the quadratic loss. Errors are
measured against the clean target f (not the noisy samples) on ``grid_1d()``:
``max_error = max |y(x) - f(x)|`` (the theorem's uniform error) and the RMSE.
"""

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from engine.datasets import (
    DOMAIN_1D,
    SAWTOOTH_TEETH,
    TARGET_LABELS,
    Dataset,
    formula_dataset,
    formula_target,
    grid_1d,
    sawtooth_label,
    target_1d,
    target_function,
)
from engine.initializers import INITIALIZERS, Initializer
from engine.network import Network
from engine.trainer import Trainer

FORMULA = "formula"  # the target key of a user's formula
SPREAD = "spread"  # the initializer that spreads the first layer's kinks over the domain
INITIALIZER_CHOICES = (SPREAD, *INITIALIZERS)
TRAIN_FRACTION = 0.9  # the rest of the samples is held out (shown as test points)
SWEEP_WIDTHS = (1, 2, 4, 8, 16, 32, 64, 128)
DEPTHS = (1, 2, 3, 4)
SETTLE_WINDOW = 200  # epochs: see has_settled
SETTLE_TOLERANCE = 0.01
CHUNK_SECONDS = 0.05  # batch jobs train in chunks this long, each inside the caller's guard


def spread_initializer(low: float = -DOMAIN_1D, high: float = DOMAIN_1D) -> Initializer:
    """An initializer for a layer with one input (x): unit j gets a slope w_j = ±U(0.5, 2)
    and the bias that puts its kink (or centre) -b_j / w_j uniformly in [low, high], so
    the pieces start spread over the domain instead of piling up at one x. Layers with
    more inputs get Glorot's (xavier)."""

    def spread(fan_in: int, fan_out: int, rng: np.random.Generator):
        if fan_in != 1:
            return INITIALIZERS["xavier"](fan_in, fan_out, rng)
        centres = rng.uniform(low, high, fan_out)
        w = rng.choice([-1.0, 1.0], fan_out) * rng.uniform(0.5, 2.0, fan_out)
        return w[None, :], -w * centres

    return spread


def make_network(hidden: Sequence[int], activation: str = "relu", initializer: str = SPREAD, seed: int = 0) -> Network:
    """A 1-hidden...-1 network with a linear output. ``initializer`` is an ``INITIALIZERS``
    key or ``SPREAD`` (first layer by ``spread_initializer``, the others xavier). The
    same arguments always give the same weights."""
    if initializer not in INITIALIZER_CHOICES:
        raise ValueError(f"unknown initializer {initializer!r}; valid: {', '.join(INITIALIZER_CHOICES)}")
    base = "xavier" if initializer == SPREAD else initializer
    network = Network([1, *hidden, 1], activation, "linear", base, seed=seed)
    if initializer == SPREAD:
        W, b = spread_initializer()(1, network.sizes[1], np.random.default_rng([seed, 1]))
        network.W[0][...], network.b[0][...] = W, b
    return network


@dataclass(frozen=True)
class Target:
    """A 1-D target: the clean ``f`` (elementwise over arrays) and noisy samples ``data``
    (X (n, 1) sorted, y (n,))."""

    key: str  # a TARGETS_1D key or FORMULA
    label: str
    f: Callable[[np.ndarray], np.ndarray]
    data: Dataset


def make_target(
    key: str, n_samples: int = 200, noise: float = 0.0, seed: int = 0, formula: str = "", teeth: int = SAWTOOTH_TEETH
) -> Target:
    """The preset ``key`` (a ``TARGETS_1D`` key), or the user's ``formula`` when key is
    ``FORMULA``. A bad formula raises ``FormulaError`` (a ValueError) saying where.
    ``teeth``: the sawtooth's number of teeth on [-2, 2] (ignored by the other targets)."""
    if key == FORMULA:
        compiled = formula_target(formula)
        return Target(key, f"f(x) = {compiled.text}", compiled, formula_dataset(formula, n_samples, noise, seed))
    if key != "sawtooth":
        teeth = SAWTOOTH_TEETH
    label = sawtooth_label(teeth) if key == "sawtooth" else TARGET_LABELS.get(key, key)
    return Target(key, label, target_function(key, teeth), target_1d(n_samples, noise, seed, key, teeth))


@dataclass(frozen=True)
class TrainSettings:
    """How every network of a job is trained. ``batch_size=None``: the whole training set
    (one step per epoch). ``seed`` fixes the weights and the batch order."""

    activation: str = "relu"
    initializer: str = SPREAD
    optimizer: str = "adam"
    learning_rate: float = 0.01
    batch_size: int | None = None
    seed: int = 0
    optimizer_settings: dict = field(default_factory=dict)


def make_trainer(network: Network, target: Target, settings: TrainSettings) -> Trainer:
    data = target.data
    return Trainer(
        network,
        data.X,
        data.y,
        loss="quadratic",
        optimizer=settings.optimizer,
        learning_rate=settings.learning_rate,
        batch_size=settings.batch_size or len(data),
        train_fraction=TRAIN_FRACTION,
        problem="regression",
        seed=settings.seed,
        optimizer_settings=settings.optimizer_settings,
    )


def error_on_grid(network: Network, f, grid: np.ndarray | None = None) -> tuple[float, float]:
    """(max |y(x) - f(x)|, RMSE) over ``grid`` (n,) (default ``grid_1d()``); ``f`` is the
    target function or its values on the grid (n,)."""
    grid = grid_1d() if grid is None else np.asarray(grid, dtype=float)
    values = f(grid) if callable(f) else np.asarray(f, dtype=float)
    error = network.forward(grid[:, None])[:, 0] - values
    return float(np.max(np.abs(error))), float(np.sqrt(np.mean(error * error)))


def has_settled(losses: Sequence[float], window: int = SETTLE_WINDOW, tolerance: float = SETTLE_TOLERANCE) -> bool:
    """True when the best loss of the last ``window`` entries is less than ``tolerance``
    (relative) below the best of the ``window`` before: training has stopped making
    progress. Needs ``2 * window`` entries (one per epoch); a loss of 0 has settled."""
    if len(losses) < 2 * window:
        return False
    recent, before = min(losses[-window:]), min(losses[-2 * window : -window])
    return recent <= 1e-12 or recent > (1.0 - tolerance) * before


def train_in_chunks(trainer: Trainer, epochs: int, guard: Callable[[], AbstractContextManager] = nullcontext) -> bool:
    """Train ``epochs`` epochs in chunks of about CHUNK_SECONDS, each inside ``guard()``
    (a UI passes its training lock, so other sessions get turns). False if it diverged."""
    remaining = epochs
    while remaining > 0:
        with guard():
            report = trainer.train(remaining, time_budget=CHUNK_SECONDS)
        if report.diverged:
            return False
        remaining -= report.epochs_run
    return True


def param_count(sizes: Sequence[int]) -> int:
    """Weights and biases of a dense network of these layer sizes."""
    return sum((a + 1) * b for a, b in pairwise(sizes))


@dataclass(frozen=True)
class FitResult:
    """One trained network of a sweep or comparison, measured on the dense grid."""

    sizes: tuple[int, ...]
    n_params: int
    max_error: float
    rmse: float
    train_loss: float
    diverged: bool
    network: Network

    @property
    def width(self) -> int:
        return self.sizes[1]

    @property
    def depth(self) -> int:
        return len(self.sizes) - 2


def fit(target: Target, hidden: Sequence[int], epochs: int, settings: TrainSettings, guard=nullcontext) -> FitResult:
    """Train a fresh network with hidden layer sizes ``hidden`` on ``target`` and measure it."""
    network = make_network(hidden, settings.activation, settings.initializer, settings.seed)
    trainer = make_trainer(network, target, settings)
    finished = train_in_chunks(trainer, epochs, guard)
    max_error, rmse = error_on_grid(network, target.f)
    sizes = network.sizes
    return FitResult(sizes, param_count(sizes), max_error, rmse, trainer.history.train_loss[-1], not finished, network)


Progress = Callable[[int, int, FitResult], None]  # (done, total, the latest result)


def sweep_widths(
    target: Target,
    widths: Sequence[int] = SWEEP_WIDTHS,
    *,
    epochs: int = 2000,
    settings: TrainSettings | None = None,
    progress: Progress | None = None,
    guard=nullcontext,
) -> list[FitResult]:
    """One fresh 1-w-1 network per width, each trained ``epochs`` epochs with the same
    settings and seed; ``progress(done, total, result)`` after each."""
    settings = settings or TrainSettings()
    results = []
    for width in widths:
        results.append(fit(target, [width], epochs, settings, guard))
        if progress is not None:
            progress(len(results), len(widths), results[-1])
    return results


def equal_budget_architectures(budget: int, depths: Sequence[int] = DEPTHS) -> list[tuple[int, ...]]:
    """For each depth d, the layer sizes (1, w, ..., w, 1) with d hidden layers of equal
    width w whose parameter count is closest to ``budget`` (the narrower on a tie; w >= 1)."""
    architectures = []
    for depth in depths:
        if depth < 1:
            raise ValueError(f"depths must be at least 1, got {depth}")
        best, width = None, 1
        while True:
            sizes = (1, *([width] * depth), 1)
            if best is None or abs(param_count(sizes) - budget) < abs(param_count(best) - budget):
                best = sizes
            if param_count(sizes) >= budget:
                break
            width += 1
        architectures.append(best)
    return architectures


def compare_depths(
    target: Target,
    budget: int,
    depths: Sequence[int] = DEPTHS,
    *,
    epochs: int = 3000,
    settings: TrainSettings | None = None,
    progress: Progress | None = None,
    guard=nullcontext,
) -> list[FitResult]:
    """The same parameter budget as one wide layer and as deeper, narrower stacks, each
    trained ``epochs`` epochs with the same settings, on the same target."""
    settings = settings or TrainSettings()
    architectures = equal_budget_architectures(budget, depths)
    results = []
    for sizes in architectures:
        results.append(fit(target, sizes[1:-1], epochs, settings, guard))
        if progress is not None:
            progress(len(results), len(architectures), results[-1])
    return results


def is_discontinuous(f, low: float = -DOMAIN_1D, high: float = DOMAIN_1D) -> bool:
    """Whether f jumps somewhere in [low, high]: its largest step between neighbouring
    points does not shrink when the grid gets 16 times finer (as it would if f were
    continuous), and is more than 1 % of f's range."""
    coarse, fine = f(np.linspace(low, high, 1001)), f(np.linspace(low, high, 16001))
    step_coarse, step_fine = np.max(np.abs(np.diff(coarse))), np.max(np.abs(np.diff(fine)))
    return bool(step_fine > 0.5 * step_coarse and step_fine > 0.01 * (np.ptp(fine) or 1.0))


def jumps(f, low: float = -DOMAIN_1D, high: float = DOMAIN_1D) -> list[tuple[float, float]]:
    """Where f jumps in [low, high], as (x, height) pairs in order: x is where the new value
    begins (to within (high - low) / 16,000), height the signed size of the jump. A jump
    is a step between neighbouring points of a 1,001-point grid of which a single step of a
    grid 16 times finer makes more than half (a continuous f spreads it evenly), and more
    than 1 % of f's range (as ``is_discontinuous``)."""
    coarse, refine = 1000, 16
    x = np.linspace(low, high, coarse * refine + 1)
    y = f(x)
    steps = np.diff(y).reshape(coarse, refine)
    where = np.argmax(np.abs(steps), axis=1)
    largest = steps[np.arange(coarse), where]
    found = (np.abs(largest) > 0.5 * np.abs(steps.sum(axis=1))) & (np.abs(largest) > 0.01 * (np.ptp(y) or 1.0))
    return [(float(x[i * refine + where[i] + 1]), float(largest[i])) for i in np.flatnonzero(found)]


def zigzag_network(depth: int) -> Network:
    """A hand-built relu network, 1-2-...-2-1 with ``depth`` hidden layers (6 * depth + 1
    parameters), whose output zigzags between -1 and 1 over [-2, 2] in 2**depth straight
    pieces: each layer folds the previous one's output with the tent map
    T(u) = 2 relu(u) - 4 relu(u - 1/2) on [0, 1]. One hidden layer needs 2**depth - 1
    relu neurons for that many pieces: depth buys pieces exponentially, width linearly."""
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 1:
        raise ValueError(f"depth must be a whole number of at least 1, got {depth!r}")
    network = Network([1, *([2] * depth), 1], "relu", "linear", "zeros")
    scale = 1.0 / (2 * DOMAIN_1D)  # u = (x + 2) / 4 lies in [0, 1]
    network.W[0][...] = [[scale, scale]]
    network.b[0][...] = [0.5, 0.0]  # relu(u) and relu(u - 1/2)
    for i in range(1, depth):
        network.W[i][...] = [[2.0, 2.0], [-4.0, -4.0]]  # both units see T(previous u)
        network.b[i][...] = [0.0, -0.5]
    network.W[depth][...] = [[4.0], [-8.0]]  # 2 T - 1
    network.b[depth][...] = [-1.0]
    return network


def zigzag(x: np.ndarray, depth: int) -> np.ndarray:
    """The function ``zigzag_network(depth)`` computes, in closed form: 2 T^depth(u) - 1
    with u = (x + 2) / 4, T the tent map."""
    u = (np.asarray(x, dtype=float) + DOMAIN_1D) / (2 * DOMAIN_1D)
    for _ in range(depth):
        u = np.where(u <= 0.5, 2 * u, 2 - 2 * u)
    return 2 * u - 1
