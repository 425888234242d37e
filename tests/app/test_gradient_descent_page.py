"""The Gradient descent page, driven through Streamlit's AppTest.

AppTest runs the script without a browser: the Play loops (fragments on a timer) never
tick here, but switching Play on runs the fragment once, in the full run, which takes one
frame's steps (and, at the end of a run, asks the next full run to switch Play off)."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT, panels
from ui.descent.config import SCHEMA
from ui.descent.run import MAX_RACE_STEPS, frame_plan
from ui.live.loop import FRAMES_PER_UPDATE, frames_and_interval
from ui.state import DescentKeys as K


def open_page(params: dict | None = None) -> AppTest:
    """The page as a new session opens it, at /gradient-descent?<params>."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.switch_page("pages/gradient_descent.py")
    at.query_params.clear()
    at.query_params.update(params or {})
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def gd():
    return open_page()


def click(at, key):
    at.button(key=key).click().run()
    assert not at.exception, at.exception


def stat(at, name: str) -> str:
    body = " ".join(p["stats"] for p in panels(at))
    start = body.index(f'id="stat-{name}">') + len(f'id="stat-{name}">')
    return body[start : body.index("<", start)]


def table(at) -> dict:
    frame = at.dataframe[0].value
    return {column: list(frame[column]) for column in frame.columns}


def url(at) -> dict:
    return {k: (v if isinstance(v, str) else v[-1]) for k, v in at.query_params.items()}


def widget(name: str) -> str:
    return K.LINK.widget(name)


def run_of(at):
    return at.session_state[K.RUN]


def link_notices(at) -> list:
    return [w for w in at.warning if "link's settings" in w.value]


def test_page_loads_at_the_start_of_the_worked_example(gd):
    assert gd.title[0].value == "Gradient descent"
    assert stat(gd, "gd-step") == "0" and stat(gd, "gd-w") == "5.0000" and stat(gd, "gd-slope") == "8"
    assert stat(gd, "gd-behaviour") == "converges from one side"
    one, race = panels(gd)
    assert [c["id"] for c in one["charts"]] == ["parabola", "weights"]
    assert [c["id"] for c in race["charts"]] == ["surface", "fit"]
    assert race["charts"][0]["clickable"]
    parabola = json.loads(one["charts"][0]["figure"])
    current = next(t for t in parabola["data"] if t["name"] == "now")
    assert (current["x"], current["y"]) == ([5.0], [8.0])
    assert not gd.dataframe  # no steps yet
    assert url(gd) == {}  # the defaults: nothing to say
    assert any(e.label == "Share a link" for e in gd.expander)


def test_steps_fill_the_table_with_the_worked_example(gd):
    for _ in range(3):
        click(gd, K.ONE.step)
    rows = table(gd)
    assert rows["step"] == [1, 2, 3]
    assert rows["w"] == pytest.approx([5.0, 4.2, 3.72])
    assert rows["prediction w·x"] == pytest.approx([10.0, 8.4, 7.44])
    assert rows["loss ½(w·x − 6)²"] == pytest.approx([8.0, 2.88, 1.0368])
    assert rows["gradient x·(w·x − 6)"] == pytest.approx([8.0, 4.8, 2.88])
    assert rows["new w = w − lr·gradient"] == pytest.approx([4.2, 3.72, 3.432])
    assert stat(gd, "gd-w") == "3.4320"
    click(gd, K.ONE.reset)
    assert stat(gd, "gd-step") == "0" and not gd.dataframe


def test_the_page_states_the_divergence_threshold(gd):
    text = " ".join(i.value for i in gd.info)
    assert "diverges for every learning rate above 0.5" in text
    assert "At exactly lr = 0.5 the factor is −1" in text and "neither converges nor diverges" in text


def test_at_exactly_half_it_oscillates_for_ever(gd):
    click(gd, K.preset(0.5))
    assert gd.slider(key=widget("learning_rate")).value == 0.5
    for _ in range(4):
        click(gd, K.ONE.step)
    assert table(gd)["w"] == [5.0, 1.0, 5.0, 1.0]
    assert table(gd)["loss ½(w·x − 6)²"] == [8.0] * 4
    assert stat(gd, "gd-behaviour") == "oscillates for ever"


def test_above_half_it_diverges_and_says_so(gd):
    click(gd, K.preset(0.55))
    assert stat(gd, "gd-behaviour") == "diverges"
    for _ in range(60):
        if gd.button(key=K.ONE.step).disabled:
            break
        click(gd, K.ONE.step)
    assert gd.button(key=K.ONE.step).disabled
    (error,) = gd.error
    assert error.value.startswith("Training diverged after") and "lower the learning rate" in error.value


def test_a_quarter_converges_in_one_step(gd):
    click(gd, K.preset(0.25))
    click(gd, K.ONE.step)
    assert stat(gd, "gd-w") == "3.0000"
    assert any("Converged after 1 step" in s.value for s in gd.success)


def test_a_preset_starts_again_even_at_the_same_rate(gd):
    click(gd, K.preset(0.4))
    click(gd, K.ONE.step)
    click(gd, K.preset(0.4))
    assert stat(gd, "gd-step") == "0"


