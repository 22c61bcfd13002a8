"""DLM (1.0.0-beta2, 1.0.0-beta.3 and the variants real files use) <-> the other extensions."""
from __future__ import annotations

import copy
import subprocess
import sys

import jsonschema_rs
import orjson
import pytest

from conftest import extension_errors, ROOT, SAMPLES, SPECS, load_spec, resolve, schema_issues, spec_files
from translator import DocumentError, NoExtensionError, jsonio, translate
from translator.residue import same
from translator.transforms.dlm import classes, value_scaling

DLM_ITEMS = [r for r in spec_files("dlm/*/examples/**/*") if r.endswith((".json", ".yml")) and "collection" not in r]
MLM = "https://stac-extensions.github.io/mlm/v1.5.2/schema.json"
ML_MODEL = "https://stac-extensions.github.io/ml-model/v1.0.0/schema.json"
PROJECT_DLM = orjson.loads((ROOT / "translator/schemas/dlm/v1.0.0-beta.3/schema.json").read_bytes())


def project_errors(doc: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.instance_path))}: {e.message}"
            for e in jsonschema_rs.validator_for(PROJECT_DLM).iter_errors(doc)]


def load(rel: str) -> dict:
    return jsonio.load(SPECS / rel, lenient=True)[0]


def test_the_examples_are_there():
    assert len(DLM_ITEMS) >= 7


@pytest.mark.parametrize("rel", DLM_ITEMS)
@pytest.mark.parametrize("target,uri", [("mlm", MLM), ("ml-model", ML_MODEL)])
def test_dlm_example_translates_to_a_valid_document_and_back_exactly(rel, target, uri):
    doc = load(rel)
    frozen = copy.deepcopy(doc)
    result = translate(doc, to=target, fill_required=True)
    assert extension_errors(result.document, uri) == []
    assert result.report.problems == []
    assert same(doc, frozen)
    back = translate(result.document, to="dlm", restore=result.report)
    assert same(back.document, frozen)


@pytest.mark.parametrize("rel", DLM_ITEMS)
def test_dlm_to_dlm_is_valid_for_the_project_schema_and_the_identity(rel):
    doc = load(rel)
    result = translate(doc, to="dlm", version=translate(doc, to="dlm").report.source[1])
    assert result.report.losses == []
    assert result.document == doc
    upgraded = translate(doc, to="dlm", version="1.0.0-beta.3", fill_required=True)
    assert project_errors(upgraded.document) == []
    assert translate(upgraded.document, to="dlm", restore=upgraded.report).document == doc


def test_beta2_to_beta3_carries_every_dlm_object_in_the_written_form():
    """Both versions hold the same information: nothing goes through the pivot's narrower model,
    only the spellings change (each a finding)."""
    doc = load("dlm/1.0.0-beta2/examples/item.json")
    result = translate(doc, to="dlm", version="1.0.0-beta.3")
    props, original = result.document["properties"], doc["properties"]
    assert result.report.losses == []
    assert props["dlm:architecture"] == original["dlm:architecture"]  # the summary too
    assert props["dlm:runtime"]["docker"] == original["dlm:runtime"]["docker"]
    assert props["dlm:runtime"]["version"] == "1.5"
    data = original["dlm:data"]
    assert props["dlm:data"]["useful_bands"] == data["useful_bands"]  # indices kept
    assert props["dlm:data"]["data_type"] == data["dtype"] and "dtype" not in props["dlm:data"]
    assert props["dlm:data"]["nodata"] == data["nodata_value"]
    assert props["dlm:inputs"]["input_tensors"]["dim"] == original["dlm:inputs"]["input_tensors"]["channels"]
    assert props["dlm:inputs"]["selected_bands"] == original["dlm:inputs"]["selected_bands"]
    assert props["dlm:outputs"]["class_name_mapping"]["5"] == "Lake"
    assert [e["role"] for e in props["dlm:archive"]] == ["config file", "test set", "model weight"]
    assert result.document["stac_extensions"][0].endswith("/v1.0.0-beta.3/extensions/dl-model/json-schema/schema.json")
    assert project_errors(result.document) == []
    codes = {(f.pointer, f.code) for f in result.report.findings}
    assert ("/properties/dlm:data/dtype", "written-form") in codes
    assert translate(result.document, to="dlm", restore=result.report).document == doc


def _sample() -> dict:
    return jsonio.load(SAMPLES / "dlm-item.json")[0]


def _to_each_dlm_target(doc: dict):
    """(options, result) of a DLM Item to the other version and repaired as its own, and of its
    beta2 form (written from it) to beta.3 and repaired as beta2."""
    beta2 = copy.deepcopy(doc)  # (the reader takes either version's spellings); the URI a schema is found by
    beta2["stac_extensions"][0] = "https://schemas.stacspec.org/v1.0.0-beta.2/extensions/dl-model/json-schema/schema.json"
    for source, options in ((doc, {"version": "1.0.0-beta2"}), (doc, {"fill_required": True}),
                            (beta2, {"version": "1.0.0-beta.3"}),
                            (beta2, {"version": "1.0.0-beta2", "fill_required": True})):
        yield options, translate(copy.deepcopy(source), to="dlm", **options)


def _losses_below(result, where: str) -> dict:
    """{pointer below *where*: (kind, value)} of the losses at or below *where*."""
    return {l.pointer[len(where):]: (l.kind, l.value) for l in result.report.losses if l.pointer.startswith(where)}


