"""DLM to DLM (to the other version, or a repair with fill_required): what the project schema of
the target version refuses is left out and reported (docs/dlm.md, "DLM to DLM")."""
from __future__ import annotations

import json

import pytest

from conftest import SAMPLES, schema_issues
from translator import translate

BETA2, BETA3 = "1.0.0-beta2", "1.0.0-beta.3"
DATA = "/properties/dlm:data"
# each repair (to the same version with fill_required) and way to the other version
WAYS = [(BETA3, {"fill_required": True}), (BETA3, {"version": BETA2, "fill_required": True}),
        (BETA3, {"version": BETA2}), (BETA2, {"version": BETA3}),
        (BETA2, {"version": BETA2, "fill_required": True})]


def sample(version: str = BETA3) -> dict:
    doc = json.loads((SAMPLES / "dlm-item.json").read_text())
    return doc if version == BETA3 else translate(doc, to="dlm", version=BETA2).document


@pytest.mark.parametrize("source,options", WAYS)
def test_an_empty_useful_band_is_no_value_as_a_null_one_is(source, options):
    doc = sample(source)
    bands = doc["properties"]["dlm:data"]["useful_bands"]
    bands[1:1] = [{}, None]
    doc["properties"]["dlm:archive"].insert(0, {})  # (an archive entry too)
    result = translate(doc, to="dlm", **options)
    assert schema_issues(result.document) == [] and result.report.problems == []
    out = result.document["properties"]
    assert [b["name"] for b in out["dlm:data"]["useful_bands"]] == ["red", "green", "blue"]
    assert out["dlm:archive"][0] == {"name": "weights/model.pt", "role": "model weight"}
    assert [(l.pointer, l.value) for l in result.report.losses if l.kind == "dropped"] == [
        (f"{DATA}/useful_bands/1", {}), (f"{DATA}/useful_bands/2", None), ("/properties/dlm:archive/0", {})]
    assert not [l for l in result.report.losses if l.kind == "synthesized"]
    assert translate(result.document, to="dlm", restore=result.report).document == doc
