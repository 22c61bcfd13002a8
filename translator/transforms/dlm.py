"""Transforms for DLM (CRIM's Deep Learning Model extension, 1.0.0-beta2 and beta.3).

``dlm-io`` (here) turns ``dlm:inputs``/``dlm:outputs`` into MLM-shaped pivot inputs,
outputs and tasks and back. What DLM says that the pivot cannot hold goes to the extras,
so a translation back to DLM loses nothing and one elsewhere reports it. The normalisation of
real-file variants is in dlm_normalise.py; class mappings, scaling and other values in dlm_values.py.
"""
from __future__ import annotations

from ..reader import NULL_READ
from . import structural
from .dlm_required import report_left_out, required_task
from .dlm_runtime import pointer_at
from .dlm_values import (carried_classes, classes, finish_output, output_order, read_class_count, value_scaling,
                         write_classes, write_scaling)

MLM_TASKS = {"regression", "classification", "scene-classification", "detection", "object-detection",
             "segmentation", "semantic-segmentation", "instance-segmentation", "panoptic-segmentation",
             "similarity-search", "generative", "image-captioning", "super-resolution", "downscaling"}
TASK_READ = {"object segmentation": "instance-segmentation", "binary classification": "classification",
             "multi-class classification": "classification"}
TASK_WRITE = {"semantic-segmentation": "semantic segmentation", "object-detection": "object detection",
              "instance-segmentation": "instance segmentation", "panoptic-segmentation": "panoptic segmentation",
              "classification": "classification", "regression": "regression",
              # generalised: one-way
              "segmentation": "semantic segmentation", "scene-classification": "classification",
              "detection": "object detection"}
ONE_WAY = {"segmentation", "scene-classification", "detection"}
PROPS = ("properties",)
SCALING = ("scaling_factor", "normalization:mean", "normalization:std")
CLASSES = "classification:classes"


def _tensors(inputs: dict) -> dict:
    tensors = inputs.get("input_tensors")
    tensors = tensors[0] if type(tensors) is list and tensors else tensors  # a list: its first object
    return tensors if type(tensors) is dict else {}


@structural("dlm-io")
class InputsOutputs:
    """dlm:inputs / dlm:outputs <-> pivot input, output and tasks (MLM 1.5.2 shapes)."""

    @staticmethod
    def read(ctx, rule) -> None:
        props = ctx.pivot.base.get("properties") if ctx.type == "Feature" else ctx.pivot.base
        if type(props) is not dict:
            return
        where = PROPS if ctx.type == "Feature" else ()
        for key, read in (("dlm:inputs", _read_inputs), ("dlm:outputs", _read_outputs)):
            value = props.get(key)
            if type(value) is dict:
                del props[key]
                ctx.pivot.notes[key] = value  # written back as read, to the same version
                if value:
                    read(ctx, rule, value, where + (key,))
                else:  # an input or output made of defaults would not come back as {}
                    ctx.extra(where + (key,), value, "dropped", f"an empty {key} has nothing to carry", rule.id)
            elif value is None and key in props:  # no value (the same version gets the null back)
                del props[key]
                ctx.extra(where + (key,), None, "dropped", NULL_READ, rule.id)

    @staticmethod
    def write(ctx, rule) -> None:
        pivot = ctx.pivot
        same = pivot.source == (ctx.table.name, ctx.version)
        if same and ("dlm:inputs" in pivot.notes or "dlm:outputs" in pivot.notes):
            for key in ("dlm:inputs", "dlm:outputs"):  # to the same version: exactly as read
                if key in pivot.notes:
                    ctx.set(ctx.container, (key,), pivot.notes[key])
            if ctx.repair and "dlm:outputs" not in pivot.notes:  # a repair writes the output it lacks
                _write_outputs(ctx, rule)
            for name in ("input", "output", "tasks"):
                pivot.fields.pop(name, None)
            return
        _write_inputs(ctx, rule)
        _write_outputs(ctx, rule)

    @staticmethod
    def finish(ctx, rule) -> None:
        finish_output(ctx, rule)  # dlm_values.py: what the DLM schema refuses of a carried value
        report_left_out(ctx)  # (last: every DLM write has run)

    @staticmethod
    def describe(rule) -> list[tuple[str, str, str]]:
        """For the crosswalk: the pivot fields this rule reads and writes."""
        return [("fields", "input", "dlm:inputs (name, input_tensors, scaling, normalization)"),
                ("fields", "output", "dlm:outputs (final_layer_size, class_name_mapping, dont_care_index)"),
                ("fields", "tasks", "dlm:outputs/task")]


