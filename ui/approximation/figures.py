"""The Universal approximation page's pictures for the current state of a run, as figure
dicts, the live panel's frames (stats line, fit, error and loss charts) and its layout.

The pieces v_j·h_j(x) travel as two NaN-separated traces (v_j > 0 and v_j < 0), never one
trace per neuron. A relu piece is straight on both sides of its kink, so three points
draw it exactly and all 256 pieces cost 1,024 points; a smooth activation's pieces need
a curve each, so only the MAX_SMOOTH_PIECES largest are drawn (the title says so).
"""

import html

import numpy as np

from engine.approximation import FitResult, zigzag_network
from engine.surgery import contributions, kink_positions, output_bias
from ui.approximation.run import ApproximationRun
from ui.charts.approximation import (
    BLUE,
    GREY,
    INK,
    ORANGE,
    OUTPUT_COLOR,
    TARGET_COLOR,
    error_width_figure,
    fit_figure,
    fit_range,
    legend_html,
    loss_events_figure,
    pieces_range,
    samples_overlay,
)
from ui.charts.depth import depth_figure, zigzag_figure
from ui.charts.loss import thin
from ui.live.panel import Frame, chart
from ui.live.stats import Stat, stats_line

# The panel's layout: the stats line across the top, the fit beside the error and the loss.
GRID = {"columns": "1.4fr 1fr", "areas": "'stats stats' 'fit error' 'fit loss'"}
PIECEWISE_LINEAR = ("relu", "leaky_relu", "linear")
KINK_NAMES = {"relu": "kink", "leaky_relu": "kink", "step": "jump", "tanh": "centre", "sigmoid": "centre"}
MAX_SMOOTH_PIECES = 32
SMOOTH_POINTS = 61
DISPLAY_STEP = 2  # the curves are drawn on every second point of the 1,001-point grid
X_MARGIN = 0.05  # the x axis reaches this far past the domain, so edge points show whole
MAX_EVENTS = 60  # the last ones are drawn on the loss chart
FIT_HEIGHT = 560
COMPACT_FIT_HEIGHT = 430  # presentation mode: the fit and the error chart within 1280x720


def piece_curves(network, low: float, high: float) -> tuple[np.ndarray, np.ndarray]:
    """Points of every unit's piece over [low, high]: x and y, each (m, n), column j the
    curve of unit j (exact for piecewise-linear and step activations)."""
    activation = network.hidden_activation_names[0]
    n = network.sizes[1]
    if activation in PIECEWISE_LINEAR or activation == "step":
        k = np.nan_to_num(kink_positions(network), nan=low)
        if activation == "step":
            eps = 1e-9 * (high - low)
            x = np.stack([np.full(n, low), k - eps, k + eps, np.full(n, high)])
        else:
            x = np.stack([np.full(n, low), k, np.full(n, high)])
        x = np.clip(x, low, high)
    else:
        x = np.repeat(np.linspace(low, high, SMOOTH_POINTS)[:, None], n, axis=1)
    return x, contributions(network, x)


