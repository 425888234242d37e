"""The Universal approximation page's controls: sidebar widgets in, a configuration dict
out, and the buttons' callbacks (which run before the script, so they may set widgets).

Each widget's key is ``ApproxKeys.widget(field)``; widget values vanish when the page is
not shown, so the lasting configuration lives under ``ApproxKeys.CONFIG`` and seeds them.
"""

import streamlit as st

from engine.approximation import FORMULA, INITIALIZER_CHOICES, SPREAD
from engine.datasets import TARGET_LABELS, formula_target
from engine.formula import FUNCTIONS, FormulaError
from engine.optimizers import OPTIMIZERS
from ui.approximation_run import (
    ACTIVATION_ORDER,
    BATCH_SIZES,
    BUDGETS,
    DEPTH_EPOCHS,
    GROW_MODES,
    MAX_NEURONS,
    SPEEDS,
    SWEEP_EPOCHS,
    TARGETS,
    build_run,
    train,
)
from ui.approximation_text import JUMP_CAVEAT, LINEAR_NOTE, STEP_NOTE
from ui.live_loop import training_lock
from ui.state import ApproxKeys as K

LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
GROW_LABELS = {"off": "keep training", "+1": "add a neuron", "×2": "double the neurons"}
INITIALIZER_LABELS = {SPREAD: "spread"}


def plain(text: str) -> str:
    """``text`` shown literally in Streamlit's Markdown: a formula's ``*`` and ``**`` must
    not turn into italics and bold (nor its ``$`` into mathematics)."""
    return "".join("\\" + c if c in MARKDOWN_SPECIALS else c for c in text)


MARKDOWN_SPECIALS = set("\\`*_{}[]<>()#+-.!|$~^&:")


def _key(field: str) -> str:
    return K.widget(field)


def seed_widgets(config: dict) -> None:
    """Give every widget the lasting config's value unless it already has one."""
    for name, value in config.items():
        st.session_state.setdefault(_key(name), value)


def _formula_box() -> None:
    """The formula input, with the evaluator's message (and a caret) under it when it
    cannot be used. The formula is parsed by engine.formula, never run as Python."""
    st.sidebar.text_input(
        "f(x) =",
        key=_key("formula"),
        max_chars=200,
        help=f"In x, with + − * / ** ( ), pi, e and {', '.join(FUNCTIONS)}. Example: sin(3*x) + 0.5*x**2",
    )
    try:
        formula_target(st.session_state[_key("formula")])
    except FormulaError as error:
        st.sidebar.error(f"That formula cannot be used: {plain(str(error))}.", icon="✋")
        st.sidebar.code(error.caret, language=None)


def sidebar() -> None:
    bar = st.sidebar
    bar.subheader("Target")
    bar.selectbox("Function to approximate", TARGETS, key=_key("target"), format_func=_target_label)
    if st.session_state[_key("target")] == FORMULA:
        _formula_box()
    bar.slider("Samples", 20, 1000, step=10, key=_key("n_samples"))
    bar.slider("Noise (% of the target's range)", 0, 50, key=_key("noise"))
    bar.number_input("Data seed", 0, 2**31 - 1, key=_key("data_seed"))
    bar.subheader("Network: one hidden layer")
    bar.number_input(
        "Hidden neurons",
        1,
        MAX_NEURONS,
        key=_key("width"),
        help="Changing it adds neurons (output weight 0: the fit does not jump) or removes the weakest ones, "
        "keeping what was learned. Reset starts afresh at this width.",
    )
    bar.selectbox("Activation", ACTIVATION_ORDER, key=_key("activation"))
    left, right = bar.columns([3, 2])
    left.selectbox(
        "Initializer",
        INITIALIZER_CHOICES,
        key=_key("initializer"),
        format_func=lambda k: INITIALIZER_LABELS.get(k, k),
        help="spread: each neuron's kink (or centre) at a random place in [−2, 2], slopes ±0.5 to 2; "
        "the others as on the Playground",
    )
    right.number_input("Weights seed", 0, 2**31 - 1, key=_key("init_seed"))
    bar.subheader("Training")
    bar.selectbox("Optimizer", list(OPTIMIZERS), key=_key("optimizer"))
    bar.select_slider("Learning rate", LEARNING_RATES, key=_key("learning_rate"), format_func=lambda r: f"{r:g}")
    bar.select_slider("Batch size", BATCH_SIZES, key=_key("batch_size"), help="all: one step per epoch")


def _target_label(key: str) -> str:
    return "Your formula" if key == FORMULA else TARGET_LABELS.get(key, key)


def gather(config: dict) -> dict:
    """The configuration the widgets now show (fields without a widget keep their value)."""
    new = dict(config)
    for name in config:
        value = st.session_state.get(_key(name))
        if value is not None:
            new[name] = value
    return new


