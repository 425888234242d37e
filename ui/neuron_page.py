"""The neuron page's state, callbacks and figures (pages/the_neuron.py lays them out).
Session-state keys come from ui.state.NeuronKeys; the math from engine.neuron,
engine.perceptron and engine.activations."""

import numpy as np
import streamlit as st

from engine.activations import ACTIVATIONS
from engine.datasets import DOMAIN, MAX_SEED
from engine.neuron import collapse_linear, layer_stack, neuron_grid, plane_grid
from engine.perceptron import PERCEPTRON_DATA, predict, train_perceptron
from ui.charts.neuron import (
    activation_gallery_figure,
    clip_line,
    neuron_plane_figure,
    neuron_surface_figure,
    perceptron_errors_figure,
    perceptron_figure,
    stack_figure,
)
from ui.charts.output import points_overlay
from ui.state import DEFAULTS, FIELDS, Keys
from ui.state import NeuronKeys as K

GRID = 61  # points per side of the pictures over the plane
NEURON_DEFAULTS = {"w1": 1.0, "w2": 0.5, "b": 1.0, "activation": "sigmoid"}
NEURON_WIDGETS = {"w1": K.W1, "w2": K.W2, "b": K.B, "activation": K.ACTIVATION}
PERCEPTRON_DEFAULTS = {"data": "separable", "seed": 7}  # a run of 9 epochs: worth watching
PERCEPTRON_LABELS = {"separable": "Linearly separable", "xor": "Exclusive or (XOR)"}
N_POINTS = 100
STACK_DEFAULTS = {"activation": "linear", "layers": 2, "seed": 4}  # weights whose tanh boundary bends clearly
STACK_WIDTH = 3
SYMBOL = {"step": r"\operatorname{step}", "linear": "", "sigmoid": r"\sigma", "tanh": r"\tanh", "relu": "relu"}

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


def lasting(key: str, defaults: dict, widgets: dict) -> dict:
    """The lasting dict under ``key`` (created from ``defaults``); it seeds the widgets
    ``widgets`` (field -> widget key) that a visit to another page has cleared."""
    state = st.session_state.setdefault(key, dict(defaults))
    for field, widget in widgets.items():
        st.session_state.setdefault(widget, state[field])
    return state


def store(key: str, field: str, widget: str) -> None:
    """on_change callback: copy a widget's value into its lasting dict."""
    st.session_state[key][field] = st.session_state[widget]


# ---- one neuron ------------------------------------------------------------------------------


def value_range(activation: str, values: np.ndarray) -> tuple[float, float]:
    """The colour range of an activation's output: its own bounds where it has them,
    symmetric around 0 otherwise (so 0 is the grey middle)."""
    low, high = ACTIVATIONS[activation].value_range
    if low is not None and high is not None:
        return low, high
    limit = max(float(np.max(np.abs(values))), 1e-6)
    return -limit, limit


def neuron_latex(state: dict) -> str:
    f = SYMBOL[state["activation"]]
    z = rf"{state['w1']:.1f}\,x_1 {state['w2']:+.1f}\,x_2 {state['b']:+.1f}"
    return rf"a = {f}\left({z}\right)" if f else rf"a = {z}"


def neuron_figures(state: dict) -> tuple[dict, dict]:
    w = np.array([state["w1"], state["w2"]])
    xs, values = neuron_grid(w, state["b"], state["activation"], GRID, DOMAIN)
    bounds = value_range(state["activation"], values)
    level = float(ACTIVATIONS[state["activation"]](np.zeros(1))[0])  # f(0): the height of the line
    segment = clip_line(w, state["b"], DOMAIN)
    return (
        neuron_plane_figure(xs, values, w, state["b"], bounds),
        neuron_surface_figure(xs, values, bounds, segment, level),
    )


# ---- the perceptron --------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def perceptron_run(data: str, seed: int):
    """The data set and the rule's whole history: the same for every session."""
    points = PERCEPTRON_DATA[data](N_POINTS, seed=seed)
    return points, train_perceptron(points.X, points.y)


def perceptron_changed(field: str, widget: str) -> None:
    store(K.PERCEPTRON, field, widget)
    st.session_state.pop(K.PERCEPTRON_EPOCH, None)  # show the last epoch of the new run


