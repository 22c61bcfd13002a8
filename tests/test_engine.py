"""The engine itself: table loading and its checks, detection, the report, the residue, restore."""
from __future__ import annotations

import copy
import json

import pytest

from conftest import SAMPLES, SPECS, load_spec, write_table
from strategies import EXAMPLES, load_example
from translator import (DocumentError, MappingError, NoExtensionError, Report, UnsupportedTarget,
                        default_tables, detect, load_tables, translate)
from translator import residue
from translator.tables import builtin_dir

# -- tables -------------------------------------------------------------------------------


def test_builtin_tables_load_and_compile():
    tables = load_tables()
    assert {"ml-model", "mlm"} <= set(tables.names())
    mlm = tables["mlm"]
    assert mlm.read_fields["mlm:name"][0].pivot == "name"
    assert mlm.read_roles["mlm:model"][0].pivot == "model"
    assert tables["ml-model"].write_links["data:validate"][0].lossy


def test_table_format_errors_name_the_file_and_the_rule(tmp_path):
    write_table(tmp_path, """\
        - id: bad
          kind: move
          field: "toy:a"
        """)
    with pytest.raises(MappingError) as err:
        load_tables([tmp_path])
    text = str(err.value)
    assert "toy.yaml" in text and "rule 'bad'" in text and "'pivot' is a required property" in text


def test_a_one_way_value_table_must_be_marked_lossy(tmp_path):
    write_table(tmp_path, """\
        - id: tasks
          kind: wrap
          field: "toy:task"
          pivot: tasks
          values:
            write: {semantic-segmentation: segmentation}
        """)
    with pytest.raises(MappingError, match=r"toy.yaml: /rules/0: rule 'tasks'.*mark the rule lossy"):
        load_tables([tmp_path])


def test_unknown_transform_and_unknown_pivot_names_are_refused(tmp_path):
    write_table(tmp_path, """\
        - {id: t, kind: transform, transform: no-such-transform}
        """)
    with pytest.raises(MappingError, match="unknown structural transform 'no-such-transform'"):
        load_tables([tmp_path])
    write_table(tmp_path, """\
        - {id: m, kind: move, field: "toy:x", pivot: not_a_pivot_field}
        """)
    with pytest.raises(MappingError, match="'not_a_pivot_field', which is not a pivot field"):
        load_tables([tmp_path])


def test_drop_rules_need_a_reason_and_lossy_transforms_need_lossy(tmp_path):
    write_table(tmp_path, """\
        - {id: d, kind: drop, field: "toy:x", lossy: {reason: ""}}
        """)
    with pytest.raises(MappingError):
        load_tables([tmp_path])
    write_table(tmp_path, """\
        - {id: e, kind: transform, transform: ensure-role-asset, direction: write, options: {role: model, field: artifact_type}}
        """)
    with pytest.raises(MappingError, match="rule 'e'.*not reversible"):
        load_tables([tmp_path])


def test_tables_never_execute_code(tmp_path):
    (tmp_path / "evil.yaml").write_text("format: !!python/object/apply:os.system ['echo owned']\n")
    with pytest.raises(MappingError, match="invalid YAML"):
        load_tables([tmp_path])


def test_a_user_table_replaces_the_builtin_one_and_drives_translation(tmp_path):
    text = (builtin_dir() / "ml-model.yaml").read_text()
    text = text.replace('''  - id: training-os
    kind: drop
    field: "ml-model:training-os"
    summaries: true
    lossy:
      reason: "the training operating system has no field in MLM, DLM or TrainingDML-AI"
''', "")
    (tmp_path / "ml-model.yaml").write_text(text)
    tables = load_tables([tmp_path])
    doc = load_spec("ml-model/1.0.0/examples/dummy/item.json")
    report = translate(doc, to="mlm", tables=tables).report
    (loss,) = [l for l in report.losses if l.pointer == "/properties/ml-model:training-os"]
    assert loss.kind == "unknown"  # no rule any more: still reported, never silently dropped
    # the directory itself may be given, as --mappings DIR does
    assert translate(doc, to="mlm", tables=str(tmp_path)).report.to_dict() == report.to_dict()
    assert detect(doc, tables=tmp_path).extension == "ml-model"
    with pytest.raises(TypeError, match="tables must be the result of load_tables"):
        translate(doc, to="mlm", tables=5)


