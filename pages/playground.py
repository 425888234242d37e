"""The Playground page: pick data, features and a network, press Play, watch it learn.

Widgets live in the sidebar (ui/playground_controls.py); the pictures update in place
inside one fragment that reruns every frame while Play is on (see ui/live_chart.py).
"""

import numpy as np
import streamlit as st

from engine.csv_data import load_csv
from ui import playground_controls as controls
from ui.explanations import EXPLANATIONS
from ui.live_chart import chart, forget_sent, live_panel
from ui.live_loop import frame_budget, run_every, training_lock
from ui.playground_figures import playground_figures
from ui.playground_run import add_point, apply_live_settings, build_run, set_weights_table, train, weights_table
from ui.state import CSV_DATASET, DEFAULTS, SPEEDS, Keys, reset_needed


def uploaded_csv():
    """The uploaded CSV as UserData (parsed once per file), or None; errors go to the sidebar."""
    file = st.session_state.get(Keys.CSV)
    if file is None:
        return None
    cached = st.session_state.get(Keys.CSV_ERROR)
    if cached and cached[0] == file.file_id:
        return cached[1]
    try:
        data = load_csv(file.getvalue())
    except ValueError as error:
        st.sidebar.error(f"That file cannot be used: {error}")
        data = None
    st.session_state[Keys.CSV_ERROR] = (file.file_id, data)
    return data


def sync_run(config: dict) -> None:
    """Keep the session's run in step with the config: a new network when data,
    features or architecture changed (and say so), live settings otherwise."""
    run = st.session_state.get(Keys.RUN)
    csv = uploaded_csv() if config["dataset"] == CSV_DATASET else None
    changed = reset_needed(run.config, config) if run is not None else ["start"]
    if run is not None and csv is not getattr(run, "csv", None) and config["dataset"] == CSV_DATASET:
        changed = changed or ["your CSV file"]
    if not changed:
        apply_live_settings(run, config)
        return
    try:
        new_run = build_run(config, csv)
        new_run.csv = csv
        st.session_state[Keys.RUN] = new_run
        st.session_state[Keys.CSV_ERROR + ".build"] = None
        if run is not None:
            st.session_state[Keys.NOTICE] = f"Training restarted from epoch 0: {', '.join(changed).lower()} changed."
    except ValueError as error:
        st.session_state[Keys.RUN] = None
        st.session_state[Keys.CSV_ERROR + ".build"] = str(error)
        st.session_state[Keys.PLAYING] = False


def step() -> None:
    run = st.session_state.get(Keys.RUN)
    if run is not None:
        with training_lock():
            train(run, 1)


def reset() -> None:
    """Back to epoch 0 with the same seed, hence the very same initial weights."""
    run = st.session_state.get(Keys.RUN)
    if run is not None:
        fresh = build_run(run.config, getattr(run, "csv", None))
        fresh.csv = getattr(run, "csv", None)
        st.session_state[Keys.RUN] = fresh
    st.session_state[Keys.PLAYING] = False


def run_bar() -> None:
    play, step_col, reset_col, speed_col, _ = st.columns([1.1, 0.9, 0.9, 2.2, 3], vertical_alignment="center")
    play.toggle("Play", key=Keys.PLAYING, help="Train continuously; switch off to pause")
    step_col.button("Step", on_click=step, help="Train one epoch", width="stretch")
    reset_col.button("Reset", on_click=reset, help="Back to epoch 0 with the same initial weights", width="stretch")
    speed_col.select_slider("Speed (epochs per frame)", SPEEDS, key=Keys.widget("speed"))


def stats_line(run) -> str:
    """Epoch, losses and accuracies as one line of HTML (drawn inside the live panel)."""
    h = run.trainer.history
    items = [
        ("Epoch", f"{run.trainer.epoch:,}", "epoch"),
        ("Training loss", f"{h.train_loss[-1]:.4f}", "train-loss"),
        ("Test loss", f"{h.test_loss[-1]:.4f}", "test-loss"),
    ]
    if h.train_accuracy:
        items += [
            ("Training accuracy", f"{h.train_accuracy[-1]:.1%}", "train-accuracy"),
            ("Test accuracy", f"{h.test_accuracy[-1]:.1%}", "test-accuracy"),
        ]
    return "".join(
        f'<div class="stat"><div class="stat-label">{label}</div>'
        f'<div class="stat-value" id="stat-{key}">{value}</div></div>'
        for label, value, key in items
    )


TITLES = {
    "network": "<b>The network</b>: every neuron's output over the input plane",
    "output": "<b>The output</b>: the prediction over the input plane, and the data",
    "loss": "<b>Loss</b> per epoch: training (black), test (orange); dotted: accuracy (right axis)",
    "weights": "<b>The weight matrices</b>: rows are the neurons the connections come from, columns those they go to",
}
GRID = {"columns": "1.25fr 1fr", "areas": "'network output' 'network loss' 'weights weights'"}
GRID_WITHOUT_PLANE = {"columns": "1.25fr 1fr", "areas": "'network loss' 'weights weights'"}


def explanations() -> None:
    """The "What am I looking at?" texts, folded away, under the pictures."""
    st.markdown("**What am I looking at?**")
    for column, (name, title) in zip(
        st.columns(4),
        (("network", "The network"), ("output", "The output"), ("loss", "The loss"), ("weights", "The weights")),
    ):
        with column.expander(title):
            st.markdown(EXPLANATIONS[name])


