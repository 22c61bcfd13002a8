"""MLM 1.0 ... 1.5.x <-> 1.5.2 and down to 1.4.0 through the same table, on the official examples."""
from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest

from conftest import SPECS, is_mlm_summary_erratum, load_spec, official_issues, spec_files
from translator import detect, translate
from translator.report import Report

OLD = ("1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0", "1.5.0", "1.5.1")
ALL = OLD + ("1.5.2",)
OLD_ITEMS = [rel for v in OLD for rel in spec_files(f"mlm/{v}/examples/item_*.json")]
NEW_ITEMS = spec_files("mlm/1.5.2/examples/item_*.json")
EVERY_EXAMPLE = [rel for v in ALL for rel in spec_files(f"mlm/{v}/examples/*.json")]
URI_152 = "https://stac-extensions.github.io/mlm/v1.5.2/schema.json"
URI_140 = "https://stac-extensions.github.io/mlm/v1.4.0/schema.json"


def version_of(rel: str) -> str:
    return rel.split("/")[1]


def test_the_examples_are_there():
    counts = {v: len(spec_files(f"mlm/{v}/examples/item_*.json")) for v in ALL}
    assert counts == {"1.0.0": 4, "1.1.0": 6, "1.2.0": 7, "1.3.0": 7, "1.4.0": 7,
                      "1.5.0": 9, "1.5.1": 9, "1.5.2": 9}


# --- 1.0 ... 1.5.1 -> 1.5.2 ------------------------------------------------------------

@pytest.mark.parametrize("rel", OLD_ITEMS)
def test_old_item_to_152_is_valid_against_the_official_schema(rel):
    doc = load_spec(rel)
    original = copy.deepcopy(doc)
    result = translate(doc, to="mlm", version="1.5.2", fill_required=True)
    assert official_issues(result.document) == []
    assert result.report.problems == []
    assert result.report.source == ("mlm", version_of(rel)) and result.report.target == ("mlm", "1.5.2")
    assert result.document["stac_extensions"][0] == URI_152
    assert doc == original, "the input was modified"
    # nothing was lost from these examples; only a model artifact type had to be guessed or filled in, and
    # the U-Net example's Item-level entry point read as its source-code asset's
    assert {loss.kind for loss in result.report.losses} <= {"assumed", "synthesized"}
    for loss in result.report.losses:
        assert loss.target and loss.target.startswith("/assets/") and loss.rule in ("artifact-type", "model-asset",
                                                                                     "misplaced-entrypoint")


@pytest.mark.parametrize("rel", OLD_ITEMS)
def test_old_item_to_152_and_back_is_exact_with_restore(rel):
    doc = load_spec(rel)
    original = copy.deepcopy(doc)
    there = translate(doc, to="mlm", version="1.5.2", fill_required=True)
    back = translate(there.document, to="mlm", restore=there.report)
    assert back.document == original
    assert list(back.document["properties"]) == list(original["properties"]), "key order restored"
    # the same through the JSON form of the report
    stored = Report.from_dict(json.loads(json.dumps(there.report.to_dict())))
    assert translate(there.document, to="mlm", restore=stored).document == original


def test_legacy_normalisation_becomes_the_value_scaling_of_the_official_152_example():
    """The 1.5.2 example is the 1.2.0 one upgraded by the MLM authors; the statistics agree."""
    old = load_spec("mlm/1.2.0/examples/item_eo_bands.json")
    official = load_spec("mlm/1.5.2/examples/item_eo_bands.json")
    out = translate(old, to="mlm").document
    got, want = out["properties"]["mlm:input"][0], official["properties"]["mlm:input"][0]
    assert got["value_scaling"] == want["value_scaling"]
    assert len(got["value_scaling"]) == 13
    assert not {"norm_type", "norm_by_channel", "statistics", "norm_clip"} & set(got)
    assert got["input"]["dim_order"] == want["input"]["dim_order"] == ["batch", "bands", "height", "width"]
    # and the source-code asset loses the mlm:model role 1.0-1.1 demanded on every asset
    assert out["assets"]["source_code"]["roles"] == ["mlm:source_code", "code", "metadata"]
    assert "mlm:artifact_type" not in out["assets"]["source_code"]


