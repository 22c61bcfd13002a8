"""Spelling variants of vocabulary values: a rule with ``values: {fold: true}`` reads
'Object Detection', 'object_detection', 'ObjectDetection' or ' Object-Detection ' as the known
value 'object-detection' (with a ``normalised`` finding), instead of passing on a value that no
vocabulary knows. Only values that fold to exactly one known value are changed."""
from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s_\-]+")


def fold_key(text: str) -> str:
    """Case, spaces, underscores and hyphens set aside ('huggingface' spells 'Hugging Face')."""
    return _SEPARATORS.sub("", text.lower())


def fold_table(rule, vocabulary: dict) -> dict:
    """Each known value -> itself, and each folded spelling ``(key,)`` -> the pivot value it reads
    as; built once at load from the rule's value table, its allowed values and the pivot field's
    known values (pivot.yaml ``values``)."""
    field = vocabulary.get("fields", {}).get(rule.pivot) if type(rule.pivot) is str else None
    known = list(field.get("values", ())) if type(field) is dict else []
    known += list(rule.write_map) + list(rule.read_map.values()) + sorted(rule.allowed or ())
    known = [v for v in known if type(v) is str]
    spelt: dict[str, set] = {}
    for v in known:
        spelt.setdefault(fold_key(v), set()).add(v)
    # a folded spelling is stored under the one-tuple (key,), apart from the known values themselves
    # ('A_B' folds to 'ab', which may be a known value of its own); where two known values fold
    # alike ('a-b', 'ab') neither is guessed from a variant
    table = {(key,): values.pop() for key, values in spelt.items() if len(values) == 1}
    table.update((v, v) for v in known)  # a known value itself: found without folding it (the usual case)
    for spelling, value in rule.read_map.items():  # an explicit reading wins over a known value
        if type(spelling) is str:
            table[(fold_key(spelling),)] = value
    return table


def folded(table: dict, value: str) -> str:
    """The known value *value* spells (itself when it spells none)."""
    found = table.get(value)
    return found if found is not None else table.get((fold_key(value),), value)
