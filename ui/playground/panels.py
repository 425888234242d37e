"""The Playground's panels around the live pictures: what they show, drawing points, and
editing the weights. Streamlit UI; the logic they call lives in ui/playground/run.py."""

import numpy as np
import streamlit as st

from ui.playground.run import set_weights_table, weights_table
from ui.playground.text import EXPLANATIONS
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
            panel.markdown(EXPLANATIONS[name])


def draw_controls(run, container) -> None:
    """'Draw your own points': a click on the output picture adds a point of this class."""
    container.toggle("Draw points by clicking the output", key=K.DRAW_MODE)
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
        edited = st.data_editor(table, key=K.weights_table(layer, version), width="stretch")
        st.caption("Rows: the neurons the connections come from, then the bias; columns: the neurons they go to.")
        if not np.array_equal(np.asarray(edited, dtype=float), table):
            problem = set_weights_table(run, layer, edited)
            if problem:
                st.error(problem)
            else:
                st.session_state[K.EDIT_VERSION] = version + 1
                st.rerun()
