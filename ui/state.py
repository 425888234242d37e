"""Session-state key names and the Playground's configuration schema.

Only this module knows session-state key names. The configuration is plain, serializable
data: one ``Field`` per setting declares its default, its limits and whether changing it
resets training, once, for the widgets, for validation and for the URL alike.
"""

from dataclasses import dataclass
from typing import Any

from engine.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS
from engine.datasets import CLASSIFICATION, MAX_SEED, REGRESSION
from engine.features import FEATURES
from engine.initializers import INITIALIZERS
from engine.losses import LOSSES
from engine.optimizers import OPTIMIZERS

# ---- session-state keys ------------------------------------------------------------------


class Keys:
    """Session-state keys of the Playground. Widget keys are ``widget(field)``."""

    CONFIG = "pg.config"  # dict: the lasting configuration (survives page switches)
    RUN = "pg.run"  # PlaygroundRun: network, trainer, data for this session
    PLAYING = "pg.playing"  # the Play toggle
    PAUSE_REQUEST = "pg.pause_request"  # set inside a frame; the next full run switches Play off
    SPEED = "pg.speed"  # epochs per frame
    NOTICE = "pg.notice"  # a message to show once (why training was reset)
    CLASS_TO_DRAW = "pg.draw_class"  # the class (or value) a click on the output adds
    DRAW_MODE = "pg.draw_mode"
    EDIT_LAYER = "pg.edit_layer"
    EDITOR_PANEL = "pg.edit_panel"  # the "Edit the weights" expander (open or not)
    EXPLAIN_PANEL = "pg.explain"  # + ".<picture>": the "What am I looking at?" expanders
    CSV = "pg.csv"  # UserData of an uploaded CSV, or None
    CSV_ERROR = "pg.csv_error"
    HIDDEN = "pg.link.hidden"  # frozenset of field names whose controls a link hid
    PRESENT = "pg.link.present"  # presentation mode (from the link's present=1)
    LINK_NOTICE = "pg.link.notice"  # what the opening link's parameters lost, said once
    SHARE_HIDE = "pg.share.hide"  # the share panel's "hide these controls" choice
    SHARE_PRESENT = "pg.share.present"  # the share panel's "presentation mode" choice
    SHOW_CODE = "pg.share.show_code"
    SHARE_PANEL = "pg.share.panel"  # the "Share, export and import" expander (open or not)
    SHARE_TAB = "pg.share.tab"  # its tabs
    IMPORT_FILE = "pg.import.file"
    IMPORT_MESSAGE = "pg.import.message"  # (kind, text) about the last imported file
    PENDING_WEIGHTS = "pg.import.weights"  # imported weights, loaded once the run is rebuilt
    LIVE_PANEL = "pg.live"  # the stats line and the live charts: one component

    @staticmethod
    def widget(field: str) -> str:
        return f"pg.w.{field}"


SESSION_TOKEN = "session.token"  # an anonymous id for this session (the server's load meter)


def panel_memory_key(panel_key: str) -> str:
    """Where a live panel remembers what it already sent to this session's browser."""
    return f"{panel_key}.sent"


# ---- the configuration schema ------------------------------------------------------------

LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)  # TF Playground's
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
SPEEDS = ("1", "2", "5", "10", "20", "50", "max")  # epochs per frame; max: as many as fit
MAX_HIDDEN_LAYERS, MAX_NEURONS = 8, 16
CSV_DATASET = "csv"
PROBLEMS = ("classification", "regression")


@dataclass(frozen=True)
class Field:
    """One setting: its default, its kind and limits, and whether changing it resets
    training (a new network and data, as TensorFlow Playground does)."""

    name: str
    default: Any
    kind: str  # "choice", "int", "float", "bool", "keys" (subset of choices), "layers"
    choices: tuple = ()
    low: float | None = None
    high: float | None = None
    resets: bool = True
    label: str = ""
    step: float | None = None  # the widget's step (URL values off the step are kept)
    values: tuple = ()  # for a number offered from a list: the list (others snap to the nearest)


