"""The live panel's payload (ui/live_chart.live_panel), through AppTest: several frames to
an update, each figure sent once until it changes, pictures by reference."""

import json

from streamlit.testing.v1 import AppTest


def panel_script():
    import streamlit as st

    from ui.live_chart import Frame, chart, live_panel

    def figure(y):
        return {"data": [{"type": "scatter", "y": [y]}], "layout": {}}

    still = chart("still", figure(0))
    frames = [Frame([still, chart("moving", figure(i))], f"frame {i}") for i in range(3)]
    last = frames.pop()
    playing = st.session_state.get("playing", True)
    live_panel(last.charts, key="panel", stats=last.stats, earlier=frames, playing=playing)


def payload(at) -> dict:
    (element,) = at.get("bidi_component")
    return json.loads(json.loads(element.proto.json))


def test_an_update_carries_its_frames_in_order_and_each_figure_once():
    at = AppTest.from_function(panel_script).run()
    assert not at.exception
    sent = payload(at)
    assert sent["playing"] and [f["stats"] for f in sent["frames"]] == ["frame 0", "frame 1", "frame 2"]
    first, second, third = ([c["figure"] for c in f["charts"]] for f in sent["frames"])
    assert all(first)  # the browser has nothing yet
    assert second[0] is None and third[0] is None  # the still chart: "you have it"
    assert json.loads(second[1])["data"][0]["y"] == [1] and json.loads(third[1])["data"][0]["y"] == [2]
    at.session_state["playing"] = False
    at.run()
    again = payload(at)
    assert not again["playing"]  # shown at once, the queue dropped
    assert all(f["charts"][0]["figure"] is None for f in again["frames"])  # sent in the last update
    assert json.loads(again["frames"][0]["charts"][1]["figure"])["data"][0]["y"] == [0]  # changed since