# ---- callbacks: they run before the script, so they may set widget values --------------


def _run():
    return st.session_state.get(K.RUN)


def step() -> None:
    run = _run()
    if run is not None:
        with training_lock():
            train(run, 1)


def reset() -> None:
    """Back to epoch 0 with the same initial weights, at the current width."""
    run = _run()
    if run is not None:
        st.session_state[K.RUN] = build_run(run.config)
    st.session_state[K.PLAYING] = False


def _change_width(delta: int) -> None:
    """The surgery buttons only move the neuron-count box; the full run that follows
    brings the network to that count (``sync_run``, an absolute operation). While Play is
    on, Streamlit may interrupt that run and call the callback again on the session state
    as it was before, so a callback that changed the network itself could add two."""
    key = _key("width")
    st.session_state[key] = min(max(int(st.session_state[key]) + delta, 1), MAX_NEURONS)


def add_neuron() -> None:
    _change_width(+1)


def remove_weakest() -> None:
    _change_width(-1)


def request(key: str) -> None:
    """A batch job (sweep, comparison) runs in the next full run, with Play switched off."""
    st.session_state[key] = True
    st.session_state[K.PLAYING] = False


# ---- the rows above and below the pictures ----------------------------------------------


def run_bar(run) -> None:
    cols = st.columns([1.0, 0.9, 0.9, 1.5, 1.8, 2.3], vertical_alignment="center")
    cols[0].toggle("Play", key=K.PLAYING, help="Train continuously; switch off to pause")
    cols[1].button("Step", on_click=step, help="Train one epoch", width="stretch")
    cols[2].button("Reset", on_click=reset, help="Back to epoch 0 with the same initial weights", width="stretch")
    cols[3].button(
        "Add a neuron",
        on_click=add_neuron,
        icon=":material/add:",
        disabled=run.width >= MAX_NEURONS,
        help="One more neuron, output weight 0: every trained weight is kept and the fit does not change "
        "until training moves it",
        width="stretch",
    )
    cols[4].button(
        "Remove the weakest",
        on_click=remove_weakest,
        icon=":material/remove:",
        disabled=run.width <= 1,
        help="Drop the neuron with the smallest output weight |v|",
        width="stretch",
    )
    cols[5].select_slider("Speed (epochs per frame)", SPEEDS, key=_key("speed"))
    st.segmented_control(
        "Each time training settles",
        GROW_MODES,
        key=_key("grow"),
        format_func=GROW_LABELS.get,
        on_change=_never_empty,
        help="Training has settled when the loss fell less than 1 % over the last 200 epochs. Its error is then "
        "recorded in the chart on the right; with add or double, the network then grows and training goes on.",
    )


def _never_empty() -> None:
    if st.session_state.get(_key("grow")) is None:  # a click on the chosen option unselects it
        st.session_state[_key("grow")] = "off"


def sweep_controls() -> None:
    left, right, _ = st.columns([1.4, 2.2, 3], vertical_alignment="bottom")
    left.selectbox("Epochs per width", SWEEP_EPOCHS, key=_key("sweep_epochs"))
    right.button(
        "Sweep widths 1, 2, 4, …, 128",
        on_click=request,
        args=(K.SWEEP_REQUEST,),
        icon=":material/stacked_line_chart:",
        help="Train a fresh network of each width with the settings above and draw its errors (dashed) in "
        "the error-versus-neurons chart",
    )


def depth_controls() -> None:
    left, middle, right, _ = st.columns([2.2, 1.4, 1.8, 1.6], vertical_alignment="bottom")
    left.select_slider("Parameter budget", BUDGETS, key=_key("budget"))
    middle.selectbox("Epochs", DEPTH_EPOCHS, key=_key("depth_epochs"))
    right.button("Train side by side", on_click=request, args=(K.DEPTH_REQUEST,), icon=":material/compare_arrows:")


def notes(run) -> None:
    """What this setup shows beyond the theorem: a jump, a step or a linear activation."""
    activation = run.network.hidden_activation_names[0]
    if run.discontinuous:
        st.info(JUMP_CAVEAT, icon="⚡")
    if activation == "step":
        st.caption(STEP_NOTE, unsafe_allow_html=True)
    if activation == "linear":
        st.caption(LINEAR_NOTE)


def progress_bar(what: str):
    """A progress bar and the callback that advances it (the bar is cleared by the caller)."""
    bar = st.progress(0.0, text=f"Training {what} …")

    def advance(done: int, total: int, result) -> None:
        bar.progress(done / total, text=f"Trained {done} of {total}: {'-'.join(map(str, result.sizes))}")

    return bar, advance
