"""The Playground's four pictures for the current state of a run, as figure dicts.

One forward pass over the grid gives every neuron's activation over the input plane: the
thumbnails in the network picture and the output picture both come from it.
"""

from html import escape

import numpy as np

from ui.charts import loss_figure, network_figure, output_figure, weights_figure
from ui.charts.colors import plotly_text, theme
from ui.charts.network import notes_fit, ring_image
from ui.charts.output import original_unit_ticks, points_overlay
from ui.live.panel import Frame, chart, note
from ui.live.stats import Stat, stats_line
from ui.playground.health import health_chart, node_health
from ui.playground.replay import mark_epoch, replay_epoch, replay_network, replay_stats
from ui.playground.run import GRID, THUMB_STEP, PlaygroundRun, weight_tables
from ui.playground.text import TITLES
from ui.playground.trace import TracedPoint, traced
from ui.playground.trace_html import num, trace_html


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
    # Many columns are narrow: "hidden 3 · 16" would run into its neighbours.
    name = "hidden {j} · {n}" if len(sizes) <= 6 else "h{j}"
    hidden = [name.format(j=j, n=n) for j, n in enumerate(sizes[1:-1], start=1)]
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
    key = (len(run.drawn_y), show_test, theme().key())  # a theme changed in the app redraws them
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
BIAS_ROW = "1 (b)"  # the weight matrices' last row: the biases, weights of an input that is always 1


def node_notes(point: TracedPoint) -> list[list[tuple[str, ...]]]:
    """What the network picture writes beside each node for a traced point, line by line:
    the input's value, then every neuron's z and a, to 3 decimals."""
    notes = [[(num(x),) for x in point.inputs]]
    for layer in point.trace.layers:
        notes.append([(f"z {num(z)}", f"a {num(a)}") for z, a in zip(layer.z, layer.a)])
    return notes


def _place_in_plane(run: PlaygroundRun, point: TracedPoint) -> tuple[float, float] | None:
    """Where the traced point lies in the plane, as (u, v) in [0, 1]², or None off it."""
    if point.raw is None or run.grid is None:
        return None
    low, high = float(run.grid.xs[0]), float(run.grid.xs[-1])
    u, v = ((float(c) - low) / (high - low) for c in point.raw[:2])
    return (u, v) if 0 <= u <= 1 and 0 <= v <= 1 else None


TRACE_LEGEND = {
    "type": "scatter",
    "mode": "markers",
    "x": [None],
    "y": [None],
    "marker": {"symbol": "circle-open", "size": 11, "color": "black", "line": {"width": 2.2}},
    "name": "traced point",
    "hoverinfo": "skip",
}


def playground_figures(
    run: PlaygroundRun, which=ALL, *, hover: bool = True, point: TracedPoint | None = None, view=None
) -> dict[str, dict | None]:
    """Figure dicts for the pictures named in ``which`` ("output" is None for data that has
    no plane to draw on). ``hover=False`` (while playing) leaves out the hover layers;
    ``point``, a traced point, is marked on the pictures with its numbers. ``view``, a
    network of the run's shape (a replayed snapshot, ``run.replay`` its epoch), is drawn
    instead of the run's: the loss curve marks its epoch; no ΔW and no health outlines."""
    config, trainer = run.config, run.trainer
    net = run.network if view is None else view
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
            node_notes=node_notes(point) if point is not None else None,
            point=_place_in_plane(run, point) if point is not None else None,
            node_health=node_health(run) if config.get("health_colors") and view is None else None,
        )
    if "loss" in which:
        figures["loss"] = loss_figure(trainer.history.as_columns(), log_scale=config["log_scale"])
        if view is not None:
            mark_epoch(figures["loss"], run.replay)
    if "weights" in which:
        tables = weight_tables(net)
        deltas = None
        if config["show_delta"] and view is None:
            before = net.copy_with(run.previous_params if run.previous_params is not None else net.params)
            deltas = [now - then for now, then in zip(tables, weight_tables(before))]
        rows = [[*names, BIAS_ROW] for names in labels[:-1]]
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
        if point is not None and _place_in_plane(run, point) is not None:
            size = 0.06 * float(run.grid.xs[-1] - run.grid.xs[0])
            layout = figures["output"]["layout"]
            layout["images"] = [*layout.get("images", []), ring_image(*map(float, point.raw[:2]), size)]
            figures["output"]["data"].append(TRACE_LEGEND)  # the legend names the ring
    figures.update(health_figures(run, which, hover=hover))
    if view is not None and figures.get("health") is not None:
        mark_epoch(figures["health"], run.replay)
    return figures


# ---- the health view (issue 15): its chart and its cell -------------------------------------


