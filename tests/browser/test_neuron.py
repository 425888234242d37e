"""The neuron page in a real browser: the pictures follow the controls, and the XOR
button opens the Playground set up for it."""

from tests.browser.conftest import IDLE, assert_healthy, open_page

SETTLE_MS = 700


def open_neuron(pg) -> None:
    """The app's main page first, then the sidebar link (see test_gradient_descent.py)."""
    open_page(pg, "")
    pg.locator('[data-testid=stSidebarNav] a[href$="/neuron"]').click()
    pg.get_by_role("heading", name="The neuron").first.wait_for()
    pg.wait_for_selector(IDLE)
    pg.wait_for_function("document.querySelectorAll('div.live-chart').length == 5 && window.Plotly")
    pg.wait_for_timeout(SETTLE_MS)


def wait_until_idle(pg) -> None:
    pg.wait_for_selector(IDLE)
    pg.wait_for_timeout(SETTLE_MS)


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
    assert_healthy(page)


def test_the_activation_changes_the_picture_in_place(page):
    open_neuron(page)
    page.wait_for_function("document.querySelector('[data-chart=plane] div.live-chart').layout")
    before, mounts = plane_picture(page), page.evaluate("window.__liveChartMounts")
    page.get_by_role("combobox", name="Activation f").click()
    page.get_by_role("option", name="step", exact=True).click()
    wait_until_idle(page)
    page.wait_for_function(
        "src => document.querySelector('[data-chart=plane] .live-overlays img').getAttribute('src') != src", arg=before
    )
    assert page.evaluate("window.__liveChartMounts") == mounts
    assert_healthy(page)


def test_xor_does_not_converge_and_the_button_opens_the_playground_set_up(page):
    open_neuron(page)
    page.get_by_role("radio", name="Exclusive or (XOR)").click()
    wait_until_idle(page)
    assert page.get_by_text("No convergence").is_visible()
    assert page.get_by_text("no line separates XOR").is_visible()
    page.get_by_role("button", name="Open the Playground on XOR with one hidden layer").click()
    page.get_by_role("heading", name="Neural-network playground").wait_for()
    wait_until_idle(page)
    page.wait_for_selector("#stat-epoch")
    sidebar = page.locator("[data-testid=stSidebar]")
    assert sidebar.get_by_text("Exclusive or", exact=True).first.is_visible()
    assert_healthy(page)
