"""A closed session gives its memory back (issue 19): the release logic of ui/live/hall.py
against Streamlit 1.67's own storage and file managers, and a closed session's run freed
by the housekeeping's collection. (What it amounts to on a server is measured by
benchmarks/session_memory.py, not here.)"""

import gc
import weakref

import pytest
from streamlit.runtime import media_file_manager as media_module
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.runtime.memory_session_storage import MemorySessionStorage
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.session_manager import SessionInfo
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from ui.approximation.config import DEFAULTS
from ui.approximation.run import build_run, train
from ui.live.hall import expire_kept_sessions, release_closed_sessions, release_memory


class Session:
    """Stands for Streamlit's AppSession: an id and a shutdown that releases, as the real
    one does, its uploaded files and download refs."""

    def __init__(self, session_id: str, uploads, media):
        self.id, self.uploads, self.media = session_id, uploads, media
        self.shut_down = False

    def shutdown(self) -> None:
        self.shut_down = True
        self.uploads.remove_session_files(self.id)
        self.media.clear_session_refs(self.id)


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class SessionManager:
    """Streamlit 1.67's WebsocketSessionManager as the release logic sees it: active
    sessions, and kept ones in a MemorySessionStorage (a TTLCache, here on a test clock)."""

    def __init__(self, ttl: float, clock: Clock):
        self._session_storage = MemorySessionStorage(maxsize=128, ttl_seconds=ttl)
        self._session_storage._cache._timer = clock  # the TTL counted on the test's clock
        self.active: dict[str, Session] = {}

    def disconnect(self, session: Session) -> None:
        del self.active[session.id]
        self._session_storage.save(SessionInfo(client=None, session=session, script_run_count=1))

    def list_sessions(self) -> list[SessionInfo]:
        active = [SessionInfo(client=None, session=s, script_run_count=1) for s in self.active.values()]
        return active + self._session_storage.list()


@pytest.fixture
def server(monkeypatch):
    """A session manager with a 300 s TTL, and the upload and download managers."""
    clock = Clock()
    manager = SessionManager(300, clock)
    uploads = MemoryUploadedFileManager("/_stcore/upload_file")
    media = MediaFileManager(MemoryMediaFileStorage("/media"))
    owner = {"id": ""}
    monkeypatch.setattr(media_module, "_get_session_id", lambda: owner["id"])

    def open_session(session_id: str, csv: bytes = b"") -> Session:
        session = Session(session_id, uploads, media)
        manager.active[session_id] = session
        if csv:
            uploads.add_file(session_id, UploadedFileRec(f"{session_id}-csv", "data.csv", "text/csv", csv))
        owner["id"] = session_id
        media.add(b"weights of " + session_id.encode(), "application/octet-stream", "1.2.3", "w.npz", True)
        return session

    return manager, uploads, media, clock, open_session


def held_uploads(uploads) -> set[str]:
    return {sid for sid, files in uploads.file_storage.items() if files}


def download_count(media) -> int:
    return len(media._file_metadata)


def test_streamlit_drops_an_expired_kept_session_without_shutting_it_down(server):
    """Why the housekeeping releases files by session id: storing another session reaps an
    expired one from the TTLCache, unshut, and its upload stays with the file manager
    (until a collection frees the real AppSession, whose ``__del__`` shuts it down)."""
    manager, uploads, _, clock, open_session = server
    first = open_session("a", csv=b"x1,x2,label\n" * 1000)
    manager.disconnect(first)
    clock.now = 301
    manager.disconnect(open_session("b"))  # a later student leaves: Streamlit stores that session
    assert "a" not in {info.session.id for info in manager.list_sessions()}
    assert not first.shut_down
    assert "a" in held_uploads(uploads)


def test_release_shuts_down_sessions_past_their_ttl_and_keeps_the_others(server):
    manager, uploads, media, clock, open_session = server
    left_early, left_late = open_session("early", b"1,2,0\n"), open_session("late", b"3,4,1\n")
    manager.disconnect(left_early)
    clock.now = 200
    manager.disconnect(left_late)
    still_here = open_session("here", b"5,6,0\n")
    clock.now = 301  # the first one's TTL has passed, the second's not
    released = release_closed_sessions(manager, uploads, media)
    assert released.expired == 1
    release_closed_sessions(manager, uploads, media)  # the next round: a download file goes a round after its last ref
    assert left_early.shut_down and not left_late.shut_down and not still_here.shut_down
    assert held_uploads(uploads) == {"late", "here"}
    assert download_count(media) == 2
    assert [s.session.id for s in manager.list_sessions()] == ["here", "late"]


def test_release_frees_the_files_of_sessions_streamlit_already_dropped(server):
    manager, uploads, media, clock, open_session = server
    manager.disconnect(open_session("gone", b"1,2,0\n" * 100_000))
    clock.now = 301
    manager.disconnect(open_session("next"))  # reaps "gone" unshut (as above)
    assert "gone" in held_uploads(uploads) and download_count(media) == 2
    released = release_closed_sessions(manager, uploads, media)
    assert (released.uploads, released.downloads) == (1, 1)
    release_closed_sessions(manager, uploads, media)  # the next round: a download file goes a round after its last ref
    assert held_uploads(uploads) == set()  # "next" uploaded nothing
    assert download_count(media) == 1  # "next"'s, kept for its TTL


def test_expire_takes_nothing_from_a_storage_it_does_not_know():
    class Other:
        def list_sessions(self):
            return []

    assert expire_kept_sessions(Other()) == []


def test_a_closed_sessions_run_is_freed_by_the_housekeepings_collection():
    """A session's state sits in reference cycles (the run and its callbacks, the panel's
    memory): with Streamlit's collection after every run off, only a full collection,
    ``release_memory``, frees it once the session is dropped."""
    run = build_run({**DEFAULTS, "n_samples": 50})
    train(run, 20)
    weights = weakref.ref(run.trainer.network.params)
    state = {"run": run}
    state["self"] = state  # a cycle, as Streamlit's session state and its callbacks make
    gc.disable()
    try:
        del run, state  # the session is dropped
        assert weights() is not None  # held by the cycle until a collection
        release_memory()
        assert weights() is None
    finally:
        gc.enable()
