"""`stacml convert` on one file and `stacml detect`, run as real processes."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import CHECKOUT, SAMPLES, SPECS, official_issues

DUMMY = SPECS / "ml-model/1.0.0/examples/dummy/item.json"


def stacml(*args, stdin: bytes | None = None, env: dict | None = None, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "translator", *map(str, args)], capture_output=True,
                          input=stdin, timeout=120, env=env, cwd=cwd)


def test_done_when_dummy_item_to_valid_mlm_with_a_full_report(tmp_path):
    report_path = tmp_path / "report.json"
    run = stacml("convert", DUMMY, "--to", "mlm", "--fill-required", "--report", report_path)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert official_issues(out) == []
    report = json.loads(report_path.read_text())
    assert report["file"] == str(DUMMY)
    by_pointer = {l["pointer"]: l["kind"] for l in report["losses"] if l["pointer"]}
    assert by_pointer == {
        "/properties/ml-model:type": "dropped",
        "/properties/ml-model:learning_approach": "dropped",
        "/properties/ml-model:training-processor-type": "dropped",
        "/properties/ml-model:training-os": "dropped",
    }
    synthesized = {l["target"] for l in report["losses"] if l["kind"] == "synthesized"}
    assert {"/properties/mlm:input", "/properties/mlm:output"} <= synthesized
    assert b"traceback" not in run.stderr.lower()


def test_output_file_is_written_and_the_input_is_untouched(tmp_path):
    source = tmp_path / "in.json"
    source.write_bytes((SAMPLES / "ml-model-item.json").read_bytes())
    before = source.read_bytes()
    out = tmp_path / "sub" / "out.json"
    run = stacml("convert", source, "--to", "mlm", "-o", out)
    assert run.returncode == 0, run.stderr
    assert source.read_bytes() == before
    assert json.loads(out.read_text())["properties"]["mlm:architecture"] == "U-Net"
    assert run.stdout == b""
    # without --fill-required the summary warns that the output is not schema-valid
    assert b"mlm:input is required" in run.stderr
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


def test_validate_flag_fails_on_an_invalid_output(tmp_path):
    env = {**os.environ, "STACML_SCHEMAS": str(SPECS), "STACML_CACHE": str(tmp_path / "cache")}
    run = stacml("convert", DUMMY, "--to", "mlm", "--validate", env=env)
    assert run.returncode == 1
    assert b"invalid:" in run.stderr and b'"mlm:input" is a required property' in run.stderr
    run = stacml("convert", DUMMY, "--to", "mlm", "--validate", "--fill-required", env=env)
    assert run.returncode == 0, run.stderr
    # no schema at all: the output cannot be validated, which is a failure, not a pass
    bare = {**env, "STACML_SCHEMAS": str(tmp_path / "empty")}
    (tmp_path / "empty").mkdir()
    run = stacml("convert", DUMMY, "--to", "mlm", "--validate", "--fill-required", env=bare)
    assert run.returncode == 1 and b"not validated" in run.stderr


@pytest.mark.parametrize("args,code,message", [
    (["convert", "missing.json", "--to", "mlm"], 2, b"missing.json: no such file"),
    # the same usage error in every command that reads SOURCES, before any document is read
    (["audit", str(DUMMY), "missing.json", "--to", "mlm"], 2, b"error: missing.json: no such file or directory"),
    (["detect", str(DUMMY), "missing.json"], 2, b"error: missing.json: no such file or directory"),
    (["validate", str(DUMMY), "missing.json"], 2, b"Path 'missing.json' does not exist"),
    (["convert", str(DUMMY), "--to", "klingon"], 2, b"error: --to: unknown extension 'klingon' (known: dlm, ml-model, mlm, tdml)"),
    (["convert", str(DUMMY)], 2, b"give --to EXTENSION"),
    (["convert", str(DUMMY), "--to", "mlm", "--to-version", "0.1"], 2, b"--to-version: mlm has no version 0.1"),
    (["audit", str(DUMMY), "--to", "mlm", "--to-version", "0.1"], 2, b"--to-version: mlm has no version 0.1"),
    (["convert", str(DUMMY), "--to", "mlm", "--to-version", "1.6"], 2, b"--to-version: mlm has no version 1.6"),
])
def test_usage_and_document_errors_are_one_line_without_traceback(args, code, message):
    run = stacml(*args)
    assert run.returncode == code
    assert message in run.stderr
    assert b"Traceback" not in run.stderr


def test_bad_documents_fail_with_the_file_named(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"type": "Feature",\n  "id": }')
    run = stacml("convert", broken, "--to", "mlm")
    assert run.returncode == 1
    assert run.stderr.decode().startswith(f"error: {broken}: invalid JSON at line 2 column")
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps({"type": "Feature", "id": "x", "properties": {}, "stac_extensions": []}))
    run = stacml("convert", plain, "--to", "mlm")
    assert run.returncode == 1 and b"no supported ML extension" in run.stderr
    assert b"Traceback" not in run.stderr


def test_lenient_json_accepts_comments(tmp_path):
    commented = tmp_path / "c.json"
    commented.write_text(DUMMY.read_text().replace('"type": "Feature",', '"type": "Feature", // item\n', 1))
    assert stacml("convert", commented, "--to", "mlm").returncode == 1
    run = stacml("convert", commented, "--to", "mlm", "--lenient-json")
    assert run.returncode == 0, run.stderr


def test_detect_prints_extension_and_version():
    run = stacml("detect", DUMMY, SPECS / "mlm/1.2.0/examples/item_basic.json")
    assert run.returncode == 0
    lines = run.stdout.decode().splitlines()
    assert lines[0].endswith("ml-model 1.0.0 [declared]")
    assert lines[1].endswith("mlm 1.2.0 [declared]")
    run = stacml("detect", "--format", "json", DUMMY)
    assert json.loads(run.stdout)["extension"] == "ml-model"
    assert stacml("detect", "--json", DUMMY).stdout == run.stdout  # the older spelling still works


def test_detect_json_gives_a_failed_document_its_object_in_its_place(tmp_path):
    """One object per document, as --help says: a CI script reading stdout alone must tell a
    document that failed from one that is not there."""
    (tmp_path / "bad.json").write_text("{bad")
    (tmp_path / "lines.ndjson").write_text(DUMMY.read_text().replace("\n", " ") + "\n{bad\n")
    items = {"type": "FeatureCollection", "features": [3, json.loads(DUMMY.read_text())]}
    (tmp_path / "items.json").write_text(json.dumps(items))
    run = stacml("detect", "--format", "json", "bad.json", "lines.ndjson", "items.json", cwd=tmp_path, env=CHECKOUT)
    assert run.returncode == 1
    objects = [json.loads(line) for line in run.stdout.splitlines()]
    assert [(o["file"], o.get("pointer"), o.get("extension"), o.get("error")) for o in objects] == [
        ("bad.json", None, None, "invalid JSON at line 1 column 2: unexpected character, expected a string key"),
        ("lines.ndjson:1", None, "ml-model", None),
        ("lines.ndjson:2", None, None, "invalid JSON at line 2 column 2: unexpected character, expected a string key"),
        ("items.json", "/features/0", None, "a feature must be a JSON object"),
        ("items.json", "/features/1", "ml-model", None)]
    assert all(set(o) == {"file", "error"} | ({"pointer"} if "pointer" in o else set()) for o in objects if "error" in o)
    # the error lines on stderr stay as they were
    assert run.stderr.decode().splitlines()[:2] == [
        "error: bad.json: invalid JSON at line 1 column 2: unexpected character, expected a string key",
        "error: lines.ndjson:2: invalid JSON at line 2 column 2: unexpected character, expected a string key"]
    assert "error: items.json /features/0: a feature must be a JSON object" in run.stderr.decode()


def test_detect_prefer_reads_a_half_migrated_document_as_convert_prefer_does(tmp_path):
    doc = json.loads(DUMMY.read_text())
    doc["properties"]["mlm:name"] = "half"
    doc["stac_extensions"].append("https://stac-extensions.github.io/mlm/v1.5.2/schema.json")  # both declared
    half = tmp_path / "half.json"
    half.write_text(json.dumps(doc))
    assert stacml("detect", half).stdout.decode().endswith("mlm 1.5.2 [declared] (also: ml-model)\n")
    run = stacml("detect", half, "--prefer", "ml-model")
    assert run.returncode == 0 and run.stdout.decode().endswith("ml-model 1.0.0 [declared] (also: mlm)\n")
    run = stacml("detect", half, "--prefer", "klingon")
    assert run.returncode == 2 and b"--prefer: unknown extension 'klingon'" in run.stderr


def test_a_repeated_key_fails_the_document_with_its_pointer(tmp_path):
    twice = tmp_path / "twice.json"
    twice.write_text(DUMMY.read_text().replace('"ml-model:type": "ml-model"',
                                               '"ml-model:type": "ml-model", "ml-model:type": "x"', 1))
    run = stacml("convert", twice, "--to", "mlm")
    assert run.returncode == 1 and b"Traceback" not in run.stderr
    assert f"{twice}: /properties/ml-model:type: the key 'ml-model:type' appears twice".encode() in run.stderr
    twice_yaml = tmp_path / "twice.yml"
    twice_yaml.write_text("type: Feature\nproperties:\n  dlm:name: a\n  dlm:name: b\n")
    run = stacml("convert", twice_yaml, "--to", "mlm")
    assert run.returncode == 1 and b"line 4" in run.stderr and b"appears twice" in run.stderr
    # leniently, the last value is kept and the lost one is a loss at its pointer, in JSON and YAML
    for source, pointer, lost in ((twice, "/properties/ml-model:type", "ml-model"),
                                  (twice_yaml, "/properties/dlm:name", "a")):
        report = tmp_path / "report.json"
        run = stacml("convert", source, "--to", "mlm", "--lenient-json", "--report", report)
        assert run.returncode == 0 and b"Traceback" not in run.stderr, run.stderr
        losses = json.loads(report.read_text())["losses"]
        assert [(l["pointer"], l["kind"], l["value"]) for l in losses if "repeated" in l["reason"]] == [
            (pointer, "dropped", lost)]


def test_integers_beyond_64_bits_survive_a_conversion(tmp_path):
    wide = tmp_path / "wide.json"
    wide.write_text(DUMMY.read_text().replace('"ml-model:type": "ml-model"',
                                              '"ml-model:type": "ml-model", "x:checksum": 340282366920938463463374607431768211455', 1))
    report = tmp_path / "report.json"
    run = stacml("convert", wide, "--to", "mlm", "--fill-required", "--report", report)
    assert run.returncode == 0, run.stderr
    assert b'"x:checksum": 340282366920938463463374607431768211455' in run.stdout
    assert json.loads(run.stdout)["properties"]["x:checksum"] == 2**128 - 1


def test_no_output_or_report_overwrites_a_file_the_run_reads(tmp_path):
    item = tmp_path / "item.json"
    item.write_bytes(DUMMY.read_bytes())
    lines = tmp_path / "items.ndjson"
    lines.write_text(json.dumps(json.loads(DUMMY.read_text())) + "\n")
    before = {p: p.read_bytes() for p in (item, lines)}
    for args, message in [
        ([item, "-o", item], "is the input itself: use --in-place"),
        ([item, "-o", tmp_path], "is the input itself: use --in-place"),
        ([item, "--report", item], f"--report {item} is {item}, which this run reads"),
        ([item, "--in-place", "--report", item], f"--report {item} is {item}, which this run reads"),
        ([lines, "-o", tmp_path / "out.ndjson", "--report", lines], f"--report {lines} is {lines}"),
        ([item, "-o", tmp_path / "a.json", "--report", tmp_path / "a.json"], "-o and --report name the same file"),
        ([item, "-o", lines, "--training-data", lines], f"-o {lines} is {lines}, which this run reads"),
    ]:
        run = stacml("convert", *args, "--to", "mlm")
        assert run.returncode == 2 and message.encode() in run.stderr, (args, run.stderr)
        assert b"Traceback" not in run.stderr
    assert {p: p.read_bytes() for p in (item, lines)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["item.json", "items.ndjson"]


def test_detect_reads_every_source_form_convert_reads(tmp_path):
    item = json.loads(DUMMY.read_text())
    mlm = json.loads((SPECS / "mlm/1.5.2/examples/item_basic.json").read_text())
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "a.json").write_text(json.dumps(item))
    (tmp_path / "dir" / "plain.json").write_text(json.dumps({"type": "Feature", "stac_version": "1.0.0", "id": "p",
                                                           "geometry": None, "properties": {}, "links": []}))
    lines = tmp_path / "items.ndjson"
    lines.write_text(json.dumps(item) + "\n" + json.dumps(mlm) + "\n")
    collection = tmp_path / "ic.json"
    collection.write_text(json.dumps({"type": "FeatureCollection", "features": [mlm]}))
    run = stacml("detect", tmp_path / "dir", lines, collection)
    assert run.returncode == 1  # plain.json has no ML extension
    assert run.stdout.decode().splitlines() == [
        f"{tmp_path / 'dir' / 'a.json'}: ml-model 1.0.0 [declared]",
        f"{lines}:1: ml-model 1.0.0 [declared]",
        f"{lines}:2: mlm 1.5.2 [declared]",
        f"{collection} /features/0: mlm 1.5.2 [declared]"]
    assert f"error: {tmp_path / 'dir' / 'plain.json'}: no supported ML extension".encode() in run.stderr
    assert b"5 document(s): ml-model 1.0.0: 2, mlm 1.5.2: 2, no ML extension: 1" in run.stderr
    run = stacml("detect", "--json", "-", stdin=lines.read_bytes())
    assert run.returncode == 0
    assert [(d["file"], d["extension"]) for d in map(json.loads, run.stdout.splitlines())] == [
        ("-:1", "ml-model"), ("-:2", "mlm")]


def test_outputs_and_reports_get_the_mode_a_plain_write_would_give(tmp_path):
    # a temporary file is private (0600); the output must not stay so
    out, report = tmp_path / "out.json", tmp_path / "report.json"

    def convert(umask: int) -> None:
        run = subprocess.run([sys.executable, "-m", "translator", "convert", str(DUMMY), "--to", "mlm",
                              "-o", str(out), "--report", str(report)], capture_output=True, timeout=120,
                             preexec_fn=lambda: os.umask(umask))
        assert run.returncode == 0, run.stderr

    convert(0o022)
    assert [oct(p.stat().st_mode & 0o777) for p in (out, report)] == ["0o644", "0o644"]
    out.chmod(0o640)
    convert(0o077)  # a file that is replaced keeps its mode; a new one follows the umask
    report.unlink()
    convert(0o077)
    assert [oct(p.stat().st_mode & 0o777) for p in (out, report)] == ["0o640", "0o600"]


def test_diff_prints_what_the_translation_changes(tmp_path):
    """--diff: a unified diff of the input and its translation, in the same JSON layout (a
    compact input shows only the changed fields); with -o the translation is still written."""
    source = tmp_path / "item.json"
    source.write_bytes(json.dumps(json.loads((SAMPLES / "ml-model-item.json").read_text())).encode())
    out = tmp_path / "out.json"
    run = stacml("convert", source, "--to", "mlm", "--diff", "-o", out, "-q")
    assert run.returncode == 0, run.stderr  # (-q leaves the warnings: the output lacks mlm:input, mlm:output)
    assert [line.split(": ")[0] for line in run.stderr.decode().splitlines()] == ["warning"] * 2, run.stderr
    lines = run.stdout.decode().splitlines()
    assert lines[:2] == [f"--- {source}", f"+++ {out}"]
    assert '-    "ml-model:architecture": "U-Net",' in lines and '+    "mlm:architecture": "U-Net",' in lines
    assert not [l for l in lines if l.startswith(("-", "+")) and '"license"' in l]
    assert json.loads(out.read_text())["properties"]["mlm:architecture"] == "U-Net"
    # to stdout: the diff replaces the document; the input is not touched
    before = source.read_bytes()
    run = stacml("convert", source, "--to", "mlm", "--diff")
    assert run.returncode == 0 and run.stdout.startswith(f"--- {source}\n+++ {source} (translated)\n".encode())
    assert source.read_bytes() == before


def test_diff_is_for_one_document(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in/item.json").write_text((SAMPLES / "ml-model-item.json").read_text())
    run = stacml("convert", tmp_path / "in", "--to", "mlm", "--diff", "-o", tmp_path / "out")
    assert run.returncode == 2 and b"--diff shows the changes to one document" in run.stderr, run.stderr
    assert not (tmp_path / "out").exists()
    # without -o, or with -o FILE, the error says what --diff needs, not how to convert a tree
    catalog = tmp_path / "in/catalog.json"
    catalog.write_text(json.dumps({"type": "Catalog", "stac_version": "1.0.0", "id": "c", "description": "c",
                                   "links": [{"rel": "item", "href": "./item.json"}]}))
    for args in ((tmp_path / "in",), (catalog,), (catalog, "-o", tmp_path / "out.json")):
        run = stacml("convert", *args, "--to", "mlm", "--diff")
        assert run.returncode == 2, run.stderr
        assert run.stderr.decode() == ("error: --diff shows the changes to one document: give a single Item or "
                                       "Collection (without --in-place)\n"), args


def test_the_target_extension_is_named_in_any_case(tmp_path):
    run = stacml("convert", SAMPLES / "ml-model-item.json", "--to", "MLM", "-q")
    assert run.returncode == 0 and "https://stac-extensions.github.io/mlm/v1.5.2/schema.json" in \
        json.loads(run.stdout)["stac_extensions"], run.stderr
    from translator import translate
    doc = json.loads((SAMPLES / "ml-model-item.json").read_text())
    assert translate(doc, to="MLM").report.target == ("mlm", "1.5.2")


def test_the_prefix_or_an_underscore_spelling_names_the_extension_and_a_typo_gets_a_hint():
    from translator import detect, translate
    doc = json.loads((SAMPLES / "ml-model-item.json").read_text())
    assert translate(doc, to="mlm:").report.target == ("mlm", "1.5.2")
    assert translate(doc, to=" ML_Model ").report.target == ("ml-model", "1.0.0")
    assert detect(doc, prefer="ml_model").extension == "ml-model"
    run = stacml("convert", SAMPLES / "ml-model-item.json", "--to", "ml-modle")
    assert run.returncode == 2 and run.stderr.decode().strip() == (
        "error: --to: unknown extension 'ml-modle' (known: dlm, ml-model, mlm, tdml); did you mean 'ml-model'?")
    run = stacml("convert", SAMPLES / "ml-model-item.json", "--to", "stac")
    assert run.returncode == 2 and b"did you mean" not in run.stderr


def half_migrated() -> dict:
    """An ml-model Item part-way to MLM: it already has an mlm:name and the MLM URI."""
    doc = json.loads((SAMPLES / "ml-model-item.json").read_text())
    doc["properties"]["mlm:name"] = "rooftops"
    doc["stac_extensions"].append("https://stac-extensions.github.io/mlm/v1.5.2/schema.json")
    return doc


def test_prefer_reads_a_half_migrated_document_as_the_extension_named(tmp_path):
    """Read by the stated precedence (MLM first), its ml-model fields would stay as they are and
    MLM's architecture and tasks be placeholders (--prefer mlm); --prefer ml-model carries them,
    and keeps the mlm:name it has, as a translation to MLM 1.5.2 does by itself. A document of
    one extension is read as it is (directories and audit too)."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "half.json").write_text(json.dumps(half_migrated()))
    (tmp_path / "in" / "mlm.json").write_text((SAMPLES / "mlm-item.json").read_text())
    as_mlm = stacml("convert", tmp_path / "in" / "half.json", "--to", "mlm", "--fill-required", "--prefer", "mlm")
    assert json.loads(as_mlm.stdout)["properties"]["mlm:architecture"] != "U-Net"
    plain = stacml("convert", tmp_path / "in" / "half.json", "--to", "mlm", "--fill-required")
    props = json.loads(plain.stdout)["properties"]
    assert (props["mlm:name"], props["mlm:architecture"], props["mlm:tasks"]) == ("rooftops", "U-Net", ["segmentation"])
    assert b"read as ml-model so that its translation to mlm migrates the ml-model fields" in plain.stderr
    run = stacml("convert", tmp_path / "in" / "half.json", "--to", "mlm", "--fill-required", "--prefer", "ML-MODEL")
    assert run.returncode == 0, run.stderr
    props = json.loads(run.stdout)["properties"]
    assert (props["mlm:name"], props["mlm:architecture"], props["mlm:tasks"]) == ("rooftops", "U-Net", ["segmentation"])
    assert not [k for k in props if k.startswith("ml-model:")]
    assert b"read as ml-model (as preferred)" in run.stderr
    assert f"note: {tmp_path / 'in' / 'half.json'}: (root): the document also uses mlm;".encode() in run.stderr
    run = stacml("convert", tmp_path / "in", "--to", "mlm", "--prefer", "ml-model", "-o", tmp_path / "out",
                 "--report", tmp_path / "run.json", "-q")
    assert run.returncode == 0, run.stderr
    assert json.loads((tmp_path / "out" / "half.json").read_text())["properties"]["mlm:architecture"] == "U-Net"
    documents = json.loads((tmp_path / "run.json").read_text())["documents"]
    assert {e["source"].rsplit("/", 1)[-1]: e["from"]["extension"] for e in documents} == {"half.json": "ml-model",
                                                                                          "mlm.json": "mlm"}
    audit = stacml("audit", tmp_path / "in", "--to", "mlm", "--prefer", "ml-model", "--format", "json", "--fail-on", "none")
    assert audit.returncode == 0, audit.stderr
    fields = {f["field"] for f in json.loads(audit.stdout)["fields"]}
    assert "/properties/ml-model:architecture" not in fields and "/properties/ml-model:training-os" in fields
    bad = stacml("convert", tmp_path / "in" / "half.json", "--to", "mlm", "--prefer", "nope")
    assert bad.returncode == 2 and b"--prefer: unknown extension 'nope'" in bad.stderr


def test_detect_says_when_a_catalog_leads_to_no_document(tmp_path):
    """A Catalog without items is no ML document, and is not listed: detect said nothing at all,
    so that a catalog with no items looked like a command that did nothing."""
    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps({"type": "Catalog", "stac_version": "1.0.0", "id": "c", "description": "d",
                                   "links": []}))
    run = stacml("detect", catalog)
    assert run.returncode == 0 and run.stdout == b""
    assert run.stderr.decode().splitlines() == ["0 document(s)"]
