"""What a migration engineer meets running `stacml convert` on whole catalogs more than once:
a document that fails leaves a link dangling, an earlier run's outputs stay behind, an in-place
run, an undo from another directory, a rerun with --copy-assets, a --strict stop. Real runs
(processes, on the code of this checkout) on catalogs built from the official examples."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CHECKOUT
from test_catalog import ML_MODEL, add_links, build_catalog, link, load, write
from test_cli_convert_catalog import documents, unresolved_links

BROKEN = '{"type": "Feature",\n "id": ]'


def stacml(*args, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "translator", *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=cwd, env=CHECKOUT)


def warnings(run: subprocess.CompletedProcess) -> list[str]:
    return [line for line in run.stderr.splitlines() if line.startswith("warning:")]


# -- 1. a document that fails --------------------------------------------------------------------


def test_a_failed_document_names_the_link_it_leaves_dangling(tmp_path):
    catalog = build_catalog(tmp_path)
    item, parent = catalog.parent / "models/dummy/item.json", catalog.parent / "models/collection.json"
    item.write_text(BROKEN)
    out, report = tmp_path / "out", tmp_path / "run.json"
    run = stacml("convert", catalog, "--to", "mlm", "-o", out, "--report", report, "-j", "2")
    assert run.returncode == 1
    assert unresolved_links(out) == ["models/collection.json: item ./dummy/item.json"]  # it does dangle
    why = (f"link ./dummy/item.json leads to {item}, which failed and is not written: the link dangles in {out} "
           "(--copy-failed writes a failed document as it is)")
    assert warnings(run) == [f"warning: {parent}: /links/2: {why}"]
    written = json.loads(report.read_text())
    assert written["warnings"] == [{"source": f"{parent}: /links/2", "message": why}]
    assert written["totals"]["dangling_links"] == 1
    # a dry run writes nothing: the link would dangle
    dry = stacml("convert", catalog, "--to", "mlm", "-o", tmp_path / "dry", "--dry-run")
    assert warnings(dry) == [f"warning: {parent}: /links/2: " + why.replace(
        f"the link dangles in {out}", f"the link would dangle in {tmp_path / 'dry'}")]
    assert not (tmp_path / "dry").exists()


def links_to_the_models_collection(root: Path, items: tuple[str, str]) -> list[tuple[Path, int, str]]:
    """(document, link index, href) of each link to models/collection.json in the catalog at *root*
    (of build_catalog, or a conversion of it): the root's child link, then its *items*' parent and
    collection links."""
    return [(root / "catalog.json", 1, "./models/collection.json")] + [
        (root / f"models/{name}/item.json", index, "../collection.json") for name in items for index in (1, 2)]


MODELS_COLLECTION_UNRESOLVED = ["catalog.json: child ./models/collection.json"] + [
    f"models/{name}/item.json: {rel} ../collection.json"
    for name in ("cyclone", "dummy") for rel in ("parent", "collection")]


def assert_warned_dangling(run: subprocess.CompletedProcess, report: Path, out: Path, target: Path,
                           links: list[tuple[Path, int, str]]) -> None:
    """The run warned on each of *links* to *target*, which failed and is not written in *out*,
    once and in this order, in its report too, and counted them."""
    why = (f"leads to {target}, which failed and is not written: the link dangles in {out} "
           "(--copy-failed writes a failed document as it is)")
    assert warnings(run) == [f"warning: {doc}: /links/{index}: link {href} {why}" for doc, index, href in links]
    written = json.loads(report.read_text())
    assert written["warnings"] == [{"source": f"{doc}: /links/{index}", "message": f"link {href} {why}"}
                                   for doc, index, href in links]
    assert written["totals"]["dangling_links"] == len(links)
    assert f"; {len(links)} link(s) to failed documents;" in run.stderr


def test_a_directory_run_names_the_links_a_failed_document_leaves_dangling(tmp_path):
    """A directory run follows no link, yet the links of what it writes lead into OUT_DIR: the
    root's child link and the items' parent and collection links to a Collection that failed."""
    catalog = build_catalog(tmp_path)
    source, parent = catalog.parent, catalog.parent / "models/collection.json"
    parent.write_text(BROKEN)
    for jobs in ("1", "2"):  # in input order whatever the workers' speed
        out, report = tmp_path / f"out-{jobs}", tmp_path / f"run-{jobs}.json"
        run = stacml("convert", source, "--to", "mlm", "-o", out, "--report", report, "-j", jobs)
        assert run.returncode == 1
        assert unresolved_links(out) == MODELS_COLLECTION_UNRESOLVED
        assert_warned_dangling(run, report, out, parent, links_to_the_models_collection(source, ("cyclone", "dummy")))


def test_a_catalog_run_names_the_links_back_to_a_collection_that_was_read_and_failed(tmp_path):
    """A Collection read but not translated (restored here with a report that lacks it) still has
    its links followed: its Items are written, and their parent and collection links lead to it.
    The root's child link, warned about when the Collection fails, is not warned about again."""
    catalog = build_catalog(tmp_path)
    mlm, restore = tmp_path / "mlm", tmp_path / "to-mlm.json"
    assert stacml("convert", catalog, "--to", "mlm", "-o", mlm, "--report", restore, "--keep-residue").returncode == 0
    kept = json.loads(restore.read_text())
    kept["documents"] = [d for d in kept["documents"] if not d["source"].endswith("models/collection.json")]
    restore.write_text(json.dumps(kept))
    parent = mlm / "models/collection.json"
    links = links_to_the_models_collection(mlm, ("dummy", "cyclone"))  # in the order the Collection links them
    for jobs in ("1", "2"):  # in input order whatever the workers' speed
        out, report = tmp_path / f"out-{jobs}", tmp_path / f"run-{jobs}.json"
        run = stacml("convert", mlm / "catalog.json", "--restore", restore, "-o", out, "--report", report, "-j", jobs)
        assert run.returncode == 1 and f"error: {parent}: no residue for this document in {restore}" in run.stderr
        assert unresolved_links(out) == MODELS_COLLECTION_UNRESOLVED
        assert_warned_dangling(run, report, out, parent, links)


