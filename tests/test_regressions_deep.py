"""Counterexamples of laws 1–6 found by the deep runs after run 8 (docs/robustness.md), kept as
plain tests; the earlier ones are in test_regressions.py, law 7's in test_regressions_valid.py."""
from __future__ import annotations

import copy
import json

import pytest

from conftest import SAMPLES, load_spec
from laws import run_laws
from strategies import load_example
from translator import translate
from translator.residue import same


def test_an_mlm_input_without_shape_to_dlm_is_reported():
    doc = copy.deepcopy(load_spec("mlm/1.0.0/examples/item_basic.json"))
    del doc["properties"]["mlm:input"][0]["bands"], doc["properties"]["mlm:input"][0]["input"]["shape"]
    losses = {l.pointer for l in translate(doc, to="dlm").report.losses}
    assert "/properties/mlm:input" in losses


def test_a_boolean_dlm_size_comes_back_as_it_was():
    doc = load_example("dlm/1.0.0-beta2/examples/item.json")
    doc["stac_extensions"].remove("dl-model")  # read by its fields, through the pivot
    doc["properties"]["dlm:architecture"]["estimated_total_size_mb"] = False
    result = translate(doc, to="dlm")
    back = translate(result.document, to="dlm", version=result.report.source[1], source="dlm").document
    assert back["properties"]["dlm:architecture"]["estimated_total_size_mb"] is False


def test_a_deeply_nested_value_is_restored_without_a_recursion_error():
    doc = load_example("ml-model/1.0.0/examples/cyclone-wind-speed/collection.json")
    value: object = "bottom"
    for _ in range(1500):  # deeper than the interpreter's default recursion limit
        value = {"k": value}
    doc["extent"]["spatial"]["bbox"][0].append(value)
    result = translate(doc, to="mlm")
    assert same(translate(result.document, to="ml-model", restore=result.report).document, doc)


def test_a_process_level_dlm_cannot_take_back_is_named_where_it_stays():
    """Deep run 13: DLM -> ml-model writes processing:level; back to DLM a level outside DLM's
    values stays processing:level, and the way back's report says where."""
    doc = load_example("dlm/1.0.0-beta2-GMLMC-Hackathon-1/examples/GMLMC/tree-detection.json")
    doc["properties"]["dlm:data"]["process_level"] = "xxxx"
    there = translate(doc, to="ml-model")
    assert there.document["properties"]["processing:level"] == "xxxx"
    back = translate(there.document, to="dlm", version=there.report.source[1], source="ml-model")
    assert back.document["properties"]["processing:level"] == "xxxx"
    assert "/properties/processing:level" in [f.target for f in back.report.findings]
    from laws import run_laws
    run_laws(doc, "ml-model")


def test_a_stray_link_rel_does_not_outweigh_a_declared_extension():
    """Deep run 13: a tdml Item with a link rel 'mlm:' was read as MLM, whose way back to tdml
    then read the label fields the MLM reading had carried unchanged (law 4)."""
    from translator import detect
    from laws import run_laws
    doc = load_example("tdml/1.0.0/examples/DOTA-1.5_Dataset/dota_1.5_trainingdata_0000.json")
    doc["links"][0]["rel"] = "mlm:"
    found = detect(doc)
    assert (found.extension, found.others) == ("tdml", ["mlm"])
    for target in ("tdml", "mlm"):
        run_laws(doc, target)
    # with no declared URI the rel still decides, and a field prefix always does
    del doc["stac_extensions"][0]
    assert detect(doc).extension == "mlm"
    doc["properties"]["tdml:scope"] = {"level": "dataset"}
    assert detect(doc).extension == "tdml"


