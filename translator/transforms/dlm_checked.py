"""What the project DLM schema of the target version refuses of a DLM object written to DLM
(dlm_versions.py, at another version or in a repair): a member of another JSON type (a numeric
``framework``, ``useful_bands`` given as a string), a value outside a closed vocabulary (a task
DLM does not list), a shape it does not take (an archive entry with a list of two roles, an empty
list), a member or a field it does not know (``dlm:foo``, a runtime's ``colour``).

Each is left out and reported ``dropped`` at its place in the source, with the source's value and
what the schema wants there; a required one is then filled as a missing one is (dlm_required.py),
or is a problem. The values are checked against the shipped schema of the version (the same one
dlm_nulls.py reads), compiled once per process (validation.part_validator). Nulls and missing
members are dlm_nulls.py's business, a docker object naming no image dlm_required.with_image's:
those errors are not taken here.
"""
from __future__ import annotations

import functools

import jsonschema_rs

from ..pointer import join, value_at
from ..schemastore import PACKAGE_SCHEMAS, SchemaStore
from .dlm_nulls import NESTED_NAMES, moved, project_schema, without
from .schema_check import as_json, errors, quoted, valid

NONE = object()  # the whole field is left out
_KINDS = jsonschema_rs.ValidationErrorKind
_LEFT_TO_OTHERS = (_KINDS.Required, _KINDS.AnyOf)  # filled later / the docker object's image (with_image)
_PASSES = 4  # leaving a member out can leave its object or list refused in turn (an object emptied)


@functools.lru_cache(maxsize=None)
def _validator(version: str, field: str):
    """The validator of the DLM field *field* of an Item in the project schema of *version* (None:
    no schema)."""
    schema = project_schema(version)
    if schema is None or type(schema.get("$id")) is not str:
        return None
    from ..validation import part_validator  # (imported only where a DLM document is repaired)
    store = SchemaStore([("package", PACKAGE_SCHEMAS)])  # the project's own, whatever a cache holds
    return part_validator(f"{schema['$id']}#/definitions/item_properties/properties/{field}", store)


def refused(ctx, rule, key: str, value, source, source_path: tuple, gone: list, names: dict):
    """*value* (written for the DLM field *key*, from the source's *source* at *source_path*) without
    the members the project schema of the target version refuses, each reported at its place in the
    source; NONE when the whole field is refused (an unknown ``dlm:`` field). *gone*: the places in
    *source* already left out (null list items move the items after them); *names*: the first-level
    spellings renamed for the target version. Returns (value, the written paths left out)."""
    fields = item_fields(ctx.version)
    if fields and key not in fields:  # (a Collection's summary of it too: the schemas check their names)
        where = source_path[:2] if source_path[0] == "summaries" else source_path  # (the summary, not its value)
        pointer = join(where)
        forget(ctx.report, pointer, join(ctx.where + (key,)))
        ctx.loss(pointer, "dropped", value_at(ctx.source_doc, where, None), f"dlm {ctx.version} has no such field "
                 f"(an Item's dlm: fields are {', '.join(fields)})", rule.id)
        return NONE, [()]
    validator = _validator(ctx.version, key) if ctx.where else None  # (a Collection's summaries: names only)
    left: list[tuple] = []
    if validator is None or valid(validator, value):
        return value, left
    gone = set(gone)
    for _ in range(_PASSES):
        found = _in_source(_offending(validator, value, ctx.version), source, value, gone, names)
        if not found:
            break
        for path, why, place in found:
            written = join(ctx.where + (key,) + path)
            if place is None:  # written by this translation, not the source (no place there)
                forget(ctx.report, None, written)
                ctx.loss("", "dropped", value_at(value, path), why, rule.id, written)
                continue
            given = value_at(source, place, None)
            if why is not None or given in ([], {}):  # (an emptied one: what it held is reported)
                pointer = join(source_path + place)
                forget(ctx.report, pointer, written)
                ctx.loss(pointer, "dropped", given, why or _EMPTY, rule.id)
            gone.add(place)
        if found[0][0] == ():  # the whole field (sorted first), emptied of what it held
            return type(value)(), [()]
        paths = [path for path, _, _ in found]
        _note_moved(ctx, rule, key, value, paths, source, source_path, gone, names)
        left += paths
        value = without(value, paths)
    return value, left


