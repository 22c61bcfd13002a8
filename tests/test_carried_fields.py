"""Target fields a half-migrated document carries as they are (translator/conflicts.py,
translator/carried.py): each one the target refuses at its version (a word outside its
vocabulary, a field on an asset that may not have it, another JSON type) is a problem naming it,
so that the output is valid or says why (law 7); the laws hold."""
from __future__ import annotations

import copy

from conftest import schema_issues
from laws import run_laws
from strategies import load_example
from translator import translate
from translator.pointer import covers


def _said(result) -> list[str]:
    return [p.split(": ", 1)[0] for p in result.report.problems]


def _unexplained(result) -> list:
    said = _said(result)
    return [i for i in schema_issues(result.document)
            if not any(covers(p, i.pointer) or covers(i.pointer, p) for p in said)]


def test_an_artifact_type_carried_on_an_asset_that_is_not_the_model_asset_is_a_problem():
    """The official ml-model dummy Item's `model` asset is an inference runtime: an
    mlm:artifact_type carried there makes the MLM 1.5.2 output invalid (only the model asset
    may have one); it was reported valid."""
    doc = copy.deepcopy(load_example("ml-model/1.0.0/examples/dummy/item.json"))
    doc["assets"]["model"]["mlm:artifact_type"] = "torch.save"
    for fill_required in (False, True):
        result = translate(doc, to="mlm", version="1.5.2", fill_required=fill_required)
        assert "/assets/model/mlm:artifact_type: \"torch.save\", carried as the document has it, where mlm " \
               "1.5.2 wants it on the model asset only (the asset whose roles include mlm:model)" \
               in result.report.problems
        assert _unexplained(result) == []
    assert [i.pointer for i in schema_issues(translate(doc, to="mlm", fill_required=True).document)] == ["/assets/model"]
    run_laws(doc, "mlm", "1.5.2", fill_required=True)


def test_an_accelerator_outside_the_vocabulary_carried_is_a_problem():
    doc = copy.deepcopy(load_example("ml-model/1.0.0/examples/dummy/item.json"))
    doc["properties"]["mlm:accelerator"] = "quantum"
    result = translate(doc, to="mlm", version="1.5.2", fill_required=True)
    assert result.report.problems == [
        "/properties/mlm:accelerator: \"quantum\", carried as the document has it, where mlm 1.5.2 wants one of "
        "amd64, cuda, xla, amd-rocm, intel-ipex-cpu, intel-ipex-gpu, macos-arm, or null"]
    assert [i.pointer for i in schema_issues(result.document)] == ["/properties/mlm:accelerator"]
    run_laws(doc, "mlm", "1.5.2", fill_required=True)
    doc["properties"]["mlm:accelerator"] = "cuda"  # one of its words: carried, no problem
    result = translate(doc, to="mlm", version="1.5.2", fill_required=True)
    assert result.report.problems == [] and schema_issues(result.document) == []


def test_an_item_field_carried_on_an_asset_is_a_problem_from_mlm_1_4():
    """MLM 1.4+ refuses mlm:name, mlm:input, mlm:output and mlm:hyperparameters on an asset."""
    doc = copy.deepcopy(load_example("ml-model/1.0.0/examples/dummy/item.json"))
    doc["assets"]["other"]["mlm:name"] = "a name"
    result = translate(doc, to="mlm", version="1.5.1", fill_required=True)
    assert _said(result) == ["/assets/other/mlm:name"] and _unexplained(result) == []


def test_ml_model_fields_carried_are_checked_against_ml_model():
    """ml-model's fields are text (its processor type cpu or gpu) on the Item and its assets."""
    doc = copy.deepcopy(load_example("mlm/1.5.2/examples/item_basic.json"))
    doc["properties"]["ml-model:learning_approach"] = ["supervised"]
    doc["assets"]["model"]["ml-model:training-processor-type"] = "tpu"
    result = translate(doc, to="ml-model", fill_required=True)
    assert sorted(result.report.problems) == [
        '/properties/ml-model:learning_approach: ["supervised"], carried as the document has it, where ml-model '
        "1.0.0 wants text",
        '/assets/model/ml-model:training-processor-type: "tpu", carried as the document has it, where ml-model '
        "1.0.0 wants cpu or gpu"][::-1]
    assert _unexplained(result) == []
    run_laws(doc, "ml-model", fill_required=True)


