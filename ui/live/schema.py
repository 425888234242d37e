"""A page's settings as a schema: one ``Field`` per setting declares its default, its kind
and limits, its label, and whether changing it restarts training. Pure: no Streamlit.

Every page declares its ``Schema`` once, in its ``config.py``; the widgets are seeded from
it, the URL is written and read from it (``ui.live.link``), imports are checked against
it, and a change of a field that ``resets`` builds a new run. The configuration itself
is a plain dict ``{field name: value}``: serializable, the same in a link and a file.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

KINDS = ("choice", "int", "float", "bool", "keys", "layers", "text")


@dataclass(frozen=True)
class Field:
    """One setting.

    ``kind`` is one of: ``choice`` (one of ``choices``), ``int`` and ``float`` (clamped
    to ``low``..``high``; ``values``, when given, is the list offered, and other numbers
    snap to the nearest), ``bool``, ``keys`` (a non-empty subset of ``choices``, kept in
    their order), ``layers`` (up to ``max_items`` whole numbers, each within
    ``low``..``high``), ``text`` (at most ``high`` characters, put in form by ``check`` when given)."""

    name: str
    default: Any
    kind: str
    choices: tuple = ()
    low: float | None = None
    high: float | None = None
    resets: bool = True
    label: str = ""
    step: float | None = None  # the widget's step (URL values off the step are kept)
    values: tuple = ()
    max_items: int = 0  # layers: how many at most
    # text: puts the text in its lasting form, or raises ValueError with a sentence for the user
    check: Callable[[str], str] | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.name}: unknown kind {self.kind!r}; one of {', '.join(KINDS)}")


# A rule that makes fields agree with each other after a link or a file set some of them:
# (config, names given, notices) -> None, changing ``config`` in place and saying why.
Agreement = Callable[[dict, set, list], None]


class Schema:
    """A page's fields, in the order its controls show them."""

    __slots__ = ("_by_name", "agree", "fields", "lecture")

    def __init__(
        self, fields: Iterable[Field], agree: Agreement | None = None, lecture: dict[str, Any] | None = None
    ) -> None:
        """``agree`` makes fields agree after a link or file set some (see ``Agreement``);
        ``lecture`` are the values presentation mode starts with where its link is silent
        (a pace a class can follow, say)."""
        self.fields: tuple[Field, ...] = tuple(fields)
        self._by_name = {f.name: f for f in self.fields}
        self.agree = agree
        self.lecture = dict(lecture or {})

    def __getitem__(self, name: str) -> Field:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __iter__(self):
        return iter(self.fields)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def defaults(self) -> dict[str, Any]:
        """A fresh configuration with every field at its default."""
        return {f.name: f.default for f in self.fields}

    def live_fields(self) -> frozenset[str]:
        """Fields whose change keeps training (no new run)."""
        return frozenset(f.name for f in self.fields if not f.resets)

    def reset_needed(self, old: dict, new: dict) -> list[str]:
        """Labels of the fields whose change means a new run (empty: keep training)."""
        return [f.label for f in self.fields if f.resets and old.get(f.name) != new.get(f.name)]

    def normal(self, name: str, value: Any) -> Any:
        """``value`` in a comparable form: sequences as tuples, keys in the schema's order."""
        f = self[name]
        if f.kind == "keys":
            return tuple(k for k in f.choices if k in set(value))
        return tuple(value) if f.kind == "layers" else value

    def coerce(self, name: str, value: Any) -> Any:
        """``value`` made valid for field ``name``: numbers clamped to the limits, lists
        trimmed to what is allowed. Raises ValueError for what cannot be read at all."""
        f = self[name]
        if f.kind == "choice":
            if value not in f.choices:
                raise ValueError(f"{name}: {value!r} is not one of {', '.join(map(str, f.choices))}")
            return value
        if f.kind == "bool":
            if isinstance(value, str):
                if value.lower() not in ("true", "false", "1", "0"):
                    raise ValueError(f"{name}: {value!r} is not true or false")
                return value.lower() in ("true", "1")
            return bool(value)
        if f.kind in ("int", "float"):
            number = float(value)
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError(f"{name}: {value!r} is not a finite number")
            number = min(max(number, f.low), f.high)
            if f.values:
                return min(f.values, key=lambda v: abs(v - number))
            return round(number) if f.kind == "int" else number
        if f.kind == "keys":
            keys = tuple(k for k in f.choices if k in set(value))  # schema order, unknown keys dropped
            if not keys:
                raise ValueError(f"{name}: choose at least one of {', '.join(f.choices)}")
            return keys
        if f.kind == "layers":
            sizes = [min(max(int(n), int(f.low)), int(f.high)) for n in value]
            return tuple(sizes[: f.max_items])
        text = str(value)  # "text"
        if len(text) > f.high:
            raise ValueError(f"{name}: longer than {int(f.high)} characters")
        return f.check(text) if f.check is not None else text