# -- detection ----------------------------------------------------------------------------


def item(props: dict, exts: list) -> dict:
    return {"type": "Feature", "stac_version": "1.0.0", "id": "x", "geometry": None, "properties": props,
            "links": [], "assets": {}, "stac_extensions": exts}


@pytest.mark.parametrize("uri,version", [
    ("https://stac-extensions.github.io/mlm/v1.5.2/schema.json", "1.5.2"),
    ("https://crim-ca.github.io/mlm-extension/v1.2.0/schema.json", "1.2.0"),
    ("https://stac-extensions/mlm/v1.1.0/schema.json", "1.1.0"),
    ("http://stac-extensions.github.io/mlm/v1.4.0/schema.json#", "1.4.0"),
    ("https://CRIM-CA.github.io/mlm-extension/v1.2.0/schema.json", "1.2.0"),  # host names ignore case
    ("HTTP://Stac-Extensions.GitHub.io/mlm/v1.3.0/schema.json", "1.3.0"),
])
def test_mlm_uri_forms(uri, version):
    found = detect(item({"mlm:name": "m"}, [uri]))
    assert (found.extension, found.version, found.declared) == ("mlm", version, True)
    assert detect(item({}, [uri])).version == version  # the URI alone is enough


@pytest.mark.parametrize("uri", ["https://stac-extensions.github.io/ml-model/1.0.0/schema.json",  # no 'v'
                                 "ml-model"])  # the short id of STAC before 1.0
def test_ml_model_uri_forms_are_read_and_replaced(uri):
    doc = item({"ml-model:architecture": "U-Net", "ml-model:prediction_type": "segmentation"}, [uri])
    found = detect(doc)
    assert (found.extension, found.version, found.declared) == ("ml-model", "1.0.0", True)
    assert ("/stac_extensions/0", "legacy-uri") in [(p, c) for p, c, _ in found.findings]
    assert uri not in translate(doc, to="mlm").document["stac_extensions"]


def test_prefix_wins_over_uri_and_version_is_assumed_without_uri():
    found = detect(item({"mlm:name": "m"}, []))
    assert (found.extension, found.version, found.declared) == ("mlm", "1.5.2", False)
    assert [c for _, c, _ in found.findings] == ["version-assumed"]
    # a 2024 draft: mlm fields under an ml-model URI
    draft = item({"mlm:name": "m"}, ["https://schemas.stacspec.org/2.0.0.alpha.0/extensions/ml-model/json-schema/schema.json"])
    assert detect(draft).extension == "mlm"


ML_MODEL_URI = "https://stac-extensions.github.io/ml-model/v1.0.0/schema.json"
MLM_URI = "https://stac-extensions.github.io/mlm/v1.5.2/schema.json"


def test_two_extensions_use_the_stated_precedence_with_a_finding():
    props = {"mlm:name": "m", "ml-model:architecture": "x"}
    for uris in ([], [ML_MODEL_URI, MLM_URI]):  # fields of both, neither or both declared: the table order
        doc = item(dict(props), uris)
        found = detect(doc)
        assert found.extension == "mlm" and found.others == ["ml-model"]
        (message,) = [m for _, c, m in found.findings if c == "several-extensions"]
        assert message.endswith("(to read it as ml-model: prefer='ml-model', or --prefer ml-model)")  # what to do
        # the other extension's fields are carried over unchanged to a third extension, and when
        # the document is read as the target
        assert translate(doc, to="dlm").document["properties"]["ml-model:architecture"] == "x"
        assert translate(doc, to="mlm", prefer="mlm").document["properties"]["ml-model:architecture"] == "x"
        # translated to the extension it is read as, in its version, a half-migrated document is
        # read as the other one, so that the translation migrates it (its own fields carried)
        result = translate(doc, to="mlm")
        out = result.document["properties"]
        assert (out["mlm:architecture"], out["mlm:name"]) == ("x", "m") and "ml-model:architecture" not in out
        assert result.report.source[0] == "ml-model"
        (message,) = [f.message for f in result.report.findings if f.code == "several-extensions"]
        assert "already in mlm 1.5.2: read as ml-model so that its translation to mlm migrates" in message
        assert translate(result.document, to="ml-model", restore=result.report).document == doc
        # in another version of the target, its target fields are translated (read as the target)
        assert translate(doc, to="mlm", version="1.2.0").report.source[0] == "mlm"


