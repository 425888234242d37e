"""The slow step in a real browser: Slow step, then Next stage through forward, loss,
backward and update, reading what each stage says."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_healthy, open_page

PANEL = ".st-key-pg-slow-panel"


def panel_text(pg) -> str:
    return pg.locator(PANEL).inner_text()


def wait_for_stage(pg, title: str, charts: int) -> None:
    """The panel shows the stage ``title`` with its ``charts`` Plotly charts drawn."""
    expect(pg.locator(PANEL).get_by_text(title)).to_be_visible(timeout=30_000)
    pg.wait_for_function(
        "([sel, n]) => { const p = document.querySelector(sel);"
        " return p && p.querySelectorAll('.js-plotly-plot .main-svg').length >= n; }",
        arg=[PANEL, charts],
    )


def test_slow_step_walks_the_four_stages(page):
    open_page(page)
    page.wait_for_function("document.querySelectorAll('div.live-chart').length >= 4 && window.Plotly")
    expect(page.get_by_text("Next: batch 1 of 25 of epoch 1.")).to_be_visible()
    page.get_by_role("button", name="Slow step").click()

    wait_for_stage(page, "1 · Forward: the batch through the network", 1)
    text = panel_text(page)
    assert "Slow step: batch 1 of 25 of epoch 1" in text
    assert "The 10 points of this batch, ringed and numbered on the output picture" in text
    assert re.search(r"The network predicts the right class for \d+ of the 10\.", text)
    expect(page.get_by_role("button", name="Slow step")).to_be_disabled()

    page.get_by_role("button", name="Next stage").click()
    wait_for_stage(page, "2 · Loss: how wrong it is on these points", 1)
    text = panel_text(page)
    loss = float(re.search(r"L = \(1/10\)·Σ loss = ([0-9]+\.[0-9]+)", text).group(1))
    assert f"the bars add up to {loss:.4f}" in page.locator(PANEL).locator(".js-plotly-plot").inner_text()

    page.get_by_role("button", name="Next stage").click()
    wait_for_stage(page, "3 · Backward: the gradient of every weight", 1)
    text = panel_text(page)
    assert "Backpropagation gives, for every weight, ∂L/∂W" in text
    titles = page.locator(PANEL).locator(".js-plotly-plot").inner_text()
    assert "∂L/∂W1" in titles and "∂L/∂W3" in titles
    assert page.locator("#stat-epoch").inner_text() == "0"

    page.get_by_role("button", name="Next stage").click()
    wait_for_stage(page, "4 · Update: the optimizer's step", 2)
    text = panel_text(page)
    assert "SGD: ΔW = −learning rate × ∂L/∂W = −0.03 × the gradient of stage 3" in text
    assert "Step 1 done: the network is now where one step of training takes it" in text
    assert "ΔW1" in page.locator(PANEL).locator(".js-plotly-plot").first.inner_text()

    page.get_by_role("button", name="Close").click()
    expect(page.get_by_text("Epoch 1 under way: batch 1 of 25 trained. Step finishes the epoch.")).to_be_visible()
    expect(page.locator(PANEL)).to_have_count(0)
    assert_healthy(page)
