"""Gradient descent pictures: the one-weight parabola with its tangent, the weight per
step, and the optimizers' paths over a neuron's (w, b) loss surface.

Pure builders: arrays and numbers in, figure dicts out (see ui/charts/__init__.py). Each
live figure holds few traces: a redraw costs per trace. Each chart names what it draws in
its own legend or labels, in the colours it draws them (the minimum is a star marker, not
a character of some font), so the words and the colours cannot drift apart.
"""

from collections.abc import Callable, Collection, Iterator, Mapping
from functools import lru_cache

import numpy as np

from ui.charts.colors import theme
from ui.charts.png import lookup_table, png_data_uri

INK = "#202124"
GREY = "#9aa0a6"


class _OptimizerColors(Mapping):
    """Each optimizer's colour in the current theme: sgd the ink, the others the theme's
    (light: orange, green, purple; colour-blind: Okabe–Ito's orange, bluish green, reddish
    purple). Read at each use, so words and dots built from it match the paths drawn."""

    NAMES = ("sgd", "momentum", "rmsprop", "adam")

    def __getitem__(self, name: str) -> str:
        t = theme()
        if name == "sgd":
            return t.ink
        return t.optimizers[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.NAMES)

    def __len__(self) -> int:
        return len(self.NAMES)


OPTIMIZER_COLORS = _OptimizerColors()
SURFACE_SCALE = [[0.0, "#9ecae1"], [0.35, "#deebf7"], [1.0, "#ffffff"]]  # pale: the paths stand out
DARK_SHADE = 0.36  # the dark theme draws the surface's colours this much darker
MINIMUM_COLOR = "#ffd54f"  # the star at the lowest loss
MAX_VIEW = 1e6  # the view follows a diverging path this far from the answer, no farther


# A legend inside the plot, at the top in the middle (between the parabola's arms), and one
# under the x axis's title (clear of the chart's toolbar, which appears at the top right).
LEGEND_INSIDE = {
    "x": 0.5,
    "xanchor": "center",
    "y": 0.99,
    "yanchor": "top",
    "bgcolor": "rgba(255,255,255,0.85)",  # the theme's backing, in _legend_inside()
    "font": {"size": 12},
}
UNDER_MARGIN = {"l": 55, "r": 10, "t": 10, "b": 100}  # room for the axis title and two rows of legend
LEGEND_UNDER = {
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "yref": "container",  # at the bottom of the chart, in the margin under the axis title
    "y": 0,
    "yanchor": "bottom",
    "font": {"size": 12},
}


# The chart toolbar (shown on hover, at the top right) keeps saving a picture, zoom, pan and
# reset: short enough to stay clear of a legend at the top in the middle.
MODEBAR = {"remove": ["zoomIn2d", "zoomOut2d", "autoScale2d"]}


def _legend_inside() -> dict:
    t = theme()
    return {**LEGEND_INSIDE, "bgcolor": t.backing, "font": {"size": t.font_size - 1}}


def _layout(height: int, **extra) -> dict:
    t = theme()
    return {
        "height": height,
        "margin": {"l": 55, "r": 15, "t": 10, "b": 45},
        "plot_bgcolor": t.plot,
        "paper_bgcolor": t.paper,
        "font": t.font,
        "showlegend": False,
        "modebar": MODEBAR,
        **extra,
    }


def _axis(title: str, **extra) -> dict:
    t = theme()
    return {"title": {"text": title}, "gridcolor": t.grid, "zerolinecolor": t.zeroline, **extra}


def parabola_view(weights: list[float], answer: float) -> tuple[float, float]:
    """The w range to draw: the answer ± 3 and every weight visited (while within
    ``MAX_VIEW`` of the answer), with a margin."""
    low, high = answer - 3.0, answer + 3.0
    seen = [w for w in weights if np.isfinite(w) and abs(w - answer) <= MAX_VIEW]
    if seen:
        low, high = min(low, *seen), max(high, *seen)
    pad = 0.06 * (high - low)
    return low - pad, high + pad


