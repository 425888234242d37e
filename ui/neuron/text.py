"""The neuron page's words: its title, each section's explanation, the pictures' titles,
and the sentences that report what the current settings give."""

import numpy as np

from ui.charts.neuron import COLOR_NAMES, DERIVATIVE_COLOR, F_COLOR
from ui.charts.neuron_diagram import number
from ui.neuron.run import N_POINTS, LossAt, LossShapes, PerceptronLesson, Stack, neuron_point

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


DIAGRAM_TITLE = "<b>The neuron, drawn</b> at the marked point (x₁, x₂): click the picture from above to move it"
DIAGRAM_SYMBOL = {  # the activation node's symbol and the output's formula
    "step": ("step", "a = step(z)"),
    "linear": ("z", "a = z"),
    "sigmoid": ("σ", "a = σ(z)"),
    "tanh": ("tanh", "a = tanh(z)"),
    "relu": ("relu", "a = relu(z)"),
}


def _weight(value: float, sign: bool = False) -> str:
    """A weight as its slider shows it (one decimal), or with three when it has more (a link's 1.55)."""
    digits = 1 if round(value, 1) == round(value, 3) else 3
    return f"{value:{'+' if sign else ''}.{digits}f}"


def _latex_number(value: float) -> str:
    return number(value).replace("−", "-")


def neuron_latex(config: dict) -> str:
    """a = f(w₁x₁ + w₂x₂ + b) with this neuron's numbers, and its z and a at the input
    point (the diagram's numbers), as LaTeX."""
    f = SYMBOL[config["activation"]]
    z = rf"{_weight(config['w1'])}\,x_1 {_weight(config['w2'], True)}\,x_2 {_weight(config['b'], True)}"
    formula = rf"a = {f}\left({z}\right)" if f else rf"a = {z}"
    at = neuron_point(config)
    x1, x2, z_at, a_at = (_latex_number(v) for v in (*at.x, at.z, at.a))
    output = rf"{f}({z_at}) = {a_at}" if f else a_at
    return rf"{formula} \quad \text{{at }} x = ({x1}, {x2}){{:}}\;\; z = {z_at},\;\; a = {output}"


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


VIEW_LABELS = {"epoch": "Epoch by epoch", "point": "Point by point"}
PREVIOUS_UPDATE, STEP_BACK, STEP_ON, NEXT_UPDATE = "Previous update", "Step back", "Step", "Next update"
STEP_SLIDER_HELP = f"0 is the start; step k·{N_POINTS} ends epoch k"
STEP_HELP = {
    PREVIOUS_UPDATE: "Back to the last step before this one that moved the line",
    STEP_BACK: "One point back",
    STEP_ON: "Look at the next point",
    NEXT_UPDATE: "On to the next point on the wrong side: the next step that moves the line",
}


def step_title(lesson: PerceptronLesson, step: int) -> str:
    if step == 0:
        return "<b>The start</b>, before any step: the line, the classes it gives, the points on the wrong side"
    this = lesson.step(step)
    return (
        f"<b>After step {step}</b> (epoch {this.epoch}, point {this.position} of {lesson.history.n_samples}): "
        "the line, the point looked at"
    )


def _vector(v) -> str:
    return "(" + ", ".join(number(x) for x in v) + ")"


def step_text(lesson: PerceptronLesson, step: int) -> tuple[str, str]:
    """(kind, text): what step ``step`` of the run did, in its own numbers ("info" for a
    point on its correct side, "warning" for one on the wrong side, which moves the line)."""
    run = lesson.history
    if step == 0:
        return "info", (
            f"The start, before any step: w = {_vector(run.step_weights[0])}, b = {number(run.step_biases[0])}, "
            f"so z = w·x + b = {number(run.step_biases[0])} at every point and {int(run.errors[0])} of "
            f"{run.n_samples} points are on the wrong side. Press {STEP_ON} to look at the first point."
        )
    s = lesson.step(step)
    where = (
        f"Step {step} (epoch {s.epoch}, point {s.position} of {run.n_samples}): the point {_vector(s.x)} of class {s.y}"
    )
    if not s.wrong:
        return "info", (
            f"{where} is on its correct side: z = w·x + b = {number(s.z)}, so ŷ = {s.y_hat} = y. "
            "With y − ŷ = 0 the rule changes nothing: w, b and the line stay as they are."
        )
    delta, lr = str(s.y - s.y_hat).replace("-", "−"), number(s.learning_rate)
    passed = (s.z_after > 0) == (s.y == 1)
    if not s.w_before.any():  # w = 0 before: there was no line to move
        moves = "there was no line before (w = 0), now there is"
        moves += ", with the point on its correct side." if passed else ", with the point still on its wrong side."
    else:
        moves = "the line moves towards the point"
        moves += ", past it: the point is now on its correct side." if passed else ", not yet past it."
    return "warning", (
        f"{where} is on the wrong side: z = w·x + b = {number(s.z)}, so ŷ = {s.y_hat} but y = {s.y}. "
        f"The rule w ← w + lr·(y − ŷ)·x gives {_vector(s.w_before)} + {lr}·({s.y} − {s.y_hat})·{_vector(s.x)} "
        f"= {_vector(s.w_after)}, and b ← b + lr·(y − ŷ) gives {number(s.b_before)} + {lr}·({delta}) = "
        f"{number(s.b_after)}. The point's z changes by lr·(y − ŷ)·(|x|² + 1) = {number(s.z_after - s.z)} to "
        f"{number(s.z_after)}: {moves}"
    )


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


