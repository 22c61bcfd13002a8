"""``tdml-variants``: the TrainingDML-AI schema spellings and the examples' shapes read as the
README writes them (each one a finding); only a repairing write puts the README spelling in the
output. Split out of tdml.py."""
from __future__ import annotations

import json
import math
from typing import Any

from ..pointer import join
from . import structural
from .tdml import containers

RENAMES = {"levelDescription": "level_description", "evaluationMethod": "evaluation_method",
           "labeler_name": "labeler_names", "algotithm": "algorithm", "algroithm": "algorithm"}
LISTS = ("labeling_methods", "labeling_tools", "labeler_names")


def _number(text: str) -> Any:
    try:
        value = float(text)
    except ValueError:
        return text
    return text if not math.isfinite(value) else int(value) if text.strip().lstrip("+-").isdigit() else value


def _variants(value: Any, path: tuple, found: list) -> Any:
    """A copy of *value* with every known variant key renamed (each one a finding)."""
    if type(value) is list:
        return [_variants(v, path + (i,), found) for i, v in enumerate(value)]
    if type(value) is not dict:
        return value
    out: dict = {}
    for key, item in value.items():
        new = RENAMES.get(key, key) if type(key) is str else key
        if new != key and new in value:
            new = key  # both spellings present: nothing to rename
        if new != key:
            found.append((path + (key,), f"'{key}' read as '{new}' (the README's spelling)"))
        item = _variants(item, path + (key,), found)
        if new in LISTS and type(item) is str:
            found.append((path + (key,), f"'{key}' given as a string: read as a one-element list"))
            item = [item]
        out[new] = item
    return out


def _field_variant(key: str, value: Any, path: tuple, found: list) -> tuple[str, Any]:
    new_key = key
    if key == "tdml:image_size":
        new_key = "tdml:image_sizes"
        found.append((path, "'tdml:image_size' (the schema's spelling) read as 'tdml:image_sizes' (README)"))
        try:
            decoded = json.loads(value) if type(value) is str else None
        except ValueError:
            decoded = None
        if type(decoded) is list:
            value = decoded
            found.append((path, "a string holding a JSON list read as the list"))
    if key == "tdml:metrics_in_LIT":
        single = type(value) is dict
        value = _variants(value, path, found)
        if single:
            value = [value]
            found.append((path, "a single metrics object read as a one-element list"))
        for n, entry in enumerate(value if type(value) is list else ()):
            metrics = entry.get("metrics") if type(entry) is dict else None
            for i, metric in enumerate(metrics if type(metrics) is list else ()):
                if type(metric) is dict and type(metric.get("value")) is str:
                    number = _number(metric["value"])
                    if type(number) is not str:
                        metric["value"] = number  # a copy made by _variants
                        at = path + (() if single else (n,)) + ("metrics", i, "value")
                        found.append((at, "a metric value given as a string: read as a number"))
    elif key in ("tdml:scope", "tdml:quality", "tdml:provenance"):
        value = _variants(value, path, found)
    elif key == "tdml:amount_of_training_data" and type(value) is float and math.isfinite(value) \
            and value.is_integer():
        value = int(value)
        found.append((path, "a whole number written with a fraction: read as an integer"))
    return new_key, value


@structural("tdml-variants", lossy="schema spellings are read as the README's (each one a finding)")
class Variants:
    @staticmethod
    def read(ctx, rule) -> None:
        normalised = []
        for where, fields in containers(ctx.pivot.base, ctx.type):
            for key in [k for k in fields if type(k) is str and k.startswith("tdml:")]:
                if key == "tdml:image_size" and "tdml:image_sizes" in fields:
                    continue  # both spellings: each read as it is
                found: list = []
                new_key, value = _field_variant(key, fields[key], where + (key,), found)
                for path, message in found:
                    ctx.report.finding(join(path), "variant", message, rule.id)
                if found:
                    normalised.append((where, key, new_key, value))
        if normalised:
            ctx.pivot.notes["tdml:variants"] = normalised

    write = staticmethod(lambda ctx, rule: None)  # the output is settled in finish

    @staticmethod
    def finish(ctx, rule) -> None:
        """Only a repairing write to tdml itself gives the README's spelling and layout."""
        if not ctx.repair or ctx.pivot.source != (ctx.table.name, ctx.version):
            return
        for where, key, new_key, value in ctx.pivot.notes.get("tdml:variants", ()):
            fields = ctx.out if not where else ctx.out.get(where[0])
            if type(fields) is dict and key in fields and (new_key == key or new_key not in fields):
                items = [(new_key, value) if k == key else (k, v) for k, v in fields.items()]
                fields.clear()
                fields.update(items)
        for where, fields in containers(ctx.out, ctx.type):
            if type(fields.get("label:tasks")) is str:
                fields["label:tasks"] = [fields["label:tasks"]]
        props = ctx.out.get("properties")
        if ctx.type == "Collection" and type(props) is dict:  # Collection fields at the top level
            for key in [k for k in props if k not in ctx.out]:
                ctx.out[key] = props.pop(key)
            for name, path in list(ctx.pivot.origin.items()):  # or the writer puts them back
                if type(path) is tuple and len(path) == 2 and path[0] == "properties" and path[1] in ctx.out:
                    ctx.pivot.origin[name] = (path[1],)
            renamed = {key: new_key for _, key, new_key, _ in ctx.pivot.notes.get("tdml:variants", ())}
            for key, new in ((k, renamed.get(k, k)) for k in ctx.source_doc["properties"]):
                if new in ctx.out and key not in ctx.source_doc:
                    ctx.out[new] = ctx.out.pop(new)  # in the properties object's order
                    ctx.report.finding(join(("properties", key)), "moved", "a Collection field written at the "
                                       "top level (the README's place)", rule.id, join((new,)))
            if not props:
                del ctx.out["properties"]
