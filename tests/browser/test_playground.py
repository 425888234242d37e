"""The Playground in a real browser: press Play and watch the pictures change."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_healthy, open_page, wait_settled


def epoch(pg) -> int:
    return int(pg.locator("#stat-epoch").inner_text().replace(",", ""))


def train_loss(pg) -> float:
    return float(pg.locator("#stat-train-loss").inner_text())


def play(pg) -> None:
    pg.get_by_text("Play", exact=True).click()


def output_picture(pg) -> str:
    """The output picture's image data (changes whenever the prediction changes)."""
    return pg.evaluate(
        "() => { const i = document.querySelector('[data-chart=output] .live-overlays img');"
        " return i ? i.getAttribute('src') : ''; }"
    )


def chart_roots(pg) -> int:
    return pg.evaluate("document.querySelectorAll('div.live-chart').length")


def wait_for_epoch(pg, expected: int) -> None:
    pg.wait_for_function(
        f"() => {{ const e = document.querySelector('#stat-epoch'); return e && e.innerText == '{expected:,}'; }}"
    )


def test_loads_cleanly(page):
    open_page(page)
    page.wait_for_function("document.querySelectorAll('div.live-chart').length == 4 && window.Plotly")
    assert epoch(page) == 0
    assert_healthy(page)


def test_play_trains_and_pause_stops(page):
    open_page(page)
    page.wait_for_function("window.Plotly")
    first_loss, first_picture = train_loss(page), output_picture(page)
    roots_before = chart_roots(page)
    mounts_before = page.evaluate("window.__liveChartMounts")
    play(page)
    page.wait_for_function(
        "Number((document.querySelector('#stat-epoch') || {innerText: ''}).innerText.replace(/,/g, '')) > 30"
    )
    assert train_loss(page) < first_loss
    # The output picture follows the prediction: it changes as training goes on.
    page.wait_for_function(
        "(first) => document.querySelector('[data-chart=output] .live-overlays img')?.getAttribute('src') != first",
        arg=first_picture,
    )
    # The live charts were updated in place, never re-mounted.
    assert chart_roots(page) == roots_before == 4
    assert page.evaluate("window.__liveChartMounts") == mounts_before
    play(page)  # pause
    wait_settled(page)  # the paused update shown: no frames left to play out
    paused_at = epoch(page)
    # Paused means stopped: one Step adds exactly one epoch to what was shown (were
    # training going on behind the scenes, the next update would show more).
    page.get_by_role("button", name="Step", exact=True).click()
    page.wait_for_function(f"() => document.querySelector('#stat-epoch')?.innerText != '{paused_at:,}'")
    wait_settled(page)
    assert epoch(page) == paused_at + 1
    assert_healthy(page)


def test_step_adds_exactly_one_epoch_and_reset_returns_to_the_first_load(page):
    open_page(page)
    first_loss = page.locator("#stat-train-loss").inner_text()
    page.get_by_role("button", name="Step", exact=True).click()
    wait_for_epoch(page, 1)
    page.get_by_role("button", name="Step", exact=True).click()
    wait_for_epoch(page, 2)
    wait_settled(page)
    assert epoch(page) == 2  # exactly one epoch per Step
    page.get_by_role("button", name="Reset", exact=True).click()
    wait_for_epoch(page, 0)
    wait_settled(page)  # the run ended: the panel it replaced (a stats line of its own) is gone
    assert page.locator("#stat-train-loss").inner_text() == first_loss
    assert_healthy(page)


def test_changing_the_learning_rate_while_playing_keeps_playing(page):
    open_page(page)
    play(page)
    shown_epoch = (  # null while the stats line is not there yet
        "(() => { const e = document.querySelector('#stat-epoch');"
        " return e && Number(e.innerText.replace(/,/g, '')); })()"
    )
    page.wait_for_function(f"() => {shown_epoch} >= 10")
    rate = page.get_by_label("or type it")
    rate.fill("0.1")
    rate.press("Enter")
    page.wait_for_url(re.compile(r"[?&]learning_rate=0\.1(&|$)"))  # a run with the new rate has been made
    updates = page.evaluate("window.__liveUpdatesIn || 0")
    page.wait_for_function(f"window.__liveUpdatesIn >= {updates + 2}")  # and the live updates keep coming
    before = epoch(page)
    page.wait_for_function(f"() => {shown_epoch} > {before}")  # still training
    assert page.get_by_label("Play", exact=True).is_checked()
    assert_healthy(page)


def test_diverging_setup_pauses_with_a_message(page):
    open_page(page)
    activation = page.get_by_role("combobox", name="Activation", exact=True)
    activation.click()
    activation.fill("relu")
    activation.press("Enter")
    page.wait_for_function("() => document.querySelector('[aria-label=Activation]').value == 'relu'")
    page.wait_for_url(re.compile(r"[?&]activation=relu(&|$)"))  # the run with ReLU has been made
    wait_settled(page)
    rate = page.get_by_label("or type it")
    rate.fill("10")
    rate.press("Enter")
    page.wait_for_url(re.compile(r"[?&]learning_rate=10(&|$)"))
    wait_settled(page)
    play(page)
    message = page.get_by_text(re.compile("diverged at epoch \\d+: lower the learning rate and press Reset"))
    message.wait_for(timeout=15_000)
    wait_settled(page)
    assert not page.get_by_label("Play", exact=True).is_checked()
    assert_healthy(page)


