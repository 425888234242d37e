"""The Universal approximation page in a real browser: Play trains, Add a neuron widens the
network while it plays, growing on settling, and the sweep, with the live charts updated in
place (never re-mounted); a link opens its setup, the URL follows, presentation mode."""

import itertools
import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.browser.conftest import IDLE, SCREENSHOTS, assert_healthy, open_page, wait_settled

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"/>'
FIT_OUTPUT = (
    "() => { const d = document.querySelector('[data-chart=fit] div.live-chart');"
    " const t = d && d.data && d.data.find(t => t.name === 'network');"
    " return t ? JSON.stringify(t.y) : ''; }"
)


def offline_icon(pg) -> None:
    """The app's icon (":material/hub:") comes from Google's servers, out of reach on a
    machine without the internet (a console error each time the browser asks for it, as
    the URL changes): it gets an empty picture instead."""
    pg.route("https://fonts.gstatic.com/**", lambda route: route.fulfill(content_type="image/svg+xml", body=SVG))


def open_approximation(pg) -> None:
    """The app's first page, then this one by its link: a first visit straight to a page's
    URL on a fresh server opens Streamlit's "page not found" dialog, and its health probes
    under a page path answer 404 (console errors)."""
    offline_icon(pg)
    open_page(pg)
    pg.get_by_role("link", name="Universal approximation").click()
    pg.wait_for_function(
        "document.querySelector('#stat-neurons') && window.Plotly"
        " && document.querySelectorAll('[data-chart] div.live-chart').length == 3"
    )
    wait_settled(pg)


def number(pg, name: str) -> int:
    return int(pg.locator(f"#stat-{name}").inner_text().replace(",", ""))


def play(pg) -> None:
    pg.get_by_text("Play", exact=True).click()


def wait_for_stat(pg, name: str, at_least: int, timeout: float = 30_000) -> None:
    """Wait until the stats line shows ``name`` at least ``at_least`` (a full run may
    redraw the stats line: it can be missing for a moment)."""
    pg.wait_for_function(
        f"(() => {{ const e = document.querySelector('#stat-{name}');"
        f" return e && Number(e.innerText.replace(/,/g, '')) >= {at_least}; }})()",
        timeout=timeout,
    )


def test_play_trains_and_add_a_neuron_widens_the_network_while_playing(page):
    open_approximation(page)
    assert number(page, "epoch") == 0 and number(page, "neurons") == 4
    first_output = page.evaluate(FIT_OUTPUT)
    assert first_output
    mounts = page.evaluate("window.__liveChartMounts")
    play(page)
    wait_for_stat(page, "epoch", 300)
    assert page.evaluate(FIT_OUTPUT) != first_output  # the fit moved
    page.get_by_role("button", name="Add a neuron").click()
    wait_for_stat(page, "neurons", 5)
    expect(page.get_by_role("spinbutton", name="Hidden neurons")).to_have_value("5")  # the full run's widget
    assert page.get_by_label("Play", exact=True).is_checked()  # still playing
    wait_for_stat(page, "epoch", number(page, "epoch") + 1)  # and training goes on
    assert page.evaluate("window.__liveChartMounts") == mounts  # updated in place, never re-mounted
    play(page)  # pause
    wait_settled(page)  # the paused update shown: no frames left to play out
    paused_at = number(page, "epoch")
    # Paused means stopped: one Step adds exactly one epoch to what was shown (were
    # training going on behind the scenes, the next update would show more).
    page.get_by_role("button", name="Step", exact=True).click()
    page.wait_for_function(f"document.querySelector('#stat-epoch')?.innerText != '{paused_at:,}'")
    wait_settled(page)
    assert number(page, "epoch") == paused_at + 1
    assert_healthy(page)


