"""Repairs of DLM documents (to the same version with fill_required, or to the other version):
the output is valid against the project's DLM schema of the target version, or the report has a
problem naming the place (docs/dlm.md, "DLM to DLM")."""
from __future__ import annotations

import copy
import json

import pytest

from conftest import SAMPLES, schema_issues
from laws import check_loss_values, check_targets, run_laws
from translator import translate

BETA2, BETA3 = "1.0.0-beta2", "1.0.0-beta.3"
URI2 = "https://schemas.stacspec.org/v1.0.0-beta.2/extensions/dl-model/json-schema/schema.json"
URI3 = "https://schemas.stacspec.org/v1.0.0-beta.3/extensions/dl-model/json-schema/schema.json"
DATA, ARCHIVE = "/properties/dlm:data", "/properties/dlm:archive"


def sample(version: str = BETA3) -> dict:
    doc = json.loads((SAMPLES / "dlm-item.json").read_text())
    if version == BETA2:
        doc = translate(doc, to="dlm", version=BETA2).document
    return doc


def unnamed(version: str) -> dict:
    """An Item whose first useful band has no name and whose second has a null one, whose first
    archive entry has no role and whose fourth, after a null entry, a null role."""
    doc = sample(version)
    data, archive = doc["properties"]["dlm:data"], doc["properties"]["dlm:archive"]
    del data["useful_bands"][0]["name"]
    data["useful_bands"][1]["name"] = None
    del archive[0]["role"]
    archive[1:] = [None, {"name": "notes.txt", "role": None}]
    return doc


# (source version, target version) of each repair: the same version and the other one
REPAIRS = [(BETA3, BETA3), (BETA2, BETA2), (BETA3, BETA2), (BETA2, BETA3)]


@pytest.mark.parametrize("source,target", REPAIRS)
def test_a_repair_fills_band_names_and_archive_roles_with_placeholders(source, target):
    doc = unnamed(source)
    frozen = copy.deepcopy(doc)
    result = translate(doc, to="dlm", version=target, fill_required=True)
    assert schema_issues(result.document) == [] and result.report.problems == []
    out = result.document["properties"]
    assert [b["name"] for b in out["dlm:data"]["useful_bands"]] == [
        "PLACEHOLDER: the source names no band", "PLACEHOLDER: the source names no band", "blue"]
    assert out["dlm:archive"] == [{"name": "weights/model.pt", "role": "other"}, {"name": "notes.txt", "role": "other"}]
    assert [(l.pointer, l.kind, l.value, l.target) for l in result.report.losses if l.kind == "synthesized"] == [
        ("", "synthesized", "PLACEHOLDER: the source names no band", f"{DATA}/useful_bands/1/name"),
        ("", "synthesized", "PLACEHOLDER: the source names no band", f"{DATA}/useful_bands/0/name"),
        ("", "synthesized", "other", f"{ARCHIVE}/1/role"),  # where the entry moved (the null before it left out)
        ("", "synthesized", "other", f"{ARCHIVE}/0/role")]
    assert {(l.pointer, l.kind, l.value) for l in result.report.losses if l.kind == "dropped"} == {
        (f"{DATA}/useful_bands/1/name", "dropped", None), (f"{ARCHIVE}/1", "dropped", None),
        (f"{ARCHIVE}/2/role", "dropped", None)}
    check_targets(result.document, result.report)  # (the moved entry's placeholder where it is written)
    check_loss_values(frozen, result.report)
    assert translate(result.document, to="dlm", version=source, restore=result.report).document == frozen
    assert doc == frozen


@pytest.mark.parametrize("source,target", [(BETA3, BETA2), (BETA2, BETA3)])
def test_without_fill_required_each_unnamed_band_and_roleless_entry_is_a_problem(source, target):
    result = translate(unnamed(source), to="dlm", version=target)
    named = sorted(p.split(" ")[0] for p in result.report.problems)
    assert named == [f"{ARCHIVE}/0/role", f"{ARCHIVE}/1/role", f"{DATA}/useful_bands/0/name",
                     f"{DATA}/useful_bands/1/name"]
    assert all(p.endswith("; --fill-required writes a placeholder)") for p in result.report.problems)
    assert sorted(i.pointer for i in schema_issues(result.document)) == [
        f"{ARCHIVE}/0", f"{ARCHIVE}/1", f"{DATA}/useful_bands/0", f"{DATA}/useful_bands/1"]
    run_laws(unnamed(source), "dlm", target)


