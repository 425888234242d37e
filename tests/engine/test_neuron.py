"""One neuron over the plane, and a stack of linear layers collapsing into one."""

import numpy as np
import pytest

from engine.activations import ACTIVATIONS
from engine.neuron import (
    NEURON_ACTIVATIONS,
    collapse_linear,
    layer_stack,
    neuron_at,
    neuron_grid,
    neuron_output,
    plane_grid,
)


def test_neuron_output_by_hand():
    X = np.array([[1.0, 2.0], [-1.0, 0.5]])
    w, b = np.array([0.5, -1.0]), 0.25
    # z = (0.5 − 2 + 0.25, −0.5 − 0.5 + 0.25) = (−1.25, −0.75)
    np.testing.assert_allclose(neuron_output(X, w, b, "linear"), [-1.25, -0.75])
    np.testing.assert_allclose(neuron_output(X, w, b, "relu"), [0.0, 0.0])
    np.testing.assert_allclose(neuron_output(X, w, b, "step"), [0.0, 0.0])
    np.testing.assert_allclose(neuron_output(X, w, b, "tanh"), np.tanh([-1.25, -0.75]))
    assert set(NEURON_ACTIVATIONS) <= set(ACTIVATIONS)


def test_one_point_through_the_neuron_by_hand():
    # x = (1.5, −2), w = (1, 0.5), b = 1: terms (1.5, −1), z = 1.5 − 1 + 1 = 1.5, σ(1.5) = 1 / (1 + e^−1.5)
    terms, z, a = neuron_at(np.array([1.5, -2.0]), np.array([1.0, 0.5]), 1.0, "sigmoid")
    np.testing.assert_array_equal(terms, [1.5, -1.0])
    assert z == 1.5 and a == pytest.approx(0.8175744761936437, abs=1e-15)
    for activation in NEURON_ACTIVATIONS:  # the pictures' numbers, point for point
        _, z, a = neuron_at(np.array([0.3, -4.2]), np.array([-2.0, 0.7]), -0.5, activation)
        assert a == neuron_output(np.array([[0.3, -4.2]]), np.array([-2.0, 0.7]), -0.5, activation)[0]
    with pytest.raises(ValueError, match="n_features"):
        neuron_at(np.zeros(3), np.zeros(2), 0.0, "linear")


def test_grid_orientation_and_the_line():
    xs, values = neuron_grid(np.array([1.0, 0.0]), 0.0, "step", n=5, extent=2.0)
    np.testing.assert_array_equal(xs, [-2, -1, 0, 1, 2])
    # step(x₁): 1 right of the line x₁ = 0, in every row.
    np.testing.assert_array_equal(values, np.tile([0, 0, 0, 1, 1], (5, 1)))
    _, X = plane_grid(3, 1.0)
    assert X[1].tolist() == [0.0, -1.0] and X[3].tolist() == [-1.0, 0.0]  # x₁ varies fastest


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError, match="must be"):
        neuron_output(np.zeros((3, 3)), np.zeros(2), 0.0, "linear")
    with pytest.raises(ValueError, match="unknown activation"):
        neuron_output(np.zeros((3, 2)), np.zeros(2), 0.0, "nope")


@pytest.mark.parametrize("n_hidden", [1, 2, 3])
def test_linear_stack_equals_one_matrix_product(n_hidden):
    net = layer_stack(n_hidden, 3, "linear", seed=n_hidden)
    W, b = collapse_linear(*net.get_weights())
    assert W.shape == (2, 1) and b.shape == (1,)
    _, X = plane_grid(21)
    np.testing.assert_allclose(net.forward(X), X @ W + b, atol=1e-12)


def test_tanh_stack_is_not_linear_with_the_same_weights():
    lin, bent = layer_stack(2, 3, "linear", seed=0), layer_stack(2, 3, "tanh", seed=0)
    np.testing.assert_array_equal(lin.params, bent.params)
    _, X = plane_grid(21)
    W, b = collapse_linear(*bent.get_weights())
    assert np.max(np.abs(bent.forward(X) - (X @ W + b))) > 0.1
    # Not linear at all: the output at the midpoint is not the mean of the ends.
    ends = bent.forward(np.array([[-4.0, 2.0], [4.0, -1.0], [0.0, 0.5]]))
    assert abs(ends[2, 0] - 0.5 * (ends[0, 0] + ends[1, 0])) > 1e-3


def test_collapse_checks_its_input():
    with pytest.raises(ValueError, match="as many"):
        collapse_linear([np.eye(2)], [])
    with pytest.raises(ValueError, match="hidden layers"):
        layer_stack(0, 3, "linear")
