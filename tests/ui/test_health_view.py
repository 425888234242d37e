"""The health view's pure parts: the health chart, neurons outlined by health in the network
picture, the diagnosis in words (its numbers are the finding's, each kind has a fix that is
a valid setting) and the failure presets."""

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from engine.health import KINDS, Finding, UnitHealth
from ui.charts import network_figure
from ui.charts.health import MAX_POINTS, PANELS, health_figure, layer_colors
from ui.charts.network import HEALTH_OUTLINES, X_PITCH, Y_PITCH
from ui.live.figure_json import to_json
from ui.live.link import decode
from ui.playground import health
from ui.playground.config import DEFAULTS, SCHEMA
from ui.playground.figures import panel_grid, playground_figures
from ui.playground.run import build_run


def valid(fig: dict) -> go.Figure:
    json.loads(to_json(fig))
    return go.Figure(fig)


def stats_for(n_epochs: int, n_layers: int) -> dict:
    rng = np.random.default_rng(0)
    return {stat: [rng.random(n_epochs) for _ in range(n_layers)] for stat in health.HEALTH_STATS}


def test_health_figure_has_a_line_per_layer_in_every_panel_and_a_legend_naming_the_layers():
    names = ["hidden 1", "hidden 2", "output"]
    stats = stats_for(1000, 3)
    stats["grad_rms"][0][5] = np.nan  # a gap, never an error
    fig = health_figure(np.arange(1000), stats, names)
    valid(fig)
    lines = [t for t in fig["data"] if "fill" not in t and t["line"]["width"] > 0]
    assert len(lines) == len(PANELS) * 3  # a line per layer in each of the six panels
    legend = [t["name"] for t in fig["data"] if t.get("showlegend")]
    assert legend == names and fig["layout"]["showlegend"] is True
    colors = {t["name"]: t["line"]["color"] for t in lines}
    assert list(colors.values()) == layer_colors(3) and len(set(colors.values())) == 3  # one colour per layer
    assert all(len(t["x"]) <= MAX_POINTS and t["x"][-1] == 999 for t in lines)
    layout = fig["layout"]
    axes = {stat: layout["yaxis" + ("" if k == 0 else str(k + 1))] for k, (stat, _, _) in enumerate(PANELS)}
    assert all(axes[s]["type"] == "log" for s in ("grad_rms", "weight_rms", "update_ratio"))
    assert axes["dead_share"]["tickformat"] == ".0%" and axes["saturated_share"]["range"][1] > 1
    bands = [t for t in fig["data"] if t.get("fill") == "tonexty"]
    assert len(bands) == 3  # the activations' q10-q90 band of every layer
    titles = [a["text"] for a in layout["annotations"]]
    assert titles == [title for _, title, _ in PANELS]


def test_health_chart_of_a_run_draws_the_engines_numbers():
    run = build_run(dict(DEFAULTS, show_health=True))
    run.trainer.train(30)
    fig = health.health_chart(run)
    valid(fig)
    names = health.layer_names(run.network.sizes)
    assert names == ["hidden 1", "hidden 2", "output"]
    grad = next(t for t in fig["data"] if t["name"] == "hidden 1" and t["yaxis"] == "y")
    expected = run.trainer.health.column("grad_rms", 0)
    np.testing.assert_allclose(grad["y"][1:], expected[1:].astype(np.float32))
    np.testing.assert_array_equal(grad["x"], run.trainer.health.epochs())
    figures = playground_figures(run, ("health",), hover=False)
    assert figures["health"]["data"][0]["hoverinfo"] == "skip"
    assert "'health health'" in panel_grid(run)["areas"]
    off = build_run(DEFAULTS)
    assert playground_figures(off, ("health",))["health"] is None
    assert "health" not in panel_grid(off)["areas"]


def network_args():
    labels = [["X₁", "X₂"], ["h1.1", "h1.2", "h1.3"], ["ŷ"]]
    images = [[np.zeros((5, 5))] * n for n in (2, 3, 1)]
    W = [np.ones((2, 3)), np.ones((3, 1))]
    b = [np.zeros(3), np.zeros(1)]
    return labels, images, W, b, ["input", "hidden 1 · 3", "output"]


