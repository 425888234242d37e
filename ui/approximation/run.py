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
from ui.approximation.config import DEFAULTS, DEPTH_PRESET, MAX_NEURONS, SCHEMA
from ui.live.cadence import Cadence, FrameWork
from ui.live.link import encode, query_string
from ui.live.stats import divergence_message

SAWTOOTH = "sawtooth"  # the target that has teeth

# While playing, the error and loss charts are rebuilt every few frames only: they change
# slowly. The fit is rebuilt every frame (it is not in the cadence).
EVERY = {"error": 4, "loss": 4}
BUSY_EVERY = {"error": 8, "loss": 8}  # on a busy server (ui/live/cadence.py)


# Fields that belong to one target only: (field, the target that uses it).
TARGET_FIELDS = (("formula", FORMULA), ("teeth", SAWTOOTH))


def reset_needed(old: dict, new: dict) -> list[str]:
    """Labels of the changed fields that need a new run (the formula and the teeth only
    when their target is in use)."""
    changed = SCHEMA.reset_needed(old, new)
    for name, target in TARGET_FIELDS:
        if target not in (old.get("target"), new.get("target")):
            changed = [label for label in changed if label != SCHEMA[name].label]
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
        config["target"],
        int(config["n_samples"]),
        config["noise"] / 100,
        int(config["data_seed"]),
        config["formula"],
        int(config["teeth"]),
    )


def signature(config: dict, *extra) -> tuple:
    """What a sweep's or comparison's result depends on: shown only while it still holds."""
    unused = {name for name, target in TARGET_FIELDS if config["target"] != target}
    fields = [f.name for f in SCHEMA if f.resets and f.name not in unused]
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
    cadence: Cadence = field(default_factory=lambda: Cadence(dict(EVERY), dict(BUSY_EVERY)))  # the slow live charts
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


NOMINAL_FRAME_SECONDS = 0.025  # the speed's "frame": 40 a second, the live panel's pace when the server is free


def epochs_for(speed: str, seconds: float) -> int:
    """Epochs a frame that stands for ``seconds`` on screen trains at ``speed`` epochs per
    nominal frame (max: as many as the budget allows): frames further apart on a busy
    server train proportionally more."""
    if speed == "max":
        return 10**6
    return int(speed) * max(1, round(seconds / NOMINAL_FRAME_SECONDS))


def advance(run: ApproximationRun, work: FrameWork) -> bool:
    """One live frame's training at the configured speed (``work``: the frame's time on
    screen and its training budget, ui/live/loop.py), then growth if training settled;
    True when Play must stop (the run diverged)."""
    if run.diverged is None:
        train(run, epochs_for(run.config["speed"], work.seconds), work.budget)
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


PATH = "/universal-approximation"


def preset_config() -> dict:
    """The whole configuration of ``DEPTH_PRESET``: the defaults and its changes."""
    config = {**DEFAULTS, **DEPTH_PRESET}
    return {key: SCHEMA.coerce(key, value) for key, value in config.items()}


def preset_url() -> str:
    """The preset's link, relative to the app:
    ``/universal-approximation?target=sawtooth&n_samples=1000&budget=200``."""
    return f"{PATH}?{query_string(encode(SCHEMA, preset_config()))}"


def depth_signature(config: dict) -> tuple:
    """What a depth comparison's result depends on: ``signature`` with its budget and epochs."""
    return signature(config, config["budget"], config["depth_epochs"])


@dataclass(frozen=True, slots=True)
class DepthComparison:
    """A finished width-versus-depth comparison, as the session keeps its latest one
    (``st.session_state[ui.state.ApproxKeys.DEPTH]``, absent before the first: use ``.get``).

    ``results``: the trained networks by depth (1, 2, 3, 4 hidden layers; the first the
    one wide layer), each a ``FitResult`` with its ``rmse`` and ``max_error`` on the
    page's 1,001-point grid against the clean target; ``target``: the target's key
    ("sawtooth", ...), ``teeth`` the sawtooth's teeth (None for other targets),
    ``label`` as the page names it; ``budget`` the parameter budget asked for,
    ``epochs`` per network, ``seed`` the weights seed (and batch order);
    ``signature``: the settings it was run with (``depth_signature``), the page shows it
    only while they hold. Pure data: read it with ``depth_wins`` / ``depth_outcome``."""

    signature: tuple
    target: str
    label: str
    teeth: int | None
    budget: int
    epochs: int
    seed: int
    results: tuple[FitResult, ...]


def run_depth_comparison(config: dict, progress=None, guard=nullcontext) -> DepthComparison:
    """``depth_comparison`` with what it was run for: what the session keeps."""
    results = depth_comparison(config, progress, guard)
    key = config["target"]
    return DepthComparison(
        signature=depth_signature(config),
        target=key,
        label=target_of(config).label,
        teeth=int(config["teeth"]) if key == SAWTOOTH else None,
        budget=int(config["budget"]),
        epochs=int(config["depth_epochs"]),
        seed=int(config["init_seed"]),
        results=tuple(results),
    )


@dataclass(frozen=True, slots=True)
class DepthOutcome:
    """Who won a comparison: the one-layer network, the best deeper one (lowest RMSE),
    whether that is below the one layer's (``wins``) and by what factor."""

    shallow: FitResult
    deep: FitResult
    wins: bool
    ratio: float  # shallow RMSE / deep RMSE: above 1 when depth wins


def depth_outcome(results) -> DepthOutcome:
    """The outcome of ``results`` (a ``DepthComparison`` or its ``results``: a sequence of
    ``FitResult``, one with one hidden layer and at least one deeper). Ties go to the
    one layer (and to the shallower of equal deep ones)."""
    results = results.results if isinstance(results, DepthComparison) else tuple(results)
    shallow = [r for r in results if r.depth == 1]
    deeper = [r for r in results if r.depth > 1]
    if len(shallow) != 1 or not deeper:
        raise ValueError("a depth comparison needs one network with one hidden layer and at least one deeper")
    deep = min(deeper, key=lambda r: (r.rmse, r.depth))
    ratio = shallow[0].rmse / deep.rmse if deep.rmse > 0 else float("inf")
    return DepthOutcome(shallow[0], deep, deep.rmse < shallow[0].rmse, ratio)


def depth_wins(results) -> bool:
    """Whether trained depth won a width-versus-depth comparison: the best deeper
    network's RMSE on the grid (against the clean target; the page's held-out measure)
    is below the one-hidden-layer network's. ``results``: a ``DepthComparison`` (what
    the session keeps under ``ApproxKeys.DEPTH``) or its list of ``FitResult``. Pure.

    A lesson checker::

        comparison = st.session_state.get(ApproxKeys.DEPTH)  # None before the first
        done = comparison is not None and comparison.target == "sawtooth" and comparison.teeth == 8
        won = done and depth_wins(comparison)
    """
    return depth_outcome(results).wins
