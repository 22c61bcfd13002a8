"""dlm:data.test_file, a file in the model archive (the DLM examples list it there as a 'test set'
entry), is carried as the asset of that file; what no other extension says is that it is DLM's test file."""
from __future__ import annotations

import copy

import pytest

from conftest import SPECS, extension_errors, schema_issues
from translator import jsonio, translate

MLM_152 = "https://stac-extensions.github.io/mlm/v1.5.2/schema.json"
ML_MODEL = "https://stac-extensions.github.io/ml-model/v1.0.0/schema.json"
POINTER = "/properties/dlm:data/test_file"


def beta3() -> dict:
    return jsonio.load(SPECS / "dlm/1.0.0-beta.3/examples/item.json", lenient=True)[0]


def carried(result) -> tuple:
    (loss,) = [l for l in result.report.losses if l.pointer == POINTER]
    (found,) = [f for f in result.report.findings if f.code == "test-file-asset"]
    return loss, found


@pytest.mark.parametrize("target,uri", [("mlm", MLM_152), ("ml-model", ML_MODEL)])
def test_the_official_test_file_is_the_asset_of_its_archive_entry(target, uri):
    """The beta.3 example names input_test.tif, which its archive lists as
    ./test_pleiade/256/input_test.tif (role test set): that entry's asset carries it."""
    doc = beta3()
    result = translate(doc, to=target, fill_required=True)
    out = result.document
    loss, found = carried(result)
    assert loss.kind == "lossy" and loss.value == "input_test.tif"
    assert "the archive entry './test_pleiade/256/input_test.tif'" in loss.reason
    assert found.target == "/assets/input_test.tif"
    asset = out["assets"]["input_test.tif"]
    assert asset["href"] == "zip://./test_pleiade/256/input_test.tif::" + out["assets"]["model_archive"]["href"]
    assert asset["roles"] == ["data"]
    assert len([a for a in out["assets"].values() if "input_test.tif" in a["href"]]) == 1  # no second asset
    assert extension_errors(out, uri) == []
    assert translate(out, to="dlm", restore=result.report).document == doc


def test_a_test_file_no_entry_lists_gets_an_asset_in_the_archive_that_reads_back_as_a_test_set():
    doc = beta3()
    del doc["properties"]["dlm:archive"][1]  # the test set entry
    result = translate(doc, to="mlm", fill_required=True)
    out = result.document
    loss, found = carried(result)
    assert loss.kind == "lossy" and "reads it as a dlm:archive entry with role 'test set'" in loss.reason
    asset = out["assets"]["input_test.tif"]
    assert asset == {"href": "zip://input_test.tif::" + out["assets"]["model_archive"]["href"],
                     "title": "input_test.tif (in the model archive): the model's test file", "roles": ["data"]}
    assert found.target == "/assets/input_test.tif"
    assert extension_errors(out, MLM_152) == []
    back = translate(out, to="dlm").document
    assert {"name": "input_test.tif", "role": "test set"} in back["properties"]["dlm:archive"]
    assert [i for i in schema_issues(back) if "dl-model" in i.schema] == []  # (the example's own core faults aside)
    assert translate(out, to="dlm", restore=result.report).document == doc


@pytest.mark.parametrize("version", ["1.0.0-beta2", "1.0.0-beta.3"])
def test_dlm_to_dlm_keeps_the_test_file_and_makes_no_archive_entry_of_it(version):
    doc = beta3()
    del doc["properties"]["dlm:archive"][1]
    for fill in (False, True):
        result = translate(doc, to="dlm", version=version, fill_required=fill)
        props = result.document["properties"]
        assert props["dlm:data"]["test_file"] == "input_test.tif"
        assert [e["name"] for e in props["dlm:archive"]] == ["config.yml", "ckpt.best.pth"]
        assert "input_test.tif" not in result.document["assets"]
        assert not [f for f in result.report.findings if f.code == "test-file-asset"]


def test_without_a_model_archive_the_test_file_is_dropped_with_the_reason():
    doc = beta3()
    doc["assets"][0]["model_archive"]["role"] = ["metadata"]
    result = translate(doc, to="mlm")
    (loss,) = [l for l in result.report.losses if l.pointer == POINTER]
    assert loss.kind == "dropped" and loss.value == "input_test.tif"
    assert loss.reason == ("the test file is a file in the model archive, and the document has no model archive "
                           "asset: it has no href to be carried as an asset")
    assert not any("input_test" in a.get("href", "") for a in result.document["assets"].values())
    assert translate(result.document, to="dlm", restore=result.report).document == doc


def test_a_test_file_that_is_not_a_name_stays_reported_with_dlm_data():
    doc = copy.deepcopy(beta3())
    doc["properties"]["dlm:data"]["test_file"] = None
    result = translate(doc, to="mlm")
    (loss,) = [l for l in result.report.losses if l.pointer == POINTER]
    assert loss.kind == "dropped" and loss.rule == "data"
    assert not [f for f in result.report.findings if f.code == "test-file-asset"]