def test_a_declared_extension_s_fields_come_before_stray_fields_of_another():
    # an ml-model Item with one mlm: field is an ml-model Item: translated to MLM, it is migrated
    doc = item({"mlm:name": "m", "ml-model:architecture": "x"}, [ML_MODEL_URI])
    found = detect(doc)
    assert (found.extension, found.version, found.declared, found.others) == ("ml-model", "1.0.0", True, ["mlm"])
    result = translate(doc, to="mlm")
    props = result.document["properties"]
    assert props["mlm:architecture"] == "x" and props["mlm:name"] == "m" and "ml-model:architecture" not in props
    assert result.document["stac_extensions"] == [MLM_URI]
    assert ("/properties/mlm:name", "other-extension-field") in {(f.pointer, f.code) for f in result.report.findings}
    assert translate(result.document, to="ml-model", restore=result.report).document == doc
    assert detect(item({"mlm:name": "m", "ml-model:architecture": "x"}, [MLM_URI])).extension == "mlm"


def test_prefer_chooses_among_the_extensions_a_document_uses_only():
    props = {"ml-model:architecture": "U-Net", "mlm:name": "m"}
    doc = item(props, [])
    assert detect(doc).extension == "mlm"
    assert detect(doc, prefer="ml-model").extension == "ml-model"
    (found,) = [f for f in detect(doc, prefer="ml-model").findings if f[1] == "several-extensions"]
    assert "read as ml-model (as preferred)" in found[2] and "--prefer" not in found[2]
    assert detect(item({"mlm:name": "m"}, []), prefer="ml-model").extension == "mlm"  # not used: detected
    result = translate(doc, to="mlm", prefer="ml-model")
    assert result.document["properties"] == {"mlm:architecture": "U-Net", "mlm:name": "m"}
    # an MLM field it has that the translation writes otherwise is reported, with its value
    doc["properties"]["mlm:architecture"] = "ResNet"
    result = translate(doc, to="mlm", prefer="ml-model")
    assert [(l.pointer, l.kind, l.value) for l in result.report.losses] == [
        ("/properties/mlm:architecture", "dropped", "ResNet")]
    with pytest.raises(UnsupportedTarget):
        detect(doc, prefer="nope")


def test_no_extension_and_not_stac():
    with pytest.raises(NoExtensionError, match="no supported ML extension"):
        detect(item({"eo:cloud_cover": 1}, []))
    with pytest.raises(DocumentError, match="not a STAC Item or Collection"):
        translate({"type": "FeatureCollection"}, to="mlm")
    with pytest.raises(DocumentError):
        translate([1, 2], to="mlm")
    with pytest.raises(UnsupportedTarget, match="unknown extension 'nope'"):
        translate(item({"mlm:name": "m"}, []), to="nope")
    with pytest.raises(UnsupportedTarget, match="no version 9.9"):
        translate(item({"mlm:name": "m"}, []), to="mlm", version="9.9")


def test_the_official_mlm_collection_is_detected_by_its_roles():
    found = detect(load_spec("mlm/1.5.2/examples/collection.json"))
    assert found.extension == "mlm"


