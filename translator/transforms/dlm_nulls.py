"""Nulls inside DLM objects (``dlm:architecture/type: null``, ``dlm:data/number_of_bands: null``).

The project DLM schema lets only free-text values be null (its ``optional_string``, after the
published documents; docs/errata-dlm.md). A null member anywhere else is no value, as a null field
is (reader.NULL_READ): which members those are is read from the shipped schema of the version, so
the two cannot disagree. The spellings each version writes live here too: the readers of
dlm:data and the version writer both need them.
"""
from __future__ import annotations

import functools

import orjson

from ..schemastore import PACKAGE_SCHEMAS

# spellings the written form renames below the first level (dlm_versions): the schema's names
NESTED_NAMES = {"channels": "dim"}

BETA2 = "1.0.0-beta2"
# dlm:data keys beta.3 renamed: the beta2 name -> the beta.3 name
_BETA3_NAMES = {"dtype": "data_type", "nodata_value": "nodata"}
_BY_VERSION = {
    BETA2: {"dlm:data": {**{new: old for old, new in _BETA3_NAMES.items()}, "process_ level": "process_level"},
            "dlm:runtime": {"framework_version": "version"}},
    None: {"dlm:data": {**_BETA3_NAMES, "process_ level": "process_level"},
           "dlm:runtime": {"framework_version": "version"}},
}


def renames(version: str) -> dict:
    """{dlm object: {a spelling: the one *version* writes}}."""
    return _BY_VERSION.get(version, _BY_VERSION[None])


@functools.lru_cache(maxsize=None)
def project_schema(version: str) -> dict | None:
    """The shipped project schema of DLM *version* (None for a version without one)."""
    path = PACKAGE_SCHEMAS / "dlm" / f"v{version}" / "schema.json"
    return orjson.loads(path.read_bytes()) if path.is_file() else None


def _resolve(schema: dict, node) -> dict:
    definitions = schema.get("definitions", {})
    while type(node) is dict and str(node.get("$ref", "")).startswith("#/definitions/"):
        node = definitions.get(node["$ref"][len("#/definitions/"):])
    return node if type(node) is dict else {}


def _takes_null(node: dict) -> bool:
    kind = node.get("type")
    return kind == "null" or (type(kind) is list and "null" in kind)


def nulls(value, field: str, version: str, names: dict | None = None) -> list[tuple[tuple, bool]]:
    """(path below *field*, whether the schema requires that member) of each null member of an
    object in *value* (the value of the DLM field *field*) where the schema of *version* wants a
    value. *names* maps a first-level spelling to the schema's (beta2's ``dtype``). A null item of
    a list whose items the schema wants to be values (``useful_bands: [null]``) is found too, as
    not required: left out, it moves the items after it (:func:`moved`); so is an empty object
    item of a list of objects with required members (``useful_bands: [{}]``), which says nothing
    either (filled, it would be a band made of placeholders only)."""
    fields = _field_nodes(version)
    if fields is None or type(value) not in (dict, list):
        return []
    found: list = []
    _walk(fields.get(field, _NO_NODE), value, (), names or {}, found)
    return found


def missing(value, field: str, version: str) -> list[tuple]:
    """The path below *field* of each member the schema of *version* requires of an object in
    *value* (written in that version's spelling) that the object lacks, at any depth."""
    fields = _field_nodes(version)
    if fields is None or type(value) not in (dict, list):
        return []
    absent: list = []
    _walk(fields.get(field, _NO_NODE), value, (), {}, [], absent)
    return absent


_NO_NODE: dict = {}  # (never changed)


