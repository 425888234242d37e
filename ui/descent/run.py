"""One session's Gradient descent page: the worked example (one weight, by hand) and the
optimizers' race on a neuron's (w, b) loss surface, built from the config and stepped.
Pure: no Streamlit."""

import math
from dataclasses import dataclass, field

import numpy as np

from engine.gradient_descent import (
    EXAMPLE_TARGET,
    EXAMPLE_W0,
    EXAMPLE_X,
    RACE_OPTIMIZERS,
    SURFACES,
    DescentStep,
    NeuronSurface,
    OptimizerRace,
    descent_step,
    error_factor,
)
from ui.live.stats import divergence_message

ANSWER = EXAMPLE_TARGET / EXAMPLE_X  # the weight that makes the prediction right: 3
MAX_STEPS = 100  # rows of the worked example at most
FAR = 1e3  # |w − 3| above this counts as diverged (and Play stops)
TOLERANCE = 5e-5  # |w − 3| below this counts as converged: w shows as 3.0000
MAX_RACE_STEPS = 400
ESCAPE_REACH = 10  # a race's path has diverged once |w| or |b| is this many times as far out as the map
MAX_FPS = 20  # the race's frames per second at most; faster speeds take several steps per frame


def frame_plan(steps_per_second: float) -> tuple[float, int]:
    """(seconds between frames, steps per frame) for a speed in steps per second: at most
    MAX_FPS frames a second, and exactly the speed asked for."""
    steps = max(1, math.ceil(steps_per_second / MAX_FPS - 1e-9))
    return steps / steps_per_second, steps


# ---- one weight ------------------------------------------------------------------------------


@dataclass(slots=True)
class Example:
    """The worked example at one learning rate: the steps taken so far, as table rows."""

    learning_rate: float
    rows: list[DescentStep] = field(default_factory=list)

    @property
    def weight(self) -> float:
        """The weight now (w = 5 before the first step)."""
        return self.rows[-1].new_w if self.rows else EXAMPLE_W0

    def weights(self) -> list[float]:
        """Every weight so far, the start first (finite ones only)."""
        return [w for w in (EXAMPLE_W0, *(r.new_w for r in self.rows)) if np.isfinite(w)]

    def outcome(self) -> str | None:
        """``converged``, ``diverged``, ``limit`` (MAX_STEPS taken) or None (go on)."""
        if not self.rows:
            return None
        error = abs(self.weight - ANSWER)
        if error < TOLERANCE:
            return "converged"
        if not np.isfinite(error) or error > FAR:
            return "diverged"
        return "limit" if len(self.rows) >= MAX_STEPS else None

    def step(self) -> bool:
        """One step unless the example has ended; True when it has ended (Play stops)."""
        if self.outcome() is None:
            self.rows.append(descent_step(self.weight, self.learning_rate, len(self.rows) + 1))
        return self.outcome() is not None

    def divergence(self) -> str | None:
        """The page's divergence message once the example diverged, else None."""
        if self.outcome() != "diverged":
            return None
        return divergence_message(
            f"diverged after {len(self.rows)} steps",
            f"every step multiplied the error w − {ANSWER:g} by {error_factor(self.learning_rate):+.2f}; "
            f"w is now {self.weight:.4g}, ever farther from {ANSWER:g}",
        )


# ---- the optimizer race ----------------------------------------------------------------------


def escape_bound(neuron: NeuronSurface) -> float:
    """|w| or |b| past which a race's path has diverged: ESCAPE_REACH times as far out as
    the drawn map reaches (far beyond where any optimizer that converges goes, at any of
    the page's rates, from any start on the map)."""
    return ESCAPE_REACH * max(abs(v) for v in (*neuron.w_range, *neuron.b_range))


