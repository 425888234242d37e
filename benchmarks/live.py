"""Live speed: what reaches the page while the Playground plays, and how a lecture loads it.

    python -m benchmarks.live [--seconds 10] [--sessions 10 25 50] [--workers N]
                              [--pages '' universal-approximation gradient-descent]
                              [--no-browser] [--json PATH]

1. One session in headless Chromium (Debian's, via Playwright): open the Playground,
   press Play on the default setup, wait 2 s, then measure for ``--seconds``: frames per
   second that reach the page (changes of the epoch counter, which each frame rewrites),
   each live chart's redraws per second, epochs per second of training progress, chart
   mounts during the window (0 means updated in place), server CPU ms per frame and
   websocket kB per frame; per chart, Plotly redraws per second (axes, lines, hover) and
   picture updates per second (the pictures are images swapped in place, see
   static/live_chart.js). The same for the largest network (8 hidden layers of 16),
   opened through the URL, and for two runs compared (``compare=learning_rate:0.3``:
   epochs per second of each run, A from ``stat-epoch``, B from ``stat-b-epoch``).
2. N concurrent playing sessions on each of ``--pages``, as clients speaking Streamlit's
   websocket protocol (not browsers: 50 Chromium pages would measure the browser on this
   2-core machine, not the server). Each connects, switches Play on through the toggle's
   widget id, and asks for fragment runs as the browser does (a setInterval at the
   interval the page set, whether the last run has finished or not). All are measured in
   one window that opens after the last one started playing (joining is not playing).
   Per session: frames per second (the frames the fragment runs' updates carry, each with
   its own stats line: one update carries several, see ui/live/loop.py), epochs (on
   Gradient descent: steps) per second; the slowest and the median of each; overall:
   errors (exceptions in the page, disconnects), the server's CPU time in the window (per
   frame too) and its resident memory.

``--workers N`` runs everything through the lecture hall (``python -m deploy.hall
--workers N``: HAProxy in front of N Streamlit processes, sticky by cookie); the CPU is
then the workers' together and the memory each worker's. 0, the default, is one
Streamlit process, as ``make run`` serves.
"""

import argparse
import asyncio
import itertools
import json
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.app_server import CHROMIUM, FLAGS, AppServer, HallServer

LARGEST = "hidden=" + ",".join(["16"] * 8)
COMPARE = "compare=learning_rate:0.3"  # run B beside run A, in lockstep (ui/playground/compare.py)
# The progress counter inside the live panel's (escaped) JSON: the epoch (Playground,
# Universal approximation), or the step of Gradient descent's example and race.
EPOCH = re.compile(r'id=\\*"stat-(?:epoch|gd-step|race-step)\\*">([\d,]+)<')


# ---- one session in a real browser ------------------------------------------------------