# ---- what each loss punishes -------------------------------------------------------------

LOSS_HEADER = "Loss: what each punishes"
LOSS_INTRO = (
    "Training needs one number for how wrong a prediction is. Take one point with label y (0 or 1) and a "
    "prediction ŷ between 0 and 1, a sigmoid's output. The **quadratic loss** ½(ŷ − y)² and the **binary "
    "cross-entropy** −[y·log ŷ + (1 − y)·log(1 − ŷ)] both fall to 0 as ŷ nears y, but they punish differently: "
    "the quadratic loss never exceeds ½, however confidently wrong ŷ is; cross-entropy grows without bound as ŷ "
    "nears the wrong end. Gradient descent follows the slope, drawn dashed at ŷ: the steeper, the harder the "
    "pull towards y."
)
LOSS_TITLE = "Two losses for one point"
LABEL_NAMES = {1: "y = 1", 0: "y = 0"}
LOSS_NAMES = {"quadratic": "quadratic", "binary_cross_entropy": "cross-entropy"}
LOSS_BUTTON = "Train the same data with each"
CONFIDENT = 0.9  # |ŷ − y| from here on: a confident wrong answer


def short(value: float) -> str:
    """Three significant digits, no exponent, a true minus sign: 4.61, −100, 0.490, 0.0000500."""
    value = float(f"{float(value):.3g}") + 0.0  # rounded first: 9.9999 is 10.0, not 10.00
    if value == 0:
        return "0"
    digits = min(max(2 - int(np.floor(np.log10(abs(value)))), 0), 7)
    return f"{value:.{digits}f}".replace("-", "−")


def times(ratio: float) -> str:
    """A ratio of two numbers: 9.4, 101."""
    return f"{ratio:.1f}" if ratio < 10 else f"{ratio:.0f}"


def loss_formula(key: str, label: int) -> str:
    """The loss of ``key`` for label y, as the legend names its curve."""
    if key == "quadratic":
        return "quadratic ½(ŷ − 1)²" if label == 1 else "quadratic ½ŷ²"
    return "cross-entropy −log ŷ" if label == 1 else "cross-entropy −log(1 − ŷ)"


def slope_name(loss: LossAt) -> str:
    """The tangent's legend entry: the slope of that loss at ŷ."""
    return f"its slope at ŷ: {short(loss.slope)}"


def mark_label(loss: LossAt) -> str:
    """What is written beside the mark on a curve: the loss there and its slope."""
    return f"{short(loss.value)}, slope {short(loss.slope)}"


def prediction_label(shapes: LossShapes) -> str:
    return f"ŷ = {shapes.prediction:.2f}, y = {shapes.label}"


def loss_numbers(shapes: LossShapes) -> tuple[str, str]:
    """(kind, text): what each loss charges the chosen ŷ and the slope each gives, in the
    curves' numbers ("warning" for a wrong answer, "info" otherwise), and what reaches z
    through a sigmoid."""
    quadratic, entropy = shapes.losses
    p, y = shapes.prediction, shapes.label
    gap = abs(p - y)
    if gap > 0.5:
        confident = "a confident wrong answer" if gap >= CONFIDENT else "a wrong answer"
        kind, what = "warning", f"{confident} (the wrong side of ½)"
    elif gap < 0.5:
        kind, what = "info", "a right answer (the right side of ½)"
    else:
        kind, what = "info", "on the fence"
    costs = (
        f"ŷ = {p:.2f} for y = {y} is {what}: cross-entropy charges **{short(entropy.value)}** against the "
        f"quadratic's **{short(quadratic.value)}**, {times(entropy.value / quadratic.value)} times as much, and "
        f"its slope is **{short(entropy.slope)}** against **{short(quadratic.slope)}**, "
        f"{times(entropy.slope / quadratic.slope)} times as steep"
    )
    costs += ": gradient descent pulls ŷ back that much harder." if kind == "warning" else "."
    through = (
        f" Through a sigmoid output, ŷ = σ(z), the gradient that reaches z is each slope times "
        f"σ′(z) = ŷ(1 − ŷ) = {short(shapes.sigmoid_slope)}: **{short(entropy.through_sigmoid)}** with cross-entropy "
        f"(exactly ŷ − y) against **{short(quadratic.through_sigmoid)}** with the quadratic loss"
    )
    if gap >= CONFIDENT:
        through += ": a sigmoid stuck at the wrong end barely learns with the quadratic loss."
    else:
        through += "."
    return kind, costs + through


def loss_playground_setup(config: dict, address: str) -> str:
    """What the button opens, said from the Playground's ``config`` and its ``address``."""
    pairs = config["compare"].split(":")
    return (
        f"The Playground's {config['dataset']} data, a {config['output_activation']} output and learning rate "
        f"{config['learning_rate']:g}: run A with the {config['loss']} loss, run B with {pairs[1].replace('_', ' ')}, "
        f"from the same start (`{address}`). The two losses are on different scales: compare the runs' accuracy "
        "and their outputs."
    )
