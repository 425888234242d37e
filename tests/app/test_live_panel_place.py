"""Every live panel keeps its place on the page whatever else is drawn (ui/live/places.py).

Streamlit places an element by its index among those drawn before it. When a notice, a
warning or the replay bar came or went above a live panel, the panel moved one place, and
the browser showed it at its new place beside its old copy until the run ended: two
panels, two epoch counters (seen in Chromium on a busy machine after Reset on the
Playground, and after Reset in a lesson's presented Playground). Here each page goes
through the states that draw something only sometimes, and every panel's place must stay
the one it had at the first load (on the code before: the Playground's panel at
(6, 0) before Steps, (7, 0) with the replay bar, (6, 0) after Reset).
"""

from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT, button
from ui.state import ApproxKeys, DescentKeys, NeuronKeys
from ui.state import PlaygroundKeys as K


def places(at) -> list[tuple[int, ...]]:
    """The place (child indices from the main area down) of every live panel on the page."""

    def walk(node, prefix):
        for i, child in getattr(node, "children", {}).items():
            if getattr(child, "type", None) == "bidi_component":
                yield (*prefix, i)
            yield from walk(child, (*prefix, i))

    return list(walk(at.main, ()))


def open_at(page: str | None, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if page is None:
        for name, value in (params or {}).items():
            at.query_params[name] = value
    at.run()
    if page is not None:
        for name, value in (params or {}).items():
            at.query_params[name] = value
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def check(at, first: list, what: str) -> None:
    assert not at.exception, at.exception
    assert places(at) == first, f"{what}: panels at {places(at)}, at first {first}"


def test_the_playgrounds_panel_stays_put_through_steps_replay_reset_notices_and_play():
    at = open_at(None)
    first = places(at)
    assert len(first) == 1
    for _ in range(3):
        button(at, "Step").click().run()
    assert any(s.label == "Replay: epoch" for s in at.select_slider)  # drawn only when paused with a history
    check(at, first, "paused, the replay bar drawn")
    button(at, "Reset").click().run()
    check(at, first, "after Reset")
    at.toggle(key=K.LOOP.playing).set_value(True).run()
    check(at, first, "playing")
    at.toggle(key=K.LOOP.playing).set_value(False).run()
    check(at, first, "paused again")
    at.selectbox(key=K.LINK.widget("activation")).set_value("relu").run()  # a new run: its notice, if any
    check(at, first, "a new activation")
    bad = open_at(None, {"learning_rate": "nan"})
    assert any("link's settings" in w.value for w in bad.warning)
    check(bad, first, "a link's notice")
    bad.run()
    check(bad, first, "the link's notice gone")


def test_universal_approximations_panel_stays_put():
    at = open_at("pages/universal_approximation.py")
    first = places(at)
    assert len(first) == 1
    button(at, "Step").click().run()
    check(at, first, "after Step")
    button(at, "Add a neuron").click().run()
    check(at, first, "after Add a neuron")
    button(at, "Reset").click().run()
    check(at, first, "after Reset")
    at.toggle(key=ApproxKeys.LOOP.playing).set_value(True).run()
    check(at, first, "playing")
    at.toggle(key=ApproxKeys.LOOP.playing).set_value(False).run()
    check(at, first, "paused")
    bad = open_at("pages/universal_approximation.py", {"neurons": "many"})
    assert any("link's settings" in w.value for w in bad.warning)
    check(bad, first, "a link's notice")


def test_gradient_descents_panels_stay_put():
    at = open_at("pages/gradient_descent.py")
    first = places(at)
    assert len(first) == 2
    for _ in range(3):
        at.button(key=DescentKeys.ONE.step).click().run()
    check(at, first, "after Steps of the example")
    at.button(key=DescentKeys.RACE.step).click().run()
    check(at, first, "after a Step of the race")
    at.toggle(key=DescentKeys.RACE.playing).set_value(True).run()
    check(at, first, "the race playing")
    bad = open_at("pages/gradient_descent.py", {"learning_rate": "x"})
    assert any("link's settings" in w.value for w in bad.warning)
    check(bad, first, "a link's notice")


def test_the_neurons_panels_stay_put_through_its_views_and_data():
    at = open_at("pages/the_neuron.py")
    first = places(at)
    assert len(first) >= 3
    at.segmented_control(key=NeuronKeys.LINK.widget("view")).set_value("point").run()  # the step slider and its note
    check(at, first, "one update at a time")
    at.segmented_control(key=NeuronKeys.LINK.widget("data")).set_value("xor").run()  # XOR's explanation and button
    check(at, first, "XOR")
    at.segmented_control(key=NeuronKeys.LINK.widget("view")).set_value("epoch").run()
    check(at, first, "epoch by epoch")
