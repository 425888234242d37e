"""The lecture's one-weight example: x = 2, target 6, w = 5, loss 1/2 (w x - 6)^2.

dL/dw = (w x - 6) x = (10 - 6) * 2 = 8; with learning rate 0.1, w <- 5 - 0.8 = 4.2;
the optimum is w = 3 (3 * 2 = 6).
"""

import numpy as np
import pytest

from engine import Network, Trainer

X = np.array([[2.0]])
Y = np.array([[6.0]])


def one_weight(w: float) -> Network:
    net = Network([1, 1], [], "linear")
    net.set_weights([[[w]]], [[0.0]])
    return net


def test_gradient_is_8():
    loss, grads = one_weight(5.0).loss_and_gradient(X, Y, "quadratic")
    assert loss == pytest.approx(8.0)  # 1/2 (10 - 6)^2
    assert grads[0] == pytest.approx(8.0)  # dL/dw
    assert grads[1] == pytest.approx(4.0)  # dL/db = w x + b - 6


def test_one_sgd_step_moves_w_to_4_2():
    net = one_weight(5.0)
    trainer = Trainer(
        net,
        np.vstack([X, X]),
        np.array([6.0, 6.0]),
        loss="quadratic",
        learning_rate=0.1,
        batch_size=1,
        problem="regression",
    )
    trainer.train(1)  # one training sample (the split keeps the other for testing): one step
    assert trainer.step == 1
    assert net.W[0][0, 0] == pytest.approx(4.2)


def test_gradient_descent_on_w_alone_converges_to_3():
    net = one_weight(5.0)
    ws = []
    for _ in range(60):
        _, grads = net.loss_and_gradient(X, Y, "quadratic")
        net.W[0][0, 0] -= 0.1 * grads[0]
        ws.append(net.W[0][0, 0])
    assert ws[:3] == pytest.approx([4.2, 3.72, 3.432])  # w - 3 shrinks by 1 - 0.1 * x^2 = 0.6
    assert ws[-1] == pytest.approx(3.0, abs=1e-9)
    _, grads = net.loss_and_gradient(X, Y, "quadratic")
    assert grads[0] == pytest.approx(0.0, abs=1e-9)
