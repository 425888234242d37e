"""Export and import: round trips, and corrupted or hostile files refused with a reason."""

import csv
import io
import json
import pickle
import zipfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ui.playground.config import DEFAULTS
from ui.playground.export import (
    MAX_ARRAYS,
    MAX_CONFIG_BYTES,
    MAX_WEIGHTS_BYTES,
    FileProblem,
    check_fits,
    config_from_json,
    config_to_json,
    history_to_csv,
    read_import,
    weights_from_json,
    weights_from_npz,
    weights_to_json,
    weights_to_npz,
)
from ui.playground.run import build_run, train


@pytest.fixture(scope="module")
def run():
    r = build_run(dict(DEFAULTS, dataset="xor", hidden=(5, 3), n_samples=100, learning_rate=0.1))
    train(r, 4)
    return r


def npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _bytes(data) -> bytes:
    return data if isinstance(data, bytes) else data.encode()


def good_arrays(run) -> dict:
    return {**{f"W{i}": w for i, w in enumerate(run.network.W)}, **{f"b{i}": b for i, b in enumerate(run.network.b)}}


# ---- round trips -------------------------------------------------------------------------


def test_config_json_round_trips_every_field(run):
    text = config_to_json(run.config)
    document = json.loads(text)
    assert document["format"] == "nn-playground/config" and set(document["config"]) == set(DEFAULTS)
    config, notices = config_from_json(text.encode())
    assert config == run.config and notices == []


def test_an_uploaded_config_is_told_from_weights(run):
    config, weights, notices = read_import("setup.json", config_to_json(run.config).encode())
    assert config == run.config and weights is None and notices == []
    with pytest.raises(FileProblem, match="configuration file may have at most"):
        read_import("big.json", b'{"dataset": "xor"' + b" " * MAX_CONFIG_BYTES + b"}")


def test_a_plain_object_of_some_fields_is_a_config_too():
    config, notices = config_from_json('{"dataset": "spiral", "hidden": [8, 8], "colour": "red"}')
    assert config["dataset"] == "spiral" and config["hidden"] == (8, 8) and config["noise"] == DEFAULTS["noise"]
    assert notices == ["`colour` is not a setting, ignored"]


@pytest.mark.parametrize("write", [weights_to_npz, weights_to_json])
def test_weights_round_trip_exactly_with_their_config(run, write):
    data = write(run.network, run.config)
    config, weights, notices = read_import("w.npz" if write is weights_to_npz else "w.JSON", _bytes(data))
    assert config == run.config and notices == []
    assert weights.sizes == run.network.sizes and weights.config == run.config and weights.notices == []
    for got, want in zip(weights.W + weights.b, run.network.W + run.network.b):
        np.testing.assert_array_equal(got, want)
    check_fits(weights, run.network)
    fresh = build_run(weights.config)
    fresh.network.set_weights(weights.W, weights.b)
    np.testing.assert_array_equal(fresh.network.params, run.network.params)


def test_npz_is_plain_numpy_loadable_without_pickle(run):
    with np.load(io.BytesIO(weights_to_npz(run.network, run.config)), allow_pickle=False) as f:
        assert sorted(f.files) == ["W0", "W1", "W2", "b0", "b1", "b2", "config", "sizes"]
        assert json.loads(str(f["config"]))["config"]["hidden"] == [5, 3]


def test_weights_without_a_config_still_load(run):
    weights = weights_from_npz(npz(**good_arrays(run)))
    assert weights.config is None and weights.sizes == (2, 5, 3, 1)


def test_history_csv_has_one_row_per_epoch(run):
    rows = list(csv.reader(io.StringIO(history_to_csv(run.trainer.history))))
    assert rows[0] == ["epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy"]
    assert [int(r[0]) for r in rows[1:]] == [0, 1, 2, 3, 4]
    assert float(rows[-1][1]) == run.trainer.history.train_loss[-1]  # exact


