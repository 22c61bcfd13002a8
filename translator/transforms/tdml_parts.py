"""tdml: what a model input or output written to tdml loses, reported part by part at the source's
own places when the way back gives the same structure (an MLM input or output list read as it
is; one input or output a reader built from an object of its own, whose parts it says it read
from places of the source, as DLM's); otherwise the caller reports the field as a whole."""
from __future__ import annotations

from collections import Counter
from typing import Any

from ..pivot import CLASS_COUNT, PART_PLACES
from ..pointer import covers, join
from ..residue import same
from ..write_ctx import MISSING

RESULT = {"shape": [-1], "dim_order": ["batch"], "data_type": "float32"}  # of an output read from classes
CLASS_KEY = "classification:classes"


def input_of(names: list) -> dict:
    """The model input the tdml reader builds from a dataset's band names."""
    return {"name": "input", "bands": names, "input": {
        "shape": [-1, len(names), -1, -1], "dim_order": ["batch", "bands", "height", "width"], "data_type": "float32"}}


def counts(lost: Counter) -> str:
    return ", ".join(f"{k} ({n})" for k, n in lost.items())


def as_in_source(ctx, origin: Any, value: Any) -> bool:
    """Whether the pivot's list *value* is the source's own at *origin* (read as it is)."""
    return bool(origin) and type(value) is list and same(ctx.original(origin, None), value)


def lose_input_parts(ctx, rule, origin: Any, inputs: Any, names: list, reason: str, written: bool = True) -> bool:
    """The inputs' parts that do not come back, when the first input has bands, a name and an
    input structure (the way back reads one input like it, its bands *names*: the ones written,
    or, not *written*, those of the band list the document already had)."""
    first = inputs[0] if type(inputs) is list and inputs else None
    if not as_in_source(ctx, origin, inputs) or type(first) is not dict or not (
            type(first.get("bands")) is list and first["bands"] and "name" in first and "input" in first):
        return False
    back = input_of(names)
    with_bands = [i for i, e in enumerate(inputs) if type(e) is dict and type(e.get("bands")) is list and e["bands"]]
    for i, entry in enumerate(inputs):
        if i not in with_bands:
            ctx.lost_part(origin, (i,), "dropped", entry, reason, rule.id)
            continue
        for key in entry:
            if key != "bands" and not (i == 0 and key in back and same(entry[key], back[key])):
                ctx.lost_part(origin, (i, key), "dropped", entry[key], reason, rule.id)
        listed = [b.get("name") if type(b) is dict else b for b in entry["bands"]]
        if not written and (len(with_bands) > 1 or listed != names):
            ctx.lost_part(origin, (i, "bands"), "lossy", entry["bands"], f"{reason}; " + (
                f"the way back reads one input, with the bands {names}" if len(with_bands) > 1 else
                f"the input's bands read back as {names}"), rule.id)
            continue
        if len(with_bands) > 1 or len(set(map(str, listed))) != len(listed):
            ctx.lost_part(origin, (i, "bands"), "lossy", entry["bands"], f"{reason}; the names of every input "
                          "are one list, each name once, which reads back as the bands of one input", rule.id)
            continue
        for j, band in enumerate(entry["bands"]):
            name = band.get("name") if type(band) is dict else band
            if type(name) is not str or not name:  # nothing to write: the names after it move up one place
                ctx.lost_part(origin, (i, "bands", j), "dropped", band, f"{reason}; a band without a name is "
                              "not written", rule.id)
            elif type(band) is dict:
                ctx.lost_part(origin, (i, "bands", j), "lossy", band, f"{reason}; a band object reads back as "
                              "its name", rule.id)
    return True


def lose_output_parts(ctx, rule, origin: Any, outputs: Any, carried: dict, tasks: list, reason: str) -> bool:
    """The outputs' parts that do not come back, when each output has its class names written
    (one label:classes entry each, in order) and a name, tasks and a result; *tasks*: what the
    way back gives every output (the dataset's tasks)."""
    if not as_in_source(ctx, origin, outputs) or len(carried) != len(outputs) or not all(
            type(o) is dict and CLASS_KEY in o and type(o.get("name")) is str and o["name"] and "tasks" in o
            and "result" in o for o in outputs):
        return False
    for i, output in enumerate(outputs):
        for key, value in output.items():
            if key == CLASS_KEY:
                if carried[i]:
                    ctx.lost_part(origin, (i, key), "lossy", value, f"{reason}; not carried (number of classes): "
                                  f"{counts(carried[i])}", rule.id)
            elif key == "tasks" and not same(value, tasks):
                ctx.lost_part(origin, (i, key), "lossy", value, f"{reason}; the output's tasks are not written: "
                              f"they read back as the dataset's label:tasks {tasks}", rule.id)
            elif key not in ("name", "tasks") and not (key == "result" and same(value, RESULT)):
                ctx.lost_part(origin, (i, key), "dropped", value, reason, rule.id)
    return True


