"""The Gradient descent page's state, callbacks and pieces (pages/gradient_descent.py lays
them out). Session-state keys come from ui.state.DescentKeys; the math from
engine.gradient_descent."""

import html
import math

import numpy as np
import streamlit as st

from engine.gradient_descent import (
    EXAMPLE_LR,
    EXAMPLE_TARGET,
    EXAMPLE_W0,
    EXAMPLE_X,
    RACE_OPTIMIZERS,
    SURFACES,
    OptimizerRace,
    behaviour,
    divergence_threshold,
    error_factor,
    one_weight_steps,
)
from ui.charts.descent import (
    OPTIMIZER_COLORS,
    fit_figure,
    parabola_figure,
    surface_figure,
    surface_picture,
    weight_steps_figure,
)
from ui.live_chart import chart
from ui.state import DescentKeys as K

ANSWER = EXAMPLE_TARGET / EXAMPLE_X  # the weight that makes the prediction right: 3
MAX_STEPS = 100  # rows of the worked example at most
FAR = 1e3  # |w − 3| above this counts as diverged (and Play stops)
TOLERANCE = 5e-5  # |w − 3| below this counts as converged: w shows as 3.0000
ONE_SPEEDS = (1, 2, 4, 8)  # steps per second
PRESETS = ((0.02, "slow"), (0.25, "one step"), (0.4, "zig-zag"), (0.5, "for ever"), (0.55, "diverges"))

RACE_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
RACE_SPEEDS = (5, 10, 20, 50)  # steps per second
MAX_RACE_STEPS = 400
SURFACE_LABELS = {"linear": "Linear neuron, squared error", "sigmoid": "Sigmoid neuron, cross-entropy"}
MAX_FPS = 20  # frames per second at most; faster speeds take several steps per frame


def frame_plan(steps_per_second: float) -> tuple[float, int]:
    """(seconds between frames, steps per frame) for a speed in steps per second: at most
    MAX_FPS frames a second, and exactly the speed asked for."""
    steps = max(1, math.ceil(steps_per_second / MAX_FPS - 1e-9))
    return steps / steps_per_second, steps


# ---- one weight ------------------------------------------------------------------------------


def one_state() -> dict:
    """The worked example's lasting state; also seeds its widgets after a page switch."""
    one = st.session_state.setdefault(K.ONE, {"learning_rate": EXAMPLE_LR, "steps": 0})
    st.session_state.setdefault(K.ONE_RATE, one["learning_rate"])
    st.session_state.setdefault(K.ONE_SPEED, 2)
    st.session_state.setdefault(K.ONE_PLAYING, False)
    if st.session_state.pop(K.ONE_PAUSE_REQUEST, False):
        st.session_state[K.ONE_PLAYING] = False
    return one


def one_rows(one: dict):
    return one_weight_steps(one["steps"], one["learning_rate"])


def one_outcome(rows) -> str | None:
    """``converged``, ``diverged``, ``limit`` (MAX_STEPS taken) or None (go on)."""
    if not rows:
        return None
    error = abs(rows[-1].new_w - ANSWER)
    if error < TOLERANCE:
        return "converged"
    if not np.isfinite(error) or error > FAR:
        return "diverged"
    return "limit" if len(rows) >= MAX_STEPS else None


def one_step() -> None:
    one = st.session_state[K.ONE]
    if one_outcome(one_rows(one)) is None:
        one["steps"] += 1


def one_reset() -> None:
    st.session_state[K.ONE]["steps"] = 0
    st.session_state[K.ONE_PLAYING] = False


def one_rate_changed() -> None:
    """A new learning rate is a new experiment: back to w = 5."""
    one = st.session_state[K.ONE]
    one["learning_rate"] = round(float(st.session_state[K.ONE_RATE]), 4)  # a slider's 0.5 is 0.5
    one["steps"] = 0


def one_preset(rate: float) -> None:
    st.session_state[K.ONE_RATE] = rate
    one_rate_changed()


def one_advance(one: dict, n: int) -> bool:
    """Take up to ``n`` steps; True when the run has just ended (Play should stop)."""
    for _ in range(n):
        if one_outcome(one_rows(one)) is not None:
            return True
        one["steps"] += 1
    return one_outcome(one_rows(one)) is not None


