"""The Playground's "More data" panel through AppTest: folded, it sends nothing; unfolded,
its button measures the curve of the current setup, which the run keeps, and the chart and
the sentence show the stored numbers; a changed setting retires it; comparing, it measures
run A."""

import base64
import json

import numpy as np

from tests.app.conftest import button, open_link
from ui.playground.data_curve import data_curve_result, loss_number, points_text
from ui.playground.data_curve_panel import BUTTON, TITLE
from ui.playground.run import add_point
from ui.state import PlaygroundKeys as K


def unfold(at):
    at.session_state[K.DATA_CURVE_PANEL] = True  # the user unfolds the panel
    at.run()
    assert not at.exception, at.exception
    return at


def curve_chart(at) -> dict | None:
    charts = [c for c in at.get("plotly_chart") if c.proto.id and K.DATA_CURVE_CHART in c.proto.id]
    return json.loads(charts[0].proto.spec) if charts else None


def numbers(values) -> list[float]:
    """A trace's numbers as the browser gets them (NumPy arrays travel as typed arrays)."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def sentence(at) -> str:
    (said,) = [e.value for e in (*at.info, *at.warning) if "epochs at each size" in e.value]
    return said


def test_folded_it_sends_nothing_and_unfolded_it_measures_on_request():
    at = open_link({"noise": "25"})
    assert any(e.label == TITLE for e in at.expander)
    assert not [b for b in at.button if b.label == BUTTON]  # folded: its content is not sent
    unfold(at)
    assert at.selectbox(key=K.DATA_CURVE_EPOCHS).value == 200
    assert curve_chart(at) is None and at.session_state[K.RUN].data_curve is None  # nothing measured yet
    at.selectbox(key=K.DATA_CURVE_EPOCHS).set_value(100).run()
    button(at, BUTTON).click().run()
    assert not at.exception, at.exception
    run = at.session_state[K.RUN]
    curve = data_curve_result(run)
    assert curve is run.data_curve and curve.epochs == 100 and not curve.cut_short
    assert [p.n_samples for p in curve.points] == [50, 100, 200, 500, 1000, 2000]
    assert run.trainer.epoch == 0  # the run itself did not train

    figure = curve_chart(at)
    test, training = figure["data"][:2]
    assert test["name"] == "test loss" and training["name"] == "training loss"
    assert numbers(test["x"]) == [p.n_train for p in curve.points] == [25, 50, 100, 250, 500, 1000]
    assert numbers(test["y"]) == [p.test_loss for p in curve.points]
    assert numbers(training["y"]) == [p.train_loss for p in curve.points]

    first, last = curve.points[0], curve.points[-1]
    said = sentence(at)
    assert said.startswith(
        f"100 epochs at each size: with 25 training points the test loss is {loss_number(first.test_loss)} "
        f"(training loss {loss_number(first.train_loss)}); with {points_text(last.n_train)}, "
        f"{loss_number(last.test_loss)} (training loss {loss_number(last.train_loss)})"
    )
    assert last.test_loss < first.test_loss


def test_a_changed_setting_retires_the_curve_and_a_new_setup_has_none():
    at = unfold(open_link({"hidden": "3"}))
    at.selectbox(key=K.DATA_CURVE_EPOCHS).set_value(50).run()
    button(at, BUTTON).click().run()
    assert curve_chart(at) is not None
    at.session_state[K.LINK.widget("learning_rate")] = 0.1  # a live setting: the run keeps training
    at.run()
    assert not at.exception, at.exception
    assert at.session_state[K.RUN].data_curve is not None and data_curve_result(at.session_state[K.RUN]) is None
    assert curve_chart(at) is None
    assert any("settings changed since the curve was measured" in c.value for c in at.caption)
    at.selectbox(key=K.LINK.widget("dataset")).set_value("xor").run()  # a new run: no curve at all
    assert at.session_state[K.RUN].data_curve is None and curve_chart(at) is None


def test_comparing_measures_run_a():
    at = unfold(open_link({"compare": "learning_rate:0.3"}))
    at.selectbox(key=K.DATA_CURVE_EPOCHS).set_value(50).run()
    button(at, BUTTON).click().run()
    assert not at.exception, at.exception
    curve = data_curve_result(at.session_state[K.RUN])
    assert curve.settings["learning_rate"] == 0.03 and curve_chart(at) is not None


def test_points_drawn_by_hand_are_said_to_be_left_out():
    at = unfold(open_link({}))
    assert not any("drew by hand" in c.value for c in at.caption)
    add_point(at.session_state[K.RUN], 0.5, 0.5, 1)
    at.run()
    assert any(c.value.startswith("Points you drew by hand (1) are not part of it") for c in at.caption)
