""" "Show the code": the generated script, run on its own in a subprocess, must train to the
engine's losses (to rounding: the engine computes feature-major, the script batch-first)."""

import ast
import contextlib
import io
import os
import re
import subprocess
import sys

import numpy as np
import pytest

from engine.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS
from engine.datasets import CLASSIFICATION, REGRESSION
from engine.features import FEATURES
from engine.initializers import INITIALIZERS
from engine.losses import LOSSES
from engine.optimizers import OPTIMIZERS
from ui.playground.code_export import ACTIVATION_CODE, FEATURE_CODE, LOSS_CODE, OPTIMIZER_CODE, generate_script
from ui.playground.config import DEFAULTS
from ui.playground.run import build_run, resolve_loss_and_output, train, why_not

EPOCHS = 3
HIDDEN = sorted(ACTIVATIONS)
OUTPUTS = sorted(OUTPUT_ACTIVATIONS)
OPTIMIZER_CYCLE = [
    {"optimizer": "sgd"},
    {"optimizer": "momentum", "momentum": 0.8},
    {"optimizer": "momentum", "nesterov": True},
    {"optimizer": "rmsprop", "rho": 0.95},
    {"optimizer": "adam", "beta1": 0.85, "beta2": 0.99},
]
FEATURE_SETS = [("x1", "x2"), tuple(FEATURES), ("x1_sq", "x2_sq", "x1x2"), ("sin_x1", "cos_x2", "x2")]


def _dataset_configs():
    """Every dataset, each with another hidden activation, optimizer, initializer and
    feature set, so that a dozen runs cover every one of them."""
    configs = []
    for i, dataset in enumerate([*sorted(CLASSIFICATION), *sorted(REGRESSION)]):
        configs.append(
            dict(
                dataset=dataset,
                problem="classification" if dataset in CLASSIFICATION else "regression",
                activation=HIDDEN[i % len(HIDDEN)],
                initializer=sorted(INITIALIZERS)[(i + 1) % 4],  # zeros with no hidden layer: it trains
                features=FEATURE_SETS[i % len(FEATURE_SETS)],
                hidden=((5, 3), (4,), (), (3, 3, 2))[i % 4],
                n_samples=(200, 150, 300)[i % 3],
                noise=(0, 10, 25)[i % 3],
                batch_size=(10, 7, 32)[i % 3],
                train_percent=(50, 70, 30)[i % 3],
                data_seed=i,
                init_seed=100 + i,
                learning_rate=0.01,
                **OPTIMIZER_CYCLE[i % len(OPTIMIZER_CYCLE)],
            )
        )
    return configs


# Loss and output pairs the Playground trains (why_not allows them), with L1 or L2 on some.
PAIRS = [
    dict(dataset="xor", loss="quadratic", output_activation=out, activation=HIDDEN[i % len(HIDDEN)])
    for i, out in enumerate(o for o in OUTPUTS if o != "softmax")
] + [
    dict(dataset="xor", loss="quadratic", output_activation="softmax"),
    dict(dataset="moons", loss="binary_cross_entropy", output_activation="sigmoid", regularization="l2"),
    dict(dataset="moons", loss="binary_cross_entropy", output_activation="softmax", regularization_rate=0.01),
    dict(dataset="moons", loss="softmax_cross_entropy", output_activation="auto", regularization="l1"),
    dict(dataset="blobs4", loss="softmax_cross_entropy", output_activation="sigmoid"),
    dict(dataset="spiral3", loss="hinge", output_activation="tanh", optimizer="adam"),
    dict(dataset="circle", loss="mae", output_activation="linear", regularization="l2", regularization_rate=0.03),
    dict(dataset="circle", loss="huber", output_activation="relu", regularization="l1", regularization_rate=0.003),
    dict(dataset="plane", loss="huber", output_activation="auto"),
    dict(dataset="multi_gaussian", loss="mae", output_activation="tanh", regularization="l2"),
]
for pair in PAIRS:
    if pair.get("regularization") and "regularization_rate" not in pair:
        pair["regularization_rate"] = 0.01
    if pair["dataset"] in REGRESSION:
        pair["problem"] = "regression"

CONFIGS = _dataset_configs() + PAIRS


def config(**changes) -> dict:
    return {**DEFAULTS, "n_samples": 200, **changes}


def _name(changes: dict) -> str:
    keys = ("dataset", "activation", "loss", "output_activation", "optimizer", "regularization")
    return "-".join(str(changes[k]) for k in keys if k in changes)


def run_script(script: str, tmp_path, epochs: int | None = None) -> str:
    path = tmp_path / "playground_run.py"
    path.write_text(script)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"OPENBLAS_NUM_THREADS": "1"}
    args = [sys.executable, str(path)] + ([str(epochs)] if epochs is not None else [])
    done = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def final(stdout: str, which: str) -> float:
    return float(re.search(rf"final {which} loss = (\S+)", stdout).group(1))