@pytest.mark.parametrize("mapping,dropped,kept", [
    ({"0": "", "1": "b"}, {"/0": ""}, [(1, "b")]),
    ([{"index": 0, "class_name": "a"}, {"index": 1, "class_name": ""}, {"index": 2, "class_name": "c"}],
     {"/1": {"index": 1, "class_name": ""}}, [(0, "a"), (2, "c")]),
    ({"0": "", "1": ""}, {"": {"0": "", "1": ""}}, None),   # no class left: the mapping goes whole
])
def test_a_dlm_class_with_an_empty_name_is_left_out_at_its_place(mapping, dropped, kept):
    """DLM class names cannot be empty (minLength 1 in both versions): DLM to DLM carried one as it
    was, so the output was invalid. The class is left out, dropped at its own place with its value;
    a mapping with no named class is left out whole. No other name is the source's."""
    doc = _sample()
    doc["properties"]["dlm:outputs"]["class_name_mapping"] = mapping
    where = "/properties/dlm:outputs/class_name_mapping"
    for options, result in _to_each_dlm_target(doc):
        assert schema_issues(result.document) == [], options
        written = result.document["properties"]["dlm:outputs"].get("class_name_mapping")
        assert (classes(written) if written is not None else None) == kept, options
        losses = _losses_below(result, where)
        assert losses == {place: ("dropped", value) for place, value in dropped.items()}, options
        assert all("cannot be empty" in l.reason or "no class in it has a name" in l.reason
                   for l in result.report.losses if l.pointer.startswith(where))
    beta2 = translate(copy.deepcopy(doc), to="dlm", version="1.0.0-beta2")
    assert translate(beta2.document, to="dlm", restore=beta2.report).document == doc
    assert translate(doc, to="dlm").document == doc  # to the same version without a repair: as it is


def test_a_moved_class_of_a_beta2_list_is_named_where_it_is_written():
    doc = _sample()
    doc["stac_extensions"][0] = "dl-model"
    doc["properties"]["dlm:outputs"]["class_name_mapping"] = [{"index": 0, "class_name": ""},
                                                              {"index": 1, "class_name": "b"}]
    result = translate(doc, to="dlm", version="1.0.0-beta2", fill_required=True)
    assert [(f.pointer, f.target) for f in result.report.findings if f.code == "moved"] == [
        ("/properties/dlm:outputs/class_name_mapping/1", "/properties/dlm:outputs/class_name_mapping/0")]


@pytest.mark.parametrize("data,dropped", [
    ({"process_level": None, "number_of_bands": None}, {"/process_level": None, "/number_of_bands": None}),
    ({"useful_bands": [None]}, {"/useful_bands": [None]}),
    ({"number_of_bands": None, "item_examples": [None, None]},
     {"/number_of_bands": None, "/item_examples": [None, None]}),
])
def test_a_dlm_data_left_empty_by_its_nulls_is_left_out(data, dropped):
    """dlm:data needs at least one member (minProperties 1 in both versions). Once its nulls were
    left out, DLM to DLM wrote it empty, and a repair to the same version wrote an object of
    nulls only back as it was: both invalid. It is now left out, each null reported at its place."""
    doc = _sample()
    doc["properties"]["dlm:data"] = data
    where = "/properties/dlm:data"
    for options, result in _to_each_dlm_target(doc):
        assert schema_issues(result.document) == [], options
        assert "dlm:data" not in result.document["properties"], options
        losses = _losses_below(result, where)
        assert losses == {place: ("dropped", value) for place, value in dropped.items()}, options
    repaired = translate(copy.deepcopy(doc), to="dlm", fill_required=True)
    assert translate(repaired.document, to="dlm", restore=repaired.report).document == doc
    assert translate(doc, to="dlm").document == doc


def test_a_required_dlm_object_of_nulls_only_is_filled_by_a_repair_to_the_same_version():
    """A repair to the same version wrote an object of nulls only back as it was (invalid); its
    nulls are now left out and its required members filled, as to the other version."""
    doc = _sample()
    props = doc["properties"]
    props["dlm:outputs"] = {"task": None, "number_of_classes": None}
    props["dlm:runtime"] = {"framework": None}
    result = translate(doc, to="dlm", fill_required=True)
    assert schema_issues(result.document) == [] and result.report.problems == []
    assert result.document["properties"]["dlm:outputs"] == {"task": "classification"}
    assert {(l.pointer, l.kind) for l in result.report.losses} >= {
        ("/properties/dlm:outputs/task", "dropped"), ("/properties/dlm:outputs/number_of_classes", "dropped"),
        ("/properties/dlm:runtime/framework", "dropped")}


@pytest.mark.parametrize("target", ["mlm", "tdml", "ml-model"])
def test_nulls_in_dlm_inputs_and_outputs_to_another_extension_are_read_as_no_value(target):
    """A null task, don't-care index, band selection or normalisation mean was reported with a
    reason about a value (the task is not a name, the index names no listed class, ...): they are
    no value, as a null field is; the shape written for null sizes says they are unknown."""
    doc = _sample()
    props = doc["properties"]
    for obj, key in (("dlm:outputs", "task"), ("dlm:outputs", "dont_care_index"), ("dlm:inputs", "selected_bands"),
                     ("dlm:inputs", "normalization:mean"), ("dlm:inputs", "input_tensors"),
                     ("dlm:outputs", "final_layer_size")):
        props[obj][key] = None
    result = translate(doc, to=target, fill_required=True)
    assert schema_issues(result.document) == []
    losses = {l.pointer: l for l in result.report.losses}
    for pointer in ("/properties/dlm:outputs/task", "/properties/dlm:outputs/dont_care_index",
                    "/properties/dlm:inputs/selected_bands", "/properties/dlm:inputs/normalization:mean"):
        assert (losses[pointer].kind, losses[pointer].value, losses[pointer].reason) == \
            ("dropped", None, "null: read as no value"), pointer
    if target == "mlm":  # the sizes DLM does not give are written as -1, and the reasons say so
        assert result.document["properties"]["mlm:input"][0]["input"]["shape"] == [-1, -1, -1, -1]
        for pointer in ("/properties/dlm:inputs/input_tensors", "/properties/dlm:outputs/final_layer_size"):
            assert losses[pointer].kind == "assumed" and "-1" in losses[pointer].reason, pointer
        assert "batch, bands, height, width" in losses["/properties/dlm:inputs/input_tensors"].reason


