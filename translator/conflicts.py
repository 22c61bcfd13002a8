"""A document that uses the target extension besides the one it is read as (a half-migrated
ml-model Item that already has some ``mlm:`` fields, read as ml-model): its target-extension
fields are carried over as they are (a finding at each: a translation of the output reads them
as the target's own), unless the translation writes the same field. Such a field replaced by a
translated value, or left out, is reported at its place in the source, never lost silently."""
from __future__ import annotations

from typing import Any

from .keep import places
from .pointer import escape
from .residue import same


def report_replaced(source_doc: dict, out: dict, target, source_name: str, report,
                    kept: dict[str, str] | None = None) -> None:
    """Report each field of *target*'s prefix that *source_doc* has and *out* holds otherwise.
    *kept*: the fields keep_existing put back (translator/keep.py), by pointer, with what their
    finding says of the translated value that was not used."""
    prefix = target.prefix
    reported = {loss.pointer for loss in report.losses}
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
                continue
            if key not in has and where == "" and same(_summary(out, key), [value]):  # DLM's Collection layout
                report.finding(pointer, "other-extension-field", f"{key} is a field of {target.name}, which the "
                               f"document was not read as: carried as the one-value summary {key}, which a "
                               f"translation of the output reads as {target.name}'s own", "",
                               f"/summaries/{escape(key)}")
                continue
            what = "replaced by the value translated from its" if key in has else "left out by the translation of its"
            report.loss(pointer, "dropped", value, f"the document also has {key}, a field of {target.name}, "
                        f"which it was not read as: {what} {source_name} fields", "")


def _summary(doc: dict, key: str) -> Any:
    summaries = doc.get("summaries")
    return summaries.get(key) if type(summaries) is dict else None
