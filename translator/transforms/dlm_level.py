"""DLM transform ``dlm-level``: ``dlm:data.process_level`` (the processing level of the imagery the
model takes) <-> ``processing:level`` of the Item (processing extension; MLM's best practices use it
for how the input data was processed); for a Collection, whose top level the processing schema does
not take it at, <-> the one-value summary ``processing:level``.

Reading: the level becomes the pivot field ``processing_level`` unless the Item has a
``processing:level`` of its own (the DLM beta.3 example says ``L4`` there, the level of what the model
produces, next to ``process_level: ortho``): that one is kept and ``process_level`` is reported.
Writing DLM: the pivot field, or a ``processing:level`` the output carries from another extension,
becomes ``process_level`` when it is one of DLM's values; otherwise it is reported (a carried one stays
``processing:level``). To DLM itself ``dlm:data`` is written back as read (dlm-bands, dlm-upgrade).
"""
from __future__ import annotations

import re

from . import structural
from .dlm_data import data_entry, take_from_data
from .dlm_runtime import pointer_at

FIELD = "processing:level"
PIVOT = "processing_level"
LEVELS = ("raw", "ortho", "L0", "L1", "L2", "L3")  # the project DLM schema's process_level values
_URI = re.compile(r"/processing/v[^/]+/schema\.json#?$")


@structural("dlm-level", lossy="levels outside DLM's values stay processing:level; an Item's own is not replaced")
class Level:
    @staticmethod
    def read(ctx, rule) -> None:
        props, where, level = data_entry(ctx, "process_level")
        if type(level) is not str or not level:
            return  # reported with the rest of dlm:data
        path = where + ("dlm:data", "process_level")
        pointer = "/" + "/".join(path)
        take_from_data(ctx, props, "process_level")
        if ctx.type == "Collection":
            _read_summary(ctx, rule, level, path)
        elif FIELD not in props:
            ctx.pivot.fields[PIVOT] = level
            ctx.pivot.origin[PIVOT] = path
            _outside_levels(ctx, rule, level, pointer, "/" + "/".join(where + (FIELD,)))
        elif props[FIELD] == level:
            ctx.report.finding(pointer, "process-level-same", f"the Item's {FIELD} already says '{level}'",
                               rule.id, "/" + "/".join(where + (FIELD,)))
        else:
            ctx.extra(path, level, "dropped", f"the Item has a {FIELD} of its own ({props[FIELD]!r}), kept as it "
                      "is; the processing level of the source imagery is not written over it", rule.id)

    @staticmethod
    def write(ctx, rule) -> None:
        level = ctx.pivot.fields.pop(PIVOT, None)
        origin = ctx.pivot.origin.pop(PIVOT, "")
        summary = ctx.pivot.summaries.pop(PIVOT, None)
        summary_origin = ctx.pivot.summary_origin.pop(PIVOT, "")
        # Writing DLM, the reader's "back to DLM keeps it as processing:level" does not hold: either
        # dlm:data is written as it was read, or the level is reported below.
        ctx.report.findings[:] = [f for f in ctx.report.findings
                                  if f.rule != rule.id or f.code != "outside-vocabulary"]
        if ctx.pivot.source[0] == ctx.table.name:  # DLM to DLM: the level is not moved
            return
        if ctx.type == "Collection":
            _write_summary(ctx, rule, summary, summary_origin)
            return
        carried = level is None
        if carried:
            level, origin = ctx.container.get(FIELD), pointer_at(ctx, (FIELD,))
            if level is None:
                return
        target = pointer_at(ctx, ("dlm:data", "process_level"))
        if level not in LEVELS:
            message = f"{level!r} is not one of DLM's process_level values ({', '.join(LEVELS)})"
            if carried:
                ctx.report.finding(origin, "process-level-kept", message + f": kept as {FIELD}", rule.id, origin)
            else:
                ctx.loss(origin, "dropped", ctx.original(origin, level), message, rule.id)
            return
        ctx.set(ctx.container, ("dlm:data", "process_level"), level)
        if carried:
            del ctx.container[FIELD]
            _unused_uri(ctx)
            ctx.report.finding(origin, "to-process-level", f"{FIELD} written as dlm:data.process_level", rule.id,
                               target)

    @staticmethod
    def describe(rule) -> list[tuple[str, str, str]]:
        return [("fields", PIVOT, "dlm:data/process_level (a Collection's: the summary)")]


