import numpy as np
import pytest

from engine.datasets import (
    CLASSIFICATION,
    DATASETS,
    DOMAIN,
    DOMAIN_1D,
    MAX_NOISE,
    MAX_SEED,
    REGRESSION,
    TARGET_LABELS,
    TARGETS_1D,
    Dataset,
    blobs,
    formula_dataset,
    formula_target,
    grid_1d,
    make_dataset,
    new_seed,
    spiral_k,
    target_function,
)
from engine.formula import FormulaError
from engine.split import train_test_split

ALL = sorted(DATASETS)


def test_registries_do_not_share_keys():
    assert len(DATASETS) == len(CLASSIFICATION) + len(REGRESSION) + len(TARGETS_1D)


def test_the_issue_s_datasets_are_all_there():
    assert {"circle", "xor", "gaussian", "spiral", "moons", "checkerboard"} <= set(CLASSIFICATION)
    assert {f"{kind}{k}" for kind in ("spiral", "blobs") for k in (3, 4, 5)} <= set(CLASSIFICATION)
    assert set(REGRESSION) == {"plane", "multi_gaussian"}
    assert set(TARGETS_1D) == {"sin", "abs", "square", "step", "sawtooth", "bump", "cubic"}
    assert set(TARGET_LABELS) == set(TARGETS_1D)


@pytest.mark.parametrize("key", ALL)
def test_same_seed_same_data_other_seed_other_data(key):
    a, b, c = (make_dataset(key, 100, 0.2, seed) for seed in (3, 3, 4))
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.X, c.X)


@pytest.mark.parametrize("key", ALL)
def test_a_generator_as_seed_is_accepted(key):
    a = make_dataset(key, 50, 0.1, np.random.default_rng(9))
    b = make_dataset(key, 50, 0.1, np.random.default_rng(9))
    np.testing.assert_array_equal(a.X, b.X)


@pytest.mark.parametrize("key", sorted(CLASSIFICATION))
@pytest.mark.parametrize("n_samples", [2, 7, 300])
def test_classification_shapes_and_labels(key, n_samples):
    d = make_dataset(key, n_samples, 0.3, 1)
    assert isinstance(d, Dataset) and len(d) == n_samples
    assert d.X.shape == (n_samples, 2) and d.y.shape == (n_samples,)
    assert d.problem == "classification" and d.feature_names == ("X₁", "X₂")
    assert np.issubdtype(d.y.dtype, np.integer)
    assert set(np.unique(d.y)) <= set(range(d.n_classes))


@pytest.mark.parametrize("key", sorted(CLASSIFICATION))
def test_every_class_appears_and_k_class_sets_say_how_many(key):
    d = make_dataset(key, 600, 0.0, 2)
    expected = int(key[-1]) if key[-1].isdigit() else 2
    assert d.n_classes == expected
    assert set(np.unique(d.y)) == set(range(expected))


@pytest.mark.parametrize(
    "key", ["circle", "gaussian", "spiral", "moons", *(f"{k}{n}" for k in ("spiral", "blobs") for n in (3, 4, 5))]
)
@pytest.mark.parametrize("n_samples", [100, 101])
def test_labels_balanced_to_within_one(key, n_samples):
    counts = np.bincount(make_dataset(key, n_samples, 0.0, 5).y)
    assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("key", ["xor", "checkerboard"])
def test_uniform_sets_are_roughly_balanced(key):
    counts = np.bincount(make_dataset(key, 2000, 0.0, 5).y)
    assert abs(counts[0] - counts[1]) < 200


@pytest.mark.parametrize("key", sorted(CLASSIFICATION) + sorted(REGRESSION))
@pytest.mark.parametrize("noise", [0.0, MAX_NOISE])
def test_2d_inputs_lie_in_the_square(key, noise):
    X = make_dataset(key, 500, noise, 6).X
    # Spiral arms reach radius 5 and noise moves them at most 0.5 more.
    assert np.all(np.abs(X) <= DOMAIN)


