"""Shared AppTest helpers."""

import json
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
    payloads = [json.loads(json.loads(e.proto.json)) for e in at.get("bidi_component")]
    return [{**p, **p["frames"][-1]} for p in payloads if "frames" in p]  # not the dataset gallery
