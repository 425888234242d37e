"""The perceptron rule: hand-worked updates, convergence on separable data, none on XOR."""

import numpy as np
import pytest

from engine.perceptron import (
    PERCEPTRON_DATA,
    linearly_separable,
    predict,
    separating_line,
    train_perceptron,
    xor_data,
)


def test_first_updates_by_hand():
    # w = (0, 0), b = 0. Example ((1, 2), 1): ŷ = step(0) = 0, y − ŷ = 1:
    #   w = (1, 2), b = 1.  Example ((2, 1), 0): z = 2 + 2 + 1 = 5 > 0, ŷ = 1, y − ŷ = −1:
    #   w = (1, 2) − (2, 1) = (−1, 1), b = 0.
    X = np.array([[1.0, 2.0], [2.0, 1.0]])
    run = train_perceptron(X, np.array([1, 0]), max_epochs=1)
    np.testing.assert_array_equal(run.weights[1], [-1.0, 1.0])
    assert run.biases[1] == 0.0 and run.updates[0] == 2


def test_converges_on_separable_data():
    for seed in range(5):
        data = linearly_separable(100, seed)
        run = train_perceptron(data.X, data.y)
        assert run.converged, seed
        w, b = run.weights[-1], run.biases[-1]
        assert np.array_equal(predict(data.X, w, b), data.y)
        assert run.errors[-1] == 0 and run.updates[-1] == 0
        assert run.epochs_to_converge == run.epochs_run - 1 >= 1
        assert run.total_updates == run.updates.sum() > 0


def test_separable_data_keeps_its_margin():
    data = linearly_separable(200, 1, margin=0.5)
    normal, offset = separating_line(1)
    distance = data.X @ normal - offset
    assert np.abs(distance).min() >= 0.5
    np.testing.assert_array_equal(data.y, distance > 0)
    assert len(data.X) == 200 and set(np.unique(data.y)) == {0, 1}
    assert np.abs(data.X).max() <= 5.0


def test_never_converges_on_xor():
    data = xor_data(100, 0)
    run = train_perceptron(data.X, data.y, max_epochs=200)
    assert not run.converged and run.epochs_to_converge is None
    assert run.epochs_run == 200
    assert run.updates.min() > 0  # every epoch still makes mistakes
    # No line gets more than three quadrants right: at least a fifth stays wrong.
    assert run.errors.min() >= 20


def test_xor_four_corners_no_line_at_all():
    X = np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])
    y = np.array([1, 1, 0, 0])
    run = train_perceptron(X, y, max_epochs=50)
    assert not run.converged and run.errors.min() >= 1


def test_learning_rate_only_scales_a_run_from_zero():
    data = linearly_separable(60, 2)
    a = train_perceptron(data.X, data.y, learning_rate=1.0)
    b = train_perceptron(data.X, data.y, learning_rate=0.1)
    np.testing.assert_allclose(b.weights, 0.1 * a.weights)
    np.testing.assert_array_equal(a.updates, b.updates)


def test_data_generators_are_seeded():
    for make in PERCEPTRON_DATA.values():
        np.testing.assert_array_equal(make(50, seed=7).X, make(50, seed=7).X)
        assert not np.array_equal(make(50, seed=7).X, make(50, seed=8).X)


def test_bad_input_is_refused_with_a_message():
    X = np.zeros((3, 2))
    with pytest.raises(ValueError, match="0 or 1"):
        train_perceptron(X, np.array([0, 1, 2]))
    with pytest.raises(ValueError, match=r"must be"):
        train_perceptron(X, np.array([0, 1]))
    with pytest.raises(ValueError, match="learning rate"):
        train_perceptron(X, np.array([0, 1, 1]), learning_rate=0)
    with pytest.raises(ValueError, match="n_samples"):
        linearly_separable(1)
