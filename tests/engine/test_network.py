"""Network structure, forward pass, weights access, determinism and bad input."""

import numpy as np
import pytest

from engine import Network
from engine.losses import get_loss

X = np.random.default_rng(0).normal(size=(9, 2))


def test_shapes_follow_the_lecture_convention():
    net = Network([2, 4, 2, 1])
    assert [w.shape for w in net.W] == [(2, 4), (4, 2), (2, 1)]  # (fan_in, fan_out)
    assert [b.shape for b in net.b] == [(4,), (2,), (1,)]
    assert net.n_params == 2 * 4 + 4 + 4 * 2 + 2 + 2 + 1
    assert net.forward(X).shape == (9, 1)
    assert repr(net) == "Network(2-4-2-1, hidden=tanh, output=tanh, params=25)"


def test_forward_is_the_textbook_formula():
    net = Network([2, 3, 2], "relu", "sigmoid", seed=4)
    h = np.maximum(X @ net.W[0] + net.b[0], 0)
    expected = 1 / (1 + np.exp(-(h @ net.W[1] + net.b[1])))
    np.testing.assert_allclose(net.forward(X), expected, rtol=1e-12)


def test_trace_holds_every_layer_from_the_same_pass():
    net = Network([2, 4, 3, 1], ["tanh", "relu"], "linear", seed=1)
    t = net.forward(X, trace=True)
    assert [z.shape for z in t.pre_activations] == [(9, 4), (9, 3), (9, 1)]
    assert [a.shape for a in t.activations] == [(9, 2), (9, 4), (9, 3), (9, 1)]
    np.testing.assert_array_equal(t.activations[0], X)
    np.testing.assert_allclose(t.activations[1], np.tanh(t.pre_activations[0]))
    np.testing.assert_allclose(t.activations[2], np.maximum(t.pre_activations[1], 0))
    np.testing.assert_allclose(t.output, net.forward(X))
    # The trace owns its arrays: a later pass does not change it.
    before = t.activations[1].copy()
    net.forward(X * 2)
    np.testing.assert_array_equal(t.activations[1], before)


def test_weights_are_readable_and_settable():
    net = Network([2, 3, 1], seed=0)
    net.W[0][1, 2] = 0.5  # views into params: edits reach the network
    assert 0.5 in net.params
    W, _ = net.get_weights()
    W[0][...] = 0  # copies: edits do not
    assert net.W[0][1, 2] == 0.5
    net.set_weights([np.ones((2, 3)), np.full((3, 1), 2.0)], [np.zeros(3), np.array([1.0])])
    np.testing.assert_allclose(net.forward(np.array([[1.0, 1.0]])), np.tanh([[2 * 3 * np.tanh(2.0) + 1]]))


def test_same_seed_same_network_and_initializers():
    for init in ("uniform", "xavier", "he", "zeros"):
        a = Network([2, 8, 8, 1], initializer=init, seed=3)
        b = Network([2, 8, 8, 1], initializer=init, seed=3)
        np.testing.assert_array_equal(a.params, b.params)
    assert not np.array_equal(Network([2, 8, 1], seed=1).params, Network([2, 8, 1], seed=2).params)
    uni = Network([2, 50, 1], initializer="uniform", seed=0)
    assert np.all(np.abs(uni.W[0]) <= 0.5) and np.all(uni.b[0] == 0.1)
    assert not np.any(Network([2, 4, 1], initializer="zeros").params)


def test_copy_is_independent():
    net = Network([2, 3, 1], "relu", "sigmoid", seed=5)
    twin = net.copy()
    np.testing.assert_array_equal(twin.forward(X), net.forward(X))
    twin.W[0][0, 0] += 1
    assert twin.W[0][0, 0] != net.W[0][0, 0]


def test_many_batch_sizes_reuse_workspaces_correctly():
    net = Network([2, 5, 1], seed=0)
    full = net.forward(X)
    for n in range(1, 10):
        np.testing.assert_allclose(net.forward(X[:n]), full[:n], rtol=1e-12)


