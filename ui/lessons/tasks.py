"""The tasks a scene can set, each checked live against the page's own state. Pure: no
Streamlit; every check reads a mapping of session state (``st.session_state``, or a dict
in tests) through the keys of ``ui.state`` and the page's run.

A check returns a ``Check``: ``done``, and ``detail``, where the student stands in the
run's own numbers ("test accuracy 72.4 % with 2 hidden neurons"). A task that asks a
question (``asks``) is given the student's answer, a number, or None before one is typed.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from engine import ACTIVATIONS, LOSSES
from ui.state import ApproxKeys, DescentKeys, NeuronKeys, PlaygroundKeys


@dataclass(frozen=True, slots=True)
class Check:
    done: bool
    detail: str = ""


@dataclass(frozen=True, slots=True)
class TaskKind:
    """A check on ``page``: ``check(state, args, answer) -> Check``; ``defaults`` are its
    arguments (a deck's task may set them); ``asks``: the question's label when the
    student types an answer."""

    page: str
    check: Callable[[Mapping, dict, float | None], Check]
    defaults: dict = field(default_factory=dict)
    asks: str = ""


NOT_OPEN = Check(False, "open the scene's page to begin")


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


# ---- the neuron ------------------------------------------------------------------------------


def _neuron(state: Mapping) -> tuple[float, float, dict] | None:
    """(z, a, config) of the neuron page's neuron at its input point, or None."""
    config = state.get(NeuronKeys.LINK.config)
    if not config:
        return None
    z = config["w1"] * config["x1"] + config["w2"] * config["x2"] + config["b"]
    a = float(ACTIVATIONS[config["activation"]].fn(np.array([z]))[0])
    return float(z), a, config


def neuron_output_above(state: Mapping, args: dict, answer=None) -> Check:
    found = _neuron(state)
    if found is None:
        return NOT_OPEN
    z, a, config = found
    at = f"({config['x1']:g}, {config['x2']:g})"
    return Check(a > args["above"], f"at {at}: z = {z:.3f}, a = {config['activation']}(z) = {a:.3f}")


def neuron_output_negative(state: Mapping, args: dict, answer=None) -> Check:
    found = _neuron(state)
    if found is None:
        return NOT_OPEN
    z, a, config = found
    return Check(a < args["below"], f"z = {z:.3f}, a = {config['activation']}(z) = {a:.3f}")


def cross_entropy_above(state: Mapping, args: dict, answer=None) -> Check:
    """The neuron page's loss section: the cross-entropy of its prediction and label."""
    config = state.get(NeuronKeys.LINK.config)
    if not config or "loss_prediction" not in config:
        return NOT_OPEN
    y_hat, y = float(config["loss_prediction"]), float(config["loss_label"])
    a, t = np.array([[y_hat]]), np.array([[y]])
    ce, quad = float(LOSSES["binary_cross_entropy"].value(a, t)), float(LOSSES["quadratic"].value(a, t))
    detail = f"ŷ = {y_hat:g}, y = {y:g}: cross-entropy {ce:.2f}, quadratic {quad:.2f}"
    return Check(ce > args["above"], detail)


# ---- the Playground ---------------------------------------------------------------------------


def _playground(state: Mapping):
    return state.get(PlaygroundKeys.RUN)


def _accuracy(run) -> float | None:
    accuracies = run.trainer.history.test_accuracy
    return float(accuracies[-1]) if len(accuracies) else None


def weight_set(state: Mapping, args: dict, answer=None) -> Check:
    run = _playground(state)
    if run is None:
        return NOT_OPEN
    layer, row, column = int(args["layer"]), int(args["row"]), int(args["column"])
    W = run.network.W
    if layer >= len(W) or row >= W[layer].shape[0] or column >= W[layer].shape[1]:
        return Check(False, f"the network has no W{layer + 1}[{row}, {column}]")
    value = float(W[layer][row, column])
    return Check(abs(value - args["value"]) < 0.005, f"W{layer + 1}[{row}, {column}] is {value:.3f} now")


def traced_output(state: Mapping, args: dict, answer: float | None) -> Check:
    """The student reads the output neuron's a for the traced point (3 decimals)."""
    from ui.playground.trace import traced

    run = _playground(state)
    if run is None:
        return NOT_OPEN
    if not run.config.get("trace"):
        return Check(False, "no point is traced: switch on Trace a point and click the output")
    point, problem = traced(run)
    if point is None:
        return Check(False, problem or "no point is traced")
    value = float(point.trace.layers[-1].a[0])
    if answer is None:
        return Check(False, "type the output neuron's a for the traced point")
    close = abs(answer - value) <= 0.0015
    return Check(close, "right" if close else f"{answer:g} is not the traced point's output: look again")


def nonlinear_solves(state: Mapping, args: dict, answer=None) -> Check:
    run = _playground(state)
    if run is None:
        return NOT_OPEN
    accuracy = _accuracy(run)
    activation = run.config["activation"]
    detail = f"{activation}, test accuracy {_pct(accuracy)}" if accuracy is not None else activation
    return Check(activation != "linear" and accuracy is not None and accuracy >= args["accuracy"], detail)


def xor_small(state: Mapping, args: dict, answer=None) -> Check:
    run = _playground(state)
    if run is None:
        return NOT_OPEN
    hidden = tuple(run.config["hidden"])
    accuracy = _accuracy(run)
    neurons = sum(hidden)
    detail = f"{neurons} hidden neurons, test accuracy {_pct(accuracy)}" if accuracy is not None else ""
    ok = (
        run.config["dataset"] == "xor"
        and tuple(run.config["features"]) == ("x1", "x2")
        and 0 < neurons <= args["neurons"]
        and accuracy is not None
        and accuracy >= args["accuracy"]
    )
    return Check(ok, detail)


def slow_step_done(state: Mapping, args: dict, answer=None) -> Check:
    run = _playground(state)
    if run is None:
        return NOT_OPEN
    slow = run.slow_step
    if slow is None:
        return Check(False, "press Slow step")
    stages = ("forward", "loss", "backward", "update")
    return Check(slow.stage >= 4 and slow.update is not None, f"at stage {slow.stage}: {stages[slow.stage - 1]}")


def more_data(state: Mapping, args: dict, answer=None) -> Check:
    """The Playground's data curve measured for the setup shown, and the test loss lower
    with the most training points than with the fewest (``ui.playground.data_curve``)."""
    from ui.playground.data_curve import data_curve_result

    run = _playground(state)
    if run is None:
        return NOT_OPEN
    curve = data_curve_result(run)
    if curve is None or len(curve.points) < 2:
        return Check(False, "unfold “More data” under the pictures and press Measure the curve")
    first, last = curve.points[0], curve.points[-1]
    detail = (
        f"test loss {first.test_loss:.3g} with {first.n_train:,} training points, "
        f"{last.test_loss:.3g} with {last.n_train:,}"
    )
    return Check(last.n_train >= args["points"] and last.test_loss < first.test_loss, detail)


# ---- gradient descent -------------------------------------------------------------------------


def _steps(n: int) -> str:
    return "1 step" if n == 1 else f"{n} steps"


def _example(state: Mapping):
    run = state.get(DescentKeys.RUN)
    return None if run is None else run.example


def descent_reaches_optimum(state: Mapping, args: dict, answer=None) -> Check:
    example = _example(state)
    if example is None:
        return NOT_OPEN
    w = example.weight
    steps = len(example.rows)
    return Check(steps > 0 and abs(w - 3.0) < args["within"], f"w = {w:.4g} after {_steps(steps)}")


def largest_stable_rate(state: Mapping, args: dict, answer=None) -> Check:
    example = _example(state)
    if example is None:
        return NOT_OPEN
    rate, steps = example.learning_rate, len(example.rows)
    ok = abs(rate - args["rate"]) < 1e-9 and steps >= args["steps"]
    return Check(ok, f"learning rate {rate:g}, {_steps(steps)}, w = {example.weight:.4g}")


# ---- universal approximation ------------------------------------------------------------------


def approximation_error_below(state: Mapping, args: dict, answer=None) -> Check:
    run = state.get(ApproxKeys.RUN)
    if run is None:
        return NOT_OPEN
    max_error, _ = run.errors()
    width = run.network.sizes[1]
    ok = run.config["target"] == "sin" and max_error < args["error"]
    return Check(ok, f"max error {max_error:.3f} with {width} neuron{'s' if width != 1 else ''}")


def depth_beats_width(state: Mapping, args: dict, answer=None) -> Check:
    """The width-versus-depth comparison run on the setup shown (the sawtooth), and its
    best deeper network's RMSE below the one wide layer's (``ui.approximation.run``)."""
    from ui.approximation.run import depth_outcome, depth_signature

    run = state.get(ApproxKeys.RUN)
    comparison = state.get(ApproxKeys.DEPTH)
    if run is None:
        return NOT_OPEN
    if comparison is None or comparison.signature != depth_signature(run.config):
        return Check(False, "press Train side by side in “Width versus depth”")
    outcome = depth_outcome(comparison)
    shallow, deep = outcome.shallow, outcome.deep
    detail = (
        f"one hidden layer RMSE {shallow.rmse:.3f}, {deep.depth} hidden layers {deep.rmse:.3f} "
        f"at {comparison.budget} parameters"
    )
    return Check(comparison.target == "sawtooth" and outcome.wins, detail)


TASKS: dict[str, TaskKind] = {
    "neuron_output_above": TaskKind("neuron", neuron_output_above, {"above": 0.9}),
    "neuron_output_negative": TaskKind("neuron", neuron_output_negative, {"below": 0.0}),
    "cross_entropy_above": TaskKind("neuron", cross_entropy_above, {"above": 4.0}),
    "weight_set": TaskKind("playground", weight_set, {"layer": 0, "row": 0, "column": 1, "value": 1.5}),
    "traced_output": TaskKind("playground", traced_output, {}, asks="The output neuron's a for the traced point"),
    "nonlinear_solves": TaskKind("playground", nonlinear_solves, {"accuracy": 0.9}),
    "xor_small": TaskKind("playground", xor_small, {"neurons": 3, "accuracy": 0.9}),
    "slow_step_done": TaskKind("playground", slow_step_done),
    "more_data": TaskKind("playground", more_data, {"points": 1000}),
    "descent_reaches_optimum": TaskKind("gradient-descent", descent_reaches_optimum, {"within": 0.01}),
    "largest_stable_rate": TaskKind("gradient-descent", largest_stable_rate, {"rate": 0.5, "steps": 5}),
    "approximation_error_below": TaskKind("universal-approximation", approximation_error_below, {"error": 0.05}),
    "depth_beats_width": TaskKind("universal-approximation", depth_beats_width),
}


def check(task, state: Mapping, answer: float | None = None) -> Check:
    """``task`` (a ``ui.lessons.run.Task``) checked against ``state``; a check that fails
    on a state it did not expect says so instead of raising."""
    kind = TASKS[task.kind]
    try:
        return kind.check(state, {**kind.defaults, **task.args}, answer)
    except (AttributeError, KeyError, IndexError, TypeError, ValueError) as error:
        return Check(False, f"cannot be checked on this setup ({type(error).__name__})")
