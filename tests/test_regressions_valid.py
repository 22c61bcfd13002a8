"""Counterexamples of law 7 (tests/laws.py: an output of a valid input is valid for the
target schema, or the report says why), kept as plain tests."""
from __future__ import annotations

import copy

from conftest import load_spec, schema_issues
from strategies import load_example
from test_regressions import item
from translator import translate


def _collection(exts: list, **fields) -> dict:
    return {"type": "Collection", "stac_version": "1.0.0", "stac_extensions": exts, "id": "c", "description": "d",
            "license": "MIT", "extent": {"spatial": {"bbox": [[-180, -90, 180, 90]]},
                                         "temporal": {"interval": [[None, None]]}}, "links": [], "assets": {}, **fields}


def test_a_dlm_output_of_rank_three_reads_as_mlm_dimension_names():
    doc = load_example("dlm/1.0.0-beta.3/examples/item.json")
    doc["properties"]["dlm:outputs"]["final_layer_size"] = [1, 2, 3]
    out = translate(doc, to="mlm").document
    assert out["properties"]["mlm:output"][0]["result"]["dim_order"] == ["dim-a", "dim-b", "dim-c"]
    assert [i for i in schema_issues(out) if "dim_order" in i.pointer] == []


def test_dlm_collections_keep_dlm_fields_in_summaries():
    doc = _collection(["https://stac-extensions.github.io/ml-model/v1.0.0/schema.json"],
                      links=[{"rel": "ml-model:inferencing-image", "href": "./x.json"}],
                      summaries={"ml-model:learning_approach": ["supervised"], "ml-model:prediction_type": ["x"]})
    result = translate(doc, to="dlm", fill_required=True)
    assert not [k for k in result.document if k.startswith("dlm:")] and schema_issues(result.document) == []
    assert "/summaries/dlm:runtime" in {f.target for f in result.report.findings if f.code == "to-summary"}


def test_an_empty_architecture_is_not_a_dlm_architecture_type():
    doc = item({"ml-model:architecture": ""})
    plain = translate(doc, to="dlm")
    assert any(p.startswith("/properties/dlm:architecture/type ") for p in plain.report.problems)
    filled = translate(doc, to="dlm", fill_required=True)
    assert filled.document["properties"]["dlm:architecture"]["type"] == "unknown"
    assert not [i for i in schema_issues(filled.document) if "architecture" in i.pointer]


def test_a_negative_mlm_scale_is_not_written_as_a_dlm_factor():
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_basic.json"))
    doc["properties"]["mlm:input"][0]["value_scaling"] = [{"type": "scale", "value": -2.0}]
    result = translate(doc, to="dlm")
    assert "scaling_factor" not in result.document["properties"]["dlm:inputs"]
    assert any(l.pointer == "/properties/mlm:input/0/value_scaling" and l.value == [{"type": "scale", "value": -2.0}]
               for l in result.report.losses)


def test_a_dlm_scaling_that_folds_to_infinity_is_not_carried():
    doc = load_example("dlm/1.0.0-beta.3/examples/item.json")
    doc["properties"]["dlm:inputs"].update({"scaling_factor": 2.2e-311, "normalization:mean": [1e300],
                                            "normalization:std": [1.0]})
    result = translate(doc, to="mlm")
    assert "value_scaling" not in result.document["properties"]["mlm:input"][0]
    assert "/properties/dlm:inputs/normalization:mean" in {l.pointer for l in result.report.losses}


def test_an_ml_model_collection_names_one_of_its_fields():
    doc = _collection(["https://stac-extensions.github.io/mlm/v1.5.2/schema.json"], summaries={"mlm:framework": ["x"]})
    plain = translate(doc, to="ml-model")
    assert schema_issues(plain.document) and any("/summaries/ml-model:architecture" in p for p in plain.report.problems)
    filled = translate(doc, to="ml-model", fill_required=True)
    assert filled.document["summaries"] == {"ml-model:architecture": ["PLACEHOLDER: the source names no architecture"]} \
        and schema_issues(filled.document) == []


