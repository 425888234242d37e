"""Tracing a point on the Playground page (AppTest): ``?trace=`` opens it, the trace box
takes a point or a row, the numbers on the page are the engine's for the network as it
stands after Step, Play and Pause, and an edited weight."""

import re

import numpy as np

from tests.app.conftest import button, open_link, panels, url
from ui.playground.trace_html import num
from ui.state import PlaygroundKeys as K

TRACE_BOX = K.LINK.widget("trace")


def trace_cell(at) -> str | None:
    """The HTML of the live panel's trace cell, or None when there is none."""
    cells = [c for c in panels(at)[0]["charts"] if c["id"] == "trace"]
    return cells[0]["figure"] if cells else None


def written_activations(html: str) -> list[str]:
    rows = re.findall(r'<tr class="a">(.*?)</tr>', html)
    return [cell for row in rows for cell in re.findall(r"<td><b>([^<]*)</b></td>", row)]


def engine_activations(at, row: int) -> list[str]:
    """Every neuron's activation for data row ``row`` (0-based), from the engine: the
    network's own batch forward pass over the whole data set."""
    run = at.session_state[K.RUN]
    X = np.vstack([run.trainer.X_train, run.trainer.X_test])
    order = list(np.concatenate([run.trainer.train_index, run.trainer.test_index]))
    trace = run.network.forward(X[order.index(row) : order.index(row) + 1], trace=True)
    return [num(a) for acts in trace.activations[1:] for a in acts[0]]


def test_a_link_with_trace_shows_every_neurons_activation_to_3_decimals():
    at = open_link({"trace": "row:3"})
    html = trace_cell(at)
    assert "point, row 3</b>" in html
    assert written_activations(html) == engine_activations(at, 2)
    hidden = at.session_state[K.RUN].network.sizes[1:-1]
    assert len(written_activations(html)) == sum(hidden) + 1
    assert at.text_input(key=TRACE_BOX).value == "row:3"
    assert url(at)["trace"] == "row:3"


def test_a_bad_trace_in_a_link_is_said_and_the_page_works():
    at = open_link({"trace": "javascript:alert(1)"})
    notices = [w.value for w in at.warning if "link's settings" in w.value]
    assert notices and "`trace`" in notices[0] and "not a point" in notices[0]
    assert trace_cell(at) is None
    button(at, "Step").click().run()
    assert not at.exception and at.session_state[K.RUN].trainer.epoch == 1


def test_the_trace_box_takes_a_point_or_a_row_and_refuses_the_rest():
    at = open_link({})
    assert trace_cell(at) is None
    at.text_input(key=TRACE_BOX).set_value(" 1.5 , -2 ").run()
    assert not at.exception
    assert "a point of the plane" in trace_cell(at) and "(x₁, x₂) = (1.500, −2.000)" in trace_cell(at)
    assert at.text_input(key=TRACE_BOX).value == "1.5,-2"
    assert url(at)["trace"] == "1.5,-2"
    at.text_input(key=TRACE_BOX).set_value("two, three").run()
    assert not at.exception
    assert any("not a point" in e.value for e in at.error)
    assert at.text_input(key=TRACE_BOX).value == "1.5,-2"  # the last good trace stays
    at.text_input(key=TRACE_BOX).set_value("row:600").run()  # 500 points by default
    assert "there is no row 600: the data has 500 rows" in trace_cell(at)
    button(at, "Clear").click().run()
    assert trace_cell(at) is None and "trace" not in url(at)


def test_the_trace_follows_step_play_pause_and_an_edited_weight():
    at = open_link({"trace": "row:10"})
    for _ in range(3):
        button(at, "Step").click().run()
    assert written_activations(trace_cell(at)) == engine_activations(at, 9)
    at.toggle(key=K.LOOP.playing).set_value(True).run()
    at.toggle(key=K.LOOP.playing).set_value(False).run()
    assert not at.exception
    assert written_activations(trace_cell(at)) == engine_activations(at, 9)
    before = trace_cell(at)
    run = at.session_state[K.RUN]
    run.network.W[0][0, 0] += 1.5  # what the weight editor does (set_weights_table), then a rerun
    at.run()
    after = trace_cell(at)
    assert after != before
    assert written_activations(after) == engine_activations(at, 9)
    assert f"{num(run.network.W[0][0, 0])}" in after


def test_the_neuron_written_out_is_the_one_picked():
    at = open_link({"trace": "row:1", "hidden": "3,2"})
    at.selectbox(key=K.TRACE_NEURON).set_value((1, 1)).run()
    assert "<b>h2.2</b>: z = " in trace_cell(at)
    assert "Chain rule for the weight h1.1 → h2.2" in trace_cell(at)
    # a network without that neuron: the first is written out
    at.session_state[K.LINK.widget("hidden")] = [3]
    at.run()
    assert not at.exception and at.session_state[K.RUN].network.sizes == (2, 3, 1)
    assert "<b>h1.1</b>: z = " in trace_cell(at)


def test_tracing_and_drawing_take_turns():
    at = open_link({})
    at.toggle(key=K.DRAW_MODE).set_value(True).run()
    at.toggle(key=K.TRACE_MODE).set_value(True).run()
    assert at.toggle(key=K.TRACE_MODE).value and not at.toggle(key=K.DRAW_MODE).value
    at.toggle(key=K.DRAW_MODE).set_value(True).run()
    assert at.toggle(key=K.DRAW_MODE).value and not at.toggle(key=K.TRACE_MODE).value
