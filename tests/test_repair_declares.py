"""A repair (the same extension and version with fill_required) makes the document valid, so it
declares the extension its fields use even when the source did not (docs/pivot.md); a DLM
Collection's fields at its top level, which DLM's schema refuses there, go to one-value summaries
in a repair or at the other version (docs/dlm.md, Collections)."""
from __future__ import annotations

import copy

import pytest

from conftest import load_spec, schema_issues
from test_dlm import load, project_errors
from translator import translate

URIS = {"ml-model": "https://stac-extensions.github.io/ml-model/v1.0.0/schema.json",
        "mlm": "https://stac-extensions.github.io/mlm/v1.5.2/schema.json",
        "dlm": "https://schemas.stacspec.org/v1.0.0-beta.3/extensions/dl-model/json-schema/schema.json"}


@pytest.mark.parametrize("rel,ext", [
    ("ml-model/1.0.0/examples/dummy/item.json", "ml-model"),
    ("ml-model/1.0.0/examples/dummy/collection.json", "ml-model"),
    ("mlm/1.5.2/examples/item_basic.json", "mlm"),
    ("mlm/1.5.2/examples/collection.json", "mlm"),
    ("dlm/1.0.0-beta.3/examples/item.json", "dlm"),
])
def test_a_repair_declares_the_extension_a_document_uses_without_declaring_it(rel, ext):
    doc = copy.deepcopy(load(rel))
    doc["stac_extensions"] = [u for u in doc.get("stac_extensions", []) if u != URIS[ext]]
    result = translate(doc, to=ext, fill_required=True)
    out = result.document
    assert URIS[ext] in out["stac_extensions"]
    (declared,) = [f for f in result.report.findings if f.code == "declared"]
    assert (declared.pointer, declared.target) == ("/stac_extensions", f"/stac_extensions/{len(out['stac_extensions']) - 1}")
    assert declared.message == f"{URIS[ext]} added: the document uses {ext} without declaring it"
    if ext == "dlm":
        assert project_errors(out) == []  # (the example breaks core STAC rules a repair leaves alone)
    else:
        assert schema_issues(out) == []
    assert translate(out, to=ext, restore=result.report).document == doc
    # the plain identity keeps the document as it is
    assert translate(doc, to=ext).document == doc


def _collection_with_top_level_fields() -> tuple[dict, dict]:
    item = load("dlm/1.0.0-beta.3/examples/item.json")["properties"]
    doc = copy.deepcopy(load_spec("ml-model/1.0.0/examples/dummy/collection.json"))
    for key in [k for k in doc["summaries"] if k.startswith("ml-model:")]:
        del doc["summaries"][key]
    doc["stac_extensions"] = [URIS["dlm"]]
    doc["dlm:architecture"] = item["dlm:architecture"]
    doc["summaries"]["dlm:runtime"] = [item["dlm:runtime"]]
    return doc, item


@pytest.mark.parametrize("version", ["1.0.0-beta.3", "1.0.0-beta2"])
def test_a_dlm_collection_field_at_the_top_level_becomes_a_one_value_summary(version):
    doc, item = _collection_with_top_level_fields()
    assert project_errors(doc)  # (the source is invalid: DLM has no Collection fields)
    result = translate(doc, to="dlm", version=version, fill_required=True)
    out = result.document
    assert "dlm:architecture" not in out
    assert set(out["summaries"]) >= {"dlm:architecture", "dlm:runtime"}
    assert len(out["summaries"]["dlm:architecture"]) == 1
    assert schema_issues(out) == []
    (moved,) = [f for f in result.report.findings if f.code == "to-summary"]
    assert moved.pointer == "/dlm:architecture" and moved.target == "/summaries/dlm:architecture"
    assert translate(out, to="dlm", version="1.0.0-beta.3", restore=result.report).document == doc


def test_the_dlm_identity_keeps_a_collection_field_where_it_is():
    doc, _ = _collection_with_top_level_fields()
    assert translate(doc, to="dlm").document == doc
