"""The Gradient descent page's pure parts: its schema and link, the run (the worked
example and the race), the frames and the words (no Streamlit run needed)."""

import json
import re

import pytest

from engine.gradient_descent import SURFACES, OptimizerRace, one_weight_gradient, one_weight_steps
from ui.descent import figures, text
from ui.descent.config import SCHEMA
from ui.descent.run import (
    ESCAPE_REACH,
    FAR,
    MAX_FPS,
    MAX_RACE_STEPS,
    MAX_STEPS,
    Example,
    Race,
    build_run,
    escape_bound,
    frame_plan,
    new_race,
    restart,
    start_at,
    sync,
)
from ui.live import link


def example_after(n_steps: int, lr: float = 0.1) -> Example:
    example = Example(lr)
    for _ in range(n_steps):
        example.step()
    return example


@pytest.mark.parametrize("speed", [1, 2, 4, 5, 8, 10, 20, 50, 100])
def test_frame_plan_keeps_the_speed_and_the_frame_rate(speed):
    interval, steps = frame_plan(speed)
    assert steps / interval == pytest.approx(speed)
    assert 1 / interval <= MAX_FPS + 1e-9


def test_outcomes():
    assert Example(0.1).outcome() is None
    assert example_after(3).outcome() is None
    assert example_after(21).outcome() == "converged"  # |w − 3| = 2·0.6²¹ < 5e-5
    assert example_after(20).outcome() is None
    assert example_after(MAX_STEPS, 0.5).outcome() == "limit"  # 5, 1, 5, 1, ... for ever
    rows = one_weight_steps(60, 0.55)
    first_far = next(i for i, r in enumerate(rows) if abs(r.new_w - 3) > FAR)
    assert example_after(first_far + 1, 0.55).outcome() == "diverged"
    assert example_after(first_far, 0.55).outcome() is None


def test_the_example_steps_as_the_engine_and_stops_at_its_end():
    example = example_after(30)  # converged after 21
    assert len(example.rows) == 21 and example.rows == one_weight_steps(21)
    assert example.step() is True and len(example.rows) == 21  # no step after the end
    assert example.weights()[:3] == [5.0, 4.2, pytest.approx(3.72)]


def test_a_diverged_example_says_so_in_the_pages_one_message():
    example = example_after(MAX_STEPS, 0.55)
    assert example.outcome() == "diverged"
    message = example.divergence()
    assert message.startswith(f"Training diverged after {len(example.rows)} steps: lower the learning rate")
    assert "multiplied the error w − 3 by -1.20" in message
    assert text.outcome_message(example) == ("error", message)
    assert Example(0.55).divergence() is None


def test_table_columns_follow_the_worked_example():
    table = figures.example_table(example_after(2))
    assert table["w"] == [5.0, 4.2] and table["new w = w − lr·gradient"] == pytest.approx([4.2, 3.72])


def test_threshold_text_states_the_boundary_precisely():
    words = text.threshold_text()
    assert "diverges for every learning rate above 0.5" in words
    assert "w jumps between 5 and 1 for ever" in words and "stays at 8" in words


def test_the_example_frame_shows_the_stats_and_both_charts():
    frame = figures.example_frame(example_after(1))
    assert [c["id"] for c in frame.charts] == ["parabola", "weights"]
    assert 'id="stat-gd-step">1<' in frame.stats and 'id="stat-gd-w">4.2000<' in frame.stats
    assert 'id="stat-gd-slope">4.8<' in frame.stats  # 2·(2·4.2 − 6)
    parabola = json.loads(frame.charts[0]["figure"])
    current = next(t for t in parabola["data"] if t["name"] == "now")
    assert current["x"] == [4.2] and current["y"] == [pytest.approx(2.88)]


def test_the_race_stops_at_its_last_step_and_restarts_from_its_start():
    race = new_race("linear", 0.1)
    assert race.step(MAX_RACE_STEPS - 1) is False
    assert race.step(50) is True and race.optimizers.steps == MAX_RACE_STEPS
    moved = start_at(race, 2.0, -2.0)
    assert moved.start == (2.0, -2.0) and moved.optimizers.paths["sgd"] == [(2.0, -2.0)]
    moved.step(3)
    again = restart(moved)
    assert again.optimizers.steps == 0 and again.optimizers.paths["adam"] == [(2.0, -2.0)]
    assert start_at(race, 99.0, 0.0) is None  # off the drawn surface


