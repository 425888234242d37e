"""Training: the split, mini-batches, counters, history, health, and divergence handling."""

import copy
import time
from array import array
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from engine.health import HealthHistory, HealthMeter, UnitHealth, health_due, next_units
from engine.losses import class_target_values, get_loss
from engine.network import Network
from engine.optimizers import make_optimizer
from engine.split import split_indices
from engine.thinning import thinned

PROBLEMS = ("classification", "regression")
INFINITE = "the loss or a weight became infinite"
# The settings a twin (Trainer.twin) may change: the data, the split and the seed are shared.
TWIN_SETTINGS = (
    "loss",
    "optimizer",
    "learning_rate",
    "batch_size",
    "shuffle",
    "l1",
    "l2",
    "optimizer_settings",
    "health",
)
COLLAPSED = "the loss rose and the output stopped depending on the input (its neurons died or saturated)"


def _floats() -> array:
    return array("d")


@dataclass
class History:
    """One entry per epoch, starting with epoch 0 (the untrained network): ``epoch`` says
    which. Accuracies are fractions in [0, 1] for classification, empty for regression.

    Bounded, so that an hour of Play does not grow a session without end: past
    ``MAX_ENTRIES`` entries, the older ones (all but the ``RECENT`` newest) are thinned to
    every second one, the first always kept, so older stretches of a long run are held
    ever more sparsely, the recent epochs one by one. The columns are ``array.array`` of
    8-byte numbers (not lists of Python objects): at most ~160 kB a run.
    """

    MAX_ENTRIES: ClassVar[int] = 4096
    RECENT: ClassVar[int] = 1024

    epoch: array = field(default_factory=lambda: array("q"))
    train_loss: array = field(default_factory=_floats)
    test_loss: array = field(default_factory=_floats)
    train_accuracy: array = field(default_factory=_floats)
    test_accuracy: array = field(default_factory=_floats)

    def append(self, epoch: int, train_loss: float, test_loss: float, train_accuracy=None, test_accuracy=None):
        """Record one epoch (the accuracies for classification only); thin when full."""
        self.epoch.append(epoch)
        self.train_loss.append(train_loss)
        self.test_loss.append(test_loss)
        if train_accuracy is not None:
            self.train_accuracy.append(train_accuracy)
            self.test_accuracy.append(test_accuracy)
        if len(self.epoch) > self.MAX_ENTRIES:
            self._thin()

    def _thin(self) -> None:
        keep = thinned(len(self.epoch), self.RECENT)
        for name, column in self._columns():
            if column:
                setattr(self, name, array(column.typecode, (column[i] for i in keep)))

    def pop(self) -> None:
        """Forget the newest entry."""
        for _, column in self._columns():
            if column:
                column.pop()

    def _columns(self):
        return [
            (name, getattr(self, name))
            for name in ("epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy")
        ]

    def as_columns(self) -> dict[str, array]:
        """The non-empty columns by name, in order."""
        return {name: column for name, column in self._columns() if column}


@dataclass
class TrainReport:
    """What one ``Trainer.train`` (or ``train_batch``) call did."""

    epochs_run: int  # epochs completed (train_batch: 1 when its batch was the epoch's last)
    diverged: bool = False
    message: str = ""  # "diverged at epoch N"
    reason: str = ""  # what went wrong, in a sentence


@dataclass(slots=True)
class Batch:
    """One mini-batch of an epoch, as ``Trainer.next_batch`` gives it (copies: changing
    them changes nothing in the trainer).

    ``rows (b,)`` index the training set (``X_train``, ``y_train``, ``Y_train``; for the
    rows of the X given to the trainer, ``Trainer.train_index[rows]``, except for rows
    added by ``add_training_data``, which come after ``len(train_index)``). ``X (b,
    n_inputs)`` are its inputs, ``Y (b, n_outputs)`` its targets encoded as the loss takes
    them, ``labels`` its ``y_train`` rows ((b,) class labels, or (b, n_outputs) numbers for
    regression). It is batch ``index`` (0-based) of the ``count`` batches of its epoch.
    """

    rows: np.ndarray
    X: np.ndarray
    Y: np.ndarray
    labels: np.ndarray
    index: int
    count: int

    def take(self, values) -> np.ndarray:
        """``values[rows]`` of an array aligned with the training set, (n_train, ...) ->
        (b, ...): e.g. the points as drawn, before a feature transform."""
        return np.asarray(values)[self.rows]


