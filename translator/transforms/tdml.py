"""Transforms for TrainingDML-AI 1.0.0 (training datasets).

``tdml-variants`` (tdml_variants.py) reads the schema spellings and the examples' shapes (``tdml:image_size``,
``levelDescription``, ``evaluationMethod``, ``labeler_name``, one ``metrics_in_LIT`` object, ...)
as the README writes them, each one a finding; only a repairing write (``fill_required``) puts
the README spelling in the output. ``tdml-classes-bands``: ``label:classes`` <-> the pivot
output's ``classification:classes``; the names of ``eo:bands`` (or ``bands``) <-> the pivot input's
``bands`` (the band descriptions stay in the document, wavelengths included).
"""
from __future__ import annotations

import weakref
from collections import Counter
from typing import Any

from ..pointer import join
from ..unique import unique
from . import structural
from .dlm import MLM_TASKS
from .tdml_parts import (RESULT, counts, input_of, lose_input_parts, lose_output_parts, lose_read_input,
                         lose_read_output)

CLASS_FIELDS = ("label:classes", "label:class")
BAND_FIELDS = ("eo:bands", "bands")


def containers(base: dict, doc_type: str) -> list[tuple[tuple, dict]]:
    """Where a tdml document keeps its fields: Item properties; a Collection's top level and its
    properties object (the official examples)."""
    props = [(("properties",), base["properties"])] if type(base.get("properties")) is dict else []
    return props if doc_type == "Feature" else [((), base)] + props


ASSUMED_OUTPUT = ("the model output is built from the dataset's classes: its result (shape [-1], dimension "
                  "order [batch], data type float32) is assumed")
ASSUMED_CLASSES = {"names": "; the label extension lists class names only: the class values are their positions",
                   "values": "; the label extension lists class values only: the class names are the values",
                   "named": "; the name of the label property becomes the output name"}
ASSUMED_INPUT = ("the model input is built from the dataset's band names: its shape, dimension order "
                 "(batch, bands, height, width) and data type (float32) are assumed")


def read_classes(value: Any, key: str) -> list[tuple[Any, list, str]] | None:
    """label:classes (or the examples' label:class) -> [(group name, [(value, name)], how)], how: 'names'
    (values are positions), 'values' (names are values), 'pairs' ({name, classes: value}); or None."""
    if type(value) is not list or not value:
        return None
    groups: list = []
    pairs: list = []
    for entry in value:
        if type(entry) is not dict:
            return None
        classes = entry.get("classes", entry.get("class")) if key == "label:class" else entry.get("classes")
        name = entry.get("name")
        if type(classes) is list and classes and set(entry) <= {"name", "classes"} \
                and (name is None or type(name) is str):
            if all(type(c) is str and c for c in classes):
                groups.append((name, list(enumerate(classes)), "names"))
            elif all(type(c) is int for c in classes):
                groups.append((name, [(c, str(c)) for c in classes], "values"))
            else:
                return None
        elif type(classes) is int and type(name) is str and name and len(entry) == 2:
            pairs.append((classes, name))
        else:
            return None
    if pairs:
        groups.append((None, pairs, "pairs"))
    return groups


def band_names(value: Any, key: str = "") -> list[str] | None:
    if type(value) is not list or not value:
        return None
    names = [b.get("name") if type(b) is dict else None for b in value]
    if not all(type(n) is str and n for n in names) or len(set(names)) != len(names):
        return None
    return names


def _tasks(ctx) -> list:
    """The dataset's tasks as the table reads them (label:tasks), for the output objects."""
    for where, fields in containers(ctx.pivot.base, ctx.type):
        value = fields.get("label:tasks")
        if value is None:
            continue
        rule = _tasks_rule(ctx.table)
        values = value if type(value) is list else [value]
        read = [rule.read_map.get(v, v) if rule is not None and type(v) is str else v for v in values]
        return list(dict.fromkeys(t for t in read if type(t) is str and t in MLM_TASKS))
    return []


def _tasks_rule(table):
    """The table's rule reading the pivot's tasks (looked up once per table)."""
    try:
        return _TASK_RULES[table]
    except KeyError:
        rule = _TASK_RULES[table] = next((r for r in table.rules if r.pivot == "tasks" and r.reads), None)
        return rule


_TASK_RULES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # tables loaded and let go are forgotten


