"""Values worked out once per role and kept between renders while what they came from stays."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TypeVar

V = TypeVar("V")

PerRole = dict[str, tuple[object, V]]
"""By role id: what a value was worked out from, and the value."""


def kept_or_made(cache: PerRole[V], ident: str, inputs: object, make: Callable[[], V]) -> V:
    """The value kept for role ``ident`` when it came from equal ``inputs``, else ``make()``."""
    entry = cache.get(ident)
    if entry is not None and entry[0] == inputs:
        return entry[1]
    value = make()
    cache[ident] = (inputs, value)
    return value


def forget_others(cache: PerRole[V], idents: Collection[str]) -> None:
    """Drop what is kept for roles not among ``idents``."""
    if len(cache) > len(idents):
        for ident in cache.keys() - idents:
            del cache[ident]
