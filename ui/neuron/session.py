"""The neuron page in this session. The page has no Play loop: every run is a full run,
which brings the configuration from the widgets, keeps the session's perceptron run in
step with it (``settle``), and sends every panel whole. Here too: the buttons' callbacks
and the way to the Playground."""

import streamlit as st

from ui.live.panel import forget_sent, live_panel
from ui.live.share import PageLink
from ui.live.widgets import set_widgets, widget_value
from ui.neuron.config import SCHEMA
from ui.neuron.run import PerceptronLesson, agree_epoch, build_perceptron
from ui.playground.config import DEFAULTS as PLAYGROUND_DEFAULTS
from ui.playground.share import LINK as PLAYGROUND_LINK
from ui.state import NeuronKeys as K

LINK = PageLink(SCHEMA, K.LINK)
XOR_PLAYGROUND = dict(PLAYGROUND_DEFAULTS, dataset="xor", hidden=(4,))  # what the XOR button opens


def perceptron() -> PerceptronLesson:
    return st.session_state[K.PERCEPTRON_RUN]


def settle(old: dict, new: dict) -> dict:
    """The configuration to use, from the lasting one (``old``) and the widgets' (``new``):
    the perceptron's run is rebuilt when its data or seed changed, the epoch agrees with
    it, and a widget that shows something else (an epoch past the run's end, a value
    the schema clamped) is set to what is used."""
    lesson = st.session_state.get(K.PERCEPTRON_RUN)
    if lesson is None or not lesson.matches(new):
        lesson = build_perceptron(new)
        st.session_state[K.PERCEPTRON_RUN] = lesson
    config = agree_epoch(old, new, lesson)
    shown = dict(config, epoch=lesson.shown_epoch(config))
    set_widgets(K.LINK, {n: v for n, v in shown.items() if st.session_state.get(K.LINK.widget(n)) != widget_value(v)})
    return config


def _next_seed(field: str) -> None:
    key = K.LINK.widget(field)
    st.session_state[key] = (int(st.session_state[key]) + 1) % (int(SCHEMA[field].high) + 1)


def new_data() -> None:
    """The "New data" button: the next data seed."""
    _next_seed("data_seed")


def new_stack_weights() -> None:
    """The "New random weights" button: the next seed of the stack's weights."""
    _next_seed("stack_seed")


def open_playground_on_xor() -> None:
    """Open the Playground on XOR with one hidden layer (its defaults otherwise), through
    the Playground's own link."""
    PLAYGROUND_LINK.replace(XOR_PLAYGROUND)
    st.switch_page("pages/playground.py")


def panel(charts: list[dict], key: str, grid: dict | None = None) -> None:
    """A panel of pictures, sent whole (the browser may have mounted it afresh)."""
    forget_sent(key)
    live_panel(charts, key=key, grid=grid)