def _find(ctx, rule, keys: tuple, parse, what: str) -> tuple:
    """The first of *keys* that *parse* reads, as (path, fields, parsed); one it cannot read stays in
    the document, with a not-read finding."""
    for where, fields in containers(ctx.pivot.base, ctx.type):
        for key in (k for k in keys if k in fields):
            parsed = parse(fields[key], key)
            if parsed is not None:
                return where + (key,), fields, parsed
            ctx.report.finding(join(where + (key,)), "not-read", f"{key} {what}: kept as it is", rule.id)
    return None, None, None


def _read_bands(ctx, rule) -> None:
    path, fields, names = _find(ctx, rule, BAND_FIELDS, band_names, "does not list uniquely named bands")
    if names:
        ctx.pivot.fields["input"] = [input_of(names)]
        ctx.pivot.origin["input"] = path
        ctx.pivot.notes.setdefault("derived", set()).add("input")  # the band list stays where it is
        ctx.extra(path, fields[path[-1]], "assumed", ASSUMED_INPUT, rule.id, via="input")


def _read_classes(ctx, rule) -> None:
    path, fields, groups = _find(ctx, rule, CLASS_FIELDS, read_classes, "names no classes in the label "
                                 "extension's form")
    if not groups:
        return
    value = fields.pop(path[-1])
    ctx.pivot.notes["tdml:classes"] = (path, value)
    tasks = _tasks(ctx)
    ctx.pivot.fields["output"] = [
        {"name": name or "classes", "tasks": list(tasks), "result": dict(RESULT),
         "classification:classes": [{"value": v, "name": n, "description": n} for v, n in classes]}
        for name, classes, how in groups]
    ctx.pivot.origin["output"] = path
    hows = {how for _, _, how in groups} | ({"named"} if any(n for n, _, h in groups if h != "pairs") else set())
    if path[-1] == "label:class":
        ctx.report.finding(join(path), "variant", "'label:class' (not a label extension field) read as "
                           "'label:classes'", rule.id)
    if "pairs" in hows:
        ctx.report.finding(join(path), "normalised", "entries {name, classes: value} read as one class each "
                           "(its name and value); the label extension's form is {name: the label property, "
                           "classes: [values]}", rule.id)
    ctx.extra(path, value, "assumed", ASSUMED_OUTPUT + "".join(v for k, v in ASSUMED_CLASSES.items() if k in hows),
              rule.id, via="output")


@structural("tdml-classes-bands")
class ClassesBands:
    @staticmethod
    def read(ctx, rule) -> None:
        for where, fields in containers(ctx.pivot.base, ctx.type):
            tasks = fields.get("label:tasks", [])
            if type(tasks) is str:
                ctx.report.finding(join(where + ("label:tasks",)), "variant", "one task given as a string; the "
                                   "label extension lists tasks in an array", rule.id)
            elif not (type(tasks) is list and all(type(t) is str for t in tasks)):
                ctx.extra(where + ("label:tasks",), fields.pop("label:tasks"), "dropped",
                          "label:tasks names no task (a string or a list of strings)", rule.id)
        _read_classes(ctx, rule)
        _read_bands(ctx, rule)

    @staticmethod
    def write(ctx, rule) -> None:
        pivot = ctx.pivot
        inputs, outputs = pivot.fields.pop("input", None), pivot.fields.pop("output", None)
        if pivot.source == (ctx.table.name, ctx.version):
            if "tdml:classes" in pivot.notes:  # to tdml itself: exactly as read
                path, value = pivot.notes["tdml:classes"]  # read from a private copy of its container
                (ctx.out if len(path) == 1 else ctx.out[path[0]])[path[-1]] = value
            if ctx.repair and "tasks" in pivot.fields:  # label:tasks is an array: a repair keeps every task
                _write_tasks(ctx, rule, pivot.fields.pop("tasks"))
            return
        for name, value in (("input", inputs), ("output", outputs)):
            if value is None and name in pivot.origin:  # a null input/output: it does not come back
                ctx.loss(pivot.origin[name], "dropped", None, f"a null {name}: nothing to carry", rule.id)
        _write_tasks(ctx, rule, pivot.fields.pop("tasks", None))
        _write_bands(ctx, rule, inputs)
        _write_classes(ctx, rule, outputs)
        if ctx.type == "Collection" and "tdml:amount_of_training_data" not in ctx.out:
            why = "a model document does not say how many training samples there were"
            if ctx.fill_required:
                ctx.out["tdml:amount_of_training_data"] = 0
                ctx.loss("", "synthesized", 0, f"placeholder, the project schema requires the number: {why}",
                         rule.id, "/tdml:amount_of_training_data")
            else:
                ctx.report.problems.append("/tdml:amount_of_training_data is required on Collections (the project "
                                           f"schema, after the README); {why}")

    @staticmethod
    def describe(rule) -> list:
        return [("fields", "output", "label:classes <-> classification:classes of the outputs (result assumed)"),
                ("fields", "input", "band names of eo:bands or bands <-> the input's bands (descriptions stay)")]


