"""The Universal approximation page's controls: the sidebar's widgets (target, network,
training), the run bar with the surgery buttons, and the rows of the sweep and the depth
comparison. Each field's widget key is ``K.LINK.widget(field)``; the shared toolkit
(``ui.live.widgets``) seeds them from the lasting config and reads them back through the
schema. A field in ``hidden`` has no control (its value stays as set)."""

import streamlit as st

from engine.approximation import FORMULA, SPREAD
from engine.datasets import TARGET_LABELS, formula_target
from engine.formula import FUNCTIONS, FormulaError
from ui.approximation import batch, figures, session, text
from ui.approximation.config import (
    ACTIVATION_ORDER,
    BATCH_SIZES,
    BUDGETS,
    DEPTH_EPOCHS,
    GROW_MODES,
    LEARNING_RATES,
    MAX_NEURONS,
    SCHEMA,
    SPEEDS,
    SWEEP_EPOCHS,
    TARGETS,
    TEETH,
)
from ui.approximation.run import (
    SAWTOOTH,
    ApproximationRun,
    depth_outcome,
    depth_signature,
    preset_config,
    preset_url,
    target_of,
)
from ui.live.markdown import plain
from ui.live.widgets import run_bar as shared_run_bar
from ui.live.widgets import set_button
from ui.state import ApproxKeys as K

GROW_LABELS = {"off": "keep training", "add": "add a neuron", "double": "double the neurons"}
INITIALIZER_LABELS = {SPREAD: "spread"}


def _key(field: str) -> str:
    return K.LINK.widget(field)


def _label(field: str) -> str:
    return SCHEMA[field].label


def _target_label(key: str) -> str:
    return "Your formula" if key == FORMULA else TARGET_LABELS.get(key, key)


def _formula_box() -> None:
    """The formula input, with the evaluator's message (and a caret) under it when it
    cannot be used. The formula is parsed by engine.formula, never run as Python."""
    st.sidebar.text_input(
        "f(x) =",
        key=_key("formula"),
        max_chars=int(SCHEMA["formula"].high),
        help=f"In x, with + − * / ** ( ), pi, e and {', '.join(FUNCTIONS)}. Example: sin(3*x) + 0.5*x**2",
    )
    try:
        formula_target(st.session_state[_key("formula")])
    except FormulaError as error:
        st.sidebar.error(f"That formula cannot be used: {plain(str(error))}.", icon=":material/front_hand:")
        st.sidebar.code(error.caret, language=None)


def _int_input(container, field: str) -> None:
    f = SCHEMA[field]
    container.number_input(f.label, int(f.low), int(f.high), key=_key(field))


def _shown(fields: tuple[str, ...], hidden) -> bool:
    return any(f not in hidden for f in fields)


