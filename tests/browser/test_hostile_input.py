"""Hostile and careless input as a student meets it in Chromium (issue 20): CSV names
written as Markdown and HTML stay text (no image fetched, no link made, nothing in bold),
constant data gets a message and padded pictures, a file past the upload limit is refused
before the app holds it, a formula pasted past 200 characters is refused out loud, and
weights whose own configuration does not fit them change nothing."""

from tests.browser.conftest import IDLE, assert_healthy, open_page
from ui.playground import export
from ui.playground.config import SCHEMA
from ui.playground.run import build_run

IMAGE = "![pixel](http://127.0.0.1:9/pixel.png)"
LINK = "[click](http://example.invalid/)"
ANCHOR = "<a href=http://example.invalid/>a</a>"
BOLD = "<b>B</b>"

# Every element the user's text could have become: an image or a link to the addresses
# above (anywhere on the page, Streamlit's Markdown and Plotly's SVG labels alike).
MADE_FROM_USER_TEXT = """() => [...document.querySelectorAll('img, a, image')].filter(e => {
    const target = e.getAttribute('src') || e.getAttribute('href') || e.getAttribute('xlink:href') || '';
    return target.includes('127.0.0.1:9') || target.includes('example.invalid');
}).map(e => e.outerHTML.slice(0, 200))"""


def upload_csv(pg, tmp_path, text: str, name: str = "data.csv") -> None:
    """On the Playground at ?dataset=csv, upload ``text`` as a file and wait for the run."""
    open_page(pg, "?dataset=csv")
    path = tmp_path / name
    path.write_text(text)
    pg.locator("[data-testid=stSidebar] input[type=file]").set_input_files(str(path))
    pg.get_by_text(name, exact=True).first.wait_for()  # the uploader lists the file
    pg.wait_for_selector(IDLE)


def test_csv_names_as_markdown_in_a_message_make_no_image_and_no_link(page, tmp_path):
    # a feature cell that is no number: the message quotes the column's name and the cell
    rows = "\n".join(f"{LINK if i == 2 else i},{i},{i % 2}" for i in range(6))
    upload_csv(page, tmp_path, f"{IMAGE},x2,label\n{rows}\n")
    message = page.locator("[data-testid=stAlert]").filter(has_text="cannot be used")
    message.first.wait_for()
    said = message.first.inner_text().replace("\u2060", "")  # word joiners keep addresses from linking
    assert IMAGE in said and LINK[:30] in said  # the characters typed, shown as such (a cell cut to 30)
    assert page.evaluate(MADE_FROM_USER_TEXT) == []
    assert_healthy(page)


def test_csv_names_as_html_in_the_pictures_stay_text(page, tmp_path):
    rows = "\n".join(f"{i % 7},{(i * 3) % 5},{LINK if i % 2 else BOLD}" for i in range(24))
    upload_csv(page, tmp_path, f"{IMAGE},{ANCHOR},label\n{rows}\n")
    page.wait_for_function("document.querySelectorAll('div.live-chart .main-svg').length >= 4")
    # the output picture's axis titles and legend hold the names, as characters
    page.wait_for_function(
        """() => [...document.querySelectorAll('div.live-chart text')]
            .some(t => t.textContent.includes('<a href=http://example.invalid/>a</a>'))"""
    )
    texts = page.evaluate("() => [...document.querySelectorAll('div.live-chart text')].map(t => t.textContent)")
    assert BOLD in texts  # the legend's class name, its tags as text
    assert IMAGE in " ".join(texts)
    bold = page.evaluate(
        """() => [...document.querySelectorAll('div.live-chart b, div.live-chart tspan')]
            .filter(e => e.textContent === 'B' && getComputedStyle(e).fontWeight >= 600).length"""
    )
    assert bold == 0  # no "B" drawn in bold from the user's <b>
    assert page.evaluate(MADE_FROM_USER_TEXT) == []
    assert_healthy(page)


def test_constant_features_get_a_message_and_a_constant_column_its_pictures(page, tmp_path):
    upload_csv(page, tmp_path, "x1,x2,label\n5,5,0\n5,5,1\n5,5,0\n5,5,1\n")
    said = page.locator("[data-testid=stAlert]").filter(has_text="nothing tells the rows apart")
    said.first.wait_for()
    assert "every feature column holds one value only" in said.first.inner_text()
    assert_healthy(page)
    # one column constant and every target the same: pictures with a padded range, no error
    rows = "\n".join(f"{i},5,1.5" for i in range(12))
    upload_csv(page, tmp_path, f"x1,x2,y\n{rows}\n", name="flat.csv")
    page.wait_for_function("document.querySelectorAll('div.live-chart .main-svg').length >= 4")
    page.get_by_role("button", name="Step", exact=True).click()
    page.wait_for_function("(document.querySelector('#stat-epoch') || {innerText: ''}).innerText === '1'")
    page.wait_for_selector(IDLE)
    assert_healthy(page)


def test_a_csv_past_the_upload_limit_is_refused_in_the_browser(page, tmp_path):
    open_page(page, "?dataset=csv")
    big = tmp_path / "big.csv"
    big.write_text("x1,x2,label\n" + "1.00000,2.00000,0\n" * 150_000)  # 2.7 MB
    dropzone = page.locator("[data-testid=stFileUploaderDropzone]").first
    dropzone.get_by_text("2MB per file", exact=False).wait_for()  # the limit, said beside the button
    page.locator("[data-testid=stSidebar] input[type=file]").set_input_files(str(big))
    page.get_by_text("File must be 2.0MB or smaller", exact=False).first.wait_for()
    page.wait_for_selector(IDLE)
    # the app never received it: it says nothing of the file and trains on nothing
    assert page.locator("[data-testid=stAlert]").filter(has_text="big.csv").count() == 0
    assert_healthy(page)


def test_a_formula_pasted_past_200_characters_is_refused_out_loud(page):
    open_page(page, "universal-approximation?target=formula")
    box = page.get_by_role("textbox", name="f(x) =")
    pasted = "+".join(["x"] * 130)  # 259 characters
    box.fill(pasted)
    box.press("Enter")
    page.get_by_text("the formula is 259 characters long; at most 200", exact=False).first.wait_for()
    page.wait_for_selector(IDLE)
    assert box.input_value() == pasted
    assert_healthy(page)


def test_weights_whose_configuration_does_not_fit_them_change_nothing(page, tmp_path):
    run = build_run(SCHEMA.defaults())  # the page's own network, 2 → 4 → 2 → 1
    weights = tmp_path / "weights.npz"
    weights.write_bytes(export.weights_to_npz(run.network, {**run.config, "hidden": (8,)}))
    open_page(page)
    sidebar = page.locator("[data-testid=stSidebar]")
    assert sidebar.get_by_text("2 hidden layers", exact=True).count() == 1
    page.get_by_text("Share, export and import", exact=True).click()
    tab = page.get_by_role("tab", name="Import")
    tab.wait_for()
    tab.click()
    page.wait_for_selector(IDLE)
    page.locator("[data-testid=stMain] input[type=file]").set_input_files(str(weights))
    said = page.locator("[data-testid=stAlert]").filter(has_text="do not fit")
    said.first.wait_for()
    assert "Nothing was changed." in said.first.inner_text()
    page.wait_for_selector(IDLE)
    assert sidebar.get_by_text("2 hidden layers", exact=True).count() == 1  # not the file's one layer of 8
    assert "hidden=" not in page.url
    assert_healthy(page)
