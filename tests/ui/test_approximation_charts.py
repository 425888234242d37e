"""The Universal approximation page's chart builders: valid Plotly figures (checked by
``go.Figure``) that draw what they say, and the pieces that add up to the output."""

import base64
import json
import zlib

import numpy as np
import plotly.graph_objects as go
import pytest

from engine.approximation import make_network
from engine.surgery import contributions, output_bias
from ui.approximation.figures import MAX_SMOOTH_PIECES, depth_rows, pieces_of
from ui.charts.approximation import (
    error_width_figure,
    fit_figure,
    fit_range,
    legend_html,
    log_ticks,
    loss_events_figure,
    nice_limit,
    pieces_range,
    samples_overlay,
    ticks,
)
from ui.charts.depth import depth_figure, zigzag_figure
from ui.live.figure_json import to_json

X = np.linspace(-2, 2, 201)


def valid(fig: dict) -> go.Figure:
    """Plotly's own validation of every property, and a JSON round trip."""
    json.loads(to_json(fig))
    return go.Figure(fig)


def decode_png(data: bytes) -> np.ndarray:
    """RGBA (h, w, 4) from the minimal PNGs ui.charts.png writes (one IDAT, filter 0)."""
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    idat_len = int.from_bytes(data[33:37], "big")
    raw = np.frombuffer(zlib.decompress(data[41 : 41 + idat_len]), np.uint8).reshape(height, width * 4 + 1)
    return raw[:, 1:].reshape(height, width, 4)


def by_name(fig: dict, name: str) -> dict:
    return next(t for t in fig["data"] if t.get("name") == name)


