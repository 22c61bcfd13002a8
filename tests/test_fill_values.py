"""fill_values / --fill-values: the caller gives the required target fields a source cannot supply
(ml-model says nothing of a model's input and output), and the output validates with real values
instead of placeholders."""
from __future__ import annotations

import copy
import json
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SAMPLES, SPECS, load_spec, official_issues
from test_cli_convert import stacml
from translator import translate
from translator.errors import UnsupportedTarget

DUMMY = "ml-model/1.0.0/examples/dummy/item.json"
VALUES = {
    "mlm:input": [{"name": "RGB chips", "bands": ["red", "green", "blue"],
                   "input": {"shape": [-1, 3, 512, 512], "dim_order": ["batch", "bands", "height", "width"],
                             "data_type": "float32"}}],
    "mlm:output": [{"name": "boxes", "tasks": ["object-detection"],
                    "result": {"shape": [-1, 4], "dim_order": ["batch", "coordinates"], "data_type": "float32"}}],
}


def test_given_values_fill_the_required_fields_and_are_reported_as_assumed():
    doc = load_spec(DUMMY)
    values = copy.deepcopy(VALUES)
    result = translate(doc, to="mlm", fill_required=True, fill_values=values)
    props = result.document["properties"]
    assert props["mlm:input"] == VALUES["mlm:input"] and props["mlm:output"] == VALUES["mlm:output"]
    assert official_issues(result.document) == []
    given = {l.target: l for l in result.report.losses if "the value given for it" in l.reason}
    assert set(given) == {"/properties/mlm:input", "/properties/mlm:output"}
    assert all(l.kind == "assumed" and l.pointer == "" for l in given.values())
    assert given["/properties/mlm:input"].value == VALUES["mlm:input"]
    synthesized = {l.target for l in result.report.losses if l.kind == "synthesized"}
    assert not synthesized & set(given)  # no placeholder where a value was given
    assert values == VALUES  # the caller's values are not modified ...
    props["mlm:input"][0]["name"] = "changed"
    assert values == VALUES  # ... nor shared with the output
    again = translate(doc, to="mlm", fill_values=values).document
    assert again["properties"]["mlm:input"] == VALUES["mlm:input"]
    back = translate(result.document, to="ml-model", restore=result.report)
    assert back.document == doc


def test_a_given_value_comes_before_a_guess_but_never_replaces_the_sources_value():
    doc = load_spec(DUMMY)
    guessed = translate(doc, to="mlm").document["properties"]["mlm:name"]
    assert guessed == doc["id"]  # without a given value, the name is taken from the id
    named = translate(doc, to="mlm", fill_values={"mlm:name": "cyclone-rcnn"})
    assert named.document["properties"]["mlm:name"] == "cyclone-rcnn"
    mlm = load_spec("mlm/1.5.2/examples/item_basic.json")
    kept = translate(mlm, to="mlm", version="1.4.0", fill_values=VALUES)
    assert kept.document["properties"]["mlm:input"] == mlm["properties"]["mlm:input"]
    assert not [l for l in kept.report.losses if "the value given" in l.reason]


def test_a_field_the_target_does_not_require_is_refused():
    doc = load_spec(DUMMY)
    with pytest.raises(UnsupportedTarget, match=r"mlm 1.5.2 requires no field 'mlm:foo'.*mlm:input, mlm:name"):
        translate(doc, to="mlm", fill_values={"mlm:foo": 1})
    # before 1.4, MLM has no artifact type: a value for it would be written nowhere
    with pytest.raises(UnsupportedTarget, match=r"mlm 1.3.0 requires no field 'mlm:artifact_type'"):
        translate(doc, to="mlm", version="1.3", fill_values={"mlm:artifact_type": "torch.save"})
    assert translate(doc, to="mlm", version="1.3", fill_values=VALUES).report.target == ("mlm", "1.3.0")
    with pytest.raises(TypeError, match="fill_values must be a mapping"):
        translate(doc, to="mlm", fill_values="mlm:input")
    with pytest.raises(UnsupportedTarget, match="fill values entry 0: give an object with 'values'"):
        translate(doc, to="mlm", fill_values=[("mlm:input", [])])


