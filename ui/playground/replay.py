"""Replay (issue 16): the Playground's run shown as it was at an earlier epoch, from the
snapshots it keeps as it trains (``PlaygroundRun.snapshots``), and training continued
from there. Pure: no Streamlit.

While paused, ``run.replay`` names the epoch shown (None: the live network). The pictures
are drawn from ``replay_network(run)``, a copy of the network holding that snapshot's
weights; the run's own network is never swapped.
"""

import numpy as np

from engine import Network
from engine.snapshots import rewind
from ui.live.stats import Stat, stats_line
from ui.playground.run import PlaygroundRun


def _run_b(run: PlaygroundRun) -> PlaygroundRun | None:
    """Run B, when the run compares (ui/playground/compare.py) and B trains."""
    return run.compare.run if run.compare is not None else None


def _b_has(b: PlaygroundRun, epoch: int) -> bool:
    """Run B can be shown at ``epoch``: a snapshot of it, or B stopped there or before
    (diverged: its live network is what it was at that epoch)."""
    return epoch >= b.trainer.epoch or epoch in b.snapshots.epochs()


def replay_options(run: PlaygroundRun) -> list[int]:
    """The epochs the timeline offers: every snapshot before the live epoch, then the live
    epoch itself (the last option: the live network). Comparing, only the epochs both runs
    can be shown at (their snapshots are thinned apart when their sizes differ)."""
    now, b = run.trainer.epoch, _run_b(run)
    kept = [e for e in run.snapshots.epochs() if e < now and (b is None or _b_has(b, e))]
    return [*kept, now]


def replay_epoch(run: PlaygroundRun) -> int | None:
    """The epoch shown, when it is an earlier snapshot's; else None (the live network)."""
    epoch, b = run.replay, _run_b(run)
    if epoch is None or epoch >= run.trainer.epoch or epoch not in run.snapshots.epochs():
        return None
    if b is not None and not _b_has(b, epoch):
        return None
    return epoch


def replay_network(run: PlaygroundRun) -> Network | None:
    """A copy of the run's network with the weights it had at the replayed epoch, or None
    when no earlier epoch is shown."""
    epoch = replay_epoch(run)
    if epoch is None:
        return None
    return run.network.copy_with(run.snapshots.snapshot(epoch).params)


def replay_network_b(run: PlaygroundRun) -> Network | None:
    """Comparing: run B's network as it was at the replayed epoch (its snapshot, or B's own
    network when B stopped there or before), or None when no earlier epoch is shown."""
    epoch, b = replay_epoch(run), _run_b(run)
    if epoch is None or b is None:
        return None
    if epoch >= b.trainer.epoch:
        return b.network.copy()
    return b.network.copy_with(b.snapshots.snapshot(epoch).params)


def mark_epoch(figure: dict, epoch: int) -> dict:
    """``figure`` (epochs along its x axes: the loss chart, the health chart's panels) with
    a vertical line at ``epoch`` across each panel, labelled in the first (the epoch replayed)."""
    layout = figure["layout"]
    axes = sorted((k for k in layout if k.startswith("xaxis")), key=lambda k: int(k[5:] or 1)) or ["xaxis"]
    lines, label = [], None
    for key in axes:
        xref = "x" + key[5:]
        anchor = (layout.get(key) or {}).get("anchor")
        yref = f"{anchor} domain" if anchor else "paper"  # the panel's own height, or the plot's
        line = {"color": "#7b1fa2", "width": 2, "dash": "dash"}
        lines.append(
            {"type": "line", "xref": xref, "yref": yref, "x0": epoch, "x1": epoch, "y0": 0, "y1": 1, "line": line}
        )
        if label is None:
            label = {
                "x": epoch,
                "y": 1,
                "xref": xref,
                "yref": yref,
                "text": f"epoch {epoch:,}",
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "top",
                "font": {"color": "#7b1fa2", "size": 11},
            }
    layout["shapes"] = [*layout.get("shapes", []), *lines]
    layout["annotations"] = [*layout.get("annotations", []), label]
    return figure


