"""translator.sources and the --fail-on parsing on real temporary catalogs built from the
official examples (the catalog builder here is shared with test_cli_convert_catalog.py)."""
from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import SPECS
from translator.failon import FailOnError, failing, parse_fail_on
from translator.sources import iter_documents, kind_of, link_targets

ML_MODEL = SPECS / "ml-model/1.0.0/examples"
MLM = SPECS / "mlm/1.5.2/examples"
MLM_ITEMS = sorted(p.name for p in MLM.glob("item_*.json"))


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def write(path: Path, doc) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2))
    return path


def link(rel: str, href: str) -> dict:
    return {"rel": rel, "href": href, "type": "application/json"}


def plain_item() -> dict:
    """An official MLM example with every MLM field and extension removed: a plain STAC Item."""
    doc = load(MLM / "item_basic.json")
    doc["id"] = "plain-item"
    doc["stac_extensions"] = [u for u in doc["stac_extensions"] if "/mlm/" not in u]
    doc["properties"] = {k: v for k, v in doc["properties"].items() if not k.startswith("mlm:")}
    doc["assets"] = {k: {f: v for f, v in a.items() if not f.startswith("mlm:")}
                     for k, a in doc["assets"].items() if "mlm:model" not in a.get("roles", [])}
    doc["links"] = [link("root", "../catalog.json"), link("parent", "./catalog.json")]
    return doc


def build_catalog(base: Path) -> Path:
    """catalog.json -> models/collection.json (ml-model, 2 items in sub-folders)
                    -> mlm/collection.json (the MLM 1.5.2 collection and its 9 items, as published)
                    -> plain/catalog.json -> plain/item.json (no ML extension)
    Returns the root catalog path. Every link is relative."""
    root = base / "catalog"
    write(root / "catalog.json", {
        "type": "Catalog", "stac_version": "1.0.0", "id": "root", "description": "test catalog",
        "links": [link("root", "./catalog.json"), link("child", "./models/collection.json"),
                  link("child", "./mlm/collection.json"), link("child", "./plain/catalog.json")]})
    collection = load(ML_MODEL / "dummy/collection.json")
    collection["links"] = [link("root", "../catalog.json"), link("parent", "../catalog.json"),
                           link("item", "./dummy/item.json"), link("item", "cyclone/item.json")]
    write(root / "models/collection.json", collection)
    for name in ("dummy", "cyclone-wind-speed"):
        item = load(ML_MODEL / name / "item.json")
        item["links"] = [link("root", "../../catalog.json"), link("parent", "../collection.json"),
                         link("collection", "../collection.json")] + [
                             l for l in item["links"] if l["rel"] not in ("root", "parent", "collection", "self")]
        write(root / "models" / name.split("-")[0] / "item.json", item)
    (root / "mlm").mkdir()
    for name in ["collection.json"] + MLM_ITEMS:
        shutil.copy(MLM / name, root / "mlm" / name)
    write(root / "plain/catalog.json", {
        "type": "Catalog", "stac_version": "1.0.0", "id": "plain", "description": "no ML here",
        "links": [link("root", "../catalog.json"), link("parent", "../catalog.json"), link("item", "./item.json")]})
    write(root / "plain/item.json", plain_item())
    return root / "catalog.json"


CATALOG_FILES = (["catalog.json", "models/collection.json", "models/dummy/item.json", "models/cyclone/item.json",
                  "mlm/collection.json"] + [f"mlm/{n}" for n in MLM_ITEMS] + ["plain/catalog.json", "plain/item.json"])


def add_links(path: Path, *links: dict) -> None:
    doc = load(path)
    doc["links"] += list(links)
    write(path, doc)


# -- sources -----------------------------------------------------------------------------------


