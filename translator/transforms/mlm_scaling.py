"""MLM 1.0-1.3 input normalisation <-> the ``value_scaling`` of MLM 1.4+ (the pivot's shape).

1.0-1.3 describe it with ``norm_type`` (+ ``statistics``), ``norm_by_channel`` and
``norm_clip``; 1.4 replaced the four fields by a list of Value Scaling Objects, one per band
or a single one for all. What has no equivalent (``l2``, ``hamming`` ... need an authored
processing expression) is kept as a dropped extra, so it is reported with its pointer and
value, and comes back unchanged when the document is written to 1.0-1.3 again.
"""
from __future__ import annotations

import json
from typing import Any

from ..pointer import join
from . import structural
from .mlm_legacy import forget_findings, model_list, replace_item, written_list

LEGACY = ("norm_type", "norm_by_channel", "norm_clip", "statistics")
PARAMS = {"z-score": ("mean", "stddev"), "min-max": ("minimum", "maximum")}
_ABSENT = object()


def _number(value: Any) -> bool:
    return type(value) in (int, float)


def scaling_from_legacy(obj: dict, path: tuple):
    """-> (value_scaling or _ABSENT, leftovers [(path, value, reason)], notes [(path, message)])."""
    kind = obj.get("norm_type")
    stats = obj.get("statistics", _ABSENT)
    clip = obj.get("norm_clip", _ABSENT)
    per_band = obj.get("norm_by_channel", _ABSENT)
    leftovers: list = []
    notes: list = []
    scaling: Any = _ABSENT
    if type(kind) is str and kind in PARAMS:
        params = PARAMS[kind]
        usable = type(stats) is list and stats and all(
            type(s) is dict and all(_number(s.get(p)) for p in params) for s in stats)
        if usable:
            scaling = [{"type": kind, **{p: s[p] for p in params}} for s in stats]
            for j, s in enumerate(stats):
                for k, v in s.items():
                    if k not in params:
                        leftovers.append((path + ("statistics", j, k), v,
                                          f"a '{kind}' value_scaling keeps only {' and '.join(params)}"))
            if per_band is False and len(stats) > 1:
                notes.append((path + ("norm_by_channel",),
                               f"norm_by_channel is false but {len(stats)} statistics are given: "
                               "one value_scaling entry per statistics entry"))
        else:
            leftovers.append((path + ("norm_type",), kind,
                              f"norm_type '{kind}' needs statistics with {' and '.join(params)} to become "
                              "a value_scaling; none are usable"))
            if stats is not _ABSENT:
                leftovers.append((path + ("statistics",), stats, "statistics that no value_scaling can use"))
    elif kind is None:
        if "norm_type" in obj and clip is _ABSENT:
            scaling = None  # an explicit "no normalisation"
        if stats is not _ABSENT:
            leftovers.append((path + ("statistics",), stats,
                              "statistics without norm_type describe no scaling; value_scaling has no place "
                              "for them"))
    else:
        leftovers.append((path + ("norm_type",), kind,
                          f"norm_type {kind!r} has no value_scaling equivalent (a 'processing' value_scaling "
                          "with an authored expression would be needed)"))
        if stats is not _ABSENT:
            leftovers.append((path + ("statistics",), stats, f"statistics for norm_type {kind!r}"))
    if clip is not _ABSENT:
        pair = type(clip) is list and len(clip) == 2 and all(_number(c) for c in clip) and clip[0] <= clip[1]
        if pair and kind is None:
            scaling = [{"type": "clip", "minimum": clip[0], "maximum": clip[1]}]
            notes.append((path + ("norm_clip",), f"norm_clip {clip} read as the clip range [minimum, maximum]"))
        elif pair:
            leftovers.append((path + ("norm_clip",), clip,
                              "value_scaling holds one operation per band; the clip range cannot be added "
                              "to the norm_type scaling"))
        else:
            leftovers.append((path + ("norm_clip",), clip,
                              "only a [minimum, maximum] norm_clip has a value_scaling equivalent"))
    if per_band is not _ABSENT and scaling is _ABSENT:
        notes.append((path + ("norm_by_channel",), "norm_by_channel has no effect without a scaling; removed"))
    return scaling, leftovers, notes


