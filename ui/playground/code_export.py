""" "Show the code": a standalone NumPy script that rebuilds the current setup and trains it.

The script imports nothing from this project (NumPy and the standard library only). It
rebuilds the same data (the engine's generator, its source copied in), the same features,
split and batch order (the trainer's seeds), the same initial weights (the initializer's
source, the same random draws in the same order) and trains with the same loss, optimizer
and regularization, written out plainly and batch-first (``a @ W + b``). The engine
computes feature-major, so the two agree to rounding (about 1e-12), not bit for bit; a
test runs the script and compares its losses with the engine's.

Each activation, loss and optimizer is a small text template below: the script holds
only the ones the setup uses.
"""

import ast
import inspect
import textwrap
from functools import lru_cache, partial

import numpy as np

from engine import datasets, initializers
from engine.activations import ELU_ALPHA, LEAKY_SLOPE, OUTPUT_ACTIVATIONS
from engine.features import FEATURES
from engine.losses import CLIP, FUSED, HUBER_DELTA, LOSSES, class_target_values
from engine.optimizers import make_optimizer
from ui.playground.config import CSV_DATASET, SCHEMA
from ui.playground.run import optimizer_settings, penalties, resolve_loss_and_output, why_not

DEFAULT_EPOCHS = 100  # when the run has not trained yet

# name -> expression of X (n, 2) giving the feature's column (n,), as engine.features computes it
FEATURE_CODE = {
    "x1": "X[:, 0]",
    "x2": "X[:, 1]",
    "x1_sq": "X[:, 0] ** 2",
    "x2_sq": "X[:, 1] ** 2",
    "x1x2": "X[:, 0] * X[:, 1]",
    "sin_x1": "np.sin(X[:, 0])",
    "sin_x2": "np.sin(X[:, 1])",
    "cos_x1": "np.cos(X[:, 0])",
    "cos_x2": "np.cos(X[:, 1])",
}

_SIGMOID = "np.tanh(0.5 * z) * 0.5 + 0.5"  # the engine's overflow-free form of 1 / (1 + e^-z)
_GELU_T = "t = np.tanh(np.sqrt(2.0 / np.pi) * (z + 0.044715 * z**3))"
# name -> (body of f(z), body of f'(z) given also a = f(z)); a body's last line is the
# returned expression. Elementwise, as engine.activations computes them.
ACTIVATION_CODE = {
    "linear": ("z.copy()", "np.ones_like(z)"),
    "sigmoid": (_SIGMOID, "(1.0 - a) * a"),
    "tanh": ("np.tanh(z)", "1.0 - a * a"),
    "relu": ("np.maximum(z, 0.0)", "(z > 0).astype(float)"),
    "leaky_relu": (f"np.where(z > 0, z, {LEAKY_SLOPE!r} * z)", f"np.where(z > 0, 1.0, {LEAKY_SLOPE!r})"),
    "elu": (
        f"np.where(z > 0, z, {ELU_ALPHA!r} * np.expm1(np.minimum(z, 0.0)))",
        f"np.where(z > 0, 1.0, a + {ELU_ALPHA!r})",
    ),
    "softplus": ("np.logaddexp(0.0, z)", _SIGMOID),
    "swish": (f"z * ({_SIGMOID})", f"s = {_SIGMOID}\ns + a * (1.0 - s)"),
    "gelu": (
        f"{_GELU_T}\n0.5 * z * (1.0 + t)",
        f"{_GELU_T}\n0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * np.sqrt(2.0 / np.pi) * (1.0 + 3 * 0.044715 * z * z)",
    ),
    "sine": ("np.sin(z)", "np.cos(z)"),
    "gaussian": ("np.exp(-z * z)", "-2.0 * z * a"),
    "step": ("(z > 0).astype(float)", "np.zeros_like(z)  # no gradient flows through a step"),
    "softmax": (
        "e = np.exp(z - z.max(axis=1, keepdims=True))  # shifted by the row max: exp never overflows\n"
        "e / e.sum(axis=1, keepdims=True)",
        None,
    ),
}

