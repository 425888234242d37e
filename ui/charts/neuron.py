"""Pictures of a single neuron: its output over the input plane (flat, with the line
w·x + b = 0 and the weight vector, and as a 3-D surface), the perceptron's progress, the
output of a stack of layers with its boundary, and a gallery of activations.

Pure builders (see ui/charts/__init__.py). Every chart draws its own key: a Plotly legend
entry for each line and kind of point, in the colour drawn, and a colour bar with labelled
ticks for the values. The flat pictures are heatmap traces, not pictures laid over the
plot (as the live Playground's are, ``ui.charts.output``): a live panel lays pictures over
the traces, which would cover the line and the rings. Nothing here is live, and a 61 × 61
heatmap is cheap.

Words on screen that name a colour take it from ``COLOR_NAMES`` with the constant the
chart draws with, so the two cannot drift apart. Every chart but the activation gallery
takes its colours from the session's theme (``theme()``); the gallery is built once for
every session (cached by its caller), so it keeps the light theme's, which its words name.
"""

import numpy as np

from ui.charts.colors import BLUE, FONT, INK, ORANGE, theme

WRONG = "#d62728"
UPDATES = "#c5d8e6"
F_COLOR, DERIVATIVE_COLOR = BLUE, ORANGE  # the gallery's f(z) and f′(z)
COLOR_NAMES = {INK: "black", WRONG: "red", BLUE: "blue", ORANGE: "orange", UPDATES: "light blue"}
LINE_NAME = "w·x + b = 0"
POINT_NAME = "input (x₁, x₂)"
LOOKED_AT_NAME = "the point looked at"
BEFORE_NAME = "the line before this step"
TOOLBAR = 30  # px above each plot: room for Plotly's toolbar, which shows on hover
LEGEND_ROW = 24  # px below the axis for a row of legend entries
PICTURE_HEIGHT = 340
# A legend under the plot, at the chart's bottom edge (see-through: it never hides a label).
LEGEND = {
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "y": 0,
    "yanchor": "bottom",
    "yref": "container",
    "bgcolor": "rgba(0,0,0,0)",
}
# Three or four entries: two to a row, whatever the chart's width, under two rows' room.
TWO_COLUMNS = {**LEGEND, "entrywidth": 0.5, "entrywidthmode": "fraction"}


def clip_line(w: np.ndarray, b: float, extent: float) -> np.ndarray | None:
    """The segment (2, 2) of the line w·x + b = 0 inside the square [-extent, extent]²,
    or None when w = 0 (no line) or the line misses the square."""
    w = np.asarray(w, dtype=float)
    norm2 = float(w @ w)
    if norm2 < 1e-12:
        return None
    p0 = -b * w / norm2  # the line's point nearest the origin
    d = np.array([-w[1], w[0]]) / np.sqrt(norm2)  # along the line
    low, high = -np.inf, np.inf
    for i in range(2):
        if abs(d[i]) < 1e-12:
            if abs(p0[i]) > extent:
                return None
            continue
        t1, t2 = sorted(((-extent - p0[i]) / d[i], (extent - p0[i]) / d[i]))
        low, high = max(low, t1), min(high, t2)
    if low >= high:
        return None
    return np.array([p0 + low * d, p0 + high * d])


def _ticks(low: float, high: float) -> dict:
    """Three labelled ticks: both ends and the middle (the grey of the diverging scale)."""
    values = [low, 0.5 * (low + high), high]
    return {"tickvals": values, "ticktext": [f"{v:.3g}" for v in values]}


def _round_ticks(low: float, high: float) -> dict:
    """Ticks at round values (1, 2 or 5 times a power of ten) within [low, high], about
    half the span apart."""
    raw = max(high - low, 1e-9) / 2
    magnitude = 10.0 ** np.floor(np.log10(raw))
    step = magnitude * min((1, 2, 5, 10), key=lambda m: abs(m * magnitude - raw))
    values = np.arange(np.ceil(low / step - 1e-9), np.floor(high / step + 1e-9) + 1) * step + 0.0  # no -0
    return {"tickvals": [float(v) for v in values], "ticktext": [f"{v:.3g}" for v in values]}


