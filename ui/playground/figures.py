"""The Playground's four pictures for the current state of a run, as figure dicts.

One forward pass over the grid gives every neuron's activation over the input plane: the
thumbnails in the network picture and the output picture both come from it.
"""

import numpy as np

from ui.charts import loss_figure, network_figure, output_figure, weights_figure
from ui.charts.colors import plotly_text
from ui.charts.output import original_unit_ticks, points_overlay
from ui.live.panel import Frame, chart
from ui.live.stats import Stat, stats_line
from ui.playground.run import GRID, THUMB_STEP, PlaygroundRun, weight_tables
from ui.playground.text import TITLES


def node_labels(run: PlaygroundRun) -> list[list[str]]:
    """Names of every node, column by column: the input features, h<layer>.<unit>, outputs."""
    sizes = run.network.sizes
    labels = [[plotly_text(name) for name in run.feature_names]]  # a CSV's names: plain text
    labels += [[f"h{j}.{i + 1}" for i in range(n)] for j, n in enumerate(sizes[1:-1], start=1)]
    if sizes[-1] == 1:
        labels.append(["ŷ"])
    else:
        labels.append([f"ŷ{k}" for k in range(sizes[-1])])
    return labels


def class_names(run: PlaygroundRun) -> tuple[str, ...]:
    """What each class is called: the CSV's own labels, else class 0, class 1, ..."""
    if not run.n_classes:
        return ()
    if run.user_data is not None:
        return tuple(run.user_data.class_names)
    return tuple(f"class {k}" for k in range(run.n_classes))


def _original_ticks(run: PlaygroundRun) -> tuple[dict, dict] | None:
    """A CSV's plane in the file's own units (the network sees them standardized)."""
    if run.user_data is None or run.grid is None:
        return None
    low, high = float(run.grid.xs[0]), float(run.grid.xs[-1])
    data = run.user_data
    return tuple(original_unit_ticks(low, high, float(data.mean[i]), float(data.std[i])) for i in range(2))


def column_titles(run: PlaygroundRun) -> list[str]:
    sizes = run.network.sizes
    hidden = [f"hidden {j} · {n}" for j, n in enumerate(sizes[1:-1], start=1)]
    return ["input", *hidden, "output"]


def _scaled_to_unit(a: np.ndarray, low: float, high: float) -> np.ndarray:
    """Map [low, high] onto [-1, 1] (the thumbnails' colour scale)."""
    return (a - 0.5 * (low + high)) / (0.5 * (high - low) or 1.0)


def _thumbnails(run: PlaygroundRun, trace) -> list[list[np.ndarray | None]]:
    """(t, t) images per node from a grid trace; inputs scaled by their largest value,
    hidden units clipped to [-1, 1] like TensorFlow Playground, outputs by their range."""
    if run.grid is None:
        return [[None] * n for n in run.network.sizes]
    g = len(run.grid.xs)
    columns = []
    last = len(trace.activations) - 1
    for j, acts in enumerate(trace.activations):
        if j == 0:
            acts = acts / np.maximum(np.max(np.abs(acts), axis=0), 1e-9)
        elif j == last:
            low, high = (0.0, 1.0) if acts.shape[1] > 1 else run.value_range()
            acts = _scaled_to_unit(acts, low, high)
        # Big networks draw small nodes: coarser thumbnails (13 pixels) keep frames light.
        step = THUMB_STEP if max(run.network.sizes) <= 8 else 2 * THUMB_STEP
        images = acts.reshape(g, g, -1)[::step, ::step]
        columns.append([images[:, :, i] for i in range(images.shape[2])])
    return columns


def _prediction_picture(run: PlaygroundRun, output: np.ndarray) -> np.ndarray:
    """(g, g) picture of the output: the value (two classes, regression) or the class."""
    if run.n_classes > 2:
        return output.argmax(axis=1).reshape(GRID, GRID)
    if output.shape[1] == 2:  # two classes with a softmax output: the probability of class 1
        low, high = run.value_range()
        return (low + (high - low) * output[:, 1]).reshape(GRID, GRID)
    return output[:, 0].reshape(GRID, GRID)


