"""DLM's description of the input data (dlm:data data type, nodata, band count) <-> the pivot's
data_bands <-> raster:bands of MLM's model asset."""
from __future__ import annotations

import copy

import pytest

from conftest import SPECS, extension_errors, load_spec, schema_issues
from translator import default_tables, jsonio, translate
from translator.residue import same

MLM_152 = "https://stac-extensions.github.io/mlm/v1.5.2/schema.json"
RASTER = "https://stac-extensions.github.io/raster/v1.1.0/schema.json"
BETA3 = "dlm/1.0.0-beta.3/examples/item.json"


def beta3() -> dict:
    return jsonio.load(SPECS / BETA3, lenient=True)[0]


def dlm_item(data: dict, **inputs) -> dict:
    """A small DLM beta.3 Item whose model archive is the mlm:model asset in MLM."""
    return {
        "type": "Feature", "stac_version": "1.0.0", "id": "unet",
        "stac_extensions": ["https://schemas.stacspec.org/v1.0.0-beta.3/extensions/dl-model/json-schema/schema.json"],
        "geometry": None, "links": [],
        "properties": {
            "datetime": "2024-01-01T00:00:00Z",
            "dlm:inputs": {"name": "data", "input_tensors": {"batch": 1, "dim": 3, "height": 64, "width": 64},
                           **inputs},
            "dlm:outputs": {"task": ["semantic segmentation"], "number_of_classes": 2,
                            "final_layer_size": [1, 2, 64, 64]},
            "dlm:architecture": {"type": "UNet", "total_nb_parameters": 1000, "pretrained": None},
            "dlm:runtime": {"framework": "PyTorch", "version": "2.1.0"},
            "dlm:data": data,
        },
        "assets": {"model": {"href": "model.pt", "type": "application/octet-stream", "roles": ["model artefact"]}},
    }


def mlm_item(bands: list) -> dict:
    doc = load_spec("mlm/1.5.2/examples/item_raster_bands.json")
    doc["assets"]["weights"]["raster:bands"] = bands
    return doc


def ml_issues(doc: dict) -> list:
    """Schema errors of the ML and raster extension schemas (the inputs' own core-STAC quirks aside)."""
    return [i for i in schema_issues(doc) if "/mlm" in i.schema or "/raster/" in i.schema]


def losses_at(report, prefix: str) -> list:
    return [l for l in report.losses if l.pointer.startswith(prefix)]


# --- DLM -> MLM -------------------------------------------------------------------------

def test_beta3_example_puts_its_data_type_nodata_and_band_count_on_the_model_asset():
    doc = beta3()
    result = translate(doc, to="mlm", fill_required=True)
    out = result.document
    assert out["assets"]["model_archive"]["raster:bands"] == [{"data_type": "uint16", "nodata": 0}] * 4
    assert RASTER in out["stac_extensions"]
    assert "dlm:data" not in out["properties"]
    assert extension_errors(out, MLM_152) == [] and extension_errors(out, RASTER) == []
    assert ml_issues(out) == []


def test_beta3_report_lists_the_test_file_but_no_longer_the_carried_fields():
    report = translate(beta3(), to="mlm", fill_required=True).report
    dropped = {l.pointer: l.value for l in report.losses}
    for key in ("dtype", "nodata_value", "number_of_bands"):
        assert not any(p.startswith(f"/properties/dlm:data/{key}") for p in dropped), key
        assert not any(type(v) is dict and key in v for v in dropped.values()), key
    assert dropped["/properties/dlm:data/test_file"] == "input_test.tif"
    variants = {f.pointer for f in report.findings if f.code == "variant"}
    assert {"/properties/dlm:data/dtype", "/properties/dlm:data/nodata_value"} <= variants


def test_beta3_round_trip_through_mlm_is_exact_with_restore_and_plain_back_writes_beta3_keys():
    doc = beta3()
    frozen = copy.deepcopy(doc)
    result = translate(doc, to="mlm", fill_required=True)
    assert same(translate(result.document, to="dlm", restore=result.report).document, frozen)
    plain = translate(result.document, to="dlm").document["properties"]["dlm:data"]
    assert (plain["data_type"], plain["nodata"], plain["number_of_bands"]) == ("uint16", 0, 4)
    assert "dtype" not in plain and "nodata_value" not in plain
    assert same(doc, frozen)


