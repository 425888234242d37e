"""The neuron page in a real browser: the pictures follow the controls, the URL follows
the settings and a link opens them, and the XOR button opens the Playground set up for it."""

import re
import time
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import IDLE, assert_healthy, assert_no_traceback_since, open_page

CHARTS = "document.querySelectorAll('div.live-chart').length == 6 && window.Plotly"
# Six charts (one a WebGL surface) and a gallery of 24 curves: on a busy machine the page
# takes longer than Playwright's 30 s default to draw, so every wait here allows longer.
TIMEOUT_MS = 90_000


def open_neuron(pg) -> None:
    """The app's main page first, then the sidebar link (see test_gradient_descent.py)."""
    pg.set_default_timeout(TIMEOUT_MS)
    open_page(pg, "", timeout=TIMEOUT_MS)
    pg.locator('[data-testid=stSidebarNav] a[href$="/neuron"]').click()
    pg.get_by_role("heading", name="The neuron").first.wait_for()
    pg.wait_for_selector(IDLE)
    pg.wait_for_function(CHARTS)


def query(pg) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(pg.url).query).items()}


def plane_picture(pg) -> str:
    """The plane's output picture as drawn: the heatmap's image."""
    return pg.evaluate(
        "() => { const i = document.querySelector('[data-chart=plane] .heatmaplayer image');"
        " return i ? i.getAttribute('href') : ''; }"
    )


def test_neuron_page_loads_cleanly(page):
    open_neuron(page)
    assert page.evaluate("document.querySelectorAll('div.live-panel').length") == 3
    page.wait_for_selector("[data-chart=surface] canvas")  # the 3-D surface, drawn with WebGL
    page.wait_for_selector("[data-testid=stPlotlyChart]")  # the activation gallery
    assert page.get_by_text("Converged after 9 epoch(s)").is_visible()
    assert query(page) == {}  # the defaults: a bare /neuron
    assert_healthy(page)


def test_the_activation_changes_the_picture_in_place_and_the_url_follows(page):
    open_neuron(page)
    page.wait_for_function("document.querySelector('[data-chart=plane] div.live-chart').layout")
    page.wait_for_function("document.querySelector('[data-chart=plane] .heatmaplayer image')")
    before, mounts = plane_picture(page), page.evaluate("window.__liveChartMounts")
    page.get_by_role("combobox", name="Activation f").click()
    page.get_by_role("option", name="step", exact=True).click()
    page.wait_for_function(
        "src => document.querySelector('[data-chart=plane] .heatmaplayer image').getAttribute('href') != src",
        arg=before,
    )
    page.wait_for_url(re.compile(r"/neuron\?activation=step$"))
    slider = page.get_by_role("slider", name="w₂")
    slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"/neuron\?w2=0\.8&activation=step$"))  # 0.5 and three steps of 0.1
    page.wait_for_selector(IDLE)
    assert page.evaluate("window.__liveChartMounts") == mounts  # updated in place, never mounted again
    assert_healthy(page)


def test_a_link_opens_the_neuron_it_names(page):
    missing = []
    page.on("response", lambda r: missing.append(urlsplit(r.url).path) if r.status == 404 else None)
    page.set_default_timeout(TIMEOUT_MS)
    open_page(page, "neuron?w1=1.5&activation=relu&epoch=3", timeout=TIMEOUT_MS)
    page.wait_for_function(CHARTS)
    expect(page.get_by_role("slider", name="w₁")).to_have_value("1.5")
    expect(page.get_by_role("slider", name="Show the line after epoch")).to_have_value("3")
    expect(page.get_by_role("combobox", name="Activation f")).to_have_value("relu")
    expect(page.locator("[data-chart=line] .cell-title")).to_contain_text("After epoch 3")
    assert query(page) == {"w1": "1.5", "activation": "relu", "epoch": "3"}
    # Opened at a page's own address, Streamlit's frontend first asks for its server
    # below that path (/neuron/_stcore/...), is told 404, and then finds it at the root:
    # those two lookups are the only console errors allowed here.
    assert set(missing) <= {"/neuron/_stcore/health", "/neuron/_stcore/host-config"}, missing
    assert all("404" in e for e in page.console_errors), page.console_errors
    assert not page.query_selector_all("[data-testid=stException]")
    assert_no_traceback_since(page)


