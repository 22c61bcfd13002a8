"""Values a caller gives for required target fields (``translate(..., fill_values=...)``,
``--fill-values FILE``): one set for every document, or a list of sets, each chosen by a jmespath
condition on the source document (``when``), so that one run can give each model its own input
and output description."""
from __future__ import annotations

from typing import Any, Mapping

import jmespath.exceptions

from .errors import UnsupportedTarget
from .queries import Query, compile_query

__all__ = ["FillValues", "prepare"]


def _holds(result: Any) -> bool:
    """jmespath's truth: null, false, "" and empty arrays and objects are false (0 is true)."""
    return not (result is None or result is False or (type(result) in (str, list, dict) and not result))


class FillValues:
    """Checked fill values: ``[(condition or None, {field: value})]``, tried in order; for each
    field, the first set whose condition holds gives its value."""

    __slots__ = ("entries", "key")

    def __init__(self, entries: list[tuple[Query | None, dict]], key: tuple):
        self.entries = entries
        self.key = key  # (table name, version) the fields were checked for

    def for_document(self, doc: Any) -> dict | None:
        if len(self.entries) == 1 and self.entries[0][0] is None:  # one set for every document
            return self.entries[0][1] or None
        chosen: dict = {}
        for when, values in self.entries:
            if when is None or _holds(when.search(doc)):
                for name, value in values.items():
                    chosen.setdefault(name, value)
        return chosen or None


def prepare(values: Any, fillable: frozenset, name: str, version: str) -> FillValues:
    """*values* checked: a mapping of field names to values, or a list of ``{when, values}``
    objects. A field the target does not require, or a malformed entry, is refused."""
    if isinstance(values, FillValues):
        if values.key == (name, version):
            return values
        raise UnsupportedTarget(f"these fill values were checked for {values.key[0]} {values.key[1]}, "
                                f"not {name} {version}")
    if (isinstance(values, Mapping) and isinstance(values.get("values"), Mapping)
            and set(values) <= {"when", "values"}):
        raw = [values]  # one {when, values} entry on its own (no field is named 'values')
    elif isinstance(values, Mapping):
        raw = [{"values": values}]
    elif isinstance(values, (list, tuple)):
        raw = list(values)
    else:
        raise TypeError("fill_values must be a mapping of field names to values, or a list of "
                        f"{{'when': condition, 'values': mapping}} entries, not {type(values).__name__}")
    entries: list[tuple[Query | None, dict]] = []
    for index, entry in enumerate(raw):
        where = "" if isinstance(values, Mapping) else f"fill values entry {index}: "
        if not isinstance(entry, Mapping) or not isinstance(entry.get("values"), Mapping) \
                or set(entry) - {"when", "values"}:
            raise UnsupportedTarget(f"{where}give an object with 'values' (field names to values) and "
                                    "optionally 'when' (a jmespath condition on the source document)")
        given = dict(entry["values"])
        unknown = [field for field in given if field not in fillable]
        if unknown:
            known = ", ".join(sorted(fillable)) or "none"
            raise UnsupportedTarget(f"{where}{name} {version} requires no field {unknown[0]!r}, so no value "
                                    f"can be given for it (fields it requires: {known})")
        when = entry.get("when")
        if when is not None:
            if not isinstance(when, str):
                raise UnsupportedTarget(f"{where}'when' must be a jmespath expression (a string)")
            try:
                when = compile_query(when)
            except jmespath.exceptions.JMESPathError as exc:
                raise UnsupportedTarget(f"{where}'when' is not a valid jmespath expression: {exc}") from None
        entries.append((when, given))
    return FillValues(entries, (name, version))
