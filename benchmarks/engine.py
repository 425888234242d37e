"""Engine speed: epochs per second of the NumPy engine, against PyTorch on the CPU.

    python -m benchmarks.engine [--seconds 2] [--json PATH]

Each config trains the same network on the same data with the same batch size in both
engines, recording train and test loss (and accuracy) after every epoch, as the app does.
PyTorch is only a peer here, never an app dependency: without it the torch columns are
null. ``pip install torch==2.13.0`` installs the local CPU build on this machine.
Both run on one thread (BLAS and torch), so the ratio compares like with like.
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


CONFIGS = [
    Config("tf-default", [2, 4, 2, 1], 10, 250, "classification"),
    Config("deep", [2, 8, 8, 8, 8, 8, 8, 1], 10, 250, "classification"),
    Config("wide-1d", [1, 256, 1], 1000, 1000, "regression"),
]


def make_data(cfg: Config, seed: int = 0):
    """(X, y) with 2 * n_train rows, so that a 50 % split leaves n_train to train on."""
    if cfg.problem == "classification":
        d = circle(2 * cfg.n_train, 0.0, seed)
        return d.X, d.y
    x = np.linspace(-3, 3, 2 * cfg.n_train).reshape(-1, 1)
    return x, np.sin(2 * x[:, 0])


def engine_trainer(cfg: Config) -> Trainer:
    X, y = make_data(cfg)
    out = "tanh" if cfg.problem == "classification" else "linear"
    net = Network(cfg.sizes, "tanh", out, seed=1)
    return Trainer(net, X, y, loss="quadratic", learning_rate=0.03, batch_size=cfg.batch_size, problem=cfg.problem)


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
    result = {"configs": rows}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
    return result


if __name__ == "__main__":
    main()
