"""Where things go in the output, once the rules have written it: the stac_extensions list,
and, within one extension, the source's key order, properties objects and unchanged values."""
from __future__ import annotations

import re
from typing import Any

from .detect import _normal
from .pointer import join

_VERSIONLESS = re.compile(r"/v?\d[^/]*/schema\.json#?$")


def back_into_properties(ctx) -> None:
    """Within one extension, Collection fields read from a properties object go back there."""
    props = ctx.out.get("properties")
    if type(props) is not dict:
        return
    for origin in ctx.pivot.origin.values():
        if type(origin) is tuple and len(origin) == 2 and origin[0] == "properties" and origin[1] in ctx.out:
            props[origin[1]] = ctx.out.pop(origin[1])


def fields_to_summaries(ctx) -> None:
    """A target that keeps Collection fields in summaries only (ml-model): the fields the
    source has at the Collection level become one-value summaries."""
    pivot, index = ctx.pivot, ctx.view.write_summaries
    for name in [n for n in pivot.fields if n not in pivot.summaries]:
        rule = ctx.first(index.get(name))
        if rule is None:
            continue
        value = pivot.fields.pop(name)
        origin = pivot.origin.pop(name, "")
        # a list field's summary lists its values; any other value is the summary's one value
        pivot.summaries[name] = value if type(value) is list and _listed(ctx, name) else [value]
        pivot.summary_origin[name] = origin
        pointer = join(origin) if type(origin) is tuple else origin
        ctx.report.finding(pointer, "to-summary", f"{ctx.target_name} keeps Collection fields in summaries: "
                           f"written as the summary {rule.field}", rule.id, f"/summaries/{rule.field}")
        pivot.notes.setdefault("fields-to-summaries", []).append(ctx.report.findings[-1])


def summaries_to_fields(ctx) -> None:
    """A target whose Collections hold its fields only as one-value summaries of its own (DLM,
    ``summaries_as_fields``): a one-value summary of another extension that the target writes as
    a field (by a rule or a transform) becomes that field, instead of a summary it has no place for."""
    pivot = ctx.pivot
    for name in [n for n, v in pivot.summaries.items() if type(v) is list and v and n not in pivot.fields]:
        if ctx.first(ctx.view.write_summaries.get(name)) is not None:
            continue
        written = _field_written(ctx, name)
        if written is None:
            continue
        if len(pivot.summaries[name]) > 1:
            _several_values(ctx, name, written[0])
            continue
        value = pivot.summaries.pop(name)
        origin = pivot.summary_origin.pop(name, "")
        listed = _listed(ctx, name)
        pivot.fields[name] = value if listed else value[0]  # (as fields_to_summaries writes it)
        if origin != "" and origin != ():
            origin = origin if listed else origin + (0,) if type(origin) is tuple else f"{origin}/0"
        pivot.origin[name] = origin
        pointer = join(origin) if type(origin) is tuple else origin
        text, target = written
        ctx.report.finding(pointer, "summary-to-field", f"{ctx.target_name} summarises only its whole objects: the "
                           f"one-value summary written into {text} (a way back reads it as the Collection's field)",
                           "", target)
        # left out if the target then drops the field (writer._leave_out_if_dropped)
        pivot.notes.setdefault("summaries-to-fields", []).append(ctx.report.findings[-1])


def _several_values(ctx, name: str, text: str) -> None:
    """A summary of several values of a field the target keeps only in one-value summaries of its
    own objects: reported with why (the generic reason would say the target has no place at all)."""
    value = ctx.pivot.summaries.pop(name)
    origin = ctx.pivot.summary_origin.pop(name, "")
    ctx.loss(origin, "dropped", ctx.original(origin, value) if origin else value,
             f"a summary of {len(value)} values: {ctx.target_name} keeps a Collection's fields only as one-value "
             f"summaries of its own objects (here {text}), which a way back reads as the Collection's field; "
             "one object per value would not read back as this summary, and would pair values of other "
             "fields of the same object that the source summarises apart")


def _listed(ctx, name: str) -> bool:
    """Whether pivot field *name* holds a list (the vocabulary's type)."""
    kind = ctx.tables.vocabulary.get("fields", {}).get(name)
    return type(kind) is dict and kind.get("type") == "list"


