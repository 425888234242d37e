"""The Play loop every live page shares: the server-wide training lock, the load meter,
frames per update, the pause that lets an update leave, and the request to switch Play
off from inside a live update (``play_update`` puts them together)."""

import collections
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

import streamlit as st

from ui.live import together
from ui.live.cadence import FrameWork, busy_server
from ui.live.delivery import wait_until_sent
from ui.live.panel import Frame, live_panel
from ui.state import SESSION_TOKEN, LoopKeys

FRAME_BUDGET = 0.010  # seconds of training per frame at most: the rest of a frame is drawing


class FairLock:
    """A lock granted in the order it was asked for (``threading.Lock`` is not: a thread
    that just released it often takes it again, and with 50 students some wait for ever).

    Each waiter sleeps on a lock of its own and the holder hands the lock straight to the
    first in line: a release wakes one thread, not every waiting one."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiters: collections.deque[threading.Lock] = collections.deque()
        self._held = False

    def __enter__(self) -> "FairLock":
        with self._mutex:
            if not self._held:
                self._held = True
                return self
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append(turn)
        turn.acquire()  # released by the thread before us in line: the lock is ours now
        return self

    def __exit__(self, *exc) -> None:
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().release()  # handed over: stays held
            else:
                self._held = False


@st.cache_resource
def training_lock() -> FairLock:
    """One lock for the whole server: sessions take turns to train (the Playground: to
    train and draw an update's frames), first come, first served. Many sessions running
    small NumPy operations at once thrash the GIL; taking turns keeps every one moving
    (measured with benchmarks/live.py: 25 sessions without a lock got ~2 frames/s in all;
    with the lock around the whole update 50 sessions got ~3 frames/s each, ~2 with it
    around training only). Not per-user data: a lock, shared on purpose."""
    return FairLock()


class LoadMeter:
    """How many sessions played within the last few seconds: the server's load.

    Holds anonymous per-session tokens and times only; shared by all sessions on purpose.
    The window is longer than a fragment run's period under the heaviest load (~1.5 s
    with 50 students), or the count would drop as runs grow longer."""

    WINDOW = 3.0

    def __init__(self) -> None:
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def tick(self, token: str) -> int:
        """Record a fragment run of session ``token``; return the number of playing sessions."""
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
    """Seconds of training per frame when the server is not busy: the full budget for one
    or two sessions, less as more play at once (a frame always trains at least one epoch,
    see Trainer.train). A busy server gives more: see ``FrameWork``."""
    return FRAME_BUDGET / max(1.0, playing_sessions / 2)


# On a busy server (more than BUSY_SESSIONS playing) what costs is drawing a frame and
# Streamlit's work per update, not training: measured with benchmarks/live.py, 25 to 50
# sessions, ~6 ms of server time per frame against ~0.5 ms per epoch of the default
# network. Shrinking each frame's training with the number of sessions left every student
# at about one epoch a frame, a few epochs a second. Instead, a frame on a busy server
# trains about as long as the session's frames take to draw (TRAIN_PER_DRAW times), and
# its epochs follow the time the frame stands for on screen: frames come further apart,
# each trains more, and the run moves at the pace the user chose as far as that share of
# the server allows (README, "Speed").
TRAIN_PER_DRAW = 1.0
# Sessions that train together (ui/live/together.py) get several times the epochs from the
# same time, and what bounds a busy server's students is then the frames: a frame trains
# for this share of its drawing time instead (measured with benchmarks/live.py, README
# "How many students a server holds": at 0.5, 50 students got 5.5-6.0 frames/s and 45-47
# epochs/s each; at 0.4, 6.0-6.5 and 36-38, and 25 students 12.5-13 and 76-78).
TOGETHER_TRAIN_PER_DRAW = 0.4
LONGEST_FRAME = 2.0  # seconds a frame may stand for (a session back from a long pause trains no burst)


@dataclass(slots=True)
class Pace:
    """A session's live pace, kept between its updates (``LoopKeys.pace``): when its last
    update began (``time.monotonic()``; None while paused) and how long its frames take to
    draw (seconds, a running average; None until measured)."""

    last_update: float | None = None
    draw_seconds: float | None = None

    def drew(self, seconds: float) -> None:
        """A frame took ``seconds`` to draw."""
        self.draw_seconds = seconds if self.draw_seconds is None else 0.7 * self.draw_seconds + 0.3 * seconds

    def frames_due(self, now: float, frame_seconds: float, least: int, most: int) -> int:
        """Frames of a paced page (one every ``frame_seconds``) that the time since the
        last update stands for, from ``least`` to ``most``. On a busy server updates come
        further apart than the page's interval; an update then carries as many frames as
        that time holds, so the page keeps its pace with fewer, fuller updates (each costs
        Streamlit the same work, however many frames it carries)."""
        if self.last_update is None:
            return least
        # Whole frames only (rounding up would make each frame stand for less than its pace)
        due = int((now - self.last_update) / frame_seconds + 1e-9)
        return min(most, max(least, due))

    def work(
        self, plan: "UpdatePlan", frames: int, nominal: float, now: float, train_per_draw: float = TRAIN_PER_DRAW
    ) -> FrameWork:
        """The training each of an update's ``frames`` frames may do, the update beginning
        at ``now``: on a busy server the budget grows to ``train_per_draw`` times the
        drawing time per frame; a frame stands for the time since the last update over its
        frames, never less than ``nominal`` (the page's own pace, and the first update's
        after Play) nor more than LONGEST_FRAME."""
        seconds = nominal if self.last_update is None else min((now - self.last_update) / frames, LONGEST_FRAME)
        self.last_update = now
        budget = plan.budget
        if plan.busy and self.draw_seconds is not None:
            budget = max(budget, train_per_draw * self.draw_seconds)
        return FrameWork(budget, max(seconds, nominal))


# Several frames per update (the Playground's live fragment). Measured (benchmarks/live.py,
# this 2-core machine, server and Chromium side by side): every update costs the server
# ~8 ms of Streamlit's own work whatever it carries, and the browser 30-60 ms, because
# Streamlit's page re-renders every element on it after each fragment run. One frame per
# update capped one student at ~26 frames/s (the browser was saturated) and 50 students at
# ~2 (the server was). Six frames per update, an update every 0.15 s: ~40 frames/s alone;
# ten per update when more than 10 sessions play: 50 students get 6-8 frames/s each (4-7
# with six). The browser plays an update's frames evenly until the next one arrives
# (static/live_chart.js), so the pictures trail the training by one update.
FRAMES_PER_UPDATE = 6
UPDATE_SECONDS = 0.15
# The browser asks for a fragment run every interval (a ``setInterval``), finished or not.
# When the server is busy (many students), the next request is waiting when a run ends, so
# Streamlit starts the next run at once, and that start discards the ended run's update
# if the server's event loop has not sent it yet. A live fragment run therefore ends by
# waiting until its update has been sent (ui/live/delivery.py: a condition, not a fixed
# pause; the thread sleeps, other sessions use the CPU meanwhile). Measured with
# benchmarks/live.py: a fixed 10 ms pause (before) let 50 Playground students' updates
# through, but Gradient descent's race, ten one-frame updates a second, lost ~30% of them
# with 25 students and ~40% with 50.


def let_update_leave(playing: bool) -> None:
    """End a live fragment's run, while playing, once its update has left (see above)."""
    if playing:
        wait_until_sent()


