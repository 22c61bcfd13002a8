"""tdml: what a model input or output written to tdml loses, reported part by part at the source's
own places when the way back gives the same structure (an MLM input or output list read as it
is); otherwise the caller reports the field as a whole."""
from __future__ import annotations

from collections import Counter
from typing import Any

from ..residue import same

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


def lose_input_parts(ctx, rule, origin: Any, inputs: Any, names: list, reason: str) -> bool:
    """The inputs' parts that do not come back, when the band names were written and the first
    input has bands, a name and an input structure (the way back reads one input like it)."""
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
        if len(with_bands) > 1 or len(set(map(str, listed))) != len(listed):
            ctx.lost_part(origin, (i, "bands"), "lossy", entry["bands"], f"{reason}; the names of every input "
                          "are one list, each name once, which reads back as the bands of one input", rule.id)
            continue
        for j, band in enumerate(entry["bands"]):
            if type(band) is dict:
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
