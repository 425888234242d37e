"""The width-versus-depth scene in a real browser: the preset's button opens the sawtooth
(the URL follows), Train side by side trains the four networks, and the sentence that
says depth won, with the table's numbers, sits between their fits and the zigzag."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import IDLE, assert_healthy
from tests.browser.test_universal_approximation import box, open_link, query


def test_the_preset_opens_the_scene_and_the_verdict_sits_between_the_fits_and_the_zigzag(page):
    open_link(page, "target=sin")
    page.get_by_role("button", name="Open a sawtooth where depth wins").click()
    page.get_by_text("width-versus-depth measurement").wait_for()
    page.wait_for_selector(IDLE)
    assert query(page) == {"target": "sawtooth", "n_samples": "1000", "budget": "200"}
    assert page.get_by_role("button", name="Open a sawtooth where depth wins").count() == 0
    page.get_by_role("button", name="Train side by side").click()
    verdict = page.get_by_text("Trained, depth won.")
    verdict.wait_for(timeout=120_000)
    page.wait_for_selector(IDLE)
    sentence = verdict.locator("xpath=ancestor::p[1]").inner_text()
    deep, shallow = re.search(r"RMSE of ([\d.]+) against ([\d.]+)", sentence).groups()
    table = page.locator("[data-testid=stTable]")
    expect(table.locator("tbody tr")).to_have_count(4)  # drawn by the run after the comparison
    rmse = [row.locator("td").last.inner_text() for row in table.locator("tbody tr").all()]
    assert len(rmse) == 4 and float(rmse[0]) == float(shallow) and float(deep) in map(float, rmse[1:])
    assert float(deep) < float(shallow)
    charts = page.locator("[data-testid=stPlotlyChart]")
    assert charts.count() == 2  # the trained fits, the zigzag
    fits, zigzag, said = box(charts.nth(0)), box(charts.nth(1)), box(verdict)
    assert fits[3] <= said[1] and said[3] <= zigzag[1]
    assert_healthy(page)
