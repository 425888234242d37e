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
    play_box: str  # the container that styles the Play toggle
    pause_request: str  # set inside a live update; the next full run switches Play off
    panel: str  # the live panel (stats line and live charts: one component)
    pace: str  # ui.live.loop.Pace: when the last live update began, how long frames take to draw
    step: str  # the Step button
    reset: str  # the Reset button
    # int: moved on by every control that replaces, rewinds or pauses the run (ui/live/loop.py)
    generation: str
    live_generation: str  # the generation the last full run started live updates for; None: paused
    drawn: str  # int: counts the run bar's draws (Step and Reset carry the count they were drawn with)
    served: str  # dict: a run-bar button's key -> the draw whose click was served (served once)


class ThemeKeys:
    """The session's theme and palette (ui/live/theme.py): one choice for every page."""

    THEME = "theme.name"  # light, dark or projector
    PALETTE = "theme.palette"  # default or colorblind
    MENU = "theme.menu"  # the sidebar's Display popover
    THEME_WIDGET = "theme.w.name"  # its two controls
    PALETTE_WIDGET = "theme.w.palette"


# ---- the Playground ----------------------------------------------------------------------


class PlaygroundKeys:
    """Session-state keys of the Playground."""

    LINK = LinkKeys.under("pg.link")  # LINK.config: the lasting configuration; LINK.widget(field)
    LOOP = LoopKeys.under("pg")
    RUN = "pg.run"  # ui.playground.run.PlaygroundRun of this session
    RATE_PRESET = "pg.lr_preset"  # the learning-rate presets box
    GALLERY = "pg.gallery"  # the dataset pictures: a click picks one
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
    TRACE_MODE = "pg.trace.mode"  # a click on the output traces the point there
    TRACE_NEURON = "pg.trace.neuron"  # (layer, unit): the neuron whose weighted sum is written out
    TRACE_PROBLEM = "pg.trace.problem"  # why the text typed in the trace box names no point
    TRACE_CLEAR = "pg.trace.clear"
    SLOW_STEP = "pg.slow.start"  # the "Slow step" button (the slow step itself: PlaygroundRun.slow_step)
    SLOW_NEXT = "pg.slow.next"  # its "Next stage" button
    SLOW_AGAIN = "pg.slow.again"  # "Next batch, slowly", after the update
    SLOW_CLOSE = "pg.slow.close"  # "Cancel" (before the update) or "Close" (after it)
    SLOW_NOTE = "pg.slow.note"  # why a slow step ended (said once)
    SLOW_PANEL = "pg.slow.panel"  # the slow step's panel (a container)
    HEALTH_FIX = "pg.health.fix"  # (settings, what to say) a "Try this" asked for: the next full run applies them
    REPLAY = "pg.replay.epoch"  # the "Replay: epoch" slider (the epoch shown: PlaygroundRun.replay)
    REPLAY_CONTINUE = "pg.replay.continue"  # its "Continue from here" button
    COMPARE_FIELD = "pg.compare.field"  # the compare tab: the setting run B changes
    COMPARE_VALUE = "pg.compare.value"  # its value for run B, as typed
    COMPARE_ADD = "pg.compare.add"  # "Compare": the pair joins run B's settings
    COMPARE_STOP = "pg.compare.stop"  # "Stop comparing", over the pictures
    COMPARE_STOP_TAB = "pg.compare.stop_tab"  # "Stop comparing", in the Compare tab
    COMPARE_PROBLEM = "pg.compare.problem"  # why the typed pair or text cannot be used (said once)
    DATA_CURVE_PANEL = "pg.data_curve.panel"  # the "More data" expander (open or not)
    DATA_CURVE_EPOCHS = "pg.data_curve.epochs"  # its epochs at each size (the curve itself: PlaygroundRun.data_curve)
    DATA_CURVE_BUTTON = "pg.data_curve.button"  # "Measure the curve"
    DATA_CURVE_CHART = "pg.data_curve.chart"

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

    @staticmethod
    def health_fix(kind: str, layer: int | None) -> str:
        """The "Try this" button of a finding of ``kind`` (divergence, dead, ...) about ``layer``."""
        return f"pg.health.fix.{kind}.{layer}"

    @staticmethod
    def health_preset(name: str) -> str:
        """The button that opens failure preset ``name`` (exploding, vanishing, ...)."""
        return f"pg.health.preset.{name}"

    @staticmethod
    def slow_chart(name: str) -> str:
        """A chart of the slow step's panel (``name``: output, shares, gradient, before, after)."""
        return f"pg.slow.chart.{name}"


# ---- the gradient-descent and neuron pages -----------------------------------------------


class DescentKeys:
    """Session-state keys of the Gradient descent page: its settings, link and share panel
    under ``LINK`` (``LINK.config`` the lasting configuration, ``LINK.widget(field)`` each
    setting's widget), the Play loop of the one-weight example under ``ONE``, that of the
    optimizers on a neuron's (w, b) loss surface under ``RACE``."""

    LINK = LinkKeys.under("gd.link")
    ONE = LoopKeys.under("gd.one")
    RACE = LoopKeys.under("gd.race")
    RUN = "gd.run"  # ui.descent.run.DescentRun of this session: the worked example and the race

    @staticmethod
    def preset(rate: float) -> str:
        """The key of the button that sets the worked example's learning rate to ``rate``."""
        return f"gd.preset.{rate:g}"


