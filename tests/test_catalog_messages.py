"""Messages of a catalog run a migration engineer can act on: a link to a file that does not
exist names the document holding it, an earlier output of an input deleted since is said to be
stale (and --prune removes it), and an `invalid:` line says its pointer is into the output.
Real runs (processes, on the code of this checkout) on catalogs built from the official examples."""
from __future__ import annotations

import json

import pytest

from conftest import SPECS, schema_issues
from test_catalog import ML_MODEL, add_links, build_catalog, link, load, write
from test_catalog_runs import stacml, warnings
from test_cli_convert_catalog import unresolved_links

MISSING = "cannot read: No such file or directory"


def errors(run) -> list[str]:
    return [line for line in run.stderr.splitlines() if line.startswith("error:")]


# -- a link to a file that does not exist ----------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_link_to_a_missing_file_names_the_document_and_the_link_that_lead_to_it(tmp_path, jobs):
    """`error: catalog/nowhere/catalog.json: cannot read: ...` said which file was missing but
    not which document links to it: the link to fix. The first link the run follows to it is
    named, in the error line and in the report entry's error; detect and audit, which read the
    catalog the same way, say it too."""
    root = build_catalog(tmp_path)
    add_links(root, link("child", "./nowhere/catalog.json"))                                 # /links/4
    add_links(root.parent / "models/collection.json", link("item", "./gone/item.json"))      # /links/4
    add_links(root.parent / "plain/catalog.json", link("child", "../nowhere/catalog.json"))  # the same, later
    run = stacml("convert", "catalog/catalog.json", "--to", "mlm", "-o", "out", "--report", "run.json", "-j", jobs,
                 cwd=tmp_path)
    assert run.returncode == 1
    expected = {"catalog/nowhere/catalog.json": f"{MISSING} (linked from catalog/catalog.json /links/4)",
                "catalog/models/gone/item.json": f"{MISSING} (linked from catalog/models/collection.json /links/4)"}
    assert errors(run) == [f"error: {name}: {why}" for name, why in expected.items()]
    failed = [d for d in json.loads((tmp_path / "run.json").read_text())["documents"] if d["status"] == "failed"]
    assert failed == [{"source": name, "status": "failed", "error": why} for name, why in expected.items()]
    detect = stacml("detect", "catalog/catalog.json", cwd=tmp_path)
    assert [line for line in errors(detect) if MISSING in line] == [f"error: {name}: {why}"
                                                                    for name, why in expected.items()]
    audit = stacml("audit", "catalog/catalog.json", "--to", "mlm", "--format", "json", cwd=tmp_path)
    assert json.loads(audit.stdout)["unreadable"] == [{"document": name, "error": why}
                                                      for name, why in expected.items()]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_link_to_a_file_that_is_not_json_or_not_an_object_names_the_document_and_the_link(tmp_path, jobs):
    """A linked file that is there but is not JSON (a truncated write), or whose top level is no
    object, said what was wrong with it but not which document and link led the run to it. Its
    error ends with the link, as a missing file's does: in convert (error line, report entry),
    detect and audit; a feature that is no object (the file itself was read) is unchanged."""
    root = build_catalog(tmp_path)
    add_links(root, link("child", "./broken/catalog.json"), link("child", "./array/catalog.json"))  # /links/4, 5
    add_links(root.parent / "models/collection.json", link("item", "./fc/items.json"))                # /links/4
    (root.parent / "broken").mkdir()
    (root.parent / "broken/catalog.json").write_text('{"type": "Catalog", ')
    write(root.parent / "array/catalog.json", [1, 2])
    write(root.parent / "models/fc/items.json", {"type": "FeatureCollection", "features": [3]})
    expected = {
        "catalog/broken/catalog.json": "invalid JSON at line 1 column 21: unexpected end of data "
                                       "(linked from catalog/catalog.json /links/4)",
        "catalog/array/catalog.json": "not a STAC document: the top level is a JSON array "
                                      "(linked from catalog/catalog.json /links/5)"}
    feature = ("catalog/models/fc/items.json", "/features/0", "a feature must be a JSON object")
    run = stacml("convert", "catalog/catalog.json", "--to", "mlm", "-o", "out", "--report", "run.json", "-j", jobs,
                 cwd=tmp_path)
    assert run.returncode == 1
    assert errors(run) == [f"error: {name}: {why}" for name, why in expected.items()] + [
        f"error: {feature[0]} {feature[1]}: {feature[2]}"]
    failed = [d for d in json.loads((tmp_path / "run.json").read_text())["documents"] if d["status"] == "failed"]
    assert failed == [{"source": name, "status": "failed", "error": why} for name, why in expected.items()] + [
        {"source": feature[0], "pointer": feature[1], "status": "failed", "error": feature[2]}]
    detect = stacml("detect", "catalog/catalog.json", cwd=tmp_path)
    assert [line for line in errors(detect) if "linked from" in line] == [f"error: {name}: {why}"
                                                                          for name, why in expected.items()]
    audit = stacml("audit", "catalog/catalog.json", "--to", "mlm", "--format", "json", cwd=tmp_path)
    assert json.loads(audit.stdout)["unreadable"] == [{"document": name, "error": why}
                                                      for name, why in expected.items()] + [
        {"document": f"{feature[0]} {feature[1]}", "error": feature[2]}]


