"""DLM to DLM (to the other version, or a repair with fill_required): a member whose value the
project schema of the target version refuses (a task outside DLM's list, a member of another JSON
type, a list of two archive roles, a member or field the schema does not know) is left out,
reported dropped at its place in the source with its value and what the schema wants, and filled
when required (docs/dlm.md, "DLM to DLM"). The plain identity keeps the document as it is."""
from __future__ import annotations

import copy
import json

import pytest

from conftest import SAMPLES, schema_issues
from laws import check_loss_values, check_targets, run_laws
from translator import translate

BETA2, BETA3 = "1.0.0-beta2", "1.0.0-beta.3"
DATA = "/properties/dlm:data"
TASKS = '{"enum":["classification","regression","semantic segmentation","object detection",' \
    '"object segmentation","instance segmentation","panoptic segmentation"]}'
ROLES = '{"enum":["dependency","handling function","model weight","config file","test set","other"]}'
# each repair (to the same version with fill_required) and way to the other version
WAYS = [(BETA3, {"fill_required": True}), (BETA3, {"version": BETA2, "fill_required": True}),
        (BETA3, {"version": BETA2}), (BETA2, {"version": BETA3}),
        (BETA2, {"version": BETA2, "fill_required": True})]


def sample(version: str = BETA3) -> dict:
    doc = json.loads((SAMPLES / "dlm-item.json").read_text())
    return doc if version == BETA3 else translate(doc, to="dlm", version=BETA2).document


def changed(version: str, change) -> dict:
    doc = sample(version)
    change(doc["properties"])
    return doc


def _set(obj: str, key: str, value):
    return lambda props: props[obj].__setitem__(key, value)


def _archive_roles(props):
    props["dlm:archive"][0]["role"] = ["model weight", "config file"]


def _unknown_field(props):
    props["dlm:foo"] = {"bar": 1}


