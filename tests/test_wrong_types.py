"""A value of another JSON type than its field holds (an invalid source: `mlm:name: 5`) is not
written where the target's schema would refuse it: it is dropped at its pointer with its value,
and a required field is then filled or reported as any missing one. The identity keeps it."""
from __future__ import annotations

import copy
import json

import pytest

from conftest import SAMPLES, schema_issues
from laws import run_laws
from strategies import load_example
from translator import translate

BASIC = "mlm/1.5.2/examples/item_basic.json"
CASES = [("mlm:name", 5, "a number (5): mlm:name in mlm {v} holds text"),
         ("mlm:architecture", {}, "an object: mlm:architecture in mlm {v} holds text"),
         ("mlm:input", "x", "text ('x'): mlm:input in mlm {v} holds a list"),
         ("mlm:total_parameters", "many", "text ('many'): mlm:total_parameters in mlm {v} holds a whole number"),
         ("mlm:pretrained", "yes", "text ('yes'): mlm:pretrained in mlm {v} holds true or false"),
         ("mlm:framework", 3, "a number (3): mlm:framework in mlm {v} holds text")]


def _with(field, value) -> dict:
    doc = copy.deepcopy(load_example(BASIC))
    doc["properties"][field] = value
    return doc


@pytest.mark.parametrize("field,value,reason", CASES)
@pytest.mark.parametrize("version", ["1.5.2", "1.3.0"])
def test_a_value_of_another_type_is_dropped_and_the_output_is_valid(field, value, reason, version):
    doc = _with(field, value)
    result = translate(doc, to="mlm", version=version, fill_required=True)
    pointer = f"/properties/{field}"
    assert [(l.kind, l.value, l.reason) for l in result.report.losses if l.pointer == pointer] == [
        ("dropped", value, reason.format(v=version))]
    assert result.document["properties"].get(field) != value
    assert schema_issues(result.document) == []
    back = translate(result.document, to="mlm", version="1.5.2", restore=result.report)
    assert back.document == doc


@pytest.mark.parametrize("field,value,reason", CASES)
def test_the_identity_keeps_a_value_of_another_type(field, value, reason):
    doc = _with(field, value)
    result = translate(doc, to="mlm")
    assert result.document == doc and result.report.losses == []


def test_to_another_extension_a_value_of_another_type_is_dropped():
    doc = _with("mlm:architecture", {"family": "ResNet"})
    result = translate(doc, to="ml-model", fill_required=True)
    assert [(l.kind, l.value, l.reason) for l in result.report.losses if l.pointer == "/properties/mlm:architecture"] == [
        ("dropped", {"family": "ResNet"}, "an object: ml-model:architecture in ml-model 1.0.0 holds text")]
    assert schema_issues(result.document) == []


def test_a_whole_number_written_with_a_fraction_part_of_zero_is_a_whole_number():
    doc = _with("mlm:total_parameters", 2.0e6)
    result = translate(doc, to="mlm", version="1.3.0")
    assert result.document["properties"]["mlm:total_parameters"] == 2.0e6
    assert not [l for l in result.report.losses if "total_parameters" in l.pointer]


@pytest.mark.parametrize("tasks,index,kept", [([5, "classification"], 0, "classification"),
                                              (["classification", {"a": 1}], 1, "classification"),
                                              ([["segmentation"]], 0, None)])
def test_a_task_that_is_not_text_is_dropped_from_the_one_value_ml_model_holds(tasks, index, kept):
    """ml-model's prediction type holds one task name: one that is not text is not written there
    (it was, and was then the value kept, when it came first)."""
    doc = _with("mlm:tasks", tasks)
    result = translate(doc, to="ml-model", fill_required=True)
    bad = tasks[index]
    pointer = f"/properties/mlm:tasks/{index}"
    assert [(l.kind, l.value, l.reason) for l in result.report.losses if l.pointer == pointer] == [
        ("dropped", bad, f"{'a list' if type(bad) is list else 'a number (5)' if bad == 5 else 'an object'}: "
                         "ml-model:prediction_type in ml-model 1.0.0 holds text")]
    written = result.document["properties"]["ml-model:prediction_type"]
    assert written == kept if kept else written.startswith("PLACEHOLDER")
    assert schema_issues(result.document) == []
    assert translate(result.document, to="mlm", restore=result.report).document == doc


def test_a_task_that_is_not_text_is_dropped_from_mlm_tasks_in_a_repair():
    doc = _with("mlm:tasks", ["classification", 7])
    result = translate(doc, to="mlm", version="1.3.0", fill_required=True)
    assert result.document["properties"]["mlm:tasks"] == ["classification"]
    assert [(l.pointer, l.kind, l.value, l.reason) for l in result.report.losses if "tasks" in l.pointer] == [
        ("/properties/mlm:tasks/1", "dropped", 7, "a number (7): mlm:tasks in mlm 1.3.0 lists text only")]
    assert schema_issues(result.document) == []
    assert translate(doc, to="mlm").document == doc  # the identity keeps it