# -- an input deleted since an earlier run ---------------------------------------------------------


def test_an_input_deleted_since_an_earlier_run_leaves_its_output_stale_said_and_pruned_when_asked(tmp_path):
    """The Item's file is deleted, its Collection still links to it: the run fails it, and the
    Item's translation from the earlier run stayed in OUT_DIR without a word, the Collection's
    new output linking to it. The link is now warned about (it leads to a stale output), the
    stale output is one of the files the run did not write, and --prune removes it (the link then
    dangles in the output as it does in the input)."""
    root = build_catalog(tmp_path)
    assert stacml("convert", "catalog/catalog.json", "--to", "mlm", "-o", "out", cwd=tmp_path).returncode == 0
    (root.parent / "models/dummy/item.json").unlink()
    stale = tmp_path / "out/models/dummy/item.json"
    for jobs in ("1", "2"):
        run = stacml("convert", "catalog/catalog.json", "--to", "mlm", "-o", "out", "--report", "run.json",
                     "-j", jobs, cwd=tmp_path)
        assert run.returncode == 1
        assert errors(run) == [f"error: catalog/models/dummy/item.json: {MISSING} (linked from "
                               "catalog/models/collection.json /links/2)"]
        why = ("link ./dummy/item.json leads to catalog/models/dummy/item.json, which does not exist: "
               "out/models/dummy/item.json is left as an earlier run wrote it, stale (--prune removes it)")
        left = ("1 file(s) this run did not write (outputs of documents no longer in the source or of another "
                "source, or other files): out/models/dummy/item.json (1 of them written by an earlier run: --prune "
                "removes those)")
        assert warnings(run) == [f"warning: catalog/models/collection.json: /links/2: {why}", f"warning: out: {left}"]
        report = json.loads((tmp_path / "run.json").read_text())
        assert report["warnings"] == [{"source": "catalog/models/collection.json: /links/2", "message": why},
                                      {"source": "out", "message": left}]
        assert report["totals"]["dangling_links"] == 1 and report["totals"]["failed"] == 1
        assert report["left_in_output"]["files"] == ["out/models/dummy/item.json"]
        assert stale.is_file() and unresolved_links(tmp_path / "out") == []  # the link leads to the stale file
    dry = stacml("convert", "catalog/catalog.json", "--to", "mlm", "-o", "out", "--prune", "--dry-run", cwd=tmp_path)
    assert stale.is_file() and "which does not exist: out/models/dummy/item.json is left" in dry.stderr
    pruned = stacml("convert", "catalog/catalog.json", "--to", "mlm", "-o", "out", "--prune", "--report", "run.json",
                    cwd=tmp_path)
    assert pruned.returncode == 1 and not stale.exists() and not stale.parent.exists()
    assert warnings(pruned) == []  # the link dangles in the output as in the input: the error line says so
    assert "note: out: --prune removed 1 file(s) an earlier run wrote and the 1 directory that left empty" \
        in pruned.stderr.splitlines()
    assert json.loads((tmp_path / "run.json").read_text())["left_in_output"] == {
        "count": 0, "files": [], "pruned": ["out/models/dummy/item.json"], "pruned_directories": ["out/models/dummy"]}
    assert unresolved_links(tmp_path / "out") == ["models/collection.json: item ./dummy/item.json"]


