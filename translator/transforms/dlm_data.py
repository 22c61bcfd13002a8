"""DLM transforms for ``dlm:data``: band names (``useful_bands``) and example documents
(``item_examples``). To the same DLM version the object is written back exactly as read.
"""
from __future__ import annotations

from ..reader import NULL_READ
from . import structural
from .dlm_nulls import nulls, renames
from .dlm_runtime import fields_of, new_part, restore_field, same_version


def data_entry(ctx, key: str) -> tuple:
    """(the model fields of the pivot's skeleton, their path, the value of dlm:data[key] or None)."""
    props, where = fields_of(ctx)
    data = props.get("dlm:data") if props is not None else None
    return props, where, data.get(key) if type(data) is dict else None


def take_from_data(ctx, props: dict, key: str) -> None:
    """Take *key* out of the skeleton's dlm:data (gone when empty); the original is kept in the
    notes for a write to the same version."""
    ctx.pivot.notes.setdefault("dlm:data", props["dlm:data"])
    rest = props["dlm:data"] = {k: v for k, v in props["dlm:data"].items() if k != key}
    if not rest:
        del props["dlm:data"]


def take_nulls(ctx, rule) -> None:
    """A null member of dlm:data where DLM's schema wants a value (number_of_bands, process_level,
    ...) is no value, as a null field is: taken out, reported at its own place."""
    props, where = fields_of(ctx)
    data = props.get("dlm:data") if props is not None else None
    if type(data) is not dict:  # (a list or a value: no members to take; reported whole as dlm:data)
        return
    for path, _ in nulls(data, "dlm:data", ctx.version, renames(ctx.version).get("dlm:data")):
        if len(path) == 1 and "dlm:data" in props:  # a null inside a band entry stays for the band reading
            take_from_data(ctx, props, path[0])
            ctx.extra(where + ("dlm:data",) + path, None, "dropped", NULL_READ, rule.id)


