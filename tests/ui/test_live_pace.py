"""The live loop under load (issue 18): a busy server gives each frame more training and
rebuilds slow charts less often; a frame's training follows the time it stands for on
screen, so a run keeps the pace its user chose when frames come further apart."""

import pytest

from engine import Trainer
from ui.descent.run import frame_plan, new_race
from ui.live.cadence import Cadence, FrameWork, busy_server
from ui.live.loop import (
    BUSY_SESSIONS,
    FRAME_BUDGET,
    LONGEST_FRAME,
    TRAIN_PER_DRAW,
    Pace,
    UpdatePlan,
    budget_for,
)
from ui.playground.config import SCHEMA
from ui.playground.run import FRAMES_PER_SECOND, advance, build_run, epochs_per_frame


def plan(sessions: int) -> UpdatePlan:
    return UpdatePlan(frames=10, budget=budget_for(sessions), busy=sessions > BUSY_SESSIONS)


def test_a_frame_stands_for_the_time_since_the_last_update_over_its_frames():
    pace = Pace()
    first = pace.work(plan(1), 6, 0.025, now=100.0)
    assert first == FrameWork(FRAME_BUDGET, 0.025)  # the first update after Play: the page's pace
    assert pace.work(plan(1), 6, 0.025, now=100.6).seconds == pytest.approx(0.1)  # 0.6 s over 6 frames
    assert pace.work(plan(1), 6, 0.025, now=100.61).seconds == 0.025  # never faster than the page's pace
    assert pace.work(plan(1), 6, 0.025, now=200.0).seconds == LONGEST_FRAME  # back from afar: no burst


def test_a_busy_server_trains_each_frame_as_long_as_it_draws():
    pace = Pace()
    for seconds in (0.004, 0.004, 0.004):
        pace.drew(seconds)
    assert pace.draw_seconds == pytest.approx(0.004)
    assert pace.work(plan(BUSY_SESSIONS), 10, 0.015, now=1.0).budget == budget_for(BUSY_SESSIONS)  # not busy
    busy = pace.work(plan(50), 10, 0.015, now=2.0)
    assert busy.budget == pytest.approx(TRAIN_PER_DRAW * 0.004)
    assert busy.budget > budget_for(50)
    assert Pace().work(plan(50), 10, 0.015, now=1.0).budget == budget_for(50)  # nothing drawn yet


def test_epochs_per_frame_follow_the_speed_and_the_time_a_frame_stands_for():
    assert epochs_per_frame("400") == 400 // FRAMES_PER_SECOND == 10  # the page's own pace
    assert epochs_per_frame("400", 0.4) == 160  # frames 0.4 s apart on a busy server
    assert epochs_per_frame("10", 0.1) == 1 and epochs_per_frame("10", 0.5) == 5
    assert epochs_per_frame("1", 0.01) == 1  # a frame trains at least one epoch
    assert epochs_per_frame("max", 0.4) == 10**6  # as many as the budget allows


def test_a_playground_frame_trains_speed_times_seconds_epochs_like_the_engine():
    config = SCHEMA.defaults() | {"speed": "400"}
    run, oracle = build_run(config, None), build_run(config, None)
    assert not advance(run, FrameWork(budget=60.0, seconds=0.1))
    assert run.trainer.epoch == 40
    assert isinstance(oracle.trainer, Trainer)
    oracle.trainer.train(40)
    assert (run.network.params == oracle.network.params).all()  # the same 40 epochs, bit for bit


def test_the_race_keeps_its_steps_per_second_when_frames_come_further_apart():
    for speed in (5, 10, 20, 50):
        seconds, steps = frame_plan(speed)
        race = new_race("linear", 0.05)
        race.play(speed, seconds)
        assert race.optimizers.steps == steps  # at the page's own pace: its plan
        race.play(speed, 4 * seconds)
        assert race.optimizers.steps == 5 * steps  # a frame 4 times as long: 4 plans


def test_the_race_carries_a_fraction_of_a_step_to_the_next_frame():
    """Frames 0.125 s apart at 10 steps/s: 1.25 steps each, so 1, 1, 1, 2 (not 1 a frame,
    8 steps a second instead of 10); 400 frames of 0.1 s are exactly 400 steps."""
    race = new_race("linear", 0.05)
    taken = []
    for _ in range(8):
        before = race.optimizers.steps
        race.play(10, 0.125)
        taken.append(race.optimizers.steps - before)
    assert taken == [1, 1, 1, 2, 1, 1, 1, 2]
    race = new_race("linear", 0.05)
    for _ in range(399):
        race.play(10, 0.1)
    assert race.optimizers.steps == 399 and not race.ended


def test_on_a_busy_server_slow_charts_are_rebuilt_less_often():
    built = []

    def build(names):
        built.append(sorted(names))
        return {name: len(built) for name in names}

    cadence = Cadence({"network": 1, "output": 1, "loss": 10}, {"network": 2, "loss": 20})
    for _ in range(4):
        cadence.figures_now(build, playing=True)
    assert built == [["loss", "network", "output"], ["network", "output"], ["network", "output"], ["network", "output"]]
    built.clear()
    with busy_server(True):
        for _ in range(4):  # frames 4 to 7
            figures = cadence.figures_now(build, playing=True)
    assert built == [["network", "output"], ["output"], ["network", "output"], ["output"]]
    assert set(figures) == {"network", "output", "loss"}  # the others: the last ones built
    built.clear()
    with busy_server(True):
        cadence.figures_now(build, playing=False)  # paused: everything, busy or not
    assert built == [["loss", "network", "output"]]


def test_a_paced_page_on_a_busy_server_sends_the_frames_its_time_holds():
    """Gradient descent's race at 10 steps/s: a frame every 0.1 s, two an update when the
    server keeps up; when updates come 0.7 s apart, seven, at most an update's worth."""
    pace = Pace()
    assert pace.frames_due(100.0, 0.1, 2, 10) == 2  # the first update after Play
    pace.last_update = 100.0
    assert pace.frames_due(100.2, 0.1, 2, 10) == 2
    assert pace.frames_due(100.05, 0.1, 2, 10) == 2  # never fewer than the page's own
    assert pace.frames_due(100.7, 0.1, 2, 10) == 7
    assert pace.frames_due(103.0, 0.1, 2, 10) == 10  # never more than a busy update's
    assert pace.frames_due(100.75, 0.1, 2, 10) == 7  # whole frames: 0.75 s is 7 of them, not 8
    # Each of those frames stands for the page's own pace: the race keeps its speed.
    work = pace.work(plan(50), 7, 0.1, now=100.7)
    race = new_race("linear", 0.05)
    for _ in range(7):
        race.play(10, work.seconds)
    assert work.seconds == pytest.approx(0.1) and race.optimizers.steps == 7