def test_network_figure_outlines_neurons_by_health_with_a_legend():
    plain = network_figure(*network_args())
    assert plain["layout"]["showlegend"] is False  # without the option: as before
    assert not any(t.get("name", "").startswith(("red", "purple")) for t in plain["data"])
    fig = network_figure(*network_args(), node_health=[[None, None], ["dead", None, "saturated"], [None]])
    valid(fig)
    legend = [t for t in fig["data"] if t.get("showlegend")]
    assert [t["name"] for t in legend] == [name for _, name in HEALTH_OUTLINES.values()]
    for trace, (_status, (color, name)) in zip(legend, HEALTH_OUTLINES.items()):
        assert trace["line"]["color"] == color and name.split(":")[0] in ("red", "purple")
        xs = [x for x in trace["x"] if x is not None]
        assert len(xs) == 5  # one closed square around the one node of that status
    dead = legend[0]
    assert min(dead["y"][:4]) < Y_PITCH < max(dead["y"][:4]) and min(dead["x"][:4]) < X_PITCH < max(dead["x"][:4])
    assert fig["layout"]["height"] > plain["layout"]["height"]  # room for the legend row
    healthy = network_figure(*network_args(), node_health=[[None] * 2, [None] * 3, [None]])
    assert [t["x"] for t in healthy["data"] if t.get("showlegend")] == [[None], [None]]  # named, none drawn


def test_node_health_follows_the_engines_units():
    run = build_run(dict(DEFAULTS, activation="relu"))
    run.trainer.units = UnitHealth(
        [np.array([True, False, False, False]), np.array([False, False])],
        [np.array([False, True, False, False]), np.array([False, False])],
        [np.array([3, -1, -1, -1]), np.array([-1, -1])],
    )
    assert health.node_health(run) == [[None, None], ["dead", "saturated", None, None], [None, None], [None]]
    run.trainer.units = None
    assert health.node_health(run) == [[None, None], [None] * 4, [None] * 2, [None]]


@pytest.mark.parametrize(
    ("value", "text"), [(31234.5, "3.1e4"), (0.5214, "0.521"), (4.2, "4.2"), (2.5e-5, "2.5e-5"), (0.0, "0")]
)
def test_numbers_are_written_short(value, text):
    assert health.num(value) == text


FINDINGS = {
    "divergence": (
        None,
        {
            "from_loss": 0.5214,
            "from_epoch": 3.0,
            "to_loss": 31234.5,
            "epochs": 12.0,
            "update_ratio": 4.2,
            "learning_rate": 3.0,
            "diverged_at": 16.0,
        },
    ),
    "vanishing": (0, {"ratio": 1.6e-5, "first": 3.7e-6, "last": 0.2366, "layers": 7.0}),
    "dead": (1, {"share": 0.75, "dead": 3.0, "units": 4.0, "since": 12.0}),
    "saturated": (0, {"share": 0.75, "saturated": 3.0, "units": 4.0}),
    "symmetry": (0, {"units": 4.0, "spread": 0.0}),
    "stalling": (None, {"epochs": 300.0, "loss": 0.4821, "start_loss": 0.5012, "accuracy": 0.55}),
    "overfitting": (
        None,
        {"best_test": 0.4461, "best_epoch": 84.0, "test_loss": 0.5004, "train_then": 0.3249, "train_now": 0.169},
    ),
}
SHOWN = {  # the numbers each text writes, and how
    "divergence": {"from_loss": "num", "from_epoch": "int", "to_loss": "num", "epochs": "int", "update_ratio": "num"},
    "vanishing": {"ratio": "num", "first": "num", "last": "num", "layers": "int"},
    "dead": {"share": "share", "dead": "int", "units": "int", "since": "int"},
    "saturated": {"share": "share", "saturated": "int", "units": "int"},
    "symmetry": {"units": "int"},
    "stalling": {"epochs": "int", "loss": "num", "start_loss": "num", "accuracy": "share"},
    "overfitting": {
        "best_test": "num",
        "best_epoch": "int",
        "test_loss": "num",
        "train_then": "num",
        "train_now": "num",
    },
}
WRITE = {"num": health.num, "int": lambda v: f"{int(v):,}", "share": health.share}