def parabola_figure(
    weights: list[float],
    losses: list[float],
    slope: float,
    next_w: float | None,
    *,
    loss: Callable[[np.ndarray], np.ndarray],
    answer: float,
    height: int = 320,
) -> dict:
    """The loss L(w) (``loss``, elementwise over weights) as a curve with its lowest point
    at ``answer``; the weights visited so far (``weights``, the current one last, with
    their ``losses``), joined in order; the tangent at the current weight with its
    ``slope``; and an arrow along the w axis to ``next_w``, where the next step goes
    (None: no arrow). The legend names each, the tangent with its slope."""
    low, high = parabola_view(weights, answer)
    curve_w = np.linspace(low, high, 241)
    curve_l = loss(curve_w)
    w, now = weights[-1], losses[-1]
    half = 0.12 * (high - low)
    tangent_w = np.array([w - half, w + half])
    top = float(max(curve_l.max(), now))
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": curve_w,
            "y": curve_l,
            "line": {"color": theme().blue, "width": theme().lw(2.5)},
            "name": "loss L(w)",
            "hovertemplate": "w = %{x:.3f}<br>loss = %{y:.4f}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": list(weights),
            "y": list(losses),
            "line": {"color": theme().faint, "width": theme().lw(1), "dash": "dot"},
            "marker": {"color": theme().faint, "size": 7},
            "name": "the weights so far",
            "hovertemplate": "w = %{x:.4f}<br>loss = %{y:.4f}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "x": tangent_w,
            "y": now + slope * (tangent_w - w),
            "line": {"color": theme().orange, "width": theme().lw(2.5)},
            "name": f"tangent at w = {w:.4g}: slope {slope:.4g}",
            "meta": "tangent",
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "mode": "markers",
            "x": [w],
            "y": [now],
            "marker": {"color": theme().orange, "size": 14, "line": {"color": "white", "width": 2}},
            "name": "now",
            "showlegend": False,
            "hovertemplate": "w = %{x:.4f}<br>loss = %{y:.4f}<extra>now</extra>",
        },
    ]
    if next_w is not None and np.isfinite(next_w) and next_w != w:
        traces.append(
            {  # an arrow along the w axis, under the curve: from w to where the step goes
                "type": "scatter",
                "mode": "lines+markers",
                "x": [w, next_w],
                "y": [-0.06 * top] * 2,
                "line": {"color": theme().ink, "width": theme().lw(2)},
                "marker": {"symbol": "arrow", "angleref": "previous", "size": [0, 13], "color": theme().ink},
                "name": f"next step: w = {next_w:.4g}",
                "meta": "next step",
                "hoverinfo": "skip",
            }
        )
    annotations = [
        {
            "x": answer,
            "y": 0,
            "text": f"w = {answer:g}",
            "showarrow": True,
            "ax": 0,
            "ay": -30,
            "arrowcolor": theme().faint,
            "font": {"color": theme().ink},
        },
    ]
    return {
        "data": traces,
        "layout": _layout(
            height,
            xaxis=_axis("weight w", range=[low, high]),
            yaxis=_axis("loss ½(w·x − t)²", range=[-0.12 * top, 1.05 * top]),
            annotations=annotations,
            showlegend=True,
            legend=_legend_inside(),
            uirevision="parabola",
        ),
    }


def weight_steps_figure(weights: list[float], answer: float, *, height: int = 320) -> dict:
    """The weight after each step (step 0 is the start), and the answer as a dashed line
    labelled in its colour."""
    steps = np.arange(len(weights))
    low, high = parabola_view(weights, answer)
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines",
                "x": [0, max(len(weights) - 1, 10)],
                "y": [answer, answer],
                "line": {"color": theme().blue, "width": theme().lw(1.5), "dash": "dash"},
                "hoverinfo": "skip",
                "name": "answer",
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": steps,
                "y": np.array(weights, dtype=float),
                "line": {"color": theme().orange, "width": theme().lw(2)},
                "marker": {"size": 6, "color": theme().orange},
                "name": "w",
                "hovertemplate": "step %{x}<br>w = %{y:.4f}<extra></extra>",
            },
        ],
        "layout": _layout(
            height,
            xaxis=_axis("step", range=[-0.3, max(len(weights) - 1, 10) + 0.3]),
            yaxis=_axis("weight w after the step", range=[low, high]),
            annotations=[
                {
                    "x": 0,
                    "y": answer,
                    "xanchor": "left",
                    "yanchor": "top",
                    "yshift": -2,
                    "text": f"the answer w = {answer:g}",
                    "showarrow": False,
                    "font": {"color": theme().blue},
                }
            ],
            uirevision="weight-steps",
        ),
    }


