"""The Universal approximation run in this session: kept in step with the config, Step,
Reset and the surgery buttons, the live update that trains and draws while Play is on,
and the batch jobs (the width sweep, the depth comparison)."""

import streamlit as st

from ui.approximation import figures, text
from ui.approximation.config import SCHEMA
from ui.approximation.run import (
    ApproximationRun,
    DepthComparison,
    advance,
    apply_live_settings,
    build_run,
    depth_signature,
    preset_config,
    reset_needed,
    resize,
    samples_around_jump,
    settled_rows,
    signature,
    train,
)
from ui.live.loop import RunSlot, honour_pause_request, interval, play_update, training_lock
from ui.live.panel import forget_sent
from ui.live.places import steady_place
from ui.live.share import PageLink
from ui.state import ApproxKeys as K

LINK = PageLink(SCHEMA, K.LINK)
NEURONS = K.LINK.widget("neurons")


SLOT = RunSlot(K.RUN, K.LOOP)


def current() -> ApproximationRun | None:
    return SLOT.current()


def start_full_run() -> None:
    """At the top of a full run, before the widgets are drawn: a live update's request to
    pause takes effect, and after the network grew in a live update the neurons box shows
    its new width (an update cannot change a widget that the full run drew)."""
    honour_pause_request(K.LOOP)
    run = current()
    if st.session_state.pop(K.GREW, False) and run is not None:
        st.session_state[NEURONS] = run.width


def sync_run(config: dict) -> None:
    """Keep the session's run in step with the config: a new run when the target, data or
    network kind changed (and say so), surgery when only the width did, live settings else.
    A formula that cannot be used leaves the last good run training."""
    run = current()
    changed = reset_needed(run.config, config) if run is not None else ["start"]
    st.session_state[K.BUILD_ERROR] = None
    if changed:
        try:
            SLOT.replace(lambda _: build_run(config))  # no live update asked for before trains it
            if run is not None:
                st.session_state[K.NOTICE] = f"Training restarted from epoch 0: {', '.join(changed).lower()} changed."
            return
        except ValueError as error:
            st.session_state[K.BUILD_ERROR] = f"That formula cannot be used: {error}."
            if run is None:
                return
    with training_lock():  # never while a live update of this session is training
        apply_live_settings(run, config)  # never the fields that reset: run.config stays buildable
        resize(run, config["neurons"])


def step() -> None:
    """One epoch (the Step button)."""
    SLOT.step(lambda run: train(run, 1))


def reset() -> None:
    """Back to epoch 0 with the same initial weights, at the current width."""
    SLOT.reset(lambda run: build_run(run.config))


def neurons_shown(run: ApproximationRun) -> int:
    """The width the neurons box shows (the run's, before the box has a value): what the
    surgery buttons start from when they are drawn (``ui.live.widgets.set_button``)."""
    return int(st.session_state.get(NEURONS, run.width))


def request(key: str) -> None:
    """A batch job (sweep, comparison) runs in the next full run, with Play switched off."""
    st.session_state[key] = True
    st.session_state[K.LOOP.playing] = False


def stored(key: str, config: dict, *extra):
    """The stored results of the sweep, if made with the present settings."""
    results = st.session_state.get(key)
    return results[-1] if results and results[0] == signature(config, *extra) else None


def stored_depth(config: dict) -> DepthComparison | None:
    """The latest depth comparison, if made with the present settings."""
    comparison = st.session_state.get(K.DEPTH)
    return comparison if comparison is not None and comparison.signature == depth_signature(config) else None


def open_depth_preset() -> None:
    """The preset's button: the page opens next with ``DEPTH_PRESET`` (its link's setup),
    the comparison ready to run."""
    config = preset_config()
    LINK.replace(config)  # its widgets are seeded from it in the next run
    SLOT.replace(lambda _: build_run(config))
    st.session_state[K.LOOP.playing] = False
    st.session_state[K.NOTICE] = "Opened the setup of the width-versus-depth measurement: press Train side by side."


def _live() -> None:
    run = current()
    if run is None:
        return
    width, presenting = run.width, LINK.presenting()
    sweep_now = stored(K.SWEEP, run.config)
    play_update(
        K.LOOP,
        advance=lambda work: advance(run, work),
        frame=lambda playing: figures.frame(run, sweep_now, playing=playing, compact=presenting),
        grid=figures.GRID,
        can_train=run.diverged is None,
    )
    if run.width != width:  # grew on settling: the full run updates the neurons box
        st.session_state[K.GREW] = True
        st.rerun(scope="app")
    if run.jumps and not presenting:
        jump_caveat(run, sweep_now)


def jump_caveat(run: ApproximationRun, sweep) -> None:
    """Why the max error of a target that jumps does not vanish, with the numbers the error
    chart shows: drawn in the live update, so it follows the widths recorded while playing."""
    rows, source = settled_rows(run), "settled"
    if len(rows) < 2 and sweep:
        rows, source = sorted((r.width, r.max_error, r.rmse) for r in sweep), "sweep"
    st.info(text.jump_caveat(run.jumps, samples_around_jump(run), rows, source), icon=":material/bolt:")


def live_pictures() -> None:
    """The live panel: the stats line, the fit, the error and the loss, updated in place."""
    forget_sent(K.LOOP.panel)  # a full run: the panel may be new in the browser
    run = current()
    message = steady_place()  # drawn in every full run: the panel after it keeps its place
    if run is not None:
        run.cadence.forget("error")  # a full run may have changed the sweep it shows
        if run.diverged:  # a live update that diverges reruns the page, which says it here
            message.error(run.diverged, icon=":material/warning:")
    # Made a fragment in every full run: its interval follows the Play toggle.
    st.fragment(_live, run_every=interval(K.LOOP))()
