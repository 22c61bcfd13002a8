"""The JSON Schemas of stacml's own machine-readable outputs (translator/schemas/): the run report
(convert-report.json), the one-document translation report (translation-report.json) and
`stacml validate --format json` (validate-report.json). Each is checked against the REAL outputs
of runs (processes, on the code of this checkout), and a damaged output must fail it."""
from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from conftest import ROOT, SPECS
from test_catalog import ML_MODEL, add_links, build_catalog, link, load, write
from test_catalog_runs import stacml

SCHEMAS = ROOT / "translator" / "schemas"


def schema(name: str) -> dict:
    document = json.loads((SCHEMAS / name).read_text())
    jsonschema.Draft7Validator.check_schema(document)
    return document


def problems(instance, name: str) -> list[str]:
    validator = jsonschema.Draft7Validator(schema(name))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]


# -- real outputs --------------------------------------------------------------------------------------


def catalog_run_report(tmp_path) -> dict:
    """A catalog with a missing link, a linked file that is not JSON, an ItemCollection with a
    feature that is no object; --validate, --keep-residue, two workers."""
    root = build_catalog(tmp_path)
    add_links(root, link("child", "./nowhere/catalog.json"), link("child", "./broken/catalog.json"),
              link("item", "./fc.json"))
    (root.parent / "broken").mkdir()
    (root.parent / "broken/catalog.json").write_text("{")
    write(root.parent / "fc.json", {"type": "FeatureCollection", "features": [1, load(ML_MODEL / "dummy/item.json")]})
    run = stacml("convert", "catalog/catalog.json", "--to", "mlm", "-o", "out", "--report", "run.json",
                 "--validate", "--schemas", SPECS, "--keep-residue", "-j", "2", cwd=tmp_path)
    assert run.returncode == 1
    return json.loads((tmp_path / "run.json").read_text())


def test_a_catalog_run_report_with_failures_is_valid_against_its_schema(tmp_path):
    report = catalog_run_report(tmp_path)
    statuses = {d["status"] for d in report["documents"]}
    assert {"failed", "translated", "copied"} <= statuses and report["warnings"] and "left_in_output" in report
    assert any("validation" in d for d in report["documents"]) and any("residue" in d for d in report["documents"])
    assert any("output_pointer" in d for d in report["documents"])
    assert problems(report, "convert-report.json") == []
    # a rerun: up-to-date entries, and an earlier run's report inside the catalog root is skipped
    rerun = stacml("convert", "catalog/catalog.json", "--to", "mlm", "-o", "out", "--report", "run2.json",
                   "--copy-failed", "--prune", cwd=tmp_path)
    assert rerun.returncode == 1
    again = json.loads((tmp_path / "run2.json").read_text())
    assert "up-to-date" in {d["status"] for d in again["documents"]}
    assert problems(again, "convert-report.json") == []
    strict = stacml("convert", "catalog/catalog.json", "--to", "mlm", "-o", "out-strict", "--report", "run3.json",
                    "--strict", cwd=tmp_path)
    assert strict.returncode == 1
    stopped = json.loads((tmp_path / "run3.json").read_text())
    assert "stopped" in stopped and "left_in_output" not in stopped
    assert problems(stopped, "convert-report.json") == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ndjson_run_reports_are_valid_against_the_schema_dry_and_strict_runs_too(tmp_path, jobs):
    doc = load(ML_MODEL / "dummy/item.json")
    (tmp_path / "items.ndjson").write_text(json.dumps(doc) + "\n\n[1]\n" + json.dumps({**doc, "id": "b"}) + "\n")
    for n, extra in enumerate(([], ["--validate", "--schemas", str(SPECS), "--keep-residue"], ["--dry-run"],
                               ["--strict"])):
        run = stacml("convert", "items.ndjson", "--to", "mlm", "-o", f"mlm{n}.ndjson", "--report", f"run{n}.json",
                     "-j", jobs, *extra, cwd=tmp_path)
        assert run.returncode == 1, run.stderr
        report = json.loads((tmp_path / f"run{n}.json").read_text())
        assert problems(report, "convert-report.json") == [], extra
        if not extra:
            assert [d.get("output_line") for d in report["documents"]] == [1, None, 2]
    # undone from the report: the restore's own run report
    assert stacml("convert", "mlm1.ndjson", "--restore", "run1.json", "-o", "back.ndjson", "--report", "back.json",
                  cwd=tmp_path).returncode == 0
    assert problems(json.loads((tmp_path / "back.json").read_text()), "convert-report.json") == []


def test_one_document_reports_are_valid_against_the_translation_report_schema(tmp_path):
    item = ML_MODEL / "dummy/item.json"
    runs = {
        "validated": ["convert", item, "--to", "mlm", "-o", tmp_path / "a.json", "--validate", "--schemas", SPECS],
        "filled": ["convert", item, "--to", "mlm", "-o", tmp_path / "b.json", "--fill-required"],
        "dlm": ["convert", SPECS / "dlm/1.0.0-beta.3/examples/item.json", "--to", "tdml", "-o", tmp_path / "c.json"],
    }
    reports = {}
    for name, args in runs.items():
        stacml(*args, "--report", tmp_path / f"{name}.json")
        reports[name] = json.loads((tmp_path / f"{name}.json").read_text())
    assert reports["validated"]["validation"] and reports["filled"]["losses"] and reports["dlm"]["residue"]
    catalog = write(tmp_path / "catalog.json", {"type": "Catalog", "id": "c", "stac_version": "1.0.0",
                                                "description": "alone", "links": []})
    assert stacml("convert", catalog, "--to", "mlm", "-o", tmp_path / "d.json", "--report",
                  tmp_path / "copied.json").returncode == 0
    reports["copied"] = json.loads((tmp_path / "copied.json").read_text())
    assert reports["copied"]["status"] == "copied"
    for name, report in reports.items():
        assert problems(report, "translation-report.json") == [], name


