"""ml-model 1.0.0 <-> MLM 1.5.2 on the official examples, checked against the official schemas."""
from __future__ import annotations

import copy
import functools

import pystac
import pytest

from conftest import SAMPLES, extension_errors, is_mlm_summary_erratum, load_spec, official_issues, spec_files
from translator import DocumentError, translate

ML_MODEL = spec_files("ml-model/1.0.0/examples/*/*.json")
MLM_ITEMS = spec_files("mlm/1.5.2/examples/item_*.json")
ML_MODEL_URI = "https://stac-extensions.github.io/ml-model/v1.0.0/schema.json"
MLM_URI = "https://stac-extensions.github.io/mlm/v1.5.2/schema.json"
ML_AOI_URI = "https://stac-extensions.github.io/ml-aoi/v0.2.0/schema.json"


def test_the_examples_are_there():
    assert len(ML_MODEL) == 4 and len(MLM_ITEMS) == 9


@pytest.mark.parametrize("rel", ML_MODEL)
def test_ml_model_example_to_mlm_is_valid(rel):
    doc = load_spec(rel)
    original = copy.deepcopy(doc)
    result = translate(doc, to="mlm", fill_required=True)
    issues = official_issues(result.document)
    if doc["type"] == "Collection":
        issues = [i for i in issues if not is_mlm_summary_erratum(i)]
    assert issues == []
    assert result.report.problems == []
    assert doc == original, "the input was modified"
    assert result.report.source == ("ml-model", "1.0.0") and result.report.target == ("mlm", "1.5.2")


@pytest.mark.parametrize("rel", ML_MODEL)
def test_ml_model_example_round_trips_exactly(rel):
    doc = load_spec(rel)
    original = copy.deepcopy(doc)
    there = translate(doc, to="mlm", fill_required=True)
    back = translate(there.document, to="ml-model", restore=there.report)
    assert back.document == original
    assert list(back.document["properties" if doc["type"] == "Feature" else "summaries"]) == \
        list(original["properties" if doc["type"] == "Feature" else "summaries"]), "key order restored"
    assert doc == original


@pytest.mark.parametrize("rel", [r for r in ML_MODEL if r.endswith("item.json")])
def test_every_ml_model_field_without_mlm_home_is_reported(rel):
    doc = load_spec(rel)
    report = translate(doc, to="mlm").report
    lost = {loss.pointer: loss for loss in report.losses}
    for field in ("ml-model:type", "ml-model:learning_approach", "ml-model:training-processor-type",
                  "ml-model:training-os"):
        if field in doc["properties"]:
            loss = lost[f"/properties/{field}"]
            assert loss.kind == "dropped" and loss.value == doc["properties"][field] and loss.reason and loss.rule
    # the fields with a home are not reported as lost
    assert "/properties/ml-model:architecture" not in lost
    assert "/properties/ml-model:prediction_type" not in lost


def test_dummy_item_fields_links_and_assets():
    doc = load_spec("ml-model/1.0.0/examples/dummy/item.json")
    out = translate(doc, to="mlm", fill_required=True).document
    props = out["properties"]
    assert props["mlm:tasks"] == ["object-detection"]
    assert props["mlm:architecture"] == "RCNN"
    assert props["mlm:output"][0]["tasks"] == ["object-detection"]
    assert props["mlm:name"] == "model-item"
    assert not any(k.startswith("ml-model:") for k in props)
    splits = {l["ml-aoi:split"]: l for l in out["links"] if l["rel"] == "derived_from"}
    assert splits["train"]["href"] == "https://some-domain.com/training-data/collection.json"
    assert splits["train"]["title"] == "Training Data"
    assert splits["test"]["href"] == "https://some-domain.com/test-data/collection.json"
    assert not any(l["rel"].startswith("ml-model:") for l in out["links"])
    images = {a["href"]: a for a in out["assets"].values() if a.get("type") == "docker-image"}
    assert images["registry.hub.docker.com/my-user/my-inferencing-model:v1"]["roles"] == \
        ["mlm:inference-runtime", "runtime"]
    assert images["registry.hub.docker.com/my-user/my-training-model:v1"]["roles"] == \
        ["mlm:training-runtime", "runtime"]
    assert out["assets"]["model"]["roles"] == ["mlm:inference-runtime"]
    assert out["stac_extensions"] == [MLM_URI, ML_AOI_URI]