def test_convert_and_audit_read_the_values_from_a_yaml_file(tmp_path):
    values = tmp_path / "values.yaml"
    values.write_text(yaml.safe_dump(VALUES))
    run = stacml("convert", SPECS / DUMMY, "--to", "mlm", "--fill-required", "--fill-values", values)
    assert run.returncode == 0, run.stderr
    assert official_issues(json.loads(run.stdout)) == []
    assert json.loads(run.stdout)["properties"]["mlm:output"] == VALUES["mlm:output"]

    audit = stacml("audit", SPECS / DUMMY, "--to", "mlm", "--fill-values", values, "--format", "json",
                   "--fail-on", "none")
    assert audit.returncode == 0, audit.stderr
    fields = {(e["field"], e["kind"]) for e in json.loads(audit.stdout)["fields"]}
    assert ("(target)/properties/mlm:input", "assumed") in fields

    (tmp_path / "bad.json").write_text('{"mlm:foo": 1}')
    bad = stacml("convert", SPECS / DUMMY, "--to", "mlm", "--fill-values", tmp_path / "bad.json")
    assert bad.returncode == 2
    assert bad.stderr.decode().startswith(f"error: --fill-values {tmp_path / 'bad.json'}: mlm 1.5.2 requires no field")
    (tmp_path / "list.json").write_text("[1]")
    assert stacml("audit", SPECS / DUMMY, "--to", "mlm", "--fill-values", tmp_path / "list.json").returncode == 2
    restore = stacml("convert", SPECS / DUMMY, "--restore", values, "--fill-values", values)
    assert restore.returncode == 2 and b"it takes no" in restore.stderr


