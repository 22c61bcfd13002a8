"""Reading edge cases: a field in its correct form is not a finding, nested nulls are no value,
a field given where its extension does not define it gets a clear outcome."""
from __future__ import annotations

import copy

import pytest

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
    assert "/properties/dlm:inputs/name is required by dlm 1.0.0-beta2 but the source has no value for it (null; " \
        "--fill-required writes a placeholder)" in other.report.problems
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


UNET = "mlm/1.5.2/examples/item_pytorch_geo_unet.json"  # gives mlm:entrypoint at the Item's top level


def _entrypoint_losses(result) -> list:
    return [(l.pointer, l.kind, l.target) for l in result.report.losses if l.pointer.endswith("/mlm:entrypoint")]


def test_an_item_level_entrypoint_goes_to_the_only_source_code_asset_without_one():
    from conftest import schema_issues
    official = load_spec(UNET)
    moved = copy.deepcopy(official)
    moved["properties"]["mlm:entrypoint"] = moved.pop("mlm:entrypoint")
    entry = official["mlm:entrypoint"]
    for doc, pointer in ((official, "/mlm:entrypoint"), (moved, "/properties/mlm:entrypoint")):
        frozen = copy.deepcopy(doc)
        assert translate(doc, to="mlm").document == doc  # the same version: as it is
        dlm = translate(doc, to="dlm")
        assert dlm.document["properties"]["dlm:runtime"]["model_handler"] == entry
        (loss,) = [l for l in dlm.report.losses if l.pointer == pointer]
        assert loss.kind == "assumed" and "source-code assets" in loss.reason and "'source_code'" in loss.reason
        assert _entrypoint_losses(translate(doc, to="ml-model")) == [(pointer, "dropped", None)]
        repaired = translate(doc, to="mlm", fill_required=True)
        assert repaired.document["assets"]["source_code"]["mlm:entrypoint"] == entry
        assert "mlm:entrypoint" not in repaired.document and "mlm:entrypoint" not in repaired.document["properties"]
        assert _entrypoint_losses(repaired) == [(pointer, "assumed", "/assets/source_code/mlm:entrypoint")]
        assert translate(repaired.document, to="mlm", restore=repaired.report).document == doc
        assert doc == frozen
    assert not schema_issues(translate(moved, to="mlm", fill_required=True).document)
    # no source-code asset without an entry point, or two: dropped, saying where MLM wants it
    alone = copy.deepcopy(moved)
    del alone["assets"]["source_code"]
    two = copy.deepcopy(moved)
    two["assets"]["more_code"] = copy.deepcopy(two["assets"]["source_code"])
    for doc, why in ((alone, "no source-code asset"), (two, "2 source-code assets")):
        for target, fill in (("dlm", False), ("mlm", True)):
            result = translate(doc, to=target, fill_required=fill)
            (loss,) = [l for l in result.report.losses if l.pointer == "/properties/mlm:entrypoint"]
            assert loss.kind == "dropped" and why in loss.reason and "mlm:source_code" in loss.reason
        assert translate(doc, to="mlm").document == doc
    assert not schema_issues(translate(alone, to="mlm", fill_required=True).document)


def test_an_entrypoint_on_its_asset_stays_the_identity():
    doc = load_spec(UNET)
    doc["assets"]["source_code"]["mlm:entrypoint"] = doc.pop("mlm:entrypoint")
    result = translate(doc, to="mlm")
    assert result.document == doc and result.report.losses == []
    assert translate(doc, to="dlm").document["properties"]["dlm:runtime"]["model_handler"] == \
        doc["assets"]["source_code"]["mlm:entrypoint"]



def test_mlm_framework_is_free_text_and_dlm_s_is_folded_to_mlm_s_names():
    """MLM's framework is free text (its names are suggestions; every official example spells
    'pytorch'): MLM to MLM carries it as written. DLM's is read as MLM's name (normalised)."""
    doc = load_spec("mlm/1.5.2/examples/item_eo_bands.json")
    assert doc["properties"]["mlm:framework"] == "pytorch"
    for options in ({"fill_required": True}, {"version": "1.5.0"}):
        result = translate(doc, to="mlm", **options)
        assert result.document["properties"]["mlm:framework"] == "pytorch"
        assert not [f for f in result.report.findings if "framework" in f.pointer]
    dlm = load_spec(DLM_ITEM)
    dlm["properties"]["dlm:runtime"]["framework"] = "Tensorflow"
    result = translate(dlm, to="mlm")
    assert result.document["properties"]["mlm:framework"] == "TensorFlow"
    assert ("/properties/dlm:runtime/framework", "normalised") in {(f.pointer, f.code) for f in result.report.findings}