def test_a_container_image_link_made_an_asset_is_named_by_the_source_s_rel():
    doc = load_spec("ml-model/1.0.0/examples/dummy/item.json")
    report = translate(doc, to="mlm", fill_required=True).report
    moved = {f.pointer: f.message for f in report.findings if f.code == "link-to-asset"}
    index = next(i for i, l in enumerate(doc["links"]) if l["rel"] == "ml-model:inferencing-image")
    assert moved[f"/links/{index}"] == "link 'ml-model:inferencing-image' written as asset 'inference-image'"
    back = translate(translate(doc, to="mlm", fill_required=True).document, to="ml-model").report
    read = {f.pointer: f.message for f in back.findings if f.code == "asset-to-link"}
    assert read["/assets/inference-image"] == ("container asset 'inference-image' read as the inference image link "
                                               "(pivot link 'image:inference')")
    dlm = load_spec("dlm/1.0.0-beta.3/examples/item.json")  # DLM names the image in a field, not a link
    found = [f.message for f in translate(dlm, to="mlm").report.findings if f.code == "link-to-asset"]
    assert found == ["the container image that runs inference (pivot link 'image:inference') written as asset "
                     "'inference-image'"]


def test_checkpoint_becomes_the_model_asset_as_an_assumption():
    doc = load_spec("ml-model/1.0.0/examples/cyclone-wind-speed/item.json")
    result = translate(doc, to="mlm")
    asset = result.document["assets"]["inferencing-checkpoint"]
    assert asset["roles"] == ["mlm:checkpoint", "mlm:model"]
    assert asset["mlm:artifact_type"] == "torch.save"
    assumed = [l for l in result.report.losses if l.kind == "assumed"]
    assert {l.rule for l in assumed} >= {"model-asset", "require-name"}
    promoted = next(l for l in assumed if l.rule == "model-asset")  # the role as the source wrote it
    assert (promoted.pointer, promoted.value) == ("/assets/inferencing-checkpoint/roles/0", "ml-model:checkpoint")
    # scientific is kept, ml-model replaced by MLM in place, ml-aoi added for the split links
    assert result.document["stac_extensions"] == [
        MLM_URI, "https://stac-extensions.github.io/scientific/v1.0.0/schema.json", ML_AOI_URI]


def test_without_fill_required_the_report_says_why_the_output_is_invalid():
    doc = load_spec("ml-model/1.0.0/examples/dummy/item.json")
    result = translate(doc, to="mlm")
    report = result.report
    assert report.valid is False
    assert not any(l.kind == "synthesized" for l in report.losses)
    text = " ".join(report.problems)
    for missing in ("mlm:input", "mlm:output", "artifact_type"):
        assert missing in text
    pointers = {(i.pointer, i.message) for i in official_issues(result.document)}
    assert ("/properties", '"mlm:input" is a required property') in pointers
    assert ("/properties", '"mlm:output" is a required property') in pointers


def test_synthesized_placeholders_are_marked_and_reported():
    doc = load_spec("ml-model/1.0.0/examples/dummy/item.json")
    result = translate(doc, to="mlm", fill_required=True)
    synthesized = {l.target: l for l in result.report.losses if l.kind == "synthesized"}
    assert {"/properties/mlm:input", "/properties/mlm:output"} <= set(synthesized)
    assert result.document["properties"]["mlm:input"][0]["name"].startswith("PLACEHOLDER")
    models = [a for a in result.document["assets"].values() if "mlm:model" in a.get("roles", [])]
    assert len(models) == 1 and models[0]["title"].startswith("PLACEHOLDER")
    assert all(l.pointer == "" for l in synthesized.values())


