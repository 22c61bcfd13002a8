"""A report's targets name places the output has (law 10 of tests/laws.py), on
the official examples."""
from __future__ import annotations

import pytest

from strategies import load_example
from laws import check_targets
from translator import translate
from translator.transforms.dlm_versions import WRITE_CLAIMS

EXAMPLES = ["dlm/1.0.0-beta.3/examples/item.json", "ml-model/1.0.0/examples/dummy/item.json", "mlm/1.5.2/examples/item_basic.json",
            "mlm/1.5.2/examples/collection.json",
            "tdml/1.0.0/examples/WHU-building_Dataset/collection.json"]


@pytest.mark.parametrize("target", ["dlm", "ml-model", "mlm", "tdml"])
@pytest.mark.parametrize("path", EXAMPLES)
def test_every_target_is_a_place_of_the_output(path, target):
    doc = load_example(path)
    for fill in (False, True):
        result = translate(doc, to=target, fill_required=fill)
        check_targets(result.document, result.report)


def test_dlm_identity_claims_no_writes():
    doc = load_example("dlm/1.0.0-beta.3/examples/item.json")
    result = translate(doc, to="dlm")
    assert result.report.findings and not [f for f in result.report.findings if f.code in WRITE_CLAIMS]


def test_a_dlm_collection_gets_no_input_dimension_placeholders():
    """DLM requires input dimensions of an Item only: a Collection's input is written without them."""
    doc = load_example("mlm/1.5.2/examples/collection.json")
    inputs = load_example("mlm/1.5.2/examples/item_basic.json")["properties"]["mlm:input"]
    inputs[0]["input"].update(shape=[-1], dim_order=["batch"])
    doc["mlm:input"] = inputs
    doc["stac_extensions"].append("https://stac-extensions.github.io/mlm/v1.5.2/schema.json")
    result = translate(doc, to="dlm", fill_required=True)
    assert result.document["summaries"]["dlm:inputs"][0]["input_tensors"] == {}
    assert not [l for l in result.report.losses if "dimension DLM requires" in l.reason]


@pytest.mark.parametrize("target", ["tdml", "mlm", "ml-model", "dlm"])
def test_a_level_outside_dlm_values_is_said_where_it_goes_only_when_it_goes_there(target):
    """A process level DLM does not list is carried as processing:level, which a way back to DLM
    keeps (a finding aimed at it); tdml has no place for the level: the drop is reported and no
    finding names a processing:level the output lacks."""
    doc = load_example("dlm/1.0.0-beta2/examples/item.json")
    doc["properties"]["dlm:data"]["process_level"] = "0"
    result = translate(doc, to=target)
    check_targets(result.document, result.report)
    here = "/properties/dlm:data/process_level"
    codes = [f.code for f in result.report.findings if f.pointer == here]
    kinds = [l.kind for l in result.report.losses if l.pointer == here]
    if target in ("mlm", "ml-model"):
        assert result.document["properties"]["processing:level"] == "0"
        assert codes == ["outside-vocabulary"] and kinds == []
    elif target == "tdml":
        assert "processing:level" not in result.document["properties"]
        assert codes == [] and kinds == ["dropped"]
    else:  # DLM to DLM at the other version: a value its schema refuses is left out (the identity keeps it)
        assert "process_level" not in result.document["properties"]["dlm:data"]
        assert codes == [] and kinds == ["dropped"]
        assert translate(doc, to="dlm", version="1.0.0-beta2").document == doc


def _bare(path: str) -> dict:
    """The example without its model fields' values, so that the writers need placeholders."""
    doc = load_example(path)
    fields = doc["properties"] if doc["type"] == "Feature" else doc
    for key in [k for k in fields if k.split(":")[0] in ("dlm", "ml-model", "mlm", "tdml") and k != "ml-model:type"]:
        del fields[key]
    fields["mlm:pretrained"] = False  # one model field, so that the document is still read as MLM
    return doc


# placeholders that cannot say PLACEHOLDER: a closed vocabulary (DLM's tasks, MLM's below), a number
UNMARKED = {"/properties/dlm:outputs/task": "classification", "/tdml:amount_of_training_data": 0}


@pytest.mark.parametrize("target", ["dlm", "ml-model", "tdml"])
def test_every_placeholder_is_marked_so_that_grep_finds_it(target):
    """Each synthesized value says PLACEHOLDER (grep -l PLACEHOLDER finds the outputs that still
    hold one), except where the schema allows no such text (UNMARKED; the report lists them)."""
    import json
    from translator.pointer import value_at
    seen = 0
    for path in ("mlm/1.5.2/examples/item_basic.json", "mlm/1.5.2/examples/collection.json"):
        result = translate(_bare(path), to=target, fill_required=True)
        synthesized = [l for l in result.report.losses if l.kind == "synthesized"]
        seen += len(synthesized)
        for loss in synthesized:
            written = value_at(result.document, loss.target)
            if loss.target in UNMARKED:
                assert written == UNMARKED[loss.target]
            else:
                assert "PLACEHOLDER" in json.dumps(written), (path, loss.target, written)
    assert seen


def test_mlm_placeholders_are_marked_except_the_closed_task_vocabulary():
    import json
    from translator.pointer import value_at
    doc = load_example("ml-model/1.0.0/examples/dummy/item.json")
    for key in ("ml-model:architecture", "ml-model:prediction_type"):
        del doc["properties"][key]
    result = translate(doc, to="mlm", fill_required=True)
    synthesized = {l.target: value_at(result.document, l.target) for l in result.report.losses if l.kind == "synthesized"}
    assert synthesized.pop("/properties/mlm:tasks") == ["classification"]
    assert "/properties/mlm:architecture" in synthesized
    for target, written in synthesized.items():
        assert "PLACEHOLDER" in json.dumps(written), (target, written)
