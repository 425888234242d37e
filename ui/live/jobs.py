"""Long work in a session's script run (the Universal approximation page's width sweep and
width-versus-depth comparison): shown with a progress bar and a Cancel button, stopped
when the student cancels, presses any other control, or closes the tab, and bounded.

Such work runs in the session's own script run, chunk by chunk (the engine's
``train_in_chunks``: about 50 ms of training per chunk, each inside a ``guard()``). The
guard made here checks, before every chunk:

- whether the session is still connected (``Runtime.is_active_session``, safe from any
  thread): a session whose browser left stops;
- Streamlit's own stop and rerun requests (``get_run_yield_check``, Streamlit 1.67: the
  check that every ``st.*`` call makes). A click on Cancel, Reset or any other control
  ends the run (with fast reruns, Streamlit's default, it stops this run and starts the
  next at once), and a closed tab asks its script to stop (``disconnect_session`` calls
  ``request_script_stop``), so the run ends within a chunk instead of at the next
  ``st.*`` call, which came only after a whole network had trained (minutes at the
  largest settings);
- the job's cap: ``CAP_SECONDS`` of this thread's processor time spent training.

Each chunk trains inside the shared training lock (``lock``), so other sessions' live
pages keep their turns. One job at a time per session: a job is kept under its session
state key while it runs (and after, for the page to say how it ended); a request while
one is still running is refused. No per-user data in module globals.
"""

import threading
import time
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

# The most processor time one job may train: at the largest settings a width sweep needs
# ~12 minutes of a core, and three at once slowed another student's Playground by a third
# (issue 20). The defaults need a few seconds.
CAP_SECONDS = 60.0

DONE = "done"  # the work finished
CANCELLED = "cancelled"  # the student pressed Cancel
CAPPED = "capped"  # the job used CAP_SECONDS
CLOSED = "closed"  # the session's browser left
INTERRUPTED = "interrupted"  # another control was pressed (Streamlit reran the script)

PROGRESS_SECONDS = 0.5  # the bar's text (seconds spent) is updated at most this often


class JobStopped(Exception):
    """Raised at a chunk's start when the job must not go on; ``reason`` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(slots=True)
class Job:
    """One piece of long work of a session: its name as the page says it, how far it got,
    and how it ended (``outcome``: None while it runs)."""

    name: str
    total: int  # parts of the work (networks to train)
    cap_seconds: float = CAP_SECONDS
    spent: float = 0.0  # processor seconds spent training so far
    done: int = 0  # parts finished
    results: list = field(default_factory=list)  # what each finished part gave
    cancel_requested: bool = False
    outcome: str | None = None
    reported: bool = False  # its outcome was said on the page
    ended: threading.Event = field(default_factory=threading.Event)  # set when its run let go of it

    @property
    def running(self) -> bool:
        return self.outcome is None


def session_connected() -> bool:
    """Whether this script run's session still has its browser (True outside a server:
    AppTest, a bare script run)."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None or not Runtime.exists():
        return True
    return Runtime.instance().is_active_session(ctx.session_id)


def streamlit_yield() -> None:
    """Let Streamlit end this run if it asked to (a rerun or a stop): raises its own
    RerunException or StopException, which end the script run as an ``st.*`` call would."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_run_yield_check

    check = get_run_yield_check()
    if check is not None:
        check()


def checkpoint(job: Job, connected: Callable[[], bool] = session_connected, yield_=streamlit_yield) -> None:
    """Before a chunk: stop if the session's browser left, end the run if Streamlit asks
    (Streamlit's exceptions), stop if the job was cancelled or used its cap (raises
    ``JobStopped``)."""
    if not connected():
        raise JobStopped(CLOSED)
    yield_()
    if job.cancel_requested:
        raise JobStopped(CANCELLED)
    if job.spent >= job.cap_seconds:
        raise JobStopped(CAPPED)


def chunk_guard(job: Job, lock=nullcontext, on_chunk: Callable[[], None] | None = None, **checks):
    """The ``guard`` for the engine's chunk loop: ``checkpoint`` first, then the chunk in
    ``lock()`` with its processor time added to ``job.spent``; ``on_chunk`` after each
    (the progress bar's text). ``checks``: ``checkpoint``'s ``connected`` and ``yield_``."""

    @contextmanager
    def guard():
        checkpoint(job, **checks)
        with lock():
            started = time.thread_time()
            try:
                yield
            finally:
                job.spent += time.thread_time() - started
        if on_chunk is not None:
            on_chunk()

    return guard


def run_job(job: Job, work: Callable[[Job], object], connected: Callable[[], bool] = session_connected):
    """Run ``work(job)`` (which trains through ``chunk_guard(job, ...)``) and set how it
    ended; ``job.ended`` is set then. Returns its value, or None when it stopped
    (``job.outcome`` says why; the parts finished are in ``job.results``).

    Streamlit's own ending of the run goes on up (the script run ends). With fast reruns
    (Streamlit's default) a click stops this run and starts the next at once, its
    callbacks first, so that ending is a stop whatever the cause: ``CANCELLED`` if Cancel's
    callback marked the job meanwhile, ``CLOSED`` once the session is gone, else
    ``INTERRUPTED`` (another control)."""
    try:
        value = work(job)
    except JobStopped as stop:
        job.outcome = stop.reason
        return None
    except BaseException:
        job.outcome = CANCELLED if job.cancel_requested else INTERRUPTED if connected() else CLOSED
        raise
    finally:
        job.ended.set()
    job.outcome = DONE
    return value


def wait_until_ended(job: Job, seconds: float = 5.0) -> bool:
    """Wait (at most ``seconds``) for a job that is being stopped to end: its run checks
    at every chunk, so it ends within a chunk and a turn of the training lock. True if
    it has ended."""
    return not job.running or job.ended.wait(seconds)


def request_cancel(job: Job | None) -> None:
    """The Cancel button: the job stops at its next chunk (the click's rerun usually ends
    it first: then this only marks why it ended)."""
    if job is not None:
        job.cancel_requested = True
        if job.outcome == INTERRUPTED:
            job.outcome = CANCELLED


class ProgressText:
    """The progress bar of a job: the parts done, and the seconds spent against the cap
    (updated at most every ``PROGRESS_SECONDS``)."""

    def __init__(self, bar, job: Job, describe: Callable[[Job], str]):
        self.bar, self.job, self.describe = bar, job, describe
        self.shown_at = 0.0

    def part_done(self, done: int, total: int, result) -> None:
        """The engine's ``progress(done, total, result)``."""
        self.job.done, self.job.total = done, total
        self.job.results.append(result)
        self.show()

    def chunk_done(self) -> None:
        if time.monotonic() - self.shown_at >= PROGRESS_SECONDS:
            self.show()

    def show(self) -> None:
        self.shown_at = time.monotonic()
        job = self.job
        self.bar.progress(
            min(job.done / max(job.total, 1), 1.0),
            text=f"{self.describe(job)} · {job.spent:.0f} s of training of at most {job.cap_seconds:.0f} s",
        )
