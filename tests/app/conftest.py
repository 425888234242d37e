"""Shared AppTest helpers."""

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def playground():
    """The Playground page, run once."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def panels(at) -> list[dict]:
    """Each live panel's payload as the browser shows it once its frames have played:
    ``{"stats": html, "charts": [{"id", "title", "figure", ...}], "frames": [...], ...}``
    with ``stats`` and ``charts`` those of the last frame (see ui/live/panel.live_panel)."""
    payloads = [component_data(e) for e in at.get("bidi_component")]
    # not the dataset gallery, which is a component too
    return [{**p, **p["frames"][-1]} for p in payloads if isinstance(p, dict) and "frames" in p]


def component_data(element):
    """The data a component element carries, as the browser gets it: a live panel's payload
    travels as JSON bytes, other components' data as Streamlit's JSON."""
    field = element.proto.WhichOneof("data")
    if field == "bytes":
        return json.loads(element.proto.bytes)
    return json.loads(element.proto.json) if field == "json" else None


def open_link(params: dict, path: str = "app.py", timeout: float = 30) -> AppTest:
    """The app opened at a link with these query parameters, run once, without an exception."""
    at = AppTest.from_file(str(ROOT / path), default_timeout=timeout)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def button(at, label: str):
    """The page's button with this label."""
    return next(b for b in at.button if b.label == label)


def url(at) -> dict:
    """The page's query parameters as the address bar shows them (the last of repeats)."""
    return {k: (v if isinstance(v, str) else v[-1]) for k, v in at.query_params.items()}


def open_neuron(params: dict | None = None) -> AppTest:
    """The app's main page first (as a visitor lands), then the neuron page at ``/neuron?params``."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    for name, value in (params or {}).items():
        at.query_params[name] = value
    at.switch_page("pages/the_neuron.py").run()
    assert not at.exception, at.exception
    return at


def matrix_cells(figure: dict, name: str = r"W(\d+)") -> dict[tuple[int, int, int], float]:
    r"""A weight-matrix chart's cells as their hover texts give them: (layer from 0, row,
    column) -> value. ``name`` matches a cell's matrix name and captures its layer number
    (the W of A − W of B chart: ``W(\d+)ᴬ − W\d+ᴮ ``)."""
    found = {}
    for trace in figure["data"]:
        for row in trace.get("text") or []:
            for cell in row if isinstance(row, list) else []:
                m = re.match(name + r"\[(\d+), (\d+)\].*<br>([-+]?\d+\.\d+)", cell)
                if m:
                    found[(int(m[1]) - 1, int(m[2]), int(m[3]))] = float(m[4])
    return found
