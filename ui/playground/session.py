"""The Playground's run in this session: kept in step with the config, Step and Reset, and
the live update that trains and draws while Play is on."""

import streamlit as st

from engine.csv_data import CSVError, UserData, load_csv
from ui.live.loop import honour_pause_request, interval, play_update, training_lock
from ui.live.markdown import plain
from ui.live.panel import forget_sent
from ui.live.places import steady_place
from ui.playground import compare, figures, health_panel
from ui.playground.config import CSV_DATASET, SCHEMA
from ui.playground.run import (
    PlaygroundRun,
    add_point,
    advance,
    apply_live_settings,
    build_run,
    frame_seconds,
    frame_training,
)
from ui.playground.slot import SLOT
from ui.playground.trace import click_to_trace
from ui.state import PlaygroundKeys as K


def current() -> PlaygroundRun | None:
    return SLOT.current()


def uploaded_csv() -> tuple[UserData | None, str | None]:
    """(the uploaded CSV as UserData, why it cannot be used): parsed once per file; both
    None before a file is uploaded."""
    file = st.session_state.get(K.CSV)
    if file is None:
        return None, None
    parsed = st.session_state.get(K.CSV_PARSED)
    if not (parsed and parsed[0] == file.file_id):
        try:
            parsed = (file.file_id, load_csv(file.getvalue()), None)
        except CSVError as error:
            parsed = (file.file_id, None, f"{file.name} cannot be used: {error}.")
        st.session_state[K.CSV_PARSED] = parsed
    return parsed[1], parsed[2]


def sync_run(config: dict) -> None:
    """Keep the session's run in step with the config: a new run when data, features or
    architecture changed (and say so), live settings otherwise."""
    run = current()
    csv, csv_problem = uploaded_csv() if config["dataset"] == CSV_DATASET else (None, None)
    changed = SCHEMA.reset_needed(run.config, config) if run is not None else ["start"]
    if run is not None and config["dataset"] == CSV_DATASET and csv is not run.user_data:
        changed = changed or ["your CSV file"]
    if not changed:
        with training_lock():  # never while a live update of this session is training
            apply_live_settings(run, config)
            compare.follow_live_settings(run)  # run B takes them too, but for those it changes
        return
    try:
        SLOT.replace(lambda _: build_run(config, csv))  # no live update asked for before trains it
        st.session_state[K.BUILD_ERROR] = None
        if run is not None:
            st.session_state[K.NOTICE] = f"Training restarted from epoch 0: {', '.join(changed).lower()} changed."
    except ValueError as error:
        st.session_state[K.RUN] = None
        st.session_state[K.BUILD_ERROR] = csv_problem or str(error)  # said where the user looks
        st.session_state[K.LOOP.playing] = False


def step() -> None:
    """One epoch (the Step button)."""
    SLOT.step(lambda run: compare.train_both(run, 1))  # run A, and run B in lockstep


def reset() -> None:
    """Back to epoch 0 with the same seed, hence the very same initial weights."""
    SLOT.reset(lambda run: build_run(run.config, run.user_data))


def start_full_run() -> None:
    """At the top of a full run: a live update's request to pause takes effect, and a fix
    its diagnosis was asked for ("Try this")."""
    honour_pause_request(K.LOOP)
    health_panel.apply_pending_fix()


def _live(drawing: bool, tracing: bool) -> None:
    run = current()
    if run is None:
        return
    problem = steady_place()  # drawn in every run of the fragment: the panel after it keeps its place
    if compare.run_b(run) is not None:
        _live_compare(run)
        return
    if run.compare is not None:
        problem.warning(plain(f"Run B cannot train: {run.compare.problem}"), icon=":material/compare_arrows:")
    pick = st.session_state.get(K.TRACE_NEURON)
    result = play_update(
        K.LOOP,
        advance=lambda work: advance(run, work),
        offer=lambda work: frame_training(run, work),
        frame=lambda playing: figures.frame(run, playing=playing, clickable=drawing or tracing, pick=pick),
        grid=figures.panel_grid(run),
        can_train=run.diverged is None,
        frame_seconds=frame_seconds(run.config["speed"]),
        one_frame=drawing,  # drawing points: every click answered at once
    )
    if run.diverged:
        st.error(run.diverged, icon=":material/warning:")
    health_panel.diagnosis(run)  # what goes wrong, in the run's numbers, and a fix to try
    click = getattr(result, "click", None)
    if not (click and click.get("chart") == "output"):
        return
    if tracing:  # the trace is a setting (in the URL): a full run shows it everywhere
        st.session_state[K.LINK.widget("trace")] = click_to_trace(run, float(click["x"]), float(click["y"]))
        st.rerun()
    if drawing:
        add_point(run, float(click["x"]), float(click["y"]), st.session_state.get(K.CLASS_TO_DRAW, 1))
        st.rerun(scope="fragment")  # this run's pictures were drawn before the click was read


def _live_compare(run: PlaygroundRun) -> None:
    """The live panel while comparing: runs A and B in lockstep (ui/playground/compare.py)."""
    play_update(
        K.LOOP,
        advance=lambda work: compare.advance_both(run, work),
        frame=lambda playing: compare.frame(run, playing=playing),
        grid=compare.panel_grid(run),
        can_train=not compare.stopped(run),
        frame_seconds=frame_seconds(run.config["speed"]),
    )
    for message in compare.messages(run):
        st.error(message, icon=":material/warning:")


def live_pictures() -> None:
    """The live panel: the stats line and the four pictures, updated in place."""
    forget_sent(K.LOOP.panel)  # a full run: the panel may be new in the browser
    # Made a fragment in every full run: its interval follows the Play toggle and the speed.
    run = current()
    pace = frame_seconds(run.config["speed"]) if run is not None else None
    st.fragment(_live, run_every=interval(K.LOOP, pace))(
        bool(st.session_state.get(K.DRAW_MODE)), bool(st.session_state.get(K.TRACE_MODE))
    )
