"""The crosswalk is derived from the tables and agrees with what translate does."""
from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from conftest import ROOT, load_spec, spec_files
from translator import default_tables, translate
from translator.crosswalk import crosswalk, to_markdown

ML_MODEL_ITEMS = spec_files("ml-model/1.0.0/examples/*/item.json")
MLM_ITEMS = spec_files("mlm/1.5.2/examples/item_*.json")


def pair(source: str, target: str) -> list[dict]:
    (p,) = crosswalk(default_tables(), source, target)["pairs"]
    return p["rows"]


def test_docs_crosswalk_is_up_to_date():
    expected = to_markdown(crosswalk(default_tables()))
    current = (ROOT / "docs" / "crosswalk.md").read_text(encoding="utf-8")
    assert current == expected, ("docs/crosswalk.md is out of date: run "
                                 "`stacml crosswalk --format markdown -o docs/crosswalk.md`")


def test_every_ordered_pair_of_tables_is_covered():
    names = default_tables().names()
    pairs = {(p["from"]["extension"], p["to"]["extension"]) for p in crosswalk(default_tables())["pairs"]}
    assert pairs == {(a, b) for a in names for b in names if a != b}


def test_every_read_rule_of_the_source_has_a_row():
    tables = default_tables()
    for source in tables.names():
        for target in tables.names():
            if source == target:
                continue
            rows = pair(source, target)
            ids = {r["source_rule"] for r in rows if r["source_rule"]}
            readers = {r.id for r in tables[source].rules if r.reads and r.kind != "require"}
            assert readers <= ids, (source, target, readers - ids)
            assert {r["class"] for r in rows} <= {"exact", "transformed", "lossy", "lost", "required"}


def test_the_json_crosswalk_declares_every_class_its_rows_use():
    run = subprocess.run([sys.executable, "-m", "translator", "crosswalk", "--from", "ml-model", "--to", "mlm",
                          "--format", "json"], capture_output=True, timeout=120)
    data = json.loads(run.stdout)
    used = {row["class"] for p in data["pairs"] for row in p["rows"]}
    assert "required" in used and used <= set(data["classes"]), (data["classes"], used)
    assert data["classes"] == ["exact", "transformed", "lossy", "lost", "required"]


def test_ml_model_to_mlm_classes():
    rows = {r["source"]: r for r in pair("ml-model", "mlm") if r["source"]}
    assert rows["ml-model:architecture"]["class"] == "exact"
    assert rows["ml-model:architecture"]["target"] == "mlm:architecture"
    assert rows["ml-model:training-os"]["class"] == "lost"
    assert rows["ml-model:learning_approach"]["class"] == "lost"
    assert rows["ml-model:prediction_type"]["target"] == "mlm:tasks"
    assert rows["link rel ml-model:train-data"]["target"] == "link rel derived_from [ml-aoi:split=train]"
    assert rows["link rel ml-model:inferencing-image"]["class"] == "transformed"
    assert "inference-image" in rows["link rel ml-model:inferencing-image"]["target"]


def _value(doc: dict, field: str):
    return doc["properties"].get(field)


@pytest.mark.parametrize("source_ext,target_ext,files", [
    ("ml-model", "mlm", ML_MODEL_ITEMS), ("mlm", "ml-model", MLM_ITEMS)])
def test_exact_fields_come_out_with_the_same_value(source_ext, target_ext, files):
    exact = [r for r in pair(source_ext, target_ext)
             if r["class"] == "exact" and r["source_kind"] == "move" and not r["source"].startswith("asset")]
    assert exact, "there are exact field rows to check"
    checked = 0
    for rel in files:
        doc = load_spec(rel)
        out = translate(doc, to=target_ext, fill_required=True).document
        for row in exact:
            if row["source"] in doc["properties"]:
                assert _value(out, row["target"]) == doc["properties"][row["source"]], (rel, row)
                checked += 1
    assert checked >= len(files)


@pytest.mark.parametrize("rel", ML_MODEL_ITEMS)
def test_lost_fields_are_exactly_the_dropped_losses(rel):
    doc = load_spec(rel)
    lost = {r["source"] for r in pair("ml-model", "mlm") if r["class"] == "lost" and r["source_kind"] != "link"}
    report = translate(doc, to="mlm").report
    dropped = {l.pointer.split("/")[-1] for l in report.losses if l.kind == "dropped"}
    assert dropped == {f for f in lost if f in doc["properties"]}


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__()
        self.remote = []
        self.rows = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr":
            self.rows += 1
        for name in ("src", "href"):
            if attrs.get(name, "").startswith(("http:", "https:", "//")):
                self.remote.append(attrs[name])
        if tag in ("script", "link"):
            self.remote.append(tag)


