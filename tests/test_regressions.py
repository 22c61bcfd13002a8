"""Counterexamples the round-trip laws found (tests/laws.py, checked by tests/test_properties.py), kept as plain tests."""
from __future__ import annotations

import copy

from conftest import SPECS, load_spec
from translator import jsonio, translate
from translator.residue import same


def item(props: dict, links=(), assets=None, exts=()) -> dict:
    return {"type": "Feature", "stac_version": "1.0.0", "stac_extensions": list(exts), "id": "item",
            "geometry": None, "properties": {"datetime": "2020-01-01T00:00:00Z", **props},
            "links": list(links), "assets": assets or {}}


def test_identity_does_not_add_a_marker_the_source_lacks():
    doc = item({"ml-model:architecture": "arch"})
    result = translate(doc, to="ml-model")
    assert same(result.document, doc) and result.report.losses == []
    # but a translation from another extension writes it (the ml-model schema requires it)
    mlm = translate(load_spec("mlm/1.5.2/examples/item_basic.json"), to="ml-model").document
    assert mlm["properties"]["ml-model:type"] == "ml-model"


def test_identity_does_not_repair_an_incomplete_document():
    doc = item({"mlm:architecture": ""})
    result = translate(doc, to="mlm", version="1.5.2")
    assert same(result.document, doc) and result.report.losses == []
    assert any("mlm:name" in p for p in result.report.problems)
    repaired = translate(doc, to="mlm", version="1.5.2", fill_required=True)
    assert repaired.document["properties"]["mlm:name"] == "item"


def test_identity_does_not_add_supporting_extension_uris():
    doc = item({"mlm:name": "model"}, links=[{"rel": "derived_from", "href": "./x.json", "ml-aoi:split": "train"}])
    assert same(translate(doc, to="mlm", version="1.5.2").document, doc)


def test_a_link_keeps_its_key_order():
    link = {"rel": "derived_from", "href": "./x.json", "ml-aoi:split": "train", "title": ""}
    doc = item({"mlm:name": "model"}, links=[{"rel": "self", "href": "./x.json"}, link])
    assert same(translate(doc, to="mlm", version="1.5.2").document, doc)


def test_an_image_link_without_a_type_comes_back_as_a_link():
    doc = item({"ml-model:architecture": "arch"}, links=[{"rel": "ml-model:inferencing-image", "href": "./x.json"}])
    out = translate(doc, to="mlm").document
    assert out["assets"]["inference-image"] == {"href": "./x.json", "roles": ["mlm:inference-runtime", "runtime"]}
    back = translate(out, to="ml-model").document
    assert back["links"] == doc["links"] and back["assets"] == {}


def test_summaries_keep_their_order_within_one_extension():
    doc = {"type": "Collection", "stac_version": "1.0.0", "stac_extensions": [], "id": "c", "description": "d",
           "license": "MIT", "extent": {}, "links": [], "assets": {},
           "summaries": {"ml-model:type": ["ml-model"], "ml-model:training-os": [""],
                         "ml-model:architecture": [""]}}
    assert same(translate(doc, to="ml-model").document, doc)


def test_moved_band_descriptions_say_where_they_went():
    doc = load_spec("mlm/1.0.0/examples/item_raster_bands.json")
    report = translate(doc, to="ml-model").report
    moved = [f for f in report.findings if f.code == "moved"]
    assert moved and all(f.target and f.target.endswith("/raster:bands") for f in moved)


def test_list_residue_patches_only_the_elements_that_differ():
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_basic.json"))
    result = translate(doc, to="ml-model")
    assert all(p["pointer"] != "/links" for p in result.report.residue)


def test_a_feature_without_properties_does_not_crash():
    doc = item({"ml-model:architecture": "a"})
    del doc["properties"]
    doc["stac_extensions"] = ["https://stac-extensions.github.io/ml-model/v1.0.0/schema.json"]
    for target in ("ml-model", "mlm"):
        result = translate(doc, to=target)
        assert "properties" not in doc
        assert result.report.valid is False  # the required fields are missing, and the report says so
        assert any("/properties/" in problem for problem in result.report.problems)