def _field_written(ctx, name: str) -> tuple[str, str | None] | None:
    """Where the target writes pivot field *name*: a rule's field (and its pointer), or what a
    write transform says it writes (its ``describe``); None when it has no place for it."""
    rule = ctx.first(ctx.view.write_fields.get(name))
    if rule is not None:
        return rule.field, join(ctx.where + rule.path)
    for transform in ctx.view.write_transforms:
        describe = getattr(transform.structural, "describe", None)
        for section, pivot_name, text in describe(transform) if describe is not None else ():
            if section == "fields" and pivot_name == name:
                return text, None
    return None


def keep_source_values(ctx, paths: list) -> None:
    """To the same extension and version, values the reader normalised are written as the
    source wrote them (the finding stays: the value is still not the canonical one)."""
    for path in paths:
        node: Any = ctx.out
        for token in path[:-1]:
            child = node[token] if type(node) is dict and token in node else \
                node[token] if type(node) is list and type(token) is int and token < len(node) else None
            if type(child) not in (dict, list):
                node = None
                break
            node = child
        if node is None:
            continue
        last = path[-1]
        if (type(node) is dict and last in node) or (type(node) is list and type(last) is int and last < len(node)):
            node[last] = ctx.original(path)


def source_order(ctx) -> None:
    """Within one extension, fields keep the source's key order (new keys follow), so a
    translation to the same version is the identity and the residue stays small."""
    src = ctx.source_doc
    pairs = [(ctx.container, src.get("properties") if ctx.where else src)]
    if ctx.where:
        pairs.append((ctx.out, src))  # an Item's top level (extras written back there come last otherwise)
    if type(ctx.out.get("summaries")) is dict:
        pairs.append((ctx.out["summaries"], src.get("summaries")))
    if not ctx.where and type(ctx.out.get("properties")) is dict:  # a Collection's properties object
        pairs.append((ctx.out["properties"], src.get("properties")))
    for group in ("assets", "item_assets"):
        assets, source = ctx.out.get(group), src.get(group)
        if type(assets) is dict and type(source) is dict:
            pairs.extend((a, source.get(k)) for k, a in assets.items() if type(a) is dict)
    order_like(pairs)


def order_like(pairs: list) -> None:
    """Each (written object, source object) pair: the written keys in the source's order (new
    keys follow), nested objects too."""
    while pairs:
        out, source = pairs.pop()
        if type(source) is not dict:
            continue
        # nested objects written through paths (dlm:architecture/type) follow the source too
        pairs.extend((v, source.get(k)) for k, v in out.items() if type(v) is dict and k in source
                     and type(source[k]) is dict and v is not source[k] and len(pairs) < 10_000)
        keys = list(out)
        order = [k for k in source if k in out]
        if keys[:len(order)] != order:
            ordered = {k: out[k] for k in order}
            ordered.update((k, v) for k, v in out.items() if k not in ordered)
            out.clear()
            out.update(ordered)


# the short extension ids of STAC 1.0.0-beta documents -> the field prefix of the extension
SHORT_IDS = {"eo": "eo:", "scientific": "sci:", "label": "label:", "projection": "proj:", "sat": "sat:",
             "view": "view:", "file": "file:", "processing": "processing:", "raster": "raster:",
             "version": "version:", "checksum": "file:"}


def stac_extensions(ctx) -> None:
    """The output's stac_extensions; catalogs repeat the same few lists, so each distinct
    (lists, tables, versions, prefixes used) case is worked out once."""
    declared = ctx.out.get("stac_extensions")
    broken = type(declared) is not list and "stac_extensions" in ctx.out
    declared = declared if type(declared) is list else []
    # (the identity adds no supporting URI: nothing to look for)
    used = supporting_used(ctx) if ctx.repair and ctx.table.supporting else frozenset()
    cache = ctx.tables.extensions_cache
    if set(map(type, declared)) <= {str}:  # 1, 1.0 and True are equal keys: only strings are cached
        key = (tuple(declared), ctx.pivot.source, ctx.table.name, ctx.version, ctx.repair, used)
        hit = cache.get(key)
    else:
        key, hit = None, None
    if hit is None:
        hit = _extensions(ctx, declared, used)
        if key is not None and len(cache) < 4096:
            cache[key] = hit
    result, findings = hit
    for code, pointer, message, target in findings:
        ctx.report.finding(pointer, code, message, "", target)
    if result != declared or "stac_extensions" not in ctx.out:
        if broken:  # (replaced: said, with its value)
            ctx.loss(("stac_extensions",), "dropped", ctx.out["stac_extensions"], "'stac_extensions' is not a list; "
                     f"{ctx.target_name} needs one to declare the extensions the output uses")
        ctx.out["stac_extensions"] = list(result)


