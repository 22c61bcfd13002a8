"""Where in an output holding many documents (NDJSON, an ItemCollection) each document went: the
`invalid:` lines of --validate and the run report name the output line or feature, and --restore
finds a residue by that place before the document's key.
Real runs (processes, on the code of this checkout) on documents built from the official examples."""
from __future__ import annotations

import json

import pytest

from conftest import SPECS, resolve, schema_issues
from test_catalog import ML_MODEL, load, write
from test_catalog_runs import stacml

MLM_ITEM = SPECS / "mlm/1.5.2/examples/item_basic.json"


def valid_mlm(n: int) -> dict:
    """An MLM Item that stays valid; its description makes a few lines fill a block of a run."""
    doc = load(MLM_ITEM)
    doc["id"] = f"valid-{n}"
    doc["properties"]["description"] = "padding " * 2500
    return doc


def invalid_mlm_to_be(n: int) -> dict:
    """An ml-model Item whose MLM translation is not schema-valid (mlm:input, mlm:output missing)."""
    doc = load(ML_MODEL / "dummy/item.json")
    doc["id"] = f"invalid-{n}"
    return doc


def invalid_lines(run) -> list[str]:
    return [line for line in run.stderr.splitlines() if line.startswith("invalid:")]


def expected_invalid(where: str, out_name: str, output: dict) -> list[str]:
    return [f"invalid: {where} -> {out_name}: {i.pointer or '(root)'}: {i.message}" for i in schema_issues(output)]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_invalid_ndjson_output_line_is_named_by_its_line_in_the_output(tmp_path, jobs):
    """`invalid: items.ndjson:7 (output): /properties: ...` gave the input line only; the output
    line differs once a line failed (left out) or was blank, so the pointer could not be looked
    up. The line now names the output line (`-> mlm.ndjson:5`, stdout `-> -:5`), and the run
    report entry of every line written has `output` and `output_line`, also across the blocks
    the run hands its workers (the padded lines fill more than one)."""
    lines: list[str] = []
    for n in range(60):
        if n % 15 == 3:
            lines.append("")                              # blank: not written
        elif n % 15 == 7:
            lines.append('{"type": "Feature", ')          # fails: left out of the output
        elif n % 15 == 11:
            lines.append(json.dumps(invalid_mlm_to_be(n)))
        else:
            lines.append(json.dumps(valid_mlm(n)))
    (tmp_path / "items.ndjson").write_text("\n".join(lines) + "\n")
    assert (tmp_path / "items.ndjson").stat().st_size > 2 * 256 * 1024  # several blocks
    run = stacml("convert", "items.ndjson", "--to", "mlm", "-o", "mlm.ndjson", "--validate", "--schemas", SPECS,
                 "--report", "run.json", "-j", jobs, cwd=tmp_path)
    assert run.returncode == 1
    written = [json.loads(line) for line in (tmp_path / "mlm.ndjson").read_text().splitlines()]
    out_line = {doc["id"]: number for number, doc in enumerate(written, 1)}
    expected: list[str] = []
    entries = {}
    for number, line in enumerate(lines, 1):
        if line and not line.endswith(", "):
            doc_id = json.loads(line)["id"]
            entries[number] = out_line[doc_id]
            if doc_id.startswith("invalid-"):
                expected += expected_invalid(f"items.ndjson:{number}", f"mlm.ndjson:{out_line[doc_id]}",
                                             written[out_line[doc_id] - 1])
    assert expected and invalid_lines(run) == expected
    assert any(number != place for number, place in entries.items())  # the two numberings do differ
    report = json.loads((tmp_path / "run.json").read_text())
    for entry in report["documents"]:
        if entry["status"] == "failed":
            assert "output" not in entry and "output_line" not in entry
            continue
        assert (entry["output"], entry["output_line"]) == ("mlm.ndjson", entries[entry["line"]])
        assert list(entry)[:5] == ["source", "line", "status", "output", "output_line"]
        issues = schema_issues(written[entry["output_line"] - 1])
        assert entry.get("validation", []) == [{"pointer": i.pointer, "in": "output", "message": i.message}
                                               for i in issues]
    assert sorted(e["line"] for e in report["documents"] if e["status"] != "failed") == sorted(entries)
    # to stdout, the output is named as stdin is, by its line
    stdout = stacml("convert", "items.ndjson", "--to", "mlm", "--validate", "--schemas", SPECS, "-j", jobs,
                    cwd=tmp_path)
    assert invalid_lines(stdout) == [line.replace("-> mlm.ndjson:", "-> -:") for line in expected]