def surface_picture(loss: np.ndarray, *, bands: int = 20) -> tuple[np.ndarray, float, float]:
    """Filled contours of log₁₀ ``loss`` (rows = b from low to high, columns = w) as an RGBA
    image (rows top to bottom), ``bands`` bands of equal log-loss with a darker line where
    one band meets the next; and the (low, high) of log₁₀ loss the colours span."""
    z = np.log10(np.maximum(loss, 1e-12))
    low, high = float(z.min()), float(z.max())
    band = np.minimum((z - low) / ((high - low) or 1.0) * bands, bands - 1).astype(np.intp)
    rgba = lookup_table(SURFACE_SCALE, bands)[band]
    edge = np.zeros(band.shape, bool)
    edge[:, 1:] |= band[:, 1:] != band[:, :-1]
    edge[1:, :] |= band[1:, :] != band[:-1, :]
    rgba[edge, :3] = (rgba[edge, :3] * 0.82).astype(np.uint8)
    return rgba[::-1], low, high


def _shaded(color: str, factor: float) -> str:
    return "#" + "".join(f"{round(int(color[i : i + 2], 16) * factor):02x}" for i in (1, 3, 5))


def contour_source(picture: tuple[np.ndarray, float, float], dark: bool) -> str:
    """The contours of ``picture`` (``surface_picture``) as the PNG data URI the surface
    chart shows: the same bands, darker in a dark theme (light paths and labels read on
    them). Encoding costs ~1 ms: a live page encodes it once per surface and theme."""
    rgba = picture[0]
    if dark:
        rgba = rgba.copy()
        rgba[..., :3] = (rgba[..., :3] * DARK_SHADE).round().astype(np.uint8)
    return png_data_uri(rgba)


PATH_POINTS = 200  # a path drawn on the loss surface keeps at most this many points


@lru_cache(maxsize=1024)
def thinned(n: int, most: int) -> np.ndarray:
    """Indices of at most ``most`` of ``n`` points, evenly spread, the first and the last
    among them (read-only; the same for every frame of a path of that length)."""
    keep = np.unique(np.linspace(0, n - 1, most).round().astype(int))
    keep.setflags(write=False)
    return keep


def surface_figure(
    ws: np.ndarray,
    bs: np.ndarray,
    picture: tuple[np.ndarray, float, float],
    paths: dict[str, np.ndarray],
    minimum: tuple[float, float],
    *,
    diverged: Collection[str] = (),
    height: int = 520,
    source: str | None = None,
) -> dict:
    """Contours of log₁₀ loss over the grid ``ws`` × ``bs`` (``picture`` is what
    ``surface_picture`` made of the loss there: compute it once per surface), each
    optimizer's path (n_points, 2) of (w, b) in its colour with its current point (a cross
    for those in ``diverged``: their paths stop there), and the minimum as a star. The
    contours are one PNG picture under the paths (``layer: below``): it does not change
    while the paths grow, so the live panel sends it once. Paths longer than 200 points
    are thinned (the ends kept). The legend under the chart names each path and the star.
    ``source``: the contours already encoded (``contour_source`` for this theme)."""
    _, low, high = picture
    scale = SURFACE_SCALE
    if theme().dark:  # the same bands, darker: light paths and labels read on them
        scale = [[p, _shaded(c, DARK_SHADE)] for p, c in SURFACE_SCALE]
    if source is None:
        source = contour_source(picture, theme().dark)
    dw, db = float(ws[1] - ws[0]), float(bs[1] - bs[0])
    background = {
        "source": source,
        "xref": "x",
        "yref": "y",
        "x": float(ws[0]) - dw / 2,
        "y": float(bs[-1]) + db / 2,
        "sizex": float(ws[-1] - ws[0]) + dw,
        "sizey": float(bs[-1] - bs[0]) + db,
        "sizing": "stretch",
        "layer": "below",
    }
    traces = [
        {  # an empty trace that only shows the colour bar of the contours
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "hoverinfo": "skip",
            "name": "scale",
            "showlegend": False,
            "marker": {
                "color": [low],
                "colorscale": scale,
                "cmin": low,
                "cmax": high,
                "showscale": True,
                "colorbar": {"title": {"text": "log₁₀ loss", "side": "right"}, "thickness": 12, "len": 0.9},
            },
        },
        {
            "type": "scatter",
            "mode": "markers",
            "x": [minimum[0]],
            "y": [minimum[1]],
            "marker": {
                "symbol": "star",
                "size": 16,
                "color": MINIMUM_COLOR,
                "line": {"color": theme().ink, "width": theme().lw(1)},
            },
            "hovertemplate": "minimum<br>w = %{x:.3f}<br>b = %{y:.3f}<extra></extra>",
            "name": "the minimum",
            "meta": "minimum",
            "legendrank": 1001,  # after the paths
        },
    ]
    heads_x, heads_y, heads_color, heads_symbol, heads_text = [], [], [], [], []
    for name, path in paths.items():
        path = np.asarray(path, dtype=float)
        keep = path if len(path) <= PATH_POINTS else path[thinned(len(path), PATH_POINTS)]
        color = OPTIMIZER_COLORS[name] if name in OPTIMIZER_COLORS else theme().ink
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": keep[:, 0].astype(np.float32),
                "y": keep[:, 1].astype(np.float32),
                "line": {"color": color, "width": theme().lw(2)},
                "marker": {"size": 3.5, "color": color},
                "name": optimizer_label(name, diverged),
                "meta": name,
                "hovertemplate": f"{name}<br>w = %{{x:.3f}}<br>b = %{{y:.3f}}<extra></extra>",
            }
        )
        heads_x.append(float(path[-1, 0]))
        heads_y.append(float(path[-1, 1]))
        heads_color.append(color)
        heads_symbol.append("x" if name in diverged else "circle")
        heads_text.append(f"{name}, diverged: stopped" if name in diverged else f"{name} now")
    traces.append(
        {
            "type": "scatter",
            "mode": "markers",
            "x": heads_x,
            "y": heads_y,
            "text": heads_text,
            "marker": {
                "size": 12,
                "color": heads_color,
                "symbol": heads_symbol,
                "line": {"color": "white", "width": 1.5},
            },
            "hovertemplate": "%{text}<br>w = %{x:.3f}<br>b = %{y:.3f}<extra></extra>",
            "name": "now",
            "meta": "now",
            "showlegend": False,
        }
    )
    return {
        "data": traces,
        "layout": _layout(
            height,
            margin=UNDER_MARGIN,
            xaxis=_axis("weight w", range=[float(ws[0]), float(ws[-1])], showgrid=False, zeroline=False),
            yaxis=_axis("bias b", range=[float(bs[0]), float(bs[-1])], showgrid=False, zeroline=False),
            images=[background],
            showlegend=True,
            legend=LEGEND_UNDER,
            uirevision="surface",
        ),
    }


