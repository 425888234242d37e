"""The neuron drawn (issue 14 §5): the diagram's numbers are the engine's for the input
point, and the perceptron shown one step at a time says what its run did."""

import json
import re

import numpy as np
import plotly.graph_objects as go
import pytest

from engine.neuron import neuron_output
from ui.charts.colors import BLUE, ORANGE
from ui.charts.neuron_diagram import number, scale_color
from ui.live import link
from ui.neuron import figures, text
from ui.neuron.config import DEFAULTS, SCHEMA
from ui.neuron.run import agree_epoch, build_perceptron, neuron_point, view_switched

NUMBER = r"(−?\d+\.\d{3})"


def diagram(config: dict) -> dict:
    (chart,) = [c for c in figures.neuron_charts(config) if c["id"] == "diagram"]
    return json.loads(chart["figure"])


def texts(fig: dict) -> list[str]:
    return [re.sub(r"</?b>", "", a["text"]) for a in fig["layout"]["annotations"]]


def value(fig: dict, pattern: str) -> float:
    """The one number the diagram writes after ``pattern`` (e.g. "z = ")."""
    found = [m.group(1) for t in texts(fig) for m in [re.fullmatch(re.escape(pattern) + NUMBER, t)] if m]
    assert len(found) == 1, (pattern, texts(fig))
    return float(found[0].replace("−", "-"))


CASES = [
    dict(DEFAULTS),
    dict(DEFAULTS, x1=-4.3, x2=2.7, w1=-1.2, w2=2.9, b=-0.5, activation="tanh"),
    dict(DEFAULTS, x1=6.0, x2=-6.0, w1=3.0, w2=-3.0, b=6.0, activation="relu"),
    dict(DEFAULTS, x1=0.0, x2=0.0, w1=0.0, w2=0.0, b=-1.0, activation="step"),
    dict(DEFAULTS, x1=2.2, x2=1.1, activation="linear"),
]


@pytest.mark.parametrize("config", CASES)
def test_the_diagrams_numbers_are_the_engines_for_the_point(config):
    fig = diagram(config)
    go.Figure(fig)  # Plotly accepts it
    x = np.array([[config["x1"], config["x2"]]])
    w = np.array([config["w1"], config["w2"]])
    z = float(x[0] @ w + config["b"])
    a = float(neuron_output(x, w, config["b"], config["activation"])[0])
    assert value(fig, "z = ") == pytest.approx(z, abs=5e-4)  # the link from Σ
    assert value(fig, "a = ") == pytest.approx(a, abs=5e-4)  # the output's box
    assert value(fig, "x₁ = ") == config["x1"] and value(fig, "x₂ = ") == config["x2"]
    assert value(fig, "w₁ = ") == config["w1"] and value(fig, "w₂ = ") == config["w2"]
    assert value(fig, "b = ") == config["b"]
    (sum_line,) = [t for t in texts(fig) if t.startswith("z = w₁·x₁ + w₂·x₂ + b = ")]
    assert sum_line.endswith(f"= {number(z)}")
    # the formula above the pictures writes the same z and a
    latex = text.neuron_latex(config)
    assert f"z = {number(z)}".replace("−", "-") in latex and latex.endswith(number(a).replace("−", "-"))


def test_the_links_are_coloured_by_sign_and_thick_by_size():
    fig = diagram(dict(DEFAULTS, w1=-2.0, w2=0.2, b=1.0))
    links = [t for t in fig["data"] if t["line"]["color"] in (BLUE, ORANGE)]
    assert [t["line"]["color"] for t in links] == [ORANGE, BLUE, BLUE]  # w₁ < 0; w₂, b > 0
    assert links[0]["line"]["width"] > links[2]["line"]["width"] > links[1]["line"]["width"]  # |−2| > |1| > |0.2|


def test_the_output_takes_the_colour_the_pictures_give_it():
    assert scale_color(0.0, (0.0, 1.0)) == ORANGE and scale_color(1.0, (0.0, 1.0)) == BLUE
    fig = diagram(DEFAULTS)  # a = σ(1.5) = 0.818 on sigmoid's scale [0, 1]
    (box,) = [s for s in fig["layout"]["shapes"] if s["type"] == "rect"]
    assert box["fillcolor"] == scale_color(neuron_point(DEFAULTS).a, (0.0, 1.0))


def test_the_point_is_marked_in_both_pictures():
    plane, surface = (json.loads(c["figure"]) for c in figures.neuron_charts(DEFAULTS)[:2])
    at = neuron_point(DEFAULTS)
    mark = next(t for t in plane["data"] if t.get("name") == "input (x₁, x₂)")
    assert (mark["x"], mark["y"]) == ([1.5], [-2.0])
    mark = next(t for t in surface["data"] if t.get("name") == "input (x₁, x₂)")
    assert (mark["x"], mark["y"], mark["z"]) == ([1.5], [-2.0], [at.a])  # on the surface, at its height


