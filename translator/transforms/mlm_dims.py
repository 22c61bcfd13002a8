"""Differences between MLM 1.0-1.4 and 1.5+ inside the model input/output objects.

* 1.5 reserves the dimension names ``bands`` and ``variables``: an object listing bands must
  call that dimension ``bands``, and one listing none must not use the name. Reading 1.0-1.4
  renames the dimension (e.g. ``channel`` -> ``bands``); writing 1.0-1.4 puts the source's
  names back (any name is allowed there).
* 1.5 added ``variables``, output ``bands``, the ``downscaling`` task and lists of processing
  functions, and made input ``bands`` optional; writing 1.0-1.4 drops or narrows them (each
  reported) and writes ``bands: []`` where 1.0-1.4 require the key.
* 1.0-1.1 name input bands only (band objects came with 1.2): writing them keeps the names.
"""
from __future__ import annotations

from ..pointer import join
from . import structural
from .mlm_legacy import forget_findings, model_list, replace_item, written_list

STRUCTURE = {"input": "input", "output": "result"}   # object list -> key of its shape/dim_order object
RESERVED = ("bands", "variables")
# dimension names that surely do not hold bands/variables
_OTHER_DIMS = {"batch", "time", "t", "height", "width", "h", "w", "depth", "x", "y", "z", "lat", "lon",
               "latitude", "longitude", "token", "class", "score", "confidence", "embedding", "sequence",
               "bands", "variables"}
_LIKELY = {"bands": ("channel", "channels", "band", "c"), "variables": ("variable", "var", "channel", "channels", "c")}
_FREE = ("channel", "channels", "feature", "features")


def _renamed(obj: dict, dims: list) -> tuple[list, list[str]]:
    """dim_order with the reserved names used as 1.5 wants; and what could not be decided."""
    new = list(dims)
    undecided = []
    for name in RESERVED:
        listed = obj.get(name)
        has = type(listed) is list and len(listed) > 0
        if has and name not in new:
            index = _pick(new, name)
            if index is None:
                undecided.append(name)
            else:
                new[index] = name
        elif not has and name in new:
            new[new.index(name)] = next(f for f in _FREE if f not in new)
    return new, undecided


def _pick(dims: list, name: str):
    likely = [i for i, d in enumerate(dims) if d in _LIKELY[name]]
    if len(likely) == 1:
        return likely[0]
    unknown = [i for i, d in enumerate(dims) if d not in _OTHER_DIMS]
    return unknown[0] if len(unknown) == 1 else None


@structural("mlm-reserved-dimensions")
class ReservedDimensions:

    @staticmethod
    def read(ctx, rule) -> None:
        renamed = {}
        for name, struct in STRUCTURE.items():
            found = model_list(ctx, name)
            if found is None:
                continue
            holder, key, path = found
            for i, obj in enumerate(list(holder[key])):
                s = obj.get(struct) if type(obj) is dict else None
                dims = s.get("dim_order") if type(s) is dict else None
                if type(dims) is not list or not all(type(d) is str for d in dims):
                    continue
                new, undecided = _renamed(obj, dims)
                where = path + (i, struct, "dim_order")
                for reserved in undecided:
                    ctx.report.finding(join(where), "dimension-undecided",
                                       f"the object lists {reserved} but no dimension is named '{reserved}' and "
                                       "none can be told to hold them; MLM 1.5+ requires one", rule.id)
                if new != dims:
                    replace_item(ctx, holder, key, i, {**obj, struct: {**s, "dim_order": new}})
                    renamed[(name, i)] = dims
                    ctx.report.finding(join(where), "dimension-renamed",
                                       f"dim_order {dims} read as {new}: MLM 1.5 reserves the names 'bands' and "
                                       "'variables' for the dimension holding the listed bands/variables", rule.id)
        if renamed:
            ctx.pivot.notes["mlm:dimensions"] = renamed

    @staticmethod
    def write(ctx, rule) -> None:
        renamed = ctx.pivot.notes.get("mlm:dimensions")
        if not renamed:
            return
        for name, struct in STRUCTURE.items():
            found = written_list(ctx, name)
            if found is None:
                continue
            items = list(found[0])
            for i, obj in enumerate(items):
                dims = renamed.get((name, i))
                s = obj.get(struct) if type(obj) is dict else None
                if dims is not None and type(s) is dict:
                    items[i] = {**obj, struct: {**s, "dim_order": dims}}
                    forget_findings(ctx, rule, ("dimension-renamed",))
            ctx.pivot.fields[name] = items


@structural("mlm-before-1-5", lossy="fields added in MLM 1.5 have no place in 1.0-1.4")
class Before15:
    """Writing MLM 1.0-1.4: what 1.5 added inside input/output objects is narrowed or dropped."""

    @staticmethod
    def write(ctx, rule) -> None:
        if not ctx.repair:  # to the same version the source's objects stay as they are
            return
        for name in STRUCTURE:
            found = written_list(ctx, name)
            if found is None:
                continue
            items, origin = found
            out = [_narrow(ctx, rule, name, obj, origin + (i,), i) if type(obj) is dict else obj
                   for i, obj in enumerate(items)]
            if out != items:
                ctx.pivot.fields[name] = out


