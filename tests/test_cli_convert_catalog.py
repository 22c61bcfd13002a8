"""`stacml convert` on whole catalogs, run as real processes on temporary catalogs built
from the official examples: layout and links kept, outputs valid, inputs untouched, bad
links never followed, faults isolated, interrupted runs resumed, --in-place backups."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CHECKOUT, SAMPLES, SPECS, is_mlm_summary_erratum, official_issues
from test_catalog import CATALOG_FILES, ML_MODEL, MLM, MLM_ITEMS, add_links, build_catalog, link, load, write

MLM_URI = "https://stac-extensions.github.io/mlm/v1.5.2/schema.json"
STRUCTURAL = ("root", "parent", "child", "item", "collection", "self")


def stacml(*args, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "translator", *map(str, args)], capture_output=True,
                          input=stdin, timeout=300, env=env)


def tree(directory: Path) -> dict[str, str]:
    """Every file below *directory* (hidden ones included) -> sha256."""
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def documents(directory: Path) -> dict[str, dict]:
    return {str(p.relative_to(directory)): json.loads(p.read_bytes())
            for p in sorted(directory.rglob("*.json")) if not p.name.startswith(".")}


def unresolved_links(directory: Path) -> list[str]:
    bad = []
    for rel, doc in documents(directory).items():
        for l in doc.get("links", []):
            href = l.get("href", "")
            if l.get("rel") in STRUCTURAL and "://" not in href and not href.startswith("/"):
                if not ((directory / rel).parent / href).is_file():
                    bad.append(f"{rel}: {l['rel']} {href}")
    return bad


def schema_issues(doc: dict) -> list:
    return [i for i in official_issues(doc) if not is_mlm_summary_erratum(i)]


@pytest.fixture
def catalog(tmp_path) -> Path:
    return build_catalog(tmp_path)


def test_a_catalog_converts_with_its_layout_links_and_a_full_report(catalog, tmp_path):
    before = tree(catalog.parent)
    out, report_path = tmp_path / "out", tmp_path / "report.json"
    run = stacml("convert", catalog, "--to", "mlm", "--fill-required", "-o", out, "--report", report_path, "-j", "2")
    assert run.returncode == 0, run.stderr
    assert tree(catalog.parent) == before                       # the input is untouched
    outputs = documents(out)
    assert sorted(outputs) == sorted(CATALOG_FILES)
    assert unresolved_links(out) == []
    for rel in ("catalog.json", "plain/catalog.json", "plain/item.json"):  # no ML extension: copied as is
        assert (out / rel).read_bytes() == (catalog.parent / rel).read_bytes()
    for rel in ["models/collection.json", "models/dummy/item.json", "models/cyclone/item.json"] + [
            f"mlm/{n}" for n in MLM_ITEMS]:
        doc = outputs[rel]
        assert MLM_URI in doc["stac_extensions"], rel
        assert not any("ml-model" in u for u in doc["stac_extensions"]), rel
        assert schema_issues(doc) == [], rel
    assert any(k.startswith("mlm:") for k in outputs["models/collection.json"]["summaries"])
    report = json.loads(report_path.read_text())
    assert report["format"] == "stacml-convert-report/1"
    entries = {e["source"]: e for e in report["documents"]}
    assert sorted(entries) == sorted(str(catalog.parent / r) for r in CATALOG_FILES)
    item = entries[str(catalog.parent / "models/dummy/item.json")]
    assert item["status"] == "translated" and item["output"] == str(out / "models/dummy/item.json")
    assert {l["pointer"] for l in item["losses"] if l["kind"] == "dropped"} >= {"/properties/ml-model:type"}
    unet = entries[str(catalog.parent / "mlm/item_pytorch_geo_unet.json")]  # its Item-level entry point is moved
    assert unet["status"] == "translated" and outputs["mlm/item_pytorch_geo_unet.json"]["assets"]["source_code"][
        "mlm:entrypoint"] == load(catalog.parent / "mlm/item_pytorch_geo_unet.json")["mlm:entrypoint"]
    # (the official MLM Collection uses mlm: summaries without declaring MLM: the repair declares it)
    assert entries[str(catalog.parent / "mlm/collection.json")]["status"] == "translated"
    assert MLM_URI in outputs["mlm/collection.json"]["stac_extensions"]
    totals = report["totals"]
    assert (totals["documents"], totals["translated"], totals["unchanged"], totals["copied"]) == (16, 5, 8, 3)
    assert totals["losses"]["dropped"] == sum(
        1 for e in report["documents"] for l in e.get("losses", []) if l["kind"] == "dropped")
    assert "16 document(s)" in run.stderr.decode() and "5 translated" in run.stderr.decode()


def test_links_out_of_the_root_and_cycles_are_reported_and_never_followed(catalog, tmp_path):
    outside = write(tmp_path / "outside.json", load(ML_MODEL / "dummy/item.json"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(outside, catalog.parent / "models" / "sneaky.json")
    os.symlink(elsewhere, catalog.parent / "models" / "away")
    write(elsewhere / "item.json", load(ML_MODEL / "dummy/item.json"))
    add_links(catalog.parent / "models/collection.json",
              link("item", "../../outside.json"), link("item", str(outside)), link("item", "./sneaky.json"),
              link("item", "./away/item.json"), link("item", "https://example.com/remote.json"))
    add_links(catalog.parent / "plain/catalog.json", link("child", "../catalog.json"))
    outside_before, elsewhere_before = outside.read_bytes(), tree(elsewhere)
    out = tmp_path / "out"
    run = stacml("convert", catalog, "--to", "mlm", "-o", out, "-j", "2")
    assert run.returncode == 0, run.stderr
    err = run.stderr.decode()
    assert err.count("leads outside the catalog root; not followed") == 3
    assert "absolute link" in err and "remote link https://example.com/remote.json not followed" in err
    assert err.count("(cycle)") == 1
    assert sorted(documents(out)) == sorted(CATALOG_FILES)   # nothing from outside, nothing twice
    assert outside.read_bytes() == outside_before and tree(elsewhere) == elsewhere_before
    assert not list(tmp_path.glob("*.json.*")) and sorted(p.name for p in tmp_path.iterdir()) == [
        "catalog", "elsewhere", "out", "outside.json"]


def test_an_output_directory_symlink_cannot_lead_writes_outside(catalog, tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    os.symlink(elsewhere, out / "models")
    run = stacml("convert", catalog, "--to", "mlm", "-o", out, "-j", "1")
    assert run.returncode == 1
    assert run.stderr.decode().count("refusing to write outside the output root") == 3
    assert list(elsewhere.iterdir()) == []
    assert (out / "mlm/item_basic.json").is_file()


def test_a_bad_document_fails_alone_and_strict_stops_at_it(catalog, tmp_path):
    (catalog.parent / "mlm/item_multi_io.json").write_text('{"type": "Feature",\n "id": ]')
    run = stacml("convert", catalog, "--to", "mlm", "-o", tmp_path / "out", "-j", "2")
    assert run.returncode == 1
    errors = [l for l in run.stderr.decode().splitlines() if l.startswith("error:")]
    assert len(errors) == 1
    assert errors[0].startswith(f"error: {catalog.parent / 'mlm/item_multi_io.json'}: invalid JSON at line 2 column 8")
    assert len(documents(tmp_path / "out")) == len(CATALOG_FILES) - 1
    assert b"Traceback" not in run.stderr
    strict = stacml("convert", catalog, "--to", "mlm", "-o", tmp_path / "strict", "-j", "1", "--strict")
    assert strict.returncode == 1
    assert len(documents(tmp_path / "strict")) < len(CATALOG_FILES) - 1


def test_item_collection_and_ndjson_through_stdin(tmp_path):
    items = [load(ML_MODEL / d / "item.json") for d in ("dummy", "cyclone-wind-speed")]
    source = write(tmp_path / "items.json", {"type": "FeatureCollection", "features": items})
    run = stacml("convert", source, "--to", "mlm", "--fill-required", "-o", tmp_path / "out.json")
    assert run.returncode == 0, run.stderr
    converted = load(tmp_path / "out.json")
    assert converted["type"] == "FeatureCollection" and len(converted["features"]) == 2
    assert all(schema_issues(f) == [] for f in converted["features"])
    lines = b"".join(json.dumps(load(MLM / n)).encode() + b"\n" for n in MLM_ITEMS * 3)
    run = stacml("convert", "-", "--to", "ml-model", "--fill-required", "-j", "2", stdin=lines)
    assert run.returncode == 0, run.stderr
    out = [json.loads(l) for l in run.stdout.splitlines()]
    assert [d["id"] for d in out] == [load(MLM / n)["id"] for n in MLM_ITEMS * 3]   # order kept
    assert all(schema_issues(d) == [] for d in out)
    assert all("ml-model:type" in d["properties"] for d in out)
    bad = lines + b"{not json\n" + lines[:lines.index(b"\n") + 1]
    run = stacml("convert", "-", "--to", "ml-model", "-j", "1", stdin=bad)
    assert run.returncode == 1 and f"error: -:{len(MLM_ITEMS) * 3 + 1}: invalid JSON".encode() in run.stderr
    assert len(run.stdout.splitlines()) == len(MLM_ITEMS) * 3 + 1
    # --strict stops at the first failed line: the later one, in the same block, is not reported
    twice = lines + b"{not json\n" + b"[1]\n" + lines
    run = stacml("convert", "-", "--to", "ml-model", "-j", "1", "--strict", stdin=twice)
    errors = [l for l in run.stderr.decode().splitlines() if l.startswith("error:")]
    assert run.returncode == 1 and len(errors) == 1, run.stderr
    assert errors[0].startswith(f"error: -:{len(MLM_ITEMS) * 3 + 1}: invalid JSON at line {len(MLM_ITEMS) * 3 + 1} column 2")


def test_in_place_keeps_backups_and_a_rerun_changes_nothing(catalog):
    root = catalog.parent
    before = tree(root)
    run = stacml("convert", catalog, "--to", "mlm", "--in-place", "--backup-suffix", ".orig", "-j", "2")
    assert run.returncode == 0, run.stderr
    after = tree(root)
    translated = ["models/collection.json", "models/dummy/item.json", "models/cyclone/item.json"]
    assert sorted(set(after) - set(before)) == sorted(r + ".orig" for r in translated)
    for rel in translated:
        assert after[rel + ".orig"] == before[rel] and after[rel] != before[rel]
        assert MLM_URI in load(root / rel)["stac_extensions"]
    assert all(after[r] == before[r] for r in before if r not in translated)
    again = stacml("convert", catalog, "--to", "mlm", "--in-place", "--backup-suffix", ".orig")
    assert again.returncode == 0 and tree(root) == after      # backups of the originals kept
    assert unresolved_links(root) == []


def test_dry_run_writes_nothing_and_says_what_would_change(catalog, tmp_path):
    before = tree(catalog.parent)
    run = stacml("convert", catalog, "--to", "mlm", "-o", tmp_path / "out", "--dry-run")
    assert run.returncode == 0, run.stderr
    assert not (tmp_path / "out").exists() and tree(catalog.parent) == before
    lines = run.stdout.decode().splitlines()
    assert sum(l.startswith("would translate") for l in lines) == 3
    assert sum(l.startswith("would copy") for l in lines) == 3
    assert f"-> {tmp_path / 'out' / 'models/dummy/item.json'}" in run.stdout.decode()


def test_a_killed_run_leaves_no_partial_file_and_a_rerun_completes(tmp_path):
    root = tmp_path / "big"
    item = load(ML_MODEL / "dummy/item.json")
    links = []
    for i in range(3000):
        write(root / f"items/{i:04d}/item.json", {**item, "id": f"item-{i}", "links": [link("parent", "../../collection.json")]})
        links.append(link("item", f"./items/{i:04d}/item.json"))
    collection = load(ML_MODEL / "dummy/collection.json")
    write(root / "collection.json", {**collection, "links": links})
    out = tmp_path / "out"
    args = [sys.executable, "-m", "translator", "convert", str(root / "collection.json"), "--to", "mlm", "-o", str(out),
            "-j", "2", "-q"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("items/*/item.json"))) < 300:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)   # the run and its workers
    proc.wait()
    written = list(out.glob("items/*/item.json"))
    assert 300 <= len(written) < 3000
    for path in written:                 # every output there is complete
        assert json.loads(path.read_bytes())["properties"]["mlm:name"]
    run = stacml("convert", root / "collection.json", "--to", "mlm", "-o", out, "-j", "2", "--report",
                 tmp_path / "r.json")
    assert run.returncode == 0, run.stderr
    totals = json.loads((tmp_path / "r.json").read_text())["totals"]
    assert totals["up_to_date"] >= len(written) and totals["translated"] == 3001 - totals["up_to_date"]
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert len(list(out.glob("items/*/item.json"))) == 3000
    fresh = stacml("convert", root / "collection.json", "--to", "mlm", "-o", tmp_path / "fresh", "-j", "2")
    assert fresh.returncode == 0
    visible = {k: v for k, v in tree(out).items() if not k.startswith(".")}
    assert visible == {k: v for k, v in tree(tmp_path / "fresh").items() if not k.startswith(".")}
    forced = stacml("convert", root / "collection.json", "--to", "mlm", "-o", out, "-j", "2", "--force")
    assert b"3001 translated" in forced.stderr


def test_validate_reports_invalid_outputs_and_fail_on_counts_losses(catalog, tmp_path):
    env = {**os.environ, "STACML_SCHEMAS": str(SPECS), "STACML_CACHE": str(tmp_path / "cache")}
    run = stacml("convert", catalog, "--to", "mlm", "-o", tmp_path / "a", "--validate", env=env)
    assert run.returncode == 1   # without --fill-required the ml-model items lack mlm:input
    invalid = [l for l in run.stderr.decode().splitlines() if l.startswith("invalid:")]
    assert any("models/dummy/item.json: /properties: " in l and "mlm:input" in l for l in invalid)
    run = stacml("convert", catalog, "--to", "mlm", "--fill-required", "-o", tmp_path / "b", "--validate",
                 "--fail-on", "synthesized", env=env)
    assert run.returncode == 1 and b"failing on losses: 6 synthesized" in run.stderr
    run = stacml("convert", catalog, "--to", "mlm", "--fill-required", "-o", tmp_path / "c",
                 "--fail-on", "unknown,lossy", env=env)
    assert run.returncode == 0, run.stderr


def test_the_run_report_gives_the_validation_verdict_of_each_output(catalog, tmp_path):
    """With --validate an entry's `valid` is the verdict (as in a single document's report): true for
    an output that passed, also when a rerun finds it up to date and validates it again."""
    env = {**os.environ, "STACML_SCHEMAS": str(SPECS), "STACML_CACHE": str(tmp_path / "cache")}
    out = tmp_path / "out"
    for report, status in ((tmp_path / "first.json", "translated"), (tmp_path / "again.json", "up-to-date")):
        run = stacml("convert", catalog, "--to", "mlm", "-o", out, "--validate", "--report", report, env=env)
        assert run.returncode == 1, run.stderr  # without --fill-required the ml-model items lack mlm:input
        entries = [e for e in json.loads(report.read_text())["documents"] if "to" in e]
        assert {e["valid"] for e in entries if e["status"] == status} == {True, False}
        for entry in entries:
            assert entry["valid"] is not (entry["problems"] or "validation" in entry), entry["source"]


def test_fail_on_fails_a_rerun_whose_outputs_are_up_to_date(catalog, tmp_path):
    out = tmp_path / "out"
    first = stacml("convert", catalog, "--to", "mlm", "-o", out, "--fail-on", "dropped", "-j", "1")
    assert first.returncode == 1 and b"failing on losses: " in first.stderr
    failing = [l for l in first.stderr.splitlines() if l.startswith(b"failing on losses: ")]
    written = {p: p.stat().st_mtime_ns for p in out.rglob("*.json") if not p.name.startswith(".")}
    for jobs in ("1", "2"):  # the same CI command, run again: the losses are counted, nothing is written
        run = stacml("convert", catalog, "--to", "mlm", "-o", out, "--fail-on", "dropped", "-j", jobs)
        assert run.returncode == 1, run.stderr
        assert f"{len(CATALOG_FILES)} up-to-date".encode() in run.stderr and b"translated" not in run.stderr
        assert [l for l in run.stderr.splitlines() if l.startswith(b"failing on losses: ")] == failing
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.json") if not p.name.startswith(".")} == written
    run = stacml("convert", catalog, "--to", "mlm", "-o", out, "--fail-on", "unknown", "-j", "1")
    assert run.returncode == 0, run.stderr
    # -q keeps the line that says why the run fails (as it does for one document)
    quiet = stacml("convert", catalog, "--to", "mlm", "-o", out, "--fail-on", "dropped", "-j", "1", "-q")
    assert quiet.returncode == 1 and quiet.stderr.splitlines() == failing


@pytest.mark.parametrize("extra,message", [
    ([], b"is a catalog: give -o OUT_DIR"),
    (["-o", "{root}/sub"], b"overlap"),
    (["--in-place", "-o", "x"], b"--in-place rewrites the input: it takes no -o"),
    (["-o", "{tmp}/out", "--fail-on", "lost"], b"error: invalid value for '--fail-on': lost: "),
])
def test_usage_errors_exit_2(catalog, tmp_path, extra, message):
    args = [a.format(root=catalog.parent, tmp=tmp_path) for a in extra]
    run = stacml("convert", catalog, "--to", "mlm", *args)
    assert run.returncode == 2 and message in run.stderr, run.stderr
    assert b"Traceback" not in run.stderr


def test_a_directory_and_a_single_catalog_file(catalog, tmp_path):
    run = stacml("convert", catalog.parent, "--to", "mlm", "-o", tmp_path / "dir", "-j", "1")
    assert run.returncode == 0, run.stderr
    assert sorted(documents(tmp_path / "dir")) == sorted(CATALOG_FILES)
    run = stacml("convert", MLM / "collection.json", "--to", "mlm", "-o", tmp_path / "one.json")
    assert run.returncode == 0 and b"9 child/item link(s) not converted" in run.stderr
    assert load(tmp_path / "one.json")["id"] == load(MLM / "collection.json")["id"]


def test_a_rerun_converts_again_what_changed(catalog, tmp_path):
    out = tmp_path / "out"
    assert stacml("convert", catalog, "--to", "mlm", "-o", out, "-j", "1").returncode == 0
    dummy = catalog.parent / "models/dummy/item.json"
    doc = load(dummy)
    doc["properties"]["ml-model:architecture"] = "ResNet-50"
    write(dummy, doc)
    os.utime(dummy, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))  # surely newer than its output
    run = stacml("convert", catalog, "--to", "mlm", "-o", out, "-j", "1")
    assert b"1 translated" in run.stderr and b"up-to-date" in run.stderr
    assert load(out / "models/dummy/item.json")["properties"]["mlm:architecture"] == "ResNet-50"
    # other options: the earlier outputs are not reused
    run = stacml("convert", catalog, "--to", "mlm", "--fill-required", "-o", out, "-j", "1")
    assert b"converting every document again" in run.stderr and b"up-to-date" not in run.stderr
    assert "mlm:input" in load(out / "models/dummy/item.json")["properties"]


def test_another_source_into_the_same_output_converts_every_document_again(tmp_path):
    first, second, out = tmp_path / "first", tmp_path / "second", tmp_path / "out"
    write(first / "models/item.json", load(SAMPLES / "dlm-item.json"))
    write(second / "models/item.json", load(SAMPLES / "ml-model-item.json"))
    os.utime(second / "models/item.json", (1704067200, 1704067200))  # 2024: older than any output (tar, cp -p)
    assert stacml("convert", first, "--to", "mlm", "-o", out, "-j", "1").returncode == 0
    run = stacml("convert", second, "--to", "mlm", "-o", out, "-j", "1")
    assert run.returncode == 0 and b"converting every document again" in run.stderr, run.stderr
    assert b"1 translated" in run.stderr and b"up-to-date" not in run.stderr
    assert load(out / "models/item.json")["id"] == load(SAMPLES / "ml-model-item.json")["id"]
    # the same source, however named (relative, through a symlink), is still the same
    (tmp_path / "link").symlink_to(second)
    for src in (tmp_path / "link", Path("second")):
        run = subprocess.run([sys.executable, "-m", "translator", "convert", str(src), "--to", "mlm", "-o", str(out),
                              "-j", "1"], capture_output=True, timeout=300, cwd=tmp_path, env=CHECKOUT)
        assert run.returncode == 0 and b"1 up-to-date" in run.stderr, run.stderr


def test_undoing_with_another_report_converts_every_document_again(tmp_path):
    source, out, back = tmp_path / "src", tmp_path / "a", tmp_path / "back"
    write(source / "models/item.json", load(SAMPLES / "ml-model-item.json"))
    for name, extra in (("a", ["--fill-required"]), ("b", [])):  # two reports of the same document
        run = stacml("convert", source, "--to", "mlm", "-o", tmp_path / name, "--report", tmp_path / f"{name}.json",
                     "--keep-residue", "-j", "1", *extra)
        assert run.returncode == 0, run.stderr
    assert stacml("convert", out, "--restore", tmp_path / "a.json", "-o", back, "-j", "1").returncode == 0
    assert load(back / "models/item.json") == load(SAMPLES / "ml-model-item.json")
    run = stacml("convert", out, "--restore", tmp_path / "b.json", "-o", back, "-j", "1")
    assert b"converting every document again" in run.stderr and b"up-to-date" not in run.stderr, run.stderr


def test_single_file_outputs_in_place_and_into_a_directory(tmp_path):
    items = [load(ML_MODEL / d / "item.json") for d in ("dummy", "cyclone-wind-speed")]
    lines = b"".join(json.dumps(d).encode() + b"\n" for d in items)
    source = tmp_path / "items.ndjson"
    source.write_bytes(lines)
    run = stacml("convert", source, "--to", "mlm", "--in-place", "-j", "1")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "items.ndjson.bak").read_bytes() == lines
    assert [MLM_URI in json.loads(l)["stac_extensions"] for l in source.read_bytes().splitlines()] == [True, True]
    collection = write(tmp_path / "ic.json", {"type": "FeatureCollection", "features": items})
    (tmp_path / "outdir").mkdir()
    run = stacml("convert", collection, "--to", "mlm", "-o", tmp_path / "outdir")
    assert run.returncode == 0, run.stderr
    assert len(load(tmp_path / "outdir" / "ic.json")["features"]) == 2


def test_relative_output_paths_work_from_the_current_directory(catalog, tmp_path):
    """`-o out/` as the README writes it: relative to where the command runs."""
    run = subprocess.run([sys.executable, "-m", "translator", "convert", "catalog/catalog.json", "--to", "mlm",
                          "-o", "out/", "-j", "1", "-q"], capture_output=True, timeout=300, cwd=tmp_path, env=CHECKOUT)
    assert run.returncode == 0, run.stderr
    assert sorted(documents(tmp_path / "out")) == sorted(CATALOG_FILES)
    assert unresolved_links(tmp_path / "out") == []


def test_a_catalog_conversion_is_undone_exactly_with_restore(catalog, tmp_path):
    out, back, report = tmp_path / "out", tmp_path / "back", tmp_path / "run.json"
    run = stacml("convert", catalog, "--to", "mlm", "--fill-required", "-o", out, "--report", report,
                 "--keep-residue", "-j", "2")
    assert run.returncode == 0, run.stderr
    entries = json.loads(report.read_text())["documents"]
    assert all("residue" in e and "key" in e for e in entries if e["status"] in ("translated", "unchanged"))
    run = stacml("convert", out / "catalog.json", "--to", "ml-model", "--restore", report, "-o", back, "-j", "2")
    assert run.returncode == 0, run.stderr
    # ml-model items back exactly; MLM documents left alone as repaired (the U-Net example's entry point
    # moved; the Collection declares MLM)
    repaired = ("mlm/item_pytorch_geo_unet.json", "mlm/collection.json")
    assert documents(back) == {**documents(catalog.parent), **{rel: documents(out)[rel] for rel in repaired}}
    for rel in ("models/dummy/item.json", "models/collection.json"):
        assert (back / rel).read_bytes() != (out / rel).read_bytes()


def test_a_mixed_catalog_goes_back_to_each_document_s_own_extension_without_to(catalog, tmp_path):
    """ml-model and MLM documents converted to DLM: --restore without --to undoes both."""
    out, back, report = tmp_path / "out", tmp_path / "back", tmp_path / "run.json"
    run = stacml("convert", catalog, "--to", "dlm", "-o", out, "--report", report, "--keep-residue", "-j", "2")
    assert run.returncode == 0, run.stderr
    sources = {e["from"]["extension"] for e in json.loads(report.read_text())["documents"] if "from" in e}
    assert sources == {"ml-model", "mlm"}
    run = stacml("convert", out / "catalog.json", "--restore", report, "-o", back, "-j", "2")
    assert run.returncode == 0, run.stderr
    assert documents(back) == documents(catalog.parent)
    assert b"losses" not in run.stderr and b"not schema-valid" not in run.stderr  # exact: nothing lost
    run = stacml("convert", out / "catalog.json", "--restore", report, "--to", "ml-model", "-o", tmp_path / "b2")
    errors = [l for l in run.stderr.decode().splitlines() if l.startswith("error:")]
    assert run.returncode == 1 and len(errors) == len(MLM_ITEMS) + 1
    assert all(e.endswith("the restore report is for a translation from mlm, not ml-model") for e in errors)
    assert stacml("convert", out / "catalog.json", "-o", tmp_path / "b3").returncode == 2


def test_restore_of_one_document_and_its_usage_errors(tmp_path):
    source = SPECS / "ml-model/1.0.0/examples/dummy/item.json"
    converted, report, back = tmp_path / "mlm.json", tmp_path / "report.json", tmp_path / "back.json"
    assert stacml("convert", source, "--to", "mlm", "--fill-required", "-o", converted,
                  "--report", report).returncode == 0
    run = stacml("convert", converted, "--to", "ml-model", "--restore", report, "-o", back)
    assert run.returncode == 0, run.stderr
    assert json.loads(back.read_bytes()) == json.loads(source.read_bytes())
    run = stacml("convert", converted, "--to", "ml-model", "--keep-residue")
    assert run.returncode == 2 and b"--report" in run.stderr
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps({"format": "stacml-convert-report/1", "documents": [{"source": "x"}]}))
    run = stacml("convert", converted, "--to", "ml-model", "--restore", bare)
    assert run.returncode == 2 and b"--keep-residue" in run.stderr and b"Traceback" not in run.stderr


def test_a_damaged_restore_report_is_a_usage_error_at_its_pointer(tmp_path):
    """What --restore needs of a report (what was translated to what, the residue, a run entry's
    key) is checked when it is read: a damaged part is one usage error line naming the option, the
    file and the JSON pointer (it failed each document with exit 1, or with an unexpected failure).
    A version the table does not know is found there too, not once per document it would undo."""
    source = SPECS / "ml-model/1.0.0/examples/dummy/item.json"
    converted, report = tmp_path / "mlm.json", tmp_path / "report.json"
    assert stacml("convert", source, "--to", "mlm", "-o", converted, "--report", report).returncode == 0
    good = json.loads(report.read_text())
    assert good["residue"]
    run_entry = {"key": ["Feature", None, "x"], "from": good["source"], "to": good["target"], "residue": []}
    damaged = tmp_path / "damaged.json"
    for change, pointer in (
            (lambda r: r["residue"].__setitem__(0, 5), "/residue/0"),
            (lambda r: r["residue"][0].pop("pointer"), "/residue/0/pointer"),
            (lambda r: r["residue"][-1].update(op="set", value=None) or r["residue"][-1].pop("value"),
             f"/residue/{len(good['residue']) - 1}/value"),
            (lambda r: r.update(residue={}), "/residue"),
            (lambda r: r["source"].update(extension=5), "/source/extension"),
            (lambda r: r["source"].update(extension="onnx"), "/source/extension"),
            (lambda r: r["source"].update(version="0.9"), "/source/version"),
            (lambda r: r["target"].update(version=7), "/target/version"),
            (lambda r: r.update(format="stacml-convert-report/1", documents=[
                run_entry, {**run_entry, "key": ["Feature", None, "y"], "to": {"extension": "mlm", "version": "9"}}]),
             "/documents/1/to/version"),
            (lambda r: r.update(target=None), "/target"),
            (lambda r: r.update(format="stacml-convert-report/1", documents=5), "/documents"),
            (lambda r: r.update(format="stacml-convert-report/1", documents=[{**run_entry, "key": "x"}]),
             "/documents/0/key"),
            (lambda r: r.update(format="stacml-convert-report/1", documents=[{**run_entry, "from": {}}]),
             "/documents/0/from/extension")):
        data = json.loads(report.read_text())
        change(data)
        damaged.write_text(json.dumps(data))
        run = stacml("convert", converted, "--restore", damaged, "-o", tmp_path / "back.json")
        assert run.returncode == 2, (pointer, run.stderr)
        (line,) = run.stderr.decode().splitlines()
        assert line.startswith(f"error: --restore {damaged}: {pointer}: "), line
        assert not (tmp_path / "back.json").exists()
    # what a restore does not need (the losses) is not read
    data = {**good, "losses": [5]}
    damaged.write_text(json.dumps(data))
    run = stacml("convert", converted, "--restore", damaged, "-o", tmp_path / "back.json")
    assert run.returncode == 0, run.stderr
    assert json.loads((tmp_path / "back.json").read_bytes()) == json.loads(source.read_bytes())


def test_copy_assets_brings_relative_asset_files_along_and_nothing_else(catalog, tmp_path):
    item_path = catalog.parent / "models/dummy/item.json"
    item = json.loads(item_path.read_text())
    (item_path.parent / "weights").mkdir()
    (item_path.parent / "weights/model.pt").write_bytes(b"\x00weights")
    (tmp_path / "secret.bin").write_bytes(b"outside")
    item["assets"].update({"local": {"href": "./weights/model.pt", "roles": ["ml-model:checkpoint"]},
                           "escape": {"href": "../../../secret.bin"}, "gone": {"href": "missing.bin"},
                           "remote": {"href": "https://example.com/model.pt"}})
    item_path.write_text(json.dumps(item))
    out = tmp_path / "out"
    run = stacml("convert", catalog, "--to", "mlm", "-o", out, "--dry-run", "--copy-assets", "-j", "1")
    assert run.returncode == 0 and not out.exists()
    run = stacml("convert", catalog, "--to", "mlm", "-o", out, "--copy-assets", "-j", "2")
    assert run.returncode == 0, run.stderr
    copied = out / "models/dummy/weights/model.pt"
    assert copied.read_bytes() == b"\x00weights"
    assert not (tmp_path / "out/secret.bin").exists() and not list(out.rglob("secret.bin"))
    stderr = run.stderr.decode()
    assert "/assets/escape: asset ../../../secret.bin lies outside the input root" in stderr
    assert "/assets/gone: asset missing.bin is not a file" in stderr
    assert "remote" not in stderr
    assert not list(out.rglob("*.tmp"))
    run = stacml("convert", catalog, "--to", "mlm", "-o", tmp_path / "plain", "-j", "1")
    assert run.returncode == 0 and not (tmp_path / "plain/models/dummy/weights").exists()


def test_copy_assets_on_a_rerun_copies_changed_and_missing_assets_of_up_to_date_documents(catalog, tmp_path):
    item_path = catalog.parent / "models/dummy/item.json"
    item = load(item_path)
    item["assets"]["weights"] = {"href": "./weights.pt", "roles": ["ml-model:checkpoint"]}
    write(item_path, item)
    weights = item_path.parent / "weights.pt"
    weights.write_bytes(b"v1")
    out = tmp_path / "out"
    assert stacml("convert", catalog, "--to", "mlm", "-o", out, "-j", "1").returncode == 0
    copy, output = out / "models/dummy/weights.pt", out / "models/dummy/item.json"
    assert not copy.exists()
    converted = output.stat().st_mtime_ns

    def rerun(jobs: str) -> None:
        run = stacml("convert", catalog, "--to", "mlm", "-o", out, "--copy-assets", "-j", jobs)
        assert run.returncode == 0, run.stderr
        assert f"{len(CATALOG_FILES)} up-to-date".encode() in run.stderr   # no document translated again
        assert output.stat().st_mtime_ns == converted

    rerun("1")                               # --copy-assets added on a rerun
    assert copy.read_bytes() == b"v1"
    weights.write_bytes(b"v2-retrained")     # new weights, the item unchanged
    later = time.time_ns() + 10**9
    os.utime(weights, ns=(later, later))
    rerun("2")
    assert copy.read_bytes() == b"v2-retrained"
    copied = copy.stat().st_mtime_ns
    rerun("1")                               # up to date: not copied again
    assert copy.stat().st_mtime_ns == copied
    copy.unlink()
    rerun("1")
    assert copy.read_bytes() == b"v2-retrained"
    assert not list(out.rglob("*.tmp"))


@pytest.mark.parametrize("report, code, message", [
    ("not json", 2, b"--restore"),
    ('{"format": "stacml-convert-report/1", "documents": [{"key": 5}]}', 2, b"--keep-residue"),
    ('{"format": "stacml-convert-report/1", "documents": [{"key": 5, "residue": []}]}', 2, b": /documents/0/from: "),
    ('{"source": {"extension": "ml-model", "version": "1.0.0"}, "target": {"extension": "mlm", '
     '"version": "1.5.2"}, "residue": [{"op": "set"}]}', 2, b": /residue/0/pointer: not a JSON pointer"),
    ('{"source": {"extension": "ml-model", "version": "1.0.0"}, "target": {"extension": "mlm", '
     '"version": "1.5.2"}, "residue": [{"op": "set", "pointer": "/links/99/href", "value": 1}]}', 1,
     b"does not fit this document"),
])
def test_a_damaged_restore_report_is_a_clear_error(tmp_path, report, code, message):
    converted = tmp_path / "mlm.json"
    assert stacml("convert", SPECS / "ml-model/1.0.0/examples/dummy/item.json", "--to", "mlm", "-o",
                  converted).returncode == 0
    damaged = tmp_path / "damaged.json"
    damaged.write_text(report)
    run = stacml("convert", converted, "--to", "ml-model", "--restore", damaged)
    assert run.returncode == code and message in run.stderr and b"Traceback" not in run.stderr, run.stderr


def test_a_repeated_key_fails_its_document_in_a_catalog_and_lenient_keeps_the_last(tmp_path):
    item = load(ML_MODEL / "dummy" / "item.json")
    source = tmp_path / "in"
    source.mkdir()
    write(source / "ok.json", item)
    text = json.dumps(item, indent=1)
    twice = text.replace('"ml-model:type": "ml-model"', '"ml-model:type": "ml-model", "ml-model:type": "other"', 1)
    assert twice != text
    (source / "twice.json").write_text(twice)
    lines = (json.dumps(item) + "\n" + " ".join(twice.split()) + "\n").encode()
    run = stacml("convert", source, "--to", "mlm", "-o", tmp_path / "out", "-j", "1")
    assert run.returncode == 1 and b"Traceback" not in run.stderr
    assert f"error: {source / 'twice.json'}: /properties/ml-model:type: the key 'ml-model:type' appears twice".encode() \
        in run.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")) == ["ok.json"]
    run = stacml("convert", "-", "--to", "mlm", "-j", "1", stdin=lines)
    assert run.returncode == 1 and b"error: -:2: /properties/ml-model:type: the key" in run.stderr
    report = tmp_path / "run.json"
    run = stacml("convert", source, "--to", "mlm", "-o", tmp_path / "lenient", "--lenient-json", "--report", report)
    assert run.returncode == 0, run.stderr
    entries = {Path(d["source"]).name: d for d in json.loads(report.read_text())["documents"]}
    assert [f["code"] for f in entries["twice.json"]["findings"] if f["code"] == "lenient-json"] == ["lenient-json"]
    assert not [f for f in entries["ok.json"]["findings"] if f["code"] == "lenient-json"]
    # the value the lenient read lost is a loss like any other (an audit fails on it)
    lost = [l for l in entries["twice.json"]["losses"] if "repeated" in l["reason"]]
    assert [(l["pointer"], l["kind"], l["value"]) for l in lost] == [("/properties/ml-model:type", "dropped", "ml-model")]


def test_integers_beyond_64_bits_survive_directories_ndjson_and_training_data(tmp_path):
    text = json.dumps(load(ML_MODEL / "dummy" / "item.json")).replace(
        '"ml-model:type": "ml-model"', '"ml-model:type": "ml-model", "x:n": 340282366920938463463374607431768211455', 1)
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.json").write_text(text)
    (tmp_path / "in.ndjson").write_text(text + "\n" + text + "\n")
    run = stacml("convert", source, "--to", "mlm", "-o", tmp_path / "out", "--training-data", source / "a.json")
    assert run.returncode == 0 and b"Traceback" not in run.stderr, run.stderr
    assert json.loads((tmp_path / "out" / "a.json").read_text())["properties"]["x:n"] == 2**128 - 1
    run = stacml("convert", tmp_path / "in.ndjson", "--to", "mlm", "-o", tmp_path / "out.ndjson", "-j", "1")
    assert run.returncode == 0, run.stderr
    lines = (tmp_path / "out.ndjson").read_text().splitlines()
    assert [json.loads(line)["properties"]["x:n"] for line in lines] == [2**128 - 1] * 2


def test_an_item_collection_read_leniently_says_the_repairs_were_counted_for_the_file(tmp_path):
    item = load(ML_MODEL / "dummy" / "item.json")
    text = json.dumps({"type": "FeatureCollection", "features": [item, {**item, "id": "second"}]}, indent=1)
    source = tmp_path / "items.json"
    source.write_text("// two models\n" + text)
    report = tmp_path / "run.json"
    run = stacml("convert", source, "--to", "mlm", "-o", tmp_path / "out.json", "--lenient-json", "--report", report)
    assert run.returncode == 0, run.stderr
    messages = [[f["message"] for f in d["findings"] if f["code"] == "lenient-json"]
                for d in json.loads(report.read_text())["documents"]]
    assert len(messages) == 2
    assert all(m == ["1 lenient repair(s) in the file this document was read from (not only in this document): "
                     "comments or trailing commas removed, or the last value of a repeated key kept"] for m in messages)


def test_the_run_report_inside_the_output_or_a_catalog_root(catalog, tmp_path):
    # the sweep of killed runs' temporary files spared nothing, not even this run's own report
    out = tmp_path / "out"
    for _ in range(2):  # the rerun finds its earlier report in place
        run = stacml("convert", catalog, "--to", "mlm", "-o", out, "--report", out / "run.json", "-j", "1")
        assert run.returncode == 0, run.stderr
        assert json.loads((out / "run.json").read_text())["format"] == "stacml-convert-report/1"
    root = catalog.parent
    for _ in range(2):
        run = stacml("convert", catalog, "--to", "mlm", "-o", tmp_path / "o2", "--report", root / "run.json")
        assert run.returncode == 0, run.stderr
    document = root / "models/dummy/item.json"
    before = document.read_bytes()
    run = stacml("convert", catalog, "--to", "mlm", "-o", tmp_path / "o3", "--report", document)
    assert run.returncode == 2 and b"is a file inside the input" in run.stderr
    run = stacml("convert", root, "--to", "mlm", "-o", tmp_path / "o4", "--report", root / "dir-run.json")
    assert run.returncode == 2 and b"is inside the input directory" in run.stderr
    assert document.read_bytes() == before and not (root / "dir-run.json").exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path, jobs):
    # `stacml convert items.ndjson --to mlm | head`: no error, the exit code a shell gives SIGPIPE
    line = json.dumps(load(ML_MODEL / "dummy" / "item.json")).encode() + b"\n"
    source = tmp_path / "items.ndjson"
    source.write_bytes(line * 3000)
    proc = subprocess.Popen([sys.executable, "-m", "translator", "convert", source, "--to", "mlm", "-j", jobs],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert json.loads(proc.stdout.readline())["id"] == "model-item"
    proc.stdout.close()
    stderr = proc.stderr.read()
    assert proc.wait(timeout=120) == 141
    assert b"error" not in stderr and b"Traceback" not in stderr
