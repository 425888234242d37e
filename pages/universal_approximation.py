"""Universal approximation: one hidden layer can approximate any continuous function on an
interval. Add neurons and watch the fit; sweep the width; compare width with depth.

Widgets live in the sidebar and the rows around the pictures (ui/approximation_controls.py);
the pictures update in place inside one fragment that reruns every frame while Play is on.
"""

import streamlit as st

from ui import approximation_controls as controls
from ui.approximation_figures import (
    ERROR_TITLE,
    LOSS_TITLE,
    depth_picture,
    depth_rows,
    error_picture,
    fit_picture,
    loss_picture,
    stats_html,
    zigzag_picture,
)
from ui.approximation_run import (
    DEFAULTS,
    apply_live_settings,
    build_run,
    depth_comparison,
    grow_if_settled,
    reset_needed,
    resize,
    signature,
    sweep,
    train,
)
from ui.approximation_text import EXPLANATION
from ui.live_chart import chart, forget_sent, live_panel
from ui.live_loop import FRAME_BUDGET, let_update_leave, run_every, training_lock
from ui.state import ApproxKeys as K

# The stats line takes the free first row across both columns. (A "stats" area would be the
# convention, but static/live_chart.js then clears the area's columns: one column wide.)
GRID = {"columns": "1.4fr 1fr", "areas": "'. .' 'fit error' 'fit loss'"}
SLOW_EVERY = 4  # while playing, the error and loss charts are redrawn every 4th frame


def sync_run(config: dict) -> None:
    """Keep the session's run in step with the config: a new run when the target, data or
    network kind changed (and say so), surgery when only the width did, live settings else.
    A formula that cannot be used leaves the last good run training."""
    run = st.session_state.get(K.RUN)
    changed = reset_needed(run.config, config) if run is not None else ["start"]
    st.session_state[K.BUILD_ERROR] = None
    if changed:
        try:
            st.session_state[K.RUN] = build_run(config)
            if run is not None:
                st.session_state[K.NOTICE] = f"Training restarted from epoch 0: {', '.join(changed)} changed."
            return
        except ValueError as error:
            st.session_state[K.BUILD_ERROR] = str(error)
            if run is None:
                return
    # Under the lock: a run that Streamlit abandons may still be training on its thread.
    with training_lock():
        apply_live_settings(run, config)  # never the target fields: run.config stays buildable
        if config["width"] != run.width:
            resize(run, config["width"])


def current(key: str, config: dict, *extra):
    """The stored results of a sweep or comparison, if made with the present settings."""
    stored = st.session_state.get(key)
    return stored[-1] if stored and stored[0] == signature(config, *extra) else None


@st.fragment(run_every=run_every(st.session_state.get(K.PLAYING, False)))
def live_pictures() -> None:
    """Trains one frame's worth (while playing) and redraws the pictures in place."""
    run = st.session_state.get(K.RUN)
    if run is None:
        return
    playing = bool(st.session_state.get(K.PLAYING))
    if playing and run.diverged is None:
        speed = run.config["speed"]
        with training_lock():
            train(run, 10**6 if speed == "max" else int(speed), FRAME_BUDGET)
            grew = run.diverged is None and grow_if_settled(run, run.config["grow"])
        # Widgets drawn by the full run cannot change here: ask the next full run to update
        # the Play toggle (after a divergence) or the neuron count (after growing).
        if run.diverged:
            st.session_state[K.PAUSE_REQUEST] = True
            st.rerun(scope="app")
        if grew:
            st.session_state[K.WIDTH_SYNC] = True
            st.rerun(scope="app")
    if run.diverged:
        st.error(run.diverged, icon="⚠️")
    fit, fit_title = fit_picture(run)
    run.frame += 1
    sweep = current(K.SWEEP, run.config)
    key = (run.width, len(run.records), id(sweep))  # what the slow charts show, beyond numbers
    if not playing or run.frame % SLOW_EVERY == 0 or run.slow_figures.get("key") != key:
        run.slow_figures = {"key": key, "error": error_picture(run, sweep), "loss": loss_picture(run)}
    charts = [
        chart("fit", fit, title=fit_title),
        chart("error", run.slow_figures["error"], title=ERROR_TITLE),
        chart("loss", run.slow_figures["loss"], title=LOSS_TITLE),
    ]
    live_panel(charts, key=K.LIVE_PANEL, stats=stats_html(run), grid=GRID)
    let_update_leave(playing)  # before a waiting run starts and discards it


