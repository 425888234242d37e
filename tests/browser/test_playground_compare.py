"""Compare through Chromium: ?compare=learning_rate:0.3 shows runs A and B side by side,
equal at epoch 0, apart after Steps, in lockstep while playing; a bad value gives a notice."""

from tests.browser.conftest import IDLE, assert_healthy, open_page

BOTH_AT = """(n) => {
  const a = document.querySelector('#stat-epoch'), b = document.querySelector('#stat-b-epoch');
  return a && b && a.innerText == n && b.innerText == n;
}"""
# The panel may be (re)drawn while these are read: a missing counter is "not yet".
B_PAST_60 = """() => {
  const b = document.querySelector('#stat-b-epoch');
  return b && Number(b.innerText.replace(/,/g, '')) >= 60;
}"""
EQUAL = """() => {
  const a = document.querySelector('#stat-epoch'), b = document.querySelector('#stat-b-epoch');
  return a && b && a.innerText == b.innerText;
}"""


def stat(pg, name: str) -> str:
    return pg.locator(f"#stat-{name}").inner_text()


def epoch(pg, name: str = "epoch") -> int:
    return int(stat(pg, name).replace(",", ""))


def test_two_runs_start_equal_and_part_step_by_step_and_play_in_lockstep(page):
    open_page(page, "?compare=learning_rate:0.3")
    page.wait_for_function(BOTH_AT, arg="0")
    assert stat(page, "train-loss") == stat(page, "b-train-loss")
    assert stat(page, "test-loss") == stat(page, "b-test-loss")
    charts = page.evaluate("Array.from(document.querySelectorAll('[data-chart]')).map(d => d.dataset.chart)")
    assert {"output", "output_b", "loss", "difference"} <= set(charts)
    assert page.locator("[data-chart=output_b]").inner_text().startswith("Run B: learning rate 0.3")
    for n in (1, 2, 3):
        page.get_by_role("button", name="Step", exact=True).click()
        page.wait_for_function(BOTH_AT, arg=str(n))
    assert stat(page, "train-loss") != stat(page, "b-train-loss")
    page.get_by_text("Play", exact=True).click()
    page.wait_for_function(B_PAST_60)
    page.get_by_text("Play", exact=True).click()
    page.wait_for_selector(IDLE)
    page.wait_for_function(EQUAL)
    assert epoch(page) == epoch(page, "b-epoch") >= 60
    assert "compare=learning_rate" in page.url
    assert_healthy(page)


def test_a_bad_compare_value_gives_a_notice_and_one_run(page):
    open_page(page, "?compare=learning_rate:fast")
    page.get_by_text("not used as given").wait_for()
    assert "compare" in page.get_by_text("not used as given").inner_text()
    page.wait_for_selector("#stat-epoch")
    assert page.locator("#stat-b-epoch").count() == 0
    assert "compare" not in page.url
    assert_healthy(page)


# Every picture a chart draws (its prediction and points), as one signature.
PICTURES = """(name) => [...document.querySelectorAll(`[data-chart=${name}] image, [data-chart=${name}] img`)]
    .map(e => e.getAttribute('href') || e.getAttribute('xlink:href') || e.getAttribute('src') || '').join('|')"""


def pictures(pg, name: str) -> str:
    pg.wait_for_function(f"({PICTURES})('{name}').length > 0")
    return pg.evaluate(PICTURES, name)


def test_replay_moves_both_runs_back_and_continue_branches_both(page):
    open_page(page, "?compare=learning_rate:0.3")
    for n in (1, 2, 3):
        page.get_by_role("button", name="Step", exact=True).click()
        page.wait_for_function(BOTH_AT, arg=str(n))
        if n == 1:
            at_one = {name: pictures(page, name) for name in ("output", "output_b")}
    for name in ("output", "output_b"):
        page.wait_for_function(f"({PICTURES})('{name}') !== {at_one[name]!r}")
    slider = page.get_by_role("slider", name="Replay: epoch")
    slider.focus()
    for shown in (2, 1):  # options 0, 1, 2, 3 (now)
        slider.press("ArrowLeft")
        page.wait_for_function(f"document.getElementById('stat-replay')?.textContent === 'epoch {shown} (replay)'")
    for name in ("output", "output_b"):  # both runs' pictures of epoch 1 again
        page.wait_for_function(f"({PICTURES})('{name}') === {at_one[name]!r}")
    page.get_by_role("button", name="Continue from here").click()
    page.get_by_text("Continued runs A and B from epoch 1: the 2 later epochs were dropped.").wait_for()
    page.wait_for_function(BOTH_AT, arg="1")
    assert page.locator("#stat-replay").count() == 0
    assert_healthy(page)