def unreadable_collection_linked_from_an_item(tmp_path: Path) -> tuple[Path, Path, Path, int]:
    """The catalog with its ml-model Collection unreadable, and a related link to it from an Item
    reached another way (the root, the Collection, the Item and that link's index)."""
    catalog = build_catalog(tmp_path)
    parent, item = catalog.parent / "models/collection.json", catalog.parent / "plain/item.json"
    index = len(load(item)["links"])
    add_links(item, link("related", "../models/collection.json"))
    return catalog, parent, item, index


def test_a_catalog_run_names_any_link_to_a_collection_it_could_not_read(tmp_path):
    """An unreadable Collection's links are not followed (its Items are not reached, nothing of
    them is written); a link to it that the run does not follow dangles all the same."""
    catalog, parent, item, index = unreadable_collection_linked_from_an_item(tmp_path)
    parent.write_text(BROKEN)
    for jobs in ("1", "2"):
        out, report = tmp_path / f"out-{jobs}", tmp_path / f"run-{jobs}.json"
        run = stacml("convert", catalog, "--to", "mlm", "-o", out, "--report", report, "-j", jobs)
        assert run.returncode == 1 and not (out / "models").exists()
        assert_warned_dangling(run, report, out, parent, [(catalog, 1, "./models/collection.json"),
                                                          (item, index, "../models/collection.json")])


@pytest.mark.parametrize("kind", ["directory", "catalog"])
def test_a_run_names_a_link_to_an_older_output_and_none_to_a_copy_failed(tmp_path, kind):
    """Documents up to date, whose links the run does not follow (a directory run follows none),
    are read again for them once a document failed; a failed Collection copied as it is leaves no
    link dangling."""
    catalog, parent, item, index = unreadable_collection_linked_from_an_item(tmp_path)
    source = catalog.parent if kind == "directory" else catalog
    # a catalog run does not reach the Items of a Collection it cannot read
    links = links_to_the_models_collection(catalog.parent, ("cyclone", "dummy") if kind == "directory" else ())
    links.append((item, index, "../models/collection.json"))
    out, copied = tmp_path / "out", tmp_path / "copied"
    assert stacml("convert", source, "--to", "mlm", "-o", out, "-j", "2").returncode == 0
    parent.write_text(BROKEN)
    run = stacml("convert", source, "--to", "mlm", "-o", out, "-j", "2")
    assert run.returncode == 1 and f"1 failed; {len(links)} link(s) to failed documents" in run.stderr
    why = f"leads to {parent}, which failed: {out / 'models/collection.json'} is left as an earlier run wrote it"
    left = f"warning: {out}: 2 file(s) this run did not write"  # those Items, written by the first catalog run
    assert [line for line in warnings(run) if not line.startswith(left)] == [
        f"warning: {doc}: /links/{index}: link {href} {why}" for doc, index, href in links]
    run = stacml("convert", source, "--to", "mlm", "-o", copied, "--copy-failed", "-j", "2")
    assert run.returncode == 1 and "copied as it is (--copy-failed)" in run.stderr
    assert (copied / "models/collection.json").read_text() == BROKEN  # where the links lead
    assert warnings(run) == [] and "link(s) to failed documents" not in run.stderr


