"""The network's health over the epochs, as small multiples: per weight layer, the size of
its gradient and of its weights, how large each update is next to the weights, the share
of its units that are dead or saturated, and the spread of its activations. One colour
per layer (the same in every panel), named by the chart's own legend."""

import numpy as np

from ui.charts.colors import theme
from ui.charts.loss import thin

MAX_POINTS = 300  # epochs drawn per line at most (longer histories are thinned evenly)

# (stat, title, axis): the six panels, in reading order (two rows of three).
PANELS = (
    ("grad_rms", "gradient size: RMS of ∂L/∂W", "log"),
    ("weight_rms", "weight size: RMS of W", "log"),
    ("update_ratio", "update-to-weight ratio: RMS of ΔW per step / RMS of W", "log"),
    ("dead_share", "dead units: 0 on every training point", "share"),
    ("saturated_share", "saturated units: |z| > 3 on most points", "share"),
    ("activations", "activations: 10–90 % of values, and the median", "linear"),
)
ROWS, COLUMNS = 2, 3
# Early layers dark, late ones light (dark purple, teal, green, olive): the order of the
# layers reads off the colours, and none is the weights' orange or blue.
LAYER_COLORS = ("#3b0f70", "#5a2d91", "#3f51a3", "#2c7a8c", "#1f968b", "#29af7f", "#62c14f", "#98c93a", "#b8a600")
# On the dark theme the same order from light to lighter (lilac, blue, teal, green, yellow).
DARK_LAYER_COLORS = ("#b39ddb", "#9fa8f0", "#6fa8dc", "#4fc3c7", "#35b89a", "#5cc97a", "#8fd45a", "#c3d941", "#e8d53a")


def layer_colors(n: int) -> list[str]:
    """``n`` colours from LAYER_COLORS, spread from the first to the last."""
    colors = DARK_LAYER_COLORS if theme().dark else LAYER_COLORS
    if n <= 1:
        return [colors[0]] * n
    return [colors[round(i)] for i in np.linspace(0, len(colors) - 1, n)]


def _rgba(color: str, alpha: float) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _axis_names(k: int) -> tuple[str, str]:
    """Plotly's names of panel ``k``'s axes: ("x", "y") for the first, ("x2", "y2") ..."""
    suffix = "" if k == 0 else str(k + 1)
    return "x" + suffix, "y" + suffix


GAP_X, GAP_Y = 0.07, 0.2  # between panels, as fractions of the plot area


def _domains(k: int) -> tuple[list[float], list[float]]:
    row, col = divmod(k, COLUMNS)
    width = (1 - GAP_X * (COLUMNS - 1)) / COLUMNS
    height = (1 - GAP_Y * (ROWS - 1)) / ROWS
    x0 = col * (width + GAP_X)
    y1 = 1 - row * (height + GAP_Y)
    return [round(x0, 4), round(x0 + width, 4)], [round(y1 - height, 4), round(y1, 4)]


def _finite(values) -> np.ndarray:
    a = np.asarray(values, dtype=np.float64)
    return np.where(np.isfinite(a), a, np.nan).astype(np.float32)


def health_figure(
    epochs,
    stats: dict[str, list],
    layer_names: list[str],
    *,
    height: int = 400,
    hover: bool = True,
) -> dict:
    """Figure dict of a network's health.

    ``epochs`` (n,) are the epochs measured; ``stats[stat][layer]`` the (n,) values of one
    of ``grad_rms``, ``weight_rms``, ``update_ratio``, ``dead_share``, ``saturated_share``
    (shares in 0..1), ``act_q10``, ``act_q50``, ``act_q90`` for each weight layer, named
    by ``layer_names``. Non-finite values are gaps. ``hover=False`` (while playing) leaves out the hover labels.
    """
    epochs = np.asarray(epochs, dtype=np.float64)
    idx = thin(len(epochs), MAX_POINTS)
    x = epochs[idx].astype(np.float32)
    colors = layer_colors(len(layer_names))
    traces: list[dict] = []
    layout: dict = {}
    annotations = []
    for k, (stat, title, kind) in enumerate(PANELS):
        xa, ya = _axis_names(k)
        x_domain, y_domain = _domains(k)
        layout["xaxis" + xa[1:]] = {
            "domain": x_domain,
            "anchor": ya,
            "rangemode": "tozero",
            "title": {"text": "epoch", "standoff": 2} if k >= COLUMNS else None,
            "tickfont": {"size": 10},
            "gridcolor": theme().grid,
        }
        y_axis = {"domain": y_domain, "anchor": xa, "tickfont": {"size": 10}, "gridcolor": theme().grid}
        if kind == "log":
            y_axis |= {"type": "log", "exponentformat": "power", "nticks": 4}
        elif kind == "share":
            y_axis |= {"range": [-0.03, 1.03], "tickformat": ".0%", "tickvals": [0, 0.5, 1]}
        layout["yaxis" + ya[1:]] = y_axis
        annotations.append(
            {
                "text": title,
                "x": x_domain[0],
                "y": y_domain[1],
                "xref": "paper",
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": theme().font_size - 2, "color": theme().ink},
            }
        )
        for j, (name, color) in enumerate(zip(layer_names, colors)):
            common = {"type": "scatter", "mode": "lines", "xaxis": xa, "yaxis": ya, "legendgroup": f"layer{j}"}
            label = f"{name} %{{y:.3g}}<br>epoch %{{x:.0f}}<extra></extra>"
            if kind == "share":
                label = f"{name} %{{y:.0%}}<br>epoch %{{x:.0f}}<extra></extra>"
            skip = {"hoverinfo": "skip"} if not hover else {}
            if stat == "activations":
                low, mid, high = (_finite(stats[q][j])[idx] for q in ("act_q10", "act_q50", "act_q90"))
                band = {**common, "hoverinfo": "skip", "showlegend": False, "line": {"width": 0, "color": color}}
                traces.append({**band, "x": x, "y": high, "name": f"{name} q90"})
                traces.append(
                    {
                        **band,
                        "x": x,
                        "y": low,
                        "name": f"{name} q10",
                        "fill": "tonexty",
                        "fillcolor": _rgba(color, 0.12),
                    }
                )
                y = mid
            else:
                y = _finite(stats[stat][j])[idx]
            traces.append(
                {
                    **common,
                    "x": x,
                    "y": y,
                    "name": name,
                    "line": {"color": color, "width": theme().lw(1.8)},
                    "showlegend": k == 0,  # one legend entry per layer, for every panel
                    **({"hovertemplate": label} if hover else skip),
                }
            )
    layout |= {
        "height": height,
        "margin": {"l": 48, "r": 12, "t": 58, "b": 36},
        "showlegend": True,
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": 1.0,
            "yanchor": "top",
            "yref": "container",
            "font": {"size": 11},
            "itemclick": False,
            "itemdoubleclick": False,
        },
        "annotations": annotations,
        "plot_bgcolor": theme().plot,
        "paper_bgcolor": theme().paper,
        "font": theme().font,
        "hovermode": "closest",
        "uirevision": "health",
    }
    return {"data": traces, "layout": layout}
