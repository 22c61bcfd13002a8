"""What MLM refuses of the mlm:input and mlm:output a translation writes (from another extension,
from MLM at another version, or in a repair): a member of another JSON type (``bands: 5``,
``shape: "x"``), a value outside a closed vocabulary (a ``data_type`` MLM does not name), an
object lacking what it needs (a processing expression without a format).

The values are checked against the project's own description of MLM's Model Input and Output
Objects (``translator/schemas/mlm/model-io.json``, one definition per version), compiled once per
process (validation.part_validator): the official MLM schemas are not shipped. Each refused
member is left out and reported ``dropped`` at its place in the source (at the value it is part
of when the reader built it from another layout), with what the schema wants there; a list whose
places count (a value per band or dimension) goes whole. A required member left out is then
filled from the require rule's placeholder (``fill_required``) or is a problem. The identity (no
repair) keeps the document as it is.
"""
from __future__ import annotations

import functools

import jsonschema_rs
import orjson

from . import structural
from ..pointer import covers, join, split, value_at
from ..schemastore import PACKAGE_SCHEMAS, SchemaStore
from ..queries import render_placeholder
from .dlm_nulls import without
from .mlm_dims import RESERVED, reserved_left
from .mlm_legacy import version_key
from .schema_check import errors, quoted, valid

_ID = "https://stacml.dev/schemas/mlm-model-io/v1.json"
_PIVOT = {"mlm:input": "input", "mlm:output": "output"}
_STRUCTURE = {"mlm:input": "input", "mlm:output": "result"}  # the member giving shape, dim_order, data_type
# lists holding a value per band, dimension or channel: leaving one item out would pair the
# values after it with others, so a refused item takes its list with it
_PLACES_COUNT = frozenset({"bands", "variables", "shape", "dim_order", "value_scaling", "norm_clip", "statistics"})
_KINDS = jsonschema_rs.ValidationErrorKind
_MISSING = object()


@functools.lru_cache(maxsize=None)
def _schema() -> dict:
    return orjson.loads((PACKAGE_SCHEMAS / "mlm" / "model-io.json").read_bytes())


@functools.lru_cache(maxsize=None)
def _validator(version: str, field: str):
    """The validator of *field* at MLM *version* (None: the project schema has no such version)."""
    if f"v{version}" not in _schema()["definitions"]:
        return None
    from ..validation import part_validator  # (imported only where an MLM output is repaired)
    store = SchemaStore([("package", PACKAGE_SCHEMAS)])  # the project's own, whatever a cache holds
    return part_validator(f"{_ID}#/definitions/v{version}/properties/{field}", store)


def _node(path) -> dict:
    """The project schema's node at *path* (a ``$ref`` followed)."""
    node = _schema()
    for token in path:
        while type(node) is dict and "$ref" in node:
            node = _node(node["$ref"].partition("#/")[2].split("/"))
        node = node[token] if type(node) is dict else node[int(token)]
    while type(node) is dict and "$ref" in node:
        node = _node(node["$ref"].partition("#/")[2].split("/"))
    return node if type(node) is dict else {}


@functools.lru_cache(maxsize=None)
def required(version: str, field: str) -> tuple[tuple, tuple]:
    """The members MLM *version* requires of an item of *field*, and of its structure object."""
    item = _node(("definitions", f"v{version}", "properties", field, "items"))
    return tuple(item.get("required", ())), tuple(_node(("definitions", "structure")).get("required", ()))


@structural("mlm-checked")
class Checked:
    """mlm:input and mlm:output checked member by member once the fields are written, before the
    required fields are filled (writer.write runs ``check``)."""
    @staticmethod
    def check(ctx, rule) -> None:
        if not ctx.repair:  # the identity keeps the document as it is
            return
        container = ctx.container
        for field in _PIVOT:
            value = container.get(field, _MISSING)
            if type(value) is not list:  # (another type is the move rule's to drop)
                continue
            validator = _validator(ctx.version, field)
            if validator is not None and not valid(validator, value):
                _leave_out_refused(ctx, rule, field, value, validator)


def _leave_out_refused(ctx, rule, field: str, value: list, validator) -> None:
    origin = ctx.pivot.origin.get(_PIVOT[field], "")
    found = _offending(validator, value, ctx.version, field)
    for path, why in found:
        _dropped(ctx, rule, origin, path, value_at(value, path), why)
    paths = [path for path, _ in found]
    items = [(i,) for i in range(len(value))]
    if all(item in paths for item in items):
        del ctx.container[field]  # none of its items stays: the require rule fills or reports it
        _follow(ctx, field, paths, gone_all=True)
        return
    kept = without(value, paths)
    ctx.container[field] = kept
    _follow(ctx, field, paths)  # (before the filling, whose entries name the places it fills)
    _fill(ctx, rule, field, value, kept, paths)
    if version_key(ctx.version) < version_key("1.5.0"):
        _dimensions_read_back(ctx, rule, field, value, kept, paths, origin)