def supporting_used(ctx) -> frozenset:
    """The prefixes of the target's supporting extensions that the output's fields, summaries,
    assets, item assets and links use, whether the writer wrote them or carried them from the
    source: a repairing write of the output to the same extension reads some of the carried ones
    as its own (raster:bands of the model asset, ml-aoi:split of a training-data link), so the
    first translation declares them already and a second one changes nothing."""
    out = ctx.out
    objects = [ctx.container, out.get("summaries")]
    for group in ("assets", "item_assets"):
        if type(out.get(group)) is dict:
            objects.extend(out[group].values())
    if type(out.get("links")) is list:
        objects.extend(out["links"])
    try:  # one search per prefix in all the keys, one a line: faster than a test per key
        keys = "\n" + "\n".join(["\n".join(o) for o in objects if type(o) is dict])
    except TypeError:  # a non-string key (only possible for documents built in Python)
        keys = "\n" + "\n".join(k for o in objects if type(o) is dict for k in o if type(k) is str)
    return frozenset([p for line, p in ctx.table.supporting_lines if line in keys])


def _extensions(ctx, declared: list, used: frozenset) -> tuple[list, list]:
    source_table = ctx.tables.by_name.get(ctx.pivot.source[0])
    target_uri = ctx.table.write_uri(ctx.version)
    # same extension and version: the document keeps the URI form it declares (or declares none)
    same = ctx.pivot.source == (ctx.table.name, ctx.version)
    result, placed, findings = [], False, []
    for i, uri in enumerate(declared):
        if ctx.repair and type(uri) is str and SHORT_IDS.get(uri, "") in ctx.table.supporting:
            # STAC 1.0.0-beta short ids: the target's schema looks for the extension's URI
            full = ctx.table.supporting[SHORT_IDS[uri]]
            if full not in declared:
                findings.append(("short-id", f"/stac_extensions/{i}", f"'{uri}' written as {full}",
                                 f"/stac_extensions/{len(result)}"))
                result.append(full)
                continue
        known = None
        if type(uri) is str:  # http://, trailing '#' read as detection reads them
            known = uri if uri in ctx.table.uris or (source_table is not None and uri in source_table.uris) \
                else _normal(uri)
        mine = known is not None and (known in ctx.table.uris or (source_table is not None and known in source_table.uris))
        if not mine:
            result.append(uri)
        elif not placed:
            kept = same and ctx.table.uris.get(known) == ctx.version
            if kept and ctx.repair and "://" not in uri:
                # a short id ('dl-model') names a schema only under STAC 1.0.0-beta: a repair
                # writes the URI a validator can check the document against
                kept = False
                findings.append(("short-id", f"/stac_extensions/{i}", f"'{uri}' written as {target_uri}",
                                 f"/stac_extensions/{len(result)}"))
            result.append(uri if kept else target_uri)
            placed = True
    if not placed and (not same or ctx.repair):
        if same:  # a repair: validators check only the extensions a document declares
            findings.append(("declared", "/stac_extensions", f"{target_uri} added: the document uses "
                             f"{ctx.table.name} without declaring it", f"/stac_extensions/{len(result)}"))
        result.append(target_uri)
    supporting = ctx.table.supporting
    needed = [supporting[p] for p in sorted(used)]
    if needed:
        families = {_VERSIONLESS.sub("", u) for u in result if type(u) is str}
        for uri in needed:
            if _VERSIONLESS.sub("", uri) not in families:
                result.append(uri)
    return result, findings
