"""The Playground's panels around the live pictures: what they show, drawing points, and
editing the weights. Streamlit UI; the logic they call lives in ui/playground/run.py."""

from html import unescape

import numpy as np
import pandas as pd
import streamlit as st

from ui.charts.colors import theme
from ui.playground.figures import BIAS_ROW, node_labels
from ui.playground.run import set_weights_table, weights_table
from ui.playground.text import explanation
from ui.playground.trace import normal_trace
from ui.state import PlaygroundKeys as K

# The panels under the pictures are folded away, and their content is sent only when
# unfolded (lazy expanders: on_change="rerun"). Measured in headless Chromium: every
# update of the live pictures makes the browser re-render the whole page, and folded
# content re-rendered anyway cost it ~35 ms per update, as much as the pictures.


def explanations() -> None:
    """The "What am I looking at?" texts, folded away, under the pictures."""
    st.markdown("**What am I looking at?**")
    for column, (name, title) in zip(
        st.columns(4),
        (("network", "The network"), ("output", "The output"), ("loss", "The loss"), ("weights", "The weights")),
    ):
        panel = column.expander(title, key=K.explain_panel(name), on_change="rerun")
        if panel.open:
            panel.markdown(explanation(name, theme().ink_name))


def draw_controls(run, container) -> None:
    """'Draw your own points': a click on the output picture adds a point of this class."""
    container.toggle(
        "Draw points by clicking the output", key=K.DRAW_MODE, on_change=_exclusive, args=(K.DRAW_MODE, K.TRACE_MODE)
    )
    if not st.session_state.get(K.DRAW_MODE):
        return
    if run.n_classes:
        container.segmented_control(
            "Class of new points",
            list(range(run.n_classes)),
            key=K.CLASS_TO_DRAW,
            default=1,
            format_func=lambda c: f"class {c}",
        )
    else:
        container.slider("Value of new points", -1.0, 1.0, 0.5, key=K.CLASS_TO_DRAW)


def _exclusive(this: str, other: str) -> None:
    """Clicks on the output either draw or trace: switching one on switches the other off."""
    if st.session_state.get(this):
        st.session_state[other] = False


def _check_trace_text() -> None:
    """The trace box's callback: a text that names no point is refused, with a message,
    and the box shows the last good trace again."""
    key = K.LINK.widget("trace")
    try:
        st.session_state[key] = normal_trace(st.session_state.get(key) or "")
        st.session_state[K.TRACE_PROBLEM] = None
    except ValueError as error:
        st.session_state[K.TRACE_PROBLEM] = str(error)
        st.session_state[key] = st.session_state[K.LINK.config].get("trace", "")


def click_controls(run, hidden=frozenset()) -> None:
    """One row: what a click on the output does (draw a point, trace one) and the trace's
    own controls."""
    draw, mode, box, neuron, clear = st.columns([2.1, 2.1, 1.7, 1.3, 0.9], vertical_alignment="top")
    draw_controls(run, draw)
    if "trace" not in hidden:
        trace_controls(run, mode, box, neuron, clear)


def trace_controls(run, mode, box, neuron, clear) -> None:
    """'Trace a point': a click on the output (or a typed point, or row:N) is followed
    through the network; the neuron whose weighted sum is written out in full."""
    plane = run.grid is not None
    mode.toggle(
        "Trace a point" if plane else "Trace a row: type row:N",
        key=K.TRACE_MODE,
        on_change=_exclusive,
        args=(K.TRACE_MODE, K.DRAW_MODE),
        disabled=not plane,
        help="Then click the output picture: a data point (its loss and backward pass too) or any place.",
    )
    box.text_input(
        "Traced point: x₁,x₂ or row:N",
        key=K.LINK.widget("trace"),
        on_change=_check_trace_text,
        placeholder="e.g. 1.5,-2 or row:1",
    )
    sizes = run.network.sizes
    names = node_labels(run)
    options = [(i, j) for i in range(len(sizes) - 1) for j in range(sizes[i + 1])]
    if st.session_state.get(K.TRACE_NEURON) not in options:
        st.session_state[K.TRACE_NEURON] = options[0]
    neuron.selectbox(
        "Neuron written out",
        options,
        key=K.TRACE_NEURON,
        format_func=lambda p: names[p[0] + 1][p[1]],
        disabled=not run.config.get("trace"),
    )
    clear.button(
        "Clear",
        icon=":material/close:",
        disabled=not run.config.get("trace"),
        on_click=lambda: st.session_state.__setitem__(K.LINK.widget("trace"), ""),
        key=K.TRACE_CLEAR,
    )
    problem = st.session_state.get(K.TRACE_PROBLEM)
    if problem:
        st.error(f"{problem}.", icon=":material/edit_off:")


def weight_editor(run) -> None:
    """Edit a weight matrix in a table; the output changes at once."""
    panel = st.expander("Edit the weights", key=K.EDITOR_PANEL, on_change="rerun")
    if not panel.open:  # sent only when unfolded (see the top of this module)
        return
    with panel:
        if st.session_state.get(K.LOOP.playing):
            st.info("Pause to edit the weights.")
            return
        net = run.network
        layer = st.selectbox(
            "Layer",
            range(net.n_layers),
            key=K.EDIT_LAYER,
            format_func=lambda i: f"W{i + 1} and b{i + 1}: {net.sizes[i]} → {net.sizes[i + 1]}",
        )
        table = weights_table(run, layer)
        version = st.session_state.get(K.EDIT_VERSION, 0)
        names = [[unescape(n) for n in column] for column in node_labels(run)]  # the editor shows text as text
        frame = pd.DataFrame(table, index=[*names[layer], BIAS_ROW], columns=names[layer + 1])
        edited = st.data_editor(frame, key=K.weights_table(layer, version), width="stretch")
        st.caption(
            f"W{layer + 1} and b{layer + 1}: rows are the neurons the connections come from, then "
            f"“{BIAS_ROW}”, the biases, the weights of an input that is always 1; columns are the neurons "
            "they go to. Edit a number and the pictures (and a traced point) follow at once."
        )
        if not np.array_equal(np.asarray(edited.to_numpy(), dtype=float), table):
            problem = set_weights_table(run, layer, edited.to_numpy())
            if problem:
                st.error(problem)
            else:
                st.session_state[K.EDIT_VERSION] = version + 1
                st.rerun()
