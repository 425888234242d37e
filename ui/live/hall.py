"""A session that could not be resumed, said to the student.

Streamlit keeps each session in one process's memory. When the browser loses its
connection it reconnects and asks for its session by id (the third entry of the
websocket's ``Sec-WebSocket-Protocol`` header); a process that does not have it (it was
restarted by the lecture hall, deploy/hall.py, or the proxy sent the browser to another
process because its own died, or the session outlived the disconnected-session TTL)
starts a fresh one. The page then looks as its address says, but the training, uploaded
data, drawn points and edited weights are gone: the student is told why, once.

Which of the causes: HAProxy's sticky cookie names the worker the browser was on; a
worker started less than a TTL ago cannot have let a session expire.

And the process's memory after sessions leave: a closed session is kept for the TTL,
then dropped when Streamlit next stores one, but its state (the run, its snapshots, the
panel's memory) sits in reference cycles that only a full garbage collection frees, and
Streamlit's own after every run is off here (runner.postScriptGC, for speed); freed, the
memory stays with the C allocator. Once a minute a housekeeping thread collects and hands
free memory back (glibc's malloc_trim): measured with benchmarks/hall_memory.py, 200
sessions come and go and each worker returns near its baseline (README, "A lecture
hall"). Only process-wide things live here (this worker's name and start, that thread),
no per-user data.
"""

import ctypes
import ctypes.util
import gc
import os
import threading
import time

import streamlit as st

from ui.state import HallKeys

WORKER = os.environ.get("HALL_WORKER")  # this process's name in the hall (deploy/hall.py), or None
WORKER_COOKIE = "nnp_worker"  # HAProxy's sticky cookie (deploy/hall.py COOKIE)


def _process_started() -> float:
    """When this process started, on ``time.monotonic()``'s clock (Linux: from /proc;
    elsewhere when this module was first imported, at the process's first session)."""
    try:
        with open("/proc/self/stat") as stat, open("/proc/uptime") as uptime:
            ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
            age = float(uptime.read().split()[0]) - ticks / os.sysconf("SC_CLK_TCK")
        return time.monotonic() - max(age, 0.0)
    except (OSError, ValueError, IndexError):
        return time.monotonic()


STARTED = _process_started()

HOUSEKEEPING_SECONDS = 60.0  # a full collection costs ~0.2 s with 100 sessions' garbage: once a minute

RESTARTED = (
    "The server restarted part of itself, and the session this page had there is gone: "
    "your session started afresh. The settings in the page's address are kept; training, "
    "uploaded data, drawn points and edited weights start again."
)
AWAY = (
    "This page was away from the server for more than {minutes} minutes, so the server no "
    "longer kept its session: your session started afresh. The settings in the page's "
    "address are kept; training, uploaded data, drawn points and edited weights start again."
)


def asked_session(protocol_header: str | None) -> str | None:
    """The session id a reconnecting browser asks for: Streamlit's browser side sends
    ``streamlit, <xsrf token>, <session id>`` as the websocket's subprotocols."""
    if not protocol_header:
        return None
    entries = [entry.strip() for entry in protocol_header.split(",")]
    return entries[2] if len(entries) >= 3 and entries[2] else None


def lost_session_message(
    asked: str | None,
    session_id: str,
    cookie_worker: str | None,
    worker: str | None,
    uptime: float,
    ttl: float,
) -> str | None:
    """What to tell a new session whose browser asked for ``asked``: None when it asked for
    none (a new tab, a reload) or got it back."""
    if asked is None or asked == session_id:
        return None
    moved = worker is not None and cookie_worker is not None and cookie_worker != worker
    if moved or uptime < ttl:
        return RESTARTED
    return AWAY.format(minutes=max(round(ttl / 60), 1))


def _trimmer():
    """glibc's malloc_trim, or None (another C library)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


def release_memory(trim=None) -> None:
    """Free what closed sessions left (a full collection) and give the free memory back to
    the operating system (``trim``: malloc_trim)."""
    gc.collect()
    if trim is not None:
        trim(0)


def _housekeeping() -> None:
    trim = _trimmer()
    while True:
        time.sleep(HOUSEKEEPING_SECONDS)
        release_memory(trim)


_housekeeper_lock = threading.Lock()
_housekeeper: list[threading.Thread] = []  # the one per process, once started


def start_housekeeping() -> None:
    """Start the process's housekeeping thread (once; later calls do nothing)."""
    if _housekeeper:
        return
    with _housekeeper_lock:
        if not _housekeeper:
            thread = threading.Thread(target=_housekeeping, name="nn-hall-housekeeping", daemon=True)
            thread.start()
            _housekeeper.append(thread)


def say_if_session_lost() -> None:
    """At the top of every full run (ui/live/share.py ``PageLink.read_once``): on a
        session's first run, a notice that stays until dismissed when its browser asked for a
        session this process does not have; the process's housekeeping started with its first
    session. Costs a dictionary lookup on every later run."""
    if st.session_state.get(HallKeys.CHECKED):
        return
    st.session_state[HallKeys.CHECKED] = True
    start_housekeeping()
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        headers, cookies = st.context.headers, st.context.cookies
        asked = asked_session(headers.get("Sec-Websocket-Protocol"))
        cookie_worker = cookies.get(WORKER_COOKIE)
    except Exception:  # no browser behind this session (AppTest, a bare script run)
        return
    if ctx is None:
        return
    message = lost_session_message(
        asked,
        ctx.session_id,
        cookie_worker,
        WORKER,
        time.monotonic() - STARTED,
        float(st.get_option("server.disconnectedSessionTTL")),
    )
    if message:
        st.toast(message, icon=":material/restart_alt:", duration="infinite")