def read_places(ctx, field: str, entries: Any) -> dict | None:
    """part -> [source path] of the one *field* entry, when the reader said where each of
    its parts was read from (Pivot.read_from)."""
    places = ctx.pivot.notes.get(PART_PLACES, {}).get(field)
    if not places or type(entries) is not list or len(entries) != 1 or type(entries[0]) is not dict \
            or any(key not in places for key in entries[0]):
        return None
    return places


def lose_at(ctx, rule, places: list, kind: str, reason: str) -> None:
    """A part lost at the source places it was read from; a place the source lacks, that a
    reader's entry speaks of (said when the extras are written) or that a loss already covers is
    left out."""
    extras = [e.path for e in ctx.pivot.extras]
    for path in places:
        value = ctx.original(path, MISSING)
        pointer = join(path)
        if value is MISSING or any(path[:len(p)] == p for p in extras) or any(
                l.pointer and covers(l.pointer, pointer) for l in ctx.report.losses):
            continue
        ctx.lost_part(path, (), kind, value, reason, rule.id)


def lose_read_input(ctx, rule, inputs: Any, back_names: list, reason: str) -> bool:
    """The parts of an input a reader built from another layout that do not come back (the way
    back reads one input from the band names *back_names*), at the places each was read from."""
    places = read_places(ctx, "input", inputs)
    back = input_of(back_names)
    if places is None or any(ctx.original(path, MISSING) is MISSING for key in ("name", "input") if key in inputs[0]
                             for path in places[key]):
        return False  # the way back writes these parts (a default for a missing one): another structure
    for key, value in inputs[0].items():
        if key == "bands":
            names = [b.get("name") if type(b) is dict else b for b in value] if type(value) is list else None
            if names != back_names:
                lose_at(ctx, rule, places[key], "lossy", f"{reason}; the input's bands read back as {back_names}")
        elif not (key in back and same(value, back[key])):
            lose_at(ctx, rule, places[key], "dropped", reason)
    return True


def lose_read_output(ctx, rule, outputs: Any, lost: Counter, written: int, tasks: list, reason: str) -> bool:
    """The parts of an output a reader built from another layout that do not come back, at the
    places each was read from; *lost*: what of its classes is not carried, reported at the classes'
    place, but for a key of the classes read from a place of its own ('classification:classes/nodata'),
    which label:classes never carries, and a number of classes other than the *written* one."""
    places = read_places(ctx, "output", outputs)
    if places is None or CLASS_KEY not in outputs[0]:
        return False
    counted = [path for path in places.get(CLASS_COUNT, ()) if ctx.original(path, MISSING) != written]
    lose_at(ctx, rule, counted, "dropped", f"{reason}; the number of classes reads back as the {written} written")
    for key, value in outputs[0].items():
        if key == CLASS_KEY:
            lost = Counter(lost)
            for part in (p for p in places if p.startswith(f"{key}/") and p != CLASS_COUNT):
                what = part[len(key) + 1:]
                held = sum(1 for c in value if type(c) is dict and what in c) if type(value) is list else 0
                lost.pop(what, None)
                if held:  # (also of a class not carried at all)
                    lose_at(ctx, rule, places[part], "dropped", f"{reason}; not carried (number of classes): "
                            f"{what} ({held})")
            if lost:
                lose_at(ctx, rule, places[key], "lossy", f"{reason}; not carried (number of classes): {counts(lost)}")
        elif key == "tasks" and not same(value, tasks):
            lose_at(ctx, rule, places[key], "lossy", f"{reason}; the output's tasks are not written: they read "
                    f"back as the dataset's label:tasks {tasks}")
        elif (key == "name" and not (type(value) is str and value)) or (key == "result" and not same(value, RESULT)) \
                or key not in ("name", "tasks", "result"):
            lose_at(ctx, rule, places[key], "dropped", reason)
    return True
