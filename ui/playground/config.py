"""The Playground's settings as a schema (see ``ui.live.schema``): every setting once, with
its default, limits, label and whether a change restarts training, for the widgets, the
URL, imports and the run alike."""

from engine.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS
from engine.datasets import CLASSIFICATION, MAX_SEED, REGRESSION
from engine.features import FEATURES
from engine.initializers import INITIALIZERS
from engine.losses import LOSSES
from engine.optimizers import OPTIMIZERS
from ui.live.link import quote
from ui.live.schema import Field, Schema
from ui.playground.compare import MAX_COMPARE_CHARS, normal_compare
from ui.playground.trace import MAX_TRACE_CHARS, normal_trace

LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)  # TF Playground's
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
# Epochs per second; max: as many as fit each frame's time budget. 10 is a pace a class can
# follow (presentation mode starts there); 400, the default (ten epochs a frame at full
# frame rate), solves the default circle in under a second.
SPEEDS = ("1", "3", "10", "30", "100", "400", "1000", "max")
LECTURE_SPEED = "10"
MAX_HIDDEN_LAYERS, MAX_NEURONS = 8, 16
CSV_DATASET = "csv"
PROBLEMS = ("classification", "regression")


def agree(config: dict, given: set, notices: list[str]) -> None:
    """Dataset and problem type agree, as the sidebar keeps them: a dataset given wins;
    a problem type given alone takes its first dataset."""
    dataset = config["dataset"]
    if dataset == CSV_DATASET:
        return
    implied = "classification" if dataset in CLASSIFICATION else "regression"
    if "dataset" in given or config["problem"] == implied:
        if "problem" in given and config["problem"] != implied:
            notices.append(f"{quote('problem')}: {quote(dataset)} is a {implied} dataset, used {implied}")
        config["problem"] = implied
    else:  # only the problem type was asked for: its first dataset, as the sidebar does
        config["dataset"] = next(iter(CLASSIFICATION if config["problem"] == "classification" else REGRESSION))


SCHEMA = Schema(
    (
        Field("problem", "classification", "choice", PROBLEMS, label="Problem type"),
        Field("dataset", "circle", "choice", (*CLASSIFICATION, *REGRESSION, CSV_DATASET), label="Dataset"),
        Field("n_samples", 500, "int", low=50, high=2000, step=50, label="Points"),
        Field("noise", 0, "int", low=0, high=50, step=5, label="Noise (%)"),
        Field("train_percent", 50, "int", low=10, high=90, step=10, label="Training data (%)"),
        Field("data_seed", 0, "int", low=0, high=MAX_SEED, label="Data seed"),
        Field("features", ("x1", "x2"), "keys", tuple(FEATURES), label="Input features"),
        Field("hidden", (4, 2), "layers", low=1, high=MAX_NEURONS, max_items=MAX_HIDDEN_LAYERS, label="Hidden layers"),
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
        Field("show_health", False, "bool", resets=False, label="Show network health"),
        Field("health_colors", False, "bool", resets=False, label="Colour neurons by health"),
        Field("speed", "400", "choice", SPEEDS, resets=False, label="Speed (epochs per second)"),
        # The point followed through the network: "x1,x2" or "row:N" (ui/playground/trace.py).
        Field("trace", "", "text", high=MAX_TRACE_CHARS, resets=False, label="Traced point", check=normal_trace),
        # Run B beside this run: "learning_rate:0.3", "activation:relu,hidden:8;8" (ui/playground/compare.py).
        Field("compare", "", "text", high=MAX_COMPARE_CHARS, label="Run B's settings", check=normal_compare),
    ),
    agree=agree,
    lecture={"speed": LECTURE_SPEED},
)
DEFAULTS = SCHEMA.defaults()
