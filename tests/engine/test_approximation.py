"""Universal approximation: targets, errors on the grid, settling, the width sweep,
equal-budget architectures and the hand-built zigzag."""

from contextlib import contextmanager
from itertools import pairwise

import numpy as np
import pytest

from engine.approximation import (
    FORMULA,
    SPREAD,
    TrainSettings,
    compare_depths,
    equal_budget_architectures,
    error_on_grid,
    fit,
    has_settled,
    is_discontinuous,
    jumps,
    make_network,
    make_target,
    make_trainer,
    param_count,
    sweep_widths,
    train_in_chunks,
    zigzag,
    zigzag_network,
)
from engine.datasets import TARGETS_1D, grid_1d
from engine.formula import FormulaError
from engine.network import Network
from engine.surgery import kink_positions


def test_make_network_is_seeded_and_spreads_the_kinks():
    a, b = make_network([50], "relu", SPREAD, seed=3), make_network([50], "relu", SPREAD, seed=3)
    np.testing.assert_array_equal(a.params, b.params)
    assert not np.array_equal(a.params, make_network([50], "relu", SPREAD, seed=4).params)
    kinks = kink_positions(a)
    assert np.all((-2 <= kinks) & (kinks <= 2))
    assert kinks.min() < -1 and kinks.max() > 1  # spread over the domain, not piled up
    assert np.all((0.5 <= np.abs(a.W[0])) & (np.abs(a.W[0]) <= 2.0))
    assert a.output_activation_name == "linear" and a.sizes == (1, 50, 1)
    he = make_network([4, 4], "tanh", "he", seed=0)
    assert he.sizes == (1, 4, 4, 1) and he.initializer == "he"
    with pytest.raises(ValueError, match="unknown initializer"):
        make_network([3], "relu", "nonsense")


def test_targets_presets_and_formula():
    for key in TARGETS_1D:
        target = make_target(key, 50, 0.0, 0)
        np.testing.assert_allclose(target.data.y, target.f(target.data.X[:, 0]))  # no noise: on the curve
    formula = make_target(FORMULA, 40, 0.1, 2, formula="sin(3*x) + 0.5*x**2")
    assert formula.label == "f(x) = sin(3*x) + 0.5*x**2"
    np.testing.assert_allclose(formula.f(np.array([0.0, 1.0])), [0.0, np.sin(3) + 0.5])
    assert formula.data.X.shape == (40, 1)
    with pytest.raises(FormulaError, match="unknown name 'y'"):
        make_target(FORMULA, formula="x + y")
    with pytest.raises(FormulaError, match="not finite"):
        make_target(FORMULA, formula="1/x")


def test_error_on_grid_against_a_direct_computation():
    net = make_network([5], "tanh", seed=1)
    grid = grid_1d(101)
    error = net.forward(grid[:, None])[:, 0] - np.sin(grid)
    max_error, rmse = error_on_grid(net, np.sin, grid)
    assert max_error == pytest.approx(np.abs(error).max())
    assert rmse == pytest.approx(np.sqrt(np.mean(error**2)))
    assert error_on_grid(net, np.sin(grid), grid) == (max_error, rmse)  # values instead of f
    assert len(grid_1d()) == 1001 and error_on_grid(net, np.sin)[0] >= max_error - 1e-3


def test_has_settled():
    falling = list(np.geomspace(1.0, 1e-3, 600))
    assert not has_settled(falling)
    assert has_settled([0.5] * 400)
    assert not has_settled([0.5] * 399)  # not enough history yet
    assert has_settled([1.0] * 200 + [0.0] * 200)
    assert has_settled(falling[:200] + [falling[199] * 0.995] * 200)  # < 1 % better: settled
    assert not has_settled(falling[:200] + [falling[199] * 0.95] * 200)


def test_param_count_and_equal_budgets():
    assert param_count((1, 33, 1)) == Network([1, 33, 1]).n_params == 100
    assert param_count((1, 8, 8, 1)) == Network([1, 8, 8, 1]).n_params == 97
    architectures = equal_budget_architectures(100, (1, 2, 3, 4))
    assert architectures == [(1, 33, 1), (1, 8, 8, 1), (1, 6, 6, 6, 1), (1, 5, 5, 5, 5, 1)]
    for budget in (25, 50, 200, 400):
        for sizes in equal_budget_architectures(budget):
            width, depth = sizes[1], len(sizes) - 2
            for other in (width - 1, width + 1):  # no other width comes closer
                if other >= 1:
                    alternative = (1, *([other] * depth), 1)
                    assert abs(param_count(sizes) - budget) <= abs(param_count(alternative) - budget)
    assert equal_budget_architectures(3, (2,)) == [(1, 1, 1, 1)]  # at least one neuron per layer
    with pytest.raises(ValueError):
        equal_budget_architectures(100, (0,))


