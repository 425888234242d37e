"""A page's configuration in a link's query string, and back. Pure: no Streamlit.

The page's schema (``ui.live.schema.Schema``, declared in its ``config.py``) drives both
directions, as TensorFlow Playground's ``state.ts`` does: every field is one parameter
named after it, written only when it differs from its default, so
``?dataset=xor&hidden=8,8&learning_rate=0.1`` is a whole setup. Values by kind:

    choice  dataset=xor          int   n_samples=200        float  learning_rate=0.03
    bool    show_test=1 (or 0)   keys  features=x1,x2,x1x2  layers hidden=8,8 (none: no hidden layer)
    text    formula=sin(3*x)

Two more kinds of parameter shape the page rather than the run: ``<field>_hide=1`` hides
that field's control (the link's value still applies), and ``present=1`` opens the page
in presentation mode. Two more every page reads: ``theme=`` (light, dark, projector) and
``palette=`` (default, colorblind), the session's look (``ui.live.theme``).

Reading never raises: a parameter that cannot be used is ignored, a number outside its
limits is clamped (the limits are the widgets', declared once in the schema), and each
such case adds one short notice naming the parameter. Values over ``MAX_VALUE_CHARS``
characters (a text field's own limit when it is longer), names over ``MAX_NAME_CHARS``
and parameters after the first ``MAX_PARAMS`` are ignored without being read.
"""

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from ui.charts import colors
from ui.live.schema import Schema

MAX_PARAMS = 64
MAX_VALUE_CHARS = 200
MAX_NAME_CHARS = 64
HIDE_SUFFIX = "_hide"
PRESENT = "present"
THEME, PALETTE = "theme", "palette"
THEMES, PALETTES = colors.THEMES, colors.PALETTES  # the first of each is the default
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


@dataclass(frozen=True)
class Link:
    """What a link asks for: the configuration, the fields whose controls it hides,
    presentation mode, and one notice per parameter it could not use as given."""

    config: dict
    hidden: frozenset[str] = frozenset()
    present: bool = False
    notices: tuple[str, ...] = field(default_factory=tuple)
    theme: str | None = None  # None: the link does not name one
    palette: str | None = None


# ---- writing -----------------------------------------------------------------------------


def format_value(schema: Schema, name: str, value: Any) -> str:
    """One field's value as it appears in a link (the inverse of ``parse_value``)."""
    kind = schema[name].kind
    if kind == "bool":
        return "1" if value else "0"
    if kind == "int":
        return str(int(value))
    if kind == "float":
        text = repr(float(value))  # the shortest text that reads back to the same float
        return text[:-2] if text.endswith(".0") else text
    if kind == "keys":
        return ",".join(schema.normal(name, value))
    if kind == "layers":
        return ",".join(str(int(n)) for n in value) if value else "none"
    return str(value)


def encode(
    schema: Schema,
    config: Mapping[str, Any],
    hidden: Iterable[str] = (),
    present: bool = False,
    theme: str = THEMES[0],
    palette: str = PALETTES[0],
) -> dict[str, str]:
    """The query parameters for ``config``: the fields that differ from where ``decode``
    starts (the defaults; in presentation mode, the lecture values over them) in schema
    order, then the hidden controls, then ``present``, ``theme`` and ``palette`` (when not
    the default)."""
    start = {**schema.defaults(), **(schema.lecture if present else {})}  # what decode starts from
    params = {
        f.name: format_value(schema, f.name, config[f.name])
        for f in schema
        if f.name in config and schema.normal(f.name, config[f.name]) != schema.normal(f.name, start[f.name])
    }
    hidden = set(hidden)
    params.update({f.name + HIDE_SUFFIX: "1" for f in schema if f.name in hidden})
    if present:
        params[PRESENT] = "1"
    if theme != THEMES[0]:
        params[THEME] = theme
    if palette != PALETTES[0]:
        params[PALETTE] = palette
    return params