def test_growing_on_settling_doubles_the_neurons_and_records_the_error(page):
    open_approximation(page)
    page.get_by_text("double the neurons", exact=True).click()
    page.wait_for_selector(IDLE)
    play(page)
    wait_for_stat(page, "neurons", 8, timeout=60_000)
    # The box follows in the full run the growing update starts (after the panel says 8).
    expect(page.get_by_role("spinbutton", name="Hidden neurons")).to_have_value(re.compile(r"^(8|16|32|64)$"))
    page.wait_for_function(  # the width it settled at is in the error chart
        "() => { const d = document.querySelector('[data-chart=error] div.live-chart');"
        " const t = d.data.find(t => t.name === 'max error'); return t && t.x.length >= 1; }"
    )
    play(page)
    page.wait_for_selector(IDLE)
    assert_healthy(page)


def test_the_sweep_shows_progress_and_draws_its_errors(page):
    open_approximation(page)
    page.get_by_role("button", name="Sweep widths").click()  # 2,000 epochs per width: about 2 s
    page.get_by_text("Sweep, 2,000 epochs per width").wait_for(timeout=60_000)
    wait_settled(page)  # its errors drawn
    names = page.evaluate("() => document.querySelector('[data-chart=error] div.live-chart').data.map(t => t.name)")
    assert "sweep: max error" in names and "sweep: RMSE" in names
    page.get_by_text("Sweep, 2,000 epochs per width").scroll_into_view_if_needed()
    assert_healthy(page)


def query(pg) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(pg.url).query).items()}


def open_link(pg, query_string: str) -> None:
    """This page's own address with ``query_string``. The frontend first probes a deep
    link's path as the server's base path (two 404s by design, logged as console errors,
    see tests/browser/test_first_visit.py): errors count from the page's first picture on."""
    offline_icon(pg)
    open_page(pg, f"universal-approximation?{query_string}")
    pg.wait_for_function("document.querySelector('#stat-neurons') && window.Plotly")
    assert all(e.startswith("Failed to load resource") for e in pg.console_errors), pg.console_errors
    pg.console_errors.clear()


def test_a_link_opens_that_setup_and_the_url_follows_a_change(page):
    open_link(page, "target=step&neurons=6")
    assert number(page, "neurons") == 6 and query(page) == {"target": "step", "neurons": "6"}
    page.get_by_role("button", name="Add a neuron").click()
    wait_for_stat(page, "neurons", 7)
    page.wait_for_function("new URLSearchParams(location.search).get('neurons') === '7'")
    assert page.get_by_role("spinbutton", name="Hidden neurons").input_value() == "7"
    assert_healthy(page)


def test_presentation_mode_plays_without_the_sidebar(page):
    open_link(page, "present=1&target=abs")
    assert not page.locator("[data-testid=stSidebar]").is_visible()
    assert not page.get_by_text("Share a link", exact=True).count()
    play(page)
    wait_for_stat(page, "epoch", 100)
    play(page)  # pause
    page.wait_for_selector(IDLE)
    assert query(page) == {"target": "abs", "present": "1"}
    assert_healthy(page)


# ---- issue 13: what a lecturer met on this page --------------------------------------------

DIVERGING = "target=cubic&optimizer=momentum&learning_rate=1&batch_size=1"
CONNECTION_ERROR = "text=/Connection error|Cached ForwardMsg/"


