"""The weight matrices: one block per layer in a single heatmap, the last change beside it.

Each block is a layer's table: W's rows are the neurons the connections come from, its
columns those they go to, and, when given, the bias as one more row named "b" (the
weight of an input that is always 1). Rows and columns are named beside the blocks when
there is room, and small matrices show their numbers in the cells (when paused).

One heatmap trace for all layers (blocks separated by empty columns) instead of one
subplot per layer: a Plotly redraw costs per trace and per axis, and this chart redraws
while training plays. While playing, the cells are one picture (see ``_live_picture``).
"""

import numpy as np

from ui.charts.colors import diverging_table, symmetric_limit, theme
from ui.charts.png import color_index, indexed_data_uri

_COLORS = 254  # the theme's diverging scale, then two transparent entries: 254, the gaps
CELL = 12  # pixels a cell in the live picture, one of them the white gap
GAP = 2  # empty columns before each block: room for its row names
NAMED_COLUMNS = 48  # more columns in all than this: rows and columns are not named (no room)
NUMBERED_CELLS = 120  # at most this many cells in all: the numbers are written in the cells
TOP = 48  # the top margin: the block titles sit below the chart's toolbar


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
    return indexed_data_uri(big, np.vstack([diverging_table(_COLORS), [[0, 0, 0, 0], [0, 0, 0, 0]]]))


def _blocks(matrices, starts, n_rows, n_cols, row_names, col_names, name, hover=True):
    """Place matrices side by side (NaN between them) with a hover text for every cell."""
    z = np.full((n_rows, n_cols), np.nan, np.float32)
    text = [[""] * n_cols for _ in range(n_rows)]
    for i, (M, start) in enumerate(zip(matrices, starts)):
        z[: M.shape[0], start : start + M.shape[1]] = M
        for a in range(M.shape[0] if hover else 0):
            for b in range(M.shape[1]):
                text[a][start + b] = f"{name}{i + 1}[{a}, {b}]: {row_names[i][a]} → {col_names[i][b]}<br>{M[a, b]:+.5f}"
    return z, text


def _layout(tables, starts, widths, n_rows, n_cols, row_names, col_names, titles, height) -> dict:
    """What the paused chart and the live picture share: axes, titles, row and column names."""
    # Row a of every block is drawn at y = n_rows - 1 - a: the first row on top, blocks
    # aligned at the top (the live picture is placed by its top edge, on an upright axis).
    annotations = [
        {
            "x": x,
            "y": n_rows - 0.5,
            "yanchor": "bottom",
            "text": t,
            "showarrow": False,
            "font": {"size": theme().font_size - 1},
        }
        for x, t in titles
    ]
    named = n_cols <= NAMED_COLUMNS
    for table, start, rows, cols in zip(tables, starts, row_names, col_names) if named else ():
        annotations += [
            {
                "x": start - 0.55,
                "y": n_rows - 1 - a,
                "xanchor": "right",
                "text": rows[a],
                "showarrow": False,
                "font": {"size": theme().font_size - 3},
            }
            for a in range(table.shape[0])
        ]
        annotations += [
            {
                "x": start + b,
                "y": -0.5,
                "yanchor": "top",
                "text": cols[b],
                "showarrow": False,
                "font": {"size": theme().font_size - 3},
            }
            for b in range(table.shape[1])
        ]
    return {
        "height": height or int(min(TOP + 30 + 24 * n_rows, 460)),
        "margin": {"l": 10, "r": 10, "t": TOP, "b": 22 if named else 8},
        "xaxis": {"visible": False, "range": [-0.5, n_cols - 0.5]},
        "yaxis": {"visible": False, "range": [-0.5, n_rows - 0.5]},
        "annotations": annotations,
        "font": theme().font,
        "plot_bgcolor": theme().plot,
        "paper_bgcolor": theme().paper,
        "showlegend": False,
        "uirevision": "weights",
    }