def query_string(params: Mapping[str, str]) -> str:
    """``params`` as a query string (commas kept readable): ``dataset=xor&hidden=8,8``."""
    return urlencode(params, safe=",")


# ---- reading -----------------------------------------------------------------------------


def quote(text: Any, limit: int = 30) -> str:
    """``text`` safe to show in a Markdown notice: a code span of harmless characters,
    cut to ``limit`` characters (links, images and HTML in a link never render)."""
    text = re.sub(r"[^A-Za-z0-9_.,:+\- ]", "?", str(text))
    return f"`{text[:limit]}{'…' if len(text) > limit else ''}`"


def _number(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{quote(text)} is not a finite number")
    return number


def _limits(schema: Schema, name: str) -> str:
    f = schema[name]
    return " to ".join(str(int(x)) if float(x).is_integer() else repr(float(x)) for x in (f.low, f.high))


def parse_value(schema: Schema, name: str, raw: Any) -> tuple[Any, str | None]:
    """(value, note) for field ``name`` from a link's text (or a JSON file's value).

    ``note`` says what was changed to make the value valid (clamped, rounded, trimmed),
    None when it was used as given. Raises ValueError (the reason) when it cannot be used.
    """
    f = schema[name]
    text = _as_text(raw)
    if f.kind == "choice":
        key = text.strip().lower()
        if key not in f.choices:
            raise ValueError(f"{quote(text)} is not one of its choices")
        return key, None
    if f.kind == "bool":
        word = text.strip().lower()
        if word not in TRUE + FALSE:
            raise ValueError(f"{quote(text)} is not 1 or 0")
        return word in TRUE, None
    if f.kind in ("int", "float"):
        try:
            number = _number(text)
        except ValueError:
            raise ValueError(f"{quote(text)} is not a number") from None
        value = schema.coerce(name, number)
        used = format_value(schema, name, value)
        if not f.low <= number <= f.high:
            return value, f"{quote(text)} is outside {_limits(schema, name)}, used {used}"
        if number == value:
            return value, None
        if f.values:
            return value, f"{quote(text)} is not one of the offered values, used the nearest, {used}"
        return value, f"{quote(text)} is not a whole number, used {used}"
    if f.kind == "keys":
        keys = [k.strip().lower() for k in text.split(",") if k.strip()]
        unknown = [k for k in keys if k not in f.choices]
        value = tuple(k for k in f.choices if k in keys)
        if not value:
            raise ValueError(f"{quote(text)} names none of {', '.join(f.choices)}")
        return value, (f"unknown {quote(','.join(unknown))} left out" if unknown else None)
    if f.kind == "text":
        if len(text) > f.high:
            raise ValueError(f"longer than {int(f.high)} characters")
        return (f.check(text) if f.check is not None else text), None
    return _parse_layers(schema, name, text)


def _parse_layers(schema: Schema, name: str, text: str) -> tuple[tuple[int, ...], str | None]:
    f = schema[name]
    if text.strip().lower() in ("", "none"):
        return (), None
    try:
        sizes = [_number(part) for part in text.split(",")]
    except ValueError:
        raise ValueError(f"{quote(text)} is not neuron counts like 4,2 (or none)") from None
    if any(n != round(n) for n in sizes):
        raise ValueError(f"{quote(text)} is not whole neuron counts")
    value = schema.coerce(name, [int(n) for n in sizes])
    notes = []
    if len(sizes) > f.max_items:
        notes.append(f"only the first {f.max_items} layers kept")
    if any(not f.low <= n <= f.high for n in sizes[: f.max_items]):
        notes.append(f"neurons per layer clamped to {_limits(schema, name)}")
    return value, ("; ".join(notes) or None)


def _as_text(raw: Any) -> str:
    """A JSON value as the text a link would carry (lists joined by commas)."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return "1" if raw else "0"
    if isinstance(raw, int | float):
        return repr(raw)
    if isinstance(raw, list | tuple) and all(isinstance(x, str | int | float) for x in raw):
        return ",".join(_as_text(x) for x in raw)
    raise ValueError(f"{quote(type(raw).__name__)} is not a value this field takes")


def read_fields(
    schema: Schema, items: Iterable[tuple[str, Any]], notices: list[str], *, base: Mapping | None = None
) -> dict:
    """The configuration from (name, value) pairs of known fields, starting from ``base``
    (the defaults); unusable values are skipped and every change is noted in ``notices``.
    The schema's agreement rule then makes the fields agree (on the Playground: the
    dataset and the problem type, as the sidebar keeps them)."""
    config = dict(schema.defaults() if base is None else base)
    given = set()
    for name, raw in items:
        try:
            value, note = parse_value(schema, name, raw)
        except ValueError as reason:
            notices.append(f"{quote(name)}: {reason}, ignored")
            continue
        if note:
            notices.append(f"{quote(name)}: {note}")
        config[name] = value
        given.add(name)
    if schema.agree is not None:
        schema.agree(config, given, notices)
    return config


def _value_limit(schema: Schema, name: str) -> int:
    """The most characters a parameter's value may have: ``MAX_VALUE_CHARS``, or a text
    field's own limit when it is longer (a lecture deck in a link)."""
    if name in schema and schema[name].kind == "text" and schema[name].high:
        return max(MAX_VALUE_CHARS, int(schema[name].high))
    return MAX_VALUE_CHARS