def test_a_repair_fills_every_member_the_schemas_require_of_a_list_item():
    doc = sample()
    data = doc["properties"]["dlm:data"]
    data["useful_bands"] += [{"name": "nir"}, {"index": 4}]  # (an empty one is no value: test_dlm_values_checked)
    data["item_examples"][0] = {"title": "a tile"}
    doc["properties"]["dlm:archive"][0] = {"role": "model weight"}
    result = translate(doc, to="dlm", fill_required=True)
    assert schema_issues(result.document) == [] and result.report.problems == []
    assert [(l.value, l.target) for l in result.report.losses if l.kind == "synthesized"] == [
        (3, f"{DATA}/useful_bands/3/index"),  # the band's place (a number: the report alone marks it)
        ("PLACEHOLDER: the source names no band", f"{DATA}/useful_bands/4/name"),
        ("PLACEHOLDER: the source gives no example URL", f"{DATA}/item_examples/0/url"),
        ("PLACEHOLDER: the source names no file", f"{ARCHIVE}/0/name")]


@pytest.mark.parametrize("key,value,why", [
    ("dlm:outputs", {}, "the source's is empty"),
    ("dlm:outputs", None, "the source's is null (no value)"),
    ("dlm:runtime", {"framework": None}, "none of its required members has a value"),
    ("dlm:inputs", {}, "the source's is empty"),  # (its members' problems say that a repair fills them)
])
def test_a_required_object_left_out_is_one_problem_at_its_own_pointer(key, value, why):
    doc = sample()
    doc["properties"][key] = value
    result = translate(doc, to="dlm", version=BETA2)
    assert key not in result.document["properties"]
    target = f"/properties/{key}"
    assert [i.pointer + "/" + i.message.split('"')[1] for i in schema_issues(result.document)] == [target]
    [problem] = result.report.problems  # its members' problems are folded into it, not listed again
    assert problem.startswith(f"{target} is required by dlm {BETA2} but is left out: {why}; {target}/")
    run_laws(doc, "dlm", BETA2)
    filled = translate(doc, to="dlm", version=BETA2, fill_required=True)
    assert schema_issues(filled.document) == [] and filled.report.problems == []


def test_a_required_object_the_source_lacks_is_a_problem_at_its_pointer_whatever_the_target():
    doc = sample()
    del doc["properties"]["dlm:outputs"], doc["properties"]["dlm:architecture"]
    for options in ({}, {"version": BETA2}):
        result = translate(doc, to="dlm", **options)
        version = options.get("version", BETA3)
        assert [p.split(": ")[0] for p in result.report.problems] == [
            f"/properties/dlm:outputs is required by dlm {version} but is left out",
            f"/properties/dlm:architecture is required by dlm {version} but is left out"], options
        assert [p for p in result.report.problems if p.startswith("/properties/dlm:architecture ")] == [
            f"/properties/dlm:architecture is required by dlm {version} but is left out: the source has no value "
            f"for it; /properties/dlm:architecture/type is required by dlm {version} but the source has no value "
            "for it: the source names no architecture (--fill-required writes a placeholder)"]
    assert translate(doc, to="dlm").document == doc  # the identity reports, it does not repair


