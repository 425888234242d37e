import numpy as np
import pytest

from engine.features import DEFAULT_FEATURES, FEATURES, check_keys, transform

X = np.array([[1.0, 2.0], [-0.5, 3.0], [0.0, -1.5]])

# Each feature worked out independently of FEATURES' lambdas.
EXPECTED = {
    "x1": X[:, 0],
    "x2": X[:, 1],
    "x1_sq": np.array([1.0, 0.25, 0.0]),
    "x2_sq": np.array([4.0, 9.0, 2.25]),
    "x1x2": np.array([2.0, -1.5, -0.0]),
    "sin_x1": np.array([np.sin(1.0), np.sin(-0.5), 0.0]),
    "sin_x2": np.array([np.sin(2.0), np.sin(3.0), np.sin(-1.5)]),
    "cos_x1": np.array([np.cos(1.0), np.cos(-0.5), 1.0]),
    "cos_x2": np.array([np.cos(2.0), np.cos(3.0), np.cos(-1.5)]),
}


def test_the_issue_s_features_in_tensorflow_playground_s_order():
    assert list(FEATURES) == list(EXPECTED)
    assert all(key == key.lower() and len(key) <= 6 for key in FEATURES)  # URL values
    assert [label for label, _ in FEATURES.values()] == [
        "X₁",
        "X₂",
        "X₁²",
        "X₂²",
        "X₁X₂",
        "sin(X₁)",
        "sin(X₂)",
        "cos(X₁)",
        "cos(X₂)",
    ]


@pytest.mark.parametrize("key", list(EXPECTED))
def test_each_feature_alone(key):
    Phi, names = transform(X, [key])
    assert Phi.shape == (3, 1)
    np.testing.assert_allclose(Phi[:, 0], EXPECTED[key])
    assert names == (FEATURES[key][0],)


def test_all_features_together():
    Phi, names = transform(X, FEATURES)
    assert Phi.shape == (3, 9) and len(names) == 9
    np.testing.assert_allclose(Phi, np.column_stack(list(EXPECTED.values())))


def test_order_follows_features_not_the_caller():
    a, names_a = transform(X, ["cos_x2", "x1", "x1x2"])
    b, names_b = transform(X, {"x1x2", "cos_x2", "x1"})
    np.testing.assert_array_equal(a, b)
    assert names_a == names_b == ("X₁", "X₁X₂", "cos(X₂)")


def test_a_single_key_as_a_string_and_duplicates():
    Phi, names = transform(X, "x2")
    assert names == ("X₂",) and Phi.shape == (3, 1)
    assert check_keys(["x1", "x1", "x2"]) == ("x1", "x2")
    assert check_keys(DEFAULT_FEATURES) == ("x1", "x2")


def test_default_features_leave_the_data_unchanged():
    Phi, _ = transform(X, DEFAULT_FEATURES)
    np.testing.assert_array_equal(Phi, X)


def test_empty_and_unknown_are_refused():
    with pytest.raises(ValueError, match="at least one"):
        transform(X, [])
    with pytest.raises(ValueError, match=r"unknown input feature 'x3'; valid: x1, x2, x1_sq"):
        transform(X, ["x1", "x3"])


def test_wrong_input_shape_is_refused():
    with pytest.raises(ValueError, match=r"\(n_samples, 2\)"):
        transform(np.ones((4, 3)), ["x1"])
    with pytest.raises(ValueError, match=r"\(n_samples, 2\)"):
        transform(np.ones(4), ["x1"])


def test_no_rows_gives_no_rows():
    Phi, _ = transform(np.empty((0, 2)), ["x1", "sin_x2"])
    assert Phi.shape == (0, 2)
