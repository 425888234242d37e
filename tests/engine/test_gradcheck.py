"""Backpropagation against finite differences: every activation with every loss it pairs
with, on networks with several hidden layers, with and without L1/L2."""

import numpy as np
import pytest

from engine import ACTIVATIONS, Network, gradient_check

# (loss, output activation) pairs: the matched ones, and others the UI allows.
PAIRS = [
    ("quadratic", "tanh"),
    ("quadratic", "linear"),
    ("quadratic", "sigmoid"),
    ("quadratic", "softmax"),
    ("binary_cross_entropy", "sigmoid"),  # fused, from the pre-activation
    ("softmax_cross_entropy", "softmax"),  # fused
    ("softmax_cross_entropy", "sigmoid"),  # generic cross-entropy path
    ("mae", "linear"),
    ("huber", "linear"),
    ("hinge", "tanh"),
    ("hinge", "linear"),
]
REGULARIZATION = [(0.0, 0.0), (0.01, 0.0), (0.0, 0.03), (0.02, 0.05)]


def _data(loss: str, n_out: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(7, 3))
    labels = rng.integers(0, n_out, size=7)
    if loss in ("softmax_cross_entropy",):
        Y = np.eye(n_out)[labels]
    elif loss == "binary_cross_entropy":
        Y = rng.integers(0, 2, size=(7, n_out)).astype(float)
    elif loss == "hinge":
        Y = rng.choice([-1.0, 1.0], size=(7, n_out))
    else:
        Y = rng.normal(size=(7, n_out))
    return X, Y


@pytest.mark.parametrize("hidden", sorted(ACTIVATIONS))
@pytest.mark.parametrize("loss, output", PAIRS)
def test_backprop_matches_finite_differences(hidden, loss, output):
    n_out = 3 if output == "softmax" or loss == "softmax_cross_entropy" else 2
    net = Network([3, 5, 4, n_out], hidden, output, seed=7)
    X, Y = _data(loss, n_out)
    check = gradient_check(net, X, Y, loss)
    assert check.passed(), f"max abs error {check.max_abs_error:.2e}"


@pytest.mark.parametrize("l1, l2", REGULARIZATION)
@pytest.mark.parametrize("hidden", ["tanh", "relu", "sigmoid", "elu", "swish", "gelu", "sine", "gaussian", "softplus"])
@pytest.mark.parametrize("loss, output", [("quadratic", "tanh"), ("binary_cross_entropy", "sigmoid")])
def test_backprop_with_regularization(hidden, loss, output, l1, l2):
    net = Network([3, 4, 4, 3, 1], hidden, output, initializer="xavier", seed=11)
    X, Y = _data(loss, 1, seed=1)
    check = gradient_check(net, X, Y, loss, l1=l1, l2=l2)
    assert check.passed(), f"max abs error {check.max_abs_error:.2e}"


def test_per_layer_activations_and_no_hidden_layer():
    X, Y = _data("quadratic", 1)
    for net in (
        Network([3, 4, 3, 1], ["relu", "sine"], "linear", seed=2),
        Network([3, 1], [], "sigmoid", seed=2),
        Network([3, 16, 16, 16, 16, 16, 16, 16, 16, 1], "tanh", "tanh", seed=2),
    ):
        assert gradient_check(net, X, Y, "quadratic", l2=0.01).passed(), repr(net)


def test_regularization_skips_biases():
    net = Network([2, 3, 1], seed=0)
    X, Y = np.ones((1, 2)), np.zeros((1, 1))
    _, plain = net.loss_and_gradient(X, Y, "quadratic")
    _, regularized = net.loss_and_gradient(X, Y, "quadratic", l2=1.0)
    bias_positions = net.weight_mask == 0
    np.testing.assert_array_equal(plain[bias_positions], regularized[bias_positions])
    np.testing.assert_allclose((regularized - plain)[~bias_positions], net.params[~bias_positions])


def test_the_check_catches_a_wrong_gradient(monkeypatch):
    """The oracle can fail: a tanh derivative off by 10 % is caught."""
    from engine import activations

    tanh = activations.ACTIVATIONS["tanh"]
    broken = activations.Activation("tanh", tanh.fn, lambda z, a: 1.1 * (1.0 - a * a), tanh.value_range)
    net = Network([3, 4, 1], "tanh", "linear", seed=0)
    net.activations[0] = broken
    X, Y = _data("quadratic", 1)
    assert not gradient_check(net, X, Y, "quadratic").passed()
