"""stacml's own reports left among the documents (a run report inside OUT_DIR, an audit or a
one-document report beside the items) are skipped, with a note, by every command that reads a
directory or a catalog: the documented next steps on OUT_DIR (validate, restore) keep working."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SPECS
from test_cli_convert_catalog import stacml
from test_cli_edge_cases import catalog_linking, ml_model_item, write

SKIPPED = "a stacml report ({}), not a STAC document: skipped"


def note(path: Path, kind: str) -> bytes:
    return f"note: {path}: {SKIPPED.format(kind)}".encode()


@pytest.fixture
def converted(tmp_path) -> Path:
    """OUT_DIR of a run whose --report (with the residues to undo it) was written inside it."""
    src = tmp_path / "src"
    write(src / "a.json", ml_model_item("a"))
    write(src / "sub/b.json", ml_model_item("b"))
    out = tmp_path / "out"
    run = stacml("convert", src, "--to", "mlm", "-o", out, "--report", out / "run.json", "--keep-residue")
    assert run.returncode == 0, run.stderr
    return out


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_restoring_an_output_directory_that_holds_its_run_report(converted, tmp_path, jobs):
    back = tmp_path / "back"
    run = stacml("convert", converted, "--restore", converted / "run.json", "-o", back, "-j", jobs)
    assert run.returncode == 0, run.stderr
    assert note(converted / "run.json", "stacml-convert-report/1") in run.stderr
    assert b"2 document(s)" in run.stderr
    assert sorted(str(p.relative_to(back)) for p in back.rglob("[!.]*.json")) == ["a.json", "sub/b.json"]
    for name, id_ in (("a.json", "a"), ("sub/b.json", "b")):
        assert json.loads((back / name).read_text()) == ml_model_item(id_)


def test_detect_audit_and_validate_skip_the_report_in_an_output_directory(converted):
    report = converted / "run.json"
    run = stacml("detect", converted)
    assert run.returncode == 0, run.stderr
    assert note(report, "stacml-convert-report/1") in run.stderr and b"2 document(s): mlm 1.5.2: 2" in run.stderr
    run = stacml("audit", converted, "--to", "dlm", "--format", "json", "--fail-on", "none")
    assert run.returncode == 0, run.stderr
    assert note(report, "stacml-convert-report/1") in run.stderr
    totals = json.loads(run.stdout)["totals"]
    assert (totals["documents"], totals["failed"], totals["unreadable"]) == (2, 0, 0)
    run = stacml("validate", "--schemas", SPECS, converted)
    assert note(report, "stacml-convert-report/1") in run.stderr
    assert b"run.json" not in run.stdout and b"2 document(s) checked" in run.stdout
    assert b"warning" not in run.stderr


def test_an_audit_and_a_one_document_report_linked_from_a_catalog_are_skipped(tmp_path):
    root = tmp_path / "catalog"
    write(root / "item.json", ml_model_item("a"))
    audit = root / "audit.json"
    run = stacml("audit", root / "item.json", "--to", "mlm", "--format", "json", "-o", audit, "--fail-on", "none")
    assert run.returncode == 0, run.stderr
    single = root / "item-report.json"
    run = stacml("convert", root / "item.json", "--to", "mlm", "-o", tmp_path / "mlm.json", "--report", single)
    assert run.returncode == 0, run.stderr
    catalog = catalog_linking(root / "catalog.json", ("item", "item.json"), ("item", "audit.json"),
                              ("item", "item-report.json"))
    notes = [note(audit, "stacml-audit/2"), note(single, "translation report")]
    run = stacml("detect", catalog)
    assert run.returncode == 0, run.stderr
    assert all(n in run.stderr for n in notes) and b"1 document(s)" not in run.stderr  # one: no count line
    run = stacml("convert", catalog, "--to", "mlm", "-o", tmp_path / "out", "-j", "1")
    assert run.returncode == 0, run.stderr
    assert all(n in run.stderr for n in notes) and b"2 document(s)" in run.stderr  # the catalog and the item
    assert sorted(p.name for p in (tmp_path / "out").glob("[!.]*.json")) == ["catalog.json", "item.json"]
