"""One session's Playground: data, features, network and trainer built from a config,
and the arrays the pictures are drawn from. Pure: no Streamlit."""

from dataclasses import dataclass, field

import numpy as np

from engine import Network, Trainer, make_optimizer
from engine.csv_data import UserData
from engine.datasets import DOMAIN, Dataset, make_dataset
from engine.features import transform
from engine.losses import MATCHED_OUTPUT, class_target_values
from engine.snapshots import SnapshotStore, between_epochs, capture
from ui.live.cadence import Cadence, FrameWork
from ui.live.stats import divergence_message

GRID = 50  # output picture: GRID x GRID predictions over the input plane
THUMB_STEP = 2  # neuron thumbnails take every second grid point: 25 x 25
BINARY_LOSSES = ("binary_cross_entropy", "softmax_cross_entropy", "hinge")
PROBABILITY_OUTPUTS = ("sigmoid", "softmax")


def resolve_loss_and_output(problem: str, n_classes: int, loss: str, output: str) -> tuple[str, str, int]:
    """("auto" resolved) loss, output activation, and the number of output units.

    Matched pairs by default: regression a linear output with the quadratic loss; two
    classes TensorFlow Playground's tanh with the quadratic loss; k classes softmax with
    cross-entropy. Any pair may be chosen; ``why_not`` says when one cannot train.
    """
    if loss == "auto":
        loss = "softmax_cross_entropy" if problem == "classification" and n_classes > 2 else "quadratic"
    if output == "auto":
        if problem == "regression":
            output = "linear"
        elif loss == "softmax_cross_entropy" or (n_classes > 2 and loss == "quadratic"):
            output = "softmax"
        else:
            output = MATCHED_OUTPUT[loss]
    if problem == "regression":
        n_out = 1
    elif n_classes > 2 or output == "softmax" or loss == "softmax_cross_entropy":
        n_out = max(n_classes, 2)
    else:
        n_out = 1
    return loss, output, n_out


def why_not(problem: str, loss: str, output: str) -> str | None:
    """Why this combination cannot train, in one sentence, or None when it can."""
    if problem == "regression" and loss in BINARY_LOSSES:
        return f"{loss.replace('_', ' ')} is a classification loss: for regression pick quadratic, mae or huber."
    if problem == "regression" and output == "softmax":
        return "softmax outputs probabilities that sum to 1, so it cannot fit a number: pick a linear output."
    if loss in ("binary_cross_entropy", "softmax_cross_entropy") and output not in PROBABILITY_OUTPUTS:
        return (
            f"cross-entropy takes probabilities, but a {output} output can leave [0, 1]: "
            "pick a sigmoid or softmax output."
        )
    return None


@dataclass(slots=True)
class Grid:
    """Evenly spaced points over the input plane: ``xs`` (g,), ``ys`` (g,), ``points``
    (g * g, 2) in row-major order (row = y), and their features ``inputs`` (g * g, k)."""

    xs: np.ndarray
    ys: np.ndarray
    points: np.ndarray
    inputs: np.ndarray


def make_grid(low: float, high: float, feature_keys, g: int = GRID) -> Grid:
    xs = np.linspace(low, high, g)
    gx, gy = np.meshgrid(xs, xs)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    return Grid(xs, xs.copy(), points, transform(points, feature_keys)[0])


# While playing, the loss curve, the weight matrices and the health chart are rebuilt every few frames only:
# they change slowly, and each redraw costs the browser as much as the network picture.
EVERY = {"network": 1, "output": 1, "loss": 10, "weights": 4, "health": 10}
# On a busy server the network picture (a picture per neuron: most of a frame's drawing)
# every other frame; the output, where the boundary forms, still every frame.
BUSY_EVERY = {"network": 2, "loss": 20, "weights": 8, "health": 20}


