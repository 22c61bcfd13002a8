"""Known faults of the official schemas (docs/errata-mlm.md): validation sets aside exactly the errors
they cause, against the official MLM schemas of every version, and counts them when asked."""
from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner

from conftest import SPECS
from translator.cli import main
from translator.validation import SchemaStore, check_document


MLM_VERSIONS = sorted(p.name for p in (SPECS / "mlm").iterdir() if (p / "schema.json").is_file())


def _store() -> SchemaStore:
    return SchemaStore.default(extra_dirs=[SPECS])


def _collection(version: str) -> dict:
    """The official example Collection of *version*, declaring MLM (the examples do not) and with
    array summaries, the form STAC gives them."""
    doc = json.loads((SPECS / "mlm" / version / "examples" / "collection.json").read_text())
    schema_id = json.loads((SPECS / "mlm" / version / "schema.json").read_text())["$id"]
    doc["stac_extensions"].append(schema_id)
    doc["summaries"]["platform"] = ["sentinel-2a", "sentinel-2b"]
    doc["summaries"]["mlm:tasks"] = ["classification"]
    return doc


def test_every_mlm_version_is_covered():
    assert MLM_VERSIONS == ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0", "1.5.0", "1.5.1", "1.5.2"]


@pytest.mark.parametrize("version", MLM_VERSIONS)
def test_array_summaries_are_set_aside_for_every_mlm_version(version):
    doc = _collection(version)
    before = copy.deepcopy(doc)
    report = check_document(doc, _store(), core=False)
    assert report.issues == []
    assert report.valid
    assert {i.pointer for i in report.errata} == {"/summaries/platform", "/summaries/mlm:tasks"}
    assert {i.erratum for i in report.errata} == {"mlm-array-summaries"}
    assert all("is not of type \"object\"" in i.message or "is not allowed for" in i.message
               for i in report.errata)
    assert doc == before

    strict = check_document(doc, _store(), core=False, strict_schemas=True)
    assert strict.errata == []
    assert strict.issues == report.errata  # the same errors, now counted
    assert not strict.valid


@pytest.mark.parametrize("version", MLM_VERSIONS)
def test_without_array_summaries_nothing_is_set_aside(version):
    doc = _collection(version)
    del doc["summaries"]["platform"], doc["summaries"]["mlm:tasks"]  # left: the official range of datetime
    report = check_document(doc, _store(), core=False, strict_schemas=True)
    assert report.issues == [] and report.errata == []


def test_an_object_summary_the_schema_rejects_is_still_an_error():
    # MLM 1.5.2 forbids a summary object holding the model-asset fields: a real rule, not the erratum.
    doc = _collection("1.5.2")
    doc["summaries"]["mlm:name"] = {"mlm:input": [], "mlm:output": [], "mlm:artifact_type": "a",
                                    "mlm:compile_method": "b"}
    report = check_document(doc, _store(), core=False)
    assert [i.pointer for i in report.issues] == ["/summaries/mlm:name"]
    assert report.issues[0].erratum == ""
    assert {i.pointer for i in report.errata} == {"/summaries/platform", "/summaries/mlm:tasks"}


def test_item_errors_are_never_set_aside():
    doc = json.loads((SPECS / "mlm" / "1.5.2" / "examples" / "item_basic.json").read_text())
    doc["properties"]["mlm:tasks"] = ["not-a-task"]
    report = check_document(doc, _store(), core=False)
    assert report.errata == []
    assert [i.pointer for i in report.issues] == ["/properties/mlm:tasks/0"]


def test_validate_command_sets_errata_aside_and_says_so(tmp_path):
    path = tmp_path / "collection.json"
    path.write_text(json.dumps(_collection("1.5.2")))
    runner = CliRunner()
    args = ["validate", "--no-core", "--schemas", str(SPECS), str(path)]

    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert f"{path}: /summaries/platform: " in result.stdout
    assert "(schema erratum mlm-array-summaries: set aside)" in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "1 document(s) checked: 1 valid, 0 invalid, 0 error(s), 4 set aside (known schema errata)")
    assert "note: 4 error(s) in 1 document(s) set aside as schema erratum mlm-array-summaries" in result.stderr
    assert "docs/errata-mlm.md" in result.stderr

    strict = runner.invoke(main, args + ["--strict-schemas"])
    assert strict.exit_code == 1
    assert strict.stdout.splitlines()[-1] == "1 document(s) checked: 0 valid, 1 invalid, 4 error(s)"
    assert "(schema erratum mlm-array-summaries)" in strict.stdout
    assert "set aside" not in strict.stdout + strict.stderr

    github = runner.invoke(main, args + ["--format", "github"])
    assert github.exit_code == 0
    notices = [line for line in github.stdout.splitlines() if line.startswith("::notice ")]
    assert len(notices) == 4 and all(f"file={path}," in line for line in notices)
    assert "::error" not in github.stdout


