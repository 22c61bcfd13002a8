"""Converting twice changes nothing: a repairing translation of an output to its own extension and
version gives it back (docs/catalog.md: an --in-place rerun finds the converted files unchanged)."""
from __future__ import annotations

from conftest import load_spec
from translator import translate


def test_a_repair_to_tdml_keeps_every_task():
    # label:tasks is an array (the label extension): a translation to tdml writes every task, and a
    # repair of that output wrote only the first
    doc = load_spec("tdml/1.0.0/examples/WHU-building_Dataset/item.json")
    doc["properties"]["label:tasks"] = ["Change Detection", "Classification"]
    result = translate(doc, to="tdml", fill_required=True)
    assert result.document["properties"]["label:tasks"] == ["detection", "classification"]
    assert [l for l in result.report.losses if "label:tasks" in l.pointer] == []


def test_a_collection_written_as_dlm_beta2_has_the_beta2_class_list_in_its_summary():
    # a Collection's DLM objects are one-value summaries: they get beta2's spelling too (a repair of
    # the output wrote it, so converting twice changed the document)
    doc = load_spec("tdml/1.0.0/examples/WHU-building_Dataset/collection.json")
    result = translate(doc, to="dlm", version="1.0.0-beta2", fill_required=True)
    (outputs,) = result.document["summaries"]["dlm:outputs"]
    assert outputs["class_name_mapping"] == [{"index": 1, "class_name": "building"}]
    (finding,) = [f for f in result.report.findings if f.code == "written-form"]
    assert finding.target == "/summaries/dlm:outputs/0/class_name_mapping"
