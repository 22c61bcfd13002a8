"""A Collection summary of several values going to DLM, whose Collections hold their fields only as
one-value summaries of DLM objects (docs/dlm.md, Collections)."""
from __future__ import annotations

import copy

import pytest

from conftest import load_spec, schema_issues
from test_dlm import project_errors
from translator import translate

SEVERAL = "a summary of 2 values: dlm 1.0.0-beta.3 keeps a Collection's fields only as one-value summaries"


@pytest.mark.parametrize("summaries,place", [
    ({"mlm:framework": ["PyTorch", "TensorFlow"]}, "dlm:runtime/framework"),
    ({"mlm:architecture": ["ResNet", "UNet"]}, "dlm:architecture/type"),
    ({"mlm:tasks": ["classification", "semantic-segmentation"]}, "dlm:outputs/task"),
])
def test_a_summary_of_several_values_is_reported_with_why_dlm_has_no_form_for_it(summaries, place):
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/collection.json"))
    doc["summaries"] = {**doc["summaries"], **summaries}
    result = translate(doc, to="dlm")
    out = result.document
    assert not [k for k in out.get("summaries", {}) if k.startswith("dlm:")]
    assert project_errors(out) == [] and schema_issues(out) == []
    ((key, values),) = summaries.items()
    (loss,) = [l for l in result.report.losses if l.pointer == f"/summaries/{key}"]
    assert loss.kind == "dropped" and loss.value == values
    assert loss.reason.startswith(SEVERAL) and f"(here {place})" in loss.reason
    assert "one object per value would not read back as this summary" in loss.reason
    assert translate(out, to="mlm", restore=result.report).document == doc


def test_one_value_summaries_beside_it_still_become_dlm_summaries():
    """The one-value prediction type is carried as DLM's one-value dlm:outputs summary; the two
    architectures are reported, not written as two dlm:architecture objects."""
    doc = copy.deepcopy(load_spec("ml-model/1.0.0/examples/dummy/collection.json"))
    doc["summaries"]["ml-model:architecture"] = ["RCNN", "UNet"]
    result = translate(doc, to="dlm")
    out = result.document
    assert out["summaries"] == {"dlm:outputs": [{"task": "object detection"}]}
    assert project_errors(out) == [] and schema_issues(out) == []
    lost = {l.pointer: l for l in result.report.losses}
    assert lost["/summaries/ml-model:architecture"].reason.startswith(SEVERAL)
    assert translate(out, to="ml-model", restore=result.report).document == doc