@functools.lru_cache(maxsize=None)
def _field_nodes(version: str) -> dict | None:
    """{DLM field: its node in the project schema of *version*}, with every $ref below it
    resolved once (the walks below run on every DLM document), or None without a schema."""
    schema = project_schema(version)
    if schema is None:
        return None
    done: dict = {}  # id of a schema node -> (the node, kept alive, and its resolved copy): shared, recursive nodes

    def resolved(node) -> dict:
        node = _resolve(schema, node)
        if id(node) in done:
            return done[id(node)][1]
        copy = dict(node)
        done[id(node)] = (node, copy)
        if type(node.get("properties")) is dict:
            copy["properties"] = {name: resolved(member) for name, member in node["properties"].items()}
        if "items" in node:
            copy["items"] = resolved(node["items"])
        return copy

    fields = _resolve(schema, schema.get("definitions", {}).get("item_properties")).get("properties", {})
    return {field: resolved(node) for field, node in fields.items()}


def _field_schema(schema: dict, field: str) -> dict:
    fields = _resolve(schema, schema.get("definitions", {}).get("item_properties")).get("properties", {})
    return _resolve(schema, fields.get(field))


def field_type(version: str, field: str) -> type | None:
    """dict or list: the JSON type the schema of *version* wants for the DLM field *field*."""
    schema = project_schema(version)
    kind = _field_schema(schema, field).get("type") if schema is not None else None
    return {"object": dict, "array": list}.get(kind) if type(kind) is str else None


def required_fields(version: str) -> tuple:
    """The DLM fields the schema of *version* requires of an Item's properties."""
    schema = project_schema(version)
    if schema is None:
        return ()
    return tuple(_resolve(schema, schema.get("definitions", {}).get("item_properties")).get("required", ()))


def list_item_members() -> tuple:
    """``FIELD/.../*/MEMBER`` of each member the shipped schema of a DLM version requires of the
    items of one of its lists (``dlm:archive/*/role``), any version: the places a table may give
    a placeholder for (``item_placeholders``, dlm_required.py)."""
    found: set = set()
    for folder in sorted((PACKAGE_SCHEMAS / "dlm").glob("v*")):
        schema = project_schema(folder.name[1:])
        if schema is None:
            continue
        fields = _resolve(schema, schema.get("definitions", {}).get("item_properties")).get("properties", {})
        for field, node in fields.items():
            _required_in_items(schema, _resolve(schema, node), (field,), False, found)
    return tuple(sorted(found))


def member_schemas(place: str) -> tuple:
    """The schema of the member at *place* (``FIELD/.../MEMBER``, ``*`` for a list's items:
    ``dlm:outputs/task``, ``dlm:archive/*/role``) in the shipped schema of each DLM version that
    has it, its reference resolved: what a placeholder written there must satisfy, whatever the
    version (the members asked about hold plain values, with no references of their own)."""
    found = []
    for folder in sorted((PACKAGE_SCHEMAS / "dlm").glob("v*")):
        schema = project_schema(folder.name[1:])
        field, *below = place.split("/")
        node = _field_schema(schema, field) if schema is not None else {}
        for token in below:
            node = _resolve(schema, node.get("items") if token == "*" else node.get("properties", {}).get(token))
        if node:
            found.append(node)
    return tuple(found)


def _required_in_items(schema: dict, node: dict, path: tuple, in_item: bool, found: set) -> None:
    if "items" in node:
        _required_in_items(schema, _resolve(schema, node["items"]), path + ("*",), True, found)
        return
    if in_item:
        found.update("/".join(path + (name,)) for name in node.get("required", ()))
    for name, member in node.get("properties", {}).items():
        _required_in_items(schema, _resolve(schema, member), path + (name,), in_item, found)