BUSY_SESSIONS = 10  # more playing sessions than this: FRAMES_PER_BUSY_UPDATE frames per update
FRAMES_PER_BUSY_UPDATE = 10


def frames_per_update(playing_sessions: int) -> int:
    """Frames per update: FRAMES_PER_UPDATE, more on a busy server, where every update's
    ~8 ms of Streamlit's own work is shared by more frames (the browser gets them further
    apart anyway)."""
    return FRAMES_PER_UPDATE if playing_sessions <= BUSY_SESSIONS else FRAMES_PER_BUSY_UPDATE


@dataclass(frozen=True)
class UpdatePlan:
    frames: int  # frames to make in this update
    budget: float  # seconds of training per frame at most
    busy: bool  # more than BUSY_SESSIONS play: slow charts are rebuilt less often (ui/live/cadence.py)


def update_plan() -> UpdatePlan:
    """This session's plan for its next update, given the server's load (call once per
    update: it counts this session as playing)."""
    token = st.session_state.setdefault(SESSION_TOKEN, uuid.uuid4().hex)
    sessions = load_meter().tick(token)
    return UpdatePlan(frames_per_update(sessions), budget_for(sessions), sessions > BUSY_SESSIONS)


def session_pace(loop: LoopKeys) -> Pace:
    """The session's pace for the live loop ``loop`` (made on first use)."""
    pace = st.session_state.get(loop.pace)
    if pace is None:
        pace = st.session_state[loop.pace] = Pace()
    return pace


