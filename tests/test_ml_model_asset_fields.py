"""ml-model fields on an asset or an item asset definition (the ml-model schema's common fields may
stand there): read where they stand, written where the target has a place for them."""
from __future__ import annotations

import json

from conftest import SAMPLES, extension_errors, load_spec
from translator import translate

ML_MODEL_URI = "https://stac-extensions.github.io/ml-model/v1.0.0/schema.json"
MLM_URI = "https://stac-extensions.github.io/mlm/v1.5.2/schema.json"
LEARNING_APPROACH = ("an asset's learning approach (supervised, unsupervised, ...): MLM, DLM and TrainingDML-AI "
                     "have no field for it")


def ml_model_collection_with_item_asset_fields() -> dict:
    """The ml-model schema lets a Collection name its fields in item_assets instead of summaries."""
    doc = load_spec("ml-model/1.0.0/examples/dummy/collection.json")
    del doc["summaries"]
    doc["item_assets"] = {"weights": {"type": "application/octet-stream", "roles": ["ml-model:checkpoint"],
                                      "ml-model:architecture": "ResNet-50",
                                      "ml-model:prediction_type": "classification",
                                      "ml-model:learning_approach": "supervised"}}
    return doc


def test_ml_model_fields_on_item_assets_are_read_where_they_stand():
    doc = ml_model_collection_with_item_asset_fields()
    assert extension_errors(doc, ML_MODEL_URI) == []
    result = translate(doc, to="mlm")
    assert result.document["item_assets"]["weights"] == {
        "type": "application/octet-stream", "roles": ["mlm:checkpoint"],
        "mlm:architecture": "ResNet-50", "mlm:tasks": ["classification"]}
    assert [(l.kind, l.pointer, l.reason) for l in result.report.losses] == [
        ("dropped", "/item_assets/weights/ml-model:learning_approach", LEARNING_APPROACH)]
    assert extension_errors(result.document, MLM_URI) == []
    assert translate(result.document, to="ml-model", restore=result.report).document == doc


def test_ml_model_fields_on_an_item_s_asset_are_read_where_they_stand():
    doc = json.loads((SAMPLES / "ml-model-item.json").read_text())
    doc["assets"]["checkpoint"].update({"ml-model:architecture": "ResNet-18",
                                        "ml-model:prediction_type": "segmentation",
                                        "ml-model:training-os": "linux", "ml-model:type": "ml-model"})
    assert extension_errors(doc, ML_MODEL_URI) == []
    result = translate(doc, to="mlm", fill_required=True)
    asset = result.document["assets"]["checkpoint"]
    assert asset["mlm:architecture"] == "ResNet-18" and asset["mlm:tasks"] == ["segmentation"]
    assert not any(k.startswith("ml-model:") for k in asset)
    at_asset = {l.pointer: l.kind for l in result.report.losses if l.pointer.startswith("/assets/checkpoint/ml-")}
    assert at_asset == {"/assets/checkpoint/ml-model:training-os": "dropped",
                        "/assets/checkpoint/ml-model:type": "dropped"}
    assert not [l for l in result.report.losses if l.kind == "unknown"]
    assert translate(result.document, to="ml-model", restore=result.report).document == doc


def test_mlm_fields_on_item_assets_stay_on_them_in_ml_model():
    """Written back on the item asset, they name the Collection's field the ml-model schema wants:
    no placeholder summary is needed."""
    mlm = translate(ml_model_collection_with_item_asset_fields(), to="mlm").document
    result = translate(mlm, to="ml-model", fill_required=True)
    weights = result.document["item_assets"]["weights"]
    assert weights["ml-model:architecture"] == "ResNet-50" and weights["ml-model:prediction_type"] == "classification"
    assert "summaries" not in result.document and result.report.losses == []
    assert extension_errors(result.document, ML_MODEL_URI) == []


def test_a_task_on_an_asset_outside_mlm_s_vocabulary_is_reported_not_written():
    """MLM closes the task vocabulary on assets as on the Item (downscaling came with 1.5.0)."""
    doc = json.loads((SAMPLES / "ml-model-item.json").read_text())
    for task, version in (("change finding", "1.5.2"), ("Downscaling", "1.4.0")):
        doc["assets"]["checkpoint"]["ml-model:prediction_type"] = task
        result = translate(doc, to="mlm", version=version, fill_required=True)
        assert "mlm:tasks" not in result.document["assets"]["checkpoint"]
        (loss,) = [l for l in result.report.losses if l.pointer == "/assets/checkpoint/ml-model:prediction_type"]
        assert loss.kind == "dropped" and loss.value == task and f"mlm {version} vocabulary" in loss.reason