# While playing, the loss curve and the weight matrices are rebuilt every few frames only:
# they change slowly, and each redraw costs the browser as much as the network picture.
EVERY = {"network": 1, "output": 1, "loss": 3, "weights": 2}


def frame_figures(run, *, playing: bool) -> dict:
    """This frame's figures; while playing, slow pictures reuse the last frame's."""
    run.frame = getattr(run, "frame", -1) + 1
    cache = getattr(run, "figures", {})
    due = [name for name, every in EVERY.items() if not playing or run.frame % every == 0 or name not in cache]
    run.figures = {**cache, **playground_figures(run, due)}
    return run.figures


@st.fragment(run_every=run_every(st.session_state.get(Keys.PLAYING, False)))
def live_pictures() -> None:
    """Trains one frame's worth (while playing) and redraws every picture in place."""
    run = st.session_state.get(Keys.RUN)
    if run is None:
        return
    if st.session_state.get(Keys.PLAYING) and run.diverged is None:
        speed = run.config["speed"]
        with training_lock():
            train(run, 10**6 if speed == "max" else int(speed), frame_budget())
        if run.diverged:
            # The toggle exists already in this run, so its value cannot change here: ask
            # the full rerun to switch it off before it draws the toggle.
            st.session_state[Keys.PAUSE_REQUEST] = True
            st.rerun(scope="app")
    if run.diverged:
        st.error(run.diverged, icon="⚠️")
    figures = frame_figures(run, playing=bool(st.session_state.get(Keys.PLAYING)))
    drawing = bool(st.session_state.get(Keys.DRAW_MODE))
    charts = [
        chart(name, figures[name], title=TITLES[name], clickable=drawing and name == "output")
        for name in ("network", "output", "loss", "weights")
        if figures[name] is not None
    ]
    grid = GRID if figures["output"] is not None else GRID_WITHOUT_PLANE
    result = live_panel(charts, key=Keys.LIVE_PANEL, stats=stats_line(run), grid=grid)
    click = getattr(result, "click", None)
    if drawing and click and click.get("chart") == "output":
        add_point(run, float(click["x"]), float(click["y"]), st.session_state.get(Keys.CLASS_TO_DRAW, 1))


def draw_controls(run, container) -> None:
    """'Draw your own points': a click on the output picture adds a point of this class."""
    container.toggle("Draw points by clicking the output", key=Keys.DRAW_MODE)
    if not st.session_state.get(Keys.DRAW_MODE):
        return
    if run.n_classes:
        container.segmented_control(
            "Class of new points",
            list(range(run.n_classes)),
            key=Keys.CLASS_TO_DRAW,
            default=1,
            format_func=lambda c: f"class {c}",
        )
    else:
        container.slider("Value of new points", -1.0, 1.0, 0.5, key=Keys.CLASS_TO_DRAW)


def weight_editor(run) -> None:
    """Edit a weight matrix in a table; the output changes at once."""
    with st.expander("Edit the weights"):
        if st.session_state.get(Keys.PLAYING):
            st.info("Pause to edit the weights.")
            return
        net = run.network
        layer = st.selectbox(
            "Layer",
            range(net.n_layers),
            key=Keys.EDIT_LAYER,
            format_func=lambda i: f"W{i + 1} and b{i + 1}: {net.sizes[i]} → {net.sizes[i + 1]}",
        )
        table = weights_table(run, layer)
        version = st.session_state.get(Keys.EDIT_LAYER + ".version", 0)
        edited = st.data_editor(table, key=f"{Keys.EDIT_LAYER}.table.{layer}.{version}", width="stretch")
        st.caption("Rows: the neurons the connections come from, then the bias; columns: the neurons they go to.")
        if not np.array_equal(np.asarray(edited, dtype=float), table):
            problem = set_weights_table(run, layer, edited)
            if problem:
                st.error(problem)
            else:
                st.session_state[Keys.EDIT_LAYER + ".version"] = version + 1
                st.rerun()


config = st.session_state.setdefault(Keys.CONFIG, dict(DEFAULTS))
controls.seed_widgets(config)
st.session_state.setdefault(Keys.PLAYING, False)
if st.session_state.pop(Keys.PAUSE_REQUEST, False):
    st.session_state[Keys.PLAYING] = False
controls.data_controls()
controls.network_controls()
controls.training_controls()
config = controls.gather(config)
st.session_state[Keys.CONFIG] = config
sync_run(config)

st.title("Neural-network playground")
st.caption("A NumPy network learning live. Pick data and a network in the sidebar, then press Play.")
run_bar()
notice = st.session_state.pop(Keys.NOTICE, None)
if notice:
    st.info(notice, icon="🔄")
problem = st.session_state.get(Keys.CSV_ERROR + ".build")
current = st.session_state.get(Keys.RUN)
if current is None:
    st.warning(problem or "Nothing to train yet.", icon="✋")
else:
    toggles, draw = st.columns([3, 2])
    controls.display_controls(toggles.container(horizontal=True))
    draw_controls(current, draw)
    forget_sent(Keys.LIVE_PANEL)  # a full run: the panel may be new in the browser
    live_pictures()
    explanations()
    weight_editor(current)