def curves(x: np.ndarray, y: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Split NaN-separated curves back into (x, y) pieces."""
    breaks = np.flatnonzero(np.isnan(x))
    starts = np.r_[0, breaks[:-1] + 1]
    return [(x[a:b], y[a:b]) for a, b in zip(starts, breaks)]


def test_fit_figure_has_both_panels_and_is_valid():
    net = make_network([6], "relu", seed=0)
    pieces = pieces_of(net, -2.0, 2.0)
    samples = samples_overlay((X[::10], np.sin(X[::10])), (X[5::40], np.sin(X[5::40])), [-2.05, 2.05], [-1.2, 1.2])
    fig = fit_figure(
        X,
        np.sin(X),
        net.forward(X[:, None])[:, 0],
        samples=samples,
        pieces_up=pieces["up"],
        pieces_down=pieces["down"],
        bias=output_bias(net),
        kinks=np.array([-1.0, 0.5, 3.0, np.nan]),
        x_range=[-2.05, 2.05],
        y_range=[-1.2, 1.2],
        y2_range=[-4.0, 4.0],
    )
    figure = valid(fig)
    assert {t.get("yaxis", "y") for t in fig["data"]} == {"y", "y2"}
    assert figure.layout.yaxis.domain[0] > figure.layout.yaxis2.domain[1]  # fit above, pieces below
    assert fig["layout"]["xaxis"]["anchor"] == "y2" and fig["layout"]["images"] == [samples]
    kink = by_name(fig, "kink")
    assert sorted(set(kink["x"][np.isfinite(kink["x"])])) == [-1.0, 0.5]  # inside the x range only
    assert np.nanmin(kink["y"]) == -4.0  # ticks stand on the x axis
    pieces_traces = [t for t in fig["data"] if t["name"].startswith("pieces")]
    assert len(pieces_traces) == 2  # never one trace per neuron


def test_samples_overlay_puts_dots_where_the_points_are():
    image = samples_overlay((np.array([0.0]), np.array([0.0])), None, [-2.0, 2.0], [-1.0, 1.0], width=200, height=100)
    rgba = decode_png(base64.b64decode(image["source"].split(",", 1)[1]))
    assert rgba.shape == (100, 200, 4)
    assert rgba[50, 100, 3] == 255 and tuple(rgba[50, 100, :3]) == (0x20, 0x21, 0x24)
    assert rgba[10, 10, 3] == 0
    assert (image["x"], image["y"], image["sizex"], image["sizey"]) == (-2.0, 1.0, 4.0, 2.0)


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "step", "tanh", "sine", "linear"])
def test_the_drawn_pieces_are_the_networks_pieces(activation):
    net = make_network([7], activation, seed=1)
    pieces = pieces_of(net, -2.0, 2.0)
    assert pieces["shown"] == pieces["total"] == 7
    drawn = curves(*pieces["up"]) + curves(*pieces["down"])
    assert len(drawn) == 7
    for x, y in drawn:
        # each drawn curve is one unit's piece: it matches that unit's contribution
        values = contributions(net, x)
        assert min(np.max(np.abs(values[:, j] - y)) for j in range(7)) < 1e-9
    assert all(np.all(np.diff(x) >= 0) for x, _ in drawn)  # left to right


def test_relu_pieces_with_the_bias_add_up_to_the_output_exactly():
    net = make_network([12], "relu", seed=2)
    pieces = pieces_of(net, -2.0, 2.0)
    drawn = curves(*pieces["up"]) + curves(*pieces["down"])
    grid = np.linspace(-2, 2, 801)
    # three points draw a relu piece exactly: interpolating the drawn curves gives the pieces
    total = sum(np.interp(grid, x, y) for x, y in drawn) + output_bias(net)
    np.testing.assert_allclose(total, net.forward(grid[:, None])[:, 0], atol=1e-9)


def test_smooth_activations_draw_only_the_largest_pieces():
    net = make_network([256], "tanh", seed=0)
    pieces = pieces_of(net, -2.0, 2.0)
    assert pieces["shown"] == MAX_SMOOTH_PIECES and pieces["total"] == 256
    assert len(curves(*pieces["up"])) + len(curves(*pieces["down"])) == MAX_SMOOTH_PIECES
    largest = np.sort(np.max(np.abs(contributions(net, np.linspace(-2, 2, 61))), axis=0))[-MAX_SMOOTH_PIECES:]
    drawn = [np.max(np.abs(y)) for _, y in curves(*pieces["up"]) + curves(*pieces["down"])]
    np.testing.assert_allclose(np.sort(drawn), largest)
    relu = pieces_of(make_network([256], "relu", seed=0), -2.0, 2.0)
    assert relu["shown"] == 256  # straight pieces are cheap: all of them
    assert relu["up"][0].size + relu["down"][0].size == 256 * 4


def test_error_width_figure():
    records = [(4, 1.0, 0.3), (5, 0.25, 0.08)]
    sweep = [(1, 1.15, 0.62), (2, 1.15, 0.63), (4, 1.0, 0.27), (8, 0.26, 0.07)]
    fig = error_width_figure(records, sweep, (6, 0.2, 0.05))
    figure = valid(fig)
    assert figure.layout.xaxis.type == "log" and figure.layout.yaxis.type == "log"
    assert [t["name"] for t in fig["data"]] == ["sweep: max error", "sweep: RMSE", "max error", "RMSE", "now"]
    assert by_name(fig, "sweep: max error")["line"]["dash"] == "dash"
    assert by_name(fig, "now")["x"] == [6, 6]
    assert valid(error_width_figure([], None, (1, 0.0, 0.0)))  # zero errors stay on a log axis


def test_loss_events_figure():
    epochs = np.arange(100)
    loss = np.geomspace(1, 1e-4, 100)
    fig = loss_events_figure(epochs, loss, loss * 1.1, [(30, 4, 5), (60, 5, 10)])
    valid(fig)
    events = by_name(fig, "neurons changed")
    assert events["x"] == [30, 30, None, 60, 60, None] and events["yaxis"] == "y2"
    assert "epoch 60: 5 → 10 neurons" in events["text"]
    axis = fig["layout"]["yaxis"]
    assert axis["type"] == "log" and axis["tickvals"] == [1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0]  # 4 decades: decades
    assert valid(loss_events_figure(epochs[:1], loss[:1]))


def test_depth_and_zigzag_figures():
    fig = depth_figure(X, np.sin(X), [("1 layer", np.sin(X) + 0.1), ("2 layers", np.sin(X) - 0.1)], train_points=(X, X))
    valid(fig)
    assert [t["name"] for t in fig["data"]] == ["target", "samples", "1 layer", "2 layers"]
    valid(zigzag_figure(X, np.abs(X) - 1, title="zigzag"))


def test_depth_rows():
    class Result:
        depth, sizes, n_params, max_error, rmse = 2, (1, 8, 8, 1), 97, 0.123456, 0.0123456

    assert depth_rows([Result()]) == [
        {"hidden layers": 2, "architecture": "1-8-8-1", "parameters": 97, "max error": 0.1235, "RMSE": 0.0123}
    ]


def test_axis_helpers():
    assert [nice_limit(v) for v in (0.7, 1.0, 1.3, 2.2, 3.0, 7.0, 0.012)] == [1.0, 1.0, 2.0, 2.5, 5.0, 10.0, 0.02]
    assert pieces_range([np.array([-3.0, 0.5, np.nan])], 1.0) == [-5.0, 2.0]  # 5 % headroom
    assert pieces_range([np.array([0.0, 0.0])], 0.0) == [-1.0, 1.0]
    low, high = pieces_range([np.array([0.2, 1.7])], 0.3)
    assert low < 0 < high == 2.0  # a little room below 0
    assert fit_range(np.array([-1.0, 1.0])) == pytest.approx([-1.24, 1.24])
    narrow = log_ticks(np.array([0.19, 0.63]))
    assert {0.2: "0.2", 0.5: "0.5", 1.0: "1"}.items() <= dict(zip(narrow["tickvals"], narrow["ticktext"])).items()
    wide = log_ticks(np.array([1e-5, 1.0]))  # decades only, every label whole
    assert dict(zip(wide["tickvals"], wide["ticktext"])) == {
        1e-5: "10⁻⁵",
        1e-4: "10⁻⁴",
        1e-3: "10⁻³",
        1e-2: "10⁻²",
        1e-1: "10⁻¹",
        1.0: "1",
        10.0: "10",
    }
    x, y = ticks(np.array([0.5, 1.0]), -1.0, 0.2)
    assert np.array_equal(x, [0.5, 0.5, np.nan, 1.0, 1.0, np.nan], equal_nan=True)
    assert np.allclose(y, [-1.0, -0.8, np.nan, -1.0, -0.8, np.nan], equal_nan=True)


def test_legend_html():
    html = legend_html([("line", "#0877bd", "network"), ("ring", "#f59322", "held out")])
    assert "network" in html and "#0877bd" in html and "border-radius:50%" in html


def label_value(text: str) -> float:
    """A tick label read back as a number: "0.2", "10⁻³", "5×10⁻⁵"."""
    text = text.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789"))
    if "×10" in text:
        mantissa, power = text.split("×10")
        return float(mantissa) * 10.0 ** int(power)
    if text.startswith("10-"):
        return 10.0 ** int(text[2:])
    return float(text)


@pytest.mark.parametrize(
    "values",
    [
        [0.19, 0.63],
        [1e-5, 1.0],
        [0.0031, 0.0033],
        [0.068, 0.99],
        [2.5, 4.95],
        [1.0],
        [0.9839, 0.0681],
        [3e-5, 9e-5],
        [0.2, 120],
        [0.05, 2.0],
        [np.nan, 0.3, np.inf, 0.4],
        [0.0, 0.5],
    ],
)
def test_log_ticks_label_every_tick_with_its_whole_value(values):
    """The error chart once read "1, 5, 2, 10⁻¹, 5" down its axis: minor labels without
    their decade. Every label is the tick's whole value, and at least two show."""
    ticks_ = log_ticks(np.array(values, dtype=float))
    shown, labels = ticks_["tickvals"], ticks_["ticktext"]
    assert [label_value(t) for t in labels] == pytest.approx(shown)
    assert shown == sorted(shown) and len(set(shown)) == len(shown)
    finite = [max(v, 1e-6) for v in values if np.isfinite(v)]  # a log axis shows 0 as 1e-6
    low, high = 10 ** np.array(ticks_["range"]) if "range" in ticks_ else (min(finite), max(finite))
    assert low <= min(finite) and max(finite) <= high  # every value on the axis
    assert len([v for v in shown if low <= v <= high]) >= 2  # at least two labels show (once: "5" alone)