def test_named_bands_describe_the_input_for_every_mlm_version():
    doc = dlm_item({"data_type": "short", "nodata": -9999, "number_of_bands": 3,
                    "useful_bands": [{"index": 2, "name": "nir"}, {"index": 0, "name": "red"},
                                     {"index": 1, "name": "green"}]})
    expected = [{"name": n, "data_type": "int16", "nodata": -9999} for n in ("red", "green", "nir")]
    for version in default_tables()["mlm"].versions:
        result = translate(doc, to="mlm", version=version, fill_required=True)
        model = result.document["assets"]["model"]
        assert model["raster:bands"] == expected, version
        assert ml_issues(result.document) == [], (version, ml_issues(result.document))
        if version >= "1.3.0":  # the named raster:bands are the band description MLM checks
            assert "eo:bands" not in model, version
            problems = translate(doc, to="mlm", version=version).report.problems
            assert not [p for p in problems if "bands" in p], (version, problems)
    normalised = [f for f in translate(doc, to="mlm").report.findings if f.code == "normalised"]
    assert [f.pointer for f in normalised] == ["/properties/dlm:data/data_type"]


def test_unnamed_bands_do_not_count_as_the_description_of_named_input_bands():
    doc = dlm_item({"data_type": "uint8", "number_of_bands": 4,
                    "useful_bands": [{"index": 1, "name": "red"}, {"index": 2, "name": "green"},
                                     {"index": 3, "name": "blue"}]})
    plain = translate(doc, to="mlm")
    assert plain.document["assets"]["model"]["raster:bands"] == [{"data_type": "uint8"}] * 4
    assert any("eo:bands" in p for p in plain.report.problems)  # indices 1..3 of 4 bands: no names guessed
    filled = translate(doc, to="mlm", fill_required=True).document
    assert filled["assets"]["model"]["eo:bands"] == [{"name": "red"}, {"name": "green"}, {"name": "blue"}]
    assert ml_issues(filled) == []


def test_without_a_band_count_the_bands_are_the_inputs_channels():
    doc = dlm_item({"nodata": 255})
    result = translate(doc, to="mlm", fill_required=True)
    assert result.document["assets"]["model"]["raster:bands"] == [{"nodata": 255}] * 3
    assert any(f.code == "band-count-assumed" for f in result.report.findings)
    back = translate(result.document, to="dlm")
    assert back.document["properties"]["dlm:data"] == {"nodata": 255, "number_of_bands": 3}
    assert "/properties/dlm:data/number_of_bands" in {f.target for f in back.report.findings}


@pytest.mark.parametrize("dtype,why", [("float128", "no raster data type"), ("byte", "int8 in numpy")])
def test_a_data_type_raster_cannot_say_is_reported_and_nodata_still_carried(dtype, why):
    doc = dlm_item({"dtype": dtype, "nodata_value": 0, "number_of_bands": 3, "test_file": "x.tif"})
    result = translate(doc, to="mlm", fill_required=True)
    assert result.document["assets"]["model"]["raster:bands"] == [{"nodata": 0}] * 3
    lost = {l.pointer: l for l in result.report.losses}
    assert lost["/properties/dlm:data/dtype"].value == dtype and why in lost["/properties/dlm:data/dtype"].reason
    assert lost["/properties/dlm:data/test_file"].value == "x.tif"
    assert same(translate(result.document, to="dlm", restore=result.report).document, doc)


def test_a_band_count_alone_stays_reported():
    doc = dlm_item({"number_of_bands": 3})
    result = translate(doc, to="mlm", fill_required=True)
    assert "raster:bands" not in result.document["assets"]["model"]
    assert {l.pointer: l.value for l in result.report.losses}["/properties/dlm:data"] == {"number_of_bands": 3}


def test_agreeing_raster_bands_of_the_model_asset_are_completed_and_disagreeing_ones_kept():
    doc = dlm_item({"data_type": "uint8", "nodata": 0, "number_of_bands": 2})
    doc["assets"]["model"]["raster:bands"] = [{"name": "a", "data_type": "uint8"}, {"name": "b"}]
    result = translate(doc, to="mlm", fill_required=True)
    assert result.document["assets"]["model"]["raster:bands"] == [
        {"name": "a", "data_type": "uint8", "nodata": 0}, {"name": "b", "data_type": "uint8", "nodata": 0}]
    assert any(f.code == "raster-bands-completed" for f in result.report.findings)
    doc["assets"]["model"]["raster:bands"] = [{"name": "a", "data_type": "float32"}, {"name": "b"}]
    result = translate(doc, to="mlm", fill_required=True)
    assert result.document["assets"]["model"]["raster:bands"] == doc["assets"]["model"]["raster:bands"]
    lost = losses_at(result.report, "/properties/dlm:data/")
    assert {l.pointer for l in lost} == {"/properties/dlm:data/data_type", "/properties/dlm:data/nodata",
                                         "/properties/dlm:data/number_of_bands"}
    assert all("do not agree" in l.reason for l in lost)
    assert same(translate(result.document, to="dlm", restore=result.report).document, doc)


