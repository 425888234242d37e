"""The Playground's own tabs of the share panel: export, import and the code. The link
and presentation mode are every page's (``ui.live.share``); the pure parts live in
``ui.playground.export`` and ``ui.playground.code_export``."""

import streamlit as st

from ui.live.link import quote
from ui.live.loop import training_lock
from ui.live.markdown import plain
from ui.live.share import PageLink
from ui.live.widgets import set_widgets
from ui.playground import compare_panel, export
from ui.playground.code_export import DEFAULT_EPOCHS, generate_script
from ui.playground.config import CSV_DATASET, SCHEMA
from ui.playground.run import build_run
from ui.playground.slot import SLOT
from ui.state import PlaygroundKeys as K

LINK = PageLink(
    SCHEMA, K.LINK, reproduces="the same data, the same initial weights and, Step for Step, the same training"
)


# ---- import ------------------------------------------------------------------------------


def _apply_config(config: dict) -> None:
    """From a callback: the lasting config and every widget take ``config``'s values."""
    st.session_state[K.LINK.config] = dict(config)
    set_widgets(K.LINK, config)
    st.session_state[K.LOOP.playing] = False


def _say(kind: str, text: str) -> None:
    st.session_state[K.IMPORT_MESSAGE] = (kind, text)


def _weights_refusal(config: dict, weights: export.Weights, name: str) -> str | None:
    """Why ``weights`` (from the file called ``name``, quoted) cannot start the network
    ``config`` builds, as the message to show; None when they can. The network is built as the run
    will be (on this session's CSV when ``config`` trains on one)."""
    run = st.session_state.get(K.RUN)
    parsed = st.session_state.get(K.CSV_PARSED)
    user_data = run.user_data if run is not None and run.user_data is not None else (parsed[1] if parsed else None)
    try:
        network = build_run(config, user_data if config["dataset"] == CSV_DATASET else None).network
    except ValueError as problem:
        return f"The weights in {name} were not loaded: their setup cannot train here ({plain(str(problem))})."
    try:
        export.check_fits(weights, network)
    except export.FileProblem as problem:
        return f"The weights in {name} do not fit: {problem}."
    return None


def _on_import() -> None:
    """The uploader's callback: read the file, apply its configuration at once; weights
    wait for the run to be rebuilt (``load_pending_weights``)."""
    file = st.session_state.get(K.IMPORT_FILE)
    if file is None:
        st.session_state.pop(K.IMPORT_MESSAGE, None)
        return
    name = quote(file.name, 60)
    try:
        config, weights, notices = export.read_import(file.name, file.getvalue())
    except export.FileProblem as problem:
        _say("error", f"{name} cannot be used: {problem}.")
        return
    lost = f" Not used as given: {'; '.join(notices)}." if notices else ""
    if weights is not None:
        # Checked before anything is applied: a refused file changes nothing (before, the
        # file's configuration was applied and only then were its weights found not to fit).
        refusal = _weights_refusal(config if config is not None else st.session_state[K.LINK.config], weights, name)
        if refusal is not None:
            _say("error", f"{refusal} Nothing was changed.{lost}")
            return
    if config is not None:
        _apply_config(config)
    if weights is None:
        _say("success", f"Loaded the configuration from {name}.{lost}")
    else:
        st.session_state[K.PENDING_WEIGHTS] = (name, weights, lost)


def load_pending_weights() -> None:
    """After the run is in step with the config: put imported weights into a fresh run
    (epoch 0, these weights), or say which shape does not fit."""
    pending = st.session_state.pop(K.PENDING_WEIGHTS, None)
    if pending is None:
        return
    name, weights, lost = pending
    run = st.session_state.get(K.RUN)
    if run is None:
        _say("error", f"The weights in {name} were not loaded: this setup cannot train (see above).")
        return
    try:
        export.check_fits(weights, run.network)
        fresh = build_run(run.config, run.user_data, weights=(weights.W, weights.b))
    except ValueError as problem:
        _say("error", f"The weights in {name} do not fit: {problem}.{lost}")
        return
    SLOT.replace(lambda _: fresh)  # no live update asked for before trains over the imported weights
    how = "and the configuration they were trained with " if weights.config is not None else ""
    _say("success", f"Loaded the weights {how}from {name}: training starts from them at epoch 0.{lost}")