def sweep_section(config: dict) -> None:
    st.markdown(
        "**The sweep**: a fresh network of each width, trained with the settings above; its errors appear "
        "dashed in *Error versus neurons*."
    )
    controls.sweep_controls()
    if st.session_state.pop(K.SWEEP_REQUEST, False):
        _, advance = controls.progress_bar("widths 1 to 128")  # the rerun below clears the bar
        results = sweep(config, advance, guard=training_lock)
        st.session_state[K.SWEEP] = (signature(config), config["sweep_epochs"], results)
        st.rerun()  # redraw the error chart with the sweep in it
    results = current(K.SWEEP, config)
    if results:
        first, last = results[0], results[-1]
        st.caption(
            f"Sweep, {st.session_state[K.SWEEP][1]:,} epochs per width: max error {first.max_error:.3f} with "
            f"{first.width} neuron → {last.max_error:.3f} with {last.width}; RMSE {first.rmse:.3f} → {last.rmse:.4f}."
        )


def depth_section(run, config: dict) -> None:
    st.subheader("Width versus depth: why go deep?")
    st.markdown(
        "The same parameter budget as one wide hidden layer and as 2 to 4 narrow ones, trained side by side "
        "on this target with the settings above."
    )
    controls.depth_controls()
    extra = (config["budget"], config["depth_epochs"])
    if st.session_state.pop(K.DEPTH_REQUEST, False):
        bar, advance = controls.progress_bar("the four networks")
        results = depth_comparison(config, advance, guard=training_lock)
        bar.empty()
        st.session_state[K.DEPTH] = (signature(config, *extra), results)
    results = current(K.DEPTH, config, *extra)
    if results:
        left, right = st.columns([3, 2])
        left.plotly_chart(depth_picture(run, results), key="ua.depth_chart")
        right.dataframe(depth_rows(results), hide_index=True)
        best = min(results, key=lambda r: r.max_error)
        right.caption(f"Lowest max error: {best.depth} hidden layer{'s' if best.depth > 1 else ''}.")
    st.markdown("**What depth can do**: a zigzag built by hand, each layer folding the one before.")
    left, right = st.columns([1, 2], vertical_alignment="center")
    depth = left.slider("Hidden layers of 2 relu neurons", 1, 8, key=K.widget("zigzag_depth"))
    left.markdown(
        f"**{6 * depth + 1} parameters** make **{2**depth} straight pieces**. One hidden layer needs "
        f"{2**depth - 1} neurons ({3 * (2**depth - 1) + 1} parameters) for as many."
    )
    right.plotly_chart(zigzag_picture(depth), key="ua.zigzag_chart")


config = st.session_state.setdefault(K.CONFIG, dict(DEFAULTS))
controls.seed_widgets(config)
st.session_state.setdefault(K.PLAYING, False)
if st.session_state.pop(K.PAUSE_REQUEST, False):
    st.session_state[K.PLAYING] = False
if st.session_state.pop(K.WIDTH_SYNC, False) and st.session_state.get(K.RUN) is not None:
    st.session_state[K.widget("width")] = st.session_state[K.RUN].width
controls.sidebar()
config = controls.gather(config)
st.session_state[K.CONFIG] = config
sync_run(config)

st.title("Universal approximation")
st.caption(
    "One hidden layer can approximate any continuous function on an interval. Pick a target in the sidebar, "
    "press Play, then add neurons and watch the fit improve."
)
run = st.session_state.get(K.RUN)
problem = st.session_state.get(K.BUILD_ERROR)
if run is None:
    st.warning(controls.plain(problem) if problem else "Nothing to train yet.", icon="✋")
    st.stop()
controls.run_bar(run)
notice = st.session_state.pop(K.NOTICE, None)
if notice:
    st.info(notice, icon="🔄")
if problem:
    st.warning(f"Still training on {controls.plain(run.target.label)}: {controls.plain(problem)}.", icon="✋")
forget_sent(K.LIVE_PANEL)  # a full run: the panel may be new in the browser
live_pictures()
controls.notes(run)
sweep_section(run.config)
depth_section(run, run.config)
with st.expander("How does this work?"):
    st.markdown(EXPLANATION)
