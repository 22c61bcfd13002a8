"""DLM 1.0.0-beta2 as an output: the project's beta2 schema (docs/errata-dlm-beta2.md) and the
spellings written for it, from every extension and from DLM beta.3."""
from __future__ import annotations

import copy

import jsonschema_rs
import orjson
import pytest
from jsonschema import Draft7Validator

from conftest import ROOT, SPECS, spec_files
from translator import default_tables, jsonio, translate

BETA2, BETA3 = "1.0.0-beta2", "1.0.0-beta.3"
URI2 = "https://schemas.stacspec.org/v1.0.0-beta.2/extensions/dl-model/json-schema/schema.json"
SCHEMA2 = orjson.loads((ROOT / "translator/schemas/dlm/v1.0.0-beta2/schema.json").read_bytes())
SCHEMA3 = orjson.loads((ROOT / "translator/schemas/dlm/v1.0.0-beta.3/schema.json").read_bytes())
OTHERS = [r for r in spec_files("mlm/*/examples/**/*.json") + spec_files("ml-model/*/examples/**/*.json")
          + spec_files("tdml/*/examples/**/*.json")
          if r != "tdml/1.0.0/examples/DOTA-1.5_Dataset/collection.json"]  # not JSON, even leniently
BETA3_ONLY = ("data_type", "nodata")


def errors(schema: dict, doc: dict) -> list[str]:
    return [f"/{'/'.join(map(str, e.instance_path))}: {e.message}"
            for e in jsonschema_rs.validator_for(schema).iter_errors(doc)]


def load(rel: str) -> dict:
    return jsonio.load(SPECS / rel, lenient=True)[0]


def item(**dlm) -> dict:
    """A beta2 Item the project schema accepts, with *dlm* replacing or adding dlm: fields."""
    props = {
        "datetime": "2024-05-01T00:00:00Z",
        "dlm:inputs": {"name": "x", "input_tensors": {"dim": 4, "height": 64, "width": 64}},
        "dlm:outputs": {"task": "classification",
                        "class_name_mapping": [{"index": 0, "class_name": "no crop"}, {"index": 1, "class_name": "crop"}]},
        "dlm:runtime": {"framework": "PyTorch", "version": "1.5"},
        "dlm:architecture": {"type": "small-cnn"},
        "dlm:data": {"dtype": "uint16", "nodata_value": 0, "process_level": "L2"},
    }
    props.update(dlm)
    return {"type": "Feature", "stac_version": "1.0.0", "stac_extensions": [URI2], "id": "m", "geometry": None,
            "properties": props, "links": [], "assets": {"weights": {"href": "w.pt", "roles": ["model"]}}}


def dlm_objects(doc: dict) -> dict:
    fields = doc.get("properties", doc) if doc.get("type") == "Feature" else doc
    return {k: v for k, v in fields.items() if k.startswith("dlm:")}


# --------------------------------------------------------------------------- the schema


def test_the_schema_is_draft7_with_the_beta2_uri_the_writer_uses():
    Draft7Validator.check_schema(SCHEMA2)
    assert SCHEMA2["$id"] == URI2 == default_tables()["dlm"].write_uri(BETA2)


def test_a_beta2_item_is_valid_and_the_short_name_too():
    assert errors(SCHEMA2, item()) == []
    doc = item()
    doc["stac_extensions"] = ["dl-model"]  # the identifier STAC 1.0.0-beta.2 documents used
    assert errors(SCHEMA2, doc) == []
    doc["stac_extensions"] = ["https://schemas.stacspec.org/v1.0.0-beta.3/extensions/dl-model/json-schema/schema.json"]
    assert errors(SCHEMA2, doc)


@pytest.mark.parametrize("data", [{"data_type": "uint16"}, {"nodata": 0}, {"dtype": "uint16", "nodata": 0}])
def test_the_beta2_schema_rejects_the_beta3_names_in_dlm_data(data):
    found = errors(SCHEMA2, item(**{"dlm:data": data}))
    assert found and all(e.startswith("/properties/dlm:data") for e in found), found
    # the version decides: beta.3's schema takes its own names and refuses beta2's
    beta3 = {"data_type": "uint16", "nodata": 0}
    assert errors(SCHEMA3, {**item(**{"dlm:data": beta3}), "stac_extensions": [SCHEMA3["$id"]]}) == \
        ['/properties/dlm:outputs/class_name_mapping: [{"class_name":"no crop","index":0},'
         '{"class_name":"crop","index":1}] is not of type "object"']


