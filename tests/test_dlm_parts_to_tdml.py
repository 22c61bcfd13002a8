"""DLM's dlm:inputs and dlm:outputs written to tdml: what does not come back is reported part by
part at its own DLM place (the DLM reader says where each part of the model input and output was
read from); the carried parts (the band names, the class names, the task) are not reported lost.
Each check is made against the real way back (tdml -> DLM)."""
from __future__ import annotations

import copy

import jsonschema_rs
import pytest

from conftest import resolve
from test_dlm import DLM_ITEMS, load, small_dlm
from test_tdml import PROJECT_TDML
from translator import translate
from translator.pointer import covers
from translator.residue import same

OBJECTS = ("/properties/dlm:inputs", "/properties/dlm:outputs")


def differences(before, after, pointer: str = "") -> list[str]:
    """The pointers of the smallest parts that differ between two JSON values (objects key by key)."""
    if type(before) is dict and type(after) is dict:
        return [p for key in sorted(set(before) | set(after), key=str)
                for p in differences(before.get(key, KeyError), after.get(key, KeyError), f"{pointer}/{key}")]
    return [] if same(before, after) else [pointer]


def there_and_back(doc: dict):
    result = translate(doc, to="tdml")
    back = translate(result.document, to="dlm", version=result.report.source[1]).document
    return result, back


def small(**changes) -> dict:
    doc = small_dlm()
    for key, value in changes.items():
        obj, key = key.split("__")
        doc["properties"][f"dlm:{obj}"][key] = value
    return doc


CASES = {rel: (lambda rel=rel: load(rel)) for rel in DLM_ITEMS}
CASES.update({
    "small": small,
    "scaling-without-factor": lambda: small(**{"inputs__normalization:mean": [0.1, 0.2, 0.3],
                                               "inputs__normalization:std": [1.0, 1.0, 2.0]}),
    "values-not-positions": lambda: small(outputs__class_name_mapping={"1": "other", "2": "forest"}),
    "input-named-input": lambda: small(inputs__name="input"),
    "unnamed-dont-care-class": lambda: unnamed_dont_care_class(),
})


def unnamed_dont_care_class() -> dict:  # a class label:classes cannot name: its nodata flag goes with it
    doc = load("dlm/1.0.0-beta.3/examples/item.json")
    doc["properties"]["dlm:outputs"]["class_name_mapping"][0] = {"0": ""}
    return doc


@pytest.mark.parametrize("case", sorted(CASES))
def test_what_does_not_come_back_is_reported_at_its_own_place_and_nothing_else(case):
    doc = CASES[case]()
    frozen = copy.deepcopy(doc)
    result, back = there_and_back(doc)
    assert [e.message for e in jsonschema_rs.validator_for(PROJECT_TDML).iter_errors(result.document)] == []
    losses = result.report.losses
    for loss in losses:
        if loss.kind in ("dropped", "lossy", "unknown"):  # law 8: the source's value at its place
            assert same(resolve(doc, loss.pointer), loss.value), loss
    changed = [p for obj in OBJECTS for p in differences(resolve(doc, obj), back["properties"].get(obj[12:]), obj)]
    said = [l.pointer for l in losses] + [f.pointer for f in result.report.findings]
    for pointer in changed:  # each part that does not come back is reported at, above or below it ...
        assert any(p and (covers(p, pointer) or covers(pointer, p)) for p in said), pointer
    for loss in losses:  # ... and the report says so of no part that comes back
        if loss.pointer in OBJECTS:  # only an input whose band names are not written at all is lost whole
            assert loss.kind == "dropped" and loss.pointer.endswith("inputs"), loss
            assert "only the band names are carried" not in loss.reason
        elif loss.pointer.startswith(OBJECTS) and loss.rule == "classes-bands" and "generic names" not in loss.reason:
            # (a task tdml holds in a generic name is lossy there, even when DLM's list names it back)
            assert any(covers(loss.pointer, p) or covers(p, loss.pointer) for p in changed), loss
    assert same(translate(result.document, to="dlm", restore=result.report).document, frozen)


def test_the_parts_of_a_small_model():
    lost = {l.pointer: l for l in there_and_back(small())[0].report.losses}
    assert lost["/properties/dlm:inputs/name"].kind == "dropped"  # 'image' reads back as 'input'
    assert lost["/properties/dlm:inputs/name"].value == "image"
    # carried: the task, the class names at their positions; the band names (in eo:bands), not their indices
    for pointer in ("/properties/dlm:outputs/task", "/properties/dlm:outputs/class_name_mapping"):
        assert pointer not in lost
    assert lost["/properties/dlm:inputs/selected_bands"].kind == "lossy"
    assert "/properties/dlm:inputs/name" not in {
        l.pointer for l in there_and_back(small(inputs__name="input"))[0].report.losses}


def test_what_of_the_classes_is_not_carried_is_said_where_it_was_read():
    lost = {l.pointer: l for l in there_and_back(load("dlm/1.0.0-beta.3/examples/item.json"))[0].report.losses}
    assert lost["/properties/dlm:outputs/dont_care_index"].kind == "dropped"
    count = lost["/properties/dlm:outputs/number_of_classes"]  # 5 of 6: without the don't-care class
    assert count.kind == "dropped" and "reads back as the 6 written" in count.reason
    assert "/properties/dlm:outputs/class_name_mapping" not in lost
    lost = {l.pointer: l for l in there_and_back(small(outputs__class_name_mapping={"1": "a", "2": "b"}))[0]
            .report.losses}
    mapping = lost["/properties/dlm:outputs/class_name_mapping"]
    assert mapping.kind == "lossy" and "values other than the position (2)" in mapping.reason


def test_a_z_score_without_a_factor_is_reported_value_by_value():
    doc = small(**{"inputs__normalization:mean": [0.1, 0.2, 0.3], "inputs__normalization:std": [1.0, 1.0, 2.0]})
    lost = {l.pointer: l for l in there_and_back(doc)[0].report.losses}
    for key in ("normalization:mean", "normalization:std"):
        loss = lost[f"/properties/dlm:inputs/{key}"]
        assert loss.kind == "dropped" and loss.value == doc["properties"]["dlm:inputs"][key]


def without_band_names() -> dict:  # the way back reads no input from eo:bands without names
    doc = small()
    doc["properties"]["eo:bands"] = [{"common_name": n} for n in ("blue", "green", "red", "nir")]
    return doc


def without(key: str) -> dict:  # the way back writes the input's name and tensor shape all the same
    doc = small()
    del doc["properties"]["dlm:inputs"][key]
    return doc


@pytest.mark.parametrize("doc", [without_band_names(), without("name"), without("input_tensors")])
def test_an_input_that_does_not_come_back_in_its_structure_is_reported_as_a_whole(doc):
    result = translate(doc, to="tdml")
    (loss,) = [l for l in result.report.losses if l.pointer == "/properties/dlm:inputs"]
    assert loss.kind == "lossy" and loss.value == doc["properties"]["dlm:inputs"]
    assert same(translate(result.document, to="dlm", restore=result.report).document, doc)
