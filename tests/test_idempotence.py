"""Converting twice changes nothing: a repairing translation of an output to its own extension and
version gives it back (docs/catalog.md: an --in-place rerun finds the converted files unchanged)."""
from __future__ import annotations

import json

import pytest

from conftest import SAMPLES, SPECS, load_spec, spec_files
from test_cli_convert_catalog import stacml
from translator import default_tables, jsonio, translate

TABLES = default_tables()
# every official example that uses its extension (the DLM collections carry no DLM field) and is JSON
# (DOTA's collection is not, even leniently)
EXAMPLES = [rel for pattern in ("ml-model/*/examples/**/*.json", "mlm/*/examples/**/*.json",
                                "dlm/*/examples/**/*.json", "tdml/*/examples/**/*.json")
            for rel in spec_files(pattern) if "DOTA-1.5_Dataset/collection" not in rel
            and not (rel.startswith("dlm/") and "collection" in rel)]
RASTER_URI = "https://stac-extensions.github.io/raster/v1.1.0/schema.json"
ML_AOI_URI = "https://stac-extensions.github.io/ml-aoi/v0.2.0/schema.json"


def converted_twice(doc: dict, to: str, version: str | None = None) -> tuple[dict, dict]:
    first = translate(doc, to=to, version=version, fill_required=True).document
    return first, translate(first, to=to, version=version, fill_required=True).document


@pytest.mark.parametrize("rel", EXAMPLES)
def test_converting_an_official_example_twice_changes_nothing(rel):
    doc = jsonio.load(SPECS / rel, lenient=True)[0]
    for target in TABLES.names():
        for version in TABLES[target].versions:
            first, again = converted_twice(doc, target, version)
            assert json.dumps(again) == json.dumps(first), (target, version)  # key order included


def ml_model_item() -> dict:
    return json.loads((SAMPLES / "ml-model-item.json").read_text())


def test_raster_bands_carried_onto_the_model_asset_are_declared_at_once():
    # the checkpoint becomes the model asset; MLM reads its raster:bands as the bands of the input data
    doc = ml_model_item()
    doc["assets"]["checkpoint"]["raster:bands"] = [{"data_type": "float32", "nodata": 0}]
    first, again = converted_twice(doc, "mlm")
    assert "mlm:model" in first["assets"]["checkpoint"]["roles"]
    assert first["assets"]["checkpoint"]["raster:bands"] == [{"data_type": "float32", "nodata": 0}]
    assert RASTER_URI in first["stac_extensions"]
    assert again == first


def test_a_carried_training_data_link_declares_ml_aoi_at_once():
    # a derived_from link with ml-aoi:split that ml-model does not read: MLM reads it as training data
    doc = ml_model_item()
    doc["links"] = [{"rel": "derived_from", "href": "https://example.org/train.json", "ml-aoi:split": "train"}]
    first, again = converted_twice(doc, "mlm")
    assert ML_AOI_URI in first["stac_extensions"]
    assert again == first


def test_in_place_rerun_leaves_the_converted_file_unchanged(tmp_path):
    doc = ml_model_item()
    doc["assets"]["checkpoint"]["raster:bands"] = [{"data_type": "float32", "nodata": 0}]
    (tmp_path / "item.json").write_text(json.dumps(doc))
    run = stacml("convert", tmp_path, "--to", "mlm", "--in-place", "--fill-required", "-q")
    assert run.returncode == 0, run.stderr
    converted = (tmp_path / "item.json").read_bytes()
    run = stacml("convert", tmp_path, "--to", "mlm", "--in-place", "--fill-required")
    assert run.returncode == 0, run.stderr
    assert b"1 unchanged" in run.stderr
    assert (tmp_path / "item.json").read_bytes() == converted


def test_a_repair_to_tdml_keeps_every_task():
    # label:tasks is an array (the label extension): a translation to tdml writes every task, and a
    # repair of that output wrote only the first
    doc = load_spec("tdml/1.0.0/examples/WHU-building_Dataset/item.json")
    doc["properties"]["label:tasks"] = ["Change Detection", "Classification"]
    result = translate(doc, to="tdml", fill_required=True)
    assert result.document["properties"]["label:tasks"] == ["detection", "classification"]
    assert [l for l in result.report.losses if "label:tasks" in l.pointer] == []


def test_a_collection_written_as_dlm_beta2_has_the_beta2_class_list_in_its_summary():
    # a Collection's DLM objects are one-value summaries: they get beta2's spelling too (a repair of
    # the output wrote it, so converting twice changed the document)
    doc = load_spec("tdml/1.0.0/examples/WHU-building_Dataset/collection.json")
    result = translate(doc, to="dlm", version="1.0.0-beta2", fill_required=True)
    (outputs,) = result.document["summaries"]["dlm:outputs"]
    assert outputs["class_name_mapping"] == [{"index": 1, "class_name": "building"}]
    (finding,) = [f for f in result.report.findings if f.code == "written-form"]
    assert finding.target == "/summaries/dlm:outputs/0/class_name_mapping"