def test_a_repaired_beta2_item_declares_the_schema_uri_instead_of_the_short_id():
    doc = sample(BETA2)
    doc["stac_extensions"][0] = "dl-model"  # with stac_version 1.0.0 it names no schema
    frozen = copy.deepcopy(doc)
    assert translate(doc, to="dlm", version=BETA2).document == doc  # the identity keeps it
    result = translate(doc, to="dlm", version=BETA2, fill_required=True)
    assert result.document["stac_extensions"] == [URI2, doc["stac_extensions"][1]]
    assert schema_issues(result.document) == [] and result.report.problems == []  # (no schema missing)
    assert [(f.pointer, f.message, f.target) for f in result.report.findings if f.code == "short-id"] == [
        ("/stac_extensions/0", f"'dl-model' written as {URI2}", "/stac_extensions/0")]
    assert translate(result.document, to="dlm", restore=result.report).document == frozen
    assert translate(doc, to="dlm", version=BETA3).document["stac_extensions"][0] == URI3
    assert doc == frozen


def test_a_repaired_ml_model_item_declares_the_schema_uri_instead_of_the_short_id():
    doc = json.loads((SAMPLES / "ml-model-item.json").read_text())
    doc["stac_extensions"][0] = "ml-model"
    result = translate(doc, to="ml-model", fill_required=True)
    uri = "https://stac-extensions.github.io/ml-model/v1.0.0/schema.json"
    assert result.document["stac_extensions"][0] == uri and schema_issues(result.document) == []
    assert ("/stac_extensions/0", "short-id") in {(f.pointer, f.code) for f in result.report.findings}
    assert translate(result.document, to="ml-model", restore=result.report).document == doc
    assert translate(doc, to="ml-model").document == doc


@pytest.mark.parametrize("docker", [{}, {"gpu": True}, {"image_name": None, "tag": "1.2.0"}])
def test_a_docker_object_without_an_image_or_dockerfile_gets_a_placeholder_image_in_a_repair(docker):
    doc = sample()
    doc["properties"]["dlm:runtime"]["docker"] = docker
    target = "/properties/dlm:runtime/docker"
    for version in (BETA3, BETA2):
        result = translate(doc, to="dlm", version=version, fill_required=True)
        assert schema_issues(result.document) == [] and result.report.problems == []
        written = result.document["properties"]["dlm:runtime"]["docker"]
        assert written == {**docker, "image_name": "PLACEHOLDER: the source names no image"}
        assert [(l.pointer, l.kind, l.value, l.target) for l in result.report.losses if "docker" in l.pointer
                + (l.target or "")] == [(f"{target}/image_name", "dropped", None, None)] * ("image_name" in docker) + [
            ("", "synthesized", "PLACEHOLDER: the source names no image", f"{target}/image_name")]
        assert translate(result.document, to="dlm", restore=result.report).document == doc
    plain = translate(doc, to="dlm", version=BETA2)
    assert plain.document["properties"]["dlm:runtime"]["docker"] == docker
    assert [p.split(" ")[0] for p in plain.report.problems] == [target]
    assert {i.pointer for i in schema_issues(plain.document)} <= {target, f"{target}/image_name"}
    run_laws(doc, "dlm", BETA2)


@pytest.mark.parametrize("key,value", [("dlm:runtime", "PyTorch"), ("dlm:outputs", []), ("dlm:data", 3),
                                       ("dlm:archive", {"name": "weights/model.pt"})])
def test_a_dlm_object_of_another_json_type_is_no_value_in_a_repair(key, value):
    doc = sample()
    doc["properties"][key] = value
    target = f"/properties/{key}"
    for options in ({"fill_required": True}, {"version": BETA2, "fill_required": True}, {"version": BETA2}):
        result = translate(doc, to="dlm", **options)
        assert [(l.pointer, l.kind, l.value) for l in result.report.losses if l.pointer == target] == [
            (target, "dropped", value)], options
        required = key in ("dlm:runtime", "dlm:outputs")
        if options.get("fill_required"):
            assert schema_issues(result.document) == [] and result.report.problems == [], options
            assert (key in result.document["properties"]) == required
        else:
            assert key not in result.document["properties"]
            assert [p.split(": ")[0] for p in result.report.problems] == \
                [f"{target} is required by dlm {BETA2} but is left out"] * required
            assert all(p.startswith(f"{target} is required by dlm {BETA2} but is left out: the source's is not an "
                                    "object") for p in result.report.problems)
    run_laws(doc, "dlm", BETA2)
