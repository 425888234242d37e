"""Shared links in a real browser: a fresh browser opening a link sees that setup and, after
the same Steps, the same loss; the URL follows changes; presentation mode; files out and in."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import IDLE, assert_healthy, new_page, open_page
from ui.playground.export import config_from_json, weights_from_npz

LINK = "?dataset=xor&hidden=8,8&learning_rate=0.1&activation=relu&noise=10&data_seed=5&init_seed=2&features=x1,x2,x1x2"
SIDEBAR = "[data-testid=stSidebar]"


@pytest.fixture
def second_page(browser, app_url):
    """Another fresh browser context: no cookies, no session shared with ``page``."""
    pg = new_page(browser, app_url)
    yield pg
    pg.context.close()


def epoch(pg) -> int:
    return int(pg.locator("#stat-epoch").inner_text().replace(",", ""))


def stats(pg) -> dict[str, str]:
    """The stats line as shown: every value to its last printed digit."""
    return {
        key: pg.locator(f"#stat-{key}").inner_text()
        for key in ("epoch", "train-loss", "test-loss", "train-accuracy", "test-accuracy")
    }


def selectbox_value(pg, label: str) -> str:
    box = pg.locator(f"{SIDEBAR} [data-testid=stSelectbox]").filter(has_text=re.compile(f"^{label}"))
    return box.locator("input").input_value()


def step(pg) -> None:
    before = epoch(pg)
    pg.get_by_role("button", name="Step", exact=True).click()
    pg.wait_for_function(
        f"Number((document.querySelector('#stat-epoch') || {{innerText: ''}}).innerText) === {before + 1}"
    )
    pg.wait_for_selector(IDLE)


def query(pg) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(pg.url).query).items()}


def open_share_tab(pg, tab: str) -> None:
    """Open the share panel's tab, once the page has finished running (a click during a
    rerun can land on an expander that the rerun then redraws)."""
    pg.wait_for_selector(IDLE)
    pg.get_by_text("Share, export and import", exact=True).click()
    tab_button = pg.get_by_role("tab", name=tab)
    tab_button.wait_for()
    tab_button.click()
    pg.wait_for_selector(IDLE)


def test_a_shared_link_gives_a_fresh_browser_the_same_setup_and_losses(page, second_page):
    results = []
    for pg in (page, second_page):
        open_page(pg, LINK)
        pg.wait_for_selector("#stat-epoch")
        sidebar = pg.locator(SIDEBAR)
        for text in ("2 hidden layers", "layer 1: 8 neurons", "layer 2: 8 neurons"):
            assert sidebar.get_by_text(text, exact=True).count() == 1, text
        assert selectbox_value(pg, "Dataset") == "Exclusive or" and selectbox_value(pg, "Activation") == "relu"
        assert sidebar.get_by_label("or type it").input_value() == "0.1"
        first = stats(pg)
        for _ in range(3):
            step(pg)
        results.append((first, stats(pg)))
        assert query(pg)["hidden"] == "8,8" and query(pg)["dataset"] == "xor"  # the URL still says so
        assert_healthy(pg)
    assert results[0] == results[1]
    assert results[0][1]["epoch"] == "3" and results[0][0]["train-loss"] != results[0][1]["train-loss"]


def test_the_url_follows_a_change_and_reopens_it(page, second_page):
    open_page(page)
    assert query(page) == {}
    layers_row = page.locator(SIDEBAR).locator("[data-testid=stHorizontalBlock]", has_text="hidden layers")
    layers_row.get_by_role("button", name="+").click()  # add a hidden layer
    page.wait_for_selector(IDLE)
    page.wait_for_function("window.location.search.includes('hidden')")
    assert query(page) == {"hidden": "4,2,4"}
    open_page(second_page, "?" + urlsplit(page.url).query)
    assert second_page.locator(SIDEBAR).get_by_text("3 hidden layers", exact=True).count() == 1
    assert stats(second_page) == stats(page)
    assert_healthy(second_page)


def test_presentation_mode_hides_the_sidebar_and_enlarges_the_numbers(page):
    open_page(page, "?dataset=gaussian&present=1")
    page.wait_for_selector("#stat-epoch")
    assert not page.locator(SIDEBAR).is_visible()
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#stat-epoch')).fontSize)")
    assert size >= 40  # 2.5rem; 1.7rem outside presentation mode
    assert page.get_by_text("Share, export and import").count() == 0
    step(page)
    page.get_by_role("button", name="Leave presentation mode").click()
    page.wait_for_selector(IDLE)
    page.wait_for_function("!window.location.search.includes('present')")
    page.locator(SIDEBAR).wait_for(state="visible")  # the sidebar is back (it is redrawn after the URL)
    assert page.locator(SIDEBAR).is_visible()
    # the lecture pace presentation mode started at stays (it is a setting like any other)
    assert query(page) == {"dataset": "gaussian", "speed": "10"}
    assert_healthy(page)


def test_a_malformed_link_names_what_it_ignored_and_renders_nothing_from_it(page):
    open_page(page, "?hidden=99,x&%3Cb%3Ebold%3C%2Fb%3E=1&noise=1e999&learning_rate=-3&dataset_hide=1")
    alert = page.locator("[data-testid=stAlert]").filter(has_text="not used as given")
    assert alert.count() == 1
    text = alert.inner_text()
    for name in ("hidden", "noise", "learning_rate", "?b?bold??b?"):
        assert name in text, (name, text)
    assert alert.locator("b").count() == 0
    assert page.locator(f"{SIDEBAR} [data-testid=stSelectbox]").filter(has_text="Dataset").count() == 0  # hidden
    assert epoch(page) == 0
    assert_healthy(page)


def test_weights_go_home_and_come_back(page, second_page, tmp_path):
    open_page(page, LINK)
    step(page)
    step(page)
    trained = stats(page)
    open_share_tab(page, "Export")
    with page.expect_download() as download:
        page.get_by_role("button", name="Weights (.npz)").click()
    path = tmp_path / "weights.npz"
    download.value.save_as(path)
    weights = weights_from_npz(path.read_bytes())
    assert weights.sizes == (3, 8, 8, 1) and weights.config["dataset"] == "xor"
    with page.expect_download() as download:
        page.get_by_role("button", name="Configuration (JSON)").click()
    config, notices = config_from_json(download.value.path().read_bytes())
    assert config == weights.config and notices == []

    open_page(second_page)  # the default setup: a 2-4-2-1 network on circle data
    open_share_tab(second_page, "Import")
    second_page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(path))
    second_page.get_by_text("Loaded the weights and the configuration").wait_for()
    second_page.wait_for_selector(IDLE)
    sidebar = second_page.locator(SIDEBAR)
    assert sidebar.get_by_text("2 hidden layers", exact=True).count() == 1
    assert stats(second_page)["epoch"] == "0"
    assert stats(second_page)["train-loss"] == trained["train-loss"]  # the trained weights, at epoch 0
    assert query(second_page)["hidden"] == "8,8"
    assert_healthy(page)
    assert_healthy(second_page)


def test_a_bad_file_is_refused_with_its_reason(page, tmp_path):
    open_page(page)
    open_share_tab(page, "Import")
    bad = tmp_path / "weights.json"
    bad.write_text('{"layers": [{"W": [[1, 2, 3]], "b": [0, 0]}]}')
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(bad))
    message = page.get_by_text(re.compile("cannot be used: b0 has 2 values but W0 has 3 columns"))
    message.wait_for()
    assert epoch(page) == 0
    assert_healthy(page)


def test_show_the_code(page):
    open_page(page, "?dataset=moons&hidden=3")
    open_share_tab(page, "The code")
    page.get_by_role("button", name="Show the code").click()
    page.get_by_text("def moons(").wait_for()
    assert page.get_by_role("button", name="Download the script").count() == 1
    assert_healthy(page)
