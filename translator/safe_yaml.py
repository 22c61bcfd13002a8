"""Every YAML file the tool reads (mapping tables, documents, --fill-values and --training-data
files) goes through :func:`load`: PyYAML's safe loader (it never constructs objects or runs
code), made as strict as the tool is with JSON, since a file must mean exactly what it says.

* A key given twice in one mapping is refused (YAML keeps the last value without a word; a
  second ``rules:`` would throw the first rules away), or, for a document read leniently, its
  last value is kept and the lost one returned. Keys a merge (``<<: *anchor``) brings in may be
  given again: that is what a merge is for.
* Aliases may not add more than :data:`EXPANSION_LIMIT` values to what the file writes out, nor
  hold themselves (a 600-byte "billion laughs" file would otherwise take gigabytes once walked).
* Dates stay the strings they are written as (``2020-01-01``), as JSON holds them;
  :func:`non_json` then finds any value JSON has no room for (``.nan``, ``!!binary``, ``!!set``,
  a key that is not a string), so that the data holds JSON values only.
"""
from __future__ import annotations

import math
from typing import Any, Iterator

import yaml

EXPANSION_LIMIT = 100_000  # values aliases may add; the largest built-in table holds about 1 100 in all
_MERGE = "tag:yaml.org,2002:merge"


class YamlFault(Exception):
    """The file cannot be read as YAML that means one thing (the message names the line where known)."""


class RepeatedKey(YamlFault):
    """A key given twice in one mapping (a document read leniently keeps the last value instead)."""


class _Repeated(yaml.constructor.ConstructorError):
    pass


class NotJson(YamlFault):
    """The file (``data``) holds values JSON has no room for: ``faults`` lists ``(path, what)`` for each."""

    def __init__(self, data: Any, faults: list[tuple[tuple, str]]):
        super().__init__(faults[0][1])
        self.data, self.faults = data, faults


class _Loader(yaml.SafeLoader):
    keep_last = False  # a repeated key keeps its last value (recorded in ``lost``) instead of being refused
    what = "the file"

    def __init__(self, stream):
        super().__init__(stream)
        self.written: dict[int, list] = {}  # id of a mapping node -> its pairs as written (before merges)
        self.lost: list[tuple[int, Any, Any]] = []  # (id of the YAML node, key, the value lost)
        self.made: dict[int, int] = {}  # id of a mapping node -> id of the dict made of it

    def compose_document(self):
        node = super().compose_document()
        if node is not None:
            _check_expansion(node, self.written, self.what)
        return node

    def construct_yaml_map(self, node):
        data: dict = {}
        self.made[id(node)] = id(data)
        yield data
        data.update(self.construct_mapping(node))

    def flatten_mapping(self, node):
        """Merges as YAML means them: the mapping's own keys win over merged ones, and a merged
        mapping counts as what it means (PyYAML 6 keeps the first pair of a key merged from a
        mapping that has merges of its own, the one that mapping's own key overrides)."""
        super().flatten_mapping(node)
        last = {_key_of(key_node): index for index, (key_node, _) in enumerate(node.value)}
        if len(last) < len(node.value):
            node.value = [pair for index, pair in enumerate(node.value) if last[_key_of(pair[0])] == index]

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            first: dict = {}
            # the pairs as written: merging (in super()) rewrites a node in place, merged keys included
            for key_node, value_node in self.written.get(id(node), node.value):
                if key_node.tag == _MERGE:
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    earlier = first.setdefault(key, (key_node, value_node))
                except TypeError:  # an unhashable key: the safe loader reports it itself
                    continue
                if earlier[0] is key_node:
                    continue
                if not self.keep_last:
                    raise _Repeated(
                        None, None, f"the key {key!r} appears twice in one mapping (first at line "
                        f"{earlier[0].start_mark.line + 1}); YAML would keep only the last value", key_node.start_mark)
                self.lost.append((id(node), key, self.construct_object(earlier[1], deep=True)))
                first[key] = (key_node, value_node)
        return super().construct_mapping(node, deep=deep)


