"""A null where the source extension's schema wants a value is read as no value: reported, and
required-field handling (problems, fill values, placeholders) applies; a null the schema allows
(MLM's accelerator and pretraining source, the project DLM schema's free-text values) is a value."""
from __future__ import annotations

import copy

from conftest import SAMPLES, load_spec, schema_issues
from strategies import load_example
from translator import jsonio, translate
NULL_READ = "null: read as no value"  # the reason of such a loss
from translator.residue import same


def ml_model_item(**nulls) -> dict:
    doc = jsonio.load(SAMPLES / "ml-model-item.json")[0]
    doc["properties"].update(nulls)
    return doc


def test_a_null_required_field_is_read_as_no_value():
    doc = ml_model_item(**{"ml-model:prediction_type": None, "ml-model:architecture": None})
    frozen = copy.deepcopy(doc)
    result = translate(doc, to="mlm")
    props = result.document["properties"]
    assert "mlm:tasks" not in props and "mlm:architecture" not in props
    assert [(l.pointer, l.kind, l.value, l.reason) for l in result.report.losses if l.reason == NULL_READ] == [
        ("/properties/ml-model:prediction_type", "dropped", None, NULL_READ),
        ("/properties/ml-model:architecture", "dropped", None, NULL_READ)]
    assert any(p.startswith("/properties/mlm:tasks is required") for p in result.report.problems)
    assert any(p.startswith("/properties/mlm:architecture is required") for p in result.report.problems)
    back = translate(result.document, to="ml-model", restore=result.report).document
    assert same(back, frozen) and list(back["properties"]) == list(frozen["properties"])
    filled = translate(doc, to="mlm", fill_required=True)
    assert filled.document["properties"]["mlm:tasks"] == ["classification"]
    assert None not in filled.document["properties"]["mlm:output"][0]["tasks"]
    assert schema_issues(filled.document) == [] and filled.report.problems == []
    given = translate(doc, to="mlm", fill_values={"mlm:architecture": "ResNet-18"}).document
    assert given["properties"]["mlm:architecture"] == "ResNet-18"
    assert doc == frozen


def test_to_the_same_version_a_null_stays_and_a_repair_replaces_it():
    doc = ml_model_item(**{"ml-model:architecture": None})
    same_version = translate(doc, to="ml-model")
    assert same(same_version.document, doc) and same_version.report.losses == []
    assert any(p.startswith("/properties/ml-model:architecture is required") for p in same_version.report.problems)
    repaired = translate(doc, to="ml-model", fill_required=True)
    assert repaired.document["properties"]["ml-model:architecture"] is not None
    assert ("/properties/ml-model:architecture", "dropped") in [(l.pointer, l.kind) for l in repaired.report.losses]
    assert schema_issues(repaired.document) == []
    dlm = load_example("dlm/1.0.0-beta.3/examples/item.json")
    dlm["properties"]["dlm:inputs"] = None  # read by a transform; DLM requires it
    repaired = translate(dlm, to="dlm", fill_required=True)
    assert repaired.document["properties"]["dlm:inputs"]["name"].startswith("PLACEHOLDER")
    assert ("/properties/dlm:inputs", "dropped", NULL_READ) in [(l.pointer, l.kind, l.reason)
                                                                for l in repaired.report.losses]


def test_a_null_summary_is_no_value_and_a_null_the_schema_allows_is_a_value():
    doc = load_spec("mlm/1.5.2/examples/collection.json")
    doc["summaries"]["mlm:accelerator"] = None  # a summary is never null (not even of a nullable field)
    result = translate(doc, to="ml-model")
    assert ("/summaries/mlm:accelerator", "dropped", NULL_READ) in [(l.pointer, l.kind, l.reason)
                                                                    for l in result.report.losses]
    assert same(translate(doc, to="mlm", version="1.5.2").document, doc)
    item = load_spec("mlm/1.5.2/examples/item_basic.json")
    item["properties"].update({"mlm:accelerator": None, "mlm:pretrained": True, "mlm:pretrained_source": None})
    older = translate(item, to="mlm", version="1.4.0")
    assert older.document["properties"]["mlm:accelerator"] is None
    assert older.document["properties"]["mlm:pretrained_source"] is None
    assert not [l for l in older.report.losses if l.value is None]
    dlm = translate(item, to="dlm", fill_required=True).document  # the project DLM schema allows it too
    assert dlm["properties"]["dlm:architecture"]["pretrained"] is None and schema_issues(dlm) == []


def test_a_null_asset_field_is_no_value():
    item = load_spec("mlm/1.5.2/examples/item_basic.json")
    asset = next(k for k, a in item["assets"].items() if "mlm:model" in a.get("roles", []))
    item["assets"][asset]["mlm:artifact_type"] = None
    result = translate(item, to="mlm", version="1.4.0", fill_required=True)
    assert result.document["assets"][asset]["mlm:artifact_type"] is not None
    assert (f"/assets/{asset}/mlm:artifact_type", "dropped", NULL_READ) in [
        (l.pointer, l.kind, l.reason) for l in result.report.losses]


def test_a_null_the_target_cannot_hold_is_dropped():
    doc = load_example("dlm/1.0.0-beta.3/examples/item.json")
    doc["properties"]["dlm:runtime"]["version"] = None  # the project DLM schema allows it; MLM does not
    result = translate(doc, to="mlm")
    assert "mlm:framework_version" not in result.document["properties"]
    assert ("/properties/dlm:runtime/version", "dropped", None) in [(l.pointer, l.kind, l.value)
                                                                    for l in result.report.losses]
    assert not [p for p in result.report.problems if "framework_version" in p]
    assert translate(doc, to="dlm").document == doc
