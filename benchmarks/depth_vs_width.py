"""Width versus depth at an equal parameter budget: does trained depth win, and how reliably?

    python -m benchmarks.depth_vs_width [--seeds 5] [--teeth 4] [--budget 200] [--epochs 3000]
                                        [--samples 1000] [--json PATH]

Runs the Universal approximation page's comparison (``ui.approximation.run.depth_comparison``:
one wide hidden layer against 2, 3 and 4 narrow ones of the same parameter budget, relu,
adam, learning rate 0.01, the whole training set per step, the spread initializer) on the
page's preset where depth wins (``config.DEPTH_PRESET``, overridden by the options), once
per weights seed 0, 1, ... The errors are the page's: RMSE and max error of each trained
network against the clean target on the 1,001-point grid over [-2, 2].

Prints a row per seed (every depth's RMSE and max error), then how often depth won
(``run.depth_wins``: the best deeper network's RMSE below the one layer's) and by how
much (the one layer's RMSE over the best deeper one's). Deterministic for a seed: the
numbers are the page's for that seed, whatever the machine; only the seconds vary.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import statistics
import time
from pathlib import Path

from ui.approximation.run import depth_comparison, depth_outcome, preset_config


def measure(config: dict, seeds: int) -> list[dict]:
    """One comparison per weights seed 0 .. seeds - 1: every depth's errors and the outcome."""
    rows = []
    for seed in range(seeds):
        started = time.perf_counter()
        results = depth_comparison({**config, "init_seed": seed})
        outcome = depth_outcome(results)
        rows.append(
            {
                "seed": seed,
                "networks": [
                    {
                        "sizes": list(r.sizes),
                        "params": r.n_params,
                        "rmse": r.rmse,
                        "max_error": r.max_error,
                        "diverged": r.diverged,
                    }
                    for r in results
                ],
                "depth_wins": outcome.wins,
                "best_deep": "-".join(map(str, outcome.deep.sizes)),
                "ratio": outcome.ratio,
                "seconds": time.perf_counter() - started,
            }
        )
    return rows


def report(config: dict, rows: list[dict]) -> str:
    lines = [
        f"target {config['target']} (teeth {config['teeth']}), {config['n_samples']} samples, budget "
        f"{config['budget']}, {config['depth_epochs']} epochs per network, {config['activation']}, "
        f"{config['optimizer']} at {config['learning_rate']}, batch {config['batch_size']}"
    ]
    for row in rows:
        cells = "  ".join(
            f"{'-'.join(map(str, n['sizes']))} ({n['params']}): RMSE {n['rmse']:.4f} max {n['max_error']:.4f}"
            for n in row["networks"]
        )
        verdict = "depth wins" if row["depth_wins"] else "one layer wins"
        how = f"{row['best_deep']}, x{row['ratio']:.2f}; {row['seconds']:.1f} s"
        lines.append(f"seed {row['seed']}: {cells}  -> {verdict} ({how})")
    wins = [r for r in rows if r["depth_wins"]]
    ratios = [r["ratio"] for r in rows]
    lines.append(
        f"depth won {len(wins)} of {len(rows)} seeds; the one layer's RMSE over the best deeper one's: "
        f"min {min(ratios):.2f}, median {statistics.median(ratios):.2f}, max {max(ratios):.2f}"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--teeth", type=int)
    parser.add_argument("--budget", type=int)
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--samples", type=int)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    config = preset_config()
    for name, value in (
        ("teeth", args.teeth),
        ("budget", args.budget),
        ("depth_epochs", args.epochs),
        ("n_samples", args.samples),
    ):
        if value is not None:
            config[name] = value  # not snapped to the page's offered values: a measurement may try others
    rows = measure(config, args.seeds)
    print(report(config, rows))
    if args.json:
        args.json.write_text(json.dumps({"config": config, "seeds": rows}, indent=2))


if __name__ == "__main__":
    main()