def decode(schema: Schema, params: Mapping[str, Any]) -> Link:
    """The ``Link`` in query parameters (``{name: value or [values]}``). Never raises."""
    notices: list[str] = []
    items = list(params.items())
    if len(items) > MAX_PARAMS:
        notices.append(f"{len(items) - MAX_PARAMS} parameters after the first {MAX_PARAMS} ignored")
        items = items[:MAX_PARAMS]
    fields, hidden, present = [], set(), False
    look = {THEME: None, PALETTE: None}
    for name, raw in items:
        name = str(name)
        if isinstance(raw, list | tuple):
            if not raw:
                continue
            if len(raw) > 1:
                notices.append(f"{quote(name)}: given {len(raw)} times, the last one used")
            raw = raw[-1]
        raw = str(raw)
        if len(name) > MAX_NAME_CHARS:
            notices.append(f"a parameter named {quote(name)} ignored (name too long)")
        elif len(raw) > (limit := _value_limit(schema, name)):
            notices.append(f"{quote(name)}: value over {limit:,} characters, ignored")
        elif name in schema:
            fields.append((name, raw))
        elif name in look:
            word, allowed = raw.strip().lower(), THEMES if name == THEME else PALETTES
            if word in allowed:
                look[name] = word
            else:
                notices.append(f"{quote(name)}: {quote(raw)} is not one of {', '.join(allowed)}, ignored")
        elif name == PRESENT or (name.endswith(HIDE_SUFFIX) and name[: -len(HIDE_SUFFIX)] in schema):
            word = raw.strip().lower()
            if word not in TRUE + FALSE:
                notices.append(f"{quote(name)}: {quote(raw)} is not 1 or 0, ignored")
            elif name == PRESENT:
                present = word in TRUE
            elif word in TRUE:
                hidden.add(name[: -len(HIDE_SUFFIX)])
        else:
            notices.append(f"{quote(name)} is not a setting, ignored")
    config = read_fields(schema, fields, notices)
    if present:  # presentation mode starts at the schema's lecture values, unless the link says
        given = {name for name, _ in fields}
        config.update({name: value for name, value in schema.lecture.items() if name not in given})
    return Link(config, frozenset(hidden), present, tuple(notices), look[THEME], look[PALETTE])


def summary(notices: Iterable[str], limit: int = 8) -> str:
    """One Markdown sentence naming what a link's parameters lost (at most ``limit``)."""
    notices = list(notices)
    shown = "; ".join(notices[:limit])
    more = f"; and {len(notices) - limit} more" if len(notices) > limit else ""
    return f"Some of the link's settings were not used as given: {shown}{more}."
