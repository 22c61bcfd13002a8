"""Every official example and sample, to every version of every target, with fill_required: the
output is valid (apart from errors the input itself carries) and comes back exactly with restore."""
from __future__ import annotations

import json

import pytest

from conftest import SAMPLES, SPECS, is_mlm_summary_erratum, target_store
from translator import default_tables, translate
from translator.errors import TranslatorError
from translator.jsonio import parse
from translator.validation import check_document

TABLES = default_tables()
# DLM is checked against the project's schemas (docs/errata-dlm.md, docs/errata-dlm-beta2.md)
TARGETS = [(t, v) for t in TABLES.names() for v in TABLES[t].versions]
DOCUMENTS = sorted(str(p.relative_to(SPECS.parent)) for p in SPECS.glob("*/*/examples/**/*.json")) + \
    sorted(f"samples/{p.name}" for p in SAMPLES.glob("*.json"))


def _inherited(input_issues: list, issue, input_text: str) -> bool:
    """An error the input carries itself, outside the ML extensions (official examples have
    core-STAC, eo and item-assets errors), found in the input written in its own extension: by the
    same schema at the same place, or with the same message (a value copied elsewhere, or checked
    by another version of the same extension)."""
    if TABLES.uri_index.get(issue.schema):
        return False  # the ML extensions' own schemas must be satisfied in full
    said = issue.message.split(" is not ")[0]  # the value, without what another version would accept
    if any((i.schema == issue.schema and i.pointer == issue.pointer) or i.message.split(" is not ")[0] == said
           for i in input_issues):
        return True
    # a STAC 1.0.0-beta document declaring eo by its short id gets the eo 1.1.0 URI, whose common
    # names the input's eo:bands need not follow (the GMLMC example's "pancro")
    return issue.pointer.endswith("/common_name") and "/eo/" in issue.schema and said in input_text


def _load(rel: str) -> dict | None:
    path = SPECS.parent / rel if rel.startswith("specs/") else SAMPLES.parent / rel
    try:
        doc, _ = parse(path.read_bytes(), rel, lenient=True)
    except TranslatorError:
        return None
    return doc if type(doc) is dict and doc.get("type") in ("Feature", "Collection") else None


@pytest.mark.parametrize("target,version", TARGETS)
def test_every_document_to_every_target_version_is_valid_and_restores(target, version):
    translated = 0
    for rel in DOCUMENTS:
        doc = _load(rel)
        if doc is None:
            continue
        try:
            result = translate(doc, to=target, version=version, fill_required=True)
        except TranslatorError:
            continue  # e.g. a document with no ML extension
        translated += 1
        # the input as its own extension writes it (assets as an object, known URIs): what its
        # values carry in schemas outside the ML extensions
        own = translate(doc, to=result.report.source[0], version=result.report.source[1], fill_required=True)
        input_issues = check_document(own.document, target_store()).issues
        input_text = json.dumps(doc)
        checked = check_document(result.document, target_store())
        declared = set(doc.get("stac_extensions") or ())
        # a schema the input declares and the specs lack (tdml examples: ml-aoi v1.0.1) is not the output's doing
        assert all(uri in declared for uri, _ in checked.missing), (rel, checked.missing)
        for issue in checked.issues:
            if is_mlm_summary_erratum(issue):
                continue
            assert _inherited(input_issues, issue, input_text), (rel, issue.pointer, issue.message[:200])
        assert result.report.problems == [], (rel, result.report.problems)
        back = translate(result.document, to=result.report.source[0], restore=result.report)
        assert back.document == doc, rel
    assert translated >= 40


@pytest.mark.parametrize("given,meant", [("1.4", "1.4.0"), ("1.5", "1.5.2"), ("1", "1.5.2"), ("v1.3", "1.3.0"),
                                         ("1.5.1", "1.5.1")])
def test_a_version_line_names_its_newest_release(given, meant):
    doc = json.loads((SAMPLES / "ml-model-item.json").read_text())
    result = translate(doc, to="mlm", version=given, fill_required=True)
    assert result.report.target == ("mlm", meant)
    assert result.document == translate(doc, to="mlm", version=meant, fill_required=True).document


@pytest.mark.parametrize("target,given", [("mlm", "1.6"), ("mlm", "1."), ("mlm", "1.4.0.0"), ("dlm", "1.0"),
                                          ("dlm", "1")])
def test_a_version_no_release_matches_is_refused(target, given):
    doc = json.loads((SAMPLES / "ml-model-item.json").read_text())
    with pytest.raises(TranslatorError, match=f"{target} has no version"):
        translate(doc, to=target, version=given)
