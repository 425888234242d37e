"""The neuron page's words name only colours its pictures draw: a colour word in the text
is the name (``ui.charts.neuron.COLOR_NAMES``) of a colour some figure of the page uses."""

import json
import re

import numpy as np

from engine.neuron import NEURON_ACTIVATIONS
from ui.charts.neuron import COLOR_NAMES, DERIVATIVE_COLOR, F_COLOR
from ui.neuron import figures, text
from ui.neuron.config import DEFAULTS
from ui.neuron.run import build_perceptron, build_stack
from ui.playground.config import DEFAULTS as PLAYGROUND

COLOR_WORDS = (
    "black|white|gr[ae]y|red|orange|yellow|green|blue|purple|violet|pink|brown|cyan|magenta|teal|dark|light|pale"
)


def colors_in(obj) -> set[str]:
    """Every colour a figure dict uses: line, marker and colour-scale colours."""
    found = set()
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key in ("color", "arrowcolor") and isinstance(value, str):
                found.add(value.lower())
            elif key == "colorscale":
                found.update(c.lower() for _, c in value)
            else:
                found |= colors_in(value)
    elif isinstance(obj, list):
        for value in obj:
            found |= colors_in(value)
    return found


def page_figures() -> list[dict]:
    charts = []
    for activation in NEURON_ACTIVATIONS:
        charts += figures.neuron_charts(dict(DEFAULTS, activation=activation))
    for data in ("separable", "xor"):
        lesson = build_perceptron(dict(DEFAULTS, data=data))
        charts += figures.perceptron_charts(lesson, 1) + figures.perceptron_charts(lesson, lesson.history.epochs_run)
    for activation in ("linear", "tanh"):
        charts += figures.stack_charts(build_stack(dict(DEFAULTS, stack_activation=activation)))
    return [json.loads(c["figure"]) for c in charts] + [figures.gallery_figure()]


def page_text() -> list[str]:
    """Every sentence and title the page can show, with the page's own numbers."""
    out = [v for v in vars(text).values() if isinstance(v, str)]
    out += [f"{v} {d}" for v, d in text.FORMULAS.values()] + list(text.DATA_LABELS.values())
    for data in ("separable", "xor"):
        lesson = build_perceptron(dict(DEFAULTS, data=data))
        out += [text.perceptron_summary(lesson)[1], text.line_title(lesson.history.epochs_run)]
    for activation in ("linear", "tanh"):
        stack = build_stack(dict(DEFAULTS, stack_activation=activation))
        out += [text.stack_verdict(activation, stack)[1], text.product_latex(stack)]
    out += [text.xor_setup(dict(PLAYGROUND, hidden=(4,))), text.neuron_latex(DEFAULTS)]
    return out


def test_every_colour_named_on_the_page_is_drawn_by_its_pictures():
    drawn = set().union(*(colors_in(f) for f in page_figures()))
    names = {COLOR_NAMES[c] for c in COLOR_NAMES if c.lower() in drawn}
    allowed = {word for name in names for word in name.split()}
    said = {w.lower() for s in page_text() for w in re.findall(rf"\b({COLOR_WORDS})\b", s, flags=re.IGNORECASE)}
    assert said <= allowed, (said - allowed, allowed)


def test_the_gallery_names_the_colours_of_its_curves():
    gallery = figures.gallery_figure()
    f, derivative = gallery["data"][:2]
    assert (f["line"]["color"], derivative["line"]["color"]) == (F_COLOR, DERIVATIVE_COLOR)
    assert f"f(z) ({COLOR_NAMES[F_COLOR]})" in text.GALLERY_INTRO
    assert f"f′(z) ({COLOR_NAMES[DERIVATIVE_COLOR]}, dashed)" in text.GALLERY_INTRO
    assert derivative["line"]["dash"] == "dash"


def test_a_colour_word_the_pictures_do_not_draw_is_caught():
    """The check itself: the words the page once said and no picture drew."""
    drawn = set().union(*(colors_in(f) for f in page_figures()))
    allowed = {w for c in COLOR_NAMES if c.lower() in drawn for w in COLOR_NAMES[c].split()}
    for wrong in ("grey near zero", "the points on the wrong side (purple)"):
        said = {w.lower() for w in re.findall(rf"\b({COLOR_WORDS})\b", wrong)}
        assert not said <= allowed
    assert np.all([c.startswith("#") or c in ("white", "rgba(0,0,0,0)") for c in drawn]), drawn
