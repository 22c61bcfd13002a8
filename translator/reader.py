"""Reader: a source document + its table -> a pivot.

Lenient: it takes what the table knows, keeps everything else of the table's prefix in
the pivot's extras (kind ``unknown``), and records what it normalised as findings. It
copies only the containers it takes fields out of; everything else is shared with the
source, which is never modified.
"""
from __future__ import annotations

from typing import Any

from .pivot import Extra, Pivot
from .pointer import join, value_at
from .report import Report, place_in_source
from .reader_values import _check_vocabulary, _shadowed, map_read, same_value
from .tables import Rule, Table

SLOT = "\x00stacml-link-slot"  # marks where a link the reader took out stood
# a known field holding null where the source's schema wants a value (its rule is not
# ``nullable``) is read as absent: required-field handling applies, and the same version gets it back
NULL_READ = "null: read as no value"


class ReadCtx:
    __slots__ = ("doc", "table", "version", "pivot", "report", "type", "view")

    def __init__(self, doc: dict, table: Table, version: str, pivot: Pivot, report: Report):
        self.doc, self.table, self.version, self.pivot, self.report = doc, table, version, pivot, report
        self.type = pivot.type
        self.view = table.view(pivot.type, version)

    def applies(self, rule: Rule) -> bool:
        if not rule.applies(self.type, self.version):
            return False
        return rule.when is None or bool(rule.when.search(self.doc))

    def when(self, rule: Rule) -> bool:
        """For rules taken from ``self.view`` (type and version already checked)."""
        return rule.when is None or bool(rule.when.search(self.doc))

    def extra(self, path: tuple, value: Any, kind: str, reason: str, rule: str, via: str | None = None) -> None:
        self.pivot.extras.append(Extra(path, value, kind, reason, rule, via))

    def unknown(self, path: tuple, value: Any) -> None:
        self.extra(path, value, "unknown", f"no rule of the {self.table.name} table knows this field", "")


def fields_path(doc_type: str) -> tuple:
    """Where model fields live: Item properties, or the top level of a Collection."""
    return ("properties",) if doc_type == "Feature" else ()


def skeleton(doc: dict) -> dict:
    """Shallow copy of the document with private copies of the containers readers edit."""
    base = dict(doc)
    for key in ("properties", "summaries"):
        if type(base.get(key)) is dict:
            base[key] = dict(base[key])
    for group in ("assets", "item_assets"):
        assets = base.get(group)
        if type(assets) is dict:
            base[group] = {k: dict(v) if type(v) is dict else v for k, v in assets.items()}
    if type(base.get("links")) is list:
        base["links"] = list(base["links"])
    return base


def read(doc: dict, table: Table, version: str, report: Report) -> Pivot:
    doc_type = doc.get("type")
    base = skeleton(doc)
    pivot = Pivot(doc_type, (table.name, version), base)
    ctx = ReadCtx(doc, table, version, pivot, report)
    view = ctx.view
    for rule in view.read_transforms:
        if rule.when is None or ctx.when(rule):
            rule.structural.read(ctx, rule)
    where = fields_path(doc_type)
    container = base.get("properties") if where else base
    if type(container) is dict:
        _read_all(ctx, container, where, view.read_fields, view.fast_read_fields, pivot.fields, pivot.origin)
    if doc_type == "Collection" and "properties" in table.collection_fields and type(base.get("properties")) is dict:
        # some extensions (TrainingDML-AI's examples) put Collection fields in a properties object
        _read_all(ctx, base["properties"], ("properties",), view.read_fields, view.fast_read_fields,
                  pivot.fields, pivot.origin)
    summaries = base.get("summaries")
    if doc_type == "Collection" and type(summaries) is dict:
        _read_all(ctx, summaries, ("summaries",), view.read_summaries, view.fast_read_summaries,
                  pivot.summaries, pivot.summary_origin, summary=True)
    for group in ("assets", "item_assets"):
        assets = base.get(group)
        if type(assets) is dict:
            for key, asset in assets.items():
                if type(asset) is dict:
                    _read_asset(ctx, group, key, asset)
    if view.read_links and type(base.get("links")) is list:
        _read_links(ctx, base["links"])
    return pivot


def _read_all(ctx: ReadCtx, container: dict, where: tuple, index: dict, fast: dict, target: dict,
              origin: dict, summary: bool = False) -> None:
    for key in _owned(ctx.table, container):
        name = fast.get(key)
        if name is not None and container[key] is not None:  # plain rename
            target[name] = container.pop(key)
            origin[name] = where + (key,)
        else:
            _read_key(ctx, container, key, where, index, target, origin, summary)


def _owned(table: Table, obj: dict) -> list:
    prefix = table.prefix
    if table.owns:
        return [k for k in obj if type(k) is str and ((prefix in k and k.startswith(prefix)) or k in table.owns)]
    try:  # ``in`` first: a cheap operator that rejects most other keys before the method call
        return [k for k in obj if prefix in k and k.startswith(prefix)]
    except TypeError:  # a non-string key (only possible for documents built in Python)
        return [k for k in obj if type(k) is str and k.startswith(prefix)]