@pytest.mark.parametrize("rel", spec_files("mlm/1.5.2/examples/item_*.json"))
def test_mlm_items_to_dlm_are_valid_for_the_project_schema(rel):
    doc = load_spec(rel)
    result = translate(doc, to="dlm", fill_required=True)
    assert project_errors(result.document) == []
    assert translate(result.document, to="mlm", restore=result.report).document == doc


def test_the_memory_estimate_changes_meaning_both_ways_and_is_reported_so():
    """DLM's memory estimate (MB, of a training pass) and MLM's memory size (bytes, for inference)
    are converted into each other with a lossy entry either way; between DLM versions it is not one."""
    mlm = load_spec("mlm/1.5.2/examples/item_basic.json")
    mlm["properties"]["mlm:memory_size"] = 123456789
    to_dlm = translate(mlm, to="dlm")
    assert to_dlm.document["properties"]["dlm:architecture"]["estimated_total_size_mb"] == \
        pytest.approx(123456789 / 1048576)
    [loss] = [l for l in to_dlm.report.losses if l.rule == "memory"]
    assert (loss.pointer, loss.kind, loss.value) == ("/properties/mlm:memory_size", "lossy", 123456789)
    assert "training pass" in loss.reason
    back = translate(to_dlm.document, to="mlm")
    assert [(l.pointer, l.kind) for l in back.report.losses if l.rule == "memory"] == \
        [("/properties/dlm:architecture/estimated_total_size_mb", "lossy")]
    beta3 = load("dlm/1.0.0-beta.3/examples/item.json")
    for version in ("1.0.0-beta2", "1.0.0-beta.3"):
        assert not [l for l in translate(beta3, to="dlm", version=version).report.losses if l.rule == "memory"]


def test_beta3_example_values_are_carried():
    doc = load("dlm/1.0.0-beta.3/examples/item.json")
    result = translate(doc, to="mlm", fill_required=True)
    props = result.document["properties"]
    (entry,) = props["mlm:input"]
    assert entry["input"]["shape"] == [1, 3, 224, 224]
    assert entry["input"]["dim_order"] == ["batch", "bands", "height", "width"]
    assert entry["bands"] == ["red", "green", "nir"]  # dlm:data.useful_bands, in their order
    s = 0.003921569
    for got, m, sd in zip(entry["value_scaling"], [0.245, 0.34, 0.67], [0.1, 0.1, 0.2]):
        assert got == {"type": "z-score", "mean": pytest.approx(m / s), "stddev": pytest.approx(sd / s)}
    (out,) = props["mlm:output"]
    assert props["mlm:tasks"] == ["semantic-segmentation"] and out["tasks"] == ["semantic-segmentation"]
    assert out["result"]["shape"] == [1, 5, 64, 64]
    names = {c["value"]: c["name"] for c in out["classification:classes"]}
    assert names[0] == "dontcare" and names[5] == "Lake"
    assert [c["value"] for c in out["classification:classes"] if c.get("nodata")] == [0]
    assert props["mlm:framework"] == "PyTorch" and props["mlm:framework_version"] == "1.5.0"
    assert props["mlm:architecture"] == "unet-resnet-18-scse"
    assert props["mlm:total_parameters"] == 42813873
    assert props["mlm:memory_size"] == round(183.72 * 1048576)
    assert props["mlm:pretrained_source"] == "imagenet"
    assets = result.document["assets"]
    model = assets["model_archive"]
    assert "mlm:model" in model["roles"]
    # the archive's weights file says how the model was saved
    assert model["mlm:artifact_type"] == "torch.save"
    archive = model["href"]
    assert assets["ckpt.best.pth"] == {"href": f"zip://ckpt.best.pth::{archive}",
                                       "title": "ckpt.best.pth (in the model archive)", "roles": ["mlm:weights"]}
    assert assets["config.yml"]["roles"] == ["metadata"]
    runtime = doc["properties"]["dlm:runtime"]
    image = assets["inference-image"]
    assert image["href"] == runtime["docker"]["image_name"]
    assert image["roles"] == ["mlm:inference-runtime", "runtime"]
    code = assets["source-code"]
    assert code["href"] == runtime["model_src_url"] and code["roles"] == ["mlm:source_code", "code"]
    assert code["mlm:entrypoint"] == runtime["model_handler"]
    assert props["mlm:accelerator"] == "cuda"  # docker.gpu: true
    examples = doc["properties"]["dlm:data"]["item_examples"]
    assert [l for l in result.document["links"] if l["rel"] == "example"] == [
        {"rel": "example", "href": e["url"], "title": e["title"]} for e in examples]
    lost = {l.pointer: l.kind for l in result.report.losses}
    for pointer in ("/properties/dlm:architecture/summary", "/properties/dlm:runtime/docker/run", "/properties/dlm:inputs/selected_bands"):
        assert lost[pointer] == "dropped", pointer
    assert lost["/properties/dlm:data/useful_bands"] == "lossy"  # names carried, indices not
    assert lost["/properties/dlm:data/test_file"] == "lossy"  # the file is an asset, not marked as the test file
    assert lost["/properties/dlm:runtime/docker/gpu"] == "assumed"  # which GPU; the need itself reads back
    assert lost["/properties/dlm:inputs/input_tensors"] == "assumed"
    assert lost["/properties/dlm:architecture/estimated_total_size_mb"] == "lossy"
    codes = {f.code for f in result.report.findings}
    assert {"assets-array", "role-renamed"} <= codes


