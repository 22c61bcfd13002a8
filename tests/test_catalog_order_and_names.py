"""What catalog and directory runs name and in which order, run as real processes: the run
report lists documents in input order whatever -j; documents reached through links are named
the way the root (and -o) were given; link warnings name /links/N in convert, detect and audit
alike; an ItemCollection failure names its feature once; a document given twice is listed once."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SPECS
from test_catalog import ML_MODEL, add_links, build_catalog, link, load, write

CYCLE = "link ../catalog.json leads back to a document already on this path (cycle); not followed"


def stacml(*args, cwd: Path) -> subprocess.CompletedProcess:
    """The command run from *cwd*, on the code of this checkout."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "translator", *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=cwd, env=env)


def slow_item(path: Path) -> Path:
    """An ml-model Item with 20 000 assets: it takes a worker long enough that, unless the run
    orders what comes back, the documents queued after it are reported before it."""
    doc = load(ML_MODEL / "dummy/item.json")
    doc["id"] = "slow"
    doc["assets"].update({f"w{i}": {"href": f"./w{i}.pt", "roles": ["ml-model:checkpoint"]} for i in range(20_000)})
    return write(path, doc)


def reported_sources(tmp_path: Path, src: str, jobs: int) -> list[str]:
    report = tmp_path / f"report-{jobs}.json"
    run = stacml("convert", src, "--to", "mlm", "-o", f"out-{jobs}", "-q", "-j", jobs, "--report", report,
                 cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    return [d["source"] for d in json.loads(report.read_text())["documents"]]


def test_the_report_lists_a_directory_in_its_sorted_order_whatever_the_jobs(tmp_path):
    slow_item(tmp_path / "src/a.json")
    for i in range(30):
        write(tmp_path / f"src/m{i:02d}.json", load(ML_MODEL / "dummy/item.json"))
    expected = ["src/a.json"] + [f"src/m{i:02d}.json" for i in range(30)]
    assert reported_sources(tmp_path, "src", 1) == expected
    assert reported_sources(tmp_path, "src", 4) == expected


def test_a_catalog_is_converted_and_listed_breadth_first_whatever_the_jobs(tmp_path):
    root = build_catalog(tmp_path)
    add_links(root, link("item", "./slow.json"))
    slow_item(root.parent / "slow.json")
    one = reported_sources(tmp_path, "catalog/catalog.json", 1)
    assert reported_sources(tmp_path, "catalog/catalog.json", 4) == one
    # level by level, each in link order: the root, what it links to, then what those link to
    assert one[:5] == ["catalog/catalog.json", "catalog/models/collection.json", "catalog/mlm/collection.json",
                       "catalog/plain/catalog.json", "catalog/slow.json"]
    assert one[5:7] == ["catalog/models/dummy/item.json", "catalog/models/cyclone/item.json"]
    assert one[-1] == "catalog/plain/item.json"
    # detect (and audit: the same reader) goes the same way
    detect = stacml("detect", "catalog/catalog.json", "--format", "json", cwd=tmp_path)
    objects = [json.loads(line) for line in detect.stdout.splitlines()]
    listed = [o["file"] for o in objects]
    assert listed == [s for s in one if s in listed] and len(listed) == 15  # Catalogs are not listed
    # the one document without an ML extension has its object too, with its error
    assert [(o["file"], o["error"].split(":")[0]) for o in objects if "error" in o] == [
        ("catalog/plain/item.json", "no supported ML extension")]


def test_documents_reached_through_links_are_named_as_the_root_was_given(tmp_path):
    root = build_catalog(tmp_path)
    add_links(root, link("item", "./models/../missing.json"))
    run = stacml("convert", "catalog/catalog.json", "--to", "mlm", "-o", "out", "--report", "run.json", cwd=tmp_path)
    assert run.returncode == 1
    assert ("error: catalog/missing.json: cannot read: No such file or directory (linked from catalog/catalog.json "
            "/links/4)") in run.stderr.splitlines()
    entries = {d["source"]: d.get("output") for d in json.loads((tmp_path / "run.json").read_text())["documents"]}
    assert entries["catalog/models/dummy/item.json"] == "out/models/dummy/item.json"
    assert entries["catalog/catalog.json"] == "out/catalog.json" and entries["catalog/missing.json"] is None
    assert all(s.startswith("catalog/") for s in entries)
    detect = stacml("detect", "catalog/catalog.json", cwd=tmp_path)
    assert "catalog/models/dummy/item.json: ml-model 1.0.0 [declared]" in detect.stdout.splitlines()
    audit = stacml("audit", "catalog/catalog.json", "--to", "mlm", "--format", "github", cwd=tmp_path)
    files = {line.split("file=", 1)[1].split(",", 1)[0] for line in audit.stdout.splitlines() if "file=" in line}
    assert "catalog/models/dummy/item.json" in files and all(f.startswith("catalog/") for f in files)
    # given as an absolute path, the root's links are named absolutely
    absolute = stacml("detect", root, cwd=tmp_path)
    assert f"{root.parent / 'models/dummy/item.json'}: ml-model 1.0.0 [declared]" in absolute.stdout.splitlines()


def test_a_link_cycle_is_a_warning_on_its_link_in_convert_detect_and_audit(tmp_path):
    write(tmp_path / "cat/catalog.json", {"type": "Catalog", "id": "r", "stac_version": "1.0.0", "description": "d",
                                          "links": [link("child", "./sub/catalog.json")]})
    write(tmp_path / "cat/sub/catalog.json", {"type": "Catalog", "id": "s", "stac_version": "1.0.0",
                                              "description": "d", "links": [link("child", "../catalog.json")]})
    expected = f"warning: cat/sub/catalog.json: /links/0: {CYCLE}"
    for args in (("convert", "cat/catalog.json", "--to", "mlm", "-o", "out"), ("detect", "cat/catalog.json"),
                 ("audit", "cat/catalog.json", "--to", "mlm")):
        run = stacml(*args, cwd=tmp_path)
        assert [line for line in run.stderr.splitlines() if line.startswith("warning:")] == [expected], args


def test_an_item_collection_failure_names_its_feature_once(tmp_path):
    write(tmp_path / "fc.json", {"type": "FeatureCollection", "features": [load(ML_MODEL / "dummy/item.json"), 5]})
    run = stacml("convert", "fc.json", "--to", "mlm", "-o", "o.json", "--report", "r.json", cwd=tmp_path)
    assert run.returncode == 1
    assert "error: fc.json /features/1: a feature must be a JSON object" in run.stderr.splitlines()
    failed = [d for d in json.loads((tmp_path / "r.json").read_text())["documents"] if d["status"] == "failed"]
    assert failed == [{"source": "fc.json", "pointer": "/features/1", "status": "failed",
                       "error": "a feature must be a JSON object"}]


def test_detect_and_audit_list_a_document_given_twice_once(tmp_path):
    write(tmp_path / "dir/a.json", load(ML_MODEL / "dummy/item.json"))
    write(tmp_path / "dir/b.json", load(ML_MODEL / "cyclone-wind-speed/item.json"))
    write(tmp_path / "dir/catalog.json", {"type": "Catalog", "id": "c", "stac_version": "1.0.0", "description": "d",
                                          "links": [link("item", "./a.json"), link("item", "./missing.json")]})
    # the catalog, first read as a member of dir, is read again for its links (the missing one)
    sources = ("dir", "dir/a.json", "dir/catalog.json", "dir/a.json")
    detect = stacml("detect", *sources, cwd=tmp_path)
    assert detect.stdout.splitlines() == ["dir/a.json: ml-model 1.0.0 [declared]",
                                          "dir/b.json: ml-model 1.0.0 [declared]"]
    assert detect.stderr.splitlines() == ["error: dir/missing.json: cannot read: No such file or directory "
                                          "(linked from dir/catalog.json /links/1)",
                                          "3 document(s): ml-model 1.0.0: 2, failed: 1"]
    audit = stacml("audit", *sources, "--to", "mlm", "--format", "json", "--fail-on", "none", cwd=tmp_path)
    # a, b, the Catalog (no ML extension) and the missing document (unreadable)
    assert json.loads(audit.stdout)["totals"]["documents"] == 4


def test_every_command_names_a_feature_of_an_item_collection_the_same_way(tmp_path):
    """`items.json /features/N`, as convert's error and invalid lines and the run report's labels
    do: validate said `items.json: /features/N`, a form no other command used."""
    item = load(ML_MODEL / "dummy/item.json")
    write(tmp_path / "items.json", {"type": "FeatureCollection", "features": [item, 5]})
    expected = "error: items.json /features/1: a feature must be a JSON object"
    for args in (("convert", "items.json", "--to", "mlm", "-o", "out.json"), ("detect", "items.json"),
                 ("audit", "items.json", "--to", "mlm"), ("validate", "items.json")):
        run = stacml(*args, cwd=tmp_path)
        assert expected in (run.stdout + run.stderr).splitlines(), args
    detect = stacml("detect", "items.json", cwd=tmp_path).stdout.splitlines()
    assert detect == ["items.json /features/0: ml-model 1.0.0 [declared]"]
    validate = stacml("validate", "--schemas", SPECS, "items.json", cwd=tmp_path)
    assert [line for line in validate.stdout.splitlines() if "/features/0" in line] == []  # valid
    item["properties"]["ml-model:prediction_type"] = 5
    write(tmp_path / "items.json", {"type": "FeatureCollection", "features": [item]})
    validate = stacml("validate", "--schemas", SPECS, "items.json", cwd=tmp_path)
    assert validate.stdout.splitlines()[0] == ('items.json /features/0: /properties/ml-model:prediction_type: 5 '
                                               'is not of type "string" [ml-model v1.0.0]')


def test_audit_github_format_makes_link_warnings_and_notes_annotations(tmp_path):
    """A link not followed and a skipped stacml report were stderr lines in GitHub format; they
    are annotations on their file now, before the others (the link's /links/N begins the message)."""
    write(tmp_path / "cat/catalog.json", {"type": "Catalog", "id": "r", "stac_version": "1.0.0", "description": "d",
                                          "links": [link("child", "./sub/catalog.json")]})
    write(tmp_path / "cat/sub/catalog.json", {"type": "Catalog", "id": "s", "stac_version": "1.0.0",
                                              "description": "d", "links": [link("child", "../catalog.json")]})
    write(tmp_path / "report.json", {"source": {}, "target": {}, "losses": []})
    title = "title=stacml audit -> mlm 1.5.2"
    run = stacml("audit", "cat/catalog.json", "report.json", "--to", "mlm", "--format", "github", cwd=tmp_path)
    assert run.returncode == 0 and run.stderr == ""
    assert run.stdout.splitlines()[:2] == [
        f"::warning file=cat/sub/catalog.json,{title}::/links/0: {CYCLE}",
        f"::notice file=report.json,{title}::a stacml report (translation report), not a STAC document: skipped"]
    text = stacml("audit", "cat/catalog.json", "report.json", "--to", "mlm", cwd=tmp_path)
    assert text.stderr.splitlines() == [f"warning: cat/sub/catalog.json: /links/0: {CYCLE}", "note: report.json: a "
                                        "stacml report (translation report), not a STAC document: skipped"]
    assert "::" not in text.stdout
    # the note that a --baseline audited another version is a notice on the baseline file
    item = write(tmp_path / "item.json", load(ML_MODEL / "dummy/item.json"))
    older = stacml("audit", item, "--to", "mlm", "--to-version", "1.4.0", "--format", "json", "--fail-on", "none",
                   cwd=tmp_path)
    (tmp_path / "accepted.json").write_text(older.stdout)
    run = stacml("audit", "item.json", "--to", "mlm", "--baseline", "accepted.json", "--format", "github",
                 "--fail-on", "none", cwd=tmp_path)
    assert run.returncode == 0 and run.stderr == ""
    assert run.stdout.splitlines()[0] == (f"::notice file=accepted.json,{title}::--baseline audited mlm 1.4.0; "
                                          "this audit is for 1.5.2")
    text = stacml("audit", "item.json", "--to", "mlm", "--baseline", "accepted.json", "--fail-on", "none", cwd=tmp_path)
    assert text.stderr.splitlines() == ["note: --baseline accepted.json audited mlm 1.4.0; this audit is for 1.5.2"]
