"""The neuron page, driven through Streamlit's AppTest: every section, its controls, its
link (the URL follows every setting, hidden controls, presentation mode, a bad value's
notice) and the way to the Playground."""

import json

import numpy as np
import pytest
from streamlit.runtime.state.query_params_proxy import QueryParamsProxy
from streamlit.testing.v1 import AppTest

from engine.activations import ACTIVATIONS
from tests.app.conftest import ROOT, open_neuron, panels
from ui.charts.neuron_diagram import number
from ui.neuron import text
from ui.neuron.config import DEFAULTS, SCHEMA
from ui.state import NeuronKeys as K
from ui.state import PlaygroundKeys as PK


@pytest.fixture
def nr():
    return open_neuron()


def widget(field: str) -> str:
    return K.LINK.widget(field)


def config(at) -> dict:
    return at.session_state[K.LINK.config]


def url(at) -> dict:
    return {k: (v if isinstance(v, str) else v[-1]) for k, v in at.query_params.items()}


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def messages(elements) -> str:
    return " ".join(e.value for e in elements)


def link_notices(at) -> list[str]:
    return [w.value for w in at.warning if "link's settings" in w.value]


def test_page_loads_with_every_section(nr):
    assert nr.title[0].value == "The neuron"
    headers = [h.value for h in nr.header]
    assert headers == [
        "One neuron, two inputs",
        "The perceptron learning rule",
        "Linear stays linear",
        "Activation gallery",
        "Loss: what each punishes",
    ]
    charts = [[c["id"] for c in p["charts"]] for p in panels(nr)]
    assert charts == [["plane", "surface", "diagram"], ["line", "errors"], ["stack"]]
    assert all(c["figure"] for p in panels(nr) for c in p["charts"])  # every picture sent, every run
    assert r"a = \sigma\left(1.0\,x_1 +0.5\,x_2 +1.0\right)" in nr.latex[0].value
    assert config(nr) == DEFAULTS and url(nr) == {}  # the defaults: a bare /neuron
    assert [e.label for e in nr.expander] == ["The formulas", "Share a link"]


def test_sliders_and_activation_change_the_neuron(nr):
    nr.slider(key=widget("w1")).set_value(-2.0).run()
    nr.slider(key=widget("b")).set_value(-3.0).run()
    nr.selectbox(key=widget("activation")).set_value("step").run()
    assert not nr.exception
    assert {k: config(nr)[k] for k in ("w1", "w2", "b", "activation")} == {
        "w1": -2.0,
        "w2": 0.5,
        "b": -3.0,
        "activation": "step",
    }
    assert r"a = \operatorname{step}\left(-2.0\,x_1 +0.5\,x_2 -3.0\right)" in nr.latex[0].value
    nr.selectbox(key=widget("activation")).set_value("linear").run()
    # at the point (1.5, −2): z = −2·1.5 + 0.5·(−2) − 3 = −7, and linear gives a = z
    assert nr.latex[0].value == (
        "$$\na = -2.0\\,x_1 +0.5\\,x_2 -3.0 \\quad \\text{at } x = (1.500, -2.000){:}\\;\\; "
        "z = -7.000,\\;\\; a = -7.000\n$$"
    )


def test_zero_weights_say_there_is_no_line(nr):
    nr.slider(key=widget("w1")).set_value(0.0).run()
    nr.slider(key=widget("w2")).set_value(0.0).run()
    assert not nr.exception
    assert any("no line" in c.value for c in nr.caption)


def test_perceptron_converges_on_separable_data_and_shows_the_count(nr):
    text = messages(nr.success)
    assert "Converged after 9 epoch(s), 48 updates" in text
    assert nr.slider(key=widget("epoch")).value == 10  # the clean epoch
    nr.slider(key=widget("epoch")).set_value(0).run()
    assert not nr.exception
    title = panels(nr)[1]["charts"][0]["title"]
    assert title.startswith("<b>After epoch 0</b>")
    line = json.loads(panels(nr)[1]["charts"][0]["figure"])
    assert not any(t.get("name") == "w·x + b = 0" for t in line["data"])  # w = 0 at the start: no line yet