def _write_tasks(ctx, rule, tasks: list | None) -> None:
    """label:tasks is an array (label extension): every task, in the table's names. An empty list
    is the field's own value (the schema sets no minimum), written as it is: the tdml reader reads
    an empty label:tasks as an empty task list, so a way back gives it again."""
    origin = ctx.pivot.origin.get("tasks", "")
    if tasks is not None and not (type(tasks) is list and all(type(t) is str for t in tasks)):
        ctx.loss(origin, "dropped", _orig(ctx, origin, tasks), "label:tasks lists task names only", rule.id)
        tasks = [t for t in tasks if type(t) is str] if type(tasks) is list else []
        if not tasks:
            return
    if tasks is None:
        present = _has(ctx, ("label:tasks",))  # carried from the source, which has no tasks of its own
        carried = ctx.original(present) if present is not None else None
        if type(carried) is str or (type(carried) is list and all(type(t) is str for t in carried)):
            _read_back(ctx, rule, "tasks", present)  # (the way back reads it as the model's tasks)
        return
    names = next(r for r in ctx.table.rules if r.pivot == "tasks" and r.writes)
    written = list(dict.fromkeys(names.write_map.get(t, t) for t in tasks))
    changed = [t for t in tasks if names.read_map.get(names.write_map.get(t, t), names.write_map.get(t, t)) != t]
    if changed:
        ctx.loss(origin, "lossy", _orig(ctx, origin, tasks), f"{changed} written as the label extension's "
                 f"generic names {[names.write_map.get(t, t) for t in changed]}", rule.id)
    ctx.set(ctx.container, ("label:tasks",), written)


def _orig(ctx, origin: Any, value: Any) -> Any:
    return ctx.original(origin, value) if origin else value  # "" would be the whole source


def _has(ctx, keys: tuple) -> str | None:  # the first of *keys* the output carries (from the source)
    return next((join(w + (k,)) for w, fields in containers(ctx.out, ctx.type) for k in keys if k in fields), None)


def _read_back(ctx, rule, pivot_name: str, target: str, lacks: str = "") -> None:
    """What the way back reads as *pivot_name*, which the source lacks (or, *lacks*, has without
    what the dataset's field gives): said at the source's field."""
    source = ctx.tables.by_name.get(ctx.pivot.source[0])
    found = source and (source.write_fields.get(pivot_name) or [r for r in source.requires if r.pivot == pivot_name])
    if found:
        where = ("properties",) if ctx.type == "Feature" else ()
        why = f"the source's {found[0].field} {lacks}" if lacks else f"the source has no {found[0].field}"
        ctx.report.finding(join(where + tuple(found[0].field.split("/"))), "read-back-adds",
                           f"{why}; the dataset's {target.rsplit('/', 1)[-1]} reads back as one", rule.id, target)