# --- DLM -> ml-model, tdml, DLM -----------------------------------------------------------

@pytest.mark.parametrize("target", ["ml-model", "tdml"])
def test_targets_without_a_model_asset_report_each_part_as_dropped(target):
    result = translate(beta3(), to=target)
    lost = {l.pointer: l for l in result.report.losses if l.rule == "data-bands"}
    assert {p: l.value for p, l in lost.items()} == {"/properties/dlm:data/dtype": "uint16",
                                                     "/properties/dlm:data/nodata_value": 0,
                                                     "/properties/dlm:data/number_of_bands": 4}
    assert all(l.kind == "dropped" and "no place for the bands of the input data" in l.reason for l in lost.values())


def test_dlm_to_dlm_is_unchanged():
    doc = beta3()
    same_version = translate(doc, to="dlm", version="1.0.0-beta.3")
    assert same_version.document == doc and same_version.report.losses == []
    other = translate(doc, to="dlm", version="1.0.0-beta2").document["properties"]["dlm:data"]
    source = doc["properties"]["dlm:data"]
    assert {k: v for k, v in other.items() if k not in ("dtype", "data_type", "nodata_value", "nodata")} == \
        {k: v for k, v in source.items() if k not in ("dtype", "nodata_value")}  # carried as it was
    assert other.get("dtype", other.get("data_type")) == "uint16" and other.get("nodata_value", other.get("nodata")) == 0


# --- MLM -> DLM, ml-model, MLM ------------------------------------------------------------

def test_mlm_raster_bands_become_dlm_data_and_stay_on_the_asset():
    doc = load_spec("mlm/1.5.2/examples/item_raster_bands.json")
    frozen = copy.deepcopy(doc)
    result = translate(doc, to="dlm")
    out = result.document
    data = out["properties"]["dlm:data"]
    assert (data["data_type"], data["nodata"], data["number_of_bands"]) == ("uint16", 0, 13)
    assert out["assets"]["weights"]["raster:bands"] == frozen["assets"]["weights"]["raster:bands"]
    assert not [l for l in result.report.losses if "raster:bands" in l.pointer]
    assert same(translate(out, to="mlm", restore=result.report).document, frozen)
    assert translate(out, to="mlm", fill_required=True).document["assets"]["weights"]["raster:bands"] == \
        frozen["assets"]["weights"]["raster:bands"]


def test_bands_that_disagree_are_not_written_to_dlm():
    doc = mlm_item([{"name": "a", "data_type": "uint16", "nodata": 0}, {"name": "b", "data_type": "float32"}])
    result = translate(doc, to="dlm")
    data = result.document["properties"]["dlm:data"]
    assert data.get("number_of_bands") == 2 and "data_type" not in data and "nodata" not in data
    # the bands stay on their asset: nothing is lost
    assert result.document["assets"]["weights"]["raster:bands"] == doc["assets"]["weights"]["raster:bands"]
    assert not [l for l in result.report.losses if l.rule == "data-bands"]


@pytest.mark.parametrize("target", ["ml-model", "tdml"])
def test_mlm_raster_bands_stay_on_their_asset_for_targets_without_a_home(target):
    doc = load_spec("mlm/1.5.2/examples/item_raster_bands.json")
    result = translate(doc, to=target)
    assert result.document["assets"]["weights"]["raster:bands"] == doc["assets"]["weights"]["raster:bands"]
    assert not [l for l in result.report.losses if l.rule == "data-bands"]


@pytest.mark.parametrize("rel", ["mlm/1.5.2/examples/item_raster_bands.json", "mlm/1.5.2/examples/item_multi_io.json",
                                 "mlm/1.3.0/examples/item_raster_bands.json"])