def weights_figure(
    tables: list[np.ndarray],
    row_names: list[list[str]],
    col_names: list[list[str]],
    deltas: list[np.ndarray] | None = None,
    height: int | None = None,
    *,
    hover: bool = True,
    beside_title: str = "ΔW",
    beside_format: str | None = ".2f",
) -> dict:
    """``tables[i]`` (rows, n_{i+1}): layer i's weights, rows the neurons the connections
    come from (``row_names[i]``, e.g. X₁, X₂ and "b" for a bias row), columns the neurons
    they go to (``col_names[i]``). Colours are centred at 0 on one scale shared by every
    layer. With ``deltas`` (each table's last change), ΔW stands beside each W on its own
    scale, also centred at 0. ``hover=False`` (while playing) draws the cells as one picture
    without hover texts or numbers (see ``network_figure``).

    ``deltas`` may be any matrices shaped like the tables (e.g. the loss's gradient):
    ``beside_title`` names them (titles ``<beside_title><layer>``, hover texts, and the
    colour bar, with a lower-case w for one weight: "∂L/∂W" gives "∂L/∂w"), and
    ``beside_format`` is the d3 format of their numbers in the cells (None: no numbers, e.g.
    for small values whose digits would not fit a cell; hover still gives each)."""
    widths = [T.shape[1] for T in tables]
    per_layer = [w + (GAP + w if deltas is not None else 0) for w in widths]  # W, then a gap and ΔW
    starts = GAP + np.cumsum([0] + [w + GAP for w in per_layer[:-1]])
    n_cols = int(starts[-1] + per_layer[-1])
    n_rows = max(T.shape[0] for T in tables)
    delta_starts = [int(s + w + GAP) for s, w in zip(starts, widths)]
    z, text = _blocks(tables, starts, n_rows, n_cols, row_names, col_names, "W", hover)
    titles = [
        (start + w / 2 - 0.5, f"<b>W{i + 1}</b> {T.shape[0]}×{T.shape[1]}")
        for i, (T, start, w) in enumerate(zip(tables, starts, widths))
    ]
    blocks = (list(tables), [int(s) for s in starts], list(row_names), list(col_names))
    if deltas is not None:
        titles += [(s + w / 2 - 0.5, f"{beside_title}{i + 1}") for i, (s, w) in enumerate(zip(delta_starts, widths))]
        blocks = tuple(a + b for a, b in zip(blocks, (list(deltas), delta_starts, list(row_names), list(col_names))))
    layout = _layout(*blocks[:2], widths, n_rows, n_cols, *blocks[2:], titles, height)
    if not hover:
        return _live_picture(tables, deltas, z, delta_starts, n_rows, n_cols, layout, beside_title)
    limit = symmetric_limit(*tables)
    numbers = sum(T.size for T in tables) * (2 if deltas is not None else 1) <= NUMBERED_CELLS
    common = {"type": "heatmap", "xgap": 1, "ygap": 1, "hoverongaps": False, "hovertemplate": "%{text}<extra></extra>"}
    if numbers:
        common |= {"texttemplate": "%{z:.2f}", "textfont": {"size": 10}}
    traces = [{**common, "z": z[::-1], "coloraxis": "coloraxis", "text": text[::-1]}]
    layout["coloraxis"] = {
        "colorscale": theme().diverging,
        "cmin": -limit,
        "cmax": limit,
        "colorbar": {"thickness": 10, "title": {"text": "w"}, "len": 0.9},
    }
    if deltas is not None:
        dz, dtext = _blocks(deltas, delta_starts, n_rows, n_cols, row_names, col_names, beside_title, hover)
        d = symmetric_limit(*deltas)
        beside = {**common, "z": dz[::-1], "coloraxis": "coloraxis2", "text": dtext[::-1]}
        if numbers and beside_format:
            beside["texttemplate"] = f"%{{z:{beside_format}}}"
        elif numbers:
            del beside["texttemplate"], beside["textfont"]
        traces.append(beside)
        one_weight = beside_title[:-1] + "w" if beside_title.endswith("W") else beside_title
        colorbar = {"thickness": 10, "title": {"text": one_weight}, "len": 0.9, "x": 1.08}
        layout["coloraxis2"] = {"colorscale": theme().diverging, "cmin": -d, "cmax": d, "colorbar": colorbar}
    return {"data": traces, "layout": layout}


def _live_picture(tables, deltas, z, delta_starts, n_rows, n_cols, layout, beside_title="ΔW") -> dict:
    """The matrices as one picture (what is redrawn while training plays): one image and
    a fixed colour bar, so Plotly's figure only changes when the scale steps."""
    limit = nice_limit(symmetric_limit(*tables))
    if deltas is not None:  # ΔW on its own scale: scaled into W's for one picture
        d = nice_limit(symmetric_limit(*deltas))
        dz, _ = _blocks(deltas, delta_starts, n_rows, n_cols, None, None, beside_title, False)
        z = np.where(np.isnan(z), dz * (limit / d), z)
        for note in layout["annotations"]:
            if note["text"].startswith(beside_title):
                note["text"] += f" (±{d:g})"
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
    layout["coloraxis"] = {
        "colorscale": theme().diverging,
        "cmin": -limit,
        "cmax": limit,
        "colorbar": {"thickness": 10, "title": {"text": "w"}, "len": 0.9},
    }
    return {"data": [colorbar_trace], "layout": {**layout, "images": [picture]}}