def test_a_class_index_given_twice_keeps_its_first_name_and_is_reported():
    """Deep run 15 (DLM drawn from the beta2 schema): a list class_name_mapping may give an index
    twice; MLM classes with the same value twice are not valid."""
    doc = {"type": "Feature", "stac_version": "1.0.0", "id": "item", "geometry": None, "links": [], "assets": {},
           "stac_extensions": ["https://schemas.stacspec.org/v1.0.0-beta.2/extensions/dl-model/json-schema/schema.json"],
           "properties": {"datetime": "2020-01-01T00:00:00Z",
                          "dlm:inputs": {"name": "0", "input_tensors": {"dim": 1, "height": 1, "width": 1}},
                          "dlm:outputs": {"task": "regression", "class_name_mapping": [
                              {"index": 0, "class_name": "a"}, {"index": 0, "class_name": "b"}]},
                          "dlm:runtime": {"framework": "0"}, "dlm:architecture": {"type": "0"}}}
    frozen = copy.deepcopy(doc)
    pointer = "/properties/dlm:outputs/class_name_mapping"
    to_mlm = translate(doc, to="mlm", version="1.0.0", fill_required=True)
    classes = to_mlm.document["properties"]["mlm:output"][0]["classification:classes"]
    assert [(c["value"], c["name"]) for c in classes] == [(0, "a")]
    assert [(l.kind, l.value) for l in to_mlm.report.losses if l.pointer == pointer] == \
        [("lossy", frozen["properties"]["dlm:outputs"]["class_name_mapping"])]
    # DLM beta.3 writes {"<n>": name}: one name per index, said the same way
    to_beta3 = translate(doc, to="dlm", version="1.0.0-beta.3")
    assert to_beta3.document["properties"]["dlm:outputs"]["class_name_mapping"] == {"0": "a"}
    assert [l.kind for l in to_beta3.report.losses if l.pointer == pointer] == ["lossy"]
    for result in (to_mlm, to_beta3):
        assert same(translate(result.document, to="dlm", restore=result.report).document, frozen)
    identity = translate(doc, to="dlm", version="1.0.0-beta2")
    assert same(identity.document, frozen) and identity.report.losses == []


def test_a_nan_or_non_positive_normalisation_is_reported_not_carried():
    """Deep run 17: a NaN mean (no scaling factor) became an MLM z-score that DLM cannot write back,
    and the way to MLM did not say so. Means must be finite and deviations positive."""
    for mean, std in (([float("nan"), 0.34, 0.67], [0.1, 0.1, 0.2]), ([0.2, 0.34, 0.67], [0.1, 0.0, 0.2])):
        doc = load_example("dlm/1.0.0-beta2/examples/item.json")
        inputs = doc["properties"]["dlm:inputs"]
        del inputs["scaling_factor"]
        inputs["normalization:mean"], inputs["normalization:std"] = mean, std
        result = translate(doc, to="mlm")
        assert "value_scaling" not in result.document["properties"]["mlm:input"][0]
        dropped = {l.pointer for l in result.report.losses if l.kind == "dropped"}
        assert {"/properties/dlm:inputs/normalization:mean", "/properties/dlm:inputs/normalization:std"} <= dropped
        assert same(translate(result.document, to="dlm", restore=result.report).document, doc)


def test_an_empty_summaries_object_left_out_by_the_way_back_passes_the_laws():
    """Deep run 36: a tdml Collection with `summaries: {}` to DLM gets one-value dlm: summaries;
    the way back writes them as fields and leaves the emptied object out, with a finding at
    /summaries (and no target, as the output has none). Law 4 takes that finding for the removal."""
    from laws import run_laws
    doc = load_example("tdml/1.0.0/examples/WHU-building_Dataset/collection.json")
    doc["summaries"] = {}
    run_laws(doc, "dlm")
    back = translate(translate(doc, to="dlm").document, to="tdml", source="dlm")
    assert "summaries" not in back.document
    assert [f.pointer for f in back.report.findings if f.code == "summaries-emptied"] == ["/summaries"]


