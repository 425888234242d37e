"""The loss curve: train and test loss per epoch, and accuracy for classification."""

import numpy as np

from ui.charts.colors import theme

MAX_POINTS = 400  # longer histories are thinned evenly (the last epoch always kept)


def thin(n: int, max_points: int = MAX_POINTS) -> np.ndarray:
    """Indices of at most ``max_points`` evenly spread entries of a history of ``n``."""
    if n <= max_points:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, max_points).round().astype(int))


def loss_figure(history: dict, *, log_scale: bool = False, height: int = 260) -> dict:
    """Figure dict from history columns (``epoch``, ``train_loss``, ``test_loss`` and, for
    classification, ``train_accuracy`` and ``test_accuracy``, equally long lists)."""
    idx = thin(len(history["epoch"]))
    epochs = np.asarray(history["epoch"], dtype=np.float32)[idx]
    traces = []
    t = theme()
    for column, name, color, dash, axis in (
        ("train_loss", "training loss", t.ink, "solid", "y"),
        ("test_loss", "test loss", t.orange, "solid", "y"),
        ("train_accuracy", "training accuracy", t.ink, "dot", "y2"),
        ("test_accuracy", "test accuracy", t.orange, "dot", "y2"),
    ):
        if history.get(column):
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": epochs,
                    "y": np.asarray(history[column], dtype=np.float32)[idx],
                    "name": name,
                    "yaxis": axis,
                    "line": {"color": color, "width": t.lw(2 if axis == "y" else 1.5), "dash": dash},
                    "hovertemplate": f"epoch %{{x:.0f}}<br>{name} %{{y:.4f}}<extra></extra>",
                }
            )
    has_accuracy = any(t["yaxis"] == "y2" for t in traces)
    layout = {
        "height": height,
        "margin": {"l": 50, "r": 45 if has_accuracy else 10, "t": 28, "b": 35},
        "xaxis": t.axis(title={"text": "epoch"}, rangemode="tozero"),
        "yaxis": t.axis(title={"text": "loss"}, type="log" if log_scale else "linear", rangemode="tozero"),
        # The chart names its own lines (while playing it is redrawn every few frames only).
        "showlegend": True,
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "font": {"size": t.font_size - 2}},
        "plot_bgcolor": t.plot,
        "paper_bgcolor": t.paper,
        "font": t.font,
        "uirevision": f"loss-{log_scale}",
    }
    if log_scale:
        del layout["yaxis"]["rangemode"]
    if has_accuracy:
        layout["yaxis2"] = {
            "title": {"text": "accuracy"},
            "overlaying": "y",
            "side": "right",
            "range": [0, 1.02],
            "tickformat": ".0%",
            "dtick": 0.25,
            "showgrid": False,
        }
    return {"data": traces, "layout": layout}
