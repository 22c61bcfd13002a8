"""MLM targets (from MLM at another version, a repair, or another extension): a member of an
mlm:input or mlm:output object that MLM refuses (bands: 5, shape: "x", a data_type MLM does not
name) is left out, dropped at its place in the source with its value and what MLM wants there;
a required one is then filled (fill_required) or a problem. The identity keeps the document."""
from __future__ import annotations

import copy
import json

import pytest

from conftest import ROOT, SAMPLES, schema_issues
from strategies import load_example
from translator import translate

BASIC = "mlm/1.5.2/examples/item_basic.json"
IN, OUT = "/properties/mlm:input/0", "/properties/mlm:output/0"


def _at(doc: dict, pointer: str, value) -> dict:
    doc = copy.deepcopy(doc)
    *parents, last = pointer.split("/")[1:]
    node = doc
    for token in parents:
        node = node[int(token)] if type(node) is list else node[token]
    if type(node) is list:
        node.append(value) if int(last) == len(node) else node.__setitem__(int(last), value)
    else:
        node[last] = value
    return doc


# (pointer, refused value, what the reason says MLM wants, filled with fill_required (None: not required))
CASES = {
    "bands": (f"{IN}/bands", 5, "a list of band names, or band objects", None),
    "shape": (f"{IN}/input/shape", "x", "a list of at least one whole number", [-1, -1, -1, -1]),
    "data_type": (f"{IN}/input/data_type", "float128", "one of the raster extension's data types", "float32"),
    "dim_order": (f"{IN}/input/dim_order", "bchw", "a list of at least one distinct dimension name", ["batch"]),
    "name": (f"{IN}/name", 5, "text of at least one character", "PLACEHOLDER: input not described by the source"),
    "pre_processing": (f"{IN}/pre_processing_function", "x", "an object with a format (text)", None),
    "value_scaling": (f"{IN}/value_scaling", [{"type": "min-max"}], "value_scaling", None),
    "resize_type": (f"{IN}/resize_type", "bigger", "one of the resizings MLM names", None),
    "band_object": (f"{IN}/bands", [{"nam": "red"}], "its places count", None),
    "output_tasks": (f"{OUT}/tasks", "classification", "a list of distinct task names", ["classification"]),
    "result_shape": (f"{OUT}/result/shape", [1, "x"], "its places count", [-1, -1]),
    "input_structure": (f"{IN}/input", "x", "an object giving the shape, dim_order and data_type",
                        {"shape": [-1], "dim_order": ["batch"], "data_type": "float32"}),
    "input_item": ("/properties/mlm:input/1", "x", "a Model Input Object", None),
    "class": (f"{OUT}/classification:classes", [{"name": "a"}], 'lacks "value"', None),
}
# where a case's refused value is reported, when that is not where it was put (a list item)
REPORTED = {"class": (f"{OUT}/classification:classes/0", {"name": "a"})}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("version", ["1.5.2", "1.3.0"])
def test_a_refused_member_is_dropped_at_its_place_and_the_output_is_valid(case, version):
    pointer, value, wanted, filled = CASES[case]
    doc = _at(load_example(BASIC), pointer, value)
    result = translate(doc, to="mlm", version=version, fill_required=True)
    pointer, value = REPORTED.get(case, (pointer, value))
    entries = [(l.kind, l.value) for l in result.report.losses if l.pointer == pointer]
    assert entries == [("dropped", value)]
    reason = next(l.reason for l in result.report.losses if l.pointer == pointer)
    assert wanted in reason and f"mlm {version}" in reason.lower()
    assert schema_issues(result.document) == []
    if filled is not None:
        assert [(l.kind, l.value) for l in result.report.losses if l.target == pointer] == [("synthesized", filled)]
    back = translate(result.document, to="mlm", version="1.5.2", restore=result.report)
    assert back.document == doc