def pause_pace(loop: LoopKeys) -> None:
    """Not training: the next update after Play starts at the page's own pace."""
    pace = st.session_state.get(loop.pace)
    if pace is not None:
        pace.last_update = None


# ---- the run of a page, Step and Reset ---------------------------------------------------
#
# What a control pressed while playing must guard against (issue 19, measured on the
# Playground in Chromium): the browser asks for a live fragment run every interval. A
# request it sent before a click's full run reached it is served *after* that full run,
# with the widget states the browser had then: Play still on. Pressed while playing, Reset
# left the epoch at 39, 48, 46, 39 and 32 in 5 of 10 presses: one update's training landed
# on the rebuilt run, Play shown off. So a live update does not go by the Play toggle alone:
# it trains only if the last full run started updates (``interval``: Play on) for the
# run's present generation, and every control that replaces, rewinds or pauses the run (a
# new run, Step, Reset, the Play toggle) moves the generation on (``new_generation``).
#
# The same requests bring a second hazard: a live fragment run whose request carried a
# click dispatches that button's callback, and the click's own full run dispatches it
# again (seen in the server's log: the "+" callback twice, 0.1 s apart, the first inside
# a fragment run). Step and Reset are therefore served once per draw of the run bar
# (``press``), and buttons that change a setting set a value worked out when they were
# drawn (``ui.live.widgets.set_button``): dispatched twice, they set it twice.


def generation(loop: LoopKeys) -> int:
    """The generation of the page's run (0 until a control moves it on)."""
    return st.session_state.get(loop.generation, 0)


def new_generation(loop: LoopKeys) -> None:
    """The run was replaced, rewound or paused: live updates asked for before now train no more."""
    st.session_state[loop.generation] = generation(loop) + 1


def live_updates_may_train(loop: LoopKeys) -> bool:
    """Whether the last full run started live updates for the run's present generation."""
    return st.session_state.get(loop.live_generation) == generation(loop)


def next_draw(loop: LoopKeys) -> int:
    """Count a draw of the run bar; the count is what its Step and Reset carry (``press``)."""
    drawn = st.session_state.get(loop.drawn, 0) + 1
    st.session_state[loop.drawn] = drawn
    return drawn


def press(loop: LoopKeys, button: str, drawn: int, action: Callable[[], None]) -> None:
    """The callback of Step or Reset (``button``, its key), drawn in run bar draw ``drawn``:
    pauses, moves the generation on (no live update asked for earlier trains after it) and
    does ``action``, once per draw, however often Streamlit dispatches the click.

    The pause is set at every dispatch: the full run after a fragment run that served the
    click gets the browser's widget states again, Play on among them. The click counts as
    served only once ``action`` has returned: the click's own full run, requested while
    the fragment's dispatch runs, can cut that dispatch short (Streamlit raises the rerun at
    the callback's next Streamlit call and swallows it; seen under load on Universal
    approximation: a Reset that built no new run), and then its own dispatch serves it."""
    st.session_state[loop.playing] = False
    new_generation(loop)
    served = st.session_state.setdefault(loop.served, {})
    if served.get(button) != drawn:  # else served already, in a live fragment's run that carried it
        action()
        served[button] = drawn