def test_regression_history_has_no_accuracy():
    r = build_run(dict(DEFAULTS, dataset="plane", problem="regression"))
    assert history_to_csv(r.trainer.history).splitlines()[0] == "epoch,train_loss,test_loss"


# ---- files that do not fit ---------------------------------------------------------------


def test_a_network_of_other_shape_is_named(run):
    other = build_run(dict(DEFAULTS, hidden=(4, 2))).network
    weights = weights_from_npz(weights_to_npz(run.network))
    with pytest.raises(FileProblem, match=r"the file's network is 2-5-3-1 but this one is 2-4-2-1 \(W0 is 2 × 5"):
        check_fits(weights, other)
    deeper = build_run(dict(DEFAULTS, hidden=(5, 3, 2))).network
    with pytest.raises(FileProblem, match="3 weight layers, the network 4"):
        check_fits(weights, deeper)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: a.pop("b1"), "missing b1"),
        (lambda a: a.update(W1=np.zeros((4, 3))), "W0 gives 5 outputs but W1 takes 4 inputs"),
        (lambda a: a.update(b0=np.zeros(4)), "b0 has 4 values but W0 has 5 columns"),
        (lambda a: a.update(W0=np.zeros(10)), "W0 must be a table"),
        (lambda a: a.update(extra=np.zeros(2)), "unexpected entries `extra`"),
        (lambda a: a.update(W2=np.full((3, 1), np.nan)), "W2 holds NaN or infinite values"),
        (lambda a: a.update(W0=np.array([["a", "b"]])), "`W0` holds <U1 values, not numbers"),
        (lambda a: a.update(sizes=np.array([2, 4, 4, 1])), '"sizes" says 2-4-4-1 but the arrays are 2-5-3-1'),
        (lambda a: a.update(config=np.array("{not json")), "not valid JSON"),
        (lambda a: a.update(config=np.array(3.0)), "configuration as JSON text"),
        (lambda a: a.clear(), "the file has 0 layers"),
    ],
)
def test_wrong_keys_and_shapes_name_the_mismatch(run, change, message):
    arrays = good_arrays(run)
    change(arrays)
    with pytest.raises(FileProblem, match=message):
        weights_from_npz(npz(**arrays))


def test_pickled_objects_are_never_loaded(run):
    arrays = good_arrays(run)
    arrays["W0"] = np.array([{"evil": 1}, None], dtype=object)
    with pytest.raises(FileProblem, match="Python objects"):
        weights_from_npz(npz(**arrays))
    with pytest.raises(FileProblem, match=r"not an \.npz"):
        weights_from_npz(pickle.dumps({"W0": run.network.W[0]}))
    with pytest.raises(FileProblem, match=r"not an \.npz"):
        weights_from_npz(b"\x93NUMPY" + b"\0" * 100)  # a bare .npy


def test_an_array_announcing_billions_of_elements_is_refused_before_unpacking():
    buffer = io.BytesIO()
    header = {"descr": "<f8", "fortran_order": False, "shape": (100_000, 100_000)}
    with zipfile.ZipFile(buffer, "w") as archive, archive.open("W0.npy", "w") as member:
        np.lib.format.write_array_header_1_0(member, header)
        member.write(b"\0" * 64)
    with pytest.raises(FileProblem, match=r"shape \(100000, 100000\): far larger"):
        weights_from_npz(buffer.getvalue())


def test_huge_arrays_and_files_are_refused():
    with pytest.raises(FileProblem, match="at most"):
        weights_from_npz(npz(W0=np.zeros((1000, 1000))))  # 8 MB: over the file limit
    compressed = io.BytesIO()
    np.savez_compressed(compressed, W0=np.zeros((1000, 1000)), b0=np.zeros(1000))  # small file, big arrays
    assert len(compressed.getvalue()) < MAX_WEIGHTS_BYTES
    with pytest.raises(FileProblem, match="too large"):
        weights_from_npz(compressed.getvalue())
    with pytest.raises(FileProblem, match="arrays; a network has at most"):
        weights_from_npz(npz(**{f"W{i}": np.zeros((2, 2)) for i in range(MAX_ARRAYS + 1)}))
    with pytest.raises(FileProblem, match="at most"):
        config_from_json(b" " * (MAX_CONFIG_BYTES + 1))
    with pytest.raises(FileProblem, match="1 to 128 units"):
        weights_from_npz(npz(W0=np.zeros((2, 129)), b0=np.zeros(129)))