def _points_layers(run: PlaygroundRun) -> list[dict]:
    """The training (and, when shown, test) points as overlay images, drawn once and kept
    on the run until the points or the toggle change."""
    show_test = run.config["show_test"]
    key = (len(run.drawn_y), show_test)
    cached = run.points_cache
    if cached is not None and cached[0] == key:
        return cached[1]
    trainer, X, y = run.trainer, run.X_raw, run.dataset.y
    extent = (float(run.grid.xs[0]), float(run.grid.xs[-1]))
    half = 0.5 * float(run.grid.xs[1] - run.grid.xs[0])
    extent = (extent[0] - half, extent[1] + half)
    common = {"n_classes": run.n_classes, "color_range": run.value_range()}
    X_train = np.vstack([X[trainer.train_index], run.drawn_X])
    y_train = np.concatenate([y[trainer.train_index], run.drawn_y])
    layers = [points_overlay(X_train, y_train, extent, **common)]
    if show_test:
        layers.append(points_overlay(X[trainer.test_index], y[trainer.test_index], extent, test=True, **common))
    run.points_cache = (key, layers)
    return layers


ALL = ("network", "output", "loss", "weights")


def playground_figures(run: PlaygroundRun, which=ALL, *, hover: bool = True) -> dict[str, dict | None]:
    """Figure dicts for the pictures named in ``which`` ("output" is None for data that has
    no plane to draw on). ``hover=False`` (while playing) leaves out the hover layers."""
    config, net, trainer = run.config, run.network, run.trainer
    pictures = "network" in which or "output" in which
    trace = net.forward(run.grid.inputs, trace=True) if run.grid is not None and pictures else None
    labels = node_labels(run)
    figures: dict[str, dict | None] = {}
    if "network" in which:
        figures["network"] = network_figure(
            labels,
            _thumbnails(run, trace) if trace is not None else [[None] * n for n in net.sizes],
            [w.copy() for w in net.W],
            [b.copy() for b in net.b],
            column_titles(run),
            hover=hover,
        )
    if "loss" in which:
        figures["loss"] = loss_figure(trainer.history.as_columns(), log_scale=config["log_scale"])
    if "weights" in which:
        tables = weight_tables(net)
        deltas = None
        if config["show_delta"]:
            before = net.copy_with(run.previous_params if run.previous_params is not None else net.params)
            deltas = [now - then for now, then in zip(tables, weight_tables(before))]
        rows = [[*names, "b"] for names in labels[:-1]]  # the bias: the weight of an input that is always 1
        figures["weights"] = weights_figure(tables, rows, labels[1:], deltas, hover=hover)
    if "output" in which:
        figures["output"] = None
    if "output" in which and trace is not None:
        figures["output"] = output_figure(
            run.grid.xs,
            run.grid.ys,
            _prediction_picture(run, trace.output),
            overlays=_points_layers(run),
            n_classes=run.n_classes,
            value_range=run.value_range(),
            discretize=config["discretize"],
            class_names=class_names(run),
            axis_titles=tuple(run.dataset.feature_names[:2]),
            axis_ticks=_original_ticks(run),
        )
    return figures


# The panel's layout: the stats line across the top, the network beside the output, the
# weight matrices beside the loss (without a plane to draw on: no output picture).
PANEL_GRID = {"columns": "1.25fr 1fr", "areas": "'stats stats' 'network output' 'weights loss'"}
PANEL_GRID_WITHOUT_PLANE = {"columns": "1.25fr 1fr", "areas": "'stats stats' 'network loss' 'weights weights'"}


def panel_grid(run: PlaygroundRun) -> dict:
    return PANEL_GRID if run.grid is not None else PANEL_GRID_WITHOUT_PLANE


def run_stats(run: PlaygroundRun) -> str:
    """Epoch, losses and accuracies: the stats line."""
    h = run.trainer.history
    stats = [
        Stat("Epoch", f"{run.trainer.epoch:,}", "epoch"),
        Stat("Training loss", f"{h.train_loss[-1]:.4f}", "train-loss"),
        Stat("Test loss", f"{h.test_loss[-1]:.4f}", "test-loss"),
    ]
    if h.train_accuracy:
        stats += [
            Stat("Training accuracy", f"{h.train_accuracy[-1]:.1%}", "train-accuracy"),
            Stat("Test accuracy", f"{h.test_accuracy[-1]:.1%}", "test-accuracy"),
        ]
    return stats_line(stats)


def frame(run: PlaygroundRun, *, playing: bool, drawing: bool) -> Frame:
    """The live panel's frame for the run as it stands: while playing, the slow charts are
    the last ones built (``run.cadence``), and no hover layers (each redraw closes them)."""
    figures = run.cadence.figures_now(lambda due: playground_figures(run, due, hover=not playing), playing=playing)
    charts = [
        chart(name, figures[name], title=TITLES[name], clickable=drawing and name == "output", crisp=name == "weights")
        for name in ALL
        if figures[name] is not None
    ]
    return Frame(charts, run_stats(run))