@dataclass(slots=True)
class _EpochPlan:
    """An epoch under way: the order of the training rows, drawn when it began, cut into
    mini-batches, and how many of them are trained.

    ``order (n_train,)``; ``batches[k]`` = (A, Y) of batch k: its inputs in the network's
    batch form (``Network.batch_inputs``, (n_inputs + 1, b)) and its encoded targets
    (b, n_outputs); batch k holds ``order[k * size : (k + 1) * size]`` (the last may be
    smaller). ``done`` batches are trained. ``full`` holds the full batches' arrays whose
    views ``batches`` are: inputs (n_full, n_inputs + 1, size) and targets (n_full, size,
    n_outputs) (engine.stacked stacks them once an epoch, not once a batch)."""

    order: np.ndarray
    size: int
    batches: list
    done: int = 0
    full: tuple[np.ndarray, np.ndarray] | None = None


class Trainer:
    """Trains a ``Network`` on (X, y), which it splits into train and test parts.

    X (n_samples, n_inputs). For ``problem="classification"``, y holds integer class labels
    (n_samples,): 0/1 with one output unit, 0..k-1 with k output units. For
    ``"regression"``, y is (n_samples,) or (n_samples, n_outputs) of numbers.
    ``seed`` fixes the split and the shuffling of batches.

    With ``health`` (the default), ``health`` is a ``HealthHistory`` of the network's
    health (``engine.health``: gradient and weight sizes, update ratio, dead and saturated
    units, activation quantiles per layer), recorded at epoch 0, then on ``health_due``'s
    stride (every epoch up to 100, then ever more sparsely), and always at the last epoch
    of each ``train`` call and at an epoch completed by ``train_batch``; ``units`` is the
    newest per-unit state (``UnitHealth``). It reads what training computed anyway (no
    extra pass), changes nothing training does (the weights are bit for bit those of
    ``health=False``), and a diverged epoch, undone, leaves no record. With
    ``health=False`` (or ``records_health`` set False later) nothing is recorded:
    ``health`` stays empty and ``units`` None.
    """

    def __init__(
        self,
        network: Network,
        X,
        y,
        *,
        loss: str = "quadratic",
        optimizer: str = "sgd",
        learning_rate: float = 0.03,
        batch_size: int = 10,
        train_fraction: float = 0.5,
        shuffle: bool = True,
        l1: float = 0.0,
        l2: float = 0.0,
        problem: str = "classification",
        seed: int = 0,
        optimizer_settings: dict | None = None,
        health: bool = True,
        twin_of: "Trainer | None" = None,
    ):
        """``twin_of``: start as that trainer started (see ``twin``, which passes it); X, y,
        ``train_fraction`` and ``seed`` are then not used."""
        if problem not in PROBLEMS:
            raise ValueError(f"unknown problem {problem!r}; valid: {', '.join(PROBLEMS)}")
        self.network = network
        self.problem = problem
        self.loss = get_loss(loss)
        self.optimizer = make_optimizer(optimizer, **(optimizer_settings or {}))
        self.learning_rate = learning_rate
        self._plan: _EpochPlan | None = None  # the epoch under way (see next_batch), or None
        self._kept_order: np.ndarray | None = None  # a dropped plan's order, no batch of it trained
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.l1, self.l2 = l1, l2

        if twin_of is None:
            X = network.check_input(X)
            y = self._check_labels(np.asarray(y), len(X))
            split_seed, shuffle_seed = np.random.SeedSequence(seed).spawn(2)
            # Which rows of X went where, so callers can show the points of each part.
            self.train_index, self.test_index = split_indices(len(X), train_fraction, np.random.default_rng(split_seed))
            self.X_train, self.y_train = X[self.train_index], y[self.train_index]
            self.X_test, self.y_test = X[self.test_index], y[self.test_index]
            self._rng = np.random.default_rng(shuffle_seed)
        else:  # the same rows, and the shuffling generator as it was at that trainer's epoch 0
            self.train_index, self.test_index = twin_of.train_index.copy(), twin_of.test_index.copy()
            self.X_train, self.y_train = twin_of.X_train.copy(), twin_of.y_train.copy()
            self.X_test, self.y_test = twin_of.X_test.copy(), twin_of.y_test.copy()
            self._check_labels(self.y_train, len(self.y_train))  # the outputs fit the labels
            self._rng = np.random.default_rng()
            self._rng.bit_generator.state = twin_of.shuffle_start
        self._shuffle_start = self._rng.bit_generator.state  # a copy: where every twin's shuffling starts
        self._prepare_data()
        self._begin(health)

    def _begin(self, health: bool) -> None:
        """Epoch 0: the counters, the history's first entry and the health record."""
        network = self.network
        self.epoch = 0
        self.step = 0
        self.diverged_at: int | None = None
        self.history = History()
        self._record()
        self.records_health = bool(health)
        self.health = HealthHistory(network.n_layers)
        self.units: UnitHealth | None = None
        self._meter = HealthMeter(network)
        # (params, step) when the epoch under way began, if train_batch began it; train()
        # uses its own saved copy for an epoch it begins (no copy more per epoch).
        self._epoch_start: tuple[np.ndarray, int] | None = None
        self._record_health(None)

    def twin(self, network: Network, **settings) -> "Trainer":
        """A trainer for ``network`` that starts as this one started: the same training and
        test rows (the split, and any rows added since by ``add_training_data``), the
        shuffling generator in the state it had at epoch 0 (so, epoch for epoch, both draw
        the same permutations of the training rows: the same mini-batches for the same
        batch size), epoch 0 with a history of its own that begins there. Made at any
        time: this trainer's progress is not copied.

        ``network`` must take as many inputs as this one's, and its outputs must fit the
        labels (ValueError otherwise); pass a copy of this trainer's network
        (``Network.copy``) for the same initial weights. ``settings`` are ``__init__``'s
        keywords to change (``TWIN_SETTINGS``); the rest are this trainer's (its optimizer's
        settings too when the optimizer is the same; a fresh optimizer state either way).
        With no setting changed and a copy of an untrained network, both trainers give
        the same weights, bit for bit, after any number of ``train`` epochs.
        """
        if network.sizes[0] != self.network.sizes[0]:
            raise ValueError(f"a twin's network must have {self.network.sizes[0]} input(s), got {network.sizes}")
        unknown = sorted(set(settings) - set(TWIN_SETTINGS))
        if unknown:
            raise TypeError(f"twin() got unknown setting(s) {', '.join(unknown)}; valid: {', '.join(TWIN_SETTINGS)}")
        same_optimizer = settings.get("optimizer", self.optimizer.name) == self.optimizer.name
        chosen = {
            "loss": self.loss.name,
            "optimizer": self.optimizer.name,
            "learning_rate": self._learning_rate,
            "batch_size": self._batch_size,
            "shuffle": self.shuffle,
            "l1": self.l1,
            "l2": self.l2,
            "optimizer_settings": {k: getattr(self.optimizer, k) for k in self.optimizer.settings}
            if same_optimizer
            else None,
            "health": self.records_health,
            **settings,
        }
        return Trainer(
            network,
            None,
            None,
            loss=chosen["loss"],
            optimizer=chosen["optimizer"],
            learning_rate=chosen["learning_rate"],
            batch_size=chosen["batch_size"],
            shuffle=chosen["shuffle"],
            l1=chosen["l1"],
            l2=chosen["l2"],
            problem=self.problem,
            optimizer_settings=chosen["optimizer_settings"],
            health=chosen["health"],
            twin_of=self,
        )

    @property
    def shuffle_start(self) -> dict:
        """The shuffling generator's state at epoch 0 (a copy): a twin starts from it."""
        return copy.deepcopy(self._shuffle_start)

    def _prepare_data(self) -> None:
        self.Y_train = self.encode_targets(self.y_train)
        self.Y_test = self.encode_targets(self.y_test)
        # Train and test side by side in the network's batch form, for one evaluation pass
        # per epoch (Network.batch_inputs, Network.forward_batch).
        self._eval_inputs = self.network.batch_inputs(np.vstack([self.X_train, self.X_test]))

    def add_training_data(self, X, y) -> None:
        """Append samples to the training set (a user's drawn points) without a reset;
        the next epoch trains on them and the history counts them from then on.

        An epoch under way ends its plan here (its order knows only the old rows): the
        batches already trained stay trained, and the next batch begins a new pass over
        all the data, shuffled anew; ``epoch`` moves on when that pass ends."""
        X = self.network.check_input(X)
        y = self._check_labels(np.asarray(y), len(X))
        self._drop_plan()
        self.X_train = np.vstack([self.X_train, X])
        self.y_train = np.concatenate([self.y_train, y])
        self._prepare_data()

    def replace_network(self, network: Network) -> None:
        """Train ``network`` from now on (e.g. the same network one neuron wider, see
        ``engine.surgery``). It must take as many inputs and give as many outputs.

        Kept: the data and its split, ``epoch``, ``step``, the loss and settings, and the
        history, whose last entry is measured again for the new network. The health
        history is kept when the network has as many weight layers (a wider layer: its
        last record, if of this epoch, is measured again, without a gradient or an update
        since none was made), else a new one begins; the per-unit state and its dead
        streaks begin anew (units have moved). The optimizer
        restarts: a fresh one of the same kind and settings, since its state (velocities,
        moments) was aligned with the old parameter vector. An epoch under way ends its
        plan, as in ``add_training_data`` (a plan none of whose batches was trained keeps
        its order).
        """
        old = self.network.sizes
        if network.sizes[0] != old[0] or network.sizes[-1] != old[-1]:
            raise ValueError(
                f"the new network must have {old[0]} input(s) and {old[-1]} output(s), got {network.sizes}"
            )
        self.network = network
        settings = {key: getattr(self.optimizer, key) for key in self.optimizer.settings}
        self.optimizer = make_optimizer(self.optimizer.name, **settings)
        self._drop_plan()
        self._prepare_data()
        self._forget_last_record()
        self._record()
        if network.n_layers != self.health.n_layers:
            self.health = HealthHistory(network.n_layers)
        elif len(self.health) and self.health.epoch[-1] == self.epoch:
            self.health.pop()
        self.units = None
        self._meter = HealthMeter(network)
        self._record_health(None)

    # ---- settings that may change between epochs without a reset -------------------

    @property
    def learning_rate(self) -> float:
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        value = float(value)
        if not (np.isfinite(value) and value > 0):
            raise ValueError(f"learning rate must be a positive number, got {value}")
        self._learning_rate = value

    @property
    def batch_size(self) -> int:
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value: int) -> None:
        """A new size ends the plan of an epoch under way (its batches have the old size):
        the batches already trained stay trained, the next batch begins a new pass over
        the data (a plan none of whose batches was trained keeps its order, cut anew)."""
        if isinstance(value, bool) or int(value) != value or value < 1:
            raise ValueError(f"batch size must be a positive integer, got {value!r}")
        if self._plan is not None and int(value) != self._batch_size:
            self._drop_plan()
        self._batch_size = int(value)

    # ---- targets ----------------------------------------------------------------------

    def _check_labels(self, y: np.ndarray, n: int) -> np.ndarray:
        if len(y) != n:
            raise ValueError(f"X has {n} rows but y has {len(y)}")
        n_out = self.network.sizes[-1]
        if self.problem == "regression":
            y = y.astype(float)
            if not np.all(np.isfinite(y)):
                raise ValueError("y contains NaN or infinite values")
            if y.reshape(n, -1).shape[1] != n_out:
                raise ValueError(f"regression targets need {n_out} column(s), got shape {y.shape}")
            return y.reshape(n, n_out)
        if y.ndim != 1:
            raise ValueError(f"class labels must be a vector (n_samples,), got shape {y.shape}")
        if not np.all(np.isfinite(y.astype(float))) or np.any(y != np.round(y)):
            raise ValueError("class labels must be whole numbers 0, 1, ...")
        n_classes = max(n_out, 2)
        if y.min() < 0 or y.max() >= n_classes:
            raise ValueError(f"class labels must lie in 0..{n_classes - 1} for {n_out} output unit(s)")
        return y.astype(int)

    def encode_targets(self, y: np.ndarray) -> np.ndarray:
        """Labels -> loss targets (n_samples, n_outputs), in the output activation's terms."""
        if self.problem == "regression":
            return y
        low, high = class_target_values(self.network.activations[-1], self.loss)
        n_out = self.network.sizes[-1]
        if n_out == 1:
            return np.where(y == 1, high, low).reshape(-1, 1)
        return np.where(np.arange(n_out) == y[:, None], high, low)

    def predict_classes(self, output: np.ndarray) -> np.ndarray:
        """Network output (n_samples, n_outputs) -> class labels (n_samples,)."""
        if output.shape[1] > 1:
            return output.argmax(axis=1)
        low, high = class_target_values(self.network.activations[-1], self.loss)
        return (output[:, 0] > 0.5 * (low + high)).astype(int)

    # ---- evaluation -------------------------------------------------------------------

    def evaluate(self, X, y) -> tuple[float, float | None]:
        """(mean data loss, accuracy or None for regression) of the network on (X, y)."""
        X = self.network.check_input(X)
        y = self._check_labels(np.asarray(y), len(X))
        with np.errstate(all="ignore"):
            out, z = self.network.forward_batch(self.network.batch_inputs(X))
            return self._metrics(z, out, self.encode_targets(y), y)

    def _metrics(self, z, out, Y, labels) -> tuple[float, float | None]:
        loss = self.network.loss_from_pre_activation(z, out, Y, self.loss)
        if self.problem == "regression":
            return loss, None
        return loss, float(np.mean(self.predict_classes(out) == labels))

    def _record(self) -> None:
        """Append this epoch's train and test loss (and accuracy) to the history."""
        n_train = len(self.X_train)
        with np.errstate(all="ignore"):
            out, z = self.network.forward_batch(self._eval_inputs)
            train_loss, train_acc = self._metrics(z[:n_train], out[:n_train], self.Y_train, self.y_train)
            # How much the output still varies over the training set (0: it ignores the input).
            self._output_spread = float(np.max(np.ptp(out[:n_train], axis=0)))
            test_loss, test_acc = self._metrics(z[n_train:], out[n_train:], self.Y_test, self.y_test)
        self.history.append(self.epoch, train_loss, test_loss, train_acc, test_acc)

    def _record_health(self, start: tuple[np.ndarray, int] | None) -> None:
        """Record the health of the epoch just recorded by ``_record`` (when health is on):
        right after it, while the network's buffers still hold its evaluation pass and
        ``grads`` the epoch's last batch gradient. ``start`` is (params, step) when the
        epoch began, or None when no training lies behind this record."""
        if not self.records_health:
            return
        with np.errstate(all="ignore"):  # never raises: a NaN or inf is recorded as it is
            values, dead, saturated = self._meter.measure(
                len(self.X_train), self._eval_inputs.shape[1], start, self.step
            )
        self.health.append(self.epoch, values)
        self.units = next_units(self.units, dead, saturated, self.epoch)

    # ---- training ---------------------------------------------------------------------

    def _make_plan(self) -> _EpochPlan:
        """Begin an epoch: the order of the training rows (shuffled unless switched off)
        and its mini-batches, in the network's batch form, made once for the whole epoch."""
        net, n = self.network, len(self.X_train)
        bs = min(self._batch_size, n)
        order, self._kept_order = self._kept_order, None
        if order is None or len(order) != n:
            order = self._rng.permutation(n) if self.shuffle else np.arange(n)
        n_full = n // bs
        Y = self.Y_train[order]
        # All full batches at once, inputs in the network's batch form (Network.batch_inputs),
        # then the last, smaller batch.
        inputs = net.batch_inputs(self.X_train, order[: n_full * bs].reshape(n_full, bs))
        targets = Y[: n_full * bs].reshape(n_full, bs, -1)
        batches = list(zip(inputs, targets))
        if n_full * bs < n:
            batches.append((net.batch_inputs(self.X_train, order[n_full * bs :]), Y[n_full * bs :]))
        return _EpochPlan(order, bs, batches, full=(inputs, targets))

    def _current_plan(self) -> _EpochPlan:
        """The epoch under way, begun now if none is."""
        if self._plan is None:
            self._plan = self._make_plan()
        return self._plan

    def _drop_plan(self) -> None:
        """End the plan of the epoch under way (the data, the network or the batch size
        changed). A plan none of whose batches was trained (``next_batch`` made it) leaves
        its order for the next one: asking what comes next never changes what training does."""
        if self._plan is not None and self._plan.done == 0:
            self._kept_order = self._plan.order
        self._plan = None

    def _run_batches(self, plan: _EpochPlan) -> None:
        """Train the plan's batches not trained yet, one optimizer step per batch."""
        net = self.network
        loss, optimizer, learning_rate, l1, l2 = self.loss, self.optimizer, self._learning_rate, self.l1, self.l2
        # The same operations as train_batch, in a loop without checks (the fast path).
        for A, Yb in plan.batches[plan.done :] if plan.done else plan.batches:
            grads = net.batch_gradient(A, Yb, loss)
            if l1 or l2:
                net.add_regularization_gradient(grads, l1, l2)
            optimizer.step(net.params, grads, learning_rate)
            self.step += 1
        plan.done = len(plan.batches)

    @property
    def batch_position(self) -> tuple[int, int]:
        """(batches trained in the epoch under way, batches per epoch); (0, n) between
        epochs, n for the training set and batch size as they are now."""
        if self._plan is not None:
            return self._plan.done, len(self._plan.batches)
        n = len(self.X_train)
        return 0, -(-n // min(self._batch_size, n))

    def next_batch(self) -> Batch:
        """The mini-batch training would use next, not trained: ``train_batch`` trains
        exactly it. Between epochs this begins the next epoch's plan (draws its order), as
        training would; the network, counters and history do not change."""
        plan = self._current_plan()
        k = plan.done
        rows = plan.order[k * plan.size : (k + 1) * plan.size].copy()
        return Batch(rows, self.X_train[rows], plan.batches[k][1].copy(), self.y_train[rows], k, len(plan.batches))

    def _saved(self) -> tuple:
        """What a divergence restores: weights, optimizer state, step, and the plan with
        its position (None between epochs)."""
        plan = self._plan
        return (
            self.network.params.copy(),
            self.optimizer.get_state(),
            self.step,
            plan,
            plan.done if plan is not None else 0,
        )

    def train_batch(self) -> TrainReport:
        """Train the next mini-batch (``next_batch``): its gradient, the regularization's,
        one optimizer step, ``step += 1``, with the very operations an epoch uses, so that
        training an epoch batch by batch gives the same weights, bit for bit, as ``train(1)``.
        After the epoch's last batch ``epoch`` moves on and the history records it
        (``epochs_run`` 1), as ``train`` does.

        A NaN or infinite weight or batch loss, or at the epoch's end what ``train`` checks,
        undoes this batch (weights, optimizer state, step; the same batch is next again)
        and the report says "diverged at epoch N". Never raises for numerical trouble.
        """
        net = self.network
        plan = self._current_plan()
        saved = self._saved()
        A, Yb = plan.batches[plan.done]
        if plan.done == 0:
            self._epoch_start = saved[0], saved[2]  # _saved's copy: no copy more
        with np.errstate(all="ignore"):
            out, z = net.forward_batch(A)
            batch_loss = net.loss_from_pre_activation(z, out, Yb, self.loss)
            grads = net.batch_gradient(A, Yb, self.loss)
            if self.l1 or self.l2:
                net.add_regularization_gradient(grads, self.l1, self.l2)
            self.optimizer.step(net.params, grads, self._learning_rate)
            self.step += 1
            plan.done += 1
            if not (np.isfinite(batch_loss) and np.all(np.isfinite(net.params))):
                return self._diverged(saved, 0, INFINITE)
            if plan.done < len(plan.batches):
                self.diverged_at = None
                return TrainReport(0)
            failed = self._end_epoch(saved, 0)
            if failed is not None:
                return failed
            self._record_health(self._epoch_start)
            return self._trained(1)

    def _end_epoch(self, saved: tuple, ran: int) -> TrainReport | None:
        """After an epoch's last batch: count it and record the history; a divergence's
        report (the epoch undone back to ``saved``) if the loss is not finite or the
        network collapsed, else None."""
        self._plan = None
        self.epoch += 1
        self._record()
        if not np.isfinite(self.history.train_loss[-1]) or self._collapsed():
            reason = INFINITE if not np.isfinite(self.history.train_loss[-1]) else COLLAPSED
            self._forget_last_record()
            self.epoch -= 1
            return self._diverged(saved, ran, reason)
        return None

    def _trained(self, epochs: int) -> TrainReport:
        self.diverged_at = None
        return TrainReport(epochs)

    def train(self, epochs: int = 1, time_budget: float | None = None) -> TrainReport:
        """Train up to ``epochs`` epochs, recording the history after each. An epoch under
        way (``train_batch``) is finished first and counts as one.

        With ``time_budget`` (seconds), stop early once it is spent (at least one epoch
        runs). If the loss or a weight becomes NaN or infinite, or the network collapses
        (see ``_collapsed``), the epoch is undone (the last good weights and optimizer state
        are kept, and an epoch under way stands where it stood), training stops, and the
        report says "diverged at epoch N". Never raises for numerical trouble.
        """
        with np.errstate(all="ignore"):
            epochs_under_way = self.training_epochs(epochs, time_budget)
            while True:
                try:
                    next(epochs_under_way)  # the epoch's batches: trained by the generator itself
                except StopIteration as end:
                    return end.value

    def training_epochs(self, epochs: int = 1, time_budget: float | None = None):
        """``train`` an epoch at a time, for a caller that may train the batches itself
        (``engine.stacked`` trains several networks' batches together): a generator that
        yields each epoch's plan before any batch of it the generator trains (``plan.batches``
        ((n_inputs + 1, b) inputs, (b, n_outputs) targets), ``plan.done`` of them trained).
        The caller may train them all (one optimizer step per batch, ``step`` counted, then
        ``plan.done = len(plan.batches)``) or none; the generator trains what is left when
        resumed, then checks and records the epoch as ``train`` does. Its return value
        (``StopIteration.value``) is the ``TrainReport``. Call it under
        ``np.errstate(all="ignore")``, as ``train`` does."""
        deadline = None if time_budget is None else time.perf_counter() + time_budget
        ran = 0
        while ran < epochs:
            saved = self._saved()
            # Where the epoch began: here, or where train_batch began it.
            start = self._epoch_start if saved[4] else (saved[0], saved[2])
            plan = self._current_plan()
            yield plan
            if plan.done < len(plan.batches):
                self._run_batches(plan)
            if not np.all(np.isfinite(self.network.params)):
                return self._diverged(saved, ran, INFINITE)
            failed = self._end_epoch(saved, ran)
            if failed is not None:
                return failed
            ran += 1
            last = ran == epochs or (deadline is not None and time.perf_counter() >= deadline)
            if last or health_due(self.epoch):
                self._record_health(start)
            if last:
                break
        return self._trained(ran)

    def _collapsed(self) -> bool:
        """A step so large that the network stopped depending on its input: the loss rose
        above the untrained network's and the output is the same for every training point
        (e.g. every relu of a layer "died"). No gradient reaches the hidden layers then, so
        training cannot recover: a divergence, though every number is finite."""
        h = self.history
        return h.train_loss[-1] > h.train_loss[0] and self._output_spread <= 1e-12 * (1.0 + abs(h.train_loss[-1]))

    def _forget_last_record(self) -> None:
        self.history.pop()

    def _diverged(self, saved: tuple, ran: int, reason: str) -> TrainReport:
        """Back to ``saved`` (see ``_saved``), and the report of the divergence. A plan
        begun by the undone training is dropped (its order drawn: the next is drawn anew,
        as before plans existed); one under way before stands at its position again."""
        params, opt_state, step, plan, done = saved
        self.network.params[...] = params
        self.optimizer.set_state(opt_state)
        self.step = step
        self._plan = plan
        if plan is not None:
            plan.done = done
        self.diverged_at = self.epoch + 1
        return TrainReport(ran, diverged=True, message=f"diverged at epoch {self.diverged_at}", reason=reason)

    # ---- snapshots (engine.snapshots): what continuing needs, and going back there ----------

    def continuation_state(self) -> dict:
        """What, beside the weights, decides how training goes on from here: the optimizer's
        name and state (velocities, moments: arrays the size of params; none for SGD),
        ``step``, the shuffling generator's state and, if the next epoch's order is already
        drawn (``next_batch`` between epochs), that order (n_train,). Meant between epochs."""
        plan = self._plan
        order = plan.order if plan is not None and plan.done == 0 else self._kept_order
        return {
            "optimizer": self.optimizer.name,
            "optimizer_state": self.optimizer.get_state(),
            "step": int(self.step),
            "rng": self._rng.bit_generator.state,
            "order": None if order is None else np.array(order),
        }

    def rewind(self, epoch: int, params: np.ndarray, state: dict) -> int:
        """Back to ``epoch``, where the weights were ``params`` (n_params,) and training stood
        at ``state`` (``continuation_state`` then): the network takes ``params`` in place,
        an epoch under way is dropped, the history and health records after ``epoch`` are
        forgotten (the epoch measured again if the history had thinned it away). The
        optimizer's state comes back only if it is still the optimizer recorded (its
        settings stay as they are now; another optimizer starts fresh). Returns how many
        later epochs were dropped."""
        dropped = self.epoch - int(epoch)
        self.network.params[...] = params
        optimizer = self.optimizer
        if state.get("optimizer") == optimizer.name and "optimizer_state" in state:
            optimizer.set_state({k: v for k, v in state["optimizer_state"].items() if k not in optimizer.settings})
        else:
            optimizer.reset()
        if "rng" in state:
            self._rng.bit_generator.state = state["rng"]
        order = state.get("order")
        self._kept_order = None if order is None else np.array(order)
        self._plan = None
        self._epoch_start = None
        self.step = int(state.get("step", self.step))
        self.epoch = int(epoch)
        self.diverged_at = None
        while len(self.history.epoch) > 1 and self.history.epoch[-1] > self.epoch:
            self.history.pop()
        if self.history.epoch[-1] != self.epoch:
            self._record()
        while len(self.health.epoch) and self.health.epoch[-1] > self.epoch:
            self.health.pop()
        self.units = None  # the per-unit state is found again at the next health record
        return dropped

    def __repr__(self) -> str:
        return (
            f"Trainer({self.network!r}, loss={self.loss.name}, optimizer={self.optimizer.name}, "
            f"lr={self._learning_rate}, batch={self._batch_size}, epoch={self.epoch})"
        )
