"""benchmarks/stacked_training.py measures training many same-shaped networks in one set of
NumPy calls (engine.stacked) against one by one; both must compute the same, or its
figures say nothing (the rates themselves are the benchmark's to print, not a test's)."""

from benchmarks.stacked_training import check_against_the_engine, main


def test_training_together_gives_the_engines_weights_bit_for_bit():
    assert check_against_the_engine()


def test_the_benchmark_runs_and_reports_each_size():
    result = main(["--seconds", "0.05", "--sessions", "1", "3"])
    assert [row["sessions"] for row in result["rows"]] == [1, 3]
    assert all(row["engine_per_network"] > 0 and row["stacked_per_network"] > 0 for row in result["rows"])
