"""One neuron drawn as a diagram, for one input point: the inputs x₁, x₂ and the constant
1, the links carrying the weights w₁, w₂ and the bias b (coloured by the weight's sign and
thick by its size, as the Playground's network draws its links), the sum node Σ with
z = w₁·x₁ + w₂·x₂ + b in numbers, the activation node, and the output a = f(z) in the
colour the neuron's picture gives that value.

Pure: numbers in, a Plotly figure dict out. The nodes are shapes sized in pixels (round
whatever the chart's width); the links are line traces under them; every word and number
is an annotation. Numbers are written with three decimals by ``number``.
"""

import itertools

import numpy as np

from ui.charts.colors import BLUE, INK, ORANGE, theme
from ui.charts.network import WIDTH_STEPS, WIDTHS

DIAGRAM_HEIGHT = 220
X_RANGE, Y_RANGE = (0.0, 12.4), (-1.62, 1.62)
X_IN, X_SUM, X_ACT, X_OUT = 2.0, 5.7, 8.5, 11.0  # the columns: inputs, Σ, f, output
Y_IN = (1.0, 0.0, -1.0)  # x₁, x₂, the constant 1
R_IN, R_NODE = 17, 25  # node radii, px
OUT_BOX = (104, 34)  # the output's box, px
FRAME = "#9aa0a6"
LINK_COLOR_NAMES = {BLUE: "blue", ORANGE: "orange"}  # every theme's blue and orange are blue and orange


def number(value: float) -> str:
    """Three decimals with a true minus sign (and no "−0.000")."""
    text = f"{float(value) + 0.0:.3f}"
    return "0.000" if text == "-0.000" else text.replace("-", "−")


def _factor(value: float) -> str:
    """A number as a factor of a product: negative ones in parentheses."""
    return f"({number(value)})" if number(value).startswith("−") else number(value)