def test_multi_io_upgrade_matches_the_official_152_example():
    old = load_spec("mlm/1.0.0/examples/item_multi_io.json")
    official = load_spec("mlm/1.5.2/examples/item_multi_io.json")
    result = translate(old, to="mlm")
    out = result.document
    rgb, ndvi = out["properties"]["mlm:input"]
    assert rgb["value_scaling"] is None and "norm_type" not in rgb and "norm_by_channel" not in rgb
    assert [i["input"]["dim_order"] for i in (rgb, ndvi)] == \
        [i["input"]["dim_order"] for i in official["properties"]["mlm:input"][:2]]
    assert out["assets"]["weights"]["raster:bands"] == official["assets"]["weights"]["raster:bands"]
    assert "raster:bands" not in out["properties"]
    assert out["assets"]["weights"]["mlm:artifact_type"] == "torch.save"
    assert official_issues(out) == [] and result.report.problems == []
    codes = {f.code for f in result.report.findings}
    assert {"value-scaling", "dimension-renamed", "moved"} <= codes
    assumed = [l for l in result.report.losses if l.kind == "assumed"]
    assert [(l.value, l.target) for l in assumed] == [("torch.save", "/assets/weights/mlm:artifact_type")]


# --- identity ---------------------------------------------------------------------------

@pytest.mark.parametrize("rel", EVERY_EXAMPLE)
def test_translating_to_its_own_version_is_the_identity(rel):
    doc = load_spec(rel)
    original = copy.deepcopy(doc)
    own = detect(doc).version
    if doc["type"] == "Feature":
        assert own == version_of(rel)
    result = translate(doc, to="mlm", version=own)
    assert result.document == original
    assert result.report.losses == [] and result.report.problems == []
    assert not [f for f in result.report.findings if f.code != "version-assumed"]


# --- 1.5.2 -> 1.4.0 ---------------------------------------------------------------------

@pytest.mark.parametrize("rel", NEW_ITEMS)
def test_152_item_to_140_is_valid_against_the_official_schema(rel):
    doc = load_spec(rel)
    original = copy.deepcopy(doc)
    result = translate(doc, to="mlm", version="1.4.0")
    assert official_issues(result.document) == []
    assert result.report.problems == []
    assert result.document["stac_extensions"][0] == URI_140
    back = translate(result.document, to="mlm", restore=result.report)
    assert back.document == original and doc == original


def test_what_140_cannot_hold_is_reported_with_pointer_and_value():
    doc = load_spec("mlm/1.5.2/examples/item_datacube_variables.json")
    report = translate(doc, to="mlm", version="1.4.0").report
    lost = {(l.pointer, l.kind): l.value for l in report.losses}
    assert lost[("/properties/mlm:tasks/1", "dropped")] == "downscaling"
    assert lost[("/properties/mlm:output/0/tasks/1", "dropped")] == "downscaling"
    assert lost[("/properties/mlm:input/0/variables", "dropped")] == doc["properties"]["mlm:input"][0]["variables"]
    assert lost[("/properties/mlm:output/0/variables", "dropped")] == doc["properties"]["mlm:output"][0]["variables"]
    assert all(l.reason and l.rule for l in report.losses)
    assert "bands-added" in {f.code for f in report.findings}


@pytest.mark.parametrize("rel", OLD_ITEMS)
def test_old_items_to_140_are_valid_and_restore_exactly(rel):
    doc = load_spec(rel)
    result = translate(doc, to="mlm", version="1.4.0", fill_required=True)
    assert official_issues(result.document) == []
    assert translate(result.document, to="mlm", restore=result.report).document == doc


@pytest.mark.parametrize("rel", [r for r in OLD_ITEMS if version_of(r) < "1.3.0"])
def test_older_items_to_130_are_valid(rel):
    result = translate(load_spec(rel), to="mlm", version="1.3.0")
    assert official_issues(result.document) == [] and result.report.losses == []


@pytest.mark.parametrize("target", ("1.2.0", "1.3.0", "1.5.0", "1.5.1"))
def test_every_item_example_to_the_other_versions_is_valid_and_restores_exactly(target):
    for rel in OLD_ITEMS + NEW_ITEMS:
        doc = load_spec(rel)
        result = translate(doc, to="mlm", version=target, fill_required=True)
        assert official_issues(result.document) == [], rel
        assert result.report.problems == [], rel
        assert translate(result.document, to="mlm", restore=result.report).document == doc, rel


