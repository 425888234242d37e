"""One training step in slow motion: the next mini-batch in four stages (forward, loss,
backward, update), each stage's numbers from the run's own network and trainer, and its
figures. Pure: no Streamlit (the panel is ui/playground/slow_step_panel.py).

The update is the trainer's own ``train_batch``: after the four stages the network is,
bit for bit, where one step of training would have taken it.
"""

from dataclasses import dataclass

import numpy as np

from engine.trainer import Batch, TrainReport
from ui.charts import weights_figure
from ui.charts.colors import CLASS_COLORS, FONT
from ui.live.stats import divergence_message
from ui.playground.figures import BIAS_ROW, class_names, node_labels, playground_figures
from ui.playground.run import PlaygroundRun, weight_tables

STAGES = ("forward", "loss", "backward", "update")
STAGE_TITLES = {
    1: "1 · Forward: the batch through the network",
    2: "2 · Loss: how wrong it is on these points",
    3: "3 · Backward: the gradient of every weight",
    4: "4 · Update: the optimizer's step",
}

# Each loss for one point, in the engine's terms (engine/losses.py: summed over the
# outputs; the batch loss is the mean over the batch's points).
POINT_LOSS = {
    "quadratic": "½(ŷ − y)², summed over the outputs",
    "binary_cross_entropy": "−[y·log ŷ + (1 − y)·log(1 − ŷ)]",
    "softmax_cross_entropy": "−log ŷ of the point's class",
    "mae": "|ŷ − y|, summed over the outputs",
    "huber": "½(ŷ − y)² within 1 of the target, |ŷ − y| − ½ beyond, summed over the outputs",
    "hinge": "max(0, 1 − y·ŷ), summed over the outputs",
}


@dataclass(slots=True)
class ForwardStage:
    """Stage 1, the batch's b points through the network (before the step)."""

    points: np.ndarray | None  # (b, 2) the points in the plane as drawn; None without a plane
    inputs: np.ndarray  # (b, n_inputs) what the network takes (the features)
    output: np.ndarray  # (b, n_outputs) the network's output ŷ
    targets: np.ndarray  # (b, n_outputs) the targets y the loss compares ŷ with
    labels: np.ndarray  # (b,) class labels, or (b, n_outputs) values for regression
    predicted: np.ndarray | None  # (b,) predicted classes; None for regression


@dataclass(slots=True)
class LossStage:
    """Stage 2: the batch's loss, and each point's share of it."""

    point_losses: np.ndarray  # (b,) each point's own loss
    shares: np.ndarray  # (b,) point_losses / b: they add up to batch_loss
    batch_loss: float  # the engine's loss on the batch (Network.loss): the mean of point_losses
    penalty: float  # the regularization term l1·Σ|w| + l2/2·Σw² (weights only); 0 without


@dataclass(slots=True)
class BackwardStage:
    """Stage 3: the gradient the optimizer gets, of the batch loss plus the penalty."""

    grads: np.ndarray  # (n_params,) aligned with Network.params
    tables: list[np.ndarray]  # per layer (fan_in + 1, fan_out): ∂L/∂W, then ∂L/∂b as the last row


@dataclass(slots=True)
class UpdateStage:
    """Stage 4: the step applied by ``Trainer.train_batch``."""

    before: np.ndarray  # (n_params,) the weights before the step
    after: np.ndarray  # (n_params,) after it (equal to before when it diverged)
    grads: np.ndarray  # (n_params,) the gradient of stage 3
    optimizer: str
    settings: dict  # the optimizer's settings (momentum, beta1, ...)
    learning_rate: float
    step: int  # the trainer's step counter after the step
    report: TrainReport

    @property
    def delta(self) -> np.ndarray:
        """(n_params,) the real change of every weight: after − before."""
        return self.after - self.before


@dataclass(slots=True)
class SlowStep:
    """The slow step under way: the batch, the stage shown (1 to 4), and the weights it
    began with (stages 1 to 3 are of these weights; stage 4 holds the step's update)."""

    batch: Batch
    epoch: int  # the epoch the batch belongs to, counted from 1
    params: np.ndarray  # (n_params,) the weights when it began
    l1: float
    l2: float
    stage: int = 1
    update: UpdateStage | None = None


