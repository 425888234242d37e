"""The Universal approximation page in a real browser: Play trains, Add a neuron widens the
network while it plays, growing on settling, and the sweep, with the live charts updated in
place (never re-mounted); a link opens its setup, the URL follows, presentation mode."""

from urllib.parse import parse_qs, urlsplit

from tests.browser.conftest import IDLE, assert_healthy, open_page

FIT_OUTPUT = (
    "() => { const d = document.querySelector('[data-chart=fit] div.live-chart');"
    " const t = d && d.data && d.data.find(t => t.name === 'network');"
    " return t ? JSON.stringify(t.y) : ''; }"
)


def open_approximation(pg) -> None:
    """The app's first page, then this one by its link: a first visit straight to a page's
    URL on a fresh server opens Streamlit's "page not found" dialog, and its health probes
    under a page path answer 404 (console errors)."""
    open_page(pg)
    pg.get_by_role("link", name="Universal approximation").click()
    pg.wait_for_function(
        "document.querySelector('#stat-neurons') && window.Plotly"
        " && document.querySelectorAll('[data-chart] div.live-chart').length == 3"
    )
    pg.wait_for_selector(IDLE)
    pg.wait_for_timeout(500)


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
    assert page.get_by_role("spinbutton", name="Hidden neurons").input_value() == "5"
    assert page.get_by_label("Play", exact=True).is_checked()  # still playing
    epoch = number(page, "epoch")
    page.wait_for_timeout(1500)
    assert number(page, "epoch") > epoch
    assert page.evaluate("window.__liveChartMounts") == mounts  # updated in place, never re-mounted
    play(page)  # pause
    page.wait_for_selector(IDLE)
    page.wait_for_timeout(700)
    paused_at = number(page, "epoch")
    page.wait_for_timeout(1200)
    assert number(page, "epoch") == paused_at
    assert_healthy(page)


def test_growing_on_settling_doubles_the_neurons_and_records_the_error(page):
    open_approximation(page)
    page.get_by_text("double the neurons", exact=True).click()
    page.wait_for_selector(IDLE)
    play(page)
    wait_for_stat(page, "neurons", 8, timeout=60_000)
    assert page.get_by_role("spinbutton", name="Hidden neurons").input_value() in ("8", "16", "32", "64")
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
    page.wait_for_selector(IDLE)
    page.wait_for_timeout(700)
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