# --- what has no equivalent ---------------------------------------------------------------

def _legacy_item(**input_fields) -> dict:
    doc = load_spec("mlm/1.3.0/examples/item_eo_bands.json")
    first = doc["properties"]["mlm:input"][0]
    for key in ("norm_type", "norm_by_channel", "norm_clip", "statistics"):
        first.pop(key, None)
    first.update(input_fields)
    return doc


def test_a_norm_type_without_value_scaling_equivalent_is_reported_and_restored():
    stats = [{"mean": 1.0, "stddev": 2.0}]
    doc = _legacy_item(norm_type="l2", norm_by_channel=False, statistics=stats)
    result = translate(doc, to="mlm", fill_required=True)
    assert official_issues(result.document) == []
    lost = {l.pointer: l for l in result.report.losses if l.kind == "dropped"}
    assert lost["/properties/mlm:input/0/norm_type"].value == "l2"
    assert "value_scaling" in lost["/properties/mlm:input/0/norm_type"].reason
    assert lost["/properties/mlm:input/0/statistics"].value == stats
    assert "value_scaling" not in result.document["properties"]["mlm:input"][0]
    assert translate(result.document, to="mlm", restore=result.report).document == doc
    same = translate(doc, to="mlm", version="1.3.0")
    assert same.document == doc and same.report.losses == []


def test_min_max_statistics_clip_and_extra_statistics():
    doc = _legacy_item(norm_type="min-max", norm_by_channel=True,
                       statistics=[{"minimum": 0, "maximum": 10, "mean": 4.2}, {"minimum": 1, "maximum": 9}])
    result = translate(doc, to="mlm", fill_required=True)
    assert result.document["properties"]["mlm:input"][0]["value_scaling"] == [
        {"type": "min-max", "minimum": 0, "maximum": 10}, {"type": "min-max", "minimum": 1, "maximum": 9}]
    assert [(l.pointer, l.value) for l in result.report.losses if l.kind == "dropped"] == \
        [("/properties/mlm:input/0/statistics/0/mean", 4.2)]
    clip = translate(_legacy_item(norm_clip=[0, 1]), to="mlm", fill_required=True).document
    assert clip["properties"]["mlm:input"][0]["value_scaling"] == [{"type": "clip", "minimum": 0, "maximum": 1}]


def test_value_scaling_without_legacy_equivalent_is_reported_when_writing_130():
    doc = load_spec("mlm/1.5.2/examples/item_eo_bands.json")
    doc["properties"]["mlm:input"][0]["value_scaling"] = [{"type": "scale", "value": 0.0001}]
    result = translate(doc, to="mlm", version="1.3.0")
    lost = [l for l in result.report.losses if l.pointer == "/properties/mlm:input/0/value_scaling"]
    assert [(l.kind, l.value) for l in lost] == [("dropped", [{"type": "scale", "value": 0.0001}])]
    written = result.document["properties"]["mlm:input"][0]
    assert not {"value_scaling", "norm_type", "statistics"} & set(written)
    # z-score per band goes down as norm_type + statistics
    z = translate(load_spec("mlm/1.5.2/examples/item_eo_bands.json"), to="mlm", version="1.3.0").document
    legacy = load_spec("mlm/1.3.0/examples/item_eo_bands.json")["properties"]["mlm:input"][0]
    got = z["properties"]["mlm:input"][0]
    assert (got["norm_type"], got["norm_by_channel"], got["statistics"]) == \
        (legacy["norm_type"], legacy["norm_by_channel"], legacy["statistics"])


def test_cpu_accelerator_is_read_as_amd64():
    doc = load_spec("mlm/1.5.2/examples/item_basic.json")
    doc["properties"]["mlm:accelerator"] = "cpu"
    # to its own version the document is kept as it is, with the finding
    same_version = translate(doc, to="mlm")
    assert same_version.document == doc
    assert ("/properties/mlm:accelerator", "normalised") in {(f.pointer, f.code) for f in same_version.report.findings}
    # asked to repair (or to another version), cpu becomes the schema's amd64
    result = translate(doc, to="mlm", fill_required=True)
    assert result.document["properties"]["mlm:accelerator"] == "amd64"
    assert official_issues(result.document) == []
    assert ("/properties/mlm:accelerator", "normalised") in {(f.pointer, f.code) for f in result.report.findings}
    assert translate(result.document, to="mlm", restore=result.report).document == doc


