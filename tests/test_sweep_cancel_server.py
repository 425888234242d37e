"""A width sweep stops when its page closes (issue 20), on a real server: a client speaking
Streamlit's websocket protocol opens the Universal approximation page at the sweep's
largest settings (minutes of training per width), presses the sweep, waits for its
progress bar and for the server to be busy training, and closes the connection. The
server goes idle (before the first width could have finished). Then the client comes
back to the same session, as a browser does after a dropped connection within the TTL,
and the page says the sweep stopped because the page was closed. Cancel and Reset, pressed
while a sweep trains, stop it too, and the page says which."""

import asyncio
import time

import pytest

from benchmarks.app_server import AppServer
from tests.asyncio_thread import run_in_thread
from ui.approximation.batch import LIMIT_NOTE

websockets = pytest.importorskip("websockets")

PAGE = "universal-approximation"
HEAVY = "sweep_epochs=5000&n_samples=1000&batch_size=1"  # width 1 alone: minutes


class Client:
    """One connection to the app: reruns the page, collects what a run draws."""

    def __init__(self, ws, query: str):
        self.ws, self.query = ws, query
        self.session_id = None

    async def rerun(self, widgets=()) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        msg.rerun_script.page_name = PAGE  # the page by its name (its URL path), as the browser asks
        msg.rerun_script.query_string = self.query
        msg.rerun_script.widget_states.widgets.extend(widgets)
        await self.ws.send(msg.SerializeToString())

    async def elements_until(self, done) -> list:
        """The new elements drawn, until ``done(element)`` or the run finished (then it
        returns what was drawn; a run cut short for a rerun is replaced by the next)."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        drawn = []
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await self.ws.recv())
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.session_id = msg.new_session.initialize.session_id
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                drawn.append(msg.delta.new_element)
                if done is not None and done(msg.delta.new_element):
                    return drawn
            elif kind == "script_finished" and msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                drawn = []  # a run cut short by the rerun asked for: what the next one draws counts
            elif kind == "script_finished" and done is None:
                return drawn


def button(elements, label: str):
    return next(e.button for e in elements if e.WhichOneof("type") == "button" and e.button.label.startswith(label))


def alerts(elements) -> list[str]:
    return [e.alert.body for e in elements if e.WhichOneof("type") == "alert"]


def is_cancel(element) -> bool:
    return element.WhichOneof("type") == "button" and element.button.label == "Cancel"


def is_limit_note(element) -> bool:
    return element.WhichOneof("type") == "markdown" and element.markdown.body == LIMIT_NOTE


def is_progress(element) -> bool:
    return element.WhichOneof("type") == "progress" and "training" in element.progress.text


async def wait_for_cpu(server: AppServer, busy: bool, window: float = 1.0, deadline: float = 60.0) -> None:
    """Wait until the server process spends more than 30 % of a core (``busy``) or less
    than 10 % (idle) over a ``window``; fail after ``deadline`` seconds. A sweep that ran on
    after its page closed would keep it busy for minutes."""
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        before = server.cpu_seconds()
        await asyncio.sleep(window)
        share = (server.cpu_seconds() - before) / window
        if (share > 0.3) if busy else (share < 0.1):
            return
    raise AssertionError(f"the server was not {'busy' if busy else 'idle'} within {deadline:.0f} s")


async def close_during_a_sweep_and_come_back(server: AppServer) -> list[str]:
    url = server.url
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
        client = Client(ws, HEAVY)
        await client.rerun()
        sweep = button(await client.elements_until(None), "Sweep")
        await client.rerun([WidgetState(id=sweep.id, trigger_value=True)])
        await client.elements_until(is_progress)  # the sweep trains
        session_id = client.session_id
        await wait_for_cpu(server, busy=True)
    # The connection is closed: the session is kept for the TTL, its sweep must stop.
    await wait_for_cpu(server, busy=False)
    protocols = ["streamlit", "no-xsrf-token", session_id]
    async with websockets.connect(ws_url, subprotocols=protocols, max_size=None, open_timeout=60) as ws:
        client = Client(ws, HEAVY)
        await client.rerun()
        # What the session queued before (its stopped run's end) comes first: wait for
        # the sweep section of this run, which ends with the limits' caption.
        elements = await client.elements_until(is_limit_note)
    return alerts(elements)


async def press_during_a_sweep(url: str, label: str) -> list[str]:
    """Press the sweep, then (while it trains) the button ``label``: what the next run says."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
        client = Client(ws, HEAVY)
        await client.rerun()
        first = await client.elements_until(None)
        await client.rerun([WidgetState(id=button(first, "Sweep").id, trigger_value=True)])
        drawn = await client.elements_until(is_cancel)  # the sweep trains: its bar, and Cancel beside it
        pressed = button(drawn, label) if label == "Cancel" else button(first, label)
        await client.rerun([WidgetState(id=pressed.id, trigger_value=True)])
        return alerts(await client.elements_until(None))


@pytest.fixture(scope="module")
def server():
    app = AppServer()
    yield app
    app.stop()


def test_a_sweep_stops_when_its_page_closes(server):
    said = run_in_thread(asyncio.wait_for(close_during_a_sweep_and_come_back(server), 240))
    (stopped,) = [text for text in said if text.startswith("The width sweep")]
    assert "after 0 of 8 widths" in stopped and "lost its connection" in stopped


@pytest.mark.parametrize(
    ("label", "said"), [("Cancel", "was cancelled after 0 of 8 widths"), ("Reset", "stopped after 0 of 8 widths")]
)
def test_cancel_or_reset_stops_a_sweep_within_its_first_width(server, label, said):
    texts = run_in_thread(asyncio.wait_for(press_during_a_sweep(server.url, label), 240))
    assert [text for text in texts if text.startswith("The width sweep")] == [next(t for t in texts if said in t)]
