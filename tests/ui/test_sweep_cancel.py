"""Long work stops: the width sweep and the depth comparison train through
``ui.live.jobs.chunk_guard``, which ends them at the next chunk when the student cancels,
when Streamlit asks the run to end (any other control, Reset included), when the session's
browser left, and at the job's cap (issue 20). Driven with the page's own ``run.sweep`` and
``run.run_depth_comparison`` and stand-ins for Streamlit's checks."""

import pytest

from engine.approximation import SWEEP_WIDTHS
from ui.approximation.config import DEFAULTS
from ui.approximation.run import run_depth_comparison, sweep
from ui.live import jobs

CONFIG = {**DEFAULTS, "sweep_epochs": 500, "depth_epochs": 1000, "n_samples": 100}


class Counter:
    """Chunks started so far; ``after`` chunks, the condition it stands for turns on."""

    def __init__(self, after: int):
        self.after, self.chunks = after, 0

    def tick(self) -> bool:
        self.chunks += 1
        return self.chunks > self.after


def test_a_sweep_left_alone_finishes_every_width_within_its_cap():
    job = jobs.Job("sweep", len(SWEEP_WIDTHS))
    guard = jobs.chunk_guard(job, connected=lambda: True, yield_=lambda: None)
    results = jobs.run_job(job, lambda j: sweep(CONFIG, guard=guard))
    assert job.outcome == jobs.DONE
    assert [r.width for r in results] == list(SWEEP_WIDTHS)
    assert 0 < job.spent < job.cap_seconds


def test_a_sweep_stops_at_the_next_chunk_once_its_session_left():
    left = Counter(after=3)
    job = jobs.Job("sweep", len(SWEEP_WIDTHS))
    guard = jobs.chunk_guard(job, connected=lambda: not left.tick(), yield_=lambda: None)
    assert jobs.run_job(job, lambda j: sweep(CONFIG, guard=guard)) is None
    assert job.outcome == jobs.CLOSED
    assert left.chunks == 4  # three chunks trained, the fourth refused


def test_cancel_stops_a_sweep_and_keeps_the_widths_it_finished():
    job = jobs.Job("sweep", len(SWEEP_WIDTHS))
    finished = []

    def part_done(done, total, result):
        finished.append(result)
        if done == 2:
            jobs.request_cancel(job)  # as the Cancel button's callback

    guard = jobs.chunk_guard(job, connected=lambda: True, yield_=lambda: None)
    assert jobs.run_job(job, lambda j: sweep(CONFIG, part_done, guard=guard)) is None
    assert job.outcome == jobs.CANCELLED
    assert [r.width for r in finished] == [1, 2]


class Rerun(Exception):
    """Stands for Streamlit's RerunException (a click on Reset or any control)."""


def test_streamlit_ending_the_run_ends_the_job_and_goes_on_up():
    clicked = Counter(after=2)

    def yield_():
        if clicked.tick():
            raise Rerun

    job = jobs.Job("comparison", 4)
    guard = jobs.chunk_guard(job, connected=lambda: True, yield_=yield_)
    with pytest.raises(Rerun):
        jobs.run_job(job, lambda j: run_depth_comparison(CONFIG, guard=guard))
    assert job.outcome == jobs.INTERRUPTED
    jobs.request_cancel(job)  # the Cancel button's callback runs in the rerun that followed
    assert job.outcome == jobs.CANCELLED


def test_a_job_stops_at_its_cap_of_processor_time():
    job = jobs.Job("sweep", len(SWEEP_WIDTHS), cap_seconds=0.0)
    guard = jobs.chunk_guard(job, connected=lambda: True, yield_=lambda: None)
    assert jobs.run_job(job, lambda j: sweep(CONFIG, guard=guard)) is None
    assert job.outcome == jobs.CAPPED
    assert job.done == 0


def test_the_depth_comparison_is_bounded_by_the_same_guard():
    """The comparison's chunks go through the same checkpoint: a cap reached midway stops it."""
    job = jobs.Job("comparison", 4, cap_seconds=1e-9)
    trained = []
    guard = jobs.chunk_guard(job, connected=lambda: True, yield_=lambda: None)
    assert jobs.run_job(job, lambda j: run_depth_comparison(CONFIG, lambda *a: trained.append(a), guard=guard)) is None
    assert job.outcome == jobs.CAPPED
    assert job.spent > 0 and len(trained) < 4


def test_every_chunk_trains_inside_the_lock_after_the_checkpoint():
    order = []

    class Lock:
        def __enter__(self):
            order.append("lock")

        def __exit__(self, *exc):
            order.append("unlock")

    job = jobs.Job("sweep", 1)
    guard = jobs.chunk_guard(
        job, Lock, on_chunk=lambda: order.append("shown"), connected=lambda: order.append("check") or True
    )
    with guard():
        order.append("train")
    assert order == ["check", "lock", "train", "unlock", "shown"]


def test_outside_a_server_the_session_counts_as_connected():
    assert jobs.session_connected()
    jobs.streamlit_yield()  # no script run: nothing to end


class Stop(Exception):
    """Stands for Streamlit's StopException: with fast reruns, how any click ends a run."""


@pytest.mark.parametrize(
    ("cancelled", "connected", "outcome"),
    [(True, True, jobs.CANCELLED), (False, False, jobs.CLOSED), (False, True, jobs.INTERRUPTED)],
)
def test_a_run_ended_by_streamlit_says_why_and_lets_go_of_its_job(cancelled, connected, outcome):
    job = jobs.Job("sweep", len(SWEEP_WIDTHS))

    def work(job):
        job.cancel_requested = cancelled  # Cancel's callback, in the next run, before this one stops
        raise Stop

    with pytest.raises(Stop):
        jobs.run_job(job, work, connected=lambda: connected)
    assert job.outcome == outcome
    assert jobs.wait_until_ended(job, 0.0)  # ended: a new job may start
