"""The network's health on the Playground, pure (no Streamlit): the health chart of a run,
its neurons' health for the network picture, the diagnosis in words with the run's own
numbers and a fix for each finding, and the failure presets (setups that show a failure,
as links for lessons).

The engine measures (``trainer.health``, ``trainer.units``) and diagnoses
(``engine.health.diagnose``); this module only says what it found, in the numbers it
found, and what to change."""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from engine.health import HEALTH_STATS
from ui.charts.health import health_figure
from ui.live.link import encode, query_string
from ui.playground.config import DEFAULTS, MAX_NEURONS, REGULARIZATION_RATES, SCHEMA

# ---- the chart and the network picture ---------------------------------------------------


def layer_names(sizes) -> list[str]:
    """The weight layers' names, as the legend says them: hidden 1, hidden 2, ..., output."""
    n_layers = len(sizes) - 1
    return [f"hidden {j + 1}" for j in range(n_layers - 1)] + ["output"]


def health_chart(run, *, hover: bool = True) -> dict | None:
    """The health chart of ``run`` (a PlaygroundRun), or None before anything was measured."""
    history = run.trainer.health
    epochs = np.asarray(history.epochs())
    if epochs.size == 0:
        return None
    n_layers = run.network.n_layers
    stats = {stat: [history.column(stat, j) for j in range(n_layers)] for stat in HEALTH_STATS}
    return health_figure(epochs, stats, layer_names(run.network.sizes), hover=hover)


def node_health(run) -> list[list[str | None]]:
    """Each node's status for the network picture, column by column: "dead", "saturated"
    or None (inputs and outputs: None; hidden units as ``trainer.units`` last found them)."""
    sizes = run.network.sizes
    columns: list[list[str | None]] = [[None] * n for n in sizes]
    units = run.trainer.units
    if units is None:
        return columns
    for j, (dead, saturated) in enumerate(zip(units.dead, units.saturated)):
        if j + 1 >= len(sizes) - 1 or len(dead) != sizes[j + 1]:
            continue  # the network changed since they were measured
        columns[j + 1] = ["dead" if d else "saturated" if s else None for d, s in zip(dead, saturated)]
    return columns


# ---- numbers in words --------------------------------------------------------------------


def num(x) -> str:
    """A number as the diagnosis writes it: 3 significant digits, powers of ten short
    (0.521, 4.2, 3.1e4, 2.5e-5)."""
    x = float(x)
    if not np.isfinite(x):
        return "infinity" if x > 0 else "−infinity" if x < 0 else "not a number"
    if x == 0 or 1e-3 <= abs(x) < 1e4:
        return f"{x:.3g}"
    mantissa, exponent = f"{x:.1e}".split("e")
    return f"{mantissa.removesuffix('.0')}e{int(exponent)}"


def share(x) -> str:
    return f"{float(x):.0%}"


def rate(x) -> str:
    """A learning rate (or regularization rate) as the sidebar shows it."""
    return f"{float(x):g}"


def layer_name(n_layers: int, layer: int | None) -> str:
    """Weight layer ``layer`` (0: the first hidden layer) as a sentence names it."""
    if layer is None:
        return "the network"
    return "the output layer" if layer == n_layers - 1 else f"hidden layer {layer + 1}"


# ---- the diagnosis -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Advice:
    """One finding said in words: ``title`` (the failure's name), ``text`` (the cause, in
    the run's numbers, and what to try), ``fix`` (the settings "Try this" changes, a valid
    partial config) and ``change`` (the fix in words: "learning rate 0.3")."""

    kind: str
    layer: int | None
    title: str
    text: str
    fix: dict
    change: str

    @property
    def applied(self) -> str:
        """What the page says once the fix is applied."""
        return f"Applied: {self.change}. Training starts again from epoch 0."


TITLES = {
    "divergence": "The loss explodes",
    "vanishing": "Vanishing gradients",
    "dead": "Dead ReLUs",
    "saturated": "Saturated units",
    "symmetry": "Units that are copies",
    "stalling": "Stalling",
    "overfitting": "Overfitting",
}
FALLBACK_FACTOR = 10  # without a converging rate found: try a rate this many times smaller
LARGE_RATE = 0.3  # dead units at a rate above this: a lower rate too


def lower_rate(config: dict, factor: float) -> float:
    return float(SCHEMA.coerce("learning_rate", config["learning_rate"] / factor))


def _divergence(n: Mapping, config: dict, converging: float | None) -> tuple[str, dict]:
    lr = n["learning_rate"]
    grew = n["epochs"] > 0 and n["to_loss"] > n["from_loss"]
    if grew:
        text = (
            f"The training loss grew from {num(n['from_loss'])} at epoch {int(n['from_epoch']):,} to "
            f"{num(n['to_loss'])} in {int(n['epochs']):,} epochs"
        )
    else:
        text = f"The training loss was {num(n['from_loss'])} at epoch {int(n['from_epoch']):,}"
    stopped = n.get("diverged_at", float("nan"))
    if np.isfinite(stopped):
        text += f"{', and' if grew else ';'} at epoch {int(stopped):,} training diverged and stopped"
    ratio = n.get("update_ratio", float("nan"))
    if np.isfinite(ratio):
        text += (
            f". The update-to-weight ratio reached {num(ratio)}: one step changed a layer's weights by "
            f"{num(ratio)} times their own size"
        )
    text += f". The learning rate {rate(lr)} is too large for this network; "
    if converging is not None:
        new = converging
        text += f"try {rate(new)}: from the same start, training at {rate(new)} did not blow up."
    else:
        new = lower_rate(config, FALLBACK_FACTOR)
        text += f"try one {FALLBACK_FACTOR} times smaller, {rate(new)}."
    return text, {"learning_rate": new}