@pytest.mark.parametrize("changes", CONFIGS, ids=_name)
def test_the_script_trains_to_the_engines_losses(changes, tmp_path):
    cfg = config(**changes)
    run = build_run(cfg)
    report = train(run, EPOCHS)
    assert not report.diverged, "pick a setup that trains for this test"
    stdout = run_script(generate_script(cfg, EPOCHS), tmp_path)
    history = run.trainer.history
    first = float(re.search(r"epoch\s+0\s+training loss (\S+)", stdout).group(1))
    assert first == pytest.approx(history.train_loss[0], abs=5e-7)  # same data and initial weights (6 decimals)
    assert final(stdout, "training") == pytest.approx(history.train_loss[-1], rel=1e-9, abs=1e-12)
    assert final(stdout, "test") == pytest.approx(history.test_loss[-1], rel=1e-9, abs=1e-12)
    if history.train_accuracy:
        assert f"training {history.train_accuracy[-1]:.1%}, test {history.test_accuracy[-1]:.1%}" in stdout


def test_every_choice_has_a_template():
    """A new activation, loss, optimizer or feature in the engine must come with its code."""
    assert set(ACTIVATION_CODE) == set(OUTPUT_ACTIVATIONS)
    assert set(LOSS_CODE) == set(LOSSES)
    assert set(OPTIMIZER_CODE) == set(OPTIMIZERS)
    assert set(FEATURE_CODE) == set(FEATURES)
    covered = {c.get("activation") for c in CONFIGS} | {c.get("output_activation") for c in CONFIGS}
    assert set(OUTPUT_ACTIVATIONS) <= covered
    assert set(LOSSES) <= {c.get("loss") for c in CONFIGS}
    assert set(INITIALIZERS) <= {c.get("initializer") for c in CONFIGS}
    assert set(CLASSIFICATION) | set(REGRESSION) <= {c["dataset"] for c in CONFIGS}


def test_feature_expressions_match_the_engine():
    X = np.random.default_rng(0).uniform(-6, 6, (50, 2))
    for key, (_, fn) in FEATURES.items():
        np.testing.assert_array_equal(eval(FEATURE_CODE[key], {"np": np, "X": X}), fn(X))


def test_the_script_imports_only_numpy_and_the_standard_library():
    script = generate_script(config(dataset="multi_gaussian", problem="regression", optimizer="adam"))
    imported = set()
    for node in ast.walk(ast.parse(script)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])
    assert imported <= {"numpy", "sys", "dataclasses"}
    assert not re.search(r"\b(engine|ui)\.\w", script)  # no project module named anywhere


def test_epochs_come_from_the_command_line_and_the_app(tmp_path):
    cfg = config(dataset="gaussian")
    script = generate_script(cfg, epochs=2)
    assert "else 2\n" in script
    run = build_run(cfg)
    train(run, 4)
    stdout = run_script(script, tmp_path, epochs=4)
    assert final(stdout, "training") == pytest.approx(run.trainer.history.train_loss[-1], rel=1e-9)


def test_setups_it_cannot_write_say_why():
    with pytest.raises(ValueError, match="CSV"):
        generate_script(config(dataset="csv"))
    with pytest.raises(ValueError, match="probabilities"):
        generate_script(config(loss="binary_cross_entropy", output_activation="tanh"))


def _allowed_pairs():
    """Every (dataset, loss, output) the Playground trains: each loss with each output
    activation, on a two-class, a three-class and a regression dataset."""
    pairs = []
    for dataset, problem, n_classes in (
        ("moons", "classification", 2),
        ("blobs3", "classification", 3),
        ("plane", "regression", 0),
    ):
        for loss in LOSSES:
            for output in OUTPUTS:
                resolved = resolve_loss_and_output(problem, n_classes, loss, output)
                if why_not(problem, resolved[0], resolved[1]) is None:
                    pairs.append((dataset, problem, loss, output))
    return pairs


@pytest.mark.parametrize(("dataset", "problem", "loss", "output"), _allowed_pairs())
def test_every_loss_and_output_pair_the_playground_allows(dataset, problem, loss, output, monkeypatch):
    """The same script text, run in-process (fast) for every allowed pair."""
    monkeypatch.setattr(sys, "argv", ["playground_run.py"])
    cfg = config(dataset=dataset, problem=problem, loss=loss, output_activation=output, n_samples=100, hidden=(3,))
    run = build_run(cfg)
    report = train(run, 2)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(generate_script(cfg, 2), "playground_run.py", "exec"), {"__name__": "__main__"})
    stdout = out.getvalue()
    if not report.diverged:  # the engine stops a diverging run; the script does not
        assert final(stdout, "training") == pytest.approx(run.trainer.history.train_loss[-1], rel=1e-9, abs=1e-12)
