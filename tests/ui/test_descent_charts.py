"""The gradient-descent chart builders: figure dicts that Plotly accepts, showing the
right numbers."""

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from engine.gradient_descent import OptimizerRace, linear_surface, one_weight_loss, one_weight_steps, sigmoid_surface
from ui.charts.descent import (
    MAX_VIEW,
    MINIMUM_COLOR,
    OPTIMIZER_COLORS,
    fit_figure,
    parabola_figure,
    parabola_view,
    surface_figure,
    surface_picture,
    weight_steps_figure,
)
from ui.live.figure_json import to_json


def valid(fig: dict) -> go.Figure:
    """Plotly's own validation of every property, and a JSON round trip."""
    json.loads(to_json(fig))
    return go.Figure(fig)


def trace(fig: dict, name: str) -> dict:
    """The trace ``name``: its ``meta`` where it has one (its legend text may say more), else its name."""
    return next(t for t in fig["data"] if t.get("meta", t.get("name")) == name)


def legend(fig: dict) -> list[str]:
    """The legend's entries, as the chart shows them."""
    assert fig["layout"]["showlegend"]
    shown = [t for t in fig["data"] if t.get("showlegend", True)]
    return [t["name"] for t in sorted(shown, key=lambda t: t.get("legendrank", 1000))]


def worked_example(n_steps: int, lr: float = 0.1):
    rows = one_weight_steps(n_steps, lr)
    weights = [5.0] + [r.new_w for r in rows]
    losses = [float(one_weight_loss(w)) for w in weights]
    return weights, losses


def test_parabola_at_the_start_shows_the_tangent_of_slope_8_and_the_first_step():
    weights, losses = worked_example(0)
    fig = parabola_figure(weights, losses, 8.0, 4.2, loss=one_weight_loss, answer=3.0)
    valid(fig)
    now = trace(fig, "now")
    assert (now["x"], now["y"]) == ([5.0], [8.0])
    tangent = trace(fig, "tangent")
    (x0, x1), (y0, y1) = tangent["x"], tangent["y"]
    assert (y1 - y0) / (x1 - x0) == 8.0
    assert 0.5 * (y0 + y1) == 8.0  # centred on the current point
    arrow = trace(fig, "next step")
    assert arrow["x"] == [5.0, 4.2] and arrow["y"][0] == arrow["y"][1] < 0  # along the axis, under the curve
    assert arrow["marker"]["symbol"] == "arrow" and arrow["marker"]["size"] == [0, 13]  # its head at w = 4.2
    curve = trace(fig, "loss L(w)")
    np.testing.assert_allclose(curve["y"], 0.5 * (2 * curve["x"] - 6) ** 2)
    # The chart names what it draws in its own legend, with this step's numbers (no label
    # beside the tangent that a narrow chart cuts off at its edge).
    assert legend(fig) == ["loss L(w)", "the weights so far", "tangent at w = 5: slope 8", "next step: w = 4.2"]
    assert [a["text"] for a in fig["layout"]["annotations"]] == ["w = 3"]


def test_parabola_without_a_next_step_has_no_arrow():
    weights, losses = worked_example(3)
    fig = parabola_figure(weights, losses, 2.88, None, loss=one_weight_loss, answer=3.0)
    valid(fig)
    assert "next step" not in [t.get("meta") for t in fig["data"]]
    assert not any(name.startswith("next step") for name in legend(fig))
    assert trace(fig, "the weights so far")["x"] == weights


def test_the_view_follows_a_diverging_path_but_not_for_ever():
    assert parabola_view([5.0], 3.0)[0] < 0 < 6 < parabola_view([5.0], 3.0)[1]
    weights, _ = worked_example(12, 0.55)  # factor −1.2: |w − 3| grows to 2·1.2¹² ≈ 18
    low, high = parabola_view(weights, 3.0)
    assert low <= min(weights) and high >= max(weights)
    low, high = parabola_view([5.0, 1e9], 3.0)
    assert high < 1e9 and high - 3.0 <= MAX_VIEW * 1.2


def test_weight_steps_figure():
    weights, _ = worked_example(4)
    fig = weight_steps_figure(weights, 3.0)
    valid(fig)
    w = trace(fig, "w")
    np.testing.assert_array_equal(w["x"], [0, 1, 2, 3, 4])
    np.testing.assert_allclose(w["y"][:3], [5.0, 4.2, 3.72])
    assert trace(fig, "answer")["y"] == [3.0, 3.0]
    (label,) = fig["layout"]["annotations"]  # the dashed line is labelled in its own colour
    assert label["text"] == "the answer w = 3" and label["y"] == 3.0
    assert label["font"]["color"] == trace(fig, "answer")["line"]["color"]