def health_figures(run: PlaygroundRun, which, *, hover: bool) -> dict[str, dict | None]:
    """The health chart when asked for (None while the health view is off)."""
    if "health" not in which:
        return {}
    return {"health": health_chart(run, hover=hover) if run.config.get("show_health") else None}


def health_cells(figures: dict) -> list[dict]:
    """The live panel's health cell, when its chart was built."""
    figure = figures.get("health")
    return [] if figure is None else [chart("health", figure, title=TITLES["health"])]


# The panel's layout: the stats line across the top, the network beside the output, the
# weight matrices beside the loss (without a plane to draw on: no output picture).
PANEL_GRID = {"columns": "1.25fr 1fr", "areas": "'stats stats' 'network output' 'weights loss'"}
PANEL_GRID_WITHOUT_PLANE = {"columns": "1.25fr 1fr", "areas": "'stats stats' 'network loss' 'weights weights'"}


def panel_grid(run: PlaygroundRun) -> dict:
    """The panel's layout; a traced point's write-up goes under the network picture."""
    grid = dict(PANEL_GRID if run.grid is not None else PANEL_GRID_WITHOUT_PLANE)
    if run.config.get("trace"):
        rows = grid["areas"].split("' '")
        grid["areas"] = "' '".join([*rows[:2], "trace trace", *rows[2:]])
    if run.config.get("show_health"):
        grid["areas"] += " 'health health'"
    return grid


def _batch_stat(run: PlaygroundRun) -> list[Stat]:
    """Where in the epoch under way training stands, once a slow step went part of it."""
    done, count = run.trainer.batch_position
    return [Stat(f"Batches of epoch {run.trainer.epoch + 1:,}", f"{done} of {count}", "batch")] if done else []


def run_stats(run: PlaygroundRun) -> str:
    """Epoch, losses and accuracies: the stats line."""
    h = run.trainer.history
    stats = [
        Stat("Epoch", f"{run.trainer.epoch:,}", "epoch"),
        *_batch_stat(run),
        Stat("Training loss", f"{h.train_loss[-1]:.4f}", "train-loss"),
        Stat("Test loss", f"{h.test_loss[-1]:.4f}", "test-loss"),
    ]
    if h.train_accuracy:
        stats += [
            Stat("Training accuracy", f"{h.train_accuracy[-1]:.1%}", "train-accuracy"),
            Stat("Test accuracy", f"{h.test_accuracy[-1]:.1%}", "test-accuracy"),
        ]
    return stats_line(stats)


def trace_note(run: PlaygroundRun, point: TracedPoint | None, problem: str | None, pick) -> dict:
    """The panel's cell that writes the traced point out (or says why it cannot)."""
    if point is None:
        body = f'<p class="trace-problem">{escape(problem or "")}</p>'
    else:
        body = trace_html(run, point, node_labels(run), class_names(run), valid_pick(run, pick))
        if not notes_fit(list(run.network.sizes)):
            body += (
                '<p class="trace-small">In the network picture, a network this large shows each '
                "neuron's z and a when you hover over the neuron (pause first).</p>"
            )
    return note("trace", body, title=TITLES["trace"])


def valid_pick(run: PlaygroundRun, pick) -> tuple[int, int]:
    """``pick`` (layer, unit) if the network has that neuron, else its first neuron."""
    sizes = run.network.sizes
    if pick is not None and 0 <= pick[0] < len(sizes) - 1 and 0 <= pick[1] < sizes[pick[0] + 1]:
        return int(pick[0]), int(pick[1])
    return 0, 0


def frame(run: PlaygroundRun, *, playing: bool, clickable: bool, pick=None) -> Frame:
    """The live panel's frame for the run as it stands: while playing, the slow charts are
    the last ones built (``run.cadence``), and no hover layers (each redraw closes them).
    ``clickable``: clicks on the output are reported (drawing points, tracing one);
    ``pick`` (layer, unit): the neuron whose weighted sum the trace writes out."""
    view = None if playing else replay_network(run)  # paused on an earlier epoch: its snapshot
    point, problem = traced(run, view) if run.config.get("trace") else (None, None)
    # The network and the output, which mark the traced point, are rebuilt every frame (EVERY).
    figures = run.cadence.figures_now(
        lambda due: playground_figures(run, due, hover=not playing, point=point, view=view), playing=playing
    )
    charts = [
        chart(
            name,
            figures[name],
            title=TITLES[name],
            clickable=clickable and name == "output",
            crisp=name == "weights",
        )
        for name in ALL
        if figures[name] is not None
    ]
    if run.config.get("trace"):
        charts.insert(2, trace_note(run, point, problem, pick))
    charts += health_cells(figures)
    return Frame(charts, run_stats(run) if view is None else replay_stats(run, view, replay_epoch(run)))