@pytest.mark.parametrize("target,fill", [("mlm", True), ("ml-model", False), ("dlm", True)])
def test_an_assets_array_loses_nothing_silently_and_is_reported_at_its_own_places(target, fill):
    doc = copy.deepcopy(load("dlm/1.0.0-beta.3/examples/item.json"))
    assert type(doc["assets"]) is list  # the official example's form
    doc["assets"] += [{"model_archive": {"href": "https://example.com/other.zip", "role": ["model artefact"]}},
                      {"href": "https://example.com/notes.txt", "title": "notes"}, 5]
    frozen = copy.deepcopy(doc)
    result = translate(doc, to=target, fill_required=fill)
    assert doc == frozen
    assets = result.document["assets"]
    assert assets["model_archive-2"]["href"] == "https://example.com/other.zip"  # a taken key: read under a free one
    assert assets["notes"]["href"] == "https://example.com/notes.txt"
    dropped = [(l.pointer, l.value) for l in result.report.losses if l.pointer.startswith("/assets")
               and l.kind == "dropped" and "role" not in l.pointer]
    assert dropped == [("/assets/3", 5)]
    findings = {(f.code, f.pointer) for f in result.report.findings}
    assert {("asset-key-taken", "/assets/1/model_archive"), ("role-renamed", "/assets/0/model_archive/role"),
            ("role-renamed", "/assets/1/model_archive/role")} <= findings
    for entry in result.report.losses + result.report.findings:  # every pointer is a place of the source
        if entry.pointer.startswith("/assets"):
            resolve(doc, entry.pointer)
    if target == "ml-model":  # no model role: reported where the array entries wrote it (role lists)
        assert {(l.pointer, l.value) for l in result.report.losses if l.pointer.startswith("/assets")} == {
            ("/assets/0/model_archive/role/0", "model artefact"), ("/assets/1/model_archive/role/0", "model artefact"),
            ("/assets/3", 5)}
        assert translate(result.document, to="dlm", restore=result.report).document == frozen
    assert translate(doc, to="dlm").document == frozen  # the same version: the array as it was


def test_input_tensors_given_as_a_list_report_the_tensors_after_the_first():
    doc = copy.deepcopy(load("dlm/1.0.0-beta.3/examples/item.json"))
    first = doc["properties"]["dlm:inputs"]["input_tensors"]
    second = {"batch": 1, "channels": 1, "height": 10, "width": 10}
    doc["properties"]["dlm:inputs"]["input_tensors"] = [first, second]
    frozen = copy.deepcopy(doc)
    result = translate(doc, to="mlm")
    assert result.document["properties"]["mlm:input"][0]["input"]["shape"] == [1, 3, 224, 224]
    assert [(l.kind, l.value) for l in result.report.losses
            if l.pointer == "/properties/dlm:inputs/input_tensors/1"] == [("dropped", second)]
    assert translate(result.document, to="dlm", restore=result.report).document == frozen
    assert translate(doc, to="dlm").document == frozen  # the identity keeps the list


def test_value_scaling_transforms():
    assert value_scaling({"scaling_factor": 0.5}) == [{"type": "scale", "value": 2.0}]
    assert value_scaling({"scaling_factor": [0.5, 0.25]}) == [{"type": "scale", "value": 2.0},
                                                               {"type": "scale", "value": 4.0}]
    per_band = value_scaling({"scaling_factor": [0.5, 0.25], "normalization:mean": [1, 1],
                              "normalization:std": [2, 2]})
    assert per_band == [{"type": "z-score", "mean": 2.0, "stddev": 4.0}, {"type": "z-score", "mean": 4.0, "stddev": 8.0}]
    assert value_scaling({"normalization:mean": [1], "normalization:std": [2, 3]}) is None


@pytest.mark.parametrize("mapping", [
    {"0": "a", "1": "b"}, {"I_0": "a", "I_1": "b"}, [{"index": 0, "class_name": "a"}, {"index": 1, "class_name": "b"}],
    [{"0": "a"}, {"1": "b"}]])
def test_the_three_class_name_mapping_shapes(mapping):
    assert classes(mapping) == [(0, "a"), (1, "b")]


def test_a_task_without_mlm_equivalent_is_reported():
    doc = copy.deepcopy(load("dlm/1.0.0-beta.3/examples/item.json"))
    doc["properties"]["dlm:outputs"]["task"] = "change detection"
    result = translate(doc, to="mlm")
    (loss,) = [l for l in result.report.losses if l.pointer == "/properties/dlm:outputs/task"]
    assert loss.kind == "dropped" and loss.value == "change detection"
    assert "mlm:tasks" not in result.document["properties"]


def test_mlm_tasks_and_heads_into_dlm_are_reported():
    doc = load_spec("mlm/1.5.2/examples/item_multi_io.json")
    result = translate(doc, to="dlm", fill_required=True)
    outputs = result.document["properties"]["dlm:outputs"]
    assert outputs["task"] in PROJECT_DLM["definitions"]["outputs"]["properties"]["task"]["enum"]
    kinds = {(l.pointer, l.kind) for l in result.report.losses}
    # DLM describes one input and one output: each other head is dropped at its own place
    assert {("/properties/mlm:input/1", "dropped"), ("/properties/mlm:input/2", "dropped"),
            ("/properties/mlm:output/1", "dropped")} <= kinds
    assert len(doc["properties"]["mlm:input"]) == 3 and len(doc["properties"]["mlm:output"]) == 2


