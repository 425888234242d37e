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


def walk_through(page: str | None, panels: int, steps: list, bad_link: dict) -> None:
    """Open ``page`` (None: the Playground), whose first load shows ``panels`` live panels;
    do each of ``steps`` (what it draws, an action on the AppTest), checking every panel's
    place after each; then open a link with ``bad_link``'s parameters, whose notice must
    not move them either, nor its going."""
    at = open_at(page)
    first = places(at)
    assert len(first) == panels
    for what, action in steps:
        action(at)
        check(at, first, what)
    bad = open_at(page, bad_link)
    assert any("link's settings" in w.value for w in bad.warning)
    check(bad, first, "a link's notice")
    bad.run()
    check(bad, first, "the link's notice gone")


def click(label: str, times: int = 1):
    def clicked(at):
        for _ in range(times):
            button(at, label).click().run()

    return clicked


def press(key: str, times: int = 1):
    def pressed(at):
        for _ in range(times):
            at.button(key=key).click().run()

    return pressed


def play(loop, on: bool):
    return lambda at: at.toggle(key=loop.playing).set_value(on).run()


def test_the_playgrounds_panel_stays_put_through_steps_replay_reset_notices_and_play():
    def replay_bar_drawn(at):
        click("Step", 3)(at)
        assert any(s.label == "Replay: epoch" for s in at.select_slider)  # only when paused with a history

    walk_through(
        None,
        1,
        [
            ("paused, the replay bar drawn", replay_bar_drawn),
            ("after Reset", click("Reset")),
            ("playing", play(K.LOOP, True)),
            ("paused again", play(K.LOOP, False)),
            ("a new activation", lambda at: at.selectbox(key=K.LINK.widget("activation")).set_value("relu").run()),
        ],
        {"learning_rate": "nan"},
    )


def test_universal_approximations_panel_stays_put():
    walk_through(
        "pages/universal_approximation.py",
        1,
        [
            ("after Step", click("Step")),
            ("after Add a neuron", click("Add a neuron")),
            ("after Reset", click("Reset")),
            ("playing", play(ApproxKeys.LOOP, True)),
            ("paused", play(ApproxKeys.LOOP, False)),
        ],
        {"neurons": "many"},
    )


def test_gradient_descents_panels_stay_put():
    walk_through(
        "pages/gradient_descent.py",
        2,
        [
            ("after Steps of the example", press(DescentKeys.ONE.step, 3)),
            ("after a Step of the race", press(DescentKeys.RACE.step)),
            ("the race playing", play(DescentKeys.RACE, True)),
        ],
        {"learning_rate": "x"},
    )


def test_the_neurons_panels_stay_put_through_its_views_and_data():
    def choose(name: str, value: str):
        return lambda at: at.segmented_control(key=NeuronKeys.LINK.widget(name)).set_value(value).run()

    walk_through(
        "pages/the_neuron.py",
        3,
        [
            ("one update at a time", choose("view", "point")),  # the step slider and its note
            ("XOR", choose("data", "xor")),  # XOR's explanation and button
            ("epoch by epoch", choose("view", "epoch")),
        ],
        {"w1": "heavy"},
    )
