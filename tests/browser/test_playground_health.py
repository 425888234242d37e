"""The health view in Chromium: the exploding preset, played, is diagnosed with its numbers
and "Try this" resumes training at the suggested rate; the health chart is drawn with a
line for every layer, named by its legend."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_healthy, open_page
from ui.live.link import query_string
from ui.playground.health import preset_params

SHOWN_EPOCH = (  # null while the stats line is not there yet
    "(() => { const e = document.querySelector('#stat-epoch'); return e && Number(e.innerText.replace(/,/g, '')); })()"
)


def test_the_exploding_preset_is_diagnosed_and_try_this_resumes_training(page):
    open_page(page, "?" + query_string(preset_params("exploding")))
    page.get_by_text("Play", exact=True).click()
    message = page.locator("[data-testid=stAlert]", has_text="The loss explodes")
    message.wait_for(timeout=60_000)
    text = message.inner_text()
    assert re.search(r"The training loss grew from [\d.]+ at epoch [\d,]+ to [\d.e]+ in [\d,]+ epochs", text), text
    assert "The learning rate 3 is too large for this network; try " in text
    suggested = re.search(r"; try ([\d.e-]+)", text).group(1)
    assert float(suggested) < 3
    page.locator("[data-testid=stHorizontalBlock]", has=message).get_by_role("button", name="Try this").click()
    page.wait_for_function("r => new URLSearchParams(location.search).get('learning_rate') == r", arg=suggested)
    expect(page.get_by_label("or type it")).to_have_value(suggested)  # the sidebar says so too
    page.get_by_text(f"Applied: learning rate {suggested}.").wait_for()
    page.wait_for_function(f"() => {SHOWN_EPOCH} >= 30")  # playing again, from epoch 0
    assert page.get_by_label("Play", exact=True).is_checked()
    # The diagnosis is gone once the page has drawn the new run (until its full run ends,
    # a busy machine still shows the old run's elements, faded).
    expect(page.locator("[data-testid=stAlert]", has_text="The loss explodes")).to_have_count(0)
    assert_healthy(page)


def test_the_health_chart_is_drawn_with_a_line_per_layer(page):
    open_page(page, "?show_health=1&hidden=4,3")
    cell = page.locator("[data-chart=health] div.live-chart")
    cell.wait_for()
    page.wait_for_function(
        "() => { const d = document.querySelector('[data-chart=health] div.live-chart');"
        " return d && d.data && d.data.length > 0; }"
    )
    names = cell.evaluate("d => d.data.filter(t => !t.fill && t.line.width > 0).map(t => t.name)")
    assert names == ["hidden 1", "hidden 2", "output"] * 6  # a line per layer in each of the six panels
    svg_texts = "ts => ts.map(t => t.textContent)"
    legend = page.locator("[data-chart=health] .legend .legendtext").evaluate_all(svg_texts)
    assert legend == ["hidden 1", "hidden 2", "output"]
    titles = page.locator("[data-chart=health] .annotation-text").evaluate_all(svg_texts)
    assert titles[0].startswith("gradient size") and len(titles) == 6
    assert_healthy(page)
