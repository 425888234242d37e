"""Chart builders: pure functions from arrays to Plotly figure dicts.

A figure dict is plotly.js's own figure format (``{"data": [...], "layout": {...}}``):
what ``go.Figure.to_dict()`` gives, and what ``go.Figure(d)``, ``st.plotly_chart`` and
the live chart take. Building ``go.Figure`` objects validates every property (5 to 10 ms
a figure), too slow for a live frame; the tests validate every builder's output through
``go.Figure`` instead. NumPy arrays in the dicts are sent as typed arrays.
"""

from ui.charts.loss import loss_figure
from ui.charts.network import network_figure
from ui.charts.output import output_figure
from ui.charts.weights import weights_figure

__all__ = ["loss_figure", "network_figure", "output_figure", "weights_figure"]