def test_the_point_is_in_the_link_and_validated():
    config = dict(DEFAULTS, x1=0.5, x2=-1.0)
    params = link.encode(SCHEMA, config)
    assert params == {"x1": "0.5", "x2": "-1"}
    assert link.decode(SCHEMA, params).config == config
    decoded = link.decode(SCHEMA, {"x1": "99", "x2": "abc"})
    assert decoded.config["x1"] == 6.0 and decoded.config["x2"] == DEFAULTS["x2"]
    assert any("x1" in n for n in decoded.notices) and any("x2" in n for n in decoded.notices)


def test_number_writes_three_decimals_with_a_true_minus():
    assert [number(v) for v in (1.5, -2.0, -0.0001, 0.81757)] == ["1.500", "−2.000", "0.000", "0.818"]


# ---- the perceptron, step by step ---------------------------------------------------------


def test_the_steps_that_move_the_line_are_found_both_ways():
    lesson = build_perceptron(DEFAULTS)
    wrong = np.flatnonzero(lesson.history.step_wrong) + 1  # the step numbers that updated w and b
    assert lesson.next_update(0) == wrong[0] and lesson.previous_update(wrong[0]) is None
    assert lesson.next_update(int(wrong[3])) == wrong[4] and lesson.previous_update(int(wrong[4])) == wrong[3]
    assert lesson.next_update(lesson.history.n_steps) is None  # converged: the last epoch made none
    assert lesson.previous_update(lesson.history.n_steps) == wrong[-1]


def test_each_step_says_what_the_run_did_in_its_numbers():
    lesson = build_perceptron(DEFAULTS)
    first_update = lesson.next_update(0)
    kind, said = text.step_text(lesson, first_update)
    step = lesson.step(first_update)
    assert kind == "warning" and step.wrong
    assert f"the point ({number(step.x[0])}, {number(step.x[1])}) of class {step.y} is on the wrong side" in said
    assert f"= ({number(step.w_after[0])}, {number(step.w_after[1])})" in said
    assert f"gives {number(step.b_before)} + 1.000·(1) = {number(step.b_after)}" in said
    assert f"to {number(step.z_after)}" in said
    correct = int(np.flatnonzero(~lesson.history.step_wrong)[0]) + 1
    kind, said = text.step_text(lesson, correct)
    assert kind == "info" and "on its correct side" in said and "changes nothing" in said
    kind, said = text.step_text(lesson, 0)
    assert kind == "info" and f"{int(lesson.history.errors[0])} of 100 points are on the wrong side" in said


def test_a_step_is_drawn_with_its_point_and_the_line_before_it():
    lesson = build_perceptron(DEFAULTS)
    update = lesson.next_update(5)
    line, errors = (json.loads(c["figure"]) for c in figures.perceptron_charts(lesson, 10, update))
    names = [t.get("name") for t in line["data"]]
    assert {"the point looked at", "the line before this step", "w·x + b = 0"} <= set(names)
    ring = line["data"][names.index("the point looked at")]
    np.testing.assert_allclose([ring["x"][0], ring["y"][0]], lesson.step(update).x)
    marker = next(t for t in errors["data"] if t["name"] == "step shown")
    assert marker["x"] == [update / 100, update / 100]  # between the epochs
    # a step that changed nothing draws no line before it
    correct = int(np.flatnonzero(~lesson.history.step_wrong)[0]) + 1
    line, _ = (json.loads(c["figure"]) for c in figures.perceptron_charts(lesson, 10, correct))
    assert "the line before this step" not in [t.get("name") for t in line["data"]]
    # step k·100 is the line after epoch k
    for k in (0, 3, 10):
        by_step, _ = figures.perceptron_charts(lesson, 10, k * 100)
        by_epoch, _ = figures.perceptron_charts(lesson, k)
        segment = [t for t in json.loads(by_step["figure"])["data"] if t.get("name") == "w·x + b = 0"]
        assert segment == [t for t in json.loads(by_epoch["figure"])["data"] if t.get("name") == "w·x + b = 0"]


def test_switching_the_view_keeps_the_line_and_new_data_start_at_step_0():
    lesson = build_perceptron(DEFAULTS)
    assert view_switched(dict(DEFAULTS, epoch=3), "point", lesson) == {"step": 300}
    assert view_switched(dict(DEFAULTS), "point", lesson) == {"step": 1000}  # the last epoch, 10
    assert view_switched(dict(DEFAULTS, step=357), "epoch", lesson) == {"epoch": 3}
    assert view_switched(dict(DEFAULTS, step=1000), "epoch", lesson) == {"epoch": 100}  # the last: the default
    xor = dict(DEFAULTS, data="xor", view="point", step=420)
    assert agree_epoch(dict(DEFAULTS, view="point", step=420), xor, build_perceptron(xor))["step"] == 0
    assert agree_epoch(DEFAULTS, dict(DEFAULTS, step=5000), lesson)["step"] == 1000  # past the run's end