_EMPTY = "empty, where the DLM schemas want it to hold something"
_IN_PLACES = ("the list is left out whole: the places of its values count (a value per band or dimension), and "
              "leaving one out would move the values after it")


def _in_source(found: list, source, value, gone: set, names: dict) -> list[tuple[tuple, str | None, tuple | None]]:
    """(written path, why, place in *source*) of each of *found*: a member written in another form
    than the source's (a class_name_mapping reshaped) is the whole that holds it."""
    out: dict[tuple, tuple] = {}
    for path, why in found:
        place, depth = _source_place(source, value, path, gone, names)
        if depth < len(path):
            path, why = path[:depth], f"{why} (at {join(path[depth:])} of it as written)"
        out.setdefault(path, (why, place))
    return [(path, why, place) for path, (why, place) in sorted(out.items(), key=lambda entry: entry[0])
            if not any(path[:i] in out for i in range(len(path)))]


def _offending(validator, value, version: str) -> list[tuple[tuple, str | None]]:
    """(path in *value*, why it is refused) of each member the schema refuses, an ancestor
    before its members (which then go with it); None as the reason of an object or list refused
    only for being empty (minProperties, minItems)."""
    found: dict[tuple, str | None] = {}
    for error in errors(validator, value):
        kind = error.kind
        if isinstance(kind, _LEFT_TO_OTHERS):
            continue
        at = tuple(error.instance_path)
        if isinstance(kind, _KINDS.AdditionalProperties):
            node = _schema_node(version, error.schema_path[:-1])
            allowed = ", ".join(node.get("properties", ()))
            for name in kind.unexpected:
                found[at + (name,)] = f"dlm {version} does not allow '{name}' here (it allows {allowed})"
            continue
        if isinstance(kind, _KINDS.PropertyNames):
            at += (kind.error.instance,)
        if isinstance(kind, (_KINDS.MinProperties, _KINDS.MinItems)) and error.instance in ([], {}):
            found.setdefault(at, None)
            continue
        found.setdefault(at, _why(error, version, at))  # (the first: a list of roles is no string)
    for at in [at for at in found if len(at) > 1 and type(at[-2]) is int and at[:-1] not in found]:
        item = value_at(value, at[:-1])  # a list item none of whose members is taken says nothing: as {}
        if type(item) is dict and all(at[:-1] + (k,) in found for k in item):
            found[at[:-1]] = f"none of its members is one dlm {version} takes: " + "; ".join(
                str(found[at[:-1] + (k,)]) for k in item)
    for at in [at for at in found if at and type(at[-1]) is int]:
        items = value_at(value, at[:-1])
        if all(type(item) not in (dict, list) for item in items):  # a value per band or dimension
            found.setdefault(at[:-1], f"{found[at]} (item {at[-1]}); {_IN_PLACES}")
    keep = [(path, why) for path, why in found.items() if not any(path[:i] in found for i in range(len(path)))]
    return sorted(keep, key=lambda entry: entry[0])


@functools.lru_cache(maxsize=None)
def item_fields(version: str) -> tuple:
    """The dlm: fields of an Item in the project schema of *version* (() without a schema)."""
    schema = project_schema(version)
    return tuple(schema["definitions"]["item_properties"]["properties"]) if schema is not None else ()


def _why(error, version: str, at: tuple) -> str:
    """What the schema of *version* wants where *error* is, quoted."""
    path = error.schema_path
    if isinstance(error.kind, (_KINDS.Not, _KINDS.FalseSchema)):
        return f"dlm {version} allows nothing here"
    keyword = path[-1] if path else ""
    node = _schema_node(version, path[:-1])
    wanted = as_json({keyword: node[keyword]}) if keyword in node else error.message
    return f"dlm {version} wants {wanted} here, not {quoted(error.instance)}"


def _schema_node(version: str, path) -> dict:
    node = project_schema(version)
    for token in path:
        node = node[token] if type(node) is dict else node[int(token)]
    return node if type(node) is dict else {}