def _validate_four_documents(folder, fmt: str):
    """`stacml validate --format FMT` on a valid Item, an invalid one, a Collection valid only with
    the erratum set aside, and a file that is not JSON."""
    good = json.loads((SPECS / "mlm" / "1.5.2" / "examples" / "item_basic.json").read_text())
    bad = copy.deepcopy(good)
    bad["properties"]["mlm:tasks"] = ["not-a-task"]
    (folder / "a-good.json").write_text(json.dumps(good))
    (folder / "b-bad.json").write_text(json.dumps(bad))
    (folder / "c-collection.json").write_text(json.dumps(_collection("1.5.2")))
    (folder / "d-broken.json").write_text("{broken")
    return CliRunner().invoke(main, ["validate", "--no-core", "--schemas", str(SPECS), "--format", fmt, str(folder)])


def test_validate_json_format_lists_every_result_and_the_totals(tmp_path):
    result = _validate_four_documents(tmp_path, "json")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert out["format"] == "stacml-validate/1"
    by_file = {entry["file"].rsplit("/", 1)[-1]: entry for entry in out["documents"]}
    assert list(by_file) == ["a-good.json", "b-bad.json", "c-collection.json", "d-broken.json"]
    assert by_file["a-good.json"]["valid"] and by_file["a-good.json"]["errors"] == []
    assert not by_file["b-bad.json"]["valid"]
    assert [e["pointer"] for e in by_file["b-bad.json"]["errors"]] == ["/properties/mlm:tasks/0"]
    assert by_file["b-bad.json"]["errors"][0]["schema"] == "https://stac-extensions.github.io/mlm/v1.5.2/schema.json"
    collection = by_file["c-collection.json"]
    assert collection["valid"] and collection["errors"] == [] and len(collection["set_aside"]) == 4
    assert {e["erratum"] for e in collection["set_aside"]} == {"mlm-array-summaries"}
    assert by_file["d-broken.json"]["error"].startswith("invalid JSON at line 1")
    assert [(e["id"], e["errors"], e["documents"]) for e in out["errata"]] == [("mlm-array-summaries", 4, 1)]
    assert out["totals"] == {"checked": 3, "valid": 2, "invalid": 1, "errors": 1, "set_aside": 4,
                             "unreadable": 1, "warnings": 0}


def _ml_model_collection_with_summaries() -> dict:
    doc = json.loads((SPECS / "ml-model" / "1.0.0" / "examples" / "dummy" / "collection.json").read_text())
    assert doc["summaries"]["ml-model:architecture"]  # an array summary, written as mlm:architecture's
    return doc


@pytest.fixture
def official_store(tmp_path, monkeypatch):
    """The default schema store reads the official copies (and forgets them afterwards)."""
    from translator.validation import clear_caches
    monkeypatch.setenv("STACML_SCHEMAS", str(SPECS))
    monkeypatch.setenv("STACML_CACHE", str(tmp_path / "cache"))
    clear_caches()
    yield
    clear_caches()


def test_a_translated_collection_valid_only_with_the_erratum_set_aside_says_so(tmp_path, official_store):
    import os
    import subprocess
    import sys
    from translator import translate
    doc = _ml_model_collection_with_summaries()
    result = translate(doc, to="mlm", validate=True)
    assert result.report.validation == [] and result.report.valid
    [note] = [f for f in result.report.findings if f.code == "schema-erratum"]
    assert note.pointer == "" and "error(s) of schema erratum mlm-array-summaries" in note.message
    item = translate(json.loads((SPECS / "ml-model/1.0.0/examples/dummy/item.json").read_text()), to="mlm",
                     fill_required=True, validate=True)
    assert item.report.valid and not [f for f in item.report.findings if f.code == "schema-erratum"]

    source = tmp_path / "in"
    source.mkdir()
    (source / "collection.json").write_text(json.dumps(doc))
    (source / "item.json").write_text((SPECS / "ml-model/1.0.0/examples/dummy/item.json").read_text())
    env = {**os.environ}
    run = subprocess.run([sys.executable, "-m", "translator", "convert", str(source), "--to", "mlm", "-o",
                          str(tmp_path / "out"), "--fill-required", "--validate", "--report", str(tmp_path / "r.json"),
                          "-j", "1"], capture_output=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert b"1 valid only with a known schema erratum set aside" in run.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["totals"]["schema_errata"] == 1 and report["totals"]["invalid"] == 0
    noted = {d["source"].rsplit("/", 1)[-1]: [f["code"] for f in d["findings"]] for d in report["documents"]}
    assert "schema-erratum" in noted["collection.json"] and "schema-erratum" not in noted["item.json"]


def test_validate_junit_format_has_a_test_case_per_document(tmp_path):
    import xml.etree.ElementTree as ET
    result = _validate_four_documents(tmp_path, "junit")
    assert result.exit_code == 1
    suite = ET.fromstring(result.stdout).find("testsuite")
    cases = {c.get("name").rsplit("/", 1)[-1]: c for c in suite.findall("testcase")}
    assert list(cases) == ["a-good.json", "b-bad.json", "c-collection.json", "d-broken.json"]
    assert list(cases["a-good.json"]) == []
    assert cases["b-bad.json"].find("failure").text.startswith("/properties/mlm:tasks/0: ")
    assert "(schema erratum mlm-array-summaries: set aside)" in cases["c-collection.json"].find("system-out").text
    assert cases["c-collection.json"].find("failure") is None
    assert cases["d-broken.json"].find("error") is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "1", "1")


