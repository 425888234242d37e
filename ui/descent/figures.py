"""The Gradient descent page's live panels: the worked example's two charts and stats, the
race's two charts and stats, as ``Frame``s of figure dicts. Pure: no Streamlit."""

from functools import cache

from engine.gradient_descent import SURFACES, behaviour, error_factor, one_weight_gradient, one_weight_loss
from ui.charts.descent import (
    OPTIMIZER_COLORS,
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

EXAMPLE_GRID = {"columns": "1.4fr 1fr"}
RACE_GRID = {"columns": "1.25fr 1fr"}


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


def example_frame(example: Example) -> Frame:
    parabola, weights = example_figures(example)
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


def race_stats(race: Race) -> str:
    optimizers = race.optimizers
    stats = [Stat("Step", str(optimizers.steps), "race-step")]
    for name in optimizers.names:
        diverged = optimizers.diverged[name]
        value = f"diverged at step {diverged}" if diverged else f"{optimizers.losses[name][-1]:.4f}"
        dot = f'<span style="color:{OPTIMIZER_COLORS[name]};font-size:1.1rem">●</span>'
        stats.append(Stat(f"{dot} {name} loss", value, f"race-loss-{name}"))
    return stats_line(stats)


def race_figures(race: Race) -> tuple[dict, dict]:
    """The paths over the loss surface, and each optimizer's neuron over the data."""
    optimizers = race.optimizers
    ws, bs, picture, minimum = surface_background(race.surface)
    paths = {n: optimizers.path(n) for n in optimizers.names}
    neuron = optimizers.surface
    now = {n: tuple(p[-1]) for n, p in paths.items()}
    return surface_figure(ws, bs, picture, paths, minimum), fit_figure(neuron.x, neuron.y, now, neuron.predict)


def race_frame(race: Race) -> Frame:
    """The race's frame; the map takes clicks (a new start)."""
    surface, fit = race_figures(race)
    charts = [
        chart("surface", surface, title=TITLES["surface"], clickable=True),
        chart("fit", fit, title=TITLES["fit"]),
    ]
    return Frame(charts, race_stats(race))
