"""The neuron page in this session. The page has no Play loop: every run is a full run,
which brings the configuration from the widgets, keeps the session's perceptron run in
step with it (``settle``), and sends every panel whole. Here too: the buttons' callbacks
(new seeds, the perceptron's steps, its view), a click on the neuron's picture (the input
point moves there) and the way to the Playground."""

from urllib.parse import urlencode

import streamlit as st

from ui.live.link import encode
from ui.live.panel import forget_sent, live_panel
from ui.live.share import PageLink
from ui.live.widgets import set_widgets, widget_value
from ui.neuron import figures
from ui.neuron.config import SCHEMA
from ui.neuron.run import PerceptronLesson, agree_epoch, build_perceptron, view_switched
from ui.playground.config import DEFAULTS as PLAYGROUND_DEFAULTS
from ui.playground.config import SCHEMA as PLAYGROUND_SCHEMA
from ui.playground.share import LINK as PLAYGROUND_LINK
from ui.state import NeuronKeys as K

LINK = PageLink(SCHEMA, K.LINK)
XOR_PLAYGROUND = dict(PLAYGROUND_DEFAULTS, dataset="xor", hidden=(4,))  # what the XOR button opens
# What "Train the same data with each" opens: run A with the quadratic loss, run B with
# cross-entropy, both through a sigmoid output (the ŷ of the loss section), from the same
# start. At learning rate 0.1 the difference shows (measured, circle data, 2,000 epochs: test
# accuracy 0.82 with the quadratic loss, 0.99 with cross-entropy).
LOSS_PLAYGROUND = dict(
    PLAYGROUND_DEFAULTS,
    loss="quadratic",
    output_activation="sigmoid",
    learning_rate=0.1,
    compare="loss:binary_cross_entropy",
)


def perceptron() -> PerceptronLesson:
    return st.session_state[K.PERCEPTRON_RUN]


def settle(old: dict, new: dict) -> dict:
    """The configuration to use, from the lasting one (``old``) and the widgets' (``new``):
    the perceptron's run is rebuilt when its data or seed changed, the epoch agrees with
    it, and a widget that shows something else (an epoch past the run's end, a value
    the schema clamped) is set to what is used. A click on the neuron's picture in the
    last run moves the input point there."""
    clicked = st.session_state.pop(K.POINT_CLICK, None)
    if clicked is not None:
        new = dict(new, x1=SCHEMA.coerce("x1", clicked[0]), x2=SCHEMA.coerce("x2", clicked[1]))
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


def _set_step(number: int | None) -> None:
    if number is not None:
        st.session_state[K.LINK.widget("step")] = number


def step_by(kind: str) -> None:
    """A step button's callback: ``kind`` "back" or "on" one step, or to the "previous" or
    "next" update (a step that moved the line)."""
    lesson, step = perceptron(), int(st.session_state[K.LINK.widget("step")])
    step = min(step, lesson.history.n_steps)
    moves = {
        "back": lambda: max(step - 1, 0),
        "on": lambda: min(step + 1, lesson.history.n_steps),
        "previous": lambda: lesson.previous_update(step),
        "next": lambda: lesson.next_update(step),
    }
    _set_step(moves[kind]())


def view_changed() -> None:
    """The view's callback: the other view starts at the line shown (epoch k is step k·n)."""
    view = st.session_state[K.LINK.widget("view")]
    config = st.session_state[K.LINK.config]
    for name, value in view_switched(config, view, perceptron()).items():
        st.session_state[K.LINK.widget(name)] = value


def neuron_panel(config: dict, tall: bool) -> None:
    """The neuron's pictures and its diagram; a click on the picture from above moves the
    input point there (in the next run: this run's widgets are drawn already)."""
    result = panel(figures.neuron_charts(config, tall=tall), K.NEURON_PANEL, figures.NEURON_GRID)
    click = getattr(result, "click", None)
    if click and click.get("chart") == "plane":
        st.session_state[K.POINT_CLICK] = (round(float(click["x"]), 1), round(float(click["y"]), 1))
        st.rerun()


def open_playground_on_xor() -> None:
    """Open the Playground on XOR with one hidden layer (its defaults otherwise), through
    the Playground's own link."""
    PLAYGROUND_LINK.replace(XOR_PLAYGROUND)
    st.switch_page("pages/playground.py")


def open_playground_on_losses() -> None:
    """Open the Playground comparing the quadratic loss (run A) with cross-entropy (run B)."""
    PLAYGROUND_LINK.replace(LOSS_PLAYGROUND)
    st.switch_page("pages/playground.py")


def playground_address(config: dict) -> str:
    """The Playground's address for ``config``, as its link writes it (``:`` kept readable)."""
    return "/?" + urlencode(encode(PLAYGROUND_SCHEMA, config), safe=",:")


def panel(charts: list[dict], key: str, grid: dict | None = None):
    """A panel of pictures, sent whole (the browser may have mounted it afresh)."""
    forget_sent(key)
    return live_panel(charts, key=key, grid=grid)
