"""The wheel ships every mapping table and project schema, so a non-editable install works."""
from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import ROOT


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
    assert "translator/__main__.py" in names
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
