"""The output picture: the network's prediction over the input plane, with the data."""

import math

import numpy as np

from ui.charts.colors import class_table, diverging_table, plotly_text, theme
from ui.charts.png import colorize, dots_rgba, png_data_uri
from ui.charts.ranges import padded_range

POINTS_PIXELS = 480  # the points overlay's width and height


def points_overlay(
    X: np.ndarray,
    y: np.ndarray,
    extent: tuple[float, float],
    *,
    n_classes: int,
    color_range: tuple[float, float] = (-1.0, 1.0),
    test: bool = False,
) -> dict:
    """The data points drawn into a transparent PNG, as a ``layout.images`` entry over
    ``extent`` = (low, high) on both axes. Hundreds of SVG markers cost Plotly ~15 ms a
    redraw; one image costs ~1 ms, and the caller can keep it while the data is unchanged.
    Class colours for classification; the diverging scale over ``color_range`` otherwise.
    Test points get a dark outline, training points a white one. An ``extent`` of zero
    width is padded (``padded_range``): the picture never divides by it."""
    low, high = padded_range(*extent)
    t = theme()
    if n_classes:
        table = class_table()
        colors = table[y.astype(np.intp) % len(table), :3]
    else:
        colors = colorize(y.astype(float)[None, :], *color_range, diverging_table())[0, :, :3]
    scale = POINTS_PIXELS / (high - low)
    rgba = dots_rgba(
        (X[:, 0] - low) * scale,
        (high - X[:, 1]) * scale,
        colors,
        POINTS_PIXELS,
        POINTS_PIXELS,
        radius=3.4 * t.marker,
        outline=(32, 33, 36) if test else (255, 255, 255),
        outline_width=1.0 if t.marker == 1 else 1.5,
    )
    return {
        "source": png_data_uri(rgba),
        "xref": "x",
        "yref": "y",
        "x": low,
        "y": high,
        "sizex": high - low,
        "sizey": high - low,
        "sizing": "stretch",
        "layer": "above",
    }


def original_unit_ticks(low: float, high: float, mean: float, std: float, count: int = 5) -> dict:
    """Ticks for an axis drawn in standardized units (low..high) labelled in the data's own
    units (value = x * std + mean): about ``count`` round values, as ``tickvals``/``ticktext``.
    A ``std`` of 0 or an empty range is taken as 1 and padded: no tick divides by zero."""
    std = std if std and math.isfinite(std) else 1.0
    low, high = padded_range(low, high)
    first, last = low * std + mean, high * std + mean
    raw = (last - first) / count
    magnitude = 10 ** np.floor(np.log10(raw)) if raw > 0 else 1.0
    step = magnitude * min((1, 2, 5, 10), key=lambda m: abs(m * magnitude - raw))
    values = np.arange(np.ceil(first / step) * step, last + step * 1e-9, step)
    return {"tickvals": [float((v - mean) / std) for v in values], "ticktext": [f"{v:.6g}" for v in values]}


def output_figure(
    grid_x: np.ndarray,
    grid_y: np.ndarray,
    prediction: np.ndarray,
    *,
    overlays: list[dict] = (),
    n_classes: int = 2,
    value_range: tuple[float, float] = (-1.0, 1.0),
    discretize: bool = False,
    class_names: tuple[str, ...] = (),
    axis_titles: tuple[str, str] = ("X₁", "X₂"),
    axis_ticks: tuple[dict, dict] | None = None,
    height: int = 420,
) -> dict:
    """The output picture (a PNG behind the axes) and ``overlays`` (the points, see
    ``points_overlay``), as a figure dict.

    ``grid_x`` (g,) and ``grid_y`` (g,) are the evenly spaced cell centres; ``prediction``
    (g, g) is indexed [row = y, column = x]: for two classes the network's output, shown
    on a diverging scale over ``value_range`` (its middle is the decision boundary); for
    k > 2 classes the predicted class; for regression (``n_classes=0``) the value.
    ``discretize`` paints two-class output in flat class colours instead.
    The chart draws its own legend: ``class_names`` (plain text, escaped here) beside the
    colour of each class; for regression a colour bar of the values. ``axis_titles`` name
    the axes; ``axis_ticks`` (x, y), when given, are Plotly ``tickvals``/``ticktext`` dicts
    (a CSV's inputs shown in the file's own units).
    """
    low, high = value_range
    t = theme()
    if n_classes > 2 or discretize:
        classes = prediction if n_classes > 2 else (prediction > 0.5 * (low + high))
        table = class_table()
        rgba = table[classes.astype(np.intp) % len(table)]
        rgba[..., 3] = 120  # light, so the points stand out
    else:
        rgba = colorize(prediction, low, high, diverging_table())
        rgba[..., 3] = 215
    half = 0.5 * float(grid_x[1] - grid_x[0])
    background = {
        "source": png_data_uri(rgba[::-1]),  # PNG rows run top to bottom
        "xref": "x",
        "yref": "y",
        "x": float(grid_x[0]) - half,
        "y": float(grid_y[-1]) + half,
        "sizex": float(grid_x[-1] - grid_x[0]) + 2 * half,
        "sizey": float(grid_y[-1] - grid_y[0]) + 2 * half,
        "sizing": "stretch",
        "layer": "below",
    }
    traces = [
        {  # legend entries only: no data, one marker in the class's colour
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "name": plotly_text(name),
            "hoverinfo": "skip",
            "marker": {
                "color": t.class_colors[k % len(t.class_colors)],
                "size": t.ms(10),
                "line": {"color": "white", "width": 1},
            },
        }
        for k, name in enumerate(class_names if n_classes else ())
    ]
    if n_classes == 0:  # an empty trace that only shows the colour bar of the values
        traces.append(
            {
                "type": "scatter",
                "x": [None],
                "y": [None],
                "mode": "markers",
                "hoverinfo": "skip",
                "marker": {
                    "color": [low],
                    "colorscale": t.diverging,
                    "cmin": low,
                    "cmax": high,
                    "showscale": True,
                    "colorbar": {"thickness": 12, "len": 0.8},
                },
            }
        )
    return {
        "data": traces,
        "layout": {
            "height": height,
            "margin": {"l": 50, "r": 10, "t": 28 if class_names and n_classes else 10, "b": 40},
            "xaxis": {
                "range": [float(grid_x[0]) - half, float(grid_x[-1]) + half],
                "zeroline": False,
                "showgrid": False,
                "constrain": "domain",
                "title": {"text": plotly_text(axis_titles[0]), "standoff": 4},
                **(axis_ticks[0] if axis_ticks else {}),
            },
            "yaxis": {
                "range": [float(grid_y[0]) - half, float(grid_y[-1]) + half],
                "zeroline": False,
                "showgrid": False,
                "scaleanchor": "x",
                "constrain": "domain",  # the square fills its box: no axis beyond the data's range
                "title": {"text": plotly_text(axis_titles[1]), "standoff": 4},
                **(axis_ticks[1] if axis_ticks else {}),
            },
            "images": [background, *overlays],
            "showlegend": bool(class_names and n_classes),
            "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "font": {"size": t.font_size - 2}},
            "plot_bgcolor": t.plot,
            "paper_bgcolor": t.paper,
            "font": t.font,
            "uirevision": "output",
        },
    }