def assert_valid_fix(config: dict, fix: dict) -> None:
    assert fix
    new = {**config, **fix}
    for name, value in fix.items():
        assert SCHEMA.coerce(name, value) == value, (name, value)
    assert build_run(new).trainer.epoch == 0  # a setup that trains


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_said_with_the_findings_numbers_and_has_a_valid_fix(kind):
    assert set(FINDINGS) == set(KINDS)
    layer, numbers = FINDINGS[kind]
    config = dict(DEFAULTS, activation="relu" if kind == "dead" else "tanh")
    advice = health.advise(Finding(kind, layer, numbers), config, 3, converging=0.3)
    for name, how in SHOWN[kind].items():
        assert WRITE[how](numbers[name]) in advice.text, (name, advice.text)
    assert advice.title and advice.text.endswith(".")
    assert_valid_fix(config, advice.fix)
    assert advice.change in advice.applied
    if layer is not None and kind != "vanishing":
        assert f"hidden layer {layer + 1}" in advice.text


def test_the_fixes_each_kind_asks_for():
    config = dict(DEFAULTS)

    def fix(kind, cfg=config, **options):
        layer, numbers = FINDINGS[kind]
        return health.advise(Finding(kind, layer, numbers), cfg, 3, **options).fix

    assert fix("divergence", converging=0.3) == {"learning_rate": 0.3}
    assert fix("divergence", converging=None) == {"learning_rate": 0.003}  # ten times smaller than 0.03
    assert fix("vanishing") == {"activation": "relu", "initializer": "he"}
    assert fix("dead") == {"activation": "leaky_relu"}
    assert fix("dead", dict(config, learning_rate=3.0)) == {"activation": "leaky_relu", "learning_rate": 0.3}
    assert fix("saturated", from_start=True) == {"initializer": "xavier"}
    assert fix("saturated") == {"learning_rate": 0.01}
    assert fix("symmetry") == {"initializer": "uniform"}
    assert fix("stalling") == {"learning_rate": pytest.approx(0.09)}
    assert fix("stalling", dict(config, learning_rate=5.0)) == {"hidden": (8, 4)}
    assert fix("overfitting") == {"regularization": "l2", "regularization_rate": 0.003}
    regularized = dict(config, regularization="l2", regularization_rate=0.003)
    assert fix("overfitting", regularized) == {"n_samples": 1000}
    assert fix("overfitting", dict(regularized, n_samples=2000)) == {"regularization_rate": 0.01}
    for kind, cfg, options in (
        ("stalling", dict(config, learning_rate=5.0), {}),
        ("overfitting", regularized, {}),
        ("divergence", config, {"converging": None}),
    ):
        assert_valid_fix(cfg, fix(kind, cfg, **options))


def test_a_divergence_without_growth_says_where_it_stopped():
    numbers = dict(FINDINGS["divergence"][1], from_epoch=0.0, to_loss=0.5214, epochs=0.0, update_ratio=np.nan)
    text = health.advise(Finding("divergence", None, numbers), dict(DEFAULTS), 3, converging=0.3).text
    assert "grew" not in text and "not a number" not in text and "nan" not in text
    assert "at epoch 16 training diverged and stopped" in text and "try 0.3" in text


@pytest.mark.parametrize("name", list(health.PRESETS))
def test_presets_are_valid_configs_and_their_links_open_them(name):
    config = health.preset_config(name)
    assert config["show_health"] is True
    assert all(config[k] == SCHEMA.normal(k, v) for k, v in health.PRESETS[name][1].items())
    link = decode(SCHEMA, health.preset_params(name))
    assert link.notices == () and link.config == config
    assert health.preset_url(name).startswith("/?") and "show_health=1" in health.preset_url(name)