SLOPES = {"sigmoid": "sigmoid's slope is at most 0.25", "tanh": "tanh's slope is below 1 wherever z is not 0"}


def _vanishing(n: Mapping, config: dict) -> tuple[str, dict]:
    slope = SLOPES.get(config["activation"], f"{config['activation']}'s slope and the weights shrink it")
    text = (
        f"In this network of {int(n['layers'])} weight layers, the gradient reaching the first layer "
        f"(RMS {num(n['first'])}) is only {num(n['ratio'])} of the gradient at the output layer "
        f"({num(n['last'])}): backpropagation multiplies it by the activation's slope at every layer, and "
        f"{slope}, so the first layers barely learn. Try relu with the he initializer: relu's slope is 1 "
        "wherever it is active, and he scales the initial weights to keep the signal's size from layer to layer."
    )
    return text, {"activation": "relu", "initializer": "he"}


def _dead(n: Mapping, config: dict, where: str) -> tuple[str, dict]:
    since = int(n["since"])
    text = (
        f"{int(n['dead'])} of the {int(n['units'])} units of {where} ({share(n['share'])}) output 0 on every "
        f"training point{f' since epoch {since:,}' if since >= 0 else ''}: a {config['activation']} unit that "
        "is 0 everywhere gets a gradient of 0, so it never comes back. Try leaky_relu: below 0 its slope is "
        "small but not 0, so a unit can recover"
    )
    if config["learning_rate"] <= LARGE_RATE:
        return text + ".", {"activation": "leaky_relu"}
    new = lower_rate(config, FALLBACK_FACTOR)
    text += (
        f"; and a learning rate {FALLBACK_FACTOR} times lower, {rate(new)}: one large step can push a unit's z "
        "below 0 on every point."
    )
    return text, {"activation": "leaky_relu", "learning_rate": new}


def _saturated(n: Mapping, config: dict, where: str, from_start: bool) -> tuple[str, dict]:
    text = (
        f"{int(n['saturated'])} of the {int(n['units'])} units of {where} ({share(n['share'])}) are saturated: "
        "|z| > 3 on most training points, where "
        f"{config['activation']} is flat and its slope nearly 0, so they barely learn. "
    )
    if from_start and config["initializer"] != "xavier":
        text += (
            "They were saturated from the first epoch: try the xavier initializer, which scales the initial "
            "weights to the layer's size so that z starts small."
        )
        return text, {"initializer": "xavier"}
    new = lower_rate(config, 3)
    text += f"Try a lower learning rate, {rate(new)}: smaller steps push z less far."
    return text, {"learning_rate": new}


def _symmetry(n: Mapping, config: dict, where: str) -> tuple[str, dict]:
    same = (
        "they all started with the same weights (the zeros initializer), so they get the same gradient"
        if config["initializer"] == "zeros"
        else "they have the same weights, so they get the same gradient"
    )
    text = (
        f"The {int(n['units'])} units of {where} compute the same function: {same} and stay equal, and the "
        "layer works like a single unit. Try the uniform initializer: random initial weights make the units "
        "differ, and each learns something of its own."
    )
    return text, {"initializer": "uniform"}


def more_neurons(hidden: tuple[int, ...]) -> tuple[int, ...]:
    """Twice the neurons in every hidden layer (at most MAX_NEURONS), or one layer of 4."""
    return tuple(min(2 * n, MAX_NEURONS) for n in hidden) if hidden else (4,)


def _stalling(n: Mapping, config: dict) -> tuple[str, dict]:
    text = (
        f"The training loss has hardly moved for {int(n['epochs']):,} epochs: it is {num(n['loss'])}, "
        f"against {num(n['start_loss'])} at the start"
    )
    accuracy = n.get("accuracy")
    text += f", and the training accuracy is {share(accuracy)}. " if accuracy is not None else ". "
    lr = config["learning_rate"]
    if lr * 3 <= SCHEMA["learning_rate"].high:
        new = float(SCHEMA.coerce("learning_rate", lr * 3))
        text += f"Try a 3 times larger learning rate, {rate(new)}: larger steps, if the steps were too small."
        return text, {"learning_rate": new}
    hidden = more_neurons(tuple(config["hidden"]))
    text += f"Try more neurons ({', '.join(map(str, hidden))}): a network too small cannot fit the data."
    return text, {"hidden": hidden}


