"""Writer: a pivot + the target table -> the output document, and the losses.

Strict: it writes only what the target table knows; every pivot value it cannot place
becomes a ``dropped`` loss pointing into the source; required target fields it cannot
fill are either synthesized (``fill_required``) or listed as problems.
"""
from __future__ import annotations

from typing import Any

from .layout import (back_into_properties, fields_to_summaries, keep_source_values, source_order, stac_extensions,
                     summaries_to_fields)
from .pivot import PART_WORDS, Pivot
from .pointer import as_pointer, covers, join, value_at
from .reader import NULL_READ
from .report import Report
from .tables import Rule, Table, Tables
from .unique import unique
from .rules import VALUE_TYPES
from .write_ctx import MISSING as _MISSING, WriteCtx
from .writer_assets import write_assets, write_links
from .writer_required import require
from .writer_values import json_name, map_items, map_write


def _write_value(ctx: WriteCtx, rule: Rule, value: Any, origin: str, container: dict, summary: bool) -> bool:
    if value is None and (summary or not rule.nullable):  # a null another extension's schema allows
        ctx.loss(origin, "dropped", ctx.original(origin, value), f"null: {rule.field} in {ctx.target_name} "
                 "holds a value, not null", rule.id)
        return False
    if summary and type(value) is list:
        out = map_items(ctx, rule, value, origin)
        if not out and value:
            return False
        value = out
    elif rule.kind == "wrap":
        if not ctx.repair and type(value) is list and type(ctx.original(origin)) is list:
            value = ctx.original(origin)  # to the same version a source that holds a list keeps it
            ctx.set(container, rule.path, value)
            return True
        items = value if type(value) is list else [value]
        mapped = unique(map_items(ctx, rule, items, origin))
        if not items:
            ctx.loss(origin, "dropped", ctx.original(origin, value),
                     f"{rule.field} holds one value; an empty list has none", rule.id)
        if not mapped:
            return False
        if len(mapped) > 1:
            ctx.loss(origin, "lossy", ctx.original(origin, value),
                     f"{rule.field} holds one value; kept '{mapped[0]}', lost {mapped[1:]}", rule.id)
        value = mapped[0]
    elif type(value) is list and rule.allowed is not None:
        kept = map_items(ctx, rule, value, origin)
        if not kept and value:
            return False
        value = kept
    else:
        if ctx.repair and rule.value_type in VALUE_TYPES and not VALUE_TYPES[rule.value_type][0](value):
            # an invalid source: what the target's schema would refuse is not written (the
            # identity keeps the document as it is)
            ctx.loss(origin, "dropped", ctx.original(origin, value), f"{json_name(value)}: {rule.field} in "
                     f"{ctx.target_name} holds {VALUE_TYPES[rule.value_type][1]}", rule.id)
            return False
        value = map_write(ctx, rule, value, origin)
        if value is _MISSING:
            return False
    ctx.set(container, rule.path, value)
    return True


_NO_PLACE = {"fields": "has no field for {} (pivot field '{}')",
             "summaries": "has no summary of {} (pivot field '{}')",
             "asset_fields": "has no asset field for {} (pivot asset field '{}')"}


def _no_place(ctx: WriteCtx, section: str, name: str) -> str:
    """Why a pivot value the target has no rule for is dropped, in the vocabulary's words."""
    described = ctx.tables.vocabulary.get("asset_fields" if section == "asset_fields" else "fields", {}).get(name)
    words = described.get("words") if type(described) is dict else None
    if type(words) is not str or not words:
        words = f"'{name}'"
    return f"{ctx.view.name} " + _NO_PLACE[section].format(words, name)


def _write_all(ctx: WriteCtx, values: dict, origins: dict, index: dict, fast: dict, container: dict,
               what: str, summary: bool, default_origin: str = "") -> None:
    """Write *values* (pivot name -> value) into *container*; *what* is the vocabulary section
    ('fields', 'summaries', 'asset_fields') a dropped value's reason names."""
    reasons = ctx.view.reasons.get(what)  # loss reasons by pivot name, built once per view
    if reasons is None:
        reasons = ctx.view.reasons[what] = {}
    # a plain rename of a value of another type than the pivot's goes the rule's way, which drops
    # it (the identity keeps it)
    types = ctx.view.fast_write_types.get(what, {}) if ctx.repair else {}
    for name, value in values.items():  # ``in`` tests: most names are neither renames nor have rules
        if name in fast and value is not None and type(value) is types.get(name, type(value)):  # plain rename
            key = fast[name]
            container[key] = value
            continue
        origin = origins.get(name, default_origin)
        rule = ctx.first(index[name]) if name in index else None
        if rule is None:
            if name in ctx.pivot.notes.get("derived", ()):
                ctx.parts[name] = frozenset()  # not written (a guess about it is moot: see _via)
                continue  # the reader built it from fields that are carried: nothing is lost
            reason = reasons.get(name)
            if reason is None:
                reason = reasons[name] = _no_place(ctx, what, name)
            # the source's value (ctx.original, without its call when no reader moved places)
            ctx.loss(origin, "dropped", value_at(ctx.source_doc, origin, value) if ctx.places is None
                     else ctx.original(origin, value), reason)
        else:
            _write_value(ctx, rule, value, origin, container, summary)