def threshold_text() -> str:
    lr_max = divergence_threshold(EXAMPLE_X)
    return (
        f"Each step multiplies the error w − {ANSWER:g} by 1 − lr·x² = 1 − {EXAMPLE_X * EXAMPLE_X:g}·lr. "
        f"Descent converges while |1 − lr·x²| < 1, that is for 0 < lr < 2/x² = **{lr_max:g}**, and "
        f"**diverges for every learning rate above {lr_max:g}**. At exactly lr = {lr_max:g} the factor is −1: "
        f"w jumps between {EXAMPLE_W0:g} and {2 * ANSWER - EXAMPLE_W0:g} for ever and the loss stays at "
        f"{0.5 * (EXAMPLE_W0 * EXAMPLE_X - EXAMPLE_TARGET) ** 2:g}: it neither converges nor diverges."
    )


BEHAVIOUR_TEXT = {
    "converges from one side": "w creeps towards 3 from one side; the smaller the rate, the slower",
    "converges in one step": "the first step lands exactly on w = 3",
    "converges, oscillating": "w overshoots, jumping from side to side, and closes in",
    "oscillates for ever": "w jumps between 5 and 1 for ever: no convergence, no divergence",
    "diverges": "every jump overshoots further than the last: the loss grows without bound",
    "no progress": "w does not move",
}


def stats_html(cells: list[tuple[str, str, str]]) -> str:
    """One line of labelled values, drawn by the live panel above its charts; ``cells``
    are (label, value, element id). Labels may hold our own markup, values are escaped."""
    return "".join(
        f'<div class="stat"><div class="stat-label">{label}</div>'
        f'<div class="stat-value" id="{key}">{html.escape(value)}</div></div>'
        for label, value, key in cells
    )


def one_stats(one: dict, rows) -> str:
    w = rows[-1].new_w if rows else EXAMPLE_W0
    loss = 0.5 * (w * EXAMPLE_X - EXAMPLE_TARGET) ** 2
    slope = EXAMPLE_X * (w * EXAMPLE_X - EXAMPLE_TARGET)
    lr = one["learning_rate"]
    return stats_html(
        [
            ("Step", str(len(rows)), "gd-step"),
            ("Weight w", f"{w:.4f}", "gd-w"),
            ("Loss", f"{loss:.4g}", "gd-loss"),
            ("Slope dL/dw", f"{slope:.4g}", "gd-slope"),
            (f"At lr = {lr:g} (factor {error_factor(lr):+.2f})", behaviour(lr), "gd-behaviour"),
        ]
    )


ONE_GRID = {"columns": "1.4fr 1fr"}
RACE_GRID = {"columns": "1.25fr 1fr"}


def one_charts(one: dict, rows) -> list[dict]:
    """The worked example's two charts, for its live panel."""
    parabola, weights = one_figures(one, rows)
    return [
        chart(
            "parabola", parabola, title="<b>The loss and its tangent</b>: the arrow under the curve is the next step"
        ),
        chart("weights", weights, title=f"<b>The weight after each step</b>; dashed: the answer w = {ANSWER:g}"),
    ]


def one_figures(one: dict, rows) -> tuple[dict, dict]:
    weights = [EXAMPLE_W0] + [r.new_w for r in rows]
    weights = [w for w in weights if np.isfinite(w)]
    losses = [0.5 * (w * EXAMPLE_X - EXAMPLE_TARGET) ** 2 for w in weights]
    w = weights[-1]
    slope = EXAMPLE_X * (w * EXAMPLE_X - EXAMPLE_TARGET)
    next_w = w - one["learning_rate"] * slope if one_outcome(rows) is None else None
    return (
        parabola_figure(weights, losses, slope, next_w, x=EXAMPLE_X, target=EXAMPLE_TARGET),
        weight_steps_figure(weights, ANSWER),
    )


def one_table(rows) -> dict:
    """The steps as table columns (newest last)."""
    return {
        "step": [r.step for r in rows],
        "w": [r.w for r in rows],
        "prediction w·x": [r.prediction for r in rows],
        "loss ½(w·x − 6)²": [r.loss for r in rows],
        "gradient x·(w·x − 6)": [r.gradient for r in rows],
        "new w = w − lr·gradient": [r.new_w for r in rows],
    }


def one_outcome_message(rows) -> tuple[str, str] | None:
    """(kind, text) saying how the run ended, kind one of success, error, info."""
    outcome = one_outcome(rows)
    if outcome == "converged":
        return "success", (
            f"Converged after {len(rows)} step(s): w = {rows[-1].new_w:.4f} (3 to four decimals). "
            "Press Reset to run it again."
        )
    if outcome == "diverged":
        return "error", (
            f"Diverged: after {len(rows)} steps w = {rows[-1].new_w:.4g}, ever farther from 3. "
            "Press Reset, and try a smaller rate."
        )
    if outcome == "limit":
        return "info", f"Stopped after {MAX_STEPS} steps: w = {rows[-1].new_w:.4f}. Press Reset to start again."
    return None


