"""The configuration in a link: every field round-trips, and no query string can crash it."""

from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.datasets import CLASSIFICATION, REGRESSION
from ui.live.link import (
    MAX_PARAMS,
    MAX_VALUE_CHARS,
    decode,
    encode,
    format_value,
    parse_value,
    query_string,
    quote,
    summary,
)
from ui.playground.config import CSV_DATASET, DEFAULTS, LECTURE_SPEED, MAX_HIDDEN_LAYERS, MAX_NEURONS, SCHEMA
from ui.playground.run import build_run, resolve_loss_and_output, why_not

FIELD = SCHEMA
FIELDS = SCHEMA.fields

# Two values other than the default for every field, at the edges where there are edges.
OTHER_VALUES = {
    "problem": ["regression"],
    "dataset": ["xor", "spiral5", "multi_gaussian", "csv"],
    "n_samples": [50, 2000, 1234],
    "noise": [50, 7],
    "train_percent": [10, 90, 33],
    "data_seed": [2**31 - 1, 12345],
    "features": [("x1",), ("x1", "x2", "x1_sq", "x2_sq", "x1x2", "sin_x1", "sin_x2", "cos_x1", "cos_x2")],
    "hidden": [(), (16,) * 8, (1, 3)],
    "activation": ["relu", "gelu", "step"],
    "loss": ["huber", "softmax_cross_entropy"],
    "output_activation": ["softmax", "linear"],
    "initializer": ["he", "zeros"],
    "init_seed": [7, 2**31 - 1],
    "batch_size": [1, 100, 33],
    "optimizer": ["adam", "momentum", "rmsprop"],
    "learning_rate": [1e-5, 10.0, 0.1, 0.003, 0.0123456789],
    "momentum": [0.0, 0.99, 0.5],
    "nesterov": [True],
    "beta1": [0.0, 0.999, 0.85],
    "beta2": [0.9999, 0.95],
    "rho": [0.999, 0.95],
    "regularization": ["l1", "l2"],
    "regularization_rate": [0.001, 10.0, 0.03],
    "show_test": [True],
    "discretize": [True],
    "log_scale": [True],
    "show_delta": [True],
    "show_health": [True],
    "health_colors": [True],
    "speed": ["max", "1", "10"],
    "trace": ["row:1", "1.5,-2", "-0.001,6", "row:2000"],
    "compare": ["learning_rate:0.3", "hidden:8;8,activation:relu", "hidden:none"],
}


def test_every_field_has_test_values():
    assert set(OTHER_VALUES) == {f.name for f in FIELDS}


def through_a_real_url(params: dict[str, str]) -> dict[str, list[str]]:
    """What a browser and Streamlit would hand back: the query string parsed again."""
    return parse_qs(urlsplit(f"http://host/?{query_string(params)}").query, keep_blank_values=True)


@pytest.mark.parametrize(("name", "value"), [(n, v) for n, vs in OTHER_VALUES.items() for v in vs])
def test_each_field_round_trips_through_a_url(name, value):
    config = dict(DEFAULTS, **{name: value})
    if name == "problem":
        config["dataset"] = "plane"  # the dataset follows the problem type
    if name == "dataset" and value in REGRESSION:
        config["problem"] = "regression"
    params = encode(SCHEMA, config)
    assert name in params  # a non-default value is written...
    assert all(config[k] != DEFAULTS[k] for k in params)  # ...and only non-default ones
    link = decode(SCHEMA, through_a_real_url(params))
    assert link.notices == ()
    assert link.config == config


def test_defaults_give_an_empty_query_and_an_empty_query_the_defaults():
    assert encode(SCHEMA, DEFAULTS) == {}
    assert decode(SCHEMA, {}).config == DEFAULTS and decode(SCHEMA, {}).notices == ()


def test_the_documented_format():
    config = dict(
        DEFAULTS,
        dataset="xor",
        hidden=(8, 8),
        learning_rate=0.1,
        features=("x2", "x1", "x1x2"),  # any order: written in the schema's
        show_test=True,
        regularization_rate=0.003,
        speed=LECTURE_SPEED,
    )
    params = encode(SCHEMA, config, hidden={"dataset", "hidden"}, present=True)
    assert query_string(params) == (
        "dataset=xor&features=x1,x2,x1x2&hidden=8,8&learning_rate=0.1&regularization_rate=0.003"
        "&show_test=1&dataset_hide=1&hidden_hide=1&present=1"
    )
    # Presentation mode starts at the lecture pace: another speed is written, the default too.
    assert encode(SCHEMA, DEFAULTS, present=True) == {"speed": DEFAULTS["speed"], "present": "1"}
    assert decode(SCHEMA, {"present": "1"}).config["speed"] == LECTURE_SPEED != DEFAULTS["speed"]
    assert decode(SCHEMA, {"present": "1", "speed": "max"}).config["speed"] == "max"
    assert format_value(SCHEMA, "hidden", ()) == "none" and format_value(SCHEMA, "learning_rate", 1e-5) == "1e-05"
    assert format_value(SCHEMA, "learning_rate", 10.0) == "10"
    link = decode(SCHEMA, params)
    assert link.hidden == {"dataset", "hidden"} and link.present and link.notices == ()