def _source_place(source, value, path: tuple, gone: set, names: dict) -> tuple[tuple | None, int]:
    """The place in *source* of the member written at *path* in *value*: through the spellings the
    target version renamed (``dtype``, ``channels``), a list of input tensors (its first object),
    and the list items left out before it; and how much of *path* it stands for (less for a member
    of a class_name_mapping written in another form, which is the mapping as a whole). None: the
    member has no place in the source (this translation wrote it)."""
    place: list = []
    node, written = source, value
    for depth, token in enumerate(path):
        if type(node) is dict and type(written) is dict:
            spelled = names if depth == 0 else NESTED_NAMES
            name = token if token in node else next((k for k in node if spelled.get(k) == token), None)
            if name is None:
                return None, len(path)
            place.append(name)
            node, written = node[name], written[token]
            if name == "class_name_mapping" and node != written:
                return tuple(place), depth + 1
            if name == "input_tensors" and type(node) is list and type(written) is dict:
                place.append(0)
                node = node[0] if node else None
        elif type(node) is list and type(written) is list:
            kept = [i for i in range(len(node)) if tuple(place) + (i,) not in gone]
            if token >= len(kept):
                return None, len(path)
            place.append(kept[token])
            node, written = node[kept[token]], written[token]
        else:
            return tuple(place), depth
    return tuple(place), len(path)


def forget(report, pointer: str | None, written: str) -> None:
    """Entries about what is now left out as a whole: below its place in the source, or about where
    it was written (the whole is reported with its value)."""
    def about(entry) -> bool:
        at, target = entry.pointer, entry.target or ""
        return (pointer is not None and (at == pointer or at.startswith(pointer + "/"))) or \
            target == written or target.startswith(written + "/")
    report.losses[:] = [entry for entry in report.losses if not about(entry)]
    report.findings[:] = [entry for entry in report.findings if not about(entry)]


def _note_moved(ctx, rule, key: str, value, paths: list, source, source_path: tuple, gone: set,
                names: dict) -> None:
    """Each list item that leaving *paths* out moves up: what was said about where it was written
    follows it, and a moved finding (one per item: an earlier one for a null before it is updated)."""
    for old, new in moved(value, paths):
        before, after = join(ctx.where + (key,) + old), join(ctx.where + (key,) + new)
        ctx.report.retarget(before, after)
        place, _ = _source_place(source, without(value, paths), new, gone, names)
        if place is None or type(place[-1]) is not int:  # (not an item of a list of the source)
            continue
        pointer, shift = join(source_path + place), place[-1] - new[-1]
        message = f"written {shift} place{'s' * (shift > 1)} earlier: the item(s) before it are left out"
        earlier = [f for f in ctx.report.findings if f.code == "moved" and f.pointer == pointer]
        if earlier:
            earlier[0].message = message
        else:
            ctx.report.finding(pointer, "moved", message, rule.id, after)


def left_out_strays(ctx, rule) -> None:
    """``dlm:`` keys where the project schema of the target version forbids them, which the write
    within DLM kept: at an Item's top level (outside its properties) and in an asset. Each is left
    out and reported at its place in the source."""
    out = ctx.out
    places = [((key,), f"a dlm: key outside the Item's properties, where dlm {ctx.version} forbids them")
              for key in out if ctx.where and type(key) is str and key.startswith("dlm:")]
    for group in ("assets", "item_assets"):
        assets = out.get(group)
        for name, asset in assets.items() if type(assets) is dict else ():
            if type(asset) is dict:
                places += [((group, name, key), f"dlm {ctx.version} defines no asset fields (its schema forbids "
                            "dlm: keys in an asset)") for key in asset if type(key) is str and key.startswith("dlm:")]
    for path, why in places:
        ctx.loss(path, "dropped", value_at(out, path), why, rule.id)
        if len(path) == 1:
            del out[path[0]]
        else:  # (copied: an asset the output shares with the source stays as it is there)
            group, name, key = path
            out[group] = {**out[group], name: {k: v for k, v in out[group][name].items() if k != key}}
