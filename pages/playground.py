"""The Playground page: pick data, features and a network, press Play, watch it learn.

Widgets live in the sidebar (ui/playground_controls.py); the pictures update in place
inside one fragment that reruns every frame while Play is on (see ui/live_chart.py).
"""

import streamlit as st

from engine.csv_data import load_csv
from ui import playground_controls as controls
from ui import playground_panels as panels
from ui import playground_share as share
from ui.live_chart import Frame, chart, forget_sent, live_panel, panel_stats
from ui.live_loop import UPDATE_SECONDS, let_update_leave, run_every, training_lock, update_plan
from ui.playground_figures import playground_figures
from ui.playground_run import add_point, apply_live_settings, build_run, train
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
        with training_lock():  # never while a frame of this session is training
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


def run_bar(hidden) -> None:
    play, step_col, reset_col, speed_col, _ = st.columns([1.1, 0.9, 0.9, 2.2, 3], vertical_alignment="center")
    play.toggle("Play", key=Keys.PLAYING, help="Train continuously; switch off to pause")
    step_col.button("Step", on_click=step, help="Train one epoch", width="stretch")
    reset_col.button("Reset", on_click=reset, help="Back to epoch 0 with the same initial weights", width="stretch")
    if "speed" not in hidden:
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
    return panel_stats(items)


TITLES = {
    "network": "<b>The network</b>: every neuron's output over the input plane",
    "output": "<b>The output</b>: the prediction over the input plane, and the data",
    "loss": "<b>Loss</b> per epoch: training (black), test (orange); dotted: accuracy (right axis)",
    "weights": "<b>The weight matrices</b>: rows are the neurons the connections come from, columns those they go to",
}
GRID = {"columns": "1.25fr 1fr", "areas": "'stats stats' 'network output' 'network loss' 'weights weights'"}
GRID_WITHOUT_PLANE = {"columns": "1.25fr 1fr", "areas": "'stats stats' 'network loss' 'weights weights'"}


# While playing, the loss curve and the weight matrices are rebuilt every few frames only:
# they change slowly, and each redraw costs the browser as much as the network picture.
# Hover layers come back with the last frame after Pause (every redraw closes hover labels).
EVERY = {"network": 1, "output": 1, "loss": 10, "weights": 4}


def frame_figures(run, *, playing: bool) -> dict:
    """This frame's figures; while playing, slow pictures reuse the last frame's."""
    run.frame = getattr(run, "frame", -1) + 1
    cache = getattr(run, "figures", {})
    due = [name for name, every in EVERY.items() if not playing or run.frame % every == 0 or name not in cache]
    run.figures = {**cache, **playground_figures(run, due, hover=not playing)}
    return run.figures


def frame_charts(figures: dict, drawing: bool) -> list[dict]:
    return [
        chart(name, figures[name], title=TITLES[name], clickable=drawing and name == "output")
        for name in ("network", "output", "loss", "weights")
        if figures[name] is not None
    ]


@st.fragment(run_every=run_every(st.session_state.get(Keys.PLAYING, False), UPDATE_SECONDS))
def live_pictures() -> None:
    """Trains a few frames' worth (while playing) and sends every frame's pictures at once:
    the browser plays them in order, in place (see ui/live_loop.frames_per_update)."""
    run = st.session_state.get(Keys.RUN)
    if run is None:
        return
    playing = bool(st.session_state.get(Keys.PLAYING))
    drawing = bool(st.session_state.get(Keys.DRAW_MODE))
    training = playing and run.diverged is None
    plan = update_plan() if training else None
    frames = []
    # Drawing points wants every click answered at once: one frame per update then.
    with training_lock():  # sessions take turns, first come, first served
        for _ in range(plan.frames if training and not drawing else 1):
            if training and run.diverged is None:
                speed = run.config["speed"]
                train(run, 10**6 if speed == "max" else int(speed), plan.budget)
            figures = frame_figures(run, playing=playing and run.diverged is None)
            frames.append(Frame(frame_charts(figures, drawing), stats_line(run)))
            if run.diverged:
                break
    if playing and run.diverged:
        # The toggle exists already in this run, so its value cannot change here: ask
        # the full rerun to switch it off before it draws the toggle.
        st.session_state[Keys.PAUSE_REQUEST] = True
        st.rerun(scope="app")
    if run.diverged:
        st.error(run.diverged, icon="⚠️")
    grid = GRID if figures["output"] is not None else GRID_WITHOUT_PLANE
    now = frames[-1]
    result = live_panel(
        now.charts,
        key=Keys.LIVE_PANEL,
        stats=now.stats,
        grid=grid,
        playing=playing and not drawing,
        earlier=frames[:-1],
    )
    click = getattr(result, "click", None)
    if drawing and click and click.get("chart") == "output":
        add_point(run, float(click["x"]), float(click["y"]), st.session_state.get(Keys.CLASS_TO_DRAW, 1))
        st.rerun(scope="fragment")  # this run's pictures were drawn before the click was read
    let_update_leave(training)  # before a waiting run starts and discards it


share.read_link_once()  # a shared link's settings become the config before any widget is seeded
config = st.session_state[Keys.CONFIG]
presenting = share.presenting()
hidden = share.hidden_controls()
controls.seed_widgets(config)
st.session_state.setdefault(Keys.PLAYING, False)
if st.session_state.pop(Keys.PAUSE_REQUEST, False):
    st.session_state[Keys.PLAYING] = False
sidebar_hidden = frozenset(DEFAULTS) if presenting else hidden
controls.data_controls(sidebar_hidden)
controls.network_controls(sidebar_hidden)
controls.training_controls(sidebar_hidden)
config = controls.gather(config)
st.session_state[Keys.CONFIG] = config
share.write_link(config)  # the URL follows every change
sync_run(config)
share.load_pending_weights()

if presenting:
    share.presentation_header()
st.title("Neural-network playground")
if not presenting:
    st.caption("A NumPy network learning live. Pick data and a network in the sidebar, then press Play.")
run_bar(hidden)
share.link_notice()
notice = st.session_state.pop(Keys.NOTICE, None)
if notice:
    st.info(notice, icon="🔄")
problem = st.session_state.get(Keys.CSV_ERROR + ".build")
current = st.session_state.get(Keys.RUN)
if current is None:
    st.warning(problem or "Nothing to train yet.", icon="✋")
else:
    if not presenting:
        toggles, draw = st.columns([3, 2])
        controls.display_controls(toggles.container(horizontal=True), hidden)
        panels.draw_controls(current, draw)
    forget_sent(Keys.LIVE_PANEL)  # a full run: the panel may be new in the browser
    live_pictures()
    if not presenting:
        panels.explanations()
        panels.weight_editor(current)
if not presenting:
    share.share_panel(current, config)
