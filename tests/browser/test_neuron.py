"""The neuron page in a real browser: the pictures follow the controls, the URL follows
the settings and a link opens them, and the XOR button opens the Playground set up for it."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.browser.conftest import IDLE, SERVER_LOG, assert_healthy, open_page

CHARTS = "document.querySelectorAll('div.live-chart').length == 5 && window.Plotly"
# Five charts (one a WebGL surface) and a gallery of 24 curves: on a busy machine the page
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
    return pg.evaluate(
        "() => { const d = document.querySelector('[data-chart=plane] div.live-chart');"
        " const i = d && d.parentElement.querySelector('.live-overlays img');"
        " return i ? i.getAttribute('src') : ''; }"
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
    page.wait_for_function("document.querySelector('[data-chart=plane] .live-overlays img')")
    before, mounts = plane_picture(page), page.evaluate("window.__liveChartMounts")
    page.get_by_role("combobox", name="Activation f").click()
    page.get_by_role("option", name="step", exact=True).click()
    page.wait_for_function(
        "src => document.querySelector('[data-chart=plane] .live-overlays img').getAttribute('src') != src", arg=before
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
    log = SERVER_LOG.read_text()
    assert "Traceback" not in log, log[log.index("Traceback") - 200 :][:3000]


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
