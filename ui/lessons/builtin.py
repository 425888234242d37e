"""The built-in lesson: a first lecture on neural networks, in thirteen scenes, as a deck
(``ui.lessons.run.Deck``). Each scene opens a page with its setup, the distracting
controls hidden, and sets a task the app checks live (``ui.lessons.tasks``). Pure data.

The numbers a scene's text quotes are those of the setup it opens (checked by
tests/ui/test_lesson_deck.py against the engine)."""

from ui.lessons.run import Deck, deck_from_data

# Controls that distract from a scene's point on the Playground: the data's fine print.
_DATA_DETAIL = ["n_samples", "noise", "train_percent", "data_seed", "init_seed"]
_TRAINING_DETAIL = [
    "optimizer",
    "momentum",
    "nesterov",
    "beta1",
    "beta2",
    "rho",
    "regularization",
    "regularization_rate",
]
_PERCEPTRON = ["data", "data_seed", "epoch", "view", "step", "stack_activation", "stack_layers", "stack_seed"]

SCENES = [
    {
        "title": "A neuron",
        "text": (
            "A neuron multiplies each input by a weight, adds the products and its bias, and passes "
            "the sum z = w₁x₁ + w₂x₂ + b through an activation: a = f(z). The bias is the weight of an "
            "input that is always 1. The diagram draws the neuron for one input point with every number on it."
        ),
        "page": "neuron",
        "params": {"activation": "sigmoid", "x1": "1.5", "x2": "-2"},
        "hide": [*_PERCEPTRON, "loss_label", "loss_prediction"],
        "look": "The neuron drawn for the point (1.5, −2): the inputs and the constant 1, the weights on the "
        "links, Σ giving z, and the activation giving a.",
        "task": {
            "kind": "neuron_output_above",
            "text": "Move w₁, w₂ or b until the neuron's output a for the point (1.5, −2) is above 0.9.",
        },
        "notes": "z = 1.5·w₁ − 2·w₂ + b; sigmoid(z) > 0.9 needs z > 2.2 (e.g. b = 2).",
    },
    {
        "title": "The weight matrix",
        "text": (
            "Between two layers the weights form a matrix W: one row per neuron the connections come from, "
            "one column per neuron they go to. Here W1 is 2 × 3, the inputs X₁ and X₂ to the three hidden "
            "neurons, and its last row b holds the biases; W2 is 3 × 1, the hidden neurons to the output."
        ),
        "page": "playground",
        "params": {"hidden": "3"},
        "hide": [*_DATA_DETAIL, *_TRAINING_DETAIL],
        "look": "The weight matrices beside the network: each entry is one link, its colour the sign and its "
        "size the thickness of that link.",
        "task": {
            "kind": "weight_set",
            "text": "Open “Edit the weights” (paused) and set the weight from X₁ to the second hidden "
            "neuron, row X₁ and column h1.2 of W1, to 1.5. Watch its link in the network.",
            "args": {"layer": 0, "row": 0, "column": 1, "value": 1.5},
        },
    },
    {
        "title": "Forward propagation",
        "text": (
            "A layer takes its input vector x, computes z = x·W + b (one z per neuron) and a = σ(z); "
            "its a is the next layer's x, up to the output. The traced point (data row 1) is followed "
            "through the network with the real numbers, under the pictures."
        ),
        "page": "playground",
        "params": {"hidden": "3", "trace": "row:1"},
        "hide": [*_DATA_DETAIL, *_TRAINING_DETAIL],
        "look": "The cell “Trace”: each layer's W, z = x·W + b and a = σ(z); the ring marks the point in "
        "every neuron's picture.",
        "task": {
            "kind": "traced_output",
            "text": "Press Step a few times, then read the output neuron's a for the traced point and type it "
            "(3 decimals).",
        },
    },
    {
        "title": "Activation functions",
        "text": (
            "The activation decides what a neuron makes of its sum z: step gives 0 or 1, linear passes z "
            "on, sigmoid squashes it into (0, 1), tanh into (−1, 1), and relu keeps a positive z and "
            "zeroes the rest. The gallery at the bottom of the page draws each with its derivative."
        ),
        "page": "neuron",
        "params": {"activation": "step", "x1": "1.5", "x2": "-2"},
        "hide": [*_PERCEPTRON, "loss_label", "loss_prediction"],
        "look": "The neuron from above (its output over the plane) and the activation in the diagram.",
        "task": {
            "kind": "neuron_output_negative",
            "text": "Make the neuron's output a negative at the point (1.5, −2). Which activations can do it?",
        },
        "notes": "Only tanh and linear (and a negative z) give a < 0; step, sigmoid and relu never do.",
    },
    {
        "title": "Depth needs non-linearity",
        "text": (
            "With the linear activation each layer is a matrix product, and a product of matrices is one "
            "matrix: however many layers, the network draws one straight line. Press Play: the circle "
            "cannot be separated. A non-linear activation bends the boundary."
        ),
        "page": "playground",
        "params": {"hidden": "4,4", "activation": "linear"},
        "hide": [*_DATA_DETAIL, *_TRAINING_DETAIL],
        "look": "The output picture: a straight boundary whatever the number of layers.",
        "task": {
            "kind": "nonlinear_solves",
            "text": "Change only the activation so that the same network reaches 90 % test accuracy.",
            "args": {"accuracy": 0.9},
        },
    },
    {
        "title": "XOR needs a hidden layer",
        "text": (
            "A single neuron draws one line, and no line separates XOR: each colour sits in two opposite "
            "corners, so a line gets at most three of the four right. Press Play with no hidden layer: the "
            "test accuracy stalls near 70 %. A hidden layer draws several lines and the output combines them."
        ),
        "page": "playground",
        "params": {"dataset": "xor", "hidden": "none", "learning_rate": "0.1"},
        "hide": [*_DATA_DETAIL, *_TRAINING_DETAIL, "features"],
        "look": "The output picture with no hidden layer, then each hidden neuron's line in the network.",
        "task": {
            "kind": "xor_small",
            "text": "What is the smallest hidden layer that solves XOR? Reach 90 % test accuracy with at most "
            "3 hidden neurons.",
            "args": {"neurons": 3, "accuracy": 0.9},
        },
    },
    {
        "title": "Loss: what each punishes",
        "text": (
            "The quadratic loss ½(ŷ − y)² grows slowly, however wrong the prediction; the cross-entropy "
            "−log ŷ (for y = 1) grows without bound as a confident prediction turns out wrong, and its slope "
            "grows with it. The chart draws both against the prediction for one point."
        ),
        "page": "neuron",
        "params": {"loss_label": "1", "loss_prediction": "0.5"},
        "hide": _PERCEPTRON,
        "look": "The loss chart: both curves, the marked prediction, each loss's value and slope there.",
        "task": {
            "kind": "cross_entropy_above",
            "text": "Make the cross-entropy exceed 4: how confident and wrong must ŷ be, and what does the "
            "quadratic loss say there?",
            "args": {"above": 4},
        },
    },
    {
        "title": "Gradient descent",
        "text": (
            "One weight w, one input x = 2, target 6: the loss ½(w·x − 6)² is a parabola, lowest at w = 3. "
            "At w = 5 its slope is (5·2 − 6)·2 = 8, and a step moves w against it: 5 − 0.1 · 8 = 4.2 at "
            "learning rate 0.1."
        ),
        "page": "gradient-descent",
        "params": {"learning_rate": "0.1"},
        "hide": ["race_surface", "race_learning_rate", "race_steps_per_second"],
        "look": "The parabola with its tangent, and the table: w, the slope, the step.",
        "task": {
            "kind": "descent_reaches_optimum",
            "text": "Press Step until w is within 0.01 of the optimum 3. How many steps does it take?",
            "args": {"within": 0.01},
        },
    },
    {
        "title": "The learning rate",
        "text": (
            "Too small a learning rate crawls towards the minimum; too large a one overshoots it, further "
            "every step, and diverges. For this example the page states the limit: every rate above "
            "2/x² = 0.5 diverges."
        ),
        "page": "gradient-descent",
        "params": {"learning_rate": "0.02"},
        "hide": ["race_surface", "race_learning_rate", "race_steps_per_second"],
        "look": "w per step: a slow creep at 0.02, a zig-zag near 0.4, a run-away above 0.5.",
        "task": {
            "kind": "largest_stable_rate",
            "text": "Find the largest learning rate that does not diverge and press Step 5 times there. What "
            "does w do?",
            "args": {"rate": 0.5, "steps": 5},
        },
        "notes": "At 0.5 the factor 1 − lr·x² is −1: w jumps between 5 and 1 for ever.",
    },
    {
        "title": "Backpropagation",
        "text": (
            "Training on a mini-batch goes forward (the outputs), measures the loss, then sends the error "
            "back: the output's δ = ∂L/∂z, and each earlier layer's δ is the next layer's δ through its "
            "weights times the activation's slope. Every weight then moves: w ← w − lr · ∂L/∂w."
        ),
        "page": "playground",
        "params": {"hidden": "3"},
        "hide": [*_DATA_DETAIL, *_TRAINING_DETAIL],
        "look": "The slow step's four stages under the pictures: forward, loss, backward, update.",
        "task": {"kind": "slow_step_done", "text": "Press Slow step and go through all four stages to the update."},
    },
    {
        "title": "Universal approximation",
        "text": (
            "One hidden layer of relu neurons adds up bent lines, and with enough of them it follows any "
            "continuous function as closely as you like. Press Play: whenever the fit settles, a neuron is "
            "added, every trained weight kept. A step is not continuous: near its jump the error stays."
        ),
        "page": "universal-approximation",
        "params": {"target": "sin", "neurons": "1", "grow": "add"},
        "hide": ["formula", "n_samples", "noise", "data_seed", "initializer", "init_seed", "optimizer", "batch_size"],
        "look": "Each neuron's piece vⱼ·hⱼ(x) with its kink, and the error against the number of neurons.",
        "task": {
            "kind": "approximation_error_below",
            "text": "Let the network grow until its max error on sin is below 0.05: how many neurons did it "
            "take? Then switch the target to step and watch the error at the jump.",
            "args": {"error": 0.05},
        },
    },
]