@pytest.mark.parametrize("case", ["shape", "name", "input_structure", "output_tasks"])
def test_without_fill_required_a_refused_required_member_is_a_problem(case):
    pointer, value, _, _ = CASES[case]
    doc = _at(load_example(BASIC), pointer, value)
    result = translate(doc, to="mlm", version="1.4.0")
    assert [(l.kind, l.value) for l in result.report.losses if l.pointer == pointer] == [("dropped", value)]
    assert f"{pointer} is required by mlm 1.4.0 but the source's value is one its schema refuses (left out; " \
        "--fill-required writes a placeholder)" in result.report.problems


def test_required_bands_before_1_5_are_a_problem_or_an_empty_list():
    doc = _at(load_example(BASIC), f"{IN}/bands", 5)
    plain = translate(doc, to="mlm", version="1.3.0")
    assert f"{IN}/bands is required by mlm 1.3.0 but the source's value is one its schema refuses (left out; " \
        "--fill-required writes a placeholder)" in plain.report.problems
    filled = translate(doc, to="mlm", version="1.3.0", fill_required=True)
    assert filled.document["properties"]["mlm:input"][0]["bands"] == []
    assert schema_issues(filled.document) == []


def test_an_input_of_no_object_at_all_is_left_out_and_filled_by_the_require_rule():
    doc = copy.deepcopy(load_example(BASIC))
    doc["properties"]["mlm:input"] = ["x", 3]
    result = translate(doc, to="mlm", version="1.4.0", fill_required=True)
    assert [(l.pointer, l.kind, l.value) for l in result.report.losses if l.rule == "input-output-checked"] == [
        ("/properties/mlm:input/0", "dropped", "x"), ("/properties/mlm:input/1", "dropped", 3)]
    assert result.document["properties"]["mlm:input"][0]["name"].startswith("PLACEHOLDER")
    assert schema_issues(result.document) == []


@pytest.mark.parametrize("case", ["bands", "shape", "input_item", "class"])
def test_the_identity_keeps_a_refused_member(case):
    pointer, value, _, _ = CASES[case]
    doc = _at(load_example(BASIC), pointer, value)
    result = translate(doc, to="mlm")
    assert result.document == doc and result.report.losses == []


def test_from_dlm_a_value_mlm_refuses_is_reported_at_the_dlm_object_it_was_read_from():
    doc = json.loads((SAMPLES / "dlm-item.json").read_text())
    doc["properties"]["dlm:inputs"]["name"] = 5
    doc["properties"]["dlm:inputs"]["input_tensors"]["dim"] = -5
    result = translate(doc, to="mlm", fill_required=True)
    entries = [(l.pointer, l.kind, l.value) for l in result.report.losses if l.rule == "input-output-checked"]
    assert ("/properties/dlm:inputs", "lossy", doc["properties"]["dlm:inputs"]) in entries
    reason = next(l.reason for l in result.report.losses if l.pointer == "/properties/dlm:inputs")
    assert "5: mlm:input/0/name in mlm 1.5.2 holds text" in reason  # (one entry says each part lost there)
    assert "[1,-5,256,256]: mlm:input/0/input/shape in mlm 1.5.2" in reason
    assert schema_issues(result.document) == []


@pytest.mark.parametrize("placeholder", ["classification", "regression"])
def test_refused_output_tasks_of_an_item_without_tasks_are_filled_with_the_tables_placeholder(tmp_path, placeholder):
    """The output's tasks copy the Item's; an Item without any gets the placeholder the table gives
    a missing mlm:tasks — a user's table with another placeholder included."""
    table = (ROOT / "mappings" / "mlm.yaml").read_text()
    stock = "placeholder: [classification]   #"
    assert table.count(stock) == 1
    (tmp_path / "mlm.yaml").write_text(table.replace(stock, f"placeholder: [{placeholder}]   #"))
    doc = _at(load_example(BASIC), f"{OUT}/tasks", "x")
    del doc["properties"]["mlm:tasks"]
    result = translate(doc, to="mlm", fill_required=True, tables=tmp_path)
    assert result.document["properties"]["mlm:output"][0]["tasks"] == [placeholder]
    assert ("synthesized", [placeholder]) in [(l.kind, l.value) for l in result.report.losses
                                              if l.target == f"{OUT}/tasks"]
    assert schema_issues(result.document) == []
