"""Charts of the Universal approximation page: the fit and its pieces, error versus
neurons, the loss with the moments neurons were added (width versus depth: ui/charts/depth.py).

Pure functions from arrays to figure dicts. Many curves travel as one trace with NaN
between them (a gap in the line): Plotly's cost grows with the number of traces, and the
fit chart redraws every frame while training plays. Legends are HTML (``legend_html``)
drawn in the chart's title, not Plotly legends, which cost every redraw.
"""

import numpy as np

from ui.charts.colors import BLUE, ORANGE, theme
from ui.charts.png import dots_rgba, png_data_uri
from ui.charts.ranges import padded_range

INK = "#202124"  # the target and the max error
GREY = "#5f6368"
TARGET_COLOR = "#9aa0a6"
OUTPUT_COLOR = BLUE
WIDTH_TICKS = [1, 2, 4, 8, 16, 32, 64, 128, 256]


def as_f32(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float32)


def themed(color: str) -> str:
    """One of this module's colour constants (the light theme's, as callers name them) as
    the current theme draws it: legends built from the constants then match the charts."""
    t = theme()
    return {INK: t.ink, GREY: t.muted, TARGET_COLOR: t.faint, BLUE: t.blue, ORANGE: t.orange}.get(color, color)


def legend_html(items: list[tuple[str, str, str]]) -> str:
    """A one-line legend: (kind, colour, text) with kind "line", "dash", "dotted", "dot",
    "ring" or "tick". Our own text only (never user input: it is HTML)."""
    marks = {
        "line": '<span style="display:inline-block;width:18px;height:0;border-top:3px solid {c};'
        'vertical-align:middle"></span>',
        "dash": '<span style="display:inline-block;width:18px;height:0;border-top:2px dashed {c};'
        'vertical-align:middle"></span>',
        "dotted": '<span style="display:inline-block;width:18px;height:0;border-top:2px dotted {c};'
        'vertical-align:middle"></span>',
        "dot": '<span style="display:inline-block;width:8px;height:8px;border-radius:50%;background:{c};'
        'vertical-align:middle"></span>',
        "ring": '<span style="display:inline-block;width:7px;height:7px;border-radius:50%;border:1.5px solid {c};'
        'vertical-align:middle"></span>',
        "tick": '<span style="display:inline-block;width:2px;height:11px;background:{c};vertical-align:middle"></span>',
    }
    return " &nbsp; ".join(
        f'<span style="white-space:nowrap">{marks[kind].format(c=themed(color))} {text}</span>'
        for kind, color, text in items
    )


def _padded(low: float, high: float, pad: float = 0.08) -> list[float]:
    span = (high - low) or 1.0
    return [low - pad * span, high + pad * span]