def write(pivot: Pivot, table: Table, version: str, report: Report, *, fill_required: bool,
          source_doc: dict, tables: Tables, fill_values: dict | None = None) -> dict:
    ctx = WriteCtx(pivot, table, version, report, fill_required, source_doc, tables)
    ctx.fill_values = fill_values
    read_findings = report.findings[:]  # the reader's: they may say where a value goes
    view = ctx.view
    if pivot.type == "Collection" and table.summaries_as_fields and pivot.summaries and ctx.repair:
        summaries_to_fields(ctx)  # before the transforms, which write some fields (DLM's task)
    for rule in view.write_steps:  # they reshape the pivot before the generic rules run
        if rule.when is None or rule.when.search(ctx.out):
            rule.structural.write(ctx, rule)
    if pivot.type == "Collection" and table.collection_summaries and pivot.fields and ctx.repair:
        fields_to_summaries(ctx)
    _write_all(ctx, pivot.fields, pivot.origin, view.write_fields, view.fast_write_fields, ctx.container,
               "fields", False)
    if pivot.summaries:
        odd = ctx.out.get("summaries")
        summaries = ctx.out["summaries"] = dict(odd) if type(odd) is dict else ctx.new_object("summaries")
        _write_all(ctx, pivot.summaries, pivot.summary_origin, view.write_summaries, view.fast_write_summaries,
                   summaries, "summaries", True)
    if pivot.assets:
        write_assets(ctx, _write_all)
    if pivot.links or pivot.notes.get("links_read"):
        write_links(ctx)
    same_extension = pivot.source[0] == table.name
    for rule in view.consts:
        if same_extension and rule.path[0] not in _source_fields(ctx):
            continue  # within one extension a marker the source lacks is not added
        if rule.when is None or rule.when.search(ctx.out):
            ctx.set(ctx.container, rule.path, rule.value)
    _write_extras(ctx)
    if ctx.where and pivot.source[0] != table.name:
        _strays(ctx)
    for rule in view.write_checks:  # what the target's schema refuses of the written values goes first
        rule.structural.check(ctx, rule)
    for rule in view.requires:
        if rule.when is None or rule.when.search(ctx.out):
            require(ctx, rule)
    stac_extensions(ctx)
    for rule in view.write_transforms:
        if rule.structural.finish is not None:
            rule.structural.finish(ctx, rule)
    if "properties-missing" in pivot.notes:
        before = pivot.notes["properties-missing"]
        if ctx.container:
            if before is not _MISSING:  # (replaced by the object written: said, with its value)
                ctx.loss(("properties",), "dropped", before, f"'properties' is not an object; "
                         f"{ctx.target_name} needs one for what it writes there")
        elif before is _MISSING:
            del ctx.out["properties"]
        else:
            ctx.out["properties"] = before
    if pivot.type == "Collection" and pivot.source[0] == table.name:
        back_into_properties(ctx)
    if pivot.type == "Collection":
        _drop_emptied_summaries(ctx)
    if not ctx.repair and pivot.notes.get("normalised"):
        keep_source_values(ctx, pivot.notes["normalised"])
    if pivot.source[0] == table.name:
        source_order(ctx)
    else:
        _moot_findings(ctx, read_findings)
        if "summaries-to-fields" in pivot.notes:  # a summary moved to a field the target then dropped
            _leave_out_if_dropped(ctx, pivot.notes["summaries-to-fields"])
    if "fields-to-summaries" in pivot.notes:  # a field moved to a summary the target then dropped
        _leave_out_if_dropped(ctx, pivot.notes["fields-to-summaries"])
    return ctx.out


def _moot_findings(ctx: WriteCtx, read_findings: list) -> None:
    """A reader's finding about where a value goes (e.g. a level outside DLM's values, kept as
    processing:level) says nothing when the target dropped the value: the drop is reported, and
    the finding's target is not in the output. (The writer's own findings name what it wrote.)"""
    # usually every target is in the output: the losses' pointers are only built when one is not
    missing = [f for f in read_findings if f.target and value_at(ctx.out, f.target, _MISSING) is _MISSING]
    if missing:
        _leave_out_if_dropped(ctx, missing)


def _leave_out_if_dropped(ctx: WriteCtx, candidates: list) -> None:
    """The *candidates* findings about a value a dropped loss reports go: at the same pointer,
    or, when nothing was written at the finding's target, at each part of it (a list field whose
    every item was dropped: no summary is written)."""
    dropped = {l.pointer for l in ctx.report.losses if l.kind == "dropped"}
    moot = {id(f) for f in candidates if f.pointer in dropped or (
        f.target and value_at(ctx.out, f.target, _MISSING) is _MISSING and any(covers(f.pointer, p) for p in dropped))}
    if moot:
        ctx.report.findings[:] = [f for f in ctx.report.findings if id(f) not in moot]