# name -> (value(a, Y), dL/da(a, Y)), each averaged over the batch of n rows
LOSS_CODE = {
    "quadratic": ("0.5 * np.sum((a - Y) ** 2) / n", "(a - Y) / n"),
    "binary_cross_entropy": (
        "-np.sum(Y * np.log(np.clip(a, CLIP, 1 - CLIP)) + (1 - Y) * np.log(1 - np.clip(a, CLIP, 1 - CLIP))) / n",
        "(np.clip(a, CLIP, 1 - CLIP) - Y) / (np.clip(a, CLIP, 1 - CLIP) * (1 - np.clip(a, CLIP, 1 - CLIP))) / n",
    ),
    "softmax_cross_entropy": ("-np.sum(Y * np.log(np.clip(a, CLIP, None))) / n", "-Y / np.clip(a, CLIP, None) / n"),
    "mae": ("np.sum(np.abs(a - Y)) / n", "np.sign(a - Y) / n"),
    "huber": (
        "np.sum(np.where(np.abs(a - Y) <= DELTA, 0.5 * (a - Y) ** 2, DELTA * (np.abs(a - Y) - 0.5 * DELTA))) / n",
        "np.clip(a - Y, -DELTA, DELTA) / n",
    ),
    "hinge": ("np.sum(np.maximum(0.0, 1.0 - Y * a)) / n", "-Y * (Y * a < 1.0) / n"),
}
# (output, loss) pairs with a closed form from z: the value, and dL/dz = (a - Y) / n
FUSED_CODE = {
    ("sigmoid", "binary_cross_entropy"): "np.sum(np.logaddexp(0.0, z) - Y * z) / n",
    ("softmax", "softmax_cross_entropy"): (
        "np.sum(Y * (z.max(axis=1, keepdims=True)"
        " + np.log(np.exp(z - z.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True)) - z)) / n"
    ),
}

# name -> (state created before training, the update of one parameter array p with gradient g)
OPTIMIZER_CODE = {
    "sgd": ("", "p -= LEARNING_RATE * g"),
    "momentum": (
        "velocity = [np.zeros_like(p) for p in params]",
        "v = velocity[k]\nv *= MOMENTUM\nv += g\n{update}",
    ),
    "rmsprop": (
        "square_avg = [np.zeros_like(p) for p in params]",
        "s = square_avg[k]\ns *= RHO\ns += (1.0 - RHO) * g * g\np -= LEARNING_RATE * g / (np.sqrt(s) + EPS)",
    ),
    "adam": (
        "m = [np.zeros_like(p) for p in params]\nv = [np.zeros_like(p) for p in params]",
        "m[k] *= BETA1\n"
        "m[k] += (1.0 - BETA1) * g\n"
        "v[k] *= BETA2\n"
        "v[k] += (1.0 - BETA2) * g * g\n"
        "m_hat = m[k] / (1.0 - BETA1**t)\n"
        "v_hat = v[k] / (1.0 - BETA2**t)\n"
        "p -= LEARNING_RATE * m_hat / (np.sqrt(v_hat) + EPS)",
    ),
}


# ---- the engine's own source, copied ----------------------------------------------------


def _names_used(source: str) -> set[str]:
    return {node.id for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Name)}


@lru_cache(maxsize=64)
def module_source(module_name: str, names: tuple[str, ...]) -> str:
    """The source of ``names`` in the engine module ``module_name`` and of everything of
    that module they use (constants, classes, functions), constants first, then classes,
    then functions, so the text runs on its own with NumPy."""
    module = {"engine.datasets": datasets, "engine.initializers": initializers}[module_name]
    constants, classes, functions, seen = [], [], [], set()

    def visit(name: str) -> None:
        if name in seen or name not in vars(module):
            return
        seen.add(name)
        obj = vars(module)[name]
        if inspect.isfunction(obj) or inspect.isclass(obj):
            if obj.__module__ != module.__name__:
                return  # imported from elsewhere (dataclass, partial...): not ours to copy
            source = textwrap.dedent(inspect.getsource(obj))
            for used in sorted(_names_used(source)):
                visit(used)
            (classes if inspect.isclass(obj) else functions).append(source)
        elif isinstance(obj, np.ndarray):
            constants.append(f"{name} = np.array({obj.tolist()!r}, dtype=np.{obj.dtype.name})")
        elif isinstance(obj, int | float | str) and not isinstance(obj, bool):
            constants.append(f"{name} = {obj!r}")

    for name in names:
        visit(name)
    return "\n\n\n".join(part.strip() for part in ["\n".join(constants), *classes, *functions] if part.strip())