FIELDS: tuple[Field, ...] = (
    Field("problem", "classification", "choice", PROBLEMS, label="Problem type"),
    Field("dataset", "circle", "choice", (*CLASSIFICATION, *REGRESSION, CSV_DATASET), label="Dataset"),
    Field("n_samples", 500, "int", low=50, high=2000, step=50, label="Points"),
    Field("noise", 0, "int", low=0, high=50, step=5, label="Noise (%)"),
    Field("train_percent", 50, "int", low=10, high=90, step=10, label="Training data (%)"),
    Field("data_seed", 0, "int", low=0, high=MAX_SEED, label="Data seed"),
    Field("features", ("x1", "x2"), "keys", tuple(FEATURES), label="Input features"),
    Field("hidden", (4, 2), "layers", low=1, high=MAX_NEURONS, label="Hidden layers"),
    Field("activation", "tanh", "choice", tuple(ACTIVATIONS), label="Activation"),
    Field("loss", "auto", "choice", ("auto", *LOSSES), label="Loss"),
    Field("output_activation", "auto", "choice", ("auto", *OUTPUT_ACTIVATIONS), label="Output activation"),
    Field("initializer", "uniform", "choice", tuple(INITIALIZERS), label="Initializer"),
    Field("init_seed", 0, "int", low=0, high=MAX_SEED, label="Weights seed"),
    Field("batch_size", 10, "int", low=1, high=100, resets=False, label="Batch size"),
    Field("optimizer", "sgd", "choice", tuple(OPTIMIZERS), resets=False, label="Optimizer"),
    Field("learning_rate", 0.03, "float", low=1e-5, high=10.0, resets=False, label="Learning rate"),
    Field("momentum", 0.9, "float", low=0.0, high=0.99, step=0.01, resets=False, label="Momentum"),
    Field("nesterov", False, "bool", resets=False, label="Nesterov"),
    Field("beta1", 0.9, "float", low=0.0, high=0.999, resets=False, label="β₁"),
    Field("beta2", 0.999, "float", low=0.0, high=0.9999, resets=False, label="β₂"),
    Field("rho", 0.9, "float", low=0.0, high=0.999, step=0.001, resets=False, label="ρ (decay)"),
    Field("regularization", "none", "choice", ("none", "l1", "l2"), resets=False, label="Regularization"),
    Field(
        "regularization_rate",
        0.0,
        "float",
        low=0.0,
        high=10.0,
        values=REGULARIZATION_RATES,
        resets=False,
        label="Regularization rate",
    ),
    Field("show_test", False, "bool", resets=False, label="Show test data"),
    Field("discretize", False, "bool", resets=False, label="Discretize output"),
    Field("log_scale", False, "bool", resets=False, label="Log scale"),
    Field("show_delta", False, "bool", resets=False, label="Show last change ΔW"),
    Field("speed", "10", "choice", SPEEDS, resets=False, label="Speed (epochs per frame)"),
)
FIELD = {f.name: f for f in FIELDS}
DEFAULTS: dict[str, Any] = {f.name: f.default for f in FIELDS}
RESET_FIELDS = frozenset(f.name for f in FIELDS if f.resets)


def coerce(name: str, value) -> Any:
    """``value`` made valid for field ``name``: numbers clamped to the limits, lists
    trimmed to what is allowed. Raises ValueError for what cannot be read at all."""
    f = FIELD[name]
    if f.kind == "choice":
        if value not in f.choices:
            raise ValueError(f"{name}: {value!r} is not one of {', '.join(map(str, f.choices))}")
        return value
    if f.kind == "bool":
        if isinstance(value, str):
            if value.lower() not in ("true", "false", "1", "0"):
                raise ValueError(f"{name}: {value!r} is not true or false")
            return value.lower() in ("true", "1")
        return bool(value)
    if f.kind in ("int", "float"):
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(f"{name}: {value!r} is not a finite number")
        number = min(max(number, f.low), f.high)
        if f.values:
            return min(f.values, key=lambda v: abs(v - number))
        return round(number) if f.kind == "int" else number
    if f.kind == "keys":
        keys = tuple(k for k in f.choices if k in set(value))  # schema order, unknown keys dropped
        if not keys:
            raise ValueError(f"{name}: choose at least one of {', '.join(f.choices)}")
        return keys
    if f.kind == "layers":
        sizes = [min(max(int(n), int(f.low)), int(f.high)) for n in value]
        return tuple(sizes[:MAX_HIDDEN_LAYERS])
    raise AssertionError(f"unknown field kind {f.kind}")  # pragma: no cover


def reset_needed(old: dict, new: dict) -> list[str]:
    """Labels of the fields whose change means a new network (empty: keep training)."""
    return [FIELD[name].label for name in FIELDS_ORDER if name in RESET_FIELDS and old.get(name) != new.get(name)]


FIELDS_ORDER = tuple(f.name for f in FIELDS)


# ---- the gradient-descent and neuron pages -----------------------------------------------


