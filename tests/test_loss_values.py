"""A loss gives the value the source has at its pointer (law 8), and a part that cannot be carried
is reported at its own place, not as a piece of the whole field's value."""
from __future__ import annotations

import copy

import pytest

from conftest import load_spec, resolve as at
from translator import translate
from translator.residue import same

MLM = "mlm/1.5.2/examples/item_basic.json"


def losses(doc: dict, to: str, **kwargs) -> dict:
    """pointer -> loss, after checking every dropped, lossy or unknown value against the source."""
    result = translate(doc, to=to, **kwargs)
    for loss in result.report.losses:
        if loss.kind in ("dropped", "lossy", "unknown") and loss.pointer:
            assert same(at(doc, loss.pointer), loss.value), loss
    return {l.pointer: l for l in result.report.losses}


def mlm(**changes) -> dict:
    doc = copy.deepcopy(load_spec(MLM))
    for where, value in changes.items():
        obj, key = doc["properties"]["mlm:output"][0] if where.startswith("out_") else \
            doc["properties"]["mlm:input"][0], where.split("_", 1)[1]
        if key == "classification:classes":
            obj.pop("classification_classes", None)  # the example's spelling (docs/errata-mlm.md)
        obj[key] = value
    return doc


def test_a_dlm_task_lost_to_ml_model_is_given_as_dlm_wrote_it():
    doc = load_spec("dlm/1.0.0-beta.3/examples/item.json")
    lost = losses(doc, "ml-model")
    assert lost["/properties/dlm:outputs/task"].value == "semantic segmentation"  # not the pivot's name


def test_a_role_given_as_a_list_in_a_dlm_assets_array_is_reported_at_its_item():
    doc = copy.deepcopy(load_spec("dlm/1.0.0-beta.3/examples/item.json"))
    assert type(doc["assets"]) is list and doc["assets"][0]["model_archive"]["role"] == ["model artefact"]
    lost = losses(doc, "ml-model")
    assert lost["/assets/0/model_archive/role/0"].value == "model artefact"


def test_a_dlm_data_remainder_is_reported_key_by_key():
    doc = load_spec("dlm/1.0.0-beta.3/examples/item.json")
    lost = losses(doc, "mlm")
    assert lost["/properties/dlm:data/test_file"].value == "input_test.tif"
    assert "/properties/dlm:data" not in lost  # the rest of it is carried


def test_extra_mlm_heads_are_dropped_one_by_one():
    doc = load_spec("mlm/1.5.2/examples/item_multi_io.json")
    lost = losses(doc, "dlm", fill_required=True)
    for pointer in ("/properties/mlm:input/1", "/properties/mlm:input/2", "/properties/mlm:output/1"):
        assert lost[pointer].kind == "dropped" and lost[pointer].value == at(doc, pointer)


@pytest.mark.parametrize("changes,pointer,kind", [
    ({"in_value_scaling": None}, "/properties/mlm:input/0/value_scaling", "dropped"),
    ({"in_value_scaling": [{"type": "scale", "value": 255}] * 3}, "/properties/mlm:input/0/value_scaling", "lossy"),
    ({"out_classification:classes": []}, "/properties/mlm:output/0/classification:classes", "dropped"),
    ({"out_tasks": []}, "/properties/mlm:output/0/tasks", "lossy"),
    ({"out_post_processing_function": {"format": "python", "expression": "f"}},
     "/properties/mlm:output/0/post_processing_function", "dropped"),
])
def test_an_mlm_part_dlm_does_not_give_back_is_reported_at_its_place(changes, pointer, kind):
    doc = mlm(**changes)
    lost = losses(doc, "dlm", fill_required=True)
    assert lost[pointer].kind == kind and same(lost[pointer].value, at(doc, pointer))


@pytest.mark.parametrize("head,structure,key", [("mlm:input", "input", "dim_order"),
                                                ("mlm:output", "result", "data_type")])
def test_a_structure_without_a_key_dlm_reads_back_with_one_is_reported(head, structure, key):
    doc = mlm()
    del doc["properties"][head][0][structure][key]
    lost = losses(doc, "dlm", fill_required=True)
    loss = lost[f"/properties/{head}/0/{structure}"]
    assert loss.kind == "lossy" and key in loss.reason


def test_mlm_classes_dlm_keeps_only_by_value_and_name_are_reported_each():
    doc = mlm(**{"out_classification:classes": [
        {"value": 0, "name": "a", "description": "a", "color_hint": "ff0000"},
        {"value": 1, "name": "b", "description": "b"}]})
    lost = losses(doc, "dlm", fill_required=True)
    assert lost["/properties/mlm:output/0/classification:classes/0"].kind == "lossy"
    assert "/properties/mlm:output/0/classification:classes/1" not in lost  # reads back as it was


def test_the_legacy_classes_spelling_is_reported_as_read_back_otherwise():
    doc = mlm()
    assert "classification_classes" in doc["properties"]["mlm:output"][0]  # the example's spelling
    lost = losses(doc, "dlm", fill_required=True)
    assert "classification:classes" in lost["/properties/mlm:output/0"].reason


