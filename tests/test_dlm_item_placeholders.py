"""The placeholders a DLM repair writes for the members the schemas require of list items
(useful bands, item examples, archive entries) come from the table (mappings/dlm.yaml, the
``upgrade`` rule's ``item_placeholders`` option), so a user's table changes them, and a table whose
option is wrong is refused at load naming the file and the rule (docs/dlm.md, "DLM to DLM")."""
from __future__ import annotations

import json

import pytest

from conftest import SAMPLES, schema_issues
from translator import MappingError, load_tables, translate
from translator.table_files import builtin_dir

DATA, ARCHIVE = "/properties/dlm:data", "/properties/dlm:archive"
BAND = '"PLACEHOLDER: the source names no band"'


def user_table(tmp_path, old: str, new: str):
    """The built-in dlm.yaml in *tmp_path*, with *old* (which must be there once) replaced by *new*."""
    text = (builtin_dir() / "dlm.yaml").read_text()
    assert text.count(old) == 1, old
    path = tmp_path / "dlm.yaml"
    path.write_text(text.replace(old, new))
    return path


def unnamed() -> dict:
    """The DLM sample whose second useful band has no name, whose first archive entry has no role
    and whose third useful band has no index."""
    doc = json.loads((SAMPLES / "dlm-item.json").read_text())
    data = doc["properties"]["dlm:data"]
    del data["useful_bands"][1]["name"]
    data["useful_bands"].append({"name": "nir"})
    del doc["properties"]["dlm:archive"][0]["role"]
    return doc


def synthesized(result) -> list:
    return [(l.pointer, l.kind, l.value, l.target, l.reason) for l in result.report.losses if l.kind == "synthesized"]


def test_a_user_table_changes_the_placeholder_of_a_band_name_and_its_report_entry(tmp_path):
    user_table(tmp_path, BAND, '"PLACEHOLDER: band name unknown"')
    result = translate(unnamed(), to="dlm", fill_required=True, tables=tmp_path)
    assert schema_issues(result.document) == [] and result.report.problems == []
    bands = result.document["properties"]["dlm:data"]["useful_bands"]
    assert bands[1]["name"] == "PLACEHOLDER: band name unknown"
    assert (
        "", "synthesized", "PLACEHOLDER: band name unknown", f"{DATA}/useful_bands/1/name",
        f"placeholder for required {DATA}/useful_bands/1/name: band name unknown") in synthesized(result)
    # the built-in table is as it was
    builtin = translate(unnamed(), to="dlm", fill_required=True)
    assert builtin.document["properties"]["dlm:data"]["useful_bands"][1]["name"] == \
        "PLACEHOLDER: the source names no band"


def test_a_user_table_gives_a_value_with_its_own_reason_and_the_position_marker_stays(tmp_path):
    user_table(tmp_path, """{value: other, reason: "'other' (a closed vocabulary: not marked PLACEHOLDER)"}""",
               '{value: "model weight", reason: "the source gives no role"}')
    result = translate(unnamed(), to="dlm", fill_required=True, tables=tmp_path)
    assert schema_issues(result.document) == [] and result.report.problems == []
    out = result.document["properties"]
    assert out["dlm:archive"][0]["role"] == "model weight"
    assert out["dlm:data"]["useful_bands"][3] == {"name": "nir", "index": 3}
    entries = synthesized(result)
    assert sorted((e[2:] for e in entries if e[:2] == ("", "synthesized")), key=lambda e: e[1]) == [
        ("model weight", f"{ARCHIVE}/0/role", f"placeholder for required {ARCHIVE}/0/role: the source gives no role"),
        ("PLACEHOLDER: the source names no band", f"{DATA}/useful_bands/1/name",
         f"placeholder for required {DATA}/useful_bands/1/name: the source names no band"),
        (3, f"{DATA}/useful_bands/3/index", f"placeholder for required {DATA}/useful_bands/3/index: the band's "
         "place in the list (a number: not marked PLACEHOLDER)"),
    ]