@pytest.mark.parametrize("key", sorted(REGRESSION))
@pytest.mark.parametrize("noise", [0.0, 0.25, MAX_NOISE])
def test_regression_targets_in_minus_one_one(key, noise):
    d = make_dataset(key, 500, noise, 6)
    assert d.problem == "regression" and d.n_classes == 0
    assert d.y.shape == (500,) and d.y.dtype == float
    assert np.all(np.abs(d.y) <= 1.0)
    assert d.y.max() > 0.5 and d.y.min() < -0.5  # both signs, a good part of the range


def test_plane_is_the_sum_of_the_inputs_without_noise():
    d = make_dataset("plane", 200, 0.0, 1)
    np.testing.assert_allclose(d.y, (d.X[:, 0] + d.X[:, 1]) / 12)


def test_multi_gaussian_peaks_and_vanishes_as_tensorflow_playground():
    d = make_dataset("multi_gaussian", 5000, 0.0, 1)
    near_peak = np.hypot(d.X[:, 0] + 4, d.X[:, 1] - 2.5) < 0.1  # bump at (-4, 2.5), sign +
    assert np.all(d.y[near_peak] > 0.9)
    far = np.hypot(d.X[:, 0] - 6, d.X[:, 1]) < 1  # more than 2 from every center
    assert np.all(d.y[far] == 0)


def test_moons_and_checkerboard_are_what_they_say():
    moons = make_dataset("moons", 1000, 0.0, 1)
    assert moons.X[moons.y == 0, 1].mean() > moons.X[moons.y == 1, 1].mean()  # class 0 is the upper moon
    board = make_dataset("checkerboard", 1000, 0.0, 1)
    cells = np.floor(board.X / 3).astype(int)
    np.testing.assert_array_equal(board.y, (cells.sum(axis=1) + 1) % 2)


def test_noise_blurs_the_classes():
    clean, noisy = make_dataset("checkerboard", 2000, 0.0, 1), make_dataset("checkerboard", 2000, MAX_NOISE, 1)
    clean_rule, noisy_rule = ((np.floor(d.X / 3).astype(int).sum(axis=1) + 1) % 2 for d in (clean, noisy))
    assert np.mean(clean.y == clean_rule) == 1.0
    assert 0.6 < np.mean(noisy.y == noisy_rule) < 0.95


def test_the_four_tensorflow_sets_keep_their_behaviour():
    # Fingerprints taken before this module grew: the original four must not change.
    expected = {
        "circle": (19.764869, 179.661714, 21),
        "xor": (-16.11862, 277.904067, 24),
        "gaussian": (-23.836755, 189.437552, 25),
        "spiral": (-0.644745, 155.602105, 25),
    }
    for key, (total, abs_total, positives) in expected.items():
        d = make_dataset(key, 50, 0.2, 7)
        assert d.X.sum() == pytest.approx(total, abs=1e-5)
        assert np.abs(d.X).sum() == pytest.approx(abs_total, abs=1e-5)
        assert d.y.sum() == positives


@pytest.mark.parametrize("key", sorted(TARGETS_1D))
def test_1d_targets_without_noise_follow_the_target_function(key):
    d = make_dataset(key, 300, 0.0, 3)
    assert d.X.shape == (300, 1) and d.y.shape == (300,)
    assert d.problem == "regression" and d.feature_names == ("x",)
    assert np.all(np.abs(d.X) <= DOMAIN_1D)
    assert np.all(np.diff(d.X[:, 0]) >= 0)  # sorted, for line plots
    np.testing.assert_allclose(d.y, target_function(key)(d.X[:, 0]))


@pytest.mark.parametrize("key", sorted(TARGETS_1D))
def test_1d_noise_scales_with_the_target_s_range(key):
    clean, noisy = make_dataset(key, 4000, 0.0, 3), make_dataset(key, 4000, 0.2, 3)
    spread = np.ptp(target_function(key)(grid_1d()))
    residual = noisy.y - target_function(key)(noisy.X[:, 0])
    assert np.std(residual) == pytest.approx(0.2 * spread, rel=0.1)
    assert clean.y.shape == noisy.y.shape