@pytest.mark.parametrize(
    "sizes, message",
    [
        ([], "at least an input and an output"),
        ([2], "at least an input and an output"),
        ([2, 0, 1], "layer size 1 must be a positive integer"),
        ([2, -3, 1], "layer size 1 must be a positive integer"),
        ([2, 2.5, 1], "layer size 1 must be a positive integer"),
        ([2, "4", 1], "layer size 1 must be a positive integer"),
    ],
)
def test_bad_layer_sizes(sizes, message):
    with pytest.raises(ValueError, match=message):
        Network(sizes)


def test_bad_keys_list_the_valid_ones():
    with pytest.raises(ValueError, match="unknown activation 'relu6'; valid: elu, gaussian"):
        Network([2, 3, 1], "relu6")
    with pytest.raises(ValueError, match="unknown initializer 'glorot'; valid: he, uniform, xavier, zeros"):
        Network([2, 3, 1], initializer="glorot")
    with pytest.raises(ValueError, match="2 hidden layer"):
        Network([2, 3, 3, 1], ["tanh"])
    with pytest.raises(ValueError, match="softmax needs at least 2"):
        Network([2, 3, 1], output_activation="softmax")


def test_bad_inputs():
    net = Network([2, 3, 1])
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 2\), got \(4, 3\)"):
        net.forward(np.ones((4, 3)))
    with pytest.raises(ValueError, match="X must have shape"):
        net.forward(np.ones(2))
    with pytest.raises(ValueError, match="NaN"):
        net.forward(np.array([[1.0, np.nan]]))
    with pytest.raises(ValueError, match=r"Y must have shape \(2, 1\)"):
        net.loss_and_gradient(np.ones((2, 2)), np.ones((3, 1)), "quadratic")
    with pytest.raises(ValueError, match=r"W\[1\] must have shape \(3, 1\)"):
        net.set_weights([np.ones((2, 3)), np.ones((3, 2))], [np.ones(3), np.ones(1)])
    with pytest.raises(ValueError, match="NaN"):
        net.set_weights([np.ones((2, 3)), np.full((3, 1), np.inf)], [np.ones(3), np.ones(1)])


# ---- the batch API (Trainer's fast path) -------------------------------------------------


def test_batch_inputs_are_the_inputs_feature_major_with_a_row_of_ones():
    A = Network.batch_inputs(X)
    assert A.shape == (3, 9) and A.flags.c_contiguous
    np.testing.assert_array_equal(A, np.vstack([X.T, np.ones(9)]))
    rows = np.array([4, 0, 7])
    np.testing.assert_array_equal(Network.batch_inputs(X, rows), Network.batch_inputs(X[rows]))
    stack = Network([2, 3, 1]).batch_inputs(X, np.arange(8)[::-1].reshape(4, 2))
    assert stack.shape == (4, 3, 2)
    for j, batch in enumerate(stack):
        assert batch.flags.c_contiguous
        np.testing.assert_array_equal(batch, Network.batch_inputs(X[[7 - 2 * j, 6 - 2 * j]]))


@pytest.mark.parametrize(
    "output, loss", [("tanh", "quadratic"), ("sigmoid", "binary_cross_entropy"), ("softmax", "softmax_cross_entropy")]
)
def test_the_batch_api_computes_what_the_checked_api_does(output, loss):
    net = Network([2, 4, 3, 2], "relu", output, seed=2)
    Y = np.eye(2)[np.arange(9) % 2]
    out, z = net.forward_batch(net.batch_inputs(X))
    assert out.shape == z.shape == (9, 2)
    np.testing.assert_array_equal(out, net.forward(X))
    np.testing.assert_array_equal(z, net.forward(X, trace=True).pre_activations[-1])
    assert net.loss_from_pre_activation(z, out, Y, get_loss(loss)) == net.loss(X, Y, loss)
    grads = net.batch_gradient(net.batch_inputs(X), Y, get_loss(loss))
    assert grads is net.grads  # the network's own vector, views grad_W and grad_b included
    np.testing.assert_array_equal(grads, net.loss_and_gradient(X, Y, loss)[1])


def test_loss_from_pre_activation_uses_z_where_the_output_saturates():
    net = Network([2, 1], "tanh", "sigmoid")
    z, Y = np.array([[40.0]]), np.array([[0.0]])
    out = 1 / (1 + np.exp(-z))
    assert out[0, 0] == 1.0  # the output alone cannot tell how wrong this is
    assert net.loss_from_pre_activation(z, out, Y, get_loss("binary_cross_entropy")) == pytest.approx(40.0)
