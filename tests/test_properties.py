"""Round-trip laws on generated and mutated documents, for every ordered pair of extensions.

Laws (A = source extension, B = target; A = B included):
  1. translate raises nothing but TranslatorError subclasses, each with a message;
  2. the input is never mutated;
  3. with restore, A -> B -> A gives back exactly the original (key order included);
  4. without restore, every difference between the original and A -> B -> A lies at, above or
     below a pointer the A -> B report lists (losses or findings) — except pure key order,
     stac_extensions (not itemised), link order, a Collection field read from a `properties`
     object and written back at the top level (where the extension's README puts it), and what the way back adds on its own account: values its
     own report lists by target pointer, and the extension's constant markers (ml-model:type);
  5. to the same extension and version: no losses, no problems, the same document;
  6. the same input gives byte-identical JSON.
The number of examples comes from the hypothesis profile (tests/conftest.py): "fast" in CI,
"deep" with `pytest --hypothesis-profile=deep`.
"""
from __future__ import annotations

import copy

import pytest
from hypothesis import given, strategies as st

from strategies import EXAMPLES, GENERATED as WITH_GENERATORS, mutated_example, stac_document
from translator import default_tables, jsonio, translate
from translator.errors import TranslatorError
from translator.pointer import covers, join
from translator.residue import diff, same

TARGETS = default_tables().names()    # every loaded table is a target
GENERATED = sorted(WITH_GENERATORS)   # sources with field-level generators
MUTATED = sorted(EXAMPLES)            # sources whose official examples are mutated
PAIRS = [(a, b) for a in GENERATED for b in TARGETS]
MUTATED_PAIRS = [(a, b) for a in MUTATED for b in TARGETS]


def _as_multiset(links) -> list | None:
    if type(links) is not list:
        return None
    return sorted(jsonio.dumps(l).decode() for l in links)


def run_laws(doc: dict, target: str) -> None:
    frozen = copy.deepcopy(doc)
    try:
        result = translate(doc, to=target)
    except TranslatorError as exc:
        assert str(exc), "errors carry a message"
        assert same(doc, frozen), "the input was mutated by a failed translation"
        return
    assert same(doc, frozen), "the input was mutated"
    report = result.report
    source = report.source[0]
    # 6. deterministic output
    again = translate(copy.deepcopy(frozen), to=target)
    assert jsonio.dumps(again.document) == jsonio.dumps(result.document)
    # 3. exact restore
    back = translate(result.document, to=source, restore=report)
    assert same(back.document, frozen), diff(frozen, back.document)
    # 4. every difference is reported
    plain_result = translate(result.document, to=source, version=report.source[1], source=target)
    plain = plain_result.document
    listed = [l.pointer for l in report.losses] + [f.pointer for f in report.findings]
    listed += [x.target for x in report.losses + report.findings if x.target]  # where things went
    # what the way back adds on its own account is in its report, as a target pointer
    added = [x.target for x in plain_result.report.losses + plain_result.report.findings if x.target]
    markers = {join(("properties",) if frozen.get("type") == "Feature" else ()) + "/" + r.field
               for r in default_tables()[source].consts}
    links_permuted = _as_multiset(frozen.get("links")) == _as_multiset(plain.get("links"))
    for patch in diff(frozen, plain):
        where = patch["pointer"]
        if patch["op"] == "order" or where.startswith("/stac_extensions"):
            continue
        if patch["op"] == "remove" and where.count("/") == 1 and "/properties" + where in listed:
            continue  # a Collection field read from a properties object comes back at the top level
        if links_permuted and where.startswith("/links"):
            continue  # same links in another order (a link moved to an asset and back comes last)
        if (patch["op"] == "remove" and where in markers) or any(covers(t, where) for t in added):
            continue
        assert any(covers(p, where) or covers(where, p) for p in listed if p), (where, patch, listed)
    assert same(doc, frozen)


@pytest.mark.parametrize("source,target", PAIRS)
@given(data=st.data())
def test_laws_on_generated_documents(source, target, data):
    run_laws(data.draw(stac_document(source)), target)


@pytest.mark.parametrize("source,target", MUTATED_PAIRS)
@given(data=st.data())
def test_laws_on_mutated_official_examples(source, target, data):
    run_laws(data.draw(mutated_example(source)), target)


@pytest.mark.parametrize("ext", GENERATED)
@given(data=st.data())
def test_identity_has_an_empty_report(ext, data):
    doc = data.draw(stac_document(ext))
    first = translate(doc, to=ext)  # settles the version the document is read as
    result = translate(doc, to=ext, version=first.report.source[1])
    assert result.report.losses == []
    if any(f.code == "version-by-fields" for f in result.report.findings):
        # the declared URI names another version than the fields: only the URI may change
        assert same({**result.document, "stac_extensions": None}, {**doc, "stac_extensions": None})
    else:
        assert same(result.document, doc)