@pytest.mark.parametrize("version", MLM_VERSIONS)
def test_a_translation_without_validation_foresees_the_erratum_where_the_official_schema_shows_it(version):
    """Without validate=True, a translated MLM Collection with array summaries gets a schema-erratum
    finding naming the places the official schema of that version rejects."""
    from translator import translate
    result = translate(_ml_model_collection_with_summaries(), to="mlm", version=version, fill_required=True)
    [note] = [f for f in result.report.findings if f.code == "schema-erratum"]
    shown = check_document(result.document, _store(), core=False).errata
    assert shown and {i.erratum for i in shown} == {"mlm-array-summaries"}
    named = note.message.split("other validators will report errors at ", 1)[1].split(": schema erratum")[0]
    assert set(named.split(", ")) == {i.pointer for i in shown}
    assert "mlm-array-summaries" in note.message and "docs/errata-mlm.md" in note.message


def test_no_erratum_is_foreseen_where_none_shows():
    from translator import translate
    item = translate(json.loads((SPECS / "ml-model/1.0.0/examples/dummy/item.json").read_text()), to="mlm",
                     fill_required=True)
    back = translate(_collection("1.5.2"), to="ml-model")  # the target's schema has no such fault
    no_summaries = _ml_model_collection_with_summaries()
    del no_summaries["summaries"]
    plain = translate(no_summaries, to="mlm")
    for result in (item, back, plain):
        assert not [f for f in result.report.findings if f.code == "schema-erratum"], result.report.findings


def test_an_invalid_output_with_errata_set_aside_is_not_called_valid(tmp_path, official_store):
    """Validation replaces the foreseen finding; an output invalid for other reasons is neither
    called valid nor counted by a catalog run as valid only with the erratum set aside."""
    from translator import translate
    doc = _collection("1.5.2")  # with array summaries, and an object summary the schema rightly rejects
    doc["summaries"]["mlm:name"] = {"mlm:input": [], "mlm:output": [], "mlm:artifact_type": "a",
                                    "mlm:compile_method": "b"}
    result = translate(doc, to="mlm", validate=True)
    assert [i.pointer for i in result.report.validation] == ["/summaries/mlm:name"] and not result.report.valid
    [note] = [f for f in result.report.findings if f.code == "schema-erratum"]
    assert note.message.startswith("besides its other errors, ") and "set aside" in note.message

    source = tmp_path / "in"
    source.mkdir()
    (source / "collection.json").write_text(json.dumps(doc))
    run = CliRunner().invoke(main, ["convert", str(source), "--to", "mlm", "-o", str(tmp_path / "out"),
                                    "--validate", "--report", str(tmp_path / "r.json"), "-j", "1", "--force"])
    totals = json.loads((tmp_path / "r.json").read_text())["totals"]
    assert run.exit_code == 1 and totals["invalid"] == 1 and totals["schema_errata"] == 0, run.output


def test_a_catalog_run_without_validation_counts_the_outputs_other_validators_will_reject(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "collection.json").write_text(json.dumps(_ml_model_collection_with_summaries()))
    (source / "item.json").write_text((SPECS / "ml-model/1.0.0/examples/dummy/item.json").read_text())
    run = CliRunner().invoke(main, ["convert", str(source), "--to", "mlm", "-o", str(tmp_path / "out"),
                                    "--fill-required", "--report", str(tmp_path / "r.json"), "-j", "1"])
    assert run.exit_code == 0, run.output
    assert "1 that other validators will reject by a known schema erratum" in run.output
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["totals"]["schema_errata"] == 1
    noted = {d["source"].rsplit("/", 1)[-1]: [f["code"] for f in d["findings"]] for d in report["documents"]}
    assert "schema-erratum" in noted["collection.json"] and "schema-erratum" not in noted["item.json"]

    audit = CliRunner().invoke(main, ["audit", str(source), "--to", "mlm", "--format", "json"])
    data = json.loads(audit.output)
    assert data["totals"]["schema_errata"] == 1
    [example] = data["schema_errata"]["examples"]
    assert example["document"].endswith("collection.json") and "mlm-array-summaries" in example["note"]
    text = CliRunner().invoke(main, ["audit", str(source), "--to", "mlm"]).output
    assert "known schema erratum: 1 output(s), e.g. " in text