def test_summaries_that_all_drop_leave_no_empty_object_and_come_back_with_restore():
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/collection.json"))
    doc["summaries"] = {"mlm:batch_size_suggestion": [8], "mlm:accelerator": ["cuda"]}
    result = translate(doc, to="dlm")  # DLM describes Items only: no summary of its own
    assert "summaries" not in result.document
    assert {l.pointer for l in result.report.losses} >= {"/summaries/mlm:batch_size_suggestion",
                                                         "/summaries/mlm:accelerator/0"}
    assert "summaries-emptied" in {f.code for f in result.report.findings}
    # the accelerator summary was read as DLM's field, then dropped: no finding says it was written
    assert "summary-to-field" not in {f.code for f in result.report.findings}
    assert translate(result.document, to="mlm", restore=result.report).document == doc
    doc["summaries"]["datetime"] = {"minimum": "2020-01-01T00:00:00Z", "maximum": "2021-01-01T00:00:00Z"}
    assert translate(doc, to="dlm").document["summaries"] == {"datetime": doc["summaries"]["datetime"]}


def test_a_repeated_role_is_kept_by_the_identity_and_a_finding_elsewhere():
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/item_basic.json"))
    doc["assets"]["model"]["roles"] = ["mlm:model", "data", "mlm:model", "data"]
    same = translate(doc, to="mlm")
    assert same.document == doc
    for older in (translate(doc, to="mlm", version="1.4.0"), translate(doc, to="mlm", fill_required=True)):
        assert older.document["assets"]["model"]["roles"] == ["mlm:model", "data"]
        assert {(f.code, f.pointer) for f in older.report.findings if f.code == "role-repeated"} == {
            ("role-repeated", "/assets/model/roles/2"), ("role-repeated", "/assets/model/roles/3")}


@pytest.mark.parametrize("ext", sorted(EXAMPLES))
def test_every_pointer_of_every_official_example_report_names_a_place_of_the_source(ext):
    """Losses and findings alike (law 8 of the property tests holds the losses to it on
    mutated documents too)."""
    checked = 0
    for rel in EXAMPLES[ext]:
        doc = load_example(rel)
        for target in ("dlm", "ml-model", "mlm", "tdml"):
            for fill in (False, True):
                report = translate(doc, to=target, fill_required=fill).report
                for entry in report.losses + report.findings:
                    if entry.pointer:
                        node = doc
                        for token in entry.pointer.split("/")[1:]:
                            token = token.replace("~1", "/").replace("~0", "~")
                            node = node[int(token)] if type(node) is list else node[token]  # KeyError: not a place
                        checked += 1
    assert checked > 100


# -- unknown fields, report, residue ------------------------------------------------------


def test_unknown_prefixed_fields_are_reported_when_leaving_and_kept_in_the_identity():
    doc = load_spec("ml-model/1.0.0/examples/dummy/item.json")
    doc = copy.deepcopy(doc)
    doc["properties"]["ml-model:colour"] = "blue"
    doc["assets"]["other"]["ml-model:size"] = 3
    report = translate(doc, to="mlm").report
    unknown = {l.pointer: l.value for l in report.losses if l.kind == "unknown"}
    assert unknown == {"/properties/ml-model:colour": "blue", "/assets/other/ml-model:size": 3}
    same = translate(doc, to="ml-model")
    assert same.document == doc and same.report.losses == []


def test_report_serialises_and_a_json_report_restores():
    doc = load_spec("ml-model/1.0.0/examples/cyclone-wind-speed/item.json")
    result = translate(doc, to="mlm", fill_required=True)
    data = json.loads(json.dumps(result.report.to_dict()))
    assert data["source"] == {"extension": "ml-model", "version": "1.0.0"}
    assert {l["kind"] for l in data["losses"]} <= {"dropped", "lossy", "assumed", "synthesized", "unknown"}
    assert all(set(l) >= {"pointer", "kind", "value", "reason", "rule"} for l in data["losses"])
    report = Report.from_dict(data)
    back = translate(result.document, to="ml-model", restore=report)
    assert back.document == doc
    # the required field the plain back-translation lacked is back: no problem is left about it
    plain = translate(result.document, to="ml-model")
    assert any("ml-model:learning_approach is required" in p for p in plain.report.problems)
    assert back.report.problems == [] and back.report.valid is not False
    # the residue undid the losses of the plain back-translation: none is left
    assert plain.report.losses and back.report.losses == []
    assert any(f.code == "restored" and "nothing lost" in f.message for f in back.report.findings)
    assert {f.code for f in back.report.findings} == {"restored"}  # not the back-translation's notes