def test_a_catalog_is_read_through_its_relative_child_and_item_links(tmp_path):
    root = build_catalog(tmp_path)
    found = list(iter_documents([str(root)]))
    assert [s.warning for s in found if s.warning] == []
    assert [s.error for s in found if s.error] == []
    assert sorted(str(s.relative) for s in found) == sorted(CATALOG_FILES)
    assert found[0].document["id"] == "root" and found[1].relative == Path("models/collection.json")


def test_links_that_leave_the_root_are_reported_and_not_followed(tmp_path):
    root = build_catalog(tmp_path)
    outside = write(tmp_path / "outside.json", load(ML_MODEL / "dummy/item.json"))
    os.symlink(outside, root.parent / "models" / "sneaky.json")
    add_links(root.parent / "models/collection.json",
              link("item", "../../outside.json"),           # traversal
              link("item", str(outside)),                   # absolute path
              link("item", "./sneaky.json"),                # symlink pointing outside
              link("item", "https://example.com/remote.json"),
              link("child", "file:///etc/passwd"))
    found = list(iter_documents([str(root)]))
    warnings = [s.warning for s in found if s.warning]
    assert len(warnings) == 5
    assert sum("outside the catalog root" in w for w in warnings) == 2
    assert sum(w.startswith("absolute link") for w in warnings) == 2
    assert any("remote link https://example.com/remote.json not followed" in w for w in warnings)
    assert all(s.path is None or s.path.resolve() != outside for s in found)
    assert sorted(str(s.relative) for s in found if s.document) == sorted(CATALOG_FILES)


def test_a_link_cycle_is_reported_once_and_a_document_linked_twice_is_read_once(tmp_path):
    root = build_catalog(tmp_path)
    add_links(root.parent / "plain/catalog.json", link("child", "../catalog.json"),
              link("item", "../models/dummy/item.json"))
    found = list(iter_documents([str(root)]))
    cycles = [s for s in found if s.warning and "cycle" in s.warning]
    assert len(cycles) == 1 and cycles[0].label == f"{root.parent / 'plain/catalog.json'}: /links/3"
    assert cycles[0].warning == "link ../catalog.json leads back to a document already on this path (cycle); not followed"
    assert sorted(str(s.relative) for s in found if s.document) == sorted(CATALOG_FILES)


def test_bad_documents_become_errors_and_the_others_are_still_read(tmp_path):
    root = build_catalog(tmp_path)
    (root.parent / "mlm" / "item_basic.json").write_text('{"type": "Feature", "id": ')
    add_links(root.parent / "plain/catalog.json", link("item", "./missing.json"))
    found = list(iter_documents([str(root)]))
    errors = {str(s.relative): s.error for s in found if s.error}
    assert errors["mlm/item_basic.json"].startswith("invalid JSON at line 1")
    assert errors["plain/missing.json"].startswith("cannot read")
    assert len([s for s in found if s.document]) == len(CATALOG_FILES) - 1


def test_item_collections_ndjson_stdin_and_directories(tmp_path, monkeypatch):
    items = [load(MLM / n) for n in MLM_ITEMS[:3]]
    write(tmp_path / "ic.json", {"type": "FeatureCollection", "features": items + [42]})
    found = list(iter_documents([str(tmp_path / "ic.json")]))
    assert [s.pointer for s in found] == ["/features/0", "/features/1", "/features/2", "/features/3"]
    assert found[3].error == "a feature must be a JSON object"
    lines = b"\n".join(json.dumps(d).encode() for d in items[:2]) + b"\n\n{oops\n"
    (tmp_path / "items.ndjson").write_bytes(lines)
    found = list(iter_documents([str(tmp_path / "items.ndjson")]))
    assert [(s.line, bool(s.document)) for s in found] == [(1, True), (2, True), (4, False)]
    assert found[2].label == f"{tmp_path / 'items.ndjson'}:4"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(lines)))
    assert [s.label for s in iter_documents(["-"])] == ["-:1", "-:2", "-:4"]
    root = build_catalog(tmp_path / "dir")
    (root.parent / ".hidden.json").write_text("{}")
    found = list(iter_documents([str(root.parent)]))  # a directory: every file, links not followed
    assert sorted(str(s.relative) for s in found) == sorted(CATALOG_FILES)
    assert kind_of("-") == "stdin" and kind_of(str(root.parent)) == "directory"
    assert kind_of("https://x/c.json") == "remote" and kind_of(str(tmp_path / "nope")) == "missing"


