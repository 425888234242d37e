"""Bounded records of a run that grows without end: which entries to keep when full."""


def thinned(n: int, recent: int) -> list[int]:
    """Indices of ``n`` entries to keep: every second one of the older entries (the first
    always kept), and the ``recent`` newest one by one. Repeated as a record fills up, the
    older stretches of a long run are held ever more sparsely."""
    cut = n - recent
    return [*range(0, cut, 2), *range(cut, n)]