COUNTERS = """() => {
  const epoch = document.querySelector('#stat-epoch');
  const epochB = document.querySelector('#stat-b-epoch');  // run B's, when comparing
  const charts = Array.from(document.querySelectorAll('div.live-chart'));
  return {
    epoch: epoch ? Number(epoch.innerText.replace(/,/g, '')) : 0,
    epochB: epochB ? Number(epochB.innerText.replace(/,/g, '')) : null,
    shown: window.__epochChanges || 0,
    played: window.__liveFramesShown || 0,  // frames the panel played out (not those it dropped to catch up)
    mounts: window.__liveChartMounts || 0,
    updates: window.__liveUpdatesIn || 0,
    received: window.__liveFramesIn || 0,
    names: charts.map(d => d.closest('[data-chart]').dataset.chart),
    draws: charts.map(d => Number(d.dataset.frames || 0)),
    pictures: charts.map(d => Number(d.dataset.pictures || 0)),
    drawMs: charts.map(d => Number(d.dataset.drawMs || 0)),
  };
}"""
WATCH_EPOCH = """() => {
  // Count every new text of the epoch counter: one per frame that reached the page.
  window.__epochChanges = 0;
  let last = null;
  new MutationObserver(() => {
    const e = document.querySelector('#stat-epoch');
    if (e && e.innerText !== last) { last = e.innerText; window.__epochChanges += 1; }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def browser_session(
    server: AppServer,
    seconds: float,
    query: str = "",
    viewport: tuple[int, int] = (1500, 1300),
    watch_epoch: bool = True,
) -> dict:
    """One student playing in Chromium with a window of ``viewport`` (width, height): the
    default shows the whole Playground panel at once; a smaller screen leaves part of it
    below the fold, which the browser then need not paint.

    ``fps`` counts the epoch counter's changes with a MutationObserver over the page
    (``WATCH_EPOCH``): every frame that reached the page, whatever drew it. The observer
    is work the page would not do: it runs after every change to the page and reads the
    counter's text (a layout), more often the more a frame changes (a traced point's
    write-up sets ~200 numbers a frame). ``fps_played`` counts the frames the live panel
    played out itself (``window.__liveFramesShown``, static/live_chart.js); with
    ``watch_epoch=False`` no observer runs and ``fps`` is None."""
    from playwright.sync_api import sync_playwright

    received = [0]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        page.on("websocket", lambda ws: ws.on("framereceived", lambda f: received.__setitem__(0, received[0] + len(f))))
        page.goto(f"{server.url}/?{query}")
        page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=60_000)
        page.wait_for_function("document.querySelectorAll('div.live-chart').length >= 4 && window.Plotly")
        page.wait_for_timeout(1000)
        if watch_epoch:
            page.evaluate(WATCH_EPOCH)
        page.get_by_text("Play", exact=True).click()
        page.wait_for_timeout(2000)
        before, cpu0, bytes0, t0 = page.evaluate(COUNTERS), server.cpu_seconds(), received[0], time.time()
        page.wait_for_timeout(seconds * 1000)
        after, cpu1, bytes1, t1 = page.evaluate(COUNTERS), server.cpu_seconds(), received[0], time.time()
        page.get_by_text("Play", exact=True).click()
        browser.close()
    elapsed = t1 - t0
    frames = after["shown"] - before["shown"]
    shown = frames if watch_epoch else after["played"] - before["played"]
    draws = [b - a for a, b in zip(before["draws"], after["draws"])]
    pictures = [b - a for a, b in zip(before["pictures"], after["pictures"])]
    draw_ms = [(b - a) / max(n, 1) for a, b, n in zip(before["drawMs"], after["drawMs"], draws)]
    return {
        "fps": round(frames / elapsed, 1) if watch_epoch else None,
        "fps_played": round((after["played"] - before["played"]) / elapsed, 1),
        # frames arrive several to an update (ui/live_loop.FRAMES_PER_UPDATE); fps counts those shown
        "updates_per_s": round((after["updates"] - before["updates"]) / elapsed, 1),
        "frames_received_per_s": round((after["received"] - before["received"]) / elapsed, 1),
        "epochs_per_s": round((after["epoch"] - before["epoch"]) / elapsed, 1),
        **(
            {"epochs_b_per_s": round((after["epochB"] - before["epochB"]) / elapsed, 1)}
            if after["epochB"] is not None and before["epochB"] is not None
            else {}
        ),
        "mounts": after["mounts"] - before["mounts"],
        "server_ms_per_frame": round(1000 * (cpu1 - cpu0) / max(shown, 1), 1),
        "kb_per_frame": round((bytes1 - bytes0) / 1024 / max(shown, 1), 1),
        # per chart: Plotly redraws (axes, lines, hover) and picture updates (images swapped in place)
        "chart_fps": dict(zip(after["names"], (round(d / elapsed, 1) for d in draws))),
        "picture_fps": dict(zip(after["names"], (round(p / elapsed, 1) for p in pictures))),
        "chart_draw_ms": dict(zip(after["names"], (round(m, 1) for m in draw_ms))),
    }


# ---- many sessions over Streamlit's websocket protocol ----------------------------------


# The Play toggle a session presses, by page (the first one otherwise): Gradient descent's
# second, the optimizer race, which trains for 400 steps; its first, the worked example,
# ends after a few dozen steps at its pace of 2 a second.
PLAY_TOGGLE = {"gradient-descent": 1}


class Window:
    """One measuring window for every session of a load: it opens ``warmup`` seconds after
    the last session started playing, so that no session's first full runs (the slowest
    part of joining: 50 joins take several seconds of the server) fall inside anyone's
    window, and lasts ``seconds``. ``cpu()`` (the server's CPU seconds) is read at both
    ends."""

    def __init__(self, sessions: int, warmup: float, seconds: float, cpu: Callable[[], float] | None = None):
        self.waiting, self.warmup, self.seconds, self._cpu = sessions, warmup, seconds, cpu
        self.start: float | None = None
        self.end: float | None = None
        self.cpu_seconds: list[float] = []

    def started_playing(self) -> None:
        """A session started playing (or gave up): the last one opens the window."""
        self.waiting -= 1
        if self.waiting == 0:
            self.start = time.time() + self.warmup
            self.end = self.start + self.seconds
            if self._cpu is not None:
                loop = asyncio.get_running_loop()
                for delay in (self.warmup, self.warmup + self.seconds):
                    loop.call_later(delay, lambda: self.cpu_seconds.append(self._cpu()))

    def server_cpu(self) -> float | None:
        return self.cpu_seconds[1] - self.cpu_seconds[0] if len(self.cpu_seconds) == 2 else None


async def protocol_session(
    url: str, seconds: float, warmup: float, results: list, *, window: Window | None = None, page: str = ""
) -> None:
    """One student on ``page`` (its address path, "" for the Playground): connect, switch
    Play on, answer auto-reruns; count finished frames. The measuring window is this
    session's own (``warmup`` seconds after it started playing, for ``seconds``) or the
    shared ``window``."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    stats = {"frames": 0, "updates": 0, "epochs": [], "errors": 0}
    counted = False  # told the shared window that this session plays
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
        page_hash, toggles, widgets = "", [], []
        which_toggle = PLAY_TOGGLE.get(page, 0)

        async def rerun(fragment_id: str = "", auto_rerun: bool = False) -> None:
            msg = BackMsg()
            # A page other than the first is asked for by its address path alone: the new
            # session's script hash is app.py's, which would open the first page again.
            msg.rerun_script.page_script_hash = "" if page else page_hash
            msg.rerun_script.page_name = page
            msg.rerun_script.widget_states.widgets.extend(widgets)
            msg.rerun_script.fragment_id = fragment_id
            msg.rerun_script.is_auto_rerun = auto_rerun
            await ws.send(msg.SerializeToString())

        await rerun()
        measuring_from = measuring_to = None
        timer, interval = None, None

        async def every(seconds: float, fragment_id: str) -> None:
            # As the browser does (a setInterval): ask for a fragment run every interval,
            # whether the last one has finished or not.
            while True:
                await asyncio.sleep(seconds)
                await rerun(fragment_id, True)

        try:
            while True:
                if window is not None:
                    measuring_from, measuring_to = window.start, window.end
                timeout = None if measuring_to is None else max(measuring_to - time.time(), 0.01)
                raw = await asyncio.wait_for(ws.recv(), timeout)
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                kind = msg.WhichOneof("type")
                now = time.time()
                if kind == "new_session":
                    page_hash = msg.new_session.page_script_hash
                elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    element = msg.delta.new_element
                    which = element.WhichOneof("type")
                    if which == "checkbox" and element.checkbox.label == "Play" and element.checkbox.id not in toggles:
                        toggles.append(element.checkbox.id)
                    elif which == "exception":
                        stats["errors"] += 1
                    elif which == "bidi_component" and measuring_from and measuring_from <= now <= measuring_to:
                        # One update carries the frames of one fragment run, each with
                        # its stats line: count them, and read the last one's epoch.
                        epochs = EPOCH.findall(element.bidi_component.bytes.decode())
                        stats["frames"] += len(epochs)
                        stats["updates"] += 1
                        if epochs:
                            stats["epochs"].append((now, int(epochs[-1].replace(",", ""))))
                elif kind == "auto_rerun" and msg.auto_rerun.interval != interval:
                    # Play is on (or the interval changed): (re)start the timer, as the browser does.
                    if timer is not None:
                        timer.cancel()
                    interval = msg.auto_rerun.interval
                    timer = asyncio.create_task(every(interval, msg.auto_rerun.fragment_id))
                    if window is not None and not counted:
                        counted = True
                        window.started_playing()
                    elif window is None and measuring_from is None:
                        measuring_from = now + warmup
                        measuring_to = measuring_from + seconds
                elif kind == "script_finished" and len(toggles) > which_toggle and not widgets:
                    # The first full run is done: press Play.
                    widgets = [WidgetState(id=toggles[which_toggle], bool_value=True)]
                    await rerun()
                if measuring_to and now >= measuring_to:
                    break
        except TimeoutError:
            pass
        except websockets.ConnectionClosed:
            stats["errors"] += 1
        finally:
            if timer:
                timer.cancel()
            if window is not None and not counted:  # never played: the others need not wait for it
                window.started_playing()
    results.append(
        {
            "fps": stats["frames"] / seconds,
            "updates_per_s": stats["updates"] / seconds,
            "epochs_per_s": progress_rate(stats["epochs"]),
            "errors": stats["errors"],
        }
    )


def progress_rate(seen: list[tuple[float, int]]) -> float | None:
    """Epochs (steps) per second from the counter's readings ``seen`` ((time, count), in
    order): the sum of its rises over the time between the first and the last reading. A
    count that fell started again (Gradient descent's race starts again after its last
    step when Play is on): its fall is not progress, and its rise after is. None with
    fewer than two readings."""
    if len(seen) < 2 or seen[-1][0] == seen[0][0]:
        return None
    rises = sum(max(0, b - a) for (_, a), (_, b) in itertools.pairwise(seen))
    return rises / (seen[-1][0] - seen[0][0])


WARMUP = 3.0  # seconds from the last session's first frames to the measuring window


async def many_sessions(url: str, n: int, seconds: float, page: str = "", cpu=None) -> tuple[list[dict], Window]:
    results: list[dict] = []
    window = Window(n, WARMUP, seconds, cpu)

    async def one() -> None:
        try:
            await protocol_session(url, seconds, WARMUP, results, window=window, page=page)
        except Exception as error:  # a refused or broken connection: counted, not fatal
            results.append({"fps": 0.0, "epochs_per_s": None, "errors": 1, "failed": repr(error)})

    # Students do not all connect in the same millisecond: spread the joins over a second.
    tasks = []
    for _ in range(n):
        tasks.append(asyncio.create_task(one()))
        await asyncio.sleep(1.0 / n)
    await asyncio.gather(*tasks)
    return results, window


def concurrent(server, n: int, seconds: float, page: str = "") -> dict:
    """``n`` sessions playing ``page`` at once on ``server`` (an AppServer or a HallServer),
    measured in one shared window: each session's frames and epochs per second (the slowest
    and the median), errors, the server's CPU in the window, and its memory."""
    results, window = asyncio.run(many_sessions(server.url, n, seconds, page, server.cpu_seconds))
    fps = [r["fps"] for r in results]
    rates = [r["epochs_per_s"] for r in results if r["epochs_per_s"] is not None]
    cpu = window.server_cpu()
    return {
        "sessions": n,
        "page": page or "playground",
        "min_fps": round(min(fps), 1),
        "median_fps": round(statistics.median(fps), 1),
        "median_updates_per_s": round(statistics.median(r.get("updates_per_s", 0.0) for r in results), 1),
        # The epoch counter is read from the frames' payloads: a session that saw it fewer
        # than twice gives no rate (counted in sessions_with_epoch_rate).
        "min_epochs_per_s": round(min(rates), 1) if rates else None,
        "median_epochs_per_s": round(statistics.median(rates), 1) if rates else None,
        "sessions_with_epoch_rate": len(rates),
        "errors": sum(r["errors"] for r in results),
        "total_fps": round(sum(fps), 1),
        "server_cpu_s": round(cpu, 2) if cpu is not None else None,
        "server_cpu_ms_per_frame": round(1000 * cpu / max(sum(fps) * seconds, 1), 2) if cpu is not None else None,
        "server_rss_mb": server.rss_mb(),  # MB; through the hall, per worker
    }


# A session a class can learn from: the slowest student sees at least this many frames and
# epochs per second (the capacity table in the README, "A lecture hall").
USEFUL_FPS, USEFUL_EPOCHS = 10.0, 30.0


def capacity(rows: list[dict]) -> int:
    """The most sessions (of those measured) at which the slowest session still had
    USEFUL_FPS frames and USEFUL_EPOCHS epochs per second, with no errors; 0 if none."""
    useful = [
        r["sessions"]
        for r in rows
        if not r["errors"]
        and r["min_fps"] >= USEFUL_FPS
        and r["min_epochs_per_s"] is not None
        and r["min_epochs_per_s"] >= USEFUL_EPOCHS
    ]
    return max(useful, default=0)


def serve(workers: int, log_dir: Path):
    """One Streamlit process (``workers`` 0) or the lecture hall with ``workers`` workers."""
    if workers:
        return HallServer(log_dir / f"hall-{workers}-{time.time_ns()}.log", workers=workers)
    return AppServer()


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="measuring window (after a warm-up)")
    parser.add_argument("--sessions", type=int, nargs="*", default=[10, 25, 50])
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="0: one Streamlit process (as `make run`); N: the lecture hall, N workers behind HAProxy",
    )
    parser.add_argument(
        "--pages",
        nargs="*",
        default=[""],
        metavar="PATH",
        help="pages the sessions play, by address path ('' the Playground, universal-approximation, gradient-descent)",
    )
    parser.add_argument("--no-browser", action="store_true", help="skip the one-session Chromium measurements")
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)
    result: dict = {}
    log_dir = Path(tempfile.mkdtemp(prefix="live-bench-"))
    if not args.no_browser:
        server = serve(args.workers, log_dir)
        try:
            result["single"] = browser_session(server, args.seconds)
            print("one session, default setup (headless Chromium):", json.dumps(result["single"]))
            result["largest"] = browser_session(server, args.seconds, LARGEST)
            print("one session, 8 hidden layers of 16:", json.dumps(result["largest"]))
            result["compare"] = browser_session(server, args.seconds, COMPARE)
            print("one session comparing two runs (compare=learning_rate:0.3):", json.dumps(result["compare"]))
        finally:
            server.stop()
    result["concurrent"] = []
    for page in args.pages:
        for n in args.sessions:
            server = serve(args.workers, log_dir)  # a fresh server for each load: memory reads are per load
            try:
                row = concurrent(server, n, args.seconds, page)
            finally:
                server.stop()
            row["workers"] = args.workers or 1
            result["concurrent"].append(row)
            print(f"{n} sessions on /{page} (websocket protocol clients):", json.dumps(row), flush=True)
    for page in args.pages:
        rows = [r for r in result["concurrent"] if r["page"] == (page or "playground")]
        most = capacity(rows)
        result.setdefault("capacity", {})[page or "playground"] = most
        print(
            f"capacity on /{page}: {most} sessions with the slowest at >= {USEFUL_FPS:g} frames/s and"
            f" >= {USEFUL_EPOCHS:g} epochs/s ({args.workers or 1} worker(s); of the loads measured: {args.sessions})"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