def test_identity_keeps_a_value_the_reader_normalises():
    doc = item({"ml-model:prediction_type": "binary classification"})
    result = translate(doc, to="ml-model")
    assert same(result.document, doc)
    assert [f.code for f in result.report.findings if f.code == "normalised"] == ["normalised"]
    assert translate(doc, to="mlm").document["properties"]["mlm:tasks"] == ["classification"]


def test_a_container_asset_read_as_an_image_link_is_a_finding():
    doc = item({"mlm:name": "model"}, assets={"model": {"href": "./model.pt", "type": "docker-image",
                                                        "roles": ["mlm:inference-runtime", "runtime"]}})
    result = translate(doc, to="ml-model")
    assert result.document["links"] == [{"rel": "ml-model:inferencing-image", "href": "./model.pt",
                                         "type": "docker-image"}]
    assert ("/assets/model", "asset-to-link") in {(f.pointer, f.code) for f in result.report.findings}


def test_lone_surrogates_and_big_integers_still_serialise():
    from translator import jsonio
    data = jsonio.dumps({"a": "\ud800", "b": 2**70})
    assert b"\\ud800" in data and b"1180591620717411303424" in data


def test_a_non_list_task_value_does_not_crash_the_dlm_writer():
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_basic.json"))
    doc["properties"]["mlm:tasks"] = 1.5
    doc["properties"]["mlm:output"][0]["tasks"] = 2.5
    result = translate(doc, to="dlm")
    assert "dlm:outputs" in result.document["properties"]


def test_empty_or_null_dlm_values_are_reported():
    from translator import jsonio
    from conftest import SPECS
    doc = copy.deepcopy(jsonio.load(SPECS / "dlm/1.0.0-beta.3/examples/item.json")[0])
    doc["properties"]["dlm:runtime"] = {}
    doc["properties"]["dlm:outputs"]["task"] = None
    doc["properties"]["dlm:inputs"]["scaling_factor"] = None
    pointers = {l.pointer for l in translate(doc, to="mlm").report.losses}
    assert {"/properties/dlm:runtime", "/properties/dlm:outputs/task",
            "/properties/dlm:inputs/scaling_factor"} <= pointers
    assert translate(doc, to="dlm").document == doc


def test_a_huge_dlm_size_in_mb_does_not_overflow():
    doc = item({"dlm:inputs": {"name": "0", "input_tensors": {"dim": 1, "height": 1, "width": 1}},
                "dlm:outputs": {"task": "regression"}, "dlm:runtime": {"framework": "0"},
                "dlm:architecture": {"type": "0", "estimated_total_size_mb": 1.7e302}},
               exts=["https://schemas.stacspec.org/v1.0.0-beta.3/extensions/dl-model/json-schema/schema.json"])
    for target in ("mlm", "ml-model", "tdml", "dlm"):
        translate(doc, to=target)


def test_an_empty_mlm_task_list_is_reported_when_dlm_cannot_hold_it():
    doc = item({"mlm:name": "A00", "mlm:architecture": "", "mlm:tasks": [], "mlm:input": [], "mlm:output": []},
               assets={"model": {"href": "./model.pt", "roles": ["mlm:model"], "mlm:artifact_type": "0"}},
               exts=["https://stac-extensions.github.io/mlm/v1.5.2/schema.json"])
    losses = {l.pointer for l in translate(doc, to="dlm").report.losses}
    assert "/properties/mlm:tasks" in losses


def test_a_huge_dlm_size_in_mb_comes_back_unchanged():
    doc = item({"dlm:inputs": {"name": "0", "input_tensors": {"dim": 1, "height": 1, "width": 1}},
                "dlm:outputs": {"task": "regression"}, "dlm:runtime": {"framework": "0"},
                "dlm:architecture": {"type": "0", "estimated_total_size_mb": 1.7144137714980277e+302}},
               exts=["https://schemas.stacspec.org/v1.0.0-beta.3/extensions/dl-model/json-schema/schema.json"])
    mlm = translate(doc, to="mlm").document
    back = translate(mlm, to="dlm", source="mlm").document
    assert back["properties"]["dlm:architecture"] == doc["properties"]["dlm:architecture"]


