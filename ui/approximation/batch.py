"""The width sweep and the width-versus-depth comparison as this session's long work
(``ui.live.jobs``): a progress bar with the seconds spent and a Cancel button while they
train; stopped by Cancel, by any other control (Reset included), by closing the page, and
at ``jobs.CAP_SECONDS`` of training; one at a time. How a job that did not finish ended is
said once, in its own section."""

import streamlit as st

from engine.approximation import DEPTHS, SWEEP_WIDTHS
from ui.approximation.run import run_depth_comparison, signature, sweep
from ui.live import jobs
from ui.live.loop import training_lock
from ui.state import ApproxKeys as K

SWEEP = "The width sweep"
DEPTH = "The comparison"

LIMIT_NOTE = (
    f"A sweep or a comparison trains for at most {jobs.CAP_SECONDS:.0f} s of processor time, one at a time; "
    "Cancel, Reset or any other control stops it, and so does closing the page."
)
NOTES = {SWEEP: LIMIT_NOTE, DEPTH: f"At most {jobs.CAP_SECONDS:.0f} s of training, as the sweep."}  # said once in full

# What a job that stopped early left, by its section: the sweep keeps the widths it finished.
KEPT = {SWEEP: "the chart shows the widths it finished", DEPTH: "nothing is shown: a comparison needs every network"}
SMALLER = {
    SWEEP: "fewer epochs per width, fewer samples or a larger batch",
    DEPTH: "fewer epochs per network, fewer samples or a larger batch",
}
PARTS = {SWEEP: "widths", DEPTH: "networks"}


def current_job() -> jobs.Job | None:
    """This session's job: running, or the last one."""
    return st.session_state.get(K.JOB)


def cancel() -> None:
    """The Cancel button's callback."""
    jobs.request_cancel(current_job())


def outcome_message(job: jobs.Job) -> str | None:
    """What the page says of a job that ended (None when it finished)."""
    trained = f"after {job.done} of {job.total} {PARTS.get(job.name, 'parts')}"
    if job.outcome == jobs.CANCELLED:
        return f"{job.name} was cancelled {trained}."
    if job.outcome == jobs.CAPPED:
        return (
            f"{job.name} reached its limit of {job.cap_seconds:.0f} s of training {trained}: {KEPT[job.name]}. "
            f"For one that finishes: {SMALLER[job.name]}."
        )
    if job.outcome == jobs.INTERRUPTED:
        return f"{job.name} stopped {trained}: another control was used while it trained. Press its button again."
    if job.outcome == jobs.CLOSED:
        return f"{job.name} stopped {trained}: the page was closed or lost its connection."
    return None


def _say_outcome(name: str) -> None:
    """The last job's end, once, in its own section; the limits when idle."""
    job = current_job()
    if job is not None and job.name == name and job.running:
        jobs.wait_until_ended(job)  # a job stopped by the click that started this run: say how it ended
    if job is not None and job.name == name and not job.running and not job.reported:
        job.reported = True
        message = outcome_message(job)
        if message:
            st.info(message, icon=":material/timer_off:")
    st.caption(NOTES[name])


def _start(name: str, total: int) -> jobs.Job | None:
    """A new job of this session, or None (said) while another still runs."""
    job = current_job()
    if job is not None and not jobs.wait_until_ended(job):
        st.warning(f"{job.name} is still stopping: press the button again in a moment.", icon=":material/hourglass:")
        return None
    job = jobs.Job(name, total)
    st.session_state[K.JOB] = job
    return job


def _progress(job: jobs.Job) -> jobs.ProgressText:
    """The progress bar and, beside it, Cancel."""
    bar_box, cancel_box = st.columns([5, 1], vertical_alignment="center")
    bar = bar_box.progress(0.0, text=f"{job.name}: training …")
    cancel_box.button("Cancel", key=K.JOB_CANCEL, on_click=cancel, icon=":material/cancel:", width="stretch")
    return jobs.ProgressText(bar, job, lambda j: f"{j.name}: trained {j.done} of {j.total} {PARTS[j.name]}")


def sweep_if_requested(config: dict) -> None:
    """The width sweep, if its button was pressed (then the page is drawn again with it;
    one stopped at the limit keeps the widths it finished)."""
    if not st.session_state.pop(K.SWEEP_REQUEST, False):
        _say_outcome(SWEEP)
        return
    job = _start(SWEEP, len(SWEEP_WIDTHS))
    if job is None:
        return
    progress = _progress(job)
    guard = jobs.chunk_guard(job, training_lock, progress.chunk_done)
    results = jobs.run_job(job, lambda _: sweep(config, progress.part_done, guard=guard))
    if results is None and job.outcome == jobs.CAPPED:
        results = list(job.results)
    if results:
        st.session_state[K.SWEEP] = (signature(config), config["sweep_epochs"], results)
    if job.outcome != jobs.CLOSED:  # nobody to draw for: the run ends at its next st call
        st.rerun()  # redraw the error chart with the sweep in it (and say how it ended)


def depth_if_requested(config: dict) -> None:
    """The depth comparison, if its button was pressed: kept as a ``DepthComparison``
    under ``K.DEPTH`` (what a lesson checker reads, with ``run.depth_wins``) when every
    network trained."""
    if not st.session_state.pop(K.DEPTH_REQUEST, False):
        _say_outcome(DEPTH)
        return
    job = _start(DEPTH, len(DEPTHS))
    if job is None:
        return
    progress = _progress(job)
    guard = jobs.chunk_guard(job, training_lock, progress.chunk_done)
    comparison = jobs.run_job(job, lambda _: run_depth_comparison(config, progress.part_done, guard=guard))
    if comparison is not None:
        st.session_state[K.DEPTH] = comparison
    if job.outcome != jobs.CLOSED:
        st.rerun()  # what stands above the section (a lesson's task) sees the comparison too
