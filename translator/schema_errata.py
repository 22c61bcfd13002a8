"""Known faults of official extension schemas, which validation sets aside unless asked to count them.

An erratum matches an error only where the fault is certain: the schema, the place in the document
and the JSON type of the value there. Anything else a faulty schema reports is still an error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from translator.pointer import escape, value_at
from translator.schemastore import canonical_uri

__all__ = ["Erratum", "ERRATA", "erratum_of", "set_aside_note", "note_set_aside", "note_foreseen"]


@dataclass(frozen=True)
class Erratum:
    id: str
    schema_prefix: str  # canonical URIs of the faulty schemas start with this
    pointer: re.Pattern  # where in the document the fault shows
    value_type: type  # JSON type of the value the schema wrongly rejects there
    note: str  # what the schema gets wrong, in one sentence
    doc: str  # where the project documents it
    needs: str  # top-level key a document must have to show the fault
    foresee: Callable[[dict], list]  # pointers where a document declaring the schema will show the fault


ERRATA = (
    Erratum(
        id="mlm-array-summaries",
        schema_prefix="https://stac-extensions.github.io/mlm/",
        pointer=re.compile(r"^/summaries/[^/]+$"),
        value_type=list,
        note="the MLM schemas (1.0.0 to 1.5.2) check every summary of a Collection as an object of MLM "
             "fields, so they reject every array summary, the form STAC gives summaries",
        doc="docs/errata-mlm.md",
        needs="summaries",
        foresee=lambda doc: [f"/summaries/{escape(key)}" for key, value in doc["summaries"].items()
                             if type(value) is list] if type(doc.get("summaries")) is dict else [],
    ),
)


def erratum_of(schema: str, pointer: str, doc: dict) -> Erratum | None:
    """The known erratum that explains an error of ``schema`` at ``pointer`` in ``doc``, if any."""
    for erratum in ERRATA:
        if (schema.startswith(erratum.schema_prefix) and erratum.pointer.match(pointer)
                and isinstance(value_at(doc, pointer), erratum.value_type)):
            return erratum
    return None


def set_aside_note(issues: list, valid: bool = True) -> str:
    """What a validation set aside (issues with an ``erratum`` id), in one sentence; *valid*:
    whether the document passed once they were set aside."""
    by_id: dict[str, int] = {}
    for issue in issues:
        by_id[issue.erratum] = by_id.get(issue.erratum, 0) + 1
    parts = []
    for erratum in ERRATA:
        if erratum.id in by_id:
            parts.append(f"{by_id[erratum.id]} error(s) of schema erratum {erratum.id} ({erratum.note}; "
                         f"{erratum.doc})")
    return (("valid with " if valid else "besides its other errors, ") + "; ".join(parts)
            + " set aside: other validators report them (stacml validate --strict-schemas lists them)")


def note_set_aside(report, issues: list, valid: bool) -> bool:
    """A ``schema-erratum`` finding on the translation *report* when a validation of its output
    set errors aside (other validators will report them), in place of what :func:`note_foreseen`
    said before the validation; True if the output is valid only with them set aside."""
    if any(f.code == "schema-erratum" for f in report.findings):
        report.findings[:] = [f for f in report.findings if f.code != "schema-erratum"]
    if issues:
        report.finding("", "schema-erratum", set_aside_note(issues, valid))
    return bool(issues) and valid


def note_foreseen(report, doc: dict) -> bool:
    """Without a validation: a ``schema-erratum`` finding on *report* when *doc* declares a faulty
    schema at a place its erratum shows (other validators will reject it there); True if it did."""
    uris = doc.get("stac_extensions")
    if type(uris) is not list:
        return False
    noted = False
    for erratum in ERRATA:
        if erratum.needs not in doc or not any(
                type(uri) is str and canonical_uri(uri).startswith(erratum.schema_prefix) for uri in uris):
            continue
        places = erratum.foresee(doc)
        if places:
            more = f" and {len(places) - 3} more places" if len(places) > 3 else ""
            report.finding("", "schema-erratum",
                           f"other validators will report errors at {', '.join(places[:3])}{more}: "
                           f"schema erratum {erratum.id} ({erratum.note}; {erratum.doc})")
            noted = True
    return noted
