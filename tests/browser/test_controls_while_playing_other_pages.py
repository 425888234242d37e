"""Controls pressed while playing do what they say on the other live pages, in Chromium
(issue 19; the Playground's own: test_controls_while_playing.py): Reset and Add a neuron
on Universal approximation, Reset on both parts of Gradient descent, pressed at seeded
random moments of Play. Every check waits for a condition; each ends with one Step, which
shows any update that trained after the press."""

import random

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser.conftest import IDLE, assert_healthy, open_page
from tests.browser.test_universal_approximation import open_approximation

PRESSES = 6


def stat(pg, name: str) -> str:
    return pg.locator(f"#stat-{name}").inner_text()


def shown(name: str) -> str:
    """A JavaScript expression: the stats line's ``name`` as a number (NaN while redrawn)."""
    return f"Number((document.querySelector('#stat-{name}') || {{innerText: 'NaN'}}).innerText.replace(/,/g, ''))"


def wait_for_stat(pg, name: str, expected: int) -> None:
    try:
        pg.wait_for_function(f"() => {shown(name)} === {expected}")
    except PlaywrightTimeout:
        raise AssertionError(f"{name} {pg.evaluate(shown(name))} shown, {expected} expected") from None


def in_row(pg, key: str):
    """The control made with session-state ``key`` (its container's CSS class)."""
    return pg.locator(f".st-key-{key.replace('.', '-')}")


def play_until_training(pg, play_key: str, counter: str, rng: random.Random) -> None:
    """Switch on the Play of ``play_key``, wait until ``counter`` moves, then a random moment more."""
    start = pg.evaluate(shown(counter))
    in_row(pg, play_key).get_by_text("Play", exact=True).click()
    pg.wait_for_function(f"() => {shown(counter)} > {start}")
    pg.wait_for_timeout(rng.uniform(0, 400))  # a random moment of a live update (not a check)


def wait_paused(pg, play_key: str) -> None:
    expect(in_row(pg, play_key).get_by_label("Play", exact=True)).not_to_be_checked()
    pg.wait_for_selector(IDLE)


def test_approximation_reset_and_add_a_neuron_while_playing(page):
    open_approximation(page)
    rng = random.Random(23)
    loss = stat(page, "train-loss")
    in_row(page, "ua.step").click()
    wait_for_stat(page, "epoch", 1)
    after_one = stat(page, "train-loss")
    in_row(page, "ua.reset").click()
    wait_for_stat(page, "epoch", 0)
    for press in range(PRESSES):
        play_until_training(page, "ua.playing", "epoch", rng)
        in_row(page, "ua.reset").click()
        wait_paused(page, "ua.playing")
        wait_for_stat(page, "epoch", 0)
        assert stat(page, "train-loss") == loss, press
        in_row(page, "ua.step").click()
        wait_for_stat(page, "epoch", 1)
        assert stat(page, "train-loss") == after_one, press
    neurons = int(stat(page, "neurons"))
    for _ in range(PRESSES):
        play_until_training(page, "ua.playing", "epoch", rng)
        page.get_by_role("button", name="Add a neuron").click()
        neurons += 1
        wait_for_stat(page, "neurons", neurons)
        expect(page.get_by_role("spinbutton", name="Hidden neurons")).to_have_value(str(neurons))
        in_row(page, "ua.step").click()  # pauses (the server switches Play off: a sign its run is done)
        wait_paused(page, "ua.playing")
        assert int(stat(page, "neurons")) == neurons  # one click, one neuron
        epoch = int(stat(page, "epoch").replace(",", ""))
        in_row(page, "ua.step").click()
        wait_for_stat(page, "epoch", epoch + 1)
    assert_healthy(page)


def open_gradient_descent(pg) -> None:
    open_page(pg)
    pg.locator('[data-testid=stSidebarNav] a[href$="/gradient-descent"]').click()
    pg.get_by_role("heading", name="Gradient descent").first.wait_for()
    pg.wait_for_function("document.querySelectorAll('div.live-chart').length == 4 && window.Plotly")
    pg.wait_for_selector(IDLE)


def test_descent_reset_while_playing_both_parts(page):
    open_gradient_descent(page)
    rng = random.Random(24)
    for part, counter in (("one", "gd-step"), ("race", "race-step")):
        start_loss = stat(page, "gd-loss" if part == "one" else "race-loss-adam")
        for press in range(PRESSES):
            play_until_training(page, f"gd.{part}.playing", counter, rng)
            in_row(page, f"gd.{part}.reset").click()
            wait_paused(page, f"gd.{part}.playing")
            wait_for_stat(page, counter, 0)
            assert stat(page, "gd-loss" if part == "one" else "race-loss-adam") == start_loss, (part, press)
            in_row(page, f"gd.{part}.step").click()
            wait_for_stat(page, counter, 1)
            in_row(page, f"gd.{part}.reset").click()
            wait_for_stat(page, counter, 0)
    assert_healthy(page)
