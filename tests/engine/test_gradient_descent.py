"""Gradient descent by hand: the lecture's worked example, its divergence threshold, and
the optimizers' paths on a neuron's (w, b) loss surface."""

import numpy as np
import pytest

from engine import Network, make_optimizer
from engine.gradient_descent import (
    BEHAVIOURS,
    SURFACES,
    OptimizerRace,
    behaviour,
    descent_step,
    divergence_threshold,
    error_factor,
    linear_surface,
    one_weight_gradient,
    one_weight_loss,
    one_weight_steps,
    optimizer_paths,
    sigmoid_surface,
)


def test_the_worked_example_row_by_row():
    # x = 2, target 6, w = 5, lr = 0.1; L = ½(2w − 6)², dL/dw = 2(2w − 6):
    #   w = 5:     ŷ = 10,    L = ½·4²   = 8,      g = 2·4   = 8,     new w = 5 − 0.8    = 4.2
    #   w = 4.2:   ŷ = 8.4,   L = ½·2.4² = 2.88,   g = 2·2.4 = 4.8,   new w = 4.2 − 0.48 = 3.72
    #   w = 3.72:  ŷ = 7.44,  L = ½·1.44² = 1.0368, g = 2.88,         new w = 3.432
    rows = one_weight_steps(3)
    got = [(r.step, r.w, r.prediction, r.loss, r.gradient, r.new_w) for r in rows]
    expected = [
        (1, 5.0, 10.0, 8.0, 8.0, 4.2),
        (2, 4.2, 8.4, 2.88, 4.8, 3.72),
        (3, 3.72, 7.44, 1.0368, 2.88, 3.432),
    ]
    for row, want in zip(got, expected):
        assert row == pytest.approx(want)


def test_each_step_multiplies_the_error_by_one_minus_lr_x_squared():
    for lr in (0.05, 0.1, 0.3, 0.45, 0.55):
        w = np.array([r.w for r in one_weight_steps(12, lr)])
        factor = error_factor(lr)
        np.testing.assert_allclose((w[1:] - 3.0), factor * (w[:-1] - 3.0), atol=1e-12)


def test_slope_is_the_derivative_of_the_loss():
    w = np.linspace(-2, 8, 11)
    h = 1e-6
    numeric = (one_weight_loss(w + h) - one_weight_loss(w - h)) / (2 * h)
    np.testing.assert_allclose(one_weight_gradient(w), numeric, rtol=1e-6, atol=1e-6)
    assert one_weight_gradient(5.0) == 8.0  # the tangent's slope on the page


def test_divergence_threshold_is_two_over_x_squared():
    assert divergence_threshold() == 0.5
    assert divergence_threshold(1.0) == 2.0
    assert divergence_threshold(0.0) == np.inf


def test_behaviour_around_the_threshold():
    # |1 − lr·x²| < 1 converges; = 1 (lr = 0.5) oscillates for ever; > 1 diverges.
    assert behaviour(0.01) == "converges from one side"
    assert behaviour(0.1) == "converges from one side"
    assert behaviour(0.25) == "converges in one step"
    assert behaviour(0.4) == "converges, oscillating"
    assert behaviour(0.49) == "converges, oscillating"
    assert behaviour(0.5) == "oscillates for ever"
    assert behaviour(0.51) == "diverges"
    assert behaviour(0.0) == "no progress"
    assert behaviour(-0.1) == "diverges"
    assert set(map(behaviour, (0, 0.1, 0.25, 0.4, 0.5, 0.6))) == set(BEHAVIOURS)


def test_just_below_converges_exactly_at_oscillates_just_above_diverges():
    def error_after(lr, n=400):
        return abs(one_weight_steps(n, lr)[-1].new_w - 3.0)

    assert error_after(0.49) < 1e-6  # converges, however slowly
    rows = one_weight_steps(400, 0.5)
    assert {r.w for r in rows} == {5.0, 1.0}  # jumps between 5 and 1 for ever
    assert {r.loss for r in rows} == {8.0}  # the loss never moves: no convergence, no divergence
    assert error_after(0.51) > 1e3  # diverges


def test_diverging_steps_stop_when_the_weight_is_no_longer_finite():
    rows = one_weight_steps(5000, 10.0)
    assert len(rows) < 5000 and not np.isfinite(rows[-1].loss)
    assert all(np.isfinite(r.w) for r in rows)