def _dropped(ctx, rule, origin, path: tuple, written, why: str) -> None:
    """*written*, at *path* of the list read from *origin*, left out: reported at its place in an
    MLM source with the source's value there, though a version transform reshaped it on the way
    (a list of one processing expression written as the expression); else as a part of the value
    the reader built it from."""
    if origin and ctx.pivot.source[0] == ctx.table.name:
        place = ctx.below(origin, path)
        found = ctx.original(place, _MISSING)
        if found is not _MISSING:
            ctx.loss(place, "dropped", found, why, rule.id)
            return
    ctx.lost_part(origin, path, "dropped", written, why, rule.id)


def _follow(ctx, field: str, paths: list, gone_all: bool = False) -> None:
    """What the transforms before the check reported about the written list follows what is
    kept: an entry whose target was left out loses it (a finding or a placeholder about it goes
    whole; a loss of the source's value stays, at its pointer), and a target in an item after
    items left out whole names the place the item moved up to."""
    base = join(ctx.where + (field,))
    left_out = [base + join(path) for path in paths]
    gone = sorted(path[0] for path in paths if len(path) == 1)

    def followed(target):
        if target is None or not covers(base, target) or target == base:
            return target
        if gone_all or any(covers(place, target) for place in left_out):
            return None
        index, _, rest = target[len(base) + 1:].partition("/")
        if not index.isdigit() or not gone:
            return target
        moved = int(index) - sum(1 for g in gone if g < int(index))
        return f"{base}/{moved}" + (f"/{rest}" if rest else "")

    report = ctx.report
    report.findings[:] = [f for f in report.findings if _retarget(f, followed)]
    report.losses[:] = [l for l in report.losses if _retarget(l, followed) or l.pointer]


def _retarget(entry, followed) -> bool:
    """*entry*'s target followed; False when it was left out (the target is then cleared)."""
    if entry.target is None:
        return True
    entry.target = followed(entry.target)
    return entry.target is not None


def _dimensions_read_back(ctx, rule, field: str, value: list, kept: list, paths: list, origin) -> None:
    """An input whose bands were left out lists none: read back as MLM 1.5+, which reserves the
    name, its dimension 'bands' is renamed (reported, as for lists an older MLM drops)."""
    name = _PIVOT[field]
    origin = split(origin) if type(origin) is str and origin.startswith("/") else tuple(origin or ())
    gone = {path[0] for path in paths if len(path) == 1}
    for i, item in enumerate(value):
        if i in gone or type(item) is not dict or not any((i, key) in paths for key in RESERVED):
            continue
        at = i - sum(1 for g in gone if g < i)
        if type(kept[at]) is dict:
            reserved_left(ctx, rule, name, kept[at], origin + (i,), i, at)


def _fill(ctx, rule, field: str, value: list, kept: list, paths: list) -> None:
    """The required members *paths* left out: placeholders (fill_required) or problems."""
    item_required, structure_required = required(ctx.version, field)
    structure = _STRUCTURE[field]
    placeholder = _placeholder(ctx, field)
    tasks = _required_placeholder(ctx, "tasks")
    gone = {path[0] for path in paths if len(path) == 1}  # items left out whole
    for i, item in enumerate(value):
        if i in gone or type(item) is not dict:
            continue
        at = i - sum(1 for g in gone if g < i)  # where the item is written
        holes = [(name,) for name in item_required if (i, name) in paths]
        inner = kept[at].get(structure)
        if type(inner) is dict:
            holes += [(structure, name) for name in structure_required if (i, structure, name) in paths]
        for hole in holes:
            target = join(ctx.where + (field, at) + hole)
            fill = _fill_value(placeholder, hole, kept[at], tasks)
            if ctx.fill_required and fill is not _MISSING:
                node = dict(kept[at])  # (copied along: the output shares nested values with the source)
                kept[at] = node
                if len(hole) == 2:
                    node[structure] = dict(node[structure])
                    node = node[structure]
                node[hole[-1]] = fill
                ctx.loss("", "synthesized", fill, f"placeholder for required {target}: the source's value is one "
                         f"mlm {ctx.version} refuses", rule.id, target)
            else:
                ctx.report.problems.append(f"{target} is required by mlm {ctx.version} but the source's value is one "
                                           "its schema refuses (left out; --fill-required writes a placeholder)")


