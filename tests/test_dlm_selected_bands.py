"""dlm:inputs.selected_bands without dlm:data.useful_bands: band indices without names. MLM's input
bands are names (or objects with a name) of described bands, so the indices are resolved through
the Item's eo:bands only when those are the source data's bands and the indices say where they
count from; otherwise they are reported with the precise reason."""
from __future__ import annotations

import copy

import pytest

from conftest import extension_errors, resolve, schema_issues
from test_dlm import MLM, project_errors, small_dlm
from translator import translate
from translator.residue import same

POINTER = "/properties/dlm:inputs/selected_bands"
EO = "https://stac-extensions.github.io/eo/v1.1.0/schema.json"


def without_useful_bands(selected: list, number_of_bands=4) -> dict:
    doc = small_dlm()
    props = doc["properties"]
    del props["dlm:data"]["useful_bands"]
    props["dlm:inputs"]["selected_bands"] = selected
    if number_of_bands is not None:
        props["dlm:data"]["number_of_bands"] = number_of_bands
    return doc


@pytest.mark.parametrize("selected,names,base", [([3, 2, 0], ["nir", "red", "blue"], 0),
                                                 ([4, 3, 2], ["nir", "red", "green"], 1)])
def test_indices_are_resolved_through_eo_bands_that_are_the_source_data_s_bands(selected, names, base):
    doc = without_useful_bands(selected)
    frozen = copy.deepcopy(doc)
    result = translate(doc, to="mlm", fill_required=True)
    (entry,) = result.document["properties"]["mlm:input"]
    assert entry["bands"] == names
    assert entry["input"]["dim_order"] == ["batch", "bands", "height", "width"]
    assert extension_errors(result.document, MLM) == []  # the names are those of the Item's eo:bands
    (loss,) = [l for l in result.report.losses if l.pointer == POINTER]
    assert loss.kind == "assumed" and loss.value == selected
    assert f"counting from {base}" in loss.reason and "resolved through the Item's eo:bands" in loss.reason
    assert same(translate(result.document, to="dlm", restore=result.report).document, frozen)
    back = translate(result.document, to="dlm", fill_required=True).document
    assert [b["name"] for b in back["properties"]["dlm:data"]["useful_bands"]] == names
    assert project_errors(back) == []
    assert translate(doc, to="dlm").document == frozen  # the identity is untouched


@pytest.mark.parametrize("selected,number_of_bands,why", [
    ([3, 2, 1], 4, "neither 0 nor 4 (the band count) is selected"),
    ([3, 2, 0], 5, "the 4 eo:bands are not known to be the source data's bands (number_of_bands says 5)"),
    ([3, 2, 0], None, "(no number_of_bands)"),
    ([4, 2, 0], 4, "counted from 0, they do not select the input's channels among the 4 eo:bands once each"),
    ([3, 3, 0], 4, "once each"),
])
def test_indices_eo_bands_cannot_name_are_reported_with_the_reason(selected, number_of_bands, why):
    doc = without_useful_bands(selected, number_of_bands)
    frozen = copy.deepcopy(doc)
    result = translate(doc, to="mlm", fill_required=True)
    (entry,) = result.document["properties"]["mlm:input"]
    assert "bands" not in entry and entry["input"]["dim_order"] == ["batch", "channel", "height", "width"]
    (loss,) = [l for l in result.report.losses if l.pointer == POINTER]
    assert loss.kind == "dropped" and why in loss.reason
    assert "no useful_bands name the indices" in loss.reason
    assert extension_errors(result.document, MLM) == []
    assert same(translate(result.document, to="dlm", restore=result.report).document, frozen)


def test_without_eo_bands_the_indices_name_nothing():
    doc = without_useful_bands([3, 2, 0])
    del doc["properties"]["eo:bands"]
    result = translate(doc, to="mlm", fill_required=True)
    (loss,) = [l for l in result.report.losses if l.pointer == POINTER]
    assert loss.kind == "dropped" and loss.reason.endswith(", and no eo:bands name the bands")


@pytest.mark.parametrize("selected", [[3, 2, 0], [4, 3, 2]])
def test_the_bands_of_the_input_data_are_named_from_the_same_eo_bands(selected):
    """eo:bands taken for the source data's bands name the raster:bands of the model asset, which
    MLM's band check then accepts by themselves (it wants every raster band named)."""
    doc = without_useful_bands(selected)
    doc["properties"]["dlm:data"].update({"data_type": "uint16", "nodata": 0})
    frozen = copy.deepcopy(doc)
    result = translate(doc, to="mlm", fill_required=True)
    assert schema_issues(result.document) == []
    asset = result.document["assets"]["weights"]
    assert asset["raster:bands"] == [{"name": n, "data_type": "uint16", "nodata": 0}
                                     for n in ("blue", "green", "red", "nir")]
    for loss in result.report.losses:  # (useful_bands, which the source lacks, was reported lossy)
        if loss.kind in ("dropped", "lossy", "unknown"):
            assert same(resolve(doc, loss.pointer), loss.value), loss
    raster_only = copy.deepcopy(result.document)
    del raster_only["properties"]["eo:bands"], raster_only["assets"]["weights"]["eo:bands"]
    raster_only["stac_extensions"].remove(EO)
    assert extension_errors(raster_only, MLM) == []
    assert same(translate(result.document, to="dlm", restore=result.report).document, frozen)
    back = translate(result.document, to="dlm", fill_required=True)
    assert not [l for l in back.report.losses if "raster:bands" in l.pointer]  # they stay on the asset
    assert back.document["assets"]["weights"]["raster:bands"] == asset["raster:bands"]


def test_data_bands_stay_unnamed_when_the_selection_is_not_resolved_through_eo_bands():
    doc = without_useful_bands([3, 2, 0], number_of_bands=5)  # the 4 eo:bands are not the 5 source bands
    doc["properties"]["dlm:data"].update({"data_type": "uint16"})
    bands = translate(doc, to="mlm", fill_required=True).document["assets"]["weights"]["raster:bands"]
    assert bands == [{"data_type": "uint16"}] * 5


def test_a_dlm_data_that_is_not_an_object_gives_the_reason_not_a_traceback():
    doc = without_useful_bands([3, 2, 0])
    doc["properties"]["dlm:data"] = 1.5
    (loss,) = [l for l in translate(doc, to="mlm").report.losses if l.pointer == POINTER]
    assert loss.kind == "dropped" and loss.reason.endswith("(no number_of_bands)")
