"""The Gradient descent page's live panels: the worked example's two charts and stats, the
race's two charts and stats, as ``Frame``s of figure dicts. Pure: no Streamlit."""

from functools import cache

from engine.gradient_descent import SURFACES, behaviour, error_factor, one_weight_gradient, one_weight_loss
from ui.charts.colors import theme
from ui.charts.descent import (
    OPTIMIZER_COLORS,
    contour_source,
    fit_figure,
    parabola_figure,
    surface_figure,
    surface_picture,
    weight_steps_figure,
)
from ui.descent.run import ANSWER, Example, Race
from ui.descent.text import TITLES
from ui.live.panel import Frame, chart
from ui.live.stats import Stat, stats_line

EXAMPLE_GRID = {"columns": "1.6fr 1fr"}
RACE_GRID = {"columns": "1.25fr 1fr"}
# Presentation mode (a projector): the worked example's pictures taller, all chart text larger.
PROJECTOR_FONT = 16
PROJECTOR_EXAMPLE_HEIGHT = 400


def projected(figure: dict, height: int | None = None) -> dict:
    """``figure`` for a projector: its text (and legend) at PROJECTOR_FONT, ``height`` if given."""
    layout = figure["layout"]
    layout["font"] = {**layout.get("font", {}), "size": PROJECTOR_FONT}
    if "legend" in layout:
        layout["legend"] = {**layout["legend"], "font": {"size": PROJECTOR_FONT - 1}}
    if height:
        layout["height"] = height
    return figure


# ---- one weight ------------------------------------------------------------------------------


def example_stats(example: Example) -> str:
    w, lr = example.weight, example.learning_rate
    return stats_line(
        [
            Stat("Step", str(len(example.rows)), "gd-step"),
            Stat("Weight w", f"{w:.4f}", "gd-w"),
            Stat("Loss", f"{float(one_weight_loss(w)):.4g}", "gd-loss"),
            Stat("Slope dL/dw", f"{float(one_weight_gradient(w)):.4g}", "gd-slope"),
            Stat(f"At lr = {lr:g} (factor {error_factor(lr):+.2f})", behaviour(lr), "gd-behaviour"),
        ]
    )


def example_figures(example: Example) -> tuple[dict, dict]:
    """The parabola with the tangent and the next step, and the weight after each step."""
    weights = example.weights()
    w = weights[-1]
    slope = float(one_weight_gradient(w))
    next_w = w - example.learning_rate * slope if example.outcome() is None else None
    losses = [float(one_weight_loss(v)) for v in weights]
    return (
        parabola_figure(weights, losses, slope, next_w, loss=one_weight_loss, answer=ANSWER),
        weight_steps_figure(weights, ANSWER),
    )


def example_frame(example: Example, *, projector: bool = False) -> Frame:
    """The worked example's frame (``projector``: for presentation mode, see ``projected``)."""
    parabola, weights = example_figures(example)
    if projector:
        parabola, weights = (projected(f, PROJECTOR_EXAMPLE_HEIGHT) for f in (parabola, weights))
    charts = [
        chart("parabola", parabola, title=TITLES["parabola"]),
        chart("weights", weights, title=TITLES["weights"]),
    ]
    return Frame(charts, example_stats(example))


def example_table(example: Example) -> dict:
    """The steps as table columns (newest last)."""
    rows = example.rows
    return {
        "step": [r.step for r in rows],
        "w": [r.w for r in rows],
        "prediction w·x": [r.prediction for r in rows],
        "loss ½(w·x − 6)²": [r.loss for r in rows],
        "gradient x·(w·x − 6)": [r.gradient for r in rows],
        "new w = w − lr·gradient": [r.new_w for r in rows],
    }


# ---- the optimizer race ----------------------------------------------------------------------


@cache
def surface_background(name: str, n: int = 320):
    """The surface's grid ``ws``, ``bs``, its contour picture and its minimum: the same for
    every session, computed once per surface."""
    neuron = SURFACES[name]()
    ws, bs, loss = neuron.grid(n)
    return ws, bs, surface_picture(loss), neuron.minimum()


@cache
def surface_source(name: str, dark: bool) -> str:
    """The surface's contour picture as its chart sends it, encoded once per surface and
    theme (the same for every session): every race frame would otherwise encode it anew."""
    return contour_source(surface_background(name)[2], dark)


def loss_text(loss: float) -> str:
    """A loss as the stats line shows it: four decimals, whole numbers from 1,000 on."""
    return f"{loss:.4f}" if loss < 1000 else f"{loss:,.0f}"


def dot(color: str) -> str:
    """A round mark in ``color``, drawn by CSS (no character a font may lack)."""
    return (
        f'<span style="display:inline-block;width:0.7em;height:0.7em;border-radius:50%;'
        f'background:{color};vertical-align:baseline"></span>'
    )


def race_stats(race: Race) -> str:
    optimizers = race.optimizers
    stats = [Stat("Step", str(optimizers.steps), "race-step")]
    for name in optimizers.names:
        diverged = optimizers.diverged[name]
        value = f"diverged at step {diverged}" if diverged else loss_text(optimizers.losses[name][-1])
        stats.append(Stat(f"{dot(OPTIMIZER_COLORS[name])} {name} loss", value, f"race-loss-{name}"))
    return stats_line(stats)


def race_figures(race: Race) -> tuple[dict, dict]:
    """The paths over the loss surface, and each optimizer's neuron over the data (a
    diverged one's where its path stopped)."""
    optimizers = race.optimizers
    ws, bs, picture, minimum = surface_background(race.surface)
    paths = {n: optimizers.path(n) for n in optimizers.names}
    neuron = optimizers.surface
    now = {n: tuple(p[-1]) for n, p in paths.items()}
    diverged = race.diverged()
    return (
        surface_figure(
            ws, bs, picture, paths, minimum, diverged=diverged, source=surface_source(race.surface, theme().dark)
        ),
        fit_figure(neuron.x, neuron.y, now, neuron.predict, diverged=diverged),
    )


def race_frame(race: Race, *, projector: bool = False) -> Frame:
    """The race's frame; the map takes clicks (a new start). ``projector``: see ``projected``."""
    surface, fit = race_figures(race)
    if projector:
        surface, fit = projected(surface), projected(fit)
    charts = [
        chart("surface", surface, title=TITLES["surface"], clickable=True),
        chart("fit", fit, title=TITLES["fit"]),
    ]
    return Frame(charts, race_stats(race))
