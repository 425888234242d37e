"""The Universal approximation page's settings as a schema (see ``ui.live.schema``): every
setting once, with its default, limits, label and whether a change restarts training, for
the widgets, the URL and the run alike. ``neurons`` changes by surgery (trained weights
kept); the training, speed, growth and batch-job settings change live."""

from engine.activations import ACTIVATIONS
from engine.approximation import FORMULA, INITIALIZER_CHOICES, SPREAD
from engine.datasets import MAX_SEED, SAWTOOTH_TEETH, TARGETS_1D
from engine.formula import MAX_LENGTH
from engine.optimizers import OPTIMIZERS
from ui.live.schema import Field, Schema

MAX_NEURONS = 256
TARGETS = (*TARGETS_1D, FORMULA)
_FIRST = ("relu", "tanh", "sigmoid", "step", "sine")
ACTIVATION_ORDER = (*_FIRST, *(a for a in ACTIVATIONS if a not in _FIRST))
LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
BATCH_SIZES = ("1", "10", "25", "50", "100", "all")  # all: one step per epoch
SPEEDS = ("1", "10", "100", "1000", "max")  # epochs per frame; max: as many as fit the frame
GROW_MODES = ("off", "add", "double")  # what happens each time training settles
SWEEP_EPOCHS = (500, 1000, 2000, 5000)
BUDGETS = (25, 50, 100, 200, 400)
DEPTH_EPOCHS = (1000, 3000, 10000)
TEETH = (2, 4, 8, 16, 32)  # the sawtooth's teeth on [-2, 2]: whole teeth


def _offered(name: str, default, kind: str, values: tuple, label: str) -> Field:
    """A field that changes live and takes one of the offered ``values`` (others snap)."""
    return Field(name, default, kind, low=values[0], high=values[-1], values=values, resets=False, label=label)


SCHEMA = Schema(
    (
        Field("target", "sin", "choice", TARGETS, label="Function to approximate"),
        # The box (its max_chars) and the link take far more than the evaluator's MAX_LENGTH: the
        # browser silently drops a paste longer than a box's limit; the evaluator says why instead.
        Field("formula", "sin(3*x) + 0.5*x**2", "text", high=100 * MAX_LENGTH, label="Formula"),
        Field("teeth", SAWTOOTH_TEETH, "int", low=2, high=32, values=TEETH, label="Teeth of the sawtooth"),
        Field("n_samples", 200, "int", low=20, high=1000, step=10, label="Samples"),
        Field("noise", 0, "int", low=0, high=50, label="Noise (% of the target's range)"),
        Field("data_seed", 0, "int", low=0, high=MAX_SEED, label="Data seed"),
        Field("neurons", 4, "int", low=1, high=MAX_NEURONS, resets=False, label="Hidden neurons"),
        Field("activation", "relu", "choice", ACTIVATION_ORDER, label="Activation"),
        Field("initializer", SPREAD, "choice", INITIALIZER_CHOICES, label="Initializer"),
        Field("init_seed", 0, "int", low=0, high=MAX_SEED, label="Weights seed"),
        Field("optimizer", "adam", "choice", tuple(OPTIMIZERS), resets=False, label="Optimizer"),
        _offered("learning_rate", 0.01, "float", LEARNING_RATES, "Learning rate"),
        Field("batch_size", "all", "choice", BATCH_SIZES, resets=False, label="Batch size"),
        Field("speed", "max", "choice", SPEEDS, resets=False, label="Speed (epochs per frame)"),
        Field("grow", "off", "choice", GROW_MODES, resets=False, label="Each time training settles"),
        _offered("sweep_epochs", 2000, "int", SWEEP_EPOCHS, "Epochs per width"),
        _offered("budget", 100, "int", BUDGETS, "Parameter budget"),
        _offered("depth_epochs", 3000, "int", DEPTH_EPOCHS, "Epochs per network"),
        Field("zigzag_depth", 4, "int", low=1, high=8, resets=False, label="Hidden layers of 2 relu neurons"),
    )
)
DEFAULTS = SCHEMA.defaults()

# The setup where trained depth wins the width-versus-depth comparison (issue 17, scene 12):
# measured by benchmarks/depth_vs_width.py, checked for its seed by tests/ui/test_approximation_depth.py.
# A link opens it with the comparison ready to run (``run.preset_url()``).
DEPTH_PRESET = {"target": "sawtooth", "teeth": 4, "n_samples": 1000, "budget": 200, "depth_epochs": 3000}
