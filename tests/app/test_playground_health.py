"""The health view on the Playground, through AppTest: each failure preset opened by its
link and trained shows its diagnosis in its own numbers; its "Try this" button changes the
settings (the widgets and the URL follow) and the new run trains; the default setup shows
no diagnosis; the health chart and the neurons' outlines are drawn on request.

AppTest does not play: training goes through the session's run (``trainer.train``), then
a run of the page, as a live update would show it."""

import json

import pytest

from engine.health import diagnose
from tests.app.conftest import open_link, panels, url
from ui.live.link import decode
from ui.live.markdown import plain
from ui.playground import health
from ui.playground.config import SCHEMA
from ui.playground.run import build_run
from ui.state import PlaygroundKeys as K

# preset -> (the finding it shows, epochs to train before looking)
EXPECTED = {
    "exploding": ("divergence", 100),
    "vanishing": ("vanishing", 30),
    "dead": ("dead", 30),
    "symmetry": ("symmetry", 10),
    "overfitting": ("overfitting", 150),
}


def run_of(at):
    return at.session_state[K.RUN]


def messages(at) -> list[str]:
    return [w.value for w in at.warning]


def charts(at) -> dict:
    (payload,) = panels(at)
    return {c["id"]: c for c in payload["charts"]}


def test_every_preset_is_checked():
    assert set(EXPECTED) == set(health.PRESETS)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_a_preset_shows_its_failure_and_try_this_fixes_the_settings(name):
    kind, epochs = EXPECTED[name]
    at = open_link(health.preset_params(name), timeout=60)
    run = run_of(at)
    assert run.config == health.preset_config(name) and run.config["show_health"]
    assert "health" in charts(at)  # the health view is on
    run.trainer.train(epochs)
    at.run()
    assert not at.exception, at.exception
    finding = next(f for f in diagnose(run.trainer) if f.kind == kind)
    converging = run.converging[1] if kind == "divergence" else None
    if kind == "divergence":
        assert run.converging is not None and run.converging[0] == run.config["learning_rate"]
    from_start = kind == "saturated" and health.saturated_from_start(run, finding.layer)
    advice = health.advise(finding, run.config, run.network.n_layers, converging=converging, from_start=from_start)
    shown = next(m for m in messages(at) if advice.title in m)
    assert plain(advice.text) in shown  # the run's own numbers, as the finding has them
    before = dict(run.config)
    at.button(key=K.health_fix(kind, finding.layer)).click().run()
    assert not at.exception, at.exception
    fresh = run_of(at)
    expected = {**before, **advice.fix}
    assert fresh is not run and fresh.config == expected
    # From the start again (the page then plays: AppTest's run of the live update trained a few frames).
    assert fresh.trainer.history.train_loss[0] == build_run(expected).trainer.history.train_loss[0]
    assert decode(SCHEMA, url(at)).config == expected  # the URL follows
    assert at.session_state[K.LOOP.playing] is True
    assert any(advice.change in i.value.replace("\\", "") for i in at.info)  # what changed, said once
    first = fresh.trainer.history.train_loss[0]
    fresh.trainer.train(200)
    assert fresh.trainer.history.train_loss[-1] < first  # the new run trains


def test_the_default_setup_trained_2000_epochs_shows_no_diagnosis():
    at = open_link({"show_health": "1"}, timeout=60)
    run = run_of(at)
    run.trainer.train(2000)
    at.run()
    assert not at.exception
    assert diagnose(run.trainer) == [] and messages(at) == []
    assert not [b for b in at.button if b.label == "Try this"]


def test_a_preset_button_opens_it_in_place_and_the_url_says_so():
    at = open_link({"show_health": "1"}, timeout=60)
    run_of(at).trainer.train(5)
    at.button(key=K.health_preset("exploding")).click().run()
    assert not at.exception
    run = run_of(at)
    assert run.config == health.preset_config("exploding") and run.trainer.epoch == 0
    assert url(at) == health.preset_params("exploding")
    assert at.number_input(key=K.LINK.widget("learning_rate")).value == 3.0


def test_the_health_chart_and_the_outlines_are_drawn_on_request():
    at = open_link({}, timeout=60)
    assert "health" not in charts(at) and not [b for b in at.button if b.key == K.health_preset("dead")]
    at.checkbox(key=K.LINK.widget("show_health")).check().run()
    at.checkbox(key=K.LINK.widget("health_colors")).check().run()
    assert url(at) == {"show_health": "1", "health_colors": "1"}
    figure = json.loads(charts(at)["health"]["figure"])
    assert [t["name"] for t in figure["data"] if t.get("showlegend")] == ["hidden 1", "hidden 2", "output"]
    network = json.loads(charts(at)["network"]["figure"])
    assert network["layout"]["showlegend"] is True
    assert next(t["name"] for t in network["data"] if t.get("showlegend")).startswith("red: dead")
