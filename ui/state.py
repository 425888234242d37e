"""Session-state key names, every page's, and nothing else.

No other module writes a key as a string: pages and the shared toolkit take their keys
from here. Each page has one class of keys; what every page has alike (its lasting
configuration, its link and share panel, a Play loop) is a ``LinkKeys`` or ``LoopKeys``
made under the page's prefix, so the shared toolkit (``ui/live/``) serves every page.
"""

from dataclasses import dataclass, fields

SESSION_TOKEN = "session.token"  # an anonymous id for this session (the server's load meter)


def panel_memory_key(panel_key: str) -> str:
    """Where a live panel remembers what it already sent to this session's browser."""
    return f"{panel_key}.sent"


@dataclass(frozen=True)
class _Prefixed:
    @classmethod
    def under(cls, prefix: str):
        """Every key of this kind under ``prefix``: ``<prefix>.<field name>``."""
        return cls(**{f.name: f"{prefix}.{f.name}" for f in fields(cls)})


@dataclass(frozen=True)
class LinkKeys(_Prefixed):
    """A page's lasting configuration, its link, presentation mode and share panel."""

    config: str  # dict: the lasting configuration (survives a visit to another page)
    hidden: str  # frozenset of field names whose controls the opening link hid
    present: str  # presentation mode (from the link's present=1)
    notice: str  # what the opening link's parameters lost, said once
    share_panel: str  # the share expander (open or not)
    share_hide: str  # the share panel's "hide these controls" choice
    share_present: str  # the share panel's "presentation mode" choice
    share_tab: str  # the share panel's tabs
    leave_present: str  # the "Leave presentation mode" button

    def widget(self, field: str) -> str:
        """The key of the widget of configuration field ``field``."""
        return f"{self.config.rsplit('.', 1)[0]}.w.{field}"


@dataclass(frozen=True)
class LoopKeys(_Prefixed):
    """One Play loop: its toggle, its buttons and its live panel."""

    playing: str  # the Play toggle
    pause_request: str  # set inside a live update; the next full run switches Play off
    panel: str  # the live panel (stats line and live charts: one component)
    step: str  # the Step button
    reset: str  # the Reset button


# ---- the Playground ----------------------------------------------------------------------


class PlaygroundKeys:
    """Session-state keys of the Playground."""

    LINK = LinkKeys.under("pg.link")  # LINK.config: the lasting configuration; LINK.widget(field)
    LOOP = LoopKeys.under("pg")
    RUN = "pg.run"  # ui.playground.run.PlaygroundRun of this session
    RATE_PRESET = "pg.lr_preset"  # the learning-rate presets box
    NOTICE = "pg.notice"  # a message to show once (why training was reset)
    CLASS_TO_DRAW = "pg.draw_class"  # the class (or value) a click on the output adds
    DRAW_MODE = "pg.draw_mode"
    EDIT_LAYER = "pg.edit_layer"  # which layer the weight editor shows
    EDIT_VERSION = "pg.edit_layer.version"  # bumped after an edit: the table starts afresh
    EDITOR_PANEL = "pg.edit_panel"  # the "Edit the weights" expander (open or not)
    CSV = "pg.csv"  # the uploaded CSV file (an UploadedFile), or None
    CSV_PARSED = "pg.csv_parsed"  # (file id, UserData or None): the upload, parsed once
    BUILD_ERROR = "pg.build_error"  # why the configured setup cannot train, or None
    SHOW_CODE = "pg.share.show_code"
    IMPORT_FILE = "pg.import.file"
    IMPORT_MESSAGE = "pg.import.message"  # (kind, text) about the last imported file
    PENDING_WEIGHTS = "pg.import.weights"  # imported weights, loaded once the run is rebuilt
    LAYERS_MINUS = "pg.layers.minus"  # the hidden layers' − and + buttons
    LAYERS_PLUS = "pg.layers.plus"

    @staticmethod
    def explain_panel(picture: str) -> str:
        """The "What am I looking at?" expander of ``picture``."""
        return f"pg.explain.{picture}"

    @staticmethod
    def neurons_button(layer: int, sign: str) -> str:
        """The − (``sign`` "minus") or + ("plus") button of hidden layer ``layer``."""
        return f"pg.neurons.{sign}.{layer}"

    @staticmethod
    def weights_table(layer: int, version: int) -> str:
        """The weight editor's table of ``layer`` (a new key after each edit)."""
        return f"pg.edit_layer.table.{layer}.{version}"


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
