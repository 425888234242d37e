"""Sessions of one shape train together on a busy server (ui/live/together.py), and each
run ends exactly where it would have ended training alone (the oracle: the same runs
advanced one frame at a time by the page's own ``advance``, each on its own)."""

import threading
from dataclasses import replace

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT
from ui.live import loop
from ui.live.cadence import FrameWork
from ui.live.loop import FairLock
from ui.live.together import TrainingRoom, training_room
from ui.playground.config import SCHEMA
from ui.playground.run import advance, build_run, frame_training
from ui.state import ApproxKeys
from ui.state import PlaygroundKeys as K

SESSIONS, FRAMES = 5, 3
WORK = FrameWork(budget=60.0, seconds=0.1)  # the epochs decide, not the clock


def student(s: int):
    """Student s's Playground run: the class's link, each their own learning rate."""
    return build_run(SCHEMA.defaults() | {"speed": "100", "learning_rate": [0.03, 0.01, 0.1, 0.3, 0.003][s]}, None)


def test_waiting_sessions_train_together_and_end_where_they_would_alone():
    runs, alone = [student(s) for s in range(SESSIONS)], [student(s) for s in range(SESSIONS)]
    room, lock = TrainingRoom(), FairLock()
    before = [[] for _ in range(SESSIONS)]  # each frame's weights before it trained (for ΔW)

    def session(s: int) -> None:
        for _ in range(FRAMES):
            mine = room.offer(*frame_training(runs[s], WORK), WORK.budget)
            try:
                with lock:
                    room.train(mine)
                    assert not advance(runs[s], replace(WORK, trained=mine))
                    before[s].append(runs[s].previous_params.copy())
            finally:
                room.withdraw(mine)

    with lock:  # every session offers its first frame while the lock is held: they meet
        threads = [threading.Thread(target=session, args=(s,)) for s in range(SESSIONS)]
        for t in threads:
            t.start()
        while len(room._waiting) < SESSIONS:
            threading.Event().wait(0.001)
    for t in threads:
        t.join(timeout=120)
        assert not t.is_alive()

    assert room.groups_trained >= 1 and room._waiting == []
    for s in range(SESSIONS):
        for frame in range(FRAMES):
            params = alone[s].network.params.copy()
            assert not advance(alone[s], WORK)
            assert before[s][frame].tobytes() == params.tobytes() == alone[s].previous_params.tobytes()
        assert runs[s].network.params.tobytes() == alone[s].network.params.tobytes()
        assert runs[s].trainer.epoch == alone[s].trainer.epoch == FRAMES * 10
        assert bytes(runs[s].trainer.history.train_loss) == bytes(alone[s].trainer.history.train_loss)


def test_an_offer_trained_by_another_is_not_trained_again_and_shapes_keep_apart():
    room = TrainingRoom()
    a, b = student(0), student(1)
    other = build_run(SCHEMA.defaults() | {"speed": "100", "hidden": (3,)}, None)
    offers = [room.offer(*frame_training(run, WORK), WORK.budget) for run in (a, b, other)]
    room.train(offers[1])
    assert offers[0].trained and offers[1].trained and not offers[2].trained  # another shape waits
    epoch = a.trainer.epoch
    room.train(offers[0])  # its own session's turn: trained already
    assert a.trainer.epoch == epoch == 10
    assert offers[0].params_before is not None and not np.array_equal(offers[0].params_before, a.network.params)
    for offer in offers:
        room.withdraw(offer)
    assert room._waiting == []


@pytest.fixture
def busy_server(monkeypatch):
    """Every playing session counts as a busy server's (more than BUSY_SESSIONS playing)."""
    monkeypatch.setattr(loop, "BUSY_SESSIONS", 0)


def test_the_playground_playing_on_a_busy_server_trains_through_the_room(busy_server):
    room = training_room()
    offers_before = room.offers_trained
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.toggle(key=K.LOOP.playing).set_value(True).run()  # the full run's live fragment plays an update
    assert not at.exception, at.exception
    run = at.session_state[K.RUN]
    assert run.trainer.epoch > 0
    assert room.offers_trained > offers_before  # each frame's training offered, then trained by the room
    assert room._waiting == []  # every offer withdrawn after its frame
    # ΔW: the weights before the frame, kept by the room
    assert run.previous_params is not None and not np.array_equal(run.previous_params, run.network.params)


def test_universal_approximation_trains_alone_on_a_busy_server(busy_server):
    """Measured (benchmarks/live.py): its frames are cheap and its training a small share,
    so taking the lock a frame at a time cost it more frames than training together gave."""
    room = training_room()
    offers_before = room.offers_trained
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/universal_approximation.py").run()
    at.toggle(key=ApproxKeys.LOOP.playing).set_value(True).run()
    assert not at.exception, at.exception
    assert at.session_state[ApproxKeys.RUN].trainer.epoch > 0
    assert room.offers_trained == offers_before
