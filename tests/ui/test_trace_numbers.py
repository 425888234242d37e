"""The traced point (ui/playground/trace.py, trace_html.py and its pictures) against the
engine: the numbers written out are the network's forward pass and, for a data point, its
gradient on that one point."""

import re

import numpy as np
import pytest

from engine.csv_data import load_csv
from ui.charts.network import GAP, RING_SVG, bias_limit, bias_strip
from ui.charts.png import color_index
from ui.playground.config import DEFAULTS
from ui.playground.figures import class_names, frame, node_labels, playground_figures
from ui.playground.run import build_run
from ui.playground.trace import TraceSpec, click_to_trace, normal_trace, parse_trace, resolve, traced
from ui.playground.trace_html import num, slope, trace_html


def make_run(**changes):
    return build_run({**DEFAULTS, **changes})


def notes_written(figure: dict) -> list[str]:
    """The lines of the labels written over a network figure (beside its neurons), in order."""
    return [line for label in figure.get("labels", []) for line in label["lines"]]


def trace_cell(run, *, playing: bool) -> dict:
    """The live panel's trace cell in the frame for ``run`` as it stands."""
    return next(c for c in frame(run, playing=playing, clickable=False).charts if c["id"] == "trace")


@pytest.mark.parametrize(
    "text, lasting",
    [
        ("", ""),
        ("  ", ""),
        (" 1.5 , -2 ", "1.5,-2"),
        ("1.50,-2.000", "1.5,-2"),
        ("0.1;0.2", "0.1,0.2"),
        ("row:17", "row:17"),
        ("ROW 17", "row:17"),
        ("row17", "row:17"),
        ("1,2,3", "1,2,3"),
    ],
)
def test_a_trace_is_kept_in_one_form(text, lasting):
    assert normal_trace(text) == lasting


@pytest.mark.parametrize("text", ["abc", "1", "nan,1", "1,inf", "1e9,0", "row:0", "row:-1", "1,,2", "<b>1</b>,2"])
def test_text_that_names_no_point_is_refused_in_words(text):
    with pytest.raises(ValueError, match=r"not a point|counted from 1"):
        normal_trace(text)


def test_parse_names_a_row_from_1_or_a_point():
    assert parse_trace("row:1") == TraceSpec(row=0)
    assert parse_trace("0.5,-1") == TraceSpec(point=(0.5, -1.0))
    assert parse_trace("") is None


SETUPS = [
    {},  # the default: circle, 2-4-2-1 tanh, quadratic
    {"features": ("x1", "x2", "x1_sq", "x1x2"), "hidden": (3,), "activation": "relu"},
    {"dataset": "blobs4", "hidden": (6, 4), "activation": "sigmoid"},  # softmax, cross-entropy
    {"dataset": "xor", "loss": "binary_cross_entropy", "hidden": (5,)},  # a sigmoid output
    {"problem": "regression", "dataset": "plane", "hidden": (4, 3), "activation": "leaky_relu"},
    {"hidden": (16,) * 8},
    {"hidden": ()},  # a single perceptron
]


@pytest.mark.parametrize("changes", SETUPS)
def test_a_traced_data_point_is_the_engines_forward_and_gradient(changes):
    run = make_run(**changes)
    run.trainer.train(3)
    for row in (0, 7, 123):
        point = resolve(run, TraceSpec(row=row))
        inputs = run.trainer.network.check_input(point.inputs[None, :])
        batch = run.network.forward(inputs, trace=True)
        for i, layer in enumerate(point.trace.layers):
            np.testing.assert_allclose(layer.z, batch.pre_activations[i][0], rtol=1e-10, atol=1e-12)
            np.testing.assert_allclose(layer.a, batch.activations[i + 1][0], rtol=1e-10, atol=1e-12)
        # the input is the data's row after the feature transform
        all_inputs = np.vstack([run.trainer.X_train, run.trainer.X_test])
        order = np.concatenate([run.trainer.train_index, run.trainer.test_index])
        np.testing.assert_array_equal(point.inputs, all_inputs[list(order).index(row)])
        target = run.trainer.encode_targets(np.asarray([run.dataset.y[row]]))
        value, _ = run.network.loss_and_gradient(inputs, target, run.trainer.loss)
        assert point.trace.backward.loss == pytest.approx(value, rel=1e-10, abs=1e-14)
        for i in range(run.network.n_layers):
            np.testing.assert_allclose(point.trace.backward.grad_W[i], run.network.grad_W[i], rtol=1e-9, atol=1e-13)
            np.testing.assert_allclose(point.trace.backward.grad_b[i], run.network.grad_b[i], rtol=1e-9, atol=1e-13)
        assert point.part == ("training" if row in run.trainer.train_index else "test")


def activations_written(html: str) -> list[str]:
    """The bold a = σ(z) cells of the write-up's forward tables."""
    rows = re.findall(r'<tr class="a">(.*?)</tr>', html)
    return [cell for row in rows for cell in re.findall(r"<td><b>([^<]*)</b></td>", row)]


