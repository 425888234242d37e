"""The lecture hall in a real browser: `python -m deploy.hall --workers 2` (two Streamlit
workers behind HAProxy, sticky by cookie) and everything through its one port: a page,
Play, a CSV upload, a download, two students each kept on their own worker, a dropped
connection resumed, and a worker killed under a student (restarted; the student gets a
working page that says the session started afresh, never a proxy error page).

Skipped, with one line saying why, when HAProxy is missing (Chromium: see conftest.py).
"""

import os
import signal
import socket
import time
import urllib.request

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from benchmarks.app_server import HallServer
from deploy.hall import COOKIE, find_haproxy
from tests.browser.conftest import IDLE, new_page, open_page, wait_settled

pytestmark = pytest.mark.skipif(find_haproxy() is None, reason="no HAProxy (apt-get install haproxy)")

TOAST = "[data-testid=stToast]"
RESTARTED = "The server restarted part of itself"
PROXY_PAGES = ("No server is available", "502 Bad Gateway", "503 Service", "504 Gateway", "HAProxy")


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    server = HallServer(tmp_path_factory.mktemp("hall") / "hall.log", workers=2)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def student(browser, hall):
    """A page in a context of its own (its own cookies: its own worker) on the hall."""
    pages = []

    def make():
        pg = new_page(browser, hall.url)
        pages.append(pg)
        return pg

    yield make
    for pg in pages:
        pg.context.close()


def worker_of(pg) -> str:
    cookies = {c["name"]: c["value"] for c in pg.context.cookies()}
    return cookies[COOKIE]


def epoch(pg) -> int:
    return int(pg.locator("#stat-epoch").inner_text().replace(",", ""))


# The live panel shows a paused update (no frames left to play out) and the app is idle.
SETTLED = (
    "() => document.querySelector('div.live-panel')?.dataset.playing === 'false'"
    " && document.querySelector('#stat-epoch') !== null"
    " && document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'"
)


def settled_epoch(pg, timeout: float = 60_000) -> int:
    """The epoch the page shows once its panel has settled (paused, drawn, idle)."""
    pg.wait_for_function(SETTLED, timeout=timeout)
    return epoch(pg)


def wait_for_epoch_above(pg, value: int, timeout: float = 60_000) -> None:
    pg.wait_for_function(
        "(v) => Number((document.querySelector('#stat-epoch') || {innerText: ''}).innerText.replace(/,/g, '')) > v",
        arg=value,
        timeout=timeout,
    )


def play(pg) -> None:
    pg.get_by_text("Play", exact=True).click()


def assert_working(pg, hall) -> None:
    """No Streamlit exception, no proxy error page, no traceback in the hall's output."""
    body = pg.locator("body").inner_text()
    assert not [p for p in PROXY_PAGES if p in body], body[:500]
    assert pg.locator("[data-testid=stException]").count() == 0
    log = hall.log_path.read_text()
    assert "Traceback" not in log, log[log.index("Traceback") - 200 :][:3000]


def test_the_playground_loads_plays_and_stays_on_its_worker(student, hall):
    pg = student()
    open_page(pg)
    worker = worker_of(pg)
    assert worker in hall.pids()
    pg.wait_for_function("document.querySelectorAll('div.live-chart').length == 4 && window.Plotly")
    play(pg)
    wait_for_epoch_above(pg, 30)
    play(pg)  # pause
    pg.wait_for_selector(IDLE)
    open_page(pg)  # a reload: the same worker
    assert worker_of(pg) == worker
    assert_working(pg, hall)


def test_a_csv_upload_and_a_download_go_through_the_proxy(student, hall, tmp_path):
    pg = student()
    open_page(pg)
    dataset = pg.get_by_role("combobox", name="Dataset", exact=True)
    dataset.click()
    dataset.fill("Your CSV")
    dataset.press("Enter")
    pg.wait_for_selector(IDLE)
    good = tmp_path / "good.csv"
    rows = [f"{x:.2f},{y:.2f},{int(x * y > 0)}" for x in range(-5, 6) for y in (-2.5, -1.5, 1.5, 2.5)]
    good.write_text("a,b,label\n" + "\n".join(rows) + "\n")
    pg.locator("[data-testid=stSidebar] input[type=file]").set_input_files(str(good))
    pg.wait_for_selector(IDLE)
    pg.get_by_role("button", name="Step", exact=True).click()
    pg.wait_for_function("(document.querySelector('#stat-epoch') || {innerText: ''}).innerText === '1'")
    pg.wait_for_selector(IDLE)
    pg.get_by_text("Share, export and import", exact=True).click()
    tab = pg.get_by_role("tab", name="Export")
    tab.wait_for()
    tab.click()
    pg.wait_for_selector(IDLE)
    with pg.expect_download() as download:
        pg.get_by_role("button", name="Training history (CSV)").click()
    lines = download.value.path().read_text().splitlines()
    assert lines[0].startswith("epoch")
    assert [line.split(",")[0] for line in lines[1:]] == ["0", "1"]
    for label, starts in (("Configuration (JSON)", b"{"), ("Weights (.npz)", b"PK")):
        with pg.expect_download() as download:
            pg.get_by_role("button", name=label).click()
        assert download.value.path().read_bytes().startswith(starts), label
    assert_working(pg, hall)


@pytest.mark.parametrize("path", ["gradient-descent", "neuron", "universal-approximation", "lessons"])
def test_every_other_page_loads_through_the_proxy(student, hall, path):
    pg = student()
    open_page(pg, path)
    assert pg.locator("h1").count() >= 1
    assert_working(pg, hall)