def test_xor_does_not_converge_and_the_button_opens_the_playground_set_up(page):
    open_neuron(page)
    page.get_by_role("radio", name="Exclusive or (XOR)").click()
    page.wait_for_url(re.compile(r"/neuron\?data=xor$"))
    page.wait_for_selector(IDLE)
    page.get_by_text("No convergence").wait_for()
    page.get_by_text("no line separates XOR").wait_for()
    page.get_by_role("button", name="Open the Playground on XOR with one hidden layer").click()
    page.get_by_role("heading", name="Neural-network playground").wait_for()
    page.wait_for_selector("#stat-epoch")
    page.wait_for_url(re.compile(r"/\?dataset=xor&hidden=4$"))  # the Playground's own link says so
    page.wait_for_selector(IDLE)
    sidebar = page.locator("[data-testid=stSidebar]")
    assert sidebar.get_by_text("Exclusive or", exact=True).first.is_visible()
    assert sidebar.get_by_text("layer 1: 4 neurons").is_visible()
    assert_healthy(page)


# ---- what is drawn says what it shows (issue 13) --------------------------------------------

SECTION = "One neuron, two inputs"
# Each legend entry's text and the colour its symbol is drawn in: a marker's fill, a line's
# stroke (read from the DOM as the browser draws it).
LEGEND = """(root) => Object.fromEntries([...root.querySelectorAll('.legend .traces')].map(t => {
    const drawn = [...t.querySelectorAll('.legendlines path, .legendpoints path')].map(p => getComputedStyle(p))
        .map(s => (s.fill !== 'none' && Number(s.fillOpacity) > 0) ? s.fill : s.stroke);
    return [t.querySelector('.legendtext').textContent, drawn[0]]; }))"""
# The colour of each trace as the figure gives it (a marker's or a line's), in the browser's
# own rgb() spelling: what the legend entry must show.
TRACE_COLORS = """(root) => { const gd = root.querySelector('.js-plotly-plot');
    const rgb = (c) => { const e = document.createElement('span'); e.style.color = c;
        document.body.appendChild(e); const v = getComputedStyle(e).color; e.remove(); return v; };
    return Object.fromEntries(gd._fullData.filter(t => t.showlegend).map(t => {
        const own = (t.type === 'bar' || t.mode === 'markers') ? t.marker.color : t.line.color;
        return [t.name, rgb(own)]; })); }"""


def chart(pg, name: str):
    """A chart's element: a panel chart by its name, or "gallery" (the static Plotly chart)."""
    selector = "[data-testid=stPlotlyChart]" if name == "gallery" else f"[data-chart={name}]"
    return pg.locator(selector).first


def legend_and_traces(pg, name: str) -> tuple[dict, dict]:
    element = chart(pg, name)
    element.locator(".legend .traces").first.wait_for()
    return element.evaluate(LEGEND), element.evaluate(TRACE_COLORS)


def rgb(hex_color: str) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def pixels(pg, box: dict):
    """The page's pixels in ``box`` (x, y, width, height in CSS pixels) as an (h, w, 3) array."""
    import io

    import numpy as np
    from PIL import Image

    png = pg.screenshot(clip=box)
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def color_at(pg, x: float, y: float):
    return pixels(pg, {"x": x - 0.5, "y": y - 0.5, "width": 1, "height": 1})[0, 0]


