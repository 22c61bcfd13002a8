"""Messages of a catalog run a migration engineer can act on: a link to a file that does not
exist names the document holding it.
Real runs (processes, on the code of this checkout) on catalogs built from the official examples."""
from __future__ import annotations

import json

import pytest

from test_catalog import add_links, build_catalog, link
from test_catalog_runs import stacml

MISSING = "cannot read: No such file or directory"


def errors(run) -> list[str]:
    return [line for line in run.stderr.splitlines() if line.startswith("error:")]


# -- a link to a file that does not exist ----------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_link_to_a_missing_file_names_the_document_and_the_link_that_lead_to_it(tmp_path, jobs):
    """`error: catalog/nowhere/catalog.json: cannot read: ...` said which file was missing but
    not which document links to it: the link to fix. The first link the run follows to it is
    named, in the error line and in the report entry's error; detect and audit, which read the
    catalog the same way, say it too."""
    root = build_catalog(tmp_path)
    add_links(root, link("child", "./nowhere/catalog.json"))                                 # /links/4
    add_links(root.parent / "models/collection.json", link("item", "./gone/item.json"))      # /links/4
    add_links(root.parent / "plain/catalog.json", link("child", "../nowhere/catalog.json"))  # the same, later
    run = stacml("convert", "catalog/catalog.json", "--to", "mlm", "-o", "out", "--report", "run.json", "-j", jobs,
                 cwd=tmp_path)
    assert run.returncode == 1
    expected = {"catalog/nowhere/catalog.json": f"{MISSING} (linked from catalog/catalog.json /links/4)",
                "catalog/models/gone/item.json": f"{MISSING} (linked from catalog/models/collection.json /links/4)"}
    assert errors(run) == [f"error: {name}: {why}" for name, why in expected.items()]
    failed = [d for d in json.loads((tmp_path / "run.json").read_text())["documents"] if d["status"] == "failed"]
    assert failed == [{"source": name, "status": "failed", "error": why} for name, why in expected.items()]
    detect = stacml("detect", "catalog/catalog.json", cwd=tmp_path)
    assert [line for line in errors(detect) if MISSING in line] == [f"error: {name}: {why}"
                                                                    for name, why in expected.items()]
    audit = stacml("audit", "catalog/catalog.json", "--to", "mlm", "--format", "json", cwd=tmp_path)
    assert json.loads(audit.stdout)["unreadable"] == [{"document": name, "error": why}
                                                      for name, why in expected.items()]
