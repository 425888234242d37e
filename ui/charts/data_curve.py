"""More data: the final training and test loss against the number of training points, on a
log x axis, one marker per size trained. Pure builder (see ui/charts/__init__.py); the
lines are named and coloured as the loss curve names and colours them (``ui.charts.loss``:
training in the theme's ink, test in its orange), by a legend the chart draws."""

import numpy as np

from ui.charts.colors import theme

HEIGHT = 320


def data_curve_figure(
    n_train: np.ndarray,
    train_loss: np.ndarray,
    test_loss: np.ndarray,
    *,
    loss_name: str = "loss",
    diverged: np.ndarray | None = None,
    height: int = HEIGHT,
) -> dict:
    """Training and test loss (``loss_name``) against ``n_train`` training points (log x
    axis, a tick at every size); ``diverged`` marks the sizes whose training diverged
    (an open marker)."""
    t = theme()
    n_train = np.asarray(n_train, dtype=float)
    open_marker = np.zeros(len(n_train), bool) if diverged is None else np.asarray(diverged, bool)
    symbols = np.where(open_marker, "circle-open", "circle").tolist()
    traces = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": n_train,
            "y": np.asarray(values, dtype=float),
            "name": name,
            "line": {"color": color, "width": t.lw(2.4)},
            "marker": {"color": color, "size": t.ms(9), "symbol": symbols},
            "hovertemplate": f"%{{x:,}} training points<br>{name} %{{y:.3g}}<extra></extra>",
        }
        for values, name, color in ((test_loss, "test loss", t.orange), (train_loss, "training loss", t.ink))
    ]
    if open_marker.any():  # what an open marker means, in the legend
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [None],
                "y": [None],
                "name": "training diverged",
                "marker": {"color": t.ink, "size": t.ms(9), "symbol": "circle-open"},
            }
        )
    ticks = [float(n) for n in n_train]
    return {
        "data": traces,
        "layout": {
            "height": height,
            "margin": {"l": 55, "r": 15, "t": 36, "b": 45},
            "xaxis": t.axis(
                title={"text": "training points (log scale)"},
                type="log",
                tickvals=ticks,
                ticktext=[f"{int(n):,}" for n in ticks],
            ),
            "yaxis": t.axis(title={"text": loss_name}, rangemode="tozero"),
            "showlegend": True,
            "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "font": {"color": t.ink}},
            "plot_bgcolor": t.plot,
            "paper_bgcolor": t.paper,
            "font": t.font,
        },
    }