def test_stdin_holding_one_indented_document_is_read_as_convert_reads_it(monkeypatch):
    """`stacml detect -` and `stacml audit -` read stdin as `stacml convert -` does: NDJSON when
    the first non-blank line is a whole document, else one document or ItemCollection."""
    item = load(MLM / MLM_ITEMS[0])
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"\n" + json.dumps(item, indent=2).encode())))
    found = list(iter_documents(["-"]))
    assert [(s.label, s.error, s.document) for s in found] == [("-", None, item)]
    collection = {"type": "FeatureCollection", "features": [item, item]}
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(json.dumps(collection, indent=1).encode())))
    assert [(s.pointer, s.document == item) for s in iter_documents(["-"])] == \
        [("/features/0", True), ("/features/1", True)]
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"{\n  oops\n")))
    found = list(iter_documents(["-"]))
    assert len(found) == 1 and found[0].label == "-" and "invalid JSON" in found[0].error


def test_link_targets_never_lead_outside_the_root(tmp_path):
    root = build_catalog(tmp_path)
    doc = {"links": [link("child", "a/../../x.json"), link("item", "ok/item.json"), link("self", "/abs.json"),
                     link("item", "//host/share/x.json"), {"rel": "item"}, "junk"]}
    targets = list(link_targets(doc, root, root.parent))
    assert targets[0].startswith("/links/0: link a/../../x.json leads outside")
    assert targets[1].path == root.parent / "ok/item.json" and targets[1].rel == "item"
    assert targets[2].startswith("/links/3: absolute link")
    assert len(targets) == 3


# -- --fail-on -----------------------------------------------------------------------------------


def test_fail_on_parsing_and_checking():
    assert parse_fail_on(()) == ()
    assert parse_fail_on((), ("dropped", "unknown")) == ("dropped", "unknown")
    assert parse_fail_on(["dropped,lossy", "assumed"]) == ("dropped", "lossy", "assumed")
    assert parse_fail_on("none", ("dropped",)) == ()
    for bad in (["none", "dropped"], ["lost"]):
        with pytest.raises(FailOnError):
            parse_fail_on(bad)
    assert failing({"dropped": 2, "assumed": 0, "lossy": 1}, ("dropped", "assumed")) == {"dropped": 2}


# -- the run, in process ---------------------------------------------------------------------------


def run_catalog(src: str, out: Path | None, *, progress: bool = False, jobs: int = 1, **options):
    """translator.catalog.plan + run as the command does, with the log captured."""
    from translator.catalog import plan, run
    from translator.catalog_report import RunLog
    from translator.catalog_work import Options
    err, said = io.StringIO(), io.StringIO()
    the_plan = plan(src, None if out is None else str(out), follow_remote=options.get("follow_remote", False),
                    dry_run=options.get("dry_run", False))
    log = RunLog(source=src, target=("mlm", "1.5.2"), err=err, out=said, progress=progress)
    failed = run(the_plan, Options(to="mlm", version="1.5.2", **options), log, jobs=jobs)
    log.close()
    log.print_summary()
    return the_plan, log, failed, err.getvalue(), said.getvalue()


def test_progress_shows_documents_rate_and_an_eta(tmp_path):
    root = build_catalog(tmp_path)
    plan_, log, failed, err, _ = run_catalog(str(root.parent), tmp_path / "out", progress=True)
    assert plan_.mode == "directory" and failed == 0
    assert "\r" in err and " documents " in err and "/s" in err
    assert err.rstrip().splitlines()[-1].lstrip("\r ").startswith(f"{len(CATALOG_FILES)} document(s) in")
    assert log.statuses == {"translated": 3, "unchanged": 10, "copied": 3, "up-to-date": 0, "failed": 0}


