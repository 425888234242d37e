"""The Gradient descent page's words: titles, explanations, the charts' titles and what
the worked example's end says."""

from engine.gradient_descent import (
    EXAMPLE_TARGET,
    EXAMPLE_W0,
    EXAMPLE_X,
    behaviour,
    divergence_threshold,
    one_weight_gradient,
    one_weight_loss,
)
from ui.descent.run import ANSWER, MAX_RACE_STEPS, MAX_STEPS, Example

TITLE = "Gradient descent"
CAPTION = "How a network learns: measure the slope of the loss, take a small step downhill, repeat."

EXAMPLE_HEADER = "One weight, one example"
NB = "\u00a0"  # a no-break space: "w = 5" stays on one line
EXAMPLE_INTRO = (
    f"A neuron without bias predicts **ŷ = w·x**. On one example, x{NB}={NB}{EXAMPLE_X:g} with target "
    f"t{NB}={NB}{EXAMPLE_TARGET:g}, the loss **L(w) = ½(w·x − t)²** is a parabola, lowest at w{NB}={NB}{ANSWER:g}. "
    f"The slope **dL/dw = x·(w·x − t)** points uphill, so each step goes against it: **w ← w − lr · dL/dw**. "
    f"We start at w{NB}={NB}{EXAMPLE_W0:g} (slope {float(one_weight_gradient(EXAMPLE_W0)):g})."
)
PRESETS = ((0.02, "slow"), (0.25, "one step"), (0.4, "zig-zag"), (0.5, "for ever"), (0.55, "diverges"))


def threshold_text() -> str:
    lr_max = divergence_threshold(EXAMPLE_X)
    return (
        f"Each step multiplies the error w − {ANSWER:g} by 1 − lr·x² = 1 − {EXAMPLE_X * EXAMPLE_X:g}·lr. "
        f"Descent converges while |1 − lr·x²| < 1, that is for 0 < lr < 2/x² = **{lr_max:g}**, and "
        f"**diverges for every learning rate above {lr_max:g}**. At exactly lr = {lr_max:g} the factor is −1: "
        f"w jumps between {EXAMPLE_W0:g} and {2 * ANSWER - EXAMPLE_W0:g} for ever and the loss stays at "
        f"{float(one_weight_loss(EXAMPLE_W0)):g}: it neither converges nor diverges."
    )


BEHAVIOUR_TEXT = {
    "converges from one side": "w creeps towards 3 from one side; the smaller the rate, the slower",
    "converges in one step": "the first step lands exactly on w = 3",
    "converges, oscillating": "w overshoots, jumping from side to side, and closes in",
    "oscillates for ever": "w jumps between 5 and 1 for ever: no convergence, no divergence",
    "diverges": "every jump overshoots further than the last: the loss grows without bound",
    "no progress": "w does not move",
}
NO_STEPS = "Press Step or Play: each step adds a row."


def table_heading(learning_rate: float) -> str:
    return f"**Every step as a row** (lr = {learning_rate:g}: {BEHAVIOUR_TEXT[behaviour(learning_rate)]})"


def outcome_message(example: Example) -> tuple[str, str] | None:
    """(kind, text) saying how the worked example ended, kind one of success, error, info;
    None while it goes on."""
    outcome, n = example.outcome(), len(example.rows)
    if outcome == "converged":
        return "success", (
            f"Converged after {n} step(s): w = {example.weight:.4f} (3 to four decimals). Press Reset to run it again."
        )
    if outcome == "diverged":
        return "error", example.divergence()
    if outcome == "limit":
        return "info", f"Stopped after {MAX_STEPS} steps: w = {example.weight:.4f}. Press Reset to start again."
    return None


RACE_HEADER = "Two parameters: a neuron's weight and bias"
RACE_INTRO = (
    "Give the neuron a bias, **ŷ = f(w·x + b)**, and fit it to a small data set: the loss now depends on two "
    "numbers, so it is a landscape over the (w, b) plane, drawn as contour lines of equal loss. Four optimizers "
    "start from the same point with the same learning rate and step together: **sgd** follows the slope, "
    "**momentum** builds up speed, **rmsprop** and **adam** divide each step by the recent size of the gradient. "
    "Click the map to start from another point."
)
SURFACE_LABELS = {"linear": "Linear neuron, squared error", "sigmoid": "Sigmoid neuron, cross-entropy"}
RACE_ENDED = f"Stopped after {MAX_RACE_STEPS} steps. Press Reset, or click the map, to race again."
RULES_TITLE = "The four update rules (g is the gradient, lr the learning rate)"
RULES = (
    "- **sgd**: p ← p − lr·g\n"
    "- **momentum** (0.9): v ← 0.9·v + g;  p ← p − lr·v\n"
    "- **rmsprop** (ρ = 0.9): s ← ρ·s + (1 − ρ)·g²;  p ← p − lr·g / (√s + ε)\n"
    "- **adam** (β₁ = 0.9, β₂ = 0.999): m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  "
    "p ← p − lr·m̂ / (√v̂ + ε), with m̂, v̂ corrected for starting at 0\n\n"
    "These are the engine's optimizers, the same the Playground trains with. rmsprop and adam take steps "
    "of about lr whatever the slope, so on a flat plateau they move where sgd crawls, and near the "
    "minimum they keep jittering unless lr is small."
)

TITLES = {
    "parabola": "<b>The loss and its tangent</b> at the weight now, and the next step",
    "weights": "<b>The weight after each step</b>",
    "surface": "<b>The loss over (w, b)</b> and each optimizer's path",
    "fit": "<b>The data and each optimizer's neuron now</b>",
}
