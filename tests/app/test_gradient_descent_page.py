"""The Gradient descent page, driven through Streamlit's AppTest.

AppTest runs the script without a browser: the Play loops (fragments on a timer) never
tick here, but switching Play on runs the fragment once, which takes one step."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT, panels
from ui.state import DescentKeys as K


@pytest.fixture
def gd():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.switch_page("pages/gradient_descent.py").run()
    assert not at.exception, at.exception
    return at


def click(at, key):
    at.button(key=key).click().run()
    assert not at.exception, at.exception


def stat(at, element_id: str) -> str:
    body = " ".join(p["stats"] for p in panels(at))
    start = body.index(f'id="{element_id}">') + len(f'id="{element_id}">')
    return body[start : body.index("<", start)]


def table(at) -> dict:
    frame = at.dataframe[0].value
    return {column: list(frame[column]) for column in frame.columns}


def test_page_loads_at_the_start_of_the_worked_example(gd):
    assert gd.title[0].value == "Gradient descent"
    assert stat(gd, "gd-step") == "0" and stat(gd, "gd-w") == "5.0000" and stat(gd, "gd-slope") == "8"
    assert stat(gd, "gd-behaviour") == "converges from one side"
    one, race = panels(gd)
    assert [c["id"] for c in one["charts"]] == ["parabola", "weights"]
    assert [c["id"] for c in race["charts"]] == ["surface", "fit"]
    assert race["charts"][0]["clickable"]
    parabola = json.loads(one["charts"][0]["figure"])
    current = next(t for t in parabola["data"] if t["name"] == "current")
    assert (current["x"], current["y"]) == ([5.0], [8.0])
    assert not gd.dataframe  # no steps yet


def test_steps_fill_the_table_with_the_worked_example(gd):
    for _ in range(3):
        click(gd, K.ONE_STEP)
    rows = table(gd)
    assert rows["step"] == [1, 2, 3]
    assert rows["w"] == pytest.approx([5.0, 4.2, 3.72])
    assert rows["prediction w·x"] == pytest.approx([10.0, 8.4, 7.44])
    assert rows["loss ½(w·x − 6)²"] == pytest.approx([8.0, 2.88, 1.0368])
    assert rows["gradient x·(w·x − 6)"] == pytest.approx([8.0, 4.8, 2.88])
    assert rows["new w = w − lr·gradient"] == pytest.approx([4.2, 3.72, 3.432])
    assert stat(gd, "gd-w") == "3.4320"
    click(gd, K.ONE_RESET)
    assert stat(gd, "gd-step") == "0" and not gd.dataframe


def test_the_page_states_the_divergence_threshold(gd):
    text = " ".join(i.value for i in gd.info)
    assert "diverges for every learning rate above 0.5" in text
    assert "At exactly lr = 0.5 the factor is −1" in text and "neither converges nor diverges" in text


def test_at_exactly_half_it_oscillates_for_ever(gd):
    click(gd, K.preset(0.5))
    assert gd.slider(key=K.ONE_RATE).value == 0.5
    for _ in range(4):
        click(gd, K.ONE_STEP)
    assert table(gd)["w"] == [5.0, 1.0, 5.0, 1.0]
    assert table(gd)["loss ½(w·x − 6)²"] == [8.0] * 4
    assert stat(gd, "gd-behaviour") == "oscillates for ever"


def test_above_half_it_diverges_and_says_so(gd):
    click(gd, K.preset(0.55))
    assert stat(gd, "gd-behaviour") == "diverges"
    for _ in range(60):
        if gd.button(key=K.ONE_STEP).disabled:
            break
        click(gd, K.ONE_STEP)
    assert gd.button(key=K.ONE_STEP).disabled
    assert any("Diverged" in e.value for e in gd.error)


def test_a_quarter_converges_in_one_step(gd):
    click(gd, K.preset(0.25))
    click(gd, K.ONE_STEP)
    assert stat(gd, "gd-w") == "3.0000"
    assert any("Converged after 1 step" in s.value for s in gd.success)


def test_moving_the_slider_starts_again_with_the_new_rate(gd):
    click(gd, K.ONE_STEP)
    gd.slider(key=K.ONE_RATE).set_value(0.3).run()
    assert stat(gd, "gd-step") == "0"
    click(gd, K.ONE_STEP)
    assert table(gd)["new w = w − lr·gradient"] == pytest.approx([5.0 - 0.3 * 8.0])
    assert stat(gd, "gd-behaviour") == "converges, oscillating"


def test_play_takes_a_step_per_frame_and_pause_keeps_it(gd):
    gd.toggle(key=K.ONE_PLAYING).set_value(True).run()
    assert not gd.exception
    assert stat(gd, "gd-step") == "1"
    gd.toggle(key=K.ONE_PLAYING).set_value(False).run()
    assert stat(gd, "gd-step") == "1"


def test_the_race_steps_all_four_optimizers_together(gd):
    start = {n: stat(gd, f"race-loss-{n}") for n in ("sgd", "momentum", "rmsprop", "adam")}
    assert len(set(start.values())) == 1  # one start
    for _ in range(5):
        click(gd, K.RACE_STEP)
    race = gd.session_state[K.RACE]
    assert race.steps == 5 and stat(gd, "race-step") == "5"
    assert all(len(race.paths[n]) == 6 for n in race.names)
    assert all(float(stat(gd, f"race-loss-{n}")) < float(start[n]) for n in race.names)
    click(gd, K.RACE_RESET)
    assert gd.session_state[K.RACE].steps == 0


def test_changing_the_surface_or_the_rate_restarts_the_race(gd):
    click(gd, K.RACE_STEP)
    gd.selectbox(key=K.RACE_SURFACE).set_value("sigmoid").run()
    race = gd.session_state[K.RACE]
    assert race.steps == 0 and race.surface.activation == "sigmoid"
    click(gd, K.RACE_STEP)
    gd.select_slider(key=K.RACE_RATE).set_value(1.0).run()
    race = gd.session_state[K.RACE]
    assert race.steps == 0 and race.learning_rate == 1.0 and race.surface.activation == "sigmoid"


def test_settings_survive_a_visit_to_another_page(gd):
    click(gd, K.preset(0.4))
    click(gd, K.ONE_STEP)
    gd.switch_page("pages/playground.py").run()
    gd.switch_page("pages/gradient_descent.py").run()
    assert not gd.exception
    assert gd.slider(key=K.ONE_RATE).value == 0.4
    assert stat(gd, "gd-step") == "1"
