"""DLM values: the three shapes of a class mapping, the scaling read as MLM's value_scaling, the dimension order DLM's output reads back
with, and what the DLM schema refuses of values carried from another extension, settled once the
output is complete (dlm: keys at a Collection's top level, as DLM defines no Collection fields; an
empty architecture type or framework name)."""
from __future__ import annotations

import math
from typing import Any

from ..layout import order_like
from ..pivot import CLASS_COUNT
from ..pointer import join
from .dlm_checked import forget


def classes(mapping: Any) -> list[tuple[int, str]] | None:
    """The three shapes of class_name_mapping -> [(value, name)]."""
    pairs: list = []
    if type(mapping) is dict:
        items = list(mapping.items())
    elif type(mapping) is list:
        items = []
        for entry in mapping:
            if type(entry) is dict and "index" in entry:
                items.append((entry.get("index"), entry.get("class_name", entry.get("name"))))
            elif type(entry) is dict and len(entry) == 1:
                items.extend(entry.items())
            else:
                return None
    else:
        return None
    for key, name in items:
        text = str(key)
        digits = text[2:] if text.startswith("I_") else text
        if not digits.lstrip("-").isdigit() or type(name) is not str:
            return None
        pairs.append((int(digits), name))
    return pairs


def unnamed_classes(mapping: Any, pairs: list) -> list[tuple[Any, Any]]:
    """(key or list position, source value) of each class whose name is empty (DLM's class names
    are not), of a mapping and its *pairs* from :func:`classes` (one pair per key or list entry)."""
    places = list(mapping) if type(mapping) is dict else range(len(mapping))
    return [(place, mapping[place]) for place, (_, name) in zip(places, pairs) if name == ""]


# (MLM carries the class as it is; tdml's label:classes, a list of names, leaves it out)
_UNNAMED = "a class with an empty name, which DLM's class names cannot be: it cannot come back to DLM as it was"


def carried_classes(ctx, rule, pairs: list, mapping, path: tuple) -> list:
    """The classes read for another extension. A class value names one class: of an index given
    again (possible in the list shapes) the first name is kept, and the mapping is reported as
    partly carried. A class with an empty name is carried (the other extensions allow one) and
    reported at its place: the way back cannot write it as it was."""
    for place, given in unnamed_classes(mapping, pairs):
        ctx.extra(path + (place,), given, "lossy", _UNNAMED, rule.id, via="output/classification:classes")
    kept: dict = {}
    repeated = []
    for value, name in pairs:
        if value in kept:
            repeated.append(f"{value} ({name!r})")
        else:
            kept[value] = name
    if repeated:
        ctx.extra(path, mapping, "lossy", f"class indices given again: {', '.join(repeated)}; "
                  "the first name of each index is kept", rule.id)
    return list(kept.items())


def read_class_count(ctx, rule, outputs: dict, pairs, path: tuple) -> None:
    """number_of_classes that counts the classes DLM lists, all of them or all but the don't-care
    one (the official example's way), is written back from them in the same way (nothing is
    lost); any other is reported with what it disagrees with."""
    count = outputs["number_of_classes"]
    listed = sum(1 for v, _ in pairs or () if v >= 0)
    dont_care = outputs.get("dont_care_index")
    indexed = type(dont_care) is int and dont_care >= 0  # the writer's nodata class, as _read_outputs marks it
    cared = listed - any(v == dont_care for v, _ in pairs or ()) if indexed else listed
    if type(count) is int and count >= 1 and count in (listed, cared):  # (the schema's minimum is 1)
        ctx.pivot.notes["dlm:class_count"] = "all" if count == listed else "cared"
        ctx.pivot.read_from("output", CLASS_COUNT, path + ("number_of_classes",))
        return
    if count is None:
        why = "a null number_of_classes: nothing to carry"
    elif not pairs:
        why = "a number of classes without a class list: the other extensions list classes, they do not count them"
    else:
        aside = f", or {cared} without the don't-care one" if cared != listed else ""
        why = (f"number_of_classes {count!r} is not the number of classes class_name_mapping lists "
               f"({listed}{aside}); the classes are carried, not the count")
    ctx.extra(path + ("number_of_classes",), count, "dropped", why, rule.id)


def finish_output(ctx, rule) -> None:
    """DLM defines no Collection fields (the project schema forbids dlm: keys at a Collection's
    top level): written from another extension, they become one-value summaries; from DLM itself,
    those read from such summaries go back there, and a repair or another version moves those the
    source gave at its top level there too."""
    collection = ctx.type == "Collection"
    if ctx.pivot.source[0] == ctx.table.name:
        if collection:
            _back_to_summaries(ctx)
            if ctx.repair or ctx.pivot.source[1] != ctx.version:  # (the identity keeps the document)
                _to_summaries(ctx, rule, read=True)
        return
    if ctx.type == "Feature":
        _required_text(ctx, rule)
    if collection:
        _to_summaries(ctx, rule, read=False)