def test_new_data_shows_the_new_run_after_its_last_epoch(nr):
    nr.slider(key=widget("epoch")).set_value(2).run()
    assert url(nr) == {"epoch": "2"}
    before = config(nr)["data_seed"]
    button(nr, "New data").click().run()
    assert not nr.exception and (nr.success or nr.warning)
    assert config(nr)["data_seed"] == before + 1
    assert nr.number_input(key=widget("data_seed")).value == before + 1
    last = nr.session_state[K.PERCEPTRON_RUN].history.epochs_run
    assert nr.slider(key=widget("epoch")).value == last  # the new run, after its last epoch
    assert panels(nr)[1]["charts"][0]["title"].startswith(f"<b>After epoch {last}</b>")
    assert url(nr) == {"data_seed": str(before + 1)}  # "the last epoch" is the default: no epoch in the link


def test_perceptron_fails_on_xor_says_why_and_opens_the_playground_on_xor(nr):
    nr.segmented_control(key=widget("data")).set_value("xor").run()
    assert not nr.exception
    assert "No convergence" in messages(nr.warning)
    assert any("no line separates XOR" in m.value for m in nr.markdown)
    assert any("one hidden layer of 4 tanh neurons" in c.value for c in nr.caption)
    button(nr, "Open the Playground on XOR with one hidden layer").click().run()
    assert not nr.exception, nr.exception
    assert nr.title[0].value == "Neural-network playground"
    playground = nr.session_state[PK.LINK.config]
    assert playground["dataset"] == "xor" and playground["hidden"] == (4,)
    run = nr.session_state[PK.RUN]
    assert run.network.sizes == (2, 4, 1) and run.config["dataset"] == "xor"
    assert nr.selectbox(key=PK.LINK.widget("dataset")).value == "xor"  # its widgets show it
    assert url(nr) == {"dataset": "xor", "hidden": "4"}  # and its own link says so


def test_the_xor_button_replaces_a_playground_setup_already_there():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.selectbox(key=PK.LINK.widget("dataset")).set_value("spiral").run()
    button(at, "Step").click().run()
    at.switch_page("pages/the_neuron.py").run()
    at.segmented_control(key=widget("data")).set_value("xor").run()
    button(at, "Open the Playground on XOR with one hidden layer").click().run()
    assert not at.exception, at.exception
    run = at.session_state[PK.RUN]
    assert run.config["dataset"] == "xor" and run.network.sizes == (2, 4, 1) and run.trainer.epoch == 0
    assert at.selectbox(key=PK.LINK.widget("dataset")).value == "xor"


def test_linear_stack_is_one_matrix_and_tanh_bends(nr):
    assert "One layer does it all" in messages(nr.success)
    assert "\nW_1W_2W_3 = " in nr.latex[1].value  # two hidden layers and the output: three matrices
    nr.segmented_control(key=widget("stack_activation")).set_value("tanh").run()
    assert not nr.exception
    assert "With tanh the product means nothing" in messages(nr.warning)
    nr.slider(key=widget("stack_layers")).set_value(3).run()
    assert "\nW_1W_2W_3W_4 = " in nr.latex[1].value
    before = config(nr)["stack_seed"]
    button(nr, "New random weights").click().run()
    assert config(nr)["stack_seed"] == before + 1 and not nr.exception
    assert url(nr) == {"stack_activation": "tanh", "stack_layers": "3", "stack_seed": str(before + 1)}


def test_gallery_shows_every_activation_and_its_derivative(nr):
    chart = nr.get("plotly_chart")[0]
    figure = json.loads(chart.proto.spec)
    assert len(figure["data"]) == 2 * len(ACTIVATIONS)
    # each activation's two curves (named on hover), one legend entry for each kind of curve
    plots = [t["hovertemplate"].rsplit("<extra>", 1)[1] for t in figure["data"]]
    assert plots == [f"{name}</extra>" for name in ACTIVATIONS for _ in range(2)]
    assert [t["name"] for t in figure["data"] if t["showlegend"]] == ["f(z)", "f′(z)"]
    assert json.loads(chart.proto.config)["displayModeBar"] is False  # a static chart: no toolbar over its titles
    assert np.all(np.isfinite([y for t in figure["data"] for y in t["y"] if isinstance(y, float)]))


