"""Memory of a lecture hall: 200 students open, play and close, and the workers' memory
comes back near where it started.

    python -m benchmarks.hall_memory [--workers 2] [--sessions 200] [--at-once 20]
                                     [--seconds 2] [--ttl SECONDS] [--rounds 2]
                                     [--json PATH]

Starts ``python -m deploy.hall`` on a free port and, through its HAProxy, runs
``--sessions`` students as clients speaking Streamlit's websocket protocol
(benchmarks/live.py ``protocol_session``: connect, press Play, take frames for
``--seconds``, close), ``--at-once`` at a time. Prints each worker's resident memory (RSS)
at the baseline (every worker has served one session, so the app's modules are loaded),
its peak while the students play, right after the last one closed, and after Streamlit's
disconnected-session TTL (``server.disconnectedSessionTTL``, .streamlit/config.toml, or
``--ttl``) has passed; ``--rounds`` times (the second round's figures near the first's: memory is
bounded, not leaking). Streamlit drops expired sessions when it next stores one, as it
does whenever a student leaves: one more student opens and closes on each worker before
the last reading, as would happen in a lecture, and the reading waits for the workers'
housekeeping (once a minute, ui/live/hall.py) to free what they left.
"""

import argparse
import asyncio
import json
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

from benchmarks.app_server import ROOT, HallServer
from benchmarks.live import protocol_session
from ui.live.hall import HOUSEKEEPING_SECONDS


def configured_ttl() -> int:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    return int(config.get("server", {}).get("disconnectedSessionTTL", 120))


class PeakSampler(threading.Thread):
    """Each process's highest RSS, read (``read()``: MB by process name) every ``every``
    seconds until stopped: the hall's workers here, one server in benchmarks/session_memory.py."""

    def __init__(self, read: Callable[[], dict[str, float]], every: float = 0.5):
        super().__init__(daemon=True)
        self.read, self.every = read, every
        self.peak = dict.fromkeys(read(), 0.0)
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            for name, mb in self.read().items():
                self.peak[name] = max(self.peak[name], mb)
            self.done.wait(self.every)


async def students(url: str, count: int, at_once: int, seconds: float) -> list[dict]:
    """``count`` students, ``at_once`` at a time: each opens the Playground, plays and leaves."""
    results: list[dict] = []
    gate = asyncio.Semaphore(at_once)

    async def one() -> None:
        async with gate:
            try:
                await protocol_session(url, seconds, 0.5, results)
            except Exception as error:  # a refused or broken connection: counted, not fatal
                results.append({"fps": 0.0, "epochs_per_s": None, "errors": 1, "failed": repr(error)})

    await asyncio.gather(*(one() for _ in range(count)))
    return results


def per_worker(hall: HallServer, count: int, seconds: float) -> None:
    """Enough students one after another that every worker serves at least one (leastconn
    with nobody connected may send them all to the same one: a few more do no harm)."""
    asyncio.run(students(hall.url, count * len(hall.pids()), 1, seconds))


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--at-once", type=int, default=20, help="students playing at the same time")
    parser.add_argument("--seconds", type=float, default=2.0, help="how long each student plays")
    parser.add_argument("--ttl", type=int, help="the workers' disconnected-session TTL (default: config.toml's)")
    parser.add_argument("--rounds", type=int, default=2, help="times the sessions come and go (a plateau: bounded)")
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)
    ttl = args.ttl if args.ttl is not None else configured_ttl()

    log = Path(tempfile.mkstemp(prefix="hall-memory-", suffix=".log")[1])
    hall = HallServer(log, workers=args.workers, ttl=args.ttl)
    try:
        per_worker(hall, 2, 0.5)  # every worker has loaded the app's modules
        time.sleep(ttl + 5)
        per_worker(hall, 1, 0.5)  # ... and dropped those sessions: the baseline
        time.sleep(HOUSEKEEPING_SECONDS + 5)
        baseline = hall.rss_mb()
        print(f"baseline RSS, MB: {baseline}", flush=True)

        rounds = []
        for number in range(1, args.rounds + 1):
            sampler = PeakSampler(hall.rss_mb)
            sampler.start()
            started = time.time()
            results = asyncio.run(students(hall.url, args.sessions, args.at_once, args.seconds))
            took = time.time() - started
            time.sleep(2)
            closed = hall.rss_mb()
            sampler.done.set()
            sampler.join()
            errors = sum(r["errors"] for r in results)
            played = sum(1 for r in results if r["fps"] > 0)
            print(f"round {number}: {len(results)} sessions in {took:.0f} s ({played} played, {errors} errors)")
            print(f"  peak RSS, MB: {sampler.peak}", flush=True)
            print(f"  RSS right after the last closed, MB: {closed}", flush=True)
            print(f"  waiting for the TTL ({ttl} s) ...", flush=True)
            time.sleep(ttl + 5)
            per_worker(hall, 1, 0.5)  # a student leaves: Streamlit stores that session, dropping expired ones
            time.sleep(HOUSEKEEPING_SECONDS + 5)  # ... and the worker's housekeeping frees them
            after = hall.rss_mb()
            print(f"  RSS after the TTL, MB: {after}", flush=True)
            rounds.append(
                {
                    "sessions": len(results),
                    "played": played,
                    "errors": errors,
                    "seconds": round(took, 1),
                    "peak_mb": sampler.peak,
                    "closed_mb": closed,
                    "after_ttl_mb": after,
                }
            )
        report = {"workers": args.workers, "ttl_s": ttl, "baseline_mb": baseline, "rounds": rounds}
    finally:
        hall.stop()
    for name in baseline:
        steps = ", ".join(
            f"round {i}: peak {r['peak_mb'][name]:.0f}, after closing {r['closed_mb'][name]:.0f}, "
            f"after the TTL {r['after_ttl_mb'][name]:.0f} ({r['after_ttl_mb'][name] - baseline[name]:+.0f})"
            for i, r in enumerate(rounds, 1)
        )
        print(f"{name}: baseline {baseline[name]:.0f} MB; {steps} MB")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