def new_perceptron_data() -> None:
    state = st.session_state[K.PERCEPTRON]
    state["seed"] = (int(state["seed"]) + 1) % (MAX_SEED + 1)
    st.session_state[K.PERCEPTRON_SEED] = state["seed"]
    st.session_state.pop(K.PERCEPTRON_EPOCH, None)


def perceptron_summary(run) -> tuple[str, str]:
    """(kind, text): success when the rule converged, warning when it did not."""
    if run.converged:
        return "success", (
            f"Converged after {run.epochs_to_converge} epoch(s), {run.total_updates} updates of w and b: "
            f"epoch {run.epochs_run} went through all {N_POINTS} points without a mistake."
        )
    return "warning", (
        f"No convergence: after {run.epochs_run} epochs and {run.total_updates} updates, every epoch still "
        f"makes mistakes; the best line so far leaves {int(run.errors.min())} of {N_POINTS} points on the wrong side."
    )


def perceptron_figures(points, run, epoch: int) -> tuple[dict, dict]:
    w, b = run.weights[epoch], float(run.biases[epoch])
    xs, X = plane_grid(GRID, DOMAIN)
    predicted = predict(X, w, b).reshape(GRID, GRID)
    wrong = points.X[predict(points.X, w, b) != points.y]
    overlay = points_overlay(points.X, points.y, (-DOMAIN, DOMAIN), n_classes=2)
    return (
        perceptron_figure(xs, predicted, overlay, w, b, wrong),
        perceptron_errors_figure(run.updates, run.errors, epoch),
    )


def open_playground_on_xor() -> None:
    """Give the Playground XOR and one hidden layer of four neurons (defaults otherwise);
    its widgets and run are cleared so it builds them from this configuration."""
    st.session_state[Keys.CONFIG] = dict(DEFAULTS, dataset="xor", hidden=(4,))
    for field in FIELDS:
        st.session_state.pop(Keys.widget(field.name), None)
    st.session_state.pop(Keys.RUN, None)
    st.session_state[Keys.PLAYING] = False


# ---- linear stays linear ---------------------------------------------------------------------


def one_layer_text(w: np.ndarray, b: float) -> str:
    """ "ŷ = 1.07·x₁ − 0.12·x₂ − 1.18": the one layer as a formula."""

    def term(value: float, name: str) -> str:
        return f" {'−' if value < 0 else '+'} {abs(value):.2f}{name}"

    return f"ŷ = {w[0]:.2f}·x₁" + term(w[1], "·x₂") + term(b, "")


def new_stack_weights() -> None:
    st.session_state[K.STACK]["seed"] += 1


def _bmatrix(a: np.ndarray) -> str:
    a = np.atleast_2d(a)
    rows = r" \\ ".join(" & ".join(f"{v:.2f}" for v in row) for row in a)
    return rf"\begin{{bmatrix}} {rows} \end{{bmatrix}}"


def stack_parts(state: dict) -> dict:
    """The stack's network, its picture, the product of its weight matrices as LaTeX, and
    how far the stack's output is from that one layer's over the plane."""
    net = layer_stack(state["layers"], STACK_WIDTH, state["activation"], state["seed"])
    xs, X = plane_grid(GRID, DOMAIN)
    out = net.forward(X)[:, 0]
    W, b = net.get_weights()
    total_W, total_b = collapse_linear(W, b)
    names = "".join(f"W_{i + 1}" for i in range(len(W)))
    product = " ".join(_bmatrix(Wi) for Wi in W)
    return {
        "figure": stack_figure(xs, out.reshape(GRID, GRID)),
        "latex": rf"{names} = {product} = {_bmatrix(total_W)}",
        "one_layer": one_layer_text(total_W[:, 0], float(total_b[0])),
        "gap": float(np.max(np.abs(out - (X @ total_W + total_b)[:, 0]))),
    }


# ---- the gallery -----------------------------------------------------------------------------


@st.cache_data(show_spinner=False)
def gallery_figure() -> dict:
    z = np.linspace(-4.0, 4.0, 321)
    curves = {}
    for name, act in ACTIVATIONS.items():
        a = act(z)
        curves[name] = (a, act.deriv(z, a))
    return activation_gallery_figure(z, curves)