@dataclass(slots=True)
class PlaygroundRun:
    """Everything one session trains and draws. ``X_raw`` (n, 2) are the points as drawn
    (before features); ``trainer.train_index`` / ``test_index`` index into it."""

    config: dict
    dataset: Dataset
    X_raw: np.ndarray
    feature_names: tuple[str, ...]
    trainer: Trainer
    loss: str
    output: str
    grid: Grid | None
    user_data: UserData | None = None  # the uploaded CSV this run trains on
    drawn_X: np.ndarray = field(default_factory=lambda: np.empty((0, 2)))
    drawn_y: np.ndarray = field(default_factory=lambda: np.empty(0))
    previous_params: np.ndarray | None = None  # before the last training call: for ΔW
    diverged: str | None = None  # the message, once training diverged
    cadence: Cadence = field(default_factory=lambda: Cadence(dict(EVERY), dict(BUSY_EVERY)))  # the live charts
    points_cache: tuple | None = None  # ((drawn points, show_test), overlay layers) last drawn
    slow_step: object | None = None  # ui.playground.slow_step.SlowStep: the slow step shown, or None
    # (learning rate, rate or None): for a divergence at that rate, the smaller rate that
    # trained from the same start (engine.health.converging_rate), found once, in a full run
    converging: tuple[float, float | None] | None = None
    compare: object | None = None  # ui.playground.compare.CompareRun: run B beside this one, or None
    # Replay (issue 16): the weights after training calls, thinned as the run grows, with the
    # optimizer's and the shuffling's state (engine.snapshots.capture); the epoch shown, or None
    snapshots: SnapshotStore = field(default_factory=SnapshotStore)
    replay: int | None = None
    # More data (issue 17): ui.playground.data_curve.DataCurve, test loss against the number of
    # points, measured on request (read it through data_curve.data_curve_result), or None
    data_curve: object | None = None

    @property
    def network(self) -> Network:
        return self.trainer.network

    @property
    def n_classes(self) -> int:
        return self.dataset.n_classes if self.dataset.problem == "classification" else 0

    def value_range(self) -> tuple[float, float]:
        """Range of the output picture's colours: the class targets, or the data's values."""
        if self.n_classes:
            return class_target_values(self.network.activations[-1], self.trainer.loss)
        m = float(np.max(np.abs(self.dataset.y))) or 1.0
        return -m, m


def optimizer_settings(config: dict) -> dict:
    name = config["optimizer"]
    if name == "momentum":
        return {"momentum": config["momentum"], "nesterov": config["nesterov"]}
    if name == "rmsprop":
        return {"rho": config["rho"]}
    if name == "adam":
        return {"beta1": config["beta1"], "beta2": config["beta2"]}
    return {}


def penalties(config: dict) -> tuple[float, float]:
    rate = config["regularization_rate"]
    return (rate if config["regularization"] == "l1" else 0.0), (rate if config["regularization"] == "l2" else 0.0)


def build_run(config: dict, user_data=None, weights=None) -> PlaygroundRun:
    """A fresh run for ``config`` (the same config always gives the same data and initial
    weights). ``user_data`` is an uploaded CSV's ``UserData`` when the dataset is "csv";
    ``weights`` (W list, b list) replace the initial weights (they must fit the network).
    Raises ValueError with a sentence for the page when the setup cannot train."""
    if config["dataset"] == "csv":
        if user_data is None:
            raise ValueError("Upload a CSV file to train on your own data.")
        dataset = user_data.to_dataset()
    else:
        dataset = make_dataset(config["dataset"], config["n_samples"], config["noise"] / 100, config["data_seed"])
    two_d = dataset.X.shape[1] == 2
    if two_d:
        inputs, names = transform(dataset.X, config["features"])
    else:  # wider user data: its own columns are the inputs; no pictures over a plane
        inputs, names = dataset.X, tuple(dataset.feature_names)
    problem = dataset.problem
    n_classes = dataset.n_classes if problem == "classification" else 0
    loss, output, n_out = resolve_loss_and_output(problem, n_classes, config["loss"], config["output_activation"])
    reason = why_not(problem, loss, output)
    if reason:
        raise ValueError(reason)
    network = Network(
        [inputs.shape[1], *config["hidden"], n_out],
        config["activation"],
        output,
        config["initializer"],
        seed=config["init_seed"],
    )
    if weights is not None:
        network.set_weights(*weights)
    l1, l2 = penalties(config)
    trainer = Trainer(
        network,
        inputs,
        dataset.y,
        loss=loss,
        optimizer=config["optimizer"],
        learning_rate=config["learning_rate"],
        batch_size=config["batch_size"],
        train_fraction=config["train_percent"] / 100,
        l1=l1,
        l2=l2,
        problem=problem,
        seed=config["init_seed"],
        optimizer_settings=optimizer_settings(config),
    )
    grid = None
    if two_d:
        # A CSV's plane: its standardized points with a margin (at least ±1, never empty).
        extent = DOMAIN if config["dataset"] != "csv" else max(float(np.max(np.abs(dataset.X))) * 1.1, 1.0)
        grid = make_grid(-extent, extent, config["features"])
    raw = dataset.X if two_d else np.empty((len(dataset.X), 0))
    run = PlaygroundRun(dict(config), dataset, raw, names, trainer, loss, output, grid, user_data)
    if config.get("compare"):  # run B, from this run's start (ui/playground/compare.py)
        from ui.playground.compare import build_b

        run.compare = build_b(run)
    record_snapshot(run)
    return run