def test_copy_failed_writes_the_failed_document_as_it_is_and_a_rerun_tries_it_again(tmp_path):
    catalog = build_catalog(tmp_path)
    item = catalog.parent / "models/dummy/item.json"
    item.write_text(BROKEN)
    out, report = tmp_path / "out", tmp_path / "run.json"
    run = stacml("convert", catalog, "--to", "mlm", "-o", out, "--copy-failed", "--report", report, "-j", "2")
    assert run.returncode == 1 and warnings(run) == []
    assert f"error: {item}: invalid JSON at line 2 column 8" in run.stderr and "copied as it is" in run.stderr
    assert (out / "models/dummy/item.json").read_text() == BROKEN  # where the collection's link leads
    [entry] = [e for e in json.loads(report.read_text())["documents"] if e["status"] == "failed"]
    assert entry["output"] == str(out / "models/dummy/item.json")
    again = stacml("convert", catalog, "--to", "mlm", "-o", out, "--copy-failed", "-j", "1")
    assert again.returncode == 1 and f"error: {item}: invalid JSON" in again.stderr  # not taken as up to date
    item.write_text(json.dumps(load(ML_MODEL / "dummy/item.json")))  # repaired: translated now
    assert stacml("convert", catalog, "--to", "mlm", "-o", out, "-j", "1").returncode == 0
    assert "mlm:name" in load(out / "models/dummy/item.json")["properties"]


def test_an_item_collection_file_with_a_failed_feature_is_tried_again_by_a_rerun(tmp_path):
    """Its output holds the features that did not fail (or, with --copy-failed, the failed one
    as it is): dated before its input, it is not taken as up to date, so a rerun says the
    failure again, as it does for a document not written."""
    item = load(ML_MODEL / "dummy/item.json")
    features = write(tmp_path / "src/items.json", {"type": "FeatureCollection", "features": [item, 5]})
    for option in ((), ("--copy-failed",)):
        out = tmp_path / f"out{'-'.join(('',) + option)}"
        for attempt in ("first", "rerun"):
            run = stacml("convert", tmp_path / "src", "--to", "mlm", "-o", out, "-j", "1", *option)
            assert run.returncode == 1, (option, attempt)
            assert f"error: {features} /features/1: a feature must be a JSON object" in run.stderr
            assert "1 translated, 1 failed" in run.stderr and "up-to-date" not in run.stderr
            written = load(out / "items.json")["features"]
            assert [f if f == 5 else f["id"] for f in written] == [item["id"]] + [5] * bool(option)
            assert (out / "items.json").stat().st_mtime_ns < features.stat().st_mtime_ns


def test_copy_failed_keeps_a_failed_ndjson_line_and_feature_as_they_are(tmp_path):
    item = json.dumps(load(ML_MODEL / "dummy/item.json"))
    lines = tmp_path / "items.ndjson"
    lines.write_text(f"{item}\n{{oops\n{item}\n")
    features = write(tmp_path / "items.json", {"type": "FeatureCollection", "features": [json.loads(item), 5]})
    for source, output, where in ((lines, tmp_path / "out.ndjson", f"{lines}:2"),
                                  (features, tmp_path / "out.json", f"{features} /features/1")):
        run = stacml("convert", source, "--to", "mlm", "-o", output)
        assert run.returncode == 1 and "kept as it is" not in run.stderr
        run = stacml("convert", source, "--to", "mlm", "-o", output, "--copy-failed")
        (error,) = [line for line in run.stderr.splitlines() if line.startswith("error:")]
        assert run.returncode == 1 and error.startswith(f"error: {where}: ")
        assert error.endswith("; kept as it is (--copy-failed)")
        dry = stacml("convert", source, "--to", "mlm", "-o", tmp_path / "dry", "--copy-failed", "--dry-run")
        assert "; would be kept as it is (--copy-failed)" in dry.stderr
    assert (tmp_path / "out.ndjson").read_text().splitlines()[1] == "{oops"
    assert load(tmp_path / "out.json")["features"][1] == 5
    run = stacml("convert", lines, "--to", "mlm", "--in-place")
    assert run.returncode == 1 and f"error: {lines}:2: " in run.stderr and "; kept as it is (--in-place)" in run.stderr
    assert lines.read_text().splitlines()[1] == "{oops"