def _dataset_call(key: str) -> tuple[str, str]:
    """(function name, extra keyword arguments) of the engine's generator for ``key``."""
    generator = datasets.DATASETS[key]
    if isinstance(generator, partial):
        extra = "".join(f", {k}={v!r}" for k, v in generator.keywords.items())
        return generator.func.__name__, extra
    return generator.__name__, ""


# ---- the script --------------------------------------------------------------------------


def _function(name: str, args: str, body: str, doc: str) -> str:
    """``def name(args):`` with a docstring; the body's last line is returned."""
    *lines, last = body.split("\n")
    return "\n".join(
        [f"def {name}({args}):", f'    """{doc}"""', *(f"    {line}" for line in lines), f"    return {last}"]
    )


def _activation_functions(hidden: str, output: str) -> str:
    """``activation_<name>(z)`` and ``derivative_<name>(z, a)`` for the activations used."""
    parts = []
    for name in dict.fromkeys([hidden, output]):
        fn, deriv = ACTIVATION_CODE[name]
        parts.append(
            _function(
                f"activation_{name}",
                "z",
                fn,
                f"{name}(z), elementwise." if deriv else "softmax over each row of z (n, k).",
            )
        )
        if deriv:
            parts.append(_function(f"derivative_{name}", "z, a", deriv, f"{name}'(z), given a = {name}(z)."))
    return "\n\n\n".join(parts)


def _output_backward(output: str) -> str:
    """dL/dz of the output layer from dL/da (grad_a)."""
    if output == "softmax":
        return "a * (grad_a - np.sum(grad_a * a, axis=1, keepdims=True))  # softmax's Jacobian times grad_a"
    return f"derivative_{output}(z, a) * grad_a"


def _optimizer_code(name: str, settings: dict) -> tuple[str, str, str]:
    """(constants, state, the update of p from g) for optimizer ``name``."""
    optimizer = make_optimizer(name, **settings)
    constants = [f"{key.upper()} = {getattr(optimizer, key)!r}" for key in optimizer.settings]
    state, update = OPTIMIZER_CODE[name]
    if name == "momentum":
        step = "p -= LEARNING_RATE * (g + MOMENTUM * v)" if optimizer.nesterov else "p -= LEARNING_RATE * v"
        update = update.format(update=step)
        constants = [c for c in constants if not c.startswith("NESTEROV")]
        constants.append(f"# Nesterov: {optimizer.nesterov}")
    return "\n".join(constants), state, update


DISPLAY_ONLY = ("show_test", "discretize", "log_scale", "show_delta", "show_health", "health_colors", "speed")


def _config_lines(config: dict) -> str:
    lines = []
    for f in SCHEMA:
        if f.name not in DISPLAY_ONLY:
            value = config[f.name]
            text = (", ".join(map(str, value)) or "none") if isinstance(value, tuple) else value
            lines.append(f"    {f.name}: {text}")
    return "\n".join(lines)