def test_a_diverged_optimizer_shows_in_the_stats_and_the_message():
    race = new_race("linear", 1.0)
    race.step(20)
    diverged = race.optimizers.diverged
    assert diverged["sgd"] and diverged["momentum"] and not diverged["adam"]
    stats = figures.race_stats(race)
    assert f'id="stat-race-loss-sgd">diverged at step {diverged["sgd"]}<' in stats
    message = race.divergence()
    assert message.startswith(f"Training diverged for sgd (step {diverged['sgd']}) and momentum")
    assert "lower the learning rate and press Reset" in message
    assert "passes 50, 10 times the map's farthest edge" in message  # the linear map reaches |b| = 5
    assert new_race("linear", 0.1).divergence() is None


def stat_values(stats: str) -> dict[str, str]:
    return dict(re.findall(r'id="stat-([\w-]+)">([^<]*)<', stats))


def test_a_diverging_optimizer_says_so_and_stops_its_path_near_the_map():
    """No 12-digit loss and no path off to infinity: step by step, each optimizer shows a
    loss of a few digits or that it diverged, and a diverged path stops near the map."""
    race = new_race("linear", 1.0)
    bound = escape_bound(race.optimizers.surface)
    assert bound == ESCAPE_REACH * 5.0
    for _ in range(20):
        race.step()
        values = stat_values(figures.race_stats(race))
        for name in race.optimizers.names:
            value = values[f"race-loss-{name}"]
            if race.optimizers.diverged[name]:
                assert value == f"diverged at step {race.optimizers.diverged[name]}"
            else:
                assert len(value.replace(",", "").split(".")[0]) <= 5, value
            assert abs(race.optimizers.path(name)).max() <= bound
    assert race.diverged() == ["sgd", "momentum"] and race.outcome() is None  # two go on
    surface, fit = (json.loads(c["figure"]) for c in figures.race_frame(race).charts)
    names = [t["name"] for t in surface["data"] if t.get("showlegend", True)]
    assert names[1:3] == ["sgd (diverged)", "momentum (diverged)"]  # after the minimum (drawn under them)
    assert [t.get("visible") for t in fit["data"][1:3]] == ["legendonly", "legendonly"]


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_no_converging_optimizer_reaches_the_divergence_bound(name):
    """From every corner of the map, at the largest rates offered (the farthest swings), an
    optimizer that does not diverge stays well within the bound (so "diverged" is never
    said of one that would come back)."""
    surface = SURFACES[name]()
    bound = escape_bound(surface)
    farthest = 0.0
    for w in surface.w_range:
        for b in surface.b_range:
            for rate in SCHEMA["race_learning_rate"].values[-3:]:
                race = OptimizerRace(surface, (w, b), rate, escape=bound).step(MAX_RACE_STEPS)
                for n in race.names:
                    if race.diverged[n] is None:
                        farthest = max(farthest, float(abs(race.path(n)).max()))
    assert farthest < bound / 2


def test_a_race_where_every_optimizer_diverged_has_ended():
    neuron = SURFACES["linear"]()
    both = OptimizerRace(neuron, neuron.start, 1.0, ("sgd", "momentum"), escape_bound(neuron))
    race = Race("linear", 1.0, None, both)
    assert race.step(20) is True and race.outcome() == "diverged"
    steps = both.steps
    assert race.step(5) is True and both.steps == steps  # Play stops: nothing moves any more


def test_the_contours_lie_under_the_paths():
    """The contour picture travels as an overlay of layer "below" (the browser lays it under
    Plotly's drawing), and the figure's backgrounds are transparent so that it shows."""
    surface = figures.race_frame(new_race("linear", 0.1)).charts[0]
    (overlay,) = surface["overlays"]
    assert overlay["layer"] == "below" and overlay["source"].startswith("asset:")
    layout = json.loads(surface["figure"])["layout"]
    assert layout["paper_bgcolor"] == layout["plot_bgcolor"] == "rgba(0,0,0,0)"
    assert "images" not in layout