def received_messages(pg) -> list:
    """Every message the page receives from Streamlit from now on, decoded (call before
    the page is opened: its websocket is made then)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    messages = []

    def on_socket(socket):
        socket.on(
            "framereceived",
            lambda payload: messages.append(ForwardMsg.FromString(payload)) if isinstance(payload, bytes) else None,
        )

    pg.on("websocket", on_socket)
    return messages


def panel_sent_as_reference(messages: list) -> list:
    """The live panel's messages that arrived as references to the browser's message cache
    (Streamlit sends a message it believes the browser has as its hash only)."""
    panel_paths = {
        tuple(m.metadata.delta_path)
        for m in messages
        if m.WhichOneof("type") == "delta" and m.delta.new_element.WhichOneof("type") == "bidi_component"
    }
    return [
        m.ref_hash
        for m in messages
        if m.WhichOneof("type") == "ref_hash" and tuple(m.metadata.delta_path) in panel_paths
    ]


def set_learning_rate(pg, key: str) -> None:
    """The learning-rate slider to its lowest ("Home") or highest ("End") value."""
    pg.get_by_role("slider", name="Learning rate").press(key)
    pg.wait_for_selector(IDLE)


def play_switch(pg):
    return pg.get_by_label("Play", exact=True)


def test_after_a_divergence_reset_then_play_trains_again_without_a_connection_error(page):
    """Target x³ − 3x, momentum, the largest learning rate, batches of 1: Play diverges in its
    first epoch. Repeated, Streamlit's "Connection error ... Cached ForwardMsg MISS" once
    greyed the page: the live panel was sent again unchanged (the same picture as before the
    divergence) as a reference to the browser's message cache, which the browser had just
    pruned as a live update ended. The panel is now never sent as a reference."""
    messages = received_messages(page)
    open_link(page, DIVERGING)
    for _ in range(3):
        play(page)
        page.get_by_text("Training diverged at epoch").wait_for()
        page.wait_for_selector(IDLE)
        expect(play_switch(page)).not_to_be_checked()  # paused by the divergence
        play(page)  # Play on a run that cannot train, and off again at once: where the MISS came
        expect(play_switch(page)).to_be_checked()
        play(page)
        expect(play_switch(page)).not_to_be_checked()
        page.wait_for_selector(IDLE)
        set_learning_rate(page, "Home")
        page.get_by_role("button", name="Reset", exact=True).click()
        page.wait_for_selector(IDLE)
        page.get_by_text("Training diverged at epoch").wait_for(state="detached")
        assert number(page, "epoch") == 0
        play(page)
        wait_for_stat(page, "epoch", 2)  # it trains again
        play(page)
        page.wait_for_selector(IDLE)
        set_learning_rate(page, "End")
        page.get_by_role("button", name="Reset", exact=True).click()
        page.wait_for_selector(IDLE)
        assert not page.locator(CONNECTION_ERROR).count()
    assert panel_sent_as_reference(messages) == []
    assert_healthy(page)


def sized_page(browser, app_url, width: int, height: int):
    from tests.browser.conftest import new_page

    pg = new_page(browser, app_url)
    pg.set_viewport_size({"width": width, "height": height})
    return pg


def box(locator) -> list[float]:
    b = locator.bounding_box()
    return [b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]]


def layout(pg) -> dict:
    """Where the stats line and each live chart are, and the top of each value of the line
    (waiting for them: a full run may redraw the panel)."""
    return pg.wait_for_function(
        """() => { const at = e => { const r = e.getBoundingClientRect(); return [r.top, r.height]; };
            const stats = document.querySelector('.live-panel .stats');
            const plots = [...document.querySelectorAll('[data-chart] div.live-chart')];
            const drawn = plots.filter(
                d => d._fullLayout && d.getBoundingClientRect().height >= d._fullLayout.height - 1);
            if (!stats || !document.querySelector('#stat-epoch') || drawn.length < 3) return null;
            return {stats: at(stats), tops: [...new Set([...stats.querySelectorAll('.stat')].map(s => at(s)[0]))],
                    charts: [...document.querySelectorAll('[data-chart]')].map(c => [c.dataset.chart, ...at(c)]),
                    epoch: document.querySelector('#stat-epoch').innerText}; }"""
    ).json_value()


def test_the_stats_line_and_the_charts_keep_their_place_while_playing(browser, app_url):
    """Once the stats row wrapped mid-demo and pushed every chart down. At 1440x900, over
    frames of Play (growing the network as training settles, as in a lecture), the stats
    stay on one line of one height and no chart moves."""
    pg = sized_page(browser, app_url, 1440, 900)
    try:
        open_link(pg, "grow=double")
        first = layout(pg)
        assert len(first["tops"]) == 1  # one line
        play(pg)
        seen = [first]
        for _ in range(12):
            epoch = seen[-1]["epoch"]
            pg.wait_for_function(
                f"() => {{ const e = document.querySelector('#stat-epoch'); return e && e.innerText !== '{epoch}'; }}"
            )
            seen.append(layout(pg))
        wait_for_stat(pg, "neurons", 8, timeout=60_000)  # grew while playing: a full run redrew the page
        seen.append(layout(pg))
        play(pg)
        pg.wait_for_selector(IDLE)
        for now in seen:
            assert len(now["tops"]) == 1, now
            assert now["stats"] == first["stats"] and now["charts"] == first["charts"], (now, first)
        assert_healthy(pg)
    finally:
        pg.context.close()


CUT_TEXT_JS = """() => [...document.querySelectorAll('[data-testid=stMain] button, [data-testid=stMain] label')]
    .filter(b => b.offsetParent && [b, ...b.querySelectorAll('*')]
        .some(e => (e.innerText || '').trim() && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1))
    .map(b => b.innerText)"""


def test_labels_are_whole_and_the_depth_table_fits_at_a_laptops_and_a_projectors_size(browser, app_url):
    """Once "Remove the wea…" and a width-versus-depth table cut at the right."""
    for width, height in ((1440, 900), (1280, 720)):
        pg = sized_page(browser, app_url, width, height)
        try:
            open_link(pg, "depth_epochs=1000")
            assert pg.locator("[data-testid=stSidebar]").is_visible()
            assert pg.evaluate(CUT_TEXT_JS) == [], width
            pg.get_by_role("button", name="Train side by side").click()
            pg.get_by_text("Lowest max error").wait_for(timeout=60_000)
            pg.wait_for_selector(IDLE)
            table = pg.locator("[data-testid=stTable]")
            table.scroll_into_view_if_needed()
            inner = table.evaluate("t => [t.scrollWidth, t.clientWidth]")
            assert inner[0] <= inner[1], (width, inner)
            main = box(pg.locator("[data-testid=stMainBlockContainer]"))
            cells = table.locator("th, td")
            assert cells.count() == 25  # 5 columns, a header and 4 rows
            for cell in cells.all():
                b = box(cell)
                assert main[0] <= b[0] and b[2] <= main[2], (width, cell.inner_text(), b, main)
            assert pg.evaluate(CUT_TEXT_JS) == [], width
            assert_healthy(pg)
        finally:
            pg.context.close()


def test_presentation_at_1280x720_shows_the_run_bar_and_the_pictures_on_the_first_screen(browser, app_url):
    from ui.live.widgets import css_class
    from ui.state import ApproxKeys as K

    pg = sized_page(browser, app_url, 1280, 720)
    try:
        open_link(pg, "present=1&target=step")
        screen = [0, 0, 1280, 720]
        parts = [K.LOOP.play_box, K.LOOP.step, K.LOOP.reset, K.ADD_NEURON, K.REMOVE_NEURON]

        def on_first_screen() -> None:
            for part in parts:
                assert within(box(pg.locator(f".{css_class(part)}")), screen), part
            for chart in ("fit", "error"):  # the pictures, with their titles
                cell = pg.locator(f"[data-chart={chart}]")
                assert within(box(cell), screen), (chart, box(cell))
                assert within(box(cell.locator("div.live-chart")), screen), chart

        on_first_screen()
        play(pg)
        wait_for_stat(pg, "epoch", 200)
        on_first_screen()
        play(pg)
        pg.wait_for_selector(IDLE)
        on_first_screen()
        assert pg.evaluate(CUT_TEXT_JS) == []
        assert_healthy(pg)
    finally:
        pg.screenshot(path=str(SCREENSHOTS / "universal_approximation_present_1280x720.png"))
        pg.context.close()


def within(inner: list[float], outer: list[float]) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


TEXTS_JS = """(root, selector) => [...root.querySelectorAll(selector)]
    .filter(e => e.textContent.trim() && e.getBoundingClientRect().width > 0)
    .map(e => { const r = e.getBoundingClientRect(); return [e.textContent, r.left, r.top, r.right, r.bottom]; })"""
CHART_TEXTS = ".xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .legendtext, .gtitle, .annotation-text"


def test_no_chart_toolbar_covers_a_title_a_legend_or_a_label(page):
    """The chart toolbar (shown on hover, at the top right) once covered chart titles."""
    open_link(page, "depth_epochs=1000")
    page.get_by_role("button", name="Train side by side").click()
    page.get_by_text("Lowest max error").wait_for(timeout=60_000)
    page.wait_for_selector(IDLE)
    page.wait_for_function("document.querySelectorAll('[data-chart] div.live-chart').length == 3 && window.Plotly")
    charts = [page.locator(f"[data-chart={name}]") for name in ("fit", "error", "loss")]
    charts += page.locator("[data-testid=stPlotlyChart]").all()  # width versus depth, the zigzag
    assert len(charts) == 5
    for cell in charts:
        cell.scroll_into_view_if_needed()
        plot = cell.locator("div.live-chart, .js-plotly-plot").first
        outer = box(plot)
        page.mouse.move(outer[0] + 80, outer[1] + 80)  # over the plot: Plotly shows its toolbar
        toolbar = cell.locator(".modebar").first
        toolbar.wait_for(state="visible")
        bar = box(toolbar)
        titles = cell.locator(".cell-title")
        if titles.count():
            assert not overlap(bar, box(titles.first)), bar
        covered = [t for t, *where in plot.evaluate(TEXTS_JS, CHART_TEXTS) if overlap(bar, where)]
        assert not covered, covered
        page.mouse.move(0, 0)
    assert_healthy(page)


def tick_labels(pg, chart: str) -> list[str]:
    """The y-axis tick labels the browser draws on a live chart, top to bottom."""
    pg.wait_for_selector(f"[data-chart={chart}] .ytick text")
    return pg.evaluate(
        f"""() => [...document.querySelectorAll('[data-chart={chart}] .ytick text')]
            .map(t => [t.getBoundingClientRect().top, t.textContent]).sort((a, b) => a[0] - b[0]).map(p => p[1])"""
    )


def tick_value(text: str) -> float:
    text = text.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹−", "-0123456789-"))
    if "×10" in text:
        mantissa, power = text.split("×10")
        return float(mantissa) * 10.0 ** int(power)
    return 10.0 ** int(text[2:]) if text.startswith("10-") else float(text)


def assert_whole_log_labels(labels: list[str]) -> None:
    """Each label is its tick's whole value, so down the axis they fall (once "1, 5, 2, 10⁻¹, 5")."""
    values = [tick_value(t) for t in labels]
    assert len(values) >= 2, labels
    assert all(a > b for a, b in itertools.pairwise(values)), labels