@structural("dlm-bands", lossy="band names are carried; their indices in the source data are not")
class Bands:
    @staticmethod
    def read(ctx, rule) -> None:
        """Runs before dlm-io, which puts the names (notes["dlm:bands"]) on the input it builds and
        reports selected_bands as notes["dlm:selected"] says; and first of the dlm:data readers."""
        take_nulls(ctx, rule)
        props, where, useful = data_entry(ctx, "useful_bands")
        inputs = props.get("dlm:inputs") if props is not None else None
        if type(inputs) is not dict:
            return
        if type(useful) is not list or not useful or not all(
                type(b) is dict and type(b.get("name")) is str and b["name"] for b in useful):
            useful = None
        tensors = inputs.get("input_tensors")
        tensors = tensors[0] if type(tensors) is list and tensors else tensors
        dim = tensors.get("dim", tensors.get("channels")) if type(tensors) is dict else None
        names, why = _selected(useful, inputs.get("selected_bands"), dim)
        kind = "lossy" if names else "dropped"
        if useful is None and why is not None:  # the Item's eo:bands may be the source data's bands
            names, why, kind = _by_eo_bands(props, inputs["selected_bands"], dim, why)
            if names is not None:  # they are, as the resolution assumed: dlm-data-bands names the bands
                ctx.pivot.notes["dlm:source-bands"] = _eo_names(props)
        if why is not None:
            ctx.pivot.notes["dlm:selected"] = (kind, why)
        if names is None and useful is not None and not (type(dim) is int and dim != len(useful)):
            names = [b["name"] for b in useful]  # no selection: the useful bands, in their order
        if names is None:
            return  # the names do not describe the tensor's channels: reported with dlm:data
        ctx.pivot.notes["dlm:bands"] = names
        for place, read in ((("dlm:data", "useful_bands"), useful is not None),
                            (("dlm:inputs", "selected_bands"), "selected_bands" in inputs)):
            if read:
                ctx.pivot.read_from("input", "bands", where + place)
        if useful is not None:  # (else the names are those of the selected eo:bands)
            take_from_data(ctx, props, "useful_bands")
            ctx.extra(where + ("dlm:data", "useful_bands"), useful, "lossy", "the band names are the input's "
                      "bands; their indices in the source data are not carried", rule.id, via="input/bands")

    @staticmethod
    def write(ctx, rule) -> None:
        inputs = ctx.pivot.fields.get("input")
        if same_version(ctx) and "dlm:data" in ctx.pivot.notes:
            return
        if type(inputs) is not list or not inputs or type(inputs[0]) is not dict:
            return
        bands = inputs[0].get("bands")
        if type(bands) is not list or not bands:
            return
        names = [b if type(b) is str else b.get("name") if type(b) is dict else None for b in bands]
        if not all(type(n) is str and n for n in names):
            return  # dlm-io reports the band list
        origin = ctx.pivot.origin.get("input", "")
        for i, band in enumerate(bands):
            if type(band) is dict and set(band) - {"name"}:
                ctx.lost_part(origin, (0, "bands", i), "lossy", band, "DLM keeps only band names (no per-band "
                              "expressions)", rule.id)
        target = new_part(ctx, ("dlm:data", "useful_bands"))
        ctx.set(ctx.container, ("dlm:data", "useful_bands"), [{"index": i, "name": n} for i, n in enumerate(names)])
        ctx.loss(origin, "assumed", names, "band indices are not in the source: written as positions 0..n-1",
                 rule.id, target)
        # runs before dlm-io: the bands are written here, not reported there
        ctx.pivot.fields["input"] = [{k: v for k, v in inputs[0].items() if k != "bands"}] + inputs[1:]

    @staticmethod
    def finish(ctx, rule) -> None:
        if same_version(ctx):
            restore_field(ctx, "dlm:data")

    @staticmethod
    def describe(rule) -> list[tuple[str, str, str]]:
        return [("fields", "input", "dlm:data/useful_bands (names, as input bands; selected_bands resolved "
                 "through their indices give the order)")]


def _selected(useful: list | None, selected, dim) -> tuple[list | None, str | None]:
    """selected_bands -> (the band names they select, in order, or None; why, for the report).
    Only useful_bands say which name an index has: without them (or when an index is not one of
    theirs) nothing is guessed, not even whether indices count from 0 or 1."""
    if type(selected) is not list or not selected or not all(type(i) is int for i in selected):
        return None, None
    if useful is None:
        return None, "no useful_bands name the indices (DLM does not say whether they count from 0 or 1)"
    index = {b.get("index"): b["name"] for b in useful if type(b.get("index")) is int}
    if len(index) != len(useful):
        return None, "the useful_bands do not give every band an index of its own"
    missing = [i for i in selected if i not in index]
    if missing:
        return None, (f"the indices {missing} are not among the useful_bands indices {list(index)} "
                      "(DLM does not say whether they count from 0 or 1)")
    if len(set(selected)) != len(selected):
        return None, "an index is selected twice"
    if type(dim) is int and dim != len(selected):
        return None, f"{len(selected)} bands are selected for an input of {dim} channels"
    return [index[i] for i in selected], ("resolved through useful_bands: the input's bands are the selected "
                                          "bands' names, in order; the indices are not carried")