def _joined(x: np.ndarray, y: np.ndarray, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The chosen columns' curves one after another, NaN between them (a gap in the line)."""
    gap = np.full((1, len(columns)), np.nan)
    return (
        np.vstack([x[:, columns], gap]).ravel(order="F"),
        np.vstack([y[:, columns], gap]).ravel(order="F"),
    )


def pieces_of(network, low: float, high: float) -> dict:
    """{"up": (x, y), "down": (x, y), "shown", "total"}: the pieces with v_j >= 0 and
    v_j < 0 as NaN-separated curves; smooth activations keep the largest pieces only."""
    x, y = piece_curves(network, low, high)
    total = y.shape[1]
    columns = np.arange(total)
    if network.hidden_activation_names[0] not in (*PIECEWISE_LINEAR, "step") and total > MAX_SMOOTH_PIECES:
        columns = np.sort(np.argsort(-np.max(np.abs(y), axis=0), kind="stable")[:MAX_SMOOTH_PIECES])
    v = network.W[1][:, 0]
    return {
        "up": _joined(x, y, columns[v[columns] >= 0]),
        "down": _joined(x, y, columns[v[columns] < 0]),
        "shown": len(columns),
        "total": total,
    }


def fit_title(run: ApproximationRun, shown: int, total: int) -> str:
    net = run.network
    activation = net.hidden_activation_names[0]
    top = legend_html(
        [
            ("line", TARGET_COLOR, f"target {html.escape(run.target.label)}"),
            ("line", OUTPUT_COLOR, "network"),
            ("dot", INK, "training points"),
            ("dot", ORANGE, "held out"),
        ]
    )
    items = [("line", BLUE, "v<sub>j</sub> &gt; 0"), ("line", ORANGE, "v<sub>j</sub> &lt; 0"), ("dash", INK, "bias")]
    if activation in KINK_NAMES:
        items.append(("tick", GREY, f"{KINK_NAMES[activation]}s −b<sub>j</sub>/w<sub>j</sub>"))
    which = f"the {shown} largest of {total} pieces" if shown < total else f"all {total} pieces"
    return (
        f"<b>The fit</b> &nbsp; {top}<br>"
        f"<b>The pieces</b> v<sub>j</sub>·{activation}(w<sub>j</sub>x + b<sub>j</sub>), {which}: "
        f"they add up, with the output bias, to the network &nbsp; {legend_html(items)}"
    )


def _samples(run: ApproximationRun, x_range: list[float], y_range: list[float]) -> dict:
    """The samples' picture, drawn once per run (the samples never change)."""
    if run.samples_image is None:
        trainer = run.trainer
        run.samples_image = samples_overlay(
            (trainer.X_train[:, 0], trainer.y_train[:, 0]),
            (trainer.X_test[:, 0], trainer.y_test[:, 0]),
            x_range,
            y_range,
        )
    return run.samples_image


def fit_picture(run: ApproximationRun, height: int = FIT_HEIGHT) -> tuple[dict, str]:
    """The fit chart (``height`` pixels tall) and its title."""
    net, grid = run.network, run.grid
    x = grid[::DISPLAY_STEP]
    output = net.forward(x[:, None])[:, 0]
    low, high = float(grid[0]), float(grid[-1])
    pieces = pieces_of(net, low, high)
    bias = output_bias(net)
    activation = net.hidden_activation_names[0]
    x_range = [low - X_MARGIN, high + X_MARGIN]
    y_range = fit_range(run.grid_values, run.target.data.y)
    figure = fit_figure(
        x,
        run.grid_values[::DISPLAY_STEP],
        output,
        samples=_samples(run, x_range, y_range),
        pieces_up=pieces["up"],
        pieces_down=pieces["down"],
        bias=bias,
        kinks=kink_positions(net) if activation in KINK_NAMES else None,
        kink_name=KINK_NAMES.get(activation, "kink"),
        x_range=x_range,
        y_range=y_range,
        y2_range=pieces_range([pieces["up"][1], pieces["down"][1]], bias),
        height=height,
    )
    return figure, fit_title(run, pieces["shown"], pieces["total"])


ERROR_TITLE = "<b>Error versus neurons</b>, measured on 1,001 points against the clean target<br>" + legend_html(
    [("line", INK, "max error"), ("line", BLUE, "RMSE"), ("dash", INK, "sweep"), ("ring", INK, "now")]
)
LOSS_TITLE = "<b>Loss</b> per epoch (mean squared error / 2)<br>" + legend_html(
    [("line", INK, "training"), ("line", ORANGE, "held out"), ("dotted", GREY, "neurons changed")]
)


def error_picture(run: ApproximationRun, sweep=None) -> dict:
    """Error versus neurons: the settled records, the sweep (FitResults, or None), now."""
    records = [(r.width, r.max_error, r.rmse) for r in run.records.values()]
    rows = [(r.width, r.max_error, r.rmse) for r in sweep] if sweep else None
    return error_width_figure(records, rows, (run.width, *run.errors()))


def loss_picture(run: ApproximationRun) -> dict:
    h = run.trainer.history
    idx = thin(len(h.epoch))

    def pick(column: list) -> np.ndarray:  # O(points shown), not O(history)
        return np.array([column[i] for i in idx])

    return loss_events_figure(pick(h.epoch), pick(h.train_loss), pick(h.test_loss), run.events[-MAX_EVENTS:])


def run_stats(run: ApproximationRun) -> str:
    """Epoch, neurons, parameters, loss and the grid errors: the stats line."""
    max_error, rmse = run.errors()
    return stats_line(
        [
            Stat("Epoch", f"{run.trainer.epoch:,}", "epoch"),
            Stat("Neurons", f"{run.width}", "neurons"),
            Stat("Parameters", f"{run.network.n_params:,}", "params"),
            Stat("Training loss", f"{run.trainer.history.train_loss[-1]:.3g}", "train-loss"),
            Stat("Max error", f"{max_error:.4f}", "max-error"),
            Stat("RMSE", f"{rmse:.4f}", "rmse"),
        ]
    )


def frame(run: ApproximationRun, sweep: list[FitResult] | None, *, playing: bool, compact: bool = False) -> Frame:
    """The live panel's frame for the run as it stands: the fit is rebuilt every frame;
    while playing, the error and loss charts are the last ones built (``run.cadence``).
    ``compact``: a lower fit chart (presentation mode)."""
    fit, title = fit_picture(run, COMPACT_FIT_HEIGHT if compact else FIT_HEIGHT)
    builders = {"error": lambda: error_picture(run, sweep), "loss": lambda: loss_picture(run)}
    slow = run.cadence.figures_now(lambda due: {name: builders[name]() for name in due}, playing=playing)
    charts = [
        chart("fit", fit, title=title),
        chart("error", slow["error"], title=ERROR_TITLE),
        chart("loss", slow["loss"], title=LOSS_TITLE),
    ]
    return Frame(charts, run_stats(run))


def architecture_label(result) -> str:
    hidden = result.sizes[1:-1]
    layers = f"{hidden[0]}" if len(hidden) == 1 else " × ".join(map(str, hidden))
    return f"{len(hidden)} layer{'s' if len(hidden) > 1 else ''}: {layers}"


def depth_picture(run: ApproximationRun, results) -> dict:
    curves = [
        (f"{architecture_label(r)} ({r.n_params} params)", r.network.forward(run.grid[:, None])[:, 0]) for r in results
    ]
    trainer = run.trainer
    return depth_figure(run.grid, run.grid_values, curves, train_points=(trainer.X_train[:, 0], trainer.y_train[:, 0]))


def depth_rows(results) -> list[dict]:
    """The comparison as table rows."""
    return [
        {
            "hidden layers": r.depth,
            "architecture": "-".join(map(str, r.sizes)),
            "parameters": r.n_params,
            "max error": round(r.max_error, 4),
            "RMSE": round(r.rmse, 4),
        }
        for r in results
    ]


def zigzag_picture(depth: int) -> dict:
    x = np.linspace(-2.0, 2.0, 2049)
    y = zigzag_network(depth).forward(x[:, None])[:, 0]
    return zigzag_figure(x, y)