# --- detection ----------------------------------------------------------------------------

@pytest.mark.parametrize("uri,version", [
    ("https://crim-ca.github.io/mlm-extension/v1.2.0/schema.json", "1.2.0"),
    ("https://stac-extensions.github.io/mlm/v1.2.0/schema.json", "1.2.0"),
    ("https://stac-extensions/mlm/v1.2.0/schema.json", "1.2.0"),
    ("http://crim-ca.github.io/mlm-extension/v1.2.0/schema.json#", "1.2.0"),
])
def test_every_uri_form_is_read_upgraded_and_kept_in_the_identity(uri, version):
    doc = load_spec("mlm/1.2.0/examples/item_multi_io.json")
    doc["stac_extensions"][0] = uri
    found = detect(doc)
    assert (found.extension, found.version, found.declared) == ("mlm", version, True)
    up = translate(doc, to="mlm", fill_required=True)
    assert up.document["stac_extensions"].count(URI_152) == 1
    assert uri not in up.document["stac_extensions"]
    assert official_issues(up.document) == []
    same = translate(doc, to="mlm", version=version)
    assert same.document == doc and same.report.losses == [] and same.report.problems == []
    legacy = [f for f in same.report.findings if f.code == "legacy-uri"]
    if uri != "https://crim-ca.github.io/mlm-extension/v1.2.0/schema.json":
        assert [f.pointer for f in legacy] == ["/stac_extensions/0"]


def test_a_declared_version_the_fields_contradict_is_read_by_the_fields():
    """What pystac does to a 1.2 document: the URI says 1.4.0, the fields are 1.2's."""
    doc = load_spec("mlm/1.2.0/examples/item_eo_bands.json")
    doc["stac_extensions"][0] = URI_140
    found = detect(doc)
    assert found.version == "1.3.0"
    note = [f for f in found.findings if f[1] == "version-by-fields"]
    assert note and note[0][0] == "/properties/mlm:input/0/norm_type" and "1.4.0" in note[0][2]
    result = translate(doc, to="mlm", version="1.4.0")
    assert official_issues(result.document) == []
    assert result.document["stac_extensions"][0] == URI_140
    assert result.document["properties"]["mlm:input"][0]["value_scaling"][0]["type"] == "z-score"
    assert "version-by-fields" in {f.code for f in result.report.findings}


def test_fields_newer_than_the_declared_version_raise_it():
    doc = load_spec("mlm/1.4.0/examples/item_eo_bands.json")
    doc["stac_extensions"][0] = "https://crim-ca.github.io/mlm-extension/v1.2.0/schema.json"
    assert detect(doc).version == "1.4.0"
    doc = load_spec("mlm/1.5.2/examples/item_datacube_variables.json")
    doc["stac_extensions"][0] = URI_140
    found = detect(doc)
    assert found.version == "1.5.0" and any(f[1] == "version-by-fields" for f in found.findings)


def test_an_undeclared_legacy_document_is_read_as_130():
    doc = load_spec("mlm/1.1.0/examples/item_raster_bands.json")
    doc["stac_extensions"] = doc["stac_extensions"][1:]
    found = detect(doc)
    assert found.version == "1.3.0" and not found.declared
    assert "read as mlm 1.3.0" in [f for f in found.findings if f[1] == "version-assumed"][0][2]
    assert official_issues(translate(doc, to="mlm", fill_required=True).document) == []


def test_asset_level_model_fields_are_hoisted_or_reported():
    doc = load_spec("mlm/1.5.2/examples/item_basic.json")  # what pystac's detailed asset extension writes
    model = doc["assets"]["model"]
    model["mlm:name"] = doc["properties"]["mlm:name"]
    model["mlm:hyperparameters"] = {"learning_rate": 0.01}
    model["mlm:output"] = []
    found = detect(doc)
    assert found.version == "1.3.0"
    result = translate(doc, to="mlm")
    out = result.document
    assert official_issues(out) == []
    assert out["properties"]["mlm:hyperparameters"] == {"learning_rate": 0.01}
    assert not {"mlm:name", "mlm:hyperparameters", "mlm:output"} & set(out["assets"]["model"])
    assert ("/assets/model/mlm:hyperparameters", "hoisted") in {(f.pointer, f.code) for f in result.report.findings}
    lost = {l.pointer: l for l in result.report.losses}
    assert lost["/assets/model/mlm:name"].kind == "dropped" and "same value" in lost["/assets/model/mlm:name"].reason
    assert lost["/assets/model/mlm:output"].value == [] and "differs" in lost["/assets/model/mlm:output"].reason
    assert translate(out, to="mlm", restore=result.report).document == doc


