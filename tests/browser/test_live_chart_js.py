"""static/live_chart.js on its own, in a real Chromium, without Streamlit or plotly.js.

A small HTTP server serves a page (live_chart_stub/index.html) that imports the module and
calls its default export as Streamlit's components v2 would; the payload's ``plotly_src``
points to a stub Plotly (live_chart_stub/plotly_stub.js) that records every ``react`` call
and draws a fixed 320 x 240 px box with a 260 x 200 px plotting area at (40, 20), linear
axes over the layout's ranges. The protocol tested is docs/live_panel.md.

Every wait is on a condition, never on the clock: the tests hold on a machine busy with
other work.
"""

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STUB = Path(__file__).parent / "live_chart_stub"
FILES = {
    "/": STUB / "index.html",
    "/live_chart.js": ROOT / "static" / "live_chart.js",
    "/plotly_stub.js": STUB / "plotly_stub.js",
}
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8"}

CONFIG = {"displaylogo": False, "responsive": True}
STATIC_CONFIG = {**CONFIG, "staticPlot": True}
# The stub's plotting area within a chart's div, in px (see plotly_stub.js).
AREA_LEFT, AREA_TOP, AREA_WIDTH, AREA_HEIGHT = 40, 20, 260, 200
RED = (
    "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' width='2' height='2'>"
    "<rect width='2' height='2' fill='red'/></svg>"
)
BLUE = RED.replace("red", "blue")


class _Files(BaseHTTPRequestHandler):
    def do_GET(self):
        path = FILES.get(self.path.split("?")[0])
        if path is None:
            self.send_error(404)
            return
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", TYPES[path.suffix])
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def stub_url():
    """The stub page, its module and the stub Plotly, served on a free port of 127.0.0.1."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def page(browser, stub_url):
    """A fresh stub page (this module's own, in place of conftest's page of the app), its
    console errors collected in ``page.console_errors``."""
    context = browser.new_context(viewport={"width": 1100, "height": 1000})
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    pg.goto(stub_url + "/")
    pg.wait_for_function("window.ready === true")
    try:
        yield pg
    finally:
        context.close()


# ---- payloads, as ui/live/panel.py makes them ------------------------------------------


def figure(meta: str, x_range=(0, 10), y_range=(0, 10)) -> str:
    """A figure's JSON string; ``meta`` (a Plotly layout field) tells the figures apart."""
    layout = {"meta": meta, "xaxis": {"range": list(x_range)}, "yaxis": {"range": list(y_range)}}
    return json.dumps({"data": [{"type": "scatter", "x": [0, 1], "y": [0, 1]}], "layout": layout})


def chart(name: str, meta: str | None = None, *, overlays=(), clickable=False, title="", figure_id=None) -> dict:
    """One chart of a frame: ``meta`` None sends ``figure: null`` ("you have it", the
    figure named ``figure_id``); by default the digest is the meta's own."""
    figure_json = None if meta is None else figure(meta)
    return {
        "id": name,
        "title": title,
        "figure": figure_json,
        "figure_id": figure_id or meta,
        "overlays": list(overlays),
        "clickable": clickable,
    }


def stats(epoch) -> str:
    """The stats line as ui/live/panel.py's panel_stats writes it: the value's id is stat-<name>."""
    value = f'<div class="stat-value" id="stat-epoch">{epoch}</div>'
    return f'<div class="stat"><div class="stat-label">Epoch</div>{value}</div>'


def frame(charts, epoch=None) -> dict:
    return {"charts": charts, "stats": None if epoch is None else stats(epoch)}


def payload(frames, *, grid=None, playing=False, assets=None) -> dict:
    return {
        "frames": frames,
        "assets": assets or {},
        "config": STATIC_CONFIG if playing else CONFIG,
        "plotly_src": "plotly_stub.js?v=test",
        "grid": grid,
        "playing": playing,
    }


# ---- helpers -----------------------------------------------------------------------------


