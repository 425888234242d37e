"""Width versus depth on the Universal approximation page: networks of the same parameter
budget against the target, and the hand-built zigzag that shows what depth buys."""

import numpy as np

from ui.charts.approximation import as_f32, fit_range
from ui.charts.colors import theme


def depth_colors() -> list[str]:
    """One colour per architecture, in the current theme: blue, classes 2 to 4, orange."""
    t = theme()
    return [t.blue, *t.class_colors[2:5], t.orange]


def depth_figure(
    x: np.ndarray,
    target: np.ndarray,
    curves: list[tuple[str, np.ndarray]],
    *,
    train_points: tuple[np.ndarray, np.ndarray] | None = None,
    height: int = 420,
) -> dict:
    """The target and one trained network's output per architecture, each (label, y (g,))
    in ``curves``, over ``x`` (g,)."""
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": as_f32(x),
            "y": as_f32(target),
            "name": "target",
            "line": {"color": theme().faint, "width": min(theme().lw(5), 6)},  # a band: wide already,
        }
    ]
    if train_points is not None:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": as_f32(train_points[0]),
                "y": as_f32(train_points[1]),
                "name": "samples",
                "marker": {"color": theme().ink, "size": theme().ms(3), "opacity": 0.5},
                "hoverinfo": "skip",
            }
        )
    for i, (label, y) in enumerate(curves):
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": as_f32(x),
                "y": as_f32(y),
                "name": label,
                "line": {"color": depth_colors()[i % 5], "width": theme().lw(2)},
            }
        )
    layout = {  # the legend under the x axis: the chart's toolbar, at the top right, stays clear of it
        "height": height,
        "margin": {"l": 45, "r": 10, "t": 30, "b": 100},
        "xaxis": {"title": {"text": "x"}, "zeroline": False},
        "yaxis": {"range": fit_range(target), "zerolinecolor": theme().zeroline, "gridcolor": theme().grid},
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "yref": "container", "y": 0, "yanchor": "bottom"},
        "plot_bgcolor": theme().plot,
        "paper_bgcolor": theme().paper,
        "font": theme().font,
    }
    return {"data": traces, "layout": layout}


def zigzag_figure(x: np.ndarray, y: np.ndarray, *, title: str = "", height: int = 260) -> dict:
    """The hand-built deep network's zigzag: ``y`` (g,) over ``x`` (g,)."""
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines",
                "x": as_f32(x),
                "y": as_f32(y),
                "name": "deep relu network",
                "line": {"color": theme().class_colors[2], "width": theme().lw(2)},
            }
        ],
        "layout": {
            "height": height,
            "margin": {"l": 45, "r": 10, "t": 30 if title else 10, "b": 38},
            "title": {"text": title, "font": {"size": 13}, "x": 0.01},
            "xaxis": {"title": {"text": "x"}, "zeroline": False},
            "yaxis": {"range": [-1.15, 1.15]},
            "showlegend": False,
            "plot_bgcolor": theme().plot,
            "paper_bgcolor": theme().paper,
            "font": theme().font,
        },
    }
