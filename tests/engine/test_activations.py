"""Each activation's derivative against central differences, and the out= buffer path."""

import numpy as np
import pytest

from engine.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS, SOFTMAX, get_activation, softmax

Z = np.linspace(-3.1, 3.3, 41).reshape(-1, 1) * np.array([[1.0, 0.7]])  # avoids z == 0 exactly


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_matches_finite_differences(name):
    act = ACTIVATIONS[name]
    eps = 1e-6
    numeric = (act.fn(Z + eps) - act.fn(Z - eps)) / (2 * eps)
    np.testing.assert_allclose(act.deriv(Z, act.fn(Z)), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_out_buffer_gives_the_same_values(name):
    act = ACTIVATIONS[name]
    out = np.empty_like(Z)
    result = act.fn(Z, out=out)
    assert result is out
    np.testing.assert_array_equal(out, act.fn(Z))


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_value_range_is_respected(name):
    act = ACTIVATIONS[name]
    low, high = act.value_range
    a = act.fn(np.linspace(-50, 50, 1001))
    assert np.all(np.isfinite(a))
    if low is not None:
        assert a.min() >= low
    if high is not None:
        assert a.max() <= high


def test_known_values():
    z = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_allclose(ACTIVATIONS["sigmoid"].fn(z), 1 / (1 + np.exp(-z)))
    np.testing.assert_array_equal(ACTIVATIONS["relu"].fn(z), [0.0, 0.0, 2.0])
    np.testing.assert_allclose(ACTIVATIONS["leaky_relu"].fn(z), [-0.01, 0.0, 2.0])
    np.testing.assert_allclose(ACTIVATIONS["elu"].fn(z), [np.exp(-1) - 1, 0.0, 2.0])
    np.testing.assert_allclose(ACTIVATIONS["softplus"].fn(z), np.log1p(np.exp(z)))
    np.testing.assert_allclose(ACTIVATIONS["gaussian"].fn(z), np.exp(-(z**2)))
    np.testing.assert_array_equal(ACTIVATIONS["step"].fn(z), [0.0, 0.0, 1.0])


def test_step_derivative_is_zero_and_documented():
    step = ACTIVATIONS["step"]
    assert not np.any(step.deriv(Z, step.fn(Z)))
    assert "zero" in step.deriv.__doc__.lower()


def test_sigmoid_does_not_overflow():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a = ACTIVATIONS["sigmoid"].fn(np.array([-1000.0, 1000.0]))
    np.testing.assert_allclose(a, [0.0, 1.0])


def test_softmax_rows_sum_to_one_and_backward_matches_finite_differences():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(4, 3)) * 3
    a = softmax(z)
    np.testing.assert_allclose(a.sum(axis=1), 1.0)
    g = rng.normal(size=(4, 3))  # dL/da for L = sum(g * a)
    eps = 1e-6
    numeric = np.zeros_like(z)
    for idx in np.ndindex(z.shape):
        dz = np.zeros_like(z)
        dz[idx] = eps
        numeric[idx] = (np.sum(g * softmax(z + dz)) - np.sum(g * softmax(z - dz))) / (2 * eps)
    np.testing.assert_allclose(SOFTMAX.backward(z, a, g), numeric, rtol=1e-6, atol=1e-9)
    assert np.all(np.isfinite(softmax(np.array([[1000.0, 0.0, -1000.0]]))))


def test_softmax_is_output_only_and_unknown_keys_list_valid_ones():
    assert "softmax" in OUTPUT_ACTIVATIONS and "softmax" not in ACTIVATIONS
    assert get_activation("softmax", output=True) is SOFTMAX
    with pytest.raises(ValueError, match="valid: elu, gaussian, gelu"):
        get_activation("softmax")
    with pytest.raises(ValueError, match="unknown activation 'tanhh'"):
        get_activation("tanhh")