def test_an_empty_mlm_task_list_is_reported_when_ml_model_cannot_hold_it():
    doc = item({"mlm:name": "A00", "mlm:architecture": "", "mlm:tasks": [], "mlm:input": [], "mlm:output": []},
               assets={"model": {"href": "./model.pt", "roles": ["mlm:model"], "mlm:artifact_type": "0"}},
               exts=["https://stac-extensions.github.io/mlm/v1.5.2/schema.json"])
    losses = {l.pointer for l in translate(doc, to="ml-model").report.losses}
    assert "/properties/mlm:tasks" in losses


def test_an_mlm_output_dlm_cannot_hold_is_reported():
    output = {"name": "0", "result": {"shape": [0], "dim_order": ["_"], "data_type": "float32"}, "tasks": []}
    doc = item({"mlm:name": "A00", "mlm:architecture": "", "mlm:tasks": [], "mlm:input": [], "mlm:output": [output]},
               assets={"model": {"href": "./model.pt", "roles": ["mlm:model"], "mlm:artifact_type": "0"}},
               exts=["https://stac-extensions.github.io/mlm/v1.5.2/schema.json"])
    losses = {l.pointer for l in translate(doc, to="dlm").report.losses}
    assert "/properties/mlm:output/0" in losses  # the first output, at its place


def test_an_mlm_output_name_and_dimensions_dlm_derives_are_reported():
    output = {"name": "0", "result": {"shape": [0], "dim_order": ["_"], "data_type": "float32"}, "tasks": []}
    doc = item({"mlm:name": "A00", "mlm:architecture": "", "mlm:tasks": ["detection"], "mlm:input": [],
                "mlm:output": [output]},
               assets={"model": {"href": "./model.pt", "roles": ["mlm:model"], "mlm:artifact_type": "0"}},
               exts=["https://stac-extensions.github.io/mlm/v1.5.2/schema.json"])
    losses = {l.pointer for l in translate(doc, to="dlm").report.losses}
    assert {"/properties/mlm:output/0/name", "/properties/mlm:output/0/result/shape",
            "/properties/mlm:output/0/result/dim_order"} <= losses  # each part DLM derives, at its place


def test_a_null_mlm_accelerator_is_reported_by_dlm():
    doc = item({"mlm:name": "A00", "mlm:architecture": "", "mlm:tasks": [], "mlm:input": [], "mlm:output": [],
                "mlm:accelerator": None},
               assets={"model": {"href": "./model.pt", "roles": ["mlm:model"], "mlm:artifact_type": "0"}},
               exts=["https://stac-extensions.github.io/mlm/v1.5.2/schema.json"])
    losses = {l.pointer for l in translate(doc, to="dlm").report.losses}
    assert "/properties/mlm:accelerator" in losses


def test_a_dlm_scaling_factor_list_of_one_is_reported():
    doc = item({"dlm:inputs": {"name": "0", "input_tensors": {"dim": 1, "height": 1, "width": 1}, "scaling_factor": [1.0]},
                "dlm:outputs": {"task": "regression"}, "dlm:runtime": {"framework": "0"},
                "dlm:architecture": {"type": "0"}},
               exts=["https://schemas.stacspec.org/v1.0.0-beta.3/extensions/dl-model/json-schema/schema.json"])
    losses = {l.pointer for l in translate(doc, to="mlm").report.losses}
    assert "/properties/dlm:inputs/scaling_factor" in losses


def test_an_empty_label_task_list_is_kept_by_the_tdml_identity():
    doc = {"type": "Collection", "stac_version": "1.0.0", "id": "c", "description": "d", "license": "MIT",
           "stac_extensions": ["https://stac-extensions.github.io/trainingdml-ai/v1.0.0/schema.json"],
           "extent": {}, "links": [], "tdml:amount_of_training_data": 1, "label:tasks": []}
    result = translate(doc, to="tdml")
    assert result.report.losses == [] and same(result.document, doc)


def test_the_ml_model_identity_keeps_a_list_in_the_prediction_type():
    for value in ([{"k": "x"}], ["a", "b"], [], [None]):
        doc = item({"ml-model:architecture": "a", "ml-model:prediction_type": value})
        result = translate(doc, to="ml-model")
        assert result.report.losses == [] and same(result.document, doc), value