def _read_asset(ctx: ReadCtx, group: str, key: str, asset: dict) -> None:
    table = ctx.table
    path = (group, key)
    owned = _owned(table, asset)
    roles = asset.get("roles")
    read_roles = ctx.view.read_roles
    ml_roles = [r for r in roles if type(r) is str and r in read_roles] if type(roles) is list else ()
    if not owned and not ml_roles:
        return
    entry = ctx.pivot.asset(group, key, join(path))
    if owned:
        _read_all(ctx, asset, path, ctx.view.read_assets, ctx.view.fast_read_assets, entry.fields, entry.origin)
    if ml_roles:
        slotted = []  # ML roles are replaced by (SLOT, pivot role) so the writer keeps their position
        fast = ctx.view.fast_read_roles
        origin = entry.role_origin = {}
        source_roles = _source_roles(ctx.doc, group, key)  # a transform may have rewritten the list
        for index, role in enumerate(roles):
            if type(role) is not str:
                slotted.append(role)
                continue
            name = fast.get(role)
            if name is None:  # no rule, or rules with conditions
                rule = _first(ctx, read_roles.get(role))
                name = rule.pivot if rule is not None else None
            if name is None:
                slotted.append(role)
                if table.prefix in role and role.startswith(table.prefix):  # ``in`` first, as in _owned
                    ctx.report.finding(join(path + ("roles",)), "unknown-role",
                                       f"role '{role}' is not known to the {table.name} table; kept as is")
            elif name in entry.roles:
                slotted.append((SLOT, name))  # a repeated role (the finding below)
            else:
                entry.roles.append(name)
                slotted.append((SLOT, name))
                if roles is source_roles:
                    origin[name] = (index, role)
                else:
                    found = type(source_roles) is list and role in source_roles
                    origin[name] = (source_roles.index(role), role) if found else \
                        ctx.pivot.notes.get("role-places", {}).get((group, key, role), (None, role))
        entry.had_roles = True
        asset["roles"] = slotted
        strings = [r for r in roles if type(r) is str]
        if len(set(strings)) != len(strings):
            entry.roles_repeated = True
            _repeated_roles(ctx, path, roles)


def _repeated_roles(ctx: ReadCtx, path: tuple, roles: list) -> None:
    seen = set()
    for index, role in enumerate(roles):
        if type(role) is str:
            if role in seen:
                ctx.report.finding(join(path + ("roles", index)), "role-repeated", f"role '{role}' is "
                                   "repeated; an output whose roles are rewritten has it once")
            seen.add(role)


def _remainder(ctx: ReadCtx, path: tuple, value: dict) -> bool:
    """Whether *value* is what is left of the source's object at *path* (not the object itself)."""
    places = ctx.pivot.notes.get("source-places")  # a layout a transform normalised: its source place
    node = value_at(ctx.doc, place_in_source(places, join(path)) if places else path)
    return type(node) is dict and node is not value and list(node) != list(value)


def _source_roles(doc: dict, group: str, key: str) -> object:
    assets = doc.get(group)
    asset = assets.get(key) if type(assets) is dict else None
    return asset.get("roles") if type(asset) is dict else None


def _read_links(ctx: ReadCtx, links: list) -> None:
    table, index = ctx.table, ctx.view.read_links
    for i, link in enumerate(links):
        if type(link) is not dict:
            continue
        rel = link.get("rel")
        rules = index.get(rel) if type(rel) is str else None
        if not rules:
            if type(rel) is str and table.prefix in rel and rel.startswith(table.prefix):  # as in _owned
                ctx.report.finding(f"/links/{i}", "unknown-link",
                                   f"link rel '{rel}' is not known to the {table.name} table; kept as is")
            continue
        for rule in rules:
            if rule.when is not None and not ctx.when(rule):
                continue
            if rule.match and not all(link.get(k) == v for k, v in rule.match.items()):
                continue
            body = {k: v for k, v in link.items() if k != "rel" and k not in rule.match}
            slot = (SLOT, i)
            links[i] = slot
            ctx.pivot.notes["links_read"] = True
            ctx.pivot.links.append([rule.pivot, body, f"/links/{i}", slot])
            break


def _first(ctx: ReadCtx, rules: list[Rule] | None) -> Rule | None:
    if rules:
        for rule in rules:
            if rule.when is None or ctx.when(rule):
                return rule
    return None