def _read_summary(ctx, rule, level: str, path: tuple) -> None:
    """A Collection's level: the summary processing:level, unless the Collection has one of its own."""
    summaries = ctx.pivot.base.get("summaries")
    own = summaries.get(FIELD) if type(summaries) is dict else None
    if own is None:
        ctx.pivot.summaries[PIVOT] = [level]
        ctx.pivot.summary_origin[PIVOT] = path
        _outside_levels(ctx, rule, level, "/" + "/".join(path), f"/summaries/{FIELD}")
    elif own == [level]:
        ctx.report.finding("/" + "/".join(path), "process-level-same", f"the Collection's {FIELD} summary "
                           f"already says '{level}'", rule.id, f"/summaries/{FIELD}")
    else:
        ctx.extra(path, level, "dropped", f"the Collection has a {FIELD} summary of its own ({own!r}), kept "
                  "as it is; the processing level of the source imagery is not written over it", rule.id)


def _outside_levels(ctx, rule, level: str, pointer: str, target: str) -> None:
    """A level DLM does not list is still carried, but a way back to DLM keeps it as processing:level."""
    if level not in LEVELS:
        ctx.report.finding(pointer, "outside-vocabulary", f"{level!r} is not one of DLM's process_level values "
                           f"({', '.join(LEVELS)}): a translation back to DLM keeps it as {FIELD}", rule.id, target)


def _write_summary(ctx, rule, summary, origin) -> None:
    """The pivot's summary, or a one-value processing:level summary the output carries from another
    extension, -> process_level when it is one of DLM's values."""
    summaries = ctx.out.get("summaries")
    carried = summary is None
    if carried:
        if type(summaries) is not dict or FIELD not in summaries:
            return
        summary, origin = summaries[FIELD], f"/summaries/{FIELD}"
    level = summary[0] if type(summary) is list and len(summary) == 1 else None
    target = pointer_at(ctx, ("dlm:data", "process_level"))
    if level not in LEVELS:
        message = f"{summary!r} is not one of DLM's process_level values ({', '.join(LEVELS)}) alone"
        if carried:
            ctx.report.finding(origin, "process-level-kept", message + f": kept as the {FIELD} summary", rule.id,
                               origin)
        else:
            ctx.loss(origin, "dropped", ctx.original(origin, summary), message, rule.id)
        return
    ctx.set(ctx.container, ("dlm:data", "process_level"), level)
    if carried:
        ctx.out["summaries"] = {k: v for k, v in summaries.items() if k != FIELD}
        _unused_uri(ctx)
        ctx.report.finding(origin, "to-process-level", f"the {FIELD} summary written as dlm:data.process_level",
                           rule.id, target)


def _unused_uri(ctx) -> None:
    """The processing extension's URI goes when no processing field is left (its schema wants one)."""
    assets = ctx.out.get("assets")
    holders = [ctx.container] + (list(assets.values()) if type(assets) is dict else [])
    if ctx.type == "Collection":  # the processing schema also counts summaries, providers, item assets
        item_assets, providers = ctx.out.get("item_assets"), ctx.out.get("providers")
        holders.append(ctx.out.get("summaries"))
        holders += list(item_assets.values()) if type(item_assets) is dict else []
        holders += providers if type(providers) is list else []
    if any(type(h) is dict and any(type(k) is str and k.startswith("processing:") for k in h) for h in holders):
        return
    uris = ctx.out.get("stac_extensions")
    if type(uris) is list and any(type(u) is str and _URI.search(u) for u in uris):
        ctx.out["stac_extensions"] = [u for u in uris if not (type(u) is str and _URI.search(u))]
