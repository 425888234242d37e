"""The Gradient descent page in a real browser: Play steps the worked example until it
converges or diverges, and the optimizers race on the loss surface."""

import re
import struct
import zlib
from urllib.parse import parse_qs, urlsplit

import numpy as np

from tests.browser.conftest import IDLE, SCREENSHOTS, assert_healthy, open_page, wait_settled
from ui.charts.descent import MINIMUM_COLOR, OPTIMIZER_COLORS


def open_gradient_descent(pg) -> None:
    """The app's main page first, then the sidebar link, as a student would. (A direct
    link works too, but on a fresh server Streamlit's first run serves the pages/ folder
    as an old-style multipage app until app.py's st.navigation has run once; and the
    browser's base-path probe of a deep link logs two 404s as console errors.)"""
    open_page(pg, "")
    pg.locator('[data-testid=stSidebarNav] a[href$="/gradient-descent"]').click()
    pg.get_by_role("heading", name="Gradient descent").first.wait_for()
    pg.wait_for_selector(IDLE)
    pg.wait_for_function("document.querySelectorAll('div.live-chart').length == 4 && window.Plotly")
    wait_settled(pg)


def number(pg, name: str) -> float:
    """A value of a stats line (element id ``stat-<name>``)."""
    return float(pg.locator(f"#stat-{name}").inner_text())


def query(pg) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(pg.url).query).items()}


def fastest(pg, field: str) -> None:
    """Set the select-slider of setting ``field`` to its last value from the keyboard."""
    pg.locator(f".st-key-gd-link-w-{field} input[type=range]").focus()
    pg.keyboard.press("End")
    pg.wait_for_url(re.compile(rf"[?&]{field}="))  # the link follows the new setting: its run has been made
    wait_settled(pg)


def toggle(pg, key: str):
    return pg.locator(f".st-key-{key}").get_by_text("Play", exact=True)


def test_gradient_descent_page_loads_cleanly(page):
    open_gradient_descent(page)
    assert page.evaluate("document.querySelectorAll('div.live-panel').length") == 2
    assert number(page, "gd-step") == 0 and number(page, "gd-w") == 5.0
    assert page.get_by_text("diverges for every learning rate above 0.5").is_visible()
    assert_healthy(page)


def test_step_twice_fills_the_table_with_5_and_4_2(page):
    open_gradient_descent(page)
    for steps in (1, 2):
        page.locator(".st-key-gd-one-step button:visible").click()
        page.wait_for_function(f"document.querySelector('#stat-gd-step').innerText == '{steps}'")
        wait_settled(page)
    assert number(page, "gd-step") == 2 and number(page, "gd-w") == 3.72
    page.locator("[data-testid=stDataFrame]").wait_for()
    assert page.locator("[data-testid=stDataFrame]").count() == 1
    assert_healthy(page)


def test_play_steps_until_it_converges_then_stops(page):
    open_gradient_descent(page)
    mounts = page.evaluate("window.__liveChartMounts")
    fastest(page, "steps_per_second")  # 8 steps a second
    assert query(page) == {"steps_per_second": "8"}
    toggle(page, "gd-one-playing").click()
    page.wait_for_function("Number(document.querySelector('#stat-gd-step').innerText) >= 3")
    page.get_by_text("Converged after 21 step(s)").wait_for(timeout=20_000)
    wait_settled(page)
    assert number(page, "gd-w") == 3.0
    assert not page.locator(".st-key-gd-one-playing input").is_checked()
    assert page.evaluate("window.__liveChartMounts") == mounts  # updated in place, never re-mounted
    assert_healthy(page)


def test_a_rate_above_half_diverges_and_play_stops(page):
    open_gradient_descent(page)
    page.locator(".st-key-gd-preset-0-55 button:visible").click()
    page.wait_for_url(re.compile(r"[?&]learning_rate=0\.55(&|$)"))
    wait_settled(page)
    fastest(page, "steps_per_second")
    toggle(page, "gd-one-playing").click()
    page.get_by_text(re.compile(r"Training diverged after \d+ steps")).wait_for(timeout=30_000)
    wait_settled(page)
    assert not page.locator(".st-key-gd-one-playing input").is_checked()
    assert page.locator(".st-key-gd-one-step button:visible").is_disabled()
    assert_healthy(page)


