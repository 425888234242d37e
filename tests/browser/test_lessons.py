"""Lessons in Chromium: a deck presented with the keyboard (→ and PageDown forward, ← and
PageUp back, Space Play/Pause, S Step, R Reset), and a task completed with the keys until
the bar shows ✓."""

from playwright.sync_api import expect

from tests.browser.conftest import IDLE, assert_healthy, open_page
from ui.lessons.builtin import builtin_deck

expect.set_options(timeout=30_000)  # every key press is a rerun; a busy machine is slow

COUNTER = ".lesson-counter"
SCENES = len(builtin_deck())


def at_scene(pg, n: int) -> None:
    """Scene ``n`` is shown and the presentation's keys serve it."""
    expect(pg.locator(COUNTER)).to_have_text(f"Scene {n} of {SCENES}")
    pg.wait_for_selector(IDLE)
    pg.wait_for_function(f"window.__lessonKeys?.scene === 'Scene {n} of {SCENES}'")


def stat(pg, name: str) -> str:
    return pg.locator(f"#stat-{name}").inner_text()


def test_a_deck_is_presented_with_the_keyboard(page):
    open_page(page, "lessons")
    page.get_by_role("button", name="Present").click()
    at_scene(page, 1)
    expect(page.get_by_text("Leave presentation mode")).to_be_visible()  # the page is presented
    expect(page.get_by_text("Speaker notes")).to_have_count(0)  # notes stay on the Lessons page
    page.keyboard.press("ArrowRight")
    at_scene(page, 2)  # the Playground, W1 of 2 × 3
    page.keyboard.press("PageDown")
    at_scene(page, 3)
    page.keyboard.press("PageUp")
    at_scene(page, 2)
    page.wait_for_selector("#stat-epoch")
    page.keyboard.press("s")  # Step
    expect(page.locator("#stat-epoch")).to_have_text("1")
    page.keyboard.press("s")
    expect(page.locator("#stat-epoch")).to_have_text("2")
    page.keyboard.press(" ")  # Play
    page.wait_for_function("Number(document.querySelector('#stat-epoch')?.innerText.replace(/,/g, '')) > 20")
    page.keyboard.press(" ")  # Pause
    page.wait_for_selector(IDLE)
    paused = stat(page, "epoch")
    page.keyboard.press("r")  # Reset (not Streamlit's own "rerun" key)
    expect(page.locator("#stat-epoch")).to_have_text("0")
    assert paused != "0"
    page.keyboard.press("ArrowLeft")
    at_scene(page, 1)
    assert_healthy(page)


def test_a_task_is_completed_with_the_keys_and_marked_done(page):
    open_page(page, "lessons?scene=8&present=1")  # gradient descent, presented
    at_scene(page, 8)
    task = page.locator("[data-testid=stAlertContentInfo], [data-testid=stAlertContentSuccess]")
    expect(task).to_contain_text("Press Step until w is within 0.01 of the optimum 3")
    for n in range(1, 12):
        page.keyboard.press("S")
        expect(task).to_contain_text(f"after {n} step")
    expect(page.locator("[data-testid=stAlertContentSuccess]")).to_contain_text("Task ✓")
    page.get_by_role("button", name="All scenes").click()
    expect(page.get_by_text(f"1 of {SCENES} tasks done")).to_be_visible()
    expect(page.get_by_text("8. Gradient descent ✓")).to_be_visible()
    assert_healthy(page)
