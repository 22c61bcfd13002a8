"""A document that uses the target extension besides the one it is read as (a half-migrated
ml-model Item that already has some ``mlm:`` fields, read as ml-model): its target-extension
fields are carried over as they are (a finding at each: a translation of the output reads them
as the target's own), unless the translation writes the same field. Such a field replaced by a
translated value, or left out, is reported at its place in the source, never lost silently."""
from __future__ import annotations

from typing import Any

from .pointer import escape
from .residue import same

_GROUPS = ("assets", "item_assets")


def report_replaced(source_doc: dict, out: dict, target, source_name: str, report) -> None:
    """Report each field of *target*'s prefix that *source_doc* has and *out* holds otherwise."""
    prefix = target.prefix
    reported = {loss.pointer for loss in report.losses}
    is_item = source_doc.get("type") == "Feature"
    places: list[tuple[str, Any, Any]] = [("/properties" if is_item else "",
                                          source_doc.get("properties") if is_item else source_doc,
                                          out.get("properties") if is_item else out),
                                         ("/summaries", source_doc.get("summaries"), out.get("summaries"))]
    for group in _GROUPS:
        assets, written = source_doc.get(group), out.get(group)
        for key, asset in assets.items() if type(assets) is dict else ():
            other = written.get(key) if type(written) is dict else None
            places.append((f"/{group}/{escape(str(key))}", asset, other))
    for where, had, has in places:
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
                report.finding(pointer, "other-extension-field", f"{key} is a field of {target.name}, which the "
                               f"document was not read as: carried unchanged, and read as {target.name}'s own "
                               "by a translation of the output")
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
