"""Pictures over a range of zero width (issue 20: a CSV whose columns are constant made
the output picture divide by 0): the range is padded, never divided by."""

import math

import numpy as np
import pytest

from ui.charts.approximation import samples_overlay
from ui.charts.output import original_unit_ticks, points_overlay
from ui.charts.ranges import padded_range


@pytest.mark.parametrize(
    ("low", "high"),
    [(5.0, 5.0), (0.0, 0.0), (-3.0, -3.0), (1e300, 1e300), (2.0, 1.0), (math.nan, 1.0), (0.0, math.inf)],
)
def test_a_padded_range_always_has_width_and_holds_a_single_value(low, high):
    padded = padded_range(low, high)
    assert all(math.isfinite(v) for v in padded)
    assert padded[1] > padded[0]
    if low == high and math.isfinite(low):  # a single value sits in the middle of its range
        assert padded[0] < low < padded[1]


def test_a_range_with_width_is_kept():
    assert padded_range(-1.5, 2.0) == (-1.5, 2.0)


def test_points_over_an_extent_of_zero_width_are_drawn():
    X = np.full((4, 2), 5.0)  # every point the same: the x1 = x2 = 5
    layer = points_overlay(X, np.array([0, 1, 0, 1]), (5.0, 5.0), n_classes=2)
    assert layer["sizex"] > 0 and layer["sizey"] > 0
    assert layer["x"] < 5.0 < layer["x"] + layer["sizex"]
    assert layer["source"].startswith("data:image/png;base64,")


def test_ticks_in_original_units_survive_a_constant_column():
    for low, high, std in ((0.0, 0.0, 1.0), (-1.0, 1.0, 0.0)):
        ticks = original_unit_ticks(low, high, mean=5.0, std=std)
        assert ticks["tickvals"] and all(math.isfinite(v) for v in ticks["tickvals"])
        assert len(ticks["tickvals"]) == len(ticks["ticktext"])


def test_samples_of_a_constant_target_are_drawn():
    x = np.linspace(-2, 2, 5)
    layer = samples_overlay((x, np.full(5, 5.0)), None, [-2.0, 2.0], [5.0, 5.0])
    assert layer["sizey"] > 0 and layer["y"] > 5.0
