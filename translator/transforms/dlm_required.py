"""What a DLM Item requires: the members a DLM-to-DLM write (dlm_versions.py) finds without a
value, and the objects an Item's output lacks.

A required member with no value (null or missing, at any depth, also in the items of
``useful_bands``, ``item_examples`` and ``dlm:archive``) is filled in a repair (fill_required)
with a value given for it, the part of a require rule's placeholder (mappings/dlm.yaml), the
placeholder task (the upgrade rule's ``task_placeholder`` option), or the placeholder its
``item_placeholders`` option gives a list item's member, each reported ``synthesized`` (or
``assumed``) at its target; a docker object naming no image gets its ``image_placeholder``;
otherwise it is a problem naming its pointer. An object an Item requires that the output
lacks is one problem at the object's own pointer: the problems of its members are folded into
it (docs/dlm.md, "DLM to DLM").
"""
from __future__ import annotations

import json
from typing import NamedTuple

from ..pointer import join, value_at
from ..tables import render_placeholder
from . import STRING, options_schema
from .dlm_nulls import list_item_members, member_schemas, required_fields

NONE = object()  # no value could be given
_POSITION = object()


class RepairPlaceholders(NamedTuple):
    """What a repair writes where the schemas want a value the source does not give: the upgrade
    rule's options (mappings/dlm.yaml), compiled once when the table loads."""
    items: dict  # {(FIELD, ..., "*", MEMBER): (value or _POSITION, reason)}
    task: str    # dlm:outputs/task of an Item whose source names no task DLM knows
    image: str   # docker/image_name of a docker object naming no image and no Dockerfile


def _wanted(place: str) -> dict:
    """The JSON Schema of a value every shipped DLM schema accepts at *place*."""
    found = list({json.dumps(s, sort_keys=True): s for s in member_schemas(place)}.values())
    return found[0] if len(found) == 1 else {"allOf": found}


def _item_placeholder(place: str) -> dict:
    """The forms the placeholder of the list item member at *place* may take: text or a number
    as that member's schema wants it, and the item's place only where a number is wanted."""
    wanted = _wanted(place)
    forms = [{"allOf": [STRING, wanted]},
             options_schema(("value",), value={"allOf": [{"anyOf": [STRING, {"type": "number"}]}, wanted]},
                            reason=STRING)]
    if all(s.get("type") == "integer" for s in member_schemas(place)):
        forms.append(options_schema(("position",), position={"const": True}, reason=STRING))
    return {"oneOf": forms}


# Required members of list items, which no require rule reaches: the upgrade rule's option
# item_placeholders (mappings/dlm.yaml) says what each is given in a repair, keyed
# FIELD/.../*/MEMBER (a place the schemas require a member of a list item, list_item_members).
# A value is a placeholder (its reason: what follows "PLACEHOLDER: "), {value, reason}, or
# {position: true}: the item's place in its list, a number (an object, so no placeholder text
# can be taken for it). Each is checked against what the shipped schemas want of its member.
# task_placeholder and image_placeholder are the task and docker image_name a repair writes.
_ITEM_MEMBERS = [m for m in list_item_members() if not m.startswith("dlm:outputs/class_name_mapping/")]
# (class_name_mapping is written from the classes: an entry lacking a member is dropped whole)
REPAIR_PLACEHOLDER_OPTIONS = options_schema(
    ("task_placeholder", "image_placeholder"),
    item_placeholders={"type": "object", "propertyNames": {"enum": _ITEM_MEMBERS},
                       "properties": {m: _item_placeholder(m) for m in _ITEM_MEMBERS}},
    task_placeholder={"allOf": [STRING, _wanted("dlm:outputs/task")]},
    image_placeholder=STRING,
)


def compile_repair_placeholders(options: dict) -> RepairPlaceholders:
    """The upgrade rule's valid options, as a repair reads them."""
    compiled = {}
    for place, given in options.get("item_placeholders", {}).items():
        if type(given) is str and given.startswith("PLACEHOLDER"):
            given = {"value": given, "reason": given.partition(": ")[2] or given}
        elif type(given) is not dict:
            given = {"value": given}
        value = _POSITION if given.get("position") else given["value"]
        shown = f"'{value}'" if type(value) is str else value
        reason = given.get("reason") or ("the item's place in the list (a number: not marked PLACEHOLDER)"
                                         if value is _POSITION else f"{shown} (not marked PLACEHOLDER)")
        compiled[tuple(place.split("/"))] = (value, reason)
    return RepairPlaceholders(compiled, options["task_placeholder"], options["image_placeholder"])


def repair_placeholders(ctx) -> RepairPlaceholders | None:
    """The placeholders of the target table's upgrade rule (None: the table has no such rule)."""
    for rule in ctx.view.write_transforms:
        if rule.structural.name == "dlm-upgrade":
            return rule.compiled_options
    return None