# -- 2. what earlier runs left in OUT_DIR ----------------------------------------------------------


def test_outputs_an_earlier_run_left_are_reported_and_pruned_only_when_asked(tmp_path):
    catalog = build_catalog(tmp_path)
    out, report = tmp_path / "out", tmp_path / "run.json"
    assert stacml("convert", catalog, "--to", "mlm", "-o", out, "-j", "2").returncode == 0
    collection = catalog.parent / "mlm/collection.json"  # two items leave the catalog
    doc = load(collection)
    doc["links"] = [l for l in doc["links"] if l["href"] not in ("item_basic.json", "item_multi_io.json")]
    write(collection, doc)
    (catalog.parent / "mlm/item_basic.json").unlink()
    (out / "notes.txt").write_text("mine")  # not stacml's: never removed
    run = stacml("convert", catalog, "--to", "mlm", "-o", out, "--report", report, "-j", "2")
    assert run.returncode == 0, run.stderr
    left = [str(out / "mlm/item_basic.json"), str(out / "mlm/item_multi_io.json"), str(out / "notes.txt")]
    assert warnings(run) == [f"warning: {out}: 3 file(s) this run did not write (outputs of documents no longer "
                             f"in the source or of another source, or other files): {', '.join(left)} (2 of them "
                             "written by an earlier run: --prune removes those)"]
    assert json.loads(report.read_text())["left_in_output"] == {"count": 3, "files": left, "pruned": [],
                                                                "pruned_directories": []}
    assert all(Path(p).exists() for p in left)
    dry = stacml("convert", catalog, "--to", "mlm", "-o", out, "--prune", "--dry-run", "-j", "1")
    assert dry.returncode == 0 and all(Path(p).exists() for p in left)
    run = stacml("convert", catalog, "--to", "mlm", "-o", out, "--prune", "-j", "1")
    assert run.returncode == 0, run.stderr
    assert not (out / "mlm/item_basic.json").exists() and not (out / "mlm/item_multi_io.json").exists()
    assert (out / "notes.txt").read_text() == "mine"
    assert "--prune removed 2 file(s)" in run.stderr and "1 file(s) this run did not write" in run.stderr
    assert unresolved_links(out) == []


def test_prune_removes_the_directories_it_empties_and_no_other(tmp_path):
    """--prune left out/models/ and its sub-folders behind, empty, when their documents left the
    source; a directory that was empty before, or that still holds a file, stays."""
    catalog = build_catalog(tmp_path)
    out, report = tmp_path / "out", tmp_path / "run.json"
    assert stacml("convert", catalog, "--to", "mlm", "-o", out, "-j", "1").returncode == 0
    root = load(catalog)
    root["links"] = [l for l in root["links"] if l["href"] not in ("./models/collection.json", "./plain/catalog.json")]
    write(catalog, root)
    (out / "empty-before").mkdir()
    (out / "plain/notes.txt").write_text("mine")
    run = stacml("convert", catalog, "--to", "mlm", "-o", out, "--prune", "--report", report, "-j", "1")
    assert run.returncode == 0, run.stderr
    assert not (out / "models").exists()
    assert sorted(p.name for p in (out / "plain").iterdir()) == ["notes.txt"] and (out / "empty-before").is_dir()
    assert "--prune removed 5 file(s) an earlier run wrote and the 3 directories that left empty" in run.stderr
    assert json.loads(report.read_text())["left_in_output"]["pruned_directories"] == [
        str(out / d) for d in ("models", "models/cyclone", "models/dummy")]


