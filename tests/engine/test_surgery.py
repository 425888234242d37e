"""Network surgery: adding a neuron keeps the function, removing one drops exactly its piece,
the pieces add up to the output, and the Trainer carries on with the new network."""

import numpy as np
import pytest

from engine import Network, Trainer
from engine.activations import ACTIVATIONS
from engine.approximation import spread_initializer
from engine.datasets import grid_1d, target_1d
from engine.initializers import INITIALIZERS
from engine.surgery import add_neuron, contributions, kink_positions, output_bias, remove_neuron, weakest_neuron

X = grid_1d(401)[:, None]


def random_net(sizes=(1, 6, 1), activation="relu", seed=0, initializer="he") -> Network:
    """A network with every weight and bias random (none at its initial value)."""
    net = Network(list(sizes), activation, "linear", initializer)
    net.params[...] = np.random.default_rng(seed).normal(size=net.n_params)
    return net


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_adding_a_neuron_keeps_every_weight_and_the_function(activation):
    net = random_net(activation=activation)
    before = net.params.copy()
    wider = add_neuron(net, 0, np.random.default_rng(1))
    np.testing.assert_array_equal(net.params, before)  # the argument is untouched
    assert wider.sizes == (1, 7, 1)
    assert wider.hidden_activation_names == [activation] and wider.initializer == net.initializer
    np.testing.assert_array_equal(wider.W[0][:, :6], net.W[0])
    np.testing.assert_array_equal(wider.b[0][:6], net.b[0])
    np.testing.assert_array_equal(wider.W[1][:6], net.W[1])
    np.testing.assert_array_equal(wider.b[1], net.b[1])
    assert np.all(wider.W[1][6] == 0.0)  # the new neuron's output weight
    # Each old piece is bitwise the same and the new one is exactly 0 ...
    pieces = contributions(wider, X)
    np.testing.assert_array_equal(pieces[:, :6], contributions(net, X))
    assert np.all(pieces[:, 6] == 0.0)
    # ... so the output is the same function (the sum has one more term, +0.0, which may
    # change the order of the last rounding inside the matrix product, nothing more).
    np.testing.assert_allclose(wider.forward(X), net.forward(X), rtol=0, atol=1e-12)


def test_a_new_neuron_is_drawn_from_the_networks_initializer():
    net = random_net(initializer="xavier")
    wider = add_neuron(net, 0, np.random.default_rng(7))
    W, b = INITIALIZERS["xavier"](1, 7, np.random.default_rng(7))  # as a unit of a 7-wide layer
    assert wider.W[0][0, 6] == W[0, 6] and wider.b[0][6] == b[6]
    again = add_neuron(net, 0, np.random.default_rng(7))
    np.testing.assert_array_equal(again.params, wider.params)  # seeded: reproducible


def test_a_custom_initializer_places_the_new_kink_in_the_domain():
    net = random_net()
    for seed in range(20):
        wider = add_neuron(net, 0, seed, initializer=spread_initializer(-2.0, 2.0))
        assert -2.0 <= kink_positions(wider)[-1] <= 2.0
        assert 0.5 <= abs(wider.W[0][0, -1]) <= 2.0


def test_adding_to_a_deeper_layer_keeps_the_function():
    net = random_net((1, 4, 3, 2), "tanh", seed=3)
    wider = add_neuron(net, 1, np.random.default_rng(0))
    assert wider.sizes == (1, 4, 4, 2)
    np.testing.assert_array_equal(wider.W[0], net.W[0])
    np.testing.assert_array_equal(wider.W[2][3], [0.0, 0.0])
    np.testing.assert_allclose(wider.forward(X), net.forward(X), rtol=0, atol=1e-12)


def test_removing_a_neuron_drops_exactly_its_piece():
    net = random_net(activation="tanh", seed=4)
    pieces = contributions(net, X)
    narrower = remove_neuron(net, 0, 2)
    assert narrower.sizes == (1, 5, 1)
    np.testing.assert_array_equal(narrower.W[0], np.delete(net.W[0], 2, axis=1))
    np.testing.assert_array_equal(narrower.W[1], np.delete(net.W[1], 2, axis=0))
    np.testing.assert_allclose(narrower.forward(X)[:, 0], net.forward(X)[:, 0] - pieces[:, 2], atol=1e-12)


def test_remove_then_add_round_trip_of_the_last_neuron():
    net = random_net(seed=5)
    back = add_neuron(remove_neuron(net, 0, 5), 0, 0)
    np.testing.assert_array_equal(back.W[0][:, :5], net.W[0][:, :5])
    np.testing.assert_array_equal(back.W[1][:5], net.W[1][:5])


def test_weakest_neuron_has_the_smallest_output_weight():
    net = random_net()
    net.W[1][:, 0] = [0.5, -0.2, 0.9, 0.05, -0.04, 1.0]
    assert weakest_neuron(net) == 4
    net.W[1][:, 0] = [0.3, 0.1, -0.1, 0.2, 0.4, 0.5]
    assert weakest_neuron(net) == 1  # the first of equals
    deep = random_net((1, 3, 2, 1))
    deep.W[1][...] = [[1.0, 1.0], [0.1, -0.1], [0.0, 0.5]]  # row norms 1.41, 0.14, 0.5
    assert weakest_neuron(deep, 0) == 1


