"""The YAML of mapping tables: PyYAML's safe loader (it never constructs objects or runs code),
made as strict as the tool is with documents, since a table must mean exactly what it says.

* A key given twice in one mapping is refused (YAML keeps the last value without a word; a
  second ``rules:`` would throw the first rules away). Keys a merge (``<<: *anchor``) brings in
  may be given again: that is what a merge is for.
* Aliases may not expand the table beyond :data:`EXPANSION_LIMIT` values, nor hold themselves
  (a 600-byte "billion laughs" table would otherwise take gigabytes once expanded).
* Dates stay the strings they are written as (``2020-01-01``), as when documents are read;
  :func:`non_json` then finds any value JSON has no room for (``.nan``, ``!!binary``, ``!!set``,
  a key that is not a string), so that a table holds JSON values only.
"""
from __future__ import annotations

import math
from typing import Any, Iterator

import yaml

EXPANSION_LIMIT = 100_000  # values, aliases expanded; the largest built-in table holds about 1 100
_MERGE = "tag:yaml.org,2002:merge"


class ExpansionError(Exception):
    """The table's aliases expand it too far, or an alias is inside the node it names."""


class TableLoader(yaml.SafeLoader):
    def compose_document(self):
        node = super().compose_document()
        if node is not None:
            _check_expansion(node)
        return node

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            first_line: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE:
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    line = first_line.setdefault(key, key_node.start_mark.line + 1)
                except TypeError:  # an unhashable key: the safe loader reports it itself
                    continue
                if line != key_node.start_mark.line + 1:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {key!r} appears twice in one mapping (first at line {line}); "
                        "YAML would keep only the last value", key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


# dates are read as the text they are written as, as JSON would hold them
TableLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _check_expansion(root: yaml.Node) -> None:
    """The number of values the document holds once its aliases are expanded, counted on the
    node graph (each node once), before anything is built from it."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise ExpansionError(f"a YAML alias at line {node.start_mark.line + 1} refers to a node that holds "
                                 "it (the table would be infinite)")
        open_nodes.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        open_nodes.discard(key)
        sizes[key] = total
        return total

    total = size(root)
    if total > EXPANSION_LIMIT and total > len(sizes):  # only aliases can make it larger than the file
        raise ExpansionError(f"YAML aliases expand the table to {total} values, more than the {EXPANSION_LIMIT} a "
                             "table may hold; write the values out, or use fewer aliases")


_NOT_JSON = {bytes: "binary data (!!binary)", set: "a set (!!set)", tuple: "an ordered pair (!!omap or !!pairs)"}


def non_json(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """``(path, what)`` for each value or key in *value* that JSON cannot hold."""
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                yield path, f"the key {key!r} is a {_yaml_name(key)}, not a string (quote it)"
            elif not _unicode(key):
                yield path, f"the key {key!r} holds half of a UTF-16 surrogate pair, which is not Unicode text"
            else:
                yield from non_json(item, path + (key,))
    elif kind is str:
        if not _unicode(value):
            yield path, f"{value!r} holds half of a UTF-16 surrogate pair, which is not Unicode text"
    elif kind is list:
        for index, item in enumerate(value):
            yield from non_json(item, path + (index,))
    elif kind is float:
        if not math.isfinite(value):
            yield path, f"{value} is not a JSON number"
    elif kind not in (str, int, bool, type(None)):
        what = _NOT_JSON.get(kind, f"a {_yaml_name(value)} ({value!r})")
        yield path, f"{what} is not a JSON value"


def _unicode(text: str) -> bool:
    """False for a string holding a lone surrogate ("\\ud800" in a double-quoted YAML string)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _yaml_name(value: Any) -> str:
    names = {bool: "boolean", int: "number", float: "number", type(None): "null"}
    return names.get(type(value), "date" if hasattr(value, "isoformat") else type(value).__name__)