@dataclass(slots=True)
class Race:
    """The optimizers stepping together down surface ``surface`` from ``start`` (None: the
    surface's own start) at ``learning_rate``."""

    surface: str
    learning_rate: float
    start: tuple[float, float] | None
    optimizers: OptimizerRace
    owed: float = 0.0  # steps the time played so far stands for, not taken yet (a fraction)

    def diverged(self) -> list[str]:
        """The optimizers whose paths diverged (and stopped), in the race's order."""
        return [name for name, step in self.optimizers.diverged.items() if step is not None]

    def outcome(self) -> str | None:
        """``diverged`` (every optimizer did), ``limit`` (MAX_RACE_STEPS taken) or None (go on)."""
        if len(self.diverged()) == len(self.optimizers.names):
            return "diverged"
        return "limit" if self.optimizers.steps >= MAX_RACE_STEPS else None

    @property
    def ended(self) -> bool:
        return self.outcome() is not None

    def step(self, n: int = 1) -> bool:
        """Up to ``n`` steps of every optimizer, never past MAX_RACE_STEPS nor once all have
        diverged; True when the race has ended (Play stops)."""
        if not self.ended:
            self.optimizers.step(max(0, min(n, MAX_RACE_STEPS - self.optimizers.steps)))
        return self.ended

    def play(self, steps_per_second: float, seconds: float) -> bool:
        """The steps a frame standing for ``seconds`` on screen takes at
        ``steps_per_second``: ``frame_plan``'s steps at its pace, more when a busy server
        sends frames further apart; the fraction of a step left over is carried to the next
        frame, so the race keeps exactly the speed asked for. True when the race has ended."""
        self.owed += steps_per_second * seconds
        steps = int(self.owed + 1e-9)  # 0.1 s at 10 steps/s is one step, not 0.999...
        self.owed -= steps
        return self.step(steps)

    def divergence(self) -> str | None:
        """The page's divergence message naming every optimizer that diverged, else None."""
        diverged = [(n, s) for n, s in self.optimizers.diverged.items() if s is not None]
        if not diverged:
            return None
        which = " and ".join(f"{name} (step {step})" for name, step in diverged)
        bound = self.optimizers.escape
        return divergence_message(
            f"diverged for {which}",
            f"a path stops before |w| or |b| passes {bound:g}, {ESCAPE_REACH} times the map's farthest edge",
        )


def new_race(surface: str, learning_rate: float, start: tuple[float, float] | None = None) -> Race:
    """A race from ``start`` (None: the surface's own start), nothing stepped yet."""
    neuron = SURFACES[surface]()
    optimizers = OptimizerRace(neuron, start or neuron.start, learning_rate, RACE_OPTIMIZERS, escape_bound(neuron))
    return Race(surface, learning_rate, start, optimizers)


def restart(race: Race) -> Race:
    """The same race from its start again (Reset)."""
    return new_race(race.surface, race.learning_rate, race.start)


def start_at(race: Race, w: float, b: float) -> Race | None:
    """The race from a clicked point (w, b), or None when it lies off the drawn surface."""
    neuron = race.optimizers.surface
    if not (neuron.w_range[0] <= w <= neuron.w_range[1] and neuron.b_range[0] <= b <= neuron.b_range[1]):
        return None
    return new_race(race.surface, race.learning_rate, (round(w, 3), round(b, 3)))


# ---- the page's run --------------------------------------------------------------------------


@dataclass(slots=True)
class DescentRun:
    """Everything the page steps and draws in one session."""

    example: Example
    race: Race


def build_run(config: dict) -> DescentRun:
    return DescentRun(Example(config["learning_rate"]), new_race(config["race_surface"], config["race_learning_rate"]))


def sync(run: DescentRun, config: dict) -> None:
    """Keep the run in step with the config: a new learning rate starts the example again
    from w = 5; a new surface or rate starts the race again (from the same clicked start
    on the same surface; a start on one surface means nothing on another)."""
    if run.example.learning_rate != config["learning_rate"]:
        run.example = Example(config["learning_rate"])
    race = run.race
    if race.surface != config["race_surface"]:
        run.race = new_race(config["race_surface"], config["race_learning_rate"])
    elif race.learning_rate != config["race_learning_rate"]:
        run.race = new_race(race.surface, config["race_learning_rate"], race.start)
