"""DLM spellings by target version.

``dlm-upgrade``: DLM to DLM at another version (1.0.0-beta2 -> 1.0.0-beta.3 and back), or to
the same version with ``fill_required`` (a repairing write).

Both versions hold the same information, so nothing goes through the pivot's narrower model:
every ``dlm:*`` object of the source is written as it was, in the written form of the *target*
version (docs/errata-dlm.md, "What the reader accepts versus what written documents must
contain"; docs/errata-dlm-beta2.md for beta2): ``dtype``/``nodata_value`` (beta2) <->
``data_type``/``nodata`` (beta.3), ``channels`` -> ``dim``, a list of ``input_tensors`` -> its
first object, a numeric runtime ``version`` -> a string, ``framework_version`` -> ``version``,
``class_name_mapping`` -> ``{"<n>": name}`` (beta.3) or ``[{"index": n, "class_name": name}]``
(beta2), a one-element archive ``role`` list -> the string. Each change is a finding; what the
losses of the generic path said about these objects no longer applies and is withdrawn.

``dlm-spelling``: from another extension the DLM transforms write beta.3's spellings; to beta2
they are renamed last (each rename a finding).
"""
from __future__ import annotations

from ..pointer import join, value_at
from ..reader import NULL_READ
from . import structural
from .dlm_required import (NONE as _NONE, REPAIR_PLACEHOLDER_OPTIONS, compile_repair_placeholders, required_value,
                           with_image)
from .dlm_values import classes, unnamed_classes
from .dlm_archive import ARCHIVE_ROLES
from .dlm_checked import NONE as REFUSED, item_fields, left_out_strays, refused
from .dlm_nulls import BETA2, NESTED_NAMES, field_type, missing, moved, nulls, per_place, put, renames, without

_EMPTY_ITEM = ("an empty object, which says nothing of the item: read as no value, as a null item is (filled, "
               "it would be made of placeholders only)")
_NULL_IN_PLACES = ("a null among values whose places count (a value per band or per dimension), where the "
                   "schema wants a value: the list is left out, since leaving the null out would move the "
                   "values after it")


def written_classes(pairs: list, version: str):
    """[(index, name)] in the form *version* writes class_name_mapping."""
    if version == BETA2:
        return [{"index": n, "class_name": name} for n, name in pairs]
    written: dict = {}
    for n, name in pairs:
        written.setdefault(str(n), name)  # an index given again keeps its first name
    return written


def in_written_form(mapping, version: str) -> bool:
    """A class_name_mapping already in the form *version* writes: at least one class, each named."""
    if version == BETA2:
        return type(mapping) is list and bool(mapping) and all(
            type(e) is dict and set(e) == {"index", "class_name"} and type(e["index"]) is int
            and type(e["class_name"]) is str for e in mapping)
    return type(mapping) is dict and bool(mapping) and all(
        str(k).isdigit() and type(name) is str for k, name in mapping.items())


def form_name(version: str) -> str:
    return '[{"index": n, "class_name": name}]' if version == BETA2 else '{"<n>": name}'


# No DLM form holds a class without a name. Named by its index (as an MLM class without a name is
# written) it would read back with a name the source never gave: the class is left out, reported,
# and number_of_classes, carried as it is, still counts it.
_UNNAMED = ("a class with an empty name: DLM class names cannot be empty, so the class is left out of the "
            "mapping (its index is no name of the source's)")
_UNINDEXED = "a class index below 0: DLM indexes classes from 0, so the class is left out of the mapping"


