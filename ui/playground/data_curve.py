"""More data (issue 17, scene 13): the Playground's setup trained afresh on several numbers
of points, the same number of epochs each, and its final training and test loss against
the number of training points. Pure: no Streamlit.

Every size is ``build_run`` of the Playground's own configuration with only ``n_samples``
changed (the same network, dataset, seeds, training share and training settings) and
trained with ``Trainer.train``, in chunks of epochs (each inside ``guard()``, the server's
training lock on the page, so other sessions keep their turn), which trains bit for bit as
one call. A time limit keeps it short: a size not finished within it is left out and the
curve says it was cut short. The result is kept on the run (``PlaygroundRun.data_curve``);
``data_curve_result(run)`` gives it while it still describes the run's settings.
"""

import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass

from ui.playground.run import PlaygroundRun, build_run

SIZES = (50, 100, 200, 500, 1000, 2000)  # points (n_samples); the Playground's train share applies
EPOCH_CHOICES = (50, 100, 200, 500)
DEFAULT_EPOCHS = 200
TIME_LIMIT = 15.0  # seconds for the whole curve (the default setup takes ~1–2 s)
CHUNK = 10  # epochs trained inside one hold of the guard
# Settings that do not change what the curve measures: the number of points (the curve sets
# it), what the pictures show, the pace, the traced point and run B.
NOT_MEASURED = (
    "n_samples",
    "show_test",
    "discretize",
    "log_scale",
    "show_delta",
    "show_health",
    "health_colors",
    "speed",
    "trace",
    "compare",
)


@dataclass(frozen=True, slots=True)
class CurvePoint:
    """One size: ``n_samples`` points, ``n_train`` of them for training and ``n_test`` for
    testing, trained ``epochs``; the losses (and, for classification, accuracies) after
    the last epoch; ``diverged``: the trainer's message when training diverged (the losses
    are then those of the last finite epoch)."""

    n_samples: int
    n_train: int
    n_test: int
    epochs: int
    train_loss: float
    test_loss: float
    train_accuracy: float | None
    test_accuracy: float | None
    diverged: str | None = None


@dataclass(frozen=True, slots=True)
class DataCurve:
    """The curve measured for ``settings`` (the configuration without ``NOT_MEASURED``):
    ``epochs`` per size, the ``loss`` trained, a ``CurvePoint`` per size finished in
    ``points`` (fewest points first), the ``sizes`` asked for, whether the time limit
    (``time_limit`` seconds) cut it short, and the ``seconds`` it took."""

    settings: dict
    epochs: int
    loss: str
    points: tuple[CurvePoint, ...]
    sizes: tuple[int, ...]
    cut_short: bool
    seconds: float
    time_limit: float

    @property
    def left_out(self) -> tuple[int, ...]:
        """The sizes asked for that the time limit left out."""
        return self.sizes[len(self.points) :]


def measured_settings(config: dict) -> dict:
    """What a curve depends on: ``config`` without ``NOT_MEASURED``."""
    return {name: value for name, value in config.items() if name not in NOT_MEASURED}


def size_config(config: dict, n_samples: int) -> dict:
    """The Playground's ``config`` with ``n_samples`` points (and no run B, no trace)."""
    return {**config, "n_samples": int(n_samples), "compare": "", "trace": ""}


