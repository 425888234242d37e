"""The NumPy neural-network engine: pure NumPy, no UI imports.

Public API::

    Network(layer_sizes, hidden_activation, output_activation, initializer, seed)
    Trainer(network, X, y, loss=..., optimizer=..., learning_rate=..., batch_size=...)
    gradient_check(network, X, Y, loss, l1, l2)
    trace_point(network, x, target, loss) -> PointTrace   (one input, layer by layer, and its backprop)
    Trainer.health, Trainer.units, diagnose(trainer) -> [Finding], converging_rate  (engine.health)
    train_together(trainers, epochs) -> [TrainReport]   (networks of one shape, stacked: engine.stacked)
    ACTIVATIONS, OUTPUT_ACTIVATIONS, LOSSES, OPTIMIZERS, INITIALIZERS  (string-key registries)
"""

from engine.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS, Activation, get_activation
from engine.explain import LayerPass, PointBackward, PointTrace, softmax_parts, trace_point
from engine.gradcheck import GradientCheck, gradient_check
from engine.health import HEALTH_STATS, Finding, HealthHistory, UnitHealth, converging_rate, diagnose
from engine.initializers import INITIALIZERS
from engine.losses import LOSSES, MATCHED_OUTPUT, Loss, class_target_values, get_loss
from engine.network import Network, Trace
from engine.optimizers import OPTIMIZERS, Optimizer, make_optimizer
from engine.split import train_test_split
from engine.stacked import group_key, train_together
from engine.trainer import History, Trainer, TrainReport

__all__ = [
    "ACTIVATIONS",
    "HEALTH_STATS",
    "INITIALIZERS",
    "LOSSES",
    "MATCHED_OUTPUT",
    "OPTIMIZERS",
    "OUTPUT_ACTIVATIONS",
    "Activation",
    "Finding",
    "GradientCheck",
    "HealthHistory",
    "History",
    "LayerPass",
    "Loss",
    "Network",
    "Optimizer",
    "PointBackward",
    "PointTrace",
    "Trace",
    "TrainReport",
    "Trainer",
    "UnitHealth",
    "class_target_values",
    "converging_rate",
    "diagnose",
    "get_activation",
    "get_loss",
    "gradient_check",
    "group_key",
    "make_optimizer",
    "softmax_parts",
    "trace_point",
    "train_test_split",
    "train_together",
]
