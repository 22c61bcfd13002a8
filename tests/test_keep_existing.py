"""keep_existing: a half-migrated document keeps the target fields it already has, and the
translated value that was not used is reported where it came from (translator/keep.py)."""
from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest

from conftest import CHECKOUT, SAMPLES, schema_issues
from laws import run_laws
from strategies import EXAMPLES, load_example
from translator import translate
from translator.errors import TranslatorError

MLM_URI = "https://stac-extensions.github.io/mlm/v1.5.2/schema.json"


def half_migrated() -> dict:
    """The ml-model sample part-way to MLM: its team already wrote an architecture and a name
    other than what the translation makes of its ml-model fields, and an artifact type."""
    doc = json.loads((SAMPLES / "ml-model-item.json").read_text())
    doc["properties"]["mlm:architecture"] = "UNet (ResNet-34 encoder)"
    doc["properties"]["mlm:name"] = "crop-type-unet"
    doc["assets"]["checkpoint"]["mlm:artifact_type"] = "lightning.pytorch.save_checkpoint"
    return doc


def losses(report) -> list[tuple]:
    return [(l.pointer, l.kind, l.value) for l in report.losses]


def test_without_the_option_the_translated_value_wins_and_the_document_s_own_is_reported():
    doc = half_migrated()
    result = translate(doc, to="mlm", fill_required=True)
    props = result.document["properties"]
    assert props["mlm:architecture"] == "U-Net"  # translated from ml-model:architecture
    assert props["mlm:name"] == "crop-type-unet"  # the translation writes no other name: kept in any case
    # a guess from the asset's role never replaces the artifact type the asset has
    assert result.document["assets"]["checkpoint"]["mlm:artifact_type"] == "lightning.pytorch.save_checkpoint"
    found = losses(result.report)
    assert ("/properties/mlm:architecture", "dropped", "UNet (ResNet-34 encoder)") in found
    assert not [l for l in result.report.losses if "artifact_type" in (l.target or l.pointer) + l.reason]
    assert "/properties/ml-model:architecture" not in [l.pointer for l in result.report.losses]


def test_keep_existing_keeps_the_document_s_fields_and_reports_the_translated_value_at_its_source():
    doc = half_migrated()
    frozen = copy.deepcopy(doc)
    result = translate(doc, to="mlm", fill_required=True, keep_existing=True)
    assert doc == frozen
    out = result.document
    props = out["properties"]
    assert (props["mlm:architecture"], props["mlm:name"]) == ("UNet (ResNet-34 encoder)", "crop-type-unet")
    assert out["assets"]["checkpoint"]["mlm:artifact_type"] == "lightning.pytorch.save_checkpoint"
    assert not [k for k in props if k.startswith("ml-model:")]
    assert schema_issues(out) == []  # still a valid MLM Item
    report = result.report
    (lost,) = [l for l in report.losses if l.pointer == "/properties/ml-model:architecture"]
    assert (lost.kind, lost.value, lost.target) == ("dropped", "U-Net", None)
    assert lost.reason == ("the document's own mlm:architecture (/properties/mlm:architecture) is kept (keep_existing, "
                           "--keep-existing): the value \"U-Net\" translated from this field for it is not used")
    # the document's own values are not reported lost; the guessed artifact type, not used, has no entry
    pointers = [l.pointer for l in report.losses]
    assert "/properties/mlm:architecture" not in pointers and "/assets/checkpoint/mlm:artifact_type" not in pointers
    assert not [l for l in report.losses if l.target == "/assets/checkpoint/mlm:artifact_type"]
    findings = {f.pointer: f.message for f in report.findings if f.code == "other-extension-field"}
    kept = "kept (keep_existing, --keep-existing) over the translated value"
    assert f'{kept} "U-Net", reported at /properties/ml-model:architecture' in findings["/properties/mlm:architecture"]
    assert "keep_existing" not in findings["/assets/checkpoint/mlm:artifact_type"]  # no guess was made over it
    assert "keep_existing" not in findings["/properties/mlm:name"]  # nothing was written over it
    # the rest of the report is the one without the option
    plain = translate(doc, to="mlm", fill_required=True).report
    assert [e for e in losses(report) if e[0] != "/properties/ml-model:architecture"] == [
        e for e in losses(plain) if e[0] != "/properties/mlm:architecture"]
    # the report undoes it exactly
    back = translate(out, to="ml-model", restore=report)
    assert back.document == frozen and json.dumps(back.document) == json.dumps(frozen)


@pytest.mark.parametrize("version", ["1.5.2", "1.4.0", "1.0.0"])
def test_the_laws_hold_with_keep_existing(version):
    run_laws(half_migrated(), "mlm", version, keep_existing=True)
    run_laws(half_migrated(), "mlm", version, keep_existing=True, fill_required=True)


