"""The first two updates of each optimizer against arithmetic done by hand.

Every case starts at p = 1.0 with learning rate 0.1 and sees the gradient 0.5, then -1.0.
"""

import numpy as np
import pytest

from engine import OPTIMIZERS, make_optimizer


def two_steps(name, lr2=0.1, **settings):
    opt = make_optimizer(name, **settings)
    p = np.array([1.0])
    opt.step(p, np.array([0.5]), 0.1)
    first = p[0]
    opt.step(p, np.array([-1.0]), lr2)
    return first, p[0]


def test_sgd():
    # p1 = 1 - 0.1 * 0.5 = 0.95;  p2 = 0.95 - 0.1 * (-1) = 1.05
    assert two_steps("sgd") == pytest.approx((0.95, 1.05))


def test_momentum():
    # v1 = 0.5;              p1 = 1 - 0.1 * 0.5 = 0.95
    # v2 = 0.9 * 0.5 - 1 = -0.55;  p2 = 0.95 + 0.1 * 0.55 = 1.005
    assert two_steps("momentum", momentum=0.9) == pytest.approx((0.95, 1.005))


def test_nesterov():
    # v1 = 0.5;  p1 = 1 - 0.1 * (0.5 + 0.9 * 0.5) = 1 - 0.095 = 0.905
    # v2 = -0.55; p2 = 0.905 - 0.1 * (-1 + 0.9 * -0.55) = 0.905 + 0.1495 = 1.0545
    assert two_steps("momentum", momentum=0.9, nesterov=True) == pytest.approx((0.905, 1.0545))


def test_rmsprop():
    # s1 = 0.1 * 0.25 = 0.025;  p1 = 1 - 0.1 * 0.5 / sqrt(0.025) = 1 - 0.316227766 = 0.683772234
    # s2 = 0.9 * 0.025 + 0.1 * 1 = 0.1225;  p2 = p1 + 0.1 / 0.35 = 0.683772234 + 0.285714286 = 0.969486520
    assert two_steps("rmsprop", rho=0.9, eps=0.0) == pytest.approx((0.683772234, 0.969486520))


def test_adam():
    # m1 = 0.05, v1 = 0.00025; m^ = 0.05 / 0.1 = 0.5, v^ = 0.00025 / 0.001 = 0.25
    #   p1 = 1 - 0.1 * 0.5 / 0.5 = 0.9
    # m2 = 0.045 - 0.1 = -0.055, v2 = 0.00024975 + 0.001 = 0.00124975
    #   m^ = -0.055 / 0.19 = -0.289473684, v^ = 0.00124975 / 0.001999 = 0.625187594, sqrt = 0.790688051
    #   p2 = 0.9 + 0.1 * 0.289473684 / 0.790688051 = 0.9 + 0.036610334 = 0.936610334
    assert two_steps("adam", eps=0.0) == pytest.approx((0.9, 0.936610334))


def test_learning_rate_changes_keep_the_state():
    # momentum, lr 0.1 then 0.2: v2 = -0.55 is kept; p2 = 0.95 + 0.2 * 0.55 = 1.06
    assert two_steps("momentum", lr2=0.2)[1] == pytest.approx(1.06)
    # adam, lr 0.1 then 0.2: p2 = 0.9 + 2 * 0.036610334
    assert two_steps("adam", lr2=0.2, eps=0.0)[1] == pytest.approx(0.973220668)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_updates_are_elementwise_over_the_vector(name):
    opt = make_optimizer(name)
    p = np.array([1.0, 1.0, 2.0])
    g = np.array([0.5, 0.5, -0.25])
    opt.step(p, g, 0.1)
    assert p[0] == p[1] and p[2] != 2.0


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_state_save_and_restore(name):
    opt = make_optimizer(name)
    p = np.array([1.0, -1.0])
    opt.step(p, np.array([0.3, -0.2]), 0.1)
    saved, p_saved = opt.get_state(), p.copy()
    opt.step(p, np.array([0.1, 0.1]), 0.1)
    after = p.copy()
    opt.set_state(saved)
    p[...] = p_saved
    opt.step(p, np.array([0.1, 0.1]), 0.1)
    np.testing.assert_array_equal(p, after)


def test_bad_optimizer_key_and_setting():
    with pytest.raises(ValueError, match="unknown optimizer 'adamw'; valid: adam, momentum, rmsprop, sgd"):
        make_optimizer("adamw")
    with pytest.raises(ValueError, match="unknown setting"):
        make_optimizer("sgd", momentum=0.9)
