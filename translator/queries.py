"""Queries and placeholders of mapping tables: jmespath expressions compiled once (plain field
paths skip the interpreter) and placeholder values whose ``{{ expr }}`` parts are evaluated on
the output document."""
from __future__ import annotations

from typing import Any

import jmespath
import orjson


def _field_path(node: dict) -> tuple | None:
    """The field names of a jmespath AST made only of field lookups (a.b."c:d"), else None."""
    if node["type"] == "field":
        return (node["value"],)
    if node["type"] == "subexpression":
        path: tuple = ()
        for child in node["children"]:
            sub = _field_path(child)
            if sub is None:
                return None
            path += sub
        return path
    return None


class Query:
    """A jmespath expression compiled once; plain field paths skip the interpreter."""

    __slots__ = ("expression", "_compiled", "_path")

    def __init__(self, expression: str):
        self.expression = expression
        self._compiled = jmespath.compile(expression)
        self._path = _field_path(self._compiled.parsed)

    def search(self, doc: Any) -> Any:
        path = self._path
        if path is None:
            return self._compiled.search(doc)
        for name in path:
            if type(doc) is not dict:
                return None
            doc = doc.get(name)
        return doc


def compile_placeholder(value: Any) -> Any:
    """Placeholders are literal JSON; a string written ``{{ expr }}`` is a jmespath expression
    evaluated on the output document when the placeholder is used."""
    if isinstance(value, str) and value.startswith("{{") and value.endswith("}}"):
        return _Expr(Query(value[2:-2].strip()))
    if isinstance(value, (dict, list)):
        compiled = ({k: compile_placeholder(v) for k, v in value.items()} if isinstance(value, dict)
                    else [compile_placeholder(v) for v in value])
        if not _has_expr(compiled):
            return _Static(value)
        return compiled
    return value


def _has_expr(value: Any) -> bool:
    if isinstance(value, (_Expr, _Static)):
        return isinstance(value, _Expr)
    if isinstance(value, dict):
        return any(_has_expr(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_expr(v) for v in value)
    return False


class _Static:
    """A constant JSON subtree, rebuilt fresh for every document (outputs never share it)."""

    __slots__ = ("raw",)

    def __init__(self, value: Any):
        self.raw = orjson.dumps(value)


class _Expr:
    __slots__ = ("expr",)

    def __init__(self, expr):
        self.expr = expr


def render_placeholder(value: Any, doc: dict) -> Any:
    kind = type(value)  # compiled placeholders hold only these exact types (YAML gives plain dicts and lists)
    if kind is _Static:
        return orjson.loads(value.raw)
    if kind is _Expr:
        return value.expr.search(doc)
    if kind is dict:
        return {k: render_placeholder(v, doc) for k, v in value.items()}
    if kind is list:
        return [render_placeholder(v, doc) for v in value]
    return value