@dataclass(frozen=True)
class RunSlot:
    """Where a live page keeps its run in the session state, and what its Step and Reset
    buttons do to it (the same on every live page)."""

    key: str  # the run's session-state key
    loop: LoopKeys

    def current(self):
        return st.session_state.get(self.key)

    def step(self, train_once: Callable) -> None:
        """Step: ``train_once(run)`` under the training lock (never beside a live update),
        paused (the run bar's ``press`` pauses too; this is for callers without it)."""
        st.session_state[self.loop.playing] = False
        run = self.current()
        if run is not None:
            with training_lock():
                train_once(run)

    def reset(self, rebuild: Callable) -> None:
        """Reset: the run ``rebuild(run)`` makes (the same seeds: the same start), paused."""
        self.replace(lambda run: rebuild(run) if run is not None else None)
        st.session_state[self.loop.playing] = False

    def replace(self, build: Callable) -> None:
        """A new run, ``build(run)`` from the present one: live updates asked for before
        it never train it (see ``new_generation``)."""
        st.session_state[self.key] = build(self.current())
        new_generation(self.loop)


# ---- the loop ------------------------------------------------------------------------------


def frames_and_interval(frame_seconds: float | None, plan_frames: int) -> tuple[int, float]:
    """(frames per update, seconds between updates) for a page that wants a frame every
    ``frame_seconds`` (None: as often as the server allows). Fast pages send several
    frames per update, every UPDATE_SECONDS; a page slower than that, one per update."""
    if frame_seconds is None:
        return plan_frames, UPDATE_SECONDS
    if frame_seconds >= UPDATE_SECONDS:
        return 1, frame_seconds
    frames = min(plan_frames, max(1, round(UPDATE_SECONDS / frame_seconds)))
    return frames, frames * frame_seconds


def interval(loop: LoopKeys, frame_seconds: float | None = None) -> float | None:
    """The ``run_every`` of a live fragment, asked for by the full run that makes it: the
    update interval while its Play is on, else None. It records the generation these
    updates are for: only they train (``live_updates_may_train``)."""
    playing = bool(st.session_state.get(loop.playing))
    st.session_state[loop.live_generation] = generation(loop) if playing else None
    if not playing:
        return None
    return frames_and_interval(frame_seconds, FRAMES_PER_UPDATE)[1]


def honour_pause_request(loop: LoopKeys) -> None:
    """In a full run, before the Play toggle is drawn: switch Play off if a live update
    asked for it (an update cannot change a widget that the full run drew)."""
    st.session_state.setdefault(loop.playing, False)
    if st.session_state.pop(loop.pause_request, False):
        st.session_state[loop.playing] = False


def request_pause(loop: LoopKeys) -> None:
    """From inside a live update: ask the full run to switch Play off, and start it now."""
    st.session_state[loop.pause_request] = True
    st.rerun(scope="app")


def lesson_task_check(loop: LoopKeys) -> None:
    """The open lesson scene's task, checked live (ui/lessons/session.py); imported when
    called: the lessons know every page, and so this module."""
    from ui.lessons.session import check_live

    check_live(loop)


def _same_run(loop: LoopKeys, started: int) -> None:
    """Holding the training lock: if a control replaced the run while this update waited
    for it (not possible while Streamlit runs a session's callbacks and fragment runs on
    one thread, as it does now), start again with the present run."""
    if generation(loop) != started:
        st.rerun(scope="fragment")


def _train_and_draw(work: FrameWork, advance, frame, pace: Pace, frames: list) -> bool:
    """One frame, holding the training lock: train, draw, time the drawing; True when
    Play must stop."""
    stop = advance(work)
    drawing = time.perf_counter()
    frames.append(frame(not stop))
    pace.drew(time.perf_counter() - drawing)
    return stop