def sidebar(hidden=frozenset()) -> None:
    """Target, network and training: every field whose control is not hidden."""
    bar = st.sidebar
    if _shown(("target", "formula", "n_samples", "noise", "data_seed"), hidden):
        bar.subheader("Target")
    if "target" not in hidden:
        bar.selectbox(_label("target"), TARGETS, key=_key("target"), format_func=_target_label)
    if st.session_state[_key("target")] == FORMULA and "formula" not in hidden:
        _formula_box()
    if st.session_state[_key("target")] == SAWTOOTH and "teeth" not in hidden:
        bar.select_slider(
            _label("teeth"),
            TEETH,
            key=_key("teeth"),
            help="How many teeth the sawtooth has on [−2, 2]; 4 is 2(x − floor(x)) − 1",
        )
    for field in ("n_samples", "noise"):
        if field not in hidden:
            f = SCHEMA[field]
            bar.slider(f.label, int(f.low), int(f.high), step=int(f.step or 1), key=_key(field))
    if "data_seed" not in hidden:
        _int_input(bar, "data_seed")
    if _shown(("neurons", "activation", "initializer", "init_seed"), hidden):
        bar.subheader("Network: one hidden layer")
    if "neurons" not in hidden:
        f = SCHEMA["neurons"]
        bar.number_input(
            f.label,
            int(f.low),
            int(f.high),
            key=_key("neurons"),
            help="Changing it adds neurons (output weight 0: the fit does not jump) or removes the weakest ones, "
            "keeping what was learned. Reset starts afresh at this width.",
        )
    if "activation" not in hidden:
        bar.selectbox(_label("activation"), ACTIVATION_ORDER, key=_key("activation"))
    if "initializer" not in hidden:
        bar.selectbox(
            _label("initializer"),
            SCHEMA["initializer"].choices,
            key=_key("initializer"),
            format_func=lambda k: INITIALIZER_LABELS.get(k, k),
            help="spread: each neuron's kink (or centre) at a random place in [−2, 2], slopes ±0.5 to 2; "
            "the others as on the Playground",
        )
    if "init_seed" not in hidden:
        _int_input(bar, "init_seed")
    if _shown(("optimizer", "learning_rate", "batch_size"), hidden):
        bar.subheader("Training")
    if "optimizer" not in hidden:
        bar.selectbox(_label("optimizer"), SCHEMA["optimizer"].choices, key=_key("optimizer"))
    if "learning_rate" not in hidden:
        bar.select_slider(
            _label("learning_rate"), LEARNING_RATES, key=_key("learning_rate"), format_func=lambda r: f"{r:g}"
        )
    if "batch_size" not in hidden:
        bar.select_slider(_label("batch_size"), BATCH_SIZES, key=_key("batch_size"), help="all: one step per epoch")


def run_bar(run: ApproximationRun, hidden=frozenset()) -> None:
    """Play, Step, Reset and the surgery buttons, on one row (the speed and the growth are
    ``play_settings``: on the same row, labels were cut at 1280 px with the sidebar open)."""
    add, remove, _ = shared_run_bar(
        K.LOOP,
        on_step=session.step,
        on_reset=session.reset,
        reset_help="Back to epoch 0 with the same initial weights",
        extra=(1.6, 1.9, 1.2),
    )
    if "neurons" not in hidden:
        # Each sets the neurons box to the width it is drawn with, plus or minus one
        # (``set_button``: one click is one change, even when dispatched twice while playing);
        # the full run that follows brings the network to that count (``session.sync_run``).
        width = session.neurons_shown(run)
        set_button(
            add,
            "Add a neuron",
            key=K.ADD_NEURON,
            setting=session.NEURONS,
            value=min(width + 1, MAX_NEURONS),
            icon=":material/add:",
            disabled=width >= MAX_NEURONS,
            help="One more neuron, output weight 0: every trained weight is kept and the fit does not change "
            "until training moves it",
            width="stretch",
        )
        set_button(
            remove,
            "Remove the weakest",
            key=K.REMOVE_NEURON,
            setting=session.NEURONS,
            value=max(width - 1, 1),
            icon=":material/remove:",
            disabled=width <= 1,
            help="Drop the neuron with the smallest output weight |v|",
            width="stretch",
        )


def play_settings(hidden=frozenset()) -> None:
    """The speed and what happens each time training settles, on one row."""
    if _shown(("speed", "grow"), hidden):
        speed, grow = st.columns([2, 3], vertical_alignment="bottom")
        if "speed" not in hidden:
            speed.select_slider(_label("speed"), SPEEDS, key=_key("speed"))
        if "grow" not in hidden:
            grow.segmented_control(
                _label("grow"),
                GROW_MODES,
                key=_key("grow"),
                format_func=GROW_LABELS.get,
                on_change=_never_empty,
                help="Training has settled when the loss fell less than 1 % over the last 200 epochs. Its error is "
                "then recorded in the error chart; with add or double, the network then grows and training goes on.",
            )


def _never_empty() -> None:
    if st.session_state.get(_key("grow")) is None:  # a click on the chosen option unselects it
        st.session_state[_key("grow")] = "off"


def notes(run: ApproximationRun) -> None:
    """What this setup shows beyond the theorem: a step or a linear activation (a target
    that jumps: see ``session.jump_caveat``)."""
    activation = run.network.hidden_activation_names[0]
    if activation == "step":
        st.caption(text.STEP_NOTE, unsafe_allow_html=True)
    if activation == "linear":
        st.caption(text.LINEAR_NOTE)


