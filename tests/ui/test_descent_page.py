"""The Gradient descent page's pure parts: its schema and link, the run (the worked
example and the race), the frames and the words (no Streamlit run needed)."""

import json

import pytest

from engine.gradient_descent import one_weight_steps
from ui.descent import figures, text
from ui.descent.config import SCHEMA
from ui.descent.run import (
    FAR,
    MAX_FPS,
    MAX_RACE_STEPS,
    MAX_STEPS,
    Example,
    build_run,
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
    current = next(t for t in parabola["data"] if t["name"] == "current")
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
    assert new_race("linear", 0.1).divergence() is None


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