def test_the_log_axes_label_every_tick_with_its_whole_value(page):
    open_link(page, "target=step&sweep_epochs=500")  # errors 4.9 and 2.5 at first: once one label, "5"
    for chart in ("error", "loss"):
        assert_whole_log_labels(tick_labels(page, chart))
    page.get_by_role("button", name="Sweep widths").click()
    page.get_by_text("Sweep, 500 epochs per width").wait_for(timeout=60_000)
    page.wait_for_selector(IDLE)
    page.wait_for_function("() => document.querySelectorAll('[data-chart=error] .ytick text').length >= 4")
    play(page)
    wait_for_stat(page, "epoch", 3000)  # the loss spans decades
    play(page)
    page.wait_for_selector(IDLE)
    for chart in ("error", "loss"):
        assert_whole_log_labels(tick_labels(page, chart))
    assert_healthy(page)


def test_every_character_is_drawn_with_the_apps_own_font(page):
    """No emoji, and no symbol the bundled Source Sans lacks (a browser without a font for it
    draws an empty box): a glyph Source Sans has is as wide whatever the fallback font."""
    open_link(page, "target=step&activation=step")
    page.get_by_text("How does this work?").click()
    page.locator(".katex").first.wait_for()
    page.wait_for_selector(IDLE)
    missing = page.evaluate(
        """() => { const main = document.querySelector('[data-testid=stMain]').cloneNode(true);
            main.querySelectorAll('.katex, [data-testid=stIconMaterial], [data-testid=stSelectbox]')
                .forEach(e => e.remove());
            const chars = [...new Set(main.textContent)];
            const c = document.createElement('canvas').getContext('2d');
            const width = (family, ch) => { c.font = '40px ' + family; return c.measureText(ch).width; };
            return chars.filter(ch => ch.charCodeAt(0) > 127 && (/\\p{Extended_Pictographic}/u.test(ch)
                || width('"Source Sans", monospace', ch) !== width('"Source Sans", serif', ch))); }"""
    )
    assert not missing, missing
    assert_healthy(page)
