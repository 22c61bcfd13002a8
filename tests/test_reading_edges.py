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
