"""The network's health on the Playground, in Streamlit: the diagnosis under the live
pictures (one message per finding, each with a "Try this" button that applies its fix),
the learning rate that trains after a divergence (found once, in a full run), and the
failure presets. The words and numbers come from ui/playground/health.py."""

import streamlit as st

from engine.health import converging_rate, diagnose
from ui.live.loop import training_lock
from ui.live.markdown import plain
from ui.live.widgets import set_widgets
from ui.playground import health
from ui.playground.config import SCHEMA
from ui.playground.run import PlaygroundRun, build_run
from ui.playground.share import LINK
from ui.playground.slot import SLOT
from ui.state import PlaygroundKeys as K

SEARCH_EPOCHS, SEARCH_SECONDS = 300, 2.0  # converging_rate's budget for each divergence


def _divergence(run: PlaygroundRun):
    with training_lock():  # reads the history: never while a live update trains the run
        findings = diagnose(run.trainer)
    return findings, next((f for f in findings if f.kind == "divergence"), None)


def _rate_found(run: PlaygroundRun, divergence) -> bool:
    return run.converging is not None and run.converging[0] == divergence.numbers["learning_rate"]


def find_converging_rate(run: PlaygroundRun | None) -> None:
    """In a full run: after a divergence, look once for a smaller learning rate that trains
    from the same start (fresh runs of the same config), and keep it on the run."""
    if run is None:
        return
    _, divergence = _divergence(run)
    if divergence is None or _rate_found(run, divergence):
        return
    lr = divergence.numbers["learning_rate"]

    def make_trainer(rate: float):
        return build_run({**run.config, "learning_rate": rate}, run.user_data).trainer

    with st.spinner("Looking for a learning rate that trains…"):
        try:
            found = converging_rate(make_trainer, lr, epochs=SEARCH_EPOCHS, time_budget=SEARCH_SECONDS)
        except ValueError:  # a setup that cannot be rebuilt: no rate to offer
            found = None
    if found is not None:
        found = float(SCHEMA.coerce("learning_rate", found))
    run.converging = (lr, found)


def _ask_for_fix(changes: dict, said: str) -> None:
    """The "Try this" button (in the live update): the fix waits for the full run the
    update then asks for. Widgets outside the live update cannot be set from it: the
    browser's next request would put their old values back."""
    st.session_state[K.HEALTH_FIX] = (changes, said)


def apply_pending_fix() -> None:
    """At the top of a full run, before the widgets are drawn: a fix asked for takes
    effect through the widgets (so the sidebar and the URL follow), training starts again
    from epoch 0 with it, and plays."""
    pending = st.session_state.pop(K.HEALTH_FIX, None)
    if pending is None:
        return
    changes, said = pending
    run = st.session_state.get(K.RUN)
    config = {**LINK.read_once(), **changes}
    st.session_state[K.LINK.config] = config
    set_widgets(K.LINK, changes)
    try:
        SLOT.replace(lambda _: build_run(config, run.user_data if run is not None else None))
    except ValueError:
        SLOT.replace(lambda _: None)  # the full run says why it cannot train
        return
    st.session_state[K.NOTICE] = plain(said)
    st.session_state[K.LOOP.playing] = True


def diagnosis(run: PlaygroundRun) -> None:
    """Inside the live fragment, under the pictures: one message per finding, in the run's
    numbers, each with a "Try this" button."""
    if K.HEALTH_FIX in st.session_state:
        st.rerun(scope="app")  # "Try this" was pressed: the full run applies the fix
    findings, divergence = _divergence(run)
    if divergence is not None and not _rate_found(run, divergence):
        st.rerun(scope="app")  # the full run looks for a rate that trains (once per divergence)
    converging = run.converging[1] if divergence is not None else None
    if divergence is not None:  # the rest follows the exploding steps: named, not prescribed for
        others = [health.finding_name(f, run.network.n_layers) for f in findings if f is not divergence]
        findings = [divergence]
    for finding in findings:
        from_start = finding.kind == "saturated" and health.saturated_from_start(run, finding.layer)
        advice = health.advise(finding, run.config, run.network.n_layers, converging=converging, from_start=from_start)
        text, button = st.columns([7, 1], vertical_alignment="center")
        text.warning(f"**{advice.title}.** {plain(advice.text)}", icon=":material/stethoscope:")
        button.button(
            "Try this",
            key=K.health_fix(advice.kind, advice.layer),
            on_click=_ask_for_fix,
            args=(advice.fix, advice.applied),
            help=f"Set {advice.change}, start again from epoch 0 and play",
            width="stretch",
        )
    if divergence is not None and others:
        st.caption(plain(f"Also found while the loss explodes: {'; '.join(others)}."))


def _open_preset(name: str) -> None:
    config = health.preset_config(name)
    LINK.replace(config)  # its widgets are seeded from it in the next run
    try:
        SLOT.replace(lambda _: build_run(config))
    except ValueError:
        SLOT.replace(lambda _: None)
    st.session_state[K.LOOP.playing] = False
    st.session_state[K.NOTICE] = plain(f"{health.PRESETS[name][0]}: press Play and watch the health view.")


def failure_presets(run: PlaygroundRun | None) -> None:
    """With the health view on: a row of buttons, each opening a setup that shows a failure."""
    if run is None or not run.config.get("show_health"):
        return
    columns = st.columns([1.3, *([1] * len(health.PRESETS))], vertical_alignment="center")
    columns[0].markdown("**Show a failure:**")
    for column, (name, (label, _)) in zip(columns[1:], health.PRESETS.items()):
        column.button(
            label,
            key=K.health_preset(name),
            on_click=_open_preset,
            args=(name,),
            help=f"Open the Playground set up to show it; its link: `{health.preset_url(name)}`",
            width="stretch",
        )
