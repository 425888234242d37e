"""What every live page shares: the server-wide training lock and the frame timing."""

import threading
import time
import uuid

import streamlit as st

from ui.state import SESSION_TOKEN

FRAME_SECONDS = 0.012  # while playing, the browser asks for a frame this long after the last
FRAME_BUDGET = 0.010  # seconds of training per frame at most: the rest of a frame is drawing


class FairLock:
    """A lock granted in the order it was asked for (``threading.Lock`` is not: a thread
    that just released it often takes it again, and with 50 students some wait for ever)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._next_ticket = 0
        self._serving = 0

    def __enter__(self) -> "FairLock":
        with self._condition:
            ticket = self._next_ticket
            self._next_ticket += 1
            self._condition.wait_for(lambda: self._serving == ticket)
        return self

    def __exit__(self, *exc) -> None:
        with self._condition:
            self._serving += 1
            self._condition.notify_all()


@st.cache_resource
def training_lock() -> FairLock:
    """One lock for the whole server: sessions take turns to train, first come, first
    served. Many sessions running small NumPy operations at once thrash the
    GIL; taking turns keeps every one moving (measured in shared/LIVE_UPDATES.md). Not
    per-user data: a lock, shared on purpose."""
    return FairLock()


def run_every(playing: bool) -> float | None:
    """The ``run_every`` of a page's live fragment: a frame interval while playing."""
    return FRAME_SECONDS if playing else None


class LoadMeter:
    """How many sessions played a frame within the last second: the server's load.

    Holds anonymous per-session tokens and times only; shared by all sessions on purpose."""

    WINDOW = 1.0

    def __init__(self) -> None:
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def tick(self, token: str) -> int:
        """Record a frame of session ``token``; return the number of playing sessions."""
        now = time.monotonic()
        with self._lock:
            self._last[token] = now
            for other in [t for t, seen in self._last.items() if now - seen > self.WINDOW]:
                del self._last[other]
            return len(self._last)


@st.cache_resource
def load_meter() -> LoadMeter:
    return LoadMeter()


def budget_for(playing_sessions: int) -> float:
    """Seconds of training per frame: the full budget for one or two sessions, less as
    more play at once, so that every student's frames keep coming (a frame always trains
    at least one epoch, see Trainer.train)."""
    return FRAME_BUDGET / max(1.0, playing_sessions / 2)


def frame_budget() -> float:
    """This session's training budget for its next frame, given the server's load."""
    token = st.session_state.setdefault(SESSION_TOKEN, uuid.uuid4().hex)
    return budget_for(load_meter().tick(token))
