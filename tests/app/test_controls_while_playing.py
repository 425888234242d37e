"""Controls pressed while playing do what they say (issues 19 and 20): the state logic of
``ui.live.loop`` (the run's generation, Step and Reset served once) and of
``ui.live.widgets.set_button``, through AppTest.

What the browser does and AppTest cannot (a live fragment's run on its own, asked for
before a click and served after it) is emulated: a small script runs ``play_update`` with or
without the full run's ``interval``; a click dispatched twice is a click whose first
dispatch's effect is already in the session state. The real thing is tested in Chromium
(tests/browser/test_controls_while_playing.py).
"""

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT, button
from ui.state import ApproxKeys, DescentKeys, LoopKeys
from ui.state import PlaygroundKeys as K

LOOP = LoopKeys.under("test")
# What the emulating script reports and is told: kept here, where the script imports it
# from (AppTest runs it in this process).
TRAINED: list[int] = []  # one entry per frame trained
SCRIPT = {"full_run": True}  # False: the next run is a live fragment's run on its own


def _live_script(home: str):
    """A live page in miniature: in a full run, the run bar and the fragment's interval (as
    every page's ``live_pictures`` asks for it); then the live update. ``home``: the name
    this test module was imported by (AppTest runs the script in this process)."""
    import sys

    from ui.live.loop import interval, play_update
    from ui.live.panel import Frame
    from ui.live.widgets import run_bar

    test = sys.modules[home]

    def advance(_budget: float) -> bool:
        test.TRAINED.append(1)
        return False

    if test.SCRIPT["full_run"]:
        run_bar(test.LOOP, on_step=lambda: None, on_reset=lambda: None)
        interval(test.LOOP)
    play_update(test.LOOP, advance=advance, frame=lambda _playing: Frame([], stats="stats"))


@pytest.fixture
def live():
    TRAINED.clear()
    SCRIPT["full_run"] = True
    at = AppTest.from_function(_live_script, default_timeout=30, args=(__name__,))
    at.run()
    assert not at.exception, at.exception
    return at


def fragment_run(at, *, toggle: bool) -> int:
    """A live fragment's run on its own whose request carried the Play toggle as ``toggle``
    (the browser's state when it asked): the frames it trained."""
    TRAINED.clear()
    SCRIPT["full_run"] = False
    at.session_state[LOOP.playing] = toggle
    at.run()
    SCRIPT["full_run"] = True
    assert not at.exception, at.exception
    return len(TRAINED)


def test_updates_the_full_run_started_train(live):
    live.toggle(key=LOOP.playing).set_value(True).run()
    assert TRAINED  # the full run's own update
    assert fragment_run(live, toggle=True) > 0  # and the fragment runs after it


@pytest.mark.parametrize("control", [LOOP.reset, LOOP.step])
def test_an_update_asked_for_before_reset_or_step_trains_nothing_after_it(live, control):
    live.toggle(key=LOOP.playing).set_value(True).run()
    live.button(key=control).click().run()
    assert live.session_state[LOOP.playing] is False
    # The browser asked for this run while it still showed Play: it is served after the click's run.
    assert fragment_run(live, toggle=True) == 0


def test_an_update_asked_for_before_pause_trains_nothing_after_it(live):
    live.toggle(key=LOOP.playing).set_value(True).run()
    live.toggle(key=LOOP.playing).set_value(False).run()
    assert fragment_run(live, toggle=True) == 0


def test_play_again_after_reset_trains_again(live):
    live.toggle(key=LOOP.playing).set_value(True).run()
    live.button(key=LOOP.reset).click().run()
    live.toggle(key=LOOP.playing).set_value(True).run()
    assert fragment_run(live, toggle=True) > 0


STEPS_SERVED: list[int] = []


def _press_script(home: str):
    """Step's callback as Streamlit dispatches one click twice: both times with the draw
    it was drawn in (7)."""
    import sys

    from ui.live.loop import press

    test = sys.modules[home]
    press(test.LOOP, test.LOOP.step, 7, lambda: test.STEPS_SERVED.append(1))


def test_a_click_dispatched_twice_is_served_once_and_pauses_both_times():
    """Streamlit dispatches a click in a live fragment's run that carried it and again in
    the click's full run, whose widget states (from the browser) still say Play."""
    STEPS_SERVED.clear()
    at = AppTest.from_function(_press_script, default_timeout=30, args=(__name__,))
    at.session_state[LOOP.playing] = True
    at.run()
    at.session_state[LOOP.playing] = True  # the second dispatch's request: Play still on
    at.run()
    assert not at.exception, at.exception
    assert at.session_state[LOOP.playing] is False  # paused both times
    assert STEPS_SERVED == [1]  # stepped once


# ---- the pages -----------------------------------------------------------------------------


@pytest.fixture
def playground():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def play_one_update(at, loop: LoopKeys) -> None:
    """Play on: AppTest runs the live fragment inline, so the full run trains one update."""
    at.toggle(key=loop.playing).set_value(True).run()
    assert not at.exception, at.exception