def test_task_values_that_are_not_names_are_reported_by_dlm():
    doc = item({"ml-model:architecture": "a", "ml-model:prediction_type": None})
    assert "/properties/ml-model:prediction_type" in {l.pointer for l in translate(doc, to="dlm").report.losses}
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_basic.json"))
    doc["properties"]["mlm:tasks"] = 1.5
    assert "/properties/mlm:tasks" in {l.pointer for l in translate(doc, to="dlm").report.losses}


def test_bands_added_for_mlm_1_0_say_where():
    doc = copy.deepcopy(load_spec("mlm/1.0.0/examples/item_basic.json"))
    del doc["properties"]["mlm:input"][0]["bands"]
    dlm = translate(doc, to="dlm").document
    back = translate(dlm, to="mlm", version="1.0.0", source="dlm").report
    assert "/properties/mlm:input/0/bands" in {f.target for f in back.findings if f.code == "bands-added"}


def test_an_empty_mlm_task_list_is_carried_by_tdml():
    """label:tasks is an array without a minimum: an empty task list is written as it is, and
    comes back (before, it was dropped, and a tdml Item's empty label:tasks did not survive
    tdml -> MLM -> tdml)."""
    doc = item({"mlm:name": "A00", "mlm:architecture": "", "mlm:tasks": [], "mlm:input": [], "mlm:output": []},
               assets={"model": {"href": "./model.pt", "roles": ["mlm:model"], "mlm:artifact_type": "0"}},
               exts=["https://stac-extensions.github.io/mlm/v1.5.2/schema.json"])
    result = translate(doc, to="tdml")
    assert result.document["properties"]["label:tasks"] == []
    assert "/properties/mlm:tasks" not in {l.pointer for l in result.report.losses}
    back = translate(result.document, to="mlm", source="tdml")
    assert back.document["properties"]["mlm:tasks"] == []


def test_a_dlm_scaling_factor_list_of_equal_values_is_reported():
    doc = item({"dlm:inputs": {"name": "0", "input_tensors": {"dim": 1, "height": 1, "width": 1},
                               "scaling_factor": [1.0, 1.0]},
                "dlm:outputs": {"task": "regression"}, "dlm:runtime": {"framework": "0"},
                "dlm:architecture": {"type": "0"}},
               exts=["https://schemas.stacspec.org/v1.0.0-beta.3/extensions/dl-model/json-schema/schema.json"])
    assert "/properties/dlm:inputs/scaling_factor" in {l.pointer for l in translate(doc, to="mlm").report.losses}


def test_a_source_field_outside_item_properties_does_not_follow_into_another_extension():
    """MLM's item_pytorch_geo_unet example has mlm:entrypoint at the Item's top level: to tdml it
    is reported (dropped: read as the source-code asset's entry point, which tdml has no place for)
    and left out, so the output is not taken for an MLM document."""
    from conftest import load_spec
    from translator import detect
    doc = load_spec("mlm/1.5.2/examples/item_pytorch_geo_unet.json")
    result = translate(doc, to="tdml", fill_required=True)
    assert "mlm:entrypoint" not in result.document
    assert ("/mlm:entrypoint", "dropped") in {(l.pointer, l.kind) for l in result.report.losses}
    assert detect(result.document).extension == "tdml"
    assert translate(result.document, to="mlm", restore=result.report).document == doc
    assert translate(doc, to="mlm").document == doc  # within MLM it stays where it is


def test_odd_mlm_value_scaling_does_not_crash_the_dlm_writer():
    for scaling in ([{"type": {"k": 1}}], [{"type": "scale", "value": "x"}], [{"type": ["scale"]}]):
        doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_basic.json"))
        doc["properties"]["mlm:input"][0]["value_scaling"] = scaling
        assert "/properties/mlm:input/0/value_scaling" in {l.pointer for l in translate(doc, to="dlm").report.losses}


