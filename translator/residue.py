"""Residue: the complement that makes ``A -> B -> A`` exact.

The residue is the strict difference between the source document and its plain
back-translation, as a list of ``{"op": "set"|"remove", "pointer", "value"}``
patches. Applying it copies every container it touches, so documents shared with
the caller are never modified.
"""
from __future__ import annotations

from typing import Any

from .pointer import escape, split

_ABSENT = object()


def same(a: Any, b: Any) -> bool:
    """Equality that also tells 1 from 1.0 from True (JSON-level identity). Iterative: documents
    nested deeper than the interpreter's recursion limit are compared too."""
    pending = [(a, b)]
    while pending:
        a, b = pending.pop()
        ta = type(a)
        if ta is not type(b):
            return False
        if ta is dict:
            if list(a) != list(b):  # key order counts: a restored document is exact, order included
                return False
            pending.extend((v, b[k]) for k, v in a.items())
        elif ta is list:
            if len(a) != len(b):
                return False
            pending.extend(zip(a, b))
        elif not (a == b or (a != a and b != b)):  # NaN equals NaN here
            return False
    return True


def diff(original: Any, produced: Any, pointer: str = "") -> list[dict]:
    # an object with keys that are not strings (read from YAML: {0: name}) is set as a whole, as a
    # pointer cannot tell the key 0 from the key "0"
    if type(original) is dict and type(produced) is dict and all(type(k) is str for k in original):
        patches: list[dict] = []
        for key, value in original.items():
            sub = pointer + "/" + escape(key)
            if key not in produced:
                patches.append({"op": "set", "pointer": sub, "value": value})
            elif not same(value, produced[key]):
                patches.extend(diff(value, produced[key], sub))
        for key in produced:
            if key not in original:
                patches.append({"op": "remove", "pointer": pointer + "/" + escape(key)})
        if list(original) != [k for k in produced if k in original]:
            # same content but another key order: restore the order too
            patches.append({"op": "order", "pointer": pointer, "value": list(original)})
        return patches
    if type(original) is list and type(produced) is list and len(original) == len(produced):
        # same length: patch the elements that differ, so unchanged neighbours stay out of the residue
        patches = []
        for i, (a, b) in enumerate(zip(original, produced)):
            if not same(a, b):
                patches.extend(diff(a, b, f"{pointer}/{i}"))
        return patches
    if same(original, produced):
        return []
    return [{"op": "set", "pointer": pointer, "value": original}]


def apply(doc: dict, patches: list[dict]) -> dict:
    """Return *doc* with the patches applied; containers on the way are copied once. A patch
    that does not fit the document (a residue read from a damaged or foreign report) raises
    DocumentError naming it."""
    if not patches:
        return doc
    try:
        return _apply(doc, patches)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError) as exc:
        from .errors import DocumentError
        raise DocumentError(f"the restore report's residue does not fit this document ({type(exc).__name__}: "
                            f"{exc}); was it written for another document?") from None


def _apply(doc: dict, patches: list[dict]) -> dict:
    copied: set[int] = set()
    root = {"": doc}

    def own(parent: Any, key: Any) -> Any:
        child = parent[key]
        if id(child) not in copied and isinstance(child, (dict, list)):
            child = dict(child) if isinstance(child, dict) else list(child)
            parent[key] = child
            copied.add(id(child))
        return child

    copied.add(id(root))
    for patch in patches:
        path = ("",) + split(patch["pointer"])
        parent: Any = root
        for token in path[:-1]:
            if isinstance(parent, list):
                token = int(token)
            elif token not in parent or not isinstance(parent[token], (dict, list)):
                parent[token] = {}
            parent = own(parent, token)
        last: Any = path[-1]
        if isinstance(parent, list):
            last = int(last)
        op = patch["op"]
        if op == "set":
            if isinstance(parent, list) and last == len(parent):
                parent.append(patch["value"])
            else:
                parent[last] = patch["value"]
        elif op == "remove":
            if isinstance(parent, dict):
                parent.pop(last, None)
        elif op == "order":
            target = own(parent, last) if path != ("",) else root[""]
            if isinstance(target, dict):
                ordered = {k: target[k] for k in patch["value"] if k in target}
                ordered.update((k, v) for k, v in target.items() if k not in ordered)
                target.clear()
                target.update(ordered)
    return root[""]