@pytest.mark.parametrize("rel", MLM_ITEMS)
def test_mlm_item_example_to_ml_model_is_valid_and_round_trips(rel):
    doc = load_spec(rel)
    original = copy.deepcopy(doc)
    result = translate(doc, to="ml-model", fill_required=True)
    assert official_issues(result.document) == []
    assert result.report.problems == []
    out = result.document
    assert out["properties"]["ml-model:type"] == "ml-model"
    assert ML_MODEL_URI in out["stac_extensions"] and MLM_URI not in out["stac_extensions"]
    assert not any(k.startswith("mlm:") for k in out["properties"])
    back = translate(out, to="mlm", restore=result.report)
    assert back.document == original
    assert doc == original


@pytest.mark.parametrize("rel", MLM_ITEMS)
def test_mlm_fields_without_ml_model_home_are_reported(rel):
    doc = load_spec(rel)
    report = translate(doc, to="ml-model").report
    pointers = {l.pointer for l in report.losses}
    for field in doc["properties"]:
        if field.startswith("mlm:") and field not in ("mlm:architecture", "mlm:tasks"):
            assert f"/properties/{field}" in pointers, field
    for key, asset in doc["assets"].items():
        for field in asset:
            if field.startswith("mlm:"):
                assert f"/assets/{key}/{field}" in pointers


def test_a_dropped_field_s_reason_names_it_in_words():
    report = translate(load_spec("mlm/1.5.2/examples/item_eo_bands.json"), to="ml-model").report
    reasons = {l.pointer: l.reason for l in report.losses}
    assert reasons["/properties/mlm:total_parameters"] == ("ml-model 1.0.0 has no field for the number of "
                                                           "parameters (pivot field 'total_parameters')")
    assert reasons["/assets/weights/roles/0"] == ("ml-model 1.0.0 has no asset role for the model artifact to "
                                                  "load for inference (pivot role 'model')")
    assert reasons["/assets/weights/mlm:artifact_type"] == ("ml-model 1.0.0 has no asset field for how the model "
                                                            "artifact was saved (pivot asset field 'artifact_type')")


MLM_ROLES_WITHOUT_ML_MODEL_HOME = {"mlm:model", "mlm:weights", "mlm:source_code", "mlm:compiled"}


@pytest.mark.parametrize("rel", MLM_ITEMS)
def test_mlm_roles_without_ml_model_home_are_reported_where_the_source_has_them(rel):
    doc = load_spec(rel)
    report = translate(doc, to="ml-model").report
    reported = {(l.pointer, l.value) for l in report.losses if "/roles" in l.pointer}
    expected = {(f"/assets/{key}/roles/{i}", role) for key, asset in doc["assets"].items()
                for i, role in enumerate(asset.get("roles", []))
                if role in MLM_ROLES_WITHOUT_ML_MODEL_HOME}  # (mlm:training, not an MLM role, stays)
    assert expected and reported == expected


def test_several_tasks_into_one_prediction_type_is_lossy():
    doc = load_spec("mlm/1.5.2/examples/item_multi_io.json")
    doc = copy.deepcopy(doc)
    doc["properties"]["mlm:tasks"] = ["semantic-segmentation", "object-detection"]
    result = translate(doc, to="ml-model")
    assert result.document["properties"]["ml-model:prediction_type"] == "segmentation"
    kinds = {(l.pointer, l.kind) for l in result.report.losses}
    assert ("/properties/mlm:tasks", "lossy") in kinds
    assert ("/properties/mlm:tasks/0", "lossy") in kinds  # semantic-segmentation generalised
    reason = next(l.reason for l in result.report.losses if l.pointer == "/properties/mlm:tasks/0")
    assert reason.startswith("'semantic-segmentation' written as 'segmentation': ml-model has one "), reason