def legacy_from_scaling(scaling: Any, version: str) -> tuple[dict | None, str]:
    """value_scaling -> the 1.0-1.3 fields, or (None, why not)."""
    if scaling is None:
        return {"norm_type": None}, ""
    entries = scaling if type(scaling) is list else []
    kinds = sorted({str(e.get("type")) for e in entries if type(e) is dict})
    if entries and len(kinds) == 1 and all(type(e) is dict for e in entries):
        kind = kinds[0]
        params = PARAMS.get(kind)
        # only what reading 1.0-1.3 turns back into this value_scaling (numbers, an ordered clip range)
        if params and all(set(e) == {"type", *params} and all(_number(e[p]) for p in params) for e in entries):
            return {"norm_by_channel": len(entries) > 1, "norm_type": kind,
                    "statistics": [{p: e[p] for p in params} for e in entries]}, ""
        clip = entries[0]
        if kind == "clip" and len(entries) == 1 and set(clip) == {"type", "minimum", "maximum"} \
                and _number(clip["minimum"]) and _number(clip["maximum"]) and clip["minimum"] <= clip["maximum"]:
            return {"norm_clip": [clip["minimum"], clip["maximum"]]}, ""
    return None, (f"MLM {version} has no equivalent of this value_scaling ({', '.join(kinds) or 'empty'}): "
                  "norm_type knows one min-max or z-score per band, norm_clip one clip range, each given by numbers")


def _replace_keys(obj: dict, old: tuple, new: dict) -> dict:
    """obj without the keys *old*, with *new* placed where the first of them stood."""
    out: dict = {}
    placed = False
    for k, v in obj.items():
        if k in old:
            if not placed:
                out.update(new)
                placed = True
        else:
            out[k] = v
    if not placed:
        out.update(new)
    return out


@structural("mlm-value-scaling", lossy="norm_type values such as l2 or hamming have no value_scaling equivalent")
class ValueScaling:

    @staticmethod
    def read(ctx, rule) -> None:
        found = model_list(ctx, "input")
        if found is None:
            return
        holder, key, path = found
        originals = {}
        for i, obj in enumerate(list(holder[key])):
            if type(obj) is not dict or not any(k in obj for k in LEGACY):
                continue
            where = path + (i,)
            if "value_scaling" in obj:  # the 1.4+ field wins over stale 1.0-1.3 ones
                scaling = _ABSENT
                leftovers = [(where + (k,), obj[k], "the input also has a value_scaling, which is kept")
                             for k in LEGACY if k in obj and k != "norm_by_channel"]
                notes = [(where + ("norm_by_channel",), "norm_by_channel (removed in 1.4.0) dropped; the input's "
                          "value_scaling is kept")] if "norm_by_channel" in obj else []
            else:
                scaling, leftovers, notes = scaling_from_legacy(obj, where)
            new = {"value_scaling": scaling} if scaling is not _ABSENT else {}
            replace_item(ctx, holder, key, i, _replace_keys(obj, LEGACY, new))
            originals[i] = obj
            for sub, value, reason in leftovers:
                ctx.extra(sub, value, "dropped", reason, rule.id)
            for sub, message in notes:
                ctx.report.finding(join(sub), "normalisation", message, rule.id)
            if scaling is not _ABSENT:
                text = json.dumps(scaling)
                text = text if len(text) < 200 else text[:200] + "..."
                ctx.report.finding(join(where), "value-scaling",
                                   f"{', '.join(k for k in obj if k in LEGACY)} (removed in 1.4.0) read as "
                                   f"value_scaling {text}", rule.id)
        if originals:
            ctx.pivot.notes["mlm:normalisation"] = originals

    @staticmethod
    def write(ctx, rule) -> None:
        # the leftovers come back with the source's own input objects: not lost, not extras
        ctx.pivot.extras[:] = [e for e in ctx.pivot.extras if e.rule != rule.id]
        found = written_list(ctx, "input")
        if found is None:
            return
        inputs, origin = found
        originals = ctx.pivot.notes.get("mlm:normalisation", {})
        out = list(inputs)
        for i, obj in enumerate(inputs):
            if type(obj) is not dict:
                continue
            if i in originals:
                out[i] = _restore(obj, originals[i])
                forget_findings(ctx, rule)
                continue
            if "norm_by_channel" in obj:  # carried from a 1.4+ input, where the field no longer exists
                ctx.lost_part(origin, (i, "norm_by_channel"), "dropped", obj["norm_by_channel"],
                              f"norm_by_channel was removed in 1.4.0; MLM {ctx.version} reads it as part of a "
                              "normalisation, which is written from value_scaling alone", rule.id)
                obj = out[i] = {k: v for k, v in obj.items() if k != "norm_by_channel"}
            if "value_scaling" in obj:
                legacy, why = legacy_from_scaling(obj["value_scaling"], ctx.version)
                if legacy is None:
                    ctx.lost_part(origin, (i, "value_scaling"), "dropped", obj["value_scaling"], why, rule.id)
                    legacy = {}
                out[i] = _replace_keys(obj, ("value_scaling",) + LEGACY, legacy)
        if out != inputs:
            ctx.pivot.fields["input"] = out


def _restore(current: dict, original: dict) -> dict:
    """The source's input object: its legacy fields and key order, the current other values."""
    out = {}
    for k, v in original.items():
        if k in LEGACY:
            out[k] = v
        elif k in current:
            out[k] = current[k]
    for k, v in current.items():
        if k not in out and k != "value_scaling":
            out[k] = v
    return out
