"""The Playground's controls: the sidebar's widgets (data, features, network, training),
the run bar and the display toggles. Each field's widget key is ``K.LINK.widget(field)``;
the shared toolkit (``ui.live.widgets``) seeds them from the lasting config and reads
them back through the schema."""

import math

import streamlit as st

from engine.activations import ACTIVATIONS
from engine.csv_data import MAX_BYTES, MAX_FEATURES, MAX_ROWS
from engine.datasets import CLASSIFICATION, REGRESSION, make_dataset, new_seed
from engine.features import FEATURES
from engine.initializers import INITIALIZERS
from engine.optimizers import OPTIMIZERS
from ui.charts.previews import dataset_preview_svg, svg_data_uri
from ui.live.picker import picture_picker
from ui.live.widgets import run_bar as shared_run_bar
from ui.live.widgets import set_button
from ui.playground import compare_panel
from ui.playground.config import CSV_DATASET, LEARNING_RATES, MAX_HIDDEN_LAYERS, MAX_NEURONS, SCHEMA, SPEEDS
from ui.playground.session import current, reset, step
from ui.playground.slow_step_panel import slow_step_button
from ui.state import PlaygroundKeys as K

DATASET_LABELS = {
    "circle": "Circle",
    "xor": "Exclusive or",
    "gaussian": "Gaussian",
    "spiral": "Spiral",
    "moons": "Moons",
    "checkerboard": "Checkerboard",
    "spiral3": "Spiral, 3 classes",
    "spiral4": "Spiral, 4 classes",
    "spiral5": "Spiral, 5 classes",
    "blobs3": "Blobs, 3 classes",
    "blobs4": "Blobs, 4 classes",
    "blobs5": "Blobs, 5 classes",
    "plane": "Plane",
    "multi_gaussian": "Multi-Gaussian",
    CSV_DATASET: "Your CSV",
}


def _key(field: str) -> str:
    return K.LINK.widget(field)


@st.cache_data(show_spinner=False)
def _preview(key: str) -> str:
    data = make_dataset(key, 120, 0.0, 1)
    return svg_data_uri(dataset_preview_svg(data.X, data.y, data.n_classes if data.problem == "classification" else 0))


def _set(field: str, value) -> None:
    st.session_state[_key(field)] = value


def _slots(names: tuple[str, ...], hidden, widths=None) -> dict:
    """A container per shown field of ``names``: side by side in sidebar columns when all
    are shown, the sidebar itself when one is (a hidden field leaves no gap)."""
    shown = [n for n in names if n not in hidden]
    if len(shown) == len(names) > 1:
        return dict(zip(names, st.sidebar.columns(widths or len(names), vertical_alignment="bottom")))
    return {n: st.sidebar for n in shown}


def _int_slider(container, name: str) -> None:
    f = SCHEMA[name]
    container.slider(f.label, int(f.low), int(f.high), step=int(f.step or 1), key=_key(name))


DATA_FIELDS = ("problem", "dataset", "train_percent", "noise", "n_samples", "data_seed")


def data_controls(hidden=frozenset()) -> None:
    """The data's controls; a field in ``hidden`` has none (its value stays as set)."""
    if all(n in hidden for n in DATA_FIELDS):
        return
    st.sidebar.subheader("Data")
    if "problem" not in hidden:
        st.sidebar.segmented_control(
            SCHEMA["problem"].label,
            ("classification", "regression"),
            key=_key("problem"),
            on_change=_match_dataset_to_problem,
        )
    problem = st.session_state[_key("problem")]
    family = [*(CLASSIFICATION if problem != "regression" else REGRESSION), CSV_DATASET]
    if "dataset" not in hidden:
        tiles = [
            {"value": k, "label": DATASET_LABELS[k], "picture": _preview(k)}
            if k != CSV_DATASET
            else {"value": k, "label": DATASET_LABELS[k], "icon": "upload_file"}
            for k in family
        ]
        with st.sidebar:
            picture_picker(
                tiles,
                st.session_state[_key("dataset")],
                key=K.GALLERY,
                label="Datasets",
                on_pick=lambda value: _set("dataset", value) if value in family else None,
            )
        st.sidebar.selectbox(SCHEMA["dataset"].label, family, key=_key("dataset"), format_func=DATASET_LABELS.get)
    if st.session_state[_key("dataset")] == CSV_DATASET:
        st.sidebar.file_uploader(
            "CSV: numeric feature columns, then the label column",
            type=["csv", "txt", "tsv"],
            key=K.CSV,
            max_upload_size=max(1, math.ceil(MAX_BYTES / 1e6)),  # refused before it is held in memory
            help=f"A header row names the columns; commas, semicolons or tabs between values. At most"
            f" {MAX_ROWS:,} rows, {MAX_FEATURES} feature columns and {MAX_BYTES:,} bytes.",
        )
        return
    for name in ("train_percent", "noise", "n_samples"):
        if name not in hidden:
            _int_slider(st.sidebar, name)
    if "data_seed" not in hidden:
        left, right = st.sidebar.columns([3, 2], vertical_alignment="bottom")
        left.number_input(SCHEMA["data_seed"].label, 0, SCHEMA["data_seed"].high, key=_key("data_seed"))
        right.button(
            "New",  # a short label: a sidebar column cuts "Regenerate" to "Regener…"
            on_click=lambda: _set("data_seed", new_seed()),
            help="New data from a new seed",
            icon=":material/casino:",
            width="stretch",
        )


