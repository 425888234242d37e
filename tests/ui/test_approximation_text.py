"""The words of the Universal approximation page that carry numbers: the caveat of a target
that jumps says what the run's own numbers show (once: "misses by about half the jump"
beside a max error of 0.98 with a jump of 1, and "the RMSE still falls" while it stayed at
0.068 from 8 to 256 neurons)."""

import re

import pytest

from ui.approximation.config import DEFAULTS
from ui.approximation.run import build_run, samples_around_jump, settled_rows
from ui.approximation.text import jump_caveat, number, position

STEP = [(0.0, 1.0)]
AROUND = (0.0, -0.000417, 0.0510)
FLAT = [(8, 0.9839, 0.0681), (16, 0.9861, 0.0682), (256, 0.9879, 0.0683)]  # as measured on the step


def test_at_least_half_the_jump_with_the_jump_and_its_half():
    text = jump_caveat(STEP, AROUND, FLAT)
    assert "at least half the jump" in text and "jumps by 1 at x = 0" in text and "(0.5 here)" in text
    assert "about half" not in text
    assert "x = −0.00042 and 0.051" in text  # the samples on either side, as the data has them


def test_the_measured_numbers_are_the_rows_and_flat_errors_are_not_said_to_fall():
    text = jump_caveat(STEP, AROUND, FLAT)
    assert "with 8 neurons, max error 0.9839 and RMSE 0.0681" in text
    assert "with 256, max error 0.9879 and RMSE 0.0683" in text
    assert "both stayed about the same" in text
    assert not re.search(r"\b(falls?|fell|shrinks?)\b", text)
    assert "stays as wide" in text  # why: no more samples around the jump


def test_an_rmse_that_falls_is_said_to_fall_and_a_rising_one_to_rise():
    text = jump_caveat(STEP, AROUND, [(4, 0.99, 0.53), (8, 0.98, 0.40)])
    assert "the max error stayed about the same and the RMSE fell" in text and "stays as wide" not in text
    assert "the max error rose" in jump_caveat(STEP, AROUND, [(4, 0.6, 0.2), (8, 0.9, 0.2)])


def test_without_records_nothing_is_claimed_about_the_trend():
    text = jump_caveat(STEP, AROUND, [])
    assert "add neurons and compare" in text
    assert not re.search(r"\b(fell|rose|stayed)\b", text)
    one = jump_caveat(STEP, AROUND, [(4, 0.5578, 0.2345)])
    assert "with 4 neurons, max error 0.5578 and RMSE 0.2345." in one and not re.search(r"\b(fell|rose)\b", one)


def test_the_sweep_is_named_as_the_source_and_a_low_grid_max_error_is_explained():
    text = jump_caveat([(0.0, 2.0)], None, [(1, 0.93, 0.5), (128, 0.95, 0.07)], "sweep")
    assert text.split("\n\n")[1].startswith("In the sweep: with 1 neuron,")
    assert "(1 here)" in text and "straddle" in text  # 0.93 < 1: the grid missed the steepest part


def test_several_jumps_are_listed():
    run = build_run(dict(DEFAULTS, target="sawtooth"))
    text = jump_caveat(run.jumps, samples_around_jump(run), settled_rows(run))
    assert "jumps by 2 at x = −1, 0, 1 and 2" in text and "(1 here)" in text


def test_the_samples_around_the_jump_are_the_training_samples_nearest_to_it():
    run = build_run(dict(DEFAULTS, target="step"))
    x0, before, after = samples_around_jump(run)
    x = run.trainer.X_train[:, 0]
    assert x0 == 0.0 and before == x[x < 0].max() and after == x[x >= 0].min()
    assert samples_around_jump(build_run(DEFAULTS)) is None  # sin does not jump


@pytest.mark.parametrize(
    ("value", "text"), [(0.5, "0.5"), (1.9995, "2"), (-0.0, "0"), (-1.0, "−1"), (0.98385, "0.984")]
)
def test_numbers(value, text):
    assert number(value) == text


def test_positions():
    assert [position(v) for v in (0.0, -0.000417, 0.051035, -1.011413, 0.992994)] == [
        "0",
        "−0.00042",
        "0.051",
        "−1.011",
        "0.993",
    ]
