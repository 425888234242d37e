"""Every process that serves the app runs NumPy's BLAS on one thread, a bare
``streamlit run app.py`` too: importing app.py (what ``streamlit run`` does at server start)
limits the pools, whatever the environment says (ui/live/threads.py).

Each check runs in a fresh Python, with the BLAS variables that ``make`` exports removed,
since a pool's size is fixed when NumPy loads and this test process may have loaded it with
``OPENBLAS_NUM_THREADS=1`` already.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLAS_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "PLAYGROUND_BLAS_THREADS")

REPORT_POOLS = """
import json, sys
from threadpoolctl import threadpool_info
import numpy
before = [(p["internal_api"], p["num_threads"]) for p in threadpool_info()]
{start_up}
after = [(p["internal_api"], p["num_threads"]) for p in threadpool_info()]
print(json.dumps({{"before": before, "after": after}}))
"""


def pools(start_up: str, **env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in BLAS_VARIABLES}
    done = subprocess.run(
        [sys.executable, "-c", REPORT_POOLS.format(start_up=start_up)],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_the_app_leaves_every_blas_pool_at_one_thread():
    report = pools("import app")
    assert report["after"], "threadpoolctl found no BLAS pool: NumPy's BLAS was not loaded"
    assert all(threads == 1 for _, threads in report["after"]), report


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: OpenBLAS has one thread at most")
def test_without_the_limit_openblas_keeps_a_thread_per_core():
    """The control: the limit is what makes it one (not this machine's or NumPy's default)."""
    report = pools("")
    assert any(threads > 1 for _, threads in report["before"]), report
    report = pools("import app", PLAYGROUND_BLAS_THREADS="0")
    assert report["after"] == report["before"] and any(threads > 1 for _, threads in report["after"]), report


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: OpenBLAS has one thread at most")
def test_the_limit_is_set_once_per_process_and_reads_its_variable():
    report = pools(
        "from ui.live import threads\n"
        "assert threads.limit_blas_threads() == 2\n"
        "assert threads.limit_blas_threads() == 2\n"
        "import app",  # app.py's call finds the limit set and keeps it
        PLAYGROUND_BLAS_THREADS="2",
    )
    assert report["after"] and all(threads == 2 for _, threads in report["after"]), report


@pytest.mark.parametrize("value", ["two", "-1"])
def test_a_wrong_value_says_what_it_expects(value, monkeypatch):
    from ui.live import threads

    monkeypatch.setenv(threads.ENV, value)
    with pytest.raises(ValueError, match="PLAYGROUND_BLAS_THREADS"):
        threads.blas_threads_wanted()