def _to_summaries(ctx, rule, read: bool) -> None:
    """The dlm: fields at the Collection's top level written as one-value summaries; *read*: they
    are the source's own (at the same place there), not written from the pivot."""
    keys = [k for k in ctx.out if type(k) is str and k.startswith("dlm:")]
    if not keys:
        return
    summaries = ctx.out.get("summaries")
    # (an odd summaries value is reported, not kept in the way)
    summaries = dict(summaries) if type(summaries) is dict else ctx.new_object("summaries")
    for key in keys:
        value = ctx.out.pop(key)
        where = join((key,)) if read else ""  # (from the pivot: no source pointer, the target says where)
        if key in summaries:  # (what the source has there, not the form the writer gave it)
            forget(ctx.report, where or None, join((key,)))  # (what was said of its parts goes with it)
            ctx.loss(where, "dropped", ctx.original(where, value) if read else value,
                     f"{key}: DLM has no Collection fields and the summary "
                     "is given already", rule.id, join(("summaries", key)))
            continue
        summaries[key] = [value]
        ctx.out["summaries"] = summaries
        ctx.report.retarget(join((key,)), join(("summaries", key, 0)))
        ctx.report.finding(where, "to-summary", f"DLM has no Collection fields: {key} written as a "
                           "one-value summary", rule.id, join(("summaries", key)))


def _back_to_summaries(ctx) -> None:
    """DLM to DLM: the fields read from one-value summaries (dlm-normalise) go back there."""
    keys = [k for k in ctx.pivot.notes.get("dlm:from-summaries", ()) if k in ctx.out]
    if not keys:
        return
    summaries = ctx.out.get("summaries")
    summaries = ctx.out["summaries"] = dict(summaries) if type(summaries) is dict else {}
    source = ctx.source_doc["summaries"]
    for key in keys:
        summaries[key] = [ctx.out.pop(key)]
        ctx.report.retarget(join((key,)), join(("summaries", key, 0)))
    # in the source's key order, as an Item's fields are (layout.source_order)
    order_like([(summaries[key][0], source[key][0]) for key in keys if type(summaries[key][0]) is dict])


def _required_text(ctx, rule) -> None:
    """DLM requires a non-empty architecture type and framework name: a source value that is not
    one (an empty string) is replaced by a placeholder with fill_required, else a problem."""
    props = ctx.out.get("properties")
    for obj_key, key, pivot_name in (("dlm:architecture", "type", "architecture"),
                                     ("dlm:runtime", "framework", "framework")):
        obj = props.get(obj_key) if type(props) is dict else None
        if type(obj) is not dict or key not in obj or (type(obj[key]) is str and obj[key]):
            continue
        target = f"/properties/{obj_key}/{key}"
        if ctx.fill_required:
            ctx.loss(ctx.pivot.origin.get(pivot_name, ""), "synthesized", obj[key], "DLM requires a non-empty "
                     f"{pivot_name}: the placeholder 'unknown' written", rule.id, target)
            obj[key] = "unknown"
        else:
            ctx.report.problems.append(f"{target} must be a non-empty string for the DLM schema; the source "
                                       "gives an empty one (--fill-required writes a placeholder)")


def number(value) -> bool:
    return type(value) in (int, float) and math.isfinite(value)


def output_order(rank: int) -> list[str]:
    """The dimension order DLM's output reads back with: named for ranks 1, 2 and 4, otherwise
    dim-a, dim-b, ... (MLM dimension names are lower-case letters, '-' and '_' only)."""
    known = {4: ["batch", "channel", "height", "width"], 2: ["batch", "class"], 1: ["batch"]}
    return known.get(rank) or ["dim-" + "".join(chr(97 + int(d)) for d in str(i)) for i in range(rank)]


def _per_band(value: Any, n: int) -> list | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value:
        return [value] * max(n, 1)
    if type(value) is list and value and all(isinstance(v, (int, float)) and v for v in value):
        return list(value)
    return None