def test_moving_the_slider_starts_again_with_the_new_rate(gd):
    click(gd, K.ONE.step)
    gd.slider(key=widget("learning_rate")).set_value(0.3).run()
    assert stat(gd, "gd-step") == "0"
    click(gd, K.ONE.step)
    assert table(gd)["new w = w − lr·gradient"] == pytest.approx([5.0 - 0.3 * 8.0])
    assert stat(gd, "gd-behaviour") == "converges, oscillating"
    assert url(gd) == {"learning_rate": "0.3"}


def test_play_takes_a_step_per_frame_and_pause_keeps_it(gd):
    gd.toggle(key=K.ONE.playing).set_value(True).run()
    assert not gd.exception
    assert stat(gd, "gd-step") == "1"
    assert gd.toggle(key=K.ONE.playing).value  # still playing: the run goes on
    gd.toggle(key=K.ONE.playing).set_value(False).run()
    assert stat(gd, "gd-step") == "1"


def test_play_stops_by_itself_at_the_end_of_the_example(gd):
    click(gd, K.preset(0.25))  # converges in one step
    gd.toggle(key=K.ONE.playing).set_value(True).run()
    assert not gd.exception
    assert stat(gd, "gd-step") == "1" and stat(gd, "gd-w") == "3.0000"
    assert gd.toggle(key=K.ONE.playing).value is False  # the pause request switched Play off
    assert K.ONE.pause_request not in gd.session_state
    assert any("Converged after 1 step" in s.value for s in gd.success)
    gd.run()
    assert stat(gd, "gd-step") == "1"


def test_the_race_steps_all_four_optimizers_together(gd):
    start = {n: stat(gd, f"race-loss-{n}") for n in ("sgd", "momentum", "rmsprop", "adam")}
    assert len(set(start.values())) == 1  # one start
    for _ in range(5):
        click(gd, K.RACE.step)
    race = run_of(gd).race.optimizers
    assert race.steps == 5 and stat(gd, "race-step") == "5"
    assert all(len(race.paths[n]) == 6 for n in race.names)
    assert all(float(stat(gd, f"race-loss-{n}")) < float(start[n]) for n in race.names)
    click(gd, K.RACE.reset)
    assert run_of(gd).race.optimizers.steps == 0


def test_play_races_an_update_and_stops_at_the_last_step(gd):
    gd.select_slider(key=widget("race_steps_per_second")).set_value(50).run()
    seconds, steps = frame_plan(50)  # 3 steps a frame, 50 a second
    frames, _ = frames_and_interval(seconds, FRAMES_PER_UPDATE)  # 2 frames an update
    gd.toggle(key=K.RACE.playing).set_value(True).run()
    assert run_of(gd).race.optimizers.steps == frames * steps == 6 and stat(gd, "race-step") == "6"
    assert gd.toggle(key=K.RACE.playing).value
    run_of(gd).race.step(MAX_RACE_STEPS - 6 - 1)  # one step left
    gd.run()  # the toggle is still on: the fragment takes the last step, then asks to pause
    assert not gd.exception
    assert run_of(gd).race.optimizers.steps == MAX_RACE_STEPS and stat(gd, "race-step") == str(MAX_RACE_STEPS)
    assert gd.toggle(key=K.RACE.playing).value is False
    assert any(f"Stopped after {MAX_RACE_STEPS} steps" in i.value for i in gd.info)


def test_a_diverging_optimizer_is_said_once_with_the_pages_message(gd):
    gd.select_slider(key=widget("race_learning_rate")).set_value(1.0).run()
    for _ in range(10):
        click(gd, K.RACE.step)
    assert stat(gd, "race-loss-sgd").startswith("diverged at step")
    (error,) = gd.error
    assert error.value.startswith("Training diverged for sgd (step")
    assert float(stat(gd, "race-loss-adam")) >= 0
    race = run_of(gd).race.optimizers
    assert max(abs(race.path("sgd")).max(), abs(race.path("momentum")).max()) <= race.escape == 50  # stopped
    surface = json.loads(panels(gd)[1]["charts"][0]["figure"])
    assert [t["name"] for t in surface["data"] if t.get("meta") in ("sgd", "adam")] == ["sgd (diverged)", "adam"]


def test_changing_the_surface_or_the_rate_restarts_the_race(gd):
    click(gd, K.RACE.step)
    gd.selectbox(key=widget("race_surface")).set_value("sigmoid").run()
    race = run_of(gd).race
    assert race.optimizers.steps == 0 and race.optimizers.surface.activation == "sigmoid"
    click(gd, K.RACE.step)
    gd.select_slider(key=widget("race_learning_rate")).set_value(1.0).run()
    race = run_of(gd).race
    assert race.optimizers.steps == 0 and race.learning_rate == 1.0 and race.surface == "sigmoid"
    assert url(gd) == {"race_surface": "sigmoid", "race_learning_rate": "1"}


def test_settings_survive_a_visit_to_another_page(gd):
    click(gd, K.preset(0.4))
    click(gd, K.ONE.step)
    gd.switch_page("pages/playground.py").run()
    gd.switch_page("pages/gradient_descent.py").run()
    assert not gd.exception
    assert gd.slider(key=widget("learning_rate")).value == 0.4
    assert stat(gd, "gd-step") == "1"


