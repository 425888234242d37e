"""Plotly charts that update in place while training plays.

``st.plotly_chart`` re-mounts its chart whenever the figure changes (Streamlit 1.67: a
new element identity, ``Plotly.newPlot``, lost zoom, a flash). This component is mounted
once per ``key``; each update hands the new figures to ``Plotly.react`` on the same divs
(see ``static/live_chart.js``), so charts keep their zoom and only the data changes. The
protocol between this module and the JavaScript is written down in docs/live_panel.md.

A *panel* holds several charts (and an optional stats line) in one component: one
Streamlit element per frame instead of one per chart, which matters because every element
costs the server a message and a wake-up of its event loop, many times a second for every
student. Each chart's figure travels as its own JSON string, so the browser skips the
charts whose figure did not change.

The component's inline JavaScript is sent with every update, so it is a few lines that
import the real module from Streamlit's static file serving; plotly.js itself is the copy
shipped inside the installed ``plotly`` package, copied next to it once per install.
"""

import hashlib
import itertools
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import plotly
import streamlit as st

from ui.live.figure_json import to_json, to_json_bytes
from ui.state import panel_memory_key

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"  # served at app/static/
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
    """The component's inline JavaScript: import the chart module once per page. A failed
    import (the server restarting while the page loads: a lecture hall's worker) is tried
    again every second under another address, since the browser remembers a failed
    module for good; the module that loaded is kept for every later update."""
    version = hashlib.sha1(_MODULE.read_bytes()).hexdigest()[:10]  # a new file, a new URL
    return (
        "// Imports the chart module once from Streamlit's static file serving.\n"
        "export default async function (component) {\n"
        f'  const url = new URL("app/static/live_chart.js?v={version}", document.baseURI).href;\n'
        "  const modules = (window.__liveChartModules = window.__liveChartModules || {});\n"
        "  if (!modules[url]) {\n"
        "    modules[url] = (async () => {\n"
        "      for (let attempt = 0; ; attempt++) {\n"
        "        try {\n"
        "          return await import(attempt ? `${url}&attempt=${attempt}` : url);\n"
        "        } catch (error) {\n"
        "          if (attempt >= 30) { delete modules[url]; throw error; }\n"
        "          await new Promise((resolve) => setTimeout(resolve, 1000));\n"
        "        }\n"
        "      }\n"
        "    })();\n"
        "  }\n"
        "  const module = await modules[url];\n"
        "  return module.default(component);\n"
        "}\n"
    )


ensure_plotly_js()
_component = st.components.v2.component("playground_live_chart", js=_loader_js(), isolate_styles=False)
_PLOTLY_SRC = f"app/static/plotly.min.js?v={plotly.__version__}"


ASSET_MIN_CHARS = 4000  # larger pictures travel once, then by reference
REFRESH_FRAMES = 20  # everything is re-sent this often (in updates), in case the browser skipped one
# A picture sent travels by reference only in this many updates after, then is sent again.
# The browser keeps the 1,024 newest or last used (static/live_chart.js MAX_ASSETS): 4
# updates of 6 frames of the largest network's 8 hidden columns are 192.
ASSET_MEMORY_UPDATES = 4


def chart(name: str, figure: dict, *, title: str = "", clickable: bool = False, crisp: bool = False) -> dict:
    """One chart of a panel: ``name`` identifies it (and its grid area), ``title`` is a
    short HTML heading shown above it (our own text, never user input).

    The figure's pictures (``layout.images``) travel apart, as *overlays*: the browser lays
    them over the plot as plain <img> elements where Plotly would draw them, and swaps
    their sources each frame. The figure without them (axes, lines, hover) is then often
    the same as the last frame's and Plotly does not redraw at all. Large pictures are
    ``assets``, referenced as ``asset:<hash>`` and sent once while unchanged. A picture's
    ``layer`` is Plotly's: ``"above"`` the traces (the default) or ``"below"`` them; a
    figure with a picture below gets transparent paper and plot backgrounds, since the
    browser lays that picture under Plotly's whole drawing. ``crisp`` pictures are scaled
    up without smoothing (matrix cells stay sharp squares).

    The figure's ``labels`` (a key of ours, beside ``data`` and ``layout``) are text laid
    over the plot the same way: ``{"x", "y", "lines", "scale", "color", "backing"}``, the
    block's left edge at ``x``, its middle at ``y`` (data units), font ``scale`` pixels per
    pixel of the plot's width. Text that changes every frame (a traced point's numbers)
    then changes neither the figure nor a picture: the browser only sets the labels' text."""
    layout = figure.get("layout", {})
    overlays, assets = [], {}
    for image in layout.get("images") or []:
        source = image["source"]
        if len(source) >= ASSET_MIN_CHARS:
            ref = "asset:" + hashlib.sha1(source.encode("ascii")).hexdigest()[:16]
            assets[ref] = source
            source = ref
        place = {k: image[k] for k in ("x", "y", "sizex", "sizey")}
        overlays.append({"source": source, **place, "layer": image.get("layer", "above"), "crisp": crisp})
    for label in figure.get("labels") or []:
        overlays.append({**label, "kind": "text", "layer": "above"})
    bare = {k: v for k, v in figure.items() if k != "labels"} | {
        "layout": {k: v for k, v in layout.items() if k != "images"}
    }
    if any(o["layer"] == "below" for o in overlays):
        bare["layout"].update(paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)")
    return {
        "id": name,
        "title": title,
        "figure": to_json(bare),
        "overlays": overlays,
        "clickable": clickable,
        "assets": assets,
    }