def begin(run: PlaygroundRun) -> SlowStep:
    """A slow step of the batch training would use next (nothing is trained yet)."""
    trainer = run.trainer
    return SlowStep(trainer.next_batch(), trainer.epoch + 1, run.network.params.copy(), trainer.l1, trainer.l2)


def why_stale(run: PlaygroundRun, slow: SlowStep) -> str | None:
    """Why ``slow`` no longer describes the run before its update (a sentence), or None.
    After the update (stage 4) it only ends when the network trained on: then ""."""
    trainer, net = run.trainer, run.network
    if slow.update is not None:
        return None if np.array_equal(net.params, slow.update.after) else ""
    if not np.array_equal(net.params, slow.params):
        return "the weights changed (Step, Play, an edit or an import)"
    if (trainer.l1, trainer.l2) != (slow.l1, slow.l2):
        return "the regularization changed"
    batch = slow.batch
    if trainer.batch_position != (batch.index, batch.count) or not np.array_equal(
        trainer.next_batch().rows, batch.rows
    ):
        return "the batches changed (the batch size or the data)"
    return None


def train_points(run: PlaygroundRun) -> np.ndarray:
    """(n_train, 2) the training points as drawn, aligned with the trainer's X_train: the
    dataset's training rows, then the points drawn by clicking (in the order added)."""
    return np.vstack([run.X_raw[run.trainer.train_index], run.drawn_X])


def forward_stage(run: PlaygroundRun, batch: Batch) -> ForwardStage:
    trainer = run.trainer
    output = run.network.forward(batch.X)
    points = batch.take(train_points(run)) if run.grid is not None else None
    predicted = trainer.predict_classes(output) if run.n_classes else None
    return ForwardStage(points, batch.X, output, batch.Y, batch.labels, predicted)


def loss_stage(run: PlaygroundRun, batch: Batch) -> LossStage:
    """Each point's loss is the engine's loss of a batch of that one point."""
    net, trainer = run.network, run.trainer
    out, z = net.forward_batch(net.batch_inputs(batch.X))
    out, z = out.copy(), z.copy()  # z is the network's buffer, reused by the next pass
    point_losses = np.array(
        [
            net.loss_from_pre_activation(z[i : i + 1], out[i : i + 1], batch.Y[i : i + 1], trainer.loss)
            for i in range(len(z))
        ]
    )
    b = len(point_losses)
    penalty = net.regularization_penalty(trainer.l1, trainer.l2)
    return LossStage(point_losses, point_losses / b, net.loss(batch.X, batch.Y, trainer.loss), penalty)


def backward_stage(run: PlaygroundRun, batch: Batch) -> BackwardStage:
    """The gradient exactly as ``Trainer.train_batch`` computes it: the batch's data loss
    by backpropagation (``Network.batch_gradient``), plus the regularization's."""
    net, trainer = run.network, run.trainer
    grads = net.batch_gradient(net.batch_inputs(batch.X), batch.Y, trainer.loss).copy()
    if trainer.l1 or trainer.l2:
        net.add_regularization_gradient(grads, trainer.l1, trainer.l2)
    return BackwardStage(grads, weight_tables(net.copy_with(grads)))


def apply_update(run: PlaygroundRun, slow: SlowStep) -> UpdateStage:
    """Stage 4: train the batch with the trainer's own ``train_batch`` (call it holding
    the training lock), keep before and after, and move ``slow`` to stage 4. Like Step, it
    remembers the weights before (``run.previous_params``: the live ΔW) and a divergence
    (``run.diverged``)."""
    trainer, net = run.trainer, run.network
    grads = backward_stage(run, slow.batch).grads
    before = net.params.copy()
    report = trainer.train_batch()
    run.previous_params = before
    if report.diverged:
        run.diverged = divergence_message(report.message, report.reason)
    optimizer = trainer.optimizer
    settings = {key: getattr(optimizer, key) for key in optimizer.settings}
    slow.update = UpdateStage(
        before, net.params.copy(), grads, optimizer.name, settings, trainer.learning_rate, trainer.step, report
    )
    slow.stage = 4
    return slow.update


def biggest_changes(run: PlaygroundRun, update: UpdateStage, count: int = 5) -> list[dict]:
    """The ``count`` weights that changed most: which, before, ΔW and after."""
    before, after = update.before, update.after
    order = np.argsort(-np.abs(after - before), kind="stable")[:count]
    return [
        {
            "weight": parameter_name(run, int(k)),
            "before": float(before[k]),
            "ΔW": float(after[k] - before[k]),
            "after": float(after[k]),
        }
        for k in order
    ]