def _read_key(ctx: ReadCtx, container: dict, key: str, where: tuple, index: dict,
              target: dict, origin: dict, summary: bool = False) -> None:
    value = container.pop(key)
    path = where + (key,)
    rules = index.get(key)
    if rules and len(rules) == 1 and rules[0].when is None and len(rules[0].path) == 1:
        _apply(ctx, rules[0], value, path, target, origin, summary)  # the common case
        return
    rules = [r for r in rules or () if ctx.when(r)]
    if not rules:
        if value is None and index is ctx.view.read_fields and key in ctx.view.required:  # read by a transform
            ctx.extra(path, value, "dropped", NULL_READ, ctx.view.required[key])
        else:
            ctx.unknown(path, value)
        return
    whole = [r for r in rules if len(r.path) == 1]
    if whole:  # a rule takes the whole object; nested rules are then alternatives it shadows
        _apply(ctx, whole[0], value, path, target, origin, summary)
        return
    if type(value) is not dict:
        if value is None:  # an object the rules read parts of
            ctx.extra(path, value, "dropped", NULL_READ, rules[0].id)
        else:
            ctx.unknown(path, value)
        return
    if not value:
        ctx.extra(path, value, "dropped", "an empty object: nothing to carry", "")
        return
    rest = dict(value)
    split = {id(rest)}
    for rule in rules:
        sub = _pop_path(rest, rule.path[1:], split)
        if sub is not _MISSING:
            _apply(ctx, rule, sub, path + rule.path[1:], target, origin, summary)
    for sub_path, leftover in _leaves(rest, path, split):
        ctx.unknown(sub_path, leftover)


_MISSING = object()


def _pop_path(obj: dict, path: tuple, split: set) -> Any:
    """Pop obj[p0][p1]...; intermediate dicts are replaced by copies so the source is untouched."""
    for token in path[:-1]:
        child = obj.get(token)
        if type(child) is not dict:
            return _MISSING
        if id(child) not in split:
            obj[token] = child = dict(child)
            split.add(id(child))
        obj = child
    return obj.pop(path[-1], _MISSING)


def _leaves(obj: dict, path: tuple, split: set):
    """What is left of a partly-read object: each remaining leaf, or the untouched sub-object."""
    for key, value in obj.items():
        if type(value) is dict and id(value) in split:
            yield from _leaves(value, path + (key,), split)
        else:
            yield path + (key,), value


def _apply(ctx: ReadCtx, rule: Rule, value: Any, path: tuple, target: dict, origin: dict, summary: bool) -> None:
    if value is None and (summary or not rule.nullable):  # a summary is never null
        ctx.extra(path, value, "dropped", NULL_READ, rule.id)
        return
    kind = rule.kind
    if rule.pivot in ctx.view.shared_read and kind in ("move", "wrap") and _shadowed(ctx, rule, value, path, target):
        return
    if rule.allowed is not None:
        _check_vocabulary(ctx, rule, value, path)
    if not rule.writes and kind in ("move", "wrap"):  # a variant spelling: written back another way
        ctx.report.finding(join(path), "variant", f"read as '{rule.pivot}'; written back in the table's "
                           "own spelling", rule.id)
    if kind == "move" and not rule.read_map and rule.value_transform is None and rule.fold is None:
        target[rule.pivot] = value  # plain rename: the value is shared, not copied
        origin[rule.pivot] = path
        return
    if kind == "drop":
        lost = rule.lossy_kind if rule.lossy_kind != "lossy" else "dropped"
        if type(value) is dict and value and _remainder(ctx, path, value):
            for key, part in value.items():  # what transforms left of an object: each part at its place
                ctx.extra(path + (key,), part, lost, rule.lossy, rule.id)
        else:
            ctx.extra(path, value, lost, rule.lossy, rule.id)
        return
    if kind == "const":
        if value != rule.value:
            ctx.report.finding(join(path), "unexpected-value",
                               f"expected {rule.value!r}, found {value!r}", rule.id)
        ctx.extra(path, value, "dropped", rule.reason or "marker field with no equivalent in the target", rule.id)
        return
    if summary:  # a summary is a list of values (or a range/schema object, kept as it is)
        if type(value) is list:
            value = [map_read(ctx, rule, v, path + (i,)) for i, v in enumerate(value)]
        elif type(value) is not dict:
            value = map_read(ctx, rule, value, path)
    elif kind == "wrap":
        if type(value) is list:
            if not rule.list_form:
                ctx.report.finding(join(path), "already-a-list", "expected a single value, found a list", rule.id)
            value = [map_read(ctx, rule, v, path + (i,)) for i, v in enumerate(value)]
        else:
            value = [map_read(ctx, rule, value, path)]
    else:
        if type(value) is list and rule.fold is not None:  # a list of vocabulary values (mlm:tasks)
            fold = rule.fold
            if rule.read_map or rule.write_map or not all(type(v) is str and fold.get(v) == v for v in value):
                read = [map_read(ctx, rule, v, path + (i,)) for i, v in enumerate(value)]
            else:  # every value known as it is (the usual case): nothing to map
                read = value
        else:
            read = map_read(ctx, rule, value, path)
        if rule.value_transform is not None and rule.lossy and not same_value(read, value):
            # a one-way conversion: the source form travels as an extra (reported elsewhere,
            # written back to the same extension and version)
            ctx.extra(path, value, "lossy", rule.lossy, rule.id)
        value = read
    target[rule.pivot] = value
    origin[rule.pivot] = path  # a path tuple; made a pointer string only if a loss needs it