SCENES.append(
    {
        "title": "Depth versus width",
        "text": (
            "One wide layer can approximate anything, but it may pay in neurons for what a few layers "
            "get cheaply: the hand-built zigzag doubles its teeth with every layer of two neurons. On this "
            "sawtooth, at an equal budget of 200 parameters, train one wide layer and two, three and four "
            "narrower ones side by side."
        ),
        "page": "universal-approximation",
        "params": {"target": "sawtooth", "n_samples": "1000", "budget": "200"},
        "hide": ["formula", "noise", "data_seed", "initializer", "init_seed", "optimizer", "batch_size"],
        "look": "“Width versus depth”: the four fits, the table of errors, the verdict, then the zigzag.",
        "task": {
            "kind": "depth_beats_width",
            "text": "Press Train side by side: which wins at 200 parameters, and by how much?",
        },
        "notes": (
            "Measured (benchmarks/depth_vs_width.py, seeds 0-4): a deeper network's RMSE is 1.15 to 1.69 "
            "times lower than the one wide layer's on every seed; seed 0 (this setup): 0.157 against 0.196."
        ),
    }
)
SCENES.append(
    {
        "title": "More data",
        "text": (
            "A network learns from its training points and is judged on points it has not seen. With "
            "few points it fits their noise; with more, what it learns holds for new points too. The "
            "same network, trained the same number of epochs on 50 to 2,000 points, shows it."
        ),
        "page": "playground",
        "params": {"noise": "25"},
        "hide": [*_TRAINING_DETAIL, "init_seed", "data_seed"],
        "look": "“More data” under the pictures: the test loss against the number of training points.",
        "task": {
            "kind": "more_data",
            "text": "Unfold “More data” and measure the curve: how much lower is the test loss with 1,000 "
            "training points than with 25?",
            "args": {"points": 1000},
        },
        "notes": "Measured (noise 25, 200 epochs): test loss 0.297 with 25 training points, 0.129 with 1,000.",
    }
)


def builtin_deck() -> Deck:
    """The built-in lesson, checked like any deck."""
    return deck_from_data({"title": "A first lecture on neural networks", "scenes": SCENES})
