"""Engine speed: epochs per second of the NumPy engine, against PyTorch on the CPU.

    python -m benchmarks.engine [--seconds 2] [--json PATH]

Each config trains the same network on the same data with the same batch size in both
engines, recording train and test loss (and accuracy) after every epoch, as the app does.
PyTorch is only a peer here, never an app dependency: without it the torch columns are
null. ``pip install torch==2.13.0`` installs the local CPU build on this machine.
Both run on one thread (BLAS and torch), so the ratio compares like with like.

The health columns time the engine with its health record off and on (``Trainer(health=)``,
``engine.health``): two trainers from the same start in one process, trained in turns of
``HEALTH_CHUNK`` epochs (one ``train`` call each, as the Playground calls it once a frame:
10 epochs a frame at its default 400 epochs per second), the order swapped every turn, so
that both share the machine's load; each turn's time is the process's CPU time (other
processes' load shows in wall time as noise several times larger than health's cost);
"added" is the extra CPU time per epoch, in %.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before NumPy loads its BLAS
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import json
import time
from dataclasses import dataclass

import numpy as np

from engine import Network, Trainer
from engine.datasets import circle


@dataclass
class Config:
    name: str
    sizes: list[int]
    batch_size: int
    n_train: int
    problem: str  # "classification" (tanh output, labels -1/+1) or "regression" (linear output)


HEALTH_CHUNK = 10  # epochs per train() call in the health columns

CONFIGS = [
    Config("tf-default", [2, 4, 2, 1], 10, 250, "classification"),
    Config("deep", [2, 8, 8, 8, 8, 8, 8, 1], 10, 250, "classification"),
    Config("wide-1d", [1, 256, 1], 1000, 1000, "regression"),
]
HEALTH_CONFIGS = [
    CONFIGS[0],
    Config("8x16", [2, *[16] * 8, 1], 10, 250, "classification"),
]


def make_data(cfg: Config, seed: int = 0):
    """(X, y) with 2 * n_train rows, so that a 50 % split leaves n_train to train on."""
    if cfg.problem == "classification":
        d = circle(2 * cfg.n_train, 0.0, seed)
        return d.X, d.y
    x = np.linspace(-3, 3, 2 * cfg.n_train).reshape(-1, 1)
    return x, np.sin(2 * x[:, 0])


def engine_trainer(cfg: Config, health: bool = True) -> Trainer:
    X, y = make_data(cfg)
    out = "tanh" if cfg.problem == "classification" else "linear"
    net = Network(cfg.sizes, "tanh", out, seed=1)
    return Trainer(
        net,
        X,
        y,
        loss="quadratic",
        learning_rate=0.03,
        batch_size=cfg.batch_size,
        problem=cfg.problem,
        health=health,
    )


def time_epochs(train_one_epoch, seconds: float) -> float:
    """Epochs per second over about ``seconds``, after a short warm-up."""
    for _ in range(3):
        train_one_epoch()
    epochs, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        train_one_epoch()
        epochs += 1
    return epochs / elapsed


def bench_engine(cfg: Config, seconds: float) -> float:
    trainer = engine_trainer(cfg)
    return time_epochs(lambda: trainer.train(1), seconds)


def bench_health(cfg: Config, seconds: float) -> dict:
    """Epochs per CPU second with health off and on, interleaved (see the module
    docstring), over about ``seconds`` of CPU time in all; and the health records made."""
    trainers = {False: engine_trainer(cfg, health=False), True: engine_trainer(cfg, health=True)}
    spent = {False: 0.0, True: 0.0}
    turns = 0
    start = time.process_time()
    while time.process_time() - start < seconds or turns < 2:
        for health in (False, True) if turns % 2 else (True, False):
            t0 = time.process_time()
            trainers[health].train(HEALTH_CHUNK)
            spent[health] += time.process_time() - t0
        turns += 1
    epochs = turns * HEALTH_CHUNK
    off, on = epochs / spent[False], epochs / spent[True]
    return {
        "name": cfg.name,
        "epochs": epochs,
        "health_records": len(trainers[True].health),
        "off_epochs_per_s": round(off, 1),
        "on_epochs_per_s": round(on, 1),
        "added_percent": round(100 * (spent[True] / spent[False] - 1), 1),
    }


def bench_torch(cfg: Config, seconds: float, torch) -> float:
    """The idiomatic PyTorch loop for the same network, data, batch and bookkeeping."""
    torch.set_num_threads(1)
    trainer = engine_trainer(cfg)  # the same split and encoded targets
    net = trainer.network
    layers = []
    for i, (W, b) in enumerate(zip(net.W, net.b)):
        lin = torch.nn.Linear(*W.shape)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(W.T.copy()))
            lin.bias.copy_(torch.from_numpy(b.copy()))
        layers.append(lin)
        if i < len(net.W) - 1 or cfg.problem == "classification":
            layers.append(torch.nn.Tanh())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=0.03)
    as_t = lambda a: torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32))
    X, Y, Xt, Yt = map(as_t, (trainer.X_train, trainer.Y_train, trainer.X_test, trainer.Y_test))
    classify = cfg.problem == "classification"

    def evaluate(Xe, Ye):
        out = model(Xe)
        loss = 0.5 * ((out - Ye) ** 2).sum(1).mean()
        acc = ((out > 0) == (Ye > 0)).float().mean().item() if classify else None
        return loss.item(), acc

    def one_epoch():
        perm = torch.randperm(len(X))
        for start in range(0, len(X), cfg.batch_size):
            idx = perm[start : start + cfg.batch_size]
            opt.zero_grad()
            loss = 0.5 * ((model(X[idx]) - Y[idx]) ** 2).sum(1).mean()
            loss.backward()
            opt.step()
        with torch.no_grad():
            evaluate(X, Y)
            evaluate(Xt, Yt)

    return time_epochs(one_epoch, seconds)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="timing window per config and engine")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    try:
        import torch
    except ImportError:
        torch = None
        print("PyTorch is not installed: the peer columns are null (pip install torch==2.13.0).")

    rows = []
    for cfg in CONFIGS:
        ours = bench_engine(cfg, args.seconds)
        theirs = bench_torch(cfg, args.seconds, torch) if torch else None
        rows.append(
            {
                "name": cfg.name,
                "epochs_per_s": round(ours, 1),
                "torch_epochs_per_s": None if theirs is None else round(theirs, 1),
                "ratio_vs_torch": None if theirs is None else round(ours / theirs, 2),
            }
        )
    print(f"{'config':<12}{'layers':<22}{'batch':>6}{'engine ep/s':>13}{'torch ep/s':>12}{'ratio':>8}")
    for cfg, row in zip(CONFIGS, rows):
        torch_col = "-" if row["torch_epochs_per_s"] is None else f"{row['torch_epochs_per_s']:.1f}"
        ratio_col = "-" if row["ratio_vs_torch"] is None else f"{row['ratio_vs_torch']:.1f}x"
        layers = "-".join(map(str, cfg.sizes))
        print(f"{cfg.name:<12}{layers:<22}{cfg.batch_size:>6}{row['epochs_per_s']:>13.1f}{torch_col:>12}{ratio_col:>8}")
    health_rows = [bench_health(cfg, 2 * args.seconds) for cfg in HEALTH_CONFIGS]
    print(f"\nhealth record, {HEALTH_CHUNK} epochs per train() call, interleaved, epochs per CPU second:")
    print(f"{'config':<12}{'epochs':>8}{'records':>9}{'off ep/s':>11}{'on ep/s':>10}{'added':>9}")
    for row in health_rows:
        print(
            f"{row['name']:<12}{row['epochs']:>8}{row['health_records']:>9}{row['off_epochs_per_s']:>11.1f}"
            f"{row['on_epochs_per_s']:>10.1f}{row['added_percent']:>8.1f}%"
        )
    result = {"configs": rows, "health": health_rows}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
    return result


if __name__ == "__main__":
    main()