@pytest.mark.parametrize("changes", SETUPS)
def test_the_write_up_shows_every_neurons_activation_to_3_decimals(changes):
    run = make_run(**changes)
    run.trainer.train(2)
    point = resolve(run, TraceSpec(row=4))
    html = trace_html(run, point, node_labels(run), class_names(run), (0, 0))
    expected = [num(a) for layer in point.trace.layers for a in layer.a]
    assert activations_written(html) == expected
    for layer in point.trace.layers:
        for a in layer.a:
            assert re.fullmatch(r"−?\d+\.\d{3}", num(a))
    assert "1 (bias input)" in html or max(run.network.sizes) > 8
    assert "Its own loss" in html and "Chain rule" in html


def test_one_neurons_weighted_sum_is_written_in_full():
    run = make_run(hidden=(3,))
    point = resolve(run, TraceSpec(point=(1.0, -2.0)))
    html = trace_html(run, point, node_labels(run), class_names(run), (0, 2))
    layer = point.trace.layers[0]
    w, b = layer.W[:, 2], layer.b[2]
    products = f"{num(w[0])}·1.000 + {'(' + num(w[1]) + ')' if w[1] < 0 else num(w[1])}·(−2.000)"
    assert products in html.replace("(" + num(w[0]) + ")", num(w[0]))
    assert f"= <b>{num(layer.z[2])}</b>; a = tanh({num(layer.z[2])}) = <b>{num(layer.a[2])}</b>" in html
    assert f"{num(b)}·1" in html or f"({num(b)})·1" in html
    assert "no loss" in html  # a point of the plane has no label


def test_softmax_is_written_as_its_normalisation():
    run = make_run(dataset="blobs3", hidden=(4,))
    point = resolve(run, TraceSpec(row=0))
    html = trace_html(run, point, node_labels(run), class_names(run), (0, 0))
    e = np.exp(point.trace.layers[-1].z)
    assert f"Σ = {num(e.sum())}" in html
    for value, a in zip(e, point.trace.output):
        assert f"{num(value)}/{num(e.sum())} = <b>{num(a)}</b>" in html


def test_the_chain_rule_uses_the_learning_rate_of_the_run():
    run = make_run(learning_rate=0.3)
    point = resolve(run, TraceSpec(row=2))
    html = trace_html(run, point, node_labels(run), class_names(run), (1, 1))
    grad = point.trace.backward.grad_W[1][0, 1]
    assert f"= <b>{slope(grad)}</b>" in html
    assert "−0.3 × " in html and f"<b>{slope(-0.3 * grad)}</b>" in html


def test_wide_layers_are_written_as_vectors():
    run = make_run(hidden=(16, 16))
    point = resolve(run, TraceSpec(row=0))
    html = trace_html(run, point, node_labels(run), class_names(run), (1, 15))
    assert "W2 (16×16) and b2: in the weight matrices picture" in html
    assert "<b>h2.16</b>: z = " in html  # the neuron picked is still written in full


def test_csv_names_are_plain_text_everywhere_the_trace_shows_them():
    header = b"<b>bold</b>,![pixel](http://127.0.0.1:9/p.png),[click](http://example.invalid/),label\n"
    rows = b"".join(
        b"%d,%d,%d,%s\n" % (i % 5, i % 3, i % 4, b"<a href=x>yes</a>" if i % 2 else b"no") for i in range(30)
    )
    data = load_csv(header + rows)
    run = build_run({**DEFAULTS, "dataset": "csv", "problem": "classification", "trace": "row:2"}, data)
    point, problem = traced(run)
    assert problem is None
    html = trace_html(run, point, node_labels(run), class_names(run), (0, 0))
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html  # an input's name
    assert "<a href" not in html and "&lt;a href=x&gt;yes&lt;/a&gt;" in html  # a class's name
    assert "![pixel](http://127.0.0.1:9/p.png)" in html  # HTML does not render Markdown: plain text
    figures = playground_figures(run, ("network",), point=point)
    texts = [a["text"] for a in figures["network"]["layout"]["annotations"]]
    assert "&lt;b&gt;bold&lt;/b&gt;" in texts and not any("<b>bold" in t for t in texts)
    hover = next(t for t in figures["network"]["data"] if t.get("name") == "hover")
    assert not any("<b>bold" in t or "<a href" in t for t in hover["text"])


def test_data_with_more_columns_is_traced_by_row_or_by_as_many_numbers():
    rows = "\n".join(f"{i % 7},{i % 5},{i % 3},{i % 2}" for i in range(40))
    data = load_csv(f"a,b,c,label\n{rows}\n")
    run = build_run({**DEFAULTS, "dataset": "csv", "trace": "row:3"}, data)
    point, problem = traced(run)
    assert problem is None and point.raw is None and point.row == 2
    np.testing.assert_array_equal(point.inputs, data.X[2])
    run.config["trace"] = "0.5,1,-1"
    point, problem = traced(run)
    assert problem is None and point.trace.backward is None
    run.config["trace"] = "0.5,1"
    point, problem = traced(run)
    assert point is None and "needs 3 numbers" in problem