def test_out_of_range_values_are_clamped_to_the_widgets_limits_and_named():
    link = decode(
        SCHEMA,
        {
            "n_samples": "100000",
            "hidden": "40,0,3",
            "learning_rate": "99",
            "noise": "-5",
            "batch_size": "1000",
            "regularization_rate": "0.05",
            "momentum": "0.9999",
        },
    )
    c = link.config
    assert c["n_samples"] == FIELD["n_samples"].high == 2000
    assert c["hidden"] == (MAX_NEURONS, 1, 3)
    assert c["learning_rate"] == 10.0 and c["noise"] == 0 and c["batch_size"] == 100
    assert c["regularization_rate"] == 0.03 and c["momentum"] == 0.99
    assert len(link.notices) == 7
    text = " ".join(link.notices)
    for name in ("n_samples", "hidden", "learning_rate", "noise", "batch_size", "regularization_rate", "momentum"):
        assert f"`{name}`" in text


def test_more_than_the_allowed_layers_are_cut():
    link = decode(SCHEMA, {"hidden": ",".join(["3"] * 12)})
    assert link.config["hidden"] == (3,) * MAX_HIDDEN_LAYERS
    assert "first 8 layers" in link.notices[0]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"dataset": "mnist"}, "`dataset`: `mnist` is not one of its choices, ignored"),
        ({"learning_rate": "fast"}, "`learning_rate`: `fast` is not a number, ignored"),
        ({"learning_rate": "nan"}, "not a number"),
        ({"n_samples": "inf"}, "not a number"),
        ({"hidden": "4,two"}, "`hidden`: `4,two` is not neuron counts"),
        ({"hidden": "2.5"}, "not whole neuron counts"),
        ({"features": "bogus"}, "names none of"),
        ({"features": "x1,bogus"}, "unknown `bogus` left out"),
        ({"show_test": "maybe"}, "is not 1 or 0"),
        ({"present": "please"}, "`present`: `please` is not 1 or 0"),
        ({"color": "red"}, "`color` is not a setting, ignored"),
        ({"noise_hide": "yes please"}, "is not 1 or 0"),
        ({"dataset": ["xor", "spiral"]}, "given 2 times, the last one used"),
        ({"noise": "1" * (MAX_VALUE_CHARS + 1)}, "over 200 characters"),
        ({"n" * 100: "1"}, "name too long"),
        ({"problem": "regression", "dataset": "xor"}, "`xor` is a classification dataset"),
    ],
)
def test_unusable_parameters_are_named_once_each(params, words):
    link = decode(SCHEMA, params)
    assert len(link.notices) == 1, link.notices
    assert words in link.notices[0]


def test_repeated_values_use_the_last_and_lists_of_one_are_plain():
    assert decode(SCHEMA, {"dataset": ["xor", "spiral"]}).config["dataset"] == "spiral"
    assert decode(SCHEMA, {"dataset": ["xor"]}).config["dataset"] == "xor"


def test_problem_and_dataset_agree():
    assert decode(SCHEMA, {"problem": "regression"}).config["dataset"] == "plane"  # as the sidebar does
    assert decode(SCHEMA, {"dataset": "plane"}).config["problem"] == "regression"
    assert decode(SCHEMA, {"dataset": CSV_DATASET, "problem": "regression"}).config["problem"] == "regression"


def test_too_many_parameters_are_cut_with_one_notice():
    params = {f"p{i}": "1" for i in range(200)}
    link = decode(SCHEMA, params)
    assert link.notices[0] == f"{200 - MAX_PARAMS} parameters after the first {MAX_PARAMS} ignored"
    assert len(link.notices) == 1 + MAX_PARAMS


def test_notices_never_carry_markdown_or_html():
    link = decode(SCHEMA, {"[x](javascript:alert(1))": "1", "dataset": "<img src=x onerror=alert(1)>"})
    text = summary(link.notices)
    assert not set(text) & set("[]()<>!*_\\"), text
    assert "`?x??javascript:alert?1??`" in text
    assert quote("a`b") == "`a?b`"
    assert quote("x" * 50).endswith("…`")


