"""Spelling variants of vocabulary values: a rule with ``values: {fold: true}`` reads
'Object Detection', 'object_detection' or ' Object-Detection ' as the known value
'object-detection' (with a ``normalised`` finding), instead of passing on a value that no
vocabulary knows. Only values that fold to a known one are changed."""
from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s_\-]+")


def fold_key(text: str) -> str:
    """Case, surrounding blanks, and runs of spaces, underscores and hyphens set aside."""
    return _SEPARATORS.sub("-", text.strip().lower())


def fold_table(rule, vocabulary: dict) -> dict[str, str]:
    """Folded spelling -> the pivot value it reads as, built once at load from the rule's value
    table, its allowed values and the pivot field's known values (pivot.yaml ``values``)."""
    field = vocabulary.get("fields", {}).get(rule.pivot) if type(rule.pivot) is str else None
    known = list(field.get("values", ())) if type(field) is dict else []
    known += list(rule.write_map) + list(rule.read_map.values()) + sorted(rule.allowed or ())
    known = [v for v in known if type(v) is str]
    table = {v: v for v in known}  # a known value itself: found without folding it (the usual case)
    table.update((fold_key(v), v) for v in known)
    for spelling, value in rule.read_map.items():  # an explicit reading wins over a known value
        if type(spelling) is str:
            table[fold_key(spelling)] = value
    return table


def folded(table: dict[str, str], value: str) -> str:
    """The known value *value* spells (itself when it spells none)."""
    found = table.get(value)
    return found if found is not None else table.get(fold_key(value), value)