class NeuronKeys:
    """Session-state keys of The neuron page (no Play loop: every run is a full run)."""

    LINK = LinkKeys.under("nr.link")  # LINK.config: the lasting configuration; LINK.widget(field)
    PERCEPTRON_RUN = "nr.perceptron.run"  # ui.neuron.run.PerceptronLesson of this session
    NEURON_PANEL = "nr.neuron.panel"  # the output from above and as a surface; the neuron drawn
    POINT_CLICK = "nr.neuron.click"  # (x1, x2) clicked on the picture from above, taken by the next run
    PERCEPTRON_PANEL = "nr.perceptron.panel"  # the line and points; updates and errors per epoch
    NEW_DATA = "nr.perceptron.new_data"  # the "New data" button
    OPEN_PLAYGROUND = "nr.perceptron.open_playground"  # the XOR button
    STACK_PANEL = "nr.stack.panel"
    NEW_WEIGHTS = "nr.stack.new_weights"  # the "New random weights" button
    GALLERY_CHART = "nr.gallery"
    LOSS_CHART = "nr.loss.chart"  # the quadratic loss and cross-entropy against ŷ
    OPEN_LOSS_PLAYGROUND = "nr.loss.open_playground"  # "Train the same data with each"

    @staticmethod
    def step_button(label: str) -> str:
        """The key of the perceptron's step button labelled ``label``."""
        return f"nr.perceptron.step.{label.lower().replace(' ', '_')}"


# ---- the universal-approximation page ----------------------------------------------------


class ApproxKeys:
    """Session-state keys of the Universal approximation page."""

    LINK = LinkKeys.under("ua.link")  # LINK.config: the lasting configuration; LINK.widget(field)
    LOOP = LoopKeys.under("ua")
    RUN = "ua.run"  # ui.approximation.run.ApproximationRun of this session
    GREW = "ua.grew"  # set inside a live update that grew the network; the next full run updates the widget
    NOTICE = "ua.notice"  # a message to show once (why training restarted)
    BUILD_ERROR = "ua.build_error"  # why the configured target cannot be built (a bad formula), or None
    ADD_NEURON = "ua.neurons.add"  # the run bar's surgery buttons
    REMOVE_NEURON = "ua.neurons.remove"
    SWEEP = "ua.sweep"  # (signature, epochs per width, [FitResult]) of the last width sweep
    SWEEP_REQUEST = "ua.sweep.request"  # the sweep button was pressed: run it in this full run
    SWEEP_BUTTON = "ua.sweep.button"
    # the latest width-versus-depth comparison: a ui.approximation.run.DepthComparison (target, teeth,
    # budget, epochs, seed, results: [FitResult] by depth), absent before the first; read with run.depth_wins
    DEPTH = "ua.depth"
    DEPTH_PRESET_BUTTON = "ua.depth.preset"  # opens the setup where trained depth wins
    DEPTH_REQUEST = "ua.depth.request"
    DEPTH_BUTTON = "ua.depth.button"
    # the sweep's or comparison's ui.live.jobs.Job: running (one at a time), or the last one, whose end the
    # page says once; and its Cancel button
    JOB = "ua.job"
    JOB_CANCEL = "ua.job.cancel"
    DEPTH_CHART = "ua.depth.chart"
    ZIGZAG_CHART = "ua.zigzag.chart"


# ---- lessons and decks ---------------------------------------------------------------------


class LessonKeys:
    """Session-state keys of the Lessons page and of the lesson bar every page shows while
    a scene of a deck is open."""

    LINK = LinkKeys.under("ls.link")  # LINK.config: the lasting configuration (the deck in a link, the scene)
    ACTIVE = "ls.active"  # ui.lessons.run.ActiveScene: the deck and scene open, or None
    DONE = "ls.done"  # set of the keys of the scenes whose task was done in this session
    MY_DECK = "ls.my_deck"  # ui.lessons.run.Deck: the deck this session builds ("Add this view as a scene")
    SHOWN = "ls.shown"  # which deck the Lessons page shows: "lesson", "link" or "mine"
    MESSAGE = "ls.message"  # (kind, text) to show once on the Lessons page (an import's outcome)
    IMPORT_FILE = "ls.import"  # the deck file uploader
    IMPORTED = "ls.imported"  # the file id of the last deck file read (each is read once)
    NEW_TITLE = "ls.new.title"  # "Add this view as a scene": its title, notes and button
    NEW_NOTES = "ls.new.notes"
    NEW_ADD = "ls.new.add"
    KEYS = "ls.keys"  # the presentation's keyboard listener (a component)
    PROGRESS = "ls.progress"  # the deck's progress chart
    PREVIOUS = "ls.previous"  # the lesson bar's buttons
    NEXT = "ls.next"
    ALL = "ls.all"
    LEAVE = "ls.leave"

    @staticmethod
    def answer(scene_key: str) -> str:
        """The answer box of the scene whose key is ``scene_key`` (a task that asks)."""
        return f"ls.answer.{scene_key}"

    @staticmethod
    def scene_button(action: str, index: int) -> str:
        """A button of scene ``index`` on the Lessons page: open, up, down, remove."""
        return f"ls.scene.{action}.{index}"


# ---- a lecture hall (several processes behind a proxy) ------------------------------------


class HallKeys:
    """What ui/live/hall.py keeps in a session: whether its start was looked at."""

    CHECKED = "hall.checked"  # True once this session's start was looked at (a lost session said once)