def test_html_is_one_self_contained_page_and_json_parses(tmp_path):
    out = tmp_path / "crosswalk.html"
    run = subprocess.run([sys.executable, "-m", "translator", "crosswalk", "--format", "html", "-o", str(out)],
                         capture_output=True, timeout=120)
    assert run.returncode == 0, run.stderr
    checker = _Checker()
    checker.feed(out.read_text())
    assert checker.remote == []
    assert checker.rows > 20
    run = subprocess.run([sys.executable, "-m", "translator", "crosswalk", "--from", "ml-model", "--to", "mlm",
                          "--format", "json"], capture_output=True, timeout=120)
    data = json.loads(run.stdout)
    assert [(p["from"]["extension"], p["to"]["extension"]) for p in data["pairs"]] == [("ml-model", "mlm")]


def test_a_target_s_collection_layout_is_said_once_per_pair_and_agrees_with_translate():
    (p,) = crosswalk(default_tables(), "ml-model", "dlm")["pairs"]
    (note,) = p["notes"]
    assert "summary-to-field" in note and "to-summary" in note
    (p,) = crosswalk(default_tables(), "mlm", "ml-model")["pairs"]
    assert len(p["notes"]) == 1 and "to-summary" in p["notes"][0]
    assert crosswalk(default_tables(), "dlm", "mlm")["pairs"][0]["notes"] == []
    # what the notes say happens: an ml-model Collection's one-value summary becomes a DLM field
    result = translate(load_spec("ml-model/1.0.0/examples/dummy/collection.json"), to="dlm")
    assert "summary-to-field" in {f.code for f in result.report.findings}


@pytest.mark.parametrize("name,spelt", [("ml-model", "ml_model"), ("mlm", "MLM")])
def test_a_crosswalk_from_an_extension_to_itself_is_a_usage_error(tmp_path, name, spelt):
    """A document translated to its own extension and version comes back unchanged: a matrix of
    'lost' rows for that pair would say otherwise."""
    out = tmp_path / "crosswalk.md"
    run = subprocess.run([sys.executable, "-m", "translator", "crosswalk", "--from", name, "--to", spelt,
                          "-o", str(out)], capture_output=True, timeout=120)
    assert run.returncode == 2 and run.stdout == b"" and not out.exists(), run.stderr
    assert run.stderr.decode().splitlines() == [
        f"error: --from and --to both name {name}: a document translated to its own extension and version "
        "comes back unchanged (version changes: docs/mlm-versions.md) (see 'stacml crosswalk --help')"]


def test_a_markdown_row_stays_one_row_whatever_a_user_table_says(tmp_path):
    """A '|' in a field name (even in its code span) ends a GitHub Markdown cell, and a line break
    in a note (a YAML block scalar) ends the row: both are written so that each rule is one row."""
    import re
    (tmp_path / "toy.yaml").write_text(
        'format: stacml-mapping/1\nextension: toy\nprefix: "toy:"\nversions: ["1.0.0"]\ndefault_version: "1.0.0"\n'
        'uris: ["https://example.org/toy/v{version}/schema.json"]\nrules:\n'
        '  - {id: name, kind: move, field: "toy:na|me", pivot: name}\n'
        '  - id: gone\n    kind: drop\n    field: "toy:gone"\n    lossy:\n      reason: |\n'
        '        first line\n        second | line\n')
    run = subprocess.run([sys.executable, "-m", "translator", "crosswalk", "--mappings", str(tmp_path),
                          "--from", "toy", "--to", "mlm"], capture_output=True, timeout=120)
    assert run.returncode == 0, run.stderr
    table = run.stdout.decode().split("| toy | rule |", 1)[1].splitlines()[2:]
    rows = [line for line in table if line]
    assert all(line.startswith("| ") and line.endswith(" |") for line in rows), rows
    assert all(len(re.findall(r"(?<!\\)\|", line)) == 7 for line in rows), rows
    assert rows[0].startswith("| `toy:na\\|me` | name | name | `mlm:name` | **exact** |")
    assert rows[1] == "| `toy:gone` | gone |  | — | **lost** | first line second \\| line |"


def test_only_the_full_built_in_crosswalk_calls_itself_docs_crosswalk_md(tmp_path):
    """A crosswalk of one pair, or of a user's tables, said it was docs/crosswalk.md, generated with
    no option, and not to be edited."""
    def header(*args) -> list[str]:
        run = subprocess.run([sys.executable, "-m", "translator", "crosswalk", *map(str, args)],
                             capture_output=True, timeout=120)
        assert run.returncode == 0, run.stderr
        return run.stdout.decode().split("\n\n")[1].split(";")[:1]
    docs = ["Generated from the mapping tables by `stacml crosswalk --format markdown -o docs/crosswalk.md`"]
    assert header() == docs
    (tmp_path / "toy.yaml").write_text(
        'format: stacml-mapping/1\nextension: toy\nprefix: "toy:"\nversions: ["1.0.0"]\ndefault_version: "1.0.0"\n'
        'uris: ["https://example.org/toy/v{version}/schema.json"]\nrules:\n'
        '  - {id: name, kind: move, field: "toy:name", pivot: name}\n')
    for args in (["--from", "ml-model", "--to", "mlm"], ["--to", "dlm"], ["--mappings", tmp_path]):
        assert header(*args) == ["Generated from the mapping tables in use"], args