def _match_dataset_to_problem() -> None:
    problem = st.session_state[_key("problem")] or "classification"
    st.session_state[_key("problem")] = problem
    family = CLASSIFICATION if problem == "classification" else REGRESSION
    if st.session_state[_key("dataset")] not in family:
        st.session_state[_key("dataset")] = next(iter(family))


def _layer_buttons(sizes: list[int]) -> None:
    """Hidden layers with + and - per layer, as TensorFlow Playground. Each button sets the
    layers worked out from ``sizes``, the ones it is drawn beside (``set_button``: one click
    is one change, even when Streamlit dispatches it twice while playing)."""
    hidden = _key("hidden")
    minus, label, plus = st.sidebar.columns([1, 3, 1], vertical_alignment="center")
    set_button(
        minus,
        "−",
        key=K.LAYERS_MINUS,
        setting=hidden,
        value=sizes[:-1],
        disabled=not sizes,
        help="Remove the last hidden layer",
    )
    label.markdown(f"**{len(sizes)} hidden layer{'s' if len(sizes) != 1 else ''}**")
    set_button(
        plus,
        "+",
        key=K.LAYERS_PLUS,
        setting=hidden,
        value=[*sizes, 4][:MAX_HIDDEN_LAYERS],
        disabled=len(sizes) >= MAX_HIDDEN_LAYERS,
        help="Add a hidden layer",
    )
    for i, n in enumerate(sizes):
        minus, label, plus = st.sidebar.columns([1, 3, 1], vertical_alignment="center")
        fewer, more = list(sizes), list(sizes)
        fewer[i], more[i] = max(n - 1, 1), min(n + 1, MAX_NEURONS)
        set_button(minus, "−", key=K.neurons_button(i, "minus"), setting=hidden, value=fewer, disabled=n <= 1)
        label.markdown(f"layer {i + 1}: {n} neuron{'s' if n != 1 else ''}")
        set_button(plus, "+", key=K.neurons_button(i, "plus"), setting=hidden, value=more, disabled=n >= MAX_NEURONS)


NETWORK_FIELDS = ("hidden", "activation", "loss", "output_activation", "initializer", "init_seed")


def network_controls(hidden=frozenset()) -> None:
    """Features and network; a field in ``hidden`` has no control."""
    if "features" not in hidden and st.session_state[_key("dataset")] != CSV_DATASET:
        st.sidebar.subheader("Features")
        st.sidebar.pills(
            SCHEMA["features"].label,
            list(FEATURES),
            selection_mode="multi",
            key=_key("features"),
            format_func=lambda k: FEATURES[k][0],
            label_visibility="collapsed",
        )
    if all(n in hidden for n in NETWORK_FIELDS):
        return
    st.sidebar.subheader("Network")
    if "hidden" not in hidden:
        _layer_buttons(list(st.session_state[_key("hidden")]))
    if "activation" not in hidden:
        st.sidebar.selectbox(SCHEMA["activation"].label, list(ACTIVATIONS), key=_key("activation"))
    for name, slot in _slots(("loss", "output_activation"), hidden).items():
        slot.selectbox(SCHEMA[name].label, SCHEMA[name].choices, key=_key(name))
    slots = _slots(("initializer", "init_seed"), hidden)
    if "initializer" in slots:
        slots["initializer"].selectbox(SCHEMA["initializer"].label, list(INITIALIZERS), key=_key("initializer"))
    if "init_seed" in slots:
        slots["init_seed"].number_input(SCHEMA["init_seed"].label, 0, SCHEMA["init_seed"].high, key=_key("init_seed"))