def test_reserved_dimension_that_cannot_be_told_is_a_finding():
    doc = _legacy_item()
    doc["properties"]["mlm:input"][0]["input"]["dim_order"] = ["batch", "time", "height", "width"]
    result = translate(doc, to="mlm", fill_required=True)
    assert "dimension-undecided" in {f.code for f in result.report.findings}
    doc["properties"]["mlm:input"][0]["bands"] = []
    doc["properties"]["mlm:input"][0]["input"]["dim_order"] = ["batch", "bands", "height", "width"]
    out = translate(doc, to="mlm", fill_required=True).document
    assert out["properties"]["mlm:input"][0]["input"]["dim_order"] == ["batch", "channel", "height", "width"]


# --- the "Done when" command ----------------------------------------------------------------

def test_done_when_cli_upgrades_the_120_multi_io_item(tmp_path):
    src = SPECS / "mlm/1.2.0/examples/item_multi_io.json"
    report_path = tmp_path / "report.json"
    run = subprocess.run([sys.executable, "-m", "translator", "convert", str(src), "--to", "mlm",
                          "--report", str(report_path)], capture_output=True, timeout=120)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["stac_extensions"][0] == URI_152
    assert official_issues(out) == []
    first = out["properties"]["mlm:input"][0]
    assert "value_scaling" in first and not {"norm_type", "norm_by_channel"} & set(first)
    report = json.loads(report_path.read_text())
    assert (report["source"]["version"], report["target"]["version"]) == ("1.2.0", "1.5.2")
    said = {(f["pointer"], f["code"]) for f in report["findings"]}
    assert ("/properties/mlm:input/0", "value-scaling") in said
    assert ("/properties/mlm:input/0/input/dim_order", "dimension-renamed") in said
    assert ("/properties/raster:bands", "moved") in said
    assert b"value_scaling" in run.stderr and b"mlm 1.2.0 -> mlm 1.5.2" in run.stderr


def test_collections_upgrade_without_new_errors():
    for version in OLD:
        doc = load_spec(f"mlm/{version}/examples/collection.json")
        result = translate(doc, to="mlm", version="1.5.2")
        issues = [i for i in official_issues(result.document) if not is_mlm_summary_erratum(i)]
        assert issues == [] and result.report.losses == []


def test_an_empty_list_of_processing_functions_written_to_an_older_version_is_reported():
    """Found by the deep run: [] became null on the way to MLM 1.1 without a word."""
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_basic.json"))
    doc["properties"]["mlm:output"][0]["post_processing_function"] = []
    result = translate(doc, to="mlm", version="1.1.0")
    assert result.document["properties"]["mlm:output"][0]["post_processing_function"] is None
    assert ("/properties/mlm:output/0/post_processing_function", "lossy") in {
        (l.pointer, l.kind) for l in result.report.losses}


def test_every_model_asset_gets_an_artifact_type_or_a_problem():
    """MLM 1.0-1.1 put mlm:model on every asset; 1.4+ want mlm:artifact_type on each such asset."""
    legacy = translate(load_spec("ml-model/1.0.0/examples/dummy/item.json"), to="mlm", version="1.0.0",
                       fill_required=True).document
    models = [k for k, a in legacy["assets"].items() if "mlm:model" in a["roles"]]
    assert len(models) == len(legacy["assets"]) > 2 and official_issues(legacy) == []
    plain = translate(legacy, to="mlm")
    missing = [i.pointer for i in official_issues(plain.document)
               if i.message == '"mlm:artifact_type" is a required property']
    assert len(missing) > 1
    assert all(any(p in problem for problem in plain.report.problems) for p in missing)
    filled = translate(legacy, to="mlm", fill_required=True)
    assert official_issues(filled.document) == []
    placeholders = [l.target for l in filled.report.losses if l.kind == "synthesized"]
    assert set(placeholders) >= {p + "/mlm:artifact_type" for p in missing}  # each names the field it fills
    assert translate(filled.document, to="mlm", restore=filled.report).document == legacy


