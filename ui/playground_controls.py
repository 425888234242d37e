"""The Playground's controls in the sidebar: widgets in, a configuration dict out.

Each widget's key is ``Keys.widget(field)``; widget values vanish when the page is not
shown, so the lasting configuration lives under ``Keys.CONFIG`` and seeds the widgets.
"""

import streamlit as st

from engine.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS
from engine.datasets import CLASSIFICATION, REGRESSION, make_dataset, new_seed
from engine.features import FEATURES
from engine.initializers import INITIALIZERS
from engine.losses import LOSSES
from engine.optimizers import OPTIMIZERS
from ui.charts.previews import dataset_preview_svg, svg_data_uri
from ui.state import CSV_DATASET, FIELD, LEARNING_RATES, MAX_HIDDEN_LAYERS, MAX_NEURONS, Keys

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
    return Keys.widget(field)


def seed_widgets(config: dict) -> None:
    """Give every widget the lasting config's value unless it already has one."""
    for name, value in config.items():
        key = _key(name)
        if key not in st.session_state:
            st.session_state[key] = list(value) if isinstance(value, tuple) else value


@st.cache_data(show_spinner=False)
def _preview(key: str) -> str:
    data = make_dataset(key, 120, 0.0, 1)
    return svg_data_uri(dataset_preview_svg(data.X, data.y, data.n_classes if data.problem == "classification" else 0))


def _set(field: str, value) -> None:
    st.session_state[_key(field)] = value


def data_controls() -> None:
    st.sidebar.subheader("Data")
    problem = st.sidebar.segmented_control(
        FIELD["problem"].label,
        ("classification", "regression"),
        key=_key("problem"),
        on_change=_match_dataset_to_problem,
    )
    family = [*(CLASSIFICATION if problem != "regression" else REGRESSION), CSV_DATASET]
    previews = "".join(
        f'<div style="text-align:center;font-size:11px;width:60px"><img src="{_preview(k)}" width="56" height="56">'
        f"<br>{DATASET_LABELS[k]}</div>"
        for k in family
        if k != CSV_DATASET
    )
    st.sidebar.html(f'<div style="display:flex;flex-wrap:wrap;gap:6px">{previews}</div>')
    st.sidebar.selectbox(FIELD["dataset"].label, family, key=_key("dataset"), format_func=DATASET_LABELS.get)
    if st.session_state[_key("dataset")] == CSV_DATASET:
        st.sidebar.file_uploader("CSV: numeric feature columns, then the label column", type=["csv"], key=Keys.CSV)
        return
    st.sidebar.slider(FIELD["train_percent"].label, 10, 90, step=10, key=_key("train_percent"))
    st.sidebar.slider(FIELD["noise"].label, 0, 50, step=5, key=_key("noise"))
    st.sidebar.slider(FIELD["n_samples"].label, 50, 2000, step=50, key=_key("n_samples"))
    left, right = st.sidebar.columns([3, 2], vertical_alignment="bottom")
    left.number_input(FIELD["data_seed"].label, 0, FIELD["data_seed"].high, key=_key("data_seed"))
    right.button("Regenerate", on_click=lambda: _set("data_seed", new_seed()), help="New data from a new seed")


def _match_dataset_to_problem() -> None:
    problem = st.session_state[_key("problem")] or "classification"
    st.session_state[_key("problem")] = problem
    family = CLASSIFICATION if problem == "classification" else REGRESSION
    if st.session_state[_key("dataset")] not in family:
        st.session_state[_key("dataset")] = next(iter(family))


def _layer_buttons(sizes: list[int]) -> None:
    """Hidden layers with + and - per layer, as TensorFlow Playground."""

    def change_layers(delta: int) -> None:
        layers = list(st.session_state[_key("hidden")])
        layers = [*layers, 4] if delta > 0 else layers[:-1]
        _set("hidden", layers[:MAX_HIDDEN_LAYERS])

    def change_neurons(i: int, delta: int) -> None:
        layers = list(st.session_state[_key("hidden")])
        layers[i] = min(max(layers[i] + delta, 1), MAX_NEURONS)
        _set("hidden", layers)

    minus, label, plus = st.sidebar.columns([1, 3, 1], vertical_alignment="center")
    minus.button(
        "−",
        key="pg.layers.minus",
        on_click=change_layers,
        args=(-1,),
        disabled=not sizes,
        help="Remove the last hidden layer",
    )
    label.markdown(f"**{len(sizes)} hidden layer{'s' if len(sizes) != 1 else ''}**")
    plus.button(
        "+",
        key="pg.layers.plus",
        on_click=change_layers,
        args=(1,),
        disabled=len(sizes) >= MAX_HIDDEN_LAYERS,
        help="Add a hidden layer",
    )
    for i, n in enumerate(sizes):
        minus, label, plus = st.sidebar.columns([1, 3, 1], vertical_alignment="center")
        minus.button("−", key=f"pg.neurons.minus.{i}", on_click=change_neurons, args=(i, -1), disabled=n <= 1)
        label.markdown(f"layer {i + 1}: {n} neuron{'s' if n != 1 else ''}")
        plus.button("+", key=f"pg.neurons.plus.{i}", on_click=change_neurons, args=(i, 1), disabled=n >= MAX_NEURONS)


