"""The neuron page's loss section through AppTest: the prediction and the label set the
chart and the sentence (its numbers are the engine's), a link opens them, a bad value is
said, and "Train the same data with each" opens the Playground comparing the two losses."""

import json

import numpy as np
import pytest

from engine.losses import LOSSES
from tests.app.conftest import button, open_neuron, url
from ui.neuron import text
from ui.state import NeuronKeys as K
from ui.state import PlaygroundKeys as PK

HEADER = "Loss: what each punishes"


def loss_text(at) -> str:
    said = [e.value for e in (*at.warning, *at.info) if e.value.startswith("ŷ = ")]
    assert len(said) == 1, said
    return said[0]


def loss_chart(at) -> dict:
    (chart,) = [c for c in at.get("plotly_chart") if c.proto.id and K.LOSS_CHART in c.proto.id]
    return json.loads(chart.proto.spec)


def one_point(key: str, prediction: float, label: int) -> tuple[str, str]:
    """The engine's value and slope for one point, as the page writes them."""
    a, y = np.array([[prediction]]), np.array([[float(label)]])
    return text.short(LOSSES[key].value(a, y)), text.short(LOSSES[key].grad(a, y)[0, 0])


def test_the_section_is_drawn_with_the_defaults():
    at = open_neuron()
    assert HEADER in [h.value for h in at.header]
    said = loss_text(at)
    q, e = one_point("quadratic", 0.1, 1), one_point("binary_cross_entropy", 0.1, 1)
    assert f"cross-entropy charges **{e[0]}** against the quadratic's **{q[0]}**" in said
    figure = loss_chart(at)
    names = [t.get("name") for t in figure["data"] if t.get("showlegend", True)]
    assert names == [
        "quadratic ½(ŷ − 1)²",
        f"its slope at ŷ: {q[1]}",
        "cross-entropy −log ŷ",
        f"its slope at ŷ: {e[1]}",
    ]
    assert url(at) == {}


def test_setting_the_prediction_and_the_label_changes_the_numbers():
    at = open_neuron()
    at.slider(key=K.LINK.widget("loss_prediction")).set_value(0.01).run()
    assert not at.exception
    said = loss_text(at)
    assert "ŷ = 0.01 for y = 1 is a confident wrong answer" in said
    assert "cross-entropy charges **4.61** against the quadratic's **0.490**, 9.4 times as much" in said
    assert "its slope is **−100** against **−0.990**" in said
    marks = [t for t in loss_chart(at)["data"] if t.get("mode") == "markers+text"]
    assert [m["text"][0] for m in marks] == ["0.490, slope −0.990", "4.61, slope −100"]
    assert url(at) == {"loss_prediction": "0.01"}

    at.segmented_control(key=K.LINK.widget("loss_label")).set_value(0).run()
    assert not at.exception
    said = loss_text(at)
    q, e = one_point("quadratic", 0.01, 0), one_point("binary_cross_entropy", 0.01, 0)
    assert "ŷ = 0.01 for y = 0 is a right answer" in said
    assert (
        f"**{e[0]}** against the quadratic's **{q[0]}**" in said and f"slope is **{e[1]}** against **{q[1]}**" in said
    )
    assert at.session_state[K.LINK.config]["loss_label"] == 0
    assert url(at) == {"loss_label": "0", "loss_prediction": "0.01"}


def test_a_link_opens_the_point_and_a_bad_value_is_clamped_and_said():
    at = open_neuron({"loss_label": "0", "loss_prediction": "0.9"})
    assert "ŷ = 0.90 for y = 0 is a confident wrong answer" in loss_text(at)
    assert at.slider(key=K.LINK.widget("loss_prediction")).value == pytest.approx(0.9)
    at = open_neuron({"loss_prediction": "1.5"})
    assert "ŷ = 0.99 for y = 1 is a right answer" in loss_text(at)
    assert any("loss_prediction" in w.value for w in at.warning), [w.value for w in at.warning]
    at = open_neuron({"loss_prediction": "lots"})
    assert not at.exception and "ŷ = 0.10" in loss_text(at)


def test_hidden_controls_keep_their_values():
    at = open_neuron({"loss_prediction": "0.3", "loss_prediction_hide": "1"})
    assert K.LINK.widget("loss_prediction") not in {s.key for s in at.slider}
    assert "ŷ = 0.30 for y = 1" in loss_text(at)


def test_the_button_opens_the_playground_comparing_the_two_losses():
    at = open_neuron()
    assert any("/?loss=quadratic&output_activation=sigmoid" in c.value for c in at.caption)
    button(at, "Train the same data with each").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Neural-network playground"
    run = at.session_state[PK.RUN]
    assert (run.loss, run.output) == ("quadratic", "sigmoid")
    b = run.compare.run  # run B beside it: cross-entropy through the same sigmoid, from A's very weights
    assert run.compare.problem is None and (b.loss, b.output) == ("binary_cross_entropy", "sigmoid")
    assert (b.network.params == run.network.params).all()
    assert url(at) == {
        "loss": "quadratic",
        "output_activation": "sigmoid",
        "learning_rate": "0.1",
        "compare": "loss:binary_cross_entropy",
    }