def test_mlm_10_wants_the_model_role_on_every_asset():
    doc = load_spec("ml-model/1.0.0/examples/dummy/item.json")
    plain = translate(doc, to="mlm", version="1.0.0")
    assert any("on every asset" in p and "/assets/inference-image" in p for p in plain.report.problems)
    filled = translate(doc, to="mlm", version="1.0.0", fill_required=True)
    assert all("mlm:model" in a["roles"] for a in filled.document["assets"].values())
    added = {l.target for l in filled.report.losses if l.kind == "assumed" and l.rule == "model-role-on-every-asset-1-0"}
    assert added >= {"/assets/inference-image/roles", "/assets/training-image/roles"}
    assert official_issues(filled.document) == []
    assert translate(filled.document, to="ml-model", restore=filled.report).document == doc


def test_a_runtime_asset_of_mlm_10_loses_the_model_role_when_upgraded():
    """1.0-1.1 put mlm:model on every asset; upgraded, a container image is a Container Asset
    with its runtime roles only (no artifact type is guessed or invented for it)."""
    doc = copy.deepcopy(load_spec("mlm/1.0.0/examples/item_eo_bands.json"))
    doc["assets"]["container"] = {"href": "docker.io/org/model:1.0", "type": "application/vnd.oci.image.index.v1+json",
                                  "roles": ["mlm:model", "mlm:inference-runtime", "runtime"]}
    frozen = copy.deepcopy(doc)
    up = translate(doc, to="mlm", fill_required=True)
    container = up.document["assets"]["container"]  # the key stays within MLM
    assert container == {"href": "docker.io/org/model:1.0", "type": "application/vnd.oci.image.index.v1+json",
                         "roles": ["mlm:inference-runtime", "runtime"]}
    assert "/assets/container/roles" in {f.pointer for f in up.report.findings if f.code == "role-corrected"}
    assert not [l for l in up.report.losses if "container" in l.pointer + (l.target or "")]
    assert official_issues(up.document) == []
    assert translate(up.document, to="mlm", version="1.0.0", restore=up.report).document == frozen
    # to 1.0-1.2 the source's roles come back; to its own version the document is unchanged
    for version in ("1.0.0", "1.1.0", "1.2.0"):
        assert translate(doc, to="mlm", version=version).document["assets"]["container"] == frozen["assets"]["container"]
        filled = translate(doc, to="mlm", version=version, fill_required=True)
        assert filled.document["assets"]["container"] == frozen["assets"]["container"]
        assert not [l for l in filled.report.losses if "container" in l.pointer + (l.target or "")]
    same = translate(doc, to="mlm", version="1.0.0")
    assert same.document == frozen and same.report.losses == []
    assert doc == frozen


def test_a_source_code_role_read_from_mlm_model_is_reported_as_the_source_wrote_it():
    """MLM 1.0 put mlm:model on the source-code asset; read as mlm:source_code, which ml-model
    cannot name, the loss is the source's own string at its own place."""
    doc = load_spec("mlm/1.0.0/examples/item_eo_bands.json")
    assert doc["assets"]["source_code"]["roles"][0] == "mlm:model"
    result = translate(doc, to="ml-model")
    lost = {(l.pointer, l.value) for l in result.report.losses if l.pointer.startswith("/assets/source_code")}
    assert lost == {("/assets/source_code/roles/0", "mlm:model")}
    assert translate(result.document, to="mlm", version="1.0.0", restore=result.report).document == doc


def test_asset_keys_with_a_slash_are_escaped_in_the_report():
    doc = copy.deepcopy(load_spec("ml-model/1.0.0/examples/dummy/item.json"))
    doc["assets"]["docs/readme"] = {"href": "README.md", "type": "text/markdown"}
    filled = translate(doc, to="mlm", version="1.0.0", fill_required=True)
    assert "/assets/docs~1readme/roles" in {l.target for l in filled.report.losses}
    assert "/assets/docs~1readme" in " ".join(translate(doc, to="mlm", version="1.0.0").report.problems)
    assert translate(filled.document, to="ml-model", restore=filled.report).document == doc
