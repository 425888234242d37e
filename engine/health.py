"""Network health while training, and a diagnosis of what goes wrong.

The trainer measures, per weight layer (the hidden layers, then the output layer), from
the passes it makes anyway (no extra pass over the data):

- ``grad_rms``: the RMS of dL/dW[i] (weights, not biases) of the epoch's last mini-batch,
  with the regularization term as training used it. NaN at epoch 0 (nothing trained).
- ``weight_rms``: the RMS of W[i].
- ``update_ratio``: RMS(ΔW[i] over the epoch) / (optimizer steps in it) / RMS(W[i] before
  it): the relative change per step, ≈ lr·|g|/|w| for sgd. NaN at epoch 0.
- ``dead_share``: relu hidden layers only (leaky_relu and elu never die): the share of
  units whose activation is exactly 0 on every training point. 0 elsewhere.
- ``saturated_share``: tanh and sigmoid hidden layers: the share of units with |z| >
  ``SATURATION_Z`` on more than half of the training points. 0 elsewhere.
- ``act_q10``, ``act_q50``, ``act_q90``: quantiles of the layer's activations over the
  first ``quantile_points`` training points (256, fewer for layers wider than 4 units, so
  that a sort never takes more than 1,024 values) and all its units (the output layer too).

The activations are those of the evaluation pass ``Trainer`` runs after every epoch over
train and test points (``Network.last_pass``); the gradient is the one still in
``Network.grad_W`` after the epoch's last batch. ``HealthHistory`` holds the records,
``UnitHealth`` the newest per-unit state, ``diagnose`` reads them into ``Finding``s and
``converging_rate`` looks for a learning rate that trains.
"""

import math
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from engine.network import Network
from engine.thinning import thinned

if TYPE_CHECKING:  # the trainer imports this module: no import at run time
    from engine.trainer import Trainer

HEALTH_STATS = (
    "grad_rms",
    "weight_rms",
    "update_ratio",
    "dead_share",
    "saturated_share",
    "act_q10",
    "act_q50",
    "act_q90",
)
QUANTILES = (0.1, 0.5, 0.9)  # act_q10, act_q50, act_q90
QUANTILE_POINTS = 256  # the quantiles read at most this many training points (a sort is the dearest part) ...
QUANTILE_VALUES = 1024  # ... and at most this many values of a layer: fewer points for a wider layer