def points_on(element, selector: str) -> list[tuple[float, float]]:
    """Five points along the drawn path(s) matching ``selector``, in page pixels."""
    return element.evaluate(
        """(root, selector) => [...root.querySelectorAll(selector)].flatMap(p => {
            const n = p.getTotalLength(), m = p.getScreenCTM();
            return n < 10 ? [] : [0.3, 0.4, 0.5, 0.6, 0.7].map(f => {
                const q = p.getPointAtLength(f * n);
                return [m.a * q.x + m.c * q.y + m.e, m.b * q.x + m.d * q.y + m.f]; }); })""",
        selector,
    )


def wait_for_pictures(element) -> None:
    """Wait until the chart's pictures (Plotly heatmaps: an SVG <image> of a data URL) are
    there and decoded, ready to paint: before that, what is drawn over them shows on white."""
    element.locator(".heatmaplayer image").first.wait_for()
    decoded = element.evaluate(
        "async (root) => { const images = [...root.querySelectorAll('.heatmaplayer image')];"
        " await Promise.all(images.map((i) => i.decode())); return images.length; }"
    )
    assert decoded > 0


NEXT_FRAME = "() => new Promise((done) => requestAnimationFrame(() => done(true)))"


def drawn_surface(pg, surface):
    """The 3-D surface chart's pixels once WebGL has drawn the surface (its colours show:
    a canvas not drawn yet is blank, and a blank border would prove nothing)."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while True:
        picture = pixels(pg, surface.bounding_box())
        if (np.ptp(picture, axis=2) > 60).mean() > 0.02:  # blue and orange, not grey or white
            return picture
        assert time.monotonic() < deadline, "the surface was never drawn"
        pg.evaluate(NEXT_FRAME)  # look again at the browser's next frame


def open_sized(browser, app_url, path: str, width: int, height: int):
    from tests.browser.conftest import new_page

    pg = new_page(browser, app_url)
    pg.set_viewport_size({"width": width, "height": height})
    pg.set_default_timeout(TIMEOUT_MS)
    open_page(pg, path, timeout=TIMEOUT_MS)
    pg.wait_for_function(CHARTS)
    return pg


def test_every_chart_draws_its_legend_in_the_colours_it_draws(page):
    page.set_default_timeout(TIMEOUT_MS)
    open_page(page, "neuron?epoch=1", timeout=TIMEOUT_MS)  # after epoch 1 some points are on the wrong side
    page.wait_for_function(CHARTS)
    page.wait_for_selector("[data-testid=stPlotlyChart] .legend")
    expected = {
        "plane": {"w·x + b = 0", "input (x₁, x₂)"},
        "surface": {"w·x + b = 0", "input (x₁, x₂)"},
        "line": {"class 0", "class 1", "w·x + b = 0", "on the wrong side"},
        "errors": {"updates made", "left on the wrong side", "epoch shown"},
        "stack": {"output = 0: the boundary"},
        "gallery": {"f(z)", "f′(z)"},
    }
    for name, entries in expected.items():
        legend, traces = legend_and_traces(page, name)
        assert set(legend) == entries, (name, legend)
        for entry, drawn in legend.items():
            assert drawn == traces[entry], (name, entry, drawn, traces)
    # the value pictures name their colours with a colour bar, its ends labelled
    for name, title in (("plane", "a"), ("stack", "ŷ")):
        bar = chart(page, name).locator(".colorbar")
        expect(bar.locator(".cbtitle")).to_have_text(title)
        assert bar.locator(".cbaxis text").count() >= 3


def test_the_lines_and_rings_are_drawn_above_the_pictures(page):
    """Found pale: the output pictures were laid over the traces, so the black line showed
    light grey and the red rings purple. Checked on the pixels, where each is drawn."""
    page.set_default_timeout(TIMEOUT_MS)
    open_page(page, "neuron?epoch=1", timeout=TIMEOUT_MS)
    page.wait_for_function(CHARTS)
    ink, wrong = (32, 33, 36), (214, 39, 40)
    for name, selector in (("plane", ".scatterlayer .js-line"), ("stack", ".contourlayer path")):
        element = chart(page, name)
        element.locator(selector).first.wait_for()
        element.scroll_into_view_if_needed()
        wait_for_pictures(element)  # the lines must show over them
        points = points_on(element, selector)
        assert points, name
        for x, y in points:
            assert max(abs(color_at(page, x, y) - ink)) < 60, (name, x, y, color_at(page, x, y))
    chart(page, "line").scroll_into_view_if_needed()
    wait_for_pictures(chart(page, "line"))  # the rings must show over it
    rings = (
        chart(page, "line")
        .locator(".scatterlayer .trace")
        .filter(has=page.locator("path.point"))
        .last.locator("path.point")
    )
    assert rings.count() > 0
    reddish = 0
    for i in range(rings.count()):
        box = rings.nth(i).bounding_box()
        left_edge = pixels(page, {"x": box["x"], "y": box["y"] + box["height"] / 2 - 0.5, "width": 3, "height": 1})
        reddish += any(max(abs(p - wrong)) < 60 for p in left_edge[0])
    assert reddish >= 0.8 * rings.count(), (reddish, rings.count())


def test_the_surface_keeps_its_labels_inside_its_box(browser, app_url):
    """Its axis titles were clipped at the chart's edge: nothing is drawn on its border."""
    for width, height in ((1440, 900), (1280, 720)):
        pg = open_sized(browser, app_url, "neuron", width, height)
        try:
            surface = chart(pg, "surface").locator("div.live-chart")
            surface.locator("canvas").first.wait_for()
            picture = drawn_surface(pg, surface)
            border = np.concatenate([picture[:, :3].reshape(-1, 3), picture[:, -3:].reshape(-1, 3)])
            assert (border.min(axis=1) > 235).all(), (width, "something drawn at the left or right edge")
        finally:
            pg.context.close()