def value_scaling(inputs: dict) -> list | None:
    """DLM applies scaling_factor (multiply), then the z-score: one MLM operation per band,
    folded: (x*s - m)/sd == (x - m/s)/(sd/s)."""
    mean, std = inputs.get("normalization:mean"), inputs.get("normalization:std")
    factor = inputs.get("scaling_factor")
    numbers = (int, float)
    if type(mean) is list and type(std) is list and len(mean) == len(std) and mean \
            and all(isinstance(v, numbers) and not isinstance(v, bool) for v in mean + std):
        if factor is None:  # nothing to fold: the values are carried as they are
            if not all(math.isfinite(v) for v in mean) or not all(math.isfinite(sd) and sd > 0 for sd in std):
                return None  # DLM writes back finite means and positive deviations only: reported instead
            return [{"type": "z-score", "mean": m, "stddev": sd} for m, sd in zip(mean, std)]
        scale = _per_band(factor, len(mean))
        if scale is None or not all(isinstance(s, numbers) and not isinstance(s, bool) for s in scale):
            return None
        if len(scale) == 1:
            scale = scale * len(mean)
        if len(scale) != len(mean):
            return None
        folded = [{"type": "z-score", "mean": m / s, "stddev": sd / s} for m, sd, s in zip(mean, std, scale)]
        finite = all(s and math.isfinite(z["mean"]) and math.isfinite(z["stddev"]) and z["stddev"] > 0
                     for s, z in zip(scale, folded))
        return folded if finite else None  # a tiny factor can fold to an infinite value; DLM wants deviations > 0
    scale = _per_band(factor, 1)
    if scale is not None and mean is None and std is None and all(
            isinstance(s, numbers) and not isinstance(s, bool) and s and math.isfinite(s) and 1 / s
            and math.isfinite(1 / s) for s in scale):  # 1/factor must be a finite, non-zero scale
        return [{"type": "scale", "value": 1 / s} for s in scale]
    return None


def write_classes(ctx, rule, first: dict, origin, out: dict) -> None:
    """An MLM output's classes -> class_name_mapping {value: name} and dont_care_index; what
    does not read back as it was (a class DLM cannot index, a description or colour, the legacy
    spelling classification_classes) is reported at its own place."""
    key = "classification:classes" if "classification:classes" in first else "classification_classes"
    if key != "classification_classes" and "classification_classes" in first:
        ctx.lost_part(origin, (0, "classification_classes"), "dropped", first["classification_classes"],
                      "the output lists its classes twice; DLM keeps the classification:classes ones", rule.id)
    given = first.get(key)
    if type(given) is not list or not given:
        if key in first:  # empty, null or not a list: DLM reads back no classes
            ctx.lost_part(origin, (0, key), "dropped", given, "no classes DLM can write", rule.id)
        return
    kept = [c for c in given if type(c) is dict and type(c.get("value")) is int and c["value"] >= 0]
    mapping = {str(c["value"]): c.get("name") or c.get("description") or str(c["value"]) for c in kept}
    nodata = [c["value"] for c in kept if c.get("nodata") is True]
    if mapping:
        out["class_name_mapping"] = mapping
        if nodata:
            out["dont_care_index"] = nodata[0]
    if key == "classification_classes":
        ctx.lost_part(origin, (0,), "lossy", first, "DLM's classes read back as classification:classes, the "
                      "spelling of the MLM README", rule.id)
        return
    kept_ids = {id(c) for c in kept}
    for i, c in enumerate(given):
        if id(c) not in kept_ids:  # DLM indexes classes from 0
            ctx.lost_part(origin, (0, key, i), "dropped", c, "a class without a value DLM can index (an integer "
                          "from 0)", rule.id)
            continue
        name = mapping[str(c["value"])]
        back = {"value": c["value"], "name": name, "description": name,
                **({"nodata": True} if nodata and c["value"] == nodata[0] else {})}
        if c != back:  # what _read_outputs gives for this value
            ctx.lost_part(origin, (0, key, i), "lossy", c, f"DLM keeps a class's value and name: read back as "
                          f"{back}", rule.id)


def write_scaling(ctx, rule, first: dict, origin, out: dict) -> None:
    """An MLM input's value_scaling -> DLM's scaling_factor or normalization mean and std (into
    *out*); what DLM cannot write, or reads back otherwise, is reported."""
    scaling = first.get("value_scaling")
    if type(scaling) is list and scaling and all(type(s) is dict for s in scaling):
        kinds = {s.get("type") if type(s.get("type")) is str else None for s in scaling}
        if kinds == {"z-score"} and all(number(s.get("mean")) and number(s.get("stddev")) and s["stddev"] > 0
                                        for s in scaling):  # DLM's standard deviations are positive
            out["normalization:mean"] = [s.get("mean") for s in scaling]
            out["normalization:std"] = [s.get("stddev") for s in scaling]
        elif kinds == {"scale"} and all(number(s.get("value")) and s["value"] > 0 and math.isfinite(1 / s["value"])
                                        for s in scaling):  # a positive factor DLM can write: finite both ways
            factors = [1 / s["value"] for s in scaling]
            out["scaling_factor"] = factors[0] if len(set(factors)) == 1 else factors
        else:
            ctx.lost_part(origin, (0, "value_scaling"), "dropped", scaling, "DLM has only a positive scaling factor "
                          "and a z-score with positive standard deviations", rule.id)
        back = value_scaling(out) if "scaling_factor" in out or "normalization:mean" in out else scaling
        if back != scaling:
            ctx.lost_part(origin, (0, "value_scaling"), "lossy", scaling, f"the value scaling reads back from DLM "
                          f"as {back}", rule.id)
    elif "value_scaling" in first:  # null or empty: DLM reads back no value_scaling
        ctx.lost_part(origin, (0, "value_scaling"), "dropped", scaling, "no value scaling DLM can write", rule.id)
