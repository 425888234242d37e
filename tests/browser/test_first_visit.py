"""The first request of a freshly started server, for any page's own address, shows that
page and never Streamlit's "Page not found" dialog on the way (until a process has run
``st.navigation`` once, Streamlit 1.67 routes a ``pages/`` folder by file name; app.py's
``_route_pages_by_navigation_only`` switches that off at server start).

Each case starts a server of its own: the session-wide one of the other tests has served
pages already, and only the first request of a process can show the fault.
"""

from urllib.parse import urlsplit

import pytest

from benchmarks.app_server import AppServer
from tests.browser.conftest import IDLE, SCREENSHOTS, new_page

# Address (after the server's root) -> the page's own title, its h1.
PAGES = {
    "": "Neural-network playground",
    "gradient-descent": "Gradient descent",
    "neuron": "The neuron",
    "universal-approximation": "Universal approximation",
}

# Installed before any of the page's own scripts: from the first change of the document
# on, records (once each) the text of any dialog, or of the page, that says "not found".
RECORD_NOT_FOUND = """
window.__notFound = [];
const record = (text) => { if (!window.__notFound.includes(text)) window.__notFound.push(text); };
new MutationObserver(() => {
  for (const d of document.querySelectorAll('[role=dialog], [data-testid=stDialog]')) {
    if (/not found/i.test(d.textContent || '')) record(d.textContent);
  }
  const body = document.body ? document.body.textContent || '' : '';
  const at = body.search(/page not found/i);
  if (at >= 0) record(body.slice(at, at + 200));
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


def failed_loads(pg, path: str) -> list[str]:
    """Responses of 400 and above, collected from now on, but the frontend's probes of a
    deep link's path as the server's base path (``/<path>/_stcore/...``, answered 404 by
    design before it tries the root)."""
    probe = f"/{path}/_stcore/"
    failed = []

    def check(response) -> None:
        if response.status >= 400 and probe not in response.url:
            failed.append(f"{response.status} {response.url}")

    pg.on("response", check)
    return failed


@pytest.mark.parametrize("path", list(PAGES), ids=[p or "root" for p in PAGES])
def test_the_first_visit_of_a_fresh_server_shows_the_page_without_page_not_found(browser, path, tmp_path):
    title = PAGES[path]
    log = tmp_path / "server.log"
    server = AppServer(log=log)  # fresh: no script of this process has run yet
    try:
        pg = new_page(browser, server.url)
        try:
            failed = failed_loads(pg, path)
            pg.add_init_script(RECORD_NOT_FOUND)
            pg.goto(f"{server.url}/{path}")  # the server's first request for a page
            pg.get_by_role("heading", level=1, name=title, exact=True).wait_for(timeout=60_000)
            pg.wait_for_selector(IDLE, timeout=60_000)  # the whole first run, not only the title
            SCREENSHOTS.mkdir(exist_ok=True)
            pg.screenshot(path=str(SCREENSHOTS / f"first_visit_{path or 'root'}.png"))
            seen = pg.evaluate("window.__notFound")
            assert not seen, f"shown on the way to {title!r}: {seen}"
            assert pg.locator("h1").first.inner_text() == title
            assert urlsplit(pg.url).path == f"/{path}"  # still at the page's own address
            assert pg.locator("[data-testid=stException]").count() == 0
            assert not failed, failed
            errors = [e for e in pg.console_errors if not e.startswith("Failed to load resource")]
            assert not errors, errors  # (a failed load is in ``failed``, with its address)
        finally:
            pg.context.close()
    finally:
        server.stop()
    text = log.read_text()
    assert "Traceback" not in text, text[-3000:]
