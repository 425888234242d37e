"""The neuron page's loss section in a real browser: the chart is drawn, its legend names
both curves and their slopes, and the numbers written beside the marks are the page's."""

from urllib.parse import urlsplit

from tests.browser.conftest import assert_no_traceback_since, open_page

TIMEOUT_MS = 90_000  # the page draws six charts and a gallery first (see test_neuron.py)
CHART = ".st-key-nr-loss-chart"  # the chart's container, by its key (ui.state.NeuronKeys.LOSS_CHART)


def drawn_texts(pg, selector: str) -> list[str]:
    return pg.evaluate("s => [...document.querySelectorAll(s)].map(t => t.textContent)", f"{CHART} {selector}")


def test_the_loss_chart_is_drawn_with_its_legend(page):
    missing = []
    page.on("response", lambda r: missing.append(urlsplit(r.url).path) if r.status == 404 else None)
    page.set_default_timeout(TIMEOUT_MS)
    open_page(page, "neuron?loss_prediction=0.01", timeout=TIMEOUT_MS)
    page.get_by_role("heading", name="Loss: what each punishes").scroll_into_view_if_needed()
    page.wait_for_selector(f"{CHART} .legend .legendtext")
    legend = drawn_texts(page, ".legend .legendtext")
    assert legend == ["quadratic ½(ŷ − 1)²", "its slope at ŷ: −0.990", "cross-entropy −log ŷ", "its slope at ŷ: −100"]
    assert all(page.locator(f"{CHART} .legend .legendtext").nth(i).is_visible() for i in range(4))
    # the two curves, the two tangents and the two marks are drawn as paths and points
    assert page.locator(f"{CHART} .scatterlayer .trace").count() == 6
    assert drawn_texts(page, ".scatterlayer .textpoint text") == ["0.490, slope −0.990", "4.61, slope −100"]
    said = page.locator("[data-testid=stAlertContentWarning]", has_text="ŷ = 0.01 for y = 1")
    assert "cross-entropy charges 4.61 against the quadratic's 0.490" in said.inner_text()
    # Opened at the page's own address, Streamlit's frontend first asks for its server below
    # that path and is told 404 (see test_neuron.py): the only console errors allowed here.
    assert set(missing) <= {"/neuron/_stcore/health", "/neuron/_stcore/host-config"}, missing
    assert all("404" in e for e in page.console_errors), page.console_errors
    assert not page.query_selector_all("[data-testid=stException]")
    assert_no_traceback_since(page)