def test_surface_figure_draws_every_path_and_where_each_is_now():
    surface = linear_surface()
    race = OptimizerRace(surface, surface.start, 0.1).step(20)
    ws, bs, loss = surface.grid(30)
    paths = {n: race.path(n) for n in race.names}
    fig = surface_figure(ws, bs, surface_picture(loss), paths, surface.minimum())
    valid(fig)
    (picture,) = fig["layout"]["images"]
    assert picture["source"].startswith("data:image/png;base64,") and picture["layer"] == "below"  # under the paths
    assert picture["x"] < ws[0] and picture["x"] + picture["sizex"] > ws[-1]  # cell centres inside
    scale = trace(fig, "scale")["marker"]
    assert (scale["cmin"], scale["cmax"]) == pytest.approx((np.log10(loss).min(), np.log10(loss).max()))
    for name in race.names:
        line = trace(fig, name)
        assert line["line"]["color"] == OPTIMIZER_COLORS[name]
        assert len(line["x"]) == 21
    now = trace(fig, "now")
    assert now["text"] == [f"{name} now" for name in race.names]
    assert now["x"][0] == paths["sgd"][-1, 0] and now["y"][3] == paths["adam"][-1, 1]
    assert len(fig["data"]) == 2 + len(race.names) + 1  # few traces: a redraw costs per trace
    # The legend names each path and the star in the colours drawn: no ★ character in a title.
    assert legend(fig) == [*race.names, "the minimum"]
    star = trace(fig, "minimum")["marker"]
    assert (star["symbol"], star["color"]) == ("star", MINIMUM_COLOR)


def test_a_diverged_path_is_marked_where_it_stopped():
    surface = linear_surface()
    race = OptimizerRace(surface, surface.start, 1.0, escape=50.0).step(10)
    diverged = [n for n in race.names if race.diverged[n]]
    assert diverged == ["sgd", "momentum"]
    ws, bs, loss = surface.grid(30)
    paths = {n: race.path(n) for n in race.names}
    fig = surface_figure(ws, bs, surface_picture(loss), paths, surface.minimum(), diverged=diverged)
    valid(fig)
    assert legend(fig) == ["sgd (diverged)", "momentum (diverged)", "rmsprop", "adam", "the minimum"]
    assert trace(fig, "now")["marker"]["symbol"] == ["x", "x", "circle", "circle"]
    assert np.abs(trace(fig, "sgd")["x"]).max() <= 50 and np.abs(trace(fig, "sgd")["y"]).max() <= 50
    fit = fit_figure(
        surface.x, surface.y, {n: tuple(p[-1]) for n, p in paths.items()}, surface.predict, diverged=diverged
    )
    valid(fit)
    assert [trace(fit, n).get("visible") for n in race.names] == ["legendonly", "legendonly", True, True]
    assert legend(fit) == ["data", "sgd (diverged)", "momentum (diverged)", "rmsprop", "adam"]


def test_surface_picture_bands_and_lines():
    loss = 10.0 ** np.tile(np.linspace(0, 2, 40), (10, 1))  # log loss grows along w
    rgba, low, high = surface_picture(loss, bands=4)
    assert rgba.shape == (10, 40, 4) and rgba.dtype == np.uint8 and (low, high) == (0.0, 2.0)
    row = rgba[0, :, :3].astype(int).sum(axis=1)
    assert row[0] < row[-1]  # low loss darker than high loss
    dips = [i for i in range(1, 39) if row[i] < row[i - 1] and row[i] < row[i + 1]]
    assert len(dips) == 3  # a darker line where each band meets the next
    assert np.all(rgba[:, 0] == rgba[0, 0])  # the same along b


def test_long_paths_are_thinned_keeping_both_ends():
    ws, bs = np.linspace(-1, 1, 5), np.linspace(-1, 1, 5)
    path = np.column_stack([np.linspace(0, 1, 1000), np.linspace(1, 0, 1000)])
    fig = surface_figure(ws, bs, surface_picture(np.ones((5, 5))), {"sgd": path}, (0.0, 0.0))
    line = trace(fig, "sgd")
    assert len(line["x"]) <= 200
    assert (line["x"][0], line["x"][-1]) == (0.0, 1.0)
    assert trace(fig, "now")["x"] == [1.0]


def test_fit_figure_draws_each_neuron():
    linear = linear_surface()
    fig = fit_figure(linear.x, linear.y, {"sgd": (0.5, 1.0), "adam": (0.0, 0.0)}, linear.predict)
    valid(fig)
    sgd = trace(fig, "sgd")
    np.testing.assert_allclose(sgd["y"], 0.5 * sgd["x"] + 1.0)
    assert fig["layout"]["yaxis"]["range"][0] < linear.y.min() and fig["layout"]["yaxis"]["range"][1] > linear.y.max()
    sigmoid = sigmoid_surface()
    fig = fit_figure(sigmoid.x, sigmoid.y, {"sgd": (1.0, 0.0)}, sigmoid.predict)
    valid(fig)
    s = trace(fig, "sgd")
    np.testing.assert_allclose(s["y"], 1 / (1 + np.exp(-s["x"])))
    assert fig["layout"]["yaxis"]["range"] == [-0.1, 1.1]  # labels 0 and 1: probabilities


@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_the_race_sends_the_contours_encoded_once_as_the_chart_would_encode_them(theme_name):
    """A race frame takes the surface's contours encoded once per surface and theme
    (ui/descent/figures.surface_source): the very picture the chart encodes itself."""
    from contextvars import copy_context

    from ui.charts.colors import use
    from ui.descent.figures import surface_background, surface_source

    def both():
        use(theme_name)
        ws, bs, picture, minimum = surface_background("linear")
        paths = {"sgd": np.array([[0.0, 0.0], [0.5, 0.5]])}
        own = surface_figure(ws, bs, picture, paths, minimum)
        given = surface_figure(ws, bs, picture, paths, minimum, source=surface_source("linear", theme_name == "dark"))
        return own["layout"]["images"][0]["source"], given["layout"]["images"][0]["source"]

    own, given = copy_context().run(both)
    assert given == own
    assert surface_source("linear", theme_name == "dark") is surface_source("linear", theme_name == "dark")
