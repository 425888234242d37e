"""The script runs of one session share one lock on its state (ui/live/session_lock.py):
the ending run's widget clean-up cannot change the widget dictionary while the next run's
callbacks iterate it."""

import subprocess
import sys
import threading

from streamlit.runtime.state.safe_session_state import SafeSessionState
from streamlit.runtime.state.session_state import SessionState

from tests.app.conftest import ROOT
from ui.live.session_lock import share_session_state_lock


def test_two_runs_of_one_session_exclude_each_other_and_other_sessions_do_not():
    share_session_state_lock()
    share_session_state_lock()  # once per process: a second call changes nothing
    state, other = SessionState(), SessionState()
    ending, next_run = SafeSessionState(state, lambda: None), SafeSessionState(state, lambda: None)
    elsewhere = SafeSessionState(other, lambda: None)
    assert ending._lock is next_run._lock
    assert elsewhere._lock is not ending._lock

    taken = []

    def other_threads_try() -> None:
        taken.append(ending._lock.acquire(blocking=False))  # the ending run's clean-up
        if elsewhere._lock.acquire(blocking=False):  # another session's run
            taken.append(True)
            elsewhere._lock.release()

    with next_run._lock:  # the next run's callbacks
        probe = threading.Thread(target=other_threads_try)
        probe.start()
        probe.join()
    assert taken == [False, True]  # the ending run waits; another session does not


def test_the_served_app_installs_it_before_any_session():
    """`streamlit run app.py` imports app.py once (the st.App branch): that installs it."""
    check = (
        "import app; from streamlit.runtime.state.safe_session_state import SafeSessionState as S;"
        " assert getattr(S.__init__, 'shares_session_lock', False)"
    )
    subprocess.run([sys.executable, "-c", check], cwd=ROOT, check=True, timeout=120)
