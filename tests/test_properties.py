"""Round-trip laws (tests/laws.py states them) on generated and mutated documents, for every ordered
pair of extensions. The number of examples comes from the hypothesis profile (tests/conftest.py):
"fast" in CI, "deep" with `pytest --hypothesis-profile=deep`.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from conftest import schema_issues
from laws import SOURCES, check_every_law, check_valid_outputs, draw_versions
from schema_strategies import schema_document, schema_errors
from strategies import mutated_example


@pytest.mark.parametrize("source", SOURCES)
@given(data=st.data())
def test_laws_on_schema_generated_documents(source, data):
    doc = data.draw(schema_document(source), label="document")
    versions = draw_versions(data)
    check_every_law(doc, versions)
    check_valid_outputs(doc, versions)


@pytest.mark.parametrize("source", SOURCES)
@given(data=st.data())
def test_laws_on_mutated_official_examples(source, data):
    doc = data.draw(mutated_example(source), label="document")
    check_every_law(doc, draw_versions(data))


@pytest.mark.parametrize("source", SOURCES)
def test_generated_documents_are_valid(source):
    """The generators draw valid documents: no error against the extension schema they come from
    (MLM Collections: except the summaries erratum, docs/errata-mlm.md)."""
    @settings(max_examples=40, derandomize=True, database=None)
    @given(schema_document(source))
    def check(doc):
        errors = schema_errors(doc, source)
        if source == "mlm" and doc["type"] == "Collection":
            errors = [e for e in errors if not e.startswith("/summaries/")]
        assert errors == [], errors
        assert schema_issues(doc) == []  # STAC core and every declared schema too
    check()