# ---- the link ------------------------------------------------------------------------------


def test_a_link_opens_the_neuron_it_names():
    at = open_neuron({"w1": "1.5", "activation": "relu"})
    assert config(at) == dict(DEFAULTS, w1=1.5, activation="relu")
    assert at.slider(key=widget("w1")).value == 1.5
    assert at.selectbox(key=widget("activation")).value == "relu"
    assert r"a = \operatorname{relu}\left(1.5\,x_1 +0.5\,x_2 +1.0\right)" in at.latex[0].value
    assert not link_notices(at)  # nothing was ignored
    assert url(at) == {"w1": "1.5", "activation": "relu"}  # the URL keeps saying so


def test_a_link_sets_every_section():
    params = {
        "b": "-2.5",
        "data": "xor",
        "data_seed": "3",
        "epoch": "4",
        "stack_activation": "tanh",
        "stack_layers": "3",
        "stack_seed": "11",
    }
    at = open_neuron(params)
    assert not link_notices(at)
    assert at.slider(key=widget("epoch")).value == 4
    assert panels(at)[1]["charts"][0]["title"].startswith("<b>After epoch 4</b>")
    lesson = at.session_state[K.PERCEPTRON_RUN]
    assert (lesson.data, lesson.seed) == ("xor", 3)
    assert "\nW_1W_2W_3W_4 = " in at.latex[1].value and "With tanh" in messages(at.warning)
    assert url(at) == params


def test_invalid_values_are_ignored_or_clamped_and_said_once():
    at = open_neuron({"w1": "9", "activation": "softmax", "data": "mnist", "stack_layers": "x"})
    (notice,) = link_notices(at)
    assert "`w1`: `9` is outside -3 to 3, used 3" in notice
    for name in ("activation", "data", "stack_layers"):
        assert f"`{name}`" in notice
    assert config(at) == dict(DEFAULTS, w1=3.0)
    assert at.slider(key=widget("w1")).value == 3.0
    assert url(at) == {"w1": "3"}
    at.run()
    assert not link_notices(at)  # said once


def test_an_epoch_past_the_run_shows_its_last_epoch():
    at = open_neuron({"epoch": "50"})  # seed 7's run ends after epoch 10
    assert at.slider(key=widget("epoch")).value == 10
    assert url(at) == {}


def test_the_url_follows_every_change_and_drops_defaults(nr, monkeypatch):
    writes = []
    original = QueryParamsProxy.from_dict
    monkeypatch.setattr(
        QueryParamsProxy, "from_dict", lambda self, params: writes.append(params) or original(self, params)
    )
    nr.slider(key=widget("w2")).set_value(-1.2).run()
    assert url(nr) == {"w2": "-1.2"}
    nr.selectbox(key=widget("activation")).set_value("tanh").run()
    nr.slider(key=widget("stack_layers")).set_value(1).run()
    assert url(nr) == {"w2": "-1.2", "activation": "tanh", "stack_layers": "1"}
    nr.slider(key=widget("w2")).set_value(0.5).run()  # back to the default
    assert url(nr) == {"activation": "tanh", "stack_layers": "1"}
    count = len(writes)
    nr.run()  # a run that changes nothing leaves the URL alone
    assert len(writes) == count == 4


def test_hidden_controls_are_absent_but_their_values_apply():
    at = open_neuron(
        {
            "w1": "-1",
            "w1_hide": "1",
            "activation": "tanh",
            "activation_hide": "1",
            "data_seed_hide": "1",
            "epoch": "3",
            "epoch_hide": "1",
            "stack_seed_hide": "1",
        }
    )
    keys = {w.key for w in (*at.slider, *at.selectbox, *at.number_input, *at.button)}
    for name in ("w1", "activation", "data_seed", "epoch"):
        assert widget(name) not in keys
    assert K.NEW_DATA not in keys and K.NEW_WEIGHTS not in keys  # the seeds' buttons go with them
    assert widget("w2") in keys and widget("data") in {g.key for g in at.get("button_group")}
    assert r"\tanh\left(-1.0\,x_1" in at.latex[0].value
    assert panels(at)[1]["charts"][0]["title"].startswith("<b>After epoch 3</b>")
    assert url(at)["w1_hide"] == "1" and url(at)["epoch"] == "3"  # the URL keeps hiding them
    at.slider(key=widget("b")).set_value(2.0).run()
    assert config(at)["w1"] == -1.0 and config(at)["activation"] == "tanh" and url(at)["b"] == "2"
    assert url(at)["activation_hide"] == "1"


