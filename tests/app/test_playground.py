"""The Playground page, driven as a user would through Streamlit's AppTest.

AppTest runs the script without a browser, so the Play loop (a fragment on a timer) never
fires here: Step is the way to train. The browser tests press Play.
"""

import json

import numpy as np

from tests.app.conftest import button, panels
from ui.state import PlaygroundKeys as K


def run_of(at):
    return at.session_state[K.RUN]


def panel(at) -> dict:
    """The live panel's payload, last frame's stats and charts on top (see conftest.panels)."""
    (payload,) = panels(at)
    return payload


def stats(at) -> str:
    return panel(at)["stats"]


def test_page_runs_with_the_default_setup(playground):
    at = playground
    assert not at.exception
    run = run_of(at)
    assert run.network.sizes == (2, 4, 2, 1)
    assert run.config["learning_rate"] == 0.03 and run.config["dataset"] == "circle"
    assert run.trainer.epoch == 0
    assert 'id="stat-epoch">0<' in stats(at)
    charts = {c["id"]: c for c in panel(at)["charts"]}
    assert list(charts) == ["network", "output", "loss", "weights"]  # one component, four charts
    # pictures travel as overlays beside the figure: the network's columns, the output and its points
    # the network: a picture per column and the bias squares beside each column of neurons
    assert len(charts["network"]["overlays"]) == 4 + 3 and len(charts["output"]["overlays"]) == 2
    assert all(json.loads(c["figure"])["layout"] for c in charts.values())


def test_step_advances_the_epoch_and_lowers_the_loss(playground):
    at = playground
    first_loss = run_of(at).trainer.history.train_loss[-1]
    for _ in range(5):
        button(at, "Step").click().run()
    assert not at.exception
    run = run_of(at)
    assert run.trainer.epoch == 5
    assert run.trainer.history.train_loss[-1] < first_loss
    assert 'id="stat-epoch">5<' in stats(at)


def test_reset_twice_gives_identical_weights(playground):
    at = playground
    initial = run_of(at).network.params.copy()
    button(at, "Step").click().run()
    assert not np.array_equal(run_of(at).network.params, initial)
    button(at, "Reset").click().run()
    after_first = run_of(at).network.params.copy()
    button(at, "Step").click().run()
    button(at, "Reset").click().run()
    np.testing.assert_array_equal(after_first, initial)
    np.testing.assert_array_equal(run_of(at).network.params, initial)
    assert run_of(at).trainer.epoch == 0


def test_adding_a_layer_changes_the_weight_shapes_and_says_training_restarted(playground):
    at = playground
    button(at, "+").click().run()  # the first "+" adds a hidden layer
    assert not at.exception
    net = run_of(at).network
    assert net.sizes == (2, 4, 2, 4, 1)
    assert [w.shape for w in net.W] == [(2, 4), (4, 2), (2, 4), (4, 1)]
    assert any("restarted" in i.value for i in at.info)


def test_learning_rate_change_keeps_training(playground):
    at = playground
    button(at, "Step").click().run()
    at.number_input(key=K.LINK.widget("learning_rate")).set_value(0.1).run()
    run = run_of(at)
    assert run.trainer.epoch == 1 and run.trainer.learning_rate == 0.1
    assert not at.info  # no "training restarted" notice


def test_diverging_setup_shows_the_message_and_keeps_working(playground):
    at = playground
    at.selectbox(key=K.LINK.widget("activation")).set_value("relu").run()
    at.number_input(key=K.LINK.widget("learning_rate")).set_value(10.0).run()
    for _ in range(3):
        button(at, "Step").click().run()
    assert not at.exception
    messages = " ".join(e.value for e in at.error)
    assert "diverged at epoch 1: lower the learning rate and press Reset" in messages
    assert np.all(np.isfinite(run_of(at).network.params))
    # Lower the rate, Reset: the page trains again.
    at.number_input(key=K.LINK.widget("learning_rate")).set_value(0.03).run()
    button(at, "Reset").click().run()
    button(at, "Step").click().run()
    assert not at.exception and not at.error
    assert run_of(at).trainer.epoch == 1


def test_an_impossible_combination_says_why_instead_of_training(playground):
    at = playground
    at.selectbox(key=K.LINK.widget("loss")).set_value("binary_cross_entropy").run()
    at.selectbox(key=K.LINK.widget("output_activation")).set_value("tanh").run()
    assert not at.exception
    # Markdown-escaped on the page (the message may quote a CSV's cells): read as shown
    assert any("cross-entropy takes probabilities" in w.value.replace("\\", "") for w in at.warning)
    at.selectbox(key=K.LINK.widget("output_activation")).set_value("sigmoid").run()
    assert not at.warning and run_of(at).network.output_activation_name == "sigmoid"


def test_folded_panels_send_their_content_only_when_unfolded(playground):
    at = playground
    assert not [s for s in at.selectbox if s.key == K.EDIT_LAYER]  # the editor is not drawn
    assert not any("Each square is one neuron" in m.value for m in at.markdown)
    at.session_state[K.explain_panel("network")] = True  # the user unfolds two panels
    at.session_state[K.EDITOR_PANEL] = True
    at.run()
    assert any("Each square is one neuron" in m.value for m in at.markdown)
    assert at.selectbox(key=K.EDIT_LAYER).value == 0  # the weight editor, W1 first
    assert not at.exception