def test_surgery_refuses_what_cannot_be_done():
    net = random_net((1, 1, 1))
    with pytest.raises(ValueError, match="last neuron"):
        remove_neuron(net, 0, 0)
    with pytest.raises(ValueError, match="hidden layer index"):
        add_neuron(net, 1)
    with pytest.raises(ValueError, match="unit must lie"):
        remove_neuron(random_net(), 0, 6)
    with pytest.raises(ValueError, match="no hidden layer"):
        add_neuron(Network([1, 1], "tanh", "linear"))


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "sine", "step", "gaussian", "linear"])
def test_pieces_and_bias_add_up_to_the_output(activation):
    net = random_net((1, 9, 1), activation, seed=2)
    total = contributions(net, X).sum(axis=1) + output_bias(net)
    np.testing.assert_allclose(total, net.forward(X)[:, 0], rtol=0, atol=1e-12)


def test_contributions_against_a_hand_loop():
    net = random_net((1, 3, 1), "relu", seed=8)
    x = np.array([-1.5, 0.0, 0.7])
    expected = np.array([[net.W[1][j, 0] * max(net.W[0][0, j] * xi + net.b[0][j], 0.0) for j in range(3)] for xi in x])
    np.testing.assert_allclose(contributions(net, x), expected, rtol=1e-15)
    per_unit = np.tile(x[:, None], (1, 3))  # (n_points, n_hidden): column j for unit j
    np.testing.assert_array_equal(contributions(net, per_unit), contributions(net, x))
    with pytest.raises(ValueError, match="shape"):
        contributions(net, np.zeros((3, 2)))
    with pytest.raises(ValueError, match="1-n-1"):
        contributions(random_net((1, 3, 2, 1)), x)


def test_kinks_are_where_a_relu_network_bends():
    net = random_net((1, 5, 1), "relu", seed=9)
    net.W[0][0, 4] = 0.0
    kinks = kink_positions(net)
    np.testing.assert_allclose(kinks[:4], -net.b[0][:4] / net.W[0][0, :4])
    assert np.isnan(kinks[4])  # w = 0: no kink
    x = np.linspace(-3, 3, 6001)
    slope = np.diff(net.forward(x[:, None])[:, 0]) / np.diff(x)
    bends = x[1:-1][np.abs(np.diff(slope)) > 1e-6]  # where the slope changes
    for bend in bends:
        assert np.min(np.abs(kinks[:4] - bend)) <= 2e-3


def test_trainer_replace_network_keeps_data_counters_and_history():
    data = target_1d(60, 0.0, seed=0, key="sin")
    net = Network([1, 3, 1], "tanh", "linear", seed=0)
    trainer = Trainer(
        net, data.X, data.y, loss="quadratic", optimizer="adam", learning_rate=0.02, problem="regression", seed=1
    )
    trainer.optimizer.beta1 = 0.8
    trainer.train(5)
    split, epoch, step = trainer.train_index.copy(), trainer.epoch, trainer.step
    loss_before, out_before = trainer.history.train_loss[-1], net.forward(X)
    wider = add_neuron(net, 0, 0)
    trainer.replace_network(wider)
    assert trainer.network is wider
    np.testing.assert_array_equal(trainer.train_index, split)
    assert (trainer.epoch, trainer.step, len(trainer.history.epoch)) == (epoch, step, 6)
    assert trainer.history.train_loss[-1] == pytest.approx(loss_before, rel=1e-12)  # measured again: same
    assert trainer.optimizer.name == "adam" and trainer.optimizer.beta1 == 0.8 and trainer.optimizer.m is None
    # Adding a neuron leaves the function unchanged until the next step ...
    np.testing.assert_allclose(wider.forward(X), out_before, rtol=0, atol=1e-12)
    trainer.train(1)
    assert trainer.epoch == epoch + 1
    assert not np.allclose(wider.forward(X), out_before)  # ... which moves it
    assert wider.W[1][3, 0] != 0.0  # the new neuron's output weight learns at once
    with pytest.raises(ValueError, match="1 input"):
        trainer.replace_network(Network([2, 3, 1], "tanh", "linear"))


def test_replace_network_measures_the_new_network():
    data = target_1d(60, 0.0, seed=0, key="sin")
    net = random_net((1, 4, 1), "tanh", seed=1)
    trainer = Trainer(net, data.X, data.y, loss="quadratic", problem="regression")
    narrower = remove_neuron(net, 0, 0)
    trainer.replace_network(narrower)
    expected = 0.5 * np.mean((narrower.forward(trainer.X_train)[:, 0] - trainer.y_train[:, 0]) ** 2)
    assert trainer.history.train_loss[-1] == pytest.approx(expected)