def test_mlm_identity_keeps_the_model_asset_bands_byte_identical(rel):
    doc = load_spec(rel)
    version = translate(doc, to="dlm").report.source[1]
    result = translate(doc, to="mlm", version=version)
    assert jsonio.dumps(result.document) == jsonio.dumps(doc)
    assert result.report.losses == [] and not [f for f in result.report.findings if f.rule == "data-bands"]


# --- a Collection's process level ---------------------------------------------------------

def dlm_collection(**fields) -> dict:
    return {"type": "Collection", "stac_version": "1.0.0", "id": "models", "description": "d", "license": "MIT",
            "stac_extensions": ["https://schemas.stacspec.org/v1.0.0-beta.3/extensions/dl-model/json-schema/schema.json"],
            "extent": {"spatial": {"bbox": [[-180, -90, 180, 90]]}, "temporal": {"interval": [[None, None]]}},
            "links": [], **fields}


@pytest.mark.parametrize("target", ["mlm", "ml-model"])
def test_a_collections_process_level_becomes_the_processing_level_summary_and_back(target):
    doc = dlm_collection(**{"dlm:data": {"process_level": "ortho", "test_file": "t.tif"}})
    result = translate(doc, to=target, fill_required=True)
    out = result.document
    assert out["summaries"]["processing:level"] == ["ortho"]
    assert "https://stac-extensions.github.io/processing/v1.1.0/schema.json" in out["stac_extensions"]
    assert schema_issues(out) == []
    assert not [l for l in result.report.losses if l.pointer == "/dlm:data/process_level"]
    assert same(translate(out, to="dlm", restore=result.report).document, doc)
    back = translate(out, to="dlm")
    assert back.document["summaries"]["dlm:data"] == [{"process_level": "ortho"}]
    assert "processing:level" not in back.document["summaries"]
    assert any(f.code == "to-process-level" for f in back.report.findings)


def test_a_collections_own_processing_level_summary_is_kept():
    doc = dlm_collection(**{"dlm:data": {"process_level": "ortho"}, "summaries": {"processing:level": ["L2"]}})
    result = translate(doc, to="mlm")
    assert result.document["summaries"]["processing:level"] == ["L2"]
    assert {l.pointer: l.kind for l in result.report.losses}["/dlm:data/process_level"] == "dropped"


def test_a_processing_level_summary_dlm_cannot_hold_stays_a_summary():
    doc = load_spec("mlm/1.5.2/examples/collection.json")
    doc["summaries"] = {**doc.get("summaries", {}), "processing:level": ["L2A"]}
    result = translate(doc, to="dlm")
    assert result.document["summaries"]["processing:level"] == ["L2A"]
    assert any(f.code == "process-level-kept" for f in result.report.findings)


def test_per_band_nodata_values_give_one_band_each_and_disagree_on_the_way_back():
    doc = dlm_item({"dtype": "uint8", "nodata_value": [0, 255, 0]})
    result = translate(doc, to="mlm", fill_required=True)
    assert result.document["assets"]["model"]["raster:bands"] == [
        {"data_type": "uint8", "nodata": 0}, {"data_type": "uint8", "nodata": 255}, {"data_type": "uint8", "nodata": 0}]
    assert same(translate(result.document, to="dlm", restore=result.report).document, doc)
    back = translate(result.document, to="dlm")
    assert back.document["properties"]["dlm:data"] == {"data_type": "uint8", "number_of_bands": 3}
    assert back.document["assets"]["model"]["raster:bands"] == result.document["assets"]["model"]["raster:bands"]
    assert not [l for l in back.report.losses if l.rule == "data-bands"]  # the bands stay on their asset
    short = dlm_item({"nodata_value": [0, 255], "number_of_bands": 3})
    assert "raster:bands" not in translate(short, to="mlm").document["assets"]["model"]


def test_mlm_bands_to_dlm_beta2_are_written_in_beta2_spelling_and_valid():
    doc = load_spec("mlm/1.5.2/examples/item_raster_bands.json")
    result = translate(doc, to="dlm", version="1.0.0-beta2", fill_required=True)
    data = result.document["properties"]["dlm:data"]
    assert (data["dtype"], data["nodata_value"], data["number_of_bands"]) == ("uint16", 0, 13)
    assert "data_type" not in data and "nodata" not in data
    assert [i for i in schema_issues(result.document) if "dl-model" in i.schema] == []
    assert same(translate(result.document, to="mlm", restore=result.report).document, doc)
