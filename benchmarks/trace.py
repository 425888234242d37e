"""The traced point's cost: server time per frame, and the live frame rate with it open.

    python -m benchmarks.trace [--frames 400] [--seconds 10] [--rounds 3] [--json PATH]

1. Server time (this process, no browser): at the default setup, the live panel's frame
   for a run that trains 10 epochs between frames (400 epochs/s at 40 frames/s, the
   default speed), built from each state without a trace and with ``trace=row:3``; the
   median of the differences is what the trace costs a frame (the point's forward and backward pass, its write-up, the
   network picture's notes and rings). Target: under 1 ms.
2. In headless Chromium, one session playing the default setup without and with the
   trace open (``?trace=row:3``), in turns on one server (``--rounds`` of each, the order
   swapped every round): frames per second reaching the page, each and the medians;
   counted twice: by an observer of the page's epoch counter (what benchmarks/live.py
   reports), and, with no observer running, by the panel itself (``fps_played``: the
   observer runs after every change to the page, and a traced point changes ~200 numbers
   a frame). Target: no lower with the trace, within noise.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import statistics
import time
from pathlib import Path

from ui.live.cadence import Cadence
from ui.playground.config import DEFAULTS
from ui.playground.figures import frame
from ui.playground.run import EVERY, build_run
from ui.playground.trace import traced
from ui.playground.trace_html import trace_html

EPOCHS_PER_FRAME = 10
KINDS = (("without_trace", ""), ("with_trace", "trace=row:3"))


def paired_frame_ms(frames: int) -> tuple[list[float], list[float]]:
    """Milliseconds to build each of ``frames`` playing frames of one run, training between
    them, once without and once with the trace, from the very same state (each with its
    own cadence, so that both rebuild the same charts): the difference is the trace's."""
    run = build_run({**DEFAULTS, "trace": "row:3"})
    cadences = {"": Cadence(dict(EVERY)), "row:3": Cadence(dict(EVERY))}
    times = {"": [], "row:3": []}
    for i in range(frames):
        run.trainer.train(EPOCHS_PER_FRAME)
        order = ("", "row:3") if i % 2 else ("row:3", "")  # neither always goes first
        for trace in order:
            run.config["trace"], run.cadence = trace, cadences[trace]
            t0 = time.perf_counter()
            frame(run, playing=True, clickable=False)
            times[trace].append(1000 * (time.perf_counter() - t0))
    return times[""], times["row:3"]


def trace_only_ms(frames: int) -> float:
    """Median milliseconds of the trace's own work: the point followed and written out."""
    from ui.playground.figures import class_names, node_labels

    run = build_run({**DEFAULTS, "trace": "row:3"})
    times = []
    for _ in range(frames):
        run.trainer.train(EPOCHS_PER_FRAME)
        t0 = time.perf_counter()
        point, _ = traced(run)
        trace_html(run, point, node_labels(run), class_names(run), (0, 0))
        times.append(1000 * (time.perf_counter() - t0))
    return statistics.median(times)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--json", metavar="PATH")
    parser.add_argument("--rounds", type=int, default=3, help="browser sessions of each kind, in turns")
    parser.add_argument(
        "--viewport",
        default="1500x1300",
        help="the browser window, WIDTHxHEIGHT: 1500x1300 shows the whole panel, the trace's write-up too; "
        "at 1440x900 the write-up is below the fold",
    )
    parser.add_argument("--no-browser", action="store_true", help="server time only")
    args = parser.parse_args(argv)
    paired_frame_ms(20)  # warm up
    plain, traced_ms = paired_frame_ms(args.frames)
    result = {
        "frame_ms_without_trace": round(statistics.median(plain), 3),
        "frame_ms_with_trace": round(statistics.median(traced_ms), 3),
        "trace_cost_ms_per_frame": round(statistics.median(t - p for t, p in zip(traced_ms, plain)), 3),
        "trace_alone_ms": round(trace_only_ms(args.frames // 4), 3),
    }
    print("server time per frame (median ms):", json.dumps(result))
    if not args.no_browser:
        from benchmarks.app_server import AppServer
        from benchmarks.live import browser_session

        viewport = tuple(int(v) for v in args.viewport.lower().split("x"))
        server = AppServer()
        try:
            # Each kind twice: frames counted by an observer of the page (the counter's every
            # change; the observer's own work grows with what a frame changes), and by the
            # panel itself, no observer running (see benchmarks.live.browser_session).
            keys = ("fps", "fps_played", "epochs_per_s", "server_ms_per_frame", "kb_per_frame")
            runs = {
                name: [] for name in ("without_trace", "with_trace", "without_trace_unwatched", "with_trace_unwatched")
            }
            for i in range(args.rounds):  # in turns, so that all see the machine's moods alike
                order = [(f"{kind}{w}", query) for w in ("", "_unwatched") for kind, query in KINDS]
                for name, query in order if i % 2 == 0 else order[::-1]:
                    row = browser_session(
                        server, args.seconds, query, viewport, watch_epoch=not name.endswith("unwatched")
                    )
                    row = {k: row[k] for k in keys if row[k] is not None}
                    runs[name].append(row)
                    print(f"one session in Chromium, {name.replace('_', ' ')}:", json.dumps(row))
            for name, rows in runs.items():
                result[f"browser_{name}"] = {k: round(statistics.median(r[k] for r in rows), 1) for k in rows[0]}
                print(f"median of {len(rows)}, {name.replace('_', ' ')}:", json.dumps(result[f"browser_{name}"]))
        finally:
            server.stop()
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