def test_another_extensions_role_is_named_where_it_stands():
    """Deep run 38: an ml-model Item with an MLM asset role ('mlm:training-runtime', which the
    ml-model table does not read) carries it unchanged to MLM; the way back reads it as MLM's
    training runtime and writes 'ml-model:training-runtime'. The forward report names the role
    at its place (law 4)."""
    from laws import run_laws
    doc = load_example("ml-model/1.0.0/examples/cyclone-wind-speed/item.json")
    doc["assets"]["inferencing-checkpoint"]["roles"] = ["mlm:training-runtime"]
    result = translate(doc, to="mlm")
    assert result.document["assets"]["inferencing-checkpoint"]["roles"] == ["mlm:training-runtime"]
    assert [(f.code, f.pointer) for f in result.report.findings if f.code == "other-extension-label"] == [
        ("other-extension-label", "/assets/inferencing-checkpoint/roles/0")]
    run_laws(doc, "mlm")
    # a role the chosen table reads is not named (ml-model's own roles, or none of another extension)
    plain = translate(load_example("ml-model/1.0.0/examples/cyclone-wind-speed/item.json"), to="mlm")
    assert "other-extension-label" not in {f.code for f in plain.report.findings}


def test_another_extensions_link_is_named_also_when_its_fields_are_there():
    """A half-migrated MLM Item that keeps an ml-model field and an ml-model link: the link,
    which the MLM table does not read, is named where it stands, as it is without the field."""
    from laws import run_laws
    doc = load_example("mlm/1.5.2/examples/item_basic.json")
    doc["links"].insert(0, {"rel": "ml-model:inferencing-image", "href": "docker.io/old/img:1",
                            "type": "docker-image"})
    for extra in ({}, {"ml-model:learning_approach": "supervised"}):
        doc["properties"].update(extra)
        for target in ("mlm", "ml-model"):
            result = translate(doc, to=target, prefer="mlm")
            assert [f.pointer for f in result.report.findings if f.code == "other-extension-label"] == \
                ["/links/0/rel"], (extra, target)
        run_laws(doc, "ml-model")


def test_a_summaries_object_the_way_back_makes_for_its_own_summary_passes_the_laws():
    """Deep run 48: a Collection without summaries whose only model field is a DLM object at its
    top level, to MLM and back: DLM writes the Collection field as a one-value summary (its
    to-summary finding), in a summaries object it makes for it. Law 4 takes that for the addition."""
    from laws import run_laws
    doc = load_example("ml-model/1.0.0/examples/cyclone-wind-speed/collection.json")
    for key in [k for k in doc if k.startswith("ml-model:")] + ["summaries", "assets", "item_assets"]:
        doc.pop(key, None)
    doc["dlm:architecture"] = load_example("dlm/1.0.0-beta.3/examples/item.json")["properties"]["dlm:architecture"]
    run_laws(doc, "mlm")
    back = translate(translate(doc, to="mlm").document, to="dlm", source="mlm")
    assert list(back.document["summaries"]) == ["dlm:architecture"]
    assert [f.target for f in back.report.findings if f.code == "to-summary"] == ["/summaries/dlm:architecture"]


def test_a_collection_whose_summaries_is_not_an_object_gets_dlm_s_summaries_and_passes_the_laws():
    """A medium run with the graft mutation: a Collection with `summaries: ""` read as ml-model,
    to DLM. DLM's Collection fields go into summaries: the odd value is reported and replaced,
    not left to keep dlm: fields at the top level; the way back's own loss of what the forward
    translation carried unchanged is its doing (law 4)."""
    from laws import run_laws
    doc = load_example("mlm/1.5.2/examples/collection.json")
    doc.update({"summaries": "", "ml-model:architecture": "ResNet",
                "stac_extensions": ["https://stac-extensions.github.io/item-assets/v1.0.0/schema.json"]})
    result = translate(doc, to="dlm")
    assert result.document["summaries"] == {"dlm:architecture": [{"type": "ResNet"}]}
    assert [(l.pointer, l.kind) for l in result.report.losses] == [("/summaries", "dropped")]
    for target in ("dlm", "ml-model", "mlm", "tdml"):
        run_laws(copy.deepcopy(doc), target)


