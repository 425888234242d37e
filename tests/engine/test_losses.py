"""Losses: gradients against finite differences, fused forms against the generic ones."""

import numpy as np
import pytest

from engine.activations import ACTIVATIONS, softmax
from engine.losses import FUSED, LOSSES, class_target_values, get_loss

RNG = np.random.default_rng(3)
A = RNG.uniform(0.05, 0.95, size=(6, 2))  # outputs inside (0, 1), valid for every loss
Y01 = RNG.integers(0, 2, size=(6, 2)).astype(float)
TARGETS = {"hinge": 2 * Y01 - 1, "softmax_cross_entropy": np.eye(2)[[0, 1, 1, 0, 1, 0]]}


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_gradient_matches_finite_differences(name):
    loss = LOSSES[name]
    y = TARGETS.get(name, Y01 * 0.8 + 0.1 if name == "binary_cross_entropy" else Y01)
    eps = 1e-6
    numeric = np.zeros_like(A)
    for idx in np.ndindex(A.shape):
        d = np.zeros_like(A)
        d[idx] = eps
        numeric[idx] = (loss.value(A + d, y) - loss.value(A - d, y)) / (2 * eps)
    np.testing.assert_allclose(loss.grad(A, y), numeric, rtol=1e-6, atol=1e-9)


def test_quadratic_is_half_squared_error_averaged_over_the_batch():
    # Two samples, one output: ((10 - 6)^2 / 2 + (1 - 2)^2 / 2) / 2 = (8 + 0.5) / 2
    a, y = np.array([[10.0], [1.0]]), np.array([[6.0], [2.0]])
    assert LOSSES["quadratic"].value(a, y) == pytest.approx(4.25)
    np.testing.assert_allclose(LOSSES["quadratic"].grad(a, y), [[2.0], [-0.5]])


def test_huber_and_hinge_known_values():
    assert LOSSES["huber"].value(np.array([[0.5], [3.0]]), np.zeros((2, 1))) == pytest.approx((0.125 + 2.5) / 2)
    assert LOSSES["hinge"].value(np.array([[0.5], [2.0]]), np.ones((2, 1))) == pytest.approx(0.25)


@pytest.mark.parametrize("act_name, loss_name", sorted(FUSED))
def test_fused_forms_equal_the_generic_ones(act_name, loss_name):
    z = RNG.normal(size=(5, 3)) * 2
    y = np.eye(3)[[0, 2, 1, 1, 0]] if act_name == "softmax" else RNG.integers(0, 2, size=(5, 3)).astype(float)
    a = softmax(z) if act_name == "softmax" else ACTIVATIONS[act_name].fn(z)
    loss, fused = LOSSES[loss_name], FUSED[(act_name, loss_name)]
    assert fused.value(z, y) == pytest.approx(loss.value(a, y), rel=1e-10)
    from engine.activations import get_activation

    act = get_activation(act_name, output=True)
    np.testing.assert_allclose(fused.delta(z, a, y), act.backward(z, a, loss.grad(a, y)), rtol=1e-8, atol=1e-12)


def test_fused_cross_entropies_are_stable_for_huge_logits():
    z = np.array([[800.0], [-800.0]])
    y = np.array([[0.0], [1.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        value = FUSED[("sigmoid", "binary_cross_entropy")].value(z, y)
    assert value == pytest.approx(800.0)
    z3 = np.array([[1000.0, 0.0, -1000.0]])
    assert FUSED[("softmax", "softmax_cross_entropy")].value(z3, np.array([[0.0, 0.0, 1.0]])) == pytest.approx(2000.0)


def test_softmax_cross_entropy_takes_integer_or_one_hot_labels():
    a = softmax(RNG.normal(size=(4, 3)))
    labels = np.array([2, 0, 1, 2])
    ce = LOSSES["softmax_cross_entropy"]
    assert ce.value(a, labels) == pytest.approx(ce.value(a, np.eye(3)[labels]))
    np.testing.assert_allclose(ce.grad(a, labels), ce.grad(a, np.eye(3)[labels]))
    z = RNG.normal(size=(4, 3))
    fused = FUSED[("softmax", "softmax_cross_entropy")]
    assert fused.value(z, labels) == pytest.approx(fused.value(z, np.eye(3)[labels]))


def test_class_target_values_follow_output_and_loss():
    assert class_target_values(ACTIVATIONS["tanh"], LOSSES["quadratic"]) == (-1.0, 1.0)
    assert class_target_values(ACTIVATIONS["sigmoid"], LOSSES["quadratic"]) == (0.0, 1.0)
    assert class_target_values(ACTIVATIONS["linear"], LOSSES["quadratic"]) == (-1.0, 1.0)
    assert class_target_values(ACTIVATIONS["tanh"], LOSSES["binary_cross_entropy"]) == (0.0, 1.0)
    assert class_target_values(ACTIVATIONS["sigmoid"], LOSSES["hinge"]) == (-1.0, 1.0)


def test_unknown_loss_lists_valid_keys():
    with pytest.raises(ValueError, match=r"unknown loss .l2.*valid: binary_cross_entropy, hinge, huber"):
        get_loss("l2")