def _bomb(levels: int) -> str:
    """A YAML list whose aliases expand it to more than 10 ** levels values ("billion laughs")."""
    lines = ['  - &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"  - &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_a_yaml_values_file_is_read_as_strictly_as_a_mapping_table(tmp_path):
    """A --fill-values YAML file goes through the loader of the tables: aliases that expand it
    too far are refused before anything walks it, a key given twice is refused, and a value JSON
    has no room for is refused by its pointer (each a usage error, one line); a date is read as
    the text it is written as."""
    values = tmp_path / "values.yaml"
    values.write_text("mlm:input:\n" + _bomb(9))  # a 600-byte file of more than 10 ** 9 values
    started = time.monotonic()
    run = stacml("convert", SPECS / DUMMY, "--to", "mlm", "--fill-values", values)
    assert time.monotonic() - started < 30 and run.returncode == 2, run.stderr
    assert run.stderr.decode().splitlines() == [
        f"error: --fill-values {values}: YAML aliases expand the file to 1234567902 values, 1234567880 more than "
        "it writes out; aliases may add at most 100000 (write the values out, or use fewer aliases)"]
    values.write_text("mlm:name: a\nmlm:tasks: [classification]\nmlm:name: b\n")
    run = stacml("convert", SPECS / DUMMY, "--to", "mlm", "--fill-values", values)
    assert run.returncode == 2 and run.stderr.decode().splitlines() == [
        f"error: --fill-values {values}: invalid YAML at line 3 column 1: the key 'mlm:name' appears twice in one "
        "mapping (first at line 1); YAML would keep only the last value (fix the file, or accept the last value "
        "with --lenient-json)"]
    run = stacml("convert", SPECS / DUMMY, "--to", "mlm", "--fill-values", values, "--lenient-json")
    assert run.returncode == 0 and json.loads(run.stdout)["properties"]["mlm:name"] == "b", run.stderr
    assert f"note: --fill-values {values}: /mlm:name: the key 'mlm:name' is repeated in its object; read leniently, " \
        "its last value is used" in run.stderr.decode().splitlines()
    for value, message in ((".nan", "/mlm:input/0/input/shape/1: nan is not a JSON number"),
                           ("!!binary aGVsbG8=", "/mlm:input/0/input/shape/1: binary data (!!binary) is not a JSON value")):
        values.write_text(f"mlm:input:\n  - input: {{shape: [1, {value}]}}\n")
        run = stacml("audit", SPECS / DUMMY, "--to", "mlm", "--fill-values", values)
        assert run.returncode == 2 and run.stderr.decode().splitlines() == [
            f"error: --fill-values {values}: {message}"], run.stderr
    values.write_text("mlm:name: 2020-01-01\n")  # YAML would read a date: JSON has none
    run = stacml("convert", SPECS / DUMMY, "--to", "mlm", "--fill-values", values)
    assert run.returncode == 0 and json.loads(run.stdout)["properties"]["mlm:name"] == "2020-01-01", run.stderr


def test_a_training_data_file_that_cannot_be_read_is_a_usage_error(tmp_path):
    dataset = tmp_path / "dataset.yaml"
    dataset.write_text("type: Collection\nsummaries: [\n")
    run = stacml("convert", SPECS / DUMMY, "--to", "mlm", "--training-data", dataset)
    assert run.returncode == 2 and run.stderr.decode().splitlines() == [
        f"error: --training-data {dataset}: invalid YAML at line 3 column 1: expected the node content, but found "
        "'<stream end>'"], run.stderr


def _items(tmp_path, collections=(None, None)):
    """A folder of two ml-model Items, a.json and b.json (the official dummy with new ids)."""
    source = tmp_path / "in"
    source.mkdir()
    for name, collection in zip("ab", collections):
        doc = load_spec(DUMMY)
        doc["id"] = name
        if collection:
            doc["collection"] = collection
        (source / f"{name}.json").write_text(json.dumps(doc))
    return source


def test_a_directory_run_uses_the_values_and_other_values_convert_again(tmp_path):
    source = _items(tmp_path)
    values = tmp_path / "values.json"
    values.write_text(json.dumps(VALUES))
    out = tmp_path / "out"
    run = stacml("convert", source, "--to", "mlm", "-o", out, "--fill-required", "--fill-values", values, "-j", "1")
    assert run.returncode == 0, run.stderr
    for name in ("a", "b"):
        written = json.loads((out / f"{name}.json").read_text())
        assert written["properties"]["mlm:input"] == VALUES["mlm:input"]
        assert official_issues(written) == []
    other = copy.deepcopy(VALUES)
    other["mlm:input"][0]["name"] = "NIR chips"
    values.write_text(json.dumps(other))
    rerun = stacml("convert", source, "--to", "mlm", "-o", out, "--fill-required", "--fill-values", values, "-j", "1")
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads((out / "a.json").read_text())["properties"]["mlm:input"][0]["name"] == "NIR chips"


def test_the_model_assets_artifact_type_can_be_given_before_the_guess_from_its_role():
    doc = load_spec("ml-model/1.0.0/examples/cyclone-wind-speed/item.json")
    guessed = translate(doc, to="mlm")
    assert guessed.document["assets"]["inferencing-checkpoint"]["mlm:artifact_type"] == "torch.save"
    given = translate(doc, to="mlm", fill_values={"mlm:artifact_type": "torch.jit.script"})
    assert given.document["assets"]["inferencing-checkpoint"]["mlm:artifact_type"] == "torch.jit.script"
    [entry] = [l for l in given.report.losses if l.target == "/assets/inferencing-checkpoint/mlm:artifact_type"]
    assert entry.kind == "assumed" and entry.value == "torch.jit.script" and "the value given" in entry.reason
    back = translate(given.document, to="ml-model", restore=given.report)
    assert back.document == doc
    # no asset to carry it: the placeholder asset (fill_required) gets the given value
    dummy = translate(load_spec(DUMMY), to="mlm", fill_required=True,
                      fill_values={**VALUES, "mlm:artifact_type": "onnx"})
    models = [a for a in dummy.document["assets"].values() if "mlm:model" in a.get("roles", [])]
    assert [a["mlm:artifact_type"] for a in models] == ["onnx"]
    assert official_issues(dummy.document) == []


def test_tables_lists_the_fields_each_table_takes_values_for():
    run = stacml("tables", "--format", "json")
    assert run.returncode == 0, run.stderr
    fillable = {t["extension"]: t["fill_values"] for t in json.loads(run.stdout)["tables"]}
    assert fillable["mlm"] == ["mlm:architecture", "mlm:artifact_type", "mlm:input", "mlm:name", "mlm:output",
                               "mlm:tasks"]
    assert "ml-model:architecture" in fillable["ml-model"]
    # a nested field of DLM is named with its path, and given the same way
    values = {"dlm:architecture/type": "FasterRCNN"}
    assert "dlm:architecture/type" in fillable["dlm"]
    mlm = load_spec("mlm/1.5.2/examples/item_basic.json")
    del mlm["properties"]["mlm:architecture"]
    out = translate(mlm, to="dlm", fill_values=values).document
    assert out["properties"]["dlm:architecture"]["type"] == "FasterRCNN"


FILLED = {**VALUES, "mlm:artifact_type": "torch.jit.script"}


@pytest.mark.parametrize("source", ["dlm", "ml-model", "mlm", "tdml"])
def test_given_values_on_generated_documents(source):
    """On documents drawn from each extension's schema: an Item that lacks a required MLM field gets
    the given value, reported as assumed; one that has it keeps its own; the output is schema-valid
    with --fill-required; the report undoes the translation exactly."""
    from hypothesis import given, settings
    from conftest import schema_issues
    from schema_strategies import schema_document

    @settings(max_examples=30, derandomize=True, database=None, deadline=None)
    @given(schema_document(source))
    def check(doc):
        plain = translate(doc, to="mlm", fill_required=True)
        result = translate(doc, to="mlm", fill_required=True, fill_values=FILLED)
        assert schema_issues(result.document) == []
        given = {l.target for l in result.report.losses if "the value given for it" in l.reason}
        if doc["type"] == "Feature":
            props, before = result.document["properties"], plain.report.losses
            for field in ("mlm:input", "mlm:output"):
                placeholder = any(l.kind == "synthesized" and l.target == f"/properties/{field}" for l in before)
                assert (props[field] == FILLED[field]) == placeholder  # given exactly where a placeholder was
                assert (f"/properties/{field}" in given) == placeholder
        else:
            assert not [t for t in given if t.startswith("/properties/")]
        back = translate(result.document, to=result.report.source[0], restore=result.report)
        assert back.document == doc
    check()


def test_a_list_of_values_gives_each_document_the_first_set_whose_condition_holds():
    crop = copy.deepcopy(VALUES)
    crop["mlm:input"][0]["name"] = "crop chips"
    chosen = [
        {"when": "collection == 'crops'", "values": {"mlm:input": crop["mlm:input"]}},
        {"when": "properties.\"ml-model:architecture\" == 'RCNN'", "values": {"mlm:name": "rcnn-model"}},
        {"values": VALUES},  # every other document, and the fields the entries above leave out
    ]
    doc = load_spec(DUMMY)
    assert doc["properties"]["ml-model:architecture"] == "RCNN"
    plain = translate(doc, to="mlm", fill_values=chosen).document["properties"]
    assert plain["mlm:input"] == VALUES["mlm:input"] and plain["mlm:output"] == VALUES["mlm:output"]
    assert plain["mlm:name"] == "rcnn-model"
    doc["collection"] = "crops"
    cropped = translate(doc, to="mlm", fill_values=chosen).document["properties"]
    assert cropped["mlm:input"] == crop["mlm:input"] and cropped["mlm:output"] == VALUES["mlm:output"]
    doc["properties"]["ml-model:architecture"] = "U-Net"
    result = translate(doc, to="mlm", fill_values=chosen[:2])  # no default: nothing for mlm:output
    assert result.document["properties"]["mlm:name"] == doc["id"]  # the usual guess
    assert "mlm:output" not in result.document["properties"]
    assert any("mlm:output is required" in p for p in result.report.problems)
    # prepared once, as a run does, and used for many documents
    from translator import default_tables
    prepared = default_tables()["mlm"].check_fill_values(chosen, "1.5.2")
    assert translate(doc, to="mlm", fill_values=prepared).document["properties"]["mlm:input"] == crop["mlm:input"]
    with pytest.raises(UnsupportedTarget, match="checked for mlm 1.5.2, not mlm 1.4.0"):
        translate(doc, to="mlm", version="1.4", fill_values=prepared)
    # one entry on its own, and the faults of an entry
    single = {"when": "id == 'nope'", "values": {"mlm:name": "never"}}
    assert translate(doc, to="mlm", fill_values=single).document["properties"]["mlm:name"] == doc["id"]
    with pytest.raises(UnsupportedTarget, match=r"fill values entry 1: 'when' is not a valid jmespath expression"):
        translate(doc, to="mlm", fill_values=[{"values": {}}, {"when": "id ==", "values": {}}])
    with pytest.raises(UnsupportedTarget, match=r"fill values entry 0: mlm 1.5.2 requires no field 'mlm:foo'"):
        translate(doc, to="mlm", fill_values=[{"values": {"mlm:foo": 1}}])
    with pytest.raises(UnsupportedTarget, match=r"fill values entry 0: give an object with 'values'"):
        translate(doc, to="mlm", fill_values=[{"values": {}, "if": "id"}])


def test_a_run_gives_each_collection_its_own_values(tmp_path):
    source = _items(tmp_path, collections=("crops", "cyclones"))
    crop = copy.deepcopy(VALUES)
    crop["mlm:input"][0]["name"] = "crop chips"
    values = tmp_path / "values.yaml"
    values.write_text(yaml.safe_dump([{"when": "collection == 'crops'", "values": crop}, {"values": VALUES}]))
    out = tmp_path / "out"
    run = stacml("convert", source, "--to", "mlm", "-o", out, "--fill-required", "--fill-values", values, "-j", "2")
    assert run.returncode == 0, run.stderr
    names = {n: json.loads((out / f"{n}.json").read_text())["properties"]["mlm:input"][0]["name"] for n in "ab"}
    assert names == {"a": "crop chips", "b": "RGB chips"}
    values.write_text(yaml.safe_dump([{"when": "collection ==", "values": crop}]))
    bad = stacml("convert", source, "--to", "mlm", "-o", tmp_path / "o2", "--fill-values", values)
    assert bad.returncode == 2 and b"fill values entry 0: 'when' is not a valid jmespath expression" in bad.stderr


def test_audit_takes_the_list_form_too(tmp_path):
    source = _items(tmp_path)
    values = tmp_path / "values.yaml"
    values.write_text(yaml.safe_dump([{"when": "id == 'a'", "values": VALUES}]))
    run = stacml("audit", source, "--to", "mlm", "--fill-values", values, "--format", "json", "--fail-on", "none")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    given = [f for f in data["fields"] if f["field"] == "(target)/properties/mlm:input" and f["kind"] == "assumed"]
    assert [(f["documents"], f["examples"][0]["document"].rsplit("/", 1)[-1]) for f in given] == [(1, "a.json")]
    assert data["totals"]["not_schema_valid"] == 2  # b lacks them; both lack a model asset (no --fill-required)


def test_the_migration_guides_per_model_example_gives_valid_outputs(tmp_path):
    """docs/migration.md's io-by-model.yaml, on the documents of the guide: its U-Net entry named
    bands the sample Items do not describe, and its cyclone entry a collection no example has;
    followed as written, the outputs are valid and every entry reaches a document."""
    guide = (ROOT / "docs/migration.md").read_text()
    start = guide.index("  # io-by-model.yaml\n")
    block = guide[start:guide.index("  ```", start)]
    values = tmp_path / "io-by-model.yaml"
    values.write_text(textwrap.dedent(block))
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    for name, source in (("dummy", "dummy"), ("cyclone", "cyclone-wind-speed")):
        (catalog / f"{name}.json").write_bytes((SPECS / f"ml-model/1.0.0/examples/{source}/item.json").read_bytes())
    crop = json.loads((SAMPLES / "ml-model-item.json").read_text())
    (catalog / "crop.json").write_text(json.dumps(crop))
    crop["properties"]["mlm:name"] = "crop-half"  # the half-migrated copy
    (catalog / "crop-half.json").write_text(json.dumps(crop))
    out, report = tmp_path / "out", tmp_path / "run.json"
    run = stacml("convert", catalog, "--to", "mlm", "-o", out, "--fill-required", "--fill-values", values,
                 "--validate", "--schemas", SPECS, "--report", report, "-j", "1")
    assert run.returncode == 0 and b"invalid:" not in run.stderr, run.stderr
    documents = json.loads(report.read_text())["documents"]
    assert all(e["valid"] for e in documents) and len(documents) == 4
    # the given bands need no placeholder description: nothing synthesized but dummy's model asset
    synthesized = {(Path(e["source"]).name, l["target"]) for e in documents for l in e["losses"]
                   if l["kind"] == "synthesized"}
    assert {doc for doc, _ in synthesized} == {"dummy.json"}, synthesized
    assert json.loads((out / "cyclone.json").read_text())["properties"]["mlm:name"] == "cyclone-wind-speed"
    given = yaml.safe_load(values.read_text())[0]["values"]
    for name in ("crop", "crop-half"):
        props = json.loads((out / f"{name}.json").read_text())["properties"]
        assert (props["mlm:input"], props["mlm:output"]) == (given["mlm:input"], given["mlm:output"])