def test_a_model_asset_keeps_the_artifact_type_it_has():
    """The model asset's artifact type: a hand-written one stays, the guess from its role goes."""
    doc = json.loads((SAMPLES / "ml-model-item.json").read_text())
    doc["assets"]["checkpoint"]["mlm:artifact_type"] = "torch.jit.script"
    result = translate(doc, to="mlm", keep_existing=True)
    asset = result.document["assets"]["checkpoint"]
    assert asset["mlm:artifact_type"] == "torch.jit.script" and "mlm:model" in asset["roles"]
    assert [(l.pointer, l.kind) for l in result.report.losses if "artifact_type" in (l.target or l.pointer)] == []
    assert translate(result.document, to="ml-model", restore=result.report).document == doc
    run_laws(doc, "mlm", keep_existing=True)


def test_a_value_translated_from_an_mlm_field_goes_back_to_its_source_when_ml_model_keeps_its_own():
    """The other way: an MLM Item that already has an ml-model architecture, translated to ml-model."""
    doc = json.loads((SAMPLES / "mlm-item.json").read_text())
    doc["properties"]["ml-model:architecture"] = "hand-written"
    own = doc["properties"]["mlm:architecture"]
    result = translate(doc, to="ml-model", keep_existing=True)
    assert result.document["properties"]["ml-model:architecture"] == "hand-written"
    (lost,) = [l for l in result.report.losses if l.pointer == "/properties/mlm:architecture"]
    assert (lost.kind, lost.value) == ("dropped", own)
    assert "the document's own ml-model:architecture (/properties/ml-model:architecture) is kept" in lost.reason
    assert translate(result.document, to="mlm", restore=result.report).document == doc
    run_laws(doc, "ml-model", keep_existing=True)


def test_a_container_image_that_would_have_filled_dlm_runtime_is_reported_whole():
    """A transform's write (DLM's runtime from an image link): the link it came from is reported."""
    doc = json.loads((SAMPLES / "ml-model-item.json").read_text())
    doc["properties"]["dlm:runtime"] = {"framework": "PyTorch", "version": "2.1",
                                        "docker": {"image_name": "ghcr.io/example/other:1"}}
    result = translate(doc, to="dlm", keep_existing=True)
    assert result.document["properties"]["dlm:runtime"] == doc["properties"]["dlm:runtime"]
    link = doc["links"][1]
    assert ("/links/1", "dropped", link) in losses(result.report)
    assert not [l for l in result.report.losses if l.pointer.startswith("/links/1/")]
    assert translate(result.document, to="ml-model", restore=result.report).document == doc
    run_laws(doc, "dlm", keep_existing=True)


def test_a_field_the_translation_only_rewrites_in_the_target_version_s_form_is_not_a_conflict():
    """DLM's dlm:data written in the target version's form (its own value, renamed) is written as
    without the option: no value of another field stood against the document's."""
    doc = json.loads((SAMPLES / "ml-model-item.json").read_text())
    doc["properties"]["dlm:data"] = {"dtype": "uint16", "number_of_bands": 4}
    plain = translate(doc, to="dlm")
    kept = translate(doc, to="dlm", keep_existing=True)
    assert kept.document == plain.document
    assert kept.document["properties"]["dlm:data"] == {"data_type": "uint16", "number_of_bands": 4}


def test_keep_existing_is_ignored_with_restore_and_changes_nothing_for_documents_of_one_extension():
    doc = json.loads((SAMPLES / "ml-model-item.json").read_text())
    assert translate(doc, to="mlm", keep_existing=True).document == translate(doc, to="mlm").document
    half = half_migrated()
    result = translate(half, to="mlm", keep_existing=True)
    assert translate(result.document, to="ml-model", restore=result.report, keep_existing=True).document == half


def stacml(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "translator", *map(str, args)], capture_output=True, timeout=300,
                          env=CHECKOUT)