def boxes_on_screen(pg, locators, height: int) -> list:
    """The boxes of ``locators`` that are not wholly within the window's height."""
    out = []
    for loc in locators:
        box = loc.bounding_box()
        if box is None or box["y"] < 0 or box["y"] + box["height"] > height:
            out.append(box)
    return out


def neuron_controls_and_pictures(pg) -> list:
    return [
        *(pg.get_by_role("slider", name=n) for n in ("w₁", "w₂", "b (bias)")),
        pg.get_by_role("combobox", name="Activation f"),
        chart(pg, "plane").locator(".main-svg").first,
        chart(pg, "surface").locator("div.live-chart"),
    ]


def test_the_sliders_and_the_pictures_fit_one_720p_screen(browser, app_url):
    pg = open_sized(browser, app_url, "neuron", 1280, 720)
    try:
        # At once, not smoothly over time: the boxes are measured right after.
        pg.get_by_role("heading", name=SECTION).evaluate("e => e.scrollIntoView({block: 'start', behavior: 'instant'})")
        assert not boxes_on_screen(pg, neuron_controls_and_pictures(pg), 720)
    finally:
        pg.context.close()


def test_presentation_mode_shows_the_neuron_on_the_first_screen(browser, app_url):
    pg = open_sized(browser, app_url, "neuron?present=1", 1280, 720)
    try:
        assert not boxes_on_screen(pg, neuron_controls_and_pictures(pg), 720)
        assert not pg.query_selector_all("[data-testid=stException]")
    finally:
        pg.context.close()


def test_no_button_label_is_cut(browser, app_url):
    for width, height in ((1440, 900), (1280, 720)):
        pg = open_sized(browser, app_url, "neuron?data=xor", width, height)
        try:
            buttons = pg.locator("[data-testid=stMain] button[data-testid^=stBaseButton]")
            pg.get_by_role("button", name=re.compile("Playground")).wait_for()
            cut = buttons.evaluate_all(
                """bs => bs.filter(b => [b, ...b.querySelectorAll('*')].some(e =>
                        e.clientWidth > 0 && e.scrollWidth > e.clientWidth)).map(b => b.innerText)"""
            )
            assert not cut, (width, cut)
        finally:
            pg.context.close()


