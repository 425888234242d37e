"""The Gradient descent page: one weight by hand, then four optimizers on a neuron's
(w, b) loss surface. Each part has its own Play loop: a fragment that reruns on a timer
while its toggle is on and redraws its charts in place (ui/live_chart.py)."""

import streamlit as st

from engine.gradient_descent import EXAMPLE_TARGET, EXAMPLE_W0, EXAMPLE_X
from ui import descent_page as gd
from ui.live_chart import forget_sent, live_panel
from ui.live_loop import let_update_leave
from ui.state import DescentKeys as K

one = gd.one_state()
gd.race_state()

st.title("Gradient descent")
st.caption("How a network learns: measure the slope of the loss, take a small step downhill, repeat.")

# ---- one weight ------------------------------------------------------------------------------

st.header("One weight, one example")
st.markdown(
    f"A neuron without bias predicts **ŷ = w·x**. On one example, x = {EXAMPLE_X:g} with target "
    f"t = {EXAMPLE_TARGET:g}, the loss **L(w) = ½(w·x − t)²** is a parabola with its lowest point at "
    f"w = {gd.ANSWER:g}. Its slope **dL/dw = x·(w·x − t)** says which way is uphill, so each step goes the "
    f"other way: **w ← w − lr · dL/dw**. We start at w = {EXAMPLE_W0:g}, where the slope is "
    f"{EXAMPLE_X * (EXAMPLE_W0 * EXAMPLE_X - EXAMPLE_TARGET):g}."
)
play, step, reset, rate, speed = st.columns([0.9, 0.9, 0.9, 3.2, 1.8], vertical_alignment="bottom")
play.toggle("Play", key=K.ONE_PLAYING, help="Take a step every tick; it stops by itself at the end")
finished = gd.one_outcome(gd.one_rows(one)) is not None
step.button("Step", key=K.ONE_STEP, on_click=gd.one_step, disabled=finished, width="stretch")
reset.button("Reset", key=K.ONE_RESET, on_click=gd.one_reset, help="Back to w = 5", width="stretch")
rate.slider(
    "Learning rate lr",
    0.01,
    0.6,
    step=0.01,
    key=K.ONE_RATE,
    on_change=gd.one_rate_changed,
    help="A new rate starts again from w = 5",
)
speed.select_slider("Steps per second", gd.ONE_SPEEDS, key=K.ONE_SPEED)
presets = st.container(horizontal=True, vertical_alignment="center")
presets.markdown("Try:")
for value, label in gd.PRESETS:
    presets.button(f"{value:g} · {label}", key=K.preset(value), on_click=gd.one_preset, args=(value,))
st.info(gd.threshold_text(), icon="📐")


def one_interval() -> float | None:
    return 1.0 / st.session_state[K.ONE_SPEED] if st.session_state.get(K.ONE_PLAYING) else None


@st.fragment(run_every=one_interval())
def one_weight_live() -> None:
    """A step per tick while playing; the stats, both charts and the table, redrawn."""
    one = st.session_state[K.ONE]
    if st.session_state.get(K.ONE_PLAYING) and gd.one_advance(one, 1):
        st.session_state[K.ONE_PAUSE_REQUEST] = True  # the toggle exists: the full run switches it off
        st.rerun(scope="app")
    rows = gd.one_rows(one)
    live_panel(gd.one_charts(one, rows), key=K.ONE_PANEL, stats=gd.one_stats(one, rows), grid=gd.ONE_GRID)
    message = gd.one_outcome_message(rows)
    if message:
        getattr(st, message[0])(message[1])
    lr = one["learning_rate"]
    st.markdown(f"**Every step as a row** (lr = {lr:g}: {gd.BEHAVIOUR_TEXT[gd.behaviour(lr)]})")
    if rows:
        st.dataframe(gd.one_table(rows), hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 460))
    else:
        st.caption("Press Step or Play: each step adds a row.")
    let_update_leave(bool(st.session_state.get(K.ONE_PLAYING)))