def test_dlm_identity_keeps_null_assets_and_array_assets_say_where_they_went():
    from strategies import load_example
    doc = load_example("dlm/1.0.0-beta.3/examples/item.json")
    doc["assets"] = None
    result = translate(doc, to="dlm")
    assert same(result.document, doc)
    ml = load_example("ml-model/1.0.0/examples/dummy/collection.json")
    ml["assets"] = []
    back = translate(translate(ml, to="dlm").document, to="ml-model", source="dlm").report
    assert ("/assets", "/assets") in {(f.pointer, f.target) for f in back.findings if f.code == "assets-array"}


def test_a_memory_size_dlm_cannot_hold_exactly_is_reported():
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_basic.json"))
    doc["properties"]["mlm:memory_size"] = 9007199254740993
    [loss] = [l for l in translate(doc, to="dlm").report.losses if l.pointer == "/properties/mlm:memory_size"]
    assert "does not hold the value exactly" in loss.reason and "training pass" in loss.reason
    doc["properties"]["mlm:memory_size"] = 3 * 1048576  # whole megabytes come back exactly
    [loss] = [l for l in translate(doc, to="dlm").report.losses if l.pointer == "/properties/mlm:memory_size"]
    assert "does not hold the value exactly" not in loss.reason  # only the change of meaning


def test_scales_dlm_cannot_write_as_factors_do_not_crash():
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_basic.json"))
    doc["properties"]["mlm:input"][0]["value_scaling"] = [{"type": "scale", "value": 5e-324}]
    result = translate(doc, to="dlm")  # 1/5e-324 is not a finite factor
    assert "/properties/mlm:input/0/value_scaling" in {l.pointer for l in result.report.losses}
    translate(result.document, to="mlm", source="dlm")
    dlm = item({"dlm:inputs": {"name": "0", "input_tensors": {"dim": 1, "height": 1, "width": 1},
                               "scaling_factor": 1e-320},
                "dlm:outputs": {"task": "regression"}, "dlm:runtime": {"framework": "0"},
                "dlm:architecture": {"type": "0"}},
               exts=["https://schemas.stacspec.org/v1.0.0-beta.3/extensions/dl-model/json-schema/schema.json"])
    assert "/properties/dlm:inputs/scaling_factor" in {l.pointer for l in translate(dlm, to="mlm").report.losses}


def test_summaries_that_are_not_an_object_do_not_crash_the_writer():
    from strategies import load_example
    doc = load_example("tdml/1.0.0/examples/WHU-building_Dataset/collection.json")
    for odd in (1, ["x"]):
        doc["summaries"] = odd
        for target in ("mlm", "ml-model", "dlm", "tdml"):
            translate(doc, to=target)


def test_a_value_the_table_writes_back_otherwise_is_a_finding():
    doc = item({"ml-model:architecture": "a", "ml-model:prediction_type": "scene-classification"})
    report = translate(doc, to="mlm").report
    assert ("/properties/ml-model:prediction_type", "written-back-as") in {(f.pointer, f.code) for f in report.findings}
    assert same(translate(doc, to="ml-model").document, doc)


def test_null_dlm_assets_replaced_by_made_assets_are_reported():
    from strategies import load_example
    doc = load_example("dlm/1.0.0-beta2-GMLMC-Hackathon-1/examples/GMLMC/tree-detection.json")
    doc["assets"] = None
    report = translate(doc, to="dlm").report
    assert ("/assets", "assets-made") in {(f.pointer, f.code) for f in report.findings}


def test_mlm_identity_keeps_the_key_of_a_container_asset():
    assets = {"model": {"href": "./model.pt", "roles": ["mlm:model"], "mlm:artifact_type": "0"},
              "weights": {"href": "./model.pt", "roles": ["mlm:inference-runtime", "runtime"], "type": "docker-image"}}
    doc = item({"mlm:name": "A00"}, assets=copy.deepcopy(assets),
               exts=["https://stac-extensions.github.io/mlm/v1.5.2/schema.json"])
    assert same(translate(doc, to="mlm", version="1.5.2").document, doc)


def test_an_empty_mlm_output_object_is_reported_by_dlm():
    doc = copy.deepcopy(load_spec("mlm/1.3.0/examples/item_basic.json"))
    doc["properties"]["mlm:output"] = [{}]
    assert "/properties/mlm:output" in {l.pointer for l in translate(doc, to="dlm").report.losses}


