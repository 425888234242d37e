"""Two losses of one point against its prediction ŷ ∈ (0, 1): each curve, the chosen ŷ
marked on both with the loss's value there, and each curve's tangent at ŷ (its slope is
the gradient that loss gives ŷ). Pure builder (see ui/charts/__init__.py), in the session's
theme (``ui.charts.colors.theme``); the legend, drawn by the chart, names each curve and
each tangent in the colour it is drawn."""

from dataclasses import dataclass

import numpy as np

from ui.charts.colors import theme

HEIGHT = 380
TANGENT_HALF_WIDTH = 0.18  # the tangent is drawn over ŷ ± this (clipped to the plot)
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


def loss_colors() -> tuple[str, str]:
    """The first loss's colour (curve, tangent and mark) and the second's, in the session's theme."""
    t = theme()
    return t.blue, t.orange


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
    t = theme()
    top = 1.08 * max(float(np.max(c.values)) for c in curves)
    traces, highest = [], max(c.value for c in curves)
    for curve, color in zip(curves, loss_colors()):  # per loss: its curve, its tangent (a legend row), its mark
        xs, ys = tangent(at, curve.value, curve.slope, 0.0, top)
        side = "left" if at > 0.6 else "right"
        traces += [
            {
                "type": "scatter",
                "mode": "lines",
                "x": predictions,
                "y": curve.values,
                "name": curve.name,
                "line": {"color": color, "width": t.lw(2.6)},
                "hovertemplate": f"ŷ = %{{x:.3f}}<br>loss %{{y:.3f}}<extra>{curve.name}</extra>",
            },
            {
                "type": "scatter",
                "mode": "lines",
                "x": xs,
                "y": ys,
                "name": curve.tangent_name,
                "line": {"color": color, "width": t.lw(1.8), "dash": "dash"},
                "hoverinfo": "skip",
            },
            {
                "type": "scatter",
                "mode": "markers+text",
                "x": [at],
                "y": [curve.value],
                "text": [curve.label],
                "textposition": f"{'top' if curve.value >= highest else 'bottom'} {side}",
                "textfont": {"color": color, "size": t.font_size},
                "marker": {"color": color, "size": t.ms(10), "line": {"color": t.paper, "width": 1.5}},
                "showlegend": False,
                "hovertemplate": f"ŷ = %{{x:.3f}}<br>{curve.label}<extra>{curve.name}</extra>",
            },
        ]
    return {
        "data": traces,
        "layout": {
            "height": height,
            "margin": {"l": 55, "r": 15, "t": 30, "b": 110},
            "xaxis": t.axis(title={"text": "prediction ŷ"}, range=[0, 1], zeroline=False),
            "yaxis": t.axis(title={"text": "loss"}, range=[0, top], zeroline=False),
            "shapes": [
                {
                    "type": "line",
                    "x0": at,
                    "x1": at,
                    "y0": 0,
                    "y1": 1,
                    "yref": "paper",
                    "line": {"color": t.muted, "width": t.lw(1.2), "dash": "dot"},
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
                    "font": {"color": t.ink},
                }
            ],
            "showlegend": True,
            "legend": {**LEGEND, "font": {"color": t.ink}},  # st.plotly_chart's own theme would grey it
            "plot_bgcolor": t.plot,
            "paper_bgcolor": t.paper,
            "font": t.font,
        },
    }
