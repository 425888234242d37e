"""The Playground's link, its presentation mode, and the "Share, export and import" panel.

The link: on a session's first run the URL's query parameters become the lasting config
(``ui.url_state`` reads them; one notice names what was not used); after every full run
the URL is rewritten to match the config, only when it differs, so a link copied at any
moment reproduces the setup. The pure parts live in ``ui.url_state``, ``ui.export`` and
``ui.code_export``; this module only puts them on the page.
"""

from urllib.parse import urlsplit

import streamlit as st

from ui import export, url_state
from ui.code_export import DEFAULT_EPOCHS, generate_script
from ui.live_loop import training_lock
from ui.playground_run import build_run
from ui.state import FIELD, FIELDS, Keys

# ---- the link ----------------------------------------------------------------------------


def _params_now() -> dict[str, str | list[str]]:
    """The URL's query parameters (a repeated one as a list)."""
    params = {}
    for key in st.query_params:
        values = st.query_params.get_all(key)
        params[key] = values[0] if len(values) == 1 else values
    return params


def read_link_once() -> None:
    """On the session's first run, before any widget is seeded: the link's settings become
    the lasting config, its hidden controls and presentation mode the session's."""
    if Keys.CONFIG in st.session_state:
        return
    link = url_state.decode(_params_now())
    st.session_state[Keys.CONFIG] = link.config
    st.session_state[Keys.HIDDEN] = link.hidden
    st.session_state[Keys.PRESENT] = link.present
    if link.notices:
        st.session_state[Keys.LINK_NOTICE] = url_state.summary(link.notices)


def hidden_controls() -> frozenset[str]:
    return st.session_state.get(Keys.HIDDEN, frozenset())


def presenting() -> bool:
    return bool(st.session_state.get(Keys.PRESENT))


def write_link(config: dict) -> None:
    """Make the URL match ``config`` (and the hidden controls and presentation mode);
    a run that changed nothing leaves the URL alone."""
    wanted = url_state.encode(config, hidden_controls(), presenting())
    if _params_now() != wanted:
        st.query_params.from_dict(wanted)


def link_notice() -> None:
    """The one notice about the opening link's parameters, shown once."""
    notice = st.session_state.pop(Keys.LINK_NOTICE, None)
    if notice:
        st.warning(notice, icon="🔗")


# ---- presentation mode -------------------------------------------------------------------

PRESENTATION_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"] {
  display: none !important;
}
.live-panel .stat-label {font-size: 1.2rem !important;}
.live-panel .stat-value {font-size: 2.8rem !important;}
.live-panel .cell-title {font-size: 1.35rem !important;}
[data-testid="stMainBlockContainer"] h1 {font-size: 3rem !important;}
[data-testid="stMainBlockContainer"] label p, [data-testid="stMainBlockContainer"] button p {
  font-size: 1.2rem !important;
}
</style>"""


def _leave_presentation() -> None:
    st.session_state[Keys.PRESENT] = False


def presentation_header() -> None:
    """Presentation mode: no sidebar, larger type, and a small way out."""
    st.html(PRESENTATION_CSS)
    st.button("Leave presentation mode", on_click=_leave_presentation, type="tertiary", icon=":material/close:")


# ---- import ------------------------------------------------------------------------------


def _apply_config(config: dict) -> None:
    """From a callback: the lasting config and every widget take ``config``'s values."""
    st.session_state[Keys.CONFIG] = dict(config)
    for name, value in config.items():
        st.session_state[Keys.widget(name)] = list(value) if isinstance(value, tuple) else value
    st.session_state[Keys.PLAYING] = False


def _say(kind: str, text: str) -> None:
    st.session_state[Keys.IMPORT_MESSAGE] = (kind, text)