def test_reset_while_playing_gives_the_first_load_back(playground):
    at = playground
    first = at.session_state[K.RUN]
    weights, loss = first.network.params.copy(), first.trainer.history.train_loss[-1]
    play_one_update(at, K.LOOP)
    assert at.session_state[K.RUN].trainer.epoch > 0
    started = at.session_state[K.LOOP.generation] if K.LOOP.generation in at.session_state else 0
    at.button(key=K.LOOP.reset).click().run()
    run = at.session_state[K.RUN]
    assert run.trainer.epoch == 0 and run.trainer.history.train_loss[-1] == loss
    assert np.array_equal(run.network.params, weights)
    assert at.session_state[K.LOOP.playing] is False
    assert at.session_state[K.LOOP.live_generation] is None  # no update trains until Play
    assert at.session_state[K.LOOP.generation] > started


def test_step_while_playing_pauses_and_trains_one_epoch(playground):
    at = playground
    play_one_update(at, K.LOOP)
    before = at.session_state[K.RUN].trainer.epoch
    at.button(key=K.LOOP.step).click().run()
    assert at.session_state[K.LOOP.playing] is False
    assert at.session_state[K.RUN].trainer.epoch == before + 1


def test_a_step_whose_click_was_served_in_a_fragment_run_is_not_trained_again(playground):
    at = playground
    play_one_update(at, K.LOOP)
    before = at.session_state[K.RUN].trainer.epoch
    # The click's first dispatch (in a live fragment's run) served it in this draw of the run bar.
    at.session_state[K.LOOP.served] = {K.LOOP.step: at.session_state[K.LOOP.drawn]}
    at.session_state[K.LOOP.playing] = True  # the full run's widget states: Play still on
    at.button(key=K.LOOP.step).click().run()
    assert at.session_state[K.RUN].trainer.epoch == before
    assert at.session_state[K.LOOP.playing] is False


def test_a_change_of_architecture_while_playing_starts_a_new_generation(playground):
    at = playground
    play_one_update(at, K.LOOP)
    started = at.session_state[K.LOOP.generation] if K.LOOP.generation in at.session_state else 0
    at.button(key=K.neurons_button(0, "plus")).click().run()
    assert at.session_state[K.RUN].network.sizes == (2, 5, 2, 1)
    assert at.session_state[K.LOOP.generation] > started
    assert at.session_state[K.LOOP.live_generation] == at.session_state[K.LOOP.generation]  # plays on


@pytest.mark.parametrize(
    ("button_key", "hidden"),
    [
        (K.neurons_button(0, "plus"), [5, 2]),
        (K.neurons_button(1, "minus"), [4, 1]),
        (K.LAYERS_PLUS, [4, 2, 4]),
        (K.LAYERS_MINUS, [4]),
    ],
)
def test_one_click_dispatched_twice_changes_the_network_once(playground, button_key, hidden):
    at = playground
    play_one_update(at, K.LOOP)
    # The click's first dispatch (in a live fragment's run) already set the layers; the
    # click's own full run dispatches it again.
    at.session_state[K.LINK.widget("hidden")] = hidden
    at.button(key=button_key).click().run()
    assert not at.exception, at.exception
    assert list(at.session_state[K.LINK.widget("hidden")]) == hidden
    assert at.session_state[K.RUN].network.sizes == (2, *hidden, 1)


def test_one_plus_click_adds_one_neuron(playground):
    at = playground
    for expected in (5, 6, 7):
        at.button(key=K.neurons_button(0, "plus")).click().run()
        assert at.session_state[K.RUN].network.sizes == (2, expected, 2, 1)


def open_other(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_add_a_neuron_dispatched_twice_adds_one():
    at = open_other("pages/universal_approximation.py")
    neurons = ApproxKeys.LINK.widget("neurons")
    play_one_update(at, ApproxKeys.LOOP)
    width = at.session_state[ApproxKeys.RUN].width
    at.session_state[neurons] = width + 1  # the first dispatch's effect
    button(at, "Add a neuron").click().run()
    assert at.session_state[ApproxKeys.RUN].width == width + 1
    button(at, "Add a neuron").click().run()  # a second click: one more
    assert at.session_state[ApproxKeys.RUN].width == width + 2


def test_approximation_reset_while_playing():
    at = open_other("pages/universal_approximation.py")
    weights = at.session_state[ApproxKeys.RUN].network.params.copy()
    play_one_update(at, ApproxKeys.LOOP)
    at.button(key=ApproxKeys.LOOP.reset).click().run()
    run = at.session_state[ApproxKeys.RUN]
    assert run.trainer.epoch == 0 and np.array_equal(run.network.params, weights)
    assert at.session_state[ApproxKeys.LOOP.live_generation] is None


@pytest.mark.parametrize("loop", [DescentKeys.ONE, DescentKeys.RACE])
def test_descent_reset_and_step_while_playing_pause(loop):
    at = open_other("pages/gradient_descent.py")
    play_one_update(at, loop)
    at.button(key=loop.reset).click().run()
    assert at.session_state[loop.playing] is False and at.session_state[loop.live_generation] is None
    play_one_update(at, loop)
    at.button(key=loop.step).click().run()
    assert at.session_state[loop.playing] is False and at.session_state[loop.live_generation] is None