def test_damaged_archives_say_so(run):
    data = bytearray(weights_to_npz(run.network, run.config))
    data[200:260] = b"\xff" * 60  # inside the first member's data
    with pytest.raises(FileProblem):
        weights_from_npz(bytes(data))
    with pytest.raises(FileProblem):
        weights_from_npz(bytes(data[: len(data) // 2]))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2]", 'JSON object with "layers"'),
        ('{"layers": 3}', '"layers" must be a list'),
        ('{"layers": [{"W": [[1, 2], [3]], "b": [0, 0]}]}', "W0 is not a table of numbers"),
        ('{"layers": [{"W": [[1, 2]], "b": [0, 0], "c": 1}]}', "unexpected keys `c`"),
        ('{"layers": [{"W": [[1, NaN]], "b": [0, 0]}]}', "NaN, which is not a finite number"),
        ('{"layers": [{"W": [[1e999, 1]], "b": [0, 0]}]}', "NaN or infinite"),
        ('{"layers": [{"W": [["a", "b"]], "b": [0, 0]}]}', "not a table of numbers"),
        ('{"format": "keras", "layers": []}', "format is `keras`"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply|JSON object"),
        ("\xff\xfe", "not valid JSON|UTF-8"),
    ],
)
def test_bad_weights_json_is_named(text, message):
    with pytest.raises(FileProblem, match=message):
        weights_from_json(text.encode("latin-1") if text == "\xff\xfe" else text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not valid JSON"),
        ("[]", "JSON object of settings"),
        ('{"colour": "red"}', "names none of the settings"),
        ('{"config": [1]}', '"config" must be a JSON object'),
        ('{"format": "other", "config": {}}', "format is `other`"),
    ],
)
def test_bad_config_json_is_named(text, message):
    with pytest.raises(FileProblem, match=message):
        config_from_json(text)


def test_bad_config_values_are_left_out_and_named():
    config, notices = config_from_json(json.dumps({"config": {"hidden": [99], "dataset": 3, "noise": "loud"}}))
    assert config["hidden"] == (16,) and config["dataset"] == DEFAULTS["dataset"]
    assert len(notices) == 3 and "`dataset`" in notices[0] + notices[1] + notices[2]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise_anything_but_file_problem(data):
    for reader in (weights_from_npz, weights_from_json, config_from_json):
        try:
            reader(data)
        except FileProblem:
            pass


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_random_damage_to_a_real_file_is_caught(run, data):
    original = bytearray(weights_to_npz(run.network, run.config))
    for _ in range(data.draw(st.integers(1, 5))):
        original[data.draw(st.integers(0, len(original) - 1))] = data.draw(st.integers(0, 255))
    try:
        weights_from_npz(bytes(original))
    except FileProblem:
        pass


def test_a_number_of_thousands_of_digits_is_one_clear_message(run):
    """Python itself refuses to read integers over 4,300 digits with its own ValueError;
    an import says what is wrong in one sentence, in a config and inside a weights file."""
    huge = "9" * 5000
    document = json.loads(config_to_json(run.config))
    text = json.dumps(document).replace('"n_samples": 100', f'"n_samples": {huge}')
    assert huge in text
    with pytest.raises(FileProblem, match="a number of 5,000 digits"):
        read_import("config.json", text.encode())
    arrays = {**good_arrays(run), "config": np.array(text)}
    with pytest.raises(FileProblem, match="a number of 5,000 digits"):
        read_import("w.npz", npz(**arrays))