def test_an_empty_label_tasks_list_comes_back_from_mlm():
    """Medium run: a tdml Item with `label:tasks: []` to MLM gives `mlm:tasks: []`; the way back
    dropped the empty list (reported only in its own report), so the field did not come back and
    the forward report could not say why (law 4). The label extension allows an empty array: it is
    written as it is."""
    from laws import run_laws
    doc = load_example("tdml/1.0.0/examples/DOTA-1.5_Dataset/dota_1.5_trainingdata_0000.json")
    doc["properties"]["label:tasks"] = []
    there = translate(doc, to="mlm")
    assert there.document["properties"]["mlm:tasks"] == []
    back = translate(there.document, to="tdml", source="mlm")
    assert back.document["properties"]["label:tasks"] == []
    for target in ("mlm", "ml-model", "dlm", "tdml"):
        run_laws(copy.deepcopy(doc), target)


def test_an_mlm_band_without_a_name_written_to_tdml_is_reported():
    """Medium run: an MLM input band list with a null among its names, to tdml. The names were
    written as eo:bands without the null, unreported, so the list came back shorter (law 4).
    A band without a name (null, empty, a number, an object without one) is reported dropped at
    its place; the others come back one place earlier."""
    from laws import run_laws
    for nameless in (None, "", 3, {"common_name": "coastal"}):
        doc = load_example("mlm/1.5.0/examples/item_eo_bands.json")
        doc["properties"]["mlm:input"][0]["bands"][0] = nameless
        result = translate(doc, to="tdml")
        names = doc["properties"]["mlm:input"][0]["bands"][1:]
        assert [b["name"] for b in result.document["properties"]["eo:bands"]] == names
        assert [(l.kind, l.value) for l in result.report.losses
                if l.pointer == "/properties/mlm:input/0/bands/0"] == [("dropped", nameless)]
        run_laws(doc, "tdml")


def test_a_list_with_an_item_dropped_whole_is_compared_as_a_whole():
    """Medium run: a DLM archive entry without a name is dropped (reported at its place) and the
    test file, carried as an asset inside the model archive, comes back as a new archive entry at
    the end. The list comes back with as many items as before, and law 4 compared it place by
    place: the entry after the dropped one, back one place earlier, was taken for an unreported
    change. The law was wrong there: once an item is dropped whole the items after it move up, so
    such a list is compared as a whole, each item with reported parts against the item at its
    place less the dropped items before it (docs/robustness.md, law 4)."""
    from laws import _parts_kept, run_laws
    doc = load_example("dlm/1.0.0-beta2/examples/item.json")
    del doc["properties"]["dlm:archive"][1]["name"]
    result = translate(doc, to="ml-model")
    assert [l.kind for l in result.report.losses if l.pointer == "/properties/dlm:archive/1"] == ["dropped"]
    back = translate(result.document, to="dlm", version=result.report.source[1], source="ml-model")
    names = [e["name"] for e in back.document["properties"]["dlm:archive"]]
    assert names == ["config.yml", "ckpt.best.pth", "input_test.tif"]
    for target in ("ml-model", "mlm", "tdml"):
        run_laws(copy.deepcopy(doc), target)
    # the comparison still finds a part that neither comes back nor is reported
    archive = "/properties/dlm:archive"
    entries = [{"name": "a", "role": "x"}, {"role": "y"}, {"name": "c", "role": "z"}]
    reported, dropped = [archive + "/1", archive + "/2/role"], {archive + "/1"}
    assert _parts_kept(entries, [entries[0], {"name": "c", "role": "other"}], archive, reported, dropped)
    assert not _parts_kept(entries, [entries[0], {"name": "d", "role": "other"}], archive, reported, dropped)


def test_an_asset_role_that_is_a_list_beside_an_item_level_entry_point_is_no_type_error():
    """Medium run: an MLM Item with mlm:entrypoint at its top level looks for its source-code
    asset; a roles list holding a list ended in a TypeError (law 1)."""
    from laws import run_laws
    for role in (["mlm:model"], {"a": 1}):
        doc = load_example("mlm/1.5.2/examples/item_pytorch_geo_unet.json")
        assert "mlm:entrypoint" in doc
        doc["assets"]["model"]["roles"][0] = role
        for target in ("mlm", "dlm", "tdml", "ml-model"):
            run_laws(copy.deepcopy(doc), target)