@pytest.mark.parametrize("mapping", [
    {"0": "no crop", "1": "crop"},                # beta.3's object form
    {"I_0": "no crop"},                           # the official beta.3 schema's key pattern
    [{"0": "no crop"}],                           # the examples' one-key objects
    [{"index": 0}],                               # no class name
    [{"index": "0", "class_name": "no crop"}],    # a string index
    [],
])
def test_the_beta2_schema_wants_class_name_mapping_as_a_list_of_index_and_class_name(mapping):
    outputs = {"task": "classification", "class_name_mapping": mapping}
    found = errors(SCHEMA2, item(**{"dlm:outputs": outputs}))
    assert found and all(e.startswith("/properties/dlm:outputs/class_name_mapping") for e in found), found


def test_beta2_and_beta3_schemas_differ_only_where_the_versions_do():
    """Same project rules (docs/errata-dlm.md D1-D17) for both: only the spellings beta.3 changed,
    class_name_mapping and the URI differ."""
    a, b = copy.deepcopy(SCHEMA2), copy.deepcopy(SCHEMA3)
    for schema in (a, b):
        for key in ("$id", "title", "description"):
            del schema[key]
        del schema["properties"]["stac_extensions"]
        del schema["definitions"]["class_name_mapping"]
        del schema["definitions"]["collection"]["$comment"]
        data = schema["definitions"]["data"]["properties"]
        for name in ("dtype", "data_type", "nodata_value", "nodata"):
            data.pop(name, None)
    assert a == b


# --------------------------------------------------------------------------- writing beta2


@pytest.mark.parametrize("rel", OTHERS)
def test_other_extensions_to_beta2_are_valid_in_beta2_spelling_and_restore(rel):
    doc = load(rel)
    frozen = copy.deepcopy(doc)
    result = translate(doc, to="dlm", version=BETA2, fill_required=True)
    out = result.document
    assert URI2 in out["stac_extensions"]
    assert errors(SCHEMA2, out) == []
    assert result.report.problems == []
    objects = dlm_objects(out)
    assert not any(k in (objects.get("dlm:data") or {}) for k in BETA3_ONLY)
    mapping = (objects.get("dlm:outputs") or {}).get("class_name_mapping")
    if mapping is not None:
        assert type(mapping) is list and all(set(e) == {"index", "class_name"} for e in mapping)
        assert errors(SCHEMA3, {**out, "stac_extensions": [SCHEMA3["$id"]]})  # not beta.3's form
        assert any(f.code == "written-form" and f.target.endswith("/dlm:outputs/class_name_mapping")
                   for f in result.report.findings)
    back = translate(out, to=result.report.source[0], version=result.report.source[1], restore=result.report)
    assert back.document == frozen


def test_mlm_classes_are_written_as_index_and_class_name():
    doc = load("mlm/1.5.2/examples/item_basic.json")
    classes = doc["properties"]["mlm:output"][0]["classification_classes"]
    out = translate(doc, to="dlm", version=BETA2, fill_required=True).document
    assert out["properties"]["dlm:outputs"]["class_name_mapping"] == [
        {"index": c["value"], "class_name": c["name"]} for c in classes]
    beta3 = translate(doc, to="dlm", version=BETA3, fill_required=True).document
    assert beta3["properties"]["dlm:outputs"]["class_name_mapping"] == {str(c["value"]): c["name"] for c in classes}


def beta3_written() -> tuple[dict, dict]:
    """The official beta.3 example, and that example as the translator writes beta.3 (project-valid,
    with data_type and nodata)."""
    doc = load("dlm/1.0.0-beta.3/examples/item.json")
    written = translate(doc, to="dlm", version=BETA3, fill_required=True).document
    assert errors(SCHEMA3, written) == []
    assert {"data_type", "nodata"} <= set(written["properties"]["dlm:data"])
    return doc, written


