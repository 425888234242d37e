"""Chart builders: pure functions returning figure dicts that Plotly accepts."""

import base64
import json
import zlib

import numpy as np
import plotly.graph_objects as go
import pytest

from ui.charts import loss_figure, network_figure, output_figure, weights_figure
from ui.charts.colors import DIVERGING
from ui.charts.loss import thin
from ui.charts.network import NODE, Y_PITCH
from ui.charts.output import points_overlay
from ui.charts.png import colorize, dots_rgba, lookup_table, png_bytes
from ui.charts.previews import dataset_preview_svg
from ui.live.figure_json import to_json


def valid(fig: dict) -> go.Figure:
    """Plotly's own validation of every property, and a JSON round trip."""
    json.loads(to_json(fig))
    return go.Figure(fig)


def decode_png(data: bytes) -> np.ndarray:
    """RGBA (h, w, 4) from the minimal PNGs png_bytes writes (one IDAT, filter 0)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    idat_len = int.from_bytes(data[33:37], "big")
    raw = np.frombuffer(zlib.decompress(data[41 : 41 + idat_len]), np.uint8).reshape(height, width * 4 + 1)
    assert not raw[:, 0].any()  # filter type 0 on every row
    return raw[:, 1:].reshape(height, width, 4)


def test_png_round_trip_and_colours():
    rgba = np.random.default_rng(0).integers(0, 256, (7, 5, 4), dtype=np.uint8)
    np.testing.assert_array_equal(decode_png(png_bytes(rgba)), rgba)
    table = lookup_table(DIVERGING)
    image = colorize(np.array([[-1.0, 0.0, 1.0, np.nan]]), -1.0, 1.0, table)
    assert tuple(image[0, 0, :3]) == (0xF5, 0x93, 0x22)  # orange at the low end
    assert tuple(image[0, 2, :3]) == (0x08, 0x77, 0xBD)  # blue at the high end
    assert abs(int(image[0, 1, 0]) - 0xE8) <= 1  # grey in the middle: the scale is centred
    assert image[0, 3, 3] == 0  # NaN is transparent


def test_dots_are_drawn_where_the_points_are():
    rgba = dots_rgba(np.array([10.0]), np.array([20.0]), np.array([[8, 119, 189]]), 40, 40)
    assert rgba[20, 10, 3] == 255 and tuple(rgba[20, 10, :3]) == (8, 119, 189)
    assert rgba[20, 14, 3] > 0 and rgba[20, 14, 0] > 200  # the white outline
    assert rgba[0, 0, 3] == 0 and rgba[20, 30, 3] == 0


def test_network_figure():
    sizes = [2, 3, 1]
    labels = [["X₁", "X₂"], ["h1.1", "h1.2", "h1.3"], ["ŷ"]]
    images = [[np.zeros((5, 5))] * n for n in sizes]
    W = [np.array([[0.5, -1.0, 0.0], [2.0, 0.1, -0.2]]), np.array([[1.0], [-1.0], [0.3]])]
    b = [np.zeros(3), np.array([0.25])]
    fig = network_figure(labels, images, W, b, ["input", "hidden 1 · 3", "output"])
    valid(fig)
    # one picture per column, and beside each column of neurons one of its biases
    assert len(fig["layout"]["images"]) == 3 + 2
    lines = [t for t in fig["data"] if t.get("mode") == "lines"]
    colors = {t["line"]["color"] for t in lines}
    assert colors == {"#0877bd", "#f59322"}  # positive blue, negative orange
    widths = {t["line"]["width"] for t in lines}
    assert max(widths) > min(widths)  # thickness grows with |w|
    n_segments = sum(int(np.isnan(t["x"]).sum()) for t in lines)  # NaN separates the links
    assert n_segments == 2 * 3 + 3 * 1
    hovers = next(t for t in fig["data"] if t.get("name") == "hover")["text"]
    assert "X₁ → h1.1<br>weight +0.5000" in hovers and "h1.3 → ŷ<br>weight +0.3000" in hovers
    assert "ŷ<br>bias +0.2500" in hovers and "X₂" in hovers
    image = fig["layout"]["images"][1]  # the hidden column: 3 nodes, centred on y = 0
    assert image["y"] == pytest.approx(Y_PITCH + NODE / 2) and image["sizex"] == NODE


def test_network_figure_without_pictures_for_wide_inputs():
    labels = [[f"f{i}" for i in range(5)], ["h1.1"], ["ŷ"]]
    fig = network_figure(
        labels,
        [[None] * 5, [None], [None]],
        [np.ones((5, 1)), np.ones((1, 1))],
        [np.zeros(1), np.zeros(1)],
        ["input", "hidden", "output"],
    )
    valid(fig)
    assert len(fig["layout"]["images"]) == 3 + 2  # empty boxes, and the bias squares beside two columns


@pytest.mark.parametrize("n_classes, discretize", [(2, False), (2, True), (3, False), (0, False)])
def test_output_figure(n_classes, discretize):
    xs = np.linspace(-6, 6, 10)
    prediction = np.tile(np.linspace(-1, 1, 10), (10, 1)) if n_classes != 3 else np.zeros((10, 10), int)
    X = np.array([[0.0, 0.0], [3.0, -3.0]])
    y = np.array([0, 1]) if n_classes else np.array([-0.5, 0.5])
    overlay = points_overlay(X, y, (-6.6, 6.6), n_classes=n_classes)
    fig = output_figure(xs, xs, prediction, overlays=[overlay], n_classes=n_classes, discretize=discretize)
    valid(fig)
    background, points = fig["layout"]["images"]
    picture = decode_png(__import__("base64").b64decode(background["source"].split(",")[1]))
    assert picture.shape == (10, 10, 4)
    if n_classes == 2 and not discretize:
        assert tuple(picture[0, 0, :3]) == (0xF5, 0x93, 0x22) and tuple(picture[0, -1, :3]) == (0x08, 0x77, 0xBD)
    assert points["layer"] == "above" and background["layer"] == "below"
    assert (fig["data"] != []) == (n_classes == 0)  # regression shows a colour bar


def test_loss_figure():
    h = {
        "epoch": list(range(1000)),
        "train_loss": list(np.linspace(1, 0.1, 1000)),
        "test_loss": list(np.linspace(1, 0.2, 1000)),
        "train_accuracy": [0.5] * 1000,
        "test_accuracy": [0.5] * 1000,
    }
    fig = loss_figure(h, log_scale=True)
    valid(fig)
    assert [t["name"] for t in fig["data"]] == ["training loss", "test loss", "training accuracy", "test accuracy"]
    # The chart draws its own legend, and a curve's colour says which data it is measured on.
    assert fig["layout"]["showlegend"] is True
    colors = {t["name"]: t["line"]["color"] for t in fig["data"]}
    assert colors["training loss"] == colors["training accuracy"] != colors["test loss"] == colors["test accuracy"]
    assert fig["layout"]["yaxis"]["type"] == "log" and "yaxis2" in fig["layout"]
    assert len(fig["data"][0]["x"]) <= 400 and fig["data"][0]["x"][-1] == 999
    regression = loss_figure({"epoch": [0, 1], "train_loss": [1.0, 0.5], "test_loss": [1.0, 0.6]})
    valid(regression)
    assert "yaxis2" not in regression["layout"]
    np.testing.assert_array_equal(thin(5), np.arange(5))


def test_weights_figure_is_centred_at_zero_with_exact_hover_and_named_rows():
    W = [np.array([[0.5, -2.0, 0.0, 1.0], [0.1, 0.2, 0.3, 0.4]]), np.array([[1.5], [-0.5], [0.0], [0.25]])]
    rows = [["X₁", "X₂"], ["h1.1", "h1.2", "h1.3", "h1.4"]]
    cols = [["h1.1", "h1.2", "h1.3", "h1.4"], ["ŷ"]]
    fig = weights_figure(W, rows, cols, deltas=[0.01 * w for w in W])
    valid(fig)
    axis = fig["layout"]["coloraxis"]
    assert axis["cmin"] == -axis["cmax"] == -2.0  # centred at 0, shared by all layers
    assert fig["layout"]["coloraxis2"]["cmax"] == pytest.approx(0.02)
    z = fig["data"][0]["z"][::-1]  # drawn bottom row first: the first row on top
    assert z.shape == (4, 2 + 4 + 2 + 4 + 2 + 1 + 2 + 1)  # gap, W1, gap, ΔW1, gap, W2, gap, ΔW2
    np.testing.assert_allclose(z[:2, 2:6], W[0], rtol=1e-6)  # rows: from; columns: to (float32)
    assert fig["data"][0]["text"][::-1][0][3] == "W1[0, 1]: X₁ → h1.2<br>-2.00000"
    notes = fig["layout"]["annotations"]
    titles = [a["text"] for a in notes]
    assert "<b>W1</b> 2×4" in titles and "<b>W2</b> 4×1" in titles and "ΔW1" in titles
    # Row names left of the rows they name, column names under the columns.
    x1 = next(a for a in notes if a["text"] == "X₁")
    assert x1["y"] == 3 and x1["x"] < 2 and x1["xanchor"] == "right"  # the top row
    assert any(a["text"] == "ŷ" and a["y"] == -0.5 for a in notes)
    assert fig["data"][0]["texttemplate"] == "%{z:.2f}"  # a small matrix shows its numbers


def test_large_weight_matrices_have_no_names_or_numbers():
    W = [np.ones((16, 16))] * 4
    names = [[f"n{i}" for i in range(16)]] * 4
    fig = weights_figure(W, names, names)
    assert "texttemplate" not in fig["data"][0]
    assert [a["text"] for a in fig["layout"]["annotations"]] == [f"<b>W{i}</b> 16×16" for i in range(1, 5)]


def decode_typed_array(spec: dict) -> np.ndarray:
    """What plotly.js does with a typed array spec: its base64 bytes as that dtype and shape."""
    a = np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.dtype(spec["dtype"]).newbyteorder("<"))
    return a.reshape(tuple(int(s) for s in spec["shape"].split(","))) if "shape" in spec else a


def test_typed_arrays_round_trip_and_nan_becomes_null():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    text = to_json({"z": a, "line": [1.0, float("nan")], "s": "NaN stays text"})
    data = json.loads(text)
    np.testing.assert_array_equal(decode_typed_array(data["z"]), a)
    assert data["line"] == [1.0, None] and data["s"] == "NaN stays text"


def test_previews_and_class_colours():
    svg = dataset_preview_svg(np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([0, 1]), 2)
    assert svg.count("<circle") == 2 and "#f59322" in svg and "#0877bd" in svg


def test_without_hover_the_live_frames_drop_the_hover_layers():
    labels = [["X₁", "X₂"], ["h1.1", "h1.2"], ["ŷ"]]
    W = [np.ones((2, 2)), np.ones((2, 1))]
    b = [np.zeros(2), np.zeros(1)]
    images = [[np.zeros((4, 4))] * 2, [np.zeros((4, 4))] * 2, [np.zeros((4, 4))]]
    with_hover = network_figure(labels, images, W, b, ["in", "h", "out"])
    without = network_figure(labels, images, W, b, ["in", "h", "out"], hover=False)
    valid(without)
    assert any(t.get("name") == "hover" for t in with_hover["data"])
    assert not any(t.get("name") == "hover" for t in without["data"])
    assert without["layout"]["images"] == with_hover["layout"]["images"]  # the same picture
    weights = weights_figure(W, labels[:-1], labels[1:], hover=False)
    valid(weights)
    assert "text" not in weights["data"][0] and weights["data"][0]["hoverinfo"] == "skip"


def test_the_live_weights_picture_and_its_stepped_scale():
    from ui.charts.weights import CELL, nice_limit

    assert [nice_limit(v) for v in (0.9, 1.0, 1.2, 2.37, 6.0, 0.004)] == [1.0, 1.0, 1.5, 3.0, 7.5, 0.005]
    W = [np.array([[2.0, -2.0]]), np.array([[0.0], [1.0]])]
    fig = weights_figure(W, [["X₁"], ["h1.1", "h1.2"]], [["h1.1", "h1.2"], ["ŷ"]], hover=False)
    valid(fig)
    (picture,) = fig["layout"]["images"]
    rgba = decode_palette_png(__import__("base64").b64decode(picture["source"].split(",")[1]))
    assert rgba.shape == (2 * CELL, 7 * CELL, 4)  # 2 rows; gap, W1, gap, W2
    assert rgba[0, 0, 3] == 0  # the room for the row names is transparent
    assert tuple(rgba[0, 2 * CELL, :3]) == (0x08, 0x77, 0xBD) and tuple(rgba[0, 3 * CELL, :3]) == (0xF5, 0x93, 0x22)
    assert rgba[0, 4 * CELL, 3] == 0  # the empty columns between the layers are transparent
    assert (picture["y"], picture["sizey"]) == (1.5, 2)  # its top edge on the top row, upright axis
    assert fig["layout"]["coloraxis"]["cmax"] == 2.0


def decode_palette_png(data: bytes) -> np.ndarray:
    """RGBA from the palette PNGs indexed_png_bytes writes (IHDR, PLTE, tRNS, IDAT)."""
    chunks, pos = {}, 8
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        chunks[data[pos + 4 : pos + 8]] = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    width, height = int.from_bytes(chunks[b"IHDR"][:4], "big"), int.from_bytes(chunks[b"IHDR"][4:8], "big")
    palette = np.frombuffer(chunks[b"PLTE"], np.uint8).reshape(-1, 3)
    alpha = np.frombuffer(chunks[b"tRNS"], np.uint8)
    index = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), np.uint8).reshape(height, width + 1)[:, 1:]
    return np.dstack([palette[index], alpha[index]])