def _writable_classes(ctx, rule, value, source_path: tuple, version: str):
    """*value* (a dlm:outputs) with a class_name_mapping the form of *version* can write. One that
    holds no such class (``[[null]]``, ``{}``, a name that is not text, only empty names or indices
    below 0) is left out, reported at its own pointer with its value, as a whole (none of its forms
    would be valid); a class with an empty name or an index below 0 is left out at its own place."""
    mapping = value.get("class_name_mapping", _NONE) if type(value) is dict else _NONE
    if mapping is _NONE:
        return value
    pairs = classes(mapping)
    bad = {place: (entry, _UNNAMED) for place, entry in unnamed_classes(mapping, pairs)} if pairs else {}
    for place, (n, _) in zip(list(mapping) if type(mapping) is dict else range(len(mapping)), pairs) if pairs else ():
        if n < 0:
            bad.setdefault(place, (mapping[place], _UNINDEXED))
    where = source_path + ("class_name_mapping",)
    for i, entry in enumerate(mapping if type(mapping) is list and pairs else ()):
        read = ("index", "class_name" if "class_name" in entry else "name") if "index" in entry else tuple(entry)
        for k in (k for k in entry if k not in read and i not in bad):  # (a colour): no DLM form holds it
            ctx.loss(join(where + (i, k)), "dropped", entry[k], "DLM's class_name_mapping holds an index and a "
                     "name per class, nothing else", rule.id)
    if pairs and not bad:
        return value
    if not pairs or len(bad) == len(pairs):
        why = "not a class_name_mapping DLM can read" if not pairs else "no class in it has a name" if all(
            reason is _UNNAMED for _, reason in bad.values()) else "no class in it has a name and an index from 0"
        ctx.loss(join(where), "dropped", mapping, f"{why}, so it cannot be written as {form_name(version)}", rule.id)
        return {k: v for k, v in value.items() if k != "class_name_mapping"}
    gone = sorted((place,) for place in bad) if type(mapping) is list else [(place,) for place in bad]
    for (place,) in gone:
        ctx.loss(join(where + (place,)), "dropped", bad[place][0], bad[place][1], rule.id)
    if type(mapping) is list and version == BETA2:  # written as a list: the classes after one move up
        _note_moved(ctx, rule, mapping, gone, where, lambda path: ("dlm:outputs", "class_name_mapping") + path,
                    "the class(es) without a name or an index from 0")
    return {**value, "class_name_mapping": without(mapping, gone)}


def _note_moved(ctx, rule, value, gone: list, source_path: tuple, written, left_out: str) -> None:
    """A moved finding for each list item that leaving the items at *gone* out moves up, whose
    target is where it is written (*written* gives the written path of a path in *value*)."""
    for path, new in moved(value, gone):
        places = path[-1] - new[-1]
        ctx.report.finding(join(source_path + path), "moved", f"written {places} place{'s' * (places > 1)} "
                           f"earlier: {left_out} before it are left out", rule.id, join(ctx.where + written(new)))


def _renamed(obj: dict, renames: dict, pointer: str, note) -> dict:
    out = {}
    for key, value in obj.items():
        new = renames.get(key, key)
        if new != key and new not in obj:
            note(f"{pointer}/{key}", f"'{key}' written as '{new}'", f"{pointer}/{new}")
            out[new] = value
        else:
            out[key] = value
    return out


def _renamed_back(ctx, rule, obj: dict, there: dict, back: dict, source_path: tuple, pointer: str) -> None:
    """A member spelled as the target version writes it (*there* keeps it) that the source's own
    version spells otherwise (*back* renames it): written as it is, it comes back renamed."""
    for key in obj:
        written, returned = there.get(key, key), back.get(key, key)
        if (written == key or written in obj) and returned != key and returned not in obj:
            ctx.report.finding(join(source_path + (key,)), "read-back-renamed", f"'{key}' is the spelling of "
                               f"{ctx.version}, not of the source's {ctx.pivot.source[1]}: written as it is, and "
                               f"as '{returned}' back to {ctx.pivot.source[1]}", rule.id, f"{pointer}/{key}")


def _inputs(value: dict, pointer: str, note, lost) -> dict:
    tensors = value.get("input_tensors")
    if type(tensors) is list and tensors and type(tensors[0]) is dict:
        if len(tensors) > 1:
            lost(f"{pointer}/input_tensors", tensors[1:], "DLM describes one input tensor: the others are not written")
        note(f"{pointer}/input_tensors", "input_tensors given as a list: its first object is written")
        tensors = tensors[0]
    if type(tensors) is dict and "channels" in tensors and "dim" not in tensors:
        note(f"{pointer}/input_tensors/channels", "'channels' written as 'dim'", f"{pointer}/input_tensors/dim")
        tensors = {("dim" if k == "channels" else k): v for k, v in tensors.items()}
    return {**value, "input_tensors": tensors} if "input_tensors" in value else value