def measure(
    config: dict,
    epochs: int = DEFAULT_EPOCHS,
    sizes: tuple[int, ...] = SIZES,
    *,
    time_limit: float = TIME_LIMIT,
    guard: Callable = nullcontext,
    progress: Callable[[int, int, CurvePoint], None] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> DataCurve:
    """Train ``config``'s setup afresh on each of ``sizes`` points for ``epochs`` epochs.
    ``progress(done, total, point)`` after each size. Raises ValueError with a sentence
    for the page when the setup has no number of points to change (an uploaded CSV) or
    cannot train."""
    if config["dataset"] == "csv":
        raise ValueError(
            "Your CSV file has the rows it has: the curve needs generated data, whose number of points it can set."
        )
    start, points, cut_short, loss = clock(), [], False, config["loss"]
    for n in sizes:
        if clock() - start >= time_limit:
            cut_short = True
            break
        point, loss = _train_size(config, n, int(epochs), guard, lambda: clock() - start >= time_limit)
        if point is None:
            cut_short = True
            break
        points.append(point)
        if progress is not None:
            progress(len(points), len(sizes), point)
    return DataCurve(
        measured_settings(config),
        int(epochs),
        loss,
        tuple(points),
        tuple(int(n) for n in sizes),
        cut_short,
        clock() - start,
        float(time_limit),
    )


def _train_size(
    config: dict, n: int, epochs: int, guard: Callable, over: Callable[[], bool]
) -> tuple[CurvePoint | None, str]:
    """One size trained ``epochs`` epochs (None when the time limit came first), and the
    loss it trained ("auto" resolved)."""
    run = build_run(size_config(config, n))
    trainer = run.trainer
    diverged = None
    while trainer.epoch < epochs and diverged is None:
        if over():
            return None, run.loss
        with guard():
            report = trainer.train(min(CHUNK, epochs - trainer.epoch))
        if report.diverged:
            diverged = report.message
    history = trainer.history
    accuracy = run.n_classes > 0
    point = CurvePoint(
        n_samples=n,
        n_train=len(trainer.X_train),
        n_test=len(trainer.X_test),
        epochs=trainer.epoch,
        train_loss=float(history.train_loss[-1]),
        test_loss=float(history.test_loss[-1]),
        train_accuracy=float(history.train_accuracy[-1]) if accuracy else None,
        test_accuracy=float(history.test_accuracy[-1]) if accuracy else None,
        diverged=diverged,
    )
    return point, run.loss


def data_curve_result(run: PlaygroundRun | None) -> DataCurve | None:
    """The curve measured for ``run``'s setup (``PlaygroundRun.data_curve``), or None when
    none was measured or the run's settings changed since (a lesson's checker reads this)."""
    if run is None or run.data_curve is None:
        return None
    curve = run.data_curve
    return curve if curve.settings == measured_settings(run.config) else None


# ---- its words -----------------------------------------------------------------------------


def loss_number(value: float) -> str:
    """A loss as the sentence and the chart's hover write it: three significant digits."""
    return f"{value:.3g}"


def points_text(n: int) -> str:
    return f"{n:,}"


def curve_sentence(curve: DataCurve) -> str:
    """The measured numbers in one or two sentences: the test (and training) loss with the
    fewest and the most training points, the lowest test loss when it is elsewhere, sizes
    that diverged, and what a time limit left out."""
    if not curve.points:
        return f"The time limit of {curve.time_limit:g} s came before the first size was trained: nothing to show."
    first, last = curve.points[0], curve.points[-1]
    said = (
        f"{curve.epochs:,} epochs at each size: with {points_text(first.n_train)} training points the test loss is "
        f"{loss_number(first.test_loss)} (training loss {loss_number(first.train_loss)})"
    )
    if len(curve.points) > 1:
        said += (
            f"; with {points_text(last.n_train)}, {loss_number(last.test_loss)} "
            f"(training loss {loss_number(last.train_loss)})"
        )
        best = min(curve.points, key=lambda p: p.test_loss)
        if best is not first and best is not last:
            said += f". The lowest test loss, {loss_number(best.test_loss)}, is at {points_text(best.n_train)}"
    said += "."
    for p in curve.points:
        if p.diverged:
            said += (
                f" With {points_text(p.n_train)} training points training {p.diverged}: its losses are those of "
                f"epoch {p.epochs:,}, the last finite one."
            )
    if curve.cut_short:
        left = ", ".join(points_text(n) for n in curve.left_out)
        said += f" Cut short by the time limit of {curve.time_limit:g} s: {left} points were not trained."
    return said