def test_comments_need_lenient_json(tmp_path):
    path = SPECS / "dlm/1.0.0-beta2/examples/item.json"
    raw = path.read_bytes()
    assert b"//" in raw, "the official beta2 example carries // comments"
    with pytest.raises(DocumentError, match=r"invalid JSON at line \d+ column \d+.*--lenient-json"):
        jsonio.load(path)
    run = subprocess.run([sys.executable, "-m", "translator", "convert", str(path), "--to", "mlm"],
                         capture_output=True, timeout=120)
    assert run.returncode == 1 and b"--lenient-json" in run.stderr and b"Traceback" not in run.stderr
    run = subprocess.run([sys.executable, "-m", "translator", "convert", "--lenient-json", str(path), "--to", "mlm"],
                         capture_output=True, timeout=120)
    assert run.returncode == 0, run.stderr
    converted = orjson.loads(run.stdout)
    # the issue's acceptance command: valid MLM 1.5.2 without --fill-required
    assert extension_errors(converted, MLM) == []
    assert b"requires" not in run.stderr, run.stderr
    assert converted["properties"]["mlm:input"][0]["bands"] == ["red", "green", "nir"]


def test_project_sample_translates():
    doc = orjson.loads((SAMPLES / "dlm-item.json").read_bytes())
    assert project_errors(doc) == []
    result = translate(doc, to="mlm", fill_required=True)
    assert extension_errors(result.document, MLM) == []
    # its model archive (DLM's 'model artefact' role) is MLM's model asset: no placeholder is
    # needed, and the archive entries and the data's bands are carried onto it
    model = result.document["assets"]["model"]
    assert model["roles"] == ["mlm:model"] and [b["data_type"] for b in model["raster:bands"]] == ["uint8"] * 3
    assert not [l for l in result.report.losses if l.kind == "synthesized"]
    assert not [l for l in result.report.losses if l.pointer.startswith(("/properties/dlm:archive", "/properties/dlm:data/data_type"))]


@pytest.mark.parametrize("rel", [r for r in spec_files("dlm/*/examples/collection.json")])
def test_dlm_collection_examples_carry_no_dlm_field_and_say_so(rel):
    """The official DLM Collections only point at DLM Items: no dlm field, no DLM URI. They
    are reported as such (a catalog run copies them unchanged)."""
    doc = load(rel)
    assert doc["type"] == "Collection" and not any(k.startswith("dlm:") for k in doc)
    with pytest.raises(NoExtensionError, match="no supported ML extension"):
        translate(doc, to="mlm")


def test_a_dont_care_index_that_is_not_an_integer_is_reported_not_matched():
    """-0.0 == 0 in Python: a float index must not mark class 0 as nodata (it would come back as 0)."""
    doc = copy.deepcopy(load("dlm/1.0.0-beta.3/examples/item.json"))
    doc["properties"]["dlm:outputs"]["dont_care_index"] = -0.0
    result = translate(doc, to="mlm")
    classes_ = result.document["properties"]["mlm:output"][0]["classification:classes"]
    assert not any(c.get("nodata") for c in classes_)
    assert ("/properties/dlm:outputs/dont_care_index", "dropped") in {(l.pointer, l.kind) for l in result.report.losses}


def test_a_null_mlm_input_or_output_written_to_dlm_is_reported():
    """Found by the deep run: mlm:input null came back missing without a word."""
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_basic.json"))
    doc["properties"]["mlm:input"] = None
    doc["properties"]["mlm:output"] = None
    lost = {(l.pointer, l.kind) for l in translate(doc, to="dlm").report.losses}
    assert {("/properties/mlm:input", "dropped"), ("/properties/mlm:output", "dropped")} <= lost


def small_dlm(**data) -> dict:
    """A small hand-written DLM 1.0.0-beta.3 Item: four source bands, three fed to the model."""
    return {
        "type": "Feature", "stac_version": "1.0.0", "id": "small-dlm",
        "stac_extensions": ["https://schemas.stacspec.org/v1.0.0-beta.3/extensions/dl-model/json-schema/schema.json",
                            "https://stac-extensions.github.io/eo/v1.1.0/schema.json"],
        "geometry": None, "links": [],
        "properties": {
            "datetime": "2024-01-01T00:00:00Z",
            "eo:bands": [{"name": n} for n in ("blue", "green", "red", "nir")],
            "dlm:inputs": {"name": "image", "input_tensors": {"batch": 1, "dim": 3, "height": 64, "width": 64},
                           "selected_bands": [3, 2, 1]},
            "dlm:outputs": {"task": "classification", "final_layer_size": [1, 2],
                            "class_name_mapping": {"0": "other", "1": "forest"}},
            "dlm:runtime": {"framework": "PyTorch", "version": "2.1.0"},
            "dlm:architecture": {"type": "resnet18"},
            "dlm:data": {"useful_bands": [{"index": i, "name": n} for i, n in enumerate(("blue", "green", "red", "nir"))],
                         **data},
        },
        "assets": {"weights": {"href": "https://example.com/model.pt", "roles": ["model artefact"]}},
    }


def test_selected_bands_are_resolved_through_useful_bands():
    """useful_bands give index -> name: the selection is the input's bands, in its order, also when
    useful_bands list more bands than the input has channels."""
    doc = small_dlm()
    frozen = copy.deepcopy(doc)
    result = translate(doc, to="mlm", fill_required=True)
    (entry,) = result.document["properties"]["mlm:input"]
    assert entry["bands"] == ["nir", "red", "green"]
    assert entry["input"]["dim_order"] == ["batch", "bands", "height", "width"]
    lost = {l.pointer: l for l in result.report.losses}
    assert lost["/properties/dlm:inputs/selected_bands"].kind == "lossy"
    assert "resolved through useful_bands" in lost["/properties/dlm:inputs/selected_bands"].reason
    assert extension_errors(result.document, MLM) == []
    assert same(doc, frozen)
    assert same(translate(result.document, to="dlm", restore=result.report).document, frozen)
    # without restore the names come back in the selected order
    back = translate(result.document, to="dlm").document["properties"]
    assert [b["name"] for b in back["dlm:data"]["useful_bands"]] == ["nir", "red", "green"]
    assert project_errors(translate(result.document, to="dlm", fill_required=True).document) == []
    assert translate(doc, to="dlm").document == frozen  # the identity is untouched


