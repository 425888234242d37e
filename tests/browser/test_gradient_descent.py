"""The Gradient descent page in a real browser: Play steps the worked example until it
converges or diverges, and the optimizers race on the loss surface."""

import re
from urllib.parse import parse_qs, urlsplit

from tests.browser.conftest import IDLE, assert_healthy, open_page

SETTLE_MS = 700


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
    pg.wait_for_timeout(SETTLE_MS)


def number(pg, name: str) -> float:
    """A value of a stats line (element id ``stat-<name>``)."""
    return float(pg.locator(f"#stat-{name}").inner_text())


def query(pg) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(pg.url).query).items()}


def wait_until_idle(pg) -> None:
    pg.wait_for_selector(IDLE)
    pg.wait_for_timeout(SETTLE_MS)


def fastest(pg, field: str) -> None:
    """Set the select-slider of setting ``field`` to its last value from the keyboard."""
    pg.locator(f".st-key-gd-link-w-{field} input[type=range]").focus()
    pg.keyboard.press("End")
    wait_until_idle(pg)


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
        wait_until_idle(page)
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
    wait_until_idle(page)
    assert number(page, "gd-w") == 3.0
    assert not page.locator(".st-key-gd-one-playing input").is_checked()
    assert page.evaluate("window.__liveChartMounts") == mounts  # updated in place, never re-mounted
    assert_healthy(page)


def test_a_rate_above_half_diverges_and_play_stops(page):
    open_gradient_descent(page)
    page.locator(".st-key-gd-preset-0-55 button:visible").click()
    wait_until_idle(page)
    fastest(page, "steps_per_second")
    toggle(page, "gd-one-playing").click()
    page.get_by_text(re.compile(r"Training diverged after \d+ steps")).wait_for(timeout=30_000)
    wait_until_idle(page)
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
    wait_until_idle(page)
    paused_at = number(page, "race-step")
    page.wait_for_timeout(1000)
    assert number(page, "race-step") == paused_at
    # Click the map at (w, b) = (2, -2): the race starts again from there.
    surface = page.locator("[data-chart=surface] div.live-chart")
    x, y = surface.evaluate(
        "d => [d._fullLayout.xaxis._offset + d._fullLayout.xaxis.d2p(2),"
        " d._fullLayout.yaxis._offset + d._fullLayout.yaxis.d2p(-2)]"
    )
    surface.click(position={"x": x, "y": y})
    page.wait_for_function("Number(document.querySelector('#stat-race-step').innerText) == 0")
    wait_until_idle(page)
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
    wait_until_idle(page)
    assert not page.locator(".st-key-gd-one-playing input").is_checked()
    assert query(page) == {"learning_rate": "0.55", "present": "1"}
    assert_healthy(page)
