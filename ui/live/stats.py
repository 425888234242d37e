"""The stats line every live page shows above its pictures, built one way."""

import html
from typing import NamedTuple


class Stat(NamedTuple):
    """One value of the stats line. ``label`` is our own text (it may hold markup, such
    as a coloured dot); ``value`` is escaped; the value's element id is ``stat-<name>``
    (tests and benchmarks read the epoch from ``stat-epoch``)."""

    label: str
    value: str
    name: str


def stats_line(stats: list[Stat]) -> str:
    """The stats line's HTML, drawn by the live panel above its charts."""
    return "".join(
        f'<div class="stat"><div class="stat-label">{s.label}</div>'
        f'<div class="stat-value" id="stat-{html.escape(s.name)}">{html.escape(s.value)}</div></div>'
        for s in stats
    )


def divergence_message(when: str, reason: str) -> str:
    """The one message of every live page for a run that diverged: ``when`` is where
    (``"diverged at epoch 12"``), ``reason`` the engine's reason."""
    because = reason[0].upper() + reason[1:] if reason else ""
    detail = f" ({because}.)" if because else ""
    return f"Training {when}: lower the learning rate and press Reset.{detail}"