def test_a_class_name_mapping_no_dlm_version_can_write_is_reported_dropped():
    """Deep run: a beta2 class_name_mapping [[null]] was carried as it was to beta.3 (whose
    {"<n>": name} it is not), unreported; the plain way back left it out (law 4). A mapping that
    holds no class the target version's form can write is dropped at its pointer, with its value."""
    from laws import run_laws
    doc = load_example("dlm/1.0.0-beta2-GMLMC-Hackathon-1/examples/GMLMC/tree-detection.json")
    doc["properties"]["dlm:outputs"]["class_name_mapping"] = [[None]]
    run_laws(copy.deepcopy(doc), "dlm")
    beta3 = load_example("dlm/1.0.0-beta.3/examples/item.json")
    for source, version, bad in ((doc, "1.0.0-beta.3", [[None]]), (doc, "1.0.0-beta.3", {}),
                                 (doc, "1.0.0-beta.3", {"0": 1}), (beta3, "1.0.0-beta2", {"0": None}),
                                 (beta3, "1.0.0-beta2", [])):
        source["properties"]["dlm:outputs"]["class_name_mapping"] = bad
        result = translate(copy.deepcopy(source), to="dlm", version=version)
        assert "class_name_mapping" not in result.document["properties"]["dlm:outputs"]
        assert [(l.kind, l.value) for l in result.report.losses
                if l.pointer == "/properties/dlm:outputs/class_name_mapping"] == [("dropped", bad)]
    # a mapping each version can read is still written in the target's form
    doc = load_example("dlm/1.0.0-beta2-GMLMC-Hackathon-1/examples/GMLMC/tree-detection.json")
    doc["properties"]["dlm:outputs"]["class_name_mapping"] = [{"0": "Tree"}]
    result = translate(copy.deepcopy(doc), to="dlm", version="1.0.0-beta.3")
    assert result.document["properties"]["dlm:outputs"]["class_name_mapping"] == {"0": "Tree"}


def test_an_mlm_class_named_by_its_description_written_to_tdml_is_reported():
    """Deep run: an MLM output class with a description and no name, to tdml. Its description
    is written as its class name, which the way back gives the class as a name of its own; that
    was not reported (law 4). The classes are reported lossy at their place, saying so."""
    from laws import run_laws
    doc = {"type": "Feature", "stac_version": "1.0.0", "id": "item", "geometry": None, "links": [],
           "stac_extensions": ["https://stac-extensions.github.io/mlm/v1.5.2/schema.json",
                               "https://stac-extensions.github.io/classification/v1.1.0/schema.json"],
           "properties": {"datetime": "2020-01-01T00:00:00Z", "mlm:name": "A00", "mlm:architecture": "",
                          "mlm:tasks": [], "mlm:input": [],
                          "mlm:output": [{"name": "0", "tasks": [],
                                          "result": {"shape": [0], "dim_order": ["_"], "data_type": "int8"},
                                          "classification:classes": [{"value": 0, "description": "0"}]}]},
           "assets": {"model": {"href": "./model.pt", "roles": ["mlm:model"], "mlm:artifact_type": "0"}}}
    result = translate(copy.deepcopy(doc), to="tdml")
    assert result.document["properties"]["label:classes"] == [{"name": "0", "classes": ["0"]}]
    [loss] = [l for l in result.report.losses if l.pointer == "/properties/mlm:output/0/classification:classes"]
    assert loss.kind == "lossy" and "classes without a name (their description reads back as one) (1)" in loss.reason
    run_laws(doc, "tdml")
    # a class with a name of its own and the same description comes back as it was: not reported
    doc["properties"]["mlm:output"][0]["classification:classes"][0]["name"] = "0"
    result = translate(copy.deepcopy(doc), to="tdml")
    assert not [l for l in result.report.losses if "classification:classes" in l.pointer]
    run_laws(doc, "tdml")


