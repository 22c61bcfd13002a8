"""Offline validation: schema store, validate_document, and the `validate` / `schemas` commands.

Runs against the official schemas and examples in ../shared/specs and checks the verdicts recorded in
../shared/research/validation.md.
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import re
import threading
from pathlib import Path

import jsonschema
import orjson
import pytest
import referencing
import referencing.jsonschema
from click.testing import CliRunner

from translator.cli import main
from translator.cli.validate import _Doc, _documents
from translator.errors import SchemaNotFound, SchemaUnreadable
from translator.validation import (
    SchemaStore, ValidationIssue, check_document, clear_caches, extension_uris, validate_document,
    validator_for,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SPECS = SHARED / "specs"
RESEARCH = SHARED / "research" / "validation.md"
MLM = "https://stac-extensions.github.io/mlm/v{}/schema.json"



@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    # Never read the user's real cache or environment; start every test with fresh compiled validators.
    monkeypatch.setenv("STACML_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("STACML_SCHEMAS", raising=False)
    clear_caches()
    yield
    clear_caches()


@functools.lru_cache(maxsize=None)
def specs_store() -> SchemaStore:
    """Only the official copies: verdicts must not depend on the schemas shipped in the package."""
    return SchemaStore([("--schemas", SPECS)])


def load(rel: str) -> dict:
    return orjson.loads((SPECS / rel).read_bytes())


def mlm_item(version: str = "1.5.2") -> dict:
    return load(f"mlm/{version}/examples/item_basic.json")


# -- verdicts of the official examples ------------------------------------------------------------------

def _research_rows():
    rows = []
    for line in RESEARCH.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| `([^`]+/examples/[^`]+)` \| ([^|]+) \| ([^|]+) \|", line)
        if not match:
            continue
        rel, parse, own = match.groups()
        if parse.startswith("INVALID JSON"):
            verdict = "UNREADABLE"  # research repaired the text to go on; we report the file instead
        elif "N/A" in own:
            verdict = "N/A"
        elif "SCHEMA-INVALID-JSON" in own or "ERROR" in own:
            verdict = "FAIL"
        else:  # the row for the folder's own `schema.json` (the tag copy), not the variants
            cell = re.search(r"(?:^|<br>)[^<]*?/schema\.json: \*\*(PASS|FAIL)", own)
            verdict = cell.group(1) if cell else own.strip()
        rows.append((rel, verdict))
    return rows


RESEARCH_ROWS = _research_rows() if RESEARCH.is_file() else []


def _own_uri(rel: str) -> str:
    family, version = rel.split("/")[:2]
    if family == "tdml":  # the schema carries the template `$id`; documents use this URL
        return "https://stac-extensions.github.io/trainingdml-ai/v1.0.0/schema.json"
    text = (SPECS / family / version / "schema.json").read_text(encoding="utf-8")
    return SchemaStore.canonical(re.search(r'"\$id"\s*:\s*"([^"]+)"', text).group(1))


def _own_verdict(rel: str) -> str:
    own = _own_uri(rel)
    items = list(_documents([SPECS / rel]))
    if not all(isinstance(i, _Doc) for i in items):
        return "UNREADABLE"
    (item,) = items
    store = specs_store()
    declared = [SchemaStore.canonical(u) for _, u in extension_uris(item.doc)]
    if own not in declared:
        short_name = rel.startswith("dlm/") and "dl-model" in item.doc.get("stac_extensions", [])
        if "stac_extensions" in item.doc and not short_name:
            return "N/A"
        # torch/mlm-metadata.yaml names its schema in `$schema` only, and DLM beta.3's item.yml still says
        # `dl-model` (which its stac_version maps to the beta.2 schema): apply the folder's schema directly.
        return "PASS" if validator_for(own, store).is_valid(item.doc) else "FAIL"
    report = check_document(item.doc, store)
    if any(SchemaStore.canonical(exc.uri) == own for _, exc in report.missing):
        return "FAIL"
    assert own in report.checked
    return "FAIL" if any(i.schema == own for i in report.issues) else "PASS"


def test_research_table_was_found():
    assert len(RESEARCH_ROWS) == len([p for p in SPECS.rglob("examples/**/*") if p.is_file()])
    assert {v for _, v in RESEARCH_ROWS} == {"PASS", "FAIL", "N/A", "UNREADABLE"}


@pytest.mark.parametrize("rel,expected", RESEARCH_ROWS, ids=[r for r, _ in RESEARCH_ROWS])
def test_official_example_verdict_matches_research(rel, expected):
    assert _own_verdict(rel) == expected


@pytest.mark.parametrize("rel", [r for r, v in RESEARCH_ROWS if r.startswith(("mlm/", "ml-model/")) and
                                 r.endswith(".json")])
def test_valid_families_pass_core_and_every_declared_extension(rel):
    report = check_document(load(rel), specs_store())
    assert report.issues == [] and report.missing == []
    assert report.valid


def _jsonschema_verdict(doc: dict, uri: str, store: SchemaStore) -> bool:
    def retrieve(ref: str):
        try:
            contents = store.resolve(ref)
        except SchemaNotFound:
            contents = False  # same convention as the fast path: an unavailable `$ref` accepts nothing
        return referencing.Resource.from_contents(contents, default_specification=referencing.jsonschema.DRAFT7)

    registry = referencing.Registry(retrieve=retrieve)
    return jsonschema.Draft7Validator(store.resolve(uri), registry=registry).is_valid(doc)


def test_jsonschema_rs_agrees_with_python_jsonschema_on_every_example_and_schema():
    store, compared = specs_store(), 0
    for rel, _ in RESEARCH_ROWS:
        for item in _documents([SPECS / rel]):
            if not isinstance(item, _Doc):
                continue
            report = check_document(item.doc, store)
            for uri in report.checked:
                rs_ok = not any(i.schema == uri for i in report.issues)
                assert rs_ok == _jsonschema_verdict(item.doc, uri, store), (rel, uri)
                compared += 1
    assert compared > 150


# -- precise errors on hand-broken documents --------------------------------------------------------------

def _set(doc, path, value):
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


PROBES = [  # research/validation.md, "Extra probes against MLM v1.5.2"
    (["properties", "mlm:tasks"], ["change-detection"], "/properties/mlm:tasks/0", "is not one of"),
    (["properties", "mlm:accelerator"], "cpu", "/properties/mlm:accelerator", "is not one of"),
    (["properties", "mlm:framework_version"], "2.1", "/properties/mlm:framework_version", "does not match"),
    (["properties", "mlm:input", 0, "value_scaling"], [{"type": None}],
     "/properties/mlm:input/0/value_scaling/0", "alternatives failed with"),
]


@pytest.mark.parametrize("path,value,pointer,words", PROBES, ids=[p[2] for p in PROBES])
def test_error_pointer_on_broken_mlm_item(path, value, pointer, words):
    doc = _set(mlm_item(), path, value)
    issues = validate_document(doc, specs_store())
    assert issues, "the probe must fail"
    assert pointer in {i.pointer for i in issues}
    hit = next(i for i in issues if i.pointer == pointer)
    assert hit.schema == MLM.format("1.5.2")
    if words:
        assert words in hit.message


def test_enum_message_lists_every_allowed_value():
    doc = _set(mlm_item(), ["properties", "mlm:tasks"], ["change-detection"])
    (issue,) = validate_document(doc, specs_store())
    assert issue == ValidationIssue("/properties/mlm:tasks/0", issue.message, MLM.format("1.5.2"))
    assert issue.message.startswith('"change-detection" is not one of [')
    assert '"downscaling"' in issue.message and "other candidates" not in issue.message


def test_unknown_mlm_field_rejected_from_1_4_0_but_not_before():
    store = specs_store()
    new = _set(mlm_item("1.5.2"), ["properties", "mlm:foo"], 1)
    old = _set(mlm_item("1.3.0"), ["properties", "mlm:foo"], 1)
    assert [i.pointer for i in validate_document(new, store)] == ["/properties"]
    assert validate_document(old, store) == []


@pytest.mark.parametrize("path,value", [(["properties", "mlm:pretrained"], False)])
def test_probe_that_the_schema_lets_through(path, value):
    doc = _set(mlm_item(), path, value)
    doc["properties"].pop("mlm:pretrained_source", None)
    assert validate_document(doc, specs_store()) == []


def test_oneof_item_branch_is_reported_not_the_whole_document():
    # MLM 1.2.0 wraps everything in oneOf(Item, Collection): report the Item branch's own errors.
    doc = _set(mlm_item("1.2.0"), ["properties", "mlm:tasks"], ["change-detection"])
    doc["properties"]["mlm:name"] = 3
    pointers = {i.pointer for i in validate_document(doc, specs_store())}
    assert {"/properties/mlm:tasks/0", "/properties/mlm:name"} <= pointers
    assert "" not in pointers


def test_core_schema_errors_and_several_errors_per_document():
    doc = mlm_item()
    del doc["id"]
    doc["links"] = "x"
    doc["properties"]["mlm:tasks"] = ["change-detection"]
    issues = validate_document(doc, specs_store())
    core = "https://schemas.stacspec.org/v1.0.0/item-spec/json-schema/item.json"
    assert ValidationIssue("", '"id" is a required property', core) in issues
    assert ValidationIssue("/links", '"x" is not of type "array"', core) in issues
    assert len(issues) >= 3
    assert validate_document(doc, specs_store(), core=False) == [i for i in issues if i.schema != core]


def test_pointer_escapes_slash_and_tilde(tmp_path):
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "$id": "https://example.test/esc/v1.json",
              "properties": {"properties": {"properties": {"a/b~c": {"type": "string"}}}}}
    (tmp_path / "s.json").write_text(json.dumps(schema))
    doc = mlm_item()
    doc["stac_extensions"] = ["https://example.test/esc/v1.json"]
    doc["properties"]["a/b~c"] = 1
    issues = validate_document(doc, SchemaStore([("--schemas", tmp_path), ("--schemas", SPECS)]))
    assert [i.pointer for i in issues] == ["/properties/a~1b~0c"]


# -- schema store: aliases, preference, errors -----------------------------------------------------------------

@pytest.mark.parametrize("uri", [
    "https://crim-ca.github.io/mlm-extension/v1.2.0/schema.json",
    "https://stac-extensions.github.io/mlm/v1.2.0/schema.json",
    "https://stac-extensions/mlm/v1.2.0/schema.json",
    "https://crim-ca.github.io/mlm-extension/v1.2.0/schema.json#",
    "http://stac-extensions.github.io/mlm/v1.2.0/schema.json",
])
def test_mlm_aliases_resolve_to_the_tag_copy(uri):
    store = specs_store()
    assert store.canonical(uri) == MLM.format("1.2.0")
    assert store.path_of(uri) == SPECS / "mlm" / "1.2.0" / "schema.json"
    assert store.resolve(uri)["$id"] == "https://crim-ca.github.io/mlm-extension/v1.2.0/schema.json"


def test_tag_copy_wins_over_gh_pages_and_crim_ca_tag_variants():
    assert specs_store().path_of(MLM.format("1.0.0")) == SPECS / "mlm" / "1.0.0" / "schema.json"
    sources = {uri: (path, origin) for uri, path, origin in specs_store().sources()}
    assert sources[MLM.format("1.3.0")] == (str(SPECS / "mlm/1.3.0/schema.json"), "--schemas")


def test_trailing_hash_ids_and_pystac_core():
    store = SchemaStore.default()
    # eo's `$id` ends with '#'; pystac ships STAC 1.1.0 core with a `commonjson` $id typo.
    assert "https://schemas.stacspec.org/v1.1.0/item-spec/json-schema/common.json" in store
    doc = mlm_item()
    doc["stac_version"] = "1.1.0"
    report = check_document(doc, SchemaStore.default([SPECS]))
    assert "https://schemas.stacspec.org/v1.1.0/item-spec/json-schema/item.json" in report.checked
    assert report.valid
    assert SchemaStore.default([SPECS]).resolve("https://stac-extensions.github.io/eo/v1.1.0/schema.json#")


def test_unknown_extension_raises_schema_not_found():
    doc = mlm_item()
    doc["stac_extensions"].append("https://example.test/nope/v9.9.9/schema.json")
    with pytest.raises(SchemaNotFound) as err:
        validate_document(doc, specs_store())
    assert err.value.uri == "https://example.test/nope/v9.9.9/schema.json"
    assert "stacml schemas pull https://example.test/nope/v9.9.9/schema.json" in str(err.value)
    assert "--schemas DIR" in str(err.value)
    with pytest.raises(SchemaNotFound):
        validator_for("https://example.test/nope/v9.9.9/schema.json", specs_store())


def test_broken_schema_file_is_named_and_a_usable_copy_wins(tmp_path):
    broken, good = tmp_path / "a", tmp_path / "b"
    broken.mkdir(), good.mkdir()
    (broken / "schema.json").write_text('{"$id": "https://example.test/x/v1/schema.json",\n "type": "object",}')
    with pytest.raises(SchemaUnreadable) as err:
        SchemaStore([("--schemas", broken)]).resolve("https://example.test/x/v1/schema.json")
    assert str(broken / "schema.json") in str(err.value) and "line 2" in str(err.value)
    (good / "copy.json").write_text('{"$id": "https://example.test/x/v1/schema.json", "type": "object"}')
    store = SchemaStore([("--schemas", broken), ("--schemas", good)])
    assert store.resolve("https://example.test/x/v1/schema.json") == {
        "$id": "https://example.test/x/v1/schema.json", "type": "object"}


def test_short_names_of_beta_documents_map_to_stac_beta_schemas():
    doc = {"stac_version": "1.0.0-beta.2", "stac_extensions": ["eo", "dl-model"]}
    assert [u for _, u in extension_uris(doc)] == [
        "https://schemas.stacspec.org/v1.0.0-beta.2/extensions/eo/json-schema/schema.json",
        "https://schemas.stacspec.org/v1.0.0-beta.2/extensions/dl-model/json-schema/schema.json",
    ]
    # The official DLM beta2 schema is not valid JSON: reported as unusable, naming the file.
    report = check_document(load("dlm/1.0.0-beta2/examples/collection.json") | doc, specs_store())
    (declared, exc), = report.missing
    assert declared == "dl-model" and isinstance(exc, SchemaUnreadable) and "not valid JSON" in exc.message


def test_missing_core_schema_is_a_warning_not_an_error():
    report = check_document(load("mlm/1.5.2/examples/collection.json"), specs_store())
    assert report.valid
    assert any("core schema for Collection 1.0.0 not available" in w for w in report.warnings)


def test_a_missing_core_schema_is_logged_once_per_process(caplog, monkeypatch):
    """A run of many documents (translate(validate=True) on each) logs it once, not once each."""
    from translator import translate
    monkeypatch.setenv("STACML_SCHEMAS", str(SPECS))  # the extension schemas, no core Collection schema
    doc = load("mlm/1.5.2/examples/collection.json")
    with caplog.at_level("WARNING", logger="translator.validation"):
        for _ in range(3):
            assert translate(doc, to="mlm", validate=True).report.validation == []
    logged = [r.getMessage() for r in caplog.records if r.name == "translator.validation"]
    assert len(logged) == 1 and logged[0].startswith("core schema for Collection 1.0.0 not available")


def test_unavailable_ref_inside_a_schema_is_a_warning():
    report = check_document(load("mlm/1.5.2/examples/item_datacube_variables.json"), specs_store())
    assert report.valid
    assert any("projjson" in w for w in report.warnings)


def test_default_store_follows_stacml_schemas(monkeypatch):
    doc = mlm_item()
    with pytest.raises(SchemaNotFound):
        validate_document(doc)
    monkeypatch.setenv("STACML_SCHEMAS", str(SPECS))
    assert validate_document(doc) == []
    assert validator_for(MLM.format("1.5.2")) is validator_for(MLM.format("1.5.2"))


# -- CLI ---------------------------------------------------------------------------------------------------

def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output and not isinstance(result.exception, (AssertionError, TypeError))
    return result


def _broken_item() -> dict:
    return _set(mlm_item(), ["properties", "mlm:tasks"], ["change-detection"])


def test_cli_valid_files_exit_0():
    result = run("validate", "--schemas", SPECS, SPECS / "mlm/1.5.2/examples/item_basic.json",
                 SPECS / "ml-model/1.0.0/examples/dummy/item.json")
    assert result.exit_code == 0, result.output
    assert "2 document(s) checked: 2 valid, 0 invalid, 0 error(s)" in result.output


def test_cli_directory_is_walked_recursively():
    result = run("validate", "--schemas", SPECS, SPECS / "mlm/1.5.2/examples")
    assert result.exit_code == 0, result.output
    assert "10 document(s) checked: 10 valid" in result.output  # 10 *.json, the YAML is not picked up


def test_cli_errors_are_path_pointer_message(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_bytes(orjson.dumps(_broken_item()))
    result = run("validate", "--schemas", SPECS, bad)
    assert result.exit_code == 1
    assert f'{bad}: /properties/mlm:tasks/0: "change-detection" is not one of [' in result.output
    assert result.output.rstrip().endswith("1 document(s) checked: 0 valid, 1 invalid, 1 error(s)")


def test_cli_checks_a_document_once_given_twice_or_through_a_symlink(tmp_path):
    """The same reader as convert, detect and audit: each document once, however it is reached."""
    source = tmp_path / "in"
    (source / "models").mkdir(parents=True)
    (source / "models/item.json").write_bytes((SPECS / "mlm/1.5.2/examples/item_basic.json").read_bytes())
    (source / "again.json").symlink_to(source / "models/item.json")
    (tmp_path / "link").symlink_to(source)
    result = run("validate", "--schemas", SPECS, source, source, tmp_path / "link", source / "models/item.json")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "1 document(s) checked: 1 valid, 0 invalid, 0 error(s)"


def test_cli_directory_skips_hidden_files_as_convert_does(tmp_path):
    # a converted directory holds the run's manifest (.stacml-convert.json): not a document
    source = tmp_path / "in"
    source.mkdir()
    for name in ("dummy", "cyclone-wind-speed"):
        (source / f"{name}.json").write_bytes((SPECS / f"ml-model/1.0.0/examples/{name}/item.json").read_bytes())
    assert run("convert", source, "--to", "mlm", "--fill-required", "-o", tmp_path / "out", "-q").exit_code == 0
    assert (tmp_path / "out" / ".stacml-convert.json").exists()
    (tmp_path / "out" / ".hidden").mkdir()
    (tmp_path / "out" / ".hidden" / "x.json").write_text("{}")
    result = run("validate", "--schemas", SPECS, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "2 document(s) checked: 2 valid, 0 invalid, 0 error(s)"


def test_cli_item_collection_ndjson_and_yaml(tmp_path):
    good, bad = mlm_item(), _broken_item()
    (tmp_path / "items.json").write_bytes(orjson.dumps({"type": "FeatureCollection", "features": [good, bad]}))
    (tmp_path / "items.ndjson").write_bytes(orjson.dumps(good) + b"\n\n" + orjson.dumps(bad) + b"\n{oops\n")
    (tmp_path / "item.yaml").write_text(json.dumps(bad))  # JSON is YAML
    result = run("validate", "--schemas", SPECS, tmp_path / "items.json", tmp_path / "items.ndjson",
                 tmp_path / "item.yaml")
    out = result.output
    assert result.exit_code == 1
    assert f"{tmp_path / 'items.json'} /features/1: /properties/mlm:tasks/0: " in out  # named as convert names it
    assert f"{tmp_path / 'items.ndjson'}:3: /properties/mlm:tasks/0: " in out
    assert f"{tmp_path / 'items.ndjson'}:4: invalid JSON at line 4 column" in out
    assert f"{tmp_path / 'item.yaml'}: /properties/mlm:tasks/0: " in out
    assert "5 document(s) checked: 2 valid, 3 invalid, 3 error(s), 1 unreadable" in out


@pytest.mark.parametrize("end", [b"\n", b"\r\n"])
def test_an_ndjson_record_cut_short_is_placed_on_its_own_line_as_convert_places_it(tmp_path, end):
    """A record that ends in the middle of a value was reported one line too far ("line 2 column
    1" for line 1) by validate, detect and audit, which read the line with its line break."""
    (tmp_path / "items.ndjson").write_bytes(b'{"a": ' + end + orjson.dumps(mlm_item()) + end)
    converted = run("convert", tmp_path / "items.ndjson", "--to", "mlm", "-o", tmp_path / "out.ndjson")
    error = converted.output.splitlines()[0]
    assert error.startswith(f"error: {tmp_path / 'items.ndjson'}:1: invalid JSON at line 1 column ")
    for args in (["validate", "--schemas", SPECS], ["detect"], ["audit", "--to", "mlm"]):
        result = run(*args, tmp_path / "items.ndjson")
        assert error in result.output.splitlines(), (args, result.output)


def test_cli_github_format_annotates_each_error_on_its_file_and_line(tmp_path):
    good, bad = mlm_item(), _broken_item()
    (tmp_path / "items.json").write_bytes(orjson.dumps({"type": "FeatureCollection", "features": [good, bad]}))
    (tmp_path / "items.ndjson").write_bytes(orjson.dumps(good) + b"\n\n" + orjson.dumps(bad) + b"\n{oops\n")
    result = run("validate", "--schemas", SPECS, "--format", "github", tmp_path / "items.json",
                 tmp_path / "items.ndjson")
    assert result.exit_code == 1
    lines = result.output.splitlines()

    def escaped(path) -> str:  # a workflow command's property value
        return str(path).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")

    ndjson = f"::error file={escaped(tmp_path / 'items.ndjson')},"
    assert [line.split("::")[1] for line in lines[:-1]] == [
        f"error file={escaped(tmp_path / 'items.json')},title=stacml validate",
        f"error file={escaped(tmp_path / 'items.ndjson')},line=3,title=stacml validate",
        f"error file={escaped(tmp_path / 'items.ndjson')},line=4,title=stacml validate"]
    assert lines[0].split("::", 2)[2].startswith("/features/1: /properties/mlm:tasks/0: ")
    assert lines[2].startswith(ndjson + "line=4,") and "invalid JSON at line 4 column" in lines[2]
    assert lines[-1] == "4 document(s) checked: 2 valid, 2 invalid, 2 error(s), 1 unreadable"


def test_cli_invalid_json_names_file_line_and_column(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text('{\n  "type": "Feature",\n}\n')
    result = run("validate", bad)
    assert result.exit_code == 1
    assert f"{bad}: invalid JSON at line 2 column 20: trailing comma is not allowed" in result.output


def test_cli_an_unreadable_input_is_an_error_line_in_every_format(tmp_path):
    """Text format printed an unreadable input as a bare `path: message`, like a schema finding;
    convert, detect and audit say `error: path: message`. The other formats mark it already."""
    bad = tmp_path / "broken.json"
    bad.write_text('{"type": ')
    message = "invalid JSON at line 1 column 10"
    text = run("validate", bad)
    assert text.exit_code == 1
    assert text.output.splitlines()[0].startswith(f"error: {bad}: {message}")
    github = run("validate", "--format", "github", bad).output.splitlines()[0]
    assert github.startswith("::error file=") and f"::{message}" in github
    document = json.loads(run("validate", "--format", "json", bad).stdout)
    assert document["documents"][0]["error"].startswith(message) and document["totals"]["unreadable"] == 1
    junit = run("validate", "--format", "junit", bad).stdout
    assert f'<error message="{message}' in junit


def test_cli_an_unreadable_feature_or_line_has_the_keys_of_a_readable_one(tmp_path):
    """`--format json` gave a feature of an ItemCollection that is no JSON object only `file` and
    `error`, its /features/N inside the error text, and an unreadable NDJSON line no `document`:
    each entry has `file` and `document` as a readable one's has, the error its message alone.
    The text line names the feature as before; the JUnit case is named by it."""
    import xml.etree.ElementTree as ET
    good = mlm_item()
    items, lines = tmp_path / "items.json", tmp_path / "items.ndjson"
    items.write_bytes(orjson.dumps({"type": "FeatureCollection", "features": [good, 5]}))
    lines.write_bytes(orjson.dumps(good) + b"\n{oops\n")
    result = run("validate", "--schemas", SPECS, "--format", "json", items, lines)
    document = json.loads(result.stdout)
    entries = document["documents"]
    assert result.exit_code == 1 and document["totals"]["unreadable"] == 2
    assert [(e["file"], e["document"], e.get("valid")) for e in entries] == [
        (str(items), "/features/0", True), (str(items), "/features/1", None),
        (f"{lines}:1", "", True), (f"{lines}:2", "", None)]
    assert entries[1] == {"file": str(items), "document": "/features/1", "error": "a feature must be a JSON object"}
    assert sorted(entries[3]) == ["document", "error", "file"]
    assert entries[3]["error"].startswith("invalid JSON at line 2 column 2: ")
    text = run("validate", "--schemas", SPECS, items).output.splitlines()
    assert f"error: {items} /features/1: a feature must be a JSON object" in text
    junit = ET.fromstring(run("validate", "--schemas", SPECS, "--format", "junit", items).stdout)
    errors = [case for case in junit.iter("testcase") if case.find("error") is not None]
    assert [case.get("name") for case in errors] == [f"{items} /features/1"]
    assert errors[0].find("error").get("message") == "a feature must be a JSON object"


def test_cli_official_broken_examples_fail():
    result = run("validate", "--schemas", SPECS, SPECS / "dlm/1.0.0-beta.3/examples",
                 SPECS / "dlm/1.0.0-beta2/examples/item.json")
    assert result.exit_code == 1
    assert f"{SPECS / 'dlm/1.0.0-beta2/examples/item.json'}: invalid JSON at line 1 column 1" in result.output
    assert "/properties/dlm:inputs/input_tensors: " in result.output


def test_cli_unknown_extension_is_a_clear_error(tmp_path):
    doc = mlm_item()
    doc["stac_extensions"].append("https://example.test/nope/v1.0.0/schema.json")
    (tmp_path / "x.json").write_bytes(orjson.dumps(doc))
    result = run("validate", "--schemas", SPECS, tmp_path / "x.json")
    assert result.exit_code == 1
    assert ("cannot check stac_extensions entry 'https://example.test/nope/v1.0.0/schema.json': no schema for "
            "https://example.test/nope/v1.0.0/schema.json") in result.output
    assert "stacml schemas pull https://example.test/nope/v1.0.0/schema.json" in result.output


@pytest.mark.parametrize("args", [[], ["/nonexistent/item.json"], ["--schemas", "/nonexistent", "."],
                                  ["--bogus", "."]])
def test_cli_usage_errors_exit_2(args):
    assert run("validate", *args).exit_code == 2


def test_cli_missing_core_schema_warns_but_passes():
    result = run("validate", "--schemas", SPECS, SPECS / "mlm/1.5.2/examples/collection.json")
    assert result.exit_code == 0
    assert "warning: " in result.output and "core schema for Collection 1.0.0 not available" in result.output


def test_cli_schemas_list_shows_uri_origin_and_path(monkeypatch):
    monkeypatch.setenv("STACML_SCHEMAS", str(SPECS))
    result = run("schemas", "list")
    assert result.exit_code == 0
    assert f"{MLM.format('1.2.0')}\tSTACML_SCHEMAS\t{SPECS / 'mlm/1.2.0/schema.json'}" in result.output
    assert "\tpystac\t" in result.output and "search order:" in result.output


def test_cli_schemas_list_warns_of_a_broken_file_it_cannot_list(tmp_path):
    """A broken schema naming its $id is listed as unusable under that URI; one that names none
    has no URI to be listed under, and was skipped without a word."""
    folder = tmp_path / "schemas"
    folder.mkdir()
    (folder / "broken.json").write_text('{"type": "object",')
    (folder / "broken-id.json").write_text('{"$id": "https://example.test/a.json", ')
    (folder / "example.json").write_text('{"type": "Feature"}')  # JSON, no $id: not a schema, not a fault
    result = run("schemas", "list", "--schemas", folder)
    assert result.exit_code == 0
    assert f"https://example.test/a.json\t--schemas, not valid JSON: " in result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert warnings == [f"warning: {folder / 'broken.json'}: not valid JSON: line 1 column 19: unexpected end of "
                        "data; skipped (no $id found in it)"]


# -- schemas pull ---------------------------------------------------------------------------------------------

@pytest.fixture()
def served(tmp_path):
    """A local HTTP server standing in for the schema hosts."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_pull_downloads_schema_and_its_refs_into_the_cache(served, tmp_path):
    root, base = served
    (root / "ext").mkdir()
    (root / "ext" / "schema.json").write_text(json.dumps({
        "$schema": "http://json-schema.org/draft-07/schema#", "$id": f"{base}/ext/schema.json",
        "properties": {"properties": {"properties": {"x:size": {"$ref": "defs.json#/definitions/size"}}}}}))
    (root / "ext" / "defs.json").write_text(json.dumps({
        "$id": f"{base}/ext/defs.json", "definitions": {"size": {"type": "integer"}}}))
    result = run("schemas", "pull", f"{base}/ext/schema.json")
    assert result.exit_code == 0, result.output
    assert "2 schema(s) saved under" in result.output
    cache = tmp_path / "cache"
    assert len(list(cache.rglob("*.json"))) == 2
    umask = os.umask(0o022)
    os.umask(umask)
    assert {p.stat().st_mode & 0o777 for p in cache.rglob("*.json")} == {0o666 & ~umask}  # not private
    doc = mlm_item()
    doc["stac_extensions"] = [f"{base}/ext/schema.json"]
    doc["properties"]["x:size"] = "big"
    issues = validate_document(doc, SchemaStore.default([SPECS]))
    assert [(i.pointer, i.message) for i in issues] == [("/properties/x:size", '"big" is not of type "integer"')]
    listing = run("schemas", "list").output
    assert "\tcache\t" in listing


def test_pull_without_network_is_one_line_exit_1(served):
    _, base = served
    unreachable = "http://127.0.0.1:9/schema.json"  # discard port: connection refused
    result = run("schemas", "pull", unreachable, "--timeout", "2")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: cannot download {unreachable}: ")
    missing = run("schemas", "pull", f"{base}/missing.json")
    assert missing.exit_code == 1 and "HTTP 404" in missing.output


def test_pull_from_a_server_that_does_not_answer_http_is_one_line_exit_1(tmp_path):
    """A host that answers something other than HTTP (a bad status line, a response cut short):
    one error line naming the URL, not a traceback."""
    import socket
    server = socket.create_server(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{server.getsockname()[1]}/schema.json"

    def answer():
        conn, _ = server.accept()
        with conn:
            conn.recv(4096)
            conn.sendall(b"NOT HTTP AT ALL\r\n\r\n")
    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        result = run("schemas", "pull", url, "--cache-dir", tmp_path, "--timeout", "10")
    finally:
        thread.join(10)
        server.close()
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [f"error: cannot download {url}: BadStatusLine: NOT HTTP AT ALL"]


def test_pull_rejects_non_urls():
    assert run("schemas", "pull", "mlm").exit_code == 2


def test_old_mlm_declared_with_the_new_host_names_the_url_the_tag_schema_wants():
    # Erratum: MLM 1.0.0-1.3.0 schemas require the crim-ca URL in stac_extensions (docs/validation.md).
    doc = mlm_item("1.2.0")
    doc["stac_extensions"] = [MLM.format("1.2.0")]
    (issue,) = validate_document(doc, specs_store())
    assert issue.pointer == "/stac_extensions"
    assert issue.message.endswith('does not contain "https://crim-ca.github.io/mlm-extension/v1.2.0/schema.json"')


def test_validate_names_a_repeated_key_instead_of_checking_the_last_value(tmp_path):
    from translator.cli.validate import _Unreadable
    twice = tmp_path / "twice.json"
    twice.write_text('{"type": "Feature", "properties": {"mlm:name": "a", "mlm:name": "b"}}')
    [item] = list(_documents([twice]))
    assert type(item) is _Unreadable and item.message.startswith("/properties/mlm:name: the key 'mlm:name'")
    [item] = list(_documents([twice], lenient=True))
    assert type(item) is _Doc and item.doc["properties"] == {"mlm:name": "b"}


def test_a_document_too_deep_for_the_validator_is_an_error_not_a_crash():
    from translator.errors import DocumentError
    doc = mlm_item()
    del doc["properties"]["mlm:input"]  # invalid, so the validator walks the document for errors
    nested: list = []
    for _ in range(900):
        nested = [nested]
    doc["properties"]["x:deep"] = nested
    with pytest.raises(DocumentError, match="nested too deeply for the validator"):
        check_document(doc, specs_store())


def test_cli_validate_reads_stdin_as_convert_does():
    import subprocess
    import sys
    good = mlm_item()
    bad = _broken_item()
    for data, expected in [(json.dumps(good, indent=2), "1 document(s) checked: 1 valid"),
                           (orjson.dumps(good).decode() + "\n" + orjson.dumps(bad).decode() + "\n",
                            "2 document(s) checked: 1 valid, 1 invalid")]:
        run = subprocess.run([sys.executable, "-m", "translator", "validate", "--schemas", str(SPECS), "-"],
                             input=data.encode(), capture_output=True, timeout=120)
        assert expected in run.stderr.decode() + run.stdout.decode(), run.stderr
    assert run.returncode == 1 and b"-:2: /properties/mlm:tasks" in run.stdout


def test_a_place_a_schema_forbids_is_named_with_the_schema_s_own_comment():
    """The STAC 1.1.0 Item schema (pystac's copy) forbids Item-level bands when no asset has bands,
    with a false schema; the message says so in the schema's words, not "False schema"."""
    doc = {"type": "Feature", "stac_version": "1.1.0", "id": "x", "geometry": None,
           "properties": {"datetime": "2024-01-01T00:00:00Z", "bands": [{"name": "red"}]},
           "links": [], "assets": {"a": {"href": "x.tif"}}}
    [issue] = validate_document(doc, SchemaStore.default())
    assert issue.pointer == "/properties/bands"
    assert issue.message == ('[{"name":"red"}] is not allowed here (the schema says: ... then bands are not '
                             'allowed in properties...)')
    doc["assets"]["a"]["bands"] = [{"name": "red"}]
    assert validate_document(doc, SchemaStore.default()) == []


def test_cli_error_lines_escape_control_characters_of_keys_and_junit_stays_xml(tmp_path):
    """A key holding a newline or U+0001 is written escaped: one text line per error, and a
    JUnit report that XML parsers read."""
    import xml.etree.ElementTree as ET
    doc = mlm_item()
    doc["assets"]["a\nb"] = {"href": "x", "roles": 5}
    doc["assets"]["c\u0001"] = {"href": "y", "roles": 6}
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(doc))
    result = run("validate", "--schemas", SPECS, path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3, lines  # two errors and the summary
    assert lines[0].startswith(f"{path}: /assets/a\\nb/roles: 5 is not of type \"array\" [STAC "), lines
    assert lines[1].startswith(f"{path}: /assets/c\\x01/roles: 6 is not of type \"array\" [STAC "), lines
    junit = run("validate", "--schemas", SPECS, "--format", "junit", path)
    failure = ET.fromstring(junit.stdout).find("testsuite/testcase/failure")
    assert [line.split(" [")[0] for line in failure.text.splitlines()] == [
        '/assets/a\\nb/roles: 5 is not of type "array"', '/assets/c\\x01/roles: 6 is not of type "array"']


def test_a_document_no_schema_applies_to_is_not_passed_off_as_checked(tmp_path):
    """--no-core on a document that declares no extension applied no schema at all: it was
    counted valid without a word. It still counts valid (nothing found wrong), with a warning."""
    doc = tmp_path / "plain.json"
    doc.write_text(json.dumps({"type": "Feature", "stac_version": "1.0.0", "id": "x", "properties": {}}))
    result = CliRunner().invoke(main, ["validate", "--no-core", str(doc), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["documents"][0]["checked"] == [] and data["totals"]["warnings"] == 1
    assert data["warnings"] == ["no schema applied: the core schema is not checked (--no-core) and "
                                "stac_extensions declares none"]
    # with the core schema, or an extension declared, a schema applies: no such warning
    result = CliRunner().invoke(main, ["validate", "--schemas", str(SPECS), str(doc), "--format", "json"])
    assert "no schema applied" not in result.output


def test_cli_github_format_makes_warnings_and_notes_annotations(tmp_path):
    """A missing core schema, a document no schema applies to and a skipped stacml report were
    plain stderr lines in GitHub format, which the Actions UI does not show; the text format
    keeps them on stderr."""
    collection = SPECS / "mlm/1.5.2/examples/collection.json"
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps({"type": "Feature", "stac_version": "1.0.0", "id": "x", "properties": {}}))
    (tmp_path / "report.json").write_text(json.dumps({"source": {}, "target": {}, "losses": []}))
    github = run("validate", "--schemas", SPECS, "--format", "github", collection)
    assert github.exit_code == 0 and github.stderr == ""
    warning = [line for line in github.stdout.splitlines() if line.startswith("::warning")]
    assert len(warning) == 1 and warning[0].startswith(
        f"::warning file={str(collection).replace(':', '%3A')},title=stacml validate::core schema for Collection "
        "1.0.0 not available")
    github = run("validate", "--no-core", "--format", "github", plain, tmp_path / "report.json")
    assert github.stderr == ""
    assert github.stdout.splitlines()[:2] == [
        f"::warning file={plain},title=stacml validate::no schema applied: the core schema is not checked "
        "(--no-core) and stac_extensions declares none",
        f"::notice file={tmp_path / 'report.json'},title=stacml validate::a stacml report (translation report), "
        "not a STAC document: skipped"]
    text = run("validate", "--no-core", plain, tmp_path / "report.json")
    assert text.stderr.splitlines() == [
        f"warning: {plain}: no schema applied: the core schema is not checked (--no-core) and stac_extensions "
        "declares none", f"note: {tmp_path / 'report.json'}: a stacml report (translation report), not a STAC "
                         "document: skipped"]
    assert not any(line.startswith("::") for line in text.stdout.splitlines())