def largest_gradients(run: PlaygroundRun, backward: BackwardStage, count: int = 5) -> list[dict]:
    """The ``count`` largest gradients in size: which weight, and ∂L/∂w."""
    order = np.argsort(-np.abs(backward.grads), kind="stable")[:count]
    return [{"weight": parameter_name(run, int(k)), "∂L/∂w": float(backward.grads[k])} for k in order]


def parameter_name(run: PlaygroundRun, flat_index: int) -> str:
    """Which weight entry ``flat_index`` of ``params`` is, as plain text (a CSV's names as
    typed): "W2: h1.3 → ŷ" for a weight, "b1 → h1.2" for a bias."""
    labels = node_labels_plain(run)
    start = 0
    for layer, (fan_in, fan_out) in enumerate(zip(run.network.sizes[:-1], run.network.sizes[1:])):
        size = (fan_in + 1) * fan_out  # the layer's block in params: W's rows, then b
        if flat_index < start + size:
            i, j = divmod(flat_index - start, fan_out)
            if i == fan_in:
                return f"b{layer + 1} → {labels[layer + 1][j]}"
            return f"W{layer + 1}: {labels[layer][i]} → {labels[layer + 1][j]}"
        start += size
    raise IndexError(f"no parameter {flat_index}")


def node_labels_plain(run: PlaygroundRun) -> list[list[str]]:
    """Every node's name as plain text (a CSV's column names as typed: for tables)."""
    labels = node_labels(run)
    labels[0] = list(run.feature_names)
    return labels


# ---- what the stages say ---------------------------------------------------------------------


def position_text(slow: SlowStep) -> str:
    """Where in the epoch the slow step's batch is: "batch k of n of epoch e"."""
    return f"batch {slow.batch.index + 1} of {slow.batch.count} of epoch {slow.epoch}"


def update_rule(update: UpdateStage) -> str:
    """What ΔW is for the optimizer that made it, with the run's numbers."""
    lr, s = update.learning_rate, update.settings
    gap = float(np.max(np.abs(update.delta + lr * update.grads)))
    if update.optimizer == "sgd":
        return (
            f"SGD: ΔW = −learning rate × ∂L/∂W = −{lr:g} × the gradient of stage 3 "
            f"(up to rounding: at most {gap:.1e} apart)."
        )
    if update.optimizer == "momentum":
        if s.get("nesterov"):
            rule = f"ΔW = −{lr:g} × (∂L/∂W + {s['momentum']:g}·v)"
        else:
            rule = f"ΔW = −{lr:g} × v"
        return (
            f"Momentum: {rule}, where the velocity v ← {s['momentum']:g}·v + ∂L/∂W adds up the earlier "
            f"steps' gradients; so ΔW is not just −{lr:g} × this gradient (they differ by up to {gap:.2g})."
        )
    if update.optimizer == "rmsprop":
        return (
            f"RMSProp: ΔW = −{lr:g} × ∂L/∂W / (√s + ε), where s ← {s['rho']:g}·s + (1 − {s['rho']:g})·(∂L/∂W)² "
            f"is a running mean of each weight's squared gradient: each weight's step is scaled by its own "
            f"gradient's size (ΔW and −{lr:g} × the gradient differ by up to {gap:.2g})."
        )
    return (
        f"Adam: ΔW = −{lr:g} × m̂ / (√v̂ + ε), where m and v are running means of the gradient and of its "
        f"square (β₁ = {s['beta1']:g}, β₂ = {s['beta2']:g}), corrected for starting at 0 (m̂, v̂): each weight's "
        f"step is about {lr:g} in the direction of its recent gradients (ΔW and −{lr:g} × the gradient "
        f"differ by up to {gap:.2g})."
    )


# ---- figures ------------------------------------------------------------------------------