def _drop_emptied_summaries(ctx: WriteCtx) -> None:
    """Summaries that all went (each one reported) leave no empty object behind."""
    summaries = ctx.out.get("summaries")
    if type(summaries) is not dict or summaries:
        return
    if "summaries" not in ctx.source_doc:  # made for fields written as summaries, which all went
        del ctx.out["summaries"]
    elif ctx.source_doc["summaries"]:
        del ctx.out["summaries"]
        ctx.report.finding("/summaries", "summaries-emptied", f"no summary stays a summary in {ctx.target_name} "
                           "(each one is written as a field or reported): the empty summaries object is left out")


def _strays(ctx: WriteCtx) -> None:
    """Fields of the source's prefix at an Item's top level (outside properties, where no rule
    reads them) do not belong to the target: reported, not carried (they would also make the
    output look like the source extension)."""
    source = ctx.tables.by_name.get(ctx.pivot.source[0])
    if source is None:
        return
    prefix = source.prefix
    try:
        if prefix not in "\n".join(ctx.out):  # usually none: one search, not one test per key
            return
        strays = [k for k in ctx.out if k.startswith(prefix)]
    except TypeError:  # a non-string key (only possible for documents built in Python)
        strays = [k for k in ctx.out if type(k) is str and k.startswith(prefix)]
    for key in strays:
        ctx.loss(f"/{key}", "unknown", ctx.out.pop(key), f"a field with the prefix {source.prefix} outside the "
                 f"Item's properties, where no rule reads it; {ctx.target_name} has no place for it")


def _source_fields(ctx: WriteCtx) -> dict:
    fields = ctx.source_doc.get("properties") if ctx.where else ctx.source_doc
    return fields if type(fields) is dict else {}


def _write_extras(ctx: WriteCtx) -> None:
    same = ctx.pivot.source == (ctx.table.name, ctx.version)
    dropped = None
    for extra in ctx.pivot.extras:
        if same and not (ctx.repair and extra.reason == NULL_READ):  # a repair leaves a null out
            if extra.kind not in ("assumed", "synthesized"):  # those describe the pivot, not the source
                _restore_extra(ctx, extra.path, extra.value)
            continue
        kind, reason = extra.kind, extra.reason
        if kind in ("assumed", "lossy"):
            if dropped is None:  # as written: path tuples (most) and pointers, joined only if needed
                dropped = {l.place for l in ctx.report.losses if l.kind == "dropped"}
                strings = {p for p in dropped if type(p) is str}
            path = extra.path
            if dropped and (any(path[:n] in dropped for n in range(len(path), 0, -1)) or
                            (strings and any(join(path[:n]) in strings for n in range(len(path), 0, -1)))):
                continue  # a guess about, or a part of, a value the target dropped whole: that loss says it
            if extra.via is not None:
                kind, reason = _via(ctx, extra, dropped, strings)
                if kind is None:
                    continue
        elif kind == "unknown":
            reason = f"{reason}; {ctx.target_name} has no equivalent"
        ctx.loss(extra.path, kind, extra.value, reason, extra.rule)


def _via(ctx: WriteCtx, extra, dropped: set, strings: set) -> tuple[str | None, str]:
    """The kind and reason of a lossy or assumed value that travels in a pivot field (or a part
    of one): dropped when the target dropped that field, or wrote other parts of it only; None
    for a guess about a value the source lacks, in a part the target does not write (moot)."""
    field, _, part = extra.via.partition("/")
    origin = ctx.pivot.origin.get(field) or ctx.pivot.summary_origin.get(field)
    if origin and (origin in dropped or as_pointer(origin) in strings):  # what carried the rest went
        return "dropped", f"{extra.reason}; {ctx.target_name} has no place for the {field} that carries the rest"
    written = ctx.parts.get(field)
    if written is not None and not written:  # a field the reader derived from fields carried as they are
        return None, ""
    if part and written is not None and part not in written:
        if extra.kind == "assumed" and ctx.original(extra.path, _MISSING) is _MISSING:
            return None, ""
        carried = " and ".join(PART_WORDS.get(p, p) for p in sorted(written))
        why = f"{ctx.target_name} writes the {field}'s {carried} only, not its {PART_WORDS.get(part, part)}"
        return "dropped", why if extra.kind == "assumed" else f"{extra.reason}; {why}"
    return extra.kind, extra.reason


def _restore_extra(ctx: WriteCtx, path: tuple, value: Any) -> None:
    if type(path[-1]) is int:
        return  # an array item: the array is written back whole (by the rule or transform that read it)
    node: Any = ctx.out
    for token in path[:-1]:
        child = node.get(token) if type(node) is dict else None
        if type(child) is not dict:
            child = node[token] = {}
        node = child
    node[path[-1]] = value