def _read_inputs(ctx, rule, inputs: dict, path: tuple) -> None:
    tensors = _tensors(inputs)
    dim = tensors.get("dim", tensors.get("channels"))
    shape = [tensors.get("batch", -1), dim if dim is not None else -1, tensors.get("height", -1),
             tensors.get("width", -1)]
    shape = [v if type(v) is int else -1 for v in shape]
    entry: dict = {"name": inputs.get("name") or "input",
                   "input": {"shape": shape, "dim_order": ["batch", "channel", "height", "width"],
                             "data_type": "float32"}}
    names = ctx.pivot.notes.get("dlm:bands")  # from dlm-bands (dlm:data.useful_bands)
    if names:
        entry["bands"] = names
        entry["input"]["dim_order"] = ["batch", "bands", "height", "width"]
    scaling = value_scaling(inputs)
    if scaling is not None:
        entry["value_scaling"] = scaling
        factor = inputs.get("scaling_factor")
        if type(factor) is list and len(set(factor)) == 1 and scaling[0].get("type") == "scale":
            ctx.extra(path + ("scaling_factor",), factor, "lossy", "a list of equal scaling factors reads back as "
                      "a single number (the same scale)", rule.id, via="input/value_scaling")
    ctx.pivot.fields["input"] = [entry]
    ctx.pivot.origin["input"] = path
    for part, keys in (("name", ("name",)), ("input", ("input_tensors",)), ("value_scaling", SCALING)):
        for key in keys:  # (the bands: dlm-bands says where it read them)
            ctx.pivot.read_from("input", part, path + (key,))
    ctx.extra(path + ("input_tensors",), inputs.get("input_tensors"), "assumed", "the input data type is not in "
              f"DLM: float32 assumed; the dimension order is {', '.join(entry['input']['dim_order'])}"
              + "; a size not given is -1 (unknown)" * (-1 in shape), rule.id, via="input/input")
    tensors = inputs.get("input_tensors")
    if type(tensors) is list and tensors and type(tensors[0]) is dict:
        for i in range(1, len(tensors)):
            ctx.extra(path + ("input_tensors", i), tensors[i], "dropped", "input_tensors given as a list: "
                      "DLM describes one input tensor, and the first one is read", rule.id)
    if type(inputs.get("name")) is not str or not inputs.get("name"):
        ctx.extra(path + ("name",), inputs.get("name"), "assumed", "no input name: 'input' used", rule.id,
                  via="input/name")
    carried = {"name", "input_tensors"} | (set(SCALING) if scaling is not None else set())
    if scaling is not None and "scaling_factor" in inputs and inputs["scaling_factor"] is None:
        carried.discard("scaling_factor")
        ctx.extra(path + ("scaling_factor",), None, "dropped", "a null scaling factor: nothing to carry", rule.id)
    for key in inputs:
        if key not in carried and key not in SCALING:
            kind, reason = "dropped", f"{key} has no field in the other ML extensions"
            if inputs[key] is None:  # (to any target)
                reason = NULL_READ
            elif key == "selected_bands":  # dlm-bands says whether they name the input's bands
                kind, why = ctx.pivot.notes.get("dlm:selected", ("dropped", ""))
                reason = why if kind != "dropped" else reason + " (MLM references bands by name)" + (
                    f"; not resolved to band names: {why}" if why else "")
            ctx.extra(path + (key,), inputs[key], kind, reason, rule.id)
    if scaling is not None and scaling[0].get("type") == "z-score" and inputs.get("scaling_factor") is not None:
        for key in SCALING:
            ctx.extra(path + (key,), inputs[key], "lossy", "the scaling factor is folded into the input's "
                      "z-score scaling (mean/s, std/s), which has no factor", rule.id,
                      via="input/value_scaling")
    if scaling is not None and scaling[0].get("type") == "scale":
        factor = inputs.get("scaling_factor")
        back = [1 / s["value"] for s in scaling]
        if back != (factor if type(factor) is list else [factor] * len(back)):
            ctx.extra(path + ("scaling_factor",), factor, "lossy", "MLM divides by 1/factor; in floating point "
                      "1/(1/factor) is not always the factor", rule.id, via="input/value_scaling")
        for key in (k for k in ("normalization:mean", "normalization:std") if k in inputs):  # null: a scale
            ctx.extra(path + (key,), inputs[key], "dropped", f"a null {key}: nothing to carry", rule.id)
    if scaling is None:
        for key in SCALING:
            if key in inputs:
                ctx.extra(path + (key,), inputs[key], "dropped", "these scaling values do not form a "
                          "per-band scale or z-score" if inputs[key] is not None else NULL_READ, rule.id)


