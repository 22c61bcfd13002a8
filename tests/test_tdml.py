"""TrainingDML-AI 1.0.0 datasets <-> the model extensions, on the official examples."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import jsonschema_rs
import orjson
import pytest

from conftest import extension_errors, ROOT, SPECS, load_spec, spec_files
from translator import DocumentError, default_tables, jsonio, translate
from translator.residue import same

EXAMPLES = spec_files("tdml/1.0.0/examples/*/*.json")
BROKEN = "tdml/1.0.0/examples/DOTA-1.5_Dataset/collection.json"
WHU = "tdml/1.0.0/examples/WHU-building_Dataset/collection.json"
DOTA_ITEM = "tdml/1.0.0/examples/DOTA-1.5_Dataset/dota_1.5_trainingdata_0000.json"
READABLE = [r for r in EXAMPLES if r != BROKEN]
URIS = {"mlm": "https://stac-extensions.github.io/mlm/v1.5.2/schema.json",
        "ml-model": "https://stac-extensions.github.io/ml-model/v1.0.0/schema.json"}
PROJECT_TDML = orjson.loads((ROOT / "translator/schemas/tdml/v1.0.0/schema.json").read_bytes())


def test_the_broken_example_gets_a_clear_error():
    with pytest.raises(DocumentError, match=r"collection.json: invalid JSON at line 215 column 24"):
        jsonio.load(SPECS / BROKEN)
    with pytest.raises(DocumentError, match="invalid JSON even leniently"):
        jsonio.load(SPECS / BROKEN, lenient=True)


PROJECT_DLM = orjson.loads((ROOT / "translator/schemas/dlm/v1.0.0-beta.3/schema.json").read_bytes())


def _schema_errors(doc: dict, target: str) -> list[str]:
    if target == "dlm":
        return ["/".join(map(str, e.instance_path)) + ": " + e.message
                for e in jsonschema_rs.validator_for(PROJECT_DLM).iter_errors(doc)]
    return extension_errors(doc, URIS[target])


# What the model tables do with a Collection's fields (docs/tdml.md, "Collections"): ml-model keeps
# them in summaries (collection_summaries), and so does DLM, which defines no Collection fields;
# MLM writes them at the top level, where the MLM 1.5.2 erratum rejects its summaries.
COLLECTION_PLACEMENT = {"mlm": lambda e: e.startswith("summaries/"),  # MLM 1.5.2 erratum (errata-mlm.md)
                        "ml-model": lambda e: False, "dlm": lambda e: False}


@pytest.mark.parametrize("rel", READABLE)
@pytest.mark.parametrize("target", ["mlm", "ml-model", "dlm"])
def test_tdml_example_translates_and_restores_exactly(rel, target):
    doc = load_spec(rel)
    frozen = copy.deepcopy(doc)
    result = translate(doc, to=target, fill_required=True)
    assert result.report.source == ("tdml", "1.0.0")
    errors = _schema_errors(result.document, target)
    if doc["type"] == "Collection":
        errors = [e for e in errors if not COLLECTION_PLACEMENT[target](e)]
    assert errors == []
    assert same(doc, frozen)
    back = translate(result.document, to="tdml", restore=result.report)
    assert same(back.document, frozen)


def test_collection_fields_of_the_model_tables_are_the_only_collection_errors():
    """The filter above hides exactly the top-level placement, nothing else."""
    doc = load_spec(WHU)
    results = {t: translate(doc, to=t, fill_required=True) for t in ("ml-model", "dlm")}
    assert {t: _schema_errors(r.document, t) for t, r in results.items()} == {"ml-model": [], "dlm": []}
    dlm = results["dlm"]  # the fields went to summaries, each said with its target
    assert not any(k.startswith("dlm:") for k in dlm.document) and {"dlm:inputs", "dlm:outputs"} <= set(
        dlm.document["summaries"])
    assert {"/summaries/dlm:inputs", "/summaries/dlm:outputs"} <= {f.target for f in dlm.report.findings
                                                                   if f.code == "to-summary"}


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


def test_mlm_collection_to_tdml_misses_only_the_number_of_samples():
    doc = load_spec("mlm/1.5.2/examples/collection.json")
    result = translate(doc, to="tdml")
    errors = [e.message for e in jsonschema_rs.validator_for(PROJECT_TDML).iter_errors(result.document)]
    assert errors == ['"tdml:amount_of_training_data" is a required property']
    assert result.report.valid is False
    assert any(p.startswith("/tdml:amount_of_training_data") for p in result.report.problems)
    filled = translate(doc, to="tdml", fill_required=True)  # a placeholder, said as synthesized
    assert list(jsonschema_rs.validator_for(PROJECT_TDML).iter_errors(filled.document)) == []
    assert filled.document["tdml:amount_of_training_data"] == 0
    assert ("synthesized", "/tdml:amount_of_training_data") in {(l.kind, l.target) for l in filled.report.losses}


def test_tdml_is_a_dataset_table():
    assert default_tables()["tdml"].kind == "dataset"


# -- classes, bands, DOI: values in both directions ------------------------------------------------

def _props(doc: dict) -> dict:
    return doc["properties"] if doc["type"] == "Feature" else doc


def test_whu_collection_to_mlm_classes_tasks_bands_match_the_dataset():
    doc = load_spec(WHU)
    result = translate(doc, to="mlm")
    out = result.document
    assert out["mlm:tasks"] == ["detection"]
    (output,) = out["mlm:output"]
    assert output["tasks"] == ["detection"]
    assert output["classification:classes"] == [{"value": 1, "name": "building", "description": "building"}]
    (model_input,) = out["mlm:input"]
    assert model_input["bands"] == [b["name"] for b in doc["properties"]["eo:bands"]] == ["band1", "band2", "band3"]
    assert "bands" in model_input["input"]["dim_order"]
    assert out["properties"]["eo:bands"] == doc["properties"]["eo:bands"]  # wavelengths etc. stay
    kinds = {(l.pointer, l.kind) for l in result.report.losses}
    assert {("/properties/label:classes", "assumed"), ("/properties/eo:bands", "assumed")} <= kinds
    assert "label:classes" not in out["properties"]


def test_done_when_command(tmp_path):
    run = subprocess.run([str(Path(sys.executable).parent / "stacml"), "convert", str(SPECS / WHU), "--to", "mlm",
                          "--report", str(tmp_path / "report.json")], capture_output=True, timeout=120, text=True)
    assert run.returncode == 0, run.stderr
    out, report = json.loads(run.stdout), json.loads((tmp_path / "report.json").read_text())
    assert out["mlm:tasks"] == ["detection"]
    assert out["mlm:output"][0]["classification:classes"][0]["name"] == "building"
    assert out["mlm:input"][0]["bands"] == ["band1", "band2", "band3"]
    reported = {l["pointer"] for l in report["losses"]}
    assert {f"/properties/{k}" for k in load_spec(WHU)["properties"] if k.startswith("tdml:")} <= reported


def test_dota_item_label_class_variant_reaches_mlm_values_and_names():
    doc = load_spec(DOTA_ITEM)
    result = translate(doc, to="mlm", fill_required=True)
    (output,) = result.document["properties"]["mlm:output"]
    assert [(c["value"], c["name"]) for c in output["classification:classes"]] == \
        [(1, "Small Vehicle"), (2, "Large Vehicle"), (3, "Plane")]
    assert output["tasks"] == ["object-detection"]
    codes = {(f.pointer, f.code) for f in result.report.findings}
    assert ("/properties/label:class", "variant") in codes and ("/properties/label:class", "normalised") in codes
    assert "label:class" not in result.document["properties"]


def test_label_classes_in_the_label_extension_form():
    doc = copy.deepcopy(load_spec(DOTA_ITEM))
    del doc["properties"]["label:class"]
    doc["properties"]["label:classes"] = [{"name": "landcover", "classes": ["water", "forest"]}]
    result = translate(doc, to="mlm", fill_required=True)
    (output,) = result.document["properties"]["mlm:output"]
    assert output["name"] == "landcover"
    assert output["classification:classes"] == [{"value": 0, "name": "water", "description": "water"},
                                                 {"value": 1, "name": "forest", "description": "forest"}]
    (assumed,) = [l for l in result.report.losses if l.pointer == "/properties/label:classes"]
    assert assumed.kind == "assumed" and "positions" in assumed.reason
    assert same(translate(result.document, to="tdml", restore=result.report).document, doc)
    # numbers only: the names are the values
    doc["properties"]["label:classes"] = [{"classes": [3, 7]}]
    out = translate(doc, to="mlm", fill_required=True).document
    assert out["properties"]["mlm:output"][0]["classification:classes"] == [
        {"value": 3, "name": "3", "description": "3"}, {"value": 7, "name": "7", "description": "7"}]


def test_mlm_classes_and_bands_to_tdml():
    doc = load_spec("mlm/1.5.2/examples/item_pytorch_geo_unet.json")
    result = translate(doc, to="tdml")
    props = result.document["properties"]
    assert props["label:classes"] == [{"name": "model_output", "classes": ["class_0", "class_1"]}]
    assert props["label:tasks"] == ["segmentation"]  # semantic-segmentation, in the label extension's names
    # the input lists B4, B3, B2, B8 twice (two dates): each band is described once
    assert doc["properties"]["mlm:input"][0]["bands"] == ["B4", "B3", "B2", "B8"] * 2
    assert props["eo:bands"] == [{"name": "B4"}, {"name": "B3"}, {"name": "B2"}, {"name": "B8"}]
    # the eo URI for the bands; not the label URI: a label Item needs label:type, label:properties, ...
    assert "https://stac-extensions.github.io/eo/v1.1.0/schema.json" in result.document["stac_extensions"]
    assert "https://stac-extensions.github.io/label/v1.0.1/schema.json" not in result.document["stac_extensions"]
    # each part of the input and output that is not carried, at its own place (not the whole field)
    lost = {l.pointer: l for l in result.report.losses if l.pointer.startswith(("/properties/mlm:input",
                                                                                  "/properties/mlm:output"))}
    assert lost["/properties/mlm:output/0/classification:classes"].kind == "lossy"
    assert "descriptions (2)" in lost["/properties/mlm:output/0/classification:classes"].reason
    assert lost["/properties/mlm:input/0/bands"].kind == "lossy"  # the repeated names come back once
    assert "each name once" in lost["/properties/mlm:input/0/bands"].reason
    source = doc["properties"]
    for part in ("input", "name", "value_scaling"):
        assert lost[f"/properties/mlm:input/0/{part}"].kind == "dropped"
        assert lost[f"/properties/mlm:input/0/{part}"].value == source["mlm:input"][0][part]
    assert lost["/properties/mlm:output/0/result"].value == source["mlm:output"][0]["result"]
    assert not {"/properties/mlm:input", "/properties/mlm:output", "/properties/mlm:output/0/name"} & set(lost)
    # the output's tasks read back as the dataset's, in the label extension's generic names
    assert lost["/properties/mlm:output/0/tasks"].kind == "lossy"
    assert lost["/properties/mlm:output/0/tasks"].reason.endswith("label:tasks ['segmentation']")
    targets = {f.target for f in result.report.findings}
    assert {"/properties/label:classes", "/properties/eo:bands"} <= targets
    assert translate(result.document, to="mlm", restore=result.report).document == doc
    # and back without restore (read as tdml: the example keeps an mlm: key at its root, which
    # would make detection read it as MLM): the class names and values (positions 0, 1) come back
    plain = translate(result.document, to="mlm", source="tdml").document["properties"]["mlm:output"][0]
    assert [(c["value"], c["name"]) for c in plain["classification:classes"]] == [(0, "class_0"), (1, "class_1")]


def test_model_inputs_and_outputs_to_tdml_are_reported_part_by_part():
    """Of several inputs only the band names are carried: what is lost is reported at its own
    place, the carried parts not at all. Outputs whose classes are spelled classification_classes
    read back under classification:classes: they are reported as a whole."""
    doc = load_spec("mlm/1.5.2/examples/item_multi_io.json")
    result = translate(doc, to="tdml")
    props = result.document["properties"]
    assert [e.message for e in jsonschema_rs.validator_for(PROJECT_TDML).iter_errors(result.document)] == []
    assert [b["name"] for b in props["eo:bands"]] == ["B04", "B03", "B02", "B08"]
    assert [g["name"] for g in props["label:classes"]] == [o["name"] for o in doc["properties"]["mlm:output"]]
    lost = {l.pointer: l for l in result.report.losses if "/mlm:input" in l.pointer or "/mlm:output" in l.pointer}
    source = doc["properties"]
    assert lost["/properties/mlm:input/2"].kind == "dropped"  # the DEM input has no bands
    assert lost["/properties/mlm:input/2"].value == source["mlm:input"][2]
    for i in (0, 1):  # two band lists become one (read back as one input)
        assert lost[f"/properties/mlm:input/{i}/bands"].kind == "lossy"
        assert lost[f"/properties/mlm:input/{i}/input"].value == source["mlm:input"][i]["input"]
    assert "/properties/mlm:input" not in lost
    assert lost["/properties/mlm:output"].kind == "lossy" and "color_hint (4)" in lost["/properties/mlm:output"].reason
    assert translate(result.document, to="mlm", restore=result.report).document == doc


def test_dataset_classes_to_dlm_and_dlm_classes_to_tdml():
    out = translate(load_spec(DOTA_ITEM), to="dlm", fill_required=True).document["properties"]["dlm:outputs"]
    assert out["class_name_mapping"] == {"1": "Small Vehicle", "2": "Large Vehicle", "3": "Plane"}
    assert out["task"] == "object detection"
    model = jsonio.load(SPECS / "dlm/1.0.0-beta.3/examples/item.json", lenient=True)[0]
    result = translate(model, to="tdml")
    assert result.document["properties"]["label:classes"] == [{"name": "semantic segmentation", "classes": [
        "dontcare", "Bare Exposed Rock", "High density Residential", "Cropland", "Mixed Forest Land", "Lake"]}]
    lost = {l.pointer: l for l in result.report.losses}
    assert "/properties/dlm:outputs" not in lost  # reported part by part (test_dlm_parts_to_tdml.py)
    assert lost["/properties/dlm:outputs/dont_care_index"].kind == "dropped"
    assert "nodata (1)" in lost["/properties/dlm:outputs/dont_care_index"].reason
    assert same(translate(result.document, to="dlm", restore=result.report).document, model)


def test_class_values_that_are_not_positions_are_reported():
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_pytorch_geo_unet.json"))
    doc["properties"]["mlm:output"][0]["classification:classes"] = [
        {"value": 5, "name": "water", "description": "water"}, {"value": 9, "name": "forest", "description": "forest"}]
    result = translate(doc, to="tdml")
    assert result.document["properties"]["label:classes"] == [{"name": "model_output", "classes": ["water", "forest"]}]
    (loss,) = [l for l in result.report.losses if l.pointer == "/properties/mlm:output/0/classification:classes"]
    assert "values other than the position (2)" in loss.reason and "descriptions" not in loss.reason


def test_existing_band_descriptions_are_kept_and_not_duplicated():
    doc = load_spec("mlm/1.0.0/examples/item_eo_bands.json")
    result = translate(doc, to="tdml")
    assert result.document["properties"]["eo:bands"] == doc["properties"]["eo:bands"]


def test_model_input_parts_are_reported_where_the_document_already_has_band_names():
    """A document that already lists bands keeps them as they are: the model input's parts are
    reported at their own places, its bands as what the way back reads from the kept list (not
    the whole field, and not as carried when the kept names are others)."""
    from laws import run_laws
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_eo_bands.json"))
    source = doc["properties"]["mlm:input"][0]
    names = [b["name"] if type(b) is dict else b for b in source["bands"]]
    for kept, carried in (([{"name": "B02"}, {"name": "B03"}], False), ([{"name": n} for n in names], True)):
        doc["properties"]["eo:bands"] = kept
        result = translate(doc, to="tdml")
        assert result.document["properties"]["eo:bands"] == kept
        lost = {l.pointer: l for l in result.report.losses if l.pointer.startswith("/properties/mlm:input")}
        assert "/properties/mlm:input" not in lost
        assert lost["/properties/mlm:input/0/input"].value == source["input"]
        assert ("already there" in lost["/properties/mlm:input/0/input"].reason) is carried
        if not carried:
            bands = lost["/properties/mlm:input/0/bands"]
            assert bands.kind == "lossy" and bands.value == source["bands"] and "['B02', 'B03']" in bands.reason
        else:
            assert "/properties/mlm:input/0/bands" not in lost
        assert translate(result.document, to="mlm", restore=result.report).document == doc
        run_laws(doc, "tdml")


def test_scientific_fields_travel_unchanged_in_both_directions():
    model = load_spec("ml-model/1.0.0/examples/cyclone-wind-speed/item.json")
    sci = {k: v for k, v in model["properties"].items() if k.startswith("sci:")}
    assert set(sci) == {"sci:doi", "sci:citation", "sci:publications"}
    to_tdml = translate(model, to="tdml").document["properties"]
    assert {k: to_tdml[k] for k in sci} == sci
    dataset = load_spec(WHU)
    to_mlm = translate(dataset, to="mlm")
    assert to_mlm.document["properties"]["sci:doi"] == dataset["properties"]["sci:doi"]
    assert not any(l.pointer.startswith("/properties/sci:") for l in to_mlm.report.losses)


# -- README and schema spellings -------------------------------------------------------------------

VARIANTS = {
    "tdml:amount_of_training_data": 1869.0,
    "tdml:image_size": "[[800, 800], [4000, 4000]]",
    "tdml:metrics_in_LIT": {"doi": "10.5281/zenodo.3983579", "algotithm": "YOLOV5",
                            "metrics": [{"name": "AP50", "value": "66.1"}, {"name": "AR10", "value": "54"}]},
    "tdml:scope": {"level": "dataset", "levelDescription": {"dataset": "DOTA_v1.5"}},
    "tdml:quality": {"type": "DataQuality", "scope": {"level": "dataset", "levelDescription": {"dataset": "d"}},
                     "report": [{"type": "FormatConsistency", "measure": "m", "evaluationMethod": "e",
                                 "result": "0"}]},
    "tdml:provenance": {"labeling_tools": "ArcGIS 10.1", "labeling_methods": "manual",
                        "labeler_name": "demo_name", "scope": {"level": "dataset",
                                                               "levelDescription": {"dataset": "DOTA_v1.5"}}},
}
README = {
    "tdml:amount_of_training_data": 1869,
    "tdml:image_sizes": [[800, 800], [4000, 4000]],
    "tdml:metrics_in_LIT": [{"doi": "10.5281/zenodo.3983579", "algorithm": "YOLOV5",
                             "metrics": [{"name": "AP50", "value": 66.1}, {"name": "AR10", "value": 54}]}],
    "tdml:scope": {"level": "dataset", "level_description": {"dataset": "DOTA_v1.5"}},
    "tdml:quality": {"type": "DataQuality", "scope": {"level": "dataset", "level_description": {"dataset": "d"}},
                     "report": [{"type": "FormatConsistency", "measure": "m", "evaluation_method": "e",
                                 "result": "0"}]},
    "tdml:provenance": {"labeling_tools": ["ArcGIS 10.1"], "labeling_methods": ["manual"],
                        "labeler_names": ["demo_name"], "scope": {"level": "dataset",
                                                                  "level_description": {"dataset": "DOTA_v1.5"}}},
}


def _variant_item() -> dict:
    doc = copy.deepcopy(load_spec(DOTA_ITEM))
    doc["properties"].update(copy.deepcopy(VARIANTS))
    return doc


def test_schema_spellings_are_findings_and_the_identity_keeps_them():
    doc = _variant_item()
    result = translate(doc, to="tdml")
    assert same(result.document, doc) and result.report.losses == []
    variants = {f.pointer for f in result.report.findings if f.code == "variant"}
    assert {"/properties/tdml:amount_of_training_data", "/properties/tdml:image_size",
            "/properties/tdml:metrics_in_LIT", "/properties/tdml:metrics_in_LIT/algotithm",
            "/properties/tdml:metrics_in_LIT/metrics/0/value", "/properties/tdml:metrics_in_LIT/metrics/1/value",
            "/properties/tdml:scope/levelDescription", "/properties/tdml:quality/scope/levelDescription",
            "/properties/tdml:quality/report/0/evaluationMethod", "/properties/tdml:provenance/labeler_name",
            "/properties/tdml:provenance/labeling_tools", "/properties/tdml:provenance/labeling_methods",
            "/properties/tdml:provenance/scope/levelDescription"} <= variants


def test_a_repairing_write_gives_the_readme_spelling_valid_for_the_project_schema():
    doc = _variant_item()
    result = translate(doc, to="tdml", fill_required=True)
    props = result.document["properties"]
    assert {k: v for k, v in props.items() if k.startswith("tdml:")} == README
    errors = [e.message for e in jsonschema_rs.validator_for(PROJECT_TDML).iter_errors(result.document)]
    assert errors == []
    # the same document read as it was written: nothing left to normalise
    again = translate(result.document, to="tdml")
    assert not [f for f in again.report.findings if f.code == "variant" and f.pointer.startswith("/properties/tdml:")]


def test_a_repairing_write_puts_collection_fields_at_the_top_level():
    doc = load_spec(WHU)
    result = translate(doc, to="tdml", fill_required=True)
    out = result.document
    assert "properties" not in out and result.report.losses == []
    errors = [e.message for e in jsonschema_rs.validator_for(PROJECT_TDML).iter_errors(out)]
    assert errors == []
    assert out["label:classes"] == doc["properties"]["label:classes"] and out["sci:doi"] == doc["properties"]["sci:doi"]
    assert out["tdml:image_sizes"] == [[32508], [15354]]
    moved = {(f.pointer, f.target) for f in result.report.findings if f.code == "moved"}
    assert ("/properties/tdml:image_size", "/tdml:image_sizes") in moved
    assert len(moved) == len(doc["properties"])
    assert same(translate(doc, to="tdml").document, doc)  # without repair: the identity


@pytest.mark.parametrize("target", ["mlm", "ml-model", "dlm"])
def test_schema_spellings_round_trip_through_the_model_extensions(target):
    doc = _variant_item()
    result = translate(doc, to=target, fill_required=True)
    assert {l.pointer for l in result.report.losses} >= {f"/properties/{k}" for k in VARIANTS}
    assert same(translate(result.document, to="tdml", restore=result.report).document, doc)


def test_the_bridge_fills_the_classes_the_model_lacks():
    model = load_spec("ml-model/1.0.0/examples/dummy/item.json")
    result = translate(model, to="mlm", fill_required=True, training_data=[(load_spec(WHU), "whu.json")])
    (output,) = result.document["properties"]["mlm:output"]
    assert output["classification:classes"] == [{"value": 1, "name": "building", "description": "building"}]
    assert any(l.rule == "bridge" and l.kind == "assumed" and "classes" in l.reason for l in result.report.losses)
    link = [l for l in result.document["links"] if l["rel"] == "derived_from"]
    assert link and link[0]["ml-aoi:split"] == "train"


def test_what_is_not_readable_stays_in_the_document():
    doc = copy.deepcopy(load_spec(DOTA_ITEM))
    doc["properties"]["label:class"] = "vehicles"
    doc["properties"]["label:tasks"] = 3
    doc["properties"]["eo:bands"] = [{"common_name": "red"}]
    result = translate(doc, to="mlm")
    props = result.document["properties"]
    assert props["label:class"] == "vehicles" and props["eo:bands"] == [{"common_name": "red"}]
    assert "mlm:output" not in props and "mlm:input" not in props
    codes = {(f.pointer, f.code) for f in result.report.findings}
    assert {("/properties/label:class", "not-read"), ("/properties/eo:bands", "not-read")} <= codes
    (tasks,) = [l for l in result.report.losses if l.pointer == "/properties/label:tasks"]
    assert tasks.kind == "dropped" and tasks.value == 3
    assert same(translate(result.document, to="tdml", restore=result.report).document, doc)
    assert same(translate(doc, to="tdml").document, doc)


def test_band_names_are_not_written_where_eo_forbids_them():
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_multi_io.json"))
    assert not any("eo:bands" in a for a in doc["assets"].values())  # raster:bands only
    plain = translate(doc, to="tdml").document["properties"]
    assert [b["name"] for b in plain["eo:bands"]] == ["B04", "B03", "B02", "B08"]  # eo not declared: written
    doc["stac_extensions"].append("https://stac-extensions.github.io/eo/v1.1.0/schema.json")
    result = translate(doc, to="tdml")
    assert "eo:bands" not in result.document["properties"]
    (loss,) = [l for l in result.report.losses if l.pointer == "/properties/mlm:input"]
    assert loss.kind == "dropped" and "asset eo:bands" in loss.reason
    assert extension_errors(result.document, "https://stac-extensions.github.io/eo/v1.1.0/schema.json") == []


def _stac_1_1_core_errors(doc: dict) -> list[str]:
    """Errors of the official STAC 1.1.0 Item schema (the copy pystac ships) alone."""
    import pystac.validation
    try:
        pystac.validation.validate_dict({**doc, "stac_extensions": []}, pystac.STACObjectType.ITEM, "1.1.0")
    except pystac.errors.STACValidationError as exc:
        return [str(exc)]
    return []


def test_a_stac_1_1_document_gets_its_band_names_in_common_metadata():
    """STAC 1.1 lists bands in common metadata, and its Item schema accepts Item-level bands only
    when an asset has bands too; eo 2.0 has no eo:bands."""
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_multi_io.json"))
    doc["stac_version"] = "1.1.0"
    doc["stac_extensions"].append("https://stac-extensions.github.io/eo/v2.0.0/schema.json")
    assert not any("bands" in a for a in doc["assets"].values())  # raster:bands only
    result = translate(doc, to="tdml")
    props = result.document["properties"]
    assert "eo:bands" not in props and "bands" not in props
    (loss,) = [l for l in result.report.losses if l.pointer == "/properties/mlm:input"]
    assert loss.kind == "dropped" and "STAC 1.1 accepts Item bands only next to asset bands" in loss.reason
    assert _stac_1_1_core_errors(result.document) == []
    assert translate(result.document, to="mlm", restore=result.report).document == doc

    doc["assets"]["weights"]["bands"] = [{"name": n} for n in ("B04", "B03", "B02", "B08")]
    result = translate(doc, to="tdml")
    props = result.document["properties"]
    assert [b["name"] for b in props["bands"]] == ["B04", "B03", "B02", "B08"]
    (loss,) = [l for l in result.report.losses if l.pointer == "/properties/mlm:input/0/input"]
    assert loss.kind == "dropped" and "(in bands)" in loss.reason
    assert "/properties/mlm:input" not in {l.pointer for l in result.report.losses}
    assert _stac_1_1_core_errors(result.document) == []
    assert translate(result.document, to="mlm", restore=result.report).document == doc
    back = translate(result.document, to="mlm").document["properties"]["mlm:input"]
    assert back[0]["bands"] == ["B04", "B03", "B02", "B08"]


def test_tasks_are_written_as_the_label_extensions_array():
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_basic.json"))
    doc["properties"]["mlm:tasks"] = ["semantic-segmentation", "instance-segmentation", "classification"]
    result = translate(doc, to="tdml")
    assert result.document["properties"]["label:tasks"] == ["segmentation", "classification"]
    (loss,) = [l for l in result.report.losses if l.pointer == "/properties/mlm:tasks"]
    assert loss.kind == "lossy" and "instance-segmentation" in loss.reason
    assert translate(result.document, to="mlm", restore=result.report).document == doc
    # a dataset's single task string: a finding; a repairing write gives the array
    whu = load_spec(WHU)
    assert ("/properties/label:tasks", "variant") in {(f.pointer, f.code) for f in translate(whu, to="mlm").report.findings}
    assert translate(whu, to="tdml", fill_required=True).document["label:tasks"] == ["detection"]


def test_a_collection_s_tasks_summary_is_read_and_written_as_a_summary():
    """The label extension lets a Collection summarise label:tasks; each model table that has
    summaries writes it as its own tasks summary, and the way back gives the label summary."""
    whu = copy.deepcopy(load_spec(WHU))
    del whu["properties"]["label:tasks"]
    whu["summaries"]["label:tasks"] = ["Change Detection", "segmentation"]
    to_mlm = translate(whu, to="mlm")
    assert to_mlm.document["summaries"]["mlm:tasks"] == ["detection", "segmentation"]
    assert not any(l.pointer.startswith("/summaries/label:tasks") and l.kind in ("dropped", "unknown")
                   for l in to_mlm.report.losses)
    to_ml_model = translate(whu, to="ml-model")
    assert to_ml_model.document["summaries"]["ml-model:prediction_type"] == ["object-detection", "segmentation"]
    back = translate(to_mlm.document, to="tdml")
    assert back.document["summaries"]["label:tasks"] == ["detection", "segmentation"]
    assert translate(to_mlm.document, to="tdml", restore=to_mlm.report).document == whu
    # a model trained on such a dataset, without tasks of its own, takes them from the summary
    model = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_basic.json"))
    del model["properties"]["mlm:tasks"]
    out = translate(model, to="mlm", training_data=[(whu, "whu.json")]).document
    assert out["properties"]["mlm:tasks"] == ["detection", "segmentation"]


def test_a_link_tdml_cannot_hold_is_reported_in_words_the_source_uses():
    """The MLM training-data link (derived_from + ml-aoi:split train) has no tdml relation: the
    reason says what the link is, not only the pivot's name for it."""
    doc = load_spec("mlm/1.5.2/examples/item_multi_io.json")
    index = next(i for i, l in enumerate(doc["links"]) if l.get("ml-aoi:split") == "train")
    loss = next(l for l in translate(doc, to="tdml").report.losses if l.pointer == f"/links/{index}")
    assert loss.kind == "dropped" and loss.value == doc["links"][index]
    assert loss.reason == ("tdml 1.0.0 has no link relation for the dataset the model was trained on "
                           "(pivot link 'data:train')")


def test_a_guess_about_a_model_input_the_target_does_not_write_is_not_reported():
    """tdml band names are read as a model input whose shape and type are assumed; ml-model has
    no input (the band list stays where it is), so there is no guess to report; MLM keeps it."""
    doc = copy.deepcopy(load_spec("tdml/1.0.0/examples/WHU-building_Dataset/item.json"))
    doc["properties"]["eo:bands"] = [{"name": "red"}, {"name": "green"}, {"name": "blue"}]
    assumed = lambda to: [l for l in translate(doc, to=to).report.losses if l.pointer == "/properties/eo:bands"]
    assert assumed("ml-model") == []
    assert [l.kind for l in assumed("mlm")] == ["assumed"]