def generate_script(config: dict, epochs: int = DEFAULT_EPOCHS) -> str:
    """A Python script (text) that rebuilds ``config``'s data and network with NumPy alone
    and trains it ``epochs`` epochs, printing the losses. ValueError for a setup it cannot
    write: your own CSV data, or a loss and output that cannot train together."""
    if config["dataset"] == CSV_DATASET:
        raise ValueError("the code export works with the built-in datasets; your own CSV data is not written out")
    dataset = datasets.make_dataset(config["dataset"], 4, 0.0, 0)  # only for its kind and classes
    problem, n_classes = dataset.problem, dataset.n_classes
    loss, output, n_out = resolve_loss_and_output(problem, n_classes, config["loss"], config["output_activation"])
    reason = why_not(problem, loss, output)
    if reason:
        raise ValueError(reason)
    function, extra = _dataset_call(config["dataset"])
    features = tuple(k for k in FEATURES if k in config["features"])  # in the engine's order
    sizes = [len(features), *config["hidden"], n_out]
    hidden = config["activation"]
    l1, l2 = penalties(config)
    opt_constants, opt_state, opt_update = _optimizer_code(config["optimizer"], optimizer_settings(config))
    fused = (output, loss) in FUSED

    if problem == "classification":
        low, high = class_target_values(OUTPUT_ACTIVATIONS[output], LOSSES[loss])
        if n_out == 1:
            targets = "Y = np.where(labels == 1, HIGH, LOW).reshape(-1, 1)  # class 1 -> HIGH, class 0 -> LOW"
            predict = "(out[:, 0] > 0.5 * (LOW + HIGH)).astype(int)"
        else:
            targets = f"Y = np.where(np.arange({n_out}) == labels[:, None], HIGH, LOW)  # one column per class"
            predict = "out.argmax(axis=1)"
        targets = (
            f"LOW, HIGH = {low!r}, {high!r}  # target values: HIGH means yes, LOW no "
            f"(for a {output} output and the {loss.replace('_', ' ')} loss)\n{targets}"
        )
        accuracy = f"float(np.mean({predict} == labels))"
    else:
        targets = "Y = labels.reshape(-1, 1).astype(float)"
        accuracy = "None"

    value, grad = LOSS_CODE[loss]
    if fused:
        loss_value = FUSED_CODE[(output, loss)]
        delta = "(a - Y) / n  # the closed form of the loss's gradient through its matching output"
        loss_doc = f"{loss.replace('_', ' ')} computed from z (never log(0))"
    else:
        loss_value, delta = value, None
        loss_doc = loss.replace("_", " ")
    loss_constants = []
    if "CLIP" in loss_value + grad:
        loss_constants.append(f"CLIP = {CLIP!r}  # keeps log() finite")
    if loss == "huber":
        loss_constants.append(f"DELTA = {HUBER_DELTA!r}")
    if delta is None:
        delta = f"grad_a = {grad}\n    return {_output_backward(output)}"
    else:
        delta = f"return {delta}"

    regularization = "pass  # no regularization"
    if l1 or l2:
        term = f"{l2!r} * W[i]" if l2 else f"{l1!r} * np.sign(W[i])"
        regularization = (
            f"for i in range(len(W)):  # on the weights only, not the biases\n        gW[i] = gW[i] + {term}"
        )

    data_source = module_source("engine.datasets", (function,))
    init_source = module_source("engine.initializers", (config["initializer"],))
    feature_list = ", ".join(FEATURE_CODE[k] for k in features)
    title = f"{config['dataset']} data, a {'-'.join(map(str, sizes))} network, {config['optimizer']}"

    return SCRIPT.format(
        title=title,
        config=_config_lines(config),
        epochs=int(epochs),
        data_source=data_source,
        function=function,
        n_samples=config["n_samples"],
        noise=config["noise"] / 100,
        data_seed=config["data_seed"],
        extra=extra,
        features=", ".join(features),
        feature_list=feature_list,
        init_seed=config["init_seed"],
        train_fraction=config["train_percent"] / 100,
        targets=targets,
        sizes=sizes,
        init_source=init_source,
        initializer=config["initializer"],
        activations=_activation_functions(hidden, output),
        hidden=hidden,
        output=output,
        loss_constants="".join(f"\n{line}\n" for line in loss_constants) + "\n",
        loss_doc=loss_doc,
        loss_value=loss_value,
        delta=delta,
        regularization=regularization,
        learning_rate=config["learning_rate"],
        batch_size=config["batch_size"],
        opt_constants=opt_constants,
        opt_state=opt_state,
        opt_update=textwrap.indent(opt_update, " " * 12),
        accuracy=accuracy,
    )