# ---- the optimizer race ---------------------------------------------------------------------


def race_state() -> OptimizerRace:
    """The race of this session (built on first use), its settings seeding the widgets."""
    settings = st.session_state.setdefault(K.RACE_SETTINGS, {"surface": "linear", "learning_rate": 0.1, "start": None})
    st.session_state.setdefault(K.RACE_SURFACE, settings["surface"])
    st.session_state.setdefault(K.RACE_RATE, settings["learning_rate"])
    st.session_state.setdefault(K.RACE_SPEED, 10)
    st.session_state.setdefault(K.RACE_PLAYING, False)
    if st.session_state.pop(K.RACE_PAUSE_REQUEST, False):
        st.session_state[K.RACE_PLAYING] = False
    if K.RACE not in st.session_state:
        new_race()
    return st.session_state[K.RACE]


@st.cache_data(show_spinner=False)
def surface_grid(name: str, n: int = 320):
    """The surface's grid ``ws``, ``bs``, its contour picture and its minimum: the same for
    every session, computed once."""
    surface = SURFACES[name]()
    ws, bs, loss = surface.grid(n)
    return ws, bs, surface_picture(loss), surface.minimum()


def new_race() -> None:
    """A fresh race from the settings (Reset, or a changed setting)."""
    settings = st.session_state[K.RACE_SETTINGS]
    surface = SURFACES[settings["surface"]]()
    start = settings["start"] or surface.start
    st.session_state[K.RACE] = OptimizerRace(surface, start, settings["learning_rate"], RACE_OPTIMIZERS)


def race_settings_changed() -> None:
    settings = st.session_state[K.RACE_SETTINGS]
    if st.session_state[K.RACE_SURFACE] != settings["surface"]:
        settings["start"] = None  # a start on one surface means nothing on another
    settings["surface"] = st.session_state[K.RACE_SURFACE]
    settings["learning_rate"] = st.session_state[K.RACE_RATE]
    new_race()


def race_step() -> None:
    race = st.session_state[K.RACE]
    if race.steps < MAX_RACE_STEPS:
        race.step()


def race_reset() -> None:
    new_race()
    st.session_state[K.RACE_PLAYING] = False


def race_start_at(w: float, b: float) -> bool:
    """Start the race again from a clicked point, if it lies on the drawn surface."""
    settings = st.session_state[K.RACE_SETTINGS]
    surface = st.session_state[K.RACE].surface
    if not (surface.w_range[0] <= w <= surface.w_range[1] and surface.b_range[0] <= b <= surface.b_range[1]):
        return False
    settings["start"] = (round(w, 3), round(b, 3))
    new_race()
    return True


def race_stats(race: OptimizerRace) -> str:
    cells = [("Step", str(race.steps), "race-step")]
    for name in race.names:
        loss = race.losses[name][-1]
        value = f"{loss:.4f}" + (f" (diverged at step {race.diverged[name]})" if race.diverged[name] else "")
        dot = f'<span style="color:{OPTIMIZER_COLORS[name]};font-size:1.1rem">●</span>'
        cells.append((f"{dot} {name} loss", value, f"race-loss-{name}"))
    return stats_html(cells)


def race_charts(race: OptimizerRace) -> list[dict]:
    """The race's two charts, for its live panel; the map takes clicks."""
    surface_fig, fit_fig = race_figures(race)
    return [
        chart(
            "surface",
            surface_fig,
            title="<b>The loss over (w, b)</b>: each optimizer's path; ★ the minimum",
            clickable=True,
        ),
        chart("fit", fit_fig, title="<b>The data and each optimizer's neuron now</b>"),
    ]


def race_figures(race: OptimizerRace) -> tuple[dict, dict]:
    name = st.session_state[K.RACE_SETTINGS]["surface"]
    ws, bs, picture, minimum = surface_grid(name)
    paths = {n: race.path(n) for n in race.names}
    surface = race.surface
    current = {n: tuple(p[-1]) for n, p in paths.items()}
    return (
        surface_figure(ws, bs, picture, paths, minimum),
        fit_figure(surface.x, surface.y, current, surface.activation),
    )
