"""`stacml audit` on a small mixed catalog: counts agree with the per-document reports."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, SPECS, spec_files
from translator import default_tables, jsonio, translate
from translator.audit import pattern, to_markdown
from translator.errors import NoExtensionError, TranslatorError

SCHEMA = json.loads((ROOT / "translator" / "schemas" / "audit-report.json").read_text())

# one or two official documents of each extension that has a table; strict JSON only
CANDIDATES = {
    "ml-model": ["ml-model/1.0.0/examples/dummy/item.json", "ml-model/1.0.0/examples/cyclone-wind-speed/item.json",
                 "ml-model/1.0.0/examples/dummy/collection.json"],
    "mlm": ["mlm/1.5.2/examples/item_basic.json", "mlm/1.2.0/examples/item_multi_io.json"],
    "dlm": spec_files("dlm/*/examples/*.json"),
    "tdml": spec_files("tdml/1.0.0/examples/*/*.json"),
}


def stacml(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "translator", *map(str, args)], capture_output=True, timeout=300)


@pytest.fixture
def catalog(tmp_path) -> Path:
    root = tmp_path / "catalog"
    root.mkdir()
    names = set(default_tables().names())
    n = 0
    for ext, files in CANDIDATES.items():
        if ext not in names:
            continue
        for rel in files:
            try:  # real DLM files carry comments: the catalog holds them as strict JSON
                doc = jsonio.load(SPECS / rel, lenient=True)[0]
            except TranslatorError:
                continue  # the one TrainingDML-AI example that is not JSON even leniently
            n += 1
            (root / f"{n:02d}-{ext}-{Path(rel).stem}.json").write_bytes(jsonio.dumps(doc))
    plain = {"type": "Feature", "stac_version": "1.0.0", "id": "plain", "geometry": None, "properties": {
        "datetime": "2020-01-01T00:00:00Z"}, "links": [], "assets": {}, "stac_extensions": []}
    (root / "90-plain.json").write_text(json.dumps(plain))
    return root


def per_document(root: Path, to: str) -> tuple[dict, dict, int, int]:
    """Totals computed independently with translate() on each file."""
    kinds = {k: 0 for k in ("dropped", "lossy", "assumed", "synthesized", "unknown")}
    fields: dict = {}
    translated = skipped = 0
    for path in sorted(root.glob("*.json")):
        doc = json.loads(path.read_text())
        try:
            report = translate(doc, to=to).report
        except NoExtensionError:
            skipped += 1
            continue
        translated += 1
        for loss in report.losses:
            kinds[loss.kind] += 1
            key = (pattern(loss.pointer) if loss.pointer else "(target)" + pattern(loss.target or ""), loss.kind)
            fields[key] = fields.get(key, 0) + 1
    return kinds, fields, translated, skipped


def test_json_audit_counts_match_the_per_document_reports(catalog):
    run = stacml("audit", catalog, "--to", "mlm", "--format", "json", "--fail-on", "none")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    jsonschema.validate(data, SCHEMA)
    kinds, fields, translated, skipped = per_document(catalog, "mlm")
    assert data["totals"]["losses"] == kinds
    assert data["totals"]["translated"] == translated and data["totals"]["without_ml_extension"] == skipped >= 1
    assert {(f["field"], f["kind"]): f["count"] for f in data["fields"]} == fields
    assert sum(c["documents"] for c in data["collections"]) == translated
    assert data["totals"]["documents"] == len(list(catalog.glob("*.json")))
    assert sum(data["sources"].values()) == translated
    assert {s.split()[0] for s in data["sources"]} >= {"dlm", "ml-model", "tdml"}


def test_exit_codes(catalog, tmp_path):
    # default --fail-on is "dropped unknown": the ml-model documents drop fields
    assert stacml("audit", catalog, "--to", "mlm").returncode == 1
    assert stacml("audit", catalog, "--to", "mlm", "--fail-on", "none").returncode == 0
    clean = tmp_path / "clean"
    clean.mkdir()
    shutil.copy(SPECS / "mlm/1.5.2/examples/item_basic.json", clean / "a.json")
    assert stacml("audit", clean, "--to", "mlm").returncode == 0
    assert stacml("audit", clean, "--to", "mlm", "--fail-on", "bogus").returncode == 2
    assert stacml("audit", clean, "--to", "nowhere").returncode == 2
    (catalog / "95-broken.json").write_text('{"type": ')
    run = stacml("audit", catalog, "--to", "mlm", "--fail-on", "none")
    assert run.returncode == 3
    assert "95-broken.json: invalid JSON" in run.stdout.decode()
    assert b"Traceback" not in run.stderr


def test_fail_on_synthesized_only_counts_synthesized(catalog):
    assert stacml("audit", catalog, "--to", "mlm", "--fail-on", "synthesized").returncode == 0
    assert stacml("audit", catalog, "--to", "mlm", "--fail-on", "synthesized", "--fill-required").returncode == 1


def test_text_and_markdown_are_readable(catalog, tmp_path):
    text = stacml("audit", catalog, "--to", "mlm", "--fail-on", "none").stdout.decode()
    assert text.startswith("stacml audit -> mlm 1.5.2")
    assert "/properties/ml-model:learning_approach" in text
    out = tmp_path / "audit.md"
    run = stacml("audit", catalog, "--to", "mlm", "--format", "markdown", "-o", out, "--fail-on", "none")
    assert run.returncode == 0 and run.stdout == b""
    md = out.read_text()
    assert md.startswith("### stacml audit → mlm 1.5.2")
    assert "| `/properties/ml-model:training-os` | dropped | 1 | 1 |" in md
    # the totals add up: the documents without an ML extension are counted too
    data = json.loads(stacml("audit", catalog, "--to", "mlm", "--format", "json", "--fail-on", "none").stdout)
    t = data["totals"]
    assert t["without_ml_extension"] >= 1
    assert t["documents"] == t["translated"] + t["without_ml_extension"] + t["failed"] + t["unreadable"]
    assert (f"documents: {t['documents']}  translated: {t['translated']}  "
            f"without ML extension: {t['without_ml_extension']}  "
            f"failed: {t['failed']}  unreadable: {t['unreadable']}") in text
    assert (f"**{t['documents']}** documents: {t['translated']} translated, "
            f"{t['without_ml_extension']} without an ML extension") in md


def test_text_says_when_nothing_is_lost():
    run = stacml("audit", ROOT / "samples" / "mlm-item.json", "--to", "mlm")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.decode().splitlines()
    assert lines[2] == "losses: none" and "field" not in run.stdout.decode()


def test_audit_writes_nothing_but_its_report(catalog):
    before = {p: p.read_bytes() for p in catalog.rglob("*")}
    stacml("audit", catalog, "--to", "ml-model", "--format", "json")
    assert {p: p.read_bytes() for p in catalog.rglob("*")} == before


def test_pointer_patterns():
    assert pattern("/assets/weights/mlm:artifact_type") == "/assets/*/mlm:artifact_type"
    assert pattern("/properties/mlm:input/0/bands/3") == "/properties/mlm:input/*/bands/*"
    assert pattern("/links/4") == "/links/*"
    assert pattern("") == ""


def test_audit_output_never_overwrites_or_lands_in_its_input(catalog, tmp_path):
    document = next(catalog.glob("*ml-model-item.json"))
    before = document.read_bytes()
    for source, output, message in [(document, document, b"is the input"),
                                    (catalog, catalog / "audit.txt", b"is inside the input")]:
        run = stacml("audit", source, "--to", "mlm", "-o", output)
        assert run.returncode == 2 and message in run.stderr and b"Traceback" not in run.stderr
    assert document.read_bytes() == before and not (catalog / "audit.txt").exists()


def test_audit_output_never_replaces_a_document_a_source_catalog_links_to(tmp_path):
    root = tmp_path / "catalog"
    item = root / "models" / "item.json"
    item.parent.mkdir(parents=True)
    shutil.copy(SPECS / "ml-model/1.0.0/examples/dummy/item.json", item)
    catalog = root / "catalog.json"
    catalog.write_text(json.dumps({"type": "Catalog", "stac_version": "1.0.0", "id": "c", "description": "d",
                                   "links": [{"rel": "item", "href": "./models/item.json"}]}))
    before = item.read_bytes()
    (tmp_path / "models").symlink_to(item.parent)  # the same file by another path
    for output in (item, tmp_path / "models" / "item.json"):
        run = stacml("audit", catalog, "--to", "mlm", "-o", output)
        assert run.returncode == 2, run.stderr
        assert f"error: -o {output} is the document {item}, which this audit reads".encode() in run.stderr
        assert item.read_bytes() == before
    run = stacml("audit", catalog, "--to", "mlm", "-o", root / "audit.txt", "--fail-on", "none")
    assert run.returncode == 0 and (root / "audit.txt").read_text().startswith("stacml audit -> mlm")


def markdown_cells(row: str) -> list[str]:
    """The cells of a GitHub Markdown table row: split at each '|' that is not escaped."""
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]]


def test_markdown_escapes_the_pipes_of_fields_examples_and_reasons(tmp_path):
    # a '|' splits a table cell, even inside a code span, unless escaped as \|
    item = json.loads((SPECS / "ml-model/1.0.0/examples/dummy/item.json").read_text())
    item["properties"]["ml-model:gpu|cpu"] = "a|b"
    item["properties"]["ml-model:back`tick"] = "`"
    source = tmp_path / "item.json"
    source.write_text(json.dumps(item))
    run = stacml("audit", source, "--to", "mlm", "--format", "markdown", "--fail-on", "none")
    rows = {cells[0]: cells for cells in map(markdown_cells, run.stdout.decode().splitlines())
            if cells and "ml-model:" in cells[0]}
    assert rows["`/properties/ml-model:gpu\\|cpu`"][1:4] == ["unknown", "1", "1"]
    assert rows["`/properties/ml-model:gpu\\|cpu`"][5] == '`"a\\|b"`'
    assert rows["``/properties/ml-model:back`tick``"][5] == '``"`"``'  # a code span that holds a backtick
    assert all(len(cells) == 6 for cells in rows.values()), rows
    data = json.loads(stacml("audit", source, "--to", "mlm", "--format", "json", "--fail-on", "none").stdout)
    for entry in data["fields"]:
        entry["reasons"][0]["reason"] = "kept | dropped"
    rows = [markdown_cells(line) for line in to_markdown(data).splitlines() if "ml-model:" in line]
    assert rows and all(cells[4] == "kept \\| dropped" for cells in rows), rows


def test_documents_that_would_not_be_schema_valid_are_grouped_by_their_problems(tmp_path):
    # one line per document would make the report of a million-item catalog hundreds of megabytes
    line = json.dumps(jsonio.load(SPECS / "ml-model/1.0.0/examples/dummy/item.json")[0])
    items = tmp_path / "items.ndjson"
    items.write_text((line + "\n") * 5)
    run = stacml("audit", items, "--to", "mlm", "--format", "json", "--fail-on", "none")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    jsonschema.validate(data, SCHEMA)
    assert data["totals"]["not_schema_valid"] == 5
    [group] = data["not_schema_valid"]
    assert group["documents"] == 5 and group["examples"] == [f"{items}:1", f"{items}:2", f"{items}:3"]
    assert any("mlm:input" in p for p in group["problems"])
    filled = stacml("audit", items, "--to", "mlm", "--format", "json", "--fail-on", "none", "--fill-required")
    assert json.loads(filled.stdout)["not_schema_valid"] == []
    text = stacml("audit", items, "--to", "mlm", "--fail-on", "none").stdout.decode()
    assert f"not schema-valid: 5 document(s), e.g. {items}:1:\n  /" in text
    assert "\n  /properties/mlm:input is required by mlm 1.5.2" in text
    markdown = stacml("audit", items, "--to", "mlm", "--fail-on", "none", "--format", "markdown").stdout.decode()
    assert f"- 5 document(s), e.g. `{items}:1`: " in markdown


def test_a_baseline_accepts_known_losses_and_fails_on_new_ones(catalog, tmp_path):
    """CI keeps an earlier audit (--format json) as the accepted losses: only (field, kind) pairs
    outside it count for --fail-on; pairs it accepts that are no longer found are listed as gone."""
    held = tmp_path / "held"
    held.mkdir()
    for path in sorted(catalog.glob("*-dlm-*.json")):  # the baseline is taken without the DLM documents
        path.rename(held / path.name)
    baseline = tmp_path / "accepted.json"
    run = stacml("audit", catalog, "--to", "mlm", "--format", "json", "-o", baseline, "--fail-on", "none")
    assert run.returncode == 0, run.stderr
    # the same catalog: nothing new, although it has dropped losses (the default --fail-on)
    run = stacml("audit", catalog, "--to", "mlm", "--baseline", baseline, "--format", "json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    jsonschema.validate(data, SCHEMA)
    assert data["totals"]["losses"]["dropped"] > 0
    assert data["baseline"]["new"] == [] and data["baseline"]["gone"] == []
    accepted = {(f["field"], f["kind"]) for f in json.loads(baseline.read_text())["fields"]}
    assert data["baseline"]["accepted"] == len(accepted) > 0
    # the DLM documents come in: their losses are new, computed independently per document
    for path in held.iterdir():
        path.rename(catalog / path.name)
    _, fields, _, _ = per_document(catalog, "mlm")
    expected = {key for key in fields if key not in accepted}
    assert any(kind == "dropped" for _, kind in expected)
    run = stacml("audit", catalog, "--to", "mlm", "--baseline", baseline, "--format", "json")
    assert run.returncode == 1
    data = json.loads(run.stdout)
    jsonschema.validate(data, SCHEMA)
    assert {(e["field"], e["kind"]) for e in data["baseline"]["new"]} == expected
    kinds = {kind for _, kind in expected}
    quiet = [k for k in ("dropped", "lossy", "assumed", "synthesized", "unknown") if k not in kinds]
    assert stacml("audit", catalog, "--to", "mlm", "--baseline", baseline,
                  "--fail-on", ",".join(quiet)).returncode == 0  # new, but of no --fail-on kind
    text = stacml("audit", catalog, "--to", "mlm", "--baseline", baseline).stdout.decode()
    assert f"baseline {baseline}: {len(expected)} new (field, kind) pair(s)" in text
    # the ml-model documents leave: what the baseline accepted of them is gone
    for path in catalog.glob("*-ml-model-*.json"):
        path.unlink()
    data = json.loads(stacml("audit", catalog, "--to", "mlm", "--baseline", baseline, "--format", "json",
                             "--fail-on", "none").stdout)
    gone = {(e["field"], e["kind"]) for e in data["baseline"]["gone"]}
    assert ("/properties/ml-model:training-os", "dropped") in gone
    assert gone == accepted - {(e["field"], e["kind"]) for e in data["fields"]}


@pytest.mark.parametrize("make,message", [
    (lambda d: d / "missing.json", b"cannot read"),
    (lambda d: (d / "item.json").write_text('{"type": "Feature"}') and d / "item.json", b"not a stacml audit report"),
    # an audit report without its target: no "audits a migration to None"
    (lambda d: (d / "a.json").write_text('{"format": "stacml-audit/2", "fields": []}') and d / "a.json",
     b"a.json: /target: no target extension, so not a stacml audit report"),
    # an entry that is not a (field, kind) pair is named, not skipped
    (lambda d: (d / "a.json").write_text('{"format": "stacml-audit/2", "target": {"extension": "mlm"}, '
                                         '"fields": [{"field": "/x", "kind": "dropped"}, {"field": 1}]}')
     and d / "a.json", b"a.json: /fields/1: not a (field, kind) entry of an audit report"),
])
def test_a_baseline_that_is_not_an_audit_report_is_a_usage_error(catalog, tmp_path, make, message):
    run = stacml("audit", catalog, "--to", "mlm", "--baseline", make(tmp_path))
    assert run.returncode == 2 and message in run.stderr and b"Traceback" not in run.stderr


def test_a_baseline_of_another_target_is_a_usage_error(catalog, tmp_path):
    baseline = tmp_path / "accepted.json"
    stacml("audit", catalog, "--to", "ml-model", "--format", "json", "-o", baseline, "--fail-on", "none")
    run = stacml("audit", catalog, "--to", "mlm", "--baseline", baseline)
    assert run.returncode == 2 and b"audits a migration to ml-model, not mlm" in run.stderr


def _annotations(text: str) -> list[tuple[str, dict, str]]:
    """(level, properties, message) of each GitHub Actions workflow command line."""
    found = []
    for line in text.splitlines():
        if line.startswith("::"):
            head, message = line[2:].split("::", 1)
            level, props = head.split(" ", 1)
            found.append((level, dict(p.split("=", 1) for p in props.split(",")), message))
    return found


def test_github_format_annotates_what_fails_the_run(catalog, tmp_path):
    """--format github: an error annotation per failing (field, kind) pair at the first document
    that has it, a notice for the other kinds and for pairs a baseline accepts, an error per
    unreadable document (NDJSON: with its line); the text report follows."""
    run = stacml("audit", catalog, "--to", "mlm", "--format", "github")
    assert run.returncode == 1
    data = json.loads(stacml("audit", catalog, "--to", "mlm", "--format", "json").stdout)
    found = _annotations(run.stdout.decode())
    failing = [f for f in data["fields"] if f["kind"] in ("dropped", "unknown")]
    errors = [(props["file"], message) for level, props, message in found if level == "error"]
    assert len(errors) == len(failing) > 0
    for entry in failing:
        example = entry["examples"][0]
        assert any(file == example["document"] and message.startswith(f"{entry['kind']} at {example['pointer']}: ")
                   for file, message in errors), entry
    notices = [f for f in data["fields"] if f["kind"] not in ("dropped", "unknown")]
    erratum = [(props["file"], message) for level, props, message in found
               if level == "notice" and "schema erratum mlm-array-summaries" in message]
    assert erratum and [file for file, _ in erratum] == [x["document"] for x in data["schema_errata"]["examples"]]
    assert len([a for a in found if a[0] == "notice"]) == len(notices) + len(erratum) and notices
    assert run.stdout.decode().split("\n::")[-1].split("\n", 1)[1] == stacml("audit", catalog, "--to", "mlm").stdout.decode()
    # accepted by a baseline: notices only, and the run passes
    baseline = tmp_path / "accepted.json"
    stacml("audit", catalog, "--to", "mlm", "--format", "json", "-o", baseline, "--fail-on", "none")
    run = stacml("audit", catalog, "--to", "mlm", "--format", "github", "--baseline", baseline)
    assert run.returncode == 0 and not [a for a in _annotations(run.stdout.decode()) if a[0] == "error"]
    # a file name with a comma and a colon; an NDJSON file with an unreadable line
    odd = tmp_path / "odd, name: 100%.ndjson"
    item = json.dumps(jsonio.load(SPECS / CANDIDATES["ml-model"][0])[0])
    odd.write_text(item + "\nnot json\n")
    found = _annotations(stacml("audit", odd, "--to", "mlm", "--format", "github").stdout.decode())
    escaped = str(odd).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
    assert {props["file"] for _, props, _ in found} == {escaped}
    assert {props["line"] for _, props, _ in found} == {"1", "2"}
    assert [m for level, props, m in found if props["line"] == "2"] == [m for level, props, m in found
                                                                       if level == "error" and props["line"] == "2"]
    assert any(m.startswith("unreadable: ") for _, props, m in found if props["line"] == "2")


def test_junit_format_has_a_test_case_per_field_and_kind_failed_as_fail_on_says(catalog, tmp_path):
    import xml.etree.ElementTree as ET
    (catalog / "99-broken.json").write_text("{broken")
    data = json.loads(stacml("audit", catalog, "--to", "mlm", "--format", "json").stdout)
    run = stacml("audit", catalog, "--to", "mlm", "--format", "junit")
    assert run.returncode == 3  # the unreadable document decides the exit code, as in every format
    root = ET.fromstring(run.stdout)
    [suite] = root.findall("testsuite")
    assert suite.get("name") == "stacml audit -> mlm 1.5.2"
    losses = [c for c in suite.findall("testcase") if c.get("classname").startswith("losses.")]
    assert [(c.get("classname"), c.get("name")) for c in losses] == [
        (f"losses.{e['kind']}", e["field"]) for e in data["fields"]]
    failed = {c.get("name") for c in losses if c.find("failure") is not None}
    assert failed == {e["field"] for e in data["fields"] if e["kind"] in ("dropped", "unknown")} != set()
    for case, entry in zip(losses, data["fields"]):
        assert f"{entry['count']} in {entry['documents']} document(s)" in "".join(case.itertext())
    [unreadable] = [c for c in suite.findall("testcase") if c.get("classname") == "unreadable"]
    assert unreadable.get("name").endswith("99-broken.json") and unreadable.find("error") is not None
    cases = suite.findall("testcase")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == (
        str(len(cases)), str(len(failed)), "1")
    assert root.get("tests") == suite.get("tests")
    # with everything accepted by a baseline, or --fail-on none, no loss fails
    (catalog / "99-broken.json").unlink()
    baseline = tmp_path / "accepted.json"
    stacml("audit", catalog, "--to", "mlm", "--format", "json", "-o", baseline, "--fail-on", "none")
    for extra in (["--baseline", baseline], ["--fail-on", "none"]):
        run = stacml("audit", catalog, "--to", "mlm", "--format", "junit", *extra)
        assert run.returncode == 0, run.stderr
        suite = ET.fromstring(run.stdout).find("testsuite")
        assert suite.get("failures") == "0" and not suite.findall("testcase/failure")


def test_keys_with_control_characters_are_escaped_in_text_and_junit(tmp_path):
    """A field named with a newline or U+0001: one text row each, escaped; the JUnit report is
    well-formed XML."""
    import xml.etree.ElementTree as ET
    doc = json.loads((ROOT / "samples" / "mlm-item.json").read_text())
    doc["properties"]["mlm:new\nline"] = 1
    doc["properties"]["mlm:odd\u0001key"] = 2
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(doc))
    text = stacml("audit", path, "--to", "ml-model").stdout.decode().splitlines()
    rows = [line.split()[:2] for line in text if line.startswith("/properties/mlm:")]
    assert ["/properties/mlm:new\\nline", "unknown"] in rows and ["/properties/mlm:odd\\x01key", "unknown"] in rows
    run = stacml("audit", path, "--to", "ml-model", "--format", "junit")
    names = [case.get("name") for case in ET.fromstring(run.stdout).iter("testcase")]
    assert "/properties/mlm:odd\\x01key" in names and "/properties/mlm:new\nline" in names


def test_github_annotations_name_the_feature_of_an_item_collection(tmp_path):
    """An annotation is on the file; in an ItemCollection it names the feature too, as the other
    formats' labels (`items.json /features/2`) and `stacml validate --format github` do (it said
    only the file, so a failure of one of many features could not be found)."""
    features = [json.loads((SPECS / rel).read_bytes()) for rel in
                ("ml-model/1.0.0/examples/dummy/item.json", "mlm/1.2.0/examples/item_basic.json")]
    items = tmp_path / "items.json"
    items.write_text(json.dumps({"type": "FeatureCollection", "features": [*features, 5]}))
    run = stacml("audit", items, "--to", "mlm", "--format", "github")
    assert run.returncode == 3
    found = _annotations(run.stdout.decode())
    assert {props["file"] for _, props, _ in found} == {str(items)}
    assert ("error", "/features/2: unreadable: a feature must be a JSON object") in [(l, m) for l, _, m in found]
    data = json.loads(stacml("audit", items, "--to", "mlm", "--format", "json").stdout)
    for entry in data["fields"]:
        first = entry["examples"][0]
        feature = first["document"].split(" ", 1)[1]
        assert any(m.startswith(f"{feature}: {entry['kind']} at ") for _, _, m in found), entry
    assert any(l == "error" and m.startswith("/features/0: dropped at /properties/ml-model:type: ") for l, _, m in found)


def test_junit_test_case_names_do_not_change_with_the_number_of_documents(tmp_path):
    """CI systems follow a test case by its name from run to run: a group of outputs that would not
    be schema-valid is named by its problems, and the schema-erratum case by what it is, not by a
    count or an example document that a new document changes."""
    import xml.etree.ElementTree as ET
    for name in ("ml-model-item.json", "tdml-collection.json"):
        shutil.copy(ROOT / "samples" / name, tmp_path / name)

    def names() -> list[tuple[str, str]]:
        run = stacml("audit", tmp_path, "--to", "mlm", "--format", "junit", "--fail-on", "none")
        assert run.returncode == 0, run.stderr
        return [(c.get("classname"), c.get("name")) for c in ET.fromstring(run.stdout).iter("testcase")
                if not c.get("classname").startswith("losses.")]
    data = json.loads(stacml("audit", tmp_path, "--to", "mlm", "--format", "json").stdout)
    [group] = data["not_schema_valid"]
    before = names()
    assert before == [("not-schema-valid", "; ".join(group["problems"])),
                      ("schema-erratum", "outputs other validators will reject by a known schema erratum")]
    for name in ("ml-model-item.json", "tdml-collection.json"):  # one more document of each
        shutil.copy(ROOT / "samples" / name, tmp_path / f"0-{name}")
    assert names() == before


def test_markdown_sections_are_one_blank_line_apart_without_loss_rows(tmp_path):
    """No loss rows (an MLM Item to MLM) and an unreadable file: the totals table is followed by
    one blank line, then the failing documents; the baseline section without rows likewise."""
    bad = tmp_path / "bad.json"
    bad.write_text("{bad")
    item = ROOT / "samples" / "mlm-item.json"
    baseline = tmp_path / "accepted.json"
    baseline.write_bytes(stacml("audit", item, "--to", "mlm", "--format", "json", "--fail-on", "none").stdout)
    for extra in ((), ("--baseline", baseline)):
        run = stacml("audit", bad, item, "--to", "mlm", "--format", "markdown", *extra)
        assert run.returncode == 3
        md = run.stdout.decode()
        assert "\n\n\n" not in md and md.endswith(f"`{bad}`: invalid JSON at line 1 column 2: unexpected "
                                                  "character, expected a string key\n")
        assert "| unknown | 0 | 0 |\n\n" + ("**Against the baseline**" if extra else "**Documents that would fail**") in md
    run = stacml("audit", item, "--to", "mlm", "--format", "markdown")
    assert run.returncode == 0 and run.stdout.decode().endswith("| unknown | 0 | 0 |\n")  # no blank line at the end
