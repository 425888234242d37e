"""The Playground's "More data" panel in a real browser: unfolded, its button measures the
curve, and the chart is drawn (both lines, their legend, a tick per size on the log axis)
beside the sentence with its numbers."""

import re

from tests.browser.conftest import IDLE, assert_healthy, open_page

CHART = ".st-key-pg-data_curve-chart"  # the chart's container, by its key (PlaygroundKeys.DATA_CURVE_CHART)
TIMEOUT_MS = 90_000  # six sizes trained on a machine shared with other work


def drawn_texts(pg, selector: str) -> list[str]:
    return pg.evaluate("s => [...document.querySelectorAll(s)].map(t => t.textContent)", f"{CHART} {selector}")


def test_the_button_measures_the_curve_and_the_chart_is_drawn(page):
    page.set_default_timeout(TIMEOUT_MS)
    open_page(page, "?noise=25", timeout=TIMEOUT_MS)
    page.wait_for_selector("#stat-epoch")
    page.get_by_text("More data: test loss against the number of points", exact=True).click()
    button = page.get_by_role("button", name="Measure the curve")
    button.wait_for()
    page.wait_for_selector(IDLE)
    button.click()
    page.wait_for_selector(f"{CHART} .legend .legendtext")
    page.wait_for_selector(IDLE)
    page.locator(CHART).scroll_into_view_if_needed()
    assert drawn_texts(page, ".legend .legendtext") == ["test loss", "training loss"]
    assert all(page.locator(f"{CHART} .legend .legendtext").nth(i).is_visible() for i in range(2))
    assert page.locator(f"{CHART} .scatterlayer .trace").count() == 2
    assert page.locator(f"{CHART} .scatterlayer .trace").first.locator(".points path").count() == 6  # a mark per size
    assert drawn_texts(page, ".xtick text") == ["25", "50", "100", "250", "500", "1,000"]
    said = page.locator("[data-testid=stAlertContentInfo]", has_text="epochs at each size").inner_text()
    assert re.match(r"200 epochs at each size: with 25 training points the test loss is 0\.297 ", said), said
    assert "with 1,000, 0.129" in said  # the numbers measured for this setup (tests/ui/test_data_curve.py)
    assert page.locator("#stat-epoch").inner_text() == "0"  # the run itself did not train
    assert_healthy(page)
