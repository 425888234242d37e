"""The Playground's link: a shared setup opens as shared, the URL follows every change,
malformed links never crash, hidden controls and presentation mode, exports and code."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.runtime.state.query_params_proxy import QueryParamsProxy

from tests.app.conftest import button, open_link, url
from ui.playground.config import DEFAULTS
from ui.state import PlaygroundKeys as K

SHARED = {
    "dataset": "xor",
    "hidden": "8,8",
    "learning_rate": "0.1",
    "activation": "relu",
    "noise": "10",
    "data_seed": "7",
    "init_seed": "3",
    "features": "x1,x2,x1x2",
    "optimizer": "adam",
    "batch_size": "20",
    "show_test": "1",
}


def run_of(at):
    return at.session_state[K.RUN]


def test_a_shared_link_opens_that_setup():
    at = open_link(SHARED)
    run = run_of(at)
    assert run.network.sizes == (3, 8, 8, 1)
    assert run.network.hidden_activation_names == ["relu", "relu"]
    assert run.trainer.learning_rate == 0.1 and run.trainer.batch_size == 20
    assert run.trainer.optimizer.name == "adam"
    assert run.config["noise"] == 10 and run.config["data_seed"] == 7 and run.config["show_test"]
    assert at.selectbox(key=K.LINK.widget("activation")).value == "relu"
    assert at.number_input(key=K.LINK.widget("learning_rate")).value == 0.1
    assert at.checkbox(key=K.LINK.widget("show_test")).value is True
    assert not at.warning  # nothing was ignored
    assert url(at) == SHARED  # the URL keeps saying so


def test_two_sessions_on_one_link_get_the_same_data_weights_and_losses():
    first, second = open_link(SHARED), open_link(SHARED)
    np.testing.assert_array_equal(run_of(first).dataset.X, run_of(second).dataset.X)
    np.testing.assert_array_equal(run_of(first).network.params, run_of(second).network.params)
    for at in (first, second):
        for _ in range(3):
            button(at, "Step").click().run()
    assert run_of(first).trainer.history.train_loss == run_of(second).trainer.history.train_loss


def test_the_url_follows_every_change_and_drops_defaults():
    at = open_link({})
    assert url(at) == {}
    at.number_input(key=K.LINK.widget("learning_rate")).set_value(0.3).run()
    assert url(at) == {"learning_rate": "0.3"}
    button(at, "+").click().run()  # a third hidden layer of 4
    assert url(at) == {"learning_rate": "0.3", "hidden": "4,2,4"}
    at.selectbox(key=K.LINK.widget("dataset")).set_value("spiral").run()
    at.number_input(key=K.LINK.widget("learning_rate")).set_value(0.03).run()  # back to the default
    assert url(at) == {"dataset": "spiral", "hidden": "4,2,4"}


def test_runs_that_change_nothing_do_not_write_the_url(monkeypatch):
    at = open_link({"dataset": "moons", "learning_rate": "0.10"})  # normalized once: 0.1
    assert url(at) == {"dataset": "moons", "learning_rate": "0.1"}
    writes = []
    original = QueryParamsProxy.from_dict
    monkeypatch.setattr(
        QueryParamsProxy, "from_dict", lambda self, params: writes.append(params) or original(self, params)
    )
    button(at, "Step").click().run()
    button(at, "Reset").click().run()
    at.run()
    assert writes == []
    at.checkbox(key=K.LINK.widget("show_test")).check().run()
    assert writes == [{"dataset": "moons", "learning_rate": "0.1", "show_test": "1"}]


@pytest.mark.parametrize(
    "params",
    [
        {"dataset": "mnist", "hidden": "99,x", "learning_rate": "nan", "colour": "red"},
        {"hidden": "1," * 40, "n_samples": "-5", "features": "", "present": "maybe"},
        {"learning_rate": "1e999", "batch_size": "0", "regularization_rate": "7", "speed": "fast"},
        {f"junk{i}": "1" for i in range(100)},
        {"noise": "9" * 500, "<script>": "alert(1)", "dataset_hide": "2"},
        {"loss": "binary_cross_entropy", "output_activation": "relu"},  # a pair that cannot train
        {"problem": "regression", "dataset": "xor", "loss": "hinge"},
        {"dataset": "csv"},
    ],
)
def test_malformed_links_never_crash_and_say_what_was_ignored_once(params):
    at = open_link(params)
    link_notices = [w for w in at.warning if "link's settings" in w.value]
    expects_notice = params not in ({"loss": "binary_cross_entropy", "output_activation": "relu"}, {"dataset": "csv"})
    assert len(link_notices) == (1 if expects_notice else 0)
    if run_of(at) is None:  # the page says why instead of training
        assert any(
            "probabilities" in w.value or "CSV" in w.value or "classification loss" in w.value for w in at.warning
        )
    else:
        button(at, "Step").click().run()
        assert not at.exception and run_of(at).trainer.epoch == 1
    at.run()
    assert not [w for w in at.warning if "link's settings" in w.value]  # said once


def test_clamped_values_obey_the_widgets_limits():
    at = open_link({"hidden": "40,0", "n_samples": "100000", "batch_size": "1000", "learning_rate": "50"})
    run = run_of(at)
    assert run.network.sizes == (2, 16, 1, 1)
    assert run.config["n_samples"] == 2000 and run.trainer.batch_size == 100 and run.trainer.learning_rate == 10.0
    (notice,) = at.warning
    for name in ("hidden", "n_samples", "batch_size", "learning_rate"):
        assert f"`{name}`" in notice.value


def test_hidden_controls_are_absent_but_their_values_apply():
    at = open_link(
        {
            "dataset": "spiral",
            "dataset_hide": "1",
            "hidden": "6",
            "hidden_hide": "1",
            "learning_rate": "0.3",
            "learning_rate_hide": "1",
            "speed_hide": "1",
            "show_test_hide": "1",
            "features_hide": "1",
        }
    )
    keys = {w.key for w in (*at.selectbox, *at.number_input, *at.select_slider, *at.checkbox)}
    for name in ("dataset", "learning_rate", "speed", "show_test"):
        assert K.LINK.widget(name) not in keys
    assert K.LINK.widget("activation") in keys  # the others are still there
    assert not [b for b in at.button if b.label in ("+", "−")]  # no layer buttons
    assert [g.key for g in at.get("button_group")] == [K.LINK.widget("problem")]  # no feature pills
    run = run_of(at)
    assert run.config["dataset"] == "spiral" and run.network.sizes == (2, 6, 1) and run.trainer.learning_rate == 0.3
    assert url(at)["dataset_hide"] == "1"  # the URL keeps hiding them
    at.selectbox(key=K.LINK.widget("activation")).set_value("relu").run()
    assert run_of(at).config["dataset"] == "spiral" and url(at)["learning_rate"] == "0.3"


def test_presentation_mode_shows_the_run_bar_and_pictures_only():
    at = open_link({"present": "1", "dataset": "gaussian"})
    assert not (at.selectbox or at.number_input or at.slider or at.multiselect)  # no controls drawn
    assert [b.label for b in at.button] == ["Leave presentation mode", "Step", "Reset"]
    assert not at.expander  # no explanations, editor or exports
    css = " ".join(h.proto.body for h in at.get("html"))
    assert 'data-testid="stSidebar"' in css and "stat-value" in css
    assert len(at.get("bidi_component")) == 1  # the pictures
    button(at, "Step").click().run()
    assert run_of(at).trainer.epoch == 1
    button(at, "Leave presentation mode").click().run()
    assert "present" not in url(at) and url(at)["dataset"] == "gaussian"
    assert at.selectbox(key=K.LINK.widget("dataset")).value == "gaussian"
    assert any(e.label == "Share, export and import" for e in at.expander)


def test_the_share_panel_offers_the_link_the_files_and_the_code():
    at = open_link({"dataset": "circle", "hidden": "3"})
    assert not at.get("download_button")  # folded: its content is not even sent
    at.session_state[K.LINK.share_panel] = True  # the user unfolds it
    at.run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Configuration (JSON)", "Weights (.npz)", "Weights (JSON)", "Training history (CSV)"]
    assert any("hidden=3" in c.value for c in at.code)
    at.multiselect(key=K.LINK.share_hide).set_value(["dataset", "noise"]).run()
    at.checkbox(key=K.LINK.share_present).check().run()
    # presentation mode starts at the lecture pace, so the link keeps this speed explicitly
    assert any(c.value.endswith("hidden=3&speed=400&dataset_hide=1&noise_hide=1&present=1") for c in at.code)
    assert "present" not in url(at)  # the page itself is not in presentation mode
    assert any("camera" in c.value for c in at.caption)  # how to save a picture
    button(at, "Show the code").click().run()
    script = next(c.value for c in at.code if c.language == "python")
    assert "def circle(" in script and "SIZES = [2, 3, 1]" in script
    assert "import engine" not in script and "from ui" not in script
    button(at, "Hide the code").click().run()
    assert not [c for c in at.code if c.language == "python"]


def test_defaults_are_the_first_run_without_a_link():
    at = open_link({})
    assert run_of(at).config == DEFAULTS


NAMES = [*DEFAULTS, *(f"{name}_hide" for name in DEFAULTS), "present"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(NAMES) | st.text(max_size=20), st.text(max_size=40), max_size=8))
def test_fuzzed_links_never_raise(params):
    at = open_link(params)  # asserts that no exception was shown
    assert len([w for w in at.warning if "link's settings" in w.value]) <= 1
