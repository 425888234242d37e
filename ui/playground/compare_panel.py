"""Compare on the page: the share panel's Compare tab, where the user picks a setting run B
changes and its value (the URL then carries ``compare=...``), and the line over the
pictures while comparing. Streamlit UI; the logic lives in ui/playground/compare.py."""

import streamlit as st

from ui.live.link import format_value
from ui.live.markdown import plain
from ui.playground import compare
from ui.playground.config import SCHEMA
from ui.state import PlaygroundKeys as K

COMPARE_WIDGET = K.LINK.widget("compare")


# Display toggles of the single-run pictures (ΔW, the health chart and outlines): not drawn
# while comparing, so none is offered then (their values are kept for after).
SINGLE_RUN_DISPLAY = frozenset({"show_delta", "show_health", "health_colors"})


def display_hidden(run, hidden: frozenset) -> frozenset:
    """The display toggles to leave out: those the link hid, and while comparing those of
    pictures the compare panel does not draw."""
    return hidden | SINGLE_RUN_DISPLAY if comparing(run) else hidden


def comparing(run) -> bool:
    """Run B trains beside ``run``."""
    return run is not None and compare.run_b(run) is not None


def _set_compare(text: str) -> None:
    """From a callback: run B's settings become ``text`` (the next full run rebuilds both
    runs from epoch 0, paused)."""
    st.session_state[COMPARE_WIDGET] = text
    st.session_state[K.LOOP.playing] = False
    st.session_state[K.COMPARE_PROBLEM] = None


def _add() -> None:
    """The pair picked joins run B's settings (replacing that setting's value if given)."""
    name = st.session_state.get(K.COMPARE_FIELD)
    raw = str(st.session_state.get(K.COMPARE_VALUE) or "").strip()
    try:
        pairs = compare.parse_compare(st.session_state[K.LINK.config].get("compare", ""))
        pairs.update(compare.parse_compare(f"{name}:{raw}"))
        text = compare.format_compare(pairs)
        compare.parse_compare(text)  # not too long
    except ValueError as problem:
        st.session_state[K.COMPARE_PROBLEM] = str(problem)
        return
    _set_compare(text)


def _stop() -> None:
    _set_compare("")


def _check_text() -> None:
    """The text box's callback: a text that cannot be used is refused, with a message, and
    the box shows run B's settings as they were."""
    try:
        st.session_state[COMPARE_WIDGET] = compare.normal_compare(st.session_state.get(COMPARE_WIDGET) or "")
        st.session_state[K.COMPARE_PROBLEM] = None
        st.session_state[K.LOOP.playing] = False
    except ValueError as problem:
        st.session_state[K.COMPARE_PROBLEM] = str(problem)
        st.session_state[COMPARE_WIDGET] = st.session_state[K.LINK.config].get("compare", "")


def compare_tab(config: dict) -> None:
    """The share panel's Compare tab."""
    st.caption(
        "Run B starts as this run starts (the same data, split and mini-batch order, and the same "
        "initial weights when its network has the same shape and activations) with the settings you "
        "change here; both train side by side, epoch for epoch. "
        "A link to this setup (Share a link) then opens both."
    )
    pick, value, add = st.columns([2, 2, 1.2], vertical_alignment="bottom")
    name = pick.selectbox(
        "Setting that differs in run B",
        compare.COMPARABLE,
        index=compare.COMPARABLE.index("learning_rate"),  # the first thing to compare
        key=K.COMPARE_FIELD,
        format_func=lambda n: SCHEMA[n].label,
    )
    now = format_value(SCHEMA, name, config[name]).replace(",", compare.LAYER_SEPARATOR)
    value.text_input(
        "Its value in run B",
        key=K.COMPARE_VALUE,
        placeholder=f"run A: {now}",
        help="As the link writes it: 0.3, relu, adam, 8;8 for two hidden layers of 8 (none: no hidden layer)",
    )
    add.button("Compare", key=K.COMPARE_ADD, on_click=_add, icon=":material/compare_arrows:", width="stretch")
    st.text_input(
        "Run B's settings (setting:value between commas; hidden layers with ; between them)",
        key=COMPARE_WIDGET,
        on_change=_check_text,
        placeholder="e.g. learning_rate:0.3 or activation:relu,hidden:8;8",
    )
    problem = st.session_state.get(K.COMPARE_PROBLEM)
    if problem:
        st.error(plain(f"Not compared: {problem}."), icon=":material/front_hand:")
    if config.get("compare"):
        st.button("Stop comparing", key=K.COMPARE_STOP_TAB, on_click=_stop, icon=":material/close:")


def compare_bar(run) -> None:
    """Over the pictures while comparing: what run B changes, how both start, and a way out."""
    b, names = compare.run_b(run), run.compare.names
    start = (
        "the same initial weights"
        if compare.same_architecture(run.network, b.network)
        else "initial weights from the same seed"
    )
    a_is, b_is = compare.describe(run.config, names), compare.describe(b.config, names)
    text, stop = st.columns([5, 1.2], vertical_alignment="center")
    text.markdown(
        plain(f"Comparing run A ({a_is}) with run B ({b_is}): the same data, split and mini-batch order, {start}.")
    )
    stop.button("Stop comparing", key=K.COMPARE_STOP, on_click=_stop, icon=":material/close:", width="stretch")