def test_target_functions_on_a_dense_grid():
    x = grid_1d()
    assert x[0] == -DOMAIN_1D and x[-1] == DOMAIN_1D and 0.0 in x
    np.testing.assert_allclose(target_function("square")(x), x**2)
    np.testing.assert_allclose(target_function("abs")(x), np.abs(x))
    np.testing.assert_array_equal(target_function("step")(np.array([-0.1, 0.0, 0.1])), [0, 1, 1])
    np.testing.assert_allclose(target_function("sawtooth")(np.array([0.0, 0.25, 0.999, 1.0])), [-1, -0.5, 0.998, -1])
    assert target_function("bump")(np.array([0.0]))[0] == 1.0
    np.testing.assert_allclose(target_function("cubic")(np.array([-1.0, 1.0, 2.0])), [2, -2, 2])
    np.testing.assert_allclose(target_function("sin")(np.array([0.5, 1.0])), [1, 0], atol=1e-12)


def test_formula_dataset_matches_numpy():
    d = formula_dataset("sin(3*x) + 0.5*x**2", 200, 0.0, 4)
    x = d.X[:, 0]
    np.testing.assert_allclose(d.y, np.sin(3 * x) + 0.5 * x**2)
    assert d.feature_names == ("x",) and d.problem == "regression"
    again = formula_dataset("sin(3*x) + 0.5*x**2", 200, 0.1, 4)
    np.testing.assert_array_equal(again.X, d.X)  # noise changes y only
    assert not np.array_equal(again.y, d.y)


def test_a_constant_formula_still_gets_noise():
    d = formula_dataset("2", 500, 0.1, 4)
    assert 0.05 < np.std(d.y) < 0.15


def test_formula_dataset_rejects_bad_formulas():
    with pytest.raises(FormulaError, match="not finite"):
        formula_dataset("1/x", 100, 0.0, 0)
    with pytest.raises(FormulaError, match="unknown name 'y'"):
        formula_dataset("x + y", 100, 0.0, 0)
    assert formula_target("abs(x)")(np.array([-1.5]))[0] == 1.5


@pytest.mark.parametrize("noise", [-0.01, MAX_NOISE + 0.01, float("nan")])
def test_noise_out_of_range_is_refused(noise):
    for key in ("circle", "moons", "plane", "sin"):
        with pytest.raises(ValueError, match="noise"):
            make_dataset(key, 100, noise, 0)


@pytest.mark.parametrize("n_samples", [0, 1, 2.5, True])
def test_bad_sample_counts_are_refused(n_samples):
    with pytest.raises(ValueError, match="n_samples"):
        make_dataset("blobs3", n_samples, 0.0, 0)


@pytest.mark.parametrize("n_classes", [1, 2.5, True])
def test_bad_class_counts_are_refused(n_classes):
    for generator in (spiral_k, blobs):
        with pytest.raises(ValueError, match="n_classes"):
            generator(10, 0.0, 0, n_classes=n_classes)


def test_k_class_generators_take_any_count():
    assert blobs(60, 0.0, 0, n_classes=6).n_classes == 6
    assert set(spiral_k(60, 0.0, 0, n_classes=2).y) == {0, 1}


def test_unknown_keys_list_the_valid_ones():
    with pytest.raises(ValueError, match=r"unknown dataset 'nope'.*checkerboard.*multi_gaussian.*sawtooth"):
        make_dataset("nope")
    with pytest.raises(ValueError, match="unknown 1-D target 'circle'"):
        target_function("circle")


def test_new_seed_is_deterministic_for_a_generator_and_in_range():
    assert new_seed(np.random.default_rng(1)) == new_seed(np.random.default_rng(1))
    rng = np.random.default_rng(2)
    seeds = [new_seed(rng) for _ in range(50)]
    assert len(set(seeds)) == 50 and all(0 <= s <= MAX_SEED and isinstance(s, int) for s in seeds)
    assert isinstance(new_seed(), int)


def test_split_of_a_dataset_is_deterministic_and_keeps_the_ratio():
    d = make_dataset("spiral3", 200, 0.1, 1)
    a, b = train_test_split(d.X, d.y, 0.7, 5), train_test_split(d.X, d.y, 0.7, 5)
    for left, right in zip(a, b, strict=True):
        np.testing.assert_array_equal(left, right)
    assert len(a[0]) == 140 and len(a[2]) == 60
