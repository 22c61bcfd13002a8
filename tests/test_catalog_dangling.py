"""Links that a failed document leaves dangling in OUT_DIR, in the places test_catalog_runs.py
does not reach: the features of an ItemCollection file, a child link back to a failed
ancestor (a cycle), and a document whose output path is taken by a directory. Real runs
(processes, on the code of this checkout) on catalogs built from the official examples."""
from __future__ import annotations

import json
from pathlib import Path

from test_catalog import ML_MODEL, add_links, build_catalog, link, load, plain_item, write
from test_catalog_runs import BROKEN, links_to_the_models_collection, stacml, warnings

DANGLES = "which failed and is not written: the link dangles in {out} (--copy-failed writes a failed document as it is)"


def item_collection_beside_the_models_collection(catalog: Path) -> Path:
    """models/items.json: an ItemCollection of three ml-model Items linking to the Collection
    beside it; the second one is no STAC Item (it fails, and is left out of the output)."""
    features = []
    for name, links in (("dummy", [link("root", "../catalog.json"), link("parent", "./collection.json"),
                                   link("collection", "./collection.json")]),
                        ("dummy", [link("parent", "./collection.json")]),
                        ("cyclone-wind-speed", [link("self", "./items.json"), link("collection", "./collection.json")])):
        feature = load(ML_MODEL / name / "item.json")
        feature["links"] = links
        features.append(feature)
    features[1]["type"] = "Nope"
    return write(catalog.parent / "models/items.json", {
        "type": "FeatureCollection", "features": features,
        "links": [link("root", "../catalog.json"), link("related", "./collection.json")]})


def test_the_features_of_an_item_collection_are_checked_for_links_to_a_failed_document(tmp_path):
    """A directory run reads an ItemCollection file as one document: the links of the features
    it writes are checked like any written document's (the failed feature, left out of the
    output, is not), named by their pointer in the file, once, in input order whatever -j."""
    catalog = build_catalog(tmp_path)
    source, parent = catalog.parent, catalog.parent / "models/collection.json"
    items = item_collection_beside_the_models_collection(catalog)
    parent.write_text(BROKEN)
    # a directory's files come before its sub-directories': models/items.json before the Items
    root_link, *item_links = links_to_the_models_collection(source, ("cyclone", "dummy"))
    links = [root_link] + [(items, where, "./collection.json") for where in (
        "/links/1", "/features/0/links/1", "/features/0/links/2", "/features/2/links/1")] + item_links
    for jobs in ("1", "2"):
        out, report = tmp_path / f"out-{jobs}", tmp_path / f"run-{jobs}.json"
        run = stacml("convert", source, "--to", "mlm", "-o", out, "--report", report, "-j", jobs)
        assert run.returncode == 1 and f"error: {items} /features/1: /type: not a STAC Item" in run.stderr
        written = load(out / "models/items.json")
        assert [f["id"] for f in written["features"]] == [load(ML_MODEL / n / "item.json")["id"]
                                                          for n in ("dummy", "cyclone-wind-speed")]
        why = DANGLES.format(out=out)
        expected = [(f"{doc}: {where if isinstance(where, str) else f'/links/{where}'}",
                     f"link {href} leads to {parent}, {why}") for doc, where, href in links]
        assert warnings(run) == [f"warning: {source}: {message}" for source, message in expected]
        kept = json.loads(report.read_text())
        assert kept["warnings"] == [{"source": source, "message": message} for source, message in expected]
        assert kept["totals"]["dangling_links"] == len(links) == 9
        assert f"; {len(links)} link(s) to failed documents;" in run.stderr


