"""One point followed through the network (engine.explain) against independent oracles:
the network's own batch passes, its gradient on a batch of that one point, and a
forward and backward pass worked by hand."""

import numpy as np
import pytest

from engine import Network
from engine.explain import softmax_parts, trace_point
from engine.losses import LOSSES

X = np.random.default_rng(3).normal(size=(6, 3))

CASES = [
    # (sizes, hidden activation, output activation, loss)
    ([3, 4, 2, 1], "tanh", "tanh", "quadratic"),
    ([3, 5, 1], "relu", "sigmoid", "binary_cross_entropy"),
    ([3, 4, 4, 3], "sigmoid", "softmax", "softmax_cross_entropy"),
    ([3, 3, 1], "leaky_relu", "linear", "huber"),
    ([3, 2, 1], "elu", "tanh", "hinge"),
    ([3, 6, 3], "swish", "softmax", "quadratic"),
    ([3, 4, 1], "gelu", "linear", "mae"),
    ([3, 1], "linear", "sigmoid", "quadratic"),
    ([3, 16, 16, 16, 16, 16, 16, 16, 16, 2], "tanh", "softmax", "softmax_cross_entropy"),
]


@pytest.mark.parametrize("sizes, hidden, output, loss", CASES)
def test_the_forward_pass_of_one_point_is_the_networks(sizes, hidden, output, loss):
    net = Network(sizes, hidden, output, "xavier", seed=7)
    batch = net.forward(X, trace=True)
    for row in range(len(X)):
        trace = trace_point(net, X[row])
        for i, layer in enumerate(trace.layers):
            np.testing.assert_allclose(layer.z, batch.pre_activations[i][row], rtol=1e-10, atol=1e-12)
            np.testing.assert_allclose(layer.a, batch.activations[i + 1][row], rtol=1e-10, atol=1e-12)
            np.testing.assert_array_equal(layer.x, batch.activations[i][row] if i == 0 else trace.layers[i - 1].a)
            np.testing.assert_array_equal(layer.W, net.W[i])
            np.testing.assert_array_equal(layer.b, net.b[i])


@pytest.mark.parametrize("sizes, hidden, output, loss", CASES)
def test_backpropagation_for_one_point_is_the_networks_gradient_on_that_point(sizes, hidden, output, loss):
    net = Network(sizes, hidden, output, "xavier", seed=11)
    rng = np.random.default_rng(5)
    for row in range(3):
        k = sizes[-1]
        target = np.eye(k)[rng.integers(k)] if k > 1 else rng.choice([-1.0, 1.0], size=1)
        if output in ("sigmoid",):
            target = (target > 0).astype(float)
        trace = trace_point(net, X[row], target, loss)
        value, grads = net.loss_and_gradient(X[row : row + 1], target[None, :], loss)
        back = trace.backward
        assert back.loss == pytest.approx(value, rel=1e-10, abs=1e-14)
        np.testing.assert_array_equal(net.grads, grads)  # no penalty: grad_W, grad_b are its views
        for i in range(net.n_layers):
            expected_W, expected_b = net.grad_W[i], net.grad_b[i]
            np.testing.assert_allclose(back.grad_W[i], expected_W, rtol=1e-9, atol=1e-13)
            np.testing.assert_allclose(back.grad_b[i], expected_b, rtol=1e-9, atol=1e-13)
            # dL/db is δ: the bias is the weight of an input that is always 1
            np.testing.assert_array_equal(back.grad_b[i], back.delta[i])


def test_a_network_worked_by_hand():
    # 2 inputs -> 2 tanh units -> 1 linear output, quadratic loss ½(ŷ − y)².
    net = Network([2, 2, 1], "tanh", "linear")
    net.set_weights(
        [np.array([[0.5, -1.0], [0.25, 2.0]]), np.array([[1.5], [-0.5]])], [np.array([0.1, 0.0]), np.array([0.2])]
    )
    x, y = np.array([1.0, 2.0]), np.array([1.0])
    t = trace_point(net, x, y, "quadratic")
    # z1 = 0.5·1 + 0.25·2 + 0.1 = 1.1 ;  z2 = −1·1 + 2·2 + 0 = 3
    np.testing.assert_allclose(t.layers[0].z, [1.1, 3.0])
    h = np.tanh([1.1, 3.0])
    np.testing.assert_allclose(t.layers[0].a, h)
    y_hat = 1.5 * h[0] - 0.5 * h[1] + 0.2
    np.testing.assert_allclose(t.output, [y_hat])
    assert t.backward.loss == pytest.approx(0.5 * (y_hat - 1.0) ** 2)
    d_out = y_hat - 1.0  # dL/dŷ, and ŷ = z for a linear output
    np.testing.assert_allclose(t.backward.delta[1], [d_out])
    np.testing.assert_allclose(t.backward.grad_W[1][:, 0], h * d_out)
    d_hidden = np.array([1.5, -0.5]) * d_out * (1 - h**2)  # back through W2, then tanh'
    np.testing.assert_allclose(t.backward.delta[0], d_hidden)
    np.testing.assert_allclose(t.backward.grad_W[0], np.outer(x, d_hidden))


def test_the_trace_owns_its_numbers():
    net = Network([2, 3, 1], seed=1)
    t = trace_point(net, [0.3, -0.2])
    net.W[0][...] = 0.0
    assert np.any(t.layers[0].W != 0.0)


def test_softmax_parts_are_the_normalisation():
    z = np.array([1.0, -2.0, 0.5])
    e, total, shift = softmax_parts(z)
    np.testing.assert_allclose(e, np.exp(z))
    assert shift == 0.0
    assert total == pytest.approx(np.exp(z).sum())
    e, total, shift = softmax_parts(np.array([1000.0, 999.0]))
    assert shift == 1000.0 and np.all(np.isfinite(e))
    np.testing.assert_allclose(e / total, [1 / (1 + np.exp(-1)), 1 - 1 / (1 + np.exp(-1))])


def test_bad_input_is_refused_in_words():
    net = Network([2, 2, 1])
    with pytest.raises(ValueError, match="shape"):
        trace_point(net, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="loss"):
        trace_point(net, [1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="target"):
        trace_point(net, [1.0, 2.0], [1.0, 0.0], "quadratic")


def test_every_loss_is_covered():
    assert {case[3] for case in CASES} == set(LOSSES)
