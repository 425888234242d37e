"""The Gradient descent page's settings as a schema (see ``ui.live.schema``): the worked
example's learning rate and pace, the race's surface, learning rate and pace, for the
widgets, the URL and the run alike. A change of a field that ``resets`` starts its own part
again (the example from w = 5, or the race from its start); see ``ui.descent.run.sync``."""

from engine.gradient_descent import EXAMPLE_LR, SURFACES
from ui.live.schema import Field, Schema

EXAMPLE_RATES = tuple(round(0.01 * i, 2) for i in range(1, 61))  # the slider's values: 0.01 to 0.6
EXAMPLE_SPEEDS = (1, 2, 4, 8)  # steps per second
RACE_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
RACE_SPEEDS = (5, 10, 20, 50)  # steps per second


def _offered(name: str, default, values: tuple, label: str, *, resets: bool = True, step=None) -> Field:
    """A number that is one of ``values`` (a link's other numbers snap to the nearest)."""
    kind = "int" if all(isinstance(v, int) for v in values) else "float"
    low, high = min(values), max(values)
    return Field(name, default, kind, low=low, high=high, resets=resets, label=label, step=step, values=values)


SCHEMA = Schema(
    (
        _offered("learning_rate", EXAMPLE_LR, EXAMPLE_RATES, "Learning rate lr", step=0.01),
        _offered("steps_per_second", 2, EXAMPLE_SPEEDS, "Steps per second", resets=False),
        Field("race_surface", "linear", "choice", tuple(SURFACES), label="Race: neuron and data"),
        _offered("race_learning_rate", 0.1, RACE_RATES, "Race: learning rate"),
        _offered("race_steps_per_second", 10, RACE_SPEEDS, "Race: steps per second", resets=False),
    )
)
