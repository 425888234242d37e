"""The Universal approximation page's long work through AppTest: the sweep and the
comparison say their limit, run one at a time per session, and a job that stopped early
is said once in its own section (ui/approximation/batch.py)."""

from tests.app.test_universal_approximation import click, open_link
from ui.approximation import batch
from ui.live import jobs
from ui.state import ApproxKeys as K


def captions(at) -> list[str]:
    return [c.value for c in at.caption]


def test_the_page_states_the_limit_and_a_sweep_finishes_under_it():
    at = open_link({"sweep_epochs": "500"})
    assert batch.LIMIT_NOTE in captions(at)
    assert f"{jobs.CAP_SECONDS:.0f} s" in batch.LIMIT_NOTE
    click(at, "Sweep widths")
    job = at.session_state[K.JOB]
    assert job.outcome == jobs.DONE and job.done == job.total == 8
    assert len(at.session_state[K.SWEEP][-1]) == 8
    assert not [i for i in at.info if "sweep" in i.value.lower()]  # a finished sweep needs no message


def test_a_second_job_is_refused_while_one_runs():
    at = open_link({"sweep_epochs": "500"})
    at.session_state[K.JOB] = jobs.Job(batch.DEPTH, 4)  # still running (as a stopping run's job is)
    click(at, "Sweep widths")
    assert any("still stopping" in w.value for w in at.warning)
    assert K.SWEEP not in at.session_state


def test_a_sweep_stopped_at_its_cap_keeps_its_widths_and_says_so_once():
    at = open_link({"sweep_epochs": "500"})
    ended = jobs.Job(batch.SWEEP, 8, done=3, outcome=jobs.CAPPED)
    at.session_state[K.JOB] = ended
    at.run()
    (said,) = [i.value for i in at.info if i.value.startswith(batch.SWEEP)]
    assert f"limit of {jobs.CAP_SECONDS:.0f} s" in said and "after 3 of 8 widths" in said
    at.run()
    assert not [i for i in at.info if i.value.startswith(batch.SWEEP)]  # said once