def test_a_neuron_with_every_control_hidden_still_says_when_it_has_no_line():
    hide = {f"{name}_hide": "1" for name in ("w1", "w2", "b", "activation", "x1", "x2")}
    at = open_neuron({"w1": "0", "w2": "0", **hide})
    assert not at.selectbox and {s.key for s in at.slider} == {
        widget("epoch"),
        widget("stack_layers"),
        widget("loss_prediction"),
    }
    assert any(c.value == text.NO_LINE for c in at.caption)
    assert [c["id"] for c in panels(at)[0]["charts"]] == ["plane", "surface", "diagram"]


def test_presentation_mode_keeps_the_pictures_and_controls_but_not_the_reading():
    at = open_neuron({"present": "1", "activation": "tanh"})
    assert not at.caption  # no page caption, no captions under the pictures
    assert [m.value for m in at.markdown] == [text.PRODUCT]  # no explanations, only what a formula is
    assert not at.expander  # no formulas, no share panel
    css = " ".join(h.proto.body for h in at.get("html"))
    assert 'data-testid="stSidebar"' in css
    assert len(panels(at)) == 3 and at.slider(key=widget("w1"))  # the pictures and their controls
    button(at, "Leave presentation mode").click().run()
    assert "present" not in url(at) and url(at)["activation"] == "tanh"
    assert any(e.label == "Share a link" for e in at.expander)
    assert any(m.value == text.NEURON_INTRO for m in at.markdown)


def test_the_share_panel_gives_the_link_to_this_setup(nr):
    assert not nr.code  # folded: its content is not even sent
    nr.slider(key=widget("w1")).set_value(1.5).run()
    nr.session_state[K.LINK.share_panel] = True  # the user unfolds it
    nr.run()
    assert any(c.value.endswith("?w1=1.5") for c in nr.code)
    nr.multiselect(key=K.LINK.share_hide).set_value(["w1", "epoch"]).run()
    nr.checkbox(key=K.LINK.share_present).check().run()
    assert any(c.value.endswith("?w1=1.5&w1_hide=1&epoch_hide=1&present=1") for c in nr.code)
    assert url(nr) == {"w1": "1.5"}  # the page itself is not in presentation mode
    labels = nr.multiselect(key=K.LINK.share_hide).options
    assert labels == [SCHEMA[n].label for n in SCHEMA.names]  # every setting can be hidden, by its label


# ---- the neuron drawn, and the perceptron step by step (issue 14 §5) -------------------------


def diagram_texts(at) -> list[str]:
    (chart,) = [c for c in panels(at)[0]["charts"] if c["id"] == "diagram"]
    return [a["text"] for a in json.loads(chart["figure"])["layout"]["annotations"]]


def test_the_point_from_a_link_is_drawn_and_written_with_the_same_numbers():
    at = open_neuron({"x1": "0.5", "x2": "-1"})
    assert not link_notices(at)
    assert (config(at)["x1"], config(at)["x2"]) == (0.5, -1.0)
    assert at.slider(key=widget("x1")).value == 0.5 and at.slider(key=widget("x2")).value == -1.0
    # z = 1·0.5 + 0.5·(−1) + 1 = 1, a = σ(1) = 0.731
    assert r"x = (0.500, -1.000){:}\;\; z = 1.000,\;\; a = \sigma(1.000) = 0.731" in at.latex[0].value
    assert "z = 1.000" in diagram_texts(at) and "<b>a = 0.731</b>" in diagram_texts(at)
    assert url(at) == {"x1": "0.5", "x2": "-1"}