def _overfitting(n: Mapping, config: dict) -> tuple[str, dict]:
    text = (
        f"The test loss was lowest at epoch {int(n['best_epoch']):,} ({num(n['best_test'])}) and has risen to "
        f"{num(n['test_loss'])}, while the training loss kept falling ({num(n['train_then'])} → "
        f"{num(n['train_now'])}): the network is memorising the training points, noise and all. "
    )
    strong = config["regularization"] == "l2" and config["regularization_rate"] >= 0.003
    if not strong:
        text += "Try L2 regularization at 0.003: it keeps the weights small, and the boundary smoother."
        return text, {"regularization": "l2", "regularization_rate": 0.003}
    if config["n_samples"] < SCHEMA["n_samples"].high:
        points = int(SCHEMA.coerce("n_samples", config["n_samples"] * 2))
        text += f"Try more data, {points:,} points: more points are harder to memorise."
        return text, {"n_samples": points}
    stronger = next((r for r in REGULARIZATION_RATES if r > config["regularization_rate"]), None)
    if stronger is None:
        text += "Try fewer neurons: a smaller network has less room to memorise."
        return text, {"hidden": tuple(max(1, h // 2) for h in config["hidden"])}
    text += f"Try a stronger L2 regularization, {rate(stronger)}."
    return text, {"regularization_rate": stronger}


def change_words(fix: dict) -> str:
    """A fix in words, as the sidebar labels its settings: "learning rate 0.3"."""
    parts = []
    for name, value in fix.items():
        if isinstance(value, tuple):
            value = ", ".join(map(str, value))
        elif isinstance(value, float):
            value = rate(value)
        parts.append(f"{SCHEMA[name].label.lower()} {value}")
    return ", ".join(parts)


def advise(finding, config: dict, n_layers: int, *, converging: float | None = None, from_start=False) -> Advice:
    """The words and the fix for one ``engine.health.Finding`` of a run with ``config`` and
    ``n_layers`` weight layers. ``converging``: the learning rate ``converging_rate`` found
    for a divergence (None: none found); ``from_start``: saturation already at epoch 0."""
    n, where = finding.numbers, layer_name(n_layers, finding.layer)
    kind = finding.kind
    if kind == "divergence":
        text, fix = _divergence(n, config, converging)
    elif kind == "vanishing":
        text, fix = _vanishing(n, config)
    elif kind == "dead":
        text, fix = _dead(n, config, where)
    elif kind == "saturated":
        text, fix = _saturated(n, config, where, from_start)
    elif kind == "symmetry":
        text, fix = _symmetry(n, config, where)
    elif kind == "stalling":
        text, fix = _stalling(n, config)
    elif kind == "overfitting":
        text, fix = _overfitting(n, config)
    else:
        raise ValueError(f"unknown finding {kind!r}")
    title = finding_name(finding, n_layers)
    title = title[0].upper() + title[1:]
    return Advice(kind, finding.layer, title, text, fix, change_words(fix))


def finding_name(finding, n_layers: int) -> str:
    """A finding's name, with its layer when it is about one: "saturated units in hidden layer 1"."""
    name = TITLES[finding.kind].lower()
    if finding.kind in ("dead", "saturated", "symmetry"):
        name += f" in {layer_name(n_layers, finding.layer)}"
    return name.replace("relus", "ReLUs")


def saturated_from_start(run, layer: int | None) -> bool:
    """Whether most of the units of ``layer`` that are saturated now already were at the
    first epoch measured (then the initial weights are the cause, not the steps)."""
    if layer is None:
        return False
    column = np.asarray(run.trainer.health.column("saturated_share", layer), dtype=float)
    column = column[np.isfinite(column)]
    return column.size > 0 and column[0] >= 0.5 * column[-1] > 0


# ---- the failure presets -----------------------------------------------------------------

# Setups that show a failure, by name: (the button's label, the settings that differ from
# the default setup). Each opens with the health view on. Lessons link to them
# (``preset_url``). The settings are those of the engine's tests (tests/engine/test_diagnosis.py);
# the diagnosis each leads to on the page is checked in tests/app/test_playground_health.py.
PRESETS: dict[str, tuple[str, dict]] = {
    "exploding": ("Exploding", {"learning_rate": 3.0}),
    "vanishing": ("Vanishing gradients", {"activation": "sigmoid", "hidden": (8, 8, 8, 8, 8, 8)}),
    "dead": ("Dead ReLUs", {"activation": "relu", "hidden": (4, 4), "learning_rate": 3.0}),
    "symmetry": ("Symmetry", {"initializer": "zeros"}),
    "overfitting": ("Overfitting", {"n_samples": 50, "noise": 50, "hidden": (16,) * 8}),
}


def preset_config(name: str) -> dict:
    """The whole configuration of preset ``name``: the defaults, its changes, the health view."""
    config = {**DEFAULTS, **PRESETS[name][1], "show_health": True}
    return {key: SCHEMA.coerce(key, value) for key, value in config.items()}


def preset_params(name: str) -> dict[str, str]:
    """Preset ``name``'s link as query parameters (what differs from the defaults)."""
    return encode(SCHEMA, preset_config(name))


def preset_url(name: str) -> str:
    """Preset ``name``'s link, relative to the app: ``/?learning_rate=3.0&show_health=1``."""
    return "/?" + query_string(preset_params(name))