def test_validation_split_becomes_test_data_with_a_lossy_entry():
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_basic.json"))
    doc["links"].append({"rel": "derived_from", "href": "https://example.org/val.json", "ml-aoi:split": "validate"})
    result = translate(doc, to="ml-model")
    link = result.document["links"][-1]
    assert link == {"rel": "ml-model:test-data", "href": "https://example.org/val.json"}
    (loss,) = [l for l in result.report.losses if l.rule == "link-validate-data"]
    assert loss.kind == "lossy" and loss.pointer == f"/links/{len(doc['links']) - 1}"


@pytest.mark.parametrize("rel", MLM_ITEMS)
def test_mlm_to_mlm_same_version_is_the_identity(rel):
    doc = load_spec(rel)
    result = translate(doc, to="mlm")
    assert result.document == doc
    assert result.report.losses == [] and result.report.problems == [] and result.report.findings == []
    assert result.report.residue == []


def test_ml_model_collections_translate_summaries():
    doc = load_spec("ml-model/1.0.0/examples/dummy/collection.json")
    result = translate(doc, to="mlm")
    summaries = result.document["summaries"]
    assert summaries["mlm:tasks"] == ["object-detection"]
    assert summaries["mlm:architecture"] == ["RCNN"]
    assert "ml-model:learning_approach" not in summaries
    assert {l.pointer: l.kind for l in result.report.losses} == {"/summaries/ml-model:learning_approach": "dropped"}


def test_a_summary_of_the_type_marker_is_the_marker_not_an_unknown_field():
    doc = load_spec("ml-model/1.0.0/examples/dummy/collection.json")
    doc["summaries"]["ml-model:type"] = ["ml-model"]  # a catalog summarising its Items' marker
    for to in ("mlm", "dlm", "tdml"):
        result = translate(doc, to=to)
        marker = [l for l in result.report.losses if l.pointer == "/summaries/ml-model:type"]
        assert [(l.kind, l.value, l.rule) for l in marker] == [("dropped", ["ml-model"], "type-marker-summary")]
        assert "stac_extensions says the same" in marker[0].reason
        back = translate(result.document, to="ml-model", restore=result.report)
        assert back.document == doc
    same = translate(doc, to="ml-model")
    assert same.document == doc and same.report.losses == []


def test_pystac_objects_come_back_as_the_same_kind():
    item = pystac.Item.from_dict(load_spec("ml-model/1.0.0/examples/dummy/item.json"))
    result = translate(item, to="mlm", fill_required=True)
    assert isinstance(result.document, pystac.Item)
    assert result.document.properties["mlm:architecture"] == "RCNN"
    collection = pystac.Collection.from_dict(load_spec("ml-model/1.0.0/examples/dummy/collection.json"))
    out = translate(collection, to="mlm").document
    assert isinstance(out, pystac.Collection)
    assert out.summaries.to_dict()["mlm:tasks"] == ["object-detection"]


def test_a_pystac_item_collection_or_asset_is_a_clear_document_error():
    item = pystac.Item.from_dict(load_spec("ml-model/1.0.0/examples/dummy/item.json"))
    with pytest.raises(DocumentError, match="ItemCollection holds 1 Items: translate each of them"):
        translate(pystac.ItemCollection([item]), to="mlm")
    with pytest.raises(DocumentError, match="got pystac Asset"):
        translate(next(iter(item.assets.values())), to="mlm")


def test_a_pystac_object_read_from_a_file_stays_at_its_place():
    # without its self href, pystac cannot resolve the relative links of the translation
    from conftest import SPECS
    item = pystac.Item.from_file(str(SPECS / "ml-model/1.0.0/examples/dummy/item.json"))
    out = translate(item, to="mlm", fill_required=True).document
    assert out.get_self_href() == item.get_self_href()
    assert [link.get_absolute_href() for link in out.links if link.rel == "parent"] == \
        [str(SPECS / "ml-model/1.0.0/examples/dummy/collection.json")]
    assert out.assets["model"].get_absolute_href() == item.assets["model"].get_absolute_href()


