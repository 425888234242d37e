"""The Gradient descent page's plain helpers (no Streamlit run needed)."""

import pytest

from engine.gradient_descent import one_weight_steps
from ui.descent_page import FAR, MAX_FPS, MAX_STEPS, frame_plan, one_outcome, one_table, threshold_text


@pytest.mark.parametrize("speed", [1, 2, 4, 5, 8, 10, 20, 50, 100])
def test_frame_plan_keeps_the_speed_and_the_frame_rate(speed):
    interval, steps = frame_plan(speed)
    assert steps / interval == pytest.approx(speed)
    assert 1 / interval <= MAX_FPS + 1e-9


def test_outcomes():
    assert one_outcome([]) is None
    assert one_outcome(one_weight_steps(3)) is None
    assert one_outcome(one_weight_steps(21)) == "converged"  # |w − 3| = 2·0.6²¹ < 5e-5
    assert one_outcome(one_weight_steps(20)) is None
    assert one_outcome(one_weight_steps(MAX_STEPS, 0.5)) == "limit"  # 5, 1, 5, 1, ... for ever
    rows = one_weight_steps(60, 0.55)
    first_far = next(i for i, r in enumerate(rows) if abs(r.new_w - 3) > FAR)
    assert one_outcome(rows[: first_far + 1]) == "diverged" and one_outcome(rows[:first_far]) is None


def test_table_columns_follow_the_worked_example():
    table = one_table(one_weight_steps(2))
    assert table["w"] == [5.0, 4.2] and table["new w = w − lr·gradient"] == pytest.approx([4.2, 3.72])


def test_threshold_text_states_the_boundary_precisely():
    text = threshold_text()
    assert "diverges for every learning rate above 0.5" in text
    assert "w jumps between 5 and 1 for ever" in text and "stays at 8" in text
