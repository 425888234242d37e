"""The traced point: one input of the Playground followed through its network (what
``trace=`` in the URL names). Pure: no Streamlit.

A trace is named by text, as the URL and the trace box hold it:

- ``"0.5,-1.2"``: a point of the plane (x₁, x₂); for data with more columns than a plane,
  one number per column;
- ``"row:17"``: row 17 of the data (1 = the first), a labelled point, with its own loss
  and backpropagation.
"""

import re
from dataclasses import dataclass

import numpy as np

from engine import PointTrace, trace_point
from engine.features import transform
from ui.live.link import quote

MAX_TRACE_CHARS = 80
_ROW = re.compile(r"row\s*:?\s*(\d+)", re.IGNORECASE)
SNAP = 0.02  # a click this close to a data point (as a share of the plane's width) traces it


@dataclass(frozen=True, slots=True)
class TraceSpec:
    """What to trace: ``row`` (0-based index into the data) or ``point`` (the raw input)."""

    row: int | None = None
    point: tuple[float, ...] = ()


def _number(text: str) -> str:
    return f"{float(text):g}"


def normal_trace(text: str) -> str:
    """``text`` in the form the URL keeps (``"0.5,-1.2"``, ``"row:17"``, ``""`` for none);
    ValueError with a sentence for the user when it names no point."""
    text = str(text).strip()
    if not text:
        return ""
    row = _ROW.fullmatch(text)
    if row:
        if int(row.group(1)) < 1:
            raise ValueError("rows are counted from 1")
        return f"row:{int(row.group(1))}"
    parts = [p.strip() for p in text.replace(";", ",").split(",")]
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise ValueError(f"{quote(text)} is not a point: write x₁,x₂ (two numbers) or row:N") from None
    if len(numbers) < 2 or not all(np.isfinite(numbers)) or max(abs(n) for n in numbers) > 1e6:
        raise ValueError(f"{quote(text)} is not a point: write x₁,x₂ (two finite numbers) or row:N")
    return ",".join(_number(p) for p in parts)


def parse_trace(text: str) -> TraceSpec | None:
    """The point ``text`` names (``normal_trace`` form), or None for no trace."""
    text = normal_trace(text)
    if not text:
        return None
    if text.startswith("row:"):
        return TraceSpec(row=int(text[4:]) - 1)
    return TraceSpec(point=tuple(float(p) for p in text.split(",")))


@dataclass(slots=True)
class TracedPoint:
    """A point followed through the run's network.

    ``raw`` (2,): where it lies in the plane (None for data without a plane); ``inputs``
    (n_inputs,): what the network takes, after the feature transform; ``row``: its index in
    the data when it is a data point, ``part`` "training" or "test"; ``label`` its class or
    value, ``target`` (n_outputs,) that label as the network is trained on it; ``trace``
    the forward pass (and, for a data point, the backward pass)."""

    raw: np.ndarray | None
    inputs: np.ndarray
    trace: PointTrace
    row: int | None = None
    part: str = ""
    label: float | None = None
    target: np.ndarray | None = None


def resolve(run, spec: TraceSpec, network=None) -> TracedPoint:
    """Follow ``spec`` through ``run``'s network (a ``PlaygroundRun``), or through
    ``network`` (the run's as it was at an earlier epoch: replay); ValueError with a
    sentence when the run has no such point."""
    trainer, dataset = run.trainer, run.dataset
    network = run.network if network is None else network
    plane = run.grid is not None
    if spec.row is not None:
        n = len(dataset.X)
        if spec.row >= n:
            raise ValueError(f"there is no row {spec.row + 1}: the data has {n} rows")
        row = spec.row
        raw = dataset.X[row] if plane else None
        inputs = _inputs(run, dataset.X[row : row + 1])
        label = dataset.y[row]
        target = np.asarray(trainer.encode_targets(np.asarray([label])), dtype=float).reshape(1, -1)[0]
        part = "training" if row in set(trainer.train_index.tolist()) else "test"
        trace = trace_point(network, inputs, target, trainer.loss)
        return TracedPoint(raw, inputs, trace, row, part, label.item(), target)
    wanted = dataset.X.shape[1]
    if len(spec.point) != wanted:
        raise ValueError(f"this data has {wanted} input columns, so a point needs {wanted} numbers")
    point = np.asarray(spec.point, dtype=float)
    inputs = _inputs(run, point[None, :])
    return TracedPoint(point if plane else None, inputs, trace_point(network, inputs))


def _inputs(run, X: np.ndarray) -> np.ndarray:
    """The network's inputs (n_inputs,) for one raw point X (1, n_columns)."""
    if run.grid is None:  # wide data: its columns are the inputs
        return X[0].astype(float)
    return transform(X, run.config["features"])[0][0]


def traced(run, network=None) -> tuple[TracedPoint | None, str | None]:
    """(the run's traced point, why it cannot be traced): both None without a trace.
    ``network``: follow it through this one instead of the run's (see ``resolve``)."""
    try:
        spec = parse_trace(run.config.get("trace", ""))
        return (resolve(run, spec, network) if spec is not None else None), None
    except ValueError as error:
        return None, f"Cannot trace {run.config.get('trace')!s}: {error}."


def click_to_trace(run, x: float, y: float) -> str:
    """The trace a click at (x, y) on the output picture names: the data point under it
    (a training point, or a shown test point) if one is that close, else the place."""
    dataset, trainer = run.dataset, run.trainer
    rows = trainer.train_index if not run.config["show_test"] else np.arange(len(dataset.X))
    if run.grid is not None and len(rows):
        width = float(run.grid.xs[-1] - run.grid.xs[0])
        distances = np.hypot(dataset.X[rows, 0] - x, dataset.X[rows, 1] - y)
        nearest = int(np.argmin(distances))
        if distances[nearest] <= SNAP * width:
            return f"row:{int(rows[nearest]) + 1}"
    return f"{x:.3f},{y:.3f}"
