"""Themes in Chromium: the Playground at ?theme=dark draws a dark page with light chart text
(read from computed styles and from the charts' SVG), at ?palette=colorblind the output's
legend marks the classes in Okabe–Ito's colours, and the sidebar's Display menu switches
the theme in place and writes it into the URL."""

import re

from tests.browser.conftest import assert_healthy, open_page

OKABE_ITO_RGB = ["rgb(230, 159, 0)", "rgb(0, 114, 178)", "rgb(0, 158, 115)", "rgb(204, 121, 167)"]
LIVE_CHARTS = "document.querySelectorAll('div.live-chart .main-svg').length >= 4 && window.Plotly"


def luminance(css_color: str) -> float:
    """The mean of r, g, b (0..255) of a CSS rgb()/rgba() colour."""
    r, g, b = (float(v) for v in re.findall(r"[\d.]+", css_color)[:3])
    return (r + g + b) / 3


def computed(pg, selector: str, prop: str) -> str:
    return pg.eval_on_selector(selector, f"e => getComputedStyle(e).{prop}")


def chart_text_fill(pg, chart: str) -> str:
    """The fill of the first x-axis tick label of live chart ``chart``, as drawn in its SVG
    (waited for: while playing, a label being redrawn is detached and has no style)."""
    found = pg.wait_for_function(
        f"""() => {{ const e = document.querySelector('[data-chart={chart}] .xtick text');
                     const fill = e && e.isConnected ? getComputedStyle(e).fill : '';
                     return fill ? fill : null; }}"""
    )
    return found.json_value()


def test_the_dark_theme_draws_a_dark_page_with_light_chart_text(page):
    open_page(page, "?theme=dark")
    page.wait_for_function(LIVE_CHARTS)
    assert luminance(computed(page, "[data-testid=stApp]", "backgroundColor")) < 40
    assert luminance(computed(page, "[data-testid=stSidebar]", "backgroundColor")) < 60
    assert luminance(computed(page, "[data-testid=stApp] h1", "color")) > 200
    for chart in ("output", "loss"):
        assert luminance(chart_text_fill(page, chart)) > 200, chart
    # the loss chart's paper is the page's dark; the stats line's labels are light grey
    paper = page.eval_on_selector("[data-chart=loss] .main-svg", "e => e.style.background")
    assert luminance(paper) < 40
    assert 120 < luminance(computed(page, ".live-panel .stat-label", "color")) < 230
    assert "theme=dark" in page.url
    # While playing, the pictures come from the live fragment's runs (on script threads of
    # their own): the loss curve they draw is still in the dark theme's light ink.
    page.get_by_text("Play", exact=True).click()
    page.wait_for_function(
        "() => { const e = document.querySelector('#stat-epoch');"
        " return e && Number(e.innerText.replace(/,/g, '')) >= 300; }"
    )
    page.wait_for_function(  # a loss curve drawn by a fragment run: its axis runs past epoch 100
        """() => { const ticks = [...document.querySelectorAll('[data-chart=loss] .xtick text')];
                   return ticks.some(t => Number(t.textContent.replace(/[^0-9.]/g, '')) >= 100); }"""
    )
    stroke = page.eval_on_selector(
        "[data-chart=loss] .scatterlayer .trace path.js-line", "e => getComputedStyle(e).stroke"
    )
    assert stroke == "rgb(232, 234, 237)"  # the dark theme's ink: the training loss
    assert luminance(chart_text_fill(page, "loss")) > 200
    page.get_by_text("Play", exact=True).click()
    assert_healthy(page)


def test_the_colorblind_palette_marks_the_classes_in_okabe_ito(page):
    open_page(page, "?palette=colorblind&dataset=blobs4")
    page.wait_for_function(LIVE_CHARTS)
    page.wait_for_function("document.querySelectorAll('[data-chart=output] .legendpoints path').length == 4")
    fills = page.eval_on_selector_all(
        "[data-chart=output] .legendpoints path", "marks => marks.map(m => getComputedStyle(m).fill)"
    )
    assert fills == OKABE_ITO_RGB
    assert luminance(computed(page, "[data-testid=stApp]", "backgroundColor")) > 240  # the light theme
    assert "palette=colorblind" in page.url
    assert_healthy(page)


def test_the_display_menu_switches_to_dark_in_place(page):
    open_page(page)
    page.wait_for_function(LIVE_CHARTS)
    assert luminance(chart_text_fill(page, "output")) < 120  # light theme: dark text
    page.get_by_role("button", name="Display").click()
    page.get_by_test_id("stPopoverBody").get_by_text("Dark", exact=True).click()
    page.wait_for_function("location.search.includes('theme=dark')")
    page.wait_for_function(
        "getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor === 'rgb(14, 17, 23)'"
    )
    page.wait_for_function(  # the charts are drawn again, in the dark theme's ink
        """() => { const t = document.querySelector('[data-chart=output] .xtick text');
                   return t && getComputedStyle(t).fill === 'rgb(232, 234, 237)'; }"""
    )
    assert_healthy(page)
