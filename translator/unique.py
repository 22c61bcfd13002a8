"""A list that keeps each value once, with a membership test that stays cheap for long lists
(thousands of classes, bands or roles): a set holds the hashable values, and only the rare
unhashable one (an object where a name was expected) is looked for by scanning."""
from __future__ import annotations

from typing import Any, Iterable


class UniqueList:
    __slots__ = ("items", "_hashed")

    def __init__(self, values: Iterable[Any] = ()):
        self.items: list = []
        self._hashed: set = set()
        for value in values:
            self.add(value)

    def __contains__(self, value: Any) -> bool:
        try:
            return value in self._hashed  # == semantics, as list membership: 1, 1.0 and True are one
        except TypeError:
            return value in self.items

    def add(self, value: Any) -> bool:
        """Append *value* unless an equal one is there; True when it was appended."""
        if value in self:
            return False
        self.items.append(value)
        try:
            self._hashed.add(value)
        except TypeError:
            pass
        return True

    def __len__(self) -> int:
        return len(self.items)


def unique(values: list) -> list:
    """*values* without repeats, each first occurrence kept, in order. Short lists (the usual
    handful of roles or tasks) are checked by scanning, which costs less than building a set."""
    if len(values) <= 16:
        out: list = []
        for value in values:
            if value not in out:
                out.append(value)
        return out
    return UniqueList(values).items


class FreeKeys:
    """Keys not yet used in *mapping*: *key* itself, else *key*-2, *key*-3, ... Remembers where
    each search ended, so adding thousands of assets under one name stays linear; the caller
    adds each returned key to the mapping before asking again."""

    __slots__ = ("mapping", "_next")

    def __init__(self, mapping: dict):
        self.mapping = mapping
        self._next: dict[str, int] = {}

    def __call__(self, key: str) -> str:
        if key not in self.mapping:
            return key
        n = self._next.get(key, 2)
        while f"{key}-{n}" in self.mapping:
            n += 1
        self._next[key] = n + 1
        return f"{key}-{n}"