def test_a_null_dlm_class_name_mapping_is_reported():
    from strategies import load_example
    doc = load_example("dlm/1.0.0-beta.3/examples/item.json")
    doc["properties"]["dlm:outputs"]["class_name_mapping"] = None
    losses = {l.pointer for l in translate(doc, to="mlm").report.losses}
    assert "/properties/dlm:outputs/class_name_mapping" in losses


def test_mlm_1_x_identity_keeps_a_list_of_processing_functions():
    doc = copy.deepcopy(load_spec("mlm/1.3.0/examples/item_basic.json"))
    doc["properties"]["mlm:input"][0]["pre_processing_function"] = [{"k": {"k": "x"}}, None]
    result = translate(doc, to="mlm", version="1.3.0")
    assert result.report.losses == [] and same(result.document, doc)


def test_links_that_are_not_a_list_are_reported():
    from strategies import load_example
    doc = load_example("dlm/1.0.0-beta.3/examples/item.json")
    doc["links"] = None
    assert "/links" in {l.pointer for l in translate(doc, to="mlm").report.losses}


def test_an_mlm_input_without_structure_and_missing_links_to_dlm():
    from translator.pointer import covers
    from translator.residue import diff
    doc = copy.deepcopy(load_spec("mlm/1.0.0/examples/item_basic.json"))
    doc["properties"]["mlm:input"] = [{"name": "Model with RGB input that does not refer to any band."}]
    assert "/properties/mlm:input" in {l.pointer for l in translate(doc, to="dlm").report.losses}
    from strategies import load_example
    dlm = load_example("dlm/1.0.0-beta.3/examples/item.json")
    del dlm["links"], dlm["stac_version"]
    result = translate(dlm, to="mlm")
    back = translate(result.document, to="dlm", source="mlm").document
    listed = [l.pointer for l in result.report.losses + result.report.findings] + \
        [x.target for x in result.report.losses + result.report.findings if x.target]
    assert all(any(covers(p, d["pointer"]) for p in listed) for d in diff(dlm, back) if d["pointer"] == "/links")


def test_residue_sets_objects_with_non_string_keys_whole():
    """YAML reads {0: name} with an integer key, which a JSON pointer cannot tell from "0"."""
    from translator.residue import apply, diff
    original = {"m": [{0: "dontcare"}, {1: "lake"}]}
    produced = {"m": [{"index": 0, "class_name": "dontcare"}, {"index": 1, "class_name": "lake"}]}
    assert same(apply(produced, diff(original, produced)), original)


def test_assets_that_are_not_an_object_are_reported_when_replaced():
    doc = copy.deepcopy(load_spec("ml-model/1.0.0/examples/dummy/item.json"))
    doc["assets"] = None  # the inferencing-image link becomes an asset, so MLM needs an object
    result = translate(doc, to="mlm")
    assert type(result.document["assets"]) is dict and result.document["assets"]
    assert [(l.kind, l.value) for l in result.report.losses if l.pointer == "/assets"] == [("dropped", None)]
    assert same(translate(result.document, to="ml-model", restore=result.report).document, doc)


def test_summaries_left_out_by_the_way_back_say_where():
    """A tdml Collection's empty summaries object gets DLM summaries; the way back leaves the
    emptied object out; its finding names the source place and no target (the output has none)."""
    doc = copy.deepcopy(load_spec("tdml/1.0.0/examples/WHU-building_Dataset/collection.json"))
    doc["summaries"] = {}
    forward = translate(doc, to="dlm")
    assert forward.document["summaries"]
    back = translate(forward.document, to="tdml", source="dlm")
    assert "summaries" not in back.document
    assert [(f.pointer, f.target) for f in back.report.findings if f.code == "summaries-emptied"] == \
        [("/summaries", None)]


def test_summaries_that_are_null_are_reported_when_written():
    """A tdml Collection with `summaries: null`: ml-model keeps Collection fields as summaries,
    so the output needs an object there; the null it replaces is reported."""
    doc = copy.deepcopy(load_spec("tdml/1.0.0/examples/WHU-building_Dataset/collection.json"))
    doc["summaries"] = None
    result = translate(doc, to="ml-model")
    assert type(result.document["summaries"]) is dict and result.document["summaries"]
    assert [(l.kind, l.value) for l in result.report.losses if l.pointer == "/summaries"] == [("dropped", None)]
    assert same(translate(result.document, to="tdml", restore=result.report).document, doc)


