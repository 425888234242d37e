"""One lock for a session's state, whichever of its script runs holds it (Streamlit 1.67).

A click while a script run goes on stops that run and starts the next at once, in a new
thread (Streamlit's "fast reruns"); the ending run goes on until its next ``st.*`` call.
Each run reaches the session's state through its own ``SafeSessionState``, and each of
those makes its own lock, so the two runs do not exclude each other: seen in a loaded test
run, the ending run's clean-up of stale widgets (``on_script_finished``) changed the widget
dictionary while the next run's ``on_script_will_rerun`` iterated it for callbacks
("RuntimeError: dictionary changed size during iteration" in the server's log).

``share_session_state_lock()`` (app.py, at server start, before any session) makes every
``SafeSessionState`` of one session use one lock: the ending run's clean-up then waits for
the next run's callbacks, and the other way round. Turning fast reruns off also ends the
race, but measured in the browser tests under load it made a click wait for the live
update under way to end (a select box on the playing Playground opened in 22-29 s of test
time instead of 11-13, and often not within 30 s).

The locks are kept by the runs that use them (a weak registry keyed by the session state's
id: an entry goes when its session's last run does): no session's data lives here.
"""

import threading
import weakref

from streamlit.runtime.state.safe_session_state import SafeSessionState


class _SharedLock:
    __slots__ = ("__weakref__", "lock")

    def __init__(self) -> None:
        self.lock = threading.RLock()  # re-entrant, as Streamlit's own (callbacks nest calls)


_RLOCK = type(threading.RLock())
_by_state: "weakref.WeakValueDictionary[int, _SharedLock]" = weakref.WeakValueDictionary()
_registry = threading.Lock()


def _shared_lock_for(state) -> _SharedLock:
    with _registry:
        holder = _by_state.get(id(state))
        if holder is None:
            holder = _by_state[id(state)] = _SharedLock()
        return holder


def share_session_state_lock() -> None:
    """Make every ``SafeSessionState`` made from now on use its session's one lock (once
    per process; later calls do nothing). RuntimeError if this Streamlit's
    ``SafeSessionState`` is not made as 1.67's is (a lock in ``_lock``, the state in
    ``_state``), so that an upgrade cannot silently undo the fix."""
    original = SafeSessionState.__init__
    if getattr(original, "shares_session_lock", False):
        return

    def __init__(self, state, yield_callback) -> None:
        original(self, state, yield_callback)
        fields = self.__dict__
        if not isinstance(fields.get("_lock"), _RLOCK) or fields.get("_state") is not state:
            raise RuntimeError(
                "ui/live/session_lock.py: this Streamlit's SafeSessionState no longer keeps its lock in _lock"
                " and its state in _state: check whether its script runs of one session still need one lock."
            )
        holder = _shared_lock_for(state)
        object.__setattr__(self, "_lock", holder.lock)
        object.__setattr__(self, "_shared_lock_holder", holder)  # alive as long as a run uses it

    __init__.shares_session_lock = True
    SafeSessionState.__init__ = __init__