def _plane_layout(xs: np.ndarray, height: int) -> dict:
    """Square axes x₁, x₂ over the cells centred at ``xs``, a legend under them."""
    half = 0.5 * float(xs[1] - xs[0])
    axis = {"range": [float(xs[0]) - half, float(xs[-1]) + half], "zeroline": False, "showgrid": False}
    return {
        "height": height,
        "margin": {"l": 50, "r": 10, "t": TOOLBAR, "b": 50 + LEGEND_ROW},
        "xaxis": {**axis, "constrain": "domain", "title": {"text": "x₁", "standoff": 10}},
        "yaxis": {**axis, "constrain": "domain", "scaleanchor": "x", "title": {"text": "x₂", "standoff": 10}},
        "showlegend": True,
        "legend": LEGEND,
        "plot_bgcolor": theme().plot,
        "paper_bgcolor": theme().paper,
        "font": theme().font,
    }


def _value_heatmap(xs: np.ndarray, values: np.ndarray, value_range: tuple[float, float], name: str) -> dict:
    """``values`` (n, n) [row = x₂, column = x₁] on the diverging scale over ``value_range``,
    with a colour bar titled ``name``. Smoothed between the cells, unless the values take
    two values only (a step neuron): smoothing would draw values it never takes."""
    low, high = value_range
    two_valued = len(np.unique(values)) <= 2
    return {
        "type": "heatmap",
        "x": xs.astype(np.float32),
        "y": xs.astype(np.float32),
        "z": values.astype(np.float32),
        "colorscale": theme().diverging,
        "zmin": low,
        "zmax": high,
        "zsmooth": False if two_valued else "best",
        "colorbar": {"title": {"text": name}, "thickness": 12, "outlinewidth": 0, **_ticks(low, high)},
        "hovertemplate": f"x₁ %{{x:.2f}}<br>x₂ %{{y:.2f}}<br>{name} %{{z:.3f}}<extra></extra>",
        "showlegend": False,
    }


def _line_trace(segment: np.ndarray, name: str = LINE_NAME) -> dict:
    return {
        "type": "scatter",
        "mode": "lines",
        "x": segment[:, 0],
        "y": segment[:, 1],
        "line": {"color": theme().ink, "width": theme().lw(3)},
        "name": name,
        "hovertemplate": f"{name}<extra></extra>",
    }


def _arrow(start: np.ndarray, end: np.ndarray, text: str) -> dict:
    return {
        "x": float(end[0]),
        "y": float(end[1]),
        "ax": float(start[0]),
        "ay": float(start[1]),
        "xref": "x",
        "yref": "y",
        "axref": "x",
        "ayref": "y",
        "showarrow": True,
        "arrowhead": 2,
        "arrowsize": 1.3,
        "arrowwidth": 2.5,
        "arrowcolor": theme().ink,
        "text": text,
        "font": {"size": theme().font_size + 2, "color": theme().ink},
        "xanchor": "left",
        "yanchor": "bottom",
    }


def neuron_plane_figure(
    xs: np.ndarray,
    values: np.ndarray,
    w: np.ndarray,
    b: float,
    value_range: tuple[float, float],
    *,
    point: tuple[float, float, float] | None = None,
    height: int = PICTURE_HEIGHT,
) -> dict:
    """The neuron's output ``values`` (n, n) [row = x₂, column = x₁] over the square of
    cell centres ``xs``, coloured over ``value_range`` (with a colour bar "a"), the line
    w·x + b = 0, an arrow along w (towards growing w·x + b), and the input ``point``
    (x₁, x₂, a) the diagram follows, with its output a on hover."""
    fig = {"data": [_value_heatmap(xs, values, value_range, "a")], "layout": _plane_layout(xs, height)}
    extent = float(xs[-1])
    segment = clip_line(w, b, extent)
    if segment is not None:
        fig["data"].append(_line_trace(segment))
        middle = segment.mean(axis=0)
        tip = middle + 0.25 * 2 * extent * np.asarray(w, dtype=float) / np.linalg.norm(w)
        fig["layout"]["annotations"] = [_arrow(middle, tip, " w")]
    if point is not None:
        fig["data"].append(_point_trace(point))
    fig["layout"]["uirevision"] = "neuron-plane"
    return fig


POINT_MARKER = {"color": "white", "size": 13, "symbol": "diamond", "line": {"color": INK, "width": 2.5}}


