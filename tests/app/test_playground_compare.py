"""Compare on the Playground page (AppTest): ?compare=... opens runs A and B side by side,
equal at epoch 0 and apart after a few Steps; bad values give a notice; the share panel's
Compare tab builds the setting and the URL carries it."""

import re

import numpy as np

from tests.app.conftest import button, open_link, panels, url
from ui.state import PlaygroundKeys as K


def stat(at, name: str) -> str:
    stats = panels(at)[-1]["stats"]
    return re.search(rf'id="stat-{name}">([^<]*)<', stats).group(1)


def test_compare_shows_two_runs_equal_at_epoch_0_and_apart_after_steps():
    at = open_link({"compare": "learning_rate:0.3"})
    run = at.session_state[K.RUN]
    b = run.compare.run
    np.testing.assert_array_equal(run.network.params, b.network.params)
    assert stat(at, "train-loss") == stat(at, "b-train-loss") and stat(at, "b-epoch") == "0"
    charts = {c["id"]: c for c in panels(at)[-1]["charts"]}
    assert set(charts) == {"output", "output_b", "loss", "difference"}
    assert "learning rate 0.3" in charts["output_b"]["title"]
    assert any("Comparing run A" in m.value for m in at.markdown)
    labels = [w.label for w in at.slider] + [w.label for w in at.select_slider]
    assert "Replay: epoch" not in labels  # nothing to go back to at epoch 0
    assert not any(b.label == "Slow step" for b in at.button)  # so would a slow step
    shown = {c.label for c in at.checkbox}
    assert "Show test data" in shown and "Show network health" not in shown  # no health chart while comparing
    for _ in range(3):
        button(at, "Step").click().run()
    assert not at.exception
    assert stat(at, "epoch") == stat(at, "b-epoch") == "3"
    assert stat(at, "train-loss") != stat(at, "b-train-loss")
    assert url(at)["compare"] == "learning_rate:0.3"


def test_identical_settings_stay_identical_through_steps():
    at = open_link({"compare": "learning_rate:0.03"})
    for _ in range(4):
        button(at, "Step").click().run()
    run = at.session_state[K.RUN]
    np.testing.assert_array_equal(run.network.params, run.compare.run.network.params)
    assert stat(at, "train-loss") == stat(at, "b-train-loss")


def test_bad_compare_values_give_a_notice_and_one_run():
    for bad in ("learning_rate:abc", "dataset:xor", "hidden:8,8", "<script>:1"):
        at = open_link({"compare": bad})
        notices = " ".join(w.value for w in at.warning)
        assert "compare" in notices and "not used as given" in notices, bad
        assert "<script>" not in notices
        assert at.session_state[K.RUN].compare is None
        assert "compare" not in url(at)


def test_a_b_that_cannot_train_says_why():
    at = open_link({"compare": "loss:binary_cross_entropy,output_activation:tanh"})
    assert any("Run B cannot train" in w.value for w in at.warning)
    assert at.session_state[K.RUN].compare.run is None


def test_the_compare_tab_builds_the_setting_and_stop_ends_it():
    at = open_link({})
    at.session_state[K.LINK.share_panel] = True
    at.run()
    at.selectbox(key=K.COMPARE_FIELD).set_value("activation").run()
    at.text_input(key=K.COMPARE_VALUE).set_value("relu").run()
    button(at, "Compare").click().run()
    assert not at.exception
    assert url(at)["compare"] == "activation:relu"
    b = at.session_state[K.RUN].compare.run
    assert b.network.hidden_activation_names == ["relu", "relu"]
    at.selectbox(key=K.COMPARE_FIELD).set_value("learning_rate").run()
    at.text_input(key=K.COMPARE_VALUE).set_value("nope").run()
    button(at, "Compare").click().run()
    assert any("Not compared" in e.value for e in at.error)
    assert url(at)["compare"] == "activation:relu"  # unchanged
    at.button(key=K.COMPARE_STOP).click().run()
    assert "compare" not in url(at) and at.session_state[K.RUN].compare is None


def test_a_live_setting_of_a_reaches_b_and_reset_restarts_both():
    at = open_link({"compare": "optimizer:adam"})
    at.number_input(key=K.LINK.widget("learning_rate")).set_value(0.1).run()
    run = at.session_state[K.RUN]
    assert run.trainer.learning_rate == run.compare.run.trainer.learning_rate == 0.1
    button(at, "Step").click().run()
    button(at, "Reset").click().run()
    assert stat(at, "epoch") == stat(at, "b-epoch") == "0"
