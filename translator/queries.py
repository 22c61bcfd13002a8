"""Queries and placeholders of mapping tables: jmespath expressions compiled once (plain field
paths skip the interpreter) and placeholder values whose ``{{ expr }}`` parts are evaluated on
the output document.

A query is checked whole when compiled: its syntax, and the name and number of arguments of
every function it calls (jmespath itself finds those only when it meets the call, document by
document). What is left for run time is a value of the wrong type (``length()`` of a number): the
query then gives null, as for a field the document does not have, so a condition does not hold."""
from __future__ import annotations

from typing import Any

import jmespath
import jmespath.exceptions
import jmespath.functions
import orjson

_FUNCTIONS = jmespath.functions.Functions().FUNCTION_TABLE


class QueryError(jmespath.exceptions.JMESPathError):
    """A jmespath expression that cannot run on any document (its text is kept in ``expression``)."""

    def __init__(self, expression: str, message: str):
        super().__init__(message)
        self.expression = expression


def _check_calls(node: dict, expression: str) -> None:
    """Every function the expression calls exists and gets a number of arguments it takes."""
    for child in node.get("children", ()):
        if type(child) is dict:
            _check_calls(child, expression)
    if node.get("type") != "function_expression":
        return
    name, given = node["value"], len(node["children"])
    known = _FUNCTIONS.get(name)
    if known is None:
        raise QueryError(expression, f"unknown function {name}()")
    signature = known["signature"]
    variadic = bool(signature) and signature[-1].get("variadic", False)
    if given < len(signature) or (given > len(signature) and not variadic):
        wanted = f"at least {len(signature)}" if variadic else str(len(signature))
        raise QueryError(expression, f"{name}() takes {wanted} argument(s), not {given}")


def compile_query(expression: str) -> "Query":
    """*expression* compiled and checked; a fault is a QueryError with one line saying what."""
    try:
        return Query(expression)
    except QueryError:
        raise
    except jmespath.exceptions.JMESPathError as exc:
        raise QueryError(expression, _syntax_fault(exc)) from None


def _syntax_fault(exc: Exception) -> str:
    """jmespath's account of a syntax error on one line (its own spans three, with a caret)."""
    if isinstance(exc, jmespath.exceptions.EmptyExpressionError):
        return "empty expression"
    if isinstance(exc, jmespath.exceptions.IncompleteExpressionError):
        return "the expression ends too early"
    what = getattr(exc, "message", None) or getattr(exc, "msg", None) or str(exc).split("\n")[0]
    column = getattr(exc, "lex_position", None)
    return f"{what} at column {column + 1}" if isinstance(column, int) else what


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
        _check_calls(self._compiled.parsed, expression)
        self._path = _field_path(self._compiled.parsed)

    def search(self, doc: Any) -> Any:
        path = self._path
        if path is None:
            try:
                return self._compiled.search(doc)
            except jmespath.exceptions.JMESPathTypeError:  # a value of another type: as if absent
                return None
        for name in path:
            if type(doc) is not dict:
                return None
            doc = doc.get(name)
        return doc


def compile_placeholder(value: Any) -> Any:
    """Placeholders are literal JSON; a string written ``{{ expr }}`` is a jmespath expression
    evaluated on the output document when the placeholder is used."""
    if isinstance(value, str) and value.startswith("{{") and value.endswith("}}"):
        return _Expr(compile_query(value[2:-2].strip()))
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
