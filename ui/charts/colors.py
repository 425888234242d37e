"""The playground's colours: TensorFlow Playground's orange (negative, class 0) and blue
(positive, class 1) around a light grey, and distinct colours for k classes."""

import html

import numpy as np

ORANGE = "#f59322"
BLUE = "#0877bd"
MIDDLE = "#e8eaeb"
INK = "#202124"  # text and the training curves
# Diverging: orange for the low end, grey in the middle, blue for the high end.
DIVERGING = [[0.0, ORANGE], [0.5, MIDDLE], [1.0, BLUE]]
CLASS_COLORS = [ORANGE, BLUE, "#2ca02c", "#9467bd", "#d62728"]  # class 0, 1, 2, ...
FONT = {"family": "Source Sans Pro, sans-serif", "size": 13}


def symmetric_limit(*arrays: np.ndarray) -> float:
    """max |value| over the arrays (at least 1e-6): the half-width of a colour scale
    centred at 0."""
    m = max((float(np.max(np.abs(a))) for a in arrays if a.size), default=0.0)
    return max(m, 1e-6)


def plotly_text(text: str) -> str:
    """``text`` shown as plain text in a Plotly label (Plotly renders a subset of HTML:
    a user's ``<b>`` or ``<a href>`` must stay characters, not markup)."""
    return html.escape(str(text), quote=False)