def _read_outputs(ctx, rule, outputs: dict, path: tuple) -> None:
    task = outputs.get("task")
    name = None
    if "task" in outputs and type(task) is not str:
        ctx.extra(path + ("task",), task, "dropped", NULL_READ if task is None else "the task is not a name", rule.id)
    if type(task) is str:
        low = task.strip().lower()
        name = TASK_READ.get(low, low.replace(" ", "-"))
        if name != low.replace(" ", "-") or low != task:
            ctx.report.finding("/".join(("",) + path + ("task",)), "normalised", f"'{task}' read as '{name}'", rule.id)
        if name in MLM_TASKS:
            ctx.pivot.fields["tasks"] = [name]
            ctx.pivot.origin["tasks"] = path + ("task",)
        else:
            ctx.extra(path + ("task",), task, "dropped", f"the task '{task}' has no MLM equivalent", rule.id)
            name = None
    size = outputs.get("final_layer_size")
    shape = [v if type(v) is int else -1 for v in size] if type(size) is list and size else [-1]
    order = output_order(len(shape))
    entry: dict = {"name": (task if type(task) is str and task else "output"),
                   "tasks": [name] if name else [],
                   "result": {"shape": shape, "dim_order": order, "data_type": "float32"}}
    pairs = classes(outputs.get("class_name_mapping"))
    mapping = outputs.get("class_name_mapping")
    if pairs and not (type(mapping) is dict and all(not str(k).startswith("I_") for k in mapping)):
        ctx.report.finding("/".join(("",) + path + ("class_name_mapping",)), "normalised",
                           "class_name_mapping read in another of its shapes; written as {\"value\": name}", rule.id)
    if pairs:
        pairs = carried_classes(ctx, rule, pairs, mapping, path + ("class_name_mapping",))
        dont_care = outputs.get("dont_care_index")
        dont_care = dont_care if type(dont_care) is int else None  # -0.0, 0.0, True: not an index
        entry["classification:classes"] = [
            {"value": v, "name": n, "description": n, **({"nodata": True} if v == dont_care else {})}
            for v, n in pairs]
    elif "class_name_mapping" in outputs:  # null included: nothing comes back
        ctx.extra(path + ("class_name_mapping",), outputs["class_name_mapping"], "dropped",
                  "class_name_mapping in an unknown shape" if outputs["class_name_mapping"] is not None
                  else "a null class_name_mapping: nothing to carry", rule.id)
    ctx.pivot.fields["output"] = [entry]
    for part, key in (("name", "task"), ("tasks", "task"), ("result", "final_layer_size"),
                      (CLASSES, "class_name_mapping"), (CLASSES + "/nodata", "dont_care_index")):
        ctx.pivot.read_from("output", part, path + (key,))
    if name and set(outputs) == {"task"}:  # nothing but the task, which is carried as the tasks
        ctx.pivot.notes.setdefault("derived", set()).add("output")
    ctx.pivot.origin["output"] = path
    ctx.extra(path + ("final_layer_size",), size, "assumed", "the result data type is not in DLM: float32 assumed; "
              f"dimension order {order} inferred from the shape {shape}" + " (-1: a size not given)" * (-1 in shape),
              rule.id, via="output/result")
    for key in outputs:
        if key not in ("task", "final_layer_size", "class_name_mapping", "dont_care_index", "number_of_classes"):
            ctx.extra(path + (key,), outputs[key], "dropped", f"{key} has no field in the other ML extensions", rule.id)
    if "number_of_classes" in outputs:
        read_class_count(ctx, rule, outputs, pairs, path)
    if "dont_care_index" in outputs and not (type(outputs["dont_care_index"]) is int and any(
            v == outputs["dont_care_index"] for v, _ in pairs or ())):
        ctx.extra(path + ("dont_care_index",), outputs["dont_care_index"], "dropped", NULL_READ if
                  outputs["dont_care_index"] is None else "the don't-care index names no listed class", rule.id)