def test_an_invalid_itemcollection_feature_is_named_by_its_place_in_the_output(tmp_path):
    """A feature that fails is left out of the output ItemCollection, so the features after it
    move: `invalid: fc.json /features/2 (output)` named the input place only. The line names the
    output's (`-> out.json /features/1`), and so does the report entry (`output_pointer`)."""
    features = [7, invalid_mlm_to_be(1), {"type": "Feature", "id": "no-extension", "properties": {}},
                {**invalid_mlm_to_be(2), "type": "Thing"}, invalid_mlm_to_be(3), valid_mlm(4)]
    write(tmp_path / "fc.json", {"type": "FeatureCollection", "features": features})
    run = stacml("convert", "fc.json", "--to", "mlm", "-o", "out.json", "--validate", "--schemas", SPECS,
                 "--report", "run.json", cwd=tmp_path)
    assert run.returncode == 1
    output = load(tmp_path / "out.json")
    places = {f"/features/{i}": f["id"] for i, f in enumerate(output["features"])}
    assert places == {"/features/0": "invalid-1", "/features/1": "no-extension", "/features/2": "invalid-3",
                      "/features/3": "valid-4"}
    assert invalid_lines(run) == (
        expected_invalid("fc.json /features/1", "out.json /features/0", output["features"][0])
        + expected_invalid("fc.json /features/4", "out.json /features/2", output["features"][2]))
    entries = json.loads((tmp_path / "run.json").read_text())["documents"]
    assert [(e["pointer"], e["status"], e.get("output"), e.get("output_pointer")) for e in entries] == [
        ("/features/0", "failed", None, None), ("/features/1", "translated", "out.json", "/features/0"),
        ("/features/2", "copied", "out.json", "/features/1"), ("/features/3", "failed", None, None),
        ("/features/4", "translated", "out.json", "/features/2"), ("/features/5", "unchanged", "out.json", "/features/3")]
    for entry in entries:
        if entry["status"] != "failed":
            assert resolve(output, entry["output_pointer"])["id"] == features[int(entry["pointer"][10:])]["id"]


def twins() -> list[dict]:
    """Two Items of one type, collection and id that differ (a field with no MLM home)."""
    first, second = invalid_mlm_to_be(0), invalid_mlm_to_be(0)
    second["properties"]["ml-model:training-os"] = "windows"
    assert first != second
    return [first, second]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_restore_finds_an_ndjson_line_by_its_output_line_before_its_key(tmp_path, jobs):
    """Two lines of one key could not be restored (matched by key alone, which they share); the
    run report now records each line's output line, and --restore matches the converted file's
    lines by it, so both come back exactly."""
    originals = twins()
    (tmp_path / "items.ndjson").write_text("".join(json.dumps(d) + "\n" for d in originals) + "\n[1]\n")
    assert stacml("convert", "items.ndjson", "--to", "mlm", "-o", "mlm.ndjson", "--report", "run.json",
                  "--keep-residue", "-j", jobs, cwd=tmp_path).returncode == 1  # (the array line fails)
    entries = json.loads((tmp_path / "run.json").read_text())["documents"]
    assert [(e["line"], e.get("output"), e.get("output_line")) for e in entries] == [
        (1, "mlm.ndjson", 1), (2, "mlm.ndjson", 2), (4, None, None)]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()  # the report's cwd, not the restore's, names the outputs
    back = stacml("convert", tmp_path / "mlm.ndjson", "--restore", tmp_path / "run.json", "-o", "back.ndjson",
                  "-j", jobs, cwd=elsewhere)
    assert back.returncode == 0, back.stderr
    assert [json.loads(line) for line in (elsewhere / "back.ndjson").read_text().splitlines()] == originals


