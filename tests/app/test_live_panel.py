"""The live panel's payload (ui/live_chart.live_panel), through AppTest: several frames to
an update, each figure sent once until it changes, pictures by reference."""

import json

from streamlit.testing.v1 import AppTest


def panel_script():
    import streamlit as st

    from ui.live.panel import Frame, chart, live_panel

    def figure(y):
        return {"data": [{"type": "scatter", "y": [y]}], "layout": {}}

    still = chart("still", figure(0))
    frames = [Frame([still, chart("moving", figure(i))], f"frame {i}") for i in range(3)]
    last = frames.pop()
    playing = st.session_state.get("playing", True)
    live_panel(last.charts, key="panel", stats=last.stats, earlier=frames, playing=playing)


def payload(at) -> dict:
    (element,) = at.get("bidi_component")
    return json.loads(element.proto.bytes)


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


def picture_script():
    import streamlit as st

    from ui.live.panel import chart, live_panel

    big = "data:image/png;base64," + "A" * 5000  # large: travels as an asset
    figure = {"data": [], "layout": {"images": [{"source": big, "x": 0, "y": 1, "sizex": 1, "sizey": 1}]}}
    live_panel([chart("picture", figure)], key="panel", playing=True)
    st.session_state["runs"] = st.session_state.get("runs", 0) + 1


def test_an_unchanged_picture_travels_by_reference_and_again_every_few_updates():
    from ui.live.panel import ASSET_MEMORY_UPDATES

    at = AppTest.from_function(picture_script)
    carried = []
    for _ in range(2 * (ASSET_MEMORY_UPDATES + 1) + 1):
        at.run()
        sent = payload(at)
        (overlay,) = sent["frames"][0]["charts"][0]["overlays"]
        assert overlay["source"].startswith("asset:")
        carried.append(overlay["source"] in sent["assets"])
    # sent, then by reference in the next few updates, then again (the browser's memory is finite)
    assert carried == [True, *[False] * ASSET_MEMORY_UPDATES] * 2 + [True]
