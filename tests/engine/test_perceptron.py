"""The perceptron rule: hand-worked updates, convergence on separable data, none on XOR, and
every single step recorded (replayed, they give the epoch rows)."""

import numpy as np
import pytest

from engine.perceptron import (
    MAX_EPOCHS,
    PERCEPTRON_DATA,
    linearly_separable,
    perceptron_step,
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


# ---- one step at a time (issue 14) -----------------------------------------------------------


def test_every_step_is_recorded_by_hand():
    # w = (0, 0), b = 0.
    # Step 1, ((1, 2), 1): z = 0, ŷ = step(0) = 0, wrong: w = (0, 0) + 1·(1 − 0)·(1, 2) = (1, 2), b = 1.
    # Step 2, ((2, 1), 0): z = 2 + 2 + 1 = 5, ŷ = 1, wrong: w = (1, 2) − (2, 1) = (−1, 1), b = 0;
    #   the point's z goes from 5 to −2 + 1 + 0 = −1 = 5 − (2² + 1² + 1).
    # Step 3, ((−1, −1), 0): z = 1 − 1 + 0 = 0, ŷ = 0 = y: nothing changes.
    X = np.array([[1.0, 2.0], [2.0, 1.0], [-1.0, -1.0]])
    y = np.array([1, 0, 0])
    run = train_perceptron(X, y, max_epochs=1)
    assert run.n_steps == 3 and run.n_samples == 3
    np.testing.assert_array_equal(run.step_points, [0, 1, 2])
    np.testing.assert_array_equal(run.step_wrong, [True, True, False])
    np.testing.assert_array_equal(run.step_weights, [[0.0, 0.0], [1.0, 2.0], [-1.0, 1.0], [-1.0, 1.0]])
    np.testing.assert_array_equal(run.step_biases, [0.0, 1.0, 0.0, 0.0])
    second = perceptron_step(run, X, y, 2)
    assert (second.epoch, second.position, second.index, second.y) == (1, 2, 1, 0)
    assert (second.z, second.y_hat, second.wrong) == (5.0, 1, True)
    np.testing.assert_array_equal(second.w_before, [1.0, 2.0])
    np.testing.assert_array_equal(second.w_after, [-1.0, 1.0])
    assert (second.b_before, second.b_after, second.z_after) == (1.0, 0.0, -1.0)
    third = perceptron_step(run, X, y, 3)
    assert (third.z, third.y_hat, third.wrong) == (0.0, 0, False)
    np.testing.assert_array_equal(third.w_after, third.w_before)


def test_a_step_in_a_later_epoch_knows_its_epoch_and_rate():
    X = np.array([[1.0, 2.0], [2.0, 1.0]])
    run = train_perceptron(X, np.array([1, 0]), learning_rate=0.5, max_epochs=3)
    step = perceptron_step(run, X, np.array([1, 0]), 3)  # epoch 2's first point
    assert (step.epoch, step.position, step.index, step.learning_rate) == (2, 1, 0, 0.5)


@pytest.mark.parametrize("data", ["separable", "xor"])
def test_single_steps_replayed_equal_the_epoch_rows(data):
    points = PERCEPTRON_DATA[data](100, seed=7)
    X, y = points.X, points.y
    run = train_perceptron(X, y, learning_rate=0.5)
    n = len(X)
    assert run.n_steps == run.epochs_run * n
    # Replay: each recorded step is the rule applied to its point, from the weights before it.
    w, b = run.step_weights[0].copy(), float(run.step_biases[0])
    for s in range(run.n_steps):
        i = run.step_points[s]
        assert i == s % n  # the examples in their order, epoch after epoch
        delta = y[i] - (1 if X[i] @ w + b > 0 else 0)
        assert run.step_wrong[s] == bool(delta)
        w, b = w + 0.5 * delta * X[i], b + 0.5 * delta
        np.testing.assert_allclose(run.step_weights[s + 1], w, rtol=0, atol=1e-12)
        assert run.step_biases[s + 1] == pytest.approx(b, abs=1e-12)
    # Every epoch's row is the step that ends it; its updates are its steps on the wrong side.
    np.testing.assert_array_equal(run.step_weights[::n], run.weights)
    np.testing.assert_array_equal(run.step_biases[::n], run.biases)
    np.testing.assert_array_equal(run.step_wrong.reshape(run.epochs_run, n).sum(axis=1), run.updates)


def test_the_step_records_are_bounded_by_max_epochs():
    data = xor_data(100, 0)  # never converges: every one of the MAX_EPOCHS epochs is recorded
    run = train_perceptron(data.X, data.y)
    assert run.epochs_run == MAX_EPOCHS and run.n_steps == MAX_EPOCHS * 100
    assert run.step_weights.shape == (MAX_EPOCHS * 100 + 1, 2) and run.step_biases.shape == (MAX_EPOCHS * 100 + 1,)
    assert run.step_points.shape == run.step_wrong.shape == (MAX_EPOCHS * 100,)
    total = sum(a.nbytes for a in (run.step_points, run.step_wrong, run.step_weights, run.step_biases))
    assert total < 400_000  # 10,000 steps: ~0.3 MB


def test_a_step_outside_the_run_is_refused():
    X = np.array([[1.0, 2.0], [2.0, 1.0]])
    run = train_perceptron(X, np.array([1, 0]), max_epochs=1)
    for bad in (0, 3):
        with pytest.raises(ValueError, match=r"step must lie in 1\.\.2"):
            perceptron_step(run, X, np.array([1, 0]), bad)