def test_an_empty_dlm_object_is_no_value_to_the_other_version():
    """An empty object, which neither DLM schema accepts (each object wants members, a list items),
    is no value to the other version or in a repair: left out and reported dropped at its pointer,
    or, for an object an Item requires, with fill_required written with its required members
    filled; to the same version it is written back as it is. One of null members only is no
    value, as a null object is (the generic write stands: DLM's placeholder task)."""
    doc = _dlm_sample()
    doc["properties"]["dlm:outputs"] = {}
    result = translate(doc, to="dlm", version="1.0.0-beta2")
    assert "dlm:outputs" not in result.document["properties"]
    assert ("/properties/dlm:outputs", "dropped", {}) in [(l.pointer, l.kind, l.value) for l in result.report.losses]
    [problem] = result.report.problems  # at the object, its task's problem folded in
    assert problem.startswith("/properties/dlm:outputs is required by dlm 1.0.0-beta2 but is left out: the "
                              "source's is empty; /properties/dlm:outputs/task is required")
    result = translate(doc, to="dlm", version="1.0.0-beta2", fill_required=True)
    assert result.document["properties"]["dlm:outputs"] == {"task": "classification"}
    assert [(l.kind, l.target) for l in result.report.losses if "dlm:outputs" in l.pointer + (l.target or "")] == \
        [("synthesized", "/properties/dlm:outputs/task")]
    assert translate(doc, to="dlm").document["properties"]["dlm:outputs"] == {}  # the identity
    doc["properties"]["dlm:outputs"] = {"number_of_classes": None}
    result = translate(doc, to="dlm", version="1.0.0-beta2", fill_required=True)
    assert result.document["properties"]["dlm:outputs"] == {"task": "classification"}
    assert ("/properties/dlm:outputs/number_of_classes", "dropped", None) in [
        (l.pointer, l.kind, l.value) for l in result.report.losses]


def test_null_items_of_dlm_lists_are_left_out_and_the_items_they_move_are_named():
    """A null item of a list where DLM's schema wants a value (a band, an archive entry, a mean) was
    carried as written by a repair or to the other version: it is no value, reported at its own
    place; the items after it move up, each named with where it is written; a list of nulls only is
    no value as a whole. In a list of plain values (a mean per band, layer sizes) the places count:
    the list is left out whole, with its value, rather than move values onto other bands. The
    residue gives the source back exactly."""
    from conftest import schema_issues
    doc = _dlm_sample()
    props = doc["properties"]
    props["dlm:data"]["useful_bands"].insert(1, None)
    props["dlm:archive"][0:0] = [None, None]
    props["dlm:inputs"]["normalization:mean"][1] = None   # a value per band: the list goes whole
    props["dlm:outputs"]["final_layer_size"] = [None]     # nulls only: the list goes
    frozen = copy.deepcopy(doc)
    per_place = {"/properties/dlm:inputs/normalization:mean": props["dlm:inputs"]["normalization:mean"],
                 "/properties/dlm:outputs/final_layer_size": [None]}
    for options in ({"fill_required": True}, {"version": "1.0.0-beta2"}):
        result = translate(doc, to="dlm", **options)
        out = result.document["properties"]
        assert schema_issues(result.document) == [] and result.report.problems == [], options
        assert [b["name"] for b in out["dlm:data"]["useful_bands"]] == ["red", "green", "blue"]
        assert out["dlm:archive"] == frozen["properties"]["dlm:archive"][2:]
        assert "normalization:mean" not in out["dlm:inputs"] and "final_layer_size" not in out["dlm:outputs"]
        assert {l.pointer: l.value for l in result.report.losses if "places count" in l.reason} == per_place
        assert sorted(_nulls_read(result)) == sorted(
            ["/properties/dlm:data/useful_bands/1", "/properties/dlm:archive/0", "/properties/dlm:archive/1"])
        moved = {(f.pointer, f.target) for f in result.report.findings if f.code == "moved"}
        assert moved == {("/properties/dlm:data/useful_bands/2", "/properties/dlm:data/useful_bands/1"),
                         ("/properties/dlm:data/useful_bands/3", "/properties/dlm:data/useful_bands/2"),
                         ("/properties/dlm:archive/2", "/properties/dlm:archive/0"),
                         ("/properties/dlm:archive/3", "/properties/dlm:archive/1"),
                         ("/properties/dlm:archive/4", "/properties/dlm:archive/2")}, options
        assert translate(result.document, to="dlm", restore=result.report).document == doc
    only_nulls = copy.deepcopy(doc)
    only_nulls["properties"]["dlm:archive"] = [None]
    result = translate(only_nulls, to="dlm", fill_required=True)
    assert "dlm:archive" not in result.document["properties"] and schema_issues(result.document) == []
    assert "/properties/dlm:archive/0" in _nulls_read(result)
    assert translate(result.document, to="dlm", restore=result.report).document == only_nulls
    for target in ("mlm", "ml-model", "tdml"):  # a null archive entry, to another extension
        assert {"/properties/dlm:archive/0", "/properties/dlm:archive/1"} <= set(_nulls_read(translate(doc, to=target)))
    assert translate(doc, to="dlm").document == doc  # to the same version without a repair: as it is
    assert doc == frozen


def test_a_dict_nested_deeper_than_python_recurses_is_a_document_error():
    """A dict built in Python can be nested deeper than any JSON parser reads; translating it is
    a DocumentError naming the cause, not a RecursionError (found in the DLM null walk)."""
    from translator.errors import DocumentError
    doc = copy.deepcopy(load_spec("dlm/1.0.0-beta.3/examples/item.json"))
    deep = inner = {}
    for _ in range(3000):
        inner["a"] = {}
        inner = inner["a"]
    doc["properties"]["dlm:runtime"] = {**doc["properties"]["dlm:runtime"], "x": deep}
    for kwargs in ({"fill_required": True}, {"version": "1.0.0-beta2"}):
        with pytest.raises(DocumentError, match="nested too deeply to translate"):
            translate(doc, to="dlm", **kwargs)