def required_value(ctx, rule, written: tuple, fills: dict, given: str = "null"):
    """The value of a required member at *written* (below the Item's properties) whose source
    value is null (or, *given*, missing, or refused by the schema): what the generic write filled
    in for it (a value given or a placeholder; its entry stays), the part of a require rule's
    placeholder for the field it belongs to (or the whole), DLM's placeholder task or a list item's
    placeholder; else a problem (NONE)."""
    target = join(ctx.where + written)
    fill = fills.get(target)
    if fill is not None:
        ctx.report.losses.append(fill)
        return fill.value
    covered = False  # by a require rule's placeholder, which a repair writes
    for require in ctx.view.requires:
        size = len(require.path)
        if require.placeholder is not None and size <= len(written) and written[:size] == require.path:
            if not ctx.fill_required:
                covered = True
                break
            part = value_at(render_placeholder(require.placeholder, ctx.out), written[size:], NONE)
            if part is not NONE:
                ctx.loss("", "synthesized", part, f"placeholder for required {target}: {require.reason}",
                         require.id, target)
                return part
    if written == ("dlm:outputs", "task") and ctx.type == "Feature":
        task = required_task(ctx, rule)
        return task if task is not None else NONE
    placeholders = repair_placeholders(ctx)
    placeholder, why = (placeholders.items if placeholders else {}).get(
        tuple("*" if type(t) is int else t for t in written), (NONE, ""))
    if placeholder is not NONE and ctx.fill_required:
        if placeholder is _POSITION:
            placeholder = [t for t in written if type(t) is int][-1]
        ctx.loss("", "synthesized", placeholder, f"placeholder for required {target}: {why}", rule.id, target)
        return placeholder
    hint = "; --fill-required writes a placeholder" * (placeholder is not NONE or covered)
    if given == "refused":  # (dlm_checked: its value is reported dropped, with what the schema wants)
        ctx.report.problems.append(f"{target} is required by {ctx.target_name} but the source's value is one "
                                   f"its schema refuses (left out{hint})")
    else:
        ctx.report.problems.append(f"{target} is required by {ctx.target_name} but the source has no value for "
                                   f"it ({given}{hint})")
    return NONE


def with_image(ctx, rule, runtime: dict, source_path: tuple) -> dict:
    """*runtime* (an Item's) whose docker object names an image or a Dockerfile, as DLM's must
    (one of them a string): a placeholder image_name in a repair (fill_required), else a problem."""
    docker = runtime.get("docker")
    if not ctx.where or type(docker) is not dict or \
            any(type(docker.get(k)) is str for k in ("image_name", "docker_file")):
        return runtime
    target = join(ctx.where + ("dlm:runtime", "docker"))
    placeholders = repair_placeholders(ctx)
    if not ctx.fill_required or placeholders is None:
        hint = " (--fill-required writes a placeholder image_name)" * (placeholders is not None)
        ctx.report.problems.append(f"{target} names no image and no Dockerfile, one of which {ctx.target_name} "
                                   f"requires of it{hint}")
        return runtime
    if "image_name" in docker:  # a null: no name
        ctx.loss(join(source_path + ("docker", "image_name")), "dropped", None, "a null image_name, where DLM's "
                 "docker object wants an image (or a Dockerfile) named: replaced by a placeholder", rule.id)
    image = placeholders.image
    ctx.loss("", "synthesized", image, f"placeholder for {target}/image_name: DLM's docker object names an image "
             "or a Dockerfile", rule.id, f"{target}/image_name")
    return {**runtime, "docker": {**docker, "image_name": image}}


def required_task(ctx, rule) -> str | None:
    """The task an Item's dlm:outputs must have when the source gives none DLM knows: a placeholder
    with fill_required (reported), else None and a problem."""
    placeholders = repair_placeholders(ctx)
    if not ctx.repair or not ctx.fill_required or placeholders is None:
        hint = " (--fill-required writes a placeholder)" * (placeholders is not None)
        ctx.report.problems.append("/properties/dlm:outputs/task is required by the DLM schema but no "
                                   f"task of the source has a DLM equivalent{hint}")
        return None
    ctx.loss("", "synthesized", placeholders.task, "placeholder DLM task (a closed vocabulary: not marked "
             "PLACEHOLDER)", rule.id, "/properties/dlm:outputs/task")
    return placeholders.task


def report_left_out(ctx) -> None:
    """One problem at the pointer of each object the DLM schema requires of an Item that the
    output lacks, whatever the source. The problems of its members (why it has none) are folded
    into it, so that the report says once that the object is missing and why."""
    if ctx.type != "Feature" or type(ctx.container) is not dict:
        return
    problems = ctx.report.problems
    for key in required_fields(ctx.version):
        if key in ctx.container:
            continue
        target = join(ctx.where + (key,))
        if any(p.startswith(target + " ") for p in problems):
            continue  # said at its own place already (a require rule for the whole object)
        below = [p for p in problems if p.startswith(target + "/")]
        source = ctx.source_doc.get("properties") if ctx.pivot.source[0] == ctx.table.name else None
        why = _why_left_out(source.get(key, NONE) if type(source) is dict else NONE)
        hint = "" if ctx.fill_required or any("--fill-required" in p for p in below) else \
            " (--fill-required writes it with placeholders)"
        problems[:] = [p for p in problems if p not in below]
        problems.append(f"{target} is required by {ctx.target_name} but is left out: {why}{hint}"
                        + "".join(f"; {p}" for p in below))


def _why_left_out(value) -> str:
    """Why a required object the source has at *value* (NONE: has not) is not in the output."""
    if value is NONE:
        return "the source has no value for it"
    if value is None:
        return "the source's is null (no value)"
    if type(value) is not dict:
        return "the source's is not an object"
    return "none of its required members has a value" if value else "the source's is empty"
