"""Replay in a real browser: the "Replay: epoch" slider moves the pictures back (the
output picture becomes again what it was at that epoch), Continue from here branches."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_healthy, open_page

expect.set_options(timeout=30_000)  # the server answers a click with a rerun; a busy machine is slow

# Every picture the output chart draws (the prediction and the points), as one signature.
OUTPUT_PICTURES = """() => [...document.querySelectorAll('[data-chart=output] image, [data-chart=output] img')]
    .map(e => e.getAttribute('href') || e.getAttribute('xlink:href') || e.getAttribute('src') || '').join('|')"""


def stat(pg, name: str) -> str | None:
    return pg.evaluate(f"document.getElementById('stat-{name}')?.textContent ?? null")


def step_to(pg, epoch: int) -> None:
    pg.get_by_role("button", name="Step", exact=True).click()
    pg.wait_for_function(f"document.getElementById('stat-epoch')?.textContent === '{epoch}'")


def output_pictures(pg) -> str:
    pg.wait_for_function(f"({OUTPUT_PICTURES})().length > 0")
    return pg.evaluate(OUTPUT_PICTURES)


def test_the_slider_moves_the_pictures_back_and_continue_branches(page):
    open_page(page)
    step_to(page, 1)
    at_one = output_pictures(page)
    for epoch in (2, 3, 4):
        step_to(page, epoch)
    page.wait_for_function(f"({OUTPUT_PICTURES})() !== {at_one!r}")
    later = output_pictures(page)
    slider = page.get_by_role("slider", name="Replay: epoch")
    expect(slider).to_be_visible()
    slider.focus()
    for epoch in (3, 2, 1):  # options 0, 1, 2, 3, 4 (now): one key press per epoch back
        slider.press("ArrowLeft")
        page.wait_for_function(f"document.getElementById('stat-replay')?.textContent === 'epoch {epoch} (replay)'")
    page.wait_for_function(f"({OUTPUT_PICTURES})() === {at_one!r}")  # the picture of epoch 1 again
    assert output_pictures(page) != later
    page.get_by_role("button", name="Continue from here").click()
    expect(page.get_by_text("Continued from epoch 1: the 3 later epochs were dropped.")).to_be_visible()
    page.wait_for_function("document.getElementById('stat-epoch')?.textContent === '1'")
    assert stat(page, "replay") is None
    assert_healthy(page)
