"""Repairs of DLM documents (to the same version with fill_required, or to the other version):
the output is valid against the project's DLM schema of the target version, or the report has a
problem naming the place (docs/dlm.md, "DLM to DLM")."""
from __future__ import annotations

import copy
import json

from conftest import SAMPLES, schema_issues
from translator import translate

BETA2, BETA3 = "1.0.0-beta2", "1.0.0-beta.3"
URI2 = "https://schemas.stacspec.org/v1.0.0-beta.2/extensions/dl-model/json-schema/schema.json"
URI3 = "https://schemas.stacspec.org/v1.0.0-beta.3/extensions/dl-model/json-schema/schema.json"
DATA, ARCHIVE = "/properties/dlm:data", "/properties/dlm:archive"


def sample(version: str = BETA3) -> dict:
    doc = json.loads((SAMPLES / "dlm-item.json").read_text())
    if version == BETA2:
        doc = translate(doc, to="dlm", version=BETA2).document
    return doc


def test_a_repaired_beta2_item_declares_the_schema_uri_instead_of_the_short_id():
    doc = sample(BETA2)
    doc["stac_extensions"][0] = "dl-model"  # with stac_version 1.0.0 it names no schema
    frozen = copy.deepcopy(doc)
    assert translate(doc, to="dlm", version=BETA2).document == doc  # the identity keeps it
    result = translate(doc, to="dlm", version=BETA2, fill_required=True)
    assert result.document["stac_extensions"] == [URI2, doc["stac_extensions"][1]]
    assert schema_issues(result.document) == [] and result.report.problems == []  # (no schema missing)
    assert [(f.pointer, f.message, f.target) for f in result.report.findings if f.code == "short-id"] == [
        ("/stac_extensions/0", f"'dl-model' written as {URI2}", "/stac_extensions/0")]
    assert translate(result.document, to="dlm", restore=result.report).document == frozen
    assert translate(doc, to="dlm", version=BETA3).document["stac_extensions"][0] == URI3
    assert doc == frozen


def test_a_repaired_ml_model_item_declares_the_schema_uri_instead_of_the_short_id():
    doc = json.loads((SAMPLES / "ml-model-item.json").read_text())
    doc["stac_extensions"][0] = "ml-model"
    result = translate(doc, to="ml-model", fill_required=True)
    uri = "https://stac-extensions.github.io/ml-model/v1.0.0/schema.json"
    assert result.document["stac_extensions"][0] == uri and schema_issues(result.document) == []
    assert ("/stac_extensions/0", "short-id") in {(f.pointer, f.code) for f in result.report.findings}
    assert translate(result.document, to="ml-model", restore=result.report).document == doc
    assert translate(doc, to="ml-model").document == doc
