"""The neuron page's widgets, one group per section. Each field's widget key is
``K.LINK.widget(field)``; the shared toolkit (``ui.live.widgets``) seeds them from the
lasting config and reads them back through the schema. A field in ``hidden`` (a link's
``<field>_hide=1``) has no control: its value still applies."""

import streamlit as st

from ui.neuron import session, text
from ui.neuron.config import LOSS_LABELS, SCHEMA
from ui.neuron.run import PerceptronLesson
from ui.state import NeuronKeys as K

NEURON_FIELDS = ("w1", "w2", "b", "activation", "x1", "x2")


def _key(field: str) -> str:
    return K.LINK.widget(field)


def neuron_controls(hidden: frozenset) -> None:
    """The neuron's weights, bias and activation, and the input point the diagram follows,
    one under the other."""
    for name in NEURON_FIELDS:
        f = SCHEMA[name]
        if name in hidden:
            continue
        if f.kind == "choice":
            st.selectbox(f.label, f.choices, key=_key(name))
        else:
            st.slider(f.label, f.low, f.high, step=f.step, key=_key(name))


def perceptron_controls(hidden: frozenset) -> None:
    """The data, its seed and a button for the next seed, on one row."""
    data_col, seed_col, new_col, _ = st.columns([2.6, 1.2, 1, 1.4], vertical_alignment="bottom")
    if "data" not in hidden:
        data_col.segmented_control(
            SCHEMA["data"].label,
            SCHEMA["data"].choices,
            key=_key("data"),
            format_func=text.DATA_LABELS.get,
            required=True,
        )
    if "data_seed" not in hidden:
        seed = SCHEMA["data_seed"]
        seed_col.number_input(seed.label, int(seed.low), int(seed.high), step=1, key=_key("data_seed"))
        new_col.button(
            text.NEW_DATA, key=K.NEW_DATA, on_click=session.new_data, help=text.NEW_DATA_HELP, width="stretch"
        )


STEP_BUTTONS = (  # label, what it does (session.step_by), icon
    (text.PREVIOUS_UPDATE, "previous", ":material/skip_previous:"),
    (text.STEP_BACK, "back", ":material/chevron_left:"),
    (text.STEP_ON, "on", ":material/chevron_right:"),
    (text.NEXT_UPDATE, "next", ":material/skip_next:"),
)


def rule_controls(lesson: PerceptronLesson, step: int | None, hidden: frozenset) -> None:
    """The view (epoch by epoch, or point by point when ``step`` is given) and, beside it,
    which epoch's line to show (0, the start, to the run's last), or four buttons: a step
    back or on, to the previous or the next update (a button that cannot move is
    disabled), with the step shown (0, the start, to the run's last) under them."""
    view_col, rest = st.columns([1.6, 4.4], vertical_alignment="bottom")
    if "view" not in hidden:
        view_col.segmented_control(
            SCHEMA["view"].label,
            SCHEMA["view"].choices,
            key=_key("view"),
            format_func=text.VIEW_LABELS.get,
            required=True,
            on_change=session.view_changed,
        )
    if step is None:
        if "epoch" not in hidden:
            epochs = lesson.history.epochs_run
            rest.slider(SCHEMA["epoch"].label, 0, epochs, key=_key("epoch"), help=text.EPOCH_HELP)
        return
    if "step" in hidden:
        return
    last = lesson.history.n_steps
    can = {
        "previous": lesson.previous_update(step) is not None,
        "back": step > 0,
        "on": step < last,
        "next": lesson.next_update(step) is not None,
    }
    for col, (label, kind, icon) in zip(rest.columns([1.35, 1.05, 0.85, 1.2]), STEP_BUTTONS):
        col.button(
            label,
            key=K.step_button(label),
            on_click=session.step_by,
            args=(kind,),
            icon=icon,
            help=text.STEP_HELP[label],
            disabled=not can[kind],
            width="stretch",
        )
    st.slider(SCHEMA["step"].label, 0, last, key=_key("step"), help=text.STEP_SLIDER_HELP)


def xor_button() -> None:
    """The button that opens the Playground on XOR with one hidden layer, on a row of its
    own (its label whole), and what it opens."""
    if st.button(text.XOR_BUTTON, key=K.OPEN_PLAYGROUND, type="primary", icon=":material/hub:"):
        session.open_playground_on_xor()
    st.caption(text.xor_setup(session.XOR_PLAYGROUND))


def stack_controls(hidden: frozenset) -> None:
    """The activation between the layers, their number, and a button for new weights."""
    act_col, layers_col, weights_col, _ = st.columns([1.5, 2, 1.3, 1.5], vertical_alignment="bottom")
    if "stack_activation" not in hidden:
        act_col.segmented_control(
            SCHEMA["stack_activation"].label,
            SCHEMA["stack_activation"].choices,
            key=_key("stack_activation"),
            required=True,
        )
    if "stack_layers" not in hidden:
        layers = SCHEMA["stack_layers"]
        layers_col.slider(layers.label, int(layers.low), int(layers.high), key=_key("stack_layers"))
    if "stack_seed" not in hidden:
        weights_col.button(
            text.NEW_WEIGHTS,
            key=K.NEW_WEIGHTS,
            on_click=session.new_stack_weights,
            help=text.NEW_WEIGHTS_HELP,
            width="stretch",
        )


def loss_controls(hidden: frozenset) -> None:
    """The point's label y and the prediction ŷ marked on both losses, on one row."""
    label_col, prediction_col = st.columns([1, 3], vertical_alignment="bottom")
    if "loss_label" not in hidden:
        label_col.segmented_control(
            SCHEMA["loss_label"].label,
            LOSS_LABELS,
            key=_key("loss_label"),
            format_func=text.LABEL_NAMES.get,
            required=True,
        )
    if "loss_prediction" not in hidden:
        f = SCHEMA["loss_prediction"]
        prediction_col.slider(f.label, f.low, f.high, step=f.step, key=_key("loss_prediction"))


def loss_button(presenting: bool) -> None:
    """The button that opens the Playground comparing the two losses, and what it opens
    (not in presentation mode, which shows no captions)."""
    if st.button(text.LOSS_BUTTON, key=K.OPEN_LOSS_PLAYGROUND, type="primary", icon=":material/compare_arrows:"):
        session.open_playground_on_losses()
    if not presenting:
        config = session.LOSS_PLAYGROUND
        st.caption(text.loss_playground_setup(config, session.playground_address(config)))
