"""The neuron page's settings as a schema (see ``ui.live.schema``): the one neuron's
weights, bias and activation and the input point (x₁, x₂) it is drawn for, the
perceptron's data, seed, view (epoch by epoch or point by point) and shown epoch or step,
the stack of layers' activation, depth and weights, and the label y and prediction ŷ of
the one point whose losses are compared. One configuration for the whole page, for the
widgets and the URL alike (``/neuron?w1=1.5&activation=relu``).

``resets`` marks the fields whose change makes a new perceptron run: it is then shown
after its last epoch. Nothing else on this page trains."""

from engine.datasets import DOMAIN, MAX_SEED
from engine.neuron import NEURON_ACTIVATIONS
from engine.perceptron import MAX_EPOCHS, PERCEPTRON_DATA
from ui.live.schema import Field, Schema

LAST_EPOCH = MAX_EPOCHS  # the epoch field's default: the run's last epoch, whichever it is
N_POINTS = 100  # points of the perceptron's data
MAX_STEPS = MAX_EPOCHS * N_POINTS  # one step per point per epoch
PERCEPTRON_VIEWS = ("epoch", "point")
STACK_ACTIVATIONS = ("linear", "tanh")
STACK_WIDTH = 3  # neurons in each hidden layer of the stack
MAX_STACK_LAYERS = 3
MIN_PREDICTION, MAX_PREDICTION = 0.01, 0.99  # the loss section's ŷ: log ŷ and log(1 − ŷ) stay finite
LOSS_LABELS = (1, 0)

SCHEMA = Schema(
    (
        Field("w1", 1.0, "float", low=-3.0, high=3.0, step=0.1, resets=False, label="w₁"),
        Field("w2", 0.5, "float", low=-3.0, high=3.0, step=0.1, resets=False, label="w₂"),
        Field("b", 1.0, "float", low=-6.0, high=6.0, step=0.5, resets=False, label="b (bias)"),
        Field("activation", "sigmoid", "choice", NEURON_ACTIVATIONS, resets=False, label="Activation f"),
        # the point the diagram follows: z = 1.5 - 1 + 1 = 1.5 with the default weights
        Field("x1", 1.5, "float", low=-DOMAIN, high=DOMAIN, step=0.1, resets=False, label="Input x₁"),
        Field("x2", -2.0, "float", low=-DOMAIN, high=DOMAIN, step=0.1, resets=False, label="Input x₂"),
        Field("data", "separable", "choice", tuple(PERCEPTRON_DATA), label="Data"),
        Field("data_seed", 7, "int", low=0, high=MAX_SEED, label="Data seed"),  # seed 7: 9 epochs, worth watching
        Field("epoch", LAST_EPOCH, "int", low=0, high=MAX_EPOCHS, resets=False, label="Show the line after epoch"),
        Field("view", "epoch", "choice", PERCEPTRON_VIEWS, resets=False, label="Show the rule"),
        Field("step", 0, "int", low=0, high=MAX_STEPS, resets=False, label="Show the line after step"),
        Field(
            "stack_activation", "linear", "choice", STACK_ACTIVATIONS, resets=False, label="Activation between layers"
        ),
        Field(
            "stack_layers",
            2,
            "int",
            low=1,
            high=MAX_STACK_LAYERS,
            resets=False,
            label=f"Hidden layers of {STACK_WIDTH} neurons",
        ),
        # seed 4: weights whose tanh boundary bends clearly
        Field("stack_seed", 4, "int", low=0, high=MAX_SEED, resets=False, label="The stack's random weights"),
        # one point's label y and prediction ŷ, where the two losses are compared
        Field("loss_label", 1, "int", low=0, high=1, resets=False, label="Label y"),
        Field(
            "loss_prediction",
            0.1,
            "float",
            low=MIN_PREDICTION,
            high=MAX_PREDICTION,
            step=0.01,
            resets=False,
            label="Prediction ŷ",
        ),
    )
)
DEFAULTS = SCHEMA.defaults()