def test_convert_keep_existing_on_a_file_and_a_catalog_and_audit_predicts_it(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "half.json").write_text(json.dumps(half_migrated(), indent=2))
    (src / "plain.json").write_text((SAMPLES / "ml-model-item.json").read_text())
    # one file
    run = stacml("convert", src / "half.json", "--to", "mlm", "--fill-required", "--keep-existing",
                 "--report", tmp_path / "one.json")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["properties"]["mlm:architecture"] == "UNet (ResNet-34 encoder)"
    assert out["assets"]["checkpoint"]["mlm:artifact_type"] == "lightning.pytorch.save_checkpoint"
    report = json.loads((tmp_path / "one.json").read_text())
    assert {"pointer": "/properties/ml-model:architecture", "kind": "dropped", "value": "U-Net"}.items() <= [
        e for e in report["losses"] if e["pointer"] == "/properties/ml-model:architecture"][0].items()
    assert b"kept (keep_existing, --keep-existing) over the translated value" in run.stderr  # the finding, as a note
    plain = stacml("convert", src / "half.json", "--to", "mlm", "--fill-required")
    assert json.loads(plain.stdout)["properties"]["mlm:architecture"] == "U-Net"  # default unchanged
    # a directory run, and its rerun without the option converts again
    run = stacml("convert", src, "--to", "mlm", "--keep-existing", "-o", tmp_path / "out", "--report",
                 tmp_path / "run.json", "-q")
    assert run.returncode == 0, run.stderr
    props = json.loads((tmp_path / "out" / "half.json").read_text())["properties"]
    assert props["mlm:architecture"] == "UNet (ResNet-34 encoder)"
    run_report = json.loads((tmp_path / "run.json").read_text())
    assert run_report["options"]["keep_existing"] is True
    (entry,) = [d for d in run_report["documents"] if d["source"].endswith("half.json")]
    assert ("/properties/ml-model:architecture", "dropped", "U-Net") in {
        (l["pointer"], l["kind"], l["value"]) for l in entry["losses"]}
    run = stacml("convert", src, "--to", "mlm", "-o", tmp_path / "out", "-q")
    assert run.returncode == 0, run.stderr
    assert json.loads((tmp_path / "out" / "half.json").read_text())["properties"]["mlm:architecture"] == "U-Net"
    # audit says what convert does
    audit = stacml("audit", src, "--to", "mlm", "--keep-existing", "--format", "json", "--fail-on", "none")
    assert audit.returncode == 0, audit.stderr
    fields = {(f["field"], f["kind"]): f["count"] for f in json.loads(audit.stdout)["fields"]}
    assert fields[("/properties/ml-model:architecture", "dropped")] == 1
    assert ("/properties/mlm:architecture", "dropped") not in fields
    audit = stacml("audit", src, "--to", "mlm", "--format", "json", "--fail-on", "none")
    fields = {(f["field"], f["kind"]) for f in json.loads(audit.stdout)["fields"]}
    assert ("/properties/mlm:architecture", "dropped") in fields
    assert ("/properties/ml-model:architecture", "dropped") not in fields
    # the option has nothing to do when undoing
    bad = stacml("convert", tmp_path / "out" / "half.json", "--restore", tmp_path / "run.json", "--keep-existing")
    assert bad.returncode == 2 and b"--keep-existing" in bad.stderr


PREFIXES = {"mlm": "mlm:", "ml-model": "ml-model:", "dlm": "dlm:", "tdml": "tdml:"}


def grafted(source_rel: str, target_rel: str, target: str) -> dict:
    """An official example with every *target* field of another official example (fields and
    asset fields, on each asset): a document half-way to *target*, disagreeing with it."""
    doc, other = load_example(source_rel), load_example(target_rel)
    fields = other.get("properties") if other.get("type") == "Feature" else other
    into = doc.get("properties") if doc.get("type") == "Feature" else doc
    into.update({k: copy.deepcopy(v) for k, v in fields.items() if k.startswith(PREFIXES[target])})
    theirs = [a for a in other.get("assets", {}).values() if type(a) is dict] if type(other.get("assets")) is dict else []
    for asset in doc.get("assets", {}).values() if type(doc.get("assets")) is dict else ():
        for their in theirs:
            asset.update({k: copy.deepcopy(v) for k, v in their.items() if k.startswith(PREFIXES[target])})
    return doc


@pytest.mark.parametrize("source, target", [("ml-model", "mlm"), ("mlm", "ml-model"), ("dlm", "mlm"),
                                            ("mlm", "dlm"), ("ml-model", "dlm"), ("dlm", "ml-model"),
                                            ("tdml", "mlm")])
def test_the_laws_hold_on_official_examples_given_the_target_fields_of_another(source, target):
    """Each pair with fields to keep: the first examples whose translation keeps one, laws 1-3, 5,
    6, 8 and 10 with keep_existing (laws 4 and 9 do not apply to documents of two extensions)."""
    checked = 0
    for source_rel in EXAMPLES[source]:
        for target_rel in EXAMPLES[target][:3]:
            doc = grafted(source_rel, target_rel, target)
            try:
                result = translate(doc, to=target, keep_existing=True)
            except TranslatorError:
                continue
            if any("keep_existing" in f.message for f in result.report.findings):
                run_laws(doc, target, keep_existing=True)
                checked += 1
        if checked >= 2:
            break
    assert checked, "no example keeps a field"