def test_an_empty_dlm_inputs_object_is_dropped_not_made_of_defaults():
    """Deep run 62: a Collection with an empty dlm:inputs, to MLM. The reader made an input of
    defaults (name 'input', shape of -1), which the way back wrote as a filled DLM input summary,
    not as the empty object; only its members were reported (law 4). Like an empty dlm:outputs,
    it is dropped at its pointer, for a Collection and an Item."""
    from laws import run_laws
    doc = {"stac_version": "1.0.0-rc.1",
           "stac_extensions": ["https://stac-extensions.github.io/item-assets/v1.0.0/schema.json"],
           "type": "Collection", "id": "ml-model-examples", "title": "Machine Learning Model examples",
           "description": "Collection of items contained in the Machine Learning Model examples.",
           "license": "Apache-2.0",
           "extent": {"spatial": {"bbox": [[-7.882190080512502, 37.13739173208318, 27.911651652899923,
                                            58.21798141355221]]},
                      "temporal": {"interval": [["1900-01-01T00:00:00Z", "9999-12-31T23:59:59Z"]]}},
           "item_assets": "",
           "summaries": {"datetime": {"minimum": "1900-01-01T00:00:00Z", "maximum": "9999-12-31T23:59:59Z"}},
           "links": [{"href": "collection.json", "rel": "self"}, {"href": "item_basic.json", "rel": "item"},
                     {"href": "item_bands_expression.json", "rel": "item"}, {"href": "item_eo_bands.json", "rel": "item"},
                     {"href": "item_eo_and_raster_bands.json", "rel": "item"},
                     {"href": "item_eo_bands_summarized.json", "rel": "item"},
                     {"href": "item_raster_bands.json", "rel": "item"}, {"href": "item_multi_io.json", "rel": "item"}],
           "dlm:inputs": {}}
    result = translate(copy.deepcopy(doc), to="mlm")
    assert "mlm:input" not in result.document
    assert [(l.pointer, l.kind, l.value) for l in result.report.losses if "dlm:inputs" in l.pointer] == \
        [("/dlm:inputs", "dropped", {})]
    run_laws(doc, "mlm")
    item = load_example("dlm/1.0.0-beta.3/examples/item.json")
    item["properties"]["dlm:inputs"] = {}
    result = translate(copy.deepcopy(item), to="mlm")
    assert "mlm:input" not in result.document["properties"]
    assert [(l.pointer, l.kind) for l in result.report.losses if "dlm:inputs" in l.pointer] == \
        [("/properties/dlm:inputs", "dropped")]
    run_laws(item, "mlm")
    # to the same version it is written back as read
    assert translate(copy.deepcopy(item), to="dlm", version="1.0.0-beta.3").document["properties"]["dlm:inputs"] == {}


def test_an_archive_role_after_a_null_item_is_reported_at_its_own_place():
    """Medium profile, 2026-12-07: a DLM beta2 archive whose first item is null, to beta.3: the
    role of the third item was reported at the second item's place (the null item had moved it)."""
    from laws import run_laws
    doc = load_example("dlm/1.0.0-beta2/examples/item.json")
    doc["properties"]["dlm:archive"] = [None, {"name": "./data", "role": ["model weight"]},
                                        {"name": "version", "role": ["model version"]}]
    result = translate(doc, to="dlm", version="1.0.0-beta.3")
    (loss,) = [l for l in result.report.losses if "/role" in l.pointer]
    assert (loss.pointer, loss.kind, loss.value) == ("/properties/dlm:archive/2/role/0", "lossy", "model version")
    assert [e["role"] for e in result.document["properties"]["dlm:archive"]] == ["model weight", "other"]
    run_laws(doc, "dlm")