def test_a_model_name_from_a_title_matches_the_mlm_pattern():
    import re
    from translator.transforms.mlm import mlm_name
    name = mlm_name("L6\u0002c\u001d\nnL")
    assert "\u001d" not in name and re.fullmatch(r"[a-zA-Z][a-zA-Z0-9_.\-\t\n ]+[a-zA-Z0-9]", name)


def test_a_dlm_framework_mlm_refuses_is_a_problem_or_left_out():
    doc = load_example("dlm/1.0.0-beta.3/examples/item.json")
    doc["properties"]["dlm:runtime"].update({"framework": "torch.", "version": "latest"})
    plain = translate(doc, to="mlm")
    assert {p.split()[0] for p in plain.report.problems} >= {"/properties/mlm:framework", "/properties/mlm:framework_version"}
    filled = translate(doc, to="mlm", fill_required=True)
    assert not {"mlm:framework", "mlm:framework_version"} & set(filled.document["properties"])
    left_out = {l.pointer: l for l in filled.report.losses if "its pattern" in l.reason}
    assert set(left_out) == {"/properties/dlm:runtime/framework", "/properties/dlm:runtime/version"}
    assert all(l.kind == "dropped" and l.target is None for l in left_out.values())


def test_a_short_dlm_framework_version_is_completed_with_fill_required():
    doc = load_example("dlm/1.0.0-beta.3/examples/item.json")
    doc["properties"]["dlm:runtime"]["version"] = "1.5"
    plain = translate(doc, to="mlm")
    assert plain.document["properties"]["mlm:framework_version"] == "1.5"
    assert any(p.startswith("/properties/mlm:framework_version ") and "completes it" in p for p in plain.report.problems)
    filled = translate(doc, to="mlm", fill_required=True)
    assert filled.document["properties"]["mlm:framework_version"] == "1.5.0"
    (loss,) = [l for l in filled.report.losses if l.target == "/properties/mlm:framework_version"]
    assert (loss.kind, loss.value, loss.pointer) == ("lossy", "1.5", "/properties/dlm:runtime/version")
    assert [i for i in schema_issues(filled.document) if "framework_version" in i.pointer] == []
    back = translate(filled.document, to="dlm", restore=filled.report)
    assert back.document == doc


def test_mlm_classes_dlm_cannot_index_are_reported():
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_basic.json"))
    doc["properties"]["mlm:output"][0]["classification:classes"] = [{"value": 0, "name": "a"}, {"value": -3, "name": "b"}]
    result = translate(doc, to="dlm", fill_required=True)
    assert result.document["properties"]["dlm:outputs"]["class_name_mapping"] == {"0": "a"}
    assert [i for i in schema_issues(result.document) if "class_name_mapping" in i.pointer] == []
    assert any(l.pointer == "/properties/mlm:output/0/classification:classes/1"
               and l.value == {"value": -3, "name": "b"} for l in result.report.losses)


def test_dlm_band_names_nothing_describes_are_described_for_mlm():
    doc = load_example("dlm/1.0.0-beta.3/examples/item.json")
    del doc["properties"]["eo:bands"]
    plain = translate(doc, to="mlm")
    assert any(p.startswith("/properties/eo:bands:") for p in plain.report.problems)
    filled = translate(doc, to="mlm", fill_required=True)  # (the example has core STAC issues of its own)
    assert [i for i in schema_issues(filled.document) if "/mlm/" in i.schema or "/eo/" in i.schema] == []
    model = [a for a in filled.document["assets"].values() if "mlm:model" in a["roles"]]
    assert model and all(a["eo:bands"] == [{"name": "red"}, {"name": "green"}, {"name": "nir"}] for a in model)


def test_described_bands_do_not_touch_the_source_extension_list():
    # a DLM document that already declares the MLM URI (and eo): the output's stac_extensions
    # starts as the source's own list, so adding eo must build a new one
    doc = load_example("dlm/1.0.0-beta.3/examples/item.json")
    del doc["properties"]["eo:bands"]
    doc["stac_extensions"] = ["https://stac-extensions.github.io/mlm/v1.5.2/schema.json"]
    before = copy.deepcopy(doc)
    filled = translate(doc, to="mlm", fill_required=True)
    assert doc == before
    assert "https://stac-extensions.github.io/eo/v1.1.0/schema.json" in filled.document["stac_extensions"]
