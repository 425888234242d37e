"""Two losses of one point against its prediction ŷ ∈ (0, 1): each curve, the chosen ŷ
marked on both with the loss's value there, and each curve's tangent at ŷ (its slope is
the gradient that loss gives ŷ). Pure builder (see ui/charts/__init__.py); the legend,
drawn by the chart, names each curve and each tangent in the colour it is drawn."""

from dataclasses import dataclass

import numpy as np

from ui.charts.colors import BLUE, FONT, INK, ORANGE

LOSS_COLORS = (BLUE, ORANGE)  # the first loss's curve and tangent, the second's
HEIGHT = 380
TANGENT_HALF_WIDTH = 0.18  # the tangent is drawn over ŷ ± this (clipped to the plot)
PREDICTION_COLOR = "#80868b"
# The legend under the plot, two entries to a row: each loss's curve, then its tangent.
LEGEND = {
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "y": -0.16,
    "yanchor": "top",
    "entrywidth": 0.5,
    "entrywidthmode": "fraction",
    "bgcolor": "rgba(0,0,0,0)",
}


@dataclass(frozen=True)
class LossCurve:
    """One loss to draw: its legend ``name`` and its tangent's ``tangent_name``, its
    ``values`` over the predictions, and at the marked ŷ its ``value``, ``slope`` and the
    ``label`` written beside the mark."""

    name: str
    tangent_name: str
    values: np.ndarray
    value: float
    slope: float
    label: str


def tangent(at: float, value: float, slope: float, low: float, high: float) -> tuple[np.ndarray, np.ndarray]:
    """The segment (xs, ys) of the line through (at, value) with ``slope`` over
    at ± TANGENT_HALF_WIDTH, cut where it leaves 0 ≤ x ≤ 1 and ``low`` ≤ y ≤ ``high``."""
    x0, x1 = max(at - TANGENT_HALF_WIDTH, 0.0), min(at + TANGENT_HALF_WIDTH, 1.0)
    if slope != 0:
        ends = sorted(((low - value) / slope + at, (high - value) / slope + at))
        x0, x1 = max(x0, ends[0]), min(x1, ends[1])
    xs = np.array([x0, x1])
    return xs, value + slope * (xs - at)


def loss_shapes_figure(
    predictions: np.ndarray, curves: list[LossCurve], at: float, *, at_label: str, height: int = HEIGHT
) -> dict:
    """The ``curves`` over ``predictions`` (ŷ), each marked at ŷ = ``at`` with its label and
    its tangent there (dashed, the curve's colour); a dotted line at ŷ labelled
    ``at_label``. The y axis runs from 0 to a little above the highest curve."""
    top = 1.08 * max(float(np.max(c.values)) for c in curves)
    traces, highest = [], max(c.value for c in curves)
    for curve, color in zip(curves, LOSS_COLORS):  # per loss: its curve, its tangent (a legend row), its mark
        xs, ys = tangent(at, curve.value, curve.slope, 0.0, top)
        side = "left" if at > 0.6 else "right"
        traces += [
            {
                "type": "scatter",
                "mode": "lines",
                "x": predictions,
                "y": curve.values,
                "name": curve.name,
                "line": {"color": color, "width": 2.6},
                "hovertemplate": f"ŷ = %{{x:.3f}}<br>loss %{{y:.3f}}<extra>{curve.name}</extra>",
            },
            {
                "type": "scatter",
                "mode": "lines",
                "x": xs,
                "y": ys,
                "name": curve.tangent_name,
                "line": {"color": color, "width": 1.8, "dash": "dash"},
                "hoverinfo": "skip",
            },
            {
                "type": "scatter",
                "mode": "markers+text",
                "x": [at],
                "y": [curve.value],
                "text": [curve.label],
                "textposition": f"{'top' if curve.value >= highest else 'bottom'} {side}",
                "textfont": {"color": color, "size": 13},
                "marker": {"color": color, "size": 10, "line": {"color": "white", "width": 1.5}},
                "showlegend": False,
                "hovertemplate": f"ŷ = %{{x:.3f}}<br>{curve.label}<extra>{curve.name}</extra>",
            },
        ]
    return {
        "data": traces,
        "layout": {
            "height": height,
            "margin": {"l": 55, "r": 15, "t": 30, "b": 110},
            "xaxis": {"title": {"text": "prediction ŷ"}, "range": [0, 1], "gridcolor": "#eceff1", "zeroline": False},
            "yaxis": {"title": {"text": "loss"}, "range": [0, top], "gridcolor": "#eceff1", "zeroline": False},
            "shapes": [
                {
                    "type": "line",
                    "x0": at,
                    "x1": at,
                    "y0": 0,
                    "y1": 1,
                    "yref": "paper",
                    "line": {"color": PREDICTION_COLOR, "width": 1.2, "dash": "dot"},
                }
            ],
            "annotations": [
                {
                    "text": at_label,
                    "x": at,
                    "y": 1,
                    "yref": "paper",
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"color": INK},
                }
            ],
            "showlegend": True,
            "legend": LEGEND,
            "plot_bgcolor": "white",
            "font": FONT,
        },
    }
