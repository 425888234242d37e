"""The weight matrices: one block per layer in a single heatmap, the last change beside it.

One heatmap trace for all layers (blocks separated by empty columns) instead of one
subplot per layer: a Plotly redraw costs per trace and per axis, and this chart redraws
while training plays.
"""

import numpy as np

from ui.charts.colors import DIVERGING, FONT, symmetric_limit
from ui.charts.png import color_index, indexed_data_uri, lookup_table

_COLORS = 254
_PALETTE = np.vstack([lookup_table(DIVERGING, _COLORS), [[0, 0, 0, 0], [0, 0, 0, 0]]])  # 254: gaps
CELL = 12  # pixels a cell in the live picture, one of them the white gap


def nice_limit(value: float) -> float:
    """The colour scale's half-width rounded up to 1, 1.5, 2, 3, 5 or 7.5 times a power of
    ten: while training plays the scale then stays put for many frames."""
    power = 10.0 ** np.floor(np.log10(value))
    return float(next(step * power for step in (1, 1.5, 2, 3, 5, 7.5, 10) if step * power >= value))


def _picture(z: np.ndarray, limit: float) -> str:
    """z (rows, cols), NaN for no cell, as a palette PNG of CELL-pixel squares with gaps."""
    index = color_index(np.clip(z, -limit, limit), -limit, limit, _COLORS)
    big = np.kron(index, np.ones((CELL, CELL), np.uint8))
    big[CELL - 1 :: CELL, :] = _COLORS  # the gap below and right of every cell
    big[:, CELL - 1 :: CELL] = _COLORS
    return indexed_data_uri(big, _PALETTE)


def _blocks(matrices, starts, n_rows, n_cols, labels, name, hover=True):
    """Place matrices side by side (NaN between them) with a hover text for every cell."""
    z = np.full((n_rows, n_cols), np.nan, np.float32)
    text = [[""] * n_cols for _ in range(n_rows)]
    for i, (M, start) in enumerate(zip(matrices, starts)):
        z[: M.shape[0], start : start + M.shape[1]] = M
        for a in range(M.shape[0] if hover and labels is not None else 0):
            for b in range(M.shape[1]):
                text[a][start + b] = f"{name}{i + 1}[{a}, {b}]: {labels[i][a]} → {labels[i + 1][b]}<br>{M[a, b]:+.5f}"
    return z, text


def weights_figure(
    weights: list[np.ndarray],
    node_labels: list[list[str]],
    deltas: list[np.ndarray] | None = None,
    height: int | None = None,
    *,
    hover: bool = True,
) -> dict:
    """``weights[i]`` (n_i, n_{i+1}): rows are the neurons the connections come from
    (``node_labels[i]``), columns the neurons they go to (``node_labels[i + 1]``). Colours
    are centred at 0 on one scale shared by every layer. With ``deltas`` (each matrix's
    last change), ΔW stands beside each W on its own scale, also centred at 0.
    ``hover=False`` leaves out the per-cell hover texts (see ``network_figure``)."""
    widths = [W.shape[1] for W in weights]
    per_layer = [w + (w + 1 if deltas is not None else 0) for w in widths]  # W, then a gap and ΔW
    starts = np.cumsum([0] + [w + 1 for w in per_layer[:-1]])  # one empty column between layers
    n_cols = int(starts[-1] + per_layer[-1])
    n_rows = max(W.shape[0] for W in weights)
    z, text = _blocks(weights, starts, n_rows, n_cols, node_labels, "W", hover)
    limit = symmetric_limit(*weights)
    if not hover:
        return _live_picture(weights, deltas, z, starts, widths, n_rows, n_cols, height)
    common = {"type": "heatmap", "xgap": 1, "ygap": 1, "hoverongaps": False}
    common |= {"hovertemplate": "%{text}<extra></extra>"} if hover else {"hoverinfo": "skip"}
    traces = [{**common, "z": z, "coloraxis": "coloraxis"} | ({"text": text} if hover else {})]
    titles = [
        (start + w / 2 - 0.5, f"<b>W{i + 1}</b> {W.shape[0]}×{W.shape[1]}")
        for i, (W, start, w) in enumerate(zip(weights, starts, widths))
    ]
    layout = {
        "coloraxis": {
            "colorscale": DIVERGING,
            "cmin": -limit,
            "cmax": limit,
            "colorbar": {"thickness": 10, "title": {"text": "w"}, "len": 0.9},
        }
    }
    if deltas is not None:
        dz, dtext = _blocks(
            deltas, [s + w + 1 for s, w in zip(starts, widths)], n_rows, n_cols, node_labels, "ΔW", hover
        )
        d = symmetric_limit(*deltas)
        traces.append({**common, "z": dz, "coloraxis": "coloraxis2"} | ({"text": dtext} if hover else {}))
        titles += [(s + w + 1 + w / 2 - 0.5, f"ΔW{i + 1}") for i, (s, w) in enumerate(zip(starts, widths))]
        colorbar = {"thickness": 10, "title": {"text": "Δw"}, "len": 0.9, "x": 1.08}
        layout["coloraxis2"] = {"colorscale": DIVERGING, "cmin": -d, "cmax": d, "colorbar": colorbar}
    layout.update(
        height=height or int(min(70 + 24 * n_rows, 440)),
        margin={"l": 10, "r": 10, "t": 28, "b": 10},
        xaxis={"visible": False, "range": [-0.5, n_cols - 0.5]},
        yaxis={"visible": False, "autorange": "reversed"},
        annotations=[
            {"x": x, "y": -0.5, "yanchor": "bottom", "text": t, "showarrow": False, "font": {"size": 12}}
            for x, t in titles
        ],
        font=FONT,
        plot_bgcolor="white",
        uirevision="weights",
    )
    return {"data": traces, "layout": layout}