TDML = "tdml/1.0.0/examples/WHU-building_Dataset/item.json"


@pytest.mark.parametrize("tasks", [["", ""], ["x", "x"], ["classification", "classification"]])
def test_a_repeated_task_is_dropped_at_its_place_where_the_target_lists_each_task_once(tasks):
    """A task named twice (found by the round-trip laws: tdml ['', ''] to ml-model came back as
    [''] with nothing in the report); MLM's schema wants each task once (uniqueItems)."""
    doc = copy.deepcopy(load_example(TDML))
    doc["properties"]["label:tasks"] = tasks
    run_laws(doc, "ml-model")
    for target, field, held in (("ml-model", "ml-model:prediction_type", "ml-model 1.0.0 holds one value"),
                                ("mlm", "mlm:tasks", "mlm 1.5.2 lists each value once")):
        result = translate(doc, to=target, fill_required=True)
        repeat = [(l.kind, l.value, l.reason) for l in result.report.losses if l.pointer == "/properties/label:tasks/1"]
        if target == "mlm" and tasks[0] != "classification":
            continue  # (not in MLM's vocabulary: each is dropped for that)
        assert repeat == [("dropped", tasks[1], f"{tasks[1]!r} again (as item 0): {field} in {held}")]
        written = result.document["properties"][field]
        assert written == tasks[:1] if target == "mlm" else written == tasks[0]
        assert translate(result.document, to="tdml", restore=result.report).document == doc


ML_MODEL_ITEM = "ml-model/1.0.0/examples/dummy/item.json"


@pytest.mark.parametrize("key, value", [("properties", 5), ("properties", [1]), ("properties", None),
                                        ("stac_extensions", 5), ("stac_extensions", {"a": 1}),
                                        ("stac_extensions", None)])
@pytest.mark.parametrize("target", ["mlm", "dlm", "tdml", "ml-model"])
def test_a_properties_or_stac_extensions_of_another_type_replaced_by_the_writer_is_dropped(key, value, target):
    """An Item whose `properties` is not an object, or whose `stac_extensions` is not a list, gets
    the object or list the target writes into: the source's value is reported where it is
    replaced (before, only the residue kept it); the identity keeps it, unreported."""
    doc = copy.deepcopy(load_example(ML_MODEL_ITEM))
    doc[key] = value
    result = translate(doc, to=target, fill_required=True)
    reported = [(l.kind, l.value) for l in result.report.losses if l.pointer == f"/{key}"]
    assert reported == ([] if result.document[key] == value else [("dropped", value)])
    if key == "stac_extensions" or target != "tdml":  # (tdml writes no field in an Item's properties)
        assert reported == [("dropped", value)]
    plain = translate(doc, to="ml-model")
    assert plain.document == doc and [l for l in plain.report.losses if l.pointer == f"/{key}"] == []
    run_laws(doc, target)


def test_a_target_field_of_another_type_carried_from_a_half_migrated_document_is_a_problem():
    """A field of the target's prefix that the source document has (read as another extension)
    is carried as it is; one of a type the target refuses made an output reported valid that
    is not: each is now a problem naming it, and the laws hold (law 7: valid, or said why not)."""
    doc = json.loads((SAMPLES / "ml-model-item.json").read_text())
    doc["properties"].update({"mlm:name": 7, "mlm:pretrained": "yes", "mlm:architecture": "U-Net"})
    model = "checkpoint"  # (taken as the model asset)
    doc["assets"][model]["mlm:artifact_type"] = 5
    result = translate(doc, to="mlm", fill_required=True)
    assert result.report.problems == [
        "/properties/mlm:name: a number (7), carried as the document has it, where mlm 1.5.2 wants text",
        "/properties/mlm:pretrained: text ('yes'), carried as the document has it, where mlm 1.5.2 wants true or false",
        f"/assets/{model}/mlm:artifact_type: a number (5), carried as the document has it, where mlm 1.5.2 wants text"]
    assert sorted(i.pointer for i in schema_issues(result.document)) == sorted(
        ["/properties/mlm:name", "/properties/mlm:pretrained", f"/assets/{model}/mlm:artifact_type"])
    run_laws(doc, "mlm", "1.5.2")
    doc["properties"].update({"mlm:name": "dummy", "mlm:pretrained": False})
    doc["assets"][model]["mlm:artifact_type"] = "torch.save"
    result = translate(doc, to="mlm", fill_required=True)
    assert result.report.problems == [] and schema_issues(result.document) == []