def _exports(run, config: dict) -> None:
    lock = training_lock()

    def snapshot(write):
        def data():  # runs when clicked, on another thread: the weights as they are then
            with lock:
                return write()

        return data

    network, history = run.network, run.trainer.history
    buttons = [
        ("Configuration (JSON)", export.config_to_json(config), "playground-config.json", "application/json"),
        (
            "Weights (.npz)",
            snapshot(lambda: export.weights_to_npz(network, run.config)),
            "playground-weights.npz",
            "application/octet-stream",
        ),
        (
            "Weights (JSON)",
            snapshot(lambda: export.weights_to_json(network, run.config)),
            "playground-weights.json",
            "application/json",
        ),
        (
            "Training history (CSV)",
            snapshot(lambda: export.history_to_csv(history)),
            "playground-history.csv",
            "text/csv",
        ),
    ]
    # Measured: a file made on click (a callable) is cancelled while frames run, so the
    # weights and the history wait for a pause, when they are the weights as they stand.
    playing = bool(st.session_state.get(K.LOOP.playing))
    for column, (label, data, file_name, mime) in zip(st.columns(len(buttons)), buttons):
        wait = playing and callable(data)
        column.download_button(
            label,
            data,
            file_name=file_name,
            mime=mime,
            on_click="ignore",
            icon=":material/download:",
            width="stretch",
            disabled=wait,
            help="Pause to download the weights and the history as they are then" if wait else None,
        )
    st.caption(
        "The weights files carry the configuration too: import one to continue from it. "
        'Pictures: hover over a picture and press the camera in its toolbar ("Download plot as a png").'
    )


def _import_panel() -> None:
    st.file_uploader(
        "Import a configuration (.json) or weights (.npz or .json) saved here",
        type=["json", "npz"],
        key=K.IMPORT_FILE,
        on_change=_on_import,
        max_upload_size=2,
    )
    message = st.session_state.get(K.IMPORT_MESSAGE)
    if message:
        kind, text = message
        (st.success if kind == "success" else st.error)(text)


def _toggle_code() -> None:
    st.session_state[K.SHOW_CODE] = not st.session_state.get(K.SHOW_CODE, False)


def _code(run, config: dict) -> None:
    shown = st.session_state.get(K.SHOW_CODE, False)
    st.button("Hide the code" if shown else "Show the code", on_click=_toggle_code, icon=":material/code:")
    if not shown:
        st.caption("A standalone NumPy script that rebuilds this data and network and trains it the same way.")
        return
    try:
        script = generate_script(run.config, run.trainer.epoch or DEFAULT_EPOCHS)
    except ValueError as reason:
        st.info(f"No script for this setup: {reason}.")
        return
    st.download_button(
        "Download the script", script, file_name="playground_run.py", mime="text/x-python", on_click="ignore"
    )
    st.code(script, language="python", line_numbers=True)


def share_panel(run, config: dict) -> None:
    """The folded panel under the pictures: the link, the exports, the import, the code
    (``run`` is None when the setup cannot train: then there is nothing to export)."""

    def needs_run(draw):
        def tab() -> None:
            if run is None:
                st.info("Nothing to export until the setup can train.")
            else:
                draw(run, config)

        return tab

    LINK.share_panel(
        config,
        [
            ("Compare", lambda: compare_panel.compare_tab(config)),
            ("Export", needs_run(_exports)),
            ("Import", _import_panel),
            ("The code", needs_run(_code)),
        ],
        title="Share, export and import",
    )
