"""What a migration engineer meets running `stacml convert` on whole catalogs more than once:
a document that fails leaves a link dangling, an earlier run's outputs stay behind, an in-place
run, an undo from another directory, a rerun with --copy-assets, a --strict stop. Real runs
(processes, on the code of this checkout) on catalogs built from the official examples."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from test_catalog import build_catalog, link, load, write
from test_cli_convert_catalog import documents


def stacml(*args, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "translator", *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=cwd, env=env)


def test_restore_matches_outputs_by_path_from_another_directory(tmp_path):
    """Two Items share type, collection and id: only their paths tell their residues apart."""
    catalog = build_catalog(tmp_path)
    twin = load(catalog.parent / "models/dummy/item.json")
    twin["properties"]["description"] = "the twin, retrained"
    write(catalog.parent / "models/twin/item.json", twin)
    collection = catalog.parent / "models/collection.json"
    doc = load(collection)
    doc["links"].append(link("item", "./twin/item.json"))
    write(collection, doc)
    work = tmp_path / "work"
    work.mkdir()
    run = stacml("convert", "../catalog/catalog.json", "--to", "mlm", "-o", "out", "--report", "run.json",
                 "--keep-residue", "-j", "2", cwd=work)
    assert run.returncode == 0, run.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = stacml("convert", work / "out/catalog.json", "--to", "ml-model", "--restore", work / "run.json",
                 "-o", tmp_path / "back", "-j", "2", cwd=elsewhere)
    assert run.returncode == 0, run.stderr
    assert documents(tmp_path / "back") == documents(catalog.parent)
