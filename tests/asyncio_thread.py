"""Run a coroutine to its end on an event loop of its own, in a thread of its own.

Playwright's synchronous API keeps an event loop running in the main thread while the
browser tests' session-wide browser is open, and ``asyncio.run`` refuses to start a loop
there ("cannot be called from a running event loop"): tests that speak Streamlit's
websocket protocol run after the browser tests in the same pytest process."""

import asyncio
import threading
from collections.abc import Coroutine


def run_in_thread(coroutine: Coroutine):
    """``asyncio.run(coroutine)`` in a new thread; its result, or its exception raised here."""
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["result"] = asyncio.run(coroutine)
        except BaseException as error:  # handed to the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=target, name="asyncio-test")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