def scale_color(value: float, value_range: tuple[float, float]) -> str:
    """The colour ``value`` has on the diverging scale over ``value_range``, as #rrggbb
    (the neuron's pictures use the same scale and range)."""
    low, high = value_range
    t = float(np.clip((value - low) / max(high - low, 1e-12), 0.0, 1.0))
    scale = theme().diverging
    stops = [(p, np.array([int(c[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)) for p, c in scale]
    for (p0, c0), (p1, c1) in itertools.pairwise(stops):
        if t <= p1:
            mixed = c0 + (c1 - c0) * (t - p0) / max(p1 - p0, 1e-12)
            return "#" + "".join(f"{round(v):02x}" for v in mixed)
    return scale[-1][1]


def _text_on(fill: str) -> str:
    """Black or white, whichever reads on ``fill`` (#rrggbb)."""
    r, g, b = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return INK if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "white"


def link_style(weight: float) -> tuple[str, float]:
    """A link's colour (blue positive, orange negative) and width (by |w|), as the
    Playground's network picture draws them."""
    t = theme()
    width = WIDTHS[int(np.searchsorted(WIDTH_STEPS, abs(weight)))]
    return (t.blue if weight >= 0 else t.orange), t.lw(width)


def _node(cx: float, cy: float, radius: float, *, fill: str | None = None, color: str | None = None, kind="circle"):
    """A node: ``fill`` the page's background and ``color`` the frames' grey unless given."""
    fill, color = fill or theme().paper, color or theme().faint
    half_x, half_y = (radius, radius) if kind == "circle" else radius
    return {
        "type": kind,
        "xref": "x",
        "yref": "y",
        "xsizemode": "pixel",
        "ysizemode": "pixel",
        "xanchor": cx,
        "yanchor": cy,
        "x0": -half_x,
        "x1": half_x,
        "y0": -half_y,
        "y1": half_y,
        "fillcolor": fill,
        "line": {"color": color, "width": theme().lw(2)},
        "layer": "above",
    }


def _label(x: float, y: float, text: str, *, size: int = 14, color: str | None = None, **place) -> dict:
    t = theme()
    size, color = size + t.font_size - 13, color or t.ink  # the projector's type is larger
    return {
        "x": x,
        "y": y,
        "xref": "x",
        "yref": "y",
        "text": text,
        "showarrow": False,
        "font": {"size": size, "color": color},
        **place,
    }


def _line(x0: float, y0: float, x1: float, y1: float, color: str, width: float) -> dict:
    return {
        "type": "scatter",
        "mode": "lines",
        "x": [x0, x1],
        "y": [y0, y1],
        "line": {"color": color, "width": width},
        "hoverinfo": "skip",
        "showlegend": False,
    }


def neuron_diagram_figure(
    x: np.ndarray,
    w: np.ndarray,
    b: float,
    terms: np.ndarray,
    z: float,
    a: float,
    *,
    symbol: str,
    name: str,
    output: str,
    value_range: tuple[float, float],
    height: int = DIAGRAM_HEIGHT,
) -> dict:
    """The neuron for the input point ``x`` (2,): weights ``w`` (2,) and bias ``b`` on the
    links, the terms wᵢ·xᵢ ``terms`` (2,), the sum ``z`` and the output ``a`` (the engine's
    numbers, see ``engine.neuron.neuron_at``). The activation node shows ``symbol`` with
    the activation's ``name`` under it ("activation" when the symbol is the name);
    ``output`` is the formula of a (e.g. "a = σ(z)"); the output's box takes the colour a
    has on the diverging scale over ``value_range``."""
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    traces, shapes, notes = [], [], []
    inputs = ((f"x₁ = {number(x[0])}", "x₁", w[0], "w₁"), (f"x₂ = {number(x[1])}", "x₂", w[1], "w₂"))
    inputs += (("constant", "1", b, "b"),)
    for (value_text, inside, weight, weight_name), cy in zip(inputs, Y_IN):
        color, width = link_style(weight)
        traces.append(_line(X_IN, cy, X_SUM, 0.0, color, width))
        shapes.append(_node(X_IN, cy, R_IN))
        notes.append(_label(X_IN, cy, inside, size=15))
        notes.append(_label(X_IN - 0.38, cy, value_text, xanchor="right"))
        t = 0.5  # the weight's label halfway along its link, on a white ground so the link never crosses it
        notes.append(
            _label(
                X_IN + t * (X_SUM - X_IN),
                cy * (1 - t),
                f"{weight_name} = {number(weight)}",
                size=13,
                bgcolor=theme().backing,
                borderpad=1,
            )
        )
    # Σ → f → a
    ink = theme().ink
    traces.append(_line(X_SUM, 0.0, X_ACT, 0.0, ink, theme().lw(2)))
    traces.append(_line(X_ACT, 0.0, X_OUT, 0.0, ink, theme().lw(2)))
    shapes.append(_node(X_SUM, 0.0, R_NODE, color=ink))
    shapes.append(_node(X_ACT, 0.0, R_NODE, color=ink))
    fill = scale_color(a, value_range)
    shapes.append(_node(X_OUT, 0.0, (OUT_BOX[0] / 2, OUT_BOX[1] / 2), fill=fill, color=ink, kind="rect"))
    notes += [
        _label(X_SUM, 0.0, "Σ", size=24),
        _label(X_ACT, 0.0, symbol, size=20 if len(symbol) == 1 else 14),
        _label(X_SUM, -0.42, "weighted sum", size=12, yanchor="top"),
        _label(X_ACT, -0.42, name if name != symbol else "activation", size=12, yanchor="top"),  # no "tanh" twice
        _label((X_SUM + X_ACT) / 2, 0.07, f"z = {number(z)}", yanchor="bottom"),
        _label(X_OUT, 0.0, f"<b>a = {number(a)}</b>", size=15, color=_text_on(fill)),
        _label(X_OUT, 0.34, output, yanchor="bottom"),
        _label(
            (X_SUM + X_ACT) / 2,
            1.42,
            f"z = w₁·x₁ + w₂·x₂ + b = {_factor(w[0])}·{_factor(x[0])} + {_factor(w[1])}·{_factor(x[1])} + "
            f"{_factor(b)} = {number(terms[0])} + {_factor(terms[1])} + {_factor(b)} = <b>{number(z)}</b>",
            size=13,
        ),
        _label(
            X_RANGE[0] + 0.05,
            Y_RANGE[0] + 0.02,
            f"Links: {LINK_COLOR_NAMES[BLUE]} a positive weight, {LINK_COLOR_NAMES[ORANGE]} a negative one; "
            "the thicker, the larger |w|.",
            size=12,
            color=theme().muted,
            xanchor="left",
            yanchor="bottom",
        ),
    ]
    axis = {"visible": False, "fixedrange": True}
    return {
        "data": traces,
        "layout": {
            "height": height,
            "margin": {"l": 0, "r": 0, "t": 4, "b": 0},
            "xaxis": {**axis, "range": list(X_RANGE)},
            "yaxis": {**axis, "range": list(Y_RANGE)},
            "shapes": shapes,
            "annotations": notes,
            "showlegend": False,
            "plot_bgcolor": theme().plot,
            "paper_bgcolor": theme().paper,
            "font": theme().font,
            "hovermode": False,
            "uirevision": "neuron-diagram",
        },
    }