def test_a_restore_can_be_undone_in_turn():
    doc = load_spec("ml-model/1.0.0/examples/dummy/item.json")
    forward = translate(doc, to="mlm", fill_required=True)
    back = translate(forward.document, to="ml-model", restore=forward.report)
    assert back.document == doc
    assert translate(back.document, to="mlm", restore=back.report).document == forward.document


def test_a_restore_reports_what_was_added_after_the_conversion():
    doc = load_spec("ml-model/1.0.0/examples/cyclone-wind-speed/item.json")
    result = translate(doc, to="mlm", fill_required=True)
    edited = copy.deepcopy(result.document)
    edited["properties"]["mlm:batch_size_suggestion"] = 4  # ml-model has no place for it
    back = translate(edited, to="ml-model", restore=result.report)
    assert back.document == doc
    assert [(l.pointer, l.kind, l.value) for l in back.report.losses] == [
        ("/properties/mlm:batch_size_suggestion", "dropped", 4)]


def test_restore_with_a_report_of_another_extension_is_refused():
    doc = load_spec("ml-model/1.0.0/examples/dummy/item.json")
    result = translate(doc, to="mlm")
    with pytest.raises(Exception, match="restore report is for a translation from ml-model"):
        translate(result.document, to="mlm", restore=result.report)


def test_residue_diff_and_apply_never_touch_their_inputs():
    a = {"x": 1, "y": {"z": [1, 2], "w": True}, "k": 1.0}
    b = {"y": {"w": 1, "z": [1, 2], "extra": None}, "x": 1, "k": 1}
    patches = residue.diff(a, b)
    frozen = copy.deepcopy(b)
    rebuilt = residue.apply(b, patches)
    assert rebuilt == a and list(rebuilt) == list(a) and list(rebuilt["y"]) == list(a["y"])
    assert type(rebuilt["k"]) is float and type(rebuilt["y"]["w"]) is bool
    assert b == frozen


def test_output_is_a_new_document_and_the_input_is_untouched():
    doc = load_spec("mlm/1.5.2/examples/item_multi_io.json")
    frozen = copy.deepcopy(doc)
    out = translate(doc, to="ml-model", fill_required=True).document
    out["properties"]["title"] = "changed"
    out["assets"].clear()
    out["links"].clear()
    assert doc == frozen


def test_json_text_input_and_lenient_json():
    text = json.dumps(load_spec("ml-model/1.0.0/examples/dummy/item.json"))
    assert translate(text, to="mlm").report.source == ("ml-model", "1.0.0")
    commented = text.replace('"type": "Feature",', '"type": "Feature", // an Item\n', 1)
    with pytest.raises(DocumentError, match="invalid JSON at line 1 column"):
        translate(commented, to="mlm")
    result = translate(commented, to="mlm", lenient_json=True)
    assert [f.code for f in result.report.findings if f.code == "lenient-json"] == ["lenient-json"]


def test_translate_validate_puts_the_issues_in_the_report(monkeypatch, tmp_path):
    from translator.validation import clear_caches
    monkeypatch.setenv("STACML_SCHEMAS", str(SPECS))
    monkeypatch.setenv("STACML_CACHE", str(tmp_path / "cache"))
    clear_caches()
    doc = load_spec("ml-model/1.0.0/examples/dummy/item.json")
    bad = translate(doc, to="mlm", validate=True).report
    assert bad.valid is False and {i.message for i in bad.validation} >= {'"mlm:input" is a required property'}
    good = translate(doc, to="mlm", validate=True, fill_required=True).report
    assert good.validation == [] and good.valid is True
    assert "validation" in good.to_dict()
    clear_caches()