def _write_bands(ctx, rule, inputs: Any) -> None:
    origin = ctx.pivot.origin.get("input", "")
    present = _has(ctx, BAND_FIELDS)
    if inputs is None:
        if present is not None and band_names(ctx.original(present)) is not None:
            _read_back(ctx, rule, "input", present)
        return
    found: list = []
    for entry in inputs if type(inputs) is list else ():
        bands = entry.get("bands") if type(entry) is dict else None
        for band in bands if type(bands) is list else ():
            name = band.get("name") if type(band) is dict else band
            if type(name) is str and name:
                found.append(name)
    names = unique(found)
    reason = "a training dataset describes no model input"
    uris = ctx.out.get("stac_extensions")
    # STAC 1.1 lists bands in common metadata; before it, the eo extension does (eo 1.x)
    field = "bands" if str(ctx.out.get("stac_version", "")).startswith("1.1") else "eo:bands"
    # both STAC 1.1 (bands) and eo 1.1.0 (eo:bands) accept Item-level bands only next to asset bands
    schema = "STAC 1.1" if field == "bands" else "eo 1.1.0" if type(uris) is list and any(
        type(u) is str and "/eo/v1." in u for u in uris) else None
    back = band_names(ctx.original(present)) if present is not None else names  # the bands the way back reads
    if names and present is not None:
        kept = present.rsplit('/', 1)[-1]
        reason += (f": only the band names are carried (in {kept}, already there)" if back == names else
                   f"; its band names are not written: the document's {kept} is kept as it is")
    elif names and schema and ctx.type == "Feature" and not any(
            type(a) is dict and field in a for a in (ctx.out["assets"].values() if type(
                ctx.out.get("assets")) is dict else ())):
        reason += f"; its band names are not written: {schema} accepts Item {field} only next to asset {field}"
        names = []
    elif names:
        ctx.set(ctx.container, (field,), [{"name": n} for n in names])
        ctx.report.finding(join(origin) if type(origin) is tuple else origin, "bands-written",
                           f"the band names of the model input written as {field} {names}", rule.id,
                           join(ctx.where + (field,)))
        reason += f": only the band names are carried (in {field})"
    if not names:
        ctx.loss(origin, "dropped", _orig(ctx, origin, inputs), reason, rule.id)
        return
    ctx.parts["input"] = {"bands"}
    if back is not None and lose_input_parts(ctx, rule, origin, inputs, back, reason, written=present is None):
        return
    if back is None or not lose_read_input(ctx, rule, inputs, back, reason):
        ctx.loss(origin, "lossy", _orig(ctx, origin, inputs), reason, rule.id)  # (the field as a whole)


def _write_classes(ctx, rule, outputs: Any) -> None:
    origin = ctx.pivot.origin.get("output", "")
    present = _has(ctx, CLASS_FIELDS)
    if outputs is None:
        if present is not None and read_classes(ctx.original(present), present.rsplit("/", 1)[-1]):
            _read_back(ctx, rule, "output", present)
        return
    groups, carried = [], {}  # carried: output index -> what of its classes is not carried (a Counter)
    for i, output in enumerate(outputs if type(outputs) is list else ()):
        names: list = []
        lost = carried[i] = Counter()
        seen: set = set()  # the names, for a membership test that stays cheap with thousands of classes
        classes = output.get("classification:classes", output.get("classification_classes")) \
            if type(output) is dict else None
        for cls in classes if type(classes) is list else ():
            cls = cls if type(cls) is dict else {}
            own = cls.get("name") if type(cls.get("name")) is str and cls.get("name") else None
            name = own or cls.get("description")
            if type(name) is not str or not name or name in seen:
                lost["classes without a name of their own"] += 1
                continue
            what = [k for k in cls if k not in ("value", "name", "description")]
            if own is None:  # the way back gives the class its description as a name of its own
                what.append("classes without a name (their description reads back as one)")
            if type(cls.get("value")) is not int or cls["value"] != len(names):
                what.append("values other than the position")
            if "description" in cls and cls["description"] != name:
                what.append("descriptions")
            lost.update(what)
            names.append(name)
            seen.add(name)
        if names:
            name = output.get("name")
            groups.append({"name": name, "classes": names} if type(name) is str and name else {"classes": names})
        else:
            del carried[i]
    if groups and present is None:
        ctx.set(ctx.container, ("label:classes",), groups)
        ctx.report.finding(join(origin) if type(origin) is tuple else origin, "classes-written",
                           "the class names of the model output written as label:classes", rule.id,
                           join(ctx.where + ("label:classes",)))
    if not groups and "output" in ctx.pivot.notes.get("derived", ()):
        return  # built from the tasks alone, which are carried
    if not groups and present is not None and read_classes(ctx.original(present), present.rsplit("/", 1)[-1]):
        _read_back(ctx, rule, "output", present, "names no classes")  # (the dataset's classes, carried)
    reason = "a training dataset describes no model output"
    if groups and present is None:
        reason += ": only the class names are carried (label:classes lists names or values, not both)"
        ctx.parts["output"] = {"classification:classes"}
        tasks = _tasks(ctx)
        if lose_output_parts(ctx, rule, origin, outputs, carried, tasks, reason) or (
                lose_read_output(ctx, rule, outputs, carried.get(0, Counter()), len(groups[0]["classes"]), tasks,
                                 reason)):
            return
        lost = sum(carried.values(), Counter())
        if lost:
            reason += "; not carried (number of classes): " + counts(lost)
    elif groups:
        reason += f": its classes are not written, the document already has {present}"
    ctx.loss(origin, "lossy" if groups and present is None else "dropped", _orig(ctx, origin, outputs),
             reason, rule.id)

