"""BLAS threads: the engine and the live page with NumPy's OpenBLAS on one thread against
its default (a thread per core), in the same run.

    python -m benchmarks.blas_threads [--seconds 6] [--sessions 10] [--rounds 2] [--json PATH]

Why it matters: ``make run`` sets ``OPENBLAS_NUM_THREADS=1`` before Python starts; a bare
``streamlit run app.py`` (hosting services, the container) does not, so app.py limits the
pools itself at start (ui/live/threads.py, threadpoolctl). This measures what that limit
is worth here.

1. The engine (``benchmarks.engine``'s trainers: tf-default, the Playground's default
   training, and the deep and wide ones), in this process: trained in turns of
   ``CHUNK`` epochs under ``threadpool_limits(1)`` and under ``threadpool_limits(cores)``
   (OpenBLAS's default), the order swapped every turn so that both share the machine's
   load. Per setting: epochs per second of wall time and per second of this process's
   CPU time (helper threads that wake or spin show there).
2. The live page: a bare ``streamlit run app.py`` with the BLAS variables removed from
   its environment, once with app.py's limit (the default) and once with
   ``PLAYGROUND_BLAS_THREADS=0`` (no limit: OpenBLAS's thread per core), alternating for
   ``--rounds`` rounds; each serves ``--sessions`` playing sessions
   (``benchmarks.live.concurrent``: clients speaking Streamlit's websocket protocol) for
   ``--seconds``. Per server: frames per second (median and total) and the server's CPU
   seconds.

Run it with nothing else heavy on the machine, or read the two columns against each other
only: both share whatever load there is, turn by turn.
"""

import os

# Before NumPy loads its BLAS: no variable may fix the pool's size (the limit is set and
# lifted at run time below), so OpenBLAS starts with its default, a thread per core.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "PLAYGROUND_BLAS_THREADS"):
    os.environ.pop(_name, None)

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402, F401  loads OpenBLAS with its default pool
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

from benchmarks.app_server import ROOT, AppServer, free_port  # noqa: E402
from benchmarks.engine import CONFIGS, engine_trainer  # noqa: E402

CHUNK = 10  # epochs per turn (the Playground trains ~10 epochs a frame at its default speed)
CORES = os.cpu_count() or 1


def pool_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info()]


def bench_engine(cfg, seconds: float) -> dict:
    """Epochs per wall and per CPU second, one BLAS thread against CORES, interleaved."""
    trainers = {1: engine_trainer(cfg), CORES: engine_trainer(cfg)}
    wall = {1: 0.0, CORES: 0.0}
    cpu = {1: 0.0, CORES: 0.0}
    for threads, trainer in trainers.items():  # warm-up
        with threadpool_limits(limits=threads):
            trainer.train(3)
    turns = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds or turns < 2:
        for threads in (1, CORES) if turns % 2 else (CORES, 1):
            with threadpool_limits(limits=threads):
                w0, c0 = time.perf_counter(), time.process_time()
                trainers[threads].train(CHUNK)
                wall[threads] += time.perf_counter() - w0
                cpu[threads] += time.process_time() - c0
        turns += 1
    epochs = turns * CHUNK
    row = {"name": cfg.name, "epochs": epochs}
    for threads, label in ((1, "one"), (CORES, "default")):
        row[f"{label}_epochs_per_s"] = round(epochs / wall[threads], 1)
        row[f"{label}_epochs_per_cpu_s"] = round(epochs / cpu[threads], 1)
    row["one_thread_speedup"] = round(wall[CORES] / wall[1], 3)
    row["one_thread_cpu_saving_percent"] = round(100 * (1 - cpu[1] / cpu[CORES]), 1)
    return row


class BareServer(AppServer):
    """A bare ``streamlit run app.py``, as a hosting service starts it: no BLAS variable in
    its environment; ``PLAYGROUND_BLAS_THREADS=0`` when ``limit`` is False."""

    def __init__(self, limit: bool, timeout: float = 60.0):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = None
        env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        if not limit:
            env["PLAYGROUND_BLAS_THREADS"] = "0"
        command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true"]
        self.proc = subprocess.Popen(
            [*command, "--server.port", str(self.port), "--server.address", "127.0.0.1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + timeout
        while True:
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).read() == b"ok":
                    return
            except OSError:
                pass
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError("the app did not start")
            time.sleep(0.25)


def bench_live(sessions: int, seconds: float, rounds: int) -> dict:
    from benchmarks.live import concurrent

    runs: dict[str, list[dict]] = {"one": [], "default": []}
    for r in range(rounds):
        for label in ("default", "one") if r % 2 else ("one", "default"):
            server = BareServer(limit=label == "one")
            try:
                row = concurrent(server, sessions, seconds)
            finally:
                server.stop()
            runs[label].append(row)
            print(f"  round {r + 1}, BLAS threads {label}: {json.dumps(row)}", flush=True)
    summary = {}
    for label, rows in runs.items():
        summary[label] = {
            "median_fps": [r["median_fps"] for r in rows],
            "total_fps": [r["total_fps"] for r in rows],
            "server_cpu_s": [r["server_cpu_s"] for r in rows],
            "errors": sum(r["errors"] for r in rows),
        }
    summary["total_fps_one_over_default"] = round(
        statistics.mean(summary["one"]["total_fps"]) / max(statistics.mean(summary["default"]["total_fps"]), 1e-9), 3
    )
    return {"sessions": sessions, "seconds": seconds, "rounds": runs, "summary": summary}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="per engine config, and per live run")
    parser.add_argument("--sessions", type=int, default=10, help="playing sessions per live run (0: skip the page)")
    parser.add_argument("--rounds", type=int, default=2, help="live runs of each setting, alternating")
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)
    result: dict = {"cores": CORES, "default_pool_threads": pool_threads()}
    print(f"{CORES} cores; OpenBLAS's default pool here: {result['default_pool_threads']} threads")
    if CORES < 2 or max(result["default_pool_threads"], default=1) < 2:
        print("one thread by default here: nothing to compare")
    result["engine"] = []
    for cfg in CONFIGS:
        row = bench_engine(cfg, args.seconds)
        result["engine"].append(row)
        print(f"engine {cfg.name}:", json.dumps(row), flush=True)
    if args.sessions:
        print(f"live page, {args.sessions} playing sessions, bare `streamlit run app.py`:")
        result["live"] = bench_live(args.sessions, args.seconds, args.rounds)
        print("live summary:", json.dumps(result["live"]["summary"]))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
