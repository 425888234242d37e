"""What the Playground draws says what it shows: checked on the drawn page, not on the data.

The dataset gallery picks, the charts draw their own legends in the colours they use, the
weight matrices name their rows and columns, the Play switch reads when off, presentation
mode fits a projector, and user text is shown as text."""

from playwright.sync_api import expect

from tests.browser.conftest import IDLE, assert_healthy, open_page
from ui.playground.figures import BIAS_ROW

expect.set_options(timeout=30_000)  # the server answers a click with a rerun; a busy machine is slow
TITLES = "[...document.querySelectorAll('[data-chart=output] .g-xtitle, [data-chart=output] .g-ytitle')]"

ORANGE, BLUE = "rgb(245, 147, 34)", "rgb(8, 119, 189)"  # ui/charts/colors.py: class 0, class 1


def wait_until_idle(pg) -> None:
    pg.wait_for_selector(IDLE)


def test_the_gallery_picks_the_dataset_and_marks_it(page):
    open_page(page)
    chosen = page.locator(".picker button[aria-pressed=true]")
    expect(chosen).to_have_attribute("data-value", "circle")
    page.locator(".picker button[data-value=xor]").click()
    expect(chosen).to_have_attribute("data-value", "xor")
    expect(chosen).to_have_count(1)
    page.wait_for_url("**dataset=xor**")
    expect(page.get_by_role("combobox", name="Dataset", exact=True)).to_have_value("Exclusive or")
    expect(page.locator(".picker button[data-value=csv]")).to_be_visible()  # your own CSV is in it too
    assert_healthy(page)


def legend_colors(pg, chart: str) -> dict[str, str]:
    """Each legend entry's text and the colour its symbol is drawn in."""
    return pg.evaluate(
        """(chart) => Object.fromEntries([...document.querySelectorAll(`[data-chart=${chart}] .legend .traces`)]
            .map(t => [t.querySelector('.legendtext').textContent,
                       getComputedStyle(t.querySelector('.legendpoints path')).fill
                       || getComputedStyle(t.querySelector('.legendpoints path')).stroke]))""",
        chart,
    )


def test_the_output_names_its_classes_in_the_colours_it_draws(page):
    open_page(page)
    page.wait_for_function("document.querySelectorAll('[data-chart=output] .legend .traces').length == 2")
    assert legend_colors(page, "output") == {"class 0": ORANGE, "class 1": BLUE}
    # the axes are named after the inputs
    titles = page.evaluate(TITLES + ".map(e => e.textContent)")
    assert sorted(titles) == ["X₁", "X₂"]


def test_the_loss_chart_names_its_lines(page):
    open_page(page)
    page.get_by_role("button", name="Step", exact=True).click()
    # Read in one evaluation with the count (a legend being redrawn has fewer entries for a moment).
    names = page.wait_for_function(
        """() => { const texts = [...document.querySelectorAll('[data-chart=loss] .legend .legendtext')];
                   return texts.length == 4 ? texts.map(e => e.textContent) : null; }"""
    ).json_value()
    assert names == ["training loss", "test loss", "training accuracy", "test accuracy"]


def test_the_weight_matrices_name_rows_and_columns_and_show_the_bias(page):
    open_page(page, "?hidden=3")
    page.wait_for_function("document.querySelectorAll('[data-chart=weights] .annotation-text').length > 10")
    notes = page.evaluate(
        "[...document.querySelectorAll('[data-chart=weights] .annotation-text')].map(e => e.textContent)"
    )
    for name in ("W1 3×3", "W2 4×1", "X₁", "X₂", BIAS_ROW, "h1.1", "h1.3", "ŷ"):
        assert name in notes, (name, notes)
    # the numbers are written in the cells of these small matrices
    cells = page.evaluate(
        "document.querySelectorAll('[data-chart=weights] .heatmaplayer text, [data-chart=weights] .textpoint').length"
    )
    assert cells >= 3 * 3 + 4 * 1


def test_the_play_switch_is_dark_when_off(page):
    open_page(page)
    track = page.locator("[data-testid=stCheckbox]", has_text="Play").locator("label > div").first
    assert track.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(95, 99, 104)"