def quantile_points(n_train: int, fan_out: int) -> int:
    """How many of the first training points a layer of ``fan_out`` units reads for its
    activation quantiles: ``QUANTILE_POINTS``, fewer for layers wider than 4 units (at
    least 1), never more than there are."""
    return min(n_train, QUANTILE_POINTS, max(1, QUANTILE_VALUES // fan_out))


SATURATION_Z = 3.0  # tanh'(3) ≈ 0.01, sigmoid'(3) ≈ 0.045: almost no gradient passes
DYING = ("relu",)  # activations that are exactly 0 for every z <= 0
SATURATING = ("tanh", "sigmoid")
EVERY_EPOCH_UNTIL = 100  # health is recorded every epoch up to here, then ever more sparsely

# ---- diagnosis thresholds ------------------------------------------------------------------
VANISHING_RATIO = 1e-3  # layer 0's grad_rms below this fraction of the output layer's ...
VANISHING_RECORDS = 7  # ... in the median over the last this many health records (one batch's gradient is noisy)
VANISHING_MIN_LAYERS = 3  # weight layers: with fewer, nothing can vanish between them
VANISHING_MIN_GRAD = 1e-8  # the output layer's own gradient above this: else nothing flows (dead), or all is learned
DEAD_SHARE = 0.5  # more than this share of a relu layer dead
SATURATED_SHARE = 0.5  # more than this share of a tanh/sigmoid layer saturated
SYMMETRY_TOLERANCE = 1e-12  # units whose incoming weights and bias differ by no more
STALL_EPOCHS = 300  # the train loss changed by less than STALL_CHANGE over this many epochs
STALL_CHANGE = 0.01
STALL_LOSS_SHARE = 0.5  # regression: still above this share of the epoch-0 loss
STALL_ACCURACY = 0.9  # classification: train accuracy still below this
OVERFIT_RISE = 0.10  # test loss this fraction above its minimum ...
OVERFIT_MIN_RISE = 0.05  # ... and by at least this share of the epoch-0 test loss (noise at tiny losses is no overfit)
OVERFIT_MIN_EPOCHS = 50  # ... at least this many epochs after the minimum
BOUNCING_EPOCHS = 20  # divergence without a NaN: the train loss over the last this many epochs ...
BOUNCING_RISE = 1.1  # ... all above this multiple of its epoch-0 value
CONVERGED_SHARE = 0.8  # converging_rate: the train loss must fall below this share of its start
RATE_DIVISORS = (10, 30, 100, 300)


def health_due(epoch: int) -> bool:
    """Whether epoch ``epoch`` is on the recording stride: every epoch up to 100, then every
    2nd to 200, every 4th to 400, every 8th to 800..., so that ~50 records per doubling
    of the run are made and the cost per epoch falls as a run grows."""
    return epoch % (1 << ((epoch - 1) // EVERY_EPOCH_UNTIL).bit_length()) == 0


def _floats() -> array:
    return array("d")


@dataclass
class HealthHistory:
    """Health records: ``epoch`` says which epoch each is of; per statistic of
    ``HEALTH_STATS``, one column per weight layer (``n_layers`` columns: hidden layers then
    the output layer), in ``columns[stat][layer]``, ``array('d')`` aligned with ``epoch``.

    Bounded like ``trainer.History``: past ``MAX_ENTRIES`` records, the older ones (all but
    the ``RECENT`` newest) are thinned to every second one, the first always kept. At most
    ~8 * 8 * n_layers * MAX_ENTRIES bytes (590 kB for 9 layers).
    """

    MAX_ENTRIES: ClassVar[int] = 1024
    RECENT: ClassVar[int] = 256

    n_layers: int
    epoch: array = field(default_factory=lambda: array("q"))
    columns: dict[str, list[array]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.columns:
            self.columns = {stat: [_floats() for _ in range(self.n_layers)] for stat in HEALTH_STATS}

    def append(self, epoch: int, values: dict[str, np.ndarray]) -> None:
        """Record one epoch: ``values[stat]`` (n_layers,) for every stat of ``HEALTH_STATS``."""
        rows = [np.asarray(values[stat], dtype=float) for stat in HEALTH_STATS]
        for stat, row in zip(HEALTH_STATS, rows):
            if row.shape != (self.n_layers,):
                raise ValueError(f"{stat} needs {self.n_layers} value(s), one per weight layer; got shape {row.shape}")
        # One conversion to Python floats, then plain appends (a NumPy scalar each is dearer).
        numbers = np.concatenate(rows).tolist()
        self.epoch.append(int(epoch))
        k = 0
        for stat in HEALTH_STATS:
            for column in self.columns[stat]:
                column.append(numbers[k])
                k += 1
        if len(self.epoch) > self.MAX_ENTRIES:
            self._thin()

    def _thin(self) -> None:
        keep = thinned(len(self.epoch), self.RECENT)
        self.epoch = array("q", (self.epoch[i] for i in keep))
        for stat, cols in self.columns.items():
            self.columns[stat] = [array("d", (col[i] for i in keep)) for col in cols]

    def pop(self) -> None:
        """Forget the newest record."""
        if self.epoch:
            self.epoch.pop()
            for cols in self.columns.values():
                for col in cols:
                    col.pop()

    def column(self, stat: str, layer: int) -> np.ndarray:
        """``stat`` of weight layer ``layer`` over the records (len(self),), aligned with
        ``epochs()``; a copy. ValueError for an unknown stat, IndexError for a bad layer."""
        if stat not in self.columns:
            raise ValueError(f"unknown health statistic {stat!r}; valid: {', '.join(HEALTH_STATS)}")
        return np.array(self.columns[stat][layer], dtype=float)

    def epochs(self) -> np.ndarray:
        """The epoch of each record (len(self),), int64; a copy."""
        return np.array(self.epoch, dtype=np.int64)

    def latest(self) -> dict[str, np.ndarray] | None:
        """The newest record, ``{stat: (n_layers,)}``, or None when there is none."""
        if not self.epoch:
            return None
        return {stat: np.array([col[-1] for col in cols]) for stat, cols in self.columns.items()}

    def __len__(self) -> int:
        return len(self.epoch)


@dataclass
class UnitHealth:
    """The newest per-unit state, one entry per hidden layer: ``dead[i]`` and
    ``saturated[i]`` bool (fan_out,), and ``dead_since[i]`` int64 (fan_out,), the epoch of
    the first health record of each dead unit's current dead streak (-1 if alive).

    Streaks are seen at health records only (see ``health_due``): a unit that died and
    came back between two records is not seen, and "since" is as exact as the stride."""

    dead: list[np.ndarray]
    saturated: list[np.ndarray]
    dead_since: list[np.ndarray]


class HealthMeter:
    """Measures a network's health from the passes a trainer made (see the module
    docstring). One per network: it keeps, for the network's parameter vector, which weight
    layer each entry belongs to, so that every statistic over all layers is one
    ``np.bincount`` (with batches of 10, time goes to the number of NumPy calls)."""

    def __init__(self, network: Network):
        self.network = network
        n = network.n_layers
        labels = np.empty(network.n_params, dtype=np.intp)
        W_labels, b_labels = network.unflatten(labels)
        for i, (w, b) in enumerate(zip(W_labels, b_labels)):
            w[...] = i
            b[...] = n  # biases: a bin of their own, dropped
        self.labels = labels
        self.counts = np.array([w.size for w in network.W], dtype=float)
        self.hidden = network.hidden_activation_names
        self._quantile_plans: dict[int, tuple] = {}

    def _layer_rms(self, flat: np.ndarray) -> np.ndarray:
        """RMS of each layer's weights of a vector aligned with params: (n_layers,)."""
        sums = np.bincount(self.labels, weights=flat * flat, minlength=len(self.counts) + 1)
        return np.sqrt(sums[:-1] / self.counts)

    def measure(
        self,
        n_train: int,
        n_pass: int,
        start: tuple[np.ndarray, int] | None,
        step: int,
    ) -> tuple[dict[str, np.ndarray], list[np.ndarray], list[np.ndarray]]:
        """One record: ``({stat: (n_layers,)}, dead, saturated)``, the last two a bool
        (fan_out,) per hidden layer.

        The activations are those of the network's last pass over ``n_pass`` samples whose
        first ``n_train`` are the training points (the trainer's evaluation pass).
        ``start`` is (params before the epoch (n_params,), the step counter then), or None
        when no epoch of training lies behind this record (epoch 0, a new network): then
        grad_rms and update_ratio are NaN. ``step`` is the step counter now.
        """
        net = self.network
        L = net.n_layers
        nan = np.full(L, np.nan)
        weight_rms = self._layer_rms(net.params)
        grad_rms, update_ratio = nan, nan.copy()
        if start is not None:
            before, step_before = start
            grad_rms = self._layer_rms(net.grads)
            steps = step - step_before
            if steps > 0:
                update_ratio = self._layer_rms(net.params - before) / steps / self._layer_rms(before)
        zs, acts = net.last_pass(n_pass)
        dead_share, saturated_share = np.zeros(L), np.zeros(L)
        dead, saturated = [], []
        for i, name in enumerate(self.hidden):
            fan_out = len(acts[i])
            if name in DYING:
                # relu is exactly 0 for z <= 0: dead where no training point gives a non-zero.
                units = ~np.logical_or.reduce(acts[i][:, :n_train], axis=1)
                dead_share[i] = np.count_nonzero(units) / fan_out
            else:
                units = np.zeros(fan_out, dtype=bool)
            dead.append(units)
            if name in SATURATING:
                far = np.add.reduce(np.abs(zs[i][:, :n_train]) > SATURATION_Z, axis=1)
                units = 2 * far > n_train  # more than half of the training points
                saturated_share[i] = np.count_nonzero(units) / fan_out
            else:
                units = np.zeros(fan_out, dtype=bool)
            saturated.append(units)
        q = np.array([self._quantiles(a[:, : quantile_points(n_train, len(a))]) for a in acts]).T  # (3, n_layers)
        values = {
            "grad_rms": grad_rms,
            "weight_rms": weight_rms,
            "update_ratio": update_ratio,
            "dead_share": dead_share,
            "saturated_share": saturated_share,
            "act_q10": q[0],
            "act_q50": q[1],
            "act_q90": q[2],
        }
        return values, dead, saturated

    def _quantiles(self, values: np.ndarray) -> np.ndarray:
        """``np.quantile(values, QUANTILES)`` (linear interpolation) over all entries, from
        one sort, its indices worked out once per number of values (np.quantile's own
        checks cost more than the sort on a few thousand values; a partition at several
        indices costs several sorts)."""
        n = values.size
        plan = self._quantile_plans.get(n)
        if plan is None:
            plan = self._quantile_plans[n] = _quantile_plan(n)
        lo, hi, t = plan
        if lo is None:
            return np.full(len(QUANTILES), np.nan)
        ordered = np.sort(values, axis=None)  # flattened, a new array; NaN sorts last
        a = ordered[lo]
        result = a + (ordered[hi] - a) * t
        if np.isnan(ordered[-1]):  # np.quantile gives NaN when any value is NaN
            result[:] = np.nan
        return result


def _quantile_plan(n: int) -> tuple:
    """(lo, hi, t) for ``QUANTILES`` of n values: quantile q lies at position q·(n − 1) of
    the sorted values, between lo and hi = lo + 1, a share t of the way."""
    if n == 0:
        return None, None, None
    pos = np.array(QUANTILES) * (n - 1)
    lo = np.floor(pos).astype(np.intp)
    return lo, np.minimum(lo + 1, n - 1), pos - lo


def next_units(previous: UnitHealth | None, dead: list, saturated: list, epoch: int) -> UnitHealth:
    """The per-unit state after a record at ``epoch``: a dead unit keeps the start of its
    streak from ``previous`` when it was dead there too (same layer shapes), else starts
    one now."""
    since = []
    for i, units in enumerate(dead):
        was = None
        if previous is not None and i < len(previous.dead) and previous.dead[i].shape == units.shape:
            was = previous
        started = np.where(units, epoch, -1).astype(np.int64)
        if was is not None:
            started = np.where(units & was.dead[i], was.dead_since[i], started)
        since.append(started)
    return UnitHealth(dead, saturated, since)


# ---- diagnosis ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One thing ``diagnose`` found: ``kind`` (one of ``KINDS``), the weight layer it is
    about (None for the whole network), and the numbers that show it, by name."""

    kind: str
    layer: int | None
    numbers: dict[str, float]


KINDS = ("divergence", "vanishing", "dead", "saturated", "symmetry", "stalling", "overfitting")


def _column(values) -> np.ndarray:
    return np.array(values, dtype=float)


def diagnose(trainer: "Trainer") -> list[Finding]:
    """What is going wrong with this run, if anything: a list of ``Finding``s in the order
    of ``KINDS`` (empty for a healthy run). Pure: reads ``trainer.history``,
    ``trainer.health``, ``trainer.units``, ``trainer.network``, ``trainer.diverged_at`` and
    ``trainer.learning_rate``, changes nothing. The rules and their thresholds are the
    module's constants; see each ``_finding`` function."""
    with np.errstate(all="ignore"):
        findings = [
            f
            for f in (
                _divergence(trainer),
                _vanishing(trainer),
                *_dead(trainer),
                *_saturated(trainer),
                *_symmetry(trainer),
            )
            if f is not None
        ]
        if not findings:  # stalling only when nothing above explains it
            stall = _stalling(trainer)
            if stall is not None:
                findings.append(stall)
        over = _overfitting(trainer)
        if over is not None:
            findings.append(over)
    return findings


def _largest_update_ratio(trainer: "Trainer") -> float:
    """The largest update_ratio of the newest health record (NaN if none is finite)."""
    latest = trainer.health.latest()
    if latest is None or not np.any(np.isfinite(latest["update_ratio"])):
        return math.nan
    return float(np.nanmax(latest["update_ratio"]))


def _divergence(trainer: "Trainer") -> Finding | None:
    """The trainer stopped a diverging epoch (NaN, infinity, or a collapse), or the train
    loss has stayed above ``BOUNCING_RISE`` times its epoch-0 value over the last
    ``BOUNCING_EPOCHS`` epochs: steps so large that training makes the loss worse, though
    every number stays finite (tanh and sigmoid are bounded, so the weights do not run
    off to infinity: the loss bounces about above its start instead)."""
    h = trainer.history
    loss = _column(h.train_loss)
    if not len(loss):
        return None
    if trainer.diverged_at is None:
        epochs = np.array(h.epoch, dtype=np.int64)
        recent = loss[epochs >= epochs[-1] - BOUNCING_EPOCHS]
        if not (epochs[-1] - epochs[0] >= BOUNCING_EPOCHS and np.all(recent > BOUNCING_RISE * loss[0])):
            return None
    finite = np.where(np.isfinite(loss), loss, np.inf)
    best = int(np.argmin(finite))
    return Finding(
        "divergence",
        None,
        {
            "from_loss": float(loss[best]),
            "from_epoch": float(h.epoch[best]),
            "to_loss": float(loss[-1]),
            "epochs": float(h.epoch[-1] - h.epoch[best]),
            "update_ratio": _largest_update_ratio(trainer),
            "learning_rate": float(trainer.learning_rate),
            "diverged_at": math.nan if trainer.diverged_at is None else float(trainer.diverged_at),
        },
    )


def _vanishing(trainer: "Trainer") -> Finding | None:
    """Layer 0's gradient below ``VANISHING_RATIO`` of the output layer's, in the median of
    the ratio over the last ``VANISHING_RECORDS`` health records (one batch's gradient
    varies a lot from batch to batch), in a network of at least ``VANISHING_MIN_LAYERS``
    weight layers."""
    health = trainer.health
    n = health.n_layers
    if n < VANISHING_MIN_LAYERS or len(health) < VANISHING_RECORDS:
        return None
    first = health.column("grad_rms", 0)[-VANISHING_RECORDS:]
    last = health.column("grad_rms", n - 1)[-VANISHING_RECORDS:]
    ratio = float(np.median(first / last))
    if not (ratio < VANISHING_RATIO and np.median(last) > VANISHING_MIN_GRAD):  # NaN (epoch 0) fails
        return None
    numbers = {"ratio": ratio, "first": float(first[-1]), "last": float(last[-1]), "layers": float(n)}
    numbers.update({f"grad_{i}": float(health.column("grad_rms", i)[-1]) for i in range(n)})
    return Finding("vanishing", 0, numbers)


def _dead(trainer: "Trainer") -> list[Finding]:
    """relu hidden layers with more than ``DEAD_SHARE`` of their units dead (exactly 0 on
    every training point)."""
    units = trainer.units
    if units is None:
        return []
    found = []
    for i, dead in enumerate(units.dead):
        share = float(dead.mean()) if dead.size else 0.0
        if share > DEAD_SHARE:
            since = units.dead_since[i][dead]
            numbers = {"share": share, "dead": float(dead.sum()), "units": float(dead.size)}
            numbers["since"] = float(since.min())
            found.append(Finding("dead", i, numbers))
    return found


def _saturated(trainer: "Trainer") -> list[Finding]:
    """tanh or sigmoid hidden layers with more than ``SATURATED_SHARE`` of their units
    saturated (|z| > ``SATURATION_Z`` on more than half of the training points)."""
    units = trainer.units
    if units is None:
        return []
    found = []
    for i, sat in enumerate(units.saturated):
        share = float(sat.mean()) if sat.size else 0.0
        if share > SATURATED_SHARE:
            found.append(
                Finding("saturated", i, {"share": share, "saturated": float(sat.sum()), "units": float(sat.size)})
            )
    return found


def _symmetry(trainer: "Trainer") -> list[Finding]:
    """Hidden layers of at least 2 units whose units all have the same incoming weights and
    bias (within ``SYMMETRY_TOLERANCE``): they compute the same thing and get the same
    gradient, so they stay the same for ever (the zeros initializer)."""
    net = trainer.network
    found = []
    for i in range(net.n_layers - 1):
        W, b = net.W[i], net.b[i]
        if W.shape[1] < 2:
            continue
        spread = max(float(np.max(np.abs(W - W[:, :1]))), float(np.max(np.abs(b - b[0]))))
        if spread <= SYMMETRY_TOLERANCE:
            found.append(Finding("symmetry", i, {"units": float(W.shape[1]), "spread": spread}))
    return found


def _stalling(trainer: "Trainer") -> Finding | None:
    """The train loss changed by less than ``STALL_CHANGE`` (relative) over the last
    ``STALL_EPOCHS`` epochs while the problem is still far from solved: for classification
    the train accuracy is below ``STALL_ACCURACY`` (what a class sees), for regression the
    loss is above ``STALL_LOSS_SHARE`` of its epoch-0 value."""
    h = trainer.history
    epochs = np.array(h.epoch, dtype=np.int64)
    if not len(epochs) or epochs[-1] - epochs[0] < STALL_EPOCHS:
        return None
    loss = _column(h.train_loss)
    j = int(np.searchsorted(epochs, epochs[-1] - STALL_EPOCHS, side="right")) - 1
    then, now = loss[j], loss[-1]
    if not (abs(now - then) < STALL_CHANGE * abs(then)):
        return None
    numbers = {"epochs": float(epochs[-1] - epochs[j]), "loss": float(now), "start_loss": float(loss[0])}
    if trainer.problem == "classification":
        accuracy = float(h.train_accuracy[-1])
        if accuracy >= STALL_ACCURACY:
            return None
        numbers["accuracy"] = accuracy
    elif not now > STALL_LOSS_SHARE * loss[0]:
        return None
    return Finding("stalling", None, numbers)


def _overfitting(trainer: "Trainer") -> Finding | None:
    """The test loss rose at least ``OVERFIT_RISE`` above its minimum (and by at least
    ``OVERFIT_MIN_RISE`` of its epoch-0 value, at least ``OVERFIT_MIN_EPOCHS`` epochs
    after it) while the train loss kept falling since that epoch."""
    h = trainer.history
    test = _column(h.test_loss)
    train = _column(h.train_loss)
    if len(test) < 2 or not np.all(np.isfinite(test)):
        return None
    best = int(np.argmin(test))
    best_test, test_now = test[best], test[-1]
    rose = test_now >= (1 + OVERFIT_RISE) * best_test and test_now - best_test >= OVERFIT_MIN_RISE * test[0]
    if not (rose and h.epoch[-1] - h.epoch[best] >= OVERFIT_MIN_EPOCHS and train[-1] < train[best]):
        return None
    return Finding(
        "overfitting",
        None,
        {
            "best_test": float(best_test),
            "best_epoch": float(h.epoch[best]),
            "test_loss": float(test_now),
            "train_then": float(train[best]),
            "train_now": float(train[-1]),
        },
    )


def converging_rate(
    make_trainer: Callable[[float], "Trainer"],
    rate: float,
    *,
    epochs: int = 300,
    time_budget: float = 2.0,
) -> float | None:
    """A smaller learning rate that trains: ``make_trainer(lr)`` builds a fresh trainer from
    the same start; rate/10, rate/30, rate/100, rate/300 are tried in turn, each trained up
    to ``epochs`` epochs within an equal share of what is left of ``time_budget`` seconds.
    Returns the first that does not diverge and whose train loss falls below
    ``CONVERGED_SHARE`` of its epoch-0 loss, or None if none does."""
    deadline = time.perf_counter() + time_budget
    for k, divisor in enumerate(RATE_DIVISORS):
        candidate = rate / divisor
        share = max(deadline - time.perf_counter(), 0.0) / (len(RATE_DIVISORS) - k)
        trainer = make_trainer(candidate)
        report = trainer.train(epochs, time_budget=share)
        loss = trainer.history.train_loss
        if not report.diverged and loss[-1] < CONVERGED_SHARE * loss[0]:
            return candidate
    return None