def sweep_section(config: dict, hidden=frozenset()) -> None:
    """The sweep's button (and its epochs), the sweep itself when asked for, its summary."""
    st.markdown(text.SWEEP_INTRO)
    left, right, _ = st.columns([1.4, 2.2, 3], vertical_alignment="bottom")
    if "sweep_epochs" not in hidden:
        left.selectbox(_label("sweep_epochs"), SWEEP_EPOCHS, key=_key("sweep_epochs"))
    right.button(
        "Sweep widths 1, 2, 4, …, 128",
        key=K.SWEEP_BUTTON,
        on_click=session.request,
        args=(K.SWEEP_REQUEST,),
        icon=":material/stacked_line_chart:",
        help="Train a fresh network of each width with the settings above and draw its errors (dashed) in "
        "the error-versus-neurons chart",
    )
    batch.sweep_if_requested(config)  # a progress bar and Cancel while it trains
    results = session.stored(K.SWEEP, config)
    if results:
        first, last = results[0], results[-1]
        st.caption(
            f"Sweep, {st.session_state[K.SWEEP][1]:,} epochs per width: max error {first.max_error:.3f} with "
            f"{first.width} neuron → {last.max_error:.3f} with {last.width}; RMSE {first.rmse:.3f} → {last.rmse:.4f}."
        )


def depth_section(run: ApproximationRun, config: dict, hidden=frozenset()) -> None:
    """The same budget as one wide layer and as deeper ones, which won (in the run's
    numbers), and beside it the zigzag built by hand."""
    st.subheader(text.DEPTH_TITLE)
    st.markdown(text.DEPTH_INTRO)
    preset = preset_config()
    if depth_signature(config) != depth_signature(preset):
        left, right = st.columns([1.6, 3], vertical_alignment="center")
        left.button(
            text.PRESET_BUTTON,
            key=K.DEPTH_PRESET_BUTTON,
            on_click=session.open_depth_preset,
            icon=":material/stairs:",
            help="Open the setup of the measurement where trained depth wins; press Train side by side then",
            width="stretch",
        )
        right.caption(text.preset_caption(target_of(preset).label, preset, preset_url()))
    left, middle, right, _ = st.columns([2.2, 1.4, 1.8, 1.6], vertical_alignment="bottom")
    if "budget" not in hidden:
        left.select_slider(_label("budget"), BUDGETS, key=_key("budget"))
    if "depth_epochs" not in hidden:
        middle.selectbox(_label("depth_epochs"), DEPTH_EPOCHS, key=_key("depth_epochs"))
    right.button(
        "Train side by side",
        key=K.DEPTH_BUTTON,
        on_click=session.request,
        args=(K.DEPTH_REQUEST,),
        icon=":material/compare_arrows:",
    )
    batch.depth_if_requested(config)
    comparison = session.stored_depth(config)
    depth = config["zigzag_depth"]
    if comparison is not None:  # the chart, then the table under it at the full width (never cut at the right)
        results = comparison.results
        st.plotly_chart(figures.depth_picture(run, results), key=K.DEPTH_CHART)
        st.table(figures.depth_rows(results), hide_index=True)
        best = min(results, key=lambda r: r.max_error)
        st.caption(f"Lowest max error: {best.depth} hidden layer{'s' if best.depth > 1 else ''}.")
        st.markdown(text.depth_verdict(depth_outcome(comparison), comparison.epochs, depth))
    st.markdown(text.ZIGZAG_INTRO)
    left, right = st.columns([1, 2], vertical_alignment="center")
    if "zigzag_depth" not in hidden:
        f = SCHEMA["zigzag_depth"]
        left.slider(f.label, int(f.low), int(f.high), key=_key("zigzag_depth"))
    left.markdown(
        f"**{6 * depth + 1} parameters** make **{2**depth} straight pieces**. One hidden layer needs "
        f"{2**depth - 1} neurons ({3 * (2**depth - 1) + 1} parameters) for as many."
    )
    right.plotly_chart(figures.zigzag_picture(depth), key=K.ZIGZAG_CHART)