def test_the_optimizers_race_and_a_click_on_the_map_restarts_them(page):
    open_gradient_descent(page)
    start_loss = number(page, "race-loss-sgd")
    fastest(page, "race_steps_per_second")
    toggle(page, "gd-race-playing").click()
    page.wait_for_function("Number(document.querySelector('#stat-race-step').innerText) >= 30")
    for name in ("sgd", "momentum", "rmsprop", "adam"):
        assert number(page, f"race-loss-{name}") < start_loss
    toggle(page, "gd-race-playing").click()  # pause
    wait_settled(page)  # the paused update shown: no frames left to play out
    paused_at = int(number(page, "race-step"))
    # Paused means stopped: one Step adds exactly one step to what was shown (were the
    # race going on behind the scenes, the next update would show more).
    page.locator(".st-key-gd-race-step button:visible").click()
    page.wait_for_function(f"document.querySelector('#stat-race-step').innerText != '{paused_at}'")
    wait_settled(page)
    assert number(page, "race-step") == paused_at + 1
    # Click the map at (w, b) = (2, -2): the race starts again from there.
    surface = page.locator("[data-chart=surface] div.live-chart")
    x, y = surface.evaluate(
        "d => [d._fullLayout.xaxis._offset + d._fullLayout.xaxis.d2p(2),"
        " d._fullLayout.yaxis._offset + d._fullLayout.yaxis.d2p(-2)]"
    )
    surface.click(position={"x": x, "y": y})
    page.wait_for_function("Number(document.querySelector('#stat-race-step').innerText) == 0")
    wait_settled(page)
    now = surface.evaluate("d => d.data.find(t => t.name == 'now')")
    assert all(abs(w - 2) < 0.1 for w in now["x"]) and all(abs(b + 2) < 0.1 for b in now["y"])
    assert_healthy(page)


def forgive_the_base_path_probe(pg, failed: list[str]) -> None:
    """Opened at a page's own address, Streamlit's frontend first probes whether the app is
    served under that path (``<page>/_stcore/health`` and ``host-config``): two 404s that
    the console logs as errors. Forget exactly those, and nothing else."""
    probes = {f"{pg.app_url}/gradient-descent/_stcore/{name}" for name in ("health", "host-config")}
    assert set(failed) <= probes, failed
    not_found = "Failed to load resource: the server responded with a status of 404 (Not Found)"
    for _ in failed:
        pg.console_errors.remove(not_found)


def test_a_link_opens_the_example_at_its_rate_in_presentation_mode(page):
    failed = []
    page.on("response", lambda r: failed.append(r.url.split("?")[0]) if r.status >= 400 else None)
    open_page(page, "gradient-descent?learning_rate=0.55&present=1")
    forgive_the_base_path_probe(page, failed)
    page.wait_for_function("document.querySelectorAll('div.live-chart').length == 4 && window.Plotly")
    assert page.locator("#stat-gd-behaviour").inner_text() == "diverges"
    assert page.locator("[data-testid=stSidebar]").is_hidden()
    assert page.locator("[data-testid=stSlider]").count() == 0  # no settings, the run bars only
    assert page.get_by_text("Share a link").count() == 0
    toggle(page, "gd-one-playing").click()
    page.get_by_text(re.compile(r"Training diverged after \d+ steps")).wait_for(timeout=30_000)
    wait_settled(page)
    assert not page.locator(".st-key-gd-one-playing input").is_checked()
    assert query(page) == {"learning_rate": "0.55", "present": "1"}
    assert_healthy(page)


# ---- pixels: what the screen shows, read from a screenshot ---------------------------------