def test_prune_removes_only_files_a_manifest_recorded_and_only_inside_the_output(tmp_path):
    catalog = build_catalog(tmp_path)
    out = tmp_path / "out"
    assert stacml("convert", catalog, "--to", "mlm", "-o", out, "-j", "1").returncode == 0
    outside = tmp_path / "precious.json"
    outside.write_text("{}")
    manifest = out / ".stacml-convert.json"
    data = load(manifest)
    data["outputs"] += ["../precious.json", str(outside), "elsewhere/x.json"]
    (out / "elsewhere").symlink_to(tmp_path)  # a recorded path through a symlink that leads out
    (tmp_path / "x.json").write_text("{}")
    manifest.write_text(json.dumps(data))
    run = stacml("convert", catalog, "--to", "mlm", "-o", out, "--prune", "-j", "1")
    assert run.returncode == 0, run.stderr
    assert outside.read_text() == "{}" and (tmp_path / "x.json").read_text() == "{}"
    assert sorted(documents(out)) == sorted(documents(catalog.parent))
    single = stacml("convert", ML_MODEL / "dummy/item.json", "--to", "mlm", "-o", tmp_path / "one.json", "--prune")
    assert single.returncode == 2 and "--prune" in single.stderr


# -- 3. and 4. paths in the report -----------------------------------------------------------------


