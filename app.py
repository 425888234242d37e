"""Entry point: the app's pages. `streamlit run app.py` opens the Playground.

Pages are listed here with ``st.navigation``; each page is one thin script in pages/.

Streamlit uses this file in two ways. For every page view it runs it as a script
(``__name__ == "__main__"``): the branch that lists the pages. Once, at server start,
``streamlit run app.py`` imports it as a module, because it finds the ``st.App`` at the end
(Streamlit's ASGI app, served the same way), and that app's ``lifespan`` runs before the
server accepts a connection: there the server is told, before any request, that
``st.navigation`` routes the pages (see ``_route_pages_by_navigation_only``).
"""

import contextlib

import streamlit as st

from ui.live.session_lock import share_session_state_lock
from ui.live.threads import limit_blas_threads

# One BLAS thread in every process that serves the app, a bare `streamlit run app.py` too
# (`make run` also sets OPENBLAS_NUM_THREADS=1, hosting services and the container do not):
# the networks' matrices are tiny, so threads only add overhead and contention between the
# sessions (measured: benchmarks/blas_threads.py). Here, before any page's NumPy work.
limit_blas_threads()


@contextlib.asynccontextmanager
async def _route_pages_by_navigation_only(_app):
    """Tell Streamlit, before the first request, that the pages are ``st.navigation``'s.

    Why (Streamlit 1.67): a folder named ``pages/`` beside the entry script switches on the
    old file-name routing ("MPA v1"). The first session of a process sets the class flag
    ``PagesManager.uses_pages_directory`` (streamlit/runtime/pages_manager.py) from whether
    that folder exists, and while it is true every script run goes through
    ``_mpa_v1`` (streamlit/runtime/scriptrunner/script_runner.py) instead of this script:
    its navigation holds only ``pages/<file name>.py``, so a URL such as /gradient-descent
    is unknown, ``send_page_not_found`` opens the browser's "Page not found" dialog, and
    only then does this script run as the default page and its ``st.navigation`` clear the
    flag for the rest of the process. So the first visit of a fresh server to any page's
    own address showed that dialog. Streamlit has no setting for it and the folder keeps
    its name, so this sets the flag exactly as ``st.navigation`` itself does, at server
    start, where no session exists yet. (Setting it from the script would be too late: the
    first run has sent the dialog before the script starts. The ``st.App`` lifespan is the
    one place where the project's code runs before the first session.)
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager

        found = getattr(PagesManager, "uses_pages_directory", "no such attribute")
    except ImportError as e:
        found = f"no streamlit.runtime.pages_manager.PagesManager ({e})"
    if found not in (None, False):  # None: no session has looked at the folder yet
        raise RuntimeError(
            f"app.py: Streamlit {st.__version__} changed: expected PagesManager.uses_pages_directory"
            f" to be None at server start, found {found!r}. Check how this Streamlit routes a pages/"
            " folder before st.navigation has run (see _route_pages_by_navigation_only in app.py)."
        )
    PagesManager.uses_pages_directory = False
    yield


if __name__ == "__main__":  # a script run: every page view
    st.set_page_config(page_title="Neural-network playground", page_icon="🧠", layout="wide")

    PAGES = [
        st.Page(
            "pages/gradient_descent.py",
            title="Gradient descent",
            icon=":material/trending_down:",
            url_path="gradient-descent",
        ),
        st.Page("pages/the_neuron.py", title="The neuron", icon=":material/radio_button_checked:", url_path="neuron"),
        st.Page("pages/playground.py", title="Playground", icon=":material/hub:", default=True),
        st.Page(
            "pages/universal_approximation.py",
            title="Universal approximation",
            icon=":material/timeline:",
            url_path="universal-approximation",
        ),
    ]

    PAGES.append(st.Page("pages/lessons.py", title="Lessons", icon=":material/school:", url_path="lessons"))

    st.navigation(PAGES).run()
else:  # imported once by `streamlit run app.py` (or `uvicorn app:app`) to serve this file
    # Before any session: the script runs of one session share one lock on its state
    # (a Streamlit 1.67 race, ui/live/session_lock.py).
    share_session_state_lock()
    app = st.App(__file__, lifespan=_route_pages_by_navigation_only)
