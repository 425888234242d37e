"""The sawtooth's teeth: its values at hand-worked points, its label, its samples."""

import numpy as np
import pytest

from engine.approximation import make_target
from engine.datasets import SAWTOOTH_TEETH, sawtooth_label, sawtooth_teeth, target_1d, target_function


def test_the_preset_sawtooth_is_four_teeth_bit_for_bit():
    x = np.linspace(-2, 2, 1001)
    assert SAWTOOTH_TEETH == 4
    np.testing.assert_array_equal(target_function("sawtooth")(x), 2 * (x - np.floor(x)) - 1)
    np.testing.assert_array_equal(sawtooth_teeth(x, 4), 2 * (x - np.floor(x)) - 1)
    assert target_function("sawtooth", 4) is target_function("sawtooth")


def test_teeth_at_hand_worked_points():
    # 8 teeth: t = 2x, so a tooth every 0.5: -1 at its start, 0 halfway, falling back at its end
    eight = target_function("sawtooth", 8)
    np.testing.assert_allclose(
        eight(np.array([-2.0, -1.75, 0.0, 0.125, 0.25, 0.499, 0.5, 1.9])), [-1, 0, -1, -0.5, 0, 0.996, -1, 0.6]
    )
    # 2 teeth: t = x/2, one tooth on [-2, 0), one on [0, 2)
    two = target_function("sawtooth", 2)
    np.testing.assert_allclose(two(np.array([-2.0, -1.0, 0.0, 1.0, 1.5])), [-1, 0, -1, 0, 0.5])
    # 16 teeth: t = 4x, a tooth every 0.25
    np.testing.assert_allclose(target_function("sawtooth", 16)(np.array([0.0625, 0.125, 0.25])), [-0.5, 0, -1])


def test_teeth_count_the_jumps():
    x = np.linspace(-2, 2, 16001)[:-1]  # 2 itself starts a new tooth
    for teeth in (2, 4, 8, 16, 32):
        falls = np.count_nonzero(np.diff(sawtooth_teeth(x, teeth)) < -1)
        assert falls == teeth - 1  # teeth whole teeth between -2 and 2: one fall between neighbours


def test_labels_and_samples():
    assert sawtooth_label(4) == "sawtooth 2(x − floor(x)) − 1"
    assert sawtooth_label(8) == "sawtooth with 8 teeth: 2(t − floor(t)) − 1, t = 2x"
    target = make_target("sawtooth", 60, 0.0, 3, teeth=16)
    assert target.label == "sawtooth with 16 teeth: 2(t − floor(t)) − 1, t = 4x"
    np.testing.assert_allclose(target.data.y, sawtooth_teeth(target.data.X[:, 0], 16))
    np.testing.assert_array_equal(target.data.X, target_1d(60, 0.0, 3, "sin").X)  # the same x, another curve
    assert make_target("sin", 20, teeth=16).label == "sin(πx)"  # teeth belong to the sawtooth only


@pytest.mark.parametrize("teeth", [0, 33, 2.5, True, "8"])
def test_bad_teeth_say_what_is_allowed(teeth):
    with pytest.raises(ValueError, match="teeth must be a whole number from 1 to 32"):
        target_function("sawtooth", teeth)


def test_only_the_sawtooth_has_teeth():
    with pytest.raises(ValueError, match="only the sawtooth has teeth"):
        target_function("sin", 8)