def _placeholder(ctx, field: str) -> dict:
    """The first item of the require rule's placeholder for *field* (what a missing one is filled with)."""
    for rule in ctx.view.requires:
        if rule.field == field and rule.placeholder is not None:
            rendered = render_placeholder(rule.placeholder, ctx.out)
            if type(rendered) is list and rendered and type(rendered[0]) is dict:
                return rendered[0]
    return {}


def _required_placeholder(ctx, pivot: str):
    """The table's placeholder for the Item-level field of pivot name *pivot* (_MISSING: none)."""
    for rule in ctx.view.requires:
        if rule.pivot == pivot and rule.placeholder is not None:
            return render_placeholder(rule.placeholder, ctx.out)
    return _MISSING


def _fill_value(placeholder: dict, hole: tuple, item: dict, tasks):
    if hole == ("bands",):
        return []  # (an empty list: no band, which MLM allows)
    if len(hole) == 1:
        found = placeholder.get(hole[0], _MISSING)
        if hole == ("tasks",) and not _task_names(found):
            # the output's placeholder copies the Item's tasks; when it names none, the
            # placeholder the table gives a missing mlm:tasks
            return tasks if _task_names(tasks) else _MISSING
        return found
    structure = placeholder.get(hole[0])
    if hole[1] == "shape" and type(item[hole[0]].get("dim_order")) is list:
        return [-1] * len(item[hole[0]]["dim_order"])  # any size, one per dimension
    return structure.get(hole[1], _MISSING) if type(structure) is dict else _MISSING


def _task_names(value) -> bool:
    return type(value) is list and bool(value) and all(type(t) is str for t in value)


def _offending(validator, value: list, version: str, field: str) -> list[tuple[tuple, str]]:
    """(path in *value*, why) of each member the schema refuses, an ancestor before its members
    (which go with it), in document order."""
    structure = _STRUCTURE[field]
    found: dict[tuple, str] = {}
    for error in errors(validator, value):
        at = tuple(error.instance_path)
        if isinstance(error.kind, _KINDS.Required):
            if len(at) == 1 or at[1:] == (structure,):
                continue  # a member an item or its structure must have: filled below when it was left out
        elif len(at) > 2 and type(at[-1]) is str and at[1:-1] != (structure,):
            at = _required_in_parent(error, at)
        at = _whole_list(at)
        found.setdefault(at, _why(error, value, at, version, field))
    for item in [(i,) for i, entry in enumerate(value) if type(entry) is dict and entry and (i,) not in found]:
        if all(item + (key,) in found for key in value[item[0]]):  # none of its members is taken: as {}
            found[item] = f"none of its members is one mlm {version} takes: " + "; ".join(
                found[item + (key,)] for key in value[item[0]])
    keep = [(path, why) for path, why in found.items() if not any(path[:i] in found for i in range(len(path)))]
    return sorted(keep, key=lambda entry: [(type(token) is str, token) for token in entry[0]])


def _whole_list(at: tuple) -> tuple:
    """*at*, or the list whose places count that it is an item of (or in)."""
    for depth in range(1, len(at) - 1):
        if at[depth] in _PLACES_COUNT and type(at[depth + 1]) is int:
            return at[:depth + 1]
    return at


def _required_in_parent(error, at: tuple) -> tuple:
    """*at*, or the object it is a member of when that object requires it (a processing
    expression's format): left out alone, it would leave an object MLM refuses."""
    path = list(error.schema_path)
    for k in range(len(path) - 2, -1, -1):
        if path[k] == "properties" and path[k + 1] == at[-1]:
            return at[:-1] if at[-1] in _node(path[:k]).get("required", ()) else at
    return at


def _why(error, value: list, at: tuple, version: str, field: str) -> str:
    """What MLM *version* wants at *at* of *field*, in the project schema's words."""
    wanted = None
    path = list(error.schema_path)
    while path and wanted is None:
        wanted = _node(path).get("description")
        path.pop()
    given = quoted(value_at(value, at))
    where = join((field,) + at)[1:]
    why = f"{given}: {where} in mlm {version} holds {wanted or error.message}"
    if isinstance(error.kind, _KINDS.Required):
        why = f"{where} lacks {error.message.partition(' is a required')[0]}: it holds {wanted} in mlm {version}"
    if tuple(error.instance_path) != at:
        why += f" (at {join(error.instance_path[len(at):])[1:]} of it); " + (
            "the list is left out whole: its places count" if at[-1] in _PLACES_COUNT else
            "the object is left out whole: it requires that member")
    return why