def test_summary_is_one_sentence_and_bounded():
    text = summary([f"`p{i}` is not a setting, ignored" for i in range(20)])
    assert text.startswith("Some of the link's settings were not used as given:")
    assert text.endswith("and 12 more.")


def test_json_values_take_the_same_path():
    assert parse_value(SCHEMA, "hidden", [8, 8]) == ((8, 8), None)
    assert parse_value(SCHEMA, "features", ["x2", "x1"]) == (("x1", "x2"), None)
    assert parse_value(SCHEMA, "nesterov", True) == (True, None)
    assert parse_value(SCHEMA, "learning_rate", 0.1) == (0.1, None)
    with pytest.raises(ValueError):
        parse_value(SCHEMA, "hidden", {"layers": 2})
    with pytest.raises(ValueError):
        parse_value(SCHEMA, "dataset", None)


# ---- fuzzing ---------------------------------------------------------------------------

NAMES = [f.name for f in FIELDS] + [f"{f.name}_hide" for f in FIELDS] + ["present", "embed", ""]
TEXT = st.text(max_size=40) | st.sampled_from(["", "none", "0", "1", "-1", "1e309", "nan", "4,2", " 8 , 8 ", "x1,x2"])
VALUES = TEXT | st.lists(TEXT, max_size=3) | st.text(min_size=190, max_size=260)
PARAMS = st.dictionaries(st.sampled_from(NAMES) | st.text(max_size=70), VALUES, max_size=80)


def builds_or_says_why(config: dict) -> None:
    """build_run accepts the config, or refuses it with the sentence the page shows."""
    try:
        build_run(config)
    except ValueError as error:
        if config["dataset"] == CSV_DATASET:
            assert "CSV" in str(error)
            return
        dataset = (CLASSIFICATION | REGRESSION)[config["dataset"]](10, 0.0, 0)
        loss, output, _ = resolve_loss_and_output(
            dataset.problem, dataset.n_classes, config["loss"], config["output_activation"]
        )
        assert str(error) == why_not(dataset.problem, loss, output)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PARAMS)
def test_any_query_decodes_to_a_config_the_app_can_use(params):
    link = decode(SCHEMA, params)
    config = link.config
    assert set(config) == set(DEFAULTS)
    for f in FIELDS:  # every value valid for its field: re-reading it changes nothing
        assert parse_value(SCHEMA, f.name, format_value(SCHEMA, f.name, config[f.name]))[0] == config[f.name]
    assert link.hidden <= set(DEFAULTS)
    assert all(isinstance(n, str) and len(n) < 400 for n in link.notices)
    builds_or_says_why(config)
    assert decode(SCHEMA, encode(SCHEMA, config, link.hidden, link.present)) == type(link)(
        config, link.hidden, link.present
    )


def valid_value(f):
    if f.kind == "choice":
        return st.sampled_from(f.choices)
    if f.kind == "bool":
        return st.booleans()
    if f.kind == "int":
        return st.integers(int(f.low), int(f.high))
    if f.kind == "float":
        if f.values:
            return st.sampled_from(f.values)
        return st.floats(f.low, f.high, allow_nan=False)
    if f.kind == "keys":
        return st.lists(st.sampled_from(f.choices), min_size=1, unique=True).map(
            lambda keys: tuple(k for k in f.choices if k in keys)
        )
    if f.name == "compare":  # run B's settings, in their lasting form
        return st.sampled_from(["", "learning_rate:0.3", "hidden:8;8,activation:relu", "hidden:none,optimizer:adam"])
    if f.kind == "text":  # the traced point: a row, or a point in its lasting form
        number = st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: f"{v:g}")
        point = st.tuples(number, number).map(",".join)
        return st.just("") | st.integers(1, 2000).map(lambda n: f"row:{n}") | point
    return st.lists(st.integers(1, MAX_NEURONS), max_size=MAX_HIDDEN_LAYERS).map(tuple)


@st.composite
def configs(draw):
    config = {f.name: draw(valid_value(f)) for f in FIELDS}
    if config["dataset"] != CSV_DATASET:
        config["problem"] = "classification" if config["dataset"] in CLASSIFICATION else "regression"
    return config


@settings(max_examples=300, deadline=None)
@given(configs(), st.sets(st.sampled_from([f.name for f in FIELDS])), st.booleans())
def test_any_valid_config_round_trips_exactly(config, hidden, present):
    link = decode(SCHEMA, through_a_real_url(encode(SCHEMA, config, hidden, present)))
    assert link.notices == ()
    assert link.config == config
    assert link.hidden == hidden and link.present == present
