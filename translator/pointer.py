"""RFC 6901 JSON pointers and small path helpers shared by the engine and the report."""
from __future__ import annotations

from typing import Any, Iterable


def escape(token: Any) -> str:
    token = str(token)
    if "~" in token or "/" in token:
        return token.replace("~", "~0").replace("/", "~1")
    return token


def unescape(token: str) -> str:
    if "~" in token:
        return token.replace("~1", "/").replace("~0", "~")
    return token


def join(path: Iterable[Any]) -> str:
    """('properties', 'mlm:tasks', 0) -> '/properties/mlm:tasks/0'."""
    if not path:
        return ""
    try:
        text = "/".join(path)
    except TypeError:  # integer indexes
        return "".join("/" + escape(p) for p in path)
    if "~" in text or text.count("/") != len(path) - 1:
        return "".join("/" + escape(p) for p in path)
    return "/" + text


def as_pointer(where: Any) -> str:
    """A pointer given as a string or as a path tuple."""
    return where if type(where) is str else join(where)


def split(pointer: str) -> tuple[str, ...]:
    if pointer == "":
        return ()
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return tuple(unescape(p) for p in pointer[1:].split("/"))


def covers(outer: str, inner: str) -> bool:
    """True when *inner* is *outer* or lies below it."""
    return inner == outer or inner.startswith(outer + "/") or outer == ""


_ABSENT = object()


def value_at(doc: Any, pointer: str | tuple, fallback: Any = None) -> Any:
    """The value at *pointer* (a string or a path tuple) in *doc*, or *fallback*."""
    node: Any = doc
    if not pointer:
        return node
    if type(pointer) is tuple:
        tokens = pointer
    elif "~" in pointer:
        tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]
    else:
        tokens = pointer[1:].split("/")
    for token in tokens:
        if type(node) is dict:
            node = node.get(str(token) if type(token) is int else token, _ABSENT)
            if node is _ABSENT:
                return fallback
        elif type(node) is list:
            if type(token) is not int:
                token = int(token) if token.isdigit() else -1
            if not 0 <= token < len(node):
                return fallback
            node = node[token]
        else:
            return fallback
    return node