forget_sent(K.ONE_PANEL)  # a full run: the panel may be new in the browser
one_weight_live()

# ---- two parameters ---------------------------------------------------------------------------

st.divider()
st.header("Two parameters: a neuron's weight and bias")
st.markdown(
    "Give the neuron a bias, **ŷ = f(w·x + b)**, and fit it to a small data set: the loss now depends on two "
    "numbers, so it is a landscape over the (w, b) plane, drawn as contour lines of equal loss. Four optimizers "
    "start from the same point with the same learning rate and step together: **sgd** follows the slope, "
    "**momentum** builds up speed, **rmsprop** and **adam** divide each step by the recent size of the gradient. "
    "Click the map to start from another point."
)
play, step, reset, surface, rate, speed = st.columns([0.9, 0.9, 0.9, 2.4, 2.2, 1.8], vertical_alignment="bottom")
play.toggle("Play", key=K.RACE_PLAYING, help="Step all four every tick")
step.button("Step", key=K.RACE_STEP, on_click=gd.race_step, width="stretch")
reset.button("Reset", key=K.RACE_RESET, on_click=gd.race_reset, help="Back to the start", width="stretch")
surface.selectbox(
    "Neuron and data",
    tuple(gd.SURFACE_LABELS),
    key=K.RACE_SURFACE,
    format_func=gd.SURFACE_LABELS.get,
    on_change=gd.race_settings_changed,
)
rate.select_slider("Learning rate", gd.RACE_RATES, key=K.RACE_RATE, on_change=gd.race_settings_changed)
speed.select_slider("Steps per second", gd.RACE_SPEEDS, key=K.RACE_SPEED)


def race_interval() -> float | None:
    playing = st.session_state.get(K.RACE_PLAYING)
    return gd.frame_plan(st.session_state[K.RACE_SPEED])[0] if playing else None


@st.fragment(run_every=race_interval())
def race_live() -> None:
    """Steps all four optimizers while playing; the losses, the map and the fits redrawn."""
    race = st.session_state[K.RACE]
    if st.session_state.get(K.RACE_PLAYING):
        per_frame = gd.frame_plan(st.session_state[K.RACE_SPEED])[1]
        race.step(min(per_frame, gd.MAX_RACE_STEPS - race.steps))
        if race.steps >= gd.MAX_RACE_STEPS:
            st.session_state[K.RACE_PAUSE_REQUEST] = True
            st.rerun(scope="app")
    result = live_panel(gd.race_charts(race), key=K.RACE_PANEL, stats=gd.race_stats(race), grid=gd.RACE_GRID)
    click = getattr(result, "click", None)
    if click and click.get("chart") == "surface" and gd.race_start_at(float(click["x"]), float(click["y"])):
        st.rerun(scope="fragment")  # this run's pictures were drawn before the click was read
    if race.steps >= gd.MAX_RACE_STEPS:
        st.info(f"Stopped after {gd.MAX_RACE_STEPS} steps. Press Reset, or click the map, to race again.")
    let_update_leave(bool(st.session_state.get(K.RACE_PLAYING)))


forget_sent(K.RACE_PANEL)
race_live()

with st.expander("The four update rules (g is the gradient, lr the learning rate)"):
    st.markdown(
        "- **sgd**: p ← p − lr·g\n"
        "- **momentum** (0.9): v ← 0.9·v + g;  p ← p − lr·v\n"
        "- **rmsprop** (ρ = 0.9): s ← ρ·s + (1 − ρ)·g²;  p ← p − lr·g / (√s + ε)\n"
        "- **adam** (β₁ = 0.9, β₂ = 0.999): m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  "
        "p ← p − lr·m̂ / (√v̂ + ε), with m̂, v̂ corrected for starting at 0\n\n"
        "These are the engine's optimizers, the same the Playground trains with. rmsprop and adam take steps "
        "of about lr whatever the slope, so on a flat plateau they move where sgd crawls, and near the "
        "minimum they keep jittering unless lr is small."
    )
