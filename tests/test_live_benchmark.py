"""The live benchmark's own logic (benchmarks/live.py): the shared measuring window and the
capacity it reports. Its figures are for the README, never asserted here."""

import asyncio

import pytest

from benchmarks.live import USEFUL_EPOCHS, USEFUL_FPS, Window, capacity, progress_rate
from tests.asyncio_thread import run_in_thread


def row(sessions: int, min_fps: float, min_epochs: float | None, errors: int = 0) -> dict:
    return {"sessions": sessions, "min_fps": min_fps, "min_epochs_per_s": min_epochs, "errors": errors}


def test_capacity_is_the_largest_load_whose_slowest_session_is_still_useful():
    rows = [
        row(5, 30.0, 200.0),
        row(10, USEFUL_FPS, USEFUL_EPOCHS),  # exactly at the line: useful
        row(15, 12.0, 25.0),  # too few epochs
        row(20, 9.9, 80.0),  # too few frames
    ]
    assert capacity(rows) == 10
    assert capacity([row(5, 30.0, None)]) == 0  # no epoch rate seen: not shown useful
    assert capacity([row(5, 30.0, 200.0, errors=1)]) == 0  # errors: not useful
    assert capacity([]) == 0


def test_the_window_opens_after_the_last_session_started_playing_and_reads_the_cpu_at_both_ends():
    cpu = iter([10.0, 12.5])

    async def scenario():
        window = Window(3, warmup=0.01, seconds=0.02, cpu=lambda: next(cpu))
        window.started_playing()
        window.started_playing()
        assert window.start is None  # one still joining: nobody measures yet
        window.started_playing()
        assert window.start is not None and window.end - window.start == pytest.approx(0.02)
        await asyncio.sleep(0.1)  # the loop fires earlier timers first: both readings are in, under any load
        return window

    window = run_in_thread(scenario())
    assert window.cpu_seconds == [10.0, 12.5] and window.server_cpu() == 2.5


def test_progress_rate_counts_rises_and_skips_a_restart():
    # 0 -> 30 over 3 s, a restart (30 -> 0, not progress), then 0 -> 10 over the last second
    seen = [(0.0, 0), (1.0, 10), (3.0, 30), (3.5, 0), (4.0, 10)]
    assert progress_rate(seen) == 40 / 4.0
    assert progress_rate([(0.0, 5)]) is None
    assert progress_rate([(1.0, 5), (1.0, 9)]) is None
