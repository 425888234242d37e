"""The replay bar (issue 16): while paused, a timeline slider that shows the network as it
was at an earlier epoch, and "Continue from here", which branches training from there.
Streamlit UI; the logic lives in ui/playground/replay.py."""

import streamlit as st

from ui.live.loop import training_lock
from ui.playground.replay import continue_from, replay_epoch, replay_options
from ui.playground.run import PlaygroundRun
from ui.playground.session import current
from ui.state import PlaygroundKeys as K


def _pick() -> None:
    """The slider moved: show that epoch (its last option: the live network)."""
    run = current()
    if run is None:
        return
    options = replay_options(run)
    value = st.session_state.get(K.REPLAY)
    run.replay = value if value in options[:-1] else None


def _continue() -> None:
    """Continue from here: under the training lock, like Step; the page says what was dropped."""
    run = current()
    if run is None:
        return
    with training_lock():
        message = continue_from(run)
    if message:
        st.session_state[K.NOTICE] = message


def replay_bar(run: PlaygroundRun | None) -> None:
    """The slider and the button, when paused and the run has an earlier snapshot. Play
    ends replay (the live network again)."""
    if run is None:
        return
    if st.session_state.get(K.LOOP.playing):
        run.replay = None
        return
    options = replay_options(run)
    if len(options) < 2:
        run.replay = None
        return
    shown = replay_epoch(run)
    run.replay = shown
    wanted = options[-1] if shown is None else shown
    # Only when it differs (a replayed epoch dropped, or training moved "now"): a value set
    # through session state is pushed to the browser's slider, and setting it on every rerun
    # would overwrite keys the user pressed while that rerun ran.
    if st.session_state.get(K.REPLAY) != wanted:
        st.session_state[K.REPLAY] = wanted  # before the slider is drawn
    now = options[-1]
    slider, button = st.columns([5, 1.4], vertical_alignment="bottom")
    slider.select_slider(
        "Replay: epoch",
        options,
        key=K.REPLAY,
        on_change=_pick,
        format_func=lambda e: f"{e:,} (now)" if e == now else f"{e:,}",
        help="Move back to see the network as it was at that epoch (the snapshots kept as it trained); "
        "Play returns to the network as it is now.",
    )
    button.button(
        "Continue from here",
        key=K.REPLAY_CONTINUE,
        on_click=_continue,
        disabled=shown is None,
        icon=":material/call_split:",
        help="Train on from the epoch shown: the later epochs are dropped",
        width="stretch",
    )
