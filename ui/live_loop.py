"""What every live page shares: the server-wide training lock and the frame timing."""

import threading

import streamlit as st

FRAME_SECONDS = 0.025  # while playing, the browser asks for a frame this often
FRAME_BUDGET = 0.010  # seconds of training per frame at most: the rest of a frame is drawing


@st.cache_resource
def training_lock() -> threading.Lock:
    """One lock for the whole server: sessions take turns to train. Many sessions running
    small NumPy operations at once thrash the GIL; taking turns keeps every one moving
    (measured in shared/LIVE_UPDATES.md). Not per-user data: a lock, shared on purpose."""
    return threading.Lock()


def run_every(playing: bool) -> float | None:
    """The ``run_every`` of a page's live fragment: a frame interval while playing."""
    return FRAME_SECONDS if playing else None
