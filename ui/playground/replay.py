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


def replay_options(run: PlaygroundRun) -> list[int]:
    """The epochs the timeline offers: every snapshot before the live epoch, then the live
    epoch itself (the last option: the live network)."""
    now = run.trainer.epoch
    return [*(e for e in run.snapshots.epochs() if e < now), now]


def replay_epoch(run: PlaygroundRun) -> int | None:
    """The epoch shown, when it is an earlier snapshot's; else None (the live network)."""
    epoch = run.replay
    if epoch is None or epoch >= run.trainer.epoch or epoch not in run.snapshots.epochs():
        return None
    return epoch


def replay_network(run: PlaygroundRun) -> Network | None:
    """A copy of the run's network with the weights it had at the replayed epoch, or None
    when no earlier epoch is shown."""
    epoch = replay_epoch(run)
    if epoch is None:
        return None
    return run.network.copy_with(run.snapshots.snapshot(epoch).params)


def mark_epoch(figure: dict, epoch: int) -> dict:
    """The loss figure with a vertical line at ``epoch``, labelled (the epoch replayed)."""
    layout = figure["layout"]
    layout["shapes"] = [
        *layout.get("shapes", []),
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": epoch,
            "x1": epoch,
            "y0": 0,
            "y1": 1,
            "line": {"color": "#7b1fa2", "width": 2, "dash": "dash"},
        },
    ]
    layout["annotations"] = [
        *layout.get("annotations", []),
        {
            "x": epoch,
            "y": 1,
            "xref": "x",
            "yref": "paper",
            "text": f"epoch {epoch:,}",
            "showarrow": False,
            "xanchor": "left",
            "yanchor": "top",
            "font": {"color": "#7b1fa2", "size": 11},
        },
    ]
    return figure


def replay_stats(run: PlaygroundRun, view: Network, epoch: int) -> str:
    """The stats line while replaying: the epoch shown, then the replayed network's
    losses (and accuracies) on the training and test data, and the epoch training reached."""
    trainer = run.trainer
    stats = [Stat("Showing", f"epoch {epoch:,} (replay)", "replay")]
    for part, X, Y in (("Training", trainer.X_train, trainer.Y_train), ("Test", trainer.X_test, trainer.Y_test)):
        with np.errstate(all="ignore"):
            loss = view.loss(X, Y, trainer.loss)
        stats.append(Stat(f"{part} loss", f"{loss:.4f}", f"{part.lower()}-loss".replace("training", "train")))
    if run.n_classes:
        for part, X, y in (("Training", trainer.X_train, trainer.y_train), ("Test", trainer.X_test, trainer.y_test)):
            accuracy = float(np.mean(trainer.predict_classes(view.forward(X)) == y))
            name = f"{part.lower()}-accuracy".replace("training", "train")
            stats.append(Stat(f"{part} accuracy", f"{accuracy:.1%}", name))
    stats.append(Stat("Trained to epoch", f"{trainer.epoch:,}", "epoch"))
    return stats_line(stats)


def continue_from(run: PlaygroundRun) -> str | None:
    """Branch training from the replayed epoch: the run's network takes the snapshot's
    weights, the trainer its epoch, step, optimizer and shuffling state, the later history,
    health records and snapshots are dropped. Returns what the page says, or None when no
    earlier epoch is shown. Call under the training lock."""
    epoch = replay_epoch(run)
    if epoch is None:
        return None
    snapshot = run.snapshots.snapshot(epoch)
    dropped = rewind(run.trainer, snapshot)
    run.snapshots.truncate_after(epoch)
    run.replay = None
    run.previous_params = None
    run.diverged = None
    run.converging = None
    run.slow_step = None
    run.cadence.forget(*list(run.cadence.figures))
    later = "the later epoch was" if dropped == 1 else f"the {dropped:,} later epochs were"
    return f"Continued from epoch {epoch:,}: {later} dropped."