def test_a_dlm_class_with_an_empty_name_to_mlm_is_reported():
    """A DLM class named "" is carried to MLM (the classification extension allows an empty name);
    the way back cannot write it (DLM's class names are not empty) and names it by its index: the
    forward report says so at the class's own place."""
    from laws import run_laws
    doc = json.loads((SAMPLES / "dlm-item.json").read_text())
    doc["properties"]["dlm:outputs"]["class_name_mapping"]["1"] = ""
    result = translate(copy.deepcopy(doc), to="mlm")
    assert [c["name"] for c in result.document["properties"]["mlm:output"][0]["classification:classes"]] == \
        ["background", "", "road"]
    (loss,) = [l for l in result.report.losses if "class_name_mapping" in l.pointer]
    assert (loss.pointer, loss.kind, loss.value) == ("/properties/dlm:outputs/class_name_mapping/1", "lossy", "")
    run_laws(doc, "mlm")



def test_a_dlm_data_list_of_nulls_is_reported_not_a_crash():
    """Found by the medium profile: dlm:data [null] stopped every translation with an AttributeError."""
    doc = json.loads((SAMPLES / "dlm-item.json").read_text())
    doc["properties"]["dlm:data"] = [None]
    for target, version in (("mlm", None), ("ml-model", None), ("tdml", None), ("dlm", "1.0.0-beta2")):
        result = translate(doc, to=target, version=version)
        assert [(l.kind, l.value) for l in result.report.losses if l.pointer == "/properties/dlm:data"] == [
            ("dropped", [None])], target
        run_laws(doc, target, version)


def test_a_collection_field_dropped_for_its_type_leaves_no_summary_behind():
    """Run 66: a Collection's `mlm:tasks: false`, to ml-model (which keeps Collection fields in
    summaries), was dropped for its type after the writer had said it went to a summary: the
    `to-summary` finding named a place not in the output, and an empty `summaries` stayed."""
    doc = copy.deepcopy(load_example("ml-model/1.0.0/examples/cyclone-wind-speed/collection.json"))
    for key in [k for k in doc if k.startswith("ml-model:")] + ["summaries", "item_assets", "assets"]:
        doc.pop(key, None)
    doc["mlm:tasks"] = False
    result = translate(doc, to="ml-model")
    assert "summaries" not in result.document
    assert [(l.pointer, l.kind) for l in result.report.losses] == [("/mlm:tasks", "dropped")]
    assert "to-summary" not in {f.code for f in result.report.findings}
    run_laws(doc, "ml-model")


@pytest.mark.parametrize("source, place, target, version", [
    ("dlm", ("dlm:inputs", "input_tensors"), "dlm", "1.0.0-beta2"),
    ("dlm", ("dlm:inputs", "input_tensors"), "dlm", "1.0.0-beta.3"),
    ("mlm", ("mlm:input", 0, "input", "data_type"), "mlm", "1.4.0"),
    ("mlm", ("mlm:input", 0, "resize_type"), "mlm", "1.5.2"),
    ("mlm", ("mlm:output", 0, "tasks", 0), "mlm", "1.5.2"),
])
def test_half_a_surrogate_pair_where_the_schema_refuses_the_value_is_dropped_not_a_crash(source, place, target,
                                                                                         version):
    """Run 67: text holding half of a UTF-16 surrogate pair (a document built in Python), at a
    place the target's schema refuses it, made the schema check fail with UnicodeEncodeError
    (the validator cannot quote such text in its error)."""
    doc = copy.deepcopy(json.loads((SAMPLES / "dlm-item.json").read_text()) if source == "dlm"
                        else load_example("mlm/1.5.2/examples/item_basic.json"))
    node = doc["properties"]
    for key in place[:-1]:
        node = node[key]
    node[place[-1]] = "\ud800"
    result = translate(doc, to=target, version=version, fill_required=True)
    pointer = "/properties/" + "/".join(map(str, place))
    assert ("dropped", "\ud800") in [(l.kind, l.value) for l in result.report.losses if l.pointer == pointer]
    run_laws(doc, target, version)