def view_stats(
    run: PlaygroundRun, view: Network, *, letter: str = "", prefix: str = "", accuracies=("Training", "Test")
) -> list[Stat]:
    """The losses (and accuracies, of the parts named in ``accuracies``) of ``view``, a
    network of ``run``'s shape, on the run's training and test data. ``letter`` ("A", "B")
    starts each label, ``prefix`` ("b-") each stat id."""
    trainer, lead = run.trainer, f"{letter} · " if letter else ""
    stats = []
    for part, X, Y in (("Training", trainer.X_train, trainer.Y_train), ("Test", trainer.X_test, trainer.Y_test)):
        with np.errstate(all="ignore"):
            loss = view.loss(X, Y, trainer.loss)
        name = f"{prefix}{part.lower()}-loss".replace("training", "train")
        stats.append(Stat(f"{lead}{part} loss", f"{loss:.4f}", name))
    if run.n_classes:
        for part, X, y in (("Training", trainer.X_train, trainer.y_train), ("Test", trainer.X_test, trainer.y_test)):
            if part not in accuracies:
                continue
            accuracy = float(np.mean(trainer.predict_classes(view.forward(X)) == y))
            name = f"{prefix}{part.lower()}-accuracy".replace("training", "train")
            stats.append(Stat(f"{lead}{part} accuracy", f"{accuracy:.1%}", name))
    return stats


def replay_stats(run: PlaygroundRun, view: Network, epoch: int) -> str:
    """The stats line while replaying: the epoch shown, then the replayed network's
    losses (and accuracies) on the training and test data, and the epoch training reached."""
    stats = [Stat("Showing", f"epoch {epoch:,} (replay)", "replay"), *view_stats(run, view)]
    stats.append(Stat("Trained to epoch", f"{run.trainer.epoch:,}", "epoch"))
    return stats_line(stats)


def replay_compare_stats(run: PlaygroundRun, view_a: Network, view_b: Network, epoch: int) -> str:
    """Comparing, while replaying: the epoch shown, both replayed networks' losses and test
    accuracies (A's ids ``stat-...``, B's ``stat-b-...``), and the epoch training reached."""
    b = _run_b(run)
    stats = [
        Stat("Showing", f"epoch {epoch:,} (replay)", "replay"),
        *view_stats(run, view_a, letter="A", accuracies=("Test",)),
        *view_stats(b, view_b, letter="B", prefix="b-", accuracies=("Test",)),
        Stat("Trained to epoch", f"{run.trainer.epoch:,}", "epoch"),
    ]
    return stats_line(stats)


def _forget_later(run: PlaygroundRun) -> None:
    """What a run keeps of the epochs after the one it continues from: nothing."""
    run.replay = None
    run.previous_params = None
    run.diverged = None
    run.converging = None
    run.slow_step = None
    run.cadence.forget(*list(run.cadence.figures))


def continue_from(run: PlaygroundRun) -> str | None:
    """Branch training from the replayed epoch: the run's network takes the snapshot's
    weights, the trainer its epoch, step, optimizer and shuffling state, the later history,
    health records and snapshots are dropped. Returns what the page says, or None when no
    earlier epoch is shown. Comparing, run B continues from the same epoch. Call under the
    training lock."""
    epoch = replay_epoch(run)
    if epoch is None:
        return None
    b = _run_b(run)
    dropped = rewind(run.trainer, run.snapshots.snapshot(epoch))
    run.snapshots.truncate_after(epoch)
    _forget_later(run)
    later = "the later epoch was" if dropped == 1 else f"the {dropped:,} later epochs were"
    message = f"Continued from epoch {epoch:,}: {later} dropped."
    if b is None:
        return message
    run.compare.cadence.forget(*list(run.compare.cadence.figures))
    if epoch < b.trainer.epoch:  # else B stopped there or before: it stays as it stopped
        rewind(b.trainer, b.snapshots.snapshot(epoch))
        b.snapshots.truncate_after(epoch)
        _forget_later(b)
        return f"Continued runs A and B from epoch {epoch:,}: {later} dropped."
    return f"{message} Run B stopped at epoch {b.trainer.epoch:,} and stays there."