def _on_import() -> None:
    """The uploader's callback: read the file, apply its configuration at once; weights
    wait for the run to be rebuilt (``load_pending_weights``)."""
    file = st.session_state.get(Keys.IMPORT_FILE)
    if file is None:
        st.session_state.pop(Keys.IMPORT_MESSAGE, None)
        return
    name = url_state.quote(file.name, 60)
    try:
        config, weights, notices = export.read_import(file.name, file.getvalue())
    except export.FileProblem as problem:
        _say("error", f"{name} cannot be used: {problem}.")
        return
    if config is not None:
        _apply_config(config)
    lost = f" Not used as given: {'; '.join(notices)}." if notices else ""
    if weights is None:
        _say("success", f"Loaded the configuration from {name}.{lost}")
    else:
        st.session_state[Keys.PENDING_WEIGHTS] = (name, weights, lost)


def load_pending_weights() -> None:
    """After the run is in step with the config: put imported weights into a fresh run
    (epoch 0, these weights), or say which shape does not fit."""
    pending = st.session_state.pop(Keys.PENDING_WEIGHTS, None)
    if pending is None:
        return
    name, weights, lost = pending
    run = st.session_state.get(Keys.RUN)
    if run is None:
        _say("error", f"The weights in {name} were not loaded: this setup cannot train (see above).")
        return
    try:
        export.check_fits(weights, run.network)
        csv = getattr(run, "csv", None)
        fresh = build_run(run.config, csv, weights=(weights.W, weights.b))
    except ValueError as problem:
        _say("error", f"The weights in {name} do not fit: {problem}.{lost}")
        return
    fresh.csv = csv
    st.session_state[Keys.RUN] = fresh
    how = "and the configuration they were trained with " if weights.config is not None else ""
    _say("success", f"Loaded the weights {how}from {name}: training starts from them at epoch 0.{lost}")


# ---- the panel ---------------------------------------------------------------------------


def _share_link(config: dict) -> None:
    st.session_state.setdefault(Keys.SHARE_HIDE, sorted(hidden_controls(), key=list(FIELD).index))
    st.session_state.setdefault(Keys.SHARE_PRESENT, presenting())
    hide, present = st.columns([3, 1], vertical_alignment="bottom")
    hide.multiselect(
        "For a lecture: hide these controls for whoever opens the link",
        [f.name for f in FIELDS],
        key=Keys.SHARE_HIDE,
        format_func=lambda name: FIELD[name].label,
        placeholder="none hidden",
    )
    present.checkbox("Presentation mode", key=Keys.SHARE_PRESENT, help="Only the run bar and the pictures, larger")
    params = url_state.encode(config, st.session_state[Keys.SHARE_HIDE], st.session_state[Keys.SHARE_PRESENT])
    base = st.context.url or ""
    if base and not urlsplit(base).path:
        base += "/"
    link = f"{base}?{url_state.query_string(params)}" if params else base or "(the page's address, as it is)"
    st.caption("The link to this setup: the same data, initial weights and training for everyone who opens it.")
    st.code(link, language=None, wrap_lines=True)
    if base:
        st.link_button("Open the link in a new tab", link, icon=":material/open_in_new:")


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
    playing = bool(st.session_state.get(Keys.PLAYING))
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
        key=Keys.IMPORT_FILE,
        on_change=_on_import,
        max_upload_size=2,
    )
    message = st.session_state.get(Keys.IMPORT_MESSAGE)
    if message:
        kind, text = message
        (st.success if kind == "success" else st.error)(text)


def _toggle_code() -> None:
    st.session_state[Keys.SHOW_CODE] = not st.session_state.get(Keys.SHOW_CODE, False)


def _code(run, config: dict) -> None:
    shown = st.session_state.get(Keys.SHOW_CODE, False)
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
    """The expander under the pictures: the link, the exports, the import, the code
    (``run`` is None when the setup cannot train: then the link and the import only)."""
    panel = st.expander("Share, export and import", icon=":material/share:", key=Keys.SHARE_PANEL, on_change="rerun")
    if not panel.open:  # sent only when unfolded (see ui/playground_panels.py)
        return
    with panel:
        link, downloads, upload, code = st.tabs(["Share a link", "Export", "Import", "The code"], key=Keys.SHARE_TAB)
        with link:
            _share_link(config)
        with upload:
            _import_panel()
        for tab, draw in ((downloads, _exports), (code, _code)):
            with tab:
                if run is None:
                    st.info("Nothing to export until the setup can train.")
                else:
                    draw(run, config)
