"""The neuron page, driven through Streamlit's AppTest."""

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from engine.activations import ACTIVATIONS
from tests.app.conftest import ROOT, panels
from ui.state import Keys
from ui.state import NeuronKeys as K


@pytest.fixture
def nr():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.switch_page("pages/the_neuron.py").run()
    assert not at.exception, at.exception
    return at


def messages(elements) -> str:
    return " ".join(e.value for e in elements)


def test_page_loads_with_every_section(nr):
    assert nr.title[0].value == "The neuron"
    headers = [h.value for h in nr.header]
    assert headers == [
        "One neuron, two inputs",
        "The perceptron learning rule",
        "Linear stays linear",
        "Activation gallery",
    ]
    charts = [[c["id"] for c in p["charts"]] for p in panels(nr)]
    assert charts == [["plane", "surface"], ["line", "errors"], ["stack"]]
    assert all(c["figure"] for p in panels(nr) for c in p["charts"])  # every picture sent, every run
    assert r"a = \sigma\left(1.0\,x_1 +0.5\,x_2 +1.0\right)" in nr.latex[0].value


def test_sliders_and_activation_change_the_neuron(nr):
    nr.slider(key=K.W1).set_value(-2.0).run()
    nr.slider(key=K.B).set_value(-3.0).run()
    nr.selectbox(key=K.ACTIVATION).set_value("step").run()
    assert not nr.exception
    assert nr.session_state[K.NEURON] == {"w1": -2.0, "w2": 0.5, "b": -3.0, "activation": "step"}
    assert r"a = \operatorname{step}\left(-2.0\,x_1 +0.5\,x_2 -3.0\right)" in nr.latex[0].value
    nr.selectbox(key=K.ACTIVATION).set_value("linear").run()
    assert "$$\na = -2.0\\,x_1 +0.5\\,x_2 -3.0\n$$" == nr.latex[0].value


def test_zero_weights_say_there_is_no_line(nr):
    nr.slider(key=K.W1).set_value(0.0).run()
    nr.slider(key=K.W2).set_value(0.0).run()
    assert not nr.exception
    assert any("no line" in c.value for c in nr.caption)


def test_perceptron_converges_on_separable_data_and_shows_the_count(nr):
    text = messages(nr.success)
    assert "Converged after 9 epoch(s), 48 updates" in text
    assert nr.slider(key=K.PERCEPTRON_EPOCH).value == 10  # the clean epoch
    nr.slider(key=K.PERCEPTRON_EPOCH).set_value(0).run()
    assert not nr.exception
    title = panels(nr)[1]["charts"][0]["title"]
    assert title.startswith("<b>After epoch 0</b>")
    line = json.loads(panels(nr)[1]["charts"][0]["figure"])
    assert not any(t.get("name") == "w·x + b = 0" for t in line["data"])  # w = 0 at the start: no line yet


def test_perceptron_fails_on_xor_says_why_and_opens_the_playground(nr):
    nr.segmented_control(key=K.PERCEPTRON_DATA).set_value("xor").run()
    assert not nr.exception
    assert "No convergence" in messages(nr.warning)
    assert any("no line separates XOR" in m.value for m in nr.markdown)
    button = next(b for b in nr.button if b.label.startswith("Open the Playground"))
    button.click().run()
    assert not nr.exception, nr.exception
    config = nr.session_state[Keys.CONFIG]
    assert config["dataset"] == "xor" and config["hidden"] == (4,)
    run = nr.session_state[Keys.RUN]
    assert run.network.sizes == (2, 4, 1) and run.config["dataset"] == "xor"


def test_new_data_changes_the_seed(nr):
    before = nr.session_state[K.PERCEPTRON]["seed"]
    next(b for b in nr.button if b.label == "New data").click().run()
    assert nr.session_state[K.PERCEPTRON]["seed"] == before + 1
    assert nr.number_input(key=K.PERCEPTRON_SEED).value == before + 1
    assert not nr.exception and (nr.success or nr.warning)


def test_linear_stack_is_one_matrix_and_tanh_bends(nr):
    assert "One layer does it all" in messages(nr.success)
    assert "\nW_1W_2W_3 = " in nr.latex[1].value  # two hidden layers and the output: three matrices
    nr.segmented_control(key=K.STACK_ACTIVATION).set_value("tanh").run()
    assert not nr.exception
    assert "With tanh the product means nothing" in messages(nr.warning)
    nr.slider(key=K.STACK_LAYERS).set_value(3).run()
    assert "\nW_1W_2W_3W_4 = " in nr.latex[1].value
    before = nr.session_state[K.STACK]["seed"]
    next(b for b in nr.button if b.label == "New random weights").click().run()
    assert nr.session_state[K.STACK]["seed"] == before + 1 and not nr.exception


def test_gallery_shows_every_activation_and_its_derivative(nr):
    chart = nr.get("plotly_chart")[0]
    figure = json.loads(chart.proto.spec)
    assert len(figure["data"]) == 2 * len(ACTIVATIONS)
    names = {t["name"] for t in figure["data"]}
    assert all(f"{name} f" in names and f"{name} f′" in names for name in ACTIVATIONS)
    assert np.all(np.isfinite([y for t in figure["data"] for y in t["y"] if isinstance(y, float)]))
