"""The Universal approximation page, driven through Streamlit's AppTest.

AppTest runs the script without a browser: the Play loop (a fragment on a timer) never
ticks here, but switching Play on runs the fragment once, which trains one update (a few
frames). Step, the surgery buttons, the sweep, the comparison and the page's link are
driven as a user would."""

import json
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT, panels
from ui.approximation.run import resize, train
from ui.approximation.text import position
from ui.state import ApproxKeys as K


def open_link(params: dict) -> AppTest:
    """The app's first page, then this page with ``params`` in its URL (set after the
    Playground's first run, which reads only its own link)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page("pages/universal_approximation.py").run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def ua():
    return open_link({})


def url(at) -> dict:
    return {k: (v if isinstance(v, str) else v[-1]) for k, v in at.query_params.items()}


def link_notices(at) -> list:
    return [w for w in at.warning if "link's settings" in w.value]


def click(at, label: str) -> None:
    next(b for b in at.button if b.label == label or b.label.startswith(label)).click().run()
    assert not at.exception, at.exception


def run_of(at):
    return at.session_state[K.RUN]


def panel(at) -> dict:
    """The live panel's payload, last frame's stats and charts on top (see conftest.panels)."""
    (payload,) = panels(at)
    return payload


def stat(at, name: str) -> str:
    body = panel(at)["stats"]
    start = body.index(f'id="stat-{name}">') + len(f'id="stat-{name}">')
    return body[start : body.index("<", start)]


def output(run) -> np.ndarray:
    return run.network.forward(run.grid[:, None])[:, 0]


def test_page_runs_with_the_default_setup(ua):
    run = run_of(ua)
    assert run.network.sizes == (1, 4, 1) and run.network.hidden_activation_names == ["relu"]
    assert run.target.key == "sin" and run.trainer.optimizer.name == "adam"
    assert stat(ua, "epoch") == "0" and stat(ua, "neurons") == "4"
    charts = {c["id"]: c for c in panel(ua)["charts"]}
    assert set(charts) == {"fit", "error", "loss"}
    assert "kinks" in charts["fit"]["title"] and "all 4 pieces" in charts["fit"]["title"]
    assert not ua.info  # sin is continuous: no caveat
    explanation, share = ua.expander
    assert explanation.label == "How does this work?" and not explanation.proto.expanded
    assert share.label == "Share a link"


def test_step_trains_one_epoch(ua):
    click(ua, "Step")
    click(ua, "Step")
    assert run_of(ua).trainer.epoch == 2 and stat(ua, "epoch") == "2"


def test_add_a_neuron_keeps_the_function_until_the_next_step(ua):
    for _ in range(3):
        click(ua, "Step")
    run = run_of(ua)
    before, params = output(run), run.network.params.copy()
    click(ua, "Add a neuron")
    run = run_of(ua)
    assert run.width == 5 and ua.number_input(key=K.LINK.widget("neurons")).value == 5
    assert run.trainer.epoch == 3 and stat(ua, "neurons") == "5"
    np.testing.assert_allclose(output(run), before, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(run.network.W[0][:, :4].ravel(), params[:4])  # trained weights kept
    assert run.network.W[1][4, 0] == 0.0
    click(ua, "Step")
    assert not np.allclose(output(run_of(ua)), before)
    assert run_of(ua).events == [(3, 4, 5)]


def test_remove_the_weakest_and_the_width_box(ua):
    run = run_of(ua)
    v = run.network.W[1][:, 0].copy()
    click(ua, "Remove the weakest")
    assert run_of(ua).width == 3
    np.testing.assert_array_equal(run_of(ua).network.W[1][:, 0], np.delete(v, np.argmin(np.abs(v))))
    ua.number_input(key=K.LINK.widget("neurons")).set_value(10).run()
    assert not ua.exception and run_of(ua).width == 10 and run_of(ua) is run  # surgery, not a new run
    assert not ua.info  # nothing restarted


def test_reset_twice_gives_identical_weights_at_the_current_width(ua):
    click(ua, "Add a neuron")
    initial = run_of(ua).network.params.copy()
    click(ua, "Step")
    click(ua, "Reset")
    first = run_of(ua).network.params.copy()
    click(ua, "Step")
    click(ua, "Reset")
    np.testing.assert_array_equal(first, run_of(ua).network.params)
    assert run_of(ua).width == 5 and run_of(ua).trainer.epoch == 0
    assert first.shape == initial.shape


def test_play_runs_one_frame_and_changing_the_activation_restarts(ua):
    ua.toggle(key=K.LOOP.playing).set_value(True).run()
    assert not ua.exception and run_of(ua).trainer.epoch > 0
    ua.toggle(key=K.LOOP.playing).set_value(False).run()
    ua.selectbox(key=K.LINK.widget("activation")).set_value("tanh").run()
    assert run_of(ua).network.hidden_activation_names == ["tanh"] and run_of(ua).trainer.epoch == 0
    assert any("restarted" in i.value and "activation" in i.value for i in ua.info)


def caveat(at) -> str:
    (info,) = [i.value for i in at.info if "does not vanish" in i.value]
    return info


def test_the_step_target_explains_its_max_error(ua):
    ua.selectbox(key=K.LINK.widget("target")).set_value("step").run()
    assert "at least half the jump" in caveat(ua)
    ua.selectbox(key=K.LINK.widget("activation")).set_value("step").run()
    assert any("cannot move its jumps" in c.value for c in ua.caption)
    assert "jumps" in {c["id"]: c for c in panel(ua)["charts"]}["fit"]["title"]


def test_the_jump_caveat_says_what_the_runs_own_numbers_show():
    """Once: "misses by about half the jump" beside a max error of 0.98 for a jump of 1, and
    "the RMSE still falls" while it stayed at 0.068 from 8 to 256 neurons."""
    at = open_link({"target": "step", "neurons": "8"})
    run = run_of(at)
    text = caveat(at)
    assert "jumps by 1 at x = 0" in text and "at least half the jump** (0.5 here)" in text
    x = run.trainer.X_train[:, 0]
    before, after = x[x < 0].max(), x[x >= 0].min()
    assert f"lie at x = {position(before)} and {position(after)}," in text
    assert "add neurons and compare" in text and not re.search(r"\b(fell|falls|rose|stayed)\b", text)
    for width in (8, 16):  # settle at 8, then at 16 neurons, as Play would, only faster
        resize(run, width)
        while width not in run.records:
            train(run, 1000)
    at.run()  # the live update draws the caveat with the widths recorded
    text = caveat(at)
    for r in run.records.values():
        assert f"max error {r.max_error:.4f} and RMSE {r.rmse:.4f}" in text
        assert r.max_error > 0.5  # at least half the jump, as said
    assert abs(run.records[16].rmse / run.records[8].rmse - 1) < 0.1  # flat, as on the screen
    assert "both stayed about the same" in text and not re.search(r"\b(fell|falls)\b", text)


def test_the_live_panel_is_never_sent_twice_the_same(ua):
    """Streamlit sends a large message the browser had as a reference to its message cache,
    which the browser may have pruned meanwhile: "Cached ForwardMsg MISS", a connection
    error over a greyed page (after a divergence, Play on and off). The panel drawn twice
    in the same state is the same picture, in a message never sent before."""
    (element,) = ua.get("bidi_component")
    first, first_payload = element.proto.bytes, panel(ua)
    ua.run()
    (element,) = ua.get("bidi_component")
    assert element.proto.bytes != first  # a new message...
    assert {**panel(ua), "update": 0} == {**first_payload, "update": 0}  # ...of the same picture


def test_a_bad_formula_says_where_and_keeps_the_last_good_run(ua):
    ua.selectbox(key=K.LINK.widget("target")).set_value("formula").run()
    assert run_of(ua).target.label == "f(x) = sin(3*x) + 0.5*x**2"
    ua.text_input(key=K.LINK.widget("formula")).set_value("sin(3*x) + y").run()
    assert not ua.exception
    assert any("unknown name 'y'" in e.value for e in ua.error)
    # the formula is shown literally: Markdown would turn ** into bold
    assert any(r"Still training on f\(x\) = sin\(3\*x\) \+ 0\.5\*x\*\*2" in w.value for w in ua.warning)
    ua.text_input(key=K.LINK.widget("formula")).set_value("__import__('os')").run()
    assert not ua.exception and ua.error
    ua.text_input(key=K.LINK.widget("formula")).set_value("abs(x) - 1").run()
    assert not ua.error and run_of(ua).target.label == "f(x) = abs(x) - 1"


def test_the_sweep_draws_errors_that_fall_with_width(ua):
    ua.selectbox(key=K.LINK.widget("sweep_epochs")).set_value(500).run()
    click(ua, "Sweep widths")
    _, epochs, results = ua.session_state[K.SWEEP]
    assert epochs == 500 and [r.width for r in results] == [1, 2, 4, 8, 16, 32, 64, 128]
    assert results[-1].max_error < results[0].max_error / 5 and results[-1].rmse < results[0].rmse / 10
    error_chart = json.loads({c["id"]: c for c in panel(ua)["charts"]}["error"]["figure"])
    assert {"sweep: max error", "sweep: RMSE"} <= {t["name"] for t in error_chart["data"]}
    assert any("Sweep, 500 epochs per width" in c.value for c in ua.caption)
    ua.selectbox(key=K.LINK.widget("activation")).set_value("tanh").run()
    error_chart = json.loads({c["id"]: c for c in panel(ua)["charts"]}["error"]["figure"])
    assert "sweep: max error" not in {t["name"] for t in error_chart["data"]}  # made for relu


def test_width_versus_depth_trains_four_networks_of_one_budget(ua):
    ua.selectbox(key=K.LINK.widget("depth_epochs")).set_value(1000).run()
    click(ua, "Train side by side")
    (table,) = ua.table  # an HTML table under the chart at the full width (a grid beside it was cut)
    rows = table.value
    assert list(rows["hidden layers"]) == [1, 2, 3, 4]
    assert all(abs(p - 100) <= 10 for p in rows["parameters"])
    assert rows["architecture"].iloc[0] == "1-33-1"
    assert any("Lowest max error" in c.value for c in ua.caption)
    ua.slider(key=K.LINK.widget("zigzag_depth")).set_value(6).run()
    assert any("37 parameters" in m.value and "64 straight pieces" in m.value for m in ua.markdown)


# ---- the link, hidden controls, presentation mode ---------------------------------------


def test_a_link_opens_that_setup():
    at = open_link({"target": "step", "neurons": "4"})
    run = run_of(at)
    assert run.target.key == "step" and run.width == 4
    assert at.selectbox(key=K.LINK.widget("target")).value == "step"
    assert at.number_input(key=K.LINK.widget("neurons")).value == 4
    assert not at.warning and url(at) == {"target": "step"}  # 4 neurons is the default: not written
    shared = {
        "target": "formula",
        "formula": "abs(x) - 1",
        "neurons": "7",
        "activation": "tanh",
        "optimizer": "sgd",
        "learning_rate": "0.1",
        "batch_size": "10",
        "speed": "100",
        "grow": "double",
    }
    at = open_link(shared)
    run = run_of(at)
    assert run.target.label == "f(x) = abs(x) - 1" and run.width == 7
    assert run.network.hidden_activation_names == ["tanh"] and run.trainer.optimizer.name == "sgd"
    assert run.trainer.learning_rate == 0.1 and run.trainer.batch_size == 10 and run.config["grow"] == "double"
    assert at.text_input(key=K.LINK.widget("formula")).value == "abs(x) - 1"
    assert not at.warning and url(at) == shared


def test_a_link_with_unusable_values_says_so_once_and_the_page_works():
    at = open_link({"target": "tangent", "neurons": "1000", "learning_rate": "0.05", "colour": "red"})
    (notice,) = link_notices(at)
    for name in ("target", "neurons", "learning_rate", "colour"):
        assert f"`{name}`" in notice.value
    run = run_of(at)
    assert run.target.key == "sin" and run.width == 256 and run.trainer.learning_rate == 0.03  # the nearest offered
    click(at, "Step")
    assert run_of(at).trainer.epoch == 1 and not link_notices(at)  # said once


def test_a_formula_from_a_link_goes_through_the_safe_evaluator():
    at = open_link({"target": "formula", "formula": "__import__('os').system('touch /tmp/ua')"})
    assert K.RUN not in at.session_state and not link_notices(at)
    assert any("That formula cannot be used" in w.value for w in at.warning)  # the page's message
    assert any("That formula cannot be used" in e.value for e in at.error)  # under the box, with a caret
    at.text_input(key=K.LINK.widget("formula")).set_value("x**2").run()
    assert not at.exception and run_of(at).target.label == "f(x) = x**2" and not at.warning
    assert url(at) == {"target": "formula", "formula": "x**2"}


def test_the_url_follows_every_change(ua):
    assert url(ua) == {}
    click(ua, "Add a neuron")
    assert url(ua) == {"neurons": "5"}
    ua.selectbox(key=K.LINK.widget("target")).set_value("step").run()
    ua.select_slider(key=K.LINK.widget("learning_rate")).set_value(0.1).run()
    assert url(ua) == {"target": "step", "neurons": "5", "learning_rate": "0.1"}
    click(ua, "Remove the weakest")
    assert url(ua) == {"target": "step", "learning_rate": "0.1"}


def test_growing_on_settling_updates_the_neurons_box_and_the_url():
    at = open_link({"activation": "tanh", "neurons": "8", "grow": "double"})
    run = run_of(at)
    for _ in range(40):  # settle first, as Play would, only faster
        if run.settled():
            break
        train(run, 500)
    at.toggle(key=K.LOOP.playing).set_value(True).run()  # the live update grows the network
    run = run_of(at)
    assert not at.exception and run.width in (16, 32, 64) and 8 in run.records  # settled at 8, then doubled
    width = run.width
    assert at.number_input(key=K.LINK.widget("neurons")).value == width  # the full run after it says so
    assert url(at)["neurons"] == str(width) and stat(at, "neurons") == str(width)
    at.toggle(key=K.LOOP.playing).set_value(False).run()
    assert run_of(at).width == width  # the full run did not shrink it back


def test_hidden_controls_are_absent_but_their_values_apply():
    at = open_link({"learning_rate": "0.1", "learning_rate_hide": "1", "neurons_hide": "1", "grow_hide": "1"})
    keys = {w.key for w in (*at.selectbox, *at.number_input, *at.select_slider, *at.get("button_group"))}
    for name in ("learning_rate", "neurons", "grow"):
        assert K.LINK.widget(name) not in keys
    assert K.LINK.widget("activation") in keys and K.LINK.widget("speed") in keys
    assert not [b for b in at.button if b.label in ("Add a neuron", "Remove the weakest")]
    assert run_of(at).trainer.learning_rate == 0.1
    ua_url = url(at)
    assert ua_url["learning_rate_hide"] == "1" and ua_url["neurons_hide"] == "1"


def test_presentation_mode_shows_the_run_bar_and_the_pictures_only():
    at = open_link({"present": "1", "target": "abs"})
    assert not (at.selectbox or at.number_input or at.slider or at.text_input)  # no sidebar, no sections
    labels = [b.label for b in at.button]
    assert labels == ["Leave presentation mode", "Step", "Reset", "Add a neuron", "Remove the weakest"]
    assert not at.expander  # no explanation, no share panel
    assert len(at.get("bidi_component")) == 1 and stat(at, "neurons") == "4"
    click(at, "Add a neuron")
    assert run_of(at).width == 5 and url(at) == {"target": "abs", "neurons": "5", "present": "1"}
    click(at, "Leave presentation mode")
    assert "present" not in url(at) and at.selectbox(key=K.LINK.widget("target")).value == "abs"
    assert at.number_input(key=K.LINK.widget("neurons")).value == 5
    assert any(e.label == "Share a link" for e in at.expander)


def test_the_share_panel_gives_the_link_with_hidden_controls():
    at = open_link({"target": "step", "neurons": "6"})
    at.session_state[K.LINK.share_panel] = True  # the user unfolds it
    at.run()
    assert any(c.value.endswith("?target=step&neurons=6") for c in at.code)
    at.multiselect(key=K.LINK.share_hide).set_value(["neurons"]).run()
    at.checkbox(key=K.LINK.share_present).check().run()
    assert any(c.value.endswith("target=step&neurons=6&neurons_hide=1&present=1") for c in at.code)


def test_a_divergence_pauses_says_why_and_reset_trains_again(ua):
    ua.selectbox(key=K.LINK.widget("target")).set_value("cubic").run()
    ua.selectbox(key=K.LINK.widget("optimizer")).set_value("momentum").run()
    ua.select_slider(key=K.LINK.widget("learning_rate")).set_value(1.0).run()  # the largest offered
    ua.select_slider(key=K.LINK.widget("batch_size")).set_value("1").run()
    ua.toggle(key=K.LOOP.playing).set_value(True).run()
    assert not ua.exception
    assert ua.toggle(key=K.LOOP.playing).value is False  # paused
    (error,) = ua.error
    assert (
        error.value.startswith("Training diverged at epoch")
        and "lower the learning rate and press Reset" in error.value
    )
    click(ua, "Reset")
    assert not ua.error and run_of(ua).diverged is None and run_of(ua).trainer.epoch == 0
    ua.toggle(key=K.LOOP.playing).set_value(True).run()  # the same settings: it trains, and diverges again
    assert not ua.exception and ua.toggle(key=K.LOOP.playing).value is False and len(ua.error) == 1
    ua.select_slider(key=K.LINK.widget("learning_rate")).set_value(0.001).run()
    click(ua, "Reset")
    ua.toggle(key=K.LOOP.playing).set_value(True).run()
    assert not ua.exception and not ua.error and run_of(ua).trainer.epoch > 0
    assert ua.toggle(key=K.LOOP.playing).value is True