def _key_of(node: yaml.Node):
    return (node.tag, node.value) if isinstance(node, yaml.ScalarNode) else id(node)


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)
# dates are read as the text they are written as, as JSON would hold them
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(stream, *, what: str = "the file", keep_last: bool = False,
         string_keys: bool = True) -> tuple[Any, list[tuple[int, Any, Any]]]:
    """The data of one YAML document (*stream*: bytes, text or a file), and the values repeated
    keys lost (``keep_last``), as ``(id of the dict that had the key, key, value lost)``.
    *what* names the file in messages ("the table"); *string_keys*: a key that is not a string is
    refused (otherwise a number, boolean or null key is kept, as YAML reads ``0: background``).
    Raises YamlFault, or NotJson listing every value JSON cannot hold."""
    loader = None
    try:
        loader = _Loader(stream)  # (the reader decodes the start of the text already)
        loader.keep_last, loader.what = keep_last, what
        data = loader.get_single_data()
    except yaml.reader.ReaderError as exc:
        if exc.encoding != "unicode":  # a byte the encoding cannot decode
            raise YamlFault(f"invalid YAML: not {exc.encoding.upper()} text (byte {exc.position})") from None
        raise YamlFault(f"invalid YAML: the character U+{exc.character:04X} (character {exc.position}) is not "
                        "allowed in YAML") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or " ".join(str(exc).split())
        fault = RepeatedKey if isinstance(exc, _Repeated) else YamlFault
        raise fault(f"invalid YAML{where}: {problem}") from None
    except RecursionError:  # the parser recurses once per level of nesting
        raise YamlFault("invalid YAML: nested too deeply") from None
    finally:
        if loader is not None:
            loader.dispose()
    faults = list(non_json(data, string_keys=string_keys))
    if faults:
        raise NotJson(data, faults)
    return data, [(loader.made.get(node, 0), key, value) for node, key, value in loader.lost]


def _check_expansion(root: yaml.Node, written: dict[int, list], what: str) -> None:
    """The number of values the document holds once its aliases are expanded, counted on the
    node graph (each node once), before anything is built from it; *written* gets the pairs of
    each mapping node as written."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise YamlFault(f"a YAML alias at line {node.start_mark.line + 1} refers to a node that holds it "
                            f"({what} would be infinite)")
        open_nodes.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            written[key] = list(node.value)
            total += sum(size(k) + size(v) for k, v in node.value)
        open_nodes.discard(key)
        sizes[key] = total
        return total

    total = size(root)
    added = total - len(sizes)  # each node written once is counted once; only aliases count more
    if added > EXPANSION_LIMIT:
        raise YamlFault(f"YAML aliases expand {what} to {total} values, {added} more than it writes out; aliases "
                         f"may add at most {EXPANSION_LIMIT} (write the values out, or use fewer aliases)")


_NOT_JSON = {bytes: "binary data (!!binary)", set: "a set (!!set)", tuple: "an ordered pair (!!omap or !!pairs)"}
_SCALAR_KEYS = (int, float, bool, type(None))


def non_json(value: Any, path: tuple = (), string_keys: bool = True) -> Iterator[tuple[tuple, str]]:
    """``(path, what)`` for each value or key in *value* that JSON cannot hold."""
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str and (string_keys or type(key) not in _SCALAR_KEYS
                                            or (type(key) is float and not math.isfinite(key))):
                yield path, f"the key {key!r} is a {_yaml_name(key)}, not a string (quote it)"
            elif type(key) is str and not _unicode(key):
                yield path, f"the key {key!r} holds half of a UTF-16 surrogate pair, which is not Unicode text"
            else:
                yield from non_json(item, path + (key,), string_keys)
    elif kind is str:
        if not _unicode(value):
            yield path, f"{value!r} holds half of a UTF-16 surrogate pair, which is not Unicode text"
    elif kind is list:
        for index, item in enumerate(value):
            yield from non_json(item, path + (index,), string_keys)
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