def test_a_pystac_item_keeps_its_self_link_as_it_was():
    """The self link keeps its media type, title and place: a translation to the item's own
    extension changes nothing, and a restore gives the item back."""
    doc = load_spec("ml-model/1.0.0/examples/dummy/item.json")
    doc["links"].insert(0, {"rel": "self", "href": "https://example.com/models/dummy.json",
                            "type": "application/geo+json", "title": "This model"})
    item = pystac.Item.from_dict(doc)
    as_dict = functools.partial(pystac.Item.to_dict, transform_hrefs=False)  # offline: no link is resolved
    assert as_dict(translate(item, to="ml-model").document) == as_dict(item)
    result = translate(item, to="mlm", fill_required=True)
    assert as_dict(result.document)["links"][0] == doc["links"][0]
    back = translate(result.document, to="ml-model", restore=result.report).document
    assert as_dict(back) == as_dict(item)


@pytest.mark.parametrize("name,target", [("ml-model-item.json", "mlm"), ("mlm-item.json", "ml-model")])
def test_project_samples_translate_to_valid_documents(name, target):
    import orjson
    doc = orjson.loads((SAMPLES / name).read_bytes())
    assert official_issues(doc) == []
    result = translate(doc, to=target, fill_required=True)
    assert official_issues(result.document) == []
    assert translate(result.document, to=result.report.source[0], restore=result.report).document == doc


def test_collection_fields_go_to_ml_model_summaries():
    """ml-model keeps a Collection's fields in summaries: MLM's top-level Collection fields
    become one-value summaries there, and restore gives the MLM Collection back."""
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/collection.json"))
    doc.update({"mlm:tasks": ["semantic-segmentation"], "mlm:architecture": "U-Net"})
    result = translate(doc, to="ml-model")
    out = result.document
    assert not any(k.startswith(("ml-model:", "mlm:")) for k in out)
    assert out["summaries"]["ml-model:prediction_type"] == ["segmentation"]
    assert out["summaries"]["ml-model:architecture"] == ["U-Net"]
    assert extension_errors(out, "https://stac-extensions.github.io/ml-model/v1.0.0/schema.json") == []
    moved = {(f.pointer, f.target) for f in result.report.findings if f.code == "to-summary"}
    assert ("/mlm:architecture", "/summaries/ml-model:architecture") in moved
    assert translate(out, to="mlm", restore=result.report).document == doc


@pytest.mark.parametrize("written, task", [
    ("object detection", "object-detection"), ("Object-Detection", "object-detection"),
    ("semantic_segmentation", "semantic-segmentation"), (" Regression ", "regression"),
    ("Multi-Class Classification", "classification"), ("ObjectDetection", "object-detection"),
])
def test_a_free_text_prediction_type_is_read_as_the_task_it_spells(written, task):
    """ml-model's prediction type is free text: a spelling variant of a known task is read as
    that task (a normalised finding), not dropped and replaced by a placeholder."""
    doc = copy.deepcopy(load_spec("ml-model/1.0.0/examples/dummy/item.json"))
    doc["properties"]["ml-model:prediction_type"] = written
    result = translate(doc, to="mlm", fill_required=True)
    assert result.document["properties"]["mlm:tasks"] == [task]
    assert [(f.code, f.message) for f in result.report.findings if f.pointer == "/properties/ml-model:prediction_type"
            and f.code == "normalised"] == [("normalised", f"'{written}' read as '{task}'")]
    assert not [l for l in result.report.losses if l.pointer.startswith("/properties/ml-model:prediction_type")
                or l.target == "/properties/mlm:tasks"]
    assert official_issues(result.document) == []
    assert translate(doc, to="ml-model").document == doc  # the identity keeps the source's spelling
    assert translate(result.document, to="ml-model", restore=result.report).document == doc