def test_in_place_records_outputs_as_the_input_was_given(tmp_path):
    build_catalog(tmp_path)
    run = stacml("convert", "catalog/catalog.json", "--to", "mlm", "--in-place", "--report", "run.json", "-j", "2",
                 cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    entries = json.loads((tmp_path / "run.json").read_text())["documents"]
    assert {e["source"]: e["output"] for e in entries if "output" in e}["catalog/models/dummy/item.json"] == \
        "catalog/models/dummy/item.json"
    assert all(e["output"] == e["source"] for e in entries if "output" in e)


def catalog_with_a_twin(tmp_path):
    """The test catalog with a second Item of the same type, collection and id as models/dummy."""
    catalog = build_catalog(tmp_path)
    twin = load(catalog.parent / "models/dummy/item.json")
    twin["properties"]["description"] = "the twin, retrained"
    write(catalog.parent / "models/twin/item.json", twin)
    collection = catalog.parent / "models/collection.json"
    doc = load(collection)
    doc["links"].append(link("item", "./twin/item.json"))
    write(collection, doc)
    return catalog


def test_restore_matches_outputs_by_path_from_another_directory(tmp_path):
    """Two Items share type, collection and id: only their paths tell their residues apart."""
    catalog = catalog_with_a_twin(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    run = stacml("convert", "../catalog/catalog.json", "--to", "mlm", "-o", "out", "--report", "run.json",
                 "--keep-residue", "-j", "2", cwd=work)
    assert run.returncode == 0, run.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = stacml("convert", work / "out/catalog.json", "--to", "ml-model", "--restore", work / "run.json",
                 "-o", tmp_path / "back", "-j", "2", cwd=elsewhere)
    assert run.returncode == 0, run.stderr
    assert documents(tmp_path / "back") == documents(catalog.parent)


# -- 6. a rerun with --copy-assets -------------------------------------------------------------------


def test_a_rerun_with_copy_assets_says_once_that_nothing_changed(tmp_path):
    catalog = build_catalog(tmp_path)
    item_path = catalog.parent / "models/dummy/item.json"
    item = load(item_path)
    item["assets"].update({"gone": {"href": "missing.bin"}, "weights": {"href": "./weights.pt"}})
    write(item_path, item)
    (item_path.parent / "weights.pt").write_bytes(b"v1")
    out, report = tmp_path / "out", tmp_path / "run.json"
    first = stacml("convert", catalog, "--to", "mlm", "-o", out, "--copy-assets", "-j", "2")
    assert first.returncode == 0, first.stderr
    said = [w for w in warnings(first) if "/assets/" in w]
    assert any("/assets/gone: asset missing.bin is not a file" in w for w in said)
    assert "1 asset file(s) copied" in first.stderr
    again = stacml("convert", catalog, "--to", "mlm", "-o", out, "--copy-assets", "--report", report, "-j", "2")
    assert again.returncode == 0, again.stderr
    assert warnings(again) == []
    assert (f"note: {len(said)} asset href(s) of up-to-date outputs not copied, unchanged since the last run "
            "(listed in the report)") in again.stderr
    assert "asset file(s) copied" not in again.stderr
    kept = json.loads(report.read_text())["warnings"]
    assert [w["unchanged"] for w in kept] == [True] * len(said)
    assert json.loads(report.read_text())["totals"]["warnings"] == 0
    plain = tmp_path / "plain"  # converted without --copy-assets: nothing was said about the assets yet
    assert stacml("convert", catalog, "--to", "mlm", "-o", plain, "-j", "1").returncode == 0
    added = stacml("convert", catalog, "--to", "mlm", "-o", plain, "--copy-assets", "-j", "1")
    assert [w for w in warnings(added) if "/assets/" in w] == said and "unchanged" not in added.stderr


# -- 7. --strict with several workers ---------------------------------------------------------------


def test_strict_with_workers_reports_exactly_what_failed_and_what_was_not_converted(tmp_path):
    source = tmp_path / "items"
    item = load(ML_MODEL / "dummy/item.json")
    for i in range(60):
        item["id"] = f"item-{i:02d}"
        write(source / f"i{i:02d}.json", item)
    (source / "i10.json").write_text(BROKEN)
    out, report = tmp_path / "out", tmp_path / "run.json"
    run = stacml("convert", source, "--to", "mlm", "-o", out, "--strict", "-j", "2", "--report", report)
    assert run.returncode == 1
    written = json.loads(report.read_text())
    entries = {e["source"]: e["status"] for e in written["documents"]}
    failed = str(source / "i10.json")
    assert [s for s, status in entries.items() if status == "failed"] == [failed]
    stopped = written["stopped"]
    assert stopped["failed"] == failed
    every = sorted(str(p) for p in source.iterdir())
    assert sorted(list(entries) + stopped["not_converted"]) == every  # each document exactly once
    converted = {str(source / p.name) for p in out.glob("*.json") if not p.name.startswith(".")}
    assert converted == {s for s, status in entries.items() if status == "translated"}
    assert f"stopped (--strict) after {failed} failed: {len(stopped['not_converted'])} document(s)" in run.stderr
    assert "left_in_output" not in written  # it did not reach every document: what it left is unknown


def test_restore_names_the_key_two_ndjson_documents_share_rather_than_a_missing_residue(tmp_path):
    """NDJSON lines found at no output line of the report (a copy of the output elsewhere) are
    matched to their residues by (type, collection, id) alone: two lines sharing it (the MLM
    1.0.0 and 1.5.2 examples' 'example-model') cannot be told apart. Each fails naming that key;
    it said there was no residue for it, which the report has. (At the output line the report
    records, each is restored: test_catalog_output_places.py.)"""
    from conftest import SPECS
    lines = [(SPECS / f"mlm/{v}/examples/item_basic.json").read_bytes() for v in ("1.0.0", "1.5.2")]
    source = tmp_path / "items.ndjson"
    source.write_bytes(b"".join(json.dumps(json.loads(x)).encode() + b"\n" for x in lines))
    out, report = tmp_path / "mlm.ndjson", tmp_path / "run.json"
    assert stacml("convert", source, "--to", "mlm", "-o", out, "--report", report, "--keep-residue").returncode == 0
    copy = tmp_path / "copy.ndjson"
    copy.write_bytes(out.read_bytes())
    run = stacml("convert", copy, "--restore", report, "-o", tmp_path / "back.ndjson")
    assert run.returncode == 1
    key = '["Feature", "ml-model-examples", "example-model"]'
    assert [line for line in run.stderr.splitlines() if line.startswith("error:")] == [
        f"error: {copy}:{n}: {report} has the residues of 2 documents of type, collection and id {key}: which one "
        "this is cannot be told (a file is matched by its output path first, an NDJSON line or ItemCollection "
        "feature by its place in the output the report names, then by these); not restored" for n in (1, 2)]
    assert stacml("convert", out, "--restore", report, "-o", tmp_path / "back.ndjson").returncode == 0


def test_one_output_of_a_run_is_restored_alone_by_its_path(tmp_path):
    """Two Items of a run share type, collection and id; restoring one output file on its own
    finds its residue by the path the run wrote it to, as a catalog restore does (it failed:
    no residue for this document)."""
    catalog = catalog_with_a_twin(tmp_path)
    out, report = tmp_path / "out", tmp_path / "run.json"
    assert stacml("convert", catalog, "--to", "mlm", "-o", out, "--report", report, "--keep-residue").returncode == 0
    for name in ("dummy", "twin"):
        back = tmp_path / f"{name}.json"
        run = stacml("convert", out / f"models/{name}/item.json", "--restore", report, "-o", back)
        assert run.returncode == 0, run.stderr
        assert load(back) == load(catalog.parent / f"models/{name}/item.json")
