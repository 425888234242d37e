"""Students who play networks of one shape train together on a busy server.

A small network's epoch is mostly the overhead of many small NumPy calls; when many
students play the same setup (a class that opened one link), one set of calls over their
stacked weights trains them all (``engine.stacked.train_together``: 3× the epochs per
network at 25 students, bit for bit what each would train alone, so every run stays
deterministic for its seed whichever others it trains with; README, "How many students a
server holds").

How the sessions meet: on a busy server each frame of a live update takes the training lock
on its own (ui/live/loop.py). Before it waits, a session *offers* its frame's training (its
trainer and epochs) here. Whoever holds the lock trains its own offer together with every
waiting offer of the same shape (``group_key``); a session whose offer was trained while it
waited finds it done and only draws. Its run is trained as it would be in its own turn:
while its update waits, a click of its student may start a full run that changes a
setting (Streamlit starts it beside the waiting update), exactly as when the update
trains itself; the run's generation then keeps what was asked for before the click from
training on (ui/live/loop.py).

The room holds offers only while their sessions wait for the lock and draw: shared by all
sessions on purpose, like the lock; no session's data stays here.
"""

import os
import threading
from dataclasses import dataclass

import numpy as np
import streamlit as st

from engine import Trainer, TrainReport, group_key, train_together

ENV = "PLAYGROUND_TRAIN_TOGETHER"  # "0": every session trains alone (for comparison, or should it misbehave)


def enabled() -> bool:
    """Whether busy servers train sessions of one shape together (``ENV``, default on)."""
    return os.environ.get(ENV, "1").strip() != "0"


@dataclass(eq=False)
class Offer:
    """A frame's training, offered while its session waits for the training lock: train
    ``trainer`` up to ``epochs`` within ``budget`` seconds. Once trained (by its session or
    by another holding the lock), ``report`` is set and ``params_before`` holds the
    weights (n_params,) before."""

    trainer: Trainer
    epochs: int
    budget: float
    key: tuple
    params_before: np.ndarray | None = None
    report: TrainReport | None = None

    @property
    def trained(self) -> bool:
        return self.report is not None


class TrainingRoom:
    """The offers of the sessions waiting for the training lock (see the module docstring)."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiting: list[Offer] = []
        # Counts, for the tests and benchmarks: offers trained, and trainings of more than one.
        self.offers_trained = 0
        self.groups_trained = 0

    def offer(self, trainer: Trainer, epochs: int, budget: float) -> Offer:
        """Offer a frame's training (before waiting for the training lock)."""
        offer = Offer(trainer, int(epochs), float(budget), group_key(trainer))
        with self._mutex:
            self._waiting.append(offer)
        return offer

    def withdraw(self, offer: Offer | None) -> None:
        """The frame is drawn (or its update ended): no one trains the offer any more."""
        if offer is None:
            return
        with self._mutex:
            if offer in self._waiting:
                self._waiting.remove(offer)

    def train(self, offer: Offer) -> None:
        """Holding the training lock: train ``offer``, unless another session already did,
        together with every waiting offer of its shape not trained yet. The group's time
        budget is the sum of its offers' (each session would have spent its own)."""
        if offer.trained:
            return
        with self._mutex:
            group = [o for o in self._waiting if o.key == offer.key and not o.trained and o is not offer]
        group.insert(0, offer)
        for o in group:
            o.params_before = o.trainer.network.params.copy()
        reports = train_together(
            [o.trainer for o in group], [o.epochs for o in group], time_budget=sum(o.budget for o in group)
        )
        for o, report in zip(group, reports):
            o.report = report
        self.offers_trained += len(group)
        if len(group) > 1:
            self.groups_trained += 1


@st.cache_resource
def training_room() -> TrainingRoom:
    """The server's one room (see the module docstring)."""
    return TrainingRoom()
