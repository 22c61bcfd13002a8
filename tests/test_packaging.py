"""The wheel ships every mapping table and project schema, so a non-editable install works."""
from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import ROOT, SPECS


def test_wheel_contains_tables_and_schemas(tmp_path):
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                         capture_output=True, timeout=600)
    assert run.returncode == 0, run.stderr.decode()[-2000:]
    (wheel,) = tmp_path.glob("stacml_translator-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for table in (ROOT / "mappings").glob("*.yaml"):
        assert f"translator/mappings/{table.name}" in names
    for schema in (ROOT / "translator" / "schemas").rglob("*.json"):
        assert schema.relative_to(ROOT).as_posix() in names
    for report in ("audit-report", "convert-report", "translation-report", "validate-report"):
        assert f"translator/schemas/{report}.json" in names  # the formats of stacml's own reports
    assert "translator/__main__.py" in names
    assert "translator/py.typed" in names  # PEP 561: type checkers read the package's annotations
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "stacml = translator.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_the_installed_wheel_translates_with_its_own_tables(tmp_path):
    """The wheel installed (not editable) into a directory of its own: the package imported from
    there finds the tables it ships, not the checkout's mappings/, and converts a sample."""
    import json
    import os

    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"),
                          str(ROOT)], capture_output=True, timeout=600)
    assert run.returncode == 0, run.stderr.decode()[-2000:]
    (wheel,) = (tmp_path / "dist").glob("stacml_translator-*.whl")
    site = tmp_path / "site"
    run = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                         capture_output=True, timeout=600)
    assert run.returncode == 0, run.stderr.decode()[-2000:]
    env = {**os.environ, "PYTHONPATH": str(site)}  # ahead of the checkout's editable install
    env.pop("STACML_MAPPINGS", None)
    probe = subprocess.run([sys.executable, "-c", "import translator, translator.tables as t; "
                            "print(translator.__file__); print(t.builtin_dir())"],
                           capture_output=True, timeout=120, env=env, cwd=tmp_path)
    assert probe.returncode == 0, probe.stderr.decode()
    module, tables = probe.stdout.decode().split()
    assert module.startswith(str(site)) and tables == str(site / "translator" / "mappings")
    run = subprocess.run([sys.executable, "-m", "translator", "convert", str(ROOT / "samples" / "ml-model-item.json"),
                          "--to", "mlm", "--fill-required"], capture_output=True, timeout=120, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr.decode()
    out = json.loads(run.stdout)
    assert "https://stac-extensions.github.io/mlm/v1.5.2/schema.json" in out["stac_extensions"]
    assert out["properties"]["mlm:name"]


TOY_TABLE = """\
format: stacml-mapping/1
extension: toy
title: A toy model extension
prefix: "toy:"
versions: ["0.1.0"]
default_version: "0.1.0"
uris: ["https://example.org/toy/v{version}/schema.json"]
rules:
  - {id: name, kind: move, field: "toy:name", pivot: name}
  - {id: architecture, kind: move, field: "toy:architecture", pivot: architecture}
"""


def test_an_installed_package_adds_an_extension_through_the_mappings_entry_point(tmp_path):
    """A fifth extension is one YAML table: a package that declares its table directory in the
    stacml.mappings entry-point group is found without --mappings, and drives translation both
    ways (here installed as a bare distribution on PYTHONPATH)."""
    import json
    import os
    package = tmp_path / "stacml_toy"
    (package / "mappings").mkdir(parents=True)
    (package / "__init__.py").write_text("from pathlib import Path\nMAPPINGS = Path(__file__).parent / 'mappings'\n")
    (package / "mappings" / "toy.yaml").write_text(TOY_TABLE)
    dist = tmp_path / "stacml_toy-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: stacml-toy\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[stacml.mappings]\ntoy = stacml_toy:MAPPINGS\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    env.pop("STACML_MAPPINGS", None)

    def stacml(*args):
        return subprocess.run([sys.executable, "-m", "translator", *map(str, args)], capture_output=True,
                              timeout=120, env=env)
    listed = json.loads(stacml("tables", "--format", "json").stdout)
    toy = next(t for t in listed["tables"] if t["extension"] == "toy")
    assert toy["file"] == str(package / "mappings" / "toy.yaml") and not toy["builtin"] and toy["rules"] == 2
    run = stacml("convert", SPECS / "mlm/1.5.2/examples/item_basic.json", "--to", "toy")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    source = json.loads((SPECS / "mlm/1.5.2/examples/item_basic.json").read_text())["properties"]
    assert out["properties"]["toy:architecture"] == source["mlm:architecture"]
    assert out["properties"]["toy:name"] == source["mlm:name"]
    assert "https://example.org/toy/v0.1.0/schema.json" in out["stac_extensions"]
    (tmp_path / "toy.json").write_text(json.dumps(out))
    back = stacml("convert", tmp_path / "toy.json", "--to", "mlm", "-q")
    assert back.returncode == 0 and json.loads(back.stdout)["properties"]["mlm:architecture"] == source["mlm:architecture"]
    # a plugin that cannot be imported is skipped with a warning, the built-in tables still work
    (dist / "entry_points.txt").write_text("[stacml.mappings]\ntoy = stacml_missing:MAPPINGS\n")
    run = stacml("tables")
    assert run.returncode == 0 and b"toy:" not in run.stdout
    # ... said in one line, as every stacml message is (not Python's warning, source line and all)
    assert run.stderr.decode().splitlines() == [
        "warning: mapping plugin 'toy' (stacml_missing:MAPPINGS) not loaded: No module named 'stacml_missing'"]
    # ... and so is one whose directory is not there
    (dist / "entry_points.txt").write_text("[stacml.mappings]\ntoy = stacml_toy:MAPPINGS\n")
    (package / "mappings" / "toy.yaml").unlink()
    (package / "mappings").rmdir()
    run = stacml("convert", SPECS / "mlm/1.5.2/examples/item_basic.json", "--to", "ml-model", "-q")
    assert run.returncode == 0 and run.stderr.decode().splitlines()[0] == (
        f"warning: mapping plugin 'toy' (stacml_toy:MAPPINGS) not loaded: {package / 'mappings'} is not a directory")


def test_every_module_stays_under_400_lines():
    """The project keeps modules small enough to read whole: a module that grows past 400 lines
    is split along a seam of its own (as cli/common.py, the helpers every command shares, came out
    of cli/convert.py)."""
    long = {str(path.relative_to(ROOT)): n for path in sorted((ROOT / "translator").rglob("*.py"))
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}