def test_a_value_that_spells_no_known_task_is_not_changed():
    doc = copy.deepcopy(load_spec("ml-model/1.0.0/examples/dummy/item.json"))
    doc["properties"]["ml-model:prediction_type"] = "change finding"
    result = translate(doc, to="mlm")
    assert "mlm:tasks" not in result.document["properties"]
    (loss,) = [l for l in result.report.losses if l.pointer == "/properties/ml-model:prediction_type"]
    assert loss.kind == "dropped" and loss.value == "change finding"


def test_an_mlm_task_in_another_spelling_is_written_in_the_schema_s():
    """MLM's task list is closed: 'Object_Detection' (invalid) is read as object-detection, so a
    translation to another MLM version or to ml-model writes a valid value; MLM to itself keeps it."""
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_basic.json"))
    doc["properties"]["mlm:tasks"] = ["Object_Detection", "classification"]
    older = translate(doc, to="mlm", version="1.4.0")
    assert older.document["properties"]["mlm:tasks"] == ["object-detection", "classification"]
    codes = {(f.pointer, f.code) for f in older.report.findings}
    assert ("/properties/mlm:tasks/0", "normalised") in codes
    assert ("/properties/mlm:tasks/0", "outside-vocabulary") not in codes
    assert translate(doc, to="ml-model").document["properties"]["ml-model:prediction_type"] == "object-detection"
    same = translate(doc, to="mlm")
    assert same.document == doc and same.report.losses == []


def test_an_accelerator_in_another_spelling_is_read_as_the_schema_s():
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_basic.json"))
    for written, known in (("CUDA", "cuda"), ("Intel_IPEX_CPU", "intel-ipex-cpu"), ("CPU", "amd64")):
        doc["properties"]["mlm:accelerator"] = written
        result = translate(doc, to="mlm", version="1.4.0")
        assert result.document["properties"]["mlm:accelerator"] == known
        assert ("/properties/mlm:accelerator", "normalised") in {(f.pointer, f.code) for f in result.report.findings}


@pytest.mark.parametrize("value", [5, True, {"task": "detection"}, ["object-detection", 7]])
def test_a_task_that_is_no_text_is_dropped_like_one_outside_the_vocabulary(value):
    """MLM's task list is closed: a number, boolean or object where ml-model has a task name (an
    invalid source) is no task either; it is dropped and reported, not written as an MLM task the
    schema rejects, and --fill-required gives the placeholder task as for an unknown name."""
    doc = copy.deepcopy(load_spec("ml-model/1.0.0/examples/dummy/item.json"))
    doc["properties"]["ml-model:prediction_type"] = value
    result = translate(doc, to="mlm", fill_required=True)
    written = [v for v in (value if type(value) is list else [value]) if type(v) is str]
    assert result.document["properties"]["mlm:tasks"] == (written or ["classification"])
    dropped = [(l.pointer, l.value) for l in result.report.losses
               if l.kind == "dropped" and l.pointer.startswith("/properties/ml-model:prediction_type")]
    pointer = "/properties/ml-model:prediction_type" + ("/1" if type(value) is list else "")
    assert dropped == [(pointer, 7 if type(value) is list else value)]
    assert official_issues(result.document) == []
    assert translate(result.document, to="ml-model", restore=result.report).document == doc


@pytest.mark.parametrize("version", ["1.4.0", "1.5.2"])
def test_an_mlm_task_that_is_no_text_is_not_carried_to_another_version(version):
    doc = copy.deepcopy(load_spec("mlm/1.2.0/examples/item_basic.json"))
    doc["properties"]["mlm:tasks"] = [5, "classification"]
    result = translate(doc, to="mlm", version=version, fill_required=True)  # 1.2.0 had no artifact type
    assert result.document["properties"]["mlm:tasks"] == ["classification"]
    assert [(l.pointer, l.kind, l.value) for l in result.report.losses if l.pointer.startswith("/properties/mlm:tasks")] \
        == [("/properties/mlm:tasks/0", "dropped", 5)]
    assert official_issues(result.document) == []
    assert translate(doc, to="mlm", version="1.2.0").document == doc  # the identity keeps it
