"""``keep_existing``: a half-migrated document keeps the target-extension fields it already has.

Read as its older extension (translator/conflicts.py), a document that already has some fields
of the target (an ml-model Item with a hand-written ``mlm:architecture``) would see them
replaced by the values translated from its older fields. With ``keep_existing`` the document's
own value stays, and what the translation would have written there is reported instead:
``dropped`` at the source field(s) it was translated from, with their values (``lossy`` when
such a field also feeds a field the translation writes). Where it came from is known from

- the target table's rules: the pivot fields a rule writes at that key (its path), or that a
  write transform says it writes there (its ``describe``, as for the crosswalk: fields, links,
  asset fields), and the source place each was read from (``Pivot.origin``, ``summary_origin``,
  an asset's ``origin``, a link's);
- the report: a loss or finding whose ``target`` lies at or below the kept field names the
  source place of what was written there (law 10, docs/robustness.md); a part dropped while the
  rest went there (a container image's title) stands for the value it belongs to. Those entries
  go: what they say was written there is not in the output.

A guess or placeholder written there (an ``assumed`` or ``synthesized`` entry without a source
pointer) came from no source field: it is left out with its entry. A value whose source neither
names is said in the field's finding (conflicts.py), not as a loss. An origin the output still
carries (an asset that stays) is not lost. A field the translation only rewrote from its own
value (DLM's ``dlm:data`` in the target version's form) is no conflict: it is written as without
the option.
"""
from __future__ import annotations

import json
from typing import Any

from .pointer import as_pointer, covers, escape, split, value_at
from .report import place_in_source
from .residue import same as _same

_ABSENT = object()
_GUESSES = ("assumed", "synthesized")
_KEPT = "kept (keep_existing, --keep-existing)"


def places(source_doc: dict, out: dict):
    """(pointer, the source's object, the output's object, pivot asset key or None) of every
    place whose fields a half-migrated document may share with its translation."""
    is_item = source_doc.get("type") == "Feature"
    if is_item:
        yield "/properties", source_doc.get("properties"), out.get("properties"), None
    else:
        yield "", source_doc, out, None
    yield "/summaries", source_doc.get("summaries"), out.get("summaries"), None
    for group in ("assets", "item_assets"):
        assets, written = source_doc.get(group), out.get(group)
        for key, asset in assets.items() if type(assets) is dict else ():
            other = written.get(key) if type(written) is dict else None
            yield f"/{group}/{escape(str(key))}", asset, other, (group, key)


def keep_existing(source_doc: dict, out: dict, target, version: str, pivot, report) -> dict[str, str]:
    """Put back each field of *target*'s prefix that *source_doc* has and *out* holds with
    another value; report the translated value where it came from. Returns, by pointer of each
    kept field, what its finding says of the value that was not used."""
    prefix = target.prefix
    view = target.view(pivot.type, version)
    rebase = pivot.notes.get("source-places")

    def origins_of(where: str, asset, key: str, entries: list) -> list[str]:
        found = _from_rules(pivot, view, where, asset, key) + [
            _whole(e) for e in entries if e.pointer and value_at(source_doc, e.pointer, _ABSENT) is not _ABSENT]
        return [place_in_source(rebase, o) for o in found] if rebase else found

    chosen = []
    for where, had, has, asset in places(source_doc, out):
        if type(had) is not dict or type(has) is not dict:
            continue
        for key, value in had.items():
            if type(key) is not str or not key.startswith(prefix) or key not in has:
                continue  # a field the translation left out is reported by conflicts.py
            translated = has[key]
            if translated is value or _same(translated, value):
                continue
            pointer = f"{where}/{escape(key)}"
            entries = _entries_below(report, pointer)
            origins = origins_of(where, asset, key, entries)
            outside = [o for o in origins if not covers(pointer, o)]
            guessed = any(getattr(e, "kind", None) in _GUESSES and not e.pointer for e in entries)
            if not outside and not guessed and len(outside) < len(origins):
                continue  # the translation rewrote the field's own value (its version's form): not a conflict
            has[key] = value  # (an output object that differs from the source's is the writer's copy)
            gone = {id(e) for e in entries}  # what they say was written there is not in the output
            report.losses[:] = [l for l in report.losses if id(l) not in gone]
            report.findings[:] = [f for f in report.findings if id(f) not in gone]
            chosen.append((pointer, key, translated, outside))
    if not chosen:
        return {}
    # a source field that also feeds a field the translation wrote is carried in part
    kept_at = {c[0] for c in chosen}
    feeding = set()
    for where, had, has, asset in places(source_doc, out):
        had = had if type(had) is dict else {}
        for key in has if type(has) is dict else ():
            if (type(key) is str and key.startswith(prefix) and f"{where}/{escape(key)}" not in kept_at
                    and (key not in had or not _same(had[key], has[key]))):
                feeding.update(origins_of(where, asset, key, []))
    return {pointer: _report_origins(report, source_doc, out, pointer, key, translated, outside, feeding)
            for pointer, key, translated, outside in chosen}