def test_a_stale_output_stacml_did_not_record_is_not_promised_to_prune(tmp_path):
    """An output not recorded in the manifest (put there by hand, or by a version of stacml that
    did not record its outputs) is never pruned: the warning does not say --prune removes it."""
    root = build_catalog(tmp_path)
    add_links(root, link("child", "./gone/catalog.json"))
    write(tmp_path / "out/gone/catalog.json", {"type": "Catalog", "id": "gone", "stac_version": "1.0.0",
                                               "description": "put there by hand", "links": []})
    run = stacml("convert", "catalog/catalog.json", "--to", "mlm", "-o", "out", "--prune", cwd=tmp_path)
    assert run.returncode == 1 and (tmp_path / "out/gone/catalog.json").is_file()
    assert warnings(run)[0] == (
        "warning: catalog/catalog.json: /links/4: link ./gone/catalog.json leads to catalog/gone/catalog.json, which "
        "does not exist: out/gone/catalog.json is left as an earlier run wrote it, stale (not recorded as written by "
        "stacml: --prune leaves it)")


# -- invalid: lines point into the output ----------------------------------------------------------


def test_invalid_lines_name_the_output_their_pointer_is_in(tmp_path):
    """`invalid: catalog/models/dummy/item.json: /properties: ...` named the input, with a pointer
    into the translation: the line names the output (`IN -> OUT`; `OUT:LINE`, `OUT /features/N` for an
    NDJSON line, a feature), or says `(output)` for one document written to stdout; each issue of a
    report's `validation` says `"in": "output"`. The pointers are those of the output document."""
    root = build_catalog(tmp_path)
    run = stacml("convert", "catalog/catalog.json", "--to", "mlm", "-o", "out", "--validate", "--schemas", SPECS,
                 "--report", "run.json", cwd=tmp_path)
    assert run.returncode == 1
    output = load(tmp_path / "out/models/dummy/item.json")
    issues = schema_issues(output)
    lines = [line for line in run.stderr.splitlines() if line.startswith("invalid: catalog/models/dummy/item.json")]
    assert lines and lines == [f"invalid: catalog/models/dummy/item.json -> out/models/dummy/item.json: "
                               f"{i.pointer or '(root)'}: {i.message}" for i in issues]
    entry = next(d for d in json.loads((tmp_path / "run.json").read_text())["documents"]
                 if d["source"] == "catalog/models/dummy/item.json")
    assert entry["output"] == "out/models/dummy/item.json"
    assert entry["validation"] == [{"pointer": i.pointer, "in": "output", "message": i.message} for i in issues]
    assert "/assets/model/roles" in [i.pointer for i in issues]  # a place the output has, the source has not
    assert "/assets/model/roles" not in json.dumps(load(root.parent / "models/dummy/item.json"))
    # one document: to -o FILE, to stdout
    item = root.parent / "models/dummy/item.json"
    single = stacml("convert", item, "--to", "mlm", "-o", tmp_path / "one.json", "--validate", "--schemas", SPECS,
                    "--report", tmp_path / "one-report.json")
    expected = [f"{i.pointer or '(root)'}: {i.message}" for i in issues]
    assert [line for line in single.stderr.splitlines() if line.startswith("invalid:")] == [
        f"invalid: {item} -> {tmp_path / 'one.json'}: {e}" for e in expected]
    assert json.loads((tmp_path / "one-report.json").read_text())["validation"] == entry["validation"]
    stdout = stacml("convert", item, "--to", "mlm", "--validate", "--schemas", SPECS)
    assert [line for line in stdout.stderr.splitlines() if line.startswith("invalid:")] == [
        f"invalid: {item} (output): {e}" for e in expected]
    # a feature of an ItemCollection, an NDJSON line: named by their place in the output file
    doc = load(ML_MODEL / "dummy/item.json")
    write(tmp_path / "fc.json", {"type": "FeatureCollection", "features": [doc]})
    (tmp_path / "items.ndjson").write_text(json.dumps(doc) + "\n")
    for source, where in (("fc.json", "fc.json /features/0 -> out-fc.json /features/0"),
                          ("items.ndjson", "items.ndjson:1 -> out-items.ndjson:1")):
        run = stacml("convert", source, "--to", "mlm", "-o", f"out-{source}", "--validate", "--schemas", SPECS,
                     cwd=tmp_path)
        invalid = [line for line in run.stderr.splitlines() if line.startswith("invalid:")]
        assert run.returncode == 1 and invalid and all(line.startswith(f"invalid: {where}: /")
                                                       for line in invalid), invalid