def test_presentation_mode_fits_a_projector(browser, app_url):
    from tests.browser.conftest import new_page

    pg = new_page(browser, app_url)
    pg.set_viewport_size({"width": 1280, "height": 720})
    try:
        open_page(pg, "?present=1")
        pg.wait_for_function("document.querySelectorAll('div.live-chart').length == 4")
        assert pg.locator("[data-testid=stSidebar]").is_hidden()
        assert pg.locator("[data-testid=stHeader]").is_hidden()
        expect(pg.get_by_text("Speed (epochs per second)")).to_be_visible()
        for chart in ("network", "output"):
            box = pg.locator(f"[data-chart={chart}] .main-svg").first.bounding_box()
            assert box["y"] + box["height"] <= 720, (chart, box)  # within the first screen
        assert_healthy(pg)
    finally:
        pg.context.close()


def choose_csv(pg) -> None:
    pg.locator(".picker button[data-value=csv]").click()
    pg.locator("[data-testid=stSidebar] input[type=file]").wait_for(state="attached")


def test_a_semicolon_csv_trains_and_names_its_columns(page, tmp_path):
    open_page(page)
    choose_csv(page)
    rows = [
        f"{x / 2:.1f};{y:.1f};{'yes' if x * y > 0 else 'no'}".replace(".", ",")
        for x in range(-6, 7)
        for y in (-2.5, 1.5)
    ]
    data = tmp_path / "weather.csv"
    data.write_text("Temperatur;Druck;Regen\n" + "\n".join(rows) + "\n")
    page.locator("[data-testid=stSidebar] input[type=file]").set_input_files(str(data))
    page.wait_for_function("document.querySelectorAll('[data-chart=output] .legend .traces').length == 2")
    assert set(legend_colors(page, "output")) == {"no", "yes"}  # the file's own labels
    titles = page.evaluate(TITLES + ".map(e => e.textContent)")
    assert sorted(titles) == ["Druck", "Temperatur"]
    assert_healthy(page)


def test_user_text_in_a_bad_csv_is_shown_as_text(page, tmp_path):
    open_page(page)
    choose_csv(page)
    hostile = tmp_path / "hostile.csv"
    hostile.write_text("![pixel](http://127.0.0.1:9/pixel.png),[click](http://example.invalid/),label\n1,2,0\n")
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "127.0.0.1:9" in r.url else None)
    page.locator("[data-testid=stSidebar] input[type=file]").set_input_files(str(hostile))
    message = page.locator("[data-testid=stMain] [data-testid=stAlert]", has_text="cannot be used")
    expect(message).to_be_visible()  # in the main area, where the user is looking
    expect(message).to_contain_text("hostile.csv")
    assert message.locator("img, a").count() == 0 and not requests


def weights_cells_drawn(pg) -> bool:
    """The weight matrices' cells are on the page: the heatmap (paused) or its picture (playing)."""
    return pg.evaluate(
        "() => document.querySelectorAll('[data-chart=weights] .heatmaplayer image').length"
        " + document.querySelectorAll('[data-chart=weights] .live-overlays img[src]').length > 0"
    )


def test_switching_the_optimizer_while_playing_then_pausing_keeps_every_picture(page):
    """Found blank: the full run that a changed setting starts sent the paused figures, a
    fragment run that started at once discarded that update, and later updates said
    "unchanged". The panel now asks for what it never got (docs/live_panel.md, missing)."""
    open_page(page, "?dataset=spiral3&hidden=8,8")
    play = page.get_by_text("Play", exact=True)
    optimizer = page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").filter(has_text="Optimizer")
    for name in ("adam", "momentum"):
        play.click()
        page.wait_for_function("Number(document.querySelector('#stat-epoch')?.innerText.replace(/,/g, '')) > 20")
        # Chosen from the keyboard, as a keyboard user does: on a busy machine a click that
        # lands while the page re-renders can focus the box without opening its menu.
        optimizer.locator("input").focus()
        page.keyboard.type(name)
        page.get_by_role("option", name=name, exact=True).wait_for()
        page.keyboard.press("Enter")
        page.wait_for_url(f"**optimizer={name}**")
        play.click()  # pause
        page.wait_for_selector(IDLE)
        # paused: every chart drawn with its hover layer, the weights as a heatmap of cells
        page.wait_for_function("document.querySelectorAll('[data-chart=weights] .heatmaplayer image').length > 0")
        page.wait_for_function("document.querySelectorAll('[data-chart=output] .live-overlays img[src]').length == 2")
        assert weights_cells_drawn(page)
    assert_healthy(page)