def _outputs(value: dict, pointer: str, note, changed, version: str) -> dict:
    mapping = value.get("class_name_mapping")
    pairs = classes(mapping)
    if pairs and not in_written_form(mapping, version):
        written = written_classes(pairs, version)
        if len(written) < len(pairs):
            changed(f"{pointer}/class_name_mapping", mapping, f"class indices given again: {form_name(version)} "
                    "holds one name per index, the first is kept")
        else:
            note(f"{pointer}/class_name_mapping", f"class_name_mapping written as {form_name(version)}")
        value = {**value, "class_name_mapping": written}
    return value


def _runtime(value: dict, pointer: str, note) -> dict:
    version = value.get("version")
    if isinstance(version, (int, float)) and not isinstance(version, bool):
        note(f"{pointer}/version", f"the numeric version {version} written as the string '{version}'")
        value = {**value, "version": str(version)}
    return value


def _archive(value: list, pointer: str, note, changed, places) -> list:
    """*places*: each item's index in the source (null items left out move the others up)."""
    out = []
    for j, (i, entry) in enumerate(zip(places, value)):
        role, where = (entry.get("role") if type(entry) is dict else None), f"{pointer}/{i}/role"
        if type(role) is list and len(role) == 1 and type(role[0]) is str:
            note(where, "a one-element role list written as its string", f"{pointer}/{j}/role")
            role, where = role[0], where + "/0"
            entry = {**entry, "role": role}
        if type(role) is str and role not in ARCHIVE_ROLES:
            changed(where, role, f"'{role}' is not a DLM archive role: written as 'other'")
            entry = {**entry, "role": "other"}
        out.append(entry)
    return out


def _without_nulls(ctx, rule, key: str, value, source_path: tuple, names: dict, fills: dict):
    """*value* without its null members where the target version's schema wants a value: each is
    no value (reported dropped, as a null field is); a required one is filled as a missing field
    is (:func:`.dlm_required.required_value`). An empty object in a list of objects (a useful band
    ``{}``) is no value as a null item is. Returns (value, the places in *value* left out)."""
    found, whole = per_place(value, nulls(value, key, ctx.version, names))
    gone = []
    written = lambda path: (key,) + tuple(  # noqa: E731
        NESTED_NAMES.get(t, t) if i else names.get(t, t) for i, t in enumerate(path))
    for path, required in found:
        if path in whole:
            ctx.loss(join(source_path + path), "dropped", value_at(value, path), _NULL_IN_PLACES, rule.id)
            gone.append(path)
            continue
        given = value_at(value, path)
        ctx.loss(join(source_path + path), "dropped", given, NULL_READ if given is None else _EMPTY_ITEM, rule.id)
        given = required_value(ctx, rule, written(_shifted(path, gone)), fills) if required else _NONE
        if given is _NONE:
            gone.append(path)
        else:
            value = put(value, path, given)
    _note_moved(ctx, rule, value, gone, source_path, written, "the null item(s)")  # those after a null move up
    return (without(value, gone) if gone else value), gone


def _shifted(path: tuple, gone: list) -> tuple:
    """*path* once the list items at *gone* before it are left out (where its value is written)."""
    return tuple(t - sum(1 for g in gone if len(g) == i + 1 and g[:i] == path[:i] and type(g[i]) is int and g[i] < t)
                 if type(t) is int else t for i, t in enumerate(path))


def _only_nulls(value, key: str, version: str, names: dict) -> bool:
    """An object whose every member is a null the schema of *version* refuses."""
    return type(value) is dict and bool(value) and \
        len([path for path, _ in nulls(value, key, version, names) if len(path) == 1]) == len(value)