def intersects(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


TEXTS = ".legendtext, .annotation-text, .colorbar text, .g-xtitle, .g-ytitle, .gtitle"


def test_no_chart_toolbar_covers_a_title_or_a_legend(page):
    open_neuron(page)
    page.wait_for_selector("[data-testid=stPlotlyChart] .main-svg")
    for name in ("plane", "surface", "line", "errors", "stack", "gallery"):
        element = chart(page, name)
        element.scroll_into_view_if_needed()
        element.hover()
        bars = element.locator(".modebar")
        if not bars.count() or not bars.first.is_visible():
            continue  # a static chart without a toolbar
        bar = bars.first.bounding_box()
        texts = [t for t in element.locator(TEXTS).all() if t.is_visible()]
        covered = [t.text_content() for t in texts if intersects(bar, t.bounding_box())]
        assert not covered, (name, covered)


def test_every_character_is_drawn_with_the_apps_own_font(page):
    """No emoji, and no symbol the bundled Source Sans lacks (a browser without a font for it
    draws an empty box): a glyph Source Sans has is as wide whatever the fallback font."""
    open_neuron(page)
    page.get_by_text("The formulas").click()
    page.locator("[data-testid=stTable]").wait_for()
    missing = page.evaluate(
        """() => { const main = document.querySelector('[data-testid=stMain]').cloneNode(true);
            main.querySelectorAll('.katex, [data-testid=stIconMaterial], .live-chart, [data-testid=stPlotlyChart]')
                .forEach(e => e.remove());
            const chars = [...new Set(document.querySelector('[data-testid=stMain]') && main.textContent)];
            const c = document.createElement('canvas').getContext('2d');
            const width = (family, ch) => { c.font = '40px ' + family; return c.measureText(ch).width; };
            return chars.filter(ch => ch.charCodeAt(0) > 127 && (/\\p{Extended_Pictographic}/u.test(ch)
                || width('"Source Sans", monospace', ch) !== width('"Source Sans", serif', ch))); }"""
    )
    assert not missing, missing


LABELS = ".xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .legendtext, .colorbar text, .annotation-text"


def test_no_label_of_a_chart_overlaps_another(browser, app_url):
    """Tick labels, axis titles, legend entries, colour bars and titles each stay clear of
    the others, at a laptop's and a projector's size (a legend that wraps to a second row
    once covered the axis below it)."""
    for width, height in ((1440, 900), (1280, 720)):
        pg = open_sized(browser, app_url, "neuron?data=xor", width, height)
        try:
            pg.wait_for_selector("[data-testid=stPlotlyChart] .main-svg")
            for name in ("plane", "diagram", "line", "errors", "stack", "gallery"):
                boxes = chart(pg, name).evaluate(
                    """(root, selector) => [...root.querySelectorAll(selector)]
                        .filter(e => e.textContent.trim() && e.getBoundingClientRect().width > 0)
                        .map(e => { const r = e.getBoundingClientRect(); return {text: e.textContent,
                            x: r.x + 1, y: r.y + 1, width: r.width - 2, height: r.height - 2}; })""",
                    LABELS,
                )
                assert len(boxes) > 5, (name, boxes)
                clashes = [
                    (a["text"], b["text"]) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if intersects(a, b)
                ]
                assert not clashes, (width, name, clashes)
        finally:
            pg.context.close()


# ---- the neuron drawn, and the perceptron step by step (issue 14 §5) -------------------------

DIAGRAM_TEXTS = "() => [...document.querySelectorAll('[data-chart=diagram] .annotation-text')].map(e => e.textContent)"
FORMULA = "() => document.querySelector('.katex-mathml annotation').textContent"  # the neuron's LaTeX source
# The perceptron's line as Plotly holds it (its arrays decoded: typed arrays in _fullData).
LINE_XY = """() => { const t = document.querySelector('[data-chart=line] div.live-chart')._fullData
    .find(t => t.name === 'w·x + b = 0'); return t ? [...Array.from(t.x), ...Array.from(t.y)].map(Number) : null; }"""


def _numbers(pg) -> tuple[float, float, float, float]:
    """(z, a) written in the diagram and (z, a) in the formula above the pictures."""
    texts = pg.evaluate(DIAGRAM_TEXTS)
    (z,) = [t for t in texts if re.fullmatch(r"z = −?\d+\.\d{3}", t)]
    (a,) = [t for t in texts if re.fullmatch(r"a = −?\d+\.\d{3}", t)]
    formula = pg.evaluate(FORMULA)
    z_formula = re.search(r"z = (-?\d+\.\d{3})", formula).group(1)
    a_formula = re.search(r"= (-?\d+\.\d{3})$", formula.strip()).group(1)
    as_float = lambda s: float(s.split("= ")[-1].replace("−", "-"))
    return as_float(z), as_float(a), float(z_formula), float(a_formula)


def test_the_diagram_follows_the_point_and_stepping_one_update_moves_the_line(page):
    from ui.neuron.config import DEFAULTS
    from ui.neuron.run import build_perceptron

    open_neuron(page)
    page.wait_for_selector("[data-chart=diagram] .annotation-text")
    slider = page.get_by_role("slider", name="Input x₁")
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowLeft")  # 1.5 → 1.0
    page.wait_for_url(re.compile(r"/neuron\?x1=1$"))
    page.wait_for_selector(IDLE)
    # z = 1·1 + 0.5·(−2) + 1 = 1, a = σ(1) = 0.731: the diagram is redrawn when its figure arrives
    page.wait_for_function(f"() => ({DIAGRAM_TEXTS})().includes('z = 1.000')")
    z, a, z_formula, a_formula = _numbers(page)
    assert (z, a) == (z_formula, a_formula) == (1.0, 0.731)
    assert page.evaluate(
        """() => Array.from(document.querySelector('[data-chart=plane] div.live-chart')._fullData
            .find(t => t.name === 'input (x₁, x₂)').x)[0]"""
    ) == pytest.approx(1.0)  # the point marked in the picture from above is the diagram's

    lesson = build_perceptron(DEFAULTS)
    last = lesson.history.n_steps
    later = lesson.previous_update(last)
    earlier = lesson.previous_update(later)
    page.get_by_role("radio", name="Point by point").click()
    page.wait_for_url(re.compile(rf"view=point&step={last}$"))
    page.wait_for_selector(IDLE)
    for target in (later, earlier):
        page.get_by_role("button", name="Previous update").click()
        page.wait_for_url(re.compile(rf"step={target}$"))
        page.wait_for_selector(IDLE)
    page.wait_for_function(
        f"() => document.querySelector('[data-chart=line] .cell-title').textContent.startsWith('After step {earlier} ')"
    )
    before = page.evaluate(LINE_XY)
    page.get_by_role("button", name="Next update").click()
    page.wait_for_url(re.compile(rf"step={later}$"))
    page.wait_for_function(f"before => JSON.stringify(({LINE_XY})()) !== JSON.stringify(before)", arg=before)
    after = page.evaluate(LINE_XY)
    step = lesson.step(later)
    assert step.wrong and not np.allclose(before, after)
    # what the rule did: a point on the wrong side (the loss section below has a warning of its own)
    told = page.get_by_test_id("stAlertContentWarning").filter(has_text=f"Step {later} ")
    expect(told).to_contain_text(f"Step {later} (epoch {step.epoch}, point {step.position} of 100)")
    expect(page.locator("[data-chart=line] .cell-title")).to_contain_text(f"After step {later} ")
    assert_healthy(page)
