"""One session's Universal approximation page: target, network, trainer, the errors recorded
as neurons are added, and the surgery that adds and removes them. Pure: no Streamlit.

A change of a field that ``resets`` (see ``config.SCHEMA``) builds a new run; ``neurons``
changes by surgery (trained weights kept); the training settings change live.
"""

from contextlib import nullcontext
from dataclasses import dataclass, field

import numpy as np

from engine import make_optimizer
from engine.approximation import (
    FORMULA,
    SPREAD,
    FitResult,
    Target,
    TrainSettings,
    compare_depths,
    error_on_grid,
    has_settled,
    jumps,
    make_network,
    make_target,
    make_trainer,
    spread_initializer,
    sweep_widths,
)
from engine.datasets import grid_1d
from engine.network import Network
from engine.surgery import add_neuron, remove_neuron, weakest_neuron
from engine.trainer import Trainer
from ui.approximation.config import MAX_NEURONS, SCHEMA
from ui.live.cadence import Cadence
from ui.live.stats import divergence_message

# While playing, the error and loss charts are rebuilt every few frames only: they change
# slowly. The fit is rebuilt every frame (it is not in the cadence).
EVERY = {"error": 4, "loss": 4}


def reset_needed(old: dict, new: dict) -> list[str]:
    """Labels of the changed fields that need a new run (the formula only when in use)."""
    changed = SCHEMA.reset_needed(old, new)
    if FORMULA not in (old.get("target"), new.get("target")):
        changed = [label for label in changed if label != SCHEMA["formula"].label]
    return changed


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
    fields = [f.name for f in SCHEMA if f.resets and (f.name != "formula" or config["target"] == FORMULA)]
    return (*(config[f] for f in fields), config["optimizer"], config["learning_rate"], config["batch_size"], *extra)


@dataclass(slots=True)
class Record:
    """The error of a width once training had settled there (on the dense grid)."""

    width: int
    max_error: float
    rmse: float
    epoch: int


@dataclass(slots=True)
class ApproximationRun:
    """Everything one session trains and draws. ``records`` maps width to its settled
    error; ``events`` lists (epoch, old width, new width) of every surgery."""

    config: dict
    target: Target
    trainer: Trainer
    rng: np.random.Generator  # draws the incoming weights of added neurons
    grid: np.ndarray = field(default_factory=grid_1d)
    grid_values: np.ndarray | None = None
    jumps: list[tuple[float, float]] = field(default_factory=list)  # (x, height) of each jump of the target
    records: dict[int, Record] = field(default_factory=dict)
    events: list[tuple[int, int, int]] = field(default_factory=list)
    changed_at: int = 0  # epoch of the last surgery: settling is judged from there
    diverged: str | None = None  # the message, once training diverged
    cadence: Cadence = field(default_factory=lambda: Cadence(dict(EVERY)))  # the slow live charts
    samples_image: dict | None = None  # the samples' picture, drawn once (the samples never change)
    measured: tuple | None = None  # ((step, epoch, network id), (max error, RMSE)): errors() of now

    @property
    def network(self) -> Network:
        return self.trainer.network

    @property
    def discontinuous(self) -> bool:
        """Whether the target jumps somewhere on the interval."""
        return bool(self.jumps)

    @property
    def width(self) -> int:
        return self.network.sizes[1]

    def errors(self) -> tuple[float, float]:
        """(max error, RMSE) of the network now against the clean target on the grid."""
        key = (self.trainer.step, self.trainer.epoch, id(self.network))
        if self.measured is None or self.measured[0] != key:
            self.measured = (key, error_on_grid(self.network, self.grid_values, self.grid))
        return self.measured[1]

    def settled(self) -> bool:
        since = self.trainer.epoch - self.changed_at
        return since > 0 and has_settled(self.trainer.history.train_loss[-since:])


def settled_rows(run: ApproximationRun) -> list[tuple[int, float, float]]:
    """(width, max error, RMSE) of each width at which training settled, by width."""
    return sorted((r.width, r.max_error, r.rmse) for r in run.records.values())


def samples_around_jump(run: ApproximationRun) -> tuple[float, float, float] | None:
    """(x of the target's first jump with training samples on both sides, the nearest
    sample before it, the nearest at or after it), or None."""
    x = run.trainer.X_train[:, 0]
    for x0, _ in run.jumps:
        before, after = x[x < x0], x[x >= x0]
        if before.size and after.size:
            return x0, float(before.max()), float(after.min())
    return None