def test_dlm_fields_carried_are_checked_against_the_project_dlm_schema():
    """DLM's fields are Item and Collection fields: one carried on an asset is refused."""
    doc = copy.deepcopy(load_example("mlm/1.5.2/examples/item_basic.json"))
    doc["assets"]["model"]["dlm:data"] = 7
    result = translate(doc, to="dlm", version="1.0.0-beta.3", fill_required=True)
    assert [p for p in result.report.problems if p.startswith("/assets/model/dlm:data: 7, carried")] != []
    assert _unexplained(result) == []


def test_an_mlm_input_of_another_type_carried_on_an_asset_is_no_crash():
    """The way back of an ml-model Collection whose asset carries `mlm:input: 7` read that asset's
    input as a list (TypeError: 'int' object is not iterable)."""
    doc = copy.deepcopy(load_example("ml-model/1.0.0/examples/dummy/collection.json"))
    doc["assets"] = {"example": {"href": "https://example.com/examples/file.xyz", "mlm:input": 7}}
    run_laws(doc, "mlm", "1.5.2", fill_required=True)


def test_a_task_outside_mlm_vocabulary_carried_is_a_problem():
    doc = copy.deepcopy(load_example("ml-model/1.0.0/examples/dummy/item.json"))
    doc["assets"]["other"]["mlm:tasks"] = ["quantum"]  # (the Item's own mlm:tasks is translated)
    result = translate(doc, to="mlm", version="1.0.0", fill_required=True)
    assert _said(result) == ["/assets/other/mlm:tasks"] and _unexplained(result) == []


def test_a_target_field_the_translation_completed_from_the_document_is_checked_too():
    """An MLM Item with DLM's dlm:runtime (version a number, as in a DLM example): the DLM writer
    writes the runtime from the MLM framework and keeps the document's other parts, version 1.9
    included, which DLM refuses; the output was reported valid."""
    doc = copy.deepcopy(load_example("mlm/1.5.2/examples/item_pytorch_geo_unet.json"))
    doc["properties"]["dlm:runtime"] = {"framework": "PyTorch", "version": 1.9, "model_handler": "m.predict"}
    result = translate(doc, to="dlm", version="1.0.0-beta.3")
    assert result.document["properties"]["dlm:runtime"]["framework"] != "PyTorch"  # (translated)
    assert result.document["properties"]["dlm:runtime"]["version"] == 1.9
    assert [p for p in result.report.problems if p.startswith("/properties/dlm:runtime: ")] != []
    assert _unexplained(result) == []


def test_an_ml_model_type_refused_on_an_asset_is_placed_at_the_asset_not_at_type():
    """Grafted documents, medium profile: the MLM 1.1 Item's source_code asset given
    `ml-model:type: 7` (and an ml-model:architecture on another asset), to ml-model 1.0.0. The
    validator placed the output's errors at /type ('"Collection" was expected': the
    Collection branch of ml-model's Item/Collection oneOf), where the report said nothing; an
    error of the Item branch is now given where it is."""
    doc = copy.deepcopy(load_example("mlm/1.1.0/examples/item_eo_and_raster_bands.json"))
    doc["assets"]["source_code"]["ml-model:type"] = 7
    doc["assets"]["weights"]["ml-model:architecture"] = "RCNN"
    result = translate(doc, to="ml-model", version="1.0.0")
    assert [(i.pointer, i.message) for i in schema_issues(result.document)] == [
        ("/properties", '"ml-model:learning_approach" is a required property'),
        ("/assets/source_code/ml-model:type", '"ml-model" was expected')]
    assert "/assets/source_code/ml-model:type: 7, carried as the document has it, where ml-model 1.0.0 wants " \
           "the text ml-model" in result.report.problems
    assert _unexplained(result) == []
    filled = translate(doc, to="ml-model", version="1.0.0", fill_required=True)
    assert [i.pointer for i in schema_issues(filled.document)] == ["/assets/source_code/ml-model:type"]
    assert _unexplained(filled) == []