def test_clicking_the_output_in_draw_mode_adds_a_point(page):
    open_page(page)
    page.get_by_text("Draw points by clicking the output").click()
    # The output takes clicks (a crosshair) once the toggle's run has reached the page: on
    # a busy machine the page can look settled before that run has even begun, and a click
    # then is not a drawing click.
    page.wait_for_selector("[data-chart=output] .live-chart.clickable")
    images = "document.querySelectorAll('[data-chart=output] .live-overlays img')"
    page.wait_for_function(f"() => {images}.length == 2 && {images}[1].getAttribute('src')")
    wait_settled(page)
    points = f"{images}[1].getAttribute('src')"
    points_before = page.evaluate(f"() => {points}")
    plot = page.locator("[data-chart=output] div.live-chart .nsewdrag").first
    box = plot.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.2)
    page.wait_for_function(f"(before) => {points} != before", arg=points_before)
    assert_healthy(page)


def test_a_bad_csv_gets_a_message_and_a_good_one_trains(page, tmp_path):
    open_page(page)
    dataset = page.get_by_role("combobox", name="Dataset", exact=True)
    dataset.click()
    dataset.fill("Your CSV")
    dataset.press("Enter")
    page.locator("[data-testid=stSidebar] input[type=file]").wait_for(state="attached")
    wait_settled(page)
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,label\n1,2,0\n3,x,1\n")
    page.locator("[data-testid=stSidebar] input[type=file]").set_input_files(str(bad))
    page.get_by_text("bad.csv cannot be used").wait_for()
    assert page.get_by_text("row 3").count() > 0  # the message names the row
    good = tmp_path / "good.csv"
    rows = [f"{x:.2f},{y:.2f},{int(x * y > 0)}" for x in range(-5, 6) for y in (-2.5, -1.5, 1.5, 2.5)]
    good.write_text("a,b,label\n" + "\n".join(rows) + "\n")
    page.locator("[data-testid=stSidebar] input[type=file]").set_input_files(str(good))
    page.get_by_text("bad.csv cannot be used").wait_for(state="detached")  # the good file is in use
    wait_settled(page)
    page.get_by_role("button", name="Step", exact=True).click()
    wait_for_epoch(page, 1)
    assert_healthy(page)


COUNTERS = "() => [window.__liveUpdatesIn || 0, window.__liveFramesIn || 0, window.__liveFramesShown || 0]"


def test_every_frame_of_an_update_is_shown_in_turn(page):
    """While playing, an update carries several frames (ui/live/loop.FRAMES_PER_UPDATE) and
    the browser shows them in turn, one at a time until the next update (static/live_chart.js:
    enqueue, showNext), not only the last of each. How many it shows is the machine's (a
    browser that falls behind applies the oldest undrawn, by design); rates are for
    benchmarks/live.py. Here: frames are shown in order, and more of them than updates."""
    open_page(page)
    page.wait_for_function("window.Plotly && document.querySelector('#stat-epoch')")
    # Not playing yet, so no frame is queued: from here on every epoch shown is recorded,
    # and every frame shown belongs to an update received from here on.
    page.evaluate(
        "() => { const e = () => document.querySelector('#stat-epoch');"
        " window.__epochsSeen = [e().innerText]; new MutationObserver(() => {"
        " const t = e() && e().innerText;"
        " if (t && t !== window.__epochsSeen.at(-1)) window.__epochsSeen.push(t); })"
        ".observe(document.body, {subtree: true, childList: true, characterData: true}); }"
    )
    updates0, received0, shown0 = page.evaluate(COUNTERS)
    play(page)
    page.wait_for_function(f"(window.__liveUpdatesIn || 0) >= {updates0 + 20}")  # twenty updates since Play
    updates1, received1, shown1, seen = page.evaluate(f"() => [...({COUNTERS})(), window.__epochsSeen]")
    play(page)  # pause
    expect(page.get_by_label("Play", exact=True)).not_to_be_checked()
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]")
    updates, received, shown = updates1 - updates0, received1 - received0, shown1 - shown0
    assert received >= 4 * updates  # several frames to an update
    epochs = [int(t.replace(",", "")) for t in seen]
    assert epochs == sorted(set(epochs)), epochs  # in order: each shown once, never back
    # Were only the last frame of each update shown, there would be at most one frame, and
    # one new epoch on screen, per update: more means updates' frames were shown in turn.
    assert shown > updates, (shown, updates)
    assert len(epochs) - 1 > updates, (epochs, updates)
    assert_healthy(page)


def test_a_folded_panel_shows_its_text_when_unfolded(page):
    open_page(page)
    page.wait_for_function("window.Plotly")
    assert page.get_by_text("Each square is one neuron").count() == 0  # not even sent
    page.locator("[data-testid=stExpander]").get_by_text("The network", exact=True).click()
    page.get_by_text("Each square is one neuron").first.wait_for()
    assert_healthy(page)
