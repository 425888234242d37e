"""Lookup of string keys in the engine's registries, with errors that list the valid keys."""

from collections.abc import Mapping
from typing import TypeVar

T = TypeVar("T")


def lookup(registry: Mapping[str, T], key: str, what: str) -> T:
    """Return ``registry[key]``; an unknown key raises ValueError naming every valid key.

    ``what`` names the kind of thing (``"activation"``, ``"loss"``...) for the message.
    """
    try:
        return registry[key]
    except (KeyError, TypeError):
        valid = ", ".join(sorted(registry))
        raise ValueError(f"unknown {what} {key!r}; valid: {valid}") from None