def _narrow(ctx, rule, name: str, obj: dict, origin: tuple, index: int) -> dict:
    new = dict(obj)
    what = f"MLM {ctx.version}"
    dropped = ["variables"] + (["bands"] if name == "output" else [])
    for key in dropped:
        if key in new:
            value = new.pop(key)  # even an empty list: the way back has no key to give back
            ctx.lost_part(origin, (key,), "dropped", value, f"{what} has no {name} {key} (added in 1.5.0)", rule.id)
    reserved_left(ctx, rule, name, new, origin, index)
    if name == "input" and "bands" not in new:
        new = {"name": new["name"], "bands": [], **new} if "name" in new else {"bands": [], **new}
        ctx.report.finding(join(origin), "bands-added",
                           f"'bands': [] written: {what} requires the key (an empty list: no bands)", rule.id,
                           ("/properties" if ctx.type == "Feature" else "") + f"/mlm:input/{index}/bands")
    tasks = new.get("tasks")
    if name == "output" and type(tasks) is list and "downscaling" in tasks:
        new["tasks"] = [t for t in tasks if t != "downscaling"]
        ctx.lost_part(origin, ("tasks", tasks.index("downscaling")), "dropped", "downscaling",
                 f"{what} has no 'downscaling' task (added in 1.5.0)", rule.id)
    key = "pre_processing_function" if name == "input" else "post_processing_function"
    steps = new.get(key)
    if type(steps) is list:
        new[key] = steps[0] if steps else None
        target = ("/properties" if ctx.type == "Feature" else "") + f"/mlm:{name}/{index}/{key}"
        for j in range(1, len(steps)):
            ctx.lost_part(origin, (key, j), "dropped", steps[j], f"{what} takes a single processing expression; "
                          f"the first of {len(steps)} is kept", rule.id, target)
        if not steps:
            ctx.lost_part(origin, (key,), "lossy", steps, f"{what} takes one processing expression or null: an "
                          "empty list is written as null", rule.id, target)
        elif len(steps) == 1:
            ctx.report.finding(join(origin + (key,)), "unwrapped", f"{what} takes one processing expression: "
                               "the list of one is written as that expression", rule.id, target)
    return new


def reserved_left(ctx, rule, name: str, obj: dict, origin: tuple, index: int, at: int | None = None) -> None:
    """A dimension that reading the written object as MLM 1.0-1.4 renames, as 1.5 reserves the
    names: one named 'bands' or 'variables' that the object lists none of (the list dropped, or
    empty), or one holding the listed bands under another name ('channel'). Any name is fine in
    1.0-1.4, but read back as 1.5+ it is renamed. Not when the source's own names were put back
    (it came from 1.0-1.4). *index*: the object's place in the source's list; *at*: in the
    written one (the same unless objects before it were left out). Said once per dimension."""
    struct = STRUCTURE[name]
    dims = obj.get(struct, {}).get("dim_order") if type(obj.get(struct)) is dict else None
    if type(dims) is not list or not all(type(d) is str for d in dims) \
            or (name, index) in (ctx.pivot.notes.get("mlm:dimensions") or {}):
        return
    read_back, _ = _renamed(obj, dims)
    for j, (written, read) in enumerate(zip(dims, read_back)):
        if written == read:
            continue
        place = ctx.below(origin, (struct, "dim_order", j))
        target = ("/properties" if ctx.type == "Feature" else "") + \
            f"/mlm:{name}/{index if at is None else at}/{struct}/dim_order/{j}"
        if any(f.code == "read-back-renamed" and f.target == target for f in ctx.report.findings):
            continue
        why = (f"MLM {ctx.version} lists no {written} here: read back as MLM 1.5+, which reserves the name, "
               f"it is renamed '{read}'" if written in RESERVED else
               f"it holds the listed {read}: read back as MLM 1.5+, which names that dimension '{read}', it is renamed")
        ctx.report.finding(join(place) if ctx.original(place) == written else join(origin), "read-back-renamed",
                           f"the dimension '{written}' is written as it is, but {why}", rule.id, target)


@structural("mlm-band-names", lossy="a band's format and expression have no place before MLM 1.2")
class BandNames:
    """Writing MLM 1.0-1.1, where input bands are names only: a band object (1.2+) is written
    as its name; its format and expression, if any, are dropped (reported)."""

    @staticmethod
    def write(ctx, rule) -> None:
        if not ctx.repair:  # to the same version the source's objects stay as they are
            return
        found = written_list(ctx, "input")
        if found is None:
            return
        items, origin = found
        out = [_band_names(ctx, rule, obj, origin + (i,), i) if type(obj) is dict else obj
               for i, obj in enumerate(items)]
        if out != items:
            ctx.pivot.fields["input"] = out


def _band_names(ctx, rule, obj: dict, origin: tuple, index: int) -> dict:
    bands = obj.get("bands")
    if type(bands) is not list or not any(type(b) is dict and type(b.get("name")) is str for b in bands):
        return obj
    target = ("/properties" if ctx.type == "Feature" else "") + f"/mlm:input/{index}/bands"
    names = []
    for i, band in enumerate(bands):
        if type(band) is not dict or type(band.get("name")) is not str:
            names.append(band)
            continue
        names.append(band["name"])
        rest = [k for k in band if k != "name"]
        for k in rest:
            ctx.lost_part(origin, ("bands", i, k), "dropped", band[k], f"MLM {ctx.version} names bands only: "
                          f"{k} of band '{band['name']}' dropped", rule.id, f"{target}/{i}")
        if not rest:
            ctx.report.finding(join(origin + ("bands", i)), "band-name", f"MLM {ctx.version} names bands only: "
                               "the band object is written as its name", rule.id, f"{target}/{i}")
    return {**obj, "bands": names}
