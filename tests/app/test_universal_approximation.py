"""The Universal approximation page, driven through Streamlit's AppTest.

AppTest runs the script without a browser: the Play loop (a fragment on a timer) never
ticks here, but switching Play on runs the fragment once, which trains one frame. Step,
the surgery buttons, the sweep and the comparison are driven as a user would."""

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT, panels
from ui.state import ApproxKeys as K


@pytest.fixture
def ua():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/universal_approximation.py").run()
    assert not at.exception, at.exception
    return at


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
    (explanation,) = ua.expander
    assert explanation.label == "How does this work?" and not explanation.proto.expanded


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
    assert run.width == 5 and ua.number_input(key=K.widget("width")).value == 5
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
    ua.number_input(key=K.widget("width")).set_value(10).run()
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
    ua.toggle(key=K.PLAYING).set_value(True).run()
    assert not ua.exception and run_of(ua).trainer.epoch > 0
    ua.toggle(key=K.PLAYING).set_value(False).run()
    ua.selectbox(key=K.widget("activation")).set_value("tanh").run()
    assert run_of(ua).network.hidden_activation_names == ["tanh"] and run_of(ua).trainer.epoch == 0
    assert any("restarted" in i.value and "activation" in i.value for i in ua.info)


def test_the_step_target_explains_its_max_error(ua):
    ua.selectbox(key=K.widget("target")).set_value("step").run()
    assert any("does not vanish" in i.value for i in ua.info)
    ua.selectbox(key=K.widget("activation")).set_value("step").run()
    assert any("cannot move its jumps" in c.value for c in ua.caption)
    assert "jumps" in {c["id"]: c for c in panel(ua)["charts"]}["fit"]["title"]


def test_a_bad_formula_says_where_and_keeps_the_last_good_run(ua):
    ua.selectbox(key=K.widget("target")).set_value("formula").run()
    assert run_of(ua).target.label == "f(x) = sin(3*x) + 0.5*x**2"
    ua.text_input(key=K.widget("formula")).set_value("sin(3*x) + y").run()
    assert not ua.exception
    assert any("unknown name 'y'" in e.value for e in ua.error)
    # the formula is shown literally: Markdown would turn ** into bold
    assert any(r"Still training on f\(x\) = sin\(3\*x\) \+ 0\.5\*x\*\*2" in w.value for w in ua.warning)
    ua.text_input(key=K.widget("formula")).set_value("__import__('os')").run()
    assert not ua.exception and ua.error
    ua.text_input(key=K.widget("formula")).set_value("abs(x) - 1").run()
    assert not ua.error and run_of(ua).target.label == "f(x) = abs(x) - 1"


def test_the_sweep_draws_errors_that_fall_with_width(ua):
    ua.selectbox(key=K.widget("sweep_epochs")).set_value(500).run()
    click(ua, "Sweep widths")
    _, epochs, results = ua.session_state[K.SWEEP]
    assert epochs == 500 and [r.width for r in results] == [1, 2, 4, 8, 16, 32, 64, 128]
    assert results[-1].max_error < results[0].max_error / 5 and results[-1].rmse < results[0].rmse / 10
    error_chart = json.loads({c["id"]: c for c in panel(ua)["charts"]}["error"]["figure"])
    assert {"sweep: max error", "sweep: RMSE"} <= {t["name"] for t in error_chart["data"]}
    assert any("Sweep, 500 epochs per width" in c.value for c in ua.caption)
    ua.selectbox(key=K.widget("activation")).set_value("tanh").run()
    error_chart = json.loads({c["id"]: c for c in panel(ua)["charts"]}["error"]["figure"])
    assert "sweep: max error" not in {t["name"] for t in error_chart["data"]}  # made for relu


def test_width_versus_depth_trains_four_networks_of_one_budget(ua):
    ua.selectbox(key=K.widget("depth_epochs")).set_value(1000).run()
    click(ua, "Train side by side")
    (table,) = ua.dataframe
    rows = table.value
    assert list(rows["hidden layers"]) == [1, 2, 3, 4]
    assert all(abs(p - 100) <= 10 for p in rows["parameters"])
    assert rows["architecture"].iloc[0] == "1-33-1"
    assert any("Lowest max error" in c.value for c in ua.caption)
    ua.slider(key=K.widget("zigzag_depth")).set_value(6).run()
    assert any("37 parameters" in m.value and "64 straight pieces" in m.value for m in ua.markdown)