def note(name: str, html: str, *, title: str = "") -> dict:
    """A cell of a panel that shows ``html`` instead of a chart (the traced point's numbers,
    say), updated frame by frame like a figure and sent only when it changed. ``html`` is
    our own markup: anything a user typed or uploaded in it must be escaped
    (``html.escape``) by the caller."""
    cell = {"id": name, "title": title, "figure": html, "kind": "html"}
    return cell | {"overlays": [], "clickable": False, "assets": {}}


def forget_sent(key: str) -> None:
    """Forget what the panel under ``key`` sent, so the next update carries everything:
    from a page's full run (the browser may have mounted the panel afresh) or from the
    panel's ``missing`` callback, never from inside the live fragment's run."""
    st.session_state.pop(panel_memory_key(key), None)


def _unsent(frames: list[list[dict]], key: str) -> tuple[list[list[dict]], dict]:
    """The frames' charts with ``figure`` None where the browser will have that very
    figure already (from an earlier update, or the frame before in this one), and the
    assets it has not been sent recently. Every chart carries its figure's digest
    (``figure_id``): a browser that lacks the figure named (an update can be lost: a
    fragment run that starts at once discards the last run's update if it was not sent
    yet) asks for everything again (``missing``, see ``live_panel``)."""
    memory = st.session_state.setdefault(panel_memory_key(key), {"frame": 0, "figures": {}, "assets": {}})
    memory["frame"] += 1
    frame, refresh = memory["frame"], memory["frame"] % REFRESH_FRAMES == 0
    out, assets = [], {}
    for charts in frames:
        sent = []
        for c in charts:
            figure_id = hashlib.sha1(c["figure"].encode()).hexdigest()[:16]
            unchanged = memory["figures"].get(c["id"]) == figure_id and not refresh
            memory["figures"][c["id"]] = figure_id
            shown = {k: v for k, v in c.items() if k != "assets"} | {"figure_id": figure_id}
            sent.append(shown | ({"figure": None} if unchanged else {}))
            for ref, source in c["assets"].items():
                if refresh or ref not in memory["assets"]:
                    assets[ref] = source
                    memory["assets"][ref] = frame  # when sent, not when last used
        out.append(sent)
        refresh = False  # once per update is enough
    memory["assets"] = {ref: f for ref, f in memory["assets"].items() if frame - f < ASSET_MEMORY_UPDATES}
    return out, assets


STATIC_CONFIG = {**CONFIG, "staticPlot": True}

# Every update's payload carries the next number of this counter, so that the panel's
# message is never byte for byte one sent before. Streamlit (1.67) sends a large message
# that the browser held a few runs ago as a reference to the browser's cache; but the
# browser prunes that cache each time a run (a live fragment's too) finishes, and the
# list of what it holds, which the server trusts, was sent with the request for the run:
# a fragment run finishing in between makes the reference miss ("Cached ForwardMsg MISS",
# a fatal connection error). A paused panel redrawn unchanged (after Reset, after a
# divergence, Play switched on and off while nothing trains) was such a message.
_UPDATES = itertools.count(1)


@dataclass(frozen=True)
class Frame:
    """One frame of a live panel: its ``charts`` (from ``chart()``) and its ``stats`` line."""

    charts: list[dict]
    stats: str | None = None


def live_panel(
    charts: list[dict],
    *,
    key: str,
    stats: str | None = None,
    grid: dict | None = None,
    on_click=None,
    playing: bool = False,
    earlier: list[Frame] = (),
):
    """Show ``charts`` (from ``chart()``) in the panel mounted under ``key``.

    ``stats`` is an HTML line drawn above the charts; ``grid`` is CSS grid settings
    (``{"columns": "1fr 1fr", "areas": "'stats stats' 'a b' 'c c'"}``: area names are the
    chart names, and "stats" for the stats line).
    Returns the component result; after a click on a clickable chart its ``click`` is
    ``{"chart", "x", "y"}`` in data coordinates. A figure the browser already shows, or a
    picture it already has, is not sent again (see ``chart`` and ``forget_sent``).
    ``playing=True`` draws the charts as static pictures (no toolbar, hover or zoom
    handlers: each redraw would reset them anyway, and they cost every redraw); the frame
    after Pause brings them back.

    ``earlier`` are frames to show before this one: while ``playing``, the browser queues
    the frames of each update and shows them one by one, evenly spaced over the time it
    expects until the next update (one update, several frames: see
    ui/live/loop.FRAMES_PER_UPDATE). An update that is not ``playing`` is shown at once
    and drops whatever frames were still queued (Pause stops the pictures at once).
    """
    clickable = any(c["clickable"] for c in charts)
    frames = [*earlier, Frame(charts, stats)]
    sent, assets = _unsent([f.charts for f in frames], key)
    payload = {
        "frames": [{"charts": c, "stats": f.stats} for c, f in zip(sent, frames)],
        "assets": assets,
        "config": STATIC_CONFIG if playing else CONFIG,
        "plotly_src": _PLOTLY_SRC,
        "grid": grid,
        "playing": playing,
        "update": next(_UPDATES),  # never the same message twice: see _UPDATES
    }
    callbacks = {"on_click_change": on_click or (lambda: None)} if clickable else {}
    # The browser lacks a figure or picture the server believes it has: send all again.
    callbacks["on_missing_change"] = lambda: forget_sent(key)
    # As bytes: Streamlit forwards them as they are and hashes them once for the element's
    # identity; a text payload it would encode as JSON again, twice (measured: ~1.7 ms an
    # update of ten Playground frames, against ~0.7).
    return _component(key=key, data=to_json_bytes(payload), **callbacks)