def test_descent_step_defaults_match_the_example():
    assert descent_step(5.0, 0.1).new_w == pytest.approx(4.2)


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_surface_gradient_matches_finite_differences_and_the_engine(name):
    surface = SURFACES[name]()
    h = 1e-6
    for w, b in [(0.3, -0.7), (-1.5, 2.0), (2.0, 1.0)]:
        g = surface.gradient(w, b)
        numeric = [
            (surface.loss(w + h, b) - surface.loss(w - h, b)) / (2 * h),
            (surface.loss(w, b + h) - surface.loss(w, b - h)) / (2 * h),
        ]
        np.testing.assert_allclose(g, numeric, rtol=1e-5, atol=1e-7)
        # The engine's own network, one neuron, as an independent oracle.
        net = Network([1, 1], output_activation=surface.activation)
        net.set_weights([np.array([[w]])], [np.array([b])])
        loss, grads = net.loss_and_gradient(surface.x[:, None], surface.y[:, None], surface.loss_name)
        assert loss == pytest.approx(float(surface.loss(w, b)), rel=1e-9)
        np.testing.assert_allclose(grads, g, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("make", [linear_surface, sigmoid_surface])
def test_minimum_is_a_minimum_and_inside_the_drawn_ranges(make):
    surface = make()
    w, b = surface.minimum()
    np.testing.assert_allclose(surface.gradient(w, b), 0.0, atol=1e-9)
    assert surface.w_range[0] < w < surface.w_range[1] and surface.b_range[0] < b < surface.b_range[1]
    ws, bs, L = surface.grid(41)
    assert L.shape == (41, 41) and L.min() >= surface.loss(w, b) - 1e-12
    assert L[7, 30] == pytest.approx(float(surface.loss(ws[30], bs[7])))  # [row = b, column = w]


def test_surfaces_are_seeded():
    a, b = linear_surface(seed=3), linear_surface(seed=3)
    np.testing.assert_array_equal(a.x, b.x)
    assert not np.array_equal(a.x, linear_surface(seed=4).x)


def test_race_paths_use_the_engines_update_rules():
    surface = linear_surface()
    paths = optimizer_paths(surface, (-2.0, 4.0), 0.1, 25)
    for name, path in paths.items():
        assert path.shape == (26, 2)
        opt, p = make_optimizer(name), np.array([-2.0, 4.0])
        for _ in range(25):
            opt.step(p, surface.gradient(*p), 0.1)
        np.testing.assert_allclose(path[-1], p, rtol=1e-12)
        np.testing.assert_array_equal(path[0], [-2.0, 4.0])


def test_every_optimizer_gets_near_the_minimum():
    for surface in (linear_surface(), sigmoid_surface()):
        race = OptimizerRace(surface, surface.start, 0.1).step(600)
        best = float(surface.loss(*surface.minimum()))
        for name in race.names:
            assert race.losses[name][-1] < best + 0.02, name
            assert len(race.losses[name]) == len(race.paths[name]) == 601


def test_a_diverging_path_stops_and_is_reported():
    surface = linear_surface()
    race = OptimizerRace(surface, surface.start, 5.0).step(200)
    assert race.diverged["sgd"] is not None
    assert np.all(np.isfinite(race.path("sgd")))
    assert race.diverged["adam"] is None  # adam's steps are about lr long: it wanders, it never explodes


def test_race_rejects_bad_settings():
    surface = linear_surface()
    with pytest.raises(ValueError, match="learning rate"):
        OptimizerRace(surface, (0.0, 0.0), -0.1)
    with pytest.raises(ValueError, match="start"):
        OptimizerRace(surface, (np.nan, 0.0), 0.1)


def test_a_race_path_grown_a_step_at_a_time_equals_the_whole_list_converted():
    race = OptimizerRace(linear_surface(), (3.0, -2.0), 0.05)
    for steps in (0, 1, 1, 5, 20):
        race.step(steps)
        for name in race.names:
            path = race.path(name)
            assert path.shape == (race.steps + 1, 2)
            np.testing.assert_array_equal(path, np.array(race.paths[name]))
            assert not path.flags.writeable  # shared between frames: nobody may change it