def show(pg, spec: dict, host: str = "panel") -> None:
    """Hand ``spec`` to the module and wait until its call has returned."""
    pg.evaluate("([host, spec]) => window.show(host, spec)", [host, spec])


def react_calls(pg, name: str) -> list[dict]:
    return pg.evaluate("(name) => window.Plotly.calls.filter((c) => c.chart === name)", name)


def wait_drawn(pg, name: str, meta: str) -> None:
    """Until chart ``name`` has been drawn with the figure marked ``meta``."""
    pg.wait_for_function(
        "([name, meta]) => window.Plotly && window.Plotly.calls.some((c) => c.chart === name && c.meta === meta)",
        arg=[name, meta],
    )


def epoch_text(pg, host: str = "panel") -> str:
    return pg.evaluate("(host) => document.querySelector(`#${host} #stat-epoch`).textContent", host)


def box(pg, selector: str) -> dict:
    return pg.evaluate(
        "(sel) => { const r = document.querySelector(sel).getBoundingClientRect();"
        " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; }",
        selector,
    )


def assert_clean(pg) -> None:
    """No console error, and no ad-hoc ``__`` property on any element of the page (the
    module keeps its state in declared records, not on DOM nodes)."""
    assert not pg.console_errors, pg.console_errors
    tagged = pg.evaluate(
        "() => [...document.querySelectorAll('*')].flatMap((e) =>"
        " Object.keys(e).filter((k) => k.startsWith('__')).map((k) => `${e.tagName}.${k}`))"
    )
    assert tagged == []


# ---- layout ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grid", "rows", "full_width"),
    [
        ({"columns": "1.25fr 1fr", "areas": "'stats stats' 'a b' 'c c'"}, [["a", "b"], ["c"]], {"c"}),
        ({"columns": "1.4fr 1fr"}, [["a", "b"]], set()),  # the Gradient descent page's
        ({"columns": "1.4fr 1fr"}, [["a", "b"], ["c", "d"]], set()),
        ({"columns": "1.4fr 1fr", "areas": "'. .' 'a b' 'c c'"}, [["a", "b"], ["c"]], {"c"}),  # no "stats" area
        (None, [["a"]], {"a"}),
    ],
    ids=["areas", "columns", "columns-two-rows", "areas-without-stats", "no-grid"],
)
def test_the_stats_line_spans_the_panel_and_a_rows_charts_sit_side_by_side(page, grid, rows, full_width):
    names = [name for row in rows for name in row]
    show(page, payload([frame([chart(n, f"{n}1", title=f"Chart {n}") for n in names], epoch=1)], grid=grid))
    for name in names:
        wait_drawn(page, name, f"{name}1")
    panel = box(page, "#panel > .live-panel")
    line = box(page, "#panel .stats")
    cells = {n: box(page, f'#panel [data-chart="{n}"]') for n in names}
    assert line["left"] == pytest.approx(panel["left"], abs=1)
    assert line["right"] == pytest.approx(panel["right"], abs=1)
    assert all(line["bottom"] <= cell["top"] for cell in cells.values())  # above every chart
    previous_bottom = line["bottom"]
    for row in rows:
        tops = [cells[n]["top"] for n in row]
        assert tops == pytest.approx([tops[0]] * len(tops), abs=1), row  # same top
        assert tops[0] >= previous_bottom - 1, row  # below the row before
        for left, right in itertools.pairwise(row):
            assert cells[left]["right"] <= cells[right]["left"], (left, right)  # side by side, in order
        previous_bottom = max(cells[n]["bottom"] for n in row)
    for name in names:
        spans = cells[name]["right"] - cells[name]["left"] == pytest.approx(panel["right"] - panel["left"], abs=1)
        assert spans == (name in full_width), name
    assert_clean(page)


# ---- protocol ----------------------------------------------------------------------------


