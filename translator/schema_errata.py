"""Known faults of official extension schemas, which validation sets aside unless asked to count them.

An erratum matches an error only where the fault is certain: the schema, the place in the document
and the JSON type of the value there. Anything else a faulty schema reports is still an error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from translator.pointer import value_at

__all__ = ["Erratum", "ERRATA", "erratum_of", "set_aside_note", "note_set_aside"]


@dataclass(frozen=True)
class Erratum:
    id: str
    schema_prefix: str  # canonical URIs of the faulty schemas start with this
    pointer: re.Pattern  # where in the document the fault shows
    value_type: type  # JSON type of the value the schema wrongly rejects there
    note: str  # what the schema gets wrong, in one sentence
    doc: str  # where the project documents it


ERRATA = (
    Erratum(
        id="mlm-array-summaries",
        schema_prefix="https://stac-extensions.github.io/mlm/",
        pointer=re.compile(r"^/summaries/[^/]+$"),
        value_type=list,
        note="the MLM schemas (1.0.0 to 1.5.2) check every summary of a Collection as an object of MLM "
             "fields, so they reject every array summary, the form STAC gives summaries",
        doc="docs/errata-mlm.md",
    ),
)


def erratum_of(schema: str, pointer: str, doc: dict) -> Erratum | None:
    """The known erratum that explains an error of ``schema`` at ``pointer`` in ``doc``, if any."""
    for erratum in ERRATA:
        if (schema.startswith(erratum.schema_prefix) and erratum.pointer.match(pointer)
                and isinstance(value_at(doc, pointer), erratum.value_type)):
            return erratum
    return None


def set_aside_note(issues: list) -> str:
    """What a validation set aside (issues with an ``erratum`` id), in one sentence."""
    by_id: dict[str, int] = {}
    for issue in issues:
        by_id[issue.erratum] = by_id.get(issue.erratum, 0) + 1
    parts = []
    for erratum in ERRATA:
        if erratum.id in by_id:
            parts.append(f"{by_id[erratum.id]} error(s) of schema erratum {erratum.id} ({erratum.note}; "
                         f"{erratum.doc})")
    return ("valid with " + "; ".join(parts) + " set aside: other validators report them "
            "(stacml validate --strict-schemas lists them)")


def note_set_aside(report, issues: list) -> bool:
    """A ``schema-erratum`` finding on the translation *report* when a validation of its output
    set errors aside (other validators will report them); True if it did."""
    if issues:
        report.finding("", "schema-erratum", set_aside_note(issues))
    return bool(issues)
