"""Memory of one server as sessions come and go: 100 students open the Playground, play and
close, a few of them uploading a CSV of nearly 2 MB, and the server's memory comes back.

    python -m benchmarks.session_memory [--sessions 100] [--csv-sessions 5] [--at-once 20]
                                        [--seconds 2] [--ttl 20] [--rounds 1] [--json PATH]

Starts one ``streamlit run app.py`` (benchmarks/app_server.py ``AppServer``) with the
disconnected-session TTL set to ``--ttl`` seconds (``STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL``,
20 by default instead of the app's 300, so that the run takes minutes, not a quarter of an
hour; what is kept and freed does not depend on it). ``--sessions`` students, ``--at-once``
at a time: most are clients speaking Streamlit's websocket protocol (benchmarks/live.py
``protocol_session``, through benchmarks/hall_memory.py ``students``: connect, press Play,
take frames for ``--seconds``, close); ``--csv-sessions`` of them, one after another while
the others play, are headless Chromium pages (Playwright; Debian's Chromium) that open the
Playground on "Your CSV", upload a CSV of 10,000 rows and just under 2 MB (the uploader's
limit), press Play for ``--seconds`` and close the tab.

Prints the server's resident memory (RSS): the baseline (after a warm-up student of each
kind has come and gone, and the TTL and the housekeeping have passed: the app's modules
are loaded), the peak while the students play, right after the last one closed, and after
the TTL and the next housekeeping round (ui/live/hall.py, once a minute) have passed, with
no further student needed to drop the kept sessions. ``--rounds`` times: a second round
near the first says memory is bounded, not leaking.
"""

import argparse
import asyncio
import json
import os
import random
import tempfile
import time
from pathlib import Path

from benchmarks.app_server import CHROMIUM, FLAGS, AppServer
from benchmarks.hall_memory import PeakSampler, students
from engine.csv_data import MAX_BYTES, MAX_ROWS
from ui.live.hall import HOUSEKEEPING_SECONDS

TTL_ENV = "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL"
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"