def test_a_paused_update_is_shown_at_once_and_drawn_in_the_next_animation_frame(page):
    shown = page.evaluate(
        "async (spec) => { await window.show('panel', spec);"
        " return document.querySelector('#panel #stat-epoch').textContent; }",
        payload([frame([chart("a", "A1")], epoch=7)]),
    )
    assert shown == "7"  # no waiting in a queue
    wait_drawn(page, "a", "A1")
    assert react_calls(page, "a") == [{"chart": "a", "meta": "A1", "staticPlot": False, "traces": 1}]
    assert page.evaluate("[window.__liveChartMounts, window.__liveUpdatesIn, window.__liveFramesIn]") == [1, 1, 1]
    assert_clean(page)


def test_a_playing_update_shows_its_frames_in_turn_ending_at_the_last(page):
    show(page, payload([frame([chart("a", "A0")], epoch=0)]))
    wait_drawn(page, "a", "A0")
    page.evaluate(
        "() => { window.seen = []; const line = document.querySelector('#panel .stats');"
        " new MutationObserver(() => { const t = line.querySelector('#stat-epoch').textContent;"
        " if (t !== window.seen.at(-1)) window.seen.push(t); })"
        ".observe(line, {subtree: true, childList: true, characterData: true}); }"
    )
    frames = [frame([chart("a", f"A{i}")], epoch=i) for i in (1, 2, 3)]
    show(page, payload(frames, playing=True))
    page.wait_for_function("window.seen.at(-1) === '3'")
    assert page.evaluate("window.seen") == ["1", "2", "3"]  # each frame in turn, in order
    wait_drawn(page, "a", "A3")
    calls = react_calls(page, "a")
    metas = [c["meta"] for c in calls]
    # A frame shown between two animation frames may be skipped for drawing, never reordered.
    assert metas[0] == "A0" and metas[-1] == "A3" and metas == sorted(set(metas)), metas
    assert all(c["staticPlot"] for c in calls[1:])  # while playing, static pictures
    assert page.evaluate("window.__liveFramesShown") == 3
    assert page.evaluate("[window.__liveChartMounts, window.__liveUpdatesIn, window.__liveFramesIn]") == [1, 2, 4]
    assert epoch_text(page) == "3"
    assert_clean(page)


def test_a_paused_update_applies_the_queued_frames_then_shows_its_own(page):
    """Pause while frames are queued: the figure a queued frame carried (the pause sends it
    as null, "you have it") is the one drawn, with the interactive config, at once."""
    show(page, payload([frame([chart("a", "A0")], epoch=0)]))
    wait_drawn(page, "a", "A0")
    playing = payload(
        [frame([chart("a", "A1")], 1), frame([chart("a", "A2")], 2), frame([chart("a")], 3)], playing=True
    )
    paused = payload([frame([chart("a")], epoch=4)])
    shown = page.evaluate(
        "async ([playing, paused]) => { window.show('panel', playing); await window.show('panel', paused);"
        " return document.querySelector('#panel #stat-epoch').textContent; }",
        [playing, paused],
    )
    assert shown == "4"
    page.wait_for_function("() => { const c = window.Plotly.calls.at(-1); return c.meta === 'A2' && !c.staticPlot; }")
    assert [c["meta"] for c in react_calls(page, "a")] == ["A0", "A2"]  # drawn once, after both
    assert epoch_text(page) == "4"
    assert_clean(page)


def test_a_null_figure_keeps_the_last_one(page):
    show(page, payload([frame([chart("a", "A1"), chart("b", "B1")], epoch=1)]))
    wait_drawn(page, "a", "A1")
    wait_drawn(page, "b", "B1")
    show(page, payload([frame([chart("a", figure_id="A1"), chart("b", "B2")], epoch=2)]))
    wait_drawn(page, "b", "B2")
    assert [c["meta"] for c in react_calls(page, "a")] == ["A1"]  # not drawn again
    assert page.locator('#panel [data-chart="a"] .svg-container').count() == 1  # and still there
    # The same figure sent again is not drawn again either.
    show(page, payload([frame([chart("a", "A1"), chart("b", "B3")], epoch=3)]))
    wait_drawn(page, "b", "B3")
    assert [c["meta"] for c in react_calls(page, "a")] == ["A1"]
    # A new config (playing: static pictures) redraws the figure it has, with that config.
    show(page, payload([frame([chart("a", figure_id="A1"), chart("b", figure_id="B3")], epoch=4)], playing=True))
    page.wait_for_function("window.Plotly.calls.filter((c) => c.chart === 'a').length === 2")
    assert react_calls(page, "a")[-1] == {"chart": "a", "meta": "A1", "staticPlot": True, "traces": 1}
    assert_clean(page)