def _filled(ctx, rule, key: str, value, fills: dict, refused: list = ()):
    """An Item's *value* of *key* with each member the target version's schema requires of it, at
    any depth, and that it lacks filled as a null one is (:func:`.dlm_required.required_value`). (A Collection's
    summaries are not checked member by member.) *refused*: the paths of those left out for a value
    the schema refuses (:func:`.dlm_checked.refused`)."""
    for path in missing(value, key, ctx.version) if ctx.where else ():
        target = join(ctx.where + (key,) + path)
        if any(p.startswith(target + " ") for p in ctx.report.problems):
            continue  # a null one that could not be filled: said already
        given = required_value(ctx, rule, (key,) + path, fills, "refused" if path in refused else "missing")
        if given is not _NONE:
            value = put(value, path, given)
    return value


# reader findings about how a DLM object is written to another extension (as an asset, a string,
# one image name, a URL pinned to its commit)
WRITE_CLAIMS = {"runtime-to-asset", "archive-to-asset", "role-list", "commit-in-url", "image-tag-joined",
                "test-file-asset"}


@structural("dlm-upgrade", lossy="variant spellings are written in the form the project schema describes",
            options=REPAIR_PLACEHOLDER_OPTIONS)
class Upgrade:
    compile_options = staticmethod(compile_repair_placeholders)  # what a repair writes for what the source lacks

    @staticmethod
    def write(ctx, rule) -> None:
        return None

    @staticmethod
    def finish(ctx, rule) -> None:
        source_ext, source_version = ctx.pivot.source
        if source_ext != ctx.table.name:
            return
        src = ctx.source_doc.get("properties") if ctx.where else ctx.source_doc
        if type(src) is not dict:
            return
        if not ctx.where and "dlm:from-summaries" in ctx.pivot.notes:  # a Collection's one-value summaries,
            summaries = ctx.source_doc["summaries"]                    # read as its fields (dlm-normalise)
            src = {**src, **{k: summaries[k][0] for k in ctx.pivot.notes["dlm:from-summaries"]}}
        base = "/properties" if ctx.where else ""
        spellings = renames(ctx.version)
        # a null object, or one of null members only, is no value (reader.NULL_READ): what the
        # generic write did with it stands, except in a repair to the same version, where that
        # write gave it back as it was (it is then left out here like any null member)
        known = item_fields(ctx.version)  # (an unknown field is left out, null or not)
        carried = [k for k in src if type(k) is str and k.startswith(ctx.table.prefix)
                   and (src[k] is not None or k not in known)
                   and (source_version == ctx.version or not _only_nulls(src[k], k, ctx.version, spellings.get(k, {})))]
        prefixes = tuple(f"{base}/{k}" for k in carried)
        under = lambda p: any(p == x or p.startswith(x + "/") for x in prefixes)  # noqa: E731
        report = ctx.report
        if source_version == ctx.version and not ctx.fill_required:
            # to the same version the document stays as it is (unless a repair is asked): what the
            # reader said about writing its objects elsewhere does not happen
            report.findings[:] = [f for f in report.findings if f.code not in WRITE_CLAIMS or not under(f.pointer)]
            return
        # (entries about the pivot's own values go too when they name a place the source's object takes)
        fills = {l.target: l for l in report.losses if not l.pointer and l.kind in ("assumed", "synthesized")}
        report.losses[:] = [l for l in report.losses if not under(l.pointer or l.target or "")]
        report.findings[:] = [f for f in report.findings if not under(f.pointer)]
        report.problems[:] = [p for p in report.problems if not under(p.split(" ")[0].rstrip(":"))]

        def note(pointer: str, message: str, target: str | None = None) -> None:
            report.finding(pointer, "written-form", message, rule.id, target or pointer)

        def lost(pointer: str, value, reason: str) -> None:
            ctx.loss(pointer, "dropped", value, reason, rule.id)

        def changed(pointer: str, value, reason: str) -> None:
            ctx.loss(pointer, "lossy", value, reason, rule.id)

        from_summaries = ctx.pivot.notes.get("dlm:from-summaries", ()) if not ctx.where else ()
        for key in carried:
            value, pointer = src[key], f"{base}/{key}"
            source_path = ("summaries", key, 0) if key in from_summaries else ctx.where + (key,)
            shape = field_type(ctx.version, key)
            misshapen = shape is not None and type(value) is not shape
            if misshapen:  # ("abc", [] for an object): no value, as null is
                ctx.loss(join(source_path), "dropped", value, f"not {'a list' if shape is list else 'an object'}, "
                         f"which the DLM schemas want {key} to be", rule.id)
                value = shape()
            if key == "dlm:outputs":
                value = _writable_classes(ctx, rule, value, source_path, ctx.version)
            value, gone = _without_nulls(ctx, rule, key, value, source_path, spellings.get(key, {}), fills)
            left: list = []
            if value not in ([], {}):
                if type(value) is dict:
                    _renamed_back(ctx, rule, value, spellings.get(key, {}), renames(source_version).get(key, {}),
                                  source_path, pointer)
                    value = _renamed(value, spellings.get(key, {}), pointer, note)
                    if key == "dlm:inputs":
                        value = _inputs(value, pointer, note, lost)
                    elif key == "dlm:outputs":
                        value = _outputs(value, pointer, note, changed, ctx.version)
                    elif key == "dlm:runtime":
                        value = _runtime(value, pointer, note)
                elif key == "dlm:archive" and type(value) is list:
                    kept = [i for i in range(len(src[key])) if (i,) not in gone]  # (null items left out)
                    value = _archive(value, pointer, note, changed, kept)
                # what the target version's schema refuses is left out (and filled below when required)
                value, left = refused(ctx, rule, key, value, src[key], source_path, gone, spellings.get(key, {}))
                if value is REFUSED:
                    ctx.container.pop(key, None)
                    continue
                if key == "dlm:runtime" and value:
                    value = with_image(ctx, rule, value, source_path)
            # empty, or emptied of what it held: no value, as null is (unless a required object is filled)
            value = _filled(ctx, rule, key, value, fills, left)
            if not value:  # the schemas want members, or items, in each DLM object
                if src[key] in ([], {}) and not misshapen:
                    ctx.loss(join(source_path), "dropped", src[key], f"an empty {key} has nothing to carry "
                             f"(the DLM schemas want {'items' if type(value) is list else 'members'} in it)", rule.id)
                ctx.container.pop(key, None)
                continue
            ctx.container[key] = value
        if ctx.out.get("assets") == {} and "assets" not in ctx.source_doc:  # emptied of what the reader made
            del ctx.out["assets"]
        left_out_strays(ctx, rule)