def _entries_below(report, pointer: str) -> list:
    """The losses and findings whose target lies at or below *pointer*."""
    return [e for e in (*report.losses, *report.findings) if e.target and covers(pointer, e.target)]


def _whole(entry) -> str:
    """The source place of what was written at an entry's target: a part ``dropped`` while the
    rest went there (a container image's title, beside its name) stands for its parent."""
    pointer = entry.pointer
    if getattr(entry, "kind", None) == "dropped" and pointer.count("/") > 2:
        return pointer.rsplit("/", 1)[0]
    return pointer


def _from_rules(pivot, view, where: str, asset, key: str) -> list[str]:
    """Source places of the pivot values a rule of *view* writes at *key* of that place: the
    generic rules by their paths, transforms by what they describe (as for the crosswalk)."""
    if asset is not None:
        entry = pivot.assets.get(asset)
        if entry is None:
            return []
        sections = [(entry.origin, view.write_assets, entry.pointer)]
    elif where == "/summaries":
        sections = [(pivot.summary_origin, view.write_summaries, "")]
    else:  # a Collection's fields may be written as summaries and back (layout.py): both
        sections = [(pivot.origin, view.write_fields, ""), (pivot.summary_origin, view.write_summaries, "")]
    found = []
    for origins, index, default in sections:  # (origins outlive the values a transform took out)
        for name in origins:
            rules = index.get(name)
            if rules and any(rule.path and rule.path[0] == key for rule in rules):
                found.append(as_pointer(origins.get(name, default)))
    if asset is None:
        for rule in view.write_transforms:
            describe = rule.structural.describe
            for section, name, text in describe(rule) if describe is not None else ():
                if text.split(" ", 1)[0].split("/", 1)[0] == key:
                    found.extend(_described(pivot, section, name))
    return [f for f in found if f]


def _described(pivot, section: str, name: str) -> list[str]:
    """Source places of the pivot values of *section* named *name* (a transform's description)."""
    if section == "fields":
        return [as_pointer(pivot.origin.get(name, ""))]
    if section == "links":
        return [origin for kind, _, origin, _ in pivot.links if kind == name]
    if section == "assets":
        return [as_pointer(entry.origin[name]) for entry in pivot.assets.values() if name in entry.origin]
    return []


def _report_origins(report, source_doc: dict, out: dict, pointer: str, key: str, translated: Any,
                    origins: list[str], feeding: set) -> str:
    """A loss at each outermost origin that the output does not carry and that is not reported
    already: ``dropped``, or ``lossy`` when it also feeds a field the translation wrote
    (*feeding*); what the kept field's finding says of the translated value."""
    reported = [(l.pointer, l.kind) for l in report.losses if l.kind in ("dropped", "lossy")]
    outermost = [o for o in dict.fromkeys(origins) if not any(
        other != o and covers(other, o) for other in origins)]
    shown = _short(translated)
    named = []
    for origin in outermost:
        value = value_at(source_doc, origin)
        if _carried(out, origin, value):
            continue  # (an asset or link the translation also keeps as it is)
        named.append(origin)
        partly = origin in feeding
        if any(covers(p, origin) and (kind == "dropped" or p == origin) for p, kind in reported):
            continue  # reported already (dropped whole, or as what this kept field adds to)
        report.loss(origin, "lossy" if partly else "dropped", value, f"the document's own {key} ({pointer}) is "
                    f"{_KEPT}: the value {shown} translated from this field for it is not used"
                    + ("; the rest of it is written" if partly else ""), "")
    if named:
        return f"{_KEPT} over the translated value {shown}, reported at {', '.join(named)}"
    return (f"{_KEPT} over the translated value {shown}, which came from no source field the report can name: "
            "a guess, a placeholder, or a value a transform built")


def _carried(out: dict, origin: str, value: Any) -> bool:
    """The output holds *value* at *origin*: an asset still there (its own losses are reported
    apart), a link to the same href anywhere in its links."""
    if origin.count("/") == 2 and origin.startswith(("/assets/", "/item_assets/")):
        group, key = split(origin)
        return type(out.get(group)) is dict and key in out[group]
    if origin.startswith("/links/") and origin.count("/") == 2:
        links, href = out.get("links"), value.get("href") if type(value) is dict else _ABSENT
        return type(links) is list and any(type(link) is dict and _same(link.get("href"), href) for link in links)
    found = value_at(out, origin, _ABSENT)
    return found is not _ABSENT and _same(found, value)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."