@pytest.mark.parametrize(("activation", "epochs"), [("relu", 600), ("tanh", 1000)])
def test_sweep_errors_fall_with_width_on_sin(activation, epochs):
    target = make_target("sin", 100, 0.0, 0)
    seen = []
    results = sweep_widths(
        target,
        (1, 4, 16, 64),
        epochs=epochs,
        settings=TrainSettings(activation=activation),
        progress=lambda done, total, r: seen.append((done, total, r.width)),
    )
    assert seen == [(1, 4, 1), (2, 4, 4), (3, 4, 16), (4, 4, 64)]
    max_errors = [r.max_error for r in results]
    rmses = [r.rmse for r in results]
    assert all(b < a for a, b in pairwise(max_errors)), max_errors
    assert all(b < a for a, b in pairwise(rmses)), rmses
    assert max_errors[-1] < max_errors[0] / 5 and rmses[-1] < rmses[0] / 10
    assert [r.n_params for r in results] == [4, 13, 49, 193]
    assert not any(r.diverged for r in results)


def test_training_in_chunks_takes_the_guard_each_time_and_matches_one_call():
    target = make_target("bump", 60, 0.0, 0)
    settings = TrainSettings(activation="tanh", batch_size=10)
    entered = []

    @contextmanager
    def guard():
        entered.append(1)
        yield

    chunked = make_trainer(make_network([8], "tanh"), target, settings)
    assert train_in_chunks(chunked, 40, guard)
    assert chunked.epoch == 40 and len(entered) >= 1
    whole = make_trainer(make_network([8], "tanh"), target, settings)
    whole.train(40)
    np.testing.assert_array_equal(chunked.network.params, whole.network.params)


def test_fit_reports_divergence_instead_of_raising():
    target = make_target("cubic", 60, 0.0, 0)
    result = fit(target, [16], 50, TrainSettings(activation="relu", optimizer="sgd", learning_rate=50.0))
    assert result.diverged
    assert np.isfinite(result.max_error)


def test_compare_depths_trains_each_architecture_at_the_budget():
    target = make_target("abs", 60, 0.0, 0)
    results = compare_depths(target, 50, (1, 2, 3), epochs=200, settings=TrainSettings(activation="relu"))
    assert [r.depth for r in results] == [1, 2, 3]
    assert [r.sizes for r in results] == equal_budget_architectures(50, (1, 2, 3))
    assert all(abs(r.n_params - 50) <= 8 for r in results)
    for r in results:
        assert (r.max_error, r.rmse) == pytest.approx(error_on_grid(r.network, target.f))


def test_discontinuous_targets_are_recognised():
    assert is_discontinuous(make_target("step").f) and is_discontinuous(make_target("sawtooth").f)
    for key in ("sin", "abs", "square", "bump", "cubic"):
        assert not is_discontinuous(make_target(key).f), key
    assert is_discontinuous(make_target(FORMULA, formula="sign(x - 0.3)").f)
    assert is_discontinuous(make_target(FORMULA, formula="floor(2*x)").f)
    assert not is_discontinuous(make_target(FORMULA, formula="sqrt(abs(x))").f)  # steep, but continuous


def test_jumps_are_found_where_they_are_with_their_height():
    assert jumps(make_target("step").f) == [(0.0, 1.0)]
    sawtooth = jumps(make_target("sawtooth").f)  # falls by 2 at each integer, the interval's end included
    assert [x for x, _ in sawtooth] == pytest.approx([-1.0, 0.0, 1.0, 2.0], abs=3e-4)
    assert [h for _, h in sawtooth] == pytest.approx([-2.0] * 4, abs=1e-3)
    for key in ("sin", "abs", "square", "bump", "cubic"):
        assert jumps(make_target(key).f) == [], key
    ((x, height),) = jumps(make_target(FORMULA, formula="sign(x - 0.3)").f)
    assert x == pytest.approx(0.3, abs=3e-4) and height == pytest.approx(2.0)
    assert len(jumps(make_target(FORMULA, formula="floor(2*x)").f)) == 8  # at -1.5, -1, ..., 2
    assert jumps(make_target(FORMULA, formula="sqrt(abs(x))").f) == []  # steep, but continuous
    assert jumps(make_target(FORMULA, formula="1/(1 + exp(-200*x))").f) == []


@pytest.mark.parametrize("depth", [1, 2, 3, 5, 8])
def test_zigzag_network_makes_2_to_the_depth_pieces(depth):
    net = zigzag_network(depth)
    assert net.n_params == 6 * depth + 1 == param_count(net.sizes)
    x = np.linspace(-2, 2, 2**depth * 64 + 1)  # kinks fall on grid points
    y = net.forward(x[:, None])[:, 0]
    np.testing.assert_allclose(y, zigzag(x, depth), atol=1e-12)
    assert y.min() == pytest.approx(-1) and y.max() == pytest.approx(1)
    slopes = np.sign(np.round(np.diff(y) / np.diff(x), 6))
    assert 1 + np.count_nonzero(np.diff(slopes)) == 2**depth  # straight pieces
    with pytest.raises(ValueError):
        zigzag_network(0)
