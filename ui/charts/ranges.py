"""Ranges a picture divides by: never of zero width."""

import math


def padded_range(low: float, high: float, pad: float = 0.5) -> tuple[float, float]:
    """(low, high) with ``high > low``: a range of zero width (every value the same: a
    constant column, a constant target) or reversed is widened by ``pad`` on both sides of
    its middle, relative to its size for large values, so that a picture over it has a
    scale to divide by. Non-finite ends fall back to (-pad, pad)."""
    low, high = float(low), float(high)
    if not (math.isfinite(low) and math.isfinite(high)):
        return -pad, pad
    if high > low and high - low > 1e-12 * max(abs(low), abs(high)):
        return low, high
    middle = 0.5 * (low + high)
    half = pad * max(1.0, abs(middle))
    return middle - half, middle + half