SCRIPT = '''"""{title}.

Written by the neural-network playground for this setup:
{config}

NumPy alone: this script rebuilds the app's data, features, train/test split, initial
weights and batch order from the same seeds, and trains the same way. Its losses match
the app's to rounding (the app computes in another order). Not included: points drawn
by hand, weights edited or imported, and settings changed while training ran.

    python this_script.py [epochs]
"""

import sys
from dataclasses import dataclass

import numpy as np

EPOCHS = int(sys.argv[1]) if len(sys.argv) > 1 else {epochs}

# ---- 1. The data: the app's generator, copied from its engine ---------------------------

{data_source}


data = {function}(n_samples={n_samples}, noise={noise!r}, seed={data_seed}{extra})
X_raw, labels = data.X, data.y  # X_raw (n, 2): the points; labels (n,)


# ---- 2. Input features: {features}


def features(X):
    """X (n, 2) -> the network's inputs (n, k)."""
    return np.column_stack([{feature_list}])


X = features(X_raw)

# ---- 3. Train/test split and batch order, both from the weights seed ----------------

split_seed, shuffle_seed = np.random.SeedSequence({init_seed}).spawn(2)
order = np.random.default_rng(split_seed).permutation(len(X))
n_train = min(max(round({train_fraction!r} * len(X)), 1), len(X) - 1)
train, test = order[:n_train], order[n_train:]
shuffle_rng = np.random.default_rng(shuffle_seed)  # shuffles the batches of every epoch

# ---- 4. Targets --------------------------------------------------------------------------

{targets}
X_train, Y_train, labels_train = X[train], Y[train], labels[train]
X_test, Y_test, labels_test = X[test], Y[test], labels[test]

# ---- 5. The network: layer i has W[i] (fan_in, fan_out) and b[i] (fan_out,) ---------------

SIZES = {sizes!r}


{init_source}


init_rng = np.random.default_rng({init_seed})
W, b = [], []
for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):  # layer by layer, W then b
    W_i, b_i = {initializer}(fan_in, fan_out, init_rng)
    W.append(W_i)
    b.append(b_i)

# ---- 6. Activations, forward pass, loss, gradients -------------------------------------


{activations}


def forward(X):
    """Every layer's pre-activation z = a_prev @ W + b and activation a, batch-first."""
    zs, activations = [], [X]
    for i in range(len(W)):
        z = activations[-1] @ W[i] + b[i]
        zs.append(z)
        activations.append(activation_{hidden}(z) if i < len(W) - 1 else activation_{output}(z))
    return zs, activations

{loss_constants}
def loss_value(z, a, Y):
    """The {loss_doc} loss, averaged over the n rows."""
    n = len(Y)
    return {loss_value}


def output_delta(z, a, Y):
    """dL/dz of the output layer."""
    n = len(Y)
    {delta}


def gradients(X, Y):
    """dL/dW and dL/db of every layer for one batch (backpropagation)."""
    zs, activations = forward(X)
    delta = output_delta(zs[-1], activations[-1], Y)
    gW, gb = [None] * len(W), [None] * len(W)
    for i in reversed(range(len(W))):
        gW[i] = activations[i].T @ delta
        gb[i] = delta.sum(axis=0)
        if i:
            delta = (delta @ W[i].T) * derivative_{hidden}(zs[i - 1], activations[i])
    return gW, gb


def regularize(gW):
    {regularization}


def evaluate(X, Y, labels):
    """(loss, accuracy or None) on a data set."""
    zs, activations = forward(X)
    out = activations[-1]
    return loss_value(zs[-1], out, Y), {accuracy}


# ---- 7. Training: mini-batches in a new shuffled order every epoch ----------------------

LEARNING_RATE = {learning_rate!r}
BATCH_SIZE = min({batch_size}, n_train)
{opt_constants}
params = [p for pair in zip(W, b) for p in pair]  # W0, b0, W1, b1, ...: updated in place
{opt_state}
t = 0  # optimizer steps taken

print(f"epoch {{0:5d}}  training loss {{evaluate(X_train, Y_train, labels_train)[0]:.6f}}")
for epoch in range(1, EPOCHS + 1):
    batch_order = shuffle_rng.permutation(n_train)
    for start in range(0, n_train, BATCH_SIZE):
        rows = batch_order[start : start + BATCH_SIZE]
        gW, gb = gradients(X_train[rows], Y_train[rows])
        regularize(gW)
        t += 1
        grads = [g for pair in zip(gW, gb) for g in pair]
        for k, (p, g) in enumerate(zip(params, grads)):
{opt_update}
    if epoch % max(1, EPOCHS // 10) == 0 or epoch == EPOCHS:
        train_loss, _ = evaluate(X_train, Y_train, labels_train)
        test_loss, _ = evaluate(X_test, Y_test, labels_test)
        print(f"epoch {{epoch:5d}}  training loss {{train_loss:.6f}}  test loss {{test_loss:.6f}}")

train_loss, train_accuracy = evaluate(X_train, Y_train, labels_train)
test_loss, test_accuracy = evaluate(X_test, Y_test, labels_test)
print(f"final training loss = {{float(train_loss)!r}}")
print(f"final test loss = {{float(test_loss)!r}}")
if train_accuracy is not None:
    print(f"accuracy: training {{train_accuracy:.1%}}, test {{test_accuracy:.1%}}")
'''
