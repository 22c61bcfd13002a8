"""`stacml` on the less common command-line paths (asset copies, restore, stdin, NDJSON,
in-place reruns, odd inputs), run as real processes on temporary files."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import SAMPLES, SPECS
from test_cli_convert_catalog import stacml

ML_MODEL_ITEM = SPECS / "ml-model/1.0.0/examples/dummy/item.json"
MLM_URI = "https://stac-extensions.github.io/mlm/v1.5.2/schema.json"


def write(path: Path, doc) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))
    return path


def ml_model_item(id_: str, **assets) -> dict:
    doc = json.loads(ML_MODEL_ITEM.read_text())
    doc["id"] = id_
    doc["links"] = []
    doc["assets"] = {key: {"href": href} for key, href in assets.items()}
    return doc


def catalog_linking(path: Path, *links: tuple[str, str]) -> Path:
    """A Catalog at *path* whose links are the given (rel, href) pairs."""
    return write(path, {"type": "Catalog", "stac_version": "1.0.0", "id": "c", "description": "d",
                        "links": [{"rel": rel, "href": href} for rel, href in links]})


def test_copy_assets_never_replaces_a_converted_document_with_its_original(tmp_path):
    """An asset href naming a document of the run (itself, or another item) would copy the
    original over the translation; such a document is converted on its own, not copied."""
    src = tmp_path / "src"
    write(src / "item.json", ml_model_item("a", self="item.json", other="sub/item.json", weights="model.pt"))
    write(src / "sub/item.json", ml_model_item("b", back="../item.json"))
    (src / "model.pt").write_bytes(b"\x00weights")
    out = tmp_path / "out"
    for jobs in ("1", "2"):
        run = stacml("convert", src, "--to", "mlm", "-o", out, "--copy-assets", "-j", jobs, "--force")
        assert run.returncode == 0, run.stderr
        for rel in ("item.json", "sub/item.json"):
            assert MLM_URI in json.loads((out / rel).read_text())["stac_extensions"], (jobs, rel)
        assert (out / "model.pt").read_bytes() == b"\x00weights"
        assert b"/assets/self: asset item.json is a STAC document" in run.stderr


def test_in_place_leaves_an_ndjson_file_that_would_not_change_alone(tmp_path):
    """docs/catalog.md: files that would not change are not rewritten and get no backup."""
    mlm = json.loads((SPECS / "mlm/1.5.2/examples/item_basic.json").read_text())
    path = tmp_path / "items.ndjson"
    path.write_text((json.dumps(mlm) + "\n") * 2)
    before = path.stat()
    run = stacml("convert", path, "--to", "mlm", "--in-place")
    assert run.returncode == 0, run.stderr
    assert not (tmp_path / "items.ndjson.bak").exists()
    assert path.stat().st_ino == before.st_ino and path.stat().st_mtime_ns == before.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == ["items.ndjson"]


def test_in_place_keeps_the_permissions_of_the_file_and_its_backup(tmp_path):
    """A private file rewritten in place must not become readable by others (nor its backup)."""
    item = write(tmp_path / "item.json", ml_model_item("a"))
    line = json.dumps(ml_model_item("b")) + "\n"
    lines = tmp_path / "items.ndjson"
    lines.write_text(line)
    features = write(tmp_path / "items.json", {"type": "FeatureCollection", "features": [ml_model_item("c")]})
    for path in (item, lines, features):
        path.chmod(0o600)
        run = stacml("convert", path, "--to", "mlm", "--in-place")
        assert run.returncode == 0, run.stderr
        backup = path.with_name(path.name + ".bak")
        assert backup.exists() and MLM_URI in path.read_text()
        assert (path.stat().st_mode & 0o777, backup.stat().st_mode & 0o777) == (0o600, 0o600), path.name


def test_a_yaml_document_nested_too_deeply_fails_alone(tmp_path):
    """YAML nested deeper than the parser's recursion allows is one error line naming the
    file; the other documents of the run are still converted."""
    root = tmp_path / "catalog"
    (root / "deep.yaml").parent.mkdir(parents=True)
    (root / "deep.yaml").write_text("a: " + "[" * 5000 + "]" * 5000 + "\n")
    write(root / "item.json", ml_model_item("a"))
    catalog_linking(root / "catalog.json", ("child", "./deep.yaml"), ("item", "./item.json"))
    out = tmp_path / "out"
    run = stacml("convert", root / "catalog.json", "--to", "mlm", "-o", out, "-j", "1")
    assert run.returncode == 1 and b"unexpected failure" not in run.stderr, run.stderr
    assert f"error: {root / 'deep.yaml'}: invalid YAML: nested too deeply".encode() in run.stderr, run.stderr
    assert MLM_URI in (out / "item.json").read_text()
    for command in (("convert", root / "deep.yaml", "--to", "mlm"), ("detect", root / "deep.yaml")):
        run = stacml(*command)
        assert run.returncode == 1 and b"nested too deeply" in run.stderr and b"unexpected" not in run.stderr
        assert len(run.stderr.decode().strip().splitlines()) == 1, run.stderr


def test_a_json_string_holding_a_document_is_not_read_as_that_document(tmp_path):
    """A file whose top level is a string is not a STAC document, even when the string is
    JSON text (the single-document path decoded it a second time and translated it)."""
    inner = json.dumps(ml_model_item("a"))
    path = tmp_path / "quoted.json"
    path.write_text(json.dumps(inner))
    run = stacml("convert", path, "--to", "mlm")
    assert run.returncode == 1 and run.stdout == b"", run.stdout[:200]
    assert f"error: {path}: not a STAC document: the top level is a JSON string".encode() in run.stderr, run.stderr


_BOMB = "".join(f"  - &a{n} [" + ", ".join([f"*a{n - 1}" if n else '"x"'] * 10) + "]\n" for n in range(9))


@pytest.mark.parametrize("content, message", [
    ("type: Feature\nproperties:\n  a:\n" + _BOMB, "YAML aliases expand the file to 1234567906 values, 1234567880 "
     "more than it writes out; aliases may add at most 100000 (write the values out, or use fewer aliases)"),
    ("type: Feature\nproperties: {a: &a [*a]}\n", "a YAML alias at line 2 refers to a node that holds it (the "
     "file would be infinite)"),
    ("type: Feature\nproperties: {a: .inf, b: !!set {x}}\n", "/properties/a: inf is not a JSON number (and 1 more)"),
    ("type: Feature\nproperties: {a: 1, a: 2}\n", "invalid YAML at line 2 column 20: the key 'a' appears twice"),
    (b"type: Feature\nid: \xff\n", "not UTF-8 text: byte 0xFF at line 2 column 5 (re-encode it as UTF-8, e.g. "
     "with iconv -f latin1 -t utf-8)"),
])
def test_a_yaml_document_is_read_as_strictly_as_a_mapping_table(tmp_path, content, message):
    """Documents go through the YAML loader of the tables: aliases that expand too far, a key
    given twice, a value JSON has no room for or bytes that are not text fail the document alone,
    with one line naming it (and the pointer, and the link that led to it); the other documents of
    the run are converted."""
    root = tmp_path / "catalog"
    root.mkdir()
    bad = root / "bad.yaml"
    bad.write_bytes(content if type(content) is bytes else content.encode())
    write(root / "item.json", ml_model_item("a"))
    catalog_linking(root / "catalog.json", ("item", "./bad.yaml"), ("item", "./item.json"))
    run = stacml("convert", root / "catalog.json", "--to", "mlm", "-o", tmp_path / "out", "-j", "1")
    assert run.returncode == 1 and b"unexpected failure" not in run.stderr, run.stderr
    assert [line for line in run.stderr.decode().splitlines() if line.startswith("error:")] == [
        f"error: {bad}: {message}" + ("" if "twice" not in message else
                                      " in one mapping (first at line 2); YAML would keep only the last value (fix "
                                      "the file, or accept the last value with --lenient-json)")
        + f" (linked from {root / 'catalog.json'} /links/0)"], run.stderr  # the link that led the run to it
    assert MLM_URI in (tmp_path / "out/item.json").read_text()


def test_a_yaml_document_may_use_merges_and_numbers_as_keys(tmp_path):
    """What YAML means one way is read: a merge (``<<: *anchor``) with keys given again, and a
    key written as a number (DLM's published examples write ``0: background``)."""
    doc = ml_model_item("m")
    doc["assets"] = {}
    text = json.dumps(doc).replace('"assets": {}', '"assets": {"a": &asset {"href": "a.pt", "title": "weights"}, '
                                                  '"b": {<<: *asset, "href": "b.pt"}}, "classes": {0: background}')
    path = tmp_path / "merged.yaml"
    path.write_text(text)
    run = stacml("convert", path, "--to", "mlm", "-o", tmp_path / "out.json")
    assert run.returncode == 0, run.stderr
    out = json.loads((tmp_path / "out.json").read_text())
    assert (out["assets"]["a"], out["assets"]["b"]) == ({"href": "a.pt", "title": "weights"},
                                                        {"href": "b.pt", "title": "weights"})
    assert out["classes"] == {"0": "background"}


@pytest.mark.parametrize("content, message", [
    (b"a: [\n", b"invalid YAML at line 2 column 1"),
    (b"x: " + b"[" * 5000 + b"]" * 5000 + b"\n", b"invalid YAML: nested too deeply"),
    (b"\xff\xfe\x00garbage", b"must be a YAML mapping"),  # UTF-16 by its byte order mark: text, no mapping
    (b"format: \xff\n", b"invalid YAML"),
])
def test_a_broken_mapping_table_is_one_error_line_naming_it(tmp_path, content, message):
    (tmp_path / "tables").mkdir()
    table = tmp_path / "tables/mlm.yaml"
    table.write_bytes(content)
    run = stacml("convert", ML_MODEL_ITEM, "--to", "mlm", "--mappings", tmp_path / "tables")
    lines = run.stderr.decode().strip().splitlines()
    assert run.returncode == 2 and len(lines) == 1 and b"unexpected failure" not in run.stderr, run.stderr
    assert lines[0].startswith(f"error: {table}: ") and message in run.stderr, run.stderr


def test_a_link_with_a_nul_byte_fails_alone(tmp_path):
    """A NUL byte in a path (written as is or as %00) cannot name a file: that link's
    document fails with one error line; it does not end the run."""
    root = tmp_path / "catalog"
    write(root / "item.json", ml_model_item("a"))
    catalog_linking(root / "catalog.json", ("item", "a\u0000b.json"), ("item", "a%00c.json"), ("item", "./item.json"))
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        run = stacml("convert", root / "catalog.json", "--to", "mlm", "-o", out, "-j", jobs)
        assert run.returncode == 1 and b"unexpected failure" not in run.stderr, run.stderr
        assert run.stderr.count(b"cannot read: the path holds a NUL byte") == 2, run.stderr
        assert MLM_URI in (out / "item.json").read_text()
    run = stacml("audit", root / "catalog.json", "--to", "mlm")
    said = run.stdout + run.stderr
    assert b"unexpected failure" not in said and said.count(b"the path holds a NUL byte") == 2, said


def test_audit_counts_the_catalogs_of_a_catalog_as_convert_does(tmp_path):
    """Convert copies a Catalog (the ML extensions describe Items and Collections); audit
    counted each one as a failed translation, which made --fail-on of any kind exit 1."""
    root = tmp_path / "catalog"
    write(root / "item.json", ml_model_item("a"))
    catalog_linking(root / "catalog.json", ("item", "./item.json"))
    run = stacml("audit", root / "catalog.json", "--to", "mlm", "--format", "json", "--fail-on", "unknown")
    totals = json.loads(run.stdout)["totals"]
    assert (totals["documents"], totals["translated"], totals["without_ml_extension"], totals["failed"]) == (2, 1, 1, 0)
    assert run.returncode == 0 and b"error:" not in run.stderr, run.stderr


def test_single_document_outputs_and_reports_get_the_usual_permissions(tmp_path):
    """Like every catalog output, a single document's -o file, its --report and an audit -o
    report are created with the umask's permissions (they were private, 0600)."""
    out, report, audit = tmp_path / "out.json", tmp_path / "report.json", tmp_path / "audit.json"
    assert stacml("convert", ML_MODEL_ITEM, "--to", "mlm", "-o", out, "--report", report).returncode == 0
    stacml("audit", ML_MODEL_ITEM, "--to", "mlm", "-o", audit)
    umask = os.umask(0o022)
    os.umask(umask)
    for path in (out, report, audit):
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path.name


def test_a_single_document_to_a_new_directory_named_with_a_slash(tmp_path):
    """-o DIR/ names a directory even before it exists (as for NDJSON, ItemCollections and
    catalogs): the document goes inside it under its own name, not to a file called DIR."""
    out = tmp_path / "new"
    run = stacml("convert", ML_MODEL_ITEM, "--to", "mlm", "-o", f"{out}/")
    assert run.returncode == 0, run.stderr
    assert MLM_URI in (out / "item.json").read_text()
    run = stacml("convert", "-", "--to", "mlm", "-o", f"{tmp_path / 'other'}/", stdin=ML_MODEL_ITEM.read_bytes())
    assert run.returncode == 2 and b"stdin is written to one file" in run.stderr, run.stderr
    assert not (tmp_path / "other").exists()


def test_an_ndjson_output_never_writes_through_a_symlink_at_its_temporary_name(tmp_path):
    """docs/catalog.md: temporary files are opened exclusively, without following symlinks."""
    from translator.catalog_stream import Destination
    from translator.catalog_work import Options
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    out = tmp_path / "out.ndjson"
    (tmp_path / f".out.ndjson.stacml-{os.getpid()}-out.tmp").symlink_to(victim)
    destination = Destination(str(out), Options(to="mlm", version="1.5.2"), "in.ndjson")
    destination.write(b"{}\n")
    destination.commit()
    assert victim.read_text() == "keep" and out.read_bytes() == b"{}\n"


def test_a_link_href_with_a_fragment_or_query_names_the_file_before_it(tmp_path):
    """An href is a URI reference: 'item.json#x' is item.json (as 'item%2Ejson#x' already was)."""
    root = tmp_path / "catalog"
    write(root / "a/item.json", ml_model_item("a"))
    write(root / "b/item.json", ml_model_item("b"))
    catalog_linking(root / "catalog.json", ("item", "./a/item.json#top"), ("item", "b/item.json?v=2"))
    out = tmp_path / "out"
    run = stacml("convert", root / "catalog.json", "--to", "mlm", "-o", out, "-j", "1")
    assert run.returncode == 0, run.stderr
    for rel in ("a/item.json", "b/item.json"):
        assert MLM_URI in (out / rel).read_text()


def test_ndjson_on_stdin_after_a_byte_order_mark(tmp_path):
    """docs/catalog.md: a byte order mark is ignored; NDJSON read from a file already did."""
    lines = "".join(json.dumps(ml_model_item(f"i{n}")) + "\n" for n in range(3)).encode()
    run = stacml("convert", "-", "--to", "mlm", stdin=b"\xef\xbb\xbf" + lines)
    assert run.returncode == 0, run.stderr
    outputs = run.stdout.decode().splitlines()
    assert [json.loads(line)["id"] for line in outputs] == ["i0", "i1", "i2"]
    collection = json.dumps({"type": "FeatureCollection", "features": [ml_model_item("c")]}).encode()
    run = stacml("convert", "-", "--to", "mlm", stdin=b"\xef\xbb\xbf" + collection)
    assert run.returncode == 0 and json.loads(run.stdout)["features"][0]["id"] == "c", run.stderr


def test_an_output_that_cannot_be_written_is_one_error_line_naming_it(tmp_path):
    """-o, --report and audit -o below a plain file: a clear error, not an unexpected failure."""
    (tmp_path / "file.txt").write_text("a file, not a directory")
    blocked = tmp_path / "file.txt/sub/out.json"
    lines = tmp_path / "items.ndjson"
    lines.write_text(json.dumps(ml_model_item("a")) + "\n")
    for command in (("convert", ML_MODEL_ITEM, "--to", "mlm", "-o", blocked),
                    ("convert", ML_MODEL_ITEM, "--to", "mlm", "--report", blocked),
                    ("convert", lines, "--to", "mlm", "-o", tmp_path / "out.ndjson", "--report", blocked),
                    ("audit", ML_MODEL_ITEM, "--to", "mlm", "-o", blocked)):
        run = stacml(*command)
        assert run.returncode == 1 and b"unexpected failure" not in run.stderr, (command, run.stderr)
        assert f"error: {blocked}: cannot write: ".encode() in run.stderr, (command, run.stderr)
    catalog = catalog_linking(tmp_path / "catalog/catalog.json", ("item", "x.json"))
    for command, where in ((("convert", lines, "--to", "mlm", "-o", blocked), blocked),
                           (("convert", catalog, "--to", "mlm", "-o", f"{blocked.parent}/"), f"{blocked.parent}/")):
        run = stacml(*command)
        assert run.returncode == 1 and f"error: {where}: cannot write: ".encode() in run.stderr, run.stderr
    run = stacml("convert", "-", "--to", "mlm", "-o", blocked, stdin=lines.read_bytes())
    assert run.returncode == 1 and f"error: {blocked}: cannot write: ".encode() in run.stderr, run.stderr


def test_an_output_directory_that_is_a_file_is_a_usage_error_with_or_without_a_final_slash(tmp_path):
    (tmp_path / "file.txt").write_text("a file, not a directory")
    directory = write(tmp_path / "dir" / "item.json", ml_model_item("a")).parent
    lines = tmp_path / "items.ndjson"
    lines.write_text(json.dumps(ml_model_item("b")) + "\n")
    for src in (ML_MODEL_ITEM, directory, lines):
        for output in (f"{tmp_path / 'file.txt'}/", tmp_path / "file.txt"):
            if src != directory and not str(output).endswith("/"):
                continue  # one document or NDJSON to a file: -o FILE is fine
            run = stacml("convert", src, "--to", "mlm", "-o", output)
            assert run.returncode == 2 and b"not a directory" in run.stderr, (src, output, run.stderr)
    assert (tmp_path / "file.txt").read_text() == "a file, not a directory"


def test_an_output_directory_that_takes_no_file_is_one_error_line_naming_it(tmp_path):
    directory = write(tmp_path / "dir" / "item.json", ml_model_item("a")).parent
    out = tmp_path / "out"
    (out / ".stacml-convert.json").mkdir(parents=True)  # where the run's manifest goes: no file can be written
    run = stacml("convert", directory, "--to", "mlm", "-o", out)
    assert run.returncode == 1 and b"unexpected failure" not in run.stderr
    assert run.stderr.decode().splitlines()[-1] == f"error: {out}: cannot write .stacml-convert.json in it: Is a directory"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_in_place_keeps_the_records_that_fail(tmp_path, jobs):
    # the rewritten file must still hold every record: a failed one stays as it was
    good = json.dumps(ml_model_item("a")).encode()
    lines = tmp_path / "items.ndjson"
    lines.write_bytes(good + b"\n{broken\n" + b'"a string"\n' + good + b"\n")
    run = stacml("convert", lines, "--to", "mlm", "--in-place", "-j", jobs)
    assert run.returncode == 1 and b"items.ndjson:2" in run.stderr
    out = lines.read_bytes().splitlines()
    assert out[1:3] == [b"{broken", b'"a string"'] and len(out) == 4
    assert all(MLM_URI in json.loads(out[i])["stac_extensions"] for i in (0, 3))
    collection = write(tmp_path / "ic.json", {"type": "FeatureCollection",
                                              "features": [ml_model_item("b"), 7, {"type": "Feature"}]})
    run = stacml("convert", collection, "--to", "mlm", "--in-place", "-j", jobs)
    assert run.returncode == 1
    features = json.loads(collection.read_text())["features"]
    assert features[1:] == [7, {"type": "Feature"}] and MLM_URI in features[0]["stac_extensions"]


def test_a_backup_suffix_that_ends_like_a_document_is_refused(tmp_path):
    # FILE.orig.json would be read as a document by the next directory run, audit or detect
    item = write(tmp_path / "dir" / "item.json", ml_model_item("a"))
    before = item.read_bytes()
    run = stacml("convert", tmp_path / "dir", "--to", "mlm", "--in-place", "--backup-suffix", ".orig.json")
    assert run.returncode == 2 and b"a backup must not end like a document" in run.stderr
    assert item.read_bytes() == before and sorted(p.name for p in (tmp_path / "dir").iterdir()) == ["item.json"]


def test_a_remote_source_without_an_output_directory_says_what_it_needs():
    run = stacml("convert", "https://example.com/items/item.json", "--follow-remote", "--to", "mlm")
    assert run.returncode == 2
    assert b"a remote SRC is read as a catalog root and mirrored: give -o OUT_DIR" in run.stderr


def test_an_href_with_control_characters_stays_on_one_error_line(tmp_path):
    root = catalog_linking(tmp_path / "cat" / "catalog.json", ("item", "./bad\nname\x1b[31m.json"))
    run = stacml("convert", root, "--to", "mlm", "-o", tmp_path / "out")
    lines = [l for l in run.stderr.decode().splitlines() if "bad" in l]
    assert len(lines) == 1 and "bad\\nname\\x1b[31m.json" in lines[0], run.stderr


def test_detect_and_audit_read_stdin_as_convert_does(tmp_path):
    # NDJSON when the first non-blank line is a whole document, else one (pretty-printed) document
    pretty = ML_MODEL_ITEM.read_bytes()
    assert pretty.count(b"\n") > 10
    run = stacml("detect", "-", stdin=pretty)
    assert run.returncode == 0 and run.stdout == b"-: ml-model 1.0.0 [declared]\n", run.stderr
    lines = b"\n\n" + json.dumps(json.loads(pretty)).encode() + b"\n" + json.dumps(json.loads(pretty)).encode() + b"\n"
    run = stacml("detect", "-", stdin=lines)
    assert run.stdout.decode().splitlines() == ["-:3: ml-model 1.0.0 [declared]", "-:4: ml-model 1.0.0 [declared]"]
    collection = json.dumps({"type": "FeatureCollection", "features": [json.loads(pretty)]}, indent=1).encode()
    run = stacml("detect", "-", stdin=collection)
    assert run.stdout == b"- /features/0: ml-model 1.0.0 [declared]\n"
    run = stacml("audit", "-", "--to", "mlm", "--format", "json", "--fail-on", "none", stdin=pretty)
    assert run.returncode == 0 and json.loads(run.stdout)["totals"]["translated"] == 1


def test_a_huge_job_count_is_capped_with_a_note(tmp_path):
    write(tmp_path / "in" / "a.json", ml_model_item("a"))
    run = stacml("convert", tmp_path / "in", "--to", "mlm", "-o", tmp_path / "out", "-j", "100000")
    assert run.returncode == 0 and b"note: -j 100000 is more than 4 workers per core" in run.stderr
    assert (tmp_path / "out" / "a.json").exists()


def test_tables_lists_the_tables_in_use_and_every_fault_of_every_file(tmp_path):
    """`stacml tables` loads each table file on its own: two broken tables give two error
    lines (the second is not hidden by the first), a good one replaces the built-in table."""
    from translator.tables import builtin_dir
    tables = tmp_path / "tables"
    tables.mkdir()
    source = (builtin_dir() / "ml-model.yaml").read_text()
    (tables / "ml-model.yaml").write_text(source)
    broken = source.replace('    lossy:\n      reason: "the training operating system has no field in MLM, '
                            'DLM or TrainingDML-AI"\n', "", 1)
    assert broken != source
    (tables / "other.yaml").write_text(broken.replace("extension: ml-model", "extension: other", 1))
    (tables / "zz.yaml").write_text("a: [\n")
    run = stacml("tables", "--mappings", tables)
    errors = run.stderr.decode().strip().splitlines()
    assert run.returncode == 1, run.stderr
    assert errors == [f"error: {tables / 'other.yaml'}: /rules/4: 'lossy' is a required property "
                      "(rule 'training-os')",
                      f"error: {tables / 'zz.yaml'}: invalid YAML at line 2 column 1: expected the node "
                      "content, but found '<stream end>'"], errors
    listed = [line.split() for line in run.stdout.decode().splitlines()[1:]]
    assert [row[0] for row in listed] == ["dlm", "ml-model", "mlm", "tdml", "ml-model"]
    assert listed[1][-2:] == ["built-in", "(replaced)"] and listed[4][-1] == str(tables / "ml-model.yaml")
    data = json.loads(stacml("tables", "--format", "json").stdout)
    assert data["errors"] == [] and {t["extension"] for t in data["tables"]} == {"dlm", "ml-model", "mlm", "tdml"}
    mlm = next(t for t in data["tables"] if t["extension"] == "mlm")
    assert mlm["builtin"] and mlm["in_use"] and "1.5.2" in mlm["versions"] and sum(mlm["kinds"].values()) == mlm["rules"]
    assert stacml("tables").returncode == 0


@pytest.mark.parametrize("name, content, message", [
    ("latin1.json", b'{"type": "Feature", "id": "caf\xe9"}', "not UTF-8 text: byte 0xE9 at line 1 column 31 ("),
    ("latin1.yaml", b"type: Feature\nid: caf\xe9\n", "not UTF-8 text: byte 0xE9 at line 2 column 8"),
    ("utf16.json", json.dumps({"type": "Feature"}).encode("utf-16-le"), "UTF-16 or UTF-32 text without a byte order mark"),
    ("empty.json", b"", "empty: not a JSON document"),
    ("blank.json", b" \n\n", "empty: not a JSON document"),
    ("control.yaml", b"id: \x01\n", "invalid YAML: the character U+0001 (character 4) is not allowed in YAML"),
])
def test_text_that_is_not_utf8_json_is_one_line_naming_the_file_and_what_it_is(tmp_path, name, content, message):
    """A Latin-1 or UTF-16 file, or an empty one, is named for what it is (not an 'invalid JSON
    at line 1 column 1'), alone: the run goes on. --lenient-json does not read it with
    replacement characters either (that changed its strings without a word)."""
    bad = tmp_path / name
    bad.write_bytes(content)
    good = write(tmp_path / "good.json", ml_model_item("a"))
    for lenient in ((), ("--lenient-json",)):
        run = stacml("detect", bad, good, *lenient)
        lines = run.stderr.decode().splitlines()
        assert run.returncode == 1 and lines[0].startswith(f"error: {bad}: {message}"), run.stderr
        assert lines[1:] == ["2 document(s): ml-model 1.0.0: 1, failed: 1"], run.stderr
        assert run.stdout == f"{good}: ml-model 1.0.0 [declared]\n".encode()


def test_an_ndjson_record_that_is_not_json_is_named_by_its_line_and_column(tmp_path):
    """The place of a syntax error in an NDJSON record is its line in the file, as validate
    says it (convert, detect and audit said 'line 1', which read as the file's first line)."""
    path = tmp_path / "items.ndjson"
    path.write_bytes(json.dumps(ml_model_item("a")).encode() + b'\n{bad\n{"id": "caf\xe9"}\n')
    run = stacml("detect", path)
    assert f"error: {path}:3: not UTF-8 text: byte 0xE9 at line 3 column 12".encode() in run.stderr, run.stderr
    assert run.returncode == 1, run.stderr
    assert f"error: {path}:2: invalid JSON at line 2 column 2: unexpected character".encode() in run.stderr, run.stderr
    run = stacml("convert", path, "--to", "mlm", "-o", tmp_path / "out.ndjson")
    assert f"error: {path}:2: invalid JSON at line 2 column 2: unexpected character".encode() in run.stderr, run.stderr


def test_a_catalog_to_a_file_is_a_usage_error_in_a_dry_run_too(tmp_path):
    """docs/catalog.md: -o FILE for a Catalog is a usage error. It was an error about the
    catalog's type (exit 1), and a dry run wrote 'would copy ... -> x.json/catalog.json'."""
    root = tmp_path / "catalog"
    write(root / "item.json", ml_model_item("a"))
    catalog = catalog_linking(root / "catalog.json", ("item", "./item.json"))
    for dry_run in ((), ("--dry-run",)):
        run = stacml("convert", catalog, "--to", "mlm", "-o", tmp_path / "x.json", *dry_run)
        assert run.returncode == 2 and run.stdout == b"", (dry_run, run.stderr)
        assert run.stderr.decode().startswith(f"error: -o {tmp_path / 'x.json'} names a file, but {catalog} "
                                              "is a catalog: give -o OUT_DIR"), run.stderr
    assert not (tmp_path / "x.json").exists()


def test_a_report_inside_a_new_output_directory_is_not_taken_for_earlier_outputs(tmp_path):
    """The run report being written into a new OUT_DIR made the first run say that OUT_DIR
    'holds outputs of another source or other options'."""
    write(tmp_path / "in" / "a.json", ml_model_item("a"))
    out = tmp_path / "out"
    run = stacml("convert", tmp_path / "in", "--to", "mlm", "-o", out, "--report", out / "run.json")
    assert run.returncode == 0 and b"note:" not in run.stderr, run.stderr
    run = stacml("convert", tmp_path / "in", "--to", "mlm", "-o", out, "--report", out / "run.json", "--fill-required")
    assert b"note: " + str(out).encode() + b" holds outputs of another source" in run.stderr, run.stderr


def test_convert_validate_reads_schemas_from_a_folder_and_says_once_when_it_has_none(tmp_path):
    """The missing-schema message says to point --schemas DIR at a folder: convert takes it
    (with --validate), and without it prints that message once, as the error (not also as a
    warning before it), in the words a catalog run uses for one of its documents."""
    env = {k: v for k, v in os.environ.items() if k != "STACML_SCHEMAS"}
    env["STACML_CACHE"] = str(tmp_path / "no-cache")
    item = tmp_path / "in" / "item.json"
    item.parent.mkdir()
    item.write_bytes((SAMPLES / "ml-model-item.json").read_bytes())  # valid in MLM with --fill-required
    run = stacml("convert", item, "--to", "mlm", "--fill-required", "--validate", env=env)
    lines = [l for l in run.stderr.decode().splitlines() if "not validated" in l]
    assert run.returncode == 1 and len(lines) == 1 and lines[0].startswith(f"invalid: {item} (output): not validated: "
                                                                           f"no schema for {MLM_URI}"), run.stderr
    run = stacml("convert", item.parent, "--to", "mlm", "--fill-required", "--validate", "-o", tmp_path / "o", env=env)
    assert run.returncode == 1 and f"invalid: {item} -> {tmp_path / 'o' / 'item.json'}: not validated: no schema for " \
        f"{MLM_URI}" in run.stderr.decode(), run.stderr
    for source, out in ((item, tmp_path / "mlm.json"), (item.parent, tmp_path / "out")):
        run = stacml("convert", source, "--to", "mlm", "--fill-required", "--validate", "--schemas", SPECS,
                     "-o", out, "-j", "2", env=env)
        assert run.returncode == 0 and b"not validated" not in run.stderr, run.stderr
    run = stacml("convert", item, "--to", "mlm", "--schemas", SPECS, env=env)
    assert run.returncode == 2 and b"--schemas tells --validate where the schemas are" in run.stderr


def test_every_option_of_every_command_says_what_it_does():
    """`--help` explains each option (crosswalk's and tables' --format said nothing)."""
    import click
    from translator.cli import main
    commands = [(name, command) for name, command in main.commands.items()]
    for name, command in list(commands):
        if isinstance(command, click.Group):
            commands += [(f"{name} {sub}", c) for sub, c in command.commands.items()]
    silent = [(name, param.opts[0]) for name, command in commands for param in command.params
              if isinstance(param, click.Option) and not param.help and param.name != "help"]
    assert len(commands) >= 8 and silent == [], silent


def test_a_training_data_file_that_cannot_be_read_is_a_usage_error_naming_the_option(tmp_path):
    """As for --fill-values and --restore (and a dataset that is no Item or Collection): exit 2
    before any document is read, naming the option; it was exit 1, naming only the file."""
    item = write(tmp_path / "item.json", ml_model_item("a"))
    for name, content, message in (("empty.json", b"", "empty: not a JSON document"),
                                   ("broken.json", b"{", "invalid JSON at line 1 column 2")):
        dataset = tmp_path / name
        dataset.write_bytes(content)
        run = stacml("convert", item, "--to", "mlm", "--training-data", dataset)
        assert run.returncode == 2 and run.stdout == b"", run.stderr
        assert run.stderr.decode().startswith(f"error: --training-data {dataset}: {message}"), run.stderr


@pytest.mark.parametrize("args,named", [
    (["convert", "--bogus"], "no such option '--bogus'"),
    (["convert", "--to", "mlm", "--jobs", "0", "{item}"], "'-j' / '--jobs': 0 is not in the range"),
    (["convert", "--to", "mlm", "--report", "{dir}", "{item}"], "'--report': File '{dir}' is a directory"),
    (["convert", "--to", "mlm", "--fail-on", "lots", "{item}"], "'--fail-on': lots: use any of"),
    (["convert"], "missing argument 'SRC'"),
    (["validate", "--format", "xml", "{item}"], "'--format': 'xml' is not one of"),
    (["detect", "{dir}/missing.json", "--prefer"], "option '--prefer' requires an argument"),
    (["audit", "--to", "mlm", "--baseline", "{dir}", "{item}"], "'--baseline'"),
    (["tables", "--mappings", "{item}"], "'--mappings': Directory '{item}' is a file"),
    (["schemas", "pull", "--bogus"], "no such option '--bogus'"),
    # a timeout the socket cannot take was a traceback (-1, nan) or a cryptic 'Operation now in progress' (0)
    *[(["schemas", "pull", "--timeout", value, "http://127.0.0.1:9/x.json"],
       f"invalid value for '--timeout': {float(value)}: give a number of seconds above 0")
      for value in ("-1", "nan", "0", "inf")],
    (["bogus"], "no such command 'bogus'"),
])
def test_a_usage_error_of_any_command_is_one_error_line_naming_the_option(tmp_path, args, named):
    """Click's own usage errors (a misspelt option, a bad value, a directory where a file is
    expected) were three lines (usage, hint, 'Error: ...'); stacml's errors are one line."""
    item = write(tmp_path / "item.json", ml_model_item("a"))
    fill = {"item": item, "dir": tmp_path}
    run = stacml(*[arg.format(**fill) for arg in args])
    assert run.returncode == 2 and run.stdout == b""
    [line] = run.stderr.decode().splitlines()
    command = " ".join(["stacml", *(a for a in args[:2] if a in ("convert", "validate", "detect", "audit",
                                                                 "tables", "schemas", "pull"))])
    assert line.startswith("error: ") and named.format(**fill) in line and line.endswith(f"(see '{command} --help')")


def test_bare_stacml_still_shows_its_help():
    run = stacml()
    assert b"Commands:" in run.stderr + run.stdout and b"convert" in run.stderr + run.stdout


def test_quiet_keeps_the_warnings_about_a_single_documents_output(tmp_path):
    """-q drops the summary and the notes, not the warning that the output is not schema-valid
    (it hid them for one document, while a catalog run shows its warnings with -q)."""
    item = SAMPLES / "ml-model-item.json"
    loud = stacml("convert", item, "--to", "mlm").stderr.decode().splitlines()
    quiet = stacml("convert", item, "--to", "mlm", "-q").stderr.decode().splitlines()
    warnings = [line for line in loud if line.startswith("warning: ")]
    assert any("/properties/mlm:input is required by mlm" in line for line in warnings)
    assert quiet == warnings and len(loud) > len(quiet)
    help_text = " ".join(stacml("convert", "--help").stdout.decode().split())
    assert "Only errors and warnings" in help_text


def test_a_catalog_without_links_given_alone_is_copied_as_a_catalog_run_copies_it(tmp_path):
    """A Catalog has no ML fields: alone it failed (exit 1, 'not a STAC Item or Collection'),
    while a catalog or directory run copies it as it is."""
    catalog = catalog_linking(tmp_path / "in" / "catalog.json", ("self", "./catalog.json"))
    run = stacml("convert", catalog, "--to", "mlm")
    assert run.returncode == 0, run.stderr
    assert run.stdout == catalog.read_bytes()  # its bytes, as a run copies them
    assert run.stderr.decode() == (f"note: {catalog}: a Catalog has no ML fields (the ML extensions describe "
                                   "Items and Collections): copied as it is\n")
    out, report = tmp_path / "out.json", tmp_path / "report.json"
    run = stacml("convert", catalog, "--to", "mlm", "-o", out, "--report", report, "--validate", "-q")
    assert (run.returncode, run.stderr, run.stdout) == (0, b"", b"")
    assert out.read_bytes() == catalog.read_bytes()
    copied = json.loads(report.read_text())
    assert (copied["status"], copied["source"]["extension"], copied["losses"]) == ("copied", None, [])
    # the same file in a directory run
    run = stacml("convert", tmp_path / "in", "--to", "mlm", "-o", tmp_path / "tree", "--report", tmp_path / "run.json")
    assert run.returncode == 0 and (tmp_path / "tree" / "catalog.json").read_bytes() == catalog.read_bytes()
    assert [e["status"] for e in json.loads((tmp_path / "run.json").read_text())["documents"]] == ["copied"]