def test_a_child_link_back_to_a_failed_ancestor_is_one_dangling_link_warning(tmp_path):
    """A child link back to the root (a cycle) when the root failed: the link dangles in
    OUT_DIR, and that is the one warning it gets (counted with the dangling links), not a cycle
    warning besides."""
    catalog = build_catalog(tmp_path)
    plain = catalog.parent / "plain/catalog.json"
    add_links(plain, link("child", "../catalog.json"))
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        (out / "catalog.json").mkdir(parents=True)  # the root cannot be written
        run = stacml("convert", catalog, "--to", "mlm", "-o", out, "-j", jobs)
        assert run.returncode == 1 and f"error: {catalog}: cannot write {out / 'catalog.json'}: " in run.stderr
        back = [line for line in warnings(run) if line.startswith(f"warning: {plain}: /links/3: ")]
        assert back == [f"warning: {plain}: /links/3: link ../catalog.json leads to {catalog}, which failed and is "
                        f"not written: {out / 'catalog.json'} is a directory, so the link dangles in {out}"]
        assert "cycle" not in run.stderr
        # every link to the root is warned about once: the Collections', the Catalog's, the Items'
        assert len(warnings(run)) == len(set(warnings(run))) == 8
        assert "; 8 link(s) to failed documents; 8 warning(s)" in run.stderr


def test_a_document_whose_output_path_is_a_directory_fails_and_says_so_on_every_run(tmp_path):
    """A directory in the way of an output: the document fails (nothing is written there), the
    link to it is said to dangle because of the directory, not to lead to an earlier output; a
    rerun does not take the directory for an up-to-date output."""
    catalog = build_catalog(tmp_path)
    item, parent = catalog.parent / "models/dummy/item.json", catalog.parent / "models/collection.json"
    out = tmp_path / "out"
    (out / "models/dummy/item.json").mkdir(parents=True)
    why = (f"link ./dummy/item.json leads to {item}, which failed and is not written: "
           f"{out / 'models/dummy/item.json'} is a directory, so the link dangles in {out}")
    for attempt in ("first", "rerun"):
        report = tmp_path / f"{attempt}.json"
        run = stacml("convert", catalog, "--to", "mlm", "-o", out, "--report", report, "-j", "2")
        assert run.returncode == 1, attempt
        assert f"error: {item}: cannot write {out / 'models/dummy/item.json'}: Is a directory" in run.stderr
        assert warnings(run) == [f"warning: {parent}: /links/2: {why}"]
        kept = json.loads(report.read_text())
        assert kept["warnings"] == [{"source": f"{parent}: /links/2", "message": why}]
        assert kept["totals"]["dangling_links"] == 1 and kept["totals"]["failed"] == 1
        assert kept["totals"]["up_to_date"] == (0 if attempt == "first" else 15)
        assert (out / "models/dummy/item.json").is_dir()


def test_the_written_documents_read_again_by_the_workers_are_warned_about_in_input_order(tmp_path):
    """With -j 2 the documents are read again in chunks by the workers (several chunks here):
    the warnings come in the order of the files, as with -j 1."""
    source = tmp_path / "dir"
    item = plain_item()
    item["links"] = [link("collection", "../collection.json"), link("parent", "../collection.json")]
    for i in range(700):
        item["id"] = f"item-{i:03d}"
        write(source / f"items/{i:03d}.json", item)
    (source / "collection.json").write_text(BROKEN)
    runs = {jobs: stacml("convert", source, "--to", "mlm", "-o", tmp_path / f"out-{jobs}", "-j", jobs, "-q")
            for jobs in ("1", "2")}
    for jobs, run in runs.items():
        assert run.returncode == 1
        why = f"link ../collection.json leads to {source / 'collection.json'}, {DANGLES.format(out=tmp_path / f'out-{jobs}')}"
        assert warnings(run) == [f"warning: {source / f'items/{i:03d}.json'}: /links/{index}: {why}"
                                 for i in range(700) for index in (0, 1)]


def test_a_dry_run_fails_a_document_whose_output_path_is_a_directory(tmp_path):
    """--dry-run says what a real run would do: a directory in the way of an output fails it."""
    catalog = build_catalog(tmp_path)
    item = catalog.parent / "models/dummy/item.json"
    out = tmp_path / "out"
    (out / "models/dummy/item.json").mkdir(parents=True)
    run = stacml("convert", catalog, "--to", "mlm", "-o", out, "--dry-run")
    assert run.returncode == 1
    assert f"error: {item}: would not write {out / 'models/dummy/item.json'}: it is a directory" in run.stderr
    assert "1 failed" in run.stderr.splitlines()[-1]
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "models", "models/dummy", "models/dummy/item.json"]  # nothing written