@pytest.mark.parametrize("change,why", [
    (lambda p: p["dlm:data"].pop("useful_bands"), "no useful_bands name the indices"),
    (lambda p: p["dlm:inputs"].update(selected_bands=[4, 3, 2]), "the indices [4] are not among"),
    (lambda p: p["dlm:inputs"].update(selected_bands=[3, 3, 2]), "selected twice"),
    (lambda p: p["dlm:inputs"].update(selected_bands=[3, 2]), "2 bands are selected for an input of 3 channels"),
    (lambda p: p["dlm:data"]["useful_bands"][0].pop("index"), "every band an index"),
])
def test_selected_bands_that_cannot_be_resolved_are_reported_with_the_reason(change, why):
    doc = small_dlm()
    change(doc["properties"])
    frozen = copy.deepcopy(doc)
    result = translate(doc, to="mlm", fill_required=True)
    (entry,) = result.document["properties"]["mlm:input"]
    assert "bands" not in entry  # four useful bands do not describe three channels: nothing is guessed
    lost = {l.pointer: l for l in result.report.losses}
    assert lost["/properties/dlm:inputs/selected_bands"].kind == "dropped"
    assert why in lost["/properties/dlm:inputs/selected_bands"].reason
    assert extension_errors(result.document, MLM) == []
    assert same(translate(result.document, to="dlm", restore=result.report).document, frozen)


def test_the_beta3_example_selection_is_not_resolved():
    """selected_bands [0, 1, 3] against useful_bands indices 2, 1, 3: index 0 names no useful band,
    so the bands stay in the useful_bands order and the selection is reported."""
    result = translate(load("dlm/1.0.0-beta.3/examples/item.json"), to="mlm")
    assert result.document["properties"]["mlm:input"][0]["bands"] == ["red", "green", "nir"]
    (loss,) = [l for l in result.report.losses if l.pointer == "/properties/dlm:inputs/selected_bands"]
    assert loss.kind == "dropped" and "[0] are not among the useful_bands indices [2, 1, 3]" in loss.reason


PROCESSING = "https://stac-extensions.github.io/processing/v1.1.0/schema.json"


@pytest.mark.parametrize("target,uri", [("mlm", MLM), ("ml-model", ML_MODEL)])
def test_process_level_becomes_processing_level_with_its_extension(target, uri):
    doc = small_dlm(process_level="L2")
    frozen = copy.deepcopy(doc)
    result = translate(doc, to=target, fill_required=True)
    out = result.document
    assert out["properties"]["processing:level"] == "L2"
    assert PROCESSING in out["stac_extensions"]
    assert extension_errors(out, uri) == [] and extension_errors(out, PROCESSING) == []
    assert "/properties/dlm:data/process_level" not in {l.pointer for l in result.report.losses}
    assert same(doc, frozen)
    assert same(translate(out, to="dlm", restore=result.report).document, frozen)
    # without restore: process_level again, and neither the field nor the URI the way out added
    back = translate(out, to="dlm").document
    assert back["properties"]["dlm:data"]["process_level"] == "L2"
    assert "processing:level" not in back["properties"] and PROCESSING not in back["stac_extensions"]
    assert back["stac_extensions"] == frozen["stac_extensions"]
    # no process level, no processing extension
    plain = translate(small_dlm(), to=target, fill_required=True).document
    assert "processing:level" not in plain["properties"] and PROCESSING not in plain["stac_extensions"]


def test_the_items_own_processing_level_is_kept_and_process_level_reported():
    """The beta.3 example says processing:level L4 (what the model produces) next to
    process_level ortho (the imagery it takes): L4 stays, ortho is reported."""
    doc = load("dlm/1.0.0-beta.3/examples/item.json")
    result = translate(doc, to="mlm", fill_required=True)
    assert result.document["properties"]["processing:level"] == "L4"
    (loss,) = [l for l in result.report.losses if l.pointer == "/properties/dlm:data/process_level"]
    assert loss.kind == "dropped" and loss.value == "ortho" and "'L4'" in loss.reason
    # the same level twice is said once
    same_level = small_dlm(process_level="ortho")
    same_level["properties"]["processing:level"] = "ortho"
    frozen = copy.deepcopy(same_level)
    result = translate(same_level, to="mlm", fill_required=True)
    assert result.document["properties"]["processing:level"] == "ortho"
    assert "process-level-same" in {f.code for f in result.report.findings}
    assert all(l.pointer != "/properties/dlm:data/process_level" for l in result.report.losses)
    assert same(translate(result.document, to="dlm", restore=result.report).document, frozen)


@pytest.mark.parametrize("level,written", [("L1", True), ("raw", True), ("L2A", False), ("L4", False)])
def test_mlm_processing_level_to_dlm_process_level_when_dlm_allows_it(level, written):
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_basic.json"))
    doc["stac_extensions"] = doc["stac_extensions"] + [PROCESSING]
    doc["properties"]["processing:level"] = level
    frozen = copy.deepcopy(doc)
    result = translate(doc, to="dlm", fill_required=True)
    props, codes = result.document["properties"], {f.code for f in result.report.findings}
    if written:
        assert props["dlm:data"]["process_level"] == level and "processing:level" not in props
        assert PROCESSING not in result.document["stac_extensions"]  # no processing field is left
        assert "to-process-level" in codes
    else:  # not one of DLM's values: it stays where it was, and the report says why
        assert props["processing:level"] == level and "process_level" not in props.get("dlm:data", {})
        assert PROCESSING in result.document["stac_extensions"]
        assert "process-level-kept" in codes
    assert project_errors(result.document) == []
    assert same(doc, frozen)
    assert same(translate(result.document, to="mlm", restore=result.report).document, frozen)


