"""The neuron page's words: its title, each section's explanation, the pictures' titles,
and the sentences that report what the current settings give."""

import numpy as np

from ui.charts.neuron import COLOR_NAMES, DERIVATIVE_COLOR, F_COLOR
from ui.neuron.run import N_POINTS, PerceptronLesson, Stack

TITLE = "The neuron"
CAPTION = "The building block of every network: a weighted sum, a bias, and an activation."

# ---- one neuron ------------------------------------------------------------------------------

NEURON_HEADER = "One neuron, two inputs"
NEURON_INTRO = (
    "A neuron multiplies each input by its weight, adds a bias and passes the sum through an activation f: "
    "**a = f(w₁x₁ + w₂x₂ + b)**. The sum z = w·x + b is a tilted plane over the inputs; it is 0 on the "
    "**line w·x + b = 0**, positive on the side the weight vector w points to. The activation bends the plane "
    "but keeps that line: a step neuron flips there, sigmoid crosses ½, tanh 0, relu starts to rise."
)
NO_LINE = "With w = 0 the sum is b everywhere: no line, one value."
PLANE_TITLE = "<b>Seen from above</b>: the output, the line, and w"
SURFACE_TITLE = "<b>As a surface</b> (drag to turn it)"
NEURON_AFTER = (
    "w is perpendicular to the line; the line's distance from the origin is |b| / |w|. Doubling w and b keeps the "
    "line but makes sigmoid and tanh steeper: the size of the weights sets how sharp the decision is."
)
SYMBOL = {
    "step": r"\operatorname{step}",
    "linear": "",
    "sigmoid": r"\sigma",
    "tanh": r"\tanh",
    "relu": r"\operatorname{relu}",
}


def neuron_latex(config: dict) -> str:
    """a = f(w₁x₁ + w₂x₂ + b) with this neuron's numbers, as LaTeX."""
    f = SYMBOL[config["activation"]]
    z = rf"{config['w1']:.1f}\,x_1 {config['w2']:+.1f}\,x_2 {config['b']:+.1f}"
    return rf"a = {f}\left({z}\right)" if f else rf"a = {z}"


# ---- the perceptron --------------------------------------------------------------------------

PERCEPTRON_HEADER = "The perceptron learning rule"
PERCEPTRON_INTRO = (
    "Rosenblatt's perceptron (1958) is one step neuron, ŷ = step(w·x + b), that learns one point at a time: "
    "**w ← w + lr·(y − ŷ)·x** and **b ← b + lr·(y − ŷ)**. A point on its right side (ŷ = y) changes nothing; "
    "a point on the wrong side pulls the line towards it. Here lr = 1 and w, b start at 0 (from 0, the learning "
    "rate only scales w and b: the line and the step count are the same for every rate)."
)
DATA_LABELS = {"separable": "Linearly separable", "xor": "Exclusive or (XOR)"}
NEW_DATA = "New data"
NEW_DATA_HELP = "The next data seed"
EPOCH_HELP = "0 is the start"
ERRORS_TITLE = "<b>Each epoch</b>: the updates it made, the points it left on the wrong side"
XOR_WHY = (
    "**Why it cannot work.** Class 1 sits in two opposite quadrants, (+, +) and (−, −), class 0 in the other "
    "two. Take one point from each quadrant, symmetric: ±(a, a) and ±(a, −a). A line with z = w·x + b > 0 on "
    "both class-1 points has z(a, a) + z(−a, −a) = 2b > 0; with z ≤ 0 on both class-0 points, "
    "z(a, −a) + z(−a, a) = 2b ≤ 0. Both cannot hold: **no line separates XOR**, so the rule never runs out of "
    "mistakes. A hidden layer can bend the boundary."
)
XOR_BUTTON = "Open the Playground on XOR with one hidden layer"


def line_title(epoch: int) -> str:
    return f"<b>After epoch {epoch}</b>: the line, the classes it gives, the points on the wrong side"


def perceptron_summary(lesson: PerceptronLesson) -> tuple[str, str]:
    """(kind, text): "success" when the rule converged, "warning" when it did not."""
    run = lesson.history
    if run.converged:
        return "success", (
            f"Converged after {run.epochs_to_converge} epoch(s), {run.total_updates} updates of w and b: "
            f"epoch {run.epochs_run} went through all {N_POINTS} points without a mistake."
        )
    return "warning", (
        f"No convergence: after {run.epochs_run} epochs and {run.total_updates} updates, every epoch still "
        f"makes mistakes; the best line so far leaves {int(run.errors.min())} of {N_POINTS} points on the wrong side."
    )


def xor_setup(config: dict) -> str:
    """What the Playground is opened with, said from the Playground's ``config``."""
    (neurons,) = config["hidden"]
    return (
        f"XOR data, one hidden layer of {neurons} {config['activation']} neurons, otherwise the Playground's "
        "defaults. Press Play there."
    )


