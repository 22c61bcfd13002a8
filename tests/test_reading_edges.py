"""Reading edge cases: a field in its correct form is not a finding, nested nulls are no value,
a field given where its extension does not define it gets a clear outcome."""
from __future__ import annotations

import copy

from conftest import load_spec
from translator import translate

WHU_ITEM = "tdml/1.0.0/examples/WHU-building_Dataset/item.json"


def _codes(result, pointer: str) -> set:
    return {f.code for f in result.report.findings if f.pointer == pointer}


def test_label_tasks_as_a_list_is_not_a_finding():
    """label:tasks is an array (the label extension); only the examples' single string is a variant."""
    doc = load_spec(WHU_ITEM)
    assert doc["properties"]["label:tasks"] == "Change Detection"
    frozen = copy.deepcopy(doc)
    for target in ("tdml", "mlm", "dlm", "ml-model"):
        assert _codes(translate(doc, to=target), "/properties/label:tasks") == {"variant", "normalised"}
    listed = copy.deepcopy(doc)
    listed["properties"]["label:tasks"] = ["Change Detection", "segmentation"]
    for target in ("tdml", "mlm", "dlm", "ml-model"):
        result = translate(listed, to=target)
        assert _codes(result, "/properties/label:tasks") == set(), target
        assert _codes(result, "/properties/label:tasks/0") == {"normalised"}
    assert translate(listed, to="mlm").document["properties"]["mlm:tasks"] == ["detection", "segmentation"]
    # to tdml itself both forms stay as they are; a repair writes the array
    assert translate(doc, to="tdml").document == doc and translate(listed, to="tdml").document == listed
    assert translate(doc, to="tdml", fill_required=True).document["properties"]["label:tasks"] == ["detection"]
    assert doc == frozen


NULL_READ = "null: read as no value"  # the reason of such a loss
DLM_ITEM = "dlm/1.0.0-beta.3/examples/item.json"


def _dlm_sample() -> dict:
    from conftest import SAMPLES
    from translator import jsonio
    return jsonio.load(SAMPLES / "dlm-item.json")[0]


def _nulls_read(result) -> list:
    return [l.pointer for l in result.report.losses if (l.kind, l.value, l.reason) == ("dropped", None, NULL_READ)]


def test_a_repair_within_dlm_leaves_nested_nulls_out_and_fills_what_is_required():
    from conftest import schema_issues
    doc = _dlm_sample()
    assert schema_issues(doc) == []
    props = doc["properties"]
    props["dlm:architecture"]["type"] = None            # required, with a placeholder in the table
    props["dlm:architecture"]["total_nb_parameters"] = None
    props["dlm:inputs"]["name"] = None                  # required, part of the inputs placeholder
    props["dlm:inputs"]["input_tensors"]["height"] = None
    props["dlm:outputs"]["task"] = None                 # required, DLM's placeholder task
    props["dlm:runtime"]["version"] = None              # a free-text value: null is a value there
    frozen = copy.deepcopy(doc)
    for version in ("1.0.0-beta.3", "1.0.0-beta2"):
        result = translate(doc, to="dlm", version=version, fill_required=True)
        out = result.document["properties"]
        assert schema_issues(result.document) == [] and result.report.problems == [], version
        assert out["dlm:architecture"]["type"].startswith("PLACEHOLDER")
        assert "total_nb_parameters" not in out["dlm:architecture"]
        assert out["dlm:inputs"]["name"].startswith("PLACEHOLDER") and out["dlm:outputs"]["task"] == "classification"
        assert out["dlm:runtime"]["version"] is None
        assert sorted(_nulls_read(result)) == sorted(
            ["/properties/dlm:architecture/type", "/properties/dlm:architecture/total_nb_parameters",
             "/properties/dlm:inputs/name", "/properties/dlm:inputs/input_tensors/height",
             "/properties/dlm:outputs/task"])
        assert translate(result.document, to="dlm", restore=result.report).document == doc
    # without a repair, to another version: left out too, the required ones are problems
    other = translate(doc, to="dlm", version="1.0.0-beta2")
    assert "/properties/dlm:inputs/name is required by dlm 1.0.0-beta2 but the source has no value for it (null)" \
        in other.report.problems
    assert "name" not in other.document["properties"]["dlm:inputs"]
    assert translate(doc, to="dlm").document == doc  # to the same version without a repair: as it is
    assert doc == frozen


def test_null_dlm_outputs_is_read_as_no_value():
    doc = _dlm_sample()
    doc["properties"]["dlm:outputs"] = None
    for target in ("mlm", "ml-model", "tdml"):
        result = translate(doc, to=target)
        assert "/properties/dlm:outputs" in _nulls_read(result), target
        assert not [l for l in result.report.losses if l.kind == "unknown"], target
    assert translate(doc, to="dlm").document == doc
    repaired = translate(doc, to="dlm", fill_required=True)
    assert repaired.document["properties"]["dlm:outputs"] == {"task": "classification"}
    assert _nulls_read(repaired) == ["/properties/dlm:outputs"]


def test_a_null_band_count_is_read_as_no_value_at_its_own_pointer():
    from conftest import schema_issues
    doc = _dlm_sample()
    doc["properties"]["dlm:data"]["number_of_bands"] = None
    for target in ("mlm", "ml-model", "tdml"):
        result = translate(doc, to=target)
        (loss,) = [l for l in result.report.losses if "number_of_bands" in l.pointer]
        assert (loss.pointer, loss.kind, loss.value, loss.reason) == (
            "/properties/dlm:data/number_of_bands", "dropped", None, NULL_READ), target
    bands = translate(doc, to="mlm").document["assets"]["model"]["raster:bands"]
    assert [b["name"] for b in bands] == ["red", "green", "blue"]  # counted from the input's bands
    assert translate(doc, to="dlm").document == doc
    repaired = translate(doc, to="dlm", fill_required=True)
    assert "number_of_bands" not in repaired.document["properties"]["dlm:data"]
    assert schema_issues(repaired.document) == []