def write_csv(path: Path, rows: int = MAX_ROWS, limit: int = MAX_BYTES) -> int:
    """A CSV of ``rows`` rows of 16 numeric features and a 0/1 label, as large as fits
    under ``limit`` bytes; returns its size."""
    rng = random.Random(0)
    header = ",".join(f"x{i}" for i in range(1, 17)) + ",label\n"
    per_row = (limit - len(header)) // rows - 1  # characters a row may take, its newline apart
    digits = max(1, (per_row - 2) // 16 - 4)  # "-0." and a comma around each number's decimals
    lines = []
    for _ in range(rows):
        values = [rng.uniform(-1, 1) for _ in range(16)]
        lines.append(",".join(f"{v:.{digits}f}" for v in values) + f",{int(values[0] * values[1] > 0)}")
    text = header + "\n".join(lines) + "\n"
    path.write_text(text)
    return len(text.encode())


async def csv_student(browser, url: str, csv: Path, seconds: float, results: list) -> None:
    """One student in a tab of its own: the Playground on "Your CSV", the file uploaded,
    Play for ``seconds``, the tab closed."""
    context = await browser.new_context(viewport={"width": 1500, "height": 1300})
    try:
        page = await context.new_page()
        await page.goto(f"{url}/?dataset=csv", timeout=120_000)
        await page.wait_for_selector("[data-testid=stSidebar] input[type=file]", state="attached", timeout=120_000)
        await page.locator("[data-testid=stSidebar] input[type=file]").set_input_files(str(csv))
        await page.get_by_text(csv.name).first.wait_for(timeout=120_000)
        await page.wait_for_selector(IDLE, timeout=120_000)
        await page.get_by_text("Play", exact=True).click()
        await page.wait_for_timeout(seconds * 1000)
        errors = await page.locator("[data-testid=stException]").count()
        results.append({"csv": True, "fps": 1.0, "errors": errors})
    except Exception as error:  # counted, not fatal
        results.append({"csv": True, "fps": 0.0, "errors": 1, "failed": repr(error)})
    finally:
        await context.close()


async def one_round(url: str, sessions: int, csv_sessions: int, at_once: int, seconds: float, csv: Path) -> list:
    """``sessions`` students: ``csv_sessions`` upload a CSV in Chromium, one after another,
    while the others play as protocol clients, ``at_once`` at a time."""
    from playwright.async_api import async_playwright

    results: list[dict] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)

        async def uploaders() -> None:
            for _ in range(csv_sessions):
                await csv_student(browser, url, csv, seconds, results)

        protocol, _ = await asyncio.gather(students(url, sessions - csv_sessions, at_once, seconds), uploaders())
        results.extend(protocol)
        await browser.close()
    return results


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--csv-sessions", type=int, default=5, help="of the sessions, those that upload a CSV")
    parser.add_argument("--at-once", type=int, default=20, help="protocol students playing at the same time")
    parser.add_argument("--seconds", type=float, default=2.0, help="how long each student plays")
    parser.add_argument("--ttl", type=int, default=20, help="the server's disconnected-session TTL, seconds")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)

    csv = Path(tempfile.mkdtemp(prefix="session-memory-")) / "students.csv"
    size = write_csv(csv)
    print(f"CSV: {size:,} bytes, {MAX_ROWS:,} rows; TTL {args.ttl} s (the app's own is 300)", flush=True)
    os.environ[TTL_ENV] = str(args.ttl)  # AppServer passes the environment on
    server = AppServer(Path(tempfile.mkstemp(prefix="session-memory-", suffix=".log")[1]))
    settle = args.ttl + HOUSEKEEPING_SECONDS + 5  # the TTL, then a housekeeping round

    def rss() -> dict[str, float]:
        return {"server": server.rss_mb()}

    try:
        asyncio.run(one_round(server.url, 2, 1, 1, 0.5, csv))  # warm-up: the modules of both kinds loaded
        time.sleep(settle)
        baseline = server.rss_mb()
        print(f"baseline RSS: {baseline:.0f} MB", flush=True)
        rounds = []
        for number in range(1, args.rounds + 1):
            sampler = PeakSampler(rss)
            sampler.start()
            started = time.time()
            results = asyncio.run(
                one_round(server.url, args.sessions, args.csv_sessions, args.at_once, args.seconds, csv)
            )
            took = time.time() - started
            time.sleep(2)
            closed = server.rss_mb()
            sampler.done.set()
            sampler.join()
            errors = sum(r["errors"] for r in results)
            played = sum(1 for r in results if r["fps"] > 0)
            uploaded = sum(1 for r in results if r.get("csv") and r["fps"] > 0)
            failures = [r["failed"] for r in results if "failed" in r]
            print(f"round {number}: {len(results)} sessions in {took:.0f} s", end=" ")
            print(f"({played} played, {uploaded} uploaded a CSV, {errors} errors)", *failures[:1])
            print(f"  peak RSS {sampler.peak['server']:.0f} MB", end="; ")
            print(f"right after the last closed {closed:.0f} MB", flush=True)
            print(f"  waiting {settle:.0f} s for the TTL and a housekeeping round ...", flush=True)
            time.sleep(settle)
            after = server.rss_mb()
            print(f"  after the TTL {after:.0f} MB ({after - baseline:+.0f} MB against the baseline)", flush=True)
            rounds.append(
                {
                    "sessions": len(results),
                    "played": played,
                    "uploaded_csv": uploaded,
                    "errors": errors,
                    "seconds": round(took, 1),
                    "peak_mb": round(sampler.peak["server"], 1),
                    "closed_mb": round(closed, 1),
                    "after_ttl_mb": round(after, 1),
                }
            )
        report = {"ttl_s": args.ttl, "csv_bytes": size, "baseline_mb": round(baseline, 1), "rounds": rounds}
    finally:
        server.stop()
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