# ---- linear stays linear ---------------------------------------------------------------------

STACK_HEADER = "Linear stays linear"
STACK_INTRO = (
    "Stack layers without an activation (f linear) and the stack is still one neuron: x·W₁·W₂ + … is x times "
    "**one matrix**, the product of the layers' matrices (the biases add up to one bias the same way). Depth "
    "buys nothing. Put tanh between the layers, keep the very same weights, and the boundary bends."
)
NEW_WEIGHTS = "New random weights"
NEW_WEIGHTS_HELP = "The same layers with other weights"
PRODUCT = "**The product of the weight matrices**, one matrix from x to the output"
STACK_TITLE = "<b>The output ŷ over the plane</b> and the boundary, where it is 0"
STACK_WHY = (
    "Why: with f linear, layer after layer computes (x·W₁ + b₁)·W₂ + b₂ = x·(W₁W₂) + (b₁W₂ + b₂), and so on "
    "for every layer. A non-linear f between the layers stops the matrices from meeting: that is what lets "
    "depth draw curves. Without it, the network is no more than the perceptron above."
)


def _bmatrix(a: np.ndarray) -> str:
    rows = r" \\ ".join(" & ".join(f"{v:.2f}" for v in row) for row in np.atleast_2d(a))
    return rf"\begin{{bmatrix}} {rows} \end{{bmatrix}}"


def product_latex(stack: Stack) -> str:
    """W₁W₂… = each matrix = their product, as LaTeX."""
    names = "".join(f"W_{i + 1}" for i in range(len(stack.W)))
    return rf"{names} = {' '.join(_bmatrix(Wi) for Wi in stack.W)} = {_bmatrix(stack.total_W)}"


def one_layer_text(w: np.ndarray, b: float) -> str:
    """ "ŷ = 1.07·x₁ − 0.12·x₂ − 1.18": the one layer as a formula."""

    def term(value: float, name: str) -> str:
        return f" {'−' if value < 0 else '+'} {abs(value):.2f}{name}"

    return f"ŷ = {w[0]:.2f}·x₁" + term(w[1], "·x₂") + term(b, "")


def stack_verdict(activation: str, stack: Stack) -> tuple[str, str]:
    """(kind, text): whether the product of the matrices is the stack, with the numbers."""
    one_layer = one_layer_text(stack.total_W[:, 0], float(stack.total_b[0]))
    if activation == "linear":
        return "success", (
            f"One layer does it all: {one_layer} gives the stack's output everywhere "
            f"(largest difference over the picture: {stack.gap:.1e}). The boundary is a straight line."
        )
    return "warning", (
        f"With {activation} the product means nothing: the one layer {one_layer} is off by up "
        f"to {stack.gap:.2f} over the picture, and the boundary bends."
    )


# ---- the gallery -----------------------------------------------------------------------------

GALLERY_HEADER = "Activation gallery"
GALLERY_INTRO = (
    f"Every activation the engine offers, f(z) ({COLOR_NAMES[F_COLOR]}), and its derivative f′(z) "
    f"({COLOR_NAMES[DERIVATIVE_COLOR]}, dashed), which backpropagation multiplies into every gradient: where "
    "f′ is 0, learning stops."
)
FORMULAS_LABEL = "The formulas"
FORMULAS = {  # f(z) and f'(z) as a lecturer writes them; every engine activation has one
    "linear": ("z", "1"),
    "sigmoid": ("σ(z) = 1 / (1 + e⁻ᶻ)", "σ(z)·(1 − σ(z))"),
    "tanh": ("tanh z", "1 − tanh² z"),
    "relu": ("max(0, z)", "1 for z > 0, else 0"),
    "leaky_relu": ("z for z > 0, else 0.01·z", "1 for z > 0, else 0.01"),
    "elu": ("z for z > 0, else eᶻ − 1", "1 for z > 0, else eᶻ"),
    "softplus": ("ln(1 + eᶻ)", "σ(z)"),
    "swish": ("z·σ(z)", "σ(z) + z·σ(z)·(1 − σ(z))"),
    "gelu": ("½z·(1 + tanh(√(2/π)·(z + 0.044715·z³)))", "its derivative (tanh approximation)"),
    "sine": ("sin z", "cos z"),
    "gaussian": ("e^(−z²)", "−2z·e^(−z²)"),
    "step": ("1 for z > 0, else 0", "0 (undefined at 0): no gradient flows"),
}


def formulas_table() -> dict[str, list[str]]:
    """The formulas as table columns."""
    return {
        "activation": list(FORMULAS),
        "f(z)": [f for f, _ in FORMULAS.values()],
        "f′(z)": [d for _, d in FORMULAS.values()],
    }