def invalid_mlm() -> dict:
    doc = load(SPECS / "mlm/1.5.2/examples/item_basic.json")
    del doc["properties"]["mlm:input"]
    return doc


def test_validate_json_output_with_unreadable_entries_is_valid_against_its_schema(tmp_path):
    directory = tmp_path / "docs"
    write(directory / "good.json", load(SPECS / "mlm/1.5.2/examples/item_basic.json"))
    write(directory / "bad.json", invalid_mlm())
    (directory / "broken.json").write_text("{")
    write(directory / "fc.json", {"type": "FeatureCollection", "features": ["x", invalid_mlm()]})
    (tmp_path / "items.ndjson").write_text('{"type": \n' + json.dumps(invalid_mlm()) + "\n")
    run = stacml("validate", "--schemas", SPECS, "--format", "json", directory, tmp_path / "items.ndjson")
    assert run.returncode == 1
    output = json.loads(run.stdout)
    assert output["totals"]["unreadable"] == 3 and output["totals"]["invalid"] >= 2
    assert problems(output, "validate-report.json") == []
    mlm_collection = stacml("validate", "--schemas", SPECS, "--format", "json",
                            SPECS / "mlm/1.5.2/examples/collection.json")
    assert problems(json.loads(mlm_collection.stdout), "validate-report.json") == []


# -- damaged outputs fail --------------------------------------------------------------------------------


def damaged(report: dict, change) -> dict:
    broken = copy.deepcopy(report)
    change(broken)
    return broken


def first(report: dict, status: str) -> dict:
    return next(d for d in report["documents"] if d["status"] == status)


def test_a_damaged_run_report_fails_its_schema_and_an_older_one_passes(tmp_path):
    report = catalog_run_report(tmp_path)
    assert problems(report, "convert-report.json") == []
    faults = {
        "another format": lambda r: r.update(format="stacml-convert-report/2"),
        "no totals": lambda r: r.pop("totals"),
        "a failed entry without its error": lambda r: first(r, "failed").pop("error"),
        "an unknown status": lambda r: first(r, "copied").update(status="skipped"),
        "an unknown loss kind": lambda r: first(r, "translated")["losses"][0].update(kind="gone"),
        "an output line without a line": lambda r: first(r, "translated").update(output_line=3),
        "an output line of 0": lambda r: r["documents"].append(
            {"source": "x.ndjson:1", "line": 1, "status": "copied", "output": "y.ndjson", "output_line": 0}),
        "a residue without its key": lambda r: next(d for d in r["documents"] if "key" in d).pop("key"),
        "a set patch without its value": lambda r: next(d for d in r["documents"] if d.get("residue"))["residue"]
        .__setitem__(0, {"op": "set", "pointer": "/x"}),
        "a validation issue in the source": lambda r: next(d for d in r["documents"] if "validation" in d)
        ["validation"][0].update({"in": "source"}),
        "a count below zero": lambda r: r["totals"].update(failed=-1),
        "an unknown key": lambda r: r.update(extra=1),
    }
    for name, change in faults.items():
        assert problems(damaged(report, change), "convert-report.json") != [], name
    # a report of an earlier release (no cwd, no output places) is still one
    older = damaged(report, lambda r: r.pop("cwd"))
    for entry in older["documents"]:
        entry.pop("output_pointer", None)
    assert problems(older, "convert-report.json") == []


def test_damaged_translation_and_validate_reports_fail_their_schemas(tmp_path):
    stacml("convert", ML_MODEL / "dummy/item.json", "--to", "mlm", "-o", tmp_path / "a.json", "--report",
           tmp_path / "r.json")
    report = json.loads((tmp_path / "r.json").read_text())
    assert problems(report, "translation-report.json") == []
    for change in (lambda r: r.pop("residue"), lambda r: r["losses"][0].pop("reason"),
                   lambda r: r.update(valid="no"), lambda r: r.update(status="translated"),
                   lambda r: r["source"].update(extension=3)):
        assert problems(damaged(report, change), "translation-report.json") != []
    directory = tmp_path / "docs"
    write(directory / "bad.json", invalid_mlm())
    (directory / "broken.json").write_text("{")
    output = json.loads(stacml("validate", "--schemas", SPECS, "--format", "json", directory).stdout)
    assert problems(output, "validate-report.json") == []
    unreadable = next(i for i, d in enumerate(output["documents"]) if "error" in d)
    for change in (lambda r: r["documents"][unreadable].update(valid=False),  # an error and a verdict
                   lambda r: r["documents"][1 - unreadable]["errors"][0].pop("schema"),
                   lambda r: r["totals"].pop("unreadable"), lambda r: r.update(format="stacml-validate/2"),
                   lambda r: r["documents"][1 - unreadable].update(document="/features/x")):
        assert problems(damaged(output, change), "validate-report.json") != []