def test_presentation_mode_draws_larger_chart_text():
    normal = figures.example_frame(example_after(1))
    large = figures.example_frame(example_after(1), projector=True)
    for a, b in zip(normal.charts, large.charts):
        a, b = json.loads(a["figure"])["layout"], json.loads(b["figure"])["layout"]
        assert b["font"]["size"] == figures.PROJECTOR_FONT > a["font"]["size"]
        assert b["height"] == figures.PROJECTOR_EXAMPLE_HEIGHT > a["height"]
    race = figures.race_frame(new_race("linear", 0.1), projector=True)
    assert all(json.loads(c["figure"])["layout"]["font"]["size"] == figures.PROJECTOR_FONT for c in race.charts)


def page_words() -> list[str]:
    """Every sentence the page's text module puts on screen (at the default settings)."""
    words = [v for v in vars(text).values() if isinstance(v, str)]
    words += [*text.TITLES.values(), *text.BEHAVIOUR_TEXT.values(), *text.SURFACE_LABELS.values()]
    return [*words, text.threshold_text(), text.table_heading(0.1)]


def test_the_words_name_no_colour_and_hold_no_symbol_a_font_may_lack():
    """Colours are named by the charts' own legends and labels; the minimum is a star
    marker drawn in the chart, not a ★ character; the stats' dots are drawn by CSS."""
    colours = re.compile(r"\b(black|white|red|blue|orange|green|purple|violet|grey|gray|yellow|dashed|dotted)\b", re.I)
    for words in page_words():
        assert not colours.search(words), words
        assert not re.search("[\u2600-\u27bf\U0001f000-\U0001faff]", words), words  # symbols and emoji
    assert "●" not in figures.race_stats(new_race("linear", 0.1))


def test_the_intro_says_where_the_example_starts_with_its_own_numbers():
    assert f"We start at w\u00a0=\u00a05 (slope {float(one_weight_gradient(5.0)):g})." in text.EXAMPLE_INTRO
    assert "slope 8" in text.EXAMPLE_INTRO


def test_sync_restarts_only_the_part_whose_settings_changed():
    config = SCHEMA.defaults()
    run = build_run(config)
    run.example.step()
    run.race.step(2)
    sync(run, {**config, "steps_per_second": 8, "race_steps_per_second": 50})  # pace only
    assert len(run.example.rows) == 1 and run.race.optimizers.steps == 2
    sync(run, {**config, "learning_rate": 0.3})
    assert run.example.learning_rate == 0.3 and not run.example.rows and run.race.optimizers.steps == 2
    run.race = start_at(run.race, 1.0, 1.0)
    sync(run, {**config, "learning_rate": 0.3, "race_learning_rate": 0.3})
    assert run.race.learning_rate == 0.3 and run.race.start == (1.0, 1.0)  # the clicked start kept
    sync(run, {**config, "learning_rate": 0.3, "race_learning_rate": 0.3, "race_surface": "sigmoid"})
    assert run.race.surface == "sigmoid" and run.race.start is None  # a start means nothing on another surface


def test_the_link_carries_every_setting_and_snaps_to_the_offered_values():
    config = {
        "learning_rate": 0.55,
        "steps_per_second": 8,
        "race_surface": "sigmoid",
        "race_learning_rate": 0.03,
        "race_steps_per_second": 50,
    }
    params = link.encode(SCHEMA, config)
    assert params == {k: str(v) for k, v in config.items()}
    assert link.decode(SCHEMA, params).config == config
    opened = link.decode(SCHEMA, {"learning_rate": "0.123", "steps_per_second": "3", "race_learning_rate": "5"})
    assert opened.config["learning_rate"] == 0.12 and opened.config["race_learning_rate"] == 1.0
    assert opened.config["steps_per_second"] in (2, 4)
    assert len(opened.notices) == 3