def test_a_key_given_twice_is_an_error_naming_it_or_a_lenient_repair():
    # JSON parsers keep the last value of a repeated key: the first would be lost silently
    text = json.dumps(load_spec("ml-model/1.0.0/examples/dummy/item.json"))
    twice = text.replace('"ml-model:type": "ml-model"',
                         '"ml-model:architecture": "first", "ml-model:type": "ml-model"', 1)
    assert twice != text and '"ml-model:architecture"' in text
    with pytest.raises(DocumentError, match="'ml-model:architecture' appears twice.*would lose 'first'") as caught:
        translate(twice, to="mlm")
    assert caught.value.pointer == "/properties/ml-model:architecture"
    result = translate(twice, to="mlm", lenient_json=True)
    assert "lenient-json" in [f.code for f in result.report.findings]
    assert [(l.pointer, l.kind, l.value) for l in result.report.losses if "repeated" in l.reason] == [
        ("/properties/ml-model:architecture", "dropped", "first")]
    assert result.document["properties"]["mlm:architecture"] == json.loads(text)["properties"]["ml-model:architecture"]
    # colons inside strings, escaped or not, are not keys
    tricky = text.replace('"ml-model:type": "ml-model"', '"ml-model:type": "ml-model", "note": "a\\":b \\u003a"', 1)
    assert translate(tricky, to="mlm").report.source == ("ml-model", "1.0.0")


def test_a_byte_order_mark_is_ignored():
    text = json.dumps(load_spec("ml-model/1.0.0/examples/dummy/item.json"), ensure_ascii=False)
    plain = translate(text, to="mlm").document
    for encoding in ("utf-8-sig", "utf-16", "utf-32"):
        raw = text.encode(encoding)
        assert raw[:2] in (b"\xef\xbb", b"\xff\xfe", b"\xfe\xff")
        assert translate(raw, to="mlm").document == plain, encoding


def test_integers_beyond_64_bits_are_read_exactly():
    # orjson would read them as floats, rounding a 20-digit id without a word
    doc = load_spec("ml-model/1.0.0/examples/dummy/item.json")
    text = json.dumps(doc).replace('"ml-model:type": "ml-model"', '"ml-model:type": "ml-model", "x:id": '
                                   '123456789012345678901, "x:low": -9223372036854775809, "x:ok": "1234567890123456789012"', 1)
    result = translate(text, to="mlm")
    props = result.document["properties"]
    assert props["x:id"] == 123456789012345678901 and type(props["x:id"]) is int
    assert props["x:low"] == -9223372036854775809 and props["x:ok"] == "1234567890123456789012"
    # a dropped field keeps its exact value in the report, and the residue restores it
    dropped = text.replace('"ml-model:type": "ml-model"', '"ml-model:type": 98765432109876543210', 1)
    result = translate(dropped, to="mlm")
    assert [l.value for l in result.report.losses if l.pointer == "/properties/ml-model:type"] == [98765432109876543210]
    back = translate(result.document, to="ml-model", restore=result.report).document
    assert back == json.loads(dropped) and type(back["properties"]["ml-model:type"]) is int
    # 64-bit values and long digit runs in strings or fractions keep orjson's fast path result
    from translator.jsonio import parse
    assert parse(b'[18446744073709551615, -9223372036854775808, 0.12345678901234567890]', "x")[0] == \
        [18446744073709551615, -9223372036854775808, 0.12345678901234567890]
    assert [type(v) for v in parse(b'[1e30, 12345678901234567890123.0, 12345678901234567890123]', "x")[0]] == \
        [float, float, int]


def test_the_lenient_json_hint_is_given_only_when_it_would_help():
    # every STAC document has '//' in its URLs: that alone must not suggest --lenient-json
    text = json.dumps(load_spec("ml-model/1.0.0/examples/dummy/item.json"))
    with pytest.raises(DocumentError) as caught:
        translate(text.replace('"id": "model-item"', '"id": "model-item" "x": 1', 1), to="mlm")
    assert "lenient" not in str(caught.value)
    with pytest.raises(DocumentError, match="try --lenient-json"):
        translate(text.replace('"id": "model-item"', '"id": "model-item" // a comment\n', 1), to="mlm")