def test_the_progress_line_estimates_the_time_left():
    import time
    from translator.catalog_report import RunLog
    err = io.StringIO()
    log = RunLog(source="x", target=("mlm", "1.5.2"), err=err, progress=True)
    log.started = time.monotonic() - 10
    log.documents, log.expected = 25, lambda: 100
    log.tick(force=True)
    assert "25 documents" in err.getvalue() and "25%  ETA 0:00:30" in err.getvalue()
    log.fraction = lambda: 0.5  # NDJSON: the fraction of the file read
    log.tick(force=True)
    assert "50%  ETA 0:00:10" in err.getvalue()


def test_a_remote_catalog_is_mirrored_only_with_follow_remote(tmp_path):
    import functools
    import http.server
    import threading
    root = build_catalog(tmp_path)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root.parent))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/catalog.json"
        from translator.catalog import UsageError
        with pytest.raises(UsageError, match="--follow-remote"):
            run_catalog(url, tmp_path / "out")
        _, log, failed, err, _ = run_catalog(url, tmp_path / "out", follow_remote=True)
        assert failed == 0 and log.documents == len(CATALOG_FILES), err
        mirrored = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*.json")
                          if not p.name.startswith("."))
        assert mirrored == sorted(CATALOG_FILES)
        # a local catalog linking a remote item: converted for the report, written nowhere
        local = write(tmp_path / "local/catalog.json", {
            "type": "Catalog", "stac_version": "1.0.0", "id": "l", "description": "d",
            "links": [link("item", url.replace("catalog.json", "models/dummy/item.json"))]})
        _, log, failed, err, _ = run_catalog(str(local), tmp_path / "out2", follow_remote=True)
        assert (failed, log.statuses["translated"], log.statuses["copied"]) == (0, 1, 1)
        assert "remote document read and reported, not written" in err
        assert sorted(p.name for p in (tmp_path / "out2").iterdir()) == [".stacml-convert.json", "catalog.json"]
    finally:
        server.shutdown()


def test_writes_never_leave_the_output_root(tmp_path):
    from translator.catalog_write import safe_root, write_atomic
    from translator.errors import DocumentError
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    real, checked = safe_root(str(out))
    os.symlink(elsewhere, out / "link")
    with pytest.raises(DocumentError, match="outside the output root"):
        write_atomic(out / "link" / "x.json", b"{}", real, checked)
    with pytest.raises(DocumentError, match="outside the output root"):
        write_atomic(out / "link" / "deeper" / "x.json", b"{}", real, checked)
    write_atomic(out / "a" / "b" / "x.json", b"{}", real, checked)
    assert (out / "a/b/x.json").read_bytes() == b"{}" and list(elsewhere.iterdir()) == []
    assert [p.name for p in (out / "a/b").iterdir()] == ["x.json"]  # no temporary file left


def test_a_worker_that_dies_is_reported_not_waited_for():
    import queue as queues
    import signal
    from translator.catalog_pool import WorkerFailed, Workers
    from translator.catalog_work import Options
    workers = Workers(1, Options(to="mlm", version="1.5.2"))
    try:
        workers.submit(1, "block", "-", 1, b'{"type": "Feature"}\n')
        number, (data, tally) = workers.next_result(timeout=60)
        assert number == 1 and tally.statuses == {"copied": 1} and data == b'{"type": "Feature"}\n'
        os.kill(workers.processes[0].pid, signal.SIGKILL)
        workers.processes[0].join()
        workers.submit(2, "block", "-", 1, b"{}\n")
        with pytest.raises(WorkerFailed, match="died"):
            for _ in range(40):
                try:
                    workers.next_result(timeout=0.25)
                except queues.Empty:
                    continue
    finally:
        workers.terminate()