def read_png(data: bytes) -> np.ndarray:
    """The RGB pixels (height, width, 3) of an 8-bit, non-interlaced RGB or RGBA PNG (what
    Chromium's screenshots are): the chunks, zlib, and the five row filters of the PNG spec."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks = 8, {}
    while at < len(data):
        (length,), kind = struct.unpack(">I", data[at : at + 4]), data[at + 4 : at + 8]
        chunks.setdefault(kind, []).append(data[at + 8 : at + 8 + length])
        at += 12 + length
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"][0])
    assert depth == 8 and color in (2, 6) and interlace == 0, (depth, color, interlace)
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(b"".join(chunks[b"IDAT"]))
    stride = width * bpp
    rows, prior = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prior))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prior[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prior[i], prior[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prior = line
    return np.frombuffer(b"".join(rows), np.uint8).reshape(height, width, bpp)[..., :3]


def rgb(color: str) -> np.ndarray:
    return np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])


def nearest_distance(pixels: np.ndarray, x: float, y: float, color: str) -> float:
    """How far (RGB distance) the pixel nearest in colour to ``color`` within one pixel of
    (x, y) is from it: 0 where the screen shows that colour there."""
    col, row = round(x), round(y)
    patch = pixels[max(row - 1, 0) : row + 2, max(col - 1, 0) : col + 2].reshape(-1, 3).astype(float)
    return float(np.min(np.linalg.norm(patch - rgb(color), axis=1)))


POINTS_JS = """div => {
  // Each scatter trace's marker points, as drawn: their centres in px within the plot div
  // (a trace named by its meta, where it has one: its legend text may say more).
  const box = div.getBoundingClientRect();
  const names = div.data.map(t => t.meta ?? t.name);
  const out = {};
  div.querySelectorAll('g.trace.scatter').forEach((g, i) => {
    out[names[i]] = [...g.querySelectorAll('path.point')].map(p => {
      const r = p.getBoundingClientRect();
      return [r.left + r.width / 2 - box.left, r.top + r.height / 2 - box.top];
    });
  });
  return out;
}"""


def drawn(pg, chart: str) -> tuple[np.ndarray, dict[str, list]]:
    """The chart's plot div as the screen shows it (pixels), and where each trace's markers are."""
    plot = pg.locator(f"[data-chart={chart}] div.live-chart")
    plot.scroll_into_view_if_needed()
    points = plot.evaluate(POINTS_JS)
    return read_png(plot.screenshot()), points


def visible_share(pixels, points, color: str, others=()) -> float:
    """The share of ``points`` at which the screen shows ``color`` (points within 6 px of
    one in ``others``, where another trace may lie on top, are left out)."""
    crowded = np.array(others, dtype=float).reshape(-1, 2)
    free = [p for p in points if not len(crowded) or np.min(np.linalg.norm(crowded - p, axis=1)) > 6]
    assert free, "no point of the path away from the others"
    return sum(nearest_distance(pixels, x, y, color) < 60 for x, y in free) / len(free)


def test_the_paths_and_the_minimum_are_drawn_over_the_contours(page):
    open_gradient_descent(page)
    pixels, points = drawn(page, "surface")
    (star,) = points["minimum"]
    assert nearest_distance(pixels, *star, MINIMUM_COLOR) < 40  # the minimum, before Play
    heads = points["now"]  # all four at the start: the last drawn on top
    assert nearest_distance(pixels, *heads[-1], OPTIMIZER_COLORS["adam"]) < 40
    for n in range(1, 13):
        page.locator(".st-key-gd-race-step button:visible").click()
        page.wait_for_function(f"document.querySelector('#stat-race-step').innerText == '{n}'")
        wait_settled(page)  # and drawn
    pixels, points = drawn(page, "surface")
    assert nearest_distance(pixels, *points["minimum"][0], MINIMUM_COLOR) < 40
    assert legend_texts(page, "surface") == ["sgd", "momentum", "rmsprop", "adam", "the minimum"]
    for name, color in OPTIMIZER_COLORS.items():
        path = points[name][1:]  # the start is shared by all four
        others = [p for other in OPTIMIZER_COLORS if other != name for p in points[other]] + points["now"]
        share = visible_share(pixels, path, color, others)
        assert share >= 0.6, f"{name}: its colour shows at only {share:.0%} of its points"
    assert_healthy(page)


def legend_texts(pg, chart: str) -> list[str]:
    return pg.locator(f"[data-chart={chart}] .legend .legendtext").evaluate_all("ts => ts.map(t => t.textContent)")


def test_a_diverged_optimizer_says_so_and_its_path_stops(page):
    open_gradient_descent(page)
    fastest(page, "race_learning_rate")  # lr = 1: sgd and momentum diverge within a few steps
    assert query(page) == {"race_learning_rate": "1"}
    step = page.locator(".st-key-gd-race-step button:visible")
    for n in range(1, 7):
        step.click()
        page.wait_for_function(f"document.querySelector('#stat-race-step').innerText == '{n}'")
        wait_settled(page)
        values = page.locator(".live-panel .stat-value").all_inner_texts()
        assert not [v for v in values if re.search(r"\d{6}", v.replace(",", ""))], values  # no 12-digit loss
    assert re.fullmatch(r"diverged at step \d", page.locator("#stat-race-loss-sgd").inner_text())
    assert re.fullmatch(r"diverged at step \d", page.locator("#stat-race-loss-momentum").inner_text())
    assert page.get_by_text(re.compile(r"Training diverged for sgd \(step \d\) and momentum")).is_visible()
    assert legend_texts(page, "surface")[:2] == ["sgd (diverged)", "momentum (diverged)"]
    # The paths stop near the map (|w|, |b| ≤ 50), never off to infinity; the fit shows
    # only the optimizers still going.
    ends = page.locator("[data-chart=surface] div.live-chart").evaluate(
        "d => d.data.filter(t => t.meta == 'sgd' || t.meta == 'momentum')"
        ".map(t => Math.max(...Array.from(t.x).map(Math.abs), ...Array.from(t.y).map(Math.abs)))"
    )
    assert len(ends) == 2 and max(ends) <= 50
    shown = page.locator("[data-chart=fit] div.live-chart").evaluate(
        "d => d.data.filter(t => t.visible !== 'legendonly').map(t => t.meta ?? t.name)"
    )
    assert shown == ["data", "rmsprop", "adam"]
    assert_healthy(page)


# ---- the first screen: what a lecturer sees without scrolling --------------------------------

BOX_JS = "e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"
CUT_LABELS_JS = """() => [...document.querySelectorAll('[data-testid=stMain] *')].filter(e => {
  // An element that cuts its own text short: an ellipsis, or hidden overflow, with text wider than it.
  const s = getComputedStyle(e);
  const cuts = s.textOverflow === 'ellipsis' || s.overflow === 'hidden' || s.overflowX === 'hidden';
  return cuts && e.scrollWidth > e.clientWidth + 1 && (e.innerText || '').trim();
}).map(e => e.innerText.trim().slice(0, 60))"""
TEXT_BOXES_JS = """div => [...div.querySelectorAll('svg text')].filter(t => (t.textContent || '').trim()).map(t => {
  const r = t.getBoundingClientRect();
  return [t.textContent, r.left, r.top, r.right, r.bottom];
})"""


def box(locator) -> list[float]:
    return locator.evaluate(BOX_JS)


def within(inner: list[float], outer: list[float], slack: float = 0.5) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def screen(browser, app_url, width: int, height: int):
    from tests.browser.conftest import new_page

    pg = new_page(browser, app_url)
    pg.set_viewport_size({"width": width, "height": height})
    return pg


def assert_charts_readable(pg, charts: tuple[str, ...], width: int, height: int) -> None:
    """Each chart (its title and plot) lies within the first screen, every text of its
    plot within the plot (no label cut at an edge), and its toolbar, shown on hover,
    covers neither its title nor its legend."""
    for chart in charts:
        cell = pg.locator(f"[data-chart={chart}]")
        plot = cell.locator("div.live-chart")
        assert within(box(cell), [0, 0, width, height]), (chart, box(cell))
        outer = box(plot)
        for text, *where in plot.evaluate(TEXT_BOXES_JS):
            assert within(where, outer), (chart, text, where, outer)
        pg.mouse.move(outer[0] + 80, outer[1] + 80)  # over the plot: Plotly shows its toolbar
        toolbar = cell.locator(".modebar")
        toolbar.wait_for(state="visible")
        bar = box(toolbar)
        assert not overlap(bar, box(cell.locator(".cell-title"))), chart
        legend = cell.locator(".legend")
        if legend.count():
            assert not overlap(bar, box(legend.locator(".bg").first)), (chart, bar)
        pg.mouse.move(0, 0)


def test_the_worked_example_fits_the_first_screen_at_1440x900_with_the_sidebar_open(browser, app_url):
    pg = screen(browser, app_url, 1440, 900)
    try:
        open_gradient_descent(pg)
        sidebar = pg.locator("[data-testid=stSidebar]")
        assert sidebar.is_visible()
        assert box(sidebar)[2] > 200  # open, not collapsed
        run_bar = [pg.locator(f".st-key-gd-one-{name}") for name in ("play_box", "step", "reset")]
        for part in [*run_bar, pg.locator(".st-key-gd-preset-0-55")]:
            assert within(box(part), [box(sidebar)[2], 0, 1440, 900]), box(part)
        assert_charts_readable(pg, ("parabola", "weights"), 1440, 900)
        assert pg.evaluate(CUT_LABELS_JS) == []  # no button or label cut short
        assert_healthy(pg)
    finally:
        pg.screenshot(path=str(SCREENSHOTS / "gradient_descent_1440x900.png"))
        pg.context.close()


def test_the_race_charts_keep_their_labels_and_legends_clear(page):
    open_gradient_descent(page)
    page.locator("[data-chart=fit]").scroll_into_view_if_needed()
    page.evaluate("document.querySelector('[data-chart=surface]').scrollIntoView({block: 'start'})")
    top = box(page.locator("[data-chart=surface]"))[1]
    assert_charts_readable(page, ("surface", "fit"), 1500, top + 1300)
    assert legend_texts(page, "fit") == ["data", "sgd", "momentum", "rmsprop", "adam"]
    assert page.evaluate(CUT_LABELS_JS) == []
    assert_healthy(page)


def test_presentation_mode_shows_the_run_bar_and_the_example_on_a_projectors_first_screen(browser, app_url):
    pg = screen(browser, app_url, 1280, 720)
    failed = []
    pg.on("response", lambda r: failed.append(r.url.split("?")[0]) if r.status >= 400 else None)
    try:
        open_page(pg, "gradient-descent?present=1")
        forgive_the_base_path_probe(pg, failed)
        pg.wait_for_function("document.querySelectorAll('div.live-chart').length == 4 && window.Plotly")
        for part in ("play_box", "step", "reset"):
            assert within(box(pg.locator(f".st-key-gd-one-{part}")), [0, 0, 1280, 720]), part
        assert_charts_readable(pg, ("parabola", "weights"), 1280, 720)
        font = pg.locator("[data-chart=parabola] .xtick text").first.evaluate("t => parseFloat(t.style.fontSize)")
        assert font >= 16  # chart text enlarged with the rest
        assert pg.evaluate(CUT_LABELS_JS) == []
        assert_healthy(pg)
    finally:
        pg.screenshot(path=str(SCREENSHOTS / "gradient_descent_present_1280x720.png"))
        pg.context.close()


def test_the_page_draws_its_symbols_and_names_no_colour(page):
    """The minimum is a star marker in the chart's legend, the stats' dots are drawn by CSS:
    no character that a browser without that glyph shows as an empty box."""
    open_gradient_descent(page)
    words = page.locator("[data-testid=stMain]").inner_text()
    assert not re.search("[\u2600-\u27bf\U0001f000-\U0001faff]", words), re.findall("[\u2600-\u27bf]", words)
    star = page.locator("[data-chart=surface] .legend .traces", has_text="the minimum").locator("path.scatterpts")
    assert star.evaluate("p => p.style.fill") == "rgb(255, 213, 79)"  # MINIMUM_COLOR, as drawn on the map
    assert_healthy(page)
