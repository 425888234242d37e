"""Snapshots of a network's weights as it trains, for replaying a run and branching from it.

``SnapshotStore`` keeps (epoch, params, state) snapshots, bounded in count and in bytes:
when either bound is passed, every second snapshot is dropped (the first and the newest
always kept) and the spacing asked of new snapshots grows to the spacing left, so the
kept epochs stay spread evenly over the whole run, further apart as the run grows.

``capture`` and ``rewind`` put a ``Trainer`` back where it stood at a snapshot: weights,
optimizer state, step counter and the shuffling generator's state (the batch order of
the epochs to come), its history and health records cut back to that epoch. Training on
from there gives, bit for bit, what the run gave from that epoch the first time (the
settings unchanged). Pure NumPy and the standard library.
"""

from dataclasses import dataclass, field

import numpy as np

MAX_SNAPSHOTS = 200
MAX_BYTES = 2_000_000  # at most this many bytes of arrays (params and state) in a store


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One snapshot: ``params`` (n_params,) float64, a copy of the network's flat parameter
    vector at the end of ``epoch``; ``state`` what else was recorded with it (``capture``:
    optimizer state, step, the shuffling generator's state), or an empty dict."""

    epoch: int
    params: np.ndarray
    state: dict = field(default_factory=dict)

    @property
    def nbytes(self) -> int:
        """Bytes of the arrays held (params and the state's arrays)."""
        return self.params.nbytes + _state_bytes(self.state)


def _state_bytes(value) -> int:
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, dict):
        return sum(_state_bytes(v) for v in value.values())
    return 0


def _copied(value):
    """A deep copy of a state: arrays copied, dicts rebuilt, other values as they are."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    return value


class SnapshotStore:
    """Snapshots in increasing epoch order, at most ``max_snapshots`` of them and at most
    ``max_bytes`` bytes of arrays (``nbytes``), thinned as described in the module
    docstring. The first snapshot recorded and the newest are never thinned away;
    ``spacing`` is the least gap in epochs a snapshot must keep from the one before to stay
    once a newer one comes (1 at first; raised by each thinning)."""

    def __init__(self, max_snapshots: int = MAX_SNAPSHOTS, max_bytes: int = MAX_BYTES):
        if max_snapshots < 2:
            raise ValueError("a store keeps at least 2 snapshots (the first and the newest)")
        self.max_snapshots = int(max_snapshots)
        self.max_bytes = int(max_bytes)
        self._snapshots: list[Snapshot] = []
        self._nbytes = 0
        self.spacing: float = 1.0  # epochs at least between kept snapshots (grows with thinning)

    def __len__(self) -> int:
        return len(self._snapshots)

    @property
    def nbytes(self) -> int:
        """Bytes of the arrays the store holds (params and states)."""
        return self._nbytes

    def record(self, epoch: int, params: np.ndarray, state: dict | None = None) -> None:
        """Keep a copy of ``params`` (n_params,) (and of ``state``) as the snapshot of
        ``epoch``, the newest. The newest snapshot is kept only while it is the newest
        unless it lies at least ``spacing`` epochs after the one before: otherwise the
        next record replaces it (as it does one of the same epoch). An epoch before the
        newest is refused (ValueError): ``truncate_after`` first, to branch."""
        epoch = int(epoch)
        held = self._snapshots
        if held and epoch < held[-1].epoch:
            raise ValueError(f"epoch {epoch} is before the newest snapshot ({held[-1].epoch})")
        snapshot = Snapshot(epoch, np.array(params, dtype=float, copy=True), _copied(state or {}))
        if held and (epoch == held[-1].epoch or (len(held) >= 2 and held[-1].epoch - held[-2].epoch < self.spacing)):
            self._nbytes -= held.pop().nbytes
        held.append(snapshot)
        self._nbytes += snapshot.nbytes
        while len(held) > 2 and (len(held) > self.max_snapshots or self._nbytes > self.max_bytes):
            self._thin()
            held = self._snapshots

    def _thin(self) -> None:
        """Every second snapshot dropped, the first and the newest kept; new snapshots are
        asked to lie as far apart as the kept ones do on average (in whole epochs), and at
        least twice as far apart as before."""
        n = len(self._snapshots)
        keep = [*range(0, n - 1, 2), n - 1]
        self._snapshots = [self._snapshots[i] for i in keep]
        self._nbytes = sum(s.nbytes for s in self._snapshots)
        span = self._snapshots[-1].epoch - self._snapshots[0].epoch
        self.spacing = max(2 * self.spacing, span // max(1, len(self._snapshots) - 1))

    def epochs(self) -> list[int]:
        """The epochs held, increasing."""
        return [s.epoch for s in self._snapshots]

    def snapshot(self, epoch: int) -> Snapshot:
        """The snapshot at ``epoch`` or, if none is held there, the newest before it
        (its arrays are the store's own: copy before changing them). LookupError when
        every snapshot is after ``epoch`` (or the store is empty)."""
        found = None
        for s in self._snapshots:
            if s.epoch > epoch:
                break
            found = s
        if found is None:
            raise LookupError(f"no snapshot at or before epoch {epoch}")
        return found

    def nearest(self, epoch: int) -> tuple[int, np.ndarray]:
        """(epoch, params (n_params,), a copy) of the snapshot at or before ``epoch``."""
        s = self.snapshot(epoch)
        return s.epoch, s.params.copy()

    def truncate_after(self, epoch: int) -> int:
        """Forget the snapshots after ``epoch``; returns how many were forgotten."""
        keep = [s for s in self._snapshots if s.epoch <= epoch]
        dropped = len(self._snapshots) - len(keep)
        self._snapshots = keep
        self._nbytes = sum(s.nbytes for s in keep)
        return dropped

    def clear(self) -> None:
        self._snapshots, self._nbytes, self.spacing = [], 0, 1.0


# ---- a trainer's state at a snapshot ------------------------------------------------------


def between_epochs(trainer) -> bool:
    """True when no batch of an epoch under way has been trained (a snapshot's moment)."""
    return trainer.batch_position[0] == 0


def capture(trainer) -> dict:
    """The state to record with a snapshot of ``trainer`` (``Trainer.continuation_state``:
    optimizer state, step, the shuffling generator's state). Call between epochs."""
    return trainer.continuation_state()


def rewind(trainer, snapshot: Snapshot) -> int:
    """Put ``trainer`` back at ``snapshot`` (recorded with ``capture``; see
    ``Trainer.rewind``); returns how many later epochs were dropped."""
    return trainer.rewind(snapshot.epoch, snapshot.params, snapshot.state)
