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
hall").

Streamlit drops a kept session whose TTL has passed only when it next stores one (when
another student leaves), and shuts it down (its uploaded files, a CSV among them, and its
download files go then) only when a collection frees it (``AppSession.__del__``): the
last students of a lecture stayed kept, with their uploads, until someone else left. So
before collecting, the housekeeping (on Streamlit's event loop, where sessions are
handled) shuts down the kept sessions whose TTL has passed, as Streamlit does for a
session it closes, and releases the uploads and download files of any session id
Streamlit no longer has (a safety net for a dropped session that something still holds;
``release_closed_sessions``; benchmarks/session_memory.py measures the whole). Only
process-wide things live here (this worker's name and start, that thread), no per-user
data.
"""

import concurrent.futures
import ctypes
import ctypes.util
import gc
import os
import threading
import time
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Released:
    """What one ``release_closed_sessions`` did."""

    expired: int  # kept sessions past their TTL, shut down
    uploads: int  # session ids whose uploaded files were released
    downloads: int  # session ids whose download files were released


def expire_kept_sessions(session_mgr) -> list:
    """Take the kept (disconnected) sessions whose TTL has passed out of Streamlit's
    storage and return them. Streamlit 1.67's ``WebsocketSessionManager`` keeps them in a
    ``MemorySessionStorage`` whose ``TTLCache`` drops them, unshut, only when it next
    stores one; ``expire()`` takes them now. Another storage: none."""
    cache = getattr(getattr(session_mgr, "_session_storage", None), "_cache", None)
    expire = getattr(cache, "expire", None)
    return [info for _, info in expire()] if expire is not None else []


def release_closed_sessions(session_mgr, uploads, media) -> Released:
    """On Streamlit's event loop: shut down the kept sessions whose TTL has passed (their
    uploaded files, download files and caches go as at a close), then release the
    uploaded files (``uploads.file_storage``, by session id) and download files (the media
    manager's refs, by session id) of any session Streamlit no longer has: one it dropped
    when storing another is shut down only when a collection frees it."""
    expired = expire_kept_sessions(session_mgr)
    for info in expired:
        info.session.shutdown()
    alive = {info.session.id for info in session_mgr.list_sessions()}
    gone_uploads = [sid for sid in list(getattr(uploads, "file_storage", {})) if sid not in alive]
    for sid in gone_uploads:
        uploads.remove_session_files(sid)
    by_session = getattr(media, "_files_by_session_and_coord", {})  # Streamlit 1.67's refs by session id
    gone_downloads = [sid for sid in list(by_session) if sid not in alive]
    for sid in gone_downloads:
        media.clear_session_refs(sid)
    media.remove_orphaned_files()  # a download file unreferenced is marked, and deleted the round after
    return Released(len(expired), len(gone_uploads), len(gone_downloads))


def release_on_event_loop(timeout: float = 10.0) -> Released | None:
    """``release_closed_sessions`` for this process's Streamlit runtime, run on its event
    loop (sessions are not thread-safe); None without a running server."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return None
    runtime = Runtime.instance()
    try:
        loop = runtime._get_async_objs().eventloop  # Streamlit 1.67: the loop sessions live on
    except (AttributeError, RuntimeError):
        return None
    done = concurrent.futures.Future()

    def release() -> None:
        try:
            done.set_result(
                release_closed_sessions(runtime._session_mgr, runtime.uploaded_file_mgr, runtime.media_file_mgr)
            )
        except Exception as error:  # never let housekeeping break the server
            done.set_exception(error)

    try:
        loop.call_soon_threadsafe(release)
        return done.result(timeout)
    except Exception:
        return None


def _housekeeping() -> None:
    from streamlit.logger import get_logger

    log, trim = get_logger(__name__), _trimmer()
    while True:
        time.sleep(HOUSEKEEPING_SECONDS)
        released = release_on_event_loop()
        if released is not None and (released.expired or released.uploads or released.downloads):
            log.info(
                "housekeeping: %d kept sessions past their TTL shut down; uploads of %d and download files of %d "
                "sessions no longer kept released",
                released.expired,
                released.uploads,
                released.downloads,
            )
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