def _frames_together(loop, started, work, count, advance, frame, offer, pace, frames) -> bool:
    """An update's frames on a busy server, each taking the training lock on its own, its
    training offered to whoever holds the lock first (ui/live/together.py). True when
    Play must stop."""
    room = together.training_room()
    for _ in range(count):
        wanted = offer(work)
        mine = None if wanted is None else room.offer(*wanted, work.budget)
        try:
            with training_lock(), busy_server(True):
                _same_run(loop, started)
                if mine is not None:
                    room.train(mine)
                if _train_and_draw(replace(work, trained=mine), advance, frame, pace, frames):
                    return True
        finally:
            room.withdraw(mine)
    return False


def play_update(
    loop: LoopKeys,
    *,
    advance: Callable[[FrameWork], bool],
    frame: Callable[[bool], Frame],
    grid: dict | None = None,
    can_train: bool = True,
    frame_seconds: float | None = None,
    one_frame: bool = False,
    offer: Callable[[FrameWork], tuple | None] | None = None,
):
    """One run of a page's live fragment: while Play is on (and ``can_train``), train and
    draw an update's worth of frames under the training lock, then send them at once;
    otherwise draw the present state. Returns the panel's result (clicks).

    ``offer(work)``: what a frame would train, ``(trainer, epochs)``, or None. On a busy
    server a page that gives it trains together with other sessions of its shape
    (ui/live/together.py): each frame then takes the lock on its own, and ``advance``
    finds its training done in ``work.trained``.

    ``advance(work)`` trains one frame's worth (``work.budget`` seconds of training at
    most; at a pace, for ``work.seconds``: see ``FrameWork``) and returns True when Play
    must stop (the run diverged or ended); ``frame(playing)``
    draws the present state as a ``Frame`` (``playing`` False: the frame after the last,
    with hover and toolbars). ``frame_seconds`` is the page's pace (None: as fast as the
    server allows); ``one_frame`` sends one frame per update (e.g. while the user draws
    points, so that each click is answered at once)."""
    # The toggle may say Play from a request the browser sent before a Reset or Pause:
    # only updates the last full run started for this generation train (see above).
    playing = bool(st.session_state.get(loop.playing)) and live_updates_may_train(loop)
    training = playing and can_train
    started = generation(loop)
    frames: list[Frame] = []
    stop = False
    if training:
        plan = update_plan()
        count, every = frames_and_interval(frame_seconds, plan.frames)
        count = 1 if one_frame else count
        nominal, now = every / count, time.monotonic()
        pace = session_pace(loop)
        if plan.busy and frame_seconds is not None and not one_frame:
            count = pace.frames_due(now, frame_seconds, count, plan.frames)
        grouped = offer is not None and plan.busy and together.enabled()
        share = TOGETHER_TRAIN_PER_DRAW if grouped else TRAIN_PER_DRAW
        work = pace.work(plan, count, nominal, now, share)
        if grouped:
            stop = _frames_together(loop, started, work, count, advance, frame, offer, pace, frames)
        else:
            with training_lock(), busy_server(plan.busy):  # sessions take turns, first come, first served
                _same_run(loop, started)
                for _ in range(count):
                    stop = _train_and_draw(work, advance, frame, pace, frames)
                    if stop:
                        break
    else:
        pause_pace(loop)
        with training_lock():  # a frame reads the run: never while a Step trains it
            frames.append(frame(False))
    if stop:
        request_pause(loop)  # reruns the page: the frames above are drawn by that run
    if training:
        lesson_task_check(loop)  # a lesson's task done while playing: the page reruns to say so
    result = live_panel(
        frames[-1].charts,
        key=loop.panel,
        stats=frames[-1].stats,
        grid=grid,
        playing=training and not one_frame,
        earlier=frames[:-1],
    )
    let_update_leave(training)  # before a waiting run starts and discards it
    return result