TRAINING_FIELDS = ("learning_rate", "batch_size", "optimizer", "regularization", "regularization_rate")
OPTIMIZER_FIELDS = {"momentum": ("momentum", "nesterov"), "rmsprop": ("rho",), "adam": ("beta1", "beta2")}


def training_controls(hidden=frozenset()) -> None:
    """Training settings; a field in ``hidden`` has no control."""
    optimizer = st.session_state[_key("optimizer")]
    if all(n in hidden for n in (*TRAINING_FIELDS, *OPTIMIZER_FIELDS.get(optimizer, ()))):
        return
    st.sidebar.subheader("Training")

    def pick_rate() -> None:
        _set("learning_rate", float(st.session_state[K.RATE_PRESET]))

    rate = SCHEMA["learning_rate"]
    if "learning_rate" not in hidden:
        left, right = st.sidebar.columns(2)
        left.selectbox(
            "Learning rate",
            LEARNING_RATES,
            key=K.RATE_PRESET,
            on_change=pick_rate,
            index=None,
            placeholder="presets",
            format_func=lambda r: f"{r:g}",
        )
        right.number_input("or type it", rate.low, rate.high, key=_key("learning_rate"), format="%g", step=0.01)
    if "batch_size" not in hidden:
        _int_slider(st.sidebar, "batch_size")
    if "optimizer" not in hidden:
        st.sidebar.selectbox(SCHEMA["optimizer"].label, list(OPTIMIZERS), key=_key("optimizer"))
    slots = _slots(OPTIMIZER_FIELDS.get(optimizer, ()), hidden, [3, 2] if optimizer == "momentum" else None)
    for name, slot in slots.items():
        f = SCHEMA[name]
        if name == "nesterov":
            slot.checkbox(f.label, key=_key(name))
        elif f.step:
            slot.slider(f.label, f.low, f.high, step=f.step, key=_key(name), format="%.3f" if f.step < 0.01 else "%.2f")
        else:
            slot.number_input(f.label, f.low, f.high, key=_key(name), format="%.4f" if f.high > 0.999 else "%.3f")
    slots = _slots(("regularization", "regularization_rate"), hidden)
    if "regularization" in slots:
        slots["regularization"].selectbox(
            SCHEMA["regularization"].label,
            ["none", "l1", "l2"],
            key=_key("regularization"),
            format_func={"none": "none", "l1": "L1", "l2": "L2"}.get,
        )
    if "regularization_rate" in slots:
        slots["regularization_rate"].selectbox(
            SCHEMA["regularization_rate"].label,
            list(SCHEMA["regularization_rate"].values),
            key=_key("regularization_rate"),
            format_func=lambda r: f"{r:g}",
        )


DISPLAY_FIELDS = ("show_test", "discretize", "log_scale", "show_delta", "show_health", "health_colors")


def display_controls(container, hidden=frozenset()) -> None:
    """Display toggles, shown beside the pictures."""
    for name in DISPLAY_FIELDS:
        if name not in hidden:
            container.checkbox(SCHEMA[name].label, key=_key(name))


def sidebar(hidden=frozenset()) -> None:
    """The sidebar: data, features and network, training; a field in ``hidden`` has no control."""
    data_controls(hidden)
    network_controls(hidden)
    training_controls(hidden)


def run_bar(hidden, presenting: bool = False) -> None:
    """Play, Step, Reset and the speed; under them (not in presentation mode) Slow step."""
    (speed, _) = shared_run_bar(
        K.LOOP,
        on_step=step,
        on_reset=reset,
        step_help="Train one epoch (after a slow step, the rest of the epoch under way)",
        reset_help="Back to epoch 0 with the same initial weights",
    )
    if "speed" not in hidden:
        speed.select_slider(SCHEMA["speed"].label, SPEEDS, key=_key("speed"))
    if not presenting and not compare_panel.comparing(current()):  # a slow step would leave run B behind
        slow_step_button(current(), st)
