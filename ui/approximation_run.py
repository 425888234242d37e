"""One session's Universal approximation page: target, network, trainer, the errors recorded
as neurons are added, and the surgery that adds and removes them. No Streamlit here.

The configuration is plain data (``DEFAULTS`` declares every setting once). Changing a
field of ``RESET_FIELDS`` builds a new run; ``width`` changes by surgery (trained weights
kept); the training settings change live.
"""

from dataclasses import dataclass, field

import numpy as np

from engine import make_optimizer
from engine.activations import ACTIVATIONS
from engine.approximation import (
    FORMULA,
    SPREAD,
    FitResult,
    Target,
    TrainSettings,
    compare_depths,
    error_on_grid,
    has_settled,
    is_discontinuous,
    make_network,
    make_target,
    make_trainer,
    spread_initializer,
    sweep_widths,
)
from engine.datasets import TARGETS_1D, grid_1d
from engine.surgery import add_neuron, remove_neuron, weakest_neuron
from engine.trainer import History, Trainer

MAX_NEURONS = 256
SPEEDS = ("1", "10", "100", "1000", "max")  # epochs per frame; max: as many as fit the frame
BATCH_SIZES = ("1", "10", "25", "50", "100", "all")
GROW_MODES = ("off", "+1", "×2")  # what happens each time training settles
TARGETS = (*TARGETS_1D, FORMULA)
_FIRST = ("relu", "tanh", "sigmoid", "step", "sine")
ACTIVATION_ORDER = (*_FIRST, *(a for a in ACTIVATIONS if a not in _FIRST))
SWEEP_EPOCHS = (500, 1000, 2000, 5000)
BUDGETS = (25, 50, 100, 200, 400)
DEPTH_EPOCHS = (1000, 3000, 10000)

DEFAULTS: dict = {
    "target": "sin",
    "formula": "sin(3*x) + 0.5*x**2",
    "n_samples": 200,
    "noise": 0,  # percent of the target's range (standard deviation)
    "data_seed": 0,
    "activation": "relu",
    "width": 4,
    "initializer": SPREAD,
    "init_seed": 0,
    "optimizer": "adam",
    "learning_rate": 0.01,
    "batch_size": "all",
    "speed": "max",
    "grow": "off",
    "sweep_epochs": 2000,
    "budget": 100,
    "depth_epochs": 3000,
    "zigzag_depth": 4,
}
RESET_FIELDS = ("target", "formula", "n_samples", "noise", "data_seed", "activation", "initializer", "init_seed")
LABELS = {
    "target": "target",
    "formula": "formula",
    "n_samples": "samples",
    "noise": "noise",
    "data_seed": "data seed",
    "activation": "activation",
    "initializer": "initializer",
    "init_seed": "weights seed",
}
RECENT_HISTORY = 4000  # epochs of history kept entry by entry (settling looks at the last 400)
MAX_HISTORY = 12000  # longer histories are thinned: epochs here are cheap, thousands a second


def reset_needed(old: dict, new: dict) -> list[str]:
    """Labels of the changed fields that need a new run (the formula only matters when used)."""
    changed = [f for f in RESET_FIELDS if old.get(f) != new.get(f)]
    if new.get("target") != FORMULA and old.get("target") != FORMULA and "formula" in changed:
        changed.remove("formula")
    return [LABELS[f] for f in changed]


def settings_of(config: dict) -> TrainSettings:
    batch = None if config["batch_size"] == "all" else int(config["batch_size"])
    return TrainSettings(
        activation=config["activation"],
        initializer=config["initializer"],
        optimizer=config["optimizer"],
        learning_rate=float(config["learning_rate"]),
        batch_size=batch,
        seed=int(config["init_seed"]),
    )


def target_of(config: dict) -> Target:
    """The configured target; a bad formula raises FormulaError (a ValueError)."""
    return make_target(
        config["target"], int(config["n_samples"]), config["noise"] / 100, int(config["data_seed"]), config["formula"]
    )


def signature(config: dict, *extra) -> tuple:
    """What a sweep's or comparison's result depends on: shown only while it still holds."""
    fields = [f for f in RESET_FIELDS if f != "formula" or config["target"] == FORMULA]
    return (*(config[f] for f in fields), config["optimizer"], config["learning_rate"], config["batch_size"], *extra)


@dataclass
class Record:
    """The error of a width once training had settled there (on the dense grid)."""

    width: int
    max_error: float
    rmse: float
    epoch: int


@dataclass
class ApproximationRun:
    """Everything one session trains and draws. ``records`` maps width to its settled
    error; ``events`` lists (epoch, old width, new width) of every surgery."""

    config: dict
    target: Target
    trainer: Trainer
    rng: np.random.Generator  # draws the incoming weights of added neurons
    grid: np.ndarray = field(default_factory=grid_1d)
    grid_values: np.ndarray | None = None
    discontinuous: bool = False
    records: dict[int, Record] = field(default_factory=dict)
    events: list[tuple[int, int, int]] = field(default_factory=list)
    changed_at: int = 0  # epoch of the last surgery: settling is judged from there
    diverged: str | None = None
    frame: int = -1  # frames drawn: slow charts are redrawn every few frames while playing
    slow_figures: dict = field(default_factory=dict)
    samples_image: dict | None = None  # the samples' picture, drawn once (see approximation_figures)
    _measured: tuple | None = None

    @property
    def network(self):
        return self.trainer.network

    @property
    def width(self) -> int:
        return self.network.sizes[1]

    def errors(self) -> tuple[float, float]:
        """(max error, RMSE) of the network now against the clean target on the grid."""
        key = (self.trainer.step, self.trainer.epoch, id(self.network))
        if self._measured is None or self._measured[0] != key:
            self._measured = (key, error_on_grid(self.network, self.grid_values, self.grid))
        return self._measured[1]

    def settled(self) -> bool:
        since = self.trainer.epoch - self.changed_at
        return since > 0 and has_settled(self.trainer.history.train_loss[-since:])


