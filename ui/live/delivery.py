"""Let a live update leave before the next run starts (Streamlit 1.67).

The browser asks for a live fragment run every interval (a ``setInterval``), whether the
last one has finished or not. On a busy server the next request is waiting when a run
ends, so Streamlit starts the next run at once; that start clears the session's outgoing
queue of the fragment's messages (``ForwardMsgQueue.clear`` on ``SCRIPT_STARTED``), and
the ended run's update is lost if the server's event loop has not sent it yet. Measured
with benchmarks/live.py on Gradient descent's race (one frame an update, ten a second):
25 students each received ~7 of the ~10 frames a second the server drew, 50 students ~4
of ~7.

A fixed pause at the end of the run (10 ms, as before) was too short under load: the
event loop waits its turn for Python like every session's thread. ``wait_until_sent``
waits for the condition instead: it puts a check on the session's event loop *after*
the update's own message (Streamlit hands every message of a script run to that loop in
order), which looks whether the session's queue has been sent, and again every
millisecond until it has; the run's thread sleeps meanwhile, holding no lock.

It reads two private fields of Streamlit's ``AppSession`` (``_browser_queue``,
``_event_loop``); tests/ui/test_delivery.py checks that this Streamlit still has them.
Without a running server (AppTest) there is nothing to send and nothing to wait for.
"""

import threading
import time

from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

SEND_TIMEOUT = 0.25  # seconds an update may wait to be sent, at most (then the run ends anyway)
RECHECK = 0.001  # seconds between checks on the event loop


def _current_session():
    """The ``AppSession`` of the script run on this thread, or None (no server: AppTest)."""
    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return None
    return Runtime.instance().get_app_session(ctx.session_id)


def wait_until_sent(timeout: float = SEND_TIMEOUT, session=None) -> bool:
    """Wait until every message this run has handed to ``session`` (the current run's
    session by default) has been sent to the browser, at most ``timeout`` seconds. True
    when sent; False on timeout, or when there is no session to wait for."""
    session = session if session is not None else _current_session()
    queue = getattr(session, "_browser_queue", None)
    loop = getattr(session, "_event_loop", None)
    if queue is None or loop is None:
        return False
    sent = threading.Event()
    deadline = time.monotonic() + timeout

    def check() -> None:  # on the event loop, after the run's messages were queued
        if queue.is_empty():
            sent.set()
        elif time.monotonic() < deadline:
            loop.call_later(RECHECK, check)

    try:
        loop.call_soon_threadsafe(check)
    except RuntimeError:  # the loop is closed: the server is stopping
        return False
    return sent.wait(timeout)