def _walk(node: dict, value, path: tuple, names: dict, found: list, absent: list | None = None) -> None:
    """Null members into *found*; required members an object lacks into *absent* (when given).
    *node*: from :func:`_field_nodes`, its $refs resolved."""
    if type(value) is list:  # an array's items, or a list given for one object (beta2's input_tensors)
        item = node["items"] if "items" in node else node if "properties" in node else None
        for i, entry in enumerate(value if item else ()):
            if (entry is None and not _takes_null(item)) or (entry == {} and item.get("required")):
                found.append((path + (i,), False))  # ({}: an item that says nothing, as null does)
            elif type(entry) in (dict, list):
                _walk(item, entry, path + (i,), NESTED_NAMES, found, absent)
        return
    if type(value) is not dict:
        return
    members, required = node.get("properties", {}), node.get("required", ())
    if absent is not None:
        given = {names.get(key, key) for key in value}
        absent.extend(path + (name,) for name in required if name not in given)
    for key, entry in value.items():
        name = names.get(key, key) if type(key) is str else key
        member = members.get(name) if type(name) is str else None
        if member is None:
            continue  # a member the schema does not know: not a null question
        if entry is None:
            if not _takes_null(member):
                found.append((path + (key,), name in required))
        elif type(entry) in (dict, list):
            _walk(member, entry, path + (key,), NESTED_NAMES, found, absent)


def per_place(value, found: list) -> tuple[list, set]:
    """*found* (from :func:`nulls`) with the null items of a list of plain values (a mean or
    standard deviation per band) replaced by the list's own path, once; and the set of those
    lists. Their places count: leaving a null out would move the values after it onto other
    bands, so such a list is not carried at all. Objects (a useful band, an archive entry) say
    what they are wherever they stand, so only the null item of such a list is left out."""
    out: list = []
    lists: set = set()
    for path, required in found:
        if len(path) > 1 and type(path[-1]) is int:
            items = _parent(value, path)
            if all(type(x) not in (dict, list) for x in items):
                if path[:-1] not in lists:
                    lists.add(path[:-1])
                    out.append((path[:-1], False))
                continue
        out.append((path, required))
    return out, lists


def without(value, paths: list[tuple]):
    """A copy of *value* without the members and list items at *paths* (copied only along them;
    *paths* in document order, as :func:`nulls` finds them). A list left empty goes as well: DLM's
    lists hold at least one item."""
    for path in emptied(value, paths)[::-1]:  # the last first: an item taken out moves those after it
        value = _copy_along(value, path[:-1])
        _parent(value, path).pop(path[-1])
    return value


def emptied(value, paths: list[tuple]) -> list[tuple]:
    """*paths*, where they are every item of a list, replaced by the list's own path."""
    out: list[tuple] = []
    for path in paths:
        parent = path[:-1]
        if type(path[-1]) is int and parent and out and out[-1] == parent:
            continue  # its list is already taken out whole
        items = _parent(value, path) if type(path[-1]) is int else None
        if items is not None and parent and all(parent + (i,) in paths for i in range(len(items))):
            out.append(parent)
        else:
            out.append(path)
    return out


def moved(value, paths: list[tuple]) -> list[tuple[tuple, tuple]]:
    """(path, path once *paths* are taken out) of each list item :func:`without` moves."""
    gone = set(emptied(value, paths))
    shifts: list[tuple[tuple, tuple]] = []

    def walk(node, path: tuple, new: tuple) -> None:
        if type(node) is dict:
            for key, entry in node.items():
                if path + (key,) not in gone:
                    walk(entry, path + (key,), new + (key,))
        elif type(node) is list:
            before = 0
            for i, entry in enumerate(node):
                if path + (i,) in gone:
                    before += 1
                    continue
                if before:
                    shifts.append((path + (i,), new + (i - before,)))
                walk(entry, path + (i,), new + (i - before,))

    walk(value, (), ())
    return shifts


def put(value, path: tuple, entry):
    """A copy of *value* (copied only along *path*) with *entry* at *path*, in the member's place."""
    value = _copy_along(value, path[:-1])
    _parent(value, path)[path[-1]] = entry
    return value


def _parent(value, path: tuple):
    for token in path[:-1]:
        value = value[token]
    return value


def _copy_along(value, path: tuple):
    top = value = list(value) if type(value) is list else dict(value)
    for token in path:
        child = value[token]
        value[token] = child = list(child) if type(child) is list else dict(child)
        value = child
    return top