def record_snapshot(run: PlaygroundRun) -> None:
    """Keep the run's weights (and what continuing needs) as the snapshot of its epoch,
    between epochs only; replay ends (training moved the live network on)."""
    trainer = run.trainer
    if between_epochs(trainer):
        run.snapshots.record(trainer.epoch, trainer.network.params, capture(trainer))
    run.replay = None


def apply_live_settings(run: PlaygroundRun, config: dict) -> None:
    """Settings that change without a reset: learning rate, batch size, regularization,
    the optimizer and its settings (a new optimizer starts with fresh state; the same one
    keeps its velocities and moments)."""
    trainer = run.trainer
    trainer.learning_rate = config["learning_rate"]
    trainer.batch_size = config["batch_size"]
    trainer.l1, trainer.l2 = penalties(config)
    settings = optimizer_settings(config)
    if trainer.optimizer.name != config["optimizer"]:
        trainer.optimizer = make_optimizer(config["optimizer"], **settings)
    else:
        for key, value in settings.items():
            setattr(trainer.optimizer, key, value)
    run.config = dict(config)


def train(run: PlaygroundRun, epochs: int, time_budget: float | None = None, trained=None):
    """Train up to ``epochs`` (within ``time_budget`` seconds), remembering the weights
    before, for ΔW. A divergence is kept in ``run.diverged`` for the page to say.
    ``trained``: this training done already, together with other sessions' (a live
    frame's ``work.trained``, ui/live/together.py)."""
    if trained is not None:
        run.previous_params, report = trained.params_before, trained.report
    else:
        run.previous_params = run.network.params.copy()
        report = run.trainer.train(epochs, time_budget)
    if report.diverged:
        run.diverged = divergence_message(report.message, report.reason)
    record_snapshot(run)
    return report


FRAMES_PER_SECOND = 40  # the live panel's pace at full speed (six frames every 0.15 s)


def frame_seconds(speed: str) -> float | None:
    """Seconds between frames at ``speed`` epochs per second: one epoch a frame below the
    full frame rate; None (as often as the server allows) from there up."""
    return None if speed == "max" or int(speed) >= FRAMES_PER_SECOND else 1.0 / int(speed)


def epochs_per_frame(speed: str, seconds: float = 1 / FRAMES_PER_SECOND) -> int:
    """Epochs a frame that stands for ``seconds`` on screen trains at ``speed`` epochs per
    second (max: as many as the frame's budget allows)."""
    return 10**6 if speed == "max" else max(1, round(int(speed) * seconds))


def frame_training(run: PlaygroundRun, work: FrameWork) -> tuple[Trainer, int] | None:
    """What one live frame trains: the run's trainer and the epochs at the configured
    speed (``work``: the frame's time on screen and its budget, ui/live/loop.py); None
    once the run diverged."""
    if run.diverged is not None:
        return None
    return run.trainer, epochs_per_frame(run.config["speed"], work.seconds)


def advance(run: PlaygroundRun, work: FrameWork) -> bool:
    """One live frame's training (``frame_training``; done already when ``work.trained``);
    True when Play must stop (the run diverged)."""
    wanted = frame_training(run, work)
    if wanted is not None:
        train(run, wanted[1], work.budget, trained=work.trained)
    return run.diverged is not None


def add_point(run: PlaygroundRun, x: float, y: float, label) -> None:
    """Add a user's point (in the plane) to the training data, without a reset."""
    point = np.array([[x, y]])
    run.drawn_X = np.vstack([run.drawn_X, point])
    run.drawn_y = np.append(run.drawn_y, label)
    run.trainer.add_training_data(transform(point, run.config["features"])[0], np.array([label]))


def weight_tables(network: Network) -> list[np.ndarray]:
    """Each layer's W (fan_in, fan_out) with its bias b as one more row, (fan_in + 1,
    fan_out): the bias is the weight of an input that is always 1."""
    return [np.vstack([W, b]) for W, b in zip(network.W, network.b)]


def weights_table(run: PlaygroundRun, layer: int) -> np.ndarray:
    """Layer ``layer``'s table as the page edits it (see ``weight_tables``)."""
    return weight_tables(run.network)[layer]


def set_weights_table(run: PlaygroundRun, layer: int, table) -> str | None:
    """Write an edited table back into the network; returns a message if it cannot."""
    current = weights_table(run, layer)
    try:
        table = np.asarray(table, dtype=float)
    except (TypeError, ValueError):
        return "Weights must be numbers."
    if table.shape != current.shape:
        return f"The table must stay {current.shape[0]} × {current.shape[1]}."
    if not np.all(np.isfinite(table)):
        return "Weights must be finite numbers."
    run.network.W[layer][...] = table[:-1]
    run.network.b[layer][...] = table[-1]
    return None