def network_controls() -> None:
    st.sidebar.subheader("Features")
    if st.session_state[_key("dataset")] != CSV_DATASET:
        st.sidebar.pills(
            FIELD["features"].label,
            list(FEATURES),
            selection_mode="multi",
            key=_key("features"),
            format_func=lambda k: FEATURES[k][0],
            label_visibility="collapsed",
        )
    st.sidebar.subheader("Network")
    _layer_buttons(list(st.session_state[_key("hidden")]))
    st.sidebar.selectbox(FIELD["activation"].label, list(ACTIVATIONS), key=_key("activation"))
    left, right = st.sidebar.columns(2)
    left.selectbox(FIELD["loss"].label, ["auto", *LOSSES], key=_key("loss"))
    right.selectbox(FIELD["output_activation"].label, ["auto", *OUTPUT_ACTIVATIONS], key=_key("output_activation"))
    left, right = st.sidebar.columns(2)
    left.selectbox(FIELD["initializer"].label, list(INITIALIZERS), key=_key("initializer"))
    right.number_input(FIELD["init_seed"].label, 0, FIELD["init_seed"].high, key=_key("init_seed"))


def training_controls() -> None:
    st.sidebar.subheader("Training")

    def pick_rate() -> None:
        _set("learning_rate", float(st.session_state["pg.lr_preset"]))

    left, right = st.sidebar.columns(2)
    left.selectbox(
        "Learning rate",
        LEARNING_RATES,
        key="pg.lr_preset",
        on_change=pick_rate,
        index=None,
        placeholder="presets",
        format_func=lambda r: f"{r:g}",
    )
    right.number_input("or type it", 1e-5, 10.0, key=_key("learning_rate"), format="%g", step=0.01)
    st.sidebar.slider(FIELD["batch_size"].label, 1, 100, key=_key("batch_size"))
    optimizer = st.sidebar.selectbox(FIELD["optimizer"].label, list(OPTIMIZERS), key=_key("optimizer"))
    if optimizer == "momentum":
        left, right = st.sidebar.columns([3, 2], vertical_alignment="bottom")
        left.slider(FIELD["momentum"].label, 0.0, 0.99, step=0.01, key=_key("momentum"))
        right.checkbox(FIELD["nesterov"].label, key=_key("nesterov"))
    elif optimizer == "rmsprop":
        st.sidebar.slider(FIELD["rho"].label, 0.0, 0.999, step=0.001, key=_key("rho"), format="%.3f")
    elif optimizer == "adam":
        left, right = st.sidebar.columns(2)
        left.number_input(FIELD["beta1"].label, 0.0, 0.999, key=_key("beta1"), format="%.3f")
        right.number_input(FIELD["beta2"].label, 0.0, 0.9999, key=_key("beta2"), format="%.4f")
    left, right = st.sidebar.columns(2)
    left.selectbox(
        FIELD["regularization"].label,
        ["none", "l1", "l2"],
        key=_key("regularization"),
        format_func={"none": "none", "l1": "L1", "l2": "L2"}.get,
    )
    right.selectbox(
        FIELD["regularization_rate"].label,
        [0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0],
        key=_key("regularization_rate"),
        format_func=lambda r: f"{r:g}",
    )


def display_controls(container) -> None:
    """Display toggles, shown beside the pictures."""
    for name in ("show_test", "discretize", "log_scale", "show_delta"):
        container.checkbox(FIELD[name].label, key=_key(name))


def gather(config: dict) -> dict:
    """The configuration the widgets now show (fields without a widget keep their value)."""
    new = dict(config)
    for name in config:
        key = _key(name)
        if key in st.session_state and st.session_state[key] is not None:
            value = st.session_state[key]
            new[name] = tuple(value) if isinstance(value, list) else value
    if not new["features"]:
        new["features"] = config["features"]  # at least one feature: keep the last choice
        _set("features", list(config["features"]))
    return new