def test_a_share_link_opens_its_setup_and_its_code_downloads_through_the_proxy(student, hall):
    pg = student()
    open_page(pg, "?dataset=xor&hidden=8,8&learning_rate=0.1")
    sidebar = pg.locator("[data-testid=stSidebar]")
    assert sidebar.get_by_text("2 hidden layers", exact=True).count() == 1
    assert "dataset=xor" in pg.url and ("hidden=8%2C8" in pg.url or "hidden=8,8" in pg.url)
    pg.get_by_text("Share, export and import", exact=True).click()  # the code, downloaded
    tab = pg.get_by_role("tab", name="The code")
    tab.wait_for()
    tab.click()  # a tab picked reruns the page (the server keeps it): wait for that run
    wait_settled(pg)
    pg.get_by_role("button", name="Show the code").click()
    download_button = pg.get_by_role("button", name="Download the script")
    download_button.wait_for(timeout=60_000)
    wait_settled(pg)
    with pg.expect_download() as download:
        download_button.click()
    assert "import numpy" in download.value.path().read_text()
    assert_working(pg, hall)


def test_two_students_each_stay_on_their_own_worker(student, hall):
    first, second = student(), student()
    open_page(first)
    open_page(second)
    workers = {worker_of(first), worker_of(second)}
    assert workers <= set(hall.pids())
    for _ in range(2):  # reloads keep each on its own
        for pg in (first, second):
            before = worker_of(pg)
            open_page(pg)
            assert worker_of(pg) == before
    # leastconn: the second student, arriving while the first holds a websocket, goes
    # to the other worker.
    assert len(workers) == 2
    for pg in (first, second):
        assert_working(pg, hall)


def admin(hall, command: str) -> str:
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(hall.admin_socket())
        s.sendall(command.encode() + b"\n")
        return s.makefile().read()


def test_a_dropped_connection_comes_back_to_its_own_session(student, hall):
    pg = student()
    open_page(pg)
    worker = worker_of(pg)
    play(pg)
    wait_for_epoch_above(pg, 20)
    play(pg)  # pause
    paused_at = settled_epoch(pg)
    admin(hall, f"shutdown sessions server workers/{worker}")  # every connection to it dropped
    # The browser reconnects, to the same worker (the cookie), into the same session: the
    # run goes on from where it was.
    pg.get_by_role("button", name="Step", exact=True).click()
    pg.wait_for_function(
        "(v) => Number((document.querySelector('#stat-epoch') || {innerText: ''}).innerText.replace(/,/g, '')) === v",
        arg=paused_at + 1,
        timeout=60_000,
    )
    assert worker_of(pg) == worker
    assert pg.locator(TOAST).filter(has_text=RESTARTED).count() == 0
    assert_working(pg, hall)


def test_a_killed_worker_is_restarted_and_its_student_told(student, hall):
    pg = student()
    open_page(pg, "?dataset=xor")
    worker = worker_of(pg)
    pid = hall.pids()[worker]
    play(pg)
    wait_for_epoch_above(pg, 20)
    os.kill(pid, signal.SIGKILL)
    # The hall restarts it (a new pid under the same name) ...
    deadline = time.time() + 60
    while hall.pids()[worker] == pid:
        assert time.time() < deadline, hall.log_path.read_text()
        time.sleep(0.25)
    # ... and the student's page reconnects to a live worker, in a fresh session that
    # says so, with the setup of its address.
    pg.locator(TOAST).filter(has_text=RESTARTED).wait_for(timeout=60_000)
    pg.wait_for_selector(IDLE, timeout=60_000)
    assert "dataset=xor" in pg.url
    toggle = pg.get_by_label("Play", exact=True)
    if toggle.is_checked():  # the browser may hand its Play switch to the fresh session
        play(pg)
        pg.wait_for_function("() => !document.querySelector('[aria-label=Play]')?.checked")
    now = settled_epoch(pg)
    pg.get_by_role("button", name="Step", exact=True).click()  # the fresh session trains
    pg.wait_for_function(
        "(v) => Number((document.querySelector('#stat-epoch') || {innerText: ''}).innerText.replace(/,/g, '')) === v",
        arg=now + 1,
        timeout=60_000,
    )
    assert_working(pg, hall)
    # The restarted worker serves again.
    assert urllib.request.urlopen(f"{hall.url}/_stcore/health", timeout=10).read() == b"ok"


def test_an_idle_page_on_a_killed_worker_is_told_at_its_next_click(student, hall):
    """A page that was not playing reconnects quietly (Streamlit does not rerun it); the
    student's next click runs the fresh session, which says so."""
    pg = student()
    open_page(pg)
    worker = worker_of(pg)
    pid = hall.pids()[worker]
    os.kill(pid, signal.SIGKILL)
    deadline = time.time() + 60
    while hall.pids()[worker] == pid:
        assert time.time() < deadline, hall.log_path.read_text()
        time.sleep(0.25)
    # A click made before the browser has noticed the lost connection is lost with it:
    # click until the fresh session answers.
    told = pg.locator(TOAST).filter(has_text=RESTARTED)
    deadline = time.time() + 60
    while told.count() == 0:
        assert time.time() < deadline, "no notice after a minute of clicks"
        pg.get_by_role("button", name="Step", exact=True).click()
        try:
            told.wait_for(timeout=5_000)
        except PlaywrightTimeout:
            pass
    now = settled_epoch(pg)
    pg.get_by_role("button", name="Step", exact=True).click()
    pg.wait_for_function(
        "(v) => Number((document.querySelector('#stat-epoch') || {innerText: ''}).innerText.replace(/,/g, '')) === v",
        arg=now + 1,
        timeout=60_000,
    )
    assert_working(pg, hall)