class DescentKeys:
    """Session-state keys of the Gradient descent page: ``ONE_*`` the one-weight example,
    ``RACE_*`` the optimizers on a neuron's (w, b) loss surface. Lasting values (which
    survive a visit to another page) are plain data under ``ONE`` and ``RACE_SETTINGS``."""

    ONE = "gd.one"  # dict: {"learning_rate", "steps"} of the worked example
    ONE_RATE = "gd.one.rate"  # widget: the learning-rate slider
    ONE_SPEED = "gd.one.speed"  # widget: steps per second while playing
    ONE_PLAYING = "gd.one.playing"  # the Play toggle
    ONE_PAUSE_REQUEST = "gd.one.pause_request"  # set inside a frame; the next full run switches Play off
    ONE_STEP = "gd.one.step"  # buttons (two Steps and two Resets on one page need keys)
    ONE_RESET = "gd.one.reset"
    ONE_PANEL = "gd.one.panel"  # the live panel: stats, the parabola, the weight per step
    RACE = "gd.race"  # engine.gradient_descent.OptimizerRace of this session
    RACE_SETTINGS = "gd.race.settings"  # dict: {"surface", "learning_rate", "start"}
    RACE_SURFACE = "gd.race.surface"  # widget: which neuron and data
    RACE_RATE = "gd.race.rate"  # widget
    RACE_SPEED = "gd.race.speed"  # widget: steps per second while playing
    RACE_PLAYING = "gd.race.playing"
    RACE_PAUSE_REQUEST = "gd.race.pause_request"
    RACE_STEP = "gd.race.step"
    RACE_RESET = "gd.race.reset"
    RACE_PANEL = "gd.race.panel"  # the live panel: losses, the loss surface, the fits

    @staticmethod
    def preset(rate: float) -> str:
        """The key of the button that sets the worked example's learning rate to ``rate``."""
        return f"gd.preset.{rate:g}"


class NeuronKeys:
    """Session-state keys of The neuron page. Lasting values: ``NEURON`` (the sliders'
    weights and activation), ``PERCEPTRON`` and ``STACK`` (dicts of plain settings)."""

    NEURON = "nr.neuron"  # dict: {"w1", "w2", "b", "activation"}
    W1 = "nr.w1"  # widgets of the one-neuron section
    W2 = "nr.w2"
    B = "nr.b"
    ACTIVATION = "nr.activation"
    NEURON_PANEL = "nr.neuron.panel"  # the output from above and as a surface
    PERCEPTRON = "nr.perceptron"  # dict: {"data", "seed"}
    PERCEPTRON_DATA = "nr.perceptron.data"  # widget
    PERCEPTRON_SEED = "nr.perceptron.seed"  # widget
    PERCEPTRON_EPOCH = "nr.perceptron.epoch"  # widget: which epoch's line to show
    PERCEPTRON_PANEL = "nr.perceptron.panel"  # the line and points; updates and errors per epoch
    STACK = "nr.stack"  # dict: {"activation", "layers", "seed"}
    STACK_ACTIVATION = "nr.stack.activation"  # widget
    STACK_LAYERS = "nr.stack.layers"  # widget
    STACK_PANEL = "nr.stack.panel"
    GALLERY_CHART = "nr.gallery"


# ---- the universal-approximation page ----------------------------------------------------


class ApproxKeys:
    """Session-state keys of the Universal approximation page. Widget keys are
    ``widget(field)``; the lasting configuration (which survives a visit to another page)
    is the plain dict under ``CONFIG``."""

    CONFIG = "ua.config"  # dict: the page's settings (see ui/approximation_run.DEFAULTS)
    RUN = "ua.run"  # ApproximationRun: target, network, trainer, records of this session
    PLAYING = "ua.playing"  # the Play toggle
    PAUSE_REQUEST = "ua.pause_request"  # set inside a frame; the next full run switches Play off
    WIDTH_SYNC = "ua.width_sync"  # set inside a frame that grew the network; the next full run updates the widget
    NOTICE = "ua.notice"  # a message to show once (why training restarted)
    BUILD_ERROR = "ua.build_error"  # why the configured target cannot be built (a bad formula)
    SWEEP = "ua.sweep"  # (signature, [FitResult]) of the last width sweep
    SWEEP_REQUEST = "ua.sweep_request"  # the sweep button was pressed: run it in this full run
    DEPTH = "ua.depth"  # (signature, [FitResult]) of the last width-versus-depth comparison
    DEPTH_REQUEST = "ua.depth_request"
    LIVE_PANEL = "ua.live"  # the stats line and the live charts: one component

    @staticmethod
    def widget(field: str) -> str:
        return f"ua.w.{field}"