def _live_picture(weights, deltas, z, starts, widths, n_rows, n_cols, height) -> dict:
    """The matrices as one picture (what is redrawn while training plays): one image and
    a fixed colour bar, so Plotly's figure only changes when the scale steps."""
    limit = nice_limit(symmetric_limit(*weights))
    if deltas is not None:  # ΔW on its own scale: scaled into W's for one picture
        d = nice_limit(symmetric_limit(*deltas))
        dz, _ = _blocks(deltas, [s + w + 1 for s, w in zip(starts, widths)], n_rows, n_cols, None, "ΔW", False)
        z = np.where(np.isnan(z), dz * (limit / d), z)
    titles = [
        (start + w / 2 - 0.5, f"<b>W{i + 1}</b> {W.shape[0]}×{W.shape[1]}")
        for i, (W, start, w) in enumerate(zip(weights, starts, widths))
    ]
    if deltas is not None:
        titles += [(s + w + 1 + w / 2 - 0.5, f"ΔW{i + 1} (±{d:g})") for i, (s, w) in enumerate(zip(starts, widths))]
    picture = {
        "source": _picture(z, limit),
        "xref": "x",
        "yref": "y",
        "x": -0.5,
        "y": n_rows - 0.5,
        "sizex": n_cols,
        "sizey": n_rows,
        "sizing": "stretch",
        "layer": "above",
    }
    colorbar_trace = {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "markers",
        "hoverinfo": "skip",
        "marker": {"coloraxis": "coloraxis", "color": [0.0]},
    }
    return {
        "data": [colorbar_trace],
        "layout": {
            "coloraxis": {
                "colorscale": DIVERGING,
                "cmin": -limit,
                "cmax": limit,
                "colorbar": {"thickness": 10, "title": {"text": "w"}, "len": 0.9},
            },
            "images": [picture],
            "height": height or int(min(70 + 24 * n_rows, 440)),
            "margin": {"l": 10, "r": 10, "t": 28, "b": 10},
            "xaxis": {"visible": False, "range": [-0.5, n_cols - 0.5]},
            "yaxis": {"visible": False, "range": [-0.5, n_rows - 0.5]},
            "annotations": [
                {"x": x, "y": n_rows - 0.5, "yanchor": "bottom", "text": t, "showarrow": False, "font": {"size": 12}}
                for x, t in titles
            ],
            "font": FONT,
            "plot_bgcolor": "white",
            "showlegend": False,
            "uirevision": "weights",
        },
    }
