"""How often each live chart is rebuilt while playing: declared run state, not ad-hoc
attributes. Slow charts (a loss curve, weight matrices) change little from one frame to
the next, and each redraw costs the browser as much as a fast one; while playing they are
rebuilt every few frames and the last figure is sent again unchanged (the panel then
skips it). When paused, every chart is rebuilt, with hover.

On a busy server (many students playing, ui/live/loop.py) a page may rebuild its charts
less often still (``busy``): drawing is most of what a frame costs the server there."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

# Whether the live update being drawn runs on a busy server: set by the Play loop around
# an update's frames. A context variable: each session's script thread has its own.
_BUSY: ContextVar[bool] = ContextVar("busy_server", default=False)


@contextmanager
def busy_server(busy: bool) -> Iterator[None]:
    """Draw the frames inside on a busy server (``busy``) or not."""
    token = _BUSY.set(busy)
    try:
        yield
    finally:
        _BUSY.reset(token)


@dataclass(slots=True)
class Cadence:
    """``every[name]``: rebuild chart ``name`` every this many frames while playing;
    ``busy[name]``: every this many on a busy server (default: ``every[name]``)."""

    every: dict[str, int]
    busy: dict[str, int] = field(default_factory=dict)
    frame: int = -1
    figures: dict = field(default_factory=dict)

    def figures_now(self, build: Callable[[list[str]], dict], *, playing: bool) -> dict:
        """This frame's figures: ``build(names)`` makes the figures due (a dict by name);
        the others are the last ones built."""
        self.frame += 1
        every = self.every | self.busy if _BUSY.get() else self.every
        due = [
            name
            for name, period in every.items()
            if not playing or self.frame % period == 0 or name not in self.figures
        ]
        self.figures.update(build(due))
        return self.figures

    def forget(self, *names: str) -> None:
        """Rebuild these charts in the next frame (what they show changed beyond numbers)."""
        for name in names:
            self.figures.pop(name, None)


@dataclass(frozen=True)
class FrameWork:
    """What one frame of a live update may train: ``budget`` seconds at most, and
    ``seconds``, the time the frame stands for on screen (a page that trains at a pace of
    P epochs or steps per second trains P × seconds of them in the frame). ``trained``:
    the frame's training done already, together with other sessions' (a
    ``ui.live.together.Offer``: its ``report`` and ``params_before``), or None."""

    budget: float
    seconds: float
    trained: object = None
