"""Pictures of a single neuron: its output over the input plane (flat, with the line
w·x + b = 0 and the weight vector, and as a 3-D surface), the perceptron's progress, the
output of a stack of layers with its boundary, and a gallery of activations.

Pure builders (see ui/charts/__init__.py). The flat pictures reuse the Playground's output
picture (ui/charts/output.py): a PNG behind the axes, the data as a PNG overlay.
"""

import numpy as np

from ui.charts.colors import BLUE, DIVERGING, FONT, ORANGE
from ui.charts.output import output_figure

INK = "#202124"
WRONG = "#d62728"


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


def _line_trace(segment: np.ndarray, name: str = "w·x + b = 0") -> dict:
    return {
        "type": "scatter",
        "mode": "lines",
        "x": segment[:, 0],
        "y": segment[:, 1],
        "line": {"color": INK, "width": 3},
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
        "arrowcolor": INK,
        "text": text,
        "font": {"size": 15, "color": INK},
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
    height: int = 430,
) -> dict:
    """The neuron's output ``values`` (n, n) [row = x₂, column = x₁] over the square of
    cell centres ``xs``, coloured over ``value_range`` (orange low, blue high, with a
    colour bar), the line w·x + b = 0, and an arrow along w (towards growing w·x + b)."""
    fig = output_figure(xs, xs, values, n_classes=0, value_range=value_range, height=height)
    extent = float(xs[-1])
    segment = clip_line(w, b, extent)
    if segment is not None:
        fig["data"].append(_line_trace(segment))
        middle = segment.mean(axis=0)
        tip = middle + 0.18 * 2 * extent * np.asarray(w, dtype=float) / np.linalg.norm(w)
        fig["layout"]["annotations"] = [_arrow(middle, tip, " w")]
    fig["layout"]["uirevision"] = "neuron-plane"
    fig["layout"]["xaxis"]["title"] = {"text": "x₁"}
    fig["layout"]["yaxis"]["title"] = {"text": "x₂"}
    fig["layout"]["margin"] = {"l": 45, "r": 10, "t": 10, "b": 40}
    return fig


def neuron_surface_figure(
    xs: np.ndarray,
    values: np.ndarray,
    value_range: tuple[float, float],
    segment: np.ndarray | None,
    level: float,
    *,
    height: int = 430,
) -> dict:
    """The output as a 3-D surface over the plane, coloured as the flat picture, with the
    line w·x + b = 0 (``segment`` (2, 2) or None) drawn on it at height ``level`` = f(0)."""
    traces = [
        {
            "type": "surface",
            "x": xs.astype(np.float32),
            "y": xs.astype(np.float32),
            "z": values.astype(np.float32),
            "colorscale": DIVERGING,
            "cmin": value_range[0],
            "cmax": value_range[1],
            "showscale": False,
            "hovertemplate": "x₁ %{x:.2f}<br>x₂ %{y:.2f}<br>output %{z:.3f}<extra></extra>",
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
                "line": {"color": INK, "width": 7},
                "hoverinfo": "skip",
                "name": "w·x + b = 0",
            }
        )
    axis = {"backgroundcolor": "white", "gridcolor": "#dfe3e6", "showspikes": False}
    return {
        "data": traces,
        "layout": {
            "height": height,
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "scene": {
                "xaxis": {**axis, "title": {"text": "x₁"}},
                "yaxis": {**axis, "title": {"text": "x₂"}},
                "zaxis": {**axis, "title": {"text": "output"}},
                "aspectmode": "manual",
                "aspectratio": {"x": 1, "y": 1, "z": 0.7},
                "camera": {"eye": {"x": -1.7, "y": -1.8, "z": 1.1}},  # far enough for the axis titles
            },
            "showlegend": False,
            "font": FONT,
            "uirevision": "neuron-surface",
        },
    }