def test_a_row_beyond_the_data_is_said():
    run = make_run(n_samples=100, trace="row:101")
    point, problem = traced(run)
    assert point is None and "there is no row 101: the data has 100 rows" in problem
    note = trace_cell(run, playing=False)
    assert "there is no row 101" in note["figure"]


def test_a_click_near_a_data_point_traces_it_else_the_place():
    run = make_run()
    row = int(run.trainer.train_index[5])
    x, y = run.dataset.X[row]
    assert click_to_trace(run, x + 0.05, y - 0.05) == f"row:{row + 1}"
    test_row = int(run.trainer.test_index[0])
    tx, ty = run.dataset.X[test_row]
    assert click_to_trace(run, tx, ty) != f"row:{test_row + 1}"  # hidden test points are not clicked
    run.config["show_test"] = True
    assert click_to_trace(run, tx, ty) == f"row:{test_row + 1}"
    assert click_to_trace(run, 5.9, -5.9) == "5.900,-5.900"


def test_the_pictures_mark_the_point_and_write_z_and_a_beside_each_neuron():
    run = make_run(trace="row:3")
    point, _ = traced(run)
    figures = playground_figures(run, ("network", "output"), point=point)
    texts = notes_written(figures["network"])
    assert texts[: len(point.inputs)] == [num(x) for x in point.inputs]
    for layer in point.trace.layers:
        for z, a in zip(layer.z, layer.a):
            assert f"z {num(z)}" in texts and f"a {num(a)}" in texts
    hover = next(t for t in figures["network"]["data"] if t.get("name") == "hover")
    first = point.trace.layers[0]
    assert any(f"z {num(first.z[0])}<br>a {num(first.a[0])}" in text for text in hover["text"])
    rings = [i for i in figures["network"]["layout"]["images"] if i["source"] == RING_SVG]
    assert len(rings) == sum(run.network.sizes)  # every node has a picture of the plane
    output_rings = [i for i in figures["output"]["layout"]["images"] if i["source"] == RING_SVG]
    assert len(output_rings) == 1
    ring = output_rings[0]
    assert ring["x"] + ring["sizex"] / 2 == pytest.approx(point.raw[0])
    assert ring["y"] - ring["sizey"] / 2 == pytest.approx(point.raw[1])
    assert "traced point" in [t.get("name") for t in figures["output"]["data"]]


def test_a_large_network_writes_z_and_a_in_the_hover_instead():
    run = make_run(hidden=(16,) * 8, trace="row:3")
    point, _ = traced(run)
    figure = playground_figures(run, ("network",), point=point)["network"]
    assert notes_written(figure) == []
    hover = next(t for t in figure["data"] if t.get("name") == "hover")
    layer = point.trace.layers[3]
    assert any(f"z {num(layer.z[5])}<br>a {num(layer.a[5])}" in text for text in hover["text"])
    note = trace_cell(run, playing=False)
    assert "when you hover over the neuron" in note["figure"]


def test_the_bias_square_of_every_neuron_is_coloured_by_its_bias():
    run = make_run()
    run.network.b[0][...] = [-2.0, 0.0, 0.5, 2.0]  # beyond ±1: the scale widens to ±2
    figure = playground_figures(run, ("network",))["network"]
    strips = [i for i in figure["layout"]["images"] if i["sizex"] < 0.3]  # the narrow bias pictures
    assert len(strips) == run.network.n_layers  # one beside each column of neurons
    limit = bias_limit(run.network.b)
    assert limit == 2.0
    t = 25  # a node picture's pixels at this size
    strip = bias_strip(run.network.b[0], t, limit)
    k = strip.shape[1]
    gap = round(GAP * t)
    for i, value in enumerate(run.network.b[0]):
        square = strip[i * (t + gap) + t - k : i * (t + gap) + t]
        expected = color_index(np.array([[value]]), -limit, limit, 253)[0, 0]
        assert np.all(square[1:-1, 1:-1] == expected)  # the bias's colour, framed
        assert square[0, 0] != expected
    assert strip[0, 0] == 253  # transparent above the square
    # no trace carries the biases: they would make Plotly redraw the figure every frame
    assert "bias" not in [t.get("name") for t in figure["data"]]
    hover = next(t for t in figure["data"] if t.get("name") == "hover")
    assert any("bias −2.0000" in h or "bias -2.0000" in h for h in hover["text"])


def test_the_trace_follows_training_frame_by_frame():
    run = make_run(trace="row:3")
    before = trace_cell(run, playing=True)["figure"]
    run.trainer.train(5)
    after = trace_cell(run, playing=True)["figure"]
    assert before != after
    point, _ = traced(run)
    assert activations_written(after) == [num(a) for layer in point.trace.layers for a in layer.a]
