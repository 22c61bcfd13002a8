"""The placeholder task and docker image a DLM repair writes come from the table (mappings/dlm.yaml,
the ``upgrade`` rule's ``task_placeholder`` and ``image_placeholder`` options), as the list items'
placeholders do: a user's table changes them, and a table whose option is wrong or missing is
refused at load naming the file and the rule (docs/dlm.md, "DLM to DLM")."""
from __future__ import annotations

import json

import pytest

from conftest import SAMPLES, schema_issues
from test_dlm_item_placeholders import user_table
from translator import MappingError, load_tables, translate
from translator.table_files import builtin_dir

TASK = "task_placeholder: classification"
IMAGE = 'image_placeholder: "PLACEHOLDER: the source names no image"'
OUTPUTS, DOCKER = "/properties/dlm:outputs", "/properties/dlm:runtime/docker"
TASK_REASON = "placeholder DLM task (a closed vocabulary: not marked PLACEHOLDER)"


def dlm_without_task() -> dict:
    doc = json.loads((SAMPLES / "dlm-item.json").read_text())
    del doc["properties"]["dlm:outputs"]["task"]
    return doc


def mlm_with_a_task_dlm_lacks() -> dict:
    doc = json.loads((SAMPLES / "mlm-item.json").read_text())
    doc["properties"]["mlm:tasks"] = ["similarity-search"]
    for output in doc["properties"]["mlm:output"]:
        output["tasks"] = ["similarity-search"]
    return doc


def dlm_without_image() -> dict:
    doc = json.loads((SAMPLES / "dlm-item.json").read_text())
    doc["properties"]["dlm:runtime"]["docker"] = {"gpu": True}
    return doc


def synthesized(result, target: str) -> list:
    return [(l.pointer, l.kind, l.value, l.rule, l.reason) for l in result.report.losses
            if l.kind == "synthesized" and l.target == target]


# (to the other version, the task is written with the outputs, from what the source's read into)
@pytest.mark.parametrize("version,rule", [("1.0.0-beta.3", "upgrade"), ("1.0.0-beta2", "inputs-outputs")])
def test_a_user_table_changes_the_placeholder_task_of_a_dlm_repair(tmp_path, version, rule):
    user_table(tmp_path, TASK, 'task_placeholder: "semantic segmentation"')
    result = translate(dlm_without_task(), to="dlm", version=version, fill_required=True, tables=tmp_path)
    assert schema_issues(result.document) == [] and result.report.problems == []
    assert result.document["properties"]["dlm:outputs"]["task"] == "semantic segmentation"
    assert synthesized(result, f"{OUTPUTS}/task") == [("", "synthesized", "semantic segmentation", rule,
                                                       TASK_REASON)]


def test_a_user_table_changes_the_placeholder_task_written_from_another_extension(tmp_path):
    user_table(tmp_path, TASK, "task_placeholder: regression")
    result = translate(mlm_with_a_task_dlm_lacks(), to="dlm", fill_required=True, tables=tmp_path)
    assert schema_issues(result.document) == [] and result.report.problems == []
    assert result.document["properties"]["dlm:outputs"] == {"task": "regression"}
    assert synthesized(result, f"{OUTPUTS}/task") == [("", "synthesized", "regression", "inputs-outputs",
                                                       TASK_REASON)]
    builtin = translate(mlm_with_a_task_dlm_lacks(), to="dlm", fill_required=True)
    assert builtin.document["properties"]["dlm:outputs"] == {"task": "classification"}


def test_a_table_without_an_upgrade_rule_gives_no_placeholder_task_and_says_so(tmp_path):
    text = (builtin_dir() / "dlm.yaml").read_text()
    upgrade = text[text.index("  - id: upgrade\n"):text.index("  - id: spelling\n")]
    user_table(tmp_path, upgrade, "")
    result = translate(mlm_with_a_task_dlm_lacks(), to="dlm", fill_required=True, tables=tmp_path)
    assert "dlm:outputs" not in result.document["properties"]
    assert result.report.problems == [
        f"{OUTPUTS} is required by dlm 1.0.0-beta.3 but is left out: the source has no value for it; "
        f"{OUTPUTS}/task is required by the DLM schema but no task of the source has a DLM equivalent"]
    assert [i.pointer for i in schema_issues(result.document)] == ["/properties"]


@pytest.mark.parametrize("version", ["1.0.0-beta.3", "1.0.0-beta2"])
def test_a_user_table_changes_the_placeholder_image_of_a_dlm_repair(tmp_path, version):
    user_table(tmp_path, IMAGE, "image_placeholder: registry.example/unknown-model:latest")
    result = translate(dlm_without_image(), to="dlm", version=version, fill_required=True, tables=tmp_path)
    assert schema_issues(result.document) == [] and result.report.problems == []
    assert result.document["properties"]["dlm:runtime"]["docker"] == {
        "gpu": True, "image_name": "registry.example/unknown-model:latest"}
    assert synthesized(result, f"{DOCKER}/image_name") == [
        ("", "synthesized", "registry.example/unknown-model:latest", "upgrade",
         f"placeholder for {DOCKER}/image_name: DLM's docker object names an image or a Dockerfile")]


@pytest.mark.parametrize("old,new,message", [
    (TASK, "task_placeholder: segmentation", "options/task_placeholder: 'segmentation' is not one of "
     "['classification', 'regression', 'semantic segmentation', 'object detection', 'object segmentation', "
     "'instance segmentation', 'panoptic segmentation']"),
    (TASK, "task_placeholder: [classification]", "options/task_placeholder: ['classification'] is not of type "
     "'string'"),
    (IMAGE, 'image_placeholder: ""', "options/image_placeholder: '' "),
    (IMAGE, "image_placeholder: 7", "options/image_placeholder: 7 is not of type 'string'"),
    (f"      {TASK}\n", "", "options: 'task_placeholder' is a required property"),
    (f"      {IMAGE}\n", "", "options: 'image_placeholder' is a required property"),
])
def test_a_table_whose_task_or_image_placeholder_is_wrong_is_refused_naming_the_file_and_rule(
        tmp_path, old, new, message):
    path = user_table(tmp_path, old, new)
    with pytest.raises(MappingError) as err:
        load_tables([tmp_path])
    assert str(err.value).startswith(f"{path}: ") and "rule 'upgrade': " + message in str(err.value), str(err.value)