def test_a_figure_or_picture_the_browser_never_got_is_asked_for_again(page):
    """An update can be lost on its way (a fragment run that starts at once discards the
    last one's update): told "unchanged" about a figure it does not hold, or referred to a
    picture it never got, the panel reports ``missing`` and Python sends everything again."""
    show(page, payload([frame([chart("a", "A1")], epoch=1)]))
    wait_drawn(page, "a", "A1")
    show(page, payload([frame([chart("a", figure_id="A1")], epoch=2)]))  # it has A1: nothing to ask
    assert page.evaluate("window.triggers") == []
    show(page, payload([frame([chart("a", figure_id="A2")], epoch=3)]))  # A2 was in an update it never got
    page.wait_for_function("window.triggers.length === 1")
    (ask,) = page.evaluate("window.triggers")
    assert (ask["host"], ask["kind"], ask["key"]) == ("panel", "trigger", "missing")
    show(page, payload([frame([chart("a", "A2")], epoch=4)]))  # all again: drawn
    wait_drawn(page, "a", "A2")
    show(page, payload([frame([chart("a", figure_id="A2", overlays=[overlay("asset:gone", 0, 10, 5)])])]))
    page.wait_for_function("window.triggers.length === 2")
    assert page.evaluate("window.triggers[1].key") == "missing"
    assert_clean(page)


def overlay(source: str, x: float, y: float, size: float, layer: str = "above") -> dict:
    return {"source": source, "x": x, "y": y, "sizex": size, "sizey": size, "layer": layer}


def picture(pg) -> tuple[str, list[float]]:
    """The overlay picture's src, and its box (left, top, width, height) in the chart's plot div."""
    src, place = pg.evaluate(
        "() => { const div = document.querySelector('#panel .live-chart');"
        " const img = div.querySelector('.live-overlays img');"
        " const d = div.getBoundingClientRect(), r = img.getBoundingClientRect();"
        " return [img.getAttribute('src'), [r.left - d.left, r.top - d.top, r.width, r.height]]; }"
    )
    return src, pytest.approx(place, abs=0.5)


def test_an_asset_sent_once_is_used_by_reference_later(page):
    show(
        page, payload([frame([chart("a", "A1", overlays=[overlay("asset:red", 0, 10, 5)])])], assets={"asset:red": RED})
    )
    wait_drawn(page, "a", "A1")
    assert picture(page) == (RED, [AREA_LEFT, AREA_TOP, 130, 100])
    show(page, payload([frame([chart("a", overlays=[overlay(BLUE, 0, 10, 5)])])]))  # another picture between
    assert picture(page)[0] == BLUE
    show(page, payload([frame([chart("a", overlays=[overlay("asset:red", 5, 5, 5)])])]))  # referenced, not sent
    assert picture(page) == (RED, [AREA_LEFT + 130, AREA_TOP + 100, 130, 100])
    # A reference the browser lacks keeps the picture it shows until the server re-sends it.
    show(page, payload([frame([chart("a", overlays=[overlay("asset:unknown", 5, 5, 5)])])]))
    assert picture(page)[0] == RED
    # The pictures lie between Plotly's layers: after the paper, before the top layer (the
    # holder of pictures "below" is first, under the paper, and empty here).
    assert layer_order(page) == ["live-overlays below", "main-svg", "live-overlays", "main-svg"]
    assert page.evaluate("document.querySelector('#panel .live-overlays.below').children.length") == 0
    assert_clean(page)