@pytest.mark.parametrize("tasks", ["Object Detection", ["object-detection"], []])
def test_label_tasks_carried_to_tdml_from_a_source_without_tasks_is_said_to_read_back_as_its_tasks(tasks):
    """Run 69: an MLM Item (read as MLM by a link's `mlm:` rel) carrying the label extension's
    `label:tasks` but naming no task of its own, to tdml: the output carries label:tasks, which the
    way back reads as the model's tasks (mlm:tasks) and so does not give back as label:tasks;
    nothing said so (label:class had its `read-back-adds` finding, label:tasks none)."""
    doc = load_example("mlm/1.5.2/examples/item_basic.json")
    doc["properties"] = {"datetime": "2019-01-01T00:00:00Z", "mlm:name": "m", "label:tasks": tasks}
    result = translate(doc, to="tdml")
    assert result.report.source[0] == "mlm"
    assert [(f.code, f.target) for f in result.report.findings if f.pointer == "/properties/mlm:tasks"] == [
        ("read-back-adds", "/properties/label:tasks")]
    run_laws(doc, "tdml")


@pytest.mark.parametrize("tasks", [[float("nan")], [7, 8.5]])
def test_a_collection_field_whose_every_item_is_dropped_leaves_no_to_summary_finding(tasks):
    """Run 72: a Collection read as MLM whose mlm:tasks holds no text, to ml-model (which keeps
    Collection fields in summaries): every item was dropped, so no summary was written, yet the
    to-summary finding said it was, naming a place the output lacks (law 10)."""
    doc = load_example("tdml/1.0.0/examples/WHU-building_Dataset/collection.json")
    del doc["stac_extensions"], doc["stac_version"]
    doc["mlm:tasks"] = tasks
    result = translate(doc, to="ml-model", version="1.0.0")
    assert "ml-model:prediction_type" not in result.document.get("summaries", {})
    assert [f for f in result.report.findings if f.code == "to-summary"] == []
    assert {l.pointer for l in result.report.losses} >= {f"/mlm:tasks/{i}" for i in range(len(tasks))}
    run_laws(doc, "ml-model", "1.0.0")


def test_a_dlm_collection_field_dropped_beside_its_summary_is_reported_with_the_sources_value():
    """Grafted documents, medium profile (law 8, then law 10): the MLM 1.0 Collection given the
    beta.3 example's dlm:data at its top level and `summaries.dlm:data: 7`, to DLM beta.3 with
    fill_required. The Collection field was dropped (the summary is given already) with the value
    the writer had made of it (`dtype` written `data_type`, `nodata_value` written `nodata`), and
    the findings about that writing still named places inside it, which the output lacks."""
    doc = copy.deepcopy(load_example("mlm/1.0.0/examples/collection.json"))
    given = load_example("dlm/1.0.0-beta.3/examples/item.json")["properties"]["dlm:data"]
    doc["dlm:data"] = copy.deepcopy(given)
    doc["summaries"]["dlm:data"] = 7
    result = translate(doc, to="dlm", version="1.0.0-beta.3", fill_required=True)
    [loss] = [l for l in result.report.losses if l.pointer == "/dlm:data"]
    assert (loss.kind, loss.value, loss.target) == ("dropped", given, "/summaries/dlm:data")
    assert "dtype" in loss.value and "data_type" not in loss.value
    assert not [f for f in result.report.findings if (f.target or "").startswith("/dlm:data")]
    assert "dlm:data" not in result.document
    run_laws(doc, "dlm", "1.0.0-beta.3", fill_required=True)


def test_a_summary_written_into_a_dlm_field_that_is_then_dropped_names_no_target():
    """Grafted documents, medium profile (law 10): the ml-model dummy Collection given
    `summaries.dlm:architecture: 7`, to DLM beta2. Its one-value summary ml-model:architecture was
    written into dlm:architecture/type, which was then dropped as the summary is given already;
    the summary-to-field finding still named /dlm:architecture/type, which the output lacks."""
    doc = copy.deepcopy(load_example("ml-model/1.0.0/examples/dummy/collection.json"))
    doc["summaries"]["dlm:architecture"] = 7
    result = translate(doc, to="dlm", version="1.0.0-beta2")
    assert "dlm:architecture" not in result.document
    assert not [f for f in result.report.findings if (f.target or "").startswith("/dlm:architecture")]
    run_laws(doc, "dlm", "1.0.0-beta2")
