"""TrainingDML-AI 1.0.0 datasets <-> the model extensions, on the official examples."""
from __future__ import annotations

import copy

import jsonschema_rs
import orjson
import pytest

from conftest import extension_errors, ROOT, SPECS, load_spec, spec_files
from translator import DocumentError, default_tables, jsonio, translate
from translator.residue import same

EXAMPLES = spec_files("tdml/1.0.0/examples/*/*.json")
BROKEN = "tdml/1.0.0/examples/DOTA-1.5_Dataset/collection.json"
READABLE = [r for r in EXAMPLES if r != BROKEN]
URIS = {"mlm": "https://stac-extensions.github.io/mlm/v1.5.2/schema.json",
        "ml-model": "https://stac-extensions.github.io/ml-model/v1.0.0/schema.json"}
PROJECT_TDML = orjson.loads((ROOT / "translator/schemas/tdml/v1.0.0/schema.json").read_bytes())


def test_the_broken_example_gets_a_clear_error():
    with pytest.raises(DocumentError, match=r"collection.json: invalid JSON at line 215 column 24"):
        jsonio.load(SPECS / BROKEN)
    with pytest.raises(DocumentError, match="invalid JSON even leniently"):
        jsonio.load(SPECS / BROKEN, lenient=True)


@pytest.mark.parametrize("rel", READABLE)
@pytest.mark.parametrize("target", ["mlm", "ml-model"])
def test_tdml_example_translates_and_restores_exactly(rel, target):
    doc = load_spec(rel)
    frozen = copy.deepcopy(doc)
    result = translate(doc, to=target, fill_required=True)
    assert result.report.source == ("tdml", "1.0.0")
    if doc["type"] == "Feature" or target == "mlm":
        errors = extension_errors(result.document, URIS[target])
        if doc["type"] == "Collection":  # MLM 1.5.2 erratum: array summaries (docs/errata-mlm.md)
            errors = [e for e in errors if not e.startswith("summaries/")]
        assert errors == []
    assert same(doc, frozen)
    back = translate(result.document, to="tdml", restore=result.report)
    assert same(back.document, frozen)


@pytest.mark.parametrize("rel", READABLE)
def test_every_tdml_field_is_reported_when_leaving(rel):
    doc = load_spec(rel)
    report = translate(doc, to="mlm").report
    pointers = {l.pointer for l in report.losses}
    for where, fields in (("/properties", doc.get("properties") or {}), ("", doc)):
        for key in fields:
            if key.startswith("tdml:"):
                assert f"{where}/{key}" in pointers, key


def test_whu_collection_tasks_reach_mlm():
    doc = load_spec("tdml/1.0.0/examples/WHU-building_Dataset/collection.json")
    result = translate(doc, to="mlm")
    assert result.document["mlm:tasks"] == ["detection"]
    assert ("/properties/label:tasks", "normalised") in {(f.pointer, f.code) for f in result.report.findings}


def test_tdml_to_tdml_is_the_identity():
    for rel in READABLE:
        doc = load_spec(rel)
        result = translate(doc, to="tdml")
        assert same(result.document, doc) and result.report.losses == []


@pytest.mark.parametrize("rel", spec_files("mlm/1.5.2/examples/item_*.json"))
def test_mlm_items_to_tdml_are_valid_for_the_project_schema(rel):
    doc = load_spec(rel)
    result = translate(doc, to="tdml")
    errors = [e.message for e in jsonschema_rs.validator_for(PROJECT_TDML).iter_errors(result.document)]
    assert errors == []
    assert result.document["properties"]["label:tasks"]
    assert translate(result.document, to="mlm", restore=result.report).document == doc


def test_tdml_is_a_dataset_table():
    assert default_tables()["tdml"].kind == "dataset"