def perceptron_figure(
    xs: np.ndarray,
    predicted: np.ndarray,
    points: dict,
    w: np.ndarray,
    b: float,
    wrong_X: np.ndarray,
    *,
    height: int = 430,
) -> dict:
    """The perceptron's classes over the plane (``predicted`` (n, n) of 0 and 1, light),
    the data (``points``: an overlay from ``ui.charts.output.points_overlay``), its line,
    and a red ring around each point it gets wrong (``wrong_X`` (k, 2))."""
    fig = output_figure(xs, xs, predicted, overlays=[points], n_classes=2, value_range=(0.0, 1.0), discretize=True)
    fig["layout"]["height"] = height
    segment = clip_line(w, b, float(xs[-1]))
    if segment is not None:
        fig["data"].append(_line_trace(segment))
    if len(wrong_X):
        fig["data"].append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": wrong_X[:, 0],
                "y": wrong_X[:, 1],
                "marker": {"symbol": "circle-open", "size": 15, "color": WRONG, "line": {"width": 2.5}},
                "name": "wrong side",
                "hovertemplate": "on the wrong side<extra></extra>",
            }
        )
    fig["layout"]["uirevision"] = "perceptron"
    return fig


def perceptron_errors_figure(updates: np.ndarray, errors: np.ndarray, epoch: int, *, height: int = 300) -> dict:
    """Per epoch: the updates made during it (bars, epochs 1..E) and the points on the
    wrong side after it (line, epochs 0..E); a dotted line marks ``epoch``."""
    top = max(1, int(errors.max()), int(updates.max()) if len(updates) else 1)
    return {
        "data": [
            {
                "type": "bar",
                "x": np.arange(1, len(updates) + 1),
                "y": updates,
                "marker": {"color": "#c5d8e6"},
                "name": "updates",
                "hovertemplate": "epoch %{x}: %{y} updates<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": np.arange(len(errors)),
                "y": errors,
                "line": {"color": ORANGE, "width": 2},
                "marker": {"size": 5},
                "name": "wrong after epoch",
                "hovertemplate": "after epoch %{x}: %{y} wrong<extra></extra>",
            },
        ],
        "layout": {
            "height": height,
            "margin": {"l": 50, "r": 10, "t": 10, "b": 40},
            "xaxis": {"title": {"text": "epoch"}, "range": [-0.5, max(len(errors) - 0.5, 5)]},
            "yaxis": {"title": {"text": "points"}, "range": [0, top * 1.08], "rangemode": "tozero"},
            "shapes": [
                {
                    "type": "line",
                    "x0": epoch,
                    "x1": epoch,
                    "y0": 0,
                    "y1": 1,
                    "yref": "paper",
                    "line": {"color": INK, "width": 1.5, "dash": "dot"},
                }
            ],
            "showlegend": False,
            "plot_bgcolor": "white",
            "font": FONT,
            "bargap": 0.25,
            "uirevision": "perceptron-errors",
        },
    }


def stack_figure(xs: np.ndarray, values: np.ndarray, *, height: int = 430) -> dict:
    """A network's single output over the plane (diverging colours centred at 0) and its
    boundary, the contour where the output is 0."""
    limit = max(float(np.max(np.abs(values))), 1e-6)
    fig = output_figure(xs, xs, values, n_classes=0, value_range=(-limit, limit), height=height)
    fig["data"].append(
        {
            "type": "contour",
            "x": xs.astype(np.float32),
            "y": xs.astype(np.float32),
            "z": values.astype(np.float32),
            "contours": {"coloring": "none", "start": 0, "end": 0, "size": 1},
            "line": {"color": INK, "width": 3},
            "showscale": False,
            "hoverinfo": "skip",
            "name": "output = 0",
        }
    )
    fig["layout"]["uirevision"] = "stack"
    return fig


def activation_gallery_figure(
    z: np.ndarray, curves: dict[str, tuple[np.ndarray, np.ndarray]], *, columns: int = 4, height_per_row: int = 210
) -> dict:
    """One small plot per activation: f(z) (blue) and f'(z) (orange, dashed) over ``z``;
    ``curves`` maps a title to (f(z), f'(z)), in the order to show them."""
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
        for values, color, dash, name in ((f, BLUE, "solid", "f"), (d, ORANGE, "dash", "f′")):
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": z,
                    "y": values,
                    "xaxis": f"x{suffix}",
                    "yaxis": f"y{suffix}",
                    "line": {"color": color, "width": 2.2, "dash": dash},
                    "name": f"{title} {name}",
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
            "height": rows * height_per_row + 40,
            "margin": {"l": 35, "r": 10, "t": 28, "b": 25},
            "annotations": annotations,
            "showlegend": False,
            "plot_bgcolor": "white",
            "font": FONT,
        },
    }