def _by_eo_bands(props: dict, selected: list, dim, why: str) -> tuple[list | None, str, str]:
    """selected_bands without useful_bands -> (names, why, loss kind) through the Item's eo:bands,
    only when they are the source data's bands (as many as dlm:data.number_of_bands) and the
    indices show where they count from (a 0: from 0; the band count: from 1)."""
    data = props.get("dlm:data")
    count = data.get("number_of_bands") if type(data) is dict else None
    names = _eo_names(props)
    if names is None:
        return None, why + ", and no eo:bands name the bands", "dropped"
    if type(count) is not int or count != len(names):
        said = f"number_of_bands says {count!r}" if type(data) is dict and "number_of_bands" in data else \
            "no number_of_bands"
        return None, (f"{why}, and the {len(names)} eo:bands are not known to be the source data's bands "
                      f"({said})"), "dropped"
    base = 0 if 0 in selected else 1 if count in selected else None
    if base is None:
        return None, (f"{why}; neither 0 nor {count} (the band count) is selected, which would tell for the "
                      f"{count} eo:bands"), "dropped"
    if any(not 0 <= i - base < count for i in selected) or len(set(selected)) != len(selected) \
            or (type(dim) is int and dim != len(selected)):
        return None, f"{why}; counted from {base}, they do not select the input's channels among the {count} " \
            "eo:bands once each", "dropped"
    return [names[i - base] for i in selected], (
        f"resolved through the Item's eo:bands, which are the source data's bands (as many as number_of_bands, "
        f"{count}), counting from {base} (index {base if base == 0 else count} is selected): the input's bands "
        "are their names, in order; that eo:bands describe the source data in its order is assumed (DLM does "
        "not say), and the indices are not carried"), "assumed"


def _eo_names(props: dict) -> list | None:
    """The names of the Item's eo:bands, when every band has one of its own."""
    eo_bands = props.get("eo:bands")
    names = [b.get("name") if type(b) is dict else None for b in eo_bands] if type(eo_bands) is list else []
    if not names or not all(type(n) is str and n for n in names) or len(set(names)) != len(names):
        return None
    return names


EXAMPLE = "example"


@structural("dlm-examples", lossy="DLM keeps only the URL and title of an example")
class Examples:
    """dlm:data.item_examples [{title, url}] <-> 'example' links (rel example in the others)."""

    @staticmethod
    def read(ctx, rule) -> None:
        props, where, examples = data_entry(ctx, "item_examples")
        if type(examples) is not list or not examples or not all(
                type(e) is dict and type(e.get("url")) is str and e["url"] and set(e) <= {"url", "title"}
                and type(e.get("title", "")) is str for e in examples):
            return  # anything else stays in dlm:data and is reported with it
        take_from_data(ctx, props, "item_examples")
        pointer = "/" + "/".join(where + ("dlm:data", "item_examples"))
        for i, example in enumerate(examples):
            body = {"href": example["url"], **({"title": example["title"]} if "title" in example else {})}
            ctx.pivot.links.append([EXAMPLE, body, f"{pointer}/{i}", None])

    @staticmethod
    def write(ctx, rule) -> None:
        if same_version(ctx) and "dlm:data" in ctx.pivot.notes:
            ctx.pivot.links[:] = [l for l in ctx.pivot.links if l[0] != EXAMPLE or "dlm:data" not in str(l[2])]
            return
        examples, keep, origins = [], [], []
        target = new_part(ctx, ("dlm:data", "item_examples"))
        for link in ctx.pivot.links:
            kind, body, origin, _slot = link
            if kind != EXAMPLE or type(body.get("href")) is not str or not body["href"]:
                keep.append(link)
                continue
            entry = {"url": body["href"]}
            if type(body.get("title")) is str:
                entry["title"] = body["title"]
            for key in body:
                if key not in ("href", "title"):
                    ctx.lost_part(origin, (key,), "dropped", body[key], "DLM keeps only the URL and title of an "
                                  "example", rule.id, target)
            examples.append(entry)
            origins.append(origin)
        if examples:
            ctx.pivot.links[:] = keep
            ctx.set(ctx.container, ("dlm:data", "item_examples"), examples)
            ctx.report.finding(origins[0], "links-to-examples",
                               f"{len(examples)} example link(s) written as dlm:data.item_examples", rule.id, target)

    @staticmethod
    def describe(rule) -> list[tuple[str, str, str]]:
        return [("links", EXAMPLE, "dlm:data/item_examples [{url, title}]")]