def test_moving_the_point_moves_the_numbers_and_the_url(nr):
    nr.slider(key=widget("x1")).set_value(-3.0).run()
    assert not nr.exception
    # z = −3 + 0.5·(−2) + 1 = −3, a = σ(−3) = 0.047
    assert "z = −3.000" in diagram_texts(nr) and "<b>a = 0.047</b>" in diagram_texts(nr)
    assert url(nr) == {"x1": "-3"}


def test_a_click_on_the_picture_from_above_moves_the_point(nr):
    nr.session_state[K.POINT_CLICK] = (2.0, 3.0)  # what the panel's click leaves for the next run
    nr.run()
    assert not nr.exception
    assert (config(nr)["x1"], config(nr)["x2"]) == (2.0, 3.0) and nr.slider(key=widget("x1")).value == 2.0
    assert url(nr) == {"x1": "2", "x2": "3"}


def test_bad_values_for_the_new_fields_give_a_notice_not_a_traceback():
    at = open_neuron({"x1": "abc", "x2": "99", "view": "sideways", "step": "-5"})
    assert not at.exception
    (notice,) = link_notices(at)
    for name in ("x1", "x2", "view", "step"):
        assert f"`{name}`" in notice
    assert (config(at)["x1"], config(at)["x2"], config(at)["view"]) == (DEFAULTS["x1"], 6.0, "epoch")
    assert url(at) == {"x2": "6"}


def test_the_perceptron_steps_one_point_and_one_update_at_a_time():
    at = open_neuron({"view": "point"})
    lesson = at.session_state[K.PERCEPTRON_RUN]
    assert at.slider(key=widget("step")).value == 0 and not [s for s in at.slider if s.key == widget("epoch")]
    assert "The start, before any step" in messages(at.info)
    assert button(at, text.STEP_BACK).disabled and button(at, text.PREVIOUS_UPDATE).disabled
    button(at, text.STEP_ON).click().run()
    assert not at.exception and config(at)["step"] == 1
    assert url(at) == {"view": "point", "step": "1"}
    assert panels(at)[1]["charts"][0]["title"].startswith("<b>After step 1</b> (epoch 1, point 1 of 100)")
    button(at, text.NEXT_UPDATE).click().run()
    update = lesson.next_update(1)
    assert config(at)["step"] == update and at.slider(key=widget("step")).value == update
    step = lesson.step(update)
    said = messages(at.warning)
    assert f"Step {update} (epoch 1, point {update} of 100)" in said and "is on the wrong side" in said
    assert f"({number(step.x[0])}, {number(step.x[1])}) of class {step.y}" in said
    line = json.loads(panels(at)[1]["charts"][0]["figure"])
    assert "the point looked at" in [t.get("name") for t in line["data"]]
    button(at, text.STEP_BACK).click().run()
    assert config(at)["step"] == update - 1
    at.slider(key=widget("step")).set_value(150).run()
    button(at, text.PREVIOUS_UPDATE).click().run()
    earlier = lesson.previous_update(150)
    assert config(at)["step"] == earlier and lesson.history.step_wrong[earlier - 1]
    assert not lesson.history.step_wrong[earlier:149].any()  # none between it and step 150


def test_switching_to_point_by_point_starts_at_the_line_shown():
    at = open_neuron({"epoch": "3"})
    at.segmented_control(key=widget("view")).set_value("point").run()
    assert not at.exception
    assert config(at)["step"] == 300 and at.slider(key=widget("step")).value == 300
    assert url(at) == {"epoch": "3", "view": "point", "step": "300"}
    at.slider(key=widget("step")).set_value(457).run()
    at.segmented_control(key=widget("view")).set_value("epoch").run()
    assert config(at)["epoch"] == 4 and at.slider(key=widget("epoch")).value == 4


def test_a_step_past_the_run_shows_its_last_step():
    at = open_neuron({"view": "point", "step": "5000"})  # seed 7's run has 10 epochs: 1,000 steps
    assert not at.exception and at.slider(key=widget("step")).value == 1000
    assert button(at, text.STEP_ON).disabled and button(at, text.NEXT_UPDATE).disabled