def _point_marker(**changes) -> dict:
    """POINT_MARKER in the current theme: a white diamond ringed in black in every theme
    (it sits on the diverging colours, not on the page), larger on the projector."""
    t = theme()
    return {**POINT_MARKER, "size": t.ms(13), "line": {"color": INK, "width": t.lw(2.5)}, **changes}


def _point_trace(point: tuple[float, float, float]) -> dict:
    """The input point (x₁, x₂, a) as a white diamond ringed in black: clear on every colour
    of the scale."""
    x1, x2, a = point
    return {
        "type": "scatter",
        "mode": "markers",
        "x": [x1],
        "y": [x2],
        "marker": _point_marker(),
        "name": POINT_NAME,
        "hovertemplate": f"x₁ = {x1:.3f}<br>x₂ = {x2:.3f}<br>a = {a:.3f}<extra></extra>",
    }


def neuron_surface_figure(
    xs: np.ndarray,
    values: np.ndarray,
    value_range: tuple[float, float],
    segment: np.ndarray | None,
    level: float,
    *,
    heights: tuple[float, float] | None = None,
    point: tuple[float, float, float] | None = None,
    height: int = PICTURE_HEIGHT,
) -> dict:
    """The output as a 3-D surface over the plane, coloured as the flat picture, with the
    line w·x + b = 0 (``segment`` (2, 2) or None) drawn on it at height ``level`` = f(0),
    and the input ``point`` (x₁, x₂, a) on it at its height a.
    The height axis spans ``heights`` (low, high; ``value_range`` if None), labelled at
    round values, with room below so that its labels stay clear of the floor's."""
    low, high = heights or value_range
    span = max(high - low, 1e-6)
    traces = [
        {
            "type": "surface",
            "x": xs.astype(np.float32),
            "y": xs.astype(np.float32),
            "z": values.astype(np.float32),
            "colorscale": theme().diverging,
            "cmin": value_range[0],
            "cmax": value_range[1],
            "showscale": False,
            "hovertemplate": "x₁ %{x:.2f}<br>x₂ %{y:.2f}<br>a %{z:.3f}<extra></extra>",
            "contours": {"z": {"show": False}},
        }
    ]
    if segment is not None:
        traces.append(
            {
                "type": "scatter3d",
                "mode": "lines",
                "x": segment[:, 0],
                "y": segment[:, 1],
                "z": [level, level],
                "line": {"color": theme().ink, "width": theme().lw(7)},
                "hoverinfo": "skip",
                "name": LINE_NAME,
            }
        )
    if point is not None:
        x1, x2, a = point
        traces.append(
            {
                "type": "scatter3d",
                "mode": "markers",
                "x": [x1],
                "y": [x2],
                "z": [a],
                "marker": _point_marker(size=theme().ms(6), line={"color": INK, "width": theme().lw(4)}),
                "name": POINT_NAME,
                "hovertemplate": f"x₁ = {x1:.3f}<br>x₂ = {x2:.3f}<br>a = {a:.3f}<extra></extra>",
            }
        )
    floor = {"tickvals": [-4, 0, 4]}  # none at the corners, where the height's labels are
    axis = {"backgroundcolor": theme().plot, "gridcolor": theme().grid, "showspikes": False}
    return {
        "data": traces,
        "layout": {
            "height": height,
            "margin": {"l": 0, "r": 0, "t": TOOLBAR, "b": LEGEND_ROW},
            "scene": {
                "xaxis": {**axis, **floor, "title": {"text": "x₁"}},
                "yaxis": {**axis, **floor, "title": {"text": "x₂"}},
                "zaxis": {
                    **axis,
                    **_round_ticks(low, high),
                    "range": [low - 0.3 * span, high + 0.02 * span],
                    "title": {"text": "a"},
                },
                "aspectmode": "manual",
                "aspectratio": {"x": 1, "y": 1, "z": 0.7},
                "camera": {"eye": {"x": -1.55, "y": -2.45, "z": 1.2}},  # far enough for every label
            },
            "showlegend": len(traces) > 1,
            "legend": LEGEND,
            "paper_bgcolor": theme().paper,
            "font": theme().font,
            "uirevision": "neuron-surface",
        },
    }