def build_run(config: dict) -> ApproximationRun:
    """A fresh run: the same config always gives the same data and initial weights.
    Raises ValueError (a FormulaError for a bad formula) with a sentence for the page."""
    target = target_of(config)
    settings = settings_of(config)
    network = make_network([int(config["width"])], settings.activation, settings.initializer, settings.seed)
    trainer = make_trainer(network, target, settings)
    run = ApproximationRun(dict(config), target, trainer, np.random.default_rng([settings.seed, 2]))
    run.grid_values = target.f(run.grid)
    run.discontinuous = is_discontinuous(target.f)
    return run


def apply_live_settings(run: ApproximationRun, config: dict) -> None:
    """Learning rate, batch size and optimizer change without a reset (a new kind of
    optimizer starts with fresh state)."""
    settings = settings_of(config)
    trainer = run.trainer
    trainer.learning_rate = settings.learning_rate
    trainer.batch_size = settings.batch_size or len(run.target.data)
    if trainer.optimizer.name != settings.optimizer:
        trainer.optimizer = make_optimizer(settings.optimizer)
    run.config = {**run.config, **{k: v for k, v in config.items() if k not in RESET_FIELDS}}


def compact_history(history: History) -> None:
    """Thin a long history in place: the first entry and the last RECENT_HISTORY entries
    stay, the older part keeps evenly spread entries (``epoch`` says which)."""
    n = len(history.epoch)
    if n <= MAX_HISTORY:
        return
    old = np.unique(np.linspace(0, n - RECENT_HISTORY - 1, MAX_HISTORY // 2).round().astype(int))
    keep = np.concatenate([old, np.arange(n - RECENT_HISTORY, n)])
    for name, column in vars(history).items():
        if column:
            setattr(history, name, [column[i] for i in keep])


def train(run: ApproximationRun, epochs: int, time_budget: float | None = None):
    """Train up to ``epochs`` (within ``time_budget`` seconds); record the error at this
    width once training has settled; a divergence is kept in ``run.diverged``."""
    report = run.trainer.train(epochs, time_budget)
    compact_history(run.trainer.history)
    if report.diverged:
        because = report.reason[0].upper() + report.reason[1:]
        run.diverged = f"Training {report.message}: lower the learning rate and press Reset. ({because}.)"
    elif run.settled():
        max_error, rmse = run.errors()
        run.records[run.width] = Record(run.width, max_error, rmse, run.trainer.epoch)
    return report


def _new_neuron_initializer(run: ApproximationRun):
    return spread_initializer() if run.config["initializer"] == SPREAD else None


def resize(run: ApproximationRun, width: int) -> int:
    """Grow to ``width`` hidden neurons (new ones with output weight 0: the function does
    not change) or shrink by removing the weakest neuron (smallest |v_j|) until there.
    Returns the width reached (1 to MAX_NEURONS)."""
    width = min(max(int(width), 1), MAX_NEURONS)
    old, network = run.width, run.network
    if width == old:
        return old
    init = _new_neuron_initializer(run)
    while network.sizes[1] < width:
        network = add_neuron(network, 0, run.rng, init)
    while network.sizes[1] > width:
        network = remove_neuron(network, 0, weakest_neuron(network, 0))
    run.trainer.replace_network(network)
    run.events.append((run.trainer.epoch, old, width))
    run.changed_at = run.trainer.epoch
    run.diverged = None
    run.config["width"] = width
    return width


def grow_if_settled(run: ApproximationRun, mode: str) -> bool:
    """In a grow mode ("+1" or "×2"), widen the network once training has settled (its
    error is recorded first, by ``train``). True if it grew."""
    old = run.width
    if mode == "off" or old >= MAX_NEURONS or not run.settled():
        return False
    return resize(run, old + 1 if mode == "+1" else 2 * old) > old


def sweep(config: dict, progress=None, guard=None) -> list[FitResult]:
    """Widths 1, 2, 4, ..., 128 from scratch with the page's settings."""
    kwargs = {"guard": guard} if guard is not None else {}
    return sweep_widths(
        target_of(config), epochs=int(config["sweep_epochs"]), settings=settings_of(config), progress=progress, **kwargs
    )


def depth_comparison(config: dict, progress=None, guard=None) -> list[FitResult]:
    """One wide layer against 2 to 4 narrow ones, at the configured parameter budget."""
    kwargs = {"guard": guard} if guard is not None else {}
    return compare_depths(
        target_of(config),
        int(config["budget"]),
        epochs=int(config["depth_epochs"]),
        settings=settings_of(config),
        progress=progress,
        **kwargs,
    )