def build_run(config: dict) -> ApproximationRun:
    """A fresh run: the same config always gives the same data and initial weights.
    Raises ValueError (a FormulaError for a bad formula) with a sentence for the page."""
    target = target_of(config)
    settings = settings_of(config)
    network = make_network([int(config["neurons"])], settings.activation, settings.initializer, settings.seed)
    trainer = make_trainer(network, target, settings)
    run = ApproximationRun(dict(config), target, trainer, np.random.default_rng([settings.seed, 2]))
    run.grid_values = target.f(run.grid)
    run.jumps = jumps(target.f)
    return run


def apply_live_settings(run: ApproximationRun, config: dict) -> None:
    """Learning rate, batch size and optimizer change without a reset (a new kind of
    optimizer starts with fresh state); so do the speed, growth and batch-job settings.
    The width changes by ``resize``."""
    settings = settings_of(config)
    trainer = run.trainer
    trainer.learning_rate = settings.learning_rate
    trainer.batch_size = settings.batch_size or len(run.target.data)
    if trainer.optimizer.name != settings.optimizer:
        trainer.optimizer = make_optimizer(settings.optimizer)
    run.config.update({name: config[name] for name in SCHEMA.live_fields() if name != "neurons"})


def train(run: ApproximationRun, epochs: int, time_budget: float | None = None):
    """Train up to ``epochs`` (within ``time_budget`` seconds); record the error at this
    width once training has settled; a divergence is kept in ``run.diverged``."""
    report = run.trainer.train(epochs, time_budget)  # the history bounds itself (engine.trainer.History)
    if report.diverged:
        run.diverged = divergence_message(report.message, report.reason)
    elif run.settled():
        if run.width not in run.records:
            run.cadence.forget("error")  # a new point on the chart
        max_error, rmse = run.errors()
        run.records[run.width] = Record(run.width, max_error, rmse, run.trainer.epoch)
    return report


def resize(run: ApproximationRun, width: int) -> int:
    """Grow to ``width`` hidden neurons (new ones with output weight 0: the function does
    not change) or shrink by removing the weakest neuron (smallest |v_j|) until there.
    Returns the width reached (1 to MAX_NEURONS)."""
    width = min(max(int(width), 1), MAX_NEURONS)
    old, network = run.width, run.network
    if width == old:
        return old
    init = spread_initializer() if run.config["initializer"] == SPREAD else None
    while network.sizes[1] < width:
        network = add_neuron(network, 0, run.rng, init)
    while network.sizes[1] > width:
        network = remove_neuron(network, 0, weakest_neuron(network, 0))
    run.trainer.replace_network(network)
    run.events.append((run.trainer.epoch, old, width))
    run.changed_at = run.trainer.epoch
    run.diverged = None
    run.config["neurons"] = width
    run.cadence.forget("error", "loss")
    return width


def grow_if_settled(run: ApproximationRun) -> bool:
    """In a grow mode ("add" or "double"), widen the network once training has settled
    (its error is recorded first, by ``train``). True if it grew."""
    old, mode = run.width, run.config["grow"]
    if mode == "off" or old >= MAX_NEURONS or not run.settled():
        return False
    return resize(run, old + 1 if mode == "add" else 2 * old) > old


def advance(run: ApproximationRun, budget: float) -> bool:
    """One live frame's training at the configured speed (``budget`` seconds at most),
    then growth if training settled; True when Play must stop (the run diverged)."""
    if run.diverged is None:
        speed = run.config["speed"]
        train(run, 10**6 if speed == "max" else int(speed), budget)
        if run.diverged is None:
            grow_if_settled(run)
    return run.diverged is not None


def sweep(config: dict, progress=None, guard=nullcontext) -> list[FitResult]:
    """Widths 1, 2, 4, ..., 128 from scratch with the page's settings (each chunk of
    training inside ``guard()``)."""
    return sweep_widths(
        target_of(config),
        epochs=int(config["sweep_epochs"]),
        settings=settings_of(config),
        progress=progress,
        guard=guard,
    )


def depth_comparison(config: dict, progress=None, guard=nullcontext) -> list[FitResult]:
    """One wide layer against 2 to 4 narrow ones, at the configured parameter budget."""
    return compare_depths(
        target_of(config),
        int(config["budget"]),
        epochs=int(config["depth_epochs"]),
        settings=settings_of(config),
        progress=progress,
        guard=guard,
    )