def _dlm_collection() -> dict:
    """A DLM Collection as this project writes one (DLM has no Collection fields: one-value
    dlm: summaries), from the official MLM Collection example with an input and output."""
    mlm = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_eo_bands.json"))
    collection = copy.deepcopy(load_spec("mlm/1.5.2/examples/collection.json"))
    for key in ("mlm:input", "mlm:output", "mlm:architecture", "mlm:framework", "mlm:tasks"):
        collection[key] = mlm["properties"][key]
    return collection


def test_a_dlm_collection_is_read_from_the_one_value_summaries_it_is_written_with():
    mlm = _dlm_collection()
    dlm = translate(mlm, to="dlm", fill_required=True).document
    assert {"dlm:inputs", "dlm:outputs", "dlm:architecture", "dlm:runtime"} <= set(dlm["summaries"])
    assert not [k for k in dlm if k.startswith("dlm:")]
    assert project_errors(dlm) == []
    result = translate(dlm, to="mlm")
    assert [l for l in result.report.losses if l.kind == "unknown"] == []
    props = result.document
    assert props["mlm:architecture"] == mlm["mlm:architecture"]
    assert props["mlm:framework"].lower() == mlm["mlm:framework"].lower()  # DLM's spelling: PyTorch
    assert [i["name"] for i in props["mlm:input"]] == [mlm["mlm:input"][0]["name"]]
    assert "summary-as-field" in {f.code for f in result.report.findings}
    # losses point at the summaries the Collection has, with their values
    for loss in result.report.losses:
        if loss.pointer.startswith("/summaries/dlm:"):
            assert loss.pointer.startswith(("/summaries/dlm:inputs/0", "/summaries/dlm:outputs/0",
                                            "/summaries/dlm:runtime/0", "/summaries/dlm:architecture/0",
                                            "/summaries/dlm:data/0")), loss
    # DLM to DLM: the same Collection, summaries and all
    same_version = translate(dlm, to="dlm")
    assert same_version.document == dlm and same_version.report.losses == []
    assert result.report.source == ("dlm", "1.0.0-beta.3")  # the writer's default version
    moved = translate(dlm, to="dlm", version="1.0.0-beta2", fill_required=True).document
    assert not [k for k in moved if k.startswith("dlm:")] and "dlm:inputs" in moved["summaries"]
    assert schema_issues(moved) == []  # the project schema of that version


def test_a_value_carried_inside_a_dropped_field_is_reported_dropped():
    """useful_bands names travel as the input's bands: to ml-model, which has no input, they are
    dropped with it; the scaling folded into the input's value_scaling is covered by the input's
    own drop (no 'lossy' part of a value that is not carried at all)."""
    doc = load("dlm/1.0.0-beta.3/examples/item.json")
    kinds = {}
    for loss in translate(doc, to="ml-model").report.losses:
        kinds.setdefault(loss.pointer, []).append(loss.kind)
    assert kinds["/properties/dlm:inputs"] == ["dropped"]
    assert kinds["/properties/dlm:data/useful_bands"] == ["dropped"]
    assert "/properties/dlm:inputs/scaling_factor" not in kinds
    assert "/properties/dlm:inputs/input_tensors" not in kinds
    kinds = {l.pointer: l.kind for l in translate(doc, to="mlm").report.losses}
    assert kinds["/properties/dlm:data/useful_bands"] == "lossy"  # the names are carried, the indices not
    assert kinds["/properties/dlm:inputs/scaling_factor"] == "lossy"


def test_a_value_carried_in_a_part_the_target_does_not_write_is_reported_dropped():
    """tdml writes the input's band names and the output's class names only: the scaling factor
    folded into the input's value scaling, and the tensor shapes whose data type was assumed,
    are dropped there, not partly carried; MLM writes those parts and keeps them lossy/assumed."""
    doc = load("dlm/1.0.0-beta.3/examples/item.json")
    to_tdml = {l.pointer: l for l in translate(doc, to="tdml").report.losses}
    assert "/properties/dlm:inputs" not in to_tdml  # the band names are carried; the rest part by part
    assert to_tdml["/properties/dlm:inputs/name"].kind == "dropped"  # read back as 'input'
    assert to_tdml["/properties/dlm:data/useful_bands"].kind == "lossy"
    for key in ("scaling_factor", "normalization:mean", "normalization:std"):
        loss = to_tdml[f"/properties/dlm:inputs/{key}"]
        assert loss.kind == "dropped" and "not its value scaling" in loss.reason
        assert loss.value == doc["properties"]["dlm:inputs"][key]
    assert to_tdml["/properties/dlm:inputs/input_tensors"].kind == "dropped"
    assert to_tdml["/properties/dlm:outputs/final_layer_size"].kind == "dropped"
    to_mlm = {l.pointer: l.kind for l in translate(doc, to="mlm").report.losses}
    assert to_mlm["/properties/dlm:inputs/normalization:mean"] == "lossy"
    assert to_mlm["/properties/dlm:inputs/input_tensors"] == "assumed"
    assert to_mlm["/properties/dlm:outputs/final_layer_size"] == "assumed"
    # a guess about a value the source lacks, in a part tdml does not write: nothing to report
    del doc["properties"]["dlm:outputs"]["final_layer_size"]
    pointers = {l.pointer for l in translate(doc, to="tdml").report.losses}
    assert "/properties/dlm:outputs/final_layer_size" not in pointers


