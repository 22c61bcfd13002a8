"""Translated outputs are formatted as their input file is (indentation, separators, line ends,
final newline, escaped non-ASCII text), so that a catalog kept in git shows only what the
translation changed, and convert + --restore gives back the input bytes."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SPECS
from translator.cli import main
from translator.json_style import DEFAULT, JsonStyle, dumps_like, style_of

DUMMY = SPECS / "ml-model/1.0.0/examples/dummy"


def stacml(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "translator", *map(str, args)], capture_output=True, timeout=300)


def cli(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


# (name, how the standard library writes it, the trailing text): the formattings writers produce
LAYOUTS = {
    "4 spaces, no final newline": (dict(indent=4), ""),
    "tabs": (dict(indent="\t"), "\n"),
    "minified": (dict(separators=(",", ":")), ""),
    "one line, Python's separators": (dict(), "\n"),
    "2 spaces, no final newline": (dict(indent=2, ensure_ascii=False), ""),
    "no indentation, a line per value": (dict(indent=0), "\n"),
    "Python 2's trailing spaces": (dict(indent=2, separators=(", ", ": ")), "\n"),
    "CRLF line ends": (dict(indent=2, ensure_ascii=False), "\r\n"),
}


def written(doc: dict, layout: str) -> bytes:
    kwargs, ending = LAYOUTS[layout]
    text = json.dumps(doc, **kwargs)
    if ending == "\r\n":
        text = text.replace("\n", "\r\n")
    return (text + ending).encode("utf-8")


def with_accents(doc: dict) -> dict:
    """A document with text beyond ASCII (which Python's json writes escaped by default)."""
    doc = json.loads(json.dumps(doc))
    doc["properties"]["description"] = "Modèle d'essai — 雲 😀"
    return doc


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_translation_is_written_in_its_input_s_layout_and_restored_byte_for_byte(tmp_path, layout):
    source = with_accents(json.loads((DUMMY / "item.json").read_bytes()))
    src, out, report, back = (tmp_path / n for n in ("item.json", "mlm.json", "report.json", "back.json"))
    src.write_bytes(written(source, layout))
    result = cli("convert", src, "--to", "mlm", "--fill-required", "-o", out, "--report", report, "-q")
    assert result.exit_code == 0, result.output
    translated = json.loads(out.read_bytes())
    assert translated["properties"]["mlm:name"] and "description" in translated["properties"]
    assert out.read_bytes() == written(translated, layout)  # the same formatting, the new content
    # stdout too
    assert cli("convert", src, "--to", "mlm", "--fill-required", "-q").stdout_bytes == out.read_bytes()
    result = cli("convert", out, "--restore", report, "-o", back, "-q")
    assert result.exit_code == 0, result.output
    assert back.read_bytes() == src.read_bytes()


def test_escaped_non_ascii_text_stays_escaped_and_text_as_is_stays_as_is(tmp_path):
    source = with_accents(json.loads((DUMMY / "item.json").read_bytes()))
    for ensure_ascii in (True, False):
        src = tmp_path / f"item-{ensure_ascii}.json"
        src.write_text(json.dumps(source, indent=2, ensure_ascii=ensure_ascii) + "\n", encoding="utf-8")
        data = cli("convert", src, "--to", "mlm", "-q").stdout_bytes
        assert data.isascii() is ensure_ascii
        assert ("\\u00e8" in data.decode()) is ensure_ascii and ("\\ud83d\\ude00" in data.decode()) is ensure_ascii
        assert json.loads(data)["properties"]["description"] == source["properties"]["description"]


def test_what_no_json_writer_produces_falls_back_to_the_usual_layout(tmp_path):
    """Mixed indentation, blank lines, a byte order mark, a YAML file: written with 2 spaces; the
    line ends and what follows the last bracket are kept; a byte order mark is not written back."""
    source = json.loads((DUMMY / "item.json").read_bytes())
    usual = json.dumps(source, indent=2)
    mixed = usual.replace('\n    "https', '\n\t\t"https', 1)  # one line indented with tabs
    cases = {
        "mixed.json": (mixed.encode(), "\n"),
        "blank.json": (usual.replace("{\n", "{\n\n", 1).encode(), "\n"),
        "bom.json": (b"\xef\xbb\xbf" + json.dumps(source, indent=4).encode() + b"\n", "\n"),
        "crlf-mixed.json": ((mixed + "\n").replace("\n", "\r\n").encode(), "\r\n"),
    }
    for name, (raw, newline) in cases.items():
        (tmp_path / name).write_bytes(raw)
        result = cli("convert", tmp_path / name, "--to", "mlm", "-q")
        assert result.exit_code == 0, (name, result.output)
        data = result.stdout_bytes
        expected = json.dumps(json.loads(data), indent=4 if name == "bom.json" else 2, ensure_ascii=False)
        ending = newline if raw.endswith(b"\n") else ""
        assert data == (expected.replace("\n", newline) + ending).encode(), name
    import yaml
    (tmp_path / "item.yaml").write_text(yaml.safe_dump(source))
    data = cli("convert", tmp_path / "item.yaml", "--to", "mlm", "-q").stdout_bytes
    assert data == (json.dumps(json.loads(data), indent=2, ensure_ascii=False) + "\n").encode()


def test_the_style_of_a_file_is_told_from_its_first_lines():
    doc = {"type": "Feature", "a": [1, {"b": "é", "c": []}, {}], "d": {"x": {"y": [1.5, "q\tz"]}}}
    assert style_of(json.dumps(doc, indent=4).encode()) == JsonStyle("    ", ending="", ascii_only=True)
    assert style_of(json.dumps(doc, ensure_ascii=False).encode()) == JsonStyle(None, ", ", ": ", ending="")
    assert style_of(b"type: Feature\n") == DEFAULT == style_of(b"") == style_of(b'{"a": 1}', "x.yaml")
    assert style_of(b'{\n  "a": 1,\n   "b": 2\n}') == JsonStyle(ending="")  # 2, then 3 spaces: the usual
    spaced = {**doc, "text": "two  spaces,\n  and a margin-like run"}  # (re-indented level by level)
    for kwargs in (dict(indent=3), dict(indent="\t"), dict(indent=0), dict(separators=(",", ":")),
                   dict(indent=2, separators=(",", " : ")), dict(indent=4, ensure_ascii=False)):
        for value in (doc, spaced):
            raw = (json.dumps(value, **kwargs) + "\n").encode()
            assert dumps_like(value, raw) == raw, kwargs
    # a first line that is more than the bracket: 2 spaces, the end of the file kept
    assert style_of(b'{"a": 1,\n "b": [\n  2\n ]\n}\n') == DEFAULT


def test_a_catalog_run_keeps_each_file_s_layout_and_restore_gives_back_its_bytes(tmp_path):
    """Workers write each output in its input's layout; --keep-residue + --restore, with
    workers, gives back every input byte for byte; --in-place keeps the layout too."""
    root = tmp_path / "catalog"
    shutil.copytree(DUMMY, root)
    collection = json.loads((root / "collection.json").read_bytes())
    item = json.loads((root / "item.json").read_bytes())
    catalog = {"type": "Catalog", "stac_version": "1.0.0", "id": "root", "description": "models",
               "links": [{"rel": "root", "href": "./catalog.json"}, {"rel": "child", "href": "./collection.json"}]}
    collection["links"] = [{"rel": "root", "href": "./catalog.json"}, {"rel": "item", "href": "./item.json"},
                           {"rel": "item", "href": "./min/item.json"}]
    second = {**item, "id": "second", "links": [{"rel": "collection", "href": "../collection.json"}]}
    item["links"] = [{"rel": "collection", "href": "./collection.json"}]
    files = {"catalog.json": written(catalog, "minified"), "collection.json": written(collection, "4 spaces, no final newline"),
             "item.json": written(item, "tabs"), "min/item.json": written(second, "minified")}
    for rel, raw in files.items():
        (root / rel).parent.mkdir(exist_ok=True)
        (root / rel).write_bytes(raw)
    out, back, report = tmp_path / "out", tmp_path / "back", tmp_path / "run.json"
    run = stacml("convert", root / "catalog.json", "--to", "mlm", "-o", out, "--report", report, "--keep-residue", "-j", "2", "-q")
    assert run.returncode == 0, run.stderr
    layouts = {"collection.json": "4 spaces, no final newline", "item.json": "tabs", "min/item.json": "minified"}
    for rel, layout in layouts.items():
        translated = json.loads((out / rel).read_bytes())
        assert "https://stac-extensions.github.io/mlm/v1.5.2/schema.json" in translated["stac_extensions"]
        assert (out / rel).read_bytes() == written(translated, layout), rel
    assert (out / "catalog.json").read_bytes() == files["catalog.json"]  # copied as it is
    run = stacml("convert", out / "catalog.json", "--restore", report, "-o", back, "-j", "2", "-q")
    assert run.returncode == 0, run.stderr
    for rel, raw in files.items():
        assert (back / rel).read_bytes() == raw, rel
    run = stacml("convert", root / "catalog.json", "--to", "mlm", "--in-place", "-j", "1", "-q")
    assert run.returncode == 0, run.stderr
    for rel, layout in layouts.items():
        assert (root / rel).read_bytes() == (out / rel).read_bytes(), rel
        assert (root / (rel + ".bak")).read_bytes() == files[rel]


def test_an_item_collection_keeps_its_layout(tmp_path):
    item = json.loads((DUMMY / "item.json").read_bytes())
    source = tmp_path / "items.json"
    source.write_bytes(written({"type": "FeatureCollection", "features": [item, {**item, "id": "b"}]}, "tabs"))
    result = cli("convert", source, "--to", "mlm", "-o", tmp_path / "out.json", "-q")
    assert result.exit_code == 0, result.output
    data = (tmp_path / "out.json").read_bytes()
    assert [f["id"] for f in json.loads(data)["features"]] == [item["id"], "b"]
    assert "mlm:name" in json.loads(data)["features"][1]["properties"]
    assert data == written(json.loads(data), "tabs")


def test_the_diff_view_uses_the_input_s_indentation_and_two_spaces_for_one_line(tmp_path):
    item = json.loads((DUMMY / "item.json").read_bytes())
    for layout, margin in (("4 spaces, no final newline", "    "), ("tabs", "\t"), ("minified", "  ")):
        src = tmp_path / "item.json"
        src.write_bytes(written(item, layout))
        lines = cli("convert", src, "--to", "mlm", "--diff").stdout.splitlines()
        assert f'-{margin}{margin}"ml-model:type": "ml-model",' in lines, layout
        assert any(line.startswith(f'+{margin}{margin}"mlm:') for line in lines), layout
        assert not any(l.startswith(("-{", "+{")) for l in lines)  # not one changed line for a one-line input


# (source extension, target): the directions with tables both ways
DIRECTIONS = [("ml-model", "mlm"), ("mlm", "ml-model"), ("dlm", "mlm"), ("tdml", "mlm")]


def as_written_by_json_dumps(raw: bytes) -> bool:
    """Whether the official example is ``json.dumps(doc, indent=2)`` (JSON.stringify's
    formatting), with or without the final newline."""
    try:
        text = json.dumps(json.loads(raw), indent=2, ensure_ascii=False)
    except ValueError:
        return False
    return raw.decode("utf-8") in (text, text + "\n")


@pytest.mark.parametrize("source, target", DIRECTIONS)
def test_official_examples_come_back_byte_for_byte(tmp_path, source, target):
    """Each official example of *source* formatted as JSON.stringify formats it, with or without
    the final newline, goes to *target* and back with --restore: where the JSON comes back equal
    (some examples are repaired on the way, see the restore tests), the bytes do too."""
    inputs = tmp_path / "in"
    picked = {}
    for path in sorted(SPECS.glob(f"{source}/*/examples/**/*.json")):
        raw = path.read_bytes()
        if as_written_by_json_dumps(raw):
            rel = str(path.relative_to(SPECS / source))
            (inputs / rel).parent.mkdir(parents=True, exist_ok=True)
            (inputs / rel).write_bytes(raw)
            picked[rel] = raw
    assert any(not raw.endswith(b"\n") for raw in picked.values())  # both kinds are there
    out, back, report = tmp_path / "out", tmp_path / "back", tmp_path / "run.json"
    run = stacml("convert", inputs, "--to", target, "-o", out, "--report", report, "--keep-residue", "-j", "1", "-q")
    assert run.returncode in (0, 1), run.stderr
    run = stacml("convert", out, "--restore", report, "-o", back, "-j", "1", "-q")
    compared = 0
    for rel, raw in picked.items():
        if (back / rel).is_file() and json.loads((back / rel).read_bytes()) == json.loads(raw):
            assert (back / rel).read_bytes() == raw, rel
            compared += 1
        elif not raw.endswith(b"\n"):
            pytest.fail(f"{rel}: the JSON does not come back equal")  # (so this test checks what it is about)
    assert compared >= len(picked) // 2, (compared, len(picked))


def test_a_document_already_in_the_target_form_is_given_back_byte_for_byte(tmp_path):
    """Translated to its own extension and version, a document comes back unchanged: its input
    bytes, as a catalog run writes an `unchanged` document, even where its layout is one no
    writer produces (short arrays kept on one line by hand, as the project's sample has them)."""
    sample = Path(__file__).parent.parent / "samples" / "mlm-item.json"
    raw = sample.read_bytes()
    assert json.dumps(json.loads(raw), indent=2).encode() + b"\n" != raw  # a layout no writer produces
    src, out, report = tmp_path / "item.json", tmp_path / "out.json", tmp_path / "report.json"
    src.write_bytes(raw)
    result = cli("convert", src, "--to", "mlm", "-o", out, "--report", report)
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == raw
    assert json.loads(report.read_bytes())["losses"] == []
    assert cli("convert", src, "--to", "mlm", "-q").stdout_bytes == raw
    # a document the translation changes (an older MLM version's roles) is written anew
    older = tmp_path / "older.json"
    older.write_bytes(raw)
    changed = cli("convert", older, "--to", "mlm", "--to-version", "1.0.0", "-q").stdout_bytes
    assert changed != raw and json.loads(changed)["stac_extensions"] != json.loads(raw)["stac_extensions"]


def test_documents_written_as_read_in_a_lenient_catalog_run_are_json(tmp_path):
    """With --lenient-json, an unchanged Item, a copied Catalog and an unchanged ItemCollection
    whose comments or trailing commas were removed on reading are written as the JSON they were
    read as (in their layout), not as their input bytes, which only a lenient reader takes;
    --in-place leaves such files as they are (there is nothing to translate in them)."""
    item = json.loads((SPECS / "mlm/1.5.2/examples/item_basic.json").read_bytes())
    src = tmp_path / "src"
    src.mkdir()
    catalog = {"type": "Catalog", "stac_version": "1.0.0", "id": "c", "description": "d",
               "links": [{"rel": "item", "href": "./item.json"}, {"rel": "item", "href": "./items.json"}]}
    texts = {"catalog.json": json.dumps(catalog, indent=4).replace('"id": "c",', '"id": "c", // the id'),
             "item.json": json.dumps(item, indent="\t").replace("\n", "\n\t// an MLM Item\n", 1) + "\n",
             "items.json": json.dumps({"type": "FeatureCollection", "features": [item]}, indent=2)[:-2] + ",\n}\n"}
    for name, text in texts.items():
        (src / name).write_text(text)
    run = stacml("convert", src / "catalog.json", "--to", "mlm", "--lenient-json", "-o", tmp_path / "out", "-j", "1")
    assert run.returncode == 0, run.stderr
    assert b"2 unchanged, 1 copied" in run.stderr
    read_as = {"catalog.json": catalog, "item.json": item, "items.json": {"type": "FeatureCollection", "features": [item]}}
    starts = {"catalog.json": b'{\n    "type"', "item.json": b'{\n\t"', "items.json": b'{\n  "type"'}
    for name in texts:
        data = (tmp_path / "out" / name).read_bytes()
        assert json.loads(data) == read_as[name] and data.startswith(starts[name]), data[:20]
    run = stacml("convert", src / "catalog.json", "--to", "mlm", "--lenient-json", "--in-place", "-j", "1")
    assert run.returncode == 0, run.stderr
    assert {name: (src / name).read_text() for name in texts} == texts


def test_an_ndjson_line_written_as_read_in_a_lenient_run_is_json(tmp_path):
    """The same for an NDJSON line repaired by --lenient-json (a trailing comma): its output
    line is the JSON it was read as; --in-place leaves the file alone."""
    item = json.loads((SPECS / "mlm/1.5.2/examples/item_basic.json").read_bytes())
    line = json.dumps(item, separators=(",", ":"))
    text = line[:-1] + ",}\n" + line + "\n"
    source = tmp_path / "in.ndjson"
    source.write_text(text)
    run = stacml("convert", source, "--to", "mlm", "--lenient-json", "-o", tmp_path / "out.ndjson", "-j", "1")
    assert run.returncode == 0 and b"2 unchanged" in run.stderr, run.stderr
    assert [json.loads(out) for out in (tmp_path / "out.ndjson").read_text().splitlines()] == [item, item]
    run = stacml("convert", source, "--to", "mlm", "--lenient-json", "--in-place", "-j", "1")
    assert run.returncode == 0, run.stderr
    assert source.read_text() == text


@pytest.mark.parametrize("comments", ["// an ml-model Item\n", "/* an ml-model Item,\n   edited by hand */\r\n",
                                      "// one\n// two\n"])
def test_a_file_opening_with_comments_keeps_the_layout_after_them(tmp_path, comments):
    """A file --lenient-json reads may open with comments before its bracket: its layout is
    told from the lines after them (it fell back to 2 spaces and LF)."""
    doc = json.loads((DUMMY / "item.json").read_bytes())
    newline = "\r\n" if comments.endswith("\r\n") else "\n"
    source = tmp_path / "item.json"
    source.write_bytes((comments + json.dumps(doc, indent=4).replace("\n", newline) + newline).encode())
    run = stacml("convert", source, "--to", "mlm", "--lenient-json", "-o", tmp_path / "mlm.json")
    assert run.returncode == 0, run.stderr
    data = (tmp_path / "mlm.json").read_bytes()
    translated = json.loads(data)
    assert translated["properties"]["mlm:name"] and data.startswith(b'{' + newline.encode() + b'    "')
    assert data.endswith(b"}" + newline.encode()) and data.count(b"\n") == data.count(newline.encode())
