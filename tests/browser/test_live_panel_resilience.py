"""The live panel comes back by itself when its scripts failed to load: a lecture hall's
worker restarting while a page loads makes the page's requests for the chart module and
plotly.js fail. The browser remembers a failed module import for good, so the panel once
stayed empty (no stats line, no charts) until the student reloaded the page; now each load
is tried again, under another address, until it succeeds."""

from tests.browser.conftest import IDLE, new_page

FAILURES = 2  # requests of each script refused before the server "comes back"


def test_the_panel_appears_after_its_scripts_failed_to_load_twice(browser, app_url):
    pg = new_page(browser, app_url)
    refused = {"live_chart.js": [], "plotly.min.js": []}

    def flaky(route):
        name = "live_chart.js" if "live_chart.js" in route.request.url else "plotly.min.js"
        if len(refused[name]) < FAILURES:
            refused[name].append(route.request.url)
            route.abort("connectionrefused")
        else:
            route.continue_()

    try:
        pg.route("**/app/static/live_chart.js*", flaky)
        pg.route("**/app/static/plotly.min.js*", flaky)
        pg.goto(f"{app_url}/")
        pg.wait_for_selector(IDLE, timeout=60_000)
        # The panel is drawn once the retries got through: four charts, the stats line.
        pg.wait_for_function(
            "document.querySelectorAll('div.live-chart').length == 4 && window.Plotly"
            " && document.querySelector('#stat-epoch')?.innerText === '0'",
            timeout=60_000,
        )
        assert [len(urls) for urls in refused.values()] == [FAILURES, FAILURES]
        # Each retry asked under another address (a failed module is never fetched again).
        for urls in refused.values():
            assert len(set(urls)) == FAILURES, urls
        assert pg.locator("[data-testid=stException]").count() == 0
        # The panel works: Step trains one epoch and the stats line says so.
        pg.get_by_role("button", name="Step", exact=True).click()
        pg.wait_for_function("document.querySelector('#stat-epoch')?.innerText === '1'", timeout=60_000)
    finally:
        pg.context.close()
