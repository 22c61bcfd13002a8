"""A document that uses the target extension besides the one it is read as (a half-migrated
ml-model Item that already has some ``mlm:`` fields, read as ml-model): its target-extension
fields are carried over as they are (a finding at each: a translation of the output reads them
as the target's own), unless the translation writes the same field. Such a field replaced by a
translated value, or left out, is reported at its place in the source, never lost silently."""
from __future__ import annotations

from typing import Any

from .carried import refused
from .keep import places
from .pointer import escape
from .residue import same
from .rules import VALUE_TYPES
from .writer_values import json_name


def report_replaced(source_doc: dict, out: dict, target, version: str, source_name: str, report,
                    kept: dict[str, str] | None = None) -> None:
    """Report each field of *target*'s prefix that *source_doc* has and *out* holds otherwise.
    *kept*: the fields keep_existing put back (translator/keep.py), by pointer, with what their
    finding says of the translated value that was not used. A field carried as it is that the
    target (at *version*) would refuse is a problem of the output: for its type (the rule that
    reads it), else by the project's description of the target (translator/carried.py)."""
    prefix = target.prefix
    view = target.view(source_doc.get("type"), version)
    reported = {loss.pointer for loss in report.losses}
    carried: dict[str, Any] = {}  # what is carried as it is, checked against the target's description below
    written: dict[str, Any] = {}  # what the translation wrote in place of such a field, checked the same way
    for where, had, has, _ in places(source_doc, out):
        if type(had) is not dict:
            continue
        has = has if type(has) is dict else {}
        for key, value in had.items():
            if type(key) is not str or not key.startswith(prefix):
                continue
            pointer = f"{where}/{escape(key)}"
            if pointer in reported:
                continue
            if key in has and same(has[key], value):  # a translation of the output reads it as the target's
                how = f"carried unchanged; {kept[pointer]};" if kept and pointer in kept else "carried unchanged,"
                report.finding(pointer, "other-extension-field", f"{key} is a field of {target.name}, which the "
                               f"document was not read as: {how} and read as {target.name}'s own by a "
                               "translation of the output")
                wanted = _refused_type(view, where, key, value)
                if wanted:
                    report.problems.append(f"{pointer}: {json_name(value)}, carried as the document has it, where "
                                           f"{view.name} wants {wanted}")
                elif where != "/summaries":  # (a summary holds a list or a range of the values)
                    carried[pointer] = value
                continue
            if key not in has and where == "" and same(_summary(out, key), [value]):  # DLM's Collection layout
                report.finding(pointer, "other-extension-field", f"{key} is a field of {target.name}, which the "
                               f"document was not read as: carried as the one-value summary {key}, which a "
                               f"translation of the output reads as {target.name}'s own", "",
                               f"/summaries/{escape(key)}")
                continue
            what = "replaced by the value translated from its" if key in has else "left out by the translation of its"
            if key in has and where != "/summaries":  # (a transform may have completed it with the document's parts)
                written[pointer] = has[key]
            report.loss(pointer, "dropped", value, f"the document also has {key}, a field of {target.name}, "
                        f"which it was not read as: {what} {source_name} fields", "")
    checked = {p: (v, "carried as the document has it") for p, v in carried.items()}
    checked.update((p, (v, "written from the document's and the translated values")) for p, v in written.items())
    for pointer, why in refused(out, target, version, checked).items():
        report.problems.append(f"{pointer}: {why}")


def _refused_type(view, where: str, key: str, value: Any) -> str | None:
    """What the target's rule reading *key* wants, in words, when *value* is not of its type
    (checked as the writer checks a value it writes: a move rule's type; null where not allowed)."""
    if where == "/summaries":
        return None  # (a summary holds a list or a range of the values)
    index = view.read_assets if where.startswith(("/assets/", "/item_assets/")) else view.read_fields
    rules = index.get(key)
    rule = rules[0] if rules and len(rules) == 1 else None
    if rule is None or rule.kind != "move":
        return None
    if value is None:
        return None if rule.nullable else "a value, not null"
    check = VALUE_TYPES.get(rule.value_type)
    return check[1] if check and not check[0](value) else None


def _summary(doc: dict, key: str) -> Any:
    summaries = doc.get("summaries")
    return summaries.get(key) if type(summaries) is dict else None
