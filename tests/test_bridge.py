"""The training-data bridge: a model linked to the dataset it was trained on."""
from __future__ import annotations

import copy
import json
import subprocess
import sys

from conftest import SPECS, load_spec, official_issues
from translator import translate

WHU = "tdml/1.0.0/examples/WHU-building_Dataset/collection.json"
DOTA_ITEM = "tdml/1.0.0/examples/DOTA-1.5_Dataset/dota_1.5_trainingdata_0000.json"


def test_ml_model_to_mlm_with_training_data():
    model = load_spec("ml-model/1.0.0/examples/dummy/item.json")
    dataset = load_spec(WHU)
    frozen = copy.deepcopy(dataset)
    result = translate(model, to="mlm", fill_required=True, training_data=[(dataset, "whu/collection.json")])
    links = [l for l in result.document["links"] if l.get("href") == "./collection.json" and l["rel"] == "derived_from"]
    assert links and links[0]["ml-aoi:split"] == "train" and links[0]["title"].startswith("WHU-Building")
    assert official_issues(result.document) == []
    assert dataset == frozen
    assert "training-data" in {f.code for f in result.report.findings}


def test_mlm_model_without_tasks_takes_them_from_the_dataset():
    model = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_basic.json"))
    del model["properties"]["mlm:tasks"]
    result = translate(model, to="mlm", training_data=[(load_spec(DOTA_ITEM), "dota/item.json")])
    assert result.document["properties"]["mlm:tasks"] == ["object-detection"]
    (assumed,) = [l for l in result.report.losses if l.rule == "bridge"]
    assert assumed.kind == "assumed" and assumed.value == ["object-detection"]
    # the dataset's self link wins over the location given
    (link,) = [l for l in result.document["links"] if l.get("href") == "dota_v1.5_trainingdata_0000.json"]
    assert link["ml-aoi:split"] == "train"


def test_ml_model_target_writes_train_data_links():
    model = load_spec("mlm/1.5.2/examples/item_basic.json")
    out = translate(model, to="ml-model", training_data=[(load_spec(WHU), "whu.json")]).document
    assert {"rel": "ml-model:train-data", "href": "./collection.json", "type": "application/json",
            "title": load_spec(WHU)["title"]} in out["links"]


def test_cli_training_data():
    run = subprocess.run([sys.executable, "-m", "translator", "convert", str(SPECS / "ml-model/1.0.0/examples/dummy/item.json"),
                          "--to", "mlm", "--training-data", str(SPECS / DOTA_ITEM)], capture_output=True, timeout=120)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert any(l.get("href") == "dota_v1.5_trainingdata_0000.json" and l.get("ml-aoi:split") == "train"
               for l in out["links"])


def test_a_plain_stac_dataset_is_linked_and_a_bad_one_named_before_any_document(tmp_path):
    model = load_spec("ml-model/1.0.0/examples/dummy/item.json")
    plain = {"type": "Collection", "stac_version": "1.0.0", "id": "plain", "description": "d", "license": "MIT",
             "extent": {}, "links": []}  # most datasets carry no ML extension
    result = translate(model, to="mlm", training_data=[(plain, "plain.json")])
    assert [(l["href"], l["ml-aoi:split"]) for l in result.document["links"] if l["rel"] == "derived_from"][-1] == \
        ("plain.json", "train")
    assert result.document["properties"]["mlm:tasks"] == ["object-detection"]  # the model's own
    (tmp_path / "list.json").write_text("[1, 2]")
    (tmp_path / "catalog.json").write_text(json.dumps({"type": "Catalog", "id": "c", "links": []}))
    for name, message in [("list.json", "is not a STAC document"), ("catalog.json", "is not a STAC Item or Collection")]:
        run = subprocess.run([sys.executable, "-m", "translator", "convert",
                              str(SPECS / "ml-model/1.0.0/examples/dummy/item.json"), "--to", "mlm",
                              "--training-data", str(tmp_path / name)], capture_output=True, timeout=120)
        assert run.returncode == 2 and run.stdout == b""
        assert f"error: training data {tmp_path / name} {message}".encode() in run.stderr


def test_a_training_data_link_the_target_cannot_hold_is_reported_with_the_link_as_its_value():
    model = load_spec("mlm/1.5.2/examples/item_basic.json")
    result = translate(model, to="dlm", training_data=[(load_spec(WHU), "whu/collection.json")])
    (lost,) = [l for l in result.report.losses if l.pointer == "" and "no link relation" in l.reason]
    assert lost.kind == "dropped" and lost.value["href"] == "./collection.json"  # the link, not the model


def test_dlm_target_reports_the_training_link_it_cannot_write():
    model = load_spec("mlm/1.5.2/examples/item_basic.json")
    result = translate(model, to="dlm", training_data=[(load_spec(WHU), "whu.json")])
    assert result.document["links"] == model["links"]
    (dropped,) = [l for l in result.report.losses if type(l.value) is dict and l.value.get("href") == "./collection.json"]
    assert dropped.kind == "dropped" and "data:train" in dropped.reason
    (note,) = [f for f in result.report.findings if f.code == "training-data"]
    assert "./collection.json" in note.message and "added" not in note.message