@structural("dlm-spelling")
class Spelling:
    """Runs after the DLM transforms that write, and before dlm-io's finish moves a Collection's
    objects into one-value summaries (the table's order): they write beta.3's spellings; a document
    from another extension gets those of the target version (from DLM itself, dlm-upgrade already
    wrote them, or the document stays as it is)."""

    @staticmethod
    def write(ctx, rule) -> None:
        return None

    @staticmethod
    def finish(ctx, rule) -> None:
        if ctx.pivot.source[0] == ctx.table.name or type(ctx.container) is not dict:
            return
        base = "/properties" if ctx.where else ""
        spellings = renames(ctx.version)
        origin = ctx.pivot.origin.get("output", "")
        origin = join(origin) if type(origin) is tuple else origin

        def note(pointer: str, message: str, target: str | None = None) -> None:
            ctx.report.finding(pointer, "written-form", message, rule.id, target or pointer)

        def renamed(pointer: str, message: str, target: str) -> None:
            ctx.report.retarget(pointer, target)  # what the transforms placed there moved with it
            note(pointer, message, target)

        for key, keys in spellings.items():
            value = ctx.container.get(key)
            if type(value) is dict and any(k in value for k in keys):
                ctx.container[key] = _renamed(value, keys, f"{base}/{key}", renamed)
        outputs = ctx.container.get("dlm:outputs")
        if type(outputs) is dict:
            mapping = outputs.get("class_name_mapping")
            pairs = classes(mapping)
            if pairs and not in_written_form(mapping, ctx.version):
                target = f"{base}/dlm:outputs/class_name_mapping"
                note(origin or target, f"class_name_mapping written as {form_name(ctx.version)}", target)
                ctx.container["dlm:outputs"] = {**outputs, "class_name_mapping": written_classes(pairs, ctx.version)}