def _write_inputs(ctx, rule) -> None:
    pivot = ctx.pivot
    present = "input" in pivot.fields
    inputs = pivot.fields.pop("input", None)
    origin = pivot.origin.get("input", "")
    if type(inputs) is not list or not inputs or type(inputs[0]) is not dict:
        if present:  # a null input too: it does not come back as null
            ctx.lost_part(origin, (), "dropped", inputs, "no input object DLM can describe", rule.id)
        return
    first = inputs[0]
    if len(inputs) > 1:
        for i in range(1, len(inputs)):
            ctx.lost_part(origin, (i,), "dropped", inputs[i], "DLM describes one input; the others are not "
                          "written", rule.id)
    struct = first.get("input") if type(first.get("input")) is dict else {}
    if not struct:  # DLM reads back a structure of its own
        ctx.lost_part(origin, (0, "input"), "lossy", first.get("input"), "the input has no input structure; "
                      "DLM's reads back with its own shape, order and data type", rule.id)
    shape, order = struct.get("shape"), struct.get("dim_order")
    shape = shape if type(shape) is list else []
    order = order if type(order) is list else []
    data = ctx.container.get("dlm:data")  # dlm-bands runs first: the band names DLM reads back with
    channel = "bands" if type(data) is dict and "useful_bands" in data else "channel"
    for key, expected in (("data_type", "float32"), ("dim_order", ["batch", channel, "height", "width"])):
        if struct and key not in struct:  # DLM reads the input back with one
            ctx.lost_part(origin, (0, "input"), "lossy", struct, f"the input has no {key}; DLM's reads back with "
                          f"{expected}", rule.id)
        elif key in struct and struct[key] != expected:
            ctx.lost_part(origin, (0, "input", key), "lossy", struct[key], f"DLM has no input {key}; read back "
                          f"as {expected}", rule.id)
    for key in struct:
        if key not in ("shape", "dim_order", "data_type"):
            ctx.lost_part(origin, (0, "input", key), "dropped", struct[key], f"mlm:input input.{key} has no DLM "
                          "equivalent", rule.id)
    tensors: dict = {}
    for size, dim in zip(shape, order):
        key = {"batch": "batch", "channel": "dim", "bands": "dim", "height": "height",
               "width": "width"}.get(dim) if type(dim) is str else None
        if key and type(size) is int and size > 0:
            tensors[key] = size
    for key in ("dim", "height", "width"):
        if key not in tensors and ctx.type == "Feature":  # DLM requires nothing of a Collection
            if ctx.fill_required:
                tensors[key] = 1
                ctx.loss("", "synthesized", 1, f"placeholder: the input has no '{key}' dimension DLM requires",
                         rule.id, f"/properties/dlm:inputs/input_tensors/{key}")
            else:
                ctx.report.problems.append(f"/properties/dlm:inputs/input_tensors/{key} is required by the DLM "
                                           "schema; the input has no such dimension (--fill-required writes 1)")
    back = [tensors.get(key, -1) for key in ("batch", "dim", "height", "width")]  # what _read_inputs gives
    if struct and struct.get("shape") != back:
        ctx.lost_part(origin, (0, "input", "shape"), "lossy", struct.get("shape"), f"the input shape reads back "
                      f"from DLM as {back}", rule.id)
    name = first.get("name")
    if type(name) is not str or not name:
        ctx.loss(origin, "assumed", name, "DLM requires an input name: 'input' written", rule.id,
                 pointer_at(ctx, ("dlm:inputs", "name")))
        name = "input"
    out: dict = {"name": name, "input_tensors": tensors}
    write_scaling(ctx, rule, first, origin, out)
    dropped = [k for k in first if k not in ("name", "input", "value_scaling", "bands")]
    if "bands" in first:  # even an empty list: DLM has no band list, it does not come back
        dropped.append("bands")
    for key in dropped:
        ctx.lost_part(origin, (0, key), "dropped", first[key], f"mlm:input '{key}' has no DLM equivalent", rule.id)
    ctx.set(ctx.container, ("dlm:inputs",), out)


