"""Shared test helpers. The tests read the official schemas and examples from ../shared/specs."""
from __future__ import annotations

import functools
import os
import textwrap
from pathlib import Path

import orjson
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SPECS = SHARED / "specs"
SAMPLES = ROOT / "samples"
# the environment of a process run from another directory: it runs this checkout's code, not that of
# an editable install made from another checkout
CHECKOUT = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def pytest_configure(config):
    if not SPECS.is_dir():
        pytest.exit(f"{SPECS} is missing: the tests need the official schemas and examples beside the "
                    "checkout (../shared/specs)", returncode=1)


TOY_TABLE = """\
format: stacml-mapping/1
extension: toy
prefix: "toy:"
versions: ["1.0.0"]
default_version: "1.0.0"
uris: ["https://example.org/toy/v{version}/schema.json"]
rules:
"""


def write_table(directory: Path, rules: str, name: str = "toy.yaml", header: str = TOY_TABLE) -> Path:
    """A mapping table of the extension 'toy' with *rules* (YAML list items), in *directory*."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(header + textwrap.indent(textwrap.dedent(rules), "  "))
    return directory / name


def load_spec(rel: str) -> dict:
    return orjson.loads((SPECS / rel).read_bytes())


def resolve(doc, pointer: str):
    """The value at an RFC 6901 *pointer* (KeyError or IndexError when there is none)."""
    node = doc
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if type(node) is list else node[token]
    return node


def spec_files(pattern: str) -> list[str]:
    return sorted(str(p.relative_to(SPECS)) for p in SPECS.glob(pattern))


@functools.lru_cache(maxsize=None)
def specs_store():
    """Only the official copies, so verdicts never depend on schemas shipped in the package."""
    from translator.validation import SchemaStore
    return SchemaStore([("--schemas", SPECS)])


def official_issues(doc: dict) -> list:
    from translator.validation import validate_document
    return validate_document(doc, specs_store(), strict_schemas=True)  # the tests filter errata themselves


def extension_errors(doc: dict, uri: str) -> list[str]:
    """Errors of one extension schema alone (official examples carry core-STAC, eo or label problems
    of their own that no translation of ML fields can fix)."""
    import jsonschema_rs
    store = specs_store()
    validator = jsonschema_rs.validator_for(store.resolve(uri), retriever=lambda u: store.resolve(u))
    return [f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in validator.iter_errors(doc)]


# MLM erratum (docs/errata-mlm.md, every version): the Collection branch validates every summary value
# against the field-set object schema, so any array summary (the STAC form) fails.
def is_mlm_summary_erratum(issue) -> bool:
    return (issue.schema.startswith("https://stac-extensions.github.io/mlm/")
            and issue.pointer.startswith("/summaries/")
            and ("is not of type \"object\"" in issue.message or "is not allowed for" in issue.message))


# Hypothesis profiles: "fast" runs in CI; "deep" (pytest --hypothesis-profile=deep) on demand.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("fast", max_examples=60, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("medium", max_examples=1_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("deep", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile("fast")


@functools.lru_cache(maxsize=None)
def target_store():
    """The schemas outputs are checked against: the project's dlm and tdml schemas (shipped in the
    package), the official copies for everything else."""
    from translator.schemastore import PACKAGE_SCHEMAS
    from translator.validation import SchemaStore
    return SchemaStore([("package", PACKAGE_SCHEMAS), ("--schemas", SPECS)])


def schema_issues(doc: dict) -> list:
    """Errors against the STAC core and every declared extension schema, from target_store (MLM
    Collections: apart from the summaries erratum, docs/errata-mlm.md)."""
    from translator.validation import check_document
    report = check_document(doc, target_store(), strict_schemas=True)  # the tests' own filter, not the product's
    assert not report.missing, report.missing
    return [i for i in report.issues if not is_mlm_summary_erratum(i)]