# ---- the link ----------------------------------------------------------------------------


def test_a_link_opens_the_example_at_its_rate_and_the_url_follows_changes():
    at = open_page({"learning_rate": "0.55"})
    assert at.slider(key=widget("learning_rate")).value == 0.55
    assert stat(at, "gd-behaviour") == "diverges" and run_of(at).example.learning_rate == 0.55
    assert not at.warning  # nothing was ignored
    assert url(at) == {"learning_rate": "0.55"}
    at.select_slider(key=widget("steps_per_second")).set_value(8).run()
    assert url(at) == {"learning_rate": "0.55", "steps_per_second": "8"}
    at.slider(key=widget("learning_rate")).set_value(0.1).run()  # back to the default
    assert url(at) == {"steps_per_second": "8"}


def test_a_link_with_every_setting_opens_that_setup():
    shared = {
        "learning_rate": "0.25",
        "steps_per_second": "4",
        "race_surface": "sigmoid",
        "race_learning_rate": "0.03",
        "race_steps_per_second": "20",
    }
    at = open_page(shared)
    assert [at.slider(key=widget("learning_rate")).value, at.selectbox(key=widget("race_surface")).value] == [
        0.25,
        "sigmoid",
    ]
    race = run_of(at).race
    assert race.surface == "sigmoid" and race.learning_rate == 0.03
    assert at.session_state[K.LINK.config] == {name: SCHEMA.coerce(name, v) for name, v in shared.items()}
    assert url(at) == shared


@pytest.mark.parametrize(
    "params, named",
    [
        ({"learning_rate": "fast"}, ["learning_rate"]),
        ({"learning_rate": "7", "race_surface": "cubic"}, ["learning_rate", "race_surface"]),
        ({"steps_per_second": "nan", "colour": "red", "present": "maybe"}, ["steps_per_second", "colour", "present"]),
    ],
)
def test_a_bad_link_gets_one_notice_and_the_page_works(params, named):
    at = open_page(params)
    (notice,) = link_notices(at)
    for name in named:
        assert f"`{name}`" in notice.value
    click(at, K.ONE.step)
    click(at, K.RACE.step)
    assert stat(at, "gd-step") == "1" and stat(at, "race-step") == "1"
    assert not link_notices(at)  # said once


def test_hidden_controls_are_absent_but_their_values_apply():
    at = open_page({"learning_rate": "0.4", "learning_rate_hide": "1", "race_surface_hide": "1"})
    keys = {w.key for w in (*at.slider, *at.select_slider, *at.selectbox)}
    assert widget("learning_rate") not in keys and widget("race_surface") not in keys
    assert widget("steps_per_second") in keys and widget("race_learning_rate") in keys
    assert not [b for b in at.button if b.key and b.key.startswith("gd.preset")]  # presets set the rate
    assert run_of(at).example.learning_rate == 0.4
    at.select_slider(key=widget("race_learning_rate")).set_value(0.3).run()
    assert url(at) == {
        "learning_rate": "0.4",
        "race_learning_rate": "0.3",
        "learning_rate_hide": "1",
        "race_surface_hide": "1",
    }


def test_presentation_mode_shows_the_run_bars_and_pictures_only():
    at = open_page({"present": "1", "learning_rate": "0.25"})
    assert not (at.slider or at.select_slider or at.selectbox)  # no settings drawn
    assert [b.key for b in at.button] == [K.LINK.leave_present, K.ONE.step, K.ONE.reset, K.RACE.step, K.RACE.reset]
    assert not at.expander  # no update rules, no share panel
    assert not at.info  # the pictures first: the threshold's explanation is for the page, not the projector
    assert not at.markdown or all("Every step as a row" in m.value for m in at.markdown)
    css = " ".join(h.proto.body for h in at.get("html"))
    assert 'data-testid="stSidebar"' in css
    assert len(at.get("bidi_component")) == 2  # both panels
    click(at, K.ONE.step)
    assert stat(at, "gd-w") == "3.0000"
    click(at, K.LINK.leave_present)
    assert "present" not in url(at) and url(at)["learning_rate"] == "0.25"
    assert at.slider(key=widget("learning_rate")).value == 0.25
    assert any(e.label == "Share a link" for e in at.expander)


def test_the_share_panel_gives_the_link_to_this_setup(gd):
    gd.selectbox(key=widget("race_surface")).set_value("sigmoid").run()
    assert not gd.code  # folded: its content is not even sent
    gd.session_state[K.LINK.share_panel] = True  # the user unfolds it
    gd.run()
    assert any(c.value.endswith("?race_surface=sigmoid") for c in gd.code)
    gd.multiselect(key=K.LINK.share_hide).set_value(["learning_rate"]).run()
    gd.checkbox(key=K.LINK.share_present).check().run()
    assert any(c.value.endswith("?race_surface=sigmoid&learning_rate_hide=1&present=1") for c in gd.code)
    assert "present" not in url(gd)  # the page itself is not in presentation mode