def test_an_empty_dlm_outputs_object_makes_no_mlm_output():
    doc = jsonio.load(SPECS / "dlm/1.0.0-beta.3/examples/item.json", lenient=True)[0]
    doc["properties"]["dlm:outputs"] = {}
    result = translate(doc, to="mlm")
    assert "mlm:output" not in result.document["properties"]  # not one made of defaults
    assert [(l.kind, l.value) for l in result.report.losses if l.pointer == "/properties/dlm:outputs"] == \
        [("dropped", {})]
    assert any("mlm:output" in p for p in result.report.problems)
    assert same(translate(result.document, to="dlm", restore=result.report).document, doc)


def test_a_dlm_process_level_outside_dlms_values_says_where_it_goes():
    """Carried as processing:level; a way back to DLM keeps it there, so the report says so at the
    source's field, with the place it went."""
    doc = jsonio.load(SPECS / "dlm/1.0.0-beta.3/examples/item.json", lenient=True)[0]
    doc["properties"]["dlm:data"]["process_level"] = "L2A"
    doc["properties"].pop("processing:level", None)
    result = translate(doc, to="mlm")
    assert result.document["properties"]["processing:level"] == "L2A"
    found = [(f.pointer, f.target) for f in result.report.findings if f.code == "outside-vocabulary"]
    assert found == [("/properties/dlm:data/process_level", "/properties/processing:level")]
    back = translate(result.document, to="dlm", version="1.0.0-beta.3")
    assert back.document["properties"]["processing:level"] == "L2A"
    assert "process_level" not in back.document["properties"].get("dlm:data", {})
    # to DLM itself the level stays in dlm:data: nothing is said about a place it does not go
    same_ext = translate(doc, to="dlm", version="1.0.0-beta.3")
    assert same_ext.document["properties"]["dlm:data"]["process_level"] == "L2A"
    assert not [f for f in same_ext.report.findings if f.code == "outside-vocabulary"]


def test_carried_dataset_classes_the_way_back_reads_are_said_when_the_output_names_none():
    # an MLM output with no classes (here not even a list): the classes the document carries
    # (label:class, tdml's variant spelling) are what a translation of the tdml output back reads
    doc = item({"mlm:output": False, "label:class": [{"name": "Plane", "class": 1}]})
    result = translate(doc, to="tdml")
    assert result.document["properties"]["label:class"] == doc["properties"]["label:class"]
    (finding,) = [f for f in result.report.findings if f.code == "read-back-adds"]
    assert (finding.pointer, finding.target) == ("/properties/mlm:output", "/properties/label:class")
    assert "mlm:output names no classes" in finding.message


def test_a_document_that_is_not_an_item_or_collection_is_told_by_its_type():
    """The message named Python's None for a document without a type."""
    import pytest
    from translator.errors import DocumentError
    for doc, said in (({"id": "x"}, "it has no type"), ({"type": "Catalog"}, "its type is 'Catalog'"),
                      ({"type": 3}, "its type is not a string")):
        with pytest.raises(DocumentError) as raised:
            translate(doc, to="mlm")
        assert (raised.value.pointer, raised.value.message) == ("/type", f"not a STAC Item or Collection ({said})")


def test_training_data_written_as_a_link_is_named_by_its_finding():
    """A link the caller's training data became has no source pointer: its finding says what it
    is (it read 'written as a link with rel ...' at the root, naming nothing)."""
    from conftest import SAMPLES, resolve
    model = jsonio.load(SAMPLES / "ml-model-item.json")[0]
    dataset = jsonio.load(SAMPLES / "tdml-collection.json")[0]
    result = translate(model, to="mlm", training_data=[(dataset, "tdml-collection.json")])
    moved = [f for f in result.report.findings if f.code == "to-link"]
    assert [(f.pointer, f.message) for f in moved] == [
        ("", "the dataset the model was trained on (pivot link 'data:train') written as a link with rel "
             "'derived_from'")], moved
    assert resolve(result.document, moved[0].target)["rel"] == "derived_from"
