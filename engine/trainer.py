"""Training: the split, mini-batches, counters, history, and divergence handling."""

import time
from array import array
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from engine.losses import class_target_values, get_loss
from engine.network import Network
from engine.optimizers import make_optimizer
from engine.split import split_indices

PROBLEMS = ("classification", "regression")
INFINITE = "the loss or a weight became infinite"
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
        n = len(self.epoch)
        cut = n - self.RECENT
        keep = [*range(0, cut, 2), *range(cut, n)]
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
    """What one ``Trainer.train`` call did."""

    epochs_run: int
    diverged: bool = False
    message: str = ""  # "diverged at epoch N"
    reason: str = ""  # what went wrong, in a sentence


class Trainer:
    """Trains a ``Network`` on (X, y), which it splits into train and test parts.

    X (n_samples, n_inputs). For ``problem="classification"``, y holds integer class labels
    (n_samples,): 0/1 with one output unit, 0..k-1 with k output units. For
    ``"regression"``, y is (n_samples,) or (n_samples, n_outputs) of numbers.
    ``seed`` fixes the split and the shuffling of batches.
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
    ):
        if problem not in PROBLEMS:
            raise ValueError(f"unknown problem {problem!r}; valid: {', '.join(PROBLEMS)}")
        self.network = network
        self.problem = problem
        self.loss = get_loss(loss)
        self.optimizer = make_optimizer(optimizer, **(optimizer_settings or {}))
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.l1, self.l2 = l1, l2

        X = network.check_input(X)
        y = self._check_labels(np.asarray(y), len(X))
        split_seed, shuffle_seed = np.random.SeedSequence(seed).spawn(2)
        # Which rows of X went where, so callers can show the points of each part.
        self.train_index, self.test_index = split_indices(len(X), train_fraction, np.random.default_rng(split_seed))
        self.X_train, self.y_train = X[self.train_index], y[self.train_index]
        self.X_test, self.y_test = X[self.test_index], y[self.test_index]
        self._rng = np.random.default_rng(shuffle_seed)
        self._prepare_data()

        self.epoch = 0
        self.step = 0
        self.diverged_at: int | None = None
        self.history = History()
        self._record()

    def _prepare_data(self) -> None:
        self.Y_train = self.encode_targets(self.y_train)
        self.Y_test = self.encode_targets(self.y_test)
        # Train and test side by side in the network's batch form, for one evaluation pass
        # per epoch (Network.batch_inputs, Network.forward_batch).
        self._eval_inputs = self.network.batch_inputs(np.vstack([self.X_train, self.X_test]))

    def add_training_data(self, X, y) -> None:
        """Append samples to the training set (a user's drawn points) without a reset;
        the next epoch trains on them and the history counts them from then on."""
        X = self.network.check_input(X)
        y = self._check_labels(np.asarray(y), len(X))
        self.X_train = np.vstack([self.X_train, X])
        self.y_train = np.concatenate([self.y_train, y])
        self._prepare_data()

    def replace_network(self, network: Network) -> None:
        """Train ``network`` from now on (e.g. the same network one neuron wider, see
        ``engine.surgery``). It must take as many inputs and give as many outputs.

        Kept: the data and its split, ``epoch``, ``step``, the loss and settings, and the
        history, whose last entry is measured again for the new network. The optimizer
        restarts: a fresh one of the same kind and settings, since its state (velocities,
        moments) was aligned with the old parameter vector.
        """
        old = self.network.sizes
        if network.sizes[0] != old[0] or network.sizes[-1] != old[-1]:
            raise ValueError(
                f"the new network must have {old[0]} input(s) and {old[-1]} output(s), got {network.sizes}"
            )
        self.network = network
        settings = {key: getattr(self.optimizer, key) for key in self.optimizer.settings}
        self.optimizer = make_optimizer(self.optimizer.name, **settings)
        self._prepare_data()
        self._forget_last_record()
        self._record()

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
        if isinstance(value, bool) or int(value) != value or value < 1:
            raise ValueError(f"batch size must be a positive integer, got {value!r}")
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

    # ---- training ---------------------------------------------------------------------

    def _run_epoch(self) -> None:
        """One pass over the training set in mini-batches (shuffled unless switched off),
        one optimizer step per batch."""
        net, n = self.network, len(self.X_train)
        bs = min(self._batch_size, n)
        order = self._rng.permutation(n) if self.shuffle else np.arange(n)
        n_full = n // bs
        Y = self.Y_train[order]
        # All full batches at once, inputs in the network's batch form (Network.batch_inputs),
        # then the last, smaller batch.
        inputs = net.batch_inputs(self.X_train, order[: n_full * bs].reshape(n_full, bs))
        batches = list(zip(inputs, Y[: n_full * bs].reshape(n_full, bs, -1)))
        if n_full * bs < n:
            batches.append((net.batch_inputs(self.X_train, order[n_full * bs :]), Y[n_full * bs :]))
        loss, optimizer, learning_rate, l1, l2 = self.loss, self.optimizer, self._learning_rate, self.l1, self.l2
        for A, Yb in batches:
            grads = net.batch_gradient(A, Yb, loss)
            if l1 or l2:
                net.add_regularization_gradient(grads, l1, l2)
            optimizer.step(net.params, grads, learning_rate)
            self.step += 1

    def train(self, epochs: int = 1, time_budget: float | None = None) -> TrainReport:
        """Train up to ``epochs`` epochs, recording the history after each.

        With ``time_budget`` (seconds), stop early once it is spent (at least one epoch
        runs). If the loss or a weight becomes NaN or infinite, or the network collapses
        (see ``_collapsed``), the epoch is undone (the last good weights and optimizer state
        are kept), training stops, and the report says "diverged at epoch N". Never raises
        for numerical trouble.
        """
        deadline = None if time_budget is None else time.perf_counter() + time_budget
        ran = 0
        with np.errstate(all="ignore"):
            while ran < epochs:
                saved_params = self.network.params.copy()
                saved_opt = self.optimizer.get_state()
                saved_step = self.step
                self._run_epoch()
                if not np.all(np.isfinite(self.network.params)):
                    return self._diverged(saved_params, saved_opt, saved_step, ran, INFINITE)
                self.epoch += 1
                self._record()
                if not np.isfinite(self.history.train_loss[-1]) or self._collapsed():
                    reason = INFINITE if not np.isfinite(self.history.train_loss[-1]) else COLLAPSED
                    self._forget_last_record()
                    self.epoch -= 1
                    return self._diverged(saved_params, saved_opt, saved_step, ran, reason)
                ran += 1
                if deadline is not None and time.perf_counter() >= deadline:
                    break
        self.diverged_at = None
        return TrainReport(ran)

    def _collapsed(self) -> bool:
        """A step so large that the network stopped depending on its input: the loss rose
        above the untrained network's and the output is the same for every training point
        (e.g. every relu of a layer "died"). No gradient reaches the hidden layers then, so
        training cannot recover: a divergence, though every number is finite."""
        h = self.history
        return h.train_loss[-1] > h.train_loss[0] and self._output_spread <= 1e-12 * (1.0 + abs(h.train_loss[-1]))

    def _forget_last_record(self) -> None:
        self.history.pop()

    def _diverged(self, params, opt_state, step, ran, reason) -> TrainReport:
        self.network.params[...] = params
        self.optimizer.set_state(opt_state)
        self.step = step
        self.diverged_at = self.epoch + 1
        return TrainReport(ran, diverged=True, message=f"diverged at epoch {self.diverged_at}", reason=reason)

    def __repr__(self) -> str:
        return (
            f"Trainer({self.network!r}, loss={self.loss.name}, optimizer={self.optimizer.name}, "
            f"lr={self._learning_rate}, batch={self._batch_size}, epoch={self.epoch})"
        )