def nice_limit(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is >= value (> 0): axis
    limits that change only now and then while the pieces grow."""
    value = max(float(value), 1e-9)
    power = 10 ** np.floor(np.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * power >= value * (1 - 1e-12):
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def fit_range(*arrays: np.ndarray) -> list[float]:
    """A y range for the fit panel from the target and the samples (not the output, so a
    wild output never rescales the picture)."""
    values = np.concatenate([np.ravel(a) for a in arrays])
    return _padded(float(np.min(values)), float(np.max(values)), 0.12)


def pieces_range(curves: list[np.ndarray], bias: float) -> list[float]:
    """A y range for the pieces panel holding every curve, 0 and the bias, with limits in
    nice steps (see ``nice_limit``)."""
    values = [np.asarray(c)[np.isfinite(c)] for c in curves if np.size(c)]
    low = min([0.0, float(bias), *(float(v.min()) for v in values if v.size)])
    high = max([0.0, float(bias), *(float(v.max()) for v in values if v.size)])
    bottom = -nice_limit(-low * 1.05) if low < 0 else 0.0
    top = nice_limit(high * 1.05) if high > 0 else 0.0
    if bottom == top == 0.0:
        return [-1.0, 1.0]
    margin = 0.06 * (top - bottom)
    return [bottom if bottom < 0 else -margin, top if top > 0 else margin]


def _hex(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))


def samples_overlay(
    train: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray] | None,
    x_range: list[float],
    y_range: list[float],
    *,
    width: int = 640,
    height: int = 340,
) -> dict:
    """The samples as dots in a transparent PNG spanning ``x_range`` x ``y_range``, as a
    ``layout.images`` entry: training points dark, held-out ones orange. Hundreds of SVG
    markers cost Plotly milliseconds every redraw; one unchanged picture costs almost
    nothing (and the live panel sends it only once). The picture is stretched over the
    plot area, so it is drawn near that area's usual shape. A range of zero width (a
    constant target) is padded (``padded_range``): the picture never divides by it."""
    x_range, y_range = list(padded_range(*x_range)), list(padded_range(*y_range))
    sx = width / (x_range[1] - x_range[0])
    sy = height / (y_range[1] - y_range[0])
    xs, ys, colors = [], [], []
    for points, color in ((test, theme().orange), (train, theme().ink)):
        if points is not None and len(points[0]):
            xs.append((np.asarray(points[0], dtype=float) - x_range[0]) * sx)
            ys.append((y_range[1] - np.asarray(points[1], dtype=float)) * sy)
            colors.append(np.tile(_hex(color), (len(points[0]), 1)))
    rgba = dots_rgba(np.concatenate(xs), np.concatenate(ys), np.vstack(colors), width, height, radius=2.6)
    return {
        "source": png_data_uri(rgba),
        "xref": "x",
        "yref": "y",
        "x": x_range[0],
        "y": y_range[1],
        "sizex": x_range[1] - x_range[0],
        "sizey": y_range[1] - y_range[0],
        "sizing": "stretch",
        "layer": "above",
    }


def ticks(positions: np.ndarray, low: float, height: float) -> tuple[np.ndarray, np.ndarray]:
    """Short vertical ticks from ``low`` up by ``height`` at each x in ``positions``, as
    one NaN-separated line (one SVG path, however many ticks)."""
    n = len(positions)
    x = np.repeat(np.asarray(positions, dtype=float), 3)
    y = np.tile([low, low + height, np.nan], n)
    x[2::3] = np.nan
    return x, y


def fit_figure(
    x: np.ndarray,
    target: np.ndarray,
    output: np.ndarray,
    *,
    samples: dict | None = None,
    pieces_up: tuple[np.ndarray, np.ndarray] | None = None,
    pieces_down: tuple[np.ndarray, np.ndarray] | None = None,
    bias: float | None = None,
    kinks: np.ndarray | None = None,
    kink_name: str = "kink",
    x_range: list[float] | None = None,
    y_range: list[float] | None = None,
    y2_range: list[float] | None = None,
    height: int = 560,
) -> dict:
    """Two panels over one x axis. Top: the target ``target`` (g,) and the network's
    ``output`` (g,) over ``x`` (g,), and the samples (a ``samples_overlay`` picture).
    Bottom: the pieces v_j·h_j(x), each (x, y) pair one trace of NaN-separated curves
    (``pieces_up`` with v_j > 0 in blue, ``pieces_down`` in orange), the output bias as a
    dashed line, and ``kinks`` (x positions) as ticks on the x axis. The pieces plus the
    bias add up to the output."""
    x_range = x_range if x_range is not None else [float(x[0]), float(x[-1])]
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": as_f32(x),
            "y": as_f32(target),
            "name": "target",
            "line": {"color": themed(TARGET_COLOR), "width": min(theme().lw(5), 6)},  # a band: wide already,
            "hovertemplate": "x %{x:.3f}<br>f(x) %{y:.4f}<extra>target</extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "x": as_f32(x),
            "y": as_f32(output),
            "name": "network",
            "line": {"color": themed(OUTPUT_COLOR), "width": theme().lw(2.5)},
            "hovertemplate": "x %{x:.3f}<br>ŷ %{y:.4f}<extra>network</extra>",
        },
    ]
    for pieces, color, name in ((pieces_up, theme().blue, "v > 0"), (pieces_down, theme().orange, "v < 0")):
        if pieces is not None:
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": as_f32(pieces[0]),
                    "y": as_f32(pieces[1]),
                    "yaxis": "y2",
                    "name": f"pieces, {name}",
                    "line": {"color": color, "width": 1},
                    "opacity": 0.6,
                    "hoverinfo": "skip",
                }
            )
    if bias is not None:
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": x_range,
                "y": [float(bias), float(bias)],
                "yaxis": "y2",
                "name": "output bias",
                "line": {"color": themed(INK), "width": theme().lw(1.5), "dash": "dash"},
                "hovertemplate": f"output bias {float(bias):+.4f}<extra></extra>",
            }
        )
    if kinks is not None:
        inside = np.asarray(kinks, dtype=float)
        inside = inside[np.isfinite(inside) & (inside >= x_range[0]) & (inside <= x_range[1])]
        low, high = y2_range if y2_range is not None else (-1.0, 1.0)
        tx, ty = ticks(inside, low, 0.09 * (high - low))
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": as_f32(tx),
                "y": as_f32(ty),
                "yaxis": "y2",
                "name": kink_name,
                "line": {"color": themed(GREY), "width": theme().lw(2)},
                "hovertemplate": f"{kink_name} at x = %{{x:.3f}}<extra></extra>",
            }
        )
    layout = {
        "height": height,
        "margin": {"l": 55, "r": 10, "t": 8, "b": 38},
        "xaxis": {"range": x_range, "anchor": "y2", "title": {"text": "x"}, "zeroline": False},
        "yaxis": {
            "domain": [0.4, 1.0],
            "title": {"text": "y"},
            "zerolinecolor": theme().zeroline,
            "gridcolor": theme().grid,
        },
        "yaxis2": {
            "domain": [0.0, 0.31],
            "title": {"text": "v<sub>j</sub>·h<sub>j</sub>(x)"},
            "zerolinecolor": theme().zeroline,
            "gridcolor": theme().grid,
        },
        "images": [samples] if samples is not None else [],
        "showlegend": False,
        "plot_bgcolor": theme().plot,
        "paper_bgcolor": theme().paper,
        "hovermode": "closest",
        "font": theme().font,
        "uirevision": "fit",
    }
    if y_range is not None:
        layout["yaxis"]["range"] = list(y_range)
    if y2_range is not None:
        layout["yaxis2"]["range"] = list(y2_range)
    return {"data": traces, "layout": layout}


def _clip_log(values) -> np.ndarray:
    return np.maximum(np.asarray(values, dtype=float), 1e-6)


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def tick_label(value: float, powers: bool = False) -> str:
    """A log axis's tick label, always the whole value: "0.2", never Plotly's bare "2";
    ``powers`` (or a value below 0.001 or from 100,000 on): "2×10⁻⁴", "10⁻⁵"."""
    exponent = int(np.floor(np.log10(value) + 1e-9))
    mantissa = round(value / 10.0**exponent, 6)
    if not powers and -3 <= exponent <= 4:
        return f"{float(f'{mantissa:g}e{exponent}'):g}"
    if exponent in (0, 1) and mantissa == 1:
        return f"{value:g}"
    power = f"10{str(exponent).translate(SUPERSCRIPT)}"
    return power if mantissa == 1 else f"{mantissa:g}×{power}"


def log_ticks(*arrays) -> dict:
    """Tick settings for a log axis over these values, every label the whole value.

    Over 2.5 decades or more: the decades (as powers of ten when one of them is below 0.001).
    Over less: 1, 2 and 5 per decade, or every digit when that gives fewer than three,
    and the axis runs from the tick at or below the lowest value to the one at or above
    the highest (with a small margin), so at least two labelled ticks always show."""
    values = np.concatenate([np.ravel(np.asarray(a, dtype=float)) for a in arrays if np.size(a)] or [np.ones(1)])
    values = _clip_log(values[np.isfinite(values)]) if np.isfinite(values).any() else np.ones(1)
    low, high = float(values.min()), float(values.max())
    if high < low * 1.01:  # one value (or nearly): a decade around it
        low, high = low / 3, high * 3
    first, last = int(np.floor(np.log10(low) + 1e-9)), int(np.floor(np.log10(high) + 1e-9)) + 1
    if np.log10(high) - np.log10(low) >= 2.5:
        decades = [10.0**k for k in range(first, last + 1)]
        powers = first < -3 or last > 4
        return {"tickvals": decades, "ticktext": [tick_label(v, powers) for v in decades]}
    for digits in ((1, 2, 5), tuple(range(1, 10))):
        candidates = [float(f"{m}e{k}") for k in range(first, last + 1) for m in digits]
        bottom = max(v for v in candidates if v <= low * (1 + 1e-9))
        top = min(v for v in candidates if v >= high * (1 - 1e-9))
        shown = [v for v in candidates if bottom <= v <= top]
        if len(shown) >= 3:
            break
    margin = 0.04 * max(np.log10(top) - np.log10(bottom), 0.1)
    return {
        "tickvals": shown,
        "ticktext": [tick_label(v) for v in shown],
        "range": [float(np.log10(bottom) - margin), float(np.log10(top) + margin)],
        "autorange": False,
    }


def error_width_figure(
    records: list[tuple[int, float, float]],
    sweep: list[tuple[int, float, float]] | None = None,
    current: tuple[int, float, float] | None = None,
    *,
    height: int = 300,
) -> dict:
    """Error against the number of hidden neurons, both axes logarithmic. Each entry is
    (width, max error, RMSE): ``records`` measured once training settled at a width,
    ``sweep`` from fresh networks of widths 1, 2, 4, ..., ``current`` the network now."""
    traces = []

    def series(rows, column, color, dash, name, symbol="circle"):
        rows = sorted(rows)
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": [r[0] for r in rows],
                "y": _clip_log([r[column] for r in rows]),
                "name": name,
                "line": {"color": color, "width": 2 if dash == "solid" else 1.5, "dash": dash},
                "marker": {"color": color, "size": 7 if dash == "solid" else 5, "symbol": symbol},
                "hovertemplate": f"%{{x}} neurons<br>{name} %{{y:.4f}}<extra></extra>",
            }
        )

    if sweep:
        series(sweep, 1, themed(INK), "dash", "sweep: max error", "square")
        series(sweep, 2, themed(BLUE), "dash", "sweep: RMSE", "square")
    if records:
        series(records, 1, themed(INK), "solid", "max error")
        series(records, 2, themed(BLUE), "solid", "RMSE")
    if current is not None:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [current[0], current[0]],
                "y": _clip_log([current[1], current[2]]),
                "name": "now",
                "marker": {
                    "color": "rgba(0,0,0,0)",
                    "size": 11,
                    "line": {"color": [theme().ink, theme().blue], "width": theme().lw(2)},
                },
                "hovertemplate": "now: %{x} neurons<br>error %{y:.4f}<extra></extra>",
            }
        )
    layout = {
        "height": height,
        "margin": {"l": 50, "r": 10, "t": 8, "b": 38},
        "xaxis": {
            "type": "log",
            "range": [np.log10(0.75), np.log10(WIDTH_TICKS[-1] * 1.3)],
            "tickvals": WIDTH_TICKS,
            "title": {"text": "hidden neurons"},
        },
        "yaxis": {
            "type": "log",
            "title": {"text": "error on the grid"},
            **log_ticks(*(t["y"] for t in traces)),
        },
        "showlegend": False,
        "plot_bgcolor": theme().plot,
        "paper_bgcolor": theme().paper,
        "font": theme().font,
        "uirevision": "error-width",
    }
    return {"data": traces, "layout": layout}


def loss_events_figure(
    epochs: np.ndarray,
    train_loss: np.ndarray,
    test_loss: np.ndarray | None = None,
    events: list[tuple[int, int, int]] = (),
    *,
    height: int = 230,
) -> dict:
    """Training (and held-out) loss per epoch on a log axis, with a dotted vertical line
    at each (epoch, old width, new width) of ``events``, the moments neurons changed."""
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": as_f32(epochs),
            "y": _clip_log(train_loss).astype(np.float32),
            "name": "training loss",
            "line": {"color": themed(INK), "width": theme().lw(2)},
            "hovertemplate": "epoch %{x:.0f}<br>training loss %{y:.3g}<extra></extra>",
        }
    ]
    if test_loss is not None:
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": as_f32(epochs),
                "y": _clip_log(test_loss).astype(np.float32),
                "name": "held-out loss",
                "line": {"color": themed(ORANGE), "width": theme().lw(1.5)},
                "hovertemplate": "epoch %{x:.0f}<br>held-out loss %{y:.3g}<extra></extra>",
            }
        )
    if events:
        xs, ys, text = [], [], []
        for epoch, old, new in events:
            label = f"epoch {epoch}: {old} → {new} neurons"
            xs += [epoch, epoch, None]
            ys += [0, 1, None]
            text += [label, label, None]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": xs,
                "y": ys,
                "text": text,
                "yaxis": "y2",
                "name": "neurons changed",
                "line": {"color": themed(GREY), "width": theme().lw(1), "dash": "dot"},
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    layout = {
        "height": height,
        "margin": {"l": 50, "r": 10, "t": 8, "b": 38},
        "xaxis": {"title": {"text": "epoch"}, "rangemode": "tozero"},
        "yaxis": {
            "type": "log",
            "title": {"text": "loss"},
            **log_ticks(train_loss, *([test_loss] if test_loss is not None else [])),
        },
        "yaxis2": {"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True},
        "showlegend": False,
        "plot_bgcolor": theme().plot,
        "paper_bgcolor": theme().paper,
        "font": theme().font,
        "uirevision": "loss",
    }
    return {"data": traces, "layout": layout}
