"""ui/live/delivery.py: a live run waits until its update has been sent, not a fixed time."""

import asyncio
import inspect
import threading
import time

import pytest
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

from ui.live.delivery import wait_until_sent


class FakeSession:
    """What wait_until_sent reads of an AppSession: its outgoing queue and its event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, queued: list):
        self._event_loop = loop
        self._browser_queue = self
        self.queued = queued

    def is_empty(self) -> bool:
        return not self.queued


@pytest.fixture
def event_loop_thread():
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


def test_it_returns_once_the_queue_is_sent_and_not_before(event_loop_thread):
    loop, queued, order = event_loop_thread, ["update"], []
    session = FakeSession(loop, queued)

    def send_later() -> None:  # the server's flush, some checks after the first
        order.append("sent")
        queued.clear()

    loop.call_soon_threadsafe(lambda: loop.call_later(0.05, send_later))
    assert wait_until_sent(timeout=30, session=session)
    order.append("returned")
    assert order == ["sent", "returned"]


def test_a_message_queued_before_the_wait_is_waited_for(event_loop_thread):
    """The run's last message reaches the queue on the event loop, after the run handed it
    over: the check is queued behind it, so it never sees the queue empty too early."""
    loop, queued, order = event_loop_thread, [], []
    session = FakeSession(loop, queued)
    blocker = threading.Event()
    loop.call_soon_threadsafe(blocker.wait)  # the event loop busy: nothing of ours runs yet
    loop.call_soon_threadsafe(queued.append, "update")  # the update's message, handed over
    loop.call_soon_threadsafe(lambda: loop.call_later(0.05, lambda: (order.append("sent"), queued.clear())))
    waiting = threading.Thread(target=lambda: order.append(("returned", wait_until_sent(30, session))))
    waiting.start()
    time.sleep(0.01)  # the waiter has queued its check (behind the update) before the loop runs
    blocker.set()
    waiting.join(30)
    assert order == ["sent", ("returned", True)]


def test_it_gives_up_after_the_timeout(event_loop_thread):
    session = FakeSession(event_loop_thread, ["never sent"])
    assert wait_until_sent(timeout=0.05, session=session) is False


def test_without_a_server_there_is_nothing_to_wait_for():
    assert wait_until_sent(timeout=30) is False  # no script run context, no Runtime: at once


def test_this_streamlit_still_keeps_what_the_wait_reads():
    """An upgrade that renames these would make every live run end at once again (and lose
    updates under load): fail here instead."""
    source = inspect.getsource(AppSession.__init__)
    assert "self._browser_queue = ForwardMsgQueue()" in source
    assert "self._event_loop = " in source
    assert callable(ForwardMsgQueue.is_empty)
    assert "self._clear_queue(fragment_ids_this_run)" in inspect.getsource(AppSession)  # why we wait