def forward_figure(run: PlaygroundRun, forward: ForwardStage) -> dict | None:
    """The output picture with the batch's points ringed and numbered 1 to b (None
    without a plane to draw on)."""
    if forward.points is None:
        return None
    figure = playground_figures(run, ("output",))["output"]
    b = len(forward.points)
    figure["data"] = [
        *figure["data"],
        {
            "type": "scatter",
            "x": forward.points[:, 0].tolist(),
            "y": forward.points[:, 1].tolist(),
            "mode": "markers+text",
            "text": [str(i + 1) for i in range(b)],
            "textposition": "top right",
            "textfont": {"size": 12, "color": "#202124"},
            # An open symbol is drawn in the marker's colour, its line width the ring's.
            "marker": {"symbol": "circle-open", "size": 16, "color": "#202124", "line": {"width": 2.5}},
            "name": "this batch",
            "hovertemplate": "point %{text}: (%{x:.2f}, %{y:.2f})<extra></extra>",
            "showlegend": True,
        },
    ]
    figure["layout"]["showlegend"] = True
    figure["layout"]["height"] = 380
    return figure


def shares_figure(run: PlaygroundRun, forward: ForwardStage, loss: LossStage) -> dict:
    """Each point's share of the batch loss (its loss / b) as a bar, in its class's colour."""
    b = len(loss.shares)
    if run.n_classes:
        colors = [CLASS_COLORS[int(c) % len(CLASS_COLORS)] for c in forward.labels]
    else:
        colors = ["#5f6368"] * b
    return {
        "data": [
            {
                "type": "bar",
                "x": [str(i + 1) for i in range(b)],
                "y": loss.shares.tolist(),
                "marker": {"color": colors},
                "hovertemplate": f"point %{{x}}: loss %{{customdata:.4f}} / {b} = %{{y:.5f}}<extra></extra>",
                "customdata": loss.point_losses.tolist(),
            }
        ],
        "layout": {
            "height": 300,
            "margin": {"l": 60, "r": 10, "t": 36, "b": 40},
            "title": {
                "text": f"Each point's loss / {b}: the bars add up to {loss.batch_loss:.4f}",
                "font": {"size": 13},
            },
            "xaxis": {"title": {"text": "point of the batch"}, "type": "category"},
            "yaxis": {"title": {"text": f"loss / {b}"}, "rangemode": "tozero"},
            "font": FONT,
            "plot_bgcolor": "white",
            "showlegend": False,
        },
    }


def _names(run: PlaygroundRun) -> tuple[list[list[str]], list[list[str]]]:
    labels = node_labels(run)
    return [[*names, BIAS_ROW] for names in labels[:-1]], labels[1:]


def backward_figure(run: PlaygroundRun, slow: SlowStep, backward: BackwardStage) -> dict:
    """Every layer's W (with b) as it is, and ∂L/∂W (with ∂L/∂b) beside it."""
    rows, cols = _names(run)
    tables = weight_tables(run.network.copy_with(slow.params))
    # No numbers in the gradient's cells: its small values' digits do not fit (hover gives each).
    return weights_figure(tables, rows, cols, backward.tables, beside_title="∂L/∂W", beside_format=None)


def update_figures(run: PlaygroundRun, update: UpdateStage) -> tuple[dict, dict]:
    """(W before with ΔW beside it, W after the step)."""
    rows, cols = _names(run)
    net = run.network
    before, after = weight_tables(net.copy_with(update.before)), weight_tables(net.copy_with(update.after))
    deltas = [a - b for a, b in zip(after, before)]
    return (
        weights_figure(before, rows, cols, deltas, beside_title="ΔW", beside_format=None),
        weights_figure(after, rows, cols),
    )


def forward_rows(run: PlaygroundRun, forward: ForwardStage) -> list[dict]:
    """The batch as table rows: the point's number, its inputs, the output, the target
    and the label (and the predicted class). Names are plain text (a CSV's as typed)."""
    names = class_names(run)
    outputs = node_labels_plain(run)[-1]
    # A CSV's column may be called like a column of ours ("label"): its own name, marked.
    ours = {"point", "target y", "predicted", "label", *outputs}
    inputs, seen = [], set()
    for name in run.feature_names:
        while name in ours or name in seen:
            name = f"{name} (input)"
        seen.add(name)
        inputs.append(name)
    rows = []
    for i in range(len(forward.inputs)):
        row = {"point": i + 1}
        row |= {name: float(v) for name, v in zip(inputs, forward.inputs[i])}
        row |= {out: float(v) for out, v in zip(outputs, forward.output[i])}
        if forward.targets.shape[1] == 1:
            row["target y"] = float(forward.targets[i, 0])
        if forward.predicted is not None:
            row["predicted"] = names[int(forward.predicted[i])]
            row["label"] = names[int(forward.labels[i])]
        rows.append(row)
    return rows