def test_beta3_to_beta2_renames_to_beta2_spellings_and_reports_each():
    _, doc = beta3_written()
    result = translate(doc, to="dlm", version=BETA2)
    props = result.document["properties"]
    data, before = props["dlm:data"], doc["properties"]["dlm:data"]
    assert data["dtype"] == before["data_type"] and data["nodata_value"] == before["nodata"]
    assert not set(BETA3_ONLY) & set(data)
    assert props["dlm:outputs"]["class_name_mapping"] == [
        {"index": int(k), "class_name": v} for k, v in doc["properties"]["dlm:outputs"]["class_name_mapping"].items()]
    assert result.document["stac_extensions"][0] == URI2
    assert errors(SCHEMA2, result.document) == []
    assert result.report.losses == [] and result.report.problems == []
    renames = {(f.pointer, f.target) for f in result.report.findings if f.code == "written-form"}
    assert renames == {("/properties/dlm:data/data_type", "/properties/dlm:data/dtype"),
                       ("/properties/dlm:data/nodata", "/properties/dlm:data/nodata_value"),
                       ("/properties/dlm:outputs/class_name_mapping", "/properties/dlm:outputs/class_name_mapping")}


def test_beta3_to_beta2_to_beta3_is_exact():
    for doc in beta3_written():
        frozen = copy.deepcopy(doc)
        there = translate(doc, to="dlm", version=BETA2)
        back = translate(there.document, to="dlm", version=BETA3, restore=there.report)
        assert back.document == frozen
    _, written = beta3_written()
    plain = translate(translate(written, to="dlm", version=BETA2).document, to="dlm", version=BETA3).document
    assert dlm_objects(plain) == dlm_objects(written)  # only the spelling changed: even without restore


def test_beta2_example_to_beta3_uses_beta3_names():
    doc = load("dlm/1.0.0-beta2/examples/item.json")
    result = translate(doc, to="dlm", version=BETA3)
    data = result.document["properties"]["dlm:data"]
    assert data["data_type"] == doc["properties"]["dlm:data"]["dtype"]
    assert data["nodata"] == doc["properties"]["dlm:data"]["nodata_value"]
    assert not {"dtype", "nodata_value"} & set(data)
    assert type(result.document["properties"]["dlm:outputs"]["class_name_mapping"]) is dict
    assert errors(SCHEMA3, result.document) == []
    assert errors(SCHEMA2, result.document)


@pytest.mark.parametrize("rel", [r for r in spec_files("dlm/1.0.0-beta2*/examples/**/*")
                                 if r.endswith((".json", ".yml")) and "collection" not in r])
def test_beta2_examples_repaired_as_beta2_are_valid_and_keep_beta2_names(rel):
    doc = load(rel)
    result = translate(doc, to="dlm", version=BETA2, fill_required=True)
    assert errors(SCHEMA2, result.document) == []
    data = result.document["properties"].get("dlm:data", {})
    assert not set(BETA3_ONLY) & set(data)
    assert ("dtype" in data) == ("dtype" in doc["properties"].get("dlm:data", {}))
    assert not any(f.code == "written-form" and ("data_type" in f.target or "/nodata" in f.target)
                   for f in result.report.findings)  # nothing renamed there and back
    assert translate(result.document, to="dlm", restore=result.report).document == doc


def test_beta2_to_beta2_without_repair_is_the_identity():
    doc = load("dlm/1.0.0-beta2/examples/item.json")
    result = translate(doc, to="dlm", version=BETA2)
    assert result.document == doc and result.report.losses == []


@pytest.mark.parametrize("rel", [r for r in spec_files("dlm/1.0.0-beta2*/examples/**/*")
                                 if r.endswith((".json", ".yml")) and "collection" not in r])
def test_the_official_beta2_examples_fail_only_for_the_listed_reasons(rel):
    """As published (read leniently, YAML keys as JSON has them): their dtype/nodata_value and
    their dl-model short name are beta2's; what fails is listed in docs/errata-dlm-beta2.md."""
    doc = orjson.loads(orjson.dumps(load(rel), option=orjson.OPT_NON_STR_KEYS))
    found = {e.split(": ")[0] for e in errors(SCHEMA2, doc)}
    allowed = {"/assets", "/properties/dlm:runtime/version", "/properties/dlm:inputs/input_tensors"}
    assert found, rel
    for where in found:
        assert where in allowed or where.startswith(("/properties/dlm:archive/", "/properties/dlm:outputs/class_name_mapping/")) \
            or (where == "/properties" and "tree-detection" in rel), (rel, where)


def test_the_store_answers_for_beta2_with_the_project_schema_even_next_to_the_official_copy():
    from translator.schemastore import PACKAGE_SCHEMAS, SchemaStore
    for store in (SchemaStore.default(), SchemaStore([("--schemas", SPECS), ("package", PACKAGE_SCHEMAS)])):
        assert store.resolve(URI2 + "#") == SCHEMA2  # the official copy is not JSON: the usable one wins
