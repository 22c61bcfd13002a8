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