def test_one_value_summaries_of_another_extension_become_dlm_fields_of_the_collection():
    """DLM has no summaries of its own: an ml-model Collection's one-value summaries that DLM can
    write (architecture, prediction type) become DLM fields, held as one-value dlm: summaries,
    instead of being dropped; the way back reads them as the summaries they were."""
    doc = load("ml-model/1.0.0/examples/dummy/collection.json")
    result = translate(doc, to="dlm")
    out = result.document
    assert out["summaries"] == {"dlm:outputs": [{"task": "object detection"}], "dlm:architecture": [{"type": "RCNN"}]}
    assert project_errors(out) == [] and schema_issues(out) == []
    assert {l.pointer for l in result.report.losses} == {"/summaries/ml-model:learning_approach"}
    moved = {f.pointer: f.target for f in result.report.findings if f.code == "summary-to-field"}
    assert moved == {"/summaries/ml-model:prediction_type": None,
                     "/summaries/ml-model:architecture/0": "/summaries/dlm:architecture/0/type"}
    back = translate(out, to="ml-model").document
    assert back["summaries"] == {k: v for k, v in doc["summaries"].items() if k != "ml-model:learning_approach"}
    assert translate(out, to="ml-model", restore=result.report).document == doc
    # a summary DLM writes only inside an object it cannot build stays reported at its place
    mlm = copy.deepcopy(load("mlm/1.5.2/examples/collection.json"))
    mlm["summaries"] = {"mlm:framework": ["PyTorch"], "mlm:framework_version": ["2.1", "2.2"]}
    result = translate(mlm, to="dlm")
    assert result.document["summaries"] == {"dlm:runtime": [{"framework": "PyTorch"}]}
    assert {l.pointer: l.kind for l in result.report.losses} == {"/summaries/mlm:framework_version": "dropped"}


def test_a_dlm_framework_in_another_spelling_is_read_as_mlm_s_name():
    doc = load("dlm/1.0.0-beta.3/examples/item.json")
    for written, name in (("PYTORCH", "PyTorch"), ("Hugging_Face", "Hugging Face"), ("mxnet", "MXNet"),
                          ("huggingface", "Hugging Face"),
                          ("darknet", "darknet")):
        doc["properties"]["dlm:runtime"]["framework"] = written
        result = translate(doc, to="mlm")
        assert result.document["properties"]["mlm:framework"] == name
        found = [f.message for f in result.report.findings if f.pointer == "/properties/dlm:runtime/framework"]
        assert found == ([] if name == written else [f"'{written}' read as '{name}'"])
        assert translate(doc, to="dlm").document == doc


def test_a_dlm_summary_that_is_not_a_field_in_dlm_s_form_is_reported_as_not_read():
    """A dlm: summary of several objects is no DLM Collection field: reported dropped with the
    reason (not 'no rule knows this field'), and kept as it is by DLM at the same version."""
    doc = translate(load("ml-model/1.0.0/examples/dummy/collection.json"), to="dlm").document
    doc["summaries"]["dlm:architecture"].append({"type": "UNet"})
    losses = {l.pointer: l for l in translate(doc, to="mlm").report.losses}
    loss = losses["/summaries/dlm:architecture"]
    assert loss.kind == "dropped" and loss.value == doc["summaries"]["dlm:architecture"]
    assert loss.reason.startswith("a summary of 2 values: a DLM Collection gives each of its fields as a summary")
    same = translate(doc, to="dlm")
    assert same.document == doc and same.report.losses == []


def test_number_of_classes_is_carried_as_the_count_of_the_classes():
    """The official Item counts its classes without the don't-care one (5 of 6): that count is
    derived from the classes, so it is not lost and comes back the same way; from MLM, DLM's
    required count is written from the output's classes, with a finding at its place."""
    doc = load("dlm/1.0.0-beta.3/examples/item.json")
    result = translate(doc, to="mlm")
    assert not [l for l in result.report.losses if l.pointer == "/properties/dlm:outputs/number_of_classes"]
    back = translate(result.document, to="dlm")
    assert back.document["properties"]["dlm:outputs"]["number_of_classes"] == 5
    (found,) = [f for f in back.report.findings if f.code == "class-count"]
    assert found.target == "/properties/dlm:outputs/number_of_classes" and "don't-care" in found.message
    mlm = translate(load("mlm/1.5.2/examples/item_multi_io.json"), to="dlm")
    assert mlm.document["properties"]["dlm:outputs"]["number_of_classes"] == 2
    assert list(mlm.document["properties"]["dlm:outputs"])[:2] == ["task", "number_of_classes"]


def test_a_number_of_classes_that_counts_no_listed_classes_is_reported():
    doc = copy.deepcopy(load("dlm/1.0.0-beta.3/examples/item.json"))
    doc["properties"]["dlm:outputs"]["number_of_classes"] = 7
    (loss,) = [l for l in translate(doc, to="mlm").report.losses
               if l.pointer == "/properties/dlm:outputs/number_of_classes"]
    assert loss.kind == "dropped" and loss.value == 7
    assert "(6, or 5 without the don't-care one)" in loss.reason
    assert translate(doc, to="dlm").document == doc
    del doc["properties"]["dlm:outputs"]["number_of_classes"]  # the identity adds no count
    assert translate(doc, to="dlm").document == doc
    # a lone don't-care class counted as 0: not the schema's count (at least 1), so not derived
    doc["properties"]["dlm:outputs"].update(class_name_mapping=[{"0": "dontcare"}], number_of_classes=0)
    assert "/properties/dlm:outputs/number_of_classes" in {l.pointer for l in translate(doc, to="mlm").report.losses}
    assert translate(doc, to="dlm").document == doc