def test_a_member_the_table_gives_no_placeholder_for_is_a_problem_even_in_a_repair(tmp_path):
    user_table(tmp_path, f'        "dlm:data/useful_bands/*/name": {BAND}\n', "")
    result = translate(unnamed(), to="dlm", fill_required=True, tables=tmp_path)
    assert result.report.problems == [
        f"{DATA}/useful_bands/1/name is required by dlm 1.0.0-beta.3 but the source has no value for it (missing)"]
    assert [i.pointer for i in schema_issues(result.document)] == [f"{DATA}/useful_bands/1"]


@pytest.mark.parametrize("old,new,message", [
    ("{position: true,", '{position: "yes",', "options/item_placeholders/dlm:data/useful_bands/*/index: "),
    (BAND, "7", "options/item_placeholders/dlm:data/useful_bands/*/name: 7 is not valid"),
    ('"dlm:data/useful_bands/*/name"', '"dlm:data/useful_bands/*/nmae"',
     "options/item_placeholders: 'dlm:data/useful_bands/*/nmae' is not one of"),
    ("{value: other,", "{value: other, position: true,", "options/item_placeholders/dlm:archive/*/role: "),
])
def test_a_table_whose_item_placeholders_are_wrong_is_refused_naming_the_file_and_rule(tmp_path, old, new, message):
    path = user_table(tmp_path, old, new)
    with pytest.raises(MappingError) as err:
        load_tables([tmp_path])
    assert str(err.value).startswith(f"{path}: ") and "rule 'upgrade': " + message in str(err.value), str(err.value)


INDEX = '{position: true, reason: "the band\'s place in the list (a number: not marked PLACEHOLDER)"}'


def test_a_user_table_gives_a_number_where_the_schemas_want_one(tmp_path):
    user_table(tmp_path, INDEX, "{value: 0}")
    result = translate(unnamed(), to="dlm", fill_required=True, tables=tmp_path)
    assert schema_issues(result.document) == [] and result.report.problems == []
    assert result.document["properties"]["dlm:data"]["useful_bands"][3] == {"name": "nir", "index": 0}
    assert ("", "synthesized", 0, f"{DATA}/useful_bands/3/index",
            f"placeholder for required {DATA}/useful_bands/3/index: 0 (not marked PLACEHOLDER)") in synthesized(result)


def test_a_value_without_a_reason_is_reported_as_not_marked_placeholder(tmp_path):
    user_table(tmp_path, """{value: other, reason: "'other' (a closed vocabulary: not marked PLACEHOLDER)"}""",
               "{value: config file}")
    result = translate(unnamed(), to="dlm", fill_required=True, tables=tmp_path)
    assert schema_issues(result.document) == [] and result.report.problems == []
    assert ("", "synthesized", "config file", f"{ARCHIVE}/0/role", f"placeholder for required {ARCHIVE}/0/role: "
            "'config file' (not marked PLACEHOLDER)") in synthesized(result)


@pytest.mark.parametrize("old,new,place,why", [
    (INDEX, "{value: -1}", "dlm:data/useful_bands/*/index", "(value: -1 is less than the minimum of 0)"),
    (INDEX, "{value: 1.5}", "dlm:data/useful_bands/*/index", "(value: 1.5 is not of type 'integer')"),
    (INDEX, '"3"', "dlm:data/useful_bands/*/index", "'3' is not valid"),  # text where a number is wanted
    (BAND, "{value: 3}", "dlm:data/useful_bands/*/name", "(value: 3 is not of type 'string')"),
    (BAND, "{position: true}", "dlm:data/useful_bands/*/name", "is not valid"),  # the place (a number) for text
    ("{value: other,", "{value: weights,", "dlm:archive/*/role", "(value: 'weights' is not one of ['dependency', "
     "'handling function', 'model weight', 'config file', 'test set', 'other'])"),
    ("{value: other, reason: \"'other' (a closed vocabulary: not marked PLACEHOLDER)\"}",
     '"PLACEHOLDER: the source gives no role"', "dlm:archive/*/role", "is not valid"),
])
def test_a_placeholder_the_schemas_refuse_for_its_member_is_refused_at_load(tmp_path, old, new, place, why):
    path = user_table(tmp_path, old, new)
    with pytest.raises(MappingError) as err:
        load_tables([tmp_path])
    assert str(err.value).startswith(f"{path}: ") and \
        f"rule 'upgrade': options/item_placeholders/{place}: " in str(err.value) and why in str(err.value), \
        str(err.value)
