"""Controls pressed while playing do what they say, in Chromium (issues 19 and 20): Reset,
Step, Pause and the "+" buttons pressed many times at random moments of Play, the state
checked after each press. The moments are drawn from a seeded generator; every check waits
for a condition (never a fixed sleep), so the tests hold on a busy machine.

How a late update would show: a live update that trained after the press lands on the page
some time later, so each check ends with one Step and waits for exactly one epoch more."""

import random
import re

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser.conftest import IDLE, assert_healthy, open_page, wait_settled

PRESSES = 10  # presses of each control per test
EPOCH = "Number((document.querySelector('#stat-epoch') || {innerText: 'NaN'}).innerText.replace(/,/g, ''))"


def epoch(pg) -> int:
    return int(pg.locator("#stat-epoch").inner_text().replace(",", ""))


def train_loss(pg) -> str:
    return pg.locator("#stat-train-loss").inner_text()


def play_toggle(pg):
    return pg.get_by_label("Play", exact=True)


def wait_for_epoch(pg, expected: int) -> None:
    try:
        pg.wait_for_function(f"() => {EPOCH} === {expected}")
    except PlaywrightTimeout:
        raise AssertionError(f"epoch {pg.evaluate(EPOCH)} shown, {expected} expected") from None


def play_until_training(pg, rng: random.Random) -> None:
    """Switch Play on, wait until it trains, then a random moment more (0 to 0.4 s)."""
    start = epoch(pg)
    pg.get_by_text("Play", exact=True).click()
    expect(play_toggle(pg)).to_be_checked()
    pg.wait_for_function(f"() => {EPOCH} > {start}")
    pg.wait_for_timeout(rng.uniform(0, 400))  # a random moment of a live update (not a check)


def wait_paused(pg) -> None:
    """Play switched off by the server (the full run of a Step or Reset), the run done and
    the live panel settled: frames of a playing update still queued in the browser would
    otherwise change the epoch shown after it was read."""
    expect(play_toggle(pg)).not_to_be_checked()
    wait_settled(pg)


def pause(pg) -> None:
    """Switch Play off and wait for the Pause's full run: the toggle goes off in the browser
    at once, the Replay slider (drawn when paused) comes with the server's answer."""
    pg.get_by_text("Play", exact=True).click()
    expect(pg.get_by_text("Replay: epoch")).to_be_visible()
    wait_settled(pg)


def click(pg, name: str) -> None:
    pg.get_by_role("button", name=name, exact=True).click()


def step_adds_exactly_one(pg) -> None:
    """No update trains after the page paused: the epoch it shows, plus one after a Step."""
    shown = epoch(pg)
    click(pg, "Step")
    wait_for_epoch(pg, shown + 1)
    pg.wait_for_selector(IDLE)
    assert epoch(pg) == shown + 1


def first_load(pg) -> tuple[str, str]:
    """The first load's training loss, and that after one Step from it (then Reset)."""
    wait_for_epoch(pg, 0)
    loss = train_loss(pg)
    click(pg, "Step")
    wait_for_epoch(pg, 1)
    after_one = train_loss(pg)
    click(pg, "Reset")
    wait_for_epoch(pg, 0)
    pg.wait_for_selector(IDLE)
    assert train_loss(pg) == loss
    return loss, after_one


def test_reset_while_playing_always_resets(page):
    open_page(page)
    rng = random.Random(19)
    loss, after_one = first_load(page)
    for press in range(PRESSES):
        play_until_training(page, rng)
        click(page, "Reset")
        wait_paused(page)
        wait_for_epoch(page, 0)
        assert train_loss(page) == loss, press  # the first load's loss: the same initial weights
        click(page, "Step")  # an update trained after the Reset would show here: epoch 61, say
        wait_for_epoch(page, 1)
        assert train_loss(page) == after_one, press
    assert_healthy(page)


def test_step_while_playing_pauses_and_steps_once(page):
    open_page(page)
    rng = random.Random(20)
    loss, _ = first_load(page)
    for _ in range(PRESSES):
        play_until_training(page, rng)
        click(page, "Step")
        wait_paused(page)
        step_adds_exactly_one(page)
    click(page, "Reset")
    wait_for_epoch(page, 0)
    assert train_loss(page) == loss
    assert_healthy(page)


def test_pause_stops_training_at_once(page):
    open_page(page)
    rng = random.Random(21)
    for _ in range(PRESSES):
        play_until_training(page, rng)
        pause(page)
        step_adds_exactly_one(page)
    assert_healthy(page)


def hidden_layers(pg) -> list[int]:
    """The sidebar's hidden layers, as its labels say ("layer 1: 4 neurons", ...)."""
    sidebar = pg.locator("[data-testid=stSidebar]")
    count = int(re.search(r"(\d+) hidden layers?", sidebar.inner_text())[1])
    sizes = [int(n) for n in re.findall(r"layer \d+: (\d+) neurons?", sidebar.inner_text())]
    assert len(sizes) == count, (count, sizes)
    return sizes


def wait_for_layers(pg, sizes: list[int]) -> None:
    labels = " ".join(f"layer {i + 1}: {n} neuron{'s' if n != 1 else ''}" for i, n in enumerate(sizes))
    try:
        pg.wait_for_function(
            "(want) => { const s = document.querySelector('[data-testid=stSidebar]'); if (!s) return false;"
            " const got = [...s.innerText.matchAll(/layer \\d+: \\d+ neurons?/g)].map(m => m[0]).join(' ');"
            " return got === want; }",
            arg=labels,
        )
    except PlaywrightTimeout:
        raise AssertionError(f"hidden layers {hidden_layers(pg)} shown, {sizes} expected") from None


def test_one_plus_click_while_playing_adds_exactly_one(page):
    open_page(page)
    rng = random.Random(22)
    sizes = hidden_layers(page)
    assert sizes == [4, 2]
    for press in range(PRESSES):
        play_until_training(page, rng)
        which = rng.choice([0, 1, 2] if len(sizes) < 4 else [1, 2])
        if which == 0:
            sizes = [*sizes, 4]
        else:
            sizes[which - 1] += 1
        # the sidebar's "+" buttons: the hidden layers', then each layer's neurons'
        page.locator("[data-testid=stSidebar]").get_by_role("button", name="+", exact=True).nth(which).click()
        wait_for_layers(page, sizes)
        expect(play_toggle(page)).to_be_checked()  # a new network, and Play goes on
        click(page, "Step")  # pauses (the server switches Play off)
        wait_paused(page)
        assert hidden_layers(page) == sizes, press  # one click, one more
        step_adds_exactly_one(page)
    assert_healthy(page)