def perceptron_figure(
    xs: np.ndarray,
    predicted: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    b: float,
    wrong_X: np.ndarray,
    *,
    looked_at: np.ndarray | None = None,
    before: np.ndarray | None = None,
    height: int = PICTURE_HEIGHT,
) -> dict:
    """The perceptron's classes over the plane (``predicted`` (n, n) of 0 and 1, light),
    the points ``X`` (m, 2) of classes ``y`` (m,), its line, and a ring around each point
    it gets wrong (``wrong_X`` (k, 2)). Step by step: a large black ring around the point
    the step ``looked_at`` (2,), and the line ``before`` the step (a segment (2, 2),
    dashed) when the step moved it."""
    c0, c1 = theme().class_colors[:2]
    traces = [
        {
            "type": "heatmap",
            "x": xs.astype(np.float32),
            "y": xs.astype(np.float32),
            "z": predicted.astype(np.float32),
            "colorscale": [[0.0, c0], [0.5, c0], [0.5, c1], [1.0, c1]],
            "zmin": 0,
            "zmax": 1,
            "opacity": 0.35,
            "showscale": False,
            "showlegend": False,
            "hovertemplate": "the line gives class %{z}<extra></extra>",
        }
    ]
    for k in (0, 1):
        mine = X[y == k]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": mine[:, 0],
                "y": mine[:, 1],
                "marker": {
                    "color": theme().class_colors[k],
                    "size": theme().ms(7),
                    "line": {"color": "white", "width": 1},
                },
                "name": f"class {k}",
                "hovertemplate": f"class {k}<extra></extra>",
            }
        )
    segment = clip_line(w, b, float(xs[-1]))
    if before is not None:
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": before[:, 0],
                "y": before[:, 1],
                "line": {"color": theme().ink, "width": theme().lw(2), "dash": "dash"},
                "name": BEFORE_NAME,
                "hovertemplate": f"{BEFORE_NAME}<extra></extra>",
            }
        )
    if segment is not None:
        traces.append(_line_trace(segment))
    if looked_at is not None:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [float(looked_at[0])],
                "y": [float(looked_at[1])],
                "marker": {"symbol": "circle-open", "size": 24, "color": theme().ink, "line": {"width": 3.5}},
                "name": LOOKED_AT_NAME,
                "hovertemplate": f"{LOOKED_AT_NAME}<br>x₁ %{{x:.3f}}<br>x₂ %{{y:.3f}}<extra></extra>",
            }
        )
    if len(wrong_X):
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": wrong_X[:, 0],
                "y": wrong_X[:, 1],
                "marker": {"symbol": "circle-open", "size": 15, "color": WRONG, "line": {"width": 2.5}},
                "name": "on the wrong side",
                "hovertemplate": "on the wrong side<extra></extra>",
            }
        )
    layout = _plane_layout(xs, height)
    rows = -(-sum(t.get("showlegend", True) for t in traces) // 2)  # two entries to a row
    layout["margin"]["b"] += LEGEND_ROW * (max(rows, 2) - 1)
    layout["legend"] = TWO_COLUMNS
    layout["uirevision"] = "perceptron"
    return {"data": traces, "layout": layout}


def perceptron_errors_figure(
    updates: np.ndarray,
    errors: np.ndarray,
    epoch: float,
    *,
    marker_name: str = "epoch shown",
    height: int = PICTURE_HEIGHT,
) -> dict:
    """Per epoch: the updates made during it (bars, epochs 1..E) and the points on the
    wrong side after it (line, epochs 0..E); a dotted line (named ``marker_name``) marks
    ``epoch``, a fraction within an epoch when a step is shown."""
    top = 1.08 * max(1, int(errors.max()), int(updates.max()) if len(updates) else 1)
    return {
        "data": [
            {
                "type": "bar",
                "x": np.arange(1, len(updates) + 1),
                "y": updates,
                "marker": {"color": UPDATES},
                "name": "updates made",
                "hovertemplate": "epoch %{x}: %{y} updates<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": np.arange(len(errors)),
                "y": errors,
                "line": {"color": theme().orange, "width": theme().lw(2)},
                "marker": {"size": 5},
                "name": "left on the wrong side",
                "hovertemplate": "after epoch %{x}: %{y} wrong<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "lines",
                "x": [epoch, epoch],
                "y": [0, top],
                "line": {"color": theme().ink, "width": theme().lw(1.5), "dash": "dot"},
                "name": marker_name,
                "hoverinfo": "skip",
            },
        ],
        "layout": {
            "height": height,
            "margin": {"l": 50, "r": 10, "t": TOOLBAR, "b": 50 + 2 * LEGEND_ROW},  # room for two rows
            "xaxis": {"title": {"text": "epoch", "standoff": 10}, "range": [-0.5, max(len(errors) - 0.5, 5)]},
            "yaxis": {"title": {"text": "points"}, "range": [0, top], "rangemode": "tozero"},
            "showlegend": True,
            "legend": TWO_COLUMNS,
            "plot_bgcolor": theme().plot,
            "paper_bgcolor": theme().paper,
            "font": theme().font,
            "bargap": 0.25,
            "uirevision": "perceptron-errors",
        },
    }


def stack_figure(xs: np.ndarray, values: np.ndarray, *, height: int = PICTURE_HEIGHT) -> dict:
    """A network's single output ŷ over the plane (diverging colours centred at 0, with a
    colour bar) and its boundary, the contour where the output is 0."""
    limit = max(float(np.max(np.abs(values))), 1e-6)
    boundary = {
        "type": "contour",
        "x": xs.astype(np.float32),
        "y": xs.astype(np.float32),
        "z": values.astype(np.float32),
        "contours": {"coloring": "none", "start": 0, "end": 0, "size": 1},
        "line": {"color": theme().ink, "width": theme().lw(3)},
        "showscale": False,
        "showlegend": True,
        "hoverinfo": "skip",
        "name": "output = 0: the boundary",
    }
    layout = _plane_layout(xs, height)
    layout["uirevision"] = "stack"
    return {"data": [_value_heatmap(xs, values, (-limit, limit), "ŷ"), boundary], "layout": layout}


def activation_gallery_figure(
    z: np.ndarray, curves: dict[str, tuple[np.ndarray, np.ndarray]], *, columns: int = 4, height_per_row: int = 200
) -> dict:
    """One small plot per activation: f(z) and f'(z) (dashed) over ``z``, with one legend
    for all; ``curves`` maps a title to (f(z), f'(z)), in the order to show them."""
    rows = -(-len(curves) // columns)
    gap_x, gap_y = 0.05, 0.32 / rows
    width, height = (1 - gap_x * (columns - 1)) / columns, (1 - gap_y * (rows - 1)) / rows
    traces, layout, annotations = [], {}, []
    for i, (title, (f, d)) in enumerate(curves.items()):
        row, col = divmod(i, columns)
        suffix = "" if i == 0 else str(i + 1)
        x0, y1 = col * (width + gap_x), 1 - row * (height + gap_y)
        layout[f"xaxis{suffix}"] = {
            "domain": [x0, x0 + width],
            "anchor": f"y{suffix}",
            "zeroline": True,
            "zerolinecolor": "#cfd4d8",
            "gridcolor": "#eceff1",
        }
        both = np.concatenate([f, d])
        low, high = float(both.min()), float(both.max())
        pad = 0.1 * max(high - low, 1.0)
        layout[f"yaxis{suffix}"] = {
            "domain": [y1 - height, y1],
            "anchor": f"x{suffix}",
            "range": [low - pad, high + pad],
            "zerolinecolor": "#cfd4d8",
            "gridcolor": "#eceff1",
        }
        for values, color, dash, name in ((f, F_COLOR, "solid", "f"), (d, DERIVATIVE_COLOR, "dash", "f′")):
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": z,
                    "y": values,
                    "xaxis": f"x{suffix}",
                    "yaxis": f"y{suffix}",
                    "line": {"color": color, "width": 2.2, "dash": dash},
                    "name": f"{name}(z)",
                    "legendgroup": name,
                    "showlegend": i == 0,  # one entry for each kind of curve
                    "hovertemplate": f"z = %{{x:.2f}}<br>{name}(z) = %{{y:.3f}}<extra>{title}</extra>",
                }
            )
        annotations.append(
            {
                "text": f"<b>{title}</b>",
                "x": x0 + width / 2,
                "y": y1,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 14},
            }
        )
    return {
        "data": traces,
        "layout": {
            **layout,
            "height": rows * height_per_row + 40 + LEGEND_ROW,
            "margin": {"l": 35, "r": 10, "t": 28, "b": 25 + LEGEND_ROW},
            "annotations": annotations,
            "showlegend": True,
            "legend": {**LEGEND, "x": 0.5, "xanchor": "center"},
            "plot_bgcolor": "white",
            "font": FONT,
        },
    }