# (change, the pointer left out, its value, what the reason quotes, a placeholder written there
# with fill_required: the value (None: not required, nothing written))
CASES = {
    "task": (_set("dlm:outputs", "task", "super resolution"), "/properties/dlm:outputs/task", "super resolution",
             f"wants {TASKS} here, not \"super resolution\"", "classification"),
    "framework": (_set("dlm:runtime", "framework", 3), "/properties/dlm:runtime/framework", 3,
                  'wants {"type":"string"} here, not 3', "PLACEHOLDER: the source names no framework"),
    "useful_bands": (_set("dlm:data", "useful_bands", "red,green,blue"), f"{DATA}/useful_bands", "red,green,blue",
                     'wants {"type":"array"} here, not "red,green,blue"', None),
    "input_tensors": (_set("dlm:inputs", "input_tensors", "1x3x256x256"), "/properties/dlm:inputs/input_tensors",
                      "1x3x256x256", 'wants {"type":"object"} here', {"dim": 1, "height": 1, "width": 1}),
    "roles": (_archive_roles, "/properties/dlm:archive/0/role", ["model weight", "config file"],
              'wants {"type":"string"} here, not ["model weight","config file"]', "other"),
    "member": (_set("dlm:runtime", "colour", "red"), "/properties/dlm:runtime/colour", "red",
               "does not allow 'colour' here (it allows framework, version, model_handler", None),
    "field": (_unknown_field, "/properties/dlm:foo", {"bar": 1}, "has no such field (an Item's dlm: fields are "
              "dlm:inputs, dlm:outputs, dlm:runtime, dlm:architecture, dlm:data, dlm:archive)", None),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("source,options", WAYS)
def test_a_value_the_target_schema_refuses_is_left_out_and_reported_at_its_place(case, source, options):
    change, pointer, value, wanted, placeholder = CASES[case]
    doc = changed(source, change)
    frozen = copy.deepcopy(doc)
    result = translate(doc, to="dlm", **options)
    target = options.get("version", BETA3)
    [entry] = [l for l in result.report.losses if l.pointer == pointer]
    assert (entry.kind, entry.value) == ("dropped", value)
    assert entry.reason.startswith(f"dlm {target} ") and wanted in entry.reason, entry.reason
    issues = schema_issues(result.document)
    if options.get("fill_required"):
        assert issues == [] and result.report.problems == []
        if placeholder is not None:
            assert [l.value for l in result.report.losses if l.kind == "synthesized" and l.target == pointer] == \
                [placeholder]
    else:  # what the schema still lacks (a required member left out) is a problem naming its place
        assert [i.pointer for i in issues] == [pointer.rsplit("/", 1)[0]] * (placeholder is not None)
        assert [p.split(" ")[0] for p in result.report.problems] == [pointer] * (placeholder is not None)
        assert all("--fill-required writes a placeholder" in p for p in result.report.problems)
    check_loss_values(frozen, result.report)
    check_targets(result.document, result.report)
    assert translate(result.document, to="dlm", restore=result.report).document == frozen
    assert doc == frozen


@pytest.mark.parametrize("case", CASES)
def test_the_plain_identity_keeps_a_refused_value_and_the_laws_hold_to_the_other_version(case):
    doc = changed(BETA3, CASES[case][0])
    assert translate(doc, to="dlm").document == doc
    run_laws(doc, "dlm", BETA2)
    run_laws(changed(BETA2, CASES[case][0]), "dlm", BETA3)


def test_a_refused_member_is_reported_under_the_source_s_own_spelling_and_shape():
    """beta2's dtype (written as data_type), a list of input tensors (written as its first object)
    and channels (written as dim): the pointer is the source's."""
    doc = sample(BETA2)
    props = doc["properties"]
    props["dlm:data"]["dtype"] = "complex64"
    props["dlm:inputs"]["input_tensors"] = [{"batch": 1, "channels": "3", "height": 256, "width": 256}]
    result = translate(doc, to="dlm", version=BETA3, fill_required=True)
    assert schema_issues(result.document) == [] and result.report.problems == []
    assert {(l.pointer, l.kind, l.value) for l in result.report.losses if l.kind == "dropped"} == {
        (f"{DATA}/dtype", "dropped", "complex64"),
        ("/properties/dlm:inputs/input_tensors/0/channels", "dropped", "3")}
    assert result.document["properties"]["dlm:inputs"]["input_tensors"]["dim"] == 1  # the placeholder's
    assert "data_type" not in result.document["properties"]["dlm:data"]
    check_loss_values(doc, result.report)
    assert translate(result.document, to="dlm", restore=result.report).document == doc


def test_a_refused_list_item_moves_the_items_after_it_with_one_finding_each():
    doc = sample()
    doc["properties"]["dlm:data"]["useful_bands"] = [None, "red", {"index": 1, "name": "green"},
                                                     {"index": 2, "name": "blue"}]
    result = translate(doc, to="dlm", version=BETA2)
    assert schema_issues(result.document) == [] and result.report.problems == []
    assert result.document["properties"]["dlm:data"]["useful_bands"] == [{"index": 1, "name": "green"},
                                                                           {"index": 2, "name": "blue"}]
    assert [(l.pointer, l.value) for l in result.report.losses if l.kind == "dropped"] == [
        (f"{DATA}/useful_bands/0", None), (f"{DATA}/useful_bands/1", "red")]
    assert [(f.pointer, f.message, f.target) for f in result.report.findings if f.code == "moved"] == [
        (f"{DATA}/useful_bands/2", "written 2 places earlier: the item(s) before it are left out",
         f"{DATA}/useful_bands/0"),
        (f"{DATA}/useful_bands/3", "written 2 places earlier: the item(s) before it are left out",
         f"{DATA}/useful_bands/1")]
    check_targets(result.document, result.report)
    run_laws(doc, "dlm", BETA2)


def test_an_object_emptied_of_refused_members_is_left_out_without_a_second_entry():
    doc = sample()
    doc["properties"]["dlm:data"] = {"useful_bands": "red", "number_of_bands": 0}
    for options in ({"version": BETA2}, {"fill_required": True}):
        result = translate(doc, to="dlm", **options)
        assert schema_issues(result.document) == [] and result.report.problems == []
        assert "dlm:data" not in result.document["properties"]
        assert [(l.pointer, l.value) for l in result.report.losses if l.pointer.startswith(DATA)] == [
            (f"{DATA}/number_of_bands", 0), (f"{DATA}/useful_bands", "red")]
    run_laws(doc, "dlm", BETA2)


def test_a_docker_image_name_that_is_no_text_is_reported_with_its_value_before_the_placeholder():
    doc = sample()
    doc["properties"]["dlm:runtime"]["docker"] = {"image_name": 7, "gpu": True}
    result = translate(doc, to="dlm", fill_required=True)
    assert schema_issues(result.document) == [] and result.report.problems == []
    docker = "/properties/dlm:runtime/docker"
    assert [(l.pointer, l.kind, l.value, l.target) for l in result.report.losses
            if docker in l.pointer + (l.target or "")] == [
        (f"{docker}/image_name", "dropped", 7, None),
        ("", "synthesized", "PLACEHOLDER: the source names no image", f"{docker}/image_name")]


@pytest.mark.parametrize("mapping", [None, "background"])
def test_a_class_name_mapping_that_holds_no_class_is_left_out_whole(mapping):
    doc = sample()
    doc["properties"]["dlm:outputs"]["class_name_mapping"] = mapping
    for options in ({"version": BETA2}, {"fill_required": True}):
        result = translate(doc, to="dlm", **options)
        assert schema_issues(result.document) == [] and result.report.problems == []
        assert "class_name_mapping" not in result.document["properties"]["dlm:outputs"]
        [entry] = [l for l in result.report.losses if l.pointer.endswith("/class_name_mapping")]
        assert (entry.kind, entry.value) == ("dropped", mapping)
        assert entry.reason.startswith("not a class_name_mapping DLM can read")


@pytest.mark.parametrize("mapping,left_out", [({"-1": "void", "0": "background", "1": "road"}, "/-1"),
                                              ([{"index": 0, "class_name": "background"},
                                                {"index": -1, "class_name": "void"},
                                                {"index": 1, "class_name": "road"}], "/1")])
def test_a_class_index_below_0_is_left_out_at_its_own_place(mapping, left_out):
    doc = sample()
    outputs = doc["properties"]["dlm:outputs"]
    outputs["class_name_mapping"], outputs["number_of_classes"] = mapping, 2
    pointer = "/properties/dlm:outputs/class_name_mapping"
    for options in ({"version": BETA2}, {"fill_required": True}):
        result = translate(doc, to="dlm", **options)
        assert schema_issues(result.document) == [] and result.report.problems == []
        assert [(l.pointer, l.kind) for l in result.report.losses if l.pointer.startswith(pointer)] == [
            (pointer + left_out, "dropped")]
        written = result.document["properties"]["dlm:outputs"]["class_name_mapping"]
        assert written == ({"0": "background", "1": "road"} if "version" not in options else
                           [{"index": 0, "class_name": "background"}, {"index": 1, "class_name": "road"}])
        assert translate(result.document, to="dlm", restore=result.report).document == doc
    run_laws(doc, "dlm", BETA2)


@pytest.mark.parametrize("source,options", WAYS)
def test_an_empty_useful_band_is_no_value_as_a_null_one_is(source, options):
    doc = sample(source)
    bands = doc["properties"]["dlm:data"]["useful_bands"]
    bands[1:1] = [{}, None]
    doc["properties"]["dlm:archive"].insert(0, {})  # (an archive entry too)
    result = translate(doc, to="dlm", **options)
    assert schema_issues(result.document) == [] and result.report.problems == []
    out = result.document["properties"]
    assert [b["name"] for b in out["dlm:data"]["useful_bands"]] == ["red", "green", "blue"]
    assert out["dlm:archive"][0] == {"name": "weights/model.pt", "role": "model weight"}
    assert [(l.pointer, l.value) for l in result.report.losses if l.kind == "dropped"] == [
        (f"{DATA}/useful_bands/1", {}), (f"{DATA}/useful_bands/2", None), ("/properties/dlm:archive/0", {})]
    assert not [l for l in result.report.losses if l.kind == "synthesized"]
    assert translate(result.document, to="dlm", restore=result.report).document == doc


def test_a_collection_s_summary_of_an_unknown_field_is_left_out():
    props = sample()["properties"]
    collection = {"type": "Collection", "stac_version": "1.0.0", "id": "rooftops", "description": "d",
                  "stac_extensions": [sample()["stac_extensions"][0]], "license": "MIT", "links": [],
                  "extent": {"spatial": {"bbox": [[-180, -90, 180, 90]]}, "temporal": {"interval": [[None, None]]}},
                  "summaries": {"dlm:inputs": [props["dlm:inputs"]], "dlm:foo": [{"bar": 1}]}}
    for options in ({"version": BETA2}, {"fill_required": True}):
        result = translate(collection, to="dlm", **options)
        assert schema_issues(result.document) == [] and result.report.problems == []
        assert list(result.document["summaries"]) == ["dlm:inputs"]
        assert [(l.pointer, l.kind, l.value) for l in result.report.losses] == [
            ("/summaries/dlm:foo", "dropped", [{"bar": 1}])]
    assert translate(collection, to="dlm").document == collection
    run_laws(collection, "dlm", BETA2)


def test_refused_values_the_validator_cannot_take_as_they_are_are_reported_too():
    """An integer beyond 64 bits, and a value nested 300 levels deep (found by the property tests)."""
    deep = "bottom"
    for _ in range(300):
        deep = {"k": deep}
    doc = sample()
    doc["properties"]["dlm:runtime"]["framework"] = 2 ** 70
    doc["properties"]["dlm:outputs"]["post_processing_function"] = deep
    result = translate(doc, to="dlm", version=BETA2, fill_required=True)
    assert schema_issues(result.document) == [] and result.report.problems == []
    assert [(l.pointer, l.value) for l in result.report.losses if l.kind == "dropped"] == [
        ("/properties/dlm:outputs/post_processing_function", deep), ("/properties/dlm:runtime/framework", 2 ** 70)]


def test_dlm_keys_where_the_schema_forbids_them_are_left_out():
    """At an Item's top level, in an asset, and an unknown field that is null."""
    doc = sample()
    doc["dlm:inputs"] = {"name": "image"}
    doc["assets"]["model"]["dlm:archive"] = []
    doc["properties"]["dlm:foo"] = None
    frozen = copy.deepcopy(doc)
    for options in ({"version": BETA2}, {"fill_required": True}):
        result = translate(doc, to="dlm", **options)
        assert schema_issues(result.document) == [] and result.report.problems == []
        # (to the other version the asset's key is an unknown field of the generic write)
        assert sorted((l.pointer, l.kind, l.value) for l in result.report.losses) == [
            ("/assets/model/dlm:archive", "unknown" if "version" in options else "dropped", []),
            ("/dlm:inputs", "dropped", {"name": "image"}), ("/properties/dlm:foo", "dropped", None)]
        check_loss_values(frozen, result.report)
        assert translate(result.document, to="dlm", restore=result.report).document == frozen
    assert doc == frozen  # (the asset the output shares with the source is not changed)
    assert translate(doc, to="dlm").document == doc
    run_laws(doc, "dlm", BETA2)


@pytest.mark.parametrize("key,values", [("selected_bands", [0, -1, 2]), ("normalization:mean", [0.4, "0.5", 0.6])])
def test_a_list_whose_places_count_is_left_out_whole_for_one_refused_value(key, values):
    doc = sample()
    doc["properties"]["dlm:inputs"][key] = values
    for options in ({"version": BETA2}, {"fill_required": True}):
        result = translate(doc, to="dlm", **options)
        assert schema_issues(result.document) == [] and result.report.problems == []
        assert key not in result.document["properties"]["dlm:inputs"]
        [entry] = [l for l in result.report.losses if l.pointer.startswith(f"/properties/dlm:inputs/{key}")]
        assert (entry.pointer, entry.kind, entry.value) == (f"/properties/dlm:inputs/{key}", "dropped", values)
        assert "(item 1); the list is left out whole" in entry.reason
    run_laws(doc, "dlm", BETA2)


def test_a_class_entry_s_other_members_are_reported_when_the_mapping_is_rewritten():
    doc = sample()
    doc["properties"]["dlm:outputs"]["class_name_mapping"] = [
        {"index": 0, "class_name": "background", "colour": "black"}, {"index": 1, "name": "building"},
        {"index": 2, "class_name": "road"}]
    pointer = "/properties/dlm:outputs/class_name_mapping"
    for options in ({"version": BETA2}, {"fill_required": True}):
        result = translate(doc, to="dlm", **options)
        assert schema_issues(result.document) == [] and result.report.problems == []
        assert [(l.pointer, l.kind, l.value) for l in result.report.losses if l.pointer.startswith(pointer)] == [
            (f"{pointer}/0/colour", "dropped", "black")]
        assert translate(result.document, to="dlm", restore=result.report).document == doc
    run_laws(doc, "dlm", BETA2)


def test_a_list_item_none_of_whose_members_is_taken_is_left_out_whole():
    """As an empty one is: the archive entry {"colour": "red"} (found by the property tests, with a
    member nested deeply), whose member left out would leave an entry of placeholders only."""
    doc = sample()
    doc["properties"]["dlm:archive"][1] = {"colour": "red"}
    archive = "/properties/dlm:archive"
    for options in ({"version": BETA2}, {"fill_required": True}):
        result = translate(doc, to="dlm", **options)
        assert schema_issues(result.document) == [] and result.report.problems == []
        assert [e["name"] for e in result.document["properties"]["dlm:archive"]] == [
            "weights/model.pt", "rooftops/infer.py"]
        [entry] = [l for l in result.report.losses if l.pointer.startswith(archive)]
        assert (entry.pointer, entry.kind, entry.value) == (f"{archive}/1", "dropped", {"colour": "red"})
        assert entry.reason.startswith("none of its members is one dlm ")
        assert [(f.pointer, f.target) for f in result.report.findings if f.code == "moved"] == [
            (f"{archive}/2", f"{archive}/1")]
    run_laws(doc, "dlm", BETA2)


def test_an_asset_that_is_no_object_is_not_looked_into_for_dlm_keys():
    """(found by the property tests: a null asset stopped a repair with a TypeError)"""
    doc = sample()
    doc["assets"]["thumbnail"] = None
    for options in ({"version": BETA2}, {"fill_required": True}):
        result = translate(doc, to="dlm", **options)
        assert {i.pointer for i in schema_issues(result.document)} == {"/assets/thumbnail"}  # (core STAC's)