def _write_outputs(ctx, rule) -> None:
    pivot = ctx.pivot
    present = "output" in pivot.fields
    outputs = pivot.fields.pop("output", None)
    tasks = pivot.fields.pop("tasks", None)
    origin = pivot.origin.get("output", "")
    if present and not (type(outputs) is list and outputs and type(outputs[0]) is dict):
        ctx.lost_part(origin, (), "dropped", outputs, "no output object DLM can describe", rule.id)
    first = outputs[0] if type(outputs) is list and outputs and type(outputs[0]) is dict else {}
    if type(outputs) is list and len(outputs) > 1:
        for i in range(1, len(outputs)):
            ctx.lost_part(origin, (i,), "dropped", outputs[i], "DLM describes one output; the other heads are not "
                          "written", rule.id)
    listed = tasks if type(tasks) is list and tasks else first.get("tasks")
    names = [t for t in (listed if type(listed) is list else []) if type(t) is str]
    out: dict = {}
    task_origin = pivot.origin.get("tasks", origin)
    names_origin = task_origin if listed is tasks else ctx.below(origin, (0, "tasks"))
    for t in names:
        if t in TASK_WRITE:
            out["task"] = TASK_WRITE[t]
            if t in ONE_WAY:
                ctx.lost_part(names_origin, (listed.index(t),), "lossy", t,
                              f"'{t}' written as the DLM task '{TASK_WRITE[t]}'", rule.id)
            break
    if not tasks and "task" in out and type(origin) is tuple:
        ctx.report.finding("/".join(("",) + origin[:-1] + ("mlm:tasks",)), "task-from-output",
                           "no model-level tasks: the DLM task comes from the output, and reads back as both",
                           rule.id, pointer_at(ctx, ("dlm:outputs", "task")))
    for where, values in ((task_origin, tasks), (names_origin, None if listed is tasks else listed)):
        odd = [] if values is None else [(i,) for i, t in enumerate(values) if type(t) is not str] \
            if type(values) is list else [()]
        for path in odd:
            ctx.lost_part(where, path, "dropped", values[path[0]] if path else values, "a task value that is "
                          "not a name", rule.id)
    if type(tasks) is list and not tasks and "task" not in out:  # (else task-from-output says it)
        ctx.lost_part(task_origin, (), "dropped", tasks, "an empty task list has no DLM equivalent", rule.id)
    if len(names) > 1 or (names and "task" not in out):
        ctx.lost_part(names_origin, (), "lossy" if "task" in out else "dropped", names,
                      "DLM has one task from a closed list", rule.id)
    result = first.get("result") if type(first.get("result")) is dict else {}
    shape = result.get("shape")
    if result and "data_type" not in result:
        ctx.lost_part(origin, (0, "result"), "lossy", result, "the result has no data_type; DLM's reads back "
                      "with float32", rule.id)
    elif result.get("data_type", "float32") != "float32":
        ctx.lost_part(origin, (0, "result", "data_type"), "lossy", result["data_type"], "DLM has no result data "
                      "type; read back as float32", rule.id)
    for key in first:
        if key not in ("name", "tasks", "result", "classification:classes", "classification_classes"):
            ctx.lost_part(origin, (0, key), "dropped", first[key], f"mlm:output '{key}' has no DLM equivalent", rule.id)
    if type(shape) is list and shape and all(type(v) is int and v > 0 for v in shape):
        out["final_layer_size"] = shape
    write_classes(ctx, rule, first, origin, out)
    form = pivot.notes.get("dlm:class_count")  # how a DLM source counted its classes
    if "class_name_mapping" in out and (ctx.repair or form):
        listed = len(out["class_name_mapping"])
        cared = listed - ("dont_care_index" in out)
        # required by the official schema; its example leaves the don't-care class out of the count
        count = listed if form == "all" or (not form and not cared) else cared
        out = {**{k: out.pop(k) for k in ("task",) if k in out}, "number_of_classes": count, **out}
        if not form:  # a count the source does not give
            ctx.report.finding("/".join(("",) + origin) if type(origin) is tuple else origin, "class-count",
                               f"number_of_classes written as the number of the output's classes ({count}"
                               + (", the don't-care one aside)" if count != listed else ")"),
                               rule.id, pointer_at(ctx, ("dlm:outputs", "number_of_classes")))
    if not out.get("task") and ctx.type == "Feature":  # DLM requires nothing of a Collection
        task = required_task(ctx, rule)
        if task is not None:
            out["task"] = task
    has_first = type(outputs) is list and bool(outputs) and type(outputs[0]) is dict  # even an empty one
    read_back = TASK_READ.get(out.get("task", ""), out.get("task", "").replace(" ", "-"))
    back = [read_back] if read_back in MLM_TASKS else []
    if has_first and first.get("tasks") != back:  # the output's tasks read back as the model's one task
        ctx.lost_part(origin, (0, "tasks"), "lossy", first.get("tasks"), f"DLM has one task for the model and its "
                      f"output: the output's tasks read back as {back}", rule.id)
    if not out and has_first:
        ctx.lost_part(origin, (0,), "dropped", first, "the output has nothing DLM can hold (a DLM task, a positive "
                      "shape, classes)", rule.id)
    elif has_first:  # what _read_outputs derives instead of what DLM has no place for
        size = out.get("final_layer_size") or [-1]
        for path, back in (((0, "name"), out.get("task") or "output"), ((0, "result", "shape"), size),
                           ((0, "result", "dim_order"), output_order(len(size)))):
            value = first.get("name") if len(path) == 2 else result.get(path[2])
            if value != back:
                ctx.lost_part(origin, path, "lossy", value, f"DLM has no output {path[-1]}: read back as {back!r} "
                              "from the task and the final layer size", rule.id)
    if out:
        ctx.set(ctx.container, ("dlm:outputs",), out)
        if not outputs:
            _will_read_back(ctx, rule, "output", pointer_at(ctx, ("dlm:outputs",)))


def _will_read_back(ctx, rule, pivot_name: str, target: str) -> None:
    """Say, at the source's own field, that DLM's object will read back as that field."""
    source = ctx.tables.by_name.get(ctx.pivot.source[0])
    rules = source.write_fields.get(pivot_name) if source is not None else None
    if rules:
        where = "/properties/" if ctx.type == "Feature" else "/"
        ctx.report.finding(where + rules[0].field, "read-back-adds",
                           f"the source has no {rules[0].field}; the DLM object written from its other fields "
                           "reads back as one", rule.id, target)