def test_restore_by_output_line_counts_only_for_the_same_document(tmp_path):
    """A line is matched by its place only when it holds the document the report recorded there
    (same key): lines reordered after the conversion are still restored, each by its key, never
    with the residue of the line that was there."""
    originals = [invalid_mlm_to_be(1), invalid_mlm_to_be(2)]
    originals[1]["properties"]["ml-model:training-os"] = "windows"
    (tmp_path / "items.ndjson").write_text("".join(json.dumps(d) + "\n" for d in originals))
    assert stacml("convert", "items.ndjson", "--to", "mlm", "-o", "mlm.ndjson", "--report", "run.json",
                  "--keep-residue", cwd=tmp_path).returncode == 0
    converted = (tmp_path / "mlm.ndjson").read_text().splitlines()
    (tmp_path / "mlm.ndjson").write_text("\n".join(reversed(converted)) + "\n")
    back = stacml("convert", "mlm.ndjson", "--restore", "run.json", "-o", "back.ndjson", cwd=tmp_path)
    assert back.returncode == 0, back.stderr
    assert [json.loads(line) for line in (tmp_path / "back.ndjson").read_text().splitlines()] == originals[::-1]


def test_restore_finds_an_itemcollection_feature_by_its_output_place(tmp_path):
    """The same for the features of an ItemCollection: by `output_pointer`, then by key."""
    originals = twins()
    write(tmp_path / "fc.json", {"type": "FeatureCollection", "features": ["not a feature", *originals]})
    assert stacml("convert", "fc.json", "--to", "mlm", "-o", "out.json", "--report", "run.json", "--keep-residue",
                  cwd=tmp_path).returncode == 1
    back = stacml("convert", "out.json", "--restore", "run.json", "-o", "back.json", cwd=tmp_path)
    assert back.returncode == 0, back.stderr
    assert load(tmp_path / "back.json")["features"] == originals


def test_a_run_report_without_output_lines_is_still_read_by_key(tmp_path):
    """Reports written before entries had `output_line` are read as before: each line by its key
    (a key two lines share is said to be ambiguous, as before)."""
    originals = [invalid_mlm_to_be(1), *twins()]
    (tmp_path / "items.ndjson").write_text("".join(json.dumps(d) + "\n" for d in originals))
    assert stacml("convert", "items.ndjson", "--to", "mlm", "-o", "mlm.ndjson", "--report", "run.json",
                  "--keep-residue", cwd=tmp_path).returncode == 0
    report = json.loads((tmp_path / "run.json").read_text())
    for entry in report["documents"]:
        del entry["output"], entry["output_line"]
    write(tmp_path / "old.json", report)
    back = stacml("convert", "mlm.ndjson", "--restore", "old.json", "-o", "back.ndjson", cwd=tmp_path)
    assert back.returncode == 1
    key = '["Feature", "containing-collection", "invalid-0"]'
    assert [line for line in back.stderr.splitlines() if line.startswith("error:")] == [
        f"error: mlm.ndjson:{n}: old.json has the residues of 2 documents of type, collection and id {key}: "
        "which one this is cannot be told (a file is matched by its output path first, an NDJSON line or "
        "ItemCollection feature by its place in the output the report names, then by these); not restored"
        for n in (2, 3)]
    assert json.loads((tmp_path / "back.ndjson").read_text().splitlines()[0]) == originals[0]
