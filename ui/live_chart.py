"""A Plotly chart that updates in place while training plays.

``st.plotly_chart`` re-mounts its chart whenever the figure changes (Streamlit 1.67: a
new element identity, ``Plotly.newPlot``, lost zoom, a flash). This component is mounted
once per ``key``; each update hands the new figure to ``Plotly.react`` on the same div
(see ``static/live_chart.js``), so the chart keeps its zoom and only the data changes.

The component's inline JavaScript is sent with every update, so it is a few lines that
import the real module from Streamlit's static file serving; plotly.js itself is the copy
shipped inside the installed ``plotly`` package, copied next to it once per install.
"""

import hashlib
import os
import shutil
from pathlib import Path

import plotly
import streamlit as st

from ui.figure_json import to_json

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"  # served at app/static/
PLOTLY_JS = STATIC_DIR / "plotly.min.js"
_PACKAGED_PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
_MODULE = STATIC_DIR / "live_chart.js"
CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def ensure_plotly_js() -> None:
    """Copy the installed package's plotly.js into static/ unless the same file is there.

    Written to a temporary name and renamed, so no session is ever served half a file.
    """
    source_size = _PACKAGED_PLOTLY_JS.stat().st_size
    if PLOTLY_JS.exists() and PLOTLY_JS.stat().st_size == source_size:
        return
    tmp = PLOTLY_JS.with_name(f".plotly.{os.getpid()}.tmp")
    shutil.copyfile(_PACKAGED_PLOTLY_JS, tmp)
    os.replace(tmp, PLOTLY_JS)


def _loader_js() -> str:
    version = hashlib.sha1(_MODULE.read_bytes()).hexdigest()[:10]  # a new file, a new URL
    return (
        "// Imports the chart module once from Streamlit's static file serving.\n"
        "export default async function (component) {\n"
        f'  const url = new URL("app/static/live_chart.js?v={version}", document.baseURI).href;\n'
        "  const module = await import(url);\n"
        "  return module.default(component);\n"
        "}\n"
    )


ensure_plotly_js()
_component = st.components.v2.component("playground_live_chart", js=_loader_js(), isolate_styles=False)
_PLOTLY_SRC = f"app/static/plotly.min.js?v={plotly.__version__}"


def live_chart(figure: dict, *, key: str, clickable: bool = False, on_click=None):
    """Show ``figure`` (a figure dict) in the chart mounted under ``key``; returns the
    component result, whose ``click`` is ``{"x", "y"}`` after a click when ``clickable``."""
    payload = to_json({"figure": figure, "config": CONFIG, "plotly_src": _PLOTLY_SRC, "clickable": clickable})
    callbacks = {"on_click_change": on_click or (lambda: None)} if clickable else {}
    return _component(key=key, data=payload, **callbacks)
