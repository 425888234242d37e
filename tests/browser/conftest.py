"""Real-browser tests: the app served by `streamlit run`, driven by Playwright in Debian's
Chromium. Every test here is skipped, with one line saying why, when Chromium is missing.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from benchmarks.app_server import CHROMIUM, FLAGS, AppServer

SCREENSHOTS = Path(__file__).parent / "screenshots"
SERVER_LOG = Path(__file__).parent / "server.log"
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
# The app is idle, every element is on the page (an element whose code is still loading
# shows a placeholder, stSkeleton: widgets and components appear after the run has
# ended), and every live panel (static/live_chart.js) shows a paused update, i.e. no
# frames are queued to play out and the stats line will not change on its own. A live
# panel is the one component of the app mounted without style isolation
# (stBidiComponentRegular); one whose panel is not mounted yet counts as not settled.
SETTLED = """() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'
  && !document.querySelector('[data-testid=stSkeleton]')
  && [...document.querySelectorAll('[data-testid=stBidiComponentRegular]')].every(
       c => c.querySelector('div.live-panel')?.dataset.playing === 'false')"""
# The panel draws its pending charts in animation frames, at least one chart per frame (it
# stops for a frame only once it has drawn one and spent its budget): after as many frames
# as there are charts, plus one, every chart of the update shown has been drawn.
DRAWN = """async () => {
  const frames = document.querySelectorAll('div.live-chart').length + 1;
  for (let i = 0; i < frames; i++) await new Promise((done) => requestAnimationFrame(done));
  return true;
}"""
NOT_FOUND = "Failed to load resource: the server responded with a status of 404 (Not Found)"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    browser_items = [item for item in items if here in Path(item.fspath).parents]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
        if not CHROMIUM.exists():
            item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"))


@pytest.fixture(scope="session")
def app_url():
    """Start the app on a free port, wait until healthy, stop it after the session."""
    server = AppServer(log=SERVER_LOG)
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


def new_page(browser, app_url):
    """A fresh page in a context of its own (own cookies, own session); console errors are
    collected in ``page.console_errors``. Close its ``context`` after use."""
    context = browser.new_context(viewport={"width": 1500, "height": 1300})
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    pg.not_found = []  # addresses the server answered 404
    pg.on("response", lambda r: pg.not_found.append(r.url) if r.status == 404 else None)
    pg.app_url = app_url
    pg.log_start = SERVER_LOG.stat().st_size if SERVER_LOG.exists() else 0
    return pg


@pytest.fixture
def page(browser, app_url, request):
    """A fresh page (see ``new_page``) on the app; a screenshot is saved when the test ends."""
    pg = new_page(browser, app_url)
    context = pg.context
    yield pg
    SCREENSHOTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    try:
        pg.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    finally:
        context.close()


def open_page(pg, path: str = "", *, timeout: float = 30_000) -> None:
    """Go to a page of the app and wait until its script has finished running."""
    pg.goto(f"{pg.app_url}/{path}")
    pg.wait_for_selector(IDLE, timeout=timeout)
    wait_settled(pg, timeout=timeout)


def wait_settled(pg, *, timeout: float = 60_000) -> None:
    """Wait until the app is idle and every live panel has shown a paused update and drawn
    it: what the page shows then stays as it is until the next click (see ``SETTLED``)."""
    pg.wait_for_function(SETTLED, timeout=timeout)
    pg.evaluate(DRAWN)


def assert_healthy(pg) -> None:
    """No Streamlit exception box, no browser console error, and no traceback in the
    server's log (a fragment that fails while playing may be redrawn before anyone sees it)."""
    exceptions = [e.inner_text() for e in pg.query_selector_all("[data-testid=stException]")]
    assert not exceptions, exceptions
    errors = list(pg.console_errors)
    # Opened at a page's own address (/lessons), Streamlit's frontend first probes whether
    # the app is served under that path (/lessons/_stcore/health and host-config): 404s the
    # console logs as errors. Exactly those are forgiven, one console error per probe.
    probes = [u for u in pg.not_found if re.fullmatch(r"/[\w-]+/_stcore/(health|host-config)", urlsplit(u).path)]
    for _ in range(min(len(probes), errors.count(NOT_FOUND))):
        errors.remove(NOT_FOUND)
    assert not errors, errors
    assert_no_traceback_since(pg)


def server_log_since(pg) -> str:
    """What the shared server wrote to its log since ``pg`` was opened: the tests run one
    after the other, so a traceback there was written while this test ran (or just after
    the test before it ended). One failure then fails the test during which it happened,
    not every later test that reads the log."""
    with SERVER_LOG.open("rb") as log:
        log.seek(pg.log_start)
        return log.read().decode(errors="replace")


def assert_no_traceback_since(pg) -> None:
    log = server_log_since(pg)
    assert "Traceback" not in log, log[max(log.index("Traceback") - 200, 0) :][:3000]
