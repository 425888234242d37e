"""How often each live chart is rebuilt while playing: declared run state, not ad-hoc
attributes. Slow charts (a loss curve, weight matrices) change little from one frame to
the next, and each redraw costs the browser as much as a fast one; while playing they are
rebuilt every few frames and the last figure is sent again unchanged (the panel then
skips it). When paused, every chart is rebuilt, with hover."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(slots=True)
class Cadence:
    """``every[name]``: rebuild chart ``name`` every this many frames while playing."""

    every: dict[str, int]
    frame: int = -1
    figures: dict = field(default_factory=dict)

    def figures_now(self, build: Callable[[list[str]], dict], *, playing: bool) -> dict:
        """This frame's figures: ``build(names)`` makes the figures due (a dict by name);
        the others are the last ones built."""
        self.frame += 1
        due = [
            name
            for name, every in self.every.items()
            if not playing or self.frame % every == 0 or name not in self.figures
        ]
        self.figures.update(build(due))
        return self.figures

    def forget(self, *names: str) -> None:
        """Rebuild these charts in the next frame (what they show changed beyond numbers)."""
        for name in names:
            self.figures.pop(name, None)