def test_threads_translating_at_once_from_a_cold_start_agree_with_one_thread():
    # the first calls load the transform registry: no thread may see half of it
    import subprocess
    import sys
    script = """
import glob, orjson, sys
from concurrent.futures import ThreadPoolExecutor
from translator import translate, jsonio
docs = [jsonio.load(p, lenient=True)[0] for p in sorted(glob.glob(sys.argv[1] + '/*/*/examples/*.json'))
        if not p.endswith('schema.json')]
jobs = [(d, t) for d in docs for t in ('mlm', 'ml-model', 'dlm', 'tdml')] * 2
def run(job):
    try:
        return orjson.dumps(translate(job[0], to=job[1], fill_required=True).document)
    except Exception as exc:
        return repr(exc)
with ThreadPoolExecutor(8) as pool:
    together = list(pool.map(run, jobs))
print(sum(a != b for a, b in zip(together, map(run, jobs))), len(jobs))
"""
    run = subprocess.run([sys.executable, "-c", script, str(SPECS)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    differing, total = map(int, run.stdout.split())
    assert total > 100 and differing == 0


def test_mappings_other_than_dict_are_read_as_json_objects():
    # json.load(object_pairs_hook=OrderedDict), YAML libraries' mappings, tuples for arrays
    import collections
    text = json.dumps(load_spec("ml-model/1.0.0/examples/dummy/item.json"))
    ordered = json.loads(text, object_pairs_hook=collections.OrderedDict)
    ordered["bbox"] = tuple(ordered["bbox"])
    plain = translate(json.loads(text), to="mlm", fill_required=True)
    result = translate(ordered, to="mlm", fill_required=True)
    assert json.dumps(result.document) == json.dumps(plain.document)
    assert type(result.document) is dict and type(result.document["properties"]) is dict
    assert detect(ordered).extension == "ml-model"
    assert translate(result.document, to="ml-model", restore=result.report).document == json.loads(text)


def test_wrong_argument_types_get_clear_messages_and_a_report_dict_restores():
    doc = load_spec("ml-model/1.0.0/examples/dummy/item.json")
    with pytest.raises(UnsupportedTarget, match="version must be a string such as '1.5.2', not 1.5"):
        translate(doc, to="mlm", version=1.5)
    with pytest.raises(UnsupportedTarget, match="unknown extension"):
        translate(doc, to=["mlm"])
    with pytest.raises(TypeError, match="training_data must be a list"):
        translate(doc, to="mlm", training_data="dataset.json")
    with pytest.raises(TypeError, match="restore must be the Report"):
        translate(doc, to="ml-model", restore=[])
    result = translate(doc, to="mlm")
    kept = json.loads(json.dumps(result.report.to_dict()))  # a report stored as JSON
    assert translate(result.document, to="ml-model", restore=kept).document == doc


def test_a_malformed_report_dict_is_a_document_error():
    for bad in ({"source": "ml-model"}, [], {"losses": [{"kind": "dropped"}]}):
        with pytest.raises(DocumentError, match="not a translation report"):
            Report.from_dict(bad)


def test_load_tables_takes_one_directory_given_alone(tmp_path):
    # a string must not be read letter by letter (each letter a missing directory)
    assert load_tables(str(tmp_path)).names() == load_tables([tmp_path]).names() == ["dlm", "ml-model", "mlm", "tdml"]
    with pytest.raises(MappingError, match="mapping directory does not exist"):
        load_tables(str(tmp_path / "missing"))


@pytest.mark.parametrize("source", sorted(EXAMPLES))
def test_restoring_an_unedited_conversion_reports_nothing_lost(source):
    """Every official example, to every target, with and without placeholders, and back with the
    report: the original exactly, no loss, and the problems of the original itself."""
    checked = 0
    for rel in EXAMPLES[source]:
        doc = load_example(rel)
        own = translate(doc, to=source, version=detect(doc).version).report.problems
        for target in default_tables().names():
            for fill in (False, True):
                forward = translate(doc, to=target, fill_required=fill)
                back = translate(forward.document, to=source, restore=forward.report)
                assert back.document == doc, (rel, target, fill)
                assert back.report.losses == [], (rel, target, fill, back.report.losses)
                assert back.report.problems == own, (rel, target, fill)
                checked += 1
    assert checked >= 8 * len(EXAMPLES[source])


def test_a_spelling_two_known_values_share_is_not_guessed():
    """values.fold reads 'ObjectDetection' as object-detection, but where two known values fold
    alike (a user table allowing 'a-b' and 'ab') a variant of them is left as written."""
    from types import SimpleNamespace
    from translator.folding import fold_table, folded
    rule = SimpleNamespace(pivot="tasks", write_map={}, read_map={}, allowed={"a-b", "ab"})
    table = fold_table(rule, default_tables().vocabulary)
    assert folded(table, "ObjectDetection") == "object-detection"
    assert [folded(table, v) for v in ("A_B", "a-b", "ab")] == ["A_B", "a-b", "ab"]


def test_a_move_rule_that_folds_values_is_not_a_plain_rename(tmp_path):
    """values.fold alone (no value table) still folds: such a rule is not read as a plain rename."""
    write_table(tmp_path, """\
        - {id: framework, kind: move, field: "toy:framework", pivot: framework, values: {fold: true}}
        """)
    doc = {"type": "Feature", "stac_version": "1.0.0", "id": "x", "geometry": None, "links": [], "assets": {},
           "stac_extensions": ["https://example.org/toy/v1.0.0/schema.json"],
           "properties": {"datetime": None, "toy:framework": "pytorch"}}
    result = translate(doc, to="dlm", tables=tmp_path)
    assert result.document["properties"]["dlm:runtime"]["framework"] == "PyTorch"
    assert ("/properties/toy:framework", "normalised") in {(f.pointer, f.code) for f in result.report.findings}


def test_a_target_field_the_document_already_has_is_never_replaced_silently():
    """A DLM Item that also has an ml-model architecture is read as DLM (the stated precedence):
    translated to ml-model, DLM's architecture replaces the Item's own ml-model one, which is
    reported with its value; one equal to the translation is not a loss."""
    doc = json.loads((SAMPLES / "dlm-item.json").read_text())
    doc["properties"]["ml-model:architecture"] = "SegFormer"
    result = translate(doc, to="ml-model")
    assert result.report.source[0] == "dlm"
    assert result.document["properties"]["ml-model:architecture"] != "SegFormer"
    (loss,) = [l for l in result.report.losses if l.pointer == "/properties/ml-model:architecture"]
    assert loss.kind == "dropped" and loss.value == "SegFormer" and "replaced by the value translated" in loss.reason
    assert translate(result.document, to="dlm", restore=result.report).document == doc
    doc["properties"]["ml-model:architecture"] = result.document["properties"]["ml-model:architecture"]
    assert not [l for l in translate(doc, to="ml-model").report.losses
                if l.pointer == "/properties/ml-model:architecture"]


def test_a_target_field_moved_to_a_one_value_summary_is_carried_not_lost():
    """An MLM Collection that also has a DLM object at its top level, to DLM: DLM holds Collection
    fields as one-value summaries, so the object is carried there (a finding), not reported lost."""
    doc = copy.deepcopy(load_spec("mlm/1.5.2/examples/collection.json"))
    doc["summaries"]["mlm:framework"] = ["PyTorch"]
    doc["dlm:architecture"] = {"type": "UNet"}
    result = translate(doc, to="dlm")
    assert result.report.source[0] == "mlm" and result.report.losses == []
    assert result.document["summaries"]["dlm:architecture"] == [{"type": "UNet"}]
    (found,) = [f for f in result.report.findings if f.code == "other-extension-field"]
    assert (found.pointer, found.target) == ("/dlm:architecture", "/summaries/dlm:architecture")