def layer_order(pg) -> list[str]:
    """The classes of the children of the chart's Plotly container, in drawing order."""
    return pg.evaluate(
        "() => [...document.querySelector('#panel .svg-container').children]"
        ".map((e) => e.className.baseVal ?? e.className)"
    )


def test_a_picture_of_layer_below_lies_under_the_paper_and_the_traces(page):
    """Plotly's ``layer: "below"``: the picture goes under the paper (the SVG with the axes
    and the traces), the others over it; a picture that changes layer moves."""
    below, above = overlay(RED, 0, 10, 5, "below"), overlay(BLUE, 5, 5, 5)
    show(page, payload([frame([chart("a", "A1", overlays=[above, below])])]))
    wait_drawn(page, "a", "A1")
    assert layer_order(page) == ["live-overlays below", "main-svg", "live-overlays", "main-svg"]
    pictures = page.evaluate(
        "() => [...document.querySelectorAll('#panel .live-overlays')].map((h) => [...h.children].map((img) => {"
        " const d = document.querySelector('#panel .live-chart').getBoundingClientRect();"
        " const r = img.getBoundingClientRect();"
        " return [img.getAttribute('src'), r.left - d.left, r.top - d.top, r.width, r.height]; }))"
    )
    assert pictures == [
        [[RED, AREA_LEFT, AREA_TOP, 130, 100]],  # under the paper, at its place
        [[BLUE, AREA_LEFT + 130, AREA_TOP + 100, 130, 100]],  # over the traces
    ]
    show(page, payload([frame([chart("a", overlays=[overlay(RED, 0, 10, 5)])], epoch=2)]))  # now above
    counts = page.evaluate(
        "() => [...document.querySelectorAll('#panel .live-overlays')].map((h) => h.children.length)"
    )
    assert counts == [0, 1]
    assert_clean(page)


def test_a_click_on_a_clickable_chart_reports_its_data_coordinates(page):
    grid = {"columns": "1fr 1fr"}
    show(page, payload([frame([chart("a", "A1", clickable=True), chart("b", "B1")])], grid=grid))
    wait_drawn(page, "a", "A1")
    wait_drawn(page, "b", "B1")
    plot = '#panel [data-chart="{}"] .live-chart'
    page.locator(plot.format("b")).click(position={"x": AREA_LEFT + 50, "y": AREA_TOP + 50})  # not clickable
    page.locator(plot.format("a")).click(position={"x": AREA_LEFT - 20, "y": AREA_TOP + 50})  # in the margin
    page.locator(plot.format("a")).click(position={"x": AREA_LEFT + 65, "y": AREA_TOP + 150})
    page.wait_for_function("window.triggers.length > 0")
    triggers = page.evaluate("window.triggers")
    assert len(triggers) == 1, triggers  # the two clicks before, handled first, reported nothing
    click = triggers[0]
    assert (click["host"], click["kind"], click["key"], click["value"]["chart"]) == ("panel", "trigger", "click", "a")
    # 65 of 260 px across [0, 10]; 150 of 200 px down from 10.
    assert (click["value"]["x"], click["value"]["y"]) == (pytest.approx(2.5, abs=0.05), pytest.approx(2.5, abs=0.05))
    assert page.locator(plot.format("a")).evaluate("(d) => d.classList.contains('clickable')")
    assert_clean(page)


def test_a_crisp_picture_is_scaled_without_smoothing(page):
    """The weight matrices' cells are drawn small and scaled up: crisp keeps them squares."""
    sharp = {**overlay(RED, 0, 10, 5), "crisp": True}
    show(page, payload([frame([chart("a", "A1", overlays=[sharp, overlay(BLUE, 5, 5, 5)])])]))
    wait_drawn(page, "a", "A1")
    rendering = page.evaluate(
        "() => [...document.querySelectorAll('#panel .live-overlays img')].map((i) => i.style.imageRendering)"
    )
    assert rendering == ["pixelated", ""]
    assert_clean(page)