def test_a_carried_mlm_input_whose_dim_order_lacks_its_bands_is_a_problem_from_mlm_1_5():
    """Grafted documents, medium profile: the ml-model cyclone Item given the mlm:input of the
    MLM 1.0 eo-bands example (13 bands, dim_order batch, channel, height, width), to MLM 1.5.0,
    which wants a 'bands' dimension when bands are listed: the output was invalid there and the
    report said nothing of it. MLM 1.4 has no such rule."""
    doc = copy.deepcopy(load_example("ml-model/1.0.0/examples/cyclone-wind-speed/item.json"))
    doc["properties"]["mlm:input"] = copy.deepcopy(
        load_example("mlm/1.0.0/examples/item_eo_bands.json")["properties"]["mlm:input"])
    for fill_required in (False, True):
        result = translate(doc, to="mlm", version="1.5.0", fill_required=fill_required)
        [problem] = [p for p in result.report.problems if p.startswith("/properties/mlm:input:")]
        assert problem.endswith("carried as the document has it, where mlm 1.5.0 wants a dim_order naming the "
                                "'bands' dimension, as bands are listed (at /0/input/dim_order of it)")
        assert "/properties/mlm:input/0/input/dim_order" in [i.pointer for i in schema_issues(result.document)]
        assert _unexplained(result) == []
    older = translate(doc, to="mlm", version="1.4.0", fill_required=True)
    assert not [p for p in older.report.problems if p.startswith("/properties/mlm:input")]
    run_laws(doc, "mlm", "1.5.0", fill_required=True)


def test_a_carried_framework_version_outside_mlms_pattern_is_kept_and_a_problem():
    """Grafted documents, medium profile: an mlm:framework_version outside the semantic-version
    pattern every MLM version has, carried on an asset, was not checked (the project's description
    of MLM said only 'text'); carried in the Item's properties, fill_required changed it, with a
    `lossy` entry pointing nowhere in the source beside a `dropped` one at its place. A carried
    field is kept as the document has it: a problem of the output, with or without fill_required."""
    doc = copy.deepcopy(load_example("ml-model/1.0.0/examples/dummy/item.json"))
    doc["assets"]["model"]["mlm:framework_version"] = "quantum"
    result = translate(doc, to="mlm", version="1.0.0", fill_required=True)
    assert '/assets/model/mlm:framework_version: "quantum", carried as the document has it, where mlm 1.0.0 ' \
           'wants a semantic version (MAJOR.MINOR.PATCH, e.g. 2.1.0)' in result.report.problems
    assert [i.pointer for i in schema_issues(result.document)] == ["/assets/model/mlm:framework_version"]
    assert _unexplained(result) == []
    doc = copy.deepcopy(load_example("ml-model/1.0.0/examples/dummy/item.json"))
    doc["properties"]["mlm:framework_version"] = "1.5"
    for fill_required in (False, True):
        result = translate(doc, to="mlm", version="1.0.0", fill_required=fill_required)
        assert result.document["properties"]["mlm:framework_version"] == "1.5"
        assert [p for p in result.report.problems if "framework_version" in p] == [
            '/properties/mlm:framework_version: "1.5", carried as the document has it, where mlm 1.0.0 wants a '
            'semantic version (MAJOR.MINOR.PATCH, e.g. 2.1.0)']
        assert not [l for l in result.report.losses if "framework" in l.pointer + (l.target or "")]
        assert "/properties/mlm:framework_version" in [i.pointer for i in schema_issues(result.document)]
        assert _unexplained(result) == []
    run_laws(doc, "mlm", "1.0.0", fill_required=True)


def test_an_artifact_type_carried_in_an_items_properties_is_a_problem_from_mlm_1_4():
    """Grafted documents, medium profile: the DLM beta.3 Item given `mlm:artifact_type` in its
    properties, to MLM 1.4.0, which allows it on assets only: the output was invalid at
    /properties with no problem saying so. MLM 1.3 allows it there."""
    doc = copy.deepcopy(load_example("dlm/1.0.0-beta.3/examples/item.json"))
    doc["properties"]["mlm:artifact_type"] = "torch.save"
    result = translate(doc, to="mlm", version="1.4.0", fill_required=True)
    assert '/properties/mlm:artifact_type: "torch.save", carried as the document has it, where mlm 1.4.0 wants ' \
           'nothing here: it is an asset field (of the model asset), not an Item field' in result.report.problems
    assert [i.pointer for i in schema_issues(result.document) if "mlm:artifact_type" in i.message] == ["/properties"]
    assert not [i for i in _unexplained(result) if "mlm:artifact_type" in i.message]  # (the example's errata aside)
    older = translate(doc, to="mlm", version="1.3.0", fill_required=True)
    assert not [p for p in older.report.problems if p.startswith("/properties/mlm:artifact_type")]
    run_laws(doc, "mlm", "1.4.0", fill_required=True)