def test_a_container_image_link_loses_its_title_alone_to_dlm():
    doc = copy.deepcopy(load_spec("ml-model/1.0.0/examples/dummy/item.json"))
    index = next(i for i, l in enumerate(doc["links"]) if l["rel"] == "ml-model:inferencing-image")
    lost = losses(doc, "dlm", fill_required=True)
    assert lost[f"/links/{index}/title"].value == doc["links"][index]["title"]
    assert f"/links/{index}" not in lost  # its href is the DLM image name


def test_a_source_code_asset_loses_its_description_alone_to_dlm():
    doc = copy.deepcopy(load_spec(MLM))
    doc["assets"]["code"] = {"href": "https://github.com/o/r", "title": "code", "description": "the code",
                             "roles": ["mlm:source_code", "code"]}
    lost = losses(doc, "dlm", fill_required=True)
    assert lost["/assets/code/description"].value == "the code" and lost["/assets/code/title"].value == "code"
    assert "/assets/code" not in lost


def test_a_dlm_output_that_is_only_a_task_is_not_reported_lost_where_the_task_goes():
    doc = copy.deepcopy(load_spec("dlm/1.0.0-beta.3/examples/item.json"))
    doc["properties"]["dlm:outputs"] = {"task": "semantic segmentation"}
    for target in ("ml-model", "tdml"):
        lost = losses(doc, target)
        assert "/properties/dlm:outputs" not in lost, target
    back = translate(translate(doc, to="ml-model").document, to="dlm", version="1.0.0-beta.3")
    assert back.document["properties"]["dlm:outputs"] == {"task": "semantic segmentation"}
    doc["properties"]["dlm:outputs"]["final_layer_size"] = [1, 5, 64, 64]  # more than the task: reported
    assert "/properties/dlm:outputs" in losses(doc, "ml-model")


def test_tdml_bands_that_stay_in_the_document_are_not_reported_lost():
    doc = copy.deepcopy(load_spec("tdml/1.0.0/examples/WHU-building_Dataset/collection.json"))
    result = translate(doc, to="ml-model")
    assert result.document["properties"]["eo:bands"] == doc["properties"]["eo:bands"]
    assert not [l for l in result.report.losses if l.pointer == "/properties/eo:bands" and l.kind == "dropped"]


def test_raster_bands_dlm_cannot_read_stay_on_their_asset_without_a_loss():
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_raster_bands.json"))
    doc["assets"]["weights"]["raster:bands"] = [1, 2]
    result = translate(doc, to="dlm")
    assert result.document["assets"]["weights"]["raster:bands"] == [1, 2]
    assert not [l for l in result.report.losses if "raster:bands" in l.pointer]


def test_a_null_dlm_normalisation_value_beside_a_scaling_factor_is_reported():
    doc = copy.deepcopy(load_spec("dlm/1.0.0-beta.3/examples/item.json"))
    inputs = doc["properties"]["dlm:inputs"]
    del inputs["normalization:mean"]
    inputs["normalization:std"] = None  # the factor alone reads as a scale; the null has no place
    lost = losses(doc, "mlm")
    assert lost["/properties/dlm:inputs/normalization:std"].kind == "dropped"


def _every_official_translation():
    """(example, target, version, fill_required) for every official example (all four extensions)
    and every version of every other extension."""
    from strategies import EXAMPLES
    from translator import default_tables
    tables = default_tables()
    return [(rel, target, version, fill) for ext, rels in sorted(EXAMPLES.items()) for rel in rels
            for target in tables.names() if target != ext for version in tables[target].versions
            for fill in (False, True)]


def test_no_official_report_says_one_loss_twice():
    """Entries of one rule at one place are one entry (their reasons joined): two of the same kind
    there would be two reports about the same source value."""
    from strategies import load_example
    repeated = []
    for rel, target, version, fill in _every_official_translation():
        seen: dict = {}
        for loss in translate(load_example(rel), to=target, version=version, fill_required=fill).report.losses:
            # pointer "" (a value the source lacks): entries about different targets are different values
            key = (loss.pointer, loss.kind, loss.rule, loss.target if not loss.pointer else None)
            earlier = seen.setdefault(key, loss)
            if earlier is not loss and same(earlier.value, loss.value):
                repeated.append((rel, target, version, fill, key, earlier.reason, loss.reason))
    assert not repeated, repeated[:5]


def test_parts_of_a_value_lost_at_its_place_for_several_reasons_make_one_entry():
    # the second input (no value scaling DLM can write) and the ones after it fall back to the input
    # list the MLM 1.0 reader normalised: one entry, each reason said once
    lost = [l for l in translate(load_spec("mlm/1.0.0/examples/item_multi_io.json"), to="dlm").report.losses
            if l.pointer == "/properties/mlm:input" and l.rule == "inputs-outputs"]
    assert len(lost) == 1 and lost[0].kind == "lossy"
    for reason in ("DLM describes one input; the others are not written", "no value scaling DLM can write"):
        assert lost[0].reason.count(reason) == 1