def optimizer_label(name: str, diverged: Collection[str] = ()) -> str:
    """An optimizer's legend entry: its name, and that it diverged."""
    return f"{name} (diverged)" if name in diverged else name


def fit_figure(
    x: np.ndarray,
    y: np.ndarray,
    params: dict[str, tuple[float, float]],
    predict: Callable[[float, float, np.ndarray], np.ndarray],
    *,
    diverged: Collection[str] = (),
    height: int = 520,
) -> dict:
    """The data (x, y) and each optimizer's current neuron over it, ``predict(w, b, x)``,
    in the optimizer's colour; for those in ``diverged``, a greyed legend entry only (its
    neuron where the path stopped is nothing like the data: a click on the entry shows
    it). The y axis spans the data with a margin, or [−0.1, 1.1] for labels 0 and 1 (a
    sigmoid's outputs). The legend under the chart names each."""
    low, high = float(x.min()), float(x.max())
    pad = 0.1 * (high - low)
    grid = np.linspace(low - pad, high + pad, 60)
    traces = [
        {
            "type": "scatter",
            "mode": "markers",
            "x": x,
            "y": y,
            "marker": {"size": 8, "color": theme().blue, "line": {"color": "white", "width": 1}},
            "name": "data",
            "hovertemplate": "x = %{x:.2f}<br>y = %{y:.2f}<extra>data</extra>",
        }
    ]
    for name, (w, b) in params.items():
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": grid,
                "y": predict(w, b, grid),
                "line": {
                    "color": OPTIMIZER_COLORS[name] if name in OPTIMIZER_COLORS else theme().ink,
                    "width": theme().lw(2),
                },
                "visible": "legendonly" if name in diverged else True,
                "name": optimizer_label(name, diverged),
                "meta": name,
                "hovertemplate": f"{name}: ŷ = %{{y:.3f}}<extra></extra>",
            }
        )
    if set(np.unique(y)) <= {0.0, 1.0}:
        y_range = [-0.1, 1.1]
    else:
        spread = float(y.max() - y.min())
        y_range = [float(y.min()) - 0.4 * spread, float(y.max()) + 0.4 * spread]
    return {
        "data": traces,
        "layout": _layout(
            height,
            margin=UNDER_MARGIN,
            xaxis=_axis("input x", range=[low - pad, high + pad]),
            yaxis=_axis("target y, prediction ŷ", range=y_range),
            showlegend=True,
            legend=LEGEND_UNDER,
            uirevision="fit",
        ),
    }
