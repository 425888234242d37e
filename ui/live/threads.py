"""One BLAS thread in every process that serves the app, however it was started.

``make run`` sets ``OPENBLAS_NUM_THREADS=1`` before Python starts, but a bare
``streamlit run app.py`` (how hosting services and the container start the app) does not,
and NumPy's OpenBLAS then keeps a thread per core. The networks' matrices are tiny (a
batch of 10 through layers of a few neurons): threads only add overhead, and on a server
they contend with the other sessions' work for the same cores (measured:
``python -m benchmarks.blas_threads``, figures in README "Deploying for a class").

app.py calls ``limit_blas_threads()`` first thing; threadpoolctl sets the limit at run
time in the libraries already loaded, so NumPy is imported here before it is called.
``PLAYGROUND_BLAS_THREADS`` overrides the number (``0``: leave the libraries' own
default, for the benchmark's comparison).
"""

import os

import numpy  # noqa: F401  loads NumPy's BLAS, so that the limit below reaches it
from threadpoolctl import threadpool_info, threadpool_limits

ENV = "PLAYGROUND_BLAS_THREADS"
DEFAULT = 1

_limited: list[int] = []  # the limit set in this process (set once: app.py runs on every page view)


def blas_threads_wanted() -> int | None:
    """The number of threads asked for: ``ENV`` if set (0: none asked, None), else 1."""
    value = os.environ.get(ENV, "").strip()
    if not value:
        return DEFAULT
    try:
        threads = int(value)
    except ValueError:
        raise ValueError(f"{ENV}={value!r}: expected a whole number of threads (0 leaves the default)") from None
    if threads < 0:
        raise ValueError(f"{ENV}={value!r}: expected 0 or more threads")
    return threads or None


def limit_blas_threads() -> int | None:
    """Limit the BLAS and OpenMP thread pools of this process once; return the limit set."""
    if not _limited:
        threads = blas_threads_wanted()
        if threads is not None:
            threadpool_limits(limits=threads)
        _limited.append(threads or 0)
    return _limited[0] or None


def pool_threads() -> list[tuple[str, int]]:
    """Each loaded thread pool's library and its number of threads (threadpoolctl's view)."""
    return [(pool["internal_api"], pool["num_threads"]) for pool in threadpool_info()]
